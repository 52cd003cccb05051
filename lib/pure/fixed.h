/*
 * fixed.h - exact sums of values, so that any grouping of the same values
 * (one pass, or shards tallied and merged in any order) gives the same
 * sum, to the bit.  Values are kept in fixed point, to the millionth
 * (FIXED_VALUE digits), and their squares to 1e-12 (FIXED_SQUARE), in
 * 128-bit integers; a double is only ever derived from a sum.
 *
 *     fixed_t u, sum = 0;
 *     if (fixed_from_double(value, FIXED_VALUE, &u) || fixed_add(&sum, u)) refuse;
 *     mean = fixed_to_double(sum, FIXED_VALUE) / n;
 *     fixed_format(sum, FIXED_VALUE, text);   // "1234.5": exact, for transport
 */
#ifndef BRAIN_FIXED_H
#define BRAIN_FIXED_H

__extension__ typedef __int128 fixed_t;

enum { FIXED_VALUE = 6, FIXED_SQUARE = 12 };

/* The largest |value| kept exactly: its square, in units of 1e-12, still
 * fits with room for sums. */
#define FIXED_VALUE_MAX 9e12

/* The fixed-point form of v to digits decimals (rounded to nearest);
 * -1 when v is not finite or its form does not fit (|v| above
 * FIXED_VALUE_MAX for FIXED_VALUE, 1.6e26 for FIXED_SQUARE). */
int fixed_from_double(double v, int digits, fixed_t *out);

/* *sum += x; -1 (and *sum unchanged) on overflow. */
int fixed_add(fixed_t *sum, fixed_t x);

/* u * u for a value u (|u| at most FIXED_VALUE_MAX in millionths). */
fixed_t fixed_square(fixed_t u);

/* The nearest double to u / 10^digits. */
double fixed_to_double(fixed_t u, int digits);

/* u / 10^digits as the shortest exact decimal ("-12.5", "0.000001",
 * "300"), into out. */
void fixed_format(fixed_t u, int digits, char out[48]);

/* The exact value of text, a decimal of at most digits decimals as
 * fixed_format writes; -1 when it is not one or does not fit. */
int fixed_parse(const char *text, int digits, fixed_t *out);

#endif
