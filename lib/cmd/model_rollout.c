/* model_rollout.c - stepped canaries of brain-model: analysis and
 * routing; see model_rollout.h. */
#include <stdlib.h>
#include <string.h>

#include "cmd/command.h"
#include "cmd/model_open.h"
#include "cmd/model_rollout.h"
#include "cmd/table.h"
#include "core/jsonl.h"
#include "diag.h"
#include "pure/json.h"
#include "pure/rollout.h"
#include "banned.h"

/* What each decision does, as the line's action. */
static const char *const actions[] = { "ADVANCED", "PROMOTED", "HELD", "FAILED", "ABORTED" };

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

/* The outcomes an analysis reads, per condition of the policy. */
struct outcomes {
	const struct rollout_policy *p;                         /* the conditions */
	struct model *m;                                        /* the model */
	struct rollout_counts serving[ROLLOUT_CONDITIONS_MAX];  /* the serving version's */
	struct rollout_counts canary[ROLLOUT_CONDITIONS_MAX];   /* the canary's */
	double read, counted;                                   /* lines */
};

/* The counts of one outcome line: successes and trials, or one value. */
static enum brain_status outcome_counts(const cJSON *rec, const struct json_loc *loc,
					struct rollout_counts *c)
{
	const int64_t max = (int64_t)ROLLOUT_SAMPLES_MAX;
	int64_t successes = -1, trials = -1, value = -1;
	enum brain_status status;

	if ((status = json_get_int(rec, "successes", JSON_OPTIONAL, loc, 0, max, &successes)) ||
	    (status = json_get_int(rec, "trials", JSON_OPTIONAL, loc, 0, max, &trials)) ||
	    (status = json_get_int(rec, "value", JSON_OPTIONAL, loc, 0, 1, &value)))
		return status;
	if (value >= 0 && (successes >= 0 || trials >= 0))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line, "an outcome gives "
				     "'successes' and 'trials', or one 'value', not both");
	if (value >= 0) {
		c->successes = (double)value;
		c->trials = 1;
		return BRAIN_OK;
	}
	if (successes < 0 || trials < 0)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line, "an outcome needs "
				     "'successes' and 'trials', or a 'value' of 0 or 1");
	if (successes > trials)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line, "field 'successes' (%lld) "
				     "must not exceed 'trials' (%lld)", (long long)successes,
				     (long long)trials);
	c->successes = (double)successes;
	c->trials = (double)trials;
	return BRAIN_OK;
}

/* Which counts of condition i the version text adds to: the serving
 * version's, the canary's, or none (NULL: another model's, or another
 * version of this one).  A version of this model that does not exist is
 * an error (*status, reported). */
static struct rollout_counts *outcome_side(struct outcomes *o, size_t i, const char *text,
					   const struct json_loc *loc, enum brain_status *status)
{
	size_t n = strlen(o->m->id);
	const struct version *v;

	*status = BRAIN_OK;
	if (strncmp(text, o->m->id, n) || text[n] != '@')
		return NULL;
	if (!(v = model_store_resolve(o->m, text))) {
		*status = diag_error_at(BRAIN_DATA, loc->file, loc->line, "model '%s' has no "
					"version '%s'", o->m->id, text);
		return NULL;
	}
	if (!strcmp(v->id, o->m->serving))
		return &o->serving[i];
	return strcmp(v->id, o->m->canary) ? NULL : &o->canary[i];
}

