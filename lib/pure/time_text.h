/*
 * time_text.h - RFC 3339 timestamps as text, without a clock.
 *
 * Every timestamp printed is UTC with a Z, whole seconds:
 * "2026-11-28T13:25:43Z".  Parsing accepts that form, optional fractional
 * seconds (dropped) and a numeric offset ("+02:00"), and also a bare date
 * ("2026-11-28", meaning midnight UTC) for options such as --since.
 */
#ifndef BRAIN_TIME_TEXT_H
#define BRAIN_TIME_TEXT_H

#include <time.h>

#define TIME_TEXT_SIZE 21 /* "YYYY-MM-DDTHH:MM:SSZ" and NUL */

/* Format t as RFC 3339 UTC into buf.  Years outside 0000..9999 are clamped
 * to the nearest representable second. */
void time_text_format(time_t t, char buf[TIME_TEXT_SIZE]);

/* Parse text; 0 on success, -1 when it is not a timestamp. */
int time_text_parse(const char *text, time_t *out);

#endif
