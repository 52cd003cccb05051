/* Unit tests of cli: shared and program options, operands, bad values,
 * --help and --version, and the checked close of stdout. */
#include "unit.h"

#include <errno.h>

#include "cmd/cli.h"

#define PROG "/usr/local/bin/brain-test"
#define USAGE "brain-test [options] FILE...\nbrain-test --all"

enum { OPT_LIMIT = 256, OPT_COLOR };

static const struct cli_option prog_options[] = {
	{ "detail", 'd', CLI_ARG, "JSON", "details object", 'd' },
	{ "limit", 0, CLI_ARG, "N", "at most N records", OPT_LIMIT },
	{ "all", 'a', CLI_NOARG, NULL, "every record", 'a' },
	{ "color", 0, CLI_OPTARG, "WHEN", "colour the output", OPT_COLOR },
	{ NULL, 0, CLI_NOARG, NULL, NULL, 0 }
};

#define ALL_FLAGS (CLI_STATE | CLI_FORMAT | CLI_WRITE | CLI_PROGRESS | CLI_SKIP_INVALID)

static char *argv_buf[64];

/* A NULL-terminated argv of words, PROG first; *argc gets its length. */
static char **make_argv(const char *const *words, int *argc)
{
	int n = 0;

	argv_buf[n++] = (char *)PROG;
	for (; *words; words++)
		argv_buf[n++] = (char *)*words;
	argv_buf[n] = NULL;
	*argc = n;
	return argv_buf;
}

/* Parse words to the end with flags; returns CLI_END or CLI_EXIT.  The
 * program option ids met (and their values) are appended to ids/vals. */
static int parse(struct cli *cli, unsigned flags, const char *const *words,
		 int *ids, const char **vals, int *nids)
{
	int argc, opt, n = 0;
	char **argv = make_argv(words, &argc);

	cli_init(cli, PROG, USAGE, prog_options, flags);
	while ((opt = cli_next(cli, argc, argv)) > 0) {
		if (ids && n < 16) {
			ids[n] = opt;
			vals[n] = cli->optarg;
		}
		n++;
	}
	if (nids)
		*nids = n;
	return opt;
}

/* Send stdout to a new file in the tmpdir; returns its path. */
static const char *stdout_to_file(void)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/stdout", unit_dir_path[0] ? unit_dir_path : unit_tmpdir());
	ck_assert_ptr_nonnull(freopen(path, "w", stdout));
	return path;
}

static void stdout_to_dev_full(void)
{
	ck_assert_ptr_nonnull(freopen("/dev/full", "w", stdout));
}

/* ---- parsing ------------------------------------------------------------ */

START_TEST(shared_options_are_parsed)
{
	static const char *const words[] = {
		"-S", "dir", "--format=text", "-n", "--reason=why", "--wait=2.5", "-q",
		"--skip-invalid", "--progress", "op1", NULL,
	};
	struct cli cli;
	int n = -1;

	unit_capture_diag();
	ck_assert_int_eq(parse(&cli, ALL_FLAGS, words, NULL, NULL, &n), CLI_END);
	ck_assert_int_eq(n, 0);
	ck_assert_str_eq(cli.state_dir, "dir");
	ck_assert_int_eq(cli.format, CLI_FORMAT_TEXT);
	ck_assert_int_eq(cli.dry_run, 1);
	ck_assert_str_eq(cli.reason, "why");
	ck_assert_double_eq(cli.wait, 2.5);
	ck_assert_int_eq(cli.quiet, 1);
	ck_assert_int_eq(cli.skip_invalid, 1);
	ck_assert_int_eq(cli.progress, 0);    /* -q wins over --progress */
	ck_assert_int_eq(diag_quiet(), 1);
	ck_assert_int_eq(cli.optind, 10);
	ck_assert_str_eq(argv_buf[cli.optind], "op1");
	ck_assert_str_eq(unit_diag_text(), "");
	ck_assert_int_eq(cli_exit(&cli), BRAIN_OK);
}
END_TEST

