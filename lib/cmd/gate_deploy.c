/* gate_deploy.c - stepped deployments of a clone: deploy, analyze and
 * route; see gate_deploy.h. */
#include <stdlib.h>
#include <string.h>

#include "cmd/canary_print.h"
#include "cmd/command.h"
#include "cmd/gate_deploy.h"
#include "cmd/render.h"
#include "core/canary_analysis.h"
#include "core/clock.h"
#include "core/clone_store.h"
#include "core/jsonl.h"
#include "diag.h"
#include "pure/ident.h"
#include "pure/json.h"
#include "banned.h"

/* A baseline: a clone id, or an id and a version after '@'
 * ("sales-agent@3"). */
static int baseline_valid(const char *text)
{
	char copy[CANARY_ID_SIZE], *at;

	if (strlen(text) >= sizeof(copy))
		return 0;
	snprintf(copy, sizeof(copy), "%s", text);
	if ((at = strchr(copy, '@')))
		*at++ = '\0';
	return ident_valid(copy) && (!at || ident_valid(at));
}

/* What the new deployment of id is judged against: given, else the clone
 * serving.  None, another deployment running, or id serving already is
 * BRAIN_NO (reported). */
static enum brain_status deploy_baseline(const struct clone_deployment *all, size_t n,
					 const char *id, const char *given, char *out,
					 size_t size)
{
	const char *serving = NULL;

	for (size_t i = 0; i < n; i++) {
		if (!strcmp(all[i].state, "canary"))
			return diag_error(BRAIN_NO, "clone '%s' is being deployed (step %zu of %zu): "
					  "one deployment at a time; analyze it to its end first",
					  all[i].clone, all[i].step + 1, all[i].nsteps);
		if (!strcmp(all[i].state, "serving"))
			serving = all[i].clone;
	}
	if (serving && !strcmp(serving, id))
		return diag_error(BRAIN_NO, "clone '%s' serves already", id);
	if (!given && !serving)
		return diag_error(BRAIN_NO, "a stepped deployment is judged against a baseline, and "
				  "no clone serves: give --baseline=CLONE_OR_VERSION");
	if (given && !strcmp(given, id))
		return diag_error(BRAIN_USAGE, "--baseline is the clone deployed: a clone is not "
				  "judged against itself");
	snprintf(out, size, "%s", given ? given : serving);
	return BRAIN_OK;
}

/* The names of the gates a decision failed, ", "-separated. */
static void failed_text(const cJSON *details, char *buf, size_t size)
{
	const cJSON *g;
	size_t len = 0;

	buf[0] = '\0';
	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(details, "failed"))
		if (cJSON_IsString(g) && len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
						g->valuestring);
}

/* The new deployment of id, at its first step from now. */
static void deployment_new(struct clone_deployment *d, const char *id, const char *baseline,
			   const struct gate_args *a, const char *now_text)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->clone, sizeof(d->clone), "%s", id);
	snprintf(d->baseline, sizeof(d->baseline), "%s", baseline);
	memcpy(d->steps, a->steps, a->nsteps * sizeof(*a->steps));
	d->nsteps = a->nsteps;
	d->weight = d->steps[0] / 100;
	snprintf(d->state, sizeof(d->state), "canary");
	snprintf(d->started_at, sizeof(d->started_at), "%s", now_text);
	snprintf(d->step_started_at, sizeof(d->step_started_at), "%s", now_text);
}

/* The line of a deployment begun (caller deletes): what is stored, the
 * action and the gate decision that let it begin. */
static cJSON *deploy_line(const struct clone_deployment *d, const cJSON *gate)
{
	cJSON *o = cJSON_CreateObject(), *stored = clone_store_deployment_json(d), *item;

	cJSON_AddStringToObject(o, "clone", d->clone);
	cJSON_AddStringToObject(o, "action", "DEPLOYING");
	cJSON_ArrayForEach(item, stored)
		if (strcmp(item->string, "clone"))
			cJSON_AddItemToObject(o, item->string, cJSON_Duplicate(item, 1));
	cJSON_AddItemToObject(o, "decision", cJSON_Duplicate(
		cJSON_GetObjectItemCaseSensitive(gate, "decision"), 0));
	cJSON_AddItemToObject(o, "policy_hash", cJSON_Duplicate(
		cJSON_GetObjectItemCaseSensitive(gate, "policy_hash"), 0));
	cJSON_Delete(stored);
	return o;
}

