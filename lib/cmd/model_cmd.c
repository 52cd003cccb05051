/* model_cmd.c - brain-model's commands; see model_cmd.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/audit.h"
#include "core/clock.h"
#include "core/change.h"
#include "cmd/command.h"
#include "cmd/render.h"
#include "diag.h"
#include "core/file.h"
#include "pure/ident.h"
#include "pure/json.h"
#include "core/jsonl.h"
#include "cmd/model_cmd.h"
#include "cmd/model_open.h"
#include "cmd/model_registry.h"
#include "cmd/model_rollout.h"
#include "core/model_store.h"
#include "cmd/table.h"
#include "banned.h"

static const char *const strategy_names[] = { "incremental", "shadow", "canary", "full" };

/* The model id of a model name, model id or version id. */
static enum brain_status model_id_of(const char *text, char id[IDENT_MAX + 1], long *number)
{
	return model_store_id_of(text, id, number);
}

/* Store an artifact by content: copy to a temporary in models/objects,
 * hashing as it goes, then rename it to its hash (or drop it when that
 * content is already there). */
static enum brain_status store_artifact(struct state *st, const char *path, char hex[65],
					double *size)
{
	struct file_replace fr;
	enum brain_status status;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[32], buf[65536];
	unsigned int mdlen;
	int in, objfd;
	ssize_t n;

	*size = 0;
	if (!ctx)
		diag_oom();
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		EVP_MD_CTX_free(ctx);
		return diag_errno(BRAIN_DATA, errno, "cannot read artifact '%s'", path);
	}
	if ((status = state_subdir(st, "models", 1, &objfd))) {
		close(in);
		EVP_MD_CTX_free(ctx);
		return status;
	}
	close(objfd);
	{
		int mfd;

		if ((status = state_subdir(st, "models", 0, &mfd)))
			goto out_in;
		if (mkdirat(mfd, "objects", 0700) != 0 && errno != EEXIST) {
			close(mfd);
			status = diag_errno(BRAIN_IO, errno, "cannot create models/objects");
			goto out_in;
		}
		objfd = openat(mfd, "objects", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		close(mfd);
		if (objfd < 0) {
			status = diag_errno(BRAIN_STATE, errno, "cannot open models/objects");
			goto out_in;
		}
	}
	if ((status = file_replace_begin(&fr, objfd, "incoming")))
		goto out_obj;
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		EVP_DigestUpdate(ctx, buf, (size_t)n);
		fwrite(buf, 1, (size_t)n, fr.fp);
		*size += (double)n;
	}
	if (n < 0) {
		status = diag_errno(BRAIN_DATA, errno, "cannot read artifact '%s'", path);
		file_replace_abort(&fr);
		goto out_obj;
	}
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	hash_hex(md, 32, hex);
	if (faccessat(objfd, hex, F_OK, 0) == 0) {
		file_replace_abort(&fr); /* the same bytes are stored already */
		goto out_obj;
	}
	fchmod(fileno(fr.fp), 0400);
	free(fr.name);
	fr.name = xstrdup(hex);
	status = file_replace_commit(&fr);
out_obj:
	close(objfd);
out_in:
	close(in);
	EVP_MD_CTX_free(ctx);
	return status;
}

static enum brain_status parse_metrics(const struct model_args *a, cJSON **out)
{
	cJSON *o = cJSON_CreateObject();

	for (size_t i = 0; i < a->nmetrics; i++) {
		const char *eq = strchr(a->metrics[i], '=');
		char key[128], *end;
		double v;

		if (!eq || eq == a->metrics[i] || (size_t)(eq - a->metrics[i]) >= sizeof(key)) {
			cJSON_Delete(o);
			return diag_error(BRAIN_USAGE, "--metric needs NAME=VALUE, not '%s'", a->metrics[i]);
		}
		snprintf(key, sizeof(key), "%.*s", (int)(eq - a->metrics[i]), a->metrics[i]);
		errno = 0;
		v = strtod(eq + 1, &end);
		cJSON_DeleteItemFromObjectCaseSensitive(o, key);
		if (end != eq + 1 && !*end && !errno && isfinite(v))
			cJSON_AddNumberToObject(o, key, v);
		else
			cJSON_AddStringToObject(o, key, eq + 1);
	}
	*out = o;
	return BRAIN_OK;
}

