/* trend.c - Mann–Kendall, Sen's slope, CUSUM and Page–Hinkley; see trend.h. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>

#include "diag.h"
#include "pure/trend.h"
#include "banned.h"

/* a + b = *sum + the returned remainder, exactly (Knuth's TwoSum). */
static double two_sum(double a, double b, double *sum)
{
	double s = a + b, b_part = s - a;

	*sum = s;
	return (a - (s - b_part)) + (b - b_part);
}

/* A value to sort, key + low (low within half an ulp of key), and its
 * place in time order, which orders equal values. */
struct sort_key {
	double key, low;
	size_t at;
};

/* Shown each element q of a right half with the n elements of the left
 * half it is placed before. */
typedef void inversion_fn(void *arg, const struct sort_key *left, size_t n,
			  const struct sort_key *q);

/* Whether p, before q, is inverted with it: q's value is lower or, unless
 * strict, equal with q later in time. */
static int above(const struct sort_key *p, const struct sort_key *q, int strict)
{
	if (p->key != q->key)
		return p->key > q->key;
	if (p->low != q->low)
		return p->low > q->low;
	return !strict && p->at < q->at;
}

/* inversions() of a short run, by insertion. */
static uint64_t inversions_short(struct sort_key *k, size_t n, int strict, inversion_fn *each,
				 void *arg)
{
	uint64_t count = 0;

	for (size_t j = 1; j < n; j++) {
		struct sort_key q = k[j];
		size_t i = j;

		while (i > 0 && above(&k[i - 1], &q, strict))
			i--;
		if (i == j)
			continue;
		count += j - i;
		if (each)
			each(arg, k + i, j - i, &q);
		memmove(k + i + 1, k + i, (j - i) * sizeof(*k));
		k[i] = q;
	}
	return count;
}

/* Sort k[0..n) by value (equal values the later first, unless strict)
 * into tmp and back, and return the pairs i < j with k[i] above k[j],
 * showing them to each (unless NULL): a merge sort that counts what each
 * element of the right half jumps over (Knight 1966). */
static uint64_t inversions(struct sort_key *k, struct sort_key *tmp, size_t n, int strict,
			   inversion_fn *each, void *arg)
{
	size_t half = n / 2, i = 0, j = half, m = 0;
	uint64_t count;

	if (n <= 8)
		return inversions_short(k, n, strict, each, arg);
	count = inversions(k, tmp, half, strict, each, arg) +
		inversions(k + half, tmp, n - half, strict, each, arg);
	while (i < half && j < n) {
		if (above(&k[i], &k[j], strict)) {
			count += half - i;
			if (each)
				each(arg, k + i, half - i, &k[j]);
			tmp[m++] = k[j++];
		} else {
			tmp[m++] = k[i++];
		}
	}
	memcpy(tmp + m, k + i, (half - i) * sizeof(*k));
	memcpy(k, tmp, (m + half - i) * sizeof(*k));
	return count;
}

int trend_mann_kendall(const double *y, size_t n, struct trend_mk *out)
{
	double ties = 0, tied_pairs = 0, discordant, pairs, s, var;
	struct sort_key *sorted, *tmp;

	if (n < 2)
		return -1;
	/* S = concordant - discordant = (pairs - tied - D) - D, with D the
	 * strict inversions: O(n log n), not a loop over the pairs. */
	sorted = xmalloc(n * sizeof(*sorted));
	tmp = xmalloc(n * sizeof(*tmp));
	for (size_t i = 0; i < n; i++)
		sorted[i] = (struct sort_key){ y[i], 0, i };
	discordant = (double)inversions(sorted, tmp, n, 1, NULL, NULL);
	free(tmp);
	/* Tie groups of size t take t(t-1)(2t+5) off the variance. */
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && sorted[j].key == sorted[i].key)
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

