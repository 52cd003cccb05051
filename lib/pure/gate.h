/*
 * gate.h - deployment gates for an agent clone: every gate evaluated and
 * explained, PROMOTE only when all pass.  Pure: the evidence and the
 * policy come in, the outcome goes out, so an audited decision can be
 * replayed from what was recorded.
 *
 * Gates (in this order):
 *   readiness               brain-score's rule (pure/score.h score_verdict)
 *                           with the policy's threshold and floor, and
 *                           brain-score's own verdict when there is one
 *   accuracy                accuracy >= policy.min_accuracy
 *   no_regression           brain-eval sees no regression   (when enabled)
 *   audit_intact            the audit trail verifies        (when enabled)
 *   no_compliance_failures  no compliance check failed      (when enabled)
 * Missing evidence fails its gate ("no evidence"), except that
 * no_compliance_failures passes when nothing is recorded unless the
 * policy requires compliance evidence.  A waiver passes one gate until it
 * expires, and says so.
 *
 * Waivers: a clone has at most one per gate (core/clone_store.h keeps the
 * newest).  One that passes a gate and ends within GATE_WAIVER_WARN_DAYS
 * days is expiring: its gate line says how many whole days are left
 * ("waiver_expires_in_days"), and the commands warn of it.
 *
 * The readiness gate passes only when (1) the readiness is at or above
 * the threshold, (2) when the components are known, every one is known
 * and at or above the floor, and (3) brain-score's recorded verdict, when
 * there is one, is ready.  So a clone brain-score calls not ready is
 * never promoted unless the gate is waived, whatever readiness number
 * the command line gives.
 *
 * A minimum number of runs (policy min_runs, above 0): a readiness not
 * computed from at least that many runs (a runs-based score's
 * counts.runs), and a paired comparison with fewer paired runs, are no
 * evidence, and their gate fails saying so.  min_runs is in the policy's
 * JSON (and so its hash) only when above 0, so a policy without it keeps
 * the hash it always had.
 *
 * The no_regression gate's evidence is brain-eval's regression state, or
 * a paired comparison (brain-score compare's summary line): then a
 * regression is what the comparison found (significantly worse, a case
 * regressed or missing) or a case under its minimum pass rate.
 *
 * A legacy policy is one recorded before the readiness gate followed
 * brain-score: its readiness rule was readiness >= min_readiness alone.
 * It is accepted only from the audit trail (replay), and it keeps its
 * JSON form and so its hash, so an old decision replays as it was made.
 */
#ifndef BRAIN_GATE_H
#define BRAIN_GATE_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "pure/score.h"
#include "status.h"

#define GATE_COUNT 5

/* A waiver that ends within this many days is warned of. */
#define GATE_WAIVER_WARN_DAYS 7

struct gate_policy {
	double threshold;       /* readiness: ready at or above (score.threshold) */
	double floor;           /* readiness: a component below vetoes (score.floor) */
	double min_readiness;   /* legacy only: the old readiness threshold */
	int legacy;             /* a recorded pre-score-rule policy (see above) */
	double min_accuracy;    /* accuracy: at least this */
	int no_regression;      /* enforce the no_regression gate */
	int audit_intact;       /* enforce the audit_intact gate */
	int no_compliance_failures;       /* enforce the compliance gate */
	int require_compliance_evidence;  /* no compliance record fails it */
	double min_runs;        /* fewer runs than this is no evidence (0: no minimum) */
};

/* Each piece of evidence: its value, whether there is any, and where it
 * came from ("command line", "brain-score 2026-11-28T12:00:00Z", ...). */
