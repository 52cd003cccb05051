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

void promote_evaluate(const struct promote_policy *p, struct promote_script *s,
		      double performance, double samples, time_t now,
		      struct promote_result *r)
{
	int up = performance >= p->promote_at, down = performance < p->demote_below;
	int in_cooldown = s->last_change && p->cooldown > 0 &&
			  difftime(now, s->last_change) < p->cooldown;

	memset(r, 0, sizeof(*r));
	r->old_status = s->status;
	if (p->min_samples > 0 && samples < p->min_samples) {
		if (samples < 0)
			say(r, PROMOTE_HOLD, "min_samples", "sample count unknown; the policy needs "
			    "at least %.0f", p->min_samples);
		else
			say(r, PROMOTE_HOLD, "min_samples", "%.0f samples, fewer than the %.0f the "
			    "policy needs", samples, p->min_samples);
	} else if (performance < p->floor) {
		say(r, PROMOTE_DOWN, "floor", "%.4g is below the critical floor %.4g",
		    performance, p->floor);
		move(s, PROMOTE_DOWN, now, r);
	} else if (up || down) {
		/* A streak counts qualifying evaluations in one direction. */
		if (up)
			s->streak = s->streak > 0 ? s->streak + 1 : 1;
		else
			s->streak = s->streak < 0 ? s->streak - 1 : -1;
		int count = s->streak > 0 ? s->streak : -s->streak;

		if (count < p->consecutive)
			say(r, PROMOTE_HOLD, "streak", "%.4g %s %.4g: %d of %.0f evaluations in a "
			    "row", performance, up ? ">=" : "<", up ? p->promote_at : p->demote_below,
			    count, p->consecutive);
		else if (in_cooldown)
			say(r, PROMOTE_HOLD, "cooldown", "%.4g %s %.4g, but the last change was "
			    "%.0f s ago (cool-down %.0f s)", performance, up ? ">=" : "<",
			    up ? p->promote_at : p->demote_below, difftime(now, s->last_change),
			    p->cooldown);
		else {
			say(r, up ? PROMOTE_UP : PROMOTE_DOWN, up ? "promote" : "demote",
			    "%.4g %s %.4g", performance, up ? ">=" : "<",
			    up ? p->promote_at : p->demote_below);
			move(s, up ? PROMOTE_UP : PROMOTE_DOWN, now, r);
		}
	} else {
		s->streak = 0;
		say(r, PROMOTE_HOLD, "band", "%.4g is between %.4g and %.4g (hysteresis band)",
		    performance, p->demote_below, p->promote_at);
	}
	r->new_status = s->status;
}
