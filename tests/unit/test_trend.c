/* Unit tests for the trend maths of `drip leaks` (src/trend.c) and the
 * goroutine-name helpers (src/ggroup.c).  Every expected number is a
 * hand calculation, written out next to the assertion. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "buf.h"
#include "ggroup.h"
#include "trend.h"

Suite *suite_trend(void);

#define EPS 1e-9

START_TEST(test_fit_line)
{
	/* y = 2 + 2x exactly: slope 2, intercept 2, R² 1 */
	double x[] = { 0, 1, 2, 3, 4 }, y[] = { 2, 4, 6, 8, 10 }, b, a, r2;
	trend_fit(x, y, 5, &b, &a, &r2);
	ck_assert_double_eq_tol(b, 2, EPS);
	ck_assert_double_eq_tol(a, 2, EPS);
	ck_assert_double_eq_tol(r2, 1, EPS);
}
END_TEST

START_TEST(test_fit_step)
{
	/* y = 1,1,1,1,1,2 over x = 0..5: mean x 2.5, mean y 7/6;
	 * Sxx = 17.5, Sxy = 2.5 (only the last point deviates upward:
	 * 2.5*5/6 + (-2.5-1.5-0.5+0.5+1.5)*(-1/6)), Syy = 5/6.
	 * slope = 2.5/17.5 = 1/7; intercept = 7/6 - 2.5/7 = 17/21;
	 * R² = (Sxy²/Sxx)/Syy = (6.25/17.5)/(5/6) = 3/7. */
	double x[] = { 0, 1, 2, 3, 4, 5 }, y[] = { 1, 1, 1, 1, 1, 2 }, b, a, r2;
	trend_fit(x, y, 6, &b, &a, &r2);
	ck_assert_double_eq_tol(b, 1.0 / 7, EPS);
	ck_assert_double_eq_tol(a, 17.0 / 21, EPS);
	ck_assert_double_eq_tol(r2, 3.0 / 7, EPS);
}
END_TEST

START_TEST(test_fit_degenerate)
{
	double x[] = { 0, 1, 2 }, y[] = { 5, 5, 5 }, same[] = { 1, 1, 1 }, b, a, r2;
	/* a constant series: slope 0, R² 0 (a flat line explains nothing) */
	trend_fit(x, y, 3, &b, &a, &r2);
	ck_assert_double_eq_tol(b, 0, EPS);
	ck_assert_double_eq_tol(a, 5, EPS);
	ck_assert_double_eq_tol(r2, 0, EPS);
	/* all x equal: no slope */
	trend_fit(same, x, 3, &b, &a, &r2);
	ck_assert_double_eq_tol(b, 0, EPS);
	ck_assert_double_eq_tol(r2, 0, EPS);
	/* one point */
	trend_fit(x, y, 1, &b, &a, &r2);
	ck_assert_double_eq_tol(b, 0, EPS);
	ck_assert_double_eq_tol(r2, 0, EPS);
}
END_TEST

START_TEST(test_compute_goroutine_leak)
{
	/* the goroutine-leak series: 8 more per step.  slope 8, rise
	 * 8*5 = 40 = growth, R² 1, 5 steps up, late = (49-25)/40 = 0.6 */
	double v[] = { 9, 17, 25, 33, 41, 49 };
	struct trend t;
	struct trend_rules r;

	trend_compute(v, NULL, NULL, 6, &t);
	ck_assert_double_eq_tol(t.slope, 8, EPS);
	ck_assert_double_eq_tol(t.rise, 40, EPS);
	ck_assert_double_eq_tol(t.growth, 40, EPS);
	ck_assert_double_eq_tol(t.r2, 1, EPS);
	ck_assert_int_eq(t.up, 5);
	ck_assert_int_eq(t.down, 0);
	ck_assert_double_eq_tol(t.late, 0.6, EPS);
	ck_assert(!t.has_rate);
	ck_assert_double_eq_tol(t.z, 0, EPS);
	ck_assert(isinf(t.t)); /* an exact line */
	ck_assert(!t.sampled);
	trend_rules_default(&r);
	ck_assert_int_eq(trend_verdict(&t, &r, 2), VERDICT_GROWING);
	/* a floor above the growth makes it flat */
	ck_assert_int_eq(trend_verdict(&t, &r, 41), VERDICT_FLAT);
}
END_TEST

