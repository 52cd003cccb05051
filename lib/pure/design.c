/* design.c - a sequential design truncated at a planned horizon; see
 * design.h for the boundary and its calibration. */
#include <math.h>
#include <stddef.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_erf.h>

#include "pure/design.h"
#include "banned.h"

/* The least level the p-value is searched down to: near the smallest
 * normal double, and far below any level a test is run at. */
#define DESIGN_MIN_LEVEL 1e-300

/* log(2 pi) / 2 */
#define DESIGN_LOG_SQRT_2PI 0.91893853320467274178

static double log_phi(double x)
{
	return -x * x / 2 - DESIGN_LOG_SQRT_2PI;
}

/* log R(x) = log(1 - Phi(x)) - log(phi(x)), the log of Mills' ratio.  The
 * closed form of T multiplies exp(2b^2) by a Phi of order exp(-2b^2): it
 * overflows for large b, and even in log space the two exponents cancel
 * with a loss of eps 2b^2.  phi(a) R(2b -/+ a) is the same product with
 * the exponents cancelled on paper, and GSL's hazard function (1/R) keeps
 * full precision for x >= 0, where log_erfc(x/sqrt 2) + x^2/2 loses 1e-12
 * at x = 100.  For x < 0, 1 - Phi(x) is at least 1/2 and nothing cancels. */
static double log_mills(double x)
{
	if (x >= 0)
		return -log(gsl_sf_hazard(x));
	return log(gsl_cdf_ugaussian_Q(x)) - log_phi(x);
}

/* log(1 - e^x) for x < 0, accurate on both sides of log 1/2 (Maechler). */
static double log1mexp(double x)
{
	return x > -M_LN2 ? log(-expm1(x)) : log1p(-exp(x));
}

/* log T(a, b): exp(2b^2 - 2ab) Phi(a - 2b) = phi(a) R(2b - a) and
 * exp(2b^2 + 2ab) Phi(-a - 2b) = phi(a) R(2b + a), R being Mills' ratio,
 * which falls, so the second is the smaller. */
static double log_tail(double a, double b)
{
	double first = log_mills(2 * b - a), second = log_mills(2 * b + a);

	return log_phi(a) + first + log1mexp(second - first);
}

/* The slope b > 0 at which log T(a, b) is goal: T falls in b, from
 * 1 - 2(1 - Phi(a)) at 0, which is above any goal a share below 1 sets;
 * doubling from 1, then bisection to the last bits of b. */
static double solve_slope(double a, double goal)
{
	double lo = 0, hi = 1;

	while (log_tail(a, hi) > goal) {
		lo = hi;
		hi *= 2;
		if (hi > 1e15)
			return INFINITY;
	}
	for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
		double mid = (lo + hi) / 2;

		if (log_tail(a, mid) > goal)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/* a and b for level alpha in (0, 1] (1 is allowed here for the p-value's
 * search) and share in [0, 1).  The upper quantile keeps its digits at the
 * tiny levels the p-value's search reaches. */
static void calibrate(struct design *d, double alpha, double share)
{
	d->alpha = alpha;
	d->share = share;
	d->a = gsl_cdf_ugaussian_Qinv((1 - share) * alpha / 4);
	d->b = share > 0 ? solve_slope(d->a, log(share * alpha / 2)) : INFINITY;
}

int design_init(struct design *d, double alpha, double share)
{
	if (!(alpha > 0 && alpha < 1) || !(share >= 0 && share < 1))
		return -1;
	calibrate(d, alpha, share);
	d->flat = 0;
	return 0;
}

/* log of the level the flat design spends at boundary a: both sides,
 * 2 [2 (1 - Phi(a)) + T(a, a)]; it falls as a grows. */
static double flat_log_level(double a)
{
	double q = log(2 * gsl_cdf_ugaussian_Q(a)), t = log_tail(a, a);

	return M_LN2 + (q > t ? q + log1p(exp(t - q)) : t + log1p(exp(q - t)));
}

int design_init_flat(struct design *d, double alpha)
{
	double lo = 0, hi = 1, goal;

	if (!(alpha > 0 && alpha < 1))
		return -1;
	goal = log(alpha);
	while (flat_log_level(hi) > goal)
		hi *= 2;
	for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
		double mid = (lo + hi) / 2;

		if (flat_log_level(mid) > goal)
			lo = mid;
		else
			hi = mid;
	}
	d->alpha = alpha;
	d->a = d->b = (lo + hi) / 2;
	d->share = exp(log_tail(d->a, d->a)) / (alpha / 2);
	d->flat = 1;
	return 0;
}

