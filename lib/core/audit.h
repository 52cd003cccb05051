/*
 * audit.h - the audit trail (audit.log in the state directory): appending
 * records, the forward-secure MAC key, and the shared definitions of the
 * format, which brain-audit(1) documents and spec/audit-log.md defines.
 *
 * Every change of state is recorded in the same locked section as the
 * change itself, through change.h, which makes the change and its
 * records land together or not at all (a journal finished by the next
 * writer).  audit_append alone records an action that changes no file.
 *
 *     struct audit_event ev = { .subject = "lock.wait_seconds",
 *             .action = "config.set", .status = "SUCCESS",
 *             .details = details, .reason = cli.reason };
 *     struct audit_ack ack;
 *     status = audit_append(&st, NULL, &ev, &ack);
 *
 * The caller holds the state lock.  The first append creates the log with
 * its header record (log.init, no MAC; `brain-audit init --mac` creates a
 * MAC'd log explicitly).  A log whose last line has no LF (a torn tail
 * from a crash) is refused with BRAIN_STATE, pointing to
 * brain-verify --repair; nothing is appended after a torn tail.  Neither
 * is anything appended to a log shorter than its newest checkpoint, or
 * whose MAC key state does not match its length.
 *
 * In MAC mode the key state file audit.key holds (s, K_s): the key of the
 * next record s.  It is replaced atomically after each append; a crash
 * between the append and that replacement is recovered on the next append
 * (the last record is checked with K_s, then the key evolves).
 */
#ifndef BRAIN_AUDIT_H
#define BRAIN_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/state.h"
#include "pure/hash.h"
#include "status.h"

#define AUDIT_LOG "audit.log"
#define AUDIT_KEY_STATE "audit.key"
#define AUDIT_CHECKPOINTS "checkpoints"
#define AUDIT_MAX_LINE 65536
#define AUDIT_MAX_DEPTH 32
#define AUDIT_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Byte offsets (0-based) of the fixed-place fields of a record line. */
#define AUDIT_MAC_AT 8      /* "mac" value: bytes 9-72, 1-based */
#define AUDIT_MACED_AT 74   /* from byte 75 to the end is what the MAC covers */
#define AUDIT_PREV_AT 82    /* "prev" value: bytes 83-146 */
#define AUDIT_REC_AT 154    /* the rec object starts here (byte 155, 1-based) */

struct audit_event {
	const char *subject;     /* what was acted on ("clone_alpha", a key) */
	const char *action;      /* what was done ("DEPLOYMENT", "config.set") */
	const char *status;      /* outcome ("SUCCESS", "BLOCKED") */
	const cJSON *details;    /* object, or NULL for {} (borrowed) */
	const char *reason;      /* --reason text, or NULL */
	const char *id;          /* 32 lowercase hex, or NULL for a random one */
};

struct audit_ack {
	uint64_t seq;            /* line number of the record */
	char hash[65];           /* hex SHA-256 of the line including LF */
	char id[33];             /* the record id */
	int existed;             /* 1: a record with this id was there already */
};

/* Append one record.  origin names a log created by this append (NULL:
 * the audit.origin setting).  BRAIN_OK with ack filled; BRAIN_DATA for a
 * bad event (details not an object, too deep, line over 64 KiB);
 * BRAIN_STATE for a torn, cut or unreadable log; BRAIN_IO when the write
 * or sync failed (the record is then not acknowledged). */
enum brain_status audit_append(struct state *st, const char *origin,
			       const struct audit_event *ev, struct audit_ack *ack);

/* Append count records in one write(2) and one fdatasync.  A record whose
 * caller-given id is already in the log is not appended again: its ack
 * has existed = 1 and the seq and hash of the record that was there. */
enum brain_status audit_append_many(struct state *st, const char *origin,
				    const struct audit_event *evs, size_t count,
				    struct audit_ack *acks);

/* Create the log explicitly (it must not exist, or be empty).  With mac,
 * a random K_1 is returned in k1 (printed once by the caller, kept by the
 * auditor) and audit.key holds the writer's evolving key. */
enum brain_status audit_init(struct state *st, const char *origin, int mac,
			     unsigned char k1[32]);

/* The size and head hash of the log (0 and the zero hash when empty or
 * missing).  BRAIN_STATE for a torn or unreadable log. */
enum brain_status audit_head(int dirfd, uint64_t *size, char hash[65]);

/* Called by audit_each for every record: the parsed line, its "rec"
 * object and its seq (both borrowed for the call).  Non-zero stops. */
typedef int audit_each_fn(void *arg, const cJSON *line, const cJSON *rec, uint64_t seq);

/* Read the log in order and call fn for each record.  BRAIN_NO when there
 * is no log, BRAIN_STATE (reported) for a line that does not parse. */
enum brain_status audit_each(int dirfd, audit_each_fn *fn, void *arg);

/* The actor of this process: $BRAIN_ACTOR, else the login name, else
 * "uid:N".  Borrowed static storage. */
const char *audit_actor(void);

/* The MAC of one line under key K_i, and the next key K_{i+1}.  line is
 * the whole line including LF; the MAC covers bytes 75 to the end. */
void audit_mac_line(const unsigned char key[32], const char *line, size_t len,
		    unsigned char mac[32]);
void audit_key_evolve(unsigned char key[32]);

/* Read and write the key state (s, K_s).  Reading: BRAIN_NO when the file
 * does not exist; BRAIN_STATE when corrupt (reported). */
enum brain_status audit_key_state_read(int dirfd, uint64_t *s, unsigned char key[32]);
enum brain_status audit_key_state_write(int dirfd, uint64_t s, const unsigned char key[32]);

/* The sizes of the checkpoints in the state directory, ascending; *count
 * entries in *sizes (caller frees).  No directory: count 0. */
enum brain_status audit_checkpoint_sizes(int dirfd, uint64_t **sizes, size_t *count);

/* File name of the checkpoint of size n, inside checkpoints/. */
void audit_checkpoint_name(uint64_t n, char out[64]);

/* Write a signed checkpoint of the current log with the private key file;
 * the note in *note (caller frees).  The caller holds the lock. */
enum brain_status audit_checkpoint(struct state *st, const char *key_path, char **note);

#endif