/* A new version from the arguments (artifact stored, metrics parsed). */
static enum brain_status new_version(const struct cli *cli, struct state *st, struct model *m,
				     const struct model_args *a, const char *strategy,
				     const char *now, struct version **out)
{
	enum brain_status status;
	struct version *v;
	cJSON *metrics = NULL, *links = NULL;
	char hex[65] = "";
	double size = 0;

	if ((status = model_registry_check_notes(a->description, a->tags, a->ntags, 0)) ||
	    (status = parse_metrics(a, &metrics)))
		return status;
	/* The lineage is checked before anything is stored. */
	if ((status = model_registry_link(cli, st, m->id, a->trained_on, a->ntrained, &links)) ||
	    (a->artifact && (status = store_artifact(st, a->artifact, hex, &size)))) {
		cJSON_Delete(metrics);
		cJSON_Delete(links);
		return status;
	}
	v = model_store_add_version(m);
	v->trained_on = links;
	model_registry_annotate(v, a->description, a->tags, a->ntags, 0); /* checked above */
	v->number = (long)m->n;
	snprintf(v->id, sizeof(v->id), "%s@%ld", m->id, v->number);
	v->has_accuracy = a->has_accuracy;
	v->accuracy = a->accuracy;
	v->metrics = metrics;
	snprintf(v->artifact, sizeof(v->artifact), "%s", hex);
	v->artifact_size = size;
	snprintf(v->state, sizeof(v->state), "candidate");
	snprintf(v->strategy, sizeof(v->strategy), "%s", strategy);
	snprintf(v->created, sizeof(v->created), "%s", now);
	*out = v;
	return BRAIN_OK;
}

static enum brain_status now_text(char out[TIME_TEXT_SIZE])
{
	time_t t;
	enum brain_status status = clock_now(&t);

	if (!status)
		time_text_format(t, out);
	return status;
}

/* The end of every command that changes a model: save it with its audit
 * record when it changed (and this is not a dry run), close the state,
 * print the line.  Takes the line, the model and the state. */
static enum brain_status conclude(const struct cli *cli, struct state *st, struct model *m,
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

static const struct text_form create_form = {
	"Model {name} ({model_id}) created",
	(const struct text_field[]){ { "version", "version_id" }, { "serving", "serving" },
				     { NULL, NULL } },
	0, NULL
};

enum brain_status model_cmd_create(const struct cli *cli, const struct model_args *a,
				   const char *name)
{
	struct state st;
	struct model m;
	struct version *v;
	enum brain_status status;
	char now[TIME_TEXT_SIZE], id[IDENT_MAX + 1];
	cJSON *line;

	render_form(&create_form);
	if ((status = ident_check_name(name, "model name")) || (status = ident_slug(name, id)) ||
	    (status = now_text(now)))
		return status;
	if ((status = command_open_state(cli, &st)))
		return status;
	status = model_store_load(&st, id, &m, 1);
	if (status == BRAIN_OK) {
		model_store_free(&m);
		state_close(&st);
		return diag_error(BRAIN_DATA, "model '%s' exists already (id %s)", name, id);
	}
	if (status != BRAIN_NO) {
		state_close(&st);
		return status;
	}
	memset(&m, 0, sizeof(m));
	snprintf(m.id, sizeof(m.id), "%s", id);
	m.name = xstrdup(name);
	snprintf(m.created, sizeof(m.created), "%s", now);
	if (cli->dry_run) {
		/* Nothing is stored: not even the artifact. */
		struct model_args dry = *a;

		dry.artifact = NULL;
		status = new_version(cli, &st, &m, &dry, "create", now, &v);
	} else {
		status = new_version(cli, &st, &m, a, "create", now, &v);
	}
	if (!status && (a->has_accuracy || a->serve))
		model_store_serve(&m, v);
	line = cJSON_CreateObject();
	cJSON_AddStringToObject(line, "model_id", m.id);
	cJSON_AddStringToObject(line, "name", m.name);
	cJSON_AddNumberToObject(line, "version", 1);
	cJSON_AddStringToObject(line, "version_id", status ? "" : v->id);
	if (*m.serving)
		cJSON_AddStringToObject(line, "serving", m.serving);
	else
		cJSON_AddNullToObject(line, "serving");
	return conclude(cli, &st, &m, status, "model.create", 1, line);
}

static cJSON *update_line(const struct model *m, const char *action, const struct version *old,
			  const struct version *v, const char *strategy, const char *reason)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "model_id", m->id);
	cJSON_AddStringToObject(o, "action", action);
	if (old)
		cJSON_AddStringToObject(o, "old_version_id", old->id);
	else
		cJSON_AddNullToObject(o, "old_version_id");
	if (v)
		cJSON_AddStringToObject(o, "new_version_id", v->id);
	else
		cJSON_AddNullToObject(o, "new_version_id");
	if (old && old->has_accuracy)
		cJSON_AddNumberToObject(o, "old_accuracy", old->accuracy);
	if (v && v->has_accuracy)
		cJSON_AddNumberToObject(o, "new_accuracy", v->accuracy);
	if (*m->serving)
		cJSON_AddStringToObject(o, "serving_version_id", m->serving);
	else
		cJSON_AddNullToObject(o, "serving_version_id");
	cJSON_AddStringToObject(o, "strategy", strategy);
	cJSON_AddStringToObject(o, "reason", reason);
	return o;
}

