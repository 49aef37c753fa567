/* cmd_leaks: drip leaks' options and report, shared with drip watch
 * (which passes the options after '--' to them and adds one snapshot
 * per round to its series). */
#ifndef DRIP_CMD_LEAKS_H
#define DRIP_CMD_LEAKS_H
#include <stdbool.h>

#include "leaks.h"
#include "options.h"

struct leaks_cli {
	struct leaks_opts o;              /* the analysis */
	struct leaks_render_opts render;  /* --all, --ascii */
	const char *output;               /* -o FILE, NULL/"-" = stdout */
	bool json;                        /* --format=json */
	enum color_mode color;            /* --color (text output) */
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

#endif
