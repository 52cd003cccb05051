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
	"brain-score [option ...] history clone\n"
	"brain-score [option ...] compare --baseline=file --candidate=file";

enum { OPT_WEIGHTS = 256 };

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
	switch (opt) {
	case OPT_WEIGHTS: return weights(a, cli->optarg);
	default: return BRAIN_USAGE;
	}
}

static enum brain_status compare(struct cli *cli, const struct score_compare_args *ca, int argc)
{
	if (argc != 1)
		return cli_usage_error(cli, "'compare' takes no operands: give --baseline and "
				       "--candidate");
	if (!ca->baseline || !ca->candidate)
		return cli_usage_error(cli, "'compare' needs --baseline=FILE and --candidate=FILE");
	if (!strcmp(ca->baseline, "-") && !strcmp(ca->candidate, "-"))
		return cli_usage_error(cli, "--baseline and --candidate cannot both be stdin");
	return score_cmd_compare(cli, ca);
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "accuracy", "confidence", "consistency", "robustness" };
	struct score_args a;
	struct score_compare_args ca;
	const struct cli_option options[] = {
		{ CLI_OPT_NUMBER("alpha", 0, "A", "compare: McNemar's level; intervals at 1-A (default 0.05)", &ca.options.alpha, 1e-6, 0.5) },
		{ CLI_OPT_STRING("baseline", 0, "FILE", "compare: the baseline's runs (- for stdin)", &ca.baseline) },
		{ CLI_OPT_STRING("candidate", 0, "FILE", "compare: the candidate's runs (- for stdin)", &ca.candidate) },
		{ CLI_OPT_NUMBER("case-margin", 0, "D", "compare: a case regressed when its pass rate fell by more (default 0.1)", &ca.options.case_margin, 0, 1) },
		{ CLI_OPT_FLAG("fail-on-regression", 0, "compare: exit 1 when the candidate is significantly worse or a case regressed", &ca.fail_on_regression) },
		{ CLI_OPT_NUMBER("min-case-pass", 0, "X", "compare: exit 1 naming each case whose candidate pass rate is under X", &ca.options.min_case_pass, 0, 1) },
		{ CLI_OPT_NUMBER("accuracy", 0, "X", "the accuracy component (0 to 1)", &a.in.value[0], 0, 1), CLI_GIVEN(&a.in.has[0]) },
		{ CLI_OPT_NUMBER("confidence", 0, "X", "the confidence (calibration) component", &a.in.value[1], 0, 1), CLI_GIVEN(&a.in.has[1]) },
		{ CLI_OPT_NUMBER("consistency", 0, "X", "the consistency component", &a.in.value[2], 0, 1), CLI_GIVEN(&a.in.has[2]) },
		{ CLI_OPT_NUMBER("floor", 0, "X", "a component below this vetoes readiness (default 0.70)", &a.in.floor, 0, 1), CLI_GIVEN_BIT(&a.given, SCORE_GIVEN_FLOOR) },
		{ CLI_OPT_NUMBER("robustness", 0, "X", "the robustness component", &a.in.value[3], 0, 1), CLI_GIVEN(&a.in.has[3]) },
		{ CLI_OPT_STRING("runs", 0, "FILE", "compute the components from evaluation runs (- for stdin)", &a.runs) },
		{ CLI_OPT_NUMBER("threshold", 0, "X", "ready at or above this weighted score (default 0.85)", &a.in.threshold, 0, 1), CLI_GIVEN_BIT(&a.given, SCORE_GIVEN_THRESHOLD) },
		{ CLI_OPT_CASE("weights", 0, CLI_ARG, "A,C,K,R", "weights of the four components (default equal)", OPT_WEIGHTS) },
		{ 0 }
	};
	struct cli cli;
	enum brain_status status = BRAIN_OK;
	int opt;

	memset(&a, 0, sizeof(a));
	memset(&ca, 0, sizeof(ca));
	score_input_default(&a.in);
	compare_options_default(&ca.options);
	cli_init(&cli, argv[0], usage, options, CLI_STATE | CLI_FORMAT | CLI_WRITE);
	while ((opt = cli_next(&cli, argc, argv)) > 0)
		cli.error = take(&cli, opt, &a);
	if (opt == CLI_EXIT)
		return cli_exit(&cli);
	argc -= cli.optind;
	argv += cli.optind;
	if (argc == 2 && !strcmp(argv[0], "history"))
		return cli_finish(&cli, score_cmd_history(&cli, argv[1]));
	if (argc >= 1 && !strcmp(argv[0], "compare"))
		return cli_finish(&cli, compare(&cli, &ca, argc));
	if (ca.baseline || ca.candidate)
		return cli_finish(&cli, cli_usage_error(&cli, "--baseline and --candidate go with "
							"'compare'"));
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
