/* contact.c - phone numbers and email addresses in one form; see
 * contact.h. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "pure/contact.h"
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
