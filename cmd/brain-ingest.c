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
	"brain-ingest [option ...] stats";

enum { OPT_BATCH = 256, OPT_LICENCE, OPT_ROUTE, OPT_SINCE, OPT_SOURCE, OPT_USE, OPT_USES };

static const struct cli_option options[] = {
	{ "batch", 0, CLI_ARG, "ID", "show: only records of this batch", OPT_BATCH },
	{ "licence", 0, CLI_ARG, "TEXT", "sources allow: the licence the data comes under", OPT_LICENCE },
	{ "route", 0, CLI_ARG, "TEXT", "sources allow: how the data arrives (API, export, feed)", OPT_ROUTE },
	{ "since", 0, CLI_ARG, "TIME", "show: records ingested at or after TIME", OPT_SINCE },
	{ "source", 's', CLI_ARG, "NAME", "the source of the data (case-insensitive)", OPT_SOURCE },
	{ "use", 0, CLI_ARG, "USE", "what the data is for: training (default), outreach, display", OPT_USE },
	{ "uses", 0, CLI_ARG, "LIST", "sources allow: comma-separated uses (default training)", OPT_USES },
	{ 0 }
};

int main(int argc, char **argv)
{
	struct cli cli;
	struct ingest_args a;
	enum brain_status status = BRAIN_OK;
	const char *verb;
	int opt;

	memset(&a, 0, sizeof(a));
	cli_init(&cli, argv[0], usage, options,
		 CLI_STATE | CLI_FORMAT | CLI_WRITE | CLI_SKIP_INVALID);
	while ((opt = cli_next(&cli, argc, argv)) > 0) {
		switch (opt) {
		case OPT_BATCH: a.batch = cli.optarg; break;
		case OPT_LICENCE: a.licence = cli.optarg; break;
		case OPT_ROUTE: a.route = cli.optarg; break;
		case OPT_SINCE: a.since = cli.optarg; break;
		case OPT_SOURCE: a.source = cli.optarg; break;
		case OPT_USE: a.use = cli.optarg; break;
		case OPT_USES: a.uses = cli.optarg; break;
		}
	}
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