START_TEST(shared_options_in_their_other_spellings)
{
	static const char *const words[] = {
		"--state-dir=d1", "-f", "jsonl", "--dry-run", "--reason", "two words",
		"--wait", "0", "--progress", NULL,
	};
	static const char *const attached[] = { "-Sd2", "-ftext", "-nq", NULL };
	struct cli cli;

	unit_capture_diag();
	ck_assert_int_eq(parse(&cli, ALL_FLAGS, words, NULL, NULL, NULL), CLI_END);
	ck_assert_str_eq(cli.state_dir, "d1");
	ck_assert_int_eq(cli.format, CLI_FORMAT_JSONL);
	ck_assert_int_eq(cli.dry_run, 1);
	ck_assert_str_eq(cli.reason, "two words");
	ck_assert_double_eq(cli.wait, 0);
	ck_assert_int_eq(cli.quiet, 0);
	ck_assert_int_eq(cli.progress, 1);    /* --progress forces it */
	ck_assert_int_eq(diag_quiet(), 0);
	ck_assert_int_eq(cli.optind, 10);
	cli_exit(&cli);

	/* A second parse in the same process starts afresh. */
	ck_assert_int_eq(parse(&cli, ALL_FLAGS, attached, NULL, NULL, NULL), CLI_END);
	ck_assert_str_eq(cli.state_dir, "d2");
	ck_assert_int_eq(cli.format, CLI_FORMAT_TEXT);
	ck_assert_int_eq(cli.dry_run, 1);
	ck_assert_int_eq(cli.quiet, 1);
	ck_assert_ptr_null(cli.reason);
	ck_assert_int_eq(cli.optind, 4);
	ck_assert_str_eq(unit_diag_text(), "");
	cli_exit(&cli);
}
END_TEST

START_TEST(defaults_when_no_option_is_given)
{
	static const char *const words[] = { NULL };
	struct cli cli;
	int null = open("/dev/null", O_WRONLY);

	ck_assert_int_ge(null, 0);
	ck_assert_int_eq(dup2(null, STDERR_FILENO), STDERR_FILENO);
	close(null);
	ck_assert_int_eq(parse(&cli, ALL_FLAGS, words, NULL, NULL, NULL), CLI_END);
	ck_assert_ptr_null(cli.state_dir);
	ck_assert_int_eq(cli.format, CLI_FORMAT_JSONL);
	ck_assert_int_eq(cli.dry_run, 0);
	ck_assert_ptr_null(cli.reason);
	ck_assert_double_lt(cli.wait, 0);
	ck_assert_int_eq(cli.quiet, 0);
	ck_assert_int_eq(cli.skip_invalid, 0);
	ck_assert_int_eq(cli.progress, 0);    /* stderr is not a terminal */
	ck_assert_int_eq(cli.optind, 1);
	ck_assert_str_eq(diag_program(), "brain-test");
	cli_exit(&cli);
}
END_TEST

#define HELP_HINT " (see 'brain-test --help')\n"

struct usage_case {
	unsigned flags;
	const char *words[3];
	const char *message;  /* after "brain-test: " */
};

