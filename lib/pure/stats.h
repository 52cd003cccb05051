/*
 * stats.h - the statistics of brain-ab (spec/statistics.md), pure
 * functions over counts: no I/O, no allocation visible to the caller.
 *
 * Every special function and integral comes from GSL.  Functions that
 * cannot give a finite answer for their input (no trials, a pooled rate
 * of 0 or 1, zero standard error) return -1 and leave their outputs
 * alone, so that a caller prints a status instead of a non-finite number.
 *
 * Notation: arm A is the control, arm B a variant; n trials, x
 * conversions; Beta(alpha, beta) posteriors with a Beta(1,1) prior unless
 * the caller adds another.
 */
#ifndef BRAIN_STATS_H
#define BRAIN_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Wilson score interval of x successes in n > 0 trials at level 1-alpha. */
int stats_wilson(double x, double n, double level, double *low, double *high);

/* The exact McNemar test of paired binary outcomes: b pairs where only
 * the first passed, c where only the second did; under the null each
 * discordant pair is a fair coin, so p = min(1, 2 P(X <= min(b, c))) with
 * X ~ Binomial(b + c, 1/2) (GSL's binomial CDF).  No discordant pair
 * gives p = 1. */
int stats_mcnemar_exact(double b, double c, double *p);

/* The interval at level of p2 - p1 for paired proportions, Newcombe's
 * method 10 (R. G. Newcombe, "Improved confidence intervals for the
 * difference between binomial proportions based on paired data",
 * Statistics in Medicine 17 (1998) 2635-2650): the hybrid score interval
 * from the Wilson intervals (l1, u1) of p1 = (a + b)/n and (l2, u2) of
 * p2 = (a + c)/n, with phi = (ad - bc)/sqrt((a+b)(c+d)(a+c)(b+d)) (0 when
 * a margin is empty):
 *   low  = d - sqrt((p2 - l2)^2 - 2 phi (p2 - l2)(u1 - p1) + (u1 - p1)^2)
 *   high = d + sqrt((u2 - p2)^2 - 2 phi (u2 - p2)(p1 - l1) + (p1 - l1)^2)
 * where d = p2 - p1 = (c - b)/n.  a: both pass, b: only the first, c: only
 * the second, d: neither; n = a + b + c + d > 0. */
int stats_newcombe_paired(double a, double b, double c, double d, double level, double *low,
			  double *high);

/* Pooled two-proportion z-test of B against A: z and two-sided p. */
int stats_ztest(double xa, double na, double xb, double nb, double *z, double *p);

/* Unpooled standard error of p_B - p_A. */
int stats_se_unpooled(double xa, double na, double xb, double nb, double *se);

/* Always-valid confidence sequence (asymptotic, Waudby-Smith et al.;
 * GrowthBook's form) for an estimate with standard error se after
 * n_total observations, tuned for n_star: interval and always-valid p. */
int stats_confidence_sequence(double estimate, double se, double n_total, double alpha,
			      double n_star, double *low, double *high, double *p);

/* The tuning constant rho of the confidence sequence. */
double stats_cs_rho(double alpha, double n_star);

/* P(p_B > p_A) for p_A ~ Beta(aa, ba), p_B ~ Beta(ab, bb), with integer
 * first parameters: Evan Miller's closed-form sum in log space, summed
 * over the smaller of aa and ab. */
int stats_prob_b_beats_a(double aa, double ba, double ab, double bb, double *p);

/* E[max(p_A - p_B, 0)], the expected loss of choosing B, by adaptive
 * Gauss-Kronrod quadrature of f_A(t) E[(t - p_B)+] over the posterior
 * mass. */
int stats_expected_loss(double aa, double ba, double ab, double bb, double *loss);

/* Both expected losses at the cost of one integral: E[max(p_B - p_A, 0)]
 * - E[max(p_A - p_B, 0)] = mean_B - mean_A, so the smaller of the two (that
 * of choosing the arm with the higher mean, which needs its relative
 * precision) is integrated and the other is it plus the difference of the
 * means.  *loss_b = E[max(p_A - p_B, 0)], *loss_a = E[max(p_B - p_A, 0)]. */
int stats_expected_losses(double aa, double ba, double ab, double bb, double *loss_b,
			  double *loss_a);

/* P(arm i has the largest rate) for k Beta posteriors (alpha[i], beta[i]),
 * by quadrature of f_i(t) prod_{j != i} F_j(t); into prob[0..k-1] (the
 * caller's, k long).  Arms with the same posterior are integrated once,
 * as one group (the product takes F to the power of its members), so a
 * point of the quadrature costs one CDF per distinct posterior; members
 * of a group get the same value. */
int stats_prob_best(size_t k, const double *alpha, const double *beta, double *prob);

/* Groups of equal pairs (a[i], b[i]): group[i] numbers i's group, groups
 * numbered 0, 1, ... in the order of their first member; returns how many.
 * O(k log k).  What stats_prob_best integrates once per group. */
size_t stats_group_pairs(size_t k, const double *a, const double *b, size_t *group);

/* The same quadrature with every arm on its own, one CDF per arm at each
 * point: what the grouping of stats_prob_best is tested against. */
int stats_prob_best_each(size_t k, const double *alpha, const double *beta, double *prob);

/* Sample-ratio mismatch: Pearson chi-square of observed counts against
 * weights (any positive scale), df = k - 1, and its p-value. */
int stats_srm(size_t k, const double *observed, const double *weights, double *chi2,
	      double *p);

/* Holm step-down adjustment of m p-values (in any order) into adjusted. */
void stats_holm(size_t m, const double *p, double *adjusted);

/* FNV-1a 32-bit over the UTF-16 code units of a UTF-8 string (the bytes
 * for ASCII), as the GrowthBook SDKs hash. */
uint32_t stats_fnv1a32(const char *utf8);

/* GrowthBook hash: version 1 (fnv(value + seed) mod 1000 / 1000) or 2
 * (fnv(decimal of fnv(seed + value)) mod 10000 / 10000).  -1 for another
 * version. */
double stats_gb_hash(const char *seed, const char *value, int version);

/* Bucket ranges for k arms: weights (NULL, or not summing to 1 within
 * 0.01: equal) and coverage (clamped to [0,1]) into ranges[2k]. */
void stats_gb_ranges(size_t k, const double *weights, double coverage, double *ranges);

/* The arm whose range holds h, or -1. */
int stats_gb_choose(size_t k, const double *ranges, double h);

/* Mean and sample standard deviation from n, sum and sum of squares. */
int stats_mean_sd(double n, double sum, double sumsq, double *mean, double *sd);

#endif
