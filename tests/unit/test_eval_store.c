/* Unit tests of eval_store: the outcome log eval/outcomes.jsonl of a state
 * directory.  A missing log is an empty series; a written one gives each
 * metric's points in time order (equal times as recorded), the window
 * keeping the newest N; a
 * corrupt line is BRAIN_STATE; the metrics are listed sorted with their
 * counts; options come from config.json or the defaults; and the
 * regression state of a metric is the configured detector's. */
#include "unit.h"

#include <math.h>

#include "core/eval_store.h"
#include "core/state.h"

static struct state st;

static const char *under(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/state/%s", unit_dir_path, name);
	return path;
}

/* A fresh state directory, opened for writing (it is created). */
static void open_state(void)
{
	unit_tmpdir();
	setenv("BRAIN_NOW", "2026-12-01T00:00:00Z", 1);
	ck_assert_int_eq(state_open(&st, under(""), STATE_WRITE), BRAIN_OK);
}

static void write_log(const char *text)
{
	if (access(under("eval"), F_OK) != 0)
		ck_assert_int_eq(mkdir(under("eval"), 0700), 0);
	unit_write_file(under("eval/" EVAL_LOG), text);
}

#define LOG                                                                                    \
	"{\"ts\":\"2026-11-01T00:00:00Z\",\"metric\":\"outcome\",\"score\":0.5,\"label\":\"first\"}\n" \
	"{\"ts\":\"2026-11-02T00:00:00Z\",\"metric\":\"clone:clone_alpha\",\"score\":9}\n"         \
	"{\"ts\":\"2026-11-03T00:00:00Z\",\"metric\":\"outcome\",\"score\":0.6}\n"                 \
	"\n"                                                                                   \
	"{\"ts\":\"2026-11-04T12:00:00+02:00\",\"metric\":\"outcome\",\"score\":0.7,"            \
	"\"label\":\"A/B winner\",\"extra\":1}\n"                                              \
	"{\"ts\":\"2026-11-05T00:00:00Z\",\"metric\":\"clone:clone_alpha\",\"score\":-3.5}\n"

START_TEST(missing_log_is_an_empty_series)
{
	struct eval_series s;
	char **names;
	size_t *counts, n = 99;

	open_state();
	ck_assert_int_eq(eval_series_load(st.dirfd, "outcome", 0, &s), BRAIN_OK);
	ck_assert_str_eq(s.metric, "outcome");
	ck_assert_uint_eq(s.n, 0);
	eval_series_free(&s);
	ck_assert_int_eq(eval_metrics(st.dirfd, &names, &counts, &n), BRAIN_OK);
	ck_assert_uint_eq(n, 0);
	free(names);
	free(counts);
	/* eval/ there, the log not. */
	ck_assert_int_eq(mkdir(under("eval"), 0700), 0);
	ck_assert_int_eq(eval_series_load(st.dirfd, "outcome", 5, &s), BRAIN_OK);
	ck_assert_uint_eq(s.n, 0);
	eval_series_free(&s);
	/* No state at all (-1). */
	ck_assert_int_eq(eval_series_load(-1, "outcome", 0, &s), BRAIN_OK);
	ck_assert_uint_eq(s.n, 0);
	eval_series_free(&s);
	state_close(&st);
}
END_TEST

START_TEST(series_is_the_metrics_points_in_order)
{
	struct eval_series s;

	open_state();
	write_log(LOG);
	ck_assert_int_eq(eval_series_load(st.dirfd, "outcome", 0, &s), BRAIN_OK);
	ck_assert_uint_eq(s.n, 3);
	ck_assert(s.score[0] == 0.5 && s.score[1] == 0.6 && s.score[2] == 0.7);
	ck_assert_int_eq((long)s.ts[0], 1793491200L);
	ck_assert_int_eq((long)s.ts[1], 1793664000L);
	ck_assert_int_eq((long)s.ts[2], 1793786400L); /* +02:00 taken into account */
	ck_assert_str_eq(s.label[0], "first");
	ck_assert_ptr_null(s.label[1]);
	ck_assert_str_eq(s.label[2], "A/B winner");
	eval_series_free(&s);
	ck_assert_int_eq(eval_series_load(st.dirfd, "clone:clone_alpha", 0, &s), BRAIN_OK);
	ck_assert_uint_eq(s.n, 2);
	ck_assert(s.score[0] == 9 && s.score[1] == -3.5);
	eval_series_free(&s);
	/* A metric that is a prefix of another is its own series. */
	ck_assert_int_eq(eval_series_load(st.dirfd, "clone", 0, &s), BRAIN_OK);
	ck_assert_uint_eq(s.n, 0);
	eval_series_free(&s);
	state_close(&st);
}
END_TEST

