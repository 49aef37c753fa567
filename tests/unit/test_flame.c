/* Unit tests for flame.c on hand-built profiles; every expected output
 * below is worked out by hand from the samples in build(). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "flame.h"
#include "strtab.h"

Suite *suite_flame(void);

/* main.main calls main.f (inlined into it: one location, two lines);
 * main.f calls "pkg/x.g;weird" (a ';' in a name) and a function whose
 * name needs XML escaping and has an invalid UTF-8 byte.  Values are
 * (count, bytes):
 *   s0  main.main;main.f;pkg/x.g;weird   (10, 100)
 *   s1  main.main;main.f                 ( 1,   5)
 *   s2  main.main;main.f;a<b>&"c\xff     ( 2,   7)
 *   s3  = s0's stack                     ( 3,   1)
 *   s4  empty stack                      ( 4,  50)  -- no frames to draw
 *   s5  main.main;main.f                 ( 6,   0) */
static struct profile *build(int variant)
{
	struct profile *p = profile_new();
	struct pf_valtype t[2] = { { intern("alloc_objects"), intern("count") },
				   { intern("alloc_space"), intern("bytes") } };
	uint32_t fmain, ff, fg, fw, l0, l1, l2;
	struct pf_line ln[2];
	int64_t v[2];
	uint32_t st[2];

	profile_set_types(p, t, 2);
	fmain = profile_add_function(p, intern("main.main"), intern("main.main"), intern("m.go"), 1);
	ff = profile_add_function(p, intern("main.f"), intern("main.f"), intern("m.go"), 9);
	fg = profile_add_function(p, intern("pkg/x.g;weird"), intern(""), intern("x.go"), 1);
	fw = profile_add_function(p, intern("a<b>&\"c\xff"), intern(""), intern("w.go"), 1);
	ln[0] = (struct pf_line){ ff, 10, 0 };
	ln[1] = (struct pf_line){ fmain, 3, 0 };
	l0 = profile_add_location(p, PF_NONE, 0x1000, ln, 2);
	ln[0] = (struct pf_line){ fg, 5, 0 };
	l1 = profile_add_location(p, PF_NONE, 0x2000, ln, 1);
	ln[0] = (struct pf_line){ fw, 7, 0 };
	l2 = profile_add_location(p, PF_NONE, 0x3000, ln, 1);
#define S(a, b, n, x, y) (st[0] = (a), st[1] = (b), v[0] = (x), v[1] = (y), profile_add_sample(p, st, (n), v, NULL, 0))
	if (variant == 0) {
		S(l1, l0, 2, 10, 100);
		S(l0, 0, 1, 1, 5);
		S(l2, l0, 2, 2, 7);
		S(l1, l0, 2, 3, 1);
		S(0, 0, 0, 4, 50);
		S(l0, 0, 1, 6, 0);
	} else {
		/* "new": pkg/x.g grew to 300, the weird frame is gone */
		S(l1, l0, 2, 10, 300);
		S(l0, 0, 1, 1, 5);
	}
#undef S
	return p;
}

static char *folded(int idx, bool noinlines, bool reverse)
{
	struct profile *p = build(0);
	struct flame_build_opts o = { GRAN_FUNCTIONS, noinlines, reverse };
	struct flame *f = flame_new(1);
	size_t col = 0, len;
	char *text = NULL;
	FILE *out = open_memstream(&text, &len);

	ck_assert_int_eq(flame_add(f, p, &o, &idx, &col, NULL, 1), 0);
	profile_free(p);
	flame_finish(f);
	ck_assert_int_eq(flame_write_folded(f, &col, 1, out), 0);
	fclose(out);
	flame_free(f);
	return text;
}

/* The node limit (2^32 - 2 by default: ids are 32 bits) is an error
 * returned to the caller, not an exit: build(0) makes a trie of 5 nodes
 * (all, main.main, main.f and two leaves). */
