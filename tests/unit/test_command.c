/* test_command.c - the chores every command shares (lib/cmd/command.h). */
#include "unit.h"

#include <errno.h>

#include "cmd/command.h"
#include "core/state.h"

/* Run body with stdout sent to a file; returns what was printed (caller
 * frees). */
static char *printed(void (*body)(void *), void *arg)
{
	char path[4200];
	int saved = dup(STDOUT_FILENO), fd;

	snprintf(path, sizeof(path), "%s/out", unit_tmpdir());
	fflush(stdout);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	body(arg);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	return unit_read_file(path);
}

static struct cli format_cli(enum cli_format format)
{
	struct cli cli;

	memset(&cli, 0, sizeof(cli));
	cli.format = format;
	cli.wait = -1;
	return cli;
}

static void two_records(void *arg)
{
	const struct cli *cli = arg;
	struct output out;
	cJSON *a = cJSON_Parse("{\"id\":\"a\",\"n\":1}"), *b = cJSON_Parse("{\"id\":\"bb\",\"n\":22}");

	output_begin(&out, cli, 2, (const char *[]){ "ID", "N" });
	ck_assert_int_eq(output_record(&out, a, (const char *[]){ "a", "1" }), BRAIN_OK);
	ck_assert_int_eq(output_record(&out, b, (const char *[]){ "bb", "22" }), BRAIN_OK);
	ck_assert_int_eq(output_end(&out), BRAIN_OK);
	ck_assert_ptr_null(out.table);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

START_TEST(records_print_as_json_lines_by_default)
{
	struct cli cli = format_cli(CLI_FORMAT_JSONL);
	char *text = printed(two_records, &cli);

	ck_assert_str_eq(text, "{\"id\":\"a\",\"n\":1}\n{\"id\":\"bb\",\"n\":22}\n");
	free(text);
}
END_TEST

START_TEST(records_print_as_an_aligned_table_with_format_text)
{
	struct cli cli = format_cli(CLI_FORMAT_TEXT);
	char *text = printed(two_records, &cli);

	ck_assert_str_eq(text, "ID  N\na   1\nbb  22\n");
	free(text);
}
END_TEST

static void nonfinite_record(void *arg)
{
	const struct cli *cli = arg;
	struct output out;
	cJSON *bad = cJSON_CreateObject(), *good = cJSON_Parse("{\"n\":1}");

	cJSON_AddNumberToObject(bad, "rate", NAN);
	unit_capture_diag();
	output_begin(&out, cli, 1, (const char *[]){ "N" });
	ck_assert_int_eq(output_record(&out, bad, (const char *[]){ "x" }), BRAIN_IO);
	/* The first error sticks: nothing more is printed. */
	ck_assert_int_eq(output_record(&out, good, (const char *[]){ "1" }), BRAIN_IO);
	ck_assert_int_eq(output_end(&out), BRAIN_IO);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "rate"));
	cJSON_Delete(bad);
	cJSON_Delete(good);
}

START_TEST(a_record_that_cannot_be_printed_stops_the_output)
{
	struct cli cli = format_cli(CLI_FORMAT_JSONL);
	char *text = printed(nonfinite_record, &cli);

	ck_assert_str_eq(text, "");
	free(text);
}
END_TEST

START_TEST(dry_run_opens_read_only_and_creates_nothing)
{
	struct cli cli = format_cli(CLI_FORMAT_JSONL);
	struct state st;
	char path[4200];

	snprintf(path, sizeof(path), "%s/state", unit_tmpdir());
	cli.state_dir = path;
	cli.dry_run = 1;
	unit_capture_diag();
	ck_assert_int_eq(command_open_state(&cli, &st), BRAIN_STATE);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(a_writer_creates_the_state_and_holds_the_lock)
{
	struct cli cli = format_cli(CLI_FORMAT_JSONL);
	struct state st, other;
	char path[4200];

	snprintf(path, sizeof(path), "%s/state", unit_tmpdir());
	cli.state_dir = path;
	cli.wait = 0;
	ck_assert_int_eq(command_open_state(&cli, &st), BRAIN_OK);
	ck_assert_int_ge(st.lockfd, 0);
	/* A second writer does not get in while the first holds the lock. */
	unit_capture_diag();
	ck_assert_int_eq(command_open_state(&cli, &other), BRAIN_BUSY);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "busy"));
	state_close(&st);
	ck_assert_int_eq(command_open_state(&cli, &other), BRAIN_OK);
	state_close(&other);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("command");
	TCase *tc = tcase_create("command");

	tcase_add_test(tc, records_print_as_json_lines_by_default);
	tcase_add_test(tc, records_print_as_an_aligned_table_with_format_text);
	tcase_add_test(tc, a_record_that_cannot_be_printed_stops_the_output);
	tcase_add_test(tc, dry_run_opens_read_only_and_creates_nothing);
	tcase_add_test(tc, a_writer_creates_the_state_and_holds_the_lock);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
