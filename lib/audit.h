/*
 * audit.h - appending to the audit trail (audit.log in the state
 * directory); the format is brain-audit(1) and spec/audit-log.md.
 *
 * Every change of state is recorded in the same locked section as the
 * change itself.  The order that keeps "a change and its record land
 * together": prepare the new file (file_replace_prepare: written and
 * fsynced, not yet visible), append the record (durable on return), then
 * publish the change (file_replace_commit).  A crash in between leaves a
 * record whose change was not published; brain-verify reports it.
 *
 *     struct audit_event ev = { .subject = "lock.wait_seconds",
 *             .action = "config.set", .status = "SUCCESS",
 *             .details = details, .reason = cli.reason };
 *     struct audit_ack ack;
 *     status = audit_append(&st, config_string(cfg, "audit.origin"), &ev, &ack);
 *
 * The caller holds the state lock.  The first append creates the log with
 * its header record (log.init).  A log whose last line has no LF (a torn
 * tail from a crash) is refused with BRAIN_STATE, pointing to
 * brain-verify --repair; nothing is appended after a torn tail.
 */
#ifndef BRAIN_AUDIT_H
#define BRAIN_AUDIT_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "state.h"
#include "status.h"

#define AUDIT_LOG "audit.log"
#define AUDIT_MAX_LINE 65536
#define AUDIT_MAX_DEPTH 32

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
};

/* Append one record.  BRAIN_OK with ack filled; BRAIN_DATA for a bad event
 * (details not an object, too deep, line over 64 KiB); BRAIN_STATE for a
 * torn or unreadable log; BRAIN_IO when the write or sync failed (the
 * record is then not acknowledged). */
enum brain_status audit_append(struct state *st, const char *origin,
			       const struct audit_event *ev, struct audit_ack *ack);

/* The actor of this process: $BRAIN_ACTOR, else the login name, else
 * "uid:N".  Borrowed static storage. */
const char *audit_actor(void);

/* Lowercase hex of len bytes into out (2 * len + 1 bytes). */
void audit_hex(const unsigned char *bytes, size_t len, char *out);

#endif
