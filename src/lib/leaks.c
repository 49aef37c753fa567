/* leaks: the series model (snapshots reduced as they are added) and the
 * analysis (sample types, trends, verdicts, ranking).  See leaks.h. */
#include "leaks.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "error.h"
#include "ggroup.h"
#include "hash.h"
#include "owner.h"
#include "sampling.h"
#include "strtab.h"
#include "units.h"
#include "xalloc.h"

/* Goroutines: what a site's largest group in a snapshot says. */
struct grep {
	const char *name, *blocks, *created_by, *entry, *labels;
	struct owner owner;
};

/* A goroutine group's owner: the first frame of the program's own code
 * from the leaf, else its creator (owner.h). */
static void group_owner(const struct ggroup *g, struct owner *o)
{
	size_t i;

	memset(o, 0, sizeof(*o));
	o->file = intern_empty();
	for (i = 0; i < g->nframes; i++)
		if (owner_is_own(g->frames[i].func, g->frames[i].file)) {
			o->func = g->frames[i].func;
			o->file = g->frames[i].file ? g->frames[i].file : intern_empty();
			o->line = g->frames[i].line;
			o->own = true;
			return;
		}
	if (g->created_by) {
		o->func = g->created_by;
		o->creator = true;
	}
}

/* One snapshot, reduced: its header and, per site present in it (an
 * entry), the values of every sample type. */
struct lsnap {
	char *name;            /* owned */
	size_t arg;            /* position in the order added */
	bool goroutine;        /* goroutine or goroutineleak; a snapshot of
				* the other class than the series' is
				* counted only */
	int64_t time_nanos;
	struct pf_memstats ms; /* heap debug=1: runtime.MemStats */
	struct profile *hdr;   /* heap: a sample-less copy of the header
				* (types, default type, period), for
				* resolving sample type names; owned */
	size_t ntypes;         /* heap: hdr->ntypes; goroutines: 1 */
	int64_t *total;        /* per type */
	size_t nent;
	uint32_t *site;        /* per entry: index into the series' sites */
	double *v;             /* nent * ntypes */
	unsigned char *touched; /* nent * ntypes: some node had a non-zero
				 * value (the site exists for that type) */
	struct grep *rep;      /* goroutines, per entry */
	double *wait;          /* goroutines, per entry: max wait, or 0 */
	bool *has_wait;        /* goroutines, per entry */
	int64_t *leaked;       /* goroutines, per entry: proven leaked */
	struct owner_map *callers; /* heap: the owners of its sites (see
				    * keep_callers()); NULL */
};

struct lsite {
	const char *key, *name;
	const char *by;        /* --by: the label's value, else NULL */
	const char **fr;       /* leaks_opts.frames: its functions (owned) */
	size_t nfr;
};

struct leaks_series {
	struct leaks_opts o;
	struct lsnap *s;
	size_t n, cap;
	bool goroutine;        /* the class of the first snapshot */
	size_t nother;         /* snapshots of the other class */
	size_t ngor, nleak, nheap; /* goroutine, goroutineleak, heap profiles */
	struct lsite *sites;   /* every site seen, in order first seen */
	size_t nsites, cap_sites;
	struct u64map idx;     /* key -> index into sites */
	struct u64map frset;   /* leaks_opts.frames: (site, function) pairs
				* in the sites' fr lists */
	size_t latest;         /* the latest snapshot by time that has
				* callers, SIZE_MAX when none */
};

void leaks_opts_init(struct leaks_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->gran = GRAN_FUNCTIONS;
	o->min_growth_pct = 1.0;
	trend_rules_default(&o->rules);
}

struct leaks_series *leaks_series_new(const struct leaks_opts *o)
{
	struct leaks_series *s = xcalloc(1, sizeof(*s));

	s->o = *o;
	s->latest = SIZE_MAX;
	return s;
}

static void lsnap_release(struct lsnap *sn)
{
	free(sn->name);
	profile_free(sn->hdr);
	free(sn->total);
	free(sn->site);
	free(sn->v);
	free(sn->touched);
	free(sn->rep);
	free(sn->wait);
	free(sn->has_wait);
	free(sn->leaked);
	owner_map_free(sn->callers);
}

void leaks_series_free(struct leaks_series *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		lsnap_release(&s->s[i]);
	free(s->s);
	for (i = 0; i < s->nsites; i++)
		free(s->sites[i].fr);
	free(s->sites);
	u64map_release(&s->idx);
	u64map_release(&s->frset);
	free(s);
}

size_t leaks_series_len(const struct leaks_series *s)
{
	return s->n;
}

bool leaks_series_goroutine(const struct leaks_series *s)
{
	return s->n > 0 && s->goroutine;
}

static uint32_t site_id_by(struct leaks_series *s, const char *key, const char *name, const char *by)
{
	int ins;
	uint64_t *slot = u64map_put(&s->idx, (uint64_t)(uintptr_t)key, 0, &ins);

	if (ins) {
		xgrow(&s->sites, &s->cap_sites, s->nsites + 1, sizeof(*s->sites));
		memset(&s->sites[s->nsites], 0, sizeof(*s->sites));
		s->sites[s->nsites].key = key;
		s->sites[s->nsites].name = name;
		s->sites[s->nsites].by = by;
		*slot = s->nsites++;
	}
	return (uint32_t)*slot;
}

static uint32_t site_id(struct leaks_series *s, const char *key, const char *name)
{
	return site_id_by(s, key, name, NULL);
}

