/* Unit tests of jsonl: reading JSON Lines with exact diagnostics, compact
 * writing, and walking a state log (jsonl_each_at).  Parsing one line,
 * typed member access and UTF-8 are pure/json.h: test_json.c. */
#include "unit.h"

#include <math.h>
#include <stdint.h>
#include <sys/wait.h>

#include "core/jsonl.h"

static char fixture_path[4200];

/* One private directory per test (each test runs in its own process). */
static const char *tmpdir(void)
{
	return unit_dir_path[0] ? unit_dir_path : unit_tmpdir();
}

/* Remove the directory now: the reader has its file open, and a failed
 * assertion (which leaves by _exit) must not leave it behind. */
static void drop_tmpdir(void)
{
	unit_remove_tmpdir();
	unit_dir_path[0] = '\0';
}

/* Write len bytes of content to NAME in the test's tmpdir; returns the path. */
static const char *fixture_bytes(const char *name, const char *content, size_t len)
{
	FILE *fp;

	snprintf(fixture_path, sizeof(fixture_path), "%s/%s", tmpdir(), name);
	fp = fopen(fixture_path, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(content, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
	return fixture_path;
}

/* Diagnostics go to memory, named "test", and files are opened by their
 * base name so that messages do not depend on the tmpdir. */
static void open_fixture(struct jsonl_reader *r, const char *content, size_t len,
			 size_t max_line)
{
	fixture_bytes("f.jsonl", content, len);
	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(chdir(tmpdir()), 0);
	ck_assert_int_eq(jsonl_open(r, "f.jsonl", max_line), BRAIN_OK);
	drop_tmpdir();
}

/* The next record must be an object whose member key is the number want. */
static void expect_record(struct jsonl_reader *r, const char *key, double want, long line)
{
	cJSON *rec = NULL;
	const cJSON *item;
	int status = jsonl_next(r, &rec);

	ck_assert_msg(status == BRAIN_OK, "expected a record with '%s' at line %ld, got %d (%s)",
		      key, line, status, unit_diag_text());
	ck_assert_ptr_nonnull(rec);
	item = cJSON_GetObjectItemCaseSensitive(rec, key);
	ck_assert_msg(cJSON_IsNumber(item), "record at line %ld lacks '%s'", line, key);
	ck_assert_double_eq(item->valuedouble, want);
	ck_assert_int_eq(jsonl_where(r).line, line);
	ck_assert_int_eq(r->line, line);
	cJSON_Delete(rec);
}

static void expect_eof(struct jsonl_reader *r)
{
	cJSON *rec = (cJSON *)1;

	ck_assert_int_eq(jsonl_next(r, &rec), JSONL_EOF);
	ck_assert_ptr_null(rec);
	ck_assert_int_eq(jsonl_next(r, &rec), JSONL_EOF); /* and it stays there */
}

static void expect_bad(struct jsonl_reader *r, const char *diag)
{
	cJSON *rec = (cJSON *)1;
	int status = jsonl_next(r, &rec);

	if (status == BRAIN_OK)
		cJSON_Delete(rec);  /* no leak report on top of the failure */
	ck_assert_int_eq(status, BRAIN_DATA);
	ck_assert_ptr_null(rec);
	ck_assert_str_eq(unit_diag_text(), diag);
}

/* ---- reading ---------------------------------------------------------- */

START_TEST(reads_records_and_skips_blank_lines)
{
	static const char text[] =
		"{\"a\":1}\n"
		"\n"
		"   \n"
		"{\"b\":2}\n"
		"\t\r\n"
		"{\"c\":3}";  /* no final LF: still a record */
	struct jsonl_reader r;

	open_fixture(&r, text, strlen(text), 0);
	expect_record(&r, "a", 1, 1);
	expect_record(&r, "b", 2, 4);
	expect_record(&r, "c", 3, 6);
	expect_eof(&r);
	ck_assert_str_eq(unit_diag_text(), "");
	ck_assert_uint_eq(r.bytes, strlen(text));
	jsonl_close(&r);
}
END_TEST

START_TEST(empty_and_blank_files_have_no_records)
{
	struct jsonl_reader r;

	open_fixture(&r, "", 0, 0);
	expect_eof(&r);
	jsonl_close(&r);

	open_fixture(&r, "\n \n\n", 4, 0);
	expect_eof(&r);
	ck_assert_str_eq(unit_diag_text(), "");
	jsonl_close(&r);
}
END_TEST

START_TEST(crlf_line_ends_are_accepted)
{
	static const char text[] = "{\"a\":1}\r\n{\"b\":2}\r\n";
	struct jsonl_reader r;

	open_fixture(&r, text, strlen(text), 0);
	expect_record(&r, "a", 1, 1);
	expect_record(&r, "b", 2, 2);
	expect_eof(&r);
	jsonl_close(&r);
}
END_TEST

struct bad_line {
	const char *line;
	size_t len;       /* 0: strlen(line) */
	const char *diag; /* after "test: f.jsonl:3: " */
};

static const struct bad_line bad_lines[] = {
	{ "{\"a\":1", 0, "invalid JSON: unexpected end of line" },
	{ "{\"a\":", 0, "invalid JSON: unexpected end of line" },
	{ "{\"a\":}", 0, "invalid JSON at byte 6" },
	{ "{\"a\" 1}", 0, "invalid JSON at byte 6" },
	{ "hello", 0, "invalid JSON at byte 1" },
	{ "{} x", 0, "trailing characters after the JSON value at byte 4" },
	{ "{\"a\":1}{\"b\":2}", 0, "trailing characters after the JSON value at byte 8" },
	{ "[1]", 0, "record is not a JSON object" },
	{ "3", 0, "record is not a JSON object" },
	{ "\"text\"", 0, "record is not a JSON object" },
	{ "null", 0, "record is not a JSON object" },
	{ "{\"a\":1,\"b\":2,\"a\":3}", 0, "field 'a' appears twice" },
	{ "{\"a\":\"\xff\"}", 0, "invalid UTF-8 at byte 7" },
	{ "{\"a\":\"\xc3\"}", 0, "invalid UTF-8 at byte 7" },
	{ "{\"a\":\"\xed\xa0\x80\"}", 0, "invalid UTF-8 at byte 7" },
	{ "{\"a\":\"x\0y\"}", 11, NULL },  /* a raw NUL must not cut the string */
	{ "{\"extra\":1e999}", 0, NULL },    /* could never be written back */
};

START_TEST(bad_line_is_reported_and_reading_goes_on)
{
	const struct bad_line *b = &bad_lines[_i];
	size_t len = b->len ? b->len : strlen(b->line);
	char text[256], diag[512], got[512];
	size_t n = 0;
	struct jsonl_reader r;
	cJSON *rec = (cJSON *)1;
	int status;

	memcpy(text + n, "{\"first\":1}\n\n", 13);
	n += 13;
	memcpy(text + n, b->line, len);
	n += len;
	memcpy(text + n, "\n{\"next\":4}\n", 12);
	n += 12;
	open_fixture(&r, text, n, 0);
	expect_record(&r, "first", 1, 1);
	status = jsonl_next(&r, &rec);
	if (status == BRAIN_OK)
		cJSON_Delete(rec);  /* no leak report on top of the failure */
	ck_assert_int_eq(status, BRAIN_DATA);
	ck_assert_ptr_null(rec);
	ck_assert_int_eq(jsonl_where(&r).line, 3);
	snprintf(got, sizeof(got), "%s", unit_diag_text());
	/* Reading goes on with the next line, whatever the message said. */
	unit_capture_diag();
	expect_record(&r, "next", 4, 4);
	expect_eof(&r);
	ck_assert_str_eq(unit_diag_text(), "");
	jsonl_close(&r);
	if (b->diag) {
		snprintf(diag, sizeof(diag), "test: f.jsonl:3: %s\n", b->diag);
		ck_assert_str_eq(got, diag);
	} else {
		ck_assert(!strncmp(got, "test: f.jsonl:3: ", 17));
	}
}
END_TEST

START_TEST(duplicate_member_in_a_nested_object_is_refused)
{
	static const char text[] = "{\"d\":{\"k\":1,\"k\":2}}\n{\"next\":2}\n";
	struct jsonl_reader r;

	open_fixture(&r, text, strlen(text), 0);
	expect_bad(&r, "test: f.jsonl:1: field 'k' appears twice\n");
	expect_record(&r, "next", 2, 2);
	jsonl_close(&r);
}
END_TEST

START_TEST(bad_last_line_without_lf)
{
	static const char text[] = "{\"a\":1}\n{\"a\":";
	struct jsonl_reader r;

	char got[512];
	cJSON *rec = (cJSON *)1;

	open_fixture(&r, text, strlen(text), 0);
	expect_record(&r, "a", 1, 1);
	ck_assert_int_eq(jsonl_next(&r, &rec), BRAIN_DATA);
	ck_assert_ptr_null(rec);
	snprintf(got, sizeof(got), "%s", unit_diag_text());
	expect_eof(&r);
	jsonl_close(&r);
	ck_assert_str_eq(got, "test: f.jsonl:2: invalid JSON: unexpected end of line\n");
}
END_TEST

START_TEST(over_long_line_is_refused_and_skipped)
{
	/* Exactly 16 bytes passes, 17 does not. */
	static const char text[] =
		"{\"a\":1}\n"
		"{\"bbbbbbbbbbbbbbbbbbbbbbbb\":1}\n"
		"{\"abcdefghij\":3}\n"
		"{\"abcdefghijk\":4}\n"
		"{\"c\":5}\n"
		"{\"dddddddddddddddddddddddddddddddddddddd\":6}";
	struct jsonl_reader r;

	open_fixture(&r, text, strlen(text), 16);
	expect_record(&r, "a", 1, 1);
	expect_bad(&r, "test: f.jsonl:2: line longer than 16 bytes\n");
	unit_capture_diag();
	expect_record(&r, "abcdefghij", 3, 3);
	expect_bad(&r, "test: f.jsonl:4: line longer than 16 bytes\n");
	unit_capture_diag();
	expect_record(&r, "c", 5, 5);
	expect_bad(&r, "test: f.jsonl:6: line longer than 16 bytes\n");
	unit_capture_diag();
	expect_eof(&r);
	ck_assert_str_eq(unit_diag_text(), "");
	jsonl_close(&r);
}
END_TEST

/* {"x":"aaaa..."} of exactly len bytes, plus LF when lf. */
static size_t put_big_line(char *p, size_t len, int lf)
{
	memcpy(p, "{\"x\":\"", 6);
	memset(p + 6, 'a', len - 8);
	memcpy(p + len - 2, "\"}", 2);
	if (lf)
		p[len] = '\n';
	return len + (lf ? 1 : 0);
}

START_TEST(over_long_line_spanning_read_blocks_keeps_line_numbers)
{
	const size_t big = 200000, limit = 100000;
	char *text = malloc(4 * big + 100);
	size_t n = 0;
	struct jsonl_reader r;

	ck_assert_ptr_nonnull(text);
	n += (size_t)sprintf(text + n, "{\"a\":1}\n");
	n += put_big_line(text + n, big, 1);
	n += (size_t)sprintf(text + n, "{\"b\":3}\n\n");
	n += put_big_line(text + n, big, 1);
	n += put_big_line(text + n, big, 1);
	n += (size_t)sprintf(text + n, "{\"c\":7}\n");
	n += put_big_line(text + n, big, 0);
	open_fixture(&r, text, n, limit);
	expect_record(&r, "a", 1, 1);
	expect_bad(&r, "test: f.jsonl:2: line longer than 100000 bytes\n");
	unit_capture_diag();
	expect_record(&r, "b", 3, 3);
	expect_bad(&r, "test: f.jsonl:5: line longer than 100000 bytes\n");
	unit_capture_diag();
	expect_bad(&r, "test: f.jsonl:6: line longer than 100000 bytes\n");
	unit_capture_diag();
	expect_record(&r, "c", 7, 7);
	expect_bad(&r, "test: f.jsonl:8: line longer than 100000 bytes\n");
	unit_capture_diag();
	expect_eof(&r);
	ck_assert_str_eq(unit_diag_text(), "");
	ck_assert_uint_eq(r.bytes, n);
	jsonl_close(&r);
	free(text);
}
END_TEST

START_TEST(lines_over_64k_under_the_limit_are_read_whole)
{
	const size_t sizes[] = { 70000, 300000, 65536, 65537, 900000 };
	char *text = malloc(1500000);
	size_t n = 0;
	struct jsonl_reader r;

	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < 5; i++)
		n += put_big_line(text + n, sizes[i], i < 4);
	open_fixture(&r, text, n, 0);
	for (size_t i = 0; i < 5; i++) {
		cJSON *rec = NULL;
		const char *s = NULL, *raw;
		size_t len;

		ck_assert_int_eq(jsonl_next(&r, &rec), BRAIN_OK);
		ck_assert_int_eq(r.line, (long)i + 1);
		ck_assert_int_eq(json_get_string(rec, "x", JSON_REQUIRED, NULL, &s), BRAIN_OK);
		ck_assert_uint_eq(strlen(s), sizes[i] - 8);
		raw = jsonl_line(&r, &len);
		ck_assert_uint_eq(len, sizes[i]);
		ck_assert(!memcmp(raw, "{\"x\":\"aaa", 9));
		ck_assert(!memcmp(raw + len - 3, "a\"}", 3));
		cJSON_Delete(rec);
	}
	expect_eof(&r);
	ck_assert_str_eq(unit_diag_text(), "");
	jsonl_close(&r);
	free(text);
}
END_TEST

START_TEST(line_at_the_exact_limit_across_blocks)
{
	/* A line of exactly max_line bytes whose LF arrives in a later read. */
	const size_t limit = 150000;
	char *text = malloc(2 * limit + 100);
	size_t n = 0;
	struct jsonl_reader r;

	ck_assert_ptr_nonnull(text);
	n += put_big_line(text + n, limit, 1);
	n += put_big_line(text + n, limit + 1, 1);
	n += (size_t)sprintf(text + n, "{\"z\":3}\n");
	open_fixture(&r, text, n, limit);
	{
		cJSON *rec = NULL;

		ck_assert_int_eq(jsonl_next(&r, &rec), BRAIN_OK);
		ck_assert_ptr_nonnull(rec);
		cJSON_Delete(rec);
	}
	expect_bad(&r, "test: f.jsonl:2: line longer than 150000 bytes\n");
	expect_record(&r, "z", 3, 3);
	expect_eof(&r);
	jsonl_close(&r);
	free(text);
}
END_TEST

START_TEST(reads_from_a_pipe_in_pieces)
{
	static const char *const pieces[] = {
		"{\"a\":", "1}\n{\"b\"", ":2}\n\n{\"c", "\":3", "}\n{\"bad\"x}\n{\"d\":4}",
	};
	struct jsonl_reader r;
	int fds[2], wstatus;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
			if (write(fds[1], pieces[i], strlen(pieces[i])) < 0)
				_exit(1);
			usleep(20000);
		}
		_exit(0);
	}
	close(fds[1]);
	diag_init("test");
	unit_capture_diag();
	jsonl_open_fd(&r, fds[0], "pipe", 0);
	expect_record(&r, "a", 1, 1);
	expect_record(&r, "b", 2, 2);
	expect_record(&r, "c", 3, 4);
	expect_bad(&r, "test: pipe:5: invalid JSON at byte 7\n");
	unit_capture_diag();
	expect_record(&r, "d", 4, 6);
	expect_eof(&r);
	jsonl_close(&r);
	/* The caller still owns the descriptor: jsonl_close left it open. */
	ck_assert_int_ne(fcntl(fds[0], F_GETFD), -1);
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
	ck_assert(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
}
END_TEST

