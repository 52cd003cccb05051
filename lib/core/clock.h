/*
 * clock.h - the one clock of the toolkit.
 *
 * clock_now reads BRAIN_NOW when it is set (same format as the output,
 * see pure/time_text.h), so tests and replays give byte-identical output;
 * otherwise the system clock.
 */
#ifndef BRAIN_CLOCK_H
#define BRAIN_CLOCK_H

#include <time.h>

#include "pure/time_text.h"
#include "status.h"

/* The current time.  BRAIN_OK, or BRAIN_USAGE (reported) when BRAIN_NOW is
 * set but not a valid timestamp. */
enum brain_status clock_now(time_t *out);

#endif
