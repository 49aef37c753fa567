/* Unit tests for leaks_join (src/lib/leaks_join.c): the correlation,
 * the time alignment, the shared-function rule and the findings on
 * hand-made analyses whose answers are computed by hand below; then the
 * committed jointsvc series (testdata/joint/, made by
 * testdata/gen/jointsvc) against the generator's truth.tsv. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ggroup.h"
#include "leaks.h"
#include "leaks_join.h"
#include "load.h"
#include "strtab.h"

Suite *suite_leaks_join(void);

START_TEST(test_corr)
{
	double a[] = { 1, 2, 3, 4 }, b[] = { 10, 20, 30, 40 }, c[] = { 4, 3, 2, 1 }, k[] = { 5, 5, 5, 5 };
	/* hand: x = 1,2,3,4 (mean 2.5), y = 1,3,2,4 (mean 2.5):
	 * sxy = (-1.5)(-1.5) + (-.5)(.5) + (.5)(-.5) + (1.5)(1.5) = 4,
	 * sxx = syy = 5: r = 0.8 */
	double y[] = { 1, 3, 2, 4 };

	ck_assert_double_eq_tol(leaks_join_corr(a, b, 4), 1.0, 1e-12);
	ck_assert_double_eq_tol(leaks_join_corr(a, c, 4), -1.0, 1e-12);
	ck_assert_double_eq(leaks_join_corr(a, k, 4), 0.0);
	ck_assert_double_eq_tol(leaks_join_corr(a, y, 4), 0.8, 1e-12);
	ck_assert_double_eq(leaks_join_corr(a, b, 1), 0.0);
}
END_TEST

START_TEST(test_align)
{
	/* goroutine counts 10, 20, 40 at t = 100, 200, 300 (half the mean
	 * interval: 50) */
	int64_t tg[] = { 100, 200, 300 };
	double g[] = { 10, 20, 40 };
	int64_t th[] = { 40, 60, 150, 190, 275, 350, 351 };
	double out[7];
	bool ok[7];
	size_t n = leaks_join_align(th, 7, tg, g, 3, out, ok);

	ck_assert_uint_eq(n, 5);
	ck_assert(!ok[0]);                /* 60 before the first */
	ck_assert(ok[1]);                 /* 40 before: the first */
	ck_assert_double_eq(out[1], 10);
	ck_assert(ok[2]);                 /* as near 100 as 200: the earlier */
	ck_assert_double_eq(out[2], 10);
	ck_assert_double_eq(out[3], 20);  /* 10 before 200 */
	ck_assert_double_eq(out[4], 40);  /* 25 before 300 */
	ck_assert(ok[5]);                 /* 50 after the last */
	ck_assert_double_eq(out[5], 40);
	ck_assert(!ok[6]);                /* 51 after */
	/* one goroutine snapshot: only the same time matches */
	n = leaks_join_align(th + 2, 1, tg + 1, g + 1, 1, out, ok);
	ck_assert_uint_eq(n, 0);
	n = leaks_join_align(tg + 1, 1, tg + 1, g + 1, 1, out, ok);
	ck_assert_uint_eq(n, 1);
}
END_TEST

