/* gate.c - deployment gates; see gate.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pure/hash.h"
#include "pure/json.h"
#include "pure/time_text.h"
#include "diag.h"
#include "pure/gate.h"
#include "banned.h"

const char *const gate_names[GATE_COUNT] = {
	"readiness", "accuracy", "no_regression", "audit_intact", "no_compliance_failures"
};

int gate_index(const char *name)
{
	for (int i = 0; i < GATE_COUNT; i++)
		if (!strcmp(name, gate_names[i]))
			return i;
	return -1;
}

enum brain_status gate_name_check(const char *name, enum brain_status status,
				  const char *where)
{
	char valid[GATE_COUNT * 32];
	size_t len = 0;

	if (gate_index(name) >= 0)
		return BRAIN_OK;
	for (int i = 0; i < GATE_COUNT; i++)
		len += (size_t)snprintf(valid + len, sizeof(valid) - len, "%s%s", i ? ", " : "",
					gate_names[i]);
	return diag_error(status, "%s%sunknown gate '%s': the gates are %s", where ? where : "",
			  where ? ": " : "", name, valid);
}

#define DAY_SECONDS 86400

long gate_waiver_days(time_t until, time_t now)
{
	double left = difftime(until, now);
	long days = (long)(left / DAY_SECONDS);

	/* Rounded down, also when it has passed. */
	if ((double)days * DAY_SECONDS > left)
		days--;
	return days;
}

int gate_waiver_expiring(time_t until, time_t now)
{
	double left = difftime(until, now);

	return left > 0 && left <= (double)GATE_WAIVER_WARN_DAYS * DAY_SECONDS;
}

/* The policy's keys in their canonical order; min_readiness is legacy
 * (gate.h) and takes the place of the first two. */
static const char *const policy_keys[] = {
	"score_threshold", "score_floor", "min_readiness", "min_accuracy", "no_regression",
	"audit_intact", "no_compliance_failures", "require_compliance_evidence", "min_runs"
};

enum { K_THRESHOLD, K_FLOOR, K_MIN_READINESS, K_MIN_ACCURACY, K_NO_REGRESSION, K_AUDIT,
       K_COMPLIANCE, K_REQUIRE, K_MIN_RUNS, K_COUNT };

/* The largest min_runs a policy may ask for. */
#define MIN_RUNS_MAX 1e9

void gate_policy_default(struct gate_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->threshold = 0.85;
	p->floor = 0.70;
	p->min_readiness = 0.80;
	p->min_accuracy = 0.85;
	p->no_regression = p->audit_intact = p->no_compliance_failures = 1;
	p->require_compliance_evidence = 0;
}

cJSON *gate_policy_json(const struct gate_policy *p)
{
	cJSON *o = cJSON_CreateObject();

	if (p->legacy) {
		cJSON_AddNumberToObject(o, "min_readiness", p->min_readiness);
	} else {
		cJSON_AddNumberToObject(o, "score_threshold", p->threshold);
		cJSON_AddNumberToObject(o, "score_floor", p->floor);
	}
	cJSON_AddNumberToObject(o, "min_accuracy", p->min_accuracy);
	cJSON_AddBoolToObject(o, "no_regression", p->no_regression);
	cJSON_AddBoolToObject(o, "audit_intact", p->audit_intact);
	cJSON_AddBoolToObject(o, "no_compliance_failures", p->no_compliance_failures);
	cJSON_AddBoolToObject(o, "require_compliance_evidence", p->require_compliance_evidence);
	if (p->min_runs > 0)
		cJSON_AddNumberToObject(o, "min_runs", p->min_runs);
	return o;
}

void gate_policy_hash(const struct gate_policy *p, char hex[65])
{
	cJSON *o = gate_policy_json(p);
	char *text = json_print_compact(o);

	if (!text)
		diag_oom();
	hash_sha256_hex(text, strlen(text), hex);
	free(text);
	cJSON_Delete(o);
}

