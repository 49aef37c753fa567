/* leaks_brief: the compact views of a leaks_result that drip watch
 * shows every round: a short table sized to a row budget, and what
 * changed since the previous round.  See leaks.h. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "color.h"
#include "leaks.h"
#include "trend.h"
#include "units.h"
#include "xalloc.h"

/* A site's state as the views name it: a proven leak outranks any trend. */
enum brief_state { ST_FLAT, ST_NOISY, ST_GROWING, ST_LEAKED };

static enum brief_state state_of(const struct leaks_site *s)
{
	if (s->proven)
		return ST_LEAKED;
	return s->verdict0 == VERDICT_GROWING ? ST_GROWING : s->verdict0 == VERDICT_NOISY ? ST_NOISY : ST_FLAT;
}

static const char *state_name(enum brief_state st)
{
	static const char *const names[] = { "flat", "noisy", "growing", "leaked" };
	return names[st];
}

static void put_state(FILE *f, bool color, enum brief_state st, int pad)
{
	char w[16];

	snprintf(w, sizeof(w), "%-*s", pad, state_name(st));
	if (st == ST_FLAT)
		fputs(w, f);
	else
		color_fputs(f, color, st == ST_NOISY ? COLOR_UNSURE : COLOR_GREW, w);
}

static void fmt_val(double v, const char *unit, char *out, size_t n)
{
	units_label((int64_t)llround(v), unit, "auto", out, n);
}

static void fmt_delta(double v, const char *unit, char *out, size_t n)
{
	char t[48];

	fmt_val(v, unit, t, sizeof(t));
	snprintf(out, n, "%s%s", v > 0 && llround(v) != 0 ? "+" : "", t);
}

/* s, cut to at most w display columns with ".." at the end when cut
 * (UTF-8 aware: a column per code point). */
static void put_fit(FILE *f, const char *s, int w)
{
	int cols = 0;
	const char *p;

	for (p = s; *p; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			cols++;
	if (w <= 0 || cols <= w) {
		fputs(s, f);
		return;
	}
	if (w <= 2) {
		fputs(".." + (2 - w), f);
		return;
	}
	cols = 0;
	for (p = s; *p; p++) {
		if (((unsigned char)*p & 0xc0) != 0x80 && ++cols > w - 2)
			break;
		fputc(*p, f);
	}
	fputs("..", f);
}

size_t leaks_brief_listable(const struct leaks_result *r, size_t *important)
{
	size_t i, n = 0, imp = 0;

	for (i = 0; i < r->nsites; i++) {
		enum brief_state st = state_of(&r->sites[i]);
		if (st != ST_FLAT)
			n++;
		if (st >= ST_GROWING)
			imp++;
	}
	if (important)
		*important = imp;
	return n;
}

/* Does the brief name s's owner (on a line of its own under its row)?
 * A suspect's or proven leak's, like the full report's "allocated
 * for" line; noisy rows stay one line. */
static bool brief_owner(const struct leaks_result *r, const struct leaks_site *s)
{
	return state_of(s) >= ST_GROWING && leaks_site_has_owner(r, s);
}

size_t leaks_brief_lines(const struct leaks_result *r, size_t *lines)
{
	size_t i, n = 0;

	for (i = 0; i < r->nsites; i++) {
		const struct leaks_site *s = &r->sites[i];
		if (state_of(s) == ST_FLAT)
			continue;
		if (lines)
			lines[n] = 1 + brief_owner(r, s);
		n++;
	}
	return n;
}

/* The owner of s as the text to put_fit. */
static char *owner_text(const struct leaks_result *r, const struct leaks_site *s)
{
	char *t = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&t, &n);

	if (!m)
		return xstrdup("");
	leaks_write_owner(r, s, m);
	fclose(m);
	return t;
}

