/* load: turn a path into a struct profile, choosing the decoder by
 * content (gzip magic, Go text headers, else protobuf), never by name. */
#ifndef DRIP_LOAD_H
#define DRIP_LOAD_H
#include <stddef.h>

#include "profile.h"

/* load_profile: read and decode PATH ("-" = stdin).  Returns a new
 * profile (caller frees), or NULL with err_set() holding the whole
 * message: "cannot read 'PATH': PROBLEM". */
struct profile *load_profile(const char *path);

/* load_profile_bytes: the same on bytes in memory (name for messages). */
struct profile *load_profile_bytes(const char *name, const unsigned char *data, size_t len);

#endif
