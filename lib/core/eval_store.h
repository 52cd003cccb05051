/*
 * eval.h - outcome series: reading them from the state directory, and
 * what brain-eval (and brain-gate) conclude from them.
 *
 * Outcomes live in eval/outcomes.jsonl, one line per recorded score:
 *     {"ts":"2026-11-28T12:00:00Z","metric":"outcome","score":0.85,"label":"A/B winner"}
 * appended by whole lines under the lock, each also an audit record
 * (action eval.record).  A metric name is 1 to 128 of a-z 0-9 . _ : -
 * ("outcome", "clone:clone_alpha").
 *
 *     struct eval_series s;
 *     eval_series_load(dirfd, "outcome", window, &s);   // oldest first
 *     struct eval_trend t; eval_trend(&s, &opts, &t);
 *     eval_series_free(&s);
 */
#ifndef BRAIN_EVAL_H
#define BRAIN_EVAL_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "status.h"

#define EVAL_LOG "outcomes.jsonl"

struct eval_series {
	char *metric;       /* owned */
	double *score;      /* n scores, oldest first */
	time_t *ts;         /* their times */
	char **label;       /* labels or NULL */
	size_t n, cap;
};

struct eval_options {
	double alpha;           /* Mann-Kendall level */
	int cusum;              /* 1: CUSUM, 0: Page-Hinkley */
	double baseline;        /* CUSUM mu0; NAN: mean of the first half */
	double k, h;            /* CUSUM, score units; 0: from the baseline sd */
	double delta, lambda;   /* Page-Hinkley */
};

struct eval_trend {
	size_t n;
	double first, last;
	const char *trend;               /* improving, declining or flat */
	double improvement_rate;         /* (last - first) / first */
	int has_improvement_rate;
	double sen_slope;                /* per day */
	int has_sen_slope;
	double mk_s, mk_z, p_value;
	int has_mk;
	int significant;
	int regression;                  /* the detector fired */
	const char *detector;            /* "cusum" or "page-hinkley" */
	long change_index;               /* 1-based point that fired, 0 if none */
	double statistic, threshold;     /* the detector's last value and limit */
};

/* 1 when name is a valid metric name. */
int eval_metric_valid(const char *name);

/* Load a metric's series (the last window points; 0: all).  A missing log
 * is an empty series. */
enum brain_status eval_series_load(int dirfd, const char *metric, size_t window,
				   struct eval_series *s);
void eval_series_free(struct eval_series *s);

/* Options from config.json (dirfd -1: defaults). */
enum brain_status eval_options_load(int dirfd, struct eval_options *o);

/* Trend and regression of a series; -1 when it is empty. */
int eval_trend(const struct eval_series *s, const struct eval_options *o,
	       struct eval_trend *t, double *stats_out);

/* The trend as the documented output line (caller deletes). */
cJSON *eval_trend_line(const char *metric, const struct eval_trend *t);

/* The names of the metrics in the log, sorted, with their counts (caller
 * frees names[i], names and counts). */
enum brain_status eval_metrics(int dirfd, char ***names, size_t **counts, size_t *n);

/* The regression state of a metric under the configured detector, for
 * brain-gate: *regression 1/0, *n points (0: no evidence). */
enum brain_status eval_regression_state(int dirfd, const char *metric, int *regression,
					size_t *n, const char **detector, long *change_index);

#endif
