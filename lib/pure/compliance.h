/*
 * compliance.h - the evidence a lead carries about whom it may be
 * contacted by, and how: consent records, their revocation, the scrubs of
 * its number (national and state Do-Not-Call, reassigned numbers, known
 * litigators), the dnc flag and opt_out; and the one rule that says
 * whether a channel is blocked by it.
 *
 *     struct compliance c;
 *     char why[COMPLIANCE_WHY_SIZE];
 *     if ((status = compliance_read(lead, &loc, 0, &c)))
 *             return status;                // BRAIN_DATA, reported at loc
 *     compliance_add_stored(&c, revocations); // from the suppression list
 *     if (compliance_blocks(&c, CONTACT_SMS, now, COMPLIANCE_NEED_CONSENT,
 *                           why, sizeof(why)))
 *             ... refuse, citing why ...
 *     compliance_free(&c);
 *
 * The fields (brain-ingest(1) and brain-packet(1) document them):
 *   "consent":[{"type","channels":[...],"timestamp","source",
 *               "disclosure_text" or "disclosure_sha256","certificate_id"}]
 *       or one such object (CSV gives one: consent.channels, ...); "ts" is
 *       the older spelling of "timestamp".
 *   "revocation":[{"time","method","channels":[...] or "all"}], or one.
 *   "scrubs":[{"kind":"national_dnc"|"state_dnc"|"reassigned"|"litigator",
 *              "date":"YYYY-MM-DD","source","result":"clear"|"listed"}]
 *   "dnc_scrub":{"date","source"}: a national_dnc scrub found clear.
 * Channels are phone, sms, email and mail (any case).  Unknown members
 * are kept by whoever stores the lead and ignored here.
 *
 * The rule: a revocation covers the channels it names, every channel when
 * it names none ("all"), and removes every consent on those channels given
 * at or before its time (a consent or a revocation without a time counts
 * as the earlier); a consent given after it holds again.  For each kind of
 * scrub the latest date counts: a listed result blocks phone and SMS, and
 * so does a scrub older than its kind's limit (scrub_days: CONTACT_SCRUB_DAYS
 * each unless compliance_set_scrub_days says otherwise; 0 is no limit).
 *
 * Strings in a struct compliance are borrowed from the lead (and from the
 * stored revocations given): they must outlive it.
 */
#ifndef BRAIN_COMPLIANCE_H
#define BRAIN_COMPLIANCE_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "pure/contact_rules.h"
#include "pure/json.h"
#include "status.h"

/* The national Do-Not-Call registry must be scrubbed within this many
 * days (16 CFR 310.4(b)(3)(iv)); the default limit of every kind of scrub
 * (the settings contact.scrub_days_KIND change it). */
#define CONTACT_SCRUB_DAYS 31

#define COMPLIANCE_WHY_SIZE 320
#define COMPLIANCE_RULE_SIZE 32
#define COMPLIANCE_EVERY_CHANNEL 0xfu  /* 1 << each enum contact_channel */

/* compliance_read: what may be left out.  STRICT (brain-ingest, where
 * evidence enters the state) wants a consent's timestamp and a
 * revocation's time and method; readers of lead files take them without. */
#define COMPLIANCE_STRICT 1u

/* compliance_blocks: phone and SMS need a consent on record. */
#define COMPLIANCE_NEED_CONSENT 1u

enum compliance_scrub_kind {
	SCRUB_NATIONAL_DNC, SCRUB_STATE_DNC, SCRUB_REASSIGNED, SCRUB_LITIGATOR, SCRUB_KINDS
};

struct compliance_consent {
	unsigned channels;         /* 1 << enum contact_channel of each channel named */
	int has_time;              /* timestamp given */
	time_t time;               /* when it was given */
};

struct compliance_revocation {
	unsigned channels;         /* the channels it covers */
	int has_time;
	time_t time;
	const char *time_text;     /* as given, or NULL; borrowed */
	const char *method;        /* reply_stop, verbal, ...; or NULL; borrowed */
	int stored;                /* it came from the suppression list */
};

/* The latest scrub of one kind. */
struct compliance_scrub {
	int given;
	time_t date;               /* midnight UTC of its date */
	const char *date_text;     /* "YYYY-MM-DD"; borrowed */
	const char *source;        /* or NULL; borrowed */
	int listed;                /* the result was "listed" */
};

struct compliance {
	int present;               /* the lead carries any compliance data at all */
	int dnc;                   /* "dnc":true */
	unsigned opted_out;        /* channels of opt_out (true: every one) */
	int has_consent;           /* a "consent" member is given */
	struct compliance_consent *consents;       /* owned */
	size_t nconsents;
	struct compliance_revocation *revocations; /* owned */
	size_t nrevocations;
	struct compliance_scrub scrub[SCRUB_KINDS];
	/* A scrub of kind k whose date is more than scrub_days[k] days before
	 * the contact blocks phone and SMS; 0: no limit. */
	int scrub_days[SCRUB_KINDS];
	/* The suppression list's rule for the lead's phone and email, set by
	 * the caller ("" when not listed). */
	char phone_rule[COMPLIANCE_RULE_SIZE], email_rule[COMPLIANCE_RULE_SIZE];
};

/* Read and check the evidence of lead (borrowed) into *out, freed with
 * compliance_free even on failure.  BRAIN_DATA, reported at loc naming the
 * field ("field 'consent[0].timestamp' ..."), for a bad one. */
enum brain_status compliance_read(const cJSON *lead, const struct json_loc *loc,
				  unsigned flags, struct compliance *out);

/* Add the revocations of a suppression list entry (an array of revocation
 * objects, or one; borrowed), marked stored.  Entries that do not read are
 * skipped: brain-ingest checked them when it wrote them. */
void compliance_add_stored(struct compliance *c, const cJSON *revocations);

void compliance_free(struct compliance *c);

/* The name of a kind of scrub, as in the "kind" member and the settings:
 * "national_dnc", "state_dnc", "reassigned", "litigator". */
const char *compliance_scrub_kind_name(enum compliance_scrub_kind kind);

/* Take the limits of days (SCRUB_KINDS of them, each >= 0, 0: no limit;
 * borrowed, copied) in place of the defaults; NULL keeps the defaults. */
void compliance_set_scrub_days(struct compliance *c, const int *days);

/* The channels (1 << enum contact_channel) a revocation object covers; 0
 * when it does not read as one. */
unsigned compliance_revocation_channels(const cJSON *revocation);

/* 1 when the evidence blocks a contact on channel at now, with the reason
 * (a phrase, citing the record that decides) in why; 0 when it does not.
 * Mail is never blocked; email only by opt_out, the suppression list or a
 * revocation. */
int compliance_blocks(const struct compliance *c, enum contact_channel channel, time_t now,
		      unsigned flags, char *why, size_t size);

#endif
