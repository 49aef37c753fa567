/* drip goroutines: a goroutine profile (proto, debug=1 or debug=2) as
 * groups of goroutines with the same stack and state; with --base, how
 * each group changed between two dumps.  The grouping is ggroup.h's,
 * the reports ggroup_report.h's: this file parses, loads and prints. */
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

static const struct popt_usage usage = {
	"goroutines", "[OPTIONS] FILE\n--base=OLD [OPTIONS] NEW",
	"Group the goroutines of a goroutine profile (pprof proto, debug=1 or\n"
	"debug=2 text) by stack (and state, from debug=2): count, state, wait\n"
	"time range, created-by, labels and the stack of each group, largest\n"
	"group first.  With --base, each group's change from OLD to NEW, groups\n"
	"matched by their non-runtime function names (and state and labels when\n"
	"both dumps have them), largest change first.  Goroutines the runtime\n"
	"proved leaked (every one of a goroutineleak profile, '(leaked)' in a\n"
	"debug=2 header) are marked LEAKED (proven), their groups first.  Labels\n"
	"come from the proto, the debug=1 '# labels:' lines and Go 1.27's debug=2\n"
	"headers; crash tracebacks (panic: ..., GOTRACEBACK=all/system) read too.\n",
	NULL,
};

struct gopts {
	struct ggroup_select sel; /* --min-count, --min-wait, --state, --focus, --ignore */
	const char *base, *output;
	bool json;
	enum color_mode color;    /* --color */
	struct source_opts src;   /* --max-size, --timeout, --no-gc */
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

static struct profile *load_dump(const char *path, const struct source_opts *so, struct gdump *d, int64_t min_wait)
{
	struct profile *p = load_profile_from(path, so, 0);

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

/* --state, --focus, --ignore (defval: which) into a ggroup_select. */
static int cb_regex(const struct popt *opt, const char *arg, const char *cmd)
{
	(void)cmd;
	if (ggroup_select_regex(opt->value, (int)opt->defval, arg) < 0) {
		err_prefix("invalid --%s regexp '%s'", opt->long_name, arg);
		err_print();
		return -1;
	}
	return 0;
}

static int cb_min_count(const struct popt *opt, const char *arg, const char *cmd)
{
	char *end;
	long long v = strtoll(arg, &end, 10);

	if (end == arg || *end || v < 0) {
		fprintf(stderr, "drip %s: invalid value '%s' for --min-count\n", cmd, arg);
		return -1;
	}
	((struct ggroup_select *)opt->value)->min_count = v;
	return 0;
}

static int cb_min_wait(const struct popt *opt, const char *arg, const char *cmd)
{
	if (parse_wait(arg, &((struct ggroup_select *)opt->value)->min_wait) < 0) {
		fprintf(stderr, "drip %s: invalid duration '%s' for --min-wait (e.g. 30s, 5m, 2h)\n", cmd, arg);
		return -1;
	}
	return 0;
}

static int cb_format(const struct popt *opt, const char *arg, const char *cmd)
{
	if (!strcmp(arg, "json"))
		*(bool *)opt->value = true;
	else if (!strcmp(arg, "text"))
		*(bool *)opt->value = false;
	else {
		fprintf(stderr, "drip %s: unknown format '%s' (want text or json)\n", cmd, arg);
		return -1;
	}
	return 0;
}

int cmd_goroutines(int argc, char **argv)
{
	struct gopts o;
	struct output out;
	struct gdump od, nd;
	struct profile *op = NULL, *np = NULL;
	int rc = EXIT_OK, first;
	struct popt opts[] = {
		POPT_GROUP("Selecting groups:"),
		POPT_CALLBACK(0, "min-count", &o.sel, "N", "only groups of at least N goroutines (with --base:\n"
			      "N in either dump)", cb_min_count),
		POPT_CALLBACK_DEF(0, "state", &o.sel, "RE", "only goroutines whose state matches RE (Go's regexp\n"
				  "syntax; proto and debug=1 dumps have no state:\n"
				  "drip guesses it from runtime frames, e.g. chanrecv)", cb_regex, GGROUP_RE_STATE),
		POPT_CALLBACK(0, "min-wait", &o.sel, "D", "only goroutines waiting at least D (debug=2 only):\n"
			      "30s, 5m, 5min, 2h, or a number of minutes", cb_min_wait),
		POPT_CALLBACK_DEF(0, "focus", &o.sel, "RE", "only groups with a function matching RE", cb_regex, GGROUP_RE_FOCUS),
		POPT_CALLBACK_DEF(0, "ignore", &o.sel, "RE", "drop groups with a function matching RE", cb_regex,
				  GGROUP_RE_IGNORE),
		POPT_GROUP("Comparing:"),
		POPT_STRING(0, "base", &o.base, "OLD", "compare with the older dump OLD"),
		POPT_GROUP(RG_OUTPUT),
		POPT_CALLBACK(0, "format", &o.json, "text|json", "output format (default text)", cb_format),
		ROPTS_COLOR(&o),
		POPT_STRING('o', "output", &o.output, "FILE", "write to FILE instead of stdout"),
		POPT_GROUP(RG_INPUT), POPT_SOURCE(&o.src),
		POPT_END(),
	};

	memset(&o, 0, sizeof(o));
	memset(&od, 0, sizeof(od));
	memset(&nd, 0, sizeof(nd));
	ggroup_select_init(&o.sel);
	first = parse_options(argc, argv, opts, &usage, ropts_known(), NULL);
	if (first == -2)
		goto done;
	if (first < 0) {
		rc = EXIT_TROUBLE;
		goto done;
	}
	if (argc - first != 1) {
		fprintf(stderr, "drip goroutines: %s\nTry 'drip goroutines --help'.\n",
			argc - first < 1 ? "missing FILE" : "give one FILE (and the older dump with --base)");
		rc = EXIT_TROUBLE;
		goto done;
	}
	np = load_dump(argv[first], &o.src, &nd, o.sel.min_wait);
	if (!np || (o.base && !(op = load_dump(o.base, &o.src, &od, o.sel.min_wait)))) {
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
	o.sel.color = color_wanted(o.color, out.f);
	if (op)
		ggroup_write_diff(o.base, &od, argv[first], &nd, &o.sel, o.json, out.f);
	else
		ggroup_write_report(argv[first], &nd, &o.sel, o.json, out.f);
	if (output_close(&out, 1) < 0) {
		err_print();
		rc = EXIT_TROUBLE;
	}
done:
	gdump_release(&od);
	gdump_release(&nd);
	profile_free(op);
	profile_free(np);
	ggroup_select_release(&o.sel);
	return rc;
}
