/* ab_state.c - folding events into tallies, and their files; see ab_state.h. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "core/ab_store.h"
#include "diag.h"
#include "banned.h"

#define EXPERIMENT_FILE "experiment.json"
#define MULTI_FLAG 0x80000000u
#define MAX_COUNT 9007199254740992.0 /* counts stay exact in a double */

void ab_set_init(struct ab_set *s, const char *experiment)
{
	memset(s, 0, sizeof(*s));
	s->experiment = xstrdup(experiment);
	if (ident_slug(experiment, s->experiment_id))
		s->experiment_id[0] = '\0';
	keyset_init(&s->ids);
	keyset_init(&s->units);
}

void ab_set_free(struct ab_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].kind);
	}
	for (size_t i = 0; i < s->nbatches; i++)
		free(s->batches[i]);
	free(s->batches);
	free(s->v);
	free(s->experiment);
	keyset_free(&s->ids);
	keyset_free(&s->units);
	memset(s, 0, sizeof(*s));
}

int ab_set_find(const struct ab_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return (int)i;
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].id, name))
			return (int)i;
	return -1;
}

size_t ab_set_add(struct ab_set *s, const char *name, const char *kind, double weight,
		  const char *created)
{
	struct ab_variant *v;
	int first = 1;

	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].kind, kind))
			first = 0;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	v = &s->v[s->n];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(name);
	if (ident_slug(name, v->id))
		v->id[0] = '\0';
	v->kind = xstrdup(kind);
	snprintf(v->created, sizeof(v->created), "%s", created ? created : "");
	v->weight = weight > 0 ? weight : 1;
	v->control = first;
	return s->n++;
}

/* The members of an event record that brain-ab reads. */
struct event_fields {
	const cJSON *variant, *kind, *converted, *trials, *conversions, *value, *value_sumsq,
		*id, *unit;
};

/* One pass over the members: records are read by the million, and a
 * lookup per field would scan the member list again each time. */
static void scan_fields(const cJSON *rec, struct event_fields *f)
{
	memset(f, 0, sizeof(*f));
	for (const cJSON *m = rec->child; m; m = m->next) {
		const char *k = m->string;

		switch (k[0]) {
		case 'v':
			if (!strcmp(k, "variant"))
				f->variant = m;
			else if (!strcmp(k, "value"))
				f->value = m;
			else if (!strcmp(k, "value_sumsq"))
				f->value_sumsq = m;
			break;
		case 'c':
			if (!strcmp(k, "converted"))
				f->converted = m;
			else if (!strcmp(k, "conversions"))
				f->conversions = m;
			break;
		case 'k':
			if (!strcmp(k, "kind"))
				f->kind = m;
			break;
		case 't':
			if (!strcmp(k, "trials"))
				f->trials = m;
			break;
		case 'i':
			if (!strcmp(k, "id"))
				f->id = m;
			break;
		case 'u':
			if (!strcmp(k, "unit"))
				f->unit = m;
			break;
		default:
			break;
		}
	}
}

/* The variant a record names, created when allowed. */
static enum brain_status variant_of(struct ab_set *s, const struct event_fields *f,
				    const struct json_loc *loc,
				    const struct ab_fold_options *o, int *index)
{
	const char *name = NULL, *kind = NULL;
	enum brain_status status;

	if (!f->variant)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line, "missing field 'variant'");
	if ((status = json_item_string(f->variant, loc, &name)) ||
	    (f->kind && (status = json_item_string(f->kind, loc, &kind))))
		return status;
	*index = ab_set_find(s, name);
	if (*index >= 0) {
		if (kind && strcmp(kind, s->v[*index].kind))
			return diag_error_at(BRAIN_DATA, loc->file, loc->line,
					     "variant '%s' is of kind '%s', not '%s'", name,
					     s->v[*index].kind, kind);
		return BRAIN_OK;
	}
	if (!o->create)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "unknown variant '%s' (register it first, or use "
				     "--register --kind=KIND)", name);
	if (!kind)
		kind = o->kind;
	if (!kind)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "variant '%s' has no kind: give it in the record or with "
				     "--kind", name);
	char id[IDENT_MAX + 1];

	if ((status = ident_check_name(name, "variant name")) ||
	    (status = ident_slug(name, id)) || (status = ident_check(kind, "kind")))
		return diag_error_at(status, loc->file, loc->line, "%s", diag_last());
	*index = (int)ab_set_add(s, name, kind, 1, o->now);
	return BRAIN_OK;
}

