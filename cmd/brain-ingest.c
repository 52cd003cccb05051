/*
 * brain-ingest - accept learning data only from allow-listed sources,
 * keep its provenance, quarantine what is rejected, lose nothing.
 */
#include <string.h>

#include "cmd/cli.h"
#include "diag.h"
#include "cmd/ingest_cmd.h"
#include "banned.h"

static const char usage[] =
	"brain-ingest [option ...] --source=name [file | -]\n"
	"brain-ingest [option ...] sources\n"
	"brain-ingest [option ...] sources allow name\n"
	"brain-ingest [option ...] sources deny name\n"
	"brain-ingest [option ...] show\n"
	"brain-ingest [option ...] quarantine\n"
	"brain-ingest [option ...] quarantine reviewed\n"
	"brain-ingest [option ...] batches\n"
	"brain-ingest [option ...] stats";

int main(int argc, char **argv)
{
	struct ingest_args a;
	const struct cli_option options[] = {
		{ CLI_OPT_STRING("batch", 0, "ID", "show: only records of this batch", &a.batch) },
		{ CLI_OPT_STRING("licence", 0, "TEXT", "sources allow: the licence the data comes under", &a.licence) },
		{ CLI_OPT_STRING("route", 0, "TEXT", "sources allow: how the data arrives (API, export, feed)", &a.route) },
		{ CLI_OPT_STRING("since", 0, "TIME", "show: records ingested at or after TIME", &a.since) },
		{ CLI_OPT_STRING("source", 's', "NAME", "the source of the data (case-insensitive)", &a.source) },
		{ CLI_OPT_STRING("use", 0, "USE", "what the data is for: training (default), outreach, display", &a.use) },
		{ CLI_OPT_STRING("uses", 0, "LIST", "sources allow: comma-separated uses (default training)", &a.uses) },
		{ 0 }
	};
	struct cli cli;
	enum brain_status status = BRAIN_OK;
	const char *verb;
	int opt;

	memset(&a, 0, sizeof(a));
	cli_init(&cli, argv[0], usage, options,
		 CLI_STATE | CLI_FORMAT | CLI_WRITE | CLI_PROGRESS | CLI_SKIP_INVALID | CLI_INPUT);
	while ((opt = cli_next(&cli, argc, argv)) > 0)
		;
	if (opt == CLI_EXIT)
		return cli_exit(&cli);
	argc -= cli.optind;
	argv += cli.optind;
	verb = argc ? argv[0] : "";
	if (!strcmp(verb, "sources") && argc == 1)
		status = ingest_cmd_sources(&cli);
	else if (!strcmp(verb, "sources") && argc == 3 && !strcmp(argv[1], "allow"))
		status = ingest_cmd_allow(&cli, &a, argv[2]);
	else if (!strcmp(verb, "sources") && argc == 3 && !strcmp(argv[1], "deny"))
		status = ingest_cmd_deny(&cli, argv[2]);
	else if (!strcmp(verb, "sources"))
		status = cli_usage_error(&cli, "'sources' takes nothing, or allow NAME or deny NAME");
	else if (!strcmp(verb, "show") && argc == 1)
		status = ingest_cmd_show(&cli, &a);
	else if (!strcmp(verb, "quarantine") && argc == 1)
		status = ingest_cmd_quarantine(&cli);
	else if (!strcmp(verb, "quarantine") && argc == 2 && !strcmp(argv[1], "reviewed"))
		status = ingest_cmd_reviewed(&cli);
	else if (!strcmp(verb, "quarantine"))
		status = cli_usage_error(&cli, "'quarantine' takes nothing, or reviewed");
	else if (!strcmp(verb, "batches") && argc == 1)
		status = ingest_cmd_batches(&cli);
	else if (!strcmp(verb, "stats") && argc == 1)
		status = ingest_cmd_stats(&cli);
	else if (argc <= 1 && a.source)
		status = ingest_cmd_ingest(&cli, &a, argc ? argv[0] : NULL);
	else if (argc <= 1)
		status = cli_usage_error(&cli, "give --source=NAME to ingest, or a command");
	else
		status = cli_usage_error(&cli, "wrong operands");
	return cli_finish(&cli, status);
}
