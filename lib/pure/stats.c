/* stats.c - brain-ab's statistics over GSL; see stats.h and
 * spec/statistics.md for the formulas. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>

#include "diag.h"
#include "pure/stats.h"
#include "banned.h"

#define QUAD_LIMIT 1000

int stats_wilson(double x, double n, double level, double *low, double *high)
{
	double z, p, z2n, centre, half;

	if (!(n > 0) || x < 0 || x > n || !(level > 0 && level < 1))
		return -1;
	z = gsl_cdf_ugaussian_Pinv(1 - (1 - level) / 2);
	p = x / n;
	z2n = z * z / n;
	centre = (p + z2n / 2) / (1 + z2n);
	half = z * sqrt(p * (1 - p) / n + z2n / (4 * n)) / (1 + z2n);
	*low = fmax(0, centre - half);
	*high = fmin(1, centre + half);
	return 0;
}

int stats_mcnemar_exact(double b, double c, double *p)
{
	double n = b + c, k = b < c ? b : c;

	if (!(b >= 0 && c >= 0) || n > UINT_MAX)
		return -1;
	if (n == 0) {
		*p = 1;
		return 0;
	}
	*p = fmin(1, 2 * gsl_cdf_binomial_P((unsigned)k, 0.5, (unsigned)n));
	return 0;
}

int stats_newcombe_paired(double a, double b, double c, double d, double level, double *low,
			  double *high)
{
	double n = a + b + c + d, p1, p2, l1, u1, l2, u2, den, phi = 0, diff;

	if (!(a >= 0 && b >= 0 && c >= 0 && d >= 0) || !(n > 0) ||
	    stats_wilson(a + b, n, level, &l1, &u1) || stats_wilson(a + c, n, level, &l2, &u2))
		return -1;
	p1 = (a + b) / n;
	p2 = (a + c) / n;
	den = (a + b) * (c + d) * (a + c) * (b + d);
	if (den > 0)
		phi = (a * d - b * c) / sqrt(den);
	diff = p2 - p1;
	*low = diff - sqrt(fmax(0, (p2 - l2) * (p2 - l2) - 2 * phi * (p2 - l2) * (u1 - p1) +
				      (u1 - p1) * (u1 - p1)));
	*high = diff + sqrt(fmax(0, (u2 - p2) * (u2 - p2) - 2 * phi * (u2 - p2) * (p1 - l1) +
				       (p1 - l1) * (p1 - l1)));
	return 0;
}

int stats_ztest(double xa, double na, double xb, double nb, double *z, double *p)
{
	double pooled, se;

	if (!(na > 0 && nb > 0))
		return -1;
	pooled = (xa + xb) / (na + nb);
	se = sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb));
	if (!(se > 0))
		return -1;
	*z = (xb / nb - xa / na) / se;
	*p = 2 * gsl_cdf_ugaussian_Q(fabs(*z));
	return 0;
}

int stats_se_unpooled(double xa, double na, double xb, double nb, double *se)
{
	double pa, pb, v;

	if (!(na > 0 && nb > 0))
		return -1;
	pa = xa / na;
	pb = xb / nb;
	v = pa * (1 - pa) / na + pb * (1 - pb) / nb;
	if (!(v > 0))
		return -1;
	*se = sqrt(v);
	return 0;
}

double stats_cs_rho(double alpha, double n_star)
{
	double l = -2 * log(alpha);

	return sqrt((l + log(l + 1)) / n_star);
}

int stats_confidence_sequence(double estimate, double se, double n_total, double alpha,
			      double n_star, double *low, double *high, double *p)
{
	double rho, r2n, half, z, e;

	if (!(se > 0) || !(n_total > 0) || !(alpha > 0 && alpha < 1) || !(n_star > 0))
		return -1;
	rho = stats_cs_rho(alpha, n_star);
	r2n = rho * rho * n_total;
	half = se * sqrt(n_total) *
	       sqrt(2 * (r2n + 1) / (n_total * n_total * rho * rho) * log(sqrt(r2n + 1) / alpha));
	z = estimate / se;
	/* e-value in log space: it overflows long before p reaches 0. */
	e = r2n * z * z / (2 * (r2n + 1)) - 0.5 * log(r2n + 1);
	*low = estimate - half;
	*high = estimate + half;
	*p = e <= 0 ? 1 : fmin(1, exp(-e));
	return 0;
}

