#include "diff.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "error.h"
#include "merge.h"
#include "strtab.h"
#include "xalloc.h"

/* The two names are looked up once per run, not once per sample (the
 * lookups were a tenth of a diff of two 1M-sample profiles). */
static const char *base_key, *base_value;
static unsigned base_gen;

static void base_names(void)
{
	if (!base_key || base_gen != strtab_generation()) {
		base_key = intern("pprof::base");
		base_value = intern("true");
		base_gen = strtab_generation();
	}
}

const char *diff_base_key(void)
{
	base_names();
	return base_key;
}

const char *diff_base_value(void)
{
	base_names();
	return base_value;
}

bool diff_is_base_sample(const struct profile *p, size_t i)
{
	const struct pf_sample *s = &p->samples[i];
	const char *k = diff_base_key(), *v = diff_base_value();
	uint32_t j;

	for (j = 0; j < s->nlabels; j++) {
		const struct pf_label *l = &p->labels[s->label_start + j];
		if (l->key == k && l->str == v)
			return true;
	}
	return false;
}

void profile_scale_n(struct profile *p, const double *ratios)
{
	size_t i, t, fill = 0;
	bool all_ones = true;

	for (t = 0; t < p->ntypes; t++)
		if (ratios[t] != 1)
			all_ones = false;
	if (all_ones)
		return;
	for (i = 0; i < p->nsamples; i++) {
		int64_t *v = pf_values(p, i);
		bool keep = false;

		for (t = 0; t < p->ntypes; t++) {
			if (ratios[t] == 1)
				continue;
			if (ratios[t] == -1)
				v[t] = negate_value(v[t]);
			else
				v[t] = (int64_t)llround((double)v[t] * ratios[t]);
			keep = keep || v[t] != 0;
		}
		if (!keep)
			continue;
		if (fill != i) {
			p->samples[fill] = p->samples[i];
			memmove(pf_values(p, fill), v, p->ntypes * sizeof(*v));
		}
		fill++;
	}
	p->nsamples = fill;
}

void profile_set_label(struct profile *p, const char *key, const char *value)
{
	struct pf_label *ls = xreallocarray(NULL, p->nlabels + p->nsamples + 1, sizeof(*ls));
	size_t i, n = 0;

	for (i = 0; i < p->nsamples; i++) {
		struct pf_sample *s = &p->samples[i];
		uint32_t j, start = (uint32_t)n;

		for (j = 0; j < s->nlabels; j++) {
			const struct pf_label *l = &p->labels[s->label_start + j];
			if (l->key != key)
				ls[n++] = *l;
		}
		ls[n].key = key;
		ls[n].str = value;
		ls[n].num = 0;
		ls[n].unit = intern_empty();
		n++;
		s->label_start = start;
		s->nlabels = (uint32_t)n - start;
	}
	free(p->labels);
	p->labels = ls;
	p->nlabels = n;
	p->cap_labels = p->nlabels + p->nsamples + 1;
}

/* pprof's Profile.compatible: equal period type and sample types. */
static int compatible(const struct profile *a, const struct profile *b)
{
	size_t t;

	if (a->period_type.type != b->period_type.type || a->period_type.unit != b->period_type.unit)
		return err_set("incompatible period types %s/%s and %s/%s", a->period_type.type, a->period_type.unit,
			       b->period_type.type, b->period_type.unit);
	if (a->ntypes != b->ntypes)
		return err_set("incompatible sample types: %zu and %zu types", a->ntypes, b->ntypes);
	for (t = 0; t < a->ntypes; t++)
		if (a->types[t].type != b->types[t].type || a->types[t].unit != b->types[t].unit)
			return err_set("incompatible sample types %s/%s and %s/%s", a->types[t].type, a->types[t].unit,
				       b->types[t].type, b->types[t].unit);
	return 0;
}

