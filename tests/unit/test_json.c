/* Unit tests for src/lib/json.c, the one JSON writer: separators,
 * escapes, numbers (json_num's fixed decimals, json_real's ten
 * significant digits) and embedded documents.  Expected strings are
 * written by hand from the rules in json.h. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

Suite *suite_json(void);

static char *render(void (*fn)(struct json *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f);
	fn(&j);
	fclose(f);
	return buf;
}

static void doc1(struct json *j)
{
	json_begin_object(j);
	json_kstr(j, "s", "a\"b\\c\n\t\x01\xff\xc3\xa9");
	json_kint(j, "i", -9007199254740993LL);
	json_key(j, "a");
	json_begin_array(j);
	json_int(j, 1);
	json_begin_object(j);
	json_end_object(j);
	json_begin_array(j);
	json_end_array(j);
	json_num(j, 12.5, 2);
	json_num(j, 1.0 / 0.0, 2);
	json_num(j, -0.001, 2);
	json_bool(j, false);
	json_null(j);
	json_str(j, NULL);
	json_end_array(j);
	json_kbool(j, "t", true);
	json_end_object(j);
	json_finish(j);
}

START_TEST(test_json_writer)
{
	char *s = render(doc1);
	/* no trailing commas; escapes; invalid byte 0xff -> U+FFFD; é kept */
	ck_assert_str_eq(s, "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001\\ufffd\xc3\xa9\",\"i\":-9007199254740993,"
			    "\"a\":[1,{},[],12.5,null,0,false,null,null],\"t\":true}\n");
	free(s);
}
END_TEST

static void doc2(struct json *j)
{
	json_begin_array(j);
	json_real(j, 3);
	json_real(j, -2.5);
	json_real(j, 1e-5);
	json_real(j, 1.0 / 3.0);
	json_real(j, 1e15);
	json_real(j, NAN);
	json_real(j, -1.0 / 0.0);
	json_begin_object(j);
	json_key(j, "doc");
	json_raw(j, "{\"a\":[1,2]}");
	json_kreal(j, "r", 0.25);
	json_end_object(j);
	json_end_array(j);
}

START_TEST(test_json_real_and_raw)
{
	char *s = render(doc2);
	/* integral below 1e15 without fraction, else %.10g; non-finite null;
	 * a raw value is separated like any other */
	ck_assert_str_eq(s, "[3,-2.5,1e-05,0.3333333333,1e+15,null,null,{\"doc\":{\"a\":[1,2]},\"r\":0.25}]");
	free(s);
}
END_TEST

Suite *suite_json(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("json");

	tcase_add_test(tc, test_json_writer);
	tcase_add_test(tc, test_json_real_and_raw);
	suite_add_tcase(s, tc);
	return s;
}
