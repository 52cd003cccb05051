/*
 * binding.h - state files bound to the audit trail.
 *
 * A change of a policy or record file (config.json, a model's
 * model.json, the clone waivers, the allowed sources) is audited with the
 * file's path and the SHA-256 of the bytes it leaves there:
 *     "details":{..., "file":"config.json", "sha256":"9f2c..."}
 * so the file in place can be checked against the trail: the last record
 * that names a file says what the file must hold.  An edit by hand, a
 * swapped model record, a deleted file: each is a mismatch, named with
 * the record.  Files no record names (state written before brain recorded
 * the hashes) are not checked.
 *
 *     binding_add(details, "config.json", text, len);   // before the record
 *     struct binding_report r;
 *     binding_check(st, &r);   // r.ok, r.files, r.detail
 *
 * binding_check reads the whole trail.  A caller that reads it anyway
 * (to verify the chain, or for other checks) gathers the bindings in its
 * own pass instead, and checks the files after:
 *
 *     struct binding_trail bt;
 *     binding_trail_init(&bt, NULL);
 *     ... binding_trail_record(&bt, line, rec, seq) for every record ...
 *     binding_trail_check(st, &bt, BRAIN_OK, &r);   // frees bt
 *
 * binding_check_verified does that for audit_verify and binding_check.
 */
#ifndef BRAIN_BINDING_H
#define BRAIN_BINDING_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/audit_verify.h"
#include "core/state.h"
#include "status.h"

/* Add "file" (path relative to the state root) and "sha256" of the
 * len bytes of text to details. */
void binding_add(cJSON *details, const char *path, const char *text, size_t len);

struct binding_report {
	int ok;              /* every bound file is as the trail last recorded it */
	size_t files;        /* files bound (named by some record) */
	char detail[512];    /* the first mismatch, naming the file and the record */
};

/* Check every bound file against the last record that names it.
 * BRAIN_STATE (reported) when the trail cannot be read. */
enum brain_status binding_check(struct state *st, struct binding_report *r);

/* The same for the one file path (r->files is 0 or 1). */
enum brain_status binding_check_file(struct state *st, const char *path,
				     struct binding_report *r);

struct binding_bound;

/* The bindings of the trail so far: the last record naming each file. */
struct binding_trail {
	struct binding_bound *bound;  /* one per file, in order of first mention; owned */
	size_t n;                     /* files named */
	const char *only;             /* the one path gathered, or NULL for all; borrowed */
};

/* Start gathering (only: as binding_check_file's path, or NULL). */
void binding_trail_init(struct binding_trail *bt, const char *only);

/* Take one record (an audit_each_fn, bt as arg); always 0: go on. */
int binding_trail_record(void *bt, const cJSON *line, const cJSON *rec, uint64_t seq);

/* Check the files gathered, as binding_check does after its read, whose
 * status read was (BRAIN_NO, no log, is no error); frees what bt holds. */
enum brain_status binding_trail_check(struct state *st, struct binding_trail *bt,
				      enum brain_status read, struct binding_report *r);

/* Free what bt holds without checking. */
void binding_trail_free(struct binding_trail *bt);

/* audit_verify (o, rep) then binding_check (r), in one pass over the log
 * when it verifies; a second only when it does not, as the bindings need
 * the records past a break.  Returns audit_verify's status, then
 * binding_check's. */
enum brain_status binding_check_verified(struct state *st, const struct audit_verify_opts *o,
					 struct audit_report *rep, struct binding_report *r);

#endif
