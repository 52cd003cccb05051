/* Unit tests of design: the calibration, power and p-values against scipy
 * (tests/data/design-vectors.jsonl, made by design-reference.py there),
 * the calibration against a seeded Brownian simulation with discrete
 * looks, and the rule as brain-ab would run it, daily looks at binomial
 * arms, against the 80 % power the fixed test is planned for. */
#include "unit.h"

#include <math.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "pure/design.h"
#include "pure/stats.h"

static double field(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	ck_assert_msg(cJSON_IsNumber(v), "missing number '%s'", name);
	return v->valuedouble;
}

/* Within rel of want, relative (absolute below 1: the powers at theta = 0
 * and t = 1/2 are of order 1e-3 and carry the same absolute error). */
#define NEAR(got, want, rel, what)                                                 \
	ck_assert_msg(fabs((got) - (want)) <= (rel) * fmax(1e-3, fabs(want)),      \
		      "%s: got %.15g, scipy %.15g", what, (double)(got), (double)(want))

static void calibration_vector(const cJSON *v)
{
	struct design d;
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(v, "b");
	double theta = field(v, "theta");

	ck_assert_int_eq(design_init(&d, field(v, "alpha"), field(v, "share")), 0);
	NEAR(d.a, field(v, "a"), 1e-12, "a");
	if (cJSON_IsNull(b))
		ck_assert(isinf(d.b));
	else
		NEAR(d.b, field(v, "b"), 1e-9, "b");
	NEAR(design_power(&d, theta, 0.5), field(v, "power_half"), 1e-9, "power at 1/2");
	NEAR(design_power(&d, theta, 1), field(v, "power_horizon"), 1e-9, "power at 1");
	if (field(v, "median_fraction") < 0)
		ck_assert(design_median_fraction(&d, theta) == -1);
	else
		NEAR(design_median_fraction(&d, theta), field(v, "median_fraction"), 1e-9,
		     "median fraction");
}

/* p-values at alpha 0.05 (the level only sets the interval, not p). */
static void p_value_vector(const cJSON *v)
{
	struct design d;
	double low, high, p, want = field(v, "p");

	ck_assert_int_eq(design_init(&d, 0.05, field(v, "share")), 0);
	ck_assert_int_eq(design_interval(&d, 0.01 * field(v, "z"), 0.01, field(v, "t"), &low,
					 &high, &p), 0);
	if (want == 1)
		ck_assert_msg(p == 1, "p %.15g, scipy 1", p);
	else
		NEAR(p, want, 1e-9, "p");
}

/* The flat design (brain-ab's): a, its share, power and median. */
static void flat_vector(const cJSON *v)
{
	struct design d;
	double theta = field(v, "theta");

	ck_assert_int_eq(design_init_flat(&d, field(v, "alpha")), 0);
	ck_assert(d.flat && d.a == d.b);
	NEAR(d.a, field(v, "a"), 1e-12, "flat a");
	NEAR(d.share, field(v, "share"), 1e-9, "flat share");
	NEAR(design_power(&d, theta, 1), field(v, "power_horizon"), 1e-9, "flat power at 1");
	if (field(v, "median_fraction") < 0)
		ck_assert(design_median_fraction(&d, theta) == -1);
	else
		NEAR(design_median_fraction(&d, theta), field(v, "median_fraction"), 1e-9,
		     "flat median fraction");
}

static void flat_p_vector(const cJSON *v)
{
	struct design d;
	double low, high, p, want = field(v, "p");

	ck_assert_int_eq(design_init_flat(&d, 0.05), 0);
	ck_assert_int_eq(design_interval(&d, 0.01 * field(v, "z"), 0.01, field(v, "t"), &low,
					 &high, &p), 0);
	if (want == 1)
		ck_assert_msg(p == 1, "p %.15g, scipy 1", p);
	else
		NEAR(p, want, 1e-9, "flat p");
	/* p < 0.05 exactly when the interval at 0.05 excludes 0. */
	ck_assert_int_eq(p < 0.05, low > 0 || high < 0);
}

