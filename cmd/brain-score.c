/*
 * brain-score - the readiness of an agent clone, from given metrics or
 * computed from raw evaluation runs.  Exit 0 when ready, 1 when not.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/score_cmd.h"
#include "diag.h"
#include "banned.h"

static const char usage[] =
	"brain-score [option ...] clone [accuracy confidence consistency robustness]\n"
	"brain-score [option ...] history clone";

enum {
	OPT_ACCURACY = 256, OPT_CONFIDENCE, OPT_CONSISTENCY, OPT_FLOOR, OPT_ROBUSTNESS, OPT_RUNS,
	OPT_THRESHOLD, OPT_WEIGHTS
};

static const struct cli_option options[] = {
	{ "accuracy", 0, CLI_ARG, "X", "the accuracy component (0 to 1)", OPT_ACCURACY },
	{ "confidence", 0, CLI_ARG, "X", "the confidence (calibration) component", OPT_CONFIDENCE },
	{ "consistency", 0, CLI_ARG, "X", "the consistency component", OPT_CONSISTENCY },
	{ "floor", 0, CLI_ARG, "X", "a component below this vetoes readiness (default 0.70)", OPT_FLOOR },
	{ "robustness", 0, CLI_ARG, "X", "the robustness component", OPT_ROBUSTNESS },
	{ "runs", 0, CLI_ARG, "FILE", "compute the components from evaluation runs (- for stdin)", OPT_RUNS },
	{ "threshold", 0, CLI_ARG, "X", "ready at or above this weighted score (default 0.85)", OPT_THRESHOLD },
	{ "weights", 0, CLI_ARG, "A,C,K,R", "weights of the four components (default equal)", OPT_WEIGHTS },
	{ 0 }
};

static enum brain_status component(struct score_args *a, int i, const char *name, const char *v)
{
	a->in.has[i] = 1;
	return cli_parse_number(name, v, 0, 1, &a->in.value[i]);
}

static enum brain_status weights(struct score_args *a, const char *text)
{
	const char *p = text;
	double total = 0;

	for (int i = 0; i < 4; i++) {
		char *end;

		a->in.weight[i] = strtod(p, &end);
		if (end == p || !(a->in.weight[i] >= 0) || (i < 3 ? *end != ',' : *end != '\0'))
			return diag_error(BRAIN_USAGE, "--weights needs four non-negative numbers "
					  "A,C,K,R, not '%s'", text);
		total += a->in.weight[i];
		p = end + 1;
	}
	if (!(total > 0))
		return diag_error(BRAIN_USAGE, "--weights must not all be zero");
	return BRAIN_OK;
}

static enum brain_status take(struct cli *cli, int opt, struct score_args *a)
{
	const char *v = cli->optarg;

	switch (opt) {
	case OPT_ACCURACY: return component(a, 0, "accuracy", v);
	case OPT_CONFIDENCE: return component(a, 1, "confidence", v);
	case OPT_CONSISTENCY: return component(a, 2, "consistency", v);
	case OPT_ROBUSTNESS: return component(a, 3, "robustness", v);
	case OPT_FLOOR:
		a->given |= SCORE_GIVEN_FLOOR;
		return cli_parse_number("floor", v, 0, 1, &a->in.floor);
	case OPT_THRESHOLD:
		a->given |= SCORE_GIVEN_THRESHOLD;
		return cli_parse_number("threshold", v, 0, 1, &a->in.threshold);
	case OPT_RUNS: a->runs = v; break;
	case OPT_WEIGHTS: return weights(a, v);
	default: return BRAIN_USAGE;
	}
	return BRAIN_OK;
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "accuracy", "confidence", "consistency", "robustness" };
	struct cli cli;
	struct score_args a;
	enum brain_status status = BRAIN_OK;
	int opt;

	memset(&a, 0, sizeof(a));
	score_input_default(&a.in);
	cli_init(&cli, argv[0], usage, options, CLI_STATE | CLI_FORMAT | CLI_WRITE);
	while ((opt = cli_next(&cli, argc, argv)) > 0)
		if (!status)
			status = take(&cli, opt, &a);
	if (opt == CLI_EXIT)
		return cli_exit(&cli);
	argc -= cli.optind;
	argv += cli.optind;
	if (status)
		return cli_finish(&cli, status);
	if (argc == 2 && !strcmp(argv[0], "history"))
		return cli_finish(&cli, score_cmd_history(&cli, argv[1]));
	if (argc != 1 && argc != 5)
		return cli_finish(&cli, cli_usage_error(&cli, "give a clone and either four "
							"components or --runs"));
	for (int i = 0; argc == 5 && i < 4 && !status; i++)
		if (a.in.has[i])
			status = cli_usage_error(&cli, "%s given twice", names[i]);
		else
			status = component(&a, i, names[i], argv[i + 1]);
	if (!status && a.runs && (a.in.has[0] || a.in.has[1] || a.in.has[2] || a.in.has[3]))
		status = cli_usage_error(&cli, "--runs computes the components: give them or "
					 "--runs, not both");
	if (!status)
		status = score_cmd(&cli, &a, argv[0]);
	return cli_finish(&cli, status);
}
