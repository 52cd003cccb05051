/* fixed.c - exact sums of values; see fixed.h. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pure/fixed.h"
#include "banned.h"

static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
				 1e11, 1e12 };

__extension__ typedef unsigned __int128 ufixed_t;

/* Room left under 2^127 for sums of many squares. */
#define FIXED_LIMIT 1.6e38

int fixed_from_double(double v, int digits, fixed_t *out)
{
	double x = nearbyint(v * pow10[digits]);

	if (!isfinite(v) || !(fabs(v) <= (digits == FIXED_VALUE ? FIXED_VALUE_MAX : 1.6e26)) ||
	    !(fabs(x) < FIXED_LIMIT))
		return -1;
	*out = (fixed_t)x;
	return 0;
}

int fixed_add(fixed_t *sum, fixed_t x)
{
	fixed_t r;

	if (__builtin_add_overflow(*sum, x, &r))
		return -1;
	*sum = r;
	return 0;
}

fixed_t fixed_square(fixed_t u)
{
	return u * u;
}

double fixed_to_double(fixed_t u, int digits)
{
	return (double)u / pow10[digits];
}

void fixed_format(fixed_t u, int digits, char out[48])
{
	char rev[48];
	size_t n = 0, o = 0;
	ufixed_t m = u < 0 ? (ufixed_t)0 - (ufixed_t)u : (ufixed_t)u;
	int frac;

	/* Digits from the last: at least one before the point. */
	do {
		rev[n++] = (char)('0' + (int)(m % 10));
		m /= 10;
	} while (m || n <= (size_t)digits);
	/* Trailing zeros of the fraction go. */
	for (frac = digits; frac > 0 && rev[digits - frac] == '0'; frac--)
		;
	if (u < 0)
		out[o++] = '-';
	for (size_t i = n; i-- > (size_t)digits;)
		out[o++] = rev[i];
	if (frac > 0) {
		out[o++] = '.';
		for (int i = digits - 1; i >= digits - frac; i--)
			out[o++] = rev[i];
	}
	out[o] = '\0';
}

int fixed_parse(const char *text, int digits, fixed_t *out)
{
	const char *p = text;
	fixed_t r = 0;
	int neg = *p == '-', seen = 0, frac = -1;

	p += neg;
	for (; *p; p++) {
		if (*p == '.' && frac < 0 && seen) {
			frac = 0;
			continue;
		}
		if (*p < '0' || *p > '9' || (frac >= 0 && ++frac > digits) ||
		    __builtin_mul_overflow(r, 10, &r) || __builtin_add_overflow(r, *p - '0', &r))
			return -1;
		seen = 1;
	}
	if (!seen || frac == 0)
		return -1;
	for (int i = frac < 0 ? 0 : frac; i < digits; i++)
		if (__builtin_mul_overflow(r, 10, &r))
			return -1;
	*out = neg ? -r : r;
	return 0;
}
