/* Unit tests of compare and of the statistics it rests on: the exact
 * McNemar p, Newcombe's paired interval and the Wilson interval against
 * tests/data/mcnemar-reference.jsonl and wilson-reference.jsonl (scipy and
 * statsmodels) to 1e-9; pairing by case and run; the change of each case;
 * a fixture whose average rises while two cases regress. */
#include "unit.h"

#include <math.h>

#include "pure/compare.h"
#include "pure/stats.h"

/* Run check on every vector of path whose kind is kind; how many. */
static int each_vector(const char *path, const char *kind, void (*check)(const cJSON *v, int n))
{
	FILE *fp = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0;
	int cases = 0;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	while (getline(&text, &cap, fp) > 0) {
		cJSON *v = cJSON_Parse(text);

		ck_assert_ptr_nonnull(v);
		if (!strcmp(cJSON_GetObjectItemCaseSensitive(v, "kind")->valuestring, kind))
			check(v, cases++);
		cJSON_Delete(v);
	}
	free(text);
	fclose(fp);
	return cases;
}

static void mcnemar_vector(const cJSON *v, int n)
{
	double p = -1;

	ck_assert_int_eq(stats_mcnemar_exact(unit_number(v, "b"), unit_number(v, "c"), &p), 0);
	unit_near(v, "p", p, n);
}

START_TEST(mcnemar_matches_scipy)
{
	ck_assert_int_ge(each_vector("tests/data/mcnemar-reference.jsonl", "mcnemar",
				     mcnemar_vector), 16);
}
END_TEST

static void newcombe_vector(const cJSON *v, int n)
{
	double low, high;

	ck_assert_int_eq(stats_newcombe_paired(unit_number(v, "a"), unit_number(v, "b"), unit_number(v, "c"), unit_number(v, "d"),
					       unit_number(v, "level"), &low, &high), 0);
	unit_near(v, "low", low, n);
	unit_near(v, "high", high, n);
}

START_TEST(newcombe_matches_the_reference)
{
	double low, high;

	ck_assert_int_ge(each_vector("tests/data/mcnemar-reference.jsonl", "newcombe",
				     newcombe_vector), 8);
	/* Newcombe's (1998) worked example 36, 12, 2, 0: method 10 gives
	 * 0.0569 to 0.3404 for p1 - p2, so -0.3404 to -0.0569 here. */
	stats_newcombe_paired(36, 12, 2, 0, 0.95, &low, &high);
	ck_assert(fabs(low + 0.3404) < 5e-5 && fabs(high + 0.0569) < 5e-5);
	ck_assert_int_eq(stats_newcombe_paired(0, 0, 0, 0, 0.95, &low, &high), -1);
}
END_TEST

static void wilson_vector(const cJSON *v, int n)
{
	double low, high;

	ck_assert_int_eq(stats_wilson(unit_number(v, "x"), unit_number(v, "n"), unit_number(v, "level"), &low, &high), 0);
	unit_near(v, "low", low, n);
	unit_near(v, "high", high, n);
}

START_TEST(wilson_matches_statsmodels)
{
	ck_assert_int_ge(each_vector("tests/data/wilson-reference.jsonl", "wilson",
				     wilson_vector), 14);
}
END_TEST

/* Add a run to side s: run < 0 leaves "run" out. */
static enum brain_status add(struct compare *c, enum compare_side s, const char *name, int run,
			     int passed, long line)
{
	struct json_loc loc = { s == COMPARE_BASELINE ? "base.jsonl" : "cand.jsonl", line };
	cJSON *rec = cJSON_CreateObject();
	enum brain_status status;

	cJSON_AddStringToObject(rec, "case", name);
	if (run >= 0)
		cJSON_AddNumberToObject(rec, "run", run);
	cJSON_AddBoolToObject(rec, "passed", passed);
	status = compare_add(c, s, rec, &loc);
	cJSON_Delete(rec);
	return status;
}

