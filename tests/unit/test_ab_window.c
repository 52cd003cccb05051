/* Unit tests of the tallies brain-ab keeps per day and per dimension
 * value, and of what is decided on them: cells merged over any window
 * equal one pass over that window's events (seeded random events over a
 * month, with values, guardrails and dimensions), the day of a record
 * (its "day", the UTC date of its "time", else the run's), the records
 * refused (and the set left as it was), the window of the fold itself,
 * tallies from before days were kept, cells through experiment.json and
 * back; the guardrail veto and its release, and a value winner that is
 * not the rate winner. */
#include "unit.h"

#include <math.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "core/ab_store.h"
#include "core/state.h"
#include "pure/ab.h"
#include "pure/ab_fold.h"
#include "pure/design.h"
#include "pure/stats.h"

static const struct ab_fold_options cells_on = {
	1, "script", 0, "2026-12-01T10:00:00Z", 1, NULL, NULL
};

static enum brain_status fold_text(struct ab_set *s, const char *text,
				   const struct ab_fold_options *o, struct ab_fold_stats *st)
{
	struct json_loc loc = { "events.jsonl", 7 };
	cJSON *rec = cJSON_Parse(text);
	enum brain_status status;

	ck_assert_msg(rec != NULL, "test record does not parse: %s", text);
	status = ab_fold(s, rec, &loc, o, st);
	cJSON_Delete(rec);
	return status;
}

static void fold_ok(struct ab_set *s, const char *text, const struct ab_fold_options *o)
{
	struct ab_fold_stats st = { 0 };

	ck_assert_int_eq(fold_text(s, text, o, &st), BRAIN_OK);
}

static void guarded_set(struct ab_set *s)
{
	ab_set_init(s, "Window");
	ck_assert_int_eq(ab_set_guardrail(s, "opt_out"), 0);
	ck_assert_int_eq(ab_set_guardrail(s, "complaint"), 1);
}

/* A seeded event of day 1..30: variant, outcome, value, guardrails and
 * one to two dimensions. */
static void random_event(gsl_rng *r, int i, char *out, size_t size)
{
	const char *centres[] = { "austin", "dallas", "reno" };
	const char *sources[] = { "ppc", "mail" };
	int day = 1 + (int)gsl_rng_uniform_int(r, 30);
	int b = (int)gsl_rng_uniform_int(r, 2);
	double value = gsl_rng_uniform(r) < 0.2 ? floor(gsl_rng_uniform(r) * 900000) / 100 : 0;

	snprintf(out, size, "{\"variant\":\"%s\",\"converted\":%s,\"value\":%.2f,\"id\":\"e%d\","
		 "\"day\":\"2026-11-%02d\",\"opt_out\":%s,\"complaint\":%s,"
		 "\"dims\":{\"call_centre\":\"%s\"%s%s%s}}", b ? "B" : "A",
		 gsl_rng_uniform(r) < 0.1 + 0.05 * b ? "true" : "false", value, i, day,
		 gsl_rng_uniform(r) < 0.03 ? "true" : "false",
		 gsl_rng_uniform(r) < 0.01 ? "true" : "false",
		 centres[gsl_rng_uniform_int(r, 3)], i % 3 ? ",\"lead_source\":\"" : "",
		 i % 3 ? sources[gsl_rng_uniform_int(r, 2)] : "", i % 3 ? "\"" : "");
}

static int in_window(const char *text, const struct ab_window *w)
{
	const char *d = strstr(text, "\"day\":\"") + 7;
	char day[11], want[96];

	memcpy(day, d, 10);
	day[10] = '\0';
	if ((w->since && strcmp(day, w->since) < 0) || (w->until && strcmp(day, w->until) > 0))
		return 0;
	if (!w->dim)
		return 1;
	snprintf(want, sizeof(want), "\"%s\":\"%s\"", w->dim, w->value);
	return strstr(text, want) != NULL;
}

