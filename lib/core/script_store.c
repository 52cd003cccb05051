/* script_store.c - the script registry of brain-promote; see
 * script_store.h. */
#define _GNU_SOURCE /* qsort_r */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/change.h"
#include "core/config.h"
#include "pure/json.h"
#include "core/file.h"
#include "core/script_store.h"
#include "diag.h"
#include "pure/ident.h"
#include "banned.h"

void script_store_free(struct script_registry *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->s[i].name);
	free(r->s);
	free(r->by_id);
	free(r->by_name);
	memset(r, 0, sizeof(*r));
}

static const char *script_key(const struct script *s, int by_name)
{
	return by_name ? s->name : s->id;
}

static int cmp_keys(const void *a, const void *b, void *arg, int by_name)
{
	const struct script *s = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(script_key(&s[i], by_name), script_key(&s[j], by_name));

	return c ? c : (i < j ? -1 : i > j);
}

static int cmp_by_id(const void *a, const void *b, void *arg)
{
	return cmp_keys(a, b, arg, 0);
}

static int cmp_by_name(const void *a, const void *b, void *arg)
{
	return cmp_keys(a, b, arg, 1);
}

/* Sort the indexes again once scripts were added. */
static void index_build(struct script_registry *r)
{
	if (r->by_id && r->n_sorted == r->n)
		return;
	free(r->by_id);
	free(r->by_name);
	r->by_id = xcalloc(r->n ? r->n : 1, sizeof(size_t));
	r->by_name = xcalloc(r->n ? r->n : 1, sizeof(size_t));
	for (size_t i = 0; i < r->n; i++)
		r->by_id[i] = r->by_name[i] = i;
	qsort_r(r->by_id, r->n, sizeof(size_t), cmp_by_id, r->s);
	qsort_r(r->by_name, r->n, sizeof(size_t), cmp_by_name, r->s);
	r->n_sorted = r->n;
}

/* The first position in idx (sorted by id or name) whose key is not
 * below key. */
static size_t lower_bound(const struct script_registry *r, const size_t *idx, int by_name,
			  const char *key)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(script_key(&r->s[idx[mid]], by_name), key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The script whose id is key, or NULL. */
static struct script *find_id(struct script_registry *r, const char *key)
{
	size_t at;

	index_build(r);
	at = lower_bound(r, r->by_id, 0, key);
	return at < r->n && !strcmp(r->s[r->by_id[at]].id, key) ? &r->s[r->by_id[at]] : NULL;
}

static int version_valid(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n > SCRIPT_VERSION_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= '0' && v[i] <= '9') ||
		      v[i] == '.' || v[i] == '_' || v[i] == '-'))
			return 0;
	return 1;
}

static struct script *script_store_add(struct script_registry *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->s = xrealloc(r->s, r->cap * sizeof(*r->s));
	}
	memset(&r->s[r->n], 0, sizeof(r->s[r->n]));
	return &r->s[r->n++];
}

static enum brain_status corrupt(const char *what)
{
	return diag_error(BRAIN_STATE, "scripts/" SCRIPT_REGISTRY ": %s", what);
}

static enum brain_status parse_script(struct script_registry *r, const cJSON *o)
{
	const char *strs[] = { "script_id", "name", "version", "status", "created", "updated" };
	const cJSON *f[6], *streak, *last, *evals, *perf;
	struct script *s;
	time_t t = 0;
	int status;

