/* leaks_join: heap sites joined to the goroutine groups they grow in step
 * with.  See leaks_join.h. */
#include "leaks_join.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strtab.h"
#include "trend.h"
#include "units.h"
#include "xalloc.h"

double leaks_join_corr(const double *x, const double *y, size_t n)
{
	double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
	size_t i;

	if (n < 2)
		return 0;
	for (i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= (double)n;
	my /= (double)n;
	for (i = 0; i < n; i++) {
		sxy += (x[i] - mx) * (y[i] - my);
		sxx += (x[i] - mx) * (x[i] - mx);
		syy += (y[i] - my) * (y[i] - my);
	}
	if (sxx <= 0 || syy <= 0)
		return 0;
	return sxy / sqrt(sxx * syy);
}

size_t leaks_join_align(const int64_t *th, size_t nh, const int64_t *tg, const double *g, size_t ng, double *out,
			bool *ok)
{
	double tol = ng > 1 ? (double)(tg[ng - 1] - tg[0]) / (double)(ng - 1) / 2 : 0;
	size_t i, k = 0, n = 0;

	for (i = 0; i < nh; i++) {
		int64_t t = th[i];
		double d;
		ok[i] = false;
		out[i] = 0;
		if (!ng)
			continue;
		/* tg is sorted and so is th: k only moves forward */
		while (k + 1 < ng && llabs(tg[k + 1] - t) < llabs(tg[k] - t))
			k++;
		d = (double)llabs(tg[k] - t);
		if (d <= tol) {
			out[i] = g[k];
			ok[i] = true;
			n++;
		}
	}
	return n;
}

/* Is c a closure of f: f, then only ".funcN", ".gowrapN", ".deferwrapN"
 * or ".N" elements (Go's names for function literals and the wrappers
 * of go and defer statements)? */
static bool closure_of(const char *c, const char *f)
{
	size_t n = strlen(f);

	if (strncmp(c, f, n) != 0 || c[n] != '.')
		return false;
	c += n;
	while (*c == '.') {
		static const char *const pre[] = { "func", "gowrap", "deferwrap", "" };
		size_t i;
		bool any = false;
		c++;
		for (i = 0; i < sizeof(pre) / sizeof(pre[0]) && !any; i++) {
			size_t m = strlen(pre[i]);
			if (strncmp(c, pre[i], m) == 0 && c[m] >= '0' && c[m] <= '9') {
				c += m;
				while (*c >= '0' && *c <= '9')
					c++;
				any = true;
			}
		}
		if (!any)
			return false;
	}
	return *c == '\0';
}

bool leaks_join_shares(const char *const *hf, size_t nh, const char *const *gf, size_t ng, const char *creator,
		       const char **shared, const char **other, enum leaks_join_why *why)
{
	size_t i, k;

	for (i = 0; i < nh; i++) {
		const char *h = hf[i];
		for (k = 0; k < ng; k++)
			if (strcmp(h, gf[k]) == 0) {
				*shared = h;
				*other = gf[k];
				*why = LEAKS_JOIN_FRAME;
				return true;
			}
		if (creator && strcmp(h, creator) == 0) {
			*shared = h;
			*other = creator;
			*why = LEAKS_JOIN_CREATOR;
			return true;
		}
		for (k = 0; k < ng; k++)
			if (closure_of(gf[k], h) || closure_of(h, gf[k])) {
				*shared = h;
				*other = gf[k];
				*why = LEAKS_JOIN_CLOSURE;
				return true;
			}
		if (creator && (closure_of(creator, h) || closure_of(h, creator))) {
			*shared = h;
			*other = creator;
			*why = LEAKS_JOIN_CREATOR;
			return true;
		}
	}
	return false;
}

/* A heap site's function: the name up to the first blank (a line's
 * " file:line", an address). */
static bool is_malg(const char *name)
{
	return strncmp(name, "runtime.malg", 12) == 0 && (name[12] == '\0' || name[12] == ' ');
}

static int cmp_jsite(const void *a, const void *b)
{
	const struct leaks_join_site *x = a, *y = b;

	if (x->growth != y->growth)
		return x->growth > y->growth ? -1 : 1;
	return x->site < y->site ? -1 : x->site > y->site;
}

void leaks_join(const struct leaks_result *heap, const struct leaks_result *gor, struct leaks_joint *j)
{
	size_t nh = heap->n, i, k, p, first = SIZE_MAX, last = 0, pass;
	double all_growth = 0;
	int64_t *th = xcalloc(nh + 1, sizeof(int64_t)), *tg = xcalloc(gor->n + 1, sizeof(int64_t));
	double *gv = xcalloc(nh + 1, sizeof(double)), *x = xcalloc(nh + 1, sizeof(double)),
	       *y = xcalloc(nh + 1, sizeof(double));
	bool *ok = xcalloc(nh + 1, sizeof(bool));

	memset(j, 0, sizeof(*j));
	j->unit = heap->nt ? heap->types[0].unit : intern("");
	if (heap->by_time && gor->by_time) {
		j->by_time = true;
		for (i = 0; i < nh; i++)
			th[i] = heap->snaps[i].time_nanos;
		for (i = 0; i < gor->n; i++)
			tg[i] = gor->snaps[i].time_nanos;
	} else if (heap->n != gor->n) {
		j->why_none = "the snapshots have no times and the series are not as long as each other";
		goto out;
	}
	/* runtime.malg holds one runtime.g per goroutine, whichever group
	 * it is in: its growth is shared among the growing groups in
	 * proportion to their growth (all_growth), not counted whole in
	 * each finding. */
	for (pass = 0; pass < 2; pass++)
	for (i = 0; i < gor->nsites; i++) {
		const struct leaks_site *g = &gor->sites[i];
		struct leaks_finding fd;
		size_t np;

		if (g->verdict0 != VERDICT_GROWING && !g->proven)
			continue;
		if (j->by_time) {
			np = leaks_join_align(th, nh, tg, g->v, gor->n, gv, ok);
		} else {
			for (k = 0; k < nh; k++) {
				gv[k] = g->v[k];
				ok[k] = true;
			}
			np = nh;
		}
		if (np < LEAKS_JOIN_MIN_POINTS) {
			j->why_none = "fewer than 3 heap snapshots fall within the goroutine series' time span";
			continue;
		}
		j->npoints = np;
		for (k = 0, first = SIZE_MAX; k < nh; k++)
			if (ok[k]) {
				if (first == SIZE_MAX)
					first = k;
				last = k;
			}
		memset(&fd, 0, sizeof(fd));
		fd.group = i;
		fd.goroutines = gv[last] - gv[first];
		if (fd.goroutines <= 0)
			continue;
		if (pass == 0) {
			all_growth += fd.goroutines;
			continue;
		}
		for (k = 0; k < heap->nsites; k++) {
			const struct leaks_site *h = &heap->sites[k];
			struct leaks_join_site js;
			size_t n = 0;

			memset(&js, 0, sizeof(js));
			js.growth = h->v[last] - h->v[first];
			if (js.growth <= 0)
				continue;
			if (is_malg(h->name)) {
				js.why = LEAKS_JOIN_MALG;
			} else if (!leaks_join_shares(h->frames, h->nframes, g->frames, g->nframes, g->created_by, &js.shared,
						      &js.other, &js.why)) {
				continue;
			}
			for (p = 0; p < nh; p++)
				if (ok[p]) {
					x[n] = gv[p];
					y[n++] = h->v[p];
				}
			js.r = leaks_join_corr(x, y, n);
			if (js.r < LEAKS_JOIN_MIN_R)
				continue;
			js.site = k;
			if (js.why == LEAKS_JOIN_MALG) {
				js.per_goroutine = js.growth / all_growth;
				js.growth *= fd.goroutines / all_growth;
			} else {
				js.per_goroutine = js.growth / fd.goroutines;
			}
			fd.sites = xreallocarray(fd.sites, fd.nsites + 1, sizeof(*fd.sites));
			fd.sites[fd.nsites++] = js;
			fd.growth += js.growth;
		}
		if (!fd.nsites)
			continue;
		qsort(fd.sites, fd.nsites, sizeof(*fd.sites), cmp_jsite);
		fd.per_goroutine = fd.growth / fd.goroutines;
		j->f = xreallocarray(j->f, j->n + 1, sizeof(*j->f));
		j->f[j->n++] = fd;
	}
	if (j->npoints)
		j->why_none = NULL;
out:
	free(th);
	free(tg);
	free(gv);
	free(x);
	free(y);
	free(ok);
}

void leaks_joint_release(struct leaks_joint *j)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		free(j->f[i].sites);
	free(j->f);
	memset(j, 0, sizeof(*j));
}

