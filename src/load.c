#include "load.h"

#include <string.h>

#include "error.h"
#include "input.h"
#include "pprof.h"
#include "prune.h"
#include "textprof.h"

static struct profile *decode(const unsigned char *data, size_t len, unsigned flags)
{
	if (len == 0) {
		err_set("empty file");
		return NULL;
	}
	struct profile *p;

	if (textprof_detect((const char *)data, len) != TEXTPROF_NONE)
		p = textprof_parse((const char *)data, len);
	else
		p = pprof_decode(data, len);
	/* pprof drops the frames named by drop_frames from every profile
	 * it loads; so does drip, so that the numbers agree. */
	if (p && !(flags & LOAD_ALL_FRAMES) && profile_remove_uninteresting(p) < 0) {
		profile_free(p);
		return NULL;
	}
	return p;
}

struct profile *load_profile_bytes(const char *name, const unsigned char *data, size_t len)
{
	struct input in;
	struct profile *p;

	if (input_from_memory(data, len, &in) < 0) {
		err_prefix("cannot read '%s'", name);
		return NULL;
	}
	p = decode(in.data, in.len, 0);
	input_release(&in);
	if (!p)
		err_prefix("cannot read '%s'", name);
	return p;
}

struct profile *load_profile(const char *path)
{
	return load_profile_flags(path, 0);
}

struct profile *load_profile_flags(const char *path, unsigned flags)
{
	struct input in;
	struct profile *p;

	if (input_read(path, &in) < 0) {
		err_prefix("cannot read '%s'", path);
		return NULL;
	}
	p = decode(in.data, in.len, flags);
	input_release(&in);
	if (!p)
		err_prefix("cannot read '%s'", path);
	return p;
}
