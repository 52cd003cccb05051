/*
 * cli.h - the options every program shares, usage and help text, the
 * version line, and the checked close of stdout.
 *
 * Calling sequence, in a program's main.  The option table is built
 * there, as git's parse-options builds its own, so that each row can
 * point at the variable it stores into:
 *
 *     struct args a = { 0 };
 *     const struct cli_option options[] = {
 *             { CLI_OPT_STRING("detail", 0, "JSON", "details object", &a.detail) },
 *             { CLI_OPT_NUMBER("alpha", 0, "A", "level", &a.alpha, 1e-6, 0.5),
 *               CLI_GIVEN_BIT(&a.given, GIVEN_ALPHA) },
 *             { CLI_OPT_FLAG("verbose", 'v', "more output", &a.verbose) },
 *             { CLI_OPT_CASE("method", 0, CLI_ARG, "M", "cusum or page-hinkley", OPT_METHOD) },
 *             { 0 }
 *     };
 *     struct cli cli;
 *     int opt;
 *
 *     cli_init(&cli, argv[0], USAGE, options, CLI_STATE | CLI_WRITE);
 *     while ((opt = cli_next(&cli, argc, argv)) > 0)
 *             switch (opt) {
 *             case OPT_METHOD: cli.error = parse_method(cli.optarg, &a); break;
 *             }
 *     if (opt == CLI_EXIT)
 *             return cli_exit(&cli);
 *     argc -= cli.optind; argv += cli.optind;
 *     ... work ...
 *     return cli_finish(&cli, status);
 *
 * cli_next handles the shared options itself (-S, -f, -n, --reason,
 * --wait, --progress, --skip-invalid, -q, -h, -V, as selected by the flags)
 * and the program options whose row says where the value goes: it parses
 * the value, checks it against the row's range and stores it (a list grows
 * with xrealloc; the caller frees it).  Only the options made with
 * CLI_OPT_CASE, those with a side effect, come back to the caller, whose
 * switch hands a bad value back in cli.error.  After the first bad value
 * ("option '--NAME' needs ...") the remaining program options are skipped,
 * the shared ones still taken, and cli_next ends with CLI_EXIT and status
 * 2.  --help prints the usage (exactly the man page SYNOPSIS) and one line
 * per option, generated from the same table, so the help text and the
 * option table cannot disagree.
 *
 * cli_finish flushes and closes stdout and checks for errors: a program
 * whose output could not be written exits 6 (BRAIN_IO), never 0.
 */
#ifndef BRAIN_CLI_H
#define BRAIN_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

#include "core/jsonl.h"
#include "status.h"

/* Which shared options a program takes, beyond -q, -h and -V. */
enum cli_flags {
	CLI_STATE = 1 << 0,        /* -S, --state-dir=DIR */
	CLI_FORMAT = 1 << 1,       /* -f, --format=jsonl|text|csv (cmd/render.h) */
	CLI_WRITE = 1 << 2,        /* -n, --dry-run; --reason=TEXT; --wait=SECONDS */
	CLI_PROGRESS = 1 << 3,     /* --progress */
	CLI_SKIP_INVALID = 1 << 4, /* --skip-invalid */
	CLI_INPUT = 1 << 5         /* --input-format=jsonl|csv (core/jsonl.h's jsonl_csv) */
};

enum cli_format { CLI_FORMAT_JSONL, CLI_FORMAT_TEXT, CLI_FORMAT_CSV };

enum cli_arg {
	CLI_NOARG = no_argument,
	CLI_ARG = required_argument,
	CLI_OPTARG = optional_argument  /* --name or --name=VALUE, never a separate word */
};

/* How cli_next takes a program option.  A store parses the value, checks
 * it against the row's range and stores it where the row's to points;
 * the caller never sees the option. */
enum cli_store {
	CLI_STORE_NONE,    /* no store: cli_next returns the id (a side effect) */
	CLI_STORE_STRING,  /* *to.string = the value */
	CLI_STORE_FLAG,    /* *to.flag = value */
	CLI_STORE_NUMBER,  /* *to.number = a decimal number in [min, max] */
	CLI_STORE_INT,     /* *to.integer = an integer in [int_min, int_max] */
	CLI_STORE_UINT,    /* *to.uinteger: the same, int_min >= 0 */
	CLI_STORE_SIZE,    /* *to.size: the same, int_min >= 0 */
	CLI_STORE_WHOLE,   /* *to.number: the same, an integer kept in a double */
	CLI_STORE_LIST     /* the value appended to to.list (repeatable options) */
};