START_TEST(calibration_power_and_p_are_scipys)
{
	FILE *fp = fopen("tests/data/design-vectors.jsonl", "r");
	char *line = NULL;
	size_t cap = 0;
	int calibrations = 0, p_values = 0, flats = 0;

	ck_assert_msg(fp != NULL, "cannot open tests/data/design-vectors.jsonl");
	while (getline(&line, &cap, fp) > 0) {
		cJSON *v = cJSON_Parse(line);
		const cJSON *kind = cJSON_GetObjectItemCaseSensitive(v, "kind");

		ck_assert(cJSON_IsString(kind));
		if (strcmp(kind->valuestring, "calibration") == 0) {
			calibration_vector(v);
			calibrations++;
		} else if (strcmp(kind->valuestring, "flat") == 0) {
			flat_vector(v);
			flats++;
		} else if (strcmp(kind->valuestring, "flat_p") == 0) {
			flat_p_vector(v);
			flats++;
		} else {
			p_value_vector(v);
			p_values++;
		}
		cJSON_Delete(v);
	}
	free(line);
	fclose(fp);
	ck_assert_int_ge(calibrations, 30);
	ck_assert_int_ge(p_values, 20);
	ck_assert_int_ge(flats, 25);
}
END_TEST

#define STEPS_PER_UNIT 200

/* The share of Brownian paths S(t) = W(t) + theta t, looked at every
 * 1/200 up to fraction end, that cross the boundary on either side. */
static double brownian_crossing(const struct design *d, double theta, double end, int paths)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double dt = 1.0 / STEPS_PER_UNIT, sd = sqrt(dt);
	int steps = (int)(end * STEPS_PER_UNIT + 0.5), crossed = 0;

	gsl_rng_set(rng, 20261203);
	for (int i = 0; i < paths; i++) {
		double s = 0;

		for (int k = 1; k <= steps; k++) {
			double t = k * dt;

			s += theta * dt + gsl_ran_gaussian_ziggurat(rng, sd);
			if (fabs(s) / sqrt(t) >= design_multiplier(d, t)) {
				crossed++;
				break;
			}
		}
	}
	gsl_rng_free(rng);
	return (double)crossed / paths;
}

/* Under the null the boundary is crossed by t = 3 at most alpha of the
 * time: the calibration gives alpha for continuous looks for ever, less
 * the Bonferroni slack, and discrete looks up to 3 cross less.  20000
 * paths: binomial sd sqrt(0.05 0.95 / 20000) = 0.0015, allowance 3 sd. */
START_TEST(null_crossings_stay_within_alpha)
{
	struct design d;
	double share;

	ck_assert_int_eq(design_init(&d, 0.05, 0.1), 0);
	share = brownian_crossing(&d, 0, 3, 20000);
	ck_assert_msg(share <= 0.05 + 3 * 0.0015, "%.4f of null paths crossed", share);
	ck_assert_msg(share > 0.03, "%.4f of null paths crossed: far below the calibration",
		      share);
}
END_TEST

START_TEST(flat_null_crossings_stay_within_alpha_and_its_width_holds)
{
	struct design d;
	double share, low1, high1, low4, high4;

	ck_assert_int_eq(design_init_flat(&d, 0.05), 0);
	share = brownian_crossing(&d, 0, 3, 20000);
	ck_assert_msg(share <= 0.05 + 3 * 0.0015, "%.4f of null paths crossed", share);
	ck_assert_msg(share > 0.03, "%.4f of null paths crossed: far below the calibration",
		      share);
	/* After the horizon the interval keeps its width: se falls as
	 * 1/sqrt(t), the multiplier grows as sqrt(t). */
	ck_assert_int_eq(design_interval(&d, 0, 1, 1, &low1, &high1, NULL), 0);
	ck_assert_int_eq(design_interval(&d, 0, 0.5, 4, &low4, &high4, NULL), 0);
	ck_assert(fabs((high4 - low4) - (high1 - low1)) < 1e-12);
}
END_TEST

/* The continuous-look power by the horizon at the drift of an 80 % fixed
 * test (theta = z_0.975 + z_0.8 = 2.8016) against 20000 simulated paths
 * (sd 0.003).  Looks every 1/200 miss the crossings between them, so the
 * simulation is expected below the formula, by about a point or two. */
START_TEST(power_by_the_horizon_is_the_formulas)
{
	struct design d;
	double want, got;

	ck_assert_int_eq(design_init(&d, 0.05, 0.1), 0);
	want = design_power(&d, 2.8016, 1);
	got = brownian_crossing(&d, 2.8016, 1, 20000);
	ck_assert_msg(got <= want + 3 * 0.003 && got >= want - 0.03,
		      "%.4f of paths crossed by the horizon, formula %.4f", got, want);
}
END_TEST

/* The interval a rule draws at a look: est and se of p2 - p1 after n
 * trials per arm. */
typedef int (*rule_fn)(double est, double se, double n, double *low, double *high);

