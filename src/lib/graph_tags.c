/* graph_tags: pprof's node tags (Node.LabelTags and Node.NumericTags)
 * for visual graphs.  Kept apart from the graph walk so that profiles
 * without labels pay nothing: the tags are computed in a separate pass,
 * only for the nodes of the graph being drawn. */
#include "graph.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hash.h"
#include "strtab.h"
#include "units.h"
#include "xalloc.h"

/* A string label pprof would show, or a "bytes" numeric label. */
static bool shown_label(const struct pf_label *l, const char *bytes, const char *base)
{
	if (l->str)
		return l->key != base;
	return l->key == bytes;
}

bool graph_profile_has_tags(const struct profile *p)
{
	const char *bytes = intern("bytes"), *base = intern("pprof::base");
	size_t i;

	for (i = 0; i < p->nlabels; i++)
		if (shown_label(&p->labels[i], bytes, base))
			return true;
	return false;
}

/* pprof's NumLabelUnits for the "bytes" key. */
static const char *bytes_unit(const struct profile *p)
{
	const char *bytes = intern("bytes");
	size_t i;

	for (i = 0; i < p->nlabels; i++)
		if (!p->labels[i].str && p->labels[i].key == bytes && *p->labels[i].unit)
			return p->labels[i].unit;
	return bytes;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* What one sample adds to the tags of each node it touches. */
struct sample_tags {
	const char *labels;     /* joined labels, "" for none */
	const char **names;     /* numeric tag names */
	int64_t *values;
	size_t nnum, cap;
};

/* The tags one sample carries; false when it carries none. */
static bool sample_tags(const struct profile *p, const struct pf_sample *s, const char *unit, const char *out_unit,
			struct u64map *name_cache, struct sample_tags *st)
{
	const char *bytes = intern("bytes"), *base = intern("pprof::base");
	const struct pf_label *ls = p->labels + s->label_start;
	const char *strs_small[16], **strs = strs_small;
	size_t i, ns = 0, nstr = 0;
	struct buf b = BUF_INIT;

	st->labels = intern_empty();
	st->nnum = 0;
	if (s->nlabels == 0)
		return false;
	for (i = 0; i < s->nlabels; i++)
		if (ls[i].str && ls[i].key != base)
			nstr++;
	if (nstr > 16)
		strs = xreallocarray(NULL, nstr, sizeof(char *));
	for (i = 0; i < s->nlabels; i++) {
		const struct pf_label *l = &ls[i];

		if (!shown_label(l, bytes, base))
			continue;
		if (l->str) {
			buf_reset(&b);
			buf_printf(&b, "%s:%s", l->key, l->str);
			strs[ns++] = intern(b.data);
		} else {
			uint64_t *slot;
			int ins;

			slot = u64map_put(name_cache, (uint64_t)l->num, 0, &ins);
			if (ins) {
				char v[64];
				units_label(l->num, unit, out_unit, v, sizeof(v));
				*slot = (uint64_t)(uintptr_t)intern(v);
			}
			xgrow(&st->names, &st->cap, st->nnum + 1, sizeof(char *));
			st->values = xreallocarray(st->values, st->cap, sizeof(int64_t));
			st->names[st->nnum] = (const char *)(uintptr_t)*slot;
			st->values[st->nnum++] = l->num;
		}
	}
	if (ns > 0) {
		qsort(strs, ns, sizeof(char *), cmp_str);
		buf_reset(&b);
		for (i = 0; i < ns; i++)
			buf_printf(&b, "%s%s", i ? "\\n" : "", strs[i]);
		st->labels = intern(b.data);
	}
	buf_release(&b);
	if (strs != strs_small)
		free(strs);
	return ns > 0 || st->nnum > 0;
}

/* Tag table: open addressing over (node, labels, name, numeric). */
struct tag_table {
	uint32_t *slots; /* tag index + 1 */
	size_t cap;
	size_t cap_tags; /* allocated g->tags */
};

static uint64_t tag_hash(uint32_t node, const char *labels, const char *name, bool numeric)
{
	uint64_t h = hash_mix(((uint64_t)node << 1) | numeric);
	h = hash_combine(h, (uint64_t)(uintptr_t)labels);
	return hash_combine(h, (uint64_t)(uintptr_t)name);
}

static void tt_grow(struct graph *g, struct tag_table *tt)
{
	size_t ncap = tt->cap ? tt->cap * 2 : 256, i;
	uint32_t *ns = xcalloc(ncap, sizeof(uint32_t));

	for (i = 0; i < tt->cap; i++) {
		if (tt->slots[i]) {
			const struct gtag *t = &g->tags[tt->slots[i] - 1];
			size_t j = tag_hash(t->node, t->labels, t->name, t->numeric) & (ncap - 1);
			while (ns[j])
				j = (j + 1) & (ncap - 1);
			ns[j] = tt->slots[i];
		}
	}
	free(tt->slots);
	tt->slots = ns;
	tt->cap = ncap;
}

static struct gtag *find_or_add(struct graph *g, struct tag_table *tt, uint32_t node, const char *labels,
				const char *name, const char *unit, int64_t value, bool numeric)
{
	size_t j;
	struct gtag *t;

	if ((g->ntags + 1) * 2 > tt->cap)
		tt_grow(g, tt);
	j = tag_hash(node, labels, name, numeric) & (tt->cap - 1);
	while (tt->slots[j]) {
		t = &g->tags[tt->slots[j] - 1];
		if (t->node == node && t->labels == labels && t->name == name && t->numeric == numeric)
			return t;
		j = (j + 1) & (tt->cap - 1);
	}
	xgrow(&g->tags, &tt->cap_tags, g->ntags + 1, sizeof(*t));
	t = &g->tags[g->ntags];
	memset(t, 0, sizeof(*t));
	t->node = node;
	t->labels = labels;
	t->name = name;
	t->unit = unit;
	t->value = value;
	t->numeric = numeric;
	tt->slots[j] = (uint32_t)++g->ntags;
	return t;
}

static void add_to(struct gtag *t, int64_t dw, int64_t w, bool flat)
{
	if (flat) {
		t->flat_div += dw;
		t->flat = sat_add(t->flat, w);
	} else {
		t->cum_div += dw;
		t->cum = sat_add(t->cum, w);
	}
}

/* pprof's Node.addSample, for the tags only. */
static void node_add(struct graph *g, struct tag_table *tt, uint32_t node, const struct sample_tags *st,
		     const char *unit, int64_t dw, int64_t w, bool flat)
{
	size_t k;

	if (*st->labels)
		add_to(find_or_add(g, tt, node, st->labels, st->labels, intern_empty(), 0, false), dw, w, flat);
	for (k = 0; k < st->nnum; k++)
		add_to(find_or_add(g, tt, node, st->labels, st->names[k], unit, st->values[k], true), dw, w, flat);
}

/* Group the tags by node (counting sort, creation order kept). */
static void index_tags(struct graph *g)
{
	struct gtag *sorted;
	uint32_t *pos;
	size_t i;

	g->tag_first = xcalloc(g->nnodes + 1, sizeof(uint32_t));
	g->tag_count = xcalloc(g->nnodes + 1, sizeof(uint32_t));
	for (i = 0; i < g->ntags; i++)
		g->tag_count[g->tags[i].node]++;
	for (i = 1; i < g->nnodes; i++)
		g->tag_first[i] = g->tag_first[i - 1] + g->tag_count[i - 1];
	pos = xreallocarray(NULL, g->nnodes + 1, sizeof(uint32_t));
	memcpy(pos, g->tag_first, g->nnodes * sizeof(uint32_t));
	sorted = xreallocarray(NULL, g->ntags + 1, sizeof(*sorted));
	for (i = 0; i < g->ntags; i++)
		sorted[pos[g->tags[i].node]++] = g->tags[i];
	free(pos);
	free(g->tags);
	g->tags = sorted;
}

void graph_tags_release(struct graph *g)
{
	free(g->tags);
	free(g->tag_first);
	free(g->tag_count);
	g->tags = NULL;
	g->tag_first = g->tag_count = NULL;
	g->ntags = 0;
}

/* Shared by the graph and the tree walks. */
struct tag_walk {
	struct tag_table tt;
	struct u64map names;
	struct sample_tags st;
	const char *unit, *out_unit;
};

static void walk_init(struct tag_walk *tw, const struct profile *p, const char *out_unit)
{
	memset(tw, 0, sizeof(*tw));
	tw->unit = bytes_unit(p);
	tw->out_unit = out_unit ? out_unit : "minimum";
}

static void walk_release(struct tag_walk *tw)
{
	free(tw->tt.slots);
	u64map_release(&tw->names);
	free(tw->st.names);
	free(tw->st.values);
}

/* Tags for the first limit nodes of order[] only: the others are never
 * drawn or counted. */
/* Dense accumulation for the usual case (a Go heap profile: few tag
 * classes, at most nodecount nodes): the classes (labels, name) of each
 * sample are found once, then each node of a stack adds to a cell of a
 * nodes x classes table instead of looking its tag up in a hash table.
 * Returns false (nothing done) when the table would be too big. */
static bool tags_dense(struct graph *g, struct tag_walk *tw, const bool *want, const uint32_t *slot_of,
		       size_t nwant)
{
	const struct profile *p = g->prof;
	struct graph cg; /* holds the classes in its tags[] (node 0) */
	struct tag_table ctt;
	uint32_t *off = xreallocarray(NULL, p->nsamples + 1, sizeof(uint32_t)), *ids = NULL;
	size_t nids = 0, cap_ids = 0, i, c, ncls, cells;
	int64_t *cum, *cumd, *flat, *flatd;
	unsigned char *touched;
	uint32_t stamp = 0;
	bool ok = false;

	memset(&cg, 0, sizeof(cg));
	memset(&ctt, 0, sizeof(ctt));
	for (i = 0; i < p->nsamples; i++) {
		const int64_t *v = pf_values(p, i);
		int64_t w = v[g->opts.sample_index], dw = g->opts.mean_index >= 0 ? v[g->opts.mean_index] : 0;
		size_t k;

		off[i] = (uint32_t)nids;
		if (w == 0 && dw == 0)
			continue;
		if (!sample_tags(p, &p->samples[i], tw->unit, tw->out_unit, &tw->names, &tw->st))
			continue;
		xgrow(&ids, &cap_ids, nids + tw->st.nnum + 1, sizeof(uint32_t));
		if (*tw->st.labels)
			ids[nids++] = (uint32_t)(find_or_add(&cg, &ctt, 0, tw->st.labels, tw->st.labels, intern_empty(), 0,
							     false) - cg.tags);
		for (k = 0; k < tw->st.nnum; k++)
			ids[nids++] = (uint32_t)(find_or_add(&cg, &ctt, 0, tw->st.labels, tw->st.names[k], tw->unit,
							     tw->st.values[k], true) - cg.tags);
		if (nids > UINT32_MAX / 2)
			goto done;
	}
	off[p->nsamples] = (uint32_t)nids;
	ncls = cg.ntags;
	if (ncls == 0 || nwant == 0) {
		ok = true;
		goto done;
	}
	/* 4M cells of 33 bytes: ~130 MB at most; beyond, the hash path. */
	if (ncls > (size_t)4 << 20 || nwant * ncls > (size_t)4 << 20)
		goto done;
	cells = nwant * ncls;
	cum = xcalloc(cells, sizeof(int64_t));
	cumd = xcalloc(cells, sizeof(int64_t));
	flat = xcalloc(cells, sizeof(int64_t));
	flatd = xcalloc(cells, sizeof(int64_t));
	touched = xcalloc(cells, 1);
	for (i = 0; i < g->nnodes; i++)
		g->nodes[i].stamp = 0;
	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *s = &p->samples[i];
		const uint32_t *stk = pf_stack(p, s), *sid = ids + off[i];
		const int64_t *v = pf_values(p, i);
		int64_t w = v[g->opts.sample_index], dw = g->opts.mean_index >= 0 ? v[g->opts.mean_index] : 0;
		uint32_t parent = PF_NONE, k, nsid = off[i + 1] - off[i], j;
		bool residual = false;

		if (nsid == 0)
			continue;
		if (g->tree) {
			/* the sample's path: its last tree node and the parents
			 * it was built with */
			uint32_t x = g->sample_leaf[i];
			size_t base;

			if (x != PF_NONE && want[x]) {
				base = (size_t)slot_of[x] * ncls;
				for (j = 0; j < nsid; j++) {
					flat[base + sid[j]] = sat_add(flat[base + sid[j]], w);
					flatd[base + sid[j]] += dw;
					touched[base + sid[j]] = 1;
				}
			}
			for (; x != PF_NONE; x = g->tree_parent[x]) {
				if (!want[x])
					continue;
				base = (size_t)slot_of[x] * ncls;
				for (j = 0; j < nsid; j++) {
					cum[base + sid[j]] = sat_add(cum[base + sid[j]], w);
					cumd[base + sid[j]] += dw;
					touched[base + sid[j]] = 1;
				}
			}
			continue;
		}
		stamp++;
		for (k = s->nlocs; k-- > 0;) {
			uint32_t loc = stk[k], first = g->loc_first[loc], cnt = g->loc_count[loc], ni;

			for (ni = cnt; ni-- > 0;) {
				uint32_t nx = g->loc_nodes[first + ni];
				struct gnode *n = &g->nodes[nx];

				if (!n->kept) {
					residual = true;
					continue;
				}
				if (n->stamp != stamp) {
					n->stamp = stamp;
					if (want[nx]) {
						size_t base = (size_t)slot_of[nx] * ncls;
						for (j = 0; j < nsid; j++) {
							cum[base + sid[j]] = sat_add(cum[base + sid[j]], w);
							cumd[base + sid[j]] += dw;
							touched[base + sid[j]] = 1;
						}
					}
				}
				parent = nx;
				residual = false;
			}
		}
		if (parent != PF_NONE && !residual && want[parent]) {
			size_t base = (size_t)slot_of[parent] * ncls;
			for (j = 0; j < nsid; j++) {
				flat[base + sid[j]] = sat_add(flat[base + sid[j]], w);
				flatd[base + sid[j]] += dw;
				touched[base + sid[j]] = 1;
			}
		}
	}
	/* One tag per touched cell, node by node. */
	{
		size_t cap = 0;

		for (i = 0; i < g->nnodes; i++) {
			if (!want[i])
				continue;
			for (c = 0; c < ncls; c++) {
				size_t cell = (size_t)slot_of[i] * ncls + c;
				struct gtag *t;

				if (!touched[cell])
					continue;
				xgrow(&g->tags, &cap, g->ntags + 1, sizeof(*t));
				t = &g->tags[g->ntags++];
				*t = cg.tags[c];
				t->node = (uint32_t)i;
				t->cum = cum[cell];
				t->cum_div = cumd[cell];
				t->flat = flat[cell];
				t->flat_div = flatd[cell];
			}
		}
	}
	free(cum);
	free(cumd);
	free(flat);
	free(flatd);
	free(touched);
	ok = true;
done:
	free(off);
	free(ids);
	free(cg.tags);
	free(ctt.slots);
	return ok;
}

