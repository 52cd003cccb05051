/* Unit tests of contact: phone numbers and email addresses come out in one
 * form however a lead wrote them, and what is not one is refused. */
#include "unit.h"

#include <cjson/cJSON.h>

#include "pure/contact.h"

static void phone_is(const char *in, const char *want)
{
	char out[64];

	memset(out, 'X', sizeof(out));
	ck_assert_msg(contact_normalise_phone(in, out, sizeof(out)) == 0, "'%s' refused", in);
	ck_assert_msg(!strcmp(out, want), "'%s' gave '%s', not '%s'", in, out, want);
}

static void phone_refused(const char *in)
{
	char out[64] = "untouched";

	ck_assert_msg(contact_normalise_phone(in, out, sizeof(out)) == -1, "'%s' accepted as '%s'",
		      in, out);
}

static void email_is(const char *in, const char *want)
{
	char out[128];

	memset(out, 'X', sizeof(out));
	ck_assert_msg(contact_normalise_email(in, out, sizeof(out)) == 0, "'%s' refused", in);
	ck_assert_msg(!strcmp(out, want), "'%s' gave '%s', not '%s'", in, out, want);
}

static void email_refused(const char *in)
{
	char out[128] = "untouched";

	ck_assert_msg(contact_normalise_email(in, out, sizeof(out)) == -1, "'%s' accepted as '%s'",
		      in, out);
}

START_TEST(ten_digits_are_a_north_american_number)
{
	phone_is("5551234567", "+15551234567");
	phone_is("555-123-4567", "+15551234567");
	phone_is("(555) 123-4567", "+15551234567");
	phone_is("555.123.4567", "+15551234567");
	/* With the country code written, the same number. */
	phone_is("15551234567", "+15551234567");
	phone_is("1 (555) 123-4567", "+15551234567");
	phone_is("+1 555 123 4567", "+15551234567");
}
END_TEST

START_TEST(a_leading_plus_keeps_the_digits_as_they_are)
{
	/* Ten digits after a '+' are a full international number, not +1. */
	phone_is("+4420794609", "+4420794609");
	phone_is("+44 20 7946 0958", "+442079460958");
	phone_is("(+44) 20-7946-0958", "+442079460958");
	/* Eleven digits without '+' not starting with 1 are taken whole. */
	phone_is("44207946095", "+44207946095");
}
END_TEST

START_TEST(phone_length_is_7_to_15_digits)
{
	phone_is("1234567", "+1234567");
	phone_is("123456789012345", "+123456789012345");
	phone_is("+123456789012345", "+123456789012345");
	phone_refused("123456");
	phone_refused("+1 23 45 6");
	phone_refused("1234567890123456");
	phone_refused("12345678901234567890123456789012345"); /* over the digit buffer */
	phone_refused("");
	phone_refused("+");
	phone_refused("() - .");
}
END_TEST

START_TEST(phone_refuses_letters_and_other_marks)
{
	phone_refused("555-CALL-NOW");
	phone_refused("555123456x7");
	phone_refused("5551234567 ext 2");
	phone_refused("555/123/4567");
	phone_refused("555_123_4567");
	phone_refused("555\t123\t4567");
	phone_refused("555\xef\xbc\x91" "234567"); /* a full-width digit is not a digit */
}
END_TEST

START_TEST(phone_refuses_a_second_or_a_late_plus)
{
	phone_refused("++15551234567");
	phone_refused("+ +15551234567");
	phone_refused("+1555+1234567");
	phone_refused("5551234567+");
	phone_refused("1+5551234567");
}
END_TEST

START_TEST(email_is_lowercased_and_trimmed)
{
	email_is("Jane.Doe@Example.COM", "jane.doe@example.com");
	email_is("  jane@example.com  ", "jane@example.com");
	email_is("a@b.c", "a@b.c");
	email_is("first+tag@sub.example.org", "first+tag@sub.example.org");
	/* Only ASCII letters change case; other bytes are kept as they are. */
	email_is("J\xc3\x89R\xc3\x94ME@exemple.fr", "j\xc3\x89r\xc3\x94me@exemple.fr");
}
END_TEST

START_TEST(email_refuses_malformed_addresses)
{
	static const char *const bad[] = {
		"", "   ", "jane", "jane.example.com", "@example.com", "jane@",
		"jane@example", "jane@localhost", "jane.doe@", " @example.com ",
		"jane @example.com", "jane@exa mple.com", "jane@example.com\n",
		"\tjane@example.com", "jane@example.com\t", "ja\x01ne@example.com",
		"jane@example.com\r", "jane.@", "jane.doe@example\x7f", /* the dot must follow the '@' */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		email_refused(bad[i]);
}
END_TEST

START_TEST(email_that_does_not_fit_is_refused)
{
	char out[16];

	/* 15 bytes and the NUL fit exactly; 16 do not. */
	ck_assert_int_eq(contact_normalise_email("abcde@ghijk.com", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "abcde@ghijk.com");
	ck_assert_int_eq(contact_normalise_email("abcdef@ghijk.com", out, sizeof(out)), -1);
	/* Surrounding spaces do not count against the size. */
	ck_assert_int_eq(contact_normalise_email("   abcde@ghijk.com   ", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "abcde@ghijk.com");
}
END_TEST

START_TEST(equal_contacts_normalise_equal)
{
	static const char *const phones[] = {
		"5551234567", "+1 (555) 123-4567", "1.555.123.4567", " 555 123 4567 ",
	};
	static const char *const emails[] = {
		"Jane@Example.com", " jane@example.com", "JANE@EXAMPLE.COM ",
	};
	char first[64], out[64];

	ck_assert_int_eq(contact_normalise_phone(phones[0], first, sizeof(first)), 0);
	for (size_t i = 1; i < sizeof(phones) / sizeof(phones[0]); i++) {
		ck_assert_int_eq(contact_normalise_phone(phones[i], out, sizeof(out)), 0);
		ck_assert_str_eq(out, first);
	}
	ck_assert_int_eq(contact_normalise_email(emails[0], first, sizeof(first)), 0);
	for (size_t i = 1; i < sizeof(emails) / sizeof(emails[0]); i++) {
		ck_assert_int_eq(contact_normalise_email(emails[i], out, sizeof(out)), 0);
		ck_assert_str_eq(out, first);
	}
	/* Normalising the normal form changes nothing. */
	phone_is("+15551234567", "+15551234567");
	email_is(first, first);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("contact");
	TCase *ph = tcase_create("phone");
	TCase *em = tcase_create("email");

	tcase_add_test(ph, ten_digits_are_a_north_american_number);
	tcase_add_test(ph, a_leading_plus_keeps_the_digits_as_they_are);
	tcase_add_test(ph, phone_length_is_7_to_15_digits);
	tcase_add_test(ph, phone_refuses_letters_and_other_marks);
	tcase_add_test(ph, phone_refuses_a_second_or_a_late_plus);
	suite_add_tcase(s, ph);

	tcase_add_test(em, email_is_lowercased_and_trimmed);
	tcase_add_test(em, email_refuses_malformed_addresses);
	tcase_add_test(em, email_that_does_not_fit_is_refused);
	tcase_add_test(em, equal_contacts_normalise_equal);
	suite_add_tcase(s, em);
	return s;
}

UNIT_MAIN(suite)