double design_multiplier(const struct design *d, double t)
{
	if (!(t > 0))
		return INFINITY;
	if (t <= 1)
		return d->a / sqrt(t);
	if (isinf(d->b))
		return INFINITY;
	return (d->a + d->b * (t - 1)) / sqrt(t);
}

double design_fraction(double n1, double n2, double horizon)
{
	if (!(n1 >= 0 && n2 >= 0 && isfinite(n1) && isfinite(n2)) ||
	    !(horizon > 0 && isfinite(horizon)))
		return -1;
	if (n1 == 0 || n2 == 0)
		return 0;
	return n1 * n2 / (n1 + n2) / (horizon / 2);
}

/* Whether z at fraction t > 1 crosses the boundary of level e^log_level. */
static int crossed_after(double share, double z, double t, double log_level)
{
	struct design at;

	calibrate(&at, exp(log_level), share);
	return z >= design_multiplier(&at, t);
}

/* The least level whose boundary z crosses at t.  Up to the horizon the
 * boundary is a alone, so the level is 4 (1 - Phi(z sqrt t)) / (1 - share)
 * in closed form; after it, a and b both move with the level (the
 * boundary falls as the level grows), so the level is bisected on its
 * log, and the crossed end is returned so that the interval at that
 * level excludes 0. */
static double level_crossed(double share, double z, double t)
{
	double lo = log(DESIGN_MIN_LEVEL), hi = 0;

	if (t <= 1)
		return fmin(1, 4 * gsl_cdf_ugaussian_Q(z * sqrt(t)) / (1 - share));
	if (share == 0 || !crossed_after(share, z, t, hi))
		return 1;
	if (crossed_after(share, z, t, lo))
		return 0;
	for (int i = 0; i < 200 && hi - lo > 1e-13; i++) {
		double mid = (lo + hi) / 2;

		if (crossed_after(share, z, t, mid))
			hi = mid;
		else
			lo = mid;
	}
	return exp(hi);
}

int design_interval(const struct design *d, double est, double se, double t, double *low,
		    double *high, double *p)
{
	double c;

	if (!(se > 0) || !isfinite(se) || !isfinite(est) || !(t > 0))
		return -1;
	c = design_multiplier(d, t);
	if (isinf(c)) {
		*low = -INFINITY;
		*high = INFINITY;
	} else {
		*low = est - se * c;
		*high = est + se * c;
	}
	if (p && d->flat)
		*p = fmin(1, exp(flat_log_level(fabs(est / se) * fmin(sqrt(t), 1 / sqrt(t)))));
	else if (p)
		*p = isinf(c) ? 1 : level_crossed(d->share, fabs(est / se), t);
	return 0;
}

/* P(sup_{s<=t} W(s) + theta s >= a): the first passage of a constant line,
 * 1 - Phi(u) + exp(2 a theta) Phi(-v) with u = (a - theta t)/sqrt t and
 * v = (a + theta t)/sqrt t.  Since exp(2 a theta) phi(v) = phi(u), the
 * second term is phi(u) R(v), summed in log space so that neither a large
 * exp(2 a theta) nor a tiny Phi(-v) is ever formed. */
static double one_side_power(double a, double theta, double t)
{
	double u = (a - theta * t) / sqrt(t), v = (a + theta * t) / sqrt(t);

	return gsl_cdf_ugaussian_Q(u) + exp(log_phi(u) + log_mills(v));
}

double design_power(const struct design *d, double theta, double t)
{
	if (isnan(t) || !isfinite(theta) || t > 1)
		return -1;
	if (t <= 0)
		return 0;
	return fmin(1, one_side_power(d->a, theta, t) + one_side_power(d->a, -theta, t));
}

/* The power grows with t, so bisection on (0, 1]. */
double design_median_fraction(const struct design *d, double theta)
{
	double lo = 0, hi = 1;

	if (!(design_power(d, theta, 1) >= 0.5))
		return -1;
	for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
		double mid = (lo + hi) / 2;

		if (design_power(d, theta, mid) < 0.5)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}
