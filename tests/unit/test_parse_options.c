/* Unit tests for parse_options (src/cli): the spellings an option is
 * accepted in (GNU, pprof's single dash and underscores, short forms,
 * unique prefixes), the value rule (a separate value may not look like
 * an option), operand order and "--", usage errors, "did you mean", and
 * the generated --help. */
#include <check.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "parse_options.h"

Suite *suite_parse_options(void);

struct t {
	const char *focus, *out;
	bool cum;
	int verbose, count;
	const char *last_cb;
};

static int cb_count(const struct popt *opt, const char *arg, const char *cmd)
{
	struct t *t = opt->value;

	(void)cmd;
	t->count++;
	t->last_cb = arg;
	return 0;
}

static const struct popt_usage usage = { "test", "[OPTIONS] FILE...\n[OPTIONS] BASE... -- NEW...",
					 "A test command.\n", "Footer text.\n" };

#define TABLE(t) \
	struct popt opts[] = { \
		POPT_GROUP("Group one:"), \
		POPT_STRING(0, "focus", &(t).focus, "RE", "a regex"), \
		POPT_SET_BOOL(0, "cum", &(t).cum, 1, "cumulative"), \
		POPT_SET_BOOL(0, "flat", &(t).cum, 0, "flat"), \
		POPT_GROUP("Group two:"), \
		POPT_STRING('o', "output", &(t).out, "FILE", "output file\nsecond line"), \
		POPT_COUNT('v', "verbose", &(t).verbose, "more"), \
		POPT_CALLBACK(0, "sample-index", &(t), "NAME", "a callback", cb_count), \
		POPT_CALLBACK(0, "a-very-long-option-name", &(t), "VALUE", "wraps", cb_count), \
		POPT_CALLBACK_HIDDEN(0, "hidden-alias", &(t), "VALUE", cb_count), \
		POPT_END(), \
	}

/* Run parse_options on the words (NULL-terminated) with stdout and
 * stderr sent to /dev/null; returns its result, argv as permuted. */
static int run(const struct popt *opts, char **argv, int *dd)
{
	int argc = 0, r, o1, o2, null = open("/dev/null", O_WRONLY);

	while (argv[argc])
		argc++;
	fflush(stdout);
	fflush(stderr);
	o1 = dup(1);
	o2 = dup(2);
	dup2(null, 1);
	dup2(null, 2);
	r = parse_options(argc, argv, opts, &usage, ropts_known(), dd);
	fflush(stdout);
	fflush(stderr);
	dup2(o1, 1);
	dup2(o2, 2);
	close(o1);
	close(o2);
	close(null);
	return r;
}

START_TEST(test_spellings)
{
	/* every spelling of one option gives the same value */
	static const char *const forms[][3] = {
		{ "--focus=x", NULL }, { "--focus", "x" }, { "-focus=x", NULL }, { "-focus", "x" },
		{ "--foc=x", NULL }, { "--foc", "x" },
	};
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct t t = { 0 };
		TABLE(t);
		char *argv[] = { "test", (char *)forms[i][0], (char *)forms[i][1], NULL };
		int first = run(opts, argv, NULL);
		ck_assert_msg(first == (forms[i][1] ? 3 : 2), "%s: %d", forms[i][0], first);
		ck_assert_str_eq(t.focus, "x");
	}
}
END_TEST

START_TEST(test_underscores_and_short)
{
	struct t t = { 0 };
	TABLE(t);
	char *argv[] = { "test", "-sample_index=alloc", "--sample_index", "b", "-oout", "-vv", "f1", NULL };

	ck_assert_int_eq(run(opts, argv, NULL), 6);
	ck_assert_int_eq(t.count, 2);
	ck_assert_str_eq(t.last_cb, "b");
	ck_assert_str_eq(t.out, "out");
	ck_assert_int_eq(t.verbose, 2);
	ck_assert_str_eq(argv[6], "f1");
	{
		/* a hidden alias is accepted (and left out of --help: test_help) */
		char *argv4[] = { "test", "--hidden-alias=h", NULL };
		memset(&t, 0, sizeof(t));
		ck_assert_int_eq(run(opts, argv4, NULL), 2);
		ck_assert_str_eq(t.last_cb, "h");
	}
	{
		memset(&t, 0, sizeof(t));
		char *argv2[] = { "test", "-o=x", "-v", "-o", "-", NULL };
		ck_assert_int_eq(run(opts, argv2, NULL), 5);
		ck_assert_str_eq(t.out, "-"); /* "-" is a value: stdout */
		ck_assert_int_eq(t.verbose, 1);
	}
	{
		memset(&t, 0, sizeof(t));
		char *argv3[] = { "test", "-o=x", NULL };
		ck_assert_int_eq(run(opts, argv3, NULL), 2);
		ck_assert_str_eq(t.out, "x"); /* Go's -o=x, not a file "=x" */
	}
}
END_TEST

