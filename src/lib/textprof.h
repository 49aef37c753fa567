/* textprof: Go's text profile formats into struct profile:
 *   - heap debug=1   ("heap profile: N: N [N: N] @ heap/RATE"), values
 *     scaled for sampling exactly as pprof's legacy parser scales them
 *     (rate = RATE/2 for "heap", scaleHeapSample), sample types, period,
 *     the numeric label "bytes" and drop_frames/keep_frames as pprof;
 *     frames named from the "#" lines;
 *   - goroutine debug=1 ("goroutine profile: total N"): one sample per
 *     record, value N, type goroutine/count; frames from the "#" lines;
 *     "# labels: {...}" as string labels;
 *   - goroutine debug=2 dumps ("goroutine 7 [chan receive, 12 minutes]:"):
 *     one sample per goroutine, value 1, type goroutine/count, frames
 *     without addresses (location ids synthesized, equal frames shared).
 *     Labels per goroutine, with exactly these keys:
 *       "state"      string, the state ("chan receive", "running");
 *       "wait"       number, unit "minutes", only when the dump has it;
 *       "locked"     string "true", only when "locked to thread";
 *       "created_by" string, the creator function ("main.main").
 *     The goroutine id is deliberately not kept.
 * Frames of one inlined call chain form one location (lines innermost
 * first), as in Go's proto profiles. */
#ifndef DRIP_TEXTPROF_H
#define DRIP_TEXTPROF_H
#include <stddef.h>

#include "profile.h"

enum textprof_kind {
	TEXTPROF_NONE,
	TEXTPROF_HEAP,
	TEXTPROF_GOROUTINE1,
	TEXTPROF_GOROUTINE2,
	TEXTPROF_CRASH, /* a crash traceback: "panic: ..." then a debug=2 dump */
};

/* Which text format data starts with, if any. */
enum textprof_kind textprof_detect(const char *data, size_t len);

/* Parse; returns a new profile or NULL with err_set() (a line number in
 * the message where it helps).  data need not be NUL-terminated. */
struct profile *textprof_parse(const char *data, size_t len);

#endif