enum brain_status ab_fold(struct ab_set *s, const cJSON *rec, const struct json_loc *loc,
			  const struct ab_fold_options *o, struct ab_fold_stats *st)
{
	enum brain_status status = BRAIN_OK;
	struct event_fields f;
	const char *id = NULL, *unit = NULL;
	int64_t trials = -1, conversions = 0;
	int converted = -1, index = -1;
	double value = 0, value_sumsq = -1;
	struct ab_variant *v;

	scan_fields(rec, &f);
	if ((f.converted && (status = json_item_bool(f.converted, loc, &converted))) ||
	    (f.trials && (status = json_item_int(f.trials, loc, 0, INT64_MAX, &trials))) ||
	    (f.conversions &&
	     (status = json_item_int(f.conversions, loc, 0, INT64_MAX, &conversions))) ||
	    (f.value && (status = json_item_number(f.value, loc, -INFINITY, INFINITY, &value))) ||
	    (f.value_sumsq &&
	     (status = json_item_number(f.value_sumsq, loc, 0, INFINITY, &value_sumsq))) ||
	    (f.id && (status = json_item_string(f.id, loc, &id))) ||
	    (f.unit && (status = json_item_string(f.unit, loc, &unit))))
		return status;
	if (converted >= 0 && trials >= 0)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "record has both 'converted' and 'trials'");
	if (converted < 0 && trials < 0)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "record needs 'converted' (one outcome) or 'trials' "
				     "(an aggregate)");
	if (trials >= 0 && conversions > trials)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'conversions' (%lld) must not exceed 'trials' (%lld)",
				     (long long)conversions, (long long)trials);
	if (converted >= 0 && f.conversions)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'conversions' needs 'trials'");
	if ((status = variant_of(s, &f, loc, o, &index)))
		return status;
	v = &s->v[index];
	if (v->trials + (trials >= 0 ? (double)trials : 1) > MAX_COUNT)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "variant '%s' would have more than 2^53 trials", v->name);
	st->records++;
	if (id) {
		unsigned char key[KEYSET_KEY];

		keyset_key("id", id, NULL, key);
		if (keyset_find(&s->ids, key)) {
			v->duplicates++;
			st->duplicates++;
			return BRAIN_OK;
		}
		keyset_put(&s->ids, key, 0);
	}
	if (unit) {
		unsigned char key[KEYSET_KEY];
		uint32_t *first;

		keyset_key("unit", v->kind, unit, key);
		first = keyset_find(&s->units, key);
		if (!first) {
			keyset_put(&s->units, key, (uint32_t)index);
		} else if ((*first & ~MULTI_FLAG) != (uint32_t)index && !(*first & MULTI_FLAG)) {
			*first |= MULTI_FLAG;
			v->multi_exposed++;
			st->multi_exposed++;
		}
		if (first && (*first & MULTI_FLAG) && o->exclude_multi) {
			v->excluded++;
			st->excluded++;
			return BRAIN_OK;
		}
	}
	if (converted >= 0) {
		v->trials += 1;
		v->conversions += converted;
		v->value_sum += value;
		v->value_sumsq += value * value;
	} else {
		v->trials += (double)trials;
		v->conversions += (double)conversions;
		v->value_sum += value;
		if (value_sumsq >= 0)
			v->value_sumsq += value_sumsq;
		else if (value != 0)
			v->value_partial = 1;
	}
	st->applied++;
	return BRAIN_OK;
}

static int cmp_arm(const void *a, const void *b)
{
	return strcmp(((const struct ab_arm *)a)->name, ((const struct ab_arm *)b)->name);
}

