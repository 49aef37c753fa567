/* drip merge: several profiles into one pprof file (gzipped
 * profile.proto) that go tool pprof and drip read, merged as pprof
 * merges them (identical samples summed).  Filters and --diff-base /
 * --base apply as in the other commands, so `drip merge --focus=RE` or
 * `--diff-base` also writes a filtered or differential profile. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "cmd.h"
#include "error.h"
#include "options.h"
#include "output.h"
#include "pprof.h"
#include "session.h"

static const struct popt_usage usage = {
	"merge", "[OPTIONS] FILE... -o OUT",
	"Merge the profiles into one gzipped pprof profile (identical samples are\n"
	"summed, as pprof merges), readable by go tool pprof and by drip.  Filters\n"
	"(--focus, --hide, ...) and --diff-base/--base apply first, so the result\n"
	"can also be a filtered or a differential profile.\n",
	NULL,
};

/* gzip the bytes in raw into out (one member, as Go writes profiles). */
static int gzip_bytes(const struct buf *raw, struct buf *out)
{
	z_stream zs;
	int rc;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return err_set("cannot initialise zlib");
	buf_reserve(out, deflateBound(&zs, (uLong)raw->len) + 64);
	zs.next_in = (unsigned char *)(raw->data ? raw->data : "");
	zs.avail_in = (uInt)raw->len;
	zs.next_out = (unsigned char *)out->data;
	zs.avail_out = (uInt)(out->cap - 1);
	rc = deflate(&zs, Z_FINISH);
	out->len = zs.total_out;
	deflateEnd(&zs);
	if (rc != Z_STREAM_END)
		return err_set("cannot compress the merged profile");
	return 0;
}

int cmd_merge(int argc, char **argv)
{
	struct ropts o;
	struct profile *p;
	struct buf raw = BUF_INIT, gz = BUF_INIT;
	struct output out;
	int first, rc = EXIT_TROUBLE;

	struct popt opts[] = {
		POPT_GROUP(RG_FILTER), ROPTS_FILTER(&o), ROPTS_ALL_FRAMES(&o),
		POPT_GROUP(RG_COMPARE), ROPTS_BASES(&o), ROPTS_NORMALIZE(&o),
		POPT_GROUP(RG_OUTPUT), ROPTS_ADD_COMMENT(&o), ROPTS_OUTPUT(&o), ROPTS_VERBOSE(&o),
		POPT_GROUP(RG_INPUT), ROPTS_INPUT(&o),
		POPT_END(),
	};

	ropts_init(&o);
	first = ropts_parse(&o, argc, argv, opts, &usage);
	if (first == -2)
		return EXIT_OK;
	if (first < 0)
		return EXIT_TROUBLE;
	if (first >= argc) {
		fprintf(stderr, "drip merge: missing FILE\nTry 'drip merge --help'.\n");
		goto done;
	}
	if ((!o.output || !strcmp(o.output, "-")) && isatty(1)) {
		fprintf(stderr, "drip merge: refusing to write a profile to a terminal; use -o FILE\n");
		goto done;
	}
	p = session_load((const char *const *)argv + first, argc - first, &o.load, &o.r);
	if (!p) {
		err_print();
		goto done;
	}
	pprof_encode(p, &raw);
	profile_free(p);
	if (gzip_bytes(&raw, &gz) < 0 || output_open(&out, o.output) < 0) {
		err_print();
		goto done;
	}
	if (gz.len && fwrite(gz.data, 1, gz.len, out.f) != gz.len) {
		err_write(errno); /* the reason now: closing would lose it */
		output_report(&out);
		output_close(&out, 0);
		goto done;
	}
	if (output_close(&out, 1) < 0) {
		err_print();
		goto done;
	}
	rc = EXIT_OK;
done:
	buf_release(&raw);
	buf_release(&gz);
	ropts_release(&o);
	return rc;
}
