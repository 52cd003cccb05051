/* clone_store.c - the clone files of brain-score and brain-gate; see
 * clone_store.h. */
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/change.h"
#include "core/clone_store.h"
#include "core/config.h"
#include "core/file.h"
#include "core/jsonl.h"
#include "diag.h"
#include "pure/json.h"
#include "pure/ident.h"
#include "pure/time_text.h"
#include "banned.h"

/* A clone's directory is named by its id. */
enum brain_status clone_store_list(struct state *st, char ***ids, size_t *n)
{
	return state_list(st, "clones", state_keep_id, NULL, ids, n);
}

enum brain_status clone_store_latest_score(int dirfd, const char *id, cJSON **out)
{
	struct jsonl_reader r;
	char path[IDENT_MAX + 32];
	int fd, rc;
	cJSON *rec;

	*out = NULL;
	snprintf(path, sizeof(path), "clones/%s/" CLONE_SCORES, id);
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? BRAIN_OK : diag_errno(BRAIN_STATE, errno, "%s", path);
	jsonl_open_fd(&r, fd, path, 0);
	while ((rc = jsonl_next(&r, &rec)) != JSONL_EOF) {
		if (rc) {
			jsonl_close(&r);
			close(fd);
			cJSON_Delete(*out);
			*out = NULL;
			return BRAIN_STATE;
		}
		cJSON_Delete(*out);
		*out = rec;
	}
	jsonl_close(&r);
	close(fd);
	return BRAIN_OK;
}

enum brain_status clone_store_policy(int dirfd, const char *file, struct gate_policy *p)
{
	struct config *cfg;
	enum brain_status status;
	int from_file;

	if (file) {
		char *text;
		size_t len;
		cJSON *o;

		status = file_read_all(AT_FDCWD, file, (size_t)1 << 20, &text, &len);
		if (status == BRAIN_NO)
			return diag_error(BRAIN_USAGE, "cannot open policy file '%s'", file);
		if (status)
			return status;
		o = cJSON_ParseWithLength(text, len);
		free(text);
		if (!o)
			return diag_error(BRAIN_DATA, "%s: invalid JSON", file);
		status = gate_policy_parse(o, file, 0, p);
		cJSON_Delete(o);
		return status;
	}
	if ((status = config_load(dirfd, &cfg)))
		return status;
	config_value(cfg, "gate.min_readiness", &from_file);
	if (from_file) {
		config_free(cfg);
		return diag_error(BRAIN_STATE, "config.json: 'gate.min_readiness' is no longer used: "
				  "the readiness gate follows score.threshold and score.floor "
				  "(remove it: brain config unset gate.min_readiness)");
	}
	gate_policy_default(p);
	p->threshold = config_number(cfg, "score.threshold");
	p->floor = config_number(cfg, "score.floor");
	p->min_accuracy = config_number(cfg, "gate.min_accuracy");
	p->no_regression = config_bool(cfg, "gate.no_regression");
	p->audit_intact = config_bool(cfg, "gate.audit_intact");
	p->no_compliance_failures = config_bool(cfg, "gate.no_compliance_failures");
	p->require_compliance_evidence = config_bool(cfg, "gate.require_compliance_evidence");
	p->min_runs = config_number(cfg, "gate.min_runs");
	config_free(cfg);
	return BRAIN_OK;
}

/* Check waiver i of the list: its members typed, its gate a gate. */
static enum brain_status waiver_check(const cJSON *item, size_t i)
{
	const char *members[] = { "clone", "gate", "until", "reason" };
	char where[64];
	time_t until;

	snprintf(where, sizeof(where), "gates/" CLONE_WAIVERS ": waiver %zu", i + 1);
	for (size_t k = 0; k < sizeof(members) / sizeof(*members); k++)
		if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(item, members[k])))
			return diag_error(BRAIN_STATE, "%s: '%s' must be a string", where,
					  members[k]);
	if (time_text_parse(json_string_or_empty(item, "until"), &until))
		return diag_error(BRAIN_STATE, "%s: 'until' is not an RFC 3339 timestamp", where);
	return gate_name_check(json_string_or_empty(item, "gate"), BRAIN_STATE, where);
}

/* gates/waivers.json, checked, in *all (caller deletes). */
static enum brain_status load_waivers(int dirfd, cJSON **all)
{
	enum brain_status status;
	const cJSON *item;
	size_t i = 0;
	char *text;
	size_t len;