struct ab_arm *ab_set_arms(const struct ab_set *s, const char *kind, size_t *count)
{
	struct ab_arm *arms = xcalloc(s->n ? s->n : 1, sizeof(*arms));
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++) {
		const struct ab_variant *v = &s->v[i];

		if (strcmp(v->kind, kind))
			continue;
		arms[k].name = v->name;
		arms[k].kind = v->kind;
		arms[k].trials = v->trials;
		arms[k].conversions = v->conversions;
		arms[k].value_sum = v->value_sum;
		/* An unknown sum of squares gives no sd rather than a wrong one. */
		arms[k].value_sumsq = v->value_partial ? NAN : v->value_sumsq;
		arms[k].weight = v->weight;
		arms[k].control = v->control;
		k++;
	}
	qsort(arms, k, sizeof(*arms), cmp_arm);
	*count = k;
	return arms;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **ab_set_kinds(const struct ab_set *s, size_t *count)
{
	const char **kinds = xcalloc(s->n ? s->n : 1, sizeof(*kinds));
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++) {
		size_t j;

		for (j = 0; j < k && strcmp(kinds[j], s->v[i].kind); j++)
			;
		if (j == k)
			kinds[k++] = s->v[i].kind;
	}
	qsort(kinds, k, sizeof(*kinds), cmp_str);
	*count = k;
	return kinds;
}

/* --- files --- */

static enum brain_status corrupt(const char *exp, const char *what)
{
	return diag_error(BRAIN_STATE, "ab/%s/" EXPERIMENT_FILE ": %s", exp, what);
}

static enum brain_status parse_variant(struct ab_set *s, const cJSON *o)
{
	const char *names[] = { "variant_name", "kind", "created" };
	const char *nums[] = { "weight", "trials", "conversions", "value_sum", "value_sumsq",
			       "duplicates", "multi_exposed", "excluded" };
	const cJSON *f[3], *n[8], *control, *partial;
	struct ab_variant *v;

	for (int i = 0; i < 3; i++) {
		f[i] = cJSON_GetObjectItemCaseSensitive(o, names[i]);
		if (!cJSON_IsString(f[i]))
			return corrupt(s->experiment_id, "a variant lacks a string field");
	}
	for (int i = 0; i < 8; i++) {
		n[i] = cJSON_GetObjectItemCaseSensitive(o, nums[i]);
		if (!cJSON_IsNumber(n[i]) || !(n[i]->valuedouble >= 0))
			return corrupt(s->experiment_id, "a variant lacks a count");
	}
	control = cJSON_GetObjectItemCaseSensitive(o, "control");
	partial = cJSON_GetObjectItemCaseSensitive(o, "value_partial");
	if (!cJSON_IsBool(control) || !cJSON_IsBool(partial))
		return corrupt(s->experiment_id, "a variant lacks 'control' or 'value_partial'");
	/* ab_set_add may move s->v: index it only afterwards. */
	size_t at = ab_set_add(s, f[0]->valuestring, f[1]->valuestring, n[0]->valuedouble,
			       f[2]->valuestring);

	v = &s->v[at];
	v->control = cJSON_IsTrue(control);
	v->trials = n[1]->valuedouble;
	v->conversions = n[2]->valuedouble;
	v->value_sum = n[3]->valuedouble;
	v->value_sumsq = n[4]->valuedouble;
	v->duplicates = n[5]->valuedouble;
	v->multi_exposed = n[6]->valuedouble;
	v->excluded = n[7]->valuedouble;
	v->value_partial = cJSON_IsTrue(partial);
	if (v->conversions > v->trials)
		return corrupt(s->experiment_id, "conversions exceed trials");
	return BRAIN_OK;
}

