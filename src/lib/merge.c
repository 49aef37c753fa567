/* merge: pprof's profile.Merge, preceded by measurement.ScaleProfiles as
 * pprof's driver does (combineProfiles).
 *
 * - Sample types must agree in number and be compatible (same type up to
 *   a trailing 's', units of one kind); values are scaled to the finest
 *   unit of each type, as ScaleProfiles does, before merging.
 * - Functions, mappings and locations are deduplicated by pprof's keys
 *   (functionKey, mappingKey with the size rounded to 4 KiB,
 *   locationKey with the address relative to its mapping).
 * - Samples with the same locations and labels are summed; samples whose
 *   values are all zero are dropped, and when a sum cancels out, the
 *   result is merged again to drop it and what only it referenced.
 * - Headers: time is the first profile's, replaced by any smaller one
 *   (pprof's rule, which can pick 0), durations add up, the period is
 *   the largest, comments are kept once each in order, the default
 *   sample type is the first one set, drop/keep frames the first's. */
#include "merge.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hash.h"
#include "strtab.h"
#include "units.h"
#include "xalloc.h"

/* An open-addressing set of element indexes with their hashes; equality
 * is decided by a callback, so one table serves every key kind.  Index
 * and hash share a slot, so a probe is one cache miss (the sample set of
 * a 2M-sample diff is far bigger than the caches). */
struct idxent {
	uint64_t hash;
	uint32_t idx; /* element index + 1; 0 = empty */
};

struct idxset {
	struct idxent *e;
	size_t cap, len;
};

typedef int (*eq_fn)(const void *ctx, uint32_t idx);

static void idxset_release(struct idxset *s)
{
	free(s->e);
	memset(s, 0, sizeof(*s));
}

static void idxset_resize(struct idxset *s, size_t ncap)
{
	struct idxent *ne = xcalloc(ncap, sizeof(*ne));
	size_t i;

	for (i = 0; i < s->cap; i++) {
		size_t j;
		if (!s->e[i].idx)
			continue;
		for (j = s->e[i].hash & (ncap - 1); ne[j].idx; j = (j + 1) & (ncap - 1))
			;
		ne[j] = s->e[i];
	}
	free(s->e);
	s->e = ne;
	s->cap = ncap;
}

/* Room for n elements without regrowing. */
static void idxset_reserve(struct idxset *s, size_t n)
{
	size_t cap = s->cap ? s->cap : 64;

	while ((n + 1) * 4 > cap * 3)
		cap *= 2;
	if (cap != s->cap)
		idxset_resize(s, cap);
}

/* Find an element equal to the key described by (h, eq, ctx); returns
 * its index, or PF_NONE. */
static uint32_t idxset_find(const struct idxset *s, uint64_t h, eq_fn eq, const void *ctx)
{
	size_t j;

	if (!s->cap)
		return PF_NONE;
	for (j = h & (s->cap - 1); s->e[j].idx; j = (j + 1) & (s->cap - 1))
		if (s->e[j].hash == h && eq(ctx, s->e[j].idx - 1))
			return s->e[j].idx - 1;
	return PF_NONE;
}

static void idxset_add(struct idxset *s, uint64_t h, uint32_t idx)
{
	size_t j;

	if ((s->len + 1) * 4 > s->cap * 3)
		idxset_resize(s, s->cap ? s->cap * 2 : 64);
	for (j = h & (s->cap - 1); s->e[j].idx; j = (j + 1) & (s->cap - 1))
		;
	s->e[j].idx = idx + 1;
	s->e[j].hash = h;
	s->len++;
}

static uint64_t hash_ptr(uint64_t h, const void *p)
{
	return hash_combine(h, (uint64_t)(uintptr_t)p);
}

/* ---- the merger ---- */

struct mapinfo {
	uint32_t m;     /* merged mapping index, or PF_NONE */
	int64_t offset; /* merged start - source start */
};

struct merger {
	struct profile *p;
	struct idxset functions, mappings, locations, samples;
	/* per source profile: source index -> merged (PF_NONE = not yet) */
	uint32_t *fmap, *lmap;
	struct mapinfo *mmap;
	unsigned char *mmap_done;
};

