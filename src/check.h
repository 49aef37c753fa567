/* check: the rules of `drip check` (a CI gate on profile growth), their
 * parsing, evaluation over a base-vs-new comparison, and the verdict in
 * text, JSON (drip.check/1), JUnit XML and GitHub annotations. */
#ifndef DRIP_CHECK_H
#define DRIP_CHECK_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "options.h"
#include "profile.h"

enum rule_kind {
	RULE_GROWTH,      /* total growth of the selected sample type */
	RULE_NODE_GROWTH, /* growth of any single node */
	RULE_NEW_SITE,    /* a node absent from the base above a size */
	RULE_GOROUTINES,  /* goroutine count: N, +N or +P% against the base */
};

#define CHECK_MAX_CONTRIB 5

struct contributor {
	const char *name; /* interned */
	int64_t base, new_, delta;
	bool is_new;
};

struct rule {
	enum rule_kind kind;
	char *text;          /* as given, for messages ("max-growth=10%"); owned */
	double limit;        /* in the sample type's unit, or percent */
	bool percent;        /* limit is a percentage of the base */
	bool relative;       /* goroutines: +N / +P% (against the base) */
	const char *limit_kind; /* "%", "bytes", "nanoseconds", "" (a number) */
	char *focus, *ignore; /* scope regexes (owned), NULL = none */

	/* results */
	bool evaluated, broken;
	int64_t measured;    /* value compared (absolute) */
	double measured_pct; /* growth as a percentage of the base */
	bool has_pct;
	int64_t base_total, new_total;
	const char *unit;    /* unit of measured (interned sample unit) */
	char *detail;        /* one-line description of what was measured; owned */
	struct contributor contrib[CHECK_MAX_CONTRIB];
	int ncontrib;
};

struct check {
	struct rule *rules;
	size_t nrules;
	bool defaults;       /* no rule was given: the default rules apply */
	const char *min_growth_text; /* --min-growth as given, NULL = auto */
	int64_t min_growth;  /* growth at or below this never breaks a rule */
	const char *sample_type, *sample_unit;
	bool goroutine_profile;
	bool by_cum;         /* nodes measured by cum (goroutines, --cum) */
};

/* check_add_rule: parse "max-growth=10%", "max-node-growth 1MB
 * focus=RE", ... (a leading "--" is accepted).  Returns 0, or -1 with
 * err_set(). */
int check_add_rule(struct check *c, const char *text);

/* check_read_rules: one rule per line, '#' starts a comment. */
int check_read_rules(struct check *c, const char *path);

void check_release(struct check *c);

/* check_run: evaluate every rule on the profile made by profile_diff()
 * (base tagged pprof::base); o gives the sample index, granularity,
 * --cum and the default scope (o->focus / o->ignore).  Returns the
 * number of broken rules, or -1 with err_set(). */
int check_run(struct check *c, struct profile *p, const struct ropts *o);

void check_text(const struct check *c, const char *const *base, int nbase, const char *const *news, int nnew,
		FILE *f);
void check_json(const struct check *c, const char *const *base, int nbase, const char *const *news, int nnew,
		FILE *f);
void check_junit(const struct check *c, FILE *f);
void check_github(const struct check *c, FILE *f);

#endif