/* An update under way: what its steps share. */
struct update {
	const struct cli *cli;      /* the options: --reason */
	const struct model_args *a; /* --accuracy, --strategy and the rest */
	const char *strategy;       /* the name of a->strategy */
	struct model m;             /* the model, loaded; owned */
	struct version *v;          /* the version updated to, in m */
	double old_accuracy;        /* the accuracy of the version serving before... */
	int old_has_accuracy;       /* ...when it had one */
	const char *action;         /* what was done: UPDATED, REJECTED, SHADOWED or CANARY */
	char reason[256];           /* why, for the line */
};

/* 1 when text (a version id, or an alias of m) names the serving version;
 * with none serving, only "" does. */
static int serving_is(struct model *m, const char *text)
{
	const struct version *v = model_store_resolve(m, text);

	if (!strcmp(text, m->serving))
		return 1;
	return v && !strcmp(v->id, m->serving);
}

/* Someone else changed the serving version since the caller looked: say
 * so, change nothing, and fail.  Closes the state, frees the model. */
static enum brain_status update_conflict(struct update *u, struct state *st,
					 const struct version *old)
{
	enum brain_status status;
	cJSON *line;

	snprintf(u->reason, sizeof(u->reason), "expected '%s' serving, but '%s' is",
		 u->a->expect_serving, *u->m.serving ? u->m.serving : "none");
	line = update_line(&u->m, "CONFLICT", old, NULL, u->strategy, u->reason);
	state_close(st);
	render_form(&model_change_form);
	status = output_print_free(line);
	model_store_free(&u->m);
	return status ? status : BRAIN_NO;
}

/* An update of an existing version acts on it as it was recorded: its
 * accuracy and lineage never change, so an --accuracy that differs, or
 * --trained-on, is refused rather than printed as if stored.  Its tags and
 * description are notes: they are set. */
static enum brain_status existing_version_check(struct update *u)
{
	const struct model_args *a = u->a;
	const struct version *v = u->v;

	if (a->ntrained)
		return diag_error(BRAIN_USAGE, "--trained-on is recorded when a version is made "
				  "(create, or update of a model), not on %s", v->id);
	if (a->has_accuracy && !v->has_accuracy)
		return diag_error(BRAIN_DATA, "%s was recorded without an accuracy, and a version's "
				  "accuracy never changes: leave out --accuracy", v->id);
	if (a->has_accuracy && a->accuracy != v->accuracy) {
		char stored[32];

		json_number_text(v->accuracy, stored);
		return diag_error(BRAIN_DATA, "%s was recorded with accuracy %s, and a version's "
				  "accuracy never changes: leave out --accuracy, or give %s",
				  v->id, stored, stored);
	}
	return model_registry_annotate(u->v, a->description, a->tags, a->ntags, 0);
}

/* The version to update to: the existing one target names (number
 * nonzero), else a new one from the arguments. */
static enum brain_status update_version(struct update *u, struct state *st, const char *target,
					long number, const char *now)
{
	if (number) {
		if (!(u->v = model_store_resolve(&u->m, target)))
			return diag_error(BRAIN_DATA, "unknown version '%s'", target);
		return existing_version_check(u);
	}
	if (u->a->strategy == MODEL_CANARY && *u->m.canary)
		return diag_error(BRAIN_NO, "a canary is running (%s): promote or abort it first",
				  u->m.canary);
	return new_version(u->cli, st, &u->m, u->a, u->strategy, now, &u->v);
}

/* The incremental rule, on the version's accuracy as stored: serve it when
 * it is not worse than the serving one's (minus the tolerance), else keep
 * it, rejected. */
