/* ab_plan.c - brain-ab plan: the sample a test needs; see ab_cmd.h and
 * pure/plan.h. */
#include <math.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cmd/ab_cmd.h"
#include "core/ab_store.h"
#include "core/jsonl.h"
#include "core/state.h"
#include "diag.h"
#include "pure/ab.h"
#include "pure/ab_fold.h"
#include "pure/plan.h"
#include "banned.h"

/* Days of kind within the window that have tallies. */
static double days_in(const struct ab_set *s, const struct ab_args *a)
{
	size_t n, in = 0;
	const char **days = ab_set_days(s, a->kind, &n);

	for (size_t i = 0; i < n; i++)
		if ((!a->since || strcmp(days[i], a->since) >= 0) &&
		    (!a->until || strcmp(days[i], a->until) <= 0))
			in++;
	free(days);
	return (double)in;
}

/* The control's rate of --kind in the experiment (over --since/--until),
 * its arms, and (when --daily is not given) the control's trials a day
 * over the days with tallies. */
static enum brain_status from_state(const struct cli *cli, const struct ab_args *a,
				    struct plan_input *in, double *daily)
{
	struct state st;
	struct ab_set s;
	struct ab_arm *arm;
	struct ab_window w = ab_cmd_window(a);
	enum brain_status status;
	double undated, days;
	size_t k, c;
	int exists;

	if (!a->kind)
		return diag_error(BRAIN_USAGE, "'plan' needs --baseline=RATE, or --kind=KIND to "
				  "take the control's rate from the tallies");
	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	if ((status = ab_load(&st, a->experiment, &s, &exists))) {
		state_close(&st);
		return status;
	}
	arm = ab_cmd_arms(&s, a->kind, &w, &k);
	c = ab_control_index(arm, k);
	(void)undated;
	if (k == 0 || !(arm[c].trials > 0)) {
		status = diag_error(BRAIN_DATA, "kind '%s' of experiment '%s' has no trials%s to "
				    "take a baseline from: give --baseline=RATE", a->kind,
				    a->experiment, ab_window_whole(&w) ? "" : " in the window");
	} else {
		if (!(a->baseline > 0))
			in->baseline = arm[c].conversions / arm[c].trials;
		in->arms = a->plan_arms > 0 ? a->plan_arms : (double)k;
		if (!(a->daily > 0) && (days = days_in(&s, a)) > 0)
			*daily = arm[c].trials / days;
	}
	free(arm);
	ab_set_free(&s);
	state_close(&st);
	return status;
}

static cJSON *plan_line(const struct plan_input *in, const struct plan_result *r,
			double daily)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "baseline", in->baseline);
	cJSON_AddNumberToObject(o, "target", r->target);
	cJSON_AddNumberToObject(o, "mde", in->mde);
	cJSON_AddNumberToObject(o, "alpha", in->alpha);
	cJSON_AddNumberToObject(o, "power", in->power);
	cJSON_AddNumberToObject(o, "arms", in->arms);
	cJSON_AddNumberToObject(o, "fixed_per_arm", r->fixed_per_arm);
	if (daily > 0)
		cJSON_AddNumberToObject(o, "fixed_days", ceil(r->fixed_per_arm / daily));
	cJSON_AddNumberToObject(o, "tuning", r->tuning);
	cJSON_AddNumberToObject(o, "rule_median_per_arm", r->rule_median_per_arm);
	if (daily > 0)
		cJSON_AddNumberToObject(o, "rule_median_days", ceil(r->rule_median_per_arm / daily));
	cJSON_AddNumberToObject(o, "rule_power_at_fixed", r->rule_power_at_fixed);
	if (daily > 0)
		cJSON_AddNumberToObject(o, "daily", daily);
	cJSON_AddNumberToObject(o, "horizon", r->fixed_per_arm);
	if (r->design_power >= 0)
		cJSON_AddNumberToObject(o, "horizon_power", r->design_power);
	if (r->design_median_per_arm > 0) {
		cJSON_AddNumberToObject(o, "horizon_median_per_arm", r->design_median_per_arm);
		if (daily > 0)
			cJSON_AddNumberToObject(o, "horizon_median_days",
						ceil(r->design_median_per_arm / daily));
	}
	return o;
}

static void plan_sentence(const struct plan_input *in, const struct plan_result *r,
			  double daily)
{
	printf("To find a %.3g %% lift on %.4g (to %.4g) with %.3g %% power at alpha %.3g, a fixed "
	       "test needs %.0f trials per arm", 100 * in->mde, in->baseline, r->target,
	       100 * in->power, in->alpha, r->fixed_per_arm);
	if (daily > 0)
		printf(" (%.0f days at %.4g a day)", ceil(r->fixed_per_arm / daily), daily);
	printf("; brain's winner rule, with --tuning=%.0f, has found it half of the time by %.0f "
	       "per arm", r->tuning, r->rule_median_per_arm);
	if (daily > 0)
		printf(" (%.0f days)", ceil(r->rule_median_per_arm / daily));
	printf(" on that day's look alone, and %.0f %% of the time at the fixed test's sample "
	       "(looking every day finds it sooner)", 100 * r->rule_power_at_fixed);
	if (r->design_power >= 0)
		printf("; with --horizon=%.0f it finds it about %.0f %% of the time by the "
		       "horizon", r->fixed_per_arm, 100 * r->design_power);
	if (r->design_median_per_arm > 0 && daily > 0)
		printf(", half of the time by day %.0f", ceil(r->design_median_per_arm / daily));
	printf(".\n");
}

enum brain_status ab_cmd_plan(const struct cli *cli, struct ab_args *a)
{
	struct plan_input in = { a->baseline, a->mde, a->stat.alpha, a->power, 2, 0 };
	struct plan_result r;
	double daily = a->daily;
	enum brain_status status;
	cJSON *line;

	if (!(a->mde != 0))
		return diag_error(BRAIN_USAGE, "'plan' needs --mde=LIFT (relative: 0.2 for +20 %%)");
	if (a->plan_arms > 0)
		in.arms = a->plan_arms;
	if ((!(a->baseline > 0) || (a->kind && !(a->daily > 0))) &&
	    (status = from_state(cli, a, &in, &daily)))
		return status;
	if (a->stat_given & AB_GIVEN_TUNING)
		in.tuning = a->stat.tuning;
	if (plan_compute(&in, &r))
		return diag_error(BRAIN_USAGE, "no plan for baseline %g and lift %g: the target "
				  "rate %g must lie in (0, 1) and differ from the baseline",
				  in.baseline, in.mde, in.baseline * (1 + in.mde));
	if (cli->format == CLI_FORMAT_TEXT) {
		plan_sentence(&in, &r, daily);
		return fflush(stdout) ? diag_errno(BRAIN_IO, errno, "cannot write") : BRAIN_OK;
	}
	line = plan_line(&in, &r, daily);
	status = jsonl_write(stdout, line);
	cJSON_Delete(line);
	return status;
}
