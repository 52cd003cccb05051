/* Unit tests of ab_store: brain-ab's experiments in the state directory.
 * A missing experiment is an empty set; a saved one (committed directly,
 * or through the audited change that brain-ab's save() uses) loads back
 * with its variants, tallies, batches and both key sets; a new generation
 * of the key set files replaces the old one, which is removed only after
 * the commit; and a corrupt experiment is BRAIN_STATE.  Seeds per kind and
 * batches by key load back; an experiment from before kind-scoped ids
 * loads, and its old ids still count, for every kind. */
#include "unit.h"

#include <cjson/cJSON.h>

#include "core/ab_store.h"
#include "core/audit.h"
#include "core/change.h"
#include "core/state.h"

static const struct ab_fold_options create_script = { 1, "script", 0, "2026-12-01T00:00:00Z", 0, NULL, NULL };

static const char *under(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/state/%s", unit_dir_path, name);
	return path;
}

static int exists(const char *name)
{
	return access(under(name), F_OK) == 0;
}

static void open_state(struct state *st)
{
	unit_tmpdir();
	setenv("BRAIN_ACTOR", "unit", 1);
	setenv("BRAIN_NOW", "2026-12-01T00:00:00Z", 1);
	ck_assert_int_eq(state_open(st, under(""), STATE_WRITE), BRAIN_OK);
}

static void fold(struct ab_set *s, const char *text, const struct ab_fold_options *o)
{
	struct json_loc loc = { "events.jsonl", 1 };
	struct ab_fold_stats st;
	cJSON *rec = cJSON_Parse(text);

	memset(&st, 0, sizeof(st));
	ck_assert_ptr_nonnull(rec);
	ck_assert_int_eq(ab_fold(s, rec, &loc, o, &st), BRAIN_OK);
	s->events += st.records;
	cJSON_Delete(rec);
}

static void add_batch(struct ab_set *s, char c)
{
	char hex[65];

	memset(hex, c, 64);
	hex[64] = '\0';
	s->batches = realloc(s->batches, (s->nbatches + 1) * sizeof(*s->batches));
	s->batches[s->nbatches++] = strdup(hex);
}

/* An experiment with two kinds, tallies of every sort, ids and units. */
static void populate(struct ab_set *s)
{
	struct ab_fold_options o = create_script, ex = create_script;

	ab_set_init(s, "Spring Push");
	snprintf(s->created, sizeof(s->created), "2026-11-30T08:00:00Z");
	ab_set_add(s, "High-Energy", "script", 2, "2026-11-30T08:00:00Z");
	ab_set_add(s, "Low Pressure", "script", 1, "2026-11-30T08:00:01Z");
	ab_set_add(s, "Mail", "channel", 1, "2026-11-30T08:00:02Z");
	fold(s, "{\"variant\":\"High-Energy\",\"converted\":true,\"value\":250000,\"unit\":\"L1\","
		"\"id\":\"e1\"}", &o);
	fold(s, "{\"variant\":\"High-Energy\",\"converted\":true,\"value\":250000,\"unit\":\"L1\","
		"\"id\":\"e1\"}", &o); /* duplicate */
	fold(s, "{\"variant\":\"Low Pressure\",\"converted\":false,\"unit\":\"L1\",\"id\":\"e2\"}",
	     &o); /* multi-exposed */
	ex.exclude_multi = 1;
	fold(s, "{\"variant\":\"High-Energy\",\"converted\":true,\"unit\":\"L1\",\"id\":\"e3\"}",
	     &ex); /* excluded */
	fold(s, "{\"variant\":\"Low Pressure\",\"trials\":50,\"conversions\":39,\"value\":900}", &o);
	fold(s, "{\"variant\":\"Mail\",\"converted\":true,\"value\":1.5,\"unit\":\"L1\"}", &o);
	fold(s, "{\"variant\":\"Phone\",\"kind\":\"channel\",\"converted\":false,\"unit\":\"L9\"}",
	     &o); /* created */
	add_batch(s, 'a');
	add_batch(s, '0');
	ab_set_record_seed(s, "channel", "mail-seed");
	ab_set_add_batch(s, "2026-11-30", s->batches[0]);
	/* A winner on record for script (concluded), one for channel (not).
	 * Concluded last: a concluded kind takes no more events. */
	struct ab_decided *dd = ab_set_decide(s, "script", "Low Pressure", "2026-11-30T09:00:00Z",
					      cJSON_Parse("{\"decision\":\"winner\",\"n\":3}"));

	snprintf(dd->concluded_at, sizeof(dd->concluded_at), "2026-11-30T10:00:00Z");
	dd->by_operator = 1;
	ab_set_decide(s, "channel", "Mail", "2026-11-30T09:30:00Z", cJSON_CreateObject());
}

