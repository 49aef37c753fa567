#include "gate.h"
#include "owner.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diff.h"
#include "error.h"
#include "color.h"
#include "json.h"
#include "prune.h"
#include "rx.h"
#include "report.h"
#include "report_diff.h"
#include "session.h"
#include "strtab.h"
#include "units.h"
#include "xalloc.h"

static const struct {
	const char *name;
	enum rule_kind kind;
} rule_names[] = {
	{ "max-growth", RULE_GROWTH },
	{ "max-node-growth", RULE_NODE_GROWTH },
	{ "max-new-site", RULE_NEW_SITE },
	{ "max-goroutines", RULE_GOROUTINES },
	{ "max-leaked-goroutines", RULE_LEAKED },
};

static const char *rule_kind_name(enum rule_kind k)
{
	size_t i;

	for (i = 0; i < sizeof(rule_names) / sizeof(rule_names[0]); i++)
		if (rule_names[i].kind == k)
			return rule_names[i].name;
	return "?";
}

/* ---- parsing ---- */

/* Parse a limit: "10%", "+10%", "50MB", "1000", "+5".  *kind is "bytes",
 * "nanoseconds", "" (a plain number) or "%" . */
static int parse_limit(const char *s, double *v, bool *percent, bool *plus, const char **kind)
{
	size_t n = strlen(s);

	*plus = *s == '+';
	if (*plus)
		s++, n--;
	*percent = n > 0 && s[n - 1] == '%';
	if (*percent) {
		char *end, tmp[64];
		if (n >= sizeof(tmp))
			return -1;
		memcpy(tmp, s, n - 1);
		tmp[n - 1] = 0;
		*v = strtod(tmp, &end);
		*kind = "%";
		return end == tmp || *end || *v < 0 || !isfinite(*v) ? -1 : 0;
	}
	if (units_parse_value(s, v, kind) < 0 || *v < 0 || !isfinite(*v))
		return -1;
	return 0;
}

