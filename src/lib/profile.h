/* profile: drip's one in-memory model of a profile, whatever the input
 * format (pprof proto, Go heap text, goroutine text).
 *
 * Ownership: a struct profile owns all its arrays; profile_free() frees
 * them.  Every `const char *` in it is interned (strtab.h): compare by
 * pointer, never free.  Cross references are indexes into the arrays
 * (uint32_t, PF_NONE for "none"), not ids: ids from the file are kept
 * only for diagnostics and for writing the profile back out.
 *
 * A sample's stack is stacks[s.loc_start .. s.loc_start+s.nlocs), leaf
 * first, as in profile.proto.  A location with several lines is inlined
 * code: lines[0] is the innermost (inlined) function and the last line
 * is the caller it was inlined into. */
#ifndef DRIP_PROFILE_H
#define DRIP_PROFILE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PF_NONE UINT32_MAX

enum pf_format {
	PF_FORMAT_PPROF,     /* profile.proto, gzipped or raw */
	PF_FORMAT_HEAP_TEXT, /* Go heap debug=1 ("heap profile: ...") */
	PF_FORMAT_GOROUTINE_TEXT1, /* goroutine debug=1 ("goroutine profile: total N") */
	PF_FORMAT_GOROUTINE_TEXT2, /* goroutine debug=2 dump */
	PF_FORMAT_MERGED,    /* several inputs merged */
};

struct pf_valtype {
	const char *type, *unit; /* interned; "" when unset */
};

struct pf_function {
	uint64_t id;
	const char *name, *system_name, *filename;
	int64_t start_line;
};

struct pf_line {
	uint32_t function; /* index into functions, or PF_NONE */
	int64_t line;
	int64_t column;
};

struct pf_mapping {
	uint64_t id;
	uint64_t start, limit, offset;
	const char *file, *build_id;
	bool has_functions, has_filenames, has_line_numbers, has_inline_frames;
};

struct pf_location {
	uint64_t id;
	uint32_t mapping;          /* index into mappings, or PF_NONE */
	uint64_t address;
	uint32_t line_start, nlines; /* into lines[] */
	bool is_folded;
};

/* A label: a string label has str != NULL; a numeric one has str ==
 * NULL, num, and unit ("" when the file gave none). */
struct pf_label {
	const char *key;
	const char *str;
	int64_t num;
	const char *unit;
};

struct pf_sample {
	uint32_t loc_start, nlocs;     /* into stacks[] */
	uint32_t label_start, nlabels; /* into labels[] */
};

/* The runtime.MemStats trailer of a Go heap debug=1 text ("# HeapInuse =
 * 6258688"): what the runtime measured when the file was written, beside
 * the sampled profile (which is as of the last GC).  A field is -1 when
 * the trailer lacks it or gives no valid number. */
struct pf_memstats {
	bool present;          /* the file had a "# runtime.MemStats" trailer */
	int64_t heap_alloc, heap_inuse, heap_objects, sys, num_gc;
};

struct profile {
	enum pf_format format;
	struct pf_memstats memstats; /* heap debug=1 text only */

	struct pf_valtype *types; /* sample types: values per sample */
	size_t ntypes;
	int default_type;         /* index into types, or -1 when unset */

	struct pf_valtype period_type;
	int64_t period;
	int64_t time_nanos, duration_nanos;
	const char *drop_frames, *keep_frames; /* interned, "" when unset */
	const char **comments; /* interned */
	size_t ncomments;
	const char *doc_url;

	struct pf_function *functions;
	size_t nfunctions, cap_functions;
	struct pf_mapping *mappings;
	size_t nmappings, cap_mappings;
	struct pf_location *locations;
	size_t nlocations, cap_locations;
	struct pf_line *lines;
	size_t nlines, cap_lines;

	struct pf_sample *samples;
	size_t nsamples, cap_samples;
	uint32_t *stacks; /* location indexes, leaf first */
	size_t nstacks, cap_stacks;
	int64_t *values;  /* nsamples * ntypes, sample-major */
	size_t cap_values;
	struct pf_label *labels;
	size_t nlabels, cap_labels;

	/* pprof computes its report total (report.New) before it applies
	 * focus, ignore, hide, show and the tag filters, so percentages stay
	 * of the whole profile.  session_load records the totals of every
	 * sample type (profile_report_total) here just before filtering;
	 * report_init takes its total from here unless
	 * --relative-percentages.  NULL when no filtering stage ran. */
	int64_t *unfiltered_totals; /* ntypes of them, owned */
};

struct profile *profile_new(void); /* caller frees with profile_free */
void profile_free(struct profile *p); /* accepts NULL */

