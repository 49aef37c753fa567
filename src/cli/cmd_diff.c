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

static const struct popt_usage usage = {
	"diff", "[OPTIONS] BASE NEW\n[OPTIONS] BASE... -- NEW...\n[OPTIONS] --base=BASE [--base=BASE...] NEW...",
	"Compare two snapshots: one row per node with its base and new values, the\n"
	"delta (new - base, pprof -top -diff_base's value) and the delta as a percentage\n"
	"of the base total, sorted by |delta|, then the totals.  Nodes only in NEW are\n"
	"marked [new], nodes only in BASE [gone].  Several files on a side are merged.\n"
	"--normalize scales NEW to BASE's total first.  --cum measures cumulative values.\n"
	"Rows zero on both sides (callers with no flat value) are left out, and\n"
	"counted under the table; --all shows them.\n"
	"--format=json writes the drip.diff/1 document (see docs/json.md).\n",
	NULL,
};

int cmd_diff(int argc, char **argv)
{
	struct ropts o;
	struct diff_inputs di;
	struct report r;
	struct diff_report d;
	struct output out;
	const char **bases = NULL;
	char **news;
	int first, nbases, nnews, rc = EXIT_TROUBLE, json = 0;
	struct popt opts[] = {
		POPT_GROUP(RG_SAMPLE), ROPTS_SAMPLE(&o), ROPTS_GRAN(&o),
		POPT_GROUP(RG_TRIM), ROPTS_SORT(&o), ROPTS_TRIM(&o), ROPTS_DROP_NEGATIVE(&o),
		POPT_GROUP(RG_FILTER), ROPTS_FILTER(&o), ROPTS_RELPCT(&o), ROPTS_ALL_FRAMES(&o),
		POPT_GROUP("Comparing (BASE may also be given as --diff-base or --base; repeatable):"),
		ROPTS_BASES(&o), ROPTS_NORMALIZE(&o),
		POPT_GROUP(RG_OUTPUT),
		POPT_STRING(0, "format", &o.format, "text|json", "text (default), or json (drip.diff/1)"),
		POPT_BOOL(0, "all", &o.r.all_rows, "also the rows zero on both sides"),
		ROPTS_COLOR(&o), ROPTS_UNIT(&o), ROPTS_COMPACT(&o), ROPTS_ADD_COMMENT(&o), ROPTS_OUTPUT(&o), ROPTS_VERBOSE(&o),
		POPT_GROUP(RG_INPUT), ROPTS_INPUT(&o), ROPTS_PPROF_IGNORED,
		POPT_END(),
	};

	memset(&di, 0, sizeof(di));
	ropts_init(&o);
	first = ropts_parse(&o, argc, argv, opts, &usage);
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
	if (ropts_operands(&o, argc, argv, first, true, &bases, &nbases, &news, &nnews) < 0)
		goto done;
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
	diff_inputs_release(&di);
	free(bases);
	ropts_release(&o);
	return rc;
}
