/* drip flame: flame graphs (folded stacks, interactive SVG, speedscope
 * JSON), plain or differential (--base). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "error.h"
#include "flame.h"
#include "options.h"
#include "output.h"
#include "session.h"
#include "xalloc.h"

static const struct popt_usage usage = {
	"flame", "[OPTIONS] FILE...\n--base=BASE [OPTIONS] NEW...",
	"Draw a flame graph of the stacks of FILE (several FILEs are merged): an\n"
	"interactive, self-contained SVG (click to zoom, Search, tooltips), or the\n"
	"folded stacks flamegraph.pl, inferno and speedscope read.  With --base, a\n"
	"differential graph: widths from NEW, red frames grew, blue ones shrank.\n",
	NULL,
};

struct flame_cli {
	int width;
	double minwidth;
	bool minwidth_pct;
	bool inverted, reverse;
	enum flame_diff_mode mode;
};

static int cb_width(const struct popt *opt, const char *v, const char *cmd)
{
	char *end;
	long w;

	if (!strcmp(v, "fluid")) { /* 100% of the window */
		((struct flame_cli *)opt->value)->width = 0;
		return 0;
	}
	w = strtol(v, &end, 10);
	if (end == v || *end || w < 100 || w > 100000) {
		fprintf(stderr, "drip %s: invalid value '%s' for --width (want 100..100000 pixels, or fluid)\n", cmd, v);
		return -1;
	}
	((struct flame_cli *)opt->value)->width = (int)w;
	return 0;
}

static int cb_minwidth(const struct popt *opt, const char *v, const char *cmd)
{
	struct flame_cli *fc = opt->value;
	char *end;

	fc->minwidth = strtod(v, &end);
	fc->minwidth_pct = *end == '%';
	if (end == v || (*end && strcmp(end, "%") != 0) || fc->minwidth < 0 || (fc->minwidth_pct && fc->minwidth > 100)) {
		fprintf(stderr, "drip %s: invalid value '%s' for --minwidth\n", cmd, v);
		return -1;
	}
	return 0;
}

static int cb_diff_mode(const struct popt *opt, const char *v, const char *cmd)
{
	struct flame_cli *fc = opt->value;

	if (!strcmp(v, "self")) {
		fc->mode = FLAME_DIFF_SELF;
	} else if (!strcmp(v, "total")) {
		fc->mode = FLAME_DIFF_TOTAL;
	} else {
		fprintf(stderr, "drip %s: invalid value '%s' for --diff-mode (want self or total)\n", cmd, v);
		return -1;
	}
	return 0;
}

static void lower(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = 0;
}

