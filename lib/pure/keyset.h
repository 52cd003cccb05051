/*
 * keyset.h - a set of 16-byte keys, each with a 32-bit value: a sorted
 * array (as loaded from its file) extended by an in-memory hash table.
 * The file is read and written by core/keyset_file.h.
 *
 * brain-ab uses it for the event ids already counted (duplicates are
 * skipped across runs) and for the variant each unit was first seen in
 * (multi-exposure).  Keys are the first 16 bytes of SHA-256 of what they
 * stand for, so a collision is a 2^-64 event even at billions of keys.
 * Memory is 20 bytes per key held: it grows with the distinct ids and
 * units in the state, not with the records read.
 *
 *     struct keyset ks;
 *     keyset_load(&ks, dirfd, "ids");       // core/keyset_file.h; missing: empty
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

/* Take buf (len bytes of the file format below, malloc'd; owned by ks from
 * now on, freed on failure) as the loaded set.  BRAIN_STATE (reported,
 * naming name) when it is not a key set or its keys are out of order. */
enum brain_status keyset_adopt(struct keyset *ks, char *buf, size_t len, const char *name);
uint32_t *keyset_find(struct keyset *ks, const unsigned char key[KEYSET_KEY]);
void keyset_put(struct keyset *ks, const unsigned char key[KEYSET_KEY], uint32_t value);
size_t keyset_size(const struct keyset *ks);
/* The whole set, sorted, in the file format, in a new buffer of *len
 * bytes (caller frees). */
unsigned char *keyset_serialize(const struct keyset *ks, size_t *len);
void keyset_free(struct keyset *ks);

#endif