static const struct usage_case usage_cases[] = {
	/* Shared options a program did not select are unknown. */
	{ CLI_STATE | CLI_FORMAT, { "--dry-run" }, "unknown option '--dry-run'" HELP_HINT },
	{ CLI_STATE | CLI_FORMAT, { "-n" }, "unknown option '-n'" HELP_HINT },
	{ CLI_WRITE, { "--state-dir=x" }, "unknown option '--state-dir=x'" HELP_HINT },
	{ CLI_WRITE, { "-S", "x" }, "unknown option '-S'" HELP_HINT },
	{ CLI_STATE, { "--format", "text" }, "unknown option '--format'" HELP_HINT },
	{ CLI_STATE, { "--wait=3" }, "unknown option '--wait=3'" HELP_HINT },
	{ CLI_STATE, { "--reason=x" }, "unknown option '--reason=x'" HELP_HINT },
	{ CLI_WRITE, { "--skip-invalid" }, "unknown option '--skip-invalid'" HELP_HINT },
	{ CLI_WRITE, { "--progress" }, "unknown option '--progress'" HELP_HINT },
	{ ALL_FLAGS, { "-x" }, "unknown option '-x'" HELP_HINT },
	{ ALL_FLAGS, { "op", "--frobnicate" }, "unknown option '--frobnicate'" HELP_HINT },
	/* Bad values. */
	{ ALL_FLAGS, { "--format=xml" },
	  "option '--format' needs jsonl or text, not 'xml'" HELP_HINT },
	{ ALL_FLAGS, { "-f", "JSONL" },
	  "option '--format' needs jsonl or text, not 'JSONL'" HELP_HINT },
	{ ALL_FLAGS, { "--state-dir=" }, "option '--state-dir' needs a directory" HELP_HINT },
	{ ALL_FLAGS, { "--wait=abc" },
	  "option '--wait' needs a number from 0 to 31536000, not 'abc'\n" },
	{ ALL_FLAGS, { "--wait=" },
	  "option '--wait' needs a number from 0 to 31536000, not ''\n" },
	{ ALL_FLAGS, { "--wait=-1" },
	  "option '--wait' needs a number from 0 to 31536000, not '-1'\n" },
	{ ALL_FLAGS, { "--wait", "31536001" },
	  "option '--wait' needs a number from 0 to 31536000, not '31536001'\n" },
	/* A missing value names the option as it was given. */
	{ ALL_FLAGS, { "-S" }, "option '-S' needs a value" HELP_HINT },
	{ ALL_FLAGS, { "-d" }, "option '-d' needs a value" HELP_HINT },
	{ ALL_FLAGS, { "--reason" }, "option '--reason' needs a value" HELP_HINT },
	{ ALL_FLAGS, { "--wait" }, "option '--wait' needs a value" HELP_HINT },
	{ ALL_FLAGS, { "--limit" }, "option '--limit' needs a value" HELP_HINT },
	{ ALL_FLAGS, { "--state-dir" }, "option '--state-dir' needs a value" HELP_HINT },
};

START_TEST(usage_errors_exit_2_with_one_line)
{
	const struct usage_case *c = &usage_cases[_i];
	char want[512];
	const char *text;
	struct cli cli;

	snprintf(want, sizeof(want), "brain-test: %s", c->message);
	unit_capture_diag();
	ck_assert_int_eq(parse(&cli, c->flags, c->words, NULL, NULL, NULL), CLI_EXIT);
	ck_assert_int_eq(cli.status, BRAIN_USAGE);
	ck_assert_int_eq(cli_exit(&cli), BRAIN_USAGE);
	text = unit_diag_text();
	ck_assert_ptr_eq(strchr(text, '\n'), text + strlen(text) - 1);  /* one line */
	for (const char *p = text; *p; p++)
		ck_assert_msg((unsigned char)*p >= 0x20 || *p == '\n',
			      "control byte 0x%02x in the message", (unsigned char)*p);
	ck_assert_str_eq(text, want);
}
END_TEST

START_TEST(program_options_come_back_with_their_values)
{
	static const char *const words[] = {
		"-d", "{}", "--limit=5", "--limit", "6", "-a", "--color", "--color=always",
		"--detail={\"k\":1}", "-dX", "--all", NULL,
	};
	static const int want_ids[] = { 'd', OPT_LIMIT, OPT_LIMIT, 'a', OPT_COLOR, OPT_COLOR,
					'd', 'd', 'a' };
	static const char *const want_vals[] = { "{}", "5", "6", NULL, NULL, "always",
						 "{\"k\":1}", "X", NULL };
	int ids[16];
	const char *vals[16];
	int n = 0;
	struct cli cli;

	unit_capture_diag();
	ck_assert_int_eq(parse(&cli, CLI_STATE, words, ids, vals, &n), CLI_END);
	ck_assert_int_eq(n, 9);
	for (int i = 0; i < n; i++) {
		ck_assert_int_eq(ids[i], want_ids[i]);
		if (want_vals[i])
			ck_assert_str_eq(vals[i], want_vals[i]);
		else
			ck_assert_ptr_null(vals[i]);
	}
	ck_assert_int_eq(cli.optind, 12);
	ck_assert_str_eq(unit_diag_text(), "");
	cli_exit(&cli);
}
END_TEST

