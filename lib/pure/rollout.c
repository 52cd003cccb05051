/* rollout.c - a stepped canary's arithmetic; see rollout.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "diag.h"
#include "pure/eval.h"
#include "pure/rollout.h"
#include "pure/stats.h"
#include "banned.h"

/* A percentage as written: digits, optionally a point and digits. */
static int parse_percent(const char *s, size_t len, double *out)
{
	char buf[32], *end;
	size_t i = 0;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 0)
		return -1;
	if (i < len && s[i] == '.') {
		size_t j = ++i;

		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == j)
			return -1;
	}
	if (i != len)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*out = strtod(buf, &end);
	return 0;
}

int rollout_parse_steps(const char *text, double *steps, size_t *n, char *err, size_t size)
{
	const char *p = text;

	*n = 0;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		double v;

		if (parse_percent(p, len, &v)) {
			snprintf(err, size, "step '%.*s' is not a percentage", (int)(len > 40 ? 40 : len), p);
			return -1;
		}
		if (!(v > 0 && v <= 100)) {
			snprintf(err, size, "step %g is outside (0, 100]", v);
			return -1;
		}
		if (*n > 0 && !(v > steps[*n - 1])) {
			snprintf(err, size, "steps must increase: %g after %g", v, steps[*n - 1]);
			return -1;
		}
		if (*n == ROLLOUT_STEPS_MAX) {
			snprintf(err, size, "more than %d steps", ROLLOUT_STEPS_MAX);
			return -1;
		}
		steps[(*n)++] = v;
		if (!comma)
			break;
		p = comma + 1;
	}
	if (steps[*n - 1] != 100) {
		snprintf(err, size, "the last step must be 100, not %g", steps[*n - 1]);
		return -1;
	}
	if (*n < 2) {
		snprintf(err, size, "a stepped canary needs a step below 100 before 100");
		return -1;
	}
	return 0;
}

int rollout_comparison_parse(const char *text, enum rollout_comparison *out)
{
	if (!strcmp(text, "difference"))
		*out = ROLLOUT_DIFFERENCE;
	else if (!strcmp(text, "ratio"))
		*out = ROLLOUT_RATIO;
	else
		return -1;
	return 0;
}

const char *rollout_comparison_name(enum rollout_comparison c)
{
	return c == ROLLOUT_RATIO ? "ratio" : "difference";
}

const char *rollout_result_name(enum rollout_result r)
{
	static const char *const names[] = { "pass", "inconclusive", "fail" };

	return names[r];
}

const char *rollout_decision_name(enum rollout_decision d)
{
	static const char *const names[] = { "advance", "promote", "hold", "failed", "abort" };

	return names[d];
}

/* 1 when m is a whole number in [lo, hi]. */
static int whole_in(const cJSON *m, double lo, double hi)
{
	return cJSON_IsNumber(m) && m->valuedouble >= lo && m->valuedouble <= hi &&
	       m->valuedouble == floor(m->valuedouble);
}

/* One member m of conditions[i] into c. */
static enum brain_status condition_member(const cJSON *m, const char *where, size_t i,
					  struct rollout_condition *c)
{
	const char *k = m->string;

	if (!strcmp(k, "metric")) {
		if (!cJSON_IsString(m) || !eval_metric_valid(m->valuestring))
			return diag_error(BRAIN_DATA, "%s: conditions[%zu].metric must be a metric "
					  "name (1 to 128 of a-z 0-9 . _ : -)", where, i);
		snprintf(c->metric, sizeof(c->metric), "%s", m->valuestring);
	} else if (!strcmp(k, "comparison")) {
		if (!cJSON_IsString(m) || rollout_comparison_parse(m->valuestring, &c->comparison))
			return diag_error(BRAIN_DATA, "%s: conditions[%zu].comparison must be "
					  "\"difference\" or \"ratio\"", where, i);
	} else if (!strcmp(k, "threshold")) {
		if (!cJSON_IsNumber(m) || !(m->valuedouble >= 0 && m->valuedouble <= 1))
			return diag_error(BRAIN_DATA, "%s: conditions[%zu].threshold must be a "
					  "number from 0 to 1", where, i);
		c->threshold = m->valuedouble;
	} else if (!strcmp(k, "min_samples")) {
		if (!whole_in(m, 0, ROLLOUT_SAMPLES_MAX))
			return diag_error(BRAIN_DATA, "%s: conditions[%zu].min_samples must be a "
					  "whole number from 0 to 2^53", where, i);
		c->min_samples = m->valuedouble;
	} else {
		return diag_error(BRAIN_DATA, "%s: conditions[%zu]: unknown key '%s' (metric, "
				  "comparison, threshold, min_samples)", where, i, k);
	}
	return BRAIN_OK;
}