static void fmt_val(double v, const char *unit, char *out, size_t n)
{
	units_label((int64_t)llround(v), unit, "auto", out, n);
}

static void fmt_delta(double v, const char *unit, char *out, size_t n)
{
	char t[48];

	fmt_val(v, unit, t, sizeof(t));
	snprintf(out, n, "%s%s", v > 0 && llround(v) != 0 ? "+" : "", t);
}

/* Why a site joined, in words; site is the heap site's name. */
static void why_text(const struct leaks_join_site *js, const char *site, FILE *f)
{
	size_t n = strcspn(site, " "); /* a line's " file:line" */
	bool own = strlen(js->shared ? js->shared : "") == n && strncmp(js->shared, site, n) == 0;

	switch (js->why) {
	case LEAKS_JOIN_FRAME:
		fprintf(f, "%s is on both stacks", js->shared);
		break;
	case LEAKS_JOIN_CLOSURE:
		if (closure_of(js->other, js->shared))
			fprintf(f, "the goroutines run %s, a closure of %s", js->other, js->shared);
		else
			fprintf(f, "allocated in %s, a closure of the goroutines' %s", js->shared, js->other);
		if (!own)
			fprintf(f, ", which calls %.*s", (int)n, site);
		break;
	case LEAKS_JOIN_CREATOR:
		if (own && js->other == js->shared)
			fprintf(f, "%s created the goroutines", js->shared);
		else if (js->other == js->shared)
			fprintf(f, "%s created the goroutines and calls %.*s", js->shared, (int)n, site);
		else
			fprintf(f, "%s created the goroutines; %s, a closure of it or its parent, is on the site's stack",
				js->other, js->shared);
		break;
	case LEAKS_JOIN_MALG:
		fprintf(f, "the leaked goroutines' own runtime.g records (their stacks are outside the heap profile)");
		break;
	}
}

