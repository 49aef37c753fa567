/* leaks_openmetrics: the leaks analysis of one or several targets as one
 * OpenMetrics text exposition (drip leaks --format=openmetrics, drip
 * watch --listen and --metrics-file), for Prometheus and the node
 * exporter's textfile collector.
 *
 * Every metric family appears once, with the series of all targets in
 * it; a family is named after the unit its sample types are in (bytes
 * stay bytes, nanoseconds and the like become seconds, counts and any
 * other unit have no unit suffix), so one exposition can hold heap and
 * goroutine series side by side:
 *
 *   drip_leaks_target_up{target}            1: last fetch worked (watch)
 *   drip_leaks_snapshots{target}            snapshots analysed
 *   drip_leaks_suspects{target}             sites growing or proven leaked
 *   drip_leaks_profile_bytes{target,sample_type,unit}   profile total, last snapshot
 *   drip_leaks_site_bytes{target,site,owner,sample_type,unit}       value, last snapshot
 *   drip_leaks_site_growth_bytes{...}               last - first
 *   drip_leaks_site_slope_bytes_per_second{...}     least-squares slope (when
 *                                                   the snapshots have times)
 *   drip_leaks_site_verdict{...}    0 flat, 1 noisy, 2 growing, 3 proven leaked
 *
 * Under --by (leaks_result.by) every site series also has the labels
 * by_key (the label's key) and by_value (the site's value of it), after
 * site; the summed "other" site has neither.
 *
 * (_seconds, _seconds_per_second for time units; _value, _growth,
 * _slope_per_second, _profile_value for the others.)  Only gauges, no
 * timestamps; the text is valid for both Prometheus's OpenMetrics parser
 * and its classic text parser (where # UNIT and # EOF are comments).
 * Output is deterministic: targets in the order given, sites in the
 * analysis' rank order, the summed "other" site last. */
#ifndef DRIP_LEAKS_OPENMETRICS_H
#define DRIP_LEAKS_OPENMETRICS_H
#include <stddef.h>
#include <stdio.h>

#include "leaks.h"

/* Content types of the exposition: OpenMetrics 1.0.0, and Prometheus's
 * classic text format (for clients that do not ask for OpenMetrics). */
#define LEAKS_OM_CONTENT_TYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"
#define LEAKS_OM_TEXT_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

#define LEAKS_OM_MAX_SERIES 50

struct leaks_om_target {
	const char *name;              /* the target label (borrowed; NULL = "") */
	const struct leaks_result *r;  /* borrowed; NULL: nothing analysed yet */
	int up;                        /* 1 / 0: the last snapshot was / was not
					* taken; -1: no drip_leaks_target_up */
};

struct leaks_om_opts {
	/* At most this many sites per target, taken alternately from the
	 * sites ranked by growth (proven leaks and suspects first) and by
	 * the value in the last snapshot (of the first sample type); the
	 * others are summed, per sample type, into one site="other" series
	 * per family (its verdict: the highest of theirs).  0: no limit. */
	size_t max_series;
};

/* leaks_write_openmetrics: the exposition of targets t[0..n) to f,
 * ending with "# EOF". */
void leaks_write_openmetrics(const struct leaks_om_target *t, size_t n, const struct leaks_om_opts *o, FILE *f);

/* leaks_om_escape: a label value as OpenMetrics writes it (\\, \", \n),
 * without the quotes. */
void leaks_om_escape(const char *s, FILE *f);

#endif