START_TEST(window_keeps_the_last_points)
{
	struct eval_series s;

	open_state();
	write_log(LOG);
	ck_assert_int_eq(eval_series_load(st.dirfd, "outcome", 2, &s), BRAIN_OK);
	ck_assert_uint_eq(s.n, 2);
	ck_assert(s.score[0] == 0.6 && s.score[1] == 0.7);
	ck_assert_int_eq((long)s.ts[0], 1793664000L);
	ck_assert_ptr_null(s.label[0]);
	ck_assert_str_eq(s.label[1], "A/B winner");
	eval_series_free(&s);
	ck_assert_int_eq(eval_series_load(st.dirfd, "outcome", 1, &s), BRAIN_OK);
	ck_assert_uint_eq(s.n, 1);
	ck_assert(s.score[0] == 0.7);
	eval_series_free(&s);
	/* A window at or past the length keeps everything. */
	for (size_t w = 3; w <= 4; w++) {
		ck_assert_int_eq(eval_series_load(st.dirfd, "outcome", w, &s), BRAIN_OK);
		ck_assert_uint_eq(s.n, 3);
		ck_assert(s.score[0] == 0.5);
		eval_series_free(&s);
	}
	state_close(&st);
}
END_TEST

START_TEST(backfilled_log_is_read_in_time_order)
{
	/* Five outcomes recorded a day back each time (--at), two more at one
	 * instant: the series is in time order, equal times as recorded, and
	 * the window keeps the newest by time, not the last written. */
	struct eval_series s;
	struct eval_options o;
	struct eval_trend t;

	open_state();
	write_log("{\"ts\":\"2026-11-05T00:00:00Z\",\"metric\":\"m\",\"score\":0.1}\n"
		  "{\"ts\":\"2026-11-04T00:00:00Z\",\"metric\":\"m\",\"score\":0.2}\n"
		  "{\"ts\":\"2026-11-03T00:00:00Z\",\"metric\":\"m\",\"score\":0.3}\n"
		  "{\"ts\":\"2026-11-02T00:00:00Z\",\"metric\":\"m\",\"score\":0.4}\n"
		  "{\"ts\":\"2026-11-01T00:00:00Z\",\"metric\":\"m\",\"score\":0.5}\n"
		  "{\"ts\":\"2026-11-09T00:00:00Z\",\"metric\":\"tie\",\"score\":2,\"label\":\"b\"}\n"
		  "{\"ts\":\"2026-11-08T00:00:00Z\",\"metric\":\"tie\",\"score\":1}\n"
		  "{\"ts\":\"2026-11-09T00:00:00Z\",\"metric\":\"tie\",\"score\":3,\"label\":\"c\"}\n");
	ck_assert_int_eq(eval_series_load(st.dirfd, "m", 0, &s), BRAIN_OK);
	ck_assert_uint_eq(s.n, 5);
	for (size_t i = 0; i < 5; i++)
		ck_assert(fabs(s.score[i] - (0.5 - 0.1 * (double)i)) < 1e-12);
	ck_assert_int_lt((long)s.ts[0], (long)s.ts[4]);
	ck_assert_int_eq(eval_options_load(st.dirfd, &o), BRAIN_OK);
	ck_assert_int_eq(eval_trend(&s, &o, &t, NULL), 0);
	ck_assert_str_eq(t.trend, "declining");
	ck_assert(t.mk_s == -10 && t.significant && t.sen_slope < 0 && t.improvement_rate < 0);
	eval_series_free(&s);
	/* The newest two by time are 0.2 and 0.1, though 0.5 was written last. */
	ck_assert_int_eq(eval_series_load(st.dirfd, "m", 2, &s), BRAIN_OK);
	ck_assert(s.n == 2 && s.score[0] == 0.2 && s.score[1] == 0.1);
	eval_series_free(&s);
	ck_assert_int_eq(eval_series_load(st.dirfd, "tie", 0, &s), BRAIN_OK);
	ck_assert(s.n == 3 && s.score[0] == 1 && s.score[1] == 2 && s.score[2] == 3);
	ck_assert_ptr_null(s.label[0]);
	ck_assert_str_eq(s.label[1], "b");
	ck_assert_str_eq(s.label[2], "c");
	eval_series_free(&s);
	state_close(&st);
}
END_TEST

