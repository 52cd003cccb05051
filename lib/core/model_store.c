/* model_store.c - the model registry's files; see model_store.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/change.h"
#include "core/config.h"
#include "core/file.h"
#include "core/jsonl.h"
#include "core/model_store.h"
#include "diag.h"
#include "pure/hash.h"
#include "pure/json.h"
#include "banned.h"

void model_store_free(struct model *m)
{
	for (size_t i = 0; i < m->n; i++) {
		cJSON_Delete(m->v[i].metrics);
		free(m->v[i].description);
		cJSON_Delete(m->v[i].tags);
		cJSON_Delete(m->v[i].trained_on);
	}
	cJSON_Delete(m->aliases);
	free(m->v);
	free(m->previous);
	free(m->name);
	memset(m, 0, sizeof(*m));
}

struct version *model_store_add_version(struct model *m)
{
	m->v = xrealloc(m->v, (m->n + 1) * sizeof(*m->v));
	memset(&m->v[m->n], 0, sizeof(*m->v));
	return &m->v[m->n++];
}

struct version *model_store_find_version(struct model *m, const char *id)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->v[i].id, id))
			return &m->v[i];
	return NULL;
}

enum brain_status model_store_id_of(const char *text, char id[IDENT_MAX + 1], long *number)
{
	const char *at = strrchr(text, '@');
	char base[256];
	char *end;

	*number = 0;
	if (!at && !ident_valid(text))
		return ident_slug(text, id);
	if (!at) {
		memcpy(id, text, strlen(text) + 1);
		return BRAIN_OK;
	}
	snprintf(base, sizeof(base), "%.*s", (int)(at - text), text);
	if (at[1] && strspn(at + 1, "0123456789") != strlen(at + 1) && ident_valid(at + 1)) {
		*number = -1;  /* an alias, looked up once the model is loaded */
	} else {
		errno = 0;
		*number = strtol(at + 1, &end, 10);
		if (*end || errno || *number < 1 || at[1] == '0')
			return diag_error(BRAIN_DATA, "invalid version id '%s' (MODEL@N or "
					  "MODEL@ALIAS)", text);
	}
	if (!ident_valid(base))
		return ident_check(base, "model id");
	memcpy(id, base, strlen(base) + 1); /* valid ids fit */
	return BRAIN_OK;
}

struct version *model_store_resolve(struct model *m, const char *text)
{
	const char *at = strrchr(text, '@'), *target = NULL;
	char vid[VID_SIZE];

	if (!at || !at[1] || (size_t)(at - text) != strlen(m->id) ||
	    strncmp(text, m->id, strlen(m->id)))
		return NULL;
	at++;
	if (strspn(at, "0123456789") == strlen(at)) {
		snprintf(vid, sizeof(vid), "%s@%s", m->id, at);
		return model_store_find_version(m, vid);
	}
	if (!strcmp(at, "serving"))
		target = m->serving;
	else if (!strcmp(at, "canary"))
		target = m->canary;
	else
		target = json_string(m->aliases, at);
	return target && *target ? model_store_find_version(m, target) : NULL;
}

cJSON *model_store_aliases_of(const struct model *m, const char *id)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *a;

	cJSON_ArrayForEach(a, m->aliases) {
		if (cJSON_IsString(a) && !strcmp(a->valuestring, id))
			cJSON_AddItemToArray(out, cJSON_CreateString(a->string));
	}
	return out;
}

void model_store_push_previous(struct model *m, const char *id)
{
	if (!*id)
		return;
	m->previous = xrealloc(m->previous, (m->nprev + 1) * sizeof(*m->previous));
	snprintf(m->previous[m->nprev++], VID_SIZE, "%s", id);
}

void model_store_end_canary(struct model *m)
{
	m->canary[0] = '\0';
	m->canary_weight = 0;
	m->nsteps = 0;
	m->step = 0;
	m->failures = 0;
	m->step_started[0] = '\0';
}

void model_store_serve(struct model *m, struct version *v)
{
	struct version *old = *m->serving ? model_store_find_version(m, m->serving) : NULL;

	if (old == v)
		return;
	if (old)
		snprintf(old->state, sizeof(old->state), "candidate");
	model_store_push_previous(m, m->serving);
	snprintf(m->serving, sizeof(m->serving), "%s", v->id);
	snprintf(v->state, sizeof(v->state), "serving");
	if (!strcmp(m->canary, v->id))
		model_store_end_canary(m);
}