START_TEST(test_shares)
{
	const char *shared = NULL, *other = NULL;
	enum leaks_join_why why;
	const char *heap[] = { "main.startJob", "main.handleTasks", "net/http.(*conn).serve" };
	const char *g1[] = { "main.startJob.func1" };
	const char *g2[] = { "main.startJob.func1.2" };
	const char *g3[] = { "main.startJob.gowrap3" };
	const char *g4[] = { "main.startJobs.func1" };  /* another function */
	const char *g5[] = { "main.startJob.funcX" };   /* not a closure name */
	const char *g6[] = { "main.worker", "main.handleTasks" };
	const char *g7[] = { "main.worker" };
	const char *h2[] = { "main.(*S).run.func2", "main.(*S).run" };
	const char *g8[] = { "main.(*S).run" };

	ck_assert(leaks_join_shares(heap, 3, g1, 1, NULL, &shared, &other, &why));
	ck_assert_str_eq(shared, "main.startJob");
	ck_assert_str_eq(other, "main.startJob.func1");
	ck_assert_int_eq(why, LEAKS_JOIN_CLOSURE);
	ck_assert(leaks_join_shares(heap, 3, g2, 1, NULL, &shared, &other, &why));
	ck_assert(leaks_join_shares(heap, 3, g3, 1, NULL, &shared, &other, &why));
	ck_assert(!leaks_join_shares(heap, 3, g4, 1, NULL, &shared, &other, &why));
	ck_assert(!leaks_join_shares(heap, 3, g5, 1, NULL, &shared, &other, &why));
	/* a function on both stacks */
	ck_assert(leaks_join_shares(heap, 3, g6, 2, NULL, &shared, &other, &why));
	ck_assert_str_eq(shared, "main.handleTasks");
	ck_assert_int_eq(why, LEAKS_JOIN_FRAME);
	/* the creator on the site's stack; from the leaf side, so the
	 * closure-free exact creator wins over a deeper frame */
	ck_assert(leaks_join_shares(heap, 3, g7, 1, "main.handleTasks", &shared, &other, &why));
	ck_assert_str_eq(shared, "main.handleTasks");
	ck_assert_int_eq(why, LEAKS_JOIN_CREATOR);
	ck_assert(!leaks_join_shares(heap, 3, g7, 1, "main.other", &shared, &other, &why));
	ck_assert(!leaks_join_shares(heap, 3, g7, 1, NULL, &shared, &other, &why));
	/* the site in a closure of the goroutines' function: frames are
	 * tried from the leaf, so the closure matches before its parent
	 * frame's exact match */
	ck_assert(leaks_join_shares(h2, 2, g8, 1, NULL, &shared, &other, &why));
	ck_assert_str_eq(shared, "main.(*S).run.func2");
	ck_assert_int_eq(why, LEAKS_JOIN_CLOSURE);
}
END_TEST

/* A hand-made analysis: n snapshots at times 1..n seconds, one type. */
struct fake {
	struct leaks_result r;
	struct leaks_type t;
	int64_t total[8];
	struct leaks_snapshot snaps[8];
	struct leaks_site sites[8];
};

static void fake_init(struct fake *f, size_t n, bool goroutine, const char *unit)
{
	size_t j;

	memset(f, 0, sizeof(*f));
	f->r.n = n;
	f->r.by_time = true;
	f->r.goroutine = goroutine;
	f->r.snaps = f->snaps;
	for (j = 0; j < n; j++) {
		f->snaps[j].name = "x";
		f->snaps[j].time_nanos = (int64_t)(j + 1) * 1000000000;
	}
	f->t.name = intern(goroutine ? "goroutine" : "inuse_space");
	f->t.unit = intern(unit);
	f->t.total = f->total;
	f->r.types = &f->t;
	f->r.nt = 1;
	f->r.sites = f->sites;
	f->r.samples = -1;
}

static void fake_site(struct fake *f, const char *name, enum verdict v, double *vals, const char **frames,
		      size_t nframes, const char *creator)
{
	struct leaks_site *s = &f->sites[f->r.nsites++];

	s->name = intern(name);
	s->key = s->name;
	s->v = vals;
	s->verdict0 = v;
	s->frames = frames;
	s->nframes = nframes;
	s->created_by = creator;
}

