/* Unit tests for filter.c: the numeric tag range parser (the forms of
 * pprof's parseTagFilterRange comment and driver_focus.go, expected
 * values worked out by hand from measurement.Scale), and the sample /
 * frame filters on a small hand-built profile whose expected results
 * follow profile/filter.go step by step (worked out in the comments). */
#include <check.h>
#include <string.h>

#include "error.h"
#include "filter.h"
#include "profile.h"
#include "strtab.h"

Suite *suite_filter(void);

START_TEST(test_range_forms)
{
	struct tag_range r;

	ck_assert_int_eq(filter_parse_range("32kb", &r), 1);
	ck_assert_int_eq(r.op, TR_EQ);
	ck_assert(r.lo == 32.0);
	ck_assert_str_eq(r.unit, "kB");

	ck_assert_int_eq(filter_parse_range("4mb:", &r), 1);
	ck_assert_int_eq(r.op, TR_GE);
	ck_assert(r.lo == 4.0);
	ck_assert_str_eq(r.unit, "MB");

	ck_assert_int_eq(filter_parse_range(":64kb", &r), 1);
	ck_assert_int_eq(r.op, TR_LE);
	ck_assert(r.lo == 64.0);

	/* the second bound is scaled to the first one's unit: 64MB = 65536kB */
	ck_assert_int_eq(filter_parse_range("12kb:64mb", &r), 1);
	ck_assert_int_eq(r.op, TR_BETWEEN);
	ck_assert(r.lo == 12.0 && r.hi == 65536.0);
	ck_assert_str_eq(r.unit, "kB");

	ck_assert_int_eq(filter_parse_range("+400kb:", &r), 1);
	ck_assert_int_eq(r.op, TR_GE);
	ck_assert(r.lo == 400.0);

	/* a plain number is a range too (equality, no unit) */
	ck_assert_int_eq(filter_parse_range("200", &r), 1);
	ck_assert_int_eq(r.op, TR_EQ);
	ck_assert_str_eq(r.unit, "");

	/* time units */
	ck_assert_int_eq(filter_parse_range("10ms:1s", &r), 1);
	ck_assert_str_eq(r.unit, "ms");
	ck_assert(r.lo == 10.0 && r.hi == 1000.0);
}
END_TEST

START_TEST(test_range_not_ranges)
{
	struct tag_range r;

	/* regexes that merely contain digits */
	ck_assert_int_eq(filter_parse_range("key[12]", &r), 0);
	ck_assert_int_eq(filter_parse_range("tag[13]", &r), 0);
	ck_assert_int_eq(filter_parse_range("[X3]00", &r), 0);
	ck_assert_int_eq(filter_parse_range("abc", &r), 0);
	ck_assert_int_eq(filter_parse_range("", &r), 0);
	/* bounds of different kinds: Scale(2, "ms", "kB") gives "ms" */
	ck_assert_int_eq(filter_parse_range("1kb:2ms", &r), 0);
	/* more than "A:B" */
	ck_assert_int_eq(filter_parse_range("1:2:3", &r), 0);
	ck_assert_int_eq(filter_parse_range("1kb-2kb", &r), 0);
	ck_assert_int_eq(filter_parse_range("x1kb:", &r), 0);
	/* a number that does not fit in 64 bits: pprof panics, drip errs */
	ck_assert_int_eq(filter_parse_range("99999999999999999999kb:", &r), -1);
}
END_TEST

START_TEST(test_range_match)
{
	struct tag_range r;

	ck_assert_int_eq(filter_parse_range("400kb:", &r), 1);
	ck_assert(filter_range_match(&r, 409600, "bytes"));  /* 400kB */
	ck_assert(!filter_range_match(&r, 409599, "bytes"));
	ck_assert(filter_range_match(&r, 1638400, "bytes")); /* 1.56MB */
	/* Scale(v, "nanoseconds", "kB"): the time type knows the label's
	 * unit but not "kB", so it answers in its default unit "s", which
	 * is not "kB": no match */
	ck_assert(!filter_range_match(&r, 500000000000, "nanoseconds"));
	/* an unknown unit falls through Scale unchanged with unit "kB":
	 * the raw value is compared (pprof's behaviour) */
	ck_assert(filter_range_match(&r, 400, "requests"));
	ck_assert(!filter_range_match(&r, 399, "requests"));

	ck_assert_int_eq(filter_parse_range("1mb:2mb", &r), 1);
	ck_assert(filter_range_match(&r, 1048576, "bytes"));
	ck_assert(filter_range_match(&r, 2097152, "bytes"));
	ck_assert(!filter_range_match(&r, 2097153, "bytes"));
	ck_assert(!filter_range_match(&r, 1048575, "bytes"));

	ck_assert_int_eq(filter_parse_range(":64kb", &r), 1);
	ck_assert(filter_range_match(&r, 65536, "bytes"));
	ck_assert(!filter_range_match(&r, 65537, "bytes"));

	/* "200" (no unit) on a bytes label: Scale(v, "bytes", "") gives
	 * "B", not "", so it never matches; on a unit-less count it does */
	ck_assert_int_eq(filter_parse_range("200", &r), 1);
	ck_assert(!filter_range_match(&r, 200, "bytes"));
	ck_assert(filter_range_match(&r, 200, "count"));
	ck_assert(!filter_range_match(&r, 201, "count"));
}
END_TEST

