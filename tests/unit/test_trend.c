/* Unit tests of trend against tests/data/stats-vectors.jsonl (scipy, R and
 * Montgomery's CUSUM example), plus the seed's two-point series, and Sen's
 * slope against the median of every slope sorted. */
#include "unit.h"

#include <float.h>
#include <math.h>

#include <cjson/cJSON.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

#include "pure/trend.h"

static cJSON *vector(const char *method, int nth)
{
	FILE *fp = fopen("tests/data/stats-vectors.jsonl", "r");
	char *line = NULL;
	size_t cap = 0;
	cJSON *found = NULL;

	ck_assert_ptr_nonnull(fp);
	while (!found && getline(&line, &cap, fp) > 0) {
		cJSON *v = cJSON_Parse(line);

		if (!strcmp(cJSON_GetObjectItemCaseSensitive(v, "method")->valuestring, method) &&
		    nth-- == 0)
			found = v;
		else
			cJSON_Delete(v);
	}
	free(line);
	fclose(fp);
	ck_assert_msg(found != NULL, "no vector %s", method);
	return found;
}

static size_t array(const cJSON *a, double *out, size_t max)
{
	size_t n = (size_t)cJSON_GetArraySize(a);

	ck_assert_uint_le(n, max);
	for (size_t i = 0; i < n; i++)
		out[i] = cJSON_GetArrayItem(a, (int)i)->valuedouble;
	return n;
}

static double field(const cJSON *v, const char *part, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(v, part), name)
		->valuedouble;
}

START_TEST(mann_kendall_and_sen)
{
	for (int k = 0; k < 2; k++) {
		cJSON *v = vector("mann_kendall_sen", k);
		double y[64], t[64], slope;
		size_t n = array(cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(v, "inputs"), "y"), y, 64);
		struct trend_mk mk;

		for (size_t i = 0; i < n; i++)
			t[i] = (double)i;
		ck_assert_int_eq(trend_mann_kendall(y, n, &mk), 0);
		ck_assert(fabs(mk.s - field(v, "expected", "S")) < 1e-12);
		ck_assert(fabs(mk.var_s - field(v, "expected", "var_S")) < 1e-8);
		ck_assert(fabs(mk.z - field(v, "expected", "Z")) < 1e-8);
		ck_assert(fabs(mk.p - field(v, "expected", "p_two_sided")) < 1e-8);
		ck_assert_int_eq(trend_sen_slope(t, y, n, &slope), 0);
		ck_assert(fabs(slope - field(v, "expected", "sen_slope")) < 1e-8);
		cJSON_Delete(v);
	}
}
END_TEST

START_TEST(sen_slope_uses_real_time)
{
	/* The same rise over days 0, 7, 14 is a third as steep per day as over
	 * days 0, 1, 2 — and pairs at the same time are skipped. */
	double y[] = { 1, 2, 3, 3.5 }, weekly[] = { 0, 7, 14, 14 }, slope;

	ck_assert_int_eq(trend_sen_slope(weekly, y, 4, &slope), 0);
	/* slopes 1/7, 1/7, 1/7, 2.5/14, 1.5/7: the median is 1/7, not the
	 * 1 per step that indices would give. */
	ck_assert(fabs(slope - 1.0 / 7) < 1e-12);
	double same[] = { 3, 3 };

	ck_assert_int_eq(trend_sen_slope(same, y, 2, &slope), -1);
}
END_TEST

START_TEST(mann_kendall_needs_two_distinct_points)
{
	double flat[] = { 0.5, 0.5, 0.5 }, two[] = { 0.85, 0.92 };
	struct trend_mk mk;

	ck_assert_int_eq(trend_mann_kendall(flat, 3, &mk), -1);
	ck_assert_int_eq(trend_mann_kendall(flat, 1, &mk), -1);
	ck_assert_int_eq(trend_mann_kendall(two, 2, &mk), 0);
	ck_assert(mk.s == 1 && mk.z == 0); /* continuity: (1 - 1)/sd */
}
END_TEST

