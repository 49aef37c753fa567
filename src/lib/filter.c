/* filter: pprof's applyFocus (internal/driver/driver_focus.go) and the
 * profile methods it calls (profile/filter.go, PruneFrom in prune.go),
 * in the same order: names (focus, ignore, hide, show), show_from, tag
 * filters, tagshow / taghide, prune_from.
 *
 * Locations are changed in place (hide, show, show_from and prune_from
 * cut lines from them); the samples that survive are copied into fresh
 * sample, stack, value and label arrays that replace the old ones. */
#include "filter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "hash.h"
#include "prune.h"
#include "rx.h"
#include "strtab.h"
#include "units.h"
#include "xalloc.h"

/* ---- regexes ---- */

/* Compile an optional regex option (Go's syntax, linear-time matching:
 * rx.h); *have tells whether it was given. */
static int compile_opt(const char *name, const char *re, struct rx **rx, bool *have)
{
	*have = false;
	*rx = NULL;
	if (!re || !*re)
		return 0;
	*rx = rx_compile(re, 0);
	if (!*rx) {
		err_prefix("invalid --%s regexp '%s'", name, re);
		return -1;
	}
	*have = true;
	return 0;
}

/* ---- numeric tag ranges ---- */

/* One match of pprof's tagFilterRangeRx "([+-]?[[:digit:]]+)([[:alpha:]]+)?"
 * at or after s[from]: [start, end) of the whole match, the number and
 * the letters. */
struct range_tok {
	size_t start, end;
	size_t num_start, num_end, unit_start, unit_end;
};

static int next_tok(const char *s, size_t from, struct range_tok *t)
{
	size_t i, j;

	for (i = from; s[i]; i++) {
		j = i;
		if (s[j] == '+' || s[j] == '-')
			j++;
		if (s[j] < '0' || s[j] > '9')
			continue;
		t->start = i;
		t->num_start = i;
		while (s[j] >= '0' && s[j] <= '9')
			j++;
		t->num_end = j;
		t->unit_start = j;
		while ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z'))
			j++;
		t->unit_end = j;
		t->end = j;
		return 1;
	}
	return 0;
}

/* Go's strconv.ParseInt(s, 10, 64) on s[a, b): a sign, then digits. */
static int parse_i64(const char *s, size_t a, size_t b, int64_t *out)
{
	char tmp[64];
	char *end;
	long long v;

	if (b - a >= sizeof(tmp))
		return err_set("number '%.*s' in a tag range is out of range", (int)(b - a), s + a);
	memcpy(tmp, s + a, b - a);
	tmp[b - a] = 0;
	errno = 0;
	v = strtoll(tmp, &end, 10);
	if (errno == ERANGE || *end)
		return err_set("number '%s' in a tag range is out of range", tmp);
	*out = v;
	return 0;
}

