#include "sampling.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "strtab.h"
#include "xalloc.h"

double sampling_count(double objects, double space, double rate)
{
	if (objects <= 0 || space <= 0)
		return 0;
	if (rate <= 1)
		return objects;
	return objects * -expm1(-(space / objects) / rate);
}

static int type_named(const struct profile *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->ntypes; i++)
		if (strcmp(p->types[i].type, name) == 0)
			return (int)i;
	return -1;
}

int sampling_add_type(struct profile *p)
{
	int io = type_named(p, "inuse_objects"), is = type_named(p, "inuse_space");
	struct pf_valtype *types;
	int64_t *vals;
	size_t i, k, nt = p->ntypes;

	if (io < 0 || is < 0) {
		io = type_named(p, "objects");
		is = type_named(p, "space");
	}
	if (io < 0 || is < 0)
		return err_set("no inuse_objects and inuse_space sample types");
	if (strcmp(p->period_type.unit, "bytes") != 0)
		return err_set("the sampling period is not in bytes");
	types = xreallocarray(NULL, nt + 1, sizeof(*types));
	memcpy(types, p->types, nt * sizeof(*types));
	types[nt].type = intern(SAMPLING_TYPE);
	types[nt].unit = intern("count");
	vals = xreallocarray(NULL, p->nsamples ? p->nsamples : 1, (nt + 1) * sizeof(*vals));
	for (i = 0; i < p->nsamples; i++) {
		const int64_t *v = p->values + i * nt;
		memcpy(vals + i * (nt + 1), v, nt * sizeof(*v));
		vals[i * (nt + 1) + nt] =
			(int64_t)llround(sampling_count((double)v[io], (double)v[is], (double)p->period));
	}
	if (p->unfiltered_totals) {
		int64_t t = 0;
		p->unfiltered_totals = xreallocarray(p->unfiltered_totals, nt + 1, sizeof(int64_t));
		for (i = 0; i < p->nsamples; i++)
			t += vals[i * (nt + 1) + nt];
		p->unfiltered_totals[nt] = t;
	}
	free(p->types);
	free(p->values);
	p->types = types;
	p->values = vals;
	p->cap_values = p->nsamples * (nt + 1);
	p->ntypes = nt + 1;
	(void)k;
	return (int)nt;
}

/* Poisson(m) probabilities of 0..K, the tail beyond K added to K. */
static void poisson_pmf(double m, size_t K, double *out)
{
	double sum = 0;
	size_t i;

	out[0] = exp(-m);
	for (i = 1; i <= K; i++)
		out[i] = out[i - 1] * m / (double)i;
	for (i = 0; i < K; i++)
		sum += out[i];
	out[K] = sum < 1 ? 1 - sum : 0;
}

/* T[c][c'] = P(Binomial(c, s) + Poisson(lam) = c'), c' beyond K in K. */
static void transition(double s, double lam, size_t K, double *T, double *pois, double *bin)
{
	size_t c, k, c2;

	poisson_pmf(lam, K, pois);
	for (c = 0; c <= K; c++) {
		double *row = T + c * (K + 1), acc = 0;
		/* Binomial(c, s) */
		for (k = 0; k <= c; k++) {
			double lg = lgamma((double)c + 1) - lgamma((double)k + 1) - lgamma((double)(c - k) + 1);
			double a = s > 0 ? (double)k * log(s) : (k ? -INFINITY : 0);
			double b = s < 1 ? (double)(c - k) * log1p(-s) : (c - k ? -INFINITY : 0);
			bin[k] = exp(lg + a + b);
		}
		for (c2 = 0; c2 <= K; c2++)
			row[c2] = 0;
		for (k = 0; k <= c; k++)
			for (c2 = k; c2 <= K; c2++)
				row[c2] += bin[k] * (c2 == K ? 0 : pois[c2 - k]);
		for (c2 = 0; c2 < K; c2++)
			acc += row[c2];
		row[K] = acc < 1 ? 1 - acc : 0;
	}
}

/* Survival rates tried: the p-value is the largest over them. */
static const double survivals[] = { 0, 0.25, 0.5, 0.65, 0.8, 0.9, 0.95 };

#define DP_BUDGET 4000000.0 /* state-transition steps per survival rate */

