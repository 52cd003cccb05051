/* Unit tests of json: strict parsing of one line (what cJSON lets through
 * is refused here), typed member access with its messages, UTF-8, depth,
 * non-finite numbers and compact formatting.  Reading files is jsonl:
 * test_jsonl.c. */
#include "unit.h"

#include <dirent.h>
#include <malloc.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "pure/json.h"

/* json_parse_line of text at f.jsonl:3; diagnostics captured, named "test". */
static enum brain_status parse_at3(const char *text, size_t len, cJSON **out)
{
	struct json_loc loc = { "f.jsonl", 3 };

	diag_init("test");
	unit_capture_diag();
	return json_parse_line(text, len, &loc, out);
}

static enum brain_status parse3(const char *text, cJSON **out)
{
	return parse_at3(text, strlen(text), out);
}

static void accepted(const char *text)
{
	cJSON *o = NULL;
	enum brain_status status = parse_at3(text, strlen(text), &o);

	ck_assert_msg(status == BRAIN_OK, "'%s' refused: %s", text, unit_diag_text());
	ck_assert(cJSON_IsObject(o));
	cJSON_Delete(o);
}

/* Refused with BRAIN_DATA, *out NULL, and a message at f.jsonl:3. */
static void refused_len(const char *text, size_t len)
{
	cJSON *o = (cJSON *)1;
	enum brain_status status = parse_at3(text, len, &o);

	if (status == BRAIN_OK)
		cJSON_Delete(o);
	ck_assert_msg(status == BRAIN_DATA, "'%s' accepted", text);
	ck_assert_ptr_null(o);
	ck_assert_msg(!strncmp(unit_diag_text(), "test: f.jsonl:3: ", 17), "'%s': %s", text,
		      unit_diag_text());
}

static void refused(const char *text)
{
	refused_len(text, strlen(text));
}

/* ---- strict parsing ------------------------------------------------------ */

START_TEST(numbers_that_are_not_json_are_refused)
{
	static const char *const bad[] = {
		"{\"a\":.5}", "{\"a\":-}", "{\"a\":+1}", "{\"a\":0x10}", "{\"a\":1e}",
		"{\"a\":1e+}", "{\"a\":--1}", "{\"a\":NaN}", "{\"a\":Infinity}",
		"{\"a\":-Infinity}", "{\"a\":1_000}", "{\"a\":1,}", "{\"a\":tru}",
		"{\"a\":nul}", "{a:1}", "{'a':1}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(bad[i]);
	/* The control: numbers JSON does have. */
	accepted("{\"a\":0,\"b\":-0,\"c\":0.5,\"d\":-1.5e-3,\"e\":2E+10,\"f\":10}");
}
END_TEST

START_TEST(out_of_range_numbers_are_refused_naming_the_member)
{
	cJSON *o = NULL;

	ck_assert_int_eq(parse3("{\"a\":1,\"big\":1e400}", &o), BRAIN_DATA);
	ck_assert_ptr_null(o);
	ck_assert_str_eq(unit_diag_text(), "test: f.jsonl:3: field 'big' holds a number out of range\n");
	ck_assert_str_eq(diag_last(), "field 'big' holds a number out of range");
	refused("{\"a\":-1e400}");
	refused("{\"a\":{\"b\":[1,2,1e309]}}");
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "field 'b' holds a number out of range"));
	/* Underflow is not out of range: it is a tiny number, read as 0. */
	ck_assert_int_eq(parse3("{\"tiny\":1e-400}", &o), BRAIN_OK);
	ck_assert_double_eq(cJSON_GetObjectItem(o, "tiny")->valuedouble, 0);
	cJSON_Delete(o);
	/* The largest double is in range. */
	accepted("{\"max\":1.7976931348623157e308}");
}
END_TEST

START_TEST(trailing_bytes_and_nul_are_refused)
{
	cJSON *o = NULL;

	refused("{}x");
	refused("{} {}");
	refused("{}]");
	refused("{\"a\":1}}");
	/* A NUL, even after the value, is named with its place. */
	ck_assert_int_eq(parse_at3("{\"a\":1}\0", 8, &o), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(), "test: f.jsonl:3: invalid JSON: NUL byte at byte 8\n");
	ck_assert_int_eq(parse_at3("{\"a\":\"x\0y\"}", 11, &o), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(), "test: f.jsonl:3: invalid JSON: NUL byte at byte 8\n");
	/* JSON whitespace around the value is not trailing bytes. */
	accepted(" \t{\"a\":1} \t\r\n");
}
END_TEST

START_TEST(values_that_are_not_objects_are_refused)
{
	static const char *const bad[] = { "[]", "[{}]", "true", "false", "null", "0", "\"{}\"", "" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(bad[i]);
	ck_assert_int_eq(parse3("[{\"a\":1}]", &(cJSON *){ NULL }), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(), "test: f.jsonl:3: record is not a JSON object\n");
}
END_TEST

START_TEST(duplicate_member_names_are_refused_at_any_depth)
{
	cJSON *o = NULL;

	ck_assert_int_eq(parse3("{\"x\":1,\"y\":2,\"x\":1}", &o), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(), "test: f.jsonl:3: field 'x' appears twice\n");
	refused("{\"a\":[{\"k\":1},{\"k\":2,\"k\":3}]}");
	refused("{\"\":1,\"\":2}");
	/* An escape spelling the same name is the same name. */
	refused("{\"ab\":1,\"a\\u0062\":2}");
	/* The same name in different objects, or in another case, is fine. */
	accepted("{\"a\":{\"k\":1},\"b\":{\"k\":2},\"k\":[{\"k\":3}]}");
	accepted("{\"a\":1,\"A\":2}");
}
END_TEST

START_TEST(invalid_utf8_is_refused_anywhere_in_the_line)
{
	static const char *const bad[] = {
		"{\"a\":\"\xc0\xaf\"}",          /* overlong '/' */
		"{\"a\":\"\xe0\x80\xaf\"}",      /* overlong, 3 bytes */
		"{\"a\":\"\xf0\x80\x80\xaf\"}",  /* overlong, 4 bytes */
		"{\"a\":\"\xed\xa0\x80\"}",      /* surrogate U+D800 */
		"{\"a\":\"\xed\xbf\xbf\"}",      /* surrogate U+DFFF */
		"{\"\xed\xa0\x80\":1}",          /* in a member name */
		"{\"a\":\"\xf4\x90\x80\x80\"}",  /* over U+10FFFF */
		"{\"a\":1} \xff",                /* after the value */
		"\xfe{\"a\":1}",                 /* before it */
	};
	cJSON *o = NULL;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(bad[i]);
	ck_assert_int_eq(parse3("{\"name\":\"caf\xc3\"}", &o), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(), "test: f.jsonl:3: invalid UTF-8 at byte 13\n");
	accepted("{\"name\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}");
}
END_TEST

START_TEST(surrogate_escapes_must_pair)
{
	cJSON *o = NULL;

	refused("{\"a\":\"\\ud800\"}");
	refused("{\"a\":\"\\udc00\"}");
	refused("{\"a\":\"\\ud800\\u0041\"}");
	refused("{\"a\":\"\\u12\"}");
	refused("{\"a\":\"\\x41\"}");
	/* A pair is one code point, stored as UTF-8. */
	ck_assert_int_eq(parse3("{\"a\":\"\\ud83d\\ude00\"}", &o), BRAIN_OK);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "a")->valuestring, "\xf0\x9f\x98\x80");
	cJSON_Delete(o);
}
END_TEST

