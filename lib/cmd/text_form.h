/*
 * text_form.h - the --format=text form of a command's records, declared
 * as data: a headline sentence and the fields worth reading, under labels
 * a person reads, in the order a person reads them.
 *
 *     static const struct text_field fields[] = {
 *             { "batch", "batch_key" }, { "applied", "applied" }, { NULL, NULL }
 *     };
 *     static const struct text_form form = {
 *             "{experiment}: {applied} of {records} events applied", fields, 0
 *     };
 *     render_form(&form);          // cmd/render.h: before the first record
 *     jsonl_write(stdout, rec);    // kept, then printed by the form
 *
 * A headline is a template: "{path}" is the value at that dotted path of
 * the record ("guardrails.opt_out.events"), "-" when it is missing or
 * null.  With table set the records are rows of a table under the fields'
 * labels (upper-cased) and the headline, filled from the first record,
 * heads it; else each record is its headline and then one aligned
 * "label  value" line per field it has, a blank line between records.
 *
 * A field of path "*" is the record's other members: those no other
 * field's path starts with, and not in the form's hide list.
 *
 * Values read as text: numbers whole when they are (else to four
 * decimals), true and false as yes and no, null as "-", an array of
 * scalars joined with ", ", an object as "key=value" pairs.  A value past
 * TEXT_LINE_MAX (TEXT_CELL_MAX in a table) is cut with "..."; the record
 * is whole a flag away (--format=jsonl).
 */
#ifndef BRAIN_TEXT_FORM_H
#define BRAIN_TEXT_FORM_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#define TEXT_CELL_MAX 72   /* bytes of a value in a table: a SHA-256 in hex fits */
#define TEXT_LINE_MAX 240  /* on a line of its own */

struct text_field {
	const char *label; /* what the line or column says */
	const char *path;  /* where the value is: a dotted path */
};

struct text_form {
	const char *headline;           /* a template, or NULL */
	const struct text_field *field; /* ended by { NULL, NULL } */
	int table;                      /* records as the rows of a table */
	const char *const *hide;        /* members "*" leaves out, ended by NULL; or NULL */
};

/* The value at dotted path in rec, or NULL. */
const cJSON *text_form_at(const cJSON *rec, const char *path);

/* value as text (see above) into a new string; NULL value is "-". */
char *text_form_value(const cJSON *value);

/* text cut to max bytes (at a UTF-8 boundary, max > 3) with "...", into
 * a new string. */
char *text_form_cut(const char *text, size_t max);

/* Print the n records (borrowed) by form to out. */
void text_form_print(const struct text_form *form, const cJSON *const *recs, size_t n,
		     FILE *out);

#endif
