/* drip diff: what grew between snapshots: per node base, new, delta and
 * delta% (of the base total), sorted by |delta| as pprof -top
 * -diff_base sorts, with the totals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "error.h"
#include "report.h"
#include "report_diff.h"
#include "options.h"
#include "output.h"
#include "session.h"
#include "xalloc.h"

static const char usage[] =
	"usage: drip diff [OPTIONS] BASE NEW\n"
	"   or: drip diff [OPTIONS] BASE... -- NEW...\n"
	"   or: drip diff [OPTIONS] --base=BASE [--base=BASE...] NEW...\n"
	"Compare two snapshots: one row per node with its base and new values, the\n"
	"delta (new - base, pprof -top -diff_base's value) and the delta as a percentage\n"
	"of the base total, sorted by |delta|, then the totals.  Nodes only in NEW are\n"
	"marked [new], nodes only in BASE [gone].  Several files on a side are merged.\n"
	"--normalize scales NEW to BASE's total first.  --cum measures cumulative values.\n"
	"Rows zero on both sides (callers with no flat value) are left out, and\n"
	"counted under the table; --all shows them.\n"
	"--format=json writes the drip.diff/1 document (see docs/json.md).\n\n";

/* A malloc'ed copy of n file names (pointers borrowed from argv). */
static const char **xbases_dup(const char *const *v, int n)
{
	const char **r = xreallocarray(NULL, (size_t)n + 1, sizeof(*r));

	if (n > 0)
		memcpy(r, v, (size_t)n * sizeof(*r));
	return r;
}

/* split_operands: operands after a literal "--" in the original argv are the
 * new side.  Returns the number of base operands at ops[0..), or -1. */
static int split_operands(char **ops, int nops, char *const *after, int nafter)
{
	int i, k, nbase = 0;

	/* ops keeps the command-line order of operands (getopt permutes
	 * options, not the operands' relative order) */
	for (i = 0; i < nops; i++) {
		bool is_after = false;
		for (k = 0; k < nafter; k++)
			if (ops[i] == after[k])
				is_after = true;
		if (is_after)
			break;
		nbase++;
	}
	return nbase;
}

int cmd_diff(int argc, char **argv)
{
	struct ropts o;
	struct diff_inputs di;
	struct report r;
	struct diff_report d;
	struct output out;
	char **after = NULL;
	const char **bases = NULL;
	char **news;
	int first, i, nafter = 0, nbases, nnews, rc = EXIT_TROUBLE, json = 0;

	memset(&di, 0, sizeof(di));

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			after = argv + i + 1;
			nafter = argc - i - 1;
			break;
		}
	ropts_init(&o);
	first = ropts_parse(&o, argc, argv, usage);
	if (first == -2)
		return EXIT_OK;
	if (first < 0)
		return EXIT_TROUBLE;
	if (o.format && strcmp(o.format, "json") == 0)
		json = 1;
	else if (o.format && strcmp(o.format, "text") != 0) {
		fprintf(stderr, "drip diff: unknown format '%s' (want text or json)\n", o.format);
		goto done;
	}
	if (o.load.nbase > 0 && o.load.ndiff_base > 0) {
		fprintf(stderr, "drip diff: give the base with --base or --diff-base, not both\n");
		goto done;
	}
	if (o.load.nbase > 0 || o.load.ndiff_base > 0) {
		if (after) {
			fprintf(stderr, "drip diff: '--' and --base cannot be combined\n");
			goto done;
		}
		nbases = o.load.nbase > 0 ? o.load.nbase : o.load.ndiff_base;
		bases = xbases_dup(o.load.nbase > 0 ? o.load.base : o.load.diff_base, nbases);
		news = argv + first;
		nnews = argc - first;
	} else if (after) {
		nbases = split_operands(argv + first, argc - first, after, nafter);
		bases = xbases_dup((const char **)argv + first, nbases);
		news = argv + first + nbases;
		nnews = argc - first - nbases;
	} else {
		if (argc - first != 2) {
			fprintf(stderr, "drip diff: want BASE and NEW (or BASE... -- NEW..., or --base=BASE NEW...)\n"
					"Try 'drip diff --help'.\n");
			goto done;
		}
		nbases = 1;
		bases = xbases_dup((const char **)argv + first, 1);
		news = argv + first + 1;
		nnews = 1;
	}
	if (nbases == 0 || nnews == 0) {
		fprintf(stderr, "drip diff: missing %s file\nTry 'drip diff --help'.\n", nbases == 0 ? "BASE" : "NEW");
		goto done;
	}
	/* drip diff always compares as pprof's -diff_base */
	ropts_release(&o);
	o.load.base = NULL;
	o.load.nbase = 0;
	o.load.diff_base = bases;
	o.load.ndiff_base = nbases;
	bases = NULL;
	if (session_load_diff((const char *const *)news, nnews, &o.load, &o.r, &di) < 0 ||
	    report_init(&r, di.merged ? di.merged : di.header, &o.r) < 0) {
		err_print();
		goto done;
	}
	if (output_open(&out, o.output) < 0) {
		err_print();
		goto done;
	}
	o.r.color = color_wanted(o.color, out.f);
	if (di.merged)
		diff_report_build(&r, &d);
	else
		diff_report_build_split(&r, &di, &d);
	if (json)
		diff_report_json(&r, &d, o.load.diff_base, o.load.ndiff_base, (const char *const *)news, nnews, out.f);
	else
		diff_report_text(&r, &d, o.load.diff_base, o.load.ndiff_base, (const char *const *)news, nnews, out.f);
	diff_report_release(&d);
	if (output_close(&out, 1) < 0) {
		err_print();
		goto done;
	}
	rc = EXIT_OK;
done:
	diff_inputs_free(&di);
	free(bases);
	ropts_release(&o);
	return rc;
}
