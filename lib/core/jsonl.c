/* jsonl.c - reading JSON Lines from a descriptor, and writing them; see jsonl.h. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "diag.h"
#include "core/file.h"
#include "core/jsonl.h"
#include "banned.h"

#define READ_BLOCK ((size_t)1 << 16)

struct jsonl_csv;
static void csv_free(struct jsonl_csv *c);


void jsonl_open_fd(struct jsonl_reader *r, int fd, const char *name, size_t max_line)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->name = name;
	r->max_line = max_line ? max_line : JSONL_DEFAULT_MAX_LINE;
	r->cap = READ_BLOCK * 4;
	r->buf = xmalloc(r->cap);
}

enum brain_status jsonl_open(struct jsonl_reader *r, const char *path, size_t max_line)
{
	int fd;

	if (!path || !strcmp(path, "-")) {
		jsonl_open_fd(r, STDIN_FILENO, "stdin", max_line);
		return BRAIN_OK;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return diag_errno(BRAIN_IO, errno, "cannot open '%s'", path);
	jsonl_open_fd(r, fd, path, max_line);
	r->owns_fd = 1;
	return BRAIN_OK;
}

void jsonl_close(struct jsonl_reader *r)
{
	if (r->owns_fd)
		close(r->fd);
	free(r->buf);
	r->buf = NULL;
	csv_free(r->csv);
	r->csv = NULL;
}

/* Read more bytes after end, moving the unconsumed part to the front and
 * growing the buffer when it is full.  Returns bytes read, 0 at EOF, -1 on
 * error (reported). */
static ssize_t fill(struct jsonl_reader *r)
{
	ssize_t n;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->cap - r->end < READ_BLOCK) {
		r->cap *= 2;
		r->buf = xrealloc(r->buf, r->cap);
	}
	do
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		diag_errno(BRAIN_IO, errno, "%s: read error", r->name);
		return -1;
	}
	if (n == 0)
		r->eof = 1;
	r->end += (size_t)n;
	return n;
}

/* Discard the rest of an over-long line, up to and including its LF. */
static int skip_rest_of_line(struct jsonl_reader *r)
{
	for (;;) {
		char *lf = memchr(r->buf + r->start, '\n', r->end - r->start);

		if (lf) {
			r->bytes += (uint64_t)(lf + 1 - (r->buf + r->start));
			r->start = (size_t)(lf + 1 - r->buf);
			return BRAIN_OK;
		}
		r->bytes += r->end - r->start;
		r->start = r->end = 0;
		if (r->eof)
			return BRAIN_OK;
		if (fill(r) < 0)
			return BRAIN_IO;
	}
}

static int raw_next_line(struct jsonl_reader *r, const char **line, size_t *len)
{
	size_t scanned = 0;

	r->start += r->cur_skip;
	r->bytes += r->cur_skip;
	r->cur_skip = 0;
	for (;;) {
		size_t avail = r->end - r->start;
		char *lf = memchr(r->buf + r->start + scanned, '\n', avail - scanned);

		if (lf) {
			r->cur_len = (size_t)(lf - (r->buf + r->start));
			r->cur_has_lf = 1;
			break;
		}
		scanned = avail;
		if (avail > r->max_line) {
			r->line++;
			r->cur = NULL;
			if (skip_rest_of_line(r) != BRAIN_OK)
				return BRAIN_IO;
			return diag_error_at(BRAIN_DATA, r->name, r->line,
					     "line longer than %zu bytes", r->max_line);
		}
		if (r->eof) {
			if (avail == 0)
				return JSONL_EOF;
			r->cur_len = avail;
			r->cur_has_lf = 0;
			break;
		}
		if (fill(r) < 0)
			return BRAIN_IO;
	}
	r->line++;
	r->cur = r->buf + r->start;
	r->cur_skip = r->cur_len + (size_t)r->cur_has_lf;
	if (r->cur_len > r->max_line)
		return diag_error_at(BRAIN_DATA, r->name, r->line,
				     "line longer than %zu bytes", r->max_line);
	*line = r->cur;
	*len = r->cur_len;
	return BRAIN_OK;
}

/* CSV input: what jsonl_csv chose, the header, and the record last made. */
struct jsonl_csv {
	enum jsonl_input input;   /* AUTO until the first line decides */
	csv_type_fn *type_of;
	struct csv_fields header, row;
	char *record;             /* the physical lines of the record, joined */
	size_t rlen, rcap;
	char *json;               /* the record as a JSON line, owned */
	size_t json_len;
	long line;                /* where the record starts */
};

