/*
 * brain-eval - outcome scores over time: record them, see their trend,
 * and raise an alarm (exit 1) when they regress.
 */
#include <math.h>
#include <string.h>

#include "cmd/cli.h"
#include "diag.h"
#include "cmd/eval_cmd.h"
#include "banned.h"

static const char usage[] =
	"brain-eval [option ...] record score\n"
	"brain-eval [option ...] record [file | -]\n"
	"brain-eval [option ...] trend\n"
	"brain-eval [option ...] watch\n"
	"brain-eval [option ...] list";

enum {
	OPT_ALPHA = 256, OPT_AT, OPT_BASELINE, OPT_DELTA, OPT_H, OPT_K, OPT_LABEL, OPT_LAMBDA,
	OPT_METHOD, OPT_METRIC, OPT_VERBOSE, OPT_WINDOW
};

static const struct cli_option options[] = {
	{ "alpha", 0, CLI_ARG, "A", "trend: significance level of Mann-Kendall (default 0.05)", OPT_ALPHA },
	{ "at", 0, CLI_ARG, "TIME", "record: when the outcome happened (RFC 3339; default now)", OPT_AT },
	{ "baseline", 0, CLI_ARG, "MU", "cusum: in-control mean (default: mean of the first half)", OPT_BASELINE },
	{ "delta", 0, CLI_ARG, "D", "page-hinkley: drift tolerated per point (default 0.005)", OPT_DELTA },
	{ "h", 0, CLI_ARG, "H", "cusum: alarm threshold (default 5 sd of the first half)", OPT_H },
	{ "k", 0, CLI_ARG, "K", "cusum: allowance (default 0.5 sd of the first half)", OPT_K },
	{ "label", 0, CLI_ARG, "TEXT", "record: what the score is about", OPT_LABEL },
	{ "lambda", 0, CLI_ARG, "L", "page-hinkley: alarm threshold (default 0.1)", OPT_LAMBDA },
	{ "method", 0, CLI_ARG, "M", "watch: cusum or page-hinkley (default eval.method)", OPT_METHOD },
	{ "metric", 'm', CLI_ARG, "NAME", "the series (default outcome)", OPT_METRIC },
	{ "verbose", 'v', CLI_NOARG, NULL, "watch: print the statistic at every point", OPT_VERBOSE },
	{ "window", 0, CLI_ARG, "N", "use only the last N points", OPT_WINDOW },
	{ 0 }
};

static enum brain_status take(struct cli *cli, int opt, struct eval_args *a)
{
	const char *v = cli->optarg;
	int64_t n;

	switch (opt) {
	case OPT_ALPHA:
		a->given |= EVAL_GIVEN_ALPHA;
		return cli_parse_number("alpha", v, 1e-6, 0.5, &a->opts.alpha);
	case OPT_AT: a->at = v; break;
	case OPT_BASELINE:
		a->given |= EVAL_GIVEN_BASELINE;
		return cli_parse_number("baseline", v, -1e300, 1e300, &a->opts.baseline);
	case OPT_DELTA:
		a->given |= EVAL_GIVEN_DELTA;
		return cli_parse_number("delta", v, 0, 1e300, &a->opts.delta);
	case OPT_H:
		a->given |= EVAL_GIVEN_H;
		return cli_parse_number("h", v, 0, 1e300, &a->opts.h);
	case OPT_K:
		a->given |= EVAL_GIVEN_K;
		return cli_parse_number("k", v, 0, 1e300, &a->opts.k);
	case OPT_LABEL: a->label = v; break;
	case OPT_LAMBDA:
		a->given |= EVAL_GIVEN_LAMBDA;
		return cli_parse_number("lambda", v, 0, 1e300, &a->opts.lambda);
	case OPT_METHOD:
		a->given |= EVAL_GIVEN_METHOD;
		if (!strcmp(v, "cusum"))
			a->opts.cusum = 1;
		else if (!strcmp(v, "page-hinkley"))
			a->opts.cusum = 0;
		else
			return diag_error(BRAIN_USAGE, "option '--method' needs cusum or "
					  "page-hinkley, not '%s'", v);
		break;
	case OPT_METRIC: a->metric = v; break;
	case OPT_VERBOSE: a->verbose = 1; break;
	case OPT_WINDOW:
		if (cli_parse_int("window", v, 2, INT64_MAX / 2, &n))
			return BRAIN_USAGE;
		a->window = (size_t)n;
		break;
	default: return BRAIN_USAGE;
	}
	return BRAIN_OK;
}

static int is_number(const char *s)
{
	return strspn(s, "0123456789.eE+-") == strlen(s) && strpbrk(s, "0123456789");
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct eval_args a;
	enum brain_status status = BRAIN_OK;
	int opt;

	memset(&a, 0, sizeof(a));
	a.metric = "outcome";
	a.opts.baseline = NAN;
	cli_init(&cli, argv[0], usage, options,
		 CLI_STATE | CLI_FORMAT | CLI_WRITE | CLI_SKIP_INVALID);
	while ((opt = cli_next(&cli, argc, argv)) > 0)
		if (!status)
			status = take(&cli, opt, &a);
	if (opt == CLI_EXIT)
		return cli_exit(&cli);
	argc -= cli.optind;
	argv += cli.optind;
	if (status)
		;
	else if (argc == 0)
		status = cli_usage_error(&cli, "missing command");
	else if (!strcmp(argv[0], "record") && argc == 2 && is_number(argv[1]))
		status = eval_cmd_record(&cli, &a, argv[1]);
	else if (!strcmp(argv[0], "record") && argc <= 2)
		status = eval_cmd_record_stream(&cli, &a, argc == 2 ? argv[1] : NULL);
	else if (!strcmp(argv[0], "trend") && argc == 1)
		status = eval_cmd_trend(&cli, &a);
	else if (!strcmp(argv[0], "watch") && argc == 1)
		status = eval_cmd_watch(&cli, &a);
	else if (!strcmp(argv[0], "list") && argc == 1)
		status = eval_cmd_list(&cli);
	else if (strstr(" record trend watch list ", argv[0]) && !strchr(argv[0], ' '))
		status = cli_usage_error(&cli, "wrong operands for '%s'", argv[0]);
	else
		status = cli_usage_error(&cli, "unknown command '%s'", argv[0]);
	return cli_finish(&cli, status);
}
