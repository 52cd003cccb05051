/* ab_assign.c - hashing and Thompson sampling; see ab_assign.h. */
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "diag.h"
#include "pure/ab_assign.h"
#include "pure/stats.h"
#include "banned.h"

char *ab_assign_default_seed(const char *experiment, const char *kind)
{
	size_t n = strlen(experiment) + strlen(kind) + 2;
	char *seed = xmalloc(n);

	snprintf(seed, n, "%s:%s", experiment, kind);
	return seed;
}

size_t ab_assign_hash(size_t k, const double *weight, const char *seed, const char *unit,
		      double *share)
{
	double *w = xcalloc(k, sizeof(*w)), *ranges = xcalloc(2 * k, sizeof(double));
	double total = 0;
	int arm;

	for (size_t i = 0; i < k; i++)
		total += weight[i];
	for (size_t i = 0; i < k; i++)
		w[i] = weight[i] / total;
	stats_gb_ranges(k, w, 1, ranges);
	arm = stats_gb_choose(k, ranges, stats_gb_hash(seed, unit, 2));
	if (arm < 0)
		arm = (int)k - 1; /* rounding at the top end of [0, 1) */
	*share = w[arm];
	free(w);
	free(ranges);
	return (size_t)arm;
}

int ab_assign_thompson(size_t k, const double *trials, const double *conversions,
		       unsigned long seed, double *prob, size_t *choice)
{
	double *alpha = xcalloc(k, sizeof(double)), *beta = xcalloc(k, sizeof(double));
	double best = -1;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	int rc = 0;

	if (!rng)
		diag_oom();
	gsl_rng_set(rng, seed);
	*choice = 0;
	for (size_t i = 0; i < k; i++) {
		double draw;

		alpha[i] = 1 + conversions[i];
		beta[i] = 1 + trials[i] - conversions[i];
		draw = gsl_ran_beta(rng, alpha[i], beta[i]);
		if (draw > best) {
			best = draw;
			*choice = i;
		}
	}
	if (k == 1)
		prob[0] = 1;
	else if (stats_prob_best(k, alpha, beta, prob))
		rc = -1;
	gsl_rng_free(rng);
	free(alpha);
	free(beta);
	return rc;
}
