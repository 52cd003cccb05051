/*
 * audit_verify.h - checking an audit log: everything in the table of
 * spec/audit-log.md, in one streaming pass.
 *
 *     struct audit_verify_opts o = { .key_path = k1, .pubkey_path = pub,
 *                                    .anchors = paths, .nanchors = n };
 *     struct audit_report rep;
 *     status = audit_verify(st.dirfd, &o, &rep);   // BRAIN_STATE: unreadable
 *     print rep with audit_report_json; exit rep.ok ? 0 : 1
 *
 * The first problem found ends the check (what follows a broken link
 * cannot be trusted either) and is named by rep.error:
 *   bad_line          not valid UTF-8 JSON of the exact layout, or over limits
 *   bad_header        line 1 is not a log.init record
 *   seq_mismatch      seq differs from the line number (insert, delete, reorder)
 *   prev_mismatch     prev differs from the hash of the line before (an edit)
 *   mac_mismatch      the MAC of the line is not the one of its position's key
 *   mac_mode          a key was given but the log says it has no MACs, or
 *                     the MAC field of an unMAC'd log is not zeros
 *   key_state_ahead   the writer's key state is past the end: the tail was cut
 *   checkpoint_bad    a checkpoint file that does not parse, or its origin differs
 *   checkpoint_signature  a checkpoint whose signature or key id does not verify
 *   checkpoint_beyond_log a checkpoint larger than the log: the tail was cut
 *   checkpoint_mismatch   root or chain at the checkpoint's size differ
 *   checkpoint_missing    checkpoints on (as the trail set them) but none
 *                         covers the last multiple of checkpoint_every
 *   key_state_missing     a MAC'd log without audit.key
 *   anchor_bad / anchor_beyond_log / anchor_mismatch   the same for --anchor
 *   torn_tail         bytes after the last LF: a crash, not tampering
 * Timestamps that go backwards are counted as warnings, never errors.
 *
 * Checks that need the records too (binding.h, the script registry, the
 * outcomes) can ride on the same pass instead of reading the log again:
 * o.each is then called as audit_each calls it, with every line that
 * verified, parsed as audit_each parses it (strict JSON, pure/json.h).
 * rep.each_complete says whether each saw all that audit_each would have
 * shown it: the log was read to its end, every line verified and parsed
 * (a failure found after the last line, on checkpoints or the key state,
 * leaves it 1).  When it is 0 (a broken chain, a torn tail, a line that is
 * not strict JSON) what follows the break was not read, and a caller that
 * needs every record reads them with audit_each after all.  Once each
 * returns non-zero it is not called again; the check goes on.
 */
#ifndef BRAIN_AUDIT_VERIFY_H
#define BRAIN_AUDIT_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/audit.h"
#include "status.h"

struct audit_verify_opts {
	const char *key_path;         /* file holding hex K_1, or NULL */
	const char *pubkey_path;      /* Ed25519 public key PEM, or NULL */
	const char *const *anchors;   /* head JSON or checkpoint note files */
	size_t nanchors;
	int progress;                 /* show a progress line on stderr */
	audit_each_fn *each;          /* called with every record, or NULL */
	void *each_arg;               /* its first argument */
};

struct audit_report {
	int ok;                  /* 1 when intact */
	const char *error;       /* error code (see above), or NULL */
	uint64_t seq;            /* the record concerned, 0 if none */
	char detail[256];        /* one sentence */
	uint64_t size;           /* records checked (intact prefix) */
	char hash[65];           /* head hash of those */
	const char *mac;         /* "none", "verified" or "unchecked" */
	size_t checkpoints;      /* checkpoints checked */
	const char *signatures;  /* "verified", "unchecked" or "none" */
	size_t anchors;          /* anchors checked */
	uint64_t warnings;       /* timestamps going backwards */
	int each_complete;       /* o.each was given every record (see above) */
};

/* Check the log in the state directory dirfd.  BRAIN_OK when the check
 * ran (rep says what it found), BRAIN_STATE when there is no log or it
 * cannot be read, BRAIN_IO/BRAIN_USAGE for unreadable key files. */
enum brain_status audit_verify(int dirfd, const struct audit_verify_opts *o,
			       struct audit_report *rep);

/* The report as one JSON object (caller deletes). */
cJSON *audit_report_json(const struct audit_report *rep);

#endif
