/* Unit tests for sha256.c and report_html.c: SHA-256 test vectors, the
 * page's Content-Security-Policy hashes against the script and style it
 * holds, markup in profile names kept inert, and the flame data's
 * narrow frames on a hand-built profile. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_html.h"
#include "sha256.h"
#include "strtab.h"

Suite *suite_html(void);

START_TEST(test_sha256_vectors)
{
	/* from Python's hashlib */
	static const struct { size_t n; char c; const char *b64; } v[] = {
		{ 0, 'x', "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" },
		{ 55, 'x', "1eKFaDzU78AtAhpcYgFGlJWJAQBdb3HongmJ+sd+QHI=" },
		{ 56, 'x', "BMJiYTcO51QVSdFt7jIMcj4/0UZx5moJmv4KN3wWiI4=" },
		{ 64, 'x', "fOEAlx9k5wAej+WlGXPs3+HO1Cvv5+6NX9YhlQa1OTw=" },
		{ 119, 'x', "AAtI1O3w+nvuPGI27NJ4W6pdtO64u1Q0GwKeDZ+l+ww=" },
		{ 1000000, 'a', "zcduXJkU+5KBocfihNc+Z/GAmkiklyAOBG05zMcRLNA=" },
	};
	char out[45], *buf = malloc(1000000);
	size_t i;

	sha256_base64("abc", 3, out);
	ck_assert_str_eq(out, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memset(buf, v[i].c, v[i].n);
		sha256_base64(buf, v[i].n, out);
		ck_assert_msg(strcmp(out, v[i].b64) == 0, "length %zu: %s", v[i].n, out);
	}
	free(buf);
}
END_TEST

/* main.main -> main.f -> "</script><b>x" (a name that is markup) and
 * main.main -> main.tiny; values (count, bytes) 90/900 and 10/100. */
static struct profile *build(void)
{
	struct profile *p = profile_new();
	struct pf_valtype t[2] = { { intern("alloc_objects"), intern("count") },
				   { intern("alloc_space"), intern("bytes") } };
	uint32_t fm, ff, fx, ft, lm, lf, lx, lt, st[3];
	struct pf_line ln;
	int64_t v[2];

	profile_set_types(p, t, 2);
	fm = profile_add_function(p, intern("main.main"), intern("main.main"), intern("m.go"), 1);
	ff = profile_add_function(p, intern("main.f"), intern("main.f"), intern("m.go"), 5);
	fx = profile_add_function(p, intern("</script><b>x"), intern(""), intern("x.go"), 1);
	ft = profile_add_function(p, intern("main.tiny"), intern("main.tiny"), intern("m.go"), 9);
	ln = (struct pf_line){ fm, 2, 0 };
	lm = profile_add_location(p, PF_NONE, 0x10, &ln, 1);
	ln = (struct pf_line){ ff, 6, 0 };
	lf = profile_add_location(p, PF_NONE, 0x20, &ln, 1);
	ln = (struct pf_line){ fx, 2, 0 };
	lx = profile_add_location(p, PF_NONE, 0x30, &ln, 1);
	ln = (struct pf_line){ ft, 10, 0 };
	lt = profile_add_location(p, PF_NONE, 0x40, &ln, 1);
	st[0] = lx, st[1] = lf, st[2] = lm, v[0] = 90, v[1] = 900;
	profile_add_sample(p, st, 3, v, NULL, 0);
	st[0] = lt, st[1] = lm, v[0] = 10, v[1] = 100;
	profile_add_sample(p, st, 2, v, NULL, 0);
	return p;
}

static char *page(double minwidth)
{
	struct profile *p = build();
	struct html_snap snap;
	const char *files[] = { "hand.pb.gz" };
	struct html_input in;
	struct html_opts ho;
	struct report_opts ro;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	html_snap_init(&snap, "hand.pb.gz", p);
	memset(&in, 0, sizeof(in));
	memset(&ho, 0, sizeof(ho));
	report_opts_init(&ro);
	in.snaps = &snap;
	in.nsnaps = 1;
	in.prof = p;
	in.prof_files = files;
	in.nprof_files = 1;
	ho.minwidth_pct = minwidth;
	ho.graph_nodecount = 80;
	ck_assert_int_eq(html_report_write(&in, &ro, &ho, f), 0);
	fclose(f);
	html_snap_release(&snap);
	profile_free(p);
	return text;
}