START_TEST(mann_kendall_min_p_is_that_of_a_monotone_series)
{
	/* tests/data/eval-trend-reference.py (Python's NormalDist). */
	double y[5] = { 1, 2, 3, 4, 5 };
	struct trend_mk mk;

	ck_assert(trend_mann_kendall_min_p(0) == 1 && trend_mann_kendall_min_p(1) == 1);
	ck_assert(trend_mann_kendall_min_p(2) == 1);
	ck_assert(fabs(trend_mann_kendall_min_p(3) - 0.2962698714842864) < 1e-12);
	ck_assert(fabs(trend_mann_kendall_min_p(4) - 0.08942935902899363) < 1e-12);
	ck_assert(fabs(trend_mann_kendall_min_p(5) - 0.0274863361115103) < 1e-12);
	/* It is what the test itself gives a strictly rising series. */
	for (size_t n = 2; n <= 5; n++) {
		ck_assert_int_eq(trend_mann_kendall(y, n, &mk), 0);
		ck_assert(fabs(mk.p - trend_mann_kendall_min_p(n)) < 1e-12);
	}
}
END_TEST

START_TEST(cusum_montgomery_example)
{
	cJSON *v = vector("cusum_tabular", 0);
	const cJSON *in = cJSON_GetObjectItemCaseSensitive(v, "inputs");
	const cJSON *out = cJSON_GetObjectItemCaseSensitive(v, "expected");
	double x[64], up[64], down[64], want_up[64], want_down[64];
	size_t n = array(cJSON_GetObjectItemCaseSensitive(in, "x"), x, 64);
	long first_up = -1;

	array(cJSON_GetObjectItemCaseSensitive(out, "C_plus"), want_up, 64);
	array(cJSON_GetObjectItemCaseSensitive(out, "C_minus"), want_down, 64);
	ck_assert_int_eq(trend_cusum(x, n, field(v, "inputs", "mu0"), field(v, "inputs", "k"),
				     field(v, "inputs", "h"), up, down), -1); /* no drop */
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(fabs(up[i] - want_up[i]) < 1e-6, "C+ at %zu", i);
		ck_assert_msg(fabs(down[i] - want_down[i]) < 1e-6, "C- at %zu", i);
		if (first_up < 0 && up[i] > field(v, "inputs", "h"))
			first_up = (long)i;
	}
	ck_assert_int_eq(first_up + 1, (long)field(v, "expected", "first_upper_alarm_index_1based"));
	/* Mirrored, the shift is a drop, and the lower CUSUM fires there. */
	for (size_t i = 0; i < n; i++)
		x[i] = 20 - x[i];
	ck_assert_int_eq(trend_cusum(x, n, 10, 0.5, 5, NULL, NULL) + 1, 29);
	cJSON_Delete(v);
}
END_TEST

START_TEST(page_hinkley_river_example)
{
	cJSON *v = vector("page_hinkley", 0);
	const cJSON *in = cJSON_GetObjectItemCaseSensitive(v, "inputs");
	double x[64], ph[64], want[64];
	size_t n = array(cJSON_GetObjectItemCaseSensitive(in, "x"), x, 64);
	long alarm;

	array(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(v, "expected"),
					       "PH_stat"), want, 64);
	alarm = trend_page_hinkley(x, n, field(v, "inputs", "delta"), field(v, "inputs", "lambda"),
				   field(v, "inputs", "alpha"), ph);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(fabs(ph[i] - want[i]) < 1e-6, "PH at %zu: %g vs %g", i, ph[i], want[i]);
	ck_assert_int_eq(alarm + 1, (long)field(v, "expected", "first_alarm_index_1based"));
	cJSON_Delete(v);
}
END_TEST

/* S by merge-sort counting equals S by the pairs, with and without
 * ties, on seeded series of many lengths. */
START_TEST(mann_kendall_s_by_merge_sort_equals_the_pairs)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	for (unsigned long seed = 1; seed <= 200; seed++) {
		size_t n = 2 + seed % 97;
		double y[100], brute = 0;
		struct trend_mk mk;

		gsl_rng_set(rng, seed);
		for (size_t i = 0; i < n; i++)
			/* Few distinct values half the time: many ties. */
			y[i] = seed % 2 ? (double)gsl_rng_uniform_int(rng, 5)
					: gsl_rng_uniform(rng) + 0.01 * (double)i;
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++)
				brute += (y[j] > y[i]) - (y[j] < y[i]);
		if (trend_mann_kendall(y, n, &mk))
			continue; /* every value tied: no variance */
		ck_assert_msg(mk.s == brute, "seed %lu: S %g, pairs say %g", seed, mk.s, brute);
	}
	gsl_rng_free(rng);
}
END_TEST

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sen's slope the plain way: every slope, sorted (by qsort, quicker here
 * than gsl_sort's heapsort), and GSL's median; *pairs gets how many.  -1
 * when no two times differ. */