START_TEST(test_join_hand)
{
	struct fake h, g;
	struct leaks_joint j;
	/* goroutines: a leak of 10 a snapshot, and a flat pool */
	double leak[] = { 10, 20, 30, 40, 50 }, pool[] = { 8, 8, 9, 8, 8 };
	const char *gf[] = { "main.handle.func1" }, *pf[] = { "main.poolWorker" };
	/* heap: the buffers (1 KiB a goroutine + noise), runtime.malg
	 * (400 B a goroutine), a cache that grows in step but shares
	 * nothing, a site sharing a frame but not growing in step */
	double buf[] = { 10240, 20480, 31744, 40960, 51200 }, malg[] = { 4000, 8000, 12000, 16000, 20000 },
	       cache[] = { 100, 200, 300, 400, 500 }, other[] = { 900, 100, 900, 100, 1000 };
	const char *bf[] = { "main.handle", "net/http.HandlerFunc.ServeHTTP" }, *cf[] = { "main.(*cache).put" },
		   *of[] = { "main.handle" };

	fake_init(&g, 5, true, "count");
	fake_site(&g, "main.handle.func1", VERDICT_GROWING, leak, gf, 1, NULL);
	fake_site(&g, "main.poolWorker", VERDICT_FLAT, pool, pf, 1, "main.main");
	fake_init(&h, 5, false, "bytes");
	fake_site(&h, "main.handle", VERDICT_GROWING, buf, bf, 2, NULL);
	fake_site(&h, "runtime.malg", VERDICT_FLAT, malg, NULL, 0, NULL);
	fake_site(&h, "main.(*cache).put", VERDICT_GROWING, cache, cf, 1, NULL);
	fake_site(&h, "main.handle.other", VERDICT_NOISY, other, of, 1, NULL);
	leaks_join(&h.r, &g.r, &j);
	ck_assert(j.by_time);
	ck_assert_uint_eq(j.npoints, 5);
	ck_assert_uint_eq(j.n, 1);
	ck_assert_uint_eq(j.f[0].group, 0);
	ck_assert_double_eq(j.f[0].goroutines, 40);
	ck_assert_uint_eq(j.f[0].nsites, 2);
	/* by growth: the buffers (51200 - 10240 = 40960: 1024 a goroutine),
	 * then runtime.malg (16000: 400 a goroutine) */
	ck_assert_uint_eq(j.f[0].sites[0].site, 0);
	ck_assert_double_eq(j.f[0].sites[0].growth, 40960);
	ck_assert_double_eq(j.f[0].sites[0].per_goroutine, 1024);
	ck_assert_int_eq(j.f[0].sites[0].why, LEAKS_JOIN_CLOSURE);
	ck_assert_uint_eq(j.f[0].sites[1].site, 1);
	ck_assert_int_eq(j.f[0].sites[1].why, LEAKS_JOIN_MALG);
	ck_assert_double_eq(j.f[0].sites[1].per_goroutine, 400);
	ck_assert_double_eq_tol(j.f[0].sites[1].r, 1.0, 1e-12);
	ck_assert_double_eq(j.f[0].growth, 56960);
	ck_assert_double_eq(j.f[0].per_goroutine, 1424);
	leaks_joint_release(&j);

	/* a second growing group of 10 more a snapshot (main.other.func1,
	 * sharing nothing but runtime.malg): malg's 16000 bytes are shared
	 * 40:40 -> 8000 each, 16000 / 80 = 200 bytes a goroutine */
	{
		double leak2[] = { 0, 10, 20, 30, 40 };
		const char *g2f[] = { "main.other.func1" };
		fake_site(&g, "main.other.func1", VERDICT_GROWING, leak2, g2f, 1, NULL);
		leaks_join(&h.r, &g.r, &j);
		ck_assert_uint_eq(j.n, 2);
		ck_assert_uint_eq(j.f[0].nsites, 2);
		ck_assert_int_eq(j.f[0].sites[1].why, LEAKS_JOIN_MALG);
		ck_assert_double_eq_tol(j.f[0].sites[1].growth, 8000, 1e-9);
		ck_assert_double_eq_tol(j.f[0].sites[1].per_goroutine, 200, 1e-9);
		ck_assert_uint_eq(j.f[1].group, 2);
		ck_assert_uint_eq(j.f[1].nsites, 1);
		ck_assert_double_eq_tol(j.f[1].sites[0].growth, 8000, 1e-9);
		ck_assert_double_eq_tol(j.f[1].per_goroutine, 200, 1e-9);
		leaks_joint_release(&j);
		g.r.nsites--;
	}
	/* no times on one side and unequal lengths: nothing joined, and why */
	h.r.by_time = false;
	h.r.n = 4;
	leaks_join(&h.r, &g.r, &j);
	ck_assert_uint_eq(j.n, 0);
	ck_assert_ptr_nonnull(j.why_none);
	leaks_joint_release(&j);
	/* ... equal lengths: by position */
	h.r.n = 5;
	leaks_join(&h.r, &g.r, &j);
	ck_assert(!j.by_time);
	ck_assert_uint_eq(j.n, 1);
	leaks_joint_release(&j);
}
END_TEST

