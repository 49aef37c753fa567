/* report: pprof's text reports over one (possibly merged / filtered)
 * profile: top (pprof -text), tree, peek, traces, tags, and the header
 * lines they share. */
#ifndef DRIP_REPORT_H
#define DRIP_REPORT_H
#include <stdint.h>
#include <stdio.h>

#include "graph.h"
#include "options.h"
#include "profile.h"

struct report {
	struct profile *prof;     /* borrowed */
	const struct ropts *o;    /* borrowed */
	int si;                   /* sample index */
	const char *sample_type;  /* "inuse_space" */
	char sample_unit[64];     /* lower-cased unit of the sample type */
	char output_unit[64];     /* after --unit=minimum resolution */
	int64_t total;            /* pprof's report total */
	const char *source_name;  /* for messages */
};

/* report_init: select the sample index and compute the total as pprof's
 * report.New does (absolute values; only base samples for diff-base),
 * of the profile as it was before the filters unless
 * --relative-percentages (profile.h: unfiltered_totals).
 * Returns 0, or -1 with err_set(). */
int report_init(struct report *r, struct profile *p, const struct ropts *o);

/* Format a value in the report's output unit (pprof's formatValue). */
char *report_fmt(const struct report *r, int64_t v, char *out, size_t n);

/* pprof's selectOutputUnit for --unit=minimum over a trimmed graph. */
void report_select_unit(struct report *r, const struct graph *g);

/* Print the profile header lines (File:, Type:, Time:, Duration:). */
void report_profile_labels(const struct report *r, FILE *f);

/* Build and trim the graph as pprof's newTrimmedGraph; caller frees. */
struct graph *report_graph(struct report *r, bool visual, struct trim_result *tr);

/* pprof's reportLabels: header + "Showing nodes accounting for ..."
 * (pprof passes dropped_edges only for graphs: text reports pass 0). */
void report_labels(const struct report *r, const struct graph *g, const struct trim_result *tr,
		   int dropped_edges, bool full_headers, FILE *f);

int report_top(struct report *r, FILE *f);
/* peek_re: NULL for `tree`, a regex for `peek`.  Returns -1 with
 * err_set() when peek matches nothing. */
int report_tree(struct report *r, const char *peek_re, FILE *f);
int report_traces(struct report *r, FILE *f);
int report_tags(struct report *r, FILE *f); /* report_tags.c */

#endif
