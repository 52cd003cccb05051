/* contact_rules.c - calling windows and their decisions; see contact_rules.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pure/contact_rules.h"
#include "diag.h"
#include "banned.h"

static const char *const day_keys[7] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
static const char *const day_names[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
};
static const char *const channel_names[] = { "phone", "sms", "email", "mail" };

int contact_channel_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(name, channel_names[i]))
			return i;
	return -1;
}

const char *contact_channel_name(enum contact_channel channel)
{
	return channel_names[channel];
}

/* 1 when word is in name, in any case. */
static int has_word(const char *name, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = name; *p; p++)
		if (!strncasecmp(p, word, n))
			return 1;
	return 0;
}

int contact_channel_guess(const char *name)
{
	static const struct {
		const char *word;
		enum contact_channel channel;
	} words[] = {
		{ "sms", CONTACT_SMS }, { "text", CONTACT_SMS }, { "phone", CONTACT_PHONE },
		{ "call", CONTACT_PHONE }, { "voice", CONTACT_PHONE }, { "email", CONTACT_EMAIL },
		{ "e-mail", CONTACT_EMAIL }, { "mail", CONTACT_MAIL }, { "letter", CONTACT_MAIL },
		{ "postcard", CONTACT_MAIL },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (has_word(name, words[i].word))
			return (int)words[i].channel;
	return -1;
}

/* "HH:MM" with HH 00..24 (24:00 is the end of the day) into minutes. */
static int parse_clock(const char *s, int *out)
{
	int h, m;

	if (strlen(s) != 5 || s[2] != ':' || s[0] < '0' || s[0] > '9' || s[1] < '0' ||
	    s[1] > '9' || s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || (h == 24 && m != 0))
		return -1;
	*out = h * 60 + m;
	return 0;
}

static int is_state_code(const char *s)
{
	return strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

int contact_zone_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64 || s[0] == '/' || s[n - 1] == '/')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '+' || c == '-' || c == '/'))
			return 0;
		if (c == '/' && s[i + 1] == '/')
			return 0;
	}
	return 1;
}

/* A member of obj named key that must be a string; NULL (reported) when
 * it is not. */
static const char *need_string(const cJSON *obj, const char *key, const char *name,
			       const char *path)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsString(m)) {
		diag_error(BRAIN_DATA, "%s: field '%s%s%s' must be a string", name, path,
			   *path ? "." : "", key);
		return NULL;
	}
	return m->valuestring;
}

/* The members of obj are only those in keys, or notes ("note", "*_note"). */
static enum brain_status only_members(const cJSON *obj, const char *const *keys,
				      const char *name, const char *path)
{
	for (const cJSON *m = obj->child; m; m = m->next) {
		size_t n = strlen(m->string);
		int known = !strcmp(m->string, "note") ||
			    (n > 5 && !strcmp(m->string + n - 5, "_note"));

		for (size_t i = 0; keys[i] && !known; i++)
			known = !strcmp(m->string, keys[i]);
		if (!known)
			return diag_error(BRAIN_DATA, "%s: unknown field '%s%s%s'", name, path,
					  *path ? "." : "", m->string);
	}
	return BRAIN_OK;
}

static enum brain_status parse_day(const cJSON *v, const char *name, const char *path,
				   struct contact_window *w)
{
	const cJSON *a, *b;

	w->open = 0;
	if (cJSON_IsNull(v))
		return BRAIN_OK;
	a = cJSON_GetArrayItem(v, 0);
	b = cJSON_GetArrayItem(v, 1);
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2 || !cJSON_IsString(a) ||
	    !cJSON_IsString(b) || parse_clock(a->valuestring, &w->start) ||
	    parse_clock(b->valuestring, &w->end) || w->start >= w->end)
		return diag_error(BRAIN_DATA, "%s: field '%s' must be null or [\"HH:MM\", "
				  "\"HH:MM\"] with the start before the end", name, path);
	w->open = 1;
	return BRAIN_OK;
}