static void apply_incremental(struct update *u)
{
	const struct version *v = u->v;
	double tolerance = u->a->tolerance;

	if (!u->old_has_accuracy || (v->has_accuracy && v->accuracy >= u->old_accuracy - tolerance)) {
		model_store_serve(&u->m, u->v);
		u->action = "UPDATED";
		if (u->old_has_accuracy)
			snprintf(u->reason, sizeof(u->reason),
				 "accuracy %g is not worse than %g (tolerance %g)",
				 v->accuracy, u->old_accuracy, tolerance);
		else
			snprintf(u->reason, sizeof(u->reason),
				 "no version with an accuracy was serving");
		return;
	}
	snprintf(u->v->state, sizeof(u->v->state), "rejected");
	u->action = "REJECTED";
	if (v->has_accuracy)
		snprintf(u->reason, sizeof(u->reason),
			 "accuracy %g is worse than the serving %g (tolerance %g): kept, not served",
			 v->accuracy, u->old_accuracy, tolerance);
	else
		snprintf(u->reason, sizeof(u->reason),
			 "no accuracy to compare with the serving %g: kept, not served",
			 u->old_accuracy);
}

/* Do what the strategy says with the version: serve it, reject it, keep
 * it in shadow or start it as the canary.  Sets the action and reason. */
static enum brain_status apply_strategy(struct update *u)
{
	const struct model_args *a = u->a;

	switch (a->strategy) {
	case MODEL_INCREMENTAL:
		apply_incremental(u);
		break;
	case MODEL_SHADOW:
		snprintf(u->v->state, sizeof(u->v->state), "shadow");
		u->action = "SHADOWED";
		snprintf(u->reason, sizeof(u->reason),
			 "recorded in shadow: never serves until promoted");
		break;
	case MODEL_CANARY:
		if (*u->m.canary && strcmp(u->m.canary, u->v->id))
			return diag_error(BRAIN_NO, "a canary is running (%s): promote or abort it "
					  "first", u->m.canary);
		u->action = "CANARY";
		return model_rollout_start(&u->m, u->v, a->steps, a->nsteps, a->canary_weight,
					   u->reason, sizeof(u->reason));
	case MODEL_FULL:
		model_store_serve(&u->m, u->v);
		u->action = "UPDATED";
		snprintf(u->reason, sizeof(u->reason), "full update: %s", u->cli->reason);
		break;
	}
	return BRAIN_OK;
}

/* The update's line: the accuracies as stored, nothing else. */
static cJSON *update_result(const struct update *u, const struct version *old)
{
	cJSON *line = update_line(&u->m, u->action, old, u->v, u->strategy, u->reason);

	if (u->a->strategy == MODEL_CANARY)
		model_rollout_update_fields(line, &u->m);
	return line;
}

enum brain_status model_cmd_update(const struct cli *cli, const struct model_args *a,
				   const char *target)
{
	struct update u;
	struct state st;
	struct version *old = NULL, old_copy;
	enum brain_status status;
	char now[TIME_TEXT_SIZE], id[IDENT_MAX + 1], old_id[VID_SIZE] = "";
	long number;

	if ((status = model_id_of(target, id, &number)))
		return status;
	if (!a->has_accuracy && !number)
		return diag_error(BRAIN_USAGE, "'update' of a model needs --accuracy=X");
	if (a->nsteps && a->strategy != MODEL_CANARY)
		return diag_error(BRAIN_USAGE, "--steps needs --strategy=canary");
	if (a->nsteps && a->has_canary_weight)
		return diag_error(BRAIN_USAGE, "--steps and --canary-weight do not go together: a "
				  "stepped canary starts at its first step");
	if (a->strategy == MODEL_FULL && (!cli->reason || !*cli->reason))
		return diag_error(BRAIN_USAGE, "--strategy=full serves whatever the accuracy: it "
				  "needs --reason=TEXT");
	if ((status = now_text(now)))
		return status;
	if ((status = command_open_state(cli, &st)))
		return status;
	memset(&u, 0, sizeof(u));
	u.cli = cli;
	u.a = a;
	u.strategy = strategy_names[a->strategy];
	if ((status = model_store_load(&st, id, &u.m, 0))) {
		state_close(&st);
		return status == BRAIN_NO ? BRAIN_DATA : status;
	}
	if (*u.m.serving) {
		old = model_store_find_version(&u.m, u.m.serving);
		snprintf(old_id, sizeof(old_id), "%s", u.m.serving);
		u.old_has_accuracy = old->has_accuracy;
		u.old_accuracy = old->accuracy;
	}
	/* Compare-and-set: act only on the serving version the caller saw. */
	if (a->expect_serving && !serving_is(&u.m, a->expect_serving))
		return update_conflict(&u, &st, old);
	if ((status = update_version(&u, &st, target, number, now)))
		goto out;
	old = *old_id ? model_store_find_version(&u.m, old_id) : NULL; /* the array may have moved */
	memset(&old_copy, 0, sizeof(old_copy));
	if (old)
		old_copy = *old;
	if ((status = apply_strategy(&u)))
		goto out;
	/* A rejected update is kept and said so: exit 0. */
	return conclude(cli, &st, &u.m, status, "model.update", 1,
			update_result(&u, old ? &old_copy : NULL));
out:
	state_close(&st);
	model_store_free(&u.m);
	return status;
}