START_TEST(test_operands_and_dashdash)
{
	struct t t = { 0 };
	TABLE(t);
	char *argv[] = { "test", "a", "--cum", "b", "--", "c", "--flat", NULL };
	int dd = 0, first = run(opts, argv, &dd);

	/* options first, then "--", then the operands in their order */
	ck_assert_int_eq(first, 3);
	ck_assert_str_eq(argv[1], "--cum");
	ck_assert_str_eq(argv[2], "--");
	ck_assert_str_eq(argv[3], "a");
	ck_assert_str_eq(argv[4], "b");
	ck_assert_str_eq(argv[5], "c");
	ck_assert_str_eq(argv[6], "--flat"); /* after "--": an operand */
	ck_assert_int_eq(dd, 5);
	ck_assert(t.cum);
	{
		memset(&t, 0, sizeof(t));
		char *argv2[] = { "test", "a", "-", NULL };
		ck_assert_int_eq(run(opts, argv2, &dd), 1);
		ck_assert_int_eq(dd, -1);
		ck_assert_str_eq(argv2[2], "-");
	}
}
END_TEST

START_TEST(test_value_rule)
{
	struct t t = { 0 };
	TABLE(t);
	char *bad[] = { "test", "--focus", "--cum", "f", NULL };
	char *ok[] = { "test", "--focus=--cum", "f", NULL };
	char *neg[] = { "test", "--focus", "-5", "f", NULL };
	char *missing[] = { "test", "f", "-o", NULL };

	/* a separate value may not look like an option */
	ck_assert_int_eq(run(opts, bad, NULL), -1);
	ck_assert_int_eq(run(opts, ok, NULL), 2);
	ck_assert_str_eq(t.focus, "--cum");
	ck_assert(!t.cum);
	ck_assert_int_eq(run(opts, neg, NULL), 3);
	ck_assert_str_eq(t.focus, "-5");
	ck_assert_int_eq(run(opts, missing, NULL), -1);
}
END_TEST

START_TEST(test_errors)
{
	struct t t = { 0 };
	TABLE(t);
	char *unknown[] = { "test", "--nosuch", NULL };
	char *other[] = { "test", "--nodecount=5", NULL };   /* drip knows it; this table does not */
	char *other1[] = { "test", "-nodecount=5", NULL };
	char *noval[] = { "test", "--cum=1", NULL };
	char *ambiguous[] = { "test", "--f", NULL };          /* focus or flat */
	char *shortx[] = { "test", "-x", NULL };
	char *prefix1[] = { "test", "-foc=x", NULL };         /* single dash: whole names only */
	char *help[] = { "test", "-h", NULL };
	char *help2[] = { "test", "-help", NULL };
	char *help3[] = { "test", "f", "--help", NULL };

	ck_assert_int_eq(run(opts, unknown, NULL), -1);
	ck_assert_int_eq(run(opts, other, NULL), -1);
	ck_assert_int_eq(run(opts, other1, NULL), -1);
	ck_assert_int_eq(run(opts, noval, NULL), -1);
	ck_assert_int_eq(run(opts, ambiguous, NULL), -1);
	ck_assert_int_eq(run(opts, shortx, NULL), -1);
	ck_assert_int_eq(run(opts, prefix1, NULL), -1);
	ck_assert_int_eq(run(opts, help, NULL), -2);
	ck_assert_int_eq(run(opts, help2, NULL), -2);
	ck_assert_int_eq(run(opts, help3, NULL), -2);
}
END_TEST

START_TEST(test_similar)
{
	const char *cands[] = { "nodecount", "nodefraction", "focus", "help", "cum" };
	const char *cmds[] = { "info", "top", "diff", "check", "tree", "peek", "traces", "tags", "graph",
			       "goroutines", "leaks", "comments", "merge", "fetch", "watch", "flame" };
	size_t idx[4];

	ck_assert_uint_eq(popt_similar("nodecont", cands, 5, idx, 4), 1);
	ck_assert_str_eq(cands[idx[0]], "nodecount");
	ck_assert_uint_eq(popt_similar("fcous", cands, 5, idx, 4), 1); /* a swap */
	ck_assert_str_eq(cands[idx[0]], "focus");
	ck_assert_uint_eq(popt_similar("nosuch", cands, 5, idx, 4), 0);
	ck_assert_uint_eq(popt_similar("tpo", cmds, 16, idx, 4), 1);
	ck_assert_str_eq(cmds[idx[0]], "top");
	ck_assert_uint_eq(popt_similar("frobnicate", cmds, 16, idx, 4), 0);
}
END_TEST

START_TEST(test_help)
{
	struct t t = { 0 };
	TABLE(t);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	static const char want[] =
		"usage: drip test [OPTIONS] FILE...\n"
		"   or: drip test [OPTIONS] BASE... -- NEW...\n"
		"A test command.\n"
		"\n"
		"Group one:\n"
		"      --focus=RE             a regex\n"
		"      --cum                  cumulative\n"
		"      --flat                 flat\n"
		"\n"
		"Group two:\n"
		"  -o, --output=FILE          output file\n"
		"                             second line\n"
		"  -v, --verbose              more\n"
		"      --sample-index=NAME    a callback\n"
		"      --a-very-long-option-name=VALUE\n"
		"                             wraps\n"
		"\n"
		"Footer text.\n";

	popt_print_help(opts, &usage, f);
	fclose(f);
	ck_assert_str_eq(buf, want);
	free(buf);
}
END_TEST

Suite *suite_parse_options(void)
{
	Suite *s = suite_create("parse_options");
	TCase *tc = tcase_create("parse_options");

	tcase_add_test(tc, test_spellings);
	tcase_add_test(tc, test_underscores_and_short);
	tcase_add_test(tc, test_operands_and_dashdash);
	tcase_add_test(tc, test_value_rule);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_similar);
	tcase_add_test(tc, test_help);
	suite_add_tcase(s, tc);
	return s;
}