/* Begin deploying id in the open state st: the baseline, the gates, the
 * change (unless --dry-run); the line in *line. */
static enum brain_status deploy_in(const struct cli *cli, struct state *st,
				   const struct gate_args *a, const char *id, time_t now,
				   cJSON **line)
{
	struct clone_deployment *all = NULL, d;
	size_t n = 0;
	enum brain_status status;
	char baseline[CANARY_ID_SIZE], now_text[TIME_TEXT_SIZE], failed[256];
	cJSON *gate = NULL;
	int promote = 0;

	time_text_format(now, now_text);
	if ((status = clone_store_deployments(st, &all, &n)) ||
	    (status = deploy_baseline(all, n, id, a->baseline, baseline, sizeof(baseline))) ||
	    (status = gate_cmd_evaluate(st, a, id, now, &promote, &gate)))
		goto out;
	if (!promote) {
		failed_text(gate, failed, sizeof(failed));
		status = diag_error(BRAIN_NO, "clone '%s' is blocked by its gates (failed: %s): not "
				    "deployed (see 'brain-gate %s')", id, failed, id);
		goto out;
	}
	deployment_new(&d, id, baseline, a, now_text);
	*line = deploy_line(&d, gate);
	if (!cli->dry_run) {
		cJSON *details = cJSON_Duplicate(*line, 1);
		struct audit_event ev = { id, "gate.deploy", "DEPLOYING", details, cli->reason, NULL };

		cJSON_AddItemToObject(details, "gate", cJSON_Duplicate(gate, 1));
		status = clone_store_save_deployments(st, &d, 1, &ev);
		cJSON_Delete(details);
	}
out:
	cJSON_Delete(gate);
	free(all);
	return status;
}

/* deploy --format=text (cmd/text_form.h). */
static const struct text_form deploy_form = {
	"Clone {clone}: {action} against {baseline}, step {step} at weight {weight}",
	(const struct text_field[]){ { "steps (%)", "steps" }, { "state", "state" },
				     { "failed analyses", "failures" },
				     { "started at", "started_at" },
				     { "step started at", "step_started_at" },
				     { "gate decision", "decision" },
				     { "policy hash", "policy_hash" }, { NULL, NULL } },
	0, NULL
};

enum brain_status gate_deploy_start(const struct cli *cli, const struct gate_args *a,
				    const char *clone)
{
	struct state st;
	enum brain_status status;
	char id[IDENT_MAX + 1];
	cJSON *line = NULL;
	time_t now;

	if (!a->nsteps)
		return diag_error(BRAIN_USAGE, "'deploy' needs --steps=P,P,...,100 (10,25,50,100)");
	if (a->baseline && !baseline_valid(a->baseline))
		return diag_error(BRAIN_USAGE, "option '--baseline' needs a clone id or ID@VERSION, "
				  "not '%s'", a->baseline);
	if ((status = ident_from_name(clone, "clone name", id)) || (status = clock_now(&now)) ||
	    (status = command_open_state(cli, &st)))
		return status;
	status = deploy_in(cli, &st, a, id, now, &line);
	state_close(&st);
	render_form(&deploy_form);
	if (!status)
		status = jsonl_write(stdout, line);
	cJSON_Delete(line);
	return status;
}

/* The deployment of id that runs (BRAIN_NO, reported, when none). */
static enum brain_status running_deployment(int dirfd, const char *id, struct clone_deployment *d)
{
	enum brain_status status = clone_store_load_deployment(dirfd, id, d);

