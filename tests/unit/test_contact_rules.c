/* Unit tests of contact_rules and contact_windows: the calling windows
 * (federal and stricter state rules, Sundays), the next allowed time
 * across a day, a month and a weekend, the checks of the rules file, the
 * shipped file's states and holidays, and local time from tzdata across
 * the 2026 US DST changes. */
#include "unit.h"

#include "core/contact_windows.h"
#include "pure/contact_rules.h"
#include "pure/json.h"
#include "pure/time_text.h"

static const char rules_json[] =
	"{\"format\":\"brain-contact-windows 1\",\"date\":\"2026-12-02\",\"note\":\"n\","
	"\"federal\":{\"source\":\"47 CFR 64.1200(c)(1)\",\"channels\":[\"phone\",\"sms\"],"
	"\"days\":{\"mon\":[\"08:00\",\"21:00\"],\"tue\":[\"08:00\",\"21:00\"],"
	"\"wed\":[\"08:00\",\"21:00\"],\"thu\":[\"08:00\",\"21:00\"],\"fri\":[\"08:00\",\"21:00\"],"
	"\"sat\":[\"08:00\",\"21:00\"],\"sun\":[\"08:00\",\"21:00\"]}},"
	"\"states\":{"
	"\"FL\":{\"source\":\"FL-SRC\",\"days\":{\"mon\":[\"08:00\",\"20:00\"],"
	"\"tue\":[\"08:00\",\"20:00\"],\"wed\":[\"08:00\",\"20:00\"],\"thu\":[\"08:00\",\"20:00\"],"
	"\"fri\":[\"08:00\",\"20:00\"],\"sat\":[\"08:00\",\"20:00\"],\"sun\":[\"08:00\",\"20:00\"]}},"
	"\"MS\":{\"source\":\"MS-SRC\",\"note\":\"no Sundays\",\"days\":{\"mon\":[\"08:00\",\"20:00\"],"
	"\"tue\":[\"08:00\",\"20:00\"],\"wed\":[\"08:00\",\"20:00\"],\"thu\":[\"08:00\",\"20:00\"],"
	"\"fri\":[\"08:00\",\"20:00\"],\"sat\":[\"08:00\",\"20:00\"],\"sun\":null},"
	"\"holidays\":{\"source\":\"MS-HOL\",\"dates\":[\"2026-12-26\",\"2026-12-25\"]}},"
	"\"TX\":{\"source\":\"TX-SRC\",\"days\":{\"mon\":[\"09:00\",\"21:00\"],"
	"\"tue\":[\"09:00\",\"21:00\"],\"wed\":[\"09:00\",\"21:00\"],\"thu\":[\"09:00\",\"21:00\"],"
	"\"fri\":[\"09:00\",\"21:00\"],\"sat\":[\"09:00\",\"21:00\"],\"sun\":[\"12:00\",\"21:00\"]}}},"
	"\"time_zones\":{\"FL\":\"America/New_York\",\"CA\":\"America/Los_Angeles\","
	"\"MS\":\"America/Chicago\",\"TX\":\"America/Chicago\"},"
	"\"area_codes\":{\"FL\":{\"America/New_York\":[\"305\",\"850\"]},"
	"\"TX\":{\"America/Chicago\":[\"512\"],\"America/Denver\":[\"915\"]}}}";

static struct contact_rules rules;

static void load(void)
{
	struct json_loc loc = { "rules", 0 };
	cJSON *doc;

	ck_assert_int_eq(json_parse_line(rules_json, strlen(rules_json), &loc, &doc), BRAIN_OK);
	ck_assert_int_eq(contact_rules_from_json(doc, "rules", &rules), BRAIN_OK);
	cJSON_Delete(doc);
}

static void unload(void)
{
	contact_rules_free(&rules);
}

/* A local time: 2026-mm-dd hh:mm, with its weekday. */
static struct tm at(int mon, int mday, int wday, int hour, int min)
{
	struct tm t;

	memset(&t, 0, sizeof(t));
	t.tm_year = 126;
	t.tm_mon = mon - 1;
	t.tm_mday = mday;
	t.tm_wday = wday;
	t.tm_hour = hour;
	t.tm_min = min;
	return t;
}

static struct contact_decision decide(const char *state, enum contact_channel channel,
				      struct tm local)
{
	const char *states[1] = { state };
	struct contact_decision d;

	contact_rules_decide(&rules, channel, states, state ? 1 : 0, &local, &d);
	return d;
}