struct gate_evidence {
	double readiness;             /* the readiness score */
	double accuracy;              /* the accuracy */
	int has_readiness, has_accuracy;   /* known */
	double component[SCORE_N];    /* brain-score's components, when known */
	int has_component[SCORE_N];   /* that component is known (not null) */
	int has_components;           /* a score record gave the components */
	int score_ready;              /* brain-score's verdict (is_ready) */
	int has_score_ready;          /* there is a verdict */
	char score_reason[256];       /* brain-score's reason for it, or "" */
	int regression, has_regression;    /* brain-eval sees a regression */
	int audit_intact, has_audit;       /* the audit trail verifies */
	int unbound;                       /* a file it binds differs (core/binding.h) */
	double compliance_failures;   /* how many */
	int has_compliance;           /* a compliance record exists */
	char source[GATE_COUNT][256]; /* where each gate's evidence came from */
	double runs;                  /* the runs behind the readiness (a runs-based score) */
	int has_runs;                 /* known */
	double comparison_pairs;      /* no_regression from brain-score compare: its paired runs */
	int has_comparison;           /* the regression evidence is a paired comparison */
};

struct gate_waiver {
	char gate[32];          /* the gate it passes */
	time_t until;           /* it passes it before this */
	char reason[256];       /* why, shown with the outcome */
};

struct gate_outcome {
	const char *gate;       /* gate_names[i] */
	int passed;             /* passed, or waived */
	int waived;             /* a waiver passed it */
	time_t waiver_until;    /* that waiver's end */
	long waiver_days;       /* whole days left of it (gate_waiver_days) */
	char reason[640];       /* why, with the waiver's reason appended */
};

extern const char *const gate_names[GATE_COUNT];

/* The index of the gate called name in gate_names, or -1. */
int gate_index(const char *name);

/* BRAIN_OK when name is a gate's; else status, reported as "unknown gate
 * 'NAME': the gates are readiness, ..." after "WHERE: " when where is not
 * NULL, so a misspelt name is answered with the right ones. */
enum brain_status gate_name_check(const char *name, enum brain_status status,
				  const char *where);

/* Whole days from now to until, rounded down: 0 when less than a day is
 * left, negative once it has passed. */
long gate_waiver_days(time_t until, time_t now);

/* 1 when a waiver ending at until is in force at now (now < until) and
 * ends within GATE_WAIVER_WARN_DAYS days, else 0. */
int gate_waiver_expiring(time_t until, time_t now);

void gate_policy_default(struct gate_policy *p);

/* The policy as canonical JSON (fixed key order) and its SHA-256. */
cJSON *gate_policy_json(const struct gate_policy *p);
void gate_policy_hash(const struct gate_policy *p, char hex[65]);

/* Read a policy object (a --policy file, or recorded in the audit trail):
 * every key known and typed; BRAIN_DATA with the key named otherwise.
 * What o leaves out is the built-in default.  min_readiness (a legacy
 * policy) is accepted only when recorded is set: a policy file with it is
 * refused, naming score_threshold. */
enum brain_status gate_policy_parse(const cJSON *o, const char *where, int recorded,
				    struct gate_policy *p);

/* Which gates the policy enforces: 1 or 0 for each of gate_names. */
void gate_enabled(const struct gate_policy *p, int enabled[GATE_COUNT]);

/* Evaluate every enabled gate; returns 1 for PROMOTE, 0 for BLOCK. */
int gate_evaluate(const struct gate_policy *p, const struct gate_evidence *e,
		  const struct gate_waiver *w, size_t nw, time_t now,
		  struct gate_outcome out[GATE_COUNT]);

/* Evidence to and from JSON (for the audit record and replay). */
cJSON *gate_evidence_json(const struct gate_evidence *e);
enum brain_status gate_evidence_parse(const cJSON *o, struct gate_evidence *e);

/* Fill e's brain-score part from a score record's "components" object
 * (absent or null: not known; a missing or null component: that one
 * missing), "is_ready" (absent or null: no verdict) and "reason".
 * BRAIN_DATA (reported, prefixed with where) for the wrong types. */
enum brain_status gate_score_evidence(const cJSON *components, const cJSON *is_ready,
				      const cJSON *reason, const char *where,
				      struct gate_evidence *e);

/* One output line for gate i (caller deletes). */
cJSON *gate_outcome_line(const struct gate_policy *p, const struct gate_evidence *e,
			 const struct gate_outcome *o, int i);

#endif
