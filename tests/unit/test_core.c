/* Unit tests for the core helpers: units (checked against pprof's
 * measurement_test.go cases and hand calculation), paths, strtab, hash,
 * input (gzip). */
#include <check.h>
#include <string.h>
#include <zlib.h>

#include "error.h"
#include "graph.h"
#include "hash.h"
#include "input.h"
#include "strtab.h"
#include "units.h"

Suite *suite_core(void);

START_TEST(test_units_label)
{
	char b[64];
	/* 98.63MB: 103424000 bytes / 2^20 = 98.632...; pprof prints 98.63MB */
	ck_assert_str_eq(units_label(103424000, "bytes", "minimum", b, sizeof(b)), "98.63MB");
	ck_assert_str_eq(units_label(0, "bytes", "minimum", b, sizeof(b)), "0");
	ck_assert_str_eq(units_label(1024, "bytes", "auto", b, sizeof(b)), "1kB");
	ck_assert_str_eq(units_label(1536, "bytes", "kB", b, sizeof(b)), "1.50kB");
	ck_assert_str_eq(units_label(10000000, "nanoseconds", "auto", b, sizeof(b)), "10ms");
	ck_assert_str_eq(units_label(-2048, "bytes", "auto", b, sizeof(b)), "-2kB");
	ck_assert_str_eq(units_label(150, "count", "minimum", b, sizeof(b)), "150");
	ck_assert_str_eq(units_label(1120000000, "nanoseconds", "s", b, sizeof(b)), "1.12s");
}
END_TEST

START_TEST(test_units_percentage)
{
	char b[32];
	ck_assert_str_eq(units_percentage(110, 112, b, sizeof(b)), "98.21%");
	ck_assert_str_eq(units_percentage(1, 112, b, sizeof(b)), " 0.89%");
	ck_assert_str_eq(units_percentage(112, 112, b, sizeof(b)), "  100%");
	ck_assert_str_eq(units_percentage(0, 112, b, sizeof(b)), "    0%");
	ck_assert_str_eq(units_percentage(5, 0, b, sizeof(b)), "    0%");
}
END_TEST

START_TEST(test_clean_path)
{
	char b[256];
	clean_path("a/b/../c", b);
	ck_assert_str_eq(b, "a/c");
	clean_path("/../x//y/./z/", b);
	ck_assert_str_eq(b, "/x/y/z");
	clean_path("../../a", b);
	ck_assert_str_eq(b, "../../a");
	clean_path("a/..", b);
	ck_assert_str_eq(b, ".");
	clean_path("testdata/file1000.src", b);
	ck_assert_str_eq(b, "testdata/file1000.src");
}
END_TEST

START_TEST(test_intern)
{
	const char *a = intern("main.leak"), *b = intern_n("main.leakXX", 9);
	ck_assert_ptr_eq(a, b);
	ck_assert_ptr_ne(a, intern("main.leak2"));
	ck_assert_str_eq(intern_empty(), "");
}
END_TEST

START_TEST(test_u64map)
{
	struct u64map m = U64MAP_INIT;
	uint64_t v, i;
	for (i = 0; i < 10000; i++)
		*u64map_put(&m, i * 7919, 0, NULL) = i;
	for (i = 0; i < 10000; i++) {
		ck_assert(u64map_get(&m, i * 7919, &v));
		ck_assert_uint_eq(v, i);
	}
	ck_assert(!u64map_get(&m, 3, &v));
	u64map_release(&m);
}
END_TEST

static size_t gz(const char *s, size_t n, unsigned char *out, size_t cap)
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

START_TEST(test_gzip_members_and_truncation)
{
	unsigned char buf[512];
	struct input in;
	size_t a = gz("hello ", 6, buf, sizeof(buf));
	size_t b = gz("world", 5, buf + a, sizeof(buf) - a);

	ck_assert_int_eq(input_from_memory(buf, a + b, 0, &in), 0);
	ck_assert_uint_eq(in.len, 11);
	ck_assert_str_eq((char *)in.data, "hello world");
	input_release(&in);
	ck_assert_int_eq(input_from_memory(buf, a - 3, 0, &in), -1);
	ck_assert(strstr(err_msg(), "truncated") != NULL);
}
END_TEST

START_TEST(test_gzip_cap)
{
	static char zeros[100000];
	unsigned char buf[4096];
	struct input in;
	size_t n = gz(zeros, sizeof(zeros), buf, sizeof(buf));

	ck_assert_int_eq(input_from_memory(buf, n, 50000, &in), -1);
	ck_assert(strstr(err_msg(), "size limit") != NULL);
	ck_assert_int_eq(input_from_memory(buf, n, 0, &in), 0);
	ck_assert_uint_eq(in.len, sizeof(zeros));
	input_release(&in);
}
END_TEST

Suite *suite_core(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_units_label);
	tcase_add_test(tc, test_units_percentage);
	tcase_add_test(tc, test_clean_path);
	tcase_add_test(tc, test_intern);
	tcase_add_test(tc, test_u64map);
	tcase_add_test(tc, test_gzip_members_and_truncation);
	tcase_add_test(tc, test_gzip_cap);
	suite_add_tcase(s, tc);
	return s;
}
