/* rx: Go-syntax regular expressions, matched by a Thompson NFA
 * simulation (see rx.h).  Parse to a small tree, compile the tree to a
 * program of CLASS / ANY / SPLIT / JMP / ASSERT / MATCH instructions,
 * run the program over the text once, with the set of live program
 * positions kept in a sparse set: O(text length * program size) time,
 * O(program size) space, whatever the pattern. */
#include "rx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "prune.h"
#include "xalloc.h"

/* Go refuses a repeat count past 1000 and nesting deeper than 1000; the
 * program cap keeps text length * program size, the matching cost, in
 * check for patterns that come from files (drop_frames, rules). */
#define RX_MAX_REPEAT 1000
#define RX_MAX_DEPTH 1000
#define RX_MAX_INST 20000

enum { F_FOLD = 1, F_DOTNL = 2, F_MULTI = 4, F_UNGREEDY = 8 };

enum { N_EMPTY, N_CLASS, N_ANY, N_ANYNL, N_CAT, N_ALT, N_REP, N_ASSERT };
enum { A_BOT, A_EOT, A_BOL, A_EOL, A_WORD, A_NOTWORD };

struct range {
	uint32_t lo, hi;
};

struct node {
	int op;
	int kid, next;   /* first child and next sibling (CAT, ALT, REP), -1 none */
	int min, max;    /* REP; max -1: no limit */
	int kind;        /* ASSERT */
	size_t r0, nr;   /* CLASS: ranges in the parser's pool */
};

struct parser {
	const char *pat, *p;
	unsigned flags;
	int depth;
	struct node *n;
	size_t nn, ncap;
	struct range *r;
	size_t nrange, rcap;
};

enum { I_CLASS, I_ANY, I_ANYNL, I_SPLIT, I_JMP, I_ASSERT, I_MATCH };

struct inst {
	int op;
	uint32_t x, y; /* SPLIT/JMP targets; CLASS: first range, count; ASSERT: kind */
};

struct rx {
	struct inst *prog;
	size_t nprog, pcap;
	struct range *ranges;
	bool anchored;
	char *literal; /* a plain literal pattern: strstr / strcmp */
	/* scratch for rx_match: two sparse sets and a stack */
	uint32_t *dense[2], *sparse[2], *stack;
	size_t ndense[2];
};

/* ---- UTF-8 ---- */

/* Decode the rune at s (n bytes left, n >= 1): U+FFFD with width 1 for
 * an invalid sequence, as Go does. */