static void next_is(const struct contact_decision *d, int year, int mon, int mday, int wday,
		    int hour, int min)
{
	ck_assert_msg(!d->allowed && d->has_next, "no next allowed time (%s)", d->reason);
	ck_assert_int_eq(d->next.tm_year + 1900, year);
	ck_assert_int_eq(d->next.tm_mon + 1, mon);
	ck_assert_int_eq(d->next.tm_mday, mday);
	ck_assert_int_eq(d->next.tm_wday, wday);
	ck_assert_int_eq(d->next.tm_hour, hour);
	ck_assert_int_eq(d->next.tm_min, min);
	ck_assert_int_eq(d->next.tm_isdst, -1);
}

START_TEST(federal_window_is_8_to_21_start_included_end_excluded)
{
	/* 2026-11-04 is a Wednesday. */
	ck_assert(!decide(NULL, CONTACT_PHONE, at(11, 4, 3, 7, 59)).allowed);
	ck_assert(decide(NULL, CONTACT_PHONE, at(11, 4, 3, 8, 0)).allowed);
	ck_assert(decide(NULL, CONTACT_SMS, at(11, 4, 3, 20, 59)).allowed);
	ck_assert(!decide(NULL, CONTACT_SMS, at(11, 4, 3, 21, 0)).allowed);
	ck_assert_str_eq(decide(NULL, CONTACT_PHONE, at(11, 4, 3, 12, 0)).reason,
			 "within 08:00-21:00 on Wednesday (47 CFR 64.1200(c)(1))");
}
END_TEST

START_TEST(a_state_rule_narrows_the_window_and_is_cited)
{
	struct contact_decision d = decide("FL", CONTACT_PHONE, at(11, 4, 3, 20, 30));

	ck_assert_str_eq(d.reason, "at or after 20:00 on Wednesday (FL-SRC)");
	next_is(&d, 2026, 11, 5, 4, 8, 0);
	/* A state without a rule of its own adds nothing to the federal one. */
	ck_assert(decide("CA", CONTACT_PHONE, at(11, 4, 3, 20, 30)).allowed);
	/* Texas starts later: the start is Texas's, the end the federal rule's. */
	d = decide("TX", CONTACT_PHONE, at(11, 4, 3, 8, 30));
	ck_assert_str_eq(d.reason, "before 09:00 on Wednesday (TX-SRC)");
	next_is(&d, 2026, 11, 4, 3, 9, 0);
}
END_TEST

START_TEST(sundays_follow_the_state)
{
	/* 2026-11-08 is a Sunday. */
	struct contact_decision d = decide("TX", CONTACT_PHONE, at(11, 8, 0, 10, 0));

	ck_assert_str_eq(d.reason, "before 12:00 on Sunday (TX-SRC)");
	next_is(&d, 2026, 11, 8, 0, 12, 0);
	ck_assert(decide("TX", CONTACT_PHONE, at(11, 8, 0, 12, 0)).allowed);
	d = decide("MS", CONTACT_PHONE, at(11, 8, 0, 12, 0));
	ck_assert_str_eq(d.reason, "no calls on Sunday (MS-SRC)");
	next_is(&d, 2026, 11, 9, 1, 8, 0);
}
END_TEST

START_TEST(next_allowed_crosses_the_day_month_and_year)
{
	struct contact_decision d = decide(NULL, CONTACT_PHONE, at(11, 30, 1, 21, 30));

	next_is(&d, 2026, 12, 1, 2, 8, 0);
	/* 2026-12-31 is a Thursday. */
	d = decide(NULL, CONTACT_PHONE, at(12, 31, 4, 23, 59));
	next_is(&d, 2027, 1, 1, 5, 8, 0);
	/* 2026-02-28 (Saturday) is followed by 1 March. */
	d = decide(NULL, CONTACT_PHONE, at(2, 28, 6, 22, 0));
	next_is(&d, 2026, 3, 1, 0, 8, 0);
}
END_TEST

START_TEST(next_allowed_skips_a_closed_sunday)
{
	/* Saturday 2026-11-07 after 20:00 in Mississippi: Monday 08:00. */
	struct contact_decision d = decide("MS", CONTACT_SMS, at(11, 7, 6, 20, 0));

	ck_assert_str_eq(d.reason, "at or after 20:00 on Saturday (MS-SRC)");
	next_is(&d, 2026, 11, 9, 1, 8, 0);
	/* Before the Saturday window: the same day. */
	d = decide("MS", CONTACT_SMS, at(11, 7, 6, 6, 0));
	next_is(&d, 2026, 11, 7, 6, 8, 0);
}
END_TEST

