/* ab_fold.c - folding events into per-variant tallies; see ab_fold.h. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pure/ab_assign.h"
#include "pure/ab_fold.h"
#include "diag.h"
#include "banned.h"

#define MULTI_FLAG 0x80000000u
#define MAX_COUNT 9007199254740992.0 /* counts stay exact in a double */

/* Which text of a variant an index table is keyed on. */
enum index_field { INDEX_NAME, INDEX_ID, INDEX_KIND, INDEX_FIELDS };

#define INDEX_INLINE 15 /* the longest key a slot holds itself */

/* One slot of an open-addressed table: the key's hash, the variant (from
 * 1; 0 is an empty slot) and, when it is short, the key itself, so that a
 * probe reads no variant and no string of the heap: with many variants
 * those are cache misses. */
struct index_slot {
	uint32_t hash, at;
	unsigned char len;    /* of key; INDEX_INLINE + 1: longer, not kept here */
	char key[INDEX_INLINE];
};

/* A table: linear probing over a power of two of slots, grown to twice
 * the size at half full. */
struct index_table {
	struct index_slot *slot;
	size_t mask, used;    /* slots - 1; keys held */
};

/* The index of a set: a table per field (name, id, kind) to the first
 * variant with it, and the first variant of each variant's kind, so that
 * a record's kind is checked without reading the variant's. */
struct ab_index {
	struct index_table table[INDEX_FIELDS];
	uint32_t *kind_first; /* cap of them */
	size_t cap;
};

/* A key looked up: its text, length and hash. */
struct index_key {
	const char *text;
	size_t len;
	uint32_t hash;
};

/* Whether a and b are the same text: for the short names compared per
 * event, a loop here costs less than a call to strcmp. */
static int same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* The mixing after FNV-1a: the low bits pick a slot. */
static uint32_t index_mix(uint64_t h)
{
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9u;
	h ^= h >> 32;
	return (uint32_t)h;
}

/* FNV-1a over the bytes of text, then mixed: one pass that finds the
 * length as it hashes (index_key_n after a strlen costs 2-3% of tally). */
static struct index_key index_key(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	uint64_t h = 0xcbf29ce484222325u;

	for (; *p; p++)
		h = (h ^ *p) * 0x100000001b3u;
	return (struct index_key){ text, (size_t)(p - (const unsigned char *)text), index_mix(h) };
}

/* The same key for n bytes of text that need not end in a NUL. */
static struct index_key index_key_n(const char *text, size_t n)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)text[i]) * 0x100000001b3u;
	return (struct index_key){ text, n, index_mix(h) };
}

static const char *index_text(const struct ab_variant *v, enum index_field f)
{
	return f == INDEX_NAME ? v->name : f == INDEX_ID ? v->id : v->kind;
}

static void index_free(struct ab_index *x)
{
	if (!x)
		return;
	for (int f = 0; f < INDEX_FIELDS; f++)
		free(x->table[f].slot);
	free(x->kind_first);
	free(x);
}

/* Whether slot e holds key k (of field f; v the variants). */
static int index_holds(const struct index_slot *e, const struct ab_variant *v,
		       enum index_field f, const struct index_key *k)
{
	if (e->hash != k->hash)
		return 0;
	if (e->len <= INDEX_INLINE)
		return e->len == k->len && !memcmp(e->key, k->text, k->len);
	return k->len > INDEX_INLINE && !strcmp(index_text(&v[e->at - 1], f), k->text);
}

/* The slot of k in field f's table: the one holding it, else the empty
 * one where it would go. */
static struct index_slot *index_slot(const struct ab_index *x, const struct ab_variant *v,
				     enum index_field f, const struct index_key *k)
{
	const struct index_table *t = &x->table[f];

	for (size_t i = k->hash & t->mask;; i = (i + 1) & t->mask) {
		struct index_slot *e = &t->slot[i];

		if (!e->at || index_holds(e, v, f, k))
			return e;
	}
}

/* t at twice its slots: the keys moved by their hashes, no string read. */
static void index_grow(struct index_table *t)
{
	struct index_table old = *t;

	t->mask = 2 * (old.mask + 1) - 1;
	t->slot = xcalloc(t->mask + 1, sizeof(*t->slot));
	for (size_t i = 0; i <= old.mask; i++) {
		size_t at;

		if (!old.slot[i].at)
			continue;
		for (at = old.slot[i].hash & t->mask; t->slot[at].at; at = (at + 1) & t->mask)
			;
		t->slot[at] = old.slot[i];
	}
	free(old.slot);
}

/* Enter variant at (of the variants v) in each table, unless its text is
 * there already. */
static void index_variant(struct ab_index *x, const struct ab_variant *v, size_t at)
{
	if (at >= x->cap) {
		x->cap = x->cap ? 2 * x->cap : 64;
		x->kind_first = xrealloc(x->kind_first, x->cap * sizeof(*x->kind_first));
	}
	for (int f = 0; f < INDEX_FIELDS; f++) {
		struct index_key k = index_key(index_text(&v[at], (enum index_field)f));
		struct index_table *t = &x->table[f];
		struct index_slot *e;

		/* An id that is its variant's name is found by the name:
		 * ab_set_find looks ids up only for a text no name has. */
		if (f == INDEX_ID && (!k.len || !strcmp(v[at].id, v[at].name)))
			continue;
		if (2 * (t->used + 1) > t->mask + 1)
			index_grow(t);
		e = index_slot(x, v, (enum index_field)f, &k);
		if (!e->at) {
			e->hash = k.hash;
			e->at = (uint32_t)at + 1;
			e->len = k.len <= INDEX_INLINE ? (unsigned char)k.len : INDEX_INLINE + 1;
			if (k.len <= INDEX_INLINE)
				memcpy(e->key, k.text, k.len);
			t->used++;
		}
		if (f == INDEX_KIND)
			x->kind_first[at] = e->at - 1;
	}
}

/* The index of s, made when first used. */
static struct ab_index *index_of(struct ab_set *s)
{
	if (!s->index) {
		s->index = xcalloc(1, sizeof(*s->index));
		for (int f = 0; f < INDEX_FIELDS; f++) {
			s->index->table[f].mask = 15;
			s->index->table[f].slot = xcalloc(16, sizeof(struct index_slot));
		}
	}
	return s->index;
}

