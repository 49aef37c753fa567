/* The Check runner: every tests/unit/test_*.c defines one or more
 * `Suite *suite_NAME(void)`; the Makefile collects their names into
 * suites.h, so adding a suite needs no edit here. */
#include <check.h>
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	SRunner *sr = srunner_create(NULL);
	int failed;

#define X(name) srunner_add_suite(sr, suite_##name());
	DRIP_SUITES
#undef X
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
