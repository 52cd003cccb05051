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

static int is_number(const char *s)
{
	return strspn(s, "0123456789.eE+-") == strlen(s) && strpbrk(s, "0123456789");
}

int main(int argc, char **argv)
{
	const char *version = "1";
	double samples = -1;
	int register_new = 0, require_evidence = 0, opt;
	const struct cli_option options[] = {
		{ CLI_OPT_FLAG("register", 0, "evaluate: register unknown scripts as version 1", &register_new) },
		{ CLI_OPT_FLAG("require-evidence", 0, "evaluate: move scripts on brain-ab's always-valid interval, not the rate", &require_evidence) },
		{ CLI_OPT_WHOLE("samples", 0, "N", "evaluate: how many calls the performance is measured on", &samples, 0, INT64_MAX / 2) },
		{ CLI_OPT_STRING("script-version", 0, "V", "register: the version (default 1)", &version) },
		{ 0 }
	};
	struct cli cli;
	enum brain_status status = BRAIN_OK;

	cli_init(&cli, argv[0], usage, options,
		 CLI_STATE | CLI_FORMAT | CLI_WRITE | CLI_SKIP_INVALID);
	while ((opt = cli_next(&cli, argc, argv)) > 0)
		;
	if (opt == CLI_EXIT)
		return cli_exit(&cli);
	argc -= cli.optind;
	argv += cli.optind;
	if (argc == 0)
		status = cli_usage_error(&cli, "missing command");
	else if (!strcmp(argv[0], "register") && argc == 2)
		status = promote_cmd_register(&cli, argv[1], version);
	else if (!strcmp(argv[0], "evaluate") && argc == 3)
		status = promote_cmd_evaluate(&cli, argv[1], argv[2], samples, register_new,
					      require_evidence);
	else if (!strcmp(argv[0], "evaluate") && argc <= 2 && (argc == 1 || !is_number(argv[1])))
		status = promote_cmd_evaluate_stream(&cli, argc == 2 ? argv[1] : NULL, register_new,
						     require_evidence);
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
