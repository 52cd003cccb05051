/* ab_history.c - brain-ab history: each variant's tallies and its lift
 * against the control, day by day, cumulative to each day; see
 * ab_cmd.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cmd/ab_cmd.h"
#include "cmd/table.h"
#include "core/jsonl.h"
#include "diag.h"
#include "pure/ab.h"
#include "pure/ab_fold.h"
#include "banned.h"

/* The running tallies of one kind: each arm's cells are walked once, in
 * day order, so a history of D days costs one pass over the cells. */
struct running {
	const struct ab_set *s;
	struct ab_arm *arms;          /* the kind's, in canonical order */
	const struct ab_variant **v;  /* the variant of each arm */
	size_t *next;                 /* its first cell not yet added */
	struct ab_tally *day;         /* what the day being added brought */
	double *day_trials, *day_conversions;
	size_t n;
};

static void running_init(struct running *r, const struct ab_set *s, const char *kind)
{
	double undated, dated = 0;

	memset(r, 0, sizeof(*r));
	r->s = s;
	r->arms = ab_set_arms_in(s, kind, NULL, &r->n, &undated);
	undated = 0;
	r->v = xcalloc(r->n + 1, sizeof(*r->v));
	r->next = xcalloc(r->n + 1, sizeof(*r->next));
	r->day_trials = xcalloc(r->n + 1, sizeof(double));
	r->day_conversions = xcalloc(r->n + 1, sizeof(double));
	for (size_t i = 0; i < r->n; i++) {
		r->v[i] = &s->v[ab_set_find(s, r->arms[i].name)];
		r->arms[i].trials = r->arms[i].conversions = 0;
		r->arms[i].value_sum = r->arms[i].value_sumsq = 0;
		memset(r->arms[i].guard, 0, sizeof(r->arms[i].guard));
	}
	for (size_t i = 0; i < r->n; i++) {
		for (size_t j = 0; j < r->v[i]->ncells; j++)
			if (!r->v[i]->cells[j].dim)
				dated += r->v[i]->cells[j].t.trials;
		undated += r->v[i]->trials;
	}
	if (undated > dated)
		diag_warn("experiment '%s', kind '%s': %.0f trials were tracked without a day "
			  "(before days were kept): the history leaves them out", s->experiment,
			  kind, undated - dated);
}

static void running_free(struct running *r)
{
	free(r->arms);
	free(r->v);
	free(r->next);
	free(r->day_trials);
	free(r->day_conversions);
}

/* Add every arm's days up to day (from since on) to its running sums. */
static void running_to(struct running *r, const char *since, const char *day)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct ab_variant *v = r->v[i];
		struct ab_arm *arm = &r->arms[i];

		r->day_trials[i] = r->day_conversions[i] = 0;
		for (; r->next[i] < v->ncells && strcmp(v->cells[r->next[i]].day, day) <= 0;
		     r->next[i]++) {
			const struct ab_cell *c = &v->cells[r->next[i]];

			if (c->dim || (since && strcmp(c->day, since) < 0))
				continue;
			arm->trials += c->t.trials;
			arm->conversions += c->t.conversions;
			/* Doubles are enough for the figures a history shows. */
			arm->value_sum += fixed_to_double(c->t.value_u, FIXED_VALUE);
			arm->value_sumsq += c->t.value_partial ? NAN
				: fixed_to_double(c->t.sumsq_u, FIXED_SQUARE);
			for (size_t g = 0; g < AB_GUARD_MAX; g++)
				arm->guard[g] += c->t.guard[g];
			if (!strcmp(c->day, day)) {
				r->day_trials[i] += c->t.trials;
				r->day_conversions[i] += c->t.conversions;
			}
		}
	}
}

#define ADD_IF(obj, flag, name, value)                                   \
	do {                                                             \
		if (flag)                                                \
			cJSON_AddNumberToObject(obj, name, value);       \
	} while (0)

/* The line of arm i on day: that day's counts, and the figures to date. */
static cJSON *history_line(const struct running *r, size_t i, const char *day,
			   const struct ab_result *res)
{
	const struct ab_arm *arm = &r->arms[i];
	const struct ab_result *x = &res[i];
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "experiment", r->s->experiment);
	cJSON_AddStringToObject(o, "kind", arm->kind);
	cJSON_AddStringToObject(o, "variant_name", arm->name);
	cJSON_AddStringToObject(o, "day", day);
	cJSON_AddNumberToObject(o, "day_trials", r->day_trials[i]);
	cJSON_AddNumberToObject(o, "day_conversions", r->day_conversions[i]);
	cJSON_AddNumberToObject(o, "trials", arm->trials);
	cJSON_AddNumberToObject(o, "conversions", arm->conversions);
	ADD_IF(o, x->has_rate, "rate", x->rate);
	if (arm->control) {
		cJSON_AddBoolToObject(o, "control", 1);
		return o;
	}
	ADD_IF(o, x->has_lift, "lift_abs", x->lift_abs);
	ADD_IF(o, x->has_lift_rel, "lift_rel", x->lift_rel);
	ADD_IF(o, x->has_seq, "seq_ci_low", x->seq_low);
	ADD_IF(o, x->has_seq, "seq_ci_high", x->seq_high);
	ADD_IF(o, x->has_seq, "seq_p_value", x->seq_p);
	return o;
}

