/* leaks: what keeps growing across a series of snapshots: heap profiles
 * (per allocation site, a node of the call graph at the chosen
 * granularity) or goroutine profiles (per group of goroutines with the
 * same non-runtime functions), with a trend and a verdict per site and
 * the suspects ranked.  The engine of `drip leaks` and `drip watch`.
 *
 * The series streams: leaks_series_add() reduces a snapshot to the
 * values the analysis tracks (every sample type's flat or cum value of
 * each site, the totals, the header fields the analysis reads; for
 * goroutines, each group's count, wait and description) and frees the
 * profile, so memory grows with sites x snapshots, not with the
 * profiles' size.  leaks_analyze() may be called after any add (drip
 * watch analyses after every round) and gives what an analysis of the
 * same snapshots loaded together gives: snapshots are ordered at
 * analysis time (by profile time when every snapshot has one, ties in
 * the order added; else in the order added), whatever order they were
 * added in.
 *
 *   struct leaks_series *s = leaks_series_new(&opts);
 *   for each file: leaks_series_add(s, load_profile(file), file);
 *   leaks_analyze(s, &r);  leaks_write_text(&r, &ropts, stdout);
 *   leaks_result_release(&r);  leaks_series_free(s);
 *
 * No I/O but the renderers' FILE *. */
#ifndef DRIP_LEAKS_H
#define DRIP_LEAKS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "filter.h"
#include "graph.h"
#include "owner.h"
#include "profile.h"
#include "sampling.h"
#include "trend.h"

/* The default floor of a heap type in bytes (64 KiB): growth below it
 * is what pooled buffers and runtime structures move by in any Go
 * program.  At Go's default sampling rate one sample is worth about
 * 512 KiB, so it only matters at low rates (MemProfileRate=1). */
#define LEAKS_MIN_GROWTH_BYTES 65536.0

/* leaks_opts: the analysis; the strings are borrowed for the series'
 * life. */
struct leaks_opts {
	struct filter_opts filter; /* applied to each snapshot when added */
	enum granularity gran;     /* heap: what a site is (default functions) */
	bool noinlines;            /* heap: inlined calls count for their caller */
	bool cum;                  /* heap: a site's cum value instead of flat */
	const char *types;         /* heap: "T[,T...]" sample types, the first
				    * decides verdict and rank; NULL: inuse_space
				    * and inuse_objects, else the default type */
	const char *min_growth;    /* smallest growth that counts ("10MB", "3"),
				    * read in each type's unit; NULL:
				    * LEAKS_MIN_GROWTH_BYTES for a heap type in
				    * bytes, 0 for heap counts, 2 goroutines */
	double min_growth_pct;     /* ... as a percentage of the last total (1) */
	struct trend_rules rules;
	bool refuse_copies;        /* leaks_analyze fails on two snapshots with
				    * the same profile time (copies of one
				    * file); drip watch, whose test server and
				    * caches may serve one snapshot twice,
				    * leaves it off */
	/* --by=KEY: every site split per value of the label KEY (goroutine
	 * labels, heap sample labels); samples without it are the value
	 * LEAKS_BY_NONE.  NULL: no split. */
	const char *by;
	/* keep each site's functions (leaks_site.frames), for leaks_join */
	bool frames;
};

/* The --by value of samples without the label. */
#define LEAKS_BY_NONE "(none)"
/* The most functions kept per site for leaks_site.frames. */
#define LEAKS_MAX_FRAMES 64

/* leaks_opts_init: the defaults above. */
void leaks_opts_init(struct leaks_opts *o);

struct leaks_series;

/* leaks_series_new: an empty series (caller frees with
 * leaks_series_free); o is copied, its strings borrowed. */
struct leaks_series *leaks_series_new(const struct leaks_opts *o);
void leaks_series_free(struct leaks_series *s); /* accepts NULL */

/* leaks_series_add: filter p, reduce it to what the series tracks and
 * free it (p is consumed, also on failure).  name (copied) names the
 * snapshot in reports and messages.  A snapshot of another kind than
 * the first (heap among goroutine profiles) is counted, and
 * leaks_analyze() then fails.  Returns 0, or -1 with err_set(). */
int leaks_series_add(struct leaks_series *s, struct profile *p, const char *name);

/* Snapshots added so far. */
size_t leaks_series_len(const struct leaks_series *s);
/* Is it a goroutine series (goroutine or goroutineleak profiles, as the
 * first snapshot)?  One snapshot is then enough for an analysis. */
bool leaks_series_goroutine(const struct leaks_series *s);

/* ---- the analysis ---- */

struct leaks_snapshot {
	const char *name;    /* borrowed from the series */
	int64_t time_nanos;  /* 0 when the profile has no time */
};

/* One sample type of the analysis. */
struct leaks_type {
	const char *name, *unit; /* interned; as the last snapshot names it */
	bool shown;          /* asked for (else only a twin for the noise) */
	int companion;       /* index of the *_objects / *_space twin, -1 */
	int64_t *total;      /* per snapshot (owned) */
	double floor;        /* smallest growth that counts */
};