/* Where a stored value goes: the member that kind names. */
union cli_target {
	const char **string;   /* CLI_STORE_STRING */
	int *flag;             /* CLI_STORE_FLAG */
	double *number;        /* CLI_STORE_NUMBER, CLI_STORE_WHOLE */
	int64_t *integer;      /* CLI_STORE_INT */
	uint64_t *uinteger;    /* CLI_STORE_UINT */
	size_t *size;          /* CLI_STORE_SIZE */
	struct {
		const char ***items;  /* CLI_STORE_LIST: grown with xrealloc; the caller frees */
		size_t *count;        /* how many items */
	} list;
};

/* One option of a program.  id is the value cli_next returns for a row
 * without a store: the short option character when there is one, else a
 * number from 256 up.  Rows are written with the macros below. */
struct cli_option {
	const char *name;        /* long name without "--"; NULL ends a table */
	int short_name;          /* short option character, or 0 */
	enum cli_arg has_arg;    /* whether the option takes a value */
	const char *arg_name;    /* placeholder in --help ("N"), or NULL */
	const char *help;        /* one line for --help */
	int id;                  /* returned by cli_next when kind is CLI_STORE_NONE */
	enum cli_store kind;     /* how cli_next takes the option */
	union cli_target to;     /* where the value goes, by kind */
	int value;               /* CLI_STORE_FLAG: what *to.flag is set to */
	double min, max;         /* CLI_STORE_NUMBER: the accepted range */
	int64_t int_min, int_max; /* the integer stores: the accepted range */
	int *given;              /* set to 1 when the option is taken, or NULL */
	unsigned *given_bits;    /* given_bit is ORed into it when taken, or NULL */
	unsigned given_bit;      /* the bit for given_bits */
};

/* Rows of a table, one per line, each in braces and optionally followed
 * by a marker: { CLI_OPT_STRING(...) }, { CLI_OPT_NUMBER(...), CLI_GIVEN(&x) }.
 * "Taken" is stored without error, or returned to the caller. */
#define CLI_ROW_(n, s, has, arg, h) \
	.name = (n), .short_name = (s), .has_arg = (has), .arg_name = (arg), .help = (h)
/* Returned to the caller as id: an option with a side effect. */
#define CLI_OPT_CASE(n, s, has, arg, h, i) CLI_ROW_(n, s, has, arg, h), .id = (i)
#define CLI_OPT_STRING(n, s, arg, h, var) \
	CLI_ROW_(n, s, CLI_ARG, arg, h), .kind = CLI_STORE_STRING, .to.string = (var)
/* No value; *var = v, or 1 for CLI_OPT_FLAG. */
#define CLI_OPT_SET(n, s, h, var, v) \
	CLI_ROW_(n, s, CLI_NOARG, NULL, h), .kind = CLI_STORE_FLAG, .to.flag = (var), .value = (v)
#define CLI_OPT_FLAG(n, s, h, var) CLI_OPT_SET(n, s, h, var, 1)
#define CLI_OPT_NUMBER(n, s, arg, h, var, lo, hi) \
	CLI_ROW_(n, s, CLI_ARG, arg, h), .kind = CLI_STORE_NUMBER, .to.number = (var), \
	.min = (lo), .max = (hi)
#define CLI_OPT_INT_(n, s, arg, h, k, lo, hi) \
	CLI_ROW_(n, s, CLI_ARG, arg, h), .kind = (k), .int_min = (lo), .int_max = (hi)
#define CLI_OPT_INT(n, s, arg, h, var, lo, hi) \
	CLI_OPT_INT_(n, s, arg, h, CLI_STORE_INT, lo, hi), .to.integer = (var)
#define CLI_OPT_UINT(n, s, arg, h, var, lo, hi) \
	CLI_OPT_INT_(n, s, arg, h, CLI_STORE_UINT, lo, hi), .to.uinteger = (var)
