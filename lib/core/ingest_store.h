/*
 * ingest_store.h - the files of brain-ingest under learning/: the
 * allow-list of sources (sources.json) and the suppression list
 * (suppression.jsonl: phones and emails that asked not to be contacted),
 * which brain-packet also reads.  The record and quarantine logs are
 * appended by brain-ingest itself through core/change.h.
 */
#ifndef BRAIN_INGEST_STORE_H
#define BRAIN_INGEST_STORE_H

#include <cjson/cJSON.h>

#include "core/audit.h"
#include "core/state.h"
#include "pure/keyset.h"
#include "status.h"

#define INGEST_SOURCES "learning/sources.json"
#define INGEST_SUPPRESSION "suppression.jsonl"
#define INGEST_RECORDS "records.jsonl"       /* the accepted records, in learning/ */
#define INGEST_QUARANTINE "quarantine.jsonl" /* the rejected ones, with why */
#define INGEST_BATCHES "batches.jsonl"       /* one line per stored batch, in learning/ */
#define INGEST_REVIEWED "learning/reviewed.json" /* how much of the quarantine was looked at */

/* The allow-list at dirfd in *out (caller deletes): an empty list when
 * there is none; BRAIN_STATE (reported) when it is not a list. */
enum brain_status ingest_store_sources(int dirfd, cJSON **out);

/* The records of the log learning/<log> (INGEST_RECORDS or
 * INGEST_QUARANTINE) in *count, 0 when there is none yet; read in one
 * streaming pass.  BRAIN_STATE (reported) for a line that does not parse. */
enum brain_status ingest_store_count(int dirfd, const char *log, double *count);

/* How many quarantined records an operator has marked reviewed
 * (brain-ingest quarantine reviewed), in *reviewed: 0 when none has been.
 * BRAIN_STATE (reported) when the file is not such a mark. */
enum brain_status ingest_store_reviewed(int dirfd, double *reviewed);

/* Mark the first n quarantined records reviewed, with the audit record ev
 * (borrowed), as one change.  The caller holds the lock. */
enum brain_status ingest_store_save_reviewed(struct state *st, const cJSON *mark,
					    const struct audit_event *ev);

/* The source named name (case-insensitively) in list, or NULL; borrowed. */
cJSON *ingest_store_source_find(cJSON *list, const char *name);

/* 1 when the allow-list entry src (or NULL: not on the list) allows use
 * ("training", "outreach" or "display"): its "uses" names it. */
int ingest_store_source_allows(const cJSON *src, const char *use);

/* The batch records of learning/batches.jsonl, read once for many
 * lookups (brain-model links a version to several batches, brain-verify
 * checks every link).  A batch id ingested again (the same bytes) keeps
 * its first line: the one that stored its records.  Memory grows with the
 * number of batches, never with their records.
 *
 *     struct ingest_batches ib;
 *     ingest_batches_load(dirfd, &ib);             // none yet: empty
 *     const cJSON *b = ingest_batches_find(&ib, "b-0123456789abcdef");
 *     ingest_batches_free(&ib);
 */
struct ingest_batches {
	cJSON *lines;              /* array of the first line of each batch id; owned */
	struct keyset ks;          /* keyset_key("batch", id, "") -> index in lines */
};

/* BRAIN_STATE (reported, naming the line) when a line does not parse or
 * has no batch_id; on failure nothing is left to free. */
enum brain_status ingest_batches_load(int dirfd, struct ingest_batches *ib);

/* The batch's line, or NULL; borrowed from ib. */
const cJSON *ingest_batches_find(struct ingest_batches *ib, const char *batch_id);
void ingest_batches_free(struct ingest_batches *ib);

/* Replace the allow-list with list and the audit record ev, as one change
 * (both borrowed).  The caller holds the lock. */
enum brain_status ingest_store_save_sources(struct state *st, const cJSON *list,
					   const struct audit_event *ev);

/* The suppression list, read once for many lookups (brain-packet checks
 * every lead of a batch against it): a hash of (kind, value) to the rule
 * of its first entry, and the revocations of consent recorded for each
 * (entries of rule "revocation", which suppress nothing by themselves: a
 * consent given after one holds again).  Lines that are not entries are
 * skipped. */
struct ingest_suppression {
	struct keyset ks;
	char (*rule)[32];
	size_t n;
	cJSON *revocations;   /* array of arrays of revocation objects; owned */
};

/* Read the list at dirfd (none, or dirfd < 0: an empty list). */
void ingest_suppression_load(int dirfd, struct ingest_suppression *s);

/* 1 when value (a normalised phone or email; kind "phone" or "email") is
 * on the list, with why in rule; 0 when not. */
int ingest_suppression_find(struct ingest_suppression *s, const char *kind, const char *value,
			    char rule[32]);

/* The revocations recorded for value (an array, borrowed from s), or NULL
 * when there are none. */
const cJSON *ingest_suppression_revocations(struct ingest_suppression *s, const char *kind,
					    const char *value);
void ingest_suppression_free(struct ingest_suppression *s);

/* The entries of rule "revocation" that lead (a record brain-ingest
 * accepted, its revocations checked) implies, added to supp (an array):
 * one per revocation under the lead's phone (when the revocation covers
 * phone or SMS) and one under its email (when it covers email), each
 * {"kind","value","rule":"revocation","source","ts","revocation":{...},
 * "consent":[...]} with the revocation and the consent records it
 * revoked, as the lead gave them.  phone and email are normalised, or
 * NULL when the lead has none.  A revocation is kept this way so that a
 * later record of the same lead without it does not bring its consent
 * back. */
void ingest_suppression_revocation_entries(const cJSON *lead, const char *phone,
					   const char *email, const char *source,
					   const char *ts, cJSON *supp);

/* One lookup: load, find, free. */
int ingest_store_suppressed(int dirfd, const char *kind, const char *value, char rule[32]);

#endif
