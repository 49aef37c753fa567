#include "options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fetch.h"
#include "input.h"
#include "xalloc.h"

int opt_max_size(const char *cmd, const char *arg, struct source_opts *so)
{
	char *end;
	unsigned long long v = strtoull(arg, &end, 10);

	if (end == arg || *end || v == 0) {
		fprintf(stderr, "drip %s: invalid value '%s' for --max-size\n", cmd, arg);
		return -1;
	}
	so->max_size = v;
	return 0;
}

int opt_timeout(const char *cmd, const char *arg, struct source_opts *so)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (end == arg || (*end && strcmp(end, "s") != 0) || v <= 0 || v > 86400) {
		fprintf(stderr, "drip %s: invalid value '%s' for --timeout (seconds)\n", cmd, arg);
		return -1;
	}
	so->timeout_secs = v;
	return 0;
}

int color_mode_parse(const char *cmd, const char *arg, enum color_mode *mode)
{
	if (!strcmp(arg, "auto"))
		*mode = COLOR_AUTO;
	else if (!strcmp(arg, "always"))
		*mode = COLOR_ALWAYS;
	else if (!strcmp(arg, "never"))
		*mode = COLOR_NEVER;
	else {
		fprintf(stderr, "drip %s: invalid value '%s' for --color (want auto, always or never)\n", cmd, arg);
		return -1;
	}
	return 0;
}

bool color_wanted(enum color_mode mode, FILE *f)
{
	const char *no = getenv("NO_COLOR");

	if (mode != COLOR_AUTO)
		return mode == COLOR_ALWAYS;
	/* https://no-color.org: set and not empty turns colour off */
	return f && isatty(fileno(f)) && !(no && *no);
}

int ropts_cb_color(const struct popt *opt, const char *arg, const char *cmd)
{
	return color_mode_parse(cmd, arg, opt->value);
}

int ropts_cb_max_size(const struct popt *opt, const char *arg, const char *cmd)
{
	return opt_max_size(cmd, arg, opt->value);
}

int ropts_cb_timeout(const struct popt *opt, const char *arg, const char *cmd)
{
	return opt_timeout(cmd, arg, opt->value);
}

int ropts_cb_no_gc(const struct popt *opt, const char *arg, const char *cmd)
{
	struct source_opts *so = opt->value;

	(void)arg, (void)cmd;
	so->no_gc = true;
	return 0;
}

int ropts_cb_ignored(const struct popt *opt, const char *arg, const char *cmd)
{
	(void)opt, (void)arg, (void)cmd;
	return 0;
}

int ropts_cb_divide_by(const struct popt *opt, const char *arg, const char *cmd)
{
	(void)opt;
	if (strcmp(arg, "1") != 0) {
		fprintf(stderr, "drip %s: only --divide-by=1 is supported\n", cmd);
		return -1;
	}
	return 0;
}

/* pprof's -inuse_space, -inuse_objects, -alloc_space, -alloc_objects. */
int ropts_cb_sample(const struct popt *opt, const char *arg, const char *cmd)
{
	static const char *const types[] = { "inuse_space", "inuse_objects", "alloc_space", "alloc_objects" };
	size_t i, k;

	(void)arg, (void)cmd;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		for (k = 0; types[i][k] && (types[i][k] == opt->long_name[k] || types[i][k] == '_'); k++)
			;
		if (!types[i][k] && !opt->long_name[k])
			*(const char **)opt->value = types[i];
	}
	return 0;
}

int ropts_cb_gran(const struct popt *opt, const char *arg, const char *cmd)
{
	int g = granularity_parse(arg);

	if (g < 0) {
		fprintf(stderr, "drip %s: unknown granularity '%s' (want functions, filefunctions, files, lines or addresses)\n",
			cmd, arg);
		return -1;
	}
	*(enum granularity *)opt->value = (enum granularity)g;
	return 0;
}

int ropts_cb_gran_set(const struct popt *opt, const char *arg, const char *cmd)
{
	(void)arg, (void)cmd;
	*(enum granularity *)opt->value = (enum granularity)opt->defval;
	return 0;
}

int ropts_cb_nodecount(const struct popt *opt, const char *arg, const char *cmd)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (end == arg || *end || v < 0 || v > 1000000000) {
		fprintf(stderr, "drip %s: invalid value '%s' for --nodecount\n", cmd, arg);
		return -1;
	}
	*(int *)opt->value = (int)v;
	return 0;
}

int ropts_cb_fraction(const struct popt *opt, const char *arg, const char *cmd)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || v < 0) {
		fprintf(stderr, "drip %s: invalid value '%s' for --%s\n", cmd, arg, opt->long_name);
		return -1;
	}
	*(double *)opt->value = v;
	return 0;
}

/* --diff-base (defval 1) and --base (0) append to a list of load_opts. */
int ropts_cb_base(const struct popt *opt, const char *arg, const char *cmd)
{
	struct load_opts *l = opt->value;

	(void)cmd;
	if (opt->defval) {
		l->diff_base = xreallocarray(l->diff_base, (size_t)l->ndiff_base + 1, sizeof(char *));
		l->diff_base[l->ndiff_base++] = arg;
	} else {
		l->base = xreallocarray(l->base, (size_t)l->nbase + 1, sizeof(char *));
		l->base[l->nbase++] = arg;
	}
	return 0;
}

/* Names only: the options of every command, for parse_options()'s "does
 * not apply" (the values are never written). */
