/* Unit tests of jsonl: reading JSON Lines with exact diagnostics, typed
 * member access, compact writing, and UTF-8 validation. */
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
	{ "{\"a\":\"\xff\"}", 0, "invalid UTF-8" },
	{ "{\"a\":\"\xc3\"}", 0, "invalid UTF-8" },
	{ "{\"a\":\"\xed\xa0\x80\"}", 0, "invalid UTF-8" },
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

START_TEST(parse_without_line_number)
{
	struct json_loc loc = { "config.json", 0 };
	cJSON *obj = (cJSON *)1;

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(json_parse_line("[]", 2, &loc, &obj), BRAIN_DATA);
	ck_assert_ptr_null(obj);
	ck_assert_str_eq(unit_diag_text(), "test: config.json: record is not a JSON object\n");
	/* Only len bytes are parsed: what follows is not looked at. */
	ck_assert_int_eq(json_parse_line("{\"a\":1}garbage", 7, &loc, &obj), BRAIN_OK);
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(obj, "a"));
	cJSON_Delete(obj);
}
END_TEST

/* ---- typed members ------------------------------------------------------ */

static cJSON *parse(const char *text)
{
	struct json_loc loc = { "p", 1 };
	cJSON *obj = NULL;

	ck_assert_int_eq(json_parse_line(text, strlen(text), &loc, &obj), BRAIN_OK);
	return obj;
}

static const struct json_loc at17 = { "events.jsonl", 17 };

