/* ab_cmd.c - the brain-ab commands; see ab_cmd.h. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include <dirent.h>


#include "cmd/ab_cmd.h"
#include "pure/ab_assign.h"
#include "pure/hash.h"
#include "core/ab_store.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/change.h"
#include "cmd/command.h"
#include "cmd/render.h"
#include "diag.h"
#include "core/jsonl.h"
#include "core/rejects.h"
#include "pure/stats.h"
#include "cmd/table.h"
#include "banned.h"

/* The guardrails of config.json (text), with --guardrail's over them. */
static enum brain_status merge_guardrails(struct ab_args *a, const char *text)
{
	struct ab_guard_spec all[AB_GUARD_MAX];
	size_t n = 0;

	if (ab_guard_parse(text, all, AB_GUARD_MAX, &n))
		return diag_error(BRAIN_STATE, "config.json: bad ab.guardrails '%s'", text);
	for (size_t i = 0; i < a->nguards; i++) {
		char one[160];

		snprintf(one, sizeof(one), "%s:%.17g", a->guards[i].name, a->guards[i].margin);
		if (ab_guard_parse(one, all, AB_GUARD_MAX, &n))
			return diag_error(BRAIN_USAGE, "more than %d guardrails", AB_GUARD_MAX);
	}
	memcpy(a->guards, all, n * sizeof(*all));
	a->nguards = n;
	return BRAIN_OK;
}

/* --since and --until are days, in order; --metric is rate or value. */
static enum brain_status check_window(struct ab_args *a)
{
	const char *days[2] = { a->since, a->until };
	const char *names[2] = { "--since", "--until" };

	for (int i = 0; i < 2; i++) {
		char back[TIME_TEXT_SIZE];
		time_t t;

		if (!days[i])
			continue;
		if (strlen(days[i]) != AB_DAY_SIZE - 1 || time_text_parse(days[i], &t) ||
		    (time_text_format(t, back), strncmp(back, days[i], AB_DAY_SIZE - 1)))
			return diag_error(BRAIN_USAGE, "%s=%s: want a day, YYYY-MM-DD", names[i],
					  days[i]);
	}
	if (a->since && a->until && strcmp(a->since, a->until) > 0)
		return diag_error(BRAIN_USAGE, "--since=%s is after --until=%s", a->since,
				  a->until);
	if (a->metric && strcmp(a->metric, "rate") && strcmp(a->metric, "value"))
		return diag_error(BRAIN_USAGE, "--metric=%s: want rate or value", a->metric);
	a->stat.metric_value = a->metric && !strcmp(a->metric, "value");
	return BRAIN_OK;
}

enum brain_status ab_cmd_guardrails(struct ab_args *a, struct ab_set *s)
{
	size_t n = 0;

	if (ab_set_guardrail(s, "opt_out") < 0 || ab_set_guardrail(s, "complaint") < 0)
		return BRAIN_STATE;
	for (size_t i = 0; i < a->nguards; i++) {
		int at = ab_set_guard_index(s, a->guards[i].name);

		if (at < 0) {
			if ((at = ab_set_guardrail(s, a->guards[i].name)) < 0)
				return BRAIN_USAGE;
			if (s->events > 0)
				diag_warn("experiment '%s' has not tallied guardrail '%s' so far: "
					  "its events count from now on", s->experiment,
					  a->guards[i].name);
		}
		a->stat.guards[n].name = s->guards[at];
		a->stat.guards[n].index = at;
		a->stat.guards[n++].margin = a->guards[i].margin;
	}
	a->stat.nguards = n;
	return BRAIN_OK;
}

struct ab_window ab_cmd_window(const struct ab_args *a)
{
	struct ab_window w = { a->since, a->until, NULL, NULL };

	return w;
}

/* Thresholds: an option wins over config.json, which wins over the
 * built-in default. */
static enum brain_status resolve_options(struct ab_args *a, int dirfd, size_t *max_line)
{
	struct ab_options from_config;
	struct config *cfg;
	enum brain_status status = config_load(dirfd, &cfg);

	if (status)
		return status;
	ab_config_apply(cfg, &from_config);
	if (!(a->stat_given & AB_GIVEN_ALPHA))
		a->stat.alpha = from_config.alpha;
	if (!(a->stat_given & AB_GIVEN_TUNING))
		a->stat.tuning = from_config.tuning;
	if (!(a->stat_given & AB_GIVEN_MIN_TRIALS))
		a->stat.min_trials = from_config.min_trials;
	if (!(a->stat_given & AB_GIVEN_MIN_CONVERSIONS))
		a->stat.min_conversions = from_config.min_conversions;
	if (!(a->stat_given & AB_GIVEN_MAX_LOSS))
		a->stat.max_loss = from_config.max_loss;
	a->stat.srm_p = from_config.srm_p;
	if (!(a->stat_given & AB_GIVEN_HORIZON))
		a->stat.horizon = (double)config_int(cfg, "ab.horizon");
	status = merge_guardrails(a, config_value(cfg, "ab.guardrails", NULL)->valuestring);
	if (max_line)
		*max_line = (size_t)config_int(cfg, "input.max_line_bytes");
	config_free(cfg);
	return status ? status : check_window(a);
}

static enum brain_status now_text(char out[TIME_TEXT_SIZE])
{
	time_t now;
	enum brain_status status = clock_now(&now);

	if (!status)
		time_text_format(now, out);
	return status;
}

/* Prepare the experiment files, audit the change, publish. */
static enum brain_status save(struct state *st, struct ab_set *s, const char *action,
			      cJSON *details, const char *reason)
{
	struct audit_event ev = { s->experiment_id, action, "SUCCESS", details, reason, NULL };
	struct audit_ack ack;
	struct ab_pending p;
	char dir[IDENT_MAX + 8];
	enum brain_status status = ab_prepare(st, s, &p);

	if (status)
		return status;
	snprintf(dir, sizeof(dir), "ab/%s", s->experiment_id);
	status = change_replace_one(st, dir, &p.fr, NULL, &ev, &ack);
	return ab_finish(&p, status);
}

static cJSON *variant_line(const struct ab_set *s, const struct ab_variant *v)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "experiment", s->experiment);
	cJSON_AddStringToObject(o, "variant_id", v->id);
	cJSON_AddStringToObject(o, "variant_name", v->name);
	cJSON_AddStringToObject(o, "kind", v->kind);
	cJSON_AddStringToObject(o, "created", v->created);
	return o;
}

/* Add the variants names (ids of the new ones into added), or change their
 * weight or control; *changed says whether anything did. */
static enum brain_status register_names(const struct ab_args *a, struct ab_set *s, int argc,
					char **names, const char *now, cJSON *added,
					int *changed)
{
	for (int i = 0; i < argc; i++) {
		int at = ab_set_find(s, names[i]);

		if (at >= 0 && strcmp(s->v[at].kind, a->kind))
			return diag_error(BRAIN_DATA, "variant '%s' is registered as kind '%s', "
					  "not '%s'", names[i], s->v[at].kind, a->kind);
		if (at < 0) {
			at = (int)ab_set_add(s, names[i], a->kind, a->weight, now);
			cJSON_AddItemToArray(added, cJSON_CreateString(s->v[at].id));
			*changed = 1;
		} else if (a->weight > 0 && s->v[at].weight != a->weight) {
			s->v[at].weight = a->weight;
			*changed = 1;
		}
		if (a->control_flag && !s->v[at].control) {
			for (size_t j = 0; j < s->n; j++)
				if (!strcmp(s->v[j].kind, a->kind))
					s->v[j].control = 0;
			s->v[at].control = 1;
			*changed = 1;
		}
	}
	return BRAIN_OK;
}

/* Record --seed for the kind when given; either way refuse a kind whose
 * hash seed is another kind's, which would confound the two. */
static enum brain_status register_seed(const struct ab_args *a, struct ab_set *s,
				       int *changed)
{
	const char *recorded = ab_set_recorded_seed(s, a->kind), *other;
	char *seed;

	if (a->seed && (!recorded || strcmp(recorded, a->seed))) {
		ab_set_record_seed(s, a->kind, a->seed);
		*changed = 1;
	}
	seed = ab_set_hash_seed(s, a->kind);
	other = ab_set_seed_conflict(s, a->kind, seed);
	if (other)
		diag_error(BRAIN_DATA, "seed '%s' of kind '%s' is the hash seed of kind '%s' too: "
			   "every unit would get the same bucket in both", seed, a->kind, other);
	free(seed);
	return other ? BRAIN_DATA : BRAIN_OK;
}

/* The text forms (cmd/text_form.h) of the verbs that print records. */
static const struct text_form register_form = {
	"Experiment {experiment}, kind {kind}:",
	(const struct text_field[]){ { "variant", "variant_name" }, { "id", "variant_id" },
				     { "created", "created" }, { NULL, NULL } },
	1, (const char *const[]){ "experiment", "kind", NULL }
};

