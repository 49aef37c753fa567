/* textprof: Go's text profile formats into struct profile:
 *   - heap debug=1   ("heap profile: N: N [N: N] @ heap/RATE"), values
 *     scaled for sampling exactly as pprof scales them;
 *   - goroutine debug=1 ("goroutine profile: total N"), keeping the
 *     function/file/line of the "#" lines and the "# labels:" line;
 *   - goroutine debug=2 dumps ("goroutine 7 [chan receive, 12 minutes]:"),
 *     one sample per goroutine; state, wait minutes, locked-to-thread and
 *     created-by are kept as labels (see textprof.c for the keys). */
#ifndef DRIP_TEXTPROF_H
#define DRIP_TEXTPROF_H
#include <stddef.h>

#include "profile.h"

enum textprof_kind {
	TEXTPROF_NONE,
	TEXTPROF_HEAP,
	TEXTPROF_GOROUTINE1,
	TEXTPROF_GOROUTINE2,
};

/* Which text format data starts with, if any. */
enum textprof_kind textprof_detect(const char *data, size_t len);

/* Parse; returns a new profile or NULL with err_set() (a line number in
 * the message where it helps).  data need not be NUL-terminated. */
struct profile *textprof_parse(const char *data, size_t len);

#endif
