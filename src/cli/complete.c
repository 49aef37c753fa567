/* complete: `drip __complete WORD...`, what the bash, zsh and fish
 * completion scripts (src/cli/completion/) ask.  The words are those
 * after "drip" on the command line, the last one the word being
 * completed (possibly empty).  The answer, on stdout:
 *   a first line "words" then one candidate per line, or
 *   a single line "files" (the shell completes file names).
 * Options come from the command's own --help, so completion offers
 * exactly what a command documents; sample types are read from the
 * profile named on the line; granularities, colours and formats are the
 * values the options take. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "error.h"
#include "graph.h"
#include "load.h"
#include "report_diff.h"
#include "xalloc.h"

/* The command's --help text, captured from its own function (stdout
 * pointed at a temporary file for the call).  Caller frees. */
static char *help_text(const struct command *c)
{
	static char help_opt[] = "--help";
	char *av[3] = { (char *)c->name, help_opt, NULL };
	FILE *tmp = tmpfile();
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	int saved;

	if (!tmp)
		return xstrdup("");
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	if (saved < 0 || dup2(fileno(tmp), STDOUT_FILENO) < 0) {
		fclose(tmp);
		return xstrdup("");
	}
	c->fn(2, av);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(tmp);
	while ((n = fread(chunk, 1, sizeof(chunk), tmp)) > 0)
		buf_add(&b, chunk, n);
	fclose(tmp);
	if (!b.data)
		return xstrdup("");
	return buf_detach(&b, NULL);
}

static const struct command *find_command(const char *name)
{
	size_t n, i;
	const struct command *cs = drip_commands(&n);

	for (i = 0; i < n; i++)
		if (!strcmp(cs[i].name, name))
			return &cs[i];
	return NULL;
}

/* Print each distinct "--name" (with "=" when the help shows a value
 * anywhere) and "-x" short option of the help text that starts with
 * prefix, in the help's order. */
static void print_options(const char *help, const char *prefix)
{
	struct buf seen = BUF_INIT;
	char **opts = NULL;
	size_t nopts = 0, i, j;
	const char *p;

	buf_putc(&seen, '\n');
	for (p = help; *p; p++) {
		const char *s = p, *e;
		struct buf opt = BUF_INIT;

		if (*p != '-' || (p > help && !isspace((unsigned char)p[-1]) && p[-1] != ',' && p[-1] != '[' &&
				  p[-1] != '('))
			continue;
		e = s + 1;
		if (*e == '-')
			e++;
		if (!isalpha((unsigned char)*e))
			continue;
		while (isalnum((unsigned char)*e) || *e == '-' || *e == '_')
			e++;
		if (e[-1] == '-')
			continue;
		if (s[1] != '-' && e - s != 2)
			continue; /* a short option is one letter */
		buf_add(&opt, s, (size_t)(e - s));
		if (*e == '=' || (*e == '[' && e[1] == '='))
			buf_putc(&opt, '=');
		p = e - 1;
		if (strncmp(opt.data, prefix, strlen(prefix)) == 0) {
			struct buf key = BUF_INIT;
			buf_printf(&key, "\n%s\n", opt.data);
			if (!strstr(seen.data, key.data)) {
				opts = xreallocarray(opts, nopts + 1, sizeof(*opts));
				opts[nopts++] = xstrdup(opt.data);
				buf_puts(&seen, key.data + 1);
			}
			buf_release(&key);
		}
		buf_release(&opt);
	}
	/* "--granularity" also named in prose: "--granularity=" covers it */
	for (i = 0; i < nopts; i++) {
		bool covered = false;
		size_t len = strlen(opts[i]);

		for (j = 0; j < nopts && opts[i][len - 1] != '='; j++)
			if (strlen(opts[j]) == len + 1 && !strncmp(opts[j], opts[i], len) && opts[j][len] == '=')
				covered = true;
		if (!covered)
			printf("%s\n", opts[i]);
	}
	for (i = 0; i < nopts; i++)
		free(opts[i]);
	free(opts);
	buf_release(&seen);
}

/* The values of --format that the command's help names. */
static void print_formats(const char *help, const char *prefix)
{
	static const char *const known[] = { "text", "json", "dot", "svg", "png", "folded", "speedscope",
					     "junit", "github", "openmetrics", "html" };
	const char *line = help;
	size_t k;
	bool prev = false, printed[sizeof(known) / sizeof(known[0])] = { false };

	/* only on the lines that talk about --format, and the next one */
	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *l = xstrndup(line, len);
		bool here = strstr(l, "format") || strstr(l, "Output:");

		if (here || prev) {
			for (k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
				const char *hit = strstr(l, known[k]);
				size_t n = strlen(known[k]);
				if (hit && !printed[k] && (hit == l || !isalnum((unsigned char)hit[-1])) &&
				    !isalnum((unsigned char)hit[n]) && !strncmp(known[k], prefix, strlen(prefix))) {
					printf("%s\n", known[k]);
					printed[k] = true;
				}
			}
		}
		free(l);
		prev = here;
		line = end ? end + 1 : NULL;
	}
}

