/* Unit tests of audit: appending makes the hash-chained log of
 * spec/audit-log.md (fixed layout, prev = SHA-256 of the line before,
 * seq = line number); audit_each and audit_head read it back; bad events,
 * a missing lock and a torn tail are refused with nothing appended. */
#include "unit.h"

#include <math.h>

#include "core/audit.h"
#include "core/change.h"
#include "core/state.h"
#include "pure/hash.h"
#include "pure/json.h"

#define NOW "2026-12-01T00:00:00Z"

static char *under(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/state/%s", unit_dir_path, name);
	return path;
}

/* The lines of audit.log, each with its LF; *n of them (caller frees). */
static char **log_lines(const char *state, size_t *n)
{
	char path[4300], *buf = NULL, **lines = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/" AUDIT_LOG, state);
	*n = 0;
	fp = fopen(path, "r");
	if (!fp)
		return NULL;
	while ((len = getline(&buf, &cap, fp)) > 0) {
		lines = realloc(lines, (*n + 1) * sizeof(*lines));
		ck_assert_ptr_nonnull(lines);
		lines[(*n)++] = strdup(buf);
	}
	free(buf);
	fclose(fp);
	return lines;
}

static void free_lines(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static size_t count_lines(void)
{
	size_t n;
	char **lines = log_lines(under(""), &n);

	free_lines(lines, n);
	return n;
}

static void fresh(void)
{
	unit_tmpdir();
	umask(077);
	setenv("BRAIN_ACTOR", "unit", 1);
	setenv("BRAIN_NOW", NOW, 1);
	diag_init("test");
	unit_capture_diag();
}

static void open_locked(struct state *st, const char *path)
{
	ck_assert_int_eq(change_begin(st, path, 0, NULL), BRAIN_OK);
}

/* Append subject/action with an optional reason and details text. */
static struct audit_ack append(struct state *st, const char *subject, const char *reason,
			       const char *details)
{
	cJSON *d = details ? cJSON_Parse(details) : NULL;
	struct audit_event ev = { subject, "test.act", "SUCCESS", d, reason, NULL };
	struct audit_ack ack;

	ck_assert_int_eq(audit_append(st, NULL, &ev, &ack), BRAIN_OK);
	ck_assert(!ack.existed);
	cJSON_Delete(d);
	return ack;
}

/* ---- the chain ------------------------------------------------------------ */

START_TEST(appends_make_a_chained_log)
{
	struct state st;
	struct audit_ack acks[3];
	char **lines, hash[65], prev[65] = AUDIT_ZERO_HASH, want_end[64];
	size_t n;

	fresh();
	open_locked(&st, under(""));
	acks[0] = append(&st, "alpha", NULL, NULL);
	acks[1] = append(&st, "beta", "because", "{\"k\":[1,\"two\"]}");
	acks[2] = append(&st, "gamma", NULL, "{}");
	state_close(&st);
	lines = log_lines(under(""), &n);
	ck_assert_uint_eq(n, 4); /* the header and three */
	for (size_t i = 0; i < n; i++) {
		const char *l = lines[i];
		size_t len = strlen(l);

		/* The fixed layout, byte for byte. */
		ck_assert(!strncmp(l, "{\"mac\":\"" AUDIT_ZERO_HASH "\",\"prev\":\"", AUDIT_PREV_AT));
		ck_assert(!strncmp(l + AUDIT_PREV_AT, prev, 64));
		ck_assert(!strncmp(l + AUDIT_PREV_AT + 64, "\",\"rec\":{", 9));
		ck_assert_uint_eq(AUDIT_PREV_AT + 64 + 8, AUDIT_REC_AT);
		snprintf(want_end, sizeof(want_end), "},\"seq\":%zu,\"ts\":\"" NOW "\"}\n", i + 1);
		ck_assert_msg(len > strlen(want_end) &&
			      !strcmp(l + len - strlen(want_end), want_end), "line %zu: %s", i + 1, l);
		/* h_i covers the line with its LF; the next line's prev is h_i. */
		hash_sha256_hex(l, len, hash);
		if (i > 0) {
			ck_assert_uint_eq(acks[i - 1].seq, i + 1);
			ck_assert_str_eq(acks[i - 1].hash, hash);
		}
		memcpy(prev, hash, 65);
	}
	ck_assert(strstr(lines[0], "\"rec\":{\"created\":\"" NOW "\",\"log\":\"brain\","
				   "\"mac\":\"none\",\"type\":\"log.init\",\"v\":1}"));
	free_lines(lines, n);
}
END_TEST

START_TEST(a_record_holds_the_event_in_sorted_members)
{
	struct state st;
	struct audit_ack ack;
	char **lines, want[512];
	size_t n;

	fresh();
	open_locked(&st, under(""));
	append(&st, "alpha", NULL, NULL);
	ack = append(&st, "beta", "because", "{\"k\":[1,\"two\"]}");
	state_close(&st);
	lines = log_lines(under(""), &n);
	ck_assert_uint_eq(strlen(ack.id), 32);
	snprintf(want, sizeof(want), "\"rec\":{\"action\":\"test.act\",\"actor\":\"unit\",\"details\":"
		 "{\"k\":[1,\"two\"]},\"id\":\"%s\",\"program\":\"test\",\"reason\":\"because\","
		 "\"status\":\"SUCCESS\",\"subject\":\"beta\",\"type\":\"event\"},", ack.id);
	ck_assert_msg(strstr(lines[2], want), "%s", lines[2]);
	/* Without a reason there is no reason member; details default to {}. */
	ck_assert(strstr(lines[1], "\"details\":{},"));
	ck_assert_ptr_null(strstr(lines[1], "\"reason\""));
	free_lines(lines, n);
}
END_TEST

START_TEST(with_a_fixed_clock_the_same_appends_give_the_same_bytes)
{
	struct state a, b;
	char *ta, *tb, pa[4300], pb[4300];

	fresh();
	snprintf(pa, sizeof(pa), "%s/a", unit_dir_path);
	snprintf(pb, sizeof(pb), "%s/b", unit_dir_path);
	open_locked(&a, pa);
	open_locked(&b, pb);
	for (int i = 0; i < 3; i++) {
		append(&a, "same", NULL, "{\"i\":1}");
		append(&b, "same", NULL, "{\"i\":1}");
	}
	state_close(&a);
	state_close(&b);
	snprintf(pa + strlen(pa), sizeof(pa) - strlen(pa), "/" AUDIT_LOG);
	snprintf(pb + strlen(pb), sizeof(pb) - strlen(pb), "/" AUDIT_LOG);
	ta = unit_read_file(pa);
	tb = unit_read_file(pb);
	ck_assert_str_eq(ta, tb);
	free(ta);
	free(tb);
}
END_TEST

START_TEST(a_given_id_is_appended_once)
{
	static const char id[] = "0123456789abcdef0123456789abcdef";
	struct audit_event ev = { "s", "test.act", "SUCCESS", NULL, NULL, id };
	struct audit_event two[2] = {
		{ "t", "test.act", "SUCCESS", NULL, NULL, "ffffffffffffffffffffffffffffffff" },
		{ "t", "test.act", "SUCCESS", NULL, NULL, "ffffffffffffffffffffffffffffffff" },
	};
	struct audit_ack first, again, acks[2];
	struct state st;

	fresh();
	open_locked(&st, under(""));
	ck_assert_int_eq(audit_append(&st, NULL, &ev, &first), BRAIN_OK);
	ck_assert(!first.existed);
	ck_assert_str_eq(first.id, id);
	ck_assert_int_eq(audit_append(&st, NULL, &ev, &again), BRAIN_OK);
	ck_assert(again.existed);
	ck_assert_uint_eq(again.seq, first.seq);
	ck_assert_str_eq(again.hash, first.hash);
	ck_assert_uint_eq(count_lines(), 2);
	/* The same id twice in one batch is one record. */
	ck_assert_int_eq(audit_append_many(&st, NULL, two, 2, acks), BRAIN_OK);
	ck_assert(!acks[0].existed);
	ck_assert(acks[1].existed);
	ck_assert_uint_eq(acks[1].seq, acks[0].seq);
	ck_assert_uint_eq(count_lines(), 3);
	state_close(&st);
}
END_TEST

/* ---- refusals -------------------------------------------------------------- */

START_TEST(bad_events_are_refused_and_nothing_is_appended)
{
	cJSON *arr = cJSON_CreateArray(), *nan = cJSON_Parse("{\"x\":1}"), *deep, *big;
	struct state st;
	struct audit_ack ack;
	char *pad;

	cJSON_AddNumberToObject(nan, "rate", NAN);
	deep = cJSON_CreateObject();
	for (int i = 0; i < 30; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddItemToObject(o, "d", deep);
		deep = o;
	}
	pad = malloc(70000);
	memset(pad, 'p', 69999);
	pad[69999] = '\0';
	big = cJSON_CreateObject();
	cJSON_AddStringToObject(big, "pad", pad);
	free(pad);
	{
		const struct {
			struct audit_event ev;
			const char *says;
		} bad[] = {
			{ { NULL, "a", "SUCCESS", NULL, NULL, NULL },
			  "audit record needs a subject, an action and a status" },
			{ { "s", NULL, "SUCCESS", NULL, NULL, NULL },
			  "audit record needs a subject, an action and a status" },
			{ { "s", "a", NULL, NULL, NULL, NULL },
			  "audit record needs a subject, an action and a status" },
			{ { "s", "a", "SUCCESS", arr, NULL, NULL }, "audit details must be a JSON object" },
			{ { "s", "a", "SUCCESS", nan, NULL, NULL },
			  "audit details hold a non-finite number in 'rate'" },
			{ { "s", "a", "SUCCESS", deep, NULL, NULL }, "audit details nest deeper than 30 levels" },
			{ { "s", "a", "SUCCESS", big, NULL, NULL }, "over the 64 KiB limit" },
			{ { "s", "a", "SUCCESS", NULL, NULL, "0123456789ABCDEF0123456789abcdef" },
			  "audit record id must be 32 lowercase hex digits" },
			{ { "s", "a", "SUCCESS", NULL, NULL, "0123" },
			  "audit record id must be 32 lowercase hex digits" },
		};

		fresh();
		open_locked(&st, under(""));
		append(&st, "first", NULL, NULL);
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct audit_event batch[2] = {
				{ "good", "a", "SUCCESS", NULL, NULL, NULL }, bad[i].ev
			};
			struct audit_ack acks[2];

			unit_capture_diag();
			ck_assert_msg(audit_append(&st, NULL, &bad[i].ev, &ack) == BRAIN_DATA,
				      "case %zu accepted", i);
			ck_assert_msg(strstr(unit_diag_text(), bad[i].says), "case %zu: %s", i,
				      unit_diag_text());
			/* A bad one in a batch refuses the whole batch. */
			ck_assert_int_eq(audit_append_many(&st, NULL, batch, 2, acks), BRAIN_DATA);
			ck_assert_uint_eq(count_lines(), 2);
		}
		state_close(&st);
	}
	cJSON_Delete(arr);
	cJSON_Delete(nan);
	cJSON_Delete(deep);
	cJSON_Delete(big);
}
END_TEST

