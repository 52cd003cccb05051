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

/* The Beta(1 + conversions, 1 + failures) posterior of arm i. */
static void posterior(const double *trials, const double *conversions, size_t i, double *alpha,
		      double *beta)
{
	*alpha = 1 + conversions[i];
	*beta = 1 + trials[i] - conversions[i];
}

size_t ab_assign_thompson_draw(size_t k, const double *trials, const double *conversions,
			       unsigned long seed)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double best = -1;
	size_t choice = 0;

	if (!rng)
		diag_oom();
	gsl_rng_set(rng, seed);
	for (size_t i = 0; i < k; i++) {
		double alpha, beta, draw;

		posterior(trials, conversions, i, &alpha, &beta);
		draw = gsl_ran_beta(rng, alpha, beta);
		if (draw > best) {
			best = draw;
			choice = i;
		}
	}
	gsl_rng_free(rng);
	return choice;
}

int ab_assign_thompson_prob(size_t k, const double *trials, const double *conversions,
			    double *prob)
{
	double *alpha = xcalloc(k ? k : 1, sizeof(double)), *beta = xcalloc(k ? k : 1, sizeof(double));
	int rc = 0;

	for (size_t i = 0; i < k; i++)
		posterior(trials, conversions, i, &alpha[i], &beta[i]);
	if (k == 1)
		prob[0] = 1;
	else if (k > 1)
		rc = stats_prob_best(k, alpha, beta, prob);
	free(alpha);
	free(beta);
	return rc;
}

int ab_assign_thompson(size_t k, const double *trials, const double *conversions,
		       unsigned long seed, double *prob, size_t *choice)
{
	*choice = ab_assign_thompson_draw(k, trials, conversions, seed);
	return ab_assign_thompson_prob(k, trials, conversions, prob);
}
