#include "flame.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "color.h"
#include "error.h"
#include "json.h"
#include "hash.h"
#include "strtab.h"
#include "units.h"
#include "xalloc.h"
#include <strings.h>

/* A trie node.  Children are found through the hash table while
 * building; flame_finish() lays them out in kids[] sorted by name.  A
 * child always has a larger index than its parent, which lets totals be
 * summed in one backwards pass. */
struct fnode {
	uint32_t name; /* into f->names */
	uint32_t parent;
	/* After flame_finish: the children, kids[kid0 .. kid0 + nkids).
	 * While building: nkids 1 when the node's children are in the hash
	 * table; else kid0 is its only child + 1 (0: none).  Most nodes of a
	 * deep profile are the tail of one stack and never get a second
	 * child: they stay out of the hash table (no probe, no slot). */
	uint32_t kid0, nkids;
};

/* A hash slot holds 32 bits of its key's hash next to the node, so that
 * a probe past other keys reads only the slot, not the slot and then
 * the node (those reads were most of flame's time on a deep profile);
 * the node is read to confirm a match. */
struct slot {
	uint32_t node; /* node index + 1; 0: empty */
	uint32_t tag;  /* high half of the key's hash */
};

struct flame {
	struct fnode *nodes;
	size_t n, cap;
	size_t ncols;
	/* Self values, sparse: only the nodes where a stack ends have them
	 * (a sixth of a deep profile's nodes), so a node holds the number
	 * of its row of ncols values (0: none, all zero), and rows are
	 * allocated as stacks end.  Four value columns per node (speedscope)
	 * were 85 MB on the deep bench profile, twice during flame_finish. */
	uint32_t *vix;  /* per node: row + 1, or 0 */
	int64_t *vals;  /* nrows * ncols */
	size_t nrows, cap_rows;
	struct slot *slots; /* open addressing over (parent, name) */
	size_t nslots;
	uint32_t *kids;
	size_t nhashed; /* nodes in the hash table */
	size_t max_nodes; /* node ids are 32 bits; flame_set_limit lowers it */
	bool finished;
	const char **names;  /* interned frame names by id */
	char **fnames;       /* folded-safe copies (owned), NULL when the same */
	size_t nnames, cap_names;
	struct u64map name_ids; /* interned pointer -> id */
};

static uint32_t name_id(struct flame *f, const char *name)
{
	int ins;
	uint64_t *v = u64map_put(&f->name_ids, (uint64_t)(uintptr_t)name, f->nnames, &ins);

	if (ins) {
		const char *q;
		xgrow(&f->names, &f->cap_names, f->nnames + 1, sizeof(*f->names));
		f->fnames = xreallocarray(f->fnames, f->cap_names, sizeof(*f->fnames));
		f->names[f->nnames] = name;
		f->fnames[f->nnames] = NULL;
		for (q = name; *q; q++)
			if (*q == ';' || (unsigned char)*q < 0x20 || *q == 0x7f)
				break;
		if (*q) {
			char *c = xstrdup(name), *w;
			for (w = c; *w; w++)
				if (*w == ';')
					*w = ':';
				else if ((unsigned char)*w < 0x20 || *w == 0x7f)
					*w = '?';
			f->fnames[f->nnames] = c;
		}
		f->nnames++;
	}
	return (uint32_t)*v;
}

#define NAME(f, i) ((f)->names[(f)->nodes[i].name])

static uint64_t key_hash(uint32_t parent, uint32_t name)
{
	return hash_mix((uint64_t)parent << 32 | name);
}

static uint32_t add_node(struct flame *f, uint32_t parent, uint32_t name)
{
	struct fnode *nd;

	if (f->n + 1 > f->cap) {
		xgrow(&f->nodes, &f->cap, f->n + 1, sizeof(*f->nodes));
		f->vix = xreallocarray(f->vix, f->cap, sizeof(*f->vix));
	}
	f->vix[f->n] = 0;
	nd = &f->nodes[f->n];
	nd->name = name;
	nd->parent = parent;
	nd->kid0 = nd->nkids = 0;
	return (uint32_t)f->n++;
}

static void slot_put(struct slot *sl, size_t nslots, uint64_t h, uint32_t node)
{
	size_t j = h & (nslots - 1);

	while (sl[j].node)
		j = (j + 1) & (nslots - 1);
	sl[j].node = node + 1;
	sl[j].tag = (uint32_t)(h >> 32);
}

static void rehash(struct flame *f)
{
	size_t ncap = f->nslots ? f->nslots * 2 : 4096, i;
	struct slot *ns = xcalloc(ncap, sizeof(*ns));

	for (i = 1; i < f->n; i++)
		if (f->nodes[f->nodes[i].parent].nkids)
			slot_put(ns, ncap, key_hash(f->nodes[i].parent, f->nodes[i].name), (uint32_t)i);
	free(f->slots);
	f->slots = ns;
	f->nslots = ncap;
}

/* NO_NODE: the trie is full (node ids are 32 bits); err_set() says so. */
#define NO_NODE UINT32_MAX

static uint32_t new_node(struct flame *f, uint32_t parent, uint32_t name)
{
	if (f->n >= f->max_nodes) {
		err_set("flame graph: more than %zu frames", f->max_nodes - 1);
		return NO_NODE;
	}
	return add_node(f, parent, name);
}

static uint32_t child(struct flame *f, uint32_t parent, uint32_t name)
{
	uint64_t h;
	uint32_t tag, c;
	size_t j;
	struct slot *sl;

	if (!f->nodes[parent].nkids) {
		/* not in the hash table: one child at most */
		uint32_t k0 = f->nodes[parent].kid0;
		if (k0 == 0) {
			c = new_node(f, parent, name);
			if (c != NO_NODE)
				f->nodes[parent].kid0 = c + 1;
			return c;
		}
		if (f->nodes[k0 - 1].name == name)
			return k0 - 1;
		/* a second child: the node's children go to the table */
		f->nodes[parent].nkids = 1;
		if ((f->nhashed + 2) * 4 > f->nslots * 3)
			rehash(f); /* puts the first child in too */
		else
			slot_put(f->slots, f->nslots, key_hash(parent, f->nodes[k0 - 1].name), k0 - 1);
		f->nhashed++;
	}
	/* at most 3/4 full: 8-byte slots keep that smaller than the
	 * nodes themselves */
	if ((f->nhashed + 1) * 4 > f->nslots * 3)
		rehash(f);
	h = key_hash(parent, name);
	tag = (uint32_t)(h >> 32);
	j = h & (f->nslots - 1);
	while ((sl = &f->slots[j])->node) {
		if (sl->tag == tag) {
			const struct fnode *nd = &f->nodes[sl->node - 1];
			if (nd->name == name && nd->parent == parent)
				return sl->node - 1;
		}
		j = (j + 1) & (f->nslots - 1);
	}
	c = new_node(f, parent, name);
	if (c == NO_NODE)
		return c;
	sl->node = c + 1;
	sl->tag = tag;
	f->nhashed++;
	return c;
}