START_TEST(dash_and_null_read_stdin)
{
	static const char text[] = "{\"a\":1}\n{\"a\"x}\n";
	struct jsonl_reader r;
	int fd;

	fixture_bytes("in.jsonl", text, strlen(text));
	fd = open(fixture_path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	drop_tmpdir();
	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(jsonl_open(&r, "-", 0), BRAIN_OK);
	ck_assert_str_eq(r.name, "stdin");
	expect_record(&r, "a", 1, 1);
	expect_bad(&r, "test: stdin:2: invalid JSON at byte 5\n");
	expect_eof(&r);
	jsonl_close(&r);
	ck_assert_int_ne(fcntl(STDIN_FILENO, F_GETFD), -1); /* stdin stays open */

	ck_assert_int_eq(lseek(STDIN_FILENO, 0, SEEK_SET), 0);
	ck_assert_int_eq(jsonl_open(&r, NULL, 0), BRAIN_OK);
	ck_assert_str_eq(r.name, "stdin");
	expect_record(&r, "a", 1, 1);
	jsonl_close(&r);
}
END_TEST

START_TEST(missing_file_is_an_io_error)
{
	struct jsonl_reader r;

	ck_assert_int_eq(chdir(tmpdir()), 0);
	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(jsonl_open(&r, "nope.jsonl", 0), BRAIN_IO);
	ck_assert_str_eq(unit_diag_text(),
			 "test: cannot open 'nope.jsonl': No such file or directory\n");
}
END_TEST

START_TEST(jsonl_line_gives_the_raw_bytes)
{
	static const char first[] = "  {\"b\": 2 ,\"s\":\"\\u00e9\"}  \r";
	char text[128];
	struct jsonl_reader r;
	const char *raw;
	size_t len = 99;
	cJSON *rec = NULL;
	const char *s = NULL;

	snprintf(text, sizeof(text), "%s\n{\"x\":\n{}", first);
	open_fixture(&r, text, strlen(text), 0);
	raw = jsonl_line(&r, &len);   /* nothing read yet */
	ck_assert_ptr_null(raw);
	ck_assert_uint_eq(len, 0);

	ck_assert_int_eq(jsonl_next(&r, &rec), BRAIN_OK);
	ck_assert_int_eq(json_get_string(rec, "s", JSON_REQUIRED, NULL, &s), BRAIN_OK);
	ck_assert_str_eq(s, "\xc3\xa9");
	raw = jsonl_line(&r, &len);
	ck_assert_uint_eq(len, strlen(first));  /* spaces and CR kept, LF not */
	ck_assert(!memcmp(raw, first, len));
	cJSON_Delete(rec);

	/* A bad line stays available verbatim, for --skip-invalid. */
	ck_assert_int_eq(jsonl_next(&r, &rec), BRAIN_DATA);
	raw = jsonl_line(&r, &len);
	ck_assert_uint_eq(len, 5);
	ck_assert(!memcmp(raw, "{\"x\":", 5));

	ck_assert_int_eq(jsonl_next(&r, &rec), BRAIN_OK);
	raw = jsonl_line(&r, &len);
	ck_assert_uint_eq(len, 2);
	ck_assert(!memcmp(raw, "{}", 2));
	cJSON_Delete(rec);
	jsonl_close(&r);
}
END_TEST

START_TEST(next_line_returns_blank_lines_too)
{
	static const char text[] = "a\n\nbc";
	struct jsonl_reader r;
	const char *line;
	size_t len;

	open_fixture(&r, text, strlen(text), 0);
	ck_assert_int_eq(jsonl_next_line(&r, &line, &len), BRAIN_OK);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(line[0], 'a');
	ck_assert_int_eq(jsonl_next_line(&r, &line, &len), BRAIN_OK);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(jsonl_next_line(&r, &line, &len), BRAIN_OK);
	ck_assert_uint_eq(len, 2);
	ck_assert(!memcmp(line, "bc", 2));
	ck_assert_int_eq(r.line, 3);
	ck_assert_int_eq(jsonl_next_line(&r, &line, &len), JSONL_EOF);
	jsonl_close(&r);
}
END_TEST

START_TEST(ahead_gives_the_bytes_held_after_the_line)
{
	static const char text[] = "a\n\nbc\nd";
	struct jsonl_reader r;
	const char *line, *ahead;
	size_t len, held = 99;

	open_fixture(&r, text, strlen(text), 0);
	ck_assert_ptr_null(jsonl_ahead(&r, &held));  /* nothing read yet */
	ck_assert_uint_eq(held, 0);
	ck_assert_int_eq(jsonl_next_line(&r, &line, &len), BRAIN_OK);
	ahead = jsonl_ahead(&r, &held);
	ck_assert_uint_eq(held, strlen(text) - 2);
	ck_assert(!memcmp(ahead, "\nbc\nd", held));
	ck_assert_int_eq(jsonl_next_line(&r, &line, &len), BRAIN_OK);
	ck_assert_int_eq(jsonl_next_line(&r, &line, &len), BRAIN_OK);
	ahead = jsonl_ahead(&r, &held);
	ck_assert_uint_eq(held, 1);
	ck_assert_int_eq(ahead[0], 'd');
	ck_assert_int_eq(jsonl_next_line(&r, &line, &len), BRAIN_OK);
	jsonl_ahead(&r, &held);
	ck_assert_uint_eq(held, 0);
	jsonl_close(&r);
}
END_TEST

/* ---- writing ------------------------------------------------------------ */

/* jsonl_write into memory; returns what was written (caller frees). */
static char *write_to_memory(const cJSON *obj, enum brain_status *status)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	*status = jsonl_write(fp, obj);
	ck_assert_int_eq(fclose(fp), 0);
	return buf;
}

