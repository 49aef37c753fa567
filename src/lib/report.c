#include "report.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "diff.h"
#include "error.h"
#include "rx.h"
#include "strtab.h"
#include "units.h"
#include "xalloc.h"

void report_opts_init(struct report_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->gran = GRAN_FUNCTIONS;
	o->nodecount = -1;
	o->nodefraction = 0.005;
	o->edgefraction = 0.001;
	o->unit = "minimum";
}

int report_init(struct report *r, struct profile *p, const struct report_opts *o)
{
	size_t i;
	const char *u;

	memset(r, 0, sizeof(*r));
	r->prof = p;
	r->o = o;
	r->si = profile_sample_index(p, o->sample_index);
	if (r->si < 0)
		return -1;
	r->sample_type = p->types[r->si].type;
	u = p->types[r->si].unit;
	for (i = 0; u[i] && i + 1 < sizeof(r->sample_unit); i++)
		r->sample_unit[i] = (char)tolower((unsigned char)u[i]);
	r->sample_unit[i] = 0;
	snprintf(r->output_unit, sizeof(r->output_unit), "%s", o->unit ? o->unit : "minimum");
	/* The total before the filters ran (see profile.h), as pprof's
	 * report.New runs before applyFocus; with --relative-percentages
	 * pprof filters first, so the total is of what the filters kept. */
	if (p->unfiltered_totals && !o->relative_percentages)
		r->total = p->unfiltered_totals[r->si];
	else
		r->total = profile_report_total(p, r->si);
	return 0;
}

char *report_fmt(const struct report *r, int64_t v, char *out, size_t n)
{
	return units_label(v, r->sample_unit, r->output_unit, out, n);
}

void report_select_unit(struct report *r, const struct graph *g)
{
	int64_t minv = 0, maxv;
	const char *minu, *maxu, *unit;
	size_t i;

	if (strcmp(r->output_unit, "minimum") != 0 || g->norder == 0)
		return;
	for (i = 0; i < g->norder; i++) {
		const struct gnode *n = &g->nodes[g->order[i]];
		int64_t m = abs64(gnode_flat(n));
		if (m == 0)
			m = abs64(gnode_cum(n));
		if (m > 0 && (minv == 0 || m < minv))
			minv = m;
	}
	maxv = r->total;
	if (minv == 0)
		minv = maxv;
	units_scale(minv, r->sample_unit, "minimum", &minu);
	units_scale(maxv, r->sample_unit, "minimum", &maxu);
	unit = minu;
	if (strcmp(minu, maxu) != 0 && minv * 100 < maxv)
		units_scale(100 * minv, r->sample_unit, "minimum", &unit);
	if (*unit)
		snprintf(r->output_unit, sizeof(r->output_unit), "%s", unit);
	else
		snprintf(r->output_unit, sizeof(r->output_unit), "%s", r->sample_unit);
}

static const char *path_base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s && s[1] ? s + 1 : path;
}

void report_profile_labels(const struct report *r, FILE *f)
{
	const struct profile *p = r->prof;
	size_t i;
	char a[64], b[64];

	if (p->nmappings > 0) {
		if (*p->mappings[0].file)
			fprintf(f, "File: %s\n", path_base(p->mappings[0].file));
		if (*p->mappings[0].build_id)
			fprintf(f, "Build ID: %s\n", p->mappings[0].build_id);
	}
	for (i = 0; i < p->ncomments; i++)
		if (p->comments[i][0] != '#')
			fprintf(f, "%s\n", p->comments[i]);
	if (r->sample_type && *r->sample_type)
		fprintf(f, "Type: %s\n", r->sample_type);
	if (p->time_nanos != 0) {
		time_t t = (time_t)(p->time_nanos / 1000000000);
		struct tm tm;
		char tb[128], ampm[3];

		localtime_r(&t, &tm);
		snprintf(ampm, sizeof(ampm), "%s", tm.tm_hour < 12 ? "am" : "pm");
		strftime(tb, sizeof(tb), "%b %-d, %Y at %-I:%M", &tm);
		fprintf(f, "Time: %s%s (%s)\n", tb, ampm, tm.tm_zone ? tm.tm_zone : "UTC");
	}
	if (p->duration_nanos != 0) {
		const char *tu;
		double tn = units_scale(r->total, r->sample_unit, "nanoseconds", &tu);
		char ratio[64] = "";

		units_label(p->duration_nanos, "nanoseconds", "auto", a, sizeof(a));
		if (strcmp(tu, "ns") == 0 && tn != 0) {
			char pct[32];
			units_percentage((int64_t)tn, p->duration_nanos, pct, sizeof(pct));
			snprintf(ratio, sizeof(ratio), "(%s)", pct);
		}
		fprintf(f, "Duration: %s, Total samples = %s %s\n", a, report_fmt(r, r->total, b, sizeof(b)), ratio);
	}
}

