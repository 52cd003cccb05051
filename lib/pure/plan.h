/*
 * plan.h - how many trials an A/B test needs: `brain-ab plan`.
 *
 * The fixed test is the two-sided test of two proportions on Cohen's
 * effect size h = 2 asin(sqrt(p2)) - 2 asin(sqrt(p1)) with equal arms, as
 * statsmodels' NormalIndPower solves it: the n per arm at which
 * Phi(h sqrt(n/2) - z) + Phi(-h sqrt(n/2) - z) = power, z = z_{1-alpha/2}.
 *
 * brain's own rule declares a winner when the always-valid interval of
 * the difference (stats_confidence_sequence, at alpha split over the
 * variants) excludes 0.  At n per arm its estimate is about normal around
 * the true lift d, so it excludes 0 with probability
 * Phi((d - half(n)) / se(n)) on that day's look alone, and half of the
 * time at the n where half(n) = d: the median sample to a winner (looking
 * every day can only find it sooner; the expected-loss condition,
 * usually met first, is left out).  The interval is narrowest at its
 * tuning sample, so the plan's tuning is the fixed test's total sample.
 */
#ifndef BRAIN_PLAN_H
#define BRAIN_PLAN_H

struct plan_input {
	double baseline;   /* the control's rate p1, in (0, 1) */
	double mde;        /* the smallest lift worth finding, relative: p2 = p1 (1 + mde) */
	double alpha;      /* two-sided level of the test */
	double power;      /* wanted power of the fixed test */
	double arms;       /* arms in the test, control included (alpha split over arms - 1) */
	double tuning;     /* the interval's tuning; 0: the fixed test's total sample */
};

struct plan_result {
	double target;             /* p2 */
	double fixed_per_arm;      /* the fixed test's n per arm, rounded up */
	double tuning;             /* the tuning used for the rule */
	double rule_median_per_arm;   /* n per arm where the interval's half-width is the lift */
	double rule_power_at_fixed;   /* P(the interval excludes 0) looking once at fixed_per_arm */
	/* With --horizon=fixed_per_arm (pure/design.h), looking continuously: */
	double design_power;          /* P(a winner by the horizon) */
	double design_median_per_arm; /* n per arm by which it is found half of the time (-1: not
				       * by the horizon) */
};

/* With a horizon (trials per arm): the trials per arm at which the
 * design's interval (pure/design.h, design_init_flat) has a
 * half-width of |p2 - p1| by the horizon; -1 when not by it. */
double plan_design_trials(double p1, double p2, double alpha, double horizon);

/* The trials per arm (real) at which the always-valid interval at level
 * alpha (split already) and tuning has a half-width of |p2 - p1|, the
 * rates of two arms of equal size: where the rule's interval excludes 0
 * half of the time if the rates are what they seem.  -1 when none up to
 * 1e12 (or the rates are equal, or outside (0, 1)). */
double plan_rule_trials(double p1, double p2, double alpha, double tuning);

/* -1 when an input is out of range (p2 outside (0, 1), a level or power
 * outside (0, 1), fewer than two arms) or no n up to 1e12 serves. */
int plan_compute(const struct plan_input *in, struct plan_result *out);

#endif