static void same_arms(const struct ab_arm *x, const struct ab_arm *y, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(x[i].name, y[i].name);
		ck_assert(x[i].trials == y[i].trials);
		ck_assert(x[i].conversions == y[i].conversions);
		ck_assert(x[i].value_sum == y[i].value_sum); /* exact: fixed point */
		ck_assert(x[i].value_sumsq == y[i].value_sumsq);
		ck_assert(x[i].guard[0] == y[i].guard[0]);
		ck_assert(x[i].guard[1] == y[i].guard[1]);
	}
}

START_TEST(cells_merged_over_a_window_equal_one_pass_over_its_events)
{
	enum { EVENTS = 4000 };
	static char text[EVENTS][256];
	struct ab_set all;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	const struct ab_window windows[] = {
		{ "2026-11-08", "2026-11-21", NULL, NULL },
		{ "2026-11-30", NULL, NULL, NULL },
		{ NULL, "2026-11-01", NULL, NULL },
		{ NULL, NULL, "call_centre", "dallas" },
		{ "2026-11-15", NULL, "lead_source", "ppc" },
		{ "2026-11-03", "2026-11-03", "call_centre", "reno" },
	};

	gsl_rng_set(r, 20261202);
	guarded_set(&all);
	for (int i = 0; i < EVENTS; i++) {
		random_event(r, i, text[i], sizeof(text[i]));
		fold_ok(&all, text[i], &cells_on);
	}
	for (size_t w = 0; w < sizeof(windows) / sizeof(*windows); w++) {
		struct ab_set part;
		struct ab_fold_options plain = cells_on;
		size_t n1, n2;
		double undated, undated2;
		struct ab_arm *merged, *once;
		double kept = 0;

		plain.cells = 0;
		guarded_set(&part);
		for (int i = 0; i < EVENTS; i++)
			if (in_window(text[i], &windows[w])) {
				fold_ok(&part, text[i], &plain);
				kept++;
			}
		ck_assert_msg(kept > 20, "window %zu holds too few events to test", w);
		merged = ab_set_arms_in(&all, "script", &windows[w], &n1, &undated);
		once = ab_set_arms_in(&part, "script", NULL, &n2, &undated2);
		ck_assert_uint_eq(n1, 2);
		ck_assert_uint_eq(n2, 2);
		ck_assert(undated == 0);
		ck_assert(merged[0].trials + merged[1].trials == kept);
		same_arms(merged, once, 2);
		free(merged);
		free(once);
		ab_set_free(&part);
	}
	ab_set_free(&all);
	gsl_rng_free(r);
}
END_TEST

