/* cmd: drip's commands.  Each cmd_* takes argv with argv[0] the command
 * name, and returns an exit status (EXIT_OK, EXIT_FINDING, EXIT_TROUBLE);
 * nothing else in drip decides exit statuses. */
#ifndef DRIP_CMD_H
#define DRIP_CMD_H
#include <stddef.h>

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* drip_commands: the command table (main.c), n entries. */
const struct command *drip_commands(size_t *n);
/* cmd_complete: `drip __complete WORD...`, the shell completion helper
 * (complete.c). */
int cmd_complete(int argc, char **argv);

int cmd_info(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_traces(int argc, char **argv);
int cmd_tags(int argc, char **argv);
int cmd_tree(int argc, char **argv);
int cmd_peek(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_goroutines(int argc, char **argv);
int cmd_leaks(int argc, char **argv);
int cmd_comments(int argc, char **argv);
int cmd_fetch(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_flame(int argc, char **argv);
int cmd_report_html(int argc, char **argv);

#endif