enum brain_status ab_cmd_register(const struct cli *cli, struct ab_args *a, int argc,
				  char **names)
{
	struct state st;
	struct ab_set s;
	enum brain_status status;
	char now[TIME_TEXT_SIZE], id[IDENT_MAX + 1];
	cJSON *details, *list;
	int exists, changed = 0;

	if (!a->kind)
		return diag_error(BRAIN_USAGE, "'register' needs --kind=KIND (see 'brain-ab --help')");
	if ((status = ident_check(a->kind, "kind")) ||
	    (a->seed && (status = ident_check_name(a->seed, "seed"))))
		return status;
	for (int i = 0; i < argc; i++)
		if ((status = ident_check_name(names[i], "variant name")) ||
		    (status = ident_slug(names[i], id)))
			return status;
	if ((status = now_text(now)))
		return status;
	render_form(&register_form);
	status = command_open_state(cli, &st);
	if (status == BRAIN_STATE && cli->dry_run) {
		/* A dry run on a state that does not exist yet: as if empty. */
		ab_set_init(&s, a->experiment);
		exists = 0;
		st.dirfd = -1;
		st.path = NULL;
		st.lockfd = -1;
	} else if (status) {
		return status;
	} else if ((status = ab_load(&st, a->experiment, &s, &exists))) {
		goto out;
	}
	if (!exists)
		snprintf(s.created, sizeof(s.created), "%s", now);
	list = cJSON_CreateArray();
	status = register_names(a, &s, argc, names, now, list, &changed);
	if (!status)
		status = register_seed(a, &s, &changed);
	if (!status && changed && !cli->dry_run) {
		details = cJSON_CreateObject();
		cJSON_AddStringToObject(details, "experiment", s.experiment);
		cJSON_AddStringToObject(details, "kind", a->kind);
		if (a->seed)
			cJSON_AddStringToObject(details, "seed", a->seed);
		cJSON_AddItemToObject(details, "added", list);
		list = NULL;
		status = save(&st, &s, "ab.register", details, cli->reason);
		cJSON_Delete(details);
	}
	cJSON_Delete(list);
	for (int i = 0; i < argc && !status; i++)
		status = output_print_free(variant_line(&s, &s.v[ab_set_find(&s, names[i])]));
out:
	ab_set_free(&s);
	if (st.path)
		state_close(&st);
	return status;
}

/* The batch's SHA-256 covers every byte read, line ends included, for
 * the idempotence of a batch. */
static void hash_line(struct hash_stream *h, const char *line, size_t len, int lf)
{
	hash_stream_add(h, line, len);
	if (lf)
		hash_stream_add(h, "\n", 1);
}

/* Fold one input into s: all or nothing unless --skip-invalid (then the
 * bad records go to rejects when rj is given).  *bad is set when any
 * record was refused. */
/* The type of an event column in CSV input (pure/csv.h): the record
 * fields of ab_fold.h; any other column is a guardrail's flag or count. */
static enum csv_type csv_column(const char *column)
{
	static const char *const text[] = { "variant", "kind", "id", "unit", "day", "time",
					    "value_exact", "value_sumsq_exact" };

	if (!strcmp(column, "converted"))
		return CSV_BOOL;
	if (!strcmp(column, "trials") || !strcmp(column, "conversions") ||
	    !strcmp(column, "value") || !strcmp(column, "value_sumsq"))
		return CSV_NUMBER;
	for (size_t i = 0; i < sizeof(text) / sizeof(*text); i++)
		if (!strcmp(column, text[i]))
			return CSV_STRING;
	return strncmp(column, "dims.", 5) ? CSV_BOOL_OR_NUMBER : CSV_STRING;
}

static enum brain_status fold_input(const struct cli *cli, struct ab_set *s, const char *path,
				    const struct ab_fold_options *fo, struct ab_fold_stats *fs,
				    size_t max_line, struct hash_stream *h, struct rejects *rj,
				    double *rejected)
{
	struct jsonl_reader r;
	struct ab_ahead ahead;
	enum brain_status status;
	const char *line;
	size_t len;
	int rc;

	if ((status = jsonl_open(&r, path, max_line)))
		return status;
	jsonl_csv(&r, cli->input, csv_column);
	ab_ahead_init(&ahead);
	while ((rc = jsonl_next_line(&r, &line, &len)) != JSONL_EOF) {
		struct json_loc loc = jsonl_where(&r);
		cJSON *rec = NULL;

		if (rc == BRAIN_IO) {
			status = BRAIN_IO;
			break;
		}
		if (h && rc == BRAIN_OK)
			hash_line(h, line, len, jsonl_is_csv(&r) || r.cur_has_lf);
		if (cli->progress && (r.line & ((1 << 20) - 1)) == 0)
			fprintf(stderr, "\r%s: %ld records read", diag_program(), r.line);
		if (rc == BRAIN_OK) {
			/* CSV holds nothing ahead for it (jsonl_ahead). */
			size_t held;
			const char *region = jsonl_ahead(&r, &held);

			ab_ahead_step(&ahead, s, r.line, len + (size_t)r.cur_has_lf, region, held);
		} else {
			/* A line the reader refused was not stepped over. */
			ab_ahead_init(&ahead);
		}
		if (rc == BRAIN_OK && json_blank(line, len))
			continue;
		if (rc == BRAIN_OK)
			rc = json_parse_line_scratch(line, len, &loc, &rec);
		if (rc == BRAIN_OK)
			rc = ab_fold(s, rec, &loc, fo, fs);
		json_scratch_drop(rec);
		if (rc == BRAIN_OK)
			continue;
		(*rejected)++;
		if (!cli->skip_invalid) {
			status = BRAIN_DATA;
			break;
		}
		if (rj && (status = rejects_add(rj, r.name, r.line, diag_last(), line ? line : "",
						line ? len : 0)))
			break;
	}
	if (cli->progress && r.line >= 1 << 20)
		fprintf(stderr, "\n");
	jsonl_close(&r);
	return status;
}

static cJSON *track_summary(const struct ab_set *s, const struct ab_fold_stats *fs,
			    double rejected, const char *key, const char *batch,
			    const char *status)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "experiment", s->experiment);
	cJSON_AddNumberToObject(o, "records", fs->records + rejected);
	cJSON_AddNumberToObject(o, "applied", fs->applied);
	cJSON_AddNumberToObject(o, "duplicates", fs->duplicates);
	cJSON_AddNumberToObject(o, "multi_exposed", fs->multi_exposed);
	cJSON_AddNumberToObject(o, "excluded", fs->excluded);
	cJSON_AddNumberToObject(o, "rejected", rejected);
	if (key)
		cJSON_AddStringToObject(o, "batch_key", key);
	if (batch)
		cJSON_AddStringToObject(o, "batch", batch);
	cJSON_AddStringToObject(o, "status", status);
	return o;
}

/* Whether bytes of digest hex were folded before, with or without a key:
 * NULL when not, else the key they were folded under ("" for none). */
static const char *batch_known(const struct ab_set *s, const char *hex)
{
	for (size_t i = 0; i < s->nbatches; i++)
		if (!strcmp(s->batches[i], hex))
			return "";
	for (size_t i = 0; i < s->nkeyed; i++)
		if (!strcmp(s->keyed[i].sha256, hex))
			return s->keyed[i].key;
	return NULL;
}

/* Whether the input of digest hex was folded before: under the same
 * --batch key (the same key with other bytes is refused), or, without a
 * key, with the same bytes, under a key or not (a batch a cron job keyed,
 * retried by hand without its key, is still that batch), which cannot tell
 * a retry from another day with the same numbers, and says so. */
static enum brain_status batch_seen(const struct ab_set *s, const char *key, const char *hex,
				    int *seen)
{
	const char *before;

	*seen = 0;
	if (key) {
		before = ab_set_keyed_batch(s, key);
		if (before && strcmp(before, hex))
			return diag_error(BRAIN_DATA, "batch '%s' was applied before with other "
					  "content (sha256 %s): give this input another --batch "
					  "key", key, before);
		*seen = before != NULL;
		return BRAIN_OK;
	}
	before = batch_known(s, hex);
	*seen = before != NULL;
	if (before && *before)
		diag_warn("no --batch key, and the same bytes were applied before as batch "
			  "'%s': counted once; if this is another day's data, give it "
			  "--batch=KEY", before);
	else if (before)
		diag_warn("no --batch key, and the same bytes were applied before: counted "
			  "once; if this is another day's data, give it --batch=KEY");
	else
		diag_warn("no --batch key: the same bytes again will count once, even for "
			  "another day; give --batch=KEY (the date, say)");
	return BRAIN_OK;
}

/* The options of `track` that go together. */
static enum brain_status check_track_args(const struct ab_args *a, const char *variant)
{
	if (a->register_new && !a->kind)
		return diag_error(BRAIN_USAGE, "--register needs --kind=KIND");
	if (variant && (a->trials < 0 || a->conversions < 0))
		return diag_error(BRAIN_USAGE, "'track VARIANT' needs --trials=N and --conversions=K");
	if (variant && a->batch)
		return diag_error(BRAIN_USAGE, "'track VARIANT' takes --id=ID as its key, not "
				  "--batch");
	if (a->batch && ident_check_name(a->batch, "batch key"))
		return BRAIN_USAGE;
	if (variant && a->conversions > a->trials)
		return diag_error(BRAIN_DATA, "--conversions (%lld) must not exceed --trials (%lld)",
				  (long long)a->conversions, (long long)a->trials);
	return BRAIN_OK;
}

/* Fold the command-line aggregate of `track VARIANT --trials=N ...`.
 * Its --id is its key, as --batch is a file's: *seen is 1 when the id was
 * counted before, so that this is the aggregate applied before (a retry,
 * as after a run killed once its change was recorded but before it
 * printed), not a new one. */
static enum brain_status fold_aggregate(const struct ab_args *a, const char *variant,
					struct ab_set *s, const struct ab_fold_options *fo,
					struct ab_fold_stats *fs, int *seen)
{
	cJSON *rec = cJSON_CreateObject();
	struct json_loc loc = { NULL, 0 };
	enum brain_status status;

	cJSON_AddStringToObject(rec, "variant", variant);
	cJSON_AddNumberToObject(rec, "trials", (double)a->trials);
	cJSON_AddNumberToObject(rec, "conversions", (double)a->conversions);
	if (a->has_value)
		cJSON_AddNumberToObject(rec, "value", a->value);
	if (a->id)
		cJSON_AddStringToObject(rec, "id", a->id);
	status = ab_fold(s, rec, &loc, fo, fs);
	cJSON_Delete(rec);
	*seen = !status && a->id && fs->duplicates > 0;
	return status;
}

/* Count an applied batch into s (its digest too, for a file batch) and
 * give the details of its audit record (caller deletes). */