static void save_direct(struct state *st, struct ab_set *s)
{
	struct ab_pending p;

	ck_assert_int_eq(ab_prepare(st, s, &p), BRAIN_OK);
	ck_assert_int_eq(ab_finish(&p, file_replace_commit(&p.fr)), BRAIN_OK);
}

/* The change path of lib/cmd/ab_cmd.c's save(): prepare, publish with
 * one audit record, finish. */
static void save_audited(struct state *st, struct ab_set *s, const char *action)
{
	struct audit_event ev = { s->experiment_id, action, "SUCCESS", NULL, NULL, NULL };
	struct audit_ack ack;
	struct ab_pending p;
	char dir[IDENT_MAX + 8];

	ck_assert_int_eq(ab_prepare(st, s, &p), BRAIN_OK);
	snprintf(dir, sizeof(dir), "ab/%s", s->experiment_id);
	ck_assert_int_eq(ab_finish(&p, change_replace_one(st, dir, &p.fr, NULL, &ev, &ack)),
			 BRAIN_OK);
	ck_assert_uint_ge(ack.seq, 2);
}

static int has_key(struct keyset *ks, const char *domain, const char *a, const char *b,
		   uint32_t *value)
{
	unsigned char k[KEYSET_KEY];
	uint32_t *v;

	keyset_key(domain, a, b, k);
	v = keyset_find(ks, k);
	if (v && value)
		*value = *v;
	return v != NULL;
}

/* Whether event id of kind is among the ids counted. */
static int has_event(struct keyset *ks, const char *kind, const char *id)
{
	unsigned char k[KEYSET_KEY];

	ab_event_key(kind, id, k);
	return keyset_find(ks, k) != NULL;
}

static void assert_same_sets(struct ab_set *a, struct ab_set *b)
{
	ck_assert_str_eq(a->experiment, b->experiment);
	ck_assert_str_eq(a->experiment_id, b->experiment_id);
	ck_assert_str_eq(a->created, b->created);
	ck_assert(a->events == b->events);
	ck_assert_uint_eq(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const struct ab_variant *x = &a->v[i], *y = &b->v[i];

		ck_assert_str_eq(x->name, y->name);
		ck_assert_str_eq(x->id, y->id);
		ck_assert_str_eq(x->kind, y->kind);
		ck_assert_str_eq(x->created, y->created);
		ck_assert(x->weight == y->weight);
		ck_assert_int_eq(x->control, y->control);
		ck_assert_msg(x->trials == y->trials && x->conversions == y->conversions &&
				      x->value_sum == y->value_sum && x->value_sumsq == y->value_sumsq,
			      "tallies of %s", x->name);
		ck_assert_int_eq(x->value_partial, y->value_partial);
		ck_assert(x->duplicates == y->duplicates);
		ck_assert(x->multi_exposed == y->multi_exposed);
		ck_assert(x->excluded == y->excluded);
	}
	ck_assert_uint_eq(a->nbatches, b->nbatches);
	for (size_t i = 0; i < a->nbatches; i++)
		ck_assert_str_eq(a->batches[i], b->batches[i]);
	ck_assert_uint_eq(a->nkeyed, b->nkeyed);
	for (size_t i = 0; i < a->nkeyed; i++) {
		ck_assert_str_eq(a->keyed[i].key, b->keyed[i].key);
		ck_assert_str_eq(a->keyed[i].sha256, b->keyed[i].sha256);
	}
	ck_assert_uint_eq(a->nseeds, b->nseeds);
	for (size_t i = 0; i < a->nseeds; i++) {
		ck_assert_str_eq(a->seeds[i].kind, b->seeds[i].kind);
		ck_assert_str_eq(a->seeds[i].seed, b->seeds[i].seed);
	}
	ck_assert_int_eq(a->legacy_ids, b->legacy_ids);
	ck_assert_uint_eq(keyset_size(&a->ids), keyset_size(&b->ids));
	ck_assert_uint_eq(keyset_size(&a->units), keyset_size(&b->units));
}

