/* Unit tests of stats against tests/data/stats-vectors.jsonl: reference
 * values from scipy, R and GrowthBook's own test cases, and
 * tests/data/prob-best-vectors.jsonl (mpmath, made by
 * prob-best-reference.py there) and tests/data/loss-vectors.jsonl (scipy,
 * made by loss-reference.py).  Every vector of a method stats
 * implements is checked, to the tolerance it states. */
#include "unit.h"

#include <math.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>

#include "pure/stats.h"

static cJSON **vectors;
static size_t nvectors;

static void load_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;

	ck_assert_msg(fp != NULL, "cannot open %s (run from the top directory)", path);
	while (getline(&line, &cap, fp) > 0) {
		vectors = realloc(vectors, (nvectors + 1) * sizeof(*vectors));
		vectors[nvectors] = cJSON_Parse(line);
		ck_assert_ptr_nonnull(vectors[nvectors]);
		nvectors++;
	}
	free(line);
	fclose(fp);
}

static void load(void)
{
	load_file("tests/data/stats-vectors.jsonl");
	load_file("tests/data/prob-best-vectors.jsonl");
	load_file("tests/data/loss-vectors.jsonl");
}

static double num(const cJSON *o, const char *path)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, path);

	ck_assert_msg(cJSON_IsNumber(v), "missing number '%s'", path);
	return v->valuedouble;
}

static double tol(const cJSON *vec)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(vec, "tolerance");

	return cJSON_IsNumber(t) ? t->valuedouble : 1e-8;
}

#define CLOSE(got, want, t, what)                                                  \
	ck_assert_msg(fabs((got) - (double)(want)) <= (t) * fmax(1, fabs((double)(want))), \
		      "%s: got %.12g, want %.12g", what, (double)(got), (double)(want))

/* Run fn on every vector of method; returns how many there were. */
static int each(const char *method, void (*fn)(const cJSON *in, const cJSON *out, double t))
{
	int count = 0;

	if (!vectors)
		load();
	for (size_t i = 0; i < nvectors; i++) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(vectors[i], "method");

		if (strcmp(m->valuestring, method))
			continue;
		fn(cJSON_GetObjectItemCaseSensitive(vectors[i], "inputs"),
		   cJSON_GetObjectItemCaseSensitive(vectors[i], "expected"), tol(vectors[i]));
		count++;
	}
	return count;
}

static void wilson(const cJSON *in, const cJSON *out, double t)
{
	double lo, hi;

	ck_assert_int_eq(stats_wilson(num(in, "successes"), num(in, "trials"),
				      num(in, "confidence"), &lo, &hi), 0);
	CLOSE(lo, num(out, "low"), t, "wilson low");
	CLOSE(hi, num(out, "high"), t, "wilson high");
}

START_TEST(wilson_interval)
{
	ck_assert_int_ge(each("wilson_interval", wilson), 2);
}
END_TEST

static void ztest(const cJSON *in, const cJSON *out, double t)
{
	double z, p, se;
	double xa = num(in, "conv_a"), na = num(in, "n_a"), xb = num(in, "conv_b"), nb = num(in, "n_b");

	ck_assert_int_eq(stats_ztest(xa, na, xb, nb, &z, &p), 0);
	CLOSE(z, num(out, "z"), t, "z");
	CLOSE(p, num(out, "p_two_sided"), t, "p");
	ck_assert_int_eq(stats_se_unpooled(xa, na, xb, nb, &se), 0);
	CLOSE(se, num(out, "se_unpooled"), t, "se_unpooled");
}

START_TEST(two_proportion_z_test)
{
	ck_assert_int_ge(each("two_proportion_z_test", ztest), 2);
}
END_TEST

