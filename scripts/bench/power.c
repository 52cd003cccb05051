/* power.c - the seeded simulation behind scripts/bench/power.sh: brain-ab's
 * whole winner rule (ab_analyze and ab_decide from libbrain) looked at
 * every day of experiments with 40 trials per arm a day, against the same
 * experiments decided by a two-proportion z-test looked at every day.
 *
 *     power RUNS SEED      one line per rule: the share of true-lift runs
 *                          (0.10 against 0.12) won by B by day 96 (the
 *                          fixed 80 %-power test's 3,835 per arm) and by
 *                          day 200, and the share of A/A runs (0.10 both)
 *                          declared by day 200
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "pure/ab.h"

#define DAILY 40
#define DAYS 200
#define FIXED_DAY 96

enum rule { BRAIN_HORIZON, BRAIN_MIXTURE, Z_DAILY };

/* Whether the rule declares today, and for which arm. */
static int declares(enum rule rule, struct ab_arm *arms, const struct ab_options *o, int *arm)
{
	struct ab_result res[2];
	struct ab_decision d;

	if (rule == Z_DAILY) {
		double pa = arms[0].conversions / arms[0].trials;
		double pb = arms[1].conversions / arms[1].trials;
		double p = (arms[0].conversions + arms[1].conversions) /
			   (arms[0].trials + arms[1].trials);
		double se = sqrt(p * (1 - p) * (1 / arms[0].trials + 1 / arms[1].trials));

		if (!(se > 0) || fabs(pb - pa) / se < gsl_cdf_ugaussian_Pinv(0.975))
			return 0;
		*arm = pb > pa;
		return 1;
	}
	ab_analyze(arms, 2, o, res);
	ab_decide(arms, 2, res, o, &d);
	*arm = d.arm;
	return d.outcome == AB_WINNER;
}

/* The day of the first declaration (its arm into *arm), 0 for none. */
static int run(gsl_rng *r, enum rule rule, double pa, double pb, const struct ab_options *o,
	       int *arm)
{
	struct ab_arm arms[2] = { { "A", "script", 0, 0, 0, 0, 1, 1, 0, { 0 } },
				  { "B", "script", 0, 0, 0, 0, 1, 0, 0, { 0 } } };

	for (int day = 1; day <= DAYS; day++) {
		arms[0].trials += DAILY;
		arms[1].trials += DAILY;
		arms[0].conversions += gsl_ran_binomial(r, pa, DAILY);
		arms[1].conversions += gsl_ran_binomial(r, pb, DAILY);
		if (declares(rule, arms, o, arm))
			return day;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *names[] = { "brain --horizon=3835", "brain --tuning=7670", "z-test daily" };
	long runs = argc > 1 ? atol(argv[1]) : 1000;
	unsigned long seed = argc > 2 ? strtoul(argv[2], NULL, 10) : 1;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	printf("rule                   found_by_day_96  found_by_day_200  aa_declared_by_day_200\n");
	for (int rule = BRAIN_HORIZON; rule <= Z_DAILY; rule++) {
		struct ab_options o;
		long by96 = 0, by200 = 0, aa = 0;
		int arm;

		ab_options_default(&o);
		if (rule == BRAIN_HORIZON)
			o.horizon = 3835;
		else
			o.tuning = 7670;
		gsl_rng_set(r, seed);
		for (long i = 0; i < runs; i++) {
			int day = run(r, (enum rule)rule, 0.10, 0.12, &o, &arm);

			by96 += day > 0 && day <= FIXED_DAY && arm == 1;
			by200 += day > 0 && arm == 1;
		}
		for (long i = 0; i < runs; i++)
			aa += run(r, (enum rule)rule, 0.10, 0.10, &o, &arm) > 0;
		printf("%-22s %15.3f %17.3f %23.3f\n", names[rule], (double)by96 / runs,
		       (double)by200 / runs, (double)aa / runs);
	}
	gsl_rng_free(r);
	return 0;
}