START_TEST(operands_are_left_after_options)
{
	static const char *const words[] = {
		"op1", "-a", "op2", "--limit=3", "-", "-S", "dir", "op3", "--", "-q", "--all", NULL,
	};
	static const char *const want[] = { "op1", "op2", "-", "op3", "-q", "--all" };
	int ids[16];
	const char *vals[16];
	int n = 0, argc;
	struct cli cli;

	unit_capture_diag();
	ck_assert_int_eq(parse(&cli, CLI_STATE, words, ids, vals, &n), CLI_END);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(ids[0], 'a');
	ck_assert_int_eq(ids[1], OPT_LIMIT);
	ck_assert_str_eq(cli.state_dir, "dir");
	ck_assert_int_eq(cli.quiet, 0);          /* -q after -- is an operand */
	argc = 12;
	ck_assert_int_eq(argc - cli.optind, 6);
	for (int i = 0; i < 6; i++)
		ck_assert_str_eq(argv_buf[cli.optind + i], want[i]);
	cli_exit(&cli);
}
END_TEST

START_TEST(value_given_to_a_flag_names_the_option)
{
	static const char *const dry[] = { "--dry-run=yes", NULL };
	static const char *const prog[] = { "--progress=1", NULL };
	struct cli cli;

	unit_capture_diag();
	ck_assert_int_eq(parse(&cli, ALL_FLAGS, dry, NULL, NULL, NULL), CLI_EXIT);
	ck_assert_int_eq(cli_exit(&cli), BRAIN_USAGE);
	ck_assert_msg(strstr(unit_diag_text(), "'--dry-run"), "message: %s", unit_diag_text());
	unit_capture_diag();
	ck_assert_int_eq(parse(&cli, ALL_FLAGS, prog, NULL, NULL, NULL), CLI_EXIT);
	ck_assert_int_eq(cli_exit(&cli), BRAIN_USAGE);
	ck_assert_msg(strstr(unit_diag_text(), "'--progress"), "message: %s", unit_diag_text());
}
END_TEST

START_TEST(usage_error_points_at_help)
{
	struct cli cli;
	static const char *const words[] = { NULL };

	ck_assert_int_eq(parse(&cli, 0, words, NULL, NULL, NULL), CLI_END);
	unit_capture_diag();
	ck_assert_int_eq(cli_usage_error(&cli, "missing operand %s", "FILE"), BRAIN_USAGE);
	ck_assert_str_eq(unit_diag_text(),
			 "brain-test: missing operand FILE (see 'brain-test --help')\n");
	cli_exit(&cli);
}
END_TEST

/* ---- help and version ---------------------------------------------------- */

START_TEST(help_prints_usage_and_every_option)
{
	static const char *const words[] = { "-a", "--help", "--no-such-option", NULL };
	struct cli cli;
	const char *path = stdout_to_file();
	char *text;

	unit_capture_diag();
	ck_assert_int_eq(parse(&cli, CLI_STATE | CLI_FORMAT, words, NULL, NULL, NULL), CLI_EXIT);
	ck_assert_int_eq(cli.status, BRAIN_OK);
	ck_assert_int_eq(cli_exit(&cli), BRAIN_OK);
	ck_assert_str_eq(unit_diag_text(), "");
	text = unit_read_file(path);
	ck_assert_msg(!strncmp(text, "usage: brain-test [options] FILE...\n"
				     "       brain-test --all\n", 60), "help: %s", text);
	ck_assert_ptr_nonnull(strstr(text, "\n  -S, --state-dir=DIR "));
	ck_assert_ptr_nonnull(strstr(text, "\n  -f, --format=FORMAT "));
	ck_assert_ptr_nonnull(strstr(text, "\n  -d, --detail=JSON "));
	ck_assert_ptr_nonnull(strstr(text, "\n      --limit=N "));
	ck_assert_ptr_nonnull(strstr(text, "\n  -a, --all "));
	ck_assert_ptr_nonnull(strstr(text, "\n      --color[=WHEN] "));
	ck_assert_ptr_nonnull(strstr(text, "\n  -q, --quiet "));
	ck_assert_ptr_nonnull(strstr(text, "\n  -h, --help "));
	ck_assert_ptr_nonnull(strstr(text, "\n  -V, --version "));
	/* Only the shared options the program takes are listed. */
	ck_assert_ptr_null(strstr(text, "--dry-run"));
	ck_assert_ptr_null(strstr(text, "--wait"));
	ck_assert_ptr_null(strstr(text, "--skip-invalid"));
	ck_assert_ptr_null(strstr(text, " \n"));   /* no line ends in a space */
	ck_assert_int_eq(text[strlen(text) - 1], '\n');
	free(text);
}
END_TEST