static const char *why_name(enum leaks_join_why w)
{
	switch (w) {
	case LEAKS_JOIN_FRAME: return "frame";
	case LEAKS_JOIN_CLOSURE: return "closure";
	case LEAKS_JOIN_CREATOR: return "creator";
	case LEAKS_JOIN_MALG: return "malg";
	}
	return "";
}

void leaks_joint_write_text(const struct leaks_joint *j, const struct leaks_result *heap,
			    const struct leaks_result *gor, FILE *f)
{
	size_t i, k;
	char a[64], b[64], c[64], nm[1024];

	fprintf(f, "Joined: %zu finding%s: goroutine groups and the heap sites growing in step with them", j->n,
		j->n == 1 ? "" : "s");
	if (j->npoints)
		fprintf(f, " (%zu common snapshots, by %s)\n", j->npoints, j->by_time ? "profile time" : "position");
	else if (j->why_none)
		fprintf(f, " (none could be: %s)\n", j->why_none);
	else
		fprintf(f, " (no growing goroutine group)\n");
	for (i = 0; i < j->n; i++) {
		const struct leaks_finding *fd = &j->f[i];
		const struct leaks_site *g = &gor->sites[fd->group];
		fmt_delta(fd->goroutines, "count", a, sizeof(a));
		fmt_delta(fd->growth, j->unit, b, sizeof(b));
		fmt_val(fd->per_goroutine, j->unit, c, sizeof(c));
		fprintf(f, "\n%4zu  %s goroutines in %s (goroutine rank %zu)", i + 1, a, leaks_site_name(gor, g, nm, sizeof(nm)),
			fd->group + 1);
		if (g->blocks)
			fprintf(f, "; blocks in: %s", g->blocks);
		if (g->created_by)
			fprintf(f, "; created by %s", g->created_by);
		fprintf(f, "\n      with %s of heap: %s per leaked goroutine (heap growth / goroutine growth)\n", b, c);
		for (k = 0; k < fd->nsites; k++) {
			const struct leaks_join_site *js = &fd->sites[k];
			const struct leaks_site *h = &heap->sites[js->site];
			fmt_delta(js->growth, j->unit, a, sizeof(a));
			fmt_val(js->per_goroutine, j->unit, b, sizeof(b));
			fprintf(f, "      %10s %9s/goroutine  r %.2f  %s (heap rank %zu): ", a, b, js->r,
				leaks_site_name(heap, h, nm, sizeof(nm)), js->site + 1);
			why_text(js, h->name, f);
			fputc('\n', f);
		}
	}
}

