/* Unit tests of clone_store: the score log of each clone (appended with its
 * audit record, read latest-first or in order), the deployment files
 * (saved several in one change, each bound to its record; refused when
 * inconsistent), the waivers file, and the gate policy from a file or
 * from the settings. */
#include "unit.h"
#include "unit_state.h"

#include <math.h>

#include "core/change.h"
#include "core/clone_store.h"
#include "core/state.h"

/* A fresh, locked state; diagnostics captured. */
static void open_state(struct state *st)
{
	unit_open_state(st, "2026-12-01T00:00:00Z");
}

static void append_score(struct state *st, const char *id, double readiness)
{
	struct audit_event ev = { id, "score.record", "SUCCESS", NULL, NULL, NULL };
	cJSON *score = cJSON_CreateObject();

	cJSON_AddStringToObject(score, "clone", id);
	cJSON_AddNumberToObject(score, "readiness", readiness);
	ck_assert_int_eq(clone_store_append_score(st, id, score, &ev), BRAIN_OK);
	cJSON_Delete(score);
}

/* What clone_store_each_score passed. */
struct seen {
	int n;
	double readiness[8];
	long line[8];
};

static enum brain_status see(void *arg, const cJSON *rec, const struct json_loc *loc)
{
	struct seen *s = arg;

	ck_assert_int_lt(s->n, 8);
	s->readiness[s->n] = cJSON_GetObjectItem(rec, "readiness")->valuedouble;
	s->line[s->n] = loc->line;
	s->n++;
	return BRAIN_OK;
}

/* ---- scores ---------------------------------------------------------------- */

START_TEST(scores_are_appended_and_read_back_in_order)
{
	struct state st;
	struct seen seen = { 0 };
	cJSON *latest = NULL;

	open_state(&st);
	append_score(&st, "clone-a", 0.7);
	append_score(&st, "clone-a", 0.9);
	append_score(&st, "clone-b", 0.1);
	ck_assert_int_eq(unit_lines_of("clones/clone-a/" CLONE_SCORES), 2);
	ck_assert_int_eq(unit_lines_of("clones/clone-b/" CLONE_SCORES), 1);
	/* The log header and one record per score. */
	ck_assert_int_eq(unit_lines_of(AUDIT_LOG), 4);
	ck_assert_int_eq(clone_store_latest_score(st.dirfd, "clone-a", &latest), BRAIN_OK);
	ck_assert_ptr_nonnull(latest);
	ck_assert_double_eq(cJSON_GetObjectItem(latest, "readiness")->valuedouble, 0.9);
	ck_assert_str_eq(cJSON_GetObjectItem(latest, "clone")->valuestring, "clone-a");
	cJSON_Delete(latest);
	ck_assert_int_eq(clone_store_each_score(st.dirfd, "clone-a", see, &seen), BRAIN_OK);
	ck_assert_int_eq(seen.n, 2);
	ck_assert_double_eq(seen.readiness[0], 0.7);
	ck_assert_int_eq(seen.line[0], 1);
	ck_assert_double_eq(seen.readiness[1], 0.9);
	ck_assert_int_eq(seen.line[1], 2);
	ck_assert_str_eq(unit_diag_text(), "");
	state_close(&st);
}
END_TEST

START_TEST(a_clone_without_scores_has_no_latest_and_no_log)
{
	struct state st;
	struct seen seen = { 0 };
	cJSON *latest = (cJSON *)1;

	open_state(&st);
	/* Not even clones/ exists yet. */
	ck_assert_int_eq(clone_store_latest_score(st.dirfd, "clone-a", &latest), BRAIN_OK);
	ck_assert_ptr_null(latest);
	ck_assert_int_eq(clone_store_each_score(st.dirfd, "clone-a", see, &seen), BRAIN_NO);
	ck_assert_int_eq(seen.n, 0);
	/* Another clone's scores are not this one's. */
	append_score(&st, "clone-b", 0.5);
	latest = (cJSON *)1;
	ck_assert_int_eq(clone_store_latest_score(st.dirfd, "clone-a", &latest), BRAIN_OK);
	ck_assert_ptr_null(latest);
	ck_assert_int_eq(clone_store_each_score(st.dirfd, "clone-a", see, &seen), BRAIN_NO);
	ck_assert_str_eq(unit_diag_text(), "");
	state_close(&st);
}
END_TEST

