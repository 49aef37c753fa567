/* drip leaks: what keeps growing across a series of snapshots (heap
 * profiles: allocation sites; goroutine profiles: groups of goroutines),
 * with a trend per site, a verdict, and the suspects ranked.  Exit
 * status 1 when there is a suspect.  The analysis is the leaks engine
 * (src/lib/leaks.h): the snapshots stream through it, one loaded at a
 * time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "cmd_leaks.h"
#include "error.h"
#include "fetch.h"
#include "leaks.h"
#include "leaks_join.h"
#include "leaks_openmetrics.h"
#include "load.h"
#include "options.h"
#include "output.h"
#include "snapdir.h"
#include "xalloc.h"

static const struct popt_usage usage = {
	"leaks", "[OPTIONS] FILE FILE...\n[OPTIONS] DIR...   (folders that drip watch --dir wrote)",
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
	"is one, 0 when there is none.  At a sampling rate, a line per site gives\n"
	"its sampled object counts and how likely their gains and losses are under\n"
	"healthy churn (--max-p).  A CPU profile, or the same file twice, is refused.\n"
	"A library allocation site names its owner: the first frame of the program's\n"
	"own code on its paths ('allocated for'), else the nearest caller outside its\n"
	"package ('called from'), with file:line when sites are finer than functions.\n"
	"Over heap debug=1 texts, the runtime's MemStats (HeapInuse, HeapObjects, Sys,\n"
	"NumGC) under the totals, the share of HeapInuse profiled, and a warning for\n"
	"a snapshot taken with no GC since the one before (stale in-use numbers).\n"
	"Under the table, a key to its words (growing, noisy, flat, floor, R², t).\n"
	"Goroutines the runtime proved leaked (a goroutineleak profile, or '(leaked)'\n"
	"in a debug=2 header) need no trend: one such snapshot is enough (exit 1 when\n"
	"it has any, 0 when not), and over a series the groups with proven leaks in\n"
	"the last snapshot are ranked first.  Heap and goroutine profiles of one\n"
	"service may be given together: each kind is its own series, reported as\n"
	"if alone, then joined: each growing goroutine group with the heap sites\n"
	"growing in step with it (correlation r >= 0.8 over the snapshots taken\n"
	"at the same time) that share a function with its stack or creator (a\n"
	"closure F.func1 counts as F; runtime.malg: the goroutines' own records),\n"
	"and the heap cost per leaked goroutine.  A folder's heap and goroutine\n"
	"targets of one service are joined too.  Goroutine and goroutineleak\n"
	"profiles together are refused.  One snapshot is in memory at a time:\n"
	"each is reduced to its sites' values and freed before the next.\n",
	NULL,
};

/* --min-growth-pct, --min-t, --min-late (defval: the maximum) and
 * --min-z: a number from 0 to the maximum. */
static int cb_frac(const struct popt *opt, const char *arg, const char *cmd)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || !(v >= 0) || v > (double)opt->defval) {
		fprintf(stderr, "drip %s: invalid value '%s' for --%s\n", cmd, arg, opt->long_name);
		return -1;
	}
	*(double *)opt->value = v;
	return 0;
}

/* --min-t sets both t thresholds (value: the leaks_opts). */
static int cb_min_t(const struct popt *opt, const char *arg, const char *cmd)
{
	struct leaks_opts *o = opt->value;
	struct popt t = *opt;

	t.value = &o->rules.min_t;
	if (cb_frac(&t, arg, cmd) < 0)
		return -1;
	o->rules.min_t_sampled = o->rules.min_t;
	return 0;
}

/* --format (value: the leaks_cli) */
static int cb_format(const struct popt *opt, const char *arg, const char *cmd)
{
	struct leaks_cli *c = opt->value;

	c->json = c->openmetrics = false;
	if (!strcmp(arg, "json"))
		c->json = true;
	else if (!strcmp(arg, "openmetrics"))
		c->openmetrics = true;
	else if (strcmp(arg, "text") != 0) {
		fprintf(stderr, "drip %s: unknown format '%s' (want text, json or openmetrics)\n", cmd, arg);
		return -1;
	}
	return 0;
}

/* --max-series: 0 to a million */
static int cb_max_series(const struct popt *opt, const char *arg, const char *cmd)
{
	char *end;
	long long v = strtoll(arg, &end, 10);

	if (end == arg || *end || v < 0 || v > 1000000) {
		fprintf(stderr, "drip %s: invalid value '%s' for --%s\n", cmd, arg, opt->long_name);
		return -1;
	}
	*(size_t *)opt->value = (size_t)v;
	return 0;
}

