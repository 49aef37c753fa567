/* merge: pprof's profile.Merge: several profiles of compatible sample
 * types into one; identical samples (same stack and labels) are summed. */
#ifndef DRIP_MERGE_H
#define DRIP_MERGE_H
#include <stddef.h>

#include "profile.h"

/* Returns a new profile (caller frees), or NULL with err_set(). */
struct profile *profile_merge(struct profile *const *ps, size_t n);

/* profile_merge that frees each input's samples (samples, stacks,
 * values, labels) as soon as they are merged, so that merging big
 * profiles needs the memory of one input less.  The inputs keep their
 * headers and tables and must then only be freed (profile_free). */
struct profile *profile_merge_consume(struct profile *const *ps, size_t n);

#endif
