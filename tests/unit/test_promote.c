/* Unit tests of promote: the lifecycle table, hysteresis, streaks, the
 * cool-down, the floor, the seed's weekly pattern, and the evidence rule
 * (brain-ab's always-valid interval decides, not the raw rate). */
#include "unit.h"

#include "pure/promote.h"

static struct promote_result eval(const struct promote_policy *p, struct promote_script *s,
				  double perf, double samples, time_t now)
{
	struct promote_result r;

	promote_evaluate(p, s, perf, samples, now, &r);
	return r;
}

START_TEST(seed_weekly_pattern)
{
	/* 0.85, 0.87, 0.89, 0.88 on a fresh script under the defaults. */
	static const double weeks[] = { 0.85, 0.87, 0.89, 0.88 };
	static const enum promote_action actions[] = { PROMOTE_UP, PROMOTE_UP, PROMOTE_HOLD,
						       PROMOTE_HOLD };
	static const enum promote_status statuses[] = { PROMOTE_TESTING, PROMOTE_ACTIVE,
							PROMOTE_ACTIVE, PROMOTE_ACTIVE };
	struct promote_policy p;
	struct promote_script s = { PROMOTE_DRAFT, 0, 0 };

	promote_policy_default(&p);
	for (int w = 0; w < 4; w++) {
		struct promote_result r = eval(&p, &s, weeks[w], -1, 1000 + w);

		ck_assert_int_eq(r.action, actions[w]);
		ck_assert_int_eq(r.new_status, statuses[w]);
	}
}
END_TEST

START_TEST(seed_promote_then_demote)
{
	struct promote_policy p;
	struct promote_script s = { PROMOTE_DRAFT, 0, 0 };
	struct promote_result r;

	promote_policy_default(&p);
	r = eval(&p, &s, 0.87, -1, 1);
	ck_assert_int_eq(r.new_status, PROMOTE_TESTING);
	r = eval(&p, &s, 0.62, -1, 2);
	ck_assert_int_eq(r.action, PROMOTE_DOWN);
	ck_assert_int_eq(r.old_status, PROMOTE_TESTING);
	ck_assert_int_eq(r.new_status, PROMOTE_RETIRED);
	ck_assert_str_eq(r.rule, "demote");
}
END_TEST

START_TEST(lifecycle_table)
{
	/* Every status under each action. */
	static const struct {
		enum promote_status from;
		double perf;
		enum promote_action action;
		enum promote_status to;
		const char *rule;
	} table[] = {
		{ PROMOTE_DRAFT, 0.90, PROMOTE_UP, PROMOTE_TESTING, "promote" },
		{ PROMOTE_TESTING, 0.90, PROMOTE_UP, PROMOTE_ACTIVE, "promote" },
		{ PROMOTE_ACTIVE, 0.90, PROMOTE_HOLD, PROMOTE_ACTIVE, "top" },
		{ PROMOTE_RETIRED, 0.90, PROMOTE_HOLD, PROMOTE_RETIRED, "top" },
		{ PROMOTE_DRAFT, 0.60, PROMOTE_DOWN, PROMOTE_RETIRED, "demote" },
		{ PROMOTE_TESTING, 0.60, PROMOTE_DOWN, PROMOTE_RETIRED, "demote" },
		{ PROMOTE_ACTIVE, 0.60, PROMOTE_DOWN, PROMOTE_TESTING, "demote" },
		{ PROMOTE_RETIRED, 0.60, PROMOTE_HOLD, PROMOTE_RETIRED, "bottom" },
		{ PROMOTE_DRAFT, 0.75, PROMOTE_HOLD, PROMOTE_DRAFT, "band" },
		{ PROMOTE_TESTING, 0.75, PROMOTE_HOLD, PROMOTE_TESTING, "band" },
		{ PROMOTE_ACTIVE, 0.75, PROMOTE_HOLD, PROMOTE_ACTIVE, "band" },
		{ PROMOTE_RETIRED, 0.75, PROMOTE_HOLD, PROMOTE_RETIRED, "band" },
		{ PROMOTE_ACTIVE, 0.40, PROMOTE_DOWN, PROMOTE_TESTING, "floor" },
	};
	struct promote_policy p;

	promote_policy_default(&p);
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		struct promote_script s = { table[i].from, 0, 0 };
		struct promote_result r = eval(&p, &s, table[i].perf, -1, 10);

		ck_assert_msg(r.action == table[i].action && r.new_status == table[i].to &&
			      !strcmp(r.rule, table[i].rule),
			      "row %zu: %s %s -> %s (%s)", i, promote_status_name(table[i].from),
			      promote_action_name(r.action), promote_status_name(r.new_status), r.rule);
		ck_assert_int_eq(s.status, table[i].to);
	}
}
END_TEST

