/* canary_analysis.c - a stepped canary's step analysed from outcome
 * lines; see canary_analysis.h. */
#include <stdlib.h>
#include <string.h>

#include "core/canary_analysis.h"
#include "core/config.h"
#include "core/jsonl.h"
#include "diag.h"
#include "banned.h"

/* What each decision does, as the line's action. */
static const char *const actions[] = { "ADVANCED", "PROMOTED", "HELD", "FAILED", "ABORTED" };

const char *canary_action_name(enum rollout_decision d)
{
	return actions[d];
}

int canary_analysis_ended(const struct canary_analysis *a)
{
	return a->d == ROLLOUT_PROMOTE || a->d == ROLLOUT_ABORT;
}

/* The policy file's object into *p, over what the settings gave. */
static enum brain_status analysis_file(const char *file, const struct rollout_condition *base,
				       struct rollout_policy *p)
{
	enum brain_status status;
	cJSON *doc;

	status = jsonl_read_object(file, (size_t)1 << 20, &doc);
	if (status == BRAIN_NO)
		return diag_error(BRAIN_USAGE, "cannot open analysis file '%s'", file);
	if (status)
		return status;
	status = rollout_policy_parse(doc, file, base, p);
	cJSON_Delete(doc);
	return status;
}

enum brain_status canary_analysis_policy(int dirfd, const char *file, struct rollout_policy *p)
{
	struct rollout_condition base;
	enum brain_status status;
	struct config *cfg;

	memset(p, 0, sizeof(*p));
	memset(&base, 0, sizeof(base));
	if ((status = config_load(dirfd, &cfg)))
		return status;
	p->confidence = config_number(cfg, "model.analysis_confidence");
	p->failure_limit = (size_t)config_int(cfg, "model.analysis_failure_limit");
	base.threshold = config_number(cfg, "model.analysis_threshold");
	base.min_samples = (double)config_int(cfg, "model.analysis_min_samples");
	rollout_comparison_parse(config_string(cfg, "model.analysis_comparison"), &base.comparison);
	if (*config_string(cfg, "model.analysis_metric")) {
		p->condition[0] = base;
		snprintf(p->condition[0].metric, sizeof(p->condition[0].metric), "%s",
			 config_string(cfg, "model.analysis_metric"));
		p->n = 1;
	}
	config_free(cfg);
	return file ? analysis_file(file, &base, p) : BRAIN_OK;
}

enum brain_status canary_analysis_window(struct canary_analysis *a, const char *since_text,
					 const char *step_started)
{
	const char *text = since_text ? since_text : step_started;

	a->since[0] = '\0';
	a->o.has_since = 0;
	if (!text || !*text)
		return BRAIN_OK;
	if (time_text_parse(text, &a->o.since)) {
		if (since_text)
			return diag_error(BRAIN_USAGE, "option '--since' needs an RFC 3339 time, "
					  "not '%s'", since_text);
		return diag_error(BRAIN_STATE, "the step's start '%s' is not an RFC 3339 time",
				  step_started);
	}
	a->o.has_since = 1;
	time_text_format(a->o.since, a->since);
	return BRAIN_OK;
}

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

/* Whether the line falls in the window (a line without "ts" always
 * does); a ts that is no time is BRAIN_DATA, reported. */
static enum brain_status outcome_in_window(const struct canary_outcomes *o, const cJSON *rec,
					   const struct json_loc *loc, int *in)
{
	const char *ts = NULL;
	enum brain_status status;
	time_t t;

	*in = 1;
	if ((status = json_get_string(rec, "ts", JSON_OPTIONAL, loc, &ts)) || !ts)
		return status;
	if (time_text_parse(ts, &t))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line, "field 'ts' must be an "
				     "RFC 3339 time, not '%s'", ts);
	*in = !o->has_since || t >= o->since;
	return BRAIN_OK;
}

/* Add one outcome line to the counts of every condition on its metric. */
static enum brain_status outcome_line(struct canary_outcomes *o, const struct rollout_policy *p,
				      const cJSON *rec, const struct json_loc *loc)
{
	struct rollout_counts c = { 0, 0 }, *sum;
	enum brain_status status;
	const char *version, *metric;
	int counted = 0, in;

	if ((status = json_get_string(rec, "version", JSON_REQUIRED, loc, &version)) ||
	    (status = json_get_string(rec, "metric", JSON_REQUIRED, loc, &metric)) ||
	    (status = outcome_counts(rec, loc, &c)) ||
	    (status = outcome_in_window(o, rec, loc, &in)))
		return status;
	o->read++;
	for (size_t i = 0; i < p->n; i++) {
		if (strcmp(metric, p->condition[i].metric))
			continue;
		sum = o->side(o->arg, &o->serving[i], &o->canary[i], version, loc, &status);
		if (status)
			return status;
		if (!sum)
			continue;
		if (!in) {
			counted = -1;
			continue;
		}
		if (sum->trials + c.trials > ROLLOUT_SAMPLES_MAX)
			return diag_error_at(BRAIN_DATA, loc->file, loc->line, "the trials of %s "
					     "add up to more than 2^53", version);
		sum->successes += c.successes;
		sum->trials += c.trials;
		counted = 1;
	}
	o->counted += counted > 0;
	o->before += counted < 0;
	return BRAIN_OK;
}

/* Read the outcome lines of path (NULL or "-": stdin) into o. */
static enum brain_status read_outcomes(const char *path, struct canary_outcomes *o,
				       const struct rollout_policy *p)
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
		status = outcome_line(o, p, rec, &loc);
		cJSON_Delete(rec);
		if (status)
			break;
	}
	jsonl_close(&r);
	return status;
}