/* functionKey: start line, name, system name, file name. */
struct fkey {
	const struct profile *p;
	const struct pf_function *f;
};

static int feq(const void *ctx, uint32_t idx)
{
	const struct fkey *k = ctx;
	const struct pf_function *g = &k->p->functions[idx];
	return g->start_line == k->f->start_line && g->name == k->f->name && g->system_name == k->f->system_name &&
	       g->filename == k->f->filename;
}

static uint32_t map_function(struct merger *mg, const struct profile *src, uint32_t fi)
{
	const struct pf_function *f;
	struct fkey k;
	uint64_t h;
	uint32_t r;

	if (fi == PF_NONE)
		return PF_NONE;
	if (mg->fmap[fi] != PF_NONE)
		return mg->fmap[fi];
	f = &src->functions[fi];
	h = hash_combine(hash_ptr(hash_ptr(hash_ptr(0, f->name), f->system_name), f->filename),
			 (uint64_t)f->start_line);
	k.p = mg->p;
	k.f = f;
	r = idxset_find(&mg->functions, h, feq, &k);
	if (r == PF_NONE) {
		r = profile_add_function(mg->p, f->name, f->system_name, f->filename, f->start_line);
		idxset_add(&mg->functions, h, r);
	}
	mg->fmap[fi] = r;
	return r;
}

/* mappingKey: size rounded up to 4 KiB, offset, build id or else file. */
struct mkey {
	const struct profile *p;
	uint64_t size, offset;
	const char *id;
};

static void mapping_key(const struct pf_mapping *m, struct mkey *k)
{
	uint64_t size = m->limit - m->start;

	size = size + 0x1000 - 1;
	size -= size % 0x1000;
	k->size = size;
	k->offset = m->offset;
	k->id = *m->build_id ? m->build_id : *m->file ? m->file : intern_empty();
}

static int meq(const void *ctx, uint32_t idx)
{
	const struct mkey *k = ctx;
	struct mkey o;

	mapping_key(&k->p->mappings[idx], &o);
	return o.size == k->size && o.offset == k->offset && o.id == k->id;
}

static struct mapinfo map_mapping(struct merger *mg, const struct profile *src, uint32_t mi)
{
	struct mapinfo r = { PF_NONE, 0 };
	const struct pf_mapping *m;
	struct mkey k;
	uint64_t h;
	uint32_t idx;

	if (mi == PF_NONE)
		return r;
	if (mg->mmap_done[mi])
		return mg->mmap[mi];
	m = &src->mappings[mi];
	mapping_key(m, &k);
	k.p = mg->p;
	h = hash_ptr(hash_combine(hash_mix(k.size), k.offset), k.id);
	idx = idxset_find(&mg->mappings, h, meq, &k);
	if (idx != PF_NONE) {
		r.m = idx;
		r.offset = (int64_t)mg->p->mappings[idx].start - (int64_t)m->start;
	} else {
		struct pf_mapping nm = *m;
		nm.id = 0; /* profile_add_mapping numbers it */
		r.m = profile_add_mapping(mg->p, &nm);
		idxset_add(&mg->mappings, h, r.m);
	}
	mg->mmap[mi] = r;
	mg->mmap_done[mi] = 1;
	return r;
}

/* locationKey: address relative to the mapping start, mapping id,
 * (function id, line) of each line, folded flag. */
struct lkey {
	const struct profile *p;
	uint64_t addr;
	uint32_t mapping;
	const struct pf_line *lines;
	size_t nlines;
	bool folded;
};

static int leq(const void *ctx, uint32_t idx)
{
	const struct lkey *k = ctx;
	const struct pf_location *l = &k->p->locations[idx];
	uint64_t addr = l->address;
	size_t i;

	if (l->mapping != PF_NONE)
		addr -= k->p->mappings[l->mapping].start;
	if (addr != k->addr || l->mapping != k->mapping || l->is_folded != k->folded || l->nlines != k->nlines)
		return 0;
	for (i = 0; i < k->nlines; i++) {
		const struct pf_line *a = &k->p->lines[l->line_start + i], *b = &k->lines[i];
		if (a->function != b->function || a->line != b->line)
			return 0;
	}
	return 1;
}