/* The text between open and close, after the first occurrence of open. */
static char *between(const char *s, const char *open, const char *close)
{
	const char *a = strstr(s, open), *b;

	ck_assert_ptr_nonnull(a);
	a += strlen(open);
	b = strstr(a, close);
	ck_assert_ptr_nonnull(b);
	return strndup(a, (size_t)(b - a));
}

START_TEST(test_csp_hashes)
{
	char *html = page(0), *js, *css, *csp, want[400], hj[45], hc[45];

	js = between(html, "</script>\n<script>", "</script>\n</body>");
	css = between(html, "<style>", "</style>");
	csp = between(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"", "\">");
	sha256_base64(js, strlen(js), hj);
	sha256_base64(css, strlen(css), hc);
	snprintf(want, sizeof(want), "default-src 'none'; script-src 'sha256-%s'; style-src 'sha256-%s'; img-src data:; "
		 "base-uri 'none'; form-action 'none'", hj, hc);
	ck_assert_str_eq(csp, want);
	ck_assert_int_gt((int)strlen(js), 1000);
	free(js);
	free(css);
	free(csp);
	free(html);
}
END_TEST

START_TEST(test_markup_inert)
{
	char *html = page(0), *data = between(html, "<script type=\"application/json\" id=\"data\">", "</script>");

	/* the name is data: escaped inside the JSON, never markup */
	ck_assert_ptr_null(strstr(data, "<"));
	ck_assert_ptr_nonnull(strstr(data, "\\u003c/script>\\u003cb>x"));
	ck_assert_ptr_null(strstr(html, "<b>x"));
	free(data);
	free(html);
}
END_TEST

START_TEST(test_flame_pruning)
{
	char *html = page(0), *fl = between(html, "\"flame\":", "</script>");

	/* every frame: root, main.main, main.f, the markup name, main.tiny in
	 * depth-first name order; names sorted by strcmp */
	ck_assert_ptr_nonnull(strstr(fl, "\"frames\":5,\"dropped\":0,\"narrow\":\"(narrow frames)\",\"dropped_v\":[0,0]"));
	ck_assert_ptr_nonnull(strstr(fl, "\"names\":[\"\\u003c/script>\\u003cb>x\",\"main.f\",\"main.main\",\"main.tiny\",\"root\"]"));
	ck_assert_ptr_nonnull(strstr(fl, "\"d\":[0,1,2,3,2],\"n\":[4,2,1,0,3],\"v\":[[100,100,90,90,10],[1000,1000,900,900,100"));
	free(fl);
	free(html);
	/* 15%: main.tiny (10%) is narrow: main.main's "(narrow frames)"
	 * frame takes its value (it sorts first: '(' < '<' < 'm'); nothing
	 * is left out */
	html = page(15);
	fl = between(html, "\"flame\":", "</script>");
	ck_assert_ptr_nonnull(strstr(fl, "\"frames\":5,\"dropped\":1,\"narrow\":\"(narrow frames)\",\"dropped_v\":[0,0]"));
	ck_assert_ptr_nonnull(strstr(fl, "\"names\":[\"(narrow frames)\",\"\\u003c/script>\\u003cb>x\",\"main.f\",\"main.main\",\"root\"]"));
	ck_assert_ptr_nonnull(strstr(fl, "\"d\":[0,1,2,2,3],\"n\":[4,3,0,2,1],\"v\":[[100,100,10,90,90],[1000,1000,100,900,900"));
	ck_assert_ptr_nonnull(strstr(fl, "\"sandwiches\":[{\"name\":\"main.tiny\",\"v\":[10,100],"
					 "\"callers\":[[\"main.main\",[10,100]]],\"callees\":[]}]}"));
	free(fl);
	free(html);
}
END_TEST

