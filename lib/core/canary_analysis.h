/*
 * canary_analysis.h - the analysis of a stepped canary's step, shared by
 * brain-model (a model's canary version) and brain-gate (a clone's
 * deployment): the analysis policy in force, the outcome lines read and
 * counted per side (the version serving, the canary) within a time
 * window, the decision and what follows from it, and the line that
 * reports it.  The statistics are pure/rollout.h's; the caller owns its
 * store and applies the decision to it.
 *
 *     struct canary_analysis *a = xcalloc(1, sizeof(*a));
 *     canary_analysis_policy(dirfd, analysis_file, &a->p);
 *     // set a->serving, a->canary, a->steps, a->nsteps, a->step,
 *     // a->weight, a->failures, a->since (or a->has_since = 0)
 *     a->o.side = my_side; a->o.arg = my_store;
 *     canary_analysis_run(a, "outcomes.jsonl");
 *     // apply a->d to the store: a->next_step, a->next_weight, a->failures
 *     line = canary_analysis_line(a, "model_id", m->id, m->serving);
 *
 * Outcome lines: {"version":V,"metric":M,"successes":S,"trials":T} or
 * {"version":V,"metric":M,"value":0|1}, with an optional "ts" (RFC
 * 3339): a line whose ts is before the window's start is read but not
 * counted; a line without ts always counts.
 */
#ifndef BRAIN_CANARY_ANALYSIS_H
#define BRAIN_CANARY_ANALYSIS_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "pure/json.h"
#include "pure/rollout.h"
#include "pure/time_text.h"
#include "status.h"

#define CANARY_ID_SIZE 96 /* a version id (model-id@N) or a clone id, and NUL */

/* Which counts of condition i an outcome of version adds to: the serving
 * side's, the canary's, or NULL (not one of the two: the line is read and
 * not counted).  A version the caller knows to be wrong sets *status
 * (reported) and returns NULL. */
typedef struct rollout_counts *canary_side_fn(void *arg, struct rollout_counts *serving,
					      struct rollout_counts *canary, const char *version,
					      const struct json_loc *loc, enum brain_status *status);

/* The outcomes an analysis reads, per condition of the policy. */
struct canary_outcomes {
	canary_side_fn *side;                                   /* sorts a line's version */
	void *arg;                                              /* side's */
	int has_since;                                          /* the window below applies */
	time_t since;                                           /* lines before it do not count */
	struct rollout_counts serving[ROLLOUT_CONDITIONS_MAX];  /* the serving side's */
	struct rollout_counts canary[ROLLOUT_CONDITIONS_MAX];   /* the canary's */
	double read, counted, before;                           /* lines: all, counted, too early */
};

/* An analysis under way: what the caller sets, then what run finds. */
struct canary_analysis {
	struct rollout_policy p;                           /* the conditions */
	struct canary_outcomes o;                          /* what was counted */
	char serving[CANARY_ID_SIZE], canary[CANARY_ID_SIZE]; /* the sides judged */
	double steps[ROLLOUT_STEPS_MAX];                   /* the canary's steps */
	size_t nsteps;                                     /* how many */
	size_t step;                                       /* the step judged, 0-based */
	double weight;                                     /* the canary's weight at it */
	size_t failures;                                   /* failed analyses: before run, then with this one */
	char since[TIME_TEXT_SIZE];                        /* the window's start as text, "" for none */
	/* Set by canary_analysis_run: */
	struct rollout_evidence e[ROLLOUT_CONDITIONS_MAX]; /* what each condition found */
	enum rollout_result result;                        /* all of them as one */
	enum rollout_decision d;                           /* what follows */
	size_t next_step;                                  /* the step after, 0-based */
	double next_weight;                                /* the canary's weight after */
	char reason[512];                                  /* the decision in a sentence */
};

/* The analysis policy: the model.analysis_* settings of config.json at
 * dirfd (one condition when model.analysis_metric is set), under the
 * policy file when file is not NULL (a missing file is BRAIN_USAGE). */
enum brain_status canary_analysis_policy(int dirfd, const char *file, struct rollout_policy *p);

/* The window's start: since_text (--since, RFC 3339) when not NULL, else
 * step_started (the time the step began, "" when not known: no window),
 * into a->since and a->o. BRAIN_USAGE for a bad --since. */
enum brain_status canary_analysis_window(struct canary_analysis *a, const char *since_text,
					 const char *step_started);

/* Read the outcome lines of file (NULL or "-": stdin), judge them under
 * a->p and decide: a->d, a->next_step, a->next_weight, a->failures and
 * a->reason.  BRAIN_USAGE when the policy has no condition. */
enum brain_status canary_analysis_run(struct canary_analysis *a, const char *file);

/* What a decision does, as a line's action: ADVANCED, PROMOTED, HELD,
 * FAILED, ABORTED. */
const char *canary_action_name(enum rollout_decision d);

/* Whether the decision ends the canary (promoted or aborted). */
int canary_analysis_ended(const struct canary_analysis *a);

/* The line of an analysis and its audit record's details (caller
 * deletes): key names subject ("model_id", "clone"); serving_after is
 * what serves once the decision is applied. */
cJSON *canary_analysis_line(const struct canary_analysis *a, const char *key,
			    const char *subject, const char *serving_after);

/* Call fn on unit, or on each line of stdin when unit is "-" (a CR
 * before the LF is not part of it; blank lines are skipped).  A unit id
 * is 1 to 1024 bytes of UTF-8 without control characters (BRAIN_DATA,
 * reported, naming the line). */
int canary_unit_valid(const char *unit, size_t len);
typedef enum brain_status canary_unit_fn(void *arg, const char *unit);
enum brain_status canary_each_unit(const char *unit, canary_unit_fn *fn, void *arg);

#endif
