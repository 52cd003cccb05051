/*
 * brain-model - a registry of model versions with safe update strategies
 * (incremental, shadow, canary, full) and a guaranteed way back.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "diag.h"
#include "cmd/model_cmd.h"
#include "cmd/model_registry.h"
#include "cmd/model_rollout.h"
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
	"brain-model [option ...] compare version-id version-id\n"
	"brain-model [option ...] alias model name version-id\n"
	"brain-model [option ...] alias --delete model name\n"
	"brain-model [option ...] unalias model name\n"
	"brain-model [option ...] tag version-id [key=value ...]\n"
	"brain-model [option ...] analyze model [file | -]\n"
	"brain-model [option ...] route model unit | -";

enum { OPT_STRATEGY = 256, OPT_STEPS };

static enum brain_status take(struct cli *cli, int opt, struct model_args *a)
{
	static const char *const names[] = { "incremental", "shadow", "canary", "full" };
	const char *v = cli->optarg;

	switch (opt) {
	case OPT_STEPS: {
		char err[128];

		if (rollout_parse_steps(v, a->steps, &a->nsteps, err, sizeof(err)))
			return diag_error(BRAIN_USAGE, "option '--steps' needs increasing percentages "
					  "ending in 100 (10,25,50,100): %s", err);
		return BRAIN_OK;
	}
	case OPT_STRATEGY:
		for (int i = 0; i < 4; i++)
			if (!strcmp(v, names[i])) {
				a->strategy = (enum model_strategy)i;
				return BRAIN_OK;
			}
		return diag_error(BRAIN_USAGE, "option '--strategy' needs incremental, shadow, "
				  "canary or full, not '%s'", v);
	default: return BRAIN_USAGE;
	}
}

static enum brain_status run(struct cli *cli, struct model_args *a, int argc, char **argv)
{
	const char *verb = argv[0];

	if (!strcmp(verb, "list") && argc == 1)
		return model_cmd_list(cli);
	if (!strcmp(verb, "compare") && argc == 3)
		return model_cmd_compare(cli, argv[1], argv[2]);
	if (!strcmp(verb, "alias") && argc == (a->del ? 3 : 4))
		return model_registry_alias(cli, argv[1], argv[2], a->del ? NULL : argv[3], a->del);
	if (!strcmp(verb, "unalias") && argc == 3)
		return model_registry_alias(cli, argv[1], argv[2], NULL, 1);
	if ((!strcmp(verb, "analyze") || !strcmp(verb, "step")) && (argc == 2 || argc == 3))
		return model_rollout_analyze(cli, argv[1], &(struct model_rollout_args){
			argc == 3 ? argv[2] : NULL, a->analysis, a->since });
	if (!strcmp(verb, "route") && argc == 3)
		return model_rollout_route(cli, argv[1], argv[2]);
	if (!strcmp(verb, "tag") && argc >= 2)
		return model_registry_tag(cli, argv[1], a->description,
					  (const char *const *)argv + 2, (size_t)argc - 2, a->del);
	if (argc != 2) {
		if (strstr(" create update promote abort rollback show history list artifact compare "
			   "alias unalias tag analyze step route ",
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

static void free_args(struct model_args *a)
{
	free(a->metrics);
	free(a->tags);
	free(a->trained_on);
}

int main(int argc, char **argv)
{
	struct model_args a;
	const struct cli_option options[] = {
		{ CLI_OPT_NUMBER("accuracy", 0, "X", "create, update: the version's accuracy (0 to 1)", &a.accuracy, 0, 1), CLI_GIVEN(&a.has_accuracy) },
		{ CLI_OPT_STRING("artifact", 0, "FILE", "create, update: the model file, stored by its SHA-256", &a.artifact) },
		{ CLI_OPT_STRING("analysis", 0, "FILE", "analyze: the analysis policy (JSON), over the model.analysis_* settings", &a.analysis) },
		{ CLI_OPT_NUMBER("canary-weight", 0, "W", "update --strategy=canary: share of traffic (default 0.1)", &a.canary_weight, 1e-6, 1), CLI_GIVEN(&a.has_canary_weight) },
		{ CLI_OPT_FLAG("delete", 0, "alias: remove the alias; tag: remove the keys given", &a.del) },
		{ CLI_OPT_STRING("description", 0, "TEXT", "create, update, tag: the version's description", &a.description) },
		{ CLI_OPT_STRING("expect-serving", 0, "VERSION_ID", "update, promote: act only if this version serves", &a.expect_serving) },
		{ CLI_OPT_LIST("metric", 0, "K=V", "create, update: another metric of the version (repeatable)", &a.metrics, &a.nmetrics) },
		{ CLI_OPT_FLAG("serve", 0, "create: serve version 1 even without an accuracy", &a.serve) },
		{ CLI_OPT_STRING("since", 0, "TIME", "analyze: count outcomes from TIME on (default: since the step began)", &a.since) },
		{ CLI_OPT_CASE("steps", 0, CLI_ARG, "P,P,...", "update --strategy=canary: the canary's weights in percent, the last 100", OPT_STEPS) },
		{ CLI_OPT_CASE("strategy", 0, CLI_ARG, "S", "update: incremental (default), shadow, canary or full", OPT_STRATEGY) },
		{ CLI_OPT_LIST("tag", 0, "K=V", "create, update: a tag of the version (repeatable)", &a.tags, &a.ntags) },
		{ CLI_OPT_STRING("to", 0, "VERSION_ID", "rollback: the version to go back to", &a.to) },
		{ CLI_OPT_NUMBER("tolerance", 0, "T", "update: how much worse an incremental update may be (default 0)", &a.tolerance, 0, 1) },
		{ CLI_OPT_LIST("trained-on", 0, "BATCHES", "create, update: brain-ingest batch ids it was trained on, comma-separated", &a.trained_on, &a.ntrained) },
		{ 0 }
	};
	struct cli cli;
	enum brain_status status;
	int opt;

	memset(&a, 0, sizeof(a));
	a.canary_weight = 0.1;
	cli_init(&cli, argv[0], usage, options, CLI_STATE | CLI_FORMAT | CLI_WRITE);
	while ((opt = cli_next(&cli, argc, argv)) > 0)
		cli.error = take(&cli, opt, &a);
	if (opt == CLI_EXIT) {
		free_args(&a);
		return cli_exit(&cli);
	}
	argc -= cli.optind;
	argv += cli.optind;
	if (argc == 0)
		status = cli_usage_error(&cli, "missing command");
	else
		status = run(&cli, &a, argc, argv);
	free_args(&a);
	return cli_finish(&cli, status);
}