static int is_whole(double v)
{
	return v >= 1 && v == floor(v) && v < 1e15;
}

/* P(X_b > X_a) summed over the first parameter of b (Evan Miller):
 * sum_{i<ab} B(aa+i, ba+bb) / ((bb+i) B(1+i, bb) B(aa, ba)).  Each term
 * is the one before times (aa+i)(bb+i) / ((aa+ba+bb+i)(1+i)), the
 * ratio of the Beta functions written out, so only the first costs
 * ln B; the terms are kept as logarithms, since the first can be far
 * below the smallest double while later ones are not, and each step adds
 * log1p of the ratio less one, whose numerator is exact for whole
 * parameters below 2^26. */
static double miller_sum(double aa, double ba, double ab, double bb)
{
	double total = 0;
	double lt = gsl_sf_lnbeta(aa, ba + bb) - log(bb) - gsl_sf_lnbeta(1, bb) -
		    gsl_sf_lnbeta(aa, ba);

	for (double i = 0; i < ab; i++) {
		total += exp(lt);
		double den = (aa + ba + bb + i) * (1 + i);

		lt += log1p(((aa + i) * (bb + i) - den) / den);
	}
	return total;
}

int stats_prob_b_beats_a(double aa, double ba, double ab, double bb, double *p)
{
	if (!is_whole(aa) || !is_whole(ab) || !(ba > 0) || !(bb > 0))
		return -1;
	/* The sum has as many terms as its first parameter: sum over the
	 * smaller one, using P(B > A) = 1 - P(A > B). */
	if (ab <= aa)
		*p = miller_sum(aa, ba, ab, bb);
	else
		*p = 1 - miller_sum(ab, bb, aa, ba);
	*p = fmin(1, fmax(0, *p));
	return 0;
}

/* Where a Beta posterior has its mass: mean +/- 40 sd, within [0, 1]. */
static void beta_support(double a, double b, double *lo, double *hi)
{
	double mean = a / (a + b);
	double sd = sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)));

	*lo = fmax(0, mean - 40 * sd);
	*hi = fmin(1, mean + 40 * sd);
}

struct loss_params {
	double aa, ba, ab, bb, mean_b;
};

/* f_A(t) * E[(t - p_B)+] = f_A(t) (t F_B(t) - mean_B I_t(ab + 1, bb)). */
static double loss_integrand(double t, void *arg)
{
	const struct loss_params *q = arg;
	double inner = t * gsl_cdf_beta_P(t, q->ab, q->bb) -
		       q->mean_b * gsl_cdf_beta_P(t, q->ab + 1, q->bb);

	return gsl_ran_beta_pdf(t, q->aa, q->ba) * fmax(0, inner);
}

static int integrate(gsl_function *f, double lo, double hi, double *out)
{
	gsl_integration_workspace *w = gsl_integration_workspace_alloc(QUAD_LIMIT);
	gsl_error_handler_t *old = gsl_set_error_handler_off();
	double err;
	int rc;

	if (!w)
		diag_oom();
	rc = gsl_integration_qag(f, lo, hi, 1e-13, 1e-10, QUAD_LIMIT, GSL_INTEG_GAUSS61, w,
				 out, &err);
	gsl_set_error_handler(old);
	gsl_integration_workspace_free(w);
	/* A roundoff warning with a tiny error estimate is still an answer. */
	return (rc == GSL_SUCCESS || (rc == GSL_EROUND && err < 1e-9)) && isfinite(*out) ? 0 : -1;
}

/* E[(p_A - p_B)+] = E[p_A 1{p_A > p_B}] - E[p_B 1{p_A > p_B}]
 *                = mean_A P(A+ > B) - mean_B P(A > B+),
 * where X+ is X's Beta with one more success (p f_X(p) is mean_X times
 * its density): two of Miller's sums, for whole first parameters whose
 * sums are shorter than the integral's cost.  The difference is good to
 * about 1e-12 absolute; a loss below LOSS_BY_SUMS_FLOOR is left to the
 * integral, which keeps its relative precision. */
