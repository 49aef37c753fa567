/* filter: pprof's sample and frame filters (driver applyFocus): focus,
 * ignore, hide, show, show_from, tagfocus, tagignore, tagshow, taghide
 * and prune_from, applied to the profile in place.  Regexes are POSIX
 * extended and, as in pprof, unanchored.
 *
 * What each one matches, as pprof's profile/filter.go:
 * - focus, ignore, hide, show, show_from test a location's function
 *   names and file names (every inlined line) and its mapping's file.
 *   focus keeps the samples with a matching frame, ignore drops them;
 *   hide removes the matching frames (inlined lines) from stacks, show
 *   keeps only the matching ones; show_from drops the callers above the
 *   outermost matching frame (samples without one are dropped).
 * - tagfocus / tagignore ("[KEY=]RE[,RE...]" or "[KEY=]RANGE"): without
 *   KEY every RE of the list must match some string label "key:value";
 *   with KEY any RE matching a value of KEY will do.  A RANGE ("32kb",
 *   "4mb:", ":64kb", "12kb:64mb", a plain number too) selects numeric
 *   labels by value, scaled by the label key's unit.
 * - tagshow / taghide remove the labels whose key does not match /
 *   matches.
 * - prune_from drops the frames below (callees of) the innermost frame
 *   whose simplified function name matches.
 * Samples left without frames are dropped, and so are samples that had
 * none to begin with (pprof's FilterSamplesByName always runs).  A
 * filter that matched nothing gets a warning on stderr, as pprof's
 * "Focus expression matched no samples". */
#ifndef DRIP_FILTER_H
#define DRIP_FILTER_H
#include <stdbool.h>
#include <stdint.h>

#include "profile.h"

/* filter_opts: pprof's filter flags, as given (NULL: not given).  The
 * strings are borrowed for the call. */
struct filter_opts {
	const char *focus, *ignore, *hide, *show, *show_from;
	const char *tagfocus, *tagignore, *tagshow, *taghide;
	const char *prune_from;
	bool verbose; /* warn when a tag filter is read as a range */
};

/* Returns 0, or -1 with err_set() (a bad regex, say). */
int filter_apply(struct profile *p, const struct filter_opts *o);

/* A numeric tag range, pprof's parseTagFilterRange. */
enum tag_range_op { TR_EQ, TR_GE, TR_LE, TR_BETWEEN };
struct tag_range {
	enum tag_range_op op;
	double lo, hi;  /* in unit */
	char unit[64];  /* canonical unit of the bounds ("MB", "ms"), the
			 * text given when it is no known unit, "" for none */
};

/* filter_parse_range: 1 when s is a range (r filled in), 0 when it is
 * not one (pprof then treats it as a regex), -1 with err_set() when a
 * number in it does not fit in 64 bits. */
int filter_parse_range(const char *s, struct tag_range *r);

/* filter_range_match: whether the numeric label value v, in unit
 * (pprof's NumLabelUnits for its key), lies in r.  A value whose unit is
 * of another kind than r's never matches. */
bool filter_range_match(const struct tag_range *r, int64_t v, const char *unit);

#endif
