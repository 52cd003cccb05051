/* Unit tests of trend against tests/data/stats-vectors.jsonl (scipy, R and
 * Montgomery's CUSUM example), plus the seed's two-point series. */
#include "unit.h"

#include <math.h>

#include <cjson/cJSON.h>

#include <gsl/gsl_rng.h>

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
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
