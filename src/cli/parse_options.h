/* parse_options: declarative option tables, in the spirit of git's
 * parse-options.h.  A command lists the options it honours (shared
 * groups from options.h and its own) in one array ending with
 * POPT_END(); parse_options() parses argv against exactly that array and
 * prints --help from it.  An option the array does not hold is a usage
 * error.
 *
 * Spellings accepted for an option listed as `-o, --output=FILE`:
 *   --output=FILE  --output FILE  --out=FILE (a unique prefix)
 *   -output=FILE   -output FILE   (pprof's single dash, whole names only)
 *   -o FILE  -oFILE  -o=FILE
 * and underscores for dashes in long names (--sample_index, -diff_base).
 * A value given as a separate word may not look like an option: in
 * `--focus --cum` the '--cum' is refused, not taken as the regex (write
 * --focus=--cum for a value that starts with '-'); "-" alone and
 * negative numbers are values.  "--" ends the options. */
#ifndef DRIP_PARSE_OPTIONS_H
#define DRIP_PARSE_OPTIONS_H
#include <stdint.h>
#include <stdio.h>

enum popt_type {
	POPT_TYPE_END = 0,
	POPT_TYPE_GROUP,    /* a heading in --help */
	POPT_TYPE_BOOL,     /* bool *value = defval */
	POPT_TYPE_COUNT,    /* int *value += 1 */
	POPT_TYPE_STRING,   /* const char **value = the value (argv's) */
	POPT_TYPE_CALLBACK, /* cb(opt, value or NULL, command name) */
};

struct popt;
/* A callback: 0, or -1 after printing its own usage error (in the form
 * "drip CMD: invalid value 'x' for --name"). */
typedef int popt_fn(const struct popt *opt, const char *arg, const char *cmd);

struct popt {
	enum popt_type type;
	int short_name;        /* 'o', or 0 */
	const char *long_name; /* "output" (dashes; "_" matches "-") */
	void *value;           /* where the value goes (see popt_type) */
	const char *argh;      /* the value's name in --help ("FILE"); NULL: takes no value */
	const char *help;      /* help text; '\n' starts another line */
	popt_fn *cb;
	intptr_t defval;       /* BOOL: the value set; CALLBACK: the callback's to read */
	unsigned flags;        /* POPT_HIDDEN */
};

/* flags: an alias accepted but left out of --help and "did you mean"
 * (its listed twin's help names it) */
#define POPT_HIDDEN 1u

#define POPT_END() { POPT_TYPE_END, 0, NULL, NULL, NULL, NULL, NULL, 0, 0 }
#define POPT_GROUP(h) { POPT_TYPE_GROUP, 0, NULL, NULL, NULL, (h), NULL, 0, 0 }
#define POPT_BOOL(s, l, v, h) { POPT_TYPE_BOOL, (s), (l), (v), NULL, (h), NULL, 1, 0 }
#define POPT_SET_BOOL(s, l, v, d, h) { POPT_TYPE_BOOL, (s), (l), (v), NULL, (h), NULL, (d), 0 }
#define POPT_COUNT(s, l, v, h) { POPT_TYPE_COUNT, (s), (l), (v), NULL, (h), NULL, 0, 0 }
#define POPT_STRING(s, l, v, a, h) { POPT_TYPE_STRING, (s), (l), (v), (a), (h), NULL, 0, 0 }
/* a == NULL: the option takes no value and cb gets arg NULL */
#define POPT_CALLBACK(s, l, v, a, h, f) { POPT_TYPE_CALLBACK, (s), (l), (v), (a), (h), (f), 0, 0 }
#define POPT_CALLBACK_DEF(s, l, v, a, h, f, d) { POPT_TYPE_CALLBACK, (s), (l), (v), (a), (h), (f), (d), 0 }
#define POPT_CALLBACK_HIDDEN(s, l, v, a, f) { POPT_TYPE_CALLBACK, (s), (l), (v), (a), NULL, (f), 0, POPT_HIDDEN }

/* popt_usage: the text of a command's --help around its options. */
struct popt_usage {
	const char *name;   /* "top": messages say "drip top: ..." */
	const char *usage;  /* synopsis lines after "drip NAME ", '\n' between */
	const char *desc;   /* paragraph after the synopsis, ending in '\n' */
	const char *footer; /* text after the options, or NULL */
};

/* parse_options: parse argv (argv[0] the command name) against opts.
 * Options and operands may be mixed; argv is permuted as GNU getopt
 * does: the options first, then a "--" if one was given, then the
 * operands in their order.  *dashdash (when not NULL) is set to the index
 * in argv of the first operand given after "--", or -1.  known (may be
 * NULL) lists options drip has elsewhere: naming one of them is "does
 * not apply to drip NAME" rather than "unknown".
 * Returns the index of the first operand; -2 after printing --help to
 * stdout; -1 after printing a usage error to stderr (with "did you
 * mean" when a listed option is close to what was typed). */
int parse_options(int argc, char **argv, const struct popt *opts, const struct popt_usage *u,
		  const struct popt *known, int *dashdash);

/* popt_print_help: the --help text of opts: usage lines, description,
 * the options by group (exactly those in opts), footer. */
void popt_print_help(const struct popt *opts, const struct popt_usage *u, FILE *f);

/* popt_similar: the names of cands (n of them) closest to word by
 * git's weighted Damerau-Levenshtein distance (help.c), if close enough
 * to suggest; writes up to max indexes into out, returns how many. */
size_t popt_similar(const char *word, const char *const *cands, size_t n, size_t *out, size_t max);

#endif
