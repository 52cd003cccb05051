/* Unit tests of ident: ids are safe file names, names slug predictably. */
#include "unit.h"

#include "pure/ident.h"

START_TEST(slug_of_display_names)
{
	char id[IDENT_MAX + 1];

	ck_assert_int_eq(ident_slug("Lead Scorer", id), BRAIN_OK);
	ck_assert_str_eq(id, "lead-scorer");
	ck_assert_int_eq(ident_slug("High-Energy", id), BRAIN_OK);
	ck_assert_str_eq(id, "high-energy");
	ck_assert_int_eq(ident_slug("  Acme  Corp!! ", id), BRAIN_OK);
	ck_assert_str_eq(id, "acme-corp");
	ck_assert_int_eq(ident_slug("Café Olé", id), BRAIN_OK);
	ck_assert_str_eq(id, "caf-ol");
	ck_assert_int_eq(ident_slug("../etc/passwd", id), BRAIN_OK);
	ck_assert_str_eq(id, "etc-passwd");
	ck_assert_int_eq(ident_slug("clone_v2.1", id), BRAIN_OK);
	ck_assert_str_eq(id, "clone_v2.1");
}
END_TEST

START_TEST(slug_without_letters_is_refused)
{
	char id[IDENT_MAX + 1];

	unit_capture_diag();
	ck_assert_int_eq(ident_slug("!!!", id), BRAIN_DATA);
	ck_assert_int_eq(ident_slug("", id), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "has no letters or digits"));
}
END_TEST

START_TEST(slug_is_cut_to_64)
{
	char id[IDENT_MAX + 1];
	char name[200];

	memset(name, 'a', 150);
	name[150] = '\0';
	ck_assert_int_eq(ident_slug(name, id), BRAIN_OK);
	ck_assert_uint_eq(strlen(id), 64);
	ck_assert(ident_valid(id));
}
END_TEST

START_TEST(path_like_ids_are_refused)
{
	static const char *const bad[] = {
		"../etc", "a/b", "", ".hidden", "-x", "UPPER", "a b", "a\nb",
		"x\x01", "caf\xc3\xa9",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};

	unit_capture_diag();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(!ident_valid(bad[i]), "'%s' must be invalid", bad[i]);
		ck_assert_int_eq(ident_check(bad[i], "variant id"), BRAIN_DATA);
	}
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "invalid variant id '../etc'"));
	ck_assert_ptr_null(strchr(unit_diag_text(), '\x01'));
}
END_TEST

START_TEST(good_ids_pass)
{
	static const char *const good[] = { "a", "0", "lead-scorer", "clone_v2.1", "x-",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ck_assert_msg(ident_valid(good[i]), "'%s' must be valid", good[i]);
		ck_assert_int_eq(ident_check(good[i], "id"), BRAIN_OK);
	}
}
END_TEST

START_TEST(display_names)
{
	unit_capture_diag();
	ck_assert_int_eq(ident_check_name("Lead Scorer", "name"), BRAIN_OK);
	ck_assert_int_eq(ident_check_name("Café Olé ✓", "name"), BRAIN_OK);
	ck_assert_int_eq(ident_check_name("", "name"), BRAIN_DATA);
	ck_assert_int_eq(ident_check_name("tab\there", "name"), BRAIN_DATA);
	ck_assert_int_eq(ident_check_name("bad \xff utf8", "name"), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "control character"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ident");
	TCase *tc = tcase_create("ident");

	tcase_add_test(tc, slug_of_display_names);
	tcase_add_test(tc, slug_without_letters_is_refused);
	tcase_add_test(tc, slug_is_cut_to_64);
	tcase_add_test(tc, path_like_ids_are_refused);
	tcase_add_test(tc, good_ids_pass);
	tcase_add_test(tc, display_names);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