static enum brain_status corrupt(const char *id, const char *what)
{
	return diag_error(BRAIN_STATE, "models/%s/" MODEL_FILE ": %s", id, what);
}

/* 1 when o is an object whose every member is a string. */
static int string_object(const cJSON *o)
{
	const cJSON *i;

	if (!cJSON_IsObject(o))
		return 0;
	cJSON_ArrayForEach(i, o) {
		if (!cJSON_IsString(i))
			return 0;
	}
	return 1;
}

/* A version's annotations (description, tags) and lineage (trained_on),
 * each optional: kept in v as they are.  Nonzero when one is malformed. */
static int parse_annotations(const cJSON *item, struct version *v)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(item, "description");
	const cJSON *tags = cJSON_GetObjectItemCaseSensitive(item, "tags");
	const cJSON *links = cJSON_GetObjectItemCaseSensitive(item, "trained_on");
	const cJSON *l;

	if ((d && !cJSON_IsString(d)) || (tags && !string_object(tags)) ||
	    (links && !cJSON_IsArray(links)))
		return 1;
	cJSON_ArrayForEach(l, links) {
		if (!json_string(l, "batch_id") || !json_string(l, "source"))
			return 1;
	}
	v->description = d ? xstrdup(d->valuestring) : NULL;
	v->tags = tags ? cJSON_Duplicate(tags, 1) : NULL;
	v->trained_on = links ? cJSON_Duplicate(links, 1) : NULL;
	return 0;
}

/* The model's aliases (optional), each naming one of its versions. */
static enum brain_status parse_aliases(struct model *m, const cJSON *root)
{
	const cJSON *aliases = cJSON_GetObjectItemCaseSensitive(root, "aliases"), *a;

	if (!aliases)
		return BRAIN_OK;
	if (!string_object(aliases))
		return corrupt(m->id, "field 'aliases' must be an object of version ids");
	cJSON_ArrayForEach(a, aliases) {
		if (!model_store_find_version(m, a->valuestring))
			return diag_error(BRAIN_STATE, "models/%s/" MODEL_FILE ": alias '%s' names "
					  "a missing version '%s'", m->id, a->string, a->valuestring);
	}
	m->aliases = cJSON_Duplicate(aliases, 1);
	return BRAIN_OK;
}

/* A stepped canary's state: steps (percentages, increasing, the last
 * 100), step (1-based) and analysis_failures, all three or none, and
 * when the step began (step_started_at), which an older file lacks. */
static enum brain_status parse_steps(struct model *m, const cJSON *root)
{
	const cJSON *steps = cJSON_GetObjectItemCaseSensitive(root, "steps");
	const cJSON *step = cJSON_GetObjectItemCaseSensitive(root, "step");
	const cJSON *failures = cJSON_GetObjectItemCaseSensitive(root, "analysis_failures");
	const cJSON *started = cJSON_GetObjectItemCaseSensitive(root, "step_started_at");
	const cJSON *item;
	time_t t;

	if (!steps && !step && !failures)
		return BRAIN_OK;
	if (!cJSON_IsArray(steps) || !cJSON_IsNumber(step) || !cJSON_IsNumber(failures) ||
	    cJSON_GetArraySize(steps) < 2 || cJSON_GetArraySize(steps) > ROLLOUT_STEPS_MAX ||
	    failures->valuedouble < 0 || failures->valuedouble != floor(failures->valuedouble))
		return corrupt(m->id, "bad canary steps");
	cJSON_ArrayForEach(item, steps) {
		if (!cJSON_IsNumber(item) || !(item->valuedouble > 0 && item->valuedouble <= 100) ||
		    (m->nsteps && !(item->valuedouble > m->steps[m->nsteps - 1])))
			return corrupt(m->id, "bad canary steps");
		m->steps[m->nsteps++] = item->valuedouble;
	}
	if (m->steps[m->nsteps - 1] != 100 || step->valuedouble != floor(step->valuedouble) ||
	    step->valuedouble < 1 || step->valuedouble >= (double)m->nsteps)
		return corrupt(m->id, "bad canary step");
	m->step = (size_t)step->valuedouble - 1;
	m->failures = (size_t)failures->valuedouble;
	/* Optional: a canary started before steps had start times has none. */
	if (started && (!cJSON_IsString(started) || time_text_parse(started->valuestring, &t)))
		return corrupt(m->id, "field 'step_started_at' must be an RFC 3339 time");
	if (started)
		time_text_format(t, m->step_started);
	/* The weight is the step's: a file where they differ was not written here. */
	if (!*m->canary || m->canary_weight != m->steps[m->step] / 100)
		return corrupt(m->id, "canary steps without a canary at the step's weight");
	return BRAIN_OK;
}