static uint32_t map_location(struct merger *mg, const struct profile *src, uint32_t li)
{
	const struct pf_location *l = &src->locations[li];
	struct mapinfo mi;
	struct lkey k;
	struct pf_line *lines;
	uint64_t h;
	uint32_t r;
	size_t i;

	if (mg->lmap[li] != PF_NONE)
		return mg->lmap[li];
	mi = map_mapping(mg, src, l->mapping);
	lines = xreallocarray(NULL, l->nlines ? l->nlines : 1, sizeof(*lines));
	for (i = 0; i < l->nlines; i++) {
		lines[i] = src->lines[l->line_start + i];
		lines[i].function = map_function(mg, src, lines[i].function);
	}
	memset(&k, 0, sizeof(k));
	k.p = mg->p;
	k.addr = (uint64_t)((int64_t)l->address + mi.offset);
	if (mi.m != PF_NONE)
		k.addr -= mg->p->mappings[mi.m].start;
	k.mapping = mi.m;
	k.lines = lines;
	k.nlines = l->nlines;
	k.folded = l->is_folded;
	h = hash_combine(hash_combine(hash_mix(k.addr), k.mapping), k.folded);
	for (i = 0; i < k.nlines; i++)
		h = hash_combine(hash_combine(h, lines[i].function), (uint64_t)lines[i].line);
	r = idxset_find(&mg->locations, h, leq, &k);
	if (r == PF_NONE) {
		r = profile_add_location(mg->p, mi.m, (uint64_t)((int64_t)l->address + mi.offset), lines, l->nlines);
		mg->p->locations[r].is_folded = l->is_folded;
		idxset_add(&mg->locations, h, r);
	}
	free(lines);
	mg->lmap[li] = r;
	return r;
}

/* Labels in a canonical order: string labels before numeric ones, by
 * key; values of one key keep their order (as in pprof's label maps,
 * whose key is order-free but whose value lists are ordered). */
static int label_cmp(const struct pf_label *a, const struct pf_label *b)
{
	int an = a->str == NULL, bn = b->str == NULL;

	if (an != bn)
		return an - bn;
	return strcmp(a->key, b->key);
}

static void canonical_labels(struct pf_label *ls, size_t n)
{
	size_t i, j;

	/* insertion sort: stable, and label lists are short */
	for (i = 1; i < n; i++) {
		struct pf_label t = ls[i];
		for (j = i; j > 0 && label_cmp(&ls[j - 1], &t) > 0; j--)
			ls[j] = ls[j - 1];
		ls[j] = t;
	}
}

struct skey {
	const struct profile *p;
	const uint32_t *locs;
	size_t nlocs;
	const struct pf_label *labels;
	size_t nlabels;
};

static int label_eq(const struct pf_label *a, const struct pf_label *b)
{
	if (a->key != b->key || (a->str == NULL) != (b->str == NULL))
		return 0;
	if (a->str)
		return a->str == b->str;
	return a->num == b->num && a->unit == b->unit;
}

static int seq(const void *ctx, uint32_t idx)
{
	const struct skey *k = ctx;
	const struct pf_sample *s = &k->p->samples[idx];
	size_t i;

	if (s->nlocs != k->nlocs || s->nlabels != k->nlabels)
		return 0;
	if (k->nlocs && memcmp(pf_stack(k->p, s), k->locs, k->nlocs * sizeof(*k->locs)) != 0)
		return 0;
	for (i = 0; i < k->nlabels; i++)
		if (!label_eq(&k->p->labels[s->label_start + i], &k->labels[i]))
			return 0;
	return 1;
}

/* Samples are merged in batches: first every sample's key (its mapped
 * stack and canonical labels) and hash, with a prefetch of its slot in
 * the sample set, then the lookups, in order.  With a million samples
 * the set is far bigger than the caches, and one miss at a time was
 * most of a diff's time. */
