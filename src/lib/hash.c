#include "hash.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ n;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ hash_mix(w)) * 0x100000001b3ULL;
	}
	if (i < n) {
		uint64_t w = 0;
		memcpy(&w, s + i, n - i);
		h = (h ^ hash_mix(w)) * 0x100000001b3ULL;
	}
	return hash_mix(h);
}

void u64map_release(struct u64map *m)
{
	free(m->keys);
	free(m->vals);
	free(m->used);
	memset(m, 0, sizeof(*m));
}

static void rehash(struct u64map *m, size_t ncap)
{
	struct u64map n = U64MAP_INIT;
	size_t i;

	n.cap = ncap;
	n.keys = xcalloc(ncap, sizeof(uint64_t));
	n.vals = xcalloc(ncap, sizeof(uint64_t));
	n.used = xcalloc(ncap, 1);
	for (i = 0; i < m->cap; i++) {
		if (m->used[i]) {
			size_t j = hash_mix(m->keys[i]) & (ncap - 1);
			while (n.used[j])
				j = (j + 1) & (ncap - 1);
			n.used[j] = 1;
			n.keys[j] = m->keys[i];
			n.vals[j] = m->vals[i];
		}
	}
	n.len = m->len;
	u64map_release(m);
	*m = n;
}

uint64_t *u64map_put(struct u64map *m, uint64_t key, uint64_t dflt, int *inserted)
{
	size_t j;

	if ((m->len + 1) * 2 > m->cap)
		rehash(m, m->cap ? m->cap * 2 : 16);
	j = hash_mix(key) & (m->cap - 1);
	while (m->used[j]) {
		if (m->keys[j] == key) {
			if (inserted)
				*inserted = 0;
			return &m->vals[j];
		}
		j = (j + 1) & (m->cap - 1);
	}
	m->used[j] = 1;
	m->keys[j] = key;
	m->vals[j] = dflt;
	m->len++;
	if (inserted)
		*inserted = 1;
	return &m->vals[j];
}

int u64map_get(const struct u64map *m, uint64_t key, uint64_t *val)
{
	size_t j;

	if (!m->cap)
		return 0;
	j = hash_mix(key) & (m->cap - 1);
	while (m->used[j]) {
		if (m->keys[j] == key) {
			*val = m->vals[j];
			return 1;
		}
		j = (j + 1) & (m->cap - 1);
	}
	return 0;
}
