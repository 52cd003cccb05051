/*
 * ab_assign.h - which variant the next lead gets: deterministic hashing
 * as GrowthBook's SDKs do it (hashVersion 2), or Thompson sampling from
 * the Beta posteriors of the tallies.  Pure: the random seed is given.
 */
#ifndef BRAIN_AB_ASSIGN_H
#define BRAIN_AB_ASSIGN_H

#include <stddef.h>

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

#endif