/*
 * Sen's slope without the list of slopes.
 *
 * For a candidate slope s, a pair of points at times t_i < t_j has slope
 * (y_j - y_i)/(t_j - t_i) <= s exactly when its key y - s*t does not rise
 * from i to j; so the slopes at or below s are the (non-strict) inversions
 * of the keys taken in time order, and merge sort counts them in
 * O(n log n) time and O(n) memory without listing them.  A window
 * (lo, hi] around the middle ranks narrows from the extreme slopes to
 * about n slopes: first at order statistics of a sample of the slopes,
 * then at interpolated counts while that halves it, then by bisection over
 * the doubles in order (at most 64 steps).  Its pairs are then listed (the
 * inversions of the keys at hi in the order of the keys at lo), their
 * slopes computed by the formula above, and the middle ones picked.
 *
 * Keys are rounded, so a count can misplace a pair whose slope lies within
 * rounding of s.  Keys are therefore kept to about twice double precision
 * (sen_key), and the pairs listed at the window widened by a margin that
 * bounds the error (sen_margin): every pair not listed then has its slope
 * at or below lo or above hi, and the count below the widened window plus
 * the listed slopes count the slopes at most v exactly for any v in
 * [lo, hi].  The picked slopes are thus the very ones a sort of all the
 * slopes gives; a window that proves not to hold them is widened and
 * listed again.  When more slopes lie within rounding of the median than
 * can be listed in O(n) memory, the median is proved where it can be (0
 * for a flat series, the slope of an exactly linear one on a binary grid)
 * and otherwise, up to 2^24 pairs, found by one pass over every pair that
 * counts the slopes below the widened window and those of each double in
 * it (sen_tally: they are a few doubles), or failing that by a search over
 * the doubles that scans every pair per step.  Beyond 2^24 pairs the
 * middle ranks are where the keys' counts reach them (sen_crossing): the
 * median of the true slopes to within the margin, so within a few units
 * in the last place of the sorted one, in O(n log n).  Only when no margin
 * holds at all is every pair scanned: O(n) memory, quadratic time.
 */

/* A point, in time order; tp + tp_low, exactly its time from the first,
 * keeps keys small. */
struct sen_point {
	double t, y, tp, tp_low;
};

/* The series, and what bounds the rounding of its keys. */
struct sen {
	struct sen_point *p;         /* the n points by time (owned) */
	size_t n;
	struct sort_key *key, *tmp;  /* n each: scratch for the counts (owned) */
	uint64_t pairs;              /* the pairs at distinct times: the slopes */
	double ymax;                 /* the largest |y| */
	double tmax;                 /* the largest tp */
	double dtmin;                /* the least gap between distinct times */
};

/* A window of slopes (lo, hi] and the keys' counts at or below its ends. */
struct sen_window {
	double lo, hi;
	uint64_t at_lo, at_hi;
};

/* Doubles as integers in the same order, -0 and +0 as one (0), so that
 * bisection halves the doubles between two values, not their distance. */
static int64_t sen_order(double x)
{
	int64_t bits;

	if (x == 0)
		x = 0;
	memcpy(&bits, &x, sizeof(bits));
	return bits < 0 ? -(bits & INT64_MAX) : bits;
}

static double sen_unorder(int64_t order)
{
	int64_t bits = order < 0 ? -order : order;
	double x;

	memcpy(&x, &bits, sizeof(x));
	return order < 0 ? -x : x;
}

/* How many doubles up from lo hi lies (lo <= hi; -0 and +0 as one). */
static uint64_t sen_apart(double lo, double hi)
{
	return (uint64_t)sen_order(hi) - (uint64_t)sen_order(lo);
}

/* The double halfway in order between lo < hi. */
static double sen_between(double lo, double hi)
{
	return sen_unorder((int64_t)((uint64_t)sen_order(lo) + sen_apart(lo, hi) / 2));
}

