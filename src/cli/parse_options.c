/* parse_options: see parse_options.h. */
#include "parse_options.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* The column where the help of an option starts. */
#define HELP_COL 29
/* git's help.c: suggest names scoring under this. */
#define SIMILARITY_FLOOR 7

struct parser {
	const char *cmd;
	const struct popt *opts;
	const struct popt_usage *u;
	const struct popt *known;
	int argc;
	char **argv;
	char **optw; /* the option words, in order */
	int nopt;
};

static bool is_option(const struct popt *o)
{
	return o->type != POPT_TYPE_GROUP;
}

/* Whether the n bytes at a name b, '_' matching '-'. */
static bool name_eq(const char *a, size_t n, const char *b)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char x = a[i] == '_' ? '-' : a[i];
		if (!b[i] || x != b[i])
			return false;
	}
	return b[i] == 0;
}

static bool name_prefix(const char *a, size_t n, const char *b)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char x = a[i] == '_' ? '-' : a[i];
		if (!b[i] || x != b[i])
			return false;
	}
	return true;
}

static const struct popt *find_exact(const struct popt *opts, const char *name, size_t n)
{
	if (!opts)
		return NULL;
	for (; opts->type != POPT_TYPE_END; opts++)
		if (is_option(opts) && opts->long_name && name_eq(name, n, opts->long_name))
			return opts;
	return NULL;
}

static const struct popt *find_short(const struct popt *opts, int c)
{
	if (!opts)
		return NULL;
	for (; opts->type != POPT_TYPE_END; opts++)
		if (is_option(opts) && opts->short_name && opts->short_name == c)
			return opts;
	return NULL;
}

/* git's levenshtein() (levenshtein.c): w swaps, s substitutions, a
 * insertions, d deletions turning s1 into s2. */
static int levenshtein(const char *s1, const char *s2, int w, int s, int a, int d)
{
	size_t len1 = strlen(s1), len2 = strlen(s2), i, j;
	int *row0 = xcalloc(len2 + 1, sizeof(int));
	int *row1 = xcalloc(len2 + 1, sizeof(int));
	int *row2 = xcalloc(len2 + 1, sizeof(int));
	int r;

	for (j = 0; j <= len2; j++)
		row1[j] = (int)j * a;
	for (i = 0; i < len1; i++) {
		int *t;

		row2[0] = (int)(i + 1) * d;
		for (j = 0; j < len2; j++) {
			row2[j + 1] = row1[j] + s * (s1[i] != s2[j]);
			if (i > 0 && j > 0 && s1[i - 1] == s2[j] && s1[i] == s2[j - 1] && row2[j + 1] > row0[j - 1] + w)
				row2[j + 1] = row0[j - 1] + w;
			if (row2[j + 1] > row1[j + 1] + d)
				row2[j + 1] = row1[j + 1] + d;
			if (row2[j + 1] > row2[j] + a)
				row2[j + 1] = row2[j] + a;
		}
		t = row0;
		row0 = row1;
		row1 = row2;
		row2 = t;
	}
	r = row1[len2];
	free(row0);
	free(row1);
	free(row2);
	return r;
}

size_t popt_similar(const char *word, const char *const *cands, size_t n, size_t *out, size_t max)
{
	int *score = xcalloc(n ? n : 1, sizeof(int)), best = SIMILARITY_FLOOR;
	size_t i, k = 0;

	/* As git's help.c: a candidate that starts with what was typed is
	 * as close as can be; otherwise weighted edits (a swap free, a
	 * substitution 2, an insertion 1, a deletion 3). */
	for (i = 0; i < n; i++) {
		score[i] = strncmp(cands[i], word, strlen(word)) == 0 && *word ? 0 : levenshtein(word, cands[i], 0, 2, 1, 3) + 1;
		if (score[i] < best)
			best = score[i];
	}
	for (i = 0; i < n && k < max; i++)
		if (score[i] == best)
			out[k++] = i;
	free(score);
	return k;
}

static void try_help(const char *cmd)
{
	fprintf(stderr, "Try 'drip %s --help'.\n", cmd);
}

/* "Did you mean ...?" for a mistyped long name (name[0..n), without its
 * dashes) among the command's own options. */
static void suggest(const struct parser *p, const char *name, size_t n)
{
	const struct popt *o;
	const char **cands;
	char *word = xmalloc(n + 1);
	size_t nc = 0, idx[4], k, i;

	for (i = 0; i < n; i++)
		word[i] = name[i] == '_' ? '-' : name[i];
	word[n] = 0;
	for (o = p->opts; o->type != POPT_TYPE_END; o++)
		nc++;
	cands = xcalloc(nc + 2, sizeof(*cands));
	nc = 0;
	for (o = p->opts; o->type != POPT_TYPE_END; o++)
		if (is_option(o) && o->long_name && !(o->flags & POPT_HIDDEN))
			cands[nc++] = o->long_name;
	cands[nc++] = "help";
	k = n > 1 ? popt_similar(word, cands, nc, idx, 4) : 0;
	if (k == 1)
		fprintf(stderr, "Did you mean '--%s'?\n", cands[idx[0]]);
	else if (k > 1) {
		fprintf(stderr, "Did you mean one of these?\n");
		for (i = 0; i < k; i++)
			fprintf(stderr, "\t--%s\n", cands[idx[i]]);
	}
	free(cands);
	free(word);
}

