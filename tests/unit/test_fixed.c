/* Unit tests of fixed: exact sums in fixed point, their decimal text
 * both ways, and the refusals at the edges of what is kept exactly. */
#include "unit.h"

#include <math.h>

#include "pure/fixed.h"

static void formats_as(fixed_t u, int digits, const char *want)
{
	char text[48];
	fixed_t back;

	fixed_format(u, digits, text);
	ck_assert_str_eq(text, want);
	ck_assert_int_eq(fixed_parse(text, digits, &back), 0);
	ck_assert(back == u);
}

START_TEST(values_become_millionths_rounded_to_nearest)
{
	fixed_t u;

	ck_assert_int_eq(fixed_from_double(0.1, FIXED_VALUE, &u), 0);
	ck_assert(u == 100000);
	ck_assert_int_eq(fixed_from_double(-250000, FIXED_VALUE, &u), 0);
	ck_assert(u == -250000000000);
	ck_assert_int_eq(fixed_from_double(1.0000004, FIXED_VALUE, &u), 0);
	ck_assert(u == 1000000);
	ck_assert_int_eq(fixed_from_double(9e12, FIXED_VALUE, &u), 0);
	ck_assert_int_eq(fixed_from_double(9.1e12, FIXED_VALUE, &u), -1);
	ck_assert_int_eq(fixed_from_double(INFINITY, FIXED_VALUE, &u), -1);
	ck_assert_int_eq(fixed_from_double(NAN, FIXED_VALUE, &u), -1);
	ck_assert_int_eq(fixed_from_double(1e26, FIXED_SQUARE, &u), 0);
	ck_assert_int_eq(fixed_from_double(1e27, FIXED_SQUARE, &u), -1);
}
END_TEST

/* The point of it: 9e12 + 0.000001 - 9e12 is 0.000001 in any order,
 * where doubles give 0.0009765625 one way and 0.000001 the other. */
START_TEST(sums_do_not_depend_on_order)
{
	const double v[3] = { 9e12, 0.000001, -9e12 };
	const int order[2][3] = { { 0, 1, 2 }, { 0, 2, 1 } };
	fixed_t sum[2] = { 0, 0 };
	double d[2] = { 0, 0 };

	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 3; i++) {
			fixed_t u;

			ck_assert_int_eq(fixed_from_double(v[order[k][i]], FIXED_VALUE, &u), 0);
			ck_assert_int_eq(fixed_add(&sum[k], u), 0);
			d[k] += v[order[k][i]];
		}
	ck_assert(d[0] != d[1]); /* what the doubles do */
	ck_assert(sum[0] == sum[1] && sum[0] == 1);
	ck_assert(fixed_to_double(sum[0], FIXED_VALUE) == 0.000001);
}
END_TEST

START_TEST(overflow_is_refused_and_leaves_the_sum)
{
	fixed_t sum = 0, big, sq;

	ck_assert_int_eq(fixed_from_double(9e12, FIXED_VALUE, &big), 0);
	sq = fixed_square(big);
	ck_assert_int_eq(fixed_add(&sum, sq), 0);
	ck_assert_int_eq(fixed_add(&sum, sq), 0);
	fixed_t before = sum;

	ck_assert_int_eq(fixed_add(&sum, sq), -1);
	ck_assert(sum == before);
}
END_TEST

START_TEST(decimal_text_is_the_shortest_exact_form)
{
	formats_as(0, FIXED_VALUE, "0");
	formats_as(1, FIXED_VALUE, "0.000001");
	formats_as(-1, FIXED_VALUE, "-0.000001");
	formats_as(300000000, FIXED_VALUE, "300");
	formats_as(12500000, FIXED_VALUE, "12.5");
	formats_as(-250000000000, FIXED_VALUE, "-250000");
	fixed_t big = 162;

	for (int i = 0; i < 24 + FIXED_SQUARE; i++)
		big *= 10;
	formats_as(big + 1, FIXED_SQUARE, "162000000000000000000000000.000000000001");
}
END_TEST

START_TEST(parse_refuses_what_format_never_writes)
{
	static const char *const bad[] = { "", "-", ".5", "1.", "1e5", "+1", "1.0000001", "0x10",
					   " 1", "1 ", "--1", "1..2",
					   "999999999999999999999999999999999999999999" };
	fixed_t u;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(fixed_parse(bad[i], FIXED_VALUE, &u) == -1, "'%s' parsed", bad[i]);
	ck_assert_int_eq(fixed_parse("1.000001", FIXED_VALUE, &u), 0);
	ck_assert(u == 1000001);
	ck_assert_int_eq(fixed_parse("007", FIXED_VALUE, &u), 0); /* digits, as given */
	ck_assert(u == 7000000);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fixed");
	TCase *tc = tcase_create("fixed");

	tcase_add_test(tc, values_become_millionths_rounded_to_nearest);
	tcase_add_test(tc, sums_do_not_depend_on_order);
	tcase_add_test(tc, overflow_is_refused_and_leaves_the_sum);
	tcase_add_test(tc, decimal_text_is_the_shortest_exact_form);
	tcase_add_test(tc, parse_refuses_what_format_never_writes);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