static void cs(const cJSON *in, const cJSON *out, double t)
{
	double lo, hi, p;
	const cJSON *ci = cJSON_GetObjectItemCaseSensitive(out, "ci");

	CLOSE(stats_cs_rho(num(in, "alpha"), num(in, "N_star")), num(out, "rho"), t, "rho");
	ck_assert_int_eq(stats_confidence_sequence(num(in, "estimate"), num(in, "se"),
						   num(in, "N_total"), num(in, "alpha"),
						   num(in, "N_star"), &lo, &hi, &p), 0);
	CLOSE((hi - lo) / 2, num(out, "halfwidth"), t, "halfwidth");
	CLOSE(lo, cJSON_GetArrayItem(ci, 0)->valuedouble, t, "ci low");
	CLOSE(hi, cJSON_GetArrayItem(ci, 1)->valuedouble, t, "ci high");
	CLOSE(p, num(out, "p_value"), t, "always-valid p");
}

START_TEST(confidence_sequence)
{
	ck_assert_int_ge(each("confidence_sequence_growthbook", cs), 1);
}
END_TEST

static void beats(const cJSON *in, const cJSON *out, double t)
{
	double aa = num(in, "alpha_a"), ba = num(in, "beta_a");
	double ab = num(in, "alpha_b"), bb = num(in, "beta_b");
	double p, loss_b, loss_a;

	ck_assert_int_eq(stats_prob_b_beats_a(aa, ba, ab, bb, &p), 0);
	CLOSE(p, num(out, "p_b_gt_a"), t, "P(B>A)");
	ck_assert_int_eq(stats_expected_loss(aa, ba, ab, bb, &loss_b), 0);
	CLOSE(loss_b, num(out, "expected_loss_choose_b"), t, "loss choosing B");
	ck_assert_int_eq(stats_expected_loss(ab, bb, aa, ba, &loss_a), 0);
	CLOSE(loss_a, num(out, "expected_loss_choose_a"), t, "loss choosing A");
}

START_TEST(prob_beta_b_beats_a)
{
	ck_assert_int_ge(each("prob_beta_b_beats_a", beats), 2);
}
END_TEST

static void best(const cJSON *in, const cJSON *out, double t)
{
	const cJSON *arms = cJSON_GetObjectItemCaseSensitive(in, "arms_successes_trials");
	const cJSON *prior = cJSON_GetObjectItemCaseSensitive(in, "prior");
	const cJSON *want = cJSON_GetObjectItemCaseSensitive(out, "prob_best");
	size_t k = (size_t)cJSON_GetArraySize(arms);
	double a[16], b[16], p[16], total = 0;

	ck_assert_uint_le(k, 16);
	for (size_t i = 0; i < k; i++) {
		double x = cJSON_GetArrayItem(cJSON_GetArrayItem(arms, (int)i), 0)->valuedouble;
		double n = cJSON_GetArrayItem(cJSON_GetArrayItem(arms, (int)i), 1)->valuedouble;

		a[i] = cJSON_GetArrayItem(prior, 0)->valuedouble + x;
		b[i] = cJSON_GetArrayItem(prior, 1)->valuedouble + n - x;
	}
	ck_assert_int_eq(stats_prob_best(k, a, b, p), 0);
	for (size_t i = 0; i < k; i++) {
		CLOSE(p[i], cJSON_GetArrayItem(want, (int)i)->valuedouble, t, "prob_best");
		total += p[i];
	}
	CLOSE(total, 1.0, 1e-8, "prob_best sums to 1");
}

/* Where GSL's Beta CDF is too noisy to refine on (hundreds of millions of
 * trials next to a flat prior) the quadrature stops halving and answers
 * or says it cannot: it does not run on (the suite's timeout would say). */
START_TEST(prob_best_stops_where_the_cdf_is_noise)
{
	double a[3] = { 1, 1 + 1e6, 1 + 5e8 }, b[3] = { 1, 1 + 9e6, 1 + 4.5e9 }, p[3];
	int rc = stats_prob_best(3, a, b, p);

	if (rc == 0)
		CLOSE(p[0] + p[1] + p[2], 1, 1e-8, "an answer sums to 1");
	else
		ck_assert_int_eq(rc, -1);
	/* Large but workable counts still answer, summing to 1. */
	for (int i = 0; i < 3; i++) {
		a[i] = 1 + 1e5 + 300 * (i - 1);
		b[i] = 1 + 9e5 - 300 * (i - 1);
	}
	ck_assert_int_eq(stats_prob_best(3, a, b, p), 0);
	CLOSE(p[0] + p[1] + p[2], 1, 1e-9, "sums to 1");
}
END_TEST

