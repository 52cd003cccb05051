/*
 * eval_cmd.h - the brain-eval commands: record outcomes, and report their
 * trend and regressions (eval.h has the series and the analysis).
 */
#ifndef BRAIN_EVAL_CMD_H
#define BRAIN_EVAL_CMD_H

#include <stddef.h>

#include "cmd/cli.h"
#include "core/eval_store.h"
#include "status.h"

struct eval_args {
	const char *metric;        /* --metric (default "outcome") */
	const char *label;         /* --label */
	const char *at;            /* --at */
	size_t window;             /* --window (0: all) */
	struct eval_options opts;  /* from config, then options */
	unsigned given;            /* EVAL_GIVEN_* */
	int verbose;               /* --verbose */
};

enum {
	EVAL_GIVEN_ALPHA = 1, EVAL_GIVEN_METHOD = 2, EVAL_GIVEN_BASELINE = 4, EVAL_GIVEN_K = 8,
	EVAL_GIVEN_H = 16, EVAL_GIVEN_LAMBDA = 32, EVAL_GIVEN_DELTA = 64
};

enum brain_status eval_cmd_record(const struct cli *cli, struct eval_args *a, const char *score);
enum brain_status eval_cmd_record_stream(const struct cli *cli, struct eval_args *a,
					 const char *path);
enum brain_status eval_cmd_trend(const struct cli *cli, struct eval_args *a);
enum brain_status eval_cmd_watch(const struct cli *cli, struct eval_args *a);
enum brain_status eval_cmd_list(const struct cli *cli);

#endif