	for (int i = 0; i < 6; i++)
		if (!cJSON_IsString(f[i] = cJSON_GetObjectItemCaseSensitive(o, strs[i])))
			return corrupt("a script lacks a string field");
	streak = cJSON_GetObjectItemCaseSensitive(o, "streak");
	last = cJSON_GetObjectItemCaseSensitive(o, "last_change");
	evals = cJSON_GetObjectItemCaseSensitive(o, "evaluations");
	perf = cJSON_GetObjectItemCaseSensitive(o, "last_performance");
	status = promote_status_parse(f[3]->valuestring);
	if (!cJSON_IsNumber(streak) || !cJSON_IsNumber(evals) || status < 0 ||
	    (last && (!cJSON_IsString(last) || time_text_parse(last->valuestring, &t))) ||
	    strlen(f[0]->valuestring) >= sizeof(s->id) || !version_valid(f[2]->valuestring))
		return corrupt("a script has a bad field");
	s = script_store_add(r);
	snprintf(s->id, sizeof(s->id), "%s", f[0]->valuestring);
	s->name = xstrdup(f[1]->valuestring);
	snprintf(s->version, sizeof(s->version), "%s", f[2]->valuestring);
	snprintf(s->created, sizeof(s->created), "%s", f[4]->valuestring);
	snprintf(s->updated, sizeof(s->updated), "%s", f[5]->valuestring);
	s->memory.status = (enum promote_status)status;
	s->memory.streak = (int)streak->valuedouble;
	s->memory.last_change = last ? t : 0;
	s->evaluations = evals->valuedouble;
	if (cJSON_IsNumber(perf)) {
		s->last_performance = perf->valuedouble;
		s->has_performance = 1;
	}
	return BRAIN_OK;
}

enum brain_status script_store_load(struct state *st, struct script_registry *r)
{
	enum brain_status status;
	char *text;
	size_t len;
	int fd;
	cJSON *root;
	const cJSON *list, *item;

	memset(r, 0, sizeof(*r));
	status = state_subdir(st, "scripts", 0, &fd);
	if (status == BRAIN_NO)
		return BRAIN_OK;
	if (status)
		return status;
	status = file_read_all(fd, SCRIPT_REGISTRY, (size_t)1 << 26, &text, &len);
	close(fd);
	if (status == BRAIN_NO)
		return BRAIN_OK;
	if (status)
		return status;
	root = cJSON_ParseWithLength(text, len);
	free(text);
	list = cJSON_GetObjectItemCaseSensitive(root, "scripts");
	if (!cJSON_IsArray(list)) {
		cJSON_Delete(root);
		return corrupt("not a script registry");
	}
	cJSON_ArrayForEach(item, list) {
		if ((status = parse_script(r, item)))
			break;
	}
	cJSON_Delete(root);
	/* Nothing of a registry that did not load is left to the caller. */
	if (status)
		script_store_free(r);
	return status;
}

cJSON *script_store_json(const struct script *s)
{
	cJSON *o = cJSON_CreateObject();
	char ts[TIME_TEXT_SIZE];

	cJSON_AddStringToObject(o, "script_id", s->id);
	cJSON_AddStringToObject(o, "name", s->name);
	cJSON_AddStringToObject(o, "version", s->version);
	cJSON_AddStringToObject(o, "status", promote_status_name(s->memory.status));
	cJSON_AddStringToObject(o, "created", s->created);
	cJSON_AddStringToObject(o, "updated", s->updated);
	cJSON_AddNumberToObject(o, "evaluations", s->evaluations);
	if (s->has_performance)
		cJSON_AddNumberToObject(o, "last_performance", s->last_performance);
	cJSON_AddNumberToObject(o, "streak", s->memory.streak);
	if (s->memory.last_change) {
		time_text_format(s->memory.last_change, ts);
		cJSON_AddStringToObject(o, "last_change", ts);
	}
	return o;
}