static int sorted_median(const double *t, const double *y, size_t n, double *median,
			 size_t *pairs)
{
	double *slopes = malloc((n * (n - 1) / 2 + 1) * sizeof(*slopes));
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (t[j] != t[i])
				slopes[m++] = (y[j] - y[i]) / (t[j] - t[i]);
	*pairs = m;
	if (m > 0) {
		qsort(slopes, m, sizeof(*slopes), cmp_double);
		*median = gsl_stats_median_from_sorted_data(slopes, 1, m);
	}
	free(slopes);
	return m > 0 ? 0 : -1;
}

/* A seeded series of one of ten kinds, with up to max points; its length. */
static size_t sen_series(gsl_rng *rng, unsigned long seed, size_t max, double *t, double *y)
{
	size_t n = 2 + gsl_rng_uniform_int(rng, seed % 7 ? 60 : max - 1);
	double scale = pow(10, (double)gsl_rng_uniform_int(rng, 9) - 4);

	for (size_t i = 0; i < n; i++) {
		double u = gsl_rng_uniform(rng), day = (double)i;

		switch (seed % 10) {
		case 0: /* noise about a falling line */
			t[i] = day, y[i] = u - 0.01 * day;
			break;
		case 1: /* few scores and few days: ties in both, times out of order */
			t[i] = (double)gsl_rng_uniform_int(rng, n / 3 + 1);
			y[i] = (double)gsl_rng_uniform_int(rng, 5);
			break;
		case 2: /* real times: seconds in days, as brain-eval gives them */
			t[i] = (double)(i * 3600 + gsl_rng_uniform_int(rng, 3600)) / 86400;
			y[i] = 0.8 + 0.05 * u + 0.001 * t[i];
			break;
		case 3: /* flat */
			t[i] = day, y[i] = 0.5;
			break;
		case 4: /* a noise-free line of decimal scores: slopes tied to rounding */
			t[i] = day, y[i] = 0.5 + 0.01 * day;
			break;
		case 5: /* an exactly linear count */
			t[i] = day, y[i] = 3 * day - 7;
			break;
		case 6: /* huge magnitudes */
			t[i] = day * scale, y[i] = (u - 0.4) * 1e300;
			break;
		case 7: /* tiny magnitudes, down to subnormal slopes */
			t[i] = u * 1e3, y[i] = (gsl_rng_uniform(rng) - 0.6) * 1e-300 * scale;
			break;
		case 8: /* times at any scale, in random order */
			t[i] = u * scale, y[i] = gsl_rng_uniform(rng) - 0.3;
			break;
		default: /* three levels, scaled */
			t[i] = u * 100, y[i] = (double)gsl_rng_uniform_int(rng, 3) * scale;
			break;
		}
	}
	return n;
}

/* The median found without listing the slopes is, to the bit, the median
 * of all of them sorted. */
START_TEST(sen_slope_equals_the_sorted_median)
{
	static double t[400], y[400];
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	size_t odd = 0, even = 0;

	for (unsigned long seed = 1; seed <= 3000; seed++) {
		size_t n, pairs = 0;
		double want = 0, got = 0;
		int rc;

		gsl_rng_set(rng, seed);
		n = sen_series(rng, seed, 400, t, y);
		rc = sorted_median(t, y, n, &want, &pairs);
		ck_assert_int_eq(trend_sen_slope(t, y, n, &got), rc);
		ck_assert_msg(rc || got == want, "seed %lu, %zu points: %.17g, sorted %.17g", seed,
			      n, got, want);
		odd += pairs % 2, even += pairs > 0 && pairs % 2 == 0;
	}
	ck_assert(odd > 100 && even > 100);
	gsl_rng_free(rng);
}
END_TEST