static long days_from_civil(long y, int m, int d);

/* "YYYY-MM-DD" of a real date into days since 1970-01-01. */
static int parse_date(const char *s, long *out)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || strspn(s, "0123456789-") != 10)
		return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))))
		return -1;
	*out = days_from_civil(y, m, d);
	return 0;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static void civil_from_days(long z, struct tm *out);

/* "holidays":{"source":TEXT,"dates":["YYYY-MM-DD",...]} of a state rule. */
static enum brain_status parse_holidays(const cJSON *obj, const char *name, const char *path,
					struct contact_rule *rule)
{
	static const char *const keys[] = { "source", "dates", NULL };
	const cJSON *dates = cJSON_GetObjectItemCaseSensitive(obj, "dates"), *d;
	const char *source;
	char sub[96];
	enum brain_status status;

	snprintf(sub, sizeof(sub), "%s.holidays", path);
	if (!cJSON_IsObject(obj))
		return diag_error(BRAIN_DATA, "%s: field '%s' must be an object {\"source\","
				  "\"dates\"}", name, sub);
	if ((status = only_members(obj, keys, name, sub)))
		return status;
	if (!(source = need_string(obj, "source", name, sub)))
		return BRAIN_DATA;
	rule->holiday_source = xstrdup(source);
	if (!cJSON_IsArray(dates))
		return diag_error(BRAIN_DATA, "%s: field '%s.dates' must be an array of dates",
				  name, sub);
	rule->holidays = xcalloc((size_t)cJSON_GetArraySize(dates) + 1, sizeof(long));
	cJSON_ArrayForEach(d, dates) {
		if (!cJSON_IsString(d) || parse_date(d->valuestring,
						     &rule->holidays[rule->nholidays]))
			return diag_error(BRAIN_DATA, "%s: field '%s.dates' must hold dates, "
					  "YYYY-MM-DD", name, sub);
		rule->nholidays++;
	}
	qsort(rule->holidays, rule->nholidays, sizeof(long), cmp_long);
	if (rule->nholidays) {
		struct tm last;

		civil_from_days(rule->holidays[rule->nholidays - 1], &last);
		rule->holidays_through = last.tm_year + 1900;
	}
	return BRAIN_OK;
}

static enum brain_status parse_rule(const cJSON *obj, const char *name, const char *path,
				    const char *const *keys, struct contact_rule *rule)
{
	const cJSON *days;
	const char *source;
	char sub[96];
	enum brain_status status;

	if (!cJSON_IsObject(obj))
		return diag_error(BRAIN_DATA, "%s: field '%s' must be an object", name, path);
	if ((status = only_members(obj, keys, name, path)))
		return status;
	if (!(source = need_string(obj, "source", name, path)))
		return BRAIN_DATA;
	rule->source = xstrdup(source);
	days = cJSON_GetObjectItemCaseSensitive(obj, "days");
	if (!cJSON_IsObject(days) || cJSON_GetArraySize(days) != 7)
		return diag_error(BRAIN_DATA, "%s: field '%s.days' must be an object of the "
				  "seven days sun, mon, ... sat", name, path);
	for (int d = 0; d < 7; d++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(days, day_keys[d]);

		snprintf(sub, sizeof(sub), "%s.days.%s", path, day_keys[d]);
		if (!v)
			return diag_error(BRAIN_DATA, "%s: field '%s' is missing", name, sub);
		if ((status = parse_day(v, name, sub, &rule->day[d])))
			return status;
	}
	if (cJSON_HasObjectItem(obj, "holidays"))
		return parse_holidays(cJSON_GetObjectItemCaseSensitive(obj, "holidays"), name, path,
				      rule);
	return BRAIN_OK;
}

