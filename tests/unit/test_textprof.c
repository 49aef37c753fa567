/* Unit tests for textprof: Go's heap debug=1, goroutine debug=1 and
 * goroutine debug=2 text formats.  The inputs are small and inline; every
 * expected number below was worked out by hand from the input (the heap
 * scaling with the formula of pprof's legacy_profile.go scaleHeapSample,
 * arithmetic in the comments). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "profile.h"
#include "strtab.h"
#include "textprof.h"

Suite *suite_textprof(void);

static struct profile *parse(const char *s)
{
	return textprof_parse(s, strlen(s));
}

static const char *fname(const struct profile *p, uint32_t loc, uint32_t line)
{
	const struct pf_location *l = &p->locations[loc];
	ck_assert_uint_lt(line, l->nlines);
	return p->functions[p->lines[l->line_start + line].function].name;
}

static int64_t lline(const struct profile *p, uint32_t loc, uint32_t line)
{
	return p->lines[p->locations[loc].line_start + line].line;
}

static const struct pf_label *label(const struct profile *p, size_t s, const char *key)
{
	const struct pf_sample *sm = &p->samples[s];
	uint32_t i;

	for (i = 0; i < sm->nlabels; i++)
		if (p->labels[sm->label_start + i].key == intern(key))
			return &p->labels[sm->label_start + i];
	return NULL;
}

/* Parse must fail with exactly this message. */
static void expect_error(const char *in, const char *msg)
{
	struct profile *p = parse(in);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(err_msg(), msg);
}

START_TEST(test_detect)
{
	ck_assert_int_eq(textprof_detect("heap profile: 1: 2 [3: 4] @ heap/2\n", 35), TEXTPROF_HEAP);
	ck_assert_int_eq(textprof_detect("\n \t\r\nheap profile:", 18), TEXTPROF_HEAP);
	ck_assert_int_eq(textprof_detect("goroutine profile: total 3\n", 27), TEXTPROF_GOROUTINE1);
	ck_assert_int_eq(textprof_detect("  goroutine 17 [running]:\n", 26), TEXTPROF_GOROUTINE2);
	ck_assert_int_eq(textprof_detect("goroutine 1 [", 13), TEXTPROF_GOROUTINE2);
	ck_assert_int_eq(textprof_detect("goroutine x [running]:", 22), TEXTPROF_NONE);
	ck_assert_int_eq(textprof_detect("goroutine 1[running]:", 21), TEXTPROF_NONE);
	ck_assert_int_eq(textprof_detect("goroutine profile", 17), TEXTPROF_NONE);
	ck_assert_int_eq(textprof_detect("heap profile", 12), TEXTPROF_NONE);
	ck_assert_int_eq(textprof_detect("\x1f\x8b\x08", 3), TEXTPROF_NONE);
	ck_assert_int_eq(textprof_detect("", 0), TEXTPROF_NONE);
	ck_assert_int_eq(textprof_detect("   \n\n", 5), TEXTPROF_NONE);
	/* len bounds the look: the text after it does not count */
	ck_assert_int_eq(textprof_detect("heap profile:", 5), TEXTPROF_NONE);
}
END_TEST

/* Rate: "heap/1048576" is 2*MemProfileRate, pprof halves it: R = 524288.
 * Both pairs have average size S = 1024, x = S/R = 1/512.
 *   scale = 1/(1-e^-x) = (1/x)(1 + x/2 + x^2/12 - ...)
 *         = 512 + 0.5 + 512/(12*512^2) = 512.50016276...
 *   inuse 1: 1024  -> int(1*512.50016) = 512,  int(1024*512.50016) = 524800 (524800.17)
 *   alloc 2: 2048  -> int(2*512.50016) = 1025, int(2048*512.50016) = 1049600 (1049600.33)
 * Second record, one live 4 MiB object: x = 4194304/524288 = 8,
 *   e^-8 = 0.000335462628, scale = 1/(1-0.000335462628) = 1.000335575,
 *   size = int(4194304*1.000335575) = int(4195711.5) = 4195711, count 1. */
static const char heap_sampled[] =
	"heap profile: 2: 4195328 [3: 4196352] @ heap/1048576\n"
	"1: 1024 [2: 2048] @ 0x4bc3ef 0x4bc3b8 0x461a61\n"
	"#\t0x4bc3ee\tmain.newTag+0x24e\t\t/src/main.go:42\n"
	"#\t0x4bc3b7\tmain.(*Server).handle+0x217\t/src/main.go:87\n"
	"\n"
	"1: 4194304 [1: 4194304] @ 0x4bd2fb 0x461a61\n"
	"#\t0x4bd2fa\tmain.phase+0x9a\t/src/main.go:195\n"
	"\n"
	"\n"
	"# runtime.MemStats\n"
	"# Alloc = 4195328\n";

