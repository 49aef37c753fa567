/* fetch: profiles from a running service's net/http/pprof endpoints
 * (libcurl).  Any command that takes a profile file also takes
 *   http://host:port/debug/pprof/heap   (any http:// or https:// URL)
 *   host:port                           (= that service's /debug/pprof/heap)
 *   host:port/debug/pprof/goroutine     (scheme-less URL)
 * Heap endpoints get gc=1 (a GC before the snapshot makes series far
 * less noisy) unless --no-gc; goroutine endpoints get debug=2 (states
 * and wait times) unless the URL has a debug= parameter.  struct
 * source_opts (input.h) gives the size cap, the time limit, --no-gc and
 * the interrupt flag. */
#ifndef DRIP_FETCH_H
#define DRIP_FETCH_H
#include <stdbool.h>

#include "buf.h"
#include "input.h"


/* fetch_is_url: 1 when arg names a URL or host:port rather than a file. */
int fetch_is_url(const char *arg);

/* fetch_expand_url: the full URL fetched for arg (caller frees); so may
 * be NULL (the defaults). */
char *fetch_expand_url(const char *arg, const struct source_opts *so);

/* fetch_url: GET the expanded URL; the body, exactly as served, into
 * out.  HTTP errors, redirects, timeouts, HTML pages and bodies past the
 * size cap (so->max_size) fail with err_set() (no file name in the
 * message: the caller adds it). */
int fetch_url(const char *url, const struct source_opts *so, struct buf *out);

#endif
