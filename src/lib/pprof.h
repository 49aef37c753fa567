/* pprof: decode profile.proto bytes into a struct profile (and, for
 * `drip merge`, encode one back).  The only includer of the generated
 * protobuf-c header. */
#ifndef DRIP_PPROF_H
#define DRIP_PPROF_H
#include <stddef.h>

#include "buf.h"
#include "profile.h"

/* pprof_decode: data/len are uncompressed protobuf bytes.  Validates
 * every index and id.  Returns a new profile (caller frees), or NULL
 * with err_set() describing the first problem found. */
struct profile *pprof_decode(const unsigned char *data, size_t len);

/* pprof_looks_like: a cheap sniff of the first bytes: 1 if the data
 * can be a profile.proto message (starts with a known field tag). */
int pprof_looks_like(const unsigned char *data, size_t len);

/* pprof_encode: append p as uncompressed profile.proto bytes to out.
 * Strings go into a fresh string table (first use order, "" first);
 * function, mapping and location ids are the model's (index + 1 where
 * one is 0), so pprof_decode(pprof_encode(p)) gives back the same model.
 * Gzip the result for a file `go tool pprof` reads. */
void pprof_encode(const struct profile *p, struct buf *out);


#endif
