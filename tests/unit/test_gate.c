/* Unit tests for src/lib/gate.c (drip check): rule parsing.  Expected
 * values follow the rule grammar in gate.h and the man page. */
#include <check.h>
#include <string.h>

#include "gate.h"

Suite *suite_gate(void);

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

Suite *suite_gate(void)
{
	Suite *s = suite_create("gate");
	TCase *tc = tcase_create("gate");

	tcase_add_test(tc, test_check_rules);
	suite_add_tcase(s, tc);
	return s;
}
