/* ggroup_report: drip goroutines' reports of grouped goroutine dumps
 * (ggroup.h), as text or JSON.  See ggroup_report.h. */
#include "ggroup_report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "color.h"
#include "error.h"
#include "hash.h"
#include "json.h"
#include "xalloc.h"

void ggroup_select_init(struct ggroup_select *s)
{
	memset(s, 0, sizeof(*s));
	s->min_wait = -1;
}

int ggroup_select_regex(struct ggroup_select *s, enum ggroup_re which, const char *re)
{
	struct rx **r = which == GGROUP_RE_STATE ? &s->state : which == GGROUP_RE_FOCUS ? &s->focus : &s->ignore;
	bool *has = which == GGROUP_RE_STATE ? &s->has_state : which == GGROUP_RE_FOCUS ? &s->has_focus : &s->has_ignore;

	rx_free(*r);
	*has = false;
	if (!(*r = rx_compile(re, 0)))
		return -1;
	*has = true;
	return 0;
}

void ggroup_select_release(struct ggroup_select *s)
{
	rx_free(s->state);
	rx_free(s->focus);
	rx_free(s->ignore);
	s->state = s->focus = s->ignore = NULL;
	s->has_state = s->has_focus = s->has_ignore = false;
}

static bool group_matches(const struct ggroup *g, const struct rx *re)
{
	size_t i;

	for (i = 0; i < g->nframes; i++)
		if (rx_match(re, g->frames[i].func))
			return true;
	return false;
}

bool ggroup_select_keep(const struct ggroup_select *o, const struct ggroup *g)
{
	if (o->has_state && !rx_match(o->state, g->blocks ? g->blocks : ""))
		return false;
	if (o->has_focus && !group_matches(g, o->focus))
		return false;
	if (o->has_ignore && group_matches(g, o->ignore))
		return false;
	return true;
}

static const char *format_label(enum pf_format f)
{
	switch (f) {
	case PF_FORMAT_PPROF: return "proto";
	case PF_FORMAT_GOROUTINE_TEXT1: return "debug=1";
	case PF_FORMAT_GOROUTINE_TEXT2: return "debug=2";
	default: return "other";
	}
}

static void print_group_text(const struct ggroup *g, bool color, FILE *f)
{
	char w[64];
	size_t i;

	ggroup_format_wait(g, w, sizeof(w));
	fprintf(f, "%" PRId64 " goroutine%s", g->count, g->count == 1 ? "" : "s");
	if (g->state)
		fprintf(f, " [%s%s%s]", g->state, *w ? ", " : "", w);
	else if (g->blocks)
		fprintf(f, " [%s?]", g->blocks);
	if (g->leaked) {
		fputc(' ', f);
		color_fputs(f, color, COLOR_GREW, "LEAKED");
		fputs(" (proven)", f);
	}
	fprintf(f, ": %s\n", g->name);
	if (g->ncreators == 1)
		fprintf(f, "  created by %s\n", g->created_by);
	else if (g->ncreators > 1) {
		fprintf(f, "  created by");
		for (i = 0; i < g->ncreators; i++)
			fprintf(f, "%s %s (%" PRId64 ")", i ? "," : "", g->creators[i].func, g->creators[i].count);
		fputc('\n', f);
	}
	if (g->locked)
		fprintf(f, "  locked to thread: %" PRId64 "\n", g->locked);
	if (*g->labels)
		fprintf(f, "  labels: %s\n", g->labels);
	for (i = 0; i < g->nframes; i++) {
		const struct gframe *fr = &g->frames[i];
		if (*fr->file)
			fprintf(f, "    %s\n        %s:%" PRId64 "\n", fr->func, fr->file, fr->line);
		else
			fprintf(f, "    %s\n", fr->func);
	}
}

static void print_group_json(const struct ggroup *g, FILE *f)
{
	size_t i;

	fprintf(f, "{\"count\":%" PRId64 ",\"name\":", g->count);
	json_escape(f, g->name);
	fprintf(f, ",\"state\":");
	if (g->state)
		json_escape(f, g->state);
	else
		fputs("null", f);
	fprintf(f, ",\"blocks\":");
	if (g->blocks)
		json_escape(f, g->blocks);
	else
		fputs("null", f);
	if (g->has_wait)
		fprintf(f, ",\"wait_minutes\":{\"min\":%" PRId64 ",\"max\":%" PRId64 "}", g->wait_min, g->wait_max);
	else
		fputs(",\"wait_minutes\":null", f);
	fprintf(f, ",\"created_by\":");
	if (g->created_by)
		json_escape(f, g->created_by);
	else
		fputs("null", f);
	fprintf(f, ",\"creators\":[");
	for (i = 0; i < g->ncreators; i++) {
		fprintf(f, "%s{\"function\":", i ? "," : "");
		json_escape(f, g->creators[i].func);
		fprintf(f, ",\"count\":%" PRId64 "}", g->creators[i].count);
	}
	fprintf(f, "],\"locked\":%" PRId64 ",\"leaked\":%s,\"labels\":", g->locked, g->leaked ? "true" : "false");
	json_escape(f, g->labels);
	fprintf(f, ",\"frames\":[");
	for (i = 0; i < g->nframes; i++) {
		fprintf(f, "%s{\"function\":", i ? "," : "");
		json_escape(f, g->frames[i].func);
		fprintf(f, ",\"file\":");
		json_escape(f, g->frames[i].file);
		fprintf(f, ",\"line\":%" PRId64 "}", g->frames[i].line);
	}
	fprintf(f, "]}");
}