/* --by: the site of key/name for the label value by (NULL: no --by). */
static uint32_t site_split(struct leaks_series *s, const char *key, const char *name, const char *by)
{
	struct buf b = BUF_INIT;
	uint32_t id;

	if (!by)
		return site_id(s, key, name);
	buf_printf(&b, "%s\x1f%s", key, by);
	id = site_id_by(s, intern(b.data), name, by);
	buf_release(&b);
	return id;
}

/* leaks_opts.frames: add function f (interned) to site id's list, once,
 * while the list is shorter than LEAKS_MAX_FRAMES. */
static void site_frame(struct leaks_series *s, uint32_t id, const char *f)
{
	struct lsite *st = &s->sites[id];
	int ins;

	if (st->nfr >= LEAKS_MAX_FRAMES || strncmp(f, "runtime.", 8) == 0 || !*f)
		return;
	u64map_put(&s->frset, hash_combine(id, (uint64_t)(uintptr_t)f), 0, &ins);
	if (!ins)
		return;
	st->fr = xreallocarray(st->fr, st->nfr + 1, sizeof(*st->fr));
	st->fr[st->nfr++] = f;
}

/* The entry of site id in sn, added when absent; ent maps site ids to
 * entries + 1 for this snapshot. */
static size_t entry_of(struct lsnap *sn, struct u64map *ent, uint32_t id, size_t *cap)
{
	int ins;
	uint64_t *slot = u64map_put(ent, id, 0, &ins);

	if (ins) {
		size_t e = sn->nent++;
		if (sn->nent > *cap) {
			size_t c = *cap;
			xgrow(&sn->site, &c, sn->nent, sizeof(*sn->site));
			sn->v = xreallocarray(sn->v, c, sn->ntypes * sizeof(double));
			sn->touched = xreallocarray(sn->touched, c, sn->ntypes);
			if (sn->goroutine) {
				sn->rep = xreallocarray(sn->rep, c, sizeof(*sn->rep));
				sn->wait = xreallocarray(sn->wait, c, sizeof(*sn->wait));
				sn->has_wait = xreallocarray(sn->has_wait, c, sizeof(*sn->has_wait));
				sn->leaked = xreallocarray(sn->leaked, c, sizeof(*sn->leaked));
			}
			*cap = c;
		}
		sn->site[e] = id;
		memset(&sn->v[e * sn->ntypes], 0, sn->ntypes * sizeof(double));
		memset(&sn->touched[e * sn->ntypes], 0, sn->ntypes);
		*slot = e;
	}
	return (size_t)*slot;
}

/* Is a before b in the analysis order when every snapshot has a time? */
static bool time_before(const struct lsnap *a, const struct lsnap *b)
{
	if (a->time_nanos != b->time_nanos)
		return a->time_nanos < b->time_nanos;
	return a->arg < b->arg;
}

/* The last snapshot of the analysis is either the last added (when some
 * snapshot has no time) or the latest by time: only those two keep their
 * callers.  Called after each add: constant time. */
static void drop_callers(struct leaks_series *s, size_t i)
{
	owner_map_free(s->s[i].callers);
	s->s[i].callers = NULL;
}

static void keep_callers(struct leaks_series *s)
{
	size_t last = s->n - 1, prev = s->n >= 2 ? s->n - 2 : SIZE_MAX;

	if (s->s[last].callers && (s->latest == SIZE_MAX || time_before(&s->s[s->latest], &s->s[last]))) {
		if (s->latest != SIZE_MAX && s->latest != prev)
			drop_callers(s, s->latest);
		s->latest = last;
	}
	if (prev != SIZE_MAX && prev != s->latest && s->s[prev].callers)
		drop_callers(s, prev);
}

/* The heap path of --by and leaks_opts.frames: each sample's sites
 * (flat: its innermost node; --cum: every node of its stack, once) as
 * graph_values() finds them; under --by the values go to the site of
 * the sample's label value (else add_heap has added them already), and
 * with frames the sample's functions join its flat site's list. */
static void heap_walk(struct leaks_series *s, struct lsnap *sn, const struct profile *p, const struct graph *g,
		      struct u64map *ent, size_t *cap)
{
	size_t i, k, nt = p->ntypes;
	bool by = s->o.by != NULL;
	uint32_t *seen = by && s->o.cum ? xcalloc(g->nnodes + 1, sizeof(uint32_t)) : NULL;
	const char *none = intern(LEAKS_BY_NONE);

	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *sm = &p->samples[i];
		const uint32_t *stk = pf_stack(p, sm);
		const int64_t *v = pf_values(p, i);
		const char *bv = NULL;
		uint32_t leaf = PF_NONE, stamp = (uint32_t)i + 1, f, ni, lf;
		bool any = false;

