/*
 * clock.h - the one clock of the toolkit, and RFC 3339 timestamps.
 *
 * clock_now reads BRAIN_NOW when it is set (same format as the output), so
 * tests and replays give byte-identical output; otherwise the system
 * clock.  Every timestamp printed is UTC with a Z, whole seconds:
 * "2026-11-28T13:25:43Z".  Parsing accepts that form, optional fractional
 * seconds (dropped) and a numeric offset ("+02:00"), and also a bare date
 * ("2026-11-28", meaning midnight UTC) for options such as --since.
 */
#ifndef BRAIN_CLOCK_H
#define BRAIN_CLOCK_H

#include <time.h>

#include "status.h"

#define CLOCK_TEXT_SIZE 21 /* "YYYY-MM-DDTHH:MM:SSZ" and NUL */

/* The current time.  BRAIN_OK, or BRAIN_USAGE (reported) when BRAIN_NOW is
 * set but not a valid timestamp. */
enum brain_status clock_now(time_t *out);

/* Format t as RFC 3339 UTC into buf.  Years outside 0000..9999 are clamped
 * to the nearest representable second. */
void clock_format(time_t t, char buf[CLOCK_TEXT_SIZE]);

/* Parse text; 0 on success, -1 when it is not a timestamp. */
int clock_parse(const char *text, time_t *out);

#endif
