/* Unit tests of eval: metric names, the trend summary of an outcome series
 * (Mann-Kendall, Sen's slope over real time, the improvement rate) against
 * hand computations, the regression detectors on a level drop, and the
 * documented output line. */
#include "unit.h"

#include <math.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

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

/* The defaults: delta and lambda of 0 scale with the series. */
static struct eval_options page_hinkley_scaled(void)
{
	struct eval_options o = { 0.05, 0, NAN, 0, 0, 0, 0 };

	return o;
}

/* A series on the heap, as eval_store builds it (eval_series_free frees
 * it), of the given days and scores in that (log) order. */
static void make_owned(struct eval_series *s, const double *days, const double *score, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->metric = strdup("outcome");
	s->score = malloc(n * sizeof(*s->score));
	s->ts = malloc(n * sizeof(*s->ts));
	s->label = calloc(n, sizeof(*s->label));
	ck_assert(s->metric && s->score && s->ts && s->label);
	for (size_t i = 0; i < n; i++) {
		char name[16];

		s->score[i] = score[i];
		s->ts[i] = (time_t)(T0 + days[i] * DAY);
		snprintf(name, sizeof(name), "p%zu", i);
		s->label[i] = strdup(name);
	}
	s->n = s->cap = n;
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

START_TEST(backfilled_series_is_taken_in_time_order)
{
	/* Recorded 0.1 .. 0.5 with --at going back a day each time: in the
	 * log it rises (S = +10, p = 0.027, +400 %), in time it falls by 0.1
	 * a day.  Reference Z and p: tests/data/eval-trend-reference.py. */
	double days[5] = { 4, 3, 2, 1, 0 }, y[5] = { 0.1, 0.2, 0.3, 0.4, 0.5 };
	struct eval_series s;
	struct eval_options o = page_hinkley_scaled();
	struct eval_trend t;

	make_owned(&s, days, y, 5);
	eval_series_sort(&s);
	for (size_t i = 0; i < 5; i++) {
		char name[16];

		snprintf(name, sizeof(name), "p%zu", 4 - i);
		ck_assert(s.score[i] == y[4 - i]);
		ck_assert_int_eq((long)s.ts[i], (long)(T0 + (double)i * DAY));
		ck_assert_str_eq(s.label[i], name); /* labels travel with their points */
	}
	ck_assert_int_eq(eval_trend(&s, &o, &t, NULL), 0);
	ck_assert(t.first == 0.5 && t.last == 0.1);
	ck_assert(fabs(t.improvement_rate - (0.1 - 0.5) / 0.5) < 1e-12);
	ck_assert(t.has_sen_slope && fabs(t.sen_slope + 0.1) < 1e-12);
	ck_assert(t.has_mk && t.mk_s == -10);
	ck_assert(fabs(t.mk_z - -2.2045407685048604) < 1e-12);
	ck_assert(fabs(t.p_value - 0.0274863361115103) < 1e-12);
	ck_assert_int_eq(t.significant, 1);
	ck_assert_str_eq(t.trend, "declining");
	eval_series_free(&s);
}
END_TEST

START_TEST(equal_times_keep_their_log_order)
{
	/* Days 2, 0, 2, 1, 0: the two at day 0 and the two at day 2 stay in
	 * the order they were recorded. */
	double days[5] = { 2, 0, 2, 1, 0 }, y[5] = { 20, 0, 21, 10, 1 };
	double want[5] = { 0, 1, 10, 20, 21 };
	struct eval_series s;

	make_owned(&s, days, y, 5);
	eval_series_sort(&s);
	for (size_t i = 0; i < 5; i++)
		ck_assert_msg(s.score[i] == want[i], "point %zu is %g", i, s.score[i]);
	ck_assert_str_eq(s.label[0], "p1");
	ck_assert_str_eq(s.label[1], "p4");
	ck_assert_str_eq(s.label[3], "p0");
	ck_assert_str_eq(s.label[4], "p2");
	eval_series_free(&s);
	/* Zero and one point are already in order. */
	make_owned(&s, days, y, 1);
	eval_series_sort(&s);
	ck_assert(s.n == 1 && s.score[0] == 20);
	eval_series_free(&s);
}
END_TEST

START_TEST(label_needs_the_test_and_every_figure)
{
	/* Ten rising days then a last point below the first: Mann-Kendall is
	 * significant (S = 45 - 10) and Sen's slope positive, but last < first
	 * would put "improving" next to a negative rate: flat. */
	double rise_then_fall[11], noise[6] = { 0.5, 0.7, 0.4, 0.6, 0.55, 0.65 };
	double zigzag[4] = { 0.1, 0.3, 0.2, 0.4 };
	struct fixture f;
	struct eval_options o = page_hinkley_scaled();
	struct eval_trend t;

	for (int i = 0; i < 10; i++)
		rise_then_fall[i] = 0.5 + 0.01 * i;
	rise_then_fall[10] = 0.4;
	make_daily(&f, rise_then_fall, 11);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, NULL), 0);
	ck_assert(t.mk_s == 35 && t.significant && t.sen_slope > 0 && t.improvement_rate < 0);
	ck_assert_str_eq(t.trend, "flat");
	/* Six points of noise, last above first: not significant, flat. */
	make_daily(&f, noise, 6);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, NULL), 0);
	ck_assert(!t.significant && t.improvement_rate > 0 && t.mk_s > 0);
	ck_assert_str_eq(t.trend, "flat");
	/* Four points can never be significant at 0.05 (the best p is 0.089):
	 * the direction S, Sen and last - first agree on. */
	make_daily(&f, zigzag, 4);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, NULL), 0);
	ck_assert(!t.significant && t.mk_s == 4);
	ck_assert_str_eq(t.trend, "improving");
	/* At alpha 0.1 the test can decide four points, and says no. */
	o.alpha = 0.1;
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, NULL), 0);
	ck_assert(!t.significant);
	ck_assert_str_eq(t.trend, "flat");
}
END_TEST