/* A goroutine profile of four goroutines in main.wait: endpoint=/a (2),
 * endpoint=/b (1), none (1), and one with a numeric label. */
static struct profile *labelled_goroutines(int64_t na)
{
	struct profile *p = profile_new();
	struct pf_valtype t = { intern("goroutine"), intern("count") };
	struct pf_line l = { 0, 10, 0 };
	uint32_t st[1] = { 0 };
	int64_t one = 1, two = na;
	struct pf_label a = { intern("endpoint"), intern("/a"), 0, intern("") },
			b = { intern("endpoint"), intern("/b"), 0, intern("") },
			n = { intern("endpoint"), NULL, 3, intern("requests") };

	profile_set_types(p, &t, 1);
	profile_add_function(p, intern("main.wait"), intern("main.wait"), intern("m.go"), 1);
	profile_add_location(p, PF_NONE, 0x10, &l, 1);
	profile_add_sample(p, st, 1, &two, &a, 1);
	profile_add_sample(p, st, 1, &one, &b, 1);
	profile_add_sample(p, st, 1, &one, NULL, 0);
	profile_add_sample(p, st, 1, &one, &n, 1);
	return p;
}

/* gdump_build_by notes each group's label value; leaks --by makes a
 * site per value, "(none)" for the unlabelled, and only /a grows. */
START_TEST(test_by_groups)
{
	struct profile *p = labelled_goroutines(2);
	struct gdump d;
	struct leaks_opts o;
	struct leaks_series *s;
	struct leaks_result r;
	size_t i, k, seen = 0;
	const char *want[] = { "/a", "/b", NULL, "3 requests" };

	ck_assert_int_eq(gdump_build_by(p, &d, "endpoint"), 0);
	ck_assert_uint_eq(d.ngroups, 4);
	for (i = 0; i < d.ngroups; i++)
		for (k = 0; k < 4; k++)
			if ((d.groups[i].by == NULL) == (want[k] == NULL) &&
			    (!want[k] || strcmp(d.groups[i].by, want[k]) == 0))
				seen |= 1u << k;
	ck_assert_uint_eq(seen, 15);
	gdump_release(&d);
	profile_free(p);

	leaks_opts_init(&o);
	o.by = "endpoint";
	s = leaks_series_new(&o);
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(leaks_series_add(s, labelled_goroutines(2 + 10 * (int64_t)i), "x"), 0);
	ck_assert_int_eq(leaks_analyze(s, &r), 0);
	ck_assert_uint_eq(r.nsites, 4);
	ck_assert_str_eq(r.by, "endpoint");
	ck_assert_str_eq(r.sites[0].by, "/a"); /* the one suspect, first */
	ck_assert_int_eq(r.sites[0].verdict0, VERDICT_GROWING);
	ck_assert_double_eq(r.sites[0].v[4], 42);
	for (i = 1; i < r.nsites; i++) {
		ck_assert_int_eq(r.sites[i].verdict0, VERDICT_FLAT);
		ck_assert_double_eq(r.sites[i].v[4], 1);
	}
	for (i = 0, seen = 0; i < r.nsites; i++)
		seen += strcmp(r.sites[i].by, LEAKS_BY_NONE) == 0;
	ck_assert_uint_eq(seen, 1);
	{
		char nm[128];
		ck_assert_str_eq(leaks_site_name(&r, &r.sites[0], nm, sizeof(nm)), "main.wait {endpoint=/a}");
	}
	leaks_result_release(&r);
	leaks_series_free(s);
}
END_TEST

#define JOINT "testdata/joint/default/"

/* truth.tsv's leaked goroutines per round, the generator's own count. */
static size_t read_truth(double *leaked, size_t max)
{
	FILE *f = fopen(JOINT "truth.tsv", "r");
	char line[256];
	size_t n = 0;

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f)); /* header */
	while (n < max && fgets(line, sizeof(line), f)) {
		int round;
		long g;
		ck_assert_int_eq(sscanf(line, "%d\t%ld", &round, &g), 2);
		leaked[n++] = (double)g;
	}
	fclose(f);
	return n;
}

