/* Unit tests of script_store: scripts are registered as slug@version, found
 * by id or by a name only one version has, saved with their audit records
 * and loaded back; a corrupt registry is the state's fault; the registry
 * is checked against the trail in its own pass or in another's. */
#include "unit.h"
#include "unit_state.h"

#include "core/change.h"
#include "core/script_store.h"
#include "core/state.h"

#define NOW "2026-12-01T00:00:00Z"

static void open_state(struct state *st)
{
	unit_open_state(st, NOW);
}

/* A registry of Cold Open v1 and v2 and Warm Close 1.0. */
static void three_scripts(struct script_registry *r)
{
	struct script *s;

	memset(r, 0, sizeof(*r));
	diag_init("test");
	ck_assert_int_eq(script_store_new(r, "Cold Open", "v1", NOW, &s), BRAIN_OK);
	ck_assert_int_eq(script_store_new(r, "Cold Open", "v2", NOW, &s), BRAIN_OK);
	ck_assert_int_eq(script_store_new(r, "Warm Close", "1.0", NOW, &s), BRAIN_OK);
	ck_assert_uint_eq(r->n, 3);
}

static void write_registry(const char *text)
{
	if (access(unit_under("scripts"), F_OK) != 0)
		ck_assert_int_eq(mkdir(unit_under("scripts"), 0700), 0);
	unit_write_file(unit_under("scripts/" SCRIPT_REGISTRY), text);
}

START_TEST(new_scripts_are_drafts_named_slug_at_version)
{
	struct script_registry r;
	struct script *s = NULL;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(script_store_new(&r, "Cold Open!", "v1.2_rc-1", NOW, &s), BRAIN_OK);
	ck_assert_ptr_eq(s, &r.s[0]);
	ck_assert_str_eq(s->id, "cold-open@v1.2_rc-1");
	ck_assert_str_eq(s->name, "Cold Open!");
	ck_assert_str_eq(s->version, "v1.2_rc-1");
	ck_assert_str_eq(s->created, NOW);
	ck_assert_str_eq(s->updated, NOW);
	ck_assert_int_eq(s->memory.status, PROMOTE_DRAFT);
	ck_assert_int_eq(s->memory.streak, 0);
	ck_assert_int_eq(s->has_performance, 0);
	script_store_free(&r);
	ck_assert_uint_eq(r.n, 0);
	ck_assert_ptr_null(r.s);
}
END_TEST

START_TEST(a_registered_id_is_not_registered_twice)
{
	struct script_registry r;
	struct script *s = NULL;

	three_scripts(&r);
	/* Another spelling of the same name slugs to the same id. */
	ck_assert_int_eq(script_store_new(&r, "cold open", "v2", "2027-01-01T00:00:00Z", &s),
			 BRAIN_NO);
	ck_assert_uint_eq(r.n, 3);
	ck_assert_ptr_eq(s, &r.s[1]);
	ck_assert_str_eq(s->name, "Cold Open");
	ck_assert_str_eq(s->created, NOW);
	script_store_free(&r);
}
END_TEST

START_TEST(bad_versions_and_names_are_refused)
{
	static const char *const bad[] = {
		"", "V1", "v 1", "v1/2", "../v1", "v1@2", "v\xc3\xa9",
		"123456789012345678901234567890123", /* 33 bytes */
	};
	struct script_registry r;
	struct script *s = NULL;
	char want[256];

	memset(&r, 0, sizeof(r));
	diag_init("test");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_capture_diag();
		ck_assert_msg(script_store_new(&r, "Cold Open", bad[i], NOW, &s) == BRAIN_DATA,
			      "version '%s' accepted", bad[i]);
		snprintf(want, sizeof(want), "test: invalid version '%s': 1 to 32 of a-z 0-9 . _ -\n",
			 bad[i]);
		ck_assert_str_eq(unit_diag_text(), want);
	}
	/* 32 bytes is the limit. */
	ck_assert_int_eq(script_store_new(&r, "Cold Open", "12345678901234567890123456789012",
					  NOW, &s), BRAIN_OK);
	/* A name that is not a display name, or has nothing to slug. */
	unit_capture_diag();
	ck_assert_int_eq(script_store_new(&r, "", "v1", NOW, &s), BRAIN_DATA);
	ck_assert_int_eq(script_store_new(&r, "!!!", "v1", NOW, &s), BRAIN_DATA);
	ck_assert_int_eq(script_store_new(&r, "tab\there", "v1", NOW, &s), BRAIN_DATA);
	ck_assert_uint_eq(r.n, 1);
	script_store_free(&r);
}
END_TEST