START_TEST(hysteresis_band_does_not_flap)
{
	/* Noise around 0.78 moves nothing, where a single threshold would
	 * flip the script on every other evaluation. */
	static const double noise[] = { 0.80, 0.76, 0.83, 0.72, 0.84, 0.71, 0.79 };
	struct promote_policy p;
	struct promote_script s = { PROMOTE_TESTING, 0, 0 };

	promote_policy_default(&p);
	for (size_t i = 0; i < sizeof(noise) / sizeof(noise[0]); i++) {
		struct promote_result r = eval(&p, &s, noise[i], -1, (time_t)i);

		ck_assert_int_eq(r.action, PROMOTE_HOLD);
	}
	ck_assert_int_eq(s.status, PROMOTE_TESTING);
}
END_TEST

START_TEST(consecutive_rule)
{
	struct promote_policy p;
	struct promote_script s = { PROMOTE_TESTING, 0, 0 };
	struct promote_result r;

	promote_policy_default(&p);
	p.consecutive = 3;
	ck_assert_int_eq(eval(&p, &s, 0.90, -1, 1).action, PROMOTE_HOLD);
	r = eval(&p, &s, 0.91, -1, 2);
	ck_assert_str_eq(r.rule, "streak");
	ck_assert_ptr_nonnull(strstr(r.reason, "2 of 3"));
	/* The band breaks the streak. */
	ck_assert_int_eq(eval(&p, &s, 0.80, -1, 3).action, PROMOTE_HOLD);
	ck_assert_int_eq(eval(&p, &s, 0.90, -1, 4).action, PROMOTE_HOLD);
	ck_assert_int_eq(eval(&p, &s, 0.90, -1, 5).action, PROMOTE_HOLD);
	r = eval(&p, &s, 0.90, -1, 6);
	ck_assert_int_eq(r.action, PROMOTE_UP);
	ck_assert_int_eq(r.new_status, PROMOTE_ACTIVE);
	/* A demotion streak does not count toward a promotion. */
	ck_assert_int_eq(eval(&p, &s, 0.60, -1, 7).action, PROMOTE_HOLD);
	ck_assert_int_eq(s.streak, -1);
}
END_TEST

START_TEST(cooldown_after_a_change)
{
	struct promote_policy p;
	struct promote_script s = { PROMOTE_DRAFT, 0, 0 };
	struct promote_result r;

	promote_policy_default(&p);
	p.cooldown = 7 * 86400;
	ck_assert_int_eq(eval(&p, &s, 0.90, -1, 100000).action, PROMOTE_UP);
	r = eval(&p, &s, 0.90, -1, 100000 + 86400);
	ck_assert_int_eq(r.action, PROMOTE_HOLD);
	ck_assert_str_eq(r.rule, "cooldown");
	ck_assert_int_eq(eval(&p, &s, 0.90, -1, 100000 + 8 * 86400).action, PROMOTE_UP);
	/* The floor ignores the cool-down. */
	r = eval(&p, &s, 0.30, -1, 100000 + 8 * 86400 + 1);
	ck_assert_int_eq(r.action, PROMOTE_DOWN);
	ck_assert_str_eq(r.rule, "floor");
}
END_TEST

START_TEST(minimum_samples)
{
	struct promote_policy p;
	struct promote_script s = { PROMOTE_TESTING, 0, 0 };
	struct promote_result r;

	promote_policy_default(&p);
	p.min_samples = 30;
	r = eval(&p, &s, 0.95, 12, 1);
	ck_assert_int_eq(r.action, PROMOTE_HOLD);
	ck_assert_str_eq(r.rule, "min_samples");
	r = eval(&p, &s, 0.95, -1, 2);
	ck_assert_ptr_nonnull(strstr(r.reason, "unknown"));
	ck_assert_int_eq(eval(&p, &s, 0.95, 30, 3).action, PROMOTE_UP);
}
END_TEST

