/* Unit tests for the leaks engine (src/lib/leaks.c, leaks_report.c):
 * the streaming series gives the analysis an all-at-once one would
 * (order added, one analysis per round as drip watch does), and the
 * verdicts on a hand-made series are the hand-computed ones.  Also
 * graph_values (src/lib/graph.c), which the series reduces snapshots
 * with, against graph_accumulate.  Paths are relative to the source
 * tree (make unit runs there). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "graph.h"
#include "leaks.h"
#include "load.h"
#include "profile.h"
#include "sampling.h"
#include "strtab.h"

Suite *suite_leaks(void);

#define SERIES "testdata/series/"

/* The report of an analysis, text then JSON with every site listed. */
static char *report(const struct leaks_series *s)
{
	struct leaks_result r;
	struct leaks_render_opts ro = { .all = true, .ascii = false };
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_msg(leaks_analyze(s, &r) == 0, "leaks_analyze: %s", err_msg());
	f = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(f);
	leaks_write_text(&r, &ro, f);
	leaks_write_json(&r, &ro, f);
	fclose(f);
	leaks_result_release(&r);
	return out;
}

/* Reports equal, or a failure showing where they part (a whole report
 * is too long for Check's message). */
static void same_report(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	ck_assert_msg(a[i] == b[i], "reports differ at byte %zu: '%.80s' vs '%.80s'", i, a + i, b + i);
}

static void add_file(struct leaks_series *s, const char *path)
{
	struct profile *p = load_profile(path);

	ck_assert_msg(p != NULL, "load %s: %s", path, err_msg());
	ck_assert_msg(leaks_series_add(s, p, path) == 0, "add %s: %s", path, err_msg());
}

static struct leaks_series *series_of(const char *dir, const char *fmt, const int *order, int n,
				      const struct leaks_opts *o)
{
	struct leaks_series *s = leaks_series_new(o);
	char path[256];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s%s/", SERIES, dir);
		snprintf(path + strlen(path), sizeof(path) - strlen(path), fmt, order[i]);
		add_file(s, path);
	}
	return s;
}

static const int in_order[] = { 0, 1, 2, 3, 4, 5 };
static const int shuffled[] = { 3, 0, 5, 1, 4, 2 };

/* Proto snapshots carry their time: added in any order, the series is
 * analysed in time order, so the report is the in-order one, byte for
 * byte: same snapshots, values, verdicts and ranking. */
static void check_shuffled(const char *dir, const char *fmt, const char *first_suspect)
{
	struct leaks_opts o;
	struct leaks_series *a, *b;
	struct leaks_result r;
	char *ra, *rb;

	leaks_opts_init(&o);
	a = series_of(dir, fmt, in_order, 6, &o);
	b = series_of(dir, fmt, shuffled, 6, &o);
	ra = report(a);
	rb = report(b);
	same_report(ra, rb);
	/* and it is the analysis it should be: time order, the leak first
	 * (testdata/series/manifest.tsv's expected_top) */
	ck_assert_int_eq(leaks_analyze(b, &r), 0);
	ck_assert(r.by_time);
	ck_assert_uint_eq(r.n, 6);
	ck_assert(strstr(r.snaps[0].name, "_000.") != NULL);
	ck_assert(strstr(r.snaps[5].name, "_005.") != NULL);
	ck_assert_uint_ge(r.nsuspects, 1);
	ck_assert_str_eq(r.sites[0].name, first_suspect);
	ck_assert_int_eq(r.sites[0].verdict0, VERDICT_GROWING);
	leaks_result_release(&r);
	free(ra);
	free(rb);
	leaks_series_free(a);
	leaks_series_free(b);
}

START_TEST(test_shuffled_heap)
{
	check_shuffled("cache-leak", "heap_%03d.pb.gz", "main.(*leakyCache).Put");
}
END_TEST