START_TEST(short_help_is_the_same)
{
	static const char *const words[] = { "-h", NULL };
	struct cli cli;
	const char *path = stdout_to_file();
	char *text;

	ck_assert_int_eq(parse(&cli, ALL_FLAGS, words, NULL, NULL, NULL), CLI_EXIT);
	ck_assert_int_eq(cli_exit(&cli), BRAIN_OK);
	text = unit_read_file(path);
	ck_assert(!strncmp(text, "usage: brain-test [options] FILE...\n", 36));
	ck_assert_ptr_nonnull(strstr(text, "\n  -n, --dry-run "));
	ck_assert_ptr_nonnull(strstr(text, "\n      --reason=TEXT "));
	ck_assert_ptr_nonnull(strstr(text, "\n      --wait=SECONDS "));
	ck_assert_ptr_nonnull(strstr(text, "\n      --progress "));
	ck_assert_ptr_nonnull(strstr(text, "\n      --skip-invalid "));
	free(text);
}
END_TEST

START_TEST(version_is_in_gnu_form)
{
	static const char *const words[] = { "--version", NULL };
	struct cli cli;
	const char *path = stdout_to_file();
	char *text;

	ck_assert_int_eq(parse(&cli, 0, words, NULL, NULL, NULL), CLI_EXIT);
	ck_assert_int_eq(cli_exit(&cli), BRAIN_OK);
	text = unit_read_file(path);
	ck_assert_msg(!strncmp(text, "brain-test (brain) 0.1.0\n", 25), "version: %s", text);
	ck_assert_ptr_nonnull(strstr(text, "\nLicense "));
	free(text);
}
END_TEST

START_TEST(short_version_is_the_same)
{
	static const char *const words[] = { "-q", "-V", NULL };
	struct cli cli;
	const char *path = stdout_to_file();
	char *text;

	ck_assert_int_eq(parse(&cli, ALL_FLAGS, words, NULL, NULL, NULL), CLI_EXIT);
	ck_assert_int_eq(cli_exit(&cli), BRAIN_OK);
	text = unit_read_file(path);
	ck_assert_msg(!strncmp(text, "brain-test (brain) 0.1.0\n", 25), "version: %s", text);
	free(text);
}
END_TEST

START_TEST(help_to_a_full_disk_is_an_io_error)
{
	static const char *const words[] = { "--help", NULL };
	struct cli cli;

	stdout_to_dev_full();
	unit_capture_diag();
	ck_assert_int_eq(parse(&cli, 0, words, NULL, NULL, NULL), CLI_EXIT);
	ck_assert_int_eq(cli_exit(&cli), BRAIN_IO);
	ck_assert_str_eq(unit_diag_text(),
			 "brain-test: write error on standard output: No space left on device\n");
}
END_TEST

/* ---- stdout --------------------------------------------------------------- */

START_TEST(close_stdout_reports_a_write_error)
{
	stdout_to_dev_full();
	diag_init("test");
	unit_capture_diag();
	printf("some output\n");
	ck_assert_int_eq(cli_close_stdout(), BRAIN_IO);
	ck_assert_str_eq(unit_diag_text(),
			 "test: write error on standard output: No space left on device\n");
}
END_TEST