START_TEST(test_heap_scaling)
{
	struct profile *p = parse(heap_sampled);
	int64_t *v;

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->format, PF_FORMAT_HEAP_TEXT);
	ck_assert_uint_eq(p->ntypes, 4);
	ck_assert_str_eq(p->types[0].type, "alloc_objects");
	ck_assert_str_eq(p->types[1].type, "alloc_space");
	ck_assert_str_eq(p->types[2].type, "inuse_objects");
	ck_assert_str_eq(p->types[3].type, "inuse_space");
	ck_assert_str_eq(p->types[3].unit, "bytes");
	ck_assert_str_eq(p->types[2].unit, "count");
	ck_assert_int_eq(p->default_type, -1); /* last: inuse_space, as pprof */
	ck_assert_str_eq(p->period_type.type, "space");
	ck_assert_str_eq(p->period_type.unit, "bytes");
	ck_assert_int_eq(p->period, 524288);
	ck_assert_uint_eq(p->nsamples, 2);
	v = pf_values(p, 0);
	ck_assert_int_eq(v[0], 1025);
	ck_assert_int_eq(v[1], 1049600);
	ck_assert_int_eq(v[2], 512);
	ck_assert_int_eq(v[3], 524800);
	v = pf_values(p, 1);
	ck_assert_int_eq(v[0], 1);
	ck_assert_int_eq(v[1], 4195711);
	ck_assert_int_eq(v[2], 1);
	ck_assert_int_eq(v[3], 4195711);
	/* pprof's legacy parser: numeric label bytes = block size */
	ck_assert_int_eq(label(p, 0, "bytes")->num, 1024);
	ck_assert_ptr_null(label(p, 0, "bytes")->str);
	ck_assert_int_eq(label(p, 1, "bytes")->num, 4194304);
	/* drop_frames / keep_frames as pprof sets them on legacy heap */
	ck_assert_ptr_nonnull(strstr(p->drop_frames, "runtime\\..*"));
	ck_assert_str_eq(p->keep_frames, "runtime\\.panic|runtime\\.reflectcall|runtime\\.call[0-9]*");
	profile_free(p);
}
END_TEST

/* Go <= 1.20: the inlined newTag has its own (fake) PC, but the same
 * entry as handle: 0x4bc3ee-0x24e = 0x4bc1a0 = 0x4bc3b7-0x217.  So one
 * location with two lines, newTag first, at newTag's PC; goexit (in
 * the "@" list only) is gone. */
START_TEST(test_heap_inline_by_entry)
{
	struct profile *p = parse(heap_sampled);
	const struct pf_sample *s;

	ck_assert_ptr_nonnull(p);
	s = &p->samples[0];
	ck_assert_uint_eq(s->nlocs, 1);
	ck_assert_uint_eq(p->locations[pf_stack(p, s)[0]].nlines, 2);
	ck_assert_uint_eq(p->locations[pf_stack(p, s)[0]].address, 0x4bc3ee);
	ck_assert_str_eq(fname(p, pf_stack(p, s)[0], 0), "main.newTag");
	ck_assert_str_eq(fname(p, pf_stack(p, s)[0], 1), "main.(*Server).handle");
	ck_assert_int_eq(lline(p, pf_stack(p, s)[0], 0), 42);
	ck_assert_int_eq(lline(p, pf_stack(p, s)[0], 1), 87);
	ck_assert_str_eq(p->functions[p->lines[p->locations[pf_stack(p, s)[0]].line_start].function]
				 .filename,
			 "/src/main.go");
	s = &p->samples[1];
	ck_assert_uint_eq(s->nlocs, 1);
	ck_assert_str_eq(fname(p, pf_stack(p, s)[0], 0), "main.phase");
	profile_free(p);
}
END_TEST

/* Newer Go prints every inlined frame of one PC with that same PC; a
 * recursive call (same entry, same name) stays two locations; equal
 * frames in two records share locations. */
