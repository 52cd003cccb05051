/* text_form.c - a command's records as the text form it declares; see
 * text_form.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/table.h"
#include "cmd/text_form.h"
#include "diag.h"
#include "banned.h"

const cJSON *text_form_at(const cJSON *rec, const char *path)
{
	const cJSON *at = rec;
	char name[128];

	while (at && *path) {
		size_t len = strcspn(path, ".");

		if (len >= sizeof(name) || !cJSON_IsObject(at))
			return NULL;
		memcpy(name, path, len);
		name[len] = '\0';
		at = cJSON_GetObjectItemCaseSensitive(at, name);
		path += len + (path[len] == '.');
	}
	return at;
}

char *text_form_cut(const char *text, size_t max)
{
	size_t len = strlen(text), at = max - 3;
	char *out;

	if (len <= max)
		return xstrdup(text);
	while (at > 0 && ((unsigned char)text[at] & 0xC0) == 0x80)
		at--;
	out = xmalloc(at + 4);
	memcpy(out, text, at);
	memcpy(out + at, "...", 4);
	return out;
}

/* A growing string. */
struct text {
	char *s;
	size_t len, cap;
};

static void put(struct text *t, const char *s, size_t len)
{
	if (t->len + len + 1 > t->cap) {
		t->cap = t->cap * 2 + len + 64;
		t->s = xrealloc(t->s, t->cap);
	}
	memcpy(t->s + t->len, s, len);
	t->len += len;
	t->s[t->len] = '\0';
}

static void puts_text(struct text *t, const char *s)
{
	put(t, s, strlen(s));
}

static void number_text(double x, struct text *t)
{
	char buf[64];

	if (x == floor(x) && fabs(x) < 1e15)
		snprintf(buf, sizeof(buf), "%.0f", x);
	else if (fabs(x) >= 1e15 || (x != 0 && fabs(x) < 1e-4))
		snprintf(buf, sizeof(buf), "%.4g", x);
	else
		snprintf(buf, sizeof(buf), "%.4f", x);
	puts_text(t, buf);
}

static void value_text(const cJSON *v, const char *prefix, struct text *t);

/* An object's members as "key=value" pairs, nested ones with dots. */
static void object_text(const cJSON *v, const char *prefix, struct text *t)
{
	for (const cJSON *m = v->child; m; m = m->next) {
		size_t len = strlen(prefix) + strlen(m->string) + 2;
		char *name = xmalloc(len);

		snprintf(name, len, "%s%s%s", prefix, *prefix ? "." : "", m->string);
		if (cJSON_IsObject(m) && m->child) {
			object_text(m, name, t);
		} else {
			if (t->len && t->s[t->len - 1] != ' ')
				puts_text(t, " ");
			puts_text(t, name);
			puts_text(t, "=");
			value_text(m, name, t);
		}
		free(name);
	}
}

static void value_text(const cJSON *v, const char *prefix, struct text *t)
{
	if (!v || cJSON_IsNull(v))
		puts_text(t, "-");
	else if (cJSON_IsString(v))
		puts_text(t, *v->valuestring ? v->valuestring : "-");
	else if (cJSON_IsBool(v))
		puts_text(t, cJSON_IsTrue(v) ? "yes" : "no");
	else if (cJSON_IsNumber(v))
		number_text(v->valuedouble, t);
	else if (cJSON_IsObject(v) && !v->child)
		puts_text(t, "-");
	else if (cJSON_IsObject(v))
		object_text(v, prefix, t);
	else if (!v->child)
		puts_text(t, "-");
	else
		for (const cJSON *e = v->child; e; e = e->next) {
			value_text(e, "", t);
			if (e->next)
				puts_text(t, cJSON_IsObject(e) ? "; " : ", ");
		}
}

char *text_form_value(const cJSON *value)
{
	struct text t = { 0 };

	value_text(value, "", &t);
	return t.s;
}

/* Whether member name of a record is named by a field of form (its
 * first segment) or hidden. */
static int named(const struct text_form *form, const char *name)
{
	size_t len = strlen(name);

	for (const struct text_field *f = form->field; f && f->label; f++)
		if (!strncmp(f->path, name, len) && (!f->path[len] || f->path[len] == '.'))
			return 1;
	for (const char *const *h = form->hide; h && *h; h++)
		if (!strcmp(*h, name))
			return 1;
	return 0;
}