/* The fixture of tests/data/compare-*.jsonl: c01, c02 fall from 10/10 to
 * 6/10, c03..c08 rise from 5/10 to 9/10, c09, c10 stay at 10/10. */
static void fixture(struct compare *c)
{
	char name[8];

	compare_init(c);
	for (int i = 1; i <= 10; i++) {
		snprintf(name, sizeof(name), "c%02d", i);
		for (int r = 1; r <= 10; r++) {
			int b = i <= 2 || i > 8 || r <= 5, k = i <= 2 ? r <= 6 : i <= 8 ? r <= 9 : 1;

			ck_assert_int_eq(add(c, COMPARE_BASELINE, name, r, b, r), BRAIN_OK);
			ck_assert_int_eq(add(c, COMPARE_CANDIDATE, name, r, k, r), BRAIN_OK);
		}
	}
}

START_TEST(average_rises_but_two_cases_regress)
{
	struct compare c;
	struct compare_options o;
	cJSON *sum;
	char *text;

	fixture(&c);
	compare_options_default(&o);
	ck_assert_int_eq(compare_finish(&c, &o), BRAIN_OK);
	ck_assert(c.summary.pairs == 100 && c.summary.only_baseline == 8 &&
		  c.summary.only_candidate == 24);
	ck_assert(fabs(c.summary.difference - 0.16) < 1e-12);
	ck_assert(c.summary.difference_low > 0);
	ck_assert(!c.summary.significantly_worse);
	ck_assert_uint_eq(c.summary.regressed, 2);
	ck_assert_uint_eq(c.summary.improved, 6);
	ck_assert(c.summary.regression);
	ck_assert_uint_eq(c.summary.under_min_case_pass, 0);
	sum = compare_summary_json(&c);
	text = cJSON_PrintUnformatted(sum);
	ck_assert_ptr_nonnull(strstr(text, "\"regressed\":[\"c01\",\"c02\"]"));
	free(text);
	cJSON_Delete(sum);
	compare_free(&c);
	fixture(&c);
	o.min_case_pass = 0.8;
	o.case_margin = 0.5;   /* a drop of 0.4 is within this margin */
	ck_assert_int_eq(compare_finish(&c, &o), BRAIN_OK);
	ck_assert_uint_eq(c.summary.regressed, 0);
	ck_assert(!c.summary.regression);
	ck_assert_uint_eq(c.summary.under_min_case_pass, 2);
	ck_assert(c.cases[0].under_min_case_pass && c.cases[1].under_min_case_pass &&
		  !c.cases[2].under_min_case_pass);
	compare_free(&c);
}
END_TEST

START_TEST(significantly_worse_candidate)
{
	struct compare c;
	struct compare_options o;

	compare_init(&c);
	for (int r = 0; r < 20; r++) {
		add(&c, COMPARE_BASELINE, "a", r, 1, r + 1);
		add(&c, COMPARE_CANDIDATE, "a", r, r < 12, r + 1);
		add(&c, COMPARE_BASELINE, "b", r, 1, r + 21);
		add(&c, COMPARE_CANDIDATE, "b", r, 1, r + 21);
	}
	compare_options_default(&o);
	o.case_margin = 1;     /* no case can regress: only the test decides */
	ck_assert_int_eq(compare_finish(&c, &o), BRAIN_OK);
	ck_assert(c.summary.only_baseline == 8 && c.summary.only_candidate == 0);
	ck_assert(fabs(c.summary.mcnemar_p - 2 * pow(0.5, 8)) < 1e-12);
	ck_assert(c.summary.significantly_worse && c.summary.regression);
	ck_assert(c.summary.difference_high < 0);
	compare_free(&c);
}
END_TEST