int filter_parse_range(const char *s, struct tag_range *r)
{
	struct range_tok t[2];
	int n = 0;
	size_t len = strlen(s), ul;
	int64_t v;
	char unit[64];
	const char *cu;

	memset(r, 0, sizeof(*r));
	if (next_tok(s, 0, &t[0])) {
		n = 1;
		if (next_tok(s, t[0].end, &t[1]))
			n = 2;
	}
	if (n == 0)
		return 0;
	ul = t[0].unit_end - t[0].unit_start;
	if (ul >= sizeof(unit))
		return 0;
	if (parse_i64(s, t[0].num_start, t[0].num_end, &v) < 0)
		return -1;
	memcpy(unit, s + t[0].unit_start, ul);
	unit[ul] = 0;
	/* pprof: scaledValue, unit := measurement.Scale(v, u, u) */
	r->lo = units_scale(v, unit, unit, &cu);
	snprintf(r->unit, sizeof(r->unit), "%s", cu);
	if (n == 1) {
		size_t ml = t[0].end - t[0].start;
		if (t[0].start == 0 && ml == len) {
			r->op = TR_EQ;
		} else if (t[0].start == 0 && ml + 1 == len && s[ml] == ':') {
			r->op = TR_GE;
		} else if (t[0].start == 1 && s[0] == ':' && ml + 1 == len) {
			r->op = TR_LE;
		} else {
			return 0;
		}
		r->hi = r->lo;
		return 1;
	}
	/* two numbers: the filter must be exactly "A:B" */
	if (t[0].start != 0 || s[t[0].end] != ':' || t[1].start != t[0].end + 1 || t[1].end != len)
		return 0;
	{
		size_t ul2 = t[1].unit_end - t[1].unit_start;
		char unit2[64];
		const char *cu2;

		if (ul2 >= sizeof(unit2))
			return 0;
		if (parse_i64(s, t[1].num_start, t[1].num_end, &v) < 0)
			return -1;
		memcpy(unit2, s + t[1].unit_start, ul2);
		unit2[ul2] = 0;
		/* pprof: scaledValue2, unit2 := measurement.Scale(v, u2, unit) */
		r->hi = units_scale(v, unit2, r->unit, &cu2);
		if (strcmp(cu2, r->unit) != 0)
			return 0;
	}
	r->op = TR_BETWEEN;
	return 1;
}

bool filter_range_match(const struct tag_range *r, int64_t v, const char *unit)
{
	const char *su;
	double sv = units_scale(v, unit, r->unit, &su);

	if (strcmp(su, r->unit) != 0)
		return false;
	switch (r->op) {
	case TR_EQ: return sv == r->lo;
	case TR_GE: return sv >= r->lo;
	case TR_LE: return sv <= r->lo;
	case TR_BETWEEN: return sv >= r->lo && sv <= r->hi;
	}
	return false;
}

/* ---- tag filters ---- */

/* The unit of each numeric label key (pprof's NumLabelUnits) is
 * computed once over the whole profile before any filtering, as pprof
 * does (label_units_new, profile.h). */

struct tag_filter {
	bool on;
	const char *key; /* interned KEY of KEY=..., NULL for any */
	bool numeric;
	struct tag_range range;
	struct rx **rx;
	size_t nrx;
};

static void tag_filter_release(struct tag_filter *tf)
{
	size_t i;

	for (i = 0; i < tf->nrx; i++)
		rx_free(tf->rx[i]);
	free(tf->rx);
	memset(tf, 0, sizeof(*tf));
}

static int tag_filter_compile(const char *name, const char *value, bool verbose, struct tag_filter *tf)
{
	const char *eq, *v = value;
	int rc;

	memset(tf, 0, sizeof(*tf));
	if (!value || !*value)
		return 0;
	tf->on = true;
	eq = strchr(value, '=');
	if (eq) {
		if (eq > value)
			tf->key = intern_n(value, (size_t)(eq - value));
		v = eq + 1;
	}
	rc = filter_parse_range(v, &tf->range);
	if (rc < 0) {
		err_prefix("invalid --%s '%s'", name, value);
		return -1;
	}
	if (rc == 1) {
		tf->numeric = true;
		if (verbose)
			warnf("--%s: interpreted '%s' as a range, not a regexp", name, v);
		return 0;
	}
	{
		char *copy = xstrdup(v), *piece;
		size_t n = 1, i;

		for (i = 0; copy[i]; i++)
			n += copy[i] == ',';
		tf->rx = xcalloc(n, sizeof(*tf->rx));
		/* strtok would skip empty pieces; pprof keeps them (an empty
		 * regex matches everything), so split by hand. */
		piece = copy;
		for (;;) {
			char *comma = strchr(piece, ',');
			if (comma)
				*comma = 0;
			tf->rx[tf->nrx] = rx_compile(piece, 0);
			if (!tf->rx[tf->nrx]) {
				err_prefix("invalid --%s regexp '%s'", name, piece);
				free(copy);
				tag_filter_release(tf);
				return -1;
			}
			tf->nrx++;
			if (!comma)
				break;
			piece = comma + 1;
		}
		free(copy);
	}
	return 0;
}

