/* Unit tests of csv: RFC 4180 records split into fields (quotes, doubled
 * quotes, commas and line breaks inside quotes, a CR before the line
 * end), malformed records refused, and cells typed by a schema: numbers
 * by the JSON grammar only, flags in their usual spellings, lists, dotted
 * columns as objects, empty cells absent, and a cell that is not of its
 * type kept as text for the record's own checks. */
#include "unit.h"

#include <cjson/cJSON.h>

#include "pure/csv.h"

static void split_ok(const char *text, size_t n, const char *const *want)
{
	struct csv_fields f = { 0 };
	size_t at;

	ck_assert_msg(csv_split(text, strlen(text), &f, &at) == 0, "refused: %s", text);
	ck_assert_uint_eq(f.n, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(f.v[i], want[i]);
	csv_fields_free(&f);
}

START_TEST(records_split_as_rfc_4180_says)
{
	split_ok("a,b,c", 3, (const char *[]){ "a", "b", "c" });
	split_ok("a,,c,", 4, (const char *[]){ "a", "", "c", "" });
	split_ok("\"Reno, NV\",x", 2, (const char *[]){ "Reno, NV", "x" });
	split_ok("\"say \"\"hi\"\"\",2", 2, (const char *[]){ "say \"hi\"", "2" });
	split_ok("\"two\nlines\",3\r", 2, (const char *[]){ "two\nlines", "3" });
	split_ok("", 1, (const char *[]){ "" });
	split_ok("\"\"", 1, (const char *[]){ "" });
}
END_TEST

START_TEST(malformed_records_are_refused_where_they_go_wrong)
{
	const char *bad[] = { "a\"b,c", "\"ab\"c,d", "\"open" };
	const size_t where[] = { 1, 4, 5 };
	struct csv_fields f = { 0 };

	for (size_t i = 0; i < 3; i++) {
		size_t at = 99;

		ck_assert_msg(csv_split(bad[i], strlen(bad[i]), &f, &at) == -1, "taken: %s", bad[i]);
		ck_assert_uint_eq(at, where[i]);
	}
	csv_fields_free(&f);
	ck_assert(csv_complete("a,\"b", 4) == 0);
	ck_assert(csv_complete("a,\"b\nc\"", 7) == 1);
	ck_assert(csv_looks_like_header("variant,converted", 17));
	ck_assert(!csv_looks_like_header("  {\"a\":1}", 9));
	ck_assert(!csv_looks_like_header("", 0));
}
END_TEST

static enum csv_type schema(const char *column)
{
	if (!strcmp(column, "arv") || !strcmp(column, "trials"))
		return CSV_NUMBER;
	if (!strcmp(column, "dnc"))
		return CSV_BOOL;
	if (!strcmp(column, "opt_out"))
		return CSV_BOOL_OR_LIST;
	if (!strcmp(column, "flag"))
		return CSV_BOOL_OR_NUMBER;
	if (!strcmp(column, "consent.channels"))
		return CSV_LIST;
	return CSV_STRING;
}

static char *record_text(const char *const *names, const char *const *values, size_t n)
{
	cJSON *o = csv_record((char *const *)names, (char *const *)values, n, schema);
	char *text;

	ck_assert_ptr_nonnull(o);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

START_TEST(cells_are_typed_by_the_schema)
{
	const char *names[] = { "phone", "zip", "arv", "dnc", "opt_out", "consent.channels",
				"consent.type", "flag", "note" };
	const char *row1[] = { "5551234567", "02134", "200000", "FALSE", "sms;email", "sms",
			       "written", "3", "" };
	const char *row2[] = { "555", "1", "2e5", "yes", "true", "sms;mail", "x", "true", "n" };
	const char *row3[] = { "1", "1", "0x10", "maybe", "no", "", "", "", "" };
	char *t = record_text(names, row1, 9);

	ck_assert_str_eq(t, "{\"phone\":\"5551234567\",\"zip\":\"02134\",\"arv\":200000,\"dnc\":false,"
			    "\"opt_out\":[\"sms\",\"email\"],\"consent\":{\"channels\":[\"sms\"],"
			    "\"type\":\"written\"},\"flag\":3}");
	free(t);
	t = record_text(names, row2, 9);
	ck_assert_str_eq(t, "{\"phone\":\"555\",\"zip\":\"1\",\"arv\":200000,\"dnc\":true,"
			    "\"opt_out\":true,\"consent\":{\"channels\":[\"sms\",\"mail\"],"
			    "\"type\":\"x\"},\"flag\":true,\"note\":\"n\"}");
	free(t);
	/* Not of its type: text, for the record's checks to name. */
	t = record_text(names, row3, 9);
	ck_assert_str_eq(t, "{\"phone\":\"1\",\"zip\":\"1\",\"arv\":\"0x10\",\"dnc\":\"maybe\","
			    "\"opt_out\":false}");
	free(t);
}
END_TEST

START_TEST(headers_must_name_every_column_once)
{
	const char *ok[] = { "a", "b.c", "b.d" }, *empty[] = { "a", "" };
	const char *twice[] = { "a", "b", "a" };
	const char *clash_names[] = { "b", "b.c" }, *clash_values[] = { "1", "2" };
	size_t bad;

	ck_assert_int_eq(csv_header_check((char *const *)ok, 3, &bad), 0);
	ck_assert_int_eq(csv_header_check((char *const *)empty, 2, &bad), -1);
	ck_assert_uint_eq(bad, 1);
	ck_assert_int_eq(csv_header_check((char *const *)twice, 3, &bad), -1);
	ck_assert_uint_eq(bad, 2);
	ck_assert_ptr_null(csv_record((char *const *)clash_names, (char *const *)clash_values, 2,
				      schema));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("csv");

	tcase_add_test(tc, records_split_as_rfc_4180_says);
	tcase_add_test(tc, malformed_records_are_refused_where_they_go_wrong);
	tcase_add_test(tc, cells_are_typed_by_the_schema);
	tcase_add_test(tc, headers_must_name_every_column_once);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