START_TEST(a_cut_line_says_so)
{
	cJSON *o = NULL;

	ck_assert_int_eq(parse3("{\"a\":\"open string", &o), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(), "test: f.jsonl:3: invalid JSON: unexpected end of line\n");
	ck_assert_int_eq(parse3("{\"a\":[1,{\"b\":2}", &o), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(), "test: f.jsonl:3: invalid JSON: unexpected end of line\n");
	/* Not cut, just wrong: the byte is named. */
	ck_assert_int_eq(parse3("{\"a\" 1}", &o), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(), "test: f.jsonl:3: invalid JSON at byte 6\n");
}
END_TEST

START_TEST(parse_without_line_number)
{
	struct json_loc loc = { "config.json", 0 };
	cJSON *obj = (cJSON *)1;

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(json_parse_line("[]", 2, &loc, &obj), BRAIN_DATA);
	ck_assert_ptr_null(obj);
	ck_assert_str_eq(unit_diag_text(), "test: config.json: record is not a JSON object\n");
	/* Only len bytes are parsed: what follows is not looked at. */
	ck_assert_int_eq(json_parse_line("{\"a\":1}garbage", 7, &loc, &obj), BRAIN_OK);
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(obj, "a"));
	cJSON_Delete(obj);
}
END_TEST

/* ---- typed members ------------------------------------------------------ */

static cJSON *parse(const char *text)
{
	struct json_loc loc = { "p", 1 };
	cJSON *obj = NULL;

	ck_assert_int_eq(json_parse_line(text, strlen(text), &loc, &obj), BRAIN_OK);
	return obj;
}

static const struct json_loc at17 = { "events.jsonl", 17 };

START_TEST(get_with_the_right_type)
{
	cJSON *o = parse("{\"n\":42,\"x\":0.25,\"t\":true,\"f\":false,\"s\":\"hé\","
			 "\"o\":{\"k\":1},\"a\":[1,2],\"z\":0,\"neg\":-7}");
	int64_t n = -1;
	double x = -1;
	int b = -1;
	const char *s = NULL;
	const cJSON *obj = NULL, *arr = NULL;

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(json_get_int(o, "n", JSON_REQUIRED, &at17, 0, INT64_MAX, &n), BRAIN_OK);
	ck_assert_int_eq(n, 42);
	ck_assert_int_eq(json_get_int(o, "z", JSON_REQUIRED, &at17, 0, INT64_MAX, &n), BRAIN_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(json_get_int(o, "neg", JSON_REQUIRED, &at17, -10, 10, &n), BRAIN_OK);
	ck_assert_int_eq(n, -7);
	ck_assert_int_eq(json_get_number(o, "x", JSON_REQUIRED, &at17, 0, 1, &x), BRAIN_OK);
	ck_assert_double_eq(x, 0.25);
	ck_assert_int_eq(json_get_number(o, "n", JSON_REQUIRED, &at17, 0, 100, &x), BRAIN_OK);
	ck_assert_double_eq(x, 42);
	ck_assert_int_eq(json_get_bool(o, "t", JSON_REQUIRED, &at17, &b), BRAIN_OK);
	ck_assert_int_eq(b, 1);
	ck_assert_int_eq(json_get_bool(o, "f", JSON_REQUIRED, &at17, &b), BRAIN_OK);
	ck_assert_int_eq(b, 0);
	ck_assert_int_eq(json_get_string(o, "s", JSON_REQUIRED, &at17, &s), BRAIN_OK);
	ck_assert_str_eq(s, "hé");
	ck_assert_int_eq(json_get_object(o, "o", JSON_REQUIRED, &at17, &obj), BRAIN_OK);
	ck_assert_ptr_eq(obj, cJSON_GetObjectItem(o, "o"));
	ck_assert_int_eq(json_get_array(o, "a", JSON_REQUIRED, &at17, &arr), BRAIN_OK);
	ck_assert_int_eq(cJSON_GetArraySize(arr), 2);
	ck_assert_str_eq(unit_diag_text(), "");
	cJSON_Delete(o);
}
END_TEST

START_TEST(get_with_the_wrong_type_names_field_and_place)
{
	cJSON *o = parse("{\"trials\":\"12\",\"x\":\"0.5\",\"t\":1,\"s\":5,\"o\":[],\"a\":{}}");
	int64_t n = 99;
	double x = 99;
	int b = 99;
	const char *s = "untouched";
	const cJSON *ptr = NULL;

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(json_get_int(o, "trials", JSON_REQUIRED, &at17, 0, INT64_MAX, &n),
			 BRAIN_DATA);
	ck_assert_int_eq(json_get_number(o, "x", JSON_REQUIRED, &at17, 0, 1, &x), BRAIN_DATA);
	ck_assert_int_eq(json_get_bool(o, "t", JSON_OPTIONAL, &at17, &b), BRAIN_DATA);
	ck_assert_int_eq(json_get_string(o, "s", JSON_REQUIRED, &at17, &s), BRAIN_DATA);
	ck_assert_int_eq(json_get_object(o, "o", JSON_REQUIRED, &at17, &ptr), BRAIN_DATA);
	ck_assert_int_eq(json_get_array(o, "a", JSON_REQUIRED, &at17, &ptr), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(),
		"test: events.jsonl:17: field 'trials' must be a non-negative integer\n"
		"test: events.jsonl:17: field 'x' must be a number from 0 to 1\n"
		"test: events.jsonl:17: field 't' must be true or false\n"
		"test: events.jsonl:17: field 's' must be a string\n"
		"test: events.jsonl:17: field 'o' must be an object\n"
		"test: events.jsonl:17: field 'a' must be an array\n");
	ck_assert_str_eq(diag_last(), "field 'a' must be an array");
	/* Nothing was stored on failure. */
	ck_assert_int_eq(n, 99);
	ck_assert_double_eq(x, 99);
	ck_assert_int_eq(b, 99);
	ck_assert_str_eq(s, "untouched");
	ck_assert_ptr_null(ptr);
	cJSON_Delete(o);
}
END_TEST

START_TEST(non_negative_integer_refuses_fractions_huge_and_negative)
{
	/* cJSON_Parse, not json_parse_line: the reader already refuses 1e400, and
	 * the getters must still refuse it in objects built otherwise. */
	cJSON *o = cJSON_Parse("{\"a\":1.5,\"b\":1e300,\"c\":-1,\"d\":9007199254740994,"
			       "\"e\":9007199254740992,\"f\":1e2,\"g\":1e400}");
	static const char *const bad[] = { "a", "b", "c", "d", "g" };
	int64_t n = 7;
	char want[256];

	diag_init("test");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_capture_diag();
		ck_assert_int_eq(json_get_int(o, bad[i], JSON_REQUIRED, &at17, 0, INT64_MAX, &n),
				 BRAIN_DATA);
		snprintf(want, sizeof(want),
			 "test: events.jsonl:17: field '%s' must be a non-negative integer\n",
			 bad[i]);
		ck_assert_str_eq(unit_diag_text(), want);
		ck_assert_int_eq(n, 7);
	}
	ck_assert_int_eq(json_get_int(o, "e", JSON_REQUIRED, &at17, 0, INT64_MAX, &n), BRAIN_OK);
	ck_assert_int_eq(n, 9007199254740992LL);
	ck_assert_int_eq(json_get_int(o, "f", JSON_REQUIRED, &at17, 0, INT64_MAX, &n), BRAIN_OK);
	ck_assert_int_eq(n, 100);
	cJSON_Delete(o);
}
END_TEST

