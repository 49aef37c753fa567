/* drip goroutines: a goroutine profile (proto, debug=1 or debug=2) as
 * groups of goroutines with the same stack and state; with --base, how
 * each group changed between two dumps.  The grouping is ggroup.h's,
 * the reports ggroup_report.h's: this file parses, loads and prints. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "error.h"
#include "fetch.h"
#include "ggroup.h"
#include "ggroup_report.h"
#include "load.h"
#include "options.h"
#include "output.h"

static const char usage[] =
	"usage: drip goroutines [OPTIONS] FILE\n"
	"       drip goroutines --base=OLD [OPTIONS] NEW\n"
	"Group the goroutines of a goroutine profile (pprof proto, debug=1 or\n"
	"debug=2 text) by stack (and state, from debug=2): count, state, wait\n"
	"time range, created-by, labels and the stack of each group, largest\n"
	"group first.  With --base, each group's change from OLD to NEW, groups\n"
	"matched by their non-runtime function names (and state and labels when\n"
	"both dumps have them), largest change first.  Goroutines the runtime\n"
	"proved leaked (every one of a goroutineleak profile, '(leaked)' in a\n"
	"debug=2 header) are marked LEAKED (proven), their groups first.  Labels\n"
	"come from the proto, the debug=1 '# labels:' lines and Go 1.27's debug=2\n"
	"headers; crash tracebacks (panic: ..., GOTRACEBACK=all/system) read too.\n\n"
	"Options:\n"
	"      --min-count=N      only groups of at least N goroutines (with --base:\n"
	"                         N in either dump)\n"
	"      --state=RE         only goroutines whose state matches RE (POSIX\n"
	"                         extended; proto and debug=1 dumps have no state:\n"
	"                         drip guesses it from runtime frames, e.g. chanrecv)\n"
	"      --min-wait=D       only goroutines waiting at least D (debug=2 only):\n"
	"                         30s, 5m, 5min, 2h, or a number of minutes\n"
	"      --focus=RE         only groups with a function matching RE\n"
	"      --ignore=RE        drop groups with a function matching RE\n"
	"      --base=OLD         compare with the older dump OLD\n"
	"      --format=text|json output format (default text)\n"
	"  -o, --output=FILE      write to FILE instead of stdout\n"
	"      --max-size=BYTES   refuse inputs larger than this after inflating\n"
	"      --timeout=SECONDS, --no-gc   for URL inputs, as in 'drip top'\n"
	"  -h, --help             this help\n";

enum { OPT_MIN_COUNT = 256, OPT_STATE, OPT_MIN_WAIT, OPT_FOCUS, OPT_IGNORE, OPT_BASE, OPT_FORMAT, OPT_MAX_SIZE, OPT_TIMEOUT, OPT_NO_GC };

static const struct option long_opts[] = {
	{ "min-count", required_argument, NULL, OPT_MIN_COUNT },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "min-wait", required_argument, NULL, OPT_MIN_WAIT },
	{ "focus", required_argument, NULL, OPT_FOCUS },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "no-gc", no_argument, NULL, OPT_NO_GC },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct gopts {
	struct ggroup_select sel; /* --min-count, --min-wait, --state, --focus, --ignore */
	const char *base, *output;
	bool json;
};

/* "30s", "5m", "5min", "5minutes", "2h", "7" (minutes) -> minutes,
 * rounded up (debug=2 counts whole minutes). */
static int parse_wait(const char *s, int64_t *out)
{
	char *end;
	double v = strtod(s, &end);
	double mul = 1;

	if (end == s || v < 0)
		return -1;
	if (!*end || !strcmp(end, "m") || !strcmp(end, "min") || !strcmp(end, "minute") || !strcmp(end, "minutes"))
		mul = 1;
	else if (!strcmp(end, "s") || !strcmp(end, "sec") || !strcmp(end, "seconds"))
		mul = 1.0 / 60;
	else if (!strcmp(end, "h") || !strcmp(end, "hour") || !strcmp(end, "hours"))
		mul = 60;
	else
		return -1;
	v *= mul;
	if (v > 1e15)
		return -1;
	*out = (int64_t)v;
	if ((double)*out < v)
		(*out)++;
	return 0;
}

static struct profile *load_dump(const char *path, struct gdump *d, int64_t min_wait)
{
	struct profile *p = load_profile(path);

	if (!p)
		return NULL;
	if (!ggroup_is_goroutine(p)) {
		err_set("'%s' is not a goroutine profile (sample type '%s')", path, p->ntypes ? p->types[0].type : "");
		profile_free(p);
		return NULL;
	}
	if (gdump_build_filtered(p, d, min_wait) < 0) {
		err_prefix("'%s'", path);
		profile_free(p);
		return NULL;
	}
	return p;
}