/* Both losses from one integral equal the two integrals, either way round. */
START_TEST(both_losses_from_one_integral)
{
	const double cases[][4] = { { 11, 91, 16, 86 }, { 16, 86, 11, 91 }, { 2, 2, 2, 2 },
				    { 1, 51, 3, 49 }, { 2398, 5404, 34, 168 },
				    { 50001, 450001, 50101, 449901 } };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const double *c = cases[i];
		double lb, la, one_b, one_a;

		ck_assert_int_eq(stats_expected_losses(c[0], c[1], c[2], c[3], &lb, &la), 0);
		ck_assert_int_eq(stats_expected_loss(c[0], c[1], c[2], c[3], &one_b), 0);
		ck_assert_int_eq(stats_expected_loss(c[2], c[3], c[0], c[1], &one_a), 0);
		CLOSE(lb, one_b, 1e-10, "loss of choosing B");
		CLOSE(la, one_a, 1e-10, "loss of choosing A");
		ck_assert(la >= 0 && lb >= 0);
	}
}
END_TEST

/* The expected loss, by Miller's sums for whole parameters and by the
 * integral otherwise or when it is small: absolute to the vector's
 * tolerance, and within 1e-7 of itself, which only the integral keeps
 * for the smallest losses (the sums cancel there). */
static void loss(const cJSON *in, const cJSON *out, double t)
{
	double want = num(out, "loss"), got;

	ck_assert_int_eq(stats_expected_loss(num(in, "alpha_a"), num(in, "beta_a"),
					     num(in, "alpha_b"), num(in, "beta_b"), &got), 0);
	CLOSE(got, want, t, "expected loss");
	ck_assert_msg(fabs(got - want) <= 1e-7 * want,
		      "expected loss %.15g, want %.15g relative to 1e-7", got, want);
}

START_TEST(expected_loss_reference)
{
	ck_assert_int_ge(each("expected_loss", loss), 19);
}
END_TEST

START_TEST(prob_best_beta_arms)
{
	ck_assert_int_ge(each("prob_best_beta_arms", best), 8);
}
END_TEST

/* Two arms: P(best) of B is P(B > A), which stats_prob_b_beats_a gives
 * by Miller's exact sum, on narrow, wide and lopsided pairs. */
START_TEST(prob_best_of_two_is_the_exact_sum)
{
	const double n[] = { 10, 100, 1000, 20000 };

	for (size_t i = 0; i < 4; i++)
		for (size_t j = 0; j < 4; j++)
			for (double ra = 0.02; ra < 0.5; ra += 0.11) {
				double a[2] = { 1 + floor(n[i] * ra), 1 + floor(n[j] * 0.1) };
				double b[2] = { 1 + n[i] - (a[0] - 1), 1 + n[j] - (a[1] - 1) };
				double p[2], exact;

				ck_assert_int_eq(stats_prob_best(2, a, b, p), 0);
				ck_assert_int_eq(stats_prob_b_beats_a(a[0], b[0], a[1], b[1], &exact), 0);
				CLOSE(p[1], exact, 1e-9, "P(best) of the second of two");
				CLOSE(p[0], 1 - exact, 1e-9, "P(best) of the first of two");
			}
}
END_TEST

/* Many arms at once (the O(k) path): k equal arms are each best with
 * 1/k; the order of the arms does not matter; the sum is 1; an arm far
 * below the others is never best. */