START_TEST(missing_experiment_is_an_empty_set)
{
	struct state st;
	struct ab_set s;
	int there = -1;

	open_state(&st);
	/* No ab/ directory at all. */
	ck_assert_int_eq(ab_load(&st, "Spring Push", &s, &there), BRAIN_OK);
	ck_assert_int_eq(there, 0);
	ck_assert_str_eq(s.experiment, "Spring Push");
	ck_assert_str_eq(s.experiment_id, "spring-push");
	ck_assert_uint_eq(s.n, 0);
	ck_assert_uint_eq(s.nbatches, 0);
	ck_assert_uint_eq(keyset_size(&s.ids) + keyset_size(&s.units), 0);
	ck_assert_uint_eq(s.generation, 0);
	ab_set_free(&s);
	ck_assert_int_eq(exists("ab"), 0); /* loading creates nothing */
	/* ab/ there, the experiment's directory not; then the directory
	 * without experiment.json. */
	ck_assert_int_eq(mkdir(under("ab"), 0700), 0);
	there = -1;
	ck_assert_int_eq(ab_load(&st, "Spring Push", &s, &there), BRAIN_OK);
	ck_assert_int_eq(there, 0);
	ab_set_free(&s);
	ck_assert_int_eq(mkdir(under("ab/spring-push"), 0700), 0);
	there = -1;
	ck_assert_int_eq(ab_load(&st, "Spring Push", &s, &there), BRAIN_OK);
	ck_assert_int_eq(there, 0);
	ck_assert_uint_eq(s.n, 0);
	ab_set_free(&s);
	state_close(&st);
}
END_TEST

START_TEST(bad_experiment_names_are_refused)
{
	struct state st;
	struct ab_set s;
	int there = -1;

	open_state(&st);
	unit_capture_diag();
	ck_assert_int_eq(ab_load(&st, "", &s, &there), BRAIN_DATA);
	ck_assert_int_eq(there, 0);
	ab_set_free(&s);
	ck_assert_int_eq(ab_load(&st, "!!!", &s, &there), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "cannot make an id from the name '!!!'"));
	ab_set_free(&s);
	state_close(&st);
}
END_TEST

START_TEST(saved_experiment_loads_back)
{
	struct state st;
	struct ab_set a, b;
	uint32_t v;
	int there = 0;

	open_state(&st);
	populate(&a);
	/* What populate folded, as the later checks expect it. */
	ck_assert(a.v[0].trials == 1 && a.v[0].duplicates == 1 && a.v[0].excluded == 1);
	ck_assert(a.v[1].multi_exposed == 1 && a.v[1].value_partial == 1);
	ck_assert_uint_eq(a.n, 4);
	save_direct(&st, &a);
	ck_assert_uint_eq(a.generation, 1);
	ck_assert(exists("ab/spring-push/experiment.json"));
	ck_assert(exists("ab/spring-push/ids.1") && exists("ab/spring-push/units.1"));
	ck_assert_int_eq(ab_load(&st, "Spring Push", &b, &there), BRAIN_OK);
	ck_assert_int_eq(there, 1);
	assert_same_sets(&a, &b);
	ck_assert_uint_eq(b.generation, 1);
	ck_assert(b.has_ids && b.has_units);
	ck_assert_int_eq(b.v[0].control, 1);
	ck_assert_int_eq(b.v[1].control, 0);
	ck_assert_int_eq(b.v[2].control, 1);
	ck_assert_str_eq(b.v[3].name, "Phone");
	ck_assert_str_eq(b.v[3].created, "2026-12-01T00:00:00Z");
	ck_assert(b.v[0].weight == 2);
	ck_assert(b.v[0].value_sum == 250000 && b.v[0].value_sumsq == 250000.0 * 250000);
	ck_assert(b.v[2].value_sum == 1.5 && b.v[2].value_sumsq == 2.25);
	ck_assert(b.events == 7);
	/* The key sets: ids e1..e3 counted; L1's first variant of each kind. */
	ck_assert(has_event(&b.ids, "script", "e1"));
	ck_assert(has_event(&b.ids, "script", "e2"));
	ck_assert(has_event(&b.ids, "script", "e3"));
	ck_assert(!has_event(&b.ids, "script", "e4"));
	ck_assert(!has_event(&b.ids, "channel", "e1"));
	ck_assert(!has_key(&b.ids, "id", "e1", NULL, NULL)); /* not the old key */
	ck_assert_int_eq(b.legacy_ids, 0);
	ck_assert_str_eq(ab_set_recorded_seed(&b, "channel"), "mail-seed");
	ck_assert_ptr_null(ab_set_recorded_seed(&b, "script"));
	ck_assert_str_eq(ab_set_keyed_batch(&b, "2026-11-30"), b.batches[0]);
	/* The winners on record, sorted by kind, with their evidence. */
	ck_assert_uint_eq(b.ndecided, 2);
	ck_assert_str_eq(b.decided[0].kind, "channel");
	ck_assert_str_eq(ab_set_decided(&b, "channel")->variant, "Mail");
	ck_assert_str_eq(ab_set_decided(&b, "channel")->concluded_at, "");
	ck_assert_int_eq(ab_set_decided(&b, "channel")->by_operator, 0);
	ck_assert_str_eq(ab_set_decided(&b, "script")->variant, "Low Pressure");
	ck_assert_str_eq(ab_set_decided(&b, "script")->decided_at, "2026-11-30T09:00:00Z");
	ck_assert_str_eq(ab_set_decided(&b, "script")->concluded_at, "2026-11-30T10:00:00Z");
	ck_assert_int_eq(ab_set_decided(&b, "script")->by_operator, 1);
	ck_assert_int_eq(cJSON_GetObjectItem(ab_set_decided(&b, "script")->evidence, "n")->valueint,
			 3);
	ck_assert(has_key(&b.units, "unit", "script", "L1", &v));
	ck_assert_uint_eq(v & 0x7fffffffu, 0); /* High-Energy */
	ck_assert_uint_ne(v & 0x80000000u, 0);  /* and flagged multi-exposed */
	ck_assert(has_key(&b.units, "unit", "channel", "L1", &v));
	ck_assert_uint_eq(v, 2);
	ck_assert(has_key(&b.units, "unit", "channel", "L9", &v));
	ck_assert_uint_eq(v, 3);
	ab_set_free(&a);
	ab_set_free(&b);
	state_close(&st);
}
END_TEST