static enum brain_status parse_conditions(const cJSON *a, const char *where,
					  const struct rollout_condition *base,
					  struct rollout_policy *p)
{
	enum brain_status status;
	const cJSON *o, *m;

	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) < 1 ||
	    cJSON_GetArraySize(a) > ROLLOUT_CONDITIONS_MAX)
		return diag_error(BRAIN_DATA, "%s: 'conditions' must be an array of 1 to %d "
				  "objects", where, ROLLOUT_CONDITIONS_MAX);
	p->n = 0;
	cJSON_ArrayForEach(o, a) {
		struct rollout_condition *c = &p->condition[p->n];

		*c = *base;
		c->metric[0] = '\0';
		if (!cJSON_IsObject(o))
			return diag_error(BRAIN_DATA, "%s: conditions[%zu] must be an object", where,
					  p->n);
		cJSON_ArrayForEach(m, o) {
			if ((status = condition_member(m, where, p->n, c)))
				return status;
		}
		if (!c->metric[0])
			return diag_error(BRAIN_DATA, "%s: conditions[%zu] needs a 'metric'", where,
					  p->n);
		p->n++;
	}
	return BRAIN_OK;
}

enum brain_status rollout_policy_parse(const cJSON *o, const char *where,
				       const struct rollout_condition *base,
				       struct rollout_policy *p)
{
	struct rollout_policy q = *p;
	enum brain_status status;
	const cJSON *m;

	if (!cJSON_IsObject(o))
		return diag_error(BRAIN_DATA, "%s: an analysis policy is a JSON object", where);
	cJSON_ArrayForEach(m, o) {
		if (!strcmp(m->string, "conditions")) {
			if ((status = parse_conditions(m, where, base, &q)))
				return status;
		} else if (!strcmp(m->string, "confidence")) {
			if (!cJSON_IsNumber(m) || !(m->valuedouble >= 0.5 && m->valuedouble < 1))
				return diag_error(BRAIN_DATA, "%s: 'confidence' must be a number from "
						  "0.5 to below 1", where);
			q.confidence = m->valuedouble;
		} else if (!strcmp(m->string, "failure_limit")) {
			if (!whole_in(m, 1, ROLLOUT_FAILURE_LIMIT_MAX))
				return diag_error(BRAIN_DATA, "%s: 'failure_limit' must be a whole "
						  "number from 1 to %d", where,
						  ROLLOUT_FAILURE_LIMIT_MAX);
			q.failure_limit = (size_t)m->valuedouble;
		} else {
			return diag_error(BRAIN_DATA, "%s: unknown key '%s' (conditions, confidence, "
					  "failure_limit)", where, m->string);
		}
	}
	*p = q;
	return BRAIN_OK;
}

/* Newcombe's hybrid score interval of canary - serving. */
static int newcombe(const struct rollout_counts *s, const struct rollout_counts *c,
		    double confidence, struct rollout_evidence *e)
{
	double ls, us, lc, uc, ps = e->serving_rate, pc = e->canary_rate;

	if (stats_wilson(s->successes, s->trials, confidence, &ls, &us) ||
	    stats_wilson(c->successes, c->trials, confidence, &lc, &uc))
		return -1;
	e->estimate = pc - ps;
	e->low = e->estimate - sqrt((pc - lc) * (pc - lc) + (us - ps) * (us - ps));
	e->high = e->estimate + sqrt((uc - pc) * (uc - pc) + (ps - ls) * (ps - ls));
	return 0;
}

