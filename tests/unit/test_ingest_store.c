/* Unit tests of ingest_store: the allow-list of sources (missing is empty,
 * anything but a list is refused, names match case-insensitively, saved
 * with one audit record) and the suppression list. */
#include "unit.h"
#include "unit_state.h"

#include "core/change.h"
#include "core/ingest_store.h"
#include "core/state.h"
#include "pure/json.h"

static void open_state(struct state *st)
{
	unit_open_state(st, "2026-12-01T00:00:00Z");
}

static void write_learning(const char *name, const char *text)
{
	char path[4300];

	if (access(unit_under("learning"), F_OK) != 0)
		ck_assert_int_eq(mkdir(unit_under("learning"), 0700), 0);
	snprintf(path, sizeof(path), "%s/%s", unit_under("learning"), name);
	unit_write_file(path, text);
}

START_TEST(missing_sources_are_an_empty_list)
{
	struct state st;
	cJSON *list = NULL;

	open_state(&st);
	ck_assert_int_eq(ingest_store_sources(st.dirfd, &list), BRAIN_OK);
	ck_assert(cJSON_IsArray(list));
	ck_assert_int_eq(cJSON_GetArraySize(list), 0);
	ck_assert_str_eq(unit_diag_text(), "");
	cJSON_Delete(list);
	state_close(&st);
}
END_TEST

START_TEST(sources_that_are_not_a_list_are_refused)
{
	static const char *const bad[] = { "{}", "{\"sources\":[]}", "\"crm\"", "not json", "", "[" };
	struct state st;

	open_state(&st);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cJSON *list = (cJSON *)1;

		write_learning("sources.json", bad[i]);
		unit_capture_diag();
		ck_assert_msg(ingest_store_sources(st.dirfd, &list) == BRAIN_STATE, "accepted '%s'",
			      bad[i]);
		ck_assert_ptr_null(list);
		ck_assert_str_eq(unit_diag_text(),
				 "test: learning/sources.json: not a list of sources\n");
	}
	state_close(&st);
}
END_TEST

START_TEST(source_find_ignores_case_and_nameless_entries)
{
	cJSON *list = cJSON_Parse("[{\"kind\":\"no name\"},{\"name\":7},"
				  "{\"name\":\"CRM Export\",\"trust\":1},{\"name\":\"web form\"}]");
	cJSON *found;

	found = ingest_store_source_find(list, "crm export");
	ck_assert_ptr_nonnull(found);
	ck_assert_ptr_eq(found, cJSON_GetArrayItem(list, 2));
	ck_assert_ptr_eq(ingest_store_source_find(list, "CRM EXPORT"), found);
	ck_assert_ptr_eq(ingest_store_source_find(list, "Web Form"), cJSON_GetArrayItem(list, 3));
	ck_assert_ptr_null(ingest_store_source_find(list, "crm"));
	ck_assert_ptr_null(ingest_store_source_find(list, "crm export "));
	ck_assert_ptr_null(ingest_store_source_find(list, "7"));
	ck_assert_ptr_null(ingest_store_source_find(list, "no name"));
	cJSON_Delete(list);
}
END_TEST