START_TEST(test_compute_rate)
{
	/* 10, 20, 30 at 0 s, 2 s, 4 s: 5 per second, 10 per snapshot */
	double v[] = { 10, 20, 30 };
	int64_t times[] = { 1000000000000LL, 1002000000000LL, 1004000000000LL };
	struct trend t;

	trend_compute(v, times, NULL, 3, &t);
	ck_assert(t.has_rate);
	ck_assert_double_eq_tol(t.slope_sec, 5, EPS);
	ck_assert_double_eq_tol(t.slope, 10, EPS);
	/* equal times: no rate */
	times[1] = times[2] = times[0];
	trend_compute(v, times, NULL, 3, &t);
	ck_assert(!t.has_rate);
}
END_TEST

START_TEST(test_compute_noise)
{
	/* v = 0,1,2 with sd 1 each: slope 1, Sxx = 2,
	 * Var(slope) = sum dx² sd² / Sxx² = 2/4, z = 1/sqrt(0.5) = sqrt 2 */
	double v[] = { 0, 1, 2 }, sd[] = { 1, 1, 1 };
	struct trend t;
	struct trend_rules r;

	trend_compute(v, NULL, sd, 3, &t);
	ck_assert_double_eq_tol(t.z, sqrt(2.0), EPS);
	trend_rules_default(&r);
	/* steady, but under 3 sd of sampling noise: noisy */
	ck_assert_int_eq(trend_verdict(&t, &r, 0), VERDICT_NOISY);
	/* sd 0.1: z = 10 sqrt 2 */
	sd[0] = sd[1] = sd[2] = 0.1;
	trend_compute(v, NULL, sd, 3, &t);
	ck_assert_double_eq_tol(t.z, 10 * sqrt(2.0), 1e-6);
	ck_assert_int_eq(trend_verdict(&t, &r, 0), VERDICT_GROWING);
}
END_TEST

START_TEST(test_tstat)
{
	/* 1,1,1,1,1,2: slope 1/7, Sxx 17.5, residual SS = Syy - b Sxy =
	 * 5/6 - 2.5/7 = 10/21; t = (1/7) / sqrt((10/21) / 4 / 17.5) =
	 * sqrt 3 (also t² = R² (n-2) / (1-R²) = (3/7)*4/(4/7) = 3). */
	double step[] = { 1, 1, 1, 1, 1, 2 };
	/* 0,10,5,15,10,20: Sxy 55, Syy 250, slope 22/7, R² = 3025/4375,
	 * t² = R²*4/(1-R²) = 3025*4/1350 = 8.962963 */
	double zig[] = { 0, 10, 5, 15, 10, 20 };
	struct trend t;

	trend_compute(step, NULL, NULL, 6, &t);
	ck_assert_double_eq_tol(t.t, sqrt(3.0), 1e-9);
	ck_assert_double_eq_tol(t.r2, 3.0 / 7, EPS);
	trend_compute(zig, NULL, NULL, 6, &t);
	ck_assert_double_eq_tol(t.slope, 22.0 / 7, EPS);
	ck_assert_double_eq_tol(t.r2, 3025.0 / 4375, EPS);
	ck_assert_double_eq_tol(t.t * t.t, 3025.0 * 4 / 1350, 1e-9);
	ck_assert_int_eq(t.up, 3);
	ck_assert_int_eq(t.down, 2);
	/* two points: no residual degrees of freedom */
	trend_compute(step + 4, NULL, NULL, 2, &t);
	ck_assert(isinf(t.t));
}
END_TEST

