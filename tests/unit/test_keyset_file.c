/* Unit tests of keyset_file: key sets in files of the state directory.  A
 * missing file is an empty set, a written set loads back whole, and a
 * truncated or otherwise damaged file is corrupt state (BRAIN_STATE),
 * named in the message. */
#include "unit.h"

#include "core/keyset_file.h"

static int dirfd_of_tmp(void)
{
	int fd = open(unit_tmpdir(), O_RDONLY | O_DIRECTORY);

	ck_assert_int_ge(fd, 0);
	return fd;
}

static const char *path_of(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/%s", unit_dir_path, name);
	return path;
}

static void key_of(const char *kind, int i, unsigned char k[KEYSET_KEY])
{
	char unit[32];

	snprintf(unit, sizeof(unit), "L%d", i);
	keyset_key("unit", kind, unit, k);
}

/* Write ks to name with keyset_write; returns its size in bytes. */
static long write_set(const struct keyset *ks, const char *name)
{
	FILE *fp = fopen(path_of(name), "w");
	long size;

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(keyset_write(ks, fp), 0);
	size = ftell(fp);
	ck_assert_int_eq(fclose(fp), 0);
	return size;
}

START_TEST(missing_file_is_an_empty_set)
{
	int dirfd = dirfd_of_tmp();
	struct keyset ks;
	unsigned char k[KEYSET_KEY];

	unit_capture_diag();
	ck_assert_int_eq(keyset_load(&ks, dirfd, "ids.7"), BRAIN_OK);
	ck_assert_str_eq(unit_diag_text(), ""); /* nothing to report */
	ck_assert_uint_eq(keyset_size(&ks), 0);
	ck_assert_uint_eq(ks.nsorted, 0);
	ck_assert_int_eq(ks.dirty, 0);
	key_of("script", 1, k);
	ck_assert_ptr_null(keyset_find(&ks, k));
	/* It is a set like any other from there. */
	keyset_put(&ks, k, 4);
	ck_assert_uint_eq(*keyset_find(&ks, k), 4);
	keyset_free(&ks);
	close(dirfd);
}
END_TEST

START_TEST(written_set_loads_back)
{
	int dirfd = dirfd_of_tmp();
	struct keyset a, b;
	unsigned char k[KEYSET_KEY];
	long size;

	keyset_init(&a);
	for (int i = 0; i < 2500; i++) {
		key_of(i % 2 ? "script" : "channel", i, k);
		keyset_put(&a, k, (uint32_t)(i % 5) | (i % 3 ? 0 : 0x80000000u));
	}
	size = write_set(&a, "units.1");
	ck_assert_int_eq(size, 15 + 2500 * 20);
	ck_assert_int_eq(keyset_load(&b, dirfd, "units.1"), BRAIN_OK);
	ck_assert_uint_eq(b.nsorted, 2500);
	ck_assert_uint_eq(keyset_size(&b), 2500);
	for (int i = 0; i < 2500; i++) {
		uint32_t *v;

		key_of(i % 2 ? "script" : "channel", i, k);
		v = keyset_find(&b, k);
		ck_assert_ptr_nonnull(v);
		ck_assert_uint_eq(*v, (uint32_t)(i % 5) | (i % 3 ? 0 : 0x80000000u));
	}
	/* Same unit, other kind: another key, absent. */
	key_of("script", 0, k);
	ck_assert_ptr_null(keyset_find(&b, k));
	/* Loaded, extended and written again: old and new together. */
	key_of("offer", 1, k);
	keyset_put(&b, k, 9);
	write_set(&b, "units.2");
	keyset_free(&a);
	ck_assert_int_eq(keyset_load(&a, dirfd, "units.2"), BRAIN_OK);
	ck_assert_uint_eq(a.nsorted, 2501);
	ck_assert_uint_eq(*keyset_find(&a, k), 9);
	keyset_free(&a);
	keyset_free(&b);
	close(dirfd);
}
END_TEST

START_TEST(empty_set_written_loads_empty)
{
	int dirfd = dirfd_of_tmp();
	struct keyset a, b;
	char *text;

	keyset_init(&a);
	ck_assert_int_eq(write_set(&a, "ids.1"), 15);
	text = unit_read_file(path_of("ids.1"));
	ck_assert_str_eq(text, "brain-keyset 1\n");
	free(text);
	ck_assert_int_eq(keyset_load(&b, dirfd, "ids.1"), BRAIN_OK);
	ck_assert_uint_eq(keyset_size(&b), 0);
	keyset_free(&a);
	keyset_free(&b);
	close(dirfd);
}
END_TEST

