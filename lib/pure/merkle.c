/* merkle.c - incremental RFC 6962 tree hash; see merkle.h. */
#include <string.h>

#include <openssl/evp.h>

#include "diag.h"
#include "pure/merkle.h"
#include "banned.h"

static void hash_parts(unsigned char prefix, const void *a, size_t alen,
		       const void *b, size_t blen, unsigned char out[32])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int n;

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) ||
	    !EVP_DigestUpdate(ctx, &prefix, 1) || !EVP_DigestUpdate(ctx, a, alen) ||
	    (blen && !EVP_DigestUpdate(ctx, b, blen)) || !EVP_DigestFinal_ex(ctx, out, &n))
		diag_oom();
	EVP_MD_CTX_free(ctx);
}

void merkle_init(struct merkle *m)
{
	memset(m, 0, sizeof(*m));
}

void merkle_add(struct merkle *m, const void *leaf, size_t len)
{
	unsigned char node[32];
	unsigned height = 0;

	hash_parts(0x00, leaf, len, NULL, 0, node);
	/* Merge equal-height subtrees, like carrying in binary addition. */
	while (m->depth > 0 && m->heights[m->depth - 1] == height) {
		hash_parts(0x01, m->stack[m->depth - 1], 32, node, 32, node);
		m->depth--;
		height++;
	}
	memcpy(m->stack[m->depth], node, 32);
	m->heights[m->depth] = height;
	m->depth++;
	m->size++;
}

void merkle_root(const struct merkle *m, unsigned char root[32])
{
	unsigned char acc[32];

	if (m->depth == 0) {
		unsigned int n;

		EVP_Digest("", 0, root, &n, EVP_sha256(), NULL);
		return;
	}
	/* The right edge folds into the larger subtrees on its left. */
	memcpy(acc, m->stack[m->depth - 1], 32);
	for (unsigned i = m->depth - 1; i > 0; i--)
		hash_parts(0x01, m->stack[i - 1], 32, acc, 32, acc);
	memcpy(root, acc, 32);
}