START_TEST(test_shuffled_goroutine)
{
	check_shuffled("goroutine-leak", "goroutine_%03d.pb.gz", "main.leakyWorker");
}
END_TEST

/* A series without times (debug=1 / debug=2 text) is analysed in the
 * order added: shuffled, the first snapshot is the first added. */
START_TEST(test_no_time_order_added)
{
	struct leaks_opts o;
	struct leaks_series *s;
	struct leaks_result r;

	leaks_opts_init(&o);
	s = series_of("cache-leak", "heap_%03d.debug1.txt", shuffled, 6, &o);
	ck_assert_int_eq(leaks_analyze(s, &r), 0);
	ck_assert(!r.by_time);
	ck_assert(strstr(r.snaps[0].name, "heap_003.") != NULL);
	ck_assert(strstr(r.snaps[5].name, "heap_002.") != NULL);
	leaks_result_release(&r);
	leaks_series_free(s);
}
END_TEST

/* drip watch: one series, one snapshot added per round, analysed after
 * each round; each analysis is the one a fresh series of the same
 * snapshots gives (the saved files re-read, as watch used to). */
static void check_rounds(const char *dir, const char *fmt, const struct leaks_opts *o)
{
	struct leaks_series *w = leaks_series_new(o);
	char path[256];
	int k;

	for (k = 0; k < 6; k++) {
		snprintf(path, sizeof(path), "%s%s/", SERIES, dir);
		snprintf(path + strlen(path), sizeof(path) - strlen(path), fmt, k);
		add_file(w, path);
		ck_assert_uint_eq(leaks_series_len(w), (size_t)k + 1);
		if (k >= 1) {
			struct leaks_series *fresh = series_of(dir, fmt, in_order, k + 1, o);
			char *a = report(w), *b = report(fresh);
			same_report(a, b);
			free(a);
			free(b);
			leaks_series_free(fresh);
		}
	}
	leaks_series_free(w);
}

START_TEST(test_rounds_heap)
{
	struct leaks_opts o;

	leaks_opts_init(&o);
	check_rounds("cache-leak", "heap_%03d.pb.gz", &o);
	check_rounds("log-leak", "heap_%03d.debug1.txt", &o);
	o.types = "alloc_space";
	o.gran = GRAN_LINES;
	check_rounds("http-leak", "heap_%03d.pb.gz", &o);
}
END_TEST

START_TEST(test_rounds_goroutine)
{
	struct leaks_opts o;

	leaks_opts_init(&o);
	check_rounds("goroutine-leak", "goroutine_%03d.debug2.txt", &o);
	check_rounds("goroutine-healthy", "goroutine_%03d.pb.gz", &o);
}
END_TEST

/* An empty heap snapshot of types {inuse_objects, inuse_space} at time. */
static struct profile *inuse_heap(int64_t time)
{
	struct profile *p = profile_new();
	struct pf_valtype t[2] = { { intern("inuse_objects"), intern("count") }, { intern("inuse_space"), intern("bytes") } };

	profile_set_types(p, t, 2);
	p->default_type = -1;
	p->time_nanos = time;
	return p;
}

/* A location of one frame: function fn at file:line. */
static uint32_t hand_loc(struct profile *p, const char *fn, const char *file, int64_t line, uint64_t addr)
{
	struct pf_line l;

	l.function = profile_add_function(p, intern(fn), intern(fn), intern(file), 1);
	l.line = line;
	l.column = 0;
	return profile_add_location(p, PF_NONE, addr, &l, 1);
}

/* A sample of stk[0..n) (leaf first) holding objects and space. */
static void hand_sample(struct profile *p, const uint32_t *stk, size_t n, int64_t objects, int64_t space)
{
	int64_t v[2] = { objects, space };

	profile_add_sample(p, stk, n, v, NULL, 0);
}

/* A heap snapshot made by hand: site A (leaf main.a) and site B (leaf
 * main.b, called from main.a), values {inuse_objects, inuse_space}. */
