/* input: read a whole profile file (or stdin) into memory, inflating
 * gzip (detected by its magic bytes, concatenated members allowed).
 * Memory: the cap (struct source_opts) plus a page or two, for the raw bytes
 * and again for the inflated ones: buffers are exact (a regular file's
 * size, a gzip member's) or reserved at the cap and filled in place,
 * never doubled past it. */
#ifndef DRIP_INPUT_H
#define DRIP_INPUT_H
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define INPUT_DEFAULT_MAX ((uint64_t)1 << 30) /* 1 GiB after inflating */

struct input {
	unsigned char *data; /* owned (input_release); NUL-terminated (not counted in len) */
	size_t len;
	int was_gzip;
	size_t mapped; /* 0: data is malloc'd; else the bytes mapped at data */
};

/* source_opts: how profiles are read, from files, stdin or URLs: the
 * size cap and, for URLs (fetch.h), the fetch's time limit and whether
 * heap endpoints get gc=1.  All zero means the defaults; commands fill
 * it from --max-size, --timeout and --no-gc and hand it down. */
struct source_opts {
	uint64_t max_size; /* decompressed (and raw) bytes; 0: INPUT_DEFAULT_MAX */
	long timeout_secs; /* one fetch; 0: 30 */
	bool no_gc;        /* heap URLs without gc=1 */
	/* A fetch fails with "interrupted" within a second once *interrupt is
	 * set (by the CLI's SIGINT handler); NULL: never. */
	volatile sig_atomic_t *interrupt;
};

/* source_max_size: so's size cap, or the default (so may be NULL). */
uint64_t source_max_size(const struct source_opts *so);

/* input_read: read PATH ("-" = stdin), refusing more than max bytes
 * raw or inflated (0: INPUT_DEFAULT_MAX).  Returns 0, or -1 with
 * err_set() (the message does not name the file: the caller adds it). */
int input_read(const char *path, uint64_t max, struct input *in);
/* input_from_memory: the same on bytes already in memory (copied). */
int input_from_memory(const void *p, size_t n, uint64_t max, struct input *in);
/* input_from_owned: the same on n bytes at p, malloc'd with room for a
 * NUL after them; takes p (freed here or by input_release), so that an
 * HTTP body is not copied. */
int input_from_owned(void *p, size_t n, uint64_t max, struct input *in);
void input_release(struct input *in);

#endif
