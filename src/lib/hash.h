/* hash: small hashing helpers and an open-addressing map from uint64_t
 * keys to uint64_t values (ids to indexes, and similar). */
#ifndef DRIP_HASH_H
#define DRIP_HASH_H
#include <stddef.h>
#include <stdint.h>

static inline uint64_t hash_mix(uint64_t x)
{
	/* splitmix64 finaliser: cheap and spreads bits well. */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static inline uint64_t hash_combine(uint64_t h, uint64_t v)
{
	return hash_mix(h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
}

uint64_t hash_bytes(const void *p, size_t n);

/* A map u64 -> u64.  Keys are arbitrary (0 allowed). */
struct u64map {
	uint64_t *keys;
	uint64_t *vals;
	unsigned char *used;
	size_t cap, len; /* cap is a power of two */
};
#define U64MAP_INIT { NULL, NULL, NULL, 0, 0 }

void u64map_release(struct u64map *m);
/* Returns a pointer to the value slot for key, inserting it with *value
 * = dflt when absent; *inserted (if non-NULL) says which. */
uint64_t *u64map_put(struct u64map *m, uint64_t key, uint64_t dflt, int *inserted);
/* Returns 1 and sets *val when key is present, else 0. */
int u64map_get(const struct u64map *m, uint64_t key, uint64_t *val);

#endif