/* The fixture.  Functions: main.main (main.go), main.handle and
 * main.helper (server.go), runtime.mallocgc (malloc.go).  Locations:
 *   L0 main.main   L1 main.handle   L2 runtime.mallocgc
 *   L3 main.helper inlined into main.handle (lines: helper, handle)
 * Samples (leaf first), one value each:
 *   S0 [L2 L1 L0] 100  bytes=4096  kind=a
 *   S1 [L2 L3 L0] 200  bytes=1MiB  kind=b
 *   S2 [L0]        50  kind=a other=x
 *   S3 []           7  (no frames: pprof's FilterSamplesByName drops it) */
static struct profile *fixture(void)
{
	struct profile *p = profile_new();
	struct pf_valtype vt = { intern("inuse_space"), intern("bytes") };
	const char *e = intern_empty();
	uint32_t fmain, fhandle, fhelper, fmalloc;
	struct pf_line ln[2];
	uint32_t L0, L1, L2, L3;

	profile_set_types(p, &vt, 1);
	fmain = profile_add_function(p, intern("main.main"), e, intern("main.go"), 0);
	fhandle = profile_add_function(p, intern("main.handle"), e, intern("server.go"), 0);
	fhelper = profile_add_function(p, intern("main.helper"), e, intern("server.go"), 0);
	fmalloc = profile_add_function(p, intern("runtime.mallocgc"), e, intern("malloc.go"), 0);
	memset(ln, 0, sizeof(ln));
	ln[0].function = fmain;
	L0 = profile_add_location(p, PF_NONE, 0x10, ln, 1);
	ln[0].function = fhandle;
	L1 = profile_add_location(p, PF_NONE, 0x20, ln, 1);
	ln[0].function = fmalloc;
	L2 = profile_add_location(p, PF_NONE, 0x30, ln, 1);
	ln[0].function = fhelper;
	ln[1].function = fhandle;
	L3 = profile_add_location(p, PF_NONE, 0x40, ln, 2);
	{
		uint32_t s0[] = { L2, L1, L0 }, s1[] = { L2, L3, L0 }, s2[] = { L0 };
		int64_t v0 = 100, v1 = 200, v2 = 50, v3 = 7;
		struct pf_label l0[] = { { intern("bytes"), NULL, 4096, e }, { intern("kind"), intern("a"), 0, e } };
		struct pf_label l1[] = { { intern("bytes"), NULL, 1048576, e }, { intern("kind"), intern("b"), 0, e } };
		struct pf_label l2[] = { { intern("kind"), intern("a"), 0, e }, { intern("other"), intern("x"), 0, e } };

		profile_add_sample(p, s0, 3, &v0, l0, 2);
		profile_add_sample(p, s1, 3, &v1, l1, 2);
		profile_add_sample(p, s2, 1, &v2, l2, 2);
		profile_add_sample(p, NULL, 0, &v3, NULL, 0);
	}
	return p;
}

/* The sum of the kept samples' values. */
static int64_t sum(const struct profile *p)
{
	return profile_total(p, 0);
}

/* Sample i's stack as function names of every line, leaf first,
 * "a,b|c" ('|' between locations). */
static const char *stack(const struct profile *p, size_t i, char *out, size_t n)
{
	const struct pf_sample *s = &p->samples[i];
	uint32_t k, j;

	out[0] = 0;
	for (k = 0; k < s->nlocs; k++) {
		const struct pf_location *l = &p->locations[p->stacks[s->loc_start + k]];
		if (k)
			strncat(out, "|", n - strlen(out) - 1);
		for (j = 0; j < l->nlines; j++) {
			if (j)
				strncat(out, ",", n - strlen(out) - 1);
			strncat(out, p->functions[p->lines[l->line_start + j].function].name, n - strlen(out) - 1);
		}
	}
	return out;
}

static struct profile *run(void (*set)(struct filter_opts *))
{
	struct profile *p = fixture();
	struct filter_opts o;

	memset(&o, 0, sizeof(o));
	set(&o);
	ck_assert_int_eq(filter_apply(p, &o), 0);
	return p;
}