		for (k = 0; k < nt; k++)
			any |= v[k] != 0;
		if (!any)
			continue;
		if (by && !(bv = ggroup_label_value(p, sm, s->o.by)))
			bv = none;
		for (f = sm->nlocs; f-- > 0;) {
			uint32_t loc = stk[f], cnt = g->loc_count[loc];
			const uint32_t *ln = g->loc_nodes + g->loc_first[loc];
			for (ni = cnt; ni-- > 0;) {
				uint32_t nx = ln[ni];
				if (seen && seen[nx] != stamp) {
					size_t e = entry_of(sn, ent, site_split(s, g->nodes[nx].pname, g->nodes[nx].pname, bv), cap);
					seen[nx] = stamp;
					for (k = 0; k < nt; k++)
						if (v[k] != 0) {
							sn->v[e * nt + k] += (double)v[k];
							sn->touched[e * nt + k] = 1;
						}
				}
				leaf = nx;
			}
		}
		if (leaf == PF_NONE)
			continue;
		if (by && !s->o.cum) {
			size_t e = entry_of(sn, ent, site_split(s, g->nodes[leaf].pname, g->nodes[leaf].pname, bv), cap);
			for (k = 0; k < nt; k++)
				if (v[k] != 0) {
					sn->v[e * nt + k] += (double)v[k];
					sn->touched[e * nt + k] = 1;
				}
		}
		if (!s->o.frames)
			continue;
		lf = site_split(s, g->nodes[leaf].pname, g->nodes[leaf].pname, bv);
		for (f = 0; f < sm->nlocs; f++) {
			const struct pf_location *loc = &p->locations[stk[f]];
			uint32_t l;
			for (l = 0; l < loc->nlines; l++) {
				const struct pf_line *line = &p->lines[loc->line_start + l];
				if (line->function != PF_NONE)
					site_frame(s, lf, p->functions[line->function].name);
			}
		}
	}
	free(seen);
}

/* The function of location loc's k-th frame (0: innermost), or NULL. */
static const char *frame_func(const struct profile *p, uint32_t loc, uint32_t k)
{
	const struct pf_line *ln = &p->lines[p->locations[loc].line_start + k];

	return ln->function == PF_NONE ? NULL : p->functions[ln->function].name;
}

/* runtime.mallocgc, or Go 1.24+'s mallocgcSmallNoscan and the like. */
static bool mallocgc_frame(const char *fn)
{
	return fn && strncmp(fn, "runtime.mallocgc", 16) == 0;
}

/* Whether fn is the Go allocator or one of its entry points. */
static bool allocator_frame(const char *fn)
{
	static const char *const entry[] = {
		"runtime.newobject", "runtime.newarray", "runtime.makeslice", "runtime.makeslicecopy",
		"runtime.growslice", "runtime.makemap", "runtime.makemap_small", "runtime.makechan",
	};
	size_t i;

	if (!fn)
		return false;
	if (mallocgc_frame(fn))
		return true;
	for (i = 0; i < sizeof(entry) / sizeof(entry[0]); i++)
		if (strcmp(fn, entry[i]) == 0)
			return true;
	return false;
}

/* Whether every frame of location loc is the allocator's. */
static bool allocator_location(const struct profile *p, uint32_t loc)
{
	uint32_t k, n = p->locations[loc].nlines;

	for (k = 0; k < n; k++)
		if (!allocator_frame(frame_func(p, loc, k)))
			return false;
	return n > 0;
}

/* Go 1.23 and later record an allocation made on the system stack
 * (runtime.malg's new goroutine, allgadd, saveg) with the allocator's
 * own frames innermost: runtime.mallocgc, then its entry (newobject,
 * growslice, ...), where earlier Go and every other allocation start
 * at the allocating function.  All of Go 1.27's leaked goroutine
 * records then sat at one "runtime.mallocgc" site with unrelated
 * runtime allocations, and the runtime.malg note and join never saw
 * them.  A sample whose innermost frame is runtime.mallocgc loses its
 * allocator frames here, so that its site is the function that
 * allocated, as in Go 1.19 (drip top keeps pprof's view). */
static void strip_allocator_frames(struct profile *p)
{
	size_t i;

	for (i = 0; i < p->nsamples; i++) {
		struct pf_sample *sm = &p->samples[i];
		const uint32_t *stk = pf_stack(p, sm);
		uint32_t f = 0;

		if (sm->nlocs < 2 || p->locations[stk[0]].nlines == 0 || !mallocgc_frame(frame_func(p, stk[0], 0)))
			continue;
		while (f + 1 < sm->nlocs && allocator_location(p, stk[f]))
			f++;
		sm->loc_start += f;
		sm->nlocs -= f;
	}
}

static int add_heap(struct leaks_series *s, struct lsnap *sn, const struct profile *p)
{
	struct graph_opts go;
	struct graph *g;
	struct u64map ent = U64MAP_INIT;
	int64_t *flat, *cum;
	int *idx;
	size_t i, k, nt = p->ntypes, cap = 0;

	sn->hdr = profile_new();
	profile_set_types(sn->hdr, p->types, p->ntypes);
	sn->hdr->default_type = p->default_type;
	sn->hdr->period_type = p->period_type;
	sn->hdr->period = p->period;
	sn->hdr->time_nanos = p->time_nanos;
	sn->hdr->format = p->format;
	sn->ms = p->memstats;
	sn->ntypes = nt;
	sn->total = xcalloc(nt + 1, sizeof(int64_t));
	for (k = 0; k < nt; k++)
		sn->total[k] = profile_total(p, (int)k);
	if (nt == 0)
		return 0; /* leaks_analyze reports it */

	memset(&go, 0, sizeof(go));
	go.mean_index = -1;
	go.gran = s->o.gran;
	go.noinlines = s->o.noinlines;
	g = graph_new(p, &go);
	idx = xcalloc(nt, sizeof(int));
	for (k = 0; k < nt; k++)
		idx[k] = (int)k;
	flat = xreallocarray(NULL, g->nnodes + 1, nt * sizeof(int64_t));
	/* cum only for --cum: flat alone needs no walk of whole stacks */
	cum = s->o.cum ? xreallocarray(NULL, g->nnodes + 1, nt * sizeof(int64_t)) : NULL;
	graph_values(g, idx, nt, flat, cum);
	/* In node table order, as graph_accumulate lists them, so that a
	 * site named by several nodes sums them in the same order. */
	for (i = 0; i < g->nnodes && !s->o.by; i++) {
		const int64_t *val = s->o.cum ? &cum[i * nt] : &flat[i * nt];
		size_t e;
		bool any = false;

		for (k = 0; k < nt; k++)
			any |= val[k] != 0;
		if (!any)
			continue;
		e = entry_of(sn, &ent, site_id(s, g->nodes[i].pname, g->nodes[i].pname), &cap);
		for (k = 0; k < nt; k++)
			if (val[k] != 0) {
				sn->v[e * nt + k] += (double)val[k];
				sn->touched[e * nt + k] = 1;
			}
	}
	if (s->o.by || s->o.frames)
		heap_walk(s, sn, p, g, &ent, &cap);
	free(flat);
	free(cum);
	free(idx);
	graph_free(g);
	u64map_release(&ent);
	/* Heap sites in a library (bytes.growSlice, bufio.NewReaderSize)
	 * say little on their own: the analysis names their owner
	 * (owner.h) in the last snapshot.  Flat values only: a site is then
	 * the leaf of its samples.  Every sample type's sums are kept, as
	 * the type that ranks is decided at analysis time. */
	if (s->o.gran != GRAN_FILES && !s->o.cum)
		sn->callers = owner_map_new(p);
	return 0;
}

