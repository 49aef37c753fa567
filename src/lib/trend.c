#include "trend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void trend_fit(const double *x, const double *y, size_t n, double *slope, double *intercept, double *r2)
{
	double mx = 0, my = 0, sxx = 0, sxy = 0, syy = 0;
	size_t i;

	*slope = 0;
	*intercept = n ? y[0] : 0;
	*r2 = 0;
	if (n < 2)
		return;
	for (i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= (double)n;
	my /= (double)n;
	for (i = 0; i < n; i++) {
		double dx = x[i] - mx, dy = y[i] - my;
		sxx += dx * dx;
		sxy += dx * dy;
		syy += dy * dy;
	}
	*intercept = my;
	if (sxx <= 0)
		return;
	*slope = sxy / sxx;
	*intercept = my - *slope * mx;
	if (syy > 0) {
		/* R² = explained / total = (sxy²/sxx) / syy */
		double r = (sxy * sxy) / (sxx * syy);
		*r2 = r > 1 ? 1 : r;
	}
}

void trend_compute(const double *v, const int64_t *times, const double *sd, size_t n, struct trend *t)
{
	double *x = xcalloc(n ? n : 1, sizeof(double));
	double icpt;
	size_t i;

	memset(t, 0, sizeof(*t));
	t->n = n;
	if (n == 0) {
		free(x);
		return;
	}
	t->first = v[0];
	t->last = v[n - 1];
	t->growth = t->last - t->first;
	for (i = 0; i < n; i++)
		x[i] = (double)i;
	trend_fit(x, v, n, &t->slope, &icpt, &t->r2);
	t->rise = t->slope * (double)(n - 1);
	t->t = INFINITY;
	if (n >= 3) {
		double ssr = 0, my = 0, syy = 0, sxx = 0, mx = (double)(n - 1) / 2;
		for (i = 0; i < n; i++)
			my += v[i];
		my /= (double)n;
		for (i = 0; i < n; i++) {
			double r = v[i] - (icpt + t->slope * (double)i);
			ssr += r * r;
			syy += (v[i] - my) * (v[i] - my);
			sxx += ((double)i - mx) * ((double)i - mx);
		}
		if (ssr > 1e-12 * (syy + 1))
			t->t = t->slope / sqrt(ssr / (double)(n - 2) / sxx);
	}
	for (i = 1; i < n; i++) {
		if (v[i] > v[i - 1])
			t->up++;
		else if (v[i] < v[i - 1])
			t->down++;
	}
	if (t->growth > 0)
		t->late = (t->last - v[(n - 1) / 2]) / t->growth;
	if (times && n >= 2 && times[n - 1] > times[0]) {
		double s;
		for (i = 0; i < n; i++)
			x[i] = (double)(times[i] - times[0]) / 1e9;
		trend_fit(x, v, n, &t->slope_sec, &icpt, &s);
		t->has_rate = true;
	}
	if (sd && n >= 2) {
		/* Var(slope) = sum (x_i - mean)^2 sd_i^2 / Sxx^2 for
		 * independent errors: z = slope / its standard error. */
		double mx = (double)(n - 1) / 2, sxx = 0, num = 0;
		for (i = 0; i < n; i++) {
			double dx = (double)i - mx;
			sxx += dx * dx;
			num += dx * dx * sd[i] * sd[i];
		}
		if (num > 0) {
			t->z = t->slope * sxx / sqrt(num);
			t->sampled = true;
		}
	}
	free(x);
}

void trend_rules_default(struct trend_rules *r)
{
	r->min_late = 0.25;
	r->min_t = 4.0;
	r->min_t_sampled = 4.0;
	r->min_z = 3.0;
	r->max_p = 0.02;
}

enum verdict trend_verdict(const struct trend *t, const struct trend_rules *r, double floor)
{
	if (t->n < 2 || t->growth <= 0 || t->growth < floor || t->slope <= 0)
		return VERDICT_FLAT;
	if (t->late < r->min_late)
		return VERDICT_NOISY;
	if (t->sampled)
		return t->z >= r->min_z && t->t >= r->min_t_sampled ? VERDICT_GROWING : VERDICT_NOISY;
	return t->t >= r->min_t ? VERDICT_GROWING : VERDICT_NOISY;
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_GROWING: return "growing";
	case VERDICT_NOISY: return "noisy";
	default: return "flat";
	}
}

void sparkline(const double *v, size_t n, bool ascii, struct buf *out)
{
	static const char *const blocks[8] = { "\u2581", "\u2582", "\u2583", "\u2584",
					       "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char asc[9] = "_.-:=+*#";
	double lo, hi;
	size_t i;

	buf_reserve(out, 1);
	if (n == 0)
		return;
	lo = hi = v[0];
	for (i = 1; i < n; i++) {
		if (v[i] < lo)
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	for (i = 0; i < n; i++) {
		int k = 0;
		if (hi > lo) {
			k = (int)floor((v[i] - lo) / (hi - lo) * 7.0 + 0.5);
			if (k < 0)
				k = 0;
			if (k > 7)
				k = 7;
		}
		if (ascii)
			buf_putc(out, asc[k]);
		else
			buf_puts(out, blocks[k]);
	}
}
