/* ggroup: goroutine profiles as groups of goroutines with the same
 * stack (and, from a debug=2 dump, the same state and labels), for
 * `drip goroutines` and `drip leaks`.
 *
 * Within one dump a group is keyed by its exact frames (function, file,
 * line, leaf first), its state when the format has one, and its pprof
 * labels, so a group's count is the count of a debug=1 record or of a
 * proto sample.  Across dumps (--base, leaks) groups are matched on a
 * coarser key that every format can give: the function names with the
 * runtime's own frames left out (debug=1 and debug=2 hide them, proto
 * keeps them), plus the state and labels when both sides have them. */
#ifndef DRIP_GGROUP_H
#define DRIP_GGROUP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

struct gframe {
	const char *func; /* interned; "0x..." for an unsymbolized frame */
	const char *file; /* interned, "" when unknown */
	int64_t line;
};

struct gcreator {
	const char *func; /* interned */
	int64_t count;
};

struct ggroup {
	struct gframe *frames; /* leaf first; owned */
	size_t nframes;
	const char *state;     /* interned; NULL when the format has none */
	const char *labels;    /* interned "k=v, k=v" (sorted); "" when none */
	int64_t count;
	bool has_wait;         /* some goroutine had a wait time */
	int64_t wait_min, wait_max; /* minutes; a goroutine without one counts 0 */
	const char *created_by; /* interned; the most common creator; NULL
				 * when unknown */
	struct gcreator *creators; /* every creator, most goroutines first
				    * (then by name); owned */
	size_t ncreators;
	int64_t locked;         /* goroutines locked to their thread */
	bool leaked;            /* proven leaked: in a goroutineleak profile, or
				 * "(leaked)" in its debug=2 header */
	const char *name;      /* the group's name: the first function of the
				* program (main.*, or a package path with a
				* dot: github.com/...) from the leaf, else the
				* entry, else the leaf */
	const char *blocks;    /* the state, else guessed from runtime frames; NULL */
	const char *entry;     /* outermost non-runtime function: where it started */
	const char *mkey;      /* interned matching key (without state/labels) */
	const char *by;        /* gdump_build_by: the value of its label by
				* (interned), NULL when it has none */
};

struct gdump {
	struct ggroup *groups; /* sorted: count desc, then name, then key */
	size_t ngroups;
	int64_t total;         /* goroutines */
	bool has_state, has_labels;
	bool leakprof;         /* a goroutineleak profile: every group leaked */
	int64_t leaked;        /* goroutines proven leaked */
	enum pf_format format;
	int64_t time_nanos;
};

/* gdump_build: group p's samples.  Returns 0, or -1 with err_set() when
 * p is not a goroutine profile. */
int gdump_build(const struct profile *p, struct gdump *d);
/* The same, keeping only goroutines waiting at least min_wait minutes
 * (-1: all; a goroutine without a wait time waits 0). */
int gdump_build_filtered(const struct profile *p, struct gdump *d, int64_t min_wait);
/* The same, noting each group's value of the label `by` (ggroup.by). */
int gdump_build_by(const struct profile *p, struct gdump *d, const char *by);
void gdump_release(struct gdump *d);

/* ggroup_label_value: the value of s's label key (interned): a string
 * label's string, a numeric label's number ("1024", "3 requests" with
 * its unit); NULL when s has no such label. */
const char *ggroup_label_value(const struct profile *p, const struct pf_sample *s, const char *key);

/* Is p a goroutine or goroutineleak profile (one sample type
 * "goroutine" or "goroutineleak", unit "count")? */
bool ggroup_is_goroutine(const struct profile *p);

/* ggroup_match_key: the key to match g across dumps (interned).  With
 * state/labels false those parts are left out. */
const char *ggroup_match_key(const struct ggroup *g, bool state, bool labels);

/* gframe_is_runtime: a frame Go's text dumps hide (runtime.*, and
 * unsymbolized ones). */
bool gframe_is_runtime(const struct gframe *f);

/* gfunc_is_user: a function of the program rather than of Go's
 * standard library: owner_is_own (owner.h) without a file. */
bool gfunc_is_user(const char *func);

/* ggroup_format_wait: "3~15 minutes", "5 minutes", "" (no wait time). */
void ggroup_format_wait(const struct ggroup *g, char *out, size_t n);

#endif
