/* input: read a whole profile file (or stdin) into memory, inflating
 * gzip (detected by its magic bytes, concatenated members allowed).
 * Memory: the cap (input_set_max) plus a page or two, for the raw bytes
 * and again for the inflated ones: buffers are exact (a regular file's
 * size, a gzip member's) or reserved at the cap and filled in place,
 * never doubled past it. */
#ifndef DRIP_INPUT_H
#define DRIP_INPUT_H
#include <stddef.h>
#include <stdint.h>

#define INPUT_DEFAULT_MAX ((uint64_t)1 << 30) /* 1 GiB after inflating */

struct input {
	unsigned char *data; /* owned (input_release); NUL-terminated (not counted in len) */
	size_t len;
	int was_gzip;
	size_t mapped; /* 0: data is malloc'd; else the bytes mapped at data */
};

/* input_max: the decompressed (and raw) size cap; 0 means the default. */
void input_set_max(uint64_t max);
uint64_t input_get_max(void);

/* input_read: read PATH ("-" = stdin).  Returns 0, or -1 with err_set()
 * (the message does not name the file: the caller adds it). */
int input_read(const char *path, struct input *in);
/* input_from_memory: the same on bytes already in memory (copied). */
int input_from_memory(const void *p, size_t n, struct input *in);
/* input_from_owned: the same on n bytes at p, malloc'd with room for a
 * NUL after them; takes p (freed here or by input_release), so that an
 * HTTP body is not copied. */
int input_from_owned(void *p, size_t n, struct input *in);
void input_release(struct input *in);

#endif
