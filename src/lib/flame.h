/* flame: flame graphs from profiles: a trie of stacks ("folded stacks")
 * built from one or two profiles, written as Brendan Gregg's folded
 * text, as speedscope's JSON file format, or as a self-contained
 * interactive SVG (plain or differential).
 *
 * Frames are the printable names of the call graph's node table
 * (graph.h), so granularity and inlining agree with `drip top`: an
 * inlined call is its own frame.  Frame names are interned, so the trie
 * of a BASE and a NEW profile combine by pointer.
 *
 * The trie has ncols value columns: a column is one sample type of one
 * profile (a diff uses column 0 for BASE and 1 for NEW). */
#ifndef DRIP_FLAME_H
#define DRIP_FLAME_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "graph.h"
#include "profile.h"

struct flame;

struct flame_build_opts {
	enum granularity gran;
	bool noinlines;
	bool reverse; /* merge stacks from the leaf: leaf is the root frame */
};

/* flame_new: an empty trie with ncols value columns; caller frees. */
struct flame *flame_new(size_t ncols);
void flame_free(struct flame *f); /* accepts NULL */

/* flame_add: insert every sample of p (borrowed; only during the call)
 * with a non-empty stack.  For i < n, value sidx[i] of each sample goes
 * to column cols[i], multiplied by scale[i] and rounded as pprof's
 * ScaleN (scale NULL: exact).  Samples whose values are all zero add
 * nothing.  Returns 0, or -1 with err_set() when the trie would pass
 * 2^32 - 1 nodes (the samples added before then stay). */
int flame_add(struct flame *f, const struct profile *p, const struct flame_build_opts *o,
	      const int *sidx, const size_t *cols, const double *scale, size_t n);

/* flame_finish: sort every node's children by name; call once after the
 * last flame_add and before writing. */
void flame_finish(struct flame *f);

/* flame_set_limit: at most max_nodes nodes, the root included (for
 * tests of the limit; the default is 2^32 - 2, what node ids allow). */
void flame_set_limit(struct flame *f, size_t max_nodes);

/* Number of nodes, the root included (for tests and statistics). */
size_t flame_nodes(const struct flame *f);

/* flame_write_folded: one line per distinct stack "root;...;leaf V" in
 * name order, with V the column cols[0] (and " V2" for each further
 * column: flamegraph.pl's differential input when ncols is 2).  Stacks
 * whose listed values are all zero are left out.  ';' in names becomes
 * ':' and control characters '?', so lines stay parseable.  Returns 0,
 * or -1 with err_set() on a write error. */
int flame_write_folded(const struct flame *f, const size_t *cols, size_t ncols, FILE *out);

/* flame_write_speedscope: speedscope's file format
 * (https://www.speedscope.app/file-format-schema.json), one "sampled"
 * profile per column, named and united by types[col]; the viewer opens
 * profile number active first.  f must be finished (flame_finish).
 * Returns 0 or -1. */
int flame_write_speedscope(const struct flame *f, const struct pf_valtype *types, size_t ntypes,
			   const char *name, int active, FILE *out);

enum flame_diff_mode { FLAME_DIFF_SELF, FLAME_DIFF_TOTAL };

struct flame_svg_opts {
	const char *title;      /* NULL: "Flame Graph" */
	const char *subtitle;   /* NULL: none */
	const char *unit;       /* unit of the values ("bytes", "count", ...) */
	int width;              /* pixels; 0: fluid (100% of the window) */
	double minwidth;        /* frames narrower than this are merged/dropped */
	bool minwidth_pct;      /* minwidth is a percentage of the total */
	bool inverted;          /* icicle: root at the top */
	bool diff;              /* columns 0 (BASE) and 1 (NEW) */
	enum flame_diff_mode diff_mode;
	size_t col;             /* the column drawn when !diff */
};

/* Statistics of the last SVG written (for -v and tests). */
struct flame_svg_stats {
	size_t frames, merged, dropped;
	int64_t total;
	int max_depth;
};

/* flame_write_svg: the interactive SVG.  Returns 0, or -1 with
 * err_set().  st may be NULL. */
int flame_write_svg(const struct flame *f, const struct flame_svg_opts *o, FILE *out,
		    struct flame_svg_stats *st);

/* The package of a Go function name ("github.com/a/b.(*T).M" ->
 * "github.com/a/b"), into out (size n). */
void flame_package(const char *name, char *out, size_t n);

#endif