struct leaks_site {
	const char *name;    /* interned printable name */
	const char *key;     /* interned matching key */
	double *v;           /* ntypes * n values, type-major (owned) */
	struct trend *tr;    /* per type (owned) */
	enum verdict *verdict; /* per type (owned) */
	enum verdict verdict0; /* of the first type: the site's verdict */
	/* heap, flat, any granularity but files: the owner of a library
	 * allocation site in the last snapshot (owner.h: the first frame of
	 * the program's own code on its paths, else the nearest caller
	 * outside its package); owner.func NULL when none or when the site
	 * is the program's own */
	struct owner owner;  /* goroutines: the group's owner (its first own
			      * frame, else its creator) */
	const char *caller;  /* owner.func when owner.own, else NULL */
	/* heap at a sampling rate: the test on the site's sampled object
	 * counts (sampling.h); has_st false otherwise */
	struct sampling_test st;
	bool has_st;
	/* goroutines: the largest group of the latest snapshot holding
	 * the site (interned; NULL when unknown; labels "" when none) */
	const char *blocks, *created_by, *entry, *labels;
	int64_t proven;      /* goroutines of the site the runtime proved
			      * leaked, in the last snapshot */
	double *wait;        /* per snapshot max wait minutes, -1 = absent (owned) */
	bool has_wait;
	/* --by: the site's value of the label (interned; LEAKS_BY_NONE for
	 * samples without it); NULL without --by */
	const char *by;
	/* with leaks_opts.frames: the functions on the site's stacks, leaf
	 * side first, runtime.* left out, at most LEAKS_MAX_FRAMES (heap:
	 * of the samples whose leaf is the site, over every snapshot;
	 * goroutines: of its groups' stacks); interned names, the array
	 * owned; NULL otherwise */
	const char **frames;
	size_t nframes;
};

struct leaks_result {
	bool goroutine;      /* goroutine profiles, else heap */
	bool leakprof;       /* goroutineleak profiles */
	bool by_time;        /* ordered by profile time, else as added */
	struct leaks_snapshot *snaps; /* n, in analysis order (owned) */
	size_t n;
	struct leaks_type *types; /* nt (owned) */
	size_t nt;
	struct leaks_site *sites; /* nsites, ranked: proven leaks, suspects,
				   * noisy, flat (owned) */
	size_t nsites;
	size_t nsuspects, nnoisy; /* suspects: growing or proven */
	size_t nproven;      /* sites with proven leaks */
	double rate;         /* heap sampling period in bytes; 0 unknown */
	int samples;         /* index into types of the sampled counts
			      * (SAMPLING_TYPE, hidden), -1 when none */
	double min_growth_pct;
	struct trend_rules rules;
	enum granularity gran; /* heap: what a site is (leaks_opts) */
	/* heap debug=1 texts: each snapshot's runtime.MemStats trailer
	 * (memstats[j].present false for a snapshot without one); NULL when
	 * no snapshot has one.  inuse_total: the snapshot's sampled
	 * inuse_space total (-1: no such type), for the share of HeapInuse
	 * the profile accounts for.  stale: the snapshot's NumGC equals the
	 * previous one's, so no GC ran between them and its heap profile,
	 * which is as of the last GC, is that of the previous snapshot
	 * (stale in-use numbers).  All n long (owned). */
	struct pf_memstats *memstats;
	int64_t *inuse_total;
	bool *stale;
	size_t nstale;
	const char *by;      /* --by's label key (borrowed), NULL */
};

/* leaks_site_name: the site's name as the reports print it: its name,
 * then " {KEY=VALUE}" under --by.  Into buf (size n); returns buf. */
const char *leaks_site_name(const struct leaks_result *r, const struct leaks_site *s, char *buf, size_t n);

/* leaks_site_has_owner: has heap site s an owner to name (leaks_site's
 * owner)?  leaks_write_owner: it as the text report words it,
 * "allocated for F" (the program's own frame) or "called from F" (the
 * nearest caller outside the site's package), with " file:line" when
 * sites are finer than functions; no newline. */
bool leaks_site_has_owner(const struct leaks_result *r, const struct leaks_site *s);
void leaks_write_owner(const struct leaks_result *r, const struct leaks_site *s, FILE *f);

/* leaks_analyze: trends, verdicts and ranking over the snapshots added
 * so far (two or more; one is enough for a goroutine series, whose
 * proven leaks need no trend).  Fills r (release with leaks_result_release);
 * returns 0, or -1 with err_set() (r then needs no release): snapshots
 * of different kinds (heap and goroutine, goroutine and goroutineleak), a sample type some snapshot lacks, a
 * min_growth that is no value of a type's unit (LEAKS_EMIN_GROWTH). */
