/* Unit tests of ab: the report against hand-checked numbers, the winner
 * rule case by case, and the A/A simulation that shows why the rule
 * uses an always-valid interval: checked daily for 30 days, it declares
 * far fewer false winners than a fixed-horizon p-value. */
#include "unit.h"

#include <math.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "pure/ab.h"
#include "core/jsonl.h"

static struct ab_arm arm(const char *name, double n, double x, int control)
{
	struct ab_arm a = { name, "script", n, x, 0, 0, 1, control };

	return a;
}

START_TEST(report_against_the_control)
{
	struct ab_arm arms[2] = { arm("A", 1000, 120, 1), arm("B", 1000, 150, 0) };
	struct ab_options o;
	struct ab_result r[2];
	char *text;
	cJSON *line;

	ab_options_default(&o);
	ab_analyze(arms, 2, &o, r);
	/* The z-test and sequential vectors of stats-vectors.jsonl. */
	ck_assert(fabs(r[1].z - 1.963049808) < 1e-8);
	ck_assert(fabs(r[1].p_value - 0.04964038687) < 1e-8);
	ck_assert(fabs((r[1].seq_high - r[1].seq_low) / 2 - 0.04769264958) < 1e-8);
	ck_assert(fabs(r[1].seq_p - 0.4706907779) < 1e-8);
	ck_assert(fabs(r[1].lift_rel - 0.25) < 1e-12);
	ck_assert(fabs(r[0].prob_best + r[1].prob_best - 1) < 1e-8);
	ck_assert(fabs(r[1].prob_beat - r[1].prob_best) < 1e-8); /* two arms */
	ck_assert_uint_eq(r[1].family_size, 1);
	line = ab_report_line("default", &arms[1], &r[1]);
	text = cJSON_PrintUnformatted(line);
	ck_assert_msg(!strncmp(text, "{\"experiment\":\"default\",\"variant_name\":\"B\","
			       "\"kind\":\"script\",\"trials\":1000,\"conversions\":150,\"rate\":0.15,", 90),
		      "%s", text);
	ck_assert_ptr_null(strstr(text, "status"));
	free(text);
	cJSON_Delete(line);
	line = ab_report_line("default", &arms[0], &r[0]);
	text = cJSON_PrintUnformatted(line);
	ck_assert_ptr_nonnull(strstr(text, "\"status\":\"control\""));
	ck_assert_ptr_null(strstr(text, "lift_abs"));
	free(text);
	cJSON_Delete(line);
}
END_TEST

START_TEST(nothing_non_finite_with_empty_arms)
{
	struct ab_arm arms[2] = { arm("A", 0, 0, 1), arm("B", 0, 0, 0) };
	struct ab_options o;
	struct ab_result r[2];
	const char *path;

	ab_options_default(&o);
	ab_analyze(arms, 2, &o, r);
	for (int i = 0; i < 2; i++) {
		cJSON *line = ab_report_line("e", &arms[i], &r[i]);
		char *text = cJSON_PrintUnformatted(line);

		ck_assert_ptr_null(json_find_nonfinite(line, &path));
		ck_assert_ptr_nonnull(strstr(text, "\"status\":\"insufficient_data\""));
		ck_assert_ptr_null(strstr(text, "\"rate\""));
		free(text);
		cJSON_Delete(line);
	}
}
END_TEST

START_TEST(lift_rel_needs_five_control_conversions)
{
	struct ab_arm arms[2] = { arm("A", 100, 4, 1), arm("B", 100, 9, 0) };
	struct ab_options o;
	struct ab_result r[2];

	ab_options_default(&o);
	ab_analyze(arms, 2, &o, r);
	ck_assert(r[1].has_lift && !r[1].has_lift_rel);
}
END_TEST

static struct ab_decision decide(struct ab_arm *arms, size_t k)
{
	struct ab_options o;
	struct ab_result r[8];
	struct ab_decision d;

	ab_options_default(&o);
	ab_analyze(arms, k, &o, r);
	ab_decide(arms, k, r, &o, &d);
	return d;
}

START_TEST(clear_winner)
{
	struct ab_arm arms[2] = { arm("A", 5000, 500, 1), arm("B", 5000, 700, 0) };
	struct ab_decision d = decide(arms, 2);

	ck_assert_int_eq(d.outcome, AB_WINNER);
	ck_assert_int_eq(d.arm, 1);
	ck_assert(d.has_loss && d.loss < 0.0025);
}
END_TEST