START_TEST(find_by_id_or_by_a_unique_name)
{
	struct script_registry r;
	struct script *s = NULL;

	three_scripts(&r);
	unit_capture_diag();
	ck_assert_int_eq(script_store_find(&r, "cold-open@v2", 0, &s), BRAIN_OK);
	ck_assert_ptr_eq(s, &r.s[1]);
	ck_assert_int_eq(script_store_find(&r, "Warm Close", 0, &s), BRAIN_OK);
	ck_assert_ptr_eq(s, &r.s[2]);
	ck_assert_int_eq(script_store_find(&r, "warm-close@1.0", 1, &s), BRAIN_OK);
	ck_assert_ptr_eq(s, &r.s[2]);
	ck_assert_str_eq(unit_diag_text(), "");
	/* Names are matched exactly, not slugged. */
	ck_assert_int_eq(script_store_find(&r, "warm close", 1, &s), BRAIN_NO);
	ck_assert_ptr_null(s);
	script_store_free(&r);
}
END_TEST

/* Lookups go through sorted indexes: every one of many scripts, added in
 * no order and some after a lookup, is found by id and by name. */
START_TEST(many_scripts_found_after_more_are_added)
{
	struct script_registry r;
	struct script *s;
	char name[32], id[64];

	memset(&r, 0, sizeof(r));
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 500; i++) {
			int k = (i * 7919) % 500 + 500 * round;

			snprintf(name, sizeof(name), "Script %d", k);
			ck_assert_int_eq(script_store_new(&r, name, "v1", NOW, &s), BRAIN_OK);
		}
		for (int k = 0; k < 500 * (round + 1); k++) {
			snprintf(name, sizeof(name), "Script %d", k);
			snprintf(id, sizeof(id), "script-%d@v1", k);
			ck_assert_int_eq(script_store_find(&r, id, 1, &s), BRAIN_OK);
			ck_assert_str_eq(s->name, name);
			ck_assert_int_eq(script_store_find(&r, name, 1, &s), BRAIN_OK);
			ck_assert_str_eq(s->id, id);
		}
	}
	ck_assert_int_eq(script_store_find(&r, "script-1000@v1", 1, &s), BRAIN_NO);
	script_store_free(&r);
}
END_TEST

START_TEST(ambiguous_name_is_refused)
{
	struct script_registry r;
	struct script *s = (struct script *)1;

	three_scripts(&r);
	unit_capture_diag();
	ck_assert_int_eq(script_store_find(&r, "Cold Open", 0, &s), BRAIN_DATA);
	ck_assert_ptr_null(s);
	ck_assert_str_eq(unit_diag_text(), "test: script 'Cold Open' has 2 versions: name one by "
					   "its id (see 'brain-promote status')\n");
	/* Quiet is for unknown scripts only: two versions are still an error. */
	unit_capture_diag();
	ck_assert_int_eq(script_store_find(&r, "Cold Open", 1, &s), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "has 2 versions"));
	script_store_free(&r);
}
END_TEST

START_TEST(unknown_script_is_refused_or_quietly_no)
{
	struct script_registry r;
	struct script *s = (struct script *)1;

	three_scripts(&r);
	unit_capture_diag();
	ck_assert_int_eq(script_store_find(&r, "Hot Middle", 1, &s), BRAIN_NO);
	ck_assert_ptr_null(s);
	ck_assert_str_eq(unit_diag_text(), "");
	ck_assert_int_eq(script_store_find(&r, "cold-open@v3", 0, &s), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(),
			 "test: unknown script 'cold-open@v3' (see 'brain-promote status')\n");
	script_store_free(&r);
}
END_TEST

