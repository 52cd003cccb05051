/* lineage.c - model versions' links to ingest batches; see lineage.h. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/ingest_store.h"
#include "core/lineage.h"
#include "core/model_store.h"
#include "pure/json.h"
#include "banned.h"

/* The first field of the link that the batch's line no longer holds the
 * same, or NULL. */
static const char *changed_field(const cJSON *link, const cJSON *batch)
{
	static const char *const fields[] = { "source", "use", "licence", "ingested_at", "sha256" };
	const cJSON *records = cJSON_GetObjectItemCaseSensitive(link, "records");
	const cJSON *accepted = cJSON_GetObjectItemCaseSensitive(batch, "accepted");

	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++)
		if (strcmp(json_string_or_empty(link, fields[i]), json_string_or_empty(batch, fields[i])))
			return fields[i];
	if (!cJSON_IsNumber(records) || !cJSON_IsNumber(accepted) ||
	    records->valuedouble != accepted->valuedouble)
		return "accepted";
	return NULL;
}

/* 1 when the link's recorded uses of its source name training. */
static int linked_for_training(const cJSON *link)
{
	const cJSON *u;

	cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(link, "allowed_uses")) {
		if (cJSON_IsString(u) && !strcmp(u->valuestring, "training"))
			return 1;
	}
	return 0;
}

static void check_link(struct lineage_report *r, const struct version *v, const cJSON *link,
		       struct ingest_batches *ib, cJSON *sources)
{
	const char *id = json_string_or_empty(link, "batch_id");
	const char *source = json_string_or_empty(link, "source");
	const cJSON *batch = ingest_batches_find(ib, id);
	const char *field;

	r->links++;
	if (!r->failed && !batch) {
		r->failed = 1;
		snprintf(r->detail, sizeof(r->detail), "%s: trained on batch %s, which learning/"
			 INGEST_BATCHES " no longer holds", v->id, id);
	} else if (!r->failed && (field = changed_field(link, batch))) {
		r->failed = 1;
		snprintf(r->detail, sizeof(r->detail), "%s: batch %s in learning/" INGEST_BATCHES
			 " does not match the link (field '%s' changed)", v->id, id, field);
	} else if (!r->failed && !linked_for_training(link)) {
		r->failed = 1;
		snprintf(r->detail, sizeof(r->detail), "%s: batch %s was linked though its source "
			 "'%s' did not allow training", v->id, id, source);
	}
	if (!r->warned &&
	    !ingest_store_source_allows(ingest_store_source_find(sources, source), "training")) {
		r->warned = 1;
		snprintf(r->warning, sizeof(r->warning), "%s: source '%s' of batch %s no longer "
			 "allows training (it did when linked)", v->id, source, id);
	}
}

/* Check the links of the model id. */
static enum brain_status check_model(struct state *st, const char *id, struct lineage_report *r,
				     struct ingest_batches *ib, cJSON *sources)
{
	struct model m;
	enum brain_status status = model_store_load(st, id, &m, 1);

	if (status)
		return status == BRAIN_NO ? BRAIN_OK : status;
	for (size_t i = 0; i < m.n; i++) {
		const cJSON *link;

		r->versions += cJSON_GetArraySize(m.v[i].trained_on) > 0;
		cJSON_ArrayForEach(link, m.v[i].trained_on) {
			check_link(r, &m.v[i], link, ib, sources);
		}
	}
	model_store_free(&m);
	return BRAIN_OK;
}

enum brain_status lineage_check(struct state *st, struct lineage_report *r)
{
	struct ingest_batches ib;
	enum brain_status status;
	cJSON *sources;
	char **ids;
	size_t n;

	memset(r, 0, sizeof(*r));
	if ((status = model_store_list(st, &ids, &n)))
		return status == BRAIN_NO ? BRAIN_OK : status;
	if ((status = ingest_batches_load(st->dirfd, &ib))) {
		state_names_free(ids, n);
		return status;
	}
	if (!(status = ingest_store_sources(st->dirfd, &sources))) {
		for (size_t i = 0; i < n && !status; i++)
			status = check_model(st, ids[i], r, &ib, sources);
		cJSON_Delete(sources);
	}
	ingest_batches_free(&ib);
	state_names_free(ids, n);
	return status;
}