static struct profile *hand_heap(int64_t time, int64_t a_obj, int64_t a_space, int64_t b_obj, int64_t b_space)
{
	struct profile *p = inuse_heap(time);
	uint32_t a = hand_loc(p, "main.a", "a.go", 3, 0x1000);
	uint32_t stk[2] = { hand_loc(p, "main.b", "b.go", 7, 0x2000), a }; /* leaf main.b, caller main.a */

	hand_sample(p, &a, 1, a_obj, a_space);
	hand_sample(p, stk, 2, b_obj, b_space);
	return p;
}

/* Hand calculation.  inuse_space: A 100, 200, 300 (an exact line: slope
 * 100 per snapshot, R² 1, t exact, late share (300-200)/200 = 0.5);
 * B 50, 50, 50 (no growth).  Last total 350, floor max(1% of 350, 0) =
 * 3.5 bytes with --min-growth=0 (the default byte floor is tested in
 * test_byte_floor): A grows (growth 200 >= 3.5), B is flat.  No sampling
 * rate (period 0), so no noise test.  Added last-first: time order wins.
 * With --cum (o.cum) main.a holds B's values too: 150, 250, 350. */
START_TEST(test_hand_series)
{
	struct leaks_opts o;
	struct leaks_series *s;
	struct leaks_result r;
	int64_t base = 1700000000LL * 1000000000LL;

	leaks_opts_init(&o);
	o.min_growth = "0";
	s = leaks_series_new(&o);
	ck_assert_int_eq(leaks_series_add(s, hand_heap(base + 2000000000LL, 3, 300, 1, 50), "t2"), 0);
	ck_assert_int_eq(leaks_series_add(s, hand_heap(base, 1, 100, 1, 50), "t0"), 0);
	ck_assert_int_eq(leaks_series_add(s, hand_heap(base + 1000000000LL, 2, 200, 1, 50), "t1"), 0);
	ck_assert_int_eq(leaks_analyze(s, &r), 0);
	ck_assert(!r.goroutine);
	ck_assert(r.by_time);
	ck_assert_str_eq(r.snaps[0].name, "t0");
	ck_assert_str_eq(r.snaps[2].name, "t2");
	ck_assert_uint_eq(r.nt, 2);
	ck_assert_str_eq(r.types[0].name, "inuse_space");
	ck_assert_str_eq(r.types[1].name, "inuse_objects");
	ck_assert_int_eq(r.types[0].companion, 1);
	ck_assert_int_eq(r.types[0].total[2], 350);
	ck_assert_double_eq_tol(r.types[0].floor, 3.5, 1e-12);
	ck_assert_uint_eq(r.nsites, 2);
	ck_assert_uint_eq(r.nsuspects, 1);
	ck_assert_uint_eq(r.nnoisy, 0);
	ck_assert_str_eq(r.sites[0].name, "main.a");
	ck_assert_double_eq(r.sites[0].v[0], 100);
	ck_assert_double_eq(r.sites[0].v[1], 200);
	ck_assert_double_eq(r.sites[0].v[2], 300);
	ck_assert_double_eq(r.sites[0].v[3 + 2], 3); /* objects */
	ck_assert_double_eq_tol(r.sites[0].tr[0].slope, 100, 1e-9);
	ck_assert_double_eq_tol(r.sites[0].tr[0].slope_sec, 100, 1e-6); /* one second apart */
	ck_assert_double_eq_tol(r.sites[0].tr[0].r2, 1, 1e-12);
	ck_assert_double_eq_tol(r.sites[0].tr[0].late, 0.5, 1e-12);
	ck_assert_int_eq(r.sites[0].verdict0, VERDICT_GROWING);
	ck_assert_str_eq(r.sites[1].name, "main.b");
	ck_assert_double_eq(r.sites[1].tr[0].growth, 0);
	ck_assert_int_eq(r.sites[1].verdict0, VERDICT_FLAT);
	leaks_result_release(&r);
	leaks_series_free(s);

	o.cum = true;
	s = leaks_series_new(&o);
	ck_assert_int_eq(leaks_series_add(s, hand_heap(base, 1, 100, 1, 50), "t0"), 0);
	ck_assert_int_eq(leaks_series_add(s, hand_heap(base + 1000000000LL, 2, 200, 1, 50), "t1"), 0);
	ck_assert_int_eq(leaks_series_add(s, hand_heap(base + 2000000000LL, 3, 300, 1, 50), "t2"), 0);
	ck_assert_int_eq(leaks_analyze(s, &r), 0);
	ck_assert_str_eq(r.sites[0].name, "main.a");
	ck_assert_double_eq(r.sites[0].v[0], 150);
	ck_assert_double_eq(r.sites[0].v[2], 350);
	leaks_result_release(&r);
	leaks_series_free(s);
}
END_TEST