static struct leaks_series *load_series(const char *kind, const char *by, bool frames, size_t n)
{
	struct leaks_opts o;
	struct leaks_series *s;
	size_t i;

	leaks_opts_init(&o);
	o.by = by;
	o.frames = frames;
	s = leaks_series_new(&o);
	for (i = 0; i < n; i++) {
		char path[256];
		struct profile *p;
		snprintf(path, sizeof(path), JOINT "%s_%03zu.pb.gz", kind, i);
		p = load_profile(path);
		ck_assert_msg(p != NULL, "load %s: %s", path, err_msg());
		ck_assert_msg(leaks_series_add(s, p, path) == 0, "add %s: %s", path, err_msg());
	}
	return s;
}

/* --by=endpoint: the /api/tasks group counts exactly the goroutines the
 * generator leaked; the other endpoints' groups are not suspects. */
START_TEST(test_by_endpoint)
{
	double truth[16];
	size_t n = read_truth(truth, 16), i, j, found = 0;
	struct leaks_series *s = load_series("goroutine", "endpoint", false, n);
	struct leaks_result r;

	ck_assert_uint_ge(n, 6);
	ck_assert_int_eq(leaks_analyze(s, &r), 0);
	for (i = 0; i < r.nsites; i++) {
		const struct leaks_site *st = &r.sites[i];
		ck_assert_ptr_nonnull(st->by);
		if (strcmp(st->by, "/api/tasks") == 0 && strcmp(st->name, "main.startJob.func1") == 0) {
			found++;
			ck_assert_uint_eq(i, 0); /* ranked first */
			ck_assert_int_eq(st->verdict0, VERDICT_GROWING);
			for (j = 0; j < n; j++)
				ck_assert_double_eq(st->v[j], truth[j]);
		} else {
			ck_assert_int_ne(st->verdict0, VERDICT_GROWING);
		}
	}
	ck_assert_uint_eq(found, 1);
	leaks_result_release(&r);
	leaks_series_free(s);
}
END_TEST

/* The joined finding on the real series: the startJob goroutines with
 * the startJob buffers, at about 64 KiB a goroutine (the generator's
 * buffer; the estimate is sampled at Go's default MemProfileRate). */
START_TEST(test_join_series)
{
	double truth[16];
	size_t n = read_truth(truth, 16);
	struct leaks_series *hs = load_series("heap", NULL, true, n), *gs = load_series("goroutine", NULL, true, n);
	struct leaks_result rh, rg;
	struct leaks_joint j;

	ck_assert_int_eq(leaks_analyze(hs, &rh), 0);
	ck_assert_int_eq(leaks_analyze(gs, &rg), 0);
	leaks_join(&rh, &rg, &j);
	ck_assert_uint_eq(j.n, 1);
	ck_assert_str_eq(rg.sites[j.f[0].group].name, "main.startJob.func1");
	ck_assert_uint_ge(j.f[0].nsites, 1);
	ck_assert_str_eq(rh.sites[j.f[0].sites[0].site].name, "main.startJob");
	ck_assert_msg(j.f[0].per_goroutine > 48 * 1024 && j.f[0].per_goroutine < 80 * 1024, "%g bytes a goroutine",
		      j.f[0].per_goroutine);
	leaks_joint_release(&j);
	leaks_result_release(&rh);
	leaks_result_release(&rg);
	leaks_series_free(hs);
	leaks_series_free(gs);
}
END_TEST

Suite *suite_leaks_join(void)
{
	Suite *s = suite_create("leaks_join");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_corr);
	tcase_add_test(tc, test_align);
	tcase_add_test(tc, test_shares);
	tcase_add_test(tc, test_join_hand);
	tcase_add_test(tc, test_by_groups);
	tcase_add_test(tc, test_by_endpoint);
	tcase_add_test(tc, test_join_series);
	suite_add_tcase(s, tc);
	return s;
}
