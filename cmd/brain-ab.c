/*
 * brain-ab - A/B tracking of call scripts and outreach channels, with
 * decisions that survive daily peeking.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/ab_cmd.h"
#include "cmd/cli.h"
#include "diag.h"
#include "banned.h"

static const char usage[] =
	"brain-ab [option ...] register name ...\n"
	"brain-ab [option ...] track variant\n"
	"brain-ab [option ...] track [file | -]\n"
	"brain-ab [option ...] report\n"
	"brain-ab [option ...] winner\n"
	"brain-ab [option ...] assign\n"
	"brain-ab [option ...] tally [file ...]\n"
	"brain-ab [option ...] merge [file ...]\n"
	"brain-ab [option ...] analyze [file ...]\n"
	"brain-ab [option ...] list\n"
	"brain-ab [option ...] reset";

enum {
	OPT_ALPHA = 256, OPT_CONTROL, OPT_CONVERSIONS, OPT_EXCLUDE_MULTI, OPT_EXPERIMENT,
	OPT_ID, OPT_KIND, OPT_MAX_LOSS, OPT_MIN_CONVERSIONS, OPT_MIN_TRIALS, OPT_REGISTER, OPT_SEED,
	OPT_THOMPSON, OPT_TRIALS, OPT_TUNING, OPT_UNIT, OPT_VALUE, OPT_WEIGHT, OPT_WEIGHTS
};

static const struct cli_option options[] = {
	{ "alpha", 0, CLI_ARG, "A", "1 - confidence level (default 0.05)", OPT_ALPHA },
	{ "control", 0, CLI_OPTARG, "NAME", "register: mark as the control; report, analyze: the control variant", OPT_CONTROL },
	{ "conversions", 0, CLI_ARG, "K", "track VARIANT: conversions to add", OPT_CONVERSIONS },
	{ "exclude-multi", 0, CLI_NOARG, NULL, "leave out events of units seen in two variants", OPT_EXCLUDE_MULTI },
	{ "experiment", 'e', CLI_ARG, "NAME", "the experiment (default: default)", OPT_EXPERIMENT },
	{ "id", 0, CLI_ARG, "ID", "track VARIANT: the aggregate's id, so that a retry counts once", OPT_ID },
	{ "kind", 'k', CLI_ARG, "KIND", "script, channel or another lowercase word", OPT_KIND },
	{ "max-loss", 0, CLI_ARG, "L", "winner: largest expected loss (default 0.0025)", OPT_MAX_LOSS },
	{ "min-conversions", 0, CLI_ARG, "N", "winner: conversions every arm needs (default 25)", OPT_MIN_CONVERSIONS },
	{ "min-trials", 0, CLI_ARG, "N", "winner: trials every arm needs (default 100)", OPT_MIN_TRIALS },
	{ "register", 0, CLI_NOARG, NULL, "track: register unknown variants (with --kind)", OPT_REGISTER },
	{ "seed", 0, CLI_ARG, "S", "assign: hash seed, or the Thompson RNG seed", OPT_SEED },
	{ "thompson", 0, CLI_NOARG, NULL, "assign: Thompson sampling instead of the hash", OPT_THOMPSON },
	{ "trials", 0, CLI_ARG, "N", "track VARIANT: trials to add", OPT_TRIALS },
	{ "tuning", 0, CLI_ARG, "N", "planned total sample of the always-valid interval (default 5000)", OPT_TUNING },
	{ "unit", 'u', CLI_ARG, "ID", "assign: the lead or unit to assign", OPT_UNIT },
	{ "value", 0, CLI_ARG, "SUM", "track VARIANT: sum of values to add", OPT_VALUE },
	{ "weight", 'w', CLI_ARG, "W", "register: planned traffic share (default 1)", OPT_WEIGHT },
	{ "weights", 0, CLI_ARG, "W,W,...", "analyze: planned shares in input order", OPT_WEIGHTS },
	{ 0 }
};

static enum brain_status take(struct cli *cli, int opt, struct ab_args *a)
{
	const char *v = cli->optarg;
	double d;
	int64_t i;

	switch (opt) {
	case OPT_ALPHA:
		a->stat_given |= AB_GIVEN_ALPHA;
		return cli_parse_number("alpha", v, 1e-6, 0.5, &a->stat.alpha);
	case OPT_CONTROL:
		if (v)
			a->control = v;
		else
			a->control_flag = 1;
		break;
	case OPT_CONVERSIONS: return cli_parse_int("conversions", v, 0, INT64_MAX / 2, &a->conversions);
	case OPT_EXCLUDE_MULTI: a->exclude_multi = 1; break;
	case OPT_EXPERIMENT: a->experiment = v; a->experiment_given = 1; break;
	case OPT_ID: a->id = v; break;
	case OPT_KIND: a->kind = v; break;
	case OPT_MAX_LOSS:
		a->stat_given |= AB_GIVEN_MAX_LOSS;
		return cli_parse_number("max-loss", v, 0, 1, &a->stat.max_loss);
	case OPT_MIN_CONVERSIONS:
		a->stat_given |= AB_GIVEN_MIN_CONVERSIONS;
		if (cli_parse_int("min-conversions", v, 0, INT64_MAX / 2, &i))
			return BRAIN_USAGE;
		a->stat.min_conversions = (double)i;
		break;
	case OPT_MIN_TRIALS:
		a->stat_given |= AB_GIVEN_MIN_TRIALS;
		if (cli_parse_int("min-trials", v, 0, INT64_MAX / 2, &i))
			return BRAIN_USAGE;
		a->stat.min_trials = (double)i;
		break;
	case OPT_REGISTER: a->register_new = 1; break;
	case OPT_SEED: a->seed = v; break;
	case OPT_THOMPSON: a->thompson = 1; break;
	case OPT_TRIALS: return cli_parse_int("trials", v, 0, INT64_MAX / 2, &a->trials);
	case OPT_TUNING:
		a->stat_given |= AB_GIVEN_TUNING;
		return cli_parse_number("tuning", v, 1, 1e12, &a->stat.tuning);
	case OPT_UNIT: a->unit = v; break;
	case OPT_VALUE:
		a->has_value = 1;
		return cli_parse_number("value", v, -1e300, 1e300, &a->value);
	case OPT_WEIGHT:
		if (cli_parse_number("weight", v, 1e-9, 1e9, &d))
			return BRAIN_USAGE;
		a->weight = d;
		break;
	case OPT_WEIGHTS: a->weights = v; break;
	default: return BRAIN_USAGE;
	}
	return BRAIN_OK;
}

static enum brain_status run(struct cli *cli, struct ab_args *a, int argc, char **argv)
{
	const char *verb = argv[0];

	argc--;
	argv++;
	if (!strcmp(verb, "register")) {
		if (argc == 0)
			return cli_usage_error(cli, "'register' needs at least one variant name");
		return ab_cmd_register(cli, a, argc, argv);
	}
	if (!strcmp(verb, "track")) {
		if (argc > 1)
			return cli_usage_error(cli, "'track' takes one variant or one file");
		/* --trials makes the operand a variant; otherwise a file. */
		if (a->trials >= 0 || a->conversions >= 0) {
			if (argc != 1)
				return cli_usage_error(cli, "'track --trials' needs the variant");
			return ab_cmd_track(cli, a, argv[0], NULL);
		}
		return ab_cmd_track(cli, a, NULL, argc ? argv[0] : NULL);
	}
	if (!strcmp(verb, "tally") || !strcmp(verb, "merge"))
		return ab_cmd_tally(cli, a, argc, argv);
	if (!strcmp(verb, "analyze"))
		return ab_cmd_analyze(cli, a, argc, argv);
	if (argc > 0)
		return cli_usage_error(cli, "'%s' takes no operand", verb);
	if (!strcmp(verb, "report"))
		return ab_cmd_report(cli, a);
	if (!strcmp(verb, "winner"))
		return ab_cmd_winner(cli, a);
	if (!strcmp(verb, "assign"))
		return ab_cmd_assign(cli, a);
	if (!strcmp(verb, "list"))
		return ab_cmd_list(cli, a);
	if (!strcmp(verb, "reset"))
		return ab_cmd_reset(cli, a);
	return cli_usage_error(cli, "unknown command '%s'", verb);
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct ab_args a;
	enum brain_status status = BRAIN_OK;
	int opt;

	memset(&a, 0, sizeof(a));
	a.experiment = "default";
	a.trials = a.conversions = -1;
	ab_options_default(&a.stat);
	cli_init(&cli, argv[0], usage, options,
		 CLI_STATE | CLI_FORMAT | CLI_WRITE | CLI_PROGRESS | CLI_SKIP_INVALID);
	while ((opt = cli_next(&cli, argc, argv)) > 0)
		if (!status)
			status = take(&cli, opt, &a);
	if (opt == CLI_EXIT)
		return cli_exit(&cli);
	argc -= cli.optind;
	argv += cli.optind;
	if (!status && argc == 0)
		status = cli_usage_error(&cli, "missing command");
	if (!status)
		status = run(&cli, &a, argc, argv);
	return cli_finish(&cli, status);
}
