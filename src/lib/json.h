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
 *   json_finish(&j);   -- newline after the document
 *
 * The writer goes to a FILE (json_init) or appends to a struct buf
 * (json_init_buf), which serves a value built once and spliced into
 * several documents (json_raw_len), and json_mark/json_rewind, which take
 * back what was written since a mark (a stack of frames that grows and
 * shrinks, as the speedscope writer does).  Numbers are formatted by
 * hand and text is written in runs, not a call per byte. */
#ifndef DRIP_JSON_H
#define DRIP_JSON_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct buf;

struct json {
	FILE *f;              /* borrowed; NULL when writing to b */
	struct buf *b;        /* borrowed; NULL when writing to f */
	int depth;
	bool first[JSON_MAX_DEPTH]; /* no element written yet at this level */
	bool after_key;
};

void json_init(struct json *j, FILE *f);
/* json_init_buf: the same writer appending to b (borrowed). */
void json_init_buf(struct json *j, struct buf *b);
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
/* json_newline: a line break before the next value (or key), after the
 * comma that separates it from the one before: "[\n1,\n2]".  JSON
 * ignores it; it keeps a big document's lines short. */
void json_newline(struct json *j);
/* json_raw_len: json_raw of the n bytes at s: one complete JSON value
 * (such as a json_init_buf writer's document), written verbatim. */
void json_raw_len(struct json *j, const char *s, size_t n);
/* A json_init_buf writer's state at one point of its document:
 * json_rewind(j, m) drops what was written since json_mark(j) returned
 * m.  Valid while the writer is at the same nesting depth as then. */
struct json_mark {
	size_t len;
	int depth;
	bool first, after_key;
};
struct json_mark json_mark(const struct json *j);
void json_rewind(struct json *j, struct json_mark m);

/* json_escape: write s as a JSON string literal (with quotes) to f;
 * NULL is written as "". */
void json_escape(FILE *f, const char *s);

#endif