START_TEST(a_bad_score_log_is_a_state_error)
{
	struct state st;
	struct seen seen = { 0 };
	cJSON *latest = (cJSON *)1;

	open_state(&st);
	append_score(&st, "clone-a", 0.7);
	{
		FILE *fp = fopen(unit_under("clones/clone-a/" CLONE_SCORES), "a");

		ck_assert_ptr_nonnull(fp);
		fputs("{\"readiness\":\n{\"readiness\":0.8}\n", fp);
		ck_assert_int_eq(fclose(fp), 0);
	}
	ck_assert_int_eq(clone_store_latest_score(st.dirfd, "clone-a", &latest), BRAIN_STATE);
	ck_assert_ptr_null(latest); /* not the score before the bad line */
	ck_assert_str_eq(unit_diag_text(), "test: clones/clone-a/scores.jsonl:2: invalid JSON: "
					   "unexpected end of line\n");
	ck_assert_int_eq(clone_store_each_score(st.dirfd, "clone-a", see, &seen), BRAIN_STATE);
	ck_assert_int_eq(seen.n, 1);
	state_close(&st);
}
END_TEST

START_TEST(a_score_that_cannot_be_written_leaves_nothing)
{
	struct audit_event ev = { "clone-a", "score.record", "SUCCESS", NULL, NULL, NULL };
	struct state st;
	cJSON *score = cJSON_CreateObject();

	open_state(&st);
	append_score(&st, "clone-a", 0.7);
	cJSON_AddNumberToObject(score, "readiness", NAN);
	ck_assert_int_eq(clone_store_append_score(&st, "clone-a", score, &ev), BRAIN_IO);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "non-finite number in field 'readiness'"));
	ck_assert_int_eq(unit_lines_of("clones/clone-a/" CLONE_SCORES), 1);
	ck_assert_int_eq(unit_lines_of(AUDIT_LOG), 2);
	cJSON_Delete(score);
	state_close(&st);
}
END_TEST

/* ---- waivers ----------------------------------------------------------------- */

static const char two_waivers[] =
	"[{\"clone\":\"clone-a\",\"gate\":\"accuracy\",\"until\":\"2027-01-01T00:00:00Z\","
	"\"reason\":\"new data\"},"
	"{\"clone\":\"clone-b\",\"gate\":\"readiness\",\"until\":\"2027-02-01\",\"reason\":\"pilot\"},"
	"{\"clone\":\"clone-a\",\"gate\":\"no_regression\",\"until\":\"2027-03-01T12:00:00+02:00\","
	"\"reason\":\"known dip\",\"actor\":\"ops\"}]";

static void write_waivers(const char *text)
{
	ck_assert_int_eq(mkdir(unit_under("gates"), 0700) == 0 || access(unit_under("gates"), F_OK) == 0, 1);
	unit_write_file(unit_under("gates/" CLONE_WAIVERS), text);
}

START_TEST(a_missing_waivers_file_is_an_empty_list)
{
	struct state st;
	struct gate_waiver *w = (struct gate_waiver *)1;
	size_t n = 9;
	cJSON *all = NULL;

	open_state(&st);
	ck_assert_int_eq(clone_store_waivers(st.dirfd, "clone-a", &w, &n, &all), BRAIN_OK);
	ck_assert_ptr_null(w);
	ck_assert_uint_eq(n, 0);
	ck_assert(cJSON_IsArray(all));
	ck_assert_int_eq(cJSON_GetArraySize(all), 0);
	cJSON_Delete(all);
	state_close(&st);
}
END_TEST

