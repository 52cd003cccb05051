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
	"brain-ab [option ...] history\n"
	"brain-ab [option ...] plan\n"
	"brain-ab [option ...] conclude [variant]\n"
	"brain-ab [option ...] assign\n"
	"brain-ab [option ...] assign [file | -]\n"
	"brain-ab [option ...] tally [file ...]\n"
	"brain-ab [option ...] merge [file ...]\n"
	"brain-ab [option ...] partition [file ...]\n"
	"brain-ab [option ...] analyze [file ...]\n"
	"brain-ab [option ...] list\n"
	"brain-ab [option ...] reset";

enum { OPT_CONTROL = 256, OPT_GUARDRAIL };

static enum brain_status take(struct cli *cli, int opt, struct ab_args *a)
{
	const char *v = cli->optarg;

	switch (opt) {
	case OPT_CONTROL:
		if (v)
			a->control = v;
		else
			a->control_flag = 1;
		break;
	case OPT_GUARDRAIL:
		if (ab_guard_parse(v, a->guards, AB_GUARD_MAX, &a->nguards))
			return cli_usage_error(cli, "--guardrail=%s: want NAME:MARGIN (a-z 0-9 _, "
					       "a margin in [0, 1]), at most %d", v, AB_GUARD_MAX);
		break;
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
	if (!strcmp(verb, "partition"))
		return ab_cmd_partition(cli, a, argc, argv);
	if (!strcmp(verb, "analyze"))
		return ab_cmd_analyze(cli, a, argc, argv);
	if (!strcmp(verb, "assign") && argc > 0) {
		if (argc > 1)
			return cli_usage_error(cli, "'assign' takes one file (or -) of units");
		return ab_cmd_assign(cli, a, argv[0]);
	}
	if (!strcmp(verb, "conclude")) {
		if (argc > 1)
			return cli_usage_error(cli, "'conclude' takes at most one variant");
		return ab_cmd_conclude(cli, a, argc ? argv[0] : NULL);
	}
	if (argc > 0)
		return cli_usage_error(cli, "'%s' takes no operand", verb);
	if (!strcmp(verb, "report"))
		return ab_cmd_report(cli, a);
	if (!strcmp(verb, "winner"))
		return ab_cmd_winner(cli, a);
	if (!strcmp(verb, "history"))
		return ab_cmd_history(cli, a);
	if (!strcmp(verb, "plan"))
		return ab_cmd_plan(cli, a);
	if (!strcmp(verb, "assign"))
		return ab_cmd_assign(cli, a, NULL);
	if (!strcmp(verb, "list"))
		return ab_cmd_list(cli, a);
	if (!strcmp(verb, "reset"))
		return ab_cmd_reset(cli, a);
	return cli_usage_error(cli, "unknown command '%s'", verb);
}

int main(int argc, char **argv)
{
	struct ab_args a;
	const struct cli_option options[] = {
		{ CLI_OPT_NUMBER("alpha", 0, "A", "1 - confidence level (default 0.05)", &a.stat.alpha, 1e-6, 0.5), CLI_GIVEN_BIT(&a.stat_given, AB_GIVEN_ALPHA) },
		{ CLI_OPT_NUMBER("arms", 0, "K", "plan: arms in the test, the control included (default 2, or the kind's)", &a.plan_arms, 2, 1e6) },
		{ CLI_OPT_NUMBER("baseline", 0, "RATE", "plan: the control's rate (default: from the tallies of --kind)", &a.baseline, 1e-9, 1 - 1e-9) },
		{ CLI_OPT_STRING("batch", 0, "KEY", "track FILE: the batch's key (the date, say): a retry counts once, another key again", &a.batch) },
		{ CLI_OPT_STRING("by", 0, "DIM", "report, analyze: one slice per value of dimension DIM; partition: unit", &a.by) },
		{ CLI_OPT_FLAG("contact-check", 0, "assign: for a variant naming a channel, the lead's calling window and consent", &a.contact_check) },
		{ CLI_OPT_CASE("control", 0, CLI_OPTARG, "NAME", "register: mark as the control; report, analyze: the control variant", OPT_CONTROL) },
		{ CLI_OPT_INT("conversions", 0, "K", "track VARIANT: conversions to add", &a.conversions, 0, INT64_MAX / 2) },
		{ CLI_OPT_NUMBER("daily", 0, "N", "plan: trials per arm a day, for the days to a decision", &a.daily, 1e-9, 1e12) },
		{ CLI_OPT_FLAG("exclude-multi", 0, "leave out events of units seen in two variants", &a.exclude_multi) },
		{ CLI_OPT_STRING("experiment", 'e', "NAME", "the experiment (default: default)", &a.experiment), CLI_GIVEN(&a.experiment_given) },
		{ CLI_OPT_CASE("guardrail", 0, CLI_ARG, "NAME:MARGIN", "winner: veto a winner whose NAME rate may exceed the control's by MARGIN (repeatable)", OPT_GUARDRAIL) },
		{ CLI_OPT_NUMBER("horizon", 0, "N", "report, winner: planned trials per arm; the interval is tuned to end there", &a.stat.horizon, 0, 1e15), CLI_GIVEN_BIT(&a.stat_given, AB_GIVEN_HORIZON) },
		{ CLI_OPT_STRING("id", 0, "ID", "track VARIANT: the aggregate's id, so that a retry counts once", &a.id) },
		{ CLI_OPT_STRING("kind", 'k', "KIND", "script, channel or another lowercase word", &a.kind) },
		{ CLI_OPT_NUMBER("max-loss", 0, "L", "winner: largest expected loss, as a fraction of the control's rate (default 0.01)", &a.stat.max_loss, 0, 1), CLI_GIVEN_BIT(&a.stat_given, AB_GIVEN_MAX_LOSS) },
		{ CLI_OPT_STRING("metric", 0, "rate|value", "winner: decide on the conversion rate (default) or the value per trial", &a.metric) },
		{ CLI_OPT_NUMBER("mde", 0, "LIFT", "plan: the smallest lift worth finding, relative (0.2: +20 %)", &a.mde, -1, 1e6) },
		{ CLI_OPT_WHOLE("min-conversions", 0, "N", "winner: conversions every arm needs (default 25)", &a.stat.min_conversions, 0, INT64_MAX / 2), CLI_GIVEN_BIT(&a.stat_given, AB_GIVEN_MIN_CONVERSIONS) },
		{ CLI_OPT_WHOLE("min-trials", 0, "N", "winner: trials every arm needs (default 100)", &a.stat.min_trials, 0, INT64_MAX / 2), CLI_GIVEN_BIT(&a.stat_given, AB_GIVEN_MIN_TRIALS) },
		{ CLI_OPT_NUMBER("power", 0, "P", "plan: the fixed test's power (default 0.8)", &a.power, 0.01, 0.999999) },
		{ CLI_OPT_STRING("prefix", 0, "P", "partition: shard file names P0, P1, ... (default part.)", &a.prefix) },
		{ CLI_OPT_FLAG("register", 0, "track: register unknown variants (with --kind)", &a.register_new) },
		{ CLI_OPT_STRING("seed", 0, "S", "register: record the kind's hash seed; assign: override it, or the Thompson RNG seed", &a.seed) },
		{ CLI_OPT_INT("shards", 0, "N", "partition: how many shard files (1 to 1024)", &a.shards, 1, 1024) },
		{ CLI_OPT_STRING("since", 0, "DAY", "report, winner, analyze, plan, history: from day YYYY-MM-DD", &a.since) },
		{ CLI_OPT_FLAG("thompson", 0, "assign: Thompson sampling instead of the hash", &a.thompson) },
		{ CLI_OPT_INT("trials", 0, "N", "track VARIANT: trials to add", &a.trials, 0, INT64_MAX / 2) },
		{ CLI_OPT_NUMBER("tuning", 0, "N", "planned total sample of the always-valid interval (default 5000)", &a.stat.tuning, 1, 1e12), CLI_GIVEN_BIT(&a.stat_given, AB_GIVEN_TUNING) },
		{ CLI_OPT_STRING("until", 0, "DAY", "report, winner, analyze, plan, history: to day YYYY-MM-DD, inclusive", &a.until) },
		{ CLI_OPT_STRING("unit", 'u', "ID", "assign: the lead or unit to assign", &a.unit) },
		{ CLI_OPT_NUMBER("value", 0, "SUM", "track VARIANT: sum of values to add", &a.value, -1e300, 1e300), CLI_GIVEN(&a.has_value) },
		{ CLI_OPT_NUMBER("weight", 'w', "W", "register: planned traffic share (default 1)", &a.weight, 1e-9, 1e9) },
		{ CLI_OPT_STRING("weights", 0, "W,W,...", "analyze: planned shares in input order", &a.weights) },
		{ 0 }
	};
	struct cli cli;
	enum brain_status status;
	int opt;

	memset(&a, 0, sizeof(a));
	a.experiment = "default";
	a.trials = a.conversions = -1;
	a.power = 0.8;
	ab_options_default(&a.stat);
	cli_init(&cli, argv[0], usage, options,
		 CLI_STATE | CLI_FORMAT | CLI_WRITE | CLI_PROGRESS | CLI_SKIP_INVALID | CLI_INPUT);
	while ((opt = cli_next(&cli, argc, argv)) > 0)
		cli.error = take(&cli, opt, &a);
	if (opt == CLI_EXIT)
		return cli_exit(&cli);
	argc -= cli.optind;
	argv += cli.optind;
	if (argc == 0)
		status = cli_usage_error(&cli, "missing command");
	else
		status = run(&cli, &a, argc, argv);
	return cli_finish(&cli, status);
}
