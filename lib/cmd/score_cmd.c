/* score_cmd.c - brain-score's commands; see score_cmd.h. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/command.h"
#include "cmd/render.h"
#include "cmd/score_cmd.h"
#include "core/audit.h"
#include "core/clock.h"
#include "core/clone_store.h"
#include "core/change.h"
#include "core/config.h"
#include "core/jsonl.h"
#include "diag.h"
#include "pure/ident.h"
#include "banned.h"

/* The Wilson intervals of a runs-based score's components. */
static cJSON *intervals_json(const struct score_intervals *iv)
{
	cJSON *o = cJSON_CreateObject();
	char name[64];

	cJSON_AddNumberToObject(o, "level", iv->level);
	for (int i = 0; i < SCORE_N; i++) {
		if (!iv->has[i])
			continue;
		snprintf(name, sizeof(name), "%s_low", score_component_names[i]);
		cJSON_AddNumberToObject(o, name, iv->low[i]);
		snprintf(name, sizeof(name), "%s_high", score_component_names[i]);
		cJSON_AddNumberToObject(o, name, iv->high[i]);
	}
	return o;
}

/* The score line; iv, the intervals of a runs-based score, or NULL. */
static cJSON *score_line(const char *clone, const struct score_input *in,
			 const struct score_result *r, const struct score_intervals *iv)
{
	cJSON *o = cJSON_CreateObject(), *c = cJSON_CreateObject(), *f = cJSON_CreateArray();
	double low, high;

	cJSON_AddStringToObject(o, "clone", clone);
	if (r->has_readiness)
		cJSON_AddNumberToObject(o, "readiness_score", r->readiness);
	else
		cJSON_AddNullToObject(o, "readiness_score");
	if (iv && r->has_readiness && !score_readiness_range(in, iv, &low, &high)) {
		cJSON_AddNumberToObject(o, "readiness_low", low);
		cJSON_AddNumberToObject(o, "readiness_high", high);
	}
	cJSON_AddBoolToObject(o, "is_ready", r->ready);
	cJSON_AddNumberToObject(o, "threshold", in->threshold);
	for (int i = 0; i < SCORE_N; i++) {
		if (in->has[i])
			cJSON_AddNumberToObject(c, score_component_names[i], in->value[i]);
		else
			cJSON_AddNullToObject(c, score_component_names[i]);
		if (r->failing[i])
			cJSON_AddItemToArray(f, cJSON_CreateString(score_component_names[i]));
	}
	cJSON_AddItemToObject(o, "components", c);
	if (iv)
		cJSON_AddItemToObject(o, "intervals", intervals_json(iv));
	cJSON_AddItemToObject(o, "failing", f);
	cJSON_AddStringToObject(o, "reason", r->reason);
	return o;
}

static enum brain_status score_defaults(int dirfd, struct score_args *a)
{
	struct config *cfg;
	enum brain_status status = config_load(dirfd, &cfg);

	if (status)
		return status;
	if (!(a->given & SCORE_GIVEN_THRESHOLD))
		a->in.threshold = config_number(cfg, "score.threshold");
	if (!(a->given & SCORE_GIVEN_FLOOR))
		a->in.floor = config_number(cfg, "score.floor");
	config_free(cfg);
	return BRAIN_OK;
}

static enum brain_status read_runs(const char *path, struct score_input *in,
				   struct score_intervals *iv, cJSON *counts, cJSON **failures)
{
	struct jsonl_reader r;
	struct score_runs runs;
	enum brain_status status;
	int rc;
	cJSON *rec;

	if ((status = jsonl_open(&r, path, 0)))
		return status;
	score_runs_init(&runs);
	while ((rc = jsonl_next(&r, &rec)) != JSONL_EOF) {
		struct json_loc loc = jsonl_where(&r);

		if (rc == BRAIN_OK)
			rc = score_runs_add(&runs, rec, &loc);
		cJSON_Delete(rec);
		if (rc) {
			status = rc == BRAIN_IO ? BRAIN_IO : BRAIN_DATA;
			break;
		}
	}
	if (!status && runs.unperturbed + runs.perturbed == 0)
		status = diag_error(BRAIN_DATA, "%s: no runs", path ? path : "stdin");
	if (!status) {
		score_runs_finish(&runs, in, counts);
		score_runs_intervals(&runs, SCORE_LEVEL, iv);
		*failures = cJSON_Duplicate(runs.compliance_failures, 1);
	}
	score_runs_free(&runs);
	jsonl_close(&r);
	return status;
}


/* The readiness as people read it: the verdict and the score against the
 * threshold, each component (a failing one marked), and the reason. */