static void tags_for(struct graph *g, const char *unit, int64_t cutoff, size_t limit)
{
	const struct profile *p = g->prof;
	struct tag_walk tw;
	uint32_t stamp = 0;
	size_t i;
	bool *want;

	graph_tags_release(g);
	if (!graph_profile_has_tags(p))
		return;
	walk_init(&tw, p, unit);
	for (i = 0; i < g->nnodes; i++)
		g->nodes[i].stamp = 0;
	want = xcalloc(g->nnodes + 1, sizeof(bool));
	if (limit > g->norder)
		limit = g->norder;
	for (i = 0; i < limit; i++)
		want[g->order[i]] = true;
	{
		uint32_t *slot_of = xcalloc(g->nnodes + 1, sizeof(uint32_t));
		bool done;

		for (i = 0; i < limit; i++)
			slot_of[g->order[i]] = (uint32_t)i;
		done = tags_dense(g, &tw, want, slot_of, limit);
		free(slot_of);
		if (done) {
			free(want);
			walk_release(&tw);
			index_tags(g);
			graph_trim_tags(g, cutoff);
			return;
		}
	}
	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *s = &p->samples[i];
		const uint32_t *stk = pf_stack(p, s);
		const int64_t *v = pf_values(p, i);
		int64_t w = v[g->opts.sample_index], dw = g->opts.mean_index >= 0 ? v[g->opts.mean_index] : 0;
		uint32_t parent = PF_NONE, k;
		bool residual = false;

		if (w == 0 && dw == 0)
			continue;
		if (!sample_tags(p, s, tw.unit, tw.out_unit, &tw.names, &tw.st))
			continue;
		if (g->tree) {
			uint32_t x = g->sample_leaf[i];

			if (x != PF_NONE && want[x])
				node_add(g, &tw.tt, x, &tw.st, tw.unit, dw, w, true);
			for (; x != PF_NONE; x = g->tree_parent[x])
				if (want[x])
					node_add(g, &tw.tt, x, &tw.st, tw.unit, dw, w, false);
			continue;
		}
		stamp++;
		for (k = s->nlocs; k-- > 0;) {
			uint32_t loc = stk[k], first = g->loc_first[loc], cnt = g->loc_count[loc], ni;

			for (ni = cnt; ni-- > 0;) {
				uint32_t nx = g->loc_nodes[first + ni];
				struct gnode *n = &g->nodes[nx];

				if (!n->kept) {
					residual = true;
					continue;
				}
				if (n->stamp != stamp) {
					n->stamp = stamp;
					if (want[nx])
						node_add(g, &tw.tt, nx, &tw.st, tw.unit, dw, w, false);
				}
				parent = nx;
				residual = false;
			}
		}
		if (parent != PF_NONE && !residual && want[parent])
			node_add(g, &tw.tt, parent, &tw.st, tw.unit, dw, w, true);
	}
	free(want);
	walk_release(&tw);
	index_tags(g);
	graph_trim_tags(g, cutoff);
}

