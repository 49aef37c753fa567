/* json: a small streaming JSON writer.  It inserts commas and colons
 * itself (no trailing commas), escapes strings (control characters,
 * quotes, backslashes; invalid UTF-8 becomes U+FFFD so the output always
 * parses) and writes integers exactly.  Output is compact, one document
 * per line, deterministic.
 *
 *   struct json j;
 *   json_init(&j, stdout);
 *   json_begin_object(&j);
 *   json_kstr(&j, "schema", "drip.top/1");
 *   json_key(&j, "nodes"); json_begin_array(&j); ... json_end_array(&j);
 *   json_end_object(&j);
 *   json_finish(&j);   -- newline after the document */
#ifndef DRIP_JSON_H
#define DRIP_JSON_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json {
	FILE *f;              /* borrowed */
	int depth;
	bool first[JSON_MAX_DEPTH]; /* no element written yet at this level */
	bool after_key;
};

void json_init(struct json *j, FILE *f);
void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s); /* NULL writes null */
void json_int(struct json *j, int64_t v);
void json_uint(struct json *j, uint64_t v);
/* A number with at most `decimals` decimals, trailing zeros kept off;
 * non-finite values are written as null. */
void json_num(struct json *j, double v, int decimals);
/* A number in the fewest characters that keep ten significant digits:
 * integral values below 1e15 without a fraction ("%.0f"), others as
 * "%.10g"; non-finite values are written as null. */
void json_real(struct json *j, double v);
void json_bool(struct json *j, bool v);
/* A value already written as JSON by another writer (embedded as is). */
void json_raw(struct json *j, const char *json_text);
void json_null(struct json *j);
/* key + value shorthands */
void json_kstr(struct json *j, const char *key, const char *s);
void json_kint(struct json *j, const char *key, int64_t v);
void json_knum(struct json *j, const char *key, double v, int decimals);
void json_kreal(struct json *j, const char *key, double v);
void json_kbool(struct json *j, const char *key, bool v);
/* key + an array of n strings */
void json_kstr_array(struct json *j, const char *key, const char *const *strs, int n);
/* End the document with a newline. */
void json_finish(struct json *j);

/* json_escape: write s as a JSON string literal (with quotes) to f;
 * NULL is written as "". */
void json_escape(FILE *f, const char *s);

#endif