/* The first variant whose field f is text, or -1. */
static int index_find(const struct ab_set *s, enum index_field f, const char *text)
{
	struct index_key k = index_key(text);
	const struct index_slot *e;

	if (!s->index)
		return -1;
	e = index_slot(s->index, s->v, f, &k);
	return e->at ? (int)e->at - 1 : -1;
}

/* Whether variant at is of kind. */
static int variant_is_kind(const struct ab_set *s, int at, const char *kind)
{
	int first;

	/* A few variants: their kinds are in cache, and comparing costs
	 * less than hashing. */
	if (s->n <= 8)
		return same(s->v[at].kind, kind);
	first = index_find(s, INDEX_KIND, kind);

	return first >= 0 && s->index->kind_first[at] == (uint32_t)first;
}

int ab_set_find(const struct ab_set *s, const char *name)
{
	int at;

	/* A few variants, the usual case: comparing is cheaper than hashing. */
	if (s->n <= 8) {
		for (size_t i = 0; i < s->n; i++)
			if (same(s->v[i].name, name))
				return (int)i;
		for (size_t i = 0; i < s->n; i++)
			if (same(s->v[i].id, name))
				return (int)i;
		return -1;
	}
	at = index_find(s, INDEX_NAME, name);
	return at >= 0 ? at : index_find(s, INDEX_ID, name);
}

/* ---- the look ahead (ab_ahead in ab_fold.h) ---------------------------- */

/* Lines ahead whose variant is sought: the slot at AB_AHEAD, the variant
 * at AB_AHEAD / 2, its cell at 1; each stage's memory has had that many
 * records' time to arrive. */
#define AHEAD_VARIANT (AB_AHEAD / 2)

void ab_ahead_init(struct ab_ahead *a)
{
	memset(a, 0, sizeof(*a));
	for (size_t i = 0; i < AB_AHEAD; i++)
		a->ring[i].line = -1;
}

/* The text of the "variant" member of a line, as written between its
 * quotes, when it is plain (no escape) and short enough for a slot to
 * hold: a hint only, so any other line gets none. */
static int ahead_name(const char *line, size_t len, const char **name, size_t *n)
{
	static const char key[] = "\"variant\"";
	const size_t klen = sizeof(key) - 1;
	const char *p = line, *end = line + len, *q;

	while ((p = memchr(p, '"', (size_t)(end - p))) && (size_t)(end - p) > klen) {
		if (memcmp(p, key, klen)) {
			p++;
			continue;
		}
		for (p += klen; p < end && (*p == ' ' || *p == ':'); p++)
			;
		if (p >= end || *p != '"')
			return 0;
		p++;
		q = memchr(p, '"', (size_t)(end - p));
		if (!q || q == p || (size_t)(q - p) > INDEX_INLINE || memchr(p, '\\', (size_t)(q - p)))
			return 0;
		*name = p;
		*n = (size_t)(q - p);
		return 1;
	}
	return 0;
}

/* Start the slot of the next line of the region not yet looked at, if
 * the region holds it whole; 0 when it does not. */
static int ahead_scan(struct ab_ahead *a, const struct ab_set *s, long line,
		      const char *region, size_t len)
{
	const struct index_table *t = &s->index->table[INDEX_NAME];
	struct ab_ahead_line *e;
	const char *start, *lf, *name;
	size_t n;

	if (!region || a->off >= len || !(lf = memchr(start = region + a->off, '\n', len - a->off)))
		return 0;
	a->off += (size_t)(lf - start) + 1;
	e = &a->ring[line % AB_AHEAD];
	e->line = line;
	e->at = -1;
	e->len = 0;
	if (ahead_name(start, (size_t)(lf - start), &name, &n)) {
		struct index_key k = index_key_n(name, n);

		e->hash = k.hash;
		e->len = (unsigned char)n;
		memcpy(e->key, name, n);
		__builtin_prefetch(&t->slot[k.hash & t->mask]);
	}
	return 1;
}

void ab_ahead_step(struct ab_ahead *a, const struct ab_set *s, long line, size_t consumed,
		   const char *region, size_t len)
{
	struct ab_ahead_line *e;

	/* The region began with the line just returned: offsets move.  A
	 * line not looked at yet starts the look ahead again after it. */
	if (a->scanned >= line && a->off >= consumed) {
		a->off -= consumed;
	} else {
		a->off = 0;
		a->scanned = line;
	}
	if (s->n <= 8 || !s->index)
		return;
	/* The cell of the next line's variant, found two stages ago. */
	e = &a->ring[(line + 1) % AB_AHEAD];
	if (e->line == line + 1 && e->at >= 0 && (size_t)e->at < s->n) {
		const struct ab_variant *v = &s->v[e->at];

		/* Both ends of what an event reads of it, which may lie
		 * across two lines. */
		if (v->last < v->ncells) {
			__builtin_prefetch(&v->cells[v->last], 1);
			__builtin_prefetch(&v->cells[v->last].t.conversions, 1);
		}
	}
	/* The variant of the line halfway: its slot has come in. */
	e = &a->ring[(line + AHEAD_VARIANT) % AB_AHEAD];
	if (e->line == line + AHEAD_VARIANT && e->len) {
		struct index_key k = { e->key, e->len, e->hash };
		const struct index_slot *slot = index_slot(s->index, s->v, INDEX_NAME, &k);

		if (slot->at) {
			e->at = (int)slot->at - 1;
			__builtin_prefetch(&s->v[e->at], 1);
		}
	}
	/* New lines up to AB_AHEAD ahead. */
	while (a->scanned < line + AB_AHEAD && ahead_scan(a, s, a->scanned + 1, region, len))
		a->scanned++;
}

int ab_ahead_variant(const struct ab_ahead *a, long line)
{
	const struct ab_ahead_line *e = &a->ring[line % AB_AHEAD];

	return e->line == line ? e->at : -1;
}

void ab_set_init(struct ab_set *s, const char *experiment)
{
	memset(s, 0, sizeof(*s));
	s->experiment = xstrdup(experiment);
	if (ident_slug(experiment, s->experiment_id))
		s->experiment_id[0] = '\0';
	keyset_init(&s->ids);
	keyset_init(&s->units);
}