START_TEST(many_points_grow_the_series)
{
	struct eval_series s;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	for (int i = 0; i < 500; i++)
		fprintf(fp, "{\"ts\":\"2026-11-01T00:%02d:%02dZ\",\"metric\":\"m\",\"score\":%d}\n",
			i / 60, i % 60, i);
	fclose(fp);
	open_state();
	write_log(text);
	free(text);
	ck_assert_int_eq(eval_series_load(st.dirfd, "m", 0, &s), BRAIN_OK);
	ck_assert_uint_eq(s.n, 500);
	for (int i = 0; i < 500; i++)
		ck_assert(s.score[i] == i);
	eval_series_free(&s);
	ck_assert_int_eq(eval_series_load(st.dirfd, "m", 100, &s), BRAIN_OK);
	ck_assert_uint_eq(s.n, 100);
	ck_assert(s.score[0] == 400 && s.score[99] == 499);
	eval_series_free(&s);
	state_close(&st);
}
END_TEST

START_TEST(corrupt_line_is_state_error)
{
	static const char *bad[] = {
		"{\"ts\":\"2026-11-02T00:00:00Z\",\"metric\":\"outcome\",\"score\":\"high\"}\n",
		"{\"ts\":\"2026-11-02T00:00:00Z\",\"metric\":\"outcome\"}\n",
		"{\"ts\":\"yesterday\",\"metric\":\"outcome\",\"score\":1}\n",
		"{\"metric\":\"outcome\",\"score\":1}\n",
		"{\"ts\":\"2026-11-02T00:00:00Z\",\"score\":1}\n",
		"{\"ts\":\"2026-11-02T00:00:00Z\",\"metric\":7,\"score\":1}\n",
		"not json at all\n",
		"[1,2]\n",
	};
	char text[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct eval_series s;
		char **names;
		size_t *counts, n;

		open_state();
		snprintf(text, sizeof(text),
			 "{\"ts\":\"2026-11-01T00:00:00Z\",\"metric\":\"outcome\",\"score\":1}\n%s",
			 bad[i]);
		write_log(text);
		unit_capture_diag();
		ck_assert_msg(eval_series_load(st.dirfd, "outcome", 0, &s) == BRAIN_STATE,
			      "case %zu", i);
		ck_assert_msg(strstr(unit_diag_text(), "eval/outcomes.jsonl:2: corrupt outcome"),
			      "case %zu: %s", i, unit_diag_text());
		eval_series_free(&s);
		/* Whatever the metric asked for: the log as a whole is corrupt. */
		ck_assert_int_eq(eval_series_load(st.dirfd, "other", 0, &s), BRAIN_STATE);
		eval_series_free(&s);
		ck_assert_int_eq(eval_metrics(st.dirfd, &names, &counts, &n), BRAIN_STATE);
		for (size_t j = 0; j < n; j++)
			free(names[j]);
		free(names);
		free(counts);
		state_close(&st);
		unit_remove_tmpdir();
	}
}
END_TEST

START_TEST(torn_last_line_is_not_an_outcome)
{
	struct eval_series s;

	/* A last line without its LF was never acknowledged: left out, not
	 * an error (brain-verify reports it). */
	open_state();
	write_log("{\"ts\":\"2026-11-01T00:00:00Z\",\"metric\":\"outcome\",\"score\":1}\n"
		  "{\"ts\":\"2026-11-02T00:00:00Z\",\"metric\":\"outcome\",\"score\":2}");
	ck_assert_int_eq(eval_series_load(st.dirfd, "outcome", 0, &s), BRAIN_OK);
	ck_assert_uint_eq(s.n, 1);
	ck_assert(s.score[0] == 1);
	eval_series_free(&s);
	/* Even when it is only half a record.  (The reader still reports
	 * the half record as invalid JSON on the way: captured here, not
	 * pinned.) */
	unit_capture_diag();
	write_log("{\"ts\":\"2026-11-01T00:00:00Z\",\"metric\":\"outcome\",\"score\":1}\n"
		  "{\"ts\":\"2026-11-02T00:0");
	ck_assert_int_eq(eval_series_load(st.dirfd, "outcome", 0, &s), BRAIN_OK);
	ck_assert_uint_eq(s.n, 1);
	eval_series_free(&s);
	state_close(&st);
}
END_TEST

/* The test the readers apply to each line, for a caller reading it: the
 * corrupt lines above are refused, an outcome is read with its members. */
