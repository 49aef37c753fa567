#include "profile.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "hash.h"
#include "strtab.h"
#include "xalloc.h"

struct profile *profile_new(void)
{
	struct profile *p = xcalloc(1, sizeof(*p));
	const char *e = intern_empty();

	p->default_type = -1;
	p->period_type.type = p->period_type.unit = e;
	p->drop_frames = p->keep_frames = p->doc_url = e;
	/* Never NULL, even while empty: `p->labels + start` on a profile
	 * without labels would be NULL + 0, undefined in C (found by
	 * fuzzing).  The arrays only grow from here. */
	xgrow(&p->functions, &p->cap_functions, 1, sizeof(*p->functions));
	xgrow(&p->mappings, &p->cap_mappings, 1, sizeof(*p->mappings));
	xgrow(&p->locations, &p->cap_locations, 1, sizeof(*p->locations));
	xgrow(&p->lines, &p->cap_lines, 1, sizeof(*p->lines));
	xgrow(&p->samples, &p->cap_samples, 1, sizeof(*p->samples));
	xgrow(&p->stacks, &p->cap_stacks, 1, sizeof(*p->stacks));
	xgrow(&p->values, &p->cap_values, 1, sizeof(*p->values));
	xgrow(&p->labels, &p->cap_labels, 1, sizeof(*p->labels));
	return p;
}

void profile_free(struct profile *p)
{
	if (!p)
		return;
	free(p->types);
	free(p->comments);
	free(p->functions);
	free(p->mappings);
	free(p->locations);
	free(p->lines);
	free(p->samples);
	free(p->stacks);
	free(p->values);
	free(p->labels);
	free(p->unfiltered_totals);
	free(p);
}

void profile_set_types(struct profile *p, const struct pf_valtype *types, size_t n)
{
	free(p->types);
	p->types = xreallocarray(NULL, n ? n : 1, sizeof(*types));
	if (n)
		memcpy(p->types, types, n * sizeof(*types));
	p->ntypes = n;
}

static uint32_t check_index(size_t n)
{
	if (n >= PF_NONE) {
		/* 4 billion elements cannot come from a file under the size
		 * cap; treat it like running out of memory. */
		xmalloc(SIZE_MAX);
	}
	return (uint32_t)n;
}

uint32_t profile_add_function(struct profile *p, const char *name, const char *system_name,
			      const char *filename, int64_t start_line)
{
	uint32_t i = check_index(p->nfunctions);
	struct pf_function *f;

	xgrow(&p->functions, &p->cap_functions, p->nfunctions + 1, sizeof(*f));
	f = &p->functions[p->nfunctions++];
	f->id = (uint64_t)i + 1;
	f->name = name;
	f->system_name = system_name;
	f->filename = filename;
	f->start_line = start_line;
	return i;
}

uint32_t profile_add_mapping(struct profile *p, const struct pf_mapping *m)
{
	uint32_t i = check_index(p->nmappings);

	xgrow(&p->mappings, &p->cap_mappings, p->nmappings + 1, sizeof(*m));
	p->mappings[p->nmappings] = *m;
	if (!m->id)
		p->mappings[p->nmappings].id = (uint64_t)i + 1;
	p->nmappings++;
	return i;
}

uint32_t profile_add_location(struct profile *p, uint32_t mapping, uint64_t address,
			      const struct pf_line *lines, size_t nlines)
{
	uint32_t i = check_index(p->nlocations);
	struct pf_location *l;

	check_index(p->nlines + nlines);
	xgrow(&p->locations, &p->cap_locations, p->nlocations + 1, sizeof(*l));
	xgrow(&p->lines, &p->cap_lines, p->nlines + nlines, sizeof(*lines));
	l = &p->locations[p->nlocations++];
	l->id = (uint64_t)i + 1;
	l->mapping = mapping;
	l->address = address;
	l->line_start = (uint32_t)p->nlines;
	l->nlines = (uint32_t)nlines;
	l->is_folded = false;
	if (nlines)
		memcpy(p->lines + p->nlines, lines, nlines * sizeof(*lines));
	p->nlines += nlines;
	return i;
}

