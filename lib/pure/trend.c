/* trend.c - Mann–Kendall, Sen's slope, CUSUM and Page–Hinkley; see trend.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "diag.h"
#include "pure/trend.h"
#include "banned.h"

/* Sort y[0..n) ascending (into tmp and back) and return the number of
 * pairs i < j with y[i] > y[j], strictly: a merge sort that counts what
 * each element of the right half jumps over (Knight 1966). */
static double inversions(double *y, double *tmp, size_t n)
{
	size_t half = n / 2, i = 0, j = half, k = 0;
	double count;

	if (n < 2)
		return 0;
	count = inversions(y, tmp, half) + inversions(y + half, tmp, n - half);
	while (i < half && j < n) {
		if (y[i] <= y[j]) {
			tmp[k++] = y[i++];
		} else {
			count += (double)(half - i);
			tmp[k++] = y[j++];
		}
	}
	while (i < half)
		tmp[k++] = y[i++];
	while (j < n)
		tmp[k++] = y[j++];
	memcpy(y, tmp, n * sizeof(*y));
	return count;
}

int trend_mann_kendall(const double *y, size_t n, struct trend_mk *out)
{
	double ties = 0, tied_pairs = 0, discordant, pairs, s, var;
	double *sorted, *tmp;

	if (n < 2)
		return -1;
	/* S = concordant - discordant = (pairs - tied - D) - D, with D the
	 * strict inversions: O(n log n), not a loop over the pairs. */
	sorted = xmalloc(n * sizeof(*sorted));
	tmp = xmalloc(n * sizeof(*tmp));
	memcpy(sorted, y, n * sizeof(*sorted));
	discordant = inversions(sorted, tmp, n);
	free(tmp);
	/* Tie groups of size t take t(t-1)(2t+5) off the variance. */
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && sorted[j] == sorted[i])
			j++;
		double t = (double)(j - i);

		ties += t * (t - 1) * (2 * t + 5);
		tied_pairs += t * (t - 1) / 2;
		i = j;
	}
	free(sorted);
	pairs = (double)n * (double)(n - 1) / 2;
	s = pairs - tied_pairs - 2 * discordant;
	var = ((double)n * (double)(n - 1) * (2.0 * (double)n + 5) - ties) / 18;
	if (!(var > 0))
		return -1;
	out->s = s;
	out->var_s = var;
	out->z = s > 0 ? (s - 1) / sqrt(var) : s < 0 ? (s + 1) / sqrt(var) : 0;
	out->p = 2 * gsl_cdf_ugaussian_Q(fabs(out->z));
	return 0;
}

double trend_mann_kendall_min_p(size_t n)
{
	double dn = (double)n, s = dn * (dn - 1) / 2;

	if (n < 3)
		return 1;
	return 2 * gsl_cdf_ugaussian_Q((s - 1) / sqrt(dn * (dn - 1) * (2 * dn + 5) / 18));
}

int trend_sen_slope(const double *t, const double *y, size_t n, double *slope)
{
	size_t m = 0;
	double *slopes;

	if (n < 2)
		return -1;
	slopes = xmalloc(n * (n - 1) / 2 * sizeof(*slopes));
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (t[j] != t[i])
				slopes[m++] = (y[j] - y[i]) / (t[j] - t[i]);
	if (m == 0) {
		free(slopes);
		return -1;
	}
	gsl_sort(slopes, 1, m);
	*slope = gsl_stats_median_from_sorted_data(slopes, 1, m);
	free(slopes);
	return 0;
}

long trend_cusum(const double *x, size_t n, double mu0, double k, double h,
		 double *c_plus, double *c_minus)
{
	double up = 0, down = 0;
	long alarm = -1;

	for (size_t i = 0; i < n; i++) {
		up = fmax(0, x[i] - (mu0 + k) + up);
		down = fmax(0, (mu0 - k) - x[i] + down);
		if (c_plus)
			c_plus[i] = up;
		if (c_minus)
			c_minus[i] = down;
		if (alarm < 0 && down > h)
			alarm = (long)i;
	}
	return alarm;
}

long trend_page_hinkley(const double *x, size_t n, double delta, double lambda,
			double alpha, double *ph)
{
	double sum = 0, m = 0, lowest = 0;
	long alarm = -1;

	for (size_t i = 0; i < n; i++) {
		double mean, stat;

		sum += x[i];
		mean = sum / (double)(i + 1);
		m = alpha * m + (mean - x[i] - delta);
		lowest = fmin(lowest, m);
		stat = m - lowest;
		if (ph)
			ph[i] = stat;
		if (alarm < 0 && stat > lambda)
			alarm = (long)i;
	}
	return alarm;
}
