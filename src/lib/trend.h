/* trend: is a series of values (one per snapshot) growing steadily?
 * The maths behind `drip leaks`: a least-squares line, how well it fits
 * (R²), how many steps go up or down, how much of the rise is still
 * happening late in the series, and how large the rise is against the
 * sampling noise of a heap profile.  No I/O here. */
#ifndef DRIP_TREND_H
#define DRIP_TREND_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* trend_fit: least squares y = a + b x over n points.  *r2 is the
 * coefficient of determination, 0 when y is constant or n < 2 (a flat
 * line explains nothing); 1 for two distinct points.  With fewer than
 * two distinct x, *slope = 0. */
void trend_fit(const double *x, const double *y, size_t n, double *slope, double *intercept, double *r2);

struct trend {
	size_t n;
	double first, last;
	double growth;       /* last - first */
	double slope;        /* per snapshot (x = 0, 1, ..., n-1) */
	double rise;         /* slope * (n - 1): the fitted growth */
	double r2;           /* of the per-snapshot fit */
	bool has_rate;
	double slope_sec;    /* per second (x = snapshot time), when has_rate */
	double t;            /* the slope's t statistic from the residuals
			      * of the fit: slope / its standard error;
			      * INFINITY for an exact line or n < 3 */
	int up, down;        /* steps that went up / down */
	double late;         /* (last - v[(n-1)/2]) / growth: share of the
			      * growth still happening in the later half;
			      * 0 when growth <= 0 */
	double z;            /* slope / its standard error under the given
			      * per-value noise; 0 when the noise is
			      * unknown (exact counts) */
	bool sampled;        /* noise was given: z applies */
};

/* trend_compute: values v[0..n); times in nanoseconds (NULL when
 * unknown); sd[0..n): noise standard deviation of each value (NULL when
 * exact, e.g. goroutine counts). */
void trend_compute(const double *v, const int64_t *times, const double *sd, size_t n, struct trend *t);

enum verdict {
	VERDICT_FLAT,    /* grew less than the floor, or shrank */
	VERDICT_NOISY,   /* grew enough, but not steadily */
	VERDICT_GROWING, /* grew enough and steadily: a suspect */
};

struct trend_rules {
	double min_late;     /* smallest share of the growth in the later half: 0.25 */
	double min_t;        /* smallest t of the slope, exact counts: 4 */
	double min_t_sampled; /* the same when sampling noise is known: 4 */
	double min_z;        /* smallest slope / sampling noise: 3 */
	double max_p;        /* sampled heap profiles: largest probability
			      * of the sampled counts under churn (see
			      * sampling.h): 0.02 */
};
void trend_rules_default(struct trend_rules *r);

/* trend_verdict: floor is the smallest growth that counts (in the
 * series' unit). */
enum verdict trend_verdict(const struct trend *t, const struct trend_rules *r, double floor);
const char *verdict_name(enum verdict v);

/* sparkline: one character per value, scaled from the series' minimum
 * (▁) to its maximum (█); a constant series is all ▁.  ascii uses
 * "_.-:=+*#" instead of the Unicode blocks. */
void sparkline(const double *v, size_t n, bool ascii, struct buf *out);

#endif
