/* ab_store.c - brain-ab's experiments in the state directory; see
 * ab_store.h. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "core/ab_store.h"
#include "core/keyset_file.h"
#include "pure/json.h"
#include "diag.h"
#include "banned.h"

#define EXPERIMENT_FILE "experiment.json"

void ab_config_apply(const struct config *cfg, struct ab_options *o)
{
	ab_options_default(o);
	o->alpha = config_number(cfg, "ab.alpha");
	o->tuning = config_number(cfg, "ab.tuning");
	o->min_trials = (double)config_int(cfg, "ab.min_trials");
	o->min_conversions = (double)config_int(cfg, "ab.min_conversions");
	o->max_loss = config_number(cfg, "ab.max_loss");
	o->srm_p = config_number(cfg, "ab.srm_p");
	o->horizon = (double)config_int(cfg, "ab.horizon");
}

enum brain_status ab_config_rule(const struct config *cfg, struct ab_set *s, const char *kind,
				 struct ab_options *o)
{
	const char *text = config_string(cfg, "ab.guardrails");
	struct ab_guard_spec g[AB_GUARD_MAX];
	size_t ng = 0;

	ab_config_apply(cfg, o);
	if (ab_guard_parse(text, g, AB_GUARD_MAX, &ng))
		return diag_error(BRAIN_STATE, "config.json: bad ab.guardrails '%s'", text);
	for (size_t i = 0; i < ng; i++) {
		int at = ab_set_guard_index(s, g[i].name);

		if (at < 0 && (at = ab_set_guardrail(s, g[i].name)) < 0)
			return BRAIN_STATE;
		o->guards[o->nguards++] = (struct ab_guardrail){ s->guards[at], at, g[i].margin };
	}
	ab_decided_options(ab_set_decided(s, kind), o, 0, 0);
	return BRAIN_OK;
}

enum brain_status ab_config_options(int dirfd, struct ab_options *o)
{
	struct config *cfg;
	enum brain_status status = config_load(dirfd, &cfg);

	ab_options_default(o);
	if (status)
		return status;
	ab_config_apply(cfg, o);
	config_free(cfg);
	return BRAIN_OK;
}

static enum brain_status corrupt(const char *exp, const char *what)
{
	return diag_error(BRAIN_STATE, "ab/%s/" EXPERIMENT_FILE ": %s", exp, what);
}

/* The exact sums of a variant; a file written before they were kept has
 * only the doubles, taken as they are from then on. */
static enum brain_status parse_sums(const char *exp, const cJSON *o, struct ab_variant *v,
				    double sum, double sumsq)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "value_sum_exact");
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(o, "value_sumsq_exact");
	fixed_t u, uq;

	if (!e && !q) {
		if (fixed_from_double(sum, FIXED_VALUE, &u) ||
		    fixed_from_double(sumsq, FIXED_SQUARE, &uq))
			return corrupt(exp, "a variant's sums are beyond what is kept exactly");
	} else if (!cJSON_IsString(e) || !cJSON_IsString(q) ||
		   fixed_parse(e->valuestring, FIXED_VALUE, &u) ||
		   fixed_parse(q->valuestring, FIXED_SQUARE, &uq)) {
		return corrupt(exp, "bad 'value_sum_exact' or 'value_sumsq_exact'");
	}
	ab_variant_set_sums(v, u, uq);
	return BRAIN_OK;
}

/* "guard" of a variant or cell: counts of the set's guardrails. */
static enum brain_status parse_guard(const struct ab_set *s, const cJSON *o, double trials,
				     double out[AB_GUARD_MAX])
{
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(o, "guard"), *m;

	if (!g)
		return BRAIN_OK;
	if (!cJSON_IsObject(g))
		return corrupt(s->experiment_id, "bad 'guard'");
	cJSON_ArrayForEach(m, g) {
		int at = ab_set_guard_index(s, m->string);

		if (at < 0 || !cJSON_IsNumber(m) || !(m->valuedouble >= 0) ||
		    m->valuedouble > trials || m->valuedouble != floor(m->valuedouble))
			return corrupt(s->experiment_id, "bad guardrail count");
		out[at] = m->valuedouble;
	}
	return BRAIN_OK;
}

