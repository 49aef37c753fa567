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

static void print_group_json(const struct ggroup *g, struct json *j)
{
	size_t i;

	json_begin_object(j);
	json_kint(j, "count", g->count);
	json_kstr(j, "name", g->name ? g->name : "");
	json_kstr(j, "state", g->state);
	json_kstr(j, "blocks", g->blocks);
	json_key(j, "wait_minutes");
	if (g->has_wait) {
		json_begin_object(j);
		json_kint(j, "min", g->wait_min);
		json_kint(j, "max", g->wait_max);
		json_end_object(j);
	} else {
		json_null(j);
	}
	json_kstr(j, "created_by", g->created_by);
	json_key(j, "creators");
	json_begin_array(j);
	for (i = 0; i < g->ncreators; i++) {
		json_begin_object(j);
		json_kstr(j, "function", g->creators[i].func ? g->creators[i].func : "");
		json_kint(j, "count", g->creators[i].count);
		json_end_object(j);
	}
	json_end_array(j);
	json_kint(j, "locked", g->locked);
	json_kbool(j, "leaked", g->leaked);
	json_kstr(j, "labels", g->labels ? g->labels : "");
	json_key(j, "frames");
	json_begin_array(j);
	for (i = 0; i < g->nframes; i++) {
		json_begin_object(j);
		json_kstr(j, "function", g->frames[i].func ? g->frames[i].func : "");
		json_kstr(j, "file", g->frames[i].file ? g->frames[i].file : "");
		json_kint(j, "line", g->frames[i].line);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
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
		struct json j;
		json_init(&j, f);
		json_begin_object(&j);
		json_kstr(&j, "schema", "drip.goroutines/1");
		json_kstr(&j, "file", path ? path : "");
		json_kstr(&j, "format", format_label(d->format));
		json_kstr(&j, "kind", d->leakprof ? "goroutineleak" : "goroutine");
		json_kint(&j, "total", d->total);
		json_kint(&j, "leaked", d->leaked);
		json_key(&j, "groups_total");
		json_uint(&j, d->ngroups);
		json_kint(&j, "shown", shown_count);
		json_key(&j, "groups");
		json_begin_array(&j);
		for (i = 0; i < d->ngroups; i++) {
			const struct ggroup *g = &d->groups[i];
			if (g->count >= o->min_count && ggroup_select_keep(o, g))
				print_group_json(g, &j);
		}
		json_end_array(&j);
		json_end_object(&j);
		json_finish(&j);
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

/* The matching key's functions: non-runtime frames, leaf first; as JSON
 * strings when j is given, else as text to f. */
static void print_chain(const struct ggroup *g, FILE *f, struct json *j)
{
	const char *s = g->mkey;
	bool first = true;

	while (*s) {
		const char *e = strchr(s, '\x1e');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (j) {
			char *t = xstrndup(s, n);
			json_str(j, t);
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
		struct json j;
		json_init(&j, f);
		json_begin_object(&j);
		json_kstr(&j, "schema", "drip.goroutines-diff/1");
		json_kstr(&j, "base", opath ? opath : "");
		json_kstr(&j, "file", npath ? npath : "");
		json_kstr(&j, "base_format", format_label(od->format));
		json_kstr(&j, "format", format_label(nd->format));
		json_kint(&j, "base_total", od->total);
		json_kint(&j, "total", nd->total);
		json_kbool(&j, "matched_on_state", st);
		json_kbool(&j, "matched_on_labels", lb);
		json_key(&j, "groups");
		json_begin_array(&j);
		for (i = 0; i < nrows; i++) {
			const struct brow *r = &rows[i];
			if (!r->keep)
				continue;
			json_begin_object(&j);
			json_kint(&j, "base", r->old);
			json_kint(&j, "count", r->cnt);
			json_kint(&j, "delta", r->cnt - r->old);
			json_kstr(&j, "name", r->rep->name ? r->rep->name : "");
			json_kstr(&j, "state", st ? (r->rep->state ? r->rep->state : "") : NULL);
			json_kstr(&j, "labels", lb && r->rep->labels ? r->rep->labels : "");
			json_key(&j, "functions");
			json_begin_array(&j);
			print_chain(r->rep, f, &j);
			json_end_array(&j);
			json_end_object(&j);
		}
		json_end_array(&j);
		json_end_object(&j);
		json_finish(&j);
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
			print_chain(r->rep, f, NULL);
			if (lb && *r->rep->labels)
				fprintf(f, " {%s}", r->rep->labels);
			fputc('\n', f);
		}
	}
	free(rows);
	u64map_release(&idx);
}