void ab_set_free(struct ab_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].kind);
		for (size_t j = 0; j < s->v[i].ncells; j++) {
			free(s->v[i].cells[j].dim);
			free(s->v[i].cells[j].value);
		}
		free(s->v[i].cells);
	}
	for (size_t i = 0; i < s->nguards; i++)
		free(s->guards[i]);
	for (size_t i = 0; i < s->nbatches; i++)
		free(s->batches[i]);
	free(s->batches);
	for (size_t i = 0; i < s->nkeyed; i++)
		free(s->keyed[i].key);
	free(s->keyed);
	for (size_t i = 0; i < s->nseeds; i++) {
		free(s->seeds[i].kind);
		free(s->seeds[i].seed);
	}
	free(s->seeds);
	for (size_t i = 0; i < s->ndecided; i++) {
		free(s->decided[i].kind);
		free(s->decided[i].variant);
		cJSON_Delete(s->decided[i].evidence);
	}
	free(s->decided);
	index_free(s->index);
	free(s->v);
	free(s->experiment);
	keyset_free(&s->ids);
	keyset_free(&s->units);
	memset(s, 0, sizeof(*s));
}


size_t ab_set_add(struct ab_set *s, const char *name, const char *kind, double weight,
		  const char *created)
{
	struct ab_variant *v;
	int first = index_find(s, INDEX_KIND, kind) < 0;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	v = &s->v[s->n];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(name);
	if (ident_slug(name, v->id))
		v->id[0] = '\0';
	v->kind = xstrdup(kind);
	snprintf(v->created, sizeof(v->created), "%s", created ? created : "");
	v->weight = weight > 0 ? weight : 1;
	v->control = first;
	index_variant(index_of(s), s->v, s->n);
	return s->n++;
}

void ab_event_key(const char *kind, const char *id, unsigned char key[KEYSET_KEY])
{
	/* A domain of its own: no kind-scoped key can equal a legacy one. */
	keyset_key("event", kind, id, key);
}

void ab_legacy_event_key(const char *id, unsigned char key[KEYSET_KEY])
{
	keyset_key("id", id, NULL, key);
}

const char *ab_set_recorded_seed(const struct ab_set *s, const char *kind)
{
	for (size_t i = 0; i < s->nseeds; i++)
		if (!strcmp(s->seeds[i].kind, kind))
			return s->seeds[i].seed;
	return NULL;
}

char *ab_set_hash_seed(const struct ab_set *s, const char *kind)
{
	const char *seed = ab_set_recorded_seed(s, kind);

	return seed ? xstrdup(seed) : ab_assign_default_seed(s->experiment, kind);
}

void ab_set_record_seed(struct ab_set *s, const char *kind, const char *seed)
{
	size_t at = 0;

	for (size_t i = 0; i < s->nseeds; i++)
		if (!strcmp(s->seeds[i].kind, kind)) {
			free(s->seeds[i].seed);
			s->seeds[i].seed = xstrdup(seed);
			return;
		}
	/* Kept sorted by kind, so that experiment.json is canonical. */
	while (at < s->nseeds && strcmp(s->seeds[at].kind, kind) < 0)
		at++;
	s->seeds = xrealloc(s->seeds, (s->nseeds + 1) * sizeof(*s->seeds));
	memmove(&s->seeds[at + 1], &s->seeds[at], (s->nseeds - at) * sizeof(*s->seeds));
	s->seeds[at].kind = xstrdup(kind);
	s->seeds[at].seed = xstrdup(seed);
	s->nseeds++;
}

const struct ab_decided *ab_set_decided(const struct ab_set *s, const char *kind)
{
	for (size_t i = 0; i < s->ndecided; i++)
		if (!strcmp(s->decided[i].kind, kind))
			return &s->decided[i];
	return NULL;
}

struct ab_decided *ab_set_decide(struct ab_set *s, const char *kind, const char *variant,
				 const char *at, cJSON *evidence)
{
	struct ab_decided *dd = (struct ab_decided *)ab_set_decided(s, kind);
	size_t i = 0;

	if (dd) {
		cJSON_Delete(evidence);
		return dd;
	}
	/* Sorted by kind, so that experiment.json is canonical. */
	while (i < s->ndecided && strcmp(s->decided[i].kind, kind) < 0)
		i++;
	s->decided = xrealloc(s->decided, (s->ndecided + 1) * sizeof(*s->decided));
	memmove(&s->decided[i + 1], &s->decided[i], (s->ndecided - i) * sizeof(*s->decided));
	s->ndecided++;
	dd = &s->decided[i];
	memset(dd, 0, sizeof(*dd));
	dd->kind = xstrdup(kind);
	dd->variant = xstrdup(variant);
	snprintf(dd->decided_at, sizeof(dd->decided_at), "%s", at);
	dd->evidence = evidence;
	return dd;
}

/* Insert item into o before its member "reason". */
static void add_before_reason(cJSON *o, const char *name, cJSON *item)
{
	cJSON *reason = cJSON_GetObjectItemCaseSensitive(o, "reason");

	cJSON_AddItemToObject(o, name, item);
	cJSON_DetachItemViaPointer(o, reason);
	cJSON_AddItemToObject(o, "reason", reason);
}

void ab_decided_options(const struct ab_decided *dd, struct ab_options *o, int metric_given,
			int horizon_given)
{
	const cJSON *m, *h;

	if (!dd || !dd->evidence)
		return;
	m = cJSON_GetObjectItemCaseSensitive(dd->evidence, "metric");
	h = cJSON_GetObjectItemCaseSensitive(dd->evidence, "horizon");
	if (!metric_given && cJSON_IsString(m) && !strcmp(m->valuestring, "value"))
		o->metric_value = 1;
	if (!horizon_given && cJSON_IsNumber(h) && h->valuedouble > 0)
		o->horizon = h->valuedouble;
}

int ab_decided_holds(const struct ab_decided *dd, const struct ab_arm *arms, size_t k,
		     const struct ab_decision *today)
{
	return today->outcome == AB_WINNER && today->arm >= 0 && (size_t)today->arm < k &&
	       !strcmp(arms[today->arm].name, dd->variant);
}