void leaks_write_counts(const struct leaks_result *r, FILE *f)
{
	size_t nflat = r->nsites - r->nsuspects - r->nnoisy;
	char a[64], b[64];

	fprintf(f, "%zu snapshot%s; ", r->n, r->n == 1 ? "" : "s");
	if (r->nproven)
		fprintf(f, "%zu proven leak%s, ", r->nproven, r->nproven == 1 ? "" : "s");
	fprintf(f, "%zu suspect%s, %zu noisy, %zu flat of %zu %s", r->nsuspects, r->nsuspects == 1 ? "" : "s", r->nnoisy,
		nflat, r->nsites, r->goroutine ? "groups" : r->nsites == 1 ? "site" : "sites");
	if (r->n && r->nt) {
		fmt_val((double)r->types[0].total[0], r->types[0].unit, a, sizeof(a));
		fmt_val((double)r->types[0].total[r->n - 1], r->types[0].unit, b, sizeof(b));
		if (r->n == 1)
			fprintf(f, "; %s %s", r->goroutine ? "goroutines" : r->types[0].name, b);
		else
			fprintf(f, "; %s %s -> %s", r->goroutine ? "goroutines" : r->types[0].name, a, b);
	}
}

/* The sparkline of the last o->spark values at most, padded to 5. */
static void spark(const struct leaks_result *r, const struct leaks_site *s, const struct leaks_brief_opts *o,
		  struct buf *sp, size_t *cols)
{
	size_t n = r->n, from = 0, j;

	if (o->spark && n > o->spark)
		from = n - o->spark;
	buf_reset(sp);
	sparkline(&s->v[from], n - from, o->ascii, sp);
	for (j = n - from; j < 5; j++)
		buf_putc(sp, ' ');
	*cols = n - from < 5 ? 5 : n - from;
}

size_t leaks_write_brief(const struct leaks_result *r, const struct leaks_brief_opts *o, FILE *f)
{
	struct buf sp = BUF_INIT;
	size_t i, shown = 0, lines = 0, nlist, hidden_grow = 0, hidden_noisy = 0, cols = 5;
	const char *u = r->nt ? r->types[0].unit : "count";
	char nm[1024];

	nlist = leaks_brief_listable(r, NULL);
	if (!nlist)
		return 0;
	if (o->rows == 0) {
		size_t imp;
		leaks_brief_listable(r, &imp);
		hidden_grow = imp;
		hidden_noisy = nlist - imp;
		goto more;
	}
	if (o->spark && r->n > o->spark)
		cols = o->spark;
	else if (r->n > 5)
		cols = r->n;
	fprintf(f, "%4s  %-8s %10s %10s %5s %6s  %-*s  %s\n", "rank", "verdict", "growth", "last", "R²", "t", (int)cols,
		"trend", r->goroutine ? "goroutines in" : "site");
	lines++;
	for (i = 0; i < r->nsites; i++) {
		const struct leaks_site *s = &r->sites[i];
		const struct trend *t = &s->tr[0];
		enum brief_state st = state_of(s);
		char g[64], l[64], tt[32];
		size_t sc;
		int used;

		if (st == ST_FLAT)
			continue;
		if (shown >= o->rows) {
			if (st >= ST_GROWING)
				hidden_grow++;
			else
				hidden_noisy++;
			continue;
		}
		shown++;
		fmt_delta(t->growth, u, g, sizeof(g));
		fmt_val(t->last, u, l, sizeof(l));
		if (isinf(t->t))
			snprintf(tt, sizeof(tt), "exact");
		else
			snprintf(tt, sizeof(tt), "%.1f", t->t);
		spark(r, s, o, &sp, &sc);
		fprintf(f, "%4zu  ", i + 1);
		put_state(f, o->color, st, 8);
		fprintf(f, " %10s %10s %5.2f %6s  %s  ", g, l, t->r2, tt, sp.data ? sp.data : "");
		/* 4+2+8+1+10+1+10+1+5+1+6+2 columns, the sparkline and 2 */
		used = 51 + (int)sc + 2;
		if (s->proven) {
			char pv[64];
			snprintf(pv, sizeof(pv), " (%lld proven)", (long long)s->proven);
			put_fit(f, leaks_site_name(r, s, nm, sizeof(nm)), o->width ? o->width - used - (int)strlen(pv) : 0);
			fputs(pv, f);
		} else {
			put_fit(f, leaks_site_name(r, s, nm, sizeof(nm)), o->width ? o->width - used : 0);
		}
		fputc('\n', f);
		lines++;
		if (brief_owner(r, s)) {
			char *ow = owner_text(r, s);
			fputs("      ", f);
			put_fit(f, ow, o->width ? o->width - 6 : 0);
			fputc('\n', f);
			free(ow);
			lines++;
		}
	}
more:
	if (hidden_grow || hidden_noisy) {
		fprintf(f, "      +%zu more (", hidden_grow + hidden_noisy);
		if (hidden_grow)
			fprintf(f, "%zu suspect%s%s", hidden_grow, hidden_grow == 1 ? "" : "s", hidden_noisy ? ", " : "");
		if (hidden_noisy)
			fprintf(f, "%zu noisy", hidden_noisy);
		fprintf(f, ")\n");
		lines++;
	}
	buf_release(&sp);
	return lines;
}

