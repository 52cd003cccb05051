/* Unit tests of model_store: a model and its versions are saved with one
 * audit record and load back as they were; unknown and corrupt models are
 * told apart; artifacts are handed out only when their bytes hash to their
 * name; brain-verify's checks see a broken registry; a stepped canary's
 * state loads back, is dropped when the canary ends and is refused when
 * inconsistent. */
#include "unit.h"
#include "unit_state.h"

#include "core/change.h"
#include "core/model_store.h"
#include "core/state.h"
#include "pure/hash.h"

#define NOW "2026-12-01T00:00:00Z"
#define ARTIFACT "model one bytes\n"

static char artifact_hex[65];

static void ensure_dir(const char *name)
{
	if (access(unit_under(name), F_OK) != 0)
		ck_assert_int_eq(mkdir(unit_under(name), 0700), 0);
}

/* Store bytes under models/objects/ as name (their hash unless given). */
static void store_object(const char *name, const char *bytes)
{
	char path[4300];

	ensure_dir("models");
	ensure_dir("models/objects");
	snprintf(path, sizeof(path), "%s/%s", unit_under("models/objects"), name);
	unit_write_file(path, bytes);
}

static void open_state(struct state *st)
{
	unit_open_state(st, NOW);
	hash_sha256_hex(ARTIFACT, strlen(ARTIFACT), artifact_hex);
}

/* Lead Scorer: @1 retired with an artifact, @2 serving, @1 on the rollback
 * stack and canary. */
static void lead_scorer(struct model *m)
{
	struct version *v;

	memset(m, 0, sizeof(*m));
	snprintf(m->id, sizeof(m->id), "lead-scorer");
	m->name = xstrdup("Lead Scorer");
	snprintf(m->created, sizeof(m->created), NOW);
	v = model_store_add_version(m);
	snprintf(v->id, sizeof(v->id), "lead-scorer@1");
	v->number = 1;
	v->accuracy = 0.8125;
	v->has_accuracy = 1;
	v->metrics = cJSON_Parse("{\"auc\":0.9,\"by\":{\"segment\":[1,2]}}");
	snprintf(v->artifact, sizeof(v->artifact), "%s", artifact_hex);
	v->artifact_size = (double)strlen(ARTIFACT);
	snprintf(v->state, sizeof(v->state), "retired");
	snprintf(v->strategy, sizeof(v->strategy), "replace");
	snprintf(v->created, sizeof(v->created), NOW);
	v = model_store_add_version(m);
	snprintf(v->id, sizeof(v->id), "lead-scorer@2");
	v->number = 2;
	v->metrics = cJSON_CreateObject();
	snprintf(v->state, sizeof(v->state), "serving");
	snprintf(v->strategy, sizeof(v->strategy), "canary");
	snprintf(v->created, sizeof(v->created), "2026-12-02T00:00:00Z");
	snprintf(m->serving, sizeof(m->serving), "lead-scorer@2");
	snprintf(m->canary, sizeof(m->canary), "lead-scorer@1");
	m->canary_weight = 0.25;
	model_store_push_previous(m, "lead-scorer@1");
	model_store_push_previous(m, ""); /* nothing served: not pushed */
}

static void save_lead_scorer(struct state *st)
{
	struct model m;

	lead_scorer(&m);
	store_object(artifact_hex, ARTIFACT);
	ck_assert_int_eq(model_store_save(st, &m, "model.create", NULL, "test"), BRAIN_OK);
	model_store_free(&m);
}

static void write_model_file(const char *id, const char *text)
{
	char dir[96], path[4400];

	ensure_dir("models");
	snprintf(dir, sizeof(dir), "models/%s", id);
	ensure_dir(dir);
	snprintf(path, sizeof(path), "%s/" MODEL_FILE, unit_under(dir));
	unit_write_file(path, text);
}

/* ---- the model file ----------------------------------------------------- */