START_TEST(the_day_is_the_records_else_the_runs)
{
	struct ab_set s;
	size_t n;
	const char **days;

	guarded_set(&s);
	fold_ok(&s, "{\"variant\":\"A\",\"converted\":true,\"day\":\"2026-11-03\"}", &cells_on);
	/* 23:30 at -05:00 is the next day in UTC. */
	fold_ok(&s, "{\"variant\":\"A\",\"converted\":false,\"time\":\"2026-11-03T23:30:00-05:00\"}",
		&cells_on);
	fold_ok(&s, "{\"variant\":\"A\",\"converted\":false}", &cells_on);
	fold_ok(&s, "{\"variant\":\"A\",\"trials\":5,\"conversions\":1,\"opt_out\":2}", &cells_on);
	days = ab_set_days(&s, "script", &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(days[0], "2026-11-03");
	ck_assert_str_eq(days[1], "2026-11-04");
	ck_assert_str_eq(days[2], "2026-12-01");
	free(days);
	ck_assert(s.v[0].cells[2].t.trials == 6);
	ck_assert(s.v[0].cells[2].t.guard[0] == 2);
	ck_assert(s.v[0].guard[0] == 2);
	ab_set_free(&s);
}
END_TEST

START_TEST(bad_days_dims_and_guardrails_are_refused_leaving_the_set)
{
	const char *bad[] = {
		"{\"variant\":\"A\",\"converted\":true,\"day\":\"2026-02-30\"}",
		"{\"variant\":\"A\",\"converted\":true,\"day\":\"2026-1-1\"}",
		"{\"variant\":\"A\",\"converted\":true,\"day\":20261101}",
		"{\"variant\":\"A\",\"converted\":true,\"time\":\"yesterday\"}",
		"{\"variant\":\"A\",\"converted\":true,\"day\":\"2026-11-01\","
		"\"time\":\"2026-11-01T00:00:00Z\"}",
		"{\"variant\":\"A\",\"converted\":true,\"dims\":[\"austin\"]}",
		"{\"variant\":\"A\",\"converted\":true,\"dims\":{\"Centre\":\"austin\"}}",
		"{\"variant\":\"A\",\"converted\":true,\"dims\":{\"centre\":\"\"}}",
		"{\"variant\":\"A\",\"converted\":true,\"dims\":{\"centre\":7}}",
		"{\"variant\":\"A\",\"converted\":true,\"dims\":{\"a\":\"1\",\"b\":\"1\",\"c\":\"1\","
		"\"d\":\"1\",\"e\":\"1\",\"f\":\"1\",\"g\":\"1\",\"h\":\"1\",\"i\":\"1\"}}",
		"{\"variant\":\"A\",\"converted\":true,\"opt_out\":1}",
		"{\"variant\":\"A\",\"trials\":3,\"opt_out\":4}",
		"{\"variant\":\"A\",\"trials\":3,\"complaint\":true}",
	};
	struct ab_set s;

	guarded_set(&s);
	fold_ok(&s, "{\"variant\":\"A\",\"converted\":true,\"opt_out\":true,\"day\":\"2026-11-02\","
		"\"dims\":{\"centre\":\"austin\"}}", &cells_on);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct ab_fold_stats st = { 0 };

		unit_capture_diag();
		ck_assert_msg(fold_text(&s, bad[i], &cells_on, &st) == BRAIN_DATA, "taken: %s",
			      bad[i]);
		ck_assert_msg(strstr(unit_diag_text(), "events.jsonl:7") != NULL,
			      "no file and line for %s: %s", bad[i], unit_diag_text());
		ck_assert(s.v[0].trials == 1 && s.v[0].ncells == 2 && s.v[0].guard[0] == 1);
		ck_assert(s.v[0].cells[0].t.trials == 1 && s.v[0].cells[1].t.trials == 1);
	}
	ab_set_free(&s);
}
END_TEST

START_TEST(the_folds_own_window_leaves_out_other_days_and_undated_records)
{
	struct ab_set s;
	struct ab_fold_options o = cells_on;
	struct ab_fold_stats st = { 0 };

	o.now = "";
	o.since = "2026-11-05";
	o.until = "2026-11-06";
	guarded_set(&s);
	ck_assert_int_eq(fold_text(&s, "{\"variant\":\"A\",\"converted\":true,\"day\":\"2026-11-04\"}",
				   &o, &st), BRAIN_OK);
	ck_assert_int_eq(fold_text(&s, "{\"variant\":\"A\",\"converted\":true,\"day\":\"2026-11-05\"}",
				   &o, &st), BRAIN_OK);
	ck_assert_int_eq(fold_text(&s, "{\"variant\":\"A\",\"converted\":true,\"day\":\"2026-11-06\"}",
				   &o, &st), BRAIN_OK);
	ck_assert_int_eq(fold_text(&s, "{\"variant\":\"A\",\"converted\":true,\"day\":\"2026-11-07\"}",
				   &o, &st), BRAIN_OK);
	ck_assert_int_eq(fold_text(&s, "{\"variant\":\"A\",\"converted\":true}", &o, &st), BRAIN_OK);
	ck_assert(st.records == 5 && st.outside == 3 && st.applied == 2);
	ck_assert(s.v[0].trials == 2);
	ab_set_free(&s);
}
END_TEST

START_TEST(tallies_from_before_days_are_in_no_window)
{
	struct ab_set s;
	struct ab_fold_options old = cells_on;
	struct ab_window w = { "2026-11-01", NULL, NULL, NULL };
	struct ab_arm *arms;
	double undated;
	size_t n;

	old.cells = 0;
	guarded_set(&s);
	fold_ok(&s, "{\"variant\":\"A\",\"trials\":40,\"conversions\":4}", &old);
	fold_ok(&s, "{\"variant\":\"A\",\"trials\":10,\"conversions\":2,\"day\":\"2026-11-02\"}",
		&cells_on);
	arms = ab_set_arms_in(&s, "script", &w, &n, &undated);
	ck_assert(arms[0].trials == 10 && arms[0].conversions == 2);
	ck_assert(undated == 40);
	free(arms);
	arms = ab_set_arms_in(&s, "script", NULL, &n, &undated);
	ck_assert(arms[0].trials == 50 && undated == 0);
	free(arms);
	ab_set_free(&s);
}
END_TEST

