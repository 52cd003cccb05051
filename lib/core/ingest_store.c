/* ingest_store.c - the learning files of brain-ingest; see ingest_store.h. */
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/change.h"
#include "core/file.h"
#include "core/ingest_store.h"
#include "core/jsonl.h"
#include "diag.h"
#include "pure/compliance.h"
#include "pure/json.h"
#include "banned.h"

enum brain_status ingest_store_sources(int dirfd, cJSON **out)
{
	char *text;
	size_t len;
	enum brain_status status = file_read_all(dirfd, INGEST_SOURCES, (size_t)1 << 20, &text, &len);

	if (status == BRAIN_NO) {
		*out = cJSON_CreateArray();
		return BRAIN_OK;
	}
	if (status)
		return status;
	*out = cJSON_ParseWithLength(text, len);
	free(text);
	if (!cJSON_IsArray(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		return diag_error(BRAIN_STATE, INGEST_SOURCES ": not a list of sources");
	}
	return BRAIN_OK;
}

enum brain_status ingest_store_reviewed(int dirfd, double *reviewed)
{
	char *text;
	size_t len;
	enum brain_status status = file_read_all(dirfd, INGEST_REVIEWED, (size_t)1 << 16, &text, &len);
	cJSON *mark;
	const cJSON *n;

	*reviewed = 0;
	if (status == BRAIN_NO)
		return BRAIN_OK;
	if (status)
		return status;
	mark = cJSON_ParseWithLength(text, len);
	free(text);
	n = cJSON_GetObjectItemCaseSensitive(mark, "quarantined");
	if (!cJSON_IsNumber(n) || !(n->valuedouble >= 0 && n->valuedouble < 1e15) ||
	    n->valuedouble != floor(n->valuedouble)) {
		cJSON_Delete(mark);
		return diag_error(BRAIN_STATE, INGEST_REVIEWED ": field 'quarantined' must be a "
				  "count of records");
	}
	*reviewed = n->valuedouble;
	cJSON_Delete(mark);
	return BRAIN_OK;
}

enum brain_status ingest_store_save_reviewed(struct state *st, const cJSON *mark,
					    const struct audit_event *ev)
{
	return change_save_json(st, "learning", "reviewed.json", mark, NULL, ev);
}

static enum brain_status count_one(void *arg, const cJSON *rec, const struct json_loc *loc)
{
	(void)rec;
	(void)loc;
	++*(double *)arg;
	return BRAIN_OK;
}

enum brain_status ingest_store_count(int dirfd, const char *log, double *count)
{
	char path[64];
	enum brain_status status;

	*count = 0;
	snprintf(path, sizeof(path), "learning/%s", log);
	/* A quarantined line holds its record as a string, escaped: room for
	 * the longest record brain-ingest takes, several times over. */
	status = jsonl_each_at(dirfd, path, (size_t)1 << 23, count_one, count);
	return status == BRAIN_NO ? BRAIN_OK : status;
}

cJSON *ingest_store_source_find(cJSON *list, const char *name)
{
	cJSON *s;

	cJSON_ArrayForEach(s, list) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(s, "name");

		if (cJSON_IsString(n) && !strcasecmp(n->valuestring, name))
			return s;
	}
	return NULL;
}

int ingest_store_source_allows(const cJSON *src, const char *use)
{
	const cJSON *u;
	int allowed = 0;

	cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(src, "uses")) {
		if (cJSON_IsString(u) && !strcmp(u->valuestring, use))
			allowed = 1;
	}
	return allowed;
}

static enum brain_status batch_line(void *arg, const cJSON *rec, const struct json_loc *loc)
{
	struct ingest_batches *ib = arg;
	const char *id = json_string(rec, "batch_id");
	unsigned char key[KEYSET_KEY];

	if (!id)
		return diag_error(BRAIN_STATE, "%s:%ld: field 'batch_id' must be a string",
				  loc->file, loc->line);
	keyset_key("batch", id, "", key);
	if (keyset_find(&ib->ks, key))
		return BRAIN_OK;
	keyset_put(&ib->ks, key, (uint32_t)cJSON_GetArraySize(ib->lines));
	cJSON_AddItemToArray(ib->lines, cJSON_Duplicate(rec, 1));
	return BRAIN_OK;
}

enum brain_status ingest_batches_load(int dirfd, struct ingest_batches *ib)
{
	enum brain_status status;

	ib->lines = cJSON_CreateArray();
	keyset_init(&ib->ks);
	status = jsonl_each_at(dirfd, "learning/" INGEST_BATCHES, 0, batch_line, ib);
	if (status == BRAIN_NO)
		status = BRAIN_OK;
	if (status)
		ingest_batches_free(ib);
	return status;
}

const cJSON *ingest_batches_find(struct ingest_batches *ib, const char *batch_id)
{
	unsigned char key[KEYSET_KEY];
	const uint32_t *i;

	keyset_key("batch", batch_id, "", key);
	if (!(i = keyset_find(&ib->ks, key)))
		return NULL;
	return cJSON_GetArrayItem(ib->lines, (int)*i);
}

void ingest_batches_free(struct ingest_batches *ib)
{
	cJSON_Delete(ib->lines);
	keyset_free(&ib->ks);
	memset(ib, 0, sizeof(*ib));
}

enum brain_status ingest_store_save_sources(struct state *st, const cJSON *list,
					   const struct audit_event *ev)
{
	return change_save_json(st, "learning", "sources.json", list, NULL, ev);
}