START_TEST(every_state_given_applies)
{
	const char *states[2] = { "TX", "FL" };
	struct tm local = at(11, 4, 3, 8, 30);
	struct contact_decision d;

	/* Texas starts at 9, Florida ends at 20: both bind. */
	contact_rules_decide(&rules, CONTACT_PHONE, states, 2, &local, &d);
	ck_assert(!d.allowed);
	local = at(11, 4, 3, 20, 15);
	contact_rules_decide(&rules, CONTACT_PHONE, states, 2, &local, &d);
	ck_assert_str_eq(d.reason, "at or after 20:00 on Wednesday (FL-SRC)");
	local = at(11, 4, 3, 12, 0);
	contact_rules_decide(&rules, CONTACT_PHONE, states, 2, &local, &d);
	ck_assert_str_eq(d.reason, "within 09:00-20:00 on Wednesday (TX-SRC; FL-SRC)");
}
END_TEST

START_TEST(email_and_mail_have_no_window)
{
	struct contact_decision d = decide("MS", CONTACT_EMAIL, at(11, 8, 0, 3, 0));

	ck_assert(d.allowed);
	ck_assert(!d.has_next);
	ck_assert_str_eq(d.reason, "no calling window applies to email");
	ck_assert(decide(NULL, CONTACT_MAIL, at(11, 8, 0, 23, 0)).allowed);
	ck_assert_int_eq(contact_channel_parse("sms"), CONTACT_SMS);
	ck_assert_int_eq(contact_channel_parse("fax"), -1);
}
END_TEST

START_TEST(zones_and_area_codes_are_looked_up)
{
	const struct contact_area *a = contact_rules_area(&rules, "915");

	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(a->state, "TX");
	ck_assert_str_eq(a->zone, "America/Denver");
	ck_assert_ptr_null(contact_rules_area(&rules, "999"));
	ck_assert_str_eq(contact_rules_state_zone(&rules, "MS"), "America/Chicago");
	ck_assert_ptr_null(contact_rules_state_zone(&rules, "ZZ"));
	ck_assert_ptr_null(contact_rules_state(&rules, "CA"));
	ck_assert_str_eq(rules.date, "2026-12-02");
}
END_TEST

/* rules_json with from replaced by to must be refused with message. */
static void refused(const char *from, const char *to, const char *message)
{
	struct json_loc loc = { "rules", 0 };
	struct contact_rules r;
	char text[sizeof(rules_json) + 256];
	const char *p = strstr(rules_json, from);
	cJSON *doc;

	ck_assert_ptr_nonnull(p);
	snprintf(text, sizeof(text), "%.*s%s%s", (int)(p - rules_json), rules_json, to,
		 p + strlen(from));
	ck_assert_int_eq(json_parse_line(text, strlen(text), &loc, &doc), BRAIN_OK);
	unit_capture_diag();
	ck_assert_int_eq(contact_rules_from_json(doc, "rules", &r), BRAIN_DATA);
	ck_assert_msg(strstr(unit_diag_text(), message), "message '%s'", unit_diag_text());
	cJSON_Delete(doc);
}

START_TEST(a_bad_rules_file_is_refused_naming_the_field)
{
	refused("\"sun\":null", "\"sun\":[\"20:00\",\"08:00\"]", "field 'states.MS.days.sun'");
	refused("\"sun\":null", "\"sun\":[\"8:00\",\"20:00\"]", "field 'states.MS.days.sun'");
	refused("\"sun\":null", "\"sunday\":null", "field 'states.MS.days.sun' is missing");
	refused("\"note\":\"no Sundays\"", "\"hours\":1", "unknown field 'states.MS.hours'");
	refused("\"915\"", "\"305\"", "area code 305 is listed twice");
	refused("brain-contact-windows 1", "v2", "field 'format'");
	refused("\"FL\":{\"source\"", "\"Fl\":{\"source\"", "field 'states.Fl'");
	refused("\"channels\":[\"phone\",\"sms\"]", "\"channels\":[\"fax\"]",
		"field 'federal.channels'");
	refused("\"2026-12-26\"", "\"2026-02-29\"", "field 'states.MS.holidays.dates' must hold "
		"dates");
	refused("\"source\":\"MS-HOL\"", "\"from\":\"MS-HOL\"",
		"unknown field 'states.MS.holidays.from'");
}
END_TEST