#define LOSS_BY_SUMS_TERMS 4000
#define LOSS_BY_SUMS_FLOOR 1e-7
static int loss_by_sums(double aa, double ba, double ab, double bb, double *loss)
{
	double a_plus, b_plus;

	if (!is_whole(aa) || !is_whole(ab) || fmin(aa, ab) + 1 > LOSS_BY_SUMS_TERMS)
		return -1;
	if (stats_prob_b_beats_a(ab, bb, aa + 1, ba, &a_plus) ||
	    stats_prob_b_beats_a(ab + 1, bb, aa, ba, &b_plus))
		return -1;
	*loss = aa / (aa + ba) * a_plus - ab / (ab + bb) * b_plus;
	return *loss >= LOSS_BY_SUMS_FLOOR && isfinite(*loss) ? 0 : -1;
}

int stats_expected_loss(double aa, double ba, double ab, double bb, double *loss)
{
	struct loss_params q = { aa, ba, ab, bb, ab / (ab + bb) };
	gsl_function f = { loss_integrand, &q };
	double lo, hi;

	if (!(aa > 0 && ba > 0 && ab > 0 && bb > 0))
		return -1;
	if (!loss_by_sums(aa, ba, ab, bb, loss))
		return 0;
	beta_support(aa, ba, &lo, &hi);
	if (integrate(&f, lo, hi, loss))
		return -1;
	*loss = fmax(0, *loss);
	return 0;
}

int stats_expected_losses(double aa, double ba, double ab, double bb, double *loss_b,
			  double *loss_a)
{
	double mean_a = aa / (aa + ba), mean_b = ab / (ab + bb);

	if (mean_b >= mean_a) {
		if (stats_expected_loss(aa, ba, ab, bb, loss_b))
			return -1;
		*loss_a = *loss_b + (mean_b - mean_a);
	} else {
		if (stats_expected_loss(ab, bb, aa, ba, loss_a))
			return -1;
		*loss_b = *loss_a + (mean_a - mean_b);
	}
	return 0;
}

/* P(best) for all k arms in one quadrature of the vector integrand
 * f_i(t) prod_{j != i} F_j(t), i = 0..k-1.  Arms with the same posterior
 * (the same alpha and beta: common when many arms have the same counts)
 * are one group, and the integrand of a member of group g, with m_h
 * members in group h, is f_g(t) F_g(t)^(m_g - 1) prod_{h != g} F_h(t)^m_h:
 * a point costs O(groups) (each distinct CDF once; the products left and
 * right of g by a running product and a suffix array), where one integral
 * per arm would cost O(k^2) and one CDF per arm O(k).  With every group
 * of one member the arithmetic is that of the arms one by one, to the
 * bit.  The region is where the maximum has its mass,
 * [max_i lo_i, max_i hi_i] (an arm whose mass ends below it is never
 * best: P = 0, F = 1 there), narrowed by bisection to where all but 1e-15
 * of it lies (best_trim), and cut into panels no wider than BEST_WIDTH sd
 * of the narrowest posterior with mass there.  A panel's 10-point
 * Gauss-Legendre estimate is kept when the 8-point one agrees with it,
 * else the panel is halved. */
#define BEST_NODES 10
#define BEST_CHECK 8
/* Panels start at three sd, where the 10-point rule is exact to about
 * 1e-14 for a smooth density (at two, to 1e-16, but with half again as
 * many points; at four the halvings cost more than they save): past a few halvings what is left is the noise of the
 * CDF itself (GSL's grows with the parameters, to 1e-8 relative at 1e9
 * trials), which halving forever would only chase. */
#define BEST_WIDTH 3
#define BEST_DEPTH 12
#define BEST_FAILED 1e-6 /* a difference left at the last depth that means no answer */
#define BEST_PANELS 4096
#define BEST_ERROR 1e-11    /* absolute, over the whole region */
#define BEST_RELATIVE 1e-10 /* of the mass of a panel */

