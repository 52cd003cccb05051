/*
 * brain-gate - every deployment gate of a clone, evaluated and explained:
 * PROMOTE (exit 0) only when all pass, else BLOCK (exit 1).
 */
#include <string.h>

#include "cmd/cli.h"
#include "cmd/gate_cmd.h"
#include "cmd/gate_deploy.h"
#include "diag.h"
#include "banned.h"

static const char usage[] =
	"brain-gate [option ...] clone [readiness accuracy regression]\n"
	"brain-gate [option ...] [clone] -\n"
	"brain-gate [option ...] policy\n"
	"brain-gate [option ...] waive clone gate\n"
	"brain-gate [option ...] unwaive clone gate\n"
	"brain-gate [option ...] waivers [clone]\n"
	"brain-gate [option ...] replay seq\n"
	"brain-gate [option ...] deploy clone\n"
	"brain-gate [option ...] analyze clone [file | -]\n"
	"brain-gate [option ...] route clone unit | -";

enum { OPT_STEPS = 256 };

static enum brain_status take(int opt, const char *v, struct gate_args *a)
{
	char err[128];

	if (opt != OPT_STEPS)
		return BRAIN_USAGE;
	if (rollout_parse_steps(v, a->steps, &a->nsteps, err, sizeof(err)))
		return diag_error(BRAIN_USAGE, "option '--steps' needs increasing percentages "
				  "ending in 100 (10,25,50,100): %s", err);
	return BRAIN_OK;
}

/* The verbs of stepped deployments; -1 when argv is none of them. */
static int run_deploy(struct cli *cli, struct gate_args *a, int argc, char **argv,
		      enum brain_status *status)
{
	if (!strcmp(argv[0], "deploy") && argc == 2)
		*status = gate_deploy_start(cli, a, argv[1]);
	else if (!strcmp(argv[0], "analyze") && (argc == 2 || argc == 3))
		*status = gate_deploy_analyze(cli, a, argv[1], argc == 3 ? argv[2] : NULL);
	else if (!strcmp(argv[0], "route") && argc == 3)
		*status = gate_deploy_route(cli, argv[1], argv[2]);
	else
		return -1;
	return 0;
}

static enum brain_status parse_bool(const char *text, int *out)
{
	if (!strcmp(text, "true") || !strcmp(text, "True") || !strcmp(text, "1"))
		*out = 1;
	else if (!strcmp(text, "false") || !strcmp(text, "False") || !strcmp(text, "0"))
		*out = 0;
	else
		return diag_error(BRAIN_USAGE, "regression must be true or false, not '%s'", text);
	return BRAIN_OK;
}

int main(int argc, char **argv)
{
	struct gate_args a;
	const struct cli_option options[] = {
		{ CLI_OPT_NUMBER("accuracy", 0, "X", "evidence: the clone's accuracy", &a.accuracy, 0, 1), CLI_GIVEN(&a.has_accuracy) },
		{ CLI_OPT_STRING("analysis", 0, "FILE", "analyze: the analysis policy (JSON), over the model.analysis_* settings", &a.analysis) },
		{ CLI_OPT_STRING("baseline", 0, "CLONE", "deploy: what the clone is judged against (default: the clone serving)", &a.baseline) },
		{ CLI_OPT_STRING("comparison", 0, "FILE", "evidence for no_regression: brain-score compare's output", &a.comparison) },
		{ CLI_OPT_STRING("metric", 0, "NAME", "the brain-eval metric for no_regression (default clone:<id>)", &a.metric) },
		{ CLI_OPT_SET("no-regression", 0, "evidence: no regression", &a.regression, 0) },
		{ CLI_OPT_STRING("policy", 0, "FILE", "a policy file instead of the gate.* and score.* settings", &a.policy) },
		{ CLI_OPT_NUMBER("readiness", 0, "X", "evidence: the clone's readiness (a stored score's components still apply)", &a.readiness, 0, 1), CLI_GIVEN(&a.has_readiness) },
		{ CLI_OPT_SET("regression", 0, "evidence: a regression was detected", &a.regression, 1) },
		{ CLI_OPT_STRING("since", 0, "TIME", "analyze: count outcomes from TIME on (default: since the step began)", &a.since) },
		{ CLI_OPT_CASE("steps", 0, CLI_ARG, "P,P,...", "deploy: the clone's weights in percent, the last 100", OPT_STEPS) },
		{ CLI_OPT_STRING("until", 0, "TIME", "waive: when the waiver ends (RFC 3339)", &a.until) },
		{ 0 }
	};
	struct cli cli;
	enum brain_status status = BRAIN_OK;
	int opt;

	memset(&a, 0, sizeof(a));
	a.regression = -1;
	cli_init(&cli, argv[0], usage, options, CLI_STATE | CLI_FORMAT | CLI_WRITE);
	while ((opt = cli_next(&cli, argc, argv)) > 0)
		cli.error = take(opt, cli.optarg, &a);
	if (opt == CLI_EXIT)
		return cli_exit(&cli);
	argc -= cli.optind;
	argv += cli.optind;
	if (a.comparison && (a.regression >= 0 || a.metric))
		status = cli_usage_error(&cli, "--comparison is the regression evidence: not with "
					 "--regression, --no-regression or --metric");
	else if (argc == 0)
		status = cli_usage_error(&cli, "missing clone");
	else if (!run_deploy(&cli, &a, argc, argv, &status))
		;
	else if (!strcmp(argv[0], "policy") && argc == 1)
		status = gate_cmd_policy(&cli, &a);
	else if (!strcmp(argv[0], "waive") && argc == 3)
		status = gate_cmd_waive(&cli, &a, argv[1], argv[2]);
	else if (!strcmp(argv[0], "unwaive") && argc == 3)
		status = gate_cmd_unwaive(&cli, argv[1], argv[2]);
	else if (!strcmp(argv[0], "waivers") && argc <= 2)
		status = gate_cmd_waivers(&cli, argc == 2 ? argv[1] : NULL);
	else if (!strcmp(argv[0], "replay") && argc == 2)
		status = gate_cmd_replay(&cli, argv[1]);
	else if (argc == 1 && !strcmp(argv[0], "-"))
		status = gate_cmd(&cli, &a, NULL, 1);
	else if (argc == 2 && !strcmp(argv[1], "-"))
		status = gate_cmd(&cli, &a, argv[0], 1);
	else if (argc == 1)
		status = gate_cmd(&cli, &a, argv[0], 0);
	else if (argc == 4 && a.comparison) {
		status = cli_usage_error(&cli, "--comparison is the regression evidence: not with "
					 "a regression operand");
	} else if (argc == 4) {
		a.has_readiness = a.has_accuracy = 1;
		if (!(status = cli_parse_number("readiness", argv[1], 0, 1, &a.readiness)) &&
		    !(status = cli_parse_number("accuracy", argv[2], 0, 1, &a.accuracy)) &&
		    !(status = parse_bool(argv[3], &a.regression)))
			status = gate_cmd(&cli, &a, argv[0], 0);
	} else {
		status = cli_usage_error(&cli, "wrong operands");
	}
	return cli_finish(&cli, status);
}
