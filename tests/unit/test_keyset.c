/* Unit tests of keyset: membership across a write and a load, values,
 * sorted merge, and refusal of corrupt files; and the byte format in
 * memory (keyset_serialize, keyset_adopt): round trip, refusals naming the
 * file, and the table's value winning over the loaded one. */
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

/* The byte format in memory: keyset_serialize and keyset_adopt. */
#define MAGIC "brain-keyset 1\n"
#define MAGIC_LEN (sizeof(MAGIC) - 1)
#define RECORD (KEYSET_KEY + 4)

static void key_of(int i, unsigned char k[KEYSET_KEY])
{
	char id[32];

	snprintf(id, sizeof(id), "e%d", i);
	keyset_key("id", id, NULL, k);
}

/* A malloc'd copy of len bytes, as keyset_adopt takes. */
static char *copy(const void *buf, size_t len)
{
	char *out = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(out);
	memcpy(out, buf, len);
	return out;
}

START_TEST(serialize_then_adopt_round_trips)
{
	struct keyset a, b;
	unsigned char k[KEYSET_KEY], *buf, *again;
	size_t len, len2;

	keyset_init(&a);
	for (int i = 0; i < 3000; i++) {
		key_of(i, k);
		keyset_put(&a, k, (uint32_t)(i * 7 + 1));
	}
	buf = keyset_serialize(&a, &len);
	ck_assert_uint_eq(len, MAGIC_LEN + 3000 * RECORD);
	ck_assert(!memcmp(buf, MAGIC, MAGIC_LEN));
	for (size_t i = 1; i < 3000; i++)
		ck_assert_msg(memcmp(buf + MAGIC_LEN + (i - 1) * RECORD, buf + MAGIC_LEN + i * RECORD,
				     KEYSET_KEY) < 0, "record %zu not after its predecessor", i);
	ck_assert_int_eq(keyset_adopt(&b, copy(buf, len), len, "ids.1"), BRAIN_OK);
	ck_assert_uint_eq(b.nsorted, 3000);
	ck_assert_uint_eq(keyset_size(&b), 3000);
	ck_assert_int_eq(b.dirty, 0);
	/* The adopted set serializes to the same bytes. */
	again = keyset_serialize(&b, &len2);
	ck_assert_uint_eq(len2, len);
	ck_assert(!memcmp(again, buf, len));
	free(again);
	for (int i = 0; i < 3000; i++) {
		uint32_t *v;

		key_of(i, k);
		v = keyset_find(&b, k);
		ck_assert_ptr_nonnull(v);
		ck_assert_uint_eq(*v, (uint32_t)(i * 7 + 1));
	}
	key_of(3000, k);
	ck_assert_ptr_null(keyset_find(&b, k));
	free(buf);
	keyset_free(&a);
	keyset_free(&b);
}
END_TEST

START_TEST(values_are_little_endian_after_the_key)
{
	struct keyset a, b;
	unsigned char k[KEYSET_KEY], *buf;
	size_t len;

	keyset_init(&a);
	key_of(1, k);
	keyset_put(&a, k, 0x01020304u);
	buf = keyset_serialize(&a, &len);
	ck_assert_uint_eq(len, MAGIC_LEN + RECORD);
	ck_assert(!memcmp(buf + MAGIC_LEN, k, KEYSET_KEY));
	ck_assert(!memcmp(buf + MAGIC_LEN + KEYSET_KEY, "\x04\x03\x02\x01", 4));
	ck_assert_int_eq(keyset_adopt(&b, copy(buf, len), len, "x"), BRAIN_OK);
	ck_assert_uint_eq(*keyset_find(&b, k), 0x01020304u);
	free(buf);
	keyset_free(&a);
	keyset_free(&b);
}
END_TEST

START_TEST(empty_set_is_the_magic_alone)
{
	struct keyset a, b;
	unsigned char *buf, k[KEYSET_KEY];
	size_t len;

	keyset_init(&a);
	buf = keyset_serialize(&a, &len);
	ck_assert_uint_eq(len, MAGIC_LEN);
	ck_assert(!memcmp(buf, MAGIC, MAGIC_LEN));
	ck_assert_int_eq(keyset_adopt(&b, copy(buf, len), len, "x"), BRAIN_OK);
	ck_assert_uint_eq(keyset_size(&b), 0);
	key_of(0, k);
	ck_assert_ptr_null(keyset_find(&b, k));
	free(buf);
	keyset_free(&a);
	keyset_free(&b);
}
END_TEST

