/*
 * brain - the front end: `brain COMMAND ARGS…` runs brain-COMMAND, as git
 * does; `brain help`, `brain commands`, `brain config`, `brain status` and
 * `brain report` are its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "diag.h"
#include "core/jsonl.h"
#include "cmd/launch.h"
#include "cmd/config_cmd.h"
#include "cmd/report_html.h"
#include "cmd/status_cmd.h"
#include "cmd/table.h"
#include "banned.h"

static const char usage[] =
	"brain [-hV]\n"
	"brain command [argument ...]\n"
	"brain help [command]\n"
	"brain commands\n"
	"brain config [option ...] show\n"
	"brain config [option ...] get key\n"
	"brain config [option ...] set key value\n"
	"brain config [option ...] unset key\n"
	"brain config [option ...] adopt\n"
	"brain status [option ...]\n"
	"brain report --html=file [option ...]";

/* The front end's own commands: their options are its own. */
static int own_command(const char *command)
{
	return !strcmp(command, "config") || !strcmp(command, "help") ||
	       !strcmp(command, "commands") || !strcmp(command, "status") ||
	       !strcmp(command, "report");
}

/* A program of the toolkit (launch.h), which has a page of its own. */
static int known_program(const char *command)
{
	size_t n;
	const struct launch_program *p = launch_programs(&n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(p[i].command, command))
			return 1;
	return 0;
}

static enum brain_status list_commands(enum cli_format format)
{
	size_t n;
	const struct launch_program *p = launch_programs(&n);
	struct table *t = NULL;
	enum brain_status status = BRAIN_OK;

	if (format == CLI_FORMAT_TEXT)
		t = table_new(3, (const char *[]){ "COMMAND", "AVAILABLE", "DESCRIPTION" });
	for (size_t i = 0; i < n && !status; i++) {
		char *path = launch_sibling(p[i].command);
		char program[64];

		if (!path)
			path = launch_on_path(p[i].command);
		snprintf(program, sizeof(program), "brain-%s", p[i].command);
		if (t) {
			table_add(t, (const char *[]){ p[i].command, path ? "yes" : "no",
						       p[i].description });
		} else {
			cJSON *line = cJSON_CreateObject();

			cJSON_AddStringToObject(line, "command", p[i].command);
			cJSON_AddStringToObject(line, "program", program);
			cJSON_AddStringToObject(line, "description", p[i].description);
			cJSON_AddBoolToObject(line, "available", path != NULL);
			status = jsonl_write(stdout, line);
			cJSON_Delete(line);
		}
		free(path);
	}
	if (t)
		table_print(t, stdout);
	table_free(t);
	return status;
}

static enum brain_status help(const struct cli *cli, int argc, char **argv)
{
	char page[64];

	if (argc > 1)
		return cli_usage_error(cli, "'help' takes at most one command");
	if (argc == 0)
		return launch_help("brain.7");
	if (own_command(argv[0]))
		return launch_help("brain.1");
	/* Said here, before man(1) runs: man's own code for a missing page
	 * (16) is not the usage error an unknown command is. */
	if (!launch_valid_command(argv[0]) || !known_program(argv[0]))
		return diag_error(BRAIN_USAGE, "unknown command '%s' (see 'brain commands')",
				  argv[0]);
	snprintf(page, sizeof(page), "brain-%s.1", argv[0]);
	return launch_help(page);
}

static enum brain_status config(const struct cli *cli, int argc, char **argv)
{
	const char *verb = argc > 0 ? argv[0] : NULL;

	if (!verb)
		return cli_usage_error(cli, "'config' needs show, get, set, unset or adopt");
	if (!strcmp(verb, "show") && argc == 1)
		return config_cmd_show(cli, NULL);
	if (!strcmp(verb, "get") && argc == 2)
		return config_cmd_show(cli, argv[1]);
	if (!strcmp(verb, "set") && argc == 3)
		return config_cmd_change(cli, argv[1], argv[2]);
	if (!strcmp(verb, "unset") && argc == 2)
		return config_cmd_change(cli, argv[1], NULL);
	if (!strcmp(verb, "adopt") && argc == 1)
		return config_cmd_adopt(cli);
	if (strcmp(verb, "show") && strcmp(verb, "get") && strcmp(verb, "set") &&
	    strcmp(verb, "unset") && strcmp(verb, "adopt"))
		return cli_usage_error(cli, "unknown config command '%s'", verb);
	return cli_usage_error(cli, "wrong number of operands for 'config %s'", verb);
}

/* report: the page is its only form, so --html is required. */
static enum brain_status report(const struct cli *cli, int argc, const char *html)
{
	if (argc > 0)
		return cli_usage_error(cli, "'report' takes no operand");
	if (!html)
		return cli_usage_error(cli, "'report' needs --html=FILE (- for standard output)");
	return report_html_write(cli, html);
}

int main(int argc, char **argv)
{
	const char *html = NULL;
	const struct cli_option options[] = {
		{ CLI_OPT_STRING("html", 0, "FILE", "report: write the HTML page to FILE (- for standard output)", &html) },
		{ 0 }
	};
	struct cli cli;
	enum brain_status status;
	const char *command;
	int opt;

	/* A program's own options come after its name: `brain ab --help` is
	 * brain-ab's help.  So options are parsed only up to the command,
	 * except for the front end's own commands. */
	if (argc > 1 && argv[1][0] != '-' && !own_command(argv[1])) {
		diag_init(argv[0]);
		return launch_exec(argv[1], argv + 1);
	}
	cli_init(&cli, argv[0], usage, options, CLI_STATE | CLI_FORMAT | CLI_WRITE);
	while ((opt = cli_next(&cli, argc, argv)) > 0)
		;
	if (opt == CLI_EXIT)
		return cli_exit(&cli);
	argc -= cli.optind;
	argv += cli.optind;
	if (argc == 0) {
		status = cli_usage_error(&cli, "missing command");
		return cli_finish(&cli, status);
	}
	command = argv[0];
	if (html && strcmp(command, "report"))
		status = cli_usage_error(&cli, "--html is an option of 'report', not of '%s'",
					 command);
	else if (!strcmp(command, "report"))
		status = report(&cli, argc - 1, html);
	else if (!strcmp(command, "commands"))
		status = argc == 1 ? list_commands(cli.format)
				   : cli_usage_error(&cli, "'commands' takes no operand");
	else if (!strcmp(command, "help"))
		status = help(&cli, argc - 1, argv + 1);
	else if (!strcmp(command, "config"))
		status = config(&cli, argc - 1, argv + 1);
	else if (!strcmp(command, "status"))
		status = argc == 1 ? status_cmd_show(&cli)
				   : cli_usage_error(&cli, "'status' takes no operand");
	else
		status = cli_usage_error(&cli, "options before the command '%s' belong "
					 "after it", command);
	return cli_finish(&cli, status);
}