START_TEST(saved_registry_loads_back_with_its_records)
{
	struct audit_event evs[2] = {
		{ "cold-open@v1", "promote.register", "SUCCESS", NULL, NULL, NULL },
		{ "cold-open@v1", "promote.promote", "SUCCESS", NULL, NULL, NULL },
	};
	struct script_registry r, back;
	struct script *s;
	struct state st;

	open_state(&st);
	/* No registry yet: an empty one. */
	ck_assert_int_eq(script_store_load(&st, &back), BRAIN_OK);
	ck_assert_uint_eq(back.n, 0);
	three_scripts(&r);
	s = &r.s[0];
	s->memory.status = PROMOTE_ACTIVE;
	s->memory.streak = -2;
	s->memory.last_change = (time_t)1795872343;
	s->evaluations = 7;
	s->last_performance = 0.875;
	s->has_performance = 1;
	snprintf(s->updated, sizeof(s->updated), "2026-12-02T00:00:00Z");
	r.s[2].memory.status = PROMOTE_RETIRED;
	ck_assert_int_eq(script_store_save(&st, &r, evs, 2), BRAIN_OK);
	ck_assert_int_eq(unit_lines_of(AUDIT_LOG), 3); /* the header and the two */
	ck_assert_int_eq(script_store_load(&st, &back), BRAIN_OK);
	ck_assert_uint_eq(back.n, 3);
	for (size_t i = 0; i < 3; i++) {
		cJSON *a = script_store_json(&r.s[i]), *b = script_store_json(&back.s[i]);

		ck_assert_msg(cJSON_Compare(a, b, 1), "script %zu differs", i);
		cJSON_Delete(a);
		cJSON_Delete(b);
	}
	s = &back.s[0];
	ck_assert_str_eq(s->id, "cold-open@v1");
	ck_assert_str_eq(s->name, "Cold Open");
	ck_assert_int_eq(s->memory.status, PROMOTE_ACTIVE);
	ck_assert_int_eq(s->memory.streak, -2);
	ck_assert_int_eq(s->memory.last_change, (time_t)1795872343);
	ck_assert_double_eq(s->evaluations, 7);
	ck_assert(s->has_performance);
	ck_assert_double_eq(s->last_performance, 0.875);
	ck_assert_str_eq(s->updated, "2026-12-02T00:00:00Z");
	ck_assert(!back.s[1].has_performance);
	ck_assert_int_eq(back.s[1].memory.last_change, 0);
	ck_assert_int_eq(back.s[2].memory.status, PROMOTE_RETIRED);
	script_store_free(&back);
	script_store_free(&r);
	state_close(&st);
}
END_TEST

START_TEST(a_corrupt_registry_is_a_state_error)
{
	static const struct {
		const char *text, *says;
	} bad[] = {
		{ "not json", "not a script registry" },
		{ "[]", "not a script registry" },
		{ "{\"scripts\":{}}", "not a script registry" },
		{ "{\"scripts\":[{\"script_id\":\"a@v1\"}]}", "a script lacks a string field" },
		{ "{\"scripts\":[{\"script_id\":\"a@v1\",\"name\":\"a\",\"version\":\"v1\","
		  "\"status\":\"famous\",\"created\":\"x\",\"updated\":\"x\",\"streak\":0,"
		  "\"evaluations\":0}]}", "a script has a bad field" },
		{ "{\"scripts\":[{\"script_id\":\"a@V1\",\"name\":\"a\",\"version\":\"V1\","
		  "\"status\":\"draft\",\"created\":\"x\",\"updated\":\"x\",\"streak\":0,"
		  "\"evaluations\":0}]}", "a script has a bad field" },
		{ "{\"scripts\":[{\"script_id\":\"a@v1\",\"name\":\"a\",\"version\":\"v1\","
		  "\"status\":\"draft\",\"created\":\"x\",\"updated\":\"x\",\"streak\":\"0\","
		  "\"evaluations\":0}]}", "a script has a bad field" },
		{ "{\"scripts\":[{\"script_id\":\"a@v1\",\"name\":\"a\",\"version\":\"v1\","
		  "\"status\":\"draft\",\"created\":\"x\",\"updated\":\"x\",\"streak\":0,"
		  "\"evaluations\":0,\"last_change\":\"yesterday\"}]}", "a script has a bad field" },
	};
	struct state st;

	open_state(&st);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct script_registry r;
		char want[256];

		write_registry(bad[i].text);
		unit_capture_diag();
		ck_assert_msg(script_store_load(&st, &r) == BRAIN_STATE, "accepted: %s", bad[i].text);
		snprintf(want, sizeof(want), "test: scripts/registry.json: %s\n", bad[i].says);
		ck_assert_str_eq(unit_diag_text(), want);
		script_store_free(&r);
	}
	state_close(&st);
}
END_TEST

