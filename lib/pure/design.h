/*
 * design.h - a sequential design truncated at a planned horizon: an
 * opt-in winner rule for brain-ab with more power than the always-valid
 * interval at the sample a fixed test needs.
 *
 * The horizon H is the planned number of trials per arm (the fixed test's
 * sample, see plan.h).  On the standardized scale the information fraction
 * t is 1 at the horizon, Z_t is the z-statistic of the difference, and
 * S_t = Z_t sqrt(t) is a Brownian motion W(t) under the null (W(t) + theta t
 * under a drift theta, theta being the fixed test's z at the horizon).  The
 * boundary is two-sided and symmetric on the S scale:
 *
 *   |S_t| >= a                 for t <= 1 (constant: O'Brien-Fleming-like
 *                              with continuous looks)
 *   |S_t| >= a + b (t - 1)     for t > 1 (a line, so that looking after the
 *                              horizon stays valid for ever)
 *
 * On the z scale that is the multiplier c(t) = a / sqrt(t), or
 * (a + b (t - 1)) / sqrt(t) after the horizon; the repeated confidence
 * interval of an estimate with standard error se is estimate +/- se c(t).
 *
 * Calibration at level alpha with a tail share q (of alpha, kept for looks
 * after the horizon), alpha/2 per side and Bonferroni over the two sides
 * (conservative by the chance of a path crossing both sides, which is tiny):
 *
 *   P(sup_{t<=1} W > a) = 2 (1 - Phi(a)) = (1 - q) alpha/2
 *   T(a, b) = (chance of crossing the line after t = 1 without having
 *             crossed a before) = q alpha/2, where from the killed density
 *             of W(1) on (-inf, a), phi(w) - phi(w - 2a), and the chance
 *             exp(-2 b (a - w)) that a Brownian motion from w ever meets a
 *             line starting at a with slope b,
 *   T(a, b) = exp(2b^2 - 2ab) Phi(a - 2b) - exp(2b^2 + 2ab) Phi(-a - 2b).
 *
 * T falls from 1 - 2(1 - Phi(a)) at b = 0 to 0, so b > 0 is unique.  A
 * share of 0 is a truncated design: b is infinite, and after the horizon
 * there is no winner (c(t) is infinite).
 *
 * Calling sequence: design_init once per level and share, then for each
 * look design_fraction (t from the arms' trials) and design_interval.
 * Everything is a value: nothing is allocated, struct design is the
 * caller's and is only read after design_init.
 */
#ifndef BRAIN_DESIGN_H
#define BRAIN_DESIGN_H

struct design {
	double alpha;   /* two-sided level, in (0, 1) */
	double share;   /* of alpha kept for looks after the horizon, in [0, 1) */
	double a;       /* the boundary on the S scale up to the horizon */
	double b;       /* its slope after the horizon; INFINITY when share is 0 */
	int flat;       /* design_init_flat: b = a at every level */
};

/* Calibrate d for level alpha and tail share (the suggested share is
 * 0.1).  -1, and d untouched, when alpha is outside (0, 1) or share
 * outside [0, 1). */
int design_init(struct design *d, double alpha, double share);

/* The design brain-ab's rule uses: the slope equal to the boundary, b = a,
 * so that after the horizon the boundary on S is a t and the interval
 * keeps the width it had at the horizon (SE_t c(t) = a SE_H): a winner
 * declared there is not undone by the interval widening, only by the
 * estimate moving.  a solves, for the whole level spent on one side,
 *
 *     2 (1 - Phi(a)) + T(a, a) = alpha / 2,
 *
 * and the share is what it leaves after the horizon, T(a, a) / (alpha/2)
 * (0.238 at alpha 0.05, a = 2.3447).  The p-value is in closed form:
 * the level whose a is x = |z| min(sqrt t, 1/sqrt t), 4 (1 - Phi(x)) +
 * 2 T(x, x).  -1 when alpha is outside (0, 1). */
int design_init_flat(struct design *d, double alpha);

/* The z-scale multiplier c(t) at information fraction t.  INFINITY when t
 * is not positive (nothing is known yet) and after the horizon of a
 * truncated design; continuous at t = 1. */
double design_multiplier(const struct design *d, double t);

/* The information fraction of arms with n1 and n2 trials against a
 * horizon per arm: [n1 n2 / (n1 + n2)] / (horizon / 2), so n / horizon for
 * equal arms.  0 when an arm has no trials; -1 when a count is negative or
 * not finite, or the horizon is not positive. */
double design_fraction(double n1, double n2, double horizon);

/* The repeated confidence interval est +/- se c(t) into *low and *high,
 * and into *p (unless p is NULL) the least level alpha' at which the
 * boundary of design_init(alpha', d->share) is crossed by |est / se| at
 * t: so *p <= d->alpha exactly when the interval excludes 0.  *p is 1 when
 * the boundary is not crossed even at alpha' = 1, and 0 when it is
 * crossed at every level down to 1e-300.  After the horizon of a truncated
 * design the bounds are infinite and *p is 1: the test has ended without
 * a winner, and a caller says so with a status, not with the numbers.
 * -1, and the outputs untouched, when se is not positive, est or se is
 * not finite, or t is not positive. */
int design_interval(const struct design *d, double est, double se, double t, double *low,
		    double *high, double *p);

/* P(the boundary is crossed by fraction t, continuous looks) under drift
 * theta: the sum over both sides of 1 - Phi((a - theta t)/sqrt t) +
 * exp(2 a theta) Phi((-a - theta t)/sqrt t), at theta and at -theta (the
 * far side is included, which overstates the union by the chance of
 * crossing both, negligible at any useful theta; at theta = 0 and t = 1 it
 * is (1 - share) alpha).  0 when t is not positive; -1 when t > 1 (no
 * closed form past the horizon), t is NaN or theta is not finite. */
double design_power(const struct design *d, double theta, double t);

/* The fraction t <= 1 at which design_power is 0.5, the median time to a
 * crossing if it comes by the horizon; -1 when the power at t = 1 is
 * below 0.5. */
double design_median_fraction(const struct design *d, double theta);

#endif
