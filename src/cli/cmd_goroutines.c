/* drip goroutines: a goroutine profile (proto, debug=1 or debug=2) as
 * groups of goroutines with the same stack and state; with --base, how
 * each group changed between two dumps. */
#include <getopt.h>
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "error.h"
#include "json.h"
#include "fetch.h"
#include "ggroup.h"
#include "hash.h"
#include "input.h"
#include "load.h"
#include "options.h"
#include "output.h"
#include "session.h"
#include "strtab.h"
#include "xalloc.h"

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
	int64_t min_count;
	int64_t min_wait; /* minutes; -1 = none */
	bool has_state, has_focus, has_ignore;
	regex_t state, focus, ignore;
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

static bool group_matches(const struct ggroup *g, const regex_t *re)
{
	size_t i;

	for (i = 0; i < g->nframes; i++)
		if (regexec(re, g->frames[i].func, 0, NULL, 0) == 0)
			return true;
	return false;
}

/* Keep a group?  (--state, --focus, --ignore; --min-wait is applied to
 * goroutines before grouping.) */
static bool keep_group(const struct ggroup *g, const struct gopts *o)
{
	if (o->has_state && regexec(&o->state, g->blocks ? g->blocks : "", 0, NULL, 0) != 0)
		return false;
	if (o->has_focus && !group_matches(g, &o->focus))
		return false;
	if (o->has_ignore && group_matches(g, &o->ignore))
		return false;
	return true;
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

static const char *format_label(enum pf_format f)
{
	switch (f) {
	case PF_FORMAT_PPROF: return "proto";
	case PF_FORMAT_GOROUTINE_TEXT1: return "debug=1";
	case PF_FORMAT_GOROUTINE_TEXT2: return "debug=2";
	default: return "other";
	}
}

static void print_group_text(const struct ggroup *g, FILE *f)
{
	char w[64];
	size_t i;

	ggroup_format_wait(g, w, sizeof(w));
	fprintf(f, "%" PRId64 " goroutine%s", g->count, g->count == 1 ? "" : "s");
	if (g->state)
		fprintf(f, " [%s%s%s]", g->state, *w ? ", " : "", w);
	else if (g->blocks)
		fprintf(f, " [%s?]", g->blocks);
	if (g->leaked)
		fputs(" LEAKED (proven)", f);
	fprintf(f, ": %s\n", g->name);
	if (g->ncreators == 1)
		fprintf(f, "  created by %s\n", g->created_by);
	else if (g->ncreators > 1) {
		fprintf(f, "  created by");
		for (i = 0; i < g->ncreators; i++)
			fprintf(f, "%s %s (%" PRId64 ")", i ? "," : "", g->creators[i].func, g->creators[i].count);
		fputc('\n', f);
	}
	if (g->locked)
		fprintf(f, "  locked to thread: %" PRId64 "\n", g->locked);
	if (*g->labels)
		fprintf(f, "  labels: %s\n", g->labels);
	for (i = 0; i < g->nframes; i++) {
		const struct gframe *fr = &g->frames[i];
		if (*fr->file)
			fprintf(f, "    %s\n        %s:%" PRId64 "\n", fr->func, fr->file, fr->line);
		else
			fprintf(f, "    %s\n", fr->func);
	}
}

static void print_group_json(const struct ggroup *g, FILE *f)
{
	size_t i;

	fprintf(f, "{\"count\":%" PRId64 ",\"name\":", g->count);
	json_escape(f, g->name);
	fprintf(f, ",\"state\":");
	if (g->state)
		json_escape(f, g->state);
	else
		fputs("null", f);
	fprintf(f, ",\"blocks\":");
	if (g->blocks)
		json_escape(f, g->blocks);
	else
		fputs("null", f);
	if (g->has_wait)
		fprintf(f, ",\"wait_minutes\":{\"min\":%" PRId64 ",\"max\":%" PRId64 "}", g->wait_min, g->wait_max);
	else
		fputs(",\"wait_minutes\":null", f);
	fprintf(f, ",\"created_by\":");
	if (g->created_by)
		json_escape(f, g->created_by);
	else
		fputs("null", f);
	fprintf(f, ",\"creators\":[");
	for (i = 0; i < g->ncreators; i++) {
		fprintf(f, "%s{\"function\":", i ? "," : "");
		json_escape(f, g->creators[i].func);
		fprintf(f, ",\"count\":%" PRId64 "}", g->creators[i].count);
	}
	fprintf(f, "],\"locked\":%" PRId64 ",\"leaked\":%s,\"labels\":", g->locked, g->leaked ? "true" : "false");
	json_escape(f, g->labels);
	fprintf(f, ",\"frames\":[");
	for (i = 0; i < g->nframes; i++) {
		fprintf(f, "%s{\"function\":", i ? "," : "");
		json_escape(f, g->frames[i].func);
		fprintf(f, ",\"file\":");
		json_escape(f, g->frames[i].file);
		fprintf(f, ",\"line\":%" PRId64 "}", g->frames[i].line);
	}
	fprintf(f, "]}");
}

static void report_one(const char *path, const struct gdump *d, const struct gopts *o, FILE *f)
{
	size_t i, shown = 0;
	int64_t shown_count = 0;

	for (i = 0; i < d->ngroups; i++)
		if (d->groups[i].count >= o->min_count && keep_group(&d->groups[i], o)) {
			shown++;
			shown_count += d->groups[i].count;
		}
	if (o->json) {
		bool first = true;
		fprintf(f, "{\"schema\":\"drip.goroutines/1\",\"file\":");
		json_escape(f, path);
		fprintf(f, ",\"format\":\"%s\",\"kind\":\"%s\",\"total\":%" PRId64 ",\"leaked\":%" PRId64
			   ",\"groups_total\":%zu,\"shown\":%" PRId64 ",\"groups\":[",
			format_label(d->format), d->leakprof ? "goroutineleak" : "goroutine", d->total, d->leaked,
			d->ngroups, shown_count);
		for (i = 0; i < d->ngroups; i++) {
			const struct ggroup *g = &d->groups[i];
			if (g->count < o->min_count || !keep_group(g, o))
				continue;
			if (!first)
				fputc(',', f);
			first = false;
			print_group_json(g, f);
		}
		fprintf(f, "]}\n");
		return;
	}
	fprintf(f, "File: %s\n", path);
	fprintf(f, "Format: %s %s\n", d->leakprof ? "goroutineleak" : "goroutine", format_label(d->format));
	if (d->leakprof || d->leaked)
		fprintf(f, "Leaked: %" PRId64 " goroutine%s proven leaked by the runtime (they can never run again)\n",
			d->leaked, d->leaked == 1 ? "" : "s");
	if (o->min_wait >= 0)
		fprintf(f, "Goroutines: %" PRId64 "; waiting at least %" PRId64 " minutes: %" PRId64 " in %zu group%s\n",
			d->total, o->min_wait, shown_count, shown, shown == 1 ? "" : "s");
	else if (shown != d->ngroups)
		fprintf(f, "Goroutines: %" PRId64 " in %zu groups; showing %" PRId64 " in %zu\n", d->total, d->ngroups,
			shown_count, shown);
	else
		fprintf(f, "Goroutines: %" PRId64 " in %zu group%s\n", d->total, d->ngroups, d->ngroups == 1 ? "" : "s");
	for (i = 0; i < d->ngroups; i++) {
		const struct ggroup *g = &d->groups[i];
		if (g->count < o->min_count || !keep_group(g, o))
			continue;
		fputc('\n', f);
		print_group_text(g, f);
	}
}

/* --base: groups of both dumps summed per matching key. */
struct brow {
	const char *key;
	const struct ggroup *rep; /* a group showing the row's stack */
	int64_t old, cnt;
	bool keep;
};

static int cmp_brow(const void *a, const void *b)
{
	const struct brow *x = a, *y = b;
	int64_t dx = x->cnt - x->old, dy = y->cnt - y->old;
	int64_t ax = dx < 0 ? -dx : dx, ay = dy < 0 ? -dy : dy;
	int c;

	if (ax != ay)
		return ax > ay ? -1 : 1;
	if (dx != dy)
		return dx > dy ? -1 : 1;
	if (x->cnt != y->cnt)
		return x->cnt > y->cnt ? -1 : 1;
	if ((c = strcmp(x->rep->name, y->rep->name)) != 0)
		return c;
	return strcmp(x->key, y->key);
}

static void print_chain(const struct ggroup *g, FILE *f, bool json)
{
	/* the matching key's functions: non-runtime frames, leaf first */
	const char *s = g->mkey;
	bool first = true;

	while (*s) {
		const char *e = strchr(s, '\x1e');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (json) {
			char *t = xstrndup(s, n);
			fputs(first ? "" : ",", f);
			json_escape(f, t);
			free(t);
		} else {
			fprintf(f, "%s%.*s", first ? "" : " < ", (int)n, s);
		}
		first = false;
		s += n;
		if (*s)
			s++;
	}
}

static void report_base(const char *opath, const struct gdump *od, const char *npath, const struct gdump *nd,
			const struct gopts *o, FILE *f)
{
	bool st = od->has_state && nd->has_state, lb = od->has_labels && nd->has_labels;
	struct u64map idx = U64MAP_INIT;
	struct brow *rows = NULL;
	size_t nrows = 0, cap = 0, i, pass;
	int64_t oldt = 0, newt = 0;

	for (pass = 0; pass < 2; pass++) {
		const struct gdump *d = pass ? nd : od;
		for (i = 0; i < d->ngroups; i++) {
			const struct ggroup *g = &d->groups[i];
			const char *k = ggroup_match_key(g, st, lb);
			int ins;
			uint64_t *slot = u64map_put(&idx, (uint64_t)(uintptr_t)k, 0, &ins);
			if (ins) {
				xgrow(&rows, &cap, nrows + 1, sizeof(*rows));
				memset(&rows[nrows], 0, sizeof(*rows));
				rows[nrows].key = k;
				rows[nrows].rep = g;
				*slot = nrows++;
			}
			if (pass)
				rows[*slot].cnt += g->count;
			else
				rows[*slot].old += g->count;
			/* a row is shown when any of its groups passes the filters */
			if (keep_group(g, o))
				rows[*slot].keep = true;
		}
	}
	for (i = 0; i < nrows; i++) {
		struct brow *r = &rows[i];
		if (r->old < o->min_count && r->cnt < o->min_count)
			r->keep = false;
		if (r->keep) {
			oldt += r->old;
			newt += r->cnt;
		}
	}
	if (nrows)
		qsort(rows, nrows, sizeof(*rows), cmp_brow);
	if (o->json) {
		bool first = true;
		fprintf(f, "{\"schema\":\"drip.goroutines-diff/1\",\"base\":");
		json_escape(f, opath);
		fprintf(f, ",\"file\":");
		json_escape(f, npath);
		fprintf(f, ",\"base_format\":\"%s\",\"format\":\"%s\",\"base_total\":%" PRId64 ",\"total\":%" PRId64
			   ",\"matched_on_state\":%s,\"matched_on_labels\":%s,\"groups\":[",
			format_label(od->format), format_label(nd->format), od->total, nd->total, st ? "true" : "false",
			lb ? "true" : "false");
		for (i = 0; i < nrows; i++) {
			const struct brow *r = &rows[i];
			if (!r->keep)
				continue;
			fprintf(f, "%s{\"base\":%" PRId64 ",\"count\":%" PRId64 ",\"delta\":%" PRId64 ",\"name\":",
				first ? "" : ",", r->old, r->cnt, r->cnt - r->old);
			first = false;
			json_escape(f, r->rep->name);
			fprintf(f, ",\"state\":");
			if (st)
				json_escape(f, r->rep->state);
			else
				fputs("null", f);
			fprintf(f, ",\"labels\":");
			json_escape(f, lb ? r->rep->labels : "");
			fprintf(f, ",\"functions\":[");
			print_chain(r->rep, f, true);
			fprintf(f, "]}");
		}
		fprintf(f, "]}\n");
	} else {
		fprintf(f, "Base: %s (goroutine %s)\n", opath, format_label(od->format));
		fprintf(f, "File: %s (goroutine %s)\n", npath, format_label(nd->format));
		fprintf(f, "Goroutines: %" PRId64 " -> %" PRId64 " (%+" PRId64 ")\n", od->total, nd->total,
			nd->total - od->total);
		fprintf(f, "Matched on: functions%s%s\n\n", st ? ", state" : "", lb ? ", labels" : "");
		fprintf(f, "%7s %7s %7s  %-16s %s\n", "delta", "old", "new", "state", "stack (leaf < callers)");
		for (i = 0; i < nrows; i++) {
			const struct brow *r = &rows[i];
			char d[32];
			if (!r->keep)
				continue;
			snprintf(d, sizeof(d), "%+" PRId64, r->cnt - r->old);
			fprintf(f, "%7s %7" PRId64 " %7" PRId64 "  %-16s ", d, r->old, r->cnt,
				st ? r->rep->state : (r->rep->blocks ? r->rep->blocks : "-"));
			print_chain(r->rep, f, false);
			if (lb && *r->rep->labels)
				fprintf(f, " {%s}", r->rep->labels);
			fputc('\n', f);
		}
	}
	free(rows);
	u64map_release(&idx);
}

static int compile(regex_t *re, const char *s, const char *name)
{
	if (regcomp(re, s, REG_EXTENDED | REG_NOSUB) != 0) {
		fprintf(stderr, "drip goroutines: invalid regular expression '%s' for --%s\n", s, name);
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
	int c, rc = EXIT_OK;
	char *end;

	memset(&o, 0, sizeof(o));
	memset(&od, 0, sizeof(od));
	memset(&nd, 0, sizeof(nd));
	o.min_wait = -1;
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
			o.min_count = v;
			break;
		}
		case OPT_STATE:
			if (o.has_state)
				regfree(&o.state);
			o.has_state = false;
			if (compile(&o.state, optarg, "state") < 0) {
				rc = EXIT_TROUBLE;
				goto done;
			}
			o.has_state = true;
			break;
		case OPT_FOCUS:
			if (o.has_focus)
				regfree(&o.focus);
			o.has_focus = false;
			if (compile(&o.focus, optarg, "focus") < 0) {
				rc = EXIT_TROUBLE;
				goto done;
			}
			o.has_focus = true;
			break;
		case OPT_IGNORE:
			if (o.has_ignore)
				regfree(&o.ignore);
			o.has_ignore = false;
			if (compile(&o.ignore, optarg, "ignore") < 0) {
				rc = EXIT_TROUBLE;
				goto done;
			}
			o.has_ignore = true;
			break;
		case OPT_MIN_WAIT:
			if (parse_wait(optarg, &o.min_wait) < 0) {
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
	np = load_dump(argv[optind], &nd, o.min_wait);
	if (!np || (o.base && !(op = load_dump(o.base, &od, o.min_wait)))) {
		err_print();
		rc = EXIT_TROUBLE;
		goto done;
	}
	if (o.min_wait >= 0 && (nd.format != PF_FORMAT_GOROUTINE_TEXT2 || (op && od.format != PF_FORMAT_GOROUTINE_TEXT2)))
		warnf("--min-wait: only debug=2 dumps have wait times; goroutines without one count as waiting 0 minutes");
	if (output_open(&out, o.output) < 0) {
		err_print();
		rc = EXIT_TROUBLE;
		goto done;
	}
	if (op)
		report_base(o.base, &od, argv[optind], &nd, &o, out.f);
	else
		report_one(argv[optind], &nd, &o, out.f);
	if (output_close(&out, 1) < 0) {
		err_print();
		rc = EXIT_TROUBLE;
	}
done:
	gdump_free(&od);
	gdump_free(&nd);
	profile_free(op);
	profile_free(np);
	if (o.has_state)
		regfree(&o.state);
	if (o.has_focus)
		regfree(&o.focus);
	if (o.has_ignore)
		regfree(&o.ignore);
	return rc;
}
