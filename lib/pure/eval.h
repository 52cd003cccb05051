/*
 * eval.h - what brain-eval (and brain-gate) conclude from an outcome
 * series: its trend (Mann-Kendall, Sen's slope, first and last, the
 * improvement rate) and whether the configured detector (CUSUM or
 * Page-Hinkley, pure/trend.h) raises a regression.  Pure: the series is
 * read by core/eval_store.h.
 */
#ifndef BRAIN_EVAL_H
#define BRAIN_EVAL_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "status.h"

struct eval_series {
	char *metric;       /* owned */
	double *score;      /* n scores, oldest first (eval_series_sort) */
	time_t *ts;         /* their times */
	char **label;       /* labels or NULL */
	size_t n, cap;      /* points held, and room for */
};

struct eval_options {
	double alpha;           /* Mann-Kendall level */
	int cusum;              /* 1: CUSUM, 0: Page-Hinkley */
	double baseline;        /* CUSUM mu0; NAN: mean of the first half */
	double k, h;            /* CUSUM, score units; 0: from the baseline sd */
	double delta, lambda;   /* Page-Hinkley, score units; 0: from the baseline sd */
};

/* The default Page-Hinkley threshold in sd of the first half: stationary
 * noise passes it in well under 1 % of 30-point series, while a drop of
 * 2 sd is caught about 8 points after it starts. */
#define EVAL_PH_LAMBDA_SD 8

struct eval_trend {
	size_t n;
	double first, last;
	const char *trend;               /* improving, declining or flat (eval_trend) */
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

void eval_series_free(struct eval_series *s);

/* Put the points in time order; equal times keep their order (records are
 * appended as they arrive, and a backfilled day arrives late). */
void eval_series_sort(struct eval_series *s);

/* Trend and regression of a series in time order (eval_series_sort); -1
 * when it is empty.  stats_out (n values, or NULL) gets the detector's
 * statistic at every point.
 *
 * The label never disagrees with the numbers beside it: "improving" or
 * "declining" only when Mann-Kendall is significant at alpha and S, Sen's
 * slope (when there is one) and last - first all have that sign; else
 * "flat".  A series too short for the test ever to reach alpha (n <= 4 at
 * 0.05) cannot be significant, and gets the direction on which those
 * three agree. */
int eval_trend(const struct eval_series *s, const struct eval_options *o,
	       struct eval_trend *t, double *stats_out);

/* The trend as the documented output line (caller deletes). */
cJSON *eval_trend_line(const char *metric, const struct eval_trend *t);

#endif