static bool tag_filter_match(const struct tag_filter *tf, const struct label_units *ku, const struct pf_label *ls,
			     size_t nl, struct buf *tmp)
{
	size_t i, k;

	if (tf->numeric) {
		for (i = 0; i < nl; i++) {
			if (ls[i].str || (tf->key && ls[i].key != tf->key))
				continue;
			if (filter_range_match(&tf->range, ls[i].num, label_units_get(ku, ls[i].key)))
				return true;
		}
		return false;
	}
	if (tf->key) {
		for (k = 0; k < tf->nrx; k++)
			for (i = 0; i < nl; i++)
				if (ls[i].str && ls[i].key == tf->key && rx_match(tf->rx[k], ls[i].str))
					return true;
		return false;
	}
	/* every regex must match some "key:value" */
	for (k = 0; k < tf->nrx; k++) {
		bool found = false;
		for (i = 0; i < nl && !found; i++) {
			if (!ls[i].str)
				continue;
			buf_reset(tmp);
			buf_printf(tmp, "%s:%s", ls[i].key, ls[i].str);
			found = rx_match(tf->rx[k], tmp->data);
		}
		if (!found)
			return false;
	}
	return true;
}

/* ---- location name matching (profile/filter.go) ---- */

static bool line_matches(const struct profile *p, const struct pf_line *ln, const struct rx *rx)
{
	const struct pf_function *f;

	if (ln->function == PF_NONE)
		return false;
	f = &p->functions[ln->function];
	return rx_match(rx, f->name) || rx_match(rx, f->filename);
}

static bool mapping_matches(const struct profile *p, const struct pf_location *l, const struct rx *rx)
{
	return l->mapping != PF_NONE && rx_match(rx, p->mappings[l->mapping].file);
}

/* matchesName */
static bool loc_matches(const struct profile *p, const struct pf_location *l, const struct rx *rx)
{
	uint32_t k;

	for (k = 0; k < l->nlines; k++)
		if (line_matches(p, &p->lines[l->line_start + k], rx))
			return true;
	return mapping_matches(p, l, rx);
}

/* Keep the lines of l for which keep_if_match == (the line matches);
 * lines without a function are kept.  (unmatchedLines / matchedLines,
 * without their mapping shortcut, which the caller handles.) */
static void loc_keep_lines(struct profile *p, struct pf_location *l, const struct rx *rx, bool keep_if_match)
{
	struct pf_line *ls = p->lines + l->line_start;
	uint32_t k, n = 0;

	for (k = 0; k < l->nlines; k++) {
		if (ls[k].function != PF_NONE && line_matches(p, &ls[k], rx) != keep_if_match)
			continue;
		ls[n++] = ls[k];
	}
	l->nlines = n;
}

/* ---- the whole pass ---- */

enum { FI_NONE = 0, FI_FOCUS = 1, FI_IGNORE = 2 };
enum { LF_HIDDEN = 4, LF_SHOWFROM = 8, LF_PRUNE = 16 };

struct filters {
	struct rx *focus, *ignore, *hide, *show, *show_from, *prune_from;
	bool has_focus, has_ignore, has_hide, has_show, has_show_from, has_prune_from;
	struct tag_filter tagfocus, tagignore;
	struct rx *tagshow, *taghide;
	bool has_tagshow, has_taghide;
};

static void filters_release(struct filters *fs)
{
	rx_free(fs->focus);
	rx_free(fs->ignore);
	rx_free(fs->hide);
	rx_free(fs->show);
	rx_free(fs->show_from);
	rx_free(fs->prune_from);
	rx_free(fs->tagshow);
	rx_free(fs->taghide);
	tag_filter_release(&fs->tagfocus);
	tag_filter_release(&fs->tagignore);
}