static cJSON *track_details(struct ab_set *s, const struct ab_fold_stats *fs,
			    const char *variant, const char *path, const char *key,
			    const char *batch, double rejected, const struct rejects *rj)
{
	cJSON *details = cJSON_CreateObject();

	s->events += fs->records;
	if (!variant) {
		ab_set_add_batch(s, key, batch);
		if (key)
			cJSON_AddStringToObject(details, "batch_key", key);
		cJSON_AddStringToObject(details, "batch", batch);
		cJSON_AddStringToObject(details, "input", path && strcmp(path, "-") ? path : "stdin");
	} else {
		cJSON_AddStringToObject(details, "variant", variant);
	}
	cJSON_AddNumberToObject(details, "records", fs->records + rejected);
	cJSON_AddNumberToObject(details, "applied", fs->applied);
	cJSON_AddNumberToObject(details, "duplicates", fs->duplicates);
	cJSON_AddNumberToObject(details, "rejected", rejected);
	if (rj->count)
		cJSON_AddStringToObject(details, "rejects", rj->name);
	return details;
}

/* The experiment a track folds into: it must exist unless --register,
 * and it tallies the guardrails configured. */
static enum brain_status load_for_track(struct state *st, struct ab_args *a, struct ab_set *s,
					const char *now)
{
	enum brain_status status;
	int exists;

	if ((status = ab_load(st, a->experiment, s, &exists)))
		return status;
	if (!exists && !a->register_new)
		return diag_error(BRAIN_DATA, "experiment '%s' has no variants: register them "
				  "first, or use --register --kind=KIND", a->experiment);
	if (!exists)
		snprintf(s->created, sizeof(s->created), "%s", now);
	return ab_cmd_guardrails(a, s);
}

static const struct text_form track_form = {
	"Experiment {experiment}: {applied} of {records} events counted ({status})",
	(const struct text_field[]){ { "batch key", "batch_key" },
				     { "duplicates", "duplicates" },
				     { "multi-exposed", "multi_exposed" },
				     { "excluded", "excluded" },
				     { "rejected", "rejected" },
				     { "batch sha256", "batch" }, { NULL, NULL } },
	0, NULL
};

enum brain_status ab_cmd_track(const struct cli *cli, struct ab_args *a, const char *variant,
			       const char *path)
{
	struct ab_fold_options fo = { a->register_new, a->kind, a->exclude_multi, NULL, 1, NULL, NULL };
	struct ab_fold_stats fs = { 0 };
	struct hash_stream h = { NULL };
	struct rejects rj;
	struct state st;
	struct ab_set s;
	enum brain_status status, bad = BRAIN_OK;
	char now[TIME_TEXT_SIZE], batch[65] = "";
	const char *outcome = "applied";
	double rejected = 0;
	size_t max_line = 0;
	int seen = 0;

	if ((status = check_track_args(a, variant)) || (status = now_text(now)))
		return status;
	render_form(&track_form);
	fo.now = now;
	if ((status = command_open_state(cli, &st)))
		return status;
	rejects_init(&rj, &st);
	if ((status = resolve_options(a, st.dirfd, &max_line)))
		goto out_state;
	/* A set that failed to load is freed as a loaded one is. */
	if ((status = load_for_track(&st, a, &s, now)))
		goto out;
	if (variant) {
		status = fold_aggregate(a, variant, &s, &fo, &fs, &seen);
	} else {
		hash_stream_begin(&h);
		status = fold_input(cli, &s, path, &fo, &fs, max_line, &h,
				    cli->dry_run ? NULL : &rj, &rejected);
		if (rejected && !status)
			bad = BRAIN_DATA;
		hash_stream_end(&h, batch);
		if (!status)
			status = batch_seen(&s, a->batch, batch, &seen);
	}
	if (!status && seen) {
		/* The batch, or the aggregate of that --id, was folded
		 * before: nothing changes. */
		outcome = "already_applied";
		memset(&fs, 0, sizeof(fs));
	}
	if (status)
		goto out;
	if (cli->dry_run)
		outcome = "dry_run";
	if (!strcmp(outcome, "applied")) {
		cJSON *details = track_details(&s, &fs, variant, path, a->batch, batch, rejected,
					       &rj);

		status = save(&st, &s, "ab.track", details, cli->reason);
		cJSON_Delete(details);
	}
	if (!status) {
		/* Acknowledge after the lock is released. */
		rejects_close(&rj);
		state_close(&st);
		status = output_print_free(track_summary(&s, &fs, rejected, a->batch,
							 variant ? NULL : batch, outcome));
		ab_set_free(&s);
		return status ? status : bad;
	}
out:
	ab_set_free(&s);
out_state:
	hash_stream_free(&h);
	rejects_close(&rj);
	state_close(&st);
	return status;
}

/* Draw an interval as a bar: '-' from low to high, '|' at the rate, over
 * [0, scale]. */
static void interval_bar(double low, double rate, double high, double scale, char *out,
			 size_t width)
{
	for (size_t i = 0; i < width; i++)
		out[i] = ' ';
	out[width] = '\0';
	if (!(scale > 0))
		return;
	size_t lo = (size_t)fmin(width - 1, floor(low / scale * (double)(width - 1) + 0.5));
	size_t hi = (size_t)fmin(width - 1, floor(high / scale * (double)(width - 1) + 0.5));
	size_t at = (size_t)fmin(width - 1, floor(rate / scale * (double)(width - 1) + 0.5));

	for (size_t i = lo; i <= hi; i++)
		out[i] = '-';
	out[lo] = '[';
	out[hi] = ']';
	out[at] = '|';
}

/* A number field of o with the given decimals (and a sign when asked),
 * or "-" when it is absent. */
static void fmt(char *buf, size_t size, const cJSON *o, const char *name, int decimals,
		int sign)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (cJSON_IsNumber(v))
		snprintf(buf, size, sign ? "%+.*f" : "%.*f", decimals, v->valuedouble);
	else
		snprintf(buf, size, "-");
}

/* One row of the text report; with_value adds the mean value per trial
 * (revenue or fee per lead) after the rate. */
static void text_row(struct table *t, const cJSON *line, double scale, int with_value,
		     int with_slice)
{
	char trials[32], conv[32], rate[32], value[32], lift[32], p[32], best[32], bar[25];
	char range[48], deciding[48];
	const cJSON *slo = cJSON_GetObjectItemCaseSensitive(line, "seq_ci_low");
	const cJSON *shi = cJSON_GetObjectItemCaseSensitive(line, "seq_ci_high");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(line, "status");
	const cJSON *lo = cJSON_GetObjectItemCaseSensitive(line, "ci_low");
	const cJSON *hi = cJSON_GetObjectItemCaseSensitive(line, "ci_high");
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(line, "rate");
	const cJSON *slice = cJSON_GetObjectItemCaseSensitive(line, "slice");
	const char *cells[14];
	size_t n = 0;

	fmt(trials, sizeof(trials), line, "trials", 0, 0);
	fmt(conv, sizeof(conv), line, "conversions", 0, 0);
	fmt(rate, sizeof(rate), line, "rate", 4, 0);
	fmt(value, sizeof(value), line, "value_mean", 2, 0);
	fmt(lift, sizeof(lift), line, "lift_abs", 4, 1);
	fmt(p, sizeof(p), line, "seq_p_value", 4, 0);
	fmt(best, sizeof(best), line, "prob_best", 3, 0);
	range[0] = deciding[0] = '\0';
	if (cJSON_IsNumber(r)) {
		interval_bar(lo->valuedouble, r->valuedouble, hi->valuedouble, scale, bar, 24);
		snprintf(range, sizeof(range), "%.4f-%.4f", lo->valuedouble, hi->valuedouble);
	} else {
		snprintf(bar, sizeof(bar), "%s", "");
	}
	if (cJSON_IsNumber(slo) && cJSON_IsNumber(shi))
		snprintf(deciding, sizeof(deciding), "[%+.4f, %+.4f]", slo->valuedouble,
			 shi->valuedouble);
	if (with_slice)
		cells[n++] = cJSON_IsString(slice) ? slice->valuestring : "";
	cells[n++] = cJSON_GetObjectItemCaseSensitive(line, "variant_name")->valuestring;
	cells[n++] = cJSON_GetObjectItemCaseSensitive(line, "kind")->valuestring;
	cells[n++] = trials;
	cells[n++] = conv;
	cells[n++] = rate;
	if (with_value)
		cells[n++] = value;
	cells[n++] = bar;
	cells[n++] = range;
	cells[n++] = lift;
	cells[n++] = deciding;
	cells[n++] = p;
	cells[n++] = best;
	cells[n++] = cJSON_IsString(st) ? st->valuestring : "";
	table_add(t, cells);
}

static void print_text_report(cJSON **lines, size_t total, double scale,
			      const struct ab_options *o)
{
	const char *head[14];
	int with_value = 0, with_slice = 0;
	size_t n = 0;
	struct table *t;

	for (size_t i = 0; i < total; i++) {
		with_value |= cJSON_HasObjectItem(lines[i], "value_mean");
		with_slice |= cJSON_HasObjectItem(lines[i], "slice");
	}
	if (with_slice)
		head[n++] = "SLICE";
	head[n++] = "VARIANT";
	head[n++] = "KIND";
	head[n++] = "TRIALS";
	head[n++] = "CONV";
	head[n++] = "RATE";
	if (with_value)
		head[n++] = "VALUE/TRIAL";
	head[n++] = "WILSON INTERVAL";
	head[n++] = "LOW-HIGH";
	head[n++] = "LIFT";
	head[n++] = "DECIDING INTERVAL";
	head[n++] = "SEQ P";
	head[n++] = "P(BEST)";
	head[n++] = "STATUS";
	t = table_new(n, head);
	for (size_t i = 0; i < total; i++)
		text_row(t, lines[i], scale, with_value, with_slice);
	table_print(t, stdout);
	table_free(t);
	/* What the bars draw, and what decides. */
	printf("\nbars: each rate's Wilson interval on a scale from 0 to %.4f, | at the rate\n",
	       scale);
	if (o->horizon > 0)
		printf("deciding: the planned-horizon interval (%.0f trials per arm) of the lift",
		       o->horizon);
	else
		printf("deciding: the always-valid interval of the lift");
	printf(" against the control; a winner needs it above 0 at alpha %g (split over the "
	       "variants of a kind) and an expected loss below %g %% of the control's rate\n",
	       o->alpha, 100 * o->max_loss);
}

