/* buf: a growable byte buffer, always NUL-terminated. */
#ifndef DRIP_BUF_H
#define DRIP_BUF_H
#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* owned; NUL-terminated when non-NULL */
	size_t len, cap;
};
#define BUF_INIT { NULL, 0, 0 }

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reserve(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_reset(struct buf *b);
/* Detach the data (caller frees) and reset the buffer. */
char *buf_detach(struct buf *b, size_t *len);

#endif