static struct graph *build_graph(struct report *r, bool visual, bool edges, struct trim_result *tr);

struct graph *report_graph(struct report *r, bool visual, struct trim_result *tr)
{
	return build_graph(r, visual, true, tr);
}

struct graph *report_top_graph(struct report *r, struct trim_result *tr)
{
	return build_graph(r, false, false, tr);
}

static struct graph *build_graph(struct report *r, bool visual, bool edges, struct trim_result *tr)
{
	struct graph_opts go;
	struct trim_opts to;
	struct graph *g;

	memset(&go, 0, sizeof(go));
	go.sample_index = r->si;
	go.mean_index = -1;
	go.gran = r->o->gran;
	go.noinlines = r->o->noinlines;
	go.drop_negative = r->o->drop_negative;
	go.inline_edges_only = !edges;
	g = graph_new(r->prof, &go);
	memset(&to, 0, sizeof(to));
	to.nodecount = r->o->nodecount < 0 ? 0 : r->o->nodecount;
	to.nodefraction = r->o->nodefraction;
	to.edgefraction = r->o->edgefraction;
	to.cum = r->o->cum;
	to.visual = visual;
	/* Tags and -call_tree only matter for pprof's visual (DOT) output. */
	to.tags = visual;
	to.call_tree = visual && r->o->call_tree;
	to.tag_unit = r->o->unit ? r->o->unit : "minimum";
	graph_trim(g, &to, tr);
	return g;
}

static void active_filters(const struct filter_opts *o, FILE *f)
{
	const char *names[] = { "focus", "ignore", "hide", "show", "show_from",
				"tagfocus", "tagignore", "tagshow", "taghide" };
	const char *vals[] = { o->focus, o->ignore, o->hide, o->show, o->show_from,
			       o->tagfocus, o->tagignore, o->tagshow, o->taghide };
	size_t i;
	int any = 0;

	for (i = 0; i < 9; i++) {
		if (!vals[i] || !*vals[i])
			continue;
		if (!any++)
			fputs("Active filters:\n", f);
		{
			/* pprof cuts at 80 bytes and adds an ellipsis */
			size_t n = strlen(names[i]) + 1 + strlen(vals[i]);
			if (n > 80) {
				char *s = xmalloc(n + 1);
				snprintf(s, n + 1, "%s=%s", names[i], vals[i]);
				fprintf(f, "   %.80s\xe2\x80\xa6\n", s);
				free(s);
			} else {
				fprintf(f, "   %s=%s\n", names[i], vals[i]);
			}
		}
	}
}

void report_labels(const struct report *r, const struct graph *g, const struct trim_result *tr,
		   int dropped_edges, bool full_headers, FILE *f)
{
	int64_t flat_sum = 0;
	size_t i;
	char a[64], b[64], pct[32];

	if (full_headers || !r->o->compact_labels)
		report_profile_labels(r, f);
	for (i = 0; i < g->norder; i++)
		flat_sum += gnode_flat(&g->nodes[g->order[i]]);
	active_filters(&r->o->filter, f);
	units_percentage(flat_sum, r->total, pct, sizeof(pct));
	fprintf(f, "Showing nodes accounting for %s, %s of %s total\n", report_fmt(r, flat_sum, a, sizeof(a)),
		pct + strspn(pct, " "), report_fmt(r, r->total, b, sizeof(b)));
	if (r->total != 0) {
		if (tr->dropped_nodes > 0)
			fprintf(f, "Dropped %d node%s (cum <= %s)\n", tr->dropped_nodes, tr->dropped_nodes > 1 ? "s" : "",
				report_fmt(r, abs64((int64_t)((double)r->total * r->o->nodefraction)), a, sizeof(a)));
		if (dropped_edges > 0)
			fprintf(f, "Dropped %d edge%s (freq <= %s)\n", dropped_edges, dropped_edges > 1 ? "s" : "",
				report_fmt(r, abs64((int64_t)((double)r->total * r->o->edgefraction)), a, sizeof(a)));
		if (g->norder > 0 && (int)g->norder < tr->orig_count)
			fprintf(f, "Showing top %zu nodes out of %d\n", g->norder, tr->orig_count);
	}
	if (full_headers)
		fputs("\nSee https://git.io/JfYMW for how to read the graph\n", f);
}

