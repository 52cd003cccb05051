/* Unit tests of canary_analysis: the analysis policy comes from the
 * settings and a file; outcome lines are counted per side, and those
 * before the window's start are read but not counted; the decision and
 * the line that reports it; unit ids one at a time. */
#include "unit.h"
#include "unit_state.h"

#include "core/canary_analysis.h"
#include "core/state.h"

#define NOW "2026-12-01T00:00:00Z"

START_TEST(analysis_policy_from_settings_and_file)
{
	struct rollout_policy p;
	struct state st;
	char path[4400];

	unit_open_state(&st, NOW);
	/* The defaults name no metric: no condition. */
	ck_assert_int_eq(canary_analysis_policy(st.dirfd, NULL, &p), BRAIN_OK);
	ck_assert(p.n == 0 && p.confidence == 0.95 && p.failure_limit == 1);
	unit_write_file(unit_under("config.json"), "{\"model\":{\"analysis_metric\":\"booked\","
			"\"analysis_comparison\":\"ratio\",\"analysis_threshold\":0.1,"
			"\"analysis_min_samples\":30,\"analysis_failure_limit\":2}}");
	ck_assert_int_eq(canary_analysis_policy(st.dirfd, NULL, &p), BRAIN_OK);
	ck_assert(p.n == 1 && p.failure_limit == 2);
	ck_assert_str_eq(p.condition[0].metric, "booked");
	ck_assert_int_eq(p.condition[0].comparison, ROLLOUT_RATIO);
	ck_assert(p.condition[0].threshold == 0.1 && p.condition[0].min_samples == 30);
	/* A file's conditions replace the setting's, taking its defaults. */
	snprintf(path, sizeof(path), "%s/policy.json", unit_dir_path);
	unit_write_file(path, "{\n  \"confidence\": 0.9,\n  \"conditions\": [{\"metric\": \"conversion\"}]\n}\n");
	ck_assert_int_eq(canary_analysis_policy(st.dirfd, path, &p), BRAIN_OK);
	ck_assert(p.n == 1 && p.failure_limit == 2 && p.confidence == 0.9);
	ck_assert_str_eq(p.condition[0].metric, "conversion");
	ck_assert(p.condition[0].comparison == ROLLOUT_RATIO && p.condition[0].min_samples == 30);
	unit_write_file(path, "{\"confidence\": 0.9,}");
	ck_assert_int_eq(canary_analysis_policy(st.dirfd, path, &p), BRAIN_DATA);
	snprintf(path, sizeof(path), "%s/none.json", unit_dir_path);
	unit_capture_diag();
	ck_assert_int_eq(canary_analysis_policy(st.dirfd, path, &p), BRAIN_USAGE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "cannot open analysis file"));
	unit_write_file(unit_under("config.json"), "{\"model\":{\"analysis_comparison\":\"sum\"}}");
	ck_assert_int_eq(canary_analysis_policy(st.dirfd, NULL, &p), BRAIN_STATE);
	state_close(&st);
}
END_TEST

/* The sides of a test: "base" serves, "cand" is the canary. */
static struct rollout_counts *test_side(void *arg, struct rollout_counts *serving,
					struct rollout_counts *canary, const char *version,
					const struct json_loc *loc, enum brain_status *status)
{
	(void)arg;
	(void)loc;
	*status = BRAIN_OK;
	if (!strcmp(version, "base"))
		return serving;
	return strcmp(version, "cand") ? NULL : canary;
}

/* An analysis at step 1 of 10,25,50,100 on metric conversion. */
static void setup_analysis(struct canary_analysis *a)
{
	memset(a, 0, sizeof(*a));
	a->p.n = 1;
	a->p.confidence = 0.95;
	a->p.failure_limit = 1;
	snprintf(a->p.condition[0].metric, sizeof(a->p.condition[0].metric), "conversion");
	a->p.condition[0].threshold = 0.05;
	a->p.condition[0].min_samples = 100;
	snprintf(a->serving, sizeof(a->serving), "base");
	snprintf(a->canary, sizeof(a->canary), "cand");
	a->steps[0] = 10, a->steps[1] = 25, a->steps[2] = 50, a->steps[3] = 100;
	a->nsteps = 4;
	a->weight = 0.1;
	a->o.side = test_side;
}

static void write_outcomes(const char *path)
{
	unit_write_file(path,
		"{\"version\":\"base\",\"metric\":\"conversion\",\"successes\":100,\"trials\":1000,\"ts\":\"2026-11-30T10:00:00Z\"}\n"
		"{\"version\":\"cand\",\"metric\":\"conversion\",\"successes\":110,\"trials\":1000,\"ts\":\"2026-11-30T10:00:00Z\"}\n"
		"{\"version\":\"base\",\"metric\":\"conversion\",\"successes\":5,\"trials\":50,\"ts\":\"2026-12-01T10:00:00Z\"}\n"
		"{\"version\":\"cand\",\"metric\":\"conversion\",\"successes\":6,\"trials\":50}\n"
		"{\"version\":\"other\",\"metric\":\"conversion\",\"successes\":6,\"trials\":50}\n");
}