enum brain_status model_cmd_promote(const struct cli *cli, const struct model_args *a,
				    const char *version_id)
{
	struct state st;
	struct model m;
	struct version *v, *old;
	enum brain_status status;
	char id[IDENT_MAX + 1], from[VID_SIZE];
	long number;
	cJSON *line;

	if ((status = model_id_of(version_id, id, &number)))
		return status;
	if (!number)
		return diag_error(BRAIN_USAGE, "'promote' needs a version id (MODEL@N)");
	if ((status = command_open_state(cli, &st)))
		return status;
	if ((status = model_store_load(&st, id, &m, 0))) {
		state_close(&st);
		return status == BRAIN_NO ? BRAIN_DATA : status;
	}
	v = model_store_resolve(&m, version_id);
	if (!v) {
		status = diag_error(BRAIN_DATA, "unknown version '%s'", version_id);
		goto out;
	}
	if (a->expect_serving && !serving_is(&m, a->expect_serving)) {
		status = diag_error(BRAIN_NO, "conflict: expected '%s' serving, but '%s' is",
				    a->expect_serving, *m.serving ? m.serving : "none");
		goto out;
	}
	snprintf(from, sizeof(from), "%s", m.serving);
	old = *from ? model_store_find_version(&m, from) : NULL;
	(void)old;
	model_store_serve(&m, v);
	line = cJSON_CreateObject();
	cJSON_AddStringToObject(line, "model_id", m.id);
	cJSON_AddStringToObject(line, "action", strcmp(from, v->id) ? "PROMOTED" : "NO_CHANGE");
	if (*from)
		cJSON_AddStringToObject(line, "from", from);
	else
		cJSON_AddNullToObject(line, "from");
	cJSON_AddStringToObject(line, "to", v->id);
	return conclude(cli, &st, &m, status, "model.promote", strcmp(from, v->id) != 0, line);
out:
	state_close(&st);
	model_store_free(&m);
	return status;
}

static enum brain_status load_for_write(const struct cli *cli, const char *text,
					struct state *st, struct model *m)
{
	long number;

	return model_open(cli, text, 1, st, m, &number);
}

enum brain_status model_cmd_abort(const struct cli *cli, const char *model)
{
	struct state st;
	struct model m;
	enum brain_status status;
	struct version *v;
	cJSON *line;

	if ((status = load_for_write(cli, model, &st, &m)))
		return status;
	if (!*m.canary) {
		status = diag_error(BRAIN_NO, "model '%s' has no canary running", m.id);
		goto out;
	}
	v = model_store_find_version(&m, m.canary);
	if (v)
		snprintf(v->state, sizeof(v->state), "aborted");
	line = cJSON_CreateObject();
	cJSON_AddStringToObject(line, "model_id", m.id);
	cJSON_AddStringToObject(line, "action", "ABORTED");
	cJSON_AddStringToObject(line, "canary", m.canary);
	if (*m.serving)
		cJSON_AddStringToObject(line, "serving_version_id", m.serving);
	else
		cJSON_AddNullToObject(line, "serving_version_id");
	model_store_end_canary(&m);
	return conclude(cli, &st, &m, status, "model.abort", 1, line);
out:
	state_close(&st);
	model_store_free(&m);
	return status;
}

