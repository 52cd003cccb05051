/* Unit tests of eval: metric names, the trend summary of an outcome series
 * (Mann-Kendall, Sen's slope over real time, the improvement rate) against
 * hand computations, the regression detectors on a level drop, and the
 * documented output line. */
#include "unit.h"

#include <math.h>

#include <cjson/cJSON.h>

#include "pure/eval.h"
#include "pure/json.h"

#define DAY 86400
#define T0 1796083200 /* 2026-12-01T00:00:00Z */

/* A series over the given days (fractions allowed) and scores; the arrays
 * are borrowed, so the series must not be freed with eval_series_free. */
struct fixture {
	struct eval_series s;
	double score[64];
	time_t ts[64];
};

static void make(struct fixture *f, const double *days, const double *score, size_t n)
{
	ck_assert_uint_le(n, 64);
	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < n; i++) {
		f->score[i] = score[i];
		f->ts[i] = (time_t)(T0 + days[i] * DAY);
	}
	f->s.metric = (char *)"outcome";
	f->s.score = f->score;
	f->s.ts = f->ts;
	f->s.n = f->s.cap = n;
}

/* Daily points. */
static void make_daily(struct fixture *f, const double *score, size_t n)
{
	double days[64] = { 0 };

	for (size_t i = 0; i < n; i++)
		days[i] = (double)i;
	make(f, days, score, n);
}

static struct eval_options cusum(double k, double h)
{
	struct eval_options o = { 0.05, 1, NAN, k, h, 0.005, 0.1 };

	return o;
}

static struct eval_options page_hinkley(void)
{
	struct eval_options o = { 0.05, 0, NAN, 0, 0, 0.005, 0.1 };

	return o;
}

START_TEST(metric_names)
{
	char name[200];

	ck_assert_int_eq(eval_metric_valid("outcome"), 1);
	ck_assert_int_eq(eval_metric_valid("clone:clone_alpha"), 1);
	ck_assert_int_eq(eval_metric_valid("a.b_c-d:9"), 1);
	ck_assert_int_eq(eval_metric_valid("0"), 1);
	ck_assert_int_eq(eval_metric_valid(""), 0);
	ck_assert_int_eq(eval_metric_valid("Outcome"), 0); /* lower case only */
	ck_assert_int_eq(eval_metric_valid("a b"), 0);
	ck_assert_int_eq(eval_metric_valid("a/b"), 0);
	ck_assert_int_eq(eval_metric_valid("caf\xc3\xa9"), 0);
	ck_assert_int_eq(eval_metric_valid("a\n"), 0);
	memset(name, 'a', 128);
	name[128] = '\0';
	ck_assert_int_eq(eval_metric_valid(name), 1);
	name[128] = 'a';
	name[129] = '\0';
	ck_assert_int_eq(eval_metric_valid(name), 0);
}
END_TEST

START_TEST(empty_series_has_no_trend)
{
	struct fixture f;
	struct eval_options o = cusum(0.5, 5);
	struct eval_trend t;

	make_daily(&f, NULL, 0);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, NULL), -1);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_int_eq(t.regression, 0);
}
END_TEST

START_TEST(rising_series_is_a_significant_improvement)
{
	/* Eight rising points at irregular times, on the line 0.5 + 0.05 day:
	 * every pairwise slope is 0.05 per day. */
	double days[8] = { 0, 1, 2, 4, 5, 7, 8, 10 }, y[8], stat[8];
	struct fixture f;
	struct eval_options o = cusum(0, 0);
	struct eval_trend t;

	for (int i = 0; i < 8; i++)
		y[i] = 0.5 + 0.05 * days[i];
	make(&f, days, y, 8);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, stat), 0);
	ck_assert_uint_eq(t.n, 8);
	ck_assert_str_eq(t.trend, "improving");
	ck_assert(t.first == 0.5 && fabs(t.last - 1.0) < 1e-12);
	ck_assert(t.has_improvement_rate);
	ck_assert(fabs(t.improvement_rate - (1.0 - 0.5) / 0.5) < 1e-12);
	ck_assert(t.has_sen_slope && fabs(t.sen_slope - 0.05) < 1e-12);
	/* S = 28 (all 8*7/2 pairs rise), Var(S) = 8*7*21/18, Z = 27/sd. */
	ck_assert(t.has_mk && t.mk_s == 28);
	ck_assert(fabs(t.mk_z - 27 / sqrt(8 * 7 * 21 / 18.0)) < 1e-9);
	ck_assert(t.p_value < 0.001);
	ck_assert_int_eq(t.significant, 1);
	ck_assert_int_eq(t.regression, 0); /* a rise is not a regression */
	ck_assert_int_eq(t.change_index, 0);
	ck_assert_str_eq(t.detector, "cusum");
}
END_TEST

