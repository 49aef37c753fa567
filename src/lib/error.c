#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* per thread: drip diff loads its two sides on two threads */
static _Thread_local char msg[4096];
static _Thread_local int write_error;

int err_set(const char *fmt, ...)
{
	va_list ap;

	write_error = 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return -1;
}

void err_prefix(const char *fmt, ...)
{
	char pre[1024], old[sizeof(msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, msg, sizeof(msg));
	snprintf(msg, sizeof(msg), "%.1000s: %.3000s", pre, old);
}

int err_write(int errnum)
{
	err_set("%s", errnum ? strerror(errnum) : "write error");
	write_error = 1;
	return -1;
}

int err_is_write(void)
{
	return write_error;
}

const char *err_msg(void)
{
	return msg[0] ? msg : "unknown error";
}

void err_clear(void)
{
	msg[0] = 0;
	write_error = 0;
}

void err_print(void)
{
	const unsigned char *m = (const unsigned char *)err_msg();

	/* One line, whatever a file put into the message (a regex or a name
	 * with a newline or escape sequence in it): control bytes are
	 * printed as \n, \t, \xNN. */
	fputs("drip: error: ", stderr);
	for (; *m; m++) {
		if (*m == '\n')
			fputs("\\n", stderr);
		else if (*m == '\t')
			fputs("\\t", stderr);
		else if (*m < 0x20 || *m == 0x7f)
			fprintf(stderr, "\\x%02x", *m);
		else
			fputc(*m, stderr);
	}
	fputc('\n', stderr);
}

void warnf(const char *fmt, ...)
{
	va_list ap;

	fputs("drip: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
