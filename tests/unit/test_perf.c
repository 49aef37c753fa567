/* Unit tests for the fast paths added for big profiles: each is checked
 * against the slow path it replaces or against a plain reference
 * computation in the test itself.
 *   - gzip: libdeflate's one-call path, and zlib for what it refuses
 *   - merge: batched sample lookups (duplicates inside one batch and
 *     across batch boundaries) against an O(n^2) reference
 *   - graph: inline_edges_only (drip top) gives the same nodes, values,
 *     order and (inline) marks as the full build, with trimming
 *   - diff: the cached "pprof::base" names follow strtab_free() */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "diff.h"
#include "error.h"
#include "graph.h"
#include "input.h"
#include "merge.h"
#include "profile.h"
#include "strtab.h"

Suite *suite_perf(void);

static size_t gzip_mem(const void *s, size_t n, unsigned char *out, size_t cap)
{
	z_stream zs;

	memset(&zs, 0, sizeof(zs));
	deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	zs.next_in = (unsigned char *)s;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	deflate(&zs, Z_FINISH);
	deflateEnd(&zs);
	return cap - zs.avail_out;
}

START_TEST(test_gzip_fast_and_fallback)
{
	static char text[20000];
	static unsigned char buf[40000];
	struct input in;
	size_t i, n;

	for (i = 0; i < sizeof(text); i++)
		text[i] = (char)('a' + (i * 7 + i / 13) % 26);
	n = gzip_mem(text, sizeof(text), buf, sizeof(buf));

	/* one member: the fast path */
	ck_assert_int_eq(input_from_memory(buf, n, 0, &in), 0);
	ck_assert_uint_eq(in.len, sizeof(text));
	ck_assert(memcmp(in.data, text, sizeof(text)) == 0);
	ck_assert_int_eq(in.data[in.len], 0);
	input_release(&in);

	/* zero padding after the member: libdeflate stops early, zlib
	 * tolerates it as gzip(1) does */
	memset(buf + n, 0, 16);
	ck_assert_int_eq(input_from_memory(buf, n + 16, 0, &in), 0);
	ck_assert_uint_eq(in.len, sizeof(text));
	input_release(&in);

	/* a trailer whose size lies: refused by both, zlib says why */
	buf[n - 4] ^= 1;
	ck_assert_int_eq(input_from_memory(buf, n, 0, &in), -1);
	ck_assert(strstr(err_msg(), "corrupt gzip data") != NULL);
	buf[n - 4] ^= 1;

	/* a trailer size past the cap: zlib reports the limit */
	ck_assert_int_eq(input_from_memory(buf, n, 1000, &in), -1);
	ck_assert(strstr(err_msg(), "size limit") != NULL);
}
END_TEST

/* 40 samples over 5 locations; sample i's stack is chosen so that equal
 * stacks (and labels) occur next to each other (inside one batch of 16)
 * and 16 or more apart (across batches). */
static struct profile *mk_dups(void)
{
	struct profile *p = profile_new();
	struct pf_valtype t[2] = { { intern("objects"), intern("count") }, { intern("space"), intern("bytes") } };
	char name[16];
	size_t i;

	profile_set_types(p, t, 2);
	for (i = 0; i < 5; i++) {
		struct pf_line ln = { 0, (int64_t)i + 1, 0 };
		snprintf(name, sizeof(name), "f%zu", i);
		ln.function = profile_add_function(p, intern(name), intern(name), intern("x.go"), 0);
		profile_add_location(p, PF_NONE, 0x100 * (i + 1), &ln, 1);
	}
	for (i = 0; i < 40; i++) {
		uint32_t stk[3] = { (uint32_t)(i % 7 % 5), (uint32_t)(i / 2 % 3), 4 };
		int64_t v[2] = { 1, (int64_t)i + 1 };
		struct pf_label l = { intern("k"), intern(i % 4 == 0 ? "a" : "b"), 0, intern_empty() };
		profile_add_sample(p, stk, 1 + i % 3, v, &l, 1);
	}
	return p;
}

