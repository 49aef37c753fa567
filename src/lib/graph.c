#include "graph.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hash.h"
#include "strtab.h"
#include "xalloc.h"

int granularity_parse(const char *s)
{
	static const char *names[] = { "functions", "filefunctions", "files", "lines", "addresses" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

/* Go's path/filepath.Clean for '/'-separated paths (same algorithm). */
void clean_path(const char *path, char *out)
{
	size_t n = strlen(path), r = 0, w = 0, dotdot = 0;
	int rooted = n > 0 && path[0] == '/';

	if (n == 0) {
		strcpy(out, ".");
		return;
	}
	if (rooted) {
		out[w++] = '/';
		r = dotdot = 1;
	}
	while (r < n) {
		if (path[r] == '/') {
			r++;
		} else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/')) {
			r++;
		} else if (path[r] == '.' && path[r + 1] == '.' && (r + 2 == n || path[r + 2] == '/')) {
			r += 2;
			if (w > dotdot) {
				w--;
				while (w > dotdot && out[w] != '/')
					w--;
			} else if (!rooted) {
				if (w > 0)
					out[w++] = '/';
				out[w++] = '.';
				out[w++] = '.';
				dotdot = w;
			}
		} else {
			if ((rooted && w != 1) || (!rooted && w != 0))
				out[w++] = '/';
			while (r < n && path[r] != '/')
				out[w++] = path[r++];
		}
	}
	if (w == 0)
		out[w++] = '.';
	out[w] = 0;
}

static const char *base_name(const char *path, char *tmp, size_t n)
{
	size_t len = strlen(path);
	const char *s;

	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len == 0)
		return ".";
	if (len == 1 && path[0] == '/')
		return "/";
	s = path + len;
	while (s > path && s[-1] != '/')
		s--;
	snprintf(tmp, n, "%.*s", (int)(path + len - s), s);
	return tmp;
}

const char *node_info_name(const struct node_info *ni)
{
	struct buf b = BUF_INIT;
	const char *r;
	char tmp[4096];

	if (ni->address)
		buf_printf(&b, "%016llx", (unsigned long long)ni->address);
	if (*ni->name)
		buf_printf(&b, "%s%s", b.len ? " " : "", ni->name);
	if (ni->lineno)
		buf_printf(&b, "%s%s:%lld", b.len ? " " : "", ni->file, (long long)ni->lineno);
	else if (*ni->file)
		buf_printf(&b, "%s%s", b.len ? " " : "", ni->file);
	else if (*ni->name)
		;
	else if (*ni->objfile)
		buf_printf(&b, "%s[%s]", b.len ? " " : "", base_name(ni->objfile, tmp, sizeof(tmp)));
	else
		buf_printf(&b, "%s<unknown>", b.len ? " " : "");
	r = intern_n(b.data ? b.data : "", b.len);
	buf_release(&b);
	return r;
}

/* ---- node table ---- */

/* The edge index, the hottest lookup of a graph build (once per frame
 * of every sample): open addressing over src<<32|dst keys (EDGE_EMPTY
 * marks a free slot: no edge has both ends PF_NONE), in front of it
 * per source node the last edge found there (deep stacks repeat the
 * same caller -> callee pairs sample after sample). */
#define EDGE_EMPTY UINT64_MAX
struct edge_ix {
	uint64_t *keys;
	uint32_t *vals;
	size_t cap, len;
	uint32_t *last_dst, *last_edge; /* by source node */
	size_t nlast;
};

static void edge_ix_release(struct edge_ix *x)
{
	free(x->keys);
	free(x->vals);
	free(x->last_dst);
	free(x->last_edge);
	memset(x, 0, sizeof(*x));
}

static void edge_ix_grow(struct edge_ix *x)
{
	size_t ncap = x->cap ? x->cap * 2 : 1024, i;
	uint64_t *nk = xreallocarray(NULL, ncap, sizeof(uint64_t));
	uint32_t *nv = xreallocarray(NULL, ncap, sizeof(uint32_t));

	for (i = 0; i < ncap; i++)
		nk[i] = EDGE_EMPTY;
	for (i = 0; i < x->cap; i++) {
		if (x->keys[i] != EDGE_EMPTY) {
			size_t j = hash_mix(x->keys[i]) & (ncap - 1);
			while (nk[j] != EDGE_EMPTY)
				j = (j + 1) & (ncap - 1);
			nk[j] = x->keys[i];
			nv[j] = x->vals[i];
		}
	}
	free(x->keys);
	free(x->vals);
	x->keys = nk;
	x->vals = nv;
	x->cap = ncap;
}

/* The index of edge src->dst; when absent it is recorded as next (the
 * caller appends that edge) and *ins is set. */
static inline uint32_t edge_ix_find(struct edge_ix *x, uint32_t src, uint32_t dst, uint32_t next, int *ins)
{
	uint64_t key = (uint64_t)src << 32 | dst;
	size_t j;

	if (src >= x->nlast) {
		size_t n = (size_t)src + 1024, i;
		x->last_dst = xreallocarray(x->last_dst, n, sizeof(uint32_t));
		x->last_edge = xreallocarray(x->last_edge, n, sizeof(uint32_t));
		for (i = x->nlast; i < n; i++)
			x->last_dst[i] = PF_NONE;
		x->nlast = n;
	}
	*ins = 0;
	if (x->last_dst[src] == dst)
		return x->last_edge[src];
	if ((x->len + 1) * 2 > x->cap)
		edge_ix_grow(x);
	j = hash_mix(key) & (x->cap - 1);
	while (x->keys[j] != EDGE_EMPTY && x->keys[j] != key)
		j = (j + 1) & (x->cap - 1);
	if (x->keys[j] == EDGE_EMPTY) {
		x->keys[j] = key;
		x->vals[j] = next;
		x->len++;
		*ins = 1;
	}
	x->last_dst[src] = dst;
	x->last_edge[src] = x->vals[j];
	return x->vals[j];
}

