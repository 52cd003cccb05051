/*
 * trend.h - trend and change detection over a series of outcome scores
 * (spec/statistics.md, "Trend and regression"), pure functions for
 * brain-eval.
 *
 * Mann–Kendall gives whether the series trends (S, its tie-corrected
 * variance, Z with continuity correction, two-sided p); Sen's slope says
 * how fast, per day of real time.  The two change detectors look for an
 * abrupt drop: the lower tabular CUSUM against a baseline, and
 * Page–Hinkley against the running mean.  Each returns where it first
 * alarms, so the output can say which point set it off.
 */
#ifndef BRAIN_TREND_H
#define BRAIN_TREND_H

#include <stddef.h>

struct trend_mk {
	double s;          /* sum of sgn(y_j - y_i) over i < j */
	double var_s;      /* Var(S), ties subtracted */
	double z;          /* (S - 1)/sqrt(var) for S > 0, (S + 1)/sqrt(var) for S < 0 */
	double p;          /* two-sided */
};

/* Mann–Kendall over n values; -1 when n < 2 or the variance is 0. */
int trend_mann_kendall(const double *y, size_t n, struct trend_mk *out);

/* The smallest two-sided p Mann–Kendall can give over n points (those of a
 * strictly monotone series); 1 when n < 3.  At alpha 0.05 a series needs
 * 5 points before the test can be significant at all. */
double trend_mann_kendall_min_p(size_t n);

/* Sen's slope: the median of (y_j - y_i)/(t_j - t_i) over pairs with
 * t_j != t_i (t in days, in any order; finite values), exactly the one a
 * sort of all the slopes gives (the mean of the two middle ones for an
 * even count), found without storing them: O(n log n) time and O(n)
 * memory.  When more than about 2n slopes lie within rounding of the
 * median and it is neither 0 nor the slope of an exactly linear series on
 * a binary grid (a noise-free line of decimal scores): up to 2^24 pairs,
 * one pass over every pair counts the slopes of the few doubles about it,
 * still exactly; beyond, the double at which the count of the true slopes
 * reaches the middle rank, within a few units in the last place of the
 * sorted median, in O(n log n).  Only where the keys' rounding cannot be
 * bounded (scores near DBL_MAX) is every pair scanned.  -1 when there is
 * no such pair. */
int trend_sen_slope(const double *t, const double *y, size_t n, double *slope);

/* Lower tabular CUSUM: C-_i = max(0, (mu0 - k) - x_i + C-_{i-1}); also
 * C+ for completeness.  Arrays may be NULL.  Returns the 0-based index of
 * the first point where C- exceeds h, or -1. */
long trend_cusum(const double *x, size_t n, double mu0, double k, double h,
		 double *c_plus, double *c_minus);

/* Page–Hinkley for a drop: the running mean includes x_i;
 * m_i = alpha m_{i-1} + (mean_i - x_i - delta); PH_i = m_i - min_{s<=i} m_s
 * (with m_0 = 0).  ph may be NULL.  Returns the 0-based index of the first
 * PH_i > lambda, or -1. */
long trend_page_hinkley(const double *x, size_t n, double delta, double lambda,
			double alpha, double *ph);

#endif