START_TEST(outcome_read_takes_an_outcome_and_refuses_the_rest)
{
	static const char *const bad[] = {
		"{\"ts\":\"2026-11-02T00:00:00Z\",\"metric\":\"outcome\",\"score\":\"high\"}",
		"{\"ts\":\"2026-11-02T00:00:00Z\",\"metric\":\"outcome\"}",
		"{\"ts\":\"yesterday\",\"metric\":\"outcome\",\"score\":1}",
		"{\"metric\":\"outcome\",\"score\":1}",
		"{\"ts\":\"2026-11-02T00:00:00Z\",\"metric\":7,\"score\":1}",
		"[1,2]",
	};
	struct eval_outcome o;
	cJSON *line = cJSON_Parse("{\"ts\":\"2026-11-02T00:00:00Z\",\"metric\":\"outcome\","
				  "\"score\":0.25,\"label\":\"Q4\"}");

	ck_assert_int_eq(eval_outcome_read(line, &o), 0);
	ck_assert_str_eq(o.metric, "outcome");
	ck_assert(o.score == 0.25);
	ck_assert_int_eq((long)o.ts, 1793577600L);
	ck_assert_str_eq(o.label, "Q4");
	cJSON_Delete(line);
	line = cJSON_Parse("{\"ts\":\"2026-11-02T00:00:00Z\",\"metric\":\"outcome\",\"score\":1}");
	ck_assert_int_eq(eval_outcome_read(line, &o), 0);
	ck_assert_ptr_null(o.label);
	cJSON_Delete(line);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		line = cJSON_Parse(bad[i]);
		ck_assert_msg(eval_outcome_read(line, &o) == -1, "case %zu", i);
		cJSON_Delete(line);
	}
}
END_TEST

START_TEST(metrics_listed_sorted_with_counts)
{
	char **names;
	size_t *counts, n;

	open_state();
	write_log("{\"ts\":\"2026-11-01T00:00:00Z\",\"metric\":\"zeta\",\"score\":1}\n"
		  "{\"ts\":\"2026-11-01T00:00:01Z\",\"metric\":\"outcome\",\"score\":1}\n"
		  "{\"ts\":\"2026-11-01T00:00:02Z\",\"metric\":\"clone:b\",\"score\":1}\n"
		  "{\"ts\":\"2026-11-01T00:00:03Z\",\"metric\":\"outcome\",\"score\":2}\n"
		  "{\"ts\":\"2026-11-01T00:00:04Z\",\"metric\":\"clone:a\",\"score\":1}\n"
		  "{\"ts\":\"2026-11-01T00:00:05Z\",\"metric\":\"outcome\",\"score\":3}\n"
		  "{\"ts\":\"2026-11-01T00:00:06Z\",\"metric\":\"clone:b\",\"score\":1}\n");
	ck_assert_int_eq(eval_metrics(st.dirfd, &names, &counts, &n), BRAIN_OK);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(names[0], "clone:a");
	ck_assert_str_eq(names[1], "clone:b");
	ck_assert_str_eq(names[2], "outcome");
	ck_assert_str_eq(names[3], "zeta");
	ck_assert_uint_eq(counts[0], 1);
	ck_assert_uint_eq(counts[1], 2);
	ck_assert_uint_eq(counts[2], 3);
	ck_assert_uint_eq(counts[3], 1);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(counts);
	state_close(&st);
}
END_TEST

START_TEST(options_default_without_a_state)
{
	struct eval_options o;

	memset(&o, 0xff, sizeof(o));
	ck_assert_int_eq(eval_options_load(-1, &o), BRAIN_OK);
	ck_assert(o.alpha == 0.05);
	ck_assert_int_eq(o.cusum, 0); /* Page-Hinkley */
	ck_assert(isnan(o.baseline));
	ck_assert(o.k == 0 && o.h == 0); /* from the baseline's sd */
	ck_assert(o.delta == 0 && o.lambda == 0); /* from the baseline's sd */
}
END_TEST

START_TEST(options_come_from_config_json)
{
	struct eval_options o;

	open_state();
	unit_write_file(under("config.json"), "{\"eval\":{\"method\":\"cusum\",\"cusum_k\":0.25,"
					      "\"cusum_h\":4,\"alpha\":0.01}}\n");
	ck_assert_int_eq(eval_options_load(st.dirfd, &o), BRAIN_OK);
	ck_assert_int_eq(o.cusum, 1);
	ck_assert(o.k == 0.25 && o.h == 4 && o.alpha == 0.01);
	ck_assert(o.lambda == 0); /* not set: the default, scaled */
	unit_write_file(under("config.json"), "{\"eval\":{\"delta\":0.01,\"lambda\":0.2}}\n");
	ck_assert_int_eq(eval_options_load(st.dirfd, &o), BRAIN_OK);
	ck_assert(o.delta == 0.01 && o.lambda == 0.2);
	/* A bad config is the state's fault. */
	unit_write_file(under("config.json"), "{\"eval\":{\"method\":\"magic\"}}\n");
	unit_capture_diag();
	ck_assert_int_eq(eval_options_load(st.dirfd, &o), BRAIN_STATE);
	state_close(&st);
}
END_TEST

