#include "ggroup.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "hash.h"
#include "owner.h"
#include "strtab.h"
#include "xalloc.h"

bool ggroup_is_goroutine(const struct profile *p)
{
	enum pf_kind k = profile_kind(p);
	return k == PF_KIND_GOROUTINE || k == PF_KIND_GOROUTINELEAK;
}

bool gframe_is_runtime(const struct gframe *f)
{
	return strncmp(f->func, "runtime.", 8) == 0 || strncmp(f->func, "0x", 2) == 0 || !*f->func;
}

/* Where a goroutine parked, guessed from the runtime and sync frames
 * nearest its leaf (proto and debug=1 dumps carry no state). */
static const char *guess_blocks(const struct gframe *fr, size_t n)
{
	static const struct {
		const char *func, *state;
	} rules[] = {
		{ "runtime.chanrecv", "chan receive" },
		{ "runtime.chanrecv1", "chan receive" },
		{ "runtime.chanrecv2", "chan receive" },
		{ "runtime.chansend", "chan send" },
		{ "runtime.chansend1", "chan send" },
		{ "runtime.selectgo", "select" },
		{ "runtime.block", "select (no cases)" },
		{ "runtime.netpollblock", "IO wait" },
		{ "internal/poll.runtime_pollWait", "IO wait" },
		{ "runtime.semacquire1", "semacquire" },
		{ "sync.runtime_Semacquire", "semacquire" },
		{ "sync.runtime_SemacquireMutex", "semacquire" },
		{ "sync.runtime_SemacquireRWMutex", "semacquire" },
		{ "sync.runtime_SemacquireRWMutexR", "semacquire" },
		{ "sync.runtime_notifyListWait", "sync.Cond.Wait" },
		{ "time.Sleep", "sleep" },
		{ "runtime.gcBgMarkWorker", "GC worker (idle)" },
	};
	size_t i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < sizeof(rules) / sizeof(rules[0]); k++)
			if (strcmp(fr[i].func, rules[k].func) == 0)
				return intern(rules[k].state);
		if (!gframe_is_runtime(&fr[i]) && strncmp(fr[i].func, "sync.", 5) != 0 &&
		    strncmp(fr[i].func, "internal/poll.", 14) != 0 && strncmp(fr[i].func, "time.", 5) != 0)
			break; /* past the runtime's frames: no more clues */
	}
	return NULL;
}

bool gfunc_is_user(const char *func)
{
	return owner_is_own(func, NULL);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The "k=v, k=v" string of a sample's user labels (sorted). */
static const char *label_string(const struct profile *p, const struct pf_sample *s, bool text2)
{
	const char **items;
	struct buf b = BUF_INIT;
	size_t i, n = 0;
	const char *r;

	if (!s->nlabels)
		return intern_empty();
	items = xcalloc(s->nlabels, sizeof(*items));
	for (i = 0; i < s->nlabels; i++) {
		const struct pf_label *l = &p->labels[s->label_start + i];
		if (text2 && (!strcmp(l->key, "state") || !strcmp(l->key, "wait") || !strcmp(l->key, "locked") ||
			      !strcmp(l->key, "created_by") || !strcmp(l->key, "leaked")))
			continue; /* drip's own labels of a debug=2 dump, not pprof's */
		buf_reset(&b);
		if (l->str) {
			/* one line whatever the label holds: control
			 * characters as \xNN, backslashes doubled */
			const unsigned char *q;
			buf_printf(&b, "%s=", l->key);
			for (q = (const unsigned char *)l->str; *q; q++) {
				if (*q < 0x20 || *q == 0x7f)
					buf_printf(&b, "\\x%02x", *q);
				else if (*q == '\\')
					buf_printf(&b, "\\\\");
				else
					buf_putc(&b, (char)*q);
			}
		} else if (*l->unit)
			buf_printf(&b, "%s=%" PRId64 " %s", l->key, l->num, l->unit);
		else
			buf_printf(&b, "%s=%" PRId64, l->key, l->num);
		items[n++] = intern(b.data);
	}
	qsort(items, n, sizeof(*items), cmp_str);
	buf_reset(&b);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", items[i]);
	r = n ? intern(b.data) : intern_empty();
	buf_release(&b);
	free(items);
	return r;
}

static const struct pf_label *find_label(const struct profile *p, const struct pf_sample *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->nlabels; i++)
		if (strcmp(p->labels[s->label_start + i].key, key) == 0)
			return &p->labels[s->label_start + i];
	return NULL;
}

/* Expand a sample's stack into frames, leaf first (inlined frames
 * first within a location). */