START_TEST(integer_range_messages)
{
	cJSON *o = parse("{\"zero\":0,\"big\":101}");
	int64_t n = 7;

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(json_get_int(o, "zero", JSON_REQUIRED, &at17, 1, INT64_MAX, &n),
			 BRAIN_DATA);
	ck_assert_int_eq(json_get_int(o, "big", JSON_REQUIRED, &at17, -5, 100, &n), BRAIN_DATA);
	ck_assert_int_eq(json_get_int(o, "big", JSON_REQUIRED, &at17, -5, 101, &n), BRAIN_OK);
	ck_assert_int_eq(n, 101);
	ck_assert_str_eq(unit_diag_text(),
		"test: events.jsonl:17: field 'zero' must be a positive integer\n"
		"test: events.jsonl:17: field 'big' must be an integer from -5 to 100\n");
	cJSON_Delete(o);
}
END_TEST

START_TEST(number_range_messages)
{
	cJSON *o = cJSON_Parse("{\"p\":1.5,\"q\":-0.5,\"r\":\"x\",\"huge\":1e400}");
	double x = 7;

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(json_get_number(o, "p", JSON_REQUIRED, &at17, 0, 1, &x), BRAIN_DATA);
	ck_assert_int_eq(json_get_number(o, "q", JSON_REQUIRED, &at17, 0, INFINITY, &x),
			 BRAIN_DATA);
	ck_assert_int_eq(json_get_number(o, "r", JSON_REQUIRED, &at17, -INFINITY, INFINITY, &x),
			 BRAIN_DATA);
	ck_assert_int_eq(json_get_number(o, "huge", JSON_REQUIRED, &at17, -INFINITY, INFINITY,
					 &x), BRAIN_DATA);
	ck_assert_double_eq(x, 7);
	ck_assert_int_eq(json_get_number(o, "q", JSON_REQUIRED, &at17, -INFINITY, INFINITY, &x),
			 BRAIN_OK);
	ck_assert_double_eq(x, -0.5);
	ck_assert_str_eq(unit_diag_text(),
		"test: events.jsonl:17: field 'p' must be a number from 0 to 1\n"
		"test: events.jsonl:17: field 'q' must be a number of at least 0\n"
		"test: events.jsonl:17: field 'r' must be a finite number\n"
		"test: events.jsonl:17: field 'huge' must be a finite number\n");
	cJSON_Delete(o);
}
END_TEST

START_TEST(missing_required_and_absent_optional)
{
	cJSON *o = parse("{\"other\":1}");
	int64_t n = 5;
	double x = 5;
	int b = 5;
	const char *s = "keep";
	const cJSON *ptr = (const cJSON *)&n;

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(json_get_int(o, "x", JSON_REQUIRED, &at17, 0, INT64_MAX, &n), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(), "test: events.jsonl:17: missing field 'x'\n");
	ck_assert_int_eq(n, 5);

	unit_capture_diag();
	ck_assert_int_eq(json_get_int(o, "x", JSON_OPTIONAL, &at17, 0, INT64_MAX, &n), BRAIN_OK);
	ck_assert_int_eq(json_get_number(o, "x", JSON_OPTIONAL, &at17, 0, 1, &x), BRAIN_OK);
	ck_assert_int_eq(json_get_bool(o, "x", JSON_OPTIONAL, &at17, &b), BRAIN_OK);
	ck_assert_int_eq(json_get_string(o, "x", JSON_OPTIONAL, &at17, &s), BRAIN_OK);
	ck_assert_int_eq(json_get_object(o, "x", JSON_OPTIONAL, &at17, &ptr), BRAIN_OK);
	ck_assert_int_eq(json_get_array(o, "x", JSON_OPTIONAL, &at17, &ptr), BRAIN_OK);
	ck_assert_int_eq(n, 5);
	ck_assert_double_eq(x, 5);
	ck_assert_int_eq(b, 5);
	ck_assert_str_eq(s, "keep");
	ck_assert_ptr_eq(ptr, (const cJSON *)&n);
	ck_assert_str_eq(unit_diag_text(), "");

	/* Member names are case-sensitive. */
	ck_assert_int_eq(json_get_int(o, "Other", JSON_REQUIRED, &at17, 0, 9, &n), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(), "test: events.jsonl:17: missing field 'Other'\n");
	cJSON_Delete(o);
}
END_TEST

