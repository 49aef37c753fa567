/* report_html: the self-contained HTML report (see report_html.h).
 *
 * The C side computes every number with the engine's own reports, so the
 * page shows what the text commands print: each top row is a row of
 * `drip top` (same graph, trimming, order and formatting: the strings are
 * made here, the JavaScript only shows, sorts and filters them), a diff
 * row one of `drip diff`, the call graph is `drip graph --format=svg`'s
 * SVG, the flame graph's frames and values are `drip flame --format=folded`'s.  The
 * JavaScript (html/report.js) draws the flame graph and the charts from
 * that data. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "diff.h"
#include "error.h"
#include "ggroup.h"
#include "graph.h"
#include "hash.h"
#include "json.h"
#include "report_diff.h"
#include "report_dot.h"
#include "report_html.h"
#include "sha256.h"
#include "strtab.h"
#include "units.h"
#include "xalloc.h"

#include "html_assets.h" /* generated from html/report.css and html/report.js */

/* ---- small helpers ---- */

static void time_str(int64_t nanos, char *out, size_t n)
{
	time_t t = (time_t)(nanos / 1000000000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A percentage as `drip top` prints it, without its padding. */
static const char *pct_str(int64_t v, int64_t total, char *out, size_t n)
{
	char t[32];
	const char *s = units_percentage(v, total, t, sizeof(t));

	while (*s == ' ')
		s++;
	snprintf(out, n, "%s", s);
	return out;
}

static const char *trim(char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

/* A stream into memory; out of memory is fatal (STYLE 9). */
static FILE *mem_open(char **p, size_t *n)
{
	FILE *f = open_memstream(p, n);

	if (!f) {
		fputs("drip: out of memory\n", stderr);
		abort();
	}
	return f;
}

/* ---- summary ---- */

void html_snap_init(struct html_snap *s, const char *name, const struct profile *p)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->format = profile_format_name(p->format);
	s->ntypes = p->ntypes;
	s->types = xcalloc(p->ntypes ? p->ntypes : 1, sizeof(*s->types));
	for (i = 0; i < p->ntypes; i++) {
		s->types[i].type = p->types[i].type;
		s->types[i].unit = p->types[i].unit;
		s->types[i].total = profile_total(p, (int)i);
	}
	s->dflt = profile_sample_index(p, NULL);
	err_clear();
	s->period = p->period;
	s->period_type = p->period_type;
	s->time_nanos = p->time_nanos;
	s->duration_nanos = p->duration_nanos;
	s->nsamples = p->nsamples;
	s->ncomments = p->ncomments;
	s->comments = xcalloc(p->ncomments ? p->ncomments : 1, sizeof(*s->comments));
	if (p->ncomments)
		memcpy(s->comments, p->comments, p->ncomments * sizeof(*s->comments));
}

void html_snap_release(struct html_snap *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->types);
	free(s->comments);
	memset(s, 0, sizeof(*s));
}

static void json_snap(struct json *j, const struct html_snap *s)
{
	char a[64];
	size_t i;

	json_begin_object(j);
	json_kstr(j, "file", s->name);
	json_kstr(j, "format", s->format);
	json_key(j, "types");
	json_begin_array(j);
	for (i = 0; i < s->ntypes; i++) {
		int64_t t = s->types[i].total;
		json_begin_object(j);
		json_kstr(j, "type", s->types[i].type);
		json_kstr(j, "unit", s->types[i].unit);
		json_kint(j, "total", t);
		json_kstr(j, "fmt", units_label(t, s->types[i].unit, "auto", a, sizeof(a)));
		json_kbool(j, "default", (int)i == s->dflt);
		json_end_object(j);
	}
	json_end_array(j);
	if (*s->period_type.type || s->period) {
		json_kint(j, "period", s->period);
		json_kstr(j, "period_type", s->period_type.type);
		json_kstr(j, "period_unit", s->period_type.unit);
	}
	if (s->time_nanos) {
		time_str(s->time_nanos, a, sizeof(a));
		json_kstr(j, "time", a);
		json_kint(j, "time_nanos", s->time_nanos);
	}
	if (s->duration_nanos) {
		units_label(s->duration_nanos, "nanoseconds", "auto", a, sizeof(a));
		json_kstr(j, "duration", a);
	}
	json_kint(j, "samples", (int64_t)s->nsamples);
	json_kstr_array(j, "comments", s->comments, (int)s->ncomments);
	json_end_object(j);
}

/* ---- top and diff tables ---- */

/* The header lines of `drip top` (Showing nodes ..., Dropped ...). */
static void json_labels(struct json *j, struct report *r, const struct graph *g, const struct trim_result *tr)
{
	char *s = NULL;
	size_t n = 0;
	FILE *m = mem_open(&s, &n);

	report_labels(r, g, tr, 0, false, m);
	fclose(m);
	json_kstr(j, "header", s);
	free(s);
}

static int json_top(struct json *j, struct profile *p, const struct report_opts *ro)
{
	struct report r;
	struct trim_result tr;
	struct graph *g;
	int64_t sum = 0;
	size_t i;
	char a[64], b[64], p1[32], p2[32], p3[32];

	if (report_init(&r, p, ro) < 0)
		return -1;
	g = report_top_graph(&r, &tr);
	report_select_unit(&r, g);
	json_begin_object(j);
	json_kstr(j, "type", r.sample_type);
	json_kstr(j, "unit", p->types[r.si].unit);
	json_kint(j, "total", r.total);
	json_kstr(j, "total_fmt", trim(report_fmt(&r, r.total, a, sizeof(a))));
	json_labels(j, &r, g, &tr);
	/* rows: [name, flat, cum, flat, flat%, sum%, cum, cum%] as drip top
	 * prints them (the first three raw, for sorting) */
	json_key(j, "rows");
	json_begin_array(j);
	for (i = 0; i < g->norder; i++) {
		const struct gnode *n = &g->nodes[g->order[i]];
		int64_t flat = gnode_flat(n), cum = gnode_cum(n);
		struct buf nm;

		sum += flat;
		buf_init(&nm);
		buf_printf(&nm, "%s%s", n->pname, inline_suffix(gnode_inline(g, n)));
		json_begin_array(j);
		json_str(j, nm.data);
		json_int(j, flat);
		json_int(j, cum);
		json_str(j, trim(report_fmt(&r, flat, a, sizeof(a))));
		json_str(j, pct_str(flat, r.total, p1, sizeof(p1)));
		json_str(j, pct_str(sum, r.total, p2, sizeof(p2)));
		json_str(j, trim(report_fmt(&r, cum, b, sizeof(b))));
		json_str(j, pct_str(cum, r.total, p3, sizeof(p3)));
		json_end_array(j);
		buf_release(&nm);
	}
	json_end_array(j);
	json_end_object(j);
	graph_free(g);
	return 0;
}

static void signed_pct(double v, char *out, size_t n)
{
	snprintf(out, n, "%+.2f%%", v);
	if (strcmp(out, "-0.00%") == 0)
		snprintf(out, n, "+0.00%%");
}

static double pct(int64_t v, int64_t total)
{
	return total == 0 ? 0.0 : (double)v * 100.0 / (double)total;
}

/* The rows of `drip diff` for one sample type of the diff profile. */
static int json_diff(struct json *j, struct profile *p, const struct report_opts *ro)
{
	struct report r;
	struct diff_report d;
	size_t i;
	char a[64], b[64], c[64], pc[32];

	if (report_init(&r, p, ro) < 0)
		return -1;
	if (diff_report_build(&r, &d) < 0)
		return -1;
	report_select_unit(&r, d.g);
	json_begin_object(j);
	json_kstr(j, "type", r.sample_type);
	json_kstr(j, "unit", p->types[r.si].unit);
	json_kint(j, "total", r.total);
	json_kstr(j, "measure", d.cum ? "cum" : "flat");
	json_labels(j, &r, d.g, &d.tr);
	json_kint(j, "base_total", d.base_total);
	json_kint(j, "new_total", d.new_total);
	json_kint(j, "hidden_rows", (int64_t)d.hidden_rows);
	signed_pct(pct(d.new_total - d.base_total, d.base_total), pc, sizeof(pc));
	json_key(j, "totals");
	json_begin_array(j);
	json_str(j, trim(report_fmt(&r, d.base_total, a, sizeof(a))));
	json_str(j, trim(report_fmt(&r, d.new_total, b, sizeof(b))));
	json_str(j, trim(report_fmt(&r, d.new_total - d.base_total, c, sizeof(c))));
	json_str(j, pc);
	json_end_array(j);
	/* rows: [name, base, new, delta, base, new, delta, delta%, status] */
	json_key(j, "rows");
	json_begin_array(j);
	for (i = 0; i < d.nrows; i++) {
		const struct diff_row *row = &d.rows[i];
		int64_t bv = diff_row_base(&d, row), nv = diff_row_new(&d, row), dv = diff_row_delta(&d, row);
		struct buf nm;

		buf_init(&nm);
		buf_printf(&nm, "%s%s", row->name, inline_suffix(row->inline_kind));
		signed_pct(pct(dv, r.total), pc, sizeof(pc));
		json_begin_array(j);
		json_str(j, nm.data);
		json_int(j, bv);
		json_int(j, nv);
		json_int(j, dv);
		json_str(j, trim(report_fmt(&r, bv, a, sizeof(a))));
		json_str(j, trim(report_fmt(&r, nv, b, sizeof(b))));
		json_str(j, trim(report_fmt(&r, dv, c, sizeof(c))));
		json_str(j, pc);
		json_str(j, row->status == DS_NEW ? "new" : row->status == DS_GONE ? "gone" : "");
		json_end_array(j);
		buf_release(&nm);
	}
	json_end_array(j);
	json_end_object(j);
	diff_report_release(&d);
	return 0;
}

/* ---- flame graph ----
 *
 * The frames are those of `drip flame` (the printable names of the call
 * graph's nodes, root first, an inlined call its own frame), merged into
 * a trie level by level: at each depth the samples still alive are
 * grouped by (parent frame, name).  A group under minwidth percent of
 * every column's total is not a frame of its own: its samples go on in
 * one "(narrow frames)" frame under the parent (shared by all the narrow
 * groups there, and staying in it while their next frames are narrow
 * too), where their deeper frames are grouped again, across all of
 * them.  So a bushy profile (thousands of narrow handlers calling the
 * same few allocators) keeps its wide leaves, only the frames that will
 * be drawn are ever stored, and a 400k-sample profile of distinct stacks
 * stays small; no value is left out.  Children are written in name
 * order, depth first: the order of `drip flame --format=folded`. */

#define FB_NARROW "(narrow frames)"

struct frec {           /* one sample of NEW or BASE */
	uint32_t start, len; /* its frames in fr[], root first */
	uint32_t node;       /* its frame at the current depth */
};

struct fnode {
	uint32_t name;   /* index into names[] */
	uint32_t parent; /* UINT32_MAX for the root */
	uint32_t narrow; /* its "(narrow frames)" child, UINT32_MAX: none yet */
	int depth;
	bool is_narrow;  /* a "(narrow frames)" frame */
};

struct fbuild {
	size_t ncols;
	const char **names; /* name ids to interned names */
	size_t nnames, cap_names;
	struct u64map name_ids; /* interned pointer -> id */
	uint32_t *fr;
	size_t nfr, cap_fr;
	struct frec *recs;
	size_t nrecs, cap_recs;
	int64_t *rvals;     /* nrecs * ncols */
	size_t cap_rvals;
	struct fnode *nodes;
	size_t nnodes, cap_nodes;
	int64_t *vals;      /* nnodes * ncols, inclusive */
	size_t cap_vals;
	int64_t dvals[64];  /* per column: the value in frames left out */
};

static uint32_t fb_name(struct fbuild *b, const char *name)
{
	int ins;
	uint64_t *v = u64map_put(&b->name_ids, (uint64_t)(uintptr_t)name, b->nnames, &ins);

	if (ins) {
		xgrow(&b->names, &b->cap_names, b->nnames + 1, sizeof(*b->names));
		b->names[b->nnames++] = name;
	}
	return (uint32_t)*v;
}

/* Add p's samples with their values of sample types sidx[k] in columns
 * cols[k] (samples whose values are all zero, or without a stack, add
 * nothing, as in flame_add). */
static void fb_add(struct fbuild *b, const struct profile *p, const struct report_opts *ro, const int *sidx,
		   const size_t *cols, size_t n)
{
	struct graph_opts go;
	struct graph *g;
	uint32_t *gname;
	size_t i, j, k;

	memset(&go, 0, sizeof(go));
	go.sample_index = sidx[0];
	go.mean_index = -1;
	go.gran = ro->gran;
	go.noinlines = ro->noinlines;
	g = graph_new(p, &go);
	gname = xreallocarray(NULL, g->nnodes + 1, sizeof(*gname));
	for (i = 0; i < g->nnodes; i++)
		gname[i] = fb_name(b, g->nodes[i].pname);
	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *s = &p->samples[i];
		const uint32_t *stk = pf_stack(p, s);
		const int64_t *sv = pf_values(p, i);
		size_t start = b->nfr;
		bool any = false;

		for (k = 0; k < n; k++)
			any |= sv[sidx[k]] != 0;
		if (!any || s->nlocs == 0)
			continue;
		for (j = s->nlocs; j-- > 0;) {
			uint32_t loc = stk[j], c = g->loc_count[loc], first = g->loc_first[loc], q;
			xgrow(&b->fr, &b->cap_fr, b->nfr + c, sizeof(*b->fr));
			/* a location's nodes are innermost first: root first is reversed */
			for (q = c; q-- > 0;)
				b->fr[b->nfr++] = gname[g->loc_nodes[first + q]];
		}
		xgrow(&b->recs, &b->cap_recs, b->nrecs + 1, sizeof(*b->recs));
		xgrow(&b->rvals, &b->cap_rvals, (b->nrecs + 1) * b->ncols, sizeof(*b->rvals));
		b->recs[b->nrecs].start = (uint32_t)start;
		b->recs[b->nrecs].len = (uint32_t)(b->nfr - start);
		b->recs[b->nrecs].node = 0;
		memset(b->rvals + b->nrecs * b->ncols, 0, b->ncols * sizeof(int64_t));
		for (k = 0; k < n; k++)
			b->rvals[b->nrecs * b->ncols + cols[k]] = sv[sidx[k]];
		b->nrecs++;
	}
	free(gname);
	graph_free(g);
}