#define SAMPLE_BATCH 16

struct pending {
	size_t si;
	const int64_t *vals; /* ntypes values (owned by the batch when scaled) */
	size_t stack_off, nlocs, label_off, nlabels;
	uint64_t h;
};

struct batch {
	struct pending s[SAMPLE_BATCH];
	size_t n;
	uint32_t *stack; /* every pending sample's mapped stack */
	size_t nstack, cap_stack;
	struct pf_label *labels;
	size_t nlabels, cap_labels;
	int64_t *vals; /* scaled values, SAMPLE_BATCH * ntypes */
};

static void batch_key(struct merger *mg, struct batch *bt, const struct profile *src, size_t si, const int64_t *vals)
{
	const struct pf_sample *s = &src->samples[si];
	struct pending *pd = &bt->s[bt->n++];
	struct pf_label *ls;
	uint32_t *stk;
	uint64_t h = 0;
	size_t i;

	xgrow(&bt->stack, &bt->cap_stack, bt->nstack + s->nlocs + 1, sizeof(*bt->stack));
	xgrow(&bt->labels, &bt->cap_labels, bt->nlabels + s->nlabels + 1, sizeof(*bt->labels));
	pd->si = si;
	pd->vals = vals;
	pd->stack_off = bt->nstack;
	pd->nlocs = s->nlocs;
	pd->label_off = bt->nlabels;
	pd->nlabels = s->nlabels;
	stk = bt->stack + bt->nstack;
	{
		/* The stack's hash: two mapped ids per multiply, mixed once
		 * at the end (a splitmix round per frame was an eighth of a
		 * merge's instructions on the deep bench profile).  Only the
		 * lookups depend on it, not the merged profile. */
		const uint32_t *in = pf_stack(src, s);
		const uint32_t *lmap = mg->lmap;
		size_t nl = s->nlocs;
		uint64_t w;

		for (i = 0; i < nl; i++) {
			uint32_t r = lmap[in[i]];
			stk[i] = r != PF_NONE ? r : map_location(mg, src, in[i]);
		}
		h = nl;
		for (i = 0; i + 1 < nl; i += 2) {
			w = (uint64_t)stk[i] << 32 | stk[i + 1];
			h = (((h << 5) | (h >> 59)) ^ w) * 0x517cc1b727220a95ULL;
		}
		if (i < nl)
			h = (((h << 5) | (h >> 59)) ^ stk[i]) * 0x517cc1b727220a95ULL;
		h = hash_mix(h);
	}
	bt->nstack += s->nlocs;
	ls = bt->labels + bt->nlabels;
	if (s->nlabels)
		memcpy(ls, src->labels + s->label_start, s->nlabels * sizeof(*ls));
	canonical_labels(ls, s->nlabels);
	for (i = 0; i < s->nlabels; i++) {
		const struct pf_label *l = &ls[i];
		h = hash_ptr(h, l->key);
		if (l->str)
			h = hash_ptr(h, l->str);
		else
			h = hash_ptr(hash_combine(h, (uint64_t)l->num), l->unit);
	}
	bt->nlabels += s->nlabels;
	pd->h = h;
	if (mg->samples.cap)
		__builtin_prefetch(&mg->samples.e[h & (mg->samples.cap - 1)]);
}

static void batch_flush(struct merger *mg, struct batch *bt)
{
	size_t b, i;

	for (b = 0; b < bt->n; b++) {
		const struct pending *pd = &bt->s[b];
		struct skey k;
		uint32_t r;

		k.p = mg->p;
		k.locs = bt->stack + pd->stack_off;
		k.nlocs = pd->nlocs;
		k.labels = bt->labels + pd->label_off;
		k.nlabels = pd->nlabels;
		r = idxset_find(&mg->samples, pd->h, seq, &k);
		if (r != PF_NONE) {
			int64_t *dst = pf_values(mg->p, r);
			for (i = 0; i < mg->p->ntypes; i++)
				dst[i] = sat_add(dst[i], pd->vals[i]);
			continue;
		}
		r = profile_add_sample(mg->p, k.locs, k.nlocs, pd->vals, k.labels, k.nlabels);
		idxset_add(&mg->samples, pd->h, r);
	}
	bt->n = bt->nstack = bt->nlabels = 0;
}

