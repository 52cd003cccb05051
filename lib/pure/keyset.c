/* keyset.c - a sorted array plus an in-memory hash of 16-byte keys; see
 * keyset.h. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pure/hash.h"
#include "pure/keyset.h"
#include "banned.h"

#define MAGIC "brain-keyset 1\n"
#define RECORD (KEYSET_KEY + 4)

void keyset_key(const char *domain, const char *a, const char *b,
		unsigned char key[KEYSET_KEY])
{
	/* NUL separators keep ("ab","c") and ("a","bc") apart. */
	const void *parts[3] = { domain, a, b ? b : "" };
	size_t lens[3] = { strlen(domain) + 1, strlen(a) + 1, b ? strlen(b) + 1 : 1 };
	unsigned char md[32];

	hash_sha256_parts(3, parts, lens, md);
	memcpy(key, md, KEYSET_KEY);
}

void keyset_init(struct keyset *ks)
{
	memset(ks, 0, sizeof(*ks));
}

enum brain_status keyset_adopt(struct keyset *ks, char *buf, size_t len, const char *name)
{
	size_t magic = strlen(MAGIC);

	keyset_init(ks);
	if (len < magic || memcmp(buf, MAGIC, magic) || (len - magic) % RECORD) {
		free(buf);
		return diag_error(BRAIN_STATE, "%s: corrupt key set", name);
	}
	ks->nsorted = (len - magic) / RECORD;
	for (size_t i = 1; i < ks->nsorted; i++)
		if (memcmp(buf + magic + (i - 1) * RECORD, buf + magic + i * RECORD, KEYSET_KEY) >= 0) {
			free(buf);
			return diag_error(BRAIN_STATE, "%s: keys out of order", name);
		}
	memmove(buf, buf + magic, len - magic);
	ks->sorted = (unsigned char *)buf;
	return BRAIN_OK;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static size_t slot_of(const struct keyset *ks, const unsigned char *key)
{
	size_t h;

	memcpy(&h, key, sizeof(h)); /* the key is already a hash */
	return h & (ks->captable - 1);
}

static struct keyset_entry *table_find(struct keyset *ks, const unsigned char *key)
{
	if (!ks->captable)
		return NULL;
	for (size_t i = slot_of(ks, key);; i = (i + 1) & (ks->captable - 1)) {
		if (!ks->table[i].used)
			return NULL;
		if (!memcmp(ks->table[i].key, key, KEYSET_KEY))
			return &ks->table[i];
	}
}

static unsigned char *sorted_find(const struct keyset *ks, const unsigned char *key)
{
	size_t lo = 0, hi = ks->nsorted;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(ks->sorted + mid * RECORD, key, KEYSET_KEY);

		if (c == 0)
			return ks->sorted + mid * RECORD;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

uint32_t *keyset_find(struct keyset *ks, const unsigned char key[KEYSET_KEY])
{
	struct keyset_entry *e = table_find(ks, key);
	unsigned char *rec;

	if (e)
		return &e->value;
	rec = sorted_find(ks, key);
	if (!rec)
		return NULL;
	/* Move it to the table so the caller may change its value. */
	keyset_put(ks, key, get32(rec + KEYSET_KEY));
	return &table_find(ks, key)->value;
}

static void grow(struct keyset *ks)
{
	struct keyset_entry *old = ks->table;
	size_t oldcap = ks->captable;

	ks->captable = oldcap ? oldcap * 2 : 1024;
	ks->table = xcalloc(ks->captable, sizeof(*ks->table));
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].used) {
			size_t j = slot_of(ks, old[i].key);

			while (ks->table[j].used)
				j = (j + 1) & (ks->captable - 1);
			ks->table[j] = old[i];
		}
	free(old);
}

void keyset_put(struct keyset *ks, const unsigned char key[KEYSET_KEY], uint32_t value)
{
	struct keyset_entry *e = table_find(ks, key);

	ks->dirty = 1;
	if (e) {
		e->value = value;
		return;
	}
	if ((ks->ntable + 1) * 2 > ks->captable)
		grow(ks);
	size_t i = slot_of(ks, key);

	while (ks->table[i].used)
		i = (i + 1) & (ks->captable - 1);
	memcpy(ks->table[i].key, key, KEYSET_KEY);
	ks->table[i].value = value;
	ks->table[i].used = 1;
	ks->ntable++;
}

size_t keyset_size(const struct keyset *ks)
{
	size_t n = ks->nsorted;

	for (size_t i = 0; i < ks->captable; i++)
		if (ks->table[i].used && sorted_find(ks, ks->table[i].key))
			n--;
	return n + ks->ntable;
}

static int cmp_entry(const void *a, const void *b)
{
	return memcmp(((const struct keyset_entry *)a)->key,
		      ((const struct keyset_entry *)b)->key, KEYSET_KEY);
}

unsigned char *keyset_serialize(const struct keyset *ks, size_t *len)
{
	struct keyset_entry *fresh = xcalloc(ks->ntable ? ks->ntable : 1, sizeof(*fresh));
	size_t nf = 0, i = 0, j = 0, magic = strlen(MAGIC), at = magic;
	unsigned char *out;

	for (size_t s = 0; s < ks->captable; s++)
		if (ks->table[s].used)
			fresh[nf++] = ks->table[s];
	qsort(fresh, nf, sizeof(*fresh), cmp_entry);
	out = xmalloc(magic + (ks->nsorted + nf) * RECORD);
	memcpy(out, MAGIC, magic);
	/* Merge the loaded records with the new ones; a key in both takes
	 * the value from the table. */
	while (i < ks->nsorted || j < nf) {
		const unsigned char *old = i < ks->nsorted ? ks->sorted + i * RECORD : NULL;
		int c = !old ? 1 : j >= nf ? -1 : memcmp(old, fresh[j].key, KEYSET_KEY);

		if (c < 0) {
			memcpy(out + at, old, RECORD);
			at += RECORD;
			i++;
			continue;
		}
		memcpy(out + at, fresh[j].key, KEYSET_KEY);
		put32(out + at + KEYSET_KEY, fresh[j].value);
		at += RECORD;
		if (c == 0)
			i++;
		j++;
	}
	free(fresh);
	*len = at;
	return out;
}

void keyset_free(struct keyset *ks)
{
	free(ks->sorted);
	free(ks->table);
	keyset_init(ks);
}