START_TEST(loaded_key_sets_keep_counting_across_runs)
{
	struct state st;
	struct ab_set a, b;
	struct ab_fold_options o = create_script;
	int there;

	open_state(&st);
	populate(&a);
	save_direct(&st, &a);
	ab_set_free(&a);
	ck_assert_int_eq(ab_load(&st, "Spring Push", &b, &there), BRAIN_OK);
	/* A retried event is a duplicate in the next run too, and a unit seen
	 * before in one variant is multi-exposed when it turns up in another. */
	/* Script events follow: reopen the concluded kind (in brain-ab only
	 * reset does). */
	((struct ab_decided *)ab_set_decided(&b, "script"))->concluded_at[0] = '\0';
	fold(&b, "{\"variant\":\"Low Pressure\",\"converted\":true,\"id\":\"e2\"}", &o);
	ck_assert(b.v[1].duplicates == 1);
	fold(&b, "{\"variant\":\"Phone\",\"converted\":true,\"unit\":\"L1\"}", &o);
	ck_assert(b.v[3].multi_exposed == 1);
	ck_assert(b.v[3].trials == 2);
	ab_set_free(&b);
	state_close(&st);
}
END_TEST

START_TEST(audited_save_round_trips)
{
	struct state st;
	struct ab_set a, b;
	char *log;
	int there;

	open_state(&st);
	ck_assert_int_eq(state_lock(&st, 0), BRAIN_OK);
	populate(&a);
	save_audited(&st, &a, "ab.track");
	log = unit_read_file(under(AUDIT_LOG));
	ck_assert_ptr_nonnull(strstr(log, "\"ab.track\""));
	ck_assert_ptr_nonnull(strstr(log, "\"spring-push\""));
	free(log);
	ck_assert_int_eq(exists(CHANGE_JOURNAL), 0);
	ck_assert_int_eq(ab_load(&st, "spring-push", &b, &there), BRAIN_OK); /* by id */
	ck_assert_int_eq(there, 1);
	assert_same_sets(&a, &b);
	ab_set_free(&a);
	ab_set_free(&b);
	state_close(&st);
}
END_TEST

