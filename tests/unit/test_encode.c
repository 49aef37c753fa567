/* Unit tests for pprof_encode: a profile built by hand (every field of
 * the model set, inlined lines, string and numeric labels, negative
 * values, ids that are not 1..n) and a pseudo-random bigger one go
 * through encode -> pprof_decode and must come back field for field. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pprof.h"
#include "profile.h"
#include "strtab.h"

Suite *suite_encode(void);

static void same_profile(const struct profile *a, const struct profile *b)
{
	size_t i;

	ck_assert_uint_eq(a->ntypes, b->ntypes);
	for (i = 0; i < a->ntypes; i++) {
		ck_assert_ptr_eq(a->types[i].type, b->types[i].type);
		ck_assert_ptr_eq(a->types[i].unit, b->types[i].unit);
	}
	ck_assert_int_eq(a->default_type, b->default_type);
	ck_assert_ptr_eq(a->period_type.type, b->period_type.type);
	ck_assert_ptr_eq(a->period_type.unit, b->period_type.unit);
	ck_assert_int_eq(a->period, b->period);
	ck_assert_int_eq(a->time_nanos, b->time_nanos);
	ck_assert_int_eq(a->duration_nanos, b->duration_nanos);
	ck_assert_ptr_eq(a->drop_frames, b->drop_frames);
	ck_assert_ptr_eq(a->keep_frames, b->keep_frames);
	ck_assert_ptr_eq(a->doc_url, b->doc_url);
	ck_assert_uint_eq(a->ncomments, b->ncomments);
	for (i = 0; i < a->ncomments; i++)
		ck_assert_ptr_eq(a->comments[i], b->comments[i]);

	ck_assert_uint_eq(a->nfunctions, b->nfunctions);
	for (i = 0; i < a->nfunctions; i++) {
		const struct pf_function *x = &a->functions[i], *y = &b->functions[i];
		ck_assert_uint_eq(x->id, y->id);
		ck_assert_ptr_eq(x->name, y->name);
		ck_assert_ptr_eq(x->system_name, y->system_name);
		ck_assert_ptr_eq(x->filename, y->filename);
		ck_assert_int_eq(x->start_line, y->start_line);
	}
	ck_assert_uint_eq(a->nmappings, b->nmappings);
	for (i = 0; i < a->nmappings; i++) {
		const struct pf_mapping *x = &a->mappings[i], *y = &b->mappings[i];
		ck_assert_uint_eq(x->id, y->id);
		ck_assert_uint_eq(x->start, y->start);
		ck_assert_uint_eq(x->limit, y->limit);
		ck_assert_uint_eq(x->offset, y->offset);
		ck_assert_ptr_eq(x->file, y->file);
		ck_assert_ptr_eq(x->build_id, y->build_id);
		ck_assert(x->has_functions == y->has_functions);
		ck_assert(x->has_filenames == y->has_filenames);
		ck_assert(x->has_line_numbers == y->has_line_numbers);
		ck_assert(x->has_inline_frames == y->has_inline_frames);
	}
	ck_assert_uint_eq(a->nlocations, b->nlocations);
	for (i = 0; i < a->nlocations; i++) {
		const struct pf_location *x = &a->locations[i], *y = &b->locations[i];
		uint32_t k;
		ck_assert_uint_eq(x->id, y->id);
		ck_assert_uint_eq(x->mapping, y->mapping);
		ck_assert_uint_eq(x->address, y->address);
		ck_assert(x->is_folded == y->is_folded);
		ck_assert_uint_eq(x->nlines, y->nlines);
		for (k = 0; k < x->nlines; k++) {
			const struct pf_line *lx = &a->lines[x->line_start + k], *ly = &b->lines[y->line_start + k];
			ck_assert_uint_eq(lx->function, ly->function);
			ck_assert_int_eq(lx->line, ly->line);
			ck_assert_int_eq(lx->column, ly->column);
		}
	}
	ck_assert_uint_eq(a->nsamples, b->nsamples);
	for (i = 0; i < a->nsamples; i++) {
		const struct pf_sample *x = &a->samples[i], *y = &b->samples[i];
		uint32_t k;
		ck_assert_uint_eq(x->nlocs, y->nlocs);
		for (k = 0; k < x->nlocs; k++)
			ck_assert_uint_eq(pf_stack(a, x)[k], pf_stack(b, y)[k]);
		for (k = 0; k < a->ntypes; k++)
			ck_assert_int_eq(pf_values(a, i)[k], pf_values(b, i)[k]);
		ck_assert_uint_eq(x->nlabels, y->nlabels);
		for (k = 0; k < x->nlabels; k++) {
			const struct pf_label *lx = &a->labels[x->label_start + k], *ly = &b->labels[y->label_start + k];
			ck_assert_ptr_eq(lx->key, ly->key);
			ck_assert_ptr_eq(lx->str, ly->str);
			if (!lx->str) {
				ck_assert_int_eq(lx->num, ly->num);
				ck_assert_ptr_eq(lx->unit, ly->unit);
			}
		}
	}
}

static struct profile *round_trip(const struct profile *p)
{
	struct buf b = BUF_INIT;
	struct profile *q;

	pprof_encode(p, &b);
	ck_assert_uint_gt(b.len, 0);
	q = pprof_decode((const unsigned char *)b.data, b.len);
	ck_assert_ptr_nonnull(q);
	buf_release(&b);
	return q;
}

START_TEST(test_encode_hand)
{
	struct profile *p = profile_new(), *q;
	struct pf_valtype types[2] = { { intern("alloc_space"), intern("bytes") },
				       { intern("inuse_space"), intern("bytes") } };
	struct pf_mapping m;
	struct pf_line lines[3];
	uint32_t f0, f1, f2, l0, l1, l2, stk[3];
	int64_t v[2];
	struct pf_label labs[2];

	profile_set_types(p, types, 2);
	p->default_type = 0; /* not the last type: must survive */
	p->period_type.type = intern("space");
	p->period_type.unit = intern("bytes");
	p->period = 524288;
	p->time_nanos = 1700000000123456789LL;
	p->duration_nanos = 5000000000LL;
	p->drop_frames = intern("runtime\\..*");
	p->keep_frames = intern("main\\.keep");
	p->doc_url = intern("https://example.com/doc");
	profile_add_comment(p, intern("first comment"));
	profile_add_comment(p, intern("second"));

	f0 = profile_add_function(p, intern("main.leaf"), intern("main.leaf"), intern("/src/a.go"), 10);
	f1 = profile_add_function(p, intern("main.mid"), intern("sys.mid"), intern("/src/b.go"), 20);
	f2 = profile_add_function(p, intern("main.main"), intern("main.main"), intern("/src/a.go"), 1);
	p->functions[f1].id = 1000; /* ids need not be 1..n */

	memset(&m, 0, sizeof(m));
	m.id = 7;
	m.start = 0x400000;
	m.limit = 0x800000;
	m.offset = 0x1000;
	m.file = intern("/bin/app");
	m.build_id = intern("abc123");
	m.has_functions = m.has_line_numbers = true;
	profile_add_mapping(p, &m);

	lines[0] = (struct pf_line){ f0, 12, 3 };
	l0 = profile_add_location(p, 0, 0x401000, lines, 1);
	lines[0] = (struct pf_line){ f1, 25, 0 }; /* f1 inlined into f2 */
	lines[1] = (struct pf_line){ f2, 5, 0 };
	l1 = profile_add_location(p, 0, 0x402000, lines, 2);
	l2 = profile_add_location(p, PF_NONE, 0x999, NULL, 0); /* no lines, no mapping */
	p->locations[l2].is_folded = true;
	p->locations[l1].id = 77;

	stk[0] = l0, stk[1] = l1, stk[2] = l2;
	v[0] = 1024, v[1] = -512; /* negative values (diffs) round-trip */
	labs[0] = (struct pf_label){ intern("span"), intern("GET /x"), 0, intern_empty() };
	labs[1] = (struct pf_label){ intern("bytes"), NULL, 4096, intern("bytes") };
	profile_add_sample(p, stk, 3, v, labs, 2);
	v[0] = 0, v[1] = 0; /* all-zero values are kept */
	profile_add_sample(p, stk + 1, 2, v, NULL, 0);
	v[0] = INT64_MAX, v[1] = INT64_MIN;
	profile_add_sample(p, stk, 0, v, labs + 1, 1); /* empty stack */

	q = round_trip(p);
	same_profile(p, q);
	ck_assert_uint_eq(q->functions[f1].id, 1000);
	ck_assert_uint_eq(q->locations[l1].id, 77);
	profile_free(p);
	profile_free(q);
}
END_TEST