START_TEST(adopt_refuses_what_is_not_a_key_set)
{
	struct keyset a, b;
	unsigned char k[KEYSET_KEY], *good, *bad;
	size_t len;

	keyset_init(&a);
	for (int i = 0; i < 4; i++) {
		key_of(i, k);
		keyset_put(&a, k, (uint32_t)i);
	}
	good = keyset_serialize(&a, &len);
	unit_capture_diag();
	/* Bad magic. */
	bad = (unsigned char *)copy(good, len);
	bad[0] = 'B';
	ck_assert_int_eq(keyset_adopt(&b, (char *)bad, len, "ab/e/ids.3"), BRAIN_STATE);
	ck_assert_str_eq(unit_diag_text(), "brain: ab/e/ids.3: corrupt key set\n");
	ck_assert_uint_eq(keyset_size(&b), 0);
	keyset_free(&b);
	/* Shorter than the magic. */
	unit_capture_diag();
	ck_assert_int_eq(keyset_adopt(&b, copy("brain", 5), 5, "short"), BRAIN_STATE);
	ck_assert_str_eq(unit_diag_text(), "brain: short: corrupt key set\n");
	keyset_free(&b);
	/* A size that is not the magic plus whole records, either way. */
	unit_capture_diag();
	ck_assert_int_eq(keyset_adopt(&b, copy(good, len - 1), len - 1, "cut"), BRAIN_STATE);
	ck_assert_str_eq(unit_diag_text(), "brain: cut: corrupt key set\n");
	keyset_free(&b);
	bad = malloc(len + 3);
	memcpy(bad, good, len);
	memcpy(bad + len, "xyz", 3);
	unit_capture_diag();
	ck_assert_int_eq(keyset_adopt(&b, (char *)bad, len + 3, "long"), BRAIN_STATE);
	ck_assert_str_eq(unit_diag_text(), "brain: long: corrupt key set\n");
	keyset_free(&b);
	/* Two records swapped: out of order. */
	bad = (unsigned char *)copy(good, len);
	memcpy(bad + MAGIC_LEN + 2 * RECORD, good + MAGIC_LEN + 3 * RECORD, RECORD);
	memcpy(bad + MAGIC_LEN + 3 * RECORD, good + MAGIC_LEN + 2 * RECORD, RECORD);
	unit_capture_diag();
	ck_assert_int_eq(keyset_adopt(&b, (char *)bad, len, "ab/e/units.2"), BRAIN_STATE);
	ck_assert_str_eq(unit_diag_text(), "brain: ab/e/units.2: keys out of order\n");
	keyset_free(&b);
	/* A repeated key is out of order too (the format has no duplicates). */
	bad = (unsigned char *)copy(good, len);
	memcpy(bad + MAGIC_LEN + RECORD, good + MAGIC_LEN, RECORD);
	unit_capture_diag();
	ck_assert_int_eq(keyset_adopt(&b, (char *)bad, len, "dup"), BRAIN_STATE);
	ck_assert_str_eq(unit_diag_text(), "brain: dup: keys out of order\n");
	keyset_free(&b);
	/* The good bytes are still good. */
	ck_assert_int_eq(keyset_adopt(&b, copy(good, len), len, "good"), BRAIN_OK);
	ck_assert_uint_eq(keyset_size(&b), 4);
	keyset_free(&b);
	free(good);
	keyset_free(&a);
}
END_TEST

START_TEST(table_value_wins_over_the_loaded_one)
{
	struct keyset a, b, c;
	unsigned char k[3][KEYSET_KEY], *buf;
	size_t len;

	keyset_init(&a);
	for (int i = 0; i < 3; i++)
		key_of(i, k[i]);
	keyset_put(&a, k[0], 1);
	keyset_put(&a, k[1], 2);
	buf = keyset_serialize(&a, &len);
	ck_assert_int_eq(keyset_adopt(&b, (char *)buf, len, "x"), BRAIN_OK);
	/* Put over a loaded key without finding it first: the key is then in
	 * both the array and the table. */
	keyset_put(&b, k[0], 70);
	keyset_put(&b, k[2], 3);
	ck_assert_int_eq(b.dirty, 1);
	ck_assert_uint_eq(keyset_size(&b), 3); /* counted once */
	ck_assert_uint_eq(*keyset_find(&b, k[0]), 70);
	buf = keyset_serialize(&b, &len);
	ck_assert_uint_eq(len, MAGIC_LEN + 3 * RECORD);
	ck_assert_int_eq(keyset_adopt(&c, (char *)buf, len, "y"), BRAIN_OK);
	ck_assert_uint_eq(c.nsorted, 3);
	ck_assert_uint_eq(*keyset_find(&c, k[0]), 70);
	ck_assert_uint_eq(*keyset_find(&c, k[1]), 2);
	ck_assert_uint_eq(*keyset_find(&c, k[2]), 3);
	keyset_free(&a);
	keyset_free(&b);
	keyset_free(&c);
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
	tcase_add_test(tc, serialize_then_adopt_round_trips);
	tcase_add_test(tc, values_are_little_endian_after_the_key);
	tcase_add_test(tc, empty_set_is_the_magic_alone);
	tcase_add_test(tc, adopt_refuses_what_is_not_a_key_set);
	tcase_add_test(tc, table_value_wins_over_the_loaded_one);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
