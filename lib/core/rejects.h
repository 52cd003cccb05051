/*
 * rejects.h - where --skip-invalid keeps what it did not apply.
 *
 * Nothing given to a command is dropped silently: each rejected input
 * record is written, with the reason, to one file per command run in the
 * rejects/ directory of the state directory:
 *
 *     rejects/<program>-<YYYYmmddTHHMMSSZ>-<pid>.jsonl
 *     {"file":"events.jsonl","line":17,"reason":"field 'trials' must be ...","record":"<raw line>"}
 *
 * The file is created on the first reject, so a clean run leaves nothing.
 * The caller holds the state lock; each line is appended and synced.
 */
#ifndef BRAIN_REJECTS_H
#define BRAIN_REJECTS_H

#include <stddef.h>

#include "core/state.h"
#include "status.h"

struct rejects {
	struct state *st;   /* borrowed */
	int fd;             /* -1 until the first reject */
	char name[128];     /* file name under rejects/ */
	size_t count;       /* rejects written */
};

void rejects_init(struct rejects *r, struct state *st);

/* Keep one rejected record (raw bytes, len) with where it came from and
 * why.  BRAIN_IO when it cannot be written (reported). */
enum brain_status rejects_add(struct rejects *r, const char *file, long line,
			      const char *reason, const char *raw, size_t len);

void rejects_close(struct rejects *r);

/* A record the reader r just refused (its diagnostic printed): the bad
 * records rule in one place.  Without skip_invalid (the command's
 * --skip-invalid) it returns BRAIN_DATA
 * (stop; apply nothing).  With it, the raw line is kept in rejects (when
 * rj is not NULL: a dry run keeps nothing), *bad becomes BRAIN_DATA, and
 * it returns BRAIN_OK to go on, or BRAIN_IO when the reject cannot be
 * written. */
struct jsonl_reader;
enum brain_status rejects_refuse(int skip_invalid, struct rejects *rj,
				 const struct jsonl_reader *r, enum brain_status *bad);

#endif