	if (status == BRAIN_NO)
		return diag_error(BRAIN_NO, "clone '%s' has no deployment (start one with "
				  "'brain-gate deploy %s --steps=...')", id, id);
	if (!status && strcmp(d->state, "canary"))
		return diag_error(BRAIN_NO, "the deployment of clone '%s' is not running: its state "
				  "is %s", id, d->state);
	return status;
}

/* Which counts an outcome of version adds to (canary_side_fn): the
 * baseline's, the clone's, or none. */
static struct rollout_counts *outcome_side(void *arg, struct rollout_counts *serving,
					   struct rollout_counts *canary, const char *version,
					   const struct json_loc *loc, enum brain_status *status)
{
	const struct clone_deployment *d = arg;

	(void)loc;
	*status = BRAIN_OK;
	if (!strcmp(version, d->baseline))
		return serving;
	return strcmp(version, d->clone) ? NULL : canary;
}

/* An analysis of deployment d (borrowed by it). */
static void analysis_begin(struct canary_analysis *an, struct clone_deployment *d)
{
	snprintf(an->serving, sizeof(an->serving), "%s", d->baseline);
	snprintf(an->canary, sizeof(an->canary), "%s", d->clone);
	memcpy(an->steps, d->steps, sizeof(an->steps));
	an->nsteps = d->nsteps;
	an->step = d->step;
	an->weight = d->weight;
	an->failures = d->failures;
	an->o.side = outcome_side;
	an->o.arg = d;
}

/* Apply the decision to d[0]; a promotion retires the clone that served
 * (the baseline, when it is a clone serving), d[1]: *n files change. */
static void apply_decision(const struct canary_analysis *an, struct state *st,
			   struct clone_deployment d[2], size_t *n, const char *now_text)
{
	*n = 1;
	d[0].weight = an->next_weight;
	d[0].failures = an->failures;
	if (an->d == ROLLOUT_ADVANCE) {
		d[0].step = an->next_step;
		snprintf(d[0].step_started_at, sizeof(d[0].step_started_at), "%s", now_text);
	} else if (an->d == ROLLOUT_PROMOTE) {
		snprintf(d[0].state, sizeof(d[0].state), "serving");
		if (ident_valid(d[0].baseline) &&
		    !clone_store_load_deployment(st->dirfd, d[0].baseline, &d[1]) &&
		    !strcmp(d[1].state, "serving")) {
			snprintf(d[1].state, sizeof(d[1].state), "retired");
			d[1].weight = 0;
			*n = 2;
		}
	} else if (an->d == ROLLOUT_ABORT) {
		snprintf(d[0].state, sizeof(d[0].state), "aborted");
	}
}

/* The details of the record that retires the clone d served (by the
 * clone id promoted over it). */
static cJSON *retire_details(const struct clone_deployment *d, const char *id)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "clone", d->clone);
	cJSON_AddStringToObject(o, "action", "RETIRED");
	cJSON_AddStringToObject(o, "state", d->state);
	cJSON_AddStringToObject(o, "serving", id);
	return o;
}

/* Judge the step of id's deployment and decide; the line in *line. */
static enum brain_status analyze_in(const struct cli *cli, struct state *st,
				    const struct gate_args *a, const char *id,
				    const char *file, struct canary_analysis *an, cJSON **line)
{
	struct clone_deployment d[2];
	enum brain_status status;
	char now_text[TIME_TEXT_SIZE];
	size_t n;
	time_t now;

	if ((status = running_deployment(st->dirfd, id, &d[0])))
		return status;
	analysis_begin(an, &d[0]);
	if ((status = canary_analysis_policy(st->dirfd, a->analysis, &an->p)) ||
	    (status = canary_analysis_window(an, a->since, d[0].step_started_at)) ||
	    (status = clock_now(&now)) || (status = canary_analysis_run(an, file)))
		return status;
	time_text_format(now, now_text);
	apply_decision(an, st, d, &n, now_text);
	*line = canary_analysis_line(an, "clone", id,
				     an->d == ROLLOUT_PROMOTE ? d[0].clone : d[0].baseline);
	if (!cli->dry_run) {
		/* Every analysis is recorded, a hold too: the trail shows each look. */
		cJSON *retired = retire_details(&d[1], id);
		struct audit_event ev[2] = {
			{ id, "gate.analyze", canary_action_name(an->d), *line, cli->reason, NULL },
			{ d[1].clone, "gate.retire", "RETIRED", retired, cli->reason, NULL } };

		status = clone_store_save_deployments(st, d, n, ev);
		cJSON_Delete(retired);
	}
	return status;
}

