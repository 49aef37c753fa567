/* leaks_openmetrics: the OpenMetrics exposition of leaks results.  See
 * leaks_openmetrics.h. */
#include "leaks_openmetrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ggroup.h"
#include "trend.h"
#include "xalloc.h"

/* The unit classes a family is named after. */
enum uclass { U_BYTES, U_SECONDS, U_PLAIN, U_N };
static const char *const class_suffix[U_N] = { "_bytes", "_seconds", "" };
static const char *const class_unit[U_N] = { "bytes", "seconds", NULL };

/* The class of a profile unit, and the factor to its base unit. */
static enum uclass unit_class(const char *unit, double *scale)
{
	*scale = 1;
	if (!unit)
		return U_PLAIN;
	if (!strcmp(unit, "bytes"))
		return U_BYTES;
	if (!strcmp(unit, "seconds"))
		return U_SECONDS;
	if (!strcmp(unit, "nanoseconds")) {
		*scale = 1e-9;
		return U_SECONDS;
	}
	if (!strcmp(unit, "microseconds")) {
		*scale = 1e-6;
		return U_SECONDS;
	}
	if (!strcmp(unit, "milliseconds")) {
		*scale = 1e-3;
		return U_SECONDS;
	}
	return U_PLAIN;
}

/* The unit label: the base unit for bytes and seconds, else the
 * profile's ("count", "objects"), "count" when it names none. */
static const char *unit_label(const char *unit)
{
	double scale;
	enum uclass c = unit_class(unit, &scale);

	if (c != U_PLAIN)
		return class_unit[c];
	return unit && *unit ? unit : "count";
}