cJSON *ab_decided_line(const struct ab_decided *dd, const struct ab_arm *arms, size_t k,
		       const struct ab_result *res, const struct ab_decision *today,
		       int *holds)
{
	struct ab_decision d = *today;
	size_t at;
	char reason[sizeof(d.reason) + 2 * IDENT_MAX + 128];
	cJSON *line;

	for (at = 0; at < k && strcmp(arms[at].name, dd->variant); at++)
		;
	if (at == k)
		return NULL;
	*holds = ab_decided_holds(dd, arms, k, today);
	if (today->arm != (int)at) {
		/* Today's figures of the recorded arm, not of today's leader. */
		d.arm = (int)at;
		d.has_loss = d.has_loss_rel = 0;
	}
	line = ab_decision_line(dd->kind, arms, res, &d);
	cJSON_ReplaceItemInObjectCaseSensitive(
		line, "decision",
		cJSON_CreateString(*holds || dd->concluded_at[0] ? "winner" : "reversed"));
	add_before_reason(line, "decided_at", cJSON_CreateString(dd->decided_at));
	if (dd->concluded_at[0])
		add_before_reason(line, "concluded_at", cJSON_CreateString(dd->concluded_at));
	add_before_reason(line, "holds", cJSON_CreateBool(*holds));
	snprintf(reason, sizeof(reason), "'%s' was %s the winner at %s%s%s%s; today: %s",
		 dd->variant, dd->by_operator ? "named" : "decided", dd->decided_at,
		 dd->concluded_at[0] ? " and concluded at " : "", dd->concluded_at,
		 *holds ? " and still is" : dd->concluded_at[0] ? ""
		 : ", and today's data no longer supports it", today->reason);
	cJSON_ReplaceItemInObjectCaseSensitive(line, "reason", cJSON_CreateString(reason));
	return line;
}

/* Whether other (not kind) hashes with seed. */
static int kind_has_seed(const struct ab_set *s, const char *kind, const char *other,
			 const char *seed)
{
	char *theirs;
	int same;

	if (!strcmp(other, kind))
		return 0;
	theirs = ab_set_hash_seed(s, other);
	same = !strcmp(theirs, seed);
	free(theirs);
	return same;
}

const char *ab_set_seed_conflict(const struct ab_set *s, const char *kind, const char *seed)
{
	for (size_t i = 0; i < s->n; i++)
		if (kind_has_seed(s, kind, s->v[i].kind, seed))
			return s->v[i].kind;
	for (size_t i = 0; i < s->nseeds; i++)
		if (kind_has_seed(s, kind, s->seeds[i].kind, seed))
			return s->seeds[i].kind;
	return NULL;
}

const char *ab_set_keyed_batch(const struct ab_set *s, const char *key)
{
	for (size_t i = 0; i < s->nkeyed; i++)
		if (!strcmp(s->keyed[i].key, key))
			return s->keyed[i].sha256;
	return NULL;
}

void ab_set_add_batch(struct ab_set *s, const char *key, const char *sha256)
{
	if (!key) {
		s->batches = xrealloc(s->batches, (s->nbatches + 1) * sizeof(*s->batches));
		s->batches[s->nbatches++] = xstrdup(sha256);
		return;
	}
	s->keyed = xrealloc(s->keyed, (s->nkeyed + 1) * sizeof(*s->keyed));
	s->keyed[s->nkeyed].key = xstrdup(key);
	snprintf(s->keyed[s->nkeyed].sha256, sizeof(s->keyed[s->nkeyed].sha256), "%s", sha256);
	s->nkeyed++;
}

/* Whether event id of kind was counted before; if not, it is now. */
static int id_seen(struct ab_set *s, const char *kind, const char *id)
{
	unsigned char key[KEYSET_KEY];

	if (s->legacy_ids) {
		ab_legacy_event_key(id, key);
		if (keyset_find(&s->ids, key))
			return 1;
	}
	ab_event_key(kind, id, key);
	if (keyset_find(&s->ids, key))
		return 1;
	keyset_put(&s->ids, key, 0);
	return 0;
}

/* The members of an event record that brain-ab reads: guard[i] for
 * i < the set's nguards, the rest unset. */
struct event_fields {
	const cJSON *variant, *kind, *converted, *trials, *conversions, *value, *value_sumsq,
		*value_exact, *value_sumsq_exact, *id, *unit, *day, *time, *dims;
	const cJSON *guard[AB_GUARD_MAX];
};

/* A member that is none of brain-ab's own: a guardrail's, or ignored. */
static void scan_guard(const struct ab_set *s, const cJSON *m, struct event_fields *f)
{
	for (size_t i = 0; i < s->nguards; i++)
		if (!strcmp(m->string, s->guards[i])) {
			f->guard[i] = m;
			return;
		}
}

/* The slot of member k among brain-ab's own, or NULL. */
static const cJSON **own_slot(struct event_fields *f, const char *k)
{
	switch (k[0]) {
	case 'v':
		return same(k, "variant") ? &f->variant
		       : same(k, "value") ? &f->value
		       : same(k, "value_sumsq") ? &f->value_sumsq
		       : same(k, "value_exact") ? &f->value_exact
		       : same(k, "value_sumsq_exact") ? &f->value_sumsq_exact : NULL;
	case 'c':
		return same(k, "converted") ? &f->converted
		       : same(k, "conversions") ? &f->conversions : NULL;
	case 'k':
		return same(k, "kind") ? &f->kind : NULL;
	case 't':
		return same(k, "trials") ? &f->trials : same(k, "time") ? &f->time : NULL;
	case 'i':
		return same(k, "id") ? &f->id : NULL;
	case 'u':
		return same(k, "unit") ? &f->unit : NULL;
	case 'd':
		return same(k, "day") ? &f->day : same(k, "dims") ? &f->dims : NULL;
	default:
		return NULL;
	}
}

/* One pass over the members: records are read by the million, and a
 * lookup per field would scan the member list again each time. */
static void scan_fields(const struct ab_set *s, const cJSON *rec, struct event_fields *f)
{
	/* Stores, not a call to memset, for a record's few members. */
	f->variant = f->kind = f->converted = f->trials = f->conversions = NULL;
	f->value = f->value_sumsq = f->value_exact = f->value_sumsq_exact = NULL;
	f->id = f->unit = f->day = f->time = f->dims = NULL;
	for (size_t i = 0; i < s->nguards; i++)
		f->guard[i] = NULL;
	for (const cJSON *m = rec->child; m; m = m->next) {
		const cJSON **slot = own_slot(f, m->string);

		if (slot)
			*slot = m;
		else if (s->nguards)
			scan_guard(s, m, f);
	}
}

/* A kind concluded takes no more events: its decision is final. */
static enum brain_status check_open(const struct ab_set *s, const char *kind,
				    const char *name, const struct json_loc *loc)
{
	const struct ab_decided *dd = ab_set_decided(s, kind);

	if (!dd || !dd->concluded_at[0])
		return BRAIN_OK;
	return diag_error_at(BRAIN_DATA, loc->file, loc->line,
			     "variant '%s': kind '%s' of experiment '%s' was concluded at %s "
			     "with '%s'; it takes no more events ('brain-ab reset' starts "
			     "the experiment again)", name, kind, s->experiment,
			     dd->concluded_at, dd->variant);
}