START_TEST(write_is_compact_in_insertion_order)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *inner = cJSON_CreateObject();
	enum brain_status status;
	char *out, *text;
	size_t len = 0;

	cJSON_AddStringToObject(o, "zeta", "z é");
	cJSON_AddNumberToObject(o, "alpha", 1);
	cJSON_AddNumberToObject(o, "mid", 0.5);
	cJSON_AddNumberToObject(inner, "b", 2);
	cJSON_AddNumberToObject(inner, "a", 1);
	cJSON_AddItemToObject(o, "inner", inner);
	cJSON_AddItemToObject(o, "list", cJSON_CreateArray());
	cJSON_AddBoolToObject(o, "ok", 1);
	cJSON_AddNullToObject(o, "none");
	out = write_to_memory(o, &status);
	ck_assert_int_eq(status, BRAIN_OK);
	ck_assert_str_eq(out, "{\"zeta\":\"z é\",\"alpha\":1,\"mid\":0.5,\"inner\":{\"b\":2,\"a\":1},"
			      "\"list\":[],\"ok\":true,\"none\":null}\n");
	text = json_format_line(o, &len);
	ck_assert_str_eq(text, out);
	ck_assert_uint_eq(len, strlen(out));
	free(text);
	free(out);
	cJSON_Delete(o);
}
END_TEST

