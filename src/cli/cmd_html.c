/* drip report: one self-contained HTML page with the summary, top
 * tables, flame graph, call graph, diff and goroutine groups of the
 * inputs (src/lib/report_html.c writes it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_html.h"
#include "error.h"
#include "leaks.h"
#include "load.h"
#include "merge.h"
#include "options.h"
#include "output.h"
#include "report_html.h"
#include "session.h"
#include "xalloc.h"

static const struct popt_usage usage = {
	"report", "[OPTIONS] FILE...\n--base=BASE [OPTIONS] NEW...",
	"Write one self-contained HTML page (no network, inline script and style)\n"
	"about the profiles: a summary of every FILE (with totals over time for\n"
	"several), a top table per sample type (sortable, filterable; the rows of\n"
	"`drip top`), a flame graph (icicle, zoom, search, sandwich view), the call\n"
	"graph (`drip graph --format=svg`), for goroutine profiles the groups of\n"
	"`drip goroutines`, and for a series of three or more snapshots what keeps\n"
	"growing (`drip leaks`: verdicts, sparklines, trend charts and the reasons).\n"
	"Several FILEs are a series: the tables and graphs show the newest (by\n"
	"profile time, else the last named) unless --merge.  With --base (or\n"
	"--diff-base), the tables are `drip diff BASE NEW`'s and the flame and call\n"
	"graphs are differential.  Write it with -o FILE (default stdout).\n",
	NULL,
};

static int cb_minwidth(const struct popt *opt, const char *v, const char *cmd)
{
	struct report_html_opts *hc = opt->value;
	char *end;

	hc->minwidth = strtod(v, &end);
	if (*end == '%')
		end++;
	if (end == v || *end || !(hc->minwidth >= 0 && hc->minwidth <= 100)) {
		fprintf(stderr, "drip %s: invalid value '%s' for --minwidth (want a percentage 0..100)\n", cmd, v);
		return -1;
	}
	return 0;
}

static int cb_graph_nodecount(const struct popt *opt, const char *v, const char *cmd)
{
	struct report_html_opts *hc = opt->value;
	char *end;
	long k = strtol(v, &end, 10);

	if (end == v || *end || k < 1 || k > 100000) {
		fprintf(stderr, "drip %s: invalid value '%s' for --graph-nodecount (want 1..100000)\n", cmd, v);
		return -1;
	}
	hc->graph_nodecount = (int)k;
	return 0;
}

/* Order a series by profile time when every snapshot has one (stable:
 * ties keep the command line's order), as `drip leaks` orders it. */
static void order_series(struct html_snap *s, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++)
		if (!s[i].prof->time_nanos)
			return;
	for (i = 1; i < n; i++)
		for (k = i; k > 0 && s[k - 1].prof->time_nanos > s[k].prof->time_nanos; k--) {
			struct html_snap t = s[k];
			s[k] = s[k - 1];
			s[k - 1] = t;
		}
}

static struct html_snap *load_snaps(const char *const *files, size_t n, const struct source_opts *so, unsigned flags)
{
	struct html_snap *s = xcalloc(n ? n : 1, sizeof(*s));
	size_t i;

	for (i = 0; i < n; i++) {
		s[i].name = files[i];
		if (!(s[i].prof = session_load_merged(&files[i], 1, so, flags))) {
			while (i-- > 0)
				profile_free((struct profile *)s[i].prof);
			free(s);
			return NULL;
		}
	}
	return s;
}

static void free_snaps(struct html_snap *s, size_t n)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < n; i++)
		profile_free((struct profile *)s[i].prof);
	free(s);
}