START_TEST(waivers_are_filtered_by_clone)
{
	struct state st;
	struct gate_waiver *w = NULL;
	size_t n = 0;
	cJSON *all = NULL;

	open_state(&st);
	write_waivers(two_waivers);
	ck_assert_int_eq(clone_store_waivers(st.dirfd, "clone-a", &w, &n, &all), BRAIN_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(w[0].gate, "accuracy");
	ck_assert_str_eq(w[0].reason, "new data");
	ck_assert_int_eq(w[0].until, (time_t)1798761600);          /* 2027-01-01 */
	ck_assert_str_eq(w[1].gate, "no_regression");
	ck_assert_int_eq(w[1].until, (time_t)1803895200); /* 10:00Z: offset applied */
	/* The whole list, for a writer that adds one. */
	ck_assert_int_eq(cJSON_GetArraySize(all), 3);
	free(w);
	cJSON_Delete(all);

	ck_assert_int_eq(clone_store_waivers(st.dirfd, "clone-b", &w, &n, &all), BRAIN_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(w[0].gate, "readiness");
	free(w);
	cJSON_Delete(all);
	ck_assert_int_eq(clone_store_waivers(st.dirfd, "clone-c", &w, &n, &all), BRAIN_OK);
	ck_assert_uint_eq(n, 0);
	free(w);
	cJSON_Delete(all);
	/* NULL: every clone's. */
	ck_assert_int_eq(clone_store_waivers(st.dirfd, NULL, &w, &n, &all), BRAIN_OK);
	ck_assert_uint_eq(n, 3);
	free(w);
	cJSON_Delete(all);
	state_close(&st);
}
END_TEST

START_TEST(a_malformed_waiver_is_a_state_error)
{
	static const char *const bad[] = {
		"{\"clone\":\"clone-a\"}",                                         /* not a list */
		"not json",
		"[{\"clone\":\"clone-a\",\"gate\":\"accuracy\",\"until\":\"soon\",\"reason\":\"r\"}]",
		"[{\"clone\":\"clone-a\",\"gate\":\"accuracy\",\"until\":\"2027-02-30\",\"reason\":\"r\"}]",
		"[{\"clone\":\"clone-a\",\"gate\":\"accuracy\",\"until\":\"2027-01-01\"}]",
		"[{\"clone\":\"clone-a\",\"gate\":1,\"until\":\"2027-01-01\",\"reason\":\"r\"}]",
		"[{\"gate\":\"accuracy\",\"until\":\"2027-01-01\",\"reason\":\"r\"}]",
		/* A gate there is not: never in force, so refused. */
		"[{\"clone\":\"clone-a\",\"gate\":\"acuracy\",\"until\":\"2027-01-01\",\"reason\":\"r\"}]",
		/* A bad waiver of another clone spoils the list too. */
		"[{\"clone\":\"clone-a\",\"gate\":\"accuracy\",\"until\":\"2027-01-01\",\"reason\":\"r\"},"
		"{\"clone\":\"clone-z\",\"gate\":\"accuracy\",\"until\":\"never\",\"reason\":\"r\"}]",
	};
	struct state st;

	open_state(&st);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct gate_waiver *w = NULL;
		size_t n = 0;
		cJSON *all = NULL;

		write_waivers(bad[i]);
		unit_capture_diag();
		ck_assert_msg(clone_store_waivers(st.dirfd, "clone-a", &w, &n, &all) == BRAIN_STATE,
			      "accepted: %s", bad[i]);
		ck_assert_msg(strstr(unit_diag_text(), "gates/waivers.json: "), "%s: %s", bad[i],
			      unit_diag_text());
		free(w);
		cJSON_Delete(all);
	}
	state_close(&st);
}
END_TEST

/* A file from before one waiver per clone and gate. */
static const char duplicate_waivers[] =
	"[{\"clone\":\"clone-a\",\"gate\":\"readiness\",\"until\":\"2027-06-01\",\"reason\":\"first\"},"
	"{\"clone\":\"clone-b\",\"gate\":\"readiness\",\"until\":\"2027-01-01\",\"reason\":\"other\"},"
	"{\"clone\":\"clone-a\",\"gate\":\"readiness\",\"until\":\"2027-01-01\",\"reason\":\"second\"},"
	"{\"clone\":\"clone-a\",\"gate\":\"accuracy\",\"until\":\"2027-01-01\",\"reason\":\"acc\"},"
	"{\"clone\":\"clone-a\",\"gate\":\"readiness\",\"until\":\"2026-12-01\",\"reason\":\"third\"}]";

START_TEST(of_duplicate_waivers_the_newest_is_in_force)
{
	struct state st;
	struct gate_waiver *w = NULL;
	size_t n = 0;
	cJSON *all = NULL;
	const cJSON **items;

	open_state(&st);
	write_waivers(duplicate_waivers);
	ck_assert_int_eq(clone_store_waivers(st.dirfd, "clone-a", &w, &n, &all), BRAIN_OK);
	/* The last of clone-a's readiness waivers, even though it ends first. */
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(w[0].gate, "readiness");
	ck_assert_str_eq(w[0].reason, "third");
	ck_assert_str_eq(w[1].gate, "accuracy");
	ck_assert_int_eq(cJSON_GetArraySize(all), 5);
	clone_store_waivers_in_force(all, NULL, &items, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(json_string_or_empty(items[0], "reason"), "third");
	ck_assert_str_eq(json_string_or_empty(items[1], "reason"), "acc");
	ck_assert_str_eq(json_string_or_empty(items[2], "reason"), "other");
	free(items);
	free(w);
	cJSON_Delete(all);
	state_close(&st);
}
END_TEST

START_TEST(taking_a_waiver_takes_its_older_duplicates_too)
{
	cJSON *all = cJSON_Parse(duplicate_waivers), *newest;
	size_t older = 9;

	clone_store_waiver_take(all, "clone-a", "readiness", &newest, &older);
	ck_assert_ptr_nonnull(newest);
	ck_assert_str_eq(json_string_or_empty(newest, "reason"), "third");
	ck_assert_uint_eq(older, 2);
	ck_assert_int_eq(cJSON_GetArraySize(all), 2);
	ck_assert_str_eq(json_string_or_empty(cJSON_GetArrayItem(all, 0), "reason"), "other");
	ck_assert_str_eq(json_string_or_empty(cJSON_GetArrayItem(all, 1), "reason"), "acc");
	cJSON_Delete(newest);
	clone_store_waiver_take(all, "clone-a", "readiness", &newest, &older);
	ck_assert_ptr_null(newest);
	ck_assert_uint_eq(older, 0);
	ck_assert_int_eq(cJSON_GetArraySize(all), 2);
	cJSON_Delete(all);
}
END_TEST

START_TEST(saved_waivers_load_back_with_one_record)
{
	struct audit_event ev = { "clone-a", "gate.waive", "SUCCESS", NULL, "r", NULL };
	struct state st;
	struct gate_waiver *w = NULL;
	size_t n = 0;
	cJSON *all = cJSON_Parse(two_waivers), *back = NULL;

	open_state(&st);
	ck_assert_int_eq(clone_store_save_waivers(&st, all, &ev), BRAIN_OK);
	ck_assert_int_eq(unit_lines_of(AUDIT_LOG), 2);
	ck_assert_int_eq(clone_store_waivers(st.dirfd, NULL, &w, &n, &back), BRAIN_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert(cJSON_Compare(all, back, 1));
	/* Sorted by clone, then gate (in gate_names order). */
	ck_assert_str_eq(w[1].reason, "known dip");
	ck_assert_str_eq(w[2].reason, "pilot");
	free(w);
	cJSON_Delete(back);
	/* Saving the list again replaces it. */
	cJSON_DeleteItemFromArray(all, 0);
	ck_assert_int_eq(clone_store_save_waivers(&st, all, &ev), BRAIN_OK);
	ck_assert_int_eq(clone_store_waivers(st.dirfd, "clone-a", &w, &n, &back), BRAIN_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(w[0].gate, "no_regression");
	ck_assert_int_eq(unit_lines_of(AUDIT_LOG), 3);
	free(w);
	cJSON_Delete(back);
	cJSON_Delete(all);
	state_close(&st);
}
END_TEST

/* ---- policy ----------------------------------------------------------------- */

START_TEST(policy_from_the_settings_and_their_defaults)
{
	struct state st;
	struct gate_policy p;

	open_state(&st);
	memset(&p, 0xff, sizeof(p));
	ck_assert_int_eq(clone_store_policy(st.dirfd, NULL, &p), BRAIN_OK);
	ck_assert_double_eq(p.threshold, 0.85);
	ck_assert_double_eq(p.floor, 0.7);
	ck_assert_int_eq(p.legacy, 0);
	ck_assert_double_eq(p.min_accuracy, 0.85);
	ck_assert_int_eq(p.no_regression, 1);
	ck_assert_int_eq(p.audit_intact, 1);
	ck_assert_int_eq(p.no_compliance_failures, 1);
	ck_assert_int_eq(p.require_compliance_evidence, 0);
	unit_write_file(unit_under("config.json"),
			"{\"gate\":{\"min_accuracy\":0.9,\"audit_intact\":false,"
			"\"require_compliance_evidence\":true}}\n");
	ck_assert_int_eq(clone_store_policy(st.dirfd, NULL, &p), BRAIN_OK);
	ck_assert_double_eq(p.threshold, 0.85);
	ck_assert_double_eq(p.min_accuracy, 0.9);
	ck_assert_int_eq(p.audit_intact, 0);
	ck_assert_int_eq(p.require_compliance_evidence, 1);
	/* A bad setting is the state's fault. */
	unit_write_file(unit_under("config.json"), "{\"gate\":{\"min_accuracy\":2}}\n");
	ck_assert_int_eq(clone_store_policy(st.dirfd, NULL, &p), BRAIN_STATE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "gate.min_accuracy"));
	state_close(&st);
}
END_TEST

/* The readiness gate has brain-score's threshold and floor: one setting. */
START_TEST(readiness_follows_the_score_settings)
{
	struct state st;
	struct gate_policy p;

	open_state(&st);
	unit_write_file(unit_under("config.json"), "{\"score\":{\"threshold\":0.9,\"floor\":0.6}}\n");
	ck_assert_int_eq(clone_store_policy(st.dirfd, NULL, &p), BRAIN_OK);
	ck_assert_double_eq(p.threshold, 0.9);
	ck_assert_double_eq(p.floor, 0.6);
	state_close(&st);
}
END_TEST

/* An old config.json's gate.min_readiness is refused, not ignored: the
 * operator meant a threshold, and it is no longer the one in force. */
START_TEST(a_config_with_min_readiness_is_refused)
{
	struct state st;
	struct gate_policy p;

	open_state(&st);
	unit_write_file(unit_under("config.json"), "{\"gate\":{\"min_readiness\":0.8}}\n");
	ck_assert_int_eq(clone_store_policy(st.dirfd, NULL, &p), BRAIN_STATE);
	ck_assert_str_eq(unit_diag_text(), "test: config.json: 'gate.min_readiness' is no longer "
			 "used: the readiness gate follows score.threshold and score.floor (remove "
			 "it: brain config unset gate.min_readiness)\n");
	state_close(&st);
}
END_TEST

START_TEST(policy_from_a_file_overrides_the_settings)
{
	struct state st;
	struct gate_policy p;
	char path[4200];

	open_state(&st);
	unit_write_file(unit_under("config.json"), "{\"gate\":{\"min_accuracy\":0.9}}\n");
	snprintf(path, sizeof(path), "%s/policy.json", unit_dir_path);
	unit_write_file(path, "{\"score_threshold\":0.5,\"no_regression\":false}");
	ck_assert_int_eq(clone_store_policy(st.dirfd, path, &p), BRAIN_OK);
	ck_assert_double_eq(p.threshold, 0.5);
	ck_assert_double_eq(p.floor, 0.7);
	ck_assert_int_eq(p.no_regression, 0);
	/* What the file leaves out is the built-in default, not config.json's. */
	ck_assert_double_eq(p.min_accuracy, 0.85);
	ck_assert_int_eq(p.audit_intact, 1);
	state_close(&st);
}
END_TEST

START_TEST(a_missing_or_bad_policy_file_is_refused)
{
	struct state st;
	struct gate_policy p;
	char path[4200], want[4300];

	open_state(&st);
	snprintf(path, sizeof(path), "%s/absent.json", unit_dir_path);
	ck_assert_int_eq(clone_store_policy(st.dirfd, path, &p), BRAIN_USAGE);
	snprintf(want, sizeof(want), "test: cannot open policy file '%s'\n", path);
	ck_assert_str_eq(unit_diag_text(), want);

	snprintf(path, sizeof(path), "%s/policy.json", unit_dir_path);
	unit_write_file(path, "{\"min_readiness\":");
	unit_capture_diag();
	ck_assert_int_eq(clone_store_policy(st.dirfd, path, &p), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "invalid JSON"));
	unit_write_file(path, "{\"min_readines\":0.5}");
	ck_assert_int_eq(clone_store_policy(st.dirfd, path, &p), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "unknown policy key 'min_readines'"));
	unit_write_file(path, "{\"score_threshold\":1.5}");
	ck_assert_int_eq(clone_store_policy(st.dirfd, path, &p), BRAIN_DATA);
	/* A file may not bring back the retired readiness threshold. */
	unit_write_file(path, "{\"min_readiness\":0.5}");
	ck_assert_int_eq(clone_store_policy(st.dirfd, path, &p), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "'min_readiness' is no longer a policy key"));
	unit_write_file(path, "[]");
	ck_assert_int_eq(clone_store_policy(st.dirfd, path, &p), BRAIN_DATA);
	state_close(&st);
}
END_TEST