int gate_add_rule(struct gate *c, const char *text)
{
	char *copy = xstrdup(text), *tok, *save = NULL, *val = NULL, *eq;
	struct rule r;
	const char *name, *kind;
	size_t i;
	bool found = false, plus;
	struct buf canon = BUF_INIT;

	memset(&r, 0, sizeof(r));
	tok = strtok_r(copy, " \t\r\n", &save);
	if (!tok) {
		free(copy);
		return err_set("empty rule");
	}
	name = tok;
	if (strncmp(name, "--", 2) == 0)
		name += 2;
	eq = strchr(tok, '=');
	if (eq) {
		*eq = 0;
		val = eq + 1;
	} else {
		val = strtok_r(NULL, " \t\r\n", &save);
	}
	for (i = 0; i < sizeof(rule_names) / sizeof(rule_names[0]); i++)
		if (strcmp(name, rule_names[i].name) == 0) {
			r.kind = rule_names[i].kind;
			found = true;
		}
	if (!found) {
		err_set("unknown rule '%s' (want max-growth, max-node-growth, max-new-site, max-goroutines or max-leaked-goroutines)",
			name);
		goto fail;
	}
	if (!val || !*val) {
		err_set("rule '%s' needs a limit", name);
		goto fail;
	}
	if (parse_limit(val, &r.limit, &r.percent, &plus, &kind) < 0) {
		err_set("invalid limit '%s' for %s (want a percentage like 10%%, a size like 50MB, or a number)", val,
			name);
		goto fail;
	}
	if (r.kind == RULE_GOROUTINES) {
		if (*kind && strcmp(kind, "%") != 0) {
			err_set("invalid limit '%s' for %s (want N, +N or +P%%)", val, name);
			goto fail;
		}
		r.relative = plus || r.percent;
	}
	if (r.kind == RULE_LEAKED && (*kind || plus)) {
		err_set("invalid limit '%s' for %s (want a number of goroutines)", val, name);
		goto fail;
	}
	buf_printf(&canon, "%s=%s", name, val);
	while ((tok = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
		if (strncmp(tok, "focus=", 6) == 0 && tok[6]) {
			free(r.focus);
			r.focus = xstrdup(tok + 6);
		} else if (strncmp(tok, "ignore=", 7) == 0 && tok[7]) {
			free(r.ignore);
			r.ignore = xstrdup(tok + 7);
		} else {
			err_set("unexpected '%s' in rule '%s' (want focus=REGEX or ignore=REGEX)", tok, name);
			goto fail;
		}
		buf_printf(&canon, " %s", tok);
	}
	r.limit_kind = kind; /* checked against the sample unit in gate_run */
	r.unit = "";
	r.text = buf_detach(&canon, NULL);
	c->rules = xreallocarray(c->rules, c->nrules + 1, sizeof(*c->rules));
	c->rules[c->nrules++] = r;
	free(copy);
	return 0;
fail:
	buf_release(&canon);
	free(r.focus);
	free(r.ignore);
	free(copy);
	return -1;
}

int gate_read_rules(struct gate *c, const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, rc = 0;

	if (!f)
		return err_set("cannot read '%s': %s", path, strerror(errno));
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *s = line, *h;
		lineno++;
		/* a comment starts at '#' at the start of the line or after a blank */
		for (h = s; (h = strchr(h, '#')) != NULL; h++)
			if (h == s || isspace((unsigned char)h[-1])) {
				*h = 0;
				break;
			}
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			continue;
		if (gate_add_rule(c, s) < 0) {
			err_prefix("%s:%d", path, lineno);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f))
		rc = err_set("cannot read '%s': %s", path, strerror(errno));
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

void gate_release(struct gate *c)
{
	size_t i;

	for (i = 0; i < c->nrules; i++) {
		free(c->rules[i].text);
		free(c->rules[i].focus);
		free(c->rules[i].ignore);
		free(c->rules[i].detail);
	}
	free(c->rules);
	memset(c, 0, sizeof(*c));
}

/* ---- scoping (pprof's focus / ignore) ---- */

/* pprof's Location.matchesName: a line's function name or file name,
 * or the mapping's file. */
static bool loc_matches(const struct profile *p, uint32_t li, const struct rx *re)
{
	const struct pf_location *l = &p->locations[li];
	uint32_t k;

	for (k = 0; k < l->nlines; k++) {
		uint32_t fi = p->lines[l->line_start + k].function;
		if (fi == PF_NONE)
			continue;
		if (rx_match(re, p->functions[fi].name) || rx_match(re, p->functions[fi].filename))
			return true;
	}
	return l->mapping != PF_NONE && rx_match(re, p->mappings[l->mapping].file);
}

/* Go's syntax, matched in linear time (rx.h): rules files are input. */
static struct rx *compile(const char *what, const char *s)
{
	struct rx *re = rx_compile(s, 0);

	if (!re)
		err_prefix("invalid %s regular expression '%s'", what, s);
	return re;
}

/* Values of p with the samples outside the scope set to zero (pprof's
 * FilterSamplesByName for focus and ignore: a sample is kept when a
 * frame matches focus and none matches ignore).  Returns a new array
 * (caller frees) or NULL with err_set(). */
static int64_t *scoped_values(const struct profile *p, const char *focus, const char *ignore)
{
	struct rx *fre = NULL, *ire = NULL;
	signed char *state; /* per location: 1 focused, -1 ignored, 0 neither */
	int64_t *v;
	size_t i, n = p->nsamples * p->ntypes;

	if (focus && !(fre = compile("focus", focus)))
		return NULL;
	if (ignore && !(ire = compile("ignore", ignore))) {
		rx_free(fre);
		return NULL;
	}
	state = xcalloc(p->nlocations + 1, 1);
	for (i = 0; i < p->nlocations; i++) {
		if (ignore && loc_matches(p, (uint32_t)i, ire))
			state[i] = -1;
		else if (!focus || loc_matches(p, (uint32_t)i, fre))
			state[i] = 1;
	}
	v = xreallocarray(NULL, n + 1, sizeof(*v));
	if (n)
		memcpy(v, p->values, n * sizeof(*v));
	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *s = &p->samples[i];
		bool f = false, ign = false;
		uint32_t k;

		for (k = 0; k < s->nlocs && !ign; k++) {
			signed char st = state[pf_stack(p, s)[k]];
			if (st > 0)
				f = true;
			else if (st < 0)
				ign = true;
		}
		if (!f || ign)
			memset(v + i * p->ntypes, 0, p->ntypes * sizeof(*v));
	}
	free(state);
	rx_free(fre);
	rx_free(ire);
	return v;
}

/* ---- evaluation ---- */

static double pct_of(int64_t v, int64_t base)
{
	if (base == 0)
		return v > 0 ? INFINITY : v < 0 ? -INFINITY : 0;
	return (double)v * 100.0 / (double)base;
}

static char *fmt(const char *unit, int64_t v, char *out, size_t n)
{
	return units_label(v, unit, "auto", out, n);
}

static char *fmt_signed(const char *unit, int64_t v, char *out, size_t n)
{
	char b[64];

	units_label(v, unit, "auto", b, sizeof(b));
	snprintf(out, n, "%s%.40s", v > 0 ? "+" : "", b);
	return out;
}

static char *fmt_pct(double p, char *out, size_t n)
{
	if (isinf(p))
		snprintf(out, n, "%s", p > 0 ? "+inf%" : "-inf%");
	else
		snprintf(out, n, "%+.2f%%", p);
	return out;
}

struct cand {
	const struct diff_row *row;
	int64_t key;
};

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return strcmp(x->row->name, y->row->name);
}

static bool is_runtime(const char *name)
{
	return strncmp(name, "runtime.", 8) == 0;
}

/* Fill r->contrib with the rows of d ranked by growth (or, for new-site
 * rules, new sites by their new value). */
static void contributors(struct rule *r, const struct diff_report *d, bool skip_runtime, const struct profile *p, int si,
			 enum granularity gran)
{
	struct cand *v = xreallocarray(NULL, d->nrows + 1, sizeof(*v));
	size_t n = 0, i;

