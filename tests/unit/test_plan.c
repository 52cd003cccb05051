/* Unit tests of plan: the fixed test's sample against statsmodels
 * (tests/data/plan-vectors.jsonl, made by plan-reference.py there), and
 * brain's rule against a seeded simulation of the always-valid interval
 * on binomial draws. */
#include "unit.h"

#include <math.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "pure/plan.h"
#include "pure/stats.h"

static double field(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	ck_assert_msg(cJSON_IsNumber(v), "missing number '%s'", name);
	return v->valuedouble;
}

START_TEST(fixed_sample_is_statsmodels_rounded_up)
{
	FILE *fp = fopen("tests/data/plan-vectors.jsonl", "r");
	char *line = NULL;
	size_t cap = 0;
	int cases = 0;

	ck_assert_msg(fp != NULL, "cannot open tests/data/plan-vectors.jsonl");
	while (getline(&line, &cap, fp) > 0) {
		cJSON *v = cJSON_Parse(line);
		struct plan_input in = { field(v, "baseline"), field(v, "mde"), field(v, "alpha"),
					 field(v, "power"), 2, 0 };
		struct plan_result r;
		double want = field(v, "n_per_arm");

		ck_assert_int_eq(plan_compute(&in, &r), 0);
		ck_assert_msg(r.fixed_per_arm == ceil(want), "%g per arm, statsmodels %.6f",
			      r.fixed_per_arm, want);
		ck_assert(r.tuning == 2 * r.fixed_per_arm);
		cases++;
		cJSON_Delete(v);
	}
	free(line);
	fclose(fp);
	ck_assert_int_ge(cases, 6);
}
END_TEST

/* The share of simulated tests, each looked at once at n per arm, whose
 * always-valid interval excludes 0. */
static double excluded_share(const struct plan_input *in, double p2, double tuning, double n,
			     int runs)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	int hits = 0;

	gsl_rng_set(rng, 20261202);
	for (int i = 0; i < runs; i++) {
		double x1 = gsl_ran_binomial(rng, in->baseline, (unsigned)n);
		double x2 = gsl_ran_binomial(rng, p2, (unsigned)n);
		double q1 = x1 / n, q2 = x2 / n, se = sqrt(q1 * (1 - q1) / n + q2 * (1 - q2) / n);
		double low, high, p;

		if (!stats_confidence_sequence(q2 - q1, se, 2 * n, in->alpha, tuning, &low, &high,
					       &p))
			hits += low > 0 || high < 0;
	}
	gsl_rng_free(rng);
	return (double)hits / runs;
}

START_TEST(rule_sample_agrees_with_a_simulation)
{
	const double baselines[] = { 0.10, 0.05, 0.30 }, mdes[] = { 0.5, 0.3, 0.1 };

	for (int c = 0; c < 3; c++) {
		struct plan_input in = { baselines[c], mdes[c], 0.05, 0.8, 2, 0 };
		struct plan_result r;
		double at_median, at_fixed;

		ck_assert_int_eq(plan_compute(&in, &r), 0);
		at_median = excluded_share(&in, r.target, r.tuning, r.rule_median_per_arm, 4000);
		at_fixed = excluded_share(&in, r.target, r.tuning, r.fixed_per_arm, 4000);
		ck_assert_msg(fabs(at_median - 0.5) < 0.04, "case %d: %.3f excluded at the median "
			      "sample %g", c, at_median, r.rule_median_per_arm);
		ck_assert_msg(fabs(at_fixed - r.rule_power_at_fixed) < 0.04, "case %d: %.3f "
			      "excluded at the fixed sample, plan says %.3f", c, at_fixed,
			      r.rule_power_at_fixed);
		ck_assert(r.rule_median_per_arm > r.fixed_per_arm); /* the price of peeking */
	}
}
END_TEST

START_TEST(tuning_narrows_the_interval_where_it_is_planned)
{
	struct plan_input in = { 0.10, 0.2, 0.05, 0.8, 2, 0 }, loose = in;
	struct plan_result r, r_loose;

	loose.tuning = 100000;
	ck_assert_int_eq(plan_compute(&in, &r), 0);
	ck_assert_int_eq(plan_compute(&loose, &r_loose), 0);
	ck_assert(r_loose.tuning == 100000);
	ck_assert(r.rule_median_per_arm < r_loose.rule_median_per_arm);
}
END_TEST

START_TEST(more_arms_split_alpha)
{
	struct plan_input two = { 0.10, 0.2, 0.05, 0.8, 2, 0 }, four = two;
	struct plan_result r2, r4;

	four.arms = 4;
	ck_assert_int_eq(plan_compute(&two, &r2), 0);
	ck_assert_int_eq(plan_compute(&four, &r4), 0);
	ck_assert(r4.fixed_per_arm > r2.fixed_per_arm);
	ck_assert(r4.rule_median_per_arm > r2.rule_median_per_arm);
}
END_TEST

/* The trials the winner line asks for are the plan's median sample. */
START_TEST(rule_trials_is_the_plans_median)
{
	struct plan_input in = { 0.10, 0.3, 0.05, 0.8, 2, 6000 };
	struct plan_result r;

	ck_assert_int_eq(plan_compute(&in, &r), 0);
	ck_assert(ceil(plan_rule_trials(0.10, 0.13, 0.05, 6000)) == r.rule_median_per_arm);
	ck_assert(plan_rule_trials(0.10, 0.10, 0.05, 6000) < 0);
	ck_assert(plan_rule_trials(0.10, 0.13, 0.05, 0) < 0);
}
END_TEST

START_TEST(impossible_plans_are_refused)
{
	struct plan_input in = { 0.10, 0.2, 0.05, 0.8, 2, 0 };
	struct plan_result r;

	in.mde = 9; /* target 1.0 */
	ck_assert_int_eq(plan_compute(&in, &r), -1);
	in.mde = 0;
	ck_assert_int_eq(plan_compute(&in, &r), -1);
	in.mde = 0.2;
	in.arms = 1;
	ck_assert_int_eq(plan_compute(&in, &r), -1);
	in.arms = 2;
	in.baseline = 0;
	ck_assert_int_eq(plan_compute(&in, &r), -1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("plan");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, fixed_sample_is_statsmodels_rounded_up);
	tcase_add_test(tc, rule_sample_agrees_with_a_simulation);
	tcase_add_test(tc, tuning_narrows_the_interval_where_it_is_planned);
	tcase_add_test(tc, more_arms_split_alpha);
	tcase_add_test(tc, rule_trials_is_the_plans_median);
	tcase_add_test(tc, impossible_plans_are_refused);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