/* Add one outcome line to the counts of every condition on its metric. */
static enum brain_status outcome_line(struct outcomes *o, const cJSON *rec,
				      const struct json_loc *loc)
{
	struct rollout_counts c = { 0, 0 }, *sum;
	enum brain_status status;
	const char *version, *metric;
	int counted = 0;

	if ((status = json_get_string(rec, "version", JSON_REQUIRED, loc, &version)) ||
	    (status = json_get_string(rec, "metric", JSON_REQUIRED, loc, &metric)) ||
	    (status = outcome_counts(rec, loc, &c)))
		return status;
	o->read++;
	for (size_t i = 0; i < o->p->n; i++) {
		if (strcmp(metric, o->p->condition[i].metric))
			continue;
		sum = outcome_side(o, i, version, loc, &status);
		if (status)
			return status;
		if (!sum)
			continue;
		if (sum->trials + c.trials > ROLLOUT_SAMPLES_MAX)
			return diag_error_at(BRAIN_DATA, loc->file, loc->line, "the trials of %s "
					     "add up to more than 2^53", version);
		sum->successes += c.successes;
		sum->trials += c.trials;
		counted = 1;
	}
	o->counted += counted;
	return BRAIN_OK;
}

/* Read the outcome lines of path (NULL or "-": stdin) into o. */
static enum brain_status read_outcomes(const char *path, struct outcomes *o)
{
	struct jsonl_reader r;
	enum brain_status status;
	cJSON *rec;
	int rc;

	if ((status = jsonl_open(&r, path, 0)))
		return status;
	while ((rc = jsonl_next(&r, &rec)) != JSONL_EOF) {
		struct json_loc loc = jsonl_where(&r);

		if (rc) {
			status = (enum brain_status)rc;
			break;
		}
		status = outcome_line(o, rec, &loc);
		cJSON_Delete(rec);
		if (status)
			break;
	}
	jsonl_close(&r);
	return status;
}

/* An analysis under way. */
struct analysis {
	struct rollout_policy p;                         /* the conditions */
	struct outcomes o;                               /* what was counted */
	struct rollout_evidence e[ROLLOUT_CONDITIONS_MAX]; /* what each condition found */
	enum rollout_result result;                      /* all of them as one */
	enum rollout_decision d;                         /* what follows */
	char serving[VID_SIZE], canary[VID_SIZE];        /* the versions judged */
	double steps[ROLLOUT_STEPS_MAX];                 /* the canary's steps */
	size_t nsteps;                                   /* how many */
	size_t step;                                     /* the step judged, 0-based */
	size_t next_step;                                /* the step after, 0-based */
	double weight, next_weight;                      /* the canary's weight then and after */
	size_t failures;                                 /* failed analyses, this one included */
	char reason[512];                                /* the decision in a sentence */
};

static cJSON *counts_json(const char *version, const struct rollout_counts *c)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "version_id", version);
	cJSON_AddNumberToObject(o, "successes", c->successes);
	cJSON_AddNumberToObject(o, "trials", c->trials);
	if (c->trials > 0)
		cJSON_AddNumberToObject(o, "rate", c->successes / c->trials);
	else
		cJSON_AddNullToObject(o, "rate");
	return o;
}

/* Condition i's evidence: what was asked, what was counted, what the
 * interval says. */
static cJSON *evidence_json(const struct analysis *a, size_t i)
{
	const struct rollout_condition *c = &a->p.condition[i];
	const struct rollout_evidence *e = &a->e[i];
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "metric", c->metric);
	cJSON_AddStringToObject(o, "comparison", rollout_comparison_name(c->comparison));
	cJSON_AddNumberToObject(o, "threshold", c->threshold);
	cJSON_AddNumberToObject(o, "min_samples", c->min_samples);
	cJSON_AddItemToObject(o, "serving", counts_json(a->serving, &a->o.serving[i]));
	cJSON_AddItemToObject(o, "canary", counts_json(a->canary, &a->o.canary[i]));
	if (e->has_interval) {
		cJSON_AddNumberToObject(o, "estimate", e->estimate);
		cJSON_AddNumberToObject(o, "low", e->low);
		cJSON_AddNumberToObject(o, "high", e->high);
	} else {
		cJSON_AddNullToObject(o, "estimate");
		cJSON_AddNullToObject(o, "low");
		cJSON_AddNullToObject(o, "high");
	}
	cJSON_AddNumberToObject(o, "bound", e->bound);
	cJSON_AddStringToObject(o, "result", rollout_result_name(e->result));
	cJSON_AddStringToObject(o, "why", e->why);
	return o;
}

