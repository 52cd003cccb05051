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
};

/* What the policy remembers of a script between evaluations. */
struct promote_script {
	enum promote_status status;
	int streak;             /* +n: n qualifying promotions in a row; -n: demotions */
	time_t last_change;     /* when the status last changed (0: never) */
};

struct promote_result {
	enum promote_action action;
	enum promote_status old_status, new_status;
	const char *rule;       /* min_samples, floor, promote, demote, band, top, bottom,
				   streak, cooldown */
	char reason[200];
};

void promote_policy_default(struct promote_policy *p);

/* Evaluate one measurement (samples < 0: not known) at time now; updates
 * the script's memory in place and fills the result. */
void promote_evaluate(const struct promote_policy *p, struct promote_script *s,
		      double performance, double samples, time_t now,
		      struct promote_result *r);

const char *promote_status_name(enum promote_status status);
const char *promote_action_name(enum promote_action action);

/* Parse a status name; -1 when it is none. */
int promote_status_parse(const char *name);

#endif
