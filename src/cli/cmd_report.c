/* drip top | tree | peek | traces | tags: pprof's text reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "error.h"
#include "merge.h"
#include "report.h"
#include "report_json.h"
#include "options.h"
#include "output.h"
#include "session.h"

enum kind { K_TOP, K_TREE, K_PEEK, K_TRACES, K_TAGS };

static const struct popt_usage usages[] = {
	{ "top", "[OPTIONS] FILE...",
	  "Print the heaviest functions (pprof -top): flat and cumulative values with\n"
	  "percentages.  Several FILEs are merged.  FILE may be '-' for stdin.\n", NULL },
	{ "tree", "[OPTIONS] FILE...", "Print each node with its callers and callees (pprof -tree).\n", NULL },
	{ "peek", "[OPTIONS] REGEX FILE...",
	  "Print the callers and callees of the nodes matching REGEX (pprof -peek).\n", NULL },
	{ "traces", "[OPTIONS] FILE...",
	  "Print every sample's stack with its value and labels (pprof -traces).\n", NULL },
	{ "tags", "[OPTIONS] FILE...",
	  "Print the labels (tags) of the samples with their values (pprof -tags).\n", NULL },
};

/* The options each report honours: peek does not trim (pprof's peek
 * keeps every node), traces and tags draw no graph. */
static int parse(enum kind k, struct ropts *o, int argc, char **argv)
{
	struct popt top[] = {
		POPT_GROUP(RG_SAMPLE), ROPTS_SAMPLE(o), ROPTS_GRAN(o),
		POPT_GROUP(RG_TRIM), ROPTS_SORT(o), ROPTS_TRIM(o), ROPTS_DROP_NEGATIVE(o),
		POPT_GROUP(RG_FILTER), ROPTS_FILTER(o), ROPTS_RELPCT(o), ROPTS_ALL_FRAMES(o),
		POPT_GROUP(RG_COMPARE), ROPTS_BASES(o), ROPTS_NORMALIZE(o),
		POPT_GROUP(RG_OUTPUT),
		POPT_STRING(0, "format", &o->format, "text|json", "text (default), or json (drip.top/1, see docs/json.md)"),
		ROPTS_UNIT(o), ROPTS_COMPACT(o), ROPTS_ADD_COMMENT(o), ROPTS_OUTPUT(o), ROPTS_VERBOSE(o),
		POPT_GROUP(RG_INPUT), ROPTS_INPUT(o), ROPTS_PPROF_IGNORED,
		POPT_END(),
	};
	struct popt tree[] = {
		POPT_GROUP(RG_SAMPLE), ROPTS_SAMPLE(o), ROPTS_GRAN(o),
		POPT_GROUP(RG_TRIM), ROPTS_SORT(o), ROPTS_TRIM(o), ROPTS_DROP_NEGATIVE(o),
		POPT_GROUP(RG_FILTER), ROPTS_FILTER(o), ROPTS_RELPCT(o), ROPTS_ALL_FRAMES(o),
		POPT_GROUP(RG_COMPARE), ROPTS_BASES(o), ROPTS_NORMALIZE(o),
		POPT_GROUP(RG_OUTPUT),
		POPT_STRING(0, "format", &o->format, "text", "text, the only one"),
		ROPTS_UNIT(o), ROPTS_COMPACT(o), ROPTS_ADD_COMMENT(o), ROPTS_OUTPUT(o), ROPTS_VERBOSE(o),
		POPT_GROUP(RG_INPUT), ROPTS_INPUT(o), ROPTS_PPROF_IGNORED,
		POPT_END(),
	};
	struct popt peek[] = {
		POPT_GROUP(RG_SAMPLE), ROPTS_SAMPLE(o), ROPTS_GRAN(o),
		POPT_GROUP(RG_TRIM), ROPTS_SORT(o), ROPTS_DROP_NEGATIVE(o),
		POPT_GROUP(RG_FILTER), ROPTS_FILTER(o), ROPTS_RELPCT(o), ROPTS_ALL_FRAMES(o),
		POPT_GROUP(RG_COMPARE), ROPTS_BASES(o), ROPTS_NORMALIZE(o),
		POPT_GROUP(RG_OUTPUT),
		POPT_STRING(0, "format", &o->format, "text", "text, the only one"),
		ROPTS_UNIT(o), ROPTS_COMPACT(o), ROPTS_ADD_COMMENT(o), ROPTS_OUTPUT(o), ROPTS_VERBOSE(o),
		POPT_GROUP(RG_INPUT), ROPTS_INPUT(o), ROPTS_PPROF_IGNORED,
		POPT_END(),
	};
	struct popt traces[] = {
		POPT_GROUP(RG_SAMPLE), ROPTS_SAMPLE(o), ROPTS_GRAN(o),
		POPT_GROUP(RG_FILTER), ROPTS_FILTER(o), ROPTS_ALL_FRAMES(o),
		POPT_GROUP(RG_COMPARE), ROPTS_BASES(o), ROPTS_NORMALIZE(o),
		POPT_GROUP(RG_OUTPUT),
		POPT_STRING(0, "format", &o->format, "text", "text, the only one"),
		ROPTS_UNIT(o), ROPTS_ADD_COMMENT(o), ROPTS_OUTPUT(o), ROPTS_VERBOSE(o),
		POPT_GROUP(RG_INPUT), ROPTS_INPUT(o), ROPTS_PPROF_IGNORED,
		POPT_END(),
	};
	struct popt tags[] = {
		POPT_GROUP(RG_SAMPLE), ROPTS_SAMPLE(o),
		POPT_GROUP(RG_FILTER), ROPTS_FILTER(o), ROPTS_RELPCT(o), ROPTS_ALL_FRAMES(o),
		POPT_GROUP(RG_COMPARE), ROPTS_BASES(o), ROPTS_NORMALIZE(o),
		POPT_GROUP(RG_OUTPUT),
		POPT_STRING(0, "format", &o->format, "text", "text, the only one"),
		ROPTS_UNIT(o), ROPTS_OUTPUT(o), ROPTS_VERBOSE(o),
		POPT_GROUP(RG_INPUT), ROPTS_INPUT(o), ROPTS_PPROF_IGNORED,
		POPT_END(),
	};
	const struct popt *const tables[] = { top, tree, peek, traces, tags };

	return ropts_parse(o, argc, argv, tables[k], &usages[k]);
}