static uint32_t fb_node(struct fbuild *b, uint32_t name, uint32_t parent, int depth)
{
	xgrow(&b->nodes, &b->cap_nodes, b->nnodes + 1, sizeof(*b->nodes));
	xgrow(&b->vals, &b->cap_vals, (b->nnodes + 1) * b->ncols, sizeof(*b->vals));
	b->nodes[b->nnodes].name = name;
	b->nodes[b->nnodes].parent = parent;
	b->nodes[b->nnodes].narrow = UINT32_MAX;
	b->nodes[b->nnodes].depth = depth;
	b->nodes[b->nnodes].is_narrow = false;
	memset(b->vals + b->nnodes * b->ncols, 0, b->ncols * sizeof(int64_t));
	return (uint32_t)b->nnodes++;
}

/* Build the trie; returns the number of narrow groups merged into
 * "(narrow frames)" frames. */
static size_t fb_build(struct fbuild *b, double minpct)
{
	size_t nc = b->ncols, nalive = b->nrecs, i, k, dropped = 0;
	uint32_t narrow_name = fb_name(b, intern(FB_NARROW));
	uint32_t *alive = xreallocarray(NULL, nalive + 1, sizeof(*alive));
	int64_t *tv = NULL;
	size_t cap_tv = 0;
	uint32_t *tkeep = NULL;
	size_t cap_tk = 0;
	int depth;

	fb_node(b, fb_name(b, intern("root")), UINT32_MAX, 0);
	for (i = 0; i < nalive; i++) {
		alive[i] = (uint32_t)i;
		for (k = 0; k < nc; k++)
			b->vals[k] += b->rvals[i * nc + k];
	}
	for (depth = 0; nalive > 0; depth++) {
		struct u64map m = U64MAP_INIT;
		size_t ntemp = 0, n2 = 0;

		/* group the samples that reach this depth by (parent, frame) */
		for (i = 0; i < nalive; i++) {
			struct frec *r = &b->recs[alive[i]];
			uint64_t key;
			uint64_t *slot;
			int ins;

			if (r->len <= (uint32_t)depth)
				continue;
			key = (uint64_t)r->node << 32 | b->fr[r->start + (uint32_t)depth];
			slot = u64map_put(&m, key, ntemp, &ins);
			if (ins) {
				xgrow(&tv, &cap_tv, (ntemp + 1) * nc, sizeof(*tv));
				memset(tv + ntemp * nc, 0, nc * sizeof(*tv));
				ntemp++;
			}
			for (k = 0; k < nc; k++)
				tv[*slot * nc + k] += b->rvals[(size_t)alive[i] * nc + k];
			alive[n2++] = alive[i];
		}
		nalive = n2;
		/* keep the wide groups as frames */
		xgrow(&tkeep, &cap_tk, ntemp + 1, sizeof(*tkeep));
		for (i = 0; i < ntemp; i++)
			tkeep[i] = UINT32_MAX;
		n2 = 0;
		for (i = 0; i < nalive; i++) {
			struct frec *r = &b->recs[alive[i]];
			uint64_t key = (uint64_t)r->node << 32 | b->fr[r->start + (uint32_t)depth], t;

			u64map_get(&m, key, &t);
			if (tkeep[t] == UINT32_MAX) {
				bool wide = false;
				for (k = 0; k < nc && !wide; k++) {
					double v = fabs((double)tv[t * nc + k]), tot = fabs((double)b->vals[k]);
					wide = v > 0 && v * 100.0 >= minpct * tot;
				}
				if (wide) {
					tkeep[t] = fb_node(b, (uint32_t)(key & 0xffffffffu), r->node,
							   b->nodes[r->node].depth + 1);
					memcpy(b->vals + (size_t)tkeep[t] * nc, tv + t * nc, nc * sizeof(*tv));
				} else if (b->nodes[r->node].is_narrow) {
					tkeep[t] = r->node; /* still narrow: stays where it is */
				} else {
					/* the parent's "(narrow frames)" frame takes it */
					uint32_t par = r->node;
					if (b->nodes[par].narrow == UINT32_MAX) {
						uint32_t nn = fb_node(b, narrow_name, par, b->nodes[par].depth + 1);
						b->nodes[nn].is_narrow = true;
						b->nodes[par].narrow = nn;
					}
					tkeep[t] = b->nodes[par].narrow;
					dropped++;
					for (k = 0; k < nc; k++)
						b->vals[(size_t)tkeep[t] * nc + k] += tv[t * nc + k];
				}
			}
			r->node = tkeep[t];
			alive[n2++] = alive[i];
		}
		nalive = n2;
		u64map_release(&m);
	}
	free(alive);
	free(tv);
	free(tkeep);
	return dropped;
}