START_TEST(saved_model_loads_back_with_both_versions)
{
	struct state st;
	struct model m, back;
	cJSON *a, *b;

	open_state(&st);
	save_lead_scorer(&st);
	ck_assert_int_eq(unit_lines_of(AUDIT_LOG), 2); /* the header and model.create */
	ck_assert_int_eq(model_store_load(&st, "lead-scorer", &back, 0), BRAIN_OK);
	lead_scorer(&m);
	a = model_store_json(&m);
	b = model_store_json(&back);
	ck_assert(cJSON_Compare(a, b, 1));
	cJSON_Delete(a);
	cJSON_Delete(b);
	ck_assert_str_eq(back.name, "Lead Scorer");
	ck_assert_str_eq(back.serving, "lead-scorer@2");
	ck_assert_str_eq(back.canary, "lead-scorer@1");
	ck_assert_double_eq(back.canary_weight, 0.25);
	ck_assert_uint_eq(back.n, 2);
	ck_assert_uint_eq(back.nprev, 1);
	ck_assert_str_eq(back.previous[0], "lead-scorer@1");
	ck_assert_str_eq(back.v[0].id, "lead-scorer@1");
	ck_assert_int_eq(back.v[0].number, 1);
	ck_assert(back.v[0].has_accuracy);
	ck_assert_double_eq(back.v[0].accuracy, 0.8125);
	ck_assert_str_eq(back.v[0].artifact, artifact_hex);
	ck_assert_double_eq(back.v[0].artifact_size, strlen(ARTIFACT));
	ck_assert(cJSON_Compare(back.v[0].metrics, m.v[0].metrics, 1));
	ck_assert_str_eq(back.v[1].state, "serving");
	ck_assert_str_eq(back.v[1].strategy, "canary");
	ck_assert(!back.v[1].has_accuracy);
	ck_assert_str_eq(back.v[1].artifact, "");
	model_store_free(&m);
	model_store_free(&back);
	ck_assert_ptr_null(back.v);
	ck_assert_ptr_null(back.name);
	state_close(&st);
}
END_TEST

START_TEST(find_version_by_its_id)
{
	struct model m;

	unit_tmpdir();
	lead_scorer(&m);
	ck_assert_ptr_eq(model_store_find_version(&m, "lead-scorer@2"), &m.v[1]);
	ck_assert_ptr_eq(model_store_find_version(&m, "lead-scorer@1"), &m.v[0]);
	ck_assert_ptr_null(model_store_find_version(&m, "lead-scorer@3"));
	ck_assert_ptr_null(model_store_find_version(&m, "lead-scorer"));
	ck_assert_ptr_null(model_store_find_version(&m, ""));
	model_store_free(&m);
}
END_TEST

START_TEST(unknown_model_is_no_with_a_message_unless_quiet)
{
	struct state st;
	struct model m;

	open_state(&st);
	/* No models/ at all. */
	ck_assert_int_eq(model_store_load(&st, "nope", &m, 1), BRAIN_NO);
	ck_assert_str_eq(unit_diag_text(), "");
	ck_assert_int_eq(model_store_load(&st, "nope", &m, 0), BRAIN_NO);
	ck_assert_str_eq(unit_diag_text(), "test: unknown model 'nope' (see 'brain-model list')\n");
	/* models/ with another model; and a model directory without its file. */
	save_lead_scorer(&st);
	ensure_dir("models/empty");
	unit_capture_diag();
	ck_assert_int_eq(model_store_load(&st, "nope", &m, 1), BRAIN_NO);
	ck_assert_int_eq(model_store_load(&st, "empty", &m, 1), BRAIN_NO);
	ck_assert_str_eq(unit_diag_text(), "");
	ck_assert_int_eq(model_store_load(&st, "empty", &m, 0), BRAIN_NO);
	ck_assert_str_eq(unit_diag_text(), "test: unknown model 'empty' (see 'brain-model list')\n");
	state_close(&st);
}
END_TEST

