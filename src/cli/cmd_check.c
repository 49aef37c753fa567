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

static const char usage[] =
	"usage: drip check [OPTIONS] --base=BASE NEW... [RULES]\n"
	"   or: drip check [OPTIONS] BASE NEW [RULES]\n"
	"Fail (exit 1) when NEW grew past the rules compared with BASE; exit 0 when\n"
	"every rule holds, 2 on trouble.  Several files on a side are merged.\n\n"
	"Rules (each may be repeated; LIMIT is a percentage of the base, a size such\n"
	"as 50MB, or a number in the sample type's unit):\n"
	"      --max-growth=LIMIT     total growth of the selected sample type\n"
	"      --max-node-growth=LIMIT  growth of any single node (function, ...)\n"
	"      --max-new-site=LIMIT   a node absent from BASE with more than LIMIT\n"
	"      --max-goroutines=N|+N|+P%%  goroutine count, or its growth\n"
	"      --max-leaked-goroutines=N  goroutines NEW proves leaked: all of a\n"
	"                             goroutineleak profile, those marked (leaked) in\n"
	"                             a debug=2 dump\n"
	"      --rules=FILE           rules from FILE, one a line ('max-growth 10%%'),\n"
	"                             each optionally followed by focus=RE ignore=RE;\n"
	"                             '#' starts a comment\n"
	"      --min-growth=SIZE      growth up to SIZE never breaks a rule (default:\n"
	"                             4 sampling periods for heap profiles, else 0)\n"
	"With no rule, the default is --max-growth=10%% (and --max-leaked-goroutines=0\n"
	"when NEW marks leaked goroutines); for a goroutineleak NEW, it is\n"
	"--max-leaked-goroutines=0.  --focus / --ignore scope every\n"
	"rule; one rule is scoped by quoting: '--max-node-growth=1MB focus=^main\\.'.\n"
	"-i selects the sample type (heap default: inuse_space).\n"
	"Output: --format=text (default), json (drip.check/1), junit (JUnit XML, one\n"
	"test case per rule) or github (workflow ::error annotations).\n"
	"      --html=FILE            also write the HTML report of the run to FILE:\n"
	"                             the verdict, rules and contributors, then the\n"
	"                             sections of `drip report --base=BASE NEW`\n\n";

static const char *const rule_opts[] = { "max-growth", "max-node-growth", "max-new-site", "max-goroutines",
					  "max-leaked-goroutines" };
#define NRULE_OPTS (sizeof(rule_opts) / sizeof(rule_opts[0]))

/* Take drip check's own options out of argv (into c / rules_files /
 * min_growth); the rest goes to ropts_parse.  Returns the new argc, or
 * -1 after printing a usage error. */
static int take_check_options(int argc, char **argv, char **rest, struct gate *c, const char ***files, int *nfiles,
			      const char **html)
{
	int i, n = 0;
	bool ended = false;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *name;
		size_t k, len;
		bool matched = false;

		if (i == 0 || ended || strncmp(a, "--", 2) != 0) {
			rest[n++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			ended = true;
			rest[n++] = argv[i];
			continue;
		}
		name = a + 2;
		len = strcspn(name, "=");
		if (len == 4 && strncmp(name, "html", 4) == 0) {
			if (name[len] == '=') {
				*html = name + len + 1;
			} else if (i + 1 < argc) {
				*html = argv[++i];
			} else {
				fprintf(stderr, "drip check: option '--html' needs a value\nTry 'drip check --help'.\n");
				return -1;
			}
			continue;
		}
		for (k = 0; k < NRULE_OPTS + 2; k++) {
			const char *opt = k < NRULE_OPTS ? rule_opts[k] : k == NRULE_OPTS ? "rules" : "min-growth";
			if (strlen(opt) != len || strncmp(name, opt, len) != 0)
				continue;
			matched = true;
			if (name[len] == '=') {
				val = name + len + 1;
			} else if (i + 1 < argc) {
				val = argv[++i];
			} else {
				fprintf(stderr, "drip check: option '--%s' needs a value\nTry 'drip check --help'.\n", opt);
				return -1;
			}
			if (k < NRULE_OPTS) {
				char *rule = xmalloc(strlen(opt) + strlen(val) + 2);
				sprintf(rule, "%s=%s", opt, val);
				if (gate_add_rule(c, rule) < 0) {
					free(rule);
					fprintf(stderr, "drip check: %s\nTry 'drip check --help'.\n", err_msg());
					return -1;
				}
				free(rule);
			} else if (k == NRULE_OPTS) {
				*files = xreallocarray(*files, (size_t)*nfiles + 1, sizeof(**files));
				(*files)[(*nfiles)++] = val;
			} else {
				c->min_growth_text = val;
			}
			break;
		}
		if (!matched)
			rest[n++] = argv[i];
	}
	rest[n] = NULL;
	return n;
}

int cmd_check(int argc, char **argv)
{
	struct gate c;
	struct ropts o;
	struct profile *p = NULL;
	struct output out;
	char **rest = xreallocarray(NULL, (size_t)argc + 1, sizeof(char *));
	const char **rule_files = NULL, **bases = NULL;
	char **news;
	const char *focus, *ignore, *html = NULL;
	int nrule_files = 0, nrest, first, i, nbases, nnews, rc = EXIT_TROUBLE, broken;
	enum { F_TEXT, F_JSON, F_JUNIT, F_GITHUB } format = F_TEXT;

	memset(&c, 0, sizeof(c));
	ropts_init(&o);
	nrest = take_check_options(argc, argv, rest, &c, &rule_files, &nrule_files, &html);
	if (nrest < 0)
		goto done;
	first = ropts_parse(&o, nrest, rest, usage);
	if (first == -2) {
		rc = EXIT_OK;
		goto done;
	}
	if (first < 0)
		goto done;
	for (i = 0; i < nrule_files; i++)
		if (gate_read_rules(&c, rule_files[i]) < 0) {
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
	if (o.load.nbase > 0 && o.load.ndiff_base > 0) {
		fprintf(stderr, "drip check: give the base with --base or --diff-base, not both\n");
		goto done;
	}
	if (o.load.nbase > 0 || o.load.ndiff_base > 0) {
		nbases = o.load.nbase > 0 ? o.load.nbase : o.load.ndiff_base;
		bases = xreallocarray(NULL, (size_t)nbases + 1, sizeof(*bases));
		memcpy(bases, o.load.nbase > 0 ? o.load.base : o.load.diff_base, (size_t)nbases * sizeof(*bases));
		news = rest + first;
		nnews = nrest - first;
	} else if (nrest - first == 2) {
		nbases = 1;
		bases = xreallocarray(NULL, 2, sizeof(*bases));
		bases[0] = rest[first];
		news = rest + first + 1;
		nnews = 1;
	} else {
		fprintf(stderr, "drip check: missing %s\nTry 'drip check --help'.\n",
			nrest - first == 0 ? "BASE and NEW" : "--base=BASE");
		goto done;
	}
	if (nnews == 0) {
		fprintf(stderr, "drip check: missing NEW\nTry 'drip check --help'.\n");
		goto done;
	}
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
	free(rest);
	free(rule_files);
	free(bases);
	ropts_release(&o);
	return rc;
}
