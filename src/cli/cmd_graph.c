/* drip graph: pprof's -dot call graph, and SVG / PNG rendered in-process
 * through graphviz's libraries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "error.h"
#include "filter.h"
#include "load.h"
#include "merge.h"
#include "report_dot.h"
#include "options.h"
#include "output.h"
#include "session.h"
#include "xalloc.h"

static const struct popt_usage usage = {
	"graph", "[OPTIONS] FILE...",
	"Write the call graph of a profile: DOT identical to pprof -dot, or SVG / PNG\n"
	"rendered in-process with graphviz (no `dot` program needed).  Nodes show\n"
	"flat and cumulative values; edges their weight; dotted edges skip removed\n"
	"nodes.  Several FILEs are merged.  FILE may be '-' for stdin.  With\n"
	"--diff-base=BASE or --base=BASE, the graph of FILE - BASE, as pprof: red\n"
	"grew, green shrank; each node also shows BASE -> NEW.\n",
	NULL,
};

/* The base profile alone (merged, filtered like the inputs), for the
 * "BASE -> NEW" lines of a diff graph.  NULL with err_set() on failure. */
static struct profile *load_base(const struct ropts *o)
{
	const char *const *files = o->load.ndiff_base > 0 ? o->load.diff_base : o->load.base;
	int n = o->load.ndiff_base > 0 ? o->load.ndiff_base : o->load.nbase, i;
	struct profile **ps = xcalloc((size_t)n, sizeof(*ps)), *p = NULL;
	unsigned flags = o->load.all_frames ? LOAD_ALL_FRAMES : 0;

	for (i = 0; i < n; i++)
		if (!(ps[i] = load_profile_from(files[i], &o->load.src, flags)))
			goto done;
	if (n == 1) {
		p = ps[0];
		ps[0] = NULL;
	} else if (!(p = profile_merge(ps, (size_t)n))) {
		goto done;
	}
	if (filter_apply(p, &o->r.filter) < 0) {
		profile_free(p);
		p = NULL;
	}
done:
	for (i = 0; i < n; i++)
		profile_free(ps[i]);
	free(ps);
	return p;
}

static int cb_palette(const struct popt *opt, const char *arg, const char *cmd)
{
	if (strcmp(arg, "pprof") && strcmp(arg, "drip")) {
		fprintf(stderr, "drip %s: invalid value '%s' for --palette (want pprof or drip)\n", cmd, arg);
		return -1;
	}
	*(bool *)opt->value = !strcmp(arg, "drip");
	return 0;
}

int cmd_graph(int argc, char **argv)
{
	struct ropts o;
	struct profile *p = NULL, *base = NULL;
	struct report r;
	struct output out;
	const char *format;
	int first, rc = EXIT_TROUBLE;
	char *dot = NULL;
	size_t len = 0;
	FILE *m = NULL;

	struct popt opts[] = {
		POPT_GROUP("Graph options:"),
		POPT_STRING(0, "format", &o.format, "dot|svg|png", "output format (default dot; png needs graphviz's\ncairo plugin; for svg and png each label line is\ncut at 240 bytes and each label at 32 lines)"),
		POPT_BOOL(0, "call-tree", &o.r.call_tree, "a tree: one node per distinct call path"),
		POPT_STRING(0, "title", &o.r.title, "TEXT", "graph name (default: the profile's binary)"),
		POPT_GROUP(RG_SAMPLE), ROPTS_SAMPLE(&o), ROPTS_GRAN(&o),
		POPT_GROUP(RG_TRIM), ROPTS_SORT(&o), ROPTS_TRIM(&o), ROPTS_DROP_NEGATIVE(&o),
		POPT_GROUP(RG_FILTER), ROPTS_FILTER(&o), ROPTS_RELPCT(&o), ROPTS_ALL_FRAMES(&o),
		POPT_GROUP(RG_COMPARE), ROPTS_BASES(&o), ROPTS_NORMALIZE(&o),
		POPT_CALLBACK(0, "palette", &o.r.drip_palette, "pprof|drip", "colours of change: pprof's red/green (default,\n"
			      "the DOT byte for byte pprof's) or drip's red/blue", cb_palette),
		POPT_GROUP(RG_OUTPUT), ROPTS_UNIT(&o), ROPTS_ADD_COMMENT(&o), ROPTS_OUTPUT(&o),
		ROPTS_VERBOSE(&o),
		POPT_GROUP(RG_INPUT), ROPTS_INPUT(&o), ROPTS_PPROF_IGNORED,
		POPT_END(),
	};

	ropts_init(&o);
	first = ropts_parse(&o, argc, argv, opts, &usage);
	if (first == -2)
		return EXIT_OK;
	if (first < 0)
		return EXIT_TROUBLE;
	format = o.format ? o.format : "dot";
	if (strcmp(format, "dot") != 0 && strcmp(format, "svg") != 0 && strcmp(format, "png") != 0) {
		fprintf(stderr, "drip graph: unknown format '%s' (dot, svg, png)\nTry 'drip graph --help'.\n", format);
		goto done;
	}
	if (first >= argc) {
		fprintf(stderr, "drip graph: missing FILE\nTry 'drip graph --help'.\n");
		goto done;
	}
	if (strcmp(format, "dot") != 0 && !render_has_format(format)) {
		err_set("cannot render '%s': graphviz's %s plugin is not available", format,
			strcmp(format, "png") == 0 ? "cairo (libgvplugin_pango)" : "core");
		err_print();
		goto done;
	}
	if (o.r.nodecount < 0)
		o.r.nodecount = 80;
	p = session_load((const char *const *)argv + first, argc - first, &o.load, &o.r);
	if (!p || report_init(&r, p, &o.r) < 0) {
		err_print();
		goto done;
	}
	if ((o.load.ndiff_base > 0 || o.load.nbase > 0) && !(base = load_base(&o))) {
		err_print();
		goto done;
	}
	if (output_open(&out, o.output) < 0) {
		err_print();
		goto done;
	}
	if (strcmp(format, "dot") == 0) {
		if (report_dot_diff(&r, base, out.f) < 0)
			goto fail;
	} else {
		m = open_memstream(&dot, &len);
		if (!m) {
			err_set("out of memory");
			goto fail;
		}
		if (report_dot_diff(&r, base, m) < 0)
			goto fail;
		fclose(m);
		m = NULL;
		if (render_graph(dot, len, format, out.f) < 0)
			goto fail;
	}
	if (output_close(&out, 1) < 0) {
		err_print();
		goto done;
	}
	rc = EXIT_OK;
	goto done;
fail:
	output_report(&out);
	output_close(&out, 0);
done:
	if (m)
		fclose(m);
	free(dot);
	profile_free(base);
	profile_free(p);
	ropts_release(&o);
	return rc;
}