static const struct fbuild *sort_fb;
static int cmp_child(const void *a, const void *b)
{
	const struct fnode *x = &sort_fb->nodes[*(const uint32_t *)a], *y = &sort_fb->nodes[*(const uint32_t *)b];

	return strcmp(sort_fb->names[x->name], sort_fb->names[y->name]);
}

static int cmp_name_id(const void *a, const void *b)
{
	return strcmp(sort_fb->names[*(const uint32_t *)a], sort_fb->names[*(const uint32_t *)b]);
}

/* The sandwich of a function the trie does not show (it occurs only in
 * frames merged as narrow): its direct callers and callees at its
 * outermost occurrence in every stack, from the samples themselves, for
 * the FB_SANDWICHES heaviest such functions, each with its
 * FB_NEIGHBOURS heaviest callers and callees. */
#define FB_SANDWICHES 48
#define FB_NEIGHBOURS 20

struct fb_nb {
	uint32_t nb;       /* the caller's or callee's name id */
	double score;
	int64_t *v;        /* ncols */
};

static int cmp_nb(const void *a, const void *b)
{
	const struct fb_nb *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcmp(sort_fb->names[x->nb], sort_fb->names[y->nb]);
}

/* The share of the totals v holds: the largest over the columns. */
static double fb_score(const struct fbuild *b, const int64_t *v)
{
	double best = 0;
	size_t k;

	for (k = 0; k < b->ncols; k++) {
		double tot = fabs((double)b->vals[k]);
		if (tot > 0 && fabs((double)v[k]) / tot > best)
			best = fabs((double)v[k]) / tot;
	}
	return best;
}

