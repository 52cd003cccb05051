/*
 * ident.h - identifiers and display names.
 *
 * Every entity (variant, script, model, clone, source) has a display name,
 * which may hold spaces and any printable UTF-8 ("Lead Scorer"), and an id
 * matching [a-z0-9][a-z0-9._-]{0,63}.  Only ids ever become file names, and
 * ident_check runs before any path is built, so "../etc", "a/b", "", an
 * over-long name or a control character can never reach the file system.
 *
 * Slugging: ASCII letters are lowercased, ASCII digits kept, '.' and '_'
 * kept, and every other run of bytes (spaces, punctuation, non-ASCII
 * UTF-8) becomes one '-'; leading and trailing '-', '.' and '_' are
 * trimmed; the result is cut to 64 bytes (and trimmed again).
 * "Lead Scorer" -> "lead-scorer", "High-Energy" -> "high-energy".
 */
#ifndef BRAIN_IDENT_H
#define BRAIN_IDENT_H

#include <stddef.h>

#include "status.h"

#define IDENT_MAX 64

/* 1 when id is a valid id, else 0. */
int ident_valid(const char *id);

/* Validate id; on failure report "invalid WHAT 'ID': reason" and return
 * BRAIN_DATA.  what names the kind of id in the message ("variant id"). */
enum brain_status ident_check(const char *id, const char *what);

/* Slug name into out (at least IDENT_MAX + 1 bytes).  Returns BRAIN_OK, or
 * BRAIN_DATA (reported) when nothing usable is left ("!!!", ""). */
enum brain_status ident_slug(const char *name, char out[IDENT_MAX + 1]);

/* Validate a display name: 1 to 256 bytes of valid UTF-8 with no control
 * characters.  Reports "invalid WHAT: reason" and returns BRAIN_DATA. */
enum brain_status ident_check_name(const char *name, const char *what);

/* The same check without a message: 0 when valid, -1 when not. */
int ident_check_name_quiet(const char *name);

/* The id of an entity named name (what names it in messages): name
 * itself when it is a valid id, else its slug.  BRAIN_DATA (reported) for
 * a name that is not a valid display name. */
enum brain_status ident_from_name(const char *name, const char *what,
				  char id[IDENT_MAX + 1]);

#endif
