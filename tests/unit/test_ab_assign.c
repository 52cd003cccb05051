/* Unit tests of ab_assign: hashing assignment is deterministic, splits
 * units by the (normalised) weights, and agrees with GrowthBook's hashing
 * (the vectors of tests/data/stats-vectors.jsonl and the experiment cases
 * of GrowthBook's SDK test suite); Thompson sampling is reproducible from
 * its seed, gives probabilities that sum to one, and follows the evidence.
 * Each kind of an experiment hashes with a seed of its own, so that the
 * script a lead gets says nothing about its channel: a chi-square test of
 * independence over 10,000 units does not reject, where one seed for both
 * kinds (the old default) confounds them completely. */
#include "unit.h"

#include <math.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_cdf.h>

#include "pure/ab_assign.h"
#include "pure/stats.h"

#define UNITS 10000

/* How many of the units "u0".."u9999" land in each arm. */
static void split(size_t k, const double *w, const char *seed, size_t *count, double *share)
{
	char unit[16];

	memset(count, 0, k * sizeof(*count));
	for (int i = 0; i < UNITS; i++) {
		double sh = -1;
		size_t arm;

		snprintf(unit, sizeof(unit), "u%d", i);
		arm = ab_assign_hash(k, w, seed, unit, &sh);
		ck_assert_uint_lt(arm, k);
		share[arm] = sh;
		count[arm]++;
	}
}

START_TEST(hash_assignment_is_deterministic)
{
	double w[3] = { 1, 1, 1 }, s1, s2;
	size_t seen[3] = { 0, 0, 0 };
	char unit[16];

	for (int i = 0; i < 300; i++) {
		size_t a, b;

		snprintf(unit, sizeof(unit), "L%d", i);
		a = ab_assign_hash(3, w, "exp-one", unit, &s1);
		b = ab_assign_hash(3, w, "exp-one", unit, &s2);
		ck_assert_uint_eq(a, b);
		ck_assert(s1 == s2 && fabs(s1 - 1.0 / 3) < 1e-12);
		seen[a]++;
	}
	/* Not a constant: every arm gets some of 300 units. */
	ck_assert(seen[0] > 0 && seen[1] > 0 && seen[2] > 0);
}
END_TEST

START_TEST(hash_assignment_depends_on_the_seed)
{
	double w[2] = { 1, 1 }, sh;
	char unit[16];
	int differ = 0;

	for (int i = 0; i < 200; i++) {
		snprintf(unit, sizeof(unit), "u%d", i);
		differ += ab_assign_hash(2, w, "seed-a", unit, &sh) !=
			  ab_assign_hash(2, w, "seed-b", unit, &sh);
	}
	/* Independent seeds: about half the units move. */
	ck_assert_int_gt(differ, 60);
	ck_assert_int_lt(differ, 140);
}
END_TEST

START_TEST(equal_weights_split_half_and_half)
{
	double w[2] = { 1, 1 }, share[2] = { 0, 0 };
	size_t count[2];

	split(2, w, "exp", count, share);
	ck_assert_uint_eq(count[0] + count[1], UNITS);
	ck_assert_msg(fabs(count[0] / (double)UNITS - 0.5) <= 0.02, "arm 0 got %zu", count[0]);
	ck_assert_msg(fabs(count[1] / (double)UNITS - 0.5) <= 0.02, "arm 1 got %zu", count[1]);
	ck_assert(share[0] == 0.5 && share[1] == 0.5);
}
END_TEST

START_TEST(three_to_one_weights_split_75_25)
{
	double w[2] = { 3, 1 }, share[2] = { 0, 0 };
	size_t count[2];

	split(2, w, "exp", count, share);
	ck_assert_msg(fabs(count[0] / (double)UNITS - 0.75) <= 0.02, "arm 0 got %zu", count[0]);
	ck_assert_msg(fabs(count[1] / (double)UNITS - 0.25) <= 0.02, "arm 1 got %zu", count[1]);
	ck_assert(share[0] == 0.75 && share[1] == 0.25);
}
END_TEST