struct gsource {
	const struct profile *p;
	uint32_t *loc_first, *loc_count, *loc_nodes;
};

struct impl {
	/* open addressing: node index + 1, 0 = empty */
	uint32_t *slots;
	size_t cap;
	struct edge_ix edge_ix; /* src<<32|dst -> edge index */
	uint32_t stamp;
	bool accumulated; /* a keep_all accumulation is current */
	bool *inl_node;   /* inline_edges_only: node is inlined somewhere */
	/* graph_new_multi: the profiles after the first, each with its own
	 * location -> node tables into the one node table. */
	struct gsource *more;
	size_t nmore;
};

static uint64_t info_hash(const struct node_info *k)
{
	uint64_t h = hash_mix((uint64_t)(uintptr_t)k->name);
	h = hash_combine(h, k->address);
	h = hash_combine(h, (uint64_t)(uintptr_t)k->file);
	h = hash_combine(h, (uint64_t)k->start_line);
	h = hash_combine(h, (uint64_t)k->lineno);
	h = hash_combine(h, (uint64_t)(uintptr_t)k->objfile);
	return h;
}

static int info_eq(const struct node_info *a, const struct node_info *b)
{
	return a->name == b->name && a->address == b->address && a->file == b->file &&
	       a->start_line == b->start_line && a->lineno == b->lineno && a->objfile == b->objfile;
}

static void table_grow(struct graph *g)
{
	struct impl *im = g->impl;
	size_t ncap = im->cap ? im->cap * 2 : 1024, i;
	uint32_t *ns = xcalloc(ncap, sizeof(uint32_t));

	for (i = 0; i < im->cap; i++) {
		if (im->slots[i]) {
			size_t j = info_hash(&g->nodes[im->slots[i] - 1].info) & (ncap - 1);
			while (ns[j])
				j = (j + 1) & (ncap - 1);
			ns[j] = im->slots[i];
		}
	}
	free(im->slots);
	im->slots = ns;
	im->cap = ncap;
}

static uint32_t find_or_insert(struct graph *g, const struct node_info *k)
{
	struct impl *im = g->impl;
	size_t j;
	struct gnode *n;

	if ((g->nnodes + 1) * 2 > im->cap)
		table_grow(g);
	j = info_hash(k) & (im->cap - 1);
	while (im->slots[j]) {
		if (info_eq(&g->nodes[im->slots[j] - 1].info, k))
			return im->slots[j] - 1;
		j = (j + 1) & (im->cap - 1);
	}
	xgrow(&g->nodes, &g->cap_nodes, g->nnodes + 1, sizeof(*n));
	n = &g->nodes[g->nnodes];
	memset(n, 0, sizeof(*n));
	n->info = *k;
	n->pname = node_info_name(k);
	n->kept = true;
	im->slots[j] = (uint32_t)g->nnodes + 1;
	return (uint32_t)g->nnodes++;
}

/* pprof's nodeInfo after Profile.Aggregate for the granularity. */
static void make_info(const struct graph *g, const struct profile *p, const struct pf_location *l,
		      const struct pf_line *ln, struct node_info *ni, char *pathbuf)
{
	const char *e = intern_empty();
	const char *objfile = e;
	bool function = true, filename = true, linenumber = true, address = true;

	switch (g->opts.gran) {
	case GRAN_ADDRESSES:
		break;
	case GRAN_LINES:
		address = false;
		break;
	case GRAN_FILES:
		function = false;
		linenumber = false;
		address = false;
		break;
	case GRAN_FUNCTIONS:
		filename = false;
		linenumber = false;
		address = false;
		break;
	case GRAN_FILEFUNCTIONS:
		linenumber = false;
		address = false;
		break;
	}
	if (l->mapping != PF_NONE && *p->mappings[l->mapping].file)
		objfile = p->mappings[l->mapping].file;
	memset(ni, 0, sizeof(*ni));
	ni->name = ni->file = ni->objfile = e;
	ni->address = address ? l->address : 0;
	if (!ln || ln->function == PF_NONE) {
		ni->objfile = objfile;
		return;
	}
	{
		const struct pf_function *f = &p->functions[ln->function];

		ni->lineno = linenumber ? ln->line : 0;
		ni->name = function ? f->name : e;
		if (filename && *f->filename) {
			clean_path(f->filename, pathbuf);
			ni->file = intern(pathbuf);
		}
		if (!*ni->name) {
			ni->objfile = objfile;
			ni->start_line = f->start_line;
		}
	}
}

