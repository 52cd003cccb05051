/*
 * ab_fold.h - brain-ab's variants and tallies, and folding event records
 * into them.  Pure: records in, sums out; the state directory is
 * core/ab_store.h's.
 *
 * Event records (one JSON object per line; unknown members ignored):
 *     {"variant":"High-Energy","converted":true,"value":250000,"unit":"L123","id":"e1","kind":"script"}
 *     {"variant":"High-Energy","trials":50,"conversions":42,"value":12000,"value_sumsq":...}
 * (a tally line adds "value_exact" and "value_sumsq_exact": values are
 * summed exactly, in fixed point, pure/fixed.h)
 *
 * An event may also carry the day it belongs to ("day":"2026-11-03", or
 * "time", an RFC 3339 timestamp whose UTC date is taken), guardrail
 * events as booleans named by the guardrail ("opt_out":true; counts on an
 * aggregate record), and breakdown dimensions ("dims":{"call_centre":
 * "austin"}).  A set that keeps cells (ab_fold_options.cells) tallies each
 * variant per day (the run's day when the record names none), and per day
 * and value of each dimension: merged over a window they give the window's
 * tallies (ab_set_arms_in).
 *
 * The event ids already counted and the variant each unit was first seen
 * in are key sets (pure/keyset.h), so a retried input counts once and a
 * unit exposed to two variants of a kind is flagged.  Both are scoped by
 * kind: an id names one event of one kind (a call is one script event and
 * one channel event), a unit is checked within each kind.
 */
#ifndef BRAIN_AB_FOLD_H
#define BRAIN_AB_FOLD_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "pure/ab.h"
#include "pure/fixed.h"
#include "pure/ident.h"
#include "pure/json.h"
#include "pure/keyset.h"
#include "pure/time_text.h"
#include "status.h"

#define AB_DAY_SIZE 11    /* "YYYY-MM-DD" */
#define AB_DIMS_MAX 8     /* dimensions on one record */

/* What a variant has over some events: its totals, a day, a slice. */
struct ab_tally {
	double trials, conversions;
	fixed_t value_u, sumsq_u; /* exact sums (pure/fixed.h) */
	int value_partial;        /* an aggregate without value_sumsq was folded */
	double guard[AB_GUARD_MAX]; /* guardrail events, in the set's guards order */
};

/* One day of a variant, whole (dim NULL) or one value of one dimension. */
struct ab_cell {
	char day[AB_DAY_SIZE];
	char *dim, *value;        /* owned; both NULL for the day's total */
	struct ab_tally t;
};

/* What every event touches comes first, so that folding into one of
 * many variants reads few cache lines. */
struct ab_variant {
	char *kind;               /* owned */
	double trials, conversions;
	struct ab_cell *cells;    /* sorted by day, dim, value */
	size_t ncells;
	size_t last;              /* the cell found last: events come day by day */
	double value_sum, value_sumsq; /* derived from the exact sums below */
	fixed_t value_u, sumsq_u; /* exact: millionths, and 1e-12 of squares (pure/fixed.h) */
	int value_partial;        /* an aggregate without value_sumsq was folded */
	double guard[AB_GUARD_MAX]; /* guardrail events over all days */
	size_t capcells;          /* room in cells */
	char *name;               /* display name, owned */
	char id[IDENT_MAX + 1];   /* slug of the name */
	char created[TIME_TEXT_SIZE];
	double weight;            /* planned share, default 1 */
	int control;              /* the control of its kind */
	int thompson;             /* its kind is Thompson-allocated (assign --thompson) */
	double duplicates;        /* events skipped: id already counted */
	double multi_exposed;     /* units first seen in another variant of the kind */
	double excluded;          /* events left out by --exclude-multi */
};

/* An input folded under a batch key (track --batch). */
struct ab_keyed_batch {
	char *key;                /* the key given, owned */
	char sha256[65];          /* hex SHA-256 of the bytes folded under it */
};

/* The hash seed recorded for one kind (register --seed). */
struct ab_kind_seed {
	char *kind, *seed;        /* owned */
};

/* The winner on record for one kind: recorded by the first 'winner' that
 * declared one, or by 'conclude'.  It stands until reset; later data
 * that no longer supports it is reported, never silently obeyed. */
struct ab_decided {
	char *kind, *variant;     /* owned; variant is the display name */
	char decided_at[TIME_TEXT_SIZE];
	char concluded_at[TIME_TEXT_SIZE]; /* "" until concluded */
	int by_operator;          /* conclude named it; the rule had not */
	cJSON *evidence;          /* the decision line it was decided on, owned */
};

struct ab_index;