static enum brain_status parse_states(const cJSON *obj, const char *name,
				      struct contact_rules *r)
{
	static const char *const keys[] = { "source", "days", "holidays", NULL };
	size_t n = (size_t)cJSON_GetArraySize(obj);
	char path[64];
	enum brain_status status;

	if (!cJSON_IsObject(obj))
		return diag_error(BRAIN_DATA, "%s: field 'states' must be an object", name);
	r->states = xcalloc(n ? n : 1, sizeof(*r->states));
	for (const cJSON *m = obj->child; m; m = m->next) {
		struct contact_rule *rule = &r->states[r->nstates++];

		snprintf(path, sizeof(path), "states.%.8s", m->string);
		if (!is_state_code(m->string))
			return diag_error(BRAIN_DATA, "%s: field '%s' must be named by a "
					  "two-letter state code", name, path);
		memcpy(rule->state, m->string, 3);
		if ((status = parse_rule(m, name, path, keys, rule)))
			return status;
	}
	return BRAIN_OK;
}

static enum brain_status parse_zones(const cJSON *obj, const char *name,
				     struct contact_rules *r)
{
	size_t n = (size_t)cJSON_GetArraySize(obj);

	if (!cJSON_IsObject(obj))
		return diag_error(BRAIN_DATA, "%s: field 'time_zones' must be an object", name);
	r->zones = xcalloc(n ? n : 1, sizeof(*r->zones));
	for (const cJSON *m = obj->child; m; m = m->next) {
		if (!is_state_code(m->string) || !cJSON_IsString(m) ||
		    !contact_zone_name_valid(m->valuestring))
			return diag_error(BRAIN_DATA, "%s: field 'time_zones.%.8s' must be a "
					  "two-letter state code with an IANA zone name",
					  name, m->string);
		memcpy(r->zones[r->nzones].state, m->string, 3);
		r->zones[r->nzones++].zone = xstrdup(m->valuestring);
	}
	return BRAIN_OK;
}

static int is_area_code(const char *s)
{
	return strlen(s) == 3 && s[0] >= '2' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
	       s[2] >= '0' && s[2] <= '9';
}

/* One state's codes of one zone: an array of three-digit strings. */
static enum brain_status parse_area_list(const cJSON *list, const char *state,
					 const char *name, struct contact_rules *r)
{
	if (!contact_zone_name_valid(list->string) || !cJSON_IsArray(list))
		return diag_error(BRAIN_DATA, "%s: field 'area_codes.%s.%.64s' must be an "
				  "IANA zone name holding an array of area codes",
				  name, state, list->string);
	for (const cJSON *c = list->child; c; c = c->next) {
		struct contact_area *a;

		if (!cJSON_IsString(c) || !is_area_code(c->valuestring))
			return diag_error(BRAIN_DATA, "%s: field 'area_codes.%s.%s' must hold "
					  "three-digit area codes", name, state, list->string);
		if (contact_rules_area(r, c->valuestring))
			return diag_error(BRAIN_DATA, "%s: area code %s is listed twice", name,
					  c->valuestring);
		r->areas = xrealloc(r->areas, (r->nareas + 1) * sizeof(*r->areas));
		a = &r->areas[r->nareas++];
		memcpy(a->code, c->valuestring, 4);
		memcpy(a->state, state, 3);
		a->zone = xstrdup(list->string);
	}
	return BRAIN_OK;
}

static enum brain_status parse_areas(const cJSON *obj, const char *name,
				     struct contact_rules *r)
{
	enum brain_status status;

	if (!cJSON_IsObject(obj))
		return diag_error(BRAIN_DATA, "%s: field 'area_codes' must be an object", name);
	for (const cJSON *s = obj->child; s; s = s->next) {
		if (!is_state_code(s->string) || !cJSON_IsObject(s))
			return diag_error(BRAIN_DATA, "%s: field 'area_codes.%.8s' must be an "
					  "object named by a two-letter state code", name, s->string);
		for (const cJSON *z = s->child; z; z = z->next)
			if ((status = parse_area_list(z, s->string, name, r)))
				return status;
	}
	return BRAIN_OK;
}

