/* Unit tests for drip diff's split path: one node table over two
 * profiles (graph_new_multi), the per-profile snapshots of a keep_all
 * accumulation, and profile_scale_n's exact negation.  The expected
 * values are worked out by hand in the comments. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "graph.h"
#include "profile.h"
#include "strtab.h"

Suite *suite_diffsplit(void);

static void one_type(struct profile *p)
{
	struct pf_valtype t = { intern("inuse_space"), intern("bytes") };

	profile_set_types(p, &t, 1);
}

static uint32_t loc1(struct profile *p, uint32_t fn, int64_t line)
{
	struct pf_line l = { fn, line, 0 };

	return profile_add_location(p, PF_NONE, 0, &l, 1);
}

/* b inlined into a: the location's first line is the inlined callee. */
static uint32_t loc_ba(struct profile *p, uint32_t fb, uint32_t fa)
{
	struct pf_line l[2] = { { fb, 5, 0 }, { fa, 3, 0 } };

	return profile_add_location(p, PF_NONE, 0, l, 2);
}

static uint32_t node_named(const struct graph *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nnodes; i++)
		if (strcmp(g->nodes[i].pname, name) == 0)
			return (uint32_t)i;
	return PF_NONE;
}

static bool in_order(const struct graph *g, uint32_t n)
{
	size_t i;

	for (i = 0; i < g->norder; i++)
		if (g->order[i] == n)
			return true;
	return false;
}

/* NEW: main -> a(b inlined) 10, main -> c 4.  BASE: the same functions in
 * another location order (so other location indexes): main -> a(b) 6,
 * main -> c 4, negated as profile_diff_prepare negates it.
 *   new:  main cum 14; a cum 10; b flat 10 cum 10; c flat 4 cum 4
 *   base: main cum -10; a cum -6; b flat -6 cum -6; c flat -4 cum -4
 *   both: main cum 4; a cum 4; b flat 4 cum 4; c 0 (not in the graph) */