START_TEST(weights_are_normalised)
{
	/* Any positive scale gives the same arms as the shares summing to 1
	 * (GrowthBook itself would fall back to equal weights for these). */
	double scaled[2][2] = { { 30, 10 }, { 0.3, 0.1 } }, unit_w[2] = { 0.75, 0.25 };
	double w3[3] = { 2, 2, 4 }, w3n[3] = { 0.25, 0.25, 0.5 };
	char unit[16];

	for (int i = 0; i < 2000; i++) {
		double a, b;

		snprintf(unit, sizeof(unit), "u%d", i);
		for (int j = 0; j < 2; j++) {
			ck_assert_uint_eq(ab_assign_hash(2, scaled[j], "s", unit, &a),
					  ab_assign_hash(2, unit_w, "s", unit, &b));
			ck_assert(fabs(a - b) < 1e-12);
		}
		ck_assert_uint_eq(ab_assign_hash(3, w3, "s", unit, &a),
				  ab_assign_hash(3, w3n, "s", unit, &b));
		ck_assert(fabs(a - b) < 1e-12);
	}
}
END_TEST

START_TEST(one_arm_and_zero_weight_arms)
{
	double one[1] = { 5 }, zero[3] = { 1, 0, 1 }, sh;
	char unit[16];

	for (int i = 0; i < 2000; i++) {
		snprintf(unit, sizeof(unit), "u%d", i);
		ck_assert_uint_eq(ab_assign_hash(1, one, "s", unit, &sh), 0);
		ck_assert(sh == 1);
		/* An arm of weight 0 has an empty bucket: nobody lands in it. */
		ck_assert_uint_ne(ab_assign_hash(3, zero, "s", unit, &sh), 1);
		ck_assert(sh == 0.5);
	}
}
END_TEST

/* The arm of every unit is the GrowthBook choice (hash version 2) over
 * the bucket ranges of the vectors with full coverage. */
START_TEST(agrees_with_growthbook_vectors)
{
	FILE *fp = fopen("tests/data/stats-vectors.jsonl", "r");
	char *line = NULL, unit[16];
	size_t cap = 0;
	int checked = 0;

	ck_assert_ptr_nonnull(fp);
	while (getline(&line, &cap, fp) > 0) {
		cJSON *v = cJSON_Parse(line);
		const cJSON *in = cJSON_GetObjectItemCaseSensitive(v, "inputs");
		const cJSON *want = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(v, "expected"), "ranges");
		double ranges[16], w[8], sh;
		size_t k;

		if (strcmp(cJSON_GetObjectItemCaseSensitive(v, "method")->valuestring,
			   "gb_bucket_ranges") ||
		    cJSON_GetObjectItemCaseSensitive(in, "coverage")->valuedouble != 1) {
			cJSON_Delete(v);
			continue;
		}
		k = (size_t)cJSON_GetArraySize(want);
		ck_assert_uint_le(k, 8);
		for (size_t i = 0; i < k; i++) {
			const cJSON *pair = cJSON_GetArrayItem(want, (int)i);

			ranges[2 * i] = cJSON_GetArrayItem(pair, 0)->valuedouble;
			ranges[2 * i + 1] = cJSON_GetArrayItem(pair, 1)->valuedouble;
			w[i] = ranges[2 * i + 1] - ranges[2 * i];
		}
		for (int i = 0; i < 2000; i++) {
			snprintf(unit, sizeof(unit), "u%d", i);
			ck_assert_int_eq((int)ab_assign_hash(k, w, "exp", unit, &sh),
					 stats_gb_choose(k, ranges, stats_gb_hash("exp", unit, 2)));
		}
		checked++;
		cJSON_Delete(v);
	}
	free(line);
	fclose(fp);
	ck_assert_int_ge(checked, 1);
}
END_TEST

/* GrowthBook's SDK test cases (growthbook/growthbook,
 * packages/sdk-js/test/cases.json): version-2 hashes, and experiments
 * whose seed, hash value and weights give a known bucket and variation. */