/* Set policy key k (already known) from m. */
static enum brain_status policy_set(struct gate_policy *p, size_t k, const cJSON *m,
				    const char *where)
{
	double *number[] = { &p->threshold, &p->floor, &p->min_readiness, &p->min_accuracy };
	int *flag[] = { &p->no_regression, &p->audit_intact, &p->no_compliance_failures,
			&p->require_compliance_evidence };

	if (k == K_MIN_RUNS) {
		if (!cJSON_IsNumber(m) || !(m->valuedouble >= 0 && m->valuedouble <= MIN_RUNS_MAX) ||
		    m->valuedouble != (double)(long long)m->valuedouble)
			return diag_error(BRAIN_DATA, "%s: 'min_runs' must be a whole number from 0 "
					  "to %g", where, MIN_RUNS_MAX);
		p->min_runs = m->valuedouble;
		return BRAIN_OK;
	}
	if (k <= K_MIN_ACCURACY) {
		if (!cJSON_IsNumber(m) || !(m->valuedouble >= 0 && m->valuedouble <= 1))
			return diag_error(BRAIN_DATA, "%s: '%s' must be a number from 0 to 1",
					  where, m->string);
		*number[k] = m->valuedouble;
		return BRAIN_OK;
	}
	if (!cJSON_IsBool(m))
		return diag_error(BRAIN_DATA, "%s: '%s' must be true or false", where, m->string);
	*flag[k - K_NO_REGRESSION] = cJSON_IsTrue(m);
	return BRAIN_OK;
}

/* An unknown key, answered with the keys there are (min_readiness, legacy
 * only, left out). */
static enum brain_status unknown_policy_key(const char *where, const char *key)
{
	char valid[K_COUNT * 32];
	size_t len = 0;

	for (size_t k = 0; k < K_COUNT; k++)
		if (k != K_MIN_READINESS)
			len += (size_t)snprintf(valid + len, sizeof(valid) - len, "%s%s",
						len ? ", " : "", policy_keys[k]);
	return diag_error(BRAIN_DATA, "%s: unknown policy key '%s': the keys are %s", where, key,
			  valid);
}

enum brain_status gate_policy_parse(const cJSON *o, const char *where, int recorded,
				    struct gate_policy *p)
{
	enum brain_status status;
	const cJSON *m;
	int score_keys = 0;

	if (!cJSON_IsObject(o))
		return diag_error(BRAIN_DATA, "%s: a policy is a JSON object", where);
	gate_policy_default(p);
	cJSON_ArrayForEach(m, o) {
		size_t k;

		for (k = 0; k < K_COUNT; k++)
			if (!strcmp(m->string, policy_keys[k]))
				break;
		if (k == K_COUNT)
			return unknown_policy_key(where, m->string);
		if (k == K_MIN_READINESS && !recorded)
			return diag_error(BRAIN_DATA, "%s: 'min_readiness' is no longer a policy key: "
					  "the readiness gate follows brain-score's rule, set "
					  "'score_threshold' and 'score_floor'", where);
		if ((status = policy_set(p, k, m, where)))
			return status;
		p->legacy |= k == K_MIN_READINESS;
		score_keys |= k <= K_FLOOR;
	}
	if (p->legacy && score_keys)
		return diag_error(BRAIN_DATA, "%s: 'min_readiness' (a legacy policy) and "
				  "'score_threshold'/'score_floor' do not go together", where);
	return BRAIN_OK;
}

void gate_enabled(const struct gate_policy *p, int enabled[GATE_COUNT])
{
	enabled[0] = enabled[1] = 1;
	enabled[2] = p->no_regression;
	enabled[3] = p->audit_intact;
	enabled[4] = p->no_compliance_failures;
}

