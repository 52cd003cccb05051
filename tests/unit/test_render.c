/* Unit tests of render: RFC 4180 fields, and records caught on their way
 * to standard output printed as CSV (columns in the lines' order, nested
 * objects flattened, absent fields empty) and as text. */
#include "unit.h"

#include <cjson/cJSON.h>

#include "cmd/render.h"
#include "core/jsonl.h"

START_TEST(csv_fields_are_quoted_only_when_they_must_be)
{
	const char *cases[][2] = {
		{ "plain", "plain" }, { "", "" }, { "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" }, { "two\nlines", "\"two\nlines\"" },
		{ "cr\r", "\"cr\r\"" }, { "caf\xc3\xa9", "caf\xc3\xa9" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *f = render_csv_field(cases[i][0]);

		ck_assert_str_eq(f, cases[i][1]);
		free(f);
	}
}
END_TEST

/* What render prints for lines (JSON objects, one per string). */
static char *rendered(enum render_mode format, const char *const *lines, size_t n)
{
	char path[4200];
	FILE *was;

	unit_tmpdir();
	snprintf(path, sizeof(path), "%s/out", unit_dir_path);
	fflush(stdout);
	was = stdout;
	ck_assert_ptr_nonnull(stdout = fopen(path, "w"));
	render_begin(format);
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_Parse(lines[i]);

		ck_assert_ptr_nonnull(o);
		ck_assert_int_eq(jsonl_write(stdout, o), BRAIN_OK);
		cJSON_Delete(o);
	}
	render_end();
	fclose(stdout);
	stdout = was;
	return unit_read_file(path);
}

START_TEST(csv_columns_follow_the_lines_order)
{
	const char *lines[] = {
		"{\"name\":\"A\",\"trials\":10,\"status\":\"control\"}",
		"{\"name\":\"B, the other\",\"trials\":12,\"lift\":0.5,\"g\":{\"opt_out\":{\"events\":2}},"
		"\"tags\":[1,2],\"none\":null,\"ok\":true}",
	};
	char *out = rendered(RENDER_CSV, lines, 2);

	ck_assert_str_eq(out, "name,trials,lift,g.opt_out.events,tags,none,ok,status\r\n"
			      "A,10,,,,,,control\r\n"
			      "\"B, the other\",12,0.5,2,\"[1,2]\",,true,\r\n");
	free(out);
}
END_TEST

START_TEST(text_is_a_block_for_one_record_and_a_table_for_several)
{
	const char *one[] = { "{\"experiment\":\"default\",\"applied\":3,\"status\":\"applied\"}" };
	const char *two[] = { "{\"name\":\"A\",\"n\":1}", "{\"name\":\"Bee\",\"n\":22}" };
	char long_line[400];
	char *out = rendered(RENDER_TEXT, one, 1);

	ck_assert_str_eq(out, "experiment  default\napplied     3\nstatus      applied\n");
	free(out);
	out = rendered(RENDER_TEXT, two, 2);
	ck_assert_ptr_nonnull(strstr(out, "NAME"));
	ck_assert_ptr_nonnull(strstr(out, "Bee"));
	ck_assert_ptr_null(strchr(out, '{'));
	free(out);
	snprintf(long_line, sizeof(long_line), "{\"details\":\"%0300d\"}", 7);
	const char *cut[] = { long_line };

	out = rendered(RENDER_TEXT, cut, 1);
	ck_assert_ptr_nonnull(strstr(out, "..."));
	ck_assert_uint_le(strlen(out), strlen("details  ") + RENDER_LINE_MAX + 1);
	free(out);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("render");
	TCase *tc = tcase_create("render");

	tcase_add_test(tc, csv_fields_are_quoted_only_when_they_must_be);
	tcase_add_test(tc, csv_columns_follow_the_lines_order);
	tcase_add_test(tc, text_is_a_block_for_one_record_and_a_table_for_several);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