START_TEST(a_state_holiday_allows_no_calls_and_is_skipped)
{
	/* 2026-12-25 is a Friday, the 26th a Saturday, both holidays of the
	 * MS rule here; its Sundays are closed: next is Monday the 28th. */
	struct contact_decision d = decide("MS", CONTACT_PHONE, at(12, 25, 5, 10, 0));

	ck_assert_str_eq(d.reason, "no calls on 2026-12-25, a legal holiday in MS (MS-HOL)");
	next_is(&d, 2026, 12, 28, 1, 8, 0);
	/* The evening before, the next window skips them too. */
	d = decide("MS", CONTACT_SMS, at(12, 24, 4, 20, 30));
	ck_assert_str_eq(d.reason, "at or after 20:00 on Thursday (MS-SRC)");
	next_is(&d, 2026, 12, 28, 1, 8, 0);
	/* Another state's holidays are not this one's. */
	ck_assert(decide("FL", CONTACT_PHONE, at(12, 25, 5, 10, 0)).allowed);
	ck_assert(decide("MS", CONTACT_EMAIL, at(12, 25, 5, 10, 0)).allowed);
}
END_TEST

START_TEST(local_time_prints_its_offset)
{
	struct tm t = at(11, 3, 2, 19, 30);
	char buf[CONTACT_LOCAL_TEXT_SIZE];

	contact_local_format(&t, -5 * 3600, buf);
	ck_assert_str_eq(buf, "2026-11-03T19:30:00-05:00");
	contact_local_format(&t, 5 * 3600 + 45 * 60, buf);
	ck_assert_str_eq(buf, "2026-11-03T19:30:00+05:45");
	contact_local_format(&t, 0, buf);
	ck_assert_str_eq(buf, "2026-11-03T19:30:00+00:00");
}
END_TEST

/* The local hour and offset of t in zone. */
static void local_is(const char *zone, time_t t, int mday, int hour, long gmtoff)
{
	struct tm local;
	long off;

	ck_assert_int_eq(contact_zone_local(zone, t, &local, &off), BRAIN_OK);
	ck_assert_int_eq(local.tm_mday, mday);
	ck_assert_int_eq(local.tm_hour, hour);
	ck_assert_int_eq(off, gmtoff);
}

START_TEST(local_time_follows_tzdata_across_fall_back)
{
	time_t before, after;

	ck_assert_int_eq(time_text_parse("2026-10-28T00:30:00Z", &before), 0);
	ck_assert_int_eq(time_text_parse("2026-11-04T00:30:00Z", &after), 0);
	/* The same UTC time of day a week apart: an hour earlier locally
	 * after 2026-11-01. */
	local_is("America/New_York", before, 27, 20, -4 * 3600);
	local_is("America/New_York", after, 3, 19, -5 * 3600);
	/* The process's own zone is untouched. */
	setenv("TZ", "UTC", 1);
	local_is("America/Chicago", after, 3, 18, -6 * 3600);
	ck_assert_str_eq(getenv("TZ"), "UTC");
	unsetenv("TZ");
	local_is("Pacific/Honolulu", after, 3, 14, -10 * 3600);
	ck_assert_ptr_null(getenv("TZ"));
}
END_TEST

START_TEST(local_time_follows_tzdata_across_spring_forward)
{
	struct tm wall;
	time_t t, want;

	ck_assert_int_eq(time_text_parse("2026-03-05T04:30:00Z", &t), 0);
	local_is("America/Los_Angeles", t, 4, 20, -8 * 3600);
	ck_assert_int_eq(time_text_parse("2026-03-12T04:30:00Z", &t), 0);
	local_is("America/Los_Angeles", t, 11, 21, -7 * 3600);
	/* 08:00 on the day of the change is daylight time. */
	memset(&wall, 0, sizeof(wall));
	wall.tm_year = 126;
	wall.tm_mon = 2;
	wall.tm_mday = 8;
	wall.tm_hour = 8;
	wall.tm_isdst = -1;
	ck_assert_int_eq(contact_zone_time("America/Los_Angeles", &wall, &t), BRAIN_OK);
	ck_assert_int_eq(time_text_parse("2026-03-08T15:00:00Z", &want), 0);
	ck_assert_int_eq((long long)t, (long long)want);
}
END_TEST

