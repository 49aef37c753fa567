/* prune: pprof's Profile.RemoveUninteresting: drop the frames that the
 * profile's drop_frames regex names (unless keep_frames keeps them), as
 * pprof does to every profile it loads. */
#ifndef DRIP_PRUNE_H
#define DRIP_PRUNE_H
#include "profile.h"

/* Returns 0, or -1 with err_set() when a regex does not compile. */
int profile_remove_uninteresting(struct profile *p);

/* prune_regex_ok: 0 when re's repeats are within bounds, else -1 with
 * err_set() (rx_compile applies it).  Repeats are expanded, so a hostile
 * "((a{255}){255}){255}" in a file would take gigabytes; like Go's regexp
 * (which pprof uses), drip refuses a repeat whose count times the counts
 * of the repeats nested in it passes 1000, and a pattern whose repeats
 * add up to more than 100,000 copies. */
int prune_regex_ok(const char *re);

/* pprof's simplifyFunc: a function name without its argument list,
 * keeping "(anonymous namespace)" and "operator()".  Writes into out
 * (size >= strlen(f)+1). */
void prune_simplify_func(const char *f, char *out);

#endif
