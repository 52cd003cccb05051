/*
 * contact_check.h - may this lead be contacted on this channel at this
 * time: its calling window in its own local time (pure/contact_rules.h,
 * with the zone from core/contact_windows.h) and the evidence it carries
 * (pure/compliance.h) with what the suppression list keeps of its phone
 * and email.  brain-packet contact-check and brain-ab assign --contact-check
 * both answer through contact_check_lead, so the rule is written once.
 *
 *     struct contact_rules rules;              // contact_windows_load
 *     struct ingest_suppression supp;          // ingest_suppression_load
 *     int days[SCRUB_KINDS];                   // contact_check_scrub_days
 *     struct contact_check cc = { &rules, &supp, now, 0, days };
 *     struct contact_answer ans;
 *     if ((status = contact_check_lead(&cc, CONTACT_SMS, lead, &loc, &ans)))
 *             return status;                   // BRAIN_DATA, reported at loc
 *     rec = cJSON_CreateObject(); ... contact_answer_add(rec, &ans);
 *
 * The zone of a lead: its time_zone, else its state's principal zone,
 * else its phone's area code.  A lead with none may not be called or
 * texted (its window cannot be known).  Evidence that blocks (a
 * revocation, a listed scrub, a scrub older than its kind's limit, the suppression
 * list, no consent where one is needed) blocks at any hour: it is the
 * reason, and no next_allowed is given.
 */
#ifndef BRAIN_CONTACT_CHECK_H
#define BRAIN_CONTACT_CHECK_H

#include <time.h>

#include <cjson/cJSON.h>

#include "core/config.h"
#include "core/ingest_store.h"
#include "pure/compliance.h"
#include "pure/contact_rules.h"
#include "pure/json.h"
#include "status.h"

struct contact_check {
	const struct contact_rules *rules;  /* borrowed */
	struct ingest_suppression *supp;    /* borrowed; NULL: no list */
	time_t at;                          /* the time of the contact */
	unsigned flags;                     /* COMPLIANCE_NEED_CONSENT: phone and SMS
					     * need consent even from a lead that
					     * carries no consent field */
	const int *scrub_days;              /* the limit of each kind of scrub, in
					     * days (0: none); borrowed; NULL:
					     * CONTACT_SCRUB_DAYS each */
};

struct contact_answer {
	int allowed;                             /* 1: the contact may be made */
	char local[CONTACT_LOCAL_TEXT_SIZE];     /* its local time; "" when unknown */
	char next[CONTACT_LOCAL_TEXT_SIZE];      /* the next allowed time; "" when none */
	char reason[CONTACT_REASON_SIZE];        /* why, citing the rule or the record */
};

/* The answer for lead (borrowed) on channel.  BRAIN_DATA (reported at
 * loc, naming the field) for a bad state, time_zone, phone or evidence;
 * BRAIN_IO when tzdata cannot convert. */
enum brain_status contact_check_lead(const struct contact_check *cc,
				     enum contact_channel channel, const cJSON *lead,
				     const struct json_loc *loc, struct contact_answer *ans);

/* The limits of the settings contact.scrub_days_KIND of cfg (borrowed),
 * one per enum compliance_scrub_kind, into days. */
void contact_check_scrub_days(const struct config *cfg, int days[SCRUB_KINDS]);

/* What supp (NULL: nothing) keeps of the lead's phone and email, into c:
 * their rules and their stored revocations (borrowed from supp). */
void contact_check_listing(struct ingest_suppression *supp, const cJSON *lead,
			   struct compliance *c);

/* Add "allowed", "local_time" (when known), "reason" and "next_allowed"
 * (when there is one) to o, in that order. */
void contact_answer_add(cJSON *o, const struct contact_answer *ans);

#endif
