/* Unit tests of compliance: consent records and their revocation (a later
 * revocation removes consent on its channels, every channel unless it
 * names some; a later consent holds again), the scrubs (national and
 * state Do-Not-Call, reassigned numbers, litigators: the latest of each
 * kind counts), a scrub older than its kind's limit (31 days unless
 * set; 0 no limit), and the checks that name the bad field. */
#include "unit.h"

#include <cjson/cJSON.h>

#include "pure/compliance.h"
#include "pure/time_text.h"

static time_t now_at(const char *text)
{
	time_t t;

	ck_assert_int_eq(time_text_parse(text, &t), 0);
	return t;
}

/* Whether lead (JSON text) blocks channel at 2026-11-28 under flags and
 * the scrub limits days (NULL: the defaults), with why. */
static int blocks_under(const char *text, enum contact_channel channel, unsigned flags,
			const int *days, char *why)
{
	struct json_loc loc = { "leads", 3 };
	struct compliance c;
	cJSON *lead = cJSON_Parse(text);
	int r;

	ck_assert_ptr_nonnull(lead);
	ck_assert_int_eq(compliance_read(lead, &loc, 0, &c), BRAIN_OK);
	compliance_set_scrub_days(&c, days);
	r = compliance_blocks(&c, channel, now_at("2026-11-28T12:00:00Z"), flags, why,
			      COMPLIANCE_WHY_SIZE);
	compliance_free(&c);
	cJSON_Delete(lead);
	return r;
}

static int blocks(const char *text, enum contact_channel channel, unsigned flags, char *why)
{
	return blocks_under(text, channel, flags, NULL, why);
}

/* The diagnostic of reading lead under flags, which must fail. */
static const char *refused(const char *text, unsigned flags)
{
	struct json_loc loc = { "leads", 4 };
	struct compliance c;
	cJSON *lead = cJSON_Parse(text);

	ck_assert_ptr_nonnull(lead);
	unit_capture_diag();
	ck_assert_int_eq(compliance_read(lead, &loc, flags, &c), BRAIN_DATA);
	compliance_free(&c);
	cJSON_Delete(lead);
	return unit_diag_text();
}

#define CONSENT "\"consent\":[{\"type\":\"express_written\",\"channels\":[\"phone\",\"sms\"]," \
		"\"timestamp\":\"2026-10-01T10:00:00Z\",\"source\":\"web_form\"," \
		"\"certificate_id\":\"TF-1\"}]"

START_TEST(a_revocation_after_consent_blocks_every_channel)
{
	char why[COMPLIANCE_WHY_SIZE];
	const char *lead = "{" CONSENT ",\"revocation\":[{\"time\":\"2026-11-20T15:00:00Z\","
			   "\"method\":\"reply_stop\"}]}";

	ck_assert(!blocks("{" CONSENT "}", CONTACT_SMS, COMPLIANCE_NEED_CONSENT, why));
	ck_assert(blocks(lead, CONTACT_SMS, COMPLIANCE_NEED_CONSENT, why));
	ck_assert_str_eq(why, "consent revoked by reply_stop at 2026-11-20T15:00:00Z "
			 "(every channel)");
	/* A STOP by text revokes the calls too, and email. */
	ck_assert(blocks(lead, CONTACT_PHONE, 0, why));
	ck_assert(blocks(lead, CONTACT_EMAIL, 0, why));
	ck_assert(!blocks(lead, CONTACT_MAIL, 0, why));
}
END_TEST

START_TEST(a_scoped_revocation_leaves_the_other_channels)
{
	char why[COMPLIANCE_WHY_SIZE];
	const char *lead = "{" CONSENT ",\"revocation\":{\"time\":\"2026-11-20T15:00:00Z\","
			   "\"method\":\"verbal\",\"channels\":[\"sms\"]}}";

	ck_assert(blocks(lead, CONTACT_SMS, COMPLIANCE_NEED_CONSENT, why));
	ck_assert_str_eq(why, "consent revoked by verbal at 2026-11-20T15:00:00Z (sms)");
	ck_assert(!blocks(lead, CONTACT_PHONE, COMPLIANCE_NEED_CONSENT, why));
	ck_assert(!blocks(lead, CONTACT_EMAIL, COMPLIANCE_NEED_CONSENT, why));
}
END_TEST