/* The first condition whose result is the analysis' (the one a hold or
 * a failure is explained by). */
static size_t first_with_result(const struct analysis *a)
{
	for (size_t i = 0; i < a->p.n; i++)
		if (a->e[i].result == a->result)
			return i;
	return 0;
}

/* Say why in a->reason. */
static void analysis_reason(struct analysis *a)
{
	size_t i = first_with_result(a);
	const char *metric = a->p.condition[i].metric, *why = a->e[i].why;
	double at = a->steps[a->step];
	char *r = a->reason;
	size_t n = sizeof(a->reason);

	if (a->d == ROLLOUT_ADVANCE)
		snprintf(r, n, "every condition passed at %g %%: on to %g %%", at,
			 a->steps[a->next_step]);
	else if (a->d == ROLLOUT_PROMOTE)
		snprintf(r, n, "every condition passed at %g %%: %s serves all traffic", at,
			 a->canary);
	else if (a->d == ROLLOUT_HOLD && !a->e[i].has_interval)
		snprintf(r, n, "%s at %g %%: %s (serving %.0f, canary %.0f trials; %.0f each "
			 "needed): held at this step", metric, at, why, a->o.serving[i].trials,
			 a->o.canary[i].trials, a->p.condition[i].min_samples);
	else if (a->d == ROLLOUT_HOLD)
		snprintf(r, n, "%s at %g %%: %s: held at this step", metric, at, why);
	else if (a->d == ROLLOUT_FAILED)
		snprintf(r, n, "%s at %g %%: %s: failed analysis %zu of %zu, held at this step",
			 metric, at, why, a->failures, a->p.failure_limit);
	else
		snprintf(r, n, "%s at %g %%: %s: failed analysis %zu of %zu, the canary is aborted "
			 "and %s serves all traffic", metric, at, why, a->failures,
			 a->p.failure_limit, a->serving);
}

/* Do the decision to m. */
static void apply_decision(struct analysis *a, struct model *m)
{
	struct version *canary = model_store_find_version(m, a->canary);

	a->next_step = a->step;
	a->next_weight = a->weight;
	a->failures = m->failures + (a->d == ROLLOUT_FAILED || a->d == ROLLOUT_ABORT);
	if (a->d == ROLLOUT_ADVANCE) {
		a->next_step = ++m->step;
		a->next_weight = m->canary_weight = m->steps[m->step] / 100;
	} else if (a->d == ROLLOUT_PROMOTE) {
		a->next_weight = 1;
		model_store_serve(m, canary);
	} else if (a->d == ROLLOUT_FAILED) {
		m->failures = a->failures;
	} else if (a->d == ROLLOUT_ABORT) {
		a->next_weight = 0;
		snprintf(canary->state, sizeof(canary->state), "aborted");
		model_store_end_canary(m);
	}
	analysis_reason(a);
}

/* The line of an analysis (and its audit record's details), after the
 * decision was applied to m. */