static int nkinds_has(const char **kinds, size_t n, const char *kind)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(kinds[i], kind))
			return 1;
	return 0;
}

/* A kind is Thompson-allocated when any of its variants is marked
 * (assign --thompson marks them all; one registered later is covered by
 * the others). */
static int kind_thompson(const struct ab_set *s, const char *kind)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].thompson && !strcmp(s->v[i].kind, kind))
			return 1;
	return 0;
}

/* The arms of one kind for ab_analyze over window w, with the kind's
 * allocation; trials no day holds are left out of a window, and said. */
struct ab_arm *ab_cmd_arms(const struct ab_set *s, const char *kind,
			   const struct ab_window *w, size_t *n)
{
	double undated;
	struct ab_arm *arms = ab_set_arms_in(s, kind, w, n, &undated);

	if (undated > 0)
		diag_warn("experiment '%s', kind '%s': %.0f trials were tracked without a day "
			  "(before days were kept): no window holds them", s->experiment, kind,
			  undated);
	return arms;
}

/* The arms of one kind over --since/--until. */
static struct ab_arm *kind_arms(const struct ab_set *s, const struct ab_args *a,
				const char *kind, size_t *n)
{
	struct ab_window w = ab_cmd_window(a);

	return ab_cmd_arms(s, kind, &w, n);
}

/* "guardrails": each guardrail with events in the kind, the arm's events
 * and rate. */
static void add_guard_rates(const struct ab_set *s, const struct ab_arm *arms, size_t n,
			    size_t i, cJSON *line)
{
	cJSON *g = NULL;

	for (size_t j = 0; j < s->nguards; j++) {
		double any = 0;
		cJSON *o;

		for (size_t k = 0; k < n; k++)
			any += arms[k].guard[j];
		if (!(any > 0))
			continue;
		if (!g)
			g = cJSON_AddObjectToObject(line, "guardrails");
		o = cJSON_AddObjectToObject(g, s->guards[j]);
		cJSON_AddNumberToObject(o, "events", arms[i].guard[j]);
		if (arms[i].trials > 0)
			cJSON_AddNumberToObject(o, "rate", arms[i].guard[j] / arms[i].trials);
	}
}

/* The lines of one kind over window w (a slice when w->dim), after
 * lines[*total]; the largest interval end into *scale. */
static enum brain_status kind_lines(const struct ab_set *s, const struct ab_args *a,
				    const char *kind, const struct ab_window *w, cJSON ***lines,
				    size_t *total, size_t *cap, double *scale)
{
	size_t n;
	struct ab_arm *arms = ab_cmd_arms(s, kind, w, &n);
	struct ab_result *res;
	struct ab_decision d;

	if (a->control) {
		size_t c;

		for (c = 0; c < n && strcmp(arms[c].name, a->control); c++)
			;
		if (c == n) {
			free(arms);
			return diag_error(BRAIN_DATA, "--control: no variant '%s' of kind '%s'",
					  a->control, kind);
		}
		for (size_t i = 0; i < n; i++)
			arms[i].control = i == c;
	}
	res = xcalloc(n ? n : 1, sizeof(*res));
	ab_analyze(arms, n, &a->stat, res);
	/* The leader's estimate of the trials it still needs, as winner's. */
	ab_decide(arms, n, res, &a->stat, &d);
	if (*total + n > *cap) {
		*cap = 2 * (*total + n);
		*lines = xrealloc(*lines, *cap * sizeof(**lines));
	}
	for (size_t i = 0; i < n; i++) {
		cJSON *line = ab_report_line(s->experiment, &arms[i], &res[i]);

		if (d.has_more && d.arm == (int)i)
			cJSON_AddNumberToObject(line, "more_trials_per_arm", d.more_trials);
		add_guard_rates(s, arms, n, i, line);
		if (w->dim) {
			cJSON_AddStringToObject(line, "dim", w->dim);
			cJSON_AddStringToObject(line, "slice", w->value);
		}
		(*lines)[(*total)++] = line;
		if (res[i].has_rate && res[i].ci_high > *scale)
			*scale = res[i].ci_high;
	}
	free(res);
	free(arms);
	return BRAIN_OK;
}

/* Holm over every comparison of a breakdown (lines from..to): each
 * slice's variants against its control are one family, so a slice
 * picked for its p-value is no discovery by chance. */
static void slice_family(cJSON **lines, size_t from, size_t to)
{
	double *p = xcalloc(to - from + 1, sizeof(double)), *adj;
	size_t *at = xcalloc(to - from + 1, sizeof(size_t)), m = 0;

	for (size_t i = from; i < to; i++) {
		const cJSON *pv = cJSON_GetObjectItemCaseSensitive(lines[i], "p_value");

		if (cJSON_IsNumber(pv) && cJSON_HasObjectItem(lines[i], "p_value_holm")) {
			p[m] = pv->valuedouble;
			at[m++] = i;
		}
	}
	adj = xcalloc(m + 1, sizeof(double));
	stats_holm(m, p, adj);
	for (size_t j = 0; j < m; j++) {
		cJSON_ReplaceItemInObjectCaseSensitive(lines[at[j]], "p_value_holm",
						       cJSON_CreateNumber(adj[j]));
		cJSON_ReplaceItemInObjectCaseSensitive(lines[at[j]], "family_size",
						       cJSON_CreateNumber((double)m));
	}
	free(p);
	free(adj);
	free(at);
}

/* One kind: whole, or one slice per value of --by. */
static enum brain_status kind_report(const struct ab_set *s, const struct ab_args *a,
				     const char *kind, cJSON ***lines, size_t *total,
				     size_t *cap, double *scale)
{
	struct ab_window w = ab_cmd_window(a);
	enum brain_status status = BRAIN_OK;
	size_t nvalues, from = *total;
	const char **values;

	if (!a->by)
		return kind_lines(s, a, kind, &w, lines, total, cap, scale);
	values = ab_set_dim_values(s, kind, a->by, &w, &nvalues);
	w.dim = a->by;
	for (size_t i = 0; i < nvalues && !status; i++) {
		w.value = values[i];
		status = kind_lines(s, a, kind, &w, lines, total, cap, scale);
	}
	free(values);
	if (!status)
		slice_family(*lines, from, *total);
	return status;
}

/* Report lines for every kind (or one) of s, in canonical order. */
static enum brain_status emit_report(const struct cli *cli, const struct ab_set *s,
				     const struct ab_args *a)
{
	size_t nkinds, total = 0, cap = 0;
	const char **kinds = ab_set_kinds(s, &nkinds);
	cJSON **lines = NULL;
	enum brain_status status = BRAIN_OK;
	double scale = 0;

	for (size_t k = 0; k < nkinds && !status; k++)
		if (!a->kind || !strcmp(a->kind, kinds[k]))
			status = kind_report(s, a, kinds[k], &lines, &total, &cap, &scale);
	if (!status && a->kind && !nkinds_has(kinds, nkinds, a->kind))
		status = diag_error(BRAIN_DATA, "no variants of kind '%s' in experiment '%s'",
				    a->kind, s->experiment);
	if (!status && a->by && total == 0)
		status = diag_error(BRAIN_DATA, "no events of experiment '%s' carry dimension "
				    "'%s' (in \"dims\")%s", s->experiment, a->by,
				    a->since || a->until ? " in the window" : "");
	if (!status && cli->format == CLI_FORMAT_TEXT) {
		print_text_report(lines, total, scale, &a->stat);
	} else {
		for (size_t i = 0; i < total && !status; i++)
			status = jsonl_write(stdout, lines[i]);
	}
	for (size_t i = 0; i < total; i++)
		cJSON_Delete(lines[i]);
	free(lines);
	free(kinds);
	return status;
}

/* Load the experiment for a reader; it must exist. */
enum brain_status ab_cmd_load(const struct cli *cli, struct ab_args *a, struct state *st,
			      struct ab_set *s)
{
	enum brain_status status;
	int exists;

	if ((status = state_open(st, cli->state_dir, STATE_READ)))
		return status;
	if ((status = resolve_options(a, st->dirfd, NULL))) {
		state_close(st);
		return status;
	}
	if ((status = ab_load(st, a->experiment, s, &exists))) {
		/* A set that failed to load may hold some of it. */
		ab_set_free(s);
		state_close(st);
		return status;
	}
	if (!exists) {
		ab_set_free(s);
		state_close(st);
		return diag_error(BRAIN_DATA, "no experiment '%s' (see 'brain-ab list')",
				  a->experiment);
	}
	if ((status = ab_cmd_guardrails(a, s))) {
		ab_set_free(s);
		state_close(st);
	}
	return status;
}

enum brain_status ab_cmd_report(const struct cli *cli, struct ab_args *a)
{
	struct state st;
	struct ab_set s;
	enum brain_status status = ab_cmd_load(cli, a, &st, &s);

	if (status)
		return status;
	state_close(&st);
	status = emit_report(cli, &s, a);
	ab_set_free(&s);
	return status;
}

/* Today's analysis and decision of one kind. */
struct kind_view {
	struct ab_arm *arms;
	struct ab_result *res;
	size_t n;
	struct ab_decision d;
};

