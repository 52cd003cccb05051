/*
 * status.h - the one status type of libbrain, which is also the exit status.
 *
 * Every libbrain function that can fail returns an enum brain_status; a
 * program's main returns the status of the work it did, unchanged.  The
 * numbers are the exit status table of brain(7) and must never be
 * renumbered: operators' scripts test them.
 */
#ifndef BRAIN_STATUS_H
#define BRAIN_STATUS_H

enum brain_status {
	BRAIN_OK = 0,     /* success; the answer is yes */
	BRAIN_NO = 1,     /* the answer is no (BLOCK, not ready, failed check) */
	BRAIN_USAGE = 2,  /* unknown option, missing operand, bad option value */
	BRAIN_DATA = 3,   /* bad input data */
	BRAIN_STATE = 4,  /* state directory missing, corrupt or unsafe */
	BRAIN_BUSY = 5,   /* the state lock was not obtained within --wait */
	BRAIN_IO = 6      /* I/O or system error, out of memory */
};

/* The short lowercase name of a status ("usage", "busy"), never NULL. */
const char *brain_status_name(enum brain_status status);

#endif