START_TEST(test_heap_inline_same_pc_and_dedup)
{
	static const char in[] =
		"heap profile: 2: 32 [2: 32] @ heap/1024\n"
		"1: 16 [1: 16] @ 0x1005 0x2005 0x2005\n"
		"#\t0x1004\tmain.leaf+0x4\ta.go:1\n"
		"#\t0x2004\tmain.inner+0x4\ta.go:2\n"
		"#\t0x2004\tmain.outer+0x4\ta.go:3\n"
		"#\t0x2104\tmain.rec+0x4\ta.go:4\n"
		"#\t0x2104\tmain.rec+0x4\ta.go:4\n"
		"\n"
		"1: 16 [1: 16] @ 0x2005 0x2005\n"
		"#\t0x2004\tmain.inner+0x4\ta.go:2\n"
		"#\t0x2004\tmain.outer+0x4\ta.go:3\n";
	struct profile *p = parse(in);
	const struct pf_sample *s;
	const uint32_t *stk;

	ck_assert_ptr_nonnull(p);
	/* alloc == inuse in the header: pprof keeps two types only */
	ck_assert_uint_eq(p->ntypes, 2);
	ck_assert_str_eq(p->types[0].type, "objects");
	ck_assert_str_eq(p->types[1].type, "space");
	/* rate 1024/2 = 512, S = 16: x = 1/32, scale = 32 + 0.5 + 32/(12*1024)
	 * = 32.5026..., count int(32.5026) = 32, size int(16*32.5026) = 520 */
	ck_assert_int_eq(pf_values(p, 0)[0], 32);
	ck_assert_int_eq(pf_values(p, 0)[1], 520);
	s = &p->samples[0];
	stk = pf_stack(p, s);
	/* leaf | inner+outer | rec | rec: the same PC groups frames (newer
	 * Go's inline expansion) unless the function repeats: recursion at
	 * one call site stays two frames, sharing one location. */
	ck_assert_uint_eq(s->nlocs, 4);
	ck_assert_uint_eq(p->locations[stk[0]].nlines, 1);
	ck_assert_uint_eq(p->locations[stk[1]].nlines, 2);
	ck_assert_str_eq(fname(p, stk[1], 0), "main.inner");
	ck_assert_str_eq(fname(p, stk[1], 1), "main.outer");
	ck_assert_uint_eq(p->locations[stk[2]].nlines, 1);
	ck_assert_uint_eq(stk[2], stk[3]);
	ck_assert_uint_eq(p->locations[stk[2]].address, 0x2104);
	s = &p->samples[1];
	ck_assert_uint_eq(s->nlocs, 1);
	ck_assert_uint_eq(pf_stack(p, s)[0], stk[1]); /* shared location */
	ck_assert_uint_eq(p->nlocations, 3);
	ck_assert_uint_eq(p->nfunctions, 4);
	profile_free(p);
}
END_TEST

START_TEST(test_heap_recursion_by_entry)
{
	/* Go <= 1.20 recursion: different PCs, same entry, same name:
	 * separate frames (the proto writer's "maybe recursion" rule). */
	static const char in[] = "heap profile: 1: 8 [1: 8] @ heapprofile\n"
				 "1: 8 [1: 8] @ 0x1011 0x1021\n"
				 "#\t0x1010\tmain.rec+0x10\ta.go:5\n"
				 "#\t0x1020\tmain.rec+0x20\ta.go:6\n";
	struct profile *p = parse(in);

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->period, 1); /* heapprofile: period 1, no scaling */
	ck_assert_int_eq(pf_values(p, 0)[1], 8);
	ck_assert_uint_eq(p->samples[0].nlocs, 2);
	ck_assert_uint_eq(p->nfunctions, 1);
	profile_free(p);
}
END_TEST

START_TEST(test_heap_addresses_only)
{
	/* No "#" lines: pprof's stack, the addresses minus 1, no names.
	 * heap_v2/2 is not halved: rate 2, S = 16: x = 8, scale =
	 * 1/(1-e^-8) = 1.000335575, count int(1.0003) = 1, size int(16.005) = 16.
	 * inuse 0 objects: block size from the alloc pair, 32/2 = 16. */
	static const char in[] = "heap profile: 0: 0 [2: 32] @ heap_v2/2\n"
				 "0: 0 [2: 32] @ 0x10 0x20\n";
	struct profile *p = parse(in);
	const uint32_t *stk;

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->period, 2);
	ck_assert_uint_eq(p->ntypes, 4);
	ck_assert_int_eq(pf_values(p, 0)[0], 2);
	ck_assert_int_eq(pf_values(p, 0)[1], 32);
	ck_assert_int_eq(pf_values(p, 0)[2], 0);
	ck_assert_int_eq(pf_values(p, 0)[3], 0);
	ck_assert_int_eq(label(p, 0, "bytes")->num, 16);
	stk = pf_stack(p, &p->samples[0]);
	ck_assert_uint_eq(p->samples[0].nlocs, 2);
	ck_assert_uint_eq(p->locations[stk[0]].address, 0xf);
	ck_assert_uint_eq(p->locations[stk[1]].address, 0x1f);
	ck_assert_uint_eq(p->locations[stk[0]].nlines, 0);
	profile_free(p);
}
END_TEST

START_TEST(test_heap_rate_zero_no_scaling)
{
	/* "@ heap" without a rate: period 0, scaleHeapSample leaves values
	 * alone (rate <= 1). */
	static const char in[] = "heap profile: 1: 100 [3: 300] @ heap\n"
				 "1: 100 [3: 300] @ 0x10\n";
	struct profile *p = parse(in);

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->period, 0);
	ck_assert_int_eq(pf_values(p, 0)[0], 3);
	ck_assert_int_eq(pf_values(p, 0)[1], 300);
	ck_assert_int_eq(pf_values(p, 0)[2], 1);
	ck_assert_int_eq(pf_values(p, 0)[3], 100);
	profile_free(p);
}
END_TEST