/* x moved by `by` doubles up (or down), not past the largest finite one. */
static double sen_step(double x, uint64_t by, int up)
{
	uint64_t at = (uint64_t)sen_order(x), end = (uint64_t)sen_order(up ? DBL_MAX : -DBL_MAX);
	uint64_t room = up ? end - at : at - end;

	if (by > room)
		by = room;
	return sen_unorder((int64_t)(up ? at + by : at - by));
}

static int cmp_point_time(const void *a, const void *b)
{
	const struct sen_point *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

/* The points by time, the pairs at distinct times and the measures of the
 * margin; -1 when no two times differ. */
static int sen_init(struct sen *s, const double *t, const double *y, size_t n)
{
	uint64_t same = 1;

	memset(s, 0, sizeof(*s));
	s->n = n;
	s->p = xmalloc(n * sizeof(*s->p));
	s->key = xmalloc(n * sizeof(*s->key));
	s->tmp = xmalloc(n * sizeof(*s->tmp));
	for (size_t i = 0; i < n; i++)
		s->p[i] = (struct sen_point){ t[i], y[i], 0, 0 };
	qsort(s->p, n, sizeof(*s->p), cmp_point_time);
	s->pairs = (uint64_t)n * (n - 1) / 2;
	s->dtmin = INFINITY;
	for (size_t i = 0; i < n; i++) {
		s->p[i].tp_low = two_sum(s->p[i].t, -s->p[0].t, &s->p[i].tp);
		s->ymax = fmax(s->ymax, fabs(s->p[i].y));
		if (i > 0 && s->p[i].t == s->p[i - 1].t) {
			s->pairs -= same++; /* a pair at one time has no slope */
		} else {
			if (i > 0)
				s->dtmin = fmin(s->dtmin, s->p[i].t - s->p[i - 1].t);
			same = 1;
		}
	}
	s->tmax = s->p[n - 1].tp;
	return s->pairs ? 0 : -1;
}

static void sen_free(struct sen *s)
{
	free(s->p);
	free(s->key);
	free(s->tmp);
}

static int cmp_key(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;

	if (x->key != y->key)
		return x->key > y->key ? 1 : -1;
	if (x->low != y->low)
		return x->low > y->low ? 1 : -1;
	return (x->at < y->at) - (x->at > y->at); /* the later first, as above() */
}

/* The key y - slope (tp + tp_low) to about twice double precision, off by
 * less than 8u^2 (|y| + |slope| tp) (u = DBL_EPSILON/2) and underflow:
 * slope tp split exactly by fma, y less its high part exactly by two_sum,
 * the small terms last.  Returns 1 when the key is exact: no step lost a
 * bit (and the product is far from underflow). */
static int sen_key(const struct sen_point *p, double slope, struct sort_key *k)
{
	double prod = slope * p->tp, prod_low = fma(slope, p->tp, -prod), high, high_low, small;
	double lost;

	high_low = two_sum(p->y, -prod, &high);
	lost = two_sum(high_low, -prod_low, &small);
	k->low = two_sum(high, small - slope * p->tp_low, &k->key);
	return lost == 0 && p->tp_low == 0 &&
	       (slope == 0 || p->tp == 0 || fabs(prod) >= 0x1p-969);
}

/* The keys at a slope, in time order and those of one time by key: so
 * that no pair at one time is an inversion.  Returns 1 when all are exact. */
static int sen_keys(struct sen *s, double slope)
{
	size_t i, j;
	int exact = 1;

	for (i = 0; i < s->n; i++) {
		s->key[i] = (struct sort_key){ 0, 0, i };
		exact &= sen_key(&s->p[i], slope, &s->key[i]);
	}
	for (i = 0; i < s->n; i = j) {
		for (j = i + 1; j < s->n && s->p[j].t == s->p[i].t; j++)
			;
		if (j - i > 1)
			qsort(s->key + i, j - i, sizeof(*s->key), cmp_key);
	}
	return exact;
}

/* The pairs the keys put at or below a slope (strict: below).  Leaves
 * s->key sorted by key, equal keys the later time first. */
static uint64_t sen_count(struct sen *s, double slope, int strict)
{
	sen_keys(s, slope);
	return inversions(s->key, s->tmp, s->n, strict, NULL, NULL);
}

/* How far beyond a window of slopes within [-S, S] its keys must be taken
 * so that rounding cannot carry a pair across it.  A key at s is off by at
 * most e = 8u^2 (ymax + |s| tmax) + 2 tiny (sen_key), so a pair the keys
 * put at or below s has a true slope at most s + 2e/dtmin, and its computed
 * slope is within 3u of the true one plus tiny; the margin is twice what
 * that asks at |s| = S + margin.  INFINITY when no margin holds. */
static double sen_margin(const struct sen *s, double S)
{
	const double u = DBL_EPSILON / 2, tiny = DBL_TRUE_MIN;
	double c = 16 * u * u * s->tmax / s->dtmin;
	double m = 2 * ((16 * u * u * s->ymax + 4 * tiny) / s->dtmin + (c + 4 * u) * S + tiny);

	if (!(c < 0.25) || !isfinite(s->ymax + 2 * (S + m) * s->tmax))
		return INFINITY;
	return m;
}

/* The slopes a listing collects. */
struct sen_list {
	const struct sen_point *p;  /* the points the keys stand for */
	double *slope;              /* room for cap (owned) */
	size_t n, cap;
	int full;                   /* more pairs than cap: the listing stopped */
};

/* Add the slopes of q with those of the n points in left at an earlier
 * time (an inversion_fn). */
static void sen_list_add(void *arg, const struct sort_key *left, size_t n,
			 const struct sort_key *q)
{
	struct sen_list *l = arg;
	const struct sen_point *b = &l->p[q->at];

	for (size_t i = 0; i < n && !l->full; i++) {
		const struct sen_point *a = &l->p[left[i].at];

		if (a->t >= b->t)
			continue; /* no pair of the window: see sen_pick */
		if (l->n == l->cap)
			l->full = 1;
		else
			l->slope[l->n++] = (b->y - a->y) / (b->t - a->t);
	}
}

/* The k[0]-th and k[1]-th slopes (from 1) if the window holds them.  The
 * pairs not listed are those the keys at lo - margin put at or below it,
 * whose slopes are at most lo, and those the keys at hi + margin put above
 * it, whose slopes are above hi: so `below` plus the listed slopes at most
 * v count the slopes at most v for any v in [lo, hi].  0 when picked, 1
 * when the ranks lie at or below lo, 2 when above hi, -1 when the pairs
 * are too many to list or no margin holds. */
static int sen_pick(struct sen *s, const uint64_t k[2], double lo, double hi, double v[2])
{
	double m = sen_margin(s, fmax(fabs(lo), fabs(hi)));
	double top = nextafter(hi + m, INFINITY);
	struct sen_list l = { s->p, NULL, 0, 2 * s->n + 64, 0 };
	uint64_t below, at_lo = 0, at_hi;
	int rc = -1;

	if (isinf(m))
		return -1;
	below = sen_count(s, nextafter(lo - m, -INFINITY), 0);
	/* In the order of the keys at the bottom, a pair at distinct times
	 * whose keys at the top are inverted lies in the widened window. */
	for (size_t i = 0; i < s->n; i++) {
		const struct sen_point *p = &s->p[s->key[i].at];

		sen_key(p, top, &s->key[i]);
	}
	l.slope = xmalloc(l.cap * sizeof(*l.slope));
	inversions(s->key, s->tmp, s->n, 0, sen_list_add, &l);
	if (!l.full) {
		gsl_sort(l.slope, 1, l.n);
		while (at_lo < l.n && l.slope[at_lo] <= lo)
			at_lo++;
		for (at_hi = at_lo; at_hi < l.n && l.slope[at_hi] <= hi; at_hi++)
			;
		rc = below + at_lo >= k[0] ? 1 : below + at_hi < k[1] ? 2 : 0;
		if (rc == 0) {
			v[0] = l.slope[k[0] - below - 1];
			v[1] = l.slope[k[1] - below - 1];
		}
	}
	free(l.slope);
	return rc;
}

/* Over every pair: the slopes at most v, the greatest of them, the least
 * of the others. */
struct sen_scan {
	uint64_t at_most;
	double max_at_most, min_above;
};

static struct sen_scan sen_scan(const struct sen *s, double v)
{
	struct sen_scan sc = { 0, -INFINITY, INFINITY };

	for (size_t i = 0; i < s->n; i++) {
		for (size_t j = i + 1; j < s->n; j++) {
			const struct sen_point *a = &s->p[i], *b = &s->p[j];
			double slope;

			if (a->t == b->t)
				continue;
			slope = (b->y - a->y) / (b->t - a->t);
			if (slope <= v) {
				sc.at_most++;
				sc.max_at_most = fmax(sc.max_at_most, slope);
			} else {
				sc.min_above = fmin(sc.min_above, slope);
			}
		}
	}
	return sc;
}

/* The k-th slope by scanning every pair: between lo, with fewer than k
 * slopes at or below it, and hi, a slope with k or more, each scan landing
 * on a slope or just below one.  First at the guesses, then galloping
 * from the end found while the other is unknown, then bisection: about
 * two scans per bit of the distance, in doubles, from the guesses. */
static double sen_scan_rank(const struct sen *s, uint64_t k, double low_guess, double high_guess)
{
	double lo = -INFINITY, hi = INFINITY, v = high_guess;
	uint64_t gallop = 1;

	for (int probes = 0; sen_apart(lo, hi) > 1; probes++) {
		struct sen_scan sc = sen_scan(s, v);

		if (sc.at_most >= k)
			hi = sc.max_at_most;
		else
			lo = nextafter(sc.min_above, -INFINITY);
		if (probes == 0 && low_guess > lo && low_guess < hi)
			v = low_guess;
		else if (isinf(lo) || isinf(hi))
			v = isinf(lo) ? sen_step(hi, gallop, 0) : sen_step(lo, gallop, 1);
		else
			v = sen_between(lo, hi);
		if (!(v > lo && v < hi)) /* the gallop met the largest double */
			v = isinf(lo) ? -INFINITY : INFINITY;
		gallop = gallop > UINT64_MAX / 4 ? UINT64_MAX : 4 * gallop;
	}
	return hi;
}

/* The most doubles sen_tally keeps a count of each. */
#define SEN_TALLY_MAX ((size_t)1 << 16)

/* The k[0]-th and k[1]-th slopes by one pass over every pair: the slopes
 * below lo counted, those from lo to hi (a few doubles) counted by value.
 * Where too many slopes lie within rounding of the median to list, they
 * lie within a few doubles of it, so one pass does what a search over the
 * doubles would do in one pass each.  0 when both ranks fall in [lo, hi]. */
static int sen_tally(const struct sen *s, const uint64_t k[2], double lo, double hi,
		     double v[2])
{
	uint64_t below = 0, *count, seen;
	size_t width, r;
	int64_t base = sen_order(lo);

	if (!(lo <= hi) || sen_apart(lo, hi) >= SEN_TALLY_MAX)
		return -1;
	width = (size_t)sen_apart(lo, hi) + 1;
	count = xcalloc(width, sizeof(*count));
	for (size_t i = 0; i < s->n; i++) {
		const struct sen_point *a = &s->p[i];

		for (size_t j = i + 1; j < s->n; j++) {
			const struct sen_point *b = &s->p[j];
			double slope;

			if (a->t == b->t)
				continue;
			slope = (b->y - a->y) / (b->t - a->t);
			if (slope < lo)
				below++;
			else if (slope <= hi)
				count[(uint64_t)sen_order(slope) - (uint64_t)base]++;
		}
	}
	seen = below;
	for (r = 0; r < 2; r++) {
		size_t at = 0;

		if (k[r] <= below) {
			free(count);
			return -1;
		}
		for (seen = below; at < width && seen + count[at] < k[r]; at++)
			seen += count[at];
		if (at == width) {
			free(count);
			return -1;
		}
		v[r] = sen_unorder(base + (int64_t)at);
	}
	free(count);
	return 0;
}

/* The most pairs sen_tally passes over: beyond them the middle ranks are
 * found by sen_crossing, so the time stays O(n log n). */
#define SEN_TALLY_PAIRS ((uint64_t)1 << 24)

/* The least double in (lo, hi] at which the keys count k slopes or more,
 * by bisection over the doubles (at most 64 counts): where more slopes lie
 * within rounding of the median than can be listed, the median of the
 * true slopes to within the margin, so within it and 3u of the sorted
 * one.  lo when the keys count k there already, hi when they never do. */
static double sen_crossing(struct sen *s, uint64_t k, double lo, double hi)
{
	if (sen_count(s, lo, 0) >= k)
		return lo;
	if (sen_count(s, hi, 0) < k)
		return hi;
	while (sen_apart(lo, hi) > 1) {
		double mid = sen_between(lo, hi);

		if (sen_count(s, mid, 0) >= k)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* Whether every difference of two times (or scores) is exact: all are
 * multiples of one power of two, and less than 2^53 of it apart. */
static int sen_exact_differences(const struct sen *s, int times)
{
	int top = INT_MIN, bottom = INT_MAX;

	for (size_t i = 0; i < s->n; i++) {
		double x = times ? s->p[i].t : s->p[i].y;
		uint64_t digits;
		int e, low;

		if (x == 0)
			continue;
		digits = (uint64_t)ldexp(frexp(fabs(x), &e), 53); /* |x| = digits 2^(e-53) */
		for (low = e - 53; !(digits & 1); digits >>= 1)
			low++;
		top = e > top ? e : top;
		bottom = low < bottom ? low : bottom;
	}
	return top == INT_MIN || top - bottom <= 52;
}

/* Whether v is proved the k[0]-th and k[1]-th slope, when too many pairs
 * share it to list (an exactly linear series).  With every difference
 * exact, a computed slope is the true one rounded once: below v only where
 * the true slope is, at most v wherever it is; with every key at v exact,
 * the counts at v are those of the true slopes. */
static int sen_exact_at(struct sen *s, const uint64_t k[2], double v)
{
	if (!sen_exact_differences(s, 0) || !sen_exact_differences(s, 1) || !sen_keys(s, v) ||
	    inversions(s->key, s->tmp, s->n, 1, NULL, NULL) >= k[0])
		return 0;
	return sen_count(s, v, 0) >= k[1];
}

/* Whether 0 is proved the k[0]-th and k[1]-th slope (a flat or much-tied
 * series).  At slope 0 the keys are the scores, exact; a slope is below 0
 * only where the score falls, and at most 0 wherever it does not rise. */
static int sen_zero(struct sen *s, const uint64_t k[2])
{
	return sen_count(s, 0, 1) < k[0] && sen_count(s, 0, 0) >= k[1];
}

/* Count at x, inside the window, and make it an end if it is one. */
static void sen_probe(struct sen *s, const uint64_t k[2], struct sen_window *w, double x)
{
	uint64_t c;

	if (!(x > w->lo && x < w->hi))
		return;
	c = sen_count(s, x, 0);
	if (c < k[0])
		*w = (struct sen_window){ x, w->hi, c, w->at_hi };
	else if (c >= k[1])
		*w = (struct sen_window){ w->lo, x, w->at_lo, c };
}

/* Narrow the window from a sample of the slopes (pairs drawn with a fixed
 * seed): its order statistics four standard errors either side of the
 * middle rank hold the middle slopes but in about one series in 30,000,
 * and the counts at them say which do. */
static void sen_sample(struct sen *s, const uint64_t k[2], struct sen_window *w)
{
	size_t m = s->n < 256 ? 256 : s->n, got = 0;
	double *slope, p, at, spread;
	gsl_rng *rng;

	if (s->n > UINT32_MAX) /* beyond what the generator draws */
		return;
	slope = xmalloc(m * sizeof(*slope));
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	for (size_t tries = 0; got < m && tries < 8 * m; tries++) {
		size_t i = gsl_rng_uniform_int(rng, s->n), j = gsl_rng_uniform_int(rng, s->n);
		const struct sen_point *a = &s->p[i < j ? i : j], *b = &s->p[i < j ? j : i];

		if (a->t != b->t)
			slope[got++] = (b->y - a->y) / (b->t - a->t);
	}
	gsl_rng_free(rng);
	p = (double)k[0] / (double)s->pairs;
	at = p * (double)got;
	spread = 4 * sqrt(at * (1 - p)) + 1;
	if (got > 0) {
		gsl_sort(slope, 1, got);
		sen_probe(s, k, w, slope[at > spread ? (size_t)(at - spread) : 0]);
		sen_probe(s, k, w, slope[at + spread < (double)got ? (size_t)(at + spread) : got - 1]);
	}
	free(slope);
}

/* Where in the window the keys' counts, taken as linear in the slope,
 * reach rank r. */
static double sen_interpolate(const struct sen_window *w, uint64_t r)
{
	double part = ((double)r - (double)w->at_lo) / ((double)w->at_hi - (double)w->at_lo);

	return w->lo + (w->hi - w->lo) * part;
}

/* The k[0]-th and k[1]-th slopes from a window the keys' counts put few
 * enough slopes in: listed, the window widened while it proves not to hold
 * them (a computed slope can round onto an end the count put it past: a
 * few doubles, then four times as many each try); else proved or scanned. */
static void sen_settle(struct sen *s, const uint64_t k[2], struct sen_window w, double v[2])
{
	int rc, tries = 0;
	double m;

	while ((rc = sen_pick(s, k, w.lo, w.hi, v)) > 0 && tries < 32) {
		uint64_t by = tries < 28 ? (uint64_t)8 << (2 * tries) : UINT64_MAX;

		tries++;
		if (rc == 1)
			w.lo = sen_step(w.lo, by, 0);
		else
			w.hi = sen_step(w.hi, by, 1);
	}
	if (rc != 0 && sen_exact_at(s, k, w.hi)) {
		v[0] = v[1] = w.hi;
	} else if (rc != 0 && !isinf(m = sen_margin(s, fmax(fabs(w.lo), fabs(w.hi)))) &&
		   s->pairs <= SEN_TALLY_PAIRS &&
		   !sen_tally(s, k, sen_step(w.lo - m, 16, 0), sen_step(w.hi + m, 16, 1), v)) {
		;
	} else if (rc != 0 && !isinf(m) && s->pairs > SEN_TALLY_PAIRS) {
		double lo = sen_step(w.lo - m, 16, 0), hi = sen_step(w.hi + m, 16, 1);

		v[0] = sen_crossing(s, k[0], lo, hi);
		v[1] = k[1] == k[0] ? v[0] : sen_crossing(s, k[1], v[0], hi);
	} else if (rc != 0) {
		v[0] = sen_scan_rank(s, k[0], w.lo, w.hi);
		v[1] = k[1] == k[0] ? v[0] : sen_scan_rank(s, k[1], v[0], v[0]);
	}
}

/* The k[0]-th and k[1]-th slopes, which the keys' counts put in w.  The
 * window narrows to about n slopes by probes where interpolation puts
 * ranks a little outside the middle ones, while that halves it, then by
 * bisection. */
static void sen_select(struct sen *s, const uint64_t k[2], struct sen_window w, double v[2])
{
	uint64_t aside = s->n / 4;
	int interpolate = 1;

	while (w.at_hi - w.at_lo > s->n && sen_apart(w.lo, w.hi) > 1) {
		uint64_t held = w.at_hi - w.at_lo, c;
		double mid = sen_between(w.lo, w.hi), a[2], b[2];

		if (interpolate) {
			sen_probe(s, k, &w, sen_interpolate(&w, k[0] > aside ? k[0] - aside : 0));
			sen_probe(s, k, &w, sen_interpolate(&w, k[1] + aside));
			interpolate = w.at_hi - w.at_lo <= held / 2;
			continue;
		}
		c = sen_count(s, mid, 0);
		if (c < k[0]) {
			w = (struct sen_window){ mid, w.hi, c, w.at_hi };
		} else if (c >= k[1]) {
			w = (struct sen_window){ w.lo, mid, w.at_lo, c };
		} else { /* the two middle ranks fall on either side of mid */
			sen_select(s, (uint64_t[2]){ k[0], k[0] },
				   (struct sen_window){ w.lo, mid, w.at_lo, c }, a);
			sen_select(s, (uint64_t[2]){ k[1], k[1] },
				   (struct sen_window){ mid, w.hi, c, w.at_hi }, b);
			v[0] = a[0];
			v[1] = b[0];
			return;
		}
	}
	sen_settle(s, k, w, v);
}

/* A window holding every slope: the extreme slopes lie between
 * neighbouring times (a slope over a longer span is an average of those
 * inside it), widened by the margin.  -1 when no margin holds. */
static int sen_bracket(const struct sen *s, struct sen_window *w)
{
	double least = INFINITY, most = -INFINITY, low = 0, high = 0, m;
	size_t i, j;

	for (i = 0; i < s->n; i = j) {
		double lo = s->p[i].y, hi = lo;

		for (j = i + 1; j < s->n && s->p[j].t == s->p[i].t; j++) {
			lo = fmin(lo, s->p[j].y);
			hi = fmax(hi, s->p[j].y);
		}
		if (i > 0) {
			least = fmin(least, (lo - high) / (s->p[i].t - s->p[i - 1].t));
			most = fmax(most, (hi - low) / (s->p[i].t - s->p[i - 1].t));
		}
		low = lo;
		high = hi;
	}
	m = sen_margin(s, fmax(fabs(least), fabs(most)));
	*w = (struct sen_window){ nextafter(least - m, -INFINITY), nextafter(most + m, INFINITY),
				  0, s->pairs };
	return isinf(m) || isinf(w->lo) || isinf(w->hi) ? -1 : 0;
}

int trend_sen_slope(const double *t, const double *y, size_t n, double *slope)
{
	struct sen s;
	struct sen_window w;
	uint64_t k[2];
	double v[2];
	int bracketed;

	if (n < 2)
		return -1;
	if (sen_init(&s, t, y, n)) {
		sen_free(&s);
		return -1;
	}
	/* The middle ranks, from 1, as gsl_stats_median_from_sorted_data
	 * takes them: one for an odd count, two to average for an even. */
	k[0] = (s.pairs - 1) / 2 + 1;
	k[1] = s.pairs / 2 + 1;
	bracketed = !sen_bracket(&s, &w);
	if (bracketed)
		sen_sample(&s, k, &w);
	if ((!bracketed || (w.lo <= 0 && w.hi >= 0)) && sen_zero(&s, k)) {
		v[0] = v[1] = 0;
	} else if (!bracketed) {
		v[0] = sen_scan_rank(&s, k[0], 0, 0);
		v[1] = sen_scan_rank(&s, k[1], v[0], v[0]);
	} else {
		sen_select(&s, k, w, v);
	}
	*slope = k[0] == k[1] ? v[0] : (v[0] + v[1]) / 2.0;
	sen_free(&s);
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