int leaks_cli_parse(struct leaks_cli *c, int argc, char **argv)
{
	struct popt opts[] = {
		POPT_GROUP(RG_SAMPLE),
		POPT_STRING('i', "sample-index", &c->o.types, "T[,T...]", "sample types (heap default inuse_space,\n"
			    "inuse_objects); the first decides verdict and rank"),
		OPTS_GRAN_AT(&c->o.gran, &c->o.noinlines),
		POPT_SET_BOOL(0, "flat", &c->o.cum, 0, "heap: a site's flat value (default)"),
		POPT_SET_BOOL(0, "cum", &c->o.cum, 1, "heap: a site's cumulative value instead of flat"),
		POPT_STRING(0, "by", &c->o.by, "KEY", "a trend per value of the label KEY: every site\n"
			    "or group split by its samples' KEY (goroutine\n"
			    "labels, heap sample labels; '(none)' without it)"),
		POPT_GROUP("Verdicts:"),
		POPT_STRING(0, "min-growth", &c->o.min_growth, "V", "smallest growth first -> last that counts (10MB,\n"
			    "500kB, 3); default 64kB for heap bytes, 2\n"
			    "goroutines"),
		POPT_CALLBACK_DEF(0, "min-growth-pct", &c->o.min_growth_pct, "P", "smallest growth as a percentage of the last\n"
				  "snapshot's total (default 1)", cb_frac, 1000000000),
		POPT_CALLBACK_DEF(0, "min-t", &c->o, "T", "smallest t statistic of the slope (slope / its\n"
				  "standard error from the fit's residuals): how\n"
				  "steady the growth must be (default 4)", cb_min_t, 1000000000),
		POPT_CALLBACK_DEF(0, "min-late", &c->o.rules.min_late, "F", "smallest share of the growth in the later half of\n"
				  "the series (default 0.25)", cb_frac, 1),
		POPT_CALLBACK_DEF(0, "min-z", &c->o.rules.min_z, "Z", "heap: smallest slope over its standard error under\n"
				  "the sampling noise of Go heap profiles (default 3)", cb_frac, 1000000000),
		POPT_CALLBACK_DEF(0, "max-p", &c->o.rules.max_p, "P", "sampled heap profiles: largest probability under\n"
				  "healthy churn of the samples a site gained and\n"
				  "lost (default 0.02); see the man page", cb_frac, 1),
		POPT_GROUP(RG_FILTER),
		OPTS_FRAME_FILTERS_AT(&c->o.filter),
		POPT_GROUP(RG_OUTPUT),
		POPT_BOOL(0, "all", &c->render.all, "list every site, flat ones too (default: suspects\n"
			  "and the 10 largest noisy ones), text and JSON"),
		POPT_BOOL(0, "ascii", &c->render.ascii, "sparklines in ASCII (_.-:=+*#)"),
		ROPTS_COLOR(c),
		POPT_CALLBACK(0, "format", c, "text|json|openmetrics", "output format (default text); openmetrics:\n"
			      "the OpenMetrics text exposition of the last\n"
			      "snapshot and the trends (value, growth, slope per\n"
			      "second, verdict per site and sample type) for\n"
			      "Prometheus; folders give one exposition with a\n"
			      "target label per target", cb_format),
		POPT_CALLBACK(0, "max-series", &c->max_series, "N", "openmetrics: at most N sites per target (default\n"
			      "50, 0 no limit), alternately the next by growth and\n"
			      "by value; the rest summed into site=\"other\"", cb_max_series),
		POPT_STRING('o', "output", &c->output, "FILE", "write to FILE instead of stdout"),
		POPT_GROUP(RG_INPUT), POPT_SOURCE(&c->src),
		POPT_END(),
	};

	memset(c, 0, sizeof(*c));
	leaks_opts_init(&c->o);
	c->max_series = LEAKS_OM_MAX_SERIES;
	return parse_options(argc, argv, opts, &usage, ropts_known(), NULL);
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
	if (c->openmetrics) {
		struct leaks_om_target t = { c->target, &r, -1 };
		struct leaks_om_opts mo = { c->max_series };
		leaks_write_openmetrics(&t, 1, &mo, out.f);
	} else if (c->json) {
		leaks_write_json(&r, &c->render, out.f);
	} else {
		struct leaks_render_opts ro = c->render;
		ro.color = color_wanted(c->color, out.f);
		leaks_write_text(&r, &ro, out.f);
	}
	rc = r.nsuspects ? EXIT_FINDING : EXIT_OK;
	if (output_close(&out, 1) < 0) {
		err_print();
		rc = EXIT_TROUBLE;
	}
	leaks_result_release(&r);
	return rc;
}