int cmd_goroutines(int argc, char **argv)
{
	struct gopts o;
	struct output out;
	struct gdump od, nd;
	struct profile *op = NULL, *np = NULL;
	int c, rc = EXIT_OK;
	char *end;

	memset(&o, 0, sizeof(o));
	memset(&od, 0, sizeof(od));
	memset(&nd, 0, sizeof(nd));
	ggroup_select_init(&o.sel);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_MIN_COUNT: {
			long long v = strtoll(optarg, &end, 10);
			if (end == optarg || *end || v < 0) {
				fprintf(stderr, "drip goroutines: invalid value '%s' for --min-count\n", optarg);
				rc = EXIT_TROUBLE;
				goto done;
			}
			o.sel.min_count = v;
			break;
		}
		case OPT_STATE:
			if (ggroup_select_regex(&o.sel, GGROUP_RE_STATE, optarg) < 0) {
				fprintf(stderr, "drip goroutines: invalid regular expression '%s' for --state\n", optarg);
				rc = EXIT_TROUBLE;
				goto done;
			}
			break;
		case OPT_FOCUS:
			if (ggroup_select_regex(&o.sel, GGROUP_RE_FOCUS, optarg) < 0) {
				fprintf(stderr, "drip goroutines: invalid regular expression '%s' for --focus\n", optarg);
				rc = EXIT_TROUBLE;
				goto done;
			}
			break;
		case OPT_IGNORE:
			if (ggroup_select_regex(&o.sel, GGROUP_RE_IGNORE, optarg) < 0) {
				fprintf(stderr, "drip goroutines: invalid regular expression '%s' for --ignore\n", optarg);
				rc = EXIT_TROUBLE;
				goto done;
			}
			break;
		case OPT_MIN_WAIT:
			if (parse_wait(optarg, &o.sel.min_wait) < 0) {
				fprintf(stderr, "drip goroutines: invalid duration '%s' for --min-wait (e.g. 30s, 5m, 2h)\n",
					optarg);
				rc = EXIT_TROUBLE;
				goto done;
			}
			break;
		case OPT_BASE: o.base = optarg; break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "json"))
				o.json = true;
			else if (!strcmp(optarg, "text"))
				o.json = false;
			else {
				fprintf(stderr, "drip goroutines: unknown format '%s' (want text or json)\n", optarg);
				rc = EXIT_TROUBLE;
				goto done;
			}
			break;
		case 'o': o.output = optarg; break;
		case OPT_MAX_SIZE:
			if (opt_max_size("goroutines", optarg) < 0) {
				rc = EXIT_TROUBLE;
				goto done;
			}
			break;
		case OPT_TIMEOUT:
			if (opt_timeout("goroutines", optarg) < 0) {
				rc = EXIT_TROUBLE;
				goto done;
			}
			break;
		case OPT_NO_GC: fetch_set_gc(false); break;
		case 'h': fputs(usage, stdout); goto done;
		default:
			if (optopt && optopt < 256)
				fprintf(stderr, "drip goroutines: unknown option '-%c'\n", optopt);
			else
				fprintf(stderr, "drip goroutines: unknown or incomplete option '%s'\n", argv[optind - 1]);
			fprintf(stderr, "Try 'drip goroutines --help'.\n");
			rc = EXIT_TROUBLE;
			goto done;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "drip goroutines: %s\nTry 'drip goroutines --help'.\n",
			argc - optind < 1 ? "missing FILE" : "give one FILE (and the older dump with --base)");
		rc = EXIT_TROUBLE;
		goto done;
	}
	np = load_dump(argv[optind], &nd, o.sel.min_wait);
	if (!np || (o.base && !(op = load_dump(o.base, &od, o.sel.min_wait)))) {
		err_print();
		rc = EXIT_TROUBLE;
		goto done;
	}
	if (o.sel.min_wait >= 0 && (nd.format != PF_FORMAT_GOROUTINE_TEXT2 || (op && od.format != PF_FORMAT_GOROUTINE_TEXT2)))
		warnf("--min-wait: only debug=2 dumps have wait times; goroutines without one count as waiting 0 minutes");
	if (output_open(&out, o.output) < 0) {
		err_print();
		rc = EXIT_TROUBLE;
		goto done;
	}
	if (op)
		ggroup_write_diff(o.base, &od, argv[optind], &nd, &o.sel, o.json, out.f);
	else
		ggroup_write_report(argv[optind], &nd, &o.sel, o.json, out.f);
	if (output_close(&out, 1) < 0) {
		err_print();
		rc = EXIT_TROUBLE;
	}
done:
	gdump_free(&od);
	gdump_free(&nd);
	profile_free(op);
	profile_free(np);
	ggroup_select_release(&o.sel);
	return rc;
}