static void json_nbs(struct json *j, const struct fbuild *b, struct fb_nb *l, size_t n)
{
	size_t i, k;

	if (n > 1)
		qsort(l, n, sizeof(*l), cmp_nb);
	json_begin_array(j);
	for (i = 0; i < n && i < FB_NEIGHBOURS; i++) {
		json_begin_array(j);
		json_str(j, b->names[l[i].nb]);
		json_begin_array(j);
		for (k = 0; k < b->ncols; k++)
			json_int(j, l[i].v[k]);
		json_end_array(j);
		json_end_array(j);
	}
	json_end_array(j);
}

static void json_sandwiches(struct json *j, struct fbuild *b)
{
	size_t nn = b->nnames, nc = b->ncols, i, k, r, nsel = 0;
	uint32_t *stamp = xreallocarray(NULL, nn + 1, sizeof(*stamp)), *sel, *cand;
	int64_t *tot = xcalloc(nn * nc + 1, sizeof(*tot));
	bool *present = xcalloc(nn + 1, sizeof(*present));
	struct fb_nb *cands, *lists[2] = { NULL, NULL };
	size_t nlist[2] = { 0, 0 }, cap[2] = { 0, 0 };
	int64_t *nbv = NULL;
	size_t nnbv = 0, cap_nbv = 0;
	struct u64map m = U64MAP_INIT;

	sort_fb = b;
	for (i = 0; i < b->nnodes; i++)
		present[b->nodes[i].name] = true;
	/* every function's value, at its outermost occurrence per stack */
	for (i = 0; i < nn; i++)
		stamp[i] = UINT32_MAX;
	for (r = 0; r < b->nrecs; r++) {
		const struct frec *rc = &b->recs[r];
		for (i = 0; i < rc->len; i++) {
			uint32_t f = b->fr[rc->start + i];
			if (stamp[f] == (uint32_t)r)
				continue;
			stamp[f] = (uint32_t)r;
			for (k = 0; k < nc; k++)
				tot[(size_t)f * nc + k] += b->rvals[r * nc + k];
		}
	}
	cands = xcalloc(nn + 1, sizeof(*cands));
	for (i = 0; i < nn; i++)
		if (!present[i]) {
			cands[nsel].nb = (uint32_t)i;
			cands[nsel].score = fb_score(b, tot + i * nc);
			if (cands[nsel].score > 0)
				nsel++;
		}
	if (nsel > 1)
		qsort(cands, nsel, sizeof(*cands), cmp_nb);
	if (nsel > FB_SANDWICHES)
		nsel = FB_SANDWICHES;
	sel = xreallocarray(NULL, nn + 1, sizeof(*sel));
	cand = xreallocarray(NULL, nsel + 1, sizeof(*cand));
	for (i = 0; i < nn; i++)
		sel[i] = UINT32_MAX;
	for (i = 0; i < nsel; i++) {
		sel[cands[i].nb] = (uint32_t)i;
		cand[i] = cands[i].nb;
	}
	/* their direct callers and callees, at the outermost occurrence */
	for (i = 0; i < nn; i++)
		stamp[i] = UINT32_MAX;
	for (r = 0; nsel && r < b->nrecs; r++) {
		const struct frec *rc = &b->recs[r];
		for (i = 0; i < rc->len; i++) {
			uint32_t f = b->fr[rc->start + i], d;
			if (sel[f] == UINT32_MAX || stamp[f] == (uint32_t)r)
				continue;
			stamp[f] = (uint32_t)r;
			for (d = 0; d < 2; d++) {
				uint32_t nb;
				uint64_t *slot;
				int ins;
				if (d == 0 && i == 0)
					continue;
				if (d == 1 && i + 1 >= rc->len)
					continue;
				nb = b->fr[rc->start + (d == 0 ? i - 1 : i + 1)];
				slot = u64map_put(&m, (uint64_t)sel[f] << 33 | (uint64_t)d << 32 | nb, nnbv, &ins);
				if (ins) {
					xgrow(&nbv, &cap_nbv, (nnbv + 1) * nc, sizeof(*nbv));
					memset(nbv + nnbv * nc, 0, nc * sizeof(*nbv));
					nnbv++;
				}
				for (k = 0; k < nc; k++)
					nbv[*slot * nc + k] += b->rvals[r * nc + k];
			}
		}
	}
	/* sorted by name, each function's callers and callees by value */
	sort_fb = b;
	if (nsel > 1)
		qsort(cand, nsel, sizeof(*cand), cmp_name_id);
	json_begin_array(j);
	for (i = 0; i < nsel; i++) {
		uint32_t f = cand[i], d;
		size_t e;
		json_begin_object(j);
		json_kstr(j, "name", b->names[f]);
		json_key(j, "v");
		json_begin_array(j);
		for (k = 0; k < nc; k++)
			json_int(j, tot[(size_t)f * nc + k]);
		json_end_array(j);
		nlist[0] = nlist[1] = 0;
		for (e = 0; e < m.cap; e++) {
			uint64_t key = m.keys[e];
			if (!m.used[e] || (uint32_t)(key >> 33) != sel[f])
				continue;
			d = (uint32_t)(key >> 32) & 1;
			xgrow(&lists[d], &cap[d], nlist[d] + 1, sizeof(*lists[d]));
			lists[d][nlist[d]].nb = (uint32_t)key;
			lists[d][nlist[d]].v = nbv + m.vals[e] * nc;
			lists[d][nlist[d]].score = fb_score(b, lists[d][nlist[d]].v);
			nlist[d]++;
		}
		for (d = 0; d < 2; d++) {
			json_key(j, d == 0 ? "callers" : "callees");
			json_nbs(j, b, lists[d], nlist[d]);
		}
		json_end_object(j);
	}
	json_end_array(j);
	u64map_release(&m);
	free(lists[0]);
	free(lists[1]);
	free(nbv);
	free(cands);
	free(cand);
	free(sel);
	free(stamp);
	free(tot);
	free(present);
}