START_TEST(new_generation_replaces_the_old_files)
{
	struct state st;
	struct ab_set a, b, c;
	struct ab_fold_options o = create_script;
	int there;

	open_state(&st);
	ck_assert_int_eq(state_lock(&st, 0), BRAIN_OK);
	populate(&a);
	save_audited(&st, &a, "ab.track");
	ab_set_free(&a);
	ck_assert_int_eq(ab_load(&st, "Spring Push", &b, &there), BRAIN_OK);
	fold(&b, "{\"variant\":\"Mail\",\"converted\":false,\"id\":\"e9\",\"unit\":\"L5\"}", &o);
	save_audited(&st, &b, "ab.track");
	ck_assert_uint_eq(b.generation, 2);
	ck_assert(exists("ab/spring-push/ids.2") && exists("ab/spring-push/units.2"));
	ck_assert_int_eq(exists("ab/spring-push/ids.1"), 0);
	ck_assert_int_eq(exists("ab/spring-push/units.1"), 0);
	ck_assert_int_eq(ab_load(&st, "Spring Push", &c, &there), BRAIN_OK);
	ck_assert_uint_eq(c.generation, 2);
	assert_same_sets(&b, &c);
	ck_assert(has_event(&c.ids, "channel", "e9") && has_event(&c.ids, "script", "e1"));
	ck_assert(has_key(&c.units, "unit", "channel", "L5", NULL));
	ab_set_free(&b);
	ab_set_free(&c);
	state_close(&st);
}
END_TEST

START_TEST(failed_commit_keeps_the_old_generation)
{
	struct state st;
	struct ab_set a, b, c;
	struct ab_fold_options o = create_script;
	struct ab_pending p;
	int there;

	open_state(&st);
	populate(&a);
	save_direct(&st, &a);
	ab_set_free(&a);
	ck_assert_int_eq(ab_load(&st, "Spring Push", &b, &there), BRAIN_OK);
	fold(&b, "{\"variant\":\"Mail\",\"converted\":true,\"id\":\"e10\"}", &o);
	ck_assert_int_eq(ab_prepare(&st, &b, &p), BRAIN_OK);
	/* The change is given up (say, its audit record could not land). */
	file_replace_abort(&p.fr);
	ck_assert_int_eq(ab_finish(&p, BRAIN_IO), BRAIN_IO);
	ck_assert(exists("ab/spring-push/ids.1") && exists("ab/spring-push/units.1"));
	ck_assert_int_eq(ab_load(&st, "Spring Push", &c, &there), BRAIN_OK);
	ck_assert_uint_eq(c.generation, 1);
	ck_assert(!has_event(&c.ids, "channel", "e10"));
	ck_assert(c.v[2].trials == 1); /* Mail as before */
	ab_set_free(&b);
	ab_set_free(&c);
	state_close(&st);
}
END_TEST

START_TEST(experiment_without_keys_writes_no_key_files)
{
	struct state st;
	struct ab_set a, b;
	int there;

	open_state(&st);
	ab_set_init(&a, "Plain");
	ab_set_add(&a, "A", "script", 1, NULL);
	fold(&a, "{\"variant\":\"A\",\"trials\":10,\"conversions\":2}", &create_script);
	save_direct(&st, &a);
	ck_assert_uint_eq(a.generation, 0);
	ck_assert(exists("ab/plain/experiment.json"));
	ck_assert_int_eq(exists("ab/plain/ids.0") || exists("ab/plain/ids.1"), 0);
	ck_assert_int_eq(ab_load(&st, "Plain", &b, &there), BRAIN_OK);
	ck_assert_int_eq(there, 1);
	ck_assert(!b.has_ids && !b.has_units);
	ck_assert(b.v[0].trials == 10 && b.v[0].conversions == 2);
	ab_set_free(&a);
	ab_set_free(&b);
	state_close(&st);
}
END_TEST

/* Save a good experiment, then in its experiment.json replace the first
 * from by to (from NULL: the whole file by to). */
static void corrupt_with(struct state *st, const char *from, const char *to)
{
	struct ab_set a;
	char text[65536], *at;
	size_t n;
	FILE *fp;

	populate(&a);
	save_direct(st, &a);
	ab_set_free(&a);
	fp = fopen(under("ab/spring-push/experiment.json"), "r");
	ck_assert_ptr_nonnull(fp);
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	fclose(fp);
	fp = fopen(under("ab/spring-push/experiment.json"), "w");
	ck_assert_ptr_nonnull(fp);
	if (!from) {
		fputs(to, fp);
	} else {
		at = strstr(text, from);
		ck_assert_msg(at != NULL, "no '%s' in experiment.json", from);
		n = (size_t)(at - text);
		fwrite(text, 1, n, fp);
		fputs(to, fp);
		fputs(at + strlen(from), fp);
	}
	ck_assert_int_eq(fclose(fp), 0);
}

