/*
 * rollout.h - a stepped canary's arithmetic: its steps, the analysis of a
 * step (the canary's rate of a metric against the serving version's) and
 * what follows from it, and which version serves a unit.  Pure: counts
 * in, decisions out; brain-model (cmd/model_rollout.c) reads and stores.
 *
 *     double steps[ROLLOUT_STEPS_MAX]; size_t n;
 *     rollout_parse_steps("10,25,50,100", steps, &n, err, sizeof(err));
 *     rollout_policy_parse(file_json, "policy.json", &base, &policy);
 *     struct rollout_evidence e[ROLLOUT_CONDITIONS_MAX];
 *     r = rollout_analyze(&policy, serving_counts, canary_counts, e);
 *     d = rollout_decide(r, failures, policy.failure_limit, step, n);
 *     in_canary = rollout_route(seed, unit, weight, &bucket);
 *
 * Nothing here allocates or keeps what it is given.
 */
#ifndef BRAIN_ROLLOUT_H
#define BRAIN_ROLLOUT_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "status.h"

#define ROLLOUT_STEPS_MAX 32
#define ROLLOUT_METRIC_MAX 128
#define ROLLOUT_CONDITIONS_MAX 16
#define ROLLOUT_FAILURE_LIMIT_MAX 1000
#define ROLLOUT_SAMPLES_MAX 9007199254740992.0 /* 2^53: counts stay exact */

/* Parse --steps: percentages in (0, 100], comma-separated, strictly
 * increasing, the last 100, at least two.  0, or -1 with the reason in
 * err. */
int rollout_parse_steps(const char *text, double *steps, size_t *n, char *err, size_t size);

/* How the canary's rate is held against the serving version's. */
enum rollout_comparison {
	ROLLOUT_DIFFERENCE, /* canary - serving >= -threshold */
	ROLLOUT_RATIO       /* canary / serving >= 1 - threshold */
};

/* The comparison named text (difference, ratio): 0, or -1. */
int rollout_comparison_parse(const char *text, enum rollout_comparison *out);
const char *rollout_comparison_name(enum rollout_comparison c);

/* One analysis condition. */
struct rollout_condition {
	char metric[ROLLOUT_METRIC_MAX + 1]; /* the metric's name */
	enum rollout_comparison comparison;  /* difference or ratio */
	double threshold;                    /* the worst allowed: a drop (difference) or a share (ratio) */
	double min_samples;                  /* trials each version needs before a verdict */
};

/* What an analysis holds the canary to: every condition, each interval
 * at confidence, and how many failed analyses abort the canary. */
struct rollout_policy {
	struct rollout_condition condition[ROLLOUT_CONDITIONS_MAX]; /* the first n */
	size_t n;                /* how many (0: none given) */
	double confidence;       /* of every interval, in [0.5, 1) */
	size_t failure_limit;    /* failed analyses that abort, >= 1 */
};

/* A policy file's object o (where names it in messages) into *p, whose
 * confidence and failure_limit the caller has set (the configured ones):
 * the file's "confidence" and "failure_limit" replace them, and its
 * "conditions" (an array of at least one object with "metric" and
 * optional "comparison", "threshold", "min_samples") replace p's, each
 * member left out taken from base.  An unknown key, a wrong type or a
 * value out of range is BRAIN_DATA (reported), and then *p is unchanged. */
enum brain_status rollout_policy_parse(const cJSON *o, const char *where,
				       const struct rollout_condition *base,
				       struct rollout_policy *p);

/* A version's outcomes of one metric. */
struct rollout_counts {
	double successes;   /* in [0, trials] */
	double trials;      /* >= 0 */
};

/* What one condition found. */
enum rollout_result {
	ROLLOUT_PASS,         /* the canary is no worse than allowed, with confidence */
	ROLLOUT_INCONCLUSIVE, /* too few samples, or an interval across the bound */
	ROLLOUT_FAIL          /* the canary is worse than allowed, with confidence */
};

const char *rollout_result_name(enum rollout_result r);

struct rollout_evidence {
	enum rollout_result result;  /* the verdict */
	int has_rates;               /* both versions have trials: rates below are set */
	double serving_rate;         /* successes / trials */
	double canary_rate;
	int has_interval;            /* the estimate and interval below are set */
	double estimate;             /* the difference or ratio of the rates */
	double low, high;            /* its interval at the confidence given */
	double bound;                /* what low must reach to pass: -threshold or 1 - threshold */
	const char *why;             /* a static sentence: why this result */
};

/* Judge one condition at confidence (0 < c < 1).  The difference has
 * Newcombe's hybrid score interval (the Wilson intervals of the two rates
 * combined, Newcombe 1998, method 10), which stays inside [-1, 1] and
 * needs no correction at rates of 0 or 1; the ratio has the Katz log
 * interval, inconclusive when either version has no success.  Pass when
 * the low end reaches the bound, fail when the high end is below it. */
enum rollout_result rollout_judge(const struct rollout_condition *c, double confidence,
				  const struct rollout_counts *serving,
				  const struct rollout_counts *canary, struct rollout_evidence *e);

/* Judge every condition of p (serving[i] and canary[i] are the counts of
 * condition i, e[i] what it found) and combine the results. */
enum rollout_result rollout_analyze(const struct rollout_policy *p,
				    const struct rollout_counts *serving,
				    const struct rollout_counts *canary,
				    struct rollout_evidence *e);

/* The results of several conditions as one: a failure fails, else an
 * inconclusive one holds, else pass (no conditions: inconclusive). */
enum rollout_result rollout_combine(size_t n, const enum rollout_result *results);

/* What an analysis does to the canary. */
enum rollout_decision {
	ROLLOUT_ADVANCE,  /* to the next step */
	ROLLOUT_PROMOTE,  /* the next step is 100 %: the canary serves */
	ROLLOUT_HOLD,     /* inconclusive: stay */
	ROLLOUT_FAILED,   /* a failure counted, under the limit: stay */
	ROLLOUT_ABORT     /* failures reached the limit: end the canary */
};

const char *rollout_decision_name(enum rollout_decision d);

/* The decision of result at step (0-based) of nsteps, with failures
 * failed analyses before this one and failure_limit (>= 1) to abort. */
enum rollout_decision rollout_decide(enum rollout_result result, size_t failures,
				     size_t failure_limit, size_t step, size_t nsteps);

/* Whether unit is routed to the canary at weight (0 to 1): its GrowthBook
 * bucket (stats_gb_hash version 2 of seed and unit, in [0, 1)) below
 * weight; the bucket in *bucket.  A unit's bucket does not depend on the
 * weight, so a unit in the canary stays in it as the weight grows. */
int rollout_route(const char *seed, const char *unit, double weight, double *bucket);

#endif