/* Columns of the flame data: one per sample type of prof; with a base,
 * two per type (BASE's, then NEW's). */
static int json_flame(struct json *j, const struct html_input *in, const struct report_opts *ro, double minpct)
{
	const struct profile *p = in->prof, *bp = in->base;
	size_t nt = p->ntypes, ncols = bp ? 2 * nt : nt, k, i, nb = 0, top = 0;
	int *idx = xcalloc(nt, sizeof(int)), *bidx = xcalloc(nt, sizeof(int));
	size_t *cols = xcalloc(ncols, sizeof(size_t)), *bcols = xcalloc(nt, sizeof(size_t)), dropped;
	uint32_t *first, *next, *order, *stack, *rank, *byname, *kids = NULL;
	size_t cap_kids = 0, norder = 0, nused = 0;
	struct fbuild b;

	if (ncols > 64) {
		free(idx);
		free(bidx);
		free(cols);
		free(bcols);
		return err_set("too many sample types for a flame graph (%zu)", nt);
	}
	memset(&b, 0, sizeof(b));
	b.ncols = ncols;
	for (k = 0; k < nt; k++) {
		idx[k] = (int)k;
		cols[k] = bp ? 2 * k + 1 : k;
	}
	if (nt)
		fb_add(&b, p, ro, idx, cols, nt);
	if (bp) {
		for (k = 0; k < nt; k++)
			for (i = 0; i < bp->ntypes; i++)
				if (bp->types[i].type == p->types[k].type && bp->types[i].unit == p->types[k].unit) {
					bidx[nb] = (int)i;
					bcols[nb++] = 2 * k;
					break;
				}
		if (nb)
			fb_add(&b, bp, ro, bidx, bcols, nb);
	}
	dropped = fb_build(&b, minpct);

	/* children lists, then a depth-first walk in name order */
	first = xreallocarray(NULL, b.nnodes, sizeof(*first));
	next = xreallocarray(NULL, b.nnodes, sizeof(*next));
	for (i = 0; i < b.nnodes; i++)
		first[i] = next[i] = UINT32_MAX;
	for (i = b.nnodes; i-- > 1;) {
		next[i] = first[b.nodes[i].parent];
		first[b.nodes[i].parent] = (uint32_t)i;
	}
	sort_fb = &b;
	order = xreallocarray(NULL, b.nnodes, sizeof(*order));
	stack = xreallocarray(NULL, b.nnodes, sizeof(*stack));
	stack[top++] = 0;
	while (top) {
		uint32_t nd = stack[--top], c;
		size_t nk = 0;
		order[norder++] = nd;
		for (c = first[nd]; c != UINT32_MAX; c = next[c]) {
			xgrow(&kids, &cap_kids, nk + 1, sizeof(*kids));
			kids[nk++] = c;
		}
		if (nk > 1)
			qsort(kids, nk, sizeof(*kids), cmp_child);
		while (nk)
			stack[top++] = kids[--nk];
	}
	/* the name table, sorted (deterministic) */
	/* the names of the frames kept, sorted (deterministic) */
	byname = xreallocarray(NULL, b.nnames + 1, sizeof(*byname));
	rank = xreallocarray(NULL, b.nnames + 1, sizeof(*rank));
	for (i = 0; i < b.nnames; i++)
		rank[i] = 0;
	for (i = 0; i < b.nnodes; i++)
		rank[b.nodes[i].name] = 1;
	for (i = 0; i < b.nnames; i++)
		if (rank[i])
			byname[nused++] = (uint32_t)i;
	if (nused > 1)
		qsort(byname, nused, sizeof(*byname), cmp_name_id);

	json_begin_object(j);
	json_knum(j, "minwidth", minpct, 6);
	json_kint(j, "frames", (int64_t)b.nnodes);
	json_kint(j, "dropped", (int64_t)dropped);
	json_kstr(j, "narrow", FB_NARROW);
	json_key(j, "dropped_v");
	json_begin_array(j);
	for (k = 0; k < ncols; k++)
		json_int(j, b.dvals[k]);
	json_end_array(j);
	json_key(j, "cols");
	json_begin_array(j);
	for (k = 0; k < ncols; k++) {
		size_t ti = bp ? k / 2 : k;
		json_begin_object(j);
		json_kstr(j, "type", p->types[ti].type);
		json_kstr(j, "unit", p->types[ti].unit);
		json_kstr(j, "side", bp ? (k % 2 ? "new" : "base") : "");
		json_end_object(j);
	}
	json_end_array(j);
	json_key(j, "names");
	json_begin_array(j);
	for (i = 0; i < nused; i++) {
		rank[byname[i]] = (uint32_t)i;
		json_str(j, b.names[byname[i]]);
	}
	json_end_array(j);
	/* pre-order: depth and name index of each frame */
	json_key(j, "d");
	json_begin_array(j);
	for (i = 0; i < norder; i++)
		json_int(j, b.nodes[order[i]].depth);
	json_end_array(j);
	json_key(j, "n");
	json_begin_array(j);
	for (i = 0; i < norder; i++)
		json_int(j, rank[b.nodes[order[i]].name]);
	json_end_array(j);
	json_key(j, "v");
	json_begin_array(j);
	for (k = 0; k < ncols; k++) {
		json_begin_array(j);
		for (i = 0; i < norder; i++)
			json_int(j, b.vals[(size_t)order[i] * ncols + k]);
		json_end_array(j);
	}
	json_end_array(j);
	if (dropped) {
		json_key(j, "sandwiches");
		json_sandwiches(j, &b);
	}
	json_end_object(j);

	free(first);
	free(next);
	free(order);
	free(stack);
	free(kids);
	free(rank);
	free(byname);
	free(b.names);
	u64map_release(&b.name_ids);
	free(b.fr);
	free(b.recs);
	free(b.rvals);
	free(b.nodes);
	free(b.vals);
	free(idx);
	free(bidx);
	free(cols);
	free(bcols);
	return 0;
}