#define POPT_NAME(l) { POPT_TYPE_BOOL, 0, (l), NULL, NULL, NULL, NULL, 0, 0 }
static struct ropts known_o;
static const struct popt known[] = {
	ROPTS_INPUT(&known_o), ROPTS_ALL_FRAMES(&known_o), ROPTS_ADD_COMMENT(&known_o), ROPTS_PPROF_IGNORED,
	ROPTS_SAMPLE(&known_o), ROPTS_GRAN(&known_o), ROPTS_SORT(&known_o), ROPTS_TRIM(&known_o),
	ROPTS_DROP_NEGATIVE(&known_o), ROPTS_FILTER(&known_o), ROPTS_RELPCT(&known_o), ROPTS_BASES(&known_o),
	ROPTS_NORMALIZE(&known_o), ROPTS_UNIT(&known_o), ROPTS_COMPACT(&known_o), ROPTS_OUTPUT(&known_o),
	ROPTS_VERBOSE(&known_o), ROPTS_COLOR(&known_o), POPT_NAME("all"),
	POPT_NAME("format"), POPT_NAME("title"), POPT_NAME("call-tree"),
	/* flame */
	POPT_NAME("width"), POPT_NAME("minwidth"), POPT_NAME("inverted"), POPT_NAME("reverse"), POPT_NAME("diff-mode"),
	/* check */
	POPT_NAME("max-growth"), POPT_NAME("max-node-growth"), POPT_NAME("max-new-site"), POPT_NAME("max-goroutines"),
	POPT_NAME("max-leaked-goroutines"), POPT_NAME("rules"), POPT_NAME("min-growth"),
	/* leaks, goroutines, watch */
	POPT_NAME("min-growth-pct"), POPT_NAME("min-t"), POPT_NAME("min-late"), POPT_NAME("min-z"),
	POPT_NAME("ascii"), POPT_NAME("min-count"), POPT_NAME("state"), POPT_NAME("min-wait"),
	POPT_NAME("interval"), POPT_NAME("count"), POPT_NAME("duration"), POPT_NAME("dir"),
	POPT_END(),
};

const struct popt *ropts_known(void)
{
	return known;
}

void ropts_release(struct ropts *o)
{
	free(o->load.diff_base);
	free(o->load.base);
	o->load.diff_base = o->load.base = NULL;
	o->load.ndiff_base = o->load.nbase = 0;
}

void ropts_init(struct ropts *o)
{
	memset(o, 0, sizeof(*o));
	report_opts_init(&o->r);
	o->load.diff_threads = -1;
	o->dashdash = -1;
}

int ropts_parse(struct ropts *o, int argc, char **argv, const struct popt *opts, const struct popt_usage *u)
{
	int r = parse_options(argc, argv, opts, u, known, &o->dashdash);
	const char *e;

	if (r >= 0) {
		/* What the engine is told rather than reads itself. */
		o->r.filter.verbose = o->verbose > 0;
		if (o->load.ndiff_base > 0 || o->load.nbase > 0) {
			bool diff = o->load.ndiff_base > 0;
			o->r.base_mode = diff ? "diff_base" : "base";
			o->r.base_files = diff ? o->load.diff_base : o->load.base;
			o->r.nbase_files = diff ? o->load.ndiff_base : o->load.nbase;
		}
		/* Test switches for drip diff's two paths (see session.h). */
		e = getenv("DRIP_DIFF_MERGED");
		o->load.diff_merged = e && *e && strcmp(e, "0") != 0;
		e = getenv("DRIP_DIFF_THREADS");
		if (e && *e)
			o->load.diff_threads = strcmp(e, "0") != 0;
	}

	/* On --help or a usage error the caller returns at once: nothing of
	 * the parse may stay allocated. */
	if (r < 0)
		ropts_release(o);
	return r;
}

int ropts_operands(const struct ropts *o, int argc, char **argv, int first, bool dashdash,
		   const char ***bases, int *nbases, char ***news, int *nnews)
{
	const char *cmd = argv[0];
	const char *const *given = o->load.nbase > 0 ? o->load.base : o->load.diff_base;
	int ngiven = o->load.nbase > 0 ? o->load.nbase : o->load.ndiff_base;

	*bases = NULL;
	*nbases = *nnews = 0;
	*news = NULL;
	if (o->load.nbase > 0 && o->load.ndiff_base > 0) {
		fprintf(stderr, "drip %s: give the base with --base or --diff-base, not both\n", cmd);
		return -1;
	}
	if (ngiven > 0) {
		if (o->dashdash >= 0 && dashdash) {
			fprintf(stderr, "drip %s: '--' and --base cannot be combined\n", cmd);
			return -1;
		}
		*nbases = ngiven;
		*news = argv + first;
		*nnews = argc - first;
	} else if (dashdash && o->dashdash >= 0) {
		*nbases = o->dashdash - first;
		given = (const char *const *)argv + first;
		*news = argv + o->dashdash;
		*nnews = argc - o->dashdash;
	} else {
		if (argc - first != 2) {
			fprintf(stderr, "drip %s: want BASE and NEW (or %s--base=BASE NEW...)\n"
					"Try 'drip %s --help'.\n", cmd, dashdash ? "BASE... -- NEW..., or " : "", cmd);
			return -1;
		}
		*nbases = 1;
		given = (const char *const *)argv + first;
		*news = argv + first + 1;
		*nnews = 1;
	}
	if (*nbases == 0 || *nnews == 0) {
		fprintf(stderr, "drip %s: missing %s file\nTry 'drip %s --help'.\n", cmd, *nbases == 0 ? "BASE" : "NEW", cmd);
		return -1;
	}
	*bases = xreallocarray(NULL, (size_t)*nbases + 1, sizeof(**bases));
	memcpy(*bases, given, (size_t)*nbases * sizeof(**bases));
	return 0;
}