static cJSON *analysis_line(const struct analysis *a, const struct model *m)
{
	cJSON *o = cJSON_CreateObject(), *conditions = cJSON_CreateArray(), *steps;
	int ended = a->d == ROLLOUT_PROMOTE || a->d == ROLLOUT_ABORT;
	int aborted = a->d == ROLLOUT_ABORT;

	cJSON_AddStringToObject(o, "model_id", m->id);
	cJSON_AddStringToObject(o, "action", actions[a->d]);
	cJSON_AddStringToObject(o, "canary", a->canary);
	cJSON_AddStringToObject(o, "serving_version_id", m->serving);
	cJSON_AddStringToObject(o, "from", aborted ? a->canary : a->serving);
	cJSON_AddStringToObject(o, "to", aborted ? a->serving : a->canary);
	cJSON_AddNumberToObject(o, "step", (double)(a->step + 1));
	steps = cJSON_AddArrayToObject(o, "steps");
	for (size_t i = 0; i < a->nsteps; i++)
		cJSON_AddItemToArray(steps, cJSON_CreateNumber(a->steps[i]));
	cJSON_AddNumberToObject(o, "canary_weight", a->weight);
	if (ended)
		cJSON_AddNullToObject(o, "next_step");
	else
		cJSON_AddNumberToObject(o, "next_step", (double)(a->next_step + 1));
	cJSON_AddNumberToObject(o, "next_canary_weight", a->next_weight);
	cJSON_AddStringToObject(o, "result", rollout_result_name(a->result));
	cJSON_AddNumberToObject(o, "failures", (double)a->failures);
	cJSON_AddNumberToObject(o, "failure_limit", (double)a->p.failure_limit);
	cJSON_AddNumberToObject(o, "confidence", a->p.confidence);
	cJSON_AddNumberToObject(o, "lines_read", a->o.read);
	cJSON_AddNumberToObject(o, "lines_counted", a->o.counted);
	for (size_t i = 0; i < a->p.n; i++)
		cJSON_AddItemToArray(conditions, evidence_json(a, i));
	cJSON_AddItemToObject(o, "conditions", conditions);
	cJSON_AddStringToObject(o, "reason", a->reason);
	return o;
}

/* A number for the text table: "-" for none. */
static void cell_number(const cJSON *o, const char *name, char out[32])
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (cJSON_IsNumber(v))
		snprintf(out, 32, "%.4g", v->valuedouble);
	else
		snprintf(out, 32, "-");
}

/* A version's counts for the text table: "0.12 (24/200)". */
static void cell_counts(const struct rollout_counts *c, char out[64])
{
	if (c->trials > 0)
		snprintf(out, 64, "%.4g (%.0f/%.0f)", c->successes / c->trials, c->successes,
			 c->trials);
	else
		snprintf(out, 64, "- (0/0)");
}

/* analyze --format=text: a headline, a row per condition, the reason. */
static void print_analysis_text(const struct analysis *a, const cJSON *line)
{
	struct table *t = table_new(8, (const char *[]){ "METRIC", "COMPARISON", "SERVING",
							 "CANARY", "ESTIMATE", "INTERVAL",
							 "BOUND", "RESULT" });
	const cJSON *c;
	size_t i = 0;

	printf("%s against %s at step %zu of %zu (%g %%): %s\n", a->canary, a->serving,
	       a->step + 1, a->nsteps, a->steps[a->step], actions[a->d]);
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(line, "conditions")) {
		char s[64], k[64], est[32], low[32], high[32], bound[32], interval[72];

		cell_counts(&a->o.serving[i], s);
		cell_counts(&a->o.canary[i], k);
		cell_number(c, "estimate", est);
		cell_number(c, "low", low);
		cell_number(c, "high", high);
		cell_number(c, "bound", bound);
		snprintf(interval, sizeof(interval), a->e[i].has_interval ? "[%s, %s]" : "-", low,
			 high);
		table_add(t, (const char *[]){ a->p.condition[i].metric,
					       rollout_comparison_name(a->p.condition[i].comparison),
					       s, k, est, interval, bound,
					       rollout_result_name(a->e[i].result) });
		i++;
	}
	table_print(t, stdout);
	table_free(t);
	printf("%s\n", a->reason);
}

/* The model can be analysed: a stepped canary runs against a serving
 * version. */
static enum brain_status analysis_begin(struct analysis *a, const struct model *m)
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
	return BRAIN_OK;
}

/* Judge the step from the outcomes of file, and decide. */
static enum brain_status analysis_run(struct analysis *a, struct state *st, struct model *m,
				      const char *file, const char *analysis)
{
	enum brain_status status;

	if ((status = analysis_begin(a, m)) ||
	    (status = model_store_analysis_policy(st->dirfd, analysis, &a->p)))
		return status;
	if (!a->p.n)
		return diag_error(BRAIN_USAGE, "no analysis condition: set model.analysis_metric "
				  "('brain config set') or give --analysis=FILE");
	a->o.p = &a->p;
	a->o.m = m;
	if ((status = read_outcomes(file, &a->o)))
		return status;
	a->result = rollout_analyze(&a->p, a->o.serving, a->o.canary, a->e);
	a->d = rollout_decide(a->result, m->failures, a->p.failure_limit, m->step, m->nsteps);
	apply_decision(a, m);
	return BRAIN_OK;
}