START_TEST(prob_best_of_many_arms)
{
	size_t k = 1000;
	double *a = calloc(k, sizeof(double)), *b = calloc(k, sizeof(double));
	double *p = calloc(k, sizeof(double)), *q = calloc(k, sizeof(double)), total = 0;

	for (size_t i = 0; i < k; i++) {
		a[i] = 101;
		b[i] = 901;
	}
	ck_assert_int_eq(stats_prob_best(k, a, b, p), 0);
	for (size_t i = 0; i < k; i++)
		CLOSE(p[i], 1.0 / (double)k, 1e-9, "equal arms");
	for (size_t i = 0; i < k; i++)
		a[i] = 91 + (double)((i * 7919) % 21); /* 90 to 110 conversions */
	a[k - 1] = 11;
	ck_assert_int_eq(stats_prob_best(k, a, b, p), 0);
	for (size_t i = 0; i < k; i++) {
		q[i] = a[k - 1 - i];
		total += p[i];
	}
	CLOSE(total, 1, 1e-8, "many arms sum to 1");
	ck_assert_msg(p[k - 1] < 1e-12, "an arm far below is best with %g", p[k - 1]);
	memcpy(a, q, k * sizeof(double));
	ck_assert_int_eq(stats_prob_best(k, a, b, q), 0);
	for (size_t i = 0; i < k; i++)
		CLOSE(q[i], p[k - 1 - i], 1e-10, "reversed order");
	free(a);
	free(b);
	free(p);
	free(q);
}
END_TEST

/* Arms with the same posterior are integrated once, as a group: on sets
 * with ties (among the leaders, among the laggards, interleaved with the
 * others, all alike) the grouped answer is the arm-by-arm one to 1e-12,
 * every member of a group gets the same value, and with no ties at all
 * the two are the same to the bit. */
START_TEST(prob_best_grouped_equals_arm_by_arm)
{
	static const double tied[][2][8] = {
		/* { alphas }, { betas }: successes + 1 and failures + 1 */
		{ { 21, 21, 15, 9, 15, 21, 3, 15 }, { 81, 81, 87, 93, 87, 81, 99, 87 } },
		{ { 11, 31, 31, 11, 11, 31, 11, 31 }, { 91, 71, 71, 91, 91, 71, 91, 71 } },
		{ { 2, 2, 2, 2, 2, 2, 3, 3 }, { 2, 2, 2, 2, 2, 2, 1, 1 } },
		{ { 101, 101, 101, 101, 101, 101, 101, 101 }, { 901, 901, 901, 901, 901, 901, 901, 901 } },
		{ { 101, 101, 96, 95, 101, 96, 1001, 1001 }, { 901, 901, 906, 907, 901, 906, 9001, 9001 } },
	};
	size_t k = 300;
	double *a = calloc(k, sizeof(double)), *b = calloc(k, sizeof(double));
	double *p = calloc(k, sizeof(double)), *q = calloc(k, sizeof(double));

	for (size_t c = 0; c < sizeof(tied) / sizeof(tied[0]); c++) {
		ck_assert_int_eq(stats_prob_best(8, tied[c][0], tied[c][1], p), 0);
		ck_assert_int_eq(stats_prob_best_each(8, tied[c][0], tied[c][1], q), 0);
		for (size_t i = 0; i < 8; i++) {
			ck_assert_msg(fabs(p[i] - q[i]) <= 1e-12, "case %zu arm %zu: grouped %.17g, "
				      "arm by arm %.17g", c, i, p[i], q[i]);
			for (size_t j = 0; j < i; j++)
				if (tied[c][0][i] == tied[c][0][j] && tied[c][1][i] == tied[c][1][j])
					ck_assert(p[i] == p[j]);
		}
	}
	/* Many arms with 21 distinct counts among them, as in a wide test. */
	for (size_t i = 0; i < k; i++) {
		a[i] = 91 + (double)((i * 7919) % 21);
		b[i] = 1001 - a[i];
	}
	ck_assert_int_eq(stats_prob_best(k, a, b, p), 0);
	ck_assert_int_eq(stats_prob_best_each(k, a, b, q), 0);
	for (size_t i = 0; i < k; i++)
		ck_assert_msg(fabs(p[i] - q[i]) <= 1e-12, "wide arm %zu: grouped %.17g, arm by arm "
			      "%.17g", i, p[i], q[i]);
	/* No ties: the same arithmetic, the same bits. */
	for (size_t i = 0; i < 40; i++) {
		a[i] = 80 + (double)i;
		b[i] = 900 - (double)(i % 7);
	}
	ck_assert_int_eq(stats_prob_best(40, a, b, p), 0);
	ck_assert_int_eq(stats_prob_best_each(40, a, b, q), 0);
	for (size_t i = 0; i < 40; i++)
		ck_assert_msg(p[i] == q[i], "untied arm %zu: %.17g against %.17g", i, p[i], q[i]);
	free(a);
	free(b);
	free(p);
	free(q);
}
END_TEST

