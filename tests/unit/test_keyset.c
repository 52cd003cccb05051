/* Unit tests of keyset: membership across a write and a load, values,
 * sorted merge, and refusal of corrupt files. */
#include "unit.h"

#include <fcntl.h>

#include "core/keyset_file.h"

static int open_dir(void)
{
	int fd = open(unit_tmpdir(), O_RDONLY | O_DIRECTORY);

	ck_assert_int_ge(fd, 0);
	return fd;
}

static void save(struct keyset *ks, int dirfd, const char *name)
{
	char path[4200];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", unit_dir_path, name);
	fp = fopen(path, "w");
	ck_assert_int_eq(keyset_write(ks, fp), 0);
	ck_assert_int_eq(fclose(fp), 0);
	(void)dirfd;
}

START_TEST(keys_survive_write_and_load)
{
	struct keyset a, b;
	unsigned char k[KEYSET_KEY];
	int dirfd = open_dir();
	char id[32];

	keyset_init(&a);
	for (int i = 0; i < 5000; i++) {
		snprintf(id, sizeof(id), "e%d", i);
		keyset_key("id", id, NULL, k);
		keyset_put(&a, k, (uint32_t)i);
	}
	ck_assert_uint_eq(keyset_size(&a), 5000);
	save(&a, dirfd, "ids");
	ck_assert_int_eq(keyset_load(&b, dirfd, "ids"), BRAIN_OK);
	ck_assert_uint_eq(b.nsorted, 5000);
	for (int i = 0; i < 5000; i += 7) {
		uint32_t *v;

		snprintf(id, sizeof(id), "e%d", i);
		keyset_key("id", id, NULL, k);
		v = keyset_find(&b, k);
		ck_assert_ptr_nonnull(v);
		ck_assert_uint_eq(*v, (uint32_t)i);
	}
	keyset_key("id", "never", NULL, k);
	ck_assert_ptr_null(keyset_find(&b, k));
	keyset_free(&a);
	keyset_free(&b);
	close(dirfd);
}
END_TEST

START_TEST(merge_keeps_old_and_new_and_updates)
{
	struct keyset a, b, c;
	unsigned char k1[KEYSET_KEY], k2[KEYSET_KEY];
	int dirfd = open_dir();

	keyset_init(&a);
	keyset_key("unit", "script", "L1", k1);
	keyset_put(&a, k1, 1);
	save(&a, dirfd, "units");
	ck_assert_int_eq(keyset_load(&b, dirfd, "units"), BRAIN_OK);
	keyset_key("unit", "script", "L2", k2);
	keyset_put(&b, k2, 2);
	*keyset_find(&b, k1) = 9; /* a loaded key's value can change */
	ck_assert_uint_eq(keyset_size(&b), 2);
	save(&b, dirfd, "units");
	ck_assert_int_eq(keyset_load(&c, dirfd, "units"), BRAIN_OK);
	ck_assert_uint_eq(c.nsorted, 2);
	ck_assert_uint_eq(*keyset_find(&c, k1), 9);
	ck_assert_uint_eq(*keyset_find(&c, k2), 2);
	keyset_free(&a);
	keyset_free(&b);
	keyset_free(&c);
	close(dirfd);
}
END_TEST

START_TEST(keys_keep_their_parts_apart)
{
	unsigned char a[KEYSET_KEY], b[KEYSET_KEY];

	keyset_key("unit", "ab", "c", a);
	keyset_key("unit", "a", "bc", b);
	ck_assert(memcmp(a, b, KEYSET_KEY) != 0);
	keyset_key("id", "x", NULL, a);
	keyset_key("unit", "x", NULL, b);
	ck_assert(memcmp(a, b, KEYSET_KEY) != 0);
}
END_TEST

START_TEST(corrupt_files_are_refused)
{
	struct keyset ks;
	int dirfd = open_dir();
	char path[4200];

	snprintf(path, sizeof(path), "%s/bad", unit_dir_path);
	unit_write_file(path, "brain-keyset 1\nshort");
	unit_capture_diag();
	ck_assert_int_eq(keyset_load(&ks, dirfd, "bad"), BRAIN_STATE);
	unit_write_file(path, "something else entirely!!");
	ck_assert_int_eq(keyset_load(&ks, dirfd, "bad"), BRAIN_STATE);
	ck_assert_int_eq(keyset_load(&ks, dirfd, "missing"), BRAIN_OK);
	ck_assert_uint_eq(keyset_size(&ks), 0);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "bad: corrupt key set"));
	keyset_free(&ks);
	close(dirfd);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("keyset");
	TCase *tc = tcase_create("keyset");

	tcase_add_test(tc, keys_survive_write_and_load);
	tcase_add_test(tc, merge_keeps_old_and_new_and_updates);
	tcase_add_test(tc, keys_keep_their_parts_apart);
	tcase_add_test(tc, corrupt_files_are_refused);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