START_TEST(get_with_the_right_type)
{
	cJSON *o = parse("{\"n\":42,\"x\":0.25,\"t\":true,\"f\":false,\"s\":\"hé\","
			 "\"o\":{\"k\":1},\"a\":[1,2],\"z\":0,\"neg\":-7}");
	int64_t n = -1;
	double x = -1;
	int b = -1;
	const char *s = NULL;
	const cJSON *obj = NULL, *arr = NULL;

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(json_get_int(o, "n", JSON_REQUIRED, &at17, 0, INT64_MAX, &n), BRAIN_OK);
	ck_assert_int_eq(n, 42);
	ck_assert_int_eq(json_get_int(o, "z", JSON_REQUIRED, &at17, 0, INT64_MAX, &n), BRAIN_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(json_get_int(o, "neg", JSON_REQUIRED, &at17, -10, 10, &n), BRAIN_OK);
	ck_assert_int_eq(n, -7);
	ck_assert_int_eq(json_get_number(o, "x", JSON_REQUIRED, &at17, 0, 1, &x), BRAIN_OK);
	ck_assert_double_eq(x, 0.25);
	ck_assert_int_eq(json_get_number(o, "n", JSON_REQUIRED, &at17, 0, 100, &x), BRAIN_OK);
	ck_assert_double_eq(x, 42);
	ck_assert_int_eq(json_get_bool(o, "t", JSON_REQUIRED, &at17, &b), BRAIN_OK);
	ck_assert_int_eq(b, 1);
	ck_assert_int_eq(json_get_bool(o, "f", JSON_REQUIRED, &at17, &b), BRAIN_OK);
	ck_assert_int_eq(b, 0);
	ck_assert_int_eq(json_get_string(o, "s", JSON_REQUIRED, &at17, &s), BRAIN_OK);
	ck_assert_str_eq(s, "hé");
	ck_assert_int_eq(json_get_object(o, "o", JSON_REQUIRED, &at17, &obj), BRAIN_OK);
	ck_assert_ptr_eq(obj, cJSON_GetObjectItem(o, "o"));
	ck_assert_int_eq(json_get_array(o, "a", JSON_REQUIRED, &at17, &arr), BRAIN_OK);
	ck_assert_int_eq(cJSON_GetArraySize(arr), 2);
	ck_assert_str_eq(unit_diag_text(), "");
	cJSON_Delete(o);
}
END_TEST

START_TEST(get_with_the_wrong_type_names_field_and_place)
{
	cJSON *o = parse("{\"trials\":\"12\",\"x\":\"0.5\",\"t\":1,\"s\":5,\"o\":[],\"a\":{}}");
	int64_t n = 99;
	double x = 99;
	int b = 99;
	const char *s = "untouched";
	const cJSON *ptr = NULL;

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(json_get_int(o, "trials", JSON_REQUIRED, &at17, 0, INT64_MAX, &n),
			 BRAIN_DATA);
	ck_assert_int_eq(json_get_number(o, "x", JSON_REQUIRED, &at17, 0, 1, &x), BRAIN_DATA);
	ck_assert_int_eq(json_get_bool(o, "t", JSON_OPTIONAL, &at17, &b), BRAIN_DATA);
	ck_assert_int_eq(json_get_string(o, "s", JSON_REQUIRED, &at17, &s), BRAIN_DATA);
	ck_assert_int_eq(json_get_object(o, "o", JSON_REQUIRED, &at17, &ptr), BRAIN_DATA);
	ck_assert_int_eq(json_get_array(o, "a", JSON_REQUIRED, &at17, &ptr), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(),
		"test: events.jsonl:17: field 'trials' must be a non-negative integer\n"
		"test: events.jsonl:17: field 'x' must be a number from 0 to 1\n"
		"test: events.jsonl:17: field 't' must be true or false\n"
		"test: events.jsonl:17: field 's' must be a string\n"
		"test: events.jsonl:17: field 'o' must be an object\n"
		"test: events.jsonl:17: field 'a' must be an array\n");
	ck_assert_str_eq(diag_last(), "field 'a' must be an array");
	/* Nothing was stored on failure. */
	ck_assert_int_eq(n, 99);
	ck_assert_double_eq(x, 99);
	ck_assert_int_eq(b, 99);
	ck_assert_str_eq(s, "untouched");
	ck_assert_ptr_null(ptr);
	cJSON_Delete(o);
}
END_TEST

START_TEST(non_negative_integer_refuses_fractions_huge_and_negative)
{
	/* cJSON_Parse, not json_parse_line: the reader already refuses 1e400, and
	 * the getters must still refuse it in objects built otherwise. */
	cJSON *o = cJSON_Parse("{\"a\":1.5,\"b\":1e300,\"c\":-1,\"d\":9007199254740994,"
			       "\"e\":9007199254740992,\"f\":1e2,\"g\":1e400}");
	static const char *const bad[] = { "a", "b", "c", "d", "g" };
	int64_t n = 7;
	char want[256];

	diag_init("test");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_capture_diag();
		ck_assert_int_eq(json_get_int(o, bad[i], JSON_REQUIRED, &at17, 0, INT64_MAX, &n),
				 BRAIN_DATA);
		snprintf(want, sizeof(want),
			 "test: events.jsonl:17: field '%s' must be a non-negative integer\n",
			 bad[i]);
		ck_assert_str_eq(unit_diag_text(), want);
		ck_assert_int_eq(n, 7);
	}
	ck_assert_int_eq(json_get_int(o, "e", JSON_REQUIRED, &at17, 0, INT64_MAX, &n), BRAIN_OK);
	ck_assert_int_eq(n, 9007199254740992LL);
	ck_assert_int_eq(json_get_int(o, "f", JSON_REQUIRED, &at17, 0, INT64_MAX, &n), BRAIN_OK);
	ck_assert_int_eq(n, 100);
	cJSON_Delete(o);
}
END_TEST

START_TEST(integer_range_messages)
{
	cJSON *o = parse("{\"zero\":0,\"big\":101}");
	int64_t n = 7;

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(json_get_int(o, "zero", JSON_REQUIRED, &at17, 1, INT64_MAX, &n),
			 BRAIN_DATA);
	ck_assert_int_eq(json_get_int(o, "big", JSON_REQUIRED, &at17, -5, 100, &n), BRAIN_DATA);
	ck_assert_int_eq(json_get_int(o, "big", JSON_REQUIRED, &at17, -5, 101, &n), BRAIN_OK);
	ck_assert_int_eq(n, 101);
	ck_assert_str_eq(unit_diag_text(),
		"test: events.jsonl:17: field 'zero' must be a positive integer\n"
		"test: events.jsonl:17: field 'big' must be an integer from -5 to 100\n");
	cJSON_Delete(o);
}
END_TEST

