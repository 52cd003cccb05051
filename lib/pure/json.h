/*
 * json.h - JSON records over cJSON, without I/O: strict parsing of one
 * line, typed member access with diagnostics, and compact formatting.
 *
 * A line is refused (reported as "file:line: what", BRAIN_DATA) when it
 * is not valid UTF-8, not valid RFC 8259 JSON (cJSON parses; a lexical
 * pass first refuses what cJSON lets through: a byte order mark, other
 * whitespace than space, tab, LF and CR, raw control characters and bad
 * escapes in strings, \u0000, numbers outside the grammar), has bytes
 * after the value, is not an object, or holds a duplicate member name or a
 * number out of range.  Syntax errors name the byte.
 *
 * Fields: json_get_* read one member with its type and range checked,
 * reporting "file:line: field 'trials' must be a non-negative integer".
 * An absent optional member leaves *out untouched and returns BRAIN_OK.
 *
 * Formatting: json_format_line gives one compact object and a newline.
 * Members come out in insertion order, so a builder that adds them in the
 * documented order gives the documented order.  A non-finite number is a
 * bug of the caller (cJSON would print null): the whole line is refused,
 * naming the field.
 */
#ifndef BRAIN_JSON_H
#define BRAIN_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "status.h"

/* Where a record came from, for field diagnostics. */
struct json_loc {
	const char *file;   /* file name, or NULL */
	long line;          /* 1-based line, or 0 */
};

/* d as JSON writes it: the shortest text that reads back as d exactly. */
void json_number_text(double d, char out[32]);

/* item as JSON text, compact or in cJSON's indented form, every number
 * in a form that reads back as the same double (%.15g when it does, else
 * %.17g).  Never NULL; the caller frees.  Use these, never cJSON_Print*,
 * for anything written. */
char *json_print_compact(const cJSON *item);
char *json_print_indented(const cJSON *item);

/* 1 when a and b are the same value exactly: numbers bit for bit (so the
 * sign of zero counts), strings byte for byte, members in the same order
 * (cJSON_Compare allows numbers an error and members any order). */
int json_equal_exact(const cJSON *a, const cJSON *b);

/* Parse one line as a JSON object; on error report it at loc and return
 * BRAIN_DATA.  The caller owns *out. */
enum brain_status json_parse_line(const char *line, size_t len,
			      const struct json_loc *loc, cJSON **out);

/* The same, for loops that fold records and keep nothing of them: the
 * record is built in scratch memory that the next json_parse_line_scratch call
 * reuses, so it is valid only until then (cJSON_Delete on it is harmless
 * and frees nothing).  Nothing of it may be kept: copy what is needed.
 * Saves a malloc and a free per member.  It installs cJSON allocation
 * hooks once; they behave as malloc and free for all other memory. */
enum brain_status json_parse_line_scratch(const char *line, size_t len,
				      const struct json_loc *loc, cJSON **out);

/* Done with a record of json_parse_line_scratch (or NULL): the same as
 * cJSON_Delete, without walking a tree that holds nothing to free. */
void json_scratch_drop(cJSON *item);

/* 1 when the bytes are valid UTF-8 (no overlong forms, no surrogates). */
int json_utf8_valid(const char *s, size_t len);

/* 0 when they are, else the 1-based byte where the first bad sequence
 * starts. */
size_t json_utf8_fault(const char *s, size_t len);

/* The checks json_parse_line makes before cJSON parses, one by one:
 * UTF-8, then a NUL, then the lexical faults above; the first found is
 * reported at loc (BRAIN_DATA).  BRAIN_OK when there is none. */
enum brain_status json_lex_check(const char *line, size_t len, const struct json_loc *loc);

/* 1 when a line has none of json_lex_check's faults, found in one pass
 * that skips a string's plain bytes eight at a time; 0 when it may have
 * one (json_parse_line then runs json_lex_check to name it).  A byte
 * above 0x7f outside a string gives 0: cJSON refuses it anyway. */
int json_lex_clean(const char *s, size_t len);

/* Typed member access; see the top of this file. */
enum json_need { JSON_OPTIONAL = 0, JSON_REQUIRED = 1 };

enum brain_status json_get_string(const cJSON *obj, const char *name,
				  enum json_need need, const struct json_loc *loc,
				  const char **out);
enum brain_status json_get_bool(const cJSON *obj, const char *name,
				enum json_need need, const struct json_loc *loc,
				int *out);
enum brain_status json_get_int(const cJSON *obj, const char *name,
			       enum json_need need, const struct json_loc *loc,
			       int64_t min, int64_t max, int64_t *out);
enum brain_status json_get_number(const cJSON *obj, const char *name,
				  enum json_need need, const struct json_loc *loc,
				  double min, double max, double *out);
enum brain_status json_get_object(const cJSON *obj, const char *name,
				  enum json_need need, const struct json_loc *loc,
				  const cJSON **out);
enum brain_status json_get_array(const cJSON *obj, const char *name,
				 enum json_need need, const struct json_loc *loc,
				 const cJSON **out);

/* The same checks on a member already found (item->string names it in
 * the message), for readers that walk a record's members once. */
enum brain_status json_item_string(const cJSON *item, const struct json_loc *loc,
				   const char **out);
enum brain_status json_item_bool(const cJSON *item, const struct json_loc *loc, int *out);
enum brain_status json_item_int(const cJSON *item, const struct json_loc *loc,
				int64_t min, int64_t max, int64_t *out);
enum brain_status json_item_number(const cJSON *item, const struct json_loc *loc,
				   double min, double max, double *out);

/* The first non-finite number anywhere in item, or NULL.  *path receives
 * the member name holding it (borrowed from the tree), or "" at the top. */
const cJSON *json_find_nonfinite(const cJSON *item, const char **path);

/* How deeply objects and arrays nest in item (a scalar is 0, {} is 1). */
int json_depth(const cJSON *item);

/* obj compactly as a string plus LF, in a buffer the caller frees; NULL
 * when obj holds a non-finite number (reported). */
char *json_format_line(const cJSON *obj, size_t *len);

/* The string member name of obj (borrowed), or NULL when it is absent or
 * not a string; json_string_or_empty gives "" instead of NULL, for fields
 * already checked to be there. */
const char *json_string(const cJSON *obj, const char *name);
const char *json_string_or_empty(const cJSON *obj, const char *name);

/* 1 when the len bytes at s are only JSON whitespace (a blank line). */
int json_blank(const char *s, size_t len);

#endif