/* The variant a record names, created when allowed. */
static enum brain_status variant_of(struct ab_set *s, const struct event_fields *f,
				    const struct json_loc *loc,
				    const struct ab_fold_options *o, int *index)
{
	const char *name = NULL, *kind = NULL;
	enum brain_status status;

	if (!f->variant)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line, "missing field 'variant'");
	if ((status = json_item_string(f->variant, loc, &name)) ||
	    (f->kind && (status = json_item_string(f->kind, loc, &kind))))
		return status;
	*index = ab_set_find(s, name);
	if (*index >= 0) {
		if (kind && !variant_is_kind(s, *index, kind))
			return diag_error_at(BRAIN_DATA, loc->file, loc->line,
					     "variant '%s' is of kind '%s', not '%s'", name,
					     s->v[*index].kind, kind);
		return check_open(s, s->v[*index].kind, name, loc);
	}
	if (!o->create)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "unknown variant '%s' (register it first, or use "
				     "--register --kind=KIND)", name);
	if (!kind)
		kind = o->kind;
	if (!kind)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "variant '%s' has no kind: give it in the record or with "
				     "--kind", name);
	char id[IDENT_MAX + 1];

	if ((status = ident_check_name(name, "variant name")) ||
	    (status = ident_slug(name, id)) || (status = ident_check(kind, "kind")))
		return diag_error_at(status, loc->file, loc->line, "%s", diag_last());
	if ((status = check_open(s, kind, name, loc)))
		return status;
	*index = (int)ab_set_add(s, name, kind, 1, o->now);
	return BRAIN_OK;
}

/* Note unit's exposure to variant index (a second variant of the kind
 * flags it); whether --exclude-multi leaves the event out. */
static int unit_excluded(struct ab_set *s, int index, const char *unit,
			 const struct ab_fold_options *o, struct ab_fold_stats *st)
{
	struct ab_variant *v = &s->v[index];
	unsigned char key[KEYSET_KEY];
	uint32_t *first;

	keyset_key("unit", v->kind, unit, key);
	first = keyset_find(&s->units, key);
	if (!first) {
		keyset_put(&s->units, key, (uint32_t)index);
	} else if ((*first & ~MULTI_FLAG) != (uint32_t)index && !(*first & MULTI_FLAG)) {
		*first |= MULTI_FLAG;
		v->multi_exposed++;
		st->multi_exposed++;
	}
	if (first && (*first & MULTI_FLAG) && o->exclude_multi) {
		v->excluded++;
		st->excluded++;
		return 1;
	}
	return 0;
}

void ab_variant_set_sums(struct ab_variant *v, fixed_t value_u, fixed_t sumsq_u)
{
	v->value_u = value_u;
	v->sumsq_u = sumsq_u;
	v->value_sum = fixed_to_double(value_u, FIXED_VALUE);
	v->value_sumsq = fixed_to_double(sumsq_u, FIXED_SQUARE);
}

/* One exact member (value_exact, value_sumsq_exact) into *out; it must
 * agree with its number when both are given. */
static enum brain_status exact_member(const cJSON *exact, const cJSON *number, double n,
				      int digits, const struct json_loc *loc, fixed_t *out)
{
	if (!cJSON_IsString(exact) || fixed_parse(exact->valuestring, digits, out))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line, "field '%s' must be a "
				     "decimal of at most %d decimals, as brain-ab tally writes",
				     exact->string, digits);
	if (number && fixed_to_double(*out, digits) != n)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line, "fields '%s' and '%s' "
				     "disagree", number->string, exact->string);
	return BRAIN_OK;
}

/* The record's value and sum of squares in fixed point (pure/fixed.h):
 * from value_exact and value_sumsq_exact when given (tally lines carry
 * them, so that merged sums are exact), else from the numbers; a value
 * beyond what is summed exactly is refused. */
static enum brain_status fixed_values(const struct event_fields *f, const struct json_loc *loc,
				      double value, double value_sumsq, int per_event,
				      fixed_t *u, fixed_t *sq, int *has_sq)
{
	enum brain_status status;

	*u = *sq = 0;
	*has_sq = per_event || f->value_sumsq || f->value_sumsq_exact;
	if (f->value_exact) {
		if ((status = exact_member(f->value_exact, f->value, value, FIXED_VALUE, loc, u)))
			return status;
	} else if (f->value && fixed_from_double(value, FIXED_VALUE, u)) {
		return diag_error_at(BRAIN_DATA, loc->file, loc->line, "field 'value' (%g) is "
				     "beyond +/-%g, the largest value summed exactly", value,
				     FIXED_VALUE_MAX);
	}
	if (per_event) {
		*sq = fixed_square(*u);
	} else if (f->value_sumsq_exact) {
		if ((status = exact_member(f->value_sumsq_exact, f->value_sumsq, value_sumsq,
					   FIXED_SQUARE, loc, sq)))
			return status;
	} else if (f->value_sumsq && fixed_from_double(value_sumsq, FIXED_SQUARE, sq)) {
		return diag_error_at(BRAIN_DATA, loc->file, loc->line, "field 'value_sumsq' (%g) "
				     "is beyond what is summed exactly", value_sumsq);
	}
	return BRAIN_OK;
}

/* The day a record belongs to: its "day", the UTC date of its "time",
 * else the date of now; "" when none. */
static enum brain_status record_day(const struct event_fields *f, const struct json_loc *loc,
				    const char *now, char day[AB_DAY_SIZE])
{
	const char *text = NULL;
	char full[TIME_TEXT_SIZE];
	enum brain_status status;
	time_t t;

	day[0] = '\0';
	if (f->day && f->time)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "record has both 'day' and 'time'");
	if ((f->day && (status = json_item_string(f->day, loc, &text))) ||
	    (f->time && (status = json_item_string(f->time, loc, &text))))
		return status;
	if (!text) {
		/* Its first ten bytes, when it has them, without a call to
		 * printf or strnlen per event. */
		size_t n = 0;

		while (now && n < AB_DAY_SIZE - 1 && now[n])
			n++;
		if (n == AB_DAY_SIZE - 1) {
			memcpy(day, now, AB_DAY_SIZE - 1);
			day[AB_DAY_SIZE - 1] = '\0';
		}
		return BRAIN_OK;
	}
	/* Formatting back rejects a date that does not exist (2026-02-30). */
	if (time_text_parse(text, &t) || (f->day && strlen(text) != AB_DAY_SIZE - 1))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line, f->day
				     ? "field 'day' must be a date, YYYY-MM-DD"
				     : "field 'time' must be an RFC 3339 timestamp");
	time_text_format(t, full);
	if (f->day && strncmp(full, text, AB_DAY_SIZE - 1))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'day' (%s) is not a date of the calendar", text);
	snprintf(day, AB_DAY_SIZE, "%.10s", full);
	return BRAIN_OK;
}