int cmd_flame(int argc, char **argv)
{
	struct flame_cli fc = { 1200, 0.1, false, false, false, FLAME_DIFF_SELF };
	struct ropts o, lo;
	struct profile *p = NULL, *base = NULL;
	struct flame *f = NULL;
	struct output out = { 0 };
	struct flame_build_opts bo;
	struct pf_valtype *types = NULL;
	size_t ntypes = 0;
	bool diff = false;
	int rc = EXIT_TROUBLE, first, si, bsi = -1, fmt, ok;
	enum { F_SVG, F_FOLDED, F_SPEEDSCOPE };

	struct popt opts[] = {
		POPT_GROUP("Flame graph options:"),
		POPT_STRING(0, "format", &o.format, "F", "svg (default), folded, or speedscope"),
		POPT_STRING(0, "title", &o.r.title, "TEXT", "the SVG's title"),
		POPT_CALLBACK(0, "width", &fc, "PX|fluid", "SVG width in pixels (default 1200), or fluid: the\n"
			      "window's width in a browser", cb_width),
		POPT_CALLBACK(0, "minwidth", &fc, "PX|PCT%", "merge frames narrower than this (default 0.1, in\n"
			      "pixels of --width, or of 1200 when fluid)", cb_minwidth),
		POPT_BOOL(0, "inverted", &fc.inverted, "icicle graph: root at the top"),
		POPT_BOOL(0, "reverse", &fc.reverse, "merge stacks from the leaf (who allocates)"),
		POPT_CALLBACK(0, "diff-mode", &fc, "self|total", "colour by the change of self (default) or total", cb_diff_mode),
		POPT_GROUP(RG_SAMPLE), ROPTS_SAMPLE(&o), ROPTS_GRAN(&o),
		POPT_GROUP(RG_FILTER), ROPTS_FILTER(&o), ROPTS_ALL_FRAMES(&o),
		POPT_GROUP("Comparing (a differential graph; repeatable):"),
		POPT_CALLBACK_DEF(0, "base", &o.load, "FILE", "differential graph against FILE", ropts_cb_base, 0),
		POPT_CALLBACK_DEF(0, "diff-base", &o.load, "FILE", "the same as --base here", ropts_cb_base, 1),
		POPT_BOOL(0, "normalize", &o.r.normalize, "scale NEW so its total matches BASE's"),
		POPT_GROUP(RG_OUTPUT), ROPTS_OUTPUT(&o), ROPTS_VERBOSE(&o),
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
	if (!o.format || !strcmp(o.format, "svg")) {
		fmt = F_SVG;
	} else if (!strcmp(o.format, "folded")) {
		fmt = F_FOLDED;
	} else if (!strcmp(o.format, "speedscope")) {
		fmt = F_SPEEDSCOPE;
	} else {
		fprintf(stderr, "drip flame: unknown format '%s' (want svg, folded or speedscope)\n", o.format);
		goto done;
	}
	if (first >= argc) {
		fprintf(stderr, "drip flame: missing FILE\nTry 'drip flame --help'.\n");
		goto done;
	}
	/* A flame graph shows a difference by colour, whichever way the base
	 * is given: --diff-base is --base here (never merged in negated). */
	if (o.load.ndiff_base) {
		int k;
		for (k = 0; k < o.load.ndiff_base; k++) {
			o.load.base = xreallocarray(o.load.base, (size_t)o.load.nbase + 1, sizeof(char *));
			o.load.base[o.load.nbase++] = o.load.diff_base[k];
		}
		o.load.ndiff_base = 0;
	}
	if (o.load.nbase && fmt == F_SPEEDSCOPE) {
		fprintf(stderr, "drip flame: --format=speedscope cannot show a difference (--base)\n");
		goto done;
	}
	if (o.r.normalize && !o.load.nbase) {
		fprintf(stderr, "drip flame: --normalize needs --base\n");
		goto done;
	}
	/* NEW and BASE are loaded (and filtered) on their own: the graph
	 * combines their stacks by frame, never a negated merge. */
	lo = o;
	lo.load.base = lo.load.diff_base = NULL;
	lo.load.nbase = lo.load.ndiff_base = 0;
	lo.r.normalize = false;
	p = session_load((const char *const *)argv + first, argc - first, &lo.load, &lo.r);
	if (!p) {
		err_print();
		goto done;
	}
	si = profile_sample_index(p, o.r.sample_index);
	if (si < 0) {
		err_print();
		goto done;
	}
	if (o.load.nbase) {
		base = session_load(o.load.base, o.load.nbase, &lo.load, &lo.r);
		if (!base) {
			err_print();
			goto done;
		}
		bsi = profile_sample_index(base, p->types[si].type);
		if (bsi < 0) {
			err_prefix("base profile");
			err_print();
			goto done;
		}
	}
	memset(&bo, 0, sizeof(bo));
	bo.gran = o.r.gran;
	bo.noinlines = o.r.noinlines;
	bo.reverse = fc.reverse;
	if (fmt == F_SPEEDSCOPE) {
		int *idx = xcalloc(p->ntypes, sizeof(int));
		size_t *cols = xcalloc(p->ntypes, sizeof(size_t)), k;
		for (k = 0; k < p->ntypes; k++) {
			idx[k] = (int)k;
			cols[k] = k;
		}
		f = flame_new(p->ntypes);
		flame_add(f, p, &bo, idx, cols, NULL, p->ntypes);
		free(idx);
		free(cols);
	} else if (base) {
		size_t c0 = 0, c1 = 1;
		double ratio = 1;

		diff = true;
		if (o.r.normalize) {
			int64_t bt = profile_total(base, bsi), nt = profile_total(p, si);
			ratio = nt == 0 ? 0 : (double)bt / (double)nt;
		}
		f = flame_new(2);
		flame_add(f, base, &bo, &bsi, &c0, NULL, 1);
		flame_add(f, p, &bo, &si, &c1, &ratio, 1);
	} else {
		size_t c0 = 0;
		f = flame_new(1);
		flame_add(f, p, &bo, &si, &c0, NULL, 1);
	}
	/* The trie holds interned names only: free the profiles before the
	 * trie is renumbered, which needs memory of its own. */
	ntypes = p->ntypes;
	types = xreallocarray(NULL, ntypes, sizeof(*types));
	memcpy(types, p->types, ntypes * sizeof(*types));
	profile_free(p);
	profile_free(base);
	p = base = NULL;
	flame_finish(f);
	if (output_open(&out, o.output) < 0) {
		err_print();
		goto done;
	}
	if (fmt == F_FOLDED) {
		size_t cols[2] = { 0, 1 };
		ok = flame_write_folded(f, cols, diff ? 2 : 1, out.f);
	} else if (fmt == F_SPEEDSCOPE) {
		ok = flame_write_speedscope(f, types, ntypes, argv[first], si, out.f);
	} else {
		struct flame_svg_opts so;
		struct flame_svg_stats st;
		struct buf sub = BUF_INIT;
		char unit[64];

		lower(types[si].unit, unit, sizeof(unit));
		memset(&so, 0, sizeof(so));
		so.title = o.r.title ? o.r.title : diff ? "Differential Flame Graph" : "Flame Graph";
		buf_printf(&sub, "%s: %s", types[si].type, argv[first]);
		if (argc - first > 1)
			buf_printf(&sub, " (+%d more)", argc - first - 1);
		if (diff)
			buf_printf(&sub, " vs. base %s%s; red grew, blue shrank (%s)", o.load.base[0],
				   o.r.normalize ? ", normalized" : "", fc.mode == FLAME_DIFF_SELF ? "self" : "total");
		if (fc.reverse)
			buf_puts(&sub, "; reversed (leaf at the root)");
		so.subtitle = sub.data;
		so.unit = unit;
		so.width = fc.width;
		so.minwidth = fc.minwidth;
		so.minwidth_pct = fc.minwidth_pct;
		so.inverted = fc.inverted;
		so.diff = diff;
		so.diff_mode = fc.mode;
		so.col = 0;
		ok = flame_write_svg(f, &so, out.f, &st);
		if (o.verbose)
			fprintf(stderr, "drip flame: %zu trie nodes, %zu frames drawn, %zu merged, %zu dropped, depth %d\n",
				flame_nodes(f), st.frames, st.merged, st.dropped, st.max_depth);
		buf_release(&sub);
	}
	if (ok < 0) {
		output_report(&out);
		output_close(&out, 0);
		goto done;
	}
	if (output_close(&out, 1) < 0) {
		err_print();
		goto done;
	}
	rc = EXIT_OK;
done:
	flame_free(f);
	profile_free(p);
	profile_free(base);
	free(types);
	ropts_release(&o);
	return rc;
}
