/* xalloc: allocation that never returns NULL.  Out of memory is fatal
 * (STYLE 9): the handler the program installed runs (drip's CLI prints
 * the message and exits with status 2); without one the message is
 * printed and the process aborts.  The library itself never exits. */
#ifndef DRIP_XALLOC_H
#define DRIP_XALLOC_H
#include <stddef.h>

/* xalloc_oom_fn: called with the size that could not be allocated; must
 * not return.  Set once, before any allocation (main). */
typedef void xalloc_oom_fn(size_t n);
void xalloc_set_oom(xalloc_oom_fn *fn);

void *xmalloc(size_t n);              /* caller frees */
void *xcalloc(size_t n, size_t size); /* caller frees; zeroed */
void *xrealloc(void *p, size_t n);
/* xreallocarray: realloc to n*size bytes; dies if n*size overflows. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow *p (holding *cap elements of size) so it holds at least need. */
void xgrow_slow(void *pp, size_t *cap, size_t need, size_t size);
/* xgrow: make room for need elements; the common "already room" case
 * is inline (it runs once per element in the decoders' loops). */
static inline void xgrow(void *pp, size_t *cap, size_t need, size_t size)
{
	if (need > *cap)
		xgrow_slow(pp, cap, need, size);
}

#endif
