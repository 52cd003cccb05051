/* ab_fold.c - folding events into per-variant tallies; see ab_fold.h. */
#define _GNU_SOURCE /* hsearch_r: the C library's hash table */
#include <math.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include "pure/ab_assign.h"
#include "pure/ab_fold.h"
#include "diag.h"
#include "banned.h"

#define MULTI_FLAG 0x80000000u
#define MAX_COUNT 9007199254740992.0 /* counts stay exact in a double */

/* The index of a set: "n" + name, "i" + id and "k" + kind to the first
 * variant with it, in the C library's hash table, rebuilt at twice the
 * size when half full. */
struct ab_index {
	struct hsearch_data table;
	size_t cap, used;
	char **keys;          /* owned, used of them */
};

static void index_free(struct ab_index *x)
{
	if (!x)
		return;
	hdestroy_r(&x->table);
	for (size_t i = 0; i < x->used; i++)
		free(x->keys[i]);
	free(x->keys);
	free(x);
}

/* Enter key (made of tag and text) for variant at, unless there. */
static void index_put(struct ab_index *x, char tag, const char *text, size_t at)
{
	size_t len = strlen(text);
	char *key = xmalloc(len + 2);
	ENTRY e, *found;

	key[0] = tag;
	memcpy(key + 1, text, len + 1);
	e.key = key;
	e.data = (void *)(uintptr_t)at;
	if (!hsearch_r(e, FIND, &found, &x->table)) {
		if (!hsearch_r(e, ENTER, &found, &x->table))
			diag_oom();
		x->keys[x->used++] = key;
	} else {
		free(key);
	}
}

static void index_variant(struct ab_index *x, const struct ab_variant *v, size_t at)
{
	index_put(x, 'n', v->name, at);
	if (v->id[0])
		index_put(x, 'i', v->id, at);
	index_put(x, 'k', v->kind, at);
}

/* The index of s, able to take one more variant. */
static struct ab_index *index_of(struct ab_set *s)
{
	struct ab_index *x = s->index;

	if (x && 3 * (s->n + 1) <= x->cap / 2)
		return x;
	index_free(x);
	x = xcalloc(1, sizeof(*x));
	x->cap = 64;
	while (x->cap / 2 < 3 * (s->n + 1))
		x->cap *= 2;
	if (!hcreate_r(x->cap, &x->table))
		diag_oom();
	x->keys = xcalloc(x->cap, sizeof(*x->keys));
	for (size_t i = 0; i < s->n; i++)
		index_variant(x, &s->v[i], i);
	s->index = x;
	return x;
}

/* The first variant with key tag + text, or -1. */
static int index_find(const struct ab_set *s, char tag, const char *text)
{
	char small[128], *key = small;
	size_t len = strlen(text);
	ENTRY e, *found = NULL;
	int at = -1;

	if (!s->index)
		return -1;
	if (len + 2 > sizeof(small))
		key = xmalloc(len + 2);
	key[0] = tag;
	memcpy(key + 1, text, len + 1);
	e.key = key;
	e.data = NULL;
	if (hsearch_r(e, FIND, &found, &((struct ab_set *)s)->index->table) && found)
		at = (int)(uintptr_t)found->data;
	if (key != small)
		free(key);
	return at;
}

int ab_set_find(const struct ab_set *s, const char *name)
{
	int at;

	/* A few variants, the usual case: comparing is cheaper than hashing. */
	if (s->n <= 8) {
		for (size_t i = 0; i < s->n; i++)
			if (!strcmp(s->v[i].name, name))
				return (int)i;
		for (size_t i = 0; i < s->n; i++)
			if (!strcmp(s->v[i].id, name))
				return (int)i;
		return -1;
	}
	at = index_find(s, 'n', name);
	return at >= 0 ? at : index_find(s, 'i', name);
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
	}
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
	int first = index_find(s, 'k', kind) < 0;

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
	index_variant(index_of(s), v, s->n);
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

/* The members of an event record that brain-ab reads. */
struct event_fields {
	const cJSON *variant, *kind, *converted, *trials, *conversions, *value, *value_sumsq,
		*value_exact, *value_sumsq_exact, *id, *unit;
};

/* One pass over the members: records are read by the million, and a
 * lookup per field would scan the member list again each time. */
