#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>
#include <zlib.h>

#include "error.h"
#include "xalloc.h"

uint64_t source_max_size(const struct source_opts *so)
{
	return so && so->max_size ? so->max_size : INPUT_DEFAULT_MAX;
}

/* A bounded byte buffer.  Where the cap can be reserved, it is one
 * anonymous mapping of the whole cap (MAP_NORESERVE: a page costs memory
 * only once written), filled in place: never copied, never doubled past
 * the cap, so reading or inflating n bytes takes n bytes of memory and a
 * bomb stops at the cap.  Otherwise (ulimit -v, strict overcommit, a cap
 * beyond the address space) a malloc'd buffer grown by doubling, each
 * step clamped to the cap. */
struct bbuf {
	unsigned char *p;
	size_t len, cap; /* cap counts the NUL after the data */
	size_t max;      /* cap never grows past max */
	size_t mapped;   /* bytes mapped at p; 0: malloc'd */
};

#define BBUF_MAP_MIN ((size_t)1 << 20) /* smaller caps are malloc'd */

static size_t page_round(size_t n)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	return (n + pg - 1) / pg * pg;
}

/* bbuf_init: room for up to max - 1 bytes of data plus a NUL; start
 * malloc'd at first (not mapped) when a size hint is given. */
static void bbuf_init(struct bbuf *b, size_t max, size_t hint)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
	if (!hint && max >= BBUF_MAP_MIN) {
		size_t m = page_round(max);
		void *p = mmap(NULL, m, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p != MAP_FAILED) {
#ifdef MADV_HUGEPAGE
			madvise(p, m, MADV_HUGEPAGE); /* as xalloc's big blocks */
#endif
			b->p = p;
			b->cap = max;
			b->mapped = m;
			return;
		}
	}
	b->cap = hint ? hint : 65536;
	if (b->cap > max)
		b->cap = max;
	b->p = xmalloc(b->cap);
}

/* bbuf_room: make room for at least one more byte of data (and the
 * NUL); -1 when the buffer is at its cap. */
static int bbuf_room(struct bbuf *b)
{
	size_t c;

	if (b->cap - b->len >= 2)
		return 0;
	if (b->cap >= b->max)
		return -1;
	c = b->cap > b->max / 2 ? b->max : b->cap * 2;
	if (b->mapped) /* only a malloc'd buffer grows */
		return -1;
	b->p = xrealloc(b->p, c);
	b->cap = c;
	return 0;
}

static void bbuf_release(struct bbuf *b)
{
	if (b->mapped)
		munmap(b->p, b->mapped);
	else
		free(b->p);
	memset(b, 0, sizeof(*b));
}

/* bbuf_trim: give back the pages of a mapping past the data and NUL. */
static void bbuf_trim(struct bbuf *b)
{
	if (b->mapped) {
		size_t keep = page_round(b->len + 1);
		if (keep < b->mapped) {
			munmap(b->p + keep, b->mapped - keep);
			b->mapped = keep;
			b->cap = b->max = keep;
		}
	}
}

/* bbuf_finish: NUL-terminate, trim, and hand the bytes to in. */
static void bbuf_finish(struct bbuf *b, struct input *in)
{
	b->p[b->len] = 0;
	bbuf_trim(b);
	in->data = b->p;
	in->len = b->len;
	in->mapped = b->mapped;
	memset(b, 0, sizeof(*b));
}

static int too_large(uint64_t max_size)
{
	return err_set("file is larger than the size limit of %llu bytes (see --max-size)",
		       (unsigned long long)max_size);
}

/* The cap of a buffer that holds up to max_size bytes, one more (to
 * tell "exactly at the cap" from "past it") and the NUL. */
static size_t cap_of_max(uint64_t max_size)
{
	return max_size > SIZE_MAX - 2 ? SIZE_MAX : (size_t)max_size + 2;
}

/* Read fd to its end.  A regular file's size is known: one exact
 * buffer (refused at once when past the cap); pipes, terminals and
 * devices fill a reserved buffer. */
static int read_all(int fd, uint64_t max_size, struct bbuf *b)
{
	struct stat st;
	size_t hint = 0;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		if ((uint64_t)st.st_size > max_size)
			return too_large(max_size);
		hint = (size_t)st.st_size + 2; /* +1: see the end at once; +1: NUL */
	}
	bbuf_init(b, cap_of_max(max_size), hint);
	for (;;) {
		ssize_t n;

		if (bbuf_room(b) < 0) {
			bbuf_release(b);
			return too_large(max_size);
		}
		n = read(fd, b->p + b->len, b->cap - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			bbuf_release(b);
			return err_set("%s", strerror(errno));
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
	}
	if (b->len > max_size) {
		bbuf_release(b);
		return too_large(max_size);
	}
	return 0;
}

static uInt clamp_uint(size_t n)
{
	return n > UINT32_MAX ? UINT32_MAX : (uInt)n;
}