START_TEST(saved_sources_load_back_with_one_record)
{
	struct audit_event ev = { "crm export", "ingest.source", "SUCCESS", NULL, NULL, NULL };
	struct state st;
	struct stat sb;
	cJSON *list = cJSON_Parse("[{\"name\":\"CRM Export\",\"trust\":0.9},{\"name\":\"Web\"}]");
	cJSON *back = NULL;

	open_state(&st);
	ck_assert_int_eq(ingest_store_save_sources(&st, list, &ev), BRAIN_OK);
	ck_assert_int_eq(unit_lines_of(AUDIT_LOG), 2); /* the header and the one */
	ck_assert_int_eq(stat(unit_under("learning"), &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	ck_assert_int_eq(ingest_store_sources(st.dirfd, &back), BRAIN_OK);
	ck_assert(cJSON_Compare(list, back, 1));
	ck_assert_ptr_nonnull(ingest_store_source_find(back, "web"));
	cJSON_Delete(back);
	/* An empty list saved is an empty list, not a missing one. */
	cJSON_Delete(list);
	list = cJSON_CreateArray();
	ck_assert_int_eq(ingest_store_save_sources(&st, list, &ev), BRAIN_OK);
	ck_assert_int_eq(unit_lines_of(AUDIT_LOG), 3);
	ck_assert_int_eq(access(unit_under(INGEST_SOURCES), F_OK), 0);
	ck_assert_int_eq(ingest_store_sources(st.dirfd, &back), BRAIN_OK);
	ck_assert_int_eq(cJSON_GetArraySize(back), 0);
	cJSON_Delete(back);
	cJSON_Delete(list);
	state_close(&st);
}
END_TEST

START_TEST(suppressed_phones_and_emails_are_found_with_their_rule)
{
	struct state st;
	char rule[32];

	open_state(&st);
	write_learning(INGEST_SUPPRESSION,
		       "{\"kind\":\"phone\",\"value\":\"+15551234567\",\"rule\":\"dnc-request\"}\n"
		       "\n"
		       "{\"kind\":\"email\",\"value\":\"jane@example.com\"}\n"
		       "{\"kind\":\"email\",\"value\":\"+15557654321\",\"rule\":\"wrong kind\"}\n");
	strcpy(rule, "unchanged");
	ck_assert_int_eq(ingest_store_suppressed(st.dirfd, "phone", "+15551234567", rule), 1);
	ck_assert_str_eq(rule, "dnc-request");
	/* Without a rule: "suppressed". */
	ck_assert_int_eq(ingest_store_suppressed(st.dirfd, "email", "jane@example.com", rule), 1);
	ck_assert_str_eq(rule, "suppressed");
	/* The kind must match, and the value exactly (it is normalised already). */
	strcpy(rule, "unchanged");
	ck_assert_int_eq(ingest_store_suppressed(st.dirfd, "phone", "+15557654321", rule), 0);
	ck_assert_int_eq(ingest_store_suppressed(st.dirfd, "email", "+15551234567", rule), 0);
	ck_assert_int_eq(ingest_store_suppressed(st.dirfd, "phone", "5551234567", rule), 0);
	ck_assert_int_eq(ingest_store_suppressed(st.dirfd, "email", "Jane@example.com", rule), 0);
	ck_assert_str_eq(rule, "unchanged");
	ck_assert_str_eq(unit_diag_text(), "");
	state_close(&st);
}
END_TEST

START_TEST(suppression_goes_on_past_a_bad_line_and_a_missing_list_suppresses_nothing)
{
	struct state st;
	char rule[32] = "";

	open_state(&st);
	ck_assert_int_eq(ingest_store_suppressed(st.dirfd, "phone", "+15551234567", rule), 0);
	write_learning(INGEST_SUPPRESSION,
		       "{\"kind\":\"phone\",\"value\":\n"
		       "{\"kind\":\"phone\",\"value\":\"+15551234567\",\"rule\":\"after the bad line\"}\n");
	ck_assert_int_eq(ingest_store_suppressed(st.dirfd, "phone", "+15551234567", rule), 1);
	ck_assert_str_eq(rule, "after the bad line");
	/* The bad line is reported, not passed over in silence. */
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "learning/suppression.jsonl:1: "));
	state_close(&st);
}
END_TEST

START_TEST(a_source_allows_only_the_uses_it_names)
{
	cJSON *src = cJSON_Parse("{\"name\":\"MLS\",\"uses\":[\"display\"]}");
	cJSON *bare = cJSON_Parse("{\"name\":\"Old\"}");

	unit_tmpdir();
	ck_assert(ingest_store_source_allows(src, "display"));
	ck_assert(!ingest_store_source_allows(src, "training"));
	ck_assert(!ingest_store_source_allows(bare, "training")); /* no uses: nothing */
	ck_assert(!ingest_store_source_allows(NULL, "training")); /* not on the list */
	cJSON_Delete(src);
	cJSON_Delete(bare);
}
END_TEST

START_TEST(batches_are_found_by_id_the_first_line_winning)
{
	struct state st;
	struct ingest_batches ib;
	const cJSON *b;

	open_state(&st);
	ck_assert_int_eq(ingest_batches_load(st.dirfd, &ib), BRAIN_OK); /* none yet */
	ck_assert_ptr_null(ingest_batches_find(&ib, "b-0123456789abcdef"));
	ingest_batches_free(&ib);
	write_learning(INGEST_BATCHES,
		       "{\"batch_id\":\"b-0123456789abcdef\",\"source\":\"County\",\"accepted\":2}\n"
		       "{\"batch_id\":\"b-00000000000000ff\",\"source\":\"CRM\",\"accepted\":1}\n"
		       "{\"batch_id\":\"b-0123456789abcdef\",\"source\":\"County\",\"accepted\":0}\n");
	ck_assert_int_eq(ingest_batches_load(st.dirfd, &ib), BRAIN_OK);
	b = ingest_batches_find(&ib, "b-0123456789abcdef");
	ck_assert_ptr_nonnull(b);
	ck_assert_double_eq(cJSON_GetObjectItemCaseSensitive(b, "accepted")->valuedouble, 2);
	ck_assert_str_eq(json_string(ingest_batches_find(&ib, "b-00000000000000ff"), "source"), "CRM");
	ck_assert_ptr_null(ingest_batches_find(&ib, "b-1111111111111111"));
	ingest_batches_free(&ib);
	write_learning(INGEST_BATCHES, "{\"source\":\"County\"}\n");
	ck_assert_int_eq(ingest_batches_load(st.dirfd, &ib), BRAIN_STATE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "learning/batches.jsonl:1: field 'batch_id'"));
	state_close(&st);
}
END_TEST