/* The guardrail events of a record: a boolean on an event, a count of at
 * most its trials on an aggregate (trials >= 0). */
static enum brain_status guard_counts(const struct ab_set *s, const struct event_fields *f,
				      const struct json_loc *loc, int64_t trials,
				      double out[AB_GUARD_MAX])
{
	enum brain_status status;

	/* All of them, as a constant size is stored: a few vector stores. */
	memset(out, 0, AB_GUARD_MAX * sizeof(*out));
	for (size_t i = 0; i < s->nguards; i++) {
		int yes = 0;
		int64_t count = 0;

		if (!f->guard[i])
			continue;
		if (trials < 0 && (status = json_item_bool(f->guard[i], loc, &yes)))
			return status;
		if (trials >= 0 && (status = json_item_int(f->guard[i], loc, 0, trials, &count)))
			return status;
		out[i] = trials < 0 ? yes : (double)count;
	}
	return BRAIN_OK;
}

struct dim_pair {
	const char *dim, *value;
};

/* The record's "dims": lowercase names to strings of 1 to 64 bytes. */
static enum brain_status record_dims(const cJSON *dims, const struct json_loc *loc,
				     struct dim_pair out[AB_DIMS_MAX], size_t *n)
{
	enum brain_status status;
	const cJSON *m;

	*n = 0;
	if (!dims)
		return BRAIN_OK;
	if (!cJSON_IsObject(dims))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'dims' must be an object of names to strings");
	cJSON_ArrayForEach(m, dims) {
		const char *value;

		if (*n == AB_DIMS_MAX)
			return diag_error_at(BRAIN_DATA, loc->file, loc->line, "field 'dims' has "
					     "more than %d dimensions", AB_DIMS_MAX);
		if (!ident_valid(m->string))
			return diag_error_at(BRAIN_DATA, loc->file, loc->line, "field 'dims': "
					     "'%s' is not a dimension name (lowercase letters, "
					     "digits, '-' and '_')", m->string);
		if ((status = json_item_string(m, loc, &value)))
			return status;
		if (!value[0] || strlen(value) > 64 || ident_check_name_quiet(value))
			return diag_error_at(BRAIN_DATA, loc->file, loc->line, "field 'dims.%s' "
					     "must be 1 to 64 bytes of text", m->string);
		out[*n].dim = m->string;
		out[(*n)++].value = value;
	}
	return BRAIN_OK;
}

/* What a record adds besides its counts: day, guardrails, dimensions. */
struct record_extra {
	char day[AB_DAY_SIZE];
	double guard[AB_GUARD_MAX];
	struct dim_pair dims[AB_DIMS_MAX];
	size_t ndims;
};

static enum brain_status record_extra(const struct ab_set *s, const struct event_fields *f,
				      const struct json_loc *loc,
				      const struct ab_fold_options *o, int64_t trials,
				      struct record_extra *x)
{
	enum brain_status status;

	if ((status = record_day(f, loc, o->now, x->day)) ||
	    (status = guard_counts(s, f, loc, trials, x->guard)) ||
	    (status = record_dims(f->dims, loc, x->dims, &x->ndims)))
		return status;
	return BRAIN_OK;
}

/* Whether day lies outside o's window (a record without a day is
 * outside every bounded window). */
static int outside_window(const char *day, const struct ab_fold_options *o)
{
	if (!o->since && !o->until)
		return 0;
	return !day[0] || (o->since && strcmp(day, o->since) < 0) ||
	       (o->until && strcmp(day, o->until) > 0);
}

/* Add the guardrail events of t.  Only those it has are added: the
 * counts are never -0, so adding 0 would change nothing, and with many
 * variants each line of memory not read is a cache miss saved. */
static void guards_add(double into[AB_GUARD_MAX], const double t[AB_GUARD_MAX])
{
	uint64_t bits = 0;

	/* Most events have none: one test of all their bits first (a
	 * count of 0 is +0, all bits clear). */
	for (size_t i = 0; i < AB_GUARD_MAX; i++) {
		uint64_t w;

		memcpy(&w, &t[i], sizeof(w));
		bits |= w;
	}
	if (!bits)
		return;
	for (size_t i = 0; i < AB_GUARD_MAX; i++)
		if (t[i] != 0)
			into[i] += t[i];
}

/* Count the record into v's totals and, when kept, its cells.  A cell
 * cannot overflow where the totals did not: sums of squares only grow,
 * and a value sum is bounded by 2^53 values of at most 9e18 units. */
static void count_record(struct ab_variant *v, const struct ab_tally *t,
			 const struct record_extra *x, int cells)
{
	v->trials += t->trials;
	v->conversions += t->conversions;
	/* Most events carry no value: their sums are left as they are. */
	if (t->value_u || t->sumsq_u) {
		fixed_add(&v->value_u, t->value_u);
		fixed_add(&v->sumsq_u, t->sumsq_u);
		ab_variant_set_sums(v, v->value_u, v->sumsq_u);
	}
	if (t->value_partial)
		v->value_partial |= t->value_partial;
	guards_add(v->guard, t->guard);
	if (!cells)
		return;
	ab_variant_add_cell(v, x->day, NULL, NULL, t);
	for (size_t i = 0; i < x->ndims; i++)
		ab_variant_add_cell(v, x->day, x->dims[i].dim, x->dims[i].value, t);
}

/* The counts of a record, checked against one another. */
struct record_counts {
	int64_t trials, conversions;
	int converted;
	double value, value_sumsq;
	const char *id, *unit;
};