	for (i = 0; i < d->nrows; i++) {
		const struct diff_row *row = &d->rows[i];
		int64_t delta = diff_row_delta(d, row);

		if (skip_runtime && is_runtime(row->name))
			continue;
		if (r->kind == RULE_NEW_SITE) {
			if (row->status != DS_NEW || diff_row_new(d, row) <= 0)
				continue;
			v[n].key = diff_row_new(d, row);
		} else {
			if (delta <= 0)
				continue;
			v[n].key = delta;
		}
		v[n++].row = row;
	}
	qsort(v, n, sizeof(*v), cmp_cand);
	r->ncontrib = 0;
	for (i = 0; i < n && r->ncontrib < GATE_MAX_CONTRIB; i++) {
		struct contributor *ct = &r->contrib[r->ncontrib++];
		ct->name = v[i].row->name;
		ct->base = diff_row_base(d, v[i].row);
		ct->new_ = diff_row_new(d, v[i].row);
		ct->delta = diff_row_delta(d, v[i].row);
		ct->is_new = v[i].row->status == DS_NEW;
		ct->owner = NULL;
		if (gran != GRAN_FILES) {
			struct owner ow;
			char fn[512];
			owner_find(p, si, owner_site_func(ct->name, fn, sizeof(fn)), &ow);
			ct->owner = ow.func;
			ct->owner_file = ow.file;
			ct->owner_line = ow.line;
			ct->owner_own = ow.own;
			ct->owner_creator = false;
			ct->show_line = gran != GRAN_FUNCTIONS;
		}
	}
	free(v);
}

/* Goroutine profiles: every stack ends in the scheduler, so group the
 * goroutines by their start function instead (the outermost frame that
 * is not runtime.*), and rank the groups by growth. */
struct entry {
	const char *name;
	int64_t base, new_;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int64_t dx = x->new_ - x->base, dy = y->new_ - y->base;

	if (dx != dy)
		return dx > dy ? -1 : 1;
	return strcmp(x->name, y->name);
}

static const char *entry_function(const struct profile *p, const struct pf_sample *s)
{
	uint32_t k;

	for (k = s->nlocs; k-- > 0;) {
		const struct pf_location *l = &p->locations[pf_stack(p, s)[k]];
		uint32_t j;
		for (j = l->nlines; j-- > 0;) {
			uint32_t fi = p->lines[l->line_start + j].function;
			if (fi != PF_NONE && *p->functions[fi].name && !is_runtime(p->functions[fi].name))
				return p->functions[fi].name;
		}
	}
	return NULL;
}

/* The owner of a goroutine group (by its entry function) that is not
 * the program's own code: the first frame of the program's own from the
 * leaf on the NEW goroutines' stacks, else their creator (the
 * created_by label of a debug=2 dump), the one with most goroutines
 * (ties by name). */
static void entry_owner(struct contributor *ct, const struct profile *p, const int64_t *values, int si)
{
	struct { const char *func, *file; int64_t line, n; bool own; } c[16];
	size_t nc = 0, i, k, f, best = 0;
	unsigned char *ownf = owner_own_flags(p);

	ct->owner = NULL;
	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *sm = &p->samples[i];
		int64_t v = values[i * p->ntypes + (size_t)si];
		const char *func = NULL, *file = NULL;
		int64_t line = 0;
		bool own = false;

		if (v <= 0 || diff_is_base_sample(p, i) || entry_function(p, sm) != ct->name)
			continue;
		for (k = 0; k < sm->nlocs && !func; k++) {
			const struct pf_location *l = &p->locations[pf_stack(p, sm)[k]];
			for (f = 0; f < l->nlines && !func; f++) {
				const struct pf_line *ln = &p->lines[l->line_start + f];
				const struct pf_function *fn = ln->function == PF_NONE ? NULL : &p->functions[ln->function];
				if (fn && ownf[ln->function]) {
					func = fn->name;
					file = fn->filename;
					line = ln->line;
					own = true;
				}
			}
		}
		for (k = 0; k < sm->nlabels && !func; k++) {
			const struct pf_label *lb = &p->labels[sm->label_start + k];
			if (lb->str && strcmp(lb->key, "created_by") == 0 && *lb->str)
				func = lb->str;
		}
		if (!func)
			continue;
		for (k = 0; k < nc && !(c[k].func == func && c[k].line == line); k++)
			;
		if (k == nc) {
			if (nc == sizeof(c) / sizeof(c[0]))
				continue; /* enough candidates to name the largest */
			c[nc].func = func;
			c[nc].file = file ? file : intern_empty();
			c[nc].line = line;
			c[nc].own = own;
			c[nc++].n = 0;
		}
		c[k].n = sat_add(c[k].n, v);
	}
	for (k = 1; k < nc; k++)
		if (c[k].n > c[best].n || (c[k].n == c[best].n && strcmp(c[k].func, c[best].func) < 0))
			best = k;
	if (nc) {
		ct->owner = c[best].func;
		ct->owner_file = c[best].file;
		ct->owner_line = c[best].line;
		ct->owner_own = c[best].own;
		ct->owner_creator = !c[best].own;
		ct->show_line = false;
	}
	free(ownf);
}

