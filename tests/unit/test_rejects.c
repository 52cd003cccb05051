/* Unit tests of rejects: what --skip-invalid does not apply is kept under
 * rejects/ with where it came from and why; without --skip-invalid a bad
 * record stops the command and nothing is kept; a dry run keeps nothing. */
#include "unit.h"

#include <dirent.h>

#include "core/jsonl.h"
#include "core/rejects.h"
#include "core/state.h"

static char *under(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/state/%s", unit_dir_path, name);
	return path;
}

/* A fresh state, diagnostics captured and named "test", the clock fixed. */
static void open_state(struct state *st, struct rejects *rj)
{
	unit_tmpdir();
	umask(077);
	setenv("BRAIN_NOW", "2026-12-01T00:00:00Z", 1);
	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(state_open(st, under(""), STATE_WRITE), BRAIN_OK);
	rejects_init(rj, st);
}

/* The path of this process's reject file. */
static char *reject_file(void)
{
	static char path[4300];

	snprintf(path, sizeof(path), "%s/state/rejects/test-20261201T000000Z-%ld.jsonl",
		 unit_dir_path, (long)getpid());
	return path;
}

/* How many entries rejects/ has; -1 when it does not exist. */
static int rejects_entries(void)
{
	DIR *d = opendir(under("rejects"));
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* A reader of events.jsonl (in the tmpdir, opened by its base name) that
 * has just refused line 2. */
static void reader_at_a_bad_line(struct jsonl_reader *r, const char *bad)
{
	char text[512], path[4200];
	cJSON *rec = NULL;

	snprintf(text, sizeof(text), "{\"n\":1}\n%s\n{\"n\":3}\n", bad);
	snprintf(path, sizeof(path), "%s/events.jsonl", unit_dir_path);
	unit_write_file(path, text);
	ck_assert_int_eq(chdir(unit_dir_path), 0);
	ck_assert_int_eq(jsonl_open(r, "events.jsonl", 0), BRAIN_OK);
	ck_assert_int_eq(jsonl_next(r, &rec), BRAIN_OK);
	cJSON_Delete(rec);
	ck_assert_int_eq(jsonl_next(r, &rec), BRAIN_DATA);
	ck_assert_ptr_null(rec);
}

START_TEST(a_reject_is_kept_with_source_line_reason_and_raw_bytes)
{
	static const char raw[] = "{\"trials\":\"twelve\"}";
	struct state st;
	struct rejects rj;
	struct stat sb;
	char *text;

	open_state(&st, &rj);
	ck_assert_int_eq(rejects_add(&rj, "events.jsonl", 17,
				     "field 'trials' must be a non-negative integer", raw,
				     strlen(raw)), BRAIN_OK);
	ck_assert_uint_eq(rj.count, 1);
	ck_assert_int_eq(rejects_entries(), 1);
	text = unit_read_file(reject_file());
	ck_assert_str_eq(text, "{\"file\":\"events.jsonl\",\"line\":17,\"reason\":\"field 'trials' "
			       "must be a non-negative integer\",\"record\":\"{\\\"trials\\\":"
			       "\\\"twelve\\\"}\"}\n");
	free(text);
	/* A second reject of the run goes to the same file, after the first. */
	ck_assert_int_eq(rejects_add(&rj, NULL, 0, "why", "x", 1), BRAIN_OK);
	ck_assert_uint_eq(rj.count, 2);
	ck_assert_int_eq(rejects_entries(), 1);
	text = unit_read_file(reject_file());
	ck_assert_ptr_nonnull(strstr(text, "\"}\n{\"file\":\"\",\"line\":0,\"reason\":\"why\","
					   "\"record\":\"x\"}\n"));
	free(text);
	/* Private, like all of the state. */
	ck_assert_int_eq(stat(reject_file(), &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(stat(under("rejects"), &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	rejects_close(&rj);
	state_close(&st);
}
END_TEST

START_TEST(raw_bytes_are_kept_exactly_when_json_can_carry_them)
{
	/* Bytes that need escaping, and only len of them. */
	static const char raw[] = "a\"b\\c\td\r\x01 \xc3\xa9 tail-not-kept";
	struct state st;
	struct rejects rj;
	cJSON *rec;
	char *text;
	size_t len = strlen(raw) - strlen(" tail-not-kept");

	open_state(&st, &rj);
	ck_assert_int_eq(rejects_add(&rj, "in", 1, "r", raw, len), BRAIN_OK);
	text = unit_read_file(reject_file());
	rec = cJSON_Parse(text);
	ck_assert_ptr_nonnull(rec);
	ck_assert_uint_eq(strlen(cJSON_GetObjectItem(rec, "record")->valuestring), len);
	ck_assert(!memcmp(cJSON_GetObjectItem(rec, "record")->valuestring, raw, len));
	cJSON_Delete(rec);
	free(text);
	rejects_close(&rj);
	state_close(&st);
}
END_TEST

START_TEST(raw_bytes_that_are_not_utf8_become_question_marks)
{
	static const char raw[] = "{\"name\":\"caf\xe9\",\"ok\":\"\xc3\xa9\"}";
	struct state st;
	struct rejects rj;
	char *text;

	open_state(&st, &rj);
	ck_assert_int_eq(rejects_add(&rj, "in", 4, "invalid UTF-8", raw, strlen(raw)), BRAIN_OK);
	text = unit_read_file(reject_file());
	/* Every byte of 0x80 and over, the valid é too: the line stays JSON. */
	ck_assert_str_eq(text, "{\"file\":\"in\",\"line\":4,\"reason\":\"invalid UTF-8\",\"record\":"
			       "\"{\\\"name\\\":\\\"caf?\\\",\\\"ok\\\":\\\"??\\\"}\"}\n");
	free(text);
	rejects_close(&rj);
	state_close(&st);
}
END_TEST

START_TEST(a_run_without_rejects_leaves_nothing)
{
	struct state st;
	struct rejects rj;

	open_state(&st, &rj);
	ck_assert_int_eq(rj.fd, -1);
	rejects_close(&rj);
	rejects_close(&rj); /* harmless twice */
	state_close(&st);
	ck_assert_int_eq(rejects_entries(), -1);
}
END_TEST

START_TEST(refuse_without_skip_invalid_stops_and_keeps_nothing)
{
	struct state st;
	struct rejects rj;
	struct jsonl_reader r;
	enum brain_status bad = BRAIN_OK;

	open_state(&st, &rj);
	reader_at_a_bad_line(&r, "{\"n\":}");
	ck_assert_int_eq(rejects_refuse(0, &rj, &r, &bad), BRAIN_DATA);
	ck_assert_uint_eq(rj.count, 0);
	jsonl_close(&r);
	rejects_close(&rj);
	state_close(&st);
	ck_assert_int_eq(rejects_entries(), -1);
}
END_TEST

START_TEST(refuse_with_skip_invalid_keeps_the_raw_line_and_goes_on)
{
	struct state st;
	struct rejects rj;
	struct jsonl_reader r;
	enum brain_status bad = BRAIN_OK;
	cJSON *rec = NULL;
	char *text;

	open_state(&st, &rj);
	reader_at_a_bad_line(&r, "{\"n\":}");
	ck_assert_int_eq(rejects_refuse(1, &rj, &r, &bad), BRAIN_OK);
	ck_assert_int_eq(bad, BRAIN_DATA);
	ck_assert_uint_eq(rj.count, 1);
	text = unit_read_file(reject_file());
	/* The reason is the reader's diagnostic without program and place. */
	ck_assert_str_eq(text, "{\"file\":\"events.jsonl\",\"line\":2,\"reason\":\"invalid JSON at "
			       "byte 6\",\"record\":\"{\\\"n\\\":}\"}\n");
	free(text);
	/* The reader goes on after the refused line. */
	ck_assert_int_eq(jsonl_next(&r, &rec), BRAIN_OK);
	ck_assert_double_eq(cJSON_GetObjectItem(rec, "n")->valuedouble, 3);
	cJSON_Delete(rec);
	jsonl_close(&r);
	rejects_close(&rj);
	state_close(&st);
}
END_TEST

START_TEST(refuse_in_a_dry_run_keeps_nothing)
{
	struct state st;
	struct rejects rj;
	struct jsonl_reader r;
	enum brain_status bad = BRAIN_OK;

	open_state(&st, &rj);
	reader_at_a_bad_line(&r, "[1,2]");
	ck_assert_int_eq(rejects_refuse(1, NULL, &r, &bad), BRAIN_OK);
	ck_assert_int_eq(bad, BRAIN_DATA);
	jsonl_close(&r);
	rejects_close(&rj);
	state_close(&st);
	ck_assert_int_eq(rejects_entries(), -1);
}
END_TEST

START_TEST(a_reject_that_cannot_be_kept_is_an_error)
{
	struct state st;
	struct rejects rj;
	struct jsonl_reader r;
	enum brain_status bad = BRAIN_OK;

	open_state(&st, &rj);
	unit_write_file(under("rejects"), "not a directory\n");
	reader_at_a_bad_line(&r, "{\"n\":}");
	unit_capture_diag();
	/* --skip-invalid must not go on as if the record had been kept. */
	ck_assert_int_ne(rejects_refuse(1, &rj, &r, &bad), BRAIN_OK);
	ck_assert_int_eq(bad, BRAIN_DATA);
	ck_assert_uint_eq(rj.count, 0);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "rejects"));
	jsonl_close(&r);
	rejects_close(&rj);
	state_close(&st);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rejects");
	TCase *tc = tcase_create("rejects");

	tcase_add_test(tc, a_reject_is_kept_with_source_line_reason_and_raw_bytes);
	tcase_add_test(tc, raw_bytes_are_kept_exactly_when_json_can_carry_them);
	tcase_add_test(tc, raw_bytes_that_are_not_utf8_become_question_marks);
	tcase_add_test(tc, a_run_without_rejects_leaves_nothing);
	tcase_add_test(tc, refuse_without_skip_invalid_stops_and_keeps_nothing);
	tcase_add_test(tc, refuse_with_skip_invalid_keeps_the_raw_line_and_goes_on);
	tcase_add_test(tc, refuse_in_a_dry_run_keeps_nothing);
	tcase_add_test(tc, a_reject_that_cannot_be_kept_is_an_error);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