/* Prepare the new registry, append the audit records, publish. */
enum brain_status script_store_save(struct state *st, const struct script_registry *r,
				       const struct audit_event *evs, size_t nevs)
{
	struct file_replace fr;
	struct audit_ack *acks;
	enum brain_status status;
	cJSON *root = cJSON_CreateObject(), *list = cJSON_CreateArray();
	char *text;
	int fd;

	for (size_t i = 0; i < r->n; i++)
		cJSON_AddItemToArray(list, script_store_json(&r->s[i]));
	cJSON_AddItemToObject(root, "scripts", list);
	text = json_print_indented(root);
	cJSON_Delete(root);
	if (!text)
		diag_oom();
	if ((status = state_subdir(st, "scripts", 1, &fd))) {
		free(text);
		return status;
	}
	status = file_replace_begin(&fr, fd, SCRIPT_REGISTRY);
	if (!status) {
		fputs(text, fr.fp);
		fputc('\n', fr.fp);
		status = file_replace_prepare(&fr);
	}
	free(text);
	if (!status) {
		struct change c;

		change_init(&c, st);
		change_replace(&c, "scripts", &fr);
		acks = xcalloc(nevs, sizeof(*acks));
		status = change_commit(&c, NULL, evs, nevs, acks);
		free(acks);
	}
	close(fd);
	return status;
}

/* A script by id, or by name when only one version has it. */
enum brain_status script_store_find(struct script_registry *r, const char *key, int quiet,
				     struct script **out)
{
	struct script *found = NULL;
	int matches = 0;

	*out = NULL;
	if ((*out = find_id(r, key)))
		return BRAIN_OK;
	for (size_t at = lower_bound(r, r->by_name, 1, key);
	     at < r->n && !strcmp(r->s[r->by_name[at]].name, key); at++) {
		if (!found)
			found = &r->s[r->by_name[at]];
		matches++;
	}
	if (matches == 1) {
		*out = found;
		return BRAIN_OK;
	}
	if (quiet && matches == 0)
		return BRAIN_NO;
	if (matches > 1)
		return diag_error(BRAIN_DATA, "script '%s' has %d versions: name one by its id "
				  "(see 'brain-promote status')", key, matches);
	return diag_error(BRAIN_DATA, "unknown script '%s' (see 'brain-promote status')", key);
}

enum brain_status script_store_policy(int dirfd, struct promote_policy *p)
{
	struct config *cfg;
	enum brain_status status = config_load(dirfd, &cfg);

	if (status)
		return status;
	p->promote_at = config_number(cfg, "promote.promote_at");
	p->demote_below = config_number(cfg, "promote.demote_below");
	p->floor = config_number(cfg, "promote.floor");
	p->min_samples = (double)config_int(cfg, "promote.min_samples");
	p->consecutive = (double)config_int(cfg, "promote.consecutive");
	p->cooldown = config_number(cfg, "promote.cooldown_hours") * 3600;
	p->require_evidence = config_bool(cfg, "promote.require_evidence");
	config_free(cfg);
	if (p->floor > p->demote_below || p->demote_below > p->promote_at)
		return diag_error(BRAIN_STATE, "config.json: the policy needs promote.floor <= "
				  "promote.demote_below <= promote.promote_at");
	return BRAIN_OK;
}

enum brain_status script_store_new(struct script_registry *r, const char *name, const char *version,
				    const char *now, struct script **out)
{
	char slug[IDENT_MAX + 1];
	enum brain_status status;
	struct script *s;

	if ((status = ident_check_name(name, "script name")) || (status = ident_slug(name, slug)))
		return status;
	if (!version_valid(version))
		return diag_error(BRAIN_DATA, "invalid version '%s': 1 to 32 of a-z 0-9 . _ -",
				  version);
	s = script_store_add(r);
	snprintf(s->id, sizeof(s->id), "%s@%s", slug, version);
	for (size_t i = 0; i + 1 < r->n; i++)
		if (!strcmp(r->s[i].id, s->id)) {
			r->n--;
			*out = &r->s[i];
			return BRAIN_NO; /* exists */
		}
	s->name = xstrdup(name);
	snprintf(s->version, sizeof(s->version), "%s", version);
	snprintf(s->created, sizeof(s->created), "%s", now);
	snprintf(s->updated, sizeof(s->updated), "%s", now);
	s->memory.status = PROMOTE_DRAFT;
	*out = s;
	return BRAIN_OK;
}