START_TEST(field_messages_without_location)
{
	cJSON *o = parse("{\"s\":1}");
	const char *s = NULL;

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(json_get_string(o, "s", JSON_REQUIRED, NULL, &s), BRAIN_DATA);
	ck_assert_int_eq(json_get_string(o, "m", JSON_REQUIRED, NULL, &s), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(),
			 "test: field 's' must be a string\ntest: missing field 'm'\n");
	cJSON_Delete(o);
}
END_TEST

START_TEST(find_nonfinite_points_at_the_member)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *top = cJSON_CreateNumber(NAN);
	const char *path = NULL;
	const cJSON *bad;

	cJSON_AddNumberToObject(o, "fine", 2);
	ck_assert_ptr_null(json_find_nonfinite(o, &path));
	cJSON_AddNumberToObject(cJSON_AddObjectToObject(o, "g"), "h", NAN);
	bad = json_find_nonfinite(o, &path);
	ck_assert_ptr_nonnull(bad);
	ck_assert(isnan(bad->valuedouble));
	ck_assert_str_eq(path, "h");
	ck_assert_ptr_eq(json_find_nonfinite(top, &path), top);
	ck_assert_str_eq(path, "");
	cJSON_Delete(top);
	cJSON_Delete(o);
}
END_TEST

START_TEST(depth_counts_nested_objects_and_arrays)
{
	static const struct { const char *text; int depth; } cases[] = {
		{ "{}", 1 }, { "{\"a\":1,\"b\":\"x\"}", 1 }, { "{\"a\":[]}", 2 },
		{ "{\"a\":[{}]}", 3 }, { "{\"a\":[1,[2,[3]]],\"b\":{\"c\":{}}}", 4 },
		{ "{\"a\":{\"b\":{\"c\":{\"d\":{}}}},\"e\":[]}", 5 },
	};
	cJSON *scalar = cJSON_CreateNumber(3);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *o = parse(cases[i].text);

		ck_assert_msg(json_depth(o) == cases[i].depth, "%s: depth %d, not %d",
			      cases[i].text, json_depth(o), cases[i].depth);
		cJSON_Delete(o);
	}
	ck_assert_int_eq(json_depth(scalar), 0);
	cJSON_Delete(scalar);
}
END_TEST

/* ---- UTF-8 --------------------------------------------------------------- */

START_TEST(utf8_accepts_valid_sequences)
{
	static const char *const good[] = {
		"", "plain ascii, longer than eight bytes", "\x7f",
		"\xc2\x80", "\xc3\xa9", "\xdf\xbf",                  /* 2 bytes */
		"\xe0\xa0\x80", "\xe2\x82\xac", "\xed\x9f\xbf",      /* 3 bytes */
		"\xee\x80\x80", "\xef\xbf\xbf",
		"\xf0\x90\x80\x80", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf", /* 4 bytes */
		"abcdefgh\xc3\xa9" "abcdefgh\xf0\x9f\x98\x80" "x",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(json_utf8_valid(good[i], strlen(good[i])), "case %zu must be valid", i);
	/* A NUL byte is a valid code point; only len counts. */
	ck_assert(json_utf8_valid("a\0b", 3));
}
END_TEST

START_TEST(utf8_refuses_invalid_sequences)
{
	static const char *const bad[] = {
		"\x80", "\xbf", "a\x80z",                 /* lone continuation */
		"\xc0\x80", "\xc1\xbf",                   /* overlong 2-byte */
		"\xe0\x80\x80", "\xe0\x9f\xbf",           /* overlong 3-byte */
		"\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf",   /* overlong 4-byte */
		"\xed\xa0\x80", "\xed\xbf\xbf",           /* surrogates */
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80",   /* over U+10FFFF */
		"\xf8\x88\x80\x80\x80", "\xff", "\xfe",
		"\xc3", "\xe2\x82", "\xf0\x9f\x98",       /* truncated */
		"abcdefgh\xe2\x82",                       /* truncated after fast path */
		"\xc3\x28", "\xe2\x28\xa1", "\xf0\x9f\x28\x80", /* bad continuation */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!json_utf8_valid(bad[i], strlen(bad[i])), "case %zu must be invalid", i);
	/* The length is honoured: a sequence cut by len is truncated. */
	ck_assert(!json_utf8_valid("\xc3\xa9", 1));
	ck_assert(json_utf8_valid("\xc3\xa9", 2));
}
END_TEST

static enum brain_status scratch(const char *text, cJSON **out)
{
	struct json_loc loc = { "in", 1 };

	return json_parse_line_scratch(text, strlen(text), &loc, out);
}

/* Bytes malloc holds now. */
static size_t heap_in_use(void)
{
	return mallinfo2().uordblks;
}

START_TEST(scratch_drop_frees_what_went_past_the_arena)
{
	struct json_loc loc = { "in", 1 };
	size_t n = 0, cap = 300000, before, parsed, dropped;
	char *line = malloc(cap);
	cJSON *small, *big;

	ck_assert_int_eq(json_parse_line_scratch("{\"a\":1}", 7, &loc, &small), BRAIN_OK);
	json_scratch_drop(small);
	n += (size_t)snprintf(line, cap, "{\"list\":[");
	for (int i = 0; i < 20000; i++)
		n += (size_t)snprintf(line + n, cap - n, "%s%d", i ? "," : "", i);
	n += (size_t)snprintf(line + n, cap - n, "]}");
	before = heap_in_use();
	/* Past the first arena: most of the tree is malloc's. */
	ck_assert_int_eq(json_parse_line_scratch(line, n, &loc, &big), BRAIN_OK);
	parsed = heap_in_use();
	json_scratch_drop(big);
	dropped = heap_in_use();
	free(line);
	/* A sanitizer's allocator reports nothing; its leak check has this. */
	if (parsed == before)
		return;
	ck_assert_uint_gt(parsed, before + 500000);
	ck_assert_uint_lt(dropped, before + 4096);
}
END_TEST

START_TEST(scratch_parse_gives_the_same_records_and_reuses_its_memory)
{
	struct json_loc loc = { "in", 1 };
	cJSON *a, *b, *big;
	char *line;
	size_t n = 0, cap = 300000;
	char *kept;

	ck_assert_int_eq(scratch("{\"variant\":\"A\",\"trials\":5}", &a), BRAIN_OK);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(a, "variant")->valuestring, "A");
	cJSON_Delete(a); /* harmless */
	ck_assert_int_eq(scratch("{\"variant\":\"B\",\"trials\":7}", &b), BRAIN_OK);
	/* The next record reuses the memory of the one before. */
	ck_assert_ptr_eq(a, b);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(b, "variant")->valuestring, "B");
	ck_assert_double_eq(cJSON_GetObjectItemCaseSensitive(b, "trials")->valuedouble, 7);
	/* A record larger than the scratch memory still parses whole. */
	line = malloc(cap);
	n += (size_t)snprintf(line, cap, "{\"list\":[");
	for (int i = 0; i < 20000; i++)
		n += (size_t)snprintf(line + n, cap - n, "%s%d", i ? "," : "", i);
	n += (size_t)snprintf(line + n, cap - n, "]}");
	ck_assert_int_eq(json_parse_line_scratch(line, n, &loc, &big), BRAIN_OK);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(big, "list")), 20000);
	ck_assert_double_eq(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(big, "list"),
					       19999)->valuedouble, 19999);
	cJSON_Delete(big);
	ck_assert_int_eq(json_parse_line_scratch(line, n, &loc, &big), BRAIN_OK);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(big, "list")), 20000);
	cJSON_Delete(big);
	free(line);
	/* Bad lines are reported as by json_parse_line. */
	unit_capture_diag();
	ck_assert_int_eq(scratch("{\"a\":1,\"a\":2}", &a), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "in:1: field 'a' appears twice"));
	ck_assert_int_eq(scratch("{\"a\":", &a), BRAIN_DATA);
	/* Objects built outside a scratch parse are ordinary memory. */
	a = cJSON_CreateObject();
	cJSON_AddStringToObject(a, "k", "value");
	kept = cJSON_PrintUnformatted(a);
	ck_assert_int_eq(scratch("{\"x\":1}", &b), BRAIN_OK);
	ck_assert_str_eq(kept, "{\"k\":\"value\"}");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(a, "k")->valuestring, "value");
	cJSON_free(kept);
	cJSON_Delete(a);
}
END_TEST

