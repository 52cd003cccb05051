/* time_text.c - RFC 3339 timestamps as text; see time_text.h. */
#define _GNU_SOURCE /* timegm */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pure/time_text.h"
#include "banned.h"

#define MIN_TIME ((time_t)-62167219200LL) /* 0000-01-01T00:00:00Z */
#define MAX_TIME ((time_t)253402300799LL) /* 9999-12-31T23:59:59Z */

void time_text_format(time_t t, char buf[TIME_TEXT_SIZE])
{
	struct tm tm;
	char text[64];	/* roomy: the compiler cannot see the year is 4 digits */

	if (t < MIN_TIME)
		t = MIN_TIME;
	if (t > MAX_TIME)
		t = MAX_TIME;
	gmtime_r(&t, &tm);
	snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec);
	memcpy(buf, text, TIME_TEXT_SIZE - 1);
	buf[TIME_TEXT_SIZE - 1] = '\0';
}

/* Read exactly n digits at *p into *out; advance *p. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int expect(const char **p, char c)
{
	if (**p != c)
		return -1;
	(*p)++;
	return 0;
}

static int days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

int time_text_parse(const char *text, time_t *out)
{
	const char *p = text;
	int year, mon, day, hour = 0, min = 0, sec = 0, off = 0;
	struct tm tm;

	if (!text || digits(&p, 4, &year) || expect(&p, '-') || digits(&p, 2, &mon) ||
	    expect(&p, '-') || digits(&p, 2, &day))
		return -1;
	if (mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon))
		return -1;
	if (*p) {
		if ((*p != 'T' && *p != 't') || (p++, digits(&p, 2, &hour)) ||
		    expect(&p, ':') || digits(&p, 2, &min) || expect(&p, ':') ||
		    digits(&p, 2, &sec))
			return -1;
		/* Leap second 60 is folded into the next second by timegm. */
		if (hour > 23 || min > 59 || sec > 60)
			return -1;
		if (*p == '.') {
			p++;
			if (!isdigit((unsigned char)*p))
				return -1;
			while (isdigit((unsigned char)*p))
				p++;
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1, oh, om;

			p++;
			if (digits(&p, 2, &oh) || expect(&p, ':') || digits(&p, 2, &om) ||
			    oh > 23 || om > 59)
				return -1;
			off = sign * (oh * 3600 + om * 60);
		} else {
			return -1;
		}
		if (*p)
			return -1;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	*out = timegm(&tm) - off;
	return 0;
}
