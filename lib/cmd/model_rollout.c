/* model_rollout.c - stepped canaries of brain-model: analysis and
 * routing; see model_rollout.h. */
#include <stdlib.h>
#include <string.h>

#include "cmd/canary_print.h"
#include "cmd/command.h"
#include "cmd/model_open.h"
#include "cmd/model_rollout.h"
#include "core/canary_analysis.h"
#include "core/clock.h"
#include "core/jsonl.h"
#include "diag.h"
#include "pure/json.h"
#include "pure/rollout.h"
#include "banned.h"

/* The steps, comma-separated ("10,25,50,100"). */
static void steps_text(const struct model *m, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < m->nsteps && used < size; i++) {
		char n[32];

		json_number_text(m->steps[i], n);
		used += (size_t)snprintf(out + used, size - used, "%s%s", i ? "," : "", n);
	}
}

enum brain_status model_rollout_start(struct model *m, struct version *v, const double *steps,
				      size_t nsteps, double weight, char *reason, size_t size)
{
	char text[ROLLOUT_STEPS_MAX * 24];
	enum brain_status status;
	time_t now;

	if (nsteps && (status = clock_now(&now)))
		return status;
	if (nsteps && !*m->serving)
		return diag_error(BRAIN_NO, "a stepped canary is judged against the serving "
				  "version, and model '%s' has none", m->id);
	if (!strcmp(m->serving, v->id))
		return diag_error(BRAIN_NO, "%s is serving: a canary is a version that does not "
				  "serve yet", v->id);
	model_store_end_canary(m);
	snprintf(v->state, sizeof(v->state), "canary");
	snprintf(m->canary, sizeof(m->canary), "%s", v->id);
	if (!nsteps) {
		m->canary_weight = weight;
		snprintf(reason, size, "serving %g of traffic until promoted or aborted", weight);
		return BRAIN_OK;
	}
	memcpy(m->steps, steps, nsteps * sizeof(*steps));
	m->nsteps = nsteps;
	m->canary_weight = steps[0] / 100;
	time_text_format(now, m->step_started);
	steps_text(m, text, sizeof(text));
	snprintf(reason, size, "serving %g of traffic, stepped through %s %% by 'brain-model "
		 "analyze'", m->canary_weight, text);
	return BRAIN_OK;
}

static cJSON *steps_json(const struct model *m)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < m->nsteps; i++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber(m->steps[i]));
	return a;
}

void model_rollout_update_fields(cJSON *line, const struct model *m)
{
	if (!*m->canary)
		return;
	cJSON_AddNumberToObject(line, "canary_weight", m->canary_weight);
	if (!m->nsteps)
		return;
	cJSON_AddNumberToObject(line, "step", (double)(m->step + 1));
	cJSON_AddItemToObject(line, "steps", steps_json(m));
}

void model_rollout_print_canary(const struct model *m, FILE *out)
{
	char text[ROLLOUT_STEPS_MAX * 24];

	if (!*m->canary)
		return;
	fprintf(out, ", canary %s at weight %g", m->canary, m->canary_weight);
	if (!m->nsteps)
		return;
	steps_text(m, text, sizeof(text));
	fprintf(out, " (step %zu of %zu: %s %%; failed analyses: %zu)", m->step + 1, m->nsteps,
		text, m->failures);
}

void model_rollout_history_fields(cJSON *o, const cJSON *details)
{
	static const char *const fields[] = { "canary_weight", "step", "next_step",
					      "next_canary_weight" };

	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(details, fields[i]);

		if (cJSON_IsNumber(f) || cJSON_IsNull(f))
			cJSON_AddItemToObject(o, fields[i], cJSON_Duplicate(f, 0));
	}
}

/* Which counts an outcome of version text adds to (canary_side_fn):
 * the serving version's, the canary's, or none (another model's, or
 * another version of this one).  A version of this model that does not
 * exist is an error. */
static struct rollout_counts *outcome_side(void *arg, struct rollout_counts *serving,
					   struct rollout_counts *canary, const char *text,
					   const struct json_loc *loc, enum brain_status *status)
{
	struct model *m = arg;
	size_t n = strlen(m->id);
	const struct version *v;

	*status = BRAIN_OK;
	if (strncmp(text, m->id, n) || text[n] != '@')
		return NULL;
	if (!(v = model_store_resolve(m, text))) {
		*status = diag_error_at(BRAIN_DATA, loc->file, loc->line, "model '%s' has no "
					"version '%s'", m->id, text);
		return NULL;
	}
	if (!strcmp(v->id, m->serving))
		return serving;
	return strcmp(v->id, m->canary) ? NULL : canary;
}

/* Do the decision to m: a new step begins now (now_text). */
static void apply_decision(const struct canary_analysis *a, struct model *m,
			   const char *now_text)
{
	struct version *canary = model_store_find_version(m, a->canary);

	if (a->d == ROLLOUT_ADVANCE) {
		m->step = a->next_step;
		m->canary_weight = a->next_weight;
		snprintf(m->step_started, sizeof(m->step_started), "%s", now_text);
	} else if (a->d == ROLLOUT_PROMOTE) {
		model_store_serve(m, canary);
	} else if (a->d == ROLLOUT_FAILED) {
		m->failures = a->failures;
	} else if (a->d == ROLLOUT_ABORT) {
		snprintf(canary->state, sizeof(canary->state), "aborted");
		model_store_end_canary(m);
	}
}

