/* Unit tests of rollout: --steps parsing; the analysis of a step against
 * tests/data/rollout-reference.jsonl (scipy) to 1e-9, verdicts included;
 * conditions combined; the decision of every result at every step; the
 * analysis policy file; and routing, which keeps a unit in the canary as
 * the weight grows. */
#include "unit.h"

#include <math.h>

#include "pure/rollout.h"

START_TEST(steps_parse)
{
	double steps[ROLLOUT_STEPS_MAX];
	char err[128];
	size_t n;

	ck_assert_int_eq(rollout_parse_steps("10,25,50,100", steps, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert(steps[0] == 10 && steps[1] == 25 && steps[2] == 50 && steps[3] == 100);
	ck_assert_int_eq(rollout_parse_steps("0.5,100", steps, &n, err, sizeof(err)), 0);
	ck_assert(n == 2 && steps[0] == 0.5);
}
END_TEST

/* Each bad --steps, and the reason it gives. */
START_TEST(bad_steps_are_refused_saying_why)
{
	static const char *const bad[][2] = {
		{ "", "step '' is not a percentage" },
		{ "10,,100", "step '' is not a percentage" },
		{ "10,25,", "step '' is not a percentage" },
		{ "ten,100", "step 'ten' is not a percentage" },
		{ "-10,100", "step '-10' is not a percentage" },
		{ "1e1,100", "step '1e1' is not a percentage" },
		{ "10.,100", "step '10.' is not a percentage" },
		{ " 10,100", "step ' 10' is not a percentage" },
		{ "0,100", "step 0 is outside (0, 100]" },
		{ "10,150", "step 150 is outside (0, 100]" },
		{ "50,25,100", "steps must increase: 25 after 50" },
		{ "10,10,100", "steps must increase: 10 after 10" },
		{ "10,25,50", "the last step must be 100, not 50" },
		{ "100", "a stepped canary needs a step below 100 before 100" },
	};
	double steps[ROLLOUT_STEPS_MAX];
	char err[128];
	size_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		ck_assert_msg(rollout_parse_steps(bad[i][0], steps, &n, err, sizeof(err)) == -1,
			      "'%s' taken", bad[i][0]);
		ck_assert_str_eq(err, bad[i][1]);
	}
	{
		char many[256] = "";

		for (int i = 1; i <= ROLLOUT_STEPS_MAX; i++)
			snprintf(many + strlen(many), sizeof(many) - strlen(many), "%d,", i);
		strcat(many, "100");
		ck_assert_int_eq(rollout_parse_steps(many, steps, &n, err, sizeof(err)), -1);
		ck_assert_str_eq(err, "more than 32 steps");
	}
}
END_TEST

/* Judge every vector of the reference file; how many. */
static int judge_reference(void)
{
	FILE *fp = fopen("tests/data/rollout-reference.jsonl", "r");
	char *text = NULL;
	size_t cap = 0;
	int n = 0;

	ck_assert_ptr_nonnull(fp);
	while (getline(&text, &cap, fp) > 0) {
		cJSON *v = cJSON_Parse(text);
		const char *kind = cJSON_GetObjectItemCaseSensitive(v, "kind")->valuestring;
		const char *want = cJSON_GetObjectItemCaseSensitive(v, "result")->valuestring;
		struct rollout_condition c = { "conversion", ROLLOUT_DIFFERENCE, unit_number(v, "threshold"),
					       unit_number(v, "min_samples") };
		struct rollout_counts s = { unit_number(v, "serving_successes"), unit_number(v, "serving_trials") };
		struct rollout_counts k = { unit_number(v, "canary_successes"), unit_number(v, "canary_trials") };
		struct rollout_evidence e;
		enum rollout_result r;

		ck_assert_int_eq(rollout_comparison_parse(kind, &c.comparison), 0);
		r = rollout_judge(&c, unit_number(v, "confidence"), &s, &k, &e);
		ck_assert_msg(!strcmp(rollout_result_name(r), want), "vector %d: %s, want %s", n,
			      rollout_result_name(r), want);
		ck_assert_int_eq(e.result, r);
		unit_near(v, "bound", e.bound, n);
		ck_assert_int_eq(e.has_interval, cJSON_HasObjectItem(v, "low"));
		if (e.has_interval) {
			unit_near(v, "estimate", e.estimate, n);
			unit_near(v, "low", e.low, n);
			unit_near(v, "high", e.high, n);
		}
		ck_assert_ptr_nonnull(e.why);
		cJSON_Delete(v);
		n++;
	}
	free(text);
	fclose(fp);
	return n;
}

START_TEST(judge_matches_scipy)
{
	ck_assert_int_ge(judge_reference(), 24);
}
END_TEST

START_TEST(too_few_samples_is_inconclusive_with_rates)
{
	struct rollout_condition c = { "conversion", ROLLOUT_DIFFERENCE, 0.05, 100 };
	struct rollout_counts s = { 10, 99 }, k = { 50, 100 }, none = { 0, 0 };
	struct rollout_evidence e;

	ck_assert_int_eq(rollout_judge(&c, 0.95, &s, &k, &e), ROLLOUT_INCONCLUSIVE);
	ck_assert_str_eq(e.why, "too few samples");
	ck_assert(e.has_rates && !e.has_interval);
	ck_assert(fabs(e.canary_rate - 0.5) < 1e-15);
	ck_assert_int_eq(rollout_judge(&c, 0.95, &none, &k, &e), ROLLOUT_INCONCLUSIVE);
	ck_assert(!e.has_rates && !e.has_interval);
	c.min_samples = 0;
	ck_assert_int_eq(rollout_judge(&c, 0.95, &none, &none, &e), ROLLOUT_INCONCLUSIVE);
	ck_assert_str_eq(e.why, "too few samples");
}
END_TEST

START_TEST(combine_fails_on_any_failure_then_holds)
{
	enum rollout_result all_pass[] = { ROLLOUT_PASS, ROLLOUT_PASS };
	enum rollout_result one_open[] = { ROLLOUT_PASS, ROLLOUT_INCONCLUSIVE };
	enum rollout_result one_fail[] = { ROLLOUT_INCONCLUSIVE, ROLLOUT_FAIL, ROLLOUT_PASS };

	ck_assert_int_eq(rollout_combine(2, all_pass), ROLLOUT_PASS);
	ck_assert_int_eq(rollout_combine(2, one_open), ROLLOUT_INCONCLUSIVE);
	ck_assert_int_eq(rollout_combine(3, one_fail), ROLLOUT_FAIL);
	ck_assert_int_eq(rollout_combine(0, NULL), ROLLOUT_INCONCLUSIVE);
}
END_TEST

/* rollout_analyze judges every condition: one passing and one failing
 * fails the step. */
START_TEST(analyze_judges_every_condition)
{
	struct rollout_policy p = { .n = 2, .confidence = 0.95, .failure_limit = 1 };
	struct rollout_counts s[2] = { { 100, 1000 }, { 150, 1000 } };
	struct rollout_counts k[2] = { { 110, 1000 }, { 60, 1000 } };
	struct rollout_evidence e[2];

	p.condition[0] = (struct rollout_condition){ "conversion", ROLLOUT_DIFFERENCE, 0.05, 100 };
	p.condition[1] = (struct rollout_condition){ "booked", ROLLOUT_DIFFERENCE, 0.05, 100 };
	ck_assert_int_eq(rollout_analyze(&p, s, k, e), ROLLOUT_FAIL);
	ck_assert_int_eq(e[0].result, ROLLOUT_PASS);
	ck_assert_int_eq(e[1].result, ROLLOUT_FAIL);
	p.n = 1;
	ck_assert_int_eq(rollout_analyze(&p, s, k, e), ROLLOUT_PASS);
}
END_TEST

/* The decision of each result at each step of 10,25,50,100 (step 3 is
 * never current: reaching it is the promotion). */
START_TEST(decide_every_result_at_every_step)
{
	for (size_t step = 0; step < 3; step++) {
		ck_assert_int_eq(rollout_decide(ROLLOUT_PASS, 0, 1, step, 4),
				 step < 2 ? ROLLOUT_ADVANCE : ROLLOUT_PROMOTE);
		ck_assert_int_eq(rollout_decide(ROLLOUT_INCONCLUSIVE, 0, 1, step, 4), ROLLOUT_HOLD);
		ck_assert_int_eq(rollout_decide(ROLLOUT_INCONCLUSIVE, 5, 1, step, 4), ROLLOUT_HOLD);
		ck_assert_int_eq(rollout_decide(ROLLOUT_FAIL, 0, 1, step, 4), ROLLOUT_ABORT);
		ck_assert_int_eq(rollout_decide(ROLLOUT_FAIL, 0, 3, step, 4), ROLLOUT_FAILED);
		ck_assert_int_eq(rollout_decide(ROLLOUT_FAIL, 1, 3, step, 4), ROLLOUT_FAILED);
		ck_assert_int_eq(rollout_decide(ROLLOUT_FAIL, 2, 3, step, 4), ROLLOUT_ABORT);
		/* A limit lowered after failures were counted aborts at once. */
		ck_assert_int_eq(rollout_decide(ROLLOUT_FAIL, 4, 2, step, 4), ROLLOUT_ABORT);
	}
	ck_assert_int_eq(rollout_decide(ROLLOUT_PASS, 0, 1, 0, 2), ROLLOUT_PROMOTE);
	ck_assert_str_eq(rollout_decision_name(ROLLOUT_ABORT), "abort");
	ck_assert_str_eq(rollout_result_name(ROLLOUT_INCONCLUSIVE), "inconclusive");
}
END_TEST

static enum brain_status parse_policy(const char *text, struct rollout_policy *p)
{
	struct rollout_condition base = { "", ROLLOUT_RATIO, 0.1, 50 };
	cJSON *o = cJSON_Parse(text);
	enum brain_status status;

	ck_assert_ptr_nonnull(o);
	status = rollout_policy_parse(o, "policy.json", &base, p);
	cJSON_Delete(o);
	return status;
}

START_TEST(policy_file_over_the_settings)
{
	struct rollout_policy p = { .confidence = 0.95, .failure_limit = 1 };

	ck_assert_int_eq(parse_policy("{\"confidence\":0.9,\"failure_limit\":3,\"conditions\":["
				      "{\"metric\":\"conversion\",\"comparison\":\"difference\","
				      "\"threshold\":0.02,\"min_samples\":200},"
				      "{\"metric\":\"booked\"}]}", &p), BRAIN_OK);
	ck_assert(p.confidence == 0.9 && p.failure_limit == 3 && p.n == 2);
	ck_assert_str_eq(p.condition[0].metric, "conversion");
	ck_assert_int_eq(p.condition[0].comparison, ROLLOUT_DIFFERENCE);
	ck_assert(p.condition[0].threshold == 0.02 && p.condition[0].min_samples == 200);
	/* What a condition leaves out comes from the settings. */
	ck_assert_str_eq(p.condition[1].metric, "booked");
	ck_assert_int_eq(p.condition[1].comparison, ROLLOUT_RATIO);
	ck_assert(p.condition[1].threshold == 0.1 && p.condition[1].min_samples == 50);
	/* Without conditions, the configured ones stay. */
	ck_assert_int_eq(parse_policy("{\"failure_limit\":2}", &p), BRAIN_OK);
	ck_assert(p.n == 2 && p.failure_limit == 2 && p.confidence == 0.9);
}
END_TEST

START_TEST(bad_policy_is_refused_and_changes_nothing)
{
	static const char *const bad[][2] = {
		{ "[]", "policy.json: an analysis policy is a JSON object" },
		{ "{\"confidense\":0.9}", "policy.json: unknown key 'confidense'" },
		{ "{\"confidence\":1}", "'confidence' must be a number from 0.5 to below 1" },
		{ "{\"failure_limit\":0}", "'failure_limit' must be a whole number from 1 to 1000" },
		{ "{\"failure_limit\":1.5}", "'failure_limit' must be a whole number" },
		{ "{\"conditions\":[]}", "'conditions' must be an array of 1 to 16 objects" },
		{ "{\"conditions\":[1]}", "conditions[0] must be an object" },
		{ "{\"conditions\":[{}]}", "conditions[0] needs a 'metric'" },
		{ "{\"conditions\":[{\"metric\":\"Conv\"}]}", "conditions[0].metric must be a metric name" },
		{ "{\"conditions\":[{\"metric\":\"c\",\"comparison\":\"diff\"}]}",
		  "conditions[0].comparison must be \"difference\" or \"ratio\"" },
		{ "{\"conditions\":[{\"metric\":\"c\"},{\"metric\":\"d\",\"threshold\":2}]}",
		  "conditions[1].threshold must be a number from 0 to 1" },
		{ "{\"conditions\":[{\"metric\":\"c\",\"min_samples\":-1}]}",
		  "conditions[0].min_samples must be a whole number" },
		{ "{\"conditions\":[{\"metric\":\"c\",\"minimum\":1}]}",
		  "conditions[0]: unknown key 'minimum'" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct rollout_policy p = { .confidence = 0.95, .failure_limit = 1, .n = 0 };

		unit_capture_diag();
		ck_assert_int_eq(parse_policy(bad[i][0], &p), BRAIN_DATA);
		ck_assert_msg(strstr(unit_diag_text(), bad[i][1]) != NULL, "%s: got '%s'", bad[i][0],
			      unit_diag_text());
		ck_assert(p.confidence == 0.95 && p.failure_limit == 1 && p.n == 0);
	}
}
END_TEST

/* A unit routed to the canary at weight w is routed to it at every
 * w' > w, for every unit and every pair of weights; and the share routed
 * is near the weight. */
START_TEST(route_is_monotonic_in_the_weight)
{
	static const double weights[] = { 0.01, 0.1, 0.25, 0.333, 0.5, 0.75, 0.99, 1 };
	const size_t nw = sizeof(weights) / sizeof(*weights);

	for (int u = 0; u < 5000; u++) {
		char unit[32];
		double first = -1, bucket, again;

		snprintf(unit, sizeof(unit), "lead-%d", u);
		for (size_t i = 0; i < nw; i++) {
			int in = rollout_route("lead-scorer@2", unit, weights[i], &bucket);

			if (in && first < 0)
				first = weights[i];
			ck_assert_msg(!(first >= 0 && !in), "%s left the canary at %g", unit, weights[i]);
			rollout_route("lead-scorer@2", unit, 0.5, &again);
			ck_assert(bucket == again && bucket >= 0 && bucket < 1);
		}
		ck_assert_msg(first >= 0, "%s not in the canary at weight 1", unit);
	}
	{
		int in = 0;
		double bucket;

		for (int u = 0; u < 10000; u++) {
			char unit[32];

			snprintf(unit, sizeof(unit), "unit-%d", u);
			in += rollout_route("lead-scorer@2", unit, 0.25, &bucket);
		}
		ck_assert_msg(in > 2300 && in < 2700, "%d of 10000 at 0.25", in);
	}
}
END_TEST

/* The canary's version id is the seed: another canary splits anew. */
START_TEST(route_depends_on_the_seed)
{
	double a, b;
	int differ = 0;

	for (int u = 0; u < 100; u++) {
		char unit[32];

		snprintf(unit, sizeof(unit), "lead-%d", u);
		rollout_route("lead-scorer@2", unit, 0.5, &a);
		rollout_route("lead-scorer@3", unit, 0.5, &b);
		differ += a != b;
	}
	ck_assert_int_gt(differ, 90);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rollout");
	TCase *tc = tcase_create("rollout");

	tcase_add_test(tc, steps_parse);
	tcase_add_test(tc, bad_steps_are_refused_saying_why);
	tcase_add_test(tc, judge_matches_scipy);
	tcase_add_test(tc, too_few_samples_is_inconclusive_with_rates);
	tcase_add_test(tc, combine_fails_on_any_failure_then_holds);
	tcase_add_test(tc, analyze_judges_every_condition);
	tcase_add_test(tc, decide_every_result_at_every_step);
	tcase_add_test(tc, policy_file_over_the_settings);
	tcase_add_test(tc, bad_policy_is_refused_and_changes_nothing);
	tcase_add_test(tc, route_is_monotonic_in_the_weight);
	tcase_add_test(tc, route_depends_on_the_seed);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
