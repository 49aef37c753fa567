#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The library never exits on its own: without a handler (a program's
 * choice, installed once at start-up) running out of memory aborts. */
static xalloc_oom_fn *oom_handler;

void xalloc_set_oom(xalloc_oom_fn *fn)
{
	oom_handler = fn;
}

static void oom(size_t n)
{
	if (oom_handler)
		oom_handler(n); /* does not return */
	fprintf(stderr, "drip: error: out of memory (allocating %zu bytes)\n", n);
	abort();
}

/* Big blocks (a million samples' stacks, values, hash tables) ask for
 * transparent huge pages: far fewer page faults and TLB misses when they
 * are filled and probed at random.  A hint only; errors are ignored. */
#define BIG_BLOCK ((size_t)8 << 20)
#define PAGE ((uintptr_t)sysconf(_SC_PAGESIZE))

static void *big_hint(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	/* The whole pages of the block, not just its 2 MiB-aligned middle:
	 * glibc maps a big block as one mapping and grows it with mremap,
	 * which fails (EFAULT) on a mapping that madvise has split in three,
	 * so that realloc then copies: a 1 GiB buffer grown by doubling
	 * peaked at 1.5-2 GiB.  The kernel uses huge pages for the aligned
	 * parts of the range anyway. */
	if (n >= BIG_BLOCK) {
		uintptr_t a = (uintptr_t)p & ~(PAGE - 1);
		uintptr_t e = ((uintptr_t)p + n + PAGE - 1) & ~(PAGE - 1);
		madvise((void *)a, e - a, MADV_HUGEPAGE);
	}
#endif
	return p;
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return big_hint(p, n);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return big_hint(p, n * size);
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return big_hint(q, n);
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom(SIZE_MAX);
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

void xgrow_slow(void *pp, size_t *cap, size_t need, size_t size)
{
	void **p = pp;
	size_t c;

	if (need <= *cap)
		return;
	c = *cap ? *cap : 8;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			oom(SIZE_MAX);
		c *= 2;
	}
	*p = xreallocarray(*p, c, size);
	*cap = c;
}