static void set_none(struct filter_opts *o) { (void)o; }
static void set_focus(struct filter_opts *o) { o->focus = "handle"; }
static void set_ignore(struct filter_opts *o) { o->ignore = "malloc"; }
static void set_hide(struct filter_opts *o) { o->hide = "runtime"; }
static void set_hide_inl(struct filter_opts *o) { o->hide = "helper"; }
static void set_show(struct filter_opts *o) { o->show = "helper"; }
static void set_show_file(struct filter_opts *o) { o->show = "server\\.go"; }
static void set_show_from(struct filter_opts *o) { o->show_from = "handle"; }
static void set_show_from_inl(struct filter_opts *o) { o->show_from = "helper"; }
static void set_prune_from(struct filter_opts *o) { o->prune_from = "handle"; }
static void set_focus_ignore(struct filter_opts *o) { o->focus = "main"; o->ignore = "helper"; }

START_TEST(test_name_filters)
{
	struct profile *p;
	char b[256];

	/* no filter: only the frameless S3 goes */
	p = run(set_none);
	ck_assert_uint_eq(p->nsamples, 3);
	ck_assert_int_eq(sum(p), 350);
	profile_free(p);

	/* focus=handle: L1 and L3 (its caller line) match: S0, S1 */
	p = run(set_focus);
	ck_assert_uint_eq(p->nsamples, 2);
	ck_assert_int_eq(sum(p), 300);
	profile_free(p);

	/* ignore=malloc: S0 and S1 hold L2 */
	p = run(set_ignore);
	ck_assert_uint_eq(p->nsamples, 1);
	ck_assert_int_eq(sum(p), 50);
	profile_free(p);

	/* focus=main ignore=helper: every location but L3 is focused, L3
	 * ignored, so S1 goes */
	p = run(set_focus_ignore);
	ck_assert_uint_eq(p->nsamples, 2);
	ck_assert_int_eq(sum(p), 150);
	profile_free(p);

	/* hide=runtime: L2 loses its only line and leaves the stacks */
	p = run(set_hide);
	ck_assert_uint_eq(p->nsamples, 3);
	ck_assert_str_eq(stack(p, 0, b, sizeof(b)), "main.handle|main.main");
	ck_assert_str_eq(stack(p, 1, b, sizeof(b)), "main.helper,main.handle|main.main");
	profile_free(p);

	/* hide=helper: only the inlined line goes, L3 stays */
	p = run(set_hide_inl);
	ck_assert_str_eq(stack(p, 1, b, sizeof(b)), "runtime.mallocgc|main.handle|main.main");
	profile_free(p);

	/* show=helper: L0, L1, L2 have no matching line and are hidden; L3
	 * keeps its helper line; S0 and S2 are left without frames */
	p = run(set_show);
	ck_assert_uint_eq(p->nsamples, 1);
	ck_assert_int_eq(sum(p), 200);
	ck_assert_str_eq(stack(p, 0, b, sizeof(b)), "main.helper");
	profile_free(p);

	/* show matches file names too */
	p = run(set_show_file);
	ck_assert_uint_eq(p->nsamples, 2);
	ck_assert_str_eq(stack(p, 0, b, sizeof(b)), "main.handle");
	ck_assert_str_eq(stack(p, 1, b, sizeof(b)), "main.helper,main.handle");
	profile_free(p);

	/* show_from=handle: the callers above the outermost match go; S2
	 * has no match and goes */
	p = run(set_show_from);
	ck_assert_uint_eq(p->nsamples, 2);
	ck_assert_str_eq(stack(p, 0, b, sizeof(b)), "runtime.mallocgc|main.handle");
	ck_assert_str_eq(stack(p, 1, b, sizeof(b)), "runtime.mallocgc|main.helper,main.handle");
	profile_free(p);

	/* show_from=helper: L3 keeps its lines up to helper only */
	p = run(set_show_from_inl);
	ck_assert_uint_eq(p->nsamples, 1);
	ck_assert_str_eq(stack(p, 0, b, sizeof(b)), "runtime.mallocgc|main.helper");
	profile_free(p);

	/* prune_from=handle: frames below the leafmost match go; L3 drops
	 * its inlined helper line */
	p = run(set_prune_from);
	ck_assert_uint_eq(p->nsamples, 3);
	ck_assert_str_eq(stack(p, 0, b, sizeof(b)), "main.handle|main.main");
	ck_assert_str_eq(stack(p, 1, b, sizeof(b)), "main.handle|main.main");
	ck_assert_str_eq(stack(p, 2, b, sizeof(b)), "main.main");
	profile_free(p);
}
END_TEST