START_TEST(sen_slope_of_two_and_three_points)
{
	double t[] = { 0, 2, 3 }, y[] = { 1, 5, 4 }, slope;

	ck_assert_int_eq(trend_sen_slope(t, y, 2, &slope), 0);
	ck_assert(slope == 2);
	/* Slopes 2, 1 and -1: the middle one. */
	ck_assert_int_eq(trend_sen_slope(t, y, 3, &slope), 0);
	ck_assert(slope == 1);
	/* Times out of order give the same slopes. */
	ck_assert_int_eq(trend_sen_slope((double[]){ 3, 0, 2 }, (double[]){ 4, 1, 5 }, 3, &slope),
			 0);
	ck_assert(slope == 1);
	/* The pair at one time drops out: slopes -5, -1, 1, 2 and 4. */
	ck_assert_int_eq(trend_sen_slope((double[]){ 0, 2, 2, 3 }, (double[]){ 1, 5, 9, 4 }, 4,
					 &slope), 0);
	ck_assert(slope == 1);
	/* Six slopes 0, 0.5, 1, 1.25, 4/3 and 2: the mean of the middle two. */
	ck_assert_int_eq(trend_sen_slope((double[]){ 0, 1, 2, 4 }, (double[]){ 0, 1, 1, 5 }, 4,
					 &slope), 0);
	ck_assert(slope == 1.125);
}
END_TEST

START_TEST(sen_slope_needs_two_times)
{
	double t[] = { 5, 5, 5 }, y[] = { 1, 2, 3 }, slope = 42;

	ck_assert_int_eq(trend_sen_slope(t, y, 3, &slope), -1);
	ck_assert_int_eq(trend_sen_slope(t, y, 1, &slope), -1);
	ck_assert_int_eq(trend_sen_slope(t, y, 0, &slope), -1);
	ck_assert(slope == 42);
}
END_TEST

/* Times 1e-300 apart beside times a day apart: no margin can bound the
 * rounding of the keys, and the pairs are scanned. */
START_TEST(sen_slope_when_rounding_cannot_be_bounded)
{
	double t[] = { 0, 1e-300, 1, 2, 3, 5 }, y[] = { 0.3, 0.2, 0.5, 0.1, 0.9, 0.4 };
	double want, got;
	size_t pairs;

	for (size_t n = 2; n <= 6; n++) {
		ck_assert_int_eq(sorted_median(t, y, n, &want, &pairs), 0);
		ck_assert_int_eq(trend_sen_slope(t, y, n, &got), 0);
		ck_assert_msg(got == want, "%zu points: %.17g, sorted %.17g", n, got, want);
	}
}
END_TEST

/* Longer series, where the window holds a small part of the slopes. */
START_TEST(sen_slope_of_long_series_equals_the_sorted_median)
{
	static double t[1800], y[1800];
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	for (unsigned long seed = 1; seed <= 12; seed++) {
		size_t n = 600 + 100 * seed, pairs;
		double want, got;

		gsl_rng_set(rng, seed);
		for (size_t i = 0; i < n; i++) {
			t[i] = (double)(i * 600 + gsl_rng_uniform_int(rng, seed % 3 ? 600 : 1)) / 86400;
			y[i] = seed % 2 ? 0.8 + 0.05 * gsl_rng_uniform(rng) - 0.0001 * t[i]
					: (double)(gsl_rng_uniform_int(rng, 20) + 8 * i / n) / 20;
		}
		ck_assert_int_eq(sorted_median(t, y, n, &want, &pairs), 0);
		ck_assert_int_eq(trend_sen_slope(t, y, n, &got), 0);
		ck_assert_msg(got == want, "seed %lu: %.17g, sorted %.17g", seed, got, want);
	}
	gsl_rng_free(rng);
}
END_TEST

/* A series of one of the shapes whose slopes tie, exactly or to within
 * rounding: n points, kind 0 to 6. */
