/* render.c - records as CSV, or as text for a command without a text
 * form; see render.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/render.h"
#include "cmd/table.h"
#include "core/jsonl.h"
#include "diag.h"
#include "pure/json.h"
#include "banned.h"

/* One flattened member: its dotted name and its text. */
struct field {
	char *name, *text;
};

struct row {
	struct field *f;
	size_t n, cap;
};

static struct {
	enum render_mode format;
	struct row *rows;
	size_t n, cap;
	char **cols;              /* every column, in order of first appearance */
	size_t ncols, capcols;
	const struct text_form *form; /* the command's text form, or NULL */
	cJSON **objs;             /* with a form: the records themselves (owned) */
} kept;

static char *scalar_text(const cJSON *item)
{
	if (cJSON_IsString(item))
		return xstrdup(item->valuestring);
	if (cJSON_IsNull(item))
		return xstrdup("");
	if (cJSON_IsBool(item))
		return xstrdup(cJSON_IsTrue(item) ? "true" : "false");
	/* Numbers and arrays as the JSON Lines print them. */
	char *text = json_print_compact(item);

	if (!text)
		diag_oom();
	return text;
}

static int column_at(const char *name)
{
	for (size_t i = 0; i < kept.ncols; i++)
		if (!strcmp(kept.cols[i], name))
			return (int)i;
	return -1;
}

/* A new column goes after the one before it in its record (prev, NULL
 * for the first), so that the columns keep the order of the lines where
 * records differ in which members they have. */
static void add_column(const char *name, const char *prev)
{
	size_t at = kept.ncols;
	int p;

	if (column_at(name) >= 0)
		return;
	if (prev && (p = column_at(prev)) >= 0)
		at = (size_t)p + 1;
	if (kept.ncols == kept.capcols) {
		kept.capcols = kept.capcols ? 2 * kept.capcols : 16;
		kept.cols = xrealloc(kept.cols, kept.capcols * sizeof(*kept.cols));
	}
	memmove(&kept.cols[at + 1], &kept.cols[at], (kept.ncols - at) * sizeof(*kept.cols));
	kept.cols[at] = xstrdup(name);
	kept.ncols++;
}

/* The members of obj under prefix, objects flattened with dots. */
static void flatten(struct row *r, const cJSON *obj, const char *prefix)
{
	for (const cJSON *m = obj->child; m; m = m->next) {
		size_t len = strlen(prefix) + strlen(m->string) + 2;
		char *name = xmalloc(len);

		snprintf(name, len, "%s%s%s", prefix, prefix[0] ? "." : "", m->string);
		if (cJSON_IsObject(m) && m->child) {
			flatten(r, m, name);
			free(name);
			continue;
		}
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 16;
			r->f = xrealloc(r->f, r->cap * sizeof(*r->f));
		}
		r->f[r->n].name = name;
		r->f[r->n].text = cJSON_IsObject(m) ? xstrdup("") : scalar_text(m);
		add_column(name, r->n ? r->f[r->n - 1].name : NULL);
		r->n++;
	}
}

static enum brain_status keep(const cJSON *obj)
{
	const char *where = "";
	struct row *r;

	if (json_find_nonfinite(obj, &where))
		return diag_error(BRAIN_IO, "internal error: non-finite number in field '%s'",
				  where);
	if (kept.n == kept.cap) {
		kept.cap = kept.cap ? 2 * kept.cap : 64;
		kept.rows = xrealloc(kept.rows, kept.cap * sizeof(*kept.rows));
	}
	if (kept.form) {
		kept.objs = xrealloc(kept.objs, kept.cap * sizeof(*kept.objs));
		if (!(kept.objs[kept.n] = cJSON_Duplicate(obj, 1)))
			diag_oom();
	}
	r = &kept.rows[kept.n++];
	memset(r, 0, sizeof(*r));
	flatten(r, obj, "");
	return BRAIN_OK;
}

void render_begin(enum render_mode mode)
{
	kept.format = mode;
	jsonl_stdout_sink(mode == RENDER_OFF ? NULL : keep);
}

void render_form(const struct text_form *form)
{
	if (kept.format == RENDER_TEXT && !kept.n && !kept.form)
		kept.form = form;
}

int render_active(void)
{
	return kept.format != RENDER_OFF;
}

enum brain_status render_line(const char *line, size_t len)
{
	cJSON *obj;
	enum brain_status status;