uint32_t profile_add_sample(struct profile *p, const uint32_t *locs, size_t nlocs,
			    const int64_t *values, const struct pf_label *labels, size_t nlabels)
{
	uint32_t i = check_index(p->nsamples);
	struct pf_sample *s;

	check_index(p->nstacks + nlocs);
	check_index(p->nlabels + nlabels);
	xgrow(&p->samples, &p->cap_samples, p->nsamples + 1, sizeof(*s));
	xgrow(&p->stacks, &p->cap_stacks, p->nstacks + nlocs, sizeof(*locs));
	xgrow(&p->values, &p->cap_values, (p->nsamples + 1) * p->ntypes, sizeof(*values));
	xgrow(&p->labels, &p->cap_labels, p->nlabels + nlabels, sizeof(*labels));
	s = &p->samples[p->nsamples];
	s->loc_start = (uint32_t)p->nstacks;
	s->nlocs = (uint32_t)nlocs;
	s->label_start = (uint32_t)p->nlabels;
	s->nlabels = (uint32_t)nlabels;
	if (nlocs)
		memcpy(p->stacks + p->nstacks, locs, nlocs * sizeof(*locs));
	p->nstacks += nlocs;
	if (p->ntypes) /* memmove: a merge in place passes the sample's own values */
		memmove(p->values + p->nsamples * p->ntypes, values, p->ntypes * sizeof(*values));
	if (nlabels)
		memcpy(p->labels + p->nlabels, labels, nlabels * sizeof(*labels));
	p->nlabels += nlabels;
	p->nsamples++;
	return i;
}

void profile_add_comment(struct profile *p, const char *comment)
{
	p->comments = xreallocarray(p->comments, p->ncomments + 1, sizeof(*p->comments));
	p->comments[p->ncomments++] = comment;
}

int profile_find_type(const struct profile *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->ntypes; i++)
		if (strcmp(p->types[i].type, name) == 0)
			return (int)i;
	return -1;
}

int profile_sample_index(const struct profile *p, const char *name)
{
	size_t i;
	char *end;
	long v;
	const char *noinuse;
	struct buf b = BUF_INIT;

	if (p->ntypes == 0)
		return err_set("profile has no sample types");
	if (!name || !*name) {
		if (p->default_type >= 0)
			return p->default_type;
		return (int)p->ntypes - 1;
	}
	v = strtol(name, &end, 10);
	if (*end == 0 && end != name) {
		if (v < 0 || (size_t)v >= p->ntypes)
			return err_set("sample index %s is outside the range [0..%zu]", name,
				       p->ntypes - 1);
		return (int)v;
	}
	/* As pprof: "inuse_space" also selects a type named "space". */
	noinuse = strncmp(name, "inuse_", 6) == 0 ? name + 6 : name;
	for (i = 0; i < p->ntypes; i++)
		if (strcmp(p->types[i].type, name) == 0 || strcmp(p->types[i].type, noinuse) == 0)
			return (int)i;
	for (i = 0; i < p->ntypes; i++)
		buf_printf(&b, "%s%s", i ? " " : "", p->types[i].type);
	err_set("sample index '%s' must be one of: %s", name, b.data);
	buf_release(&b);
	return -1;
}

int profile_check_values(const struct profile *p)
{
	size_t t, i;

	for (t = 0; t < p->ntypes; t++) {
		uint64_t sum = 0;

		for (i = 0; i < p->nsamples; i++) {
			int64_t v = p->values[i * p->ntypes + t];
			/* |v| as unsigned: well defined even for INT64_MIN */
			uint64_t a = v < 0 ? -(uint64_t)v : (uint64_t)v;

			sum += a;
			if (a > (uint64_t)INT64_MAX || sum > (uint64_t)INT64_MAX)
				return err_set("the %s values add up past the 64-bit integer limit at sample %zu",
					       *p->types[t].type ? p->types[t].type : "sample", i + 1);
		}
	}
	return 0;
}

int64_t profile_total(const struct profile *p, int idx)
{
	int64_t t = 0;
	size_t i;

	for (i = 0; i < p->nsamples; i++)
		t = sat_add(t, p->values[i * p->ntypes + (size_t)idx]);
	return t;
}

