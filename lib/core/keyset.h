/*
 * keyset.h - a set of 16-byte keys, each with a 32-bit value, kept in a
 * sorted binary file and extended in memory.
 *
 * brain-ab uses it for the event ids already counted (duplicates are
 * skipped across runs) and for the variant each unit was first seen in
 * (multi-exposure).  Keys are the first 16 bytes of SHA-256 of what they
 * stand for, so a collision is a 2^-64 event even at billions of keys.
 * Memory is 20 bytes per key held: it grows with the distinct ids and
 * units in the state, not with the records read.
 *
 *     struct keyset ks;
 *     keyset_load(&ks, dirfd, "ids");       // missing file: empty set
 *     uint32_t *v = keyset_find(&ks, key);   // NULL when absent
 *     keyset_put(&ks, key, value);           // add or overwrite
 *     keyset_write(&ks, &fr);                // the sorted file, to a file_replace
 *     keyset_free(&ks);
 *
 * File format: "brain-keyset 1\n" then 20-byte records (key, value in
 * little-endian), sorted by key, no duplicates.
 */
#ifndef BRAIN_KEYSET_H
#define BRAIN_KEYSET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "status.h"

#define KEYSET_KEY 16

struct keyset_entry {
	unsigned char key[KEYSET_KEY];
	uint32_t value;
	uint32_t used;   /* slot in use (hash table only) */
};

struct keyset {
	unsigned char *sorted;       /* loaded records, 20 bytes each, owned */
	size_t nsorted;
	struct keyset_entry *table;  /* keys added since loading, owned */
	size_t ntable, captable;
	int dirty;                   /* changed since loading */
};

/* The key of a string with a domain prefix (e.g. "id", "unit"). */
void keyset_key(const char *domain, const char *a, const char *b,
		unsigned char key[KEYSET_KEY]);

void keyset_init(struct keyset *ks);
enum brain_status keyset_load(struct keyset *ks, int dirfd, const char *name);
uint32_t *keyset_find(struct keyset *ks, const unsigned char key[KEYSET_KEY]);
void keyset_put(struct keyset *ks, const unsigned char key[KEYSET_KEY], uint32_t value);
size_t keyset_size(const struct keyset *ks);
/* Write the whole set, sorted, to fp.  0 on success. */
int keyset_write(struct keyset *ks, FILE *fp);
void keyset_free(struct keyset *ks);

#endif
