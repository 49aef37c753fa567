/* drip fetch: save a profile from a live service exactly as served. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "error.h"
#include "fetch.h"
#include "load.h"
#include "options.h"
#include "output.h"
#include "session.h"

static const struct popt_usage usage = {
	"fetch", "[OPTIONS] URL -o FILE",
	"Fetch a profile from a running Go service's net/http/pprof endpoint and\n"
	"save it exactly as served (to share, diff or attach to a bug).  URL is\n"
	"http[s]://host:port/debug/pprof/NAME, host:port/debug/pprof/NAME, or\n"
	"host:port (= /debug/pprof/heap).  Heap endpoints are asked for a GC first\n"
	"(gc=1) unless --no-gc; goroutine endpoints for debug=2 unless the URL has\n"
	"a debug= parameter.  The body is checked to be a profile drip can read\n"
	"before it is saved.\n",
	NULL,
};

int cmd_fetch(int argc, char **argv)
{
	struct ropts o;
	struct buf body = BUF_INIT;
	struct output out;
	struct profile *p;
	char *url;
	int first, rc = EXIT_TROUBLE;

	struct popt opts[] = {
		POPT_GROUP(RG_OUTPUT), ROPTS_OUTPUT(&o),
		POPT_GROUP("Fetching:"), ROPTS_INPUT(&o),
		POPT_END(),
	};

	ropts_init(&o);
	first = ropts_parse(&o, argc, argv, opts, &usage);
	if (first == -2)
		return EXIT_OK;
	if (first < 0)
		return EXIT_TROUBLE;
	if (argc - first != 1) {
		fprintf(stderr, "drip fetch: want exactly one URL\nTry 'drip fetch --help'.\n");
		return EXIT_TROUBLE;
	}
	if ((!o.output || !strcmp(o.output, "-")) && isatty(1)) {
		fprintf(stderr, "drip fetch: refusing to write a profile to a terminal; use -o FILE\n");
		return EXIT_TROUBLE;
	}
	url = fetch_expand_url(argv[first], &o.load.src);
	if (fetch_url(url, &o.load.src, &body) < 0) {
		err_prefix("cannot read '%s'", url);
		err_print();
		goto done;
	}
	/* Refuse to save what drip cannot read (an error page, say). */
	p = load_profile_bytes(url, (const unsigned char *)(body.data ? body.data : ""), body.len, &o.load.src);
	if (!p) {
		err_print();
		goto done;
	}
	profile_free(p);
	if (output_open(&out, o.output) < 0) {
		err_print();
		goto done;
	}
	if (body.len)
		fwrite(body.data, 1, body.len, out.f);
	if (output_close(&out, 1) < 0) {
		err_print();
		goto done;
	}
	rc = EXIT_OK;
done:
	free(url);
	buf_release(&body);
	ropts_release(&o);
	return rc;
}