START_TEST(details_at_the_depth_limit_are_accepted)
{
	struct state st;
	struct audit_ack ack;
	cJSON *deep = cJSON_CreateObject();
	struct audit_event ev = { "s", "a", "SUCCESS", NULL, NULL, NULL };

	for (int i = 1; i < 30; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddItemToObject(o, "d", deep);
		deep = o;
	}
	ck_assert_int_eq(json_depth(deep), 30);
	ev.details = deep;
	fresh();
	open_locked(&st, under(""));
	ck_assert_int_eq(audit_append(&st, NULL, &ev, &ack), BRAIN_OK);
	ck_assert_uint_eq(ack.seq, 2);
	state_close(&st);
	cJSON_Delete(deep);
}
END_TEST

START_TEST(append_without_the_lock_is_refused)
{
	struct audit_event ev = { "s", "a", "SUCCESS", NULL, NULL, NULL };
	struct audit_ack ack;
	struct state st;

	fresh();
	ck_assert_int_eq(state_open(&st, under(""), STATE_WRITE), BRAIN_OK);
	ck_assert_int_eq(audit_append(&st, NULL, &ev, &ack), BRAIN_IO);
	ck_assert_str_eq(unit_diag_text(), "test: internal error: audit append without the lock\n");
	ck_assert_int_eq(access(under(AUDIT_LOG), F_OK), -1);
	state_close(&st);
}
END_TEST