void graph_tags(struct graph *g, const char *unit, int64_t cutoff)
{
	tags_for(g, unit, cutoff, g->norder);
}

void graph_trim_tags(struct graph *g, int64_t cutoff)
{
	size_t i;

	for (i = 0; i < g->ntags; i++) {
		struct gtag *t = &g->tags[i];
		if (abs64(t->flat) < cutoff && abs64(t->cum) < cutoff)
			t->trimmed = true;
	}
}

int graph_count_tags(const struct graph *g, uint32_t node)
{
	int c = 0;
	uint32_t k;

	if (!g->tag_first)
		return 0;
	for (k = 0; k < g->tag_count[node]; k++) {
		const struct gtag *t = &g->tags[g->tag_first[node] + k];
		if (!t->trimmed && t->flat != 0)
			c++;
	}
	return c;
}

size_t graph_visual_count(struct graph *g, const struct trim_opts *t, const struct trim_result *r, size_t max)
{
	size_t i;
	int count = 0;

	/* The count reaches max at node max-1 at the latest. */
	tags_for(g, t->tag_unit, r->node_cutoff, max);
	if (!g->tag_first)
		return max;
	for (i = 0; i < g->norder; i++) {
		int n = graph_count_tags(g, g->order[i]);
		if (n > 4)
			n = 4; /* pprof's maxNodelets */
		count += n + 1;
		if ((size_t)count >= max)
			return i + 1;
	}
	return max;
}