int profile_normalize(struct profile *newp, const struct profile *base)
{
	double *ratios;
	size_t i, t;
	int64_t *bv, *sv;

	if (compatible(newp, base) < 0) {
		err_prefix("cannot normalize");
		return -1;
	}
	bv = xcalloc(newp->ntypes + 1, sizeof(*bv));
	sv = xcalloc(newp->ntypes + 1, sizeof(*sv));
	ratios = xcalloc(newp->ntypes + 1, sizeof(*ratios));
	for (i = 0; i < base->nsamples; i++)
		for (t = 0; t < base->ntypes; t++)
			bv[t] = sat_add(bv[t], pf_values(base, i)[t]);
	for (i = 0; i < newp->nsamples; i++)
		for (t = 0; t < newp->ntypes; t++)
			sv[t] = sat_add(sv[t], pf_values(newp, i)[t]);
	for (t = 0; t < newp->ntypes; t++)
		ratios[t] = sv[t] == 0 ? 0.0 : (double)bv[t] / (double)sv[t];
	profile_scale_n(newp, ratios);
	free(bv);
	free(sv);
	free(ratios);
	return 0;
}

int64_t negate_value(int64_t v)
{
	/* llround(v * -1.0), as profile_scale_n: exact while v is a double */
	if (v >= -(INT64_C(1) << 53) && v <= INT64_C(1) << 53)
		return -v;
	return (int64_t)llround((double)v * -1.0);
}

int profile_diff_prepare(struct profile *newp, struct profile *base, bool normalize)
{
	double *ratios;
	size_t t;

	if (normalize && profile_normalize(newp, base) < 0)
		return -1;
	ratios = xcalloc(base->ntypes + 1, sizeof(*ratios));
	for (t = 0; t < base->ntypes; t++)
		ratios[t] = -1;
	profile_scale_n(base, ratios);
	free(ratios);
	return 0;
}

static struct profile *diff(struct profile *newp, struct profile *base, bool tag_base, bool normalize, bool consume)
{
	struct profile *ps[2];

	if (tag_base)
		profile_set_label(base, diff_base_key(), diff_base_value());
	if (profile_diff_prepare(newp, base, normalize) < 0)
		return NULL;
	ps[0] = newp;
	ps[1] = base;
	return consume ? profile_merge_consume(ps, 2) : profile_merge(ps, 2);
}

struct profile *profile_diff(struct profile *newp, struct profile *base, bool tag_base, bool normalize)
{
	return diff(newp, base, tag_base, normalize, false);
}

struct profile *profile_diff_consume(struct profile *newp, struct profile *base, bool tag_base, bool normalize)
{
	return diff(newp, base, tag_base, normalize, true);
}

/* UTC, to the second; to the millisecond when ms is set (two times in
 * the same second would otherwise read the same). */
static void time_text(int64_t nanos, bool ms, char *out, size_t n)
{
	time_t t = (time_t)(nanos / 1000000000);
	struct tm tm;
	char sec[48];

	gmtime_r(&t, &tm);
	strftime(sec, sizeof(sec), "%Y-%m-%dT%H:%M:%S", &tm);
	if (ms)
		snprintf(out, n, "%s.%03dZ", sec, (int)(nanos % 1000000000 / 1000000));
	else
		snprintf(out, n, "%sZ", sec);
}

bool diff_time_warning(const char *base_name, int64_t base_nanos, const char *new_name, int64_t new_nanos,
		       struct buf *w)
{
	char tb[80], tn[80];
	bool ms;

	if (!base_nanos || !new_nanos || base_nanos <= new_nanos)
		return false;
	ms = base_nanos / 1000000000 == new_nanos / 1000000000;
	time_text(base_nanos, ms, tb, sizeof(tb));
	time_text(new_nanos, ms, tn, sizeof(tn));
	buf_printf(w, "BASE '%s' (%s) is newer than NEW '%s' (%s): were they swapped?", base_name, tb, new_name, tn);
	return true;
}
