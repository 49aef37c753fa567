/* Unit tests for json (the writer), diff (pprof's -diff_base / -base
 * transformation, ScaleN, SetLabel) and check's rule parsing.  Expected
 * values are hand calculations from pprof's rules (fetch.go,
 * profile.go ScaleN / Normalize, report.go computeTotal). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"
#include "diff.h"
#include "buf.h"
#include "json.h"
#include "profile.h"
#include "report.h"
#include "strtab.h"

Suite *suite_diffjson(void);

static char *render(void (*fn)(struct json *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f);
	fn(&j);
	fclose(f);
	return buf;
}

static void doc1(struct json *j)
{
	json_begin_object(j);
	json_kstr(j, "s", "a\"b\\c\n\t\x01\xff\xc3\xa9");
	json_kint(j, "i", -9007199254740993LL);
	json_key(j, "a");
	json_begin_array(j);
	json_int(j, 1);
	json_begin_object(j);
	json_end_object(j);
	json_begin_array(j);
	json_end_array(j);
	json_num(j, 12.5, 2);
	json_num(j, 1.0 / 0.0, 2);
	json_num(j, -0.001, 2);
	json_bool(j, false);
	json_null(j);
	json_str(j, NULL);
	json_end_array(j);
	json_kbool(j, "t", true);
	json_end_object(j);
	json_finish(j);
}

START_TEST(test_json_writer)
{
	char *s = render(doc1);
	/* no trailing commas; escapes; invalid byte 0xff -> U+FFFD; é kept */
	ck_assert_str_eq(s, "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001\\ufffd\xc3\xa9\",\"i\":-9007199254740993,"
			    "\"a\":[1,{},[],12.5,null,0,false,null,null],\"t\":true}\n");
	free(s);
}
END_TEST

/* json_init_buf, json_newline, json_raw and json_mark/json_rewind, as
 * the speedscope writer uses them; the same writer to a FILE writes the
 * same bytes as to a buffer.  Expected bytes written by hand. */
START_TEST(test_json_buf_raw_rewind)
{
	struct buf line = BUF_INIT, doc = BUF_INIT;
	struct json jl, j;
	struct json_mark m0, m1;

	json_init_buf(&jl, &line);
	json_begin_array(&jl);
	m0 = json_mark(&jl);
	json_int(&jl, 7);
	m1 = json_mark(&jl);
	json_int(&jl, -12);
	json_end_array(&jl);
	ck_assert_str_eq(line.data, "[7,-12]");
	json_init_buf(&j, &doc);
	json_begin_object(&j);
	json_kstr(&j, "k", "v");
	json_newline(&j);
	json_key(&j, "a");
	json_begin_array(&j);
	json_newline(&j);
	json_raw(&j, line.data, line.len);
	json_rewind(&jl, m1); /* back to [7 */
	json_int(&jl, 3);
	json_end_array(&jl);
	json_newline(&j);
	json_raw(&j, line.data, line.len);
	json_rewind(&jl, m0); /* back to [ */
	json_end_array(&jl);
	json_raw(&j, line.data, line.len);
	json_end_array(&j);
	json_key(&j, "u");
	json_uint(&j, 18446744073709551615ULL);
	json_end_object(&j);
	json_finish(&j);
	ck_assert_str_eq(doc.data, "{\"k\":\"v\",\n\"a\":[\n[7,-12],\n[7,3],[]],\"u\":18446744073709551615}\n");
	buf_release(&line);
	buf_release(&doc);
}
END_TEST

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

START_TEST(test_check_rules)
{
	struct gate c;

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(gate_add_rule(&c, "max-growth=10%"), 0);
	ck_assert_int_eq(gate_add_rule(&c, "--max-node-growth 2MB focus=^main\\. ignore=x"), 0);
	ck_assert_int_eq(gate_add_rule(&c, "max-goroutines=+5"), 0);
	ck_assert_int_eq(gate_add_rule(&c, "max-goroutines=100"), 0);
	ck_assert_int_eq(gate_add_rule(&c, "max-goroutines=+20%"), 0);
	ck_assert_uint_eq(c.nrules, 5);
	ck_assert(c.rules[0].percent && c.rules[0].limit == 10);
	ck_assert(!c.rules[1].percent && c.rules[1].limit == 2 * 1024 * 1024);
	ck_assert_str_eq(c.rules[1].focus, "^main\\.");
	ck_assert_str_eq(c.rules[1].ignore, "x");
	ck_assert_str_eq(c.rules[1].text, "max-node-growth=2MB focus=^main\\. ignore=x");
	ck_assert(c.rules[2].relative && !c.rules[2].percent && c.rules[2].limit == 5);
	ck_assert(!c.rules[3].relative && c.rules[3].limit == 100);
	ck_assert(c.rules[4].relative && c.rules[4].percent && c.rules[4].limit == 20);
	ck_assert_int_eq(gate_add_rule(&c, "max-growth"), -1);
	ck_assert_int_eq(gate_add_rule(&c, "max-growth=ten"), -1);
	ck_assert_int_eq(gate_add_rule(&c, "max-leak=1MB"), -1);
	ck_assert_int_eq(gate_add_rule(&c, "max-goroutines=1MB"), -1);
	ck_assert_int_eq(gate_add_rule(&c, "max-growth=1MB extra"), -1);
	ck_assert_uint_eq(c.nrules, 5);
	gate_release(&c);
}
END_TEST

Suite *suite_diffjson(void)
{
	Suite *s = suite_create("diffjson");
	TCase *tc = tcase_create("diffjson");

	tcase_add_test(tc, test_json_writer);
	tcase_add_test(tc, test_json_buf_raw_rewind);
	tcase_add_test(tc, test_diff_base);
	tcase_add_test(tc, test_base_and_normalize);
	tcase_add_test(tc, test_scale_n_drops);
	tcase_add_test(tc, test_check_rules);
	suite_add_tcase(s, tc);
	return s;
}