int report_top(struct report *r, FILE *f)
{
	struct trim_result tr;
	struct graph *g = build_graph(r, false, false, &tr); /* top: edges only for its (inline) marks */
	int64_t flat_sum = 0;
	size_t i;

	report_select_unit(r, g);
	report_labels(r, g, &tr, 0, false, f);
	fprintf(f, "%10s %5s%% %5s%% %10s %5s%%\n", "flat", "flat", "sum", "cum", "cum");
	for (i = 0; i < g->norder; i++) {
		const struct gnode *n = &g->nodes[g->order[i]];
		int64_t flat = gnode_flat(n), cum = gnode_cum(n);
		char fv[64], cv[64], p1[32], p2[32], p3[32];

		flat_sum += flat;
		fprintf(f, "%10s %s %s %10s %s  %s%s\n", report_fmt(r, flat, fv, sizeof(fv)),
			units_percentage(flat, r->total, p1, sizeof(p1)),
			units_percentage(flat_sum, r->total, p2, sizeof(p2)), report_fmt(r, cum, cv, sizeof(cv)),
			units_percentage(cum, r->total, p3, sizeof(p3)), n->pname,
			inline_suffix(gnode_inline(g, n)));
	}
	graph_free(g);
	return 0;
}

int report_tree(struct report *r, const char *peek_re, FILE *f)
{
	static const char sep[] = "----------------------------------------------------------+-------------";
	static const char legend[] = "      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t ";
	struct trim_result tr;
	struct graph *g;
	struct rx *rx = NULL;
	int64_t flat_sum = 0;
	size_t i, matched = 0;

	if (peek_re && !(rx = rx_compile(peek_re, 0))) {
		err_prefix("invalid regular expression '%s'", peek_re);
		return -1;
	}
	g = report_graph(r, false, &tr);
	report_select_unit(r, g);
	report_labels(r, g, &tr, 0, false, f);
	fprintf(f, "%s\n%s\n", sep, legend);
	for (i = 0; i < g->norder; i++) {
		uint32_t ni = g->order[i], *edges;
		const struct gnode *n = &g->nodes[ni];
		int64_t flat = gnode_flat(n), cum = gnode_cum(n);
		char a[64], b[64], p1[32], p2[32], p3[32];
		size_t ne, k;

		if (rx && !rx_match(rx, n->pname))
			continue;
		matched++;
		fprintf(f, "%s\n", sep);
		ne = graph_in_sorted(g, ni, &edges);
		for (k = 0; k < ne; k++) {
			const struct gedge *e = &g->edges[edges[k]];
			fprintf(f, "%50s %s |   %s%s\n", report_fmt(r, e->weight, a, sizeof(a)),
				units_percentage(e->weight, cum, p1, sizeof(p1)), g->nodes[e->src].pname,
				e->inline_ ? " (inline)" : "");
		}
		free(edges);
		flat_sum += flat;
		fprintf(f, "%10s %s %s %10s %s                | %s\n", report_fmt(r, flat, a, sizeof(a)),
			units_percentage(flat, r->total, p1, sizeof(p1)),
			units_percentage(flat_sum, r->total, p2, sizeof(p2)), report_fmt(r, cum, b, sizeof(b)),
			units_percentage(cum, r->total, p3, sizeof(p3)), n->pname);
		ne = graph_out_sorted(g, ni, &edges);
		for (k = 0; k < ne; k++) {
			const struct gedge *e = &g->edges[edges[k]];
			fprintf(f, "%50s %s |   %s%s\n", report_fmt(r, e->weight, a, sizeof(a)),
				units_percentage(e->weight, cum, p1, sizeof(p1)), g->nodes[e->dst].pname,
				e->inline_ ? " (inline)" : "");
		}
		free(edges);
	}
	if (g->norder > 0)
		fprintf(f, "%s\n", sep);
	graph_free(g);
	if (peek_re) {
		rx_free(rx);
		if (matched == 0)
			return err_set("no matches found for regexp: %s", peek_re);
	}
	return 0;
}

