/* cli.c - shared options, help, version and stdout checks; see cli.h. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "cmd/render.h"
#include "core/clock.h"
#include "diag.h"
#include "version.h"
#include "banned.h"

/* What getopt_long returns for the long options: the program's option at
 * row i gives OPT_OWN + i, the shared long-only ones their own ids.  Both
 * sit far above the characters of the short options, just below INT_MAX. */
enum {
	OPT_OWN = 0x7ffe0000,
	OPT_REASON = 0x7fff0000,
	OPT_WAIT,
	OPT_PROGRESS,
	OPT_SKIP_INVALID,
	OPT_INPUT_FORMAT
};

struct shared_option {
	unsigned flag;            /* enum cli_flags that selects it; 0 = always */
	struct cli_option option;
};

static const struct shared_option shared_options[] = {
	{ CLI_STATE, { CLI_OPT_CASE("state-dir", 'S', CLI_ARG, "DIR",
		"state directory (default $BRAIN_STATE_DIR, else $XDG_STATE_HOME/brain)", 'S') } },
	{ CLI_FORMAT, { CLI_OPT_CASE("format", 'f', CLI_ARG, "FORMAT",
		"output format: jsonl (default), text or csv", 'f') } },
	{ CLI_WRITE, { CLI_OPT_CASE("dry-run", 'n', CLI_NOARG, NULL,
		"compute and print the result, change nothing", 'n') } },
	{ CLI_WRITE, { CLI_OPT_CASE("reason", 0, CLI_ARG, "TEXT",
		"why: recorded in the audit trail", OPT_REASON) } },
	{ CLI_WRITE, { CLI_OPT_CASE("wait", 0, CLI_ARG, "SECONDS",
		"wait this long for the state lock (default 30), then exit 5", OPT_WAIT) } },
	{ CLI_PROGRESS, { CLI_OPT_CASE("progress", 0, CLI_NOARG, NULL,
		"show a progress line on stderr even when it is not a terminal", OPT_PROGRESS) } },
	{ CLI_SKIP_INVALID, { CLI_OPT_CASE("skip-invalid", 0, CLI_NOARG, NULL,
		"apply the valid records, keep rejected ones in rejects/, exit 3", OPT_SKIP_INVALID) } },
	{ CLI_INPUT, { CLI_OPT_CASE("input-format", 0, CLI_ARG, "FORMAT",
		"input: jsonl, or csv (default: csv for a .csv name or a first line that is no JSON)",
		OPT_INPUT_FORMAT) } },
	{ 0, { CLI_OPT_CASE("quiet", 'q', CLI_NOARG, NULL, "no warnings or progress on stderr", 'q') } },
	{ 0, { CLI_OPT_CASE("help", 'h', CLI_NOARG, NULL, "print this help and exit", 'h') } },
	{ 0, { CLI_OPT_CASE("version", 'V', CLI_NOARG, NULL, "print the version and exit", 'V') } },
};

#define N_SHARED (sizeof(shared_options) / sizeof(shared_options[0]))

static size_t count_options(const struct cli_option *options)
{
	size_t n = 0;

	while (options && options[n].name)
		n++;
	return n;
}

/* Reopen any of fds 0-2 that is closed onto /dev/null. */
static void ensure_standard_fds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
			int null = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);

			if (null < 0)
				abort();
			if (null != fd) {
				dup2(null, fd);
				close(null);
			}
		}
	}
}

/* Add o to the getopt_long tables; its long form returns val. */
static void add_getopt(struct cli *cli, size_t *nlong, size_t *nshort,
		       const struct cli_option *o, int val)
{
	struct option *lo = &cli->longopts[(*nlong)++];

	lo->name = o->name;
	lo->has_arg = o->has_arg;
	lo->flag = NULL;
	lo->val = val;
	if (o->short_name) {
		cli->shortopts[(*nshort)++] = (char)o->short_name;
		if (o->has_arg != CLI_NOARG)
			cli->shortopts[(*nshort)++] = ':';
		if (o->has_arg == CLI_OPTARG)
			cli->shortopts[(*nshort)++] = ':';
	}
}