/* jsonl_write and json_format_line refuse obj, print nothing, and name field. */
static void expect_refused(cJSON *obj, const char *field)
{
	enum brain_status status;
	char want[256];
	size_t len = 99;
	char *out;

	diag_init("test");
	unit_capture_diag();
	out = write_to_memory(obj, &status);
	ck_assert_int_eq(status, BRAIN_IO);
	ck_assert_str_eq(out, "");
	free(out);
	ck_assert_ptr_null(json_format_line(obj, &len));
	/* Once from jsonl_write, once from json_format_line. */
	snprintf(want, sizeof(want), "test: internal error: non-finite number in field '%s'\n"
		 "test: internal error: non-finite number in field '%s'\n", field, field);
	ck_assert_str_eq(unit_diag_text(), want);
	cJSON_Delete(obj);
}

START_TEST(write_of_a_non_finite_number_prints_nothing)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "n", 1);
	cJSON_AddNumberToObject(o, "rate", NAN);
	cJSON_AddStringToObject(o, "after", "x");
	expect_refused(o, "rate");

	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "p", INFINITY);
	expect_refused(o, "p");
}
END_TEST

START_TEST(write_of_a_nested_non_finite_number_prints_nothing)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "first", 1);
	cJSON_AddItemToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(o, "a"), "b"),
			      "deep", cJSON_CreateNumber(-INFINITY));
	expect_refused(o, "deep");
}
END_TEST