static bool same_sample(const struct profile *a, size_t i, const struct profile *b, size_t j)
{
	const struct pf_sample *x = &a->samples[i], *y = &b->samples[j];
	uint32_t k;

	if (x->nlocs != y->nlocs || x->nlabels != y->nlabels)
		return false;
	for (k = 0; k < x->nlocs; k++)
		if (a->locations[pf_stack(a, x)[k]].address != b->locations[pf_stack(b, y)[k]].address)
			return false;
	for (k = 0; k < x->nlabels; k++)
		if (a->labels[x->label_start + k].key != b->labels[y->label_start + k].key ||
		    a->labels[x->label_start + k].str != b->labels[y->label_start + k].str)
			return false;
	return true;
}

START_TEST(test_merge_batches)
{
	struct profile *ps[2], *m;
	size_t i, j, nref = 0;
	size_t first[80];
	int64_t sum0[80], sum1[80];

	ps[0] = mk_dups();
	ps[1] = mk_dups();
	/* reference: every distinct (stack, labels) in order of first
	 * appearance over both inputs, with its sums */
	for (i = 0; i < 80; i++) {
		const struct profile *p = ps[i / 40];
		size_t si = i % 40;
		for (j = 0; j < nref; j++)
			if (same_sample(ps[first[j] / 40], first[j] % 40, p, si))
				break;
		if (j == nref) {
			first[nref] = i;
			sum0[nref] = sum1[nref] = 0;
			nref++;
		}
		sum0[j] += pf_values(p, si)[0];
		sum1[j] += pf_values(p, si)[1];
	}
	ck_assert_uint_lt(nref, 40); /* there are duplicates to find */
	m = profile_merge(ps, 2);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->nsamples, nref);
	for (j = 0; j < nref; j++) {
		ck_assert(same_sample(m, j, ps[first[j] / 40], first[j] % 40));
		ck_assert_int_eq(pf_values(m, j)[0], sum0[j]);
		ck_assert_int_eq(pf_values(m, j)[1], sum1[j]);
	}
	profile_free(m);
	profile_free(ps[0]);
	profile_free(ps[1]);
}
END_TEST

/* Functions a..e; some locations hold inlined frames (b inlined into a,
 * d into c), stacks recurse, and values are spread so that trimming
 * drops some nodes, inlined ones included. */
static struct profile *mk_inline(void)
{
	struct profile *p = profile_new();
	struct pf_valtype t = { intern("space"), intern("bytes") };
	uint32_t f[6];
	const char *names[6] = { "a", "b", "c", "d", "e", "tiny" };
	struct pf_line ln[2];
	uint32_t loc[8];
	size_t i;
	static const uint32_t stacks[][5] = {
		{ 1, 0, 4, 0, 0 }, { 2, 3, 4, 0, 0 }, { 0, 1, 0, 4, 0 }, { 5, 2, 4, 0, 0 },
		{ 6, 1, 4, 0, 0 }, { 3, 3, 1, 4, 0 }, { 7, 4, 0, 0, 0 }, { 2, 1, 0, 4, 0 },
	};
	static const uint32_t depth[] = { 3, 3, 4, 3, 3, 4, 2, 4 };
	static const int64_t vals[] = { 500, 300, 200, 90, 3, 40, 2, 120 };

	profile_set_types(p, &t, 1);
	for (i = 0; i < 6; i++)
		f[i] = profile_add_function(p, intern(names[i]), intern(names[i]), intern("m.go"), 0);
	ln[0] = (struct pf_line){ f[0], 10, 0 };
	loc[0] = profile_add_location(p, PF_NONE, 0x10, ln, 1);                 /* a */
	ln[0] = (struct pf_line){ f[1], 20, 0 }, ln[1] = (struct pf_line){ f[0], 11, 0 };
	loc[1] = profile_add_location(p, PF_NONE, 0x20, ln, 2);                 /* b inlined in a */
	ln[0] = (struct pf_line){ f[2], 30, 0 };
	loc[2] = profile_add_location(p, PF_NONE, 0x30, ln, 1);                 /* c */
	ln[0] = (struct pf_line){ f[3], 40, 0 }, ln[1] = (struct pf_line){ f[2], 31, 0 };
	loc[3] = profile_add_location(p, PF_NONE, 0x40, ln, 2);                 /* d inlined in c */
	ln[0] = (struct pf_line){ f[4], 50, 0 };
	loc[4] = profile_add_location(p, PF_NONE, 0x50, ln, 1);                 /* e (root) */
	ln[0] = (struct pf_line){ f[5], 60, 0 };
	loc[5] = profile_add_location(p, PF_NONE, 0x60, ln, 1);                 /* tiny */
	ln[0] = (struct pf_line){ f[1], 21, 0 };
	loc[6] = profile_add_location(p, PF_NONE, 0x70, ln, 1);                 /* b not inlined */
	ln[0] = (struct pf_line){ f[3], 41, 0 };
	loc[7] = profile_add_location(p, PF_NONE, 0x80, ln, 1);                 /* d not inlined */
	for (i = 0; i < sizeof(depth) / sizeof(depth[0]); i++) {
		uint32_t stk[5];
		uint32_t k;
		for (k = 0; k < depth[i]; k++)
			stk[k] = loc[stacks[i][k]];
		profile_add_sample(p, stk, depth[i], &vals[i], NULL, 0);
	}
	return p;
}