START_TEST(status_names_round_trip)
{
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(promote_status_parse(promote_status_name((enum promote_status)i)), i);
	ck_assert_int_eq(promote_status_parse("live"), -1);
}
END_TEST

/* promote_evaluate_evidence, returning the result. */
static struct promote_result eval_ev(const struct promote_policy *p, struct promote_script *s,
				     double perf, const struct promote_evidence *e,
				     double samples, time_t now)
{
	struct promote_result r;

	promote_evaluate_evidence(p, s, perf, e, samples, now, &r);
	return r;
}

START_TEST(evidence_table)
{
	/* The interval alone decides: the rates are 3 %, below the floor. */
	static const struct {
		enum promote_status from;
		double low, high;
		enum promote_action action;
		enum promote_status to;
		const char *rule;
	} table[] = {
		{ PROMOTE_DRAFT, 0.004, 0.03, PROMOTE_UP, PROMOTE_TESTING, "promote" },
		{ PROMOTE_TESTING, 0.004, 0.03, PROMOTE_UP, PROMOTE_ACTIVE, "promote" },
		{ PROMOTE_ACTIVE, 0.004, 0.03, PROMOTE_HOLD, PROMOTE_ACTIVE, "top" },
		{ PROMOTE_ACTIVE, -0.03, -0.004, PROMOTE_DOWN, PROMOTE_TESTING, "demote" },
		{ PROMOTE_DRAFT, -0.03, -0.004, PROMOTE_DOWN, PROMOTE_RETIRED, "demote" },
		{ PROMOTE_RETIRED, -0.03, -0.004, PROMOTE_HOLD, PROMOTE_RETIRED, "bottom" },
		{ PROMOTE_ACTIVE, -0.025, 0.027, PROMOTE_HOLD, PROMOTE_ACTIVE, "evidence" },
		{ PROMOTE_TESTING, 0, 0.03, PROMOTE_HOLD, PROMOTE_TESTING, "evidence" },
		{ PROMOTE_TESTING, -0.03, 0, PROMOTE_HOLD, PROMOTE_TESTING, "evidence" },
	};
	struct promote_policy p;

	promote_policy_default(&p);
	p.require_evidence = 1;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		struct promote_script s = { table[i].from, 0, 0 };
		struct promote_evidence e = { 1, 0, table[i].low, table[i].high, -1 };
		struct promote_result r = eval_ev(&p, &s, 0.03, &e, 1000, 10);

		ck_assert_msg(r.action == table[i].action && r.new_status == table[i].to &&
			      !strcmp(r.rule, table[i].rule),
			      "row %zu: %s %s -> %s (%s)", i, promote_status_name(table[i].from),
			      promote_action_name(r.action), promote_status_name(r.new_status), r.rule);
	}
}
END_TEST

START_TEST(evidence_holds_what_raw_rates_retire)
{
	/* The operator's case: 3.1 % against a 3 % control, seq p 1. */
	struct promote_policy p;
	struct promote_script raw = { PROMOTE_ACTIVE, 0, 0 }, ev = { PROMOTE_ACTIVE, 0, 0 };
	struct promote_evidence e = { 1, 0, -0.02485, 0.02685, 1 };
	struct promote_result r;

	promote_policy_default(&p);
	r = eval_ev(&p, &raw, 0.031, &e, 1000, 1);
	ck_assert_str_eq(r.rule, "floor"); /* without the requirement: the rate */
	p.require_evidence = 1;
	r = eval_ev(&p, &ev, 0.031, &e, 1000, 1);
	ck_assert_int_eq(r.action, PROMOTE_HOLD);
	ck_assert_int_eq(r.new_status, PROMOTE_ACTIVE);
	ck_assert_str_eq(r.reason, "the always-valid interval of the lift against the control "
			 "[-0.02485, 0.02685] holds 0 (seq p 1): not enough evidence to move it");
}
END_TEST