static void print_score_text(const cJSON *line)
{
	const cJSON *comps = cJSON_GetObjectItemCaseSensitive(line, "components"), *c, *f;
	const cJSON *failing = cJSON_GetObjectItemCaseSensitive(line, "failing");
	const cJSON *score = cJSON_GetObjectItemCaseSensitive(line, "readiness_score");
	const cJSON *threshold = cJSON_GetObjectItemCaseSensitive(line, "threshold");

	const cJSON *low = cJSON_GetObjectItemCaseSensitive(line, "readiness_low");
	const cJSON *high = cJSON_GetObjectItemCaseSensitive(line, "readiness_high");

	printf("%s: %s, readiness %.4g", json_string_or_empty(line, "clone"),
	       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(line, "is_ready")) ? "READY"
										 : "NOT READY",
	       cJSON_IsNumber(score) ? score->valuedouble : 0);
	if (cJSON_IsNumber(low) && cJSON_IsNumber(high))
		printf(" [%.4g, %.4g]", low->valuedouble, high->valuedouble);
	printf(" (threshold %.4g)\n", cJSON_IsNumber(threshold) ? threshold->valuedouble : 0);
	cJSON_ArrayForEach(c, comps) {
		int fails = 0;

		cJSON_ArrayForEach(f, failing)
			fails |= cJSON_IsString(f) && !strcmp(f->valuestring, c->string);
		printf("  %-12s %.4g%s\n", c->string, cJSON_IsNumber(c) ? c->valuedouble : 0,
		       fails ? "  below the floor" : "");
	}
	printf("  %s\n", json_string_or_empty(line, "reason"));
}

enum brain_status score_cmd(const struct cli *cli, struct score_args *a, const char *clone)
{
	struct state st;
	struct score_result r;
	struct score_intervals iv;
	enum brain_status status;
	char id[IDENT_MAX + 1], now[TIME_TEXT_SIZE];
	cJSON *line, *counts = NULL, *failures = NULL;
	time_t t;
	int opened = 0;

	if ((status = ident_from_name(clone, "clone name", id)) || (status = clock_now(&t)))
		return status;
	time_text_format(t, now);
	if (!cli->dry_run) {
		if ((status = change_begin(&st, cli->state_dir, cli->wait, NULL)))
			return status;
		opened = 1;
	}
	if ((status = score_defaults(opened ? st.dirfd : -1, a)))
		goto out;
	if (a->runs) {
		counts = cJSON_CreateObject();
		if ((status = read_runs(strcmp(a->runs, "-") ? a->runs : NULL, &a->in, &iv, counts,
					&failures)))
			goto out;
	}
	score_compute(&a->in, &r);
	line = score_line(id, &a->in, &r, a->runs ? &iv : NULL);
	if (counts) {
		cJSON_AddItemToObject(line, "counts", counts);
		cJSON_AddItemToObject(line, "compliance_failures", failures);
		counts = failures = NULL;
	}
	if (opened) {
		/* The stored record keeps the inputs: weights, floor, when. */
		cJSON *stored = cJSON_Duplicate(line, 1), *w = cJSON_CreateArray();
		struct audit_event ev = { id, "score.record", r.ready ? "READY" : "NOT_READY",
					  stored, cli->reason, NULL };

		for (int i = 0; i < SCORE_N; i++)
			cJSON_AddItemToArray(w, cJSON_CreateNumber(a->in.weight[i]));
		cJSON_AddItemToObject(stored, "weights", w);
		cJSON_AddNumberToObject(stored, "floor", a->in.floor);
		cJSON_AddStringToObject(stored, "ts", now);
		cJSON_AddStringToObject(stored, "inputs", a->runs ? "runs" : "components");
		status = clone_store_append_score(&st, id, stored, &ev);
		cJSON_Delete(stored);
		state_close(&st);
		opened = 0;
	}
	if (!status && cli->format == CLI_FORMAT_TEXT)
		print_score_text(line);
	else if (!status)
		status = jsonl_write(stdout, line);
	cJSON_Delete(line);
	if (!status && !r.ready)
		status = BRAIN_NO;
out:
	cJSON_Delete(counts);
	cJSON_Delete(failures);
	if (opened)
		state_close(&st);
	return status;
}

static enum brain_status print_score(void *arg, const cJSON *rec, const struct json_loc *loc)
{
	(void)arg;
	(void)loc;
	return jsonl_write(stdout, rec);
}

static const struct text_form history_form = {
	NULL,
	(const struct text_field[]){ { "time", "ts" }, { "readiness", "readiness_score" },
				     { "ready", "is_ready" }, { "threshold", "threshold" },
				     { "inputs", "inputs" },
				     { "failing", "failing" }, { "reason", "reason" },
				     { NULL, NULL } },
	1, NULL
};

enum brain_status score_cmd_history(const struct cli *cli, const char *clone)
{
	struct state st;
	enum brain_status status;
	char id[IDENT_MAX + 1];

	if ((status = ident_from_name(clone, "clone name", id)))
		return status;
	render_form(&history_form);
	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	status = clone_store_each_score(st.dirfd, id, print_score, NULL);
	if (status == BRAIN_NO)
		status = diag_error(BRAIN_DATA, "no scores for clone '%s'", id);
	state_close(&st);
	return status;
}
