/* graph: pprof's call graph (internal/graph) over a struct profile.
 *
 * Nodes are keyed like pprof's NodeInfo (name, address, file, start
 * line, line, object file) after the granularity has been applied, so
 * node identity, values and edges agree with pprof's.  The node table
 * is built once per profile; graph_accumulate() then (re)computes flat,
 * cum and edges for a set of kept nodes, which is how pprof's repeated
 * "rebuild with KeptNodes" trimming is done here without re-walking
 * locations. */
#ifndef DRIP_GRAPH_H
#define DRIP_GRAPH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

enum granularity {
	GRAN_FUNCTIONS,
	GRAN_FILEFUNCTIONS,
	GRAN_FILES,
	GRAN_LINES,
	GRAN_ADDRESSES,
};

/* Parse "functions", "filefunctions", "files", "lines", "addresses";
 * returns -1 on anything else. */
int granularity_parse(const char *s);

struct node_info {
	const char *name;    /* interned, "" when none */
	uint64_t address;
	const char *file;    /* interned, cleaned path, "" when none */
	int64_t start_line, lineno;
	const char *objfile; /* interned, "" when none */
};

struct gnode {
	struct node_info info;
	const char *pname; /* printable name (interned) */
	int64_t flat, flat_div, cum, cum_div;
	uint32_t stamp;     /* last sample that touched cum (build only) */
	bool kept;          /* present in the current build */
	uint32_t *in, *out; /* edge indexes (after graph_link); owned */
	uint32_t nin, nout;
};

struct gedge {
	uint32_t src, dst; /* node indexes */
	int64_t weight, weight_div;
	bool residual, inline_, deleted;
	uint32_t stamp;
};

struct graph_opts {
	int sample_index;         /* which value of a sample */
	int mean_index;           /* divisor value index, or -1 */
	enum granularity gran;
	bool noinlines;
	bool drop_negative;
	/* inline_edges_only: only the edges into nodes that are inlined
	 * somewhere (all a top report needs, for its "(inline)" marks).
	 * When no kept node is such a node, trimming needs no second walk
	 * over the samples: a kept node's flat and cum do not depend on
	 * which other nodes are kept. */
	bool inline_edges_only;
};

/* A tag: pprof's Tag in a node's LabelTags (numeric false: name is the
 * sample's joined "key:value" labels) or NumericTags[labels] (numeric
 * true: name is the formatted "bytes" value). */
struct gtag {
	uint32_t node;
	bool numeric, trimmed;
	const char *labels; /* interned joined labels, "" for none */
	const char *name;   /* interned */
	const char *unit;   /* interned; "" for label tags */
	int64_t value;
	int64_t flat, flat_div, cum, cum_div;
};

struct graph {
	const struct profile *prof; /* borrowed */
	struct graph_opts opts;

	struct gnode *nodes; /* every node of the profile */
	size_t nnodes, cap_nodes;
	struct gedge *edges;
	size_t nedges, cap_edges;

	/* Per location: its node indexes, caller last (one per line after
	 * aggregation; one for a location without lines). */
	uint32_t *loc_first, *loc_count, *loc_nodes;

	/* The current graph: indexes of nodes, in report order. */
	uint32_t *order;
	size_t norder;

	/* Tags (graph_tags.c), only for visual graphs of profiles with
	 * labels: tags[tag_first[n] .. +tag_count[n]) belong to node n. */
	struct gtag *tags;
	size_t ntags;
	uint32_t *tag_first, *tag_count; /* per node; NULL without tags */
	bool tree;                       /* built by graph_build_tree() */
	/* Tree only: each tree node's parent when built, and each sample's
	 * last tree node (PF_NONE when none), for computing tags later. */
	uint32_t *tree_parent, *sample_leaf;

	/* Optional (caller-owned, nnodes each): a keep_all accumulation
	 * stores the first profile's flat and cum alone in snap_flat and
	 * snap_cum, and all profiles' in snap_all_flat and snap_all_cum. */
	int64_t *snap_flat, *snap_cum, *snap_all_flat, *snap_all_cum;

	void *impl; /* hash tables */
};

/* graph_new: build the node table of p (borrowed; must outlive g). */
struct graph *graph_new(const struct profile *p, const struct graph_opts *o);
void graph_free(struct graph *g); /* accepts NULL */
/* graph_new_multi: one node table for several profiles (node keys are
 * interned, so equal nodes of different profiles are one node);
 * graph_accumulate() walks the samples of all of them, in order, as if
 * they were one profile's.  g->prof and g->loc_* are the first
 * profile's: call trees, tags and flame graphs see only that one. */
struct graph *graph_new_multi(const struct profile *const *ps, size_t n, const struct graph_opts *o);

/* graph_accumulate: compute flat/cum/edges over all samples, with only
 * nodes whose kept flag is set (all nodes when keep_all); then set
 * order[] to the nodes with a non-zero value (pprof's
 * selectNodesForGraph), in table order.  Edge lists are linked. */
void graph_accumulate(struct graph *g, bool keep_all);