START_TEST(label_never_contradicts_its_figures)
{
	/* 2000 random walks of 2 to 40 points at irregular times: whatever the
	 * label says, S, Sen's slope and last - first say too. */
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	struct eval_options o = page_hinkley_scaled();
	int seen[3] = { 0, 0, 0 };

	gsl_rng_set(r, 7);
	for (int k = 0; k < 2000; k++) {
		size_t n = 2 + gsl_rng_uniform_int(r, 39);
		double days[64], y[64], drift = gsl_ran_gaussian(r, 0.02);
		struct fixture f;
		struct eval_trend t;

		for (size_t i = 0; i < n; i++) {
			days[i] = i ? days[i - 1] + (double)gsl_rng_uniform_int(r, 3) : 0;
			y[i] = (i ? y[i - 1] : 0.5) + drift + gsl_ran_gaussian(r, 0.05);
		}
		make(&f, days, y, n);
		ck_assert_int_eq(eval_trend(&f.s, &o, &t, NULL), 0);
		if (strcmp(t.trend, "flat")) {
			int dir = !strcmp(t.trend, "improving") ? 1 : -1;

			ck_assert(t.has_mk && t.mk_s * dir > 0);
			ck_assert(!t.has_sen_slope || t.sen_slope * dir > 0);
			ck_assert((t.last - t.first) * dir > 0);
			ck_assert(t.significant || n <= 4);
		}
		seen[!strcmp(t.trend, "improving") + 2 * !strcmp(t.trend, "declining")]++;
	}
	/* Every label turns up, so the checks above were exercised. */
	ck_assert(seen[0] > 100 && seen[1] > 100 && seen[2] > 100);
	gsl_rng_free(r);
}
END_TEST

/* How many of 30 series of n points, mean 0.5 and this sd, alarm under
 * o; drop_at points in, the mean falls by drop (0: stationary).  A
 * fixed seed makes the count the same on every run. */