START_TEST(test_heap_errors)
{
	expect_error("heap profile: 1: 2 [3: 4] @ heap/x\n",
		     "line 1: malformed heap profile header");
	expect_error("heap profile: 1: 2 [3: 4] @ heapz_v3/2\n",
		     "line 1: unknown heap profile kind 'heapz_v3'");
	expect_error("heap profile: 1: 2 [3: 4] @ heap/2\n1: 2 [3: 4] @ 0x1 zz\n",
		     "line 2: malformed address list");
	expect_error("heap profile: 1: 2 [3: 4] @ heap/2\n\ngarbage\n",
		     "line 3: malformed heap record");
	expect_error("heap profile: 1: 2 [3: 4] @ heap/2\n0: 5 [3: 4] @ 0x1\n",
		     "line 2: inuse count was 0 but inuse bytes was 5");
	expect_error("heap profile: 1: 2 [3: 4] @ heap/2\n1: 2 [0: 4] @ 0x1\n",
		     "line 2: allocation count was 0 but allocation bytes was 4");
	expect_error("heap profile: 1: 2 [3: 4] @ heap/2\n1: 99999999999999999999 [3: 4] @ 0x1\n",
		     "line 2: number out of range in heap record");
	expect_error("heap profile: 1: 2 [3: 4] @ heap/2\n1: 2 [3: 4] @ 0x11111111111111111\n",
		     "line 2: address out of range");
	expect_error("heap profile: 1: 2 [3: 4] @ heap/2\n#\t0x1\tmain.f+0x1\ta.go:1\n",
		     "line 2: frame line outside a record");
	expect_error("heap profile: 1: 2 [3: 4] @ heap/2\n1: 2 [3: 4] @ 0x1\n#\t0x1\tmain.f\ta.go:1\n",
		     "line 3: malformed frame line (no function+offset)");
	expect_error("heap profile: 1: 2 [3: 4] @ heap/2\n1: 2 [3: 4] @ 0x1\n#\t0x1\tmain.f+0x1\ta.go\n",
		     "line 3: malformed frame line (no file:line)");
	/* a huge value times the scale overflows int64 */
	expect_error("heap profile: 1: 2 [3: 4] @ heap/1048576\n"
		     "9223372036854775807: 9223372036854775807 [3: 4] @ 0x1\n",
		     "line 2: value out of range after scaling");
	expect_error("", "not a Go text profile");
}
END_TEST

static const char goroutine1[] =
	"goroutine profile: total 5\n"
	"3 @ 0x43a716 0x4f52f5 0x466e81\n"
	"#\t0x4f52f4\tmain.recvWorker+0x34\t/src/main.go:56\n"
	"\n"
	"2 @ 0x43a716 0x4f5975 0x4f4cc3 0x466e81\n"
	"# labels: {\"pool\":\"io\", \"q\\\"x\":\"a\\tb\\u00e9\\x41\"}\n"
	"#\t0x4f5974\tmain.labeled.func1+0x34\t/src/main.go:140\n"
	"#\t0x4f4cc2\truntime/pprof.Do+0xa2\t/go/pprof/runtime.go:40\n"
	"\n";

START_TEST(test_goroutine1)
{
	struct profile *p = parse(goroutine1);
	const struct pf_sample *s;
	const struct pf_label *l;

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->format, PF_FORMAT_GOROUTINE_TEXT1);
	ck_assert_uint_eq(p->ntypes, 1);
	ck_assert_str_eq(p->types[0].type, "goroutine");
	ck_assert_str_eq(p->types[0].unit, "count");
	ck_assert_str_eq(p->period_type.type, "goroutine");
	ck_assert_int_eq(p->period, 1);
	ck_assert_uint_eq(p->nsamples, 2);
	ck_assert_int_eq(pf_values(p, 0)[0], 3);
	ck_assert_int_eq(pf_values(p, 1)[0], 2);
	ck_assert_int_eq(profile_total(p, 0), 5);
	s = &p->samples[0];
	ck_assert_uint_eq(s->nlocs, 1);
	ck_assert_uint_eq(s->nlabels, 0);
	ck_assert_str_eq(fname(p, pf_stack(p, s)[0], 0), "main.recvWorker");
	s = &p->samples[1];
	ck_assert_uint_eq(s->nlocs, 2);
	ck_assert_str_eq(fname(p, pf_stack(p, s)[1], 0), "runtime/pprof.Do");
	ck_assert_int_eq(lline(p, pf_stack(p, s)[1], 0), 40);
	ck_assert_uint_eq(s->nlabels, 2);
	ck_assert_str_eq(label(p, 1, "pool")->str, "io");
	l = label(p, 1, "q\"x");
	ck_assert_ptr_nonnull(l);
	ck_assert_str_eq(l->str, "a\tb\xc3\xa9"
				 "A");
	profile_free(p);
}
END_TEST

