/* report: pprof's text reports over one (possibly merged / filtered)
 * profile: top (pprof -text), tree, peek, traces, tags, and the header
 * lines they share. */
#ifndef DRIP_REPORT_H
#define DRIP_REPORT_H
#include <stdint.h>
#include <stdio.h>

#include "filter.h"
#include "graph.h"
#include "profile.h"

/* report_opts: what shapes a report of one profile: the sample type,
 * the graph's granularity and trimming, units, and the filters that were
 * applied (named in the report's header lines).  Strings borrowed. */
struct report_opts {
	const char *sample_index; /* NULL: the profile's default */
	enum granularity gran;
	bool noinlines;
	bool cum;
	int nodecount;            /* -1: the report's default */
	double nodefraction, edgefraction;
	bool relative_percentages;
	const char *unit;         /* "minimum" by default, as pprof */
	bool compact_labels;
	bool call_tree;
	bool drop_negative;
	bool normalize;           /* the profile is a --normalize'd diff */
	bool all_rows;            /* diff: also rows zero on both sides */
	bool owners;              /* diff: find each row's owner (owner.h) */
	bool color;               /* text: grew/shrank in colour (color.h) */
	bool drip_palette;        /* DOT: color.h's red/blue, not pprof's red/green */
	const char *title;
	struct filter_opts filter;
	/* What the profile was compared with, for JSON reports: */
	const char *base_mode;           /* "diff_base", "base" or NULL */
	const char *const *base_files;
	int nbase_files;
};

/* report_opts_init: pprof's defaults (functions, nodefraction 0.005,
 * edgefraction 0.001, unit minimum, nodecount -1). */
void report_opts_init(struct report_opts *o);

struct report {
	struct profile *prof;     /* borrowed */
	const struct report_opts *o; /* borrowed */
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
int report_init(struct report *r, struct profile *p, const struct report_opts *o);

/* Format a value in the report's output unit (pprof's formatValue). */
char *report_fmt(const struct report *r, int64_t v, char *out, size_t n);

/* pprof's selectOutputUnit for --unit=minimum over a trimmed graph. */
void report_select_unit(struct report *r, const struct graph *g);

/* Print the profile header lines (File:, Type:, Time:, Duration:). */
void report_profile_labels(const struct report *r, FILE *f);

/* Build and trim the graph as pprof's newTrimmedGraph; caller frees. */
struct graph *report_graph(struct report *r, bool visual, struct trim_result *tr);
/* The graph of `drip top`: report_graph's nodes, values and order, with
 * only the edges its "(inline)" marks need (faster).  Caller frees. */
struct graph *report_top_graph(struct report *r, struct trim_result *tr);

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
