/*
 * contact_rules.h - the calling windows of the telephone rules (TCPA and
 * the stricter states): when a lead may be called or texted, and when next.
 *
 * The rules come from data/contact-windows.json (core/contact_windows.h
 * finds and reads it); this module turns the parsed document into tables
 * and decides, without a clock or a time zone database: the caller gives
 * the recipient's local broken-down time.
 *
 *     struct contact_rules r;
 *     struct contact_decision d;
 *     if ((status = contact_rules_from_json(doc, "contact-windows.json", &r)))
 *             return status;                       // BRAIN_DATA, reported
 *     const char *states[] = { "FL" };
 *     contact_rules_decide(&r, CONTACT_PHONE, states, 1, &local, &d);
 *     ... d.allowed, d.reason, d.next (when d.has_next) ...
 *     contact_rules_free(&r);
 *
 * A window is [start, end) in minutes after local midnight: a call may
 * start at start and must start before end.  The federal rule always
 * applies; the rules of each state given apply on top, so the narrowest
 * window wins and the reason cites the rule that set the bound.  A state
 * rule may list dates ("holidays":{"source","dates":["YYYY-MM-DD",...]})
 * on which it allows no calls; the next allowed time skips them.  Email
 * and mail have no calling window and are always allowed.
 */
#ifndef BRAIN_CONTACT_RULES_H
#define BRAIN_CONTACT_RULES_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "status.h"

#define CONTACT_RULES_FORMAT "brain-contact-windows 1"
#define CONTACT_LOCAL_TEXT_SIZE 32 /* "YYYY-MM-DDTHH:MM:SS+HH:MM" and NUL, with room */
#define CONTACT_REASON_SIZE 320

enum contact_channel { CONTACT_PHONE, CONTACT_SMS, CONTACT_EMAIL, CONTACT_MAIL };

/* One day's window.  open 0: no calls that day. */
struct contact_window {
	int open;          /* 1 when calls are allowed at some time that day */
	int start, end;    /* minutes after midnight, [start, end) */
};

/* The windows of one rule, by tm_wday (0 is Sunday), and the dates on
 * which it allows no calls at all (a state's legal holidays). */
struct contact_rule {
	char state[3];                   /* two-letter code; "" for the federal rule */
	char *source;                    /* citation, owned */
	struct contact_window day[7];    /* by weekday */
	long *holidays;                  /* days since 1970-01-01, ascending; owned */
	size_t nholidays;
	char *holiday_source;            /* citation of the holidays, owned; or NULL */
	int holidays_through;            /* the year of the last date listed; 0 for none */
};

/* A state's principal time zone. */
struct contact_state_zone {
	char state[3];   /* two-letter code */
	char *zone;      /* IANA name, owned */
};

/* A NANP area code: where its numbers are. */
struct contact_area {
	char code[4];    /* three digits */
	char state[3];   /* two-letter code */
	char *zone;      /* IANA name, owned */
};

struct contact_rules {
	char *date;                        /* review date of the file, owned */
	struct contact_rule federal;       /* always applies on its channels */
	unsigned channels;                 /* 1 << channel for each channel the
					    * windows apply to ("channels") */
	struct contact_rule *states;       /* stricter state rules, owned */
	size_t nstates;
	struct contact_state_zone *zones;  /* principal zone of each state, owned */
	size_t nzones;
	struct contact_area *areas;        /* the partial area-code table, owned */
	size_t nareas;
};

/* What contact_rules_decide found. */
struct contact_decision {
	int allowed;                       /* 1: the contact may be made now */
	char reason[CONTACT_REASON_SIZE];  /* why, citing the binding rule */
	int has_next;                      /* next holds the next allowed time */
	struct tm next;                    /* local wall time of the next window's
					    * start (year, month, day, hour, minute;
					    * tm_isdst -1, tm_wday set) */
	const struct contact_rule *unlisted; /* a rule that applies and lists holidays
					      * only for years before the local one
					      * (borrowed), or NULL */
};

/* Turn the parsed document into r (every member checked; a bad one is
 * BRAIN_DATA, reported as "name: field 'states.FL.days.sun' ...").  doc is
 * borrowed; r owns copies and is freed with contact_rules_free. */
enum brain_status contact_rules_from_json(const cJSON *doc, const char *name,
					  struct contact_rules *r);

void contact_rules_free(struct contact_rules *r);

/* The channel named name ("phone", "sms", "email", "mail"); -1 when none. */
int contact_channel_parse(const char *name);
const char *contact_channel_name(enum contact_channel channel);

/* The channel a variant's or a list's name speaks of, read loosely (any
 * case, in a longer name): "sms" or "text" is SMS, "phone", "call" or
 * "voice" a phone call, "email" or "e-mail" email, "mail", "letter" or
 * "postcard" mail; -1 when none ("Calm opener"). */
int contact_channel_guess(const char *name);

/* 1 when s is spelled as an IANA zone name: 1 to 64 of letters, digits
 * and _ + - in parts separated by single '/' (so no "." or ".." part). */
int contact_zone_name_valid(const char *s);

/* The principal zone of state (borrowed), or NULL when it is no state of
 * the table. */
const char *contact_rules_state_zone(const struct contact_rules *r, const char *state);

/* The entry of a three-digit area code, or NULL when the table has none. */
const struct contact_area *contact_rules_area(const struct contact_rules *r, const char *code);

/* The stricter rule of state, or NULL when only the federal one applies. */
const struct contact_rule *contact_rules_state(const struct contact_rules *r, const char *state);

/* Decide whether a contact on channel may be made at local, the
 * recipient's local time (tm_year, tm_mon, tm_mday, tm_wday, tm_hour,
 * tm_min are read), under the federal rule and those of the nstates
 * states given (codes without a rule of their own add nothing).  When it
 * may not, out->next is the start of the next window, which may be later
 * the same day or days ahead. */
void contact_rules_decide(const struct contact_rules *r, enum contact_channel channel,
			  const char *const *states, size_t nstates, const struct tm *local,
			  struct contact_decision *out);

/* local as RFC 3339 with its offset from UTC (gmtoff seconds east):
 * "2026-11-03T19:30:00-05:00". */
void contact_local_format(const struct tm *local, long gmtoff,
			  char buf[CONTACT_LOCAL_TEXT_SIZE]);

#endif
