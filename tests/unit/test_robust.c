/* Unit tests for the robustness rules: the int64 totals rule
 * (profile_check_values, limits by hand: 2^63-1 passes, one more fails,
 * -2^63 fails), pprof_looks_like on text and protobuf starts, the regex
 * repeat limit (each verdict as Go 1.19's regexp.Compile gives it), and the
 * -o temporary-file protocol of output_open/output_close. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "pprof.h"
#include "profile.h"
#include "prune.h"
#include "output.h"
#include "strtab.h"

Suite *suite_robust(void);

static struct profile *one_type(const int64_t *vals, size_t n)
{
	struct profile *p = profile_new();
	struct pf_valtype t = { intern("space"), intern("bytes") };
	size_t i;

	profile_set_types(p, &t, 1);
	for (i = 0; i < n; i++)
		profile_add_sample(p, NULL, 0, &vals[i], NULL, 0);
	return p;
}

START_TEST(test_check_values_limits)
{
	int64_t fits[] = { INT64_MAX / 2, -(INT64_MAX / 2), 1 }; /* |.| sum = 2^63-1 */
	int64_t over[] = { INT64_MAX / 2, -(INT64_MAX / 2), 2 };
	int64_t min[] = { INT64_MIN };
	int64_t max[] = { INT64_MAX };
	struct profile *p;

	p = one_type(fits, 3);
	ck_assert_int_eq(profile_check_values(p), 0);
	profile_free(p);
	p = one_type(max, 1);
	ck_assert_int_eq(profile_check_values(p), 0);
	profile_free(p);
	p = one_type(over, 3);
	ck_assert_int_eq(profile_check_values(p), -1);
	ck_assert_str_eq(err_msg(), "the space values add up past the 64-bit integer limit at sample 3");
	profile_free(p);
	p = one_type(min, 1);
	ck_assert_int_eq(profile_check_values(p), -1);
	ck_assert_str_eq(err_msg(), "the space values add up past the 64-bit integer limit at sample 1");
	profile_free(p);
}
END_TEST

START_TEST(test_looks_like)
{
	/* 0a 04 08 01 10 02: sample_type {type: 1, unit: 2} */
	static const unsigned char pb[] = { 0x0a, 0x04, 0x08, 0x01, 0x10, 0x02, 0x32, 0x00 };
	static const unsigned char txt[] = "hello, world\n";
	static const unsigned char bad_wt[] = { 0x08, 0x05 }; /* field 1 as a varint */

	ck_assert_int_eq(pprof_looks_like(pb, sizeof(pb)), 1);
	ck_assert_int_eq(pprof_looks_like(txt, sizeof(txt) - 1), 0);
	ck_assert_int_eq(pprof_looks_like(bad_wt, sizeof(bad_wt)), 0);
	ck_assert_int_eq(pprof_looks_like(pb, 0), 0);
}
END_TEST

START_TEST(test_regex_repeat_limit)
{
	/* ok = 1 where Go's regexp.Compile accepts the pattern */
	static const struct {
		const char *re;
		int ok;
	} t[] = {
		{ "((a{255}){255}){255}", 0 }, { "(a{1000}){1000}", 0 }, { "(a{10}){100}", 1 },
		{ "(a{10}){101}", 0 },         { "a{1001}", 0 },         { "a{10}b{200}", 1 },
		{ "(a{10}b{200})", 1 },        { "((a{10})b{5}){20}", 1 }, { "((a{10})b{5}){21}", 1 },
		{ "[{]{1000}x{2}", 1 },        { "\\{1000}{2}", 1 },    { "(a|b{1000})c{1000}", 1 },
		{ "x{1,1000}{2}", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg((prune_regex_ok(t[i].re) == 0) == t[i].ok, "%s", t[i].re);
}
END_TEST

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static int count_entries(const char *dir)
{
	char cmd[512];
	FILE *f;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	f = popen(cmd, "r");
	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		pclose(f);
	}
	return n;
}

START_TEST(test_output_tmp_rename)
{
	char dir[] = "/tmp/drip-unit-XXXXXX", path[512];
	struct output o;
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.txt", dir);
	{
		FILE *f = fopen(path, "w");
		fputs("good\n", f);
		fclose(f);
		chmod(path, 0640);
	}
	/* a failed run (ok=0) leaves the old file and no temporary */
	ck_assert_int_eq(output_open(&o, path), 0);
	fputs("half-writ", o.f);
	ck_assert_int_eq(count_entries(dir), 2); /* out.txt and the temporary */
	ck_assert_int_eq(output_close(&o, 0), 0);
	ck_assert_str_eq(slurp(path), "good\n");
	ck_assert_int_eq(count_entries(dir), 1);
	/* a good run replaces it, keeping its mode */
	ck_assert_int_eq(output_open(&o, path), 0);
	fputs("new\n", o.f);
	ck_assert_int_eq(output_close(&o, 1), 0);
	ck_assert_str_eq(slurp(path), "new\n");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0640);
	ck_assert_int_eq(count_entries(dir), 1);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_output_device_in_place)
{
	struct output o;
	struct stat st;

	/* /dev/full is written in place, never renamed over */
	ck_assert_int_eq(output_open(&o, "/dev/full"), 0);
	ck_assert_ptr_null(o.af.tmp);
	fputs("x", o.f);
	ck_assert_int_eq(output_close(&o, 1), -1);
	ck_assert_str_eq(err_msg(), "cannot write '/dev/full': No space left on device");
	ck_assert_int_eq(stat("/dev/full", &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
}
END_TEST

Suite *suite_robust(void)
{
	Suite *s = suite_create("robust");
	TCase *tc = tcase_create("robust");

	tcase_add_test(tc, test_check_values_limits);
	tcase_add_test(tc, test_looks_like);
	tcase_add_test(tc, test_regex_repeat_limit);
	tcase_add_test(tc, test_output_tmp_rename);
	tcase_add_test(tc, test_output_device_in_place);
	suite_add_tcase(s, tc);
	return s;
}