static enum brain_status view_kind(const struct ab_set *s, const struct ab_args *a,
				   struct kind_view *kv)
{
	kv->arms = kind_arms(s, a, a->kind, &kv->n);
	kv->res = NULL;
	if (kv->n == 0)
		return diag_error(BRAIN_DATA, "no variants of kind '%s' in experiment '%s'",
				  a->kind, s->experiment);
	kv->res = xcalloc(kv->n, sizeof(*kv->res));
	ab_analyze(kv->arms, kv->n, &a->stat, kv->res);
	ab_decide(kv->arms, kv->n, kv->res, &a->stat, &kv->d);
	return BRAIN_OK;
}

static void view_free(struct kind_view *kv)
{
	free(kv->arms);
	free(kv->res);
	memset(kv, 0, sizeof(*kv));
}

/* The evidence a decision is recorded with: today's decision line and
 * the report line of every arm of the kind. */
static cJSON *evidence(const struct ab_set *s, const struct kind_view *kv)
{
	cJSON *line = ab_decision_line(kv->arms[0].kind, kv->arms, kv->res, &kv->d);
	cJSON *arms = cJSON_AddArrayToObject(line, "arms");

	for (size_t i = 0; i < kv->n; i++)
		cJSON_AddItemToArray(arms, ab_report_line(s->experiment, &kv->arms[i],
							  &kv->res[i]));
	return line;
}

/* Save s with the decision dd recorded, audited as action (ab.decide,
 * ab.conclude) with the decision and its evidence. */
static enum brain_status save_decision(struct state *st, struct ab_set *s, const char *action,
				       const struct ab_decided *dd, const char *reason)
{
	cJSON *o = cJSON_CreateObject();
	enum brain_status status;

	cJSON_AddStringToObject(o, "experiment", s->experiment);
	cJSON_AddStringToObject(o, "kind", dd->kind);
	cJSON_AddStringToObject(o, "variant_name", dd->variant);
	cJSON_AddStringToObject(o, "by", dd->by_operator ? "operator" : "rule");
	cJSON_AddStringToObject(o, "decided_at", dd->decided_at);
	if (dd->concluded_at[0])
		cJSON_AddStringToObject(o, "concluded_at", dd->concluded_at);
	cJSON_AddItemToObject(o, "evidence", cJSON_Duplicate(dd->evidence, 1));
	status = save(st, s, action, o, reason);
	cJSON_Delete(o);
	return status;
}

/* Record today's winner as the kind's decision, under the lock and on
 * the data the lock holds: a track since the first look is decided on
 * again, and a decision another run recorded first is kept. */
static enum brain_status record_winner(const struct cli *cli, struct ab_args *a,
				       struct ab_set *s, struct kind_view *kv)
{
	struct state st;
	char now[TIME_TEXT_SIZE];
	enum brain_status status = command_open_state(cli, &st);
	int exists;

	if (status)
		return status;
	ab_set_free(s);
	view_free(kv);
	if (!(status = ab_load(&st, a->experiment, s, &exists)) && !exists)
		status = diag_error(BRAIN_DATA, "no experiment '%s'", a->experiment);
	if (!status && !(status = ab_cmd_guardrails(a, s)))
		status = view_kind(s, a, kv);
	if (!status && !ab_set_decided(s, a->kind) && kv->d.outcome == AB_WINNER &&
	    !(status = now_text(now))) {
		const struct ab_decided *dd =
			ab_set_decide(s, a->kind, kv->arms[kv->d.arm].name, now, evidence(s, kv));

		status = save_decision(&st, s, "ab.decide", dd, cli->reason);
	}
	state_close(&st);
	return status;
}

/* Print the kind's decision: the one on record, else today's.  *answer:
 * yes for a winner that holds (or was concluded), no otherwise. */
static enum brain_status print_decision(const struct cli *cli, const struct ab_set *s,
					const struct kind_view *kv, int recorded,
					enum brain_status *answer)
{
	const struct ab_decided *dd = ab_set_decided(s, kv->arms[0].kind);
	enum brain_status status = BRAIN_OK;
	int holds = kv->d.outcome == AB_WINNER;
	cJSON *line;

	if (dd) {
		line = ab_decided_line(dd, kv->arms, kv->n, kv->res, &kv->d, &holds);
		if (!line)
			return diag_error(BRAIN_STATE, "ab/%s: the winner on record '%s' is not a "
					  "variant of kind '%s'", s->experiment_id, dd->variant,
					  dd->kind);
		if (!holds && !dd->concluded_at[0])
			diag_warn("experiment '%s', kind '%s': '%s', decided the winner at %s, is "
				  "no longer supported by today's data (%s); the decision stands "
				  "until 'brain-ab conclude' or 'brain-ab reset'", s->experiment,
				  dd->kind, dd->variant, dd->decided_at,
				  ab_outcome_name(kv->d.outcome));
		holds = holds || dd->concluded_at[0];
		if (recorded) /* decided by this run: today's reason is the reason */
			cJSON_ReplaceItemInObjectCaseSensitive(line, "reason",
							       cJSON_CreateString(kv->d.reason));
	} else {
		line = ab_decision_line(kv->arms[0].kind, kv->arms, kv->res, &kv->d);
	}
	if (cli->format == CLI_FORMAT_TEXT) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(line, "variant_name");

		printf("%s: %s%s%s\n%s\n", kv->arms[0].kind,
		       cJSON_GetObjectItemCaseSensitive(line, "decision")->valuestring,
		       name ? " " : "", name ? name->valuestring : "",
		       cJSON_GetObjectItemCaseSensitive(line, "reason")->valuestring);
	} else {
		status = jsonl_write(stdout, line);
	}
	cJSON_Delete(line);
	*answer = holds ? BRAIN_OK : BRAIN_NO;
	return status;
}

/* A winner on record is looked at as it was decided, unless --metric or
 * --horizon say otherwise. */
static void recorded_metric(const struct ab_set *s, struct ab_args *a)
{
	ab_decided_options(ab_set_decided(s, a->kind), &a->stat, a->metric != NULL,
			   (a->stat_given & AB_GIVEN_HORIZON) != 0);
}

enum brain_status ab_cmd_winner(const struct cli *cli, struct ab_args *a)
{
	struct state st;
	struct ab_set s;
	struct kind_view kv = { 0 };
	enum brain_status status, answer = BRAIN_NO;
	int record;

	if (!a->kind)
		return diag_error(BRAIN_USAGE, "'winner' needs --kind=KIND");
	if ((status = ab_cmd_load(cli, a, &st, &s)))
		return status;
	state_close(&st);
	recorded_metric(&s, a);
	status = view_kind(&s, a, &kv);
	record = !status && !ab_set_decided(&s, a->kind) && kv.d.outcome == AB_WINNER &&
		 !cli->dry_run;
	if (record)
		status = record_winner(cli, a, &s, &kv);
	if (!status)
		status = print_decision(cli, &s, &kv, record, &answer);
	view_free(&kv);
	ab_set_free(&s);
	return status ? status : answer;
}

/* The variant conclude ends kind with: the one named, else the winner on
 * record, else today's winner; NULL (with the message) when none. */
static const char *conclude_choice(const struct ab_set *s, const struct ab_args *a,
				   const struct kind_view *kv, const char *variant,
				   enum brain_status *status)
{
	const struct ab_decided *dd = ab_set_decided(s, a->kind);
	int i;

	if (variant) {
		i = ab_set_find(s, variant);
		if (i < 0 || strcmp(s->v[i].kind, a->kind)) {
			*status = diag_error(BRAIN_DATA, "no variant '%s' of kind '%s' in experiment "
					     "'%s'", variant, a->kind, s->experiment);
			return NULL;
		}
		return s->v[i].name;
	}
	if (dd)
		return dd->variant;
	if (kv->d.outcome == AB_WINNER)
		return kv->arms[kv->d.arm].name;
	*status = diag_error(BRAIN_NO, "kind '%s' has no winner to conclude with (%s); name "
			     "the variant to keep: brain-ab conclude --kind=%s VARIANT", a->kind,
			     kv->d.reason, a->kind);
	return NULL;
}

/* End kind with name: a decision recorded (or replaced, when the operator
 * names another variant) and concluded now. */
static enum brain_status conclude_kind(struct ab_set *s, const struct ab_args *a,
				       const struct kind_view *kv, const char *name,
				       struct ab_decided **out)
{
	char now[TIME_TEXT_SIZE];
	int by_rule = kv->d.outcome == AB_WINNER && !strcmp(kv->arms[kv->d.arm].name, name);
	struct ab_decided *dd = (struct ab_decided *)ab_set_decided(s, a->kind);
	enum brain_status status = now_text(now);

	if (status)
		return status;
	if (dd && strcmp(dd->variant, name)) {
		free(dd->variant);
		dd->variant = xstrdup(name);
		cJSON_Delete(dd->evidence);
		dd->evidence = evidence(s, kv);
		snprintf(dd->decided_at, sizeof(dd->decided_at), "%s", now);
		dd->by_operator = !by_rule;
	} else if (!dd) {
		dd = ab_set_decide(s, a->kind, name, now, evidence(s, kv));
		dd->by_operator = !by_rule;
	}
	snprintf(dd->concluded_at, sizeof(dd->concluded_at), "%s", now);
	*out = dd;
	return BRAIN_OK;
}

static const struct text_form concluded_form = {
	"Experiment {experiment}, kind {kind}: concluded with {variant_name} (chosen by {by})",
	(const struct text_field[]){ { "decided at", "decided_at" },
				     { "concluded at", "concluded_at" },
				     { "recorded now", "concluded" }, { NULL, NULL } },
	0, NULL
};

static enum brain_status print_concluded(const struct ab_set *s, const struct ab_decided *dd,
					 int recorded)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "experiment", s->experiment);
	cJSON_AddStringToObject(o, "kind", dd->kind);
	cJSON_AddStringToObject(o, "variant_name", dd->variant);
	cJSON_AddStringToObject(o, "by", dd->by_operator ? "operator" : "rule");
	cJSON_AddStringToObject(o, "decided_at", dd->decided_at);
	cJSON_AddStringToObject(o, "concluded_at", dd->concluded_at);
	cJSON_AddBoolToObject(o, "concluded", recorded);
	render_form(&concluded_form);
	return output_print_free(o);
}