static void entry_contributors(struct rule *r, const struct profile *p, const int64_t *values, int si)
{
	struct entry *e = NULL;
	size_t n = 0, cap = 0, i, j;

	for (i = 0; i < p->nsamples; i++) {
		int64_t v = values[i * p->ntypes + (size_t)si];
		const char *name;
		bool base;

		if (v == 0)
			continue;
		name = entry_function(p, &p->samples[i]);
		if (!name)
			continue;
		base = diff_is_base_sample(p, i);
		for (j = 0; j < n && e[j].name != name; j++)
			;
		if (j == n) {
			xgrow(&e, &cap, n + 1, sizeof(*e));
			e[n].name = name;
			e[n].base = e[n].new_ = 0;
			n++;
		}
		if (base)
			e[j].base = sat_add(e[j].base, -v);
		else
			e[j].new_ = sat_add(e[j].new_, v);
	}
	if (n)
		qsort(e, n, sizeof(*e), cmp_entry);
	r->ncontrib = 0;
	for (i = 0; i < n && r->ncontrib < GATE_MAX_CONTRIB; i++) {
		struct contributor *ct;
		if (e[i].new_ - e[i].base <= 0 && r->kind != RULE_NEW_SITE)
			break;
		if (r->kind == RULE_NEW_SITE && (e[i].base != 0 || e[i].new_ <= 0))
			continue;
		ct = &r->contrib[r->ncontrib++];
		ct->name = e[i].name;
		ct->base = e[i].base;
		ct->new_ = e[i].new_;
		ct->delta = e[i].new_ - e[i].base;
		ct->is_new = e[i].base == 0;
		ct->owner = NULL;
		if (!owner_is_own(ct->name, NULL))
			entry_owner(ct, p, values, si);
	}
	free(e);
}

/* Is sample i of NEW proven leaked? */
static bool sample_leaked(const struct profile *p, size_t i, bool leakprof)
{
	const struct pf_sample *s = &p->samples[i];
	size_t k;

	if (leakprof)
		return true;
	for (k = 0; k < s->nlabels; k++) {
		const struct pf_label *l = &p->labels[s->label_start + k];
		if (l->str && strcmp(l->key, "leaked") == 0 && strcmp(l->str, "true") == 0)
			return true;
	}
	return false;
}

/* max-leaked-goroutines=N: the goroutines NEW proves leaked (every one
 * of a goroutineleak profile; those marked "(leaked)" in a debug=2
 * dump), at most N. */
static int eval_leaked(struct gate *c, struct rule *r, struct profile *p, const char *focus, const char *ignore)
{
	int gi = profile_find_type(p, "goroutineleak");
	bool leakprof = gi >= 0;
	int64_t *scoped, base = 0, leaked = 0;
	struct buf det = BUF_INIT;
	size_t i;

	(void)c;
	if (gi < 0)
		gi = profile_find_type(p, "goroutine");
	if (gi < 0)
		return err_set("%s needs goroutineleak or goroutine profiles", r->text);
	scoped = scoped_values(p, focus, ignore);
	if (!scoped)
		return -1;
	for (i = 0; i < p->nsamples; i++) {
		int64_t *v = &scoped[i * p->ntypes + (size_t)gi];
		if (!sample_leaked(p, i, leakprof)) {
			*v = 0;
			continue;
		}
		if (diff_is_base_sample(p, i))
			base = sat_add(base, -*v);
		else
			leaked = sat_add(leaked, *v);
	}
	r->evaluated = true;
	r->unit = intern("count");
	r->base_total = base;
	r->new_total = leaked;
	r->measured = leaked;
	r->has_pct = false;
	r->broken = (double)leaked > r->limit;
	buf_printf(&det, "goroutines proven leaked by the runtime: %lld (base %lld)", (long long)leaked,
		   (long long)base);
	entry_contributors(r, p, scoped, gi);
	free(scoped);
	free(r->detail);
	r->detail = buf_detach(&det, NULL);
	return 0;
}

/* The sum of a side's scoped values of type si (frameless samples are
 * zero there: scoped_values zeroes them). */
static int64_t side_sum(const struct profile *p, const int64_t *v, int si)
{
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < p->nsamples; i++)
		sum = sat_add(sum, v[i * p->ntypes + (size_t)si]);
	return sum;
}

/* eval_rule over the merged profile p (di NULL), or over di's split
 * inputs (p NULL; never a goroutine rule: gate_run_split sends those to
 * the merged path).  The split path scopes NEW and BASE on their own and
 * builds the report with diff_report_build_split, which gives the rows
 * diff_report_build gives on the merged profile (session.c says why);
 * the totals are the sums of each side's scoped values, as
 * diff_report_build sums the merged profile's. */