START_TEST(test_goroutine1_errors)
{
	expect_error("goroutine profile: total x\n",
		     "line 1: malformed 'goroutine profile: total N' header");
	expect_error("goroutine profile: total 1\n1 0x1\n", "line 2: malformed goroutine record");
	expect_error("goroutine profile: total 1\n1 @\n", "line 2: malformed goroutine record");
	expect_error("goroutine profile: total 1\n99999999999999999999 @ 0x1\n",
		     "line 2: count out of range");
	expect_error("goroutine profile: total 1\n1 @ 0x1\n# labels: {\"a\":b}\n",
		     "line 3: malformed labels");
	expect_error("goroutine profile: total 1\n1 @ 0x1\n# labels: {\"a\":\"b\"\n",
		     "line 3: malformed labels");
	expect_error("goroutine profile: total 1\n# labels: {}\n", "line 2: labels outside a record");
}
END_TEST

static const char goroutine2[] =
	"goroutine 1 [running]:\n"
	"main.(*T).m(0xc000010000, {0x1, 0x2})\n"
	"\t/src/main.go:10 +0x1d\n"
	"main.main()\n"
	"\t/src/main.go:20 +0x25\n"
	"\n"
	"goroutine 7 [chan receive, 12 minutes]:\n"
	"main.F[...](...)\n"
	"\t/src/g.go:5\n"
	"main.worker(0x0?)\n"
	"\t/src/main.go:56 +0x35 fp=0xc0000 sp=0xc0001 pc=0x4f52f5\n"
	"created by main.startPool in goroutine 1\n"
	"\t/src/main.go:63 +0x57\n"
	"\n"
	"goroutine 8 [chan receive, 12 minutes]:\n"
	"main.F[...](...)\n"
	"\t/src/g.go:5\n"
	"main.worker(0x1?)\n"
	"\t/src/main.go:56 +0x35\n"
	"created by main.startPool in goroutine 1\n"
	"\t/src/main.go:63 +0x57\n"
	"\n"
	"goroutine 9 [select, locked to thread]:\n"
	"panic({0x4a0, 0xc0000})\n"
	"\t/go/runtime/panic.go:884 +0x212\n"
	"main.deep(...)\n"
	"\t/src/main.go:70\n"
	"...additional frames elided...\n"
	"created by main.main\n"
	"\t/src/main.go:30 +0x57\n";

START_TEST(test_goroutine2)
{
	struct profile *p = parse(goroutine2);
	const struct pf_sample *s;
	const uint32_t *stk;

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->format, PF_FORMAT_GOROUTINE_TEXT2);
	ck_assert_uint_eq(p->ntypes, 1);
	ck_assert_str_eq(p->types[0].type, "goroutine");
	ck_assert_str_eq(p->types[0].unit, "count");
	ck_assert_uint_eq(p->nsamples, 4);
	ck_assert_int_eq(profile_total(p, 0), 4);

	s = &p->samples[0];
	stk = pf_stack(p, s);
	ck_assert_uint_eq(s->nlocs, 2);
	ck_assert_str_eq(fname(p, stk[0], 0), "main.(*T).m");
	ck_assert_int_eq(lline(p, stk[0], 0), 10);
	ck_assert_str_eq(fname(p, stk[1], 0), "main.main");
	ck_assert_uint_eq(p->locations[stk[0]].address, 0);
	ck_assert_uint_eq(s->nlabels, 1);
	ck_assert_str_eq(label(p, 0, "state")->str, "running");

	/* F[...] is inlined ("(...)") into worker: one location, two lines */
	s = &p->samples[1];
	stk = pf_stack(p, s);
	ck_assert_uint_eq(s->nlocs, 1);
	ck_assert_uint_eq(p->locations[stk[0]].nlines, 2);
	ck_assert_str_eq(fname(p, stk[0], 0), "main.F[...]");
	ck_assert_str_eq(fname(p, stk[0], 1), "main.worker");
	ck_assert_int_eq(lline(p, stk[0], 0), 5);
	ck_assert_int_eq(lline(p, stk[0], 1), 56);
	ck_assert_str_eq(label(p, 1, "state")->str, "chan receive");
	ck_assert_ptr_null(label(p, 1, "wait")->str);
	ck_assert_int_eq(label(p, 1, "wait")->num, 12);
	ck_assert_str_eq(label(p, 1, "wait")->unit, "minutes");
	ck_assert_str_eq(label(p, 1, "created_by")->str, "main.startPool");
	ck_assert_ptr_null(label(p, 1, "locked"));
	ck_assert_uint_eq(s->nlabels, 3);
	/* goroutine 8 differs only in its arguments and id: same location */
	ck_assert_uint_eq(pf_stack(p, &p->samples[2])[0], stk[0]);

	s = &p->samples[3];
	stk = pf_stack(p, s);
	ck_assert_uint_eq(s->nlocs, 2);
	ck_assert_str_eq(fname(p, stk[0], 0), "panic");
	ck_assert_str_eq(fname(p, stk[1], 0), "main.deep"); /* inlined, but the last frame */
	ck_assert_str_eq(label(p, 3, "state")->str, "select");
	ck_assert_str_eq(label(p, 3, "locked")->str, "true");
	ck_assert_str_eq(label(p, 3, "created_by")->str, "main.main");
	ck_assert_ptr_null(label(p, 3, "wait"));
	ck_assert_uint_eq(s->nlabels, 3);
	/* locations: (*T).m, main.main, F+worker, panic, deep */
	ck_assert_uint_eq(p->nlocations, 5);
	profile_free(p);
}
END_TEST