/* The location -> node tables of p, into g's node table. */
static void map_locations(struct graph *g, const struct profile *p, struct gsource *out)
{
	const struct graph_opts *o = &g->opts;
	size_t i, total = 0, maxpath = 16;
	char *pathbuf;

	for (i = 0; i < p->nfunctions; i++) {
		size_t n = strlen(p->functions[i].filename);
		if (n + 2 > maxpath)
			maxpath = n + 2;
	}
	pathbuf = xmalloc(maxpath);
	out->p = p;
	out->loc_first = xreallocarray(NULL, p->nlocations + 1, sizeof(uint32_t));
	out->loc_count = xreallocarray(NULL, p->nlocations + 1, sizeof(uint32_t));
	for (i = 0; i < p->nlocations; i++) {
		uint32_t n = p->locations[i].nlines;
		if (n == 0)
			n = 1;
		else if (o->noinlines)
			n = 1;
		out->loc_first[i] = (uint32_t)total;
		out->loc_count[i] = n;
		total += n;
	}
	out->loc_nodes = xreallocarray(NULL, total + 1, sizeof(uint32_t));
	for (i = 0; i < p->nlocations; i++) {
		const struct pf_location *l = &p->locations[i];
		struct node_info ni;
		uint32_t k;

		if (l->nlines == 0) {
			make_info(g, p, l, NULL, &ni, pathbuf);
			out->loc_nodes[out->loc_first[i]] = find_or_insert(g, &ni);
			continue;
		}
		if (o->noinlines) {
			make_info(g, p, l, &p->lines[l->line_start + l->nlines - 1], &ni, pathbuf);
			out->loc_nodes[out->loc_first[i]] = find_or_insert(g, &ni);
			continue;
		}
		for (k = 0; k < l->nlines; k++) {
			make_info(g, p, l, &p->lines[l->line_start + k], &ni, pathbuf);
			out->loc_nodes[out->loc_first[i] + k] = find_or_insert(g, &ni);
		}
	}
	free(pathbuf);
}

struct graph *graph_new(const struct profile *p, const struct graph_opts *o)
{
	return graph_new_multi(&p, 1, o);
}

struct graph *graph_new_multi(const struct profile *const *ps, size_t n, const struct graph_opts *o)
{
	struct graph *g = xcalloc(1, sizeof(*g));
	struct impl *im;
	struct gsource first;
	size_t i;

	g->prof = ps[0];
	g->opts = *o;
	g->impl = im = xcalloc(1, sizeof(struct impl));
	map_locations(g, ps[0], &first);
	g->loc_first = first.loc_first;
	g->loc_count = first.loc_count;
	g->loc_nodes = first.loc_nodes;
	if (n > 1) {
		im->more = xcalloc(n - 1, sizeof(*im->more));
		im->nmore = n - 1;
		for (i = 1; i < n; i++)
			map_locations(g, ps[i], &im->more[i - 1]);
	}
	return g;
}

static void unlink_all(struct graph *g)
{
	size_t i;

	for (i = 0; i < g->nnodes; i++) {
		free(g->nodes[i].in);
		free(g->nodes[i].out);
		g->nodes[i].in = g->nodes[i].out = NULL;
		g->nodes[i].nin = g->nodes[i].nout = 0;
	}
}

void graph_free(struct graph *g)
{
	struct impl *im;

	if (!g)
		return;
	im = g->impl;
	graph_tags_release(g);
	free(g->tree_parent);
	free(g->sample_leaf);
	unlink_all(g);
	free(im->slots);
	edge_ix_release(&im->edge_ix);
	free(im->inl_node);
	for (size_t k = 0; k < im->nmore; k++) {
		free(im->more[k].loc_first);
		free(im->more[k].loc_count);
		free(im->more[k].loc_nodes);
	}
	free(im->more);
	free(im);
	free(g->nodes);
	free(g->edges);
	free(g->loc_first);
	free(g->loc_count);
	free(g->loc_nodes);
	free(g->order);
	free(g);
}

enum inline_kind gnode_inline(const struct graph *g, const struct gnode *n)
{
	bool inl = false, noinl = false;
	uint32_t k;

	for (k = 0; k < n->nin; k++) {
		if (g->edges[n->in[k]].inline_)
			inl = true;
		else
			noinl = true;
	}
	return inl ? (noinl ? INLINE_PARTIAL : INLINE_FULL) : INLINE_NONE;
}

const char *inline_suffix(enum inline_kind k)
{
	return k == INLINE_FULL ? " (inline)" : k == INLINE_PARTIAL ? " (partial-inline)" : "";
}

int64_t gnode_flat(const struct gnode *n)
{
	return n->flat_div == 0 ? n->flat : n->flat / n->flat_div;
}

int64_t gnode_cum(const struct gnode *n)
{
	return n->cum_div == 0 ? n->cum : n->cum / n->cum_div;
}

/* Rebuild every node's in/out edge lists from the live edges. */
static void link_edges(struct graph *g)
{
	size_t i;

	unlink_all(g);
	for (i = 0; i < g->nedges; i++) {
		struct gedge *e = &g->edges[i];
		if (e->deleted)
			continue;
		g->nodes[e->src].nout++;
		g->nodes[e->dst].nin++;
	}
	for (i = 0; i < g->nnodes; i++) {
		struct gnode *n = &g->nodes[i];
		if (n->nin)
			n->in = xreallocarray(NULL, n->nin, sizeof(uint32_t));
		if (n->nout)
			n->out = xreallocarray(NULL, n->nout, sizeof(uint32_t));
		n->nin = n->nout = 0;
	}
	for (i = 0; i < g->nedges; i++) {
		struct gedge *e = &g->edges[i];
		if (e->deleted)
			continue;
		g->nodes[e->src].out[g->nodes[e->src].nout++] = (uint32_t)i;
		g->nodes[e->dst].in[g->nodes[e->dst].nin++] = (uint32_t)i;
	}
}