enum brain_status script_store_names(struct state *st, int active_only, char ***names, size_t *n)
{
	struct script_registry r;
	enum brain_status status = script_store_load(st, &r);

	*names = NULL;
	*n = 0;
	if (status)
		return status;
	for (size_t i = 0; i < r.n; i++)
		if (!active_only || r.s[i].memory.status == PROMOTE_ACTIVE) {
			*names = xrealloc(*names, (*n + 1) * sizeof(**names));
			(*names)[(*n)++] = xstrdup(r.s[i].name);
		}
	script_store_free(&r);
	return BRAIN_OK;
}

enum brain_status script_trail_begin(struct state *st, struct script_trail *t, char *detail,
				     size_t size)
{
	enum brain_status status = script_store_load(st, &t->r);

	t->detail = detail;
	t->size = size;
	t->bad = 0;
	t->last = NULL;
	detail[0] = '\0';
	if (status) {
		/* Nothing to compare: the trail need not be read. */
		snprintf(detail, size, "%s", diag_last_where());
		t->loaded = 0;
		return BRAIN_NO;
	}
	t->loaded = 1;
	t->last = xcalloc(t->r.n ? t->r.n : 1, sizeof(*t->last));
	return BRAIN_OK;
}

int script_trail_record(void *arg, const cJSON *line, const cJSON *rec, uint64_t seq)
{
	struct script_trail *t = arg;
	const cJSON *action = cJSON_GetObjectItemCaseSensitive(rec, "action");
	const cJSON *subject, *d, *to;
	const struct script *found;

	(void)line;
	if (!t->loaded)
		return 1;
	/* Most records are not the scripts': asked first. */
	if (!cJSON_IsString(action) || strncmp(action->valuestring, "promote.", 8))
		return 0;
	subject = cJSON_GetObjectItemCaseSensitive(rec, "subject");
	d = cJSON_GetObjectItemCaseSensitive(rec, "details");
	if (!(to = cJSON_GetObjectItemCaseSensitive(d, "new_status")))
		to = cJSON_GetObjectItemCaseSensitive(d, "status");
	if (!cJSON_IsString(subject))
		return 0;
	found = find_id(&t->r, subject->valuestring);
	if (!found) {
		snprintf(t->detail, t->size, "audit record %" PRIu64 ": script '%s' was %s but is not "
			 "registered", seq, subject->valuestring, action->valuestring + 8);
		t->bad = 1;
		return 1;
	}
	if (cJSON_IsString(to))
		snprintf(t->last[found - t->r.s], sizeof(*t->last), "%s", to->valuestring);
	return 0;
}

enum brain_status script_trail_end(struct script_trail *t, enum brain_status read,
				   size_t *count)
{
	enum brain_status status;

	*count = t->loaded ? t->r.n : 0;
	if (!t->loaded)
		return BRAIN_NO;
	if (read == BRAIN_STATE)
		snprintf(t->detail, t->size, "%s", diag_last_where());
	status = t->bad || read == BRAIN_STATE ? BRAIN_NO : BRAIN_OK;
	/* The registry can be rebuilt from the trail: each status is the
	 * last one the trail recorded for the script. */
	for (size_t i = 0; i < t->r.n && !status; i++)
		if (t->last[i][0] && strcmp(t->last[i], promote_status_name(t->r.s[i].memory.status))) {
			snprintf(t->detail, t->size, "script %s is %s, but the audit trail last set it "
				 "to %s", t->r.s[i].id, promote_status_name(t->r.s[i].memory.status),
				 t->last[i]);
			status = BRAIN_NO;
		}
	free(t->last);
	script_store_free(&t->r);
	t->loaded = 0;
	return status;
}

enum brain_status script_store_check(struct state *st, size_t *count, char *detail, size_t size)
{
	struct script_trail t;
	enum brain_status read = BRAIN_OK;

	if (!script_trail_begin(st, &t, detail, size))
		read = audit_each(st->dirfd, script_trail_record, &t);
	return script_trail_end(&t, read, count);
}
