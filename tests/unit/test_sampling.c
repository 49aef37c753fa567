/* Unit tests for src/lib/sampling.c: the sampled-count leak test of
 * sampled heap profiles.  Expected numbers are hand calculations,
 * written out next to the assertions. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "profile.h"
#include "sampling.h"
#include "strtab.h"
#include "trend.h"

Suite *suite_sampling(void);

START_TEST(test_count_inverse_of_go_scaling)
{
	/* One sampled 4 KiB object at rate 512 KiB: Go scales by
	 * 1/(1-exp(-4096/524288)) = 128.5 and truncates: 128 objects,
	 * 128*4096 bytes.  Back: 128 * (1 - exp(-1/128)) = 0.99610 */
	ck_assert_double_eq_tol(sampling_count(128, 128 * 4096.0, 524288), 0.9961039027, 1e-9);
	/* rate 1: every object recorded */
	ck_assert_double_eq_tol(sampling_count(7, 700, 1), 7, 1e-12);
	ck_assert_double_eq_tol(sampling_count(0, 700, 524288), 0, 1e-12);
	/* objects larger than the rate: sampled with p = 1 - exp(-4) */
	ck_assert_double_eq_tol(sampling_count(10, 10 * 2097152.0, 524288), 10 * (1 - exp(-4.0)), 1e-9);
}
END_TEST

START_TEST(test_add_type)
{
	struct profile *p = profile_new();
	struct pf_valtype t[2] = { { intern("inuse_objects"), intern("count") },
				   { intern("inuse_space"), intern("bytes") } };
	int64_t v1[2] = { 128, 128 * 4096 }, v2[2] = { 3 * 128, 3 * 128 * 4096 }, v3[2] = { 0, 0 };
	int k;

	profile_set_types(p, t, 2);
	p->period_type.type = intern("space");
	p->period_type.unit = intern("bytes");
	p->period = 524288;
	profile_add_sample(p, NULL, 0, v1, NULL, 0);
	profile_add_sample(p, NULL, 0, v2, NULL, 0);
	profile_add_sample(p, NULL, 0, v3, NULL, 0);
	k = sampling_add_type(p);
	ck_assert_int_eq(k, 2);
	ck_assert_uint_eq(p->ntypes, 3);
	ck_assert_str_eq(p->types[2].type, SAMPLING_TYPE);
	ck_assert_str_eq(p->types[2].unit, "count");
	/* 0.996 -> 1; 3 * 0.996 = 2.988 -> 3; nothing -> 0 */
	ck_assert_int_eq(pf_values(p, 0)[2], 1);
	ck_assert_int_eq(pf_values(p, 1)[2], 3);
	ck_assert_int_eq(pf_values(p, 2)[2], 0);
	/* the old values are kept */
	ck_assert_int_eq(pf_values(p, 1)[0], 384);
	ck_assert_int_eq(pf_values(p, 1)[1], 384 * 4096);
	profile_free(p);
}
END_TEST

START_TEST(test_add_type_needs_bytes)
{
	struct profile *p = profile_new();
	struct pf_valtype t[1] = { { intern("goroutine"), intern("count") } };

	profile_set_types(p, t, 1);
	ck_assert_int_lt(sampling_add_type(p), 0);
	profile_free(p);
}
END_TEST

START_TEST(test_two_snapshots_exact)
{
	/* c = 0, 1: gained 1, lost 0, mean 0.5.  Without persistence
	 * (s = 0) C0 and C1 are independent Poisson(0.5) and
	 * P(C1 > C0) = (1 - P(C1 = C0)) / 2 = (1 - e^-1 I0(1)) / 2
	 * with I0(1) = sum 0.25^k / k!^2 = 1.2660658778: 0.2671202.
	 * Persistence (s > 0) only makes a rise less likely, so this is
	 * the largest over the survival rates. */
	int64_t c[2] = { 0, 1 };
	struct sampling_test t;

	sampling_test(c, 2, &t);
	ck_assert_int_eq(t.gained, 1);
	ck_assert_int_eq(t.lost, 0);
	ck_assert(t.exact);
	ck_assert_double_eq_tol(t.mean, 0.5, 1e-12);
	ck_assert_double_eq_tol(t.p, 0.2671202, 1e-6);
	ck_assert_double_eq_tol(t.survival, 0, 1e-12);
}
END_TEST

START_TEST(test_nothing_gained)
{
	int64_t flat[4] = { 5, 5, 5, 5 }, down[4] = { 9, 7, 7, 2 };
	struct sampling_test t;

	sampling_test(flat, 4, &t);
	ck_assert_double_eq(t.p, 1);
	sampling_test(down, 4, &t);
	ck_assert_int_eq(t.gained, 0);
	ck_assert_int_eq(t.lost, 7);
	ck_assert_double_eq(t.p, 1);
}
END_TEST

