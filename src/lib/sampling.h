/* sampling: leak statistics on the SAMPLED object counts of Go heap
 * profiles (MemProfileRate > 1, Go's default 512 KiB).
 *
 * Go samples an allocation of s bytes with probability 1-exp(-s/rate) and
 * writes its values scaled by the inverse, so the number of sampled
 * objects behind a record is known: objects * (1 - exp(-size/rate)).
 * A sampled object stays in every later in-use profile until it is
 * freed; so for a leak the sampled count of a site only accumulates,
 * while under healthy churn sampled objects come and go.  sampling_test
 * measures how unlikely a series of sampled counts is under churn.  No
 * I/O here. */
#ifndef DRIP_SAMPLING_H
#define DRIP_SAMPLING_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"
#include "trend.h"

/* The name of the sample type sampling_add_type adds: sampled in-use
 * objects (unit "count"). */
#define SAMPLING_TYPE "inuse_samples"

/* sampling_count: the number of sampled objects behind a record of
 * `objects` objects and `space` bytes (both as scaled by Go) at sampling
 * period `rate` bytes: objects * (1 - exp(-(space/objects)/rate)), the
 * inverse of Go's scaleHeapSample.  0 when objects or space <= 0; objects
 * itself when rate <= 1 (every allocation recorded). */
double sampling_count(double objects, double space, double rate);

/* sampling_add_type: appends the sample type SAMPLING_TYPE/count to p,
 * each sample's value its sampled count rounded to an integer, computed
 * from the sample's inuse_objects and inuse_space (or objects and space,
 * heap text without alloc data) and p->period.  Returns the new type's
 * index; -1 with err_set() when p has no such types or its period is
 * not in bytes. */
int sampling_add_type(struct profile *p);

/* The churn model: a stationary population of sampled objects, Poisson
 * distributed with mean `mean` at every snapshot, each surviving one
 * snapshot interval with probability s, replaced by Poisson arrivals
 * (the M/M/inf queue seen at snapshot times; caches at their bound,
 * pools and per-request garbage are special cases: s near 1, s near 0).
 * A leak only gains samples.  sampling_test asks how likely a healthy
 * site gains at least `gained` samples while losing at most `lost`. */
struct sampling_test {
	int64_t first, last;
	int64_t gained;  /* sum of the rises between consecutive snapshots */
	int64_t lost;    /* sum of the falls */
	double mean;     /* the series' mean count: the model's level */
	double p;        /* P(gain >= gained and loss <= lost) under churn,
			  * the largest over the survival rates tried; 1
			  * when nothing was gained */
	double survival; /* the survival rate giving p */
	bool exact;      /* p by exact recursion; false: by the normal
			  * approximation of last - first (large counts) */
};

/* sampling_test: counts c[0..n) (negative values count as 0). */
void sampling_test(const int64_t *c, size_t n, struct sampling_test *t);

/* sampling_verdict: trend_verdict's floor and late-share rules on the
 * scaled values in t; then growing when the slope is steady
 * (t->t >= r->min_t_sampled) and either st->p <= r->max_p or the slope
 * stands out of the sampling noise (t->z >= r->min_z); else noisy. */
enum verdict sampling_verdict(const struct trend *t, const struct sampling_test *st, const struct trend_rules *r,
			      double floor);

#endif