START_TEST(agrees_with_growthbook_experiment_cases)
{
	static const struct {
		const char *seed, *value;
		double hash;
	} hashes[] = {
		{ "seed", "a", 0.0505 },
		{ "seed", "b", 0.2696 },
		{ "foo", "ab", 0.2575 },
		{ "foo", "def", 0.2019 },
		{ "89123klj", "8952klfjas09ujkasdf", 0.124 },
		{ "90850943850283058242805", "123", 0.7516 },
		{ "()**(%$##$%#$#", "___)((*\":&", 0.0128 },
	};
	static const struct {
		const char *what, *seed, *unit;
		size_t k;
		double w[2], bucket;
		size_t variation;
	} cases[] = {
		/* "creates experiments properly": ranges [0,0.1],[0.1,1] */
		{ "creates experiments properly", "feature", "123", 2, { 0.1, 0.9 }, 0.5231, 1 },
		/* "Support passthrough variations", rule "experiment" */
		{ "passthrough", "experiment", "1", 2, { 0.5, 0.5 }, 0.4413, 0 },
		/* "Support holdout groups", rule "holdout": [0,0.99],[0.99,1] */
		{ "holdout", "holdout", "1", 2, { 0.99, 0.01 }, 0.8043, 0 },
	};
	double sh;

	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++)
		ck_assert_msg(fabs(stats_gb_hash(hashes[i].seed, hashes[i].value, 2) -
				   hashes[i].hash) < 1e-12,
			      "hash of %s %s", hashes[i].seed, hashes[i].value);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_msg(fabs(stats_gb_hash(cases[i].seed, cases[i].unit, 2) - cases[i].bucket) <
				      1e-12,
			      "%s: bucket", cases[i].what);
		ck_assert_msg(ab_assign_hash(cases[i].k, cases[i].w, cases[i].seed, cases[i].unit,
					     &sh) == cases[i].variation,
			      "%s: variation", cases[i].what);
		ck_assert(fabs(sh - cases[i].w[cases[i].variation]) < 1e-12);
	}
	/* The passthrough case's unit, under the holdout's equal split, is in
	 * the upper half (bucket 0.8043). */
	ck_assert_uint_eq(ab_assign_hash(2, (double[]){ 1, 1 }, "holdout", "1", &sh), 1);
}
END_TEST

START_TEST(thompson_is_reproducible_from_its_seed)
{
	double n[3] = { 100, 100, 100 }, x[3] = { 10, 12, 11 };
	double p1[3], p2[3];
	size_t c1, c2;
	int differ = 0;

	for (unsigned long seed = 0; seed < 50; seed++) {
		ck_assert_int_eq(ab_assign_thompson(3, n, x, seed, p1, &c1), 0);
		ck_assert_int_eq(ab_assign_thompson(3, n, x, seed, p2, &c2), 0);
		ck_assert_uint_eq(c1, c2);
		ck_assert(!memcmp(p1, p2, sizeof(p1)));
		ab_assign_thompson(3, n, x, seed + 1000, p2, &c2);
		differ += c1 != c2;
	}
	/* Close arms: the choice is a draw, not a constant. */
	ck_assert_int_gt(differ, 5);
}
END_TEST

START_TEST(thompson_probabilities_sum_to_one)
{
	static const struct {
		size_t k;
		double n[5], x[5];
	} cases[] = {
		{ 2, { 0, 0 }, { 0, 0 } },
		{ 2, { 1000, 1000 }, { 120, 150 } },
		{ 3, { 50, 50, 50 }, { 42, 39, 0 } },
		{ 4, { 10, 200, 3000, 40000 }, { 1, 30, 400, 5000 } },
		{ 5, { 100, 100, 100, 100, 100 }, { 5, 10, 15, 20, 100 } },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double prob[5], sum = 0;
		size_t choice = 99;

		ck_assert_msg(ab_assign_thompson(cases[i].k, cases[i].n, cases[i].x, 7, prob,
						 &choice) == 0,
			      "case %zu: P(best) failed", i);
		ck_assert_uint_lt(choice, cases[i].k);
		for (size_t j = 0; j < cases[i].k; j++) {
			ck_assert(prob[j] >= 0 && prob[j] <= 1);
			sum += prob[j];
		}
		ck_assert_msg(fabs(sum - 1) < 1e-9, "case %zu: sum %.15g", i, sum);
	}
}
END_TEST