START_TEST(corrupt_model_file_is_a_state_error)
{
#define VERSION(extra) "{\"version_id\":\"m@1\",\"version\":1,\"metrics\":{},\"artifact\":\"\"," \
	"\"artifact_size\":0,\"state\":\"serving\",\"strategy\":\"replace\",\"created\":\"x\"" extra "}"
#define MODEL(serving, versions, previous) "{\"model_id\":\"m\",\"name\":\"M\",\"created\":\"x\"," \
	"\"serving\":\"" serving "\",\"canary\":\"\",\"canary_weight\":0,\"versions\":[" versions \
	"],\"previous\":[" previous "]}"
	static const struct {
		const char *text, *says;
	} bad[] = {
		{ "not json", "not a model file" },
		{ "[]", "not a model file" },
		{ "{\"name\":\"M\"}", "not a model file" },
		{ "{\"name\":\"M\",\"created\":\"x\",\"serving\":\"\",\"canary\":\"\","
		  "\"canary_weight\":\"0\",\"versions\":[],\"previous\":[]}", "not a model file" },
		{ MODEL("m@1", "{\"version_id\":\"m@1\"}", ""), "a version has a bad field" },
		{ MODEL("m@1", VERSION(",\"accuracy\":\"high\""), ""), "a version has a bad field" },
		{ MODEL("", "{\"version_id\":\"m@1\",\"version\":1,\"metrics\":[],\"artifact\":\"\","
			"\"artifact_size\":0,\"state\":\"s\",\"strategy\":\"r\",\"created\":\"x\"}", ""),
		  "a version has a bad field" },
		{ MODEL("m@1", VERSION(""), "1"), "bad rollback stack" },
		{ MODEL("m@2", VERSION(""), ""), "the serving version does not exist" },
	};
#undef MODEL
#undef VERSION
	struct state st;

	open_state(&st);
	/* The control: a good one of the same shape. */
	write_model_file("m", "{\"model_id\":\"m\",\"name\":\"M\",\"created\":\"x\",\"serving\":\"m@1\","
			      "\"canary\":\"\",\"canary_weight\":0,\"versions\":[{\"version_id\":\"m@1\","
			      "\"version\":1,\"metrics\":{},\"artifact\":\"\",\"artifact_size\":0,"
			      "\"state\":\"serving\",\"strategy\":\"replace\",\"created\":\"x\"}],"
			      "\"previous\":[]}");
	{
		struct model m;

		ck_assert_int_eq(model_store_load(&st, "m", &m, 0), BRAIN_OK);
		ck_assert_uint_eq(m.n, 1);
		model_store_free(&m);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct model m;
		char want[256];

		write_model_file("m", bad[i].text);
		unit_capture_diag();
		ck_assert_msg(model_store_load(&st, "m", &m, 1) == BRAIN_STATE, "accepted: %s",
			      bad[i].text);
		snprintf(want, sizeof(want), "test: models/m/model.json: %s\n", bad[i].says);
		ck_assert_str_eq(unit_diag_text(), want);
		model_store_free(&m);
	}
	state_close(&st);
}
END_TEST

/* ---- artifacts ---------------------------------------------------------- */

START_TEST(an_artifact_is_handed_out_when_its_bytes_match_its_name)
{
	struct state st;
	char buf[64] = "";
	int fd = -1;

	open_state(&st);
	store_object(artifact_hex, ARTIFACT);
	ck_assert_int_eq(model_store_open_artifact(st.dirfd, artifact_hex, &fd), BRAIN_OK);
	ck_assert_int_ge(fd, 0);
	/* Read from the start, whatever the check read. */
	ck_assert_int_eq(pread(fd, buf, sizeof(buf) - 1, 0), (ssize_t)strlen(ARTIFACT));
	ck_assert_str_eq(buf, ARTIFACT);
	close(fd);
	ck_assert_str_eq(unit_diag_text(), "");
	state_close(&st);
}
END_TEST

