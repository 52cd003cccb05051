/*
 * promote.h - the lifecycle policy of call scripts: which action a
 * measured performance leads to, with hysteresis so that noise around one
 * threshold cannot flap a script up and down.  Pure: no I/O.
 *
 *     draft -> testing -> active       (PROMOTE: one step up)
 *     active -> testing -> retired     (DEMOTE: one step down; draft -> retired)
 *
 * Rules, in the order they are tried; the reason names the one that fired:
 *   min_samples  fewer samples than the policy asks: HOLD
 *   floor        below the critical floor: DEMOTE at once (no streak, no cool-down)
 *   promote      at or above promote_at, for `consecutive` evaluations in a
 *                row and outside the cool-down: PROMOTE
 *   demote       below demote_below, likewise: DEMOTE
 *   band         between the two: HOLD, and any streak starts again
 * A script that cannot move further (active and promoted, retired and
 * demoted) HOLDs and says so; retired scripts only move by `set`.
 *
 * With require_evidence the raw rate decides nothing (a rate of a few
 * percent says little on its own): brain-ab's always-valid interval of the
 * script's lift against the control does, so a script is never moved on a
 * difference brain-ab cannot tell from noise.  The rules then are
 *   min_samples  as above
 *   no_evidence  the measurement carries no interval (or is the control's):
 *                HOLD, saying so
 *   promote      the interval's lower bound above 0, with streak and
 *                cool-down as above: PROMOTE
 *   demote       its upper bound below 0, likewise: DEMOTE
 *   evidence     the interval holds 0: HOLD, and any streak starts again
 * The floor does not apply: it is a raw rate too.
 */
#ifndef BRAIN_PROMOTE_H
#define BRAIN_PROMOTE_H

#include <time.h>

enum promote_status { PROMOTE_DRAFT, PROMOTE_TESTING, PROMOTE_ACTIVE, PROMOTE_RETIRED };
enum promote_action { PROMOTE_HOLD, PROMOTE_UP, PROMOTE_DOWN };

struct promote_policy {
	double promote_at;      /* >= promotes (0.85) */
	double demote_below;    /* < demotes (0.70) */
	double floor;           /* < demotes at once (0.50) */
	double min_samples;     /* evaluations with fewer samples hold (0) */
	double consecutive;     /* qualifying evaluations in a row (1) */
	double cooldown;        /* seconds after a change during which it holds (0) */
	int require_evidence;   /* decide on brain-ab's interval, not the rate (0) */
};

/* What brain-ab says of a script against the control of its experiment. */
struct promote_evidence {
	int known;              /* 1: low and high are the always-valid interval */
	int is_control;         /* the line is the control's: compared with nothing */
	double low, high;       /* always-valid interval of rate - control's rate */
	double p_value;         /* always-valid p-value; < 0 when not given */
};

/* What the policy remembers of a script between evaluations. */
struct promote_script {
	enum promote_status status;
	int streak;             /* +n: n qualifying promotions in a row; -n: demotions */
	time_t last_change;     /* when the status last changed (0: never) */
};

struct promote_result {
	enum promote_action action;               /* what the rule decided */
	enum promote_status old_status, new_status; /* before and after */
	const char *rule;       /* min_samples, floor, promote, demote, band, top, bottom,
				   streak, cooldown, no_evidence, evidence */
	char reason[256];       /* a sentence naming the rule's numbers */
};

void promote_policy_default(struct promote_policy *p);

/* Evaluate one measurement (samples < 0: not known) at time now; updates
 * the script's memory in place and fills the result. */
void promote_evaluate(const struct promote_policy *p, struct promote_script *s,
		      double performance, double samples, time_t now,
		      struct promote_result *r);

/* The same under require_evidence: e decides, performance is only
 * reported.  Without require_evidence this is promote_evaluate. */
void promote_evaluate_evidence(const struct promote_policy *p, struct promote_script *s,
			       double performance, const struct promote_evidence *e,
			       double samples, time_t now, struct promote_result *r);

const char *promote_status_name(enum promote_status status);
const char *promote_action_name(enum promote_action action);

/* Parse a status name; -1 when it is none. */
int promote_status_parse(const char *name);

#endif
