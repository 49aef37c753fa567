/* report_html: `drip report`, one self-contained HTML page with what
 * drip knows about a set of profiles: a summary of each input, a top
 * table per sample type (or base/new/delta with a base), a flame graph
 * with icicle, zoom, search and sandwich views, the call graph as SVG,
 * and goroutine groups.  The page has no external resources: its CSS
 * and JavaScript (src/lib/html/) are inline, allowed by a
 * Content-Security-Policy of their SHA-256 hashes, and its data is one
 * JSON document in a non-executed <script type="application/json">.
 * The same inputs give the same bytes. */
#ifndef DRIP_REPORT_HTML_H
#define DRIP_REPORT_HTML_H
#include <stdio.h>

#include "gate.h"
#include "leaks.h"
#include "profile.h"
#include "report.h"

/* One input file as given (unfiltered), for the summary and the series
 * chart.  Both borrowed for the call. */
struct html_snap {
	const char *name;
	const struct profile *prof;
};

struct html_input {
	const struct html_snap *snaps; /* the inputs, in series order */
	size_t nsnaps;
	const struct html_snap *bases; /* --base files; nbases 0 without */
	size_t nbases;
	/* What the tables, flame graph and call graph show (borrowed):
	 * prof is NEW, loaded and filtered as `drip top` loads it; with a
	 * base, base is BASE loaded the same way and diff is NEW - BASE as
	 * `drip diff` (pprof's -diff_base) builds it. */
	struct profile *prof;
	const char *const *prof_files; /* the files prof was loaded from */
	int nprof_files;
	struct profile *base, *diff;
	const char *const *base_files;
	int nbase_files;
	/* A `drip check` run over diff (evaluated), or NULL: the page then
	 * opens with its verdict, rules and contributors. */
	const struct gate *gate;
	/* The leaks analysis of a series (3+ snapshots), or NULL; when it
	 * could not be made, leaks_error says why (shown as a warning). */
	const struct leaks_result *leaks;
	const char *leaks_error;
};

struct html_opts {
	const char *title;      /* NULL: "drip report" */
	double minwidth_pct;    /* flame frames under this % of the total are pruned */
	int graph_nodecount;    /* nodes of the call graph (drip graph's 80) */
	const char *command;    /* the command line, shown in the page; NULL: none */
};

/* html_report_write: the page for in, with ro's sample type, granularity,
 * trimming and filters (ro->sample_index picks the type shown first).
 * Returns 0, or -1 with err_set(). */
int html_report_write(const struct html_input *in, const struct report_opts *ro, const struct html_opts *ho,
		      FILE *out);

#endif