START_TEST(an_artifact_whose_bytes_do_not_hash_to_its_name_is_refused)
{
	struct state st;
	char want[512], got_hex[65];
	int fd = -7;

	open_state(&st);
	store_object(artifact_hex, "model one bytes, edited\n");
	hash_sha256_hex("model one bytes, edited\n", 24, got_hex);
	ck_assert_int_eq(model_store_open_artifact(st.dirfd, artifact_hex, &fd), BRAIN_STATE);
	ck_assert_int_eq(fd, -7);
	snprintf(want, sizeof(want), "test: artifact models/objects/%s is corrupt: its bytes hash "
		 "to %.12s...; it is not handed out\n", artifact_hex, got_hex);
	ck_assert_str_eq(unit_diag_text(), want);
	/* An empty file is not the artifact either. */
	store_object(artifact_hex, "");
	ck_assert_int_eq(model_store_open_artifact(st.dirfd, artifact_hex, &fd), BRAIN_STATE);
	state_close(&st);
}
END_TEST

START_TEST(a_missing_or_misnamed_artifact_is_refused)
{
	struct state st;
	char upper[65];
	int fd = -7;

	open_state(&st);
	ck_assert_int_eq(model_store_open_artifact(st.dirfd, artifact_hex, &fd), BRAIN_STATE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "No such file or directory"));
	/* The name must be the hash as written: lowercase. */
	for (int i = 0; i < 65; i++)
		upper[i] = (char)(artifact_hex[i] >= 'a' && artifact_hex[i] <= 'f'
				  ? artifact_hex[i] - 'a' + 'A' : artifact_hex[i]);
	store_object(upper, ARTIFACT);
	ck_assert_int_eq(model_store_open_artifact(st.dirfd, upper, &fd), BRAIN_STATE);
	ck_assert_int_eq(fd, -7);
	state_close(&st);
}
END_TEST

START_TEST(verify_artifacts_counts_and_finds_the_bad_one)
{
	struct state st;
	size_t checked = 99;
	char other[65];

	open_state(&st);
	ck_assert_int_eq(model_store_verify_artifacts(st.dirfd, &checked), BRAIN_OK);
	ck_assert_uint_eq(checked, 0);
	store_object(artifact_hex, ARTIFACT);
	hash_sha256_hex("two", 3, other);
	store_object(other, "two");
	store_object("README", "not an artifact name: not checked");
	ck_assert_int_eq(model_store_verify_artifacts(st.dirfd, &checked), BRAIN_OK);
	ck_assert_uint_eq(checked, 2);
	store_object(other, "three");
	unit_capture_diag();
	ck_assert_int_eq(model_store_verify_artifacts(st.dirfd, &checked), BRAIN_NO);
	ck_assert_uint_eq(checked, 2);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), other));
	ck_assert_ptr_null(strstr(unit_diag_text(), artifact_hex));
	state_close(&st);
}
END_TEST

/* ---- brain-verify's check ---------------------------------------------- */

START_TEST(check_all_passes_a_good_registry)
{
	struct state st;
	size_t count = 99;
	char detail[256] = "x";

	open_state(&st);
	ck_assert_int_eq(model_store_check_all(&st, &count, detail, sizeof(detail)), BRAIN_OK);
	ck_assert_uint_eq(count, 0);
	ck_assert_str_eq(detail, "");
	save_lead_scorer(&st);
	ck_assert_int_eq(model_store_check_all(&st, &count, detail, sizeof(detail)), BRAIN_OK);
	ck_assert_uint_eq(count, 1);
	ck_assert_str_eq(detail, "");
	state_close(&st);
}
END_TEST

