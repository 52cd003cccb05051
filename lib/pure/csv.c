/* csv.c - RFC 4180 records and their typing; see csv.h. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pure/csv.h"
#include "diag.h"
#include "banned.h"

int csv_complete(const char *text, size_t len)
{
	size_t quotes = 0;

	for (size_t i = 0; i < len; i++)
		quotes += text[i] == '"';
	return quotes % 2 == 0;
}

static void push(struct csv_fields *f, const char *s, size_t len)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 16;
		f->v = xrealloc(f->v, f->cap * sizeof(*f->v));
	}
	f->v[f->n] = xmalloc(len + 1);
	memcpy(f->v[f->n], s, len);
	f->v[f->n++][len] = '\0';
}

void csv_fields_free(struct csv_fields *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

/* A quoted field from text + *i (at its opening quote) into buf; *i ends
 * past the closing quote.  -1 when it does not close. */
static int quoted(const char *text, size_t len, size_t *i, char *buf, size_t *blen)
{
	*blen = 0;
	for (size_t j = *i + 1; j < len; j++) {
		if (text[j] != '"') {
			buf[(*blen)++] = text[j];
			continue;
		}
		if (j + 1 < len && text[j + 1] == '"') {
			buf[(*blen)++] = '"';
			j++;
			continue;
		}
		*i = j + 1;
		return 0;
	}
	return -1;
}

int csv_split(const char *text, size_t len, struct csv_fields *f, size_t *at)
{
	char *buf = xmalloc(len + 1);
	size_t i = 0;

	for (size_t k = 0; k < f->n; k++)
		free(f->v[k]);
	f->n = 0;
	if (len && text[len - 1] == '\r')
		len--;
	for (;;) {
		size_t blen = 0, start = i;

		if (i < len && text[i] == '"') {
			if (quoted(text, len, &i, buf, &blen)) {
				*at = len;
				free(buf);
				return -1;
			}
			if (i < len && text[i] != ',') {
				*at = i;
				free(buf);
				return -1;
			}
		} else {
			while (i < len && text[i] != ',')
				if (text[i++] == '"') {
					*at = i - 1;
					free(buf);
					return -1;
				}
			memcpy(buf, text + start, i - start);
			blen = i - start;
		}
		push(f, buf, blen);
		if (i >= len)
			break;
		i++; /* the comma */
	}
	free(buf);
	return 0;
}

int csv_looks_like_header(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len && (text[i] == ' ' || text[i] == '\t'))
		i++;
	return i < len && text[i] != '{' && text[i] != '[';
}

int csv_header_check(char *const *names, size_t n, size_t *bad)
{
	for (size_t i = 0; i < n; i++) {
		if (!names[i][0]) {
			*bad = i;
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(names[i], names[j])) {
				*bad = i;
				return -1;
			}
	}
	return 0;
}

/* Whether text is a number by the JSON grammar, whole:
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? (no '+', no hex, no "inf"). */
static int json_number_text(const char *p)
{
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (isdigit((unsigned char)*p))
			p++;
	else
		return 0;
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p == '\0';
}

static cJSON *number_of(const char *text)
{
	double v;

	if (!json_number_text(text))
		return NULL;
	v = strtod(text, NULL);
	return isfinite(v) ? cJSON_CreateNumber(v) : NULL;
}

static cJSON *bool_of(const char *text)
{
	if (!strcasecmp(text, "true") || !strcasecmp(text, "yes") || !strcmp(text, "1"))
		return cJSON_CreateTrue();
	if (!strcasecmp(text, "false") || !strcasecmp(text, "no") || !strcmp(text, "0"))
		return cJSON_CreateFalse();
	return NULL;
}

static cJSON *list_of(const char *text)
{
	cJSON *a = cJSON_CreateArray();
	const char *p = text;

	for (;;) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);
		char *item = xmalloc(len + 1);

		memcpy(item, p, len);
		item[len] = '\0';
		cJSON_AddItemToArray(a, cJSON_CreateString(item));
		free(item);
		if (!semi)
			return a;
		p = semi + 1;
	}
}

static cJSON *typed(const char *text, enum csv_type type)
{
	cJSON *v = NULL;

	switch (type) {
	case CSV_NUMBER:
		v = number_of(text);
		break;
	case CSV_BOOL:
		v = bool_of(text);
		break;
	case CSV_BOOL_OR_NUMBER:
		if (!(v = bool_of(text)))
			v = number_of(text);
		break;
	case CSV_LIST:
		return list_of(text);
	case CSV_BOOL_OR_LIST:
		return (v = bool_of(text)) ? v : list_of(text);
	case CSV_STRING:
		break;
	}
	return v ? v : cJSON_CreateString(text);
}

/* The object of a.b.c's parents in o, created as needed; *leaf the last
 * part.  NULL when a part is already something other than an object. */
static cJSON *parent_of(cJSON *o, const char *name, const char **leaf)
{
	const char *dot;

	while ((dot = strchr(name, '.')) && dot[1]) {
		size_t len = (size_t)(dot - name);
		char *part = xmalloc(len + 1);
		cJSON *next;

		memcpy(part, name, len);
		part[len] = '\0';
		next = cJSON_GetObjectItemCaseSensitive(o, part);
		if (!next)
			next = cJSON_AddObjectToObject(o, part);
		free(part);
		if (!cJSON_IsObject(next))
			return NULL;
		o = next;
		name = dot + 1;
	}
	*leaf = name;
	return o;
}

cJSON *csv_record(char *const *names, char *const *values, size_t n, csv_type_fn *type_of)
{
	cJSON *o = cJSON_CreateObject();

	for (size_t i = 0; i < n; i++) {
		const char *leaf;
		cJSON *parent;

		if (!values[i][0])
			continue;
		parent = parent_of(o, names[i], &leaf);
		if (!parent || cJSON_HasObjectItem(parent, leaf)) {
			cJSON_Delete(o);
			return NULL;
		}
		cJSON_AddItemToObject(parent, leaf, typed(values[i], type_of(names[i])));
	}
	return o;
}