enum brain_status model_cmd_rollback(const struct cli *cli, const struct model_args *a,
				     const char *model)
{
	struct state st;
	struct model m;
	struct version *to = NULL, *cur;
	enum brain_status status;
	char from[VID_SIZE], reason[200];
	const char *action = "ROLLED_BACK";
	cJSON *line;

	if ((status = load_for_write(cli, model, &st, &m)))
		return status;
	snprintf(from, sizeof(from), "%s", m.serving);
	if (a->to) {
		if (!(to = model_store_resolve(&m, a->to))) {
			status = diag_error(BRAIN_DATA, "unknown version '%s'", a->to);
			goto out;
		}
		snprintf(reason, sizeof(reason), "rolled back to %s as asked", to->id);
	} else {
		/* Walk back: the serving versions before, newest first. */
		while (m.nprev > 0 && !strcmp(m.previous[m.nprev - 1], m.serving))
			m.nprev--;
		if (m.nprev == 0) {
			line = cJSON_CreateObject();
			cJSON_AddStringToObject(line, "model_id", m.id);
			cJSON_AddStringToObject(line, "action", "NO_ROLLBACK");
			cJSON_AddStringToObject(line, "from", from);
			cJSON_AddNullToObject(line, "to");
			cJSON_AddStringToObject(line, "reason", "no earlier serving version to go back to");
			state_close(&st);
			render_form(&model_change_form);
			status = output_print_free(line);
			model_store_free(&m);
			return status ? status : BRAIN_NO;
		}
		to = model_store_find_version(&m, m.previous[--m.nprev]);
		if (!to) {
			status = diag_error(BRAIN_STATE, "models/%s: rollback stack names a missing "
					    "version", m.id);
			goto out;
		}
		snprintf(reason, sizeof(reason), "back to the version that served before %s", from);
	}
	if (!strcmp(to->id, from)) {
		action = "NO_CHANGE";
		snprintf(reason, sizeof(reason), "%s is already serving", from);
	} else {
		cur = *from ? model_store_find_version(&m, from) : NULL;
		if (cur)
			snprintf(cur->state, sizeof(cur->state), "candidate");
		snprintf(m.serving, sizeof(m.serving), "%s", to->id);
		snprintf(to->state, sizeof(to->state), "serving");
		if (!strcmp(m.canary, to->id))
			model_store_end_canary(&m);
	}
	line = cJSON_CreateObject();
	cJSON_AddStringToObject(line, "model_id", m.id);
	cJSON_AddStringToObject(line, "action", action);
	if (*from)
		cJSON_AddStringToObject(line, "from", from);
	else
		cJSON_AddNullToObject(line, "from");
	cJSON_AddStringToObject(line, "to", to->id);
	cJSON_AddStringToObject(line, "reason", reason);
	return conclude(cli, &st, &m, status, "model.rollback", strcmp(action, "NO_CHANGE") != 0,
			line);
out:
	state_close(&st);
	model_store_free(&m);
	return status;
}

static enum brain_status load_for_read(const struct cli *cli, const char *text,
				       struct state *st, struct model *m, long *number)
{
	return model_open(cli, text, 0, st, m, number);
}

/* The aliases of version id, comma-separated, or "-" (caller frees). */
static char *aliases_text(const struct model *m, const char *id)
{
	cJSON *names = model_store_aliases_of(m, id), *n;
	size_t len = 2, used = 0;
	char *text;

	cJSON_ArrayForEach(n, names) {
		len += strlen(n->valuestring) + 1;
	}
	text = xmalloc(len);
	snprintf(text, len, "-");
	cJSON_ArrayForEach(n, names) {
		used += (size_t)snprintf(text + used, len - used, "%s%s", used ? "," : "",
					 n->valuestring);
	}
	cJSON_Delete(names);
	return text;
}

enum brain_status model_cmd_show(const struct cli *cli, const char *model)
{
	struct state st;
	struct model m;
	long number;
	enum brain_status status = load_for_read(cli, model, &st, &m, &number);

	if (status)
		return status;
	state_close(&st);
	if (cli->format == CLI_FORMAT_TEXT) {
		/* MADE BY is how the version was made (create, or the strategy of
		 * the update that made it); STATE and ALIASES are what it is now. */
		struct table *t = table_new(7, (const char *[]){ "VERSION", "STATE", "ALIASES",
								 "ACCURACY", "MADE BY", "ARTIFACT",
								 "CREATED" });

		printf("%s (%s): serving %s", m.name, m.id, *m.serving ? m.serving : "none");
		model_rollout_print_canary(&m, stdout);
		putchar('\n');
		for (size_t i = 0; i < m.n; i++) {
			char acc[32], art[16], *aliases;

			if (m.v[i].has_accuracy)
				snprintf(acc, sizeof(acc), "%.4f", m.v[i].accuracy);
			else
				snprintf(acc, sizeof(acc), "-");
			snprintf(art, sizeof(art), "%.12s", *m.v[i].artifact ? m.v[i].artifact : "-");
			aliases = aliases_text(&m, m.v[i].id);
			table_add(t, (const char *[]){ m.v[i].id, m.v[i].state, aliases, acc,
						       m.v[i].strategy, art, m.v[i].created });
			free(aliases);
		}
		table_print(t, stdout);
		table_free(t);
		model_registry_print_notes(&m, stdout);
	} else {
		status = output_print_free(model_store_json(&m));
	}
	model_store_free(&m);
	return status;
}