static void add_edge(struct graph *g, uint32_t src, uint32_t dst, int64_t dw, int64_t w, bool residual,
		     bool inl, uint32_t stamp)
{
	struct impl *im = g->impl;
	int ins;
	uint32_t ix = edge_ix_find(&im->edge_ix, src, dst, (uint32_t)g->nedges, &ins);
	struct gedge *e;

	if (ins) {
		xgrow(&g->edges, &g->cap_edges, g->nedges + 1, sizeof(*e));
		e = &g->edges[g->nedges++];
		memset(e, 0, sizeof(*e));
		e->src = src;
		e->dst = dst;
		e->residual = residual;
		e->inline_ = inl;
		e->stamp = stamp;
		e->weight = w;
		e->weight_div = dw;
		return;
	}
	e = &g->edges[ix];
	if (e->stamp == stamp)
		return; /* once per sample, as pprof's seenEdge */
	e->stamp = stamp;
	e->weight_div += dw;
	e->weight = sat_add(e->weight, w);
	if (residual)
		e->residual = true;
	if (!inl)
		e->inline_ = false;
}

/* Is a kept node one that is inlined somewhere (inline_edges_only)? */
static bool kept_inlined(const struct graph *g)
{
	const struct impl *im = g->impl;
	size_t i;

	for (i = 0; i < g->nnodes; i++)
		if (g->nodes[i].kept && im->inl_node[i])
			return true;
	return false;
}

static bool is_negative(const struct gnode *n)
{
	return n->flat < 0 || (n->flat == 0 && n->cum < 0);
}

/* accumulate: the nodes' flat and cum from every sample, and with
 * with_edges the edges between kept nodes (a hash lookup per frame, most
 * of the walk's cost). */
static void accumulate(struct graph *g, bool keep_all, bool with_edges)
{
	const struct profile *p = g->prof;
	struct impl *im = g->impl;
	size_t i;
	int si = g->opts.sample_index, mi = g->opts.mean_index;

	if (g->opts.inline_edges_only && !im->inl_node) {
		/* Mark the nodes that sit at an inlined (not the last) line
		 * of some location: only edges into those are built. */
		size_t sx;

		im->inl_node = xcalloc(g->nnodes + 1, sizeof(bool));
		for (sx = 0; sx <= im->nmore; sx++) {
			const struct profile *sp = sx ? im->more[sx - 1].p : p;
			const uint32_t *lf = sx ? im->more[sx - 1].loc_first : g->loc_first;
			const uint32_t *lc = sx ? im->more[sx - 1].loc_count : g->loc_count;
			const uint32_t *lnodes = sx ? im->more[sx - 1].loc_nodes : g->loc_nodes;

			for (i = 0; i < sp->nlocations; i++) {
				uint32_t k;
				for (k = 0; k + 1 < lc[i]; k++)
					im->inl_node[lnodes[lf[i] + k]] = true;
			}
		}
	}
	if (g->opts.inline_edges_only && !keep_all && im->accumulated && !kept_inlined(g)) {
		/* Without edges, re-accumulating over fewer kept nodes gives
		 * the kept nodes the values they already have: a node's cum
		 * counts the samples whose stack holds it, its flat those
		 * whose leaf it is, whatever else is kept. */
		for (i = 0; i < g->nnodes; i++) {
			struct gnode *n = &g->nodes[i];
			if (!n->kept)
				n->flat = n->flat_div = n->cum = n->cum_div = 0;
		}
		goto select;
	}
	for (i = 0; i < g->nnodes; i++) {
		struct gnode *n = &g->nodes[i];
		n->flat = n->flat_div = n->cum = n->cum_div = 0;
		n->stamp = 0;
		if (keep_all)
			n->kept = true;
	}
	g->nedges = 0;
	edge_ix_release(&im->edge_ix);
	im->stamp = 0;
	im->accumulated = keep_all;

	{
		uint32_t stamp = im->stamp;
		size_t sx;

		for (sx = 0; sx <= im->nmore; sx++) {
			/* The hot loop (every frame of every sample): the tables
			 * in locals, so stores to nodes need not reload them. */
			const struct gsource *src = sx ? &im->more[sx - 1] : NULL;
			const struct profile *sp = src ? src->p : p;
			const uint32_t *loc_first = src ? src->loc_first : g->loc_first;
			const uint32_t *loc_count = src ? src->loc_count : g->loc_count;
			const uint32_t *loc_nodes = src ? src->loc_nodes : g->loc_nodes;
			const uint32_t *stacks = sp->stacks;
			const int64_t *values = sp->values;
			const struct pf_sample *samples = sp->samples;
			const bool *edge_to = g->opts.inline_edges_only ? im->inl_node : NULL;
			const bool edges = with_edges;
			struct gnode *nodes = g->nodes; /* add_edge() does not move nodes */
			size_t ntypes = sp->ntypes, nsamples = sp->nsamples;

			if (sx == 1 && keep_all && g->snap_flat) {
				/* graph_new_multi: the first profile's values alone */
				for (i = 0; i < g->nnodes; i++) {
					g->snap_flat[i] = nodes[i].flat;
					g->snap_cum[i] = nodes[i].cum;
				}
			}
			for (i = 0; i < nsamples; i++) {
				const struct pf_sample *s = &samples[i];
				const uint32_t *stk = stacks + s->loc_start;
				const int64_t *v = values + i * ntypes;
				int64_t w = v[si], dw = mi >= 0 ? v[mi] : 0;
				uint32_t parent = PF_NONE;
				bool residual = false;
				uint32_t k;

				if (w == 0 && dw == 0)
					continue;
				stamp++;
				for (k = s->nlocs; k-- > 0;) {
					uint32_t loc = stk[k];
					const uint32_t *ln = loc_nodes + loc_first[loc];
					uint32_t cnt = loc_count[loc], ni;

					for (ni = cnt; ni-- > 0;) {
						uint32_t nx = ln[ni];
						struct gnode *n = &nodes[nx];

						if (!n->kept) {
							residual = true;
							continue;
						}
						if (n->stamp != stamp) {
							n->stamp = stamp;
							n->cum = sat_add(n->cum, w);
							n->cum_div += dw;
						}
						if (edges && parent != PF_NONE && nx != parent && (!edge_to || edge_to[nx]))
							add_edge(g, parent, nx, dw, w, residual, ni != cnt - 1, stamp);
						parent = nx;
						residual = false;
					}
				}
				if (parent != PF_NONE && !residual) {
					nodes[parent].flat = sat_add(nodes[parent].flat, w);
					nodes[parent].flat_div += dw;
				}
			}
		}
		if (keep_all && g->snap_flat) {
			if (im->nmore == 0)
				for (i = 0; i < g->nnodes; i++) {
					g->snap_flat[i] = g->nodes[i].flat;
					g->snap_cum[i] = g->nodes[i].cum;
				}
			for (i = 0; i < g->nnodes; i++) {
				g->snap_all_flat[i] = g->nodes[i].flat;
				g->snap_all_cum[i] = g->nodes[i].cum;
			}
		}
		im->stamp = stamp;
	}

select:
	free(g->order);
	g->order = xreallocarray(NULL, g->nnodes + 1, sizeof(uint32_t));
	g->norder = 0;
	for (i = 0; i < g->nnodes; i++) {
		const struct gnode *n = &g->nodes[i];
		if (!n->kept || (n->cum == 0 && n->flat == 0))
			continue;
		if (g->opts.drop_negative && is_negative(n))
			continue;
		g->order[g->norder++] = (uint32_t)i;
	}
	/* Edges whose ends were filtered out of the graph go too. */
	{
		bool *in_graph = xcalloc(g->nnodes + 1, sizeof(bool));
		for (i = 0; i < g->norder; i++)
			in_graph[g->order[i]] = true;
		for (i = 0; i < g->nedges; i++)
			if (!in_graph[g->edges[i].src] || !in_graph[g->edges[i].dst])
				g->edges[i].deleted = true;
		free(in_graph);
	}
	link_edges(g);
}

