/* Placeholder until the text parsers land: recognises nothing. */
#include "textprof.h"

#include "error.h"

enum textprof_kind textprof_detect(const char *data, size_t len)
{
	(void)data;
	(void)len;
	return TEXTPROF_NONE;
}

struct profile *textprof_parse(const char *data, size_t len)
{
	(void)data;
	(void)len;
	err_set("text profiles are not supported yet");
	return NULL;
}