static enum brain_status parse_cell(const struct ab_set *s, const cJSON *o,
				    struct ab_variant *v)
{
	const cJSON *day = cJSON_GetObjectItemCaseSensitive(o, "day");
	const cJSON *dim = cJSON_GetObjectItemCaseSensitive(o, "dim");
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(o, "value");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "trials");
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, "conversions");
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "value_sum_exact");
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(o, "value_sumsq_exact");
	const cJSON *partial = cJSON_GetObjectItemCaseSensitive(o, "value_partial");
	struct ab_tally t;
	time_t when;
	size_t before = v->ncells;

	memset(&t, 0, sizeof(t));
	if (!cJSON_IsString(day) || strlen(day->valuestring) != AB_DAY_SIZE - 1 ||
	    time_text_parse(day->valuestring, &when) || (!dim != !value) ||
	    (dim && (!cJSON_IsString(dim) || !cJSON_IsString(value))) ||
	    !cJSON_IsNumber(n) || !cJSON_IsNumber(x) || !(x->valuedouble >= 0) ||
	    !(n->valuedouble >= x->valuedouble) || (!e != !q) ||
	    (e && (!cJSON_IsString(e) || !cJSON_IsString(q) ||
		   fixed_parse(e->valuestring, FIXED_VALUE, &t.value_u) ||
		   fixed_parse(q->valuestring, FIXED_SQUARE, &t.sumsq_u))) ||
	    (partial && !cJSON_IsBool(partial)))
		return corrupt(s->experiment_id, "bad cell");
	t.trials = n->valuedouble;
	t.conversions = x->valuedouble;
	t.value_partial = cJSON_IsTrue(partial);
	if (parse_guard(s, o, t.trials, t.guard))
		return BRAIN_STATE;
	ab_variant_add_cell(v, day->valuestring, dim ? dim->valuestring : NULL,
			    value ? value->valuestring : NULL, &t);
	/* In order and without repeats, as written. */
	if (v->ncells != before + 1 || v->last != before)
		return corrupt(s->experiment_id, "cells out of order or repeated");
	return BRAIN_OK;
}

static enum brain_status parse_cells(const struct ab_set *s, const cJSON *o,
				     struct ab_variant *v)
{
	const cJSON *cells = cJSON_GetObjectItemCaseSensitive(o, "cells"), *c;
	enum brain_status status;

	if (cells && !cJSON_IsArray(cells))
		return corrupt(s->experiment_id, "bad 'cells'");
	/* Room for exactly the cells written, where ab_variant_add_cell would
	 * start at sixteen: a large experiment has one or two cells a
	 * variant, and memory first touched costs more than the parse. */
	if (cells && !v->cells && cJSON_GetArraySize(cells) > 0) {
		v->capcells = (size_t)cJSON_GetArraySize(cells);
		v->cells = xcalloc(v->capcells, sizeof(*v->cells));
	}
	cJSON_ArrayForEach(c, cells) {
		if ((status = parse_cell(s, c, v)))
			return status;
	}
	return BRAIN_OK;
}

