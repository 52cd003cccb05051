/* gate.c - deployment gates; see gate.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pure/hash.h"
#include "pure/time_text.h"
#include "diag.h"
#include "pure/gate.h"
#include "banned.h"

const char *const gate_names[GATE_COUNT] = {
	"readiness", "accuracy", "no_regression", "audit_intact", "no_compliance_failures"
};

static const char *const policy_keys[] = {
	"min_readiness", "min_accuracy", "no_regression", "audit_intact",
	"no_compliance_failures", "require_compliance_evidence"
};

void gate_policy_default(struct gate_policy *p)
{
	p->min_readiness = 0.80;
	p->min_accuracy = 0.85;
	p->no_regression = p->audit_intact = p->no_compliance_failures = 1;
	p->require_compliance_evidence = 0;
}

cJSON *gate_policy_json(const struct gate_policy *p)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "min_readiness", p->min_readiness);
	cJSON_AddNumberToObject(o, "min_accuracy", p->min_accuracy);
	cJSON_AddBoolToObject(o, "no_regression", p->no_regression);
	cJSON_AddBoolToObject(o, "audit_intact", p->audit_intact);
	cJSON_AddBoolToObject(o, "no_compliance_failures", p->no_compliance_failures);
	cJSON_AddBoolToObject(o, "require_compliance_evidence", p->require_compliance_evidence);
	return o;
}

void gate_policy_hash(const struct gate_policy *p, char hex[65])
{
	cJSON *o = gate_policy_json(p);
	char *text = cJSON_PrintUnformatted(o);

	if (!text)
		diag_oom();
	hash_sha256_hex(text, strlen(text), hex);
	free(text);
	cJSON_Delete(o);
}

enum brain_status gate_policy_parse(const cJSON *o, const char *where, struct gate_policy *p)
{
	const cJSON *m;

	if (!cJSON_IsObject(o))
		return diag_error(BRAIN_DATA, "%s: a policy is a JSON object", where);
	gate_policy_default(p);
	cJSON_ArrayForEach(m, o) {
		size_t k;

		for (k = 0; k < sizeof(policy_keys) / sizeof(policy_keys[0]); k++)
			if (!strcmp(m->string, policy_keys[k]))
				break;
		if (k == sizeof(policy_keys) / sizeof(policy_keys[0]))
			return diag_error(BRAIN_DATA, "%s: unknown policy key '%s'", where, m->string);
		if (k < 2) {
			if (!cJSON_IsNumber(m) || !(m->valuedouble >= 0 && m->valuedouble <= 1))
				return diag_error(BRAIN_DATA, "%s: '%s' must be a number from 0 to 1",
						  where, m->string);
			*(k == 0 ? &p->min_readiness : &p->min_accuracy) = m->valuedouble;
			continue;
		}
		if (!cJSON_IsBool(m))
			return diag_error(BRAIN_DATA, "%s: '%s' must be true or false", where, m->string);
		int v = cJSON_IsTrue(m);

		switch (k) {
		case 2: p->no_regression = v; break;
		case 3: p->audit_intact = v; break;
		case 4: p->no_compliance_failures = v; break;
		default: p->require_compliance_evidence = v; break;
		}
	}
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

int gate_evaluate(const struct gate_policy *p, const struct gate_evidence *e,
		  const struct gate_waiver *w, size_t nw, time_t now,
		  struct gate_outcome out[GATE_COUNT])
{
	int enabled[GATE_COUNT], promote = 1;

	gate_enabled(p, enabled);
	memset(out, 0, GATE_COUNT * sizeof(*out));
	for (int i = 0; i < GATE_COUNT; i++)
		out[i].gate = gate_names[i];
	if (!e->has_readiness)
		why(&out[0], 0, "no evidence");
	else
		why(&out[0], e->readiness >= p->min_readiness, "readiness %.4g %s %.4g",
		    e->readiness, e->readiness >= p->min_readiness ? ">=" : "<", p->min_readiness);
	if (!e->has_accuracy)
		why(&out[1], 0, "no evidence");
	else
		why(&out[1], e->accuracy >= p->min_accuracy, "accuracy %.4g %s %.4g", e->accuracy,
		    e->accuracy >= p->min_accuracy ? ">=" : "<", p->min_accuracy);
	if (!e->has_regression)
		why(&out[2], 0, "no evidence");
	else
		why(&out[2], !e->regression, e->regression ? "regression detected" : "no regression");
	if (!e->has_audit)
		why(&out[3], 0, "no evidence");
	else
		why(&out[3], e->audit_intact, e->audit_intact ? "audit trail verified"
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
		cJSON_AddItemToObject(o, evidence_fields[i], item);
	}
	return o;
}

enum brain_status gate_evidence_parse(const cJSON *o, struct gate_evidence *e)
{
	memset(e, 0, sizeof(*e));
	for (int i = 0; i < GATE_COUNT; i++) {
		const cJSON *item = cJSON_GetObjectItemCaseSensitive(o, evidence_fields[i]);
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, "value");
		const cJSON *src = cJSON_GetObjectItemCaseSensitive(item, "source");

		if (!cJSON_IsObject(item) || !v || !cJSON_IsString(src))
			return diag_error(BRAIN_DATA, "recorded evidence lacks '%s'", evidence_fields[i]);
		snprintf(e->source[i], sizeof(e->source[i]), "%s", src->valuestring);
		if (cJSON_IsNull(v))
			continue;
		int ok = (i == 2 || i == 3) ? cJSON_IsBool(v) : cJSON_IsNumber(v);

		if (!ok)
			return diag_error(BRAIN_DATA, "recorded evidence '%s' has the wrong type",
					  evidence_fields[i]);
		switch (i) {
		case 0: e->readiness = v->valuedouble; e->has_readiness = 1; break;
		case 1: e->accuracy = v->valuedouble; e->has_accuracy = 1; break;
		case 2: e->regression = cJSON_IsTrue(v); e->has_regression = 1; break;
		case 3: e->audit_intact = cJSON_IsTrue(v); e->has_audit = 1; break;
		default: e->compliance_failures = v->valuedouble; e->has_compliance = 1; break;
		}
	}
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
	if (i == 0)
		cJSON_AddNumberToObject(line, "required", p->min_readiness);
	else if (i == 1)
		cJSON_AddNumberToObject(line, "required", p->min_accuracy);
	else if (i == 2)
		cJSON_AddBoolToObject(line, "required", 0);
	else if (i == 3)
		cJSON_AddBoolToObject(line, "required", 1);
	else
		cJSON_AddNumberToObject(line, "required", 0);
	cJSON_AddStringToObject(line, "reason", o->reason);
	cJSON_AddStringToObject(line, "source", e->source[i]);
	if (o->waived) {
		char until[TIME_TEXT_SIZE];

		time_text_format(o->waiver_until, until);
		cJSON_AddBoolToObject(line, "waived", 1);
		cJSON_AddStringToObject(line, "waiver_until", until);
	}
	return line;
}
