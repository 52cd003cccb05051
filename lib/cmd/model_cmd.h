/*
 * model_cmd.h - the model registry behind brain-model: immutable versions,
 * update strategies, promotion and rollback, content-addressed artifacts.
 *
 * State:
 *   models/<model-id>/model.json   the model: versions, which one serves,
 *                                  the running canary, the rollback stack;
 *                                  replaced atomically after its audit record
 *   models/objects/<sha256>        artifact bytes, stored once per content,
 *                                  read-only, re-hashed whenever handed out
 * The history of a model is its audit trail (actions model.*): who, when,
 * from which serving version to which, and why.
 *
 * Aliases, tags, descriptions and lineage: cmd/model_registry.h.
 * Stepped canaries (--steps, analyze, route): cmd/model_rollout.h.
 *
 * Version states: serving, candidate (kept, not serving), shadow, canary,
 * rejected (failed the incremental rule), aborted (a canary ended).  A
 * version's number, accuracy, metrics and artifact never change.
 */
#ifndef BRAIN_MODEL_CMD_H
#define BRAIN_MODEL_CMD_H

#include "cmd/cli.h"
#include "pure/rollout.h"
#include "status.h"

enum model_strategy { MODEL_INCREMENTAL, MODEL_SHADOW, MODEL_CANARY, MODEL_FULL };

struct model_args {
	const char *artifact;       /* --artifact=FILE */
	double accuracy;            /* --accuracy */
	int has_accuracy;
	const char **metrics;       /* --metric=K=V, repeatable */
	size_t nmetrics;
	int serve;                  /* --serve (create) */
	enum model_strategy strategy;
	double canary_weight;       /* --canary-weight (0.1) */
	int has_canary_weight;      /* --canary-weight given */
	double steps[ROLLOUT_STEPS_MAX]; /* --steps, in percent */
	size_t nsteps;              /* how many (0: not given) */
	const char *analysis;       /* analyze --analysis=FILE */
	const char *since;          /* analyze --since=TIME */
	double tolerance;           /* --tolerance (0) */
	const char *expect_serving; /* --expect-serving=VERSION_ID */
	const char *to;             /* rollback --to */
	const char **tags;          /* --tag=K=V, repeatable */
	size_t ntags;
	const char *description;    /* --description=TEXT */
	const char **trained_on;    /* --trained-on=BATCH[,BATCH...], repeatable */
	size_t ntrained;
	int del;                    /* --delete (alias, tag) */
};

enum brain_status model_cmd_create(const struct cli *cli, const struct model_args *a,
				   const char *name);
enum brain_status model_cmd_update(const struct cli *cli, const struct model_args *a,
				   const char *target);
enum brain_status model_cmd_promote(const struct cli *cli, const struct model_args *a,
				    const char *version_id);
enum brain_status model_cmd_abort(const struct cli *cli, const char *model);
enum brain_status model_cmd_rollback(const struct cli *cli, const struct model_args *a,
				     const char *model);
enum brain_status model_cmd_show(const struct cli *cli, const char *model);
enum brain_status model_cmd_history(const struct cli *cli, const char *model);
enum brain_status model_cmd_list(const struct cli *cli);
enum brain_status model_cmd_artifact(const struct cli *cli, const char *version_id);
enum brain_status model_cmd_compare(const struct cli *cli, const char *a, const char *b);

#endif