/* ---- labels helpers shared by traces and tags ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A direct-mapped memo of units_label's text for (key, value): traces
 * formats a value and a numeric label per sample, from few distinct
 * ones, and the printf of a double was a third of its time.  key says
 * which units apply (a label's key; NULL for the sample values), so one
 * memo serves both. */
#define FMT_MEMO_BITS 12
struct fmt_memo_slot {
	const void *key;
	int64_t v;
	bool used;
	uint8_t len;
	char s[38];
};

static const char *fmt_memo(struct fmt_memo_slot *memo, const void *key, int64_t v, const char *from,
			    const char *to, size_t *len)
{
	uint64_t h = ((uint64_t)v ^ ((uint64_t)(uintptr_t)key >> 4)) * 0x9E3779B97F4A7C15ull;
	struct fmt_memo_slot *m = &memo[h >> (64 - FMT_MEMO_BITS)];
	char tmp[64];
	size_t n;

	if (m->used && m->v == v && m->key == key) {
		*len = m->len;
		return m->s;
	}
	units_label(v, from, to, tmp, sizeof(tmp));
	n = strlen(tmp);
	if (n >= sizeof(m->s)) {
		/* too long to keep: the caller copies it at once */
		static _Thread_local char big[64];
		memcpy(big, tmp, n + 1);
		*len = n;
		return big;
	}
	memcpy(m->s, tmp, n + 1);
	m->len = (uint8_t)n;
	m->key = key;
	m->v = v;
	m->used = true;
	*len = n;
	return m->s;
}

/* Scratch arrays of sample_label_lines, reused from sample to sample. */
struct label_scratch {
	const struct pf_label **ls; /* the labels of one kind, grouped by key */
	size_t cap_ls;
	size_t *off; /* line starts in text */
	const char **lines;
	size_t cap_off, cap_lines;
	struct buf text;
	const struct label_units *units;
	struct fmt_memo_slot *memo; /* 1 << FMT_MEMO_BITS slots */
};

/* "%10s: " without printf */
static void put_key(struct buf *b, const char *key)
{
	size_t n = strlen(key);

	for (; n < 10; n++)
		buf_putc(b, ' ');
	buf_puts(b, key);
	buf_add(b, ": ", 2);
}

/* Group labels by key (interned: by pointer), in their order within a
 * key; the order of the groups does not matter (the lines are sorted). */
static int cmp_label_key(const void *a, const void *b)
{
	const struct pf_label *x = *(const struct pf_label *const *)a, *y = *(const struct pf_label *const *)b;

	if (x->key != y->key)
		return (uintptr_t)x->key < (uintptr_t)y->key ? -1 : 1;
	return x < y ? -1 : x > y; /* same key: the sample's order */
}

/* Lines "%10s:  v1 v2\n" for a sample's string labels (numeric when
 * numeric is set), one per key with its values in order, the lines
 * sorted, appended to out.  O(n log n) in the sample's labels (it was
 * quadratic: a sample with a million labels took minutes). */
static void sample_label_lines(const struct profile *p, const struct pf_sample *s, bool numeric,
			       struct label_scratch *sc, struct buf *out)
{
	const struct pf_label *all = p->labels + s->label_start;
	size_t n = 0, nl = 0, i, j;

	xgrow(&sc->ls, &sc->cap_ls, s->nlabels + 1, sizeof(*sc->ls));
	for (i = 0; i < s->nlabels; i++)
		if ((all[i].str != NULL) != numeric)
			sc->ls[n++] = &all[i];
	if (n == 0)
		return;
	if (n > 1)
		qsort(sc->ls, n, sizeof(*sc->ls), cmp_label_key);
	buf_reset(&sc->text);
	for (i = 0; i < n; i = j) {
		xgrow(&sc->off, &sc->cap_off, nl + 1, sizeof(*sc->off));
		sc->off[nl++] = sc->text.len;
		put_key(&sc->text, sc->ls[i]->key);
		for (j = i; j < n && sc->ls[j]->key == sc->ls[i]->key; j++) {
			buf_putc(&sc->text, ' ');
			if (numeric) {
				size_t len;
				const char *v = fmt_memo(sc->memo, sc->ls[j]->key, sc->ls[j]->num,
							 label_units_get(sc->units, sc->ls[j]->key), "auto", &len);
				buf_add(&sc->text, v, len);
			} else {
				buf_puts(&sc->text, sc->ls[j]->str);
			}
		}
		buf_puts(&sc->text, "\n");
		buf_putc(&sc->text, '\0');
	}
	xgrow(&sc->lines, &sc->cap_lines, nl + 1, sizeof(*sc->lines));
	for (i = 0; i < nl; i++)
		sc->lines[i] = sc->text.data + sc->off[i];
	if (nl > 1)
		qsort(sc->lines, nl, sizeof(char *), cmp_str);
	for (i = 0; i < nl; i++)
		buf_puts(out, sc->lines[i]);
}