static int inflates_too_far(uint64_t max_size)
{
	return err_set("gzip data inflates past the size limit of %llu bytes (see --max-size)",
		       (unsigned long long)max_size);
}

/* After a member ending at src[used]: zero padding to the end (as
 * gzip(1) tolerates) is the end, 1; another member, 0 with *next at it;
 * anything else, -1 with err_set(). */
static int after_member(const unsigned char *src, size_t srclen, size_t used, size_t *next)
{
	const unsigned char *r = src + used;

	while (r < src + srclen && *r == 0)
		r++;
	if (r == src + srclen)
		return 1;
	if (src + srclen - r < 2 || r[0] != 0x1f || r[1] != 0x8b)
		return err_set("trailing garbage after gzip data at byte %zu", used);
	*next = (size_t)(r - src);
	return 0;
}

/* The fast path, for a reserved buffer: each member inflated in one
 * call by libdeflate (several times zlib's speed) straight into the
 * buffer, its room being what is left under the cap.  Returns 0 when
 * done, -1 with err_set() past the cap or on trailing garbage, 1 on
 * data libdeflate rejects (for zlib to describe). */
static int gunzip_members(const unsigned char *src, size_t srclen, uint64_t max_size, struct bbuf *b)
{
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	size_t pos = 0;
	int r;

	if (!d)
		return 1;
	for (;;) {
		size_t in_used = 0, out_len = 0;
		enum libdeflate_result lr;

		lr = libdeflate_gzip_decompress_ex(d, src + pos, srclen - pos, b->p + b->len, b->cap - 1 - b->len,
						   &in_used, &out_len);
		if (lr == LIBDEFLATE_INSUFFICIENT_SPACE) {
			r = inflates_too_far(max_size);
			break;
		}
		if (lr != LIBDEFLATE_SUCCESS) {
			r = 1;
			break;
		}
		b->len += out_len;
		if (b->len > max_size) {
			r = inflates_too_far(max_size);
			break;
		}
		r = after_member(src, srclen, pos + in_used, &pos);
		if (r != 0) {
			r = r < 0 ? -1 : 0;
			break;
		}
	}
	libdeflate_free_decompressor(d);
	return r;
}

/* The fast path for a malloc'd buffer: a single member whose trailer
 * gives its size, inflated by libdeflate into an exact buffer.  Returns
 * 0 when done; 1 for anything else (several members, a size past the
 * cap, corrupt data), for zlib to handle and describe. */
static int gunzip_one(const unsigned char *src, size_t srclen, uint64_t max_size, struct bbuf *b)
{
	struct libdeflate_decompressor *d;
	size_t isize, in_used = 0, out_len = 0;
	enum libdeflate_result r;

	if (srclen < 18)
		return 1;
	isize = (size_t)src[srclen - 4] | (size_t)src[srclen - 3] << 8 | (size_t)src[srclen - 2] << 16 |
		(size_t)src[srclen - 1] << 24;
	/* ISIZE is the file's claim: deflate cannot compress better than
	 * 1032:1, so a larger claim is a lie (or a bomb) and must not size
	 * an allocation; zlib's streaming path deals with such files. */
	if (isize > max_size || isize / 1032 > srclen || isize + 1 > b->cap)
		return 1;
	d = libdeflate_alloc_decompressor();
	if (!d)
		return 1;
	r = libdeflate_gzip_decompress_ex(d, src, srclen, b->p, isize, &in_used, &out_len);
	libdeflate_free_decompressor(d);
	if (r != LIBDEFLATE_SUCCESS || in_used != srclen || out_len != isize)
		return 1;
	b->len = out_len;
	return 0;
}

/* Inflate one or more concatenated gzip members into in.  The output
 * never takes more than the cap plus a page: a reserved buffer is
 * filled in place (libdeflate, zlib for its error messages); otherwise
 * a single member of known size gets an exact buffer, and zlib fills a
 * buffer that doubles up to the cap. */