/* Everything below indexes groups, not arms: k is the number of groups. */
struct best {
	size_t k;
	double *alpha, *beta;       /* each group's posterior */
	double *members;            /* how many arms share it */
	double *lnorm;              /* ln B(alpha, beta) */
	double *lo, *hi, *sd;       /* where each posterior has its mass */
	double *cdf, *pdf, *right;  /* per point, k each */
	double *own;                /* per point: F^(members - 1) */
	double *scratch;            /* two estimates of k for each depth of best_refine */
	unsigned char *active;
	gsl_integration_glfixed_table *gl, *check;
	double tol;                 /* allowed difference per unit of width */
	int failed;
};

/* out[g] += w * f_g(t) F_g(t)^(m_g - 1) prod_{h != g} F_h(t)^m_h. */
static void best_point(struct best *b, double t, double w, double *out)
{
	double left = 1, lt = log(t), lu = log1p(-t);

	for (size_t j = 0; j < b->k; j++) {
		double f;

		b->cdf[j] = 1;
		b->pdf[j] = 0;
		b->own[j] = 1;
		if (!b->active[j])
			continue;
		f = gsl_cdf_beta_P(t, b->alpha[j], b->beta[j]);
		b->pdf[j] = exp((b->alpha[j] - 1) * lt + (b->beta[j] - 1) * lu - b->lnorm[j]);
		if (b->members[j] > 1) {
			b->own[j] = pow(f, b->members[j] - 1);
			f *= b->own[j];
		}
		b->cdf[j] = f;
	}
	b->right[b->k - 1] = 1;
	for (size_t j = b->k - 1; j > 0; j--)
		b->right[j - 1] = b->right[j] * b->cdf[j];
	for (size_t j = 0; j < b->k; j++) {
		out[j] += w * b->pdf[j] * left * b->right[j] * b->own[j];
		left *= b->cdf[j];
	}
}

/* The Gauss-Legendre estimate of table over [lo, hi] into out. */
static void best_panel(struct best *b, const gsl_integration_glfixed_table *table, double lo,
		       double hi, double *out)
{
	memset(out, 0, b->k * sizeof(*out));
	for (size_t i = 0; i < table->n; i++) {
		double t, w;

		gsl_integration_glfixed_point(lo, hi, i, &t, &w, table);
		best_point(b, t, w, out);
	}
}

/* Adds the integral over [lo, hi] to sum: the 10-point estimate when the
 * 8-point one agrees with it, else each half's in turn.  A panel whose
 * estimate is nothing at all is not checked: it is too narrow to hide a
 * posterior between its nodes.  The mass counts every arm of a group. */
static void best_refine(struct best *b, double lo, double hi, int depth, double *sum)
{
	double mid = lo + (hi - lo) / 2, diff = 0, mass = 0, allowed;
	double *fine = b->scratch + (size_t)depth * 2 * b->k, *coarse = fine + b->k;

	best_panel(b, b->gl, lo, hi, fine);
	for (size_t j = 0; j < b->k; j++)
		mass += b->members[j] * fabs(fine[j]);
	allowed = b->tol * (hi - lo);
	if (mass > allowed / 16) {
		best_panel(b, b->check, lo, hi, coarse);
		for (size_t j = 0; j < b->k; j++)
			diff = fmax(diff, fabs(fine[j] - coarse[j]));
		/* GSL's Beta CDF is good to about 1e-11 relative at large
		 * parameters: ask no more of a panel than a tenth of that. */
		allowed = fmax(allowed, BEST_RELATIVE * mass);
	}
	if (diff <= allowed || depth == BEST_DEPTH || !(mid > lo && mid < hi)) {
		b->failed |= diff > allowed && diff > BEST_FAILED;
		for (size_t j = 0; j < b->k; j++)
			sum[j] += fine[j];
	} else {
		best_refine(b, lo, mid, depth + 1, sum);
		best_refine(b, mid, hi, depth + 1, sum);
	}
}

/* Whether what is cut at t is below BEST_TAIL: below t (upper 0), where
 * P(max <= t) = prod F_j(t), whether sum ln F_j(t) <= cut; above t, where
 * sum (1 - F_j(t)) bounds P(max > t), whether ln of that sum <= cut.  Over
 * arms, so a group counts as many times as it has members.  Each term
 * moves the sum one way (ln F <= 0, 1 - F >= 0), and rounding keeps that
 * order, so the answer is known, and the same, as soon as a partial sum
 * is past the cut. */