int64_t profile_report_total(const struct profile *p, int idx)
{
	const char *base_key = intern("pprof::base"), *yes = intern("true");
	int64_t total = 0, diff_total = 0;
	size_t i, k;
	bool any_base = false;

	for (i = 0; i < p->nlabels && !any_base; i++)
		any_base = p->labels[i].key == base_key && p->labels[i].str == yes;
	if (!any_base) {
		/* the common case, as one tight loop */
		for (i = 0; i < p->nsamples; i++) {
			int64_t v = p->values[i * p->ntypes + (size_t)idx];
			total = sat_add(total, v < 0 ? (v == INT64_MIN ? INT64_MAX : -v) : v);
		}
		return total;
	}
	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *s = &p->samples[i];
		int64_t v = p->values[i * p->ntypes + (size_t)idx];

		v = v < 0 ? (v == INT64_MIN ? INT64_MAX : -v) : v;
		total = sat_add(total, v);
		for (k = 0; k < s->nlabels; k++) {
			const struct pf_label *l = &p->labels[s->label_start + k];
			if (l->key == base_key && l->str == yes) {
				diff_total = sat_add(diff_total, v);
				break;
			}
		}
	}
	return diff_total > 0 ? diff_total : total;
}

const char *profile_num_label_unit(const struct profile *p, const char *key)
{
	size_t i;

	for (i = 0; i < p->nlabels; i++) {
		const struct pf_label *l = &p->labels[i];
		if (!l->str && l->key == key && *l->unit)
			return l->unit;
	}
	if (!strcmp(key, "alignment") || !strcmp(key, "request"))
		return intern("bytes");
	return key;
}

struct label_units {
	struct u64map units; /* interned key -> its unit (interned), when a label gives one */
};

struct label_units *label_units_new(const struct profile *p)
{
	struct label_units *lu = xcalloc(1, sizeof(*lu));
	size_t i;

	/* the first non-empty unit of each key, as profile_num_label_unit */
	for (i = 0; i < p->nlabels; i++) {
		const struct pf_label *l = &p->labels[i];
		if (!l->str && *l->unit)
			u64map_put(&lu->units, (uint64_t)(uintptr_t)l->key, (uint64_t)(uintptr_t)l->unit, NULL);
	}
	return lu;
}

const char *label_units_get(const struct label_units *lu, const char *key)
{
	uint64_t u;

	if (u64map_get(&lu->units, (uint64_t)(uintptr_t)key, &u))
		return (const char *)(uintptr_t)u;
	if (!strcmp(key, "alignment") || !strcmp(key, "request"))
		return intern("bytes");
	return key;
}

void label_units_free(struct label_units *lu)
{
	if (!lu)
		return;
	u64map_release(&lu->units);
	free(lu);
}

enum pf_kind profile_kind(const struct profile *p)
{
	size_t i;

	if (p->ntypes == 1 && strcmp(p->types[0].type, "goroutine") == 0)
		return PF_KIND_GOROUTINE;
	if (p->ntypes == 1 && strcmp(p->types[0].type, "goroutineleak") == 0)
		return PF_KIND_GOROUTINELEAK;
	for (i = 0; i < p->ntypes; i++) {
		const char *t = p->types[i].type;
		if (strncmp(t, "inuse_", 6) == 0 || strncmp(t, "alloc_", 6) == 0 || strcmp(t, "space") == 0)
			return PF_KIND_HEAP;
	}
	return PF_KIND_OTHER;
}

const char *profile_kind_name(enum pf_kind k)
{
	switch (k) {
	case PF_KIND_HEAP: return "heap";
	case PF_KIND_GOROUTINE: return "goroutine";
	case PF_KIND_GOROUTINELEAK: return "goroutineleak";
	default: return "other";
	}
}

const char *profile_format_name(enum pf_format f)
{
	switch (f) {
	case PF_FORMAT_PPROF:
		return "pprof";
	case PF_FORMAT_HEAP_TEXT:
		return "go-heap-text";
	case PF_FORMAT_GOROUTINE_TEXT1:
		return "go-goroutine-debug1";
	case PF_FORMAT_GOROUTINE_TEXT2:
		return "go-goroutine-debug2";
	case PF_FORMAT_MERGED:
		return "merged";
	}
	return "unknown";
}