static void srm(const cJSON *in, const cJSON *out, double t)
{
	const cJSON *obs = cJSON_GetObjectItemCaseSensitive(in, "observed");
	const cJSON *w = cJSON_GetObjectItemCaseSensitive(in, "weights");
	size_t k = (size_t)cJSON_GetArraySize(obs);
	double o[8], wt[8], chi2, p;

	for (size_t i = 0; i < k; i++) {
		o[i] = cJSON_GetArrayItem(obs, (int)i)->valuedouble;
		wt[i] = cJSON_GetArrayItem(w, (int)i)->valuedouble;
	}
	ck_assert_int_eq(stats_srm(k, o, wt, &chi2, &p), 0);
	CLOSE(chi2, num(out, "chi2"), t, "chi2");
	/* p-values as small as 1e-42 are compared relative to themselves. */
	ck_assert_msg(fabs(p - num(out, "p_value")) <= t * num(out, "p_value") + 1e-300,
		      "srm p: got %.12g want %.12g", p, num(out, "p_value"));
	ck_assert_int_eq(p < 0.001, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(out, "flag_at_0.001")));
}

START_TEST(srm_chi_square)
{
	ck_assert_int_ge(each("srm_chi_square", srm), 3);
}
END_TEST

static void gb_hash(const cJSON *in, const cJSON *out, double t)
{
	double h = stats_gb_hash(cJSON_GetObjectItemCaseSensitive(in, "seed")->valuestring,
				 cJSON_GetObjectItemCaseSensitive(in, "value")->valuestring,
				 (int)num(in, "version"));

	(void)t;
	CLOSE(h, num(out, "hash"), 1e-12, "gb hash");
}

START_TEST(growthbook_hash)
{
	ck_assert_int_ge(each("gb_assignment_hash", gb_hash), 4);
	/* Version 2 by the formula of the spec, computed step by step. */
	char digits[16];

	snprintf(digits, sizeof(digits), "%u", (unsigned)stats_fnv1a32("seeda"));
	CLOSE(stats_gb_hash("seed", "a", 2), (stats_fnv1a32(digits) % 10000) / 10000.0,
	      1e-12, "v2");
	ck_assert(stats_gb_hash("", "a", 3) < 0);
	/* FNV-1a 32 of "a" is 0xe40c292c (the published test value). */
	ck_assert_uint_eq(stats_fnv1a32("a"), 0xe40c292cu);
	ck_assert_uint_eq(stats_fnv1a32(""), 0x811c9dc5u);
}
END_TEST

static void ranges(const cJSON *in, const cJSON *out, double t)
{
	const cJSON *want = cJSON_GetObjectItemCaseSensitive(out, "ranges");
	size_t k = (size_t)num(in, "num_variations");
	double r[16];

	(void)t;
	stats_gb_ranges(k, NULL, num(in, "coverage"), r);
	for (size_t i = 0; i < k; i++) {
		const cJSON *pair = cJSON_GetArrayItem(want, (int)i);

		CLOSE(r[2 * i], cJSON_GetArrayItem(pair, 0)->valuedouble, 1e-12, "range low");
		CLOSE(r[2 * i + 1], cJSON_GetArrayItem(pair, 1)->valuedouble, 1e-12, "range high");
	}
}

