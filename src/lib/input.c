#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>
#include <zlib.h>

#include "error.h"
#include "xalloc.h"

static uint64_t max_size = INPUT_DEFAULT_MAX;

void input_set_max(uint64_t max)
{
	max_size = max ? max : INPUT_DEFAULT_MAX;
}

uint64_t input_get_max(void)
{
	return max_size;
}

static int read_all(int fd, unsigned char **out, size_t *outlen)
{
	size_t cap = 0, len = 0;
	unsigned char *p = NULL;
	struct stat st;

	/* A regular file's size is known: one allocation instead of copies
	 * by doubling (the loop still reads until EOF, so a file that grows
	 * meanwhile is read whole). */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size <= max_size)
		xgrow(&p, &cap, (size_t)st.st_size + 65536 + 1, 1);
	for (;;) {
		ssize_t n;

		if (cap - len < 65536) {
			if (len > max_size) {
				free(p);
				return err_set("file is larger than the size limit of %llu bytes (see --max-size)",
					       (unsigned long long)max_size);
			}
			xgrow(&p, &cap, len + 65536 + 1, 1);
		}
		n = read(fd, p + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(p);
			return err_set("%s", strerror(errno));
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max_size) {
		free(p);
		return err_set("file is larger than the size limit of %llu bytes (see --max-size)",
			       (unsigned long long)max_size);
	}
	if (!p)
		p = xmalloc(1);
	p[len] = 0;
	*out = p;
	*outlen = len;
	return 0;
}

static uInt clamp_uint(size_t n)
{
	return n > UINT32_MAX ? UINT32_MAX : (uInt)n;
}

/* The fast path: a single gzip member whose trailer gives its size,
 * inflated in one call by libdeflate (about twice zlib's speed).
 * Returns 0 when done; 1 when the data is anything else (several
 * members, a size past the cap, corrupt data), for zlib to handle and
 * describe. */
static int gunzip_fast(const unsigned char *src, size_t srclen, struct input *in)
{
	struct libdeflate_decompressor *d;
	size_t isize, in_used = 0, out_len = 0;
	unsigned char *out;
	enum libdeflate_result r;

	if (srclen < 18)
		return 1;
	isize = (size_t)src[srclen - 4] | (size_t)src[srclen - 3] << 8 | (size_t)src[srclen - 2] << 16 |
		(size_t)src[srclen - 1] << 24;
	/* ISIZE is the file's claim: deflate cannot compress better than
	 * 1032:1, so a larger claim is a lie (or a bomb) and must not size
	 * an allocation; zlib's streaming path deals with such files. */
	if (isize > max_size || isize / 1032 > srclen)
		return 1;
	d = libdeflate_alloc_decompressor();
	if (!d)
		return 1;
	out = xmalloc(isize + 1);
	r = libdeflate_gzip_decompress_ex(d, src, srclen, out, isize, &in_used, &out_len);
	libdeflate_free_decompressor(d);
	if (r != LIBDEFLATE_SUCCESS || in_used != srclen || out_len != isize) {
		free(out);
		return 1;
	}
	out[out_len] = 0;
	in->data = out;
	in->len = out_len;
	in->was_gzip = 1;
	return 0;
}

/* Inflate one or more concatenated gzip members into in. */
static int gunzip(const unsigned char *src, size_t srclen, struct input *in)
{
	z_stream zs;
	size_t cap, len = 0, pos = 0; /* pos: bytes of src handed to zlib */
	unsigned char *out;
	int ret;

	if (gunzip_fast(src, srclen, in) == 0)
		return 0;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return err_set("cannot initialise zlib");
	cap = srclen < ((size_t)1 << 26) ? srclen * 4 + 1024 : srclen * 2;
	if (cap > max_size + 1)
		cap = (size_t)max_size + 1;
	out = xmalloc(cap + 1);
	zs.next_in = (unsigned char *)src;
	zs.avail_in = clamp_uint(srclen);
	pos = zs.avail_in;
	for (;;) {
		size_t room;

		if (len == cap) {
			if (len > max_size)
				goto too_big;
			cap = cap * 2 > max_size + 1 ? (size_t)max_size + 1 : cap * 2;
			out = xrealloc(out, cap + 1);
		}
		if (zs.avail_in == 0 && pos < srclen) {
			zs.avail_in = clamp_uint(srclen - pos);
			pos += zs.avail_in;
		}
		room = cap - len;
		zs.next_out = out + len;
		zs.avail_out = clamp_uint(room);
		room = zs.avail_out;
		ret = inflate(&zs, Z_NO_FLUSH);
		len += room - zs.avail_out;
		if (ret == Z_OK)
			continue;
		if (ret == Z_STREAM_END) {
			/* Another member may follow; zero padding after the
			 * last one is tolerated, as gzip(1) does. */
			size_t used = (size_t)(zs.next_in - src);
			const unsigned char *r = src + used;

			while (r < src + srclen && *r == 0)
				r++;
			if (r == src + srclen)
				break;
			if (src + srclen - r < 2 || r[0] != 0x1f || r[1] != 0x8b) {
				inflateEnd(&zs);
				free(out);
				return err_set("trailing garbage after gzip data at byte %zu", used);
			}
			inflateReset(&zs);
			zs.next_in = (unsigned char *)r;
			zs.avail_in = clamp_uint((size_t)(src + srclen - r));
			pos = (size_t)(r - src) + zs.avail_in;
			continue;
		}
		if (ret == Z_BUF_ERROR && zs.avail_out == 0)
			continue; /* needs more room: grown above */
		if (ret == Z_BUF_ERROR && zs.avail_in == 0 && pos >= srclen) {
			inflateEnd(&zs);
			free(out);
			return err_set("truncated gzip data (%zu bytes, no end of stream)", srclen);
		}
		{
			const char *why = zs.msg ? zs.msg : "corrupt data";
			size_t at = (size_t)(zs.next_in - src);

			inflateEnd(&zs);
			free(out);
			return err_set("corrupt gzip data near byte %zu: %s", at, why);
		}
	}
	inflateEnd(&zs);
	if (len > max_size)
		goto too_big2;
	out[len] = 0;
	in->data = out;
	in->len = len;
	in->was_gzip = 1;
	return 0;
too_big:
	inflateEnd(&zs);
too_big2:
	free(out);
	return err_set("gzip data inflates past the size limit of %llu bytes (see --max-size)",
		       (unsigned long long)max_size);
}

static int finish(unsigned char *raw, size_t len, struct input *in)
{
	memset(in, 0, sizeof(*in));
	if (len >= 2 && raw[0] == 0x1f && raw[1] == 0x8b) {
		int r = gunzip(raw, len, in);
		free(raw);
		return r;
	}
	in->data = raw;
	in->len = len;
	return 0;
}

int input_read(const char *path, struct input *in)
{
	unsigned char *raw = NULL;
	size_t len = 0;
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
	if (read_all(fd, &raw, &len) < 0) {
		if (fd)
			close(fd);
		return -1;
	}
	if (fd)
		close(fd);
	return finish(raw, len, in);
}

int input_from_memory(const void *p, size_t n, struct input *in)
{
	unsigned char *raw = xmalloc(n + 1);

	memcpy(raw, p, n);
	raw[n] = 0;
	return finish(raw, n, in);
}

void input_release(struct input *in)
{
	free(in->data);
	memset(in, 0, sizeof(*in));
}
