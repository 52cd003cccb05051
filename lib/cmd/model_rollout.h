/*
 * model_rollout.h - brain-model's stepped canaries: a canary whose weight
 * steps (10, 25, 50, 100 %), each step analysed against the serving
 * version from recorded outcomes, and which version serves a unit.
 *
 *   update --strategy=canary --steps=10,25,50,100
 *                the canary starts at the first step (model_rollout_start);
 *                its steps, the step it is at and its failed analyses are
 *                kept in model.json beside canary_weight
 *   analyze MODEL [FILE|-]
 *                judge the step from outcome lines (one per version and
 *                metric, successes and trials or one value of 0 or 1)
 *                under the analysis policy (model.analysis_* settings or
 *                --analysis=FILE; core/canary_analysis.h reads them,
 *                pure/rollout.h has the statistics), those since the
 *                step began (step_started_at) or --since, and
 *                advance, promote at 100 %, hold, count a failure or abort
 *                and roll back: one change, audited as model.analyze with
 *                its evidence, or nothing with --dry-run
 *   route MODEL UNIT|-
 *                the version that serves each unit at the current weight
 *
 *     model_rollout_start(&m, v, steps, nsteps, weight, reason, sizeof(reason));
 *     model_rollout_update_fields(line, &m);    // on the update's line
 *     model_rollout_analyze(cli, "lead-scorer", &(struct model_rollout_args){
 *             "outcomes.jsonl", NULL, NULL });
 *     model_rollout_route(cli, "lead-scorer", "lead-42");
 */
#ifndef BRAIN_MODEL_ROLLOUT_H
#define BRAIN_MODEL_ROLLOUT_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "cmd/cli.h"
#include "core/model_store.h"
#include "status.h"

/* Start v as m's canary: at the first of steps (nsteps of them, as
 * rollout_parse_steps gave them) or, with nsteps 0, at weight alone.  A
 * stepped canary needs a serving version to be judged against (else
 * BRAIN_NO, reported, and m unchanged).  Why, for the update's line, in
 * reason. */
enum brain_status model_rollout_start(struct model *m, struct version *v, const double *steps,
				      size_t nsteps, double weight, char *reason, size_t size);

/* The canary's weight, and a stepped canary's step and steps, added to an
 * update's line that made m's canary. */
void model_rollout_update_fields(cJSON *line, const struct model *m);

/* For show --format=text: ", canary V at weight W" and a stepped
 * canary's step, after the model's "serving ..." (no newline). */
void model_rollout_print_canary(const struct model *m, FILE *out);

/* For history: the weights and steps a record of the trail carries
 * (canary_weight, step, next_step, next_canary_weight), copied to o. */
void model_rollout_history_fields(cJSON *o, const cJSON *details);

/* What analyze reads: the outcome file (NULL or "-": stdin), the policy
 * file (--analysis, or NULL) and the window's start (--since, or NULL:
 * the step's start). */
struct model_rollout_args {
	const char *file;
	const char *analysis;
	const char *since;
};

/* brain-model analyze MODEL [FILE|-].  BRAIN_OK when the canary advanced
 * or was promoted; BRAIN_NO when it held, failed or was aborted, and when
 * no stepped canary runs. */
enum brain_status model_rollout_analyze(const struct cli *cli, const char *model,
					const struct model_rollout_args *r);

/* brain-model route MODEL UNIT, or MODEL - (unit ids from stdin, one a
 * line). */
enum brain_status model_rollout_route(const struct cli *cli, const char *model,
				      const char *unit);

#endif
