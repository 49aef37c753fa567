#include "report_dot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "color.h"
#include "error.h"
#include "graph.h"
#include "hash.h"
#include "strtab.h"
#include "units.h"
#include "xalloc.h"

#define MAX_NODELETS 4 /* pprof's maxNodelets */

void escape_for_dot(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			buf_puts(b, "\\\\");
		else if (*s == '"')
			buf_puts(b, "\\\"");
		else if (*s == '\n')
			buf_puts(b, "\\l");
		else
			buf_putc(b, *s);
	}
}

/* Tag names and titles go out as pprof writes them, except that a '"'
 * is escaped so that the DOT stays parseable. */
static void put_quoted_raw(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"')
			fputs("\\\"", f);
		else
			fputc(*s, f);
	}
}

/* Replace every occurrence of from in b (from offset) by to. */
static void replace_all(struct buf *b, const char *from, const char *to)
{
	struct buf o = BUF_INIT;
	size_t fl = strlen(from), i = 0;

	if (!b->data)
		return;
	while (i < b->len) {
		if (strncmp(b->data + i, from, fl) == 0) {
			buf_puts(&o, to);
			i += fl;
		} else {
			buf_putc(&o, b->data[i++]);
		}
	}
	buf_release(b);
	*b = o;
	if (!b->data)
		buf_puts(b, "");
}

static const char *path_base(const char *p)
{
	size_t n = strlen(p);
	const char *s;

	while (n > 1 && p[n - 1] == '/')
		n--;
	s = p + n;
	while (s > p && s[-1] != '/')
		s--;
	return intern_n(s, (size_t)(p + n - s));
}

/* pprof's multilinePrintableName. */
static void multiline_name(struct buf *out, const struct node_info *ni)
{
	struct buf name = BUF_INIT;
	bool any = false;

	if (ni->address) {
		buf_printf(out, "%016llx", (unsigned long long)ni->address);
		any = true;
	}
	if (*ni->name) {
		escape_for_dot(&name, shorten_function_name(ni->name));
		buf_puts(&name, "");
		replace_all(&name, "::", "\\n");
		replace_all(&name, "[...]", "[\xe2\x80\xa6]");
		replace_all(&name, ".", "\\n");
		buf_printf(out, "%s%s", any ? "\\n" : "", name.data);
		any = true;
	}
	if (ni->lineno)
		buf_printf(out, "%s%s:%lld", any ? "\\n" : "", *ni->file ? path_base(ni->file) : "",
			   (long long)ni->lineno);
	else if (*ni->file)
		buf_printf(out, "%s%s", any ? "\\n" : "", path_base(ni->file));
	else if (*ni->name)
		;
	else if (*ni->objfile)
		buf_printf(out, "%s[%s]", any ? "\\n" : "", path_base(ni->objfile));
	else
		buf_printf(out, "%s<unknown>", any ? "\\n" : "");
	buf_puts(out, "\\n");
	buf_release(&name);
}

/* drip's palette for the same score: from pprof's grey (no change)
 * towards color.h's grew red (score > 0) or shrank blue (< 0), as far
 * as pprof's saturation goes (faint for fills). */