void sampling_test(const int64_t *c, size_t n, struct sampling_test *t)
{
	size_t i, K, G, D, si;
	int64_t maxc = 0;
	double sum = 0, mu;

	memset(t, 0, sizeof(*t));
	t->p = 1;
	t->exact = true;
	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		int64_t v = c[i] > 0 ? c[i] : 0;
		sum += (double)v;
		if (v > maxc)
			maxc = v;
		if (i) {
			int64_t u = c[i - 1] > 0 ? c[i - 1] : 0;
			if (v > u)
				t->gained += v - u;
			else
				t->lost += u - v;
		}
	}
	t->first = c[0] > 0 ? c[0] : 0;
	t->last = c[n - 1] > 0 ? c[n - 1] : 0;
	t->mean = sum / (double)n;
	if (t->gained == 0 || n < 2)
		return;
	/* A level under 0.5 sample would make any gain look impossible;
	 * a series that gained something had at least that. */
	mu = t->mean > 0.5 ? t->mean : 0.5;
	K = (size_t)ceil((double)maxc + mu + 8 * sqrt(mu) + 10);
	G = (size_t)t->gained;
	D = (size_t)t->lost;
	if ((double)(n - 1) * (double)(K + 1) * (double)(K + 1) * (double)(G + 1) * (double)(D + 1) > DP_BUDGET) {
		/* Large counts: last - first has mean 0 and variance
		 * 2 mean (1 - s^(n-1)) <= 2 mean under churn. */
		double z = ((double)(t->last - t->first) - 0.5) / sqrt(2 * mu);
		t->exact = false;
		t->p = t->last > t->first ? 0.5 * erfc(z / sqrt(2)) : 1;
		t->survival = 0;
		return;
	}
	{
		size_t S = (K + 1) * (G + 1) * (D + 1);
		double *T = xcalloc((K + 1) * (K + 1), sizeof(double));
		double *pois = xcalloc(K + 1, sizeof(double)), *bin = xcalloc(K + 1, sizeof(double));
		double *P = xcalloc(S, sizeof(double)), *Q = xcalloc(S, sizeof(double));
		double best = -1;

		for (si = 0; si < sizeof(survivals) / sizeof(survivals[0]); si++) {
			double s = survivals[si], p = 0;
			size_t step, a, b, g, d;

			transition(s, mu * (1 - s), K, T, pois, bin);
			memset(P, 0, S * sizeof(double));
			poisson_pmf(mu, K, pois);
			for (a = 0; a <= K; a++)
				P[a * (G + 1) * (D + 1)] = pois[a];
			for (step = 1; step < n; step++) {
				memset(Q, 0, S * sizeof(double));
				for (a = 0; a <= K; a++)
					for (g = 0; g <= G; g++)
						for (d = 0; d <= D; d++) {
							double w = P[(a * (G + 1) + g) * (D + 1) + d];
							if (w == 0)
								continue;
							for (b = 0; b <= K; b++) {
								size_t g2 = g, d2 = d;
								double tr = T[a * (K + 1) + b];
								if (tr == 0)
									continue;
								if (b > a)
									g2 = g + (b - a) > G ? G : g + (b - a);
								else if (a - b > D - d)
									continue;
								else
									d2 = d + (a - b);
								Q[(b * (G + 1) + g2) * (D + 1) + d2] += w * tr;
							}
						}
				memcpy(P, Q, S * sizeof(double));
			}
			for (a = 0; a <= K; a++)
				for (d = 0; d <= D; d++)
					p += P[(a * (G + 1) + G) * (D + 1) + d];
			if (p > best) {
				best = p;
				t->survival = s;
			}
		}
		t->p = best > 1 ? 1 : best;
		free(T);
		free(pois);
		free(bin);
		free(P);
		free(Q);
	}
}

/* sampling_verdict's rules that need no sampling test: its verdict,
 * or -1 when the test decides.  Both routes need a steady slope:
 * sampled counts of healthy sites vary more than the churn model's
 * Poisson level allows (a live set of random size, a cache still
 * filling), and such a site's gains come in jumps, not along a line
 * (measured in the man page). */
static int verdict_before_test(const struct trend *t, const struct trend_rules *r, double floor)
{
	if (t->n < 2 || t->growth <= 0 || t->growth < floor || t->slope <= 0)
		return VERDICT_FLAT;
	if (t->late < r->min_late || t->t < r->min_t_sampled)
		return VERDICT_NOISY;
	return -1;
}

bool sampling_needs_test(const struct trend *t, const struct trend_rules *r, double floor)
{
	return verdict_before_test(t, r, floor) < 0;
}

enum verdict sampling_verdict(const struct trend *t, const struct sampling_test *st, const struct trend_rules *r,
			      double floor)
{
	int v = verdict_before_test(t, r, floor);

	if (v >= 0)
		return (enum verdict)v;
	if (st->p <= r->max_p)
		return VERDICT_GROWING;
	/* the sampling-noise route of trend_verdict: on long series of a
	 * few samples it sees a leak the count test needs more snapshots
	 * for; a single large sampled object (a map's bucket array) is
	 * one count but many standard deviations */
	if (t->sampled && t->z >= r->min_z)
		return VERDICT_GROWING;
	return VERDICT_NOISY;
}