	status = file_read_all(dirfd, "gates/" CLONE_WAIVERS, (size_t)1 << 24, &text, &len);
	if (status == BRAIN_NO) {
		*all = cJSON_CreateArray();
		return BRAIN_OK;
	}
	if (status)
		return status;
	*all = cJSON_ParseWithLength(text, len);
	free(text);
	if (!cJSON_IsArray(*all))
		status = diag_error(BRAIN_STATE, "gates/" CLONE_WAIVERS ": not a list of waivers");
	else
		cJSON_ArrayForEach(item, *all)
			if ((status = waiver_check(item, i++)))
				break;
	if (status) {
		cJSON_Delete(*all);
		*all = NULL;
	}
	return status;
}

enum brain_status clone_store_waivers(int dirfd, const char *id, struct gate_waiver **w,
				      size_t *n, cJSON **all)
{
	enum brain_status status;
	const cJSON **items;

	*w = NULL;
	*n = 0;
	if ((status = load_waivers(dirfd, all)))
		return status;
	clone_store_waivers_in_force(*all, id, &items, n);
	*w = *n ? xcalloc(*n, sizeof(**w)) : NULL;
	for (size_t i = 0; i < *n; i++) {
		snprintf((*w)[i].gate, sizeof((*w)[i].gate), "%s",
			 json_string_or_empty(items[i], "gate"));
		snprintf((*w)[i].reason, sizeof((*w)[i].reason), "%s",
			 json_string_or_empty(items[i], "reason"));
		time_text_parse(json_string_or_empty(items[i], "until"), &(*w)[i].until);
	}
	free(items);
	return BRAIN_OK;
}

/* A waiver and its place in the list, for sorting. */
struct placed_waiver {
	const cJSON *item;   /* borrowed from the list */
	size_t place;        /* its index there */
	int gate;            /* gate_index of its gate */
};

/* By clone, then gate, then place in the list. */
static int placed_waiver_cmp(const void *a, const void *b)
{
	const struct placed_waiver *x = a, *y = b;
	int c = strcmp(json_string_or_empty(x->item, "clone"), json_string_or_empty(y->item, "clone"));

	if (c)
		return c;
	if (x->gate != y->gate)
		return x->gate < y->gate ? -1 : 1;
	return x->place < y->place ? -1 : x->place > y->place;
}

void clone_store_waivers_in_force(const cJSON *all, const char *id, const cJSON ***items,
				  size_t *n)
{
	size_t size = (size_t)cJSON_GetArraySize(all), k = 0, place = 0;
	struct placed_waiver *p = xcalloc(size ? size : 1, sizeof(*p));
	const cJSON *item;

	cJSON_ArrayForEach(item, all) {
		if (!id || !strcmp(json_string_or_empty(item, "clone"), id))
			p[k++] = (struct placed_waiver){ item, place,
							 gate_index(json_string_or_empty(item, "gate")) };
		place++;
	}
	qsort(p, k, sizeof(*p), placed_waiver_cmp);
	*items = xcalloc(k ? k : 1, sizeof(**items));
	*n = 0;
	/* The last of each clone and gate is the newest. */
	for (size_t i = 0; i < k; i++)
		if (i + 1 == k || p[i].gate != p[i + 1].gate ||
		    strcmp(json_string_or_empty(p[i].item, "clone"),
			   json_string_or_empty(p[i + 1].item, "clone")))
			(*items)[(*n)++] = p[i].item;
	free(p);
}

void clone_store_waiver_take(cJSON *all, const char *clone, const char *gate, cJSON **newest,
			     size_t *older)
{
	cJSON *item = all ? all->child : NULL, *next;

	*newest = NULL;
	*older = 0;
	for (; item; item = next) {
		next = item->next;
		if (strcmp(json_string_or_empty(item, "clone"), clone) ||
		    strcmp(json_string_or_empty(item, "gate"), gate))
			continue;
		if (*newest) {
			cJSON_Delete(*newest);
			(*older)++;
		}
		*newest = cJSON_DetachItemViaPointer(all, item);
	}
}

enum brain_status clone_store_each_score(int dirfd, const char *id, jsonl_each_fn *fn,
					 void *arg)
{
	char path[IDENT_MAX + 32];

	snprintf(path, sizeof(path), "clones/%s/" CLONE_SCORES, id);
	return jsonl_each_at(dirfd, path, 0, fn, arg);
}

/* Open (making it) clones/<id>/ and its score log for appending. */
static enum brain_status open_score_log(struct state *st, const char *id, int *fd)
{
	enum brain_status status;
	int dirfd, clonefd;