enum brain_status gate_deploy_analyze(const struct cli *cli, const struct gate_args *a,
				      const char *clone, const char *file)
{
	struct canary_analysis *an = xcalloc(1, sizeof(*an));
	struct state st;
	enum brain_status status;
	char id[IDENT_MAX + 1];
	cJSON *line = NULL;

	if ((status = ident_from_name(clone, "clone name", id)) ||
	    (status = command_open_state(cli, &st))) {
		free(an);
		return status;
	}
	status = analyze_in(cli, &st, a, id, file, an, &line);
	state_close(&st);
	if (!status && cli->format == CLI_FORMAT_TEXT)
		canary_print_text(an, stdout);
	else if (!status)
		status = jsonl_write(stdout, line);
	if (!status && an->d != ROLLOUT_ADVANCE && an->d != ROLLOUT_PROMOTE)
		status = BRAIN_NO;
	cJSON_Delete(line);
	free(an);
	return status;
}

struct route {
	struct output out;                /* where the lines go */
	const struct clone_deployment *d; /* the deployment routed */
};

/* Route one unit: the clone while its bucket (the clone id as the seed)
 * is under the weight, else the baseline. */
static enum brain_status route_one(void *arg, const char *unit)
{
	struct route *r = arg;
	const struct clone_deployment *d = r->d;
	double bucket = 0;
	int in = rollout_route(d->clone, unit, d->weight, &bucket);
	const char *serves = in ? d->clone : d->baseline;
	const char *role = !in ? "baseline" : strcmp(d->state, "serving") ? "canary" : "serving";
	cJSON *o = cJSON_CreateObject();
	char b[32], w[32];
	enum brain_status status;

	cJSON_AddStringToObject(o, "clone", d->clone);
	cJSON_AddStringToObject(o, "unit", unit);
	cJSON_AddStringToObject(o, "serves", serves);
	cJSON_AddStringToObject(o, "role", role);
	cJSON_AddNumberToObject(o, "bucket", bucket);
	cJSON_AddNumberToObject(o, "weight", d->weight);
	cJSON_AddStringToObject(o, "state", d->state);
	json_number_text(bucket, b);
	json_number_text(d->weight, w);
	status = output_record(&r->out, o, (const char *[]){ unit, serves, role, b, w });
	cJSON_Delete(o);
	return status;
}

enum brain_status gate_deploy_route(const struct cli *cli, const char *clone, const char *unit)
{
	struct clone_deployment d;
	struct state st;
	struct route r;
	enum brain_status status;
	char id[IDENT_MAX + 1];

	if (strcmp(unit, "-") && !canary_unit_valid(unit, strlen(unit)))
		return diag_error(BRAIN_DATA, "a unit id is 1 to 1024 bytes of UTF-8 without "
				  "control characters");
	if ((status = ident_from_name(clone, "clone name", id)) ||
	    (status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	status = clone_store_load_deployment(st.dirfd, id, &d);
	state_close(&st);
	if (status == BRAIN_NO)
		return diag_error(BRAIN_NO, "clone '%s' has no deployment: nothing to route", id);
	if (!status && !strcmp(d.state, "retired"))
		return diag_error(BRAIN_NO, "clone '%s' is retired: another clone serves since", id);
	if (status)
		return status;
	r.d = &d;
	output_begin(&r.out, cli, 5, (const char *[]){ "UNIT", "SERVES", "ROLE", "BUCKET",
						       "WEIGHT" });
	status = canary_each_unit(unit, route_one, &r);
	if (output_end(&r.out) && !status)
		status = BRAIN_IO;
	return status;
}