void ggroup_write_report(const char *path, const struct gdump *d, const struct ggroup_select *o, bool json, FILE *f)
{
	size_t i, shown = 0;
	int64_t shown_count = 0;

	for (i = 0; i < d->ngroups; i++)
		if (d->groups[i].count >= o->min_count && ggroup_select_keep(o, &d->groups[i])) {
			shown++;
			shown_count += d->groups[i].count;
		}
	if (json) {
		bool first = true;
		fprintf(f, "{\"schema\":\"drip.goroutines/1\",\"file\":");
		json_escape(f, path);
		fprintf(f, ",\"format\":\"%s\",\"kind\":\"%s\",\"total\":%" PRId64 ",\"leaked\":%" PRId64
			   ",\"groups_total\":%zu,\"shown\":%" PRId64 ",\"groups\":[",
			format_label(d->format), d->leakprof ? "goroutineleak" : "goroutine", d->total, d->leaked,
			d->ngroups, shown_count);
		for (i = 0; i < d->ngroups; i++) {
			const struct ggroup *g = &d->groups[i];
			if (g->count < o->min_count || !ggroup_select_keep(o, g))
				continue;
			if (!first)
				fputc(',', f);
			first = false;
			print_group_json(g, f);
		}
		fprintf(f, "]}\n");
		return;
	}
	fprintf(f, "File: %s\n", path);
	fprintf(f, "Format: %s %s\n", d->leakprof ? "goroutineleak" : "goroutine", format_label(d->format));
	if (d->leakprof || d->leaked)
		fprintf(f, "Leaked: %" PRId64 " goroutine%s proven leaked by the runtime (they can never run again)\n",
			d->leaked, d->leaked == 1 ? "" : "s");
	if (o->min_wait >= 0)
		fprintf(f, "Goroutines: %" PRId64 "; waiting at least %" PRId64 " minutes: %" PRId64 " in %zu group%s\n",
			d->total, o->min_wait, shown_count, shown, shown == 1 ? "" : "s");
	else if (shown != d->ngroups)
		fprintf(f, "Goroutines: %" PRId64 " in %zu groups; showing %" PRId64 " in %zu\n", d->total, d->ngroups,
			shown_count, shown);
	else
		fprintf(f, "Goroutines: %" PRId64 " in %zu group%s\n", d->total, d->ngroups, d->ngroups == 1 ? "" : "s");
	for (i = 0; i < d->ngroups; i++) {
		const struct ggroup *g = &d->groups[i];
		if (g->count < o->min_count || !ggroup_select_keep(o, g))
			continue;
		fputc('\n', f);
		print_group_text(g, o->color, f);
	}
}

/* --base: groups of both dumps summed per matching key. */
struct brow {
	const char *key;
	const struct ggroup *rep; /* a group showing the row's stack */
	int64_t old, cnt;
	bool keep;
};

static int cmp_brow(const void *a, const void *b)
{
	const struct brow *x = a, *y = b;
	int64_t dx = x->cnt - x->old, dy = y->cnt - y->old;
	int64_t ax = dx < 0 ? -dx : dx, ay = dy < 0 ? -dy : dy;
	int c;

	if (ax != ay)
		return ax > ay ? -1 : 1;
	if (dx != dy)
		return dx > dy ? -1 : 1;
	if (x->cnt != y->cnt)
		return x->cnt > y->cnt ? -1 : 1;
	if ((c = strcmp(x->rep->name, y->rep->name)) != 0)
		return c;
	return strcmp(x->key, y->key);
}

static void print_chain(const struct ggroup *g, FILE *f, bool json)
{
	/* the matching key's functions: non-runtime frames, leaf first */
	const char *s = g->mkey;
	bool first = true;

	while (*s) {
		const char *e = strchr(s, '\x1e');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (json) {
			char *t = xstrndup(s, n);
			fputs(first ? "" : ",", f);
			json_escape(f, t);
			free(t);
		} else {
			fprintf(f, "%s%.*s", first ? "" : " < ", (int)n, s);
		}
		first = false;
		s += n;
		if (*s)
			s++;
	}
}

