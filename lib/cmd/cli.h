/*
 * cli.h - the options every program shares, usage and help text, the
 * version line, and the checked close of stdout.
 *
 * Calling sequence, in a program's main:
 *
 *     static const struct cli_option options[] = {
 *             { "detail", 0, CLI_ARG, "JSON", "details object", OPT_DETAIL },
 *             { 0 }
 *     };
 *     struct cli cli;
 *     int opt;
 *
 *     cli_init(&cli, argv[0], USAGE, options, CLI_STATE | CLI_WRITE);
 *     while ((opt = cli_next(&cli, argc, argv)) > 0)
 *             switch (opt) { case OPT_DETAIL: detail = cli.optarg; break; }
 *     if (opt == CLI_EXIT)
 *             return cli_exit(&cli);
 *     argc -= cli.optind; argv += cli.optind;
 *     ... work ...
 *     return cli_finish(&cli, status);
 *
 * cli_next handles the shared options itself (-S, -f, -n, --reason,
 * --wait, --progress, --skip-invalid, -q, -h, -V, as selected by the flags)
 * and returns only the program's own option ids.  --help prints the usage
 * (exactly the man page SYNOPSIS) and one line per option, generated from
 * the same table, so the help text and the option table cannot disagree.
 *
 * cli_finish flushes and closes stdout and checks for errors: a program
 * whose output could not be written exits 6 (BRAIN_IO), never 0.
 */
#ifndef BRAIN_CLI_H
#define BRAIN_CLI_H

#include <getopt.h>
#include <stdint.h>

#include "status.h"

/* Which shared options a program takes, beyond -q, -h and -V. */
enum cli_flags {
	CLI_STATE = 1 << 0,        /* -S, --state-dir=DIR */
	CLI_FORMAT = 1 << 1,       /* -f, --format=jsonl|text */
	CLI_WRITE = 1 << 2,        /* -n, --dry-run; --reason=TEXT; --wait=SECONDS */
	CLI_PROGRESS = 1 << 3,     /* --progress */
	CLI_SKIP_INVALID = 1 << 4  /* --skip-invalid */
};

enum cli_format { CLI_FORMAT_JSONL, CLI_FORMAT_TEXT };

enum cli_arg {
	CLI_NOARG = no_argument,
	CLI_ARG = required_argument,
	CLI_OPTARG = optional_argument  /* --name or --name=VALUE, never a separate word */
};

/* One option of a program.  id is the value cli_next returns: the short
 * option character when there is one, else a number from 256 up. */
struct cli_option {
	const char *name;        /* long name without "--"; NULL ends a table */
	int short_name;          /* short option character, or 0 */
	enum cli_arg has_arg;    /* whether the option takes a value */
	const char *arg_name;    /* placeholder in --help ("N"), or NULL */
	const char *help;        /* one line for --help */
	int id;                  /* returned by cli_next */
};

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
	int quiet;                /* -q */

	const char *optarg;       /* value of the option cli_next returned */
	int optind;               /* index of the first operand after CLI_END */
	enum brain_status status; /* exit status when cli_next returned CLI_EXIT */

	/* Private. */
	const char *program;              /* basename of argv[0] */
	const char *usage;                /* synopsis lines, '\n'-separated */
	const struct cli_option *options; /* the program's own options */
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

/* The next program option id, CLI_END when only operands remain (their
 * first index is cli->optind), or CLI_EXIT when the program must return
 * cli_exit(cli) now (after --help or --version: 0; after a bad option: 2,
 * with a one-line message on stderr). */
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