static enum brain_status parse_model(struct model *m, const char *text, size_t len)
{
	cJSON *root = cJSON_ParseWithLength(text, len);
	const cJSON *versions = cJSON_GetObjectItemCaseSensitive(root, "versions");
	const cJSON *prev = cJSON_GetObjectItemCaseSensitive(root, "previous");
	const cJSON *cw = cJSON_GetObjectItemCaseSensitive(root, "canary_weight");
	const cJSON *item;
	enum brain_status status = BRAIN_OK;

	if (!cJSON_IsObject(root) || !json_string(root, "name") || !json_string(root, "created") ||
	    !json_string(root, "serving") || !json_string(root, "canary") || !cJSON_IsArray(versions) ||
	    !cJSON_IsArray(prev) || !cJSON_IsNumber(cw)) {
		cJSON_Delete(root);
		return corrupt(m->id, "not a model file");
	}
	m->name = xstrdup(json_string_or_empty(root, "name"));
	snprintf(m->created, sizeof(m->created), "%s", json_string_or_empty(root, "created"));
	snprintf(m->serving, sizeof(m->serving), "%s", json_string_or_empty(root, "serving"));
	snprintf(m->canary, sizeof(m->canary), "%s", json_string_or_empty(root, "canary"));
	m->canary_weight = cw->valuedouble;
	if ((status = parse_steps(m, root))) {
		cJSON_Delete(root);
		return status;
	}
	cJSON_ArrayForEach(item, versions) {
		const cJSON *num = cJSON_GetObjectItemCaseSensitive(item, "version");
		const cJSON *acc = cJSON_GetObjectItemCaseSensitive(item, "accuracy");
		const cJSON *met = cJSON_GetObjectItemCaseSensitive(item, "metrics");
		const cJSON *size = cJSON_GetObjectItemCaseSensitive(item, "artifact_size");
		struct version *v;

		if (!json_string(item, "version_id") || !cJSON_IsNumber(num) || !cJSON_IsObject(met) ||
		    !json_string(item, "artifact") || !json_string(item, "state") || !json_string(item, "strategy") ||
		    !json_string(item, "created") || !cJSON_IsNumber(size) ||
		    (acc && !cJSON_IsNumber(acc))) {
			status = corrupt(m->id, "a version has a bad field");
			break;
		}
		v = model_store_add_version(m);
		snprintf(v->id, sizeof(v->id), "%s", json_string_or_empty(item, "version_id"));
		v->number = (long)num->valuedouble;
		v->has_accuracy = acc != NULL;
		v->accuracy = acc ? acc->valuedouble : 0;
		v->metrics = cJSON_Duplicate(met, 1);
		snprintf(v->artifact, sizeof(v->artifact), "%s", json_string_or_empty(item, "artifact"));
		v->artifact_size = size->valuedouble;
		snprintf(v->state, sizeof(v->state), "%s", json_string_or_empty(item, "state"));
		snprintf(v->strategy, sizeof(v->strategy), "%s", json_string_or_empty(item, "strategy"));
		snprintf(v->created, sizeof(v->created), "%s", json_string_or_empty(item, "created"));
		if (parse_annotations(item, v)) {
			status = corrupt(m->id, "a version has a bad description, tags or trained_on");
			break;
		}
	}
	cJSON_ArrayForEach(item, prev) {
		if (status)
			break;
		if (!cJSON_IsString(item)) {
			status = corrupt(m->id, "bad rollback stack");
			break;
		}
		model_store_push_previous(m, item->valuestring);
	}
	if (!status)
		status = parse_aliases(m, root);
	cJSON_Delete(root);
	if (!status && *m->serving && !model_store_find_version(m, m->serving))
		status = corrupt(m->id, "the serving version does not exist");
	return status;
}

