/* plan.c - sample sizes for brain-ab plan; see plan.h. */
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "pure/plan.h"
#include "pure/design.h"
#include "pure/stats.h"
#include "banned.h"

#define PLAN_MAX_N 1e12

static double fixed_power(double h, double n, double z)
{
	double s = fabs(h) * sqrt(n / 2);

	return gsl_cdf_ugaussian_P(s - z) + gsl_cdf_ugaussian_P(-s - z);
}

/* The least n (to 1e-9 relative) at which short(n, arg) turns 0, for a
 * short that does so once as n grows: doubling from 1, then bisection.
 * -1 when it is still short at PLAN_MAX_N or says -1 (no answer). */
static double least_n(int (*short_of)(double n, void *arg), void *arg)
{
	double lo = 0, hi = 1;
	int rc;

	while ((rc = short_of(hi, arg)) != 0) {
		lo = hi;
		hi *= 2;
		if (rc < 0 || hi > PLAN_MAX_N)
			return -1;
	}
	for (int i = 0; i < 200 && hi - lo > 1e-9 * hi; i++) {
		double mid = (lo + hi) / 2;

		if ((rc = short_of(mid, arg)) < 0)
			return -1;
		if (rc)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

struct fixed_goal {
	double h, z, power;
};

static int fixed_short(double n, void *arg)
{
	const struct fixed_goal *g = arg;

	return fixed_power(g->h, n, g->z) < g->power;
}

/* The half-width of the always-valid interval and the standard error of
 * the difference at n per arm. */
static int rule_half(const struct plan_input *in, double p2, double tuning, double n,
		     double *half, double *se)
{
	double p1 = in->baseline, split = in->arms > 2 ? in->arms - 1 : 1, low, high, p;

	*se = sqrt(p1 * (1 - p1) / n + p2 * (1 - p2) / n);
	if (stats_confidence_sequence(0, *se, 2 * n, in->alpha / split, tuning, &low, &high, &p))
		return -1;
	*half = high;
	return 0;
}

struct rule_goal {
	const struct plan_input *in;
	double p2, tuning;
};

/* Still short while the half-width is wider than the lift. */
static int rule_short(double n, void *arg)
{
	const struct rule_goal *g = arg;
	double half, se;

	if (rule_half(g->in, g->p2, g->tuning, n, &half, &se))
		return -1;
	return half > fabs(g->p2 - g->in->baseline);
}

double plan_rule_trials(double p1, double p2, double alpha, double tuning)
{
	struct plan_input in = { p1, 0, alpha, 0.5, 2, tuning };
	struct rule_goal g = { &in, p2, tuning };

	if (!(p1 > 0 && p1 < 1) || !(p2 > 0 && p2 < 1) || p1 == p2 || !(tuning > 0))
		return -1;
	return least_n(rule_short, &g);
}

double plan_design_trials(double p1, double p2, double alpha, double horizon)
{
	struct design d;
	double v = p1 * (1 - p1) + p2 * (1 - p2), n;

	if (!(p1 > 0 && p1 < 1) || !(p2 > 0 && p2 < 1) || p1 == p2 || !(horizon > 0) ||
	    design_init_flat(&d, alpha))
		return -1;
	/* Up to the horizon the half-width is a sqrt(v H) / n; after it, it
	 * stays a sqrt(v / H) (design_init_flat). */
	n = d.a * sqrt(v * horizon) / fabs(p2 - p1);
	return n <= horizon ? n : -1;
}

/* The design's figures at the horizon H = the fixed test's sample: the
 * drift theta there is the lift over its standard error at H. */
static void design_figures(const struct plan_input *in, double p2, struct plan_result *out)
{
	double split = in->arms > 2 ? in->arms - 1 : 1, p1 = in->baseline, t;
	double h = out->fixed_per_arm, theta = fabs(p2 - p1) /
		sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / h);
	struct design d;

	out->design_power = -1;
	out->design_median_per_arm = -1;
	if (design_init_flat(&d, in->alpha / split))
		return;
	out->design_power = design_power(&d, theta, 1);
	t = design_median_fraction(&d, theta);
	if (t > 0)
		out->design_median_per_arm = ceil(t * h);
}

int plan_compute(const struct plan_input *in, struct plan_result *out)
{
	double p1 = in->baseline, p2 = p1 * (1 + in->mde), h, n, half, se;
	double split = in->arms > 2 ? in->arms - 1 : 1;

	if (!(p1 > 0 && p1 < 1) || !(p2 > 0 && p2 < 1) || p2 == p1 || !(in->alpha > 0 &&
	    in->alpha < 1) || !(in->power > 0 && in->power < 1) || !(in->arms >= 2))
		return -1;
	h = 2 * asin(sqrt(p2)) - 2 * asin(sqrt(p1));
	struct fixed_goal fg = { h, gsl_cdf_ugaussian_Pinv(1 - in->alpha / split / 2), in->power };

	if ((n = least_n(fixed_short, &fg)) < 0)
		return -1;
	out->target = p2;
	out->fixed_per_arm = ceil(n);
	out->tuning = in->tuning > 0 ? in->tuning : 2 * out->fixed_per_arm;
	struct rule_goal rg = { in, p2, out->tuning };

	if ((n = least_n(rule_short, &rg)) < 0 ||
	    rule_half(in, p2, out->tuning, out->fixed_per_arm, &half, &se))
		return -1;
	out->rule_median_per_arm = ceil(n);
	out->rule_power_at_fixed = gsl_cdf_ugaussian_P((fabs(p2 - p1) - half) / se);
	design_figures(in, p2, out);
	return 0;
}