int report_html_file(const char *path, const char *const *files, int nfiles, const char *const *bases, int nbases,
		     const struct report_opts *ro, const struct load_opts *lo0, const struct report_html_opts *hc,
		     const struct gate *gate)
{
	struct load_opts lo = *lo0;
	struct report_opts r0 = *ro;
	struct html_input in;
	struct html_opts ho;
	struct output out;
	struct html_snap *snaps = NULL, *bsnaps = NULL;
	struct leaks_result lres;
	struct leaks_series *ls = NULL; /* the result borrows its names */
	char *leaks_err = NULL;
	const char **mains = xcalloc((size_t)nfiles + 1, sizeof(*mains));
	unsigned flags = lo.all_frames ? LOAD_ALL_FRAMES : 0;
	int rc = -1, nmains, i;

	memset(&in, 0, sizeof(in));
	if (!(snaps = load_snaps(files, (size_t)nfiles, &lo.src, flags)))
		goto done;
	if (nbases && !(bsnaps = load_snaps(bases, (size_t)nbases, &lo.src, flags)))
		goto done;
	if (nfiles > 1 && !nbases && !hc->merge)
		order_series(snaps, (size_t)nfiles);
	/* What the tables and graphs show: the newest of a series, else
	 * every FILE merged (as drip top / drip diff merge them). */
	if (nfiles > 1 && !nbases && !hc->merge) {
		mains[0] = snaps[nfiles - 1].name;
		nmains = 1;
	} else {
		for (i = 0; i < nfiles; i++)
			mains[i] = files[i];
		nmains = nfiles;
	}
	/* every input is read once (stdin and URLs cannot be read twice):
	 * the reports are made from copies of the snapshots */
	{
		struct profile **ps = xcalloc((size_t)nfiles + 1, sizeof(*ps)), **bs;
		int k;

		bs = xcalloc((size_t)nbases + 1, sizeof(*bs));
		for (i = 0; i < nmains; i++)
			for (k = 0; k < nfiles; k++)
				if (snaps[k].name == mains[i])
					ps[i] = (struct profile *)snaps[k].prof;
		for (i = 0; i < nbases; i++)
			bs[i] = (struct profile *)bsnaps[i].prof;
		r0.normalize = false;
		in.prof = session_from(ps, nmains, NULL, 0, &lo, &r0);
		if (in.prof && nbases) {
			in.base = session_from(bs, nbases, NULL, 0, &lo, &r0);
			if (!in.base)
				err_prefix("base profile");
			else
				in.diff = session_from(ps, nmains, bs, nbases, &lo, ro);
		}
		free(ps);
		free(bs);
		if (!in.prof || (nbases && (!in.base || !in.diff)))
			goto done;
	}
	/* a series of three or more snapshots: what keeps growing, as drip
	 * leaks finds it with the same granularity and filters */
	if (nfiles >= 3 && !nbases && !hc->merge) {
		struct leaks_opts lopt;

		leaks_opts_init(&lopt);
		lopt.filter = ro->filter;
		lopt.gran = ro->gran;
		lopt.noinlines = ro->noinlines;
		lopt.cum = ro->cum;
		ls = leaks_series_new(&lopt);
		for (i = 0; i < nfiles; i++) {
			struct profile *cp = (struct profile *)snaps[i].prof;
			cp = profile_merge(&cp, 1); /* the series consumes its copy */
			if (!cp || leaks_series_add(ls, cp, snaps[i].name) < 0)
				break;
		}
		if (i == nfiles && leaks_analyze(ls, &lres) == 0)
			in.leaks = &lres;
		else
			leaks_err = xstrdup(err_msg());
		in.leaks_error = leaks_err;
		err_clear();
	}
	in.snaps = snaps;
	in.nsnaps = (size_t)nfiles;
	in.bases = bsnaps;
	in.nbases = (size_t)nbases;
	in.prof_files = mains;
	in.nprof_files = nmains;
	in.base_files = bases;
	in.nbase_files = nbases;
	in.gate = gate;
	memset(&ho, 0, sizeof(ho));
	ho.title = hc->title;
	ho.minwidth_pct = hc->minwidth;
	ho.graph_nodecount = hc->graph_nodecount ? hc->graph_nodecount : ro->nodecount > 0 ? ro->nodecount : 80;
	if (output_open(&out, path) < 0)
		goto done;
	if (html_report_write(&in, ro, &ho, out.f) < 0) {
		char *msg = xstrdup(err_msg());
		output_close(&out, 0);
		err_set("%s", msg);
		free(msg);
		goto done;
	}
	if (output_close(&out, 1) < 0)
		goto done;
	rc = 0;
done:
	if (in.leaks)
		leaks_result_release(&lres);
	leaks_series_free(ls);
	free(leaks_err);
	profile_free(in.prof);
	profile_free(in.base);
	profile_free(in.diff);
	free_snaps(snaps, (size_t)nfiles);
	free_snaps(bsnaps, (size_t)nbases);
	free(mains);
	return rc;
}