static void choose(const cJSON *in, const cJSON *out, double t)
{
	const cJSON *rs = cJSON_GetObjectItemCaseSensitive(in, "ranges");
	size_t k = (size_t)cJSON_GetArraySize(rs);
	double r[16];

	(void)t;
	for (size_t i = 0; i < k; i++) {
		r[2 * i] = cJSON_GetArrayItem(cJSON_GetArrayItem(rs, (int)i), 0)->valuedouble;
		r[2 * i + 1] = cJSON_GetArrayItem(cJSON_GetArrayItem(rs, (int)i), 1)->valuedouble;
	}
	ck_assert_int_eq(stats_gb_choose(k, r, num(in, "hash")), (int)num(out, "variation"));
}

START_TEST(growthbook_buckets)
{
	double w[2] = { 0.2, 0.8 }, bad[2] = { 0.5, 0.6 }, r[4];

	ck_assert_int_ge(each("gb_bucket_ranges", ranges), 3);
	ck_assert_int_ge(each("gb_choose_variation", choose), 3);
	stats_gb_ranges(2, w, 1, r);
	CLOSE(r[1], 0.2, 1e-12, "weighted");
	CLOSE(r[2], 0.2, 1e-12, "weighted");
	stats_gb_ranges(2, bad, 1, r); /* weights not summing to 1: equal */
	CLOSE(r[1], 0.5, 1e-12, "fallback");
	ck_assert_int_eq(stats_gb_choose(2, r, 1.0), -1);
}
END_TEST

/* The distributions brain uses are GSL's; the vectors pin that GSL is the
 * one expected (and that we call it with the right parameterisation). */
static void normal_cdf(const cJSON *in, const cJSON *out, double t)
{
	double want = num(out, "cdf"), got = gsl_cdf_ugaussian_P(num(in, "x"));

	ck_assert_msg(fabs(got - want) <= t * fmax(fabs(want), 1e-300) || fabs(got - want) < 1e-15,
		      "normal cdf %g: %g vs %g", num(in, "x"), got, want);
}

static void normal_ppf(const cJSON *in, const cJSON *out, double t)
{
	CLOSE(gsl_cdf_ugaussian_Pinv(num(in, "p")), num(out, "ppf"), t, "normal ppf");
}

static void beta_inc(const cJSON *in, const cJSON *out, double t)
{
	CLOSE(gsl_cdf_beta_P(num(in, "x"), num(in, "a"), num(in, "b")), num(out, "I_x"), t,
	      "incomplete beta");
}

static void lbeta(const cJSON *in, const cJSON *out, double t)
{
	const cJSON *first = cJSON_GetObjectItemCaseSensitive(out, "lbeta");

	if (!first)
		first = out->child;
	CLOSE(gsl_sf_lnbeta(num(in, "a"), num(in, "b")), first->valuedouble, t, "log beta");
}

static void chi2(const cJSON *in, const cJSON *out, double t)
{
	double want = num(out, "sf"), got = gsl_cdf_chisq_Q(num(in, "x"), num(in, "df"));

	ck_assert_msg(fabs(got - want) <= t * fmax(want, 1e-300) + 1e-300,
		      "chi2 sf: %g vs %g", got, want);
}

static void beta_q(const cJSON *in, const cJSON *out, double t)
{
	const cJSON *probs = cJSON_GetObjectItemCaseSensitive(in, "probs");
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(out, "q");

	for (int i = 0; i < cJSON_GetArraySize(probs); i++)
		CLOSE(gsl_cdf_beta_Pinv(cJSON_GetArrayItem(probs, i)->valuedouble, num(in, "a"),
					num(in, "b")),
		      cJSON_GetArrayItem(q, i)->valuedouble, t, "beta quantile");
}

START_TEST(distributions_from_gsl)
{
	ck_assert_int_ge(each("normal_cdf", normal_cdf), 5);
	ck_assert_int_ge(each("normal_ppf", normal_ppf), 5);
	ck_assert_int_ge(each("regularized_incomplete_beta", beta_inc), 8);
	ck_assert_int_ge(each("log_beta_function", lbeta), 3);
	ck_assert_int_ge(each("chi2_sf", chi2), 7);
	ck_assert_int_ge(each("beta_quantiles", beta_q), 4);
}
END_TEST