START_TEST(thompson_with_one_arm_is_certain)
{
	double n[1] = { 10 }, x[1] = { 3 }, prob[1] = { -1 };
	size_t choice = 5;

	ck_assert_int_eq(ab_assign_thompson(1, n, x, 42, prob, &choice), 0);
	ck_assert_uint_eq(choice, 0);
	ck_assert(prob[0] == 1);
}
END_TEST

START_TEST(thompson_follows_strong_evidence)
{
	double n[2] = { 1000, 1000 }, good_first[2] = { 500, 50 }, good_second[2] = { 50, 500 };
	double prob[2];
	size_t choice;
	int first = 0, second = 0;

	for (unsigned long seed = 1; seed <= 100; seed++) {
		ck_assert_int_eq(ab_assign_thompson(2, n, good_first, seed, prob, &choice), 0);
		first += choice == 0;
		ck_assert(prob[0] > 0.999999);
		ck_assert_int_eq(ab_assign_thompson(2, n, good_second, seed, prob, &choice), 0);
		second += choice == 1;
		ck_assert(prob[1] > 0.999999);
	}
	ck_assert_int_ge(first, 99);
	ck_assert_int_ge(second, 99);
}
END_TEST

START_TEST(thompson_chooses_each_arm_as_often_as_it_is_best)
{
	/* Thompson sampling picks an arm with its posterior probability of
	 * being best: over many seeds the frequency matches prob. */
	double n[2] = { 100, 100 }, x[2] = { 40, 45 }, prob[2];
	size_t choice;
	int second = 0;
	const int seeds = 4000;

	for (int seed = 0; seed < seeds; seed++) {
		ck_assert_int_eq(ab_assign_thompson(2, n, x, (unsigned long)seed, prob, &choice), 0);
		second += choice == 1;
	}
	ck_assert(prob[1] > 0.6 && prob[1] < 0.9);
	/* 4000 draws: the sd of the frequency is under 0.008. */
	ck_assert_msg(fabs(second / (double)seeds - prob[1]) < 0.035, "chose B %d times, P %.4f",
		      second, prob[1]);
}
END_TEST

START_TEST(default_seed_is_experiment_colon_kind)
{
	char *seed = ab_assign_default_seed("Spring Push", "script");

	ck_assert_str_eq(seed, "Spring Push:script");
	free(seed);
	seed = ab_assign_default_seed("Spring Push", "channel");
	ck_assert_str_eq(seed, "Spring Push:channel");
	free(seed);
}
END_TEST

/* The 3 x 3 table of (script, channel) arms of the units "L0".."L9999",
 * scripts of equal weight hashed with seed_s, channels 2:1:1 with seed_c;
 * the chi-square statistic of independence (df 4) in *chi2. */
static void cross(const char *seed_s, const char *seed_c, size_t table[3][3], double *chi2)
{
	double ws[3] = { 1, 1, 1 }, wc[3] = { 2, 1, 1 }, sh;
	size_t row[3] = { 0, 0, 0 }, col[3] = { 0, 0, 0 };
	char unit[16];

	memset(table, 0, 9 * sizeof(table[0][0]));
	for (int i = 0; i < UNITS; i++) {
		size_t a, b;

		snprintf(unit, sizeof(unit), "L%d", i);
		a = ab_assign_hash(3, ws, seed_s, unit, &sh);
		b = ab_assign_hash(3, wc, seed_c, unit, &sh);
		table[a][b]++;
		row[a]++;
		col[b]++;
	}
	*chi2 = 0;
	for (int a = 0; a < 3; a++)
		for (int b = 0; b < 3; b++) {
			double e = (double)row[a] * (double)col[b] / UNITS;

			*chi2 += ((double)table[a][b] - e) * ((double)table[a][b] - e) / e;
		}
}