START_TEST(test_node_limit)
{
	int idx = 1;
	size_t col = 0;
	struct flame_build_opts o = { GRAN_FUNCTIONS, false, false };
	struct profile *p = build(0);
	struct flame *f = flame_new(1);

	flame_set_limit(f, 4);
	ck_assert_int_eq(flame_add(f, p, &o, &idx, &col, NULL, 1), -1);
	ck_assert_str_eq(err_msg(), "flame graph: more than 3 frames");
	flame_free(f);
	f = flame_new(1);
	flame_set_limit(f, 5);
	ck_assert_int_eq(flame_add(f, p, &o, &idx, &col, NULL, 1), 0);
	ck_assert_uint_eq(flame_nodes(f), 5);
	flame_free(f);
	profile_free(p);
}
END_TEST

START_TEST(test_folded)
{
	char *t = folded(1, false, false);
	/* s0+s3 merge (100+1); s4 has no frames; s5 is zero; children in
	 * name order ('a' < 'p'); ';' in a name becomes ':' */
	ck_assert_str_eq(t, "main.main;main.f 5\n"
			    "main.main;main.f;a<b>&\"c\xff 7\n"
			    "main.main;main.f;pkg/x.g:weird 101\n");
	free(t);
	t = folded(0, false, false); /* counts: s5 counts now (1+6) */
	ck_assert_str_eq(t, "main.main;main.f 7\n"
			    "main.main;main.f;a<b>&\"c\xff 2\n"
			    "main.main;main.f;pkg/x.g:weird 13\n");
	free(t);
}
END_TEST

START_TEST(test_folded_noinlines_reverse)
{
	char *t = folded(1, true, false);
	ck_assert_str_eq(t, "main.main 5\n"
			    "main.main;a<b>&\"c\xff 7\n"
			    "main.main;pkg/x.g:weird 101\n");
	free(t);
	t = folded(1, false, true);
	ck_assert_str_eq(t, "a<b>&\"c\xff;main.f;main.main 7\n"
			    "main.f;main.main 5\n"
			    "pkg/x.g:weird;main.f;main.main 101\n");
	free(t);
}
END_TEST

static char *svg(struct flame *f, const struct flame_svg_opts *so, struct flame_svg_stats *st)
{
	size_t len;
	char *text = NULL;
	FILE *out = open_memstream(&text, &len);

	ck_assert_int_eq(flame_write_svg(f, so, out, st), 0);
	fclose(out);
	return text;
}

static int count(const char *s, const char *needle)
{
	int n = 0;
	for (s = strstr(s, needle); s; s = strstr(s + 1, needle))
		n++;
	return n;
}

START_TEST(test_svg)
{
	struct profile *p = build(0);
	struct flame_build_opts o = { GRAN_FUNCTIONS, false, false };
	struct flame *f = flame_new(1);
	struct flame_svg_opts so;
	struct flame_svg_stats st;
	size_t col = 0;
	int idx = 1;
	char *t;

	flame_add(f, p, &o, &idx, &col, NULL, 1);
	profile_free(p);
	flame_finish(f);
	memset(&so, 0, sizeof(so));
	so.unit = "bytes";
	so.title = "T<1>";
	t = svg(f, &so, &st);
	/* all, main.main, main.f, a<b>.., pkg/x.g..: 5 frames; total 113 */
	ck_assert_int_eq(count(t, "<svg class=\"f"), 5);
	ck_assert_uint_eq(st.frames, 5);
	ck_assert_int_eq(st.max_depth, 3);
	ck_assert_ptr_nonnull(strstr(t, "data-total=\"113\""));
	ck_assert_ptr_nonnull(strstr(t, ">T&lt;1&gt;</text>"));
	/* escaped, the invalid byte replaced: the document stays well-formed */
	ck_assert_ptr_nonnull(strstr(t, ">a&lt;b&gt;&amp;&quot;c?</text>"));
	ck_assert_ptr_null(strstr(t, "\xff"));
	/* tooltip: value in its unit and percent of 113 (101/113 = 89.38%) */
	ck_assert_ptr_nonnull(strstr(t, "<title>pkg/x.g;weird&#10;101B (89.38%), self 101B (89.38%)</title>"));
	free(t);

	/* minwidth 10%: ceil(11.3) = 12 units.  a<b> (7) is main.f's only
	 * narrow child; merged it is still under 12, so it is dropped (the
	 * total stays 113); pkg/x.g (101) stays */
	so.minwidth = 10;
	so.minwidth_pct = true;
	t = svg(f, &so, &st);
	ck_assert_int_eq(count(t, "<svg class=\"f"), 4);
	ck_assert_uint_eq(st.dropped, 1);
	ck_assert_uint_eq(st.merged, 0);
	ck_assert_ptr_nonnull(strstr(t, "data-total=\"113\""));
	free(t);
	flame_free(f);
}
END_TEST

