/*
 * ab_fold.h - brain-ab's variants and tallies, and folding event records
 * into them.  Pure: records in, sums out; the state directory is
 * core/ab_store.h's.
 *
 * Event records (one JSON object per line; unknown members ignored):
 *     {"variant":"High-Energy","converted":true,"value":250000,"unit":"L123","id":"e1","kind":"script"}
 *     {"variant":"High-Energy","trials":50,"conversions":42,"value":12000,"value_sumsq":...}
 *
 * The event ids already counted and the variant each unit was first seen
 * in are key sets (pure/keyset.h), so a retried input counts once and a
 * unit exposed to two variants of a kind is flagged.
 */
#ifndef BRAIN_AB_FOLD_H
#define BRAIN_AB_FOLD_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "pure/ab.h"
#include "pure/ident.h"
#include "pure/json.h"
#include "pure/keyset.h"
#include "pure/time_text.h"
#include "status.h"

struct ab_variant {
	char *name;               /* display name, owned */
	char id[IDENT_MAX + 1];   /* slug of the name */
	char *kind;               /* owned */
	char created[TIME_TEXT_SIZE];
	double weight;            /* planned share, default 1 */
	int control;              /* the control of its kind */
	int thompson;             /* its kind is Thompson-allocated (assign --thompson) */
	double trials, conversions, value_sum, value_sumsq;
	int value_partial;        /* an aggregate without value_sumsq was folded */
	double duplicates;        /* events skipped: id already counted */
	double multi_exposed;     /* units first seen in another variant of the kind */
	double excluded;          /* events left out by --exclude-multi */
};

struct ab_set {
	char *experiment;         /* display name, owned */
	char experiment_id[IDENT_MAX + 1];
	char created[TIME_TEXT_SIZE];
	double events;            /* records folded over all batches */
	struct ab_variant *v;
	size_t n, cap;
	char **batches;           /* hex SHA-256 of every input folded */
	size_t nbatches;
	struct keyset ids, units;
	unsigned long generation; /* of the ids and units files */
	int has_ids, has_units;   /* those files exist */
};

struct ab_fold_options {
	int create;               /* unknown variants are created (tally, --register) */
	const char *kind;         /* kind for created variants without one */
	int exclude_multi;        /* leave out events of multi-exposed units */
	const char *now;          /* creation time of new variants */
};

struct ab_fold_stats {
	double records, applied, duplicates, multi_exposed, excluded;
};

void ab_set_init(struct ab_set *s, const char *experiment);
void ab_set_free(struct ab_set *s);

/* The variant named name (or whose id is name), or -1. */
int ab_set_find(const struct ab_set *s, const char *name);

/* Add a variant; returns its index.  The first of its kind is its
 * control unless another is marked. */
size_t ab_set_add(struct ab_set *s, const char *name, const char *kind, double weight,
		  const char *created);

/* Fold one record; BRAIN_DATA (reported at loc) for a bad record, which
 * leaves the set unchanged. */
enum brain_status ab_fold(struct ab_set *s, const cJSON *rec, const struct json_loc *loc,
			  const struct ab_fold_options *o, struct ab_fold_stats *st);

/* Arms of one kind, in canonical order (by name), for ab_analyze; names
 * and kinds borrowed from s.  *count arms in a new array (caller frees). */
struct ab_arm *ab_set_arms(const struct ab_set *s, const char *kind, size_t *count);

/* The kinds present, sorted, without repeats (borrowed strings; the array
 * is the caller's to free). */
const char **ab_set_kinds(const struct ab_set *s, size_t *count);

#endif