START_TEST(test_leak_vs_churn)
{
	/* A steady accumulation is unlikely under churn (mean 10, yet it
	 * only gained); a path around the same level that gains and loses
	 * is likely. */
	int64_t leak[6] = { 4, 6, 9, 11, 14, 16 }, churn[6] = { 10, 12, 9, 13, 10, 12 };
	struct sampling_test a, b;

	sampling_test(leak, 6, &a);
	sampling_test(churn, 6, &b);
	ck_assert_int_eq(a.gained, 12);
	ck_assert_int_eq(a.lost, 0);
	ck_assert_int_eq(b.gained, 8); /* 2 + 4 + 2 */
	ck_assert_int_eq(b.lost, 6);   /* 3 + 3 */
	ck_assert(a.p < 0.005);
	ck_assert(b.p > 0.05);
}
END_TEST

START_TEST(test_large_counts_normal)
{
	/* 1000 -> 1200: beyond the exact recursion's budget.  mean 1100,
	 * z = (200 - 0.5) / sqrt(2 * 1100) = 4.25335; upper tail 1.05296e-5 */
	int64_t c[2] = { 1000, 1200 };
	struct sampling_test t;

	sampling_test(c, 2, &t);
	ck_assert(!t.exact);
	ck_assert_double_eq_tol(t.p, 1.05296e-5, 1e-9);
}
END_TEST

START_TEST(test_verdict)
{
	struct trend_rules r;
	struct trend tr;
	struct sampling_test st;
	double v[6] = { 4, 6, 9, 11, 14, 16 }, sd[6] = { 10, 10, 10, 10, 10, 10 };

	trend_rules_default(&r);
	ck_assert_double_eq(r.max_p, 0.02);
	trend_compute(v, NULL, sd, 6, &tr);
	memset(&st, 0, sizeof(st));
	st.p = 0.001;
	ck_assert_int_eq(sampling_verdict(&tr, &st, &r, 1), VERDICT_GROWING);
	/* under the floor: flat whatever p */
	ck_assert_int_eq(sampling_verdict(&tr, &st, &r, 13), VERDICT_FLAT);
	/* p too large and z = slope * Sxx / sqrt(sum dx^2 sd^2) =
	 * 2.4571 * 17.5 / (10 * sqrt(17.5)) = 1.03 < 3: noisy */
	st.p = 0.2;
	ck_assert_int_eq(sampling_verdict(&tr, &st, &r, 1), VERDICT_NOISY);
	/* a small p but gains in jumps: the ring buffer of the man page's
	 * measurements (sampled counts 3 4 0 4 1 8, p 0.0038): the slope's
	 * t is 0.8245 by hand (slope 10 / 17.5 = 0.5714, residual variance
	 * 33.62 / 4, standard error sqrt(8.405 / 17.5) = 0.6930),
	 * under 4: noisy */
	{
		double j[6] = { 3, 4, 0, 4, 1, 8 };
		struct trend tj;
		trend_compute(j, NULL, sd, 6, &tj);
		ck_assert_double_eq_tol(tj.t, 0.8246, 1e-3);
		st.p = 0.0038;
		ck_assert_int_eq(sampling_verdict(&tj, &st, &r, 1), VERDICT_NOISY);
		/* the same p on a steady series: growing */
		ck_assert_int_eq(sampling_verdict(&tr, &st, &r, 1), VERDICT_GROWING);
		st.p = 0.2;
	}
	/* a warming cache: all the growth in the first half */
	{
		double w[6] = { 0, 10, 16, 16, 16, 16 };
		trend_compute(w, NULL, sd, 6, &tr);
		st.p = 1e-6;
		ck_assert_int_eq(sampling_verdict(&tr, &st, &r, 1), VERDICT_NOISY);
	}
}
END_TEST

Suite *suite_sampling(void)
{
	Suite *s = suite_create("sampling");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_count_inverse_of_go_scaling);
	tcase_add_test(tc, test_add_type);
	tcase_add_test(tc, test_add_type_needs_bytes);
	tcase_add_test(tc, test_two_snapshots_exact);
	tcase_add_test(tc, test_nothing_gained);
	tcase_add_test(tc, test_leak_vs_churn);
	tcase_add_test(tc, test_large_counts_normal);
	tcase_add_test(tc, test_verdict);
	suite_add_tcase(s, tc);
	return s;
}