static void scan_fields(const cJSON *rec, struct event_fields *f)
{
	memset(f, 0, sizeof(*f));
	for (const cJSON *m = rec->child; m; m = m->next) {
		const char *k = m->string;

		switch (k[0]) {
		case 'v':
			if (!strcmp(k, "variant"))
				f->variant = m;
			else if (!strcmp(k, "value"))
				f->value = m;
			else if (!strcmp(k, "value_sumsq"))
				f->value_sumsq = m;
			else if (!strcmp(k, "value_exact"))
				f->value_exact = m;
			else if (!strcmp(k, "value_sumsq_exact"))
				f->value_sumsq_exact = m;
			break;
		case 'c':
			if (!strcmp(k, "converted"))
				f->converted = m;
			else if (!strcmp(k, "conversions"))
				f->conversions = m;
			break;
		case 'k':
			if (!strcmp(k, "kind"))
				f->kind = m;
			break;
		case 't':
			if (!strcmp(k, "trials"))
				f->trials = m;
			break;
		case 'i':
			if (!strcmp(k, "id"))
				f->id = m;
			break;
		case 'u':
			if (!strcmp(k, "unit"))
				f->unit = m;
			break;
		default:
			break;
		}
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
		if (kind && strcmp(kind, s->v[*index].kind))
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

enum brain_status ab_fold(struct ab_set *s, const cJSON *rec, const struct json_loc *loc,
			  const struct ab_fold_options *o, struct ab_fold_stats *st)
{
	enum brain_status status = BRAIN_OK;
	struct event_fields f;
	const char *id = NULL, *unit = NULL;
	int64_t trials = -1, conversions = 0;
	int converted = -1, index = -1;
	double value = 0, value_sumsq = -1;
	struct ab_variant *v;

	scan_fields(rec, &f);
	if ((f.converted && (status = json_item_bool(f.converted, loc, &converted))) ||
	    (f.trials && (status = json_item_int(f.trials, loc, 0, INT64_MAX, &trials))) ||
	    (f.conversions &&
	     (status = json_item_int(f.conversions, loc, 0, INT64_MAX, &conversions))) ||
	    (f.value && (status = json_item_number(f.value, loc, -INFINITY, INFINITY, &value))) ||
	    (f.value_sumsq &&
	     (status = json_item_number(f.value_sumsq, loc, 0, INFINITY, &value_sumsq))) ||
	    (f.id && (status = json_item_string(f.id, loc, &id))) ||
	    (f.unit && (status = json_item_string(f.unit, loc, &unit))))
		return status;
	if (converted >= 0 && trials >= 0)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "record has both 'converted' and 'trials'");
	if (converted < 0 && trials < 0)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "record needs 'converted' (one outcome) or 'trials' "
				     "(an aggregate)");
	if (trials >= 0 && conversions > trials)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'conversions' (%lld) must not exceed 'trials' (%lld)",
				     (long long)conversions, (long long)trials);
	if (converted >= 0 && f.conversions)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'conversions' needs 'trials'");
	if ((status = variant_of(s, &f, loc, o, &index)))
		return status;
	v = &s->v[index];
	if (v->trials + (trials >= 0 ? (double)trials : 1) > MAX_COUNT)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "variant '%s' would have more than 2^53 trials", v->name);
	/* Sums that would overflow are refused before anything is counted. */
	fixed_t u, sq, sum = v->value_u, sumsq = v->sumsq_u;
	int has_sq;

	if ((status = fixed_values(&f, loc, value, value_sumsq, converted >= 0, &u, &sq, &has_sq)))
		return status;
	if (fixed_add(&sum, u) || (has_sq && fixed_add(&sumsq, sq)))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line, "field 'value' would "
				     "overflow the exact sums of variant '%s'", v->name);
	st->records++;
	if (id && id_seen(s, v->kind, id)) {
		v->duplicates++;
		st->duplicates++;
		return BRAIN_OK;
	}
	if (unit && unit_excluded(s, index, unit, o, st))
		return BRAIN_OK;
	if (converted >= 0) {
		v->trials += 1;
		v->conversions += converted;
	} else {
		v->trials += (double)trials;
		v->conversions += (double)conversions;
		if (!has_sq && u != 0)
			v->value_partial = 1;
	}
	ab_variant_set_sums(v, sum, sumsq);
	st->applied++;
	return BRAIN_OK;
}

static int cmp_arm(const void *a, const void *b)
{
	return strcmp(((const struct ab_arm *)a)->name, ((const struct ab_arm *)b)->name);
}

struct ab_arm *ab_set_arms(const struct ab_set *s, const char *kind, size_t *count)
{
	struct ab_arm *arms = xcalloc(s->n ? s->n : 1, sizeof(*arms));
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++) {
		const struct ab_variant *v = &s->v[i];

		if (strcmp(v->kind, kind))
			continue;
		arms[k].name = v->name;
		arms[k].kind = v->kind;
		arms[k].trials = v->trials;
		arms[k].conversions = v->conversions;
		arms[k].value_sum = v->value_sum;
		/* An unknown sum of squares gives no sd rather than a wrong one. */
		arms[k].value_sumsq = v->value_partial ? NAN : v->value_sumsq;
		arms[k].weight = v->weight;
		arms[k].control = v->control;
		k++;
	}
	qsort(arms, k, sizeof(*arms), cmp_arm);
	*count = k;
	return arms;
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