START_TEST(test_verdicts)
{
	struct trend t;
	struct trend_rules r;
	/* one late bump: t = sqrt 3 < 4 */
	double step[] = { 1, 1, 1, 1, 1, 2 };
	/* warm-up then flat: late = (4 - v[2]) / 4 = 0 */
	double warm[] = { 0, 2, 4, 4, 4, 4 };
	/* zig-zag up: t = 2.99 < 4 */
	double zig[] = { 0, 10, 5, 15, 10, 20 };
	double down[] = { 5, 4, 3 };
	double two[] = { 1, 3 };

	trend_rules_default(&r);
	ck_assert_double_eq_tol(r.min_t, 4, EPS);
	ck_assert_double_eq_tol(r.min_t_sampled, 4, EPS);
	ck_assert_double_eq_tol(r.min_z, 3, EPS);
	ck_assert_double_eq_tol(r.min_late, 0.25, EPS);
	trend_compute(step, NULL, NULL, 6, &t);
	ck_assert_int_eq(trend_verdict(&t, &r, 0), VERDICT_NOISY);
	trend_compute(warm, NULL, NULL, 6, &t);
	ck_assert_double_eq_tol(t.late, 0, EPS);
	ck_assert_int_eq(trend_verdict(&t, &r, 0), VERDICT_NOISY);
	trend_compute(zig, NULL, NULL, 6, &t);
	ck_assert_int_eq(trend_verdict(&t, &r, 0), VERDICT_NOISY);
	r.min_t = 2.9;
	ck_assert_int_eq(trend_verdict(&t, &r, 0), VERDICT_GROWING);
	ck_assert_int_eq(trend_verdict(&t, &r, 21), VERDICT_FLAT); /* growth 20 < floor */
	trend_rules_default(&r);
	trend_compute(down, NULL, NULL, 3, &t);
	ck_assert_int_eq(trend_verdict(&t, &r, 0), VERDICT_FLAT);
	/* two snapshots: t infinite, late = (3 - v[0]) / 2 = 1: growing */
	trend_compute(two, NULL, NULL, 2, &t);
	ck_assert_double_eq_tol(t.late, 1, EPS);
	ck_assert_int_eq(trend_verdict(&t, &r, 0), VERDICT_GROWING);
	trend_compute(two, NULL, NULL, 1, &t);
	ck_assert_int_eq(trend_verdict(&t, &r, 0), VERDICT_FLAT);
	ck_assert_str_eq(verdict_name(VERDICT_GROWING), "growing");
	ck_assert_str_eq(verdict_name(VERDICT_NOISY), "noisy");
	ck_assert_str_eq(verdict_name(VERDICT_FLAT), "flat");
}
END_TEST

START_TEST(test_sparkline)
{
	struct buf b = BUF_INIT;
	double ramp[] = { 0, 1, 2, 3, 4, 5, 6, 7 }, flat[] = { 3, 3, 3 }, mid[] = { 0, 3.5, 7 };

	sparkline(ramp, 8, false, &b);
	ck_assert_str_eq(b.data, "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588");
	buf_reset(&b);
	sparkline(flat, 3, false, &b);
	ck_assert_str_eq(b.data, "\u2581\u2581\u2581");
	buf_reset(&b);
	/* 3.5/7*7 = 3.5 rounds to level 4 (▅) */
	sparkline(mid, 3, false, &b);
	ck_assert_str_eq(b.data, "\u2581\u2585\u2588");
	buf_reset(&b);
	sparkline(ramp, 8, true, &b);
	ck_assert_str_eq(b.data, "_.-:=+*#");
	buf_release(&b);
}
END_TEST

START_TEST(test_user_function)
{
	ck_assert(gfunc_is_user("main.leakyWorker"));
	ck_assert(gfunc_is_user("main.(*leakyCache).Put"));
	ck_assert(gfunc_is_user("github.com/x/y.(*T).Run"));
	ck_assert(gfunc_is_user("golang.org/x/net/http2.(*serverConn).serve"));
	ck_assert(!gfunc_is_user("net/http.(*persistConn).readLoop"));
	ck_assert(!gfunc_is_user("sync.(*Mutex).Lock"));
	ck_assert(!gfunc_is_user("runtime.gopark"));
	ck_assert(!gfunc_is_user("internal/poll.runtime_pollWait"));
}
END_TEST

Suite *suite_trend(void)
{
	Suite *s = suite_create("trend");
	TCase *tc = tcase_create("trend");

	tcase_add_test(tc, test_fit_line);
	tcase_add_test(tc, test_fit_step);
	tcase_add_test(tc, test_fit_degenerate);
	tcase_add_test(tc, test_compute_goroutine_leak);
	tcase_add_test(tc, test_compute_rate);
	tcase_add_test(tc, test_compute_noise);
	tcase_add_test(tc, test_tstat);
	tcase_add_test(tc, test_verdicts);
	tcase_add_test(tc, test_sparkline);
	tcase_add_test(tc, test_user_function);
	suite_add_tcase(s, tc);
	return s;
}