/* main.main -> main.a1 -> main.leaf (5), main.main -> main.a2 ->
 * main.leaf (5), main.main -> main.big (90), one sample type. */
static struct profile *build_bushy(void)
{
	struct profile *p = profile_new();
	struct pf_valtype t[1] = { { intern("inuse_space"), intern("bytes") } };
	const char *names[] = { "main.main", "main.a1", "main.a2", "main.leaf", "main.big" };
	uint32_t loc[5], st[3];
	int64_t v[1];
	int i;

	profile_set_types(p, t, 1);
	for (i = 0; i < 5; i++) {
		uint32_t fn = profile_add_function(p, intern(names[i]), intern(names[i]), intern("m.go"), i + 1);
		struct pf_line ln = { fn, i + 2, 0 };
		loc[i] = profile_add_location(p, PF_NONE, 0x10 * (uint64_t)(i + 1), &ln, 1);
	}
	st[0] = loc[3], st[1] = loc[1], st[2] = loc[0], v[0] = 5;
	profile_add_sample(p, st, 3, v, NULL, 0);
	st[0] = loc[3], st[1] = loc[2], st[2] = loc[0], v[0] = 5;
	profile_add_sample(p, st, 3, v, NULL, 0);
	st[0] = loc[4], st[1] = loc[0], v[0] = 90;
	profile_add_sample(p, st, 2, v, NULL, 0);
	return p;
}

START_TEST(test_flame_narrow_merge)
{
	struct profile *p = build_bushy();
	struct html_snap snap;
	const char *files[] = { "bushy.pb.gz" };
	struct html_input in;
	struct html_opts ho;
	struct report_opts ro;
	char *text = NULL, *fl;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	html_snap_init(&snap, "bushy.pb.gz", p);
	memset(&in, 0, sizeof(in));
	memset(&ho, 0, sizeof(ho));
	report_opts_init(&ro);
	in.snaps = &snap;
	in.nsnaps = 1;
	in.prof = p;
	in.prof_files = files;
	in.nprof_files = 1;
	ho.minwidth_pct = 8; /* main.a1 and main.a2 (5% each) are narrow */
	ho.graph_nodecount = 80;
	ck_assert_int_eq(html_report_write(&in, &ro, &ho, f), 0);
	fclose(f);
	fl = between(text, "\"flame\":", "]]}");
	/* their stacks go on in one "(narrow frames)" frame under main.main
	 * (10), where main.leaf, 5 + 5, is wide again: root(100) ->
	 * main.main(100) -> [(narrow frames)(10) -> main.leaf(10), main.big(90)] */
	ck_assert_ptr_nonnull(strstr(fl, "\"frames\":5,\"dropped\":2,"));
	ck_assert_ptr_nonnull(strstr(fl, "\"names\":[\"(narrow frames)\",\"main.big\",\"main.leaf\",\"main.main\",\"root\"]"));
	ck_assert_ptr_nonnull(strstr(fl, "\"d\":[0,1,2,3,2],\"n\":[4,3,0,2,1],\"v\":[[100,100,10,10,90"));
	free(fl);
	/* the functions not drawn get their direct callers and callees from
	 * the stacks themselves */
	fl = between(text, "\"sandwiches\":", "</script>");
	ck_assert_ptr_nonnull(strstr(fl, "[{\"name\":\"main.a1\",\"v\":[5],\"callers\":[[\"main.main\",[5]]],"
					 "\"callees\":[[\"main.leaf\",[5]]]},{\"name\":\"main.a2\",\"v\":[5],"
					 "\"callers\":[[\"main.main\",[5]]],\"callees\":[[\"main.leaf\",[5]]]}]}"));
	free(fl);
	free(text);
	html_snap_release(&snap);
	profile_free(p);
}
END_TEST

Suite *suite_html(void)
{
	Suite *s = suite_create("html");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sha256_vectors);
	tcase_add_test(tc, test_csp_hashes);
	tcase_add_test(tc, test_markup_inert);
	tcase_add_test(tc, test_flame_pruning);
	tcase_add_test(tc, test_flame_narrow_merge);
	suite_add_tcase(s, tc);
	return s;
}