void jsonl_csv(struct jsonl_reader *r, enum jsonl_input input, csv_type_fn *type_of)
{
	size_t n = strlen(r->name);

	r->csv = xcalloc(1, sizeof(*r->csv));
	r->csv->input = input;
	if (input == JSONL_INPUT_AUTO && n > 4 && !strcasecmp(r->name + n - 4, ".csv"))
		r->csv->input = JSONL_INPUT_CSV;
	r->csv->type_of = type_of;
}

static void csv_free(struct jsonl_csv *c)
{
	if (!c)
		return;
	csv_fields_free(&c->header);
	csv_fields_free(&c->row);
	free(c->record);
	free(c->json);
	free(c);
}

static void record_add(struct jsonl_csv *c, const char *line, size_t len)
{
	if (c->rlen + len + 2 > c->rcap) {
		c->rcap = 2 * (c->rlen + len + 2);
		c->record = xrealloc(c->record, c->rcap);
	}
	if (c->rlen)
		c->record[c->rlen++] = '\n';
	memcpy(c->record + c->rlen, line, len);
	c->rlen += len;
}

/* The next CSV record's physical lines, joined while a quote is open. */
static int csv_gather(struct jsonl_reader *r, struct jsonl_csv *c)
{
	const char *line;
	size_t len;
	int rc;

	c->rlen = 0;
	do {
		if ((rc = raw_next_line(r, &line, &len)) == JSONL_EOF && c->rlen)
			return diag_error_at(BRAIN_DATA, r->name, c->line,
					     "a quoted field is not closed before the end");
		if (rc)
			return rc;
		if (!c->rlen)
			c->line = r->line;
		if (!c->rlen && json_blank(line, len))
			continue;
		record_add(c, line, len);
	} while (!c->rlen || !csv_complete(c->record, c->rlen));
	return BRAIN_OK;
}

static int csv_fields(struct jsonl_reader *r, struct jsonl_csv *c, struct csv_fields *f)
{
	size_t at;

	if (csv_split(c->record, c->rlen, f, &at))
		return diag_error_at(BRAIN_DATA, r->name, c->line,
				     "not CSV: a quote at byte %zu is neither around a field nor "
				     "doubled", at + 1);
	return BRAIN_OK;
}

/* The header: its names non-empty and distinct. */
static int csv_take_header(struct jsonl_reader *r, struct jsonl_csv *c)
{
	size_t bad;
	int rc;

	if ((rc = csv_gather(r, c)))
		return rc;
	if (c->record[0] == '{')
		return diag_error_at(BRAIN_DATA, r->name, c->line, "this is JSON Lines, not CSV: "
				     "its first line is a JSON object (give it a name that does "
				     "not end in .csv, or --input-format=jsonl)");
	if ((rc = csv_fields(r, c, &c->header)))
		return rc;
	if (csv_header_check(c->header.v, c->header.n, &bad))
		return diag_error_at(BRAIN_DATA, r->name, c->line, "CSV header: column %zu is %s",
				     bad + 1, c->header.v[bad][0] ? "repeated" : "without a name");
	return BRAIN_OK;
}

/* Whether the reader's input is CSV, deciding AUTO on its first line. */
static int is_csv(struct jsonl_reader *r)
{
	struct jsonl_csv *c = r->csv;
	size_t avail;

	if (!c || c->input == JSONL_INPUT_JSONL)
		return 0;
	if (c->input == JSONL_INPUT_CSV)
		return 1;
	while (!r->eof && !memchr(r->buf + r->start, '\n', r->end - r->start) &&
	       r->end - r->start < r->max_line)
		if (fill(r) <= 0)
			break;
	avail = r->end - r->start;
	c->input = avail && csv_looks_like_header(r->buf + r->start, avail)
		? JSONL_INPUT_CSV : JSONL_INPUT_JSONL;
	return c->input == JSONL_INPUT_CSV;
}

/* The next CSV record as a JSON line. */
static int csv_next_line(struct jsonl_reader *r, const char **line, size_t *len)
{
	struct jsonl_csv *c = r->csv;
	cJSON *o;
	int rc;

	if (!c->header.n && (rc = csv_take_header(r, c)))
		return rc;
	if ((rc = csv_gather(r, c)) || (rc = csv_fields(r, c, &c->row)))
		return rc;
	if (c->row.n != c->header.n)
		return diag_error_at(BRAIN_DATA, r->name, c->line, "%zu CSV fields where the "
				     "header has %zu", c->row.n, c->header.n);
	if (!(o = csv_record(c->header.v, c->row.v, c->row.n, c->type_of)))
		return diag_error_at(BRAIN_DATA, r->name, c->line, "CSV header: a column and "
				     "one of its dotted members clash");
	free(c->json);
	c->json = json_format_line(o, &c->json_len);
	cJSON_Delete(o);
	if (!c->json)
		diag_oom();
	*line = c->json;
	*len = --c->json_len; /* without its LF */
	return BRAIN_OK;
}

