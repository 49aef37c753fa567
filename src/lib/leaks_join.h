/* leaks_join: the heap and goroutine analyses of one service joined
 * into findings.  A leaked goroutine usually holds memory (a buffer,
 * the request it serves, its own runtime.g), so the strongest evidence
 * of a leak is a goroutine group and heap sites that grow in step.
 *
 * For each goroutine group that is a suspect (growing, or proven
 * leaked), a heap site joins it when
 *   - both series can be put side by side: by profile time when both
 *     have times (each heap snapshot with the goroutine snapshot
 *     nearest in time, when it is at most half the goroutine series'
 *     mean interval away: drip watch and scripts take the two back to
 *     back), else by position when both have as many snapshots;
 *     LEAKS_JOIN_MIN_POINTS common points at least;
 *   - the site's value rises from the first common point to the last
 *     and its values correlate with the group's counts over the common
 *     points: Pearson's r >= LEAKS_JOIN_MIN_R;
 *   - and its stacks share a function with the group's stack or its
 *     creator (runtime.* left out; a closure F.func1, F.gowrap1 counts
 *     as F), or the site is runtime.malg: the runtime.g records that Go
 *     allocates for new goroutines (their stacks are not in the heap
 *     profile), which grow only while more goroutines live at once; its
 *     growth is shared among the growing groups in proportion to theirs
 *     (one runtime.g per goroutine, whichever group).
 * Each finding has its cost per leaked goroutine: the joined sites'
 * growth over the common points divided by the group's growth there.
 *
 * Both results must have been analysed from series with
 * leaks_opts.frames (else only runtime.malg can join).  No I/O but the
 * renderers' FILE *. */
#ifndef DRIP_LEAKS_JOIN_H
#define DRIP_LEAKS_JOIN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "json.h"
#include "leaks.h"

#define LEAKS_JOIN_MIN_R 0.8
#define LEAKS_JOIN_MIN_POINTS 3

enum leaks_join_why {
	LEAKS_JOIN_FRAME,   /* a function on both stacks */
	LEAKS_JOIN_CLOSURE, /* one is a closure of the other (F.func1 / F) */
	LEAKS_JOIN_CREATOR, /* the group's creator is on the site's stack */
	LEAKS_JOIN_MALG,    /* runtime.malg: the goroutines' own runtime.g */
};

struct leaks_join_site {
	size_t site;          /* index into the heap result's sites */
	double r;             /* correlation with the group's counts */
	double growth;        /* over the common points (heap type 0's unit) */
	double per_goroutine; /* growth / the group's growth */
	enum leaks_join_why why;
	const char *shared;   /* the site's function that is shared (interned;
			       * NULL for runtime.malg) */
	const char *other;    /* the group's function (or creator) it matched */
};

struct leaks_finding {
	size_t group;         /* index into the goroutine result's sites */
	double goroutines;    /* the group's growth over the common points */
	double growth;        /* the joined sites' growth, summed */
	double per_goroutine; /* growth / goroutines */
	struct leaks_join_site *sites; /* nsites, by growth (owned) */
	size_t nsites;
};

struct leaks_joint {
	bool by_time;         /* matched by profile time, else by position */
	size_t npoints;       /* common points; 0: none (see why_none) */
	const char *why_none; /* static text when the series could not be
			       * put side by side; NULL */
	const char *unit;     /* heap type 0's unit (interned) */
	struct leaks_finding *f; /* n, in the goroutine result's rank order (owned) */
	size_t n;
};

/* leaks_join: join heap and gor (both borrowed; they must outlive j).
 * Fills j (release with leaks_joint_release); never fails. */
void leaks_join(const struct leaks_result *heap, const struct leaks_result *gor, struct leaks_joint *j);
void leaks_joint_release(struct leaks_joint *j);

/* leaks_join_corr: Pearson's r of x and y over n points (0 when either
 * is constant). */
double leaks_join_corr(const double *x, const double *y, size_t n);

/* leaks_join_align: the goroutine counts g (at times tg[0..ng), sorted)
 * at the times th[0..nh) (sorted) as the rule above says: out[i] and
 * ok[i] (false: no goroutine snapshot near enough; of two as near, the
 * earlier).  Returns how many are ok. */
size_t leaks_join_align(const int64_t *th, size_t nh, const int64_t *tg, const double *g, size_t ng, double *out,
			bool *ok);

/* leaks_join_shares: does a heap site with functions hf[0..nh) share one
 * with a goroutine group of functions gf[0..ng) created by creator
 * (NULL: unknown)?  *shared gets the site's function, *other the
 * group's (or the creator), *why the kind; the first match from the
 * site's leaf side wins. */
bool leaks_join_shares(const char *const *hf, size_t nh, const char *const *gf, size_t ng, const char *creator,
		       const char **shared, const char **other, enum leaks_join_why *why);

/* The joined findings as text: a header line, then per finding the
 * group, its growth, the cost per goroutine and one line per site.
 * Nothing but the header when there is none. */
void leaks_joint_write_text(const struct leaks_joint *j, const struct leaks_result *heap,
			    const struct leaks_result *gor, FILE *f);
/* drip watch's view of each round.  leaks_joint_write_summary: "N
 * findings (K common snapshots, by profile time)", "no finding (no
 * growing goroutine group)" or "no finding (none could be: WHY)", no
 * newline.  leaks_joint_write_brief: the first max findings, two lines
 * each (the group, its growth and goroutine rank; the heap growth with
 * it, its cost per leaked goroutine and the first three joined sites),
 * then "+N more findings" when some are left out.  Returns the lines
 * written. */
void leaks_joint_write_summary(const struct leaks_joint *j, FILE *f);
size_t leaks_joint_write_brief(const struct leaks_joint *j, const struct leaks_result *heap,
			       const struct leaks_result *gor, size_t max, FILE *f);
/* ... as a JSON value (an object) at j's current position. */
void leaks_joint_write_json(const struct leaks_joint *jt, const struct leaks_result *heap,
			    const struct leaks_result *gor, struct json *j);

#endif
