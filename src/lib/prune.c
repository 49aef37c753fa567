#include "prune.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "rx.h"
#include "xalloc.h"

void prune_simplify_func(const char *f, char *out)
{
	static const char *reserved[] = { "(anonymous namespace)", "operator()" };
	const char *s = f[0] == '.' ? f + 1 : f;
	size_t i = 0, n = strlen(s), k;

	while (i < n) {
		int skip = 0;
		for (k = 0; k < 2; k++) {
			size_t rl = strlen(reserved[k]);
			if (strncmp(s + i, reserved[k], rl) == 0) {
				i += rl;
				skip = 1;
				break;
			}
		}
		if (skip)
			continue;
		if (s[i] == '(')
			break;
		i++;
	}
	memcpy(out, s, i);
	out[i] = 0;
}

/* The count of a {m} / {m,n} at *s (just past the '{'), moving *s past
 * the '}'; 1 for a malformed one (regcomp will reject it). */
static uint64_t repeat_count(const char **s)
{
	uint64_t m = 0, n = 0;
	int have_n = 0;
	const char *p = *s;

	for (; *p >= '0' && *p <= '9'; p++)
		m = m < 100000 ? m * 10 + (uint64_t)(*p - '0') : m;
	if (*p == ',')
		for (p++; *p >= '0' && *p <= '9'; p++, have_n = 1)
			n = n < 100000 ? n * 10 + (uint64_t)(*p - '0') : n;
	if (*p == '}')
		p++;
	*s = p;
	if (have_n && n > m)
		m = n;
	return m > 1 ? m : 1;
}

int prune_regex_ok(const char *re)
{
	/* As Go's regexp/syntax: a repeat whose count, times the counts of
	 * the repeats nested inside it, passes 1000 is refused.  inner[d]:
	 * the largest such product seen so far inside the group at depth d. */
	enum { MAXDEPTH = 256 };
	uint64_t inner[MAXDEPTH], last = 1; /* last: the atom just read */
	uint64_t total = 0; /* copies all repeats expand to (glibc: ~200 B each) */
	int depth = 0;
	const char *s = re;

	inner[0] = 1;
	while (*s) {
		uint64_t atom = 1;

		if (*s == '\\' && s[1]) {
			s += 2;
		} else if (*s == '[') { /* a bracket expression: ']' first is literal */
			s++;
			if (*s == '^')
				s++;
			if (*s == ']')
				s++;
			while (*s && *s != ']')
				s++;
			if (*s)
				s++;
		} else if (*s == '(') {
			if (depth + 1 >= MAXDEPTH)
				return err_set("expression nests too deeply");
			inner[++depth] = 1;
			s++;
			last = 1;
			continue;
		} else if (*s == ')' && depth > 0) {
			atom = inner[depth--];
			s++;
		} else if (*s == '{') {
			uint64_t v;

			s++;
			v = last * repeat_count(&s);
			if (v > 1000)
				return err_set("expression repeats too much (a repeat count, times the counts nested in it, passes 1000)");
			total += v;
			if (total > 100000)
				return err_set("expression is too large (its repeats expand past 100000 copies)");
			if (v > inner[depth])
				inner[depth] = v;
			last = v;
			continue;
		} else {
			s++;
		}
		last = atom;
		if (atom > inner[depth])
			inner[depth] = atom;
	}
	return 0;
}

/* The whole name must match, as pprof's "^(" + re + ")$"; the profile
 * names the field in the error (drop_frames, keep_frames). */
static struct rx *compile_anchored(const char *field, const char *re)
{
	struct rx *rx = rx_compile(re, RX_ANCHORED);

	if (!rx)
		err_prefix("invalid %s regexp '%s'", field, re);
	return rx;
}

int profile_remove_uninteresting(struct profile *p)
{
	struct rx *drop, *keep = NULL;
	unsigned char *prune, *beneath;
	size_t i, maxname = 1;
	char *name;

	if (!*p->drop_frames)
		return 0;
	if (!(drop = compile_anchored("drop_frames", p->drop_frames)))
		return -1;
	if (*p->keep_frames && !(keep = compile_anchored("keep_frames", p->keep_frames))) {
		rx_free(drop);
		return -1;
	}
	for (i = 0; i < p->nfunctions; i++) {
		size_t n = strlen(p->functions[i].name) + 1;
		if (n > maxname)
			maxname = n;
	}
	name = xmalloc(maxname);
	prune = xcalloc(p->nlocations + 1, 1);
	beneath = xcalloc(p->nlocations + 1, 1);
	for (i = 0; i < p->nlocations; i++) {
		struct pf_location *l = &p->locations[i];
		long k;

		for (k = (long)l->nlines - 1; k >= 0; k--) {
			const struct pf_line *ln = &p->lines[l->line_start + (size_t)k];
			if (ln->function == PF_NONE || !*p->functions[ln->function].name)
				continue;
			prune_simplify_func(p->functions[ln->function].name, name);
			if (rx_match(drop, name) && (!keep || !rx_match(keep, name)))
				break;
		}
		if (k >= 0) {
			beneath[i] = 1;
			if (k == (long)l->nlines - 1) {
				prune[i] = 1;
			} else {
				l->line_start += (uint32_t)k + 1;
				l->nlines -= (uint32_t)k + 1;
			}
		}
	}
	for (i = 0; i < p->nsamples; i++) {
		struct pf_sample *s = &p->samples[i];
		const uint32_t *stk = pf_stack(p, s);
		int found_user = 0;
		long k;

		for (k = (long)s->nlocs - 1; k >= 0; k--) {
			uint32_t loc = stk[k];
			if (!prune[loc] && !beneath[loc]) {
				found_user = 1;
				continue;
			}
			if (!found_user)
				continue;
			if (prune[loc]) {
				s->loc_start += (uint32_t)k + 1;
				s->nlocs -= (uint32_t)k + 1;
				break;
			}
			s->loc_start += (uint32_t)k;
			s->nlocs -= (uint32_t)k;
			break;
		}
	}
	free(name);
	free(prune);
	free(beneath);
	rx_free(drop);
	rx_free(keep);
	return 0;
}