/* Room for n more nodes at once (an upper bound: the untouched part
 * costs address space only), instead of copies by doubling. */
static void reserve_nodes(struct flame *f, size_t n)
{
	size_t want = f->n + n + 1;

	if (want <= f->cap)
		return;
	f->nodes = xreallocarray(f->nodes, want, sizeof(*f->nodes));
	f->vix = xreallocarray(f->vix, want, sizeof(*f->vix)); /* set as nodes are added */
	f->cap = want;
}

/* The row of values of node (allocated, zeroed, on first use). */
static int64_t *self_row(struct flame *f, uint32_t node)
{
	if (!f->vix[node]) {
		if (f->nrows + 1 > f->cap_rows) {
			size_t nc = f->cap_rows ? f->cap_rows * 2 : 1024;
			f->vals = xreallocarray(f->vals, nc * f->ncols, sizeof(int64_t));
			f->cap_rows = nc;
		}
		memset(f->vals + f->nrows * f->ncols, 0, f->ncols * sizeof(int64_t));
		f->vix[node] = (uint32_t)++f->nrows;
	}
	return f->vals + (size_t)(f->vix[node] - 1) * f->ncols;
}

/* Node's self value in column c. */
static inline int64_t self_at(const struct flame *f, size_t node, size_t c)
{
	uint32_t r = f->vix[node];

	return r ? f->vals[(size_t)(r - 1) * f->ncols + c] : 0;
}

struct flame *flame_new(size_t ncols)
{
	struct flame *f = xcalloc(1, sizeof(*f));

	f->ncols = ncols ? ncols : 1;
	f->max_nodes = UINT32_MAX - 1;
	add_node(f, 0, name_id(f, intern("all")));
	return f;
}

void flame_free(struct flame *f)
{
	if (!f)
		return;
	free(f->nodes);
	free(f->vix);
	free(f->vals);
	free(f->slots);
	free(f->kids);
	for (size_t i = 0; i < f->nnames; i++)
		free(f->fnames[i]);
	free(f->fnames);
	free(f->names);
	u64map_release(&f->name_ids);
	free(f);
}

void flame_set_limit(struct flame *f, size_t max_nodes)
{
	if (max_nodes >= 1 && max_nodes < UINT32_MAX - 1)
		f->max_nodes = max_nodes;
}

size_t flame_nodes(const struct flame *f)
{
	return f->n;
}

int flame_add(struct flame *f, const struct profile *p, const struct flame_build_opts *o,
	      const int *sidx, const size_t *cols, const double *scale, size_t n)
{
	struct graph_opts go;
	struct graph *g;
	uint32_t *fr = NULL, *gname, *prev = NULL, *prev_node = NULL;
	size_t cap_fr = 0, cap_prev = 0, nprev = 0, i, k;
	int64_t vals[16];
	int rc = 0;

	if (n > sizeof(vals) / sizeof(vals[0]))
		n = sizeof(vals) / sizeof(vals[0]);
	memset(&go, 0, sizeof(go));
	go.sample_index = sidx[0];
	go.mean_index = -1;
	go.gran = o->gran;
	go.noinlines = o->noinlines;
	g = graph_new(p, &go);
	gname = xreallocarray(NULL, g->nnodes + 1, sizeof(uint32_t));
	for (i = 0; i < g->nnodes; i++)
		gname[i] = name_id(f, g->nodes[i].pname);
	{
		/* at most one new node per frame */
		size_t frames = 0;
		for (i = 0; i < p->nstacks; i++)
			frames += g->loc_count[p->stacks[i]];
		reserve_nodes(f, frames);
		/* at most one new row per sample: room at once */
		if (f->nrows + p->nsamples + 1 > f->cap_rows) {
			f->cap_rows = f->nrows + p->nsamples + 1;
			f->vals = xreallocarray(f->vals, f->cap_rows * f->ncols, sizeof(int64_t));
		}
	}
	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *s = &p->samples[i];
		const uint32_t *stk = pf_stack(p, s);
		const int64_t *sv = pf_values(p, i);
		size_t m = 0, j, q0;
		uint32_t cur = 0;
		bool any = false;

		if (s->nlocs == 0)
			continue;
		for (k = 0; k < n; k++) {
			int64_t v = sv[sidx[k]];
			if (scale && scale[k] != 1)
				v = (int64_t)llround((double)v * scale[k]);
			vals[k] = v;
			any |= v != 0;
		}
		if (!any)
			continue;
		for (j = 0; j < s->nlocs; j++) {
			uint32_t loc = stk[j], c = g->loc_count[loc], first = g->loc_first[loc], q;
			if (m + c > cap_fr)
				xgrow(&fr, &cap_fr, m + c, sizeof(*fr));
			for (q = 0; q < c; q++)
				fr[m++] = gname[g->loc_nodes[first + q]];
		}
		/* fr[] is leaf first; put it in insertion order */
		if (!o->reverse)
			for (j = 0; j < m / 2; j++) {
				uint32_t t = fr[j];
				fr[j] = fr[m - 1 - j];
				fr[m - 1 - j] = t;
			}
		/* Samples next to each other often share their first frames:
		 * start below the prefix shared with the previous sample. */
		for (q0 = 0; q0 < m && q0 < nprev && fr[q0] == prev[q0]; q0++)
			;
		if (q0)
			cur = prev_node[q0 - 1];
		if (m > cap_prev) {
			xgrow(&prev, &cap_prev, m, sizeof(*prev));
			prev_node = xreallocarray(prev_node, cap_prev, sizeof(*prev_node));
		}
		for (j = q0; j < m; j++) {
			cur = child(f, cur, fr[j]);
			if (cur == NO_NODE) {
				rc = -1;
				goto out;
			}
			prev[j] = fr[j];
			prev_node[j] = cur;
		}
		nprev = m;
		{
			int64_t *row = self_row(f, cur);
			for (k = 0; k < n; k++)
				row[cols[k]] = sat_add(row[cols[k]], vals[k]);
		}
	}
out:
	free(fr);
	free(prev);
	free(prev_node);
	free(gname);
	graph_free(g);
	return rc;
}

static int name_cmp(const void *a, const void *b, void *ctx)
{
	const struct flame *f = ctx;
	return strcmp(NAME(f, *(const uint32_t *)a), NAME(f, *(const uint32_t *)b));
}

/* qsort_r is a GNU extension; a small merge sort keeps this portable. */
static void sort_kids(uint32_t *a, uint32_t *tmp, size_t n, const struct flame *f)
{
	size_t mid, i, j, k;

	if (n < 2)
		return;
	if (n == 2) {
		if (name_cmp(&a[0], &a[1], (void *)f) > 0) {
			uint32_t t = a[0];
			a[0] = a[1];
			a[1] = t;
		}
		return;
	}
	mid = n / 2;
	sort_kids(a, tmp, mid, f);
	sort_kids(a + mid, tmp, n - mid, f);
	for (i = 0, j = mid, k = 0; i < mid && j < n;)
		tmp[k++] = name_cmp(&a[i], &a[j], (void *)f) <= 0 ? a[i++] : a[j++];
	while (i < mid)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, n * sizeof(*a));
}