void cli_init(struct cli *cli, const char *program, const char *usage,
	      const struct cli_option *options, unsigned flags)
{
	size_t nown = count_options(options);
	size_t nlong = 0, nshort = 0, i;

	ensure_standard_fds();
	umask(077);	/* every file and directory the toolkit creates is private */
	diag_init(program);
	memset(cli, 0, sizeof(*cli));
	cli->program = diag_program();
	cli->usage = usage;
	cli->options = options;
	cli->noptions = nown;
	cli->flags = flags;
	cli->wait = -1;
	cli->format = CLI_FORMAT_JSONL;
	cli->input = JSONL_INPUT_AUTO;
	cli->longopts = xcalloc(nown + N_SHARED + 1, sizeof(*cli->longopts));
	/* ':' first makes getopt report a missing value apart from an unknown
	 * option; '+' is not used, so options may follow operands (GNU). */
	cli->shortopts = xcalloc(3 * (nown + N_SHARED) + 2, 1);
	cli->shortopts[nshort++] = ':';
	for (i = 0; i < nown; i++)
		add_getopt(cli, &nlong, &nshort, &options[i], OPT_OWN + (int)i);
	for (i = 0; i < N_SHARED; i++)
		if (!shared_options[i].flag || (flags & shared_options[i].flag))
			add_getopt(cli, &nlong, &nshort, &shared_options[i].option,
				   shared_options[i].option.id);
	cli->progress = isatty(STDERR_FILENO);
	optind = 0;	/* glibc: start a fresh scan, so cli_init may run twice */
}

static void release(struct cli *cli)
{
	free(cli->longopts);
	free(cli->shortopts);
	cli->longopts = NULL;
	cli->shortopts = NULL;
}

enum brain_status cli_usage_error(const struct cli *cli, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return diag_error(BRAIN_USAGE, "%s (see '%s --help')", msg, cli->program);
}

static void print_option(const struct cli_option *o)
{
	char left[128];
	int n;

	if (o->short_name)
		n = snprintf(left, sizeof(left), "-%c, --%s", o->short_name, o->name);
	else
		n = snprintf(left, sizeof(left), "    --%s", o->name);
	if (o->has_arg != CLI_NOARG && n >= 0 && (size_t)n < sizeof(left))
		snprintf(left + n, sizeof(left) - (size_t)n, o->has_arg == CLI_OPTARG ? "[=%s]" : "=%s",
			 o->arg_name ? o->arg_name : "VALUE");
	printf("  %-26s %s\n", left, o->help ? o->help : "");
}

void cli_print_help(const struct cli *cli)
{
	const char *line = cli->usage;
	size_t i;
	int first = 1;

	/* The usage block is the man page SYNOPSIS, one form per line. */
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		int len = nl ? (int)(nl - line) : (int)strlen(line);

		printf("%s%.*s\n", first ? "usage: " : "       ", len, line);
		first = 0;
		line = nl ? nl + 1 : line + len;
	}
	printf("\nOptions:\n");
	for (i = 0; cli->options && cli->options[i].name; i++)
		print_option(&cli->options[i]);
	for (i = 0; i < N_SHARED; i++)
		if (!shared_options[i].flag || (cli->flags & shared_options[i].flag))
			print_option(&shared_options[i].option);
	printf("\nSee the manual page %s(%s) for the whole story.\n", cli->program,
	       "1");
}

static void print_version(const struct cli *cli)
{
	printf("%s (brain) %s\n"
	       "Copyright (C) 2026 the brain authors.\n"
	       "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
	       "This is free software: you are free to change and redistribute it.\n"
	       "There is NO WARRANTY, to the extent permitted by law.\n",
	       cli->program, BRAIN_VERSION);
}

enum brain_status cli_parse_number(const char *option, const char *text,
				   double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	/* Decimal only: strtod would also take hex, "inf" and "nan". */
	if (end == text || *end || errno || !isfinite(v) || v < min || v > max ||
	    strspn(text, "0123456789.eE+-") != strlen(text))
		return diag_error(BRAIN_USAGE,
				  "option '--%s' needs a number from %.15g to %.15g, not '%s'",
				  option, min, max, text);
	*out = v;
	return BRAIN_OK;
}

enum brain_status cli_parse_int(const char *option, const char *text,
				int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (end == text || *end || errno || v < min || v > max)
		return diag_error(BRAIN_USAGE,
				  "option '--%s' needs an integer from %lld to %lld, not '%s'",
				  option, (long long)min, (long long)max, text);
	*out = v;
	return BRAIN_OK;
}