/* ---- small accessors and formatting -------------------------------------- */

START_TEST(item_checks_name_the_member_they_were_given)
{
	cJSON *o = parse("{\"count\":-3,\"ratio\":2,\"flag\":\"yes\",\"label\":7}");
	const cJSON *count = cJSON_GetObjectItem(o, "count");
	int64_t n = 11;
	double x = 11;
	int b = 11;
	const char *s = "keep";

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(json_item_int(count, &at17, 0, INT64_MAX, &n), BRAIN_DATA);
	ck_assert_int_eq(json_item_number(cJSON_GetObjectItem(o, "ratio"), &at17, 0, 1, &x),
			 BRAIN_DATA);
	ck_assert_int_eq(json_item_bool(cJSON_GetObjectItem(o, "flag"), &at17, &b), BRAIN_DATA);
	ck_assert_int_eq(json_item_string(cJSON_GetObjectItem(o, "label"), NULL, &s), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(),
		"test: events.jsonl:17: field 'count' must be a non-negative integer\n"
		"test: events.jsonl:17: field 'ratio' must be a number from 0 to 1\n"
		"test: events.jsonl:17: field 'flag' must be true or false\n"
		"test: field 'label' must be a string\n");
	ck_assert_int_eq(n, 11);
	ck_assert_double_eq(x, 11);
	ck_assert_int_eq(b, 11);
	ck_assert_str_eq(s, "keep");
	ck_assert_int_eq(json_item_int(count, &at17, -3, -1, &n), BRAIN_OK);
	ck_assert_int_eq(n, -3);
	cJSON_Delete(o);
}
END_TEST

START_TEST(string_gives_only_strings)
{
	cJSON *o = parse("{\"s\":\"text\",\"e\":\"\",\"n\":1,\"z\":null,\"o\":{\"s\":\"inner\"}}");

	ck_assert_str_eq(json_string(o, "s"), "text");
	ck_assert_str_eq(json_string(o, "e"), "");
	ck_assert_ptr_null(json_string(o, "n"));
	ck_assert_ptr_null(json_string(o, "z"));
	ck_assert_ptr_null(json_string(o, "o"));
	ck_assert_ptr_null(json_string(o, "missing"));
	ck_assert_ptr_null(json_string(o, "S"));           /* case-sensitive */
	ck_assert_ptr_eq(json_string(o, "s"), cJSON_GetObjectItem(o, "s")->valuestring);
	ck_assert_str_eq(json_string_or_empty(o, "s"), "text");
	ck_assert_str_eq(json_string_or_empty(o, "n"), "");
	ck_assert_str_eq(json_string_or_empty(o, "missing"), "");
	ck_assert_ptr_null(json_string(NULL, "s"));
	cJSON_Delete(o);
}
END_TEST

START_TEST(format_line_is_compact_with_one_lf)
{
	cJSON *o = parse("{ \"b\" : [ 1 , 2 ] , \"a\" : { } , \"s\" : \"\\u00e9\\n\" }");
	size_t len = 0;
	char *text = json_format_line(o, &len);

	ck_assert_str_eq(text, "{\"b\":[1,2],\"a\":{},\"s\":\"\xc3\xa9\\n\"}\n");
	ck_assert_uint_eq(len, strlen(text));
	free(text);
	/* len may be NULL. */
	text = json_format_line(o, NULL);
	ck_assert_ptr_nonnull(text);
	free(text);
	cJSON_Delete(o);
}
END_TEST