static int eval_rule(struct gate *c, struct rule *r, struct profile *p, struct diff_inputs *di,
		     const struct report_opts *o)
{
	struct report_opts ro = *o;
	struct report rep;
	struct diff_report d;
	struct profile *rp = p ? p : di->header, *np = p ? p : di->newp;
	int64_t *scoped = NULL, *bscoped = NULL, *saved = np->values, *bsaved = di ? di->base->values : NULL;
	const char *focus = r->focus ? r->focus : o->filter.focus, *ignore = r->ignore ? r->ignore : o->filter.ignore;
	const char *limit_kind = r->limit_kind;
	char a[64], b[64], e[64], pc[32], lim[64];
	struct buf det = BUF_INIT;
	size_t i;
	bool skip_runtime;

	ro.nodecount = 0;
	ro.nodefraction = 0;
	ro.edgefraction = 0;
	ro.filter.focus = ro.filter.ignore = NULL;
	ro.cum = c->by_cum;
	if (r->kind == RULE_LEAKED)
		return eval_leaked(c, r, p, focus, ignore);
	if (r->kind == RULE_GOROUTINES) {
		int gi = profile_find_type(p, "goroutine");
		if (gi < 0)
			return err_set("%s needs goroutine profiles (this one has no 'goroutine' sample type)", r->text);
		snprintf(lim, sizeof(lim), "%d", gi);
		ro.sample_index = lim;
		ro.cum = true;
	}
	scoped = scoped_values(np, focus, ignore);
	if (!scoped)
		return -1;
	if (di && !(bscoped = scoped_values(di->base, focus, ignore))) {
		free(scoped);
		return -1;
	}
	np->values = scoped;
	if (di)
		di->base->values = bscoped;
	if (report_init(&rep, rp, &ro) < 0)
		goto fail;
	r->unit = rp->types[rep.si].unit;
	if (r->kind != RULE_GOROUTINES && (!strcmp(limit_kind, "bytes") || !strcmp(limit_kind, "nanoseconds"))) {
		/* a size (or duration) limit must match the sample type's unit */
		const char *u;
		if (!units_compatible("v", limit_kind, "v", r->unit)) {
			err_set("%s: the limit is a %s but %s is measured in %s", r->text,
				!strcmp(limit_kind, "bytes") ? "size" : "duration", rep.sample_type, r->unit);
			goto fail;
		}
		r->limit = units_scale((int64_t)r->limit, limit_kind, r->unit, &u);
		r->limit_kind = "";
	}
	if (di) {
		struct diff_inputs sd = *di;
		int64_t *framed = xcalloc(2 * rp->ntypes + 2, sizeof(int64_t));

		sd.new_framed = framed;
		sd.base_framed = framed + rp->ntypes + 1;
		sd.new_framed[rep.si] = side_sum(di->newp, scoped, rep.si);
		sd.base_framed[rep.si] = side_sum(di->base, bscoped, rep.si);
		diff_report_build_split(&rep, &sd, &d);
		free(framed);
		di->base->values = bsaved;
		free(bscoped);
	} else {
		diff_report_build(&rep, &d);
	}
	np->values = saved;

	r->evaluated = true;
	r->base_total = d.base_total;
	r->new_total = d.new_total;
	skip_runtime = c->goroutine_profile || r->kind == RULE_GOROUTINES;
	switch (r->kind) {
	case RULE_GROWTH: {
		int64_t delta = d.new_total - d.base_total;
		r->measured = delta;
		r->measured_pct = pct_of(delta, d.base_total);
		r->has_pct = true;
		r->broken = (r->percent ? r->measured_pct > r->limit : (double)delta > r->limit) &&
			    delta > c->min_growth;
		buf_printf(&det, "total %s %s %s (%s), from %s to %s", rep.sample_type,
			   delta >= 0 ? "grew by" : "shrank by", fmt(r->unit, delta >= 0 ? delta : -delta, a, sizeof(a)),
			   fmt_pct(r->measured_pct, pc, sizeof(pc)), fmt(r->unit, d.base_total, b, sizeof(b)),
			   fmt(r->unit, d.new_total, e, sizeof(e)));
		break;
	}
	case RULE_NODE_GROWTH:
	case RULE_NEW_SITE: {
		const struct diff_row *worst = NULL;
		int64_t best = 0;
		for (i = 0; i < d.nrows; i++) {
			const struct diff_row *row = &d.rows[i];
			int64_t v;
			if (skip_runtime && is_runtime(row->name))
				continue;
			if (r->kind == RULE_NEW_SITE) {
				if (row->status != DS_NEW)
					continue;
				v = diff_row_new(&d, row);
			} else {
				v = diff_row_delta(&d, row);
			}
			if (!worst || v > best || (v == best && strcmp(row->name, worst->name) < 0)) {
				worst = row;
				best = v;
			}
		}
		r->measured = worst ? best : 0;
		r->measured_pct = pct_of(r->measured, d.base_total);
		r->has_pct = true;
		r->broken = worst && (r->percent ? r->measured_pct > r->limit : (double)r->measured > r->limit) &&
			    r->measured > c->min_growth;
		if (!worst)
			buf_printf(&det, r->kind == RULE_NEW_SITE ? "no new %s site" : "no node in %s",
				   rep.sample_type);
		else if (r->kind == RULE_NEW_SITE)
			buf_printf(&det, "largest new site %s: %s %s (%s of the base total)", worst->name,
				   fmt(r->unit, best, a, sizeof(a)), rep.sample_type,
				   fmt_pct(r->measured_pct, pc, sizeof(pc)));
		else
			buf_printf(&det, "largest node growth %s: %s %s (%s of the base total)", worst->name,
				   fmt_signed(r->unit, best, a, sizeof(a)), rep.sample_type,
				   fmt_pct(r->measured_pct, pc, sizeof(pc)));
		break;
	}
	case RULE_GOROUTINES: {
		int64_t delta = d.new_total - d.base_total;
		r->measured_pct = pct_of(delta, d.base_total);
		r->has_pct = true;
		if (!r->relative) {
			r->measured = d.new_total;
			r->broken = (double)d.new_total > r->limit;
		} else {
			r->measured = delta;
			r->broken = r->percent ? r->measured_pct > r->limit : (double)delta > r->limit;
		}
		buf_printf(&det, "goroutines %lld -> %lld (%+lld, %s)", (long long)d.base_total,
			   (long long)d.new_total, (long long)delta, fmt_pct(r->measured_pct, pc, sizeof(pc)));
		break;
	}
	case RULE_LEAKED: /* eval_leaked */
		break;
	}
	if (!r->broken && r->kind != RULE_GOROUTINES && r->measured > 0 && r->measured <= c->min_growth &&
	    (r->percent ? r->measured_pct > r->limit : (double)r->measured > r->limit))
		buf_printf(&det, ", within the %s noise floor", fmt(r->unit, c->min_growth, a, sizeof(a)));
	if (skip_runtime)
		entry_contributors(r, p, scoped, rep.si);
	else
		contributors(r, &d, false, np, rep.si, ro.gran);
	free(scoped);
	free(r->detail);
	r->detail = buf_detach(&det, NULL);
	diff_report_release(&d);
	return 0;
fail:
	np->values = saved;
	free(scoped);
	if (di) {
		di->base->values = bsaved;
		free(bscoped);
	}
	return -1;
}