START_TEST(check_all_finds_a_missing_artifact)
{
	struct state st;
	size_t count;
	char detail[256], want[256];

	open_state(&st);
	save_lead_scorer(&st);
	{
		char path[4300];

		snprintf(path, sizeof(path), "%s/%s", unit_under("models/objects"), artifact_hex);
		ck_assert_int_eq(unlink(path), 0);
	}
	ck_assert_int_eq(model_store_check_all(&st, &count, detail, sizeof(detail)), BRAIN_NO);
	snprintf(want, sizeof(want), "lead-scorer@1: artifact %.12s... is missing", artifact_hex);
	ck_assert_str_eq(detail, want);
	state_close(&st);
}
END_TEST

START_TEST(check_all_finds_a_corrupt_or_missing_model_file)
{
	struct state st;
	size_t count;
	char detail[256];

	open_state(&st);
	save_lead_scorer(&st);
	write_model_file("lead-scorer", "{\"name\":\"Lead Scorer\"}");
	ck_assert_int_eq(model_store_check_all(&st, &count, detail, sizeof(detail)), BRAIN_NO);
	ck_assert_str_eq(detail, "models/lead-scorer: models/lead-scorer/model.json: not a model file");
	ck_assert_uint_eq(count, 0);
	/* Saved again, the model is fine; a directory without its file is not. */
	save_lead_scorer(&st);
	ck_assert_int_eq(model_store_check_all(&st, &count, detail, sizeof(detail)), BRAIN_OK);
	ensure_dir("models/orphan");
	ck_assert_int_eq(model_store_check_all(&st, &count, detail, sizeof(detail)), BRAIN_NO);
	ck_assert_str_eq(detail, "models/orphan has no model.json");
	state_close(&st);
}
END_TEST

/* A model that does not load leaves nothing allocated: under
 * make SANITIZE=address check, LeakSanitizer fails this test otherwise. */
START_TEST(check_all_frees_a_model_that_did_not_load)
{
	struct state st;
	size_t count;
	char detail[256];

	open_state(&st);
	write_model_file("m", "{\"name\":\"M\",\"created\":\"x\",\"serving\":\"m@2\",\"canary\":\"\","
			 "\"canary_weight\":0,\"versions\":[{\"version_id\":\"m@1\",\"version\":1,"
			 "\"metrics\":{},\"artifact\":\"\",\"artifact_size\":0,\"state\":\"r\","
			 "\"strategy\":\"r\",\"created\":\"x\"}],\"previous\":[]}");
	ck_assert_int_eq(model_store_check_all(&st, &count, detail, sizeof(detail)), BRAIN_NO);
	ck_assert_ptr_nonnull(strstr(detail, "the serving version does not exist"));
	state_close(&st);
}
END_TEST

START_TEST(resolve_takes_numbers_aliases_serving_and_canary)
{
	struct model m;

	unit_tmpdir();
	lead_scorer(&m);
	m.aliases = cJSON_Parse("{\"champion\":\"lead-scorer@1\"}");
	ck_assert_ptr_eq(model_store_resolve(&m, "lead-scorer@2"), &m.v[1]);
	ck_assert_ptr_eq(model_store_resolve(&m, "lead-scorer@champion"), &m.v[0]);
	ck_assert_ptr_eq(model_store_resolve(&m, "lead-scorer@serving"), &m.v[1]);
	ck_assert_ptr_eq(model_store_resolve(&m, "lead-scorer@canary"), &m.v[0]);
	ck_assert_ptr_null(model_store_resolve(&m, "lead-scorer@challenger"));
	ck_assert_ptr_null(model_store_resolve(&m, "lead-scorer@3"));
	ck_assert_ptr_null(model_store_resolve(&m, "other@1"));    /* another model's */
	ck_assert_ptr_null(model_store_resolve(&m, "lead-scorer"));
	ck_assert_ptr_null(model_store_resolve(&m, "lead-scorer@"));
	model_store_free(&m);
}
END_TEST