START_TEST(close_stdout_to_a_file_is_ok)
{
	const char *path = stdout_to_file();
	char *text;

	diag_init("test");
	unit_capture_diag();
	printf("some output\n");
	ck_assert_int_eq(cli_close_stdout(), BRAIN_OK);
	ck_assert_str_eq(unit_diag_text(), "");
	text = unit_read_file(path);
	ck_assert_str_eq(text, "some output\n");
	free(text);
}
END_TEST

struct finish_case {
	int full;                  /* stdout on /dev/full */
	enum brain_status given;
	enum brain_status want;
};

static const struct finish_case finish_cases[] = {
	{ 0, BRAIN_OK, BRAIN_OK },
	{ 0, BRAIN_NO, BRAIN_NO },
	{ 0, BRAIN_DATA, BRAIN_DATA },
	{ 1, BRAIN_OK, BRAIN_IO },
	{ 1, BRAIN_NO, BRAIN_IO },
	{ 1, BRAIN_DATA, BRAIN_DATA },
	{ 1, BRAIN_STATE, BRAIN_STATE },
	{ 1, BRAIN_BUSY, BRAIN_BUSY },
};

START_TEST(finish_keeps_errors_and_turns_success_into_io)
{
	static const char *const words[] = { NULL };
	const struct finish_case *c = &finish_cases[_i];
	struct cli cli;

	if (c->full)
		stdout_to_dev_full();
	else
		stdout_to_file();
	ck_assert_int_eq(parse(&cli, ALL_FLAGS, words, NULL, NULL, NULL), CLI_END);
	unit_capture_diag();
	printf("{\"a\":1}\n");
	ck_assert_int_eq(cli_finish(&cli, c->given), c->want);
	ck_assert_ptr_null(cli.longopts);
	if (c->full)
		ck_assert_str_eq(unit_diag_text(),
			"brain-test: write error on standard output: No space left on device\n");
	else
		ck_assert_str_eq(unit_diag_text(), "");
}
END_TEST

START_TEST(init_reopens_closed_standard_descriptors)
{
	static const char *const words[] = { NULL };
	struct cli cli;
	int fd;

	close(STDIN_FILENO);
	close(STDOUT_FILENO);
	ck_assert_int_eq(fcntl(STDOUT_FILENO, F_GETFD), -1);
	ck_assert_int_eq(parse(&cli, 0, words, NULL, NULL, NULL), CLI_END);
	ck_assert_int_ne(fcntl(STDIN_FILENO, F_GETFD), -1);
	ck_assert_int_ne(fcntl(STDOUT_FILENO, F_GETFD), -1);
	/* A file opened now cannot become stdout. */
	fd = open("/dev/null", O_RDONLY);
	ck_assert_int_gt(fd, 2);
	close(fd);
	/* And the toolkit's files are private. */
	ck_assert_int_eq(umask(022), 077);
	cli_exit(&cli);
}
END_TEST

/* ---- numbers --------------------------------------------------------------- */

START_TEST(parse_number_in_range)
{
	static const char *const bad[] = { "1.5", "-0.1", "abc", "", "1x", "nan", "inf", "1e999",
					   "0.5 " };
	double x = 7;
	char want[256];

	diag_init("test");
	ck_assert_int_eq(cli_parse_number("p", "0.5", 0, 1, &x), BRAIN_OK);
	ck_assert_double_eq(x, 0.5);
	ck_assert_int_eq(cli_parse_number("p", "0", 0, 1, &x), BRAIN_OK);
	ck_assert_double_eq(x, 0);
	ck_assert_int_eq(cli_parse_number("p", "1", 0, 1, &x), BRAIN_OK);
	ck_assert_double_eq(x, 1);
	ck_assert_int_eq(cli_parse_number("p", "1e-3", 0, 1, &x), BRAIN_OK);
	ck_assert_double_eq(x, 0.001);
	x = 7;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_capture_diag();
		ck_assert_int_eq(cli_parse_number("p", bad[i], 0, 1, &x), BRAIN_USAGE);
		snprintf(want, sizeof(want), "test: option '--p' needs a number from 0 to 1, not '%s'\n",
			 bad[i]);
		ck_assert_str_eq(unit_diag_text(), want);
		ck_assert_double_eq(x, 7);
	}
}
END_TEST