static const char *dot_color_drip(double score, bool bg, char *out)
{
	double sat = bg ? 0.1 : 1.0, val = bg ? 0.93 : 0.7, a;
	unsigned int rgb[3];
	int k;

	if (score > 1.0)
		score = 1.0;
	if (score < -1.0)
		score = -1.0;
	if (isnan(score))
		score = 0;
	if (fabs(score) < 0.2)
		sat *= fabs(score) / 0.2;
	a = score != 0 ? sat * exp(0.3 * log(fabs(score))) : 0;
	if (sscanf(color_hex(score < 0 ? COLOR_SHRANK : COLOR_GREW), "#%2x%2x%2x", &rgb[0], &rgb[1], &rgb[2]) != 3)
		rgb[0] = rgb[1] = rgb[2] = 0;
	for (k = 0; k < 3; k++)
		rgb[k] = (unsigned int)lround(val * 255.0 + ((double)rgb[k] - val * 255.0) * a);
	sprintf(out, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
	return out;
}

/* pprof's dotColor; drip: drip's red/blue instead (--palette=drip). */
static const char *dot_color(double score, bool bg, bool drip, char *out)
{
	if (drip)
		return dot_color_drip(score, bg, out);
	{
	const double shift = 0.7;
	double sat = bg ? 0.1 : 1.0, val = bg ? 0.93 : 0.7, r, g, b;

	if (score > 1.0)
		score = 1.0;
	if (score < -1.0)
		score = -1.0;
	if (isnan(score))
		score = 0; /* Go's Max/Min propagate NaN; only 0/0 gets here */
	if (fabs(score) < 0.2)
		sat *= fabs(score) / 0.2;
	/* Go's math.Pow for a fractional exponent is exp(y*log(x)). */
	if (score > 0.0)
		score = exp((1.0 - shift) * log(score));
	if (score < 0.0)
		score = -exp((1.0 - shift) * log(-score));
	if (score < 0.0) {
		g = val;
		r = val * (1 + sat * score);
	} else {
		r = val;
		g = val * (1 - sat * score);
	}
	b = val * (1 - sat);
	sprintf(out, "#%02x%02x%02x", (unsigned)(uint8_t)(r * 255.0), (unsigned)(uint8_t)(g * 255.0),
		(unsigned)(uint8_t)(b * 255.0));
	return out;
	}
}

static char *fmt_pct(int64_t v, int64_t total, char *out, size_t n)
{
	char p[32];
	units_percentage(v, total, p, sizeof(p));
	snprintf(out, n, "%s", p + strspn(p, " "));
	return out;
}

/* ---- nodelets ---- */

struct ctag {
	const char *name; /* interned */
	const char *unit;
	int64_t value, flat, flat_div, cum, cum_div;
};

static int64_t ctag_flat(const struct ctag *t)
{
	return t->flat_div == 0 ? t->flat : t->flat / t->flat_div;
}

static int64_t ctag_cum(const struct ctag *t)
{
	return t->cum_div == 0 ? t->cum : t->cum / t->cum_div;
}

static bool sort_flat;

/* pprof's tags.Less */
static int cmp_ctag(const void *a, const void *b)
{
	const struct ctag *x = a, *y = b;

	if (!sort_flat && x->cum != y->cum && abs64(x->cum) != abs64(y->cum))
		return abs64(x->cum) > abs64(y->cum) ? -1 : 1;
	if (x->flat != y->flat && abs64(x->flat) != abs64(y->flat))
		return abs64(x->flat) > abs64(y->flat) ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void sort_tags(struct ctag *t, size_t n, bool flat)
{
	if (n < 2)
		return;
	sort_flat = flat;
	qsort(t, n, sizeof(*t), cmp_ctag);
}

static double tag_distance(const struct ctag *t, const struct ctag *u)
{
	const char *dummy;
	double v = units_scale(u->value, u->unit, t->unit, &dummy);
	return v < (double)t->value ? (double)t->value - v : v - (double)t->value;
}

/* pprof's collapsedTags: at most count tags, the rest grouped into
 * ranges.  Rewrites ts in place; returns the new count. */
static size_t collapse_tags(struct ctag *ts, size_t n, size_t count, bool flat)
{
	size_t *group, i, g;
	struct ctag out[MAX_NODELETS];

	sort_tags(ts, n, flat);
	if (n <= count)
		return n;
	group = xreallocarray(NULL, n, sizeof(size_t));
	for (i = 0; i < count; i++)
		group[i] = i;
	for (i = count; i < n; i++) {
		double d = tag_distance(&ts[i], &ts[0]);
		size_t best = 0;
		for (g = 1; g < count; g++) {
			double nd = tag_distance(&ts[i], &ts[g]);
			if (nd < d) {
				best = g;
				d = nd;
			}
		}
		group[i] = best;
	}
	for (g = 0; g < count; g++) {
		const struct ctag *mn = &ts[g], *mx = &ts[g];
		int64_t f = ts[g].flat, df = ts[g].flat_div, c = ts[g].cum, dc = ts[g].cum_div;
		size_t members = 1;
		char a[64], b[128];
		const char *dummy;

		for (i = count; i < n; i++) {
			const struct ctag *t = &ts[i];
			if (group[i] != g)
				continue;
			members++;
			if ((int64_t)units_scale(t->value, t->unit, mn->unit, &dummy) < mn->value)
				mn = t;
			if ((int64_t)units_scale(t->value, t->unit, mx->unit, &dummy) > mx->value)
				mx = t;
			f += t->flat;
			df += t->flat_div;
			c += t->cum;
			dc += t->cum_div;
		}
		memset(&out[g], 0, sizeof(out[g]));
		if (members == 1) {
			units_label(mn->value, mn->unit, "auto", b, sizeof(b));
			out[g].flat = ctag_flat(mn);
			out[g].cum = ctag_cum(mn);
		} else {
			if (df != 0)
				f /= df;
			if (dc != 0)
				c /= dc;
			units_label(mn->value, mn->unit, "auto", a, sizeof(a));
			snprintf(b, sizeof(b), "%s..", a);
			units_label(mx->value, mx->unit, "auto", a, sizeof(a));
			strncat(b, a, sizeof(b) - strlen(b) - 1);
			out[g].flat = f;
			out[g].cum = c;
		}
		out[g].name = intern(b);
	}
	free(group);
	memcpy(ts, out, count * sizeof(*ts));
	sort_tags(ts, count, flat);
	return count;
}

static void numeric_nodelets(const struct report *r, FILE *f, struct ctag *ts, size_t n, bool flat,
			     const char *source, bool *any)
{
	size_t j;

	n = collapse_tags(ts, n, MAX_NODELETS, flat);
	for (j = 0; j < n; j++) {
		const struct ctag *t = &ts[j];
		int64_t w = ctag_cum(t);
		const char *attr = " style=\"dotted\"";
		char wv[64];

		if (flat || ctag_flat(t) == ctag_cum(t)) {
			w = ctag_flat(t);
			attr = "";
		}
		if (w == 0)
			continue;
		report_fmt(r, w, wv, sizeof(wv));
		fprintf(f, "N%s_%zu [label = \"", source, j);
		put_quoted_raw(f, t->name);
		fprintf(f, "\" id=\"N%s_%zu\" fontsize=8 shape=box3d tooltip=\"%s\"]\n", source, j, wv);
		fprintf(f, "%s -> N%s_%zu [label=\" %s\" weight=100 tooltip=\"%s\" labeltooltip=\"%s\"%s]\n", source,
			source, j, wv, wv, wv, attr);
		*any = true;
	}
}

/* Numeric tags of node under the label set labels, as ctags. */
static size_t numeric_of(const struct graph *g, uint32_t node, const char *labels, struct ctag **out)
{
	struct ctag *v = NULL;
	size_t n = 0, cap = 0;
	uint32_t k;

	for (k = 0; k < g->tag_count[node]; k++) {
		const struct gtag *t = &g->tags[g->tag_first[node] + k];
		if (t->trimmed || !t->numeric || t->labels != labels)
			continue;
		xgrow(&v, &cap, n + 1, sizeof(*v));
		v[n].name = t->name;
		v[n].unit = t->unit;
		v[n].value = t->value;
		v[n].flat = t->flat;
		v[n].flat_div = t->flat_div;
		v[n].cum = t->cum;
		v[n].cum_div = t->cum_div;
		n++;
	}
	*out = v;
	return n;
}

/* pprof's addNodelets; returns whether any nodelet was written. */
static bool add_nodelets(const struct report *r, const struct graph *g, uint32_t node, int id, FILE *f)
{
	const struct gnode *n = &g->nodes[node];
	bool flat = false, any = false;
	struct ctag *ts = NULL, *nts;
	size_t nt = 0, cap = 0, i, nn;
	uint32_t k;
	char src[64];

	if (!g->tag_first || g->tag_count[node] == 0)
		return false;
	for (k = 0; k < n->nout; k++)
		if (!g->edges[n->out[k]].deleted)
			flat = true;
	for (k = 0; k < g->tag_count[node]; k++) {
		const struct gtag *t = &g->tags[g->tag_first[node] + k];
		if (t->trimmed || t->numeric)
			continue;
		xgrow(&ts, &cap, nt + 1, sizeof(*ts));
		memset(&ts[nt], 0, sizeof(*ts));
		ts[nt].name = t->name;
		ts[nt].unit = t->unit;
		ts[nt].flat = t->flat;
		ts[nt].flat_div = t->flat_div;
		ts[nt].cum = t->cum;
		ts[nt].cum_div = t->cum_div;
		nt++;
	}
	sort_tags(ts, nt, flat);
	if (nt > MAX_NODELETS)
		nt = MAX_NODELETS;
	for (i = 0; i < nt; i++) {
		int64_t w = flat ? ctag_flat(&ts[i]) : ctag_cum(&ts[i]);
		char wv[64];

		if (w == 0)
			continue;
		report_fmt(r, w, wv, sizeof(wv));
		fprintf(f, "N%d_%zu [label = \"", id, i);
		put_quoted_raw(f, ts[i].name);
		fprintf(f, "\" id=\"N%d_%zu\" fontsize=8 shape=box3d tooltip=\"%s\"]\n", id, i, wv);
		fprintf(f, "N%d -> N%d_%zu [label=\" %s\" weight=100 tooltip=\"%s\" labeltooltip=\"%s\"]\n", id, id, i,
			wv, wv, wv);
		any = true;
		nn = numeric_of(g, node, ts[i].name, &nts);
		if (nn) {
			snprintf(src, sizeof(src), "N%d_%zu", id, i);
			numeric_nodelets(r, f, nts, nn, flat, src, &any);
		}
		free(nts);
	}
	nn = numeric_of(g, node, intern_empty(), &nts);
	if (nn) {
		snprintf(src, sizeof(src), "N%d", id);
		numeric_nodelets(r, f, nts, nn, flat, src, &any);
	}
	free(nts);
	free(ts);
	return any;
}

/* ---- edges ---- */

static const struct graph *eg;
static const uint32_t *epos; /* node -> position in order */

/* pprof's edgeList.Less, then positions for a deterministic order. */
static int cmp_dot_edge(const void *a, const void *b)
{
	const struct gedge *x = &eg->edges[*(const uint32_t *)a], *y = &eg->edges[*(const uint32_t *)b];
	int c;

	if (x->weight != y->weight && abs64(x->weight) != abs64(y->weight))
		return abs64(x->weight) > abs64(y->weight) ? -1 : 1;
	if ((c = strcmp(eg->nodes[x->src].pname, eg->nodes[y->src].pname)) != 0)
		return c;
	if ((c = strcmp(eg->nodes[x->dst].pname, eg->nodes[y->dst].pname)) != 0)
		return c;
	if (epos[x->src] != epos[y->src])
		return epos[x->src] < epos[y->src] ? -1 : 1;
	return epos[x->dst] < epos[y->dst] ? -1 : epos[x->dst] > epos[y->dst];
}

static void add_edge(const struct report *r, const struct graph *g, const struct gedge *e, int from, int to,
		     bool nodelets, FILE *f)
{
	int64_t w = e->weight_div == 0 ? e->weight : e->weight / e->weight_div;
	int64_t total = r->total;
	char wv[64], col[16];
	struct buf tip = BUF_INIT;

	report_fmt(r, w, wv, sizeof(wv));
	fprintf(f, "N%d -> N%d [label=\" %s%s\"", from, to, wv, e->inline_ ? "\\n (inline)" : "");
	if (total != 0) {
		int64_t a = abs64(w * 100 / total), p = abs64(w * 5 / total);
		int weight = 1 + (int)(a < 100 ? a : 100), width = 1 + (int)(p < 5 ? p : 5);

		if (weight > 1)
			fprintf(f, " weight=%d", weight);
		if (width > 1)
			fprintf(f, " penwidth=%d", width);
		fprintf(f, " color=\"%s\"", dot_color((double)w / (double)abs64(total), false, r->o->drip_palette, col));
	}
	buf_putc(&tip, '"');
	escape_for_dot(&tip, g->nodes[e->src].pname);
	buf_puts(&tip, e->residual ? " ... " : " -> ");
	escape_for_dot(&tip, g->nodes[e->dst].pname);
	buf_printf(&tip, " (%s)\"", wv);
	fprintf(f, " tooltip=%s labeltooltip=%s", tip.data, tip.data);
	if (e->residual)
		fputs(" style=\"dotted\"", f);
	if (nodelets)
		fputs(" minlen=2", f);
	fputs("]\n", f);
	buf_release(&tip);
}

/* ---- the graph ---- */

/* The cumulative values of a base profile by node_info, for the
 * "BASE → NEW" line of diff graphs. */
struct base_values {
	struct graph *g;      /* the base profile's graph, all nodes */
	struct u64map first;  /* info hash -> node index + 1 */
	uint32_t *next;       /* chain of nodes with the same hash, + 1 */
};

static uint64_t ni_hash(const struct node_info *k)
{
	uint64_t h = hash_mix((uint64_t)(uintptr_t)k->name);
	h = hash_combine(h, k->address);
	h = hash_combine(h, (uint64_t)(uintptr_t)k->file);
	h = hash_combine(h, (uint64_t)k->start_line);
	h = hash_combine(h, (uint64_t)k->lineno);
	return hash_combine(h, (uint64_t)(uintptr_t)k->objfile);
}

static bool ni_eq(const struct node_info *a, const struct node_info *b)
{
	return a->name == b->name && a->address == b->address && a->file == b->file &&
	       a->start_line == b->start_line && a->lineno == b->lineno && a->objfile == b->objfile;
}

static void base_init(struct base_values *bv, const struct report *r, const struct profile *base)
{
	struct graph_opts go;
	size_t i;

	memset(bv, 0, sizeof(*bv));
	if (!base)
		return;
	memset(&go, 0, sizeof(go));
	go.sample_index = r->si;
	go.mean_index = -1;
	go.gran = r->o->gran;
	go.noinlines = r->o->noinlines;
	bv->g = graph_new(base, &go);
	graph_accumulate(bv->g, true);
	bv->next = xcalloc(bv->g->nnodes + 1, sizeof(uint32_t));
	for (i = 0; i < bv->g->nnodes; i++) {
		int ins;
		uint64_t *slot = u64map_put(&bv->first, ni_hash(&bv->g->nodes[i].info), 0, &ins);
		bv->next[i] = (uint32_t)*slot;
		*slot = i + 1;
	}
}

/* The base profile's cumulative value for a node (0 when absent). */
static int64_t base_cum(const struct base_values *bv, const struct node_info *ni)
{
	uint64_t v;
	uint32_t k;

	if (!u64map_get(&bv->first, ni_hash(ni), &v))
		return 0;
	for (k = (uint32_t)v; k; k = bv->next[k - 1])
		if (ni_eq(&bv->g->nodes[k - 1].info, ni))
			return gnode_cum(&bv->g->nodes[k - 1]);
	return 0;
}

static void base_release(struct base_values *bv)
{
	graph_free(bv->g);
	u64map_release(&bv->first);
	free(bv->next);
}

static void add_node(const struct report *r, const struct graph *g, uint32_t node, int id, double max_flat,
		     const struct base_values *bv, FILE *f)
{
	const struct gnode *n = &g->nodes[node];
	int64_t flat = gnode_flat(n), cum = gnode_cum(n), total = r->total;
	struct buf label = BUF_INIT, tip = BUF_INIT;
	char fv[64], cv[64], pct[32], c1[16], c2[16];
	int font = 8;

	multiline_name(&label, &n->info);
	report_fmt(r, flat, fv, sizeof(fv));
	if (flat != 0)
		buf_printf(&label, "%s (%s)", fv, fmt_pct(flat, total, pct, sizeof(pct)));
	else
		buf_puts(&label, "0");
	snprintf(cv, sizeof(cv), "%s", fv);
	if (cum != flat) {
		buf_puts(&label, flat != 0 ? "\\n" : " ");
		report_fmt(r, cum, cv, sizeof(cv));
		buf_printf(&label, "of %s (%s)", cv, fmt_pct(cum, total, pct, sizeof(pct)));
	}
	if (bv && bv->g) {
		/* cum is new - base, so new = cum + base */
		int64_t b = base_cum(bv, &n->info);
		char bs[64], ns[64];

		buf_printf(&label, "\\n%s \xe2\x86\x92 %s", report_fmt(r, b, bs, sizeof(bs)),
			   report_fmt(r, sat_add(cum, b), ns, sizeof(ns)));
	}
	if (max_flat != 0 && flat != 0 && (double)abs64(flat) <= max_flat)
		font += (int)ceil(16.0 * sqrt((double)abs64(flat) / max_flat));
	escape_for_dot(&tip, n->pname);
	fprintf(f,
		"N%d [label=\"%s\" id=\"node%d\" fontsize=%d shape=box tooltip=\"%s (%s)\" color=\"%s\" "
		"fillcolor=\"%s\"]\n",
		id, label.data, id, font, tip.data, cv,
		dot_color((double)gnode_cum(n) / (double)abs64(total), false, r->o->drip_palette, c1),
		dot_color((double)gnode_cum(n) / (double)abs64(total), true, r->o->drip_palette, c2));
	buf_release(&label);
	buf_release(&tip);
}

/* The legend lines: reportLabels with full headers, one per line. */
static char **legend_lines(struct report *r, const struct graph *g, const struct trim_result *tr, size_t *n)
{
	char *text = NULL, **lines = NULL, *s, *nl;
	size_t len = 0, cap = 0;
	FILE *m = open_memstream(&text, &len);

	*n = 0;
	if (!m)
		return NULL;
	report_labels(r, g, tr, tr->dropped_edges, true, m);
	fclose(m);
	for (s = text; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl)
			nl = s + strlen(s) - 1 + 1;
		xgrow(&lines, &cap, *n + 1, sizeof(char *));
		lines[(*n)++] = strndup(s, (size_t)(nl - s));
		if (!*nl)
			break;
	}
	free(text);
	return lines;
}

int report_dot(struct report *r, FILE *f)
{
	return report_dot_diff(r, NULL, f);
}

int report_dot_diff(struct report *r, const struct profile *base, FILE *f)
{
	struct trim_result tr;
	struct graph *g = report_graph(r, true, &tr);
	struct base_values bv;
	char **lines;
	size_t nlines, i;
	const char *title = r->o->title;

	report_select_unit(r, g);
	lines = legend_lines(r, g, &tr, &nlines);
	if (!title && r->prof->nmappings > 0 && *r->prof->mappings[0].file)
		title = path_base(r->prof->mappings[0].file);
	fputs("digraph \"", f);
	put_quoted_raw(f, title && *title ? title : "unnamed");
	fputs("\" {\nnode [style=filled fillcolor=\"#f8f8f8\"]\n", f);
	if (nlines > 0) {
		struct buf b = BUF_INIT;

		escape_for_dot(&b, lines[0]);
		fprintf(f, "subgraph cluster_L { \"%s\" [shape=box fontsize=16 label=\"", b.data ? b.data : "");
		for (i = 0; i < nlines; i++) {
			buf_reset(&b);
			escape_for_dot(&b, lines[i]);
			fprintf(f, "%s%s", i ? "\\l" : "", b.data ? b.data : "");
		}
		fputs("\\l\"", f);
		if (title && *title) {
			fputs(" tooltip=\"", f);
			put_quoted_raw(f, title);
			fputs("\"", f);
		}
		fputs("] }\n", f);
		buf_release(&b);
	}
	for (i = 0; i < nlines; i++)
		free(lines[i]);
	free(lines);

	/* A call tree's nodes are paths: no per-node base value. */
	base_init(&bv, r, g->tree ? NULL : base);
	if (g->norder > 0) {
		double max_flat = (double)abs64(gnode_flat(&g->nodes[g->order[0]]));
		bool *has_nodelets = xcalloc(g->nnodes + 1, sizeof(bool));
		uint32_t *pos = xcalloc(g->nnodes + 1, sizeof(uint32_t)), *edges = NULL;
		size_t ne = 0, cap = 0;

		for (i = 0; i < g->norder; i++) {
			double fl = (double)abs64(gnode_flat(&g->nodes[g->order[i]]));
			pos[g->order[i]] = (uint32_t)i + 1;
			if (fl > max_flat)
				max_flat = fl;
		}
		for (i = 0; i < g->norder; i++) {
			uint32_t node = g->order[i], k;
			const struct gnode *n = &g->nodes[node];

			add_node(r, g, node, (int)i + 1, max_flat, &bv, f);
			has_nodelets[node] = add_nodelets(r, g, node, (int)i + 1, f);
			for (k = 0; k < n->nout; k++) {
				if (g->edges[n->out[k]].deleted)
					continue;
				xgrow(&edges, &cap, ne + 1, sizeof(uint32_t));
				edges[ne++] = n->out[k];
			}
		}
		eg = g;
		epos = pos;
		if (ne > 1)
			qsort(edges, ne, sizeof(uint32_t), cmp_dot_edge);
		for (i = 0; i < ne; i++) {
			const struct gedge *e = &g->edges[edges[i]];
			add_edge(r, g, e, (int)pos[e->src], (int)pos[e->dst], has_nodelets[e->src], f);
		}
		free(edges);
		free(pos);
		free(has_nodelets);
	}
	fputs("}\n", f);
	base_release(&bv);
	graph_free(g);
	return 0;
}