/* An entry of rule "revocation": its revocation, kept under (kind, value). */
static void suppression_add_revocation(struct ingest_suppression *s, const char *kind,
				       const char *value, const cJSON *revocation)
{
	unsigned char key[KEYSET_KEY];
	const uint32_t *i;
	cJSON *list;

	if (!cJSON_IsObject(revocation))
		return;
	keyset_key("revoked", kind, value, key);
	if ((i = keyset_find(&s->ks, key))) {
		list = cJSON_GetArrayItem(s->revocations, (int)*i);
	} else {
		list = cJSON_CreateArray();
		keyset_put(&s->ks, key, (uint32_t)cJSON_GetArraySize(s->revocations));
		cJSON_AddItemToArray(s->revocations, list);
	}
	cJSON_AddItemToArray(list, cJSON_Duplicate(revocation, 1));
}

static void suppression_add(struct ingest_suppression *s, const cJSON *line)
{
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(line, "kind");
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(line, "value");
	const cJSON *ru = cJSON_GetObjectItemCaseSensitive(line, "rule");
	unsigned char key[KEYSET_KEY];

	if (!cJSON_IsString(k) || !cJSON_IsString(v))
		return;
	if (cJSON_IsString(ru) && !strcmp(ru->valuestring, "revocation")) {
		suppression_add_revocation(s, k->valuestring, v->valuestring,
					   cJSON_GetObjectItemCaseSensitive(line, "revocation"));
		return;
	}
	keyset_key("suppressed", k->valuestring, v->valuestring, key);
	if (!keyset_find(&s->ks, key)) {
		s->rule = xrealloc(s->rule, (s->n + 1) * sizeof(*s->rule));
		snprintf(s->rule[s->n], sizeof(s->rule[s->n]), "%s",
			 cJSON_IsString(ru) ? ru->valuestring : "suppressed");
		keyset_put(&s->ks, key, (uint32_t)s->n++);
	}
}

void ingest_suppression_load(int dirfd, struct ingest_suppression *s)
{
	struct jsonl_reader r;
	int fd = dirfd < 0 ? -1 : openat(dirfd, "learning/" INGEST_SUPPRESSION, O_RDONLY | O_CLOEXEC);
	int rc;
	cJSON *line;

	memset(s, 0, sizeof(*s));
	keyset_init(&s->ks);
	s->revocations = cJSON_CreateArray();
	if (fd < 0)
		return;
	jsonl_open_fd(&r, fd, "learning/" INGEST_SUPPRESSION, 0);
	while ((rc = jsonl_next(&r, &line)) != JSONL_EOF) {
		if (rc == BRAIN_OK)
			suppression_add(s, line);
		cJSON_Delete(line);
	}
	jsonl_close(&r);
	close(fd);
}

int ingest_suppression_find(struct ingest_suppression *s, const char *kind, const char *value,
			    char rule[32])
{
	unsigned char key[KEYSET_KEY];
	const uint32_t *i;

	keyset_key("suppressed", kind, value, key);
	if (!(i = keyset_find(&s->ks, key)))
		return 0;
	memcpy(rule, s->rule[*i], 32);
	return 1;
}

const cJSON *ingest_suppression_revocations(struct ingest_suppression *s, const char *kind,
					    const char *value)
{
	unsigned char key[KEYSET_KEY];
	const uint32_t *i;

	keyset_key("revoked", kind, value, key);
	if (!(i = keyset_find(&s->ks, key)))
		return NULL;
	return cJSON_GetArrayItem(s->revocations, (int)*i);
}

void ingest_suppression_free(struct ingest_suppression *s)
{
	keyset_free(&s->ks);
	cJSON_Delete(s->revocations);
	free(s->rule);
	memset(s, 0, sizeof(*s));
}

static cJSON *revocation_entry(const char *kind, const char *value, const char *source,
			       const char *ts, const cJSON *revocation, const cJSON *consent)
{
	cJSON *e = cJSON_CreateObject();

	cJSON_AddStringToObject(e, "kind", kind);
	cJSON_AddStringToObject(e, "value", value);
	cJSON_AddStringToObject(e, "rule", "revocation");
	cJSON_AddStringToObject(e, "source", source);
	cJSON_AddStringToObject(e, "ts", ts);
	cJSON_AddItemToObject(e, "revocation", cJSON_Duplicate(revocation, 1));
	if (cJSON_IsObject(consent)) {
		cJSON *list = cJSON_AddArrayToObject(e, "consent");

		cJSON_AddItemToArray(list, cJSON_Duplicate(consent, 1));
	} else {
		cJSON_AddItemToObject(e, "consent", consent ? cJSON_Duplicate(consent, 1)
							    : cJSON_CreateArray());
	}
	return e;
}

void ingest_suppression_revocation_entries(const cJSON *lead, const char *phone,
					   const char *email, const char *source,
					   const char *ts, cJSON *supp)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(lead, "revocation"), *r;
	const cJSON *consent = cJSON_GetObjectItemCaseSensitive(lead, "consent");
	const unsigned calls = (1u << CONTACT_PHONE) | (1u << CONTACT_SMS);

	for (r = cJSON_IsObject(list) ? list : cJSON_IsArray(list) ? list->child : NULL; r;
	     r = cJSON_IsObject(list) ? NULL : r->next) {
		unsigned bits = compliance_revocation_channels(r);

		if (phone && (bits & calls))
			cJSON_AddItemToArray(supp, revocation_entry("phone", phone, source, ts, r,
								   consent));
		if (email && (bits & (1u << CONTACT_EMAIL)))
			cJSON_AddItemToArray(supp, revocation_entry("email", email, source, ts, r,
								   consent));
	}
}

int ingest_store_suppressed(int dirfd, const char *kind, const char *value, char rule[32])
{
	struct ingest_suppression s;
	int found;

	ingest_suppression_load(dirfd, &s);
	found = ingest_suppression_find(&s, kind, value, rule);
	ingest_suppression_free(&s);
	return found;
}