START_TEST(sen_slope_is_the_median_pairwise_slope_per_day)
{
	/* Days 0, 1, 2, 4; scores 10, 12, 13, 17.  Pairwise slopes: 2, 1.5,
	 * 1.75, 1, 5/3, 2; sorted 1, 1.5, 5/3, 1.75, 2, 2; median
	 * (5/3 + 1.75)/2.  The mean of the slopes or least squares would give
	 * something else. */
	double days[4] = { 0, 1, 2, 4 }, y[4] = { 10, 12, 13, 17 };
	struct fixture f;
	struct eval_options o = page_hinkley();
	struct eval_trend t;

	make(&f, days, y, 4);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, NULL), 0);
	ck_assert(t.has_sen_slope);
	ck_assert_msg(fabs(t.sen_slope - (5.0 / 3 + 1.75) / 2) < 1e-12, "sen %.15g", t.sen_slope);
	ck_assert(fabs(t.improvement_rate - 0.7) < 1e-12);
	/* Four rising points: S = 6, but p = 0.089 is not significant at 0.05. */
	ck_assert(t.mk_s == 6);
	ck_assert(t.p_value > 0.05 && t.p_value < 0.1);
	ck_assert_int_eq(t.significant, 0);
	ck_assert_str_eq(t.trend, "improving");
	/* The same points six hours apart: four times as steep per day. */
	double quarter[4] = { 0, 0.25, 0.5, 1 };

	make(&f, quarter, y, 4);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, NULL), 0);
	ck_assert(fabs(t.sen_slope - 4 * (5.0 / 3 + 1.75) / 2) < 1e-9);
}
END_TEST

START_TEST(constant_series_is_flat_without_regression)
{
	double y[10], stat[10];
	struct fixture f;
	struct eval_trend t;
	struct eval_options opts[3] = { cusum(0, 0), cusum(0.5, 5), page_hinkley() };

	for (int i = 0; i < 10; i++)
		y[i] = 0.7;
	make_daily(&f, y, 10);
	for (int j = 0; j < 3; j++) {
		ck_assert_int_eq(eval_trend(&f.s, &opts[j], &t, stat), 0);
		ck_assert_str_eq(t.trend, "flat");
		ck_assert_msg(t.regression == 0, "detector %d fired on a constant series", j);
		ck_assert_int_eq(t.change_index, 0);
		ck_assert(t.has_sen_slope && t.sen_slope == 0);
		ck_assert(t.has_improvement_rate && t.improvement_rate == 0);
		ck_assert_int_eq(t.has_mk, 0); /* no variance */
		ck_assert_int_eq(t.significant, 0);
		ck_assert(t.statistic == 0);
	}
}
END_TEST