#define LEAKS_EMIN_GROWTH (-2)
int leaks_analyze(const struct leaks_series *s, struct leaks_result *r);
/* leaks_analyze_verdicts: leaks_analyze for views that show verdicts,
 * counts and ranks but not the sampling test (drip watch's rounds, the
 * metrics): a site's test (has_st, st) is run only where one of its
 * verdicts reads it (sampling_needs_test).  On a long sampled series
 * that test is most of an analysis; the verdicts, ranks and counts are
 * leaks_analyze's. */
int leaks_analyze_verdicts(const struct leaks_series *s, struct leaks_result *r);
void leaks_result_release(struct leaks_result *r);

/* ---- rendering (leaks_report.c) ---- */

struct leaks_render_opts {
	bool all;   /* every site, flat ones too (default: suspects and
		     * the LEAKS_NOISY_SHOWN largest noisy ones) */
	bool ascii; /* sparklines in ASCII */
	bool color; /* text: verdicts in color.h's colours (leaked and
		     * growing red, noisy yellow) */
};
#define LEAKS_NOISY_SHOWN 10

/* The key printed under each table of the text report (the man page
 * says the same). */
#define LEAKS_LEGEND \
	"Key: growing = grew steadily by the floor (the least growth that counts) or more (exit 1); noisy = grew,\n" \
	"     not steadily; flat = grew less; R\u00b2 = fit of a line (1: exact); t = slope / its standard error (exact: no scatter)\n"

/* leaks_site_malg: is s the heap site runtime.malg, where the runtime
 * allocates each new goroutine's g (kept for reuse, never freed)?  Its
 * growth is goroutines piling up; the report says so (LEAKS_MALG_NOTE). */
bool leaks_site_malg(const struct leaks_result *r, const struct leaks_site *s);
#define LEAKS_MALG_NOTE1 \
	"goroutine stacks: runtime.malg makes each new goroutine (its g; the stack memory itself is outside heap profiles);"
#define LEAKS_MALG_NOTE2 "growth here is goroutines piling up: see drip leaks on the goroutine profiles"
#define LEAKS_MALG_NOTE LEAKS_MALG_NOTE1 " " LEAKS_MALG_NOTE2

/* The report as text (the header, then one line per site and type, then
 * LEAKS_LEGEND) or as one JSON document (schema drip.leaks/1), to f. */
void leaks_write_text(const struct leaks_result *r, const struct leaks_render_opts *o, FILE *f);
void leaks_write_json(const struct leaks_result *r, const struct leaks_render_opts *o, FILE *f);
/* The report of a heap and a goroutine series of one service and their
 * joined findings (leaks_join.h) as one JSON document (schema
 * drip.leaks.joint/1: "heap" and "goroutine", each a drip.leaks/1
 * document, and "joined"). */
struct leaks_joint;
void leaks_write_joint_json(const struct leaks_result *heap, const struct leaks_result *gor,
			    const struct leaks_joint *jt, const struct leaks_render_opts *o, FILE *f);

/* ---- the compact views of drip watch (leaks_brief.c) ---- */

struct leaks_brief_opts {
	size_t rows;  /* most site rows (or change lines) to list */
	int width;    /* display columns a line may use (names are cut to
		       * fit with ".."); 0: no limit */
	size_t spark; /* sparklines show the last `spark` values; 0: all */
	bool ascii;   /* sparklines in ASCII */
	bool color;   /* verdicts in color.h's colours (ANSI) */
};

/* leaks_brief_listable: the sites the views list (proven leaks,
 * growing, noisy), and in *important (may be NULL) the proven and
 * growing ones among them. */
size_t leaks_brief_listable(const struct leaks_result *r, size_t *important);

/* leaks_brief_lines: as leaks_brief_listable, and in lines[k] (may be
 * NULL; room for every listable site) the lines leaks_write_brief
 * takes for the k-th listable site: 1, or 2 for a suspect with an owner
 * (leaks_site_has_owner) named on the line under its row. */
size_t leaks_brief_lines(const struct leaks_result *r, size_t *lines);

/* leaks_write_counts: "N snapshots; S suspects, N noisy, F flat of M
 * sites; TYPE FIRST -> LAST" without a newline. */
void leaks_write_counts(const struct leaks_result *r, FILE *f);

/* leaks_write_brief: a column header and the first o->rows listable
 * sites in rank order, one line each (the first sample type only:
 * verdict, growth, last value, R², t, sparkline, name; a suspect's
 * owner on a line of its own under it), then "+N more
 * (...)" when some are left out; nothing when no site is listable, and
 * no column header when o->rows is 0.  Returns the lines written. */
size_t leaks_write_brief(const struct leaks_result *r, const struct leaks_brief_opts *o, FILE *f);

/* leaks_write_changes: what changed from prev (NULL: an empty series)
 * to cur, sites matched by key: one line per site that became or
 * stopped being a suspect or proven leak (a suspect's owner in
 * parentheses at its end; at most o->rows, then "+N
 * more"), then one line counting the sites that became or stopped
 * being noisy.  Returns the lines written (0: nothing changed). */
size_t leaks_write_changes(const struct leaks_result *prev, const struct leaks_result *cur,
			   const struct leaks_brief_opts *o, FILE *f);

#endif