/* ---- call graph ---- */

/* The SVG of `drip graph --format=svg` (with a base: of the diff, as
 * `drip graph --format=svg --diff-base=BASE NEW`), from its <svg> on:
 * the XML prolog and doctype have no place inside HTML.  Caller frees. */
static char *graph_svg(const struct html_input *in, const struct report_opts *ro, int nodecount)
{
	struct report_opts go = *ro;
	struct report r;
	char *dot = NULL, *svg = NULL, *res = NULL, *start;
	size_t dlen = 0, slen = 0;
	FILE *m;

	go.nodecount = nodecount;
	if (report_init(&r, in->diff ? in->diff : in->prof, &go) < 0)
		return NULL;
	m = mem_open(&dot, &dlen);
	if (report_dot_diff(&r, in->diff ? in->base : NULL, m) < 0) {
		fclose(m);
		free(dot);
		return NULL;
	}
	fclose(m);
	m = mem_open(&svg, &slen);
	if (render_graph(dot, dlen, "svg", m) < 0) {
		fclose(m);
		goto done;
	}
	fclose(m);
	start = strstr(svg, "<svg");
	res = xstrdup(start ? start : "");
done:
	free(dot);
	free(svg);
	return res;
}

/* ---- goroutines ---- */

static int json_goroutines(struct json *j, const struct profile *p)
{
	struct gdump d;
	size_t i, k;
	char w[64];

	if (gdump_build(p, &d) < 0)
		return -1;
	json_begin_object(j);
	json_kint(j, "total", d.total);
	json_kbool(j, "has_state", d.has_state);
	json_kbool(j, "has_labels", d.has_labels);
	json_key(j, "groups");
	json_begin_array(j);
	for (i = 0; i < d.ngroups; i++) {
		const struct ggroup *g = &d.groups[i];
		json_begin_object(j);
		json_kint(j, "count", g->count);
		json_kstr(j, "name", g->name);
		if (g->state)
			json_kstr(j, "state", g->state);
		ggroup_format_wait(g, w, sizeof(w));
		json_kstr(j, "wait", w);
		json_kint(j, "wait_max", g->has_wait ? g->wait_max : -1);
		if (g->created_by)
			json_kstr(j, "created_by", g->created_by);
		json_kstr(j, "labels", g->labels);
		if (g->locked)
			json_kint(j, "locked", g->locked);
		json_key(j, "frames");
		json_begin_array(j);
		for (k = 0; k < g->nframes; k++) {
			struct buf b;
			buf_init(&b);
			if (*g->frames[k].file)
				buf_printf(&b, "%s  %s:%lld", g->frames[k].func, g->frames[k].file,
					   (long long)g->frames[k].line);
			else
				buf_puts(&b, g->frames[k].func);
			json_str(j, b.data);
			buf_release(&b);
		}
		json_end_array(j);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
	gdump_release(&d);
	return 0;
}

/* ---- the document ---- */

static void json_filters(struct json *j, const struct filter_opts *f)
{
	const char *names[] = { "focus", "ignore", "hide", "show", "show_from",
				"tagfocus", "tagignore", "tagshow", "taghide", "prune_from" };
	const char *vals[] = { f->focus, f->ignore, f->hide, f->show, f->show_from,
			       f->tagfocus, f->tagignore, f->tagshow, f->taghide, f->prune_from };
	size_t i;

	json_key(j, "filters");
	json_begin_object(j);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (vals[i] && *vals[i])
			json_kstr(j, names[i], vals[i]);
	json_end_object(j);
}

static int write_data(const struct html_input *in, const struct report_opts *ro, const struct html_opts *ho,
		      FILE *f)
{
	struct json j;
	struct report_opts to = *ro;
	const struct profile *p = in->prof;
	char idx[32];
	int si;
	size_t i, k;

	si = profile_sample_index(p, ro->sample_index);
	if (si < 0)
		return -1;
	json_init(&j, f);
	json_begin_object(&j);
	json_kstr(&j, "schema", "drip.html/1");
	json_kstr(&j, "title", ho->title ? ho->title : "drip report");
	if (ho->command)
		json_kstr(&j, "command", ho->command);
	json_kstr_array(&j, "files", in->prof_files, in->nprof_files);
	if (in->nbase_files)
		json_kstr_array(&j, "base_files", in->base_files, in->nbase_files);
	json_kint(&j, "sample_index", si);
	json_kstr(&j, "granularity", granularity_name(ro->gran));
	json_kint(&j, "nodecount", ro->nodecount);
	json_knum(&j, "nodefraction", ro->nodefraction, 6);
	json_kint(&j, "graph_nodecount", ho->graph_nodecount);
	json_kbool(&j, "cum", ro->cum);
	json_filters(&j, &ro->filter);
	if (ho->watch_round > 0) {
		json_key(&j, "watch");
		json_begin_object(&j);
		json_kint(&j, "round", ho->watch_round);
		if (ho->watch_dir)
			json_kstr(&j, "dir", ho->watch_dir);
		if (ho->watch_url)
			json_kstr(&j, "url", ho->watch_url);
		json_end_object(&j);
	}

	json_key(&j, "inputs");
	json_begin_array(&j);
	for (i = 0; i < in->nsnaps; i++)
		json_snap(&j, &in->snaps[i]);
	json_end_array(&j);
	if (in->nbases) {
		json_key(&j, "bases");
		json_begin_array(&j);
		for (i = 0; i < in->nbases; i++)
			json_snap(&j, &in->bases[i]);
		json_end_array(&j);
	}
	/* BASE newer than NEW: most likely the files were swapped */
	json_key(&j, "warnings");
	json_begin_array(&j);
	for (i = 0; i < in->nbases; i++)
		for (k = 0; k < in->nsnaps; k++) {
			const struct html_snap *b = &in->bases[i], *n = &in->snaps[k];
			struct buf w;
			buf_init(&w);
			if (diff_time_warning(b->name, b->time_nanos, n->name, n->time_nanos, &w))
				json_str(&j, w.data);
			buf_release(&w);
		}
	if (in->leaks_error) {
		struct buf w;
		buf_init(&w);
		buf_printf(&w, "no leaks analysis of the series: %s", in->leaks_error);
		json_str(&j, w.data);
		buf_release(&w);
	}
	json_end_array(&j);

	json_key(&j, in->diff ? "diff" : "top");
	json_begin_array(&j);
	for (i = 0; i < p->ntypes; i++) {
		snprintf(idx, sizeof(idx), "%zu", i);
		to.sample_index = idx;
		if ((in->diff ? json_diff(&j, in->diff, &to) : json_top(&j, in->prof, &to)) < 0)
			return -1;
	}
	json_end_array(&j);

	json_key(&j, "flame");
	if (json_flame(&j, in, ro, ho->minwidth_pct) < 0)
		return -1;

	if (ggroup_is_goroutine(p)) {
		json_key(&j, "goroutines");
		if (json_goroutines(&j, p) < 0)
			return -1;
	}
	json_end_object(&j);
	json_finish(&j);
	return 0;
}

/* Copy the JSON into the page; '<' only occurs inside its strings, and
 * as \u003c it cannot end the <script> element early. */
static void put_json(const char *s, size_t n, FILE *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '<')
			fputs("\\u003c", out);
		else
			fputc(s[i], out);
	}
}

