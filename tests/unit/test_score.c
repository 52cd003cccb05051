/* Unit tests of score: weighted readiness with its floor, and the four
 * components from runs against a hand-computed fixture. */
#include "unit.h"

#include <math.h>

#include "pure/score.h"

static struct score_result seed(double a, double c, double k, double r)
{
	struct score_input in;
	struct score_result out;

	score_input_default(&in);
	in.value[0] = a;
	in.value[1] = c;
	in.value[2] = k;
	in.value[3] = r;
	for (int i = 0; i < SCORE_N; i++)
		in.has[i] = 1;
	score_compute(&in, &out);
	return out;
}

START_TEST(seed_clones_are_ready)
{
	struct score_result r = seed(0.91, 0.88, 0.87, 0.90);

	ck_assert(r.ready);
	ck_assert(fabs(r.readiness - 0.89) < 1e-12);
	r = seed(0.92, 0.90, 0.89, 0.91);
	ck_assert(r.ready);
	ck_assert(fabs(r.readiness - 0.905) < 1e-12);
}
END_TEST

START_TEST(floor_vetoes_a_high_average)
{
	struct score_result r = seed(0.99, 0.99, 0.99, 0.69);

	ck_assert(r.readiness > 0.9);
	ck_assert(!r.ready);
	ck_assert(r.failing[SCORE_ROBUSTNESS] && !r.failing[SCORE_ACCURACY]);
	ck_assert_ptr_nonnull(strstr(r.reason, "robustness"));
}
END_TEST

START_TEST(weights_and_threshold)
{
	struct score_input in;
	struct score_result out;

	score_input_default(&in);
	for (int i = 0; i < SCORE_N; i++)
		in.has[i] = 1;
	in.value[0] = 1.0;
	in.value[1] = in.value[2] = in.value[3] = 0.75;
	in.weight[0] = 3;
	in.weight[1] = in.weight[2] = in.weight[3] = 1;
	score_compute(&in, &out);
	ck_assert(fabs(out.readiness - 0.875) < 1e-12);
	ck_assert(out.ready);
	in.threshold = 0.9;
	score_compute(&in, &out);
	ck_assert(!out.ready);
	ck_assert_ptr_nonnull(strstr(out.reason, "below the threshold"));
}
END_TEST

START_TEST(missing_component_is_not_ready)
{
	struct score_input in;
	struct score_result out;

	score_input_default(&in);
	in.value[0] = in.value[1] = in.value[2] = 0.99;
	in.has[0] = in.has[1] = in.has[2] = 1;
	score_compute(&in, &out);
	ck_assert(!out.ready);
	ck_assert_ptr_nonnull(strstr(out.reason, "no evidence for: robustness"));
}
END_TEST

/* The rule alone, on a readiness already weighted: the examples of the
 * issue (0.95, 0.95, 0.95, 0.60 is 0.8625 but vetoed; 0.86, 0.80, 0.80,
 * 0.80 is 0.815, under 0.85), the edges, and a bare number. */
START_TEST(verdict_is_threshold_and_floor)
{
	static const double gamma[SCORE_N] = { 0.95, 0.95, 0.95, 0.60 };
	static const double delta[SCORE_N] = { 0.86, 0.80, 0.80, 0.80 };
	static const double edge[SCORE_N] = { 0.70, 0.70, 1.0, 1.0 };
	static const int all[SCORE_N] = { 1, 1, 1, 1 }, three[SCORE_N] = { 1, 1, 0, 1 };
	struct score_result r;

	score_verdict(0.8625, gamma, all, 0.85, 0.70, &r);
	ck_assert(!r.ready && r.has_readiness && r.readiness == 0.8625);
	ck_assert(r.failing[SCORE_ROBUSTNESS] && !r.failing[SCORE_ACCURACY]);
	ck_assert_str_eq(r.reason, "below the floor 0.7: robustness (vetoes readiness whatever "
		 "the weighted score)");
	score_verdict(0.815, delta, all, 0.85, 0.70, &r);
	ck_assert(!r.ready);
	ck_assert_str_eq(r.reason, "readiness 0.8150 is below the threshold 0.85");
	/* At the threshold and at the floor is ready: both are "at or above". */
	score_verdict(0.85, edge, all, 0.85, 0.70, &r);
	ck_assert(r.ready);
	ck_assert_str_eq(r.reason, "readiness 0.8500 meets the threshold 0.85 and every "
		 "component is at or above 0.7");
	/* A missing component fails like one under the floor. */
	score_verdict(0.95, gamma, three, 0.85, 0.50, &r);
	ck_assert(!r.ready && r.failing[SCORE_CONSISTENCY] && !r.failing[SCORE_ROBUSTNESS]);
	ck_assert_str_eq(r.reason, "no evidence for: consistency");
	/* Components not known: the threshold alone, and the reason says so. */
	score_verdict(0.9, NULL, NULL, 0.85, 0.70, &r);
	ck_assert(r.ready);
	ck_assert_str_eq(r.reason, "readiness 0.9000 meets the threshold 0.85 (components not "
		 "known: the floor is not checked)");
	score_verdict(0.815, NULL, NULL, 0.85, 0.70, &r);
	ck_assert(!r.ready);
	ck_assert_str_eq(r.reason, "readiness 0.8150 is below the threshold 0.85 (components "
		 "not known: the floor is not checked)");
}
END_TEST

