/* drip leaks: what keeps growing across a series of snapshots (heap
 * profiles: allocation sites; goroutine profiles: groups of goroutines),
 * with a trend per site, a verdict, and the suspects ranked.  Exit
 * status 1 when there is a suspect.  The analysis is the leaks engine
 * (src/lib/leaks.h): the snapshots stream through it, one loaded at a
 * time. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_leaks.h"
#include "error.h"
#include "fetch.h"
#include "leaks.h"
#include "load.h"
#include "options.h"
#include "output.h"
#include "snapdir.h"

static const char usage[] =
	"usage: drip leaks [OPTIONS] FILE FILE...\n"
	"   or: drip leaks [OPTIONS] DIR...   (folders that drip watch --dir wrote)\n"
	"Find what keeps growing across two or more snapshots of one kind: heap\n"
	"profiles (per allocation site: the flat value of a node at the chosen\n"
	"granularity) or goroutine profiles (per group of goroutines with the same\n"
	"non-runtime stack).  Snapshots are ordered by the profile's time when every\n"
	"one has a time, else taken in argument order.  A folder's snapshots are\n"
	"grouped by target (the service and endpoint in their names) and each\n"
	"target is its own series, under a '== TARGET' line when there are several.\n"
	"For each site: the series,\n"
	"growth first -> last, a least-squares slope per snapshot (and per second\n"
	"when times are known), R², a verdict (growing / noisy / flat) and a\n"
	"sparkline.  A suspect is a site growing steadily; exit status 1 when there\n"
	"is one, 0 when there is none.  Under the table, a key to its words\n"
	"(growing, noisy, flat, floor, R², t).\n"
	"Goroutines the runtime proved leaked (a goroutineleak profile, or '(leaked)'\n"
	"in a debug=2 header) need no trend: one such snapshot is enough (exit 1 when\n"
	"it has any, 0 when not), and over a series the groups with proven leaks in\n"
	"the last snapshot are ranked first.  A mix of kinds (heap and goroutine, or\n"
	"goroutine and goroutineleak) is refused.  One snapshot is in memory at a\n"
	"time: each is reduced to its sites' values and freed before the next.\n\n"
	"Options:\n"
	"  -i, --sample-index=T[,T...]  sample types (heap default inuse_space,\n"
	"                         inuse_objects); the first decides verdict and rank\n"
	"      --granularity=G    functions (default), filefunctions, files, lines,\n"
	"                         addresses; also --functions, --lines, ...\n"
	"      --noinlines        attribute inlined calls to their caller\n"
	"      --cum              heap: a site's cumulative value instead of flat\n"
	"      --min-growth=V     smallest growth first -> last that counts (10MB,\n"
	"                         500kB, 3); default 0 for heap, 2 goroutines\n"
	"      --min-growth-pct=P smallest growth as a percentage of the last\n"
	"                         snapshot's total (default 1)\n"
	"      --min-t=T          smallest t statistic of the slope (slope / its\n"
	"                         standard error from the fit's residuals): how\n"
	"                         steady the growth must be (default 4, 3 for heap\n"
	"                         profiles, whose sampling noise --min-z also checks)\n"
	"      --min-late=F       smallest share of the growth in the later half of\n"
	"                         the series (default 0.25)\n"
	"      --min-z=Z          heap: smallest slope over its standard error under\n"
	"                         the sampling noise of Go heap profiles (default 3)\n"
	"      --all              list every site, flat ones too (default: suspects\n"
	"                         and the 10 largest noisy ones), text and JSON\n"
	"      --ascii            sparklines in ASCII (_.-:=+*#)\n"
	"      --format=text|json output format (default text)\n"
	"  -o, --output=FILE      write to FILE instead of stdout\n"
	"      --focus, --ignore, --hide, --show=RE   sample / frame filters\n"
	"      --max-size=BYTES   refuse inputs larger than this after inflating\n"
	"      --timeout=SECONDS, --no-gc   for URL inputs, as in 'drip top'\n"
	"  -h, --help             this help\n";

enum {
	OPT_GRAN = 256,
	OPT_FUNCTIONS,
	OPT_FILEFUNCTIONS,
	OPT_FILES,
	OPT_LINES,
	OPT_ADDRESSES,
	OPT_NOINLINES,
	OPT_CUM,
	OPT_FLAT,
	OPT_MIN_GROWTH,
	OPT_MIN_GROWTH_PCT,
	OPT_MIN_T,
	OPT_MIN_LATE,
	OPT_MIN_Z,
	OPT_ALL,
	OPT_ASCII,
	OPT_FORMAT,
	OPT_FOCUS,
	OPT_IGNORE,
	OPT_HIDE,
	OPT_SHOW,
	OPT_MAX_SIZE,
	OPT_TIMEOUT,
	OPT_NO_GC,
};

static const struct option long_opts[] = {
	{ "sample-index", required_argument, NULL, 'i' },
	{ "granularity", required_argument, NULL, OPT_GRAN },
	{ "functions", no_argument, NULL, OPT_FUNCTIONS },
	{ "filefunctions", no_argument, NULL, OPT_FILEFUNCTIONS },
	{ "files", no_argument, NULL, OPT_FILES },
	{ "lines", no_argument, NULL, OPT_LINES },
	{ "addresses", no_argument, NULL, OPT_ADDRESSES },
	{ "noinlines", no_argument, NULL, OPT_NOINLINES },
	{ "cum", no_argument, NULL, OPT_CUM },
	{ "flat", no_argument, NULL, OPT_FLAT },
	{ "min-growth", required_argument, NULL, OPT_MIN_GROWTH },
	{ "min-growth-pct", required_argument, NULL, OPT_MIN_GROWTH_PCT },
	{ "min-t", required_argument, NULL, OPT_MIN_T },
	{ "min-late", required_argument, NULL, OPT_MIN_LATE },
	{ "min-z", required_argument, NULL, OPT_MIN_Z },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "focus", required_argument, NULL, OPT_FOCUS },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "hide", required_argument, NULL, OPT_HIDE },
	{ "show", required_argument, NULL, OPT_SHOW },
	{ "output", required_argument, NULL, 'o' },
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "no-gc", no_argument, NULL, OPT_NO_GC },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_frac(const char *s, const char *name, double *out, double max)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v >= 0) || v > max) {
		fprintf(stderr, "drip leaks: invalid value '%s' for --%s\n", s, name);
		return -1;
	}
	*out = v;
	return 0;
}

int leaks_cli_parse(struct leaks_cli *c, int argc, char **argv)
{
	int ch;

	memset(c, 0, sizeof(*c));
	leaks_opts_init(&c->o);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "i:o:h", long_opts, NULL)) != -1) {
		switch (ch) {
		case 'i': c->o.types = optarg; break;
		case OPT_GRAN: {
			int g = granularity_parse(optarg);
			if (g < 0) {
				fprintf(stderr, "drip leaks: unknown granularity '%s' (want functions, filefunctions, files, lines or addresses)\n",
					optarg);
				return -1;
			}
			c->o.gran = (enum granularity)g;
			break;
		}
		case OPT_FUNCTIONS: c->o.gran = GRAN_FUNCTIONS; break;
		case OPT_FILEFUNCTIONS: c->o.gran = GRAN_FILEFUNCTIONS; break;
		case OPT_FILES: c->o.gran = GRAN_FILES; break;
		case OPT_LINES: c->o.gran = GRAN_LINES; break;
		case OPT_ADDRESSES: c->o.gran = GRAN_ADDRESSES; break;
		case OPT_NOINLINES: c->o.noinlines = true; break;
		case OPT_CUM: c->o.cum = true; break;
		case OPT_FLAT: c->o.cum = false; break;
		case OPT_MIN_GROWTH: c->o.min_growth = optarg; break;
		case OPT_MIN_GROWTH_PCT:
			if (parse_frac(optarg, "min-growth-pct", &c->o.min_growth_pct, 1e9) < 0)
				return -1;
			break;
		case OPT_MIN_T:
			if (parse_frac(optarg, "min-t", &c->o.rules.min_t, 1e9) < 0)
				return -1;
			c->o.rules.min_t_sampled = c->o.rules.min_t;
			break;
		case OPT_MIN_LATE:
			if (parse_frac(optarg, "min-late", &c->o.rules.min_late, 1) < 0)
				return -1;
			break;
		case OPT_MIN_Z:
			if (parse_frac(optarg, "min-z", &c->o.rules.min_z, 1e9) < 0)
				return -1;
			break;
		case OPT_ALL: c->render.all = true; break;
		case OPT_ASCII: c->render.ascii = true; break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "json"))
				c->json = true;
			else if (!strcmp(optarg, "text"))
				c->json = false;
			else {
				fprintf(stderr, "drip leaks: unknown format '%s' (want text or json)\n", optarg);
				return -1;
			}
			break;
		case OPT_FOCUS: c->o.filter.focus = optarg; break;
		case OPT_IGNORE: c->o.filter.ignore = optarg; break;
		case OPT_HIDE: c->o.filter.hide = optarg; break;
		case OPT_SHOW: c->o.filter.show = optarg; break;
		case 'o': c->output = optarg; break;
		case OPT_MAX_SIZE:
			if (opt_max_size("leaks", optarg) < 0)
				return -1;
			break;
		case OPT_TIMEOUT:
			if (opt_timeout("leaks", optarg) < 0)
				return -1;
			break;
		case OPT_NO_GC: fetch_set_gc(false); break;
		case 'h': fputs(usage, stdout); return -2;
		default:
			if (optopt && optopt < 256)
				fprintf(stderr, "drip leaks: unknown option '-%c'\n", optopt);
			else
				fprintf(stderr, "drip leaks: unknown or incomplete option '%s'\n", argv[optind - 1]);
			fprintf(stderr, "Try 'drip leaks --help'.\n");
			return -1;
		}
	}
	return optind;
}

int leaks_cli_report(const struct leaks_cli *c, const struct leaks_series *s)
{
	struct leaks_result r;
	struct output out;
	int rc;

	rc = leaks_analyze(s, &r);
	if (rc == LEAKS_EMIN_GROWTH) {
		fprintf(stderr, "drip leaks: %s\n", err_msg());
		return EXIT_TROUBLE;
	}
	if (rc < 0) {
		err_print();
		return EXIT_TROUBLE;
	}
	if (output_open(&out, c->output) < 0) {
		err_print();
		leaks_result_release(&r);
		return EXIT_TROUBLE;
	}
	if (c->json)
		leaks_write_json(&r, &c->render, out.f);
	else
		leaks_write_text(&r, &c->render, out.f);
	rc = r.nsuspects ? EXIT_FINDING : EXIT_OK;
	if (output_close(&out, 1) < 0) {
		err_print();
		rc = EXIT_TROUBLE;
	}
	leaks_result_release(&r);
	return rc;
}

int cmd_leaks(int argc, char **argv)
{
	struct leaks_cli c;
	struct leaks_series *s;
	int i, first, rc;

	/* Folders (drip watch --dir) become one run per target. */
	if ((rc = snapdir_leaks(argc, argv)) >= 0)
		return rc;
	first = leaks_cli_parse(&c, argc, argv);
	if (first < 0)
		return first == -2 ? EXIT_OK : EXIT_TROUBLE;
	if (argc - first < 1) {
		fprintf(stderr, "drip leaks: give two or more snapshots (or one goroutineleak profile)\nTry 'drip leaks --help'.\n");
		return EXIT_TROUBLE;
	}
	/* One snapshot in memory at a time: each is reduced to the
	 * series' values and freed before the next is loaded. */
	s = leaks_series_new(&c.o);
	for (i = first; i < argc; i++) {
		struct profile *p = load_profile(argv[i]);
		if (!p || leaks_series_add(s, p, argv[i]) < 0) {
			err_print();
			leaks_series_free(s);
			return EXIT_TROUBLE;
		}
	}
	if (leaks_series_len(s) == 1 && !leaks_series_goroutine(s)) {
		fprintf(stderr, "drip leaks: give two or more snapshots (one is enough only for a goroutineleak profile or a goroutine dump marking leaked goroutines)\nTry 'drip leaks --help'.\n");
		leaks_series_free(s);
		return EXIT_TROUBLE;
	}
	rc = leaks_cli_report(&c, s);
	leaks_series_free(s);
	return rc;
}
