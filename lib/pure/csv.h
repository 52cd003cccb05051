/*
 * csv.h - RFC 4180 records: split a record into its fields, and type a
 * field as a column's schema says.  Pure: text in, strings and cJSON out.
 *
 * A record is one line, or several when a quoted field holds a line
 * break; csv_complete says whether the text so far ends one.  Fields are
 * separated by commas; a field that starts with a quote runs to the
 * closing quote, a doubled quote inside standing for one; a CR before the
 * line end is dropped.  Text after a closing quote, or a quote inside an
 * unquoted field, is malformed.
 *
 * Typing: CSV has only text, so each column's type comes from the
 * reading program's schema (CSV_STRING for a phone number of digits, a
 * zip code with a leading 0); a cell that does not read as its type is
 * kept as text, so that the record's own checks report it by field and
 * line; an empty cell is an absent member; a column "a.b" is member b of
 * object a.
 */
#ifndef BRAIN_CSV_H
#define BRAIN_CSV_H

#include <stddef.h>

#include <cjson/cJSON.h>

enum csv_type {
	CSV_STRING,
	CSV_NUMBER,     /* a JSON number */
	CSV_BOOL,       /* true/false, yes/no, 1/0 (any case) */
	CSV_BOOL_OR_NUMBER, /* a boolean, else a number (a flag on an event, a count on an
			     * aggregate) */
	CSV_LIST,       /* items separated by ';', as an array of strings */
	CSV_BOOL_OR_LIST /* a boolean, else a list (an opt-out of all channels or some) */
};

struct csv_fields {
	char **v;        /* the fields, owned */
	size_t n, cap;
};

/* Whether text (len bytes, without the final line end) ends a record:
 * its quotes are balanced. */
int csv_complete(const char *text, size_t len);

/* Split a complete record into f (emptied first); -1 when malformed, with
 * *at the byte where. */
int csv_split(const char *text, size_t len, struct csv_fields *f, size_t *at);

void csv_fields_free(struct csv_fields *f);

/* Whether a line is more likely a CSV header than JSON: it does not start
 * with '{' or '[' (after blanks) and is not empty. */
int csv_looks_like_header(const char *text, size_t len);

/* The record of one row under header names, each typed by type_of(name);
 * NULL when two columns clash ("a" and "a.b"). */
typedef enum csv_type csv_type_fn(const char *column);
cJSON *csv_record(char *const *names, char *const *values, size_t n, csv_type_fn *type_of);

/* Check a header: names non-empty and distinct; -1 with *bad the index of
 * the first that is not. */
int csv_header_check(char *const *names, size_t n, size_t *bad);

#endif