START_TEST(format_line_refuses_a_nan)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *xs = cJSON_CreateArray();
	size_t len = 77;

	cJSON_AddNumberToObject(o, "ok", 1);
	cJSON_AddItemToArray(xs, cJSON_CreateNumber(2));
	cJSON_AddItemToArray(xs, cJSON_CreateNumber(NAN));
	cJSON_AddItemToObject(o, "rates", xs);
	diag_init("test");
	unit_capture_diag();
	ck_assert_ptr_null(json_format_line(o, &len));
	ck_assert_uint_eq(len, 77);
	ck_assert_str_eq(unit_diag_text(),
			 "test: internal error: non-finite number in field 'rates'\n");
	/* Once the number is finite, the same object prints. */
	cJSON_SetNumberValue(cJSON_GetArrayItem(xs, 1), 0.5);
	{
		char *text = json_format_line(o, &len);

		ck_assert_str_eq(text, "{\"ok\":1,\"rates\":[2,0.5]}\n");
		free(text);
	}
	cJSON_Delete(o);
}
END_TEST

START_TEST(blank_is_only_json_whitespace)
{
	ck_assert(json_blank("", 0));
	ck_assert(json_blank(" \t\r\n", 4));
	ck_assert(!json_blank(" x ", 3));
	ck_assert(!json_blank("\f", 1));          /* form feed is not JSON whitespace */
	ck_assert(!json_blank("\v", 1));
	ck_assert(!json_blank("  \0", 3));        /* a NUL is not blank */
	ck_assert(json_blank("  x", 2));          /* only len bytes count */
}
END_TEST

/* ---- the one-pass lexical check against the checks one by one -------- */

/* xorshift64: the same random lines on every run. */
static uint64_t lex_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Bytes that matter to the checks, and plain ones. */
static const unsigned char lex_bytes[] = {
	'{', '}', '[', ']', '"', ':', ',', '\\', ' ', 't', 'r', 'u', 'e', 'f', 'n', 'b',
	'/', '0', '1', '9', '.', 'E', '+', '-', 'a', 'A', 'x', 0x00, 0x01, 0x09, 0x0a, 0x0d,
	0x1f, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xbb, 0xf0, 0xf4, 0xf5,
	0xff, 0xa0, 0x9f, 0x8f,
};

/* The fast pass may say "maybe a fault" of a clean line, never "clean"
 * of a line json_lex_check refuses. */
static int lex_agree(const char *line, size_t len)
{
	struct json_loc loc = { "f.jsonl", 1 };
	int clean = json_lex_clean(line, len);

	unit_capture_diag();
	ck_assert_msg(!clean || json_lex_check(line, len, &loc) == BRAIN_OK,
		      "fast pass clean, checks refuse: %s", unit_diag_text());
	return clean;
}

START_TEST(one_pass_lexical_check_never_passes_a_fault_the_checks_find)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	size_t clean = 0, faulty = 0;
	char line[96];

	diag_init("test");
	for (int n = 0; n < 200000; n++) {
		/* Half the lines are one string: long plain runs with a few
		 * chosen bytes in them, where the pass goes eight at a time. */
		int in_string = n % 2;
		size_t len = (size_t)(lex_rand(&x) % 80), at = 0;
		struct json_loc loc = { "f.jsonl", 1 };

		if (in_string)
			line[at++] = '"';
		while (at < len) {
			uint64_t r = lex_rand(&x);

			line[at++] = (char)(in_string && r % 4
				? 'a' + (char)(r % 26)
				: lex_bytes[(r >> 8) % sizeof(lex_bytes)]);
		}
		if (lex_agree(line, len))
			clean++;
		unit_capture_diag();
		if (json_lex_check(line, len, &loc) != BRAIN_OK)
			faulty++;
	}
	/* Both sides were reached. */
	ck_assert_uint_gt(clean, 10000);
	ck_assert_uint_gt(faulty, 10000);
}
END_TEST

/* {"k":"xxx..."} with piece (len bytes) at byte at of a 40-byte run of
 * plain bytes in the string, in line; its length. */
static size_t string_with(char line[128], const char *piece, size_t len, size_t at)
{
	memset(line, 'x', 128);
	memcpy(line, "{\"k\":\"", 6);
	memcpy(line + 6 + at, piece, len);
	memcpy(line + 6 + 40 + len, "\"}", 2);
	return 6 + 40 + len + 2;
}

START_TEST(one_pass_lexical_check_finds_each_fault_in_a_long_string)
{
	/* Each fault at each offset of the run, so that it falls in every
	 * lane of the eight-byte words. */
	static const char *faults[] = {
		"\x01", "\x1f", "\x00", "\x80", "\xc0\x80", "\xed\xa0\x80", "\xf5\x80\x80\x80",
		"\xe2\x82", "\\x", "\\u12", "\\u0000", "\\uZZZZ",
	};
	static const char *fine[] = { "\\n", "\\u00e9", "\xc3\xa9", "\xf0\x9f\x98\x80", "\\\"" };
	char line[128];

	for (size_t f = 0; f < sizeof(faults) / sizeof(*faults); f++)
		for (size_t at = 0; at <= 40; at++) {
			size_t len = string_with(line, faults[f], f == 2 ? 1 : strlen(faults[f]), at);

			ck_assert_msg(!json_lex_clean(line, len), "fault %zu at %zu passed", f, at);
			lex_agree(line, len);
		}
	for (size_t f = 0; f < sizeof(fine) / sizeof(*fine); f++)
		for (size_t at = 0; at <= 40; at++) {
			size_t len = string_with(line, fine[f], strlen(fine[f]), at);

			ck_assert_msg(json_lex_clean(line, len), "clean %zu at %zu refused", f, at);
		}
}
END_TEST

/* ---- the conformance suite: tests/json/{accept,reject}/ -------------- */

#define CONFORMANCE "tests/json"

