/* session: what every report does before reporting: load the inputs
 * (several are merged, as pprof merges them), compare them with their
 * bases (pprof's -diff_base / -base), apply the filters. */
#ifndef DRIP_SESSION_H
#define DRIP_SESSION_H
#include <stdbool.h>

#include "input.h"
#include "profile.h"
#include "report.h"

/* load_opts: how a report's inputs are combined.  The lists and strings
 * are borrowed for the call. */
struct load_opts {
	const char **diff_base;  /* pprof's -diff_base=FILE, repeatable */
	int ndiff_base;
	const char **base;       /* pprof's -base=FILE, repeatable */
	int nbase;
	bool all_frames;         /* keep the frames drop_frames names */
	const char *add_comment; /* appended to the comments, or NULL */
	bool diff_merged;        /* session_load_diff: always build the merged profile */
	int diff_threads;        /* BASE, and the later half of several files, on a
				  * second thread: -1 when a core is free, 0 never,
				  * 1 always (DRIP_DIFF_THREADS) */
	struct source_opts src;  /* size cap, fetch settings (zero: the defaults) */
	/* when not NULL: session_load and session_load_diff write BASE's
	 * time_nanos into times[0] and NEW's into times[1] (a side of
	 * several files: their earliest, as merged; 0 unknown), for
	 * diff_time_warning() */
	int64_t *times;
};

/* session_load: load files[0..n) into one profile (merged when n > 1),
 * then compare it with o's bases (ro->normalize: pprof's -normalize) and
 * apply ro's filters.  Returns the profile (caller frees) or NULL with
 * err_set(). */
struct profile *session_load(const char *const *files, int n, const struct load_opts *o,
			     const struct report_opts *ro);

/* session_load_merged: load files[0..n) merged, without base or filters;
 * so and flags as load_profile_from().  Returns the profile (caller frees) or
 * NULL with err_set(). */
struct profile *session_load_merged(const char *const *files, int n, const struct source_opts *so,
				    unsigned flags);

/* session_from: session_load over profiles already loaded, unfiltered
 * (load_profile_from): ps[0..n) merged, compared with bs[0..nb) as
 * pprof's -diff_base when nb > 0 (ro->normalize: -normalize), then
 * o's comment and ro's filters.  The inputs are borrowed and left as
 * they are (copies are merged), so an input read once (stdin, a URL)
 * can feed several reports.  Returns the profile (caller frees) or NULL
 * with err_set(). */
struct profile *session_from(struct profile *const *ps, int n, struct profile *const *bs, int nb,
			     const struct load_opts *o, const struct report_opts *ro);

/* session_load_diff: the inputs of `drip diff`: files (NEW) against
 * o->diff_base (BASE), as session_load would compare them (pprof's
 * -diff_base).  Either as session_load's merged profile (d->merged), or,
 * when that is provably the same report (see session.c), split: NEW and
 * BASE with profile_diff_prepare()'s values (BASE negated, NEW scaled
 * for --normalize; samples left with only zero values are not dropped),
 * never merged, and d->header, a sample-less
 * profile_merge() of the two that carries the merged profile's headers
 * and report totals (unfiltered_totals).  o->diff_merged forces the merged path.  0, or -1 with err_set(). */
struct diff_inputs {
	struct profile *merged;
	struct profile *header, *newp, *base;
	/* split: per type, each side's sum over its samples with a frame */
	int64_t *new_framed, *base_framed;
};
int session_load_diff(const char *const *files, int n, const struct load_opts *o, const struct report_opts *ro,
		      struct diff_inputs *d);
void diff_inputs_release(struct diff_inputs *d);
/* session_diff_merge: turn split inputs into the merged profile that
 * the merged path of session_load_diff would have made (d->merged; the
 * other fields freed), for a consumer that needs the merged profile.
 * Nothing to do when d->merged is set.  file and base_file name the
 * inputs in a message.  0, or -1 with err_set() (d then empty). */
int session_diff_merge(struct diff_inputs *d, const char *file, const char *base_file, const struct load_opts *o,
		       const struct report_opts *ro);

#endif
