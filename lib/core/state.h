/*
 * state.h - the state directory: where it is, whether it is safe, and the
 * writer lock.
 *
 * A command that changes state does not call these two itself: it begins
 * a change with change_begin (change.h), which opens, locks and finishes
 * a change that a killed writer left.  Underneath, that is:
 *
 *     struct state st;
 *     if ((status = state_open(&st, cli.state_dir, STATE_WRITE)))
 *             return status;
 *     if ((status = state_lock(&st, wait_seconds)))      // BRAIN_BUSY
 *             goto out;
 *     ... read, change (file.h), record (audit.h) ...
 *  out:
 *     state_close(&st);                                   // unlocks
 *
 * A reader opens with STATE_READ and takes no lock: files are only ever
 * replaced atomically or appended by whole lines, so it never sees half of
 * a write.
 *
 * Every file is opened relative to st.dirfd (openat), which was opened
 * O_DIRECTORY|O_NOFOLLOW and checked: owned by the effective user, not
 * group- or world-writable.  FORMAT must say "brain-state 1".  A missing
 * directory is created (0700, parents too) only by a writer; a reader gets
 * exit 4 naming the path it looked at.
 */
#ifndef BRAIN_STATE_H
#define BRAIN_STATE_H

#include <stddef.h>

#include "status.h"

#define STATE_FORMAT_LINE "brain-state 1\n"

enum state_mode {
	STATE_READ,   /* must exist; never created, never locked */
	STATE_WRITE   /* created with FORMAT when missing */
};

struct state {
	char *path;    /* the directory, as resolved; owned */
	int dirfd;     /* open O_DIRECTORY descriptor */
	int lockfd;    /* descriptor holding the flock, or -1 */
	int created;   /* 1 when state_open created it */
};

/* The state directory to use: option (from -S) if not NULL, else
 * $BRAIN_STATE_DIR, else $XDG_STATE_HOME/brain, else $HOME/.local/state/brain.
 * *out is owned by the caller.  BRAIN_STATE when none can be found (no
 * HOME), reported. */
enum brain_status state_resolve_path(const char *option, char **out);

/* Resolve, open and check the directory (see above).  On success the
 * caller must state_close(st). */
enum brain_status state_open(struct state *st, const char *option, enum state_mode mode);

/* Take the writer lock, waiting up to wait_seconds (0: try once).
 * BRAIN_BUSY (reported) when another writer holds it that long.  It only
 * locks: finishing an interrupted change is change_begin's job. */
enum brain_status state_lock(struct state *st, double wait_seconds);

/* Release the lock if held. */
void state_unlock(struct state *st);

/* Unlock, close, free. */
void state_close(struct state *st);

/* Open (and with create, make, 0700) the subdirectory name, which must be
 * a valid id.  The caller closes *fd. */
enum brain_status state_subdir(struct state *st, const char *name, int create, int *fd);

/* The entries of subdir (a valid id) that keep accepts, sorted by strcmp
 * after keep has had its say: keep(name, arg) returns 1 to list the name
 * (and may shorten it in place, e.g. drop a ".json"), 0 to skip it.  A
 * missing subdir lists nothing.  *names and each name are the caller's:
 * state_names_free. */
typedef int state_keep_fn(char *name, void *arg);
enum brain_status state_list(struct state *st, const char *subdir, state_keep_fn *keep,
			     void *arg, char ***names, size_t *n);
void state_names_free(char **names, size_t n);

/* A state_keep_fn that lists the names that are valid ids (pure/ident.h):
 * the directories of the entities of a block. */
int state_keep_id(char *name, void *arg);

/* Lock primitive on any open file: flock(LOCK_EX), polling until
 * wait_seconds have passed.  0 on success, -1 with errno EWOULDBLOCK when
 * still busy, -1 with another errno on error. */
int lock_wait(int fd, double wait_seconds);

/* What is open to group or others below the state directory (its
 * files should be 0600, its directories 0700): how many, and the first
 * found with its mode.  Symbolic links are not followed. */
struct state_open_entries {
	size_t count;
	char first[512];
	unsigned first_mode;
};

enum brain_status state_find_open(struct state *st, struct state_open_entries *o);

#endif