static enum brain_status record_counts(const struct event_fields *f,
				       const struct json_loc *loc, struct record_counts *c)
{
	enum brain_status status = BRAIN_OK;

	c->trials = -1;
	c->conversions = 0;
	c->converted = -1;
	c->value = 0;
	c->value_sumsq = -1;
	c->id = c->unit = NULL;
	if ((f->converted && (status = json_item_bool(f->converted, loc, &c->converted))) ||
	    (f->trials && (status = json_item_int(f->trials, loc, 0, INT64_MAX, &c->trials))) ||
	    (f->conversions &&
	     (status = json_item_int(f->conversions, loc, 0, INT64_MAX, &c->conversions))) ||
	    (f->value && (status = json_item_number(f->value, loc, -INFINITY, INFINITY, &c->value))) ||
	    (f->value_sumsq &&
	     (status = json_item_number(f->value_sumsq, loc, 0, INFINITY, &c->value_sumsq))) ||
	    (f->id && (status = json_item_string(f->id, loc, &c->id))) ||
	    (f->unit && (status = json_item_string(f->unit, loc, &c->unit))))
		return status;
	if (c->converted >= 0 && c->trials >= 0)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "record has both 'converted' and 'trials'");
	if (c->converted < 0 && c->trials < 0)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "record needs 'converted' (one outcome) or 'trials' "
				     "(an aggregate)");
	if (c->trials >= 0 && c->conversions > c->trials)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'conversions' (%lld) must not exceed 'trials' (%lld)",
				     (long long)c->conversions, (long long)c->trials);
	if (c->converted >= 0 && f->conversions)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'conversions' needs 'trials'");
	return BRAIN_OK;
}

enum brain_status ab_fold(struct ab_set *s, const cJSON *rec, const struct json_loc *loc,
			  const struct ab_fold_options *o, struct ab_fold_stats *st)
{
	enum brain_status status;
	struct event_fields f;
	struct record_counts c;
	struct record_extra x;
	struct ab_tally t;
	int index = -1, has_sq;
	struct ab_variant *v;
	fixed_t sum, sumsq;

	scan_fields(s, rec, &f);
	if ((status = record_counts(&f, loc, &c)) ||
	    (status = record_extra(s, &f, loc, o, c.converted >= 0 ? -1 : c.trials, &x)) ||
	    (status = variant_of(s, &f, loc, o, &index)))
		return status;
	v = &s->v[index];
	if (v->trials + (c.trials >= 0 ? (double)c.trials : 1) > MAX_COUNT)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "variant '%s' would have more than 2^53 trials", v->name);
	/* Sums that would overflow are refused before anything is counted.
	 * Each member of t is set below. */
	if ((status = fixed_values(&f, loc, c.value, c.value_sumsq, c.converted >= 0,
				   &t.value_u, &t.sumsq_u, &has_sq)))
		return status;
	/* Adding nothing cannot overflow: the sums are not read then. */
	sum = t.value_u ? v->value_u : 0;
	sumsq = has_sq && t.sumsq_u ? v->sumsq_u : 0;
	if (fixed_add(&sum, t.value_u) || (has_sq && fixed_add(&sumsq, t.sumsq_u)))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line, "field 'value' would "
				     "overflow the exact sums of variant '%s'", v->name);
	st->records++;
	if (outside_window(x.day, o)) {
		st->outside++;
		return BRAIN_OK;
	}
	if (c.id && id_seen(s, v->kind, c.id)) {
		v->duplicates++;
		st->duplicates++;
		return BRAIN_OK;
	}
	if (c.unit && unit_excluded(s, index, c.unit, o, st))
		return BRAIN_OK;
	t.trials = c.converted >= 0 ? 1 : (double)c.trials;
	t.conversions = c.converted >= 0 ? c.converted : (double)c.conversions;
	if (!has_sq)
		t.sumsq_u = 0;
	t.value_partial = c.converted < 0 && !has_sq && t.value_u != 0;
	memcpy(t.guard, x.guard, sizeof(t.guard));
	count_record(v, &t, &x, o->cells);
	st->applied++;
	return BRAIN_OK;
}

/* Cells in order of day, then the day's total (dim NULL), then dim and
 * value. */
static int cell_cmp(const struct ab_cell *c, const char *day, const char *dim,
		    const char *value)
{
	int r;

	/* The usual probe: the cell of the event before, a day's total. */
	if (!c->dim && !dim && same(c->day, day))
		return 0;
	r = strcmp(c->day, day);
	if (r || (!c->dim && !dim))
		return r;
	if (!c->dim || !dim)
		return c->dim ? 1 : -1;
	r = strcmp(c->dim, dim);
	return r ? r : strcmp(c->value, value);
}

static void tally_add(struct ab_tally *into, const struct ab_tally *t)
{
	into->trials += t->trials;
	into->conversions += t->conversions;
	/* No overflow where the totals have none (count_record); most
	 * events have no value, and their sums are left unread. */
	if (t->value_u)
		fixed_add(&into->value_u, t->value_u);
	if (t->sumsq_u)
		fixed_add(&into->sumsq_u, t->sumsq_u);
	if (t->value_partial)
		into->value_partial |= t->value_partial;
	guards_add(into->guard, t->guard);
}