static int best_tail_below(const struct best *b, double t, int upper, double cut)
{
	double sum = 0;

	for (size_t j = 0; j < b->k; j++) {
		if (!b->active[j])
			continue;
		if (upper) {
			sum += b->members[j] * gsl_cdf_beta_Q(t, b->alpha[j], b->beta[j]);
			if (log(sum) > cut)
				return 0;
		} else {
			sum += b->members[j] * log(gsl_cdf_beta_P(t, b->alpha[j], b->beta[j]));
			if (sum <= cut)
				return 1;
		}
	}
	return upper ? log(sum) <= cut : sum <= cut;
}

/* Narrows [*lo, *hi] to where the maximum has all but BEST_TAIL of its
 * mass at each end, by bisection: below t the integrands hold exactly
 * P(max <= t) = prod F_j(t) of the total, above t at most
 * sum (1 - F_j(t)), so what is cut is bounded, not estimated. */
#define BEST_TAIL 1e-15
#define BEST_BISECT 24
/* The point in [a, c] where what best_tail_below bounds crosses
 * BEST_TAIL, on the side where it is below. */
static double best_cut(const struct best *b, double a, double c, int upper)
{
	double cut = log(BEST_TAIL);

	for (int i = 0; i < BEST_BISECT && a < c; i++) {
		double m = a + (c - a) / 2;

		if (best_tail_below(b, m, upper, cut) == upper)
			c = m;
		else
			a = m;
	}
	return upper ? c : a;
}

static void best_trim(const struct best *b, double *lo, double *hi)
{
	*lo = best_cut(b, *lo, *hi, 0);
	*hi = best_cut(b, *lo, *hi, 1);
}

/* The region [*lo, *hi] of the maximum; which arms have mass in it. */
static void best_region(struct best *b, double *lo, double *hi)
{
	*lo = 0;
	*hi = 0;
	for (size_t j = 0; j < b->k; j++) {
		double a = b->alpha[j], c = b->beta[j];

		beta_support(a, c, &b->lo[j], &b->hi[j]);
		b->sd[j] = sqrt(a * c / ((a + c) * (a + c) * (a + c + 1)));
		b->lnorm[j] = gsl_sf_lnbeta(a, c);
		*lo = fmax(*lo, b->lo[j]);
		*hi = fmax(*hi, b->hi[j]);
	}
	for (size_t j = 0; j < b->k; j++)
		b->active[j] = b->hi[j] > *lo;
	best_trim(b, lo, hi);
}

/* The end of the panel from t: BEST_WIDTH sd of the narrowest arm with mass at
 * t, and never past the start of a narrower arm's mass. */
static double best_next(const struct best *b, double t, double hi)
{
	double step = hi - t, end;

	for (size_t j = 0; j < b->k; j++)
		if (b->active[j] && b->lo[j] <= t && t < b->hi[j])
			step = fmin(step, BEST_WIDTH * b->sd[j]);
	end = t + step;
	for (size_t j = 0; j < b->k; j++)
		if (b->active[j] && b->lo[j] > t && b->lo[j] < end && BEST_WIDTH * b->sd[j] < step)
			end = b->lo[j];
	return end < hi && end > t ? end : hi;
}

static void best_integrate(struct best *b, double *prob)
{
	double lo, hi;

	best_region(b, &lo, &hi);
	b->tol = BEST_ERROR / (hi - lo);
	for (size_t n = 0; lo < hi && n < BEST_PANELS; n++) {
		double end = n + 1 == BEST_PANELS ? hi : best_next(b, lo, hi);

		best_refine(b, lo, end, 0, prob);
		lo = end;
	}
}

/* An arm's posterior and place, for sorting arms into groups. */
struct best_arm {
	double alpha, beta;
	size_t index;
};

static int best_arm_order(const void *x, const void *y)
{
	const struct best_arm *a = x, *c = y;

	if (a->alpha != c->alpha)
		return a->alpha < c->alpha ? -1 : 1;
	if (a->beta != c->beta)
		return a->beta < c->beta ? -1 : 1;
	return (a->index > c->index) - (a->index < c->index);
}