void graph_accumulate(struct graph *g, bool keep_all)
{
	accumulate(g, keep_all, true);
}

void graph_values(const struct graph *g, const int *idx, size_t n, int64_t *flat, int64_t *cum)
{
	const struct profile *p = g->prof;
	uint32_t *seen;
	size_t i, k;

	memset(flat, 0, g->nnodes * n * sizeof(*flat));
	if (!cum) {
		/* flat only: a sample's flat goes to the node the root-first
		 * walk below visits last, the first node (ln[0]) of the
		 * innermost location that has any, so the walk stops there */
		for (i = 0; i < p->nsamples; i++) {
			const struct pf_sample *s = &p->samples[i];
			const uint32_t *stk = p->stacks + s->loc_start;
			const int64_t *v = p->values + i * p->ntypes;
			uint32_t f, leaf;

			for (f = 0; f < s->nlocs && g->loc_count[stk[f]] == 0; f++)
				;
			if (f == s->nlocs)
				continue;
			leaf = g->loc_nodes[g->loc_first[stk[f]]];
			for (k = 0; k < n; k++)
				flat[leaf * n + k] = sat_add(flat[leaf * n + k], v[idx[k]]);
		}
		return;
	}
	seen = xcalloc(g->nnodes + 1, sizeof(uint32_t)); /* last sample (+1) that added to cum */
	memset(cum, 0, g->nnodes * n * sizeof(*cum));
	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *s = &p->samples[i];
		const uint32_t *stk = p->stacks + s->loc_start;
		const int64_t *v = p->values + i * p->ntypes;
		uint32_t leaf = PF_NONE, stamp = (uint32_t)i + 1, f;

		/* as graph_accumulate: root first, a node's cum once per
		 * sample, flat to the last (innermost) node */
		for (f = s->nlocs; f-- > 0;) {
			uint32_t loc = stk[f], cnt = g->loc_count[loc], ni;
			const uint32_t *ln = g->loc_nodes + g->loc_first[loc];

			for (ni = cnt; ni-- > 0;) {
				uint32_t nx = ln[ni];
				if (seen[nx] != stamp) {
					seen[nx] = stamp;
					for (k = 0; k < n; k++)
						cum[nx * n + k] = sat_add(cum[nx * n + k], v[idx[k]]);
				}
				leaf = nx;
			}
		}
		if (leaf != PF_NONE)
			for (k = 0; k < n; k++)
				flat[leaf * n + k] = sat_add(flat[leaf * n + k], v[idx[k]]);
	}
	free(seen);
}

/* ---- sorting ---- */

/* Go's fmt.Sprint(NodeInfo), pprof's last-resort tie-break. */
static void info_sprint(const struct node_info *i, struct buf *b)
{
	buf_reset(b);
	buf_printf(b, "{%s  %llu %s %lld %lld %s}", i->name, (unsigned long long)i->address, i->file,
		   (long long)i->start_line, (long long)i->lineno, i->objfile);
}

static int compare_nodes(const struct gnode *l, const struct gnode *r)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	int c;

	info_sprint(&l->info, &a);
	info_sprint(&r->info, &b);
	c = strcmp(a.data, b.data);
	buf_release(&a);
	buf_release(&b);
	return c;
}

struct sort_ctx {
	const struct graph *g;
	const int64_t *score; /* by node index, for cum/entropy order */
};
static struct sort_ctx sctx;