/* Goroutines: one site per matching key: the non-runtime function
 * names only.  Not the state (a goroutine may be runnable in one dump
 * and blocked in the next) nor the labels (a request id label would
 * make every leaked goroutine a group of one). */
static int add_goroutine(struct leaks_series *s, struct lsnap *sn, const struct profile *p)
{
	struct gdump d;
	struct u64map ent = U64MAP_INIT;
	size_t i, cap = 0;

	memset(&d, 0, sizeof(d));
	if ((s->o.by ? gdump_build_by(p, &d, s->o.by) : gdump_build(p, &d)) < 0) {
		err_prefix("'%s'", sn->name);
		return -1;
	}
	sn->ntypes = 1;
	sn->total = xcalloc(1, sizeof(int64_t));
	sn->total[0] = d.total;
	for (i = 0; i < d.ngroups; i++) {
		const struct ggroup *g = &d.groups[i];
		size_t before = sn->nent, f;
		uint32_t id = site_split(s, ggroup_match_key(g, false, false), g->name,
					 s->o.by ? (g->by ? g->by : intern(LEAKS_BY_NONE)) : NULL);
		size_t e = entry_of(sn, &ent, id, &cap);

		for (f = 0; s->o.frames && f < g->nframes; f++)
			if (!gframe_is_runtime(&g->frames[f]))
				site_frame(s, id, g->frames[f].func);

		if (sn->nent != before) {
			/* groups are sorted by count: the first one holding
			 * the site is its largest in this snapshot */
			sn->rep[e].name = g->name;
			sn->rep[e].blocks = g->blocks;
			sn->rep[e].created_by = g->created_by;
			sn->rep[e].entry = g->entry;
			sn->rep[e].labels = g->labels;
			group_owner(g, &sn->rep[e].owner);
			sn->wait[e] = -1;
			sn->has_wait[e] = false;
			sn->leaked[e] = 0;
		}
		sn->v[e] += (double)g->count;
		if (g->leaked)
			sn->leaked[e] += g->count;
		sn->touched[e] = 1;
		if (g->has_wait) {
			sn->has_wait[e] = true;
			if ((double)g->wait_max > sn->wait[e])
				sn->wait[e] = (double)g->wait_max;
		} else if (sn->wait[e] < 0) {
			sn->wait[e] = 0;
		}
	}
	gdump_release(&d);
	u64map_release(&ent);
	return 0;
}

int leaks_series_add(struct leaks_series *s, struct profile *p, const char *name)
{
	struct lsnap *sn;
	enum pf_kind kind;
	bool gor;
	int r = 0;

	if (filter_apply(p, &s->o.filter) < 0) {
		profile_free(p);
		return -1;
	}
	kind = profile_kind(p);
	gor = kind == PF_KIND_GOROUTINE || kind == PF_KIND_GOROUTINELEAK;
	if (s->n == 0)
		s->goroutine = gor;
	xgrow(&s->s, &s->cap, s->n + 1, sizeof(*s->s));
	sn = &s->s[s->n];
	memset(sn, 0, sizeof(*sn));
	sn->name = xstrdup(name);
	sn->arg = s->n;
	sn->goroutine = gor;
	sn->time_nanos = p->time_nanos;
	if (gor != s->goroutine)
		s->nother++;
	else {
		/* Sampled heap profiles: the number of sampled objects per
		 * record, as one more type (sampling.h) */
		if (!gor && p->period > 1 && strcmp(p->period_type.unit, "bytes") == 0 && sampling_add_type(p) < 0)
			err_clear();
		if (!gor)
			strip_allocator_frames(p);
		r = gor ? add_goroutine(s, sn, p) : add_heap(s, sn, p);
	}
	profile_free(p);
	if (r < 0) {
		if (gor != s->goroutine)
			s->nother--;
		lsnap_release(sn);
		return -1;
	}
	s->n++;
	s->ngor += kind == PF_KIND_GOROUTINE;
	s->nleak += kind == PF_KIND_GOROUTINELEAK;
	s->nheap += kind == PF_KIND_HEAP;
	keep_callers(s);
	return 0;
}