START_TEST(test_goroutine2_errors)
{
	expect_error("goroutine 1 [running]:\nmain.main()\n",
		     "line 2: unexpected end of file after a function line");
	expect_error("goroutine 1 [running]:\ncreated by main.main\n",
		     "line 2: unexpected end of file after a 'created by' line");
	expect_error("goroutine 1 [running]:\nmain.main()\n\n",
		     "line 3: expected '\\tfile:line' after a function line");
	expect_error("goroutine 1 [running]:\nmain.main\n\ta.go:1\n", "line 2: malformed function line");
	expect_error("goroutine 1 [running]:\nmain.main()\n\ta.go +0x1\n",
		     "line 3: expected '\\tfile:line' after a function line");
	expect_error("goroutine 1 [running]:\n\ta.go:1\n", "line 2: unexpected '\\tfile:line' line");
	expect_error("goroutine 1 [running:\n", "line 1: malformed goroutine header: no ']' after the state");
	expect_error("goroutine 1 [running]:\nmain.main()\n\ta.go:1\nexit status 2\n",
		     "line 4: malformed function line");
	expect_error("goroutine 1 [running, x minutes]:\n", "line 1: malformed wait time");
	expect_error("goroutine 1 [running, 99999999999999999999 minutes]:\n",
		     "line 1: wait time out of range");
	expect_error("goroutine 1 [running]:\nmain.main()\n\ta.go:99999999999999999999\n",
		     "line 3: line number out of range");
	expect_error("goroutine 1 [running]:\ncreated by main.main\n\ta.go:1\nmain.f()\n\ta.go:2\n",
		     "line 4: frame after the 'created by' line");
	expect_error("goroutine 1 [running]:\nmain.main()\n\ta.go:1\n\nnot a header\n",
		     "line 5: expected 'goroutine N [state]:'");
}
END_TEST

/* Go 1.27 debug=2 headers: labels with the runtime's quoting (traceback.go
 * goroutineheader, print.go printquoted), state flags, gp=/m=/mp= fields,
 * ancestors, elided frames, fp= sp= pc=.  Expected values by hand. */
START_TEST(test_goroutine2_go127)
{
	struct profile *p = parse(
		"goroutine 26 gp=0xc000007a40 m=nil [chan receive (nil chan) (leaked) (scan), 3 minutes, locked to thread]"
		" {endpoint: /api/tasks, \"user name\": \"Zo\\u00eb \\U0001f680\", q: \"a\\\"b\\\\c\\td\\x7f\\xff\", e: }:\n"
		"main.f(...)\n"
		"\ta.go:1 +0x1 fp=0xc0000 sp=0xc0001 pc=0x4a\n"
		"...3 frames elided...\n"
		"main.g()\n"
		"\ta.go:2 +0x2\n"
		"created by main.main in goroutine 1\n"
		"\ta.go:3 +0x3\n"
		"[originating from goroutine 1]:\n"
		"main.main(...)\n"
		"\ta.go:9 +0x9\n"
		"...additional frames elided...\n"
		"created by main.init\n"
		"\ta.go:10 +0x10\n"
		"\n"
		"goroutine 27 gp=0xc1 m=3 mp=0xc2 [sleep (durable)] {\"\": \"\"}:\n"
		"main.h()\n"
		"\ta.go:4\n");
	const struct pf_label *l;

	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->nsamples, 2);
	ck_assert_str_eq(label(p, 0, "state")->str, "chan receive (nil chan)");
	ck_assert_str_eq(label(p, 0, "leaked")->str, "true");
	ck_assert_str_eq(label(p, 0, "locked")->str, "true");
	ck_assert_int_eq(label(p, 0, "wait")->num, 3);
	ck_assert_str_eq(label(p, 0, "created_by")->str, "main.main");
	ck_assert_str_eq(label(p, 0, "endpoint")->str, "/api/tasks");
	ck_assert_str_eq(label(p, 0, "user name")->str, "Zo\xc3\xab \xf0\x9f\x9a\x80");
	ck_assert_str_eq(label(p, 0, "q")->str, "a\"b\\c\td\x7f\xff");
	ck_assert_str_eq(label(p, 0, "e")->str, "");
	/* main.f (inlined) and main.g; not the ancestor's main.main */
	ck_assert_uint_eq(p->samples[0].nlocs, 1);
	ck_assert_str_eq(fname(p, p->stacks[p->samples[0].loc_start], 0), "main.f");
	ck_assert_str_eq(fname(p, p->stacks[p->samples[0].loc_start], 1), "main.g");
	ck_assert_str_eq(label(p, 1, "state")->str, "sleep (durable)");
	ck_assert_ptr_null(label(p, 1, "leaked"));
	l = label(p, 1, "");
	ck_assert_ptr_nonnull(l);
	ck_assert_str_eq(l->str, "");
	profile_free(p);

	/* goroutineleak debug=1 */
	p = parse("goroutineleak profile: total 3\n3 @ 0x1 0x2\n# labels: {\"k\":\"v w\"}\n#\t0x1\tmain.f+0x0\ta.go:1\n");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->types[0].type, "goroutineleak");
	ck_assert_int_eq(profile_kind(p), PF_KIND_GOROUTINELEAK);
	ck_assert_str_eq(label(p, 0, "k")->str, "v w");
	profile_free(p);

	/* a crash: panic text and the trailer become comments */
	p = parse("panic: boom {x}\n\n[signal SIGSEGV]\n\ngoroutine 1 gp=0x1 m=0 mp=0x2 [running]:\nmain.main()\n"
		  "\ta.go:1 +0x1 fp=0x1 sp=0x2 pc=0x3\nexit status 2\n");
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->nsamples, 1);
	ck_assert_uint_eq(p->ncomments, 3);
	ck_assert_str_eq(p->comments[0], "panic: boom {x}");
	ck_assert_str_eq(p->comments[2], "exit status 2");
	ck_assert_int_eq(profile_kind(p), PF_KIND_GOROUTINE);
	profile_free(p);
}
END_TEST