static size_t sample_frames(const struct profile *p, const struct pf_sample *s, struct gframe **out, size_t *cap)
{
	const uint32_t *st = pf_stack(p, s);
	size_t n = 0, i, k;
	char a[32];

	for (i = 0; i < s->nlocs; i++) {
		const struct pf_location *loc = &p->locations[st[i]];
		if (loc->nlines == 0) {
			xgrow(out, cap, n + 1, sizeof(**out));
			snprintf(a, sizeof(a), "0x%" PRIx64, loc->address);
			(*out)[n].func = intern(a);
			(*out)[n].file = intern_empty();
			(*out)[n].line = 0;
			n++;
			continue;
		}
		for (k = 0; k < loc->nlines; k++) {
			const struct pf_line *ln = &p->lines[loc->line_start + k];
			const struct pf_function *fn = ln->function == PF_NONE ? NULL : &p->functions[ln->function];
			xgrow(out, cap, n + 1, sizeof(**out));
			if (fn && *fn->name) {
				(*out)[n].func = fn->name;
				(*out)[n].file = fn->filename;
			} else {
				snprintf(a, sizeof(a), "0x%" PRIx64, loc->address);
				(*out)[n].func = intern(a);
				(*out)[n].file = intern_empty();
			}
			(*out)[n].line = ln->line;
			n++;
		}
	}
	return n;
}

const char *ggroup_match_key(const struct ggroup *g, bool state, bool labels)
{
	struct buf b = BUF_INIT;
	const char *r;

	buf_printf(&b, "%s\x1f%s\x1f%s", state && g->state ? g->state : "", labels ? g->labels : "", g->mkey);
	r = intern(b.data);
	buf_release(&b);
	return r;
}

/* The function names, runtime frames left out (all of them kept, but
 * runtime.goexit, when nothing else is left). */
static const char *make_mkey(const struct gframe *fr, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i, kept = 0;
	const char *r;

	for (i = 0; i < n; i++) {
		if (gframe_is_runtime(&fr[i]))
			continue;
		buf_printf(&b, "%s\x1e", fr[i].func);
		kept++;
	}
	if (!kept)
		for (i = 0; i < n; i++)
			if (strcmp(fr[i].func, "runtime.goexit") != 0 && strncmp(fr[i].func, "0x", 2) != 0)
				buf_printf(&b, "%s\x1e", fr[i].func);
	r = intern(b.data ? b.data : "");
	buf_release(&b);
	return r;
}

static int cmp_creator(const void *a, const void *b)
{
	const struct gcreator *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->func, y->func);
}

static int cmp_group(const void *a, const void *b)
{
	const struct ggroup *x = a, *y = b;
	int c;

	if (x->leaked != y->leaked)
		return x->leaked ? -1 : 1; /* proven leaks first */
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	if ((c = strcmp(x->mkey, y->mkey)) != 0)
		return c;
	if ((c = strcmp(x->state ? x->state : "", y->state ? y->state : "")) != 0)
		return c;
	if ((c = strcmp(x->labels, y->labels)) != 0)
		return c;
	if (x->nframes != y->nframes)
		return x->nframes < y->nframes ? -1 : 1;
	for (size_t i = 0; i < x->nframes; i++) {
		if ((c = strcmp(x->frames[i].file, y->frames[i].file)) != 0)
			return c;
		if (x->frames[i].line != y->frames[i].line)
			return x->frames[i].line < y->frames[i].line ? -1 : 1;
	}
	return 0;
}

int gdump_build(const struct profile *p, struct gdump *d)
{
	return gdump_build_filtered(p, d, -1);
}

static int build(const struct profile *p, struct gdump *d, int64_t min_wait, const char *by);

int gdump_build_filtered(const struct profile *p, struct gdump *d, int64_t min_wait)
{
	return build(p, d, min_wait, NULL);
}

int gdump_build_by(const struct profile *p, struct gdump *d, const char *by)
{
	return build(p, d, -1, by);
}

const char *ggroup_label_value(const struct profile *p, const struct pf_sample *s, const char *key)
{
	const struct pf_label *l = find_label(p, s, key);
	struct buf b = BUF_INIT;
	const char *r;

	if (!l)
		return NULL;
	if (l->str)
		return l->str;
	if (*l->unit)
		buf_printf(&b, "%" PRId64 " %s", l->num, l->unit);
	else
		buf_printf(&b, "%" PRId64, l->num);
	r = intern(b.data);
	buf_release(&b);
	return r;
}