START_TEST(undefined_inputs_give_no_number)
{
	double a = 7, b = 7;

	ck_assert_int_eq(stats_wilson(0, 0, 0.95, &a, &b), -1);
	ck_assert_int_eq(stats_ztest(0, 10, 0, 10, &a, &b), -1); /* pooled rate 0 */
	ck_assert_int_eq(stats_ztest(10, 10, 10, 10, &a, &b), -1); /* pooled rate 1 */
	ck_assert_int_eq(stats_confidence_sequence(0.1, 0, 100, 0.05, 5000, &a, &b, &b), -1);
	ck_assert_int_eq(stats_prob_b_beats_a(1.5, 1, 1, 1, &a), -1);
	ck_assert_int_eq(stats_mean_sd(1, 3, 9, &a, &b), -1);
	ck_assert(a == 7);
}
END_TEST

START_TEST(holm_adjustment)
{
	/* R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02 */
	double p[4] = { 0.01, 0.04, 0.03, 0.005 }, adj[4];

	stats_holm(4, p, adj);
	CLOSE(adj[0], 0.03, 1e-12, "holm");
	CLOSE(adj[1], 0.06, 1e-12, "holm");
	CLOSE(adj[2], 0.06, 1e-12, "holm");
	CLOSE(adj[3], 0.02, 1e-12, "holm");
}
END_TEST

START_TEST(large_counts_stay_exact_and_fast)
{
	double p, q, loss;

	/* Symmetric arms: exactly one half, whichever way it is summed. */
	ck_assert_int_eq(stats_prob_b_beats_a(50001, 450001, 50001, 450001, &p), 0);
	CLOSE(p, 0.5, 1e-9, "symmetric");
	ck_assert_int_eq(stats_prob_b_beats_a(1001, 9001, 1101, 8901, &p), 0);
	ck_assert_int_eq(stats_prob_b_beats_a(1101, 8901, 1001, 9001, &q), 0);
	CLOSE(p + q, 1.0, 1e-9, "complement");
	ck_assert_int_eq(stats_expected_loss(50001, 450001, 50001, 450001, &loss), 0);
	ck_assert(loss > 0 && loss < 0.001);
}
END_TEST

START_TEST(mean_and_sd_from_sums)
{
	double mean, sd;

	/* 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample sd sqrt(32/7). */
	ck_assert_int_eq(stats_mean_sd(8, 40, 232, &mean, &sd), 0);
	CLOSE(mean, 5, 1e-12, "mean");
	CLOSE(sd, sqrt(32.0 / 7), 1e-12, "sd");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("stats");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, wilson_interval);
	tcase_add_test(tc, two_proportion_z_test);
	tcase_add_test(tc, confidence_sequence);
	tcase_add_test(tc, prob_beta_b_beats_a);
	tcase_add_test(tc, prob_best_beta_arms);
	tcase_add_test(tc, both_losses_from_one_integral);
	tcase_add_test(tc, expected_loss_reference);
	tcase_add_test(tc, prob_best_stops_where_the_cdf_is_noise);
	tcase_add_test(tc, prob_best_of_two_is_the_exact_sum);
	tcase_add_test(tc, prob_best_of_many_arms);
	tcase_add_test(tc, prob_best_grouped_equals_arm_by_arm);
	tcase_add_test(tc, srm_chi_square);
	tcase_add_test(tc, growthbook_hash);
	tcase_add_test(tc, growthbook_buckets);
	tcase_add_test(tc, distributions_from_gsl);
	tcase_add_test(tc, undefined_inputs_give_no_number);
	tcase_add_test(tc, holm_adjustment);
	tcase_add_test(tc, large_counts_stay_exact_and_fast);
	tcase_add_test(tc, mean_and_sd_from_sums);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