START_TEST(non_finite_number_in_an_array_names_the_array)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *xs = cJSON_AddArrayToObject(o, "xs");

	cJSON_AddItemToArray(xs, cJSON_CreateNumber(1));
	cJSON_AddItemToArray(xs, cJSON_CreateNumber(NAN));
	/* "the member name holding it" (jsonl.h) is xs, not "". */
	expect_refused(o, "xs");
}
END_TEST

/* ---- walking a state log ----------------------------------------------- */

/* What jsonl_each_at passed: each record's "n", line and file name. */
struct walk {
	int calls;
	double n[16];
	long line[16];
	const char *file[16];
	int stop_at;                /* return stop_with at this call (1-based), 0: never */
	enum brain_status stop_with;
};

static enum brain_status walk_one(void *arg, const cJSON *rec, const struct json_loc *loc)
{
	struct walk *w = arg;
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(rec, "n");

	ck_assert(cJSON_IsObject(rec));
	ck_assert_int_lt(w->calls, 16);
	w->n[w->calls] = cJSON_IsNumber(n) ? n->valuedouble : -1;
	w->line[w->calls] = loc->line;
	w->file[w->calls] = loc->file;
	w->calls++;
	return w->calls == w->stop_at ? w->stop_with : BRAIN_OK;
}