/* (The arrays are NULL while empty, and NULL + 0 is undefined in C.) */
static inline int64_t *pf_values(const struct profile *p, size_t sample)
{
	return p->values ? p->values + sample * p->ntypes : NULL;
}
static inline const uint32_t *pf_stack(const struct profile *p, const struct pf_sample *s)
{
	return p->stacks ? p->stacks + s->loc_start : NULL;
}

/* Builders, for the decoders.  Each returns the new element's index.
 * Names passed in must already be interned. */
void profile_set_types(struct profile *p, const struct pf_valtype *types, size_t n);
uint32_t profile_add_function(struct profile *p, const char *name, const char *system_name,
			      const char *filename, int64_t start_line);
uint32_t profile_add_mapping(struct profile *p, const struct pf_mapping *m);
/* lines are copied. */
uint32_t profile_add_location(struct profile *p, uint32_t mapping, uint64_t address,
			      const struct pf_line *lines, size_t nlines);
/* locs (leaf first), values (ntypes of them) and labels are copied. */
uint32_t profile_add_sample(struct profile *p, const uint32_t *locs, size_t nlocs,
			    const int64_t *values, const struct pf_label *labels, size_t nlabels);
void profile_add_comment(struct profile *p, const char *comment);

/* Find a sample type by name ("inuse_space"), by number ("2"), or the
 * default (name NULL or ""): default_sample_type if set, else the last
 * type, as pprof.  pprof's aliases work too: "inuse" = inuse_space,
 * "alloc_space" and "sample_index=space" style suffix matches.
 * Returns the index, or -1 with err_set(). */
int profile_sample_index(const struct profile *p, const char *name);

/* profile_find_type: the index of the sample type named exactly name,
 * or -1 (no error set: a missing type is an answer, not a failure). */
int profile_find_type(const struct profile *p, const char *name);

/* abs64: |v| for the report arithmetic; INT64_MIN, which no checked
 * profile holds (profile_check_values), saturates to INT64_MAX. */
static inline int64_t abs64(int64_t v)
{
	return v < 0 ? (v == INT64_MIN ? INT64_MAX : -v) : v;
}

/* profile_check_values: drip's rule for totals (see README "Limits"):
 * for each sample type the sum of the absolute values of all samples
 * must fit in int64 (so INT64_MIN is never a value).  Then no total,
 * flat or cum sum drip computes over any subset of the samples can
 * overflow.  A file that breaks the rule is rejected: returns -1 with
 * err_set() naming the type and the first sample past the limit. */
int profile_check_values(const struct profile *p);

/* Sum of values[idx] over all samples; saturates instead of wrapping. */
int64_t profile_total(const struct profile *p, int idx);

/* pprof's report total (computeTotal): the sum of |values[idx]|; when
 * some samples carry the label pprof::base=true (a --diff-base), the
 * sum over those only.  Saturates. */
int64_t profile_report_total(const struct profile *p, int idx);

/* pprof's NumLabelUnits for one numeric label key: the first non-empty
 * unit given for key, else "bytes" for "alignment" and "request", else
 * the key itself. */
const char *profile_num_label_unit(const struct profile *p, const char *key);

/* The same for every key at once: one pass over the labels, then O(1)
 * per lookup (profile_num_label_unit is a scan of all labels, which
 * once per label of every sample made traces quadratic).  The table is
 * valid while p's labels do not change; caller frees with
 * label_units_free (NULL allowed). */
struct label_units;
struct label_units *label_units_new(const struct profile *p);
const char *label_units_get(const struct label_units *lu, const char *key); /* interned */
void label_units_free(struct label_units *lu);

/* What a profile measures, from its sample types: Go's heap profiles
 * (inuse_* / alloc_*, or the legacy objects/space), goroutine profiles
 * ("goroutine/count": proto, debug=1, debug=2 dumps and crash
 * tracebacks), goroutineleak profiles ("goroutineleak/count": only the
 * goroutines the GC proved can never run again), or anything else. */
enum pf_kind {
	PF_KIND_OTHER,
	PF_KIND_HEAP,
	PF_KIND_GOROUTINE,
	PF_KIND_GOROUTINELEAK,
};
enum pf_kind profile_kind(const struct profile *p);
/* "heap", "goroutine", "goroutineleak", "other" */
const char *profile_kind_name(enum pf_kind k);
/* Human names of formats, for `drip info`. */
const char *profile_format_name(enum pf_format f);

/* checked add: saturates at INT64_MAX/INT64_MIN. */
static inline int64_t sat_add(int64_t a, int64_t b)
{
	int64_t r;
	if (__builtin_add_overflow(a, b, &r))
		return a < 0 ? INT64_MIN : INT64_MAX;
	return r;
}

#endif