START_TEST(number_range_messages)
{
	cJSON *o = cJSON_Parse("{\"p\":1.5,\"q\":-0.5,\"r\":\"x\",\"huge\":1e400}");
	double x = 7;

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(json_get_number(o, "p", JSON_REQUIRED, &at17, 0, 1, &x), BRAIN_DATA);
	ck_assert_int_eq(json_get_number(o, "q", JSON_REQUIRED, &at17, 0, INFINITY, &x),
			 BRAIN_DATA);
	ck_assert_int_eq(json_get_number(o, "r", JSON_REQUIRED, &at17, -INFINITY, INFINITY, &x),
			 BRAIN_DATA);
	ck_assert_int_eq(json_get_number(o, "huge", JSON_REQUIRED, &at17, -INFINITY, INFINITY,
					 &x), BRAIN_DATA);
	ck_assert_double_eq(x, 7);
	ck_assert_int_eq(json_get_number(o, "q", JSON_REQUIRED, &at17, -INFINITY, INFINITY, &x),
			 BRAIN_OK);
	ck_assert_double_eq(x, -0.5);
	ck_assert_str_eq(unit_diag_text(),
		"test: events.jsonl:17: field 'p' must be a number from 0 to 1\n"
		"test: events.jsonl:17: field 'q' must be a number of at least 0\n"
		"test: events.jsonl:17: field 'r' must be a finite number\n"
		"test: events.jsonl:17: field 'huge' must be a finite number\n");
	cJSON_Delete(o);
}
END_TEST

START_TEST(missing_required_and_absent_optional)
{
	cJSON *o = parse("{\"other\":1}");
	int64_t n = 5;
	double x = 5;
	int b = 5;
	const char *s = "keep";
	const cJSON *ptr = (const cJSON *)&n;

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(json_get_int(o, "x", JSON_REQUIRED, &at17, 0, INT64_MAX, &n), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(), "test: events.jsonl:17: missing field 'x'\n");
	ck_assert_int_eq(n, 5);

	unit_capture_diag();
	ck_assert_int_eq(json_get_int(o, "x", JSON_OPTIONAL, &at17, 0, INT64_MAX, &n), BRAIN_OK);
	ck_assert_int_eq(json_get_number(o, "x", JSON_OPTIONAL, &at17, 0, 1, &x), BRAIN_OK);
	ck_assert_int_eq(json_get_bool(o, "x", JSON_OPTIONAL, &at17, &b), BRAIN_OK);
	ck_assert_int_eq(json_get_string(o, "x", JSON_OPTIONAL, &at17, &s), BRAIN_OK);
	ck_assert_int_eq(json_get_object(o, "x", JSON_OPTIONAL, &at17, &ptr), BRAIN_OK);
	ck_assert_int_eq(json_get_array(o, "x", JSON_OPTIONAL, &at17, &ptr), BRAIN_OK);
	ck_assert_int_eq(n, 5);
	ck_assert_double_eq(x, 5);
	ck_assert_int_eq(b, 5);
	ck_assert_str_eq(s, "keep");
	ck_assert_ptr_eq(ptr, (const cJSON *)&n);
	ck_assert_str_eq(unit_diag_text(), "");

	/* Member names are case-sensitive. */
	ck_assert_int_eq(json_get_int(o, "Other", JSON_REQUIRED, &at17, 0, 9, &n), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(), "test: events.jsonl:17: missing field 'Other'\n");
	cJSON_Delete(o);
}
END_TEST

