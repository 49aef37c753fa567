#include "load.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "fetch.h"
#include "input.h"
#include "pprof.h"
#include "prune.h"
#include "textprof.h"

static struct profile *decode(const struct input *in, unsigned flags)
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
	if (p && !(flags & LOAD_ALL_FRAMES) && profile_remove_uninteresting(p) < 0) {
		profile_free(p);
		return NULL;
	}
	return p;
}

static struct profile *load_input(const char *name, struct input *pin, int rc, unsigned flags)
{
	struct input in;
	struct profile *p;

	if (rc < 0) {
		err_prefix("cannot read '%s'", name);
		return NULL;
	}
	in = *pin;
	p = decode(&in, flags);
	input_release(&in);
	if (!p)
		err_prefix("cannot read '%s'", name);
	return p;
}

struct profile *load_profile_bytes(const char *name, const unsigned char *data, size_t len,
				   const struct source_opts *so)
{
	struct input in;
	int rc = input_from_memory(data, len, source_max_size(so), &in);

	return load_input(name, &in, rc, 0);
}

/* A URL (or host:port): fetch it, then decode the body as a file. */
static struct profile *load_url(const char *arg, const struct source_opts *so, unsigned flags)
{
	struct buf body = BUF_INIT;
	char *url = fetch_expand_url(arg, so);
	struct profile *p = NULL;

	if (fetch_url(url, so, &body) < 0)
		err_prefix("cannot read '%s'", url);
	else {
		/* the body is handed over, not copied */
		struct input in;
		size_t len = body.len;
		int rc = input_from_owned(buf_detach(&body, NULL), len, source_max_size(so), &in);

		p = load_input(url, &in, rc, flags);
	}
	free(url);
	buf_release(&body);
	return p;
}

struct profile *load_profile(const char *path)
{
	return load_profile_from(path, NULL, 0);
}

struct profile *load_profile_from(const char *path, const struct source_opts *so, unsigned flags)
{
	struct input in;
	struct profile *p;

	if (fetch_is_url(path))
		return load_url(path, so, flags);
	if (input_read(path, source_max_size(so), &in) < 0) {
		err_prefix("cannot read '%s'", path);
		return NULL;
	}
	p = decode(&in, flags);
	input_release(&in);
	if (!p)
		err_prefix("cannot read '%s'", path);
	return p;
}