/* Fill kids[] (children of each node, in index order) and the nodes'
 * kid0/nkids; returns the largest number of children. */
static size_t link_kids(struct flame *f)
{
	size_t i, maxk = 0;
	uint32_t pos = 0;

	for (i = 0; i < f->n; i++)
		f->nodes[i].nkids = 0;
	for (i = 1; i < f->n; i++)
		f->nodes[f->nodes[i].parent].nkids++;
	/* kid0 first marks the end of a node's children, and moves back
	 * as a backwards pass puts them in (no cursor array) */
	for (i = 0; i < f->n; i++) {
		pos += f->nodes[i].nkids;
		f->nodes[i].kid0 = pos;
		if (f->nodes[i].nkids > maxk)
			maxk = f->nodes[i].nkids;
	}
	for (i = f->n; i-- > 1;) {
		struct fnode *p = &f->nodes[f->nodes[i].parent];
		f->kids[--p->kid0] = (uint32_t)i;
	}
	return maxk;
}

void flame_finish(struct flame *f)
{
	size_t i, maxk;
	uint32_t *tmp, *newix;

	if (f->finished)
		return;
	f->finished = true;
	free(f->slots);
	f->slots = NULL;
	f->nslots = 0;
	f->kids = xreallocarray(NULL, f->n + 1, sizeof(uint32_t));
	maxk = link_kids(f);
	tmp = xreallocarray(NULL, maxk + 1, sizeof(uint32_t));
	for (i = 0; i < f->n; i++)
		sort_kids(f->kids + f->nodes[i].kid0, tmp, f->nodes[i].nkids, f);
	free(tmp);
	/* Renumber the nodes in depth-first, name order, so that every
	 * writer walks memory in order (a large trie is far bigger than the
	 * caches).  Parents still come before their children, and children
	 * in index order are in name order. */
	/* A node's new number is its parent's, plus one, plus the sizes of
	 * the subtrees of its elder siblings.  Children have larger indexes
	 * than their parents, so one backwards pass sums the subtree sizes
	 * and one forwards pass hands out the numbers, both mostly in
	 * memory order (a depth-first walk with a stack read each node at
	 * random: most of flame_finish's time on the deep bench profile).
	 * newix[] holds a node's subtree size until its parent replaces it
	 * with the node's number. */
	newix = xreallocarray(NULL, f->n, sizeof(uint32_t));
	for (i = 0; i < f->n; i++)
		newix[i] = 1;
	for (i = f->n; i-- > 1;)
		newix[f->nodes[i].parent] += newix[i];
	newix[0] = 0;
	for (i = 0; i < f->n; i++) {
		const uint32_t *kid = f->kids + f->nodes[i].kid0;
		uint32_t next = newix[i] + 1, k, sz;
		for (k = 0; k < f->nodes[i].nkids; k++) {
			sz = newix[kid[k]];
			newix[kid[k]] = next;
			next += sz;
		}
	}
	/* Scatter the nodes, then their values, into new arrays (reads in
	 * order, writes independent of each other: fast), one array at a
	 * time so that only one copy exists at once.  Moving them in place
	 * cycle by cycle needed no copy but was a chain of dependent cache
	 * misses, three times slower. */
	{
		struct fnode *nn = xreallocarray(NULL, f->n, sizeof(*nn));
		uint32_t *nv;

		for (i = 0; i < f->n; i++) {
			uint32_t j = newix[i];
			nn[j] = f->nodes[i];
			nn[j].parent = i ? newix[f->nodes[i].parent] : 0;
		}
		free(f->nodes);
		f->nodes = nn;
		f->cap = f->n;
		nv = xreallocarray(NULL, f->n, sizeof(*nv));
		for (i = 0; i < f->n; i++)
			nv[newix[i]] = f->vix[i];
		free(f->vix);
		f->vix = nv;
		/* the rows in the new node order too, so that the writers'
		 * walks read them in order (in sample order, each lookup
		 * was a cache miss) */
		{
			size_t nc = f->ncols, r = 0;
			int64_t *vals = xreallocarray(NULL, f->nrows * nc + 1, sizeof(int64_t));
			for (i = 0; i < f->n; i++)
				if (nv[i]) {
					memcpy(vals + r * nc, f->vals + (size_t)(nv[i] - 1) * nc, nc * sizeof(int64_t));
					nv[i] = (uint32_t)++r;
				}
			free(f->vals);
			f->vals = vals;
			f->cap_rows = f->nrows;
		}
	}
	free(newix);
	link_kids(f);
}

/* ---- folded ---- */

static char *fmt_i64(int64_t v, char *end)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	*--end = 0;
	do {
		*--end = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--end = '-';
	return end;
}

/* Iterative depth-first walk in name order: calls visit(node, depth)
 * on entry; path_len[] records the buffer length to restore. */
struct walk {
	uint32_t *node, *next;
	size_t *mark;
	size_t depth, cap;
};

static void walk_push(struct walk *w, uint32_t node, size_t mark)
{
	if (w->depth + 1 > w->cap) {
		size_t nc = w->cap ? w->cap * 2 : 64;
		w->node = xreallocarray(w->node, nc, sizeof(uint32_t));
		w->next = xreallocarray(w->next, nc, sizeof(uint32_t));
		w->mark = xreallocarray(w->mark, nc, sizeof(size_t));
		w->cap = nc;
	}
	w->node[w->depth] = node;
	w->next[w->depth] = 0;
	w->mark[w->depth] = mark;
	w->depth++;
}

static void walk_release(struct walk *w)
{
	free(w->node);
	free(w->next);
	free(w->mark);
}

int flame_write_folded(const struct flame *f, const size_t *cols, size_t ncols, FILE *out)
{
	struct buf path = BUF_INIT;
	struct walk w = { 0 };
	char num[32];
	size_t k;

	buf_reserve(&path, 4096);
	walk_push(&w, 0, 0);
	while (w.depth) {
		size_t d = w.depth - 1;
		const struct fnode *nd = &f->nodes[w.node[d]];

		if (w.next[d] < nd->nkids) {
			uint32_t c = f->kids[nd->kid0 + w.next[d]++];
			bool any = false;

			path.len = w.mark[d];
			path.data[path.len] = 0;
			if (d > 0)
				buf_putc(&path, ';');
			{
				uint32_t id = f->nodes[c].name;
				buf_puts(&path, f->fnames[id] ? f->fnames[id] : f->names[id]);
			}
			for (k = 0; k < ncols; k++)
				any |= self_at(f, c, cols[k]) != 0;
			if (any) {
				size_t mark = path.len;
				for (k = 0; k < ncols; k++) {
					buf_putc(&path, ' ');
					buf_puts(&path, fmt_i64(self_at(f, c, cols[k]), num + sizeof(num)));
				}
				buf_putc(&path, '\n');
				fwrite(path.data, 1, path.len, out);
				path.len = mark;
				path.data[mark] = 0;
			}
			walk_push(&w, c, path.len);
			continue;
		}
		w.depth--;
	}
	walk_release(&w);
	buf_release(&path);
	if (ferror(out))
		return err_write(errno);
	return 0;
}