START_TEST(field_messages_without_location)
{
	cJSON *o = parse("{\"s\":1}");
	const char *s = NULL;

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(json_get_string(o, "s", JSON_REQUIRED, NULL, &s), BRAIN_DATA);
	ck_assert_int_eq(json_get_string(o, "m", JSON_REQUIRED, NULL, &s), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(),
			 "test: field 's' must be a string\ntest: missing field 'm'\n");
	cJSON_Delete(o);
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

START_TEST(find_nonfinite_points_at_the_member)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *top = cJSON_CreateNumber(NAN);
	const char *path = NULL;
	const cJSON *bad;

	cJSON_AddNumberToObject(o, "fine", 2);
	ck_assert_ptr_null(json_find_nonfinite(o, &path));
	cJSON_AddNumberToObject(cJSON_AddObjectToObject(o, "g"), "h", NAN);
	bad = json_find_nonfinite(o, &path);
	ck_assert_ptr_nonnull(bad);
	ck_assert(isnan(bad->valuedouble));
	ck_assert_str_eq(path, "h");
	ck_assert_ptr_eq(json_find_nonfinite(top, &path), top);
	ck_assert_str_eq(path, "");
	cJSON_Delete(top);
	cJSON_Delete(o);
}
END_TEST

START_TEST(depth_counts_nested_objects_and_arrays)
{
	static const struct { const char *text; int depth; } cases[] = {
		{ "{}", 1 }, { "{\"a\":1,\"b\":\"x\"}", 1 }, { "{\"a\":[]}", 2 },
		{ "{\"a\":[{}]}", 3 }, { "{\"a\":[1,[2,[3]]],\"b\":{\"c\":{}}}", 4 },
		{ "{\"a\":{\"b\":{\"c\":{\"d\":{}}}},\"e\":[]}", 5 },
	};
	cJSON *scalar = cJSON_CreateNumber(3);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *o = parse(cases[i].text);

		ck_assert_msg(json_depth(o) == cases[i].depth, "%s: depth %d, not %d",
			      cases[i].text, json_depth(o), cases[i].depth);
		cJSON_Delete(o);
	}
	ck_assert_int_eq(json_depth(scalar), 0);
	cJSON_Delete(scalar);
}
END_TEST

/* ---- UTF-8 --------------------------------------------------------------- */