static int finish_with(struct cli *cli, enum brain_status status)
{
	cli->status = status;
	return CLI_EXIT;
}

/* Name of the option getopt just rejected, for the message: the word as
 * given for a long option, -c for a short one. */
static void rejected_name(char **argv, int index, int option_char, char *buf, size_t size)
{
	const char *word = index > 0 ? argv[index - 1] : "";

	if (!strncmp(word, "--", 2))
		snprintf(buf, size, "%s", word);
	else if (option_char > 32 && option_char < 127)
		snprintf(buf, size, "-%c", option_char);
	else
		snprintf(buf, size, "%s", word);
}

/* The program option getopt_long returned as opt, or NULL when opt is
 * not one.  A program's short option wins over a shared one. */
static const struct cli_option *own_option(const struct cli *cli, int opt)
{
	size_t i;

	if (opt >= OPT_OWN && (size_t)(opt - OPT_OWN) < cli->noptions)
		return &cli->options[opt - OPT_OWN];
	for (i = 0; opt > 0 && opt < 256 && i < cli->noptions; i++)
		if (cli->options[i].short_name == opt)
			return &cli->options[i];
	return NULL;
}

/* Append value to the list of a CLI_STORE_LIST row. */
static void append(const struct cli_option *o, const char *value)
{
	const char ***items = o->to.list.items;
	size_t *count = o->to.list.count;

	*items = xrealloc(*items, (*count + 1) * sizeof(**items));
	(*items)[(*count)++] = value;
}

/* Store the value of a row with a store where the row says; nothing is
 * stored when the value is bad. */
static enum brain_status store(const struct cli_option *o, const char *value)
{
	int64_t n = 0;

	switch (o->kind) {
	case CLI_STORE_STRING:
		*o->to.string = value;
		return BRAIN_OK;
	case CLI_STORE_FLAG:
		*o->to.flag = o->value;
		return BRAIN_OK;
	case CLI_STORE_NUMBER:
		return cli_parse_number(o->name, value, o->min, o->max, o->to.number);
	case CLI_STORE_LIST:
		append(o, value);
		return BRAIN_OK;
	default:
		break;
	}
	if (cli_parse_int(o->name, value, o->int_min, o->int_max, &n))
		return BRAIN_USAGE;
	if (o->kind == CLI_STORE_INT)
		*o->to.integer = n;
	else if (o->kind == CLI_STORE_UINT)
		*o->to.uinteger = (uint64_t)n;
	else if (o->kind == CLI_STORE_SIZE)
		*o->to.size = (size_t)n;
	else
		*o->to.number = (double)n;
	return BRAIN_OK;
}

/* Take a program option: store its value, or give its id back for the
 * caller's switch; 0 when there is nothing for the caller.  After a bad
 * value (cli->error) the program's options are no longer looked at. */
static int take_own(struct cli *cli, const struct cli_option *o, const char *value)
{
	if (cli->error)
		return 0;
	if (o->kind != CLI_STORE_NONE && (cli->error = store(o, value)))
		return 0;
	if (o->given)
		*o->given = 1;
	if (o->given_bits)
		*o->given_bits |= o->given_bit;
	return o->kind == CLI_STORE_NONE ? o->id : 0;
}

/* After the last option: settle BRAIN_NOW, -q and --progress. */
static int end_of_options(struct cli *cli)
{
	time_t now;

	cli->optind = optind;
	/* A bad BRAIN_NOW is a usage error before anything is touched. */
	if (clock_now(&now))
		return finish_with(cli, BRAIN_USAGE);
	if (cli->quiet)
		cli->progress = 0;
	else if (cli->force_progress)
		cli->progress = 1;
	diag_set_quiet(cli->quiet);
	if (cli->error)
		return finish_with(cli, cli->error);
	return CLI_END;
}

/* Take a shared option without a value; 0 to go on, else what cli_next
 * returns. */
static int take_shared_flag(struct cli *cli, int opt)
{
	switch (opt) {
	case OPT_PROGRESS:
		cli->force_progress = 1;
		return 0;
	case OPT_SKIP_INVALID:
		cli->skip_invalid = 1;
		return 0;
	case 'q':
		cli->quiet = 1;
		return 0;
	case 'h':
		cli_print_help(cli);
		return finish_with(cli, cli_close_stdout());
	case 'V':
		print_version(cli);
		return finish_with(cli, cli_close_stdout());
	default:
		return opt;
	}
}