#define HORIZON 3835 /* statsmodels' n per arm for 0.10 -> 0.12, 80 % power */

static struct design rule_design;

static int design_rule(double est, double se, double n, double *low, double *high)
{
	return design_interval(&rule_design, est, se, design_fraction(n, n, HORIZON), low,
			       high, NULL);
}

/* brain-ab's own always-valid interval, tuned (as plan.h says) to the
 * fixed test's total sample. */
static int mixture_rule(double est, double se, double n, double *low, double *high)
{
	double p;

	return stats_confidence_sequence(est, se, 2 * n, 0.05, 2 * HORIZON, low, high, &p);
}

/* The fixed test's interval, est +/- 1.96 se: right for one look only. */
static int fixed_rule(double est, double se, double n, double *low, double *high)
{
	(void)n;
	*low = est - 1.959963984540054 * se;
	*high = est + 1.959963984540054 * se;
	return 0;
}

/* The share of runs of a two-arm test, 40 trials per arm a day at rates
 * p1 and p2, looked at every day for days days, whose interval excludes 0
 * (above it when only_b: B is declared the winner). */
static double declared(rule_fn rule, double p1, double p2, int days, int only_b, int runs)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	int hits = 0;

	gsl_rng_set(rng, 20261204);
	for (int r = 0; r < runs; r++) {
		double x1 = 0, x2 = 0, n = 0;

		for (int day = 1; day <= days; day++) {
			double q1, q2, se, low, high;

			x1 += gsl_ran_binomial(rng, p1, 40);
			x2 += gsl_ran_binomial(rng, p2, 40);
			n += 40;
			q1 = x1 / n;
			q2 = x2 / n;
			se = sqrt(q1 * (1 - q1) / n + q2 * (1 - q2) / n);
			if (!(se > 0) || rule(q2 - q1, se, n, &low, &high))
				continue;
			if (low > 0 || (!only_b && high < 0)) {
				hits++;
				break;
			}
		}
	}
	gsl_rng_free(rng);
	return (double)hits / runs;
}

/* 0.10 against 0.12 for 96 days (3840 per arm, just past the horizon):
 * the design keeps most of the fixed test's 80 % (74.6 % in 100000 runs),
 * where the mixture interval, safe under the same daily peeking, finds B
 * in 52 %, so the bar is one a weaker rule fails.  4000 runs: sd 0.007,
 * the bar 6 sd below. */
START_TEST(daily_looks_find_b_by_the_horizon)
{
	double by_design, by_mixture;

	ck_assert_int_eq(design_init(&rule_design, 0.05, 0.1), 0);
	by_design = declared(design_rule, 0.10, 0.12, 96, 1, 4000);
	by_mixture = declared(mixture_rule, 0.10, 0.12, 96, 1, 4000);
	ck_assert_msg(by_design >= 0.70, "the design found B in %.3f of the runs", by_design);
	ck_assert_msg(by_mixture < 0.70, "the mixture interval found B in %.3f of the runs",
		      by_mixture);
	ck_assert(by_design > by_mixture);
}
END_TEST

/* An A/A test looked at daily for 200 days (past twice the horizon)
 * declares either arm in at most 5 % of the runs: 4.24 % in 100000, so
 * 16000 runs (sd 0.0016) keep the bar 4.8 sd away.  The fixed test's own
 * interval, peeked at the same way, declares in far more. */
START_TEST(daily_looks_at_an_aa_test_stay_within_alpha)
{
	double share, peeking;

	ck_assert_int_eq(design_init(&rule_design, 0.05, 0.1), 0);
	share = declared(design_rule, 0.10, 0.10, 200, 0, 16000);
	peeking = declared(fixed_rule, 0.10, 0.10, 200, 0, 1000);
	ck_assert_msg(share <= 0.05, "an A/A test declared in %.3f of the runs", share);
	ck_assert_msg(peeking > 0.2, "the fixed interval declared in %.3f of the runs", peeking);
}
END_TEST

/* p <= alpha exactly when the interval at alpha excludes 0, before and
 * after the horizon, at points drawn around the boundary. */