/* graph_values: every node's flat and cum for the sample types
 * idx[0..n) in one walk over the samples, with every node kept and no
 * edges: flat[node * n + k] and cum[node * n + k] (g->nnodes * n each,
 * caller-allocated) get what graph_accumulate(g, true) with
 * sample_index idx[k] and no mean_index gives the node.  For analyses
 * that need a node's values under several sample types (drip leaks),
 * not the graph.  g from graph_new() (one profile).  cum may be NULL:
 * flat only, without walking each stack past its innermost node. */
void graph_values(const struct graph *g, const int *idx, size_t n, int64_t *flat, int64_t *cum);

/* Sort order[]: pprof's FlatNameOrder (cum=false) or CumNameOrder, or
 * EntropyOrder (visual). */
void graph_sort(struct graph *g, bool cum, bool visual);

/* Sorted live edge lists of a node (pprof's EdgeMap.Sort): fills *out
 * (caller frees) and returns the count. */
size_t graph_in_sorted(const struct graph *g, uint32_t node, uint32_t **out);
size_t graph_out_sorted(const struct graph *g, uint32_t node, uint32_t **out);

/* pprof's TrimLowFrequencyEdges: delete edges with |weight| < cutoff;
 * returns how many. */
int graph_trim_edges(struct graph *g, int64_t cutoff);
/* pprof's RemoveRedundantEdges (for visual output). */
void graph_remove_redundant_edges(struct graph *g);

/* Trimming options, as pprof's report options. */
struct trim_opts {
	int nodecount;       /* 0 = no limit */
	double nodefraction, edgefraction;
	bool cum;            /* sort by cum */
	bool visual;         /* DOT: entropy order, redundant edges removed */
	bool tags;           /* compute node tags (visual graphs) */
	bool call_tree;      /* pprof's -call_tree: a tree, trimmed as a tree */
	const char *tag_unit; /* output unit for numeric tag names ("minimum") */
};

struct trim_result {
	int orig_count, dropped_nodes, dropped_edges;
	int64_t node_cutoff, edge_cutoff;
};

/* graph_trim: pprof's newTrimmedGraph on a graph_new()'d graph. */
void graph_trim(struct graph *g, const struct trim_opts *t, struct trim_result *r);

/* ---- tags (graph_tags.c) ---- */

/* graph_tags: (re)compute the tags of the nodes of the current graph
 * (pprof's LabelTags / NumericTags of "bytes" labels, numeric names
 * formatted in unit), then drop those under cutoff (pprof's
 * TrimLowFrequencyTags).  A no-op for a profile without labels. */
void graph_tags(struct graph *g, const char *unit, int64_t cutoff);
/* graph_trim_tags: mark tags with |flat| and |cum| under cutoff. */
void graph_trim_tags(struct graph *g, int64_t cutoff);
/* pprof's countTags: the node's kept tags with a non-zero flat value. */
int graph_count_tags(const struct graph *g, uint32_t node);
void graph_tags_release(struct graph *g);
/* Does any sample carry tags that a graph would show? */
bool graph_profile_has_tags(const struct profile *p);

/* ---- call tree (graph_tree.c) ---- */

/* graph_build_tree: turn a graph_new()'d graph into pprof's call tree
 * (newTree): one node per distinct path from a root; order[] is set.
 * Tags are computed later (graph_tags), only for nodes that are drawn. */
void graph_build_tree(struct graph *g);
/* pprof's TrimTree: keep only nodes with kept set, reattaching children
 * to their nearest kept ancestor with residual edges. */
void graph_trim_tree(struct graph *g);

/* pprof's selectTopNodes in visual mode: computes the tags of the sorted
 * graph and returns how many nodes fit in max when tags count as nodes. */
size_t graph_visual_count(struct graph *g, const struct trim_opts *t, const struct trim_result *r, size_t max);

/* Relink the in/out edge lists from the live edges. */
void graph_link(struct graph *g);

/* pprof's ShortenFunctionName: "github.com/x/y.(*T).M" -> "y.(*T).M",
 * Java and C++ names shortened likewise.  Returns an interned string. */
const char *shorten_function_name(const char *f);

/* Node value helpers (pprof's FlatValue/CumValue). */
int64_t gnode_flat(const struct gnode *n);
int64_t gnode_cum(const struct gnode *n);

/* pprof's inline mark of a node in text reports, from its in-edges:
 * none, inline (every in-edge inlined) or partial (some are). */
enum inline_kind { INLINE_NONE, INLINE_FULL, INLINE_PARTIAL };
enum inline_kind gnode_inline(const struct graph *g, const struct gnode *n);
/* The mark as pprof prints it after a name: "", " (inline)" or
 * " (partial-inline)". */
const char *inline_suffix(enum inline_kind k);

/* printable name of a node_info (pprof's PrintableName), interned. */
const char *node_info_name(const struct node_info *ni);

/* Go's filepath.Clean, into out (size >= strlen(path)+2). */
void clean_path(const char *path, char *out);

#endif
