/* drip check: a CI gate on profile growth between a base and a new
 * snapshot.  Exit status 0 when every rule holds, 1 when one is broken,
 * 2 on trouble. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"
#include "cmd.h"
#include "cmd_html.h"
#include "error.h"
#include "options.h"
#include "output.h"
#include "session.h"
#include "xalloc.h"

static const struct popt_usage usage = {
	"check", "[OPTIONS] --base=BASE NEW... [RULES]\n[OPTIONS] BASE NEW [RULES]\n[OPTIONS] BASE... -- NEW... [RULES]",
	"Fail (exit 1) when NEW grew past the rules compared with BASE; exit 0 when\n"
	"every rule holds, 2 on trouble.  Several files on a side are merged.\n",
	"With no rule, the default is --max-growth=10% (and --max-leaked-goroutines=0\n"
	"when NEW marks leaked goroutines); for a goroutineleak NEW, it is\n"
	"--max-leaked-goroutines=0.  --focus / --ignore scope every\n"
	"rule; one rule is scoped by quoting: '--max-node-growth=1MB focus=^main\\.'.\n"
	"A broken rule lists its top contributors, each with its owner: the first\n"
	"frame on its path that is the program's own code (file:line at --lines),\n"
	"else the nearest caller outside its package ('called from').\n",
};

/* A rule option: "NAME=VALUE" to gate_add_rule (value: the gate). */
static int cb_rule(const struct popt *opt, const char *arg, const char *cmd)
{
	char *rule = xmalloc(strlen(opt->long_name) + strlen(arg) + 2);
	int r;

	sprintf(rule, "%s=%s", opt->long_name, arg);
	r = gate_add_rule(opt->value, rule);
	free(rule);
	if (r < 0) {
		fprintf(stderr, "drip %s: %s\nTry 'drip %s --help'.\n", cmd, err_msg(), cmd);
		return -1;
	}
	return 0;
}

struct strlist {
	const char **v;
	int n;
};

static int cb_append(const struct popt *opt, const char *arg, const char *cmd)
{
	struct strlist *l = opt->value;

	(void)cmd;
	l->v = xreallocarray(l->v, (size_t)l->n + 1, sizeof(*l->v));
	l->v[l->n++] = arg;
	return 0;
}