/* federal.channels: the channels the windows apply to. */
static enum brain_status parse_channels(const cJSON *list, const char *name,
					struct contact_rules *r)
{
	int c;

	if (!cJSON_IsArray(list))
		return diag_error(BRAIN_DATA, "%s: field 'federal.channels' must be an array",
				  name);
	for (const cJSON *m = list->child; m; m = m->next) {
		if (!cJSON_IsString(m) || (c = contact_channel_parse(m->valuestring)) < 0)
			return diag_error(BRAIN_DATA, "%s: field 'federal.channels' must hold "
					  "phone, sms, email or mail", name);
		r->channels |= 1u << c;
	}
	return BRAIN_OK;
}

static enum brain_status parse_document(const cJSON *doc, const char *name,
					struct contact_rules *r)
{
	static const char *const top[] = {
		"format", "date", "federal", "states", "time_zones", "area_codes", NULL
	};
	static const char *const federal[] = { "source", "channels", "days", NULL };
	const char *format, *date;
	enum brain_status status;

	if (!cJSON_IsObject(doc))
		return diag_error(BRAIN_DATA, "%s: not a JSON object", name);
	if ((status = only_members(doc, top, name, "")))
		return status;
	if (!(format = need_string(doc, "format", name, "")))
		return BRAIN_DATA;
	if (strcmp(format, CONTACT_RULES_FORMAT))
		return diag_error(BRAIN_DATA, "%s: field 'format' must be \"%s\"", name,
				  CONTACT_RULES_FORMAT);
	if (!(date = need_string(doc, "date", name, "")))
		return BRAIN_DATA;
	r->date = xstrdup(date);
	if ((status = parse_rule(cJSON_GetObjectItemCaseSensitive(doc, "federal"), name,
				 "federal", federal, &r->federal)) ||
	    (status = parse_channels(cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(doc, "federal"), "channels"), name, r)) ||
	    (status = parse_states(cJSON_GetObjectItemCaseSensitive(doc, "states"), name, r)) ||
	    (status = parse_zones(cJSON_GetObjectItemCaseSensitive(doc, "time_zones"), name, r)))
		return status;
	return parse_areas(cJSON_GetObjectItemCaseSensitive(doc, "area_codes"), name, r);
}

enum brain_status contact_rules_from_json(const cJSON *doc, const char *name,
					  struct contact_rules *r)
{
	enum brain_status status;

	memset(r, 0, sizeof(*r));
	if ((status = parse_document(doc, name, r)))
		contact_rules_free(r);
	return status;
}

void contact_rules_free(struct contact_rules *r)
{
	free(r->date);
	free(r->federal.source);
	for (size_t i = 0; i < r->nstates; i++) {
		free(r->states[i].source);
		free(r->states[i].holidays);
		free(r->states[i].holiday_source);
	}
	free(r->states);
	for (size_t i = 0; i < r->nzones; i++)
		free(r->zones[i].zone);
	free(r->zones);
	for (size_t i = 0; i < r->nareas; i++)
		free(r->areas[i].zone);
	free(r->areas);
	memset(r, 0, sizeof(*r));
}

const char *contact_rules_state_zone(const struct contact_rules *r, const char *state)
{
	for (size_t i = 0; i < r->nzones; i++)
		if (!strcmp(r->zones[i].state, state))
			return r->zones[i].zone;
	return NULL;
}

const struct contact_area *contact_rules_area(const struct contact_rules *r, const char *code)
{
	for (size_t i = 0; i < r->nareas; i++)
		if (!strcmp(r->areas[i].code, code))
			return &r->areas[i];
	return NULL;
}

