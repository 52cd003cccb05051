/* Unit tests of hash: hex text both ways, and SHA-256 against the test
 * vectors of FIPS 180-2, whole, in pieces and streamed. */
#include "unit.h"

#include "pure/hash.h"

START_TEST(hex_of_every_byte_value_round_trips)
{
	unsigned char bytes[256], back[256];
	char hex[2 * 256 + 1];

	for (int i = 0; i < 256; i++)
		bytes[i] = (unsigned char)i;
	hash_hex(bytes, sizeof(bytes), hex);
	ck_assert_uint_eq(strlen(hex), 512);
	ck_assert(!strncmp(hex, "000102030405060708090a0b0c0d0e0f10", 34));
	ck_assert_str_eq(hex + 500, "fafbfcfdfeff");
	memset(back, 0x55, sizeof(back));
	ck_assert_int_eq(hash_unhex(hex, sizeof(back), back), 0);
	ck_assert(!memcmp(bytes, back, sizeof(bytes)));
}
END_TEST

START_TEST(hex_is_lowercase_and_nul_terminated)
{
	static const unsigned char bytes[] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x0a };
	char hex[13];

	memset(hex, 'X', sizeof(hex));
	hash_hex(bytes, sizeof(bytes), hex);
	ck_assert_str_eq(hex, "deadbeef000a");
	/* No bytes: the empty string. */
	hash_hex(bytes, 0, hex);
	ck_assert_str_eq(hex, "");
}
END_TEST

START_TEST(unhex_accepts_either_case)
{
	unsigned char out[4] = { 0 };

	ck_assert_int_eq(hash_unhex("DeadBEEF", 4, out), 0);
	ck_assert_uint_eq(out[0], 0xde);
	ck_assert_uint_eq(out[1], 0xad);
	ck_assert_uint_eq(out[2], 0xbe);
	ck_assert_uint_eq(out[3], 0xef);
	/* Only 2 * len digits are read: what follows is not looked at. */
	ck_assert_int_eq(hash_unhex("0a0bzz", 2, out), 0);
	ck_assert_uint_eq(out[0], 0x0a);
	ck_assert_uint_eq(out[1], 0x0b);
	ck_assert_int_eq(hash_unhex("", 0, out), 0);
}
END_TEST

START_TEST(unhex_refuses_odd_and_invalid_digits)
{
	static const struct {
		const char *hex;
		size_t len;
	} bad[] = {
		{ "a", 1 },        /* odd: the second digit is the NUL */
		{ "abc", 2 },      /* odd */
		{ "0g", 1 },       /* low digit not hex */
		{ "g0", 1 },       /* high digit not hex */
		{ "zz", 1 },
		{ " 1", 1 },
		{ "-1", 1 },
		{ "0x", 1 },
		{ "1234567x", 4 }, /* the last digit */
		{ "\xc3\xa9", 1 }, /* non-ASCII */
	};
	unsigned char out[8];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(hash_unhex(bad[i].hex, bad[i].len, out) == -1,
			      "'%s' must be refused", bad[i].hex);
}
END_TEST

START_TEST(sha256_of_the_fips_180_2_vectors)
{
	static const char abc448[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[65];

	hash_sha256_hex("", 0, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hash_sha256_hex("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ck_assert_uint_eq(strlen(abc448) * 8, 448);
	hash_sha256_hex(abc448, strlen(abc448), hex);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(sha256_of_a_million_a)
{
	size_t n = 1000000;
	char *a = malloc(n), hex[65];

	ck_assert_ptr_nonnull(a);
	memset(a, 'a', n);
	hash_sha256_hex(a, n, hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}
END_TEST

START_TEST(sha256_counts_every_byte_including_nul)
{
	char with_nul[65], without[65], again[65];

	hash_sha256_hex("abc\0", 4, with_nul);
	hash_sha256_hex("abc", 3, without);
	ck_assert_str_ne(with_nul, without);
	hash_sha256_hex("abc\0", 4, again);
	ck_assert_str_eq(with_nul, again);
	ck_assert_uint_eq(strlen(with_nul), 64);
}
END_TEST

START_TEST(sha256_of_parts_is_that_of_their_concatenation)
{
	static const char abc448[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	const void *parts[3] = { "abcdbcdecdefdefg", "", abc448 + 16 };
	size_t lens[3] = { 16, 0, strlen(abc448) - 16 };
	const void *stream_and_one_shot[1] = { "abc" };
	size_t three = 3;
	struct hash_stream h;
	unsigned char md[32];
	char hex[65];

	hash_sha256_parts(3, parts, lens, md);
	hash_hex(md, 32, hex);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* A one-shot digest in the middle of a stream leaves the stream alone. */
	hash_stream_begin(&h);
	hash_stream_add(&h, "ab", 2);
	hash_sha256_parts(1, stream_and_one_shot, &three, md);
	hash_stream_add(&h, "c", 1);
	hash_stream_end(&h, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hash_hex(md, 32, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("hash");
	TCase *hex = tcase_create("hex");
	TCase *sha = tcase_create("sha256");

	tcase_add_test(hex, hex_of_every_byte_value_round_trips);
	tcase_add_test(hex, hex_is_lowercase_and_nul_terminated);
	tcase_add_test(hex, unhex_accepts_either_case);
	tcase_add_test(hex, unhex_refuses_odd_and_invalid_digits);
	suite_add_tcase(s, hex);

	tcase_add_test(sha, sha256_of_the_fips_180_2_vectors);
	tcase_add_test(sha, sha256_of_a_million_a);
	tcase_add_test(sha, sha256_counts_every_byte_including_nul);
	tcase_add_test(sha, sha256_of_parts_is_that_of_their_concatenation);
	suite_add_tcase(s, sha);
	return s;
}

UNIT_MAIN(suite)