/* score_compute is score_verdict on the weighted mean: the same answer. */
START_TEST(compute_applies_the_verdict)
{
	struct score_input in;
	struct score_result a, b;

	score_input_default(&in);
	for (int i = 0; i < SCORE_N; i++) {
		in.has[i] = 1;
		in.value[i] = i == SCORE_ROBUSTNESS ? 0.60 : 0.95;
	}
	score_compute(&in, &a);
	score_verdict(0.8625, in.value, in.has, 0.85, 0.70, &b);
	ck_assert(fabs(a.readiness - 0.8625) < 1e-12);
	ck_assert_int_eq(a.ready, b.ready);
	ck_assert_str_eq(a.reason, b.reason);
	/* No component at all: no readiness. */
	score_input_default(&in);
	score_compute(&in, &a);
	ck_assert(!a.has_readiness && !a.ready);
	ck_assert_str_eq(a.reason, "no evidence for: accuracy, confidence, consistency, robustness");
}
END_TEST

START_TEST(components_from_runs)
{
	static const char *const runs[] = {
		"{\"case\":\"c1\",\"run\":1,\"passed\":true,\"confidence\":0.9}",
		"{\"case\":\"c1\",\"run\":2,\"passed\":true,\"confidence\":0.8}",
		"{\"case\":\"c2\",\"run\":1,\"passed\":true,\"confidence\":0.7}",
		"{\"case\":\"c2\",\"run\":2,\"passed\":false,\"confidence\":0.6}",
		"{\"case\":\"c3\",\"run\":1,\"passed\":false,\"confidence\":0.2}",
		("{\"case\":\"c3\",\"run\":2,\"passed\":false,\"confidence\":0.3,"
		 "\"compliance\":{\"ai_disclosure\":true,\"opt_out_honoured\":false}}"),
		"{\"case\":\"c1\",\"run\":3,\"passed\":true,\"perturbed\":true}",
		"{\"case\":\"c2\",\"run\":3,\"passed\":false,\"perturbed\":true}",
	};
	struct score_runs r;
	struct score_input in;
	struct score_result out;
	struct json_loc loc = { "runs", 0 };
	cJSON *counts = cJSON_CreateObject();

	score_runs_init(&r);
	score_input_default(&in);
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		cJSON *rec = cJSON_Parse(runs[i]);

		loc.line = (long)i + 1;
		ck_assert_int_eq(score_runs_add(&r, rec, &loc), BRAIN_OK);
		cJSON_Delete(rec);
	}
	score_runs_finish(&r, &in, counts);
	/* 3 of 6 unperturbed runs pass; 1 of 3 cases passes every run (pass^k,
	 * k = 2); 1 of 2 perturbed runs passes; ECE over six bins of one run
	 * each: (0.1 + 0.2 + 0.3 + 0.6 + 0.2 + 0.3) / 6 = 1.7 / 6. */
	ck_assert(fabs(in.value[SCORE_ACCURACY] - 0.5) < 1e-12);
	ck_assert(fabs(in.value[SCORE_CONSISTENCY] - 1.0 / 3) < 1e-12);
	ck_assert(fabs(in.value[SCORE_ROBUSTNESS] - 0.5) < 1e-12);
	ck_assert(fabs(in.value[SCORE_CONFIDENCE] - (1 - 1.7 / 6)) < 1e-12);
	ck_assert_int_eq((int)cJSON_GetObjectItem(counts, "k")->valuedouble, 2);
	ck_assert_int_eq((int)cJSON_GetObjectItem(counts, "cases")->valuedouble, 3);
	ck_assert_int_eq(cJSON_GetArraySize(r.compliance_failures), 1);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(r.compliance_failures, 0),
					     "check")->valuestring, "opt_out_honoured");
	score_compute(&in, &out);
	ck_assert(!out.ready);
	ck_assert(!out.failing[SCORE_CONFIDENCE] && out.failing[SCORE_ACCURACY]);
	cJSON_Delete(counts);
	score_runs_free(&r);
}
END_TEST

