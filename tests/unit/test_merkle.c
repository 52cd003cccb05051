/* Unit tests of merkle: the incremental tree equals RFC 6962's recursive
 * definition at every size, and known roots. */
#include "unit.h"

#include <openssl/evp.h>

#include "core/audit.h"
#include "pure/merkle.h"

static void leaf_hash(const char *leaf, size_t len, unsigned char out[32])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char zero = 0;
	unsigned int n;

	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	EVP_DigestUpdate(ctx, &zero, 1);
	EVP_DigestUpdate(ctx, leaf, len);
	EVP_DigestFinal_ex(ctx, out, &n);
	EVP_MD_CTX_free(ctx);
}

/* MTH(D[lo:hi]) straight from RFC 6962 section 2.1. */
static void reference_root(char leaves[][16], size_t lo, size_t hi, unsigned char out[32])
{
	size_t n = hi - lo, k = 1;
	unsigned char left[32], right[32], one = 1;
	EVP_MD_CTX *ctx;
	unsigned int len;

	if (n == 1) {
		leaf_hash(leaves[lo], strlen(leaves[lo]), out);
		return;
	}
	while (k * 2 < n)
		k *= 2;
	reference_root(leaves, lo, lo + k, left);
	reference_root(leaves, lo + k, hi, right);
	ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	EVP_DigestUpdate(ctx, &one, 1);
	EVP_DigestUpdate(ctx, left, 32);
	EVP_DigestUpdate(ctx, right, 32);
	EVP_DigestFinal_ex(ctx, out, &len);
	EVP_MD_CTX_free(ctx);
}

START_TEST(incremental_equals_recursive_definition)
{
	static char leaves[70][16];
	struct merkle m;

	merkle_init(&m);
	for (size_t n = 1; n <= 70; n++) {
		unsigned char want[32], have[32];

		snprintf(leaves[n - 1], sizeof(leaves[n - 1]), "line %zu\n", n);
		merkle_add(&m, leaves[n - 1], strlen(leaves[n - 1]));
		reference_root(leaves, 0, n, want);
		merkle_root(&m, have);
		ck_assert_msg(!memcmp(want, have, 32), "root differs at size %zu", n);
		ck_assert_uint_eq(m.size, n);
	}
}
END_TEST

START_TEST(empty_tree_is_hash_of_nothing)
{
	struct merkle m;
	unsigned char root[32];
	char hex[65];

	merkle_init(&m);
	merkle_root(&m, root);
	hash_hex(root, 32, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

START_TEST(one_leaf_is_its_leaf_hash)
{
	struct merkle m;
	unsigned char root[32];
	char hex[65];

	/* SHA-256 of the single byte 0x00: the leaf hash of an empty leaf. */
	merkle_init(&m);
	merkle_add(&m, "", 0);
	merkle_root(&m, root);
	hash_hex(root, 32, hex);
	ck_assert_str_eq(hex, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}
END_TEST

START_TEST(root_can_be_taken_and_adding_go_on)
{
	struct merkle a, b;
	unsigned char ra[32], rb[32];

	merkle_init(&a);
	merkle_init(&b);
	for (int i = 0; i < 13; i++) {
		merkle_add(&a, "x", 1);
		merkle_root(&a, ra); /* taking a root must not disturb the tree */
		merkle_add(&b, "x", 1);
	}
	merkle_root(&a, ra);
	merkle_root(&b, rb);
	ck_assert(!memcmp(ra, rb, 32));
	merkle_add(&b, "y", 1);
	merkle_root(&b, rb);
	ck_assert(memcmp(ra, rb, 32) != 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("merkle");
	TCase *tc = tcase_create("merkle");

	tcase_add_test(tc, incremental_equals_recursive_definition);
	tcase_add_test(tc, empty_tree_is_hash_of_nothing);
	tcase_add_test(tc, one_leaf_is_its_leaf_hash);
	tcase_add_test(tc, root_can_be_taken_and_adding_go_on);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