/* The version a record of the trail acted on: the one made (create,
 * update), the canary aborted, the one promoted or rolled back to, the
 * one aliased or tagged; null for a record that names none. */
static void history_version(cJSON *o, const cJSON *d)
{
	static const char *const fields[] = { "version_id", "new_version_id", "canary", "to" };
	const char *v = NULL;

	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields) && !v; i++)
		v = json_string(d, fields[i]);
	if (v && *v)
		cJSON_AddStringToObject(o, "version_id", v);
	else
		cJSON_AddNullToObject(o, "version_id");
}

static int history_line(void *arg, const cJSON *line, const cJSON *rec, uint64_t seq)
{
	const struct model *m = arg;
	const char *subject = json_string(rec, "subject"), *action = json_string(rec, "action");
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "details");
	const char *from, *to;
	cJSON *o;

	if (!subject || !action || strcmp(subject, m->id) || strncmp(action, "model.", 6))
		return 0;
	from = json_string(d, "from") ? json_string(d, "from") : json_string(d, "old_version_id")
	       ? json_string(d, "old_version_id") : json_string(d, "canary");
	to = json_string(d, "to") ? json_string(d, "to") : json_string(d, "serving_version_id") ? json_string(d, "serving_version_id")
									 : json_string(d, "serving");
	if (!strcmp(action, "model.alias"))
		to = json_string(d, "to");
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "seq", (double)seq);
	cJSON_AddStringToObject(o, "ts", json_string_or_empty(line, "ts"));
	cJSON_AddStringToObject(o, "actor", json_string_or_empty(rec, "actor"));
	cJSON_AddStringToObject(o, "event", action + 6);
	cJSON_AddStringToObject(o, "action", json_string(d, "action") ? json_string(d, "action") : "CREATED");
	if (from)
		cJSON_AddStringToObject(o, "from", from);
	else
		cJSON_AddNullToObject(o, "from");
	if (to)
		cJSON_AddStringToObject(o, "to", to);
	else
		cJSON_AddNullToObject(o, "to");
	history_version(o, d);
	if (json_string(d, "alias"))
		cJSON_AddStringToObject(o, "alias", json_string(d, "alias"));
	if (json_string(rec, "reason"))
		cJSON_AddStringToObject(o, "reason", json_string(rec, "reason"));
	else if (json_string(d, "reason"))
		cJSON_AddStringToObject(o, "reason", json_string(d, "reason"));
	model_rollout_history_fields(o, d);
	return output_print_free(o) != BRAIN_OK;
}

static const struct text_form history_form = {
	NULL,
	(const struct text_field[]){ { "seq", "seq" }, { "time", "ts" }, { "by", "actor" },
				     { "action", "action" }, { "version", "version_id" },
				     { "from", "from" }, { "to", "to" }, { "reason", "reason" },
				     { NULL, NULL } },
	1, NULL
};

enum brain_status model_cmd_history(const struct cli *cli, const char *model)
{
	struct state st;
	struct model m;
	enum brain_status status;
	long number;

	render_form(&history_form);
	if ((status = load_for_read(cli, model, &st, &m, &number)))
		return status;
	status = audit_each(st.dirfd, history_line, &m);
	if (status == BRAIN_NO)
		status = BRAIN_OK;
	state_close(&st);
	model_store_free(&m);
	return status;
}

enum brain_status model_cmd_list(const struct cli *cli)
{
	struct state st;
	enum brain_status status;
	char **names;
	size_t n;

	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	if ((status = model_store_list(&st, &names, &n))) {
		state_close(&st);
		return status;
	}
	for (size_t i = 0; i < n && !status; i++) {
		struct model m;
		cJSON *o;

		if ((status = model_store_load(&st, names[i], &m, 1)) == BRAIN_NO) {
			status = BRAIN_OK;
			continue;
		}
		if (status)
			break;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "model_id", m.id);
		cJSON_AddStringToObject(o, "name", m.name);
		cJSON_AddNumberToObject(o, "versions", (double)m.n);
		if (*m.serving)
			cJSON_AddStringToObject(o, "serving", m.serving);
		else
			cJSON_AddNullToObject(o, "serving");
		if (*m.canary)
			cJSON_AddStringToObject(o, "canary", m.canary);
		if (m.aliases && m.aliases->child)
			cJSON_AddItemToObject(o, "aliases", cJSON_Duplicate(m.aliases, 1));
		if (cli->format == CLI_FORMAT_TEXT)
			printf("%-24s %-32s serving %s\n", m.id, m.name, *m.serving ? m.serving : "none");
		else
			status = jsonl_write(stdout, o);
		cJSON_Delete(o);
		model_store_free(&m);
	}
	state_names_free(names, n);
	state_close(&st);
	return status;
}

