/* Unit tests of binding: a file saved with its record is bound to the
 * trail; an edit, a removal or a path out of the state is a mismatch
 * naming the file and the record; the next record re-binds; a file no
 * record names is not checked.  Gathered in the pass that verifies the
 * chain, the bindings say what binding_check says, past a break too. */
#include "unit.h"
#include "unit_state.h"

#include "core/audit.h"
#include "core/audit_verify.h"
#include "core/binding.h"
#include "core/change.h"

static void save(struct state *st, const char *dir, const char *name, const char *json)
{
	struct audit_event ev = { "doc", "test.save", "SUCCESS", NULL, NULL, NULL };
	cJSON *doc = cJSON_Parse(json);

	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(change_save_json(st, dir, name, doc, NULL, &ev), BRAIN_OK);
	cJSON_Delete(doc);
}

static void overwrite(const char *name, const char *text)
{
	FILE *fp = fopen(unit_under(name), "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

START_TEST(binding_add_records_the_path_and_the_sha256)
{
	cJSON *d = cJSON_CreateObject();

	binding_add(d, "config.json", "abc", 3);
	ck_assert_str_eq(cJSON_GetObjectItem(d, "file")->valuestring, "config.json");
	ck_assert_str_eq(cJSON_GetObjectItem(d, "sha256")->valuestring,
			 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	cJSON_Delete(d);
}
END_TEST

START_TEST(a_saved_file_is_bound_and_an_edit_is_found)
{
	struct state st;
	struct binding_report r;

	unit_open_state(&st, "2026-12-01T00:00:00Z");
	ck_assert_int_eq(binding_check(&st, &r), BRAIN_OK);
	ck_assert(r.ok && r.files == 0);
	save(&st, "models/m", "model.json", "{\"serving\":\"m@1\"}");
	save(&st, "", "policy.json", "{\"min\":0.8}");
	ck_assert_int_eq(binding_check(&st, &r), BRAIN_OK);
	ck_assert_msg(r.ok && r.files == 2, "%s", r.detail);
	/* The record holds the file's path and hash. */
	char cmd[4400];

	snprintf(cmd, sizeof(cmd), "grep -q '\"file\":\"models/m/model.json\",\"sha256\":\"' "
		 "'%s'", unit_under("audit.log"));
	ck_assert_int_eq(system(cmd), 0);
	overwrite("models/m/model.json", "{\"serving\":\"m@2\"}\n");
	ck_assert_int_eq(binding_check(&st, &r), BRAIN_OK);
	ck_assert(!r.ok);
	ck_assert_msg(strstr(r.detail, "models/m/model.json is not what audit record 2 recorded") &&
		      strstr(r.detail, "changed outside brain"), "%s", r.detail);
	/* One file alone. */
	ck_assert_int_eq(binding_check_file(&st, "policy.json", &r), BRAIN_OK);
	ck_assert(r.ok && r.files == 1);
	ck_assert_int_eq(binding_check_file(&st, "models/m/model.json", &r), BRAIN_OK);
	ck_assert(!r.ok && r.files == 1);
	/* Saved again through brain, it is bound again. */
	save(&st, "models/m", "model.json", "{\"serving\":\"m@2\"}");
	ck_assert_int_eq(binding_check(&st, &r), BRAIN_OK);
	ck_assert_msg(r.ok, "%s", r.detail);
	state_close(&st);
}
END_TEST

START_TEST(a_removed_bound_file_is_found)
{
	struct state st;
	struct binding_report r;

	unit_open_state(&st, "2026-12-01T00:00:00Z");
	save(&st, "", "policy.json", "{\"min\":0.8}");
	ck_assert_int_eq(unlink(unit_under("policy.json")), 0);
	ck_assert_int_eq(binding_check(&st, &r), BRAIN_OK);
	ck_assert(!r.ok);
	ck_assert_msg(strstr(r.detail, "policy.json is missing, but audit record 2 recorded it"),
		      "%s", r.detail);
	state_close(&st);
}
END_TEST

START_TEST(a_record_naming_a_path_outside_the_state_is_a_mismatch)
{
	struct state st;
	struct binding_report r;
	struct audit_ack ack;
	cJSON *d = cJSON_CreateObject();
	struct audit_event ev = { "x", "test.bind", "SUCCESS", d, NULL, NULL };

	unit_open_state(&st, "2026-12-01T00:00:00Z");
	binding_add(d, "../outside.json", "x", 1);
	ck_assert_int_eq(audit_append(&st, NULL, &ev, &ack), BRAIN_OK);
	ck_assert_int_eq(binding_check(&st, &r), BRAIN_OK);
	ck_assert(!r.ok);
	ck_assert_msg(strstr(r.detail, "outside the state directory"), "%s", r.detail);
	cJSON_Delete(d);
	state_close(&st);
}
END_TEST

/* binding_check and binding_check_verified on the state: the same report. */
static struct binding_report check_both(struct state *st, struct audit_report *rep)
{
	struct audit_verify_opts o = { .key_path = NULL };
	struct binding_report alone, shared;

	ck_assert_int_eq(binding_check(st, &alone), BRAIN_OK);
	ck_assert_int_eq(binding_check_verified(st, &o, rep, &shared), BRAIN_OK);
	ck_assert_int_eq(alone.ok, shared.ok);
	ck_assert_uint_eq(alone.files, shared.files);
	ck_assert_str_eq(alone.detail, shared.detail);
	return shared;
}

START_TEST(bindings_gathered_while_the_chain_is_verified_are_binding_checks)
{
	struct state st;
	struct binding_report r;
	struct audit_report rep;

	unit_open_state(&st, "2026-12-01T00:00:00Z");
	save(&st, "models/m", "model.json", "{\"serving\":\"m@1\"}");
	save(&st, "", "policy.json", "{\"min\":0.8}");
	r = check_both(&st, &rep);
	ck_assert(rep.ok && rep.each_complete);
	ck_assert_msg(r.ok && r.files == 2, "%s", r.detail);
	overwrite("policy.json", "{\"min\":0.5}\n");
	r = check_both(&st, &rep);
	ck_assert(rep.ok && rep.each_complete);
	ck_assert(!r.ok);
	ck_assert_msg(strstr(r.detail, "policy.json is not what audit record 3 recorded"), "%s",
		      r.detail);
	state_close(&st);
}
END_TEST

/* Record 2 edited: the chain breaks at record 3, which binds policy.json;
 * the bindings are still checked (the log read again past the break). */
START_TEST(a_binding_recorded_past_a_broken_chain_is_still_checked)
{
	struct state st;
	struct binding_report r;
	struct audit_report rep;
	struct audit_ack ack;
	struct audit_event ev = { "alpha", "test.act", "SUCCESS", NULL, NULL, NULL };
	char cmd[4400];

	unit_open_state(&st, "2026-12-01T00:00:00Z");
	ck_assert_int_eq(audit_append(&st, NULL, &ev, &ack), BRAIN_OK);
	save(&st, "", "policy.json", "{\"min\":0.8}");
	snprintf(cmd, sizeof(cmd), "sed -i '2s/\"alpha\"/\"alphx\"/' '%s'", unit_under("audit.log"));
	ck_assert_int_eq(system(cmd), 0);
	overwrite("policy.json", "{\"min\":0.5}\n");
	r = check_both(&st, &rep);
	ck_assert(!rep.ok && !rep.each_complete);
	ck_assert_str_eq(rep.error, "prev_mismatch");
	ck_assert_uint_eq(rep.seq, 3);
	ck_assert(!r.ok && r.files == 1);
	ck_assert_msg(strstr(r.detail, "policy.json is not what audit record 3 recorded"), "%s",
		      r.detail);
	state_close(&st);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("binding");
	TCase *tc = tcase_create("binding");

	tcase_add_test(tc, binding_add_records_the_path_and_the_sha256);
	tcase_add_test(tc, a_saved_file_is_bound_and_an_edit_is_found);
	tcase_add_test(tc, a_removed_bound_file_is_found);
	tcase_add_test(tc, a_record_naming_a_path_outside_the_state_is_a_mismatch);
	tcase_add_test(tc, bindings_gathered_while_the_chain_is_verified_are_binding_checks);
	tcase_add_test(tc, a_binding_recorded_past_a_broken_chain_is_still_checked);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