static int cmp_flat(const void *a, const void *b)
{
	const struct gnode *l = &sctx.g->nodes[*(const uint32_t *)a], *r = &sctx.g->nodes[*(const uint32_t *)b];
	int c;

	if (abs64(l->flat) != abs64(r->flat))
		return abs64(l->flat) > abs64(r->flat) ? -1 : 1;
	if (l->pname != r->pname && (c = strcmp(l->pname, r->pname)) != 0)
		return c;
	if (abs64(l->cum) != abs64(r->cum))
		return abs64(l->cum) > abs64(r->cum) ? -1 : 1;
	return compare_nodes(l, r);
}

static int cmp_score(const void *a, const void *b)
{
	uint32_t li = *(const uint32_t *)a, ri = *(const uint32_t *)b;
	const struct gnode *l = &sctx.g->nodes[li], *r = &sctx.g->nodes[ri];
	int64_t ls = abs64(sctx.score[li]), rs = abs64(sctx.score[ri]);
	int c;

	if (ls != rs)
		return ls > rs ? -1 : 1;
	if (l->pname != r->pname && (c = strcmp(l->pname, r->pname)) != 0)
		return c;
	if (abs64(l->flat) != abs64(r->flat))
		return abs64(l->flat) > abs64(r->flat) ? -1 : 1;
	return compare_nodes(l, r);
}

static double edge_entropy(const struct graph *g, const uint32_t *edges, uint32_t n, int64_t self)
{
	double score = 0;
	int64_t total = self;
	uint32_t i;

	for (i = 0; i < n; i++)
		if (g->edges[edges[i]].weight > 0)
			total += abs64(g->edges[edges[i]].weight);
	if (total != 0) {
		for (i = 0; i < n; i++) {
			double frac = (double)abs64(g->edges[edges[i]].weight) / (double)total;
			score += -frac * log2(frac);
		}
		if (self > 0) {
			double frac = (double)abs64(self) / (double)total;
			score += -frac * log2(frac);
		}
	}
	return score;
}

static int64_t entropy_score(const struct graph *g, const struct gnode *n)
{
	double score = 0;

	if (n->nin == 0)
		score++;
	else
		score += edge_entropy(g, n->in, n->nin, 0);
	if (n->nout == 0)
		score++;
	else
		score += edge_entropy(g, n->out, n->nout, n->flat);
	{
		/* As Go on amd64, without C's undefined behaviour: int64() of
		 * NaN or an out-of-range value is INT64_MIN (cvttsd2si), and
		 * the addition wraps. */
		double v = score * (double)n->cum;
		int64_t base = (isnan(v) || v >= 9223372036854775808.0 || v < -9223372036854775808.0) ? INT64_MIN
												 : (int64_t)v;
		return (int64_t)((uint64_t)base + (uint64_t)n->flat);
	}
}

void graph_sort(struct graph *g, bool cum, bool visual)
{
	int64_t *score = NULL;
	size_t i;

	sctx.g = g;
	if (!visual && !cum) {
		qsort(g->order, g->norder, sizeof(uint32_t), cmp_flat);
		return;
	}
	score = xcalloc(g->nnodes + 1, sizeof(int64_t));
	for (i = 0; i < g->norder; i++) {
		const struct gnode *n = &g->nodes[g->order[i]];
		score[g->order[i]] = visual ? entropy_score(g, n) : n->cum;
	}
	sctx.score = score;
	qsort(g->order, g->norder, sizeof(uint32_t), cmp_score);
	free(score);
	sctx.score = NULL;
}

static int cmp_edge(const void *a, const void *b)
{
	const struct gedge *x = &sctx.g->edges[*(const uint32_t *)a], *y = &sctx.g->edges[*(const uint32_t *)b];
	int c;

	if (x->weight != y->weight) {
		if (abs64(x->weight) != abs64(y->weight))
			return abs64(x->weight) > abs64(y->weight) ? -1 : 1;
		/* pprof: equal |w| with different signs compare "not less"
		 * both ways; fall through to names for determinism. */
	}
	c = strcmp(sctx.g->nodes[x->src].pname, sctx.g->nodes[y->src].pname);
	if (c)
		return c;
	return strcmp(sctx.g->nodes[x->dst].pname, sctx.g->nodes[y->dst].pname);
}

static size_t sorted_edges(const struct graph *g, const uint32_t *list, uint32_t n, uint32_t **out)
{
	uint32_t *v = xreallocarray(NULL, n ? n : 1, sizeof(uint32_t));
	size_t k = 0, i;

	for (i = 0; i < n; i++)
		if (!g->edges[list[i]].deleted)
			v[k++] = list[i];
	sctx.g = g;
	qsort(v, k, sizeof(uint32_t), cmp_edge);
	*out = v;
	return k;
}

size_t graph_in_sorted(const struct graph *g, uint32_t node, uint32_t **out)
{
	return sorted_edges(g, g->nodes[node].in, g->nodes[node].nin, out);
}

size_t graph_out_sorted(const struct graph *g, uint32_t node, uint32_t **out)
{
	return sorted_edges(g, g->nodes[node].out, g->nodes[node].nout, out);
}

int graph_trim_edges(struct graph *g, int64_t cutoff)
{
	size_t i;
	int dropped = 0;
	bool *in_graph = xcalloc(g->nnodes + 1, sizeof(bool));

	for (i = 0; i < g->norder; i++)
		in_graph[g->order[i]] = true;
	for (i = 0; i < g->nedges; i++) {
		struct gedge *e = &g->edges[i];
		if (e->deleted || !in_graph[e->dst])
			continue;
		if (abs64(e->weight) < cutoff) {
			e->deleted = true;
			dropped++;
		}
	}
	free(in_graph);
	if (dropped)
		link_edges(g);
	return dropped;
}