static void why(struct gate_outcome *o, int passed, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void why(struct gate_outcome *o, int passed, const char *fmt, ...)
{
	va_list ap;

	o->passed = passed;
	va_start(ap, fmt);
	vsnprintf(o->reason, sizeof(o->reason), fmt, ap);
	va_end(ap);
}

/* The policy's minimum of runs: 1 (o failed as no evidence) when runs,
 * the runs behind what, are unknown or fewer than min_runs. */
static int too_few_runs(const struct gate_policy *p, int has, double runs, const char *what,
			const char *unit, struct gate_outcome *o)
{
	if (!(p->min_runs > 0) || (has && runs >= p->min_runs))
		return 0;
	if (has)
		why(o, 0, "no evidence: %s has %.0f %s, the policy asks for at least %.0f", what,
		    runs, unit, p->min_runs);
	else
		why(o, 0, "no evidence: %s is not from runs, the policy asks for at least %.0f",
		    what, p->min_runs);
	return 1;
}

/* The no_regression gate: brain-eval's state, or a paired comparison
 * with at least min_runs paired runs. */
static void regression_gate(const struct gate_policy *p, const struct gate_evidence *e,
			    struct gate_outcome *o)
{
	if (!e->has_regression)
		why(o, 0, "no evidence");
	else if (e->has_comparison &&
		 too_few_runs(p, 1, e->comparison_pairs, "the paired comparison", "paired runs",
			      o))
		return;
	else if (e->has_comparison)
		why(o, !e->regression, e->regression ? "the paired comparison finds a regression"
			: "the paired comparison finds no regression");
	else
		why(o, !e->regression, e->regression ? "regression detected" : "no regression");
}

/* The readiness gate: brain-score's rule with the policy's threshold and
 * floor, then brain-score's own verdict; a legacy policy's rule alone. */
static void readiness_gate(const struct gate_policy *p, const struct gate_evidence *e,
			   struct gate_outcome *o)
{
	struct score_result r;

	if (!e->has_readiness) {
		why(o, 0, "no evidence");
		return;
	}
	if (too_few_runs(p, e->has_runs, e->runs, "the score", "runs", o))
		return;
	if (p->legacy) {
		why(o, e->readiness >= p->min_readiness, "readiness %.4g %s %.4g", e->readiness,
		    e->readiness >= p->min_readiness ? ">=" : "<", p->min_readiness);
		return;
	}
	score_verdict(e->readiness, e->component, e->has_components ? e->has_component : NULL,
		      p->threshold, p->floor, &r);
	if (r.ready && e->has_score_ready && !e->score_ready)
		why(o, 0, "brain-score's verdict is not ready: %s",
		    e->score_reason[0] ? e->score_reason : "no reason recorded");
	else
		why(o, r.ready, "%s", r.reason);
}

int gate_evaluate(const struct gate_policy *p, const struct gate_evidence *e,
		  const struct gate_waiver *w, size_t nw, time_t now,
		  struct gate_outcome out[GATE_COUNT])
{
	int enabled[GATE_COUNT], promote = 1;

	gate_enabled(p, enabled);
	memset(out, 0, GATE_COUNT * sizeof(*out));
	for (int i = 0; i < GATE_COUNT; i++)
		out[i].gate = gate_names[i];
	readiness_gate(p, e, &out[0]);
	if (!e->has_accuracy)
		why(&out[1], 0, "no evidence");
	else
		why(&out[1], e->accuracy >= p->min_accuracy, "accuracy %.4g %s %.4g", e->accuracy,
		    e->accuracy >= p->min_accuracy ? ">=" : "<", p->min_accuracy);
	regression_gate(p, e, &out[2]);
	if (!e->has_audit)
		why(&out[3], 0, "no evidence");
	else
		why(&out[3], e->audit_intact, e->audit_intact ? "audit trail verified"
			: e->unbound ? "a file the audit trail binds was changed outside brain"
			: "audit trail does not verify");
	if (!e->has_compliance)
		why(&out[4], !p->require_compliance_evidence,
		    p->require_compliance_evidence ? "no evidence" : "no compliance failures recorded");
	else
		why(&out[4], e->compliance_failures == 0, "%.0f compliance check(s) failed",
		    e->compliance_failures);
	for (int i = 0; i < GATE_COUNT; i++) {
		if (!enabled[i])
			continue;
		for (size_t j = 0; j < nw && !out[i].passed; j++)
			if (!strcmp(w[j].gate, gate_names[i]) && now < w[j].until) {
				char until[TIME_TEXT_SIZE];

				time_text_format(w[j].until, until);
				out[i].waived = 1;
				out[i].waiver_until = w[j].until;
				out[i].waiver_days = gate_waiver_days(w[j].until, now);
				out[i].passed = 1;
				snprintf(out[i].reason + strlen(out[i].reason),
					 sizeof(out[i].reason) - strlen(out[i].reason),
					 "; waived until %s: %s", until, w[j].reason);
			}
		promote &= out[i].passed;
	}
	return promote;
}

static const char *const evidence_fields[GATE_COUNT] = {
	"readiness", "accuracy", "regression", "audit_intact", "compliance_failures"
};

/* The readiness evidence beyond its value: brain-score's components and
 * verdict, null when not known. */
static void readiness_extras_json(const struct gate_evidence *e, cJSON *item)
{
	cJSON *c;

	if (!e->has_components) {
		cJSON_AddNullToObject(item, "components");
	} else {
		c = cJSON_AddObjectToObject(item, "components");
		for (int i = 0; i < SCORE_N; i++)
			if (e->has_component[i])
				cJSON_AddNumberToObject(c, score_component_names[i], e->component[i]);
			else
				cJSON_AddNullToObject(c, score_component_names[i]);
	}
	if (!e->has_score_ready) {
		cJSON_AddNullToObject(item, "is_ready");
		cJSON_AddNullToObject(item, "score_reason");
		return;
	}
	cJSON_AddBoolToObject(item, "is_ready", e->score_ready);
	cJSON_AddStringToObject(item, "score_reason", e->score_reason);
}

/* The runs behind evidence i, where min_runs looks: the readiness's
 * "runs" (null when not known), a comparison's "pairs". */
static void runs_json(const struct gate_evidence *e, int i, cJSON *item)
{
	if (i == 0 && e->has_runs)
		cJSON_AddNumberToObject(item, "runs", e->runs);
	else if (i == 0)
		cJSON_AddNullToObject(item, "runs");
	else if (i == 2 && e->has_comparison)
		cJSON_AddNumberToObject(item, "pairs", e->comparison_pairs);
}

/* The runs of a recorded piece of evidence i (absent: not known). */
static enum brain_status runs_parse(const cJSON *item, int i, struct gate_evidence *e)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(item, i == 0 ? "runs" : "pairs");

	if (!n || cJSON_IsNull(n) || (i != 0 && i != 2))
		return BRAIN_OK;
	if (!cJSON_IsNumber(n) || !(n->valuedouble >= 0))
		return diag_error(BRAIN_DATA, "recorded evidence '%s': '%s' must be a count",
				  evidence_fields[i], i == 0 ? "runs" : "pairs");
	if (i == 0) {
		e->runs = n->valuedouble;
		e->has_runs = 1;
	} else {
		e->comparison_pairs = n->valuedouble;
		e->has_comparison = 1;
	}
	return BRAIN_OK;
}