static enum brain_status parse_variant(struct ab_set *s, const cJSON *o)
{
	const char *names[] = { "variant_name", "kind", "created" };
	const char *nums[] = { "weight", "trials", "conversions", "value_sum", "value_sumsq",
			       "duplicates", "multi_exposed", "excluded" };
	const cJSON *f[3], *n[8], *control, *partial;
	const cJSON *thompson = cJSON_GetObjectItemCaseSensitive(o, "thompson");
	struct ab_variant *v;
	enum brain_status status;

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
	/* Optional: written only for a Thompson-allocated kind, so files
	 * from before it read as hash-allocated. */
	if (thompson && !cJSON_IsBool(thompson))
		return corrupt(s->experiment_id, "'thompson' is not a boolean");
	v->thompson = cJSON_IsTrue(thompson);
	v->trials = n[1]->valuedouble;
	v->conversions = n[2]->valuedouble;
	if ((status = parse_sums(s->experiment_id, o, v, n[3]->valuedouble, n[4]->valuedouble)))
		return status;
	v->duplicates = n[5]->valuedouble;
	v->multi_exposed = n[6]->valuedouble;
	v->excluded = n[7]->valuedouble;
	v->value_partial = cJSON_IsTrue(partial);
	if (v->conversions > v->trials)
		return corrupt(s->experiment_id, "conversions exceed trials");
	if ((status = parse_guard(s, o, v->trials, v->guard)))
		return status;
	return parse_cells(s, o, v);
}

/* One winner on record: {"variant_name","decided_at","concluded_at"?,
 * "by","evidence"}, under its kind. */
static enum brain_status parse_decided(struct ab_set *s, const cJSON *item)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "variant_name");
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(item, "decided_at");
	const cJSON *concluded = cJSON_GetObjectItemCaseSensitive(item, "concluded_at");
	const cJSON *by = cJSON_GetObjectItemCaseSensitive(item, "by");
	const cJSON *evidence = cJSON_GetObjectItemCaseSensitive(item, "evidence");
	struct ab_decided *dd;
	time_t t;

	if (!cJSON_IsObject(item) || !ident_valid(item->string) || !cJSON_IsString(name) ||
	    ab_set_find(s, name->valuestring) < 0 || !cJSON_IsString(at) ||
	    time_text_parse(at->valuestring, &t) ||
	    (concluded && (!cJSON_IsString(concluded) ||
			   time_text_parse(concluded->valuestring, &t))) ||
	    !cJSON_IsString(by) ||
	    (strcmp(by->valuestring, "rule") && strcmp(by->valuestring, "operator")) ||
	    !cJSON_IsObject(evidence) || ab_set_decided(s, item->string))
		return corrupt(s->experiment_id, "bad decision");
	dd = ab_set_decide(s, item->string, name->valuestring, at->valuestring,
			   cJSON_Duplicate(evidence, 1));
	dd->by_operator = !strcmp(by->valuestring, "operator");
	if (concluded)
		snprintf(dd->concluded_at, sizeof(dd->concluded_at), "%s", concluded->valuestring);
	return BRAIN_OK;
}

/* What brain-ab added later: each member may be absent from a file
 * written before it (then: ids as they were, no seeds, no keyed batches,
 * no decisions). */
static enum brain_status parse_later_members(struct ab_set *s, const cJSON *root)
{
	const cJSON *legacy = cJSON_GetObjectItemCaseSensitive(root, "legacy_ids");
	const cJSON *seeds = cJSON_GetObjectItemCaseSensitive(root, "seeds");
	const cJSON *keyed = cJSON_GetObjectItemCaseSensitive(root, "keyed_batches");
	const cJSON *decisions = cJSON_GetObjectItemCaseSensitive(root, "decisions");
	const cJSON *item;
	enum brain_status status;