/* The default floor of a heap type in bytes is 64 KiB, whatever 1% of
 * the heap is (hand calculation): main.a 10000, 40000, 75535 bytes grew
 * 65535 < 65536 (1% of the last total 75585 is 756): flat; 10000, 43000,
 * 76000 (an exact line) grew 66000: growing.  --min-growth=0 gives the
 * 1% floor back: the first grows too. */
static void byte_floor_case(int64_t mid, int64_t last, const char *min_growth, double want_floor,
			    enum verdict want)
{
	struct leaks_opts o;
	struct leaks_series *s;
	struct leaks_result r;
	int64_t base = 1700000000LL * 1000000000LL;

	leaks_opts_init(&o);
	o.min_growth = min_growth;
	s = leaks_series_new(&o);
	ck_assert_int_eq(leaks_series_add(s, hand_heap(base, 1, 10000, 1, 50), "t0"), 0);
	ck_assert_int_eq(leaks_series_add(s, hand_heap(base + 1000000000LL, 2, mid, 1, 50), "t1"), 0);
	ck_assert_int_eq(leaks_series_add(s, hand_heap(base + 2000000000LL, 3, last, 1, 50), "t2"), 0);
	ck_assert_int_eq(leaks_analyze(s, &r), 0);
	ck_assert_double_eq_tol(r.types[0].floor, want_floor, 1e-9);
	ck_assert_str_eq(r.sites[0].name, "main.a");
	ck_assert_int_eq(r.sites[0].verdict0, want);
	ck_assert_uint_eq(r.nsuspects, want == VERDICT_GROWING ? 1 : 0);
	leaks_result_release(&r);
	leaks_series_free(s);
}

START_TEST(test_byte_floor)
{
	ck_assert_double_eq(LEAKS_MIN_GROWTH_BYTES, 65536);
	byte_floor_case(40000, 75535, NULL, 65536, VERDICT_FLAT);
	byte_floor_case(43000, 76000, NULL, 65536, VERDICT_GROWING);
	byte_floor_case(40000, 75535, "0", 755.85, VERDICT_GROWING);
}
END_TEST

/* A heap snapshot as Go 1.27 records allocations on the system stack:
 * runtime.mallocgc <- runtime.newobject <- runtime.malg <- runtime.newproc1
 * (g records, `g` objects of 400 bytes); a user allocation main.keep
 * (1000 bytes, no allocator frames); and a sample of allocator frames
 * only (runtime.mallocgc <- runtime.growslice, 64 bytes), which keeps its
 * last frame. */
static struct profile *go127_heap(int64_t time, int64_t g)
{
	static const char *const fn[] = { "runtime.mallocgc", "runtime.newobject", "runtime.malg", "runtime.newproc1",
					  "main.keep", "runtime.growslice" };
	struct profile *p = inuse_heap(time);
	uint32_t loc[6];
	size_t i;

