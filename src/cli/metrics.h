/* metrics: the OpenMetrics exposition of several targets' leaks series
 * (src/lib/leaks_openmetrics.h), for drip leaks --format=openmetrics and
 * drip watch --listen / --metrics-file. */
#ifndef DRIP_METRICS_H
#define DRIP_METRICS_H
#include <stddef.h>
#include <stdio.h>

#include "leaks.h"

struct metrics_target {
	const char *name;              /* the target label (borrowed) */
	const struct leaks_series *ls; /* borrowed; NULL: no snapshot yet */
	int up;                        /* drip_leaks_target_up: 1, 0, or -1 none */
};

/* metrics_analysable: whether leaks_analyze() can be asked about ls:
 * two snapshots, or one of goroutines. */
int metrics_analysable(const struct leaks_series *ls);

/* metrics_write: analyse each target's series that is analysable and
 * write one exposition of them all to f.  *status (when not NULL) gets
 * the highest drip leaks exit status of the analysed targets (0 or 1).
 * Returns 0, or leaks_analyze()'s status (< 0, with err_set()) for the
 * first analysis that failed (that target is left out, the others are
 * written). */
int metrics_write(const struct metrics_target *t, size_t n, size_t max_series, FILE *f, int *status);

/* metrics_render: metrics_write() into a new buffer *out of *len bytes
 * (caller frees); same return value (-1 with err_set() and no buffer
 * when there is no memory for one). */
int metrics_render(const struct metrics_target *t, size_t n, size_t max_series, char **out, size_t *len, int *status);

#endif
