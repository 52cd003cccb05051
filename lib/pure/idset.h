/*
 * idset.h - a set of record identities, kept small: what brain-ingest
 * holds to tell a duplicate (a record's content and its id are one
 * identity each), so that its memory grows with the identities stored and
 * not with the bytes read.
 *
 * A member is a key of pure/keyset.h (keyset_key: the first 16 bytes of a
 * SHA-256), of which the set keeps 80 bits: the first two bytes choose one
 * of 65,536 buckets, the next eight are kept in that bucket's sorted
 * array.  Two different keys look alike with probability 2^-80, so a
 * lookup among n members errs (calls a new record a duplicate) with
 * probability about n / 2^80: 10^-18 at a million members.  Memory is 8
 * bytes a member plus the arrays' slack (about a quarter) and 1 MiB of
 * buckets: about 20 MiB for two million members, where keyset's hash
 * table takes five times that.
 *
 *     struct idset s;
 *     idset_init(&s);
 *     if (idset_add(&s, key)) ...new...    // 0: it was a member already
 *     if (idset_has(&s, key)) ...
 *     idset_free(&s);
 */
#ifndef BRAIN_IDSET_H
#define BRAIN_IDSET_H

#include <stddef.h>
#include <stdint.h>

#include "pure/keyset.h"

/* The bytes of a key the set looks at (its 80 bits): a copy of a member
 * that keeps these, with the rest zero, is the same member. */
#define IDSET_KEPT 10

struct idset_bucket {
	uint64_t *v;      /* the members' 64 kept bits, ascending; owned */
	uint32_t n;       /* members in the bucket */
	uint32_t cap;     /* room in v */
};

struct idset {
	struct idset_bucket *buckets;   /* 65,536 of them once a member is added; owned */
	size_t count;                   /* members */
};

void idset_init(struct idset *s);

/* 1 when key (KEYSET_KEY bytes, borrowed) is a member, else 0. */
int idset_has(const struct idset *s, const unsigned char *key);

/* Add key: 1 when it is new, 0 when it was a member already. */
int idset_add(struct idset *s, const unsigned char *key);

/* Free what the set holds; it is empty (and usable) afterwards. */
void idset_free(struct idset *s);

#endif
