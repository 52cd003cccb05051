/* Unit tests of checkpoint: keys, signed notes, parsing and verification,
 * checked against openssl(1) where an outside view matters. */
#include "unit.h"

#include <sys/stat.h>

#include "core/audit.h"
#include "core/checkpoint.h"

static const unsigned char root[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
static const char chain[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

static char key_path[4200], pub_path[4200];

static void make_key(void)
{
	const char *dir = unit_tmpdir();

	umask(077);
	snprintf(key_path, sizeof(key_path), "%s/signing", dir);
	snprintf(pub_path, sizeof(pub_path), "%s/signing.pub", dir);
	ck_assert_int_eq(checkpoint_keygen(key_path), BRAIN_OK);
}

START_TEST(keygen_writes_private_0600_and_public_pem)
{
	struct stat sb;
	char *pub;

	make_key();
	ck_assert_int_eq(stat(key_path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	pub = unit_read_file(pub_path);
	ck_assert_ptr_nonnull(strstr(pub, "-----BEGIN PUBLIC KEY-----"));
	free(pub);
	unit_capture_diag();
	ck_assert_int_eq(checkpoint_keygen(key_path), BRAIN_IO); /* never overwrites */
}
END_TEST

START_TEST(signed_note_has_the_c2sp_form)
{
	char *note;

	make_key();
	ck_assert_int_eq(checkpoint_sign(key_path, "host/brain", 50, root, chain, &note), BRAIN_OK);
	ck_assert(!strncmp(note, "host/brain\n50\n", 14));
	ck_assert_ptr_nonnull(strstr(note, "\nchain aaaa"));
	ck_assert_ptr_nonnull(strstr(note, "\n\n\xe2\x80\x94 host/brain "));
	ck_assert_int_eq(note[strlen(note) - 1], '\n');
	free(note);
}
END_TEST

START_TEST(note_round_trips_and_verifies)
{
	struct checkpoint cp;
	char *note;

	make_key();
	ck_assert_int_eq(checkpoint_sign(key_path, "host/brain", 50, root, chain, &note), BRAIN_OK);
	ck_assert_int_eq(checkpoint_parse(note, strlen(note), "n", &cp), BRAIN_OK);
	ck_assert_str_eq(cp.origin, "host/brain");
	ck_assert_uint_eq(cp.size, 50);
	ck_assert(!memcmp(cp.root, root, 32));
	ck_assert_str_eq(cp.chain, chain);
	ck_assert_int_eq(checkpoint_verify(&cp, pub_path), BRAIN_OK);
	cp.size = 51; /* a note about another size does not verify */
	ck_assert_int_eq(checkpoint_verify(&cp, pub_path), BRAIN_NO);
	free(note);
}
END_TEST

START_TEST(another_key_does_not_verify)
{
	struct checkpoint cp;
	char other[4300], other_pub[4400], *note;

	make_key();
	snprintf(other, sizeof(other), "%s.other", key_path);
	snprintf(other_pub, sizeof(other_pub), "%s.pub", other);
	ck_assert_int_eq(checkpoint_keygen(other), BRAIN_OK);
	ck_assert_int_eq(checkpoint_sign(key_path, "o", 3, root, chain, &note), BRAIN_OK);
	ck_assert_int_eq(checkpoint_parse(note, strlen(note), "n", &cp), BRAIN_OK);
	ck_assert_int_eq(checkpoint_verify(&cp, other_pub), BRAIN_NO);
	free(note);
}
END_TEST

START_TEST(malformed_notes_are_refused_with_the_line)
{
	static const char *const bad[] = {
		"",
		"o\n3\n",
		"o\nx\nAAAA\nchain aa\n\n\xe2\x80\x94 o AAAA\n",
		"o\n03\nAQIDBAUGBwgJCgAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nchain aa\n\n\xe2\x80\x94 o AAAA\n",
		"o\n3\nnot base64!\nchain aa\n\n\xe2\x80\x94 o AAAA\n",
	};
	struct checkpoint cp;

	unit_capture_diag();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_int_eq(checkpoint_parse(bad[i], strlen(bad[i]), "note", &cp), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "note:2: bad tree size"));
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "note:3: bad root hash"));
}
END_TEST

START_TEST(openssl_verifies_our_signature)
{
	char *note, cmd[20000], dir[4200];
	FILE *fp;

	make_key();
	snprintf(dir, sizeof(dir), "%s", unit_dir_path);
	ck_assert_int_eq(checkpoint_sign(key_path, "host/brain", 7, root, chain, &note), BRAIN_OK);
	snprintf(cmd, sizeof(cmd), "%s/note", dir);
	fp = fopen(cmd, "w");
	fputs(note, fp);
	fclose(fp);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && head -n 4 note > body && sed -n 6p note | cut -d' ' -f3 | "
		 "base64 -d | tail -c 64 > sig && openssl pkeyutl -verify -pubin "
		 "-inkey signing.pub -rawin -in body -sigfile sig > /dev/null", dir);
	ck_assert_int_eq(system(cmd), 0);
	/* and refuses a changed body */
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && sed -i 2s/7/8/ body && ! openssl pkeyutl -verify -pubin "
		 "-inkey signing.pub -rawin -in body -sigfile sig > /dev/null 2>&1", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(note);
}
END_TEST

START_TEST(key_id_is_sha256_of_origin_newline_type_and_key)
{
	unsigned char pub[32] = { 0 }, id[4];
	char hex[9];

	/* sha256("o" 0x0a 0x01 + 32 zero bytes), first four bytes, computed
	 * independently with: printf 'o\n\001' | cat - <(head -c 32 /dev/zero) | sha256sum */
	checkpoint_key_id("o", pub, id);
	hash_hex(id, 4, hex);
	FILE *p = popen("printf 'o\\n\\001' | cat - /dev/zero | head -c 35 | sha256sum | cut -c1-8", "r");
	char want[16] = "";

	ck_assert_ptr_nonnull(fgets(want, sizeof(want), p));
	pclose(p);
	want[8] = '\0';
	ck_assert_str_eq(hex, want);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("checkpoint");
	TCase *tc = tcase_create("checkpoint");

	tcase_add_test(tc, keygen_writes_private_0600_and_public_pem);
	tcase_add_test(tc, signed_note_has_the_c2sp_form);
	tcase_add_test(tc, note_round_trips_and_verifies);
	tcase_add_test(tc, another_key_does_not_verify);
	tcase_add_test(tc, malformed_notes_are_refused_with_the_line);
	tcase_add_test(tc, openssl_verifies_our_signature);
	tcase_add_test(tc, key_id_is_sha256_of_origin_newline_type_and_key);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
