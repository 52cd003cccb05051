/* contact.c - phone numbers and email addresses in one form; see
 * contact.h. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "pure/contact.h"
#include "pure/time_text.h"
#include "diag.h"
#include "banned.h"

int contact_normalise_phone(const char *in, char *out, size_t size)
{
	char digits[32];
	size_t n = 0;
	int plus = 0;

	for (const char *p = in; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n + 1 >= sizeof(digits))
				return -1;
			digits[n++] = *p;
		} else if (*p == '+' && n == 0 && !plus) {
			plus = 1;
		} else if (!strchr(" -().", *p)) {
			return -1;
		}
	}
	digits[n] = '\0';
	if (n < 7 || n > 15)
		return -1;
	/* Ten digits without a country code are North American numbers. */
	if (!plus && n == 10)
		snprintf(out, size, "+1%s", digits);
	else if (!plus && n == 11 && digits[0] == '1')
		snprintf(out, size, "+%s", digits);
	else
		snprintf(out, size, "+%s", digits);
	return 0;
}

int contact_normalise_email(const char *in, char *out, size_t size)
{
	const char *at;
	size_t n, j = 0;

	while (*in == ' ')
		in++;
	n = strlen(in);
	while (n > 0 && in[n - 1] == ' ')
		n--;
	at = memchr(in, '@', n);
	if (!at || at == in || at == in + n - 1 || !memchr(at, '.', (size_t)(in + n - at)) ||
	    n + 1 > size)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)in[i] <= ' ')
			return -1;
		out[j++] = (char)tolower((unsigned char)in[i]);
	}
	out[j] = '\0';
	return 0;
}

int contact_scrub_stale(const cJSON *lead, time_t now, const struct json_loc *loc,
			char *why, size_t size)
{
	const cJSON *scrub = cJSON_GetObjectItemCaseSensitive(lead, "dnc_scrub");
	const char *date = NULL, *source = NULL;
	time_t when;

	if (!scrub)
		return 0;
	source = json_string(scrub, "source");
	if (!cJSON_IsObject(scrub) ||
	    (cJSON_HasObjectItem(scrub, "source") && !source)) {
		diag_error_at(BRAIN_DATA, loc->file, loc->line, "field 'dnc_scrub' must be "
			      "{\"date\":\"YYYY-MM-DD\",\"source\":TEXT}");
		return -1;
	}
	date = json_string(scrub, "date");
	if (!date || strlen(date) != 10 || time_text_parse(date, &when)) {
		diag_error_at(BRAIN_DATA, loc->file, loc->line,
			      "field 'dnc_scrub.date' must be a date, YYYY-MM-DD");
		return -1;
	}
	if (difftime(now, when) <= CONTACT_SCRUB_DAYS * 86400.0)
		return 0;
	snprintf(why, size, "the Do-Not-Call scrub of %s%s%s%s is more than %d days old: "
		 "scrub again before calling or texting", date, source ? " (" : "",
		 source ? source : "", source ? ")" : "", CONTACT_SCRUB_DAYS);
	return 1;
}