START_TEST(cusum_finds_a_level_drop_where_it_happens)
{
	/* Ten points at 10, then five at 6.  The baseline is the mean of the
	 * first half (7 points: 10); with k = 0.5 each low point adds
	 * 9.5 - 6 = 3.5 to C-, which passes h = 5 at the second low point
	 * (1-based 12). */
	double y[15], stat[15];
	struct fixture f;
	struct eval_options o = cusum(0.5, 5);
	struct eval_trend t;

	for (int i = 0; i < 15; i++)
		y[i] = i < 10 ? 10 : 6;
	make_daily(&f, y, 15);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, stat), 0);
	ck_assert_int_eq(t.regression, 1);
	ck_assert_int_eq(t.change_index, 12);
	ck_assert_str_eq(t.detector, "cusum");
	ck_assert(t.threshold == 5);
	ck_assert(fabs(stat[10] - 3.5) < 1e-12 && fabs(stat[11] - 7) < 1e-12);
	ck_assert(fabs(t.statistic - 5 * 3.5) < 1e-12);
	ck_assert(stat[9] == 0);
	/* A step is no trend to Sen: 55 of the 105 pairwise slopes lie within
	 * a level and are 0, so the median is 0.  The detector is what sees
	 * it. */
	ck_assert(t.has_sen_slope && t.sen_slope == 0);
	ck_assert_str_eq(t.trend, "flat");
	ck_assert(fabs(t.improvement_rate - (6 - 10) / 10.0) < 1e-12);
	/* An explicit baseline is used as given: against 6.5 the drop to 6 is
	 * within k, and nothing fires. */
	o.baseline = 6.5;
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, stat), 0);
	ck_assert_int_eq(t.regression, 0);
	ck_assert_int_eq(t.change_index, 0);
	/* A threshold above the accumulated 17.5 does not fire either. */
	o = cusum(0.5, 20);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, stat), 0);
	ck_assert_int_eq(t.regression, 0);
	ck_assert(fabs(t.statistic - 17.5) < 1e-12);
	/* Page-Hinkley sees the same drop. */
	o = page_hinkley();
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, stat), 0);
	ck_assert_int_eq(t.regression, 1);
	ck_assert_str_eq(t.detector, "page-hinkley");
	ck_assert(t.threshold == 0.1);
	ck_assert_int_ge(t.change_index, 11);
	ck_assert(stat[t.change_index - 1] > 0.1 && stat[t.change_index - 2] <= 0.1);
}
END_TEST

START_TEST(cusum_defaults_come_from_the_first_half)
{
	/* k and h of 0 mean 0.5 and 5 sd of the first half.  First half
	 * 9, 11, 9, 11 (sd 2/sqrt(3)); a drop to 5 fires, a dip to 9 does not. */
	double drop[8] = { 9, 11, 9, 11, 5, 5, 5, 5 }, dip[8] = { 9, 11, 9, 11, 9, 9, 9, 9 };
	double sd = 2 / sqrt(3);
	struct fixture f;
	struct eval_options o = cusum(0, 0);
	struct eval_trend t;

	make_daily(&f, drop, 8);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, NULL), 0);
	ck_assert(fabs(t.threshold - 5 * sd) < 1e-12);
	ck_assert_int_eq(t.regression, 1);
	/* C- grows by (10 - sd/2) - 5 = 4.42 a point: over 5.77 at the second. */
	ck_assert_int_eq(t.change_index, 6);
	make_daily(&f, dip, 8);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, NULL), 0);
	ck_assert_int_eq(t.regression, 0);
}
END_TEST

static const char *const documented[] = {
	"metric",      "n",	   "first",	"last",
	"trend",       "improvement_rate", "sen_slope", "mann_kendall_s",
	"mann_kendall_z", "p_value",       "significant", "regression_detected",
	"detector",    "change_index",
};

/* The line's members are a subsequence of the documented list, in its
 * order; returns how many there are. */
static int assert_documented_order(const cJSON *line)
{
	size_t at = 0;
	int n = 0;
	const char *path;

	for (const cJSON *m = line->child; m; m = m->next, n++) {
		while (at < sizeof(documented) / sizeof(documented[0]) &&
		       strcmp(documented[at], m->string))
			at++;
		ck_assert_msg(at < sizeof(documented) / sizeof(documented[0]),
			      "member '%s' undocumented or out of order", m->string);
	}
	ck_assert_ptr_null(json_find_nonfinite(line, &path));
	return n;
}