void ab_variant_add_cell(struct ab_variant *v, const char *day, const char *dim,
			 const char *value, const struct ab_tally *t)
{
	size_t lo = 0, hi = v->ncells;
	struct ab_cell *c;

	if (v->last < v->ncells && !cell_cmp(&v->cells[v->last], day, dim, value)) {
		tally_add(&v->cells[v->last].t, t);
		return;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = cell_cmp(&v->cells[mid], day, dim, value);

		if (!r) {
			tally_add(&v->cells[mid].t, t);
			v->last = mid;
			return;
		}
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (v->ncells == v->capcells) {
		v->capcells = v->capcells ? 2 * v->capcells : 1;
		v->cells = xrealloc(v->cells, v->capcells * sizeof(*v->cells));
	}
	memmove(&v->cells[lo + 1], &v->cells[lo], (v->ncells - lo) * sizeof(*v->cells));
	v->ncells++;
	c = &v->cells[lo];
	memset(c, 0, sizeof(*c));
	snprintf(c->day, sizeof(c->day), "%s", day);
	c->dim = dim ? xstrdup(dim) : NULL;
	c->value = dim ? xstrdup(value) : NULL;
	c->t = *t;
	v->last = lo;
}

int ab_set_guard_index(const struct ab_set *s, const char *name)
{
	for (size_t i = 0; i < s->nguards; i++)
		if (!strcmp(s->guards[i], name))
			return (int)i;
	return -1;
}

int ab_set_guardrail(struct ab_set *s, const char *name)
{
	int at = ab_set_guard_index(s, name);
	static const char *const own[] = { "variant", "kind", "converted", "trials",
					   "conversions", "value", "id", "unit", "day", "time",
					   "dims" };

	if (at >= 0)
		return at;
	for (size_t i = 0; i < sizeof(own) / sizeof(*own); i++)
		if (!strcmp(name, own[i])) {
			diag_error(BRAIN_USAGE, "'%s' is an event field, not a guardrail", name);
			return -1;
		}
	if (!ident_valid(name) || strchr(name, '-')) {
		diag_error(BRAIN_USAGE, "'%s' is not a guardrail name (lowercase letters, "
			   "digits and '_')", name);
		return -1;
	}
	if (s->nguards == AB_GUARD_MAX) {
		diag_error(BRAIN_USAGE, "an experiment tallies at most %d guardrails",
			   AB_GUARD_MAX);
		return -1;
	}
	s->guards[s->nguards] = xstrdup(name);
	return (int)s->nguards++;
}

int ab_window_whole(const struct ab_window *w)
{
	return !w || (!w->since && !w->until && !w->dim);
}

static int cell_in(const struct ab_cell *c, const struct ab_window *w)
{
	if ((w->since && strcmp(c->day, w->since) < 0) ||
	    (w->until && strcmp(c->day, w->until) > 0))
		return 0;
	if (!w->dim)
		return !c->dim;
	return c->dim && !strcmp(c->dim, w->dim) && !strcmp(c->value, w->value);
}

/* The tally of v over window w, and the trials of v no day holds. */
static void variant_in(const struct ab_variant *v, const struct ab_window *w,
		       struct ab_tally *t, double *undated)
{
	double dated = 0;

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < v->ncells; i++) {
		if (!v->cells[i].dim)
			dated += v->cells[i].t.trials;
		if (cell_in(&v->cells[i], w))
			tally_add(t, &v->cells[i].t);
	}
	*undated += v->trials - dated;
}

static void arm_of(struct ab_arm *arm, const struct ab_variant *v, const struct ab_tally *t)
{
	arm->name = v->name;
	arm->kind = v->kind;
	arm->trials = t->trials;
	arm->conversions = t->conversions;
	arm->value_sum = fixed_to_double(t->value_u, FIXED_VALUE);
	/* An unknown sum of squares gives no sd rather than a wrong one. */
	arm->value_sumsq = t->value_partial ? NAN : fixed_to_double(t->sumsq_u, FIXED_SQUARE);
	arm->weight = v->weight;
	arm->control = v->control;
	memcpy(arm->guard, t->guard, sizeof(arm->guard));
}

static int cmp_arm(const void *a, const void *b)
{
	return strcmp(((const struct ab_arm *)a)->name, ((const struct ab_arm *)b)->name);
}

void ab_variant_tally(const struct ab_variant *v, struct ab_tally *t)
{
	memset(t, 0, sizeof(*t));
	t->trials = v->trials;
	t->conversions = v->conversions;
	t->value_u = v->value_u;
	t->sumsq_u = v->sumsq_u;
	t->value_partial = v->value_partial;
	memcpy(t->guard, v->guard, sizeof(t->guard));
}

struct ab_arm *ab_set_arms_in(const struct ab_set *s, const char *kind,
			      const struct ab_window *w, size_t *count, double *undated)
{
	struct ab_arm *arms = xcalloc(s->n ? s->n : 1, sizeof(*arms));
	size_t k = 0;
	int thompson = 0;

	*undated = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct ab_variant *v = &s->v[i];
		struct ab_tally t;

		if (strcmp(v->kind, kind))
			continue;
		if (ab_window_whole(w)) {
			ab_variant_tally(v, &t);
		} else {
			variant_in(v, w, &t, undated);
		}
		arm_of(&arms[k++], v, &t);
		thompson |= v->thompson;
	}
	/* Any variant marks its kind (one registered later is covered). */
	for (size_t i = 0; i < k; i++)
		arms[i].thompson = thompson;
	qsort(arms, k, sizeof(*arms), cmp_arm);
	*count = k;
	return arms;
}

struct ab_arm *ab_set_arms(const struct ab_set *s, const char *kind, size_t *count)
{
	double undated;

	return ab_set_arms_in(s, kind, NULL, count, &undated);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **ab_set_kinds(const struct ab_set *s, size_t *count)
{
	const char **kinds = xcalloc(s->n ? s->n : 1, sizeof(*kinds));
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++) {
		size_t j;

		for (j = 0; j < k && strcmp(kinds[j], s->v[i].kind); j++)
			;
		if (j == k)
			kinds[k++] = s->v[i].kind;
	}
	qsort(kinds, k, sizeof(*kinds), cmp_str);
	*count = k;
	return kinds;
}

/* Add text to the sorted list (of *n, room for cap) unless there. */
static const char **list_put(const char **list, size_t *n, size_t *cap, const char *text)
{
	size_t lo = 0, hi = *n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(list[mid], text);

		if (!r)
			return list;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		list = xrealloc(list, *cap * sizeof(*list));
	}
	memmove(&list[lo + 1], &list[lo], (*n - lo) * sizeof(*list));
	list[lo] = text;
	(*n)++;
	return list;
}

const char **ab_set_days(const struct ab_set *s, const char *kind, size_t *count)
{
	const char **days = NULL;
	size_t cap = 0;

	*count = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->v[i].kind, kind))
			continue;
		for (size_t j = 0; j < s->v[i].ncells; j++)
			if (!s->v[i].cells[j].dim)
				days = list_put(days, count, &cap, s->v[i].cells[j].day);
	}
	return days ? days : xcalloc(1, sizeof(*days));
}

const char **ab_set_dim_values(const struct ab_set *s, const char *kind, const char *dim,
			       const struct ab_window *w, size_t *count)
{
	struct ab_window any = { w ? w->since : NULL, w ? w->until : NULL, NULL, NULL };
	const char **values = NULL;
	size_t cap = 0;

	*count = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->v[i].kind, kind))
			continue;
		for (size_t j = 0; j < s->v[i].ncells; j++) {
			const struct ab_cell *c = &s->v[i].cells[j];

			if (c->dim && !strcmp(c->dim, dim) && (any.dim = dim, any.value = c->value,
							      cell_in(c, &any)))
				values = list_put(values, count, &cap, c->value);
		}
	}
	return values ? values : xcalloc(1, sizeof(*values));
}