/* ---- JSON / XML text ---- */

/* Length of a valid UTF-8 sequence at s that is also an XML character,
 * or 0 (JSON text goes through json.c). */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xe0 && s[1] < 0xa0)
			return 0;
		if (s[0] == 0xed && s[1] >= 0xa0)
			return 0; /* surrogates */
		if (s[0] == 0xef && s[1] == 0xbf && s[2] >= 0xbe)
			return 0; /* U+FFFE, U+FFFF are not XML characters */
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xf0 && s[1] < 0x90)
			return 0;
		if (s[0] == 0xf4 && s[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

/* XML text or attribute content: escaped, invalid bytes and control
 * characters replaced by '?', so the document is always well-formed. */
static void put_xml(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t l = utf8_len(p);
		if (l == 0) {
			fputc('?', out);
			p++;
			continue;
		}
		if (l > 1) {
			fwrite(p, 1, l, out);
			p += l;
			continue;
		}
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\n': fputs("&#10;", out); break;
		default:
			fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, out);
		}
		p++;
	}
}

/* ---- speedscope ---- */

static const char *speedscope_unit(const char *u)
{
	if (!strcasecmp(u, "bytes") || !strcasecmp(u, "byte") || !strcasecmp(u, "b"))
		return "bytes";
	if (!strcasecmp(u, "nanoseconds") || !strcasecmp(u, "ns"))
		return "nanoseconds";
	if (!strcasecmp(u, "microseconds") || !strcasecmp(u, "us"))
		return "microseconds";
	if (!strcasecmp(u, "milliseconds") || !strcasecmp(u, "ms"))
		return "milliseconds";
	if (!strcasecmp(u, "seconds") || !strcasecmp(u, "s"))
		return "seconds";
	return "none";
}

/* Output in 64 KB blocks (the samples and weights of a big trie are
 * most of speedscope's file: a write per element was a call per node). */
struct oblock {
	char *data;
	size_t len, cap;
	FILE *f;
};

static void ob_flush(struct oblock *o)
{
	if (o->len)
		fwrite(o->data, 1, o->len, o->f);
	o->len = 0;
}

/* Room for n more bytes. */
static char *ob_room(struct oblock *o, size_t n)
{
	if (o->len + n > o->cap) {
		ob_flush(o);
		if (n > o->cap) {
			o->cap = n;
			o->data = xrealloc(o->data, o->cap);
		}
	}
	return o->data + o->len;
}