	*fd = -1;
	if ((status = state_subdir(st, "clones", 1, &dirfd)))
		return status;
	if (mkdirat(dirfd, id, 0700) != 0 && errno != EEXIST)
		status = diag_errno(BRAIN_IO, errno, "cannot create clones/%s", id);
	else if ((clonefd = openat(dirfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		status = diag_errno(BRAIN_IO, errno, "cannot open clones/%s", id);
	else {
		status = file_append_open(clonefd, CLONE_SCORES, fd);
		close(clonefd);
	}
	close(dirfd);
	return status;
}

enum brain_status clone_store_append_score(struct state *st, const char *id,
					   const cJSON *score, const struct audit_event *ev)
{
	struct audit_ack ack;
	enum brain_status status;
	size_t len;
	char *text = json_format_line(score, &len);
	int fd;

	if (!text)
		return BRAIN_IO;
	if (!(status = open_score_log(st, id, &fd))) {
		char path[IDENT_MAX + 32];
		struct change c;

		snprintf(path, sizeof(path), "clones/%s/" CLONE_SCORES, id);
		change_init(&c, st);
		change_append(&c, path, fd, text, len);
		status = change_commit(&c, NULL, ev, 1, &ack);
		close(fd);
	}
	free(text);
	return status;
}

enum brain_status clone_store_save_waivers(struct state *st, const cJSON *all,
					   const struct audit_event *ev)
{
	return change_save_json(st, "gates", CLONE_WAIVERS, all, NULL, ev);
}

static const char *const deployment_states[] = { "canary", "serving", "aborted", "retired" };

static enum brain_status bad_deployment(const char *id, const char *what)
{
	return diag_error(BRAIN_STATE, "clones/%s/" CLONE_DEPLOYMENT ": %s", id, what);
}

/* The steps, step and weight of a deployment file, checked against each
 * other: a canary is at a step before the last with that step's weight, a
 * clone serving has all traffic, an ended one none. */
static enum brain_status deployment_steps(const cJSON *root, struct clone_deployment *d)
{
	const cJSON *steps = cJSON_GetObjectItemCaseSensitive(root, "steps"), *item;
	const cJSON *step = cJSON_GetObjectItemCaseSensitive(root, "step");
	int canary = !strcmp(d->state, "canary");

	if (!cJSON_IsArray(steps) || cJSON_GetArraySize(steps) < 2 ||
	    cJSON_GetArraySize(steps) > ROLLOUT_STEPS_MAX)
		return bad_deployment(d->clone, "field 'steps' must be 2 to 32 percentages");
	cJSON_ArrayForEach(item, steps) {
		if (!cJSON_IsNumber(item) || !(item->valuedouble > 0 && item->valuedouble <= 100) ||
		    (d->nsteps && !(item->valuedouble > d->steps[d->nsteps - 1])))
			return bad_deployment(d->clone, "field 'steps' must increase within (0, 100]");
		d->steps[d->nsteps++] = item->valuedouble;
	}
	if (d->steps[d->nsteps - 1] != 100)
		return bad_deployment(d->clone, "field 'steps' must end in 100");
	if (!cJSON_IsNumber(step) || step->valuedouble != floor(step->valuedouble) ||
	    step->valuedouble < 1 || step->valuedouble > (double)(d->nsteps - canary))
		return bad_deployment(d->clone, "field 'step' is not one of the steps");
	d->step = (size_t)step->valuedouble - 1;
	if (d->weight != (canary ? d->steps[d->step] / 100 : !strcmp(d->state, "serving")))
		return bad_deployment(d->clone, "field 'weight' is not the step's");
	return BRAIN_OK;
}

/* A time field of a deployment file into out. */
static enum brain_status deployment_time(const cJSON *root, const char *id, const char *name,
					 char out[TIME_TEXT_SIZE])
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, name);
	char what[96];
	time_t t;

	if (!cJSON_IsString(f) || time_text_parse(f->valuestring, &t)) {
		snprintf(what, sizeof(what), "field '%s' must be an RFC 3339 time", name);
		return bad_deployment(id, what);
	}
	time_text_format(t, out);
	return BRAIN_OK;
}

/* The fields of a deployment file's object root into d. */
static enum brain_status deployment_parse(const cJSON *root, struct clone_deployment *d)
{
	const cJSON *baseline = cJSON_GetObjectItemCaseSensitive(root, "baseline");
	const cJSON *state = cJSON_GetObjectItemCaseSensitive(root, "state");
	const cJSON *weight = cJSON_GetObjectItemCaseSensitive(root, "weight");
	const cJSON *failures = cJSON_GetObjectItemCaseSensitive(root, "failures");
	enum brain_status status;
	size_t i;