	for (i = 0; i < 6; i++)
		loc[i] = hand_loc(p, fn[i], "proc.go", 10, 0x1000 + 16 * i);
	hand_sample(p, loc, 4, g, 400 * g); /* mallocgc <- newobject <- malg <- newproc1 */
	hand_sample(p, &loc[4], 1, 1, 1000);
	{
		uint32_t stk[2] = { loc[0], loc[5] };
		hand_sample(p, stk, 2, 1, 64);
	}
	return p;
}

/* Sites by hand: runtime.malg 400 * g bytes (its allocator frames
 * dropped), main.keep 1000, runtime.growslice 64 (allocator frames only:
 * the outermost stays); no runtime.mallocgc site. */
START_TEST(test_allocator_frames)
{
	struct leaks_opts o;
	struct leaks_series *s;
	struct leaks_result r;
	int64_t base = 1700000000LL * 1000000000LL;
	size_t i;
	bool malg = false, keep = false, grow = false;

	leaks_opts_init(&o);
	s = leaks_series_new(&o);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(leaks_series_add(s, go127_heap(base + (int64_t)i * 1000000000LL, 100 + 200 * (int64_t)i), "s"), 0);
	ck_assert_int_eq(leaks_analyze(s, &r), 0);
	ck_assert_uint_eq(r.nsites, 3);
	for (i = 0; i < r.nsites; i++) {
		const struct leaks_site *st = &r.sites[i];
		ck_assert_str_ne(st->name, "runtime.mallocgc");
		if (strcmp(st->name, "runtime.malg") == 0) {
			malg = true;
			ck_assert_double_eq(st->v[0], 40000);
			ck_assert_double_eq(st->v[2], 200000);
			ck_assert_int_eq(st->verdict0, VERDICT_GROWING);
			ck_assert(leaks_site_malg(&r, st));
		} else if (strcmp(st->name, "main.keep") == 0) {
			keep = true;
			ck_assert_double_eq(st->v[2], 1000);
		} else if (strcmp(st->name, "runtime.growslice") == 0) {
			grow = true;
			ck_assert_double_eq(st->v[2], 64);
		}
	}
	ck_assert(malg && keep && grow);
	leaks_result_release(&r);
	leaks_series_free(s);
}
END_TEST

START_TEST(test_errors)
{
	struct leaks_opts o;
	struct leaks_series *s;
	struct leaks_result r;

	leaks_opts_init(&o);
	/* one snapshot: nothing to analyse */
	s = leaks_series_new(&o);
	add_file(s, SERIES "cache-leak/heap_000.pb.gz");
	ck_assert_int_eq(leaks_analyze(s, &r), -1);
	/* a goroutine profile among heap profiles: counted, then refused */
	add_file(s, SERIES "cache-leak/goroutine_001.pb.gz");
	add_file(s, SERIES "cache-leak/heap_002.pb.gz");
	ck_assert_uint_eq(leaks_series_len(s), 3);
	ck_assert_int_eq(leaks_analyze(s, &r), -1);
	ck_assert_str_eq(err_msg(), "snapshots of different kinds: 1 goroutine profile and 2 heap profiles; give one kind");
	leaks_series_free(s);
	/* a sample type a snapshot lacks */
	o.types = "nope";
	s = series_of("cache-leak", "heap_%03d.pb.gz", in_order, 2, &o);
	ck_assert_int_eq(leaks_analyze(s, &r), -1);
	ck_assert(strstr(err_msg(), "'nope'") != NULL);
	leaks_series_free(s);
	/* a byte floor for goroutine counts */
	leaks_opts_init(&o);
	o.min_growth = "1MB";
	s = series_of("goroutine-leak", "goroutine_%03d.pb.gz", in_order, 2, &o);
	ck_assert_int_eq(leaks_analyze(s, &r), LEAKS_EMIN_GROWTH);
	leaks_series_free(s);
	leaks_series_free(NULL);
}
END_TEST

/* --by conserves the values: over every label value, a site's split
 * values sum to its unsplit ones, per type and snapshot (heap by the
 * bytes label, flat and cum, two granularities; goroutines by endpoint). */