START_TEST(bad_runs_are_refused_with_the_field)
{
	struct score_runs r;
	struct json_loc loc = { "runs.jsonl", 4 };
	cJSON *rec = cJSON_Parse("{\"case\":\"c1\",\"passed\":\"yes\"}");

	unit_capture_diag();
	score_runs_init(&r);
	ck_assert_int_eq(score_runs_add(&r, rec, &loc), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(),
				     "runs.jsonl:4: field 'passed' must be true or false"));
	cJSON_Delete(rec);
	rec = cJSON_Parse("{\"case\":\"c1\",\"passed\":true,\"confidence\":1.5}");
	ck_assert_int_eq(score_runs_add(&r, rec, &loc), BRAIN_DATA);
	cJSON_Delete(rec);
	score_runs_free(&r);
}
END_TEST

/* The Wilson reference of x in n at 0.95 (tests/data/wilson-reference.jsonl,
 * statsmodels), into low and high. */
static void wilson_reference(double x, double n, double *low, double *high)
{
	FILE *fp = fopen("tests/data/wilson-reference.jsonl", "r");
	char *text = NULL;
	size_t cap = 0;
	int found = 0;

	ck_assert_ptr_nonnull(fp);
	while (!found && getline(&text, &cap, fp) > 0) {
		cJSON *v = cJSON_Parse(text);

		if (cJSON_GetObjectItem(v, "x")->valuedouble == x &&
		    cJSON_GetObjectItem(v, "n")->valuedouble == n &&
		    cJSON_GetObjectItem(v, "level")->valuedouble == 0.95) {
			*low = cJSON_GetObjectItem(v, "low")->valuedouble;
			*high = cJSON_GetObjectItem(v, "high")->valuedouble;
			found = 1;
		}
		cJSON_Delete(v);
	}
	free(text);
	fclose(fp);
	ck_assert_msg(found, "no reference for %g of %g", x, n);
}

START_TEST(pass_rates_carry_wilson_intervals)
{
	struct score_runs r;
	struct score_input in;
	struct score_intervals iv;
	struct json_loc loc = { "runs.jsonl", 1 };
	double low, high, range_low, range_high;
	char text[128];
	cJSON *counts = cJSON_CreateObject();

	score_runs_init(&r);
	score_input_default(&in);
	/* Ten cases of one run, seven pass; three perturbed runs, two pass. */
	for (int i = 0; i < 13; i++) {
		cJSON *rec;

		snprintf(text, sizeof(text), "{\"case\":\"c%d\",\"passed\":%s,\"perturbed\":%s}",
			 i, (i < 10 ? i < 7 : i < 12) ? "true" : "false", i < 10 ? "false" : "true");
		rec = cJSON_Parse(text);
		ck_assert_int_eq(score_runs_add(&r, rec, &loc), BRAIN_OK);
		cJSON_Delete(rec);
	}
	score_runs_finish(&r, &in, counts);
	score_runs_intervals(&r, SCORE_LEVEL, &iv);
	ck_assert(iv.has[SCORE_ACCURACY] && iv.has[SCORE_CONSISTENCY] && iv.has[SCORE_ROBUSTNESS]);
	ck_assert(!iv.has[SCORE_CONFIDENCE]);
	wilson_reference(7, 10, &low, &high);
	ck_assert(fabs(iv.low[SCORE_ACCURACY] - low) < 1e-9 &&
		  fabs(iv.high[SCORE_ACCURACY] - high) < 1e-9);
	ck_assert(fabs(iv.low[SCORE_CONSISTENCY] - low) < 1e-9);
	ck_assert_int_eq(score_readiness_range(&in, &iv, &range_low, &range_high), 0);
	wilson_reference(2, 3, &low, &high);
	ck_assert(fabs(iv.low[SCORE_ROBUSTNESS] - low) < 1e-9 &&
		  fabs(iv.high[SCORE_ROBUSTNESS] - high) < 1e-9);
	/* Equal weights over the three known components. */
	ck_assert(fabs(range_low - (2 * iv.low[SCORE_ACCURACY] + low) / 3) < 1e-12);
	ck_assert(fabs(range_high - (2 * iv.high[SCORE_ACCURACY] + high) / 3) < 1e-12);
	cJSON_Delete(counts);
	score_runs_free(&r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("score");
	TCase *tc = tcase_create("score");

	tcase_add_test(tc, seed_clones_are_ready);
	tcase_add_test(tc, floor_vetoes_a_high_average);
	tcase_add_test(tc, weights_and_threshold);
	tcase_add_test(tc, missing_component_is_not_ready);
	tcase_add_test(tc, verdict_is_threshold_and_floor);
	tcase_add_test(tc, compute_applies_the_verdict);
	tcase_add_test(tc, components_from_runs);
	tcase_add_test(tc, bad_runs_are_refused_with_the_field);
	tcase_add_test(tc, pass_rates_carry_wilson_intervals);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