START_TEST(zone_names_are_checked_against_tzdata)
{
	ck_assert(contact_zone_known("America/New_York"));
	ck_assert(!contact_zone_known("Mars/Olympus"));
	ck_assert(!contact_zone_known("../etc/passwd"));
	ck_assert(!contact_zone_known("/etc/localtime"));
	ck_assert(!contact_zone_known(""));
	ck_assert(!contact_zone_known("America"));
}
END_TEST

/* A state directory whose config.json names file as the windows. */
static const char *state_with_windows_file(const char *file)
{
	static char dir[4200];
	char path[4300], config[4400];

	snprintf(dir, sizeof(dir), "%s/state", unit_tmpdir());
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/FORMAT", dir);
	unit_write_file(path, "brain-state 1\n");
	snprintf(path, sizeof(path), "%s/config.json", dir);
	snprintf(config, sizeof(config), "{\"contact\":{\"windows_file\":\"%s\"}}", file);
	unit_write_file(path, config);
	return dir;
}

START_TEST(the_shipped_file_loads_through_the_setting)
{
	char cwd[4096], file[4200];
	struct contact_rules r;
	const struct contact_area *a;

	/* The suites run from the top of the tree. */
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	snprintf(file, sizeof(file), "%s/data/contact-windows.json", cwd);
	ck_assert_int_eq(contact_windows_load(state_with_windows_file(file), &r), BRAIN_OK);
	ck_assert_ptr_nonnull(contact_rules_state(&r, "FL"));
	ck_assert_ptr_nonnull(contact_rules_state(&r, "TX"));
	/* Louisiana's minimal list of holidays, with its source. */
	ck_assert_uint_eq(contact_rules_state(&r, "LA")->nholidays, 8);
	ck_assert_ptr_nonnull(strstr(contact_rules_state(&r, "LA")->holiday_source, "R.S. 1:55"));
	ck_assert_ptr_nonnull(a = contact_rules_area(&r, "305"));
	ck_assert_str_eq(a->state, "FL");
	for (size_t i = 0; i < r.nzones; i++)
		ck_assert_msg(contact_zone_known(r.zones[i].zone), "%s", r.zones[i].zone);
	for (size_t i = 0; i < r.nareas; i++)
		ck_assert_msg(contact_rules_state_zone(&r, r.areas[i].state), "%s",
			      r.areas[i].code);
	contact_rules_free(&r);
}
END_TEST

/* The decision of the shipped rules r for a lead of state at local. */
static struct contact_decision decide_in(const struct contact_rules *r, const char *state,
					 struct tm local)
{
	const char *states[1] = { state };
	struct contact_decision d;

	contact_rules_decide(r, CONTACT_PHONE, states, 1, &local, &d);
	return d;
}

START_TEST(the_shipped_file_closes_utah_rhode_island_and_alabama_holidays)
{
	char cwd[4096], file[4200];
	struct contact_rules r;
	struct contact_decision d;

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	snprintf(file, sizeof(file), "%s/data/contact-windows.json", cwd);
	ck_assert_int_eq(contact_windows_load(state_with_windows_file(file), &r), BRAIN_OK);
	/* Thanksgiving, Thursday 2026-11-26, in Utah: the Friday at 8:00. */
	d = decide_in(&r, "UT", at(11, 26, 4, 10, 0));
	ck_assert_ptr_nonnull(strstr(d.reason, "no calls on 2026-11-26, a legal holiday in UT"));
	next_is(&d, 2026, 11, 27, 5, 8, 0);
	/* The Friday before Independence Day 2026 (a Saturday) in Rhode
	 * Island: both days closed, Sunday too, so Monday at 9:00. */
	d = decide_in(&r, "RI", at(7, 3, 5, 10, 0));
	ck_assert_ptr_nonnull(strstr(d.reason, "no calls on 2026-07-03, a legal holiday in RI"));
	next_is(&d, 2026, 7, 6, 1, 9, 0);
	/* Rhode Island's Saturday ends at 17:00, its weekdays at 18:00. */
	ck_assert(!decide_in(&r, "RI", at(11, 28, 6, 17, 0)).allowed);
	ck_assert(decide_in(&r, "RI", at(11, 27, 5, 17, 30)).allowed);
	/* Confederate Memorial Day, Monday 2026-04-27, in Alabama. */
	d = decide_in(&r, "AL", at(4, 27, 1, 12, 0));
	ck_assert_ptr_nonnull(strstr(d.reason, "a legal holiday in AL"));
	next_is(&d, 2026, 4, 28, 2, 8, 0);
	/* Sundays are closed in all three; Massachusetts ends at 20:00. */
	ck_assert(!decide_in(&r, "UT", at(11, 29, 0, 12, 0)).allowed);
	ck_assert(!decide_in(&r, "RI", at(11, 29, 0, 12, 0)).allowed);
	ck_assert(!decide_in(&r, "AL", at(11, 29, 0, 12, 0)).allowed);
	ck_assert(!decide_in(&r, "MA", at(11, 27, 5, 20, 0)).allowed);
	ck_assert(decide_in(&r, "MA", at(11, 29, 0, 19, 59)).allowed);
	/* An ordinary weekday is open. */
	ck_assert(decide_in(&r, "UT", at(11, 27, 5, 10, 0)).allowed);
	ck_assert_str_eq(contact_rules_area(&r, "801")->state, "UT");
	contact_rules_free(&r);
}
END_TEST