static void check_by_sums(const char *const *files, size_t n, const struct leaks_opts *base, const char *by)
{
	struct leaks_opts o = *base;
	struct leaks_series *a = leaks_series_new(&o), *b;
	struct leaks_result ra, rb;
	size_t i, j, k, nsplit = 0;

	o.by = by;
	b = leaks_series_new(&o);
	for (i = 0; i < n; i++) {
		add_file(a, files[i]);
		add_file(b, files[i]);
	}
	ck_assert_int_eq(leaks_analyze(a, &ra), 0);
	ck_assert_int_eq(leaks_analyze(b, &rb), 0);
	ck_assert_uint_eq(ra.nt, rb.nt);
	ck_assert_uint_ge(rb.nsites, ra.nsites);
	for (i = 0; i < ra.nsites; i++) {
		const struct leaks_site *sa = &ra.sites[i];
		double *sum = calloc(ra.nt * ra.n, sizeof(double));
		size_t kl = strlen(sa->key), parts = 0;
		for (j = 0; j < rb.nsites; j++) {
			const struct leaks_site *sb = &rb.sites[j];
			ck_assert_ptr_nonnull(sb->by);
			if (strlen(sb->key) != kl + 1 + strlen(sb->by) || strncmp(sb->key, sa->key, kl) != 0 ||
			    sb->key[kl] != '\x1f')
				continue;
			parts++;
			for (k = 0; k < ra.nt * ra.n; k++)
				sum[k] += sb->v[k];
		}
		ck_assert_uint_ge(parts, 1);
		nsplit += parts > 1;
		for (k = 0; k < ra.nt * ra.n; k++)
			ck_assert_msg(fabs(sum[k] - sa->v[k]) <= 1e-6 * fabs(sa->v[k]) + 1e-9, "%s: %g vs %g", sa->name,
				      sum[k], sa->v[k]);
		free(sum);
	}
	ck_assert_uint_gt(nsplit, 0); /* some site was split */
	leaks_result_release(&ra);
	leaks_result_release(&rb);
	leaks_series_free(a);
	leaks_series_free(b);
}

START_TEST(test_by_sums)
{
	const char *heap[] = { SERIES "http-leak/heap_000.pb.gz", SERIES "http-leak/heap_001.pb.gz",
			       SERIES "http-leak/heap_002.pb.gz" };
	const char *gor[] = { "testdata/joint/default/goroutine_000.pb.gz", "testdata/joint/default/goroutine_003.pb.gz",
			      "testdata/joint/default/goroutine_007.pb.gz" };
	struct leaks_opts o;

	leaks_opts_init(&o);
	check_by_sums(heap, 3, &o, "bytes");
	o.gran = GRAN_LINES;
	check_by_sums(heap, 3, &o, "bytes");
	leaks_opts_init(&o);
	o.cum = true;
	check_by_sums(heap, 3, &o, "bytes");
	leaks_opts_init(&o);
	check_by_sums(gor, 3, &o, "endpoint");
}
END_TEST

/* graph_values gives every node what graph_accumulate gives it, for
 * each sample type, flat and cum, at two granularities. */