const struct contact_rule *contact_rules_state(const struct contact_rules *r, const char *state)
{
	for (size_t i = 0; i < r->nstates; i++)
		if (!strcmp(r->states[i].state, state))
			return &r->states[i];
	return NULL;
}

/* The window of one weekday under every rule that applies: the latest
 * start and the earliest end, with the rules that set them. */
struct day_window {
	struct contact_window w;
	const struct contact_rule *start_by, *end_by;  /* the binding rules */
	int holiday;                   /* closed by start_by's holidays */
};

static int is_holiday(const struct contact_rule *rule, long day)
{
	return rule->nholidays &&
	       bsearch(&day, rule->holidays, rule->nholidays, sizeof(long), cmp_long) != NULL;
}

/* The window of weekday wday, the date day (days since 1970-01-01). */
static struct day_window narrowest(const struct contact_rule *const *rules, size_t n, int wday,
				   long day)
{
	struct day_window d = { { 1, 0, 24 * 60 }, rules[0], rules[0], 0 };

	for (size_t i = 0; i < n; i++)
		if (is_holiday(rules[i], day)) {
			d.w.open = 0;
			d.start_by = d.end_by = rules[i];
			d.holiday = 1;
			return d;
		}
	for (size_t i = 0; i < n; i++) {
		const struct contact_window *w = &rules[i]->day[wday];

		if (!w->open) {
			d.w.open = 0;
			d.start_by = d.end_by = rules[i];
			return d;
		}
		if (w->start > d.w.start || i == 0) {
			d.w.start = w->start;
			d.start_by = rules[i];
		}
		if (w->end < d.w.end || i == 0) {
			d.w.end = w->end;
			d.end_by = rules[i];
		}
	}
	if (d.w.start >= d.w.end) {
		d.w.open = 0;
		d.start_by = d.end_by;
	}
	return d;
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back
 * (H. Hinnant's algorithms), so that the next window can be days ahead
 * without a time zone database. */
static long days_from_civil(long y, int m, int d)
{
	long era, yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + (yoe * 365 + yoe / 4 - yoe / 100 + doy) - 719468;
}

static void civil_from_days(long z, struct tm *out)
{
	long era, doe, yoe, y, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	out->tm_mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	out->tm_mon = (int)(mp < 10 ? mp + 3 : mp - 9) - 1;
	out->tm_year = (int)(y + (out->tm_mon <= 1)) - 1900;
}

static void set_next(const struct tm *local, int days_ahead, int minute, struct tm *next)
{
	long z = days_from_civil(local->tm_year + 1900L, local->tm_mon + 1, local->tm_mday);

	memset(next, 0, sizeof(*next));
	civil_from_days(z + days_ahead, next);
	next->tm_wday = (local->tm_wday + days_ahead) % 7;
	next->tm_hour = minute / 60;
	next->tm_min = minute % 60;
	next->tm_isdst = -1;
}

static void clock_text(int minute, char buf[8])
{
	unsigned m = (unsigned)minute % (25 * 60);

	snprintf(buf, 8, "%02u:%02u", m / 60, m % 60);
}

/* How far ahead the next window is looked for: a week, and a week more
 * for the holidays that may fall in it. */
#define CONTACT_LOOKAHEAD_DAYS 14

static long local_day(const struct tm *local)
{
	return days_from_civil(local->tm_year + 1900L, local->tm_mon + 1, local->tm_mday);
}

/* The first window start after local: later today (before_start), or on
 * one of the days ahead. */
static void find_next(const struct contact_rule *const *rules, size_t n, const struct tm *local,
		      int before_start, int start, struct contact_decision *out)
{
	long today = local_day(local);

	if (before_start) {
		set_next(local, 0, start, &out->next);
		out->has_next = 1;
		return;
	}
	for (int k = 1; k <= CONTACT_LOOKAHEAD_DAYS; k++) {
		struct day_window d = narrowest(rules, n, (local->tm_wday + k) % 7, today + k);

		if (d.w.open) {
			set_next(local, k, d.w.start, &out->next);
			out->has_next = 1;
			return;
		}
	}
}

/* The federal rule and the distinct state rules of states, in that order. */
static size_t rules_of(const struct contact_rules *r, const char *const *states,
		       size_t nstates, const struct contact_rule **rules, size_t max)
{
	size_t n = 0;

	rules[n++] = &r->federal;
	for (size_t i = 0; i < nstates && n < max; i++) {
		const struct contact_rule *s = states[i] ? contact_rules_state(r, states[i]) : NULL;
		int seen = 0;

		for (size_t j = 0; j < n; j++)
			seen |= rules[j] == s;
		if (s && !seen)
			rules[n++] = s;
	}
	return n;
}

void contact_rules_decide(const struct contact_rules *r, enum contact_channel channel,
			  const char *const *states, size_t nstates, const struct tm *local,
			  struct contact_decision *out)
{
	const struct contact_rule *rules[8];
	size_t n;
	struct day_window d;
	int minute = local->tm_hour * 60 + local->tm_min;
	const char *day = day_names[local->tm_wday % 7];
	char a[8], b[8];

	memset(out, 0, sizeof(*out));
	if (!(r->channels & (1u << channel))) {
		out->allowed = 1;
		snprintf(out->reason, sizeof(out->reason), "no calling window applies to %s",
			 contact_channel_name(channel));
		return;
	}
	n = rules_of(r, states, nstates, rules, 8);
	for (size_t i = 0; i < n && !out->unlisted; i++)
		if (rules[i]->holidays_through && local->tm_year + 1900 > rules[i]->holidays_through)
			out->unlisted = rules[i];
	d = narrowest(rules, n, local->tm_wday % 7, local_day(local));
	clock_text(d.w.start, a);
	clock_text(d.w.end, b);
	if (d.holiday)
		snprintf(out->reason, sizeof(out->reason), "no calls on %04d-%02d-%02d, a legal "
			 "holiday in %s (%s)", (local->tm_year + 1900) % 10000,
			 (local->tm_mon + 1) % 100, local->tm_mday % 100, d.start_by->state,
			 d.start_by->holiday_source);
	else if (!d.w.open)
		snprintf(out->reason, sizeof(out->reason), "no calls on %s (%s)", day,
			 d.start_by->source);
	else if (minute < d.w.start)
		snprintf(out->reason, sizeof(out->reason), "before %s on %s (%s)", a, day,
			 d.start_by->source);
	else if (minute >= d.w.end)
		snprintf(out->reason, sizeof(out->reason), "at or after %s on %s (%s)", b, day,
			 d.end_by->source);
	else {
		out->allowed = 1;
		snprintf(out->reason, sizeof(out->reason), "within %s-%s on %s (%s%s%s)", a, b,
			 day, d.start_by->source, d.end_by != d.start_by ? "; " : "",
			 d.end_by != d.start_by ? d.end_by->source : "");
		return;
	}
	find_next(rules, n, local, d.w.open && minute < d.w.start, d.w.start, out);
}

void contact_local_format(const struct tm *local, long gmtoff,
			  char buf[CONTACT_LOCAL_TEXT_SIZE])
{
	unsigned long off = (unsigned long)(gmtoff < 0 ? -gmtoff : gmtoff);

	snprintf(buf, CONTACT_LOCAL_TEXT_SIZE, "%04u-%02u-%02uT%02u:%02u:%02u%c%02lu:%02lu",
		 (unsigned)(local->tm_year + 1900) % 10000, (unsigned)(local->tm_mon + 1) % 100,
		 (unsigned)local->tm_mday % 100, (unsigned)local->tm_hour % 100,
		 (unsigned)local->tm_min % 100, (unsigned)local->tm_sec % 100,
		 gmtoff < 0 ? '-' : '+', (off / 3600) % 100, (off / 60) % 60);
}