START_TEST(trend_line_has_the_documented_fields)
{
	double y[15];
	struct fixture f;
	struct eval_options o = cusum(0.5, 5);
	struct eval_trend t;
	cJSON *line;

	for (int i = 0; i < 15; i++)
		y[i] = i < 10 ? 10 - 0.01 * i : 6;
	make_daily(&f, y, 15);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, NULL), 0);
	line = eval_trend_line("outcome", &t);
	/* With a regression and every figure known: all fourteen, in order. */
	ck_assert_int_eq(assert_documented_order(line), 14);
	ck_assert_str_eq(json_string(line, "metric"), "outcome");
	ck_assert_str_eq(json_string(line, "trend"), "declining");
	ck_assert_str_eq(json_string(line, "detector"), "cusum");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(line, "regression_detected")));
	ck_assert(cJSON_GetObjectItemCaseSensitive(line, "change_index")->valuedouble == 12);
	ck_assert(cJSON_GetObjectItemCaseSensitive(line, "n")->valuedouble == 15);
	ck_assert(cJSON_GetObjectItemCaseSensitive(line, "first")->valuedouble == 10);
	ck_assert(cJSON_GetObjectItemCaseSensitive(line, "sen_slope")->valuedouble < 0);
	ck_assert(cJSON_GetObjectItemCaseSensitive(line, "last")->valuedouble == 6);
	ck_assert(cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(line, "significant")));
	cJSON_Delete(line);
}
END_TEST

START_TEST(trend_line_leaves_out_what_cannot_be_computed)
{
	double zero_first[3] = { 0, 1, 2 }, one[1] = { 0.85 }, y[2] = { 0.85, 0.92 };
	double same_time[2] = { 0, 0 };
	struct fixture f;
	struct eval_options o = page_hinkley();
	struct eval_trend t;
	cJSON *line;

	/* first == 0: no improvement rate, never an infinity. */
	make_daily(&f, zero_first, 3);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, NULL), 0);
	ck_assert_int_eq(t.has_improvement_rate, 0);
	line = eval_trend_line("m", &t);
	ck_assert_int_eq(assert_documented_order(line), 12);
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(line, "improvement_rate"));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(line, "change_index"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(line, "sen_slope"));
	cJSON_Delete(line);
	/* One point: no slope, no Mann-Kendall; flat. */
	make_daily(&f, one, 1);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, NULL), 0);
	line = eval_trend_line("m", &t);
	ck_assert_int_eq(assert_documented_order(line), 9);
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(line, "sen_slope"));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(line, "mann_kendall_s"));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(line, "p_value"));
	ck_assert_str_eq(json_string(line, "trend"), "flat");
	ck_assert(cJSON_GetObjectItemCaseSensitive(line, "improvement_rate")->valuedouble == 0);
	cJSON_Delete(line);
	/* Two points at one instant: no slope; last - first gives the trend. */
	make(&f, same_time, y, 2);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, NULL), 0);
	ck_assert_int_eq(t.has_sen_slope, 0);
	ck_assert_str_eq(t.trend, "improving");
	line = eval_trend_line("m", &t);
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(line, "sen_slope"));
	assert_documented_order(line);
	cJSON_Delete(line);
}
END_TEST

START_TEST(improvement_rate_is_relative_to_the_size_of_first)
{
	/* brain-eval(1): (last - first) / |first|, so a rise from -10 to -5 is
	 * an improvement of +0.5, and a fall from -10 to -15 of -0.5. */
	double up[2] = { -10, -5 }, down[2] = { -10, -15 };
	struct fixture f;
	struct eval_options o = page_hinkley();
	struct eval_trend t;

	make_daily(&f, up, 2);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, NULL), 0);
	ck_assert(fabs(t.improvement_rate - 0.5) < 1e-12);
	ck_assert_str_eq(t.trend, "improving");
	make_daily(&f, down, 2);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, NULL), 0);
	ck_assert(fabs(t.improvement_rate + 0.5) < 1e-12);
	ck_assert_str_eq(t.trend, "declining");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("eval");
	TCase *tc = tcase_create("eval");

	tcase_add_test(tc, metric_names);
	tcase_add_test(tc, empty_series_has_no_trend);
	tcase_add_test(tc, rising_series_is_a_significant_improvement);
	tcase_add_test(tc, sen_slope_is_the_median_pairwise_slope_per_day);
	tcase_add_test(tc, constant_series_is_flat_without_regression);
	tcase_add_test(tc, cusum_finds_a_level_drop_where_it_happens);
	tcase_add_test(tc, cusum_defaults_come_from_the_first_half);
	tcase_add_test(tc, trend_line_has_the_documented_fields);
	tcase_add_test(tc, trend_line_leaves_out_what_cannot_be_computed);
	tcase_add_test(tc, improvement_rate_is_relative_to_the_size_of_first);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