/* CommonValueType: the finest of compatible types. */
static int common_type(struct profile *const *ps, size_t n, int idx, struct pf_valtype *out)
{
	struct pf_valtype min = idx < 0 ? ps[0]->period_type : ps[0]->types[idx];
	size_t j;

	for (j = 1; j < n; j++) {
		struct pf_valtype t = idx < 0 ? ps[j]->period_type : ps[j]->types[idx];
		const char *u;
		if (!units_compatible(min.type, min.unit, t.type, t.unit))
			return err_set("cannot merge profiles: incompatible %s types %s/%s and %s/%s",
				       idx < 0 ? "period" : "sample", min.type, min.unit, t.type, t.unit);
		if (units_scale(1, t.unit, min.unit, &u) < 1)
			min = t;
	}
	*out = min;
	return 0;
}

static bool sample_is_zero(const int64_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] != 0)
			return false;
	return true;
}

/* Free the samples of an input that has been merged (profile_merge_consume);
 * its header, types and tables stay, so profile_free still works. */
static void drop_samples(struct profile *const *ps, size_t n, size_t j)
{
	struct profile *s = ps[j];
	size_t k;

	for (k = j + 1; k < n; k++)
		if (ps[k] == s)
			return; /* merged again later */
	free(s->samples);
	free(s->stacks);
	free(s->values);
	free(s->labels);
	s->samples = NULL;
	s->stacks = NULL;
	s->labels = NULL;
	s->values = xcalloc(1, sizeof(*s->values)); /* never NULL (profile_new) */
	s->nsamples = s->nstacks = s->nlabels = 0;
	s->cap_samples = s->cap_stacks = s->cap_labels = 0;
	s->cap_values = 1;
}

static struct profile *merge(struct profile *const *ps, size_t n, bool consume);

/* Whether the first input can be merged in place, its arrays becoming
 * the merged profile's: it is consumed, not merged again later, and each
 * sample's stack and labels start at or after the end of all earlier
 * samples' (the decoder's layout), so the merged sample, stack, values
 * and labels written for a sample never reach what a later sample has
 * yet to be read from (one output sample at most per input sample, in
 * order; a batch's keys are copied before any of it is written).  The
 * merged profile then takes no fresh pages for what the first input
 * held: page zeroing was most of profile_add_sample's time. */
static bool merge_in_place(struct profile *const *ps, size_t n, bool consume)
{
	const struct profile *s = ps[0];
	uint64_t locs = 0, labels = 0;
	size_t i;

	if (!consume || s->nsamples == 0)
		return false;
	for (i = 1; i < n; i++)
		if (ps[i] == s)
			return false;
	for (i = 0; i < s->nsamples; i++) {
		const struct pf_sample *x = &s->samples[i];
		if (x->loc_start < locs || x->label_start < labels)
			return false;
		locs += x->nlocs;
		labels += x->nlabels;
	}
	return true;
}

struct profile *profile_merge(struct profile *const *ps, size_t n)
{
	return merge(ps, n, false);
}

struct profile *profile_merge_consume(struct profile *const *ps, size_t n)
{
	return merge(ps, n, true);
}

static struct profile *merge(struct profile *const *ps, size_t n, bool consume)
{
	struct merger mg;
	struct batch bt;
	struct profile *p;
	struct pf_valtype *types = NULL, ptype;
	double *ratios = NULL;
	const char *dflt = NULL;
	size_t i, j, t, ntypes;
	int64_t time_nanos = 0, duration = 0, period = 0;
	bool in_place;