static int run(struct gate *c, struct profile *p, struct diff_inputs *di, const struct report_opts *o)
{
	struct profile *hp = p ? p : di->header, *np = p ? p : di->newp;
	int si = profile_sample_index(hp, o->sample_index), broken = 0;
	size_t i;
	bool marks = false;

	if (si < 0)
		return -1;
	c->sample_type = hp->types[si].type;
	c->sample_unit = hp->types[si].unit;
	c->goroutine_profile = strcmp(c->sample_type, "goroutine") == 0 || strcmp(c->sample_type, "goroutineleak") == 0;
	c->by_cum = o->cum || c->goroutine_profile;
	if (c->nrules == 0)
		for (i = 0; i < np->nsamples && !marks; i++)
			marks = !diff_is_base_sample(np, i) && sample_leaked(np, i, false);
	if (di) {
		/* goroutine rules and goroutine profiles group samples by
		 * their start function over the merged profile */
		bool merged = c->goroutine_profile || marks;
		for (i = 0; i < c->nrules; i++)
			merged |= c->rules[i].kind == RULE_GOROUTINES || c->rules[i].kind == RULE_LEAKED;
		if (merged)
			return GATE_NEEDS_MERGED;
	}
	if (c->nrules == 0) {
		/* the default: total growth over 10% (with the noise floor);
		 * for a goroutineleak profile no proven leak at all, and the
		 * same for a dump that marks leaked goroutines */
		c->defaults = true;
		if (strcmp(c->sample_type, "goroutineleak") == 0) {
			if (gate_add_rule(c, "max-leaked-goroutines=0") < 0)
				return -1;
		} else {
			if (gate_add_rule(c, "max-growth=10%") < 0)
				return -1;
			if (marks && gate_add_rule(c, "max-leaked-goroutines=0") < 0)
				return -1;
		}
	}
	if (!c->min_growth_text) {
		/* auto: heap profiles are sampled about every `period` bytes,
		 * so a few samples' worth of growth is noise */
		if (strcmp(hp->period_type.type, "space") == 0 && strcmp(c->sample_unit, "bytes") == 0 &&
		    hp->period > 1) /* MemProfileRate=1 records every allocation */
			c->min_growth = 4 * hp->period;
		else
			c->min_growth = 0;
	} else {
		double v;
		const char *kind;
		if (units_parse_value(c->min_growth_text, &v, &kind) < 0 || v < 0)
			return err_set("invalid --min-growth '%s'", c->min_growth_text);
		c->min_growth = (int64_t)v;
	}
	for (i = 0; i < c->nrules; i++) {
		if (eval_rule(c, &c->rules[i], p, di, o) < 0)
			return -1;
		if (c->rules[i].broken)
			broken++;
	}
	return broken;
}

int gate_run(struct gate *c, struct profile *p, const struct report_opts *o)
{
	return run(c, p, NULL, o);
}

int gate_run_split(struct gate *c, struct diff_inputs *di, const struct report_opts *o)
{
	if (di->merged)
		return run(c, di->merged, NULL, o);
	return run(c, NULL, di, o);
}

