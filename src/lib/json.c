#include "json.h"

#include <math.h>
#include <string.h>

#include "buf.h"

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->first[0] = true;
}

void json_init_buf(struct json *j, struct buf *b)
{
	memset(j, 0, sizeof(*j));
	j->b = b;
	j->first[0] = true;
}

static void put(struct json *j, const void *s, size_t n)
{
	struct buf *b = j->b;

	if (!b) {
		fwrite(s, 1, n, j->f);
	} else if (b->len + n < b->cap) {
		/* the common case inline: room for the bytes and the NUL */
		memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len] = 0;
	} else {
		buf_add(b, s, n);
	}
}

static void putch(struct json *j, char c)
{
	struct buf *b = j->b;

	if (!b) {
		putc(c, j->f);
	} else if (b->len + 1 < b->cap) {
		b->data[b->len++] = c;
		b->data[b->len] = 0;
	} else {
		buf_putc(b, c);
	}
}

/* Before a value: a comma unless it is the first at its level or it
 * follows a key. */
static void sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		putch(j, ',');
	j->first[j->depth] = false;
}

static void open_level(struct json *j, char c)
{
	sep(j);
	putch(j, c);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_level(struct json *j, char c)
{
	putch(j, c);
	if (j->depth > 0)
		j->depth--;
}

void json_begin_object(struct json *j) { open_level(j, '{'); }
void json_end_object(struct json *j) { close_level(j, '}'); }
void json_begin_array(struct json *j) { open_level(j, '['); }
void json_end_array(struct json *j) { close_level(j, ']'); }

/* Length of a valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* A string literal: the runs of bytes that need no escape are written
 * at once. */
static void escape(struct json *j, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : ""), *run;
	char u[8];

	putch(j, '"');
	run = s;
	while (*s) {
		unsigned char c = *s;
		size_t n;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			s++;
			continue;
		}
		if (c >= 0x80 && (n = utf8_len(s)) != 0) {
			s += n;
			continue;
		}
		put(j, run, (size_t)(s - run));
		switch (c) {
		case '"': put(j, "\\\"", 2); break;
		case '\\': put(j, "\\\\", 2); break;
		case '\n': put(j, "\\n", 2); break;
		case '\r': put(j, "\\r", 2); break;
		case '\t': put(j, "\\t", 2); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				snprintf(u, sizeof(u), "\\u%04x", c);
				put(j, u, 6);
			} else {
				put(j, "\\ufffd", 6); /* invalid UTF-8 */
			}
		}
		s++;
		run = s;
	}
	put(j, run, (size_t)(s - run));
	putch(j, '"');
}

void json_escape(FILE *f, const char *str)
{
	struct json j;

	json_init(&j, f);
	escape(&j, str);
}

void json_key(struct json *j, const char *key)
{
	sep(j);
	escape(j, key);
	putch(j, ':');
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	sep(j);
	escape(j, s);
}

/* The decimal digits of u, written backwards to end. */
static char *fmt_u64(uint64_t u, char *end)
{
	do {
		*--end = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	return end;
}

void json_int(struct json *j, int64_t v)
{
	char b[24], *e = b + sizeof(b), *p;

	sep(j);
	p = fmt_u64(v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, e);
	if (v < 0)
		*--p = '-';
	put(j, p, (size_t)(e - p));
}

void json_uint(struct json *j, uint64_t v)
{
	char b[24], *e = b + sizeof(b), *p;

	sep(j);
	p = fmt_u64(v, e);
	put(j, p, (size_t)(e - p));
}

void json_num(struct json *j, double v, int decimals)
{
	char b[64];
	size_t n;

	if (!isfinite(v)) {
		json_null(j);
		return;
	}
	snprintf(b, sizeof(b), "%.*f", decimals, v);
	n = strlen(b);
	if (strchr(b, '.')) {
		while (n > 0 && b[n - 1] == '0')
			b[--n] = 0;
		if (n > 0 && b[n - 1] == '.')
			b[--n] = 0;
	}
	if (strcmp(b, "-0") == 0)
		strcpy(b, "0"), n = 1;
	sep(j);
	put(j, b, n);
}

void json_real(struct json *j, double v)
{
	if (!isfinite(v)) {
		json_null(j);
		return;
	}
	char b[64];
	int n;

	sep(j);
	if (v == floor(v) && fabs(v) < 1e15)
		n = snprintf(b, sizeof(b), "%.0f", v);
	else
		n = snprintf(b, sizeof(b), "%.10g", v);
	put(j, b, (size_t)n);
}

void json_raw(struct json *j, const char *json_text)
{
	sep(j);
	put(j, json_text, strlen(json_text));
}

void json_bool(struct json *j, bool v)
{
	sep(j);
	put(j, v ? "true" : "false", v ? 4 : 5);
}

void json_null(struct json *j)
{
	sep(j);
	put(j, "null", 4);
}

void json_kstr(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_kint(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_knum(struct json *j, const char *key, double v, int decimals)
{
	json_key(j, key);
	json_num(j, v, decimals);
}

void json_kreal(struct json *j, const char *key, double v)
{
	json_key(j, key);
	json_real(j, v);
}

void json_kbool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_finish(struct json *j)
{
	putch(j, '\n');
}

void json_newline(struct json *j)
{
	if (!j->after_key) {
		/* the separator now, then none before the value */
		if (!j->first[j->depth])
			putch(j, ',');
		j->first[j->depth] = false;
		j->after_key = true;
	}
	putch(j, '\n');
}

void json_raw_len(struct json *j, const char *s, size_t n)
{
	sep(j);
	put(j, s, n);
}

struct json_mark json_mark(const struct json *j)
{
	struct json_mark m;

	m.len = j->b ? j->b->len : 0;
	m.depth = j->depth;
	m.first = j->first[j->depth];
	m.after_key = j->after_key;
	return m;
}

void json_rewind(struct json *j, struct json_mark m)
{
	if (j->b && m.len <= j->b->len) {
		j->b->len = m.len;
		if (j->b->data)
			j->b->data[m.len] = 0;
	}
	j->depth = m.depth;
	j->first[j->depth] = m.first;
	j->after_key = m.after_key;
}

void json_kstr_array(struct json *j, const char *key, const char *const *strs, int n)
{
	int i;

	json_key(j, key);
	json_begin_array(j);
	for (i = 0; i < n; i++)
		json_str(j, strs[i]);
	json_end_array(j);
}