START_TEST(utf8_accepts_valid_sequences)
{
	static const char *const good[] = {
		"", "plain ascii, longer than eight bytes", "\x7f",
		"\xc2\x80", "\xc3\xa9", "\xdf\xbf",                  /* 2 bytes */
		"\xe0\xa0\x80", "\xe2\x82\xac", "\xed\x9f\xbf",      /* 3 bytes */
		"\xee\x80\x80", "\xef\xbf\xbf",
		"\xf0\x90\x80\x80", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf", /* 4 bytes */
		"abcdefgh\xc3\xa9" "abcdefgh\xf0\x9f\x98\x80" "x",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(json_utf8_valid(good[i], strlen(good[i])), "case %zu must be valid", i);
	/* A NUL byte is a valid code point; only len counts. */
	ck_assert(json_utf8_valid("a\0b", 3));
}
END_TEST

START_TEST(utf8_refuses_invalid_sequences)
{
	static const char *const bad[] = {
		"\x80", "\xbf", "a\x80z",                 /* lone continuation */
		"\xc0\x80", "\xc1\xbf",                   /* overlong 2-byte */
		"\xe0\x80\x80", "\xe0\x9f\xbf",           /* overlong 3-byte */
		"\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf",   /* overlong 4-byte */
		"\xed\xa0\x80", "\xed\xbf\xbf",           /* surrogates */
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80",   /* over U+10FFFF */
		"\xf8\x88\x80\x80\x80", "\xff", "\xfe",
		"\xc3", "\xe2\x82", "\xf0\x9f\x98",       /* truncated */
		"abcdefgh\xe2\x82",                       /* truncated after fast path */
		"\xc3\x28", "\xe2\x28\xa1", "\xf0\x9f\x28\x80", /* bad continuation */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!json_utf8_valid(bad[i], strlen(bad[i])), "case %zu must be invalid", i);
	/* The length is honoured: a sequence cut by len is truncated. */
	ck_assert(!json_utf8_valid("\xc3\xa9", 1));
	ck_assert(json_utf8_valid("\xc3\xa9", 2));
}
END_TEST

static enum brain_status scratch(const char *text, cJSON **out)
{
	struct json_loc loc = { "in", 1 };

	return json_parse_line_scratch(text, strlen(text), &loc, out);
}

START_TEST(scratch_parse_gives_the_same_records_and_reuses_its_memory)
{
	struct json_loc loc = { "in", 1 };
	cJSON *a, *b, *big;
	char *line;
	size_t n = 0, cap = 300000;
	char *kept;

	ck_assert_int_eq(scratch("{\"variant\":\"A\",\"trials\":5}", &a), BRAIN_OK);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(a, "variant")->valuestring, "A");
	cJSON_Delete(a); /* harmless */
	ck_assert_int_eq(scratch("{\"variant\":\"B\",\"trials\":7}", &b), BRAIN_OK);
	/* The next record reuses the memory of the one before. */
	ck_assert_ptr_eq(a, b);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(b, "variant")->valuestring, "B");
	ck_assert_double_eq(cJSON_GetObjectItemCaseSensitive(b, "trials")->valuedouble, 7);
	/* A record larger than the scratch memory still parses whole. */
	line = malloc(cap);
	n += (size_t)snprintf(line, cap, "{\"list\":[");
	for (int i = 0; i < 20000; i++)
		n += (size_t)snprintf(line + n, cap - n, "%s%d", i ? "," : "", i);
	n += (size_t)snprintf(line + n, cap - n, "]}");
	ck_assert_int_eq(json_parse_line_scratch(line, n, &loc, &big), BRAIN_OK);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(big, "list")), 20000);
	ck_assert_double_eq(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(big, "list"),
					       19999)->valuedouble, 19999);
	cJSON_Delete(big);
	ck_assert_int_eq(json_parse_line_scratch(line, n, &loc, &big), BRAIN_OK);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(big, "list")), 20000);
	cJSON_Delete(big);
	free(line);
	/* Bad lines are reported as by json_parse_line. */
	unit_capture_diag();
	ck_assert_int_eq(scratch("{\"a\":1,\"a\":2}", &a), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "in:1: field 'a' appears twice"));
	ck_assert_int_eq(scratch("{\"a\":", &a), BRAIN_DATA);
	/* Objects built outside a scratch parse are ordinary memory. */
	a = cJSON_CreateObject();
	cJSON_AddStringToObject(a, "k", "value");
	kept = cJSON_PrintUnformatted(a);
	ck_assert_int_eq(scratch("{\"x\":1}", &b), BRAIN_OK);
	ck_assert_str_eq(kept, "{\"k\":\"value\"}");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(a, "k")->valuestring, "value");
	cJSON_free(kept);
	cJSON_Delete(a);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("jsonl");
	TCase *rd = tcase_create("read");
	TCase *get = tcase_create("get");
	TCase *wr = tcase_create("write");
	TCase *u8 = tcase_create("utf8");

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
	tcase_add_test(rd, parse_without_line_number);
	tcase_add_test(rd, scratch_parse_gives_the_same_records_and_reuses_its_memory);
	suite_add_tcase(s, rd);

	tcase_add_test(get, get_with_the_right_type);
	tcase_add_test(get, get_with_the_wrong_type_names_field_and_place);
	tcase_add_test(get, non_negative_integer_refuses_fractions_huge_and_negative);
	tcase_add_test(get, integer_range_messages);
	tcase_add_test(get, number_range_messages);
	tcase_add_test(get, missing_required_and_absent_optional);
	tcase_add_test(get, field_messages_without_location);
	suite_add_tcase(s, get);

	tcase_add_test(wr, write_is_compact_in_insertion_order);
	tcase_add_test(wr, write_of_a_non_finite_number_prints_nothing);
	tcase_add_test(wr, write_of_a_nested_non_finite_number_prints_nothing);
	tcase_add_test(wr, non_finite_number_in_an_array_names_the_array);
	tcase_add_test(wr, find_nonfinite_points_at_the_member);
	tcase_add_test(wr, depth_counts_nested_objects_and_arrays);
	suite_add_tcase(s, wr);

	tcase_add_test(u8, utf8_accepts_valid_sequences);
	tcase_add_test(u8, utf8_refuses_invalid_sequences);
	suite_add_tcase(s, u8);
	return s;
}

UNIT_MAIN(suite)