/* The bytes of one case file without its final LF, in buf. */
static size_t case_bytes(const char *dir, const char *name, char *buf, size_t size)
{
	char path[512];
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), CONFORMANCE "/%s/%s", dir, name);
	fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	n = fread(buf, 1, size, fp);
	fclose(fp);
	ck_assert_msg(n > 0 && n < size && buf[n - 1] == '\n', "%s: one line with its LF", path);
	return n - 1;
}

/* Each case of one directory through fn; the number of cases. */
static size_t each_case(const char *dir, void (*fn)(const char *name, const char *bytes,
						     size_t len))
{
	char path[256], buf[4096];
	struct dirent *e;
	size_t cases = 0;
	DIR *d;

	snprintf(path, sizeof(path), CONFORMANCE "/%s", dir);
	d = opendir(path);
	ck_assert_msg(d != NULL, "cannot open %s", path);
	while ((e = readdir(d)))
		if (strstr(e->d_name, ".json")) {
			size_t len = case_bytes(dir, e->d_name, buf, sizeof(buf));

			fn(e->d_name, buf, len);
			cases++;
		}
	closedir(d);
	return cases;
}

static void must_reject(const char *name, const char *bytes, size_t len)
{
	struct json_loc loc = { "case.jsonl", 1 };
	cJSON *o = NULL;

	unit_capture_diag();
	ck_assert_msg(json_parse_line(bytes, len, &loc, &o) == BRAIN_DATA, "%s accepted", name);
	ck_assert_msg(strstr(unit_diag_text(), "case.jsonl:1: ") && strstr(unit_diag_text(), "byte "),
		      "%s: the message names no line and byte: %s", name, unit_diag_text());
}

static void must_accept(const char *name, const char *bytes, size_t len)
{
	struct json_loc loc = { "case.jsonl", 1 };
	cJSON *o = NULL, *again = NULL;
	char *text;

	unit_capture_diag();
	ck_assert_msg(json_parse_line(bytes, len, &loc, &o) == BRAIN_OK, "%s refused: %s", name,
		      unit_diag_text());
	/* An accepted line takes the one fast pass, not the checks one by one. */
	ck_assert_msg(json_lex_clean(bytes, len), "%s: the fast pass finds a fault", name);
	/* What is written reads back as the same value. */
	text = json_print_compact(o);
	ck_assert_msg(json_parse_line(text, strlen(text), &loc, &again) == BRAIN_OK,
		      "%s: written as %s, which is refused", name, text);
	ck_assert_msg(json_equal_exact(o, again), "%s: written as %s, read back changed", name, text);
	free(text);
	cJSON_Delete(again);
	cJSON_Delete(o);
}

START_TEST(conformance_rejects_every_must_reject_case_naming_line_and_byte)
{
	ck_assert_uint_ge(each_case("reject", must_reject), 40);
}
END_TEST

START_TEST(conformance_accepts_every_must_accept_case_unchanged)
{
	ck_assert_uint_ge(each_case("accept", must_accept), 20);
}
END_TEST

START_TEST(accepted_strings_and_numbers_keep_their_exact_values)
{
	cJSON *o = NULL;

	ck_assert_int_eq(parse3("{\"a\":\"\\u00e9\\ud83d\\ude00\",\"b\":-0,\"c\":5e-324}", &o),
			 BRAIN_OK);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "a")->valuestring, "\xc3\xa9\xf0\x9f\x98\x80");
	ck_assert(signbit(cJSON_GetObjectItem(o, "b")->valuedouble));
	ck_assert(cJSON_GetObjectItem(o, "c")->valuedouble == 5e-324);
	cJSON_Delete(o);
}
END_TEST

/* cJSON's own printer writes DBL_MAX as 1.79769313486232e+308, which
 * reads back as infinity, and 0.30000000000000004 as 0.3. */
START_TEST(exact_equality_is_bit_for_bit_and_ordered)
{
	cJSON *a = cJSON_Parse("{\"x\":[1,\"s\",{\"y\":0}]}");
	cJSON *same = cJSON_Parse("{\"x\":[1,\"s\",{\"y\":0}]}");
	cJSON *neg = cJSON_Parse("{\"x\":[1,\"s\",{\"y\":-0}]}");
	cJSON *ulp = cJSON_Parse("{\"x\":[1.0000000000000002,\"s\",{\"y\":0}]}");
	cJSON *order = cJSON_Parse("{\"a\":1,\"b\":2}"), *swapped = cJSON_Parse("{\"b\":2,\"a\":1}");
	cJSON *shorter = cJSON_Parse("{\"x\":[1,\"s\"]}");

	ck_assert(json_equal_exact(a, same));
	ck_assert(!json_equal_exact(a, neg));
	ck_assert(!json_equal_exact(a, ulp));
	ck_assert(cJSON_Compare(a, ulp, 1)); /* what cJSON would call equal */
	ck_assert(!json_equal_exact(order, swapped));
	ck_assert(!json_equal_exact(a, shorter) && !json_equal_exact(shorter, a));
	cJSON_Delete(a);
	cJSON_Delete(same);
	cJSON_Delete(neg);
	cJSON_Delete(ulp);
	cJSON_Delete(order);
	cJSON_Delete(swapped);
	cJSON_Delete(shorter);
}
END_TEST

START_TEST(printed_numbers_read_back_as_the_same_double)
{
	const double cases[] = { 1.7976931348623157e308, 0.1 + 0.2, 5e-324, -0.0, 1e21,
				 9007199254740993.0, 123456789.123456789, 1.0 / 3 };
	char *text;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *o = cJSON_CreateObject(), *n = cJSON_AddNumberToObject(o, "x", cases[i]);
		double back;

		text = json_print_compact(o);
		ck_assert_msg(sscanf(text, "{\"x\":%lf}", &back) == 1, "%s", text);
		ck_assert_msg(memcmp(&back, &cases[i], sizeof(double)) == 0, "%.17g printed as %s",
			      cases[i], text);
		/* The tree is as it was: still a number, printable again. */
		ck_assert(cJSON_IsNumber(n) && n->valuestring == NULL);
		free(text);
		text = json_print_indented(o);
		ck_assert_ptr_nonnull(strstr(text, "\"x\":\t"));
		free(text);
		cJSON_Delete(o);
	}
}
END_TEST

/* Whole numbers take a shortcut past printf: the same text as %.15g (or
 * %.17g where that is needed), at the edges of the shortcut too. */
