/* Unit tests of time_text: RFC 3339 formatting and parsing, without a
 * clock (clock_now and BRAIN_NOW are in test_clock.c). */
#include "unit.h"

#include "pure/time_text.h"

/* 2026-11-28T13:25:43Z, the example of DESIGN.md. */
#define KNOWN ((time_t)1795872343)

static time_t parsed(const char *text)
{
	time_t t = (time_t)-42;

	ck_assert_msg(time_text_parse(text, &t) == 0, "'%s' must parse", text);
	return t;
}

static void refused(const char *text)
{
	time_t t = (time_t)-42;

	ck_assert_msg(time_text_parse(text, &t) == -1, "'%s' must be refused", text);
	ck_assert_msg(t == (time_t)-42, "'%s' changed the output when refused", text);
}

START_TEST(format_of_the_epoch_and_a_known_time)
{
	char buf[TIME_TEXT_SIZE];

	time_text_format(0, buf);
	ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
	time_text_format(KNOWN, buf);
	ck_assert_str_eq(buf, "2026-11-28T13:25:43Z");
	time_text_format(-1, buf);
	ck_assert_str_eq(buf, "1969-12-31T23:59:59Z");
	time_text_format(951825600, buf);
	ck_assert_str_eq(buf, "2000-02-29T12:00:00Z");
	ck_assert_uint_eq(strlen(buf), TIME_TEXT_SIZE - 1);
}
END_TEST

START_TEST(format_clamps_to_four_digit_years)
{
	char buf[TIME_TEXT_SIZE];

	time_text_format((time_t)253402300799LL, buf);
	ck_assert_str_eq(buf, "9999-12-31T23:59:59Z");
	time_text_format((time_t)253402300800LL, buf);
	ck_assert_str_eq(buf, "9999-12-31T23:59:59Z");
	time_text_format((time_t)1 << 60, buf);
	ck_assert_str_eq(buf, "9999-12-31T23:59:59Z");
	time_text_format((time_t)-62167219200LL, buf);
	ck_assert_str_eq(buf, "0000-01-01T00:00:00Z");
	time_text_format(-((time_t)1 << 60), buf);
	ck_assert_str_eq(buf, "0000-01-01T00:00:00Z");
}
END_TEST

START_TEST(parse_of_the_z_form)
{
	ck_assert_int_eq(parsed("2026-11-28T13:25:43Z"), KNOWN);
	ck_assert_int_eq(parsed("1970-01-01T00:00:00Z"), 0);
	ck_assert_int_eq(parsed("1969-12-31T23:59:59Z"), -1);
	ck_assert_int_eq(parsed("2026-11-28t13:25:43z"), KNOWN);
	ck_assert_int_eq(parsed("2026-11-28T13:25:43z"), KNOWN);
	ck_assert_int_eq(parsed("0000-01-01T00:00:00Z"), (time_t)-62167219200LL);
	ck_assert_int_eq(parsed("9999-12-31T23:59:59Z"), (time_t)253402300799LL);
}
END_TEST

START_TEST(parse_drops_fractional_seconds)
{
	ck_assert_int_eq(parsed("2026-11-28T13:25:43.0Z"), KNOWN);
	ck_assert_int_eq(parsed("2026-11-28T13:25:43.999999999Z"), KNOWN);
	ck_assert_int_eq(parsed("2026-11-28T13:25:43.5+00:00"), KNOWN);
	refused("2026-11-28T13:25:43.Z");
	refused("2026-11-28T13:25:43.");
	refused("2026-11-28T13:25:43,5Z");
}
END_TEST

START_TEST(parse_applies_numeric_offsets)
{
	ck_assert_int_eq(parsed("2026-11-28T15:25:43+02:00"), KNOWN);
	ck_assert_int_eq(parsed("2026-11-28T07:55:43-05:30"), KNOWN);
	ck_assert_int_eq(parsed("2026-11-28T13:25:43+00:00"), KNOWN);
	ck_assert_int_eq(parsed("2026-11-28T13:25:43-00:00"), KNOWN);
	/* An offset may move the instant to another day. */
	ck_assert_int_eq(parsed("2026-11-29T00:25:43+11:00"), KNOWN);
	ck_assert_int_eq(parsed("2026-11-27T23:25:43-14:00"), KNOWN);
	refused("2026-11-28T13:25:43+0200");
	refused("2026-11-28T13:25:43+2:00");
	refused("2026-11-28T13:25:43+24:00");
	refused("2026-11-28T13:25:43+02:60");
	refused("2026-11-28T13:25:43+02:00Z");
}
END_TEST

START_TEST(parse_of_a_bare_date_is_midnight_utc)
{
	ck_assert_int_eq(parsed("2026-11-28"), (time_t)1795824000);
	ck_assert_int_eq(parsed("1970-01-01"), 0);
	refused("2026-11-28T");
	refused("2026-11-28Z");
	refused("2026-11-28 ");
	refused("2026-11-28x");
}
END_TEST

START_TEST(parse_checks_the_calendar)
{
	ck_assert_int_eq(parsed("2024-02-29T00:00:00Z"), (time_t)1709164800);
	ck_assert_int_eq(parsed("2000-02-29"), (time_t)951782400);
	refused("2025-02-29T00:00:00Z");
	refused("2025-02-29");
	refused("1900-02-29");     /* a century is not a leap year... */
	refused("2026-13-01T00:00:00Z");
	refused("2026-00-10T00:00:00Z");
	refused("2026-04-31T00:00:00Z");
	refused("2026-01-32T00:00:00Z");
	refused("2026-01-00T00:00:00Z");
	refused("2026-11-28T24:00:00Z");
	refused("2026-11-28T23:60:00Z");
	refused("2026-11-28T23:59:61Z");
	ck_assert_int_eq(parsed("2026-12-31T23:59:59Z") + 1, parsed("2027-01-01T00:00:00Z"));
	/* A leap second is read as the second after. */
	ck_assert_int_eq(parsed("2016-12-31T23:59:60Z"), (time_t)1483228800);
}
END_TEST

