/*
 * keyset_file.h - key sets (pure/keyset.h) in files of the state
 * directory.
 */
#ifndef BRAIN_KEYSET_FILE_H
#define BRAIN_KEYSET_FILE_H

#include <stdio.h>

#include "pure/keyset.h"
#include "status.h"

/* Load the set in file name at dirfd into ks (initialised here); a
 * missing file is an empty set.  BRAIN_STATE (reported) when corrupt. */
enum brain_status keyset_load(struct keyset *ks, int dirfd, const char *name);

/* Write the whole set, sorted, to fp.  0 on success, -1 on a write error. */
int keyset_write(const struct keyset *ks, FILE *fp);

#endif