/* ---- analysis ---- */

/* The analysis' state: the snapshots in order and, per site of the
 * series, its index in the result (or -1). */
struct an {
	const struct leaks_series *s;
	const struct lsnap **sn; /* n, analysis order */
	size_t n;
	struct leaks_result *r;
	int *idx;                /* per type of r: nt * n indexes into each
				  * snapshot's types (type-major) */
};

static int cmp_time(const void *a, const void *b)
{
	const struct lsnap *x = *(const struct lsnap *const *)a, *y = *(const struct lsnap *const *)b;

	if (x->time_nanos != y->time_nanos)
		return x->time_nanos < y->time_nanos ? -1 : 1;
	return x->arg < y->arg ? -1 : x->arg > y->arg;
}

static const char *twin_name(const char *type)
{
	size_t n = strlen(type);
	struct buf b = BUF_INIT;
	const char *r = NULL;

	if (strcmp(type, "space") == 0) /* heap text with no alloc data */
		return intern("objects");
	if (strcmp(type, "objects") == 0)
		return intern("space");
	if (n > 6 && strcmp(type + n - 6, "_space") == 0)
		buf_printf(&b, "%.*s_objects", (int)(n - 6), type);
	else if (n > 8 && strcmp(type + n - 8, "_objects") == 0)
		buf_printf(&b, "%.*s_space", (int)(n - 8), type);
	if (b.data)
		r = intern(b.data);
	buf_release(&b);
	return r;
}

/* A Go heap text profile whose alloc numbers equal its inuse ones has
 * only "objects" and "space" (as pprof reads it), so a series may mix
 * them with inuse_objects / inuse_space: the same values. */