	/* Without the member the ids file predates kind-scoped ids: whatever
	 * it holds are keys of the id alone. */
	s->legacy_ids = legacy ? cJSON_IsTrue(legacy) : s->has_ids;
	if ((legacy && !cJSON_IsBool(legacy)) || (seeds && !cJSON_IsObject(seeds)) ||
	    (keyed && !cJSON_IsArray(keyed)) || (decisions && !cJSON_IsObject(decisions)))
		return corrupt(s->experiment_id,
			       "bad 'legacy_ids', 'seeds', 'keyed_batches' or 'decisions'");
	cJSON_ArrayForEach(item, seeds) {
		if (!cJSON_IsString(item) || ident_check_name_quiet(item->valuestring) ||
		    !ident_valid(item->string))
			return corrupt(s->experiment_id, "bad seed");
		ab_set_record_seed(s, item->string, item->valuestring);
	}
	cJSON_ArrayForEach(item, keyed) {
		const cJSON *key = cJSON_GetObjectItemCaseSensitive(item, "batch");
		const cJSON *sha = cJSON_GetObjectItemCaseSensitive(item, "sha256");

		if (!cJSON_IsString(key) || !cJSON_IsString(sha) || strlen(sha->valuestring) != 64 ||
		    ab_set_keyed_batch(s, key->valuestring))
			return corrupt(s->experiment_id, "bad keyed batch");
		ab_set_add_batch(s, key->valuestring, sha->valuestring);
	}
	cJSON_ArrayForEach(item, decisions) {
		if ((status = parse_decided(s, item)))
			return status;
	}
	return BRAIN_OK;
}

/* The guardrail names tallied (absent from a file written before). */
static enum brain_status parse_guardrails(struct ab_set *s, const cJSON *root)
{
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(root, "guardrails"), *m;

	if (g && !cJSON_IsArray(g))
		return corrupt(s->experiment_id, "bad 'guardrails'");
	cJSON_ArrayForEach(m, g) {
		if (!cJSON_IsString(m) || ab_set_guard_index(s, m->valuestring) >= 0 ||
		    ab_set_guardrail(s, m->valuestring) < 0)
			return corrupt(s->experiment_id, "bad guardrail name");
	}
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
	if ((status = parse_guardrails(s, root))) {
		cJSON_Delete(root);
		return status;
	}
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
		ab_set_add_batch(s, NULL, item->valuestring);
	}
	if (!status)
		status = parse_later_members(s, root);
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

/* An experiment's directory is named by its id. */
enum brain_status ab_store_list(struct state *st, char ***ids, size_t *n)
{
	return state_list(st, "ab", state_keep_id, NULL, ids, n);
}

/* The members parse_later_members reads. */
static void add_later_members(cJSON *root, const struct ab_set *s)
{
	cJSON *seeds = cJSON_CreateObject(), *keyed = cJSON_CreateArray();

	for (size_t i = 0; i < s->nseeds; i++)
		cJSON_AddStringToObject(seeds, s->seeds[i].kind, s->seeds[i].seed);
	cJSON_AddItemToObject(root, "seeds", seeds);
	for (size_t i = 0; i < s->nkeyed; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "batch", s->keyed[i].key);
		cJSON_AddStringToObject(o, "sha256", s->keyed[i].sha256);
		cJSON_AddItemToArray(keyed, o);
	}
	cJSON_AddItemToObject(root, "keyed_batches", keyed);
	if (s->ndecided) {
		cJSON *decisions = cJSON_AddObjectToObject(root, "decisions");

		for (size_t i = 0; i < s->ndecided; i++) {
			const struct ab_decided *dd = &s->decided[i];
			cJSON *o = cJSON_AddObjectToObject(decisions, dd->kind);

			cJSON_AddStringToObject(o, "variant_name", dd->variant);
			cJSON_AddStringToObject(o, "decided_at", dd->decided_at);
			if (dd->concluded_at[0])
				cJSON_AddStringToObject(o, "concluded_at", dd->concluded_at);
			cJSON_AddStringToObject(o, "by", dd->by_operator ? "operator" : "rule");
			cJSON_AddItemToObject(o, "evidence", dd->evidence
				? cJSON_Duplicate(dd->evidence, 1) : cJSON_CreateObject());
		}
	}
}

/* "guard": the non-zero guardrail counts by name. */
static void add_guard(cJSON *o, const struct ab_set *s, const double *guard)
{
	cJSON *g = NULL;

	for (size_t i = 0; i < s->nguards; i++)
		if (guard[i] > 0) {
			if (!g)
				g = cJSON_AddObjectToObject(o, "guard");
			cJSON_AddNumberToObject(g, s->guards[i], guard[i]);
		}
}

