/* Unit tests for src/lib/diff.c: pprof's -diff_base / -base
 * transformation, ScaleN and normalisation.  Expected values are hand
 * calculations from pprof's rules (fetch.go, profile.go ScaleN /
 * Normalize, report.go computeTotal). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "profile.h"
#include "report.h"
#include "strtab.h"

Suite *suite_diff(void);

/* new: [f] 100/1000; base: [f] 40/400 and [g] 10/100 */
static struct profile *mk(int64_t a, int64_t b, bool with_g)
{
	struct profile *p = profile_new();
	struct pf_valtype t[2] = { { intern("objects"), intern("count") }, { intern("space"), intern("bytes") } };
	struct pf_line lf = { 0, 10, 0 }, lg = { 1, 20, 0 };
	uint32_t s0[1] = { 0 }, s1[1] = { 1 };
	int64_t v[2] = { a, b }, w[2] = { 10, 100 };

	profile_set_types(p, t, 2);
	profile_add_function(p, intern("f"), intern("f"), intern("x.go"), 1);
	profile_add_function(p, intern("g"), intern("g"), intern("x.go"), 2);
	profile_add_location(p, PF_NONE, 0x10, &lf, 1);
	profile_add_location(p, PF_NONE, 0x20, &lg, 1);
	profile_add_sample(p, s0, 1, v, NULL, 0);
	if (with_g)
		profile_add_sample(p, s1, 1, w, NULL, 0);
	return p;
}

START_TEST(test_diff_base)
{
	struct profile *n = mk(100, 1000, false), *b = mk(40, 400, true), *d;
	struct report_opts o;
	struct report r;
	size_t i;
	int64_t sum_f = 0, sum_g = 0;

	d = profile_diff(n, b, true, false);
	ck_assert_ptr_nonnull(d);
	/* new [f], base [f] (tagged, so kept apart), base [g] */
	ck_assert_uint_eq(d->nsamples, 3);
	for (i = 0; i < d->nsamples; i++) {
		int64_t v = pf_values(d, i)[1];
		if (d->locations[pf_stack(d, &d->samples[i])[0]].address == 0x10)
			sum_f += v;
		else
			sum_g += v;
		ck_assert(diff_is_base_sample(d, i) == (v < 0));
	}
	ck_assert_int_eq(sum_f, 600);
	ck_assert_int_eq(sum_g, -100);
	/* computeTotal: only the base samples' |values| (400 + 100) */
	report_opts_init(&o);
	o.sample_index = "space";
	ck_assert_int_eq(report_init(&r, d, &o), 0);
	ck_assert_int_eq(r.total, 500);
	profile_free(d);
	profile_free(n);
	profile_free(b);
}
END_TEST

START_TEST(test_base_and_normalize)
{
	struct profile *n = mk(100, 1000, false), *b = mk(40, 400, true), *d;
	struct report_opts o;
	struct report r;

	/* -base: same stacks cancel: [f] 1000-400 = 600, [g] -100; total
	 * is the sum of absolute values */
	d = profile_diff(n, b, false, false);
	ck_assert_uint_eq(d->nsamples, 2);
	report_opts_init(&o);
	o.sample_index = "space";
	ck_assert_int_eq(report_init(&r, d, &o), 0);
	ck_assert_int_eq(r.total, 700);
	profile_free(d);
	profile_free(n);
	profile_free(b);

	/* normalize: new scaled by base/new totals: objects 50/100, space
	 * 500/1000, so [f] becomes 50/500; minus the base: 10/100 and -10/-100 */
	n = mk(100, 1000, false);
	b = mk(40, 400, true);
	d = profile_diff(n, b, false, true);
	ck_assert_int_eq(pf_values(n, 0)[0], 50);
	ck_assert_int_eq(pf_values(n, 0)[1], 500);
	ck_assert_int_eq(profile_total(d, 1), 0);
	ck_assert_int_eq(profile_total(d, 0), 0);
	profile_free(d);
	profile_free(n);
	profile_free(b);
}
END_TEST

START_TEST(test_scale_n_drops)
{
	struct profile *p = mk(1, 3, true);
	double r[2] = { 1, 0.1 }; /* 3*0.1 rounds to 0 (dropped), 100*0.1 = 10 */

	profile_scale_n(p, r);
	ck_assert_uint_eq(p->nsamples, 1);
	ck_assert_int_eq(pf_values(p, 0)[0], 10);
	ck_assert_int_eq(pf_values(p, 0)[1], 10);
	profile_free(p);
}
END_TEST

Suite *suite_diff(void)
{
	Suite *s = suite_create("diff");
	TCase *tc = tcase_create("diff");

	tcase_add_test(tc, test_diff_base);
	tcase_add_test(tc, test_base_and_normalize);
	tcase_add_test(tc, test_scale_n_drops);
	suite_add_tcase(s, tc);
	return s;
}