START_TEST(test_goroutine2_go127_errors)
{
	expect_error("goroutine 1 [running] {k: v:\n", "line 1: malformed goroutine header: expected ', ' or '}' after a label value");
	expect_error("goroutine 1 [running] {k: v\n", "line 1: malformed goroutine header: unclosed '{' in the labels");
	expect_error("goroutine 1 [running] {k: \"v}:\n", "line 1: malformed goroutine header: unterminated quoted label");
	expect_error("goroutine 1 [running] {k: \"\\q\"}:\n", "line 1: malformed goroutine header: bad escape in a quoted label");
	expect_error("goroutine 1 [running] {k: \"\\xAB\"}:\n",
		     "line 1: malformed goroutine header: bad escape in a quoted label (want lower-case hex digits)");
	expect_error("goroutine 1 [running] {k: \"\\u12\"}:\n",
		     "line 1: malformed goroutine header: bad escape in a quoted label (want lower-case hex digits)");
	expect_error("goroutine 1 [running] {k: \"\\ud800\"}:\n",
		     "line 1: malformed goroutine header: escape of an invalid code point in a quoted label");
	expect_error("goroutine 1 [running] {k: \"\xc3\xa9\"}:\n",
		     "line 1: malformed goroutine header: unescaped non-ASCII or control character in a quoted label");
	expect_error("goroutine 1 [running] {k v}:\n", "line 1: malformed goroutine header: expected ': ' after a label key");
	expect_error("goroutine 1 [running] {a-b: v}:\n", "line 1: malformed goroutine header: expected ': ' after a label key");
	expect_error("goroutine 1 [running] k: v:\n", "line 1: malformed goroutine header");
	expect_error("goroutine 1 gp=zz [running]:\n", "line 1: malformed goroutine header");
	expect_error("goroutine 1 [running\n", "line 1: malformed goroutine header: no ']' after the state");
	expect_error("goroutine 1 [ (leaked)]:\nmain.main()\n\ta.go:1\n", "line 1: malformed goroutine header");
	expect_error("panic: x\n\ngoroutine 1 [running]:\n", "line 3: unexpected end of file after a goroutine header");
	expect_error("panic: x\nno goroutine here\n", "no goroutines in the traceback");
	expect_error("goroutineleak profile: total x\n", "line 1: malformed 'goroutineleak profile: total N' header");
}
END_TEST

/* 100k frames in one goroutine and one heap record: linear time (a
 * quadratic pass would take minutes here, the test has a timeout). */
START_TEST(test_deep_stacks)
{
	enum { N = 100000 };
	size_t cap = (size_t)N * 64 + 256, len = 0, i;
	char *b = malloc(cap);
	struct profile *p;

	ck_assert_ptr_nonnull(b);
	len += (size_t)snprintf(b + len, cap - len, "goroutine 1 [running]:\n");
	for (i = 0; i < N; i++)
		len += (size_t)snprintf(b + len, cap - len, "main.f%zu(0x1)\n\t/a.go:%zu +0x1\n", i % 1000,
					i);
	p = textprof_parse(b, len);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->samples[0].nlocs, N);
	ck_assert_uint_eq(p->nfunctions, 1000);
	profile_free(p);

	len = (size_t)snprintf(b, cap, "heap profile: 1: 8 [1: 8] @ heap/2\n1: 8 [1: 8] @");
	for (i = 0; i < N; i++)
		len += (size_t)snprintf(b + len, cap - len, " 0x%zx", i + 1);
	len += (size_t)snprintf(b + len, cap - len, "\n");
	p = textprof_parse(b, len);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->samples[0].nlocs, N);
	profile_free(p);
	free(b);
}
END_TEST

