/*
 * eval_store.h - outcome series in the state directory (pure/eval.h
 * holds what brain-eval and brain-gate conclude from them).
 *
 * Outcomes live in eval/outcomes.jsonl, one line per recorded score:
 *     {"ts":"2026-11-28T12:00:00Z","metric":"outcome","score":0.85,"label":"A/B winner"}
 * appended by whole lines under the lock, each also an audit record
 * (action eval.record).  A metric name is 1 to 128 of a-z 0-9 . _ : -
 * ("outcome", "clone:clone_alpha").
 *
 *     struct eval_series s;
 *     eval_series_load(dirfd, "outcome", window, &s);   // by time, oldest first
 *     struct eval_trend t; eval_trend(&s, &opts, &t);
 *     eval_series_free(&s);
 */
#ifndef BRAIN_EVAL_STORE_H
#define BRAIN_EVAL_STORE_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "pure/eval.h"
#include "status.h"

#define EVAL_LOG "outcomes.jsonl"

/* Load a metric's series in time order (eval_series_sort: equal times in
 * log order), then keep its newest window points (0: all).  A missing log
 * is an empty series; on failure *s holds nothing to free. */
enum brain_status eval_series_load(int dirfd, const char *metric, size_t window,
				   struct eval_series *s);

/* Options from config.json (dirfd -1: defaults). */
enum brain_status eval_options_load(int dirfd, struct eval_options *o);

/* One line of the log, as the readers above take it (every member
 * borrowed from the line). */
struct eval_outcome {
	const char *metric;   /* the metric's name */
	double score;         /* finite */
	time_t ts;            /* when it was recorded */
	const char *label;    /* or NULL */
};

/* Read a parsed line of the log into *o: 0, or -1 when a member is
 * missing or of the wrong type (the readers above call the log corrupt).
 * For a caller that reads the log line by line itself (brain-verify's
 * format check) and counts outcomes on the way. */
int eval_outcome_read(const cJSON *line, struct eval_outcome *o);

/* The names of the metrics in the log, sorted, with their counts (caller
 * frees names[i], names and counts). */
enum brain_status eval_metrics(int dirfd, char ***names, size_t **counts, size_t *n);

/* The regression state of a metric under the configured detector, for
 * brain-gate: *regression 1/0, *n points (0: no evidence). */
enum brain_status eval_regression_state(int dirfd, const char *metric, int *regression,
					size_t *n, const char **detector, long *change_index);

#endif
