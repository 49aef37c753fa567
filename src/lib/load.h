/* load: turn a path into a struct profile, choosing the decoder by
 * content (gzip magic, Go text headers, else protobuf), never by name. */
#ifndef DRIP_LOAD_H
#define DRIP_LOAD_H
#include <stddef.h>

#include "input.h"
#include "profile.h"

/* load_profile: read and decode PATH ("-" = stdin).  Returns a new
 * profile (caller frees), or NULL with err_set() holding the whole
 * message: "cannot read 'PATH': PROBLEM". */
struct profile *load_profile(const char *path);

/* load_profile_from: load_profile with so's size cap and fetch settings
 * (NULL: the defaults) and flags: LOAD_ALL_FRAMES keeps the frames that
 * the profile's drop_frames names (pprof -all_frames); by default they
 * are pruned, as pprof prunes them. */
enum { LOAD_ALL_FRAMES = 1 };
struct profile *load_profile_from(const char *path, const struct source_opts *so, unsigned flags);

/* load_profile_bytes: the same on bytes in memory (name for messages;
 * so's size cap, NULL: the default). */
struct profile *load_profile_bytes(const char *name, const unsigned char *data, size_t len,
				   const struct source_opts *so);

#endif