/* A separate word that is not taken as an option's value: it starts
 * with '-' and is neither "-" (stdin, stdout) nor a negative number. */
static bool looks_like_option(const char *s)
{
	if (s[0] != '-' || !s[1])
		return false;
	if (isdigit((unsigned char)s[1]) || (s[1] == '.' && isdigit((unsigned char)s[2])))
		return false;
	return true;
}

static int apply(const struct parser *p, const struct popt *o, const char *arg)
{
	switch (o->type) {
	case POPT_TYPE_BOOL:
		*(bool *)o->value = o->defval != 0;
		return 0;
	case POPT_TYPE_COUNT:
		(*(int *)o->value)++;
		return 0;
	case POPT_TYPE_STRING:
		*(const char **)o->value = arg;
		return 0;
	case POPT_TYPE_CALLBACK:
		return o->cb(o, arg, p->cmd);
	default:
		return -1;
	}
}

/* The value of o from the next word; spelled is how the option was
 * written (for messages).  NULL after a usage error. */
static const char *next_value(struct parser *p, int *i, const struct popt *o, const char *spelled, int len)
{
	const char *next;

	if (*i + 1 >= p->argc) {
		fprintf(stderr, "drip %s: option '%.*s' needs a value\n", p->cmd, len, spelled);
		try_help(p->cmd);
		return NULL;
	}
	next = p->argv[*i + 1];
	if (looks_like_option(next)) {
		if (o->long_name)
			fprintf(stderr, "drip %s: option '%.*s' needs a value, not the option '%s' (to give a value that starts with '-', write --%s=VALUE)\n",
				p->cmd, len, spelled, next, o->long_name);
		else
			fprintf(stderr, "drip %s: option '%.*s' needs a value, not the option '%s' (to give a value that starts with '-', write -%cVALUE)\n",
				p->cmd, len, spelled, next, o->short_name);
		try_help(p->cmd);
		return NULL;
	}
	p->optw[p->nopt++] = p->argv[++*i];
	return next;
}

static int unknown_long(const struct parser *p, const char *dashes, const char *name, size_t n)
{
	if (find_exact(p->known, name, n)) {
		fprintf(stderr, "drip %s: option '%s%.*s' does not apply to drip %s\n", p->cmd, dashes, (int)n, name, p->cmd);
	} else {
		fprintf(stderr, "drip %s: unknown or incomplete option '%s%.*s'\n", p->cmd, dashes, (int)n, name);
		suggest(p, name, n);
	}
	try_help(p->cmd);
	return -1;
}

/* Options clustered after one dash (-v, -vo FILE, -oFILE, -o=FILE). */
static int short_cluster(struct parser *p, int *i)
{
	const char *a = p->argv[*i];
	size_t k;

	for (k = 1; a[k]; k++) {
		const struct popt *o = find_short(p->opts, a[k]);
		const char *val = NULL;
		char spelled[3] = { '-', a[k], 0 };

		if (!o && a[k] == 'h') {
			popt_print_help(p->opts, p->u, stdout);
			return -2;
		}
		if (!o) {
			if (find_short(p->known, a[k]))
				fprintf(stderr, "drip %s: option '-%c' does not apply to drip %s\n", p->cmd, a[k], p->cmd);
			else
				fprintf(stderr, "drip %s: unknown option '-%c'\n", p->cmd, a[k]);
			try_help(p->cmd);
			return -1;
		}
		if (!o->argh) {
			if (apply(p, o, NULL) < 0)
				return -1;
			continue;
		}
		/* the rest of the word is the value (Go's flag package writes
		 * -o=FILE, which is not a file named "=FILE") */
		val = a + k + 1;
		if (*val == '=')
			val++;
		if (!*val && !(val = next_value(p, i, o, spelled, 2)))
			return -1;
		return apply(p, o, val);
	}
	return 0;
}