void ggroup_write_diff(const char *opath, const struct gdump *od, const char *npath, const struct gdump *nd,
		       const struct ggroup_select *o, bool json, FILE *f)
{
	bool st = od->has_state && nd->has_state, lb = od->has_labels && nd->has_labels;
	struct u64map idx = U64MAP_INIT;
	struct brow *rows = NULL;
	size_t nrows = 0, cap = 0, i, pass;
	int64_t oldt = 0, newt = 0;

	for (pass = 0; pass < 2; pass++) {
		const struct gdump *d = pass ? nd : od;
		for (i = 0; i < d->ngroups; i++) {
			const struct ggroup *g = &d->groups[i];
			const char *k = ggroup_match_key(g, st, lb);
			int ins;
			uint64_t *slot = u64map_put(&idx, (uint64_t)(uintptr_t)k, 0, &ins);
			if (ins) {
				xgrow(&rows, &cap, nrows + 1, sizeof(*rows));
				memset(&rows[nrows], 0, sizeof(*rows));
				rows[nrows].key = k;
				rows[nrows].rep = g;
				*slot = nrows++;
			}
			if (pass)
				rows[*slot].cnt += g->count;
			else
				rows[*slot].old += g->count;
			/* a row is shown when any of its groups passes the filters */
			if (ggroup_select_keep(o, g))
				rows[*slot].keep = true;
		}
	}
	for (i = 0; i < nrows; i++) {
		struct brow *r = &rows[i];
		if (r->old < o->min_count && r->cnt < o->min_count)
			r->keep = false;
		if (r->keep) {
			oldt += r->old;
			newt += r->cnt;
		}
	}
	if (nrows)
		qsort(rows, nrows, sizeof(*rows), cmp_brow);
	if (json) {
		bool first = true;
		fprintf(f, "{\"schema\":\"drip.goroutines-diff/1\",\"base\":");
		json_escape(f, opath);
		fprintf(f, ",\"file\":");
		json_escape(f, npath);
		fprintf(f, ",\"base_format\":\"%s\",\"format\":\"%s\",\"base_total\":%" PRId64 ",\"total\":%" PRId64
			   ",\"matched_on_state\":%s,\"matched_on_labels\":%s,\"groups\":[",
			format_label(od->format), format_label(nd->format), od->total, nd->total, st ? "true" : "false",
			lb ? "true" : "false");
		for (i = 0; i < nrows; i++) {
			const struct brow *r = &rows[i];
			if (!r->keep)
				continue;
			fprintf(f, "%s{\"base\":%" PRId64 ",\"count\":%" PRId64 ",\"delta\":%" PRId64 ",\"name\":",
				first ? "" : ",", r->old, r->cnt, r->cnt - r->old);
			first = false;
			json_escape(f, r->rep->name);
			fprintf(f, ",\"state\":");
			if (st)
				json_escape(f, r->rep->state);
			else
				fputs("null", f);
			fprintf(f, ",\"labels\":");
			json_escape(f, lb ? r->rep->labels : "");
			fprintf(f, ",\"functions\":[");
			print_chain(r->rep, f, true);
			fprintf(f, "]}");
		}
		fprintf(f, "]}\n");
	} else {
		fprintf(f, "Base: %s (goroutine %s)\n", opath, format_label(od->format));
		fprintf(f, "File: %s (goroutine %s)\n", npath, format_label(nd->format));
		fprintf(f, "Goroutines: %" PRId64 " -> %" PRId64 " (%+" PRId64 ")\n", od->total, nd->total,
			nd->total - od->total);
		fprintf(f, "Matched on: functions%s%s\n\n", st ? ", state" : "", lb ? ", labels" : "");
		fprintf(f, "%7s %7s %7s  %-16s %s\n", "delta", "old", "new", "state", "stack (leaf < callers)");
		for (i = 0; i < nrows; i++) {
			const struct brow *r = &rows[i];
			char d[32], pd[40];
			int role = color_for_delta(r->cnt - r->old);
			if (!r->keep)
				continue;
			snprintf(d, sizeof(d), "%+" PRId64, r->cnt - r->old);
			snprintf(pd, sizeof(pd), "%7s", d);
			if (role >= 0)
				color_fputs(f, o->color, (enum color_role)role, pd);
			else
				fputs(pd, f);
			fprintf(f, " %7" PRId64 " %7" PRId64 "  %-16s ", r->old, r->cnt,
				st ? r->rep->state : (r->rep->blocks ? r->rep->blocks : "-"));
			print_chain(r->rep, f, false);
			if (lb && *r->rep->labels)
				fprintf(f, " {%s}", r->rep->labels);
			fputc('\n', f);
		}
	}
	free(rows);
	u64map_release(&idx);
}