/* ---- what changed since the previous round ---- */

struct key_state {
	const char *key; /* interned */
	enum brief_state st;
};

static int cmp_key(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct key_state *)a)->key, y = (uintptr_t)((const struct key_state *)b)->key;
	return x < y ? -1 : x > y;
}

/* The states of r's sites, sorted by key pointer (names are interned
 * for the run, so equal keys are equal pointers). */
static struct key_state *states(const struct leaks_result *r)
{
	struct key_state *ks = xcalloc(r->nsites ? r->nsites : 1, sizeof(*ks));
	size_t i;

	for (i = 0; i < r->nsites; i++) {
		ks[i].key = r->sites[i].key;
		ks[i].st = state_of(&r->sites[i]);
	}
	qsort(ks, r->nsites, sizeof(*ks), cmp_key);
	return ks;
}

size_t leaks_write_changes(const struct leaks_result *prev, const struct leaks_result *cur,
			   const struct leaks_brief_opts *o, FILE *f)
{
	struct key_state *ks = prev ? states(prev) : NULL;
	size_t i, shown = 0, lines = 0, more = 0, noisy_in = 0, noisy_out = 0, pass;
	const char *u = cur->nt ? cur->types[0].unit : "count";
	char nm[1024];

	/* Two passes in rank order: first the changes that touch a
	 * suspect or a proven leak (listed), then the noisy churn
	 * (counted). */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < cur->nsites; i++) {
			const struct leaks_site *s = &cur->sites[i];
			struct key_state k = { s->key, ST_FLAT }, *p;
			enum brief_state was, now = state_of(s);

			p = ks ? bsearch(&k, ks, prev->nsites, sizeof(*ks), cmp_key) : NULL;
			was = p ? p->st : ST_FLAT;
			if (was == now)
				continue;
			if (pass == 0 && (now >= ST_GROWING || was >= ST_GROWING)) {
				const struct trend *t = &s->tr[0];
				char g[64], a[64], b[64];

				if (shown >= o->rows) {
					more++;
					continue;
				}
				shown++;
				fmt_delta(t->growth, u, g, sizeof(g));
				fmt_val(t->first, u, a, sizeof(a));
				fmt_val(t->last, u, b, sizeof(b));
				fputs("  ", f);
				put_state(f, o->color, now, 0);
				fprintf(f, " (was %s)  %s, %s -> %s  ", state_name(was), g, a, b);
				put_fit(f, leaks_site_name(cur, s, nm, sizeof(nm)), 0);
				if (s->proven)
					fprintf(f, " (%lld proven)", (long long)s->proven);
				if (brief_owner(cur, s)) {
					fputs(" (", f);
					leaks_write_owner(cur, s, f);
					fputc(')', f);
				}
				fputc('\n', f);
				lines++;
			} else if (pass == 1 && now < ST_GROWING && was < ST_GROWING) {
				if (now == ST_NOISY)
					noisy_in++;
				else if (was == ST_NOISY)
					noisy_out++;
			}
		}
	}
	/* Sites of the previous round that are gone now were left by
	 * the filter or the series: nothing to say about them. */
	if (more) {
		fprintf(f, "  +%zu more suspect change%s (the full report at the end)\n", more, more == 1 ? "" : "s");
		lines++;
	}
	if (noisy_in || noisy_out) {
		fprintf(f, "  noisy: %zu new, %zu no longer\n", noisy_in, noisy_out);
		lines++;
	}
	free(ks);
	return lines;
}
