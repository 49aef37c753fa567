/* Unit tests for the goroutine reports (src/lib/ggroup_report.c) on
 * dumps written here by hand: the expected counts, orders and lines are
 * read off the dumps themselves. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ggroup.h"
#include "ggroup_report.h"
#include "load.h"

Suite *suite_ggroup_report(void);

/* Three goroutines: two blocked in main.worker (chan receive, 3 and 7
 * minutes, created by main.spawn), one in main.other (select). */
static const char new_dump[] = "goroutine 10 [chan receive, 7 minutes]:\n"
			       "main.worker(0xc000010000)\n"
			       "\t/src/app/main.go:42 +0x2c\n"
			       "created by main.spawn\n"
			       "\t/src/app/main.go:30 +0x45\n"
			       "\n"
			       "goroutine 11 [chan receive, 3 minutes]:\n"
			       "main.worker(0xc000010000)\n"
			       "\t/src/app/main.go:42 +0x2c\n"
			       "created by main.spawn\n"
			       "\t/src/app/main.go:30 +0x45\n"
			       "\n"
			       "goroutine 5 [select]:\n"
			       "main.other()\n"
			       "\t/src/app/main.go:60 +0x8d\n"
			       "created by main.main\n"
			       "\t/src/app/main.go:20 +0x25\n";

/* The older dump: one main.worker, no main.other. */
static const char old_dump[] = "goroutine 10 [chan receive, 1 minutes]:\n"
			       "main.worker(0xc000010000)\n"
			       "\t/src/app/main.go:42 +0x2c\n"
			       "created by main.spawn\n"
			       "\t/src/app/main.go:30 +0x45\n";

static struct profile *dump(const char *text, struct gdump *d)
{
	struct profile *p = load_profile_bytes("dump", (const unsigned char *)text, strlen(text), NULL);

	ck_assert_ptr_nonnull(p);
	memset(d, 0, sizeof(*d));
	ck_assert_int_eq(gdump_build(p, d), 0);
	return p;
}

/* The report of d (against base when not NULL) as a string (caller frees). */
static char *render(const struct gdump *base, const struct gdump *d, const struct ggroup_select *s, bool json)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	ck_assert_ptr_nonnull(f);
	if (base)
		ggroup_write_diff("old", base, "new", d, s, json, f);
	else
		ggroup_write_report("new", d, s, json, f);
	fclose(f);
	return out;
}

START_TEST(test_report_text)
{
	struct gdump d;
	struct profile *p = dump(new_dump, &d);
	struct ggroup_select s;
	char *t;

	ggroup_select_init(&s);
	t = render(NULL, &d, &s, false);
	ck_assert_msg(strstr(t, "File: new\nFormat: goroutine debug=2\nGoroutines: 3 in 2 groups\n") == t, "%s", t);
	/* largest group first, its wait range and creator */
	ck_assert_ptr_nonnull(strstr(t, "\n2 goroutines [chan receive, 3~7 minutes]: main.worker\n"
					"  created by main.spawn\n"));
	ck_assert(strstr(t, "main.worker") < strstr(t, "1 goroutine [select]: main.other"));
	free(t);

	/* --min-count=2: one group of 2 */
	s.min_count = 2;
	t = render(NULL, &d, &s, false);
	ck_assert_ptr_nonnull(strstr(t, "Goroutines: 3 in 2 groups; showing 2 in 1\n"));
	ck_assert_ptr_null(strstr(t, "main.other"));
	free(t);

	/* --focus=other, and --state=^chan with --ignore=worker: nothing */
	s.min_count = 0;
	ck_assert_int_eq(ggroup_select_regex(&s, GGROUP_RE_FOCUS, "other"), 0);
	t = render(NULL, &d, &s, false);
	ck_assert_ptr_nonnull(strstr(t, "showing 1 in 1\n"));
	ck_assert_ptr_null(strstr(t, "main.worker"));
	free(t);
	ggroup_select_release(&s);
	ggroup_select_init(&s);
	ck_assert_int_eq(ggroup_select_regex(&s, GGROUP_RE_STATE, "^chan"), 0);
	ck_assert_int_eq(ggroup_select_regex(&s, GGROUP_RE_IGNORE, "worker"), 0);
	t = render(NULL, &d, &s, false);
	ck_assert_ptr_nonnull(strstr(t, "showing 0 in 0\n"));
	free(t);
	ck_assert_int_eq(ggroup_select_regex(&s, GGROUP_RE_STATE, "("), -1);
	ggroup_select_release(&s);
	gdump_release(&d);
	profile_free(p);
}
END_TEST

START_TEST(test_report_json)
{
	struct gdump d;
	struct profile *p = dump(new_dump, &d);
	struct ggroup_select s;
	char *t;

	ggroup_select_init(&s);
	t = render(NULL, &d, &s, true);
	ck_assert_msg(strstr(t, "{\"schema\":\"drip.goroutines/1\",\"file\":\"new\",\"format\":\"debug=2\",") == t, "%s", t);
	ck_assert_ptr_nonnull(strstr(t, "\"total\":3,"));
	ck_assert_ptr_nonnull(strstr(t, "\"groups_total\":2,\"shown\":3,"));
	ck_assert_ptr_nonnull(strstr(t, "{\"count\":2,\"name\":\"main.worker\",\"state\":\"chan receive\""));
	ck_assert_ptr_nonnull(strstr(t, "\"wait_minutes\":{\"min\":3,\"max\":7}"));
	ck_assert_int_eq(t[strlen(t) - 1], '\n');
	free(t);
	ggroup_select_release(&s);
	gdump_release(&d);
	profile_free(p);
}
END_TEST

/* Against the older dump: main.worker 1 -> 2 (+1), main.other 0 -> 1
 * (+1); equal changes, so the larger new count (worker) first. */
START_TEST(test_diff)
{
	struct gdump od, nd;
	struct profile *op = dump(old_dump, &od), *np = dump(new_dump, &nd);
	struct ggroup_select s;
	char *t;
	const char *w, *o;

	ggroup_select_init(&s);
	t = render(&od, &nd, &s, false);
	ck_assert_ptr_nonnull(strstr(t, "Goroutines: 1 -> 3 (+2)\n"));
	ck_assert_ptr_nonnull(strstr(t, "Matched on: functions, state\n"));
	w = strstr(t, "     +1       1       2  chan receive     main.worker\n");
	o = strstr(t, "     +1       0       1  select           main.other\n");
	ck_assert_msg(w && o && w < o, "%s", t);
	free(t);
	t = render(&od, &nd, &s, true);
	ck_assert_ptr_nonnull(strstr(t, "\"base_total\":1,\"total\":3,\"matched_on_state\":true"));
	ck_assert_ptr_nonnull(strstr(t, "{\"base\":1,\"count\":2,\"delta\":1,\"name\":\"main.worker\""));
	free(t);
	ggroup_select_release(&s);
	gdump_release(&od);
	gdump_release(&nd);
	profile_free(op);
	profile_free(np);
}
END_TEST

Suite *suite_ggroup_report(void)
{
	Suite *s = suite_create("ggroup_report");
	TCase *tc = tcase_create("ggroup_report");

	tcase_add_test(tc, test_report_text);
	tcase_add_test(tc, test_report_json);
	tcase_add_test(tc, test_diff);
	suite_add_tcase(s, tc);
	return s;
}
