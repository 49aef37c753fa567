/* report_diff: the per-node comparison behind `drip diff` and `drip
 * check`.  The input is one profile made by profile_diff() with base
 * samples tagged pprof::base (as pprof's -diff_base), so that the graph,
 * trimming, sort order and delta values are exactly pprof's; the base and
 * new columns come from the same node table, accumulated over the base
 * samples and the new samples alone. */
#ifndef DRIP_REPORT_DIFF_H
#define DRIP_REPORT_DIFF_H
#include <stdint.h>
#include <stdio.h>

#include "graph.h"
#include "owner.h"
#include "report.h"

enum diff_status { DS_GREW, DS_SHRANK, DS_SAME, DS_NEW, DS_GONE };

const char *diff_status_name(enum diff_status s); /* "grew", "new", ... */
/* "functions", "lines", ...: the --granularity spelling. */
const char *granularity_name(enum granularity g);

struct diff_row {
	uint32_t node;           /* index into d->g->nodes */
	const char *name;        /* printable name (interned) */
	enum inline_kind inline_kind; /* pprof's inline mark of the node */
	int64_t base_flat, base_cum, new_flat, new_cum;
	int64_t flat, cum;       /* deltas, as pprof computes them */
	enum diff_status status;
	/* with report_opts.owners, any granularity but files: the owner
	 * of the row's function as an allocation site (leaf) in NEW
	 * (owner.h); owner.func NULL when none, or when the function is
	 * the program's own */
	struct owner owner;
};

struct diff_report {
	struct graph *g;        /* owned */
	struct trim_result tr;
	struct diff_row *rows;  /* owned; in report order */
	size_t nrows;
	int64_t base_total, new_total; /* sums of the selected sample type */
	int64_t shown_delta;    /* sum of the shown rows' flat deltas */
	size_t hidden_rows;     /* rows zero on both sides, not shown (no --all) */
	bool cum;               /* rows measured (and sorted) by cum */
};

/* diff_report_build: r was report_init()ed on a profile_diff() result.
 * Returns 0 (d filled; release with diff_report_release). */
int diff_report_build(struct report *r, struct diff_report *d);
/* diff_report_build_split: the same report from session_load_diff()'s
 * split inputs (r report_init()ed on di->header). */
struct diff_inputs;
int diff_report_build_split(struct report *r, const struct diff_inputs *di, struct diff_report *d);
void diff_report_release(struct diff_report *d);

/* The measured base/new/delta of a row (flat, or cum when d->cum). */
int64_t diff_row_base(const struct diff_report *d, const struct diff_row *row);
int64_t diff_row_new(const struct diff_report *d, const struct diff_row *row);
int64_t diff_row_delta(const struct diff_report *d, const struct diff_row *row);

/* Text and JSON (schema drip.diff/1) renderings.  base_files/new_files
 * name the inputs for the header. */
void diff_report_text(struct report *r, const struct diff_report *d, const char *const *base_files, int nbase,
		      const char *const *new_files, int nnew, FILE *f);
void diff_report_json(struct report *r, const struct diff_report *d, const char *const *base_files, int nbase,
		      const char *const *new_files, int nnew, FILE *f);

#endif