/* ---- output ---- */

static void limit_text(const struct rule *r, char *out, size_t n)
{
	char a[64];

	if (r->percent)
		snprintf(out, n, "%s%g%%", r->relative ? "+" : "", r->limit);
	else if (r->kind == RULE_GOROUTINES || r->kind == RULE_LEAKED)
		snprintf(out, n, "%s%.0f", r->relative ? "+" : "", r->limit);
	else
		snprintf(out, n, "%s", units_label((int64_t)r->limit, r->unit, "auto", a, sizeof(a)));
}

static size_t count_broken(const struct gate *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->nrules; i++)
		n += c->rules[i].broken;
	return n;
}

static void names_line(const char *label, const char *const *files, int n, FILE *f)
{
	int i;

	fputs(label, f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : " ", files[i]);
	fputc('\n', f);
}

void gate_text(const struct gate *c, const char *const *base, int nbase, const char *const *news, int nnew,
		FILE *f)
{
	size_t i, nb = count_broken(c);
	char a[64];

	fputs("drip check: ", f);
	color_fputs(f, c->color, nb ? COLOR_GREW : COLOR_PASS, nb ? "FAIL" : "ok");
	fprintf(f, ": %zu of %zu rule%s broken\n", nb, c->nrules, c->nrules == 1 ? "" : "s");
	names_line("Base:", base, nbase, f);
	names_line("New: ", news, nnew, f);
	fprintf(f, "Type: %s\n", c->sample_type);
	if (c->defaults) {
		size_t k;
		fprintf(f, "Rules: none given, using the default:");
		for (k = 0; k < c->nrules; k++)
			fprintf(f, "%s %s", k ? "," : "", c->rules[k].text);
		fputc('\n', f);
	}
	if (c->min_growth > 0)
		fprintf(f, "Noise floor: growth up to %s never breaks a rule (%s)\n",
			units_label(c->min_growth, c->sample_unit, "auto", a, sizeof(a)),
			c->min_growth_text ? "--min-growth" : "4 heap sampling periods; --min-growth to change");
	for (i = 0; i < c->nrules; i++) {
		const struct rule *r = &c->rules[i];
		char lim[64];
		int k;

		limit_text(r, lim, sizeof(lim));
		color_fputs(f, c->color, r->broken ? COLOR_GREW : COLOR_PASS, r->broken ? "FAIL" : "ok  ");
		fprintf(f, " %s: %s; limit %s\n", r->text, r->detail, lim);
		if (!r->broken || r->ncontrib == 0)
			continue;
		fprintf(f, "     top contributors:\n");
		for (k = 0; k < r->ncontrib; k++) {
			const struct contributor *ct = &r->contrib[k];
			char d[64], b[64], n[64];
			fprintf(f, "     %10s  %s%s  (%s -> %s)",
				fmt_signed(r->unit, r->kind == RULE_NEW_SITE ? ct->new_ : ct->delta, d, sizeof(d)), ct->name,
				ct->is_new ? " [new]" : "", fmt(r->unit, ct->base, b, sizeof(b)),
				fmt(r->unit, ct->new_, n, sizeof(n)));
			if (ct->owner) {
				fprintf(f, "  %s %s", ct->owner_own ? "owner" : ct->owner_creator ? "created by" : "called from",
					ct->owner);
				if (ct->show_line && ct->owner_line > 0)
					fprintf(f, " %s:%lld", ct->owner_file, (long long)ct->owner_line);
			}
			fputc('\n', f);
		}
	}
}