START_TEST(parse_refuses_other_forms)
{
	static const char *const bad[] = {
		"", "garbage", "2026-11-28T13:25:43", "2026-11-28T13:25:43Zjunk",
		"2026-11-28T13:25:43Z ", " 2026-11-28T13:25:43Z", "2026-11-28 13:25:43Z",
		"2026-11-28T13:25Z", "2026-1-28T13:25:43Z", "26-11-28T13:25:43Z",
		"2026/11/28T13:25:43Z", "2026-11-28T13:25:4Z", "+2026-11-28T13:25:43Z",
		"2026-11-28T13:25:43UTC", "1795872343",
	};
	time_t t = 7;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(bad[i]);
	ck_assert_int_eq(time_text_parse(NULL, &t), -1);
	ck_assert_int_eq(t, 7);
}
END_TEST

START_TEST(format_of_parse_is_the_identity)
{
	static const char *const texts[] = {
		"1970-01-01T00:00:00Z", "2026-11-28T13:25:43Z", "2024-02-29T23:59:59Z",
		"1999-12-31T23:59:59Z", "2038-01-19T03:14:08Z", "0001-01-01T00:00:00Z",
		"9999-12-31T23:59:59Z", "1900-03-01T12:00:00Z",
	};
	char buf[TIME_TEXT_SIZE];

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		time_text_format(parsed(texts[i]), buf);
		ck_assert_str_eq(buf, texts[i]);
	}
	/* And the other way round for a range of instants. */
	for (time_t t = -86400 * 400; t < (time_t)86400 * 366 * 80; t += 86400 * 7 + 3613) {
		time_text_format(t, buf);
		ck_assert_int_eq(parsed(buf), t);
	}
}
END_TEST

START_TEST(offsets_and_fractions_come_out_as_whole_seconds_utc)
{
	char buf[TIME_TEXT_SIZE];

	/* The fraction is dropped, then the offset applied. */
	time_text_format(parsed("2026-11-28T15:25:43.75+02:00"), buf);
	ck_assert_str_eq(buf, "2026-11-28T13:25:43Z");
	/* A negative offset carries the instant into the next year... */
	time_text_format(parsed("2026-12-31T23:30:00-01:00"), buf);
	ck_assert_str_eq(buf, "2027-01-01T00:30:00Z");
	/* ...and a positive one back into the leap day. */
	time_text_format(parsed("2024-03-01T01:00:00+02:00"), buf);
	ck_assert_str_eq(buf, "2024-02-29T23:00:00Z");
	/* A fraction never rounds up to the next second. */
	time_text_format(parsed("2026-11-28T23:59:59.999Z"), buf);
	ck_assert_str_eq(buf, "2026-11-28T23:59:59Z");
}
END_TEST

START_TEST(format_clamps_at_exactly_the_edges)
{
	char buf[TIME_TEXT_SIZE];

	/* One second inside each edge is not clamped. */
	time_text_format((time_t)253402300798LL, buf);
	ck_assert_str_eq(buf, "9999-12-31T23:59:58Z");
	time_text_format((time_t)-62167219199LL, buf);
	ck_assert_str_eq(buf, "0000-01-01T00:00:01Z");
	/* One second outside is. */
	time_text_format((time_t)-62167219201LL, buf);
	ck_assert_str_eq(buf, "0000-01-01T00:00:00Z");
	/* The clamped text parses back to the edge itself. */
	ck_assert_int_eq(parsed(buf), (time_t)-62167219200LL);
}
END_TEST

START_TEST(parse_refuses_a_leap_day_only_where_there_is_none)
{
	ck_assert_int_eq(parsed("2024-02-29"), (time_t)1709164800);
	ck_assert_int_eq(parsed("2024-02-29T23:59:59+00:00"), (time_t)1709164800 + 86399);
	ck_assert_int_eq(parsed("2400-02-29"), parsed("2400-02-28") + 86400);
	refused("2025-02-29T12:00:00Z");
	refused("2100-02-29");
	refused("2024-02-30");
	/* Month 13 and hour 24 in every form that can carry them. */
	refused("2026-13-01");
	refused("2026-13-01T00:00:00+02:00");
	refused("2026-12-01T24:00:00+02:00");
	refused("2026-12-01T24:00:00.5Z");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("time_text");
	TCase *fmt = tcase_create("format");
	TCase *parse = tcase_create("parse");

	tcase_add_test(fmt, format_of_the_epoch_and_a_known_time);
	tcase_add_test(fmt, format_clamps_to_four_digit_years);
	tcase_add_test(fmt, format_clamps_at_exactly_the_edges);
	tcase_add_test(fmt, format_of_parse_is_the_identity);
	tcase_add_test(fmt, offsets_and_fractions_come_out_as_whole_seconds_utc);
	suite_add_tcase(s, fmt);

	tcase_add_test(parse, parse_of_the_z_form);
	tcase_add_test(parse, parse_drops_fractional_seconds);
	tcase_add_test(parse, parse_applies_numeric_offsets);
	tcase_add_test(parse, parse_of_a_bare_date_is_midnight_utc);
	tcase_add_test(parse, parse_checks_the_calendar);
	tcase_add_test(parse, parse_refuses_a_leap_day_only_where_there_is_none);
	tcase_add_test(parse, parse_refuses_other_forms);
	suite_add_tcase(s, parse);
	return s;
}

UNIT_MAIN(suite)