START_TEST(seed_pattern_is_not_enough_evidence)
{
	/* The seed picks "High-Energy" at 42/50 over 39/50: too few trials. */
	struct ab_arm arms[2] = { arm("High-Energy", 50, 42, 1), arm("Low-Pressure", 50, 39, 0) };
	struct ab_decision d = decide(arms, 2);

	ck_assert_int_eq(d.outcome, AB_INCONCLUSIVE);
	ck_assert_int_eq(d.arm, 0); /* the leader is still named */
	ck_assert_ptr_nonnull(strstr(d.reason, "at least 100"));
}
END_TEST

START_TEST(srm_forbids_a_winner)
{
	struct ab_arm arms[2] = { arm("A", 5000, 500, 1), arm("B", 6000, 840, 0) };
	struct ab_decision d = decide(arms, 2);

	ck_assert_int_eq(d.outcome, AB_INVALID);
	ck_assert_ptr_nonnull(strstr(d.reason, "sample ratio mismatch"));
}
END_TEST

START_TEST(planned_weights_are_not_srm)
{
	struct ab_arm arms[2] = { arm("A", 5000, 500, 1), arm("B", 10000, 1400, 0) };
	struct ab_decision d;

	arms[1].weight = 2;
	d = decide(arms, 2);
	ck_assert_int_eq(d.outcome, AB_WINNER);
}
END_TEST

START_TEST(control_can_win)
{
	struct ab_arm arms[3] = { arm("A", 5000, 800, 1), arm("B", 5000, 500, 0),
				  arm("C", 5000, 520, 0) };
	struct ab_decision d = decide(arms, 3);

	ck_assert_int_eq(d.outcome, AB_WINNER);
	ck_assert_int_eq(d.arm, 0);
}
END_TEST

START_TEST(significant_but_costly_is_inconclusive)
{
	/* A real difference, but not yet sure enough that the loss is small. */
	struct ab_arm arms[2] = { arm("A", 400, 40, 1), arm("B", 400, 75, 0) };
	struct ab_options o;
	struct ab_result r[2];
	struct ab_decision d;

	ab_options_default(&o);
	o.max_loss = 1e-9;
	ab_analyze(arms, 2, &o, r);
	ab_decide(arms, 2, r, &o, &d);
	ck_assert_int_eq(d.outcome, AB_INCONCLUSIVE);
	ck_assert_ptr_nonnull(strstr(d.reason, "expected loss"));
}
END_TEST

/* 1,000 A/A experiments at a 10 % rate, 40 trials per arm per day, looked
 * at every day for 30 days: how many ever declare a winner? */
START_TEST(daily_peeking_aa_simulation)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct ab_options o;
	int rule_false = 0, fixed_false = 0;

	gsl_rng_set(rng, 20261128);
	ab_options_default(&o);
	for (int e = 0; e < 1000; e++) {
		struct ab_arm arms[2] = { arm("A", 0, 0, 1), arm("B", 0, 0, 0) };
		int rule_hit = 0, fixed_hit = 0;

		for (int day = 0; day < 30; day++) {
			struct ab_result r[2];
			struct ab_decision d;

			for (int i = 0; i < 2; i++) {
				arms[i].trials += 40;
				arms[i].conversions += gsl_ran_binomial(rng, 0.10, 40);
			}
			ab_analyze(arms, 2, &o, r);
			if (!rule_hit) {
				ab_decide(arms, 2, r, &o, &d);
				rule_hit = d.outcome == AB_WINNER;
			}
			fixed_hit |= r[1].has_z && r[1].p_value < 0.05;
		}
		rule_false += rule_hit;
		fixed_false += fixed_hit;
	}
	gsl_rng_free(rng);
	printf("A/A, 30 daily looks: winner rule %.1f %%, fixed-horizon p < 0.05 %.1f %%\n",
	       rule_false / 10.0, fixed_false / 10.0);
	ck_assert_int_le(rule_false, 50);
	ck_assert_int_gt(fixed_false, 150);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ab");
	TCase *tc = tcase_create("ab");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, report_against_the_control);
	tcase_add_test(tc, nothing_non_finite_with_empty_arms);
	tcase_add_test(tc, lift_rel_needs_five_control_conversions);
	tcase_add_test(tc, clear_winner);
	tcase_add_test(tc, seed_pattern_is_not_enough_evidence);
	tcase_add_test(tc, srm_forbids_a_winner);
	tcase_add_test(tc, planned_weights_are_not_srm);
	tcase_add_test(tc, control_can_win);
	tcase_add_test(tc, significant_but_costly_is_inconclusive);
	tcase_add_test(tc, daily_peeking_aa_simulation);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