/* Take the shared option getopt_long returned; 0 to go on, else what
 * cli_next returns. */
static int take_shared(struct cli *cli, int opt, char **argv)
{
	char bad[256];

	switch (opt) {
	case '?':
		rejected_name(argv, optind, optopt, bad, sizeof(bad));
		return finish_with(cli, cli_usage_error(cli, "unknown option '%s'", bad));
	case ':':
		rejected_name(argv, optind, optopt, bad, sizeof(bad));
		return finish_with(cli, cli_usage_error(cli, "option '%s' needs a value", bad));
	case 'S':
		if (!(cli->flags & CLI_STATE))
			return opt;
		if (!*optarg)
			return finish_with(cli, cli_usage_error(cli, "option '--state-dir' needs a directory"));
		cli->state_dir = optarg;
		return 0;
	case OPT_INPUT_FORMAT:
		if (!(cli->flags & CLI_INPUT))
			return opt;
		if (!strcmp(optarg, "jsonl"))
			cli->input = JSONL_INPUT_JSONL;
		else if (!strcmp(optarg, "csv"))
			cli->input = JSONL_INPUT_CSV;
		else
			return finish_with(cli, cli_usage_error(cli,
				"option '--input-format' needs jsonl or csv, not '%s'", optarg));
		return 0;
	case 'f':
		if (!(cli->flags & CLI_FORMAT))
			return opt;
		if (!strcmp(optarg, "jsonl"))
			cli->format = CLI_FORMAT_JSONL;
		else if (!strcmp(optarg, "text"))
			cli->format = CLI_FORMAT_TEXT;
		else if (!strcmp(optarg, "csv"))
			cli->format = CLI_FORMAT_CSV;
		else
			return finish_with(cli, cli_usage_error(cli,
				"option '--format' needs jsonl, text or csv, not '%s'", optarg));
		return 0;
	case 'n':
		if (!(cli->flags & CLI_WRITE))
			return opt;
		cli->dry_run = 1;
		return 0;
	case OPT_REASON:
		cli->reason = optarg;
		return 0;
	case OPT_WAIT:
		if (cli_parse_number("wait", optarg, 0, 86400 * 365, &cli->wait))
			return finish_with(cli, BRAIN_USAGE);
		return 0;
	default:
		return take_shared_flag(cli, opt);
	}
}

/* Once the options are read, records go to render (cmd/render.h) for
 * --format=csv and text. */
static int render_from(struct cli *cli, int end)
{
	if (end == CLI_END && (cli->flags & CLI_FORMAT))
		render_begin(cli->format == CLI_FORMAT_CSV ? RENDER_CSV
			     : cli->format == CLI_FORMAT_TEXT ? RENDER_TEXT : RENDER_OFF);
	return end;
}

int cli_next(struct cli *cli, int argc, char **argv)
{
	const struct cli_option *o;
	int opt;

	for (;;) {
		opterr = 0;
		opt = getopt_long(argc, argv, cli->shortopts, cli->longopts, NULL);
		cli->optarg = optarg;
		if ((o = own_option(cli, opt)))
			opt = take_own(cli, o, optarg);
		else if (opt == -1)
			return render_from(cli, end_of_options(cli));
		else
			opt = take_shared(cli, opt, argv);
		if (opt)
			return opt;
	}
}

enum brain_status cli_exit(struct cli *cli)
{
	release(cli);
	return cli->status;
}

enum brain_status cli_close_stdout(void)
{
	int failed = fflush(stdout) != 0 || ferror(stdout);
	int err = errno;

	if (fclose(stdout) != 0 && !failed) {
		failed = 1;
		err = errno;
	}
	if (failed)
		return diag_errno(BRAIN_IO, err ? err : EIO, "write error on standard output");
	return BRAIN_OK;
}

enum brain_status cli_finish(struct cli *cli, enum brain_status status)
{
	enum brain_status closed;

	release(cli);
	render_end();
	closed = cli_close_stdout();
	if (closed != BRAIN_OK && (status == BRAIN_OK || status == BRAIN_NO))
		return closed;
	return status;
}