enum brain_status model_cmd_artifact(const struct cli *cli, const char *version_id)
{
	struct state st;
	struct model m;
	struct version *v;
	long number;
	enum brain_status status = load_for_read(cli, version_id, &st, &m, &number);
	unsigned char buf[65536];
	ssize_t n;
	int fd;

	if (status)
		return status;
	v = number ? model_store_resolve(&m, version_id) : *m.serving ? model_store_find_version(&m, m.serving) : NULL;
	if (!v)
		status = diag_error(BRAIN_DATA, "no version '%s'", version_id);
	else if (!*v->artifact)
		status = diag_error(BRAIN_DATA, "version '%s' has no artifact", v->id);
	else if (!(status = model_store_open_artifact(st.dirfd, v->artifact, &fd))) {
		/* Checked whole before the first byte goes out. */
		lseek(fd, 0, SEEK_SET);
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			fwrite(buf, 1, (size_t)n, stdout);
		close(fd);
	}
	state_close(&st);
	model_store_free(&m);
	return status;
}

/* compare --format=text: a row per metric, the two versions' values and
 * the change from the first to the second. */
static void print_compare_text(const cJSON *o)
{
	const char *a = json_string(o, "a"), *b = json_string(o, "b");
	struct table *t = table_new(4, (const char *[]){ "METRIC", a, b, "CHANGE" });
	const cJSON *m;

	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(o, "metrics")) {
		const cJSON *x = cJSON_GetArrayItem(m, 0), *y = cJSON_GetArrayItem(m, 1);
		char *xs = text_form_value(x), *ys = text_form_value(y), change[64] = "-";

		if (cJSON_IsNumber(x) && cJSON_IsNumber(y))
			snprintf(change, sizeof(change), "%+.4f", y->valuedouble - x->valuedouble);
		table_add(t, (const char *[]){ m->string, xs, ys, change });
		free(xs);
		free(ys);
	}
	table_print(t, stdout);
	table_free(t);
}

enum brain_status model_cmd_compare(const struct cli *cli, const char *a, const char *b)
{
	struct state st;
	struct model ma, mb;
	struct version *va, *vb;
	enum brain_status status;
	long na, nb;
	cJSON *o, *keys;

	if ((status = load_for_read(cli, a, &st, &ma, &na)))
		return status;
	state_close(&st);
	if ((status = load_for_read(cli, b, &st, &mb, &nb))) {
		model_store_free(&ma);
		return status;
	}
	state_close(&st);
	va = model_store_resolve(&ma, a);
	vb = model_store_resolve(&mb, b);
	if (!va || !vb) {
		status = diag_error(BRAIN_DATA, "'compare' needs two version ids (MODEL@N)");
		goto out;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "a", va->id);
	cJSON_AddStringToObject(o, "b", vb->id);
	keys = cJSON_CreateObject();
	if (va->has_accuracy || vb->has_accuracy) {
		cJSON *pair = cJSON_CreateArray();

		cJSON_AddItemToArray(pair, va->has_accuracy ? cJSON_CreateNumber(va->accuracy)
							    : cJSON_CreateNull());
		cJSON_AddItemToArray(pair, vb->has_accuracy ? cJSON_CreateNumber(vb->accuracy)
							    : cJSON_CreateNull());
		cJSON_AddItemToObject(keys, "accuracy", pair);
	}
	for (int side = 0; side < 2; side++) {
		const cJSON *m, *from = side ? vb->metrics : va->metrics;

		cJSON_ArrayForEach(m, from) {
			if (cJSON_HasObjectItem(keys, m->string))
				continue;
			cJSON *pair = cJSON_CreateArray();
			const cJSON *x = cJSON_GetObjectItemCaseSensitive(va->metrics, m->string);
			const cJSON *y = cJSON_GetObjectItemCaseSensitive(vb->metrics, m->string);

			cJSON_AddItemToArray(pair, x ? cJSON_Duplicate(x, 0) : cJSON_CreateNull());
			cJSON_AddItemToArray(pair, y ? cJSON_Duplicate(y, 0) : cJSON_CreateNull());
			cJSON_AddItemToObject(keys, m->string, pair);
		}
	}
	cJSON_AddItemToObject(o, "metrics", keys);
	if (cli->format == CLI_FORMAT_TEXT) {
		print_compare_text(o);
		cJSON_Delete(o);
	} else {
		status = output_print_free(o);
	}
out:
	model_store_free(&ma);
	model_store_free(&mb);
	return status;
}