struct ab_set {
	char *experiment;         /* display name, owned */
	char experiment_id[IDENT_MAX + 1];
	char created[TIME_TEXT_SIZE];
	double events;            /* records folded over all batches */
	struct ab_variant *v;
	size_t n, cap;
	char **batches;           /* hex SHA-256 of every input folded without a key */
	size_t nbatches;
	struct ab_keyed_batch *keyed; /* inputs folded under a key, in order */
	size_t nkeyed;
	struct ab_kind_seed *seeds; /* recorded hash seeds, sorted by kind */
	size_t nseeds;
	struct ab_index *index;   /* names, ids and kinds to variants; NULL until used */
	struct ab_decided *decided; /* winners on record, sorted by kind */
	size_t ndecided;
	struct keyset ids, units;
	unsigned long generation; /* of the ids and units files */
	int has_ids, has_units;   /* those files exist */
	char *guards[AB_GUARD_MAX]; /* guardrail names tallied, owned */
	size_t nguards;
	int legacy_ids;           /* ids may hold keys of an id alone, written before
				   * ids were scoped by kind: an id found there is
				   * counted for every kind, as it was then */
};

struct ab_fold_options {
	int create;               /* unknown variants are created (tally, --register) */
	const char *kind;         /* kind for created variants without one */
	int exclude_multi;        /* leave out events of multi-exposed units */
	const char *now;          /* creation time of new variants; its date is the day of
				   * records without one */
	int cells;                /* keep tallies per day and slice */
	const char *since, *until; /* "YYYY-MM-DD": records of other days are left out
				    * (NULL: no bound) */
};

struct ab_fold_stats {
	double records, applied, duplicates, multi_exposed, excluded;
	double outside;           /* records left out by since/until */
};

/* Which part of a set's tallies to analyse: days since..until (NULL: no
 * bound; inclusive), and one value of one dimension (dim NULL: all). */
struct ab_window {
	const char *since, *until;
	const char *dim, *value;
};

/*
 * A look ahead for folds over many variants: each variant's memory is a
 * cache miss, one after another (its index slot, the variant, its cell),
 * unless it was asked for before it is needed.  Before line L is folded,
 * ab_ahead_step reads the lines after it that the reader holds (their
 * "variant" text, found without parsing) and starts their memory coming:
 * the slot for line L + AB_AHEAD, the variant for L + AB_AHEAD / 2, the
 * cell for L + 1.  It only fetches; nothing is read from it or changed
 * by it, so a wrong hint (a line that does not parse, an escaped name)
 * costs nothing but the fetch.  Sets of at most 8 variants are skipped.
 */
#define AB_AHEAD 8

struct ab_ahead_line {
	long line;                /* which line; -1 none */
	uint32_t hash;            /* of its variant's text in the name index */
	int at;                   /* the variant found, or -1 */
	unsigned char len;        /* of key; 0 no hint */
	char key[16];
};

struct ab_ahead {
	struct ab_ahead_line ring[AB_AHEAD]; /* line L at L % AB_AHEAD */
	long scanned;             /* the last line looked at */
	size_t off;               /* where the line after it starts in the region */
};

void ab_ahead_init(struct ab_ahead *a);

/* line was just read, consumed its bytes with the LF; region (len bytes)
 * is what the reader holds after it. */
void ab_ahead_step(struct ab_ahead *a, const struct ab_set *s, long line, size_t consumed,
		   const char *region, size_t len);

/* The variant found ahead for line, or -1 (for tests). */
int ab_ahead_variant(const struct ab_ahead *a, long line);

void ab_set_init(struct ab_set *s, const char *experiment);
void ab_set_free(struct ab_set *s);

/* The variant named name (or whose id is name), or -1.  A hash lookup:
 * the cost does not grow with the number of variants. */
int ab_set_find(const struct ab_set *s, const char *name);

/* Add a variant; returns its index.  The first of its kind is its
 * control unless another is marked. */
size_t ab_set_add(struct ab_set *s, const char *name, const char *kind, double weight,
		  const char *created);

/* Set v's exact sums, and the doubles derived from them. */
void ab_variant_set_sums(struct ab_variant *v, fixed_t value_u, fixed_t sumsq_u);

/* Fold one record; BRAIN_DATA (reported at loc) for a bad record, which
 * leaves the set unchanged. */
enum brain_status ab_fold(struct ab_set *s, const cJSON *rec, const struct json_loc *loc,
			  const struct ab_fold_options *o, struct ab_fold_stats *st);

/* The key of event id in kind (domain "event"), and the key an id had
 * before ids were scoped by kind (domain "id"), in ids. */
