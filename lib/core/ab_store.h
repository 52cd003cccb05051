/*
 * ab_store.h - brain-ab's experiments in the state directory.
 *
 * A tally set (struct ab_set, pure/ab_fold.h) is what both the stateless
 * `tally` and the stateful `track` fold into; `track` loads it from and
 * saves it to
 *
 *     ab/<experiment-id>/experiment.json   variants, tallies, batch hashes,
 *                                          and the names of the two files:
 *     ab/<experiment-id>/ids.<generation>  event ids already counted (keyset.h)
 *     ab/<experiment-id>/units.<generation> first variant of each unit
 *
 * A change writes new ids/units files under a new generation, then
 * replaces experiment.json atomically (the one commit point, after the
 * audit record), then removes the old generation: a killed `track` leaves
 * the old tallies or the new ones, never a mix.
 */
#ifndef BRAIN_AB_STORE_H
#define BRAIN_AB_STORE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "pure/ab_fold.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/file.h"
#include "pure/ident.h"
#include "core/jsonl.h"
#include "core/state.h"
#include "status.h"

/* A prepared change: experiment.json written and synced, not yet in place. */
struct ab_pending {
	struct file_replace fr;
	int dirfd;                /* ab/<experiment-id>, owned */
	char old_ids[32], old_units[32]; /* files to remove after the commit */
};

/* Load the experiment from the state (an empty set when it does not
 * exist: *exists 0).  BRAIN_STATE for a corrupt file. */
/* The winner rule's thresholds as config.json (in the state directory
 * dirfd, -1 for none) sets them over the built-in defaults: ab.alpha,
 * ab.tuning, ab.min_trials, ab.min_conversions, ab.max_loss, ab.srm_p. */
enum brain_status ab_config_options(int dirfd, struct ab_options *o);

/* The same from a config already loaded (and ab.horizon). */
void ab_config_apply(const struct config *cfg, struct ab_options *o);

/* The winner rule of kind as `brain-ab winner` applies it without
 * options, for every reader of a decision (brain status, brain-packet's
 * recommendation): config's thresholds, horizon and guardrails, and for
 * a winner on record the metric and horizon it was decided with.  A
 * guardrail s has not tallied is added to it, in memory only: its events
 * count as none. */
enum brain_status ab_config_rule(const struct config *cfg, struct ab_set *s, const char *kind,
				 struct ab_options *o);

enum brain_status ab_load(struct state *st, const char *experiment, struct ab_set *s,
			  int *exists);

/* The ids of the experiments in the state (the directories under ab/),
 * sorted; each loads with ab_load.  The caller frees them with
 * state_names_free. */
enum brain_status ab_store_list(struct state *st, char ***ids, size_t *n);

/* Write the new generation of ids/units and prepare experiment.json (p->fr,
 * in ab/<experiment-id>); the caller publishes p->fr with its audit record
 * (change.h), then calls ab_finish with the outcome, which removes the old
 * generation after a success and closes what p holds. */
enum brain_status ab_prepare(struct state *st, struct ab_set *s, struct ab_pending *p);
enum brain_status ab_finish(struct ab_pending *p, enum brain_status status);


#endif