START_TEST(a_consent_after_the_revocation_holds_again)
{
	char why[COMPLIANCE_WHY_SIZE];
	const char *lead = "{\"consent\":[{\"channels\":[\"sms\"],\"timestamp\":"
			   "\"2026-11-25T09:00:00Z\"}],\"revocation\":[{\"time\":"
			   "\"2026-11-20T15:00:00Z\",\"method\":\"reply_stop\",\"channels\":\"all\"}]}";
	/* Without a time a consent is the earlier: revoked. */
	const char *untimed = "{\"consent\":{\"channels\":[\"sms\"]},\"revocation\":"
			      "[{\"time\":\"2026-11-20T15:00:00Z\"}]}";

	ck_assert(!blocks(lead, CONTACT_SMS, COMPLIANCE_NEED_CONSENT, why));
	ck_assert(blocks(untimed, CONTACT_SMS, COMPLIANCE_NEED_CONSENT, why));
	ck_assert_str_eq(why, "consent revoked at 2026-11-20T15:00:00Z (every channel)");
}
END_TEST

START_TEST(a_stored_revocation_counts_and_says_so)
{
	struct json_loc loc = { "leads", 1 };
	struct compliance c;
	char why[COMPLIANCE_WHY_SIZE];
	cJSON *lead = cJSON_Parse("{" CONSENT "}");
	cJSON *stored = cJSON_Parse("[{\"time\":\"2026-11-20T15:00:00Z\",\"method\":"
				    "\"reply_stop\",\"channels\":[\"phone\",\"sms\"]},"
				    "{\"bad\":true}]");

	ck_assert_int_eq(compliance_read(lead, &loc, 0, &c), BRAIN_OK);
	compliance_add_stored(&c, stored);
	ck_assert_uint_eq(c.nrevocations, 1);
	ck_assert(compliance_blocks(&c, CONTACT_SMS, now_at("2026-11-28T12:00:00Z"), 0, why,
				    sizeof(why)));
	ck_assert_str_eq(why, "consent revoked by reply_stop at 2026-11-20T15:00:00Z "
			 "(phone, sms); kept in the suppression list");
	compliance_free(&c);
	cJSON_Delete(stored);
	cJSON_Delete(lead);
}
END_TEST

START_TEST(no_consent_blocks_calls_when_consent_is_needed)
{
	char why[COMPLIANCE_WHY_SIZE];

	ck_assert(!blocks("{\"phone\":\"3055550100\"}", CONTACT_PHONE, 0, why));
	ck_assert(blocks("{\"phone\":\"3055550100\"}", CONTACT_PHONE, COMPLIANCE_NEED_CONSENT, why));
	ck_assert_str_eq(why, "no consent for phone calls");
	/* A lead that gives its consents is held to them. */
	ck_assert(blocks("{\"consent\":{\"channels\":[\"phone\"]}}", CONTACT_SMS, 0, why));
	ck_assert_str_eq(why, "no consent for SMS");
	ck_assert(!blocks("{\"phone\":\"3055550100\"}", CONTACT_EMAIL, COMPLIANCE_NEED_CONSENT,
			  why));
}
END_TEST

START_TEST(a_listed_litigator_or_reassigned_number_blocks_calls)
{
	char why[COMPLIANCE_WHY_SIZE];

	ck_assert(blocks("{" CONSENT ",\"scrubs\":[{\"kind\":\"litigator\",\"date\":"
			 "\"2026-11-25\",\"source\":\"blacklist-alliance\",\"result\":\"listed\"}]}",
			 CONTACT_PHONE, 0, why));
	ck_assert_str_eq(why, "listed as a known TCPA litigator (litigator scrub of 2026-11-25, "
			 "blacklist-alliance)");
	ck_assert(blocks("{" CONSENT ",\"scrubs\":[{\"kind\":\"reassigned\",\"date\":"
			 "\"2026-11-25\",\"source\":\"fcc-rnd\",\"result\":\"listed\"}]}",
			 CONTACT_SMS, 0, why));
	ck_assert_ptr_nonnull(strstr(why, "reassigned"));
	ck_assert(!blocks("{" CONSENT ",\"scrubs\":[{\"kind\":\"litigator\",\"date\":"
			  "\"2026-11-25\",\"result\":\"listed\"}]}", CONTACT_EMAIL, 0, why));
	ck_assert(blocks("{" CONSENT ",\"scrubs\":[{\"kind\":\"state_dnc\",\"date\":"
			 "\"2026-11-25\",\"source\":\"FL\",\"result\":\"listed\"}]}",
			 CONTACT_PHONE, 0, why));
	ck_assert_ptr_nonnull(strstr(why, "state Do-Not-Call"));
}
END_TEST

