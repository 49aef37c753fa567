/* cmd_leaks: drip leaks' options and report, shared with drip watch
 * (which passes the options after '--' to them and adds one snapshot
 * per round to its series). */
#ifndef DRIP_CMD_LEAKS_H
#define DRIP_CMD_LEAKS_H
#include <stdbool.h>
#include <stddef.h>

#include "leaks.h"
#include "options.h"

struct leaks_cli {
	struct leaks_opts o;              /* the analysis */
	struct leaks_render_opts render;  /* --all, --ascii */
	const char *output;               /* -o FILE, NULL/"-" = stdout */
	bool json;                        /* --format=json */
	bool openmetrics;                 /* --format=openmetrics */
	size_t max_series;                /* --max-series (openmetrics) */
	const char *target;               /* openmetrics: the target label of
					   * leaks_cli_report's series; NULL "" */
	enum color_mode color;            /* --color (text output) */
	struct source_opts src;           /* --max-size, --timeout, --no-gc */
};

/* leaks_cli_parse: drip leaks' options in argv (argv[0] is the command
 * name) into c; the strings stay argv's.  Returns the index of the
 * first operand, -1 after printing a usage error, -2 after printing
 * --help. */
int leaks_cli_parse(struct leaks_cli *c, int argc, char **argv);

/* leaks_cli_report: analyse s and write c's report (to c->output, else
 * stdout).  Returns the exit status: EXIT_FINDING with a suspect,
 * EXIT_OK without, EXIT_TROUBLE after printing an error. */
int leaks_cli_report(const struct leaks_cli *c, const struct leaks_series *s);

/* cmd_leaks_files: drip leaks over argv's files (no folder), refusing
 * two copies of one snapshot when refuse_copies (the files a user
 * names; a folder drip watch wrote may hold a snapshot served twice).
 * Returns the exit status. */
int cmd_leaks_files(int argc, char **argv, bool refuse_copies);
/* leaks_cli_report_joint: the same over a heap and a goroutine series
 * of one service: both reports and their joined findings (leaks_join.h);
 * openmetrics: the two as targets "heap" and "goroutine".  EXIT_FINDING
 * when either series has a suspect. */
int leaks_cli_report_joint(const struct leaks_cli *c, const struct leaks_series *heap, const struct leaks_series *gor);

/* leaks_cli_report_joined: drip watch's final word on a heap and a
 * goroutine URL of one service: as leaks_cli_report_joint, but in text
 * only the joined findings (the two reports are printed already). */
int leaks_cli_report_joined(const struct leaks_cli *c, const struct leaks_series *heap, const struct leaks_series *gor);

/* leaks_cli_openmetrics: drip leaks --format=openmetrics over the
 * operands ops[0..n): one target per target of the folders among them
 * (the files beside folders join every target, as in the other
 * formats), else one target of all the files.  Returns the exit status
 * (leaks_metrics.c). */
int leaks_cli_openmetrics(const struct leaks_cli *c, int n, char **ops);

#endif
