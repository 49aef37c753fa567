#include "load.h"

#include <string.h>

#include "error.h"
#include "input.h"
#include "pprof.h"
#include "prune.h"
#include "textprof.h"

static struct profile *decode(const struct input *in)
{
	const unsigned char *data = in->data;
	size_t len = in->len;
	struct profile *p;

	if (len == 0) {
		err_set(in->was_gzip ? "empty gzip data" : "empty file");
		return NULL;
	}
	if (textprof_detect((const char *)data, len) != TEXTPROF_NONE) {
		p = textprof_parse((const char *)data, len);
	} else if (!pprof_looks_like(data, len)) {
		err_set("unrecognized profile format%s (not profile.proto, nor Go heap or goroutine text)",
			in->was_gzip ? " after gunzip" : "");
		return NULL;
	} else {
		p = pprof_decode(data, len);
	}
	if (p && profile_check_values(p) < 0) {
		profile_free(p);
		return NULL;
	}
	/* pprof drops the frames named by drop_frames from every profile
	 * it loads; so does drip, so that the numbers agree. */
	if (p && profile_remove_uninteresting(p) < 0) {
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
	p = decode(&in);
	input_release(&in);
	if (!p)
		err_prefix("cannot read '%s'", name);
	return p;
}

struct profile *load_profile(const char *path)
{
	struct input in;
	struct profile *p;

	if (input_read(path, &in) < 0) {
		err_prefix("cannot read '%s'", path);
		return NULL;
	}
	p = decode(&in);
	input_release(&in);
	if (!p)
		err_prefix("cannot read '%s'", path);
	return p;
}
