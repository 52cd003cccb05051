/*
 * jsonl.h - JSON Lines in and out of files: a line reader over a
 * descriptor, and the writer (pure/json.h parses, checks and formats).
 *
 * Reading: a jsonl_reader reads one file descriptor in large blocks and
 * hands out one line at a time, counting lines for diagnostics.
 *
 *     struct jsonl_reader r;
 *     cJSON *rec;
 *
 *     if ((status = jsonl_open(&r, path, 0)))      // path NULL or "-": stdin
 *             return status;
 *     while ((status = jsonl_next(&r, &rec)) != JSONL_EOF) {
 *             if (status) { ...bad line: reported already; stop or skip... }
 *             ...use rec, which the caller owns: cJSON_Delete(rec)...
 *     }
 *     jsonl_close(&r);
 *
 * A bad line (longer than the limit, not valid UTF-8, invalid JSON,
 * trailing bytes after the value, a value that is not an object, a
 * duplicate member name) is reported as "file:line: what" and returns
 * BRAIN_DATA; the reader stays usable, positioned after that line, so that
 * --skip-invalid can go on.  Empty and all-blank lines are not records and
 * are skipped.  A last line without LF is still a record.
 * jsonl_line gives the raw bytes of the line just read (for hashing, or
 * for keeping a rejected record verbatim).
 *
 * Fields: json_get_* read one member with its type and range checked,
 * reporting "file:line: field 'trials' must be a non-negative integer".
 * An absent optional member leaves *out untouched and returns BRAIN_OK.
 *
 * Writing: jsonl_write prints one compact object and a newline.  Members
 * come out in insertion order, so a builder that adds them in the
 * documented order gives the documented order.  A non-finite number is a
 * bug of the caller (cJSON would print null): jsonl_write refuses the
 * whole line and returns BRAIN_IO, naming the field.
 */
#ifndef BRAIN_JSONL_H
#define BRAIN_JSONL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "pure/csv.h"
#include "pure/json.h"
#include "status.h"

#define JSONL_DEFAULT_MAX_LINE ((size_t)1 << 20)
#define JSONL_EOF (-1)

struct jsonl_csv;

/* How a reader takes its input: JSON Lines, CSV, or CSV when the name
 * ends in .csv or the first line is no JSON (jsonl_csv). */
enum jsonl_input { JSONL_INPUT_JSONL, JSONL_INPUT_CSV, JSONL_INPUT_AUTO };

struct jsonl_reader {
	int fd;             /* descriptor read from */
	int owns_fd;        /* close fd in jsonl_close */
	const char *name;   /* file name for diagnostics ("stdin" for -) */
	long line;          /* number of the line last returned, 1-based */
	size_t max_line;    /* longest accepted line, without its LF */
	char *buf;          /* read buffer, owned */
	size_t cap;         /* allocated size of buf */
	size_t start;       /* first unconsumed byte in buf */
	size_t end;         /* one past the last valid byte in buf */
	int eof;            /* read(2) returned 0 */
	const char *cur;    /* current line (points into buf) */
	size_t cur_len;     /* its length without LF */
	int cur_has_lf;     /* the current line ended with LF */
	size_t cur_skip;    /* bytes to consume before the next line */
	uint64_t bytes;     /* bytes consumed so far, for progress */
	struct jsonl_csv *csv; /* CSV input, once jsonl_csv took it; owned */
};


/* Open path for reading (NULL or "-" reads stdin, named "stdin").
 * max_line 0 means JSONL_DEFAULT_MAX_LINE.  The path string is borrowed. */
enum brain_status jsonl_open(struct jsonl_reader *r, const char *path, size_t max_line);

/* Read from an open descriptor the caller keeps owning. */
void jsonl_open_fd(struct jsonl_reader *r, int fd, const char *name, size_t max_line);

/* The next line's raw bytes, without the LF, in *line and *len.  Returns
 * BRAIN_OK, JSONL_EOF, BRAIN_DATA for an over-long line (reported, and
 * skipped) or BRAIN_IO for a read error.  The bytes stay valid until the
 * next call. */
int jsonl_next_line(struct jsonl_reader *r, const char **line, size_t *len);

/* The next non-blank line parsed as an object (jsonl_next_line followed
 * by json_parse_line).  Returns BRAIN_OK with *out set (caller owns it),
 * JSONL_EOF, BRAIN_DATA (reported; reading may go on) or BRAIN_IO. */
int jsonl_next(struct jsonl_reader *r, cJSON **out);

/* Read CSV as well (pure/csv.h): with JSONL_INPUT_AUTO when the name
 * ends in ".csv" or the first line is not JSON, with JSONL_INPUT_CSV
 * always.  The first CSV line is the header; each later record comes out
 * of jsonl_next_line and jsonl_next as the JSON line of its typed object
 * (type_of gives each column's type), reported at the line where it
 * starts.  A .csv file whose first line is JSON, or JSON Lines given as
 * CSV, is refused saying so, as is a row whose field count is not the
 * header's. */
void jsonl_csv(struct jsonl_reader *r, enum jsonl_input input, csv_type_fn *type_of);

/* Whether the reader reads CSV (decided by its first line under AUTO). */
int jsonl_is_csv(const struct jsonl_reader *r);

/* The bytes the reader holds after the current JSON line, not yet
 * returned (*len of them; NULL and 0 for CSV, or before the first line):
 * for a look ahead, valid until the next read. */
const char *jsonl_ahead(const struct jsonl_reader *r, size_t *len);

/* The raw bytes of the line last returned (valid until the next read). */
const char *jsonl_line(const struct jsonl_reader *r, size_t *len);

/* The location of the line last returned. */
struct json_loc jsonl_where(const struct jsonl_reader *r);

/* Free the buffer; close the descriptor if jsonl_open opened it. */
void jsonl_close(struct jsonl_reader *r);

/* Print obj compactly plus LF to fp.  BRAIN_OK, or BRAIN_IO when the
 * object holds a non-finite number (nothing is printed) or memory runs
 * out.  Write errors show later, in cli_finish. */
enum brain_status jsonl_write(FILE *fp, const cJSON *obj);

/* Where records written to stdout go instead of as lines: set by the
 * command layer for --format=csv, and for --format=text of a command
 * without a text form of its own (cmd/render.h).  NULL: as lines. */
typedef enum brain_status jsonl_sink_fn(const cJSON *obj);
void jsonl_stdout_sink(jsonl_sink_fn *fn);

/* Stream a state log: call fn on every record of the file at path
 * (relative to dirfd), with its location; the record is the caller's only
 * during the call (fn must not delete it).  BRAIN_NO without a message
 * when the file is missing; a bad line is BRAIN_STATE (reported);
 * otherwise the first non-zero status fn returns, or BRAIN_OK.  max_line 0
 * means JSONL_DEFAULT_MAX_LINE. */
typedef enum brain_status jsonl_each_fn(void *arg, const cJSON *rec,
				       const struct json_loc *loc);
enum brain_status jsonl_each_at(int dirfd, const char *path, size_t max_line,
				jsonl_each_fn *fn, void *arg);

/* Read the file at path (from the working directory, at most max bytes)
 * as one JSON object over as many lines as it takes, as strictly as a
 * line.  BRAIN_NO without a message when the file does not exist;
 * BRAIN_DATA (reported at path) when it is not one valid object; other
 * errors as file_read_all says.  The caller deletes *out. */
enum brain_status jsonl_read_object(const char *path, size_t max, cJSON **out);

#endif