static void tied_series(gsl_rng *rng, int kind, size_t n, double *t, double *y)
{
	for (size_t i = 0; i < n; i++) {
		double day = (double)i;

		switch (kind) {
		case 0: /* noise */
			t[i] = day, y[i] = gsl_rng_uniform(rng);
			break;
		case 1: /* few scores: many slopes exactly tied, many 0 */
			t[i] = day, y[i] = (double)gsl_rng_uniform_int(rng, 3);
			break;
		case 2: /* a linear count: every slope equal */
			t[i] = day, y[i] = 5 * day + 2;
			break;
		case 3: /* 0.1 i: slopes within rounding of 0.1, scores in many binades */
			t[i] = day, y[i] = 0.1 * day;
			break;
		case 4: /* decimal scores at real times, crossing powers of two */
			t[i] = (double)(i * 600) / 86400, y[i] = 0.37 + 0.013 * day;
			break;
		case 5: /* falling through zero, from 3 to below -2 */
			t[i] = day, y[i] = 3 - 0.0027 * day;
			break;
		default: /* flat: every slope 0 */
			t[i] = day, y[i] = 0.7;
			break;
		}
	}
}

/* Series whose slopes tie, or nearly, by thousands: the median is, to the
 * bit, the sorted one, however many slopes share its value or lie within
 * rounding of it. */
START_TEST(sen_slope_of_tied_and_rounded_series_equals_the_sorted_median)
{
	static double t[2000], y[2000];
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	for (int kind = 0; kind < 7; kind++) {
		for (size_t n = 499; n <= 2000; n += 1501 / 2 + (size_t)kind) {
			double want, got;
			size_t pairs;

			gsl_rng_set(rng, (unsigned long)(kind * 7919 + (int)n));
			tied_series(rng, kind, n, t, y);
			ck_assert_int_eq(sorted_median(t, y, n, &want, &pairs), 0);
			ck_assert_int_eq(trend_sen_slope(t, y, n, &got), 0);
			ck_assert_msg(got == want, "kind %d, %zu points: %.17g, sorted %.17g", kind,
				      n, got, want);
		}
	}
	gsl_rng_free(rng);
}
END_TEST

/* Beyond 2^24 pairs a series whose slopes lie within rounding of the
 * median by millions is not tallied pair by pair: its median is the
 * double at which the true slopes reach the middle rank, within a few
 * units in the last place of the sorted one (and equal to it where no
 * rounding crowds the median). */
START_TEST(sen_slope_of_long_rounded_series_is_within_rounding_of_the_sorted_median)
{
	enum { N = 6000 };
	static double t[N], y[N];
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	for (int kind = 1; kind < 6; kind++) {
		double want, got;
		size_t pairs;

		if (kind == 2)
			continue; /* exact linear: proved, as at any length */
		gsl_rng_set(rng, (unsigned long)kind);
		tied_series(rng, kind, N, t, y);
		ck_assert_int_eq(sorted_median(t, y, N, &want, &pairs), 0);
		ck_assert_uint_gt(pairs, (size_t)1 << 24);
		ck_assert_int_eq(trend_sen_slope(t, y, N, &got), 0);
		if (kind == 3 || kind == 4 || kind == 5)
			ck_assert_msg(fabs(got - want) <= 8 * DBL_EPSILON * fabs(want),
				      "kind %d: %.17g, sorted %.17g", kind, got, want);
		else
			ck_assert_msg(got == want, "kind %d: %.17g, sorted %.17g", kind, got, want);
	}
	gsl_rng_free(rng);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("trend");
	TCase *tc = tcase_create("trend");

	tcase_add_test(tc, mann_kendall_and_sen);
	tcase_add_test(tc, sen_slope_uses_real_time);
	tcase_add_test(tc, mann_kendall_needs_two_distinct_points);
	tcase_add_test(tc, mann_kendall_min_p_is_that_of_a_monotone_series);
	tcase_add_test(tc, cusum_montgomery_example);
	tcase_add_test(tc, page_hinkley_river_example);
	tcase_add_test(tc, mann_kendall_s_by_merge_sort_equals_the_pairs);
	tcase_add_test(tc, sen_slope_equals_the_sorted_median);
	tcase_add_test(tc, sen_slope_of_two_and_three_points);
	tcase_add_test(tc, sen_slope_needs_two_times);
	tcase_add_test(tc, sen_slope_when_rounding_cannot_be_bounded);
	tcase_add_test(tc, sen_slope_of_long_series_equals_the_sorted_median);
	tcase_add_test(tc, sen_slope_of_tied_and_rounded_series_equals_the_sorted_median);
	tcase_add_test(tc, sen_slope_of_long_rounded_series_is_within_rounding_of_the_sorted_median);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