START_TEST(corrupt_experiment_is_state_error)
{
	static const struct {
		const char *from, *to, *message;
	} cases[] = {
		{ NULL, "{\"experiment\":", "ab/spring-push/experiment.json: not an experiment file" },
		{ NULL, "[]", "ab/spring-push/experiment.json: not an experiment file" },
		{ "\"generation\":", "\"generation_\":", "not an experiment file" },
		{ "\"ids\":\ttrue", "\"ids\":\t1", "not an experiment file" },
		{ "\"conversions\":\t1,", "\"conversions\":\t99,", "conversions exceed trials" },
		{ "\"trials\":\t1,", "\"trials\":\t-1,", "a variant lacks a count" },
		{ "\"kind\":\t\"script\"", "\"kind\":\t7", "a variant lacks a string field" },
		{ "\"control\":\ttrue", "\"control\":\t1", "lacks 'control' or 'value_partial'" },
		{ "\"aaaa", "\"", "bad batch hash" },
		{ "\"legacy_ids\":\tfalse", "\"legacy_ids\":\t0", "bad 'legacy_ids'" },
		{ "\"mail-seed\"", "7", "bad seed" },
		{ "\"sha256\":\t\"a", "\"sha256\":\t\"", "bad keyed batch" },
		{ "\"variant_name\":\t\"Mail\",\n\t\t\t\"decided_at\"",
		  "\"variant_name\":\t\"Fax\",\n\t\t\t\"decided_at\"", "bad decision" },
		{ "\"2026-11-30T10:00:00Z\"", "\"yesterday\"", "bad decision" },
		{ "\"by\":\t\"operator\"", "\"by\":\t\"boss\"", "bad decision" },
		{ "\"decisions\":\t{", "\"decisions\":\t7, \"was\": {", "bad 'legacy_ids'" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct state st;
		struct ab_set s;
		int there = -1;

		open_state(&st);
		corrupt_with(&st, cases[i].from, cases[i].to);
		unit_capture_diag();
		ck_assert_msg(ab_load(&st, "Spring Push", &s, &there) == BRAIN_STATE, "case %zu", i);
		ck_assert_int_eq(there, 0);
		ck_assert_msg(strstr(unit_diag_text(), cases[i].message) != NULL, "case %zu: %s", i,
			      unit_diag_text());
		ab_set_free(&s);
		state_close(&st);
		unit_remove_tmpdir();
	}
}
END_TEST

START_TEST(missing_or_corrupt_key_file_is_state_error)
{
	struct state st;
	struct ab_set s;
	int there = -1;

	open_state(&st);
	corrupt_with(&st, "\"experiment\"", "\"experiment\""); /* unchanged */
	ck_assert_int_eq(unlink(under("ab/spring-push/units.1")), 0);
	unit_capture_diag();
	ck_assert_int_eq(ab_load(&st, "Spring Push", &s, &there), BRAIN_STATE);
	ck_assert_int_eq(there, 0);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "ab: units.1 is missing"));
	ab_set_free(&s);
	unit_write_file(under("ab/spring-push/units.1"), "not a key set");
	unit_capture_diag();
	ck_assert_int_eq(ab_load(&st, "Spring Push", &s, &there), BRAIN_STATE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "units.1: corrupt key set"));
	ab_set_free(&s);
	state_close(&st);
}
END_TEST

/* experiment.json as brain-ab wrote it before seeds, keyed batches and
 * kind-scoped ids (ids as given). */
static void write_old_experiment(const char *ids)
{
	char text[2048];
	static const char variant[] =
		"{\"variant_id\":\"%s\",\"variant_name\":\"%s\",\"kind\":\"%s\","
		"\"created\":\"2026-11-01T00:00:00Z\",\"weight\":1,\"control\":true,\"trials\":1,"
		"\"conversions\":1,\"value_sum\":0,\"value_sumsq\":0,\"value_partial\":false,"
		"\"duplicates\":0,\"multi_exposed\":0,\"excluded\":0}";
	char a[512], m[512];

	snprintf(a, sizeof(a), variant, "a", "A", "script");
	snprintf(m, sizeof(m), variant, "m", "M", "channel");
	snprintf(text, sizeof(text),
		 "{\"experiment\":\"Old\",\"created\":\"2026-11-01T00:00:00Z\",\"events\":2,"
		 "\"generation\":1,\"ids\":%s,\"units\":false,\"variants\":[%s,%s],"
		 "\"batches\":[\"%064d\"]}\n", ids, a, m, 0);
	ck_assert_int_eq(mkdir(under("ab"), 0700), 0);
	ck_assert_int_eq(mkdir(under("ab/old"), 0700), 0);
	unit_write_file(under("ab/old/experiment.json"), text);
}