int jsonl_is_csv(const struct jsonl_reader *r)
{
	return r->csv && r->csv->input == JSONL_INPUT_CSV;
}

int jsonl_next_line(struct jsonl_reader *r, const char **line, size_t *len)
{
	int rc;

	if (is_csv(r))
		return csv_next_line(r, line, len);
	rc = raw_next_line(r, line, len);
	/* JSON Lines asked for, and a CSV header given: say so, not "invalid
	 * JSON at byte 1". */
	if (!rc && r->csv && r->line == 1 && csv_looks_like_header(*line, *len) &&
	    memchr(*line, ',', *len))
		return diag_error_at(BRAIN_DATA, r->name, r->line, "this is CSV, not JSON Lines: "
				     "its first line is a header (give --input-format=csv, or a "
				     "name ending in .csv)");
	return rc;
}

const char *jsonl_ahead(const struct jsonl_reader *r, size_t *len)
{
	size_t at;

	*len = 0;
	if (!r->cur || jsonl_is_csv(r))
		return NULL;
	at = r->start + r->cur_skip;
	*len = r->end > at ? r->end - at : 0;
	return r->buf + at;
}

const char *jsonl_line(const struct jsonl_reader *r, size_t *len)
{
	if (r->csv && r->csv->input == JSONL_INPUT_CSV) {
		*len = r->csv->json ? r->csv->json_len : 0;
		return r->csv->json;
	}
	*len = r->cur ? r->cur_len : 0;
	return r->cur;
}

struct json_loc jsonl_where(const struct jsonl_reader *r)
{
	struct json_loc loc = { r->name, r->line };

	if (r->csv && r->csv->input == JSONL_INPUT_CSV)
		loc.line = r->csv->line;
	return loc;
}

int jsonl_next(struct jsonl_reader *r, cJSON **out)
{
	const char *line;
	size_t len;
	int status;

	*out = NULL;
	do {
		status = jsonl_next_line(r, &line, &len);
		if (status != BRAIN_OK)
			return status;
	} while (json_blank(line, len));
	struct json_loc loc = jsonl_where(r);

	return json_parse_line(line, len, &loc, out);
}

static jsonl_sink_fn *stdout_sink;

void jsonl_stdout_sink(jsonl_sink_fn *fn)
{
	stdout_sink = fn;
}

enum brain_status jsonl_write(FILE *fp, const cJSON *obj)
{
	size_t len;
	char *text;

	if (fp == stdout && stdout_sink)
		return stdout_sink(obj);
	text = json_format_line(obj, &len);

	if (!text)
		return BRAIN_IO;
	fwrite(text, 1, len, fp);
	free(text);
	return BRAIN_OK;
}

enum brain_status jsonl_each_at(int dirfd, const char *path, size_t max_line,
				jsonl_each_fn *fn, void *arg)
{
	struct jsonl_reader r;
	enum brain_status status = BRAIN_OK;
	int fd, rc;
	cJSON *rec;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? BRAIN_NO : diag_errno(BRAIN_STATE, errno, "%s", path);
	jsonl_open_fd(&r, fd, path, max_line);
	while (!status && (rc = jsonl_next(&r, &rec)) != JSONL_EOF) {
		if (rc)
			/* Said where and what; now what to do. */
			status = diag_error(BRAIN_STATE, "%s:%ld is a stored line no program takes "
					    "back: run brain-verify, which names each such line "
					    "(--repair keeps a torn last one in rejects/)", path,
					    r.line);
		else
			status = fn(arg, rec, &(struct json_loc){ path, r.line });
		cJSON_Delete(rec);
	}
	jsonl_close(&r);
	close(fd);
	return status;
}

enum brain_status jsonl_read_object(const char *path, size_t max, cJSON **out)
{
	struct json_loc loc = { path, 0 };
	enum brain_status status;
	char *text;
	size_t len;

	*out = NULL;
	if ((status = file_read_all(AT_FDCWD, path, max, &text, &len)))
		return status;
	/* One object over many lines: json_parse_line checks the whole text. */
	status = json_parse_line(text, len, &loc, out);
	free(text);
	return status ? BRAIN_DATA : BRAIN_OK;
}