/* A variant's days and slices, in their order. */
static cJSON *cells_json(const struct ab_set *s, const struct ab_variant *v)
{
	cJSON *cells = cJSON_CreateArray();
	char exact[48];

	for (size_t i = 0; i < v->ncells; i++) {
		const struct ab_cell *c = &v->cells[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "day", c->day);
		if (c->dim) {
			cJSON_AddStringToObject(o, "dim", c->dim);
			cJSON_AddStringToObject(o, "value", c->value);
		}
		cJSON_AddNumberToObject(o, "trials", c->t.trials);
		cJSON_AddNumberToObject(o, "conversions", c->t.conversions);
		if (c->t.value_u || c->t.sumsq_u) {
			fixed_format(c->t.value_u, FIXED_VALUE, exact);
			cJSON_AddStringToObject(o, "value_sum_exact", exact);
			fixed_format(c->t.sumsq_u, FIXED_SQUARE, exact);
			cJSON_AddStringToObject(o, "value_sumsq_exact", exact);
		}
		if (c->t.value_partial)
			cJSON_AddBoolToObject(o, "value_partial", 1);
		add_guard(o, s, c->t.guard);
		cJSON_AddItemToArray(cells, o);
	}
	return cells;
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
	cJSON_AddBoolToObject(root, "legacy_ids", s->legacy_ids);
	if (s->nguards) {
		cJSON *g = cJSON_AddArrayToObject(root, "guardrails");

		for (size_t i = 0; i < s->nguards; i++)
			cJSON_AddItemToArray(g, cJSON_CreateString(s->guards[i]));
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct ab_variant *v = &s->v[i];
		cJSON *o = cJSON_CreateObject();
		char exact[48];

		cJSON_AddStringToObject(o, "variant_id", v->id);
		cJSON_AddStringToObject(o, "variant_name", v->name);
		cJSON_AddStringToObject(o, "kind", v->kind);
		cJSON_AddStringToObject(o, "created", v->created);
		cJSON_AddNumberToObject(o, "weight", v->weight);
		cJSON_AddBoolToObject(o, "control", v->control);
		if (v->thompson)
			cJSON_AddBoolToObject(o, "thompson", 1);
		cJSON_AddNumberToObject(o, "trials", v->trials);
		cJSON_AddNumberToObject(o, "conversions", v->conversions);
		cJSON_AddNumberToObject(o, "value_sum", v->value_sum);
		cJSON_AddNumberToObject(o, "value_sumsq", v->value_sumsq);
		fixed_format(v->value_u, FIXED_VALUE, exact);
		cJSON_AddStringToObject(o, "value_sum_exact", exact);
		fixed_format(v->sumsq_u, FIXED_SQUARE, exact);
		cJSON_AddStringToObject(o, "value_sumsq_exact", exact);
		cJSON_AddBoolToObject(o, "value_partial", v->value_partial);
		cJSON_AddNumberToObject(o, "duplicates", v->duplicates);
		cJSON_AddNumberToObject(o, "multi_exposed", v->multi_exposed);
		cJSON_AddNumberToObject(o, "excluded", v->excluded);
		add_guard(o, s, v->guard);
		if (v->ncells)
			cJSON_AddItemToObject(o, "cells", cells_json(s, v));
		cJSON_AddItemToArray(variants, o);
	}
	cJSON_AddItemToObject(root, "variants", variants);
	for (size_t i = 0; i < s->nbatches; i++)
		cJSON_AddItemToArray(batches, cJSON_CreateString(s->batches[i]));
	cJSON_AddItemToObject(root, "batches", batches);
	add_later_members(root, s);
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
	/* A number that has no JSON never reaches the file. */
	const char *where = "";

	if (json_find_nonfinite(root, &where)) {
		cJSON_Delete(root);
		status = diag_error(BRAIN_IO, "internal error: non-finite number in field '%s'",
				    where);
		goto fail;
	}
	text = json_print_indented(root);
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