START_TEST(test_svg_diff)
{
	struct profile *b = build(0), *n = build(1);
	struct flame_build_opts o = { GRAN_FUNCTIONS, false, false };
	struct flame *f = flame_new(2);
	struct flame_svg_opts so;
	size_t c0 = 0, c1 = 1;
	int idx = 1;
	char *t;

	flame_add(f, b, &o, &idx, &c0, NULL, 1);
	flame_add(f, n, &o, &idx, &c1, NULL, 1);
	profile_free(b);
	profile_free(n);
	flame_finish(f);
	memset(&so, 0, sizeof(so));
	so.unit = "bytes";
	so.diff = true;
	so.diff_mode = FLAME_DIFF_SELF;
	t = svg(f, &so, NULL);
	/* base 113, new 305; the weird frame (7) is only in base: the layout
	 * is 305 + 7 = 312 wide and the frame is still drawn, dashed (g) */
	ck_assert_ptr_nonnull(strstr(t, "data-total=\"312\""));
	ck_assert_ptr_nonnull(strstr(t, "<svg class=\"f g\""));
	ck_assert_ptr_nonnull(strstr(t, "data-b=\"7\" data-n=\"0\""));
	/* self deltas: pkg/x.g +199, the largest: color.h's full grew red
	 * #d62728; the weird frame -7: t = 7/199, from #f0f0f0 towards
	 * shrank blue #1f77b4 by 0.15 + 0.85 t = 0.1799: 240 - 209 * 0.1799
	 * = 202.4, 240 - 121 * 0.1799 = 218.2, 240 - 60 * 0.1799 = 229.2 ->
	 * #cadae5; main.f and main.main 0: grey */
	ck_assert_ptr_nonnull(strstr(t, "data-b=\"101\" data-n=\"300\"><title>pkg/x.g;weird&#10;total: base 101B, new 300B, delta +199B (+197.03%)"));
	ck_assert_int_eq(count(t, "fill=\"#d62728\""), 1);
	ck_assert_int_eq(count(t, "fill=\"#cadae5\""), 1);
	free(t);
	flame_free(f);
}
END_TEST

START_TEST(test_package)
{
	char b[128];
	flame_package("github.com/a/b.(*T).M", b, sizeof(b));
	ck_assert_str_eq(b, "github.com/a/b");
	flame_package("runtime.mallocgc", b, sizeof(b));
	ck_assert_str_eq(b, "runtime");
	flame_package("main.f m.go:12", b, sizeof(b));
	ck_assert_str_eq(b, "main");
	flame_package("0000000000401000", b, sizeof(b));
	ck_assert_str_eq(b, "0000000000401000");
}
END_TEST

Suite *suite_flame(void)
{
	Suite *s = suite_create("flame");
	TCase *tc = tcase_create("flame");

	tcase_add_test(tc, test_folded);
	tcase_add_test(tc, test_node_limit);
	tcase_add_test(tc, test_folded_noinlines_reverse);
	tcase_add_test(tc, test_svg);
	tcase_add_test(tc, test_svg_diff);
	tcase_add_test(tc, test_package);
	suite_add_tcase(s, tc);
	return s;
}
