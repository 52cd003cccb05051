/*
 * brain-promote - the lifecycle of call scripts (draft, testing, active,
 * retired) driven by measured performance, with hysteresis.
 */
#include <string.h>

#include "cmd/cli.h"
#include "diag.h"
#include "cmd/promote_cmd.h"
#include "banned.h"

static const char usage[] =
	"brain-promote [option ...] register name\n"
	"brain-promote [option ...] evaluate script performance\n"
	"brain-promote [option ...] evaluate [file | -]\n"
	"brain-promote [option ...] status [script]\n"
	"brain-promote [option ...] history script\n"
	"brain-promote [option ...] set script status\n"
	"brain-promote [option ...] policy";

enum { OPT_REGISTER = 256, OPT_SAMPLES, OPT_VERSION };

static const struct cli_option options[] = {
	{ "register", 0, CLI_NOARG, NULL, "evaluate: register unknown scripts as version 1", OPT_REGISTER },
	{ "samples", 0, CLI_ARG, "N", "evaluate: how many calls the performance is measured on", OPT_SAMPLES },
	{ "script-version", 0, CLI_ARG, "V", "register: the version (default 1)", OPT_VERSION },
	{ 0 }
};

static int is_number(const char *s)
{
	return strspn(s, "0123456789.eE+-") == strlen(s) && strpbrk(s, "0123456789");
}

int main(int argc, char **argv)
{
	struct cli cli;
	enum brain_status status = BRAIN_OK;
	const char *version = "1";
	double samples = -1;
	int register_new = 0, opt;
	int64_t n;

	cli_init(&cli, argv[0], usage, options,
		 CLI_STATE | CLI_FORMAT | CLI_WRITE | CLI_SKIP_INVALID);
	while ((opt = cli_next(&cli, argc, argv)) > 0) {
		switch (opt) {
		case OPT_REGISTER: register_new = 1; break;
		case OPT_SAMPLES:
			if (!status && !(status = cli_parse_int("samples", cli.optarg, 0, INT64_MAX / 2, &n)))
				samples = (double)n;
			break;
		case OPT_VERSION: version = cli.optarg; break;
		}
	}
	if (opt == CLI_EXIT)
		return cli_exit(&cli);
	argc -= cli.optind;
	argv += cli.optind;
	if (status)
		;
	else if (argc == 0)
		status = cli_usage_error(&cli, "missing command");
	else if (!strcmp(argv[0], "register") && argc == 2)
		status = promote_cmd_register(&cli, argv[1], version);
	else if (!strcmp(argv[0], "evaluate") && argc == 3)
		status = promote_cmd_evaluate(&cli, argv[1], argv[2], samples, register_new);
	else if (!strcmp(argv[0], "evaluate") && argc <= 2 && (argc == 1 || !is_number(argv[1])))
		status = promote_cmd_evaluate_stream(&cli, argc == 2 ? argv[1] : NULL, register_new);
	else if (!strcmp(argv[0], "status") && argc <= 2)
		status = promote_cmd_status(&cli, argc == 2 ? argv[1] : NULL);
	else if (!strcmp(argv[0], "history") && argc == 2)
		status = promote_cmd_history(&cli, argv[1]);
	else if (!strcmp(argv[0], "set") && argc == 3)
		status = promote_cmd_set(&cli, argv[1], argv[2]);
	else if (!strcmp(argv[0], "policy") && argc == 1)
		status = promote_cmd_policy(&cli);
	else if (strstr(" register evaluate status history set policy ", argv[0]) &&
		 !strchr(argv[0], ' '))
		status = cli_usage_error(&cli, "wrong operands for '%s'", argv[0]);
	else
		status = cli_usage_error(&cli, "unknown command '%s'", argv[0]);
	return cli_finish(&cli, status);
}
