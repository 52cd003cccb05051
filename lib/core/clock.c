/* clock.c - the one clock of the toolkit; see clock.h. */
#include <stdlib.h>

#include "core/clock.h"
#include "diag.h"
#include "banned.h"

enum brain_status clock_now(time_t *out)
{
	const char *fixed = getenv("BRAIN_NOW");

	if (fixed && *fixed) {
		if (time_text_parse(fixed, out))
			return diag_error(BRAIN_USAGE,
					  "BRAIN_NOW='%s' is not an RFC 3339 timestamp", fixed);
		return BRAIN_OK;
	}
	*out = time(NULL);
	return BRAIN_OK;
}