static int filters_compile(struct filters *fs, const struct filter_opts *o)
{
	memset(fs, 0, sizeof(*fs));
	if (compile_opt("focus", o->focus, &fs->focus, &fs->has_focus) < 0 ||
	    compile_opt("ignore", o->ignore, &fs->ignore, &fs->has_ignore) < 0 ||
	    compile_opt("hide", o->hide, &fs->hide, &fs->has_hide) < 0 ||
	    compile_opt("show", o->show, &fs->show, &fs->has_show) < 0 ||
	    compile_opt("show-from", o->show_from, &fs->show_from, &fs->has_show_from) < 0 ||
	    tag_filter_compile("tagfocus", o->tagfocus, o->verbose, &fs->tagfocus) < 0 ||
	    tag_filter_compile("tagignore", o->tagignore, o->verbose, &fs->tagignore) < 0 ||
	    compile_opt("prune-from", o->prune_from, &fs->prune_from, &fs->has_prune_from) < 0 ||
	    compile_opt("tagshow", o->tagshow, &fs->tagshow, &fs->has_tagshow) < 0 ||
	    compile_opt("taghide", o->taghide, &fs->taghide, &fs->has_taghide) < 0) {
		filters_release(fs);
		return -1;
	}
	return 0;
}

/* The location passes; flags[loc] gets FI_* and LF_* bits.  Sets the
 * matched-anything results m[0..5]: focus, ignore, hide, show,
 * show_from. */
static void location_pass(struct profile *p, struct filters *fs, unsigned char *flags, bool *m, bool *any_hidden)
{
	size_t i;
	char *name = NULL;
	size_t maxname = 1;

	for (i = 0; i < p->nlocations; i++) {
		struct pf_location *l = &p->locations[i];

		/* FilterSamplesByName */
		if (fs->has_ignore && loc_matches(p, l, fs->ignore)) {
			m[1] = true;
			flags[i] |= FI_IGNORE;
		} else if (!fs->has_focus || loc_matches(p, l, fs->focus)) {
			m[0] = true;
			flags[i] |= FI_FOCUS;
		}
		if (fs->has_hide && loc_matches(p, l, fs->hide)) {
			m[2] = true;
			if (mapping_matches(p, l, fs->hide))
				l->nlines = 0;
			else
				loc_keep_lines(p, l, fs->hide, false);
			if (l->nlines == 0)
				flags[i] |= LF_HIDDEN;
		}
		if (fs->has_show) {
			if (!mapping_matches(p, l, fs->show))
				loc_keep_lines(p, l, fs->show, true);
			if (l->nlines == 0)
				flags[i] |= LF_HIDDEN;
			else
				m[3] = true;
		}
		if (flags[i] & LF_HIDDEN)
			*any_hidden = true;
	}
	/* ShowFrom: filterShowFromLocation */
	if (fs->has_show_from) {
		for (i = 0; i < p->nlocations; i++) {
			struct pf_location *l = &p->locations[i];
			long k;

			if (mapping_matches(p, l, fs->show_from)) {
				flags[i] |= LF_SHOWFROM;
				m[4] = true;
				continue;
			}
			for (k = (long)l->nlines - 1; k >= 0; k--)
				if (line_matches(p, &p->lines[l->line_start + (size_t)k], fs->show_from))
					break;
			if (k >= 0) {
				l->nlines = (uint32_t)k + 1;
				flags[i] |= LF_SHOWFROM;
				m[4] = true;
			}
		}
	}
	/* PruneFrom (its location part; applyFocus runs it last, but the
	 * sample part is what depends on order, and that runs last below). */
	if (fs->has_prune_from) {
		for (i = 0; i < p->nfunctions; i++) {
			size_t n = strlen(p->functions[i].name) + 1;
			if (n > maxname)
				maxname = n;
		}
		name = xmalloc(maxname);
		for (i = 0; i < p->nlocations; i++) {
			struct pf_location *l = &p->locations[i];
			uint32_t k;

			for (k = 0; k < l->nlines; k++) {
				const struct pf_line *ln = &p->lines[l->line_start + k];
				if (ln->function == PF_NONE || !*p->functions[ln->function].name)
					continue;
				prune_simplify_func(p->functions[ln->function].name, name);
				if (rx_match(fs->prune_from, name)) {
					flags[i] |= LF_PRUNE;
					l->line_start += k;
					l->nlines -= k;
					break;
				}
			}
		}
		free(name);
	}
}