/* Pearson's goodness of fit of counts to the shares (df k - 1). */
static double fit_p(size_t k, const size_t *count, const double *share)
{
	double chi2 = 0;

	for (size_t i = 0; i < k; i++) {
		double e = share[i] * UNITS;

		chi2 += ((double)count[i] - e) * ((double)count[i] - e) / e;
	}
	return gsl_cdf_chisq_Q(chi2, (double)(k - 1));
}

START_TEST(two_kinds_are_assigned_independently)
{
	char *seed_s = ab_assign_default_seed("Calls", "script");
	char *seed_c = ab_assign_default_seed("Calls", "channel");
	double ss[3] = { 1.0 / 3, 1.0 / 3, 1.0 / 3 }, sc[3] = { 0.5, 0.25, 0.25 }, chi2, p;
	size_t table[3][3], row[3] = { 0, 0, 0 }, col[3] = { 0, 0, 0 };

	cross(seed_s, seed_c, table, &chi2);
	p = gsl_cdf_chisq_Q(chi2, 4);
	/* df 4 has a closed form, an independent check of the call. */
	ck_assert(fabs(p - exp(-chi2 / 2) * (1 + chi2 / 2)) < 1e-12);
	ck_assert_msg(p > 0.001, "script and channel are dependent: chi2 %g, p %g", chi2, p);
	for (int a = 0; a < 3; a++)
		for (int b = 0; b < 3; b++) {
			row[a] += table[a][b];
			col[b] += table[a][b];
		}
	/* Each kind's split follows its weights. */
	ck_assert_msg(fit_p(3, row, ss) > 0.001, "scripts %zu %zu %zu", row[0], row[1], row[2]);
	ck_assert_msg(fit_p(3, col, sc) > 0.001, "channels %zu %zu %zu", col[0], col[1], col[2]);
	for (int i = 0; i < 3; i++) {
		ck_assert(fabs((double)row[i] / UNITS - ss[i]) < 0.02);
		ck_assert(fabs((double)col[i] / UNITS - sc[i]) < 0.02);
	}
	free(seed_s);
	free(seed_c);
}
END_TEST

START_TEST(one_seed_for_two_kinds_confounds_them)
{
	size_t table[3][3];
	double chi2, p;

	/* What brain-ab did before: the experiment name for every kind.  Each
	 * unit's hash is the same in both lists, so script 0 (the first third
	 * of [0, 1)) only ever goes out on channel 0 (the first half). */
	cross("Calls", "Calls", table, &chi2);
	p = gsl_cdf_chisq_Q(chi2, 4);
	ck_assert_msg(p < 1e-100, "chi2 %g, p %g", chi2, p);
	ck_assert_uint_eq(table[0][1] + table[0][2], 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ab_assign");
	TCase *tc = tcase_create("ab_assign");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, hash_assignment_is_deterministic);
	tcase_add_test(tc, hash_assignment_depends_on_the_seed);
	tcase_add_test(tc, equal_weights_split_half_and_half);
	tcase_add_test(tc, three_to_one_weights_split_75_25);
	tcase_add_test(tc, weights_are_normalised);
	tcase_add_test(tc, one_arm_and_zero_weight_arms);
	tcase_add_test(tc, agrees_with_growthbook_vectors);
	tcase_add_test(tc, agrees_with_growthbook_experiment_cases);
	tcase_add_test(tc, thompson_is_reproducible_from_its_seed);
	tcase_add_test(tc, thompson_probabilities_sum_to_one);
	tcase_add_test(tc, thompson_with_one_arm_is_certain);
	tcase_add_test(tc, thompson_follows_strong_evidence);
	tcase_add_test(tc, thompson_chooses_each_arm_as_often_as_it_is_best);
	tcase_add_test(tc, default_seed_is_experiment_colon_kind);
	tcase_add_test(tc, two_kinds_are_assigned_independently);
	tcase_add_test(tc, one_seed_for_two_kinds_confounds_them);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
