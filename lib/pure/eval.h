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

void eval_series_free(struct eval_series *s);

/* Trend and regression of a series; -1 when it is empty. */
int eval_trend(const struct eval_series *s, const struct eval_options *o,
	       struct eval_trend *t, double *stats_out);

/* The trend as the documented output line (caller deletes). */
cJSON *eval_trend_line(const char *metric, const struct eval_trend *t);

#endif
