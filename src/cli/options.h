/* options: the options shared by drip's report commands, spelled as GNU
 * long options from pprof's flags (pprof -sample_index=x is
 * --sample-index=x), parsed once into struct ropts. */
#ifndef DRIP_OPTIONS_H
#define DRIP_OPTIONS_H
#include <stdbool.h>

#include "report.h"
#include "session.h"

/* ropts: a report command's parsed options: the engine's option structs
 * plus what only the command line has (output file, format, operands). */
struct ropts {
	struct report_opts r;     /* sample type, granularity, trimming, filters */
	struct load_opts load;    /* bases, --all-frames, --add-comment */
	const char *output;       /* -o FILE, NULL/"-" = stdout */
	const char *format;       /* --format=..., NULL = the command's default */
	const char *peek;         /* regex for `drip peek` */
	int verbose;
	enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color; /* --color */
};

/* color_mode_parse: --color=auto|always|never; 0, or -1 after printing a
 * usage error naming cmd. */
int color_mode_parse(const char *cmd, const char *arg, enum color_mode *mode);
/* color_wanted: whether to colour text written to f: always, never, or
 * (auto) when f is a terminal and NO_COLOR is unset or empty. */
bool color_wanted(enum color_mode mode, FILE *f);

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