/* pprof merges every profile it loads, which drops samples whose values
 * are all zero. */
static bool all_zero(const struct profile *p, size_t sample)
{
	const int64_t *v = pf_values(p, sample);
	size_t k;

	for (k = 0; k < p->ntypes; k++)
		if (v[k])
			return false;
	return true;
}

int report_traces(struct report *r, FILE *f)
{
	static const char sep[] = "-----------+-------------------------------------------------------";
	const struct profile *p = r->prof;
	struct graph_opts go;
	struct graph *g;
	struct buf b = BUF_INIT;
	struct label_scratch sc;
	struct label_units *lu;
	size_t i, *nlen;

	/* pprof uses its node table with the default options: every line,
	 * full names, addresses only when the granularity keeps them. */
	memset(&go, 0, sizeof(go));
	go.sample_index = r->si;
	go.mean_index = -1;
	go.gran = r->o->gran;
	go.noinlines = r->o->noinlines;
	g = graph_new(p, &go);
	memset(&sc, 0, sizeof(sc));
	sc.units = lu = label_units_new(p);
	sc.memo = xcalloc((size_t)1 << FMT_MEMO_BITS, sizeof(*sc.memo));
	report_profile_labels(r, f);
	/* The text is built in b and written in large blocks: a deep
	 * profile's traces are hundreds of MB, and a printf per frame was
	 * most of the time.  Each node's name length is taken once. */
	nlen = xreallocarray(NULL, g->nnodes + 1, sizeof(*nlen));
	for (i = 0; i < g->nnodes; i++)
		nlen[i] = strlen(g->nodes[i].pname);
	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *s = &p->samples[i];
		const uint32_t *stk = pf_stack(p, s);
		int64_t v = pf_values(p, i)[r->si];
		uint32_t k;
		bool first = true;

		if (s->nlocs == 0 || all_zero(p, i))
			continue;
		buf_add(&b, sep, sizeof(sep) - 1);
		buf_putc(&b, '\n');
		sample_label_lines(p, s, false, &sc, &b);
		sample_label_lines(p, s, true, &sc, &b);
		for (k = 0; k < s->nlocs; k++) {
			uint32_t loc = stk[k], first_n = g->loc_first[loc], cnt = g->loc_count[loc], ni;
			for (ni = 0; ni < cnt; ni++) {
				uint32_t nix = g->loc_nodes[first_n + ni];
				if (first) {
					size_t len, pad;
					const char *val = fmt_memo(sc.memo, NULL, v, r->sample_unit,
								   r->output_unit, &len);

					for (pad = len; pad < 10; pad++)
						buf_putc(&b, ' ');
					buf_add(&b, val, len);
					buf_add(&b, "   ", 3);
				} else
					buf_add(&b, "             ", 13);
				buf_add(&b, g->nodes[nix].pname, nlen[nix]);
				if (ni != cnt - 1)
					buf_add(&b, " (inline)\n", 10);
				else
					buf_putc(&b, '\n');
				first = false;
			}
		}
		if (b.len >= 1 << 16) {
			fwrite(b.data, 1, b.len, f);
			buf_reset(&b);
		}
	}
	fwrite(b.data ? b.data : "", 1, b.len, f);
	fprintf(f, "%s\n", sep);
	free(nlen);
	buf_release(&b);
	free(sc.ls);
	free(sc.off);
	free(sc.lines);
	free(sc.memo);
	buf_release(&sc.text);
	label_units_free(lu);
	graph_free(g);
	return 0;
}
