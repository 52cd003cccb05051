/*
 * render.h - records on standard output as CSV, or as plain text for a
 * command that has no text form of its own.
 *
 * Every command prints its records through jsonl_write(stdout, ...)
 * (core/jsonl.h).  With --format=csv, cli_next installs render's sink
 * there, so the records are kept, and cli_finish prints them: RFC 4180,
 * a header row, then a row per record, CRLF line ends.  The columns are
 * the records' members in the order they first appear (so the order of
 * the JSON Lines), nested objects flattened with dots
 * ("guardrails.opt_out.events"), arrays as their JSON text, null and
 * absent members as empty fields.  A command's output is written when it
 * ends, since the header needs every column.
 *
 * With --format=text the same sink catches the records of a command that
 * did not print a text form of its own (one that has prints no record
 * lines in text): one record as aligned "name  value" lines, several as a
 * table when they share at most RENDER_TABLE_COLUMNS columns, else one
 * such block each.  Values longer than RENDER_CELL_MAX (in a table) or
 * RENDER_LINE_MAX (on a line) are cut with "..."; --format=jsonl has them
 * whole.
 */
#ifndef BRAIN_RENDER_H
#define BRAIN_RENDER_H

#include <cjson/cJSON.h>

#include "cmd/text_form.h"
#include "status.h"

enum render_mode { RENDER_OFF, RENDER_TEXT, RENDER_CSV };

#define RENDER_TABLE_COLUMNS 9
#define RENDER_CELL_MAX 60   /* in a table */
#define RENDER_LINE_MAX 240  /* on a line of its own */

/* Keep the records written to stdout from now on, for mode (RENDER_OFF:
 * write them as lines again). */
void render_begin(enum render_mode mode);

/* Print what was kept, and stop keeping; BRAIN_IO on a write error is
 * left to the stdout check of cli_finish. */
void render_end(void);

/* With --format=text, print the records kept by form (cmd/text_form.h)
 * rather than the generic form: a command calls it before its first
 * record, and the first form given holds (a command's own, before the
 * one of a helper it shares).  Otherwise nothing. */
void render_form(const struct text_form *form);

/* Whether records are being kept (csv, or text caught). */
int render_active(void);

/* A record already printed as a JSON line (a stored packet, an audit
 * record): kept as a record when render is active, else written as it
 * is, with a newline. */
enum brain_status render_line(const char *line, size_t len);

/* The CSV field of text (RFC 4180: quoted when it holds a comma, a quote,
 * CR or LF, with quotes doubled), into a new string. */
char *render_csv_field(const char *text);

#endif