/* The text of field f of rec (NULL: rec has none), a new string. */
static char *field_text(const struct text_form *form, const struct text_field *f,
			const cJSON *rec)
{
	cJSON *rest;
	char *text;

	if (strcmp(f->path, "*")) {
		const cJSON *v = text_form_at(rec, f->path);

		return v ? text_form_value(v) : NULL;
	}
	rest = cJSON_CreateObject();
	for (const cJSON *m = rec->child; m; m = m->next)
		if (m->string && !named(form, m->string))
			cJSON_AddItemReferenceToObject(rest, m->string, (cJSON *)m);
	text = rest->child ? text_form_value(rest) : NULL;
	cJSON_Delete(rest);
	return text;
}

/* The headline of rec: its template with each "{path}" filled. */
static char *headline(const char *tmpl, const cJSON *rec)
{
	struct text t = { 0 };

	puts_text(&t, "");
	while (*tmpl) {
		const char *open = strchr(tmpl, '{'), *close = open ? strchr(open, '}') : NULL;
		char path[128], *v;

		if (!close || (size_t)(close - open) > sizeof(path)) {
			puts_text(&t, tmpl);
			break;
		}
		put(&t, tmpl, (size_t)(open - tmpl));
		memcpy(path, open + 1, (size_t)(close - open - 1));
		path[close - open - 1] = '\0';
		v = text_form_value(text_form_at(rec, path));
		puts_text(&t, v);
		free(v);
		tmpl = close + 1;
	}
	return t.s;
}

static void print_headline(const struct text_form *form, const cJSON *rec, FILE *out)
{
	char *h;

	if (!form->headline)
		return;
	h = headline(form->headline, rec);
	fprintf(out, "%s\n", h);
	free(h);
}

static void print_block(const struct text_form *form, const cJSON *rec, FILE *out)
{
	size_t width = 0;

	print_headline(form, rec, out);
	char **text;
	size_t n = 0;

	while (form->field && form->field[n].label)
		n++;
	text = xcalloc(n + 1, sizeof(*text));
	for (size_t i = 0; i < n; i++)
		if ((text[i] = field_text(form, &form->field[i], rec)) &&
		    strlen(form->field[i].label) > width)
			width = strlen(form->field[i].label);
	for (size_t i = 0; i < n; i++) {
		char *shown;

		if (!text[i])
			continue;
		shown = text_form_cut(text[i], TEXT_LINE_MAX);
		fprintf(out, "  %-*s  %s\n", (int)width, form->field[i].label, shown);
		free(shown);
		free(text[i]);
	}
	free(text);
}

/* A table of the fields some record has: a column no record has a value
 * in is left out. */
static void print_table(const struct text_form *form, const cJSON *const *recs, size_t n,
			FILE *out)
{
	size_t nf = 0, ncols = 0, *col;
	char ***text, **cells;
	struct table *t;

	while (form->field && form->field[nf].label)
		nf++;
	text = xcalloc(n, sizeof(*text));
	col = xcalloc(nf, sizeof(*col));
	for (size_t i = 0; i < n; i++) {
		text[i] = xcalloc(nf, sizeof(**text));
		for (size_t c = 0; c < nf; c++)
			text[i][c] = field_text(form, &form->field[c], recs[i]);
	}
	for (size_t c = 0; c < nf; c++)
		for (size_t i = 0; i < n; i++)
			if (text[i][c]) {
				col[ncols++] = c;
				break;
			}
	cells = xcalloc(ncols + 1, sizeof(*cells));
	for (size_t k = 0; k < ncols; k++) {
		cells[k] = xstrdup(form->field[col[k]].label);
		for (char *p = cells[k]; *p; p++)
			*p = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
	}
	t = table_new(ncols, (const char *const *)cells);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < ncols; k++) {
			free(cells[k]);
			cells[k] = text_form_cut(text[i][col[k]] ? text[i][col[k]] : "-",
						 TEXT_CELL_MAX);
		}
		table_add(t, (const char *const *)cells);
	}
	print_headline(form, recs[0], out);
	table_print(t, out);
	table_free(t);
	for (size_t k = 0; k < ncols; k++)
		free(cells[k]);
	for (size_t i = 0; i < n; i++) {
		for (size_t c = 0; c < nf; c++)
			free(text[i][c]);
		free(text[i]);
	}
	free(text);
	free(cells);
	free(col);
}

void text_form_print(const struct text_form *form, const cJSON *const *recs, size_t n,
		     FILE *out)
{
	if (form->table) {
		if (n)
			print_table(form, recs, n, out);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc('\n', out);
		print_block(form, recs[i], out);
	}
}
