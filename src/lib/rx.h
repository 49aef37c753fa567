/* rx: regular expressions with Go's syntax (RE2's, as regexp/syntax
 * parses it) and Go's guarantee: matching takes time linear in the text
 * (times the size of the pattern), whatever the pattern.  pprof's
 * options and profile fields are Go regexps, so drip reads them the same
 * way: \d, \w, \s, (?i), (?:...), non-greedy repeats, \Q...\E, \x{263a}
 * work; what Go refuses (backreferences \1, lookaround (?=...), a repeat
 * of a repeat a**, a count past 1000) is refused with Go's reason.  Not
 * supported: Unicode classes \p{...} (refused, not misread); (?i) folds
 * ASCII letters only.
 *
 * The matcher is a Thompson NFA simulation (one pass over the text, a
 * set of program positions per character), not a backtracker: no input
 * makes it slow, unlike glibc's regexec, which is quadratic or worse on
 * patterns such as (a|aa)*c and exponential with backreferences. */
#ifndef DRIP_RX_H
#define DRIP_RX_H
#include <stdbool.h>

struct rx;

enum {
	RX_ANCHORED = 1, /* the whole text must match, as ^(?:re)$ */
};

/* rx_compile: compile pattern (flags: RX_ANCHORED or 0).  Returns the
 * compiled expression (caller frees with rx_free), or NULL with
 * err_set() saying what is wrong with it, in Go's words ("invalid escape
 * sequence \1 (backreferences are not supported)"); the caller puts the
 * option or field name in front with err_prefix(). */
struct rx *rx_compile(const char *pattern, unsigned flags);

/* rx_match: whether re matches somewhere in s (NUL-terminated), or the
 * whole of s when compiled RX_ANCHORED.  Not reentrant for one re (it
 * keeps its scratch space), fine for drip's single thread. */
bool rx_match(const struct rx *re, const char *s);

/* rx_free: accepts NULL. */
void rx_free(struct rx *re);

#endif