	if (n == 0) {
		err_set("no profiles to merge");
		return NULL;
	}
	ntypes = ps[0]->ntypes;
	for (j = 1; j < n; j++)
		if (ps[j]->ntypes != ntypes) {
			err_set("cannot merge profiles: inconsistent sample type counts %zu and %zu", ntypes,
				ps[j]->ntypes);
			return NULL;
		}
	/* ScaleProfiles: the common (finest) unit of each type. */
	types = xreallocarray(NULL, ntypes + 1, sizeof(*types));
	ptype = ps[0]->period_type;
	if (n > 1 && common_type(ps, n, -1, &ptype) < 0)
		goto fail;
	for (t = 0; t < ntypes; t++) {
		types[t] = ps[0]->types[t];
		if (n > 1 && common_type(ps, n, (int)t, &types[t]) < 0)
			goto fail;
	}
	/* Merge's compatible(): after scaling, types must be equal. */
	for (j = 1; j < n; j++) {
		if (ps[j]->period_type.type != ptype.type) {
			err_set("cannot merge profiles: incompatible period types %s and %s", ptype.type,
				ps[j]->period_type.type);
			goto fail;
		}
		for (t = 0; t < ntypes; t++)
			if (ps[j]->types[t].type != types[t].type) {
				err_set("cannot merge profiles: incompatible sample types %s and %s", types[t].type,
					ps[j]->types[t].type);
				goto fail;
			}
	}

	p = profile_new();
	p->format = n == 1 ? ps[0]->format : PF_FORMAT_MERGED;
	profile_set_types(p, types, ntypes);
	p->period_type = ptype;
	p->drop_frames = ps[0]->drop_frames;
	p->keep_frames = ps[0]->keep_frames;
	p->doc_url = ps[0]->doc_url;
	for (j = 0; j < n; j++) {
		const struct profile *s = ps[j];
		int64_t per = s->period;
		const char *u;

		if (time_nanos == 0 || s->time_nanos < time_nanos)
			time_nanos = s->time_nanos;
		duration = sat_add(duration, s->duration_nanos);
		if (n > 1)
			per = (int64_t)units_scale(s->period, s->period_type.unit, ptype.unit, &u);
		if (period == 0 || period < per)
			period = per;
		for (i = 0; i < s->ncomments; i++) {
			size_t c;
			for (c = 0; c < p->ncomments && p->comments[c] != s->comments[i]; c++)
				;
			if (c == p->ncomments)
				profile_add_comment(p, s->comments[i]);
		}
		if (!dflt && s->default_type >= 0 && *s->types[s->default_type].type)
			dflt = s->types[s->default_type].type;
	}
	p->time_nanos = time_nanos;
	p->duration_nanos = duration;
	p->period = period;
	if (dflt)
		for (t = 0; t < ntypes; t++)
			if (types[t].type == dflt) {
				p->default_type = (int)t;
				break;
			}

