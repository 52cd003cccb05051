/* merkle.c - incremental RFC 6962 tree hash; see merkle.h. */
#include <string.h>

#include "diag.h"
#include "pure/hash.h"
#include "pure/merkle.h"
#include "banned.h"

/* SHA-256 of prefix, a and b: through pure/hash, which fetches the
 * digest once (a fetch per node would cost more than the hashing). */
static void hash_parts(unsigned char prefix, const void *a, size_t alen,
		       const void *b, size_t blen, unsigned char out[32])
{
	const void *data[3] = { &prefix, a, b };
	const size_t len[3] = { 1, alen, blen };

	hash_sha256_parts(blen ? 3 : 2, data, len, out);
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
		const void *none = "";
		const size_t zero = 0;

		hash_sha256_parts(1, &none, &zero, root);
		return;
	}
	/* The right edge folds into the larger subtrees on its left. */
	memcpy(acc, m->stack[m->depth - 1], 32);
	for (unsigned i = m->depth - 1; i > 0; i--)
		hash_parts(0x01, m->stack[i - 1], 32, acc, 32, acc);
	memcpy(root, acc, 32);
}
