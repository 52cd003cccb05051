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

enum { OPT_METHOD = 256 };

static enum brain_status take(struct cli *cli, int opt, struct eval_args *a)
{
	const char *v = cli->optarg;

	switch (opt) {
	case OPT_METHOD:
		if (!strcmp(v, "cusum"))
			a->opts.cusum = 1;
		else if (!strcmp(v, "page-hinkley"))
			a->opts.cusum = 0;
		else
			return diag_error(BRAIN_USAGE, "option '--method' needs cusum or "
					  "page-hinkley, not '%s'", v);
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
	struct eval_args a;
	const struct cli_option options[] = {
		{ CLI_OPT_NUMBER("alpha", 0, "A", "trend: significance level of Mann-Kendall (default 0.05)", &a.opts.alpha, 1e-6, 0.5), CLI_GIVEN_BIT(&a.given, EVAL_GIVEN_ALPHA) },
		{ CLI_OPT_STRING("at", 0, "TIME", "record: when the outcome happened (RFC 3339; default now)", &a.at) },
		{ CLI_OPT_NUMBER("baseline", 0, "MU", "cusum: in-control mean (default: mean of the first half)", &a.opts.baseline, -1e300, 1e300), CLI_GIVEN_BIT(&a.given, EVAL_GIVEN_BASELINE) },
		{ CLI_OPT_NUMBER("delta", 0, "D", "page-hinkley: drift tolerated per point (default 0.5 sd of the first half)", &a.opts.delta, 0, 1e300), CLI_GIVEN_BIT(&a.given, EVAL_GIVEN_DELTA) },
		{ CLI_OPT_NUMBER("h", 0, "H", "cusum: alarm threshold (default 5 sd of the first half)", &a.opts.h, 0, 1e300), CLI_GIVEN_BIT(&a.given, EVAL_GIVEN_H) },
		{ CLI_OPT_NUMBER("k", 0, "K", "cusum: allowance (default 0.5 sd of the first half)", &a.opts.k, 0, 1e300), CLI_GIVEN_BIT(&a.given, EVAL_GIVEN_K) },
		{ CLI_OPT_STRING("label", 0, "TEXT", "record: what the score is about", &a.label) },
		{ CLI_OPT_NUMBER("lambda", 0, "L", "page-hinkley: alarm threshold (default 8 sd of the first half)", &a.opts.lambda, 0, 1e300), CLI_GIVEN_BIT(&a.given, EVAL_GIVEN_LAMBDA) },
		{ CLI_OPT_CASE("method", 0, CLI_ARG, "M", "watch: cusum or page-hinkley (default eval.method)", OPT_METHOD), CLI_GIVEN_BIT(&a.given, EVAL_GIVEN_METHOD) },
		{ CLI_OPT_STRING("metric", 'm', "NAME", "the series (default outcome)", &a.metric) },
		{ CLI_OPT_FLAG("verbose", 'v', "watch: print the statistic at every point", &a.verbose) },
		{ CLI_OPT_SIZE("window", 0, "N", "use only the newest N points by time", &a.window, 2, INT64_MAX / 2) },
		{ 0 }
	};
	struct cli cli;
	enum brain_status status = BRAIN_OK;
	int opt;

	memset(&a, 0, sizeof(a));
	a.metric = "outcome";
	a.opts.baseline = NAN;
	cli_init(&cli, argv[0], usage, options,
		 CLI_STATE | CLI_FORMAT | CLI_WRITE | CLI_SKIP_INVALID | CLI_INPUT);
	while ((opt = cli_next(&cli, argc, argv)) > 0)
		cli.error = take(&cli, opt, &a);
	if (opt == CLI_EXIT)
		return cli_exit(&cli);
	argc -= cli.optind;
	argv += cli.optind;
	if (argc == 0)
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