static void put_text(const char *s, FILE *out)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out); break;
		}
	}
}

/* The verdict of a `drip check` run: its drip.check/1 document and its
 * text, as the command prints them. */
static void put_check(const struct html_input *in, FILE *out)
{
	struct gate g = *in->gate;
	char *doc = NULL, *text = NULL, *all = NULL;
	size_t dn = 0, tn = 0, an = 0;
	FILE *m;
	struct json j;

	g.color = false;
	m = mem_open(&doc, &dn);
	gate_json(&g, in->base_files, in->nbase_files, in->prof_files, in->nprof_files, m);
	fclose(m);
	m = mem_open(&text, &tn);
	gate_text(&g, in->base_files, in->nbase_files, in->prof_files, in->nprof_files, m);
	fclose(m);
	while (dn && doc[dn - 1] == '\n')
		doc[--dn] = 0;
	m = mem_open(&all, &an);
	json_init(&j, m);
	json_begin_object(&j);
	json_key(&j, "doc");
	json_raw(&j, doc);
	json_kstr(&j, "text", text ? text : "");
	json_end_object(&j);
	fclose(m);
	fputs("<script type=\"application/json\" id=\"check\">", out);
	put_json(all, an, out);
	fputs("</script>\n", out);
	free(doc);
	free(text);
	free(all);
}

