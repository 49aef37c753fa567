/* options: the options shared by drip's report commands, spelled as GNU
 * long options from pprof's flags (pprof -sample_index=x is
 * --sample-index=x), parsed once into struct ropts. */
#ifndef DRIP_OPTIONS_H
#define DRIP_OPTIONS_H
#include <stdbool.h>

#include "graph.h"

struct ropts {
	const char *sample_index; /* NULL: the profile's default */
	enum granularity gran;
	bool noinlines;
	bool cum;
	int nodecount;            /* -1: the command's default */
	double nodefraction, edgefraction;
	const char *focus, *ignore, *hide, *show, *show_from;
	const char *tagfocus, *tagignore, *tagshow, *taghide;
	const char *prune_from;
	const char *add_comment;  /* --add-comment=TEXT: appended to the comments */
	bool relative_percentages;
	const char *unit;         /* "minimum" by default, as pprof */
	bool compact_labels;
	bool all_frames;
	bool call_tree;
	bool drop_negative;
	const char *output;       /* -o FILE, NULL/"-" = stdout */
	const char *format;       /* --format=..., NULL = the command's default */
	const char **diff_base;   /* --diff-base=FILE (repeatable) */
	int ndiff_base;
	const char **base;        /* --base=FILE (repeatable) */
	int nbase;
	bool normalize;
	const char *peek;         /* regex for `drip peek` */
	const char *title;
	int verbose;
};

void ropts_init(struct ropts *o);
/* ropts_release: free what parsing allocated (the --diff-base / --base
 * lists); the strings themselves are argv's. */
void ropts_release(struct ropts *o);

/* ropts_parse: parse argv (argv[0] is the command name) into o.  Returns
 * the index of the first operand, or -1 after printing a usage error, or
 * -2 when --help was printed (usage is the command's help text). */
int ropts_parse(struct ropts *o, int argc, char **argv, const char *usage);

/* Parse and apply --max-size=BYTES / --timeout=SECONDS for commands
 * with their own option tables; 0, or -1 after printing a usage error
 * naming cmd. */
int opt_max_size(const char *cmd, const char *arg);
int opt_timeout(const char *cmd, const char *arg);

/* The help text for the shared options. */
extern const char ropts_help[];

#endif
