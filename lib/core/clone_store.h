/*
 * clone_store.h - the files of the clone blocks (brain-score, brain-gate):
 *
 *   clones/<clone-id>/scores.jsonl   every score with its inputs, appended
 *                                    (each also an audit record score.record)
 *   clones/<clone-id>/deployment.json  its stepped deployment (brain-gate
 *                                    deploy, analyze): baseline, steps,
 *                                    step, weight, failures, state
 *   gates/waivers.json               waivers: clone, gate, until, reason,
 *                                    actor; one per clone and gate
 *
 * and the gate policy in force (a policy file, or the gate.* and score.*
 * settings).
 * Clone ids are checked by the caller (pure/ident.h).
 */
#ifndef BRAIN_CLONE_STORE_H
#define BRAIN_CLONE_STORE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/audit.h"
#include "core/canary_analysis.h"
#include "core/jsonl.h"
#include "core/state.h"
#include "pure/gate.h"
#include "pure/ident.h"
#include "status.h"

#define CLONE_SCORES "scores.jsonl"
#define CLONE_WAIVERS "waivers.json"
#define CLONE_DEPLOYMENT "deployment.json"

/* A clone's stepped deployment: its canary against a baseline, then the
 * clone serving, or aborted, or retired (another clone serves since). */
struct clone_deployment {
	char clone[IDENT_MAX + 1];              /* the clone deployed */
	char baseline[CANARY_ID_SIZE];          /* what it is judged against */
	double steps[ROLLOUT_STEPS_MAX];        /* weights in percent, the last 100 */
	size_t nsteps;                          /* how many */
	size_t step;                            /* the step it is (or was last) at, 0-based */
	double weight;                          /* its share of traffic now */
	size_t failures;                        /* failed analyses */
	char state[16];                         /* canary, serving, aborted, retired */
	char started_at[TIME_TEXT_SIZE];        /* when the deployment began */
	char step_started_at[TIME_TEXT_SIZE];   /* when its step began */
};

/* The deployment of clone id in *d: BRAIN_NO (without a message) when it
 * has none; BRAIN_STATE (reported, naming the file and field) when the
 * file is not one. */
enum brain_status clone_store_load_deployment(int dirfd, const char *id,
					      struct clone_deployment *d);

/* Every stored deployment (of the clones under clones/), in clone order,
 * in *d (*n of them; caller frees). */
enum brain_status clone_store_deployments(struct state *st, struct clone_deployment **d,
					  size_t *n);

/* d as stored (caller deletes). */
cJSON *clone_store_deployment_json(const struct clone_deployment *d);

/* Replace the deployment files of the n deployments d, each with its
 * audit record evs[i], as one change.  The caller holds the lock. */
enum brain_status clone_store_save_deployments(struct state *st,
					       const struct clone_deployment *d, size_t n,
					       const struct audit_event *evs);

/* The ids of the clones with stored scores (the directories under
 * clones/), sorted.  The caller frees them with state_names_free. */
enum brain_status clone_store_list(struct state *st, char ***ids, size_t *n);

/* The latest stored score of clone id in *out (caller deletes), or NULL
 * when it has none.  BRAIN_STATE (reported) for a bad log. */
enum brain_status clone_store_latest_score(int dirfd, const char *id, cJSON **out);

/* Call fn on every stored score of clone id, oldest first; BRAIN_NO
 * (without a message) when it has none.  See jsonl_each_at. */
enum brain_status clone_store_each_score(int dirfd, const char *id, jsonl_each_fn *fn,
					 void *arg);

/* Append score (borrowed) to the clone's log with its audit record ev, as
 * one change.  The caller holds the lock. */
enum brain_status clone_store_append_score(struct state *st, const char *id,
					   const cJSON *score, const struct audit_event *ev);

/* The policy in force: the JSON policy file when file is not NULL (a
 * missing file is BRAIN_USAGE), else the settings of config.json at
 * dirfd: the readiness gate's threshold and floor are brain-score's
 * (score.threshold, score.floor), the rest gate.*.  A config.json that
 * still sets the retired gate.min_readiness is BRAIN_STATE (reported),
 * so an operator's old threshold is never silently ignored. */
enum brain_status clone_store_policy(int dirfd, const char *file, struct gate_policy *p);

/* The waivers in force of clone id (all clones when id is NULL) in *w
 * (*n of them, sorted as clone_store_waivers_in_force, caller frees), and
 * the whole list as stored in *all (caller deletes) for a writer.  A
 * missing file is an empty list.  Every waiver is checked: a malformed
 * one, or one naming no gate, is BRAIN_STATE (reported). */
enum brain_status clone_store_waivers(int dirfd, const char *id, struct gate_waiver **w,
				      size_t *n, cJSON **all);

/* The waivers in force in all (as clone_store_waivers gave it): for each
 * clone and gate the last one in the list, the newest, since a file
 * written before waivers were one per clone and gate may hold several.
 * Of clone id only, unless id is NULL; sorted by clone, then gate in
 * gate_names order.  *items is an array of *n pointers into all (the
 * caller frees the array, not the items). */
void clone_store_waivers_in_force(const cJSON *all, const char *id, const cJSON ***items,
				  size_t *n);

/* Take every waiver of clone and gate out of all: the newest in *newest
 * (the caller deletes it; NULL when there is none), and the number of
 * older ones dropped with it in *older. */
void clone_store_waiver_take(cJSON *all, const char *clone, const char *gate, cJSON **newest,
			     size_t *older);

/* Replace gates/waivers.json with all (borrowed) and the audit record ev,
 * as one change.  The caller holds the lock. */
enum brain_status clone_store_save_waivers(struct state *st, const cJSON *all,
					   const struct audit_event *ev);

#endif