/* What parse_annotations reads, after the version's other fields: only
 * what was given, so that a version without them reads as it always did. */
static void annotations_json(const struct version *v, cJSON *o)
{
	if (v->description)
		cJSON_AddStringToObject(o, "description", v->description);
	if (v->tags)
		cJSON_AddItemToObject(o, "tags", cJSON_Duplicate(v->tags, 1));
	if (v->trained_on)
		cJSON_AddItemToObject(o, "trained_on", cJSON_Duplicate(v->trained_on, 1));
}

static cJSON *version_json(const struct version *v)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "version_id", v->id);
	cJSON_AddNumberToObject(o, "version", (double)v->number);
	if (v->has_accuracy)
		cJSON_AddNumberToObject(o, "accuracy", v->accuracy);
	cJSON_AddItemToObject(o, "metrics", cJSON_Duplicate(v->metrics, 1));
	cJSON_AddStringToObject(o, "artifact", v->artifact);
	cJSON_AddNumberToObject(o, "artifact_size", v->artifact_size);
	cJSON_AddStringToObject(o, "state", v->state);
	cJSON_AddStringToObject(o, "strategy", v->strategy);
	cJSON_AddStringToObject(o, "created", v->created);
	annotations_json(v, o);
	return o;
}

/* A stepped canary's state, only while it runs: step is 1-based. */
static void add_steps(cJSON *o, const struct model *m)
{
	cJSON *steps;

	if (!*m->canary || !m->nsteps)
		return;
	steps = cJSON_AddArrayToObject(o, "steps");
	for (size_t i = 0; i < m->nsteps; i++)
		cJSON_AddItemToArray(steps, cJSON_CreateNumber(m->steps[i]));
	cJSON_AddNumberToObject(o, "step", (double)(m->step + 1));
	cJSON_AddNumberToObject(o, "analysis_failures", (double)m->failures);
	if (*m->step_started)
		cJSON_AddStringToObject(o, "step_started_at", m->step_started);
}

cJSON *model_store_json(const struct model *m)
{
	cJSON *o = cJSON_CreateObject(), *vs = cJSON_CreateArray(), *prev = cJSON_CreateArray();

	cJSON_AddStringToObject(o, "model_id", m->id);
	cJSON_AddStringToObject(o, "name", m->name);
	cJSON_AddStringToObject(o, "created", m->created);
	cJSON_AddStringToObject(o, "serving", m->serving);
	cJSON_AddStringToObject(o, "canary", m->canary);
	cJSON_AddNumberToObject(o, "canary_weight", m->canary_weight);
	add_steps(o, m);
	for (size_t i = 0; i < m->n; i++)
		cJSON_AddItemToArray(vs, version_json(&m->v[i]));
	cJSON_AddItemToObject(o, "versions", vs);
	for (size_t i = 0; i < m->nprev; i++)
		cJSON_AddItemToArray(prev, cJSON_CreateString(m->previous[i]));
	cJSON_AddItemToObject(o, "previous", prev);
	if (m->aliases && m->aliases->child)
		cJSON_AddItemToObject(o, "aliases", cJSON_Duplicate(m->aliases, 1));
	return o;
}

enum brain_status model_store_dir(struct state *st, const char *id, int create, int *fd)
{
	enum brain_status status;
	int mfd;

	*fd = -1;
	if ((status = state_subdir(st, "models", create, &mfd)))
		return status;
	if (create && mkdirat(mfd, id, 0700) != 0 && errno != EEXIST) {
		status = diag_errno(BRAIN_IO, errno, "cannot create models/%s", id);
		close(mfd);
		return status;
	}
	*fd = openat(mfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	close(mfd);
	if (*fd < 0)
		return errno == ENOENT ? BRAIN_NO : diag_errno(BRAIN_STATE, errno, "models/%s", id);
	return BRAIN_OK;
}

enum brain_status model_store_load(struct state *st, const char *id, struct model *m, int quiet)
{
	enum brain_status status;
	char *text;
	size_t len;
	int fd;

