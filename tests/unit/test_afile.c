/* Unit tests for src/cli/afile.c, the atomic file writer: the temporary
 * file's name and place, no-replace, writing through a dangling symlink,
 * and the clean-up of temporary files left by dead processes only. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "error.h"

Suite *suite_afile(void);

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void rm_rf(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_temp_beside_target)
{
	char dir[] = "/tmp/drip-afile-XXXXXX", path[512], tmpname[512];
	struct afile a;
	const char *base;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/snap.pb.gz", dir);
	ck_assert_int_eq(afile_open(&a, path, 0666, 0), 0);
	/* the temporary is hidden, in the same directory, and marked */
	ck_assert_int_eq(strncmp(a.tmp, dir, strlen(dir)), 0);
	base = strrchr(a.tmp, '/') + 1;
	snprintf(tmpname, sizeof(tmpname), ".snap.pb.gz.drip-tmp-%ld-", (long)getpid());
	ck_assert_int_eq(strncmp(base, tmpname, strlen(tmpname)), 0);
	ck_assert(afile_is_temp(base));
	ck_assert(!afile_is_temp("snap.pb.gz"));
	ck_assert(!afile_is_temp("heap-001.drip-tmp-1-x")); /* not hidden */
	/* nothing at the final name until the commit */
	fputs("data\n", a.f);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(afile_commit(&a), 0);
	ck_assert_str_eq(slurp(path), "data\n");
	ck_assert_int_eq(count_entries(dir), 1);
	rm_rf(dir);
}
END_TEST

START_TEST(test_noreplace)
{
	char dir[] = "/tmp/drip-afile-XXXXXX", path[512];
	struct afile a;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x", dir);
	ck_assert_int_eq(afile_open(&a, path, 0666, AFILE_NOREPLACE), 0);
	fputs("first\n", a.f);
	ck_assert_int_eq(afile_commit(&a), 0);
	ck_assert_int_eq(afile_open(&a, path, 0666, AFILE_NOREPLACE), 0);
	fputs("second\n", a.f);
	ck_assert_int_eq(afile_commit(&a), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_ptr_nonnull(strstr(err_msg(), "exists"));
	ck_assert_str_eq(slurp(path), "first\n");
	ck_assert_int_eq(count_entries(dir), 1); /* no temporary left */
	rm_rf(dir);
}
END_TEST

START_TEST(test_dangling_symlink)
{
	char dir[] = "/tmp/drip-afile-XXXXXX", link[512], target[512];
	struct afile a;
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/link", dir);
	snprintf(target, sizeof(target), "%s/target", dir);
	ck_assert_int_eq(symlink("target", link), 0); /* relative, dangling */
	ck_assert_int_eq(afile_open(&a, link, 0666, 0), 0);
	fputs("through\n", a.f);
	ck_assert_int_eq(afile_commit(&a), 0);
	/* the link stays a link; the file is where it points */
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_str_eq(slurp(target), "through\n");
	rm_rf(dir);
}
END_TEST

START_TEST(test_abort_and_clean)
{
	char dir[] = "/tmp/drip-afile-XXXXXX", path[512], dead[600], live[600];
	struct afile a;
	FILE *f;
	long pid = 4194000; /* above the default pid_max: no such process */

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out", dir);
	ck_assert_int_eq(afile_open(&a, path, 0666, 0), 0);
	fputs("half", a.f);
	afile_abort(&a);
	ck_assert_int_eq(count_entries(dir), 0);
	/* one temporary of a dead process, one of this (live) one */
	while (kill((pid_t)pid, 0) == 0)
		pid++;
	snprintf(dead, sizeof(dead), "%s/.out.drip-tmp-%ld-abcdef", dir, pid);
	snprintf(live, sizeof(live), "%s/.out.drip-tmp-%ld-abcdef", dir, (long)getpid());
	ck_assert_ptr_nonnull(f = fopen(dead, "w"));
	fclose(f);
	ck_assert_ptr_nonnull(f = fopen(live, "w"));
	fclose(f);
	ck_assert_int_eq(afile_clean_dir(dir), 1);
	ck_assert_int_eq(access(dead, F_OK), -1);
	ck_assert_int_eq(access(live, F_OK), 0);
	rm_rf(dir);
}
END_TEST

Suite *suite_afile(void)
{
	Suite *s = suite_create("afile");
	TCase *tc = tcase_create("afile");

	tcase_add_test(tc, test_temp_beside_target);
	tcase_add_test(tc, test_noreplace);
	tcase_add_test(tc, test_dangling_symlink);
	tcase_add_test(tc, test_abort_and_clean);
	suite_add_tcase(s, tc);
	return s;
}