cJSON *gate_evidence_json(const struct gate_evidence *e)
{
	cJSON *o = cJSON_CreateObject();
	int has[GATE_COUNT] = { e->has_readiness, e->has_accuracy, e->has_regression,
				e->has_audit, e->has_compliance };

	for (int i = 0; i < GATE_COUNT; i++) {
		cJSON *item = cJSON_CreateObject();

		if (!has[i])
			cJSON_AddNullToObject(item, "value");
		else if (i == 0)
			cJSON_AddNumberToObject(item, "value", e->readiness);
		else if (i == 1)
			cJSON_AddNumberToObject(item, "value", e->accuracy);
		else if (i == 2)
			cJSON_AddBoolToObject(item, "value", e->regression);
		else if (i == 3)
			cJSON_AddBoolToObject(item, "value", e->audit_intact);
		else
			cJSON_AddNumberToObject(item, "value", e->compliance_failures);
		cJSON_AddStringToObject(item, "source", e->source[i]);
		if (i == 0)
			readiness_extras_json(e, item);
		runs_json(e, i, item);
		cJSON_AddItemToObject(o, evidence_fields[i], item);
	}
	return o;
}

enum brain_status gate_score_evidence(const cJSON *components, const cJSON *is_ready,
				      const cJSON *reason, const char *where,
				      struct gate_evidence *e)
{
	if (cJSON_IsObject(components)) {
		for (int i = 0; i < SCORE_N; i++) {
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(components,
									  score_component_names[i]);

			if (v && !cJSON_IsNull(v) &&
			    !(cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= 1))
				return diag_error(BRAIN_DATA, "%s: component '%s' must be a number "
						  "from 0 to 1 or null", where, score_component_names[i]);
			e->has_component[i] = cJSON_IsNumber(v);
			e->component[i] = e->has_component[i] ? v->valuedouble : 0;
		}
		e->has_components = 1;
	} else if (components && !cJSON_IsNull(components)) {
		return diag_error(BRAIN_DATA, "%s: 'components' must be an object or null", where);
	}
	if (is_ready && !cJSON_IsNull(is_ready) && !cJSON_IsBool(is_ready))
		return diag_error(BRAIN_DATA, "%s: 'is_ready' must be true, false or null", where);
	if (cJSON_IsBool(is_ready)) {
		e->has_score_ready = 1;
		e->score_ready = cJSON_IsTrue(is_ready);
		snprintf(e->score_reason, sizeof(e->score_reason), "%s",
			 cJSON_IsString(reason) ? reason->valuestring : "");
	}
	return BRAIN_OK;
}