static int gunzip(const unsigned char *src, size_t srclen, uint64_t max_size, struct input *in)
{
	struct bbuf b;
	z_stream zs;
	size_t pos = 0; /* bytes of src handed to zlib */
	int ret;

	bbuf_init(&b, cap_of_max(max_size), 0);
	if (b.mapped) {
		ret = gunzip_members(src, srclen, max_size, &b);
		if (ret < 0) {
			bbuf_release(&b);
			return -1;
		}
		if (ret == 0)
			goto done;
		b.len = 0; /* corrupt: zlib says where and why */
	} else {
		/* a malloc'd buffer: sized for the member's claimed size */
		size_t isize = srclen >= 18 ? (size_t)src[srclen - 4] | (size_t)src[srclen - 3] << 8 |
						      (size_t)src[srclen - 2] << 16 | (size_t)src[srclen - 1] << 24
					    : 0;
		if (isize <= max_size && isize / 1032 <= srclen && isize + 2 > b.cap) {
			b.p = xrealloc(b.p, isize + 2);
			b.cap = isize + 2;
		}
		if (gunzip_one(src, srclen, max_size, &b) == 0)
			goto done;
		b.len = 0;
	}
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		bbuf_release(&b);
		return err_set("cannot initialise zlib");
	}
	zs.next_in = (unsigned char *)src;
	zs.avail_in = clamp_uint(srclen);
	pos = zs.avail_in;
	for (;;) {
		size_t room;

		if (bbuf_room(&b) < 0)
			goto too_big;
		if (zs.avail_in == 0 && pos < srclen) {
			zs.avail_in = clamp_uint(srclen - pos);
			pos += zs.avail_in;
		}
		room = b.cap - 1 - b.len;
		zs.next_out = b.p + b.len;
		zs.avail_out = clamp_uint(room);
		room = zs.avail_out;
		ret = inflate(&zs, Z_NO_FLUSH);
		b.len += room - zs.avail_out;
		if (ret == Z_OK)
			continue;
		if (ret == Z_STREAM_END) {
			size_t used = (size_t)(zs.next_in - src), next = 0;
			int r = after_member(src, srclen, used, &next);

			if (r > 0)
				break;
			if (r < 0) {
				inflateEnd(&zs);
				bbuf_release(&b);
				return -1;
			}
			inflateReset(&zs);
			zs.next_in = (unsigned char *)src + next;
			zs.avail_in = clamp_uint(srclen - next);
			pos = next + zs.avail_in;
			continue;
		}
		if (ret == Z_BUF_ERROR && zs.avail_out == 0)
			continue; /* needs more room: grown above */
		if (ret == Z_BUF_ERROR && zs.avail_in == 0 && pos >= srclen) {
			inflateEnd(&zs);
			bbuf_release(&b);
			return err_set("truncated gzip data (%zu bytes, no end of stream)", srclen);
		}
		{
			const char *why = zs.msg ? zs.msg : "corrupt data";
			size_t at = (size_t)(zs.next_in - src);

			ret = err_set("corrupt gzip data near byte %zu: %s", at, why);
			inflateEnd(&zs);
			bbuf_release(&b);
			return ret;
		}
	}
	inflateEnd(&zs);
	if (b.len > max_size) {
		bbuf_release(&b);
		return inflates_too_far(max_size);
	}
done:
	bbuf_finish(&b, in);
	in->was_gzip = 1;
	return 0;
too_big:
	inflateEnd(&zs);
	bbuf_release(&b);
	return inflates_too_far(max_size);
}

/* Decode raw (gunzip when it starts with gzip's magic) into in; takes
 * raw. */
static int finish(struct bbuf *raw, uint64_t max_size, struct input *in)
{
	memset(in, 0, sizeof(*in));
	if (raw->len >= 2 && raw->p[0] == 0x1f && raw->p[1] == 0x8b) {
		int r;

		bbuf_trim(raw); /* the reserve of the raw bytes is not needed */
		r = gunzip(raw->p, raw->len, max_size, in);
		bbuf_release(raw);
		return r;
	}
	bbuf_finish(raw, in);
	return 0;
}

int input_read(const char *path, uint64_t max, struct input *in)
{
	uint64_t max_size = max ? max : INPUT_DEFAULT_MAX;
	struct bbuf raw;
	int fd;

	if (strcmp(path, "-") == 0) {
		fd = 0;
	} else {
		struct stat st;

		fd = open(path, O_RDONLY);
		if (fd < 0)
			return err_set("%s", strerror(errno));
		if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			close(fd);
			return err_set("is a directory");
		}
	}
	if (read_all(fd, max_size, &raw) < 0) {
		if (fd)
			close(fd);
		return -1;
	}
	if (fd)
		close(fd);
	return finish(&raw, max_size, in);
}

int input_from_memory(const void *p, size_t n, uint64_t max, struct input *in)
{
	uint64_t max_size = max ? max : INPUT_DEFAULT_MAX;
	struct bbuf raw;

	memset(&raw, 0, sizeof(raw));
	raw.p = xmalloc(n + 1);
	raw.cap = raw.max = n + 1;
	memcpy(raw.p, p, n);
	raw.len = n;
	return finish(&raw, max_size, in);
}

int input_from_owned(void *p, size_t n, uint64_t max, struct input *in)
{
	uint64_t max_size = max ? max : INPUT_DEFAULT_MAX;
	struct bbuf raw;

	memset(&raw, 0, sizeof(raw));
	raw.p = p ? p : xmalloc(1);
	raw.cap = raw.max = n + 1;
	raw.len = n;
	return finish(&raw, max_size, in);
}

void input_release(struct input *in)
{
	if (in->mapped)
		munmap(in->data, in->mapped);
	else
		free(in->data);
	memset(in, 0, sizeof(*in));
}