START_TEST(experiment_from_before_kind_scoped_ids_loads)
{
	struct state st;
	struct ab_set s, t;
	struct keyset old;
	struct ab_fold_options o = create_script;
	unsigned char key[KEYSET_KEY], *bytes;
	size_t len;
	FILE *fp;
	int there;

	open_state(&st);
	write_old_experiment("true");
	keyset_init(&old);
	ab_legacy_event_key("call-1", key);
	keyset_put(&old, key, 0);
	bytes = keyset_serialize(&old, &len);
	fp = fopen(under("ab/old/ids.1"), "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(bytes, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
	free(bytes);
	keyset_free(&old);
	ck_assert_int_eq(ab_load(&st, "Old", &s, &there), BRAIN_OK);
	ck_assert_int_eq(there, 1);
	ck_assert_int_eq(s.legacy_ids, 1);
	ck_assert_uint_eq(s.nseeds + s.nkeyed, 0);
	ck_assert_uint_eq(s.nbatches, 1); /* the old content hashes stay valid */
	/* The old id counted before: a duplicate in either kind, as then. */
	fold(&s, "{\"variant\":\"A\",\"converted\":true,\"id\":\"call-1\"}", &o);
	fold(&s, "{\"variant\":\"M\",\"converted\":true,\"id\":\"call-1\"}", &o);
	ck_assert(s.v[0].duplicates == 1 && s.v[1].duplicates == 1);
	/* A new id counts once in each kind. */
	fold(&s, "{\"variant\":\"A\",\"converted\":true,\"id\":\"call-2\"}", &o);
	fold(&s, "{\"variant\":\"M\",\"converted\":true,\"id\":\"call-2\"}", &o);
	ck_assert(s.v[0].trials == 2 && s.v[1].trials == 2);
	save_direct(&st, &s);
	ck_assert_int_eq(ab_load(&st, "Old", &t, &there), BRAIN_OK);
	assert_same_sets(&s, &t);
	ck_assert_int_eq(t.legacy_ids, 1); /* the old keys are still there */
	fold(&t, "{\"variant\":\"M\",\"converted\":true,\"id\":\"call-1\"}", &o);
	fold(&t, "{\"variant\":\"M\",\"converted\":true,\"id\":\"call-2\"}", &o);
	ck_assert(t.v[1].duplicates == 3 && t.v[1].trials == 2);
	ab_set_free(&s);
	ab_set_free(&t);
	state_close(&st);
}
END_TEST

START_TEST(old_experiment_without_ids_is_kind_scoped)
{
	struct state st;
	struct ab_set s;
	int there;

	open_state(&st);
	write_old_experiment("false");
	ck_assert_int_eq(ab_load(&st, "Old", &s, &there), BRAIN_OK);
	ck_assert_int_eq(there, 1);
	ck_assert_int_eq(s.legacy_ids, 0);
	ab_set_free(&s);
	state_close(&st);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ab_store");
	TCase *tc = tcase_create("ab_store");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, missing_experiment_is_an_empty_set);
	tcase_add_test(tc, bad_experiment_names_are_refused);
	tcase_add_test(tc, saved_experiment_loads_back);
	tcase_add_test(tc, loaded_key_sets_keep_counting_across_runs);
	tcase_add_test(tc, audited_save_round_trips);
	tcase_add_test(tc, new_generation_replaces_the_old_files);
	tcase_add_test(tc, failed_commit_keeps_the_old_generation);
	tcase_add_test(tc, experiment_without_keys_writes_no_key_files);
	tcase_add_test(tc, corrupt_experiment_is_state_error);
	tcase_add_test(tc, missing_or_corrupt_key_file_is_state_error);
	tcase_add_test(tc, experiment_from_before_kind_scoped_ids_loads);
	tcase_add_test(tc, old_experiment_without_ids_is_kind_scoped);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