START_TEST(id_of_tells_numbers_from_aliases)
{
	char id[IDENT_MAX + 1];
	long n;

	unit_tmpdir();
	ck_assert_int_eq(model_store_id_of("lead-scorer@12", id, &n), BRAIN_OK);
	ck_assert_str_eq(id, "lead-scorer");
	ck_assert_int_eq(n, 12);
	ck_assert_int_eq(model_store_id_of("lead-scorer@champion", id, &n), BRAIN_OK);
	ck_assert_int_eq(n, -1);
	ck_assert_int_eq(model_store_id_of("Lead Scorer", id, &n), BRAIN_OK);
	ck_assert_str_eq(id, "lead-scorer");
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(model_store_id_of("lead-scorer@0", id, &n), BRAIN_DATA);
	ck_assert_int_eq(model_store_id_of("lead-scorer@Bad Alias", id, &n), BRAIN_DATA);
	ck_assert_int_eq(model_store_id_of("../x@1", id, &n), BRAIN_DATA);
}
END_TEST

START_TEST(annotations_and_aliases_load_back)
{
	struct state st;
	struct model m, back;
	cJSON *a, *b;

	open_state(&st);
	store_object(artifact_hex, ARTIFACT);
	lead_scorer(&m);
	m.v[0].description = xstrdup("first, retired");
	m.v[0].tags = cJSON_Parse("{\"team\":\"ops\"}");
	m.v[1].trained_on = cJSON_Parse("[{\"batch_id\":\"b-0123456789abcdef\",\"source\":\"County\"}]");
	m.aliases = cJSON_Parse("{\"champion\":\"lead-scorer@2\"}");
	ck_assert_int_eq(model_store_save(&st, &m, "model.create", NULL, "test"), BRAIN_OK);
	ck_assert_int_eq(model_store_load(&st, "lead-scorer", &back, 0), BRAIN_OK);
	a = model_store_json(&m);
	b = model_store_json(&back);
	ck_assert(cJSON_Compare(a, b, 1));
	cJSON_Delete(a);
	cJSON_Delete(b);
	ck_assert_str_eq(back.v[0].description, "first, retired");
	ck_assert_ptr_null(back.v[1].description);
	ck_assert_ptr_null(back.v[0].trained_on);
	a = model_store_aliases_of(&back, "lead-scorer@2");
	ck_assert_int_eq(cJSON_GetArraySize(a), 1);
	cJSON_Delete(a);
	model_store_free(&m);
	model_store_free(&back);
	state_close(&st);
}
END_TEST

START_TEST(an_alias_of_a_missing_version_is_a_state_error)
{
	struct state st;
	struct model m;

	open_state(&st);
	write_model_file("m", "{\"name\":\"M\",\"created\":\"x\",\"serving\":\"\",\"canary\":\"\","
			 "\"canary_weight\":0,\"versions\":[{\"version_id\":\"m@1\",\"version\":1,"
			 "\"metrics\":{},\"artifact\":\"\",\"artifact_size\":0,\"state\":\"r\","
			 "\"strategy\":\"r\",\"created\":\"x\"}],\"previous\":[],"
			 "\"aliases\":{\"champion\":\"m@2\"}}");
	ck_assert_int_eq(model_store_load(&st, "m", &m, 0), BRAIN_STATE);
	ck_assert_ptr_nonnull(strstr(diag_last(), "alias 'champion' names a missing version"));
	ck_assert_ptr_null(m.aliases);
	state_close(&st);
}
END_TEST

/* ---- stepped canaries ---------------------------------------------------- */

/* Lead Scorer with @1 a stepped canary at its second step, one failure. */
static void stepped(struct model *m)
{
	static const double steps[] = { 10, 25, 50, 100 };

	lead_scorer(m);
	memcpy(m->steps, steps, sizeof(steps));
	m->nsteps = 4;
	m->step = 1;
	m->failures = 1;
}

