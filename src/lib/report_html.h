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
 * chart: what html_snap_init() keeps of its profile, a few numbers per
 * sample type, so that drip watch can keep one per snapshot of a long
 * watch without keeping the profiles. */
struct html_snap_type {
	const char *type, *unit; /* interned */
	int64_t total;
};
struct html_snap {
	char *name;              /* owned */
	const char *format;      /* profile_format_name()'s, static */
	struct html_snap_type *types; /* ntypes (owned) */
	size_t ntypes;
	int dflt;                /* the default sample type's index */
	int64_t period;
	struct pf_valtype period_type;
	int64_t time_nanos, duration_nanos; /* 0: unknown */
	size_t nsamples;
	const char **comments;   /* ncomments, interned (the array owned) */
	size_t ncomments;
};

/* html_snap_init: the summary of p (unfiltered, as loaded), named name
 * (copied); p is not kept.  Release with html_snap_release. */
void html_snap_init(struct html_snap *s, const char *name, const struct profile *p);
void html_snap_release(struct html_snap *s);

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
	/* drip watch's heap page of a service whose goroutines it watches
	 * too: the joined findings as text (leaks_joint_write_text), shown
	 * in the leaks section; NULL: none. */
	const char *leaks_joined;
};

struct html_opts {
	const char *title;      /* NULL: "drip report" */
	double minwidth_pct;    /* flame frames under this % of the total are pruned */
	int graph_nodecount;    /* nodes of the call graph (drip graph's 80) */
	const char *command;    /* the command line, shown in the page; NULL: none */
	/* drip watch's page: the round it was written after (0: not a
	 * watch), the folder of the snapshots and the URL watched */
	int watch_round;
	const char *watch_dir, *watch_url;
};

/* html_report_write: the page for in, with ro's sample type, granularity,
 * trimming and filters (ro->sample_index picks the type shown first).
 * Returns 0, or -1 with err_set(). */
int html_report_write(const struct html_input *in, const struct report_opts *ro, const struct html_opts *ho,
		      FILE *out);

#endif