START_TEST(cells_and_guardrails_round_trip_through_experiment_json)
{
	struct state st;
	struct ab_set s, back;
	struct ab_pending p;
	char dir[4200];
	int exists;

	unit_tmpdir();
	setenv("BRAIN_ACTOR", "unit", 1);
	snprintf(dir, sizeof(dir), "%s/state", unit_dir_path);
	ck_assert_int_eq(state_open(&st, dir, STATE_WRITE), BRAIN_OK);
	guarded_set(&s);
	ck_assert_int_eq(ab_set_guardrail(&s, "dnc_hit"), 2);
	fold_ok(&s, "{\"variant\":\"A\",\"converted\":true,\"value\":12.5,\"day\":\"2026-11-02\","
		"\"dnc_hit\":true,\"dims\":{\"market\":\"tx\",\"centre\":\"austin\"}}", &cells_on);
	fold_ok(&s, "{\"variant\":\"B\",\"trials\":9,\"conversions\":3,\"value\":7,\"opt_out\":2,"
		"\"day\":\"2026-11-01\"}", &cells_on);
	ck_assert_int_eq(ab_prepare(&st, &s, &p), BRAIN_OK);
	ck_assert_int_eq(ab_finish(&p, file_replace_commit(&p.fr)), BRAIN_OK);
	ck_assert_int_eq(ab_load(&st, "Window", &back, &exists), BRAIN_OK);
	ck_assert(exists);
	ck_assert_uint_eq(back.nguards, 3);
	ck_assert_str_eq(back.guards[2], "dnc_hit");
	ck_assert_uint_eq(back.v[0].ncells, 3);
	ck_assert_ptr_null(back.v[0].cells[0].dim);
	ck_assert_str_eq(back.v[0].cells[1].dim, "centre");
	ck_assert_str_eq(back.v[0].cells[2].value, "tx");
	ck_assert(back.v[0].cells[2].t.guard[2] == 1 && back.v[0].guard[2] == 1);
	ck_assert(back.v[0].cells[0].t.value_u == s.v[0].cells[0].t.value_u);
	ck_assert(back.v[1].cells[0].t.value_partial == 1);
	ck_assert(back.v[1].guard[0] == 2 && back.v[1].cells[0].t.guard[0] == 2);
	ab_set_free(&back);
	ab_set_free(&s);
	state_close(&st);
}
END_TEST

static struct ab_arm arm(const char *name, double n, double x, int control, double opt_out)
{
	struct ab_arm a = { name, "script", n, x, 0, 0, 1, control, 0, { opt_out } };

	return a;
}

/* Default options with one guardrail, opt_out (guard[0]), at margin. */
static void opt_out_guard(struct ab_options *o, double margin)
{
	ab_options_default(o);
	o->guards[0].name = "opt_out";
	o->guards[0].index = 0;
	o->guards[0].margin = margin;
	o->nguards = 1;
}

static void decide(struct ab_arm *arms, size_t k, const struct ab_options *o,
		   struct ab_decision *d)
{
	struct ab_result res[4];

	ab_analyze(arms, k, o, res);
	ab_decide(arms, k, res, o, d);
}