START_TEST(stepped_canary_loads_back)
{
	struct state st;
	struct model m, back;
	cJSON *a, *b;

	open_state(&st);
	store_object(artifact_hex, ARTIFACT);
	stepped(&m);
	ck_assert_int_eq(model_store_save(&st, &m, "model.update", NULL, "test"), BRAIN_OK);
	ck_assert_int_eq(model_store_load(&st, "lead-scorer", &back, 0), BRAIN_OK);
	a = model_store_json(&m);
	b = model_store_json(&back);
	ck_assert(cJSON_Compare(a, b, 1));
	ck_assert_double_eq(cJSON_GetObjectItemCaseSensitive(b, "step")->valuedouble, 2);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(b, "steps")), 4);
	cJSON_Delete(a);
	cJSON_Delete(b);
	ck_assert_uint_eq(back.nsteps, 4);
	ck_assert_uint_eq(back.step, 1);
	ck_assert_uint_eq(back.failures, 1);
	ck_assert_double_eq(back.steps[3], 100);
	ck_assert_double_eq(back.canary_weight, 0.25);
	model_store_free(&m);
	model_store_free(&back);
	state_close(&st);
}
END_TEST

/* When the canary ends (promoted, or aborted), its steps go with it. */
START_TEST(steps_go_when_the_canary_ends)
{
	struct model m;
	cJSON *o;

	unit_tmpdir();
	stepped(&m);
	model_store_serve(&m, &m.v[0]);
	ck_assert_str_eq(m.serving, "lead-scorer@1");
	ck_assert_str_eq(m.canary, "");
	ck_assert_str_eq(m.v[1].state, "candidate");
	ck_assert_str_eq(m.previous[m.nprev - 1], "lead-scorer@2");
	ck_assert(m.nsteps == 0 && m.step == 0 && m.failures == 0 && m.canary_weight == 0);
	o = model_store_json(&m);
	ck_assert(!cJSON_HasObjectItem(o, "steps") && !cJSON_HasObjectItem(o, "step") &&
		  !cJSON_HasObjectItem(o, "analysis_failures"));
	cJSON_Delete(o);
	model_store_free(&m);
	stepped(&m);
	model_store_end_canary(&m);
	ck_assert(m.nsteps == 0 && !*m.canary);
	model_store_free(&m);
}
END_TEST