enum brain_status ab_cmd_conclude(const struct cli *cli, struct ab_args *a,
				  const char *variant)
{
	struct state st;
	struct ab_set s;
	struct kind_view kv = { 0 };
	struct ab_decided *dd;
	const char *name;
	enum brain_status status;
	int exists;

	if (!a->kind)
		return diag_error(BRAIN_USAGE, "'conclude' needs --kind=KIND");
	if ((status = command_open_state(cli, &st)))
		return status;
	if (!(status = ab_load(&st, a->experiment, &s, &exists)) && !exists)
		status = diag_error(BRAIN_DATA, "no experiment '%s'", a->experiment);
	if (!status)
		status = view_kind(&s, a, &kv);
	dd = status ? NULL : (struct ab_decided *)ab_set_decided(&s, a->kind);
	if (dd && dd->concluded_at[0]) {
		int same = !variant || ab_set_find(&s, variant) == ab_set_find(&s, dd->variant);

		status = same ? print_concluded(&s, dd, 0)
			      : diag_error(BRAIN_DATA, "kind '%s' was concluded at %s with '%s' "
					   "('brain-ab reset' starts the experiment again)",
					   a->kind, dd->concluded_at, dd->variant);
	} else if (!status && (name = conclude_choice(&s, a, &kv, variant, &status)) &&
		   !(status = conclude_kind(&s, a, &kv, name, &dd))) {
		if (!cli->dry_run)
			status = save_decision(&st, &s, "ab.conclude", dd,
					       cli->reason);
		if (!status)
			status = print_concluded(&s, dd, !cli->dry_run);
	}
	view_free(&kv);
	ab_set_free(&s);
	state_close(&st);
	return status;
}

/* Mark the kind Thompson-allocated, once, before its first Thompson
 * choice is used: its traffic then follows the posteriors, not the
 * weights, and the SRM test against the weights would call every real
 * difference a broken split.  Under the lock, audited as ab.thompson;
 * nothing with --dry-run. */
static enum brain_status mark_thompson(const struct cli *cli, const struct ab_args *a,
				       const struct ab_set *seen)
{
	struct state st;
	struct ab_set s;
	enum brain_status status;
	cJSON *details;
	int exists;

	if (cli->dry_run || kind_thompson(seen, a->kind))
		return BRAIN_OK;
	if ((status = command_open_state(cli, &st)))
		return status;
	if (!(status = ab_load(&st, a->experiment, &s, &exists)) && exists &&
	    !kind_thompson(&s, a->kind)) {
		for (size_t i = 0; i < s.n; i++)
			s.v[i].thompson |= !strcmp(s.v[i].kind, a->kind);
		details = cJSON_CreateObject();
		cJSON_AddStringToObject(details, "experiment", s.experiment);
		cJSON_AddStringToObject(details, "kind", a->kind);
		status = save(&st, &s, "ab.thompson", details, cli->reason);
		cJSON_Delete(details);
	}
	ab_set_free(&s);
	state_close(&st);
	return status;
}

static cJSON *assign_line(const char *unit, const char *name, const char *method,
			  double probability, const char *seed)
{
	cJSON *o = cJSON_CreateObject();

	if (unit)
		cJSON_AddStringToObject(o, "unit", unit);
	cJSON_AddStringToObject(o, "variant_name", name);
	cJSON_AddStringToObject(o, "method", method);
	cJSON_AddNumberToObject(o, "probability", probability);
	cJSON_AddStringToObject(o, "seed", seed);
	return o;
}

/* The seed of a Thompson draw: --seed, else 32 random bits. */
static enum brain_status thompson_seed(const char *text, unsigned long *seed)
{
	char *end;

	if (!text) {
		if (getrandom(seed, sizeof(*seed), 0) != (ssize_t)sizeof(*seed))
			return diag_errno(BRAIN_IO, errno, "cannot get random bytes");
		*seed &= 0xffffffffUL;
		return BRAIN_OK;
	}
	errno = 0;
	*seed = strtoul(text, &end, 10);
	if (*end || errno || !*text)
		return diag_error(BRAIN_USAGE, "--seed needs a non-negative integer");
	*seed &= 0xffffffffUL;
	return BRAIN_OK;
}

/* The arms of --kind in registration order (the order of their buckets,
 * as in the GrowthBook SDKs), their weights, and the winner on record;
 * for Thompson sampling, their counts and P(best), once for a batch. */
struct assign_arms {
	int *idx;
	double *weight;
	size_t k;
	const struct ab_decided *dd;
	char *seed;               /* the hash seed, once for a batch */
	double *trials, *conversions, *prob;
	int prob_failed;
};

/* Thompson sampling over the arms: the assignment line of one draw. */
static enum brain_status assign_thompson(const struct ab_args *a, const struct ab_set *s,
					 const struct assign_arms *aa, cJSON **line)
{
	enum brain_status status;
	char seedtext[32];
	unsigned long seed;
	size_t choice;

	if (aa->prob_failed)
		return diag_error(BRAIN_DATA, "cannot compute P(best) for kind '%s'", a->kind);
	if (!(status = thompson_seed(a->seed, &seed))) {
		snprintf(seedtext, sizeof(seedtext), "%lu", seed);
		choice = ab_assign_thompson_draw(aa->k, aa->trials, aa->conversions, seed);
		*line = assign_line(a->unit, s->v[aa->idx[choice]].name, "thompson",
				    aa->prob[choice], seedtext);
	}
	return status;
}

/* The seed of a hash assignment: the kind's own (recorded, else
 * "EXPERIMENT:KIND"), or --seed, with a warning when that one is not the
 * kind's: a seed given by hand for two kinds would confound them. */
static char *hash_seed(const struct ab_args *a, const struct ab_set *s)
{
	char *own = ab_set_hash_seed(s, a->kind);
	const char *other;

	if (!a->seed || !strcmp(a->seed, own))
		return own;
	other = ab_set_seed_conflict(s, a->kind, a->seed);
	if (other)
		diag_warn("seed '%s' is the hash seed of kind '%s' too: every unit gets the "
			  "same bucket in both kinds", a->seed, other);
	else
		diag_warn("seed '%s' is not the hash seed of kind '%s' ('%s'); record it with "
			  "'register --kind=%s --seed=...' so that no other kind can share it",
			  a->seed, a->kind, own, a->kind);
	free(own);
	return xstrdup(a->seed);
}

static void assign_arms_init(struct assign_arms *aa, const struct ab_args *a,
			     const struct ab_set *s)
{
	memset(aa, 0, sizeof(*aa));
	aa->idx = xcalloc(s->n ? s->n : 1, sizeof(*aa->idx));
	aa->weight = xcalloc(s->n ? s->n : 1, sizeof(*aa->weight));
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].kind, a->kind)) {
			aa->weight[aa->k] = s->v[i].weight;
			aa->idx[aa->k++] = (int)i;
		}
	aa->dd = ab_set_decided(s, a->kind);
	if (aa->dd && !aa->dd->concluded_at[0])
		aa->dd = NULL; /* only a concluded kind assigns its winner */
	aa->seed = aa->k && !a->thompson && !aa->dd ? hash_seed(a, s)
						   : ab_set_hash_seed(s, a->kind);
	if (a->thompson && aa->k && !aa->dd) {
		aa->trials = xcalloc(3 * aa->k, sizeof(double));
		aa->conversions = aa->trials + aa->k;
		aa->prob = aa->conversions + aa->k;
		for (size_t i = 0; i < aa->k; i++) {
			aa->trials[i] = s->v[aa->idx[i]].trials;
			aa->conversions[i] = s->v[aa->idx[i]].conversions;
		}
		aa->prob_failed = ab_assign_thompson_prob(aa->k, aa->trials, aa->conversions,
							  aa->prob) != 0;
	}
}

static void assign_arms_free(struct assign_arms *aa)
{
	free(aa->idx);
	free(aa->weight);
	free(aa->seed);
	free(aa->trials);
}

/* The assignment line of one unit (NULL: a Thompson draw for no unit). */
static enum brain_status assign_unit(const struct ab_args *a, const struct ab_set *s,
				     const struct assign_arms *aa, const char *unit,
				     cJSON **line)
{
	struct ab_args one = *a;

	*line = NULL;
	if (aa->dd) {
		*line = assign_line(unit, aa->dd->variant, "concluded", 1, aa->seed);
		return BRAIN_OK;
	}
	if (!a->thompson) {
		double share;
		size_t arm = ab_assign_hash(aa->k, aa->weight, aa->seed, unit, &share);

		*line = assign_line(unit, s->v[aa->idx[arm]].name, "hash", share, aa->seed);
		return BRAIN_OK;
	}
	one.unit = unit;
	return assign_thompson(&one, s, aa, line);
}

/* The line of one unit, with its contact check when asked for (contact
 * not NULL; lead NULL for a unit given by id); it is freed.  In text the
 * variant alone, a line each, so that the lines of assign - stay line
 * for line with the units given. */
static enum brain_status print_assignment(const struct cli *cli, struct ab_contact *contact,
					  cJSON *line, const cJSON *lead,
					  const struct json_loc *loc)
{
	enum brain_status status = contact ? ab_contact_add(contact, line, lead, loc) : BRAIN_OK;
	const cJSON *allowed = cJSON_GetObjectItemCaseSensitive(line, "allowed");

	if (status)
		;
	else if (cli->format == CLI_FORMAT_TEXT && cJSON_IsFalse(allowed))
		printf("%s  not now: %s%s%s\n",
		       cJSON_GetObjectItemCaseSensitive(line, "variant_name")->valuestring,
		       json_string_or_empty(line, "reason"),
		       json_string(line, "next_allowed") ? "; next allowed " : "",
		       json_string_or_empty(line, "next_allowed"));
	else if (cli->format == CLI_FORMAT_TEXT)
		printf("%s\n", cJSON_GetObjectItemCaseSensitive(line, "variant_name")->valuestring);
	else
		status = jsonl_write(stdout, line);
	cJSON_Delete(line);
	return status;
}