START_TEST(outcomes_without_a_window_all_count_and_advance)
{
	struct canary_analysis a;
	char path[4400];
	cJSON *line;

	snprintf(path, sizeof(path), "%s/outcomes.jsonl", unit_dir_path);
	write_outcomes(path);
	setup_analysis(&a);
	ck_assert_int_eq(canary_analysis_window(&a, NULL, ""), BRAIN_OK);
	ck_assert_int_eq(canary_analysis_run(&a, path), BRAIN_OK);
	ck_assert(a.o.serving[0].trials == 1050 && a.o.canary[0].trials == 1050);
	ck_assert(a.o.read == 5 && a.o.counted == 4 && a.o.before == 0);
	ck_assert_int_eq(a.d, ROLLOUT_ADVANCE);
	ck_assert(a.next_step == 1 && a.next_weight == 0.25 && a.failures == 0);
	line = canary_analysis_line(&a, "clone", "cand", "base");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(line, "action")->valuestring, "ADVANCED");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(line, "since")));
	cJSON_Delete(line);
}
END_TEST

START_TEST(outcomes_before_the_window_are_read_but_not_counted)
{
	struct canary_analysis a;
	char path[4400];

	snprintf(path, sizeof(path), "%s/outcomes.jsonl", unit_dir_path);
	write_outcomes(path);
	setup_analysis(&a);
	/* The step began on Dec 1: the Nov 30 lines are an earlier step's. */
	ck_assert_int_eq(canary_analysis_window(&a, NULL, "2026-12-01T00:00:00Z"), BRAIN_OK);
	ck_assert_int_eq(canary_analysis_run(&a, path), BRAIN_OK);
	ck_assert(a.o.serving[0].trials == 50 && a.o.canary[0].trials == 50);
	ck_assert(a.o.read == 5 && a.o.counted == 2 && a.o.before == 2);
	ck_assert_int_eq(a.d, ROLLOUT_HOLD);
	ck_assert_str_eq(a.since, "2026-12-01T00:00:00Z");
	/* --since replaces the step's start. */
	setup_analysis(&a);
	ck_assert_int_eq(canary_analysis_window(&a, "2026-11-30", "2026-12-01T00:00:00Z"), BRAIN_OK);
	ck_assert_int_eq(canary_analysis_run(&a, path), BRAIN_OK);
	ck_assert(a.o.counted == 4 && a.o.before == 0);
	ck_assert_int_eq(a.d, ROLLOUT_ADVANCE);
	unit_capture_diag();
	ck_assert_int_eq(canary_analysis_window(&a, "yesterday", NULL), BRAIN_USAGE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "'--since' needs an RFC 3339 time"));
}
END_TEST

START_TEST(a_bad_ts_names_the_line)
{
	struct canary_analysis a;
	char path[4400];

	snprintf(path, sizeof(path), "%s/bad.jsonl", unit_dir_path);
	unit_write_file(path, "{\"version\":\"base\",\"metric\":\"conversion\",\"value\":1}\n"
			"{\"version\":\"base\",\"metric\":\"conversion\",\"value\":1,\"ts\":\"noon\"}\n");
	setup_analysis(&a);
	unit_capture_diag();
	ck_assert_int_eq(canary_analysis_run(&a, path), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "bad.jsonl:2: field 'ts' must be an RFC 3339 "
				     "time, not 'noon'"));
}
END_TEST

static enum brain_status count_unit(void *arg, const char *unit)
{
	(void)unit;
	(*(int *)arg)++;
	return BRAIN_OK;
}

START_TEST(a_unit_id_is_checked)
{
	int n = 0;

	ck_assert(canary_unit_valid("lead-1", 6));
	ck_assert(!canary_unit_valid("", 0));
	ck_assert(!canary_unit_valid("a\tb", 3));
	ck_assert_int_eq(canary_each_unit("lead-1", count_unit, &n), BRAIN_OK);
	ck_assert_int_eq(n, 1);
	unit_capture_diag();
	ck_assert_int_eq(canary_each_unit("a\x01", count_unit, &n), BRAIN_DATA);
	ck_assert_int_eq(n, 1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("canary_analysis");
	TCase *t = tcase_create("analysis");

	tcase_add_test(t, analysis_policy_from_settings_and_file);
	tcase_add_test(t, outcomes_without_a_window_all_count_and_advance);
	tcase_add_test(t, outcomes_before_the_window_are_read_but_not_counted);
	tcase_add_test(t, a_bad_ts_names_the_line);
	tcase_add_test(t, a_unit_id_is_checked);
	suite_add_tcase(s, t);
	return s;
}

UNIT_MAIN(suite)