START_TEST(p_is_at_most_alpha_when_the_interval_excludes_0)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	const double shares[] = { 0.1, 0.25, 0 };
	int excluded = 0, points = 0;

	gsl_rng_set(rng, 20261205);
	for (int s = 0; s < 3; s++) {
		struct design d;

		ck_assert_int_eq(design_init(&d, 0.05, shares[s]), 0);
		for (int i = 0; i < 200; i++) {
			double t = gsl_rng_uniform_pos(rng) * 4, c = design_multiplier(&d, t);
			double z = (isinf(c) ? 5 : c) * (0.8 + 0.4 * gsl_rng_uniform(rng));
			double sign = i % 2 ? 1 : -1, low, high, p;

			ck_assert_int_eq(design_interval(&d, sign * z * 0.02, 0.02, t, &low, &high,
							 &p), 0);
			ck_assert_msg((p <= 0.05) == (low > 0 || high < 0), "share %g, z %.6f, t "
				      "%.6f: p %.9g, interval [%g, %g]", shares[s], z, t, p, low,
				      high);
			excluded += p <= 0.05;
			points++;
		}
	}
	gsl_rng_free(rng);
	ck_assert(excluded > points / 5 && excluded < points * 4 / 5);
}
END_TEST

START_TEST(bad_input_is_refused)
{
	struct design d = { 7, 7, 7, 7, 0 };
	double low = 7, high = 7, p = 7;

	ck_assert_int_eq(design_init(&d, 0, 0.1), -1);
	ck_assert_int_eq(design_init(&d, 1, 0.1), -1);
	ck_assert_int_eq(design_init(&d, NAN, 0.1), -1);
	ck_assert_int_eq(design_init(&d, 0.05, -0.1), -1);
	ck_assert_int_eq(design_init(&d, 0.05, 1), -1);
	ck_assert_int_eq(design_init(&d, 0.05, NAN), -1);
	ck_assert(d.alpha == 7 && d.share == 7 && d.a == 7 && d.b == 7);
	ck_assert_int_eq(design_init(&d, 0.05, 0.1), 0);
	ck_assert_int_eq(design_interval(&d, 0.01, 0, 0.5, &low, &high, &p), -1);
	ck_assert_int_eq(design_interval(&d, 0.01, -1, 0.5, &low, &high, &p), -1);
	ck_assert_int_eq(design_interval(&d, 0.01, NAN, 0.5, &low, &high, &p), -1);
	ck_assert_int_eq(design_interval(&d, INFINITY, 0.01, 0.5, &low, &high, &p), -1);
	ck_assert_int_eq(design_interval(&d, 0.01, 0.01, 0, &low, &high, &p), -1);
	ck_assert_int_eq(design_interval(&d, 0.01, 0.01, -1, &low, &high, &p), -1);
	ck_assert(low == 7 && high == 7 && p == 7);
	ck_assert(design_fraction(-1, 10, 100) == -1);
	ck_assert(design_fraction(10, NAN, 100) == -1);
	ck_assert(design_fraction(10, 10, 0) == -1);
	ck_assert(design_fraction(10, 10, INFINITY) == -1);
	ck_assert(design_power(&d, 2, 1.5) == -1);
	ck_assert(design_power(&d, NAN, 0.5) == -1);
	ck_assert(design_power(&d, 2, NAN) == -1);
}
END_TEST

START_TEST(nothing_is_known_before_the_first_trial)
{
	struct design d;

	ck_assert_int_eq(design_init(&d, 0.05, 0.1), 0);
	ck_assert(isinf(design_multiplier(&d, 0)));
	ck_assert(isinf(design_multiplier(&d, -0.5)));
	ck_assert(isinf(design_multiplier(&d, NAN)));
	ck_assert(design_fraction(0, 10, 100) == 0);
	ck_assert(design_fraction(0, 0, 100) == 0);
	ck_assert(design_power(&d, 2.8, 0) == 0);
	ck_assert(design_power(&d, 2.8, -1) == 0);
}
END_TEST

/* The information fraction of unequal arms is that of the harmonic mean. */
START_TEST(fraction_is_one_at_the_horizon)
{
	ck_assert(design_fraction(3835, 3835, 3835) == 1);
	ck_assert(fabs(design_fraction(1000, 1000, 4000) - 0.25) < 1e-15);
	ck_assert(fabs(design_fraction(500, 1500, 1000) - 0.75) < 1e-15);
}
END_TEST

START_TEST(multiplier_is_continuous_at_the_horizon)
{
	struct design d;

	ck_assert_int_eq(design_init(&d, 0.05, 0.1), 0);
	ck_assert(fabs(d.a - gsl_cdf_ugaussian_Qinv(0.9 * 0.05 / 4)) < 1e-15);
	ck_assert(design_multiplier(&d, 1) == d.a);
	ck_assert(fabs(design_multiplier(&d, 1 - 1e-12) - d.a) < 1e-11);
	ck_assert(fabs(design_multiplier(&d, 1 + 1e-12) - d.a) < 1e-11);
	ck_assert(design_multiplier(&d, 0.25) == 2 * d.a);
	ck_assert(fabs(design_multiplier(&d, 4) - (d.a + 3 * d.b) / 2) < 1e-15);
	/* after the horizon the boundary rises on the z scale too */
	ck_assert(design_multiplier(&d, 1.5) > d.a && design_multiplier(&d, 3) >
		  design_multiplier(&d, 1.5));
}
END_TEST

