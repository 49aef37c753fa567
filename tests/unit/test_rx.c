/* Unit tests for rx: Go's regexp syntax (each verdict and match as Go's
 * regexp.MatchString gives it), Go's refusals, and linear time on the
 * patterns that make a backtracker or glibc's regexec hang. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "rx.h"

Suite *suite_rx(void);

static int match(const char *re, const char *s, unsigned flags)
{
	struct rx *r = rx_compile(re, flags);
	int m;

	ck_assert_msg(r != NULL, "%s: %s", re, err_msg());
	m = rx_match(r, s);
	rx_free(r);
	return m;
}

START_TEST(test_rx_matches)
{
	static const struct {
		const char *re, *s;
		int want;
	} t[] = {
		{ "", "", 1 }, { "", "abc", 1 }, { "abc", "xabcx", 1 }, { "abc", "ab", 0 },
		{ "^abc$", "abc", 1 }, { "^abc$", "abcd", 0 }, { "a|b", "xb", 1 }, { "a(b|c)*d", "abcbcd", 1 },
		{ "a(b|c)*d", "abxd", 0 }, { "a+", "", 0 }, { "a?b", "b", 1 }, { "a{2,3}", "aa", 1 },
		{ "^a{2,3}$", "aaaa", 0 }, { "^a{2,}$", "aaaaa", 1 }, { "^a{0}$", "", 1 }, { "x{,2}", "x{,2}", 1 },
		{ "\\d+", "abc123", 1 }, { "^\\d+$", "12a", 0 }, { "\\w", "-_-", 1 }, { "\\W", "abc", 0 },
		{ "\\s", "a b", 1 }, { "\\S", "   ", 0 }, { "[[:alpha:]]+", "123x", 1 }, { "[[:^digit:]]", "123", 0 },
		{ "[^a]", "\n", 1 }, { ".", "\n", 0 }, { "(?s).", "\n", 1 }, { "(?i)ABC", "xabcx", 1 },
		{ "(?i:a)b", "Ab", 1 }, { "(?i:a)b", "AB", 0 }, { "a(?i)b", "aB", 1 }, { "(?m)^b$", "a\nb\nc", 1 },
		{ "^b$", "a\nb\nc", 0 }, { "\\bfoo\\b", "a foo b", 1 }, { "\\bfoo\\b", "afoob", 0 },
		{ "\\Bfoo", "afoo", 1 }, { "\\Qa.b\\E", "a.b", 1 }, { "\\Qa.b\\E", "axb", 0 }, { "\\x41", "A", 1 },
		{ "\\x{263a}", "\xe2\x98\xba", 1 }, { "^.$", "\xe2\x98\xba", 1 }, { "^...$", "\xe2\x98\xba", 0 },
		{ "\\101", "A", 1 }, { "\\0", "", 0 }, { "[]a]", "]", 1 }, { "[a-]", "-", 1 }, { "a*?b", "aab", 1 },
		{ "(?P<n>a)b", "ab", 1 }, { "(?<n>a)b", "ab", 1 }, { "(?:ab)+$", "xabab", 1 }, { "\\.", "a", 0 },
		{ "main\\.\\(\\*T\\)\\.Get", "main.(*T).Get", 1 }, { "main\\.(\\*T)\\.Get", "main.(*T).Get", 0 }, { "runtime\\..*", "runtime.mallocgc", 1 },
		{ "(a*)*b", "aaab", 1 }, { "(a|)+c", "c", 1 }, { "\\A\\z", "", 1 }, { "[\\d\\-x]", "-", 1 },
		{ "[^\\x00-\\x{10FFFF}]", "a", 0 }, { "\xc3\xa9", "caf\xc3\xa9", 1 }, { "\\pL", "", -1 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (t[i].want < 0)
			continue;
		ck_assert_msg(match(t[i].re, t[i].s, 0) == t[i].want, "'%s' on '%s': want %d", t[i].re, t[i].s,
			      t[i].want);
	}
	/* anchored, as drop_frames: the whole name */
	ck_assert(match("runtime\\..*", "runtime.x", RX_ANCHORED));
	ck_assert(!match("runtime\\..*", "xruntime.x", RX_ANCHORED));
	ck_assert(!match("a|ab", "abc", RX_ANCHORED));
	ck_assert(match("a|ab", "ab", RX_ANCHORED));
	ck_assert(match("abc", "abc", RX_ANCHORED));
	ck_assert(!match("abc", "abcd", RX_ANCHORED));
}
END_TEST

START_TEST(test_rx_refusals)
{
	static const struct {
		const char *re, *msg;
	} t[] = {
		{ "(a*)\\1*b", "invalid escape sequence `\\1`: backreferences are not supported, as in Go" },
		{ "\\9", "invalid escape sequence: `\\9`" },
		{ "\\y", "invalid escape sequence: `\\y`" },
		{ "a**", "invalid nested repetition operator: `a**`" },
		{ "a{2}{3}", "invalid nested repetition operator: `a{2}{3}`" },
		{ "*a", "missing argument to repetition operator: `*`" },
		{ "a|+", "missing argument to repetition operator: `+`" },
		{ "a{1001}", "invalid repeat count: `{1001}`" },
		{ "a{3,2}", "invalid repeat count: `{3,2}`" },
		{ "(?=a)", "invalid or unsupported Perl syntax: `(?=`" },
		{ "(?<=a)b", "invalid named capture: `(?<=`" },
		{ "(?!a)", "invalid or unsupported Perl syntax: `(?!`" },
		{ "(a", "missing closing ): `(a`" },
		{ "a)", "unexpected ): `a)`" },
		{ "[a", "missing closing ]: `[a`" },
		{ "[z-a]", "invalid character class range: `z-a`" },
		{ "[[:foo:]]", "invalid character class range: `[:foo:]`" },
		{ "a\\", "trailing backslash at end of expression" },
		{ "\\pL", "Unicode classes are not supported: `\\p`" },
		{ "\xff", "invalid UTF-8" },
		{ "((a{255}){255}){255}",
		  "expression repeats too much (a repeat count, times the counts nested in it, passes 1000)" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct rx *r = rx_compile(t[i].re, 0);
		ck_assert_msg(r == NULL, "%s compiled", t[i].re);
		ck_assert_msg(strcmp(err_msg(), t[i].msg) == 0, "%s: got '%s', want '%s'", t[i].re, err_msg(), t[i].msg);
	}
}
END_TEST

/* Patterns that take a backtracker exponential time, and glibc's
 * regexec quadratic time ((a|aa)*c: 0.1 s on 8,000 bytes, so hours on
 * these), over 256 KiB of text: done at once here (the suite's timeout
 * catches a hang). */
START_TEST(test_rx_linear)
{
	static const char *const pats[] = { "(a|aa)*c", "(a*)*b", "(.*)(.*)(.*)(.*)(.*)x", "(a?){30}a{30}c",
					    "(x+x+)+y", "a{100}b" };
	size_t n = 1 << 18, i;
	char *s = malloc(n + 1);

	memset(s, 'a', n);
	s[n] = 0;
	for (i = 0; i < sizeof(pats) / sizeof(pats[0]); i++)
		ck_assert(!match(pats[i], s, 0));
	ck_assert(!match("(a|aa)*c", s, RX_ANCHORED));
	free(s);
}
END_TEST

Suite *suite_rx(void)
{
	Suite *s = suite_create("rx");
	TCase *tc = tcase_create("rx");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rx_matches);
	tcase_add_test(tc, test_rx_refusals);
	tcase_add_test(tc, test_rx_linear);
	suite_add_tcase(s, tc);
	return s;
}