/* A bigger profile from a fixed LCG: many functions, inlined lines,
 * long stacks, labels; and the round trip is stable (encode(decode(x))
 * gives the same bytes again). */
START_TEST(test_encode_random)
{
	struct profile *p = profile_new(), *q;
	struct pf_valtype types[2] = { { intern("samples"), intern("count") },
				       { intern("cpu"), intern("nanoseconds") } };
	uint64_t r = 12345;
	size_t i, k;
	struct buf b1 = BUF_INIT, b2 = BUF_INIT;
	char name[64];

#define RND() (r = r * 6364136223846793005ULL + 1442695040888963407ULL, (uint32_t)(r >> 33))
	profile_set_types(p, types, 2);
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "pkg%zu.fn%zu", i % 17, i);
		profile_add_function(p, intern(name), intern(name), intern("/src/x.go"), (int64_t)i);
	}
	for (i = 0; i < 1000; i++) {
		struct pf_line ln[3];
		size_t n = 1 + RND() % 3;
		for (k = 0; k < n; k++)
			ln[k] = (struct pf_line){ RND() % 300, RND() % 5000, 0 };
		profile_add_location(p, PF_NONE, 0x1000 + i * 16, ln, n);
	}
	for (i = 0; i < 5000; i++) {
		uint32_t stk[40];
		int64_t v[2] = { RND() % 100, (int64_t)(RND() % 100000) - 50000 };
		struct pf_label lab = { intern("k"), NULL, 0, intern_empty() };
		size_t n = 1 + RND() % 40;
		for (k = 0; k < n; k++)
			stk[k] = RND() % 1000;
		snprintf(name, sizeof(name), "v%u", RND() % 10);
		lab.str = intern(name);
		profile_add_sample(p, stk, n, v, &lab, i % 2);
	}
#undef RND
	q = round_trip(p);
	same_profile(p, q);
	pprof_encode(p, &b1);
	pprof_encode(q, &b2);
	ck_assert_uint_eq(b1.len, b2.len);
	ck_assert(memcmp(b1.data, b2.data, b1.len) == 0);
	buf_release(&b1);
	buf_release(&b2);
	profile_free(p);
	profile_free(q);
}
END_TEST

Suite *suite_encode(void)
{
	Suite *s = suite_create("encode");
	TCase *tc = tcase_create("encode");

	tcase_add_test(tc, test_encode_hand);
	tcase_add_test(tc, test_encode_random);
	suite_add_tcase(s, tc);
	return s;
}
