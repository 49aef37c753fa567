/* drip: a command-line analyzer for Go heap and goroutine profiles.
 * main: the command table, global options, exit status, and the final
 * check that stdout was written completely. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "error.h"
#include "parse_options.h"
#include "strtab.h"
#include "xalloc.h"

#define DRIP_VERSION "0.1.0"

static const struct command commands[] = {
	{ "info", cmd_info, "what is in a profile: format, sample types, totals, time" },
	{ "top", cmd_top, "heaviest functions, as pprof -top" },
	{ "diff", cmd_diff, "what grew or shrank between snapshots, sorted by |delta|" },
	{ "check", cmd_check, "CI gate: fail when a profile grew past the rules" },
	{ "tree", cmd_tree, "callers and callees of each node, as pprof -tree" },
	{ "peek", cmd_peek, "callers and callees of nodes matching a regex, as pprof -peek" },
	{ "traces", cmd_traces, "every sample's stack with its value and labels" },
	{ "tags", cmd_tags, "label (tag) values with their totals" },
	{ "graph", cmd_graph, "call graph as DOT (pprof -dot), or SVG / PNG via graphviz" },
	{ "goroutines", cmd_goroutines, "goroutines grouped by stack and state; --base: change" },
	{ "leaks", cmd_leaks, "sites and goroutine groups growing across snapshots" },
	{ "comments", cmd_comments, "the comments recorded in a profile" },
	{ "merge", cmd_merge, "several profiles into one pprof file (go tool pprof reads it)" },
	{ "fetch", cmd_fetch, "save a profile from a live service (net/http/pprof) as served" },
	{ "watch", cmd_watch, "snapshot live services every interval and report what keeps growing" },
	{ "flame", cmd_flame, "flame graph: interactive SVG, folded stacks, speedscope; --base diffs" },
	{ "report", cmd_report_html, "one self-contained HTML page: tables, flame, call graph, diff, goroutines" },
};

const struct command *drip_commands(size_t *n)
{
	*n = sizeof(commands) / sizeof(commands[0]);
	return commands;
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: drip [--version] [--help] COMMAND [OPTIONS] FILE...\n\n"
		   "drip reads Go profiles (pprof protobuf, gzipped or raw; heap debug=1 text;\n"
		   "goroutine debug=1 and debug=2 text; '-' is stdin) and reports on them.\n\n"
		   "Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'drip COMMAND --help' (or 'drip help COMMAND') lists a command's options;\n"
		   "'man drip' has the details.\n"
		   "Exit status: 0 ok or no finding, 1 a finding, 2 trouble.\n");
}

/* "Did you mean" for a mistyped command, as git's help.c. */
static void suggest_command(const char *word)
{
	const char *names[sizeof(commands) / sizeof(commands[0])];
	size_t i, idx[4], k;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		names[i] = commands[i].name;
	k = popt_similar(word, names, i, idx, 4);
	if (k == 1) {
		fprintf(stderr, "Did you mean 'drip %s'?\n", names[idx[0]]);
	} else if (k > 1) {
		fprintf(stderr, "Did you mean one of these?\n");
		for (i = 0; i < k; i++)
			fprintf(stderr, "\tdrip %s\n", names[idx[i]]);
	}
}

/* Report a failed write to stdout (a full disk, say) as trouble; a
 * closed pipe (EPIPE) ends quietly, as a reader like head(1) expects. */
static int finish_stdout(int rc)
{
	int err = fflush(stdout) != 0 || ferror(stdout);

	if (fclose(stdout) != 0)
		err = 1;
	if (err && errno != EPIPE) {
		fprintf(stderr, "drip: error: cannot write to standard output: %s\n", strerror(errno));
		return EXIT_TROUBLE;
	}
	return rc;
}

/* Out of memory: one line and exit status 2, as for any trouble. */
static void die_oom(size_t n)
{
	fprintf(stderr, "drip: error: out of memory (allocating %zu bytes)\n", n);
	exit(EXIT_TROUBLE);
}

int main(int argc, char **argv)
{
	size_t i;
	int rc;

	/* A closed pipe is an ordinary way for a reader to stop. */
	signal(SIGPIPE, SIG_DFL);
	xalloc_set_oom(die_oom);
	if (argc < 2) {
		usage(stderr);
		return EXIT_TROUBLE;
	}
	if (!strcmp(argv[1], "help") && argc == 3) {
		/* drip help COMMAND is drip COMMAND --help */
		static char help_opt[] = "--help";
		char *av[3] = { argv[2], help_opt, NULL };

		for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (strcmp(argv[2], commands[i].name) == 0)
				return finish_stdout(commands[i].fn(2, av));
		fprintf(stderr, "drip: error: unknown command '%s'\n", argv[2]);
		suggest_command(argv[2]);
		fprintf(stderr, "Try 'drip --help'.\n");
		return EXIT_TROUBLE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return finish_stdout(EXIT_OK);
	}
	if (!strcmp(argv[1], "__complete")) /* for the shell completion scripts */
		return finish_stdout(cmd_complete(argc - 1, argv + 1));
	if (!strcmp(argv[1], "--version")) {
		printf("drip %s\n", DRIP_VERSION);
		return finish_stdout(EXIT_OK);
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			rc = commands[i].fn(argc - 1, argv + 1);
			strtab_free();
			return finish_stdout(rc);
		}
	}
	fprintf(stderr, "drip: error: unknown command '%s'\n", argv[1]);
	suggest_command(argv[1]);
	fprintf(stderr, "Try 'drip --help'.\n");
	return EXIT_TROUBLE;
}
