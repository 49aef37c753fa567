/* diff: pprof's -diff_base and -base: a base profile is subtracted from
 * a new one by negating its samples and merging (fetch.go's
 * fetchProfiles).  With -diff_base the base samples carry the label
 * pprof::base=true, so that reports take their total from the base
 * samples only (report.go's computeTotal). */
#ifndef DRIP_DIFF_H
#define DRIP_DIFF_H
#include <stdbool.h>

#include "profile.h"

/* diff_time_warning: when BASE was taken after NEW by the profiles' own
 * timestamps (both non-zero), the one-line warning drip report, diff and
 * check give ("BASE 'b' (T) is newer than NEW 'n' (T): were they
 * swapped?") appended to w without a newline, and true; else false. */
struct buf;
bool diff_time_warning(const char *base_name, int64_t base_nanos, const char *new_name, int64_t new_nanos,
		       struct buf *w);

/* The label key and value that mark base samples (interned). */
const char *diff_base_key(void);
const char *diff_base_value(void);

/* True when sample i of p carries pprof::base=true. */
bool diff_is_base_sample(const struct profile *p, size_t i);

/* profile_diff: newp - base, as pprof.  Both inputs are modified (newp
 * scaled when normalize is set; base labelled when tag_base is set and
 * negated) and stay owned by the caller.  normalize first scales newp so
 * that each of its type totals equals base's (pprof's Normalize).
 * Returns the merged profile (caller frees) or NULL with err_set(). */
struct profile *profile_diff(struct profile *newp, struct profile *base, bool tag_base, bool normalize);
/* profile_diff through profile_merge_consume: the inputs' samples are
 * freed as they are merged; the caller then only frees the inputs. */
struct profile *profile_diff_consume(struct profile *newp, struct profile *base, bool tag_base, bool normalize);

/* The value changes of profile_diff without the label and the merge:
 * newp scaled when normalize is set, base negated.  0, or -1 with
 * err_set() (normalize of incompatible profiles). */
int profile_diff_prepare(struct profile *newp, struct profile *base, bool normalize);

/* profile_diff's --normalize step: scale newp so that each of its type
 * totals equals base's (pprof's Normalize).  0, or -1 with err_set(). */
int profile_normalize(struct profile *newp, const struct profile *base);
/* v scaled by -1 as profile_scale_n scales it (llround(v * -1.0)). */
int64_t negate_value(int64_t v);

/* pprof's Profile.ScaleN: multiply each type's values by ratios[type]
 * (rounded half away from zero); a type with ratio 1 is left alone,
 * and a sample is kept only when one of the scaled values is non-zero. */
void profile_scale_n(struct profile *p, const double *ratios);

/* pprof's Profile.SetLabel(key, [value]) on every sample. */
void profile_set_label(struct profile *p, const char *key, const char *value);

#endif