void ab_event_key(const char *kind, const char *id, unsigned char key[KEYSET_KEY]);
void ab_legacy_event_key(const char *id, unsigned char key[KEYSET_KEY]);

/* The hash seed of kind: the one recorded, else "EXPERIMENT:KIND"
 * (pure/ab_assign.h).  A new string; caller frees. */
char *ab_set_hash_seed(const struct ab_set *s, const char *kind);

/* The seed recorded for kind, or NULL. */
const char *ab_set_recorded_seed(const struct ab_set *s, const char *kind);

/* Record seed as the hash seed of kind (replacing any). */
void ab_set_record_seed(struct ab_set *s, const char *kind, const char *seed);

/* Another kind of s (one with variants or a recorded seed) whose hash
 * seed is seed, or NULL: two kinds hashed with one seed would put every
 * unit at the same bucket index in both. */
const char *ab_set_seed_conflict(const struct ab_set *s, const char *kind, const char *seed);

/* The SHA-256 folded under batch key, or NULL when the key is new. */
const char *ab_set_keyed_batch(const struct ab_set *s, const char *key);

/* Remember an input folded: under key, or (key NULL) by its content. */
void ab_set_add_batch(struct ab_set *s, const char *key, const char *sha256);

/* The winner on record for kind, or NULL. */
const struct ab_decided *ab_set_decided(const struct ab_set *s, const char *kind);

/* Record variant as the winner of kind, decided at at on evidence
 * (taken over; may be NULL); the record of kind when one exists. */
struct ab_decided *ab_set_decide(struct ab_set *s, const char *kind, const char *variant,
				 const char *at, cJSON *evidence);

/* A winner on record is looked at as it was decided: on value when it
 * was (unless metric_given), with its horizon (unless horizon_given). */
void ab_decided_options(const struct ab_decided *dd, struct ab_options *o, int metric_given,
			int horizon_given);

/* Whether today's rule (today, over k arms) still declares the winner on
 * record. */
int ab_decided_holds(const struct ab_decided *dd, const struct ab_arm *arms, size_t k,
		     const struct ab_decision *today);

/* The decision line of a kind with a winner on record: the recorded
 * variant, its figures on today's data (res of k arms, analysed and
 * decided as today), when it was decided (and concluded), and whether
 * today's rule still declares it ("holds").  "decision" is "winner" while
 * it holds or once concluded, "reversed" when today's data no longer
 * supports it.  NULL when the recorded variant is not among the arms. */
cJSON *ab_decided_line(const struct ab_decided *dd, const struct ab_arm *arms, size_t k,
		       const struct ab_result *res, const struct ab_decision *today,
		       int *holds);

/* Tally guardrail name (one of opt_out, complaint or those configured);
 * returns its index, or -1 (with the message, BRAIN_USAGE) when it is
 * not a valid name or AB_GUARD_MAX are tallied already. */
int ab_set_guardrail(struct ab_set *s, const char *name);

/* The index of guardrail name, or -1. */
int ab_set_guard_index(const struct ab_set *s, const char *name);

/* Whether w selects everything: no bound, no dimension (NULL is whole). */
int ab_window_whole(const struct ab_window *w);

/* Arms of one kind over window w (as ab_set_arms when w is whole), each
 * marked thompson when any variant of the kind is.
 * *undated: trials of the kind folded before days were kept (or without
 * a day), which no window but the whole holds. */
struct ab_arm *ab_set_arms_in(const struct ab_set *s, const char *kind,
			      const struct ab_window *w, size_t *count, double *undated);

/* The sorted distinct days of kind, and values of dim within the days
 * of w (borrowed strings; the array is the caller's). */
const char **ab_set_days(const struct ab_set *s, const char *kind, size_t *count);
const char **ab_set_dim_values(const struct ab_set *s, const char *kind, const char *dim,
			       const struct ab_window *w, size_t *count);

/* A variant's totals, as a tally. */
void ab_variant_tally(const struct ab_variant *v, struct ab_tally *t);

/* Add t into a variant's cell (day, dim, value; dim NULL for the day's
 * total), created when new. */
void ab_variant_add_cell(struct ab_variant *v, const char *day, const char *dim,
			 const char *value, const struct ab_tally *t);

/* Arms of one kind, in canonical order (by name), for ab_analyze; names
 * and kinds borrowed from s.  *count arms in a new array (caller frees). */
struct ab_arm *ab_set_arms(const struct ab_set *s, const char *kind, size_t *count);

/* The kinds present, sorted, without repeats (borrowed strings; the array
 * is the caller's to free). */
const char **ab_set_kinds(const struct ab_set *s, size_t *count);

#endif