START_TEST(a_torn_tail_refuses_appends_and_head)
{
	struct audit_event ev = { "s", "a", "SUCCESS", NULL, NULL, NULL };
	struct audit_ack ack;
	struct state st;
	uint64_t size = 9;
	char hash[65], *before, *after;
	FILE *fp;

	fresh();
	open_locked(&st, under(""));
	append(&st, "first", NULL, NULL);
	fp = fopen(under(AUDIT_LOG), "a");
	ck_assert_ptr_nonnull(fp);
	fputs("{\"mac\":\"00", fp);
	ck_assert_int_eq(fclose(fp), 0);
	before = unit_read_file(under(AUDIT_LOG));
	unit_capture_diag();
	ck_assert_int_eq(audit_append(&st, NULL, &ev, &ack), BRAIN_STATE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "audit.log ends in a torn record from a "
						       "crash; run 'brain-verify --repair'"));
	after = unit_read_file(under(AUDIT_LOG));
	ck_assert_str_eq(after, before);
	ck_assert_int_eq(audit_head(st.dirfd, &size, hash), BRAIN_STATE);
	free(before);
	free(after);
	state_close(&st);
}
END_TEST

/* ---- reading back ----------------------------------------------------------- */

struct visit {
	int n;
	uint64_t seq[8];
	char subject[8][16];
	int stop_after;
};

