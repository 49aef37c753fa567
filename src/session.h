/* session: what every report command does before reporting: load the
 * inputs (several are merged, as pprof merges them), apply --diff-base /
 * --base, the filters, and open the output. */
#ifndef DRIP_SESSION_H
#define DRIP_SESSION_H
#include <stdio.h>

#include "options.h"
#include "profile.h"

/* session_load: load files[0..n) into one profile (merged when n > 1),
 * then apply the filters of o.  Returns the profile (caller frees) or
 * NULL with err_set(). */
struct profile *session_load(const char *const *files, int n, const struct ropts *o);

/* session_load_merged: load files[0..n) merged, without base or filters;
 * flags as load_profile_flags().  Returns the profile (caller frees) or
 * NULL with err_set(). */
struct profile *session_load_merged(const char *const *files, int n, unsigned flags);

/* session_load_diff: the inputs of `drip diff`: files (NEW) against
 * o->diff_base (BASE), as session_load would compare them (pprof's
 * -diff_base).  Either as session_load's merged profile (d->merged), or,
 * when that is provably the same report (see session.c), split: NEW and
 * BASE with profile_diff_prepare()'s values (BASE negated, NEW scaled
 * for --normalize; samples left with only zero values are not dropped),
 * never merged, and d->header, a sample-less
 * profile_merge() of the two that carries the merged profile's headers
 * and report totals (unfiltered_totals).  Set DRIP_DIFF_MERGED=1 in the
 * environment to force the merged path.  0, or -1 with err_set(). */
struct diff_inputs {
	struct profile *merged;
	struct profile *header, *newp, *base;
	/* split: per type, each side's sum over its samples with a frame */
	int64_t *new_framed, *base_framed;
};
int session_load_diff(const char *const *files, int n, const struct ropts *o, struct diff_inputs *d);
void diff_inputs_free(struct diff_inputs *d);

/* Output: -o FILE is written to a temporary file beside FILE (beside a
 * symlink's target) and renamed into place only when everything
 * succeeded, keeping an existing file's mode; a FILE that exists and is
 * not a regular file (/dev/null, a FIFO) is written in place. */
struct output {
	FILE *f;
	char *path, *tmp; /* owned; NULL for stdout */
	char *dest;       /* owned: the symlink's target to replace, or NULL */
};
int output_open(struct output *out, const char *path);
/* output_close: flush, check for write errors, rename.  ok=0 discards
 * the temporary file.  Returns 0, or -1 with err_set(). */
int output_close(struct output *out, int ok);

#endif