/* One word starting with '-' (not "-" or "--") at argv[*i]. */
static int one_option(struct parser *p, int *i)
{
	const char *a = p->argv[*i];
	bool dbl = a[1] == '-';
	const char *name = a + (dbl ? 2 : 1), *val = NULL;
	size_t n = strcspn(name, "=");
	const struct popt *o, *q, *match = NULL;
	int nmatch = 0;

	if (!dbl && (n == 1 || !find_exact(p->opts, name, n))) {
		/* pprof's -name spelling takes whole names only; else this is
		 * a cluster of short options, as getopt reads it */
		if (n <= 1 || find_short(p->opts, name[0]))
			return short_cluster(p, i);
	}
	o = find_exact(p->opts, name, n);
	if (!o && name_eq(name, n, "help")) {
		popt_print_help(p->opts, p->u, stdout);
		return -2;
	}
	if (!o && dbl && n > 0) {
		/* a unique prefix, as getopt_long takes it */
		for (q = p->opts; q->type != POPT_TYPE_END; q++)
			if (is_option(q) && q->long_name && name_prefix(name, n, q->long_name)) {
				match = q;
				nmatch++;
			}
		if (nmatch == 0 && name_prefix(name, n, "help")) {
			popt_print_help(p->opts, p->u, stdout);
			return -2;
		}
		if (nmatch > 1) {
			fprintf(stderr, "drip %s: ambiguous option '--%.*s' (could be", p->cmd, (int)n, name);
			nmatch = 0;
			for (q = p->opts; q->type != POPT_TYPE_END; q++)
				if (is_option(q) && q->long_name && name_prefix(name, n, q->long_name))
					fprintf(stderr, "%s--%s", nmatch++ ? ", " : " ", q->long_name);
			fprintf(stderr, ")\n");
			try_help(p->cmd);
			return -1;
		}
		o = match;
	}
	if (!o)
		return unknown_long(p, dbl ? "--" : "-", name, n);
	if (name[n] == '=') {
		if (!o->argh) {
			fprintf(stderr, "drip %s: option '%.*s' takes no value\n", p->cmd, (int)(name - a + n), a);
			try_help(p->cmd);
			return -1;
		}
		val = name + n + 1;
	} else if (o->argh && !(val = next_value(p, i, o, a, (int)strlen(a)))) {
		return -1;
	}
	return apply(p, o, val);
}

int parse_options(int argc, char **argv, const struct popt *opts, const struct popt_usage *u,
		  const struct popt *known, int *dashdash)
{
	struct parser p;
	char **ops = xcalloc((size_t)argc + 1, sizeof(char *)), *dd_word = NULL;
	int nops = 0, dd = -1, i, k, rc = 0;

	p.cmd = argv[0];
	p.opts = opts;
	p.u = u;
	p.known = known;
	p.argc = argc;
	p.argv = argv;
	p.optw = xcalloc((size_t)argc + 1, sizeof(char *));
	p.nopt = 0;
	for (i = 1; i < argc; i++) {
		char *a = argv[i];
		if (dd_word || a[0] != '-' || !a[1]) {
			ops[nops++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			dd_word = a;
			dd = nops;
			continue;
		}
		p.optw[p.nopt++] = a;
		if ((rc = one_option(&p, &i)) < 0)
			goto done;
	}
	/* GNU getopt's order: options, "--", operands */
	k = 1;
	for (i = 0; i < p.nopt; i++)
		argv[k++] = p.optw[i];
	if (dd_word)
		argv[k++] = dd_word;
	rc = k;
	for (i = 0; i < nops; i++)
		argv[k++] = ops[i];
	if (dashdash)
		*dashdash = dd_word ? rc + dd : -1;
done:
	free(ops);
	free(p.optw);
	return rc;
}

/* The left column of an option's help line: "  -o, --output=FILE". */
static size_t option_left(const struct popt *o, char *out, size_t n)
{
	int len;

	if (o->short_name && o->long_name)
		len = snprintf(out, n, "  -%c, --%s%s%s", o->short_name, o->long_name, o->argh ? "=" : "",
			       o->argh ? o->argh : "");
	else if (o->short_name)
		len = snprintf(out, n, "  -%c%s%s", o->short_name, o->argh ? " " : "", o->argh ? o->argh : "");
	else
		len = snprintf(out, n, "      --%s%s%s", o->long_name, o->argh ? "=" : "", o->argh ? o->argh : "");
	return len < 0 ? 0 : (size_t)len;
}

void popt_print_help(const struct popt *opts, const struct popt_usage *u, FILE *f)
{
	const char *s = u->usage;
	const struct popt *o;
	bool first = true, blank = true;
	char left[256];

	for (;;) {
		size_t len = strcspn(s, "\n");
		fprintf(f, "%s drip %s%s%.*s\n", first ? "usage:" : "   or:", u->name, len ? " " : "", (int)len, s);
		first = false;
		if (!s[len] || !s[len + 1])
			break;
		s += len + 1;
	}
	if (u->desc)
		fputs(u->desc, f);
	for (o = opts; o->type != POPT_TYPE_END; o++) {
		const char *h;
		size_t w;

		if (o->type == POPT_TYPE_GROUP) {
			fprintf(f, "\n%s\n", o->help);
			blank = false;
			continue;
		}
		if (o->flags & POPT_HIDDEN)
			continue;
		if (blank) {
			fputc('\n', f);
			blank = false;
		}
		w = option_left(o, left, sizeof(left));
		fputs(left, f);
		if (w + 1 >= HELP_COL) {
			fputc('\n', f);
			w = 0;
		}
		fprintf(f, "%*s", (int)(HELP_COL - w), "");
		for (h = o->help ? o->help : ""; *h; ) {
			size_t len = strcspn(h, "\n");
			fprintf(f, "%.*s\n", (int)len, h);
			h += len;
			if (*h == '\n' && *++h)
				fprintf(f, "%*s", HELP_COL, "");
		}
		if (!o->help || !*o->help)
			fputc('\n', f);
	}
	if (u->footer) {
		fputc('\n', f);
		fputs(u->footer, f);
	}
}