/* A rule's holidays are listed through a year; a decision in a later year
 * names the rule whose list has ended (so a caller can warn), one within
 * the lists or in a state without holidays names none. */
START_TEST(a_year_past_the_holiday_list_is_named)
{
	char cwd[4096], file[4200];
	struct contact_rules r;
	struct tm later = at(7, 4, 2, 12, 0);
	struct contact_decision d;

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	snprintf(file, sizeof(file), "%s/data/contact-windows.json", cwd);
	ck_assert_int_eq(contact_windows_load(state_with_windows_file(file), &r), BRAIN_OK);
	ck_assert_int_eq(contact_rules_state(&r, "UT")->holidays_through, 2027);
	ck_assert_int_eq(contact_rules_state(&r, "FL")->holidays_through, 0);
	ck_assert_ptr_null(decide_in(&r, "UT", at(11, 27, 5, 10, 0)).unlisted);
	later.tm_year = 128;
	d = decide_in(&r, "UT", later);
	ck_assert(d.allowed);
	ck_assert_ptr_eq(d.unlisted, contact_rules_state(&r, "UT"));
	ck_assert_ptr_null(decide_in(&r, "FL", later).unlisted);
	contact_rules_free(&r);
}
END_TEST

START_TEST(a_missing_windows_file_is_an_io_error)
{
	struct contact_rules r;

	unit_capture_diag();
	ck_assert_int_eq(contact_windows_load(state_with_windows_file("/nonexistent/w.json"), &r),
			 BRAIN_IO);
	ck_assert(strstr(unit_diag_text(), "/nonexistent/w.json"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("contact_rules");
	TCase *win = tcase_create("windows");
	TCase *file = tcase_create("file");
	TCase *zone = tcase_create("zone");

	tcase_add_checked_fixture(win, load, unload);
	tcase_add_test(win, federal_window_is_8_to_21_start_included_end_excluded);
	tcase_add_test(win, a_state_rule_narrows_the_window_and_is_cited);
	tcase_add_test(win, sundays_follow_the_state);
	tcase_add_test(win, next_allowed_crosses_the_day_month_and_year);
	tcase_add_test(win, next_allowed_skips_a_closed_sunday);
	tcase_add_test(win, every_state_given_applies);
	tcase_add_test(win, email_and_mail_have_no_window);
	tcase_add_test(win, a_state_holiday_allows_no_calls_and_is_skipped);
	tcase_add_test(win, zones_and_area_codes_are_looked_up);
	suite_add_tcase(s, win);

	tcase_add_test(file, a_bad_rules_file_is_refused_naming_the_field);
	tcase_add_test(file, the_shipped_file_loads_through_the_setting);
	tcase_add_test(file, the_shipped_file_closes_utah_rhode_island_and_alabama_holidays);
	tcase_add_test(file, a_year_past_the_holiday_list_is_named);
	tcase_add_test(file, a_missing_windows_file_is_an_io_error);
	suite_add_tcase(s, file);

	tcase_add_test(zone, local_time_prints_its_offset);
	tcase_add_test(zone, local_time_follows_tzdata_across_fall_back);
	tcase_add_test(zone, local_time_follows_tzdata_across_spring_forward);
	tcase_add_test(zone, zone_names_are_checked_against_tzdata);
	suite_add_tcase(s, zone);
	return s;
}

UNIT_MAIN(suite)