/* The model can be analysed: a stepped canary runs against a serving
 * version. */
static enum brain_status analysis_begin(struct canary_analysis *a, struct model *m)
{
	if (!*m->canary || !m->nsteps)
		return diag_error(BRAIN_NO, "model '%s' has no stepped canary running (start one "
				  "with 'update --strategy=canary --steps=...')", m->id);
	if (!*m->serving)
		return diag_error(BRAIN_NO, "model '%s' has no serving version to judge the canary "
				  "against", m->id);
	snprintf(a->serving, sizeof(a->serving), "%s", m->serving);
	snprintf(a->canary, sizeof(a->canary), "%s", m->canary);
	memcpy(a->steps, m->steps, sizeof(a->steps));
	a->nsteps = m->nsteps;
	a->step = m->step;
	a->weight = m->canary_weight;
	a->failures = m->failures;
	a->o.side = outcome_side;
	a->o.arg = m;
	return BRAIN_OK;
}

/* Judge the step from the outcomes of file, and decide. */
static enum brain_status analysis_run(struct canary_analysis *a, struct state *st,
				      struct model *m, const struct model_rollout_args *r)
{
	enum brain_status status;
	char now_text[TIME_TEXT_SIZE];
	time_t now;

	if ((status = analysis_begin(a, m)) ||
	    (status = canary_analysis_policy(st->dirfd, r->analysis, &a->p)) ||
	    (status = canary_analysis_window(a, r->since, m->step_started)) ||
	    (status = clock_now(&now)) ||
	    (status = canary_analysis_run(a, r->file)))
		return status;
	time_text_format(now, now_text);
	apply_decision(a, m, now_text);
	return BRAIN_OK;
}

enum brain_status model_rollout_analyze(const struct cli *cli, const char *model,
					const struct model_rollout_args *r)
{
	struct canary_analysis *a = xcalloc(1, sizeof(*a));
	struct state st;
	struct model m;
	enum brain_status status;
	long number;
	cJSON *line = NULL;

	if ((status = model_open(cli, model, 1, &st, &m, &number))) {
		free(a);
		return status;
	}
	if (!(status = analysis_run(a, &st, &m, r))) {
		line = canary_analysis_line(a, "model_id", m.id, m.serving);
		/* Every analysis is recorded, a hold too: the trail shows each look. */
		if (!cli->dry_run)
			status = model_store_save(&st, &m, "model.analyze", line, cli->reason);
	}
	state_close(&st);
	if (!status && cli->format == CLI_FORMAT_TEXT)
		canary_print_text(a, stdout);
	else if (!status)
		status = jsonl_write(stdout, line);
	if (!status && a->d != ROLLOUT_ADVANCE && a->d != ROLLOUT_PROMOTE)
		status = BRAIN_NO;
	cJSON_Delete(line);
	model_store_free(&m);
	free(a);
	return status;
}

/* Route one unit: the canary when its bucket (the canary's version id
 * as the seed) is under the weight, else the serving version. */
struct route {
	struct output out;    /* where the lines go */
	const struct model *m; /* the model routed */
};

static enum brain_status route_one(void *arg, const char *unit)
{
	struct route *route = arg;
	const struct model *m = route->m;
	double bucket = 0;
	int canary = *m->canary && rollout_route(m->canary, unit, m->canary_weight, &bucket);
	const char *version = canary ? m->canary : m->serving;
	const char *role = canary ? "canary" : *version ? "serving" : "none";
	cJSON *o = cJSON_CreateObject();
	char b[32] = "-", w[32];
	enum brain_status status;

	cJSON_AddStringToObject(o, "model_id", m->id);
	cJSON_AddStringToObject(o, "unit", unit);
	cJSON_AddItemToObject(o, "version_id", *version ? cJSON_CreateString(version)
							: cJSON_CreateNull());
	cJSON_AddStringToObject(o, "role", role);
	if (*m->canary) {
		cJSON_AddNumberToObject(o, "bucket", bucket);
		json_number_text(bucket, b);
	} else {
		cJSON_AddNullToObject(o, "bucket");
	}
	cJSON_AddNumberToObject(o, "canary_weight", m->canary_weight);
	json_number_text(m->canary_weight, w);
	status = output_record(&route->out, o, (const char *[]){ unit, *version ? version : "-", role, b,
							 w });
	cJSON_Delete(o);
	return status;
}

enum brain_status model_rollout_route(const struct cli *cli, const char *model,
				      const char *unit)
{
	struct state st;
	struct model m;
	struct route route;
	enum brain_status status;
	long number;

	if (strcmp(unit, "-") && !canary_unit_valid(unit, strlen(unit)))
		return diag_error(BRAIN_DATA, "a unit id is 1 to 1024 bytes of UTF-8 without "
				  "control characters");
	if ((status = model_open(cli, model, 0, &st, &m, &number)))
		return status;
	state_close(&st);
	if (!*m.serving && !*m.canary) {
		status = diag_error(BRAIN_NO, "model '%s' has no serving version and no canary: "
				    "nothing serves a unit", m.id);
		model_store_free(&m);
		return status;
	}
	route.m = &m;
	output_begin(&route.out, cli, 5, (const char *[]){ "UNIT", "VERSION", "ROLE", "BUCKET",
						     "CANARY WEIGHT" });
	status = canary_each_unit(unit, route_one, &route);
	if (output_end(&route.out) && !status)
		status = BRAIN_IO;
	model_store_free(&m);
	return status;
}