int cmd_report_html(int argc, char **argv)
{
	struct report_html_opts hc = { NULL, false, 0.01, 0 };
	struct ropts o;
	const char **bases = NULL;
	int rc = EXIT_TROUBLE, first, nbases = 0;
	struct popt opts[] = {
		POPT_GROUP("Report options:"),
		POPT_STRING(0, "title", &hc.title, "TEXT", "the page's title (default: drip report)"),
		POPT_BOOL(0, "merge", &hc.merge, "merge several FILEs, as `drip top FILE...` does"),
		POPT_CALLBACK(0, "minwidth", &hc, "PCT", "leave out flame frames under PCT percent of the\n"
			      "total (default 0.01; 0 keeps every frame)", cb_minwidth),
		POPT_CALLBACK(0, "graph-nodecount", &hc, "N", "nodes in the call graph (default 80, or\n"
			      "--nodecount when given)", cb_graph_nodecount),
		POPT_GROUP(RG_SAMPLE), ROPTS_SAMPLE(&o), ROPTS_GRAN(&o),
		POPT_GROUP(RG_TRIM), ROPTS_SORT(&o), ROPTS_TRIM(&o), ROPTS_DROP_NEGATIVE(&o),
		POPT_GROUP(RG_FILTER), ROPTS_FILTER(&o), ROPTS_RELPCT(&o), ROPTS_ALL_FRAMES(&o),
		POPT_GROUP("Comparing (as drip diff: --base and --diff-base are the same here):"),
		ROPTS_BASES(&o), ROPTS_NORMALIZE(&o),
		POPT_GROUP(RG_OUTPUT),
		POPT_STRING(0, "format", &o.format, "F", "html (the only one)"),
		ROPTS_UNIT(&o), ROPTS_ADD_COMMENT(&o), ROPTS_OUTPUT(&o), ROPTS_VERBOSE(&o),
		POPT_GROUP(RG_INPUT), ROPTS_INPUT(&o),
		POPT_END(),
	};

	ropts_init(&o);
	first = ropts_parse(&o, argc, argv, opts, &usage);
	if (first == -2) {
		rc = EXIT_OK;
		goto done;
	}
	if (first < 0)
		goto done;
	if (o.format && strcmp(o.format, "html") != 0) {
		fprintf(stderr, "drip report: unknown format '%s' (want html)\n", o.format);
		goto done;
	}
	if (first >= argc) {
		fprintf(stderr, "drip report: missing FILE\nTry 'drip report --help'.\n");
		goto done;
	}
	if (o.load.nbase && o.load.ndiff_base) {
		fprintf(stderr, "drip report: give the base with --base or --diff-base, not both\n");
		goto done;
	}
	/* --base and --diff-base both compare as `drip diff` does (pprof's
	 * -diff_base: percentages of the base total). */
	nbases = o.load.nbase ? o.load.nbase : o.load.ndiff_base;
	if (nbases) {
		bases = xcalloc((size_t)nbases, sizeof(*bases));
		memcpy(bases, o.load.nbase ? o.load.base : o.load.diff_base, (size_t)nbases * sizeof(*bases));
	}
	if (o.r.normalize && !nbases) {
		fprintf(stderr, "drip report: --normalize needs --base\n");
		goto done;
	}
	if (report_html_file(o.output, (const char *const *)argv + first, argc - first, bases, nbases, &o.r, &o.load,
			     &hc, NULL) < 0) {
		err_print();
		goto done;
	}
	rc = EXIT_OK;
done:
	free(bases);
	ropts_release(&o);
	return rc;
}