/* tagshow / taghide decision per label key, cached: keys are interned
 * and few. */
/* Whether --tagshow/--taghide remove a label key, decided once per key:
 * interned key -> 1 (remove) or 0. */
static bool remove_label(struct u64map *kv, const struct filters *fs, const char *key, bool *sm, bool *hm)
{
	int inserted;
	uint64_t *slot = u64map_put(kv, (uint64_t)(uintptr_t)key, 0, &inserted);

	if (inserted) {
		bool show = !fs->has_tagshow || rx_match(fs->tagshow, key);
		bool hide = fs->has_taghide && rx_match(fs->taghide, key);

		*slot = !show || hide;
		/* the matched flags only matter for labels of kept samples,
		 * which is where this is called */
		if (show)
			*sm = true;
		if (hide)
			*hm = true;
	}
	return *slot != 0;
}

/* Remove the samples without frames (stacks and labels stay where
 * they are: the kept samples still point at theirs). */
static void drop_frameless(struct profile *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nsamples; i++) {
		if (p->samples[i].nlocs == 0)
			continue;
		if (n != i) {
			p->samples[n] = p->samples[i];
			memmove(p->values + n * p->ntypes, p->values + i * p->ntypes, p->ntypes * sizeof(*p->values));
		}
		n++;
	}
	p->nsamples = n;
}