/* The unit of one input line of `assign -`: the line itself, or the
 * "unit" of a JSON object (a lead record).  NULL when there is none
 * (reported). */
static const char *batch_unit(const char *text, size_t len, const struct json_loc *loc,
			      cJSON **rec, char **own)
{
	const char *unit = NULL;

	*rec = NULL;
	*own = NULL;
	while (len && (text[len - 1] == '\r' || text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	if (len && text[0] == '{') {
		if (json_parse_line(text, len, loc, rec) ||
		    json_get_string(*rec, "unit", JSON_REQUIRED, loc, &unit))
			return NULL;
		return unit;
	}
	if (!json_utf8_valid(text, len) || memchr(text, '\0', len)) {
		diag_error_at(BRAIN_DATA, loc->file, loc->line, "a unit id must be UTF-8 text");
		return NULL;
	}
	*own = xmalloc(len + 1);
	memcpy(*own, text, len);
	(*own)[len] = '\0';
	return *own;
}

/* `assign -` (or FILE): one unit id, or lead record, per line; one line
 * out per line in, as the one-unit form would give it.  With --seed, the
 * Thompson draw of line i uses seed + i - 1. */
static enum brain_status assign_batch(const struct cli *cli, struct ab_args *a,
				      const struct ab_set *s, const struct assign_arms *aa,
				      struct ab_contact *contact, const char *path)
{
	struct jsonl_reader r;
	enum brain_status status = jsonl_open(&r, path, 0);
	unsigned long base = 0;
	char seedtext[32];
	const char *text;
	size_t len;
	int rc;

	if (!status && a->thompson && a->seed)
		status = thompson_seed(a->seed, &base);
	while (!status && (rc = jsonl_next_line(&r, &text, &len)) != JSONL_EOF) {
		struct json_loc loc = jsonl_where(&r);
		struct ab_args one = *a;
		cJSON *rec, *line;
		char *own;
		const char *unit;

		if (rc) {
			status = rc;
			break;
		}
		if (json_blank(text, len))
			continue;
		if (!(unit = batch_unit(text, len, &loc, &rec, &own))) {
			status = BRAIN_DATA;
		} else {
			if (a->thompson && a->seed) {
				snprintf(seedtext, sizeof(seedtext), "%lu",
					 (base + (unsigned long)loc.line - 1) & 0xffffffffUL);
				one.seed = seedtext;
			}
			if (!(status = assign_unit(&one, s, aa, unit, &line)))
				status = print_assignment(cli, contact, line, rec, &loc);
		}
		cJSON_Delete(rec);
		free(own);
		if (cli->progress && (loc.line & 0xffff) == 0)
			fprintf(stderr, "\r%s: %ld units assigned", diag_program(), loc.line);
	}
	if (cli->progress && r.line >= 0x10000)
		fprintf(stderr, "\n");
	jsonl_close(&r);
	return status;
}

enum brain_status ab_cmd_assign(const struct cli *cli, struct ab_args *a, const char *path)
{
	struct state st;
	struct ab_set s;
	struct assign_arms aa;
	struct ab_contact *contact = NULL;
	struct json_loc loc = { NULL, 0 };
	enum brain_status status;
	cJSON *line = NULL;

	if (!a->kind)
		return diag_error(BRAIN_USAGE, "'assign' needs --kind=KIND");
	if (path && a->unit)
		return diag_error(BRAIN_USAGE, "'assign -' reads its units: no --unit");
	if (!path && !a->thompson && !a->unit)
		return diag_error(BRAIN_USAGE, "'assign' needs --unit=ID, units on stdin "
				  "('assign -'), or --thompson");
	if ((status = ab_cmd_load(cli, a, &st, &s)))
		return status;
	/* The suppression list is read before the state is let go. */
	if (a->contact_check && (status = ab_contact_begin(cli, st.dirfd, &contact))) {
		state_close(&st);
		ab_set_free(&s);
		return status;
	}
	state_close(&st);
	assign_arms_init(&aa, a, &s);
	if (aa.k == 0)
		status = diag_error(BRAIN_DATA, "no variants of kind '%s' in experiment '%s'",
				    a->kind, a->experiment);
	/* The first Thompson choice marks the kind, before it is used. */
	else if (a->thompson && !aa.dd && (status = mark_thompson(cli, a, &s)))
		;
	else if (path)
		status = assign_batch(cli, a, &s, &aa, contact, path);
	else if (!(status = assign_unit(a, &s, &aa, a->unit, &line)))
		status = print_assignment(cli, contact, line, NULL, &loc);
	ab_contact_end(contact);
	assign_arms_free(&aa);
	ab_set_free(&s);
	return status;
}

/* Fold every operand (stdin when none) into a fresh set. */
static enum brain_status fold_stateless(const struct cli *cli, struct ab_args *a, int argc,
					char **paths, struct ab_set *s)
{
	/* Cells always: tally prints a line per day, analyze --by slices. */
	struct ab_fold_options fo = { 1, a->kind, a->exclude_multi, "", 1, a->since, a->until };
	struct ab_fold_stats fs = { 0 };
	enum brain_status status = BRAIN_OK;
	double rejected = 0;

	ab_set_init(s, a->experiment);
	if ((status = check_window(a)) || (status = ab_cmd_guardrails(a, s)))
		return status;
	if (argc == 0)
		status = fold_input(cli, s, NULL, &fo, &fs, 0, NULL, NULL, &rejected);
	for (int i = 0; i < argc && !status; i++)
		status = fold_input(cli, s, paths[i], &fo, &fs, 0, NULL, NULL, &rejected);
	if (!status && rejected)
		status = BRAIN_DATA;
	if (fs.outside)
		diag_warn("%.0f records outside --since/--until (or without a day) were left out",
			  fs.outside);
	return status;
}

/* One tally line: a variant's sums over t, of day (NULL: undated). */
static cJSON *tally_line(const struct ab_set *s, const struct ab_variant *v,
			 const struct ab_tally *t, const char *day)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "variant", v->name);
	cJSON_AddStringToObject(o, "kind", v->kind);
	if (day && day[0])
		cJSON_AddStringToObject(o, "day", day);
	cJSON_AddNumberToObject(o, "trials", t->trials);
	cJSON_AddNumberToObject(o, "conversions", t->conversions);
	for (size_t g = 0; g < s->nguards; g++)
		if (t->guard[g] > 0)
			cJSON_AddNumberToObject(o, s->guards[g], t->guard[g]);
	if (t->value_u != 0 || t->sumsq_u != 0) {
		/* The exact sums too, so that merging tallies is exact. */
		char exact[48];

		cJSON_AddNumberToObject(o, "value", fixed_to_double(t->value_u, FIXED_VALUE));
		if (!t->value_partial)
			cJSON_AddNumberToObject(o, "value_sumsq",
						fixed_to_double(t->sumsq_u, FIXED_SQUARE));
		fixed_format(t->value_u, FIXED_VALUE, exact);
		cJSON_AddStringToObject(o, "value_exact", exact);
		if (!t->value_partial) {
			fixed_format(t->sumsq_u, FIXED_SQUARE, exact);
			cJSON_AddStringToObject(o, "value_sumsq_exact", exact);
		}
	}
	return o;
}

/* A variant's lines: one per day its records named (the day's total
 * cells partition its tallies: records without a day are the "" day),
 * so that tallies merged and tracked keep their days. */
static enum brain_status print_variant_tally(const struct ab_set *s, const struct ab_variant *v)
{
	enum brain_status status = BRAIN_OK;
	struct ab_tally whole;
	size_t days = 0;

	for (size_t j = 0; j < v->ncells && !status; j++)
		if (!v->cells[j].dim) {
			status = output_print_free(tally_line(s, v, &v->cells[j].t,
							      v->cells[j].day));
			days++;
		}
	if (days || status)
		return status;
	ab_variant_tally(v, &whole);
	return output_print_free(tally_line(s, v, &whole, NULL));
}

static const struct text_form tally_form = {
	NULL,
	(const struct text_field[]){ { "variant", "variant" }, { "kind", "kind" },
				     { "day", "day" }, { "trials", "trials" },
				     { "conversions", "conversions" }, { "value", "value" },
				     { "guardrails", "*" }, { NULL, NULL } },
	1, (const char *const[]){ "value_sumsq", "value_exact", "value_sumsq_exact", NULL }
};

enum brain_status ab_cmd_tally(const struct cli *cli, struct ab_args *a, int argc,
			       char **paths)
{
	struct ab_set s;
	enum brain_status status = fold_stateless(cli, a, argc, paths, &s), bad = BRAIN_OK;

	render_form(&tally_form);
	if (status == BRAIN_DATA && cli->skip_invalid) {
		bad = status;
		status = BRAIN_OK;
	}
	for (size_t i = 0; i < s.n && !status; i++)
		status = print_variant_tally(&s, &s.v[i]);
	ab_set_free(&s);
	return status ? status : bad;
}

/* --weights=W,W,... in the order variants first appear. */
static enum brain_status apply_weights(struct ab_set *s, const char *text)
{
	const char *p = text;

	for (size_t i = 0; i < s->n; i++) {
		char *end;
		double w;

		errno = 0;
		w = strtod(p, &end);
		if (end == p || errno || !(w > 0) || !isfinite(w) || (*end && *end != ','))
			return diag_error(BRAIN_USAGE, "--weights needs one positive number per "
					  "variant, separated by commas");
		s->v[i].weight = w;
		p = *end ? end + 1 : end;
		if (!*end && i + 1 < s->n)
			return diag_error(BRAIN_USAGE, "--weights has fewer weights than the %zu "
					  "variants", s->n);
	}
	if (*p)
		return diag_error(BRAIN_USAGE, "--weights has more weights than the %zu variants",
				  s->n);
	return BRAIN_OK;
}