static bool is_redundant(struct graph *g, uint32_t eix, uint32_t *queue, uint32_t *seen, uint32_t mark)
{
	const struct gedge *e = &g->edges[eix];
	uint32_t src = e->src, head = 0, tail = 0;

	seen[e->dst] = mark;
	queue[tail++] = e->dst;
	while (head < tail) {
		const struct gnode *n = &g->nodes[queue[head++]];
		uint32_t k;

		for (k = 0; k < n->nin; k++) {
			const struct gedge *ie = &g->edges[n->in[k]];
			if (ie->deleted || n->in[k] == eix || seen[ie->src] == mark)
				continue;
			if (ie->src == src)
				return true;
			seen[ie->src] = mark;
			queue[tail++] = ie->src;
		}
	}
	return false;
}

void graph_remove_redundant_edges(struct graph *g)
{
	uint32_t *queue = xreallocarray(NULL, g->nnodes + 1, sizeof(uint32_t));
	uint32_t *seen = xcalloc(g->nnodes + 1, sizeof(uint32_t));
	uint32_t mark = 0;
	size_t i;
	bool changed = false;

	for (i = g->norder; i > 0; i--) {
		uint32_t *in;
		size_t nin = graph_in_sorted(g, g->order[i - 1], &in), j;

		for (j = nin; j > 0; j--) {
			struct gedge *e = &g->edges[in[j - 1]];
			if (!e->residual)
				break;
			if (is_redundant(g, in[j - 1], queue, seen, ++mark)) {
				e->deleted = true;
				changed = true;
			}
		}
		free(in);
	}
	free(queue);
	free(seen);
	if (changed)
		link_edges(g);
}

/* Mark as kept the nodes of g->order whose |cum| is at least cutoff;
 * returns how many. */
static size_t mark_cum_at_least(struct graph *g, int64_t cutoff)
{
	size_t i, n = 0;

	for (i = 0; i < g->nnodes; i++)
		g->nodes[i].kept = false;
	for (i = 0; i < g->norder; i++) {
		struct gnode *nd = &g->nodes[g->order[i]];
		if (abs64(nd->cum) >= cutoff) {
			nd->kept = true;
			n++;
		}
	}
	return n;
}

/* Mark as kept the first n nodes of g->order. */
static void mark_first(struct graph *g, size_t n)
{
	size_t i;

	for (i = 0; i < g->nnodes; i++)
		g->nodes[i].kept = false;
	for (i = 0; i < n; i++)
		g->nodes[g->order[i]].kept = true;
}

/* Drop the nodes not marked kept: a graph recounts its nodes' values
 * from the samples (pprof rebuilds the graph); a call tree reattaches
 * children to their nearest kept ancestor (pprof's TrimTree). */
static void drop_unkept(struct graph *g, bool tree)
{
	if (tree)
		graph_trim_tree(g);
	else
		graph_accumulate(g, false);
}

/* pprof's newTrimmedGraph, for a graph and for a call tree (CallTree):
 * the node and edge cutoffs from the total, the nodes under the node
 * cutoff dropped, the nodecount kept (tags counting as nodes in visual
 * output), then the tags and the edges under the edge cutoff. */
void graph_trim(struct graph *g, const struct trim_opts *t, struct trim_result *r)
{
	bool tree = t->call_tree;
	int64_t total = 0;
	size_t i;

	bool have_edges = true;

	memset(r, 0, sizeof(*r));
	if (tree) {
		graph_build_tree(g);
	} else {
		/* The first walk finds the node cutoff; its edges would be
		 * thrown away when the cutoff drops a node (the usual case on
		 * a real profile), so it counts nodes only, unless its edges
		 * are few (a top report's, into inlined nodes only). */
		have_edges = t->nodefraction <= 0 || g->opts.inline_edges_only;
		accumulate(g, true, have_edges);
	}
	for (i = 0; i < g->norder; i++)
		total = sat_add(total, g->nodes[g->order[i]].flat);
	r->node_cutoff = abs64((int64_t)((double)total * t->nodefraction));
	r->edge_cutoff = abs64((int64_t)((double)total * t->edgefraction));

	if (r->node_cutoff > 0) {
		size_t nk = mark_cum_at_least(g, r->node_cutoff);
		if (nk != g->norder) {
			r->dropped_nodes = (int)(g->norder - nk);
			drop_unkept(g, tree);
			have_edges = true;
		}
	}
	if (!have_edges)
		accumulate(g, true, true);
	r->orig_count = (int)g->norder;
	graph_sort(g, t->cum, t->visual);
	if (t->nodecount > 0) {
		size_t max = (size_t)t->nodecount;

		graph_trim_edges(g, r->edge_cutoff);
		if (t->visual && t->tags)
			max = graph_visual_count(g, t, r, max);
		if (max > g->norder)
			max = g->norder;
		if (max != g->norder) {
			mark_first(g, max);
			drop_unkept(g, tree);
			graph_sort(g, t->cum, t->visual);
			/* The tags counted for the visual count stay right: a
			 * kept node's tags, like its flat and cum, come from the
			 * samples that hold it (flat: whose last kept frame it
			 * is, with no dropped frame under it), whatever else is
			 * kept, and every node kept now was among those counted. */
		}
	}
	if (t->tags && !g->tag_first)
		graph_tags(g, t->tag_unit, r->node_cutoff);
	r->dropped_edges = graph_trim_edges(g, r->edge_cutoff);
	if (t->visual)
		graph_remove_redundant_edges(g);
}

void graph_link(struct graph *g)
{
	link_edges(g);
}