static void marks(const struct graph *g, uint32_t node, bool *inl, bool *noinl)
{
	const struct gnode *n = &g->nodes[node];
	uint32_t k;

	*inl = *noinl = false;
	for (k = 0; k < n->nin; k++) {
		if (g->edges[n->in[k]].deleted)
			continue;
		if (g->edges[n->in[k]].inline_)
			*inl = true;
		else
			*noinl = true;
	}
}

START_TEST(test_graph_inline_edges_only)
{
	struct profile *p = mk_inline();
	static const struct trim_opts trims[] = {
		{ 0, 0.0, 0.0, false, false },  { 0, 0.05, 0.01, false, false }, { 0, 0.2, 0.01, true, false },
		{ 3, 0.005, 0.001, false, false }, { 2, 0.05, 0.3, true, false },
	};
	size_t t, gr;

	for (gr = 0; gr < 2; gr++) {
		for (t = 0; t < sizeof(trims) / sizeof(trims[0]); t++) {
			struct graph_opts o = { 0, -1, gr ? GRAN_LINES : GRAN_FUNCTIONS, false, false, false };
			struct graph *full, *fast;
			struct trim_result rf, rs;
			size_t i;

			full = graph_new(p, &o);
			o.inline_edges_only = true;
			fast = graph_new(p, &o);
			graph_trim(full, &trims[t], &rf);
			graph_trim(fast, &trims[t], &rs);
			ck_assert_int_eq(rf.orig_count, rs.orig_count);
			ck_assert_int_eq(rf.dropped_nodes, rs.dropped_nodes);
			ck_assert_uint_eq(full->norder, fast->norder);
			ck_assert_uint_gt(full->norder, 0);
			for (i = 0; i < full->norder; i++) {
				uint32_t a = full->order[i], b = fast->order[i];
				bool ai, an, bi, bn;
				ck_assert_ptr_eq(full->nodes[a].pname, fast->nodes[b].pname);
				ck_assert_int_eq(full->nodes[a].flat, fast->nodes[b].flat);
				ck_assert_int_eq(full->nodes[a].cum, fast->nodes[b].cum);
				marks(full, a, &ai, &an);
				marks(fast, b, &bi, &bn);
				ck_assert(ai == bi);
				if (ai) /* partial-inline vs inline */
					ck_assert(an == bn);
			}
			graph_free(full);
			graph_free(fast);
		}
	}
	profile_free(p);
}
END_TEST

START_TEST(test_diff_names_follow_strtab)
{
	const char *k = diff_base_key();
	unsigned g = strtab_generation();

	ck_assert_str_eq(k, "pprof::base");
	ck_assert_ptr_eq(k, intern("pprof::base"));
	ck_assert_ptr_eq(diff_base_value(), intern("true"));
	strtab_free();
	ck_assert_uint_ne(strtab_generation(), g);
	k = diff_base_key(); /* interned again, not the freed pointer */
	ck_assert_ptr_eq(k, intern("pprof::base"));
	ck_assert_str_eq(k, "pprof::base");
}
END_TEST

Suite *suite_perf(void)
{
	Suite *s = suite_create("perf");
	TCase *tc = tcase_create("perf");

	tcase_add_test(tc, test_gzip_fast_and_fallback);
	tcase_add_test(tc, test_merge_batches);
	tcase_add_test(tc, test_graph_inline_edges_only);
	tcase_add_test(tc, test_diff_names_follow_strtab);
	suite_add_tcase(s, tc);
	return s;
}