static int visit(void *arg, const cJSON *line, const cJSON *rec, uint64_t seq)
{
	struct visit *v = arg;
	const cJSON *s = cJSON_GetObjectItem(rec, "subject");

	ck_assert_int_lt(v->n, 8);
	ck_assert_double_eq(cJSON_GetObjectItem(line, "seq")->valuedouble, (double)seq);
	ck_assert_ptr_eq(rec, cJSON_GetObjectItem(line, "rec"));
	v->seq[v->n] = seq;
	snprintf(v->subject[v->n], sizeof(v->subject[0]), "%s", cJSON_IsString(s) ? s->valuestring
				  : "(header)");
	v->n++;
	return v->stop_after && v->n == v->stop_after;
}

START_TEST(each_visits_every_record_in_order)
{
	struct state st;
	struct visit v = { 0 };

	fresh();
	ck_assert_int_eq(state_open(&st, under(""), STATE_WRITE), BRAIN_OK);
	ck_assert_int_eq(audit_each(st.dirfd, visit, &v), BRAIN_NO);
	ck_assert_int_eq(v.n, 0);
	state_close(&st);
	open_locked(&st, under(""));
	append(&st, "alpha", NULL, NULL);
	append(&st, "beta", NULL, NULL);
	append(&st, "gamma", NULL, NULL);
	ck_assert_int_eq(audit_each(st.dirfd, visit, &v), BRAIN_OK);
	ck_assert_int_eq(v.n, 4);
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(v.seq[i], (uint64_t)i + 1);
	ck_assert_str_eq(v.subject[0], "(header)");
	ck_assert_str_eq(v.subject[1], "alpha");
	ck_assert_str_eq(v.subject[3], "gamma");
	/* Non-zero from the callback stops the walk. */
	memset(&v, 0, sizeof(v));
	v.stop_after = 2;
	ck_assert_int_eq(audit_each(st.dirfd, visit, &v), BRAIN_OK);
	ck_assert_int_eq(v.n, 2);
	state_close(&st);
}
END_TEST

