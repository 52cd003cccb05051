/*
 * file.h - crash-safe file writes, relative to a directory descriptor.
 *
 * Replacing a file (redis's rdbSave discipline): the new content goes to a
 * temporary ".NAME.tmp.XXXXXX" in the same directory, is fsynced, renamed
 * over NAME, and the directory is fsynced.  A reader sees the old file or
 * the new one, never a mix; a crash before the rename leaves the old file
 * intact (and a harmless temporary).
 *
 *     struct file_replace fr;
 *     if ((status = file_replace_begin(&fr, dirfd, "tally.json")))
 *             return status;
 *     fputs(text, fr.fp);
 *     status = file_replace_commit(&fr);   // or file_replace_abort(&fr)
 *
 * file_replace_prepare does the writing and fsync without the rename, so
 * change.h can journal the change and append its audit record in between:
 * the change is published only after its record is durable.
 *
 * Appending to a log: one write(2) of whole lines on an O_APPEND
 * descriptor, then fdatasync.  A short write is truncated back, so a log
 * never keeps half of a line that this process wrote.  Lines staged in a
 * file (file_temp) are appended from it by file_append_from, a chunk of
 * whole lines per write(2), so a batch larger than memory is appended
 * without being held.
 *
 * Staging: file_temp gives a file without a name in a directory, gone
 * when closed, so that a process killed while it stages leaves nothing
 * behind.  Where the file system cannot make one (O_TMPFILE), the file is
 * named FILE_TEMP_PREFIX and six characters and unlinked at once;
 * file_temp_sweep removes one that a kill in between left.
 */
#ifndef BRAIN_FILE_H
#define BRAIN_FILE_H

#include <stdio.h>
#include <sys/types.h>

#include "status.h"

struct file_replace {
	int dirfd;        /* directory of the file, borrowed */
	char *name;       /* final name, owned */
	char *tmpname;    /* temporary name, owned */
	FILE *fp;         /* write the new content here */
	int written;      /* written and closed (fp NULL), not yet fsynced */
	int prepared;     /* written and fsynced, not yet renamed */
};

/* Create the temporary file (mode 0600).  The caller writes to fr->fp. */
enum brain_status file_replace_begin(struct file_replace *fr, int dirfd, const char *name);

/* Flush, fsync and close the temporary; on failure remove it. */
enum brain_status file_replace_prepare(struct file_replace *fr);

/* Flush and close the temporary without the fsync, so that a change of
 * many files holds no descriptor per file and syncs them together (see
 * file_replace_synced); file_replace_prepare still works after it.  On
 * failure the temporary is removed. */
enum brain_status file_replace_close(struct file_replace *fr);

/* Say that a closed temporary is durable: its file system was synced
 * (syncfs) after file_replace_close. */
void file_replace_synced(struct file_replace *fr);

/* Prepare if not done, rename over the name, fsync the directory. */
enum brain_status file_replace_commit(struct file_replace *fr);

/* Remove the temporary and release everything; safe after any step. */
void file_replace_abort(struct file_replace *fr);

/* Replace name with exactly len bytes of buf. */
enum brain_status file_replace(int dirfd, const char *name, const void *buf, size_t len);

/* BRAIN_STATE (reported, naming name and the mode) when the file or
 * directory at fd is open to group or others: everything under the state
 * directory is 0600 or 0700. */
enum brain_status file_check_private(int fd, const char *name);

/* Open name for appending, and reading its tail (created 0600 when missing). */
enum brain_status file_append_open(int dirfd, const char *name, int *fd);

/* Append len bytes (whole lines) in one write(2) and fdatasync.  On a short
 * or failed write the file is truncated back to its size before, and
 * BRAIN_IO is returned; fdatasync failure is BRAIN_IO and never retried. */
enum brain_status file_append(int fd, const char *name, const void *buf, size_t len);

/* Append the first len bytes of the file at srcfd (whole lines, read
 * from offset 0 with pread, so its offset does not matter) to the file at
 * fd: chunks of whole lines, one write(2) each, then fdatasync.  On
 * failure the file is cut back to its size before and BRAIN_IO returned;
 * a line longer than the memory it needs is BRAIN_IO as any failure. */
enum brain_status file_append_from(int fd, const char *name, int srcfd, off_t len);

#define FILE_TEMP_PREFIX ".staging."

/* A new empty file in dirfd, open for reading and writing (mode 0600),
 * that has no name: it is gone once *fd is closed, also after a kill.
 * The caller closes *fd. */
enum brain_status file_temp(int dirfd, int *fd);

/* Remove what file_temp's fallback left in dirfd (a process killed
 * between naming its file and unlinking it).  A file that another process
 * is creating at that moment loses its name early, which that process
 * does not notice.  Errors are ignored: a file left is harmless. */
void file_temp_sweep(int dirfd);

/* Read all of name.  *buf (NUL-terminated, caller frees) and *len.  A
 * missing file returns BRAIN_NO without a message; other errors BRAIN_IO
 * or BRAIN_STATE (reported).  Files over max bytes are refused (state). */
enum brain_status file_read_all(int dirfd, const char *name, size_t max,
				char **buf, size_t *len);

/* 1 when the file at fd is empty or ends with LF, 0 when it does not
 * (a torn tail), -1 on error (errno set).  *size gets its size. */
int file_ends_with_newline(int fd, off_t *size);

#endif