static int build(const struct profile *p, struct gdump *d, int64_t min_wait, const char *by)
{
	struct u64map idx = U64MAP_INIT;
	struct gframe *fr = NULL;
	size_t cap = 0, capg = 0, s;
	struct buf key = BUF_INIT;
	bool text2 = p->format == PF_FORMAT_GOROUTINE_TEXT2;

	memset(d, 0, sizeof(*d));
	if (!ggroup_is_goroutine(p))
		return err_set("not a goroutine profile (sample type '%s')", p->ntypes ? p->types[0].type : "");
	d->has_state = text2;
	d->has_labels = !text2; /* debug=2: when a header has some (Go 1.27) */
	d->leakprof = profile_kind(p) == PF_KIND_GOROUTINELEAK;
	d->format = p->format;
	d->time_nanos = p->time_nanos;
	for (s = 0; s < p->nsamples; s++) {
		const struct pf_sample *sm = &p->samples[s];
		int64_t v = pf_values(p, s)[0];
		size_t n = sample_frames(p, sm, &fr, &cap), i;
		const struct pf_label *l;
		const char *state = NULL, *labels, *created = NULL, *k;
		int64_t wait = 0;
		bool has_wait = false, locked = false, leaked = d->leakprof;
		struct ggroup *g;
		uint64_t *slot;
		int ins;

		if (v == 0)
			continue;
		if (text2) {
			if ((l = find_label(p, sm, "state")) && l->str)
				state = l->str;
			if ((l = find_label(p, sm, "wait")) && !l->str) {
				wait = l->num;
				has_wait = true;
			}
			if ((l = find_label(p, sm, "locked")) && l->str && strcmp(l->str, "true") == 0)
				locked = true;
			if ((l = find_label(p, sm, "leaked")) && l->str && strcmp(l->str, "true") == 0)
				leaked = true;
			if ((l = find_label(p, sm, "created_by")) && l->str && *l->str)
				created = l->str;
			if (!state)
				state = intern("unknown");
		}
		d->total = sat_add(d->total, v);
		if (leaked)
			d->leaked = sat_add(d->leaked, v);
		if (min_wait >= 0 && wait < min_wait)
			continue;
		labels = label_string(p, sm, text2);
		if (*labels)
			d->has_labels = true;
		buf_reset(&key);
		buf_printf(&key, "%s\x1f%s\x1f%d", state ? state : "", labels, leaked);
		for (i = 0; i < n; i++)
			buf_printf(&key, "%s\x1e%s\x1e%" PRId64 "\x1d", fr[i].func, fr[i].file, fr[i].line);
		k = intern(key.data);
		slot = u64map_put(&idx, (uint64_t)(uintptr_t)k, UINT64_MAX, &ins);
		if (ins) {
			xgrow(&d->groups, &capg, d->ngroups + 1, sizeof(*d->groups));
			g = &d->groups[d->ngroups];
			memset(g, 0, sizeof(*g));
			g->frames = xcalloc(n ? n : 1, sizeof(*g->frames));
			if (n) /* fr is NULL for an empty stack */
				memcpy(g->frames, fr, n * sizeof(*fr));
			g->nframes = n;
			g->state = state;
			g->labels = labels;
			/* the group's labels are all alike: its samples' */
			g->by = by ? ggroup_label_value(p, sm, by) : NULL;
			g->leaked = leaked;
			g->wait_min = INT64_MAX;
			g->name = NULL;
			for (i = n; i-- > 0 && !g->entry;)
				if (!gframe_is_runtime(&fr[i]))
					g->entry = fr[i].func;
			for (i = 0; i < n && !g->name; i++)
				if (owner_is_own(fr[i].func, fr[i].file))
					g->name = fr[i].func;
			if (!g->name)
				g->name = g->entry;
			if (!g->name)
				g->name = n ? fr[0].func : intern("<no stack>");
			g->blocks = state ? state : guess_blocks(fr, n);
			g->mkey = make_mkey(fr, n);
			*slot = d->ngroups++;
		}
		g = &d->groups[*slot];
		g->count = sat_add(g->count, v);
		if (has_wait)
			g->has_wait = true;
		if (wait < g->wait_min)
			g->wait_min = wait;
		if (wait > g->wait_max)
			g->wait_max = wait;
		if (locked)
			g->locked += v;
		if (created) {
			for (i = 0; i < g->ncreators && g->creators[i].func != created; i++)
				;
			if (i == g->ncreators) {
				g->creators = xreallocarray(g->creators, g->ncreators + 1, sizeof(*g->creators));
				g->creators[g->ncreators].func = created;
				g->creators[g->ncreators++].count = 0;
			}
			g->creators[i].count = sat_add(g->creators[i].count, v);
		}
	}
	for (s = 0; s < d->ngroups; s++) {
		struct ggroup *g = &d->groups[s];
		if (g->ncreators > 1)
			qsort(g->creators, g->ncreators, sizeof(*g->creators), cmp_creator);
		g->created_by = g->ncreators ? g->creators[0].func : NULL;
	}
	for (s = 0; s < d->ngroups; s++)
		if (d->groups[s].wait_min == INT64_MAX)
			d->groups[s].wait_min = 0;
	if (d->ngroups)
		qsort(d->groups, d->ngroups, sizeof(*d->groups), cmp_group);
	free(fr);
	buf_release(&key);
	u64map_release(&idx);
	return 0;
}

void gdump_release(struct gdump *d)
{
	size_t i;

	for (i = 0; i < d->ngroups; i++) {
		free(d->groups[i].frames);
		free(d->groups[i].creators);
	}
	free(d->groups);
	memset(d, 0, sizeof(*d));
}

void ggroup_format_wait(const struct ggroup *g, char *out, size_t n)
{
	if (!g->has_wait)
		snprintf(out, n, "%s", "");
	else if (g->wait_min == g->wait_max)
		snprintf(out, n, "%" PRId64 " minutes", g->wait_max);
	else
		snprintf(out, n, "%" PRId64 "~%" PRId64 " minutes", g->wait_min, g->wait_max);
}