void leaks_om_escape(const char *s, FILE *f)
{
	for (; s && *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '"')
			fputs("\\\"", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void help_escape(const char *s, FILE *f)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void om_value(double v, FILE *f)
{
	if (isnan(v))
		fputs("NaN", f);
	else if (isinf(v))
		fputs(v > 0 ? "+Inf" : "-Inf", f);
	else if (v == floor(v) && fabs(v) < 1e15)
		fprintf(f, "%.0f", v == 0 ? 0.0 : v); /* no "-0" */
	else
		fprintf(f, "%.12g", v);
}

/* The sites of one target that get series of their own. */
struct pick {
	size_t *keep;   /* indexes into r->sites, in rank order */
	char **label;   /* the site label of each (owned) */
	size_t nkeep;
	bool *hidden;   /* per site of r: summed into "other" */
	bool other;     /* some site is hidden */
};

/* A site's sort keys: qsort has no context argument, so each entry
 * carries what the comparisons read. */
struct skey {
	size_t i;            /* index in r->sites (rank order) */
	int proven, growing;
	double growth, value; /* of the first sample type */
	const char *name;
};

static int by_growth(const void *a, const void *b)
{
	const struct skey *x = a, *y = b;

	if (x->proven != y->proven)
		return x->proven ? -1 : 1;
	if (x->growing != y->growing)
		return x->growing ? -1 : 1;
	if (x->growth != y->growth)
		return x->growth > y->growth ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int by_value(const void *a, const void *b)
{
	const struct skey *x = a, *y = b;

	if (x->value != y->value)
		return x->value > y->value ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int by_name(const void *a, const void *b)
{
	const struct skey *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

static int by_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static void pick_sites(const struct leaks_result *r, size_t max, struct pick *p)
{
	size_t n = r->nsites, i, j, ig = 0, iv = 0;
	struct skey *g = xcalloc(n ? n : 1, sizeof(*g)), *v = xcalloc(n ? n : 1, sizeof(*v));
	size_t *slot = xcalloc(n ? n : 1, sizeof(size_t)); /* site -> its place in keep */

	memset(p, 0, sizeof(*p));
	p->hidden = xcalloc(n ? n : 1, sizeof(bool));
	p->keep = xcalloc(n ? n : 1, sizeof(size_t));
	p->label = xcalloc(n ? n : 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		const struct leaks_site *s = &r->sites[i];
		g[i].i = i;
		g[i].proven = s->proven > 0;
		g[i].growing = s->verdict0 == VERDICT_GROWING;
		g[i].growth = s->tr[0].growth;
		g[i].value = s->v[r->n - 1]; /* type 0, last snapshot */
		g[i].name = s->name;
	}
	memcpy(v, g, n * sizeof(*g));
	if (max == 0 || max >= n) {
		for (i = 0; i < n; i++)
			p->keep[p->nkeep++] = i;
	} else {
		for (i = 0; i < n; i++)
			p->hidden[i] = true;
		qsort(g, n, sizeof(*g), by_growth);
		qsort(v, n, sizeof(*v), by_value);
		/* alternately the next by growth and the next by value */
		for (j = 0; p->nkeep < max; j++) {
			size_t *idx = j % 2 == 0 ? &ig : &iv;
			const struct skey *list = j % 2 == 0 ? g : v;

			while (*idx < n && !p->hidden[list[*idx].i])
				(*idx)++;
			if (*idx < n) {
				p->hidden[list[*idx].i] = false;
				p->keep[p->nkeep++] = list[*idx].i;
			}
		}
		qsort(p->keep, p->nkeep, sizeof(size_t), by_index);
		p->other = p->nkeep < n;
	}
	/* Two sites may print alike (goroutine groups named after the same
	 * function): the later ones in rank order get " [2]", " [3]"... so
	 * that no two series share their labels; a site named "other" gets
	 * " [2]" too.  Sorted by name, not compared pairwise. */
	/* Under --by the by_value label tells a site's values apart, so
	 * only equal names with equal values collide. */
	char **disp = r->by ? xcalloc(p->nkeep ? p->nkeep : 1, sizeof(char *)) : NULL;
	for (i = 0; i < p->nkeep; i++) {
		slot[p->keep[i]] = i;
		g[i].i = p->keep[i];
		g[i].name = r->sites[p->keep[i]].name;
		if (disp) {
			struct buf b = BUF_INIT;
			const struct leaks_site *st = &r->sites[p->keep[i]];
			buf_printf(&b, "%s\x1f%s", st->name, st->by ? st->by : "");
			g[i].name = disp[i] = buf_detach(&b, NULL);
		}
	}
	qsort(g, p->nkeep, sizeof(*g), by_name);
	for (i = 0, j = 0; i < p->nkeep; i++) {
		struct buf b = BUF_INIT;
		size_t same;

		if (i == 0 || strcmp(g[i - 1].name, g[i].name) != 0)
			j = i; /* a run of equal names starts */
		same = i - j + 1 + !strcmp(r->sites[g[i].i].name, "other");
		buf_puts(&b, r->sites[g[i].i].name);
		if (same > 1)
			buf_printf(&b, " [%zu]", same);
		p->label[slot[g[i].i]] = buf_detach(&b, NULL);
	}
	for (i = 0; disp && i < p->nkeep; i++)
		free(disp[i]);
	free(disp);
	free(g);
	free(v);
	free(slot);
}

static void pick_release(struct pick *p)
{
	size_t i;

	for (i = 0; i < p->nkeep; i++)
		free(p->label[i]);
	free(p->label);
	free(p->keep);
	free(p->hidden);
}

static void family(FILE *f, const char *name, const char *unit, const char *help)
{
	fprintf(f, "# TYPE %s gauge\n", name);
	if (unit)
		fprintf(f, "# UNIT %s %s\n", name, unit);
	fprintf(f, "# HELP %s ", name);
	help_escape(help, f);
	fputc('\n', f);
}

static void target_label(const struct leaks_om_target *t, FILE *f)
{
	fputs("target=\"", f);
	leaks_om_escape(t->name ? t->name : "", f);
	fputc('"', f);
}

/* name{target="..",site="..",[by_key="..",by_value="..",]owner="..",sample_type="..",unit=".."} */
static void site_labels(const char *name, const struct leaks_om_target *t, const char *site, const char *by_key,
			const char *by_value, const char *owner, const struct leaks_type *ty, FILE *f)
{
	fprintf(f, "%s{", name);
	target_label(t, f);
	fputs(",site=\"", f);
	leaks_om_escape(site, f);
	if (by_key && by_value) {
		fputs("\",by_key=\"", f);
		leaks_om_escape(by_key, f);
		fputs("\",by_value=\"", f);
		leaks_om_escape(by_value, f);
	}
	fputs("\",owner=\"", f);
	leaks_om_escape(owner ? owner : "", f);
	fputs("\",sample_type=\"", f);
	leaks_om_escape(ty->name, f);
	fputs("\",unit=\"", f);
	leaks_om_escape(unit_label(ty->unit), f);
	fputs("\"} ", f);
}

/* The program's function that owns a site: the goroutines' creator
 * (a library's creator gives way to the program's entry function or
 * group); a library allocation site's owner as the text report names it
 * (leaks_write_owner: the program's function it allocated for, else the
 * nearest caller outside its package), or the site itself when it is
 * the program's own function.  Written into b; "" when unknown. */
static const char *site_owner(const struct leaks_result *r, const struct leaks_site *s, struct buf *b)
{
	buf_reset(b);
	if (r->goroutine) {
		/* the creator, unless it is a library's (runtime/pprof.Do):
		 * then the entry function, the group's own, or the creator */
		const char *o = s->created_by;
		if (!o || !gfunc_is_user(o))
			o = s->entry && gfunc_is_user(s->entry) ? s->entry
			    : gfunc_is_user(s->name)	      ? s->name
			    : s->created_by		      ? s->created_by
							      : "";
		buf_add(b, o, strcspn(o, " "));
	} else if (leaks_site_has_owner(r, s))
		buf_puts(b, s->owner.func); /* "allocated for" or "called from" */
	else if (gfunc_is_user(s->name))
		buf_add(b, s->name, strcspn(s->name, " ")); /* not a line's file:line */
	else
		buf_puts(b, "");
	return b->data;
}

enum what { W_VALUE, W_GROWTH, W_SLOPE, W_VERDICT };

static int site_verdict(const struct leaks_site *s, size_t k)
{
	return s->proven > 0 ? 3 : (int)s->verdict[k];
}

/* The value of site i, type k, or false when it has none (a slope
 * without snapshot times). */
static bool site_value(const struct leaks_result *r, size_t i, size_t k, enum what w, double scale, double *out)
{
	const struct leaks_site *s = &r->sites[i];
	const struct trend *t = &s->tr[k];

	switch (w) {
	case W_VALUE: *out = s->v[k * r->n + r->n - 1] * scale; return true;
	case W_GROWTH: *out = t->growth * scale; return true;
	case W_SLOPE: *out = t->slope_sec * scale; return t->has_rate;
	case W_VERDICT: *out = site_verdict(s, k); return true;
	}
	return false;
}

/* One family's samples over every target: the sites of type class c
 * (any class for the verdict). */
static void site_samples(const struct leaks_om_target *t, size_t n, const struct pick *picks, const char *name,
			 enum uclass c, enum what w, FILE *f)
{
	struct buf owner = BUF_INIT;
	size_t ti, i, k;

	for (ti = 0; ti < n; ti++) {
		const struct leaks_result *r = t[ti].r;
		const struct pick *p = &picks[ti];

		if (!r)
			continue;
		for (i = 0; i < p->nkeep; i++) {
			const struct leaks_site *s = &r->sites[p->keep[i]];
			for (k = 0; k < r->nt; k++) {
				double scale, v;
				if (!r->types[k].shown || (w != W_VERDICT && unit_class(r->types[k].unit, &scale) != c))
					continue;
				unit_class(r->types[k].unit, &scale);
				if (!site_value(r, p->keep[i], k, w, scale, &v))
					continue;
				site_labels(name, &t[ti], p->label[i], r->by, s->by, site_owner(r, s, &owner), &r->types[k], f);
				om_value(v, f);
				fputc('\n', f);
			}
		}
		if (!p->other)
			continue;
		for (k = 0; k < r->nt; k++) {
			double scale, sum = 0, v;
			bool any = false;
			if (!r->types[k].shown || (w != W_VERDICT && unit_class(r->types[k].unit, &scale) != c))
				continue;
			unit_class(r->types[k].unit, &scale);
			for (i = 0; i < r->nsites; i++) {
				if (!p->hidden[i] || !site_value(r, i, k, w, scale, &v))
					continue;
				if (w == W_VERDICT)
					sum = any && sum > v ? sum : v; /* the highest */
				else
					sum += v;
				any = true;
			}
			if (!any)
				continue;
			site_labels(name, &t[ti], "other", NULL, NULL, NULL, &r->types[k], f);
			om_value(sum, f);
			fputc('\n', f);
		}
	}
	buf_release(&owner);
}

/* Has any target a shown type of class c (any class: c == U_N)? */
static bool has_class(const struct leaks_om_target *t, size_t n, enum uclass c, bool need_sites)
{
	size_t ti, k;

	for (ti = 0; ti < n; ti++) {
		const struct leaks_result *r = t[ti].r;
		double scale;
		if (!r || (need_sites && !r->nsites))
			continue;
		for (k = 0; k < r->nt; k++)
			if (r->types[k].shown && (c == U_N || unit_class(r->types[k].unit, &scale) == c))
				return true;
	}
	return false;
}

/* Has any target a slope per second of class c? */
static bool has_slope(const struct leaks_om_target *t, size_t n, enum uclass c)
{
	size_t ti, i, k;

	for (ti = 0; ti < n; ti++) {
		const struct leaks_result *r = t[ti].r;
		double scale;
		if (!r)
			continue;
		for (k = 0; k < r->nt; k++) {
			if (!r->types[k].shown || unit_class(r->types[k].unit, &scale) != c)
				continue;
			for (i = 0; i < r->nsites; i++)
				if (r->sites[i].tr[k].has_rate)
					return true;
		}
	}
	return false;
}

void leaks_write_openmetrics(const struct leaks_om_target *t, size_t n, const struct leaks_om_opts *o, FILE *f)
{
	struct pick *picks = xcalloc(n ? n : 1, sizeof(*picks));
	struct buf name = BUF_INIT;
	size_t ti, k;
	bool any;
	int c;

	for (ti = 0; ti < n; ti++)
		if (t[ti].r)
			pick_sites(t[ti].r, o ? o->max_series : LEAKS_OM_MAX_SERIES, &picks[ti]);
	/* per target */
	for (ti = 0, any = false; ti < n; ti++)
		any |= t[ti].up >= 0;
	if (any) {
		family(f, "drip_leaks_target_up", NULL,
		       "Whether drip watch's last snapshot of the target was taken (1) or failed (0).");
		for (ti = 0; ti < n; ti++) {
			if (t[ti].up < 0)
				continue;
			fputs("drip_leaks_target_up{", f);
			target_label(&t[ti], f);
			fprintf(f, "} %d\n", t[ti].up ? 1 : 0);
		}
	}
	if (has_class(t, n, U_N, false)) {
		family(f, "drip_leaks_snapshots", NULL, "Snapshots in the target's analysed series.");
		for (ti = 0; ti < n; ti++) {
			if (!t[ti].r)
				continue;
			fputs("drip_leaks_snapshots{", f);
			target_label(&t[ti], f);
			fprintf(f, "} %zu\n", t[ti].r->n);
		}
		family(f, "drip_leaks_suspects", NULL,
		       "Sites or goroutine groups of the target growing steadily or proven leaked.");
		for (ti = 0; ti < n; ti++) {
			if (!t[ti].r)
				continue;
			fputs("drip_leaks_suspects{", f);
			target_label(&t[ti], f);
			fprintf(f, "} %zu\n", t[ti].r->nsuspects);
		}
	}
	/* profile totals, per unit class */
	for (c = 0; c < U_N; c++) {
		if (!has_class(t, n, (enum uclass)c, false))
			continue;
		buf_reset(&name);
		buf_printf(&name, "drip_leaks_profile%s", c == U_PLAIN ? "_value" : class_suffix[c]);
		family(f, name.data, class_unit[c], "The profile's total of the sample type in the last snapshot.");
		for (ti = 0; ti < n; ti++) {
			const struct leaks_result *r = t[ti].r;
			if (!r)
				continue;
			for (k = 0; k < r->nt; k++) {
				double scale;
				if (!r->types[k].shown || unit_class(r->types[k].unit, &scale) != (enum uclass)c)
					continue;
				fprintf(f, "%s{", name.data);
				target_label(&t[ti], f);
				fputs(",sample_type=\"", f);
				leaks_om_escape(r->types[k].name, f);
				fputs("\",unit=\"", f);
				leaks_om_escape(unit_label(r->types[k].unit), f);
				fputs("\"} ", f);
				om_value((double)r->types[k].total[r->n - 1] * scale, f);
				fputc('\n', f);
			}
		}
	}
	/* per site: value, growth, slope, per unit class; then verdicts */
	for (c = 0; c < U_N; c++) {
		if (!has_class(t, n, (enum uclass)c, true))
			continue;
		buf_reset(&name);
		buf_printf(&name, "drip_leaks_site%s", c == U_PLAIN ? "_value" : class_suffix[c]);
		family(f, name.data, class_unit[c],
		       "Value of the allocation site or goroutine group in the last snapshot (site=\"other\": "
		       "the sum of the sites beyond --max-series).");
		site_samples(t, n, picks, name.data, (enum uclass)c, W_VALUE, f);
	}
	for (c = 0; c < U_N; c++) {
		if (!has_class(t, n, (enum uclass)c, true))
			continue;
		buf_reset(&name);
		buf_printf(&name, "drip_leaks_site_growth%s", class_suffix[c]);
		family(f, name.data, class_unit[c], "Growth of the site from the first snapshot to the last.");
		site_samples(t, n, picks, name.data, (enum uclass)c, W_GROWTH, f);
	}
	for (c = 0; c < U_N; c++) {
		if (!has_slope(t, n, (enum uclass)c))
			continue;
		buf_reset(&name);
		buf_printf(&name, "drip_leaks_site_slope%s_per_second", class_suffix[c]);
		if (c != U_PLAIN) {
			struct buf u = BUF_INIT;
			buf_printf(&u, "%s_per_second", class_unit[c]);
			family(f, name.data, u.data, "Least-squares slope of the site's values per second of profile time.");
			buf_release(&u);
		} else {
			family(f, name.data, NULL, "Least-squares slope of the site's values per second of profile time.");
		}
		site_samples(t, n, picks, name.data, (enum uclass)c, W_SLOPE, f);
	}
	if (has_class(t, n, U_N, true)) {
		family(f, "drip_leaks_site_verdict", NULL,
		       "drip leaks' verdict on the site: 0 flat, 1 noisy, 2 growing (a suspect), 3 proven leaked.");
		site_samples(t, n, picks, "drip_leaks_site_verdict", U_N, W_VERDICT, f);
	}
	fputs("# EOF\n", f);
	for (ti = 0; ti < n; ti++)
		if (t[ti].r)
			pick_release(&picks[ti]);
	free(picks);
	buf_release(&name);
}