START_TEST(test_multi_node_table)
{
	struct profile *np = profile_new(), *bp = profile_new();
	const struct profile *ps[2];
	const char *e = intern_empty();
	struct graph_opts go;
	struct trim_opts to;
	struct trim_result tr;
	struct graph *g;
	int64_t snf[8], snc[8], saf[8], sac[8];
	uint32_t fm, fa, fb, fc, s[2], main_n, a_n, b_n, c_n;
	int64_t v;

	one_type(np);
	fm = profile_add_function(np, intern("main"), e, intern("m.go"), 0);
	fa = profile_add_function(np, intern("a"), e, intern("m.go"), 0);
	fb = profile_add_function(np, intern("b"), e, intern("m.go"), 0);
	fc = profile_add_function(np, intern("c"), e, intern("m.go"), 0);
	s[1] = loc1(np, fm, 1);
	s[0] = loc_ba(np, fb, fa);
	v = 10;
	profile_add_sample(np, s, 2, &v, NULL, 0);
	s[0] = loc1(np, fc, 7);
	v = 4;
	profile_add_sample(np, s, 2, &v, NULL, 0);

	one_type(bp);
	fc = profile_add_function(bp, intern("c"), e, intern("m.go"), 0);
	fb = profile_add_function(bp, intern("b"), e, intern("m.go"), 0);
	fa = profile_add_function(bp, intern("a"), e, intern("m.go"), 0);
	fm = profile_add_function(bp, intern("main"), e, intern("m.go"), 0);
	s[0] = loc1(bp, fc, 7);
	s[1] = loc1(bp, fm, 1);
	v = 4;
	profile_add_sample(bp, s, 2, &v, NULL, 0);
	s[0] = loc_ba(bp, fb, fa);
	v = 6;
	profile_add_sample(bp, s, 2, &v, NULL, 0);
	ck_assert_int_eq(profile_diff_prepare(np, bp, false), 0);
	ck_assert_int_eq(pf_values(bp, 0)[0], -4);
	ck_assert_int_eq(pf_values(bp, 1)[0], -6);

	memset(&go, 0, sizeof(go));
	go.mean_index = -1;
	go.inline_edges_only = true;
	ps[0] = np;
	ps[1] = bp;
	g = graph_new_multi(ps, 2, &go);
	ck_assert_uint_eq(g->nnodes, 4); /* main, a, b, c: one node each */
	main_n = node_named(g, "main");
	a_n = node_named(g, "a");
	b_n = node_named(g, "b");
	c_n = node_named(g, "c");
	ck_assert(main_n != PF_NONE && a_n != PF_NONE && b_n != PF_NONE && c_n != PF_NONE);

	g->snap_flat = snf;
	g->snap_cum = snc;
	g->snap_all_flat = saf;
	g->snap_all_cum = sac;
	memset(&to, 0, sizeof(to));
	to.nodefraction = 0.005;
	to.edgefraction = 0.001;
	graph_trim(g, &to, &tr);
	g->snap_flat = g->snap_cum = g->snap_all_flat = g->snap_all_cum = NULL;

	ck_assert_int_eq(snc[main_n], 14);
	ck_assert_int_eq(snc[a_n], 10);
	ck_assert_int_eq(snf[b_n], 10);
	ck_assert_int_eq(snf[c_n], 4);
	ck_assert_int_eq(sac[main_n], 4);
	ck_assert_int_eq(saf[main_n], 0);
	ck_assert_int_eq(sac[a_n], 4);
	ck_assert_int_eq(saf[b_n], 4);
	ck_assert_int_eq(sac[b_n], 4);
	ck_assert_int_eq(saf[c_n], 0);
	ck_assert_int_eq(sac[c_n], 0);
	/* base = new - both, negated back: b flat 6, main cum 10 */
	ck_assert_int_eq(snf[b_n] - saf[b_n], 6);
	ck_assert_int_eq(snc[main_n] - sac[main_n], 10);

	ck_assert_uint_eq(g->norder, 3);
	ck_assert(!in_order(g, c_n));
	ck_assert_int_eq(g->nodes[b_n].flat, 4);
	ck_assert_int_eq(g->nodes[main_n].cum, 4);
	/* b's one in-edge, from a, is inline in both profiles: weight 10 - 6 */
	ck_assert_uint_eq(g->nodes[b_n].nin, 1);
	ck_assert(g->edges[g->nodes[b_n].in[0]].inline_);
	ck_assert_uint_eq(g->edges[g->nodes[b_n].in[0]].src, a_n);
	ck_assert_int_eq(g->edges[g->nodes[b_n].in[0]].weight, 4);
	graph_free(g);
	profile_free(np);
	profile_free(bp);
}
END_TEST

/* Negation by profile_scale_n(-1) is llround(v * -1.0): exact up to 2^53;
 * 2^53 + 1 is not a double and rounds (to even) to 2^53 first. */
START_TEST(test_scale_negate)
{
	struct profile *p = profile_new();
	static const int64_t vals[] = { 7, -3, INT64_C(1) << 53, (INT64_C(1) << 53) + 1, -(INT64_C(1) << 53) - 1, 0 };
	static const int64_t want[] = { -7, 3, -(INT64_C(1) << 53), -(INT64_C(1) << 53), INT64_C(1) << 53 };
	double r = -1;
	uint32_t loc;
	size_t i;

	one_type(p);
	loc = loc1(p, profile_add_function(p, intern("f"), intern_empty(), intern_empty(), 0), 1);
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		profile_add_sample(p, &loc, 1, &vals[i], NULL, 0);
	profile_scale_n(p, &r);
	ck_assert_uint_eq(p->nsamples, 5); /* the zero sample is dropped, as ScaleN */
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(pf_values(p, i)[0], want[i]);
	profile_free(p);
}
END_TEST

Suite *suite_diffsplit(void)
{
	Suite *s = suite_create("diffsplit");
	TCase *tc = tcase_create("diffsplit");

	tcase_add_test(tc, test_multi_node_table);
	tcase_add_test(tc, test_scale_negate);
	suite_add_tcase(s, tc);
	return s;
}
