/* owner: the code a user would change for an allocation site or a
 * goroutine group: the first frame on its path that is the program's own
 * (not the Go standard library, not runtime, not a module dependency).
 *
 * A function is the program's own when its package path (the name up to
 * the first '.' after the last '/', before any '[') is "main", or its
 * first element is not one of the standard library's (a fixed list, Go
 * 1.19 to 1.27: "net/http", "log/slog", "iter", "internal/...",
 * "vendor/golang.org/x/...") -- a module's, dotted
 * ("github.com/acme/shop/cart") or not ("leaky/store") -- and its file is
 * not a module dependency's: in the module cache ("/pkg/mod/"), a vendor
 * folder ("/vendor/"), or with -trimpath's "@vN" version element
 * ("golang.org/x/net@v0.17.0/http2/frame.go").  Compiler-made functions
 * ("type:.eq.main.T") and names that are not Go functions (no '.') are
 * nobody's own.
 * Where a path has no such frame, the owner is the nearest caller outside
 * the allocating package (and outside runtime). */
#ifndef DRIP_OWNER_H
#define DRIP_OWNER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

struct owner {
	const char *func;  /* interned; NULL when none */
	const char *file;  /* interned, "" when unknown */
	int64_t line;      /* 0 when unknown */
	bool own;          /* the program's own code (else: the nearest
			    * caller outside the allocating package) */
	bool creator;      /* goroutines: their creator, as no frame on
			    * their stacks is the program's own */
};

/* owner_is_own: see above.  file may be NULL or "". */
bool owner_is_own(const char *func, const char *file);

/* owner_own_flags: owner_is_own() of each of p's functions (one byte
 * each, nfunctions + 1), narrowed by the main module's folder where the
 * file names are absolute: package main's folder or one above it is the
 * main module's root, the deepest one under which the program's other
 * packages sit as "modulepath/dir" (the module path found by the most
 * packages); a package by owner_is_own() that is not there (a dependency
 * replaced by a local folder, "replace kvlib => ../kvlib", built without
 * vendor/ or -trimpath) is not the program's.  Unchanged without an
 * absolute file for package main, or when no other package fits.  Caller
 * frees. */
unsigned char *owner_own_flags(const struct profile *p);

/* owner_find: the owner of the samples whose leaf frame is in function
 * leaf_func (interned or not), weighted by their value at sample index si
 * (only positive values count); the owner with the largest total wins,
 * ties by name.  out->func is NULL when no sample matches, and when the
 * leaf itself is the program's own code (it is its own owner). */
void owner_find(const struct profile *p, int si, const char *leaf_func, struct owner *out);

/* owner_map: the owners of every leaf function of a profile at once
 * (one pass over its samples, where owner_find is one pass per site):
 * per leaf function and candidate owner, the sum of the positive values
 * of every sample type.  Holds only interned strings, so it outlives p.
 * Caller frees with owner_map_free (NULL allowed). */
struct owner_map;
struct owner_map *owner_map_new(const struct profile *p);
void owner_map_free(struct owner_map *m);
/* owner_map_get: as owner_find(p, si, leaf_func, out) on the profile
 * the map was made of. */
void owner_map_get(const struct owner_map *m, const char *leaf_func, size_t si, struct owner *out);

/* owner_json: key, then the owner as {function, file, line, own_code,
 * kind} (kind "own", "caller" or "creator"), or null when o->func is
 * NULL. */
struct json;
void owner_json(struct json *j, const char *key, const struct owner *o);

/* owner_site_func: the function part of a report node name at any
 * granularity ("bufio.NewReaderSize bufio.go:57" -> "bufio.NewReaderSize";
 * an address first, "000000000062a356 bufio.NewReaderSize ...", skipped),
 * into buf.  Returns buf. */
const char *owner_site_func(const char *node_name, char *buf, size_t n);

#endif
