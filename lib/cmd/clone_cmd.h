/*
 * clone_cmd.h - brain-score and brain-gate over the clone state:
 *
 *   clones/<clone-id>/scores.jsonl   every score with its inputs, appended
 *                                    (each also an audit record score.record)
 *   gates/waivers.json               waivers: clone, gate, until, reason
 *
 * A gate decision is an audit record (action gate.decision) holding its
 * evidence, policy and policy hash, so `brain-gate replay SEQ` can
 * evaluate it again and say whether it matches.
 */
#ifndef BRAIN_CLONE_CMD_H
#define BRAIN_CLONE_CMD_H

#include <stdint.h>

#include "cmd/cli.h"
#include "pure/gate.h"
#include "pure/score.h"
#include "status.h"

struct score_args {
	struct score_input in;       /* components given, weights, threshold, floor */
	unsigned given;              /* SCORE_GIVEN_* */
	const char *runs;            /* --runs=FILE|- */
};

enum { SCORE_GIVEN_THRESHOLD = 1, SCORE_GIVEN_FLOOR = 2 };

enum brain_status score_cmd(const struct cli *cli, struct score_args *a, const char *clone);
enum brain_status score_cmd_history(const struct cli *cli, const char *clone);

struct gate_args {
	double readiness, accuracy;
	int has_readiness, has_accuracy;
	int regression;              /* -1: not given */
	const char *policy;          /* --policy=FILE */
	const char *metric;          /* --metric (default clone:<id>) */
	const char *until;           /* waive --until */
};

enum brain_status gate_cmd(const struct cli *cli, struct gate_args *a, const char *clone,
			   int from_stdin);
enum brain_status gate_cmd_policy(const struct cli *cli, struct gate_args *a);
enum brain_status gate_cmd_waive(const struct cli *cli, struct gate_args *a, const char *clone,
				 const char *gate);
enum brain_status gate_cmd_replay(const struct cli *cli, const char *seq);

#endif