static enum brain_status parse_experiment(struct ab_set *s, const char *text, size_t len)
{
	cJSON *root = cJSON_ParseWithLength(text, len);
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "experiment");
	const cJSON *created = cJSON_GetObjectItemCaseSensitive(root, "created");
	const cJSON *events = cJSON_GetObjectItemCaseSensitive(root, "events");
	const cJSON *variants = cJSON_GetObjectItemCaseSensitive(root, "variants");
	const cJSON *batches = cJSON_GetObjectItemCaseSensitive(root, "batches");
	const cJSON *gen = cJSON_GetObjectItemCaseSensitive(root, "generation");
	const cJSON *has_ids = cJSON_GetObjectItemCaseSensitive(root, "ids");
	const cJSON *has_units = cJSON_GetObjectItemCaseSensitive(root, "units");
	const cJSON *item;
	enum brain_status status = BRAIN_OK;

	if (!cJSON_IsObject(root) || !cJSON_IsString(name) || !cJSON_IsString(created) ||
	    !cJSON_IsNumber(events) || !cJSON_IsArray(variants) || !cJSON_IsArray(batches) ||
	    !cJSON_IsNumber(gen) || gen->valuedouble < 0 || !cJSON_IsBool(has_ids) ||
	    !cJSON_IsBool(has_units)) {
		cJSON_Delete(root);
		return corrupt(s->experiment_id, "not an experiment file");
	}
	free(s->experiment);
	s->experiment = xstrdup(name->valuestring);
	snprintf(s->created, sizeof(s->created), "%s", created->valuestring);
	s->events = events->valuedouble;
	s->generation = (unsigned long)gen->valuedouble;
	s->has_ids = cJSON_IsTrue(has_ids);
	s->has_units = cJSON_IsTrue(has_units);
	cJSON_ArrayForEach(item, variants) {
		if ((status = parse_variant(s, item)))
			break;
	}
	cJSON_ArrayForEach(item, batches) {
		if (status)
			break;
		if (!cJSON_IsString(item) || strlen(item->valuestring) != 64) {
			status = corrupt(s->experiment_id, "bad batch hash");
			break;
		}
		s->batches = xrealloc(s->batches, (s->nbatches + 1) * sizeof(*s->batches));
		s->batches[s->nbatches++] = xstrdup(item->valuestring);
	}
	cJSON_Delete(root);
	return status;
}

static enum brain_status experiment_dir(struct state *st, const char *id, int create, int *fd)
{
	enum brain_status status;
	int abfd, rc;

	*fd = -1;
	status = state_subdir(st, "ab", create, &abfd);
	if (status)
		return status;
	if (create && mkdirat(abfd, id, 0700) != 0 && errno != EEXIST) {
		status = diag_errno(BRAIN_IO, errno, "cannot create ab/%s", id);
		close(abfd);
		return status;
	}
	rc = openat(abfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	close(abfd);
	if (rc < 0)
		return errno == ENOENT ? BRAIN_NO
				       : diag_errno(BRAIN_STATE, errno, "cannot open ab/%s", id);
	*fd = rc;
	return BRAIN_OK;
}

/* A keyset file named in experiment.json must be there. */
static enum brain_status load_keys(int fd, const char *base, unsigned long gen,
				   struct keyset *ks)
{
	char name[32];

	snprintf(name, sizeof(name), "%s.%lu", base, gen);
	if (faccessat(fd, name, F_OK, 0) != 0)
		return diag_error(BRAIN_STATE, "ab: %s is missing", name);
	return keyset_load(ks, fd, name);
}

enum brain_status ab_load(struct state *st, const char *experiment, struct ab_set *s,
			  int *exists)
{
	enum brain_status status;
	char *text;
	size_t len;
	int fd;

	*exists = 0;
	ab_set_init(s, experiment);
	if ((status = ident_check_name(experiment, "experiment name")))
		return status;
	if (!s->experiment_id[0])
		return ident_slug(experiment, s->experiment_id);
	status = experiment_dir(st, s->experiment_id, 0, &fd);
	if (status == BRAIN_NO)
		return BRAIN_OK;
	if (status)
		return status;
	status = file_read_all(fd, EXPERIMENT_FILE, (size_t)1 << 26, &text, &len);
	if (status == BRAIN_NO) {
		close(fd);
		return BRAIN_OK;
	}
	if (!status) {
		status = parse_experiment(s, text, len);
		free(text);
	}
	if (!status && s->has_ids)
		status = load_keys(fd, "ids", s->generation, &s->ids);
	if (!status && s->has_units)
		status = load_keys(fd, "units", s->generation, &s->units);
	close(fd);
	*exists = status == BRAIN_OK;
	return status;
}

static cJSON *experiment_json(const struct ab_set *s)
{
	cJSON *root = cJSON_CreateObject(), *variants = cJSON_CreateArray();
	cJSON *batches = cJSON_CreateArray();

	cJSON_AddStringToObject(root, "experiment", s->experiment);
	cJSON_AddStringToObject(root, "created", s->created);
	cJSON_AddNumberToObject(root, "events", s->events);
	cJSON_AddNumberToObject(root, "generation", (double)s->generation);
	cJSON_AddBoolToObject(root, "ids", s->has_ids);
	cJSON_AddBoolToObject(root, "units", s->has_units);
	for (size_t i = 0; i < s->n; i++) {
		const struct ab_variant *v = &s->v[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "variant_id", v->id);
		cJSON_AddStringToObject(o, "variant_name", v->name);
		cJSON_AddStringToObject(o, "kind", v->kind);
		cJSON_AddStringToObject(o, "created", v->created);
		cJSON_AddNumberToObject(o, "weight", v->weight);
		cJSON_AddBoolToObject(o, "control", v->control);
		cJSON_AddNumberToObject(o, "trials", v->trials);
		cJSON_AddNumberToObject(o, "conversions", v->conversions);
		cJSON_AddNumberToObject(o, "value_sum", v->value_sum);
		cJSON_AddNumberToObject(o, "value_sumsq", v->value_sumsq);
		cJSON_AddBoolToObject(o, "value_partial", v->value_partial);
		cJSON_AddNumberToObject(o, "duplicates", v->duplicates);
		cJSON_AddNumberToObject(o, "multi_exposed", v->multi_exposed);
		cJSON_AddNumberToObject(o, "excluded", v->excluded);
		cJSON_AddItemToArray(variants, o);
	}
	cJSON_AddItemToObject(root, "variants", variants);
	for (size_t i = 0; i < s->nbatches; i++)
		cJSON_AddItemToArray(batches, cJSON_CreateString(s->batches[i]));
	cJSON_AddItemToObject(root, "batches", batches);
	return root;
}

static enum brain_status write_keys(int fd, const char *name, struct keyset *ks)
{
	struct file_replace fr;
	enum brain_status status = file_replace_begin(&fr, fd, name);

