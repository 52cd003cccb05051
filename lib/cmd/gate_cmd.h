/*
 * gate_cmd.h - brain-gate: every deployment gate of a clone, PROMOTE or
 * BLOCK with the reason for each gate.
 *
 * A gate decision is an audit record (action gate.decision) holding its
 * evidence, policy and policy hash, so `brain-gate replay SEQ` can
 * evaluate it again and say whether it matches.  Waivers live in
 * gates/waivers.json (core/clone_store.h), one per clone and gate: `waive`
 * gives or replaces one, `unwaive` removes it, `waivers` lists them.
 * A clone's stepped deployment (`deploy`, `analyze`, `route`) is
 * cmd/gate_deploy.h, which asks gate_cmd_evaluate for the gate decision.
 */
#ifndef BRAIN_GATE_CMD_H
#define BRAIN_GATE_CMD_H

#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cmd/cli.h"
#include "core/state.h"
#include "pure/gate.h"
#include "pure/rollout.h"
#include "status.h"

struct gate_args {
	double readiness, accuracy;
	int has_readiness, has_accuracy;
	int regression;              /* -1: not given */
	const char *policy;          /* --policy=FILE */
	const char *metric;          /* --metric (default clone:<id>) */
	const char *until;           /* waive --until */
	const char *comparison;      /* --comparison=FILE: brain-score compare's output */
	double steps[ROLLOUT_STEPS_MAX]; /* deploy --steps, in percent */
	size_t nsteps;               /* how many (0: not given) */
	const char *baseline;        /* deploy --baseline */
	const char *analysis;        /* analyze --analysis=FILE */
	const char *since;           /* analyze --since=TIME */
};

enum brain_status gate_cmd(const struct cli *cli, struct gate_args *a, const char *clone,
			   int from_stdin);
enum brain_status gate_cmd_policy(const struct cli *cli, struct gate_args *a);
enum brain_status gate_cmd_waive(const struct cli *cli, struct gate_args *a, const char *clone,
				 const char *gate);
/* `replay SEQ`: the gate decision of audit record SEQ (gate.decision, or
 * the one a gate.deploy was allowed by) evaluated again. */
enum brain_status gate_cmd_replay(const struct cli *cli, const char *seq);

/* The gate decision of clone id on its stored evidence at now, as
 * `brain-gate CLONE` makes it (a's policy, metric and evidence options
 * apply), for a deployment: *promote, and in *details (caller deletes)
 * the fields of a gate.decision record's details.  Nothing is recorded.
 * st is open (the caller's lock, if any). */
enum brain_status gate_cmd_evaluate(struct state *st, const struct gate_args *a, const char *id,
				    time_t now, int *promote, cJSON **details);

/* `unwaive CLONE GATE`: remove the clone's waiver of gate, audited
 * (gate.unwaive); none is BRAIN_DATA, naming the gates it has waivers of. */
enum brain_status gate_cmd_unwaive(const struct cli *cli, const char *clone, const char *gate);

/* `waivers [CLONE]`: the waivers in force (of one clone, or all), each
 * with the whole days left, warning of those ending within
 * GATE_WAIVER_WARN_DAYS days. */
enum brain_status gate_cmd_waivers(const struct cli *cli, const char *clone);

#endif
