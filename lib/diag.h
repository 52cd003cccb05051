/*
 * diag.h - diagnostics on stderr, in the one form every program shares:
 *
 *     brain-ab: events.jsonl:17: field 'trials' must be a non-negative integer
 *
 * Calling sequence: main calls diag_init(argv[0]) once; after that any
 * libbrain function reports a failure with
 *
 *     return diag_error(BRAIN_DATA, "field '%s' must be ...", name);
 *     return diag_error_at(BRAIN_DATA, file, line, "invalid JSON");
 *
 * which prints one line and hands the status back, so failure paths stay one
 * line (git's "return error(...)").  Messages are lowercase and carry no
 * final period.  libbrain never prints anywhere else.
 *
 * Warnings (diag_warn) and progress lines are silenced by diag_set_quiet(1);
 * errors never are.  Tests may send diagnostics to another stream with
 * diag_set_stream, for example a memstream, and read them back.
 */
#ifndef BRAIN_DIAG_H
#define BRAIN_DIAG_H

#include <stdio.h>

#include "status.h"

#define DIAG_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

/* Set the program name from argv[0] (its basename is used).  The string is
 * borrowed and must outlive every diagnostic. */
void diag_init(const char *argv0);

/* The program name set by diag_init, or "brain" before it is called. */
const char *diag_program(void);

/* The text of the last diagnostic without program name and location
 * ("invalid JSON at byte 3"), for keeping with a rejected record.  Static
 * storage, overwritten by the next diagnostic. */
const char *diag_last(void);

/* The same with its location ("audit.log:3: invalid JSON at byte 3"), for
 * a report that must say where. */
const char *diag_last_where(void);

/* Where diagnostics go; NULL means stderr.  The stream is borrowed.
 * Returns the stream set before (NULL: stderr), to put back. */
FILE *diag_set_stream(FILE *stream);

/* Non-zero silences diag_warn and diag_progress. */
void diag_set_quiet(int quiet);
int diag_quiet(void);

/* Print "program: message" and return status. */
enum brain_status diag_error(enum brain_status status, const char *fmt, ...)
	DIAG_PRINTF(2, 3);

/* Print "program: file:line: message" (":line" left out when line is 0,
 * "file: " left out when file is NULL) and return status. */
enum brain_status diag_error_at(enum brain_status status, const char *file,
				long line, const char *fmt, ...) DIAG_PRINTF(4, 5);

/* Print "program: message" plus ": " and strerror(errnum); return status,
 * or BRAIN_IO whatever it was when errnum says the system ran out of
 * something or failed (EMFILE, ENFILE, ENOMEM, ENOSPC, EDQUOT, EIO): exit 6,
 * as brain(7) says of a system error.  errno is errnum afterwards. */
enum brain_status diag_errno_status(enum brain_status status, int errnum);
enum brain_status diag_errno(enum brain_status status, int errnum,
			     const char *fmt, ...) DIAG_PRINTF(3, 4);

/* Print "program: warning: message" unless quiet. */
void diag_warn(const char *fmt, ...) DIAG_PRINTF(1, 2);

/* Out of memory: print and exit(BRAIN_IO).  The one place libbrain exits. */
_Noreturn void diag_oom(void);

/* Allocation wrappers that call diag_oom instead of returning NULL. */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);

#endif