enum brain_status model_rollout_analyze(const struct cli *cli, const char *model,
					const char *file, const char *analysis)
{
	struct analysis *a = xcalloc(1, sizeof(*a));
	struct state st;
	struct model m;
	enum brain_status status;
	long number;
	cJSON *line = NULL;

	if ((status = model_open(cli, model, 1, &st, &m, &number))) {
		free(a);
		return status;
	}
	if (!(status = analysis_run(a, &st, &m, file, analysis))) {
		line = analysis_line(a, &m);
		/* Every analysis is recorded, a hold too: the trail shows each look. */
		if (!cli->dry_run)
			status = model_store_save(&st, &m, "model.analyze", line, cli->reason);
	}
	state_close(&st);
	if (!status && cli->format == CLI_FORMAT_TEXT)
		print_analysis_text(a, line);
	else if (!status)
		status = jsonl_write(stdout, line);
	if (!status && a->d != ROLLOUT_ADVANCE && a->d != ROLLOUT_PROMOTE)
		status = BRAIN_NO;
	cJSON_Delete(line);
	model_store_free(&m);
	free(a);
	return status;
}

/* A unit id: 1 to 1024 bytes of UTF-8 without control characters. */
static int unit_valid(const char *unit, size_t len)
{
	if (len == 0 || len > 1024 || !json_utf8_valid(unit, len))
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)unit[i] < 0x20 || unit[i] == 0x7f)
			return 0;
	return 1;
}

/* Route one unit: the canary when its bucket (the canary's version id
 * as the seed) is under the weight, else the serving version. */
static enum brain_status route_one(struct output *out, const struct model *m, const char *unit)
{
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
	status = output_record(out, o, (const char *[]){ unit, *version ? version : "-", role, b,
							 w });
	cJSON_Delete(o);
	return status;
}

/* route MODEL -: a unit id a line (a CR before the LF is not part of it;
 * blank lines are skipped). */
static enum brain_status route_lines(struct output *out, const struct model *m)
{
	struct jsonl_reader r;
	enum brain_status status = jsonl_open(&r, NULL, 0);
	const char *line;
	size_t len;
	int rc;

	while (!status && (rc = jsonl_next_line(&r, &line, &len)) != JSONL_EOF) {
		char *unit;

		if (rc) {
			status = (enum brain_status)rc;
			break;
		}
		if (len && line[len - 1] == '\r')
			len--;
		if (json_blank(line, len))
			continue;
		if (!unit_valid(line, len)) {
			status = diag_error_at(BRAIN_DATA, r.name, r.line, "a unit id is 1 to 1024 "
					       "bytes of UTF-8 without control characters");
			break;
		}
		unit = xmalloc(len + 1);
		memcpy(unit, line, len);
		unit[len] = '\0';
		status = route_one(out, m, unit);
		free(unit);
	}
	jsonl_close(&r);
	return status;
}

enum brain_status model_rollout_route(const struct cli *cli, const char *model,
				      const char *unit)
{
	struct state st;
	struct model m;
	struct output out;
	enum brain_status status;
	long number;

	if (strcmp(unit, "-") && !unit_valid(unit, strlen(unit)))
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
	output_begin(&out, cli, 5, (const char *[]){ "UNIT", "VERSION", "ROLE", "BUCKET",
						     "CANARY WEIGHT" });
	status = strcmp(unit, "-") ? route_one(&out, &m, unit) : route_lines(&out, &m);
	if (output_end(&out) && !status)
		status = BRAIN_IO;
	model_store_free(&m);
	return status;
}