/* Analyse one series into r, printing what went wrong. */
static int analyze(const struct leaks_series *s, struct leaks_result *r)
{
	int rc = leaks_analyze(s, r);

	if (rc == LEAKS_EMIN_GROWTH)
		fprintf(stderr, "drip leaks: %s\n", err_msg());
	else if (rc < 0)
		err_print();
	return rc;
}

static int report_joint(const struct leaks_cli *c, const struct leaks_series *heap, const struct leaks_series *gor,
			bool joined_only);

int leaks_cli_report_joint(const struct leaks_cli *c, const struct leaks_series *heap, const struct leaks_series *gor)
{
	return report_joint(c, heap, gor, false);
}

int leaks_cli_report_joined(const struct leaks_cli *c, const struct leaks_series *heap, const struct leaks_series *gor)
{
	return report_joint(c, heap, gor, true);
}

static int report_joint(const struct leaks_cli *c, const struct leaks_series *heap, const struct leaks_series *gor,
			bool joined_only)
{
	struct leaks_result rh, rg;
	struct leaks_joint jt;
	struct output out;
	int rc;

	if (leaks_series_len(heap) < 2) {
		fprintf(stderr, "drip: error: %zu heap profile beside %zu goroutine profile%s: a heap series needs two or "
				"more snapshots\n",
			leaks_series_len(heap), leaks_series_len(gor), leaks_series_len(gor) == 1 ? "" : "s");
		return EXIT_TROUBLE;
	}
	if (analyze(heap, &rh) < 0)
		return EXIT_TROUBLE;
	if (analyze(gor, &rg) < 0) {
		leaks_result_release(&rh);
		return EXIT_TROUBLE;
	}
	leaks_join(&rh, &rg, &jt);
	if (output_open(&out, c->output) < 0) {
		err_print();
		rc = EXIT_TROUBLE;
		goto out;
	}
	if (joined_only && !c->json) {
		leaks_joint_write_text(&jt, &rh, &rg, out.f);
	} else if (c->openmetrics) {
		struct leaks_om_target t[2] = { { "heap", &rh, -1 }, { "goroutine", &rg, -1 } };
		struct leaks_om_opts mo = { c->max_series };
		leaks_write_openmetrics(t, 2, &mo, out.f);
	} else if (c->json) {
		leaks_write_joint_json(&rh, &rg, &jt, &c->render, out.f);
	} else {
		struct leaks_render_opts ro = c->render;
		ro.color = color_wanted(c->color, out.f);
		leaks_write_text(&rh, &ro, out.f);
		fputc('\n', out.f);
		leaks_write_text(&rg, &ro, out.f);
		fputc('\n', out.f);
		leaks_joint_write_text(&jt, &rh, &rg, out.f);
	}
	rc = rh.nsuspects || rg.nsuspects || jt.n ? EXIT_FINDING : EXIT_OK;
	if (output_close(&out, 1) < 0) {
		err_print();
		rc = EXIT_TROUBLE;
	}
out:
	leaks_joint_release(&jt);
	leaks_result_release(&rh);
	leaks_result_release(&rg);
	return rc;
}

int cmd_leaks(int argc, char **argv)
{
	int rc;

	/* Folders (drip watch --dir) become one run per target. */
	if ((rc = snapdir_leaks(argc, argv)) >= 0)
		return rc;
	return cmd_leaks_files(argc, argv, true);
}

