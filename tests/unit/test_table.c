/* Unit tests of table: aligned text tables, bars and sparklines. */
#include "unit.h"

#include <math.h>

#include "cmd/table.h"

/* table_print into memory; caller frees. */
static char *print_to_memory(const struct table *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	table_print(t, fp);
	ck_assert_int_eq(fclose(fp), 0);
	return buf;
}

START_TEST(columns_are_aligned_two_spaces_apart)
{
	struct table *t = table_new(3, (const char *const[]){ "KEY", "VALUE", "SOURCE" });
	char *out;

	table_add(t, (const char *const[]){ "lock.wait_seconds", "30", "default" });
	table_add(t, (const char *const[]){ "audit.origin", "brain", "config.json" });
	out = print_to_memory(t);
	ck_assert_str_eq(out,
			 "KEY                VALUE  SOURCE\n"
			 "lock.wait_seconds  30     default\n"
			 "audit.origin       brain  config.json\n");
	ck_assert_uint_eq(t->nrows, 3);
	free(out);
	table_free(t);
}
END_TEST

START_TEST(width_is_counted_in_characters)
{
	struct table *t = table_new(3, (const char *const[]){ "NAME", "N", "BAR" });
	char *out;

	table_add(t, (const char *const[]){ "Café Olé", "1", "x" });      /* 8 chars, 10 bytes */
	table_add(t, (const char *const[]){ "✓ ok", "22", "y" });          /* 4 chars, 6 bytes */
	table_add(t, (const char *const[]){ "plain", "3", "\xe2\x96\x81\xe2\x96\x88" });
	out = print_to_memory(t);
	ck_assert_str_eq(out,
			 "NAME      N   BAR\n"
			 "Café Olé  1   x\n"
			 "✓ ok      22  y\n"
			 "plain     3   \xe2\x96\x81\xe2\x96\x88\n");
	free(out);
	table_free(t);
}
END_TEST

START_TEST(no_line_ends_in_spaces)
{
	struct table *t = table_new(2, (const char *const[]){ "A", "LONG HEADER" });
	char *out;

	table_add(t, (const char *const[]){ "wide first cell", "" });
	table_add(t, (const char *const[]){ NULL, "v" });
	out = print_to_memory(t);
	ck_assert_str_eq(out,
			 "A                LONG HEADER\n"
			 "wide first cell\n"
			 "                 v\n");
	free(out);
	table_free(t);
}
END_TEST

START_TEST(one_column_and_many_rows)
{
	struct table *t = table_new(1, (const char *const[]){ "ID" });
	char cell[16], *out, *p;
	size_t lines = 0;

	for (int i = 0; i < 100; i++) {
		snprintf(cell, sizeof(cell), "row%d", i);
		table_add(t, (const char *const[]){ cell });
	}
	ck_assert_uint_eq(t->nrows, 101);
	out = print_to_memory(t);
	ck_assert(!strncmp(out, "ID\nrow0\nrow1\n", 13));
	ck_assert_ptr_nonnull(strstr(out, "\nrow99\n"));
	for (p = out; *p; p++)
		if (*p == '\n')
			lines++;
	ck_assert_uint_eq(lines, 101);
	ck_assert_ptr_null(strstr(out, " \n"));
	free(out);
	table_free(t);
	table_free(NULL);
}
END_TEST

START_TEST(cells_are_copied)
{
	char head[8] = "H", val[8] = "v";
	struct table *t = table_new(2, (const char *const[]){ head, "X" });
	char *out;

	table_add(t, (const char *const[]){ val, "y" });
	strcpy(head, "ZZZZZZ");
	strcpy(val, "WWWWWW");
	out = print_to_memory(t);
	ck_assert_str_eq(out, "H  X\nv  y\n");
	free(out);
	table_free(t);
}
END_TEST

START_TEST(bar_of_a_fraction)
{
	char bar[32];

	table_bar(0, 10, bar);
	ck_assert_str_eq(bar, "..........");
	table_bar(0.5, 10, bar);
	ck_assert_str_eq(bar, "#####.....");
	table_bar(1, 10, bar);
	ck_assert_str_eq(bar, "##########");
	table_bar(0.25, 4, bar);
	ck_assert_str_eq(bar, "#...");
	table_bar(0.04, 10, bar);
	ck_assert_str_eq(bar, "..........");
	table_bar(0.06, 10, bar);
	ck_assert_str_eq(bar, "#.........");
	table_bar(0.5, 0, bar);
	ck_assert_str_eq(bar, "");
}
END_TEST

START_TEST(bar_clamps_out_of_range_values)
{
	char bar[32];

	table_bar(-0.5, 10, bar);
	ck_assert_str_eq(bar, "..........");
	table_bar(-INFINITY, 5, bar);
	ck_assert_str_eq(bar, ".....");
	table_bar(1.5, 10, bar);
	ck_assert_str_eq(bar, "##########");
	table_bar(INFINITY, 5, bar);
	ck_assert_str_eq(bar, "#####");
	table_bar(NAN, 5, bar);
	ck_assert_str_eq(bar, ".....");
}
END_TEST

START_TEST(sparkline_scales_between_min_and_max)
{
	const double rising[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	const double flat[] = { 3, 3, 3 };
	const double two[] = { 10, 20 };
	char out[3 * 60 + 1];

	table_sparkline(rising, 8, out, sizeof(out));
	ck_assert_str_eq(out, "▁▂▃▄▅▆▇█");
	table_sparkline(flat, 3, out, sizeof(out));
	ck_assert_str_eq(out, "▄▄▄");
	table_sparkline(two, 2, out, sizeof(out));
	ck_assert_str_eq(out, "▁█");
	table_sparkline(two, 0, out, sizeof(out));
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(sparkline_keeps_the_last_60_and_fits_the_buffer)
{
	double values[100];
	char out[3 * 60 + 1], small[8];

	for (int i = 0; i < 100; i++)
		values[i] = i;
	table_sparkline(values, 100, out, sizeof(out));
	ck_assert_uint_eq(strlen(out), 3 * 60);
	ck_assert(!strncmp(out, "▁", 3));          /* 40, the minimum of the last 60 */
	ck_assert(!strcmp(out + 3 * 59, "█"));
	table_sparkline(values, 100, small, sizeof(small));
	ck_assert_uint_eq(strlen(small), 6);         /* two blocks and the NUL fit in 8 */
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("table");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, columns_are_aligned_two_spaces_apart);
	tcase_add_test(tc, width_is_counted_in_characters);
	tcase_add_test(tc, no_line_ends_in_spaces);
	tcase_add_test(tc, one_column_and_many_rows);
	tcase_add_test(tc, cells_are_copied);
	tcase_add_test(tc, bar_of_a_fraction);
	tcase_add_test(tc, bar_clamps_out_of_range_values);
	tcase_add_test(tc, sparkline_scales_between_min_and_max);
	tcase_add_test(tc, sparkline_keeps_the_last_60_and_fits_the_buffer);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
