/* model_registry.c - aliases, tags, descriptions and lineage of model
 * versions; see model_registry.h. */
#include <stdlib.h>
#include <string.h>

#include "cmd/command.h"
#include "cmd/render.h"
#include "cmd/model_open.h"
#include "cmd/model_registry.h"
#include "core/audit.h"
#include "core/ingest_store.h"
#include "core/jsonl.h"
#include "diag.h"
#include "pure/ident.h"
#include "pure/json.h"
#include "banned.h"

#define TAG_VALUE_MAX 256
#define DESCRIPTION_MAX 1024

/* 1 when text is at most max bytes with no control character. */
static int plain_text(const char *text, size_t max)
{
	size_t n = strlen(text);

	if (n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			return 0;
	return 1;
}

/* Set o's member key to the string value where it is (at the end when
 * new), or remove it (value NULL): a changed tag or a moved alias keeps
 * its place. */
static void set_member(cJSON *o, const char *key, const char *value)
{
	if (!value)
		cJSON_DeleteItemFromObjectCaseSensitive(o, key);
	else if (cJSON_HasObjectItem(o, key))
		cJSON_ReplaceItemInObjectCaseSensitive(o, key, cJSON_CreateString(value));
	else
		cJSON_AddStringToObject(o, key, value);
}

/* Split tag (KEY=VALUE, or KEY alone when del) into key and *value. */
static enum brain_status tag_parts(const char *tag, int del, char key[IDENT_MAX + 1],
				   const char **value)
{
	const char *eq = strchr(tag, '=');
	size_t klen = eq ? (size_t)(eq - tag) : strlen(tag);

	*value = eq ? eq + 1 : NULL;
	if (klen > IDENT_MAX || (del ? eq != NULL : !eq))
		klen = 0;
	snprintf(key, IDENT_MAX + 1, "%.*s", (int)klen, tag);
	if (!ident_valid(key))
		return diag_error(BRAIN_USAGE, del ? "a tag to delete is a KEY, not '%s'"
					       : "--tag needs KEY=VALUE (KEY lowercase "
						 "[a-z0-9._-]), not '%s'", tag);
	if (*value && !plain_text(*value, TAG_VALUE_MAX))
		return diag_error(BRAIN_USAGE, "tag '%s': a value is at most %d bytes with no "
				  "control character", key, TAG_VALUE_MAX);
	return BRAIN_OK;
}

enum brain_status model_registry_check_notes(const char *description, const char *const *tags,
					     size_t n, int del)
{
	enum brain_status status;
	char key[IDENT_MAX + 1];
	const char *value;

	if (description && !plain_text(description, DESCRIPTION_MAX))
		return diag_error(BRAIN_USAGE, "--description is at most %d bytes with no control "
				  "character", DESCRIPTION_MAX);
	for (size_t i = 0; i < n; i++)
		if ((status = tag_parts(tags[i], del, key, &value)))
			return status;
	return BRAIN_OK;
}

enum brain_status model_registry_annotate(struct version *v, const char *description,
					  const char *const *tags, size_t n, int del)
{
	enum brain_status status = model_registry_check_notes(description, tags, n, del);
	char key[IDENT_MAX + 1];
	const char *value;

	if (status)
		return status;
	if (description) {
		free(v->description);
		v->description = xstrdup(description);
	}
	for (size_t i = 0; i < n; i++) {
		tag_parts(tags[i], del, key, &value);
		if (!v->tags)
			v->tags = cJSON_CreateObject();
		set_member(v->tags, key, del ? NULL : value);
	}
	if (v->tags && !v->tags->child) {
		cJSON_Delete(v->tags);
		v->tags = NULL;
	}
	return BRAIN_OK;
}

/* 1 when id is a batch id as brain-ingest makes them: b- and 16 hex. */
static int batch_id_valid(const char *id)
{
	return strlen(id) == 18 && !strncmp(id, "b-", 2) &&
	       strspn(id + 2, "0123456789abcdef") == 16;
}

/* The link of a version to the batch line b, its source entry src. */
static cJSON *link_of(const cJSON *b, const cJSON *src)
{
	cJSON *o = cJSON_CreateObject();
	const cJSON *accepted = cJSON_GetObjectItemCaseSensitive(b, "accepted");

	cJSON_AddStringToObject(o, "batch_id", json_string_or_empty(b, "batch_id"));
	cJSON_AddStringToObject(o, "source", json_string_or_empty(b, "source"));
	cJSON_AddStringToObject(o, "use", json_string_or_empty(b, "use"));
	cJSON_AddStringToObject(o, "licence", json_string_or_empty(b, "licence"));
	cJSON_AddStringToObject(o, "ingested_at", json_string_or_empty(b, "ingested_at"));
	cJSON_AddStringToObject(o, "sha256", json_string_or_empty(b, "sha256"));
	cJSON_AddNumberToObject(o, "records", cJSON_IsNumber(accepted) ? accepted->valuedouble : 0);
	cJSON_AddItemToObject(o, "allowed_uses",
			      cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(src, "uses"), 1));
	cJSON_AddStringToObject(o, "allowed_licence", json_string_or_empty(src, "licence"));
	return o;
}