START_TEST(names_of_all_or_only_the_active_scripts)
{
	struct audit_event ev = { "scripts", "promote.register", "SUCCESS", NULL, NULL, NULL };
	struct script_registry r;
	struct state st;
	char **names = NULL;
	size_t n = 9;

	open_state(&st);
	ck_assert_int_eq(script_store_names(&st, 0, &names, &n), BRAIN_OK);
	ck_assert_uint_eq(n, 0);
	three_scripts(&r);
	r.s[1].memory.status = PROMOTE_ACTIVE;
	r.s[2].memory.status = PROMOTE_ACTIVE;
	r.s[0].memory.status = PROMOTE_RETIRED;
	ck_assert_int_eq(script_store_save(&st, &r, &ev, 1), BRAIN_OK);
	script_store_free(&r);

	ck_assert_int_eq(script_store_names(&st, 0, &names, &n), BRAIN_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(names[0], "Cold Open");
	ck_assert_str_eq(names[1], "Cold Open");
	ck_assert_str_eq(names[2], "Warm Close");
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	ck_assert_int_eq(script_store_names(&st, 1, &names, &n), BRAIN_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(names[0], "Cold Open");   /* v2, the active one */
	ck_assert_str_eq(names[1], "Warm Close");
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	/* A corrupt registry gives no names. */
	write_registry("{}");
	unit_capture_diag();
	ck_assert_int_eq(script_store_names(&st, 0, &names, &n), BRAIN_STATE);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(names);
	state_close(&st);
}
END_TEST

/* A registry that does not load leaves nothing allocated (LeakSanitizer
 * under make SANITIZE=address check) and no names. */
START_TEST(names_of_a_registry_that_did_not_load_are_none)
{
	struct state st;
	char **names = NULL;
	size_t n = 7;

	open_state(&st);
	write_registry("{\"scripts\":[{\"script_id\":\"a@v1\",\"name\":\"a\",\"version\":\"v1\","
		       "\"status\":\"draft\",\"created\":\"x\",\"updated\":\"x\",\"streak\":0,"
		       "\"evaluations\":0},{\"script_id\":\"b@v1\"}]}");
	ck_assert_int_eq(script_store_names(&st, 0, &names, &n), BRAIN_STATE);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(names);
	state_close(&st);
}
END_TEST

/* script_store_check, and the same check over a pass of audit_each made
 * by the caller: one status and one detail. */
static enum brain_status check_both(struct state *st, char *detail, size_t size)
{
	struct script_trail t;
	char other[256];
	size_t n1, n2;
	enum brain_status alone = script_store_check(st, &n1, detail, size), shared, read = BRAIN_OK;

	if (!script_trail_begin(st, &t, other, sizeof(other)))
		read = audit_each(st->dirfd, script_trail_record, &t);
	shared = script_trail_end(&t, read, &n2);
	ck_assert_int_eq(alone, shared);
	ck_assert_uint_eq(n1, n2);
	ck_assert_str_eq(detail, other);
	return alone;
}

START_TEST(the_registry_is_checked_against_the_trail)
{
	struct script_registry r;
	struct state st;
	struct audit_ack ack;
	cJSON *to = cJSON_CreateObject();
	struct audit_event ev = { "cold-open@v1", "promote.promote", "SUCCESS", to, NULL, NULL };
	char detail[256];

	open_state(&st);
	three_scripts(&r);
	r.s[0].memory.status = PROMOTE_ACTIVE;
	cJSON_AddStringToObject(to, "new_status", "active");
	ck_assert_int_eq(script_store_save(&st, &r, &ev, 1), BRAIN_OK);
	script_store_free(&r);
	ck_assert_int_eq(check_both(&st, detail, sizeof(detail)), BRAIN_OK);
	/* The trail moves the script on; the registry stays behind. */
	cJSON_ReplaceItemInObject(to, "new_status", cJSON_CreateString("retired"));
	ev.action = "promote.retire";
	ck_assert_int_eq(audit_append(&st, NULL, &ev, &ack), BRAIN_OK);
	ck_assert_int_eq(check_both(&st, detail, sizeof(detail)), BRAIN_NO);
	ck_assert_str_eq(detail, "script cold-open@v1 is active, but the audit trail last set it "
			 "to retired");
	/* A record of a script the registry does not have. */
	ev.subject = "ghost@v1";
	ck_assert_int_eq(audit_append(&st, NULL, &ev, &ack), BRAIN_OK);
	ck_assert_int_eq(check_both(&st, detail, sizeof(detail)), BRAIN_NO);
	ck_assert_str_eq(detail, "audit record 4: script 'ghost@v1' was retire but is not "
			 "registered");
	cJSON_Delete(to);
	state_close(&st);
}
END_TEST

START_TEST(a_registry_that_does_not_load_wants_no_records)
{
	struct script_trail t;
	struct state st;
	char detail[256];
	size_t n = 7;

	open_state(&st);
	write_registry("not json");
	unit_capture_diag();
	ck_assert_int_eq(script_trail_begin(&st, &t, detail, sizeof(detail)), BRAIN_NO);
	ck_assert_str_eq(detail, "scripts/registry.json: not a script registry");
	ck_assert_int_eq(script_trail_record(&t, NULL, NULL, 1), 1);
	ck_assert_int_eq(script_trail_end(&t, BRAIN_OK, &n), BRAIN_NO);
	ck_assert_uint_eq(n, 0);
	state_close(&st);
}
END_TEST

START_TEST(policy_reads_the_promote_settings)
{
	struct state st;
	struct promote_policy p;

	open_state(&st);
	ck_assert_int_eq(script_store_policy(st.dirfd, &p), BRAIN_OK);
	ck_assert_double_eq(p.promote_at, 0.85);
	ck_assert_double_eq(p.floor, 0.5);
	ck_assert_int_eq(p.require_evidence, 0);
	unit_write_file(unit_under("config.json"),
			"{\"promote\":{\"promote_at\":0.036,\"demote_below\":0.025,"
			"\"floor\":0.015,\"cooldown_hours\":2,\"require_evidence\":true}}\n");
	ck_assert_int_eq(script_store_policy(st.dirfd, &p), BRAIN_OK);
	ck_assert_double_eq(p.promote_at, 0.036);
	ck_assert_double_eq(p.demote_below, 0.025);
	ck_assert_double_eq(p.floor, 0.015);
	ck_assert_double_eq(p.cooldown, 7200);
	ck_assert_int_eq(p.require_evidence, 1);
	/* Thresholds out of order are the state's fault. */
	unit_write_file(unit_under("config.json"), "{\"promote\":{\"floor\":0.9}}\n");
	ck_assert_int_eq(script_store_policy(st.dirfd, &p), BRAIN_STATE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "promote.floor <="));
	state_close(&st);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("script_store");
	TCase *reg = tcase_create("registry");
	TCase *file = tcase_create("file");

	tcase_add_test(reg, new_scripts_are_drafts_named_slug_at_version);
	tcase_add_test(reg, a_registered_id_is_not_registered_twice);
	tcase_add_test(reg, bad_versions_and_names_are_refused);
	tcase_add_test(reg, find_by_id_or_by_a_unique_name);
	tcase_add_test(reg, ambiguous_name_is_refused);
	tcase_add_test(reg, many_scripts_found_after_more_are_added);
	tcase_add_test(reg, unknown_script_is_refused_or_quietly_no);
	suite_add_tcase(s, reg);

	tcase_add_test(file, saved_registry_loads_back_with_its_records);
	tcase_add_test(file, a_corrupt_registry_is_a_state_error);
	tcase_add_test(file, names_of_all_or_only_the_active_scripts);
	tcase_add_test(file, names_of_a_registry_that_did_not_load_are_none);
	tcase_add_test(file, policy_reads_the_promote_settings);
	tcase_add_test(file, the_registry_is_checked_against_the_trail);
	tcase_add_test(file, a_registry_that_does_not_load_wants_no_records);
	suite_add_tcase(s, file);
	return s;
}

UNIT_MAIN(suite)
