/* error: one message buffer per run.  Modules below cmd_* describe a
 * failure with err_set() and return a status; only main prints it
 * (STYLE 10).  Messages follow git's form: lowercase, no full stop. */
#ifndef DRIP_ERROR_H
#define DRIP_ERROR_H

/* Exit statuses, as diff(1). */
enum { EXIT_OK = 0, EXIT_FINDING = 1, EXIT_TROUBLE = 2 };

/* err_set: format the message (replacing any earlier one); returns -1 so
 * callers can write `return err_set(...)`. */
int err_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* err_prefix: put "PREFIX: " in front of the current message. */
void err_prefix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *err_msg(void); /* borrowed; valid until the next err_set */
/* err_write: a failed write to the caller's stream: the message is the
 * reason (strerror(errnum), or "write error"), and err_is_write() says
 * so until the next err_set, so that the CLI, which knows the stream's
 * name, reports "cannot write 'NAME': REASON". */
int err_write(int errnum);
int err_is_write(void);
void err_clear(void);

/* Print "drip: error: MSG" for the current message to stderr. */
void err_print(void);
/* Print a warning line to stderr ("drip: warning: ..."). */
void warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