	memset(&mg, 0, sizeof(mg));
	mg.p = p;
	in_place = merge_in_place(ps, n, consume);
	{
		/* Room for every sample up front: no regrowth, no rehash. */
		size_t ns = 0, nst = 0, nl = 0;
		for (j = 0; j < n; j++) {
			ns += ps[j]->nsamples;
			nst += ps[j]->nstacks;
			nl += ps[j]->nlabels;
		}
		idxset_reserve(&mg.samples, ns);
		if (in_place) {
			struct profile *s0 = ps[0];
			xgrow(&s0->samples, &s0->cap_samples, ns + 1, sizeof(*s0->samples));
			xgrow(&s0->stacks, &s0->cap_stacks, nst + 1, sizeof(*s0->stacks));
			xgrow(&s0->values, &s0->cap_values, (ns + 1) * (ntypes ? ntypes : 1), sizeof(*s0->values));
			xgrow(&s0->labels, &s0->cap_labels, nl + 1, sizeof(*s0->labels));
			free(p->samples);
			free(p->stacks);
			free(p->values);
			free(p->labels);
			p->samples = s0->samples;
			p->cap_samples = s0->cap_samples;
			p->stacks = s0->stacks;
			p->cap_stacks = s0->cap_stacks;
			p->values = s0->values;
			p->cap_values = s0->cap_values;
			p->labels = s0->labels;
			p->cap_labels = s0->cap_labels;
		}
		xgrow(&p->samples, &p->cap_samples, ns + 1, sizeof(*p->samples));
		xgrow(&p->stacks, &p->cap_stacks, nst + 1, sizeof(*p->stacks));
		xgrow(&p->values, &p->cap_values, (ns + 1) * (ntypes ? ntypes : 1), sizeof(*p->values));
		xgrow(&p->labels, &p->cap_labels, nl + 1, sizeof(*p->labels));
	}
	ratios = xreallocarray(NULL, ntypes + 1, sizeof(*ratios));
	memset(&bt, 0, sizeof(bt));
	bt.vals = xreallocarray(NULL, SAMPLE_BATCH * (ntypes + 1), sizeof(*bt.vals));
	for (j = 0; j < n; j++) {
		const struct profile *s = ps[j];
		bool all_ones = true;

		for (t = 0; t < ntypes; t++) {
			const char *u;
			ratios[t] = n > 1 ? units_scale(1, s->types[t].unit, types[t].unit, &u) : 1;
			if (ratios[t] != 1)
				all_ones = false;
		}
		mg.fmap = xreallocarray(NULL, s->nfunctions + 1, sizeof(*mg.fmap));
		mg.lmap = xreallocarray(NULL, s->nlocations + 1, sizeof(*mg.lmap));
		mg.mmap = xreallocarray(NULL, s->nmappings + 1, sizeof(*mg.mmap));
		mg.mmap_done = xcalloc(s->nmappings + 1, 1);
		memset(mg.fmap, 0xff, (s->nfunctions + 1) * sizeof(*mg.fmap));
		memset(mg.lmap, 0xff, (s->nlocations + 1) * sizeof(*mg.lmap));
		/* The first mapping stands for the main binary: keep it first. */
		if (p->nmappings == 0 && s->nmappings > 0)
			map_mapping(&mg, s, 0);
		for (i = 0; i < s->nsamples; i++) {
			const int64_t *sv = pf_values(s, i);
			int64_t *vals = bt.vals + bt.n * (ntypes + 1);
			if (!all_ones) {
				/* ScaleN: a sample is kept when a scaled value is non-zero */
				bool keep = false;
				for (t = 0; t < ntypes; t++) {
					vals[t] = sv[t];
					if (ratios[t] != 1) {
						vals[t] = (int64_t)llround((double)sv[t] * ratios[t]);
						keep = keep || vals[t] != 0;
					}
				}
				if (!keep)
					continue;
				sv = vals;
			}
			if (!sample_is_zero(sv, ntypes)) {
				batch_key(&mg, &bt, s, i, sv);
				if (bt.n == SAMPLE_BATCH)
					batch_flush(&mg, &bt);
			}
		}
		batch_flush(&mg, &bt);
		if (in_place && j == 0) {
			/* the merged profile owns the arrays now */
			struct profile *s0 = ps[0];
			s0->samples = NULL;
			s0->stacks = NULL;
			s0->labels = NULL;
			s0->values = xcalloc(1, sizeof(*s0->values)); /* never NULL (profile_new) */
			s0->nsamples = s0->nstacks = s0->nlabels = 0;
			s0->cap_samples = s0->cap_stacks = s0->cap_labels = 0;
			s0->cap_values = 1;
		} else if (consume) {
			drop_samples(ps, n, j);
		}
		free(mg.fmap);
		free(mg.lmap);
		free(mg.mmap);
		free(mg.mmap_done);
	}
	idxset_release(&mg.functions);
	idxset_release(&mg.mappings);
	idxset_release(&mg.locations);
	idxset_release(&mg.samples);
	free(bt.stack);
	free(bt.labels);
	free(bt.vals);
	free(types);
	free(ratios);
	for (i = 0; i < p->nsamples; i++)
		if (sample_is_zero(pf_values(p, i), ntypes)) {
			/* Sums that cancelled: merge again to drop them and what
			 * only they referenced, as pprof does. */
			struct profile *q = profile_merge(&p, 1);
			q->format = p->format;
			profile_free(p);
			return q;
		}
	return p;
fail:
	free(types);
	return NULL;
}