int flame_write_speedscope(const struct flame *f, const struct pf_valtype *types, size_t ntypes,
			   const char *name, int active, FILE *out)
{
	struct json j;
	struct oblock ob = { NULL, 0, 0, out };
	const char **names = NULL;
	uint32_t *fid = xreallocarray(NULL, f->nnames + 1, sizeof(uint32_t));
	/* per name: ",ID" (the comma is skipped for a stack's first frame) */
	struct idtxt {
		char s[15];
		unsigned char len;
	} *txt;
	uint32_t *anc = NULL; /* the ancestors of the node being visited */
	size_t *mark = NULL;  /* line length after each ancestor's id */
	size_t cap_anc = 0, nnames = 0, c, i, r;
	size_t nc = f->ncols, r0 = f->vix[0] ? 1 : 0; /* the root's row is no stack */
	char *line = NULL;
	size_t cap_line = 0;

	/* Frame ids in order of the name-ordered depth-first walk, which
	 * is the nodes' order after flame_finish: deterministic. */
	for (i = 0; i < f->nnames; i++)
		fid[i] = UINT32_MAX;
	names = xreallocarray(NULL, f->nnames + 1, sizeof(*names));
	for (i = 1; i < f->n; i++) {
		uint32_t nm = f->nodes[i].name;
		if (fid[nm] == UINT32_MAX) {
			fid[nm] = (uint32_t)nnames;
			names[nnames++] = f->names[nm];
		}
	}
	txt = xcalloc(f->nnames + 1, sizeof(*txt));
	for (i = 0; i < f->nnames; i++) {
		char b[16], *p = fmt_i64(fid[i], b + sizeof(b)); /* NUL at b[15] */
		size_t l = (size_t)(b + sizeof(b) - 1 - p);
		if (fid[i] == UINT32_MAX)
			continue;
		txt[i].s[0] = ',';
		memcpy(txt[i].s + 1, p, l);
		txt[i].len = (unsigned char)(l + 1);
	}
	json_init(&j, out);
	json_begin_object(&j);
	json_kstr(&j, "$schema", "https://www.speedscope.app/file-format-schema.json");
	json_newline(&j);
	json_key(&j, "shared");
	json_begin_object(&j);
	json_key(&j, "frames");
	json_begin_array(&j);
	for (i = 0; i < nnames; i++) {
		json_newline(&j);
		json_begin_object(&j);
		json_kstr(&j, "name", names[i]);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
	json_newline(&j);
	json_key(&j, "profiles");
	json_begin_array(&j);
	ob.cap = 1 << 16;
	ob.data = xrealloc(NULL, ob.cap);
	for (c = 0; c < nc && c < ntypes; c++) {
		int64_t total = 0;
		size_t top = 0;
		bool first = true;

		for (r = r0; r < f->nrows; r++)
			total = sat_add(total, f->vals[r * nc + c]);
		json_newline(&j);
		json_begin_object(&j);
		json_kstr(&j, "type", "sampled");
		json_kstr(&j, "name", types[c].type);
		json_kstr(&j, "unit", speedscope_unit(types[c].unit));
		json_kint(&j, "startValue", 0);
		json_kint(&j, "endValue", total);
		json_newline(&j);
		json_key(&j, "samples");
		json_begin_array(&j);
		/* samples: each stack root first; weights: after, same order.
		 * The nodes are in the walk's order, so one pass over them
		 * visits the stacks in order; the line holds "[ID,ID,..."
		 * of the node's ancestors, cut back to its parent's. */

		if (cap_line < 64) {
			cap_line = 64;
			line = xrealloc(line, cap_line);
		}
		line[0] = '[';
		xgrow(&anc, &cap_anc, 1, sizeof(*anc));
		mark = xreallocarray(mark, cap_anc, sizeof(*mark));
		anc[0] = 0;
		mark[0] = 1;
		for (i = 1; i < f->n; i++) {
			uint32_t p = f->nodes[i].parent, rix;
			const struct idtxt *t = &txt[f->nodes[i].name];
			size_t len, skip;

			while (top > 0 && anc[top] != p)
				top--;
			len = mark[top];
			skip = top == 0; /* no comma before the first frame */
			if (len + sizeof(t->s) + 2 > cap_line) {
				cap_line *= 2;
				line = xrealloc(line, cap_line);
			}
			memcpy(line + len, t->s + skip, sizeof(t->s) - 1);
			len += t->len - skip;
			if (++top >= cap_anc) {
				xgrow(&anc, &cap_anc, top + 1, sizeof(*anc));
				mark = xreallocarray(mark, cap_anc, sizeof(*mark));
			}
			anc[top] = (uint32_t)i;
			mark[top] = len;
			rix = f->vix[i];
			if (rix && f->vals[(size_t)(rix - 1) * nc + c] != 0) {
				char *o = ob_room(&ob, len + 3);
				if (!first)
					*o++ = ',';
				*o++ = '\n';
				memcpy(o, line, len);
				o[len] = ']';
				ob.len = (size_t)(o + len + 1 - ob.data);
				first = false;
			}
		}
		ob_flush(&ob);
		json_end_array(&j);
		json_newline(&j);
		json_key(&j, "weights");
		json_begin_array(&j);
		/* the rows are in node order too: the weights in walk order */
		first = true;
		for (r = r0; r < f->nrows; r++) {
			int64_t v = f->vals[r * nc + c];
			char b[24], *e = b + sizeof(b), *p;
			char *o;
			if (v == 0)
				continue;
			p = fmt_i64(v, e); /* NUL at e - 1 */
			o = ob_room(&ob, (size_t)(e - p) + 1);
			if (!first)
				*o++ = ',';
			memcpy(o, p, (size_t)(e - 1 - p));
			ob.len = (size_t)(o + (e - 1 - p) - ob.data);
			first = false;
		}
		ob_flush(&ob);
		json_end_array(&j);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_newline(&j);
	json_kstr(&j, "name", name ? name : "");
	json_kint(&j, "activeProfileIndex", active);
	json_kstr(&j, "exporter", "drip");
	json_end_object(&j);
	json_finish(&j);
	free(ob.data);
	free(line);
	free(anc);
	free(mark);
	free(txt);
	free(names);
	free(fid);
	if (ferror(out))
		return err_write(errno);
	return 0;
}

/* ---- SVG ---- */

void flame_package(const char *name, char *out, size_t n)
{
	const char *s = name, *slash, *dot, *end;
	size_t l;

	end = strchr(s, ' '); /* "pkg.F file:line" at --lines */
	if (!end)
		end = s + strlen(s);
	slash = NULL;
	for (const char *p = s; p < end; p++)
		if (*p == '/')
			slash = p;
	dot = memchr(slash ? slash : s, '.', (size_t)(end - (slash ? slash : s)));
	if (dot)
		end = dot;
	l = (size_t)(end - s);
	if (l >= n)
		l = n - 1;
	memcpy(out, s, l);
	out[l] = 0;
}

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/* HSL (h in degrees, s and l in [0,1]) to "#rrggbb". */
static void hsl_hex(double h, double s, double l, char *out)
{
	double c = (1 - fabs(2 * l - 1)) * s, hp = fmod(h, 360) / 60, x = c * (1 - fabs(fmod(hp, 2) - 1));
	double r = 0, g = 0, b = 0, m = l - c / 2;

	if (hp < 1) { r = c; g = x; }
	else if (hp < 2) { r = x; g = c; }
	else if (hp < 3) { g = c; b = x; }
	else if (hp < 4) { g = x; b = c; }
	else if (hp < 5) { r = x; b = c; }
	else { r = c; b = x; }
	snprintf(out, 8, "#%02x%02x%02x", (int)lround((r + m) * 255), (int)lround((g + m) * 255),
		 (int)lround((b + m) * 255));
}

/* Memory palette: greens through teals, one colour per Go package, so a
 * package's frames read as a block and differ from their neighbours. */
static void package_colour(const char *name, char *out)
{
	char pkg[512];
	uint32_t h;

	flame_package(name, pkg, sizeof(pkg));
	h = fnv1a(pkg);
	/* hue and saturation from the package, lightness from the function,
	 * so neighbours of one package still tell apart */
	hsl_hex(85 + (double)(h % 101), 0.38 + (double)((h >> 8) % 24) / 100,
		0.54 + (double)(fnv1a(name) % 20) / 100, out);
}

/* Differential colour: light grey for no change, towards color.h's
 * grew red and shrank blue (drip's one colour language) in proportion
 * to |delta| / largest |delta|. */
static void diff_colour(int64_t d, double maxabs, char *out)
{
	double t = maxabs > 0 ? fabs((double)d) / maxabs : 0;
	unsigned int rgb[3];
	int k;

	if (d == 0) {
		snprintf(out, 8, "#ebebeb");
		return;
	}
	if (t > 1)
		t = 1;
	if (sscanf(color_hex(d > 0 ? COLOR_GREW : COLOR_SHRANK), "#%2x%2x%2x", &rgb[0], &rgb[1], &rgb[2]) != 3)
		rgb[0] = rgb[1] = rgb[2] = 0x80;
	/* from near white (a tiny change) to the full colour */
	for (k = 0; k < 3; k++)
		rgb[k] = (unsigned int)lround(0xf0 + ((double)rgb[k] - 0xf0) * (0.15 + 0.85 * t));
	snprintf(out, 8, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

struct item {
	uint32_t node;    /* UINT32_MAX: merged narrow siblings */
	uint32_t nmerged;
	int depth;
	int64_t x, w;     /* layout units */
	int64_t tot[2], self[2];
	bool gone;        /* diff: only in BASE */
};

struct svg_ctx {
	const struct flame *f;
	const struct flame_svg_opts *o;
	int64_t *tot;  /* n * ncols, signed subtree totals */
	int64_t *lw;   /* layout width */
	int64_t *nabs; /* diff: |NEW| subtree mass, 0 = only in BASE */
	struct item *items;
	size_t nitems, cap_items;
};

static void add_item(struct svg_ctx *c, const struct item *it)
{
	xgrow(&c->items, &c->cap_items, c->nitems + 1, sizeof(*it));
	c->items[c->nitems++] = *it;
}

static void fill_item_values(const struct svg_ctx *c, uint32_t node, struct item *it)
{
	const struct flame *f = c->f;
	size_t k;

	if (c->o->diff) {
		for (k = 0; k < 2; k++) {
			it->tot[k] = c->tot[(size_t)node * f->ncols + k];
			it->self[k] = self_at(f, node, k);
		}
		it->gone = c->nabs[node] == 0;
	} else {
		it->tot[0] = c->tot[(size_t)node * f->ncols + c->o->col];
		it->self[0] = self_at(f, node, c->o->col);
		it->tot[1] = it->self[1] = 0;
		it->gone = false;
	}
}

static void layout(struct svg_ctx *c, int64_t thr, struct flame_svg_stats *st)
{
	const struct flame *f = c->f;
	struct stk { uint32_t node; int depth; int64_t x; } *stack = NULL, *kids = NULL;
	size_t nstack = 0, cap_stack = 0, cap_kids = 0;

	xgrow(&stack, &cap_stack, 1, sizeof(*stack));
	stack[nstack++] = (struct stk){ 0, 0, 0 };
	while (nstack) {
		struct stk s = stack[--nstack];
		const struct fnode *nd = &f->nodes[s.node];
		struct item it, m;
		int64_t cx = s.x;
		size_t nk = 0, i;

		memset(&it, 0, sizeof(it));
		it.node = s.node;
		it.depth = s.depth;
		it.x = s.x;
		it.w = c->lw[s.node];
		fill_item_values(c, s.node, &it);
		add_item(c, &it);
		memset(&m, 0, sizeof(m));
		m.node = UINT32_MAX;
		m.depth = s.depth + 1;
		for (i = 0; i < nd->nkids; i++) {
			uint32_t k = f->kids[nd->kid0 + i];
			int64_t w = c->lw[k];
			if (w > 0 && w >= thr) {
				xgrow(&kids, &cap_kids, nk + 1, sizeof(*kids));
				kids[nk++] = (struct stk){ k, s.depth + 1, cx };
				cx += w;
			} else if (w > 0) {
				struct item ki;
				fill_item_values(c, k, &ki);
				m.nmerged++;
				m.w += w;
				m.tot[0] = sat_add(m.tot[0], ki.tot[0]);
				m.tot[1] = sat_add(m.tot[1], ki.tot[1]);
			}
		}
		if (m.nmerged) {
			if (m.w >= thr) {
				m.x = cx;
				m.self[0] = m.tot[0];
				m.self[1] = m.tot[1];
				add_item(c, &m);
				st->merged += m.nmerged;
			} else {
				st->dropped += m.nmerged;
			}
		}
		xgrow(&stack, &cap_stack, nstack + nk, sizeof(*stack));
		while (nk)
			stack[nstack++] = kids[--nk];
	}
	free(stack);
	free(kids);
}

static void pct(int64_t v, int64_t total, char *out, size_t n)
{
	snprintf(out, n, "%.2f%%", total ? (double)v / (double)total * 100 : 0.0);
}

static void title_text(const struct svg_ctx *c, const struct item *it, const char *name, int64_t total, FILE *out)
{
	const char *u = c->o->unit ? c->o->unit : "";
	char a[64], b[64], d[64], p1[32], p2[32];

	put_xml(out, name);
	if (!c->o->diff) {
		units_label(it->tot[0], u, "minimum", a, sizeof(a));
		pct(it->tot[0], total, p1, sizeof(p1));
		fprintf(out, "&#10;%s (%s)", a, p1);
		if (it->node != UINT32_MAX && it->node != 0) {
			units_label(it->self[0], u, "minimum", b, sizeof(b));
			pct(it->self[0], total, p2, sizeof(p2));
			fprintf(out, ", self %s (%s)", b, p2);
		}
		return;
	}
	for (int k = 0; k < 2; k++) {
		const int64_t *v = k == 0 ? it->tot : it->self;
		int64_t delta = v[1] - v[0];
		if (k == 1 && (it->node == UINT32_MAX || it->node == 0))
			break;
		units_label(v[1], u, "minimum", a, sizeof(a));
		units_label(v[0], u, "minimum", b, sizeof(b));
		units_label(delta, u, "minimum", d, sizeof(d));
		if (v[0] != 0)
			snprintf(p1, sizeof(p1), "%+.2f%%", (double)delta / fabs((double)v[0]) * 100);
		else
			snprintf(p1, sizeof(p1), "%s", v[1] ? "new" : "0%");
		fprintf(out, "&#10;%s: base %s, new %s, delta %s%s (%s)", k == 0 ? "total" : "self", b, a,
			delta > 0 ? "+" : "", d, p1);
	}
	if (it->gone)
		fputs("&#10;only in base", out);
}

/* ---- labels that fit without a script ---- */

/* Advance width of an ASCII character in 1/100 em, Verdana's (the
 * first font of the style, and wider than its fallback DejaVu Sans),
 * rounded up; anything else counts as 100. */
static int char_em100(unsigned char c)
{
	static const char *const w[] = {
		/* 27 */ "ijl'|", /* 36 */ ".,:;!` ", /* 45 */ "()[]{}/\\I-J", /* 45 */ "frt",
		/* 53 */ "csz\"", /* 60 */ "abdeghknopquvxy*_^~", /* 64 */ "0123456789?$#",
		/* 75 */ "ABCEFKLPRSTXYZ<>=+&", /* 85 */ "DGHNOQUV%@", /* 100 */ "mwMW",
	};
	static const int em[] = { 27, 36, 45, 45, 53, 60, 64, 75, 85, 100 };
	size_t k;

	for (k = 0; k < sizeof(em) / sizeof(em[0]); k++)
		if (c && strchr(w[k], c))
			return em[k];
	return 100;
}

#define FLAME_FONT_PX 12 /* the style's font-size */

/* Write name as the label of a frame px pixels wide (3 px of padding
 * each side): whole when it fits, else its longest prefix that fits with
 * ".." after it, else nothing (as the viewer script shortens on zoom). */
static void put_label(FILE *out, const char *name, double px)
{
	const unsigned char *p = (const unsigned char *)name;
	double avail = (px - 6) * 100 / FLAME_FONT_PX, used = 0, dots = 2 * char_em100('.');
	size_t cut = 0, n = 0, total = 0;
	char *s;

	while (p[total]) {
		size_t l = utf8_len(p + total);
		total += l ? l : 1;
	}
	for (size_t i = 0; i < total;) {
		size_t l = utf8_len(p + i);
		double cw = l == 1 ? char_em100(p[i]) : 100;
		if (!l)
			l = 1;
		if (used + cw > avail)
			break;
		used += cw;
		i += l;
		n++;
		if (used + dots <= avail)
			cut = i;
		if (i == total) {
			put_xml(out, name);
			return;
		}
	}
	if (n < 3 || cut == 0)
		return;
	/* at least three characters before the "..", as the script wants */
	{
		size_t i = 0, chars = 0;
		while (i < cut) {
			size_t l = utf8_len(p + i);
			i += l ? l : 1;
			chars++;
		}
		if (chars < 3)
			return;
	}
	s = xstrndup(name, cut);
	put_xml(out, s);
	fputs("..", out);
	free(s);
}

/* The viewer script: zoom, search, details.  Plain ES5, no ']]>'. */
static const char flame_js[] =
	"(function(){\n"
	"'use strict';\n"
	"var doc=document,frames=doc.getElementById('frames');\n"
	"var fr=Array.prototype.slice.call(frames.querySelectorAll('svg.f'));\n"
	"var details=doc.getElementById('details'),matched=doc.getElementById('matched');\n"
	"var unzoomBtn=doc.getElementById('unzoom'),searchBtn=doc.getElementById('search');\n"
	"var root=null,total=1,zoomed=null,searchRe=null;\n"
	"fr.forEach(function(f){\n"
	"  f._x=+f.getAttribute('data-x');f._w=+f.getAttribute('data-w');f._d=+f.getAttribute('data-d');\n"
	"  f._ox=f.getAttribute('x');f._ow=f.getAttribute('width');\n"
	"  f._text=f.querySelector('text');f._rect=f.querySelector('rect');\n"
	"  var t=f.querySelector('title');f._info=t?t.textContent:f._text.textContent;\n"
	"  f._name=f._info.split('\\n')[0]; /* the label may be shortened */\n"
	"  if(f._d===0){root=f;total=f._w||1;}\n"
	"});\n"
	"function pc(v,t){return (v/t*100).toFixed(4)+'%';}\n"
	"/* shorten names to what fits, with '..': estimate (7px a character),\n"
	" * then measure the labels drawn and shorten those still too wide */\n"
	"function label(f,n){var s=f._name,v=n>=s.length?s:n<3?'':s.substring(0,n-2)+'..';if(f._text.textContent!==v)f._text.textContent=v;}\n"
	"function fit(){\n"
	"  if(!root)return;\n"
	"  var W=root._rect.getBoundingClientRect().width,todo=[]; /* the root always spans the width */\n"
	"  fr.forEach(function(f){\n"
	"    if(f.classList.contains('h'))return;\n"
	"    f._px=parseFloat(f.getAttribute('width'))/100*W-6;\n"
	"    label(f,Math.floor(f._px/7));\n"
	"    if(f._text.textContent!=='')todo.push(f);\n"
	"  });\n"
	"  for(var round=0;round<4&&todo.length;round++){\n"
	"    var over=todo.map(function(f){return [f,f._text.getComputedTextLength()];}).filter(function(x){return x[1]>x[0]._px;});\n"
	"    over.forEach(function(x){var f=x[0];label(f,Math.floor(f._text.textContent.length*f._px/x[1])-1);});\n"
	"    todo=over.map(function(x){return x[0];}).filter(function(f){return f._text.textContent!=='';});\n"
	"  }\n"
	"}\n"
	"function frameOf(e){var n=e.target;while(n&&n!==frames){if(n.classList&&n.classList.contains('f'))return n;n=n.parentNode;}return null;}\n"
	"function zoom(z){\n"
	"  if(!z||z===root){unzoom();return;}\n"
	"  zoomed=z;var zx=z._x,zw=z._w,zd=z._d;\n"
	"  fr.forEach(function(f){\n"
	"    if(f._d<zd&&f._x<=zx&&f._x+f._w>=zx+zw){f.setAttribute('x','0%');f.setAttribute('width','100%');f.classList.add('p');f.classList.remove('h');}\n"
	"    else if(f._d>=zd&&f._x>=zx&&f._x+f._w<=zx+zw){f.setAttribute('x',pc(f._x-zx,zw));f.setAttribute('width',pc(f._w,zw));f.classList.remove('p');f.classList.remove('h');}\n"
	"    else{f.classList.add('h');}\n"
	"  });\n"
	"  unzoomBtn.classList.remove('h');fit();\n"
	"}\n"
	"function unzoom(){\n"
	"  zoomed=null;\n"
	"  fr.forEach(function(f){f.setAttribute('x',f._ox);f.setAttribute('width',f._ow);f.classList.remove('p');f.classList.remove('h');});\n"
	"  unzoomBtn.classList.add('h');fit();\n"
	"}\n"
	"function resetSearch(){\n"
	"  searchRe=null;\n"
	"  fr.forEach(function(f){if(f._fill!==undefined){f._rect.setAttribute('fill',f._fill);}f.classList.remove('m');});\n"
	"  matched.textContent='';searchBtn.textContent='Search';\n"
	"}\n"
	"function search(text){\n"
	"  var re;try{re=new RegExp(text);}catch(err){details.textContent='bad regular expression: '+text;return -1;}\n"
	"  resetSearch();searchRe=re;var iv=[];\n"
	"  fr.forEach(function(f){\n"
	"    if(f===root||!re.test(f._name))return;\n"
	"    var r=f._rect;if(f._fill===undefined)f._fill=r.getAttribute('fill');\n"
	"    r.setAttribute('fill','#e020e0');f.classList.add('m');iv.push([f._x,f._x+f._w]);\n"
	"  });\n"
	"  iv.sort(function(a,b){return a[0]-b[0]||b[1]-a[1];});\n"
	"  var sum=0,end=-Infinity;\n"
	"  iv.forEach(function(v){if(v[0]>=end){sum+=v[1]-v[0];end=v[1];}else if(v[1]>end){sum+=v[1]-end;end=v[1];}});\n"
	"  var share=sum/total*100;\n"
	"  matched.textContent='Matched: '+share.toFixed(2)+'% ('+iv.length+' frames)';\n"
	"  searchBtn.textContent='Reset Search';\n"
	"  return share;\n"
	"}\n"
	"function askSearch(){var t=window.prompt('Search frames (regular expression):',searchRe?searchRe.source:'');if(t)search(t);}\n"
	"frames.addEventListener('click',function(e){var f=frameOf(e);if(f)zoom(f);});\n"
	"frames.addEventListener('mouseover',function(e){var f=frameOf(e);if(f)details.textContent=f._info.replace(/\\n/g,' | ');});\n"
	"frames.addEventListener('mouseout',function(){details.textContent=' ';});\n"
	"unzoomBtn.addEventListener('click',unzoom);\n"
	"searchBtn.addEventListener('click',function(){if(searchRe)resetSearch();else askSearch();});\n"
	"window.addEventListener('keydown',function(e){\n"
	"  if((e.ctrlKey||e.metaKey)&&e.key==='f'||e.key==='/'){e.preventDefault();askSearch();}\n"
	"  else if(e.key==='Escape'){unzoom();resetSearch();}\n"
	"});\n"
	"window.addEventListener('resize',fit);fit();\n"
	"window.drip={zoom:zoom,unzoom:unzoom,search:search,resetSearch:resetSearch,frames:fr};\n"
	"})();\n";

static const char flame_css[] =
	"text{font-family:Verdana,'DejaVu Sans',sans-serif;font-size:12px;fill:#000}\n"
	"#title{font-size:17px;text-anchor:middle}\n"
	"#subtitle{fill:#555;text-anchor:middle}\n"
	".btn{cursor:pointer;fill:#1a4f8b}\n"
	".btn:hover{text-decoration:underline}\n"
	"#search,#matched{text-anchor:end}\n"
	".f{cursor:pointer}\n"
	".f:hover rect{stroke:#222;stroke-width:1}\n"
	".f text{pointer-events:none}\n"
	".g rect{stroke:#3050c0;stroke-dasharray:3 2}\n"
	".p{opacity:0.5}\n"
	".h{display:none}\n";

int flame_write_svg(const struct flame *f, const struct flame_svg_opts *o, FILE *out,
		    struct flame_svg_stats *st_out)
{
	struct svg_ctx c;
	struct flame_svg_stats st;
	const size_t nc = f->ncols;
	size_t i;
	int64_t total, thr;
	double maxabs = 0, ref;
	const int fh = 16, top = 52;
	int maxd = 0, height;
	char col[8], num[32];

	memset(&c, 0, sizeof(c));
	memset(&st, 0, sizeof(st));
	c.f = f;
	c.o = o;
	c.tot = xreallocarray(NULL, f->n * nc, sizeof(int64_t));
	for (i = 0; i < f->n; i++) {
		size_t k;
		for (k = 0; k < nc; k++)
			c.tot[i * nc + k] = self_at(f, i, k);
	}
	c.lw = xcalloc(f->n, sizeof(int64_t));
	for (i = f->n; i-- > 1;) {
		size_t p = f->nodes[i].parent, k;
		for (k = 0; k < nc; k++)
			c.tot[p * nc + k] = sat_add(c.tot[p * nc + k], c.tot[i * nc + k]);
	}
	if (o->diff) {
		int64_t *babs = xcalloc(f->n, sizeof(int64_t));
		c.nabs = xcalloc(f->n, sizeof(int64_t));
		for (i = 0; i < f->n; i++) {
			babs[i] = llabs(self_at(f, i, 0));
			c.nabs[i] = llabs(self_at(f, i, 1));
			c.lw[i] = c.nabs[i];
		}
		for (i = f->n; i-- > 1;) {
			size_t p = f->nodes[i].parent;
			babs[p] = sat_add(babs[p], babs[i]);
			c.nabs[p] = sat_add(c.nabs[p], c.nabs[i]);
		}
		/* A frame in NEW is as wide as its NEW value plus its BASE-only
		 * descendants; a frame only in BASE is as wide as its BASE value. */
		for (i = f->n; i-- > 0;) {
			if (c.nabs[i] == 0)
				c.lw[i] = babs[i];
			if (i > 0)
				c.lw[f->nodes[i].parent] = sat_add(c.lw[f->nodes[i].parent], c.lw[i]);
		}
		free(babs);
	} else {
		for (i = 0; i < f->n; i++)
			c.lw[i] = llabs(self_at(f, i, o->col));
		for (i = f->n; i-- > 1;)
			c.lw[f->nodes[i].parent] = sat_add(c.lw[f->nodes[i].parent], c.lw[i]);
	}
	total = c.lw[0];
	ref = o->width > 0 ? o->width : 1200;
	if (o->minwidth_pct)
		thr = (int64_t)ceil((double)total * o->minwidth / 100);
	else
		thr = (int64_t)ceil((double)total * o->minwidth / ref);
	if (thr < 1)
		thr = 1;
	layout(&c, thr, &st);
	for (i = 0; i < c.nitems; i++) {
		const struct item *it = &c.items[i];
		if (it->depth > maxd)
			maxd = it->depth;
		if (o->diff && it->depth > 0) {
			int64_t d = o->diff_mode == FLAME_DIFF_SELF ? it->self[1] - it->self[0] : it->tot[1] - it->tot[0];
			if (fabs((double)d) > maxabs)
				maxabs = fabs((double)d);
		}
	}
	height = top + (maxd + 1) * fh + 34;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n", out);
	fputs("<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\"", out);
	if (o->width > 0)
		fprintf(out, " width=\"%d\"", o->width);
	else
		fputs(" width=\"100%\"", out);
	fprintf(out, " height=\"%d\" data-total=\"%lld\" data-minwidth=\"%lld\">\n", height, (long long)total,
		(long long)thr);
	fprintf(out, "<style>\n%s</style>\n", flame_css);
	fputs("<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#f7f7f2\"/>\n", out);
	fputs("<text id=\"title\" x=\"50%\" y=\"24\">", out);
	put_xml(out, o->title ? o->title : "Flame Graph");
	fputs("</text>\n", out);
	if (o->subtitle) {
		fputs("<text id=\"subtitle\" x=\"50%\" y=\"42\">", out);
		put_xml(out, o->subtitle);
		fputs("</text>\n", out);
	}
	fputs("<text id=\"unzoom\" class=\"btn h\" x=\"10\" y=\"24\">Reset Zoom</text>\n", out);
	fputs("<text id=\"search\" class=\"btn\" x=\"99%\" y=\"24\">Search</text>\n", out);
	fprintf(out, "<text id=\"details\" x=\"10\" y=\"%d\"> </text>\n", height - 12);
	fprintf(out, "<text id=\"matched\" x=\"99%%\" y=\"%d\"></text>\n", height - 12);
	fprintf(out, "<svg id=\"frames\" x=\"0.5%%\" y=\"%d\" width=\"99%%\" height=\"%d\">\n", top, (maxd + 1) * fh);
	for (i = 0; i < c.nitems; i++) {
		const struct item *it = &c.items[i];
		const char *name;
		int y = o->inverted ? it->depth * fh : (maxd - it->depth) * fh;

		if (it->node == UINT32_MAX) {
			snprintf(num, sizeof(num), "[%u narrow frames]", it->nmerged);
			name = num;
		} else {
			name = NAME(f, it->node);
		}
		if (o->diff) {
			int64_t d = o->diff_mode == FLAME_DIFF_SELF ? it->self[1] - it->self[0] : it->tot[1] - it->tot[0];
			diff_colour(d, maxabs, col);
		} else if (it->node == UINT32_MAX || it->node == 0) {
			snprintf(col, sizeof(col), "#d4d4cc");
		} else {
			package_colour(name, col);
		}
		fprintf(out, "<svg class=\"f%s\" x=\"%.4f%%\" y=\"%d\" width=\"%.4f%%\" height=\"%d\" data-x=\"%lld\" data-w=\"%lld\" data-d=\"%d\"",
			it->gone ? " g" : "", total ? (double)it->x / (double)total * 100 : 0.0, y,
			total ? (double)it->w / (double)total * 100 : 0.0, fh - 1, (long long)it->x, (long long)it->w,
			it->depth);
		if (o->diff)
			fprintf(out, " data-b=\"%lld\" data-n=\"%lld\"", (long long)it->tot[0], (long long)it->tot[1]);
		else
			fprintf(out, " data-v=\"%lld\"", (long long)it->tot[0]);
		fprintf(out, "><title>");
		title_text(&c, it, name, o->diff ? c.tot[1] : total, out);
		fprintf(out, "</title><rect width=\"100%%\" height=\"100%%\" rx=\"2\" fill=\"%s\"/><text x=\"3\" y=\"11.5\">", col);
		/* the label shortened for the frame's width in pixels (of
		 * 1200 when fluid): right in any viewer, re-fit by the script */
		put_label(out, name, total ? (double)it->w / (double)total * 0.99 * (o->width > 0 ? o->width : 1200) : 0);
		fputs("</text></svg>\n", out);
	}
	fputs("</svg>\n<script type=\"text/ecmascript\"><![CDATA[\n", out);
	fputs(flame_js, out);
	fputs("]]></script>\n</svg>\n", out);

	st.frames = c.nitems;
	st.total = total;
	st.max_depth = maxd;
	if (st_out)
		*st_out = st;
	free(c.tot);
	free(c.lw);
	free(c.nabs);
	free(c.items);
	if (ferror(out))
		return err_write(errno);
	return 0;
}