	if (!cJSON_IsObject(root) || strcmp(json_string_or_empty(root, "clone"), d->clone))
		return bad_deployment(d->clone, "not the deployment of this clone");
	if (!cJSON_IsString(baseline) || !*baseline->valuestring ||
	    strlen(baseline->valuestring) >= sizeof(d->baseline))
		return bad_deployment(d->clone, "field 'baseline' must be a clone or version id");
	snprintf(d->baseline, sizeof(d->baseline), "%s", baseline->valuestring);
	for (i = 0; i < 4 && !(cJSON_IsString(state) &&
			       !strcmp(state->valuestring, deployment_states[i])); i++)
		;
	if (i == 4)
		return bad_deployment(d->clone, "field 'state' must be canary, serving, aborted "
				      "or retired");
	snprintf(d->state, sizeof(d->state), "%s", deployment_states[i]);
	if (!cJSON_IsNumber(weight) || !cJSON_IsNumber(failures) || failures->valuedouble < 0 ||
	    failures->valuedouble != floor(failures->valuedouble) ||
	    failures->valuedouble > ROLLOUT_FAILURE_LIMIT_MAX)
		return bad_deployment(d->clone, "fields 'weight' and 'failures' must be numbers");
	d->weight = weight->valuedouble;
	d->failures = (size_t)failures->valuedouble;
	if ((status = deployment_steps(root, d)) ||
	    (status = deployment_time(root, d->clone, "started_at", d->started_at)))
		return status;
	return deployment_time(root, d->clone, "step_started_at", d->step_started_at);
}

enum brain_status clone_store_load_deployment(int dirfd, const char *id,
					      struct clone_deployment *d)
{
	enum brain_status status;
	char path[IDENT_MAX + 32], *text;
	size_t len;
	cJSON *root;

	memset(d, 0, sizeof(*d));
	snprintf(d->clone, sizeof(d->clone), "%s", id);
	snprintf(path, sizeof(path), "clones/%s/" CLONE_DEPLOYMENT, id);
	if ((status = file_read_all(dirfd, path, (size_t)1 << 20, &text, &len)))
		return status;
	root = cJSON_ParseWithLength(text, len);
	free(text);
	status = deployment_parse(root, d);
	cJSON_Delete(root);
	return status;
}

enum brain_status clone_store_deployments(struct state *st, struct clone_deployment **d,
					  size_t *n)
{
	enum brain_status status;
	char **ids;
	size_t nids;

	*d = NULL;
	*n = 0;
	if ((status = clone_store_list(st, &ids, &nids)))
		return status;
	*d = xcalloc(nids ? nids : 1, sizeof(**d));
	for (size_t i = 0; i < nids; i++) {
		status = clone_store_load_deployment(st->dirfd, ids[i], &(*d)[*n]);
		if (status == BRAIN_NO)
			status = BRAIN_OK;
		else if (!status)
			(*n)++;
		else
			break;
	}
	state_names_free(ids, nids);
	return status;
}

cJSON *clone_store_deployment_json(const struct clone_deployment *d)
{
	cJSON *o = cJSON_CreateObject(), *steps;

	cJSON_AddStringToObject(o, "clone", d->clone);
	cJSON_AddStringToObject(o, "baseline", d->baseline);
	steps = cJSON_AddArrayToObject(o, "steps");
	for (size_t i = 0; i < d->nsteps; i++)
		cJSON_AddItemToArray(steps, cJSON_CreateNumber(d->steps[i]));
	cJSON_AddNumberToObject(o, "step", (double)(d->step + 1));
	cJSON_AddNumberToObject(o, "weight", d->weight);
	cJSON_AddNumberToObject(o, "failures", (double)d->failures);
	cJSON_AddStringToObject(o, "state", d->state);
	cJSON_AddStringToObject(o, "started_at", d->started_at);
	cJSON_AddStringToObject(o, "step_started_at", d->step_started_at);
	return o;
}

enum brain_status clone_store_save_deployments(struct state *st,
					       const struct clone_deployment *d, size_t n,
					       const struct audit_event *evs)
{
	struct change_json *files = xcalloc(n ? n : 1, sizeof(*files));
	char (*dirs)[IDENT_MAX + 16] = xcalloc(n ? n : 1, sizeof(*dirs));
	enum brain_status status;

	for (size_t i = 0; i < n; i++) {
		snprintf(dirs[i], sizeof(dirs[i]), "clones/%s", d[i].clone);
		files[i].dir = dirs[i];
		files[i].name = CLONE_DEPLOYMENT;
		files[i].doc = clone_store_deployment_json(&d[i]);
	}
	status = change_save_jsons(st, files, n, NULL, evs);
	for (size_t i = 0; i < n; i++)
		cJSON_Delete((cJSON *)files[i].doc);
	free(dirs);
	free(files);
	return status;
}