START_TEST(runs_pair_by_position_without_an_index)
{
	struct compare c;
	struct compare_options o;

	compare_init(&c);
	/* Baseline in one order, candidate in another, no "run": the i-th run
	 * of a case pairs with the i-th. */
	add(&c, COMPARE_BASELINE, "x", -1, 1, 1);
	add(&c, COMPARE_BASELINE, "y", -1, 0, 2);
	add(&c, COMPARE_BASELINE, "x", -1, 0, 3);
	add(&c, COMPARE_CANDIDATE, "y", -1, 1, 1);
	add(&c, COMPARE_CANDIDATE, "x", -1, 1, 2);
	add(&c, COMPARE_CANDIDATE, "x", -1, 1, 3);
	add(&c, COMPARE_CANDIDATE, "x", -1, 0, 4);
	add(&c, COMPARE_CANDIDATE, "z", -1, 1, 5);
	compare_options_default(&o);
	ck_assert_int_eq(compare_finish(&c, &o), BRAIN_OK);
	ck_assert(c.summary.pairs == 3 && c.summary.unpaired_candidate == 2);
	ck_assert(c.summary.both_passed == 1 && c.summary.only_candidate == 2);
	ck_assert_uint_eq(c.ncases, 3);
	ck_assert_str_eq(c.cases[0].name, "x");
	ck_assert_int_eq(c.cases[0].change, COMPARE_IMPROVED);   /* 1/2 to 2/3 */
	ck_assert_int_eq(c.cases[2].change, COMPARE_NEW);
	compare_free(&c);
}
END_TEST

START_TEST(margin_and_missing_cases)
{
	struct compare c;
	struct compare_options o;

	compare_init(&c);
	for (int r = 0; r < 10; r++) {
		add(&c, COMPARE_BASELINE, "edge", r, 1, r + 1);
		add(&c, COMPARE_CANDIDATE, "edge", r, r != 3, r + 1);   /* 9/10: exactly 0.1 */
		add(&c, COMPARE_BASELINE, "gone", r, 1, r + 11);
	}
	compare_options_default(&o);
	ck_assert_int_eq(compare_finish(&c, &o), BRAIN_OK);
	ck_assert_int_eq(c.cases[0].change, COMPARE_SAME);
	ck_assert_int_eq(c.cases[1].change, COMPARE_MISSING);
	ck_assert(c.summary.regression && c.summary.missing == 1 && c.summary.regressed == 0);
	ck_assert(c.summary.unpaired_baseline == 10);
	compare_free(&c);
}
END_TEST

START_TEST(bad_runs_are_refused_with_file_and_line)
{
	struct compare c;
	struct compare_options o;
	struct json_loc loc = { "cand.jsonl", 7 };
	cJSON *rec = cJSON_Parse("{\"case\":\"c1\",\"passed\":1}");

	unit_capture_diag();
	compare_init(&c);
	ck_assert_int_eq(compare_add(&c, COMPARE_CANDIDATE, rec, &loc), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(),
				     "cand.jsonl:7: field 'passed' must be true or false"));
	cJSON_Delete(rec);
	add(&c, COMPARE_BASELINE, "c1", 2, 1, 1);
	add(&c, COMPARE_BASELINE, "c1", 2, 0, 5);
	add(&c, COMPARE_CANDIDATE, "c1", 2, 0, 1);
	compare_options_default(&o);
	ck_assert_int_eq(compare_finish(&c, &o), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "base.jsonl:5: case 'c1' run 2 is given twice"));
	compare_free(&c);
	compare_init(&c);
	add(&c, COMPARE_BASELINE, "c1", 1, 1, 1);
	add(&c, COMPARE_CANDIDATE, "c2", 1, 1, 1);
	ck_assert_int_eq(compare_finish(&c, &o), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "no run of the candidate pairs"));
	compare_free(&c);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("compare");
	TCase *tc = tcase_create("compare");

	tcase_add_test(tc, mcnemar_matches_scipy);
	tcase_add_test(tc, newcombe_matches_the_reference);
	tcase_add_test(tc, wilson_matches_statsmodels);
	tcase_add_test(tc, average_rises_but_two_cases_regress);
	tcase_add_test(tc, significantly_worse_candidate);
	tcase_add_test(tc, runs_pair_by_position_without_an_index);
	tcase_add_test(tc, margin_and_missing_cases);
	tcase_add_test(tc, bad_runs_are_refused_with_file_and_line);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
