/*
 * ab_assign.h - which variant the next lead gets: deterministic hashing
 * as GrowthBook's SDKs do it (hashVersion 2), or Thompson sampling from
 * the Beta posteriors of the tallies.  Pure: the random seed is given.
 */
#ifndef BRAIN_AB_ASSIGN_H
#define BRAIN_AB_ASSIGN_H

#include <stddef.h>

/* The hash seed of a kind that has none recorded: "EXPERIMENT:KIND" (a
 * new string, caller frees).  Each kind of an experiment gets its own seed
 * so that the bucket of a unit in one kind says nothing about its bucket
 * in another: one seed for scripts and channels would send every unit to
 * the same index in both lists, and confound the two comparisons. */
char *ab_assign_default_seed(const char *experiment, const char *kind);

/* The arm (0 .. k-1) that unit falls in under seed, for k arms of the
 * given weights (any positive scale; normalised here, the share of the
 * chosen arm in *share).  The buckets are in the order of the arms, as
 * GrowthBook lays them out. */
size_t ab_assign_hash(size_t k, const double *weight, const char *seed, const char *unit,
		      double *share);

/* Thompson sampling: one draw from Beta(1 + conversions, 1 + trials -
 * conversions) per arm, from an MT19937 generator seeded with seed; the
 * arm with the largest draw in *choice, and each arm's probability of
 * being best in prob (k values).  -1 when P(best) cannot be computed. */
int ab_assign_thompson(size_t k, const double *trials, const double *conversions,
		       unsigned long seed, double *prob, size_t *choice);

/* The two halves of ab_assign_thompson: the arm of one draw, and every
 * arm's P(best) (which does not depend on the draw: a batch computes it
 * once). */
size_t ab_assign_thompson_draw(size_t k, const double *trials, const double *conversions,
			       unsigned long seed);
int ab_assign_thompson_prob(size_t k, const double *trials, const double *conversions,
			    double *prob);

#endif