/* Share 0: all of alpha is spent by the horizon, and after it there is no
 * winner: infinite bounds, p = 1, a successful call. */
START_TEST(share_0_truncates_at_the_horizon)
{
	struct design d;
	double low, high, p;

	ck_assert_int_eq(design_init(&d, 0.05, 0), 0);
	ck_assert(isinf(d.b));
	ck_assert(fabs(d.a - gsl_cdf_ugaussian_Qinv(0.05 / 4)) < 1e-15);
	ck_assert(design_multiplier(&d, 1) == d.a);
	ck_assert(isinf(design_multiplier(&d, 1.0001)));
	ck_assert_int_eq(design_interval(&d, 0.5, 0.01, 2, &low, &high, &p), 0);
	ck_assert(isinf(low) && low < 0 && isinf(high) && high > 0 && p == 1);
	ck_assert_int_eq(design_interval(&d, 0.5, 0.01, 1, &low, &high, &p), 0);
	ck_assert(low > 0 && p < 1e-100);
	ck_assert(fabs(design_power(&d, 0, 1) - 0.05) < 1e-15);
}
END_TEST

START_TEST(power_is_symmetric_and_spends_alpha_by_the_horizon)
{
	struct design d;

	ck_assert_int_eq(design_init(&d, 0.05, 0.1), 0);
	ck_assert(fabs(design_power(&d, 0, 1) - 0.9 * 0.05) < 1e-15);
	ck_assert(design_power(&d, 2.8016, 0.7) == design_power(&d, -2.8016, 0.7));
	ck_assert(design_power(&d, 2.8016, 0.5) < design_power(&d, 2.8016, 0.9));
	ck_assert(design_power(&d, 40, 1) == 1);
	ck_assert(design_median_fraction(&d, 0) == -1);
	ck_assert(design_median_fraction(&d, 8) < design_median_fraction(&d, 4));
	ck_assert(fabs(design_power(&d, 4, design_median_fraction(&d, 4)) - 0.5) < 1e-12);
}
END_TEST

/* |z| beyond any level down to 1e-300 gives p = 0; p falls as |z| grows. */
START_TEST(p_falls_as_the_estimate_grows)
{
	struct design d;
	double low, high, p_small, p_large, p_huge;

	ck_assert_int_eq(design_init(&d, 0.05, 0.1), 0);
	ck_assert_int_eq(design_interval(&d, 3, 1, 2, &low, &high, &p_small), 0);
	ck_assert_int_eq(design_interval(&d, 5, 1, 2, &low, &high, &p_large), 0);
	ck_assert_int_eq(design_interval(&d, 1e6, 1, 2, &low, &high, &p_huge), 0);
	ck_assert(p_large < p_small && p_huge == 0);
	ck_assert_int_eq(design_interval(&d, -0.1, 1, 2, &low, &high, &p_small), 0);
	ck_assert(p_small == 1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("design");
	TCase *tc = tcase_create("design");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, calibration_power_and_p_are_scipys);
	tcase_add_test(tc, null_crossings_stay_within_alpha);
	tcase_add_test(tc, flat_null_crossings_stay_within_alpha_and_its_width_holds);
	tcase_add_test(tc, power_by_the_horizon_is_the_formulas);
	tcase_add_test(tc, daily_looks_find_b_by_the_horizon);
	tcase_add_test(tc, daily_looks_at_an_aa_test_stay_within_alpha);
	tcase_add_test(tc, p_is_at_most_alpha_when_the_interval_excludes_0);
	tcase_add_test(tc, bad_input_is_refused);
	tcase_add_test(tc, nothing_is_known_before_the_first_trial);
	tcase_add_test(tc, fraction_is_one_at_the_horizon);
	tcase_add_test(tc, multiplier_is_continuous_at_the_horizon);
	tcase_add_test(tc, share_0_truncates_at_the_horizon);
	tcase_add_test(tc, power_is_symmetric_and_spends_alpha_by_the_horizon);
	tcase_add_test(tc, p_falls_as_the_estimate_grows);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