START_TEST(the_latest_scrub_of_a_kind_counts)
{
	char why[COMPLIANCE_WHY_SIZE];

	ck_assert(!blocks("{" CONSENT ",\"scrubs\":[{\"kind\":\"national_dnc\",\"date\":"
			  "\"2026-11-01\",\"result\":\"listed\"},{\"kind\":\"national_dnc\","
			  "\"date\":\"2026-11-20\",\"result\":\"clear\"}]}", CONTACT_PHONE, 0, why));
	ck_assert(blocks("{" CONSENT ",\"scrubs\":[{\"kind\":\"national_dnc\",\"date\":"
			 "\"2026-11-20\",\"result\":\"listed\"},{\"kind\":\"national_dnc\","
			 "\"date\":\"2026-11-01\",\"result\":\"clear\"}]}", CONTACT_PHONE, 0, why));
	ck_assert_str_eq(why, "listed on the national Do-Not-Call registry (national_dnc scrub "
			 "of 2026-11-20)");
}
END_TEST

START_TEST(a_dnc_scrub_older_than_31_days_is_stale)
{
	char why[COMPLIANCE_WHY_SIZE];

	/* 31 days before 2026-11-28 is 2026-10-28: still recent. */
	ck_assert(!blocks("{" CONSENT ",\"dnc_scrub\":{\"date\":\"2026-10-28\",\"source\":"
			  "\"national\"}}", CONTACT_PHONE, 0, why));
	ck_assert(blocks("{" CONSENT ",\"dnc_scrub\":{\"date\":\"2026-10-27\"}}", CONTACT_SMS, 0,
			 why));
	ck_assert_ptr_nonnull(strstr(why, "more than 31 days old"));
	/* The scrubs list's national scrub is the same one. */
	ck_assert(blocks("{" CONSENT ",\"scrubs\":[{\"kind\":\"national_dnc\",\"date\":"
			 "\"2026-10-27\",\"result\":\"clear\"}]}", CONTACT_PHONE, 0, why));
	ck_assert(!blocks("{" CONSENT ",\"dnc_scrub\":{\"date\":\"2026-10-01\"},\"scrubs\":"
			  "[{\"kind\":\"national_dnc\",\"date\":\"2026-11-27\",\"result\":"
			  "\"clear\"}]}", CONTACT_PHONE, 0, why));
}
END_TEST

#define SCRUB(kind, date) "{\"kind\":\"" kind "\",\"date\":\"" date "\"," \
		"\"source\":\"vendor\",\"result\":\"clear\"}"

START_TEST(every_kind_of_scrub_goes_stale_after_31_days)
{
	static const struct {
		const char *kind, *what;
	} kinds[] = {
		{ "state_dnc", "the state Do-Not-Call scrub of 2026-10-27 (vendor) is more than "
		  "31 days old" },
		{ "reassigned", "the reassigned-number scrub of 2026-10-27 (vendor) is more than "
		  "31 days old" },
		{ "litigator", "the litigator scrub of 2026-10-27 (vendor) is more than 31 days "
		  "old" },
	};
	char why[COMPLIANCE_WHY_SIZE], lead[512];

	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		snprintf(lead, sizeof(lead), "{" CONSENT ",\"scrubs\":[{\"kind\":\"%s\","
			 "\"date\":\"2026-10-27\",\"source\":\"vendor\",\"result\":"
			 "\"clear\"}]}", kinds[i].kind);
		ck_assert(blocks(lead, CONTACT_PHONE, 0, why));
		ck_assert_ptr_eq(strstr(why, kinds[i].what), why);
		ck_assert(blocks(lead, CONTACT_SMS, 0, why));
		ck_assert(!blocks(lead, CONTACT_EMAIL, 0, why));
		ck_assert(!blocks(lead, CONTACT_MAIL, 0, why));
		/* A day later it is 31 days old: still recent. */
		snprintf(lead, sizeof(lead), "{" CONSENT ",\"scrubs\":[{\"kind\":\"%s\","
			 "\"date\":\"2026-10-28\",\"result\":\"clear\"}]}", kinds[i].kind);
		ck_assert(!blocks(lead, CONTACT_PHONE, 0, why));
	}
}
END_TEST