/* The first condition whose result is the analysis' (the one a hold or
 * a failure is explained by). */
static size_t first_with_result(const struct canary_analysis *a)
{
	for (size_t i = 0; i < a->p.n; i++)
		if (a->e[i].result == a->result)
			return i;
	return 0;
}

/* Say why in a->reason. */
static void analysis_reason(struct canary_analysis *a)
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

enum brain_status canary_analysis_run(struct canary_analysis *a, const char *file)
{
	enum brain_status status;

	if (!a->p.n)
		return diag_error(BRAIN_USAGE, "no analysis condition: set model.analysis_metric "
				  "('brain config set') or give --analysis=FILE");
	if ((status = read_outcomes(file, &a->o, &a->p)))
		return status;
	a->result = rollout_analyze(&a->p, a->o.serving, a->o.canary, a->e);
	a->d = rollout_decide(a->result, a->failures, a->p.failure_limit, a->step, a->nsteps);
	a->next_step = a->step;
	a->next_weight = a->weight;
	a->failures += a->d == ROLLOUT_FAILED || a->d == ROLLOUT_ABORT;
	if (a->d == ROLLOUT_ADVANCE) {
		a->next_step = a->step + 1;
		a->next_weight = a->steps[a->next_step] / 100;
	} else if (a->d == ROLLOUT_PROMOTE) {
		a->next_weight = 1;
	} else if (a->d == ROLLOUT_ABORT) {
		a->next_weight = 0;
	}
	analysis_reason(a);
	return BRAIN_OK;
}

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
static cJSON *evidence_json(const struct canary_analysis *a, size_t i)
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

/* The window and the lines read, counted and left out by it. */
static void add_lines(cJSON *o, const struct canary_analysis *a)
{
	if (*a->since)
		cJSON_AddStringToObject(o, "since", a->since);
	else
		cJSON_AddNullToObject(o, "since");
	cJSON_AddNumberToObject(o, "lines_read", a->o.read);
	cJSON_AddNumberToObject(o, "lines_counted", a->o.counted);
	cJSON_AddNumberToObject(o, "lines_before_since", a->o.before);
}

cJSON *canary_analysis_line(const struct canary_analysis *a, const char *key,
			    const char *subject, const char *serving_after)
{
	cJSON *o = cJSON_CreateObject(), *conditions = cJSON_CreateArray(), *steps;
	int aborted = a->d == ROLLOUT_ABORT;

	cJSON_AddStringToObject(o, key, subject);
	cJSON_AddStringToObject(o, "action", actions[a->d]);
	cJSON_AddStringToObject(o, "canary", a->canary);
	cJSON_AddStringToObject(o, "serving_version_id", serving_after);
	cJSON_AddStringToObject(o, "from", aborted ? a->canary : a->serving);
	cJSON_AddStringToObject(o, "to", aborted ? a->serving : a->canary);
	cJSON_AddNumberToObject(o, "step", (double)(a->step + 1));
	steps = cJSON_AddArrayToObject(o, "steps");
	for (size_t i = 0; i < a->nsteps; i++)
		cJSON_AddItemToArray(steps, cJSON_CreateNumber(a->steps[i]));
	cJSON_AddNumberToObject(o, "canary_weight", a->weight);
	if (canary_analysis_ended(a))
		cJSON_AddNullToObject(o, "next_step");
	else
		cJSON_AddNumberToObject(o, "next_step", (double)(a->next_step + 1));
	cJSON_AddNumberToObject(o, "next_canary_weight", a->next_weight);
	cJSON_AddStringToObject(o, "result", rollout_result_name(a->result));
	cJSON_AddNumberToObject(o, "failures", (double)a->failures);
	cJSON_AddNumberToObject(o, "failure_limit", (double)a->p.failure_limit);
	cJSON_AddNumberToObject(o, "confidence", a->p.confidence);
	add_lines(o, a);
	for (size_t i = 0; i < a->p.n; i++)
		cJSON_AddItemToArray(conditions, evidence_json(a, i));
	cJSON_AddItemToObject(o, "conditions", conditions);
	cJSON_AddStringToObject(o, "reason", a->reason);
	return o;
}

int canary_unit_valid(const char *unit, size_t len)
{
	if (len == 0 || len > 1024 || !json_utf8_valid(unit, len))
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)unit[i] < 0x20 || unit[i] == 0x7f)
			return 0;
	return 1;
}

/* A unit id a line of stdin, each to fn. */
static enum brain_status each_unit_line(canary_unit_fn *fn, void *arg)
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
		if (!canary_unit_valid(line, len)) {
			status = diag_error_at(BRAIN_DATA, r.name, r.line, "a unit id is 1 to 1024 "
					       "bytes of UTF-8 without control characters");
			break;
		}
		unit = xmalloc(len + 1);
		memcpy(unit, line, len);
		unit[len] = '\0';
		status = fn(arg, unit);
		free(unit);
	}
	jsonl_close(&r);
	return status;
}

enum brain_status canary_each_unit(const char *unit, canary_unit_fn *fn, void *arg)
{
	if (!strcmp(unit, "-"))
		return each_unit_line(fn, arg);
	if (!canary_unit_valid(unit, strlen(unit)))
		return diag_error(BRAIN_DATA, "a unit id is 1 to 1024 bytes of UTF-8 without "
				  "control characters");
	return fn(arg, unit);
}
