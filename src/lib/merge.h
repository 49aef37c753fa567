/* merge: pprof's profile.Merge: several profiles of compatible sample
 * types into one; identical samples (same stack and labels) are summed. */
#ifndef DRIP_MERGE_H
#define DRIP_MERGE_H
#include <stddef.h>

#include "profile.h"

/* Returns a new profile (caller frees), or NULL with err_set(). */
struct profile *profile_merge(struct profile *const *ps, size_t n);

#endif