START_TEST(evidence_missing_says_so)
{
	struct promote_policy p;
	struct promote_script s = { PROMOTE_TESTING, 3, 0 };
	struct promote_evidence none = { 0, 0, 0, 0, -1 }, control = { 0, 1, 0, 0, -1 };
	struct promote_result r;

	promote_policy_default(&p);
	p.require_evidence = 1;
	r = eval_ev(&p, &s, 0.99, &none, 1000, 1);
	ck_assert_int_eq(r.action, PROMOTE_HOLD);
	ck_assert_str_eq(r.rule, "no_evidence");
	ck_assert_ptr_nonnull(strstr(r.reason, "no always-valid interval"));
	ck_assert_int_eq(s.streak, 0); /* a line without evidence breaks a streak */
	r = eval_ev(&p, &s, 0.99, NULL, 1000, 2);
	ck_assert_str_eq(r.rule, "no_evidence");
	r = eval_ev(&p, &s, 0.01, &control, 1000, 3);
	ck_assert_str_eq(r.rule, "no_evidence");
	ck_assert_ptr_nonnull(strstr(r.reason, "the control"));
	ck_assert_int_eq(s.status, PROMOTE_TESTING);
}
END_TEST

START_TEST(evidence_streak_cooldown_samples)
{
	struct promote_policy p;
	struct promote_script s = { PROMOTE_DRAFT, 0, 0 };
	struct promote_evidence up = { 1, 0, 0.01, 0.04, 0.001 }, flat = { 1, 0, -0.01, 0.02, 1 };
	struct promote_result r;

	promote_policy_default(&p);
	p.require_evidence = 1;
	p.consecutive = 2;
	p.cooldown = 3600;
	p.min_samples = 500;
	r = eval_ev(&p, &s, 0.05, &up, 499, 10000);
	ck_assert_str_eq(r.rule, "min_samples");
	r = eval_ev(&p, &s, 0.05, &up, 500, 10001);
	ck_assert_str_eq(r.rule, "streak");
	ck_assert_str_eq(r.reason, "the always-valid interval of the lift against the control "
			 "[0.01, 0.04] is above 0 (seq p 0.001): 1 of 2 evaluations in a row");
	/* An interval holding 0 breaks the streak, as the band does. */
	ck_assert_str_eq(eval_ev(&p, &s, 0.05, &flat, 500, 10002).rule, "evidence");
	ck_assert_str_eq(eval_ev(&p, &s, 0.05, &up, 500, 10003).rule, "streak");
	r = eval_ev(&p, &s, 0.05, &up, 500, 10004);
	ck_assert_int_eq(r.action, PROMOTE_UP);
	ck_assert_int_eq(r.new_status, PROMOTE_TESTING);
	eval_ev(&p, &s, 0.05, &up, 500, 10005);
	r = eval_ev(&p, &s, 0.05, &up, 500, 10006);
	ck_assert_str_eq(r.rule, "cooldown");
	r = eval_ev(&p, &s, 0.05, &up, 500, 10004 + 3600);
	ck_assert_int_eq(r.new_status, PROMOTE_ACTIVE);
}
END_TEST

START_TEST(evidence_off_is_the_rate_rule)
{
	/* Without the requirement the evidence is ignored, the rate decides. */
	struct promote_policy p;
	struct promote_script s = { PROMOTE_DRAFT, 0, 0 };
	struct promote_evidence down = { 1, 0, -0.2, -0.1, 0.0001 };
	struct promote_result r;

	promote_policy_default(&p);
	r = eval_ev(&p, &s, 0.9, &down, 100, 1);
	ck_assert_int_eq(r.action, PROMOTE_UP);
	ck_assert_str_eq(r.reason, "0.9 >= 0.85");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("promote");
	TCase *tc = tcase_create("promote");

	tcase_add_test(tc, seed_weekly_pattern);
	tcase_add_test(tc, seed_promote_then_demote);
	tcase_add_test(tc, lifecycle_table);
	tcase_add_test(tc, hysteresis_band_does_not_flap);
	tcase_add_test(tc, consecutive_rule);
	tcase_add_test(tc, cooldown_after_a_change);
	tcase_add_test(tc, minimum_samples);
	tcase_add_test(tc, status_names_round_trip);
	tcase_add_test(tc, evidence_table);
	tcase_add_test(tc, evidence_holds_what_raw_rates_retire);
	tcase_add_test(tc, evidence_missing_says_so);
	tcase_add_test(tc, evidence_streak_cooldown_samples);
	tcase_add_test(tc, evidence_off_is_the_rate_rule);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