START_TEST(each_kind_has_its_own_limit_and_0_is_none)
{
	/* national_dnc, state_dnc, reassigned, litigator */
	const int days[SCRUB_KINDS] = { 31, 0, 10, 90 };
	char why[COMPLIANCE_WHY_SIZE];

	/* No limit: a state scrub of a year ago still holds. */
	ck_assert(!blocks_under("{" CONSENT ",\"scrubs\":[" SCRUB("state_dnc", "2025-11-01")
				"]}", CONTACT_PHONE, 0, days, why));
	/* 10 days: one of 2026-11-17 is 11 days old. */
	ck_assert(blocks_under("{" CONSENT ",\"scrubs\":[" SCRUB("reassigned", "2026-11-17")
			       "]}", CONTACT_SMS, 0, days, why));
	ck_assert_str_eq(why, "the reassigned-number scrub of 2026-11-17 (vendor) is more than "
			 "10 days old: scrub again before calling or texting");
	ck_assert(!blocks_under("{" CONSENT ",\"scrubs\":[" SCRUB("reassigned", "2026-11-18")
				"]}", CONTACT_SMS, 0, days, why));
	/* 90 days: 60 days old is recent, 100 is not. */
	ck_assert(!blocks_under("{" CONSENT ",\"scrubs\":[" SCRUB("litigator", "2026-09-29")
				"]}", CONTACT_PHONE, 0, days, why));
	ck_assert(blocks_under("{" CONSENT ",\"scrubs\":[" SCRUB("litigator", "2026-08-20")
			       "]}", CONTACT_PHONE, 0, days, why));
	ck_assert_ptr_nonnull(strstr(why, "more than 90 days old"));
	/* NULL: the defaults, 31 days each. */
	ck_assert(blocks_under("{" CONSENT ",\"scrubs\":[" SCRUB("state_dnc", "2025-11-01")
			       "]}", CONTACT_PHONE, 0, NULL, why));
	/* A listed result blocks whatever its age and limit. */
	ck_assert(blocks_under("{" CONSENT ",\"scrubs\":[{\"kind\":\"state_dnc\",\"date\":"
			       "\"2025-11-01\",\"result\":\"listed\"}]}", CONTACT_PHONE, 0,
			       days, why));
	ck_assert_ptr_nonnull(strstr(why, "listed on a state Do-Not-Call list"));
	ck_assert_str_eq(compliance_scrub_kind_name(SCRUB_REASSIGNED), "reassigned");
}
END_TEST

