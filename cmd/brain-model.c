/*
 * brain-model - a registry of model versions with safe update strategies
 * (incremental, shadow, canary, full) and a guaranteed way back.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "diag.h"
#include "cmd/model_cmd.h"
#include "banned.h"

static const char usage[] =
	"brain-model [option ...] create name\n"
	"brain-model [option ...] update model | version-id\n"
	"brain-model [option ...] promote version-id\n"
	"brain-model [option ...] abort model\n"
	"brain-model [option ...] rollback model\n"
	"brain-model [option ...] show model\n"
	"brain-model [option ...] history model\n"
	"brain-model [option ...] list\n"
	"brain-model [option ...] artifact version-id\n"
	"brain-model [option ...] compare version-id version-id";

enum {
	OPT_ACCURACY = 256, OPT_ARTIFACT, OPT_CANARY_WEIGHT, OPT_EXPECT, OPT_METRIC, OPT_SERVE,
	OPT_STRATEGY, OPT_TO, OPT_TOLERANCE
};

static const struct cli_option options[] = {
	{ "accuracy", 0, CLI_ARG, "X", "create, update: the version's accuracy (0 to 1)", OPT_ACCURACY },
	{ "artifact", 0, CLI_ARG, "FILE", "create, update: the model file, stored by its SHA-256", OPT_ARTIFACT },
	{ "canary-weight", 0, CLI_ARG, "W", "update --strategy=canary: share of traffic (default 0.1)", OPT_CANARY_WEIGHT },
	{ "expect-serving", 0, CLI_ARG, "VERSION_ID", "update, promote: act only if this version serves", OPT_EXPECT },
	{ "metric", 0, CLI_ARG, "K=V", "create, update: another metric of the version (repeatable)", OPT_METRIC },
	{ "serve", 0, CLI_NOARG, NULL, "create: serve version 1 even without an accuracy", OPT_SERVE },
	{ "strategy", 0, CLI_ARG, "S", "update: incremental (default), shadow, canary or full", OPT_STRATEGY },
	{ "to", 0, CLI_ARG, "VERSION_ID", "rollback: the version to go back to", OPT_TO },
	{ "tolerance", 0, CLI_ARG, "T", "update: how much worse an incremental update may be (default 0)", OPT_TOLERANCE },
	{ 0 }
};

static enum brain_status take(struct cli *cli, int opt, struct model_args *a)
{
	const char *v = cli->optarg;
	static const char *const names[] = { "incremental", "shadow", "canary", "full" };

	switch (opt) {
	case OPT_ACCURACY:
		a->has_accuracy = 1;
		return cli_parse_number("accuracy", v, 0, 1, &a->accuracy);
	case OPT_ARTIFACT: a->artifact = v; break;
	case OPT_CANARY_WEIGHT: return cli_parse_number("canary-weight", v, 1e-6, 1, &a->canary_weight);
	case OPT_EXPECT: a->expect_serving = v; break;
	case OPT_METRIC:
		a->metrics = xrealloc(a->metrics, (a->nmetrics + 1) * sizeof(*a->metrics));
		a->metrics[a->nmetrics++] = v;
		break;
	case OPT_SERVE: a->serve = 1; break;
	case OPT_STRATEGY:
		for (int i = 0; i < 4; i++)
			if (!strcmp(v, names[i])) {
				a->strategy = (enum model_strategy)i;
				return BRAIN_OK;
			}
		return diag_error(BRAIN_USAGE, "option '--strategy' needs incremental, shadow, "
				  "canary or full, not '%s'", v);
	case OPT_TO: a->to = v; break;
	case OPT_TOLERANCE: return cli_parse_number("tolerance", v, 0, 1, &a->tolerance);
	default: return BRAIN_USAGE;
	}
	return BRAIN_OK;
}

static enum brain_status run(struct cli *cli, struct model_args *a, int argc, char **argv)
{
	const char *verb = argv[0];

	if (!strcmp(verb, "list") && argc == 1)
		return model_cmd_list(cli);
	if (!strcmp(verb, "compare") && argc == 3)
		return model_cmd_compare(cli, argv[1], argv[2]);
	if (argc != 2) {
		if (strstr(" create update promote abort rollback show history list artifact compare ",
			   verb) && !strchr(verb, ' '))
			return cli_usage_error(cli, "wrong operands for '%s'", verb);
		return cli_usage_error(cli, "unknown command '%s'", verb);
	}
	if (!strcmp(verb, "create"))
		return model_cmd_create(cli, a, argv[1]);
	if (!strcmp(verb, "update"))
		return model_cmd_update(cli, a, argv[1]);
	if (!strcmp(verb, "promote"))
		return model_cmd_promote(cli, a, argv[1]);
	if (!strcmp(verb, "abort"))
		return model_cmd_abort(cli, argv[1]);
	if (!strcmp(verb, "rollback"))
		return model_cmd_rollback(cli, a, argv[1]);
	if (!strcmp(verb, "show"))
		return model_cmd_show(cli, argv[1]);
	if (!strcmp(verb, "history"))
		return model_cmd_history(cli, argv[1]);
	if (!strcmp(verb, "artifact"))
		return model_cmd_artifact(cli, argv[1]);
	return cli_usage_error(cli, "unknown command '%s'", verb);
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct model_args a;
	enum brain_status status = BRAIN_OK;
	int opt;

	memset(&a, 0, sizeof(a));
	a.canary_weight = 0.1;
	cli_init(&cli, argv[0], usage, options, CLI_STATE | CLI_FORMAT | CLI_WRITE);
	while ((opt = cli_next(&cli, argc, argv)) > 0)
		if (!status)
			status = take(&cli, opt, &a);
	if (opt == CLI_EXIT) {
		free(a.metrics);
		return cli_exit(&cli);
	}
	argc -= cli.optind;
	argv += cli.optind;
	if (!status && argc == 0)
		status = cli_usage_error(&cli, "missing command");
	if (!status)
		status = run(&cli, &a, argc, argv);
	free(a.metrics);
	return cli_finish(&cli, status);
}