void gate_json(const struct gate *c, const char *const *base, int nbase, const char *const *news, int nnew,
		FILE *f)
{
	struct json j;
	size_t i, nb = count_broken(c);

	json_init(&j, f);
	json_begin_object(&j);
	json_kstr(&j, "schema", "drip.check/1");
	json_kstr(&j, "verdict", nb ? "fail" : "pass");
	json_kint(&j, "broken", (int64_t)nb);
	json_kstr_array(&j, "base_files", base, nbase);
	json_kstr_array(&j, "new_files", news, nnew);
	json_kstr(&j, "sample_type", c->sample_type);
	json_kstr(&j, "unit", c->sample_unit);
	json_kbool(&j, "default_rules", c->defaults);
	json_kint(&j, "min_growth", c->min_growth);
	json_key(&j, "rules");
	json_begin_array(&j);
	for (i = 0; i < c->nrules; i++) {
		const struct rule *r = &c->rules[i];
		int k;

		json_begin_object(&j);
		json_kstr(&j, "rule", r->text);
		json_kstr(&j, "kind", rule_kind_name(r->kind));
		json_kstr(&j, "status", r->broken ? "fail" : "pass");
		json_key(&j, "limit");
		json_begin_object(&j);
		json_knum(&j, "value", r->limit, 6);
		json_kstr(&j, "unit", r->percent ? "%" : r->unit);
		json_kbool(&j, "relative", r->relative || (r->kind != RULE_GOROUTINES && r->kind != RULE_LEAKED));
		json_end_object(&j);
		if (r->focus)
			json_kstr(&j, "focus", r->focus);
		if (r->ignore)
			json_kstr(&j, "ignore", r->ignore);
		json_kstr(&j, "unit", r->unit);
		json_kint(&j, "measured", r->measured);
		json_key(&j, "measured_percent");
		json_num(&j, r->measured_pct, 2); /* null when the base is 0 */
		json_kint(&j, "base_total", r->base_total);
		json_kint(&j, "new_total", r->new_total);
		json_kstr(&j, "message", r->detail);
		json_key(&j, "contributors");
		json_begin_array(&j);
		for (k = 0; k < r->ncontrib; k++) {
			const struct contributor *ct = &r->contrib[k];
			json_begin_object(&j);
			json_kstr(&j, "name", ct->name);
			json_kint(&j, "base", ct->base);
			json_kint(&j, "new", ct->new_);
			json_kint(&j, "delta", ct->delta);
			json_kbool(&j, "new_site", ct->is_new);
			if (ct->owner) {
				json_key(&j, "owner");
				json_begin_object(&j);
				json_kstr(&j, "function", ct->owner);
				json_kstr(&j, "file", ct->owner_file);
				json_kint(&j, "line", ct->owner_line);
				json_kbool(&j, "own_code", ct->owner_own);
				json_kstr(&j, "kind", ct->owner_own ? "own" : ct->owner_creator ? "creator" : "caller");
				json_end_object(&j);
			}
			json_end_object(&j);
		}
		json_end_array(&j);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
}

static void xml_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			/* XML 1.0 forbids most control characters */
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				fputc('?', f);
			else
				fputc(*s, f);
		}
	}
}

static void contrib_lines(const struct rule *r, struct buf *b)
{
	int k;

	for (k = 0; k < r->ncontrib; k++) {
		const struct contributor *ct = &r->contrib[k];
		char d[64];
		buf_printf(b, "%s%s %s%s", k ? ", " : "top contributors: ",
			   fmt_signed(r->unit, r->kind == RULE_NEW_SITE ? ct->new_ : ct->delta, d, sizeof(d)), ct->name,
			   ct->is_new ? " [new]" : "");
	}
}

void gate_junit(const struct gate *c, FILE *f)
{
	size_t i, nb = count_broken(c);

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"drip check\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", c->nrules, nb);
	fprintf(f, "  <testsuite name=\"drip check ");
	xml_escape(f, c->sample_type);
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n", c->nrules, nb);
	for (i = 0; i < c->nrules; i++) {
		const struct rule *r = &c->rules[i];
		char lim[64];
		struct buf msg = BUF_INIT, body = BUF_INIT;

		limit_text(r, lim, sizeof(lim));
		fprintf(f, "    <testcase classname=\"drip.check\" name=\"");
		xml_escape(f, r->text);
		if (!r->broken) {
			fprintf(f, "\">\n      <system-out>");
			xml_escape(f, r->detail);
			fprintf(f, "; limit ");
			xml_escape(f, lim);
			fprintf(f, "</system-out>\n    </testcase>\n");
			continue;
		}
		buf_printf(&msg, "%s; limit %s", r->detail, lim);
		contrib_lines(r, &body);
		fprintf(f, "\">\n      <failure type=\"%s\" message=\"", rule_kind_name(r->kind));
		xml_escape(f, msg.data);
		fprintf(f, "\">");
		xml_escape(f, msg.data);
		if (body.len) {
			fputc('\n', f);
			xml_escape(f, body.data);
		}
		fprintf(f, "</failure>\n    </testcase>\n");
		buf_release(&msg);
		buf_release(&body);
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
}

/* GitHub workflow commands: data escapes %, CR, LF; properties also : and ,. */
static void gh_escape(FILE *f, const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", f);
		else if (*s == '\r')
			fputs("%0D", f);
		else if (*s == '\n')
			fputs("%0A", f);
		else if (property && *s == ':')
			fputs("%3A", f);
		else if (property && *s == ',')
			fputs("%2C", f);
		else
			fputc(*s, f);
	}
}

void gate_github(const struct gate *c, FILE *f)
{
	size_t i, nb = count_broken(c);

	for (i = 0; i < c->nrules; i++) {
		const struct rule *r = &c->rules[i];
		char lim[64];
		struct buf msg = BUF_INIT, title = BUF_INIT;

		if (!r->broken)
			continue;
		limit_text(r, lim, sizeof(lim));
		buf_printf(&title, "drip check: %s", r->text);
		buf_printf(&msg, "%s; limit %s", r->detail, lim);
		if (r->ncontrib) {
			buf_puts(&msg, "\n");
			contrib_lines(r, &msg);
		}
		fputs("::error title=", f);
		gh_escape(f, title.data, true);
		fputs("::", f);
		gh_escape(f, msg.data, false);
		fputc('\n', f);
		buf_release(&msg);
		buf_release(&title);
	}
	fprintf(f, "drip check: %s: %zu of %zu rule%s broken\n", nb ? "FAIL" : "ok", nb, c->nrules,
		c->nrules == 1 ? "" : "s");
}