	memset(m, 0, sizeof(*m));
	snprintf(m->id, sizeof(m->id), "%s", id);
	status = model_store_dir(st, id, 0, &fd);
	if (!status) {
		status = file_read_all(fd, MODEL_FILE, (size_t)1 << 26, &text, &len);
		close(fd);
	}
	if (status == BRAIN_NO) {
		if (!quiet)
			diag_error(BRAIN_DATA, "unknown model '%s' (see 'brain-model list')", id);
		return BRAIN_NO;
	}
	if (status)
		return status;
	status = parse_model(m, text, len);
	free(text);
	/* Nothing of a model that did not load is left to the caller. */
	if (status)
		model_store_free(m);
	return status;
}

/* A model's directory is named by its id; objects/ holds the artifacts. */
static int keep_model(char *name, void *arg)
{
	return state_keep_id(name, arg) && strcmp(name, "objects");
}

enum brain_status model_store_list(struct state *st, char ***ids, size_t *n)
{
	return state_list(st, "models", keep_model, NULL, ids, n);
}

enum brain_status model_store_save(struct state *st, struct model *m, const char *action,
				   cJSON *details, const char *reason)
{
	struct audit_event ev = { m->id, action, "SUCCESS", details, reason, NULL };
	enum brain_status status;
	cJSON *root = model_store_json(m);
	char dir[IDENT_MAX + 16];

	snprintf(dir, sizeof(dir), "models/%s", m->id);
	status = change_save_json(st, dir, MODEL_FILE, root, NULL, &ev);
	cJSON_Delete(root);
	return status;
}

enum brain_status model_store_open_artifact(int dirfd, const char *hex, int *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[32], buf[65536];
	unsigned int mdlen;
	char got[65], path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "models/objects/%s", hex);
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		EVP_MD_CTX_free(ctx);
		return diag_errno(BRAIN_STATE, errno, "artifact %s", path);
	}
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		EVP_DigestUpdate(ctx, buf, (size_t)n);
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	hash_hex(md, 32, got);
	if (n < 0 || strcmp(got, hex)) {
		close(fd);
		return diag_error(BRAIN_STATE, "artifact %s is corrupt: its bytes hash to %.12s...; "
				  "it is not handed out", path, got);
	}
	*out = fd;
	return BRAIN_OK;
}

enum brain_status model_store_verify_artifacts(int dirfd, size_t *checked)
{
	enum brain_status status = BRAIN_OK;
	struct dirent *e;
	DIR *d;
	int fd = openat(dirfd, "models/objects", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	*checked = 0;
	if (fd < 0)
		return BRAIN_OK;
	d = fdopendir(fd);
	while (d && (e = readdir(d))) {
		int afd;

		if (strlen(e->d_name) != 64)
			continue;
		(*checked)++;
		if (model_store_open_artifact(dirfd, e->d_name, &afd))
			status = BRAIN_NO;
		else
			close(afd);
	}
	if (d)
		closedir(d);
	return status;
}

enum brain_status model_store_check_all(struct state *st, size_t *count, char *detail, size_t size)
{
	enum brain_status status;
	struct dirent *e;
	DIR *d;
	int fd;

	*count = 0;
	detail[0] = '\0';
	status = state_subdir(st, "models", 0, &fd);
	if (status)
		return status == BRAIN_NO ? BRAIN_OK : status;
	d = fdopendir(fd);
	while (d && (e = readdir(d))) {
		struct model m;

		if (!ident_valid(e->d_name) || !strcmp(e->d_name, "objects"))
			continue;
		status = model_store_load(st, e->d_name, &m, 1);
		if (status == BRAIN_NO) {
			snprintf(detail, size, "models/%s has no model.json", e->d_name);
			status = BRAIN_NO;
			break;
		}
		if (status) {
			snprintf(detail, size, "models/%s: %s", e->d_name, diag_last());
			status = BRAIN_NO;
			break;
		}
		for (size_t i = 0; i < m.n && !status; i++)
			if (*m.v[i].artifact) {
				char path[128];

				snprintf(path, sizeof(path), "models/objects/%s", m.v[i].artifact);
				if (faccessat(st->dirfd, path, F_OK, 0) != 0) {
					snprintf(detail, size, "%s: artifact %.12s... is missing",
						 m.v[i].id, m.v[i].artifact);
					status = BRAIN_NO;
				}
			}
		model_store_free(&m);
		(*count)++;
		if (status)
			break;
	}
	if (d)
		closedir(d);
	return status;
}
