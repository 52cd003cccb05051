/*
 * score_cmd.h - brain-score: the readiness of an agent clone, from its
 * component metrics or computed from raw evaluation runs; each score is
 * stored with its inputs (core/clone_store.h) and audited.
 */
#ifndef BRAIN_SCORE_CMD_H
#define BRAIN_SCORE_CMD_H

#include "cmd/cli.h"
#include "pure/compare.h"
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

/* brain-score compare (score_compare.c): a candidate's runs against the
 * baseline's, paired by case and run (pure/compare.h). */
struct score_compare_args {
	const char *baseline, *candidate;   /* --baseline, --candidate: FILE or - */
	struct compare_options options;     /* --alpha, --case-margin, --min-case-pass */
	int fail_on_regression;             /* exit 1 when a regression is found */
};

/* BRAIN_NO when --fail-on-regression finds a regression or a case is
 * under --min-case-pass. */
enum brain_status score_cmd_compare(const struct cli *cli, const struct score_compare_args *a);

#endif