enum brain_status ab_cmd_analyze(const struct cli *cli, struct ab_args *a, int argc,
				 char **paths)
{
	struct ab_set s;
	enum brain_status status;

	enum brain_status bad = BRAIN_OK;

	if ((status = resolve_options(a, -1, NULL)))
		return status;
	status = fold_stateless(cli, a, argc, paths, &s);
	if (status == BRAIN_DATA && cli->skip_invalid) {
		/* As tally: analyse the valid records, and still exit 3. */
		bad = status;
		status = BRAIN_OK;
	}
	if (!status && a->weights)
		status = apply_weights(&s, a->weights);
	if (!status) {
		/* The filter of report (--kind) applies to lines, not to the
		 * kind given to records without one. */
		const char *kind = a->kind, *since = a->since, *until = a->until;

		/* The window was applied as the records were folded. */
		a->kind = NULL;
		a->since = a->until = NULL;
		status = emit_report(cli, &s, a);
		a->kind = kind;
		a->since = since;
		a->until = until;
	}
	ab_set_free(&s);
	return status ? status : bad;
}

/* One line (or row) per variant of s. */
static enum brain_status list_variants(struct output *out, const struct ab_set *s)
{
	enum brain_status status = BRAIN_OK;

	for (size_t j = 0; j < s->n && !status; j++) {
		const struct ab_variant *v = &s->v[j];
		char tr[32], cv[32];
		cJSON *o = cJSON_CreateObject();

		snprintf(tr, sizeof(tr), "%.0f", v->trials);
		snprintf(cv, sizeof(cv), "%.0f", v->conversions);
		cJSON_AddStringToObject(o, "experiment", s->experiment);
		cJSON_AddStringToObject(o, "variant_id", v->id);
		cJSON_AddStringToObject(o, "variant_name", v->name);
		cJSON_AddStringToObject(o, "kind", v->kind);
		cJSON_AddBoolToObject(o, "control", v->control);
		cJSON_AddNumberToObject(o, "weight", v->weight);
		cJSON_AddNumberToObject(o, "trials", v->trials);
		cJSON_AddNumberToObject(o, "conversions", v->conversions);
		cJSON_AddNumberToObject(o, "duplicates", v->duplicates);
		cJSON_AddNumberToObject(o, "multi_exposed", v->multi_exposed);
		status = output_record(out, o, (const char *[]){ s->experiment, v->name, v->kind,
								 v->control ? "yes" : "", tr, cv });
		cJSON_Delete(o);
	}
	return status;
}

enum brain_status ab_cmd_list(const struct cli *cli, struct ab_args *a)
{
	struct state st;
	enum brain_status status;
	struct output out;
	char **names = NULL;
	size_t n = 0;

	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	if ((status = ab_store_list(&st, &names, &n))) {
		state_close(&st);
		return status;
	}
	output_begin(&out, cli, 6, (const char *[]){ "EXPERIMENT", "VARIANT", "KIND", "CONTROL",
						    "TRIALS", "CONVERSIONS" });
	for (size_t i = 0; i < n && !status; i++) {
		struct ab_set s;
		int exists;

		if ((status = ab_load(&st, names[i], &s, &exists)))
			break;
		if (!a->experiment_given || !strcmp(a->experiment, s.experiment) ||
		    !strcmp(a->experiment, names[i]))
			status = list_variants(&out, &s);
		ab_set_free(&s);
	}
	if (!status)
		status = output_end(&out);
	else
		output_end(&out);
	state_names_free(names, n);
	state_close(&st);
	return status;
}

static const struct text_form reset_form = {
	"Experiment {experiment}: removed with its tallies, batches, ids and units",
	(const struct text_field[]){ { "done (not a dry run)", "reset" }, { NULL, NULL } },
	0, NULL
};

enum brain_status ab_cmd_reset(const struct cli *cli, struct ab_args *a)
{
	struct state st;
	struct ab_set s;
	enum brain_status status;
	cJSON *details;
	int exists;

	if (!a->experiment_given)
		return diag_error(BRAIN_USAGE, "'reset' needs --experiment=NAME, spelled out");
	status = command_open_state(cli, &st);
	if (status)
		return status;
	if ((status = ab_load(&st, a->experiment, &s, &exists)))
		goto out;
	if (!exists) {
		status = diag_error(BRAIN_DATA, "no experiment '%s'", a->experiment);
		ab_set_free(&s);
		goto out;
	}
	if (!cli->dry_run) {
		details = cJSON_CreateObject();
		cJSON_AddStringToObject(details, "experiment", s.experiment);
		cJSON_AddNumberToObject(details, "variants", (double)s.n);
		cJSON_AddNumberToObject(details, "events", s.events);
		struct audit_event ev = { s.experiment_id, "ab.reset", "SUCCESS", details,
					  cli->reason, NULL };
		struct audit_ack ack;
		struct change c;

		change_init(&c, &st);
		change_remove(&c, "ab", s.experiment_id);
		status = change_commit(&c, NULL, &ev, 1, &ack);
		cJSON_Delete(details);
	}
	if (!status) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "experiment", s.experiment);
		cJSON_AddBoolToObject(o, "reset", !cli->dry_run);
		render_form(&reset_form);
		status = output_print_free(o);
	}
	ab_set_free(&s);
out:
	state_close(&st);
	return status;
}

/* The shard of one event line: by its unit, else its id, else its
 * bytes; the first 32 bits of SHA-256, modulo shards. */
static size_t shard_of(const cJSON *rec, const char *line, size_t len, size_t shards)
{
	const char *key = json_string(rec, "unit");
	unsigned char b[4];
	char hex[65];

	if (!key)
		key = json_string(rec, "id");
	if (key)
		hash_sha256_hex(key, strlen(key), hex);
	else
		hash_sha256_hex(line, len, hex);
	hash_unhex(hex, sizeof(b), b);
	return (size_t)(((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 |
			 b[3]) % shards);
}

struct shard_files {
	FILE **fp;
	char **tmp, **name;
	size_t n;
};

/* Close the shards; with status BRAIN_OK put them in place (all or
 * nothing: each appears by rename once every one is written), else
 * remove them.  The status of it all. */
static enum brain_status shards_close(struct shard_files *sf, enum brain_status status)
{
	for (size_t i = 0; i < sf->n; i++) {
		if (sf->fp[i] && fclose(sf->fp[i]) != 0 && !status)
			status = diag_errno(BRAIN_IO, errno, "cannot write '%s'", sf->name[i]);
		sf->fp[i] = NULL;
	}
	for (size_t i = 0; i < sf->n; i++) {
		if (!status && sf->tmp[i] && rename(sf->tmp[i], sf->name[i]) != 0)
			status = diag_errno(BRAIN_IO, errno, "cannot rename to '%s'", sf->name[i]);
		if (status && sf->tmp[i])
			unlink(sf->tmp[i]);
		free(sf->tmp[i]);
		free(sf->name[i]);
	}
	free(sf->fp);
	free(sf->tmp);
	free(sf->name);
	return status;
}

static enum brain_status shards_open(struct shard_files *sf, const char *prefix, size_t n)
{
	sf->n = n;
	sf->fp = xcalloc(n, sizeof(*sf->fp));
	sf->tmp = xcalloc(n, sizeof(*sf->tmp));
	sf->name = xcalloc(n, sizeof(*sf->name));
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(prefix) + 48;

		sf->name[i] = xmalloc(len);
		sf->tmp[i] = xmalloc(len);
		snprintf(sf->name[i], len, "%s%zu", prefix, i);
		snprintf(sf->tmp[i], len, "%s%zu.tmp.%ld", prefix, i, (long)getpid());
		if (!(sf->fp[i] = fopen(sf->tmp[i], "w")))
			return diag_errno(BRAIN_IO, errno, "cannot create '%s'", sf->tmp[i]);
	}
	return BRAIN_OK;
}

/* Copy each line of path (stdin for NULL or "-") to its shard. */
static enum brain_status partition_input(const struct cli *cli, const char *path,
				       struct shard_files *sf)
{
	struct jsonl_reader r;
	enum brain_status status = jsonl_open(&r, path, 0);
	const char *line;
	size_t len;
	int rc;

	if (!status)
		jsonl_csv(&r, cli->input, csv_column);

	while (!status && (rc = jsonl_next_line(&r, &line, &len)) != JSONL_EOF) {
		struct json_loc loc = jsonl_where(&r);
		cJSON *rec;

		if (rc) {
			status = rc;
		} else if (!json_blank(line, len) &&
			   !(status = json_parse_line(line, len, &loc, &rec))) {
			FILE *fp = sf->fp[shard_of(rec, line, len, sf->n)];

			if (fwrite(line, 1, len, fp) != len || putc('\n', fp) == EOF)
				status = diag_errno(BRAIN_IO, errno, "cannot write a shard");
			cJSON_Delete(rec);
		}
	}
	jsonl_close(&r);
	return status;
}

enum brain_status ab_cmd_partition(const struct cli *cli, struct ab_args *a, int argc,
				   char **paths)
{
	struct shard_files sf = { 0 };
	enum brain_status status;

	(void)cli;
	if (a->shards <= 0)
		return diag_error(BRAIN_USAGE, "'partition' needs --shards=N");
	if (a->by && strcmp(a->by, "unit"))
		return diag_error(BRAIN_USAGE, "--by: only 'unit' (events of one unit stay "
				  "together)");
	status = shards_open(&sf, a->prefix ? a->prefix : "part.", (size_t)a->shards);
	for (int i = 0; !status && i < (argc ? argc : 1); i++)
		status = partition_input(cli, argc ? paths[i] : NULL, &sf);
	return shards_close(&sf, status);
}