/* The Katz log interval of canary / serving; -1 without a success in
 * either version (the ratio or its variance is then not finite). */
static int katz(const struct rollout_counts *s, const struct rollout_counts *c,
		double confidence, struct rollout_evidence *e)
{
	double z = gsl_cdf_ugaussian_Pinv(1 - (1 - confidence) / 2), se;

	if (!(s->successes > 0 && c->successes > 0))
		return -1;
	e->estimate = e->canary_rate / e->serving_rate;
	se = sqrt(1 / c->successes - 1 / c->trials + 1 / s->successes - 1 / s->trials);
	e->low = e->estimate * exp(-z * se);
	e->high = e->estimate * exp(z * se);
	return 0;
}

enum rollout_result rollout_judge(const struct rollout_condition *c, double confidence,
				  const struct rollout_counts *serving,
				  const struct rollout_counts *canary, struct rollout_evidence *e)
{
	int bad;

	memset(e, 0, sizeof(*e));
	e->result = ROLLOUT_INCONCLUSIVE;
	e->bound = c->comparison == ROLLOUT_RATIO ? 1 - c->threshold : -c->threshold;
	if (serving->trials > 0 && canary->trials > 0) {
		e->has_rates = 1;
		e->serving_rate = serving->successes / serving->trials;
		e->canary_rate = canary->successes / canary->trials;
	}
	if (!e->has_rates || serving->trials < c->min_samples || canary->trials < c->min_samples) {
		e->why = "too few samples";
		return e->result;
	}
	bad = c->comparison == ROLLOUT_RATIO ? katz(serving, canary, confidence, e)
					     : newcombe(serving, canary, confidence, e);
	if (bad) {
		e->why = "no success in a version: the ratio is undefined";
		return e->result;
	}
	e->has_interval = 1;
	if (e->low >= e->bound) {
		e->result = ROLLOUT_PASS;
		e->why = "the interval is above the bound";
	} else if (e->high < e->bound) {
		e->result = ROLLOUT_FAIL;
		e->why = "the interval is below the bound";
	} else {
		e->why = "the interval holds the bound";
	}
	return e->result;
}

enum rollout_result rollout_analyze(const struct rollout_policy *p,
				    const struct rollout_counts *serving,
				    const struct rollout_counts *canary,
				    struct rollout_evidence *e)
{
	enum rollout_result results[ROLLOUT_CONDITIONS_MAX];

	for (size_t i = 0; i < p->n; i++)
		results[i] = rollout_judge(&p->condition[i], p->confidence, &serving[i], &canary[i],
					   &e[i]);
	return rollout_combine(p->n, results);
}

enum rollout_result rollout_combine(size_t n, const enum rollout_result *results)
{
	enum rollout_result r = n ? ROLLOUT_PASS : ROLLOUT_INCONCLUSIVE;

	for (size_t i = 0; i < n; i++) {
		if (results[i] == ROLLOUT_FAIL)
			return ROLLOUT_FAIL;
		if (results[i] == ROLLOUT_INCONCLUSIVE)
			r = ROLLOUT_INCONCLUSIVE;
	}
	return r;
}

enum rollout_decision rollout_decide(enum rollout_result result, size_t failures,
				     size_t failure_limit, size_t step, size_t nsteps)
{
	switch (result) {
	case ROLLOUT_PASS:
		return step + 2 >= nsteps ? ROLLOUT_PROMOTE : ROLLOUT_ADVANCE;
	case ROLLOUT_FAIL:
		return failures + 1 >= failure_limit ? ROLLOUT_ABORT : ROLLOUT_FAILED;
	case ROLLOUT_INCONCLUSIVE:
	default:
		return ROLLOUT_HOLD;
	}
}

int rollout_route(const char *seed, const char *unit, double weight, double *bucket)
{
	*bucket = stats_gb_hash(seed, unit, 2);
	return *bucket < weight;
}
