/*
 * change.h - a change of state and its audit records land together or not
 * at all.
 *
 * A change is some prepared file replacements (file_replace_prepare: the
 * new content written and synced, not yet renamed) and some whole-line
 * appends, plus the audit records that describe it.  change_commit does,
 * in this order:
 *
 *   1. write the journal (the file "journal" at the state root, replaced
 *      atomically): the size of audit.log and the number of records to
 *      come, every prepared temporary with its final name, every appended
 *      file with its size before;
 *   2. the appends;
 *   3. the audit records (audit_append_many: durable on return);
 *   4. the renames of the prepared files (and the removals);
 *   5. remove the journal.
 *
 * A writer that dies on the way leaves the journal behind.  The next writer
 * to take the lock (state_lock) finishes the change: if audit.log has all
 * of the change's records (whole lines) past the size in the journal, they
 * landed and the prepared files are renamed into place, the removals done
 * (rolled forward); otherwise the change never happened and is undone
 * (temporaries removed,
 * appended files cut back to their size before, and audit.log too: records
 * of a batch cut short were never acknowledged; their bytes go to
 * rejects/).  Either way the journal is removed, so the state and the
 * audit trail agree again.
 *
 *     struct state st;
 *     change_begin(&st, cli->state_dir, cli->wait, NULL);  // open, lock, recover
 *     struct change c;
 *     change_init(&c, &st);
 *     change_replace(&c, "scripts", &fr);            // fr prepared
 *     change_append(&c, "eval/outcomes.jsonl", fd, text, len);
 *     change_append_file(&c, "learning/records.jsonl", fd, staged, size);
 *     status = change_commit(&c, NULL, evs, n, acks);  // frees c
 *
 * change_begin is the one way a writer opens the state: it takes the lock
 * and finishes an interrupted change before the writer reads anything.
 * The common change of one JSON file and its record is change_save_json.
 *
 * The caller holds the state lock.  A change_replace'd file_replace
 * belongs to the change from then on: change_commit or change_abort
 * commits or aborts it.
 *
 * For tests of crash recovery, the environment variable BRAIN_FAULT set to
 * "change-journaled", "change-appended" or "change-audited" kills the
 * process (SIGKILL) right after that step; a writer may name a step of its
 * own with change_fault.
 */
#ifndef BRAIN_CHANGE_H
#define BRAIN_CHANGE_H

#include <stddef.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

#include "core/audit.h"
#include "core/file.h"
#include "core/state.h"
#include "status.h"

#define CHANGE_JOURNAL "journal"

struct change_replace {
	char *dir;                 /* directory relative to the state root, "" for the root */
	struct file_replace *fr;   /* prepared; borrowed until commit/abort */
};

struct change_append {
	char *path;                /* relative to the state root */
	int fd;                    /* open for appending; borrowed */
	const void *buf;           /* whole lines; borrowed; NULL when they are in srcfd */
	int srcfd;                 /* the file of the lines when buf is NULL; borrowed */
	off_t len;                 /* bytes to append */
	off_t size;                /* size of the file before */
};

struct change_remove {
	char *dir;                 /* directory relative to the state root */
	char *name;                /* file, or directory of files, to remove */
};

struct change {
	struct state *st;
	struct change_replace *rep;
	size_t nrep;
	struct change_append *app;
	size_t napp;
	struct change_remove *rem;
	size_t nrem;
};

void change_init(struct change *c, struct state *st);

/* Publish the prepared fr (in dir, relative to the state root) with the change. */
void change_replace(struct change *c, const char *dir, struct file_replace *fr);

/* Append len bytes of whole lines to the file at fd (path relative to the
 * state root) with the change.  Nothing is written before change_commit. */
void change_append(struct change *c, const char *path, int fd, const void *buf, size_t len);

/* The same for len bytes of whole lines staged in the file at srcfd (from
 * its start; file_append_from): a batch larger than memory.  srcfd is
 * borrowed and must stay open until change_commit returns. */
void change_append_file(struct change *c, const char *path, int fd, int srcfd, off_t len);

/* Remove name (a file, or a directory holding only files) from dir,
 * relative to the state root, with the change: after the audit records,
 * like a replacement.  It goes out of sight in one rename to ".NAME.trash"
 * before its files are deleted. */
void change_remove(struct change *c, const char *dir, const char *name);

/* Journal, append, audit (count records), publish; see above.  On failure
 * before the records landed everything is undone; once they have landed
 * the change is published even if a later step reports an error.  Frees
 * what the change holds. */
enum brain_status change_commit(struct change *c, const char *origin,
				const struct audit_event *evs, size_t count,
				struct audit_ack *acks);

/* The common case: a change of one prepared replacement (fr, in dir) with
 * one audit record. */
enum brain_status change_replace_one(struct state *st, const char *dir, struct file_replace *fr,
				     const char *origin, const struct audit_event *ev,
				     struct audit_ack *ack);

/* Kill the process (SIGKILL) when BRAIN_FAULT names point: a step of a
 * writer's own for tests of crash recovery (see above). */
void change_fault(const char *point);

/* Give up a change before change_commit: abort its replacements. */
void change_abort(struct change *c);

enum change_recovery {
	CHANGE_NONE,        /* no journal */
	CHANGE_FORWARD,     /* the records had landed: the change was published */
	CHANGE_BACK         /* the records had not landed: the change was undone */
};

/* Begin changing the state at option (the -S value or NULL; see
 * state_resolve_path): open it for writing (creating it), take the writer
 * lock waiting wait seconds (wait < 0: lock.wait_seconds of config.json),
 * and finish a change that a killed writer left (what was done goes to
 * *how when how is not NULL).  On failure nothing is left open; on success
 * the caller state_close()s, which unlocks. */
enum brain_status change_begin(struct state *st, const char *option, double wait,
			       enum change_recovery *how);

/* The same for a state already open for writing: lock (wait as above) and
 * recover.  On failure the state stays open and unlocked. */
enum brain_status change_lock(struct state *st, double wait, enum change_recovery *how);

/* Save doc (printed as formatted JSON and a newline) as name in dir
 * (relative to the state root, "" for the root; made 0700 when missing)
 * with the one audit record ev (origin: NULL for audit.origin), as one
 * change.  doc and ev are borrowed.  The caller holds the lock. */
enum brain_status change_save_json(struct state *st, const char *dir, const char *name,
				   const cJSON *doc, const char *origin,
				   const struct audit_event *ev);

/* One JSON file of a change: doc (borrowed) saved as name in dir. */
struct change_json {
	const char *dir;     /* relative to the state root, "" for the root */
	const char *name;    /* the file's name in it */
	const cJSON *doc;    /* what it holds */
};

/* Save the n files of docs as change_save_json saves one, each with its
 * audit record evs[i] (which binds it), as one change: all or none. */
enum brain_status change_save_jsons(struct state *st, const struct change_json *docs, size_t n,
				    const char *origin, const struct audit_event *evs);

/* Finish an interrupted change, if the journal says there is one.  The
 * caller holds the lock.  BRAIN_STATE (reported) when the journal cannot be
 * read or applied; it is then left in place. */
enum brain_status change_recover(struct state *st, enum change_recovery *how);

/* 1 when a journal is present (an interrupted change waits for the next
 * writer), 0 when not. */
int change_pending(int dirfd);

#endif
