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
 */
#ifndef BRAIN_BINDING_H
#define BRAIN_BINDING_H

#include <stddef.h>

#include <cjson/cJSON.h>

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

#endif