/* The runtime.MemStats trailer (Go 1.19's layout, values from
 * testdata/profiles/heap.debug1.txt's kind of file). */
static const char heap_memstats[] =
	"heap profile: 1: 4096 [1: 4096] @ heap/2\n"
	"1: 4096 [1: 4096] @ 0x401000\n"
	"#\t0x401000\tmain.f+0x0\t/x/main.go:3\n"
	"\n"
	"# HeapInuse = 7\n" /* before the trailer: just a comment */
	"\n"
	"# runtime.MemStats\n"
	"# Alloc = 5727824\n"
	"# Sys = 16873736\n"
	"# HeapAlloc = 5727824\n"
	"# HeapInuse = 6258688\n"
	"# HeapObjects = 2222\n"
	"# Stack = 360448 / 360448\n"
	"# NextGC = 8946670875744105863\n"
	"# PauseNs = [200180 461527 0]\n"
	"# NumGC = 4\n"
	"# NumForcedGC = 4\n"
	"# DebugGC = false\n";

START_TEST(test_heap_memstats)
{
	struct profile *p = parse(heap_memstats);

	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->nsamples, 1);
	ck_assert(p->memstats.present);
	ck_assert_int_eq(p->memstats.heap_alloc, 5727824);
	ck_assert_int_eq(p->memstats.heap_inuse, 6258688); /* not the 7 before the trailer */
	ck_assert_int_eq(p->memstats.heap_objects, 2222);
	ck_assert_int_eq(p->memstats.sys, 16873736);
	ck_assert_int_eq(p->memstats.num_gc, 4); /* not NumForcedGC */
	profile_free(p);
}
END_TEST

/* Malformed MemStats lines leave their field unknown (-1) and never fail
 * the parse (the trailer is a comment to pprof); a file without the
 * trailer has none. */
START_TEST(test_heap_memstats_malformed)
{
	static const char in[] = "heap profile: 1: 4096 [1: 4096] @ heap/2\n"
				 "1: 4096 [1: 4096] @ 0x401000\n"
				 "\n"
				 "# runtime.MemStats\n"
				 "# HeapInuse = 12x\n"
				 "# HeapObjects = 99999999999999999999\n"
				 "# Sys = -5\n"
				 "# NumGC =\n"
				 "# HeapAlloc=3\n"
				 "# HeapObjects = 9223372036854775807\n";
	struct profile *p = parse(in);

	ck_assert_ptr_nonnull(p);
	ck_assert(p->memstats.present);
	ck_assert_int_eq(p->memstats.heap_inuse, -1);
	ck_assert_int_eq(p->memstats.sys, -1);
	ck_assert_int_eq(p->memstats.num_gc, -1);
	ck_assert_int_eq(p->memstats.heap_alloc, -1);
	/* the overflowing one is skipped; INT64_MAX itself fits */
	ck_assert_int_eq(p->memstats.heap_objects, INT64_MAX);
	profile_free(p);
	p = parse("heap profile: 1: 4096 [1: 4096] @ heap/2\n1: 4096 [1: 4096] @ 0x401000\n");
	ck_assert_ptr_nonnull(p);
	ck_assert(!p->memstats.present);
	profile_free(p);
}
END_TEST

Suite *suite_textprof(void)
{
	Suite *s = suite_create("textprof");
	TCase *tc = tcase_create("textprof");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_detect);
	tcase_add_test(tc, test_heap_scaling);
	tcase_add_test(tc, test_heap_memstats);
	tcase_add_test(tc, test_heap_memstats_malformed);
	tcase_add_test(tc, test_goroutine2_go127);
	tcase_add_test(tc, test_goroutine2_go127_errors);
	tcase_add_test(tc, test_heap_inline_by_entry);
	tcase_add_test(tc, test_heap_inline_same_pc_and_dedup);
	tcase_add_test(tc, test_heap_recursion_by_entry);
	tcase_add_test(tc, test_heap_addresses_only);
	tcase_add_test(tc, test_heap_rate_zero_no_scaling);
	tcase_add_test(tc, test_heap_errors);
	tcase_add_test(tc, test_goroutine1);
	tcase_add_test(tc, test_goroutine1_errors);
	tcase_add_test(tc, test_goroutine2);
	tcase_add_test(tc, test_goroutine2_errors);
	tcase_add_test(tc, test_deep_stacks);
	suite_add_tcase(s, tc);
	return s;
}
