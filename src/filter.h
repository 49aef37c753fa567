/* filter: pprof's sample and frame filters (driver applyFocus): focus,
 * ignore, hide, show, show_from, tagfocus, tagignore, tagshow, taghide,
 * applied to the profile in place.  Regexes are POSIX extended. */
#ifndef DRIP_FILTER_H
#define DRIP_FILTER_H
#include "options.h"
#include "profile.h"

/* Returns 0, or -1 with err_set() (a bad regex, say). */
int filter_apply(struct profile *p, const struct ropts *o);

#endif