START_TEST(test_graph_values)
{
	struct profile *p = load_profile("testdata/profiles/heap.pb.gz");
	enum granularity gr[2] = { GRAN_FUNCTIONS, GRAN_LINES };
	size_t gi, i, k;

	ck_assert_ptr_nonnull(p);
	for (gi = 0; gi < 2; gi++) {
		struct graph_opts go;
		struct graph *g;
		int idx[8];
		int64_t *flat, *cum;
		size_t nt = p->ntypes;

		memset(&go, 0, sizeof(go));
		go.mean_index = -1;
		go.gran = gr[gi];
		g = graph_new(p, &go);
		for (k = 0; k < nt; k++)
			idx[k] = (int)(nt - 1 - k); /* any order */
		int64_t *flat_only;
		flat = calloc(g->nnodes * nt + 1, sizeof(int64_t));
		cum = calloc(g->nnodes * nt + 1, sizeof(int64_t));
		flat_only = calloc(g->nnodes * nt + 1, sizeof(int64_t));
		graph_values(g, idx, nt, flat, cum);
		graph_values(g, idx, nt, flat_only, NULL); /* flat alone: no walk past the leaf */
		for (k = 0; k < nt; k++) {
			size_t nonzero = 0, nflat = 0;
			g->opts.sample_index = idx[k];
			graph_accumulate(g, true);
			for (i = 0; i < g->nnodes; i++) {
				ck_assert_int_eq(flat[i * nt + k], g->nodes[i].flat);
				ck_assert_int_eq(flat_only[i * nt + k], g->nodes[i].flat);
				ck_assert_int_eq(cum[i * nt + k], g->nodes[i].cum);
				nonzero += g->nodes[i].cum != 0;
				nflat += g->nodes[i].flat != 0;
			}
			ck_assert_uint_gt(nonzero, 10);
			ck_assert_uint_gt(nflat, 3);
		}
		free(flat);
		free(cum);
		free(flat_only);
		graph_free(g);
	}
	profile_free(p);
}
END_TEST

/* leaks_analyze_verdicts (drip watch's rounds) gives leaks_analyze's
 * verdicts, ranks and counts, and runs the sampling test exactly where
 * a verdict reads it: on a sampled series with some flat sites, some
 * sites go without it and the others have leaks_analyze's test. */
START_TEST(test_analyze_verdicts)
{
	struct leaks_opts o;
	struct leaks_series *s;
	struct leaks_result full, lazy;
	size_t i, k, skipped = 0, kept = 0;

	leaks_opts_init(&o);
	s = series_of("http-leak", "heap_%03d.pb.gz", in_order, 6, &o);
	ck_assert_int_eq(leaks_analyze(s, &full), 0);
	ck_assert_int_eq(leaks_analyze_verdicts(s, &lazy), 0);
	ck_assert_int_ge(full.samples, 0); /* a sampled series */
	ck_assert_uint_eq(full.nsites, lazy.nsites);
	ck_assert_uint_eq(full.nsuspects, lazy.nsuspects);
	ck_assert_uint_eq(full.nnoisy, lazy.nnoisy);
	for (i = 0; i < full.nsites; i++) {
		const struct leaks_site *a = &full.sites[i], *b = &lazy.sites[i];
		bool need = false;
		ck_assert_str_eq(a->key, b->key);
		ck_assert(a->has_st);
		for (k = 0; k < full.nt; k++) {
			ck_assert_int_eq(a->verdict[k], b->verdict[k]);
			need |= sampling_needs_test(&a->tr[k], &full.rules, full.types[k].floor);
		}
		ck_assert(b->has_st == need);
		if (need) {
			ck_assert(a->st.p == b->st.p);
			kept++;
		} else {
			skipped++;
		}
	}
	ck_assert_uint_gt(kept, 0);
	ck_assert_uint_gt(skipped, 0);
	leaks_result_release(&full);
	leaks_result_release(&lazy);
	leaks_series_free(s);
}
END_TEST

Suite *suite_leaks(void)
{
	Suite *s = suite_create("leaks");
	TCase *tc = tcase_create("leaks");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_shuffled_heap);
	tcase_add_test(tc, test_shuffled_goroutine);
	tcase_add_test(tc, test_no_time_order_added);
	tcase_add_test(tc, test_rounds_heap);
	tcase_add_test(tc, test_rounds_goroutine);
	tcase_add_test(tc, test_hand_series);
	tcase_add_test(tc, test_byte_floor);
	tcase_add_test(tc, test_allocator_frames);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_graph_values);
	tcase_add_test(tc, test_by_sums);
	tcase_add_test(tc, test_analyze_verdicts);
	suite_add_tcase(s, tc);
	return s;
}