/* pprof merges even a single profile, summing samples with the same
 * stack and labels; traces prints samples one by one, so it must see
 * them merged too (the other reports only sum, so they need not). */
static struct profile *merge_single(struct profile *p)
{
	/* consumed: merged in place, in p's own arrays, with no fresh pages
	 * to fill (the copy's page faults were a tenth of traces' time) */
	struct profile *m = profile_merge_consume(&p, 1);

	if (!m)
		return p; /* cannot fail on a loaded profile; keep it as is */
	m->unfiltered_totals = p->unfiltered_totals;
	p->unfiltered_totals = NULL;
	profile_free(p);
	return m;
}

static int run(enum kind k, int argc, char **argv)
{
	struct ropts o;
	struct profile *p = NULL;
	struct report r;
	struct output out;
	const char *peek = NULL;
	int first, rc = EXIT_TROUBLE, ok;

	ropts_init(&o);
	first = parse(k, &o, argc, argv);
	if (first == -2)
		return EXIT_OK;
	if (first < 0)
		return EXIT_TROUBLE;
	if (k == K_PEEK) {
		if (first >= argc) {
			fprintf(stderr, "drip peek: missing REGEX\nTry 'drip peek --help'.\n");
			goto done;
		}
		peek = argv[first++];
		/* pprof's peek does not trim */
		o.r.nodecount = 0;
		o.r.nodefraction = 0;
		o.r.edgefraction = 0;
	}
	if (first >= argc) {
		fprintf(stderr, "drip %s: missing FILE\nTry 'drip %s --help'.\n", argv[0], argv[0]);
		goto done;
	}
	if (o.format && strcmp(o.format, "text") != 0 && !(k == K_TOP && strcmp(o.format, "json") == 0)) {
		fprintf(stderr, "drip %s: unknown format '%s' (want text%s)\n", argv[0], o.format,
			k == K_TOP ? " or json" : "");
		goto done;
	}
	if (k == K_TREE && o.r.nodecount < 0)
		o.r.nodecount = 80;
	p = session_load((const char *const *)argv + first, argc - first, &o.load, &o.r);
	if (p && k == K_TRACES && argc - first == 1 && !o.load.ndiff_base && !o.load.nbase)
		p = merge_single(p);
	if (!p || report_init(&r, p, &o.r) < 0) {
		err_print();
		goto done;
	}
	if (output_open(&out, o.output) < 0) {
		err_print();
		goto done;
	}
	switch (k) {
	case K_TOP:
		if (o.format && strcmp(o.format, "json") == 0)
			ok = report_top_json(&r, (const char *const *)argv + first, argc - first, out.f);
		else
			ok = report_top(&r, out.f);
		break;
	case K_TREE: ok = report_tree(&r, NULL, out.f); break;
	case K_PEEK: ok = report_tree(&r, peek, out.f); break;
	case K_TRACES: ok = report_traces(&r, out.f); break;
	case K_TAGS: ok = report_tags(&r, out.f); break;
	default: ok = -1; break;
	}
	if (ok < 0) {
		err_print();
		output_close(&out, 0);
		goto done;
	}
	if (output_close(&out, 1) < 0) {
		err_print();
		goto done;
	}
	rc = EXIT_OK;
done:
	profile_free(p);
	ropts_release(&o);
	return rc;
}

int cmd_top(int argc, char **argv) { return run(K_TOP, argc, argv); }
int cmd_tree(int argc, char **argv) { return run(K_TREE, argc, argv); }
int cmd_peek(int argc, char **argv) { return run(K_PEEK, argc, argv); }
int cmd_traces(int argc, char **argv) { return run(K_TRACES, argc, argv); }
int cmd_tags(int argc, char **argv) { return run(K_TAGS, argc, argv); }
