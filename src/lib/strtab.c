#include "strtab.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "xalloc.h"

struct entry {
	const char *s;
	size_t len;
	uint64_t h;
};

static struct entry *tab;
static size_t cap, len;
/* drip diff loads its two sides on two threads (session.c); interning is
 * rare enough (once per distinct string of a file) to take a lock. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Strings live in big chunks so interning a million names costs a
 * million memcpy's, not a million mallocs. */
struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};
static struct chunk *chunks;

static char *chunk_alloc(size_t n)
{
	struct chunk *c = chunks;

	if (!c || c->size - c->used < n) {
		size_t sz = n > 65536 ? n : 65536;
		c = xmalloc(sizeof(*c) + sz);
		c->next = chunks;
		c->used = 0;
		c->size = sz;
		chunks = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

static void grow(void)
{
	size_t ncap = cap ? cap * 2 : 1024, i;
	struct entry *n = xcalloc(ncap, sizeof(*n));

	for (i = 0; i < cap; i++) {
		if (tab[i].s) {
			size_t j = tab[i].h & (ncap - 1);
			while (n[j].s)
				j = (j + 1) & (ncap - 1);
			n[j] = tab[i];
		}
	}
	free(tab);
	tab = n;
	cap = ncap;
}

const char *intern_n(const char *s, size_t n)
{
	uint64_t h = hash_bytes(s, n);
	size_t j;
	char *d;

	pthread_mutex_lock(&lock);
	if ((len + 1) * 2 > cap)
		grow();
	j = h & (cap - 1);
	while (tab[j].s) {
		if (tab[j].h == h && tab[j].len == n && memcmp(tab[j].s, s, n) == 0) {
			d = (char *)tab[j].s;
			pthread_mutex_unlock(&lock);
			return d;
		}
		j = (j + 1) & (cap - 1);
	}
	d = chunk_alloc(n + 1);
	memcpy(d, s, n);
	d[n] = 0;
	tab[j].s = d;
	tab[j].len = n;
	tab[j].h = h;
	len++;
	pthread_mutex_unlock(&lock);
	return d;
}

const char *intern(const char *s)
{
	return intern_n(s, strlen(s));
}

static const char *empty;

const char *intern_empty(void)
{
	const char *e = __atomic_load_n(&empty, __ATOMIC_ACQUIRE);

	if (!e) {
		e = intern_n("", 0); /* the same pointer on every thread */
		__atomic_store_n(&empty, e, __ATOMIC_RELEASE);
	}
	return e;
}

static unsigned generation;

unsigned strtab_generation(void)
{
	return generation;
}

void strtab_free(void)
{
	generation++;
	while (chunks) {
		struct chunk *n = chunks->next;
		free(chunks);
		chunks = n;
	}
	free(tab);
	tab = NULL;
	cap = len = 0;
	empty = NULL;
}