/* A batch whose source may not train: say so, audit it (model.refused,
 * BLOCKED) unless a dry run, and fail with BRAIN_NO. */
static enum brain_status refuse_batch(const struct cli *cli, struct state *st,
				      const char *model_id, const cJSON *b, const cJSON *src)
{
	const char *id = json_string_or_empty(b, "batch_id"), *source = json_string_or_empty(b, "source");
	char *uses = src ? json_print_compact(cJSON_GetObjectItemCaseSensitive(src, "uses")) : NULL;
	char reason[512];
	cJSON *details = cJSON_CreateObject();
	struct audit_event ev = { model_id, "model.refused", "BLOCKED", details, cli->reason, NULL };
	struct audit_ack ack;
	enum brain_status status = BRAIN_OK;

	if (src)
		snprintf(reason, sizeof(reason), "batch %s: source '%s' (licence '%s') is not "
			 "allowed for training: the allow-list gives it %s", id, source,
			 json_string_or_empty(b, "licence"), uses ? uses : "[]");
	else
		snprintf(reason, sizeof(reason), "batch %s: source '%s' (licence '%s') is not on "
			 "the allow-list", id, source, json_string_or_empty(b, "licence"));
	free(uses);
	cJSON_AddStringToObject(details, "model_id", model_id);
	cJSON_AddStringToObject(details, "action", "REFUSED");
	cJSON_AddStringToObject(details, "batch_id", id);
	cJSON_AddStringToObject(details, "source", source);
	cJSON_AddStringToObject(details, "licence", json_string_or_empty(b, "licence"));
	cJSON_AddStringToObject(details, "use", "training");
	cJSON_AddStringToObject(details, "reason", reason);
	if (!cli->dry_run)
		status = audit_append(st, NULL, &ev, &ack);
	cJSON_Delete(details);
	if (status)
		return status;
	return diag_error(BRAIN_NO, "--trained-on: %s", reason);
}

/* Add the link to batch id to links (once), or fail as
 * model_registry_link says. */
static enum brain_status link_one(const struct cli *cli, struct state *st, const char *model_id,
				  struct ingest_batches *ib, cJSON *sources, const char *id,
				  cJSON *links)
{
	const cJSON *b, *l, *src;

	if (!batch_id_valid(id))
		return diag_error(BRAIN_USAGE, "--trained-on: '%s' is not a batch id (b- and 16 "
				  "hex digits, as brain-ingest prints it)", id);
	cJSON_ArrayForEach(l, links) {
		if (!strcmp(json_string_or_empty(l, "batch_id"), id))
			return BRAIN_OK;
	}
	if (!(b = ingest_batches_find(ib, id)))
		return diag_error(BRAIN_DATA, "--trained-on: no batch '%s' in learning/"
				  INGEST_BATCHES " (see 'brain-ingest batches')", id);
	src = ingest_store_source_find(sources, json_string_or_empty(b, "source"));
	if (!ingest_store_source_allows(src, "training"))
		return refuse_batch(cli, st, model_id, b, src);
	cJSON_AddItemToArray(links, link_of(b, src));
	return BRAIN_OK;
}

enum brain_status model_registry_link(const struct cli *cli, struct state *st,
				      const char *model_id, const char *const *lists, size_t n,
				      cJSON **links)
{
	struct ingest_batches ib;
	enum brain_status status;
	cJSON *sources;

	*links = NULL;
	if (n == 0)
		return BRAIN_OK;
	if ((status = ingest_batches_load(st->dirfd, &ib)))
		return status;
	if ((status = ingest_store_sources(st->dirfd, &sources))) {
		ingest_batches_free(&ib);
		return status;
	}
	*links = cJSON_CreateArray();
	for (size_t i = 0; i < n && !status; i++) {
		const char *p = lists[i];

		do {
			size_t len = strcspn(p, ",");
			char id[32];

			snprintf(id, sizeof(id), "%.*s", (int)(len < 31 ? len : 31), p);
			status = link_one(cli, st, model_id, &ib, sources, id, *links);
			p += len + (p[len] == ',');
		} while (!status && *p);
	}
	cJSON_Delete(sources);
	ingest_batches_free(&ib);
	if (status) {
		cJSON_Delete(*links);
		*links = NULL;
	}
	return status;
}

/* Save m with its audit record when it changed (not in a dry run), close
 * the state, print the line; frees the line and m.  A failure before
 * (status) only closes and frees. */
static enum brain_status finish(const struct cli *cli, struct state *st, struct model *m,
				enum brain_status status, const char *action, int changed,
				cJSON *line)
{
	if (!status && changed && !cli->dry_run)
		status = model_store_save(st, m, action, line, cli->reason);
	state_close(st);
	render_form(&model_change_form);
	if (!status)
		status = jsonl_write(stdout, line);
	cJSON_Delete(line);
	model_store_free(m);
	return status;
}

/* The version version names in m: MODEL@N, MODEL@ALIAS or a bare N. */
static struct version *version_named(struct model *m, const char *version)
{
	char text[VID_SIZE + 8];