/* A directory descriptor on the test's tmpdir, with log.jsonl = text. */
static int log_dir(const char *text)
{
	int fd;

	fixture_bytes("log.jsonl", text, strlen(text));
	fd = open(tmpdir(), O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(fd, 0);
	diag_init("test");
	unit_capture_diag();
	return fd;
}

START_TEST(each_of_a_missing_file_is_no_without_a_message)
{
	struct walk w = { 0 };
	int dirfd = log_dir("{\"n\":1}\n");

	ck_assert_int_eq(jsonl_each_at(dirfd, "absent.jsonl", 0, walk_one, &w), BRAIN_NO);
	ck_assert_int_eq(w.calls, 0);
	ck_assert_str_eq(unit_diag_text(), "");
	/* A missing directory on the way is missing too. */
	ck_assert_int_eq(jsonl_each_at(dirfd, "no/such/log.jsonl", 0, walk_one, &w), BRAIN_NO);
	ck_assert_str_eq(unit_diag_text(), "");
	close(dirfd);
}
END_TEST

START_TEST(each_passes_every_record_with_its_line)
{
	struct walk w = { 0 };
	int dirfd = log_dir("{\"n\":1}\n\n{\"n\":2}\n   \n\t\n{\"n\":3}\n{\"n\":4}");

	ck_assert_int_eq(jsonl_each_at(dirfd, "log.jsonl", 0, walk_one, &w), BRAIN_OK);
	ck_assert_int_eq(w.calls, 4);
	ck_assert_double_eq(w.n[0], 1);
	ck_assert_int_eq(w.line[0], 1);
	ck_assert_double_eq(w.n[1], 2);
	ck_assert_int_eq(w.line[1], 3);    /* the blank line 2 is skipped, but counted */
	ck_assert_double_eq(w.n[2], 3);
	ck_assert_int_eq(w.line[2], 6);
	ck_assert_double_eq(w.n[3], 4);    /* the last line has no LF */
	ck_assert_int_eq(w.line[3], 7);
	for (int i = 0; i < 4; i++)
		ck_assert_str_eq(w.file[i], "log.jsonl");
	ck_assert_str_eq(unit_diag_text(), "");
	close(dirfd);

	/* An empty log has no records, and is not missing. */
	memset(&w, 0, sizeof(w));
	dirfd = log_dir("");
	ck_assert_int_eq(jsonl_each_at(dirfd, "log.jsonl", 0, walk_one, &w), BRAIN_OK);
	ck_assert_int_eq(w.calls, 0);
	close(dirfd);
}
END_TEST

START_TEST(each_stops_at_a_bad_line_with_state)
{
	struct walk w = { 0 };
	int dirfd = log_dir("{\"n\":1}\n{\"n\":2}\n{\"n\":}\n{\"n\":4}\n");

	ck_assert_int_eq(jsonl_each_at(dirfd, "log.jsonl", 0, walk_one, &w), BRAIN_STATE);
	/* The records before it were passed; none after it. */
	ck_assert_int_eq(w.calls, 2);
	ck_assert_double_eq(w.n[1], 2);
	/* What is wrong, then what to run. */
	ck_assert_str_eq(unit_diag_text(), "test: log.jsonl:3: invalid JSON at byte 6\n"
			 "test: log.jsonl:3 is a stored line no program takes back: run "
			 "brain-verify, which names each such line (--repair keeps a torn last "
			 "one in rejects/)\n");
	close(dirfd);

	/* A record that is not an object is a bad line too. */
	memset(&w, 0, sizeof(w));
	dirfd = log_dir("[1]\n{\"n\":2}\n");
	ck_assert_int_eq(jsonl_each_at(dirfd, "log.jsonl", 0, walk_one, &w), BRAIN_STATE);
	ck_assert_int_eq(w.calls, 0);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "test: log.jsonl:1: record is not a JSON "
				     "object\ntest: log.jsonl:1 is a stored line"));
	close(dirfd);
}
END_TEST