int cmd_check(int argc, char **argv)
{
	struct gate c;
	struct ropts o;
	struct profile *p = NULL;
	struct output out;
	struct strlist rule_files = { NULL, 0 };
	const char **bases = NULL;
	char **news;
	const char *focus, *ignore, *html = NULL;
	int first, i, nbases, nnews, rc = EXIT_TROUBLE, broken;
	enum { F_TEXT, F_JSON, F_JUNIT, F_GITHUB } format = F_TEXT;
	struct popt opts[] = {
		POPT_GROUP("Rules (each may be repeated; LIMIT is a percentage of the base, a size such\n"
			   "as 50MB, or a number in the sample type's unit):"),
		POPT_CALLBACK(0, "max-growth", &c, "LIMIT", "total growth of the selected sample type", cb_rule),
		POPT_CALLBACK(0, "max-node-growth", &c, "LIMIT", "growth of any single node (function, ...)", cb_rule),
		POPT_CALLBACK(0, "max-new-site", &c, "LIMIT", "a node absent from BASE with more than LIMIT", cb_rule),
		POPT_CALLBACK(0, "max-goroutines", &c, "N|+N|+P%", "goroutine count, or its growth", cb_rule),
		POPT_CALLBACK(0, "max-leaked-goroutines", &c, "N", "goroutines NEW proves leaked: all of a\n"
			      "goroutineleak profile, those marked (leaked) in\na debug=2 dump", cb_rule),
		POPT_CALLBACK(0, "rules", &rule_files, "FILE", "rules from FILE, one a line ('max-growth 10%'),\n"
			      "each optionally followed by focus=RE ignore=RE;\n'#' starts a comment", cb_append),
		POPT_STRING(0, "min-growth", &c.min_growth_text, "SIZE", "growth up to SIZE never breaks a rule (default:\n"
			    "4 sampling periods for heap profiles, else 0)"),
		POPT_GROUP(RG_SAMPLE), ROPTS_SAMPLE(&o), ROPTS_GRAN(&o),
		POPT_GROUP(RG_TRIM), ROPTS_SORT(&o),
		POPT_GROUP(RG_FILTER), ROPTS_FILTER(&o), ROPTS_ALL_FRAMES(&o),
		POPT_GROUP("Comparing (BASE may also be given as --diff-base or --base; repeatable):"),
		ROPTS_BASES(&o), ROPTS_NORMALIZE(&o),
		POPT_GROUP(RG_OUTPUT),
		POPT_STRING(0, "format", &o.format, "F", "text (default), json (drip.check/1), junit (JUnit\n"
			    "XML, one test case per rule) or github (workflow\n::error annotations)"),
		POPT_STRING(0, "html", &html, "FILE", "also write the HTML report of the run to FILE:\n"
			    "the verdict, rules and contributors, then the\nsections of `drip report --base=BASE NEW`"),
		ROPTS_COLOR(&o), ROPTS_OUTPUT(&o), ROPTS_VERBOSE(&o),
		POPT_GROUP(RG_INPUT), ROPTS_INPUT(&o),
		POPT_END(),
	};

	memset(&c, 0, sizeof(c));
	ropts_init(&o);
	first = ropts_parse(&o, argc, argv, opts, &usage);
	if (first == -2) {
		rc = EXIT_OK;
		goto done;
	}
	if (first < 0)
		goto done;
	for (i = 0; i < rule_files.n; i++)
		if (gate_read_rules(&c, rule_files.v[i]) < 0) {
			err_print();
			goto done;
		}
	if (!o.format || !strcmp(o.format, "text"))
		format = F_TEXT;
	else if (!strcmp(o.format, "json"))
		format = F_JSON;
	else if (!strcmp(o.format, "junit"))
		format = F_JUNIT;
	else if (!strcmp(o.format, "github"))
		format = F_GITHUB;
	else {
		fprintf(stderr, "drip check: unknown format '%s' (want text, json, junit or github)\n", o.format);
		goto done;
	}
	if (ropts_operands(&o, argc, argv, first, true, &bases, &nbases, &news, &nnews) < 0)
		goto done;
	/* compared as pprof's -diff_base; --focus/--ignore become each
	 * rule's default scope */
	ropts_release(&o);
	o.load.base = NULL;
	o.load.nbase = 0;
	o.load.diff_base = bases;
	o.load.ndiff_base = nbases;
	bases = NULL;
	focus = o.r.filter.focus;
	ignore = o.r.filter.ignore;
	o.r.filter.focus = o.r.filter.ignore = NULL;
	p = session_load((const char *const *)news, nnews, &o.load, &o.r);
	if (!p) {
		err_print();
		goto done;
	}
	o.r.filter.focus = focus;
	o.r.filter.ignore = ignore;
	broken = gate_run(&c, p, &o.r);
	if (broken < 0) {
		err_print();
		goto done;
	}
	if (html) {
		struct report_html_opts ho = { NULL, false, 0.01, 0 };
		if (report_html_file(html, (const char *const *)news, nnews, o.load.diff_base, o.load.ndiff_base, &o.r,
				     &o.load, &ho, &c) < 0) {
			err_print();
			goto done;
		}
	}
	if (output_open(&out, o.output) < 0) {
		err_print();
		goto done;
	}
	c.color = format == F_TEXT && color_wanted(o.color, out.f);
	switch (format) {
	case F_TEXT: gate_text(&c, o.load.diff_base, o.load.ndiff_base, (const char *const *)news, nnews, out.f); break;
	case F_JSON: gate_json(&c, o.load.diff_base, o.load.ndiff_base, (const char *const *)news, nnews, out.f); break;
	case F_JUNIT: gate_junit(&c, out.f); break;
	case F_GITHUB: gate_github(&c, out.f); break;
	}
	if (output_close(&out, 1) < 0) {
		err_print();
		goto done;
	}
	rc = broken ? EXIT_FINDING : EXIT_OK;
done:
	gate_release(&c);
	profile_free(p);
	free(rule_files.v);
	free(bases);
	ropts_release(&o);
	return rc;
}