static int type_index(const struct profile *p, const char *name)
{
	static const char *const alias[][2] = {
		{ "inuse_space", "space" },     { "inuse_objects", "objects" },
		{ "alloc_space", "space" },     { "alloc_objects", "objects" },
		{ "space", "inuse_space" },     { "objects", "inuse_objects" },
	};
	size_t i;
	int k = profile_find_type(p, name);

	if (k >= 0)
		return k;
	for (i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (strcmp(name, alias[i][0]) == 0 && (k = profile_find_type(p, alias[i][1])) >= 0)
			return k;
	return profile_sample_index(p, name);
}

static int add_type(struct an *A, const char *name, bool shown)
{
	struct leaks_result *r = A->r;
	struct leaks_type *t;
	const struct profile *last = A->sn[A->n - 1]->hdr;
	size_t i;

	for (i = 0; i < r->nt; i++)
		if (strcmp(r->types[i].name, name) == 0) {
			r->types[i].shown |= shown;
			return (int)i;
		}
	r->types = xreallocarray(r->types, r->nt + 1, sizeof(*r->types));
	A->idx = xreallocarray(A->idx, r->nt + 1, A->n * sizeof(int));
	t = &r->types[r->nt];
	memset(t, 0, sizeof(*t));
	t->name = intern(name);
	t->shown = shown;
	t->companion = -1;
	t->total = xcalloc(A->n, sizeof(int64_t));
	r->nt++;
	for (i = 0; i < A->n; i++) {
		int k = type_index(A->sn[i]->hdr, name);
		if (k < 0) {
			err_prefix("'%s'", A->sn[i]->name);
			return -1;
		}
		A->idx[(r->nt - 1) * A->n + i] = k;
		t->total[i] = A->sn[i]->total[k];
	}
	/* name it as the last profile does ("inuse" is an alias) */
	i = (size_t)A->idx[(r->nt - 1) * A->n + A->n - 1];
	t->name = last->types[i].type;
	t->unit = last->types[i].unit;
	return (int)r->nt - 1;
}

/* Heap: the sample types and their twins, and the sampling rate. */
static int heap_types(struct an *A)
{
	struct leaks_result *r = A->r;
	const struct profile *p0 = A->sn[0]->hdr;
	const char *types = A->s->o.types;
	size_t i, k, n0;

	if (types) {
		char *list = xstrdup(types), *save = NULL, *tok;
		for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			if (add_type(A, tok, true) < 0) {
				free(list);
				return -1;
			}
		free(list);
	} else if (type_index(p0, "inuse_space") >= 0 && type_index(p0, "inuse_objects") >= 0) {
		if (add_type(A, "inuse_space", true) < 0 || add_type(A, "inuse_objects", true) < 0)
			return -1;
	} else if (add_type(A, "", true) < 0) {
		return -1;
	}
	if (r->nt == 0)
		return err_set("no sample type given");
	/* twins, for the sampling-noise estimate */
	for (i = 0, n0 = r->nt; i < n0; i++) {
		const char *tw = twin_name(r->types[i].name);
		if (tw && type_index(p0, tw) >= 0) {
			int c = add_type(A, tw, false);
			if (c < 0)
				return -1;
			r->types[i].companion = c;
		}
	}
	for (i = 0; i < r->nt; i++)
		if (r->types[i].companion < 0) {
			const char *tw = twin_name(r->types[i].name);
			for (k = 0; tw && k < r->nt; k++)
				if (r->types[k].name == tw)
					r->types[i].companion = (int)k;
		}
	/* the sampling period, when it is in bytes (Go heap profiles) */
	r->rate = strcmp(p0->period_type.unit, "bytes") == 0 && p0->period > 1 ? (double)p0->period : 0;
	for (i = 1; i < A->n; i++)
		if ((double)A->sn[i]->hdr->period != r->rate)
			r->rate = 0;
	for (i = 0; r->rate > 0 && i < A->n; i++)
		if (type_index(A->sn[i]->hdr, SAMPLING_TYPE) < 0)
			r->rate = 0;
	if (r->rate > 0 && (r->samples = add_type(A, SAMPLING_TYPE, false)) < 0)
		return -1;
	return 0;
}

/* The sites of the analysis and their values: a heap site exists when a
 * node of it had a non-zero value of one of the analysis' types in some
 * snapshot; a goroutine site when a group had it. */
static void fill_sites(struct an *A)
{
	const struct leaks_series *s = A->s;
	struct leaks_result *r = A->r;
	size_t n = A->n, nt = r->nt, i, j, k, e;
	int64_t *pos = xreallocarray(NULL, s->nsites + 1, sizeof(int64_t));

	for (i = 0; i < s->nsites; i++)
		pos[i] = -1;
	/* which sites exist, in order first seen in the series */
	for (j = 0; j < n; j++) {
		const struct lsnap *sn = A->sn[j];
		for (e = 0; e < sn->nent; e++)
			for (k = 0; k < nt && pos[sn->site[e]] < 0; k++)
				if (sn->touched[e * sn->ntypes + (size_t)A->idx[k * n + j]])
					pos[sn->site[e]] = 0;
	}
	for (i = 0; i < s->nsites; i++)
		if (pos[i] == 0)
			pos[i] = (int64_t)r->nsites++;
	r->sites = xcalloc(r->nsites + 1, sizeof(*r->sites));
	for (i = 0; i < s->nsites; i++) {
		struct leaks_site *st;
		if (pos[i] < 0)
			continue;
		st = &r->sites[pos[i]];
		st->key = s->sites[i].key;
		st->name = s->sites[i].name;
		st->by = s->sites[i].by;
		if (s->sites[i].nfr) {
			st->frames = xcalloc(s->sites[i].nfr, sizeof(*st->frames));
			memcpy(st->frames, s->sites[i].fr, s->sites[i].nfr * sizeof(*st->frames));
			st->nframes = s->sites[i].nfr;
		}
		st->v = xcalloc(nt * n, sizeof(double));
		if (r->goroutine) {
			st->wait = xcalloc(n, sizeof(double));
			for (j = 0; j < n; j++)
				st->wait[j] = -1;
		}
	}
	for (j = 0; j < n; j++) {
		const struct lsnap *sn = A->sn[j];
		for (e = 0; e < sn->nent; e++) {
			struct leaks_site *st;
			if (pos[sn->site[e]] < 0)
				continue;
			st = &r->sites[pos[sn->site[e]]];
			for (k = 0; k < nt; k++) {
				size_t c = e * sn->ntypes + (size_t)A->idx[k * n + j];
				if (sn->touched[c])
					st->v[k * n + j] = sn->v[c];
			}
			if (r->goroutine) {
				/* the latest snapshot holding the site represents it */
				st->name = sn->rep[e].name;
				st->blocks = sn->rep[e].blocks;
				st->created_by = sn->rep[e].created_by;
				st->entry = sn->rep[e].entry;
				st->labels = sn->rep[e].labels;
				st->owner = sn->rep[e].owner;
				if (j == n - 1)
					st->proven = sn->leaked[e];
				st->wait[j] = sn->wait[e];
				st->has_wait |= sn->has_wait[e];
			}
		}
	}
	free(pos);
}

/* Heap: each library site's owner in the last snapshot (owner.h), by
 * the first type. */
static void fill_callers(struct an *A)
{
	const struct lsnap *last = A->sn[A->n - 1];
	struct leaks_result *r = A->r;
	size_t si, i;
	char fn[512];

	if (!last->callers)
		return;
	si = (size_t)A->idx[A->n - 1]; /* the first type's, in the last snapshot */
	for (i = 0; i < r->nsites; i++) {
		struct leaks_site *st = &r->sites[i];
		owner_map_get(last->callers, owner_site_func(st->name, fn, sizeof(fn)), si, &st->owner);
		if (st->owner.func && st->owner.own)
			st->caller = st->owner.func;
	}
}

/* Heap: the MemStats series (see leaks_result). */
static void fill_memstats(struct an *A)
{
	struct leaks_result *r = A->r;
	size_t j;
	bool any = false;

	for (j = 0; j < A->n; j++)
		any |= A->sn[j]->ms.present;
	if (!any)
		return;
	r->memstats = xcalloc(A->n, sizeof(*r->memstats));
	r->inuse_total = xcalloc(A->n, sizeof(*r->inuse_total));
	r->stale = xcalloc(A->n, sizeof(*r->stale));
	for (j = 0; j < A->n; j++) {
		const struct lsnap *sn = A->sn[j];
		int k = type_index(sn->hdr, "inuse_space");
		if (k < 0)
			err_clear();
		r->memstats[j] = sn->ms;
		r->inuse_total[j] = k >= 0 ? sn->total[k] : -1;
		if (j > 0 && sn->ms.present && A->sn[j - 1]->ms.present && sn->ms.num_gc >= 0 &&
		    sn->ms.num_gc == A->sn[j - 1]->ms.num_gc) {
			r->stale[j] = true;
			r->nstale++;
		}
	}
}

/* Sampling noise (standard deviation) of a heap value: Go samples an
 * allocation of s bytes with probability p = 1 - exp(-s/rate) and
 * scales it by 1/p, so n objects of s bytes estimate n*s bytes with
 * variance n*s²*(1-p)/p (bytes) and n*(1-p)/p (objects).  s is the
 * site's mean object size (space / objects). */
static double noise_sd(const struct leaks_result *r, const struct leaks_site *s, size_t k, size_t j)
{
	const struct leaks_type *t = &r->types[k];
	double v = s->v[k * r->n + j], space, objects, size, p;
	bool is_space;

	if (r->rate <= 0 || t->companion < 0 || v <= 0)
		return 0;
	is_space = strcmp(t->unit, "bytes") == 0;
	space = is_space ? v : s->v[(size_t)t->companion * r->n + j];
	objects = is_space ? s->v[(size_t)t->companion * r->n + j] : v;
	if (space <= 0 || objects <= 0)
		return 0;
	size = space / objects;
	p = 1 - exp(-size / r->rate);
	if (p <= 0)
		return 0;
	return is_space ? sqrt(objects * size * size * (1 - p) / p) : sqrt(objects * (1 - p) / p);
}

static int parse_growth(const char *s, const char *unit, double *out)
{
	double v;
	const char *kind;

	if (units_parse_value(s, &v, &kind) < 0 || v < 0)
		return -1;
	if (*kind && strcmp(kind, "bytes") == 0 && strcmp(unit, "bytes") != 0)
		return -1;
	*out = v;
	return 0;
}

static int floors(const struct leaks_series *s, struct leaks_result *r)
{
	size_t i;

	for (i = 0; i < r->nt; i++) {
		double min = 0, pct;
		if (s->o.min_growth) {
			if (parse_growth(s->o.min_growth, r->types[i].unit, &min) < 0) {
				err_set("invalid value '%s' for --min-growth (a %s value)", s->o.min_growth,
					r->types[i].unit);
				return LEAKS_EMIN_GROWTH;
			}
			if (strcmp(r->types[i].unit, "bytes") != 0 && i != 0)
				min = 0; /* a byte floor means nothing to counts */
		} else if (r->goroutine) {
			min = 2; /* one more goroutine is no trend */
		} else if (strcmp(r->types[i].unit, "bytes") == 0) {
			/* A few pooled buffers, goroutine records and runtime
			 * structures come and go by tens of kB in any Go
			 * program; 1% of a toy program's heap (250 kB) is less
			 * than one of them. */
			min = LEAKS_MIN_GROWTH_BYTES;
		}
		pct = s->o.min_growth_pct / 100.0 * (double)r->types[i].total[r->n - 1];
		r->types[i].floor = pct > min ? pct : min;
	}
	return 0;
}

/* lazy: a site's sampling test only where a verdict reads it (see
 * leaks_analyze_verdicts); has_st then tells whether it ran. */
static void verdicts(struct leaks_result *r, bool lazy)
{
	int64_t *times = NULL;
	double *sd = xcalloc(r->n, sizeof(double));
	size_t i, j, k;

	if (r->by_time) {
		times = xcalloc(r->n, sizeof(int64_t));
		for (j = 0; j < r->n; j++)
			times[j] = r->snaps[j].time_nanos;
	}
	for (i = 0; i < r->nsites; i++) {
		struct leaks_site *s = &r->sites[i];
		bool need = r->samples >= 0 && !lazy;
		s->tr = xcalloc(r->nt, sizeof(*s->tr));
		s->verdict = xcalloc(r->nt, sizeof(*s->verdict));
		for (k = 0; k < r->nt; k++) {
			bool noisy = false;
			for (j = 0; j < r->n; j++) {
				sd[j] = noise_sd(r, s, k, j);
				noisy |= sd[j] > 0;
			}
			trend_compute(&s->v[k * r->n], times, noisy ? sd : NULL, r->n, &s->tr[k]);
			if (r->samples >= 0 && lazy)
				need |= sampling_needs_test(&s->tr[k], &r->rules, r->types[k].floor);
		}
		if (need) {
			int64_t *c = xcalloc(r->n, sizeof(int64_t));
			for (j = 0; j < r->n; j++)
				c[j] = llround(s->v[(size_t)r->samples * r->n + j]);
			sampling_test(c, r->n, &s->st);
			s->has_st = true;
			free(c);
		}
		for (k = 0; k < r->nt; k++) {
			/* without the test (lazy), no verdict reads s->st */
			if (r->samples >= 0)
				s->verdict[k] = sampling_verdict(&s->tr[k], &s->st, &r->rules, r->types[k].floor);
			else
				s->verdict[k] = trend_verdict(&s->tr[k], &r->rules, r->types[k].floor);
		}
		s->verdict0 = s->verdict[0];
	}
	free(sd);
	free(times);
}

/* Rank: suspects, then noisy, then flat; by fitted growth, growth, name
 * and key (a total order: keys are unique). */
static int cmp_site(const void *a, const void *b)
{
	const struct leaks_site *x = a, *y = b;
	int c;

	if ((x->proven > 0) != (y->proven > 0))
		return x->proven > 0 ? -1 : 1; /* proven leaks first */
	if (x->proven != y->proven)
		return x->proven > y->proven ? -1 : 1;
	if (x->verdict0 != y->verdict0)
		return x->verdict0 > y->verdict0 ? -1 : 1;
	if (x->tr[0].rise != y->tr[0].rise)
		return x->tr[0].rise > y->tr[0].rise ? -1 : 1;
	if (x->tr[0].growth != y->tr[0].growth)
		return x->tr[0].growth > y->tr[0].growth ? -1 : 1;
	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return strcmp(x->key, y->key);
}

static int analyze(const struct leaks_series *s, struct leaks_result *r, bool lazy)
{
	struct an A;
	size_t i, j;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	r->samples = -1;
	memset(&A, 0, sizeof(A));
	size_t ng = s->ngor + s->nleak;

	if (ng && ng != s->n)
		return err_set("snapshots of different kinds: %zu goroutine profile%s and %zu %s profile%s; give one kind",
			       ng, ng == 1 ? "" : "s", s->n - ng, s->nheap ? "heap" : "other", s->n - ng == 1 ? "" : "s");
	if (s->ngor && s->nleak)
		return err_set("snapshots of different kinds: %zu goroutine profile%s (all goroutines) and %zu "
			       "goroutineleak profile%s (only the leaked ones); give one kind",
			       s->ngor, s->ngor == 1 ? "" : "s", s->nleak, s->nleak == 1 ? "" : "s");
	if (s->n < 1 || (s->n < 2 && !s->goroutine))
		return err_set("give two or more snapshots");
	A.s = s;
	A.r = r;
	A.n = r->n = s->n;
	A.sn = xcalloc(s->n, sizeof(*A.sn));
	r->goroutine = s->goroutine;
	r->leakprof = s->nleak != 0;
	r->by_time = true;
	r->min_growth_pct = s->o.min_growth_pct;
	r->rules = s->o.rules;
	r->gran = s->o.gran;
	r->by = s->o.by;
	for (j = 0; j < s->n; j++) {
		A.sn[j] = &s->s[j];
		if (!s->s[j].time_nanos)
			r->by_time = false;
	}
	if (r->by_time) {
		qsort(A.sn, A.n, sizeof(*A.sn), cmp_time);
		/* Two snapshots taken at the same nanosecond are copies of
		 * one: a series of them says nothing (the same file twice
		 * under two names is refused by the CLI). */
		for (j = 1; s->o.refuse_copies && j < A.n; j++)
			if (A.sn[j]->time_nanos == A.sn[j - 1]->time_nanos) {
				time_t t = (time_t)(A.sn[j]->time_nanos / 1000000000);
				struct tm tm;
				char ts[48];
				gmtime_r(&t, &tm);
				strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
				err_set("'%s' and '%s' have the same profile time (%s.%09lldZ): copies of one snapshot? a "
					"series needs distinct snapshots",
					A.sn[j - 1]->name, A.sn[j]->name, ts, (long long)(A.sn[j]->time_nanos % 1000000000));
				free(A.sn);
				memset(r, 0, sizeof(*r));
				return -1;
			}
	}
	r->snaps = xcalloc(A.n, sizeof(*r->snaps));
	for (j = 0; j < A.n; j++) {
		r->snaps[j].name = A.sn[j]->name;
		r->snaps[j].time_nanos = A.sn[j]->time_nanos;
	}
	if (r->goroutine) {
		struct leaks_type *t = r->types = xcalloc(1, sizeof(*r->types));
		r->nt = 1;
		t->name = intern("goroutine");
		t->unit = intern("count");
		t->companion = -1;
		t->shown = true;
		t->total = xcalloc(A.n, sizeof(int64_t));
		A.idx = xcalloc(A.n, sizeof(int));
		for (j = 0; j < A.n; j++)
			t->total[j] = A.sn[j]->total[0];
	} else if (heap_types(&A) < 0) {
		goto fail;
	}
	fill_sites(&A);
	if (!r->goroutine) {
		fill_callers(&A);
		fill_memstats(&A);
	}
	if ((rc = floors(s, r)) < 0)
		goto fail;
	verdicts(r, lazy);
	if (r->nsites)
		qsort(r->sites, r->nsites, sizeof(*r->sites), cmp_site);
	for (i = 0; i < r->nsites; i++) {
		if (r->sites[i].proven)
			r->nproven++;
		if (r->sites[i].verdict0 == VERDICT_GROWING || r->sites[i].proven)
			r->nsuspects++;
		else if (r->sites[i].verdict0 == VERDICT_NOISY)
			r->nnoisy++;
	}
	free(A.sn);
	free(A.idx);
	return 0;
fail:
	free(A.sn);
	free(A.idx);
	leaks_result_release(r);
	return rc < 0 ? rc : -1;
}

int leaks_analyze(const struct leaks_series *s, struct leaks_result *r)
{
	return analyze(s, r, false);
}

int leaks_analyze_verdicts(const struct leaks_series *s, struct leaks_result *r)
{
	return analyze(s, r, true);
}

void leaks_result_release(struct leaks_result *r)
{
	size_t i;

	for (i = 0; i < r->nsites; i++) {
		free(r->sites[i].v);
		free(r->sites[i].tr);
		free(r->sites[i].verdict);
		free(r->sites[i].wait);
		free(r->sites[i].frames);
	}
	free(r->sites);
	for (i = 0; i < r->nt; i++)
		free(r->types[i].total);
	free(r->types);
	free(r->snaps);
	free(r->memstats);
	free(r->inuse_total);
	free(r->stale);
	memset(r, 0, sizeof(*r));
}

const char *leaks_site_name(const struct leaks_result *r, const struct leaks_site *s, char *buf, size_t n)
{
	if (r->by && s->by)
		snprintf(buf, n, "%s {%s=%s}", s->name, r->by, s->by);
	else
		snprintf(buf, n, "%s", s->name);
	return buf;
}