START_TEST(bad_evidence_names_the_line_and_field)
{
	static const struct {
		const char *lead, *want;
		unsigned flags;
	} cases[] = {
		{ "{\"consent\":[{\"channels\":[\"sms\"]}]}",
		  "leads:4: field 'consent[0].timestamp' is missing", COMPLIANCE_STRICT },
		{ "{\"consent\":{\"channels\":[\"sms\"]}}",
		  "leads:4: field 'consent.timestamp' is missing", COMPLIANCE_STRICT },
		{ "{\"consent\":[{\"channels\":[\"sms\"],\"timestamp\":\"2026-11-01\"}]}",
		  "leads:4: field 'consent[0].timestamp' must be an RFC 3339 timestamp", 0 },
		{ "{\"consent\":[{\"channels\":[\"sms\"],\"ts\":\"soon\"}]}",
		  "leads:4: field 'consent[0].ts' must be an RFC 3339 timestamp", 0 },
		{ "{\"consent\":[{\"timestamp\":\"2026-11-01T00:00:00Z\",\"channels\":[\"sms\","
		  "\"fax\"]}]}", "leads:4: field 'consent[0].channels' holds 'fax'", 0 },
		{ "{\"consent\":[{\"timestamp\":\"2026-11-01T00:00:00Z\",\"channels\":[\"sms\"],"
		  "\"disclosure_sha256\":\"abc\"}]}",
		  "leads:4: field 'consent[0].disclosure_sha256' must be a SHA-256", 0 },
		{ "{\"consent\":true}", "leads:4: field 'consent' must be a list", 0 },
		{ "{\"revocation\":[{\"method\":\"verbal\"}]}",
		  "leads:4: field 'revocation[0].time' is missing", COMPLIANCE_STRICT },
		{ "{\"revocation\":[{\"time\":\"2026-11-01T00:00:00Z\"}]}",
		  "leads:4: field 'revocation[0].method' is missing", COMPLIANCE_STRICT },
		{ "{\"revocation\":[{\"time\":\"2026-11-01T00:00:00Z\",\"channels\":\"some\"}]}",
		  "leads:4: field 'revocation[0].channels' must be a list of channels or \"all\"",
		  0 },
		{ "{\"scrubs\":[{\"kind\":\"litigator\",\"date\":\"25/11/2026\",\"result\":"
		  "\"listed\"}]}", "leads:4: field 'scrubs[0].date' must be a date, YYYY-MM-DD", 0 },
		{ "{\"scrubs\":[{\"kind\":\"wireless\",\"date\":\"2026-11-25\",\"result\":"
		  "\"listed\"}]}", "leads:4: field 'scrubs[0].kind' must be national_dnc", 0 },
		{ "{\"scrubs\":[{\"kind\":\"litigator\",\"date\":\"2026-11-25\"}]}",
		  "leads:4: field 'scrubs[0].result' must be clear or listed", 0 },
		{ "{\"dnc_scrub\":true}", "leads:4: field 'dnc_scrub' must be", 0 },
		{ "{\"dnc_scrub\":{\"source\":\"x\"}}", "leads:4: field 'dnc_scrub.date'", 0 },
		{ "{\"dnc_scrub\":{\"date\":\"28/10/2026\"}}", "leads:4: field 'dnc_scrub.date'", 0 },
		{ "{\"dnc_scrub\":{\"date\":\"2026-10-28\",\"source\":7}}",
		  "leads:4: field 'dnc_scrub' must be", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *text = refused(cases[i].lead, cases[i].flags);

		ck_assert_msg(strstr(text, cases[i].want), "%s: '%s'", cases[i].lead, text);
	}
}
END_TEST

START_TEST(readers_take_evidence_without_times)
{
	struct json_loc loc = { "leads", 1 };
	struct compliance c;
	cJSON *lead = cJSON_Parse("{\"consent\":{\"type\":\"written\",\"channels\":[\"Phone\"]},"
				  "\"revocation\":{\"channels\":[\"email\"]}}");

	ck_assert_int_eq(compliance_read(lead, &loc, 0, &c), BRAIN_OK);
	ck_assert_uint_eq(c.nconsents, 1);
	ck_assert_uint_eq(c.consents[0].channels, 1u << CONTACT_PHONE);
	ck_assert_uint_eq(c.nrevocations, 1);
	compliance_free(&c);
	cJSON_Delete(lead);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("compliance");
	TCase *rv = tcase_create("revocation");
	TCase *sc = tcase_create("scrubs");
	TCase *ck = tcase_create("checks");

	tcase_add_test(rv, a_revocation_after_consent_blocks_every_channel);
	tcase_add_test(rv, a_scoped_revocation_leaves_the_other_channels);
	tcase_add_test(rv, a_consent_after_the_revocation_holds_again);
	tcase_add_test(rv, a_stored_revocation_counts_and_says_so);
	tcase_add_test(rv, no_consent_blocks_calls_when_consent_is_needed);
	suite_add_tcase(s, rv);
	tcase_add_test(sc, a_listed_litigator_or_reassigned_number_blocks_calls);
	tcase_add_test(sc, the_latest_scrub_of_a_kind_counts);
	tcase_add_test(sc, a_dnc_scrub_older_than_31_days_is_stale);
	tcase_add_test(sc, every_kind_of_scrub_goes_stale_after_31_days);
	tcase_add_test(sc, each_kind_has_its_own_limit_and_0_is_none);
	suite_add_tcase(s, sc);
	tcase_add_test(ck, bad_evidence_names_the_line_and_field);
	tcase_add_test(ck, readers_take_evidence_without_times);
	suite_add_tcase(s, ck);
	return s;
}

UNIT_MAIN(suite)