/* The leaks analysis of a series: drip leaks' drip.leaks/1 document and
 * its text, as the command prints them by default. */
static void put_leaks(const struct leaks_result *L, const char *joined, FILE *out)
{
	struct leaks_render_opts ro;
	char *doc = NULL, *text = NULL, *all = NULL;
	size_t dn = 0, tn = 0, an = 0;
	FILE *m;
	struct json j;

	memset(&ro, 0, sizeof(ro));
	m = mem_open(&doc, &dn);
	leaks_write_json(L, &ro, m);
	fclose(m);
	m = mem_open(&text, &tn);
	leaks_write_text(L, &ro, m);
	fclose(m);
	while (dn && doc[dn - 1] == '\n')
		doc[--dn] = 0;
	m = mem_open(&all, &an);
	json_init(&j, m);
	json_begin_object(&j);
	json_key(&j, "doc");
	json_raw(&j, doc);
	json_kstr(&j, "text", text ? text : "");
	if (joined)
		json_kstr(&j, "joined", joined);
	json_end_object(&j);
	fclose(m);
	fputs("<script type=\"application/json\" id=\"leaks\">", out);
	put_json(all, an, out);
	fputs("</script>\n", out);
	free(doc);
	free(text);
	free(all);
}

int html_report_write(const struct html_input *in, const struct report_opts *ro, const struct html_opts *ho,
		      FILE *out)
{
	char *data = NULL, *svg = NULL;
	size_t dlen = 0;
	FILE *m;
	char js_hash[45], css_hash[45];
	int rc = -1;

	m = mem_open(&data, &dlen);
	if (write_data(in, ro, ho, m) < 0) {
		fclose(m);
		goto done;
	}
	fclose(m);
	svg = graph_svg(in, ro, ho->graph_nodecount);
	if (!svg)
		goto done;
	sha256_base64(html_js, strlen(html_js), js_hash);
	sha256_base64(html_css, strlen(html_css), css_hash);

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", out);
	/* Nothing but this page's own script and style may run or load:
	 * no network (default-src 'none' covers fetch, images, fonts,
	 * frames), the script and style allowed by their hashes rather
	 * than 'unsafe-inline', so that no markup that slipped into the
	 * page from a profile could run or restyle anything. */
	fprintf(out,
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"script-src 'sha256-%s'; style-src 'sha256-%s'; img-src data:; base-uri 'none'; form-action 'none'\">\n",
		js_hash, css_hash);
	fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" "
	      "content=\"drip\">\n<title>", out);
	put_text(ho->title ? ho->title : "drip report", out);
	fputs("</title>\n<style>", out);
	fputs(html_css, out);
	fputs("</style>\n</head>\n<body>\n", out);
	fputs("<noscript><p>This report draws its tables and graphs with JavaScript.</p></noscript>\n", out);
	fputs("<div id=\"app\"></div>\n", out);
	fputs("<template id=\"callgraph\">", out);
	fputs(svg, out);
	fputs("</template>\n<script type=\"application/json\" id=\"data\">", out);
	put_json(data, dlen, out);
	fputs("</script>\n", out);
	if (in->gate)
		put_check(in, out);
	if (in->leaks)
		put_leaks(in->leaks, in->leaks_joined, out);
	fputs("<script>", out);
	fputs(html_js, out);
	fputs("</script>\n</body>\n</html>\n", out);
	rc = 0;
done:
	free(data);
	free(svg);
	return rc;
}