/* Each arm's group into group[0..k-1], groups numbered in the order of
 * their first arm; every arm its own group unless grouped; returns the
 * number of groups. */
static size_t best_groups(size_t k, const double *alpha, const double *beta, int grouped,
			  size_t *group)
{
	struct best_arm *arm = xcalloc(k, sizeof(*arm));
	size_t *first = xcalloc(k, sizeof(*first)), n = 0;

	for (size_t i = 0; i < k; i++)
		arm[i] = (struct best_arm){ alpha[i], beta[i], i };
	if (grouped)
		qsort(arm, k, sizeof(*arm), best_arm_order);
	/* first[i]: the first arm with arm i's posterior (itself if none before). */
	for (size_t i = 0; i < k; i++) {
		size_t s = i;

		if (grouped && i > 0 && arm[i].alpha == arm[i - 1].alpha &&
		    arm[i].beta == arm[i - 1].beta)
			s = i - 1;
		first[arm[i].index] = s == i ? arm[i].index : first[arm[s].index];
	}
	for (size_t i = 0; i < k; i++)
		group[i] = first[i] == i ? n++ : group[first[i]];
	free(arm);
	free(first);
	return n;
}

size_t stats_group_pairs(size_t k, const double *a, const double *b, size_t *group)
{
	return k ? best_groups(k, a, b, 1, group) : 0;
}

/* stats_prob_best, with arms of one posterior taken together when
 * grouped, or one by one. */
static int best_solve(size_t k, const double *alpha, const double *beta, int grouped,
		      double *prob)
{
	struct best b = { 0 };
	size_t *group, g;
	double *each;
	gsl_error_handler_t *old;

	for (size_t i = 0; i < k; i++)
		if (!(alpha[i] > 0 && beta[i] > 0))
			return -1;
	if (k == 0)
		return 0;
	group = xcalloc(k, sizeof(*group));
	g = best_groups(k, alpha, beta, grouped, group);
	b.k = g;
	b.alpha = xcalloc(11 * g + 2 * (BEST_DEPTH + 1) * g, sizeof(double));
	b.beta = b.alpha + g;
	b.members = b.beta + g;
	b.lnorm = b.members + g;
	b.lo = b.lnorm + g;
	b.hi = b.lo + g;
	b.sd = b.hi + g;
	b.cdf = b.sd + g;
	b.pdf = b.cdf + g;
	b.right = b.pdf + g;
	b.own = b.right + g;
	b.scratch = b.own + g;
	each = xcalloc(g, sizeof(*each));
	for (size_t i = 0; i < k; i++) {
		b.alpha[group[i]] = alpha[i];
		b.beta[group[i]] = beta[i];
		b.members[group[i]] += 1;
	}
	b.active = xcalloc(g, 1);
	b.gl = gsl_integration_glfixed_table_alloc(BEST_NODES);
	b.check = gsl_integration_glfixed_table_alloc(BEST_CHECK);
	if (!b.gl || !b.check)
		diag_oom();
	old = gsl_set_error_handler_off();
	best_integrate(&b, each);
	gsl_set_error_handler(old);
	for (size_t j = 0; j < g; j++)
		b.failed |= !isfinite(each[j]);
	for (size_t i = 0; i < k; i++)
		prob[i] = fmin(1, fmax(0, each[group[i]]));
	gsl_integration_glfixed_table_free(b.gl);
	gsl_integration_glfixed_table_free(b.check);
	free(b.alpha);
	free(b.active);
	free(each);
	free(group);
	return b.failed ? -1 : 0;
}

int stats_prob_best(size_t k, const double *alpha, const double *beta, double *prob)
{
	return best_solve(k, alpha, beta, 1, prob);
}

int stats_prob_best_each(size_t k, const double *alpha, const double *beta, double *prob)
{
	return best_solve(k, alpha, beta, 0, prob);
}

int stats_srm(size_t k, const double *observed, const double *weights, double *chi2,
	      double *p)
{
	double total = 0, wsum = 0, x2 = 0;

	if (k < 2)
		return -1;
	for (size_t i = 0; i < k; i++) {
		if (!(weights[i] > 0) || observed[i] < 0)
			return -1;
		total += observed[i];
		wsum += weights[i];
	}
	if (!(total > 0))
		return -1;
	for (size_t i = 0; i < k; i++) {
		double expected = total * weights[i] / wsum;

		x2 += (observed[i] - expected) * (observed[i] - expected) / expected;
	}
	*chi2 = x2;
	*p = gsl_cdf_chisq_Q(x2, (double)(k - 1));
	return 0;
}

