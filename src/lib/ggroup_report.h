/* ggroup_report: the reports of `drip goroutines` over dumps grouped by
 * ggroup.h: one dump's groups, largest first (proven leaks first), or,
 * against an older dump, each group's change, largest first (groups
 * matched on their non-runtime functions, plus state and labels when
 * both dumps have them).  Text or JSON (schemas drip.goroutines/1 and
 * drip.goroutines-diff/1), to a FILE *. */
#ifndef DRIP_GGROUP_REPORT_H
#define DRIP_GGROUP_REPORT_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ggroup.h"
#include "rx.h"

/* ggroup_select: which groups a report shows.  Init with
 * ggroup_select_init, release with ggroup_select_release. */
struct ggroup_select {
	int64_t min_count;   /* groups of at least this many goroutines
			      * (against a base: in either dump); 0 */
	int64_t min_wait;    /* minutes the dumps were built with
			      * (gdump_build_filtered), named in the
			      * report's header; -1 none */
	bool has_state, has_focus, has_ignore;
	struct rx *state;    /* the state (or guessed blocking) matches */
	struct rx *focus;    /* some function matches */
	struct rx *ignore;   /* no function matches */
	bool color;          /* text: color.h's colours: LEAKED red; against
			      * a base, a delta red (grew) or blue (shrank) */
};

enum ggroup_re { GGROUP_RE_STATE, GGROUP_RE_FOCUS, GGROUP_RE_IGNORE };

void ggroup_select_init(struct ggroup_select *s);
/* ggroup_select_regex: set one of the regexes (Go's syntax, rx.h;
 * replacing an earlier one).  0, or -1 with err_set() saying what is
 * wrong with it. */
int ggroup_select_regex(struct ggroup_select *s, enum ggroup_re which, const char *re);
void ggroup_select_release(struct ggroup_select *s);

/* ggroup_select_keep: does g pass the regexes?  (min_count is applied
 * by the reports: against a base it counts both dumps.) */
bool ggroup_select_keep(const struct ggroup_select *s, const struct ggroup *g);

/* ggroup_write_report: d's groups that s selects; name names the dump. */
void ggroup_write_report(const char *name, const struct gdump *d, const struct ggroup_select *s, bool json, FILE *f);

/* ggroup_write_diff: each group's change from od (base_name) to nd
 * (name). */
void ggroup_write_diff(const char *base_name, const struct gdump *od, const char *name, const struct gdump *nd,
		       const struct ggroup_select *s, bool json, FILE *f);

#endif