START_TEST(parse_number_is_decimal)
{
	double x = 7;

	diag_init("test");
	unit_capture_diag();
	/* "a decimal number" (cli.h): strtod would also take hex. */
	ck_assert_int_eq(cli_parse_number("wait", "0x10", 0, 100, &x), BRAIN_USAGE);
	ck_assert_int_eq(cli_parse_number("wait", "0x1p4", 0, 100, &x), BRAIN_USAGE);
	ck_assert_double_eq(x, 7);
}
END_TEST

START_TEST(parse_int_in_range)
{
	static const char *const bad[] = { "0", "101", "1.5", "abc", "", "5x",
					   "99999999999999999999", "1e2" };
	int64_t n = 7;
	char want[256];

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(cli_parse_int("n", "42", 1, 100, &n), BRAIN_OK);
	ck_assert_int_eq(n, 42);
	ck_assert_int_eq(cli_parse_int("n", "1", 1, 100, &n), BRAIN_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(cli_parse_int("n", "100", 1, 100, &n), BRAIN_OK);
	ck_assert_int_eq(n, 100);
	ck_assert_int_eq(cli_parse_int("n", "-5", -10, 10, &n), BRAIN_OK);
	ck_assert_int_eq(n, -5);
	ck_assert_int_eq(cli_parse_int("n", "9223372036854775807", 0, INT64_MAX, &n), BRAIN_OK);
	ck_assert_int_eq(n, INT64_MAX);
	ck_assert_str_eq(unit_diag_text(), "");
	n = 7;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_capture_diag();
		ck_assert_int_eq(cli_parse_int("n", bad[i], 1, 100, &n), BRAIN_USAGE);
		snprintf(want, sizeof(want),
			 "test: option '--n' needs an integer from 1 to 100, not '%s'\n", bad[i]);
		ck_assert_str_eq(unit_diag_text(), want);
		ck_assert_int_eq(n, 7);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cli");
	TCase *opt = tcase_create("options");
	TCase *help = tcase_create("help");
	TCase *out = tcase_create("stdout");
	TCase *num = tcase_create("numbers");

	tcase_add_test(opt, shared_options_are_parsed);
	tcase_add_test(opt, shared_options_in_their_other_spellings);
	tcase_add_test(opt, defaults_when_no_option_is_given);
	tcase_add_loop_test(opt, usage_errors_exit_2_with_one_line, 0,
			    (int)(sizeof(usage_cases) / sizeof(usage_cases[0])));
	tcase_add_test(opt, program_options_come_back_with_their_values);
	tcase_add_test(opt, operands_are_left_after_options);
	tcase_add_test(opt, value_given_to_a_flag_names_the_option);
	tcase_add_test(opt, usage_error_points_at_help);
	tcase_add_test(opt, init_reopens_closed_standard_descriptors);
	suite_add_tcase(s, opt);

	tcase_add_test(help, help_prints_usage_and_every_option);
	tcase_add_test(help, short_help_is_the_same);
	tcase_add_test(help, version_is_in_gnu_form);
	tcase_add_test(help, short_version_is_the_same);
	tcase_add_test(help, help_to_a_full_disk_is_an_io_error);
	suite_add_tcase(s, help);

	tcase_add_test(out, close_stdout_reports_a_write_error);
	tcase_add_test(out, close_stdout_to_a_file_is_ok);
	tcase_add_loop_test(out, finish_keeps_errors_and_turns_success_into_io, 0,
			    (int)(sizeof(finish_cases) / sizeof(finish_cases[0])));
	suite_add_tcase(s, out);

	tcase_add_test(num, parse_number_in_range);
	tcase_add_test(num, parse_number_is_decimal);
	tcase_add_test(num, parse_int_in_range);
	suite_add_tcase(s, num);
	return s;
}

UNIT_MAIN(suite)