START_TEST(revocations_are_kept_apart_from_what_they_suppress)
{
	struct state st;
	struct ingest_suppression s;
	const cJSON *list;
	char rule[32] = "unchanged";

	open_state(&st);
	write_learning(INGEST_SUPPRESSION,
		       "{\"kind\":\"phone\",\"value\":\"+15551234567\",\"rule\":\"revocation\","
		       "\"revocation\":{\"time\":\"2026-11-20T15:00:00Z\",\"method\":\"reply_stop\"}}\n"
		       "{\"kind\":\"phone\",\"value\":\"+15551234567\",\"rule\":\"revocation\","
		       "\"revocation\":{\"time\":\"2026-11-22T15:00:00Z\",\"method\":\"verbal\"}}\n"
		       "{\"kind\":\"email\",\"value\":\"jane@example.com\",\"rule\":\"revocation\"}\n");
	ingest_suppression_load(st.dirfd, &s);
	/* A revocation suppresses nothing by itself: a later consent may hold. */
	ck_assert_int_eq(ingest_suppression_find(&s, "phone", "+15551234567", rule), 0);
	ck_assert_str_eq(rule, "unchanged");
	list = ingest_suppression_revocations(&s, "phone", "+15551234567");
	ck_assert_int_eq(cJSON_GetArraySize(list), 2);
	ck_assert_str_eq(json_string(cJSON_GetArrayItem(list, 1), "method"), "verbal");
	/* An entry without its revocation object keeps nothing. */
	ck_assert_ptr_null(ingest_suppression_revocations(&s, "email", "jane@example.com"));
	ingest_suppression_free(&s);
	state_close(&st);
}
END_TEST

START_TEST(a_lead_revocation_gives_entries_under_its_phone_and_email)
{
	cJSON *lead = cJSON_Parse("{\"consent\":{\"channels\":[\"sms\"],\"timestamp\":"
				  "\"2026-10-01T00:00:00Z\"},\"revocation\":[{\"time\":"
				  "\"2026-11-20T15:00:00Z\",\"method\":\"reply_stop\"},{\"time\":"
				  "\"2026-11-21T15:00:00Z\",\"method\":\"email\",\"channels\":"
				  "[\"email\"]}]}");
	cJSON *supp = cJSON_CreateArray();
	char *text;

	ingest_suppression_revocation_entries(lead, "+15551234567", "jane@example.com", "CRM",
					      "2026-11-28T12:00:00Z", supp);
	text = json_print_compact(supp);
	/* Every channel: under both; email only: under the email. */
	ck_assert_int_eq(cJSON_GetArraySize(supp), 3);
	ck_assert_str_eq(json_string(cJSON_GetArrayItem(supp, 0), "kind"), "phone");
	ck_assert_str_eq(json_string(cJSON_GetArrayItem(supp, 1), "kind"), "email");
	ck_assert_str_eq(json_string(cJSON_GetArrayItem(supp, 2), "kind"), "email");
	ck_assert_ptr_nonnull(strstr(text, "\"rule\":\"revocation\",\"source\":\"CRM\","
				     "\"ts\":\"2026-11-28T12:00:00Z\",\"revocation\":{"));
	ck_assert_ptr_nonnull(strstr(text, "\"consent\":[{\"channels\":[\"sms\"]"));
	free(text);
	cJSON_Delete(supp);
	cJSON_Delete(lead);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ingest_store");
	TCase *src = tcase_create("sources");
	TCase *sup = tcase_create("suppression");

	tcase_add_test(src, missing_sources_are_an_empty_list);
	tcase_add_test(src, sources_that_are_not_a_list_are_refused);
	tcase_add_test(src, source_find_ignores_case_and_nameless_entries);
	tcase_add_test(src, saved_sources_load_back_with_one_record);
	tcase_add_test(src, a_source_allows_only_the_uses_it_names);
	tcase_add_test(src, batches_are_found_by_id_the_first_line_winning);
	suite_add_tcase(s, src);

	tcase_add_test(sup, suppressed_phones_and_emails_are_found_with_their_rule);
	tcase_add_test(sup, suppression_goes_on_past_a_bad_line_and_a_missing_list_suppresses_nothing);
	tcase_add_test(sup, revocations_are_kept_apart_from_what_they_suppress);
	tcase_add_test(sup, a_lead_revocation_gives_entries_under_its_phone_and_email);
	suite_add_tcase(s, sup);
	return s;
}

UNIT_MAIN(suite)