int filter_apply(struct profile *p, const struct filter_opts *o)
{
	struct filters fs;
	unsigned char *flags;
	bool m[5] = { false, false, false, false, false }, any_hidden = false;
	bool tfm = false, tim = false, tsm = false, thm = false;
	struct label_units *ku;
	struct u64map kv = U64MAP_INIT;
	struct buf tmp = BUF_INIT;
	struct pf_sample *ns;
	uint32_t *nstk, *stk;
	int64_t *nvals;
	struct pf_label *nlab;
	size_t i, nsamples = 0, nstacks = 0, nlabels = 0;

	if (filters_compile(&fs, o) < 0)
		return -1;
	if (!fs.has_focus && !fs.has_ignore && !fs.has_hide && !fs.has_show && !fs.has_show_from &&
	    !fs.has_prune_from && !fs.tagfocus.on && !fs.tagignore.on && !fs.has_tagshow && !fs.has_taghide) {
		/* No filter: the pass below would keep every sample that has
		 * a frame, unchanged.  Do just that, in place, rather than
		 * copy a big profile (drip top on 1M stacks spent a fifth of
		 * its time here). */
		drop_frameless(p);
		filters_release(&fs);
		return 0;
	}
	ku = label_units_new(p);
	flags = xcalloc(p->nlocations + 1, 1);
	location_pass(p, &fs, flags, m, &any_hidden);

	ns = xreallocarray(NULL, p->nsamples + 1, sizeof(*ns));
	nstk = xreallocarray(NULL, p->nstacks + 1, sizeof(*nstk));
	nvals = xreallocarray(NULL, p->nsamples * p->ntypes + 1, sizeof(*nvals));
	nlab = xreallocarray(NULL, p->nlabels + 1, sizeof(*nlab));
	stk = xreallocarray(NULL, 1, sizeof(*stk));
	{
		size_t maxlocs = 1;
		for (i = 0; i < p->nsamples; i++)
			if (p->samples[i].nlocs > maxlocs)
				maxlocs = p->samples[i].nlocs;
		stk = xreallocarray(stk, maxlocs, sizeof(*stk));
	}
	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *s = &p->samples[i];
		const uint32_t *old = pf_stack(p, s);
		const struct pf_label *ls = p->labels + s->label_start;
		size_t n = 0, k, first, lab0;
		bool focused = false, ignored = false;

		/* focusedAndNotIgnored */
		for (k = 0; k < s->nlocs && !ignored; k++) {
			if (flags[old[k]] & FI_IGNORE)
				ignored = true;
			else if (flags[old[k]] & FI_FOCUS)
				focused = true;
		}
		if (!focused || ignored)
			continue;
		for (k = 0; k < s->nlocs; k++)
			if (!any_hidden || !(flags[old[k]] & LF_HIDDEN))
				stk[n++] = old[k];
		if (n == 0)
			continue;
		/* ShowFrom: keep up to the outermost matching frame */
		if (fs.has_show_from) {
			size_t j = n;
			while (j > 0 && !(flags[stk[j - 1]] & LF_SHOWFROM))
				j--;
			if (j == 0)
				continue;
			n = j;
		}
		/* FilterSamplesByTag */
		{
			bool tf = true, ti = false;
			if (fs.tagfocus.on)
				tf = tag_filter_match(&fs.tagfocus, ku, ls, s->nlabels, &tmp);
			if (fs.tagignore.on)
				ti = tag_filter_match(&fs.tagignore, ku, ls, s->nlabels, &tmp);
			tfm = tfm || tf;
			tim = tim || ti;
			if (!tf || ti)
				continue;
		}
		/* PruneFrom: drop the frames below the first (leafmost) match */
		first = 0;
		if (fs.has_prune_from)
			for (k = 0; k < n; k++)
				if (flags[stk[k]] & LF_PRUNE) {
					first = k;
					break;
				}
		/* keep the sample */
		ns[nsamples].loc_start = (uint32_t)nstacks;
		ns[nsamples].nlocs = (uint32_t)(n - first);
		memcpy(nstk + nstacks, stk + first, (n - first) * sizeof(*nstk));
		nstacks += n - first;
		memcpy(nvals + nsamples * p->ntypes, pf_values(p, i), p->ntypes * sizeof(*nvals));
		lab0 = nlabels;
		for (k = 0; k < s->nlabels; k++) {
			if ((fs.has_tagshow || fs.has_taghide) && remove_label(&kv, &fs, ls[k].key, &tsm, &thm))
				continue;
			nlab[nlabels++] = ls[k];
		}
		ns[nsamples].label_start = (uint32_t)lab0;
		ns[nsamples].nlabels = (uint32_t)(nlabels - lab0);
		nsamples++;
	}
	free(p->samples);
	free(p->stacks);
	free(p->values);
	free(p->labels);
	p->cap_samples = p->nsamples + 1;
	p->cap_stacks = p->nstacks + 1;
	p->cap_values = p->nsamples * p->ntypes + 1;
	p->cap_labels = p->nlabels + 1;
	p->samples = ns;
	p->nsamples = nsamples;
	p->stacks = nstk;
	p->nstacks = nstacks;
	p->values = nvals;
	p->labels = nlab;
	p->nlabels = nlabels;

	/* pprof's warnNoMatches, in its order */
	if (fs.has_focus && !m[0])
		warnf("--focus expression matched no samples");
	if (fs.has_ignore && !m[1])
		warnf("--ignore expression matched no samples");
	if (fs.has_hide && !m[2])
		warnf("--hide expression matched no samples");
	if (fs.has_show && !m[3])
		warnf("--show expression matched no samples");
	if (fs.has_show_from && !m[4])
		warnf("--show-from expression matched no samples");
	if (fs.tagfocus.on && !tfm)
		warnf("--tagfocus expression matched no samples");
	if (fs.tagignore.on && !tim)
		warnf("--tagignore expression matched no samples");
	if (fs.has_tagshow && !tsm)
		warnf("--tagshow expression matched no samples");
	if (fs.has_taghide && !thm)
		warnf("--taghide expression matched no samples");

	free(stk);
	free(flags);
	label_units_free(ku);
	u64map_release(&kv);
	buf_release(&tmp);
	filters_release(&fs);
	return 0;
}