int cmd_leaks_files(int argc, char **argv, bool refuse_copies)
{
	struct leaks_cli c;
	struct leaks_series *s, *ser[2] = { NULL, NULL };
	char **files[2];
	size_t nfiles[2] = { 0, 0 };
	int i, first, rc, firstkind = -1;

	first = leaks_cli_parse(&c, argc, argv);
	if (first < 0)
		return first == -2 ? EXIT_OK : EXIT_TROUBLE;
	/* files the user names: two copies of one snapshot are a mistake
	 * (a folder drip watch wrote, --format=openmetrics reads them here
	 * too, may hold a snapshot a server served twice) */
	c.o.refuse_copies = refuse_copies;
	for (i = first; i < argc; i++)
		if (snapdir_is_dir(argv[i]))
			c.o.refuse_copies = false;
	if (c.openmetrics && argc - first >= 1)
		return leaks_cli_openmetrics(&c, argc - first, argv + first);
	if (argc - first < 1) {
		fprintf(stderr, "drip leaks: give two or more snapshots (or one goroutineleak profile)\nTry 'drip leaks --help'.\n");
		return EXIT_TROUBLE;
	}
	/* The same file twice makes no series: say so rather than find
	 * "0 suspects". */
	for (i = first; i < argc; i++) {
		int k;
		char *ri = realpath(argv[i], NULL);
		for (k = first; ri && k < i; k++) {
			char *rk = realpath(argv[k], NULL);
			bool same = rk && strcmp(ri, rk) == 0;
			free(rk);
			if (same) {
				if (strcmp(argv[i], argv[k]) == 0)
					fprintf(stderr, "drip: error: '%s' is given twice: a series needs distinct snapshots\n",
						argv[i]);
				else
					fprintf(stderr, "drip: error: '%s' and '%s' are the same file: a series needs distinct snapshots\n",
						argv[k], argv[i]);
				free(ri);
				return EXIT_TROUBLE;
			}
		}
		free(ri);
	}
	files[0] = xcalloc((size_t)argc, sizeof(char *));
	files[1] = xcalloc((size_t)argc, sizeof(char *));
	/* One snapshot in memory at a time: each is reduced to the
	 * series' values and freed before the next is loaded.  Heap and
	 * goroutine profiles go to a series each (0: heap and others, 1:
	 * goroutines). */
	for (i = first; i < argc; i++) {
		struct profile *p = load_profile_from(argv[i], &c.src, 0);
		int k;
		if (p && !c.o.types && profile_kind(p) != PF_KIND_HEAP && profile_kind(p) != PF_KIND_GOROUTINE &&
		    profile_kind(p) != PF_KIND_GOROUTINELEAK) {
			/* a CPU (or other) profile: nothing to follow */
			struct buf tb = BUF_INIT;
			for (k = 0; k < (int)p->ntypes; k++)
				buf_printf(&tb, "%s%s/%s", k ? ", " : "", p->types[k].type, p->types[k].unit);
			fprintf(stderr,
				"drip: error: '%s' is not a heap or goroutine profile (sample types %s): drip leaks follows what "
				"keeps growing in heap or goroutine snapshots; -i TYPE follows one of its types anyway\n",
				argv[i], tb.data ? tb.data : "none");
			buf_release(&tb);
			profile_free(p);
			goto trouble;
		}
		if (!p) {
			err_print();
			goto trouble;
		}
		k = profile_kind(p) == PF_KIND_GOROUTINE || profile_kind(p) == PF_KIND_GOROUTINELEAK;
		if (firstkind < 0)
			firstkind = k;
		if (!ser[k]) {
			/* a second kind: its series keeps what leaks_join needs */
			struct leaks_opts o = c.o;
			o.frames = k != firstkind;
			ser[k] = leaks_series_new(&o);
		}
		files[k][nfiles[k]++] = argv[i];
		if (leaks_series_add(ser[k], p, argv[i]) < 0) {
			err_print();
			goto trouble;
		}
	}
	if (ser[0] && ser[1]) {
		/* both kinds: the first kind's series again, keeping its sites'
		 * functions this time (a single kind never pays for them) */
		struct leaks_opts o = c.o;
		size_t f;
		o.frames = true;
		leaks_series_free(ser[firstkind]);
		ser[firstkind] = leaks_series_new(&o);
		for (f = 0; f < nfiles[firstkind]; f++) {
			struct profile *p = load_profile_from(files[firstkind][f], &c.src, 0);
			if (!p || leaks_series_add(ser[firstkind], p, files[firstkind][f]) < 0) {
				err_print();
				goto trouble;
			}
		}
		rc = leaks_cli_report_joint(&c, ser[0], ser[1]);
		goto done;
	}
	s = ser[firstkind];
	if (leaks_series_len(s) == 1 && !leaks_series_goroutine(s)) {
		fprintf(stderr, "drip leaks: give two or more snapshots (one is enough only for a goroutineleak profile or a goroutine dump marking leaked goroutines)\nTry 'drip leaks --help'.\n");
		goto trouble;
	}
	rc = leaks_cli_report(&c, s);
	goto done;
trouble:
	rc = EXIT_TROUBLE;
done:
	leaks_series_free(ser[0]);
	leaks_series_free(ser[1]);
	free(files[0]);
	free(files[1]);
	return rc;
}
