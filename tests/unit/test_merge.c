/* Unit tests for merge (pprof's profile.Merge + ScaleProfiles); expected
 * values are hand calculations from merge.go's rules. */
#include <check.h>

#include "merge.h"
#include "profile.h"
#include "strtab.h"

Suite *suite_merge(void);

/* A profile with types (objects count, space UNIT), one mapping, two
 * functions f and g, locations f:10 and g:20, and samples given by
 * stacks: stack 0 = [f], stack 1 = [f g] (leaf first). */
static struct profile *mk(const char *unit, int64_t time, int64_t period, int64_t v0, int64_t v1,
			  const char *label)
{
	struct profile *p = profile_new();
	struct pf_valtype t[2] = { { intern("objects"), intern("count") }, { intern("space"), intern(unit) } };
	struct pf_mapping m = { 0, 0x1000, 0x5000, 0, intern("/bin/x"), intern(""), true, true, true, false };
	struct pf_line lf = { 0, 10, 0 }, lg = { 1, 20, 0 };
	uint32_t s0[1] = { 0 }, s1[2] = { 0, 1 };
	int64_t a[2] = { 1, v0 }, b[2] = { 2, v1 };
	struct pf_label l = { intern("k"), intern(label ? label : ""), 0, intern("") };

	profile_set_types(p, t, 2);
	p->period_type = t[1];
	p->period = period;
	p->time_nanos = time;
	p->duration_nanos = 5;
	profile_add_comment(p, intern("c1"));
	profile_add_mapping(p, &m);
	profile_add_function(p, intern("f"), intern("f"), intern("x.go"), 1);
	profile_add_function(p, intern("g"), intern("g"), intern("x.go"), 2);
	profile_add_location(p, 0, 0x1100, &lf, 1);
	profile_add_location(p, 0, 0x1200, &lg, 1);
	profile_add_sample(p, s0, 1, a, label ? &l : NULL, label ? 1 : 0);
	profile_add_sample(p, s1, 2, b, NULL, 0);
	return p;
}

START_TEST(test_merge_sums_and_dedups)
{
	struct profile *ps[2];
	struct profile *m;

	ps[0] = mk("bytes", 200, 512, 100, 1000, NULL);
	ps[1] = mk("bytes", 100, 1024, 50, 24, NULL);
	m = profile_merge(ps, 2);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->nsamples, 2);
	ck_assert_uint_eq(m->nlocations, 2);
	ck_assert_uint_eq(m->nfunctions, 2);
	ck_assert_uint_eq(m->nmappings, 1);
	ck_assert_int_eq(pf_values(m, 0)[0], 2);
	ck_assert_int_eq(pf_values(m, 0)[1], 150);
	ck_assert_int_eq(pf_values(m, 1)[0], 4);
	ck_assert_int_eq(pf_values(m, 1)[1], 1024);
	ck_assert_int_eq(m->time_nanos, 100);    /* earliest */
	ck_assert_int_eq(m->duration_nanos, 10); /* sum */
	ck_assert_int_eq(m->period, 1024);       /* largest */
	ck_assert_uint_eq(m->ncomments, 1);      /* once each */
	ck_assert_int_eq(m->format, PF_FORMAT_MERGED);
	profile_free(m);
	profile_free(ps[0]);
	profile_free(ps[1]);
}
END_TEST

START_TEST(test_merge_labels_units_zero)
{
	struct profile *ps[3];
	struct profile *m;

	/* different labels keep samples apart */
	ps[0] = mk("bytes", 0, 1, 100, 1000, "a");
	ps[1] = mk("bytes", 0, 1, 100, 1000, "b");
	/* kilobytes are scaled to the finer unit, bytes */
	ps[2] = mk("kilobytes", 0, 1, 2, 3, "a");
	m = profile_merge(ps, 3);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->nsamples, 3);
	ck_assert_str_eq(m->types[1].unit, "bytes");
	ck_assert_int_eq(pf_values(m, 0)[1], 100 + 2 * 1024); /* [f] k=a */
	ck_assert_int_eq(pf_values(m, 1)[1], 1000 + 1000 + 3 * 1024);
	ck_assert_int_eq(pf_values(m, 2)[1], 100); /* [f] k=b */
	profile_free(m);
	profile_free(ps[0]);
	profile_free(ps[1]);
	profile_free(ps[2]);
}
END_TEST

START_TEST(test_merge_cancel_and_incompatible)
{
	struct profile *ps[2];
	struct profile *m;

	ps[0] = mk("bytes", 0, 1, 100, 1000, NULL);
	ps[1] = mk("bytes", 0, 1, -100, 7, NULL);
	pf_values(ps[1], 0)[0] = -1; /* sample [f] cancels out entirely */
	m = profile_merge(ps, 2);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->nsamples, 1);
	ck_assert_int_eq(pf_values(m, 0)[1], 1007);
	profile_free(m);
	profile_free(ps[1]);
	ps[1] = mk("nanoseconds", 0, 1, 1, 1, NULL);
	ck_assert_ptr_null(profile_merge(ps, 2));
	profile_free(ps[0]);
	profile_free(ps[1]);
}
END_TEST

/* profile_merge_consume: the same result as profile_merge (hand values
 * as above), the same input twice merged twice, and the inputs left
 * without samples but still freeable. */
START_TEST(test_merge_consume)
{
	struct profile *ps[3];
	struct profile *m;

	ps[0] = mk("bytes", 200, 512, 100, 1000, NULL);
	ps[1] = mk("bytes", 100, 1024, 50, 24, NULL);
	ps[2] = ps[0];
	m = profile_merge_consume(ps, 3);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->nsamples, 2);
	ck_assert_int_eq(pf_values(m, 0)[0], 3);
	ck_assert_int_eq(pf_values(m, 0)[1], 250);
	ck_assert_int_eq(pf_values(m, 1)[0], 6);
	ck_assert_int_eq(pf_values(m, 1)[1], 2024);
	ck_assert_uint_eq(ps[0]->nsamples, 0);
	ck_assert_uint_eq(ps[1]->nsamples, 0);
	ck_assert_uint_eq(ps[1]->nfunctions, 2);
	profile_free(ps[0]);
	profile_free(ps[1]);
	profile_free(m);
}
END_TEST

Suite *suite_merge(void)
{
	Suite *s = suite_create("merge");
	TCase *tc = tcase_create("merge");

	tcase_add_test(tc, test_merge_sums_and_dedups);
	tcase_add_test(tc, test_merge_labels_units_zero);
	tcase_add_test(tc, test_merge_cancel_and_incompatible);
	tcase_add_test(tc, test_merge_consume);
	suite_add_tcase(s, tc);
	return s;
}