static const double *holm_base;

static int holm_cmp(const void *a, const void *b)
{
	double x = holm_base[*(const size_t *)a], y = holm_base[*(const size_t *)b];

	if (x != y)
		return x < y ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

void stats_holm(size_t m, const double *p, double *adjusted)
{
	size_t *order = xcalloc(m, sizeof(*order));
	double running = 0;

	for (size_t i = 0; i < m; i++)
		order[i] = i;
	holm_base = p;
	qsort(order, m, sizeof(*order), holm_cmp);
	for (size_t r = 0; r < m; r++) {
		double v = fmin(1, (double)(m - r) * p[order[r]]);

		running = fmax(running, v);
		adjusted[order[r]] = running;
	}
	free(order);
}

uint32_t stats_fnv1a32(const char *utf8)
{
	const unsigned char *s = (const unsigned char *)utf8;
	uint32_t h = 0x811c9dc5u;

	while (*s) {
		uint32_t cp;
		int extra;

		if (*s < 0x80) {
			cp = *s;
			extra = 0;
		} else if ((*s & 0xe0) == 0xc0) {
			cp = *s & 0x1f;
			extra = 1;
		} else if ((*s & 0xf0) == 0xe0) {
			cp = *s & 0x0f;
			extra = 2;
		} else {
			cp = *s & 0x07;
			extra = 3;
		}
		s++;
		for (int i = 0; i < extra && (*s & 0xc0) == 0x80; i++, s++)
			cp = (cp << 6) | (*s & 0x3f);
		/* JavaScript strings are UTF-16: code points above the BMP are
		 * two code units, each hashed on its own. */
		if (cp >= 0x10000) {
			cp -= 0x10000;
			h ^= 0xd800 + (cp >> 10);
			h *= 0x01000193u;
			cp = 0xdc00 + (cp & 0x3ff);
		}
		h ^= cp;
		h *= 0x01000193u;
	}
	return h;
}

double stats_gb_hash(const char *seed, const char *value, int version)
{
	size_t ls = strlen(seed), lv = strlen(value);
	char *joined = xmalloc(ls + lv + 1);
	char digits[16];
	double h = -1;

	if (version == 1) {
		memcpy(joined, value, lv);
		memcpy(joined + lv, seed, ls + 1);
		h = (double)(stats_fnv1a32(joined) % 1000) / 1000;
	} else if (version == 2) {
		memcpy(joined, seed, ls);
		memcpy(joined + ls, value, lv + 1);
		snprintf(digits, sizeof(digits), "%u", (unsigned)stats_fnv1a32(joined));
		h = (double)(stats_fnv1a32(digits) % 10000) / 10000;
	}
	free(joined);
	return h;
}

void stats_gb_ranges(size_t k, const double *weights, double coverage, double *ranges)
{
	double sum = 0, start = 0;
	int equal = weights == NULL;

	coverage = fmin(1, fmax(0, coverage));
	for (size_t i = 0; weights && i < k; i++)
		sum += weights[i];
	if (weights && fabs(sum - 1) > 0.01)
		equal = 1;
	for (size_t i = 0; i < k; i++) {
		double w = equal ? 1.0 / (double)k : weights[i];

		ranges[2 * i] = start;
		ranges[2 * i + 1] = start + coverage * w;
		start += w;
	}
}

int stats_gb_choose(size_t k, const double *ranges, double h)
{
	for (size_t i = 0; i < k; i++)
		if (h >= ranges[2 * i] && h < ranges[2 * i + 1])
			return (int)i;
	return -1;
}

int stats_mean_sd(double n, double sum, double sumsq, double *mean, double *sd)
{
	double var;

	if (!(n > 1))
		return -1;
	*mean = sum / n;
	var = (sumsq - sum * sum / n) / (n - 1);
	*sd = sqrt(fmax(0, var));
	return 0;
}