/* ---- pprof's ShortenFunctionName ----
 *
 * pprof uses Go regular expressions (leftmost-first, RE2 semantics); each
 * is hand-coded below with the match it would find, since POSIX regexec
 * is leftmost-longest and has no \w. */

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* `^(.*?)/v(?:[2-9]|[1-9][0-9]+)([./].*)$` replaced by ${1}${2}: drop
 * the first module version element. */
static void drop_go_version(char *s)
{
	size_t n = strlen(s), i;

	if (strchr(s, '\n'))
		return; /* `.` does not match a newline, and the match is anchored */
	for (i = 0; i + 2 < n; i++) {
		size_t d = 0;

		if (s[i] != '/' || s[i + 1] != 'v')
			continue;
		while (s[i + 2 + d] >= '0' && s[i + 2 + d] <= '9')
			d++;
		if (d == 0 || s[i + 2] == '0' || (d == 1 && s[i + 2] == '1'))
			continue;
		if (s[i + 2 + d] != '.' && s[i + 2 + d] != '/')
			continue;
		memmove(s + i, s + i + 2 + d, n - (i + 2 + d) + 1);
		return;
	}
}

/* Go's `.+` from p: the run of non-newline characters (at least one). */
static size_t dot_plus(const char *p)
{
	size_t k = 0;
	while (p[k] && p[k] != '\n')
		k++;
	return k;
}

/* `^(?:[\w\-\.]+\/)+([^.]+\..+)`: the most path elements for which the
 * rest still has a dot with something before and after it. */
static bool match_go(const char *s, size_t *start, size_t *len)
{
	size_t ends[512], ne = 0, i = 0;

	for (;;) {
		size_t k = i;
		while (is_word(s[k]) || s[k] == '-' || s[k] == '.')
			k++;
		if (k == i || s[k] != '/' || ne == sizeof(ends) / sizeof(ends[0]))
			break;
		ends[ne++] = k + 1;
		i = k + 1;
	}
	while (ne > 0) {
		const char *r = s + ends[--ne], *dot = strchr(r, '.');
		size_t tail;

		if (!dot || dot == r)
			continue;
		tail = dot_plus(dot + 1);
		if (tail == 0)
			continue;
		*start = (size_t)(r - s);
		*len = (size_t)(dot + 1 - r) + tail;
		return true;
	}
	return false;
}

/* `^(?:[a-z]\w*\.)*([A-Z][\w\$]*\.(?:<init>|[a-z][\w\$]*(?:\$\d+)?))(?:(?:\()|$)` */
static bool match_java(const char *s, size_t *start, size_t *len)
{
	size_t i = 0, c, k;

	for (;;) {
		k = i;
		if (!(s[k] >= 'a' && s[k] <= 'z'))
			break;
		k++;
		while (is_word(s[k]))
			k++;
		if (s[k] != '.')
			break;
		i = k + 1;
	}
	c = i;
	if (!(s[c] >= 'A' && s[c] <= 'Z'))
		return false;
	k = c + 1;
	while (is_word(s[k]) || s[k] == '$')
		k++;
	if (s[k] != '.')
		return false;
	k++;
	if (strncmp(s + k, "<init>", 6) == 0) {
		k += 6;
	} else if (s[k] >= 'a' && s[k] <= 'z') {
		k++;
		while (is_word(s[k]) || s[k] == '$')
			k++;
	} else {
		return false;
	}
	if (s[k] != '(' && s[k] != 0)
		return false;
	*start = c;
	*len = k - c;
	return true;
}

/* `^(?:[_a-zA-Z]\w*::)+(_*[A-Z]\w*::~?[_a-zA-Z]\w*(?:<.*>)?)` */
static bool match_cpp(const char *s, size_t *start, size_t *len)
{
	size_t ends[512], ne = 0, i = 0;

	for (;;) {
		size_t k = i;
		if (!(s[k] == '_' || (s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z')))
			break;
		k++;
		while (is_word(s[k]))
			k++;
		if (s[k] != ':' || s[k + 1] != ':' || ne == sizeof(ends) / sizeof(ends[0]))
			break;
		ends[ne++] = k + 2;
		i = k + 2;
	}
	while (ne > 0) {
		size_t c = ends[--ne], k = c;

		while (s[k] == '_')
			k++;
		if (!(s[k] >= 'A' && s[k] <= 'Z'))
			continue;
		k++;
		while (is_word(s[k]))
			k++;
		if (s[k] != ':' || s[k + 1] != ':')
			continue;
		k += 2;
		if (s[k] == '~')
			k++;
		if (!(s[k] == '_' || (s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z')))
			continue;
		k++;
		while (is_word(s[k]))
			k++;
		if (s[k] == '<') {
			/* `<.*>`: up to the last '>' before any newline */
			size_t e = k + 1, last = 0;
			while (s[e] && s[e] != '\n') {
				if (s[e] == '>')
					last = e;
				e++;
			}
			if (last)
				k = last + 1;
		}
		*start = c;
		*len = k - c;
		return true;
	}
	return false;
}

const char *shorten_function_name(const char *f)
{
	static const char anon[] = "(anonymous namespace)::";
	size_t n = strlen(f), start, len;
	char *s = xmalloc(n + 1);
	const char *r;

	if (strncmp(f, anon, sizeof(anon) - 1) == 0)
		memcpy(s, f + sizeof(anon) - 1, n - (sizeof(anon) - 1) + 1);
	else
		memcpy(s, f, n + 1);
	drop_go_version(s);
	if (match_go(s, &start, &len) || match_java(s, &start, &len) || match_cpp(s, &start, &len))
		r = intern_n(s + start, len);
	else
		r = intern(s);
	free(s);
	return r;
}