START_TEST(a_guardrail_vetoes_a_winner_until_its_interval_clears_the_margin)
{
	struct ab_options o;
	struct ab_decision d;
	/* B wins on conversions; its opt-out rate is 4 points above A's. */
	struct ab_arm worse[2] = { arm("A", 3000, 300, 1, 30), arm("B", 3000, 450, 0, 150) };
	/* Same conversions, opt-outs equal, few: the interval is wide at
	 * 400 per arm and narrow at 30,000. */
	struct ab_arm few[2] = { arm("A", 400, 40, 1, 4), arm("B", 400, 120, 0, 4) };
	struct ab_arm many[2] = { arm("A", 30000, 3000, 1, 300), arm("B", 30000, 4500, 0, 300) };

	opt_out_guard(&o, 0.01);
	decide(worse, 2, &o, &d);
	ck_assert_int_eq(d.outcome, AB_GUARDRAIL);
	ck_assert_str_eq(d.guard, "opt_out");
	ck_assert_int_eq(d.arm, 1);
	ck_assert(fabs(d.guard_diff - 0.04) < 1e-12);
	ck_assert(d.guard_low > 0.01 && d.guard_high > d.guard_low);
	ck_assert(strstr(d.reason, "guardrail 'opt_out'") != NULL);
	decide(few, 2, &o, &d);
	ck_assert_int_eq(d.outcome, AB_GUARDRAIL);
	ck_assert(d.guard_high > 0.01);
	decide(many, 2, &o, &d);
	ck_assert_int_eq(d.outcome, AB_WINNER);
	ck_assert_int_eq(d.arm, 1);
	/* Without the guardrail the first is a winner: the veto is the guardrail's. */
	o.nguards = 0;
	decide(worse, 2, &o, &d);
	ck_assert_int_eq(d.outcome, AB_WINNER);
}
END_TEST

static double number_at(const cJSON *o, const char *name, int i)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (i >= 0)
		v = cJSON_GetArrayItem(v, i);
	ck_assert_msg(cJSON_IsNumber(v), "missing number '%s'", name);
	return v->valuedouble;
}

/* The veto's interval against tests/data/guardrail-vectors.jsonl (made
 * by guardrail-reference.py there); margin -1 so that every case vetoes
 * and shows its interval. */
START_TEST(the_guardrail_interval_is_the_reference)
{
	FILE *fp = fopen("tests/data/guardrail-vectors.jsonl", "r");
	char *line = NULL;
	size_t cap = 0;
	int cases = 0;

	ck_assert_msg(fp != NULL, "cannot open tests/data/guardrail-vectors.jsonl");
	while (getline(&line, &cap, fp) > 0) {
		cJSON *v = cJSON_Parse(line);
		struct ab_arm arms[2] = {
			arm("A", number_at(v, "control", 0), number_at(v, "control", 1), 1,
			    number_at(v, "control", 2)),
			arm("B", number_at(v, "winner", 0), number_at(v, "winner", 1), 0,
			    number_at(v, "winner", 2)),
		};
		struct ab_options o;
		struct ab_decision d;

		opt_out_guard(&o, 0);
		o.guards[0].margin = -1;
		o.alpha = number_at(v, "alpha", -1);
		o.tuning = number_at(v, "tuning", -1);
		memset(&d, 0, sizeof(d));
		d.outcome = AB_WINNER;
		d.arm = 1;
		ab_guard_check(arms, 2, &o, &d);
		ck_assert_int_eq(d.outcome, AB_GUARDRAIL);
		ck_assert(fabs(d.guard_diff - number_at(v, "diff", -1)) < 1e-15);
		ck_assert_msg(fabs(d.guard_low - number_at(v, "low", -1)) < 1e-12, "low %.17g",
			      d.guard_low);
		ck_assert_msg(fabs(d.guard_high - number_at(v, "high", -1)) < 1e-12, "high %.17g",
			      d.guard_high);
		cJSON_Delete(v);
		cases++;
	}
	free(line);
	fclose(fp);
	ck_assert_int_ge(cases, 5);
}
END_TEST

START_TEST(the_control_winning_is_never_vetoed)
{
	struct ab_options o;
	struct ab_decision d;
	struct ab_arm arms[2] = { arm("A", 5000, 800, 1, 400), arm("B", 5000, 500, 0, 0) };

	opt_out_guard(&o, 0);
	decide(arms, 2, &o, &d);
	ck_assert_int_eq(d.outcome, AB_WINNER);
	ck_assert_int_eq(d.arm, 0);
}
END_TEST