	if (!render_active()) {
		fwrite(line, 1, len, stdout);
		putchar('\n');
		return BRAIN_OK;
	}
	if (!(obj = cJSON_ParseWithLength(line, len)) || !cJSON_IsObject(obj)) {
		cJSON_Delete(obj);
		return diag_error(BRAIN_IO, "internal error: a stored line is not a JSON object");
	}
	status = keep(obj);
	cJSON_Delete(obj);
	return status;
}

char *render_csv_field(const char *text)
{
	size_t len = strlen(text), quotes = 0;
	char *out, *p;

	for (const char *c = text; *c; c++)
		quotes += *c == '"';
	if (!strpbrk(text, ",\"\r\n"))
		return xstrdup(text);
	out = p = xmalloc(len + quotes + 3);
	*p++ = '"';
	for (const char *c = text; *c; c++) {
		if (*c == '"')
			*p++ = '"';
		*p++ = *c;
	}
	*p++ = '"';
	*p = '\0';
	return out;
}

/* The text of column name in r, or "". */
static const char *cell(const struct row *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->f[i].name, name))
			return r->f[i].text;
	return "";
}

static void print_csv_line(const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *f = render_csv_field(cells[i]);

		fputs(f, stdout);
		fputs(i + 1 < n ? "," : "\r\n", stdout);
		free(f);
	}
}

static void print_csv(void)
{
	const char **cells = xcalloc(kept.ncols + 1, sizeof(*cells));

	if (kept.n)
		print_csv_line((const char *const *)kept.cols, kept.ncols);
	for (size_t i = 0; i < kept.n; i++) {
		for (size_t c = 0; c < kept.ncols; c++)
			cells[c] = cell(&kept.rows[i], kept.cols[c]);
		print_csv_line(cells, kept.ncols);
	}
	free(cells);
}

/* One record as aligned "name  value" lines: a line each, so values
 * are cut only past RENDER_LINE_MAX. */
static void print_block(const struct row *r)
{
	size_t width = 0;

	for (size_t i = 0; i < r->n; i++)
		if (strlen(r->f[i].name) > width)
			width = strlen(r->f[i].name);
	for (size_t i = 0; i < r->n; i++) {
		char *v = text_form_cut(r->f[i].text, RENDER_LINE_MAX);

		printf("%-*s  %s\n", (int)width, r->f[i].name, v);
		free(v);
	}
}

static void print_table(void)
{
	const char **head = xcalloc(kept.ncols, sizeof(*head));
	char **up = xcalloc(kept.ncols, sizeof(*up));
	char **cells = xcalloc(kept.ncols, sizeof(*cells));
	struct table *t;

	for (size_t c = 0; c < kept.ncols; c++) {
		up[c] = xstrdup(kept.cols[c]);
		for (char *p = up[c]; *p; p++)
			*p = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p == '_' ? ' ' : *p;
		head[c] = up[c];
	}
	t = table_new(kept.ncols, head);
	for (size_t i = 0; i < kept.n; i++) {
		for (size_t c = 0; c < kept.ncols; c++)
			cells[c] = text_form_cut(cell(&kept.rows[i], kept.cols[c]), RENDER_CELL_MAX);
		table_add(t, (const char *const *)cells);
		for (size_t c = 0; c < kept.ncols; c++)
			free(cells[c]);
	}
	table_print(t, stdout);
	table_free(t);
	for (size_t c = 0; c < kept.ncols; c++)
		free(up[c]);
	free(up);
	free(head);
	free(cells);
}

static void print_text(void)
{
	if (kept.form) {
		text_form_print(kept.form, (const cJSON *const *)kept.objs, kept.n, stdout);
		return;
	}
	if (kept.n > 1 && kept.ncols <= RENDER_TABLE_COLUMNS) {
		print_table();
		return;
	}
	for (size_t i = 0; i < kept.n; i++) {
		if (i)
			putchar('\n');
		print_block(&kept.rows[i]);
	}
}

void render_end(void)
{
	if (!kept.format)
		return;
	jsonl_stdout_sink(NULL);
	if (kept.format == RENDER_CSV)
		print_csv();
	else
		print_text();
	for (size_t i = 0; i < kept.n; i++) {
		for (size_t j = 0; j < kept.rows[i].n; j++) {
			free(kept.rows[i].f[j].name);
			free(kept.rows[i].f[j].text);
		}
		free(kept.rows[i].f);
		if (kept.objs)
			cJSON_Delete(kept.objs[i]);
	}
	free(kept.objs);
	for (size_t c = 0; c < kept.ncols; c++)
		free(kept.cols[c]);
	free(kept.rows);
	free(kept.cols);
	memset(&kept, 0, sizeof(kept));
}