static void text_line(struct table *t, const cJSON *line)
{
	char cells[6][40];
	const char *row[8];
	const char *names[] = { "day_trials", "trials", "conversions", "rate", "lift_abs" };

	for (int i = 0; i < 5; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(line, names[i]);

		if (!cJSON_IsNumber(v))
			snprintf(cells[i], sizeof(cells[i]), "%s", "");
		else
			snprintf(cells[i], sizeof(cells[i]), i < 3 ? "%.0f" : i == 3 ? "%.4f"
				 : "%+.4f", v->valuedouble);
	}
	const cJSON *lo = cJSON_GetObjectItemCaseSensitive(line, "seq_ci_low");
	const cJSON *hi = cJSON_GetObjectItemCaseSensitive(line, "seq_ci_high");

	if (cJSON_IsNumber(lo) && cJSON_IsNumber(hi))
		snprintf(cells[5], sizeof(cells[5]), "[%+.4f, %+.4f]", lo->valuedouble,
			 hi->valuedouble);
	else
		snprintf(cells[5], sizeof(cells[5]), "%s", "");
	row[0] = cJSON_GetObjectItemCaseSensitive(line, "day")->valuestring;
	row[1] = cJSON_GetObjectItemCaseSensitive(line, "variant_name")->valuestring;
	for (int i = 0; i < 6; i++)
		row[2 + i] = cells[i];
	table_add(t, row);
}

/* Every day of one kind within the window, appended to out. */
static void kind_history(const struct ab_set *s, const struct ab_args *a, const char *kind,
			 cJSON *out)
{
	struct running r;
	size_t ndays;
	const char **days = ab_set_days(s, kind, &ndays);
	struct ab_result *res;

	running_init(&r, s, kind);
	res = xcalloc(r.n + 1, sizeof(*res));
	for (size_t d = 0; d < ndays; d++) {
		if ((a->since && strcmp(days[d], a->since) < 0) ||
		    (a->until && strcmp(days[d], a->until) > 0))
			continue;
		running_to(&r, a->since, days[d]);
		ab_analyze(r.arms, r.n, &a->stat, res);
		for (size_t i = 0; i < r.n; i++)
			cJSON_AddItemToArray(out, history_line(&r, i, days[d], res));
	}
	free(res);
	free(days);
	running_free(&r);
}

cJSON *ab_history_lines(const struct ab_set *s, const struct ab_args *a, const char *kind,
			size_t *shown)
{
	size_t nkinds;
	const char **kinds = ab_set_kinds(s, &nkinds);
	cJSON *out = cJSON_CreateArray();

	*shown = 0;
	for (size_t k = 0; k < nkinds; k++) {
		if (kind && strcmp(kind, kinds[k]))
			continue;
		(*shown)++;
		kind_history(s, a, kinds[k], out);
	}
	free(kinds);
	return out;
}

enum brain_status ab_cmd_history(const struct cli *cli, struct ab_args *a)
{
	struct state st;
	struct ab_set s;
	struct table *t = NULL;
	size_t shown;
	cJSON *lines, *line;
	enum brain_status status = ab_cmd_load(cli, a, &st, &s);

	if (status)
		return status;
	state_close(&st);
	lines = ab_history_lines(&s, a, a->kind, &shown);
	if (a->kind && !shown)
		status = diag_error(BRAIN_DATA, "no variants of kind '%s' in experiment '%s'",
				    a->kind, s.experiment);
	if (!status && cli->format == CLI_FORMAT_TEXT)
		t = table_new(8, (const char *[]){ "DAY", "VARIANT", "DAY TRIALS", "TRIALS",
			"CONV", "RATE", "LIFT", "ALWAYS-VALID INTERVAL" });
	cJSON_ArrayForEach(line, lines) {
		if (status)
			break;
		if (t)
			text_line(t, line);
		else
			status = jsonl_write(stdout, line);
	}
	if (t) {
		table_print(t, stdout);
		table_free(t);
	}
	cJSON_Delete(lines);
	ab_set_free(&s);
	return status;
}