	if (strchr(version, '@'))
		return model_store_resolve(m, version);
	snprintf(text, sizeof(text), "%s@%s", m->id, version);
	return model_store_resolve(m, text);
}

static enum brain_status alias_name_check(const char *alias)
{
	if (!ident_valid(alias) || strspn(alias, "0123456789") == strlen(alias) ||
	    !strcmp(alias, "serving") || !strcmp(alias, "canary"))
		return diag_error(BRAIN_USAGE, "an alias is an id ([a-z0-9][a-z0-9._-]*, not all "
				  "digits, not serving or canary), not '%s'", alias);
	return BRAIN_OK;
}

static cJSON *alias_line(const struct model *m, const char *action, const char *alias,
			 const char *from, const char *to)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "model_id", m->id);
	cJSON_AddStringToObject(o, "action", action);
	cJSON_AddStringToObject(o, "alias", alias);
	cJSON_AddStringToObject(o, "version_id", to ? to : from);
	cJSON_AddItemToObject(o, "from", from ? cJSON_CreateString(from) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "to", to ? cJSON_CreateString(to) : cJSON_CreateNull());
	return o;
}

enum brain_status model_registry_alias(const struct cli *cli, const char *model,
				       const char *alias, const char *version, int del)
{
	struct state st;
	struct model m;
	struct version *v = NULL;
	enum brain_status status;
	const char *action;
	char from[VID_SIZE] = "";
	long number;

	if ((status = alias_name_check(alias)) || (status = model_open(cli, model, 1, &st, &m, &number)))
		return status;
	if (json_string(m.aliases, alias))
		snprintf(from, sizeof(from), "%s", json_string(m.aliases, alias));
	if (del && !*from)
		status = diag_error(BRAIN_DATA, "model '%s' has no alias '%s'", m.id, alias);
	else if (!del && !(v = version_named(&m, version)))
		status = diag_error(BRAIN_DATA, "model '%s' has no version '%s'", m.id, version);
	if (status)
		return finish(cli, &st, &m, status, NULL, 0, NULL);
	if (!m.aliases)
		m.aliases = cJSON_CreateObject();
	set_member(m.aliases, alias, v ? v->id : NULL);
	action = del ? "UNALIASED" : !*from ? "ALIASED" : strcmp(from, v->id) ? "MOVED" : "NO_CHANGE";
	return finish(cli, &st, &m, BRAIN_OK, "model.alias", strcmp(action, "NO_CHANGE") != 0,
		      alias_line(&m, action, alias, *from ? from : NULL, v ? v->id : NULL));
}

enum brain_status model_registry_tag(const struct cli *cli, const char *version,
				     const char *description, const char *const *tags, size_t n,
				     int del)
{
	struct state st;
	struct model m;
	struct version *v;
	enum brain_status status;
	long number;
	cJSON *line;

	if (!n && !description)
		return diag_error(BRAIN_USAGE, "'tag' needs KEY=VALUE operands or --description");
	if ((status = model_open(cli, version, 1, &st, &m, &number)))
		return status;
	if (!number || !(v = model_store_resolve(&m, version)))
		status = diag_error(BRAIN_DATA, "'tag' needs a version of '%s' (MODEL@N or "
				    "MODEL@ALIAS), not '%s'", m.id, version);
	else
		status = model_registry_annotate(v, description, tags, n, del);
	if (status)
		return finish(cli, &st, &m, status, NULL, 0, NULL);
	line = cJSON_CreateObject();
	cJSON_AddStringToObject(line, "model_id", m.id);
	cJSON_AddStringToObject(line, "action", "TAGGED");
	cJSON_AddStringToObject(line, "version_id", v->id);
	cJSON_AddItemToObject(line, "tags", v->tags ? cJSON_Duplicate(v->tags, 1)
						    : cJSON_CreateObject());
	cJSON_AddItemToObject(line, "description", v->description
				    ? cJSON_CreateString(v->description) : cJSON_CreateNull());
	return finish(cli, &st, &m, BRAIN_OK, "model.tag", 1, line);
}

/* One version's notes: description, tags, then a line per batch. */
static void print_version_notes(const struct version *v, FILE *out)
{
	const cJSON *i;

	if (v->description)
		fprintf(out, "  %s: %s\n", v->id, v->description);
	if (v->tags) {
		fprintf(out, "  %s tags:", v->id);
		cJSON_ArrayForEach(i, v->tags) {
			fprintf(out, " %s=%s", i->string, i->valuestring);
		}
		fputc('\n', out);
	}
	cJSON_ArrayForEach(i, v->trained_on) {
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(i, "records");

		fprintf(out, "  %s trained on %s: source %s, licence '%s', use %s, %.0f record(s), "
			"ingested %s\n", v->id, json_string_or_empty(i, "batch_id"),
			json_string_or_empty(i, "source"), json_string_or_empty(i, "licence"),
			json_string_or_empty(i, "use"), cJSON_IsNumber(r) ? r->valuedouble : 0,
			json_string_or_empty(i, "ingested_at"));
	}
}

void model_registry_print_notes(const struct model *m, FILE *out)
{
	for (size_t i = 0; i < m->n; i++)
		print_version_notes(&m->v[i], out);
}