START_TEST(value_winner_differs_from_rate_winner)
{
	struct ab_options o;
	struct ab_decision d;
	/* A converts 12 %, each deal a fee of 5,000 (sd 1,000); B converts 9 %
	 * at 9,000 (sd 1,500): fewer deals, more money per lead. */
	double n = 4000, xa = 480, xb = 360;
	struct ab_arm arms[2] = {
		{ "A", "script", n, xa, xa * 5000, xa * (5000.0 * 5000 + 1000.0 * 1000), 1, 1, 0, { 0 } },
		{ "B", "script", n, xb, xb * 9000, xb * (9000.0 * 9000 + 1500.0 * 1500), 1, 0, 0, { 0 } },
	};

	ab_options_default(&o);
	decide(arms, 2, &o, &d);
	ck_assert_int_eq(d.outcome, AB_WINNER);
	ck_assert_str_eq(arms[d.arm].name, "A");
	o.metric_value = 1;
	decide(arms, 2, &o, &d);
	ck_assert_int_eq(d.outcome, AB_WINNER);
	ck_assert_str_eq(arms[d.arm].name, "B");
	ck_assert(d.metric_value);
	ck_assert(strstr(d.reason, "value per trial") != NULL);
	/* Equal values: no value winner. */
	arms[1].value_sum = xb * 5000 * xa / xb;
	arms[1].value_sumsq = arms[0].value_sumsq;
	decide(arms, 2, &o, &d);
	ck_assert_int_eq(d.outcome, AB_INCONCLUSIVE);
}
END_TEST