/* n points at 0.9 then m at 0.3, an hour apart, for metric. */
static void drop_log(const char *metric, int n, int m, FILE *fp)
{
	for (int i = 0; i < n + m; i++)
		fprintf(fp, "{\"ts\":\"2026-11-01T%02d:00:00Z\",\"metric\":\"%s\",\"score\":%s}\n", i,
			metric, i < n ? "0.9" : "0.3");
}

START_TEST(regression_state_of_a_dropping_series)
{
	char *text = NULL;
	size_t len = 0, n;
	FILE *fp = open_memstream(&text, &len);
	int regression;
	const char *detector;
	long change;

	drop_log("outcome", 8, 4, fp);
	drop_log("steady", 12, 0, fp);
	fclose(fp);
	open_state();
	write_log(text);
	free(text);
	ck_assert_int_eq(eval_regression_state(st.dirfd, "outcome", &regression, &n, &detector,
					       &change), BRAIN_OK);
	ck_assert_int_eq(regression, 1);
	ck_assert_uint_eq(n, 12);
	ck_assert_str_eq(detector, "page-hinkley");
	ck_assert_int_gt(change, 8); /* at or after the first low point */
	ck_assert_int_le(change, 12);
	ck_assert_int_eq(eval_regression_state(st.dirfd, "steady", &regression, &n, &detector,
					       &change), BRAIN_OK);
	ck_assert_int_eq(regression, 0);
	ck_assert_uint_eq(n, 12);
	ck_assert_int_eq(change, 0);
	/* No points: no evidence either way. */
	ck_assert_int_eq(eval_regression_state(st.dirfd, "absent", &regression, &n, &detector,
					       &change), BRAIN_OK);
	ck_assert_int_eq(regression, 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(detector);
	/* Under CUSUM from config.json, with k and h for this scale: the
	 * baseline is the first half's mean 0.9, each low point adds 0.5, so
	 * h = 0.7 is passed at the second (1-based 10). */
	unit_write_file(under("config.json"), "{\"eval\":{\"method\":\"cusum\",\"cusum_k\":0.1,"
					      "\"cusum_h\":0.7}}\n");
	ck_assert_int_eq(eval_regression_state(st.dirfd, "outcome", &regression, &n, &detector,
					       &change), BRAIN_OK);
	ck_assert_int_eq(regression, 1);
	ck_assert_str_eq(detector, "cusum");
	ck_assert_int_eq(change, 10);
	state_close(&st);
}
END_TEST

/* The failure path frees what it loaded: under LeakSanitizer
 * (make SANITIZE=address check) a leak here fails the test. */
START_TEST(regression_state_of_a_corrupt_log_is_state_error)
{
	int regression = 7;
	size_t n = 7;
	const char *detector = "x";
	long at = 7;

	open_state();
	write_log("{\"ts\":\"2026-11-01T00:00:00Z\",\"metric\":\"outcome\",\"score\":1}\n"
		  "{\"ts\":\"2026-11-02T00:00:00Z\",\"metric\":\"outcome\"}\n");
	unit_capture_diag();
	ck_assert_int_eq(eval_regression_state(st.dirfd, "outcome", &regression, &n, &detector, &at),
			 BRAIN_STATE);
	ck_assert_int_eq(regression, 0);
	ck_assert_uint_eq(n, 0);
	state_close(&st);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("eval_store");
	TCase *tc = tcase_create("eval_store");

	tcase_add_test(tc, missing_log_is_an_empty_series);
	tcase_add_test(tc, series_is_the_metrics_points_in_order);
	tcase_add_test(tc, window_keeps_the_last_points);
	tcase_add_test(tc, backfilled_log_is_read_in_time_order);
	tcase_add_test(tc, many_points_grow_the_series);
	tcase_add_test(tc, corrupt_line_is_state_error);
	tcase_add_test(tc, torn_last_line_is_not_an_outcome);
	tcase_add_test(tc, outcome_read_takes_an_outcome_and_refuses_the_rest);
	tcase_add_test(tc, metrics_listed_sorted_with_counts);
	tcase_add_test(tc, options_default_without_a_state);
	tcase_add_test(tc, options_come_from_config_json);
	tcase_add_test(tc, regression_state_of_a_dropping_series);
	tcase_add_test(tc, regression_state_of_a_corrupt_log_is_state_error);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
