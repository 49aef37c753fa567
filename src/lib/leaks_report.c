/* leaks_report: drip leaks' report of a leaks_result, as text or JSON.
 * See leaks.h. */
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "color.h"
#include "json.h"
#include "leaks.h"
#include "leaks_join.h"
#include "trend.h"
#include "units.h"

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

static void time_str(int64_t nanos, char *out, size_t n)
{
	time_t t = (time_t)(nanos / 1000000000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool wait_grows(const struct leaks_result *L, const struct leaks_site *s)
{
	size_t j, first = L->n, last = L->n;

	if (!s->has_wait)
		return false;
	for (j = 0; j < L->n; j++)
		if (s->wait[j] >= 0) {
			if (first == L->n)
				first = j;
			last = j;
		}
	return first < last && s->wait[last] > s->wait[first];
}

/* The verdict column (8 wide): leaked and growing red, noisy yellow
 * (color.h), flat plain. */
static void put_verdict(FILE *f, bool color, bool leaked, enum verdict v)
{
	char w[16];

	snprintf(w, sizeof(w), "%-8s", leaked ? "leaked" : verdict_name(v));
	if (leaked || v == VERDICT_GROWING)
		color_fputs(f, color, COLOR_GREW, w);
	else if (v == VERDICT_NOISY)
		color_fputs(f, color, COLOR_UNSURE, w);
	else
		fputs(w, f);
}

bool leaks_site_malg(const struct leaks_result *L, const struct leaks_site *s)
{
	return !L->goroutine && strncmp(s->name, "runtime.malg", 12) == 0 && (s->name[12] == 0 || s->name[12] == ' ');
}

bool leaks_site_has_owner(const struct leaks_result *L, const struct leaks_site *s)
{
	return !L->goroutine && s->owner.func;
}

void leaks_write_owner(const struct leaks_result *L, const struct leaks_site *s, FILE *f)
{
	/* owner.h: the program's own frame, else the nearest caller outside
	 * the site's package; file:line when sites are finer than
	 * functions */
	fprintf(f, "%s %s", s->owner.own ? "allocated for" : "called from", s->owner.func);
	if (L->gran != GRAN_FUNCTIONS && s->owner.line > 0)
		fprintf(f, " %s:%lld", s->owner.file, (long long)s->owner.line);
}

static void text_site(const struct leaks_result *L, const struct leaks_render_opts *o, const struct leaks_site *s, size_t rank, FILE *f)
{
	struct buf sp = BUF_INIT;
	char g[64], a[64], b[64], sl[64], ss[80], tt[32], nm[1024];
	size_t k, j;

	for (k = 0; k < L->nt; k++) {
		const struct trend *t = &s->tr[k];
		const char *u = L->types[k].unit;
		if (!L->types[k].shown)
			continue;
		buf_reset(&sp);
		sparkline(&s->v[k * L->n], L->n, o->ascii, &sp);
		for (j = L->n; j < 5; j++)
			buf_putc(&sp, ' ');
		fmt_delta(t->growth, u, g, sizeof(g));
		fmt_val(t->first, u, a, sizeof(a));
		fmt_val(t->last, u, b, sizeof(b));
		fmt_delta(t->slope, u, sl, sizeof(sl));
		if (t->has_rate) {
			char r[64];
			fmt_delta(t->slope_sec, u, r, sizeof(r));
			snprintf(ss, sizeof(ss), "%s/s", r);
		} else {
			snprintf(ss, sizeof(ss), "-");
		}
		if (k == 0)
			/* a proven leak needs no trend: say so where the eye goes */
			fprintf(f, "%4zu  ", rank);
		else
			fputs("      ", f);
		put_verdict(f, o->color, k == 0 && s->proven > 0, s->verdict[k]);
		if (isinf(t->t))
			snprintf(tt, sizeof(tt), "exact");
		else
			snprintf(tt, sizeof(tt), "%.1f", t->t);
		fprintf(f, " %10s %9s %9s %10s %12s %5.2f %6s  %s  %s%s\n", g, a, b, sl, ss, t->r2, tt, sp.data ? sp.data : "",
			k == 0 ? leaks_site_name(L, s, nm, sizeof(nm)) : "  ", k == 0 ? "" : L->types[k].name);
	}
	buf_release(&sp);
	if (s->has_st && (s->verdict0 != VERDICT_FLAT || o->all))
		fprintf(f, "      samples %" PRId64 " -> %" PRId64 ": +%" PRId64 " gained, -%" PRId64 " lost; P %.2g under churn%s\n",
			s->st.first, s->st.last, s->st.gained, s->st.lost, s->st.p, s->st.exact ? "" : " (normal approx.)");
	if (leaks_site_has_owner(L, s) && (s->verdict0 != VERDICT_FLAT || o->all)) {
		fputs("      ", f);
		leaks_write_owner(L, s, f);
		fputc('\n', f);
	}
	if (leaks_site_malg(L, s) && (s->verdict0 != VERDICT_FLAT || o->all))
		fprintf(f, "      %s\n      %s\n", LEAKS_MALG_NOTE1, LEAKS_MALG_NOTE2);
	if (s->proven) {
		fputs("      ", f);
		color_fputs(f, o->color, COLOR_GREW, "LEAKED");
		fprintf(f, " (proven by the runtime): %" PRId64 " goroutine%s in the last snapshot can never run again\n",
			s->proven, s->proven == 1 ? "" : "s");
	}
	if (L->goroutine && (s->verdict0 != VERDICT_FLAT || s->proven || o->all)) {
		fprintf(f, "      blocks in: %s", s->blocks ? s->blocks : "?");
		if (s->created_by)
			fprintf(f, "; created by %s", s->created_by);
		else if (s->entry)
			fprintf(f, "; started in %s", s->entry);
		if (L->gran != GRAN_FUNCTIONS && s->owner.own && s->owner.line > 0)
			fprintf(f, "; owner %s %s:%lld", s->owner.func, s->owner.file, (long long)s->owner.line);
		if (*s->labels)
			fprintf(f, "; labels: %s", s->labels);
		if (s->has_wait) {
			fprintf(f, "; wait (max minutes):");
			for (j = 0; j < L->n; j++) {
				if (s->wait[j] < 0)
					fprintf(f, " -");
				else
					fprintf(f, " %.0f", s->wait[j]);
			}
			fprintf(f, wait_grows(L, s) ? " (grows: the same goroutines stay blocked)" : " (does not grow)");
		}
		fputc('\n', f);
	}
}

/* One series of MemStats values: "-" where a snapshot has none. */
static void memstats_row(const struct leaks_result *L, const char *label, size_t off, const char *unit, FILE *f)
{
	size_t j;
	char a[64];

	fprintf(f, "  %-12s", label);
	for (j = 0; j < L->n; j++) {
		int64_t v = *(const int64_t *)(const void *)((const char *)&L->memstats[j] + off);
		if (!L->memstats[j].present || v < 0)
			fputs(" -", f);
		else
			fprintf(f, " %s", units_label(v, unit, "auto", a, sizeof(a)));
	}
	fputc('\n', f);
}

/* Heap debug=1 texts: the runtime's MemStats series beside the sampled
 * totals, the share of HeapInuse the profile accounts for, and a warning
 * per snapshot taken with no GC since the one before. */
static void text_memstats(const struct leaks_result *L, FILE *f)
{
	size_t j;

	fprintf(f, "MemStats (the runtime's, when each snapshot was written; the profile is as of the last GC):\n");
	memstats_row(L, "HeapInuse", offsetof(struct pf_memstats, heap_inuse), "bytes", f);
	memstats_row(L, "HeapObjects", offsetof(struct pf_memstats, heap_objects), "count", f);
	memstats_row(L, "Sys", offsetof(struct pf_memstats, sys), "bytes", f);
	memstats_row(L, "NumGC", offsetof(struct pf_memstats, num_gc), "count", f);
	fprintf(f, "  %-12s", "profiled");
	for (j = 0; j < L->n; j++) {
		const struct pf_memstats *m = &L->memstats[j];
		if (!m->present || m->heap_inuse <= 0 || L->inuse_total[j] < 0)
			fputs(" -", f);
		else
			fprintf(f, " %.1f%%", 100.0 * (double)L->inuse_total[j] / (double)m->heap_inuse);
	}
	fprintf(f, "  (inuse_space of HeapInuse)\n");
	for (j = 1; j < L->n; j++)
		if (L->stale[j])
			fprintf(f, "Warning: snapshot %zu was taken with no GC since snapshot %zu (NumGC %lld in both): its in-use "
				   "numbers are those of the last GC (stale)\n",
				j + 1, j, (long long)L->memstats[j].num_gc);
}

/* A sampled heap series (rate > 1) whose ranking type is 0 in every
 * snapshot: a live heap too small for the sampling period, which no
 * trend can say anything about. */
static bool nothing_sampled(const struct leaks_result *L)
{
	size_t j;

	if (L->goroutine || L->rate <= 1 || L->n == 0 || L->nt == 0)
		return false;
	for (j = 0; j < L->n; j++)
		if (L->types[0].total[j] != 0)
			return false;
	return true;
}

void leaks_write_text(const struct leaks_result *L, const struct leaks_render_opts *o, FILE *f)
{
	bool table;
	size_t i, j, k, shown_noisy = 0;
	char a[64];

	fprintf(f, "Snapshots: %zu %s profile%s, ordered by %s\n", L->n,
		L->leakprof ? "goroutineleak" : L->goroutine ? "goroutine" : "heap", L->n == 1 ? "" : "s",
		L->by_time ? "profile time" : "argument order");
	for (j = 0; j < L->n; j++) {
		fprintf(f, "  %zu  %s", j + 1, L->snaps[j].name);
		if (L->by_time) {
			time_str(L->snaps[j].time_nanos, a, sizeof(a));
			fprintf(f, "  %s +%.3fs", a, (double)(L->snaps[j].time_nanos - L->snaps[0].time_nanos) / 1e9);
		}
		fputc('\n', f);
	}
	fprintf(f, "Types:");
	for (k = 0; k < L->nt; k++)
		if (L->types[k].shown) {
			fmt_val(L->types[k].floor, L->types[k].unit, a, sizeof(a));
			fprintf(f, "%s %s (floor %s)", k ? "," : "", L->types[k].name, a);
		}
	fprintf(f, "\nRules: growing = growth >= floor, >= %.0f%% of the growth in the later half, ", L->rules.min_late * 100);
	if (!L->goroutine && L->rate > 0)
		fprintf(f, "slope t >= %g, sampled counts P <= %g under churn or >= %g sampling sd (rate %.0f bytes)",
			L->rules.min_t_sampled, L->rules.max_p, L->rules.min_z, L->rate);
	else
		fprintf(f, "slope t >= %g", L->rules.min_t);
	fprintf(f, "\n");
	if (L->goroutine)
		fprintf(f, "Goroutines:");
	else
		fprintf(f, "Total %s:", L->types[0].name);
	for (j = 0; j < L->n; j++) {
		fmt_val((double)L->types[0].total[j], L->types[0].unit, a, sizeof(a));
		fprintf(f, " %s", a);
	}
	fprintf(f, "\n");
	if (L->memstats)
		text_memstats(L, f);
	if (nothing_sampled(L)) {
		fmt_val(L->rate, "bytes", a, sizeof(a));
		fprintf(f, "Warning: %s is 0 in every snapshot: at a sampling period of %s this heap is too small to be "
			   "seen, so nothing can be trended (a lower runtime.MemProfileRate shows it)\n",
			L->types[0].name, a);
	}
	fprintf(f, "\n");
	if (L->nproven)
		fprintf(f, "%zu proven leak%s (goroutines the runtime proved can never run again), ranked first\n",
			L->nproven, L->nproven == 1 ? "" : "s");
	fprintf(f, "%zu suspect%s (growing steadily%s), %zu noisy, %zu flat; %zu %s\n", L->nsuspects,
		L->nsuspects == 1 ? "" : "s", L->nproven ? " or proven" : "", L->nnoisy, L->nsites - L->nsuspects - L->nnoisy, L->nsites,
		L->goroutine ? (L->nsites == 1 ? "goroutine group" : "goroutine groups") : (L->nsites == 1 ? "site" : "sites"));
	table = L->nsuspects || L->nnoisy || L->nproven || o->all;
	if (table) {
		fprintf(f, "\n%4s  %-8s %10s %9s %9s %10s %12s %6s %6s  %-*s  %s\n", "rank", "verdict", "growth", "first", "last",
			"slope", "slope/time", "R²", "t", L->n > 5 ? (int)L->n : 5, "trend", L->goroutine ? "goroutines in" : "site");
	}
	for (i = 0; i < L->nsites; i++) {
		const struct leaks_site *s = &L->sites[i];
		if (s->verdict0 == VERDICT_FLAT && !s->proven && !o->all)
			break;
		if (s->verdict0 == VERDICT_NOISY && !s->proven && !o->all && shown_noisy++ >= LEAKS_NOISY_SHOWN) {
			fprintf(f, "   ... %zu more noisy (--all lists them)\n", L->nnoisy - LEAKS_NOISY_SHOWN);
			break;
		}
		text_site(L, o, s, i + 1, f);
	}
	if (table)
		fputs(LEAKS_LEGEND, f);
}

static void json_series(const struct leaks_result *L, const struct leaks_render_opts *o, const struct leaks_site *s, size_t k, struct json *j)
{
	const struct trend *t = &s->tr[k];
	struct buf sp = BUF_INIT;
	size_t i;

	json_begin_object(j);
	json_kstr(j, "type", L->types[k].name);
	json_kstr(j, "unit", L->types[k].unit);
	json_key(j, "values");
	json_begin_array(j);
	for (i = 0; i < L->n; i++)
		json_real(j, s->v[k * L->n + i]);
	json_end_array(j);
	json_kstr(j, "verdict", verdict_name(s->verdict[k]));
	json_kreal(j, "growth", t->growth);
	json_kreal(j, "growth_ratio", t->first > 0 ? t->last / t->first : NAN);
	json_kreal(j, "slope_per_snapshot", t->slope);
	json_kreal(j, "slope_per_second", t->has_rate ? t->slope_sec : NAN);
	json_kreal(j, "r2", t->r2);
	json_kreal(j, "t", t->t);
	json_kint(j, "steps_up", t->up);
	json_kint(j, "steps_down", t->down);
	json_kreal(j, "late_share", t->late);
	json_kreal(j, "noise_z", t->z > 0 ? t->z : NAN);
	sparkline(&s->v[k * L->n], L->n, o->ascii, &sp);
	json_kstr(j, "sparkline", sp.data ? sp.data : "");
	json_end_object(j);
	buf_release(&sp);
}

/* A MemStats field: its value, or null when unknown (-1). */
static void memstat_json(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	if (v < 0)
		json_null(j);
	else
		json_int(j, v);
}

/* The drip.leaks/1 document as a value at j's position. */
static void json_doc(const struct leaks_result *L, const struct leaks_render_opts *o, struct json *jp)
{
	size_t i, k, n, shown_noisy = 0;

	json_begin_object(jp);
	json_kstr(jp, "schema", "drip.leaks/1");
	json_kstr(jp, "kind", L->leakprof ? "goroutineleak" : L->goroutine ? "goroutine" : "heap");
	json_kstr(jp, "order", L->by_time ? "time" : "arguments");
	if (L->by)
		json_kstr(jp, "by", L->by);
	json_key(jp, "proven");
	json_uint(jp, L->nproven);
	json_key(jp, "snapshots");
	json_begin_array(jp);
	for (n = 0; n < L->n; n++) {
		json_begin_object(jp);
		json_kstr(jp, "file", L->snaps[n].name ? L->snaps[n].name : "");
		json_kint(jp, "time_nanos", L->snaps[n].time_nanos);
		json_end_object(jp);
	}
	json_end_array(jp);
	json_key(jp, "sample_types");
	json_begin_array(jp);
	for (k = 0; k < L->nt; k++) {
		if (!L->types[k].shown)
			continue;
		json_begin_object(jp);
		json_kstr(jp, "type", L->types[k].name ? L->types[k].name : "");
		json_kstr(jp, "unit", L->types[k].unit ? L->types[k].unit : "");
		json_kreal(jp, "floor", L->types[k].floor);
		json_key(jp, "totals");
		json_begin_array(jp);
		for (n = 0; n < L->n; n++)
			json_int(jp, L->types[k].total[n]);
		json_end_array(jp);
		json_end_object(jp);
	}
	json_end_array(jp);
	if (L->memstats) {
		/* heap debug=1 texts: the runtime's MemStats per snapshot */
		json_key(jp, "memstats");
		json_begin_array(jp);
		for (n = 0; n < L->n; n++) {
			const struct pf_memstats *m = &L->memstats[n];
			if (!m->present) {
				json_null(jp);
				continue;
			}
			json_begin_object(jp);
			memstat_json(jp, "heap_inuse", m->heap_inuse);
			memstat_json(jp, "heap_objects", m->heap_objects);
			memstat_json(jp, "heap_alloc", m->heap_alloc);
			memstat_json(jp, "sys", m->sys);
			memstat_json(jp, "num_gc", m->num_gc);
			memstat_json(jp, "profile_inuse_space", L->inuse_total[n]);
			json_key(jp, "profiled_percent");
			if (m->heap_inuse > 0 && L->inuse_total[n] >= 0)
				json_num(jp, 100.0 * (double)L->inuse_total[n] / (double)m->heap_inuse, 2);
			else
				json_null(jp);
			json_kbool(jp, "stale", L->stale[n]);
			json_end_object(jp);
		}
		json_end_array(jp);
	}
	json_key(jp, "rules");
	json_begin_object(jp);
	json_kreal(jp, "min_growth_pct", L->min_growth_pct);
	json_kreal(jp, "min_t", L->rules.min_t);
	json_kreal(jp, "min_t_sampled", L->rules.min_t_sampled);
	json_kreal(jp, "min_late", L->rules.min_late);
	json_kreal(jp, "min_z", L->rules.min_z);
	json_kreal(jp, "max_p", L->rules.max_p);
	json_kreal(jp, "sampling_rate", L->rate);
	json_end_object(jp);
	json_key(jp, "suspects");
	json_uint(jp, L->nsuspects);
	json_key(jp, "noisy");
	json_uint(jp, L->nnoisy);
	json_key(jp, "sites");
	json_begin_array(jp);
	for (i = 0; i < L->nsites; i++) {
		const struct leaks_site *s = &L->sites[i];
		if (s->verdict0 == VERDICT_FLAT && !s->proven && !o->all)
			break;
		if (s->verdict0 == VERDICT_NOISY && !s->proven && !o->all && shown_noisy++ >= LEAKS_NOISY_SHOWN)
			break;
		json_begin_object(jp);
		json_key(jp, "rank");
		json_uint(jp, i + 1);
		json_kstr(jp, "name", s->name ? s->name : "");
		if (L->by)
			json_kstr(jp, "by", s->by);
		json_kstr(jp, "verdict", verdict_name(s->verdict0));
		json_kbool(jp, "suspect", s->verdict0 == VERDICT_GROWING || s->proven);
		json_kint(jp, "proven_leaked", s->proven);
		if (L->goroutine) {
			json_kstr(jp, "blocks", s->blocks);
			json_kstr(jp, "created_by", s->created_by);
			json_kstr(jp, "entry", s->entry);
			json_key(jp, "wait_max_minutes");
			if (s->has_wait) {
				json_begin_array(jp);
				for (n = 0; n < L->n; n++)
					json_real(jp, s->wait[n] < 0 ? NAN : s->wait[n]);
				json_end_array(jp);
				json_kbool(jp, "wait_grows", wait_grows(L, s));
			} else {
				json_null(jp);
				json_key(jp, "wait_grows");
				json_null(jp);
			}
		}
		if (!L->goroutine)
			json_kstr(jp, "called_from", s->caller);
		owner_json(jp, "owner", &s->owner);
		if (leaks_site_malg(L, s))
			json_kstr(jp, "note", LEAKS_MALG_NOTE);
		if (s->has_st) {
			json_key(jp, "samples");
			json_begin_object(jp);
			json_kint(jp, "first", s->st.first);
			json_kint(jp, "last", s->st.last);
			json_kint(jp, "gained", s->st.gained);
			json_kint(jp, "lost", s->st.lost);
			json_kreal(jp, "mean", s->st.mean);
			json_kreal(jp, "p_churn", s->st.p);
			json_kbool(jp, "exact", s->st.exact);
			json_end_object(jp);
		}
		json_key(jp, "series");
		json_begin_array(jp);
		for (k = 0; k < L->nt; k++)
			if (L->types[k].shown)
				json_series(L, o, s, k, jp);
		json_end_array(jp);
		json_end_object(jp);
	}
	json_end_array(jp);
	json_end_object(jp);
}


void leaks_write_json(const struct leaks_result *L, const struct leaks_render_opts *o, FILE *f)
{
	struct json j;

	json_init(&j, f);
	json_doc(L, o, &j);
	json_finish(&j);
}

void leaks_write_joint_json(const struct leaks_result *heap, const struct leaks_result *gor,
			    const struct leaks_joint *jt, const struct leaks_render_opts *o, FILE *f)
{
	struct json j;

	json_init(&j, f);
	json_begin_object(&j);
	json_kstr(&j, "schema", "drip.leaks.joint/1");
	json_key(&j, "heap");
	json_doc(heap, o, &j);
	json_key(&j, "goroutine");
	json_doc(gor, o, &j);
	json_key(&j, "joined");
	leaks_joint_write_json(jt, heap, gor, &j);
	json_end_object(&j);
	json_finish(&j);
}
