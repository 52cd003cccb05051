/*
 * score.h - readiness of an agent clone: four components, weighted, with
 * a floor that vetoes readiness whatever the weighted score; and the
 * components computed from raw evaluation runs.  Pure: no I/O.
 *
 * From runs (one record per case and run):
 *   accuracy    = pass rate on unperturbed runs
 *   confidence  = 1 - expected calibration error of the stated confidence
 *                 (10 equal bins over [0, 1]; ECE = sum over bins of
 *                 n_b / N * |pass rate_b - mean confidence_b|)
 *   consistency = share of cases that pass in all of their unperturbed
 *                 runs (pass^k)
 *   robustness  = pass rate on perturbed runs
 */
#ifndef BRAIN_SCORE_H
#define BRAIN_SCORE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "pure/json.h"
#include "status.h"

enum { SCORE_ACCURACY, SCORE_CONFIDENCE, SCORE_CONSISTENCY, SCORE_ROBUSTNESS, SCORE_N };

extern const char *const score_component_names[SCORE_N];

struct score_input {
	double value[SCORE_N];
	int has[SCORE_N];          /* component known */
	double weight[SCORE_N];    /* any non-negative scale; equal by default */
	double threshold;          /* ready at or above (0.85) */
	double floor;              /* a component below vetoes (0.70) */
};

struct score_result {
	double readiness;          /* weighted mean of the known components */
	int has_readiness;
	int ready;
	int failing[SCORE_N];      /* under the floor, or missing */
	char reason[256];
};

void score_input_default(struct score_input *in);
/* The weighted readiness of in's known components, then score_verdict. */
void score_compute(const struct score_input *in, struct score_result *out);

/* What the reason says when the components are not known. */
#define SCORE_NO_COMPONENTS " (components not known: the floor is not checked)"

/*
 * The readiness rule, the one brain-score and brain-gate both apply:
 * ready when every component is known and at or above floor and the
 * readiness (already weighted) is at or above threshold.  has[i] 0 is a
 * missing component, which fails like one under the floor.  has NULL
 * means the components are not known at all (a bare readiness number):
 * only the threshold is checked, and the reason says so.
 */
void score_verdict(double readiness, const double value[SCORE_N], const int has[SCORE_N],
		   double threshold, double floor, struct score_result *out);

/* Accumulates runs; then score_runs_finish fills the components. */
struct score_runs {
	double unperturbed, unperturbed_passed, perturbed, perturbed_passed;
	double bin_n[10], bin_passed[10], bin_conf[10], with_confidence;
	/* per case: runs and passes (unperturbed) */
	char **cases;
	double *case_runs, *case_passed;
	size_t ncases, cap;
	size_t k_max;
	cJSON *compliance_failures;   /* [{"case","run","check"}], owned */
};

void score_runs_init(struct score_runs *r);
/* Add one run record; BRAIN_DATA (reported at loc) when it is bad. */
enum brain_status score_runs_add(struct score_runs *r, const cJSON *rec,
				 const struct json_loc *loc);
/* Fill in->value/has from the runs; the counts go into counts (an object
 * the caller owns). */
void score_runs_finish(struct score_runs *r, struct score_input *in, cJSON *counts);
void score_runs_free(struct score_runs *r);

/* Wilson score intervals (pure/stats.h) of the components that are pass
 * rates: accuracy (passes of unperturbed runs), consistency (cases that
 * pass every run, of the cases) and robustness (passes of perturbed
 * runs).  Confidence, 1 - ECE, is not a proportion and has none. */
struct score_intervals {
	double level;              /* e.g. 0.95 */
	double low[SCORE_N], high[SCORE_N];
	int has[SCORE_N];          /* an interval for that component */
};

#define SCORE_LEVEL 0.95

/* The intervals of r's components at level (after score_runs_finish). */
void score_runs_intervals(const struct score_runs *r, double level, struct score_intervals *iv);

/* The readiness range: in's weighted mean with each component at the
 * low (then high) end of its interval, a component without one at its
 * value.  A range that carries the components' uncertainty, not an
 * interval with a coverage of its own.  0 when in has a known component,
 * else -1. */
int score_readiness_range(const struct score_input *in, const struct score_intervals *iv,
			  double *low, double *high);

#endif