static uint32_t decode(const unsigned char *s, size_t n, int *w)
{
	uint32_t c = s[0];

	*w = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xC2 && c <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
		*w = 2;
		return (c & 0x1F) << 6 | (s[1] & 0x3F);
	}
	if (c >= 0xE0 && c <= 0xEF && n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		uint32_t r = (c & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		if (r >= 0x800 && (r < 0xD800 || r > 0xDFFF)) {
			*w = 3;
			return r;
		}
	}
	if (c >= 0xF0 && c <= 0xF4 && n >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
	    (s[3] & 0xC0) == 0x80) {
		uint32_t r = (c & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 | (uint32_t)(s[2] & 0x3F) << 6 |
			     (s[3] & 0x3F);
		if (r >= 0x10000 && r <= 0x10FFFF) {
			*w = 4;
			return r;
		}
	}
	return 0xFFFD;
}

static size_t encode(uint32_t r, char *out)
{
	if (r < 0x80) {
		out[0] = (char)r;
		return 1;
	}
	if (r < 0x800) {
		out[0] = (char)(0xC0 | r >> 6);
		out[1] = (char)(0x80 | (r & 0x3F));
		return 2;
	}
	if (r < 0x10000) {
		out[0] = (char)(0xE0 | r >> 12);
		out[1] = (char)(0x80 | (r >> 6 & 0x3F));
		out[2] = (char)(0x80 | (r & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | r >> 18);
	out[1] = (char)(0x80 | (r >> 12 & 0x3F));
	out[2] = (char)(0x80 | (r >> 6 & 0x3F));
	out[3] = (char)(0x80 | (r & 0x3F));
	return 4;
}

/* ---- parser ---- */

static int fail(struct parser *ps, const char *what, const char *from, size_t len)
{
	if (from)
		err_set("%s: `%.*s`", what, (int)len, from);
	else
		err_set("%s", what);
	(void)ps;
	return -1;
}

static int new_node(struct parser *ps, int op)
{
	struct node *n;

	xgrow(&ps->n, &ps->ncap, ps->nn + 1, sizeof(*ps->n));
	n = &ps->n[ps->nn];
	memset(n, 0, sizeof(*n));
	n->op = op;
	n->kid = n->next = -1;
	return (int)ps->nn++;
}

static void add_kid(struct parser *ps, int parent, int *last, int kid)
{
	if (*last < 0)
		ps->n[parent].kid = kid;
	else
		ps->n[*last].next = kid;
	*last = kid;
}

static void add_range(struct parser *ps, uint32_t lo, uint32_t hi)
{
	xgrow(&ps->r, &ps->rcap, ps->nrange + 1, sizeof(*ps->r));
	ps->r[ps->nrange].lo = lo;
	ps->r[ps->nrange].hi = hi;
	ps->nrange++;
}

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Turn ranges r0.. of the pool into a class node: case-folded (ASCII)
 * when asked, sorted, merged, complemented when neg. */
static int finish_class(struct parser *ps, size_t r0, bool neg, bool fold)
{
	size_t i, n, k;
	int id;

	if (fold) {
		n = ps->nrange;
		for (i = r0; i < n; i++) {
			uint32_t lo = ps->r[i].lo, hi = ps->r[i].hi;
			uint32_t a = lo > 'a' ? lo : 'a', b = hi < 'z' ? hi : 'z';
			if (a <= b)
				add_range(ps, a - 32, b - 32);
			a = lo > 'A' ? lo : 'A';
			b = hi < 'Z' ? hi : 'Z';
			if (a <= b)
				add_range(ps, a + 32, b + 32);
		}
	}
	n = ps->nrange - r0;
	qsort(ps->r + r0, n, sizeof(*ps->r), cmp_range);
	for (i = 1, k = 0; i < n; i++) { /* merge overlapping or adjacent */
		struct range *cur = &ps->r[r0 + k], *x = &ps->r[r0 + i];
		if (x->lo <= cur->hi + 1) {
			if (x->hi > cur->hi)
				cur->hi = x->hi;
		} else {
			ps->r[r0 + ++k] = *x;
		}
	}
	if (n)
		n = k + 1;
	ps->nrange = r0 + n;
	if (neg) {
		struct range *old = xmalloc((n ? n : 1) * sizeof(*old));
		uint32_t next = 0;

		memcpy(old, ps->r + r0, n * sizeof(*old));
		ps->nrange = r0;
		for (i = 0; i < n; i++) {
			if (old[i].lo > next)
				add_range(ps, next, old[i].lo - 1);
			next = old[i].hi + 1;
		}
		if (next <= 0x10FFFF)
			add_range(ps, next, 0x10FFFF);
		free(old);
		n = ps->nrange - r0;
	}
	id = new_node(ps, N_CLASS);
	ps->n[id].r0 = r0;
	ps->n[id].nr = n;
	return id;
}

/* \d \s \w and their negations, as ranges added to the pool (negated
 * ones complemented here, so they can sit inside a bracket). */
static bool perl_class(struct parser *ps, char c)
{
	static const struct range d[] = { { '0', '9' } };
	static const struct range s[] = { { '\t', '\n' }, { '\f', '\r' }, { ' ', ' ' } };
	static const struct range w[] = { { '0', '9' }, { 'A', 'Z' }, { '_', '_' }, { 'a', 'z' } };
	const struct range *t;
	size_t n, i;
	uint32_t next = 0;

	switch (c) {
	case 'd': case 'D': t = d; n = 1; break;
	case 's': case 'S': t = s; n = 3; break;
	case 'w': case 'W': t = w; n = 4; break;
	default: return false;
	}
	if (c >= 'a') {
		for (i = 0; i < n; i++)
			add_range(ps, t[i].lo, t[i].hi);
		return true;
	}
	for (i = 0; i < n; i++) {
		if (t[i].lo > next)
			add_range(ps, next, t[i].lo - 1);
		next = t[i].hi + 1;
	}
	add_range(ps, next, 0x10FFFF);
	return true;
}

/* [:name:] and [:^name:] inside a bracket; *p at the first '['.
 * Returns 1 when one was read, 0 when this is not one, -1 on error. */
static int posix_class(struct parser *ps)
{
	static const struct {
		const char *name;
		const char *ranges; /* pairs of lo, hi */
	} tab[] = {
		{ "alnum", "09AZaz" }, { "alpha", "AZaz" }, { "ascii", "\x01\x7f" }, { "blank", "\t\t  " },
		{ "cntrl", "\x01\x1f\x7f\x7f" }, { "digit", "09" }, { "graph", "!~" }, { "lower", "az" },
		{ "print", " ~" }, { "punct", "!/:@[`{~" }, { "space", "\t\r  " }, { "upper", "AZ" },
		{ "word", "09AZ__az" }, { "xdigit", "09AFaf" },
	};
	const char *p = ps->p + 2, *end = strstr(p, ":]");
	bool neg = false;
	size_t i, len;

	if (!end)
		return 0;
	if (*p == '^') {
		neg = true;
		p++;
	}
	len = (size_t)(end - p);
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (strlen(tab[i].name) == len && memcmp(tab[i].name, p, len) == 0) {
			const char *r = tab[i].ranges;
			size_t k, n = strlen(r);
			uint32_t next = 0;

			for (k = 0; k + 1 < n; k += 2) {
				uint32_t lo = (unsigned char)r[k], hi = (unsigned char)r[k + 1];
				if (lo == 1) /* ascii and cntrl start at NUL */
					lo = 0;
				if (!neg) {
					add_range(ps, lo, hi);
				} else {
					if (lo > next)
						add_range(ps, next, lo - 1);
					next = hi + 1;
				}
			}
			if (neg)
				add_range(ps, next, 0x10FFFF);
			ps->p = end + 2;
			return 1;
		}
	}
	return fail(ps, "invalid character class range", ps->p, (size_t)(end + 2 - ps->p));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A one-rune escape at ps->p (just past the backslash) into *r;
 * -1 with err_set() on what Go refuses. */
static int escape(struct parser *ps, uint32_t *r)
{
	const char *start = ps->p - 1, *p = ps->p;
	char c = *p++;

	switch (c) {
	case 'a': *r = 7; break;
	case 'f': *r = 12; break;
	case 't': *r = 9; break;
	case 'n': *r = 10; break;
	case 'r': *r = 13; break;
	case 'v': *r = 11; break;
	case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		if (*p < '0' || *p > '7')
			return err_set("invalid escape sequence `%.2s`: backreferences are not supported, as in Go", start);
		/* fall through */
	case '0': {
		uint32_t v = (uint32_t)(c - '0');
		int k;
		for (k = 1; k < 3 && *p >= '0' && *p <= '7'; k++)
			v = v * 8 + (uint32_t)(*p++ - '0');
		*r = v;
		break;
	}
	case 'x':
		if (*p == '{') {
			uint32_t v = 0;
			int k = 0;
			for (p++; hexval(*p) >= 0; p++, k++) {
				v = v * 16 + (uint32_t)hexval(*p);
				if (v > 0x10FFFF)
					break;
			}
			if (*p != '}' || k == 0 || v > 0x10FFFF)
				return fail(ps, "invalid escape sequence", start, (size_t)(p - start + (*p != 0)));
			p++;
			*r = v;
		} else {
			if (hexval(p[0]) < 0 || hexval(p[1]) < 0)
				return fail(ps, "invalid escape sequence", start, (size_t)(p - start) + (p[0] != 0) + (p[0] && p[1]));
			*r = (uint32_t)(hexval(p[0]) * 16 + hexval(p[1]));
			p += 2;
		}
		break;
	case 0:
		return fail(ps, "trailing backslash at end of expression", NULL, 0);
	default:
		if ((unsigned char)c < 0x80 && !(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z') &&
		    !(c >= 'A' && c <= 'Z')) {
			*r = (unsigned char)c;
			break;
		}
		{
			int w;
			decode((const unsigned char *)p - 1, strlen(p - 1), &w);
			return fail(ps, "invalid escape sequence", start, (size_t)w + 1);
		}
	}
	ps->p = p;
	return 0;
}

/* A rune of the pattern at ps->p (not an escape); Go refuses invalid
 * UTF-8 in patterns. */
static int pattern_rune(struct parser *ps, uint32_t *r)
{
	int w;
	*r = decode((const unsigned char *)ps->p, strlen(ps->p), &w);
	if (*r == 0xFFFD && (unsigned char)ps->p[0] != 0xEF)
		return fail(ps, "invalid UTF-8", NULL, 0);
	ps->p += w;
	return 0;
}

static int parse_class(struct parser *ps)
{
	const char *start = ps->p;
	size_t r0 = ps->nrange;
	bool neg = false, first = true;

	ps->p++;
	if (*ps->p == '^') {
		neg = true;
		ps->p++;
	}
	while (first || *ps->p != ']') {
		uint32_t lo, hi;

		first = false;
		if (!*ps->p)
			return fail(ps, "missing closing ]", start, strlen(start));
		if (ps->p[0] == '[' && ps->p[1] == ':') {
			int k = posix_class(ps);
			if (k < 0)
				return -1;
			if (k > 0)
				continue;
		}
		if (*ps->p == '\\') {
			ps->p++;
			if (perl_class(ps, *ps->p)) {
				ps->p++;
				continue;
			}
			if (*ps->p == 'p' || *ps->p == 'P')
				return fail(ps, "Unicode classes are not supported", ps->p - 1, 2);
			if (escape(ps, &lo) < 0)
				return -1;
		} else if (pattern_rune(ps, &lo) < 0) {
			return -1;
		}
		hi = lo;
		if (ps->p[0] == '-' && ps->p[1] && ps->p[1] != ']') {
			const char *rs = ps->p;
			ps->p++;
			if (*ps->p == '\\') {
				ps->p++;
				if (escape(ps, &hi) < 0)
					return -1;
			} else if (pattern_rune(ps, &hi) < 0) {
				return -1;
			}
			if (hi < lo)
				return fail(ps, "invalid character class range", rs - 1, (size_t)(ps->p - rs + 1));
		}
		add_range(ps, lo, hi);
	}
	ps->p++;
	return finish_class(ps, r0, neg, ps->flags & F_FOLD);
}

static int literal(struct parser *ps, uint32_t r)
{
	size_t r0 = ps->nrange;
	add_range(ps, r, r);
	return finish_class(ps, r0, false, ps->flags & F_FOLD);
}

static int parse_alt(struct parser *ps);

/* Flags (?imsU-imsU) or (?imsU-imsU:...) at ps->p ("(?" read).
 * Returns 1 for a flag setting (no atom), 0 with *scoped set for a
 * group with flags, -1 on error. */
static int parse_flags(struct parser *ps, const char *start, unsigned *fl)
{
	bool neg = false, any = false;
	unsigned f = ps->flags;

	for (;;) {
		char c = *ps->p++;
		unsigned bit = 0;

		switch (c) {
		case 'i': bit = F_FOLD; break;
		case 's': bit = F_DOTNL; break;
		case 'm': bit = F_MULTI; break;
		case 'U': bit = F_UNGREEDY; break;
		case '-':
			if (neg)
				goto bad;
			neg = true;
			any = false;
			continue;
		case ':':
		case ')':
			if (!any && (neg || c == ')'))
				goto bad;
			*fl = f;
			return c == ')';
		default:
			goto bad;
		}
		any = true;
		f = neg ? f & ~bit : f | bit;
	}
bad:
	return fail(ps, "invalid or unsupported Perl syntax", start, (size_t)(ps->p - start));
}

/* One atom; -2 for a flag setting that makes none. */
static int parse_atom(struct parser *ps)
{
	const char *start = ps->p;
	uint32_t r;
	int id;

	switch (*ps->p) {
	case '(': {
		unsigned saved = ps->flags, inner = ps->flags;

		ps->p++;
		if (*ps->p == '?') {
			ps->p++;
			if (*ps->p == 'P' || *ps->p == '<') {
				const char *name;
				if (*ps->p == 'P')
					ps->p++;
				if (*ps->p != '<')
					return fail(ps, "invalid or unsupported Perl syntax", start, (size_t)(ps->p - start + 1));
				name = ++ps->p;
				while ((*ps->p >= '0' && *ps->p <= '9') || (*ps->p >= 'a' && *ps->p <= 'z') ||
				       (*ps->p >= 'A' && *ps->p <= 'Z') || *ps->p == '_')
					ps->p++;
				if (*ps->p != '>' || ps->p == name)
					return fail(ps, "invalid named capture", start, (size_t)(ps->p - start + (*ps->p != 0)));
				ps->p++;
			} else {
				int k = parse_flags(ps, start, &inner);
				if (k < 0)
					return -1;
				if (k == 1) {
					ps->flags = inner; /* for the rest of the group */
					return -2;
				}
			}
		}
		if (++ps->depth > RX_MAX_DEPTH)
			return fail(ps, "expression nests too deeply", NULL, 0);
		ps->flags = inner;
		id = parse_alt(ps);
		if (id < 0)
			return -1;
		if (*ps->p != ')')
			return fail(ps, "missing closing )", ps->pat, strlen(ps->pat));
		ps->p++;
		ps->depth--;
		ps->flags = saved;
		return id;
	}
	case '[':
		return parse_class(ps);
	case '.':
		ps->p++;
		return new_node(ps, ps->flags & F_DOTNL ? N_ANYNL : N_ANY);
	case '^':
	case '$':
		ps->p++;
		id = new_node(ps, N_ASSERT);
		ps->n[id].kind = *start == '^' ? (ps->flags & F_MULTI ? A_BOL : A_BOT)
					       : (ps->flags & F_MULTI ? A_EOL : A_EOT);
		return id;
	case '\\':
		ps->p++;
		switch (*ps->p) {
		case 'A': case 'z': case 'b': case 'B':
			id = new_node(ps, N_ASSERT);
			ps->n[id].kind = *ps->p == 'A' ? A_BOT : *ps->p == 'z' ? A_EOT : *ps->p == 'b' ? A_WORD : A_NOTWORD;
			ps->p++;
			return id;
		case 'd': case 'D': case 's': case 'S': case 'w': case 'W': {
			size_t r0 = ps->nrange;
			perl_class(ps, *ps->p++);
			return finish_class(ps, r0, false, false);
		}
		case 'p': case 'P':
			return fail(ps, "Unicode classes are not supported", start, 2);
		case 'Q': {
			int cat = new_node(ps, N_CAT), last = -1;
			const char *end;

			ps->p++;
			end = strstr(ps->p, "\\E");
			if (!end)
				end = ps->p + strlen(ps->p);
			while (ps->p < end) {
				if (pattern_rune(ps, &r) < 0)
					return -1;
				add_kid(ps, cat, &last, literal(ps, r));
			}
			if (*ps->p)
				ps->p += 2;
			return cat;
		}
		default:
			if (escape(ps, &r) < 0)
				return -1;
			return literal(ps, r);
		}
	default:
		if (pattern_rune(ps, &r) < 0)
			return -1;
		return literal(ps, r);
	}
}

/* A repeat operator at ps->p: 1 with *min, *max when there is one
 * ({ not starting a valid count is a literal, as in Go), 0 when not,
 * -1 on a count past 1000. */
static int parse_repeat(struct parser *ps, int *min, int *max)
{
	const char *p = ps->p;
	long a = 0, b;
	int nd = 0;

	switch (*p) {
	case '*': *min = 0; *max = -1; ps->p++; return 1;
	case '+': *min = 1; *max = -1; ps->p++; return 1;
	case '?': *min = 0; *max = 1; ps->p++; return 1;
	case '{': break;
	default: return 0;
	}
	for (p++; *p >= '0' && *p <= '9'; p++, nd++)
		a = a < 100000 ? a * 10 + (*p - '0') : a;
	if (!nd)
		return 0;
	b = a;
	if (*p == ',') {
		p++;
		if (*p == '}') {
			b = -1;
		} else {
			nd = 0;
			for (b = 0; *p >= '0' && *p <= '9'; p++, nd++)
				b = b < 100000 ? b * 10 + (*p - '0') : b;
			if (!nd)
				return 0;
		}
	}
	if (*p != '}')
		return 0;
	p++;
	if (a > RX_MAX_REPEAT || b > RX_MAX_REPEAT || (b >= 0 && b < a))
		return fail(ps, "invalid repeat count", ps->p, (size_t)(p - ps->p));
	*min = (int)a;
	*max = (int)b;
	ps->p = p;
	return 1;
}

static int parse_concat(struct parser *ps)
{
	int cat = new_node(ps, N_CAT), last = -1;

	while (*ps->p && *ps->p != '|' && *ps->p != ')') {
		const char *start = ps->p;
		int atom, min, max, k, nrep = 0;

		/* a repeat with nothing to repeat */
		k = parse_repeat(ps, &min, &max);
		if (k < 0)
			return -1;
		if (k > 0)
			return fail(ps, "missing argument to repetition operator", start, (size_t)(ps->p - start));
		atom = parse_atom(ps);
		if (atom == -2)
			continue;
		if (atom < 0)
			return -1;
		for (;;) {
			int rep;

			k = parse_repeat(ps, &min, &max);
			if (k < 0)
				return -1;
			if (k == 0)
				break;
			if (*ps->p == '?') /* non-greedy: the same set of matches */
				ps->p++;
			if (nrep++)
				return fail(ps, "invalid nested repetition operator", start, (size_t)(ps->p - start));
			rep = new_node(ps, N_REP);
			ps->n[rep].min = min;
			ps->n[rep].max = max;
			ps->n[rep].kid = atom;
			atom = rep;
		}
		add_kid(ps, cat, &last, atom);
	}
	return cat;
}

static int parse_alt(struct parser *ps)
{
	int alt = new_node(ps, N_ALT), last = -1, n = 0;

	for (;;) {
		int c = parse_concat(ps);
		if (c < 0)
			return -1;
		add_kid(ps, alt, &last, c);
		n++;
		if (*ps->p != '|')
			break;
		ps->p++;
	}
	return n == 1 ? ps->n[alt].kid : alt;
}

/* ---- compiler ---- */

static int emit(struct rx *re, int op, uint32_t x, uint32_t y)
{
	if (re->nprog >= RX_MAX_INST)
		return err_set("the expression is too large (over %d instructions)", RX_MAX_INST);
	xgrow(&re->prog, &re->pcap, re->nprog + 1, sizeof(*re->prog));
	re->prog[re->nprog].op = op;
	re->prog[re->nprog].x = x;
	re->prog[re->nprog].y = y;
	return (int)re->nprog++;
}

static int compile(struct rx *re, const struct parser *ps, int id)
{
	const struct node *n = &ps->n[id];
	int k, i, pc;

	switch (n->op) {
	case N_EMPTY:
		return 0;
	case N_CLASS:
		return emit(re, I_CLASS, (uint32_t)n->r0, (uint32_t)n->nr) < 0 ? -1 : 0;
	case N_ANY:
		return emit(re, I_ANY, 0, 0) < 0 ? -1 : 0;
	case N_ANYNL:
		return emit(re, I_ANYNL, 0, 0) < 0 ? -1 : 0;
	case N_ASSERT:
		return emit(re, I_ASSERT, (uint32_t)n->kind, 0) < 0 ? -1 : 0;
	case N_CAT:
		for (k = n->kid; k >= 0; k = ps->n[k].next)
			if (compile(re, ps, k) < 0)
				return -1;
		return 0;
	case N_ALT: {
		/* SPLIT L1, next; L1: a; JMP end; next: SPLIT L2, next2; ... */
		int chain = -1; /* the JMPs to patch, linked through .x */

		for (k = n->kid; k >= 0; k = ps->n[k].next) {
			int split = -1;
			if (ps->n[k].next >= 0 && (split = emit(re, I_SPLIT, 0, 0)) < 0)
				return -1;
			if (split >= 0)
				re->prog[split].x = (uint32_t)re->nprog;
			if (compile(re, ps, k) < 0)
				return -1;
			if (ps->n[k].next >= 0) {
				int j = emit(re, I_JMP, (uint32_t)chain, 0);
				if (j < 0)
					return -1;
				chain = j;
				re->prog[split].y = (uint32_t)re->nprog;
			}
		}
		while (chain >= 0) {
			int prev = (int)re->prog[chain].x;
			re->prog[chain].x = (uint32_t)re->nprog;
			chain = prev;
		}
		return 0;
	}
	case N_REP:
		if (n->max < 0) {
			for (i = 0; i < n->min - 1; i++)
				if (compile(re, ps, n->kid) < 0)
					return -1;
			if (n->min >= 1) { /* L: e; SPLIT L, next */
				pc = (int)re->nprog;
				if (compile(re, ps, n->kid) < 0)
					return -1;
				return emit(re, I_SPLIT, (uint32_t)pc, (uint32_t)re->nprog + 1) < 0 ? -1 : 0;
			}
			/* L: SPLIT L1, end; L1: e; JMP L; end: */
			pc = emit(re, I_SPLIT, 0, 0);
			if (pc < 0)
				return -1;
			re->prog[pc].x = (uint32_t)pc + 1;
			if (compile(re, ps, n->kid) < 0 || emit(re, I_JMP, (uint32_t)pc, 0) < 0)
				return -1;
			re->prog[pc].y = (uint32_t)re->nprog;
			return 0;
		}
		for (i = 0; i < n->min; i++)
			if (compile(re, ps, n->kid) < 0)
				return -1;
		/* e{0,k} as k times e?: the same strings */
		for (i = n->min; i < n->max; i++) {
			pc = emit(re, I_SPLIT, 0, 0);
			if (pc < 0)
				return -1;
			re->prog[pc].x = (uint32_t)pc + 1;
			if (compile(re, ps, n->kid) < 0)
				return -1;
			re->prog[pc].y = (uint32_t)re->nprog;
		}
		return 0;
	}
	return 0;
}

/* A pattern that is a plain string (no fold, no class, no operator):
 * matched with strstr / strcmp. */
static char *plain_literal(const struct parser *ps, int root)
{
	const struct node *n = &ps->n[root];
	size_t cap = 1, len = 0;
	char *s;
	int k;

	if (n->op == N_CLASS) {
		k = root;
		goto one;
	}
	if (n->op != N_CAT)
		return NULL;
	for (k = n->kid; k >= 0; k = ps->n[k].next) {
		const struct node *c = &ps->n[k];
		if (c->op != N_CLASS || c->nr != 1 || ps->r[c->r0].lo != ps->r[c->r0].hi || ps->r[c->r0].lo == 0)
			return NULL;
		cap += 4;
	}
	s = xmalloc(cap);
	for (k = n->kid; k >= 0; k = ps->n[k].next)
		len += encode(ps->r[ps->n[k].r0].lo, s + len);
	s[len] = 0;
	return s;
one:
	if (n->nr != 1 || ps->r[n->r0].lo != ps->r[n->r0].hi || ps->r[n->r0].lo == 0)
		return NULL;
	s = xmalloc(5);
	s[encode(ps->r[n->r0].lo, s)] = 0;
	(void)k;
	return s;
}

struct rx *rx_compile(const char *pattern, unsigned flags)
{
	struct parser ps;
	struct rx *re = xcalloc(1, sizeof(*re));
	int root;

	memset(&ps, 0, sizeof(ps));
	ps.pat = ps.p = pattern;
	root = parse_alt(&ps);
	if (root < 0)
		goto fail;
	if (*ps.p == ')') {
		fail(&ps, "unexpected )", pattern, strlen(pattern));
		goto fail;
	}
	/* the repeat rules drip already applied to POSIX patterns (a count
	 * times the counts nested in it up to 1000, 100,000 copies) */
	if (prune_regex_ok(pattern) < 0)
		goto fail;
	re->anchored = flags & RX_ANCHORED;
	re->literal = plain_literal(&ps, root);
	if (!re->literal) {
		if (compile(re, &ps, root) < 0 || emit(re, I_MATCH, 0, 0) < 0)
			goto fail;
		if (re->anchored) { /* ^(?:re)$: the end of the text must follow */
			re->prog[re->nprog - 1].op = I_ASSERT;
			re->prog[re->nprog - 1].x = A_EOT;
			if (emit(re, I_MATCH, 0, 0) < 0)
				goto fail;
		}
	}
	re->ranges = ps.r;
	ps.r = NULL;
	free(ps.n);
	{
		size_t m = re->nprog ? re->nprog : 1;
		re->dense[0] = xmalloc(m * sizeof(uint32_t));
		re->dense[1] = xmalloc(m * sizeof(uint32_t));
		/* zeroed, though a sparse set needs no clearing: so that
		 * valgrind sees no read of uninitialised memory */
		re->sparse[0] = xcalloc(m, sizeof(uint32_t));
		re->sparse[1] = xcalloc(m, sizeof(uint32_t));
		re->stack = xmalloc((m * 2 + 1) * sizeof(uint32_t));
	}
	return re;
fail:
	free(ps.n);
	free(ps.r);
	rx_free(re);
	return NULL;
}

void rx_free(struct rx *re)
{
	if (!re)
		return;
	free(re->prog);
	free(re->ranges);
	free(re->literal);
	free(re->dense[0]);
	free(re->dense[1]);
	free(re->sparse[0]);
	free(re->sparse[1]);
	free(re->stack);
	free(re);
}

/* ---- matcher ---- */

static bool is_word(int32_t r)
{
	return (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_';
}

static bool assert_ok(uint32_t kind, int32_t prev, int32_t next)
{
	switch (kind) {
	case A_BOT: return prev < 0;
	case A_EOT: return next < 0;
	case A_BOL: return prev < 0 || prev == '\n';
	case A_EOL: return next < 0 || next == '\n';
	case A_WORD: return is_word(prev) != is_word(next);
	case A_NOTWORD: return is_word(prev) == is_word(next);
	}
	return false;
}

static bool in_class(const struct range *r, uint32_t n, uint32_t c)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (c < r[mid].lo)
			hi = mid;
		else if (c > r[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/* Add pc and what it reaches without reading (JMP, SPLIT, a true
 * ASSERT) to set k; true when MATCH is reached. */
static bool add(const struct rx *re, int k, uint32_t pc, int32_t prev, int32_t next)
{
	uint32_t *dense = re->dense[k], *sparse = re->sparse[k], *stack = re->stack;
	size_t sp = 0, *nd = (size_t *)&re->ndense[k];

	stack[sp++] = pc;
	while (sp > 0) {
		const struct inst *in;

		pc = stack[--sp];
		if (sparse[pc] < *nd && dense[sparse[pc]] == pc)
			continue;
		sparse[pc] = (uint32_t)*nd;
		dense[(*nd)++] = pc;
		in = &re->prog[pc];
		switch (in->op) {
		case I_MATCH:
			return true;
		case I_JMP:
			stack[sp++] = in->x;
			break;
		case I_SPLIT:
			stack[sp++] = in->y;
			stack[sp++] = in->x;
			break;
		case I_ASSERT:
			if (assert_ok(in->x, prev, next))
				stack[sp++] = pc + 1;
			break;
		}
	}
	return false;
}

bool rx_match(const struct rx *re, const char *s)
{
	struct rx *m = (struct rx *)re; /* scratch only */
	const unsigned char *t = (const unsigned char *)s;
	size_t len = strlen(s), pos = 0;
	int32_t prev = -1, next;
	int cur = 0, w = 0;

	if (re->literal)
		return re->anchored ? strcmp(s, re->literal) == 0 : strstr(s, re->literal) != NULL;
	m->ndense[0] = m->ndense[1] = 0;
	next = len ? (int32_t)decode(t, len, &w) : -1;
	for (;;) {
		size_t i;
		int32_t r = next;
		int rw = w;

		if ((!re->anchored || pos == 0) && add(re, cur, 0, prev, next))
			return true;
		if (pos >= len || m->ndense[cur] == 0) {
			if (pos >= len || re->anchored)
				return false;
		}
		pos += (size_t)rw;
		next = pos < len ? (int32_t)decode(t + pos, len - pos, &w) : -1;
		m->ndense[!cur] = 0;
		for (i = 0; i < m->ndense[cur]; i++) {
			uint32_t pc = m->dense[cur][i];
			const struct inst *in = &re->prog[pc];
			bool ok;

			switch (in->op) {
			case I_CLASS: ok = in_class(re->ranges + in->x, in->y, (uint32_t)r); break;
			case I_ANY: ok = r != '\n'; break;
			case I_ANYNL: ok = true; break;
			default: ok = false; break;
			}
			if (ok && add(re, !cur, pc + 1, r, next))
				return true;
		}
		prev = r;
		cur = !cur;
	}
}