void leaks_joint_write_summary(const struct leaks_joint *j, FILE *f)
{
	if (j->n)
		fprintf(f, "%zu finding%s", j->n, j->n == 1 ? "" : "s");
	else
		fputs("no finding", f);
	if (j->npoints)
		fprintf(f, " (%zu common snapshots, by %s)", j->npoints, j->by_time ? "profile time" : "position");
	else if (j->why_none)
		fprintf(f, " (none could be: %s)", j->why_none);
	else
		fputs(" (no growing goroutine group)", f);
}

size_t leaks_joint_write_brief(const struct leaks_joint *j, const struct leaks_result *heap,
			       const struct leaks_result *gor, size_t max, FILE *f)
{
	size_t i, k, lines = 0;
	char a[64], b[64], c[64], nm[1024];

	for (i = 0; i < j->n && i < max; i++) {
		const struct leaks_finding *fd = &j->f[i];
		fmt_delta(fd->goroutines, "count", a, sizeof(a));
		fmt_delta(fd->growth, j->unit, b, sizeof(b));
		fmt_val(fd->per_goroutine, j->unit, c, sizeof(c));
		fprintf(f, "%4zu  %s goroutines in %s (goroutine rank %zu)\n", i + 1, a,
			leaks_site_name(gor, &gor->sites[fd->group], nm, sizeof(nm)), fd->group + 1);
		fprintf(f, "      with %s of heap: %s per leaked goroutine:", b, c);
		for (k = 0; k < fd->nsites && k < 3; k++)
			fprintf(f, "%s %s", k ? "," : "", leaks_site_name(heap, &heap->sites[fd->sites[k].site], nm, sizeof(nm)));
		if (fd->nsites > 3)
			fprintf(f, " +%zu more", fd->nsites - 3);
		fputc('\n', f);
		lines += 2;
	}
	if (j->n > max) {
		fprintf(f, "      +%zu more finding%s\n", j->n - max, j->n - max == 1 ? "" : "s");
		lines++;
	}
	return lines;
}

void leaks_joint_write_json(const struct leaks_joint *jt, const struct leaks_result *heap,
			    const struct leaks_result *gor, struct json *j)
{
	size_t i, k;

	json_begin_object(j);
	json_kstr(j, "matched_by", jt->npoints ? (jt->by_time ? "time" : "position") : NULL);
	json_kint(j, "common_snapshots", (int64_t)jt->npoints);
	json_kstr(j, "not_joined", jt->why_none);
	json_kstr(j, "unit", jt->unit);
	json_kint(j, "min_points", LEAKS_JOIN_MIN_POINTS);
	json_knum(j, "min_r", LEAKS_JOIN_MIN_R, 3);
	json_key(j, "findings");
	json_begin_array(j);
	for (i = 0; i < jt->n; i++) {
		const struct leaks_finding *fd = &jt->f[i];
		const struct leaks_site *g = &gor->sites[fd->group];
		json_begin_object(j);
		json_kstr(j, "group", g->name);
		if (gor->by)
			json_kstr(j, "by", g->by);
		json_kint(j, "group_rank", (int64_t)fd->group + 1);
		json_knum(j, "goroutine_growth", fd->goroutines, 3);
		json_knum(j, "heap_growth", fd->growth, 0);
		json_knum(j, "per_goroutine", fd->per_goroutine, 1);
		json_key(j, "sites");
		json_begin_array(j);
		for (k = 0; k < fd->nsites; k++) {
			const struct leaks_join_site *js = &fd->sites[k];
			const struct leaks_site *h = &heap->sites[js->site];
			json_begin_object(j);
			json_kstr(j, "name", h->name);
			if (heap->by)
				json_kstr(j, "by", h->by);
			json_kint(j, "heap_rank", (int64_t)js->site + 1);
			json_knum(j, "growth", js->growth, 0);
			json_knum(j, "per_goroutine", js->per_goroutine, 1);
			json_knum(j, "r", js->r, 4);
			json_kstr(j, "why", why_name(js->why));
			json_kstr(j, "shared", js->shared);
			json_kstr(j, "group_function", js->other);
			json_end_object(j);
		}
		json_end_array(j);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}