START_TEST(inconsistent_canary_steps_are_a_state_error)
{
#define STEPPED(canary, weight, rest) "{\"name\":\"M\",\"created\":\"x\",\"serving\":\"m@1\"," \
	"\"canary\":\"" canary "\",\"canary_weight\":" weight "," rest "\"versions\":[" \
	"{\"version_id\":\"m@1\",\"version\":1,\"metrics\":{},\"artifact\":\"\"," \
	"\"artifact_size\":0,\"state\":\"serving\",\"strategy\":\"r\",\"created\":\"x\"}," \
	"{\"version_id\":\"m@2\",\"version\":2,\"metrics\":{},\"artifact\":\"\"," \
	"\"artifact_size\":0,\"state\":\"canary\",\"strategy\":\"r\",\"created\":\"x\"}]," \
	"\"previous\":[]}"
	static const struct {
		const char *text, *says;
	} bad[] = {
		{ STEPPED("m@2", "0.1", "\"steps\":[10,100],\"step\":1,"), "bad canary steps" },
		{ STEPPED("m@2", "0.1", "\"steps\":[10],\"step\":1,\"analysis_failures\":0,"),
		  "bad canary steps" },
		{ STEPPED("m@2", "0.1", "\"steps\":[10,10,100],\"step\":1,\"analysis_failures\":0,"),
		  "bad canary steps" },
		{ STEPPED("m@2", "0.1", "\"steps\":[10,0,100],\"step\":1,\"analysis_failures\":0,"),
		  "bad canary steps" },
		{ STEPPED("m@2", "0.1", "\"steps\":[10,\"x\",100],\"step\":1,\"analysis_failures\":0,"),
		  "bad canary steps" },
		{ STEPPED("m@2", "0.1", "\"steps\":[10,50],\"step\":1,\"analysis_failures\":0,"),
		  "bad canary step" },
		{ STEPPED("m@2", "0.1", "\"steps\":[10,100],\"step\":2,\"analysis_failures\":0,"),
		  "bad canary step" },
		{ STEPPED("m@2", "0.1", "\"steps\":[10,100],\"step\":0,\"analysis_failures\":0,"),
		  "bad canary step" },
		{ STEPPED("m@2", "0.1", "\"steps\":[10,100],\"step\":1,\"analysis_failures\":-1,"),
		  "bad canary steps" },
		{ STEPPED("m@2", "0.25", "\"steps\":[10,100],\"step\":1,\"analysis_failures\":0,"),
		  "canary steps without a canary at the step's weight" },
		{ STEPPED("", "0.1", "\"steps\":[10,100],\"step\":1,\"analysis_failures\":0,"),
		  "canary steps without a canary at the step's weight" },
	};
	struct state st;
	struct model m;

	open_state(&st);
	/* The control: the same file, consistent. */
	write_model_file("m", STEPPED("m@2", "0.25", "\"steps\":[10,25,100],\"step\":2,"
				      "\"analysis_failures\":3,"));
	ck_assert_int_eq(model_store_load(&st, "m", &m, 0), BRAIN_OK);
	ck_assert(m.nsteps == 3 && m.step == 1 && m.failures == 3);
	model_store_free(&m);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[256];

		write_model_file("m", bad[i].text);
		unit_capture_diag();
		ck_assert_msg(model_store_load(&st, "m", &m, 1) == BRAIN_STATE, "accepted: %s",
			      bad[i].text);
		snprintf(want, sizeof(want), "test: models/m/model.json: %s\n", bad[i].says);
		ck_assert_str_eq(unit_diag_text(), want);
	}
#undef STEPPED
	state_close(&st);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("model_store");
	TCase *file = tcase_create("model");
	TCase *art = tcase_create("artifacts");
	TCase *chk = tcase_create("check");

	tcase_add_test(file, saved_model_loads_back_with_both_versions);
	tcase_add_test(file, find_version_by_its_id);
	tcase_add_test(file, unknown_model_is_no_with_a_message_unless_quiet);
	tcase_add_test(file, corrupt_model_file_is_a_state_error);
	tcase_add_test(file, resolve_takes_numbers_aliases_serving_and_canary);
	tcase_add_test(file, id_of_tells_numbers_from_aliases);
	tcase_add_test(file, annotations_and_aliases_load_back);
	tcase_add_test(file, an_alias_of_a_missing_version_is_a_state_error);
	tcase_add_test(file, stepped_canary_loads_back);
	tcase_add_test(file, steps_go_when_the_canary_ends);
	tcase_add_test(file, inconsistent_canary_steps_are_a_state_error);
	suite_add_tcase(s, file);

	tcase_add_test(art, an_artifact_is_handed_out_when_its_bytes_match_its_name);
	tcase_add_test(art, an_artifact_whose_bytes_do_not_hash_to_its_name_is_refused);
	tcase_add_test(art, a_missing_or_misnamed_artifact_is_refused);
	tcase_add_test(art, verify_artifacts_counts_and_finds_the_bad_one);
	suite_add_tcase(s, art);

	tcase_add_test(chk, check_all_passes_a_good_registry);
	tcase_add_test(chk, check_all_finds_a_missing_artifact);
	tcase_add_test(chk, check_all_finds_a_corrupt_or_missing_model_file);
	tcase_add_test(chk, check_all_frees_a_model_that_did_not_load);
	suite_add_tcase(s, chk);
	return s;
}

UNIT_MAIN(suite)
