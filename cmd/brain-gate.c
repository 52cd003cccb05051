/*
 * brain-gate - every deployment gate of a clone, evaluated and explained:
 * PROMOTE (exit 0) only when all pass, else BLOCK (exit 1).
 */
#include <string.h>

#include "cmd/cli.h"
#include "cmd/gate_cmd.h"
#include "diag.h"
#include "banned.h"

static const char usage[] =
	"brain-gate [option ...] clone [readiness accuracy regression]\n"
	"brain-gate [option ...] [clone] -\n"
	"brain-gate [option ...] policy\n"
	"brain-gate [option ...] waive clone gate\n"
	"brain-gate [option ...] replay seq";

enum {
	OPT_ACCURACY = 256, OPT_METRIC, OPT_NO_REGRESSION, OPT_POLICY, OPT_READINESS,
	OPT_REGRESSION, OPT_UNTIL
};

static const struct cli_option options[] = {
	{ "accuracy", 0, CLI_ARG, "X", "evidence: the clone's accuracy", OPT_ACCURACY },
	{ "metric", 0, CLI_ARG, "NAME", "the brain-eval metric for no_regression (default clone:<id>)", OPT_METRIC },
	{ "no-regression", 0, CLI_NOARG, NULL, "evidence: no regression", OPT_NO_REGRESSION },
	{ "policy", 0, CLI_ARG, "FILE", "a policy file instead of the gate.* settings", OPT_POLICY },
	{ "readiness", 0, CLI_ARG, "X", "evidence: the clone's readiness score", OPT_READINESS },
	{ "regression", 0, CLI_NOARG, NULL, "evidence: a regression was detected", OPT_REGRESSION },
	{ "until", 0, CLI_ARG, "TIME", "waive: when the waiver ends (RFC 3339)", OPT_UNTIL },
	{ 0 }
};

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
	struct cli cli;
	struct gate_args a;
	enum brain_status status = BRAIN_OK;
	int opt;

	memset(&a, 0, sizeof(a));
	a.regression = -1;
	cli_init(&cli, argv[0], usage, options, CLI_STATE | CLI_FORMAT | CLI_WRITE);
	while ((opt = cli_next(&cli, argc, argv)) > 0) {
		if (status)
			continue;
		switch (opt) {
		case OPT_ACCURACY:
			a.has_accuracy = 1;
			status = cli_parse_number("accuracy", cli.optarg, 0, 1, &a.accuracy);
			break;
		case OPT_METRIC: a.metric = cli.optarg; break;
		case OPT_NO_REGRESSION: a.regression = 0; break;
		case OPT_POLICY: a.policy = cli.optarg; break;
		case OPT_READINESS:
			a.has_readiness = 1;
			status = cli_parse_number("readiness", cli.optarg, 0, 1, &a.readiness);
			break;
		case OPT_REGRESSION: a.regression = 1; break;
		case OPT_UNTIL: a.until = cli.optarg; break;
		}
	}
	if (opt == CLI_EXIT)
		return cli_exit(&cli);
	argc -= cli.optind;
	argv += cli.optind;
	if (status)
		;
	else if (argc == 0)
		status = cli_usage_error(&cli, "missing clone");
	else if (!strcmp(argv[0], "policy") && argc == 1)
		status = gate_cmd_policy(&cli, &a);
	else if (!strcmp(argv[0], "waive") && argc == 3)
		status = gate_cmd_waive(&cli, &a, argv[1], argv[2]);
	else if (!strcmp(argv[0], "replay") && argc == 2)
		status = gate_cmd_replay(&cli, argv[1]);
	else if (argc == 1 && !strcmp(argv[0], "-"))
		status = gate_cmd(&cli, &a, NULL, 1);
	else if (argc == 2 && !strcmp(argv[1], "-"))
		status = gate_cmd(&cli, &a, argv[0], 1);
	else if (argc == 1)
		status = gate_cmd(&cli, &a, argv[0], 0);
	else if (argc == 4) {
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