	if (status)
		return status;
	if (keyset_write(ks, fr.fp)) {
		file_replace_abort(&fr);
		return diag_error(BRAIN_IO, "cannot write ab/%s", name);
	}
	return file_replace_commit(&fr);
}

enum brain_status ab_prepare(struct state *st, struct ab_set *s, struct ab_pending *p)
{
	enum brain_status status;
	unsigned long old = s->generation;
	int old_ids = s->has_ids, old_units = s->has_units;
	char name[32];
	cJSON *root;
	char *text;

	memset(p, 0, sizeof(*p));
	p->dirfd = -1;
	if ((status = experiment_dir(st, s->experiment_id, 1, &p->dirfd)))
		return status;
	if (s->ids.dirty || s->units.dirty) {
		/* New files under a new generation: nothing refers to them
		 * until experiment.json does. */
		s->generation++;
		s->has_ids = keyset_size(&s->ids) > 0;
		s->has_units = keyset_size(&s->units) > 0;
		snprintf(name, sizeof(name), "ids.%lu", s->generation);
		if (s->has_ids && (status = write_keys(p->dirfd, name, &s->ids)))
			goto fail;
		snprintf(name, sizeof(name), "units.%lu", s->generation);
		if (s->has_units && (status = write_keys(p->dirfd, name, &s->units)))
			goto fail;
		if (old_ids)
			snprintf(p->old_ids, sizeof(p->old_ids), "ids.%lu", old);
		if (old_units)
			snprintf(p->old_units, sizeof(p->old_units), "units.%lu", old);
	}
	root = experiment_json(s);
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		diag_oom();
	status = file_replace_begin(&p->fr, p->dirfd, EXPERIMENT_FILE);
	if (!status) {
		fputs(text, p->fr.fp);
		fputc('\n', p->fr.fp);
		status = file_replace_prepare(&p->fr);
	}
	free(text);
	if (!status)
		return BRAIN_OK;
fail:
	close(p->dirfd);
	p->dirfd = -1;
	return status;
}

enum brain_status ab_finish(struct ab_pending *p, enum brain_status status)
{
	/* The old generation is garbage once experiment.json is replaced;
	 * brain-verify reports any left behind by a crash. */
	if (!status && p->old_ids[0])
		unlinkat(p->dirfd, p->old_ids, 0);
	if (!status && p->old_units[0])
		unlinkat(p->dirfd, p->old_units, 0);
	close(p->dirfd);
	p->dirfd = -1;
	return status;
}