/* A deployment of id against agent-v1 at step (0-based) of 10,25,50,100. */
static void make_deployment(struct clone_deployment *d, const char *id, size_t step,
			    const char *state, double weight)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->clone, sizeof(d->clone), "%s", id);
	snprintf(d->baseline, sizeof(d->baseline), "agent-v1");
	d->steps[0] = 10, d->steps[1] = 25, d->steps[2] = 50, d->steps[3] = 100;
	d->nsteps = 4;
	d->step = step;
	d->weight = weight;
	d->failures = 1;
	snprintf(d->state, sizeof(d->state), "%s", state);
	snprintf(d->started_at, sizeof(d->started_at), "2026-11-28T12:00:00Z");
	snprintf(d->step_started_at, sizeof(d->step_started_at), "2026-11-29T12:00:00Z");
}

/* Whether some line of text holds both a and b. */
static int line_has_both(const char *text, const char *a, const char *b)
{
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *copy = strndup(line, len);
		int both = strstr(copy, a) && strstr(copy, b);

		free(copy);
		if (both)
			return 1;
		line += len + (end != NULL);
	}
	return 0;
}

START_TEST(deployments_save_with_a_record_each_and_load_back)
{
	struct clone_deployment d[2], got, *all;
	struct audit_event ev[2] = { { "agent-v3", "test.deploy", "SUCCESS", NULL, NULL, NULL },
				     { "agent-v2", "test.retire", "SUCCESS", NULL, NULL, NULL } };
	struct state st;
	size_t n;
	char *log;

	open_state(&st);
	ck_assert_int_eq(clone_store_load_deployment(st.dirfd, "agent-v3", &got), BRAIN_NO);
	make_deployment(&d[0], "agent-v3", 2, "canary", 0.5);
	make_deployment(&d[1], "agent-v2", 3, "retired", 0);
	ck_assert_int_eq(clone_store_save_deployments(&st, d, 2, ev), BRAIN_OK);
	ck_assert_int_eq(clone_store_load_deployment(st.dirfd, "agent-v3", &got), BRAIN_OK);
	ck_assert_str_eq(got.baseline, "agent-v1");
	ck_assert(got.nsteps == 4 && got.step == 2 && got.weight == 0.5 && got.failures == 1);
	ck_assert_str_eq(got.state, "canary");
	ck_assert_str_eq(got.step_started_at, "2026-11-29T12:00:00Z");
	ck_assert_int_eq(clone_store_deployments(&st, &all, &n), BRAIN_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(all[0].clone, "agent-v2");
	ck_assert_str_eq(all[0].state, "retired");
	free(all);
	/* Each file is bound to its own record. */
	log = unit_read_file(unit_under(AUDIT_LOG));
	ck_assert(line_has_both(log, "\"action\":\"test.deploy\"",
				"\"file\":\"clones/agent-v3/deployment.json\""));
	ck_assert(line_has_both(log, "\"action\":\"test.retire\"",
				"\"file\":\"clones/agent-v2/deployment.json\""));
	free(log);
	state_close(&st);
}
END_TEST

START_TEST(an_inconsistent_deployment_is_a_state_error)
{
	static const struct { const char *text, *says; } bad[] = {
		{ "[]", "not the deployment of this clone" },
		{ "{\"clone\":\"agent-v3\",\"baseline\":\"agent-v1\",\"state\":\"live\"}",
		  "field 'state' must be canary, serving, aborted or retired" },
		{ "{\"clone\":\"agent-v3\",\"baseline\":\"agent-v1\",\"state\":\"canary\","
		  "\"weight\":0.25,\"failures\":0,\"steps\":[10,25,100],\"step\":3}",
		  "field 'step' is not one of the steps" },
		{ "{\"clone\":\"agent-v3\",\"baseline\":\"agent-v1\",\"state\":\"canary\","
		  "\"weight\":0.5,\"failures\":0,\"steps\":[10,25,100],\"step\":2}",
		  "field 'weight' is not the step's" },
		{ "{\"clone\":\"agent-v3\",\"baseline\":\"agent-v1\",\"state\":\"serving\","
		  "\"weight\":1,\"failures\":0,\"steps\":[10,25,100],\"step\":3,"
		  "\"started_at\":\"soon\"}",
		  "field 'started_at' must be an RFC 3339 time" },
	};
	struct clone_deployment d;
	struct state st;

	open_state(&st);
	ck_assert_int_eq(mkdir(unit_under("clones"), 0700), 0);
	ck_assert_int_eq(mkdir(unit_under("clones/agent-v3"), 0700), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[256];

		unit_write_file(unit_under("clones/agent-v3/deployment.json"), bad[i].text);
		unit_capture_diag();
		ck_assert_int_eq(clone_store_load_deployment(st.dirfd, "agent-v3", &d), BRAIN_STATE);
		snprintf(want, sizeof(want), "test: clones/agent-v3/deployment.json: %s\n",
			 bad[i].says);
		ck_assert_str_eq(unit_diag_text(), want);
	}
	state_close(&st);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("clone_store");
	TCase *sc = tcase_create("scores");
	TCase *wv = tcase_create("waivers");
	TCase *po = tcase_create("policy");

	tcase_add_test(sc, scores_are_appended_and_read_back_in_order);
	tcase_add_test(sc, a_clone_without_scores_has_no_latest_and_no_log);
	tcase_add_test(sc, a_bad_score_log_is_a_state_error);
	tcase_add_test(sc, a_score_that_cannot_be_written_leaves_nothing);
	tcase_add_test(sc, deployments_save_with_a_record_each_and_load_back);
	tcase_add_test(sc, an_inconsistent_deployment_is_a_state_error);
	suite_add_tcase(s, sc);

	tcase_add_test(wv, a_missing_waivers_file_is_an_empty_list);
	tcase_add_test(wv, waivers_are_filtered_by_clone);
	tcase_add_test(wv, a_malformed_waiver_is_a_state_error);
	tcase_add_test(wv, saved_waivers_load_back_with_one_record);
	tcase_add_test(wv, of_duplicate_waivers_the_newest_is_in_force);
	tcase_add_test(wv, taking_a_waiver_takes_its_older_duplicates_too);
	suite_add_tcase(s, wv);

	tcase_add_test(po, policy_from_the_settings_and_their_defaults);
	tcase_add_test(po, readiness_follows_the_score_settings);
	tcase_add_test(po, a_config_with_min_readiness_is_refused);
	tcase_add_test(po, policy_from_a_file_overrides_the_settings);
	tcase_add_test(po, a_missing_or_bad_policy_file_is_refused);
	suite_add_tcase(s, po);
	return s;
}

UNIT_MAIN(suite)
