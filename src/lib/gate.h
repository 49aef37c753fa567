/* gate: the rules of `drip check` (a CI gate on profile growth), their
 * parsing, evaluation over a base-vs-new comparison, and the verdict in
 * text, JSON (drip.check/1), JUnit XML and GitHub annotations. */
#ifndef DRIP_GATE_H
#define DRIP_GATE_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "profile.h"
#include "report.h"

enum rule_kind {
	RULE_GROWTH,      /* total growth of the selected sample type */
	RULE_NODE_GROWTH, /* growth of any single node */
	RULE_NEW_SITE,    /* a node absent from the base above a size */
	RULE_GOROUTINES,  /* goroutine count: N, +N or +P% against the base */
	RULE_LEAKED,      /* goroutines NEW proves leaked (goroutineleak
			   * profile, or "(leaked)" in a debug=2 dump): at most N */
};

#define GATE_MAX_CONTRIB 5

struct contributor {
	const char *name; /* interned */
	int64_t base, new_, delta;
	bool is_new;
	/* owner.h: the program's function on the site's heaviest path in
	 * NEW (else the nearest caller outside its package); NULL when the
	 * site is the program's own code or has none */
	const char *owner, *owner_file; /* interned */
	int64_t owner_line;
	bool owner_own;
	bool owner_creator; /* goroutines: the creator (created_by), as no
			     * frame on their stacks is the program's own */
	bool show_line;   /* granularity finer than functions: print file:line */
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
	struct contributor contrib[GATE_MAX_CONTRIB];
	int ncontrib;
};

struct gate {
	struct rule *rules;
	size_t nrules;
	bool defaults;       /* no rule was given: the default rules apply */
	const char *min_growth_text; /* --min-growth as given, NULL = auto */
	int64_t min_growth;  /* growth at or below this never breaks a rule */
	const char *sample_type, *sample_unit;
	bool goroutine_profile;
	bool by_cum;         /* nodes measured by cum (goroutines, --cum) */
	bool color;          /* gate_text: FAIL / ok and deltas in colour */
};

/* gate_add_rule: parse "max-growth=10%", "max-node-growth 1MB
 * focus=RE", ... (a leading "--" is accepted).  Returns 0, or -1 with
 * err_set(). */
int gate_add_rule(struct gate *c, const char *text);

/* gate_read_rules: one rule per line, '#' starts a comment. */
int gate_read_rules(struct gate *c, const char *path);

void gate_release(struct gate *c);

/* gate_run: evaluate every rule on the profile made by profile_diff()
 * (base tagged pprof::base); o gives the sample index, granularity,
 * --cum and the default scope (o->focus / o->ignore).  Returns the
 * number of broken rules, or -1 with err_set(). */
int gate_run(struct gate *c, struct profile *p, const struct report_opts *o);

/* gate_run_split: gate_run on session_load_diff()'s inputs: on the
 * merged profile when di has it, else on the split NEW and BASE, which
 * evaluates the growth, node-growth and new-site rules to the same
 * results without the merge (gate.c).  Goroutine profiles and goroutine
 * rules need the merged profile: then it returns GATE_NEEDS_MERGED
 * before it evaluates anything; session_diff_merge() and gate_run()
 * follow.  Otherwise as gate_run. */
#define GATE_NEEDS_MERGED (-2)
struct diff_inputs;
int gate_run_split(struct gate *c, struct diff_inputs *di, const struct report_opts *o);

void gate_text(const struct gate *c, const char *const *base, int nbase, const char *const *news, int nnew,
		FILE *f);
void gate_json(const struct gate *c, const char *const *base, int nbase, const char *const *news, int nnew,
		FILE *f);
void gate_junit(const struct gate *c, FILE *f);
void gate_github(const struct gate *c, FILE *f);

#endif