START_TEST(each_stops_when_the_callback_says_so)
{
	struct walk w = { .stop_at = 2, .stop_with = BRAIN_BUSY };
	int dirfd = log_dir("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":}\n");

	/* The callback's status comes back unchanged, before the bad line 4
	 * is even read. */
	ck_assert_int_eq(jsonl_each_at(dirfd, "log.jsonl", 0, walk_one, &w), BRAIN_BUSY);
	ck_assert_int_eq(w.calls, 2);
	ck_assert_str_eq(unit_diag_text(), "");
	w = (struct walk){ .stop_at = 1, .stop_with = BRAIN_NO };
	ck_assert_int_eq(jsonl_each_at(dirfd, "log.jsonl", 0, walk_one, &w), BRAIN_NO);
	ck_assert_int_eq(w.calls, 1);
	/* A status at the last record is still returned. */
	w = (struct walk){ .stop_at = 3, .stop_with = BRAIN_DATA };
	ck_assert_int_eq(jsonl_each_at(dirfd, "log.jsonl", 0, walk_one, &w), BRAIN_DATA);
	ck_assert_int_eq(w.calls, 3);
	close(dirfd);
}
END_TEST

START_TEST(each_honours_max_line)
{
	struct walk w = { 0 };
	int dirfd = log_dir("{\"n\":1}\n{\"n\":2,\"pad\":\"xxxxxxxx\"}\n{\"n\":3}\n");

	ck_assert_int_eq(jsonl_each_at(dirfd, "log.jsonl", 16, walk_one, &w), BRAIN_STATE);
	ck_assert_int_eq(w.calls, 1);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "test: log.jsonl:2: line longer than 16 "
				     "bytes\ntest: log.jsonl:2 is a stored line"));
	/* The default limit (0) reads the same file whole. */
	memset(&w, 0, sizeof(w));
	ck_assert_int_eq(jsonl_each_at(dirfd, "log.jsonl", 0, walk_one, &w), BRAIN_OK);
	ck_assert_int_eq(w.calls, 3);
	close(dirfd);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("jsonl");
	TCase *rd = tcase_create("read");
	TCase *wr = tcase_create("write");
	TCase *each = tcase_create("each");

	tcase_set_timeout(rd, 30);
	tcase_add_test(rd, reads_records_and_skips_blank_lines);
	tcase_add_test(rd, empty_and_blank_files_have_no_records);
	tcase_add_test(rd, crlf_line_ends_are_accepted);
	tcase_add_loop_test(rd, bad_line_is_reported_and_reading_goes_on, 0,
			    (int)(sizeof(bad_lines) / sizeof(bad_lines[0])));
	tcase_add_test(rd, duplicate_member_in_a_nested_object_is_refused);
	tcase_add_test(rd, bad_last_line_without_lf);
	tcase_add_test(rd, over_long_line_is_refused_and_skipped);
	tcase_add_test(rd, over_long_line_spanning_read_blocks_keeps_line_numbers);
	tcase_add_test(rd, lines_over_64k_under_the_limit_are_read_whole);
	tcase_add_test(rd, line_at_the_exact_limit_across_blocks);
	tcase_add_test(rd, reads_from_a_pipe_in_pieces);
	tcase_add_test(rd, dash_and_null_read_stdin);
	tcase_add_test(rd, missing_file_is_an_io_error);
	tcase_add_test(rd, jsonl_line_gives_the_raw_bytes);
	tcase_add_test(rd, next_line_returns_blank_lines_too);
	tcase_add_test(rd, ahead_gives_the_bytes_held_after_the_line);
	suite_add_tcase(s, rd);

	tcase_add_test(wr, write_is_compact_in_insertion_order);
	tcase_add_test(wr, write_of_a_non_finite_number_prints_nothing);
	tcase_add_test(wr, write_of_a_nested_non_finite_number_prints_nothing);
	tcase_add_test(wr, non_finite_number_in_an_array_names_the_array);
	suite_add_tcase(s, wr);

	tcase_add_test(each, each_of_a_missing_file_is_no_without_a_message);
	tcase_add_test(each, each_passes_every_record_with_its_line);
	tcase_add_test(each, each_stops_at_a_bad_line_with_state);
	tcase_add_test(each, each_stops_when_the_callback_says_so);
	tcase_add_test(each, each_honours_max_line);
	suite_add_tcase(s, each);
	return s;
}

UNIT_MAIN(suite)