START_TEST(each_refuses_a_line_that_does_not_parse)
{
	struct state st;
	struct visit v = { 0 };
	FILE *fp;

	fresh();
	open_locked(&st, under(""));
	append(&st, "alpha", NULL, NULL);
	fp = fopen(under(AUDIT_LOG), "a");
	ck_assert_ptr_nonnull(fp);
	fputs("{\"not\":\"closed\"\n", fp);
	ck_assert_int_eq(fclose(fp), 0);
	unit_capture_diag();
	ck_assert_int_eq(audit_each(st.dirfd, visit, &v), BRAIN_STATE);
	ck_assert_int_eq(v.n, 2);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "audit.log:3: "));
	state_close(&st);
}
END_TEST

START_TEST(head_is_the_count_and_hash_of_the_last_record)
{
	struct state st;
	struct audit_ack ack;
	uint64_t size = 9;
	char hash[65] = "x";

	fresh();
	ck_assert_int_eq(state_open(&st, under(""), STATE_WRITE), BRAIN_OK);
	/* No log: 0 and the zero hash. */
	ck_assert_int_eq(audit_head(st.dirfd, &size, hash), BRAIN_OK);
	ck_assert_uint_eq(size, 0);
	ck_assert_str_eq(hash, AUDIT_ZERO_HASH);
	/* An empty log: the same. */
	unit_write_file(under(AUDIT_LOG), "");
	size = 9;
	ck_assert_int_eq(audit_head(st.dirfd, &size, hash), BRAIN_OK);
	ck_assert_uint_eq(size, 0);
	ck_assert_str_eq(hash, AUDIT_ZERO_HASH);
	state_close(&st);
	open_locked(&st, under(""));
	append(&st, "alpha", NULL, NULL);
	ack = append(&st, "beta", NULL, NULL);
	ck_assert_int_eq(audit_head(st.dirfd, &size, hash), BRAIN_OK);
	ck_assert_uint_eq(size, 3);
	ck_assert_uint_eq(size, ack.seq);
	ck_assert_str_eq(hash, ack.hash);
	state_close(&st);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("audit");
	TCase *chain = tcase_create("chain");
	TCase *refuse = tcase_create("refusals");
	TCase *read = tcase_create("read");

	tcase_add_test(chain, appends_make_a_chained_log);
	tcase_add_test(chain, a_record_holds_the_event_in_sorted_members);
	tcase_add_test(chain, with_a_fixed_clock_the_same_appends_give_the_same_bytes);
	tcase_add_test(chain, a_given_id_is_appended_once);
	suite_add_tcase(s, chain);

	tcase_add_test(refuse, bad_events_are_refused_and_nothing_is_appended);
	tcase_add_test(refuse, details_at_the_depth_limit_are_accepted);
	tcase_add_test(refuse, append_without_the_lock_is_refused);
	tcase_add_test(refuse, a_torn_tail_refuses_appends_and_head);
	suite_add_tcase(s, refuse);

	tcase_add_test(read, each_visits_every_record_in_order);
	tcase_add_test(read, each_refuses_a_line_that_does_not_parse);
	tcase_add_test(read, head_is_the_count_and_hash_of_the_last_record);
	suite_add_tcase(s, read);
	return s;
}

UNIT_MAIN(suite)