/* Sample types of the first readable profile among the words. */
static void print_sample_types(char **words, int n, const char *prefix)
{
	int i;

	for (i = 0; i < n; i++) {
		struct stat st;
		struct profile *p;
		size_t t;

		if (words[i][0] == '-' || stat(words[i], &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		p = load_profile(words[i]);
		if (!p) {
			err_clear();
			continue;
		}
		for (t = 0; t < p->ntypes; t++)
			if (!strncmp(p->types[t].type, prefix, strlen(prefix)))
				printf("%s\n", p->types[t].type);
		profile_free(p);
		return;
	}
}

/* Values of option opt ("--granularity", "-i", ...) that start with
 * prefix; 1 when the option's values are known here, 0 for files. */
static int print_values(const struct command *c, const char *help, const char *opt, const char *prefix,
			char **words, int n)
{
	static const char *const colors[] = { "auto", "always", "never" };
	static const char *const units[] = { "minimum", "auto", "B", "kB", "MB", "GB", "ns", "us", "ms", "s" };
	size_t k;

	(void)c;
	if (!strcmp(opt, "-i") || !strcmp(opt, "--sample-index") || !strcmp(opt, "--sample_index")) {
		puts("words");
		print_sample_types(words, n, prefix);
		return 1;
	}
	if (!strcmp(opt, "--granularity")) {
		puts("words");
		for (k = GRAN_FUNCTIONS; k <= GRAN_ADDRESSES; k++)
			if (!strncmp(granularity_name((enum granularity)k), prefix, strlen(prefix)))
				printf("%s\n", granularity_name((enum granularity)k));
		return 1;
	}
	if (!strcmp(opt, "--color") || !strcmp(opt, "--colour")) {
		puts("words");
		for (k = 0; k < 3; k++)
			if (!strncmp(colors[k], prefix, strlen(prefix)))
				printf("%s\n", colors[k]);
		return 1;
	}
	if (!strcmp(opt, "--unit")) {
		puts("words");
		for (k = 0; k < sizeof(units) / sizeof(units[0]); k++)
			if (!strncmp(units[k], prefix, strlen(prefix)))
				printf("%s\n", units[k]);
		return 1;
	}
	if (!strcmp(opt, "--format")) {
		puts("words");
		print_formats(help, prefix);
		return 1;
	}
	return 0;
}

/* Whether the help shows opt taking a value in the next word: "-i NAME",
 * "--sample-index=NAME", "-o, --output=FILE". */
static bool takes_value(const char *help, const char *opt)
{
	const char *p = help;
	size_t n = strlen(opt);

	if (!strcmp(opt, "-i") || !strcmp(opt, "-o"))
		return true;
	while ((p = strstr(p, opt))) {
		if ((p == help || !isalnum((unsigned char)p[-1])) && (p[n] == '=' || (p[n] == '[' && p[n + 1] == '=')))
			return true;
		p += n;
	}
	return false;
}

int cmd_complete(int argc, char **argv)
{
	char **words = argv + 1;
	int n = argc - 1, i;
	const char *cur = n > 0 ? words[n - 1] : "";
	const struct command *c;
	char *help;
	size_t nc;

	if (n <= 1) { /* the command itself */
		const struct command *cs = drip_commands(&nc);
		puts("words");
		for (i = 0; i < (int)nc; i++)
			if (!strncmp(cs[i].name, cur, strlen(cur)))
				printf("%s\n", cs[i].name);
		if (!strncmp("help", cur, strlen(cur)))
			puts("help");
		return EXIT_OK;
	}
	if (!strcmp(words[0], "help")) {
		const struct command *cs = drip_commands(&nc);
		puts("words");
		if (n == 2)
			for (i = 0; i < (int)nc; i++)
				if (!strncmp(cs[i].name, cur, strlen(cur)))
					printf("%s\n", cs[i].name);
		return EXIT_OK;
	}
	c = find_command(words[0]);
	if (!c) {
		puts("files");
		return EXIT_OK;
	}
	help = help_text(c);
	if (cur[0] == '-' && strchr(cur, '=')) { /* --option=VALUE */
		char *opt = xstrndup(cur, (size_t)(strchr(cur, '=') - cur));
		if (!print_values(c, help, opt, strchr(cur, '=') + 1, words + 1, n - 2))
			puts("files");
		free(opt);
	} else if (cur[0] == '-') {
		puts("words");
		print_options(help, cur);
	} else if (n >= 3 && words[n - 2][0] == '-' && !strchr(words[n - 2], '=') &&
		   takes_value(help, words[n - 2])) { /* -i VALUE, --format VALUE */
		if (!print_values(c, help, words[n - 2], cur, words + 1, n - 2))
			puts("files");
	} else {
		puts("files");
	}
	free(help);
	return EXIT_OK;
}