START_TEST(truncated_file_is_corrupt_state)
{
	int dirfd = dirfd_of_tmp();
	struct keyset a, b;
	unsigned char k[KEYSET_KEY];
	long size;

	keyset_init(&a);
	for (int i = 0; i < 10; i++) {
		key_of("script", i, k);
		keyset_put(&a, k, (uint32_t)i);
	}
	size = write_set(&a, "ids.3");
	/* Cut in the middle of the last record, then inside the magic, then to
	 * nothing at all. */
	ck_assert_int_eq(truncate(path_of("ids.3"), size - 7), 0);
	unit_capture_diag();
	ck_assert_int_eq(keyset_load(&b, dirfd, "ids.3"), BRAIN_STATE);
	ck_assert_str_eq(unit_diag_text(), "brain: ids.3: corrupt key set\n");
	ck_assert_uint_eq(keyset_size(&b), 0);
	keyset_free(&b);
	ck_assert_int_eq(truncate(path_of("ids.3"), 6), 0);
	unit_capture_diag();
	ck_assert_int_eq(keyset_load(&b, dirfd, "ids.3"), BRAIN_STATE);
	ck_assert_str_eq(unit_diag_text(), "brain: ids.3: corrupt key set\n");
	keyset_free(&b);
	ck_assert_int_eq(truncate(path_of("ids.3"), 0), 0);
	ck_assert_int_eq(keyset_load(&b, dirfd, "ids.3"), BRAIN_STATE);
	keyset_free(&b);
	/* Cut at a record boundary it is a smaller set, still well formed. */
	write_set(&a, "ids.4");
	ck_assert_int_eq(truncate(path_of("ids.4"), size - 20), 0);
	ck_assert_int_eq(keyset_load(&b, dirfd, "ids.4"), BRAIN_OK);
	ck_assert_uint_eq(b.nsorted, 9);
	keyset_free(&b);
	keyset_free(&a);
	close(dirfd);
}
END_TEST

START_TEST(damaged_or_foreign_files_are_refused)
{
	int dirfd = dirfd_of_tmp();
	struct keyset a, b;
	unsigned char k[KEYSET_KEY], bytes[256], rec[20];
	FILE *fp;

	keyset_init(&a);
	for (int i = 0; i < 3; i++) {
		key_of("script", i, k);
		keyset_put(&a, k, (uint32_t)i);
	}
	write_set(&a, "units.5");
	/* Swap the first and last records: the keys are out of order. */
	fp = fopen(path_of("units.5"), "r+");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fread(bytes, 1, sizeof(bytes), fp), 15 + 3 * 20);
	memcpy(rec, bytes + 15, 20);
	memcpy(bytes + 15, bytes + 15 + 2 * 20, 20);
	memcpy(bytes + 15 + 2 * 20, rec, 20);
	rewind(fp);
	ck_assert_uint_eq(fwrite(bytes, 1, 15 + 3 * 20, fp), 15 + 3 * 20);
	ck_assert_int_eq(fclose(fp), 0);
	unit_capture_diag();
	ck_assert_int_eq(keyset_load(&b, dirfd, "units.5"), BRAIN_STATE);
	ck_assert_str_eq(unit_diag_text(), "brain: units.5: keys out of order\n");
	keyset_free(&b);
	/* Another format version. */
	unit_write_file(path_of("units.6"), "brain-keyset 2\n");
	unit_capture_diag();
	ck_assert_int_eq(keyset_load(&b, dirfd, "units.6"), BRAIN_STATE);
	ck_assert_str_eq(unit_diag_text(), "brain: units.6: corrupt key set\n");
	keyset_free(&b);
	/* A directory where the file should be. */
	ck_assert_int_eq(mkdir(path_of("units.7"), 0700), 0);
	unit_capture_diag();
	ck_assert_int_eq(keyset_load(&b, dirfd, "units.7"), BRAIN_STATE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "units.7"));
	keyset_free(&b);
	keyset_free(&a);
	close(dirfd);
}
END_TEST

START_TEST(write_error_is_reported)
{
	struct keyset a;
	unsigned char k[KEYSET_KEY];
	FILE *fp;

	unit_tmpdir();
	unit_write_file(path_of("ro"), "");
	keyset_init(&a);
	key_of("script", 1, k);
	keyset_put(&a, k, 1);
	fp = fopen(path_of("ro"), "r"); /* not open for writing */
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(keyset_write(&a, fp), -1);
	fclose(fp);
	keyset_free(&a);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("keyset_file");
	TCase *tc = tcase_create("keyset_file");

	tcase_add_test(tc, missing_file_is_an_empty_set);
	tcase_add_test(tc, written_set_loads_back);
	tcase_add_test(tc, empty_set_written_loads_empty);
	tcase_add_test(tc, truncated_file_is_corrupt_state);
	tcase_add_test(tc, damaged_or_foreign_files_are_refused);
	tcase_add_test(tc, write_error_is_reported);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
