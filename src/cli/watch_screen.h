/* watch_screen: how drip watch shows a round.  On a terminal, one
 * screen redrawn in place (no scrolling): a status line (round, time
 * span, folder, last fetch per URL), then each URL's findings in a
 * short table (a suspect's owner on the line under it), the rows shared
 * out so that every URL's proven leaks and suspects come before anyone's
 * noisy sites, "+N more" below, then the joined findings of a heap and a
 * goroutine URL of one service (their rows kept first), all within the
 * terminal's rows and columns.  In a pipe, one compact block per round:
 * the snapshot counts and only what changed since the round before (a
 * new suspect with its owner), the joined findings while there are any,
 * and the full drip leaks report at the end (cmd_watch's).  A round
 * analyses each series kept in memory once and joins those analyses:
 * nothing is read back. */
#ifndef DRIP_WATCH_SCREEN_H
#define DRIP_WATCH_SCREEN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cmd_leaks.h"
#include "leaks.h"

struct watch_screen;

/* watch_screen_new: n URLs (urls[i] borrowed, series[i] borrowed) shown
 * on f (a terminal: the redrawn screen; else the per-round blocks);
 * service[i] is URL i's service (equal for URLs of one host:port: a
 * heap and a goroutine URL of one service are joined each round, as
 * the final report joins them); count is the rounds asked for (-1:
 * unknown); lc the leaks options (borrowed).  Caller frees with
 * watch_screen_free. */
struct watch_screen *watch_screen_new(FILE *f, const char *dir, size_t n, char *const *urls, const size_t *service,
				      struct leaks_series *const *series, long count, const struct leaks_cli *lc);
void watch_screen_free(struct watch_screen *w); /* accepts NULL */

/* watch_screen_fetched: URL i's snapshot of this round was taken (ok)
 * or failed. */
void watch_screen_fetched(struct watch_screen *w, size_t i, bool ok);

/* watch_screen_round: show round `round` (after its fetches). */
void watch_screen_round(struct watch_screen *w, int round);

/* watch_screen_final: on a terminal, the last screen stays (its
 * status line says the watch ended) with a line naming the command for
 * the full report below it, and the exit status its findings call for
 * is returned (1 with a suspect, 2 when an analysis failed, else 0);
 * in a pipe, -1: the caller writes the full report. */
int watch_screen_final(struct watch_screen *w, int rounds);

#endif
