/*
 * merkle.h - the RFC 6962 Merkle tree hash over audit log lines, built
 * incrementally so that a log of any length is hashed in one pass with
 * memory logarithmic in its size.
 *
 *     struct merkle m;
 *     merkle_init(&m);
 *     for each line: merkle_add(&m, line, len);     // leaf = line incl. LF
 *     merkle_root(&m, root);                        // root of lines 1..n
 *
 * Leaf hash: SHA-256(0x00 || leaf); node hash: SHA-256(0x01 || left ||
 * right); the tree over n leaves splits at the largest power of two below
 * n.  The empty tree's root is SHA-256 of nothing.  merkle_root may be
 * called at any size and adding may go on afterwards.
 */
#ifndef BRAIN_MERKLE_H
#define BRAIN_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define MERKLE_MAX_HEIGHT 64

struct merkle {
	uint64_t size;                              /* leaves added */
	unsigned char stack[MERKLE_MAX_HEIGHT][32]; /* roots of full subtrees, largest first */
	unsigned heights[MERKLE_MAX_HEIGHT];        /* their heights */
	unsigned depth;                             /* entries in stack */
};

void merkle_init(struct merkle *m);
void merkle_add(struct merkle *m, const void *leaf, size_t len);
void merkle_root(const struct merkle *m, unsigned char root[32]);

#endif
