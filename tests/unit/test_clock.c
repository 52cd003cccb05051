/* Unit tests of clock: BRAIN_NOW fixes the clock, a bad one is refused,
 * and unset it is the system clock (formatting and parsing are in
 * test_time_text.c). */
#include "unit.h"

#include "core/clock.h"

/* 2026-11-28T13:25:43Z, the example of DESIGN.md. */
#define KNOWN ((time_t)1795872343)

START_TEST(now_honours_brain_now)
{
	time_t t = 0;

	ck_assert_int_eq(setenv("BRAIN_NOW", "2026-11-28T13:25:43Z", 1), 0);
	ck_assert_int_eq(clock_now(&t), BRAIN_OK);
	ck_assert_int_eq(t, KNOWN);
	ck_assert_int_eq(setenv("BRAIN_NOW", "2026-11-28T15:25:43+02:00", 1), 0);
	t = 0;
	ck_assert_int_eq(clock_now(&t), BRAIN_OK);
	ck_assert_int_eq(t, KNOWN);
}
END_TEST

START_TEST(now_refuses_a_bad_brain_now)
{
	time_t t = 7;

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(setenv("BRAIN_NOW", "garbage", 1), 0);
	ck_assert_int_eq(clock_now(&t), BRAIN_USAGE);
	ck_assert_str_eq(unit_diag_text(),
			 "test: BRAIN_NOW='garbage' is not an RFC 3339 timestamp\n");
	ck_assert_int_eq(t, 7);
}
END_TEST

START_TEST(now_without_brain_now_is_the_system_clock)
{
	time_t before, t = 0, after;

	unit_capture_diag();
	ck_assert_int_eq(unsetenv("BRAIN_NOW"), 0);
	before = time(NULL);
	ck_assert_int_eq(clock_now(&t), BRAIN_OK);
	after = time(NULL);
	ck_assert_int_ge(t, before);
	ck_assert_int_le(t, after);
	/* Set but empty is the same as unset. */
	ck_assert_int_eq(setenv("BRAIN_NOW", "", 1), 0);
	t = 0;
	ck_assert_int_eq(clock_now(&t), BRAIN_OK);
	ck_assert_int_ge(t, before);
	ck_assert_str_eq(unit_diag_text(), "");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("clock");
	TCase *tc = tcase_create("clock");

	tcase_add_test(tc, now_honours_brain_now);
	tcase_add_test(tc, now_refuses_a_bad_brain_now);
	tcase_add_test(tc, now_without_brain_now_is_the_system_clock);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
