/* Unit tests of idset: a member is found and added once, whatever order
 * the keys come in; keys are told apart by their first 80 bits; a freed
 * set is empty and usable. */
#include "unit.h"

#include "pure/idset.h"

static void key_of(int i, unsigned char key[KEYSET_KEY])
{
	char id[32];

	snprintf(id, sizeof(id), "L%d", i);
	keyset_key("id", "crm", id, key);
}

START_TEST(members_are_added_once_and_found)
{
	struct idset s;
	unsigned char key[KEYSET_KEY];

	idset_init(&s);
	key_of(0, key);
	ck_assert_int_eq(idset_has(&s, key), 0);
	for (int i = 0; i < 200000; i++) {
		key_of(i, key);
		ck_assert_int_eq(idset_add(&s, key), 1);
	}
	ck_assert_uint_eq(s.count, 200000);
	for (int i = 0; i < 200000; i += 3) {
		key_of(i, key);
		ck_assert_int_eq(idset_has(&s, key), 1);
		ck_assert_int_eq(idset_add(&s, key), 0);
	}
	for (int i = 200000; i < 210000; i++) {
		key_of(i, key);
		ck_assert_int_eq(idset_has(&s, key), 0);
	}
	ck_assert_uint_eq(s.count, 200000);
	idset_free(&s);
}
END_TEST

/* Keys of one bucket (the same first two bytes) in falling order, so that
 * each goes in front of the others. */
START_TEST(keys_of_one_bucket_stay_in_order)
{
	struct idset s;
	unsigned char key[KEYSET_KEY];

	idset_init(&s);
	memset(key, 0, sizeof(key));
	key[0] = 0xab;
	key[1] = 0xcd;
	for (int i = 999; i >= 0; i--) {
		key[8] = (unsigned char)(i >> 8);
		key[9] = (unsigned char)i;
		ck_assert_int_eq(idset_add(&s, key), 1);
	}
	for (int i = 0; i < 1000; i++) {
		key[8] = (unsigned char)(i >> 8);
		key[9] = (unsigned char)i;
		ck_assert_int_eq(idset_has(&s, key), 1);
	}
	key[2] = 1;   /* one bit more, in the kept bits */
	ck_assert_int_eq(idset_has(&s, key), 0);
	key[2] = 0;
	key[1] = 0xce;   /* the next bucket */
	ck_assert_int_eq(idset_has(&s, key), 0);
	idset_free(&s);
}
END_TEST

START_TEST(keys_differ_in_their_first_ten_bytes)
{
	struct idset s;
	unsigned char a[KEYSET_KEY], b[KEYSET_KEY];

	idset_init(&s);
	key_of(1, a);
	memcpy(b, a, sizeof(b));
	b[15] ^= 0xff;   /* past the 80 bits kept: the same member */
	ck_assert_int_eq(idset_add(&s, a), 1);
	ck_assert_int_eq(idset_add(&s, b), 0);
	b[9] ^= 1;       /* within them: another */
	ck_assert_int_eq(idset_add(&s, b), 1);
	ck_assert_uint_eq(s.count, 2);
	idset_free(&s);
}
END_TEST

START_TEST(a_freed_set_is_empty_and_usable)
{
	struct idset s;
	unsigned char key[KEYSET_KEY];

	idset_init(&s);
	key_of(7, key);
	ck_assert_int_eq(idset_add(&s, key), 1);
	idset_free(&s);
	ck_assert_int_eq(idset_has(&s, key), 0);
	ck_assert_uint_eq(s.count, 0);
	ck_assert_int_eq(idset_add(&s, key), 1);
	idset_free(&s);
	idset_free(&s);   /* twice is harmless */
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("idset");
	TCase *tc = tcase_create("idset");

	tcase_add_test(tc, members_are_added_once_and_found);
	tcase_add_test(tc, keys_of_one_bucket_stay_in_order);
	tcase_add_test(tc, keys_differ_in_their_first_ten_bytes);
	tcase_add_test(tc, a_freed_set_is_empty_and_usable);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
