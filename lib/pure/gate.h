/*
 * gate.h - deployment gates for an agent clone: every gate evaluated and
 * explained, PROMOTE only when all pass.  Pure: the evidence and the
 * policy come in, the outcome goes out, so an audited decision can be
 * replayed from what was recorded.
 *
 * Gates (in this order):
 *   readiness               readiness score >= policy.min_readiness
 *   accuracy                accuracy >= policy.min_accuracy
 *   no_regression           brain-eval sees no regression   (when enabled)
 *   audit_intact            the audit trail verifies        (when enabled)
 *   no_compliance_failures  no compliance check failed      (when enabled)
 * Missing evidence fails its gate ("no evidence"), except that
 * no_compliance_failures passes when nothing is recorded unless the
 * policy requires compliance evidence.  A waiver passes one gate until it
 * expires, and says so.
 */
#ifndef BRAIN_GATE_H
#define BRAIN_GATE_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "status.h"

#define GATE_COUNT 5

struct gate_policy {
	double min_readiness, min_accuracy;
	int no_regression, audit_intact, no_compliance_failures, require_compliance_evidence;
};

/* Each piece of evidence: its value, whether there is any, and where it
 * came from ("command line", "brain-score 2026-11-28T12:00:00Z", ...). */
struct gate_evidence {
	double readiness, accuracy;
	int has_readiness, has_accuracy;
	int regression, has_regression;
	int audit_intact, has_audit;
	double compliance_failures;   /* how many */
	int has_compliance;
	char source[GATE_COUNT][256];
};

struct gate_waiver {
	char gate[32];
	time_t until;
	char reason[256];
};

struct gate_outcome {
	const char *gate;
	int passed;
	int waived;
	time_t waiver_until;
	char reason[256];
};

extern const char *const gate_names[GATE_COUNT];

void gate_policy_default(struct gate_policy *p);

/* The policy as canonical JSON (fixed key order) and its SHA-256. */
cJSON *gate_policy_json(const struct gate_policy *p);
void gate_policy_hash(const struct gate_policy *p, char hex[65]);

/* Read a policy object (a --policy file, or recorded in the audit trail):
 * every key known and typed; BRAIN_DATA with the key named otherwise. */
enum brain_status gate_policy_parse(const cJSON *o, const char *where, struct gate_policy *p);

/* Which gates the policy enforces: 1 or 0 for each of gate_names. */
void gate_enabled(const struct gate_policy *p, int enabled[GATE_COUNT]);

/* Evaluate every enabled gate; returns 1 for PROMOTE, 0 for BLOCK. */
int gate_evaluate(const struct gate_policy *p, const struct gate_evidence *e,
		  const struct gate_waiver *w, size_t nw, time_t now,
		  struct gate_outcome out[GATE_COUNT]);

/* Evidence to and from JSON (for the audit record and replay). */
cJSON *gate_evidence_json(const struct gate_evidence *e);
enum brain_status gate_evidence_parse(const cJSON *o, struct gate_evidence *e);

/* One output line for gate i (caller deletes). */
cJSON *gate_outcome_line(const struct gate_policy *p, const struct gate_evidence *e,
			 const struct gate_outcome *o, int i);

#endif