START_TEST(guardrail_specs_parse_and_later_margins_win)
{
	struct ab_guard_spec g[AB_GUARD_MAX];
	size_t n = 0;
	const char *bad[] = { "opt_out", "opt_out:", ":0.1", "Opt:0.1", "opt_out:1.5",
			      "opt_out:-0.1", "opt_out:0.1,", "opt-out:0.1", "a:0.1x" };

	ck_assert_int_eq(ab_guard_parse("opt_out:0.01,complaint:0.005", g, AB_GUARD_MAX, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(ab_guard_parse("opt_out:0.02", g, AB_GUARD_MAX, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(g[0].name, "opt_out");
	ck_assert(g[0].margin == 0.02 && g[1].margin == 0.005);
	ck_assert_int_eq(ab_guard_parse("", g, AB_GUARD_MAX, &n), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		size_t m = 0;

		ck_assert_msg(ab_guard_parse(bad[i], g, AB_GUARD_MAX, &m) == -1, "taken: %s", bad[i]);
	}
	n = 0;
	ck_assert_int_eq(ab_guard_parse("a:0,b:0,c:0,d:0,e:0,f:0,g:0,h:0", g, AB_GUARD_MAX, &n), 0);
	ck_assert_int_eq(ab_guard_parse("i:0", g, AB_GUARD_MAX, &n), -1);
}
END_TEST

static int may_declare(const struct ab_arm *arms, const struct ab_options *o)
{
	double se, est = arms[1].conversions / arms[1].trials - arms[0].conversions / arms[0].trials;
	double low, high, p;
	struct design d;

	if (stats_se_unpooled(arms[0].conversions, arms[0].trials, arms[1].conversions,
			      arms[1].trials, &se))
		return 0;
	if (o->horizon > 0) {
		ck_assert_int_eq(design_init_flat(&d, o->alpha), 0);
		ck_assert_int_eq(design_interval(&d, est, se, design_fraction(arms[0].trials,
			arms[1].trials, o->horizon), &low, &high, NULL), 0);
	} else {
		ck_assert_int_eq(stats_confidence_sequence(est, se, arms[0].trials + arms[1].trials,
							   o->alpha, o->tuning, &low, &high, &p), 0);
	}
	return fabs(est) >= 0.99 * (high - low) / 2;
}

/* One experiment of brain-ab's whole rule (ab_analyze, ab_decide: the
 * interval, the expected loss, the minimum counts) looked at every day,
 * 40 trials per arm a day: the day of the first winner (its arm into
 * *arm), or 0 when none by the last day. */
static int first_winner_day(gsl_rng *r, double pa, double pb, int days,
			    const struct ab_options *o, int *arm)
{
	struct ab_arm arms[2] = { { "A", "script", 0, 0, 0, 0, 1, 1, 0, { 0 } },
				  { "B", "script", 0, 0, 0, 0, 1, 0, 0, { 0 } } };
	struct ab_result res[2];
	struct ab_decision d;

	for (int day = 1; day <= days; day++) {
		arms[0].trials += 40;
		arms[1].trials += 40;
		arms[0].conversions += gsl_ran_binomial(r, pa, 40);
		arms[1].conversions += gsl_ran_binomial(r, pb, 40);
		/* The rule declares only where its interval excludes 0: a look
		 * whose interval, computed as ab.c does and widened by 1 %,
		 * includes 0 cannot declare, and the analysis (the Beta
		 * integrals, most of the cost) is skipped there. */
		if (!may_declare(arms, o))
			continue;
		ab_analyze(arms, 2, o, res);
		ab_decide(arms, 2, res, o, &d);
		if (d.outcome == AB_WINNER) {
			*arm = d.arm;
			return day;
		}
	}
	return 0;
}

START_TEST(with_a_horizon_the_rule_finds_a_20pc_lift_by_the_fixed_sample)
{
	enum { RUNS = 500 };
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	struct ab_options o, mixture;
	int found = 0, found_mixture = 0, arm;

	ab_options_default(&o);
	mixture = o;
	mixture.tuning = 2 * 3835;
	o.horizon = 3835; /* statsmodels' 80 %-power sample for 0.10 against 0.12 */
	gsl_rng_set(r, 17);
	for (int i = 0; i < RUNS; i++)
		found += first_winner_day(r, 0.10, 0.12, 96, &o, &arm) > 0 && arm == 1;
	gsl_rng_set(r, 17);
	for (int i = 0; i < RUNS; i++)
		found_mixture += first_winner_day(r, 0.10, 0.12, 96, &mixture, &arm) > 0 && arm == 1;
	/* About 73 % (sd 2 points at 500 runs); the always-valid interval
	 * alone, at the tuning plan suggests, about 50 %. */
	ck_assert_msg(found >= 0.70 * RUNS, "%d of %d found by day 96", found, RUNS);
	ck_assert_msg(found_mixture < 0.65 * RUNS, "%d of %d found without the horizon",
		      found_mixture, RUNS);
	gsl_rng_free(r);
}
END_TEST

START_TEST(with_a_horizon_daily_looks_at_an_aa_test_rarely_declare)
{
	enum { RUNS = 500 };
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	struct ab_options o;
	int declared = 0, arm;

	ab_options_default(&o);
	o.horizon = 3835;
	gsl_rng_set(r, 23);
	/* 200 days: twice the horizon, where the line after it is looked at too. */
	for (int i = 0; i < RUNS; i++)
		declared += first_winner_day(r, 0.10, 0.10, 200, &o, &arm) > 0;
	/* The design bounds it by 5 %; about 3 % here (sd 0.8 points). */
	ck_assert_msg(declared <= 0.05 * RUNS, "%d of %d A/A tests declared", declared, RUNS);
	gsl_rng_free(r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ab_window");
	TCase *tc = tcase_create("ab_window");

	tcase_add_test(tc, cells_merged_over_a_window_equal_one_pass_over_its_events);
	tcase_add_test(tc, the_day_is_the_records_else_the_runs);
	tcase_add_test(tc, bad_days_dims_and_guardrails_are_refused_leaving_the_set);
	tcase_add_test(tc, the_folds_own_window_leaves_out_other_days_and_undated_records);
	tcase_add_test(tc, tallies_from_before_days_are_in_no_window);
	tcase_add_test(tc, cells_and_guardrails_round_trip_through_experiment_json);
	tcase_add_test(tc, a_guardrail_vetoes_a_winner_until_its_interval_clears_the_margin);
	tcase_add_test(tc, the_guardrail_interval_is_the_reference);
	tcase_add_test(tc, the_control_winning_is_never_vetoed);
	tcase_add_test(tc, value_winner_differs_from_rate_winner);
	tcase_add_test(tc, guardrail_specs_parse_and_later_margins_win);
	tcase_add_test(tc, with_a_horizon_the_rule_finds_a_20pc_lift_by_the_fixed_sample);
	tcase_add_test(tc, with_a_horizon_daily_looks_at_an_aa_test_rarely_declare);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
