/* idset.c - record identities in 65,536 sorted arrays; see idset.h. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pure/idset.h"
#include "banned.h"

#define BUCKETS 65536

static size_t bucket_of(const unsigned char *key)
{
	return (size_t)key[0] << 8 | key[1];
}

static uint64_t kept_bits(const unsigned char *key)
{
	uint64_t v = 0;

	for (int i = 2; i < IDSET_KEPT; i++)
		v = v << 8 | key[i];
	return v;
}

/* The first position in b whose value is not below v. */
static uint32_t lower_bound(const struct idset_bucket *b, uint64_t v)
{
	uint32_t lo = 0, hi = b->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (b->v[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void idset_init(struct idset *s)
{
	memset(s, 0, sizeof(*s));
}

int idset_has(const struct idset *s, const unsigned char *key)
{
	const struct idset_bucket *b;
	uint64_t v = kept_bits(key);
	uint32_t at;

	if (!s->buckets)
		return 0;
	b = &s->buckets[bucket_of(key)];
	at = lower_bound(b, v);
	return at < b->n && b->v[at] == v;
}

int idset_add(struct idset *s, const unsigned char *key)
{
	struct idset_bucket *b;
	uint64_t v = kept_bits(key);
	uint32_t at;

	if (!s->buckets)
		s->buckets = xcalloc(BUCKETS, sizeof(*s->buckets));
	b = &s->buckets[bucket_of(key)];
	at = lower_bound(b, v);
	if (at < b->n && b->v[at] == v)
		return 0;
	if (b->n == b->cap) {
		/* Growing by half keeps the slack near a quarter of the members. */
		if (b->cap > UINT32_MAX / 2)
			diag_oom();
		b->cap = b->cap ? b->cap + b->cap / 2 + 1 : 2;
		b->v = xrealloc(b->v, (size_t)b->cap * sizeof(*b->v));
	}
	memmove(b->v + at + 1, b->v + at, (size_t)(b->n - at) * sizeof(*b->v));
	b->v[at] = v;
	b->n++;
	s->count++;
	return 1;
}

void idset_free(struct idset *s)
{
	if (s->buckets)
		for (size_t i = 0; i < BUCKETS; i++)
			free(s->buckets[i].v);
	free(s->buckets);
	idset_init(s);
}