/* One recorded piece of evidence, i, into e. */
static enum brain_status evidence_item_parse(const cJSON *item, int i, struct gate_evidence *e)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, "value");
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(item, "source");
	enum brain_status status;

	if (!cJSON_IsObject(item) || !v || !cJSON_IsString(src))
		return diag_error(BRAIN_DATA, "recorded evidence lacks '%s'", evidence_fields[i]);
	snprintf(e->source[i], sizeof(e->source[i]), "%s", src->valuestring);
	if (i == 0 && (status = gate_score_evidence(
				cJSON_GetObjectItemCaseSensitive(item, "components"),
				cJSON_GetObjectItemCaseSensitive(item, "is_ready"),
				cJSON_GetObjectItemCaseSensitive(item, "score_reason"),
				"recorded evidence 'readiness'", e)))
		return status;
	if ((status = runs_parse(item, i, e)))
		return status;
	if (cJSON_IsNull(v))
		return BRAIN_OK;
	if (!((i == 2 || i == 3) ? cJSON_IsBool(v) : cJSON_IsNumber(v)))
		return diag_error(BRAIN_DATA, "recorded evidence '%s' has the wrong type",
				  evidence_fields[i]);
	switch (i) {
	case 0: e->readiness = v->valuedouble; e->has_readiness = 1; break;
	case 1: e->accuracy = v->valuedouble; e->has_accuracy = 1; break;
	case 2: e->regression = cJSON_IsTrue(v); e->has_regression = 1; break;
	case 3: e->audit_intact = cJSON_IsTrue(v); e->has_audit = 1; break;
	default: e->compliance_failures = v->valuedouble; e->has_compliance = 1; break;
	}
	return BRAIN_OK;
}

enum brain_status gate_evidence_parse(const cJSON *o, struct gate_evidence *e)
{
	enum brain_status status;

	memset(e, 0, sizeof(*e));
	for (int i = 0; i < GATE_COUNT; i++)
		if ((status = evidence_item_parse(cJSON_GetObjectItemCaseSensitive(o,
						  evidence_fields[i]), i, e)))
			return status;
	return BRAIN_OK;
}

cJSON *gate_outcome_line(const struct gate_policy *p, const struct gate_evidence *e,
			 const struct gate_outcome *o, int i)
{
	cJSON *line = cJSON_CreateObject();
	int has[GATE_COUNT] = { e->has_readiness, e->has_accuracy, e->has_regression,
				e->has_audit, e->has_compliance };

	cJSON_AddStringToObject(line, "gate", o->gate);
	cJSON_AddBoolToObject(line, "passed", o->passed);
	if (!has[i])
		cJSON_AddNullToObject(line, "actual");
	else if (i == 0)
		cJSON_AddNumberToObject(line, "actual", e->readiness);
	else if (i == 1)
		cJSON_AddNumberToObject(line, "actual", e->accuracy);
	else if (i == 2)
		cJSON_AddBoolToObject(line, "actual", e->regression);
	else if (i == 3)
		cJSON_AddBoolToObject(line, "actual", e->audit_intact);
	else
		cJSON_AddNumberToObject(line, "actual", e->compliance_failures);
	if (i == 0 && p->legacy) {
		cJSON_AddNumberToObject(line, "required", p->min_readiness);
	} else if (i == 0) {
		cJSON_AddNumberToObject(line, "required", p->threshold);
		cJSON_AddNumberToObject(line, "floor", p->floor);
	} else if (i == 1)
		cJSON_AddNumberToObject(line, "required", p->min_accuracy);
	else if (i == 2)
		cJSON_AddBoolToObject(line, "required", 0);
	else if (i == 3)
		cJSON_AddBoolToObject(line, "required", 1);
	else
		cJSON_AddNumberToObject(line, "required", 0);
	if (p->min_runs > 0 && (i == 0 || (i == 2 && e->has_comparison)))
		cJSON_AddNumberToObject(line, "min_runs", p->min_runs);
	cJSON_AddStringToObject(line, "reason", o->reason);
	cJSON_AddStringToObject(line, "source", e->source[i]);
	if (o->waived) {
		char until[TIME_TEXT_SIZE];

		time_text_format(o->waiver_until, until);
		cJSON_AddBoolToObject(line, "waived", 1);
		cJSON_AddStringToObject(line, "waiver_until", until);
		cJSON_AddNumberToObject(line, "waiver_expires_in_days", (double)o->waiver_days);
	}
	return line;
}