static int alarms(struct eval_options o, double sd, size_t n, size_t drop_at, double drop,
		  int *early)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	int count = 0;

	gsl_rng_set(r, 20261201);
	*early = 0;
	for (int k = 0; k < 30; k++) {
		double y[64];
		struct fixture f;
		struct eval_trend t;

		for (size_t i = 0; i < n; i++)
			y[i] = 0.5 + gsl_ran_gaussian(r, sd) - (drop > 0 && i >= drop_at ? drop : 0);
		make_daily(&f, y, n);
		ck_assert_int_eq(eval_trend(&f.s, &o, &t, NULL), 0);
		count += t.regression;
		*early += t.regression && drop > 0 && t.change_index <= (long)drop_at;
	}
	gsl_rng_free(r);
	return count;
}

START_TEST(page_hinkley_defaults_scale_with_the_series)
{
	struct eval_options scaled = page_hinkley_scaled(), fixed = page_hinkley();
	int early, n;

	/* Stationary noise rarely alarms, at any scale... */
	ck_assert_int_le(alarms(scaled, 0.05, 30, 0, 0, &early), 2);
	ck_assert_int_le(alarms(scaled, 0.02, 30, 0, 0, &early), 2);
	ck_assert_int_le(alarms(scaled, 0.05, 60, 0, 0, &early), 2);
	/* ... where the old fixed delta 0.005 and lambda 0.1, still what the
	 * options give, alarm on most of it. */
	ck_assert_int_ge(alarms(fixed, 0.05, 30, 0, 0, &early), 20);
	/* A real drop of 2 sd, 20 points in, is caught, and after it starts. */
	n = alarms(scaled, 0.05, 35, 20, 0.1, &early);
	ck_assert_msg(n >= 27, "%d of 30 drops caught", n);
	ck_assert_int_le(early, 1);
	n = alarms(scaled, 0.02, 35, 20, 0.04, &early);
	ck_assert_msg(n >= 27, "%d of 30 drops caught", n);
}
END_TEST

START_TEST(page_hinkley_threshold_is_eight_sd_of_the_first_half)
{
	/* First half 9, 11, 9, 11 (sd 2/sqrt(3)): lambda 8 sd, delta 0.5 sd;
	 * the statistic at the first low point is the running mean minus it
	 * minus delta, over the zero the first half left. */
	double drop[8] = { 9, 11, 9, 11, 5, 5, 5, 5 }, stat[8], sd = 2 / sqrt(3);
	struct fixture f;
	struct eval_options o = page_hinkley_scaled();
	struct eval_trend t;

	make_daily(&f, drop, 8);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, stat), 0);
	ck_assert(fabs(t.threshold - 8 * sd) < 1e-12);
	ck_assert_str_eq(t.detector, "page-hinkley");
	ck_assert_int_eq(t.regression, 1);
	/* Given, they are used as they are. */
	o.lambda = 1000;
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, stat), 0);
	ck_assert(t.threshold == 1000 && t.regression == 0);
	/* A constant first half has no spread: a drop from it alarms at once. */
	for (int i = 0; i < 4; i++)
		drop[i] = 10;
	o = page_hinkley_scaled();
	make_daily(&f, drop, 8);
	ck_assert_int_eq(eval_trend(&f.s, &o, &t, stat), 0);
	ck_assert_int_eq(t.change_index, 5);
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
	tcase_add_test(tc, backfilled_series_is_taken_in_time_order);
	tcase_add_test(tc, equal_times_keep_their_log_order);
	tcase_add_test(tc, label_needs_the_test_and_every_figure);
	tcase_add_test(tc, label_never_contradicts_its_figures);
	tcase_add_test(tc, page_hinkley_defaults_scale_with_the_series);
	tcase_add_test(tc, page_hinkley_threshold_is_eight_sd_of_the_first_half);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
