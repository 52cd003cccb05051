/* promote.c - the script lifecycle policy; see promote.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pure/promote.h"
#include "banned.h"

static const char *const status_names[] = { "draft", "testing", "active", "retired" };
static const char *const action_names[] = { "HOLD", "PROMOTE", "DEMOTE" };

void promote_policy_default(struct promote_policy *p)
{
	p->promote_at = 0.85;
	p->demote_below = 0.70;
	p->floor = 0.50;
	p->min_samples = 0;
	p->consecutive = 1;
	p->cooldown = 0;
	p->require_evidence = 0;
}

const char *promote_status_name(enum promote_status status)
{
	return status_names[status];
}

const char *promote_action_name(enum promote_action action)
{
	return action_names[action];
}

int promote_status_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(name, status_names[i]))
			return i;
	return -1;
}

static void say(struct promote_result *r, enum promote_action action, const char *rule,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void say(struct promote_result *r, enum promote_action action, const char *rule,
		const char *fmt, ...)
{
	va_list ap;

	r->action = action;
	r->rule = rule;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

static enum promote_status step(enum promote_status s, enum promote_action a)
{
	if (a == PROMOTE_UP)
		return s == PROMOTE_DRAFT ? PROMOTE_TESTING : PROMOTE_ACTIVE;
	return s == PROMOTE_ACTIVE ? PROMOTE_TESTING : PROMOTE_RETIRED;
}

/* Move one step if the status allows; else HOLD saying why. */
static void move(struct promote_script *s, enum promote_action a, time_t now,
		 struct promote_result *r)
{
	char why[sizeof(r->reason)];

	memcpy(why, r->reason, sizeof(why));
	if (a == PROMOTE_UP && (s->status == PROMOTE_ACTIVE || s->status == PROMOTE_RETIRED)) {
		say(r, PROMOTE_HOLD, "top", "%s, but %s", why,
		    s->status == PROMOTE_ACTIVE ? "already active" : "retired scripts move only by 'set'");
		return;
	}
	if (a == PROMOTE_DOWN && s->status == PROMOTE_RETIRED) {
		say(r, PROMOTE_HOLD, "bottom", "%s, but already retired", why);
		return;
	}
	s->status = step(s->status, a);
	s->last_change = now;
	s->streak = 0;
}

/* A qualifying measurement (what says why, e.g. "0.87 >= 0.85"): it
 * counts towards a streak in its direction and moves the script once the
 * streak is long enough and the cool-down is over. */
static void qualify(const struct promote_policy *p, struct promote_script *s, int up,
		    const char *what, time_t now, struct promote_result *r)
{
	int in_cooldown = s->last_change && p->cooldown > 0 &&
			  difftime(now, s->last_change) < p->cooldown;
	int count;

	if (up)
		s->streak = s->streak > 0 ? s->streak + 1 : 1;
	else
		s->streak = s->streak < 0 ? s->streak - 1 : -1;
	count = s->streak > 0 ? s->streak : -s->streak;
	if (count < p->consecutive)
		say(r, PROMOTE_HOLD, "streak", "%s: %d of %.0f evaluations in a row", what,
		    count, p->consecutive);
	else if (in_cooldown)
		say(r, PROMOTE_HOLD, "cooldown", "%s, but the last change was %.0f s ago "
		    "(cool-down %.0f s)", what, difftime(now, s->last_change), p->cooldown);
	else {
		say(r, up ? PROMOTE_UP : PROMOTE_DOWN, up ? "promote" : "demote", "%s", what);
		move(s, up ? PROMOTE_UP : PROMOTE_DOWN, now, r);
	}
}

/* The min_samples rule, shared by both modes: 1 when it held. */
static int too_few(const struct promote_policy *p, double samples, struct promote_result *r)
{
	if (!(p->min_samples > 0 && samples < p->min_samples))
		return 0;
	if (samples < 0)
		say(r, PROMOTE_HOLD, "min_samples", "sample count unknown; the policy needs "
		    "at least %.0f", p->min_samples);
	else
		say(r, PROMOTE_HOLD, "min_samples", "%.0f samples, fewer than the %.0f the "
		    "policy needs", samples, p->min_samples);
	return 1;
}

void promote_evaluate(const struct promote_policy *p, struct promote_script *s,
		      double performance, double samples, time_t now,
		      struct promote_result *r)
{
	int up = performance >= p->promote_at, down = performance < p->demote_below;
	char what[96];

	memset(r, 0, sizeof(*r));
	r->old_status = s->status;
	if (too_few(p, samples, r)) {
		/* held */
	} else if (performance < p->floor) {
		say(r, PROMOTE_DOWN, "floor", "%.4g is below the critical floor %.4g",
		    performance, p->floor);
		move(s, PROMOTE_DOWN, now, r);
	} else if (up || down) {
		snprintf(what, sizeof(what), "%.4g %s %.4g", performance, up ? ">=" : "<",
			 up ? p->promote_at : p->demote_below);
		qualify(p, s, up, what, now, r);
	} else {
		s->streak = 0;
		say(r, PROMOTE_HOLD, "band", "%.4g is between %.4g and %.4g (hysteresis band)",
		    performance, p->demote_below, p->promote_at);
	}
	r->new_status = s->status;
}

void promote_evaluate_evidence(const struct promote_policy *p, struct promote_script *s,
			       double performance, const struct promote_evidence *e,
			       double samples, time_t now, struct promote_result *r)
{
	char what[160], seq_p[40] = "";

	if (!p->require_evidence) {
		promote_evaluate(p, s, performance, samples, now, r);
		return;
	}
	memset(r, 0, sizeof(*r));
	r->old_status = s->status;
	if (e && e->known && e->p_value >= 0)
		snprintf(seq_p, sizeof(seq_p), " (seq p %.4g)", e->p_value);
	if (too_few(p, samples, r)) {
		/* held */
	} else if (!e || !e->known) {
		s->streak = 0;
		say(r, PROMOTE_HOLD, "no_evidence", "%s", e && e->is_control ?
		    "the control of its experiment: brain-ab compares the others with it" :
		    "no always-valid interval against the control (seq_ci_low, seq_ci_high) "
		    "in the measurement; the policy requires evidence");
	} else if (e->low > 0 || e->high < 0) {
		snprintf(what, sizeof(what), "the always-valid interval of the lift against "
			 "the control [%.4g, %.4g] is %s 0%s", e->low, e->high,
			 e->low > 0 ? "above" : "below", seq_p);
		qualify(p, s, e->low > 0, what, now, r);
	} else {
		s->streak = 0;
		say(r, PROMOTE_HOLD, "evidence", "the always-valid interval of the lift against "
		    "the control [%.4g, %.4g] holds 0%s: not enough evidence to move it", e->low, e->high, seq_p);
	}
	r->new_status = s->status;
}