START_TEST(whole_numbers_print_as_printf_would)
{
	const double edges[] = { 0, -0.0, 1, -1, 999999999999999, -999999999999999, 1e15,
				 -1e15, 9007199254740992.0, 4294967296.0, 1e14 + 1 };
	unsigned long x = 12345;

	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]) + 20000; i++) {
		double d;
		char want[40], *text;
		cJSON *n;

		if (i < sizeof(edges) / sizeof(edges[0])) {
			d = edges[i];
		} else {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			d = ldexp((double)(x >> 11), -(int)(x % 64)); /* whole and fractional */
			d = floor(d) * (x & 1 ? -1 : 1);
		}
		snprintf(want, sizeof(want), "%.15g", d);
		if (strtod(want, NULL) != d)
			snprintf(want, sizeof(want), "%.17g", d);
		n = cJSON_CreateNumber(d);
		text = json_print_compact(n);
		ck_assert_msg(!strcmp(text, want), "%.17g printed as %s, not %s", d, text, want);
		free(text);
		cJSON_Delete(n);
	}
}
END_TEST

/* Fractions, tiny and huge numbers print as %.15g when that reads back,
 * else as %.17g, byte for byte: random bit patterns of every exponent,
 * rates k/n as reports print them, the halves where 17 digits end in
 * "50" and 15-digit rounding carries into a new place (9.99...). */
START_TEST(fractions_print_as_printf_would)
{
	const double edges[] = { 0.1, 0.5, -0.5, 1e-5, 1.5e-4, 9.9999999999999995e-5, 0.0001,
				 9.999999999999999, 99999999999999.99, 123456789012345.6,
				 1e300 / 3, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
				 0.13090549894687589, 0.0920793726718571, 1e21 + 1e6, 0.3,
				 /* 17 digits end in "50": just over the half, and just under */
				 0x1.5e5221398f05ap-1, 0x1.c0edeb0b0e3aap-1, 0x1.6d84e3732265fp-1,
				 0x1.b4566afecc0fep-2, 0x1.864147c96c828p-2, 0x1.a689bcebe7aa1p-1 };
	const size_t nedges = sizeof(edges) / sizeof(edges[0]);
	uint64_t x = 88172645463325252ULL;

	for (size_t i = 0; i < nedges + 400000; i++) {
		double d;
		char want[40], got[32];

		if (i < nedges) {
			d = edges[i];
		} else if (i % 4 == 0) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			memcpy(&d, &x, sizeof(d));
			if (!isfinite(d))
				continue;
		} else {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			d = (double)(x % 100000) / (double)(1 + (x >> 40) % 100000);
			d *= i % 4 == 1 ? 1 : i % 4 == 2 ? 1e-7 : -1e12;
		}
		snprintf(want, sizeof(want), "%.15g", d);
		if (strtod(want, NULL) != d)
			snprintf(want, sizeof(want), "%.17g", d);
		json_number_text(d, got);
		ck_assert_msg(!strcmp(got, want), "%a printed as %s, not %s", d, got, want);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("json");
	TCase *parse_tc = tcase_create("parse");
	TCase *get = tcase_create("get");
	TCase *out = tcase_create("format");
	TCase *u8 = tcase_create("utf8");

	tcase_add_test(parse_tc, numbers_that_are_not_json_are_refused);
	tcase_add_test(parse_tc, out_of_range_numbers_are_refused_naming_the_member);
	tcase_add_test(parse_tc, trailing_bytes_and_nul_are_refused);
	tcase_add_test(parse_tc, values_that_are_not_objects_are_refused);
	tcase_add_test(parse_tc, duplicate_member_names_are_refused_at_any_depth);
	tcase_add_test(parse_tc, invalid_utf8_is_refused_anywhere_in_the_line);
	tcase_add_test(parse_tc, surrogate_escapes_must_pair);
	tcase_add_test(parse_tc, a_cut_line_says_so);
	tcase_add_test(parse_tc, parse_without_line_number);
	tcase_add_test(parse_tc, scratch_parse_gives_the_same_records_and_reuses_its_memory);
	tcase_add_test(parse_tc, scratch_drop_frees_what_went_past_the_arena);
	tcase_add_test(parse_tc, one_pass_lexical_check_never_passes_a_fault_the_checks_find);
	tcase_add_test(parse_tc, one_pass_lexical_check_finds_each_fault_in_a_long_string);
	suite_add_tcase(s, parse_tc);

	tcase_add_test(get, get_with_the_right_type);
	tcase_add_test(get, get_with_the_wrong_type_names_field_and_place);
	tcase_add_test(get, non_negative_integer_refuses_fractions_huge_and_negative);
	tcase_add_test(get, integer_range_messages);
	tcase_add_test(get, number_range_messages);
	tcase_add_test(get, missing_required_and_absent_optional);
	tcase_add_test(get, field_messages_without_location);
	tcase_add_test(get, item_checks_name_the_member_they_were_given);
	tcase_add_test(get, string_gives_only_strings);
	suite_add_tcase(s, get);

	tcase_add_test(out, find_nonfinite_points_at_the_member);
	tcase_add_test(out, depth_counts_nested_objects_and_arrays);
	tcase_add_test(out, format_line_is_compact_with_one_lf);
	tcase_add_test(out, format_line_refuses_a_nan);
	tcase_add_test(out, blank_is_only_json_whitespace);
	tcase_add_test(out, accepted_strings_and_numbers_keep_their_exact_values);
	tcase_add_test(out, printed_numbers_read_back_as_the_same_double);
	tcase_add_test(out, whole_numbers_print_as_printf_would);
	tcase_add_test(out, fractions_print_as_printf_would);
	tcase_add_test(out, exact_equality_is_bit_for_bit_and_ordered);
	tcase_add_test(out, conformance_rejects_every_must_reject_case_naming_line_and_byte);
	tcase_add_test(out, conformance_accepts_every_must_accept_case_unchanged);
	suite_add_tcase(s, out);

	tcase_add_test(u8, utf8_accepts_valid_sequences);
	tcase_add_test(u8, utf8_refuses_invalid_sequences);
	suite_add_tcase(s, u8);
	return s;
}

UNIT_MAIN(suite)
