/* Unit tests of cli: shared and program options, the stores of the option
 * table, operands, bad values, --help and --version, and the checked
 * close of stdout. */
#include "unit.h"

#include <errno.h>

#include "cmd/cli.h"

#define PROG "/usr/local/bin/brain-test"
#define USAGE "brain-test [options] FILE...\nbrain-test --all"

enum { OPT_LIMIT = 256, OPT_COLOR };

static const struct cli_option prog_options[] = {
	{ CLI_OPT_CASE("detail", 'd', CLI_ARG, "JSON", "details object", 'd') },
	{ CLI_OPT_CASE("limit", 0, CLI_ARG, "N", "at most N records", OPT_LIMIT) },
	{ CLI_OPT_CASE("all", 'a', CLI_NOARG, NULL, "every record", 'a') },
	{ CLI_OPT_CASE("color", 0, CLI_OPTARG, "WHEN", "colour the output", OPT_COLOR) },
	{ 0 }
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

/* Parse words to the end with options and flags; returns CLI_END or
 * CLI_EXIT.  The program option ids met (and their values) are appended
 * to ids/vals. */
static int parse_with(struct cli *cli, const struct cli_option *options, unsigned flags,
		      const char *const *words, int *ids, const char **vals, int *nids)
{
	int argc, opt, n = 0;
	char **argv = make_argv(words, &argc);

	cli_init(cli, PROG, USAGE, options, flags);
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

static int parse(struct cli *cli, unsigned flags, const char *const *words,
		 int *ids, const char **vals, int *nids)
{
	return parse_with(cli, prog_options, flags, words, ids, vals, nids);
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
	  "option '--format' needs jsonl, text or csv, not 'xml'" HELP_HINT },
	{ ALL_FLAGS, { "-f", "JSONL" },
	  "option '--format' needs jsonl, text or csv, not 'JSONL'" HELP_HINT },
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

/* ---- the option table's stores --------------------------------------------- */

/* The variables a table of stores writes, as a program's args struct. */
struct targets {
	const char *label;      /* --label */
	int verbose;            /* -v */
	int mode;               /* --mode-two sets 2 */
	double alpha;           /* --alpha in [1e-6, 0.5] */
	int has_alpha;          /* marker of --alpha */
	int64_t trials;         /* --trials */
	uint64_t limit;         /* --limit */
	size_t window;          /* --window, from 2 */
	double samples;         /* --samples, an integer */
	const char **tags;      /* --tag, repeatable */
	size_t ntags;
	unsigned given;         /* GIVEN_* */
};

enum { GIVEN_ALPHA = 1, GIVEN_METHOD = 4, OPT_METHOD = 300, N_STORES = 12 };

/* The table over t, built as a program's main builds it. */
static void make_table(struct cli_option options[N_STORES], struct targets *t)
{
	const struct cli_option table[N_STORES] = {
		{ CLI_OPT_STRING("label", 'l', "TEXT", "what it is about", &t->label) },
		{ CLI_OPT_FLAG("verbose", 'v', "say more", &t->verbose) },
		{ CLI_OPT_SET("mode-two", 0, "the second mode", &t->mode, 2) },
		{ CLI_OPT_NUMBER("alpha", 0, "A", "significance level", &t->alpha, 1e-6, 0.5),
		  CLI_GIVEN(&t->has_alpha), CLI_GIVEN_BIT(&t->given, GIVEN_ALPHA) },
		{ CLI_OPT_INT("trials", 0, "N", "trials to add", &t->trials, -5, INT64_MAX / 2) },
		{ CLI_OPT_UINT("limit", 0, "N", "at most N", &t->limit, 1, 1000) },
		{ CLI_OPT_SIZE("window", 0, "N", "the last N points", &t->window, 2, 100) },
		{ CLI_OPT_WHOLE("samples", 0, "N", "how many calls", &t->samples, 0, INT64_MAX / 2) },
		{ CLI_OPT_LIST("tag", 't', "T", "a tag (repeatable)", &t->tags, &t->ntags) },
		{ CLI_OPT_CASE("method", 0, CLI_ARG, "M", "cusum or page-hinkley", OPT_METHOD),
		  CLI_GIVEN_BIT(&t->given, GIVEN_METHOD) },
		{ CLI_OPT_CASE("all", 'a', CLI_NOARG, NULL, "every record", 'a') },
		{ 0 }
	};

	memcpy(options, table, sizeof(table));
	memset(t, 0, sizeof(*t));
	t->alpha = t->samples = 7;
	t->trials = 7;
	t->limit = t->window = 7;
}

/* Parse words over the table of stores; returns CLI_END or CLI_EXIT. */
static int parse_stores(struct cli *cli, struct targets *t, const char *const *words,
			int *ids, const char **vals, int *nids)
{
	static struct cli_option options[N_STORES];

	make_table(options, t);
	return parse_with(cli, options, CLI_STATE, words, ids, vals, nids);
}

START_TEST(string_store)
{
	static const char *const words[] = { "--label=one", "op", NULL };
	static const char *const again[] = { "--label", "two", "-lthree", "--label=", NULL };
	struct targets t;
	struct cli cli;
	int n = -1;

	unit_capture_diag();
	ck_assert_int_eq(parse_stores(&cli, &t, words, NULL, NULL, &n), CLI_END);
	ck_assert_int_eq(n, 0);
	ck_assert_str_eq(t.label, "one");
	ck_assert_int_eq(cli.optind, 2);
	cli_exit(&cli);
	/* The last one wins; the empty value is a value. */
	ck_assert_int_eq(parse_stores(&cli, &t, again, NULL, NULL, &n), CLI_END);
	ck_assert_int_eq(n, 0);
	ck_assert_str_eq(t.label, "");
	ck_assert_str_eq(unit_diag_text(), "");
	cli_exit(&cli);
}
END_TEST

START_TEST(flag_store)
{
	static const char *const words[] = { "-v", "--mode-two", NULL };
	static const char *const none[] = { NULL };
	struct targets t;
	struct cli cli;
	int n = -1;

	unit_capture_diag();
	ck_assert_int_eq(parse_stores(&cli, &t, words, NULL, NULL, &n), CLI_END);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(t.verbose, 1);
	ck_assert_int_eq(t.mode, 2);              /* CLI_OPT_SET's value */
	cli_exit(&cli);
	ck_assert_int_eq(parse_stores(&cli, &t, none, NULL, NULL, &n), CLI_END);
	ck_assert_int_eq(t.verbose, 0);
	ck_assert_int_eq(t.mode, 0);
	ck_assert_str_eq(unit_diag_text(), "");
	cli_exit(&cli);
}
END_TEST

START_TEST(number_store_in_range)
{
	static const char *const words[][2] = { { "--alpha=0.5", NULL }, { "--alpha=1e-6", NULL },
						{ "--alpha=0.05", NULL } };
	static const double want[] = { 0.5, 1e-6, 0.05 };
	struct targets t;
	struct cli cli;

	unit_capture_diag();
	for (size_t i = 0; i < 3; i++) {
		ck_assert_int_eq(parse_stores(&cli, &t, words[i], NULL, NULL, NULL), CLI_END);
		ck_assert_double_eq(t.alpha, want[i]);
		cli_exit(&cli);
	}
	ck_assert_str_eq(unit_diag_text(), "");
}
END_TEST

START_TEST(number_store_out_of_range)
{
	static const char *const bad[] = { "0.75", "0", "abc", "", "nan", "0x1" };
	char arg[64], want[256];
	const char *words[2] = { arg, NULL };
	struct targets t;
	struct cli cli;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(arg, sizeof(arg), "--alpha=%s", bad[i]);
		unit_capture_diag();
		ck_assert_int_eq(parse_stores(&cli, &t, words, NULL, NULL, NULL), CLI_EXIT);
		ck_assert_int_eq(cli.status, BRAIN_USAGE);
		ck_assert_int_eq(cli_exit(&cli), BRAIN_USAGE);
		snprintf(want, sizeof(want),
			 "brain-test: option '--alpha' needs a number from 1e-06 to 0.5, not '%s'\n",
			 bad[i]);
		ck_assert_str_eq(unit_diag_text(), want);
		/* Nothing stored, not even the markers. */
		ck_assert_double_eq(t.alpha, 7);
		ck_assert_int_eq(t.has_alpha, 0);
		ck_assert_uint_eq(t.given, 0);
	}
}
END_TEST

START_TEST(int_stores)
{
	static const char *const words[] = {
		"--trials=-5", "--limit", "1000", "--window=2", "--samples=4611686018427387903", NULL,
	};
	static const char *const bad[][2] = {
		{ "--trials=1.5", NULL }, { "--limit=0", NULL }, { "--window=101", NULL },
		{ "--samples=-1", NULL },
	};
	static const char *const want[] = {
		"brain-test: option '--trials' needs an integer from -5 to 4611686018427387903, not '1.5'\n",
		"brain-test: option '--limit' needs an integer from 1 to 1000, not '0'\n",
		"brain-test: option '--window' needs an integer from 2 to 100, not '101'\n",
		"brain-test: option '--samples' needs an integer from 0 to 4611686018427387903, not '-1'\n",
	};
	struct targets t;
	struct cli cli;

	unit_capture_diag();
	ck_assert_int_eq(parse_stores(&cli, &t, words, NULL, NULL, NULL), CLI_END);
	ck_assert_int_eq(t.trials, -5);
	ck_assert_uint_eq(t.limit, 1000);
	ck_assert_uint_eq(t.window, 2);
	ck_assert_double_eq(t.samples, (double)(INT64_MAX / 2));
	ck_assert_str_eq(unit_diag_text(), "");
	cli_exit(&cli);
	for (size_t i = 0; i < 4; i++) {
		unit_capture_diag();
		ck_assert_int_eq(parse_stores(&cli, &t, bad[i], NULL, NULL, NULL), CLI_EXIT);
		ck_assert_int_eq(cli_exit(&cli), BRAIN_USAGE);
		ck_assert_str_eq(unit_diag_text(), want[i]);
		ck_assert_int_eq(t.trials, 7);
		ck_assert_uint_eq(t.limit, 7);
		ck_assert_uint_eq(t.window, 7);
		ck_assert_double_eq(t.samples, 7);
	}
}
END_TEST

START_TEST(list_store)
{
	static const char *const words[] = { "--tag=a", "op", "--tag", "b", "-tc", "-t", "", NULL };
	static const char *const want[] = { "a", "b", "c", "" };
	struct targets t;
	struct cli cli;
	int n = -1;

	unit_capture_diag();
	ck_assert_int_eq(parse_stores(&cli, &t, words, NULL, NULL, &n), CLI_END);
	ck_assert_int_eq(n, 0);
	ck_assert_uint_eq(t.ntags, 4);
	for (size_t i = 0; i < 4; i++)
		ck_assert_str_eq(t.tags[i], want[i]);
	ck_assert_str_eq(argv_buf[cli.optind], "op");
	ck_assert_str_eq(unit_diag_text(), "");
	free(t.tags);
	cli_exit(&cli);
}
END_TEST

START_TEST(given_markers)
{
	static const char *const alpha[] = { "--alpha=0.1", NULL };
	static const char *const method[] = { "--method=cusum", NULL };
	static const char *const none[] = { "--label=x", "-v", NULL };
	struct targets t;
	struct cli cli;

	unit_capture_diag();
	ck_assert_int_eq(parse_stores(&cli, &t, alpha, NULL, NULL, NULL), CLI_END);
	ck_assert_int_eq(t.has_alpha, 1);
	ck_assert_uint_eq(t.given, GIVEN_ALPHA);
	cli_exit(&cli);
	/* A returned option is marked too, before the caller sees it. */
	ck_assert_int_eq(parse_stores(&cli, &t, method, NULL, NULL, NULL), CLI_END);
	ck_assert_int_eq(t.has_alpha, 0);
	ck_assert_uint_eq(t.given, GIVEN_METHOD);
	cli_exit(&cli);
	ck_assert_int_eq(parse_stores(&cli, &t, none, NULL, NULL, NULL), CLI_END);
	ck_assert_int_eq(t.has_alpha, 0);
	ck_assert_uint_eq(t.given, 0);
	ck_assert_str_eq(unit_diag_text(), "");
	cli_exit(&cli);
}
END_TEST

START_TEST(only_side_effects_come_back)
{
	static const char *const words[] = {
		"--label=x", "--method=cusum", "-v", "--alpha=0.1", "-a", "--tag=t",
		"--method", "page-hinkley", "--trials=3", NULL,
	};
	static const int want_ids[] = { OPT_METHOD, 'a', OPT_METHOD };
	static const char *const want_vals[] = { "cusum", NULL, "page-hinkley" };
	int ids[16];
	const char *vals[16];
	struct targets t;
	struct cli cli;
	int n = -1;

	unit_capture_diag();
	ck_assert_int_eq(parse_stores(&cli, &t, words, ids, vals, &n), CLI_END);
	ck_assert_int_eq(n, 3);
	for (int i = 0; i < n; i++) {
		ck_assert_int_eq(ids[i], want_ids[i]);
		if (want_vals[i])
			ck_assert_str_eq(vals[i], want_vals[i]);
		else
			ck_assert_ptr_null(vals[i]);
	}
	ck_assert_str_eq(t.label, "x");
	ck_assert_int_eq(t.verbose, 1);
	ck_assert_int_eq(t.trials, 3);
	ck_assert_str_eq(unit_diag_text(), "");
	free(t.tags);
	cli_exit(&cli);
}
END_TEST

/* After a bad value, the program options that follow are not looked at
 * (one message), the shared ones still are, and parsing ends in CLI_EXIT. */
START_TEST(bad_value_skips_the_later_program_options)
{
	static const char *const words[] = {
		"--alpha=2", "--label=x", "--method=m", "--trials=abc", "-q", "-S", "d", "op", NULL,
	};
	int n = -1;
	struct targets t;
	struct cli cli;

	unit_capture_diag();
	ck_assert_int_eq(parse_stores(&cli, &t, words, NULL, NULL, &n), CLI_EXIT);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(cli_exit(&cli), BRAIN_USAGE);
	ck_assert_str_eq(unit_diag_text(),
			 "brain-test: option '--alpha' needs a number from 1e-06 to 0.5, not '2'\n");
	ck_assert_ptr_null(t.label);
	ck_assert_int_eq(t.trials, 7);
	ck_assert_uint_eq(t.given, 0);
	ck_assert_int_eq(cli.quiet, 1);
	ck_assert_str_eq(cli.state_dir, "d");
}
END_TEST

START_TEST(bad_value_then_help_still_helps)
{
	static const char *const words[] = { "--window=1", "--help", NULL };
	const char *path = stdout_to_file();
	struct targets t;
	struct cli cli;
	char *text;

	unit_capture_diag();
	ck_assert_int_eq(parse_stores(&cli, &t, words, NULL, NULL, NULL), CLI_EXIT);
	ck_assert_int_eq(cli_exit(&cli), BRAIN_OK);
	ck_assert_str_eq(unit_diag_text(),
			 "brain-test: option '--window' needs an integer from 2 to 100, not '1'\n");
	text = unit_read_file(path);
	/* The help lines of the stores come from the same rows. */
	ck_assert_ptr_nonnull(strstr(text, "\nOptions:\n"
				     "  -l, --label=TEXT           what it is about\n"
				     "  -v, --verbose              say more\n"
				     "      --mode-two             the second mode\n"
				     "      --alpha=A              significance level\n"));
	ck_assert_ptr_nonnull(strstr(text, "\n  -t, --tag=T                a tag (repeatable)\n"
				     "      --method=M             cusum or page-hinkley\n"
				     "  -a, --all                  every record\n"
				     "  -S, --state-dir=DIR "));
	free(text);
}
END_TEST

/* The caller's verdict on its own option, in cli.error, stops the later
 * program options as a bad stored value does. */
START_TEST(caller_error_skips_the_later_program_options)
{
	static const char *const words[] = { "--method=x", "--label=y", "--method=z", "op", NULL };
	struct targets t;
	struct cli cli;
	int argc, opt, n = 0;
	char **argv = make_argv(words, &argc);
	static struct cli_option options[N_STORES];

	make_table(options, &t);
	unit_capture_diag();
	cli_init(&cli, PROG, USAGE, options, 0);
	while ((opt = cli_next(&cli, argc, argv)) > 0) {
		ck_assert_int_eq(opt, OPT_METHOD);
		n++;
		cli.error = BRAIN_USAGE;
	}
	ck_assert_int_eq(opt, CLI_EXIT);
	ck_assert_int_eq(n, 1);
	ck_assert_ptr_null(t.label);
	ck_assert_int_eq(cli.optind, 4);
	ck_assert_int_eq(cli_exit(&cli), BRAIN_USAGE);
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
	TCase *store = tcase_create("stores");
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

	tcase_add_test(store, string_store);
	tcase_add_test(store, flag_store);
	tcase_add_test(store, number_store_in_range);
	tcase_add_test(store, number_store_out_of_range);
	tcase_add_test(store, int_stores);
	tcase_add_test(store, list_store);
	tcase_add_test(store, given_markers);
	tcase_add_test(store, only_side_effects_come_back);
	tcase_add_test(store, bad_value_skips_the_later_program_options);
	tcase_add_test(store, bad_value_then_help_still_helps);
	tcase_add_test(store, caller_error_skips_the_later_program_options);
	suite_add_tcase(s, store);

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