static void set_tf_eq(struct filter_opts *o) { o->tagfocus = "bytes=1mb"; }
static void set_tf_ge(struct filter_opts *o) { o->tagfocus = "4kb:"; }
static void set_tf_rx(struct filter_opts *o) { o->tagfocus = "kind:a"; }
static void set_tf_key(struct filter_opts *o) { o->tagfocus = "kind=b"; }
static void set_tf_list(struct filter_opts *o) { o->tagfocus = "kind:a,other:x"; }
static void set_tf_keylist(struct filter_opts *o) { o->tagfocus = "kind=b,zzz"; }
static void set_ti(struct filter_opts *o) { o->tagignore = "kind=a"; }
static void set_tf_ti(struct filter_opts *o) { o->tagfocus = "kind:."; o->tagignore = "bytes=:4kb"; }
static void set_taghide(struct filter_opts *o) { o->taghide = "kind"; }
static void set_tagshow(struct filter_opts *o) { o->tagshow = "^b"; }

START_TEST(test_tag_filters)
{
	struct profile *p;

	/* bytes=1mb: equality in MB, only S1 */
	p = run(set_tf_eq);
	ck_assert_uint_eq(p->nsamples, 1);
	ck_assert_int_eq(sum(p), 200);
	profile_free(p);

	/* 4kb: on any numeric label: S0 and S1 */
	p = run(set_tf_ge);
	ck_assert_int_eq(sum(p), 300);
	profile_free(p);

	/* without KEY the regex sees "key:value": S0 and S2 */
	p = run(set_tf_rx);
	ck_assert_int_eq(sum(p), 150);
	profile_free(p);

	/* with KEY it sees the value */
	p = run(set_tf_key);
	ck_assert_int_eq(sum(p), 200);
	profile_free(p);

	/* a list without KEY: every regex must match: S2 only */
	p = run(set_tf_list);
	ck_assert_int_eq(sum(p), 50);
	profile_free(p);

	/* a list with KEY: any regex will do */
	p = run(set_tf_keylist);
	ck_assert_int_eq(sum(p), 200);
	profile_free(p);

	p = run(set_ti);
	ck_assert_int_eq(sum(p), 200);
	profile_free(p);

	/* focus on every kind, ignore bytes <= 4kB (S0) */
	p = run(set_tf_ti);
	ck_assert_int_eq(sum(p), 250);
	profile_free(p);

	/* taghide=kind removes the kind labels, keeps the samples */
	p = run(set_taghide);
	ck_assert_uint_eq(p->nsamples, 3);
	ck_assert_uint_eq(p->nlabels, 3); /* bytes, bytes, other */
	ck_assert_uint_eq(p->samples[2].nlabels, 1);
	ck_assert_str_eq(p->labels[p->samples[2].label_start].key, "other");
	profile_free(p);

	/* tagshow=^b keeps only the bytes labels */
	p = run(set_tagshow);
	ck_assert_uint_eq(p->nlabels, 2);
	ck_assert_uint_eq(p->samples[2].nlabels, 0);
	profile_free(p);
}
END_TEST

START_TEST(test_bad_regex)
{
	struct profile *p = fixture();
	struct filter_opts o;

	memset(&o, 0, sizeof(o));
	o.focus = "(";
	ck_assert_int_eq(filter_apply(p, &o), -1);
	ck_assert(strstr(err_msg(), "invalid --focus regexp '('") != NULL);
	memset(&o, 0, sizeof(o));
	o.tagfocus = "kind=a,[";
	ck_assert_int_eq(filter_apply(p, &o), -1);
	ck_assert(strstr(err_msg(), "invalid --tagfocus regexp '['") != NULL);
	/* nothing was changed */
	ck_assert_uint_eq(p->nsamples, 4);
	profile_free(p);
}
END_TEST

/* pprof's computeTotal: |values|, or only the pprof::base=true samples
 * when there are any. */
START_TEST(test_report_total)
{
	struct profile *p = fixture();
	struct pf_label base = { intern("pprof::base"), intern("true"), 0, intern_empty() };
	int64_t neg = -30;

	ck_assert_int_eq(profile_report_total(p, 0), 357);
	profile_add_sample(p, NULL, 0, &neg, NULL, 0);
	ck_assert_int_eq(profile_report_total(p, 0), 387);
	profile_add_sample(p, NULL, 0, &neg, &base, 1);
	ck_assert_int_eq(profile_report_total(p, 0), 30);
	profile_free(p);
}
END_TEST

Suite *suite_filter(void)
{
	Suite *s = suite_create("filter");
	TCase *tc = tcase_create("filter");

	tcase_add_test(tc, test_range_forms);
	tcase_add_test(tc, test_range_not_ranges);
	tcase_add_test(tc, test_range_match);
	tcase_add_test(tc, test_name_filters);
	tcase_add_test(tc, test_tag_filters);
	tcase_add_test(tc, test_bad_regex);
	tcase_add_test(tc, test_report_total);
	suite_add_tcase(s, tc);
	return s;
}