#define CLI_OPT_SIZE(n, s, arg, h, var, lo, hi) \
	CLI_OPT_INT_(n, s, arg, h, CLI_STORE_SIZE, lo, hi), .to.size = (var)
#define CLI_OPT_WHOLE(n, s, arg, h, var, lo, hi) \
	CLI_OPT_INT_(n, s, arg, h, CLI_STORE_WHOLE, lo, hi), .to.number = (var)
#define CLI_OPT_LIST(n, s, arg, h, var, nvar) \
	CLI_ROW_(n, s, CLI_ARG, arg, h), .kind = CLI_STORE_LIST, \
	.to.list = { .items = (var), .count = (nvar) }
/* Markers: *p = 1, or *p |= bit, when the option is taken. */
#define CLI_GIVEN(p) .given = (p)
#define CLI_GIVEN_BIT(p, bit) .given_bits = (p), .given_bit = (bit)

/* cli_next's return values besides option ids. */
enum { CLI_END = -1, CLI_EXIT = -2 };

struct cli {
	/* Filled by cli_next from the shared options. */
	const char *state_dir;    /* -S, or NULL: state_resolve_path decides */
	enum cli_format format;   /* -f; CLI_FORMAT_JSONL by default */
	int dry_run;              /* -n */
	const char *reason;       /* --reason, or NULL */
	double wait;              /* --wait in seconds; < 0 when not given */
	int progress;             /* 1 when a progress line should be shown */
	int skip_invalid;         /* --skip-invalid */
	enum jsonl_input input;   /* --input-format; JSONL_INPUT_AUTO by default */
	int quiet;                /* -q */

	const char *optarg;       /* value of the option cli_next returned */
	enum brain_status error;  /* status of the first bad program option value, set
				   * by cli_next for a store and by the caller for an
				   * option it was given; BRAIN_OK while there is none */
	int optind;               /* index of the first operand after CLI_END */
	enum brain_status status; /* exit status when cli_next returned CLI_EXIT */

	/* Private. */
	const char *program;              /* basename of argv[0] */
	const char *usage;                /* synopsis lines, '\n'-separated */
	const struct cli_option *options; /* the program's own options */
	size_t noptions;                  /* how many */
	unsigned flags;                   /* enum cli_flags */
	int force_progress;               /* --progress given */
	struct option *longopts;          /* getopt_long table, owned */
	char *shortopts;                  /* getopt_long string, owned */
};

/* Prepare to parse.  program is argv[0]; usage is the synopsis without
 * "usage: ", one form per line; options (may be NULL) and usage are
 * borrowed and must outlive the struct.  Also makes sure file descriptors
 * 0, 1 and 2 are open (a closed one is reopened on /dev/null) so that no
 * file the program opens can become its stdout by accident. */
void cli_init(struct cli *cli, const char *program, const char *usage,
	      const struct cli_option *options, unsigned flags);

/* The next id of a program option without a store, CLI_END when only
 * operands remain (their first index is cli->optind), or CLI_EXIT when the
 * program must return cli_exit(cli) now (after --help or --version: 0;
 * after a bad option or value: 2, with a one-line message on stderr). */
int cli_next(struct cli *cli, int argc, char **argv);

/* Print "usage: ..." and the option lines to stdout (for --help). */
void cli_print_help(const struct cli *cli);

/* Report a usage error in one line (with a pointer to --help) and return
 * BRAIN_USAGE. */
enum brain_status cli_usage_error(const struct cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parse a decimal number option value in [min, max]; on error print
 * "option '--NAME' needs ..." and return BRAIN_USAGE. */
enum brain_status cli_parse_number(const char *option, const char *text,
				   double min, double max, double *out);
enum brain_status cli_parse_int(const char *option, const char *text,
				int64_t min, int64_t max, int64_t *out);

/* Release what cli_init allocated, then return cli->status. */
enum brain_status cli_exit(struct cli *cli);

/* Release what cli_init allocated; flush and close stdout.  Returns status
 * unchanged when stdout was written without error, else BRAIN_IO with a
 * message (unless status already reports an error of its own). */
enum brain_status cli_finish(struct cli *cli, enum brain_status status);

/* Flush and close stdout, returning BRAIN_IO (with a message) on failure. */
enum brain_status cli_close_stdout(void);

#endif
