/* compare.c - paired evaluation of two sets of runs; see compare.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pure/compare.h"
#include "pure/stats.h"
#include "banned.h"

const char *const compare_change_names[5] = {
	"same", "regressed", "improved", "missing", "new"
};

/* Rates are compared to this much past the margin, so that 9/10 against
 * 10/10 with a margin of 0.1 is a drop of exactly the margin, not more. */
#define RATE_SLACK 1e-12

void compare_options_default(struct compare_options *o)
{
	o->alpha = 0.05;
	o->case_margin = 0.1;
	o->min_case_pass = 0;
}

void compare_init(struct compare *c)
{
	memset(c, 0, sizeof(*c));
	compare_options_default(&c->options);
}

void compare_free(struct compare *c)
{
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < c->side[s].n; i++)
			free(c->side[s].runs[i].case_name);
		free(c->side[s].runs);
	}
	free(c->cases);
	memset(c, 0, sizeof(*c));
}

enum brain_status compare_add(struct compare *c, enum compare_side side, const cJSON *rec,
			      const struct json_loc *loc)
{
	struct compare_runs *r = &c->side[side];
	enum brain_status status;
	const char *name;
	int passed, perturbed = 0;
	int64_t run = -1;

	if ((status = json_get_string(rec, "case", JSON_REQUIRED, loc, &name)) ||
	    (status = json_get_int(rec, "run", JSON_OPTIONAL, loc, 0, INT64_MAX, &run)) ||
	    (status = json_get_bool(rec, "passed", JSON_REQUIRED, loc, &passed)) ||
	    (status = json_get_bool(rec, "perturbed", JSON_OPTIONAL, loc, &perturbed)))
		return status;
	if (!r->file)
		r->file = loc->file;
	if (perturbed) {
		r->perturbed++;
		return BRAIN_OK;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->runs = xrealloc(r->runs, r->cap * sizeof(*r->runs));
	}
	r->runs[r->n] = (struct compare_run){ xstrdup(name), run, passed, loc->line, r->n };
	r->n++;
	return BRAIN_OK;
}

static int by_case_then_order(const void *x, const void *y)
{
	const struct compare_run *a = x, *b = y;
	int d = strcmp(a->case_name, b->case_name);

	return d ? d : (a->order > b->order) - (a->order < b->order);
}

static int by_case_then_run(const void *x, const void *y)
{
	const struct compare_run *a = x, *b = y;
	int d = strcmp(a->case_name, b->case_name);

	if (d)
		return d;
	if (a->run != b->run)
		return (a->run > b->run) - (a->run < b->run);
	return (a->order > b->order) - (a->order < b->order);
}

/* Give every run its index (a missing "run" is the position among the
 * case's runs) and sort by case and index; the same pair twice is bad. */
static enum brain_status index_side(struct compare_runs *r)
{
	size_t pos = 0;

	qsort(r->runs, r->n, sizeof(*r->runs), by_case_then_order);
	for (size_t i = 0; i < r->n; i++) {
		pos = i && !strcmp(r->runs[i].case_name, r->runs[i - 1].case_name) ? pos + 1 : 0;
		if (r->runs[i].run < 0)
			r->runs[i].run = (int64_t)pos;
	}
	qsort(r->runs, r->n, sizeof(*r->runs), by_case_then_run);
	for (size_t i = 1; i < r->n; i++)
		if (!strcmp(r->runs[i].case_name, r->runs[i - 1].case_name) &&
		    r->runs[i].run == r->runs[i - 1].run) {
			const struct compare_run *later = r->runs[i].order > r->runs[i - 1].order
							  ? &r->runs[i] : &r->runs[i - 1];

			return diag_error_at(BRAIN_DATA, r->file, later->line, "case '%s' run %lld "
					     "is given twice", later->case_name,
					     (long long)later->run);
		}
	return BRAIN_OK;
}

/* The pairs of one case: the runs [i, ie) of the baseline and [j, je) of
 * the candidate, both sorted by index, walked together. */
static void pair_case(struct compare *c, size_t i, size_t ie, size_t j, size_t je)
{
	const struct compare_run *base = c->side[0].runs, *cand = c->side[1].runs;
	struct compare_summary *s = &c->summary;

	while (i < ie || j < je) {
		if (j == je || (i < ie && base[i].run < cand[j].run)) {
			s->unpaired_baseline++;
			i++;
		} else if (i == ie || cand[j].run < base[i].run) {
			s->unpaired_candidate++;
			j++;
		} else {
			s->pairs++;
			s->both_passed += base[i].passed && cand[j].passed;
			s->only_baseline += base[i].passed && !cand[j].passed;
			s->only_candidate += !base[i].passed && cand[j].passed;
			s->neither += !base[i].passed && !cand[j].passed;
			i++;
			j++;
		}
	}
}

/* The end of the run of entries of side s that share the case at i. */
static size_t case_end(const struct compare_runs *r, size_t i)
{
	size_t e = i;

	while (e < r->n && !strcmp(r->runs[e].case_name, r->runs[i].case_name))
		e++;
	return e;
}

static void case_change(const struct compare_options *o, struct compare_case *k)
{
	double br, cr;

	if (k->candidate_runs == 0) {
		k->change = COMPARE_MISSING;
		return;
	}
	cr = k->candidate_passed / k->candidate_runs;
	k->under_min_case_pass = cr < o->min_case_pass;
	if (k->baseline_runs == 0) {
		k->change = COMPARE_NEW;
		return;
	}
	br = k->baseline_passed / k->baseline_runs;
	k->change = br - cr > o->case_margin + RATE_SLACK ? COMPARE_REGRESSED
		  : cr - br > o->case_margin + RATE_SLACK ? COMPARE_IMPROVED : COMPARE_SAME;
}

static void count_side(const struct compare_runs *r, size_t i, size_t e, double *runs,
		       double *passed)
{
	for (; i < e; i++) {
		(*runs)++;
		*passed += r->runs[i].passed;
	}
}

/* Walk both sides case by case: the cases and their pairs. */
static void walk_cases(struct compare *c)
{
	const struct compare_runs *b = &c->side[0], *d = &c->side[1];
	size_t i = 0, j = 0;

	c->cases = xrealloc(NULL, (b->n + d->n + 1) * sizeof(*c->cases));
	while (i < b->n || j < d->n) {
		int cmp = i == b->n ? 1 : j == d->n ? -1
			: strcmp(b->runs[i].case_name, d->runs[j].case_name);
		size_t ie = cmp <= 0 ? case_end(b, i) : i, je = cmp >= 0 ? case_end(d, j) : j;
		struct compare_case *k = &c->cases[c->ncases++];

		memset(k, 0, sizeof(*k));
		k->name = cmp <= 0 ? b->runs[i].case_name : d->runs[j].case_name;
		count_side(b, i, ie, &k->baseline_runs, &k->baseline_passed);
		count_side(d, j, je, &k->candidate_runs, &k->candidate_passed);
		case_change(&c->options, k);
		pair_case(c, i, ie, j, je);
		i = ie;
		j = je;
	}
}

static void summarise(struct compare *c)
{
	struct compare_summary *s = &c->summary;
	double level = 1 - c->options.alpha;

	for (size_t i = 0; i < c->ncases; i++) {
		s->regressed += c->cases[i].change == COMPARE_REGRESSED;
		s->improved += c->cases[i].change == COMPARE_IMPROVED;
		s->missing += c->cases[i].change == COMPARE_MISSING;
		s->added += c->cases[i].change == COMPARE_NEW;
		s->under_min_case_pass += c->cases[i].under_min_case_pass;
	}
	s->baseline_rate = (s->both_passed + s->only_baseline) / s->pairs;
	s->candidate_rate = (s->both_passed + s->only_candidate) / s->pairs;
	s->difference = (s->only_candidate - s->only_baseline) / s->pairs;
	stats_wilson(s->both_passed + s->only_baseline, s->pairs, level, &s->baseline_low,
		     &s->baseline_high);
	stats_wilson(s->both_passed + s->only_candidate, s->pairs, level, &s->candidate_low,
		     &s->candidate_high);
	stats_newcombe_paired(s->both_passed, s->only_baseline, s->only_candidate, s->neither,
			      level, &s->difference_low, &s->difference_high);
	stats_mcnemar_exact(s->only_baseline, s->only_candidate, &s->mcnemar_p);
	s->significantly_worse = s->mcnemar_p < c->options.alpha && s->difference < 0;
	s->regression = s->significantly_worse || s->regressed > 0 || s->missing > 0;
}

enum brain_status compare_finish(struct compare *c, const struct compare_options *o)
{
	enum brain_status status;

	c->options = *o;
	memset(&c->summary, 0, sizeof(c->summary));
	for (int s = 0; s < 2; s++)
		if ((status = index_side(&c->side[s])))
			return status;
	walk_cases(c);
	if (c->summary.pairs == 0)
		return diag_error(BRAIN_DATA, "no run of the candidate pairs with a run of the "
				  "baseline (the same case and run index)");
	summarise(c);
	return BRAIN_OK;
}

/* rate of x in n with its Wilson interval at level, null when n is 0. */
static void rate_json(cJSON *o, const char *prefix, double x, double n, double level)
{
	char name[64];
	double low, high;

	snprintf(name, sizeof(name), "%s_rate", prefix);
	if (!(n > 0) || stats_wilson(x, n, level, &low, &high)) {
		cJSON_AddNullToObject(o, name);
		snprintf(name, sizeof(name), "%s_low", prefix);
		cJSON_AddNullToObject(o, name);
		snprintf(name, sizeof(name), "%s_high", prefix);
		cJSON_AddNullToObject(o, name);
		return;
	}
	cJSON_AddNumberToObject(o, name, x / n);
	snprintf(name, sizeof(name), "%s_low", prefix);
	cJSON_AddNumberToObject(o, name, low);
	snprintf(name, sizeof(name), "%s_high", prefix);
	cJSON_AddNumberToObject(o, name, high);
}

cJSON *compare_case_json(const struct compare *c, const struct compare_case *k)
{
	cJSON *o = cJSON_CreateObject();
	double level = 1 - c->options.alpha;

	cJSON_AddStringToObject(o, "record", "case");
	cJSON_AddStringToObject(o, "case", k->name);
	cJSON_AddNumberToObject(o, "baseline_passed", k->baseline_passed);
	cJSON_AddNumberToObject(o, "baseline_runs", k->baseline_runs);
	cJSON_AddNumberToObject(o, "candidate_passed", k->candidate_passed);
	cJSON_AddNumberToObject(o, "candidate_runs", k->candidate_runs);
	rate_json(o, "baseline", k->baseline_passed, k->baseline_runs, level);
	rate_json(o, "candidate", k->candidate_passed, k->candidate_runs, level);
	cJSON_AddStringToObject(o, "change", compare_change_names[k->change]);
	cJSON_AddBoolToObject(o, "under_min_case_pass", k->under_min_case_pass);
	return o;
}

/* The names of the cases that pass, as a JSON array. */
static cJSON *case_names(const struct compare *c, int change, int under)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < c->ncases; i++)
		if (under ? c->cases[i].under_min_case_pass : (int)c->cases[i].change == change)
			cJSON_AddItemToArray(a, cJSON_CreateString(c->cases[i].name));
	return a;
}

/* Why the comparison found a regression or not, in one sentence. */
static void summary_reason(const struct compare *c, char *buf, size_t size)
{
	const struct compare_summary *s = &c->summary;
	size_t len;

	if (!s->regression) {
		snprintf(buf, size, "no regression: McNemar p %.4g (alpha %g), no case regressed "
			 "by more than %g or missing", s->mcnemar_p, c->options.alpha,
			 c->options.case_margin);
	} else {
		snprintf(buf, size, "regression:%s", s->significantly_worse
			 ? " the candidate is significantly worse" : "");
		len = strlen(buf);
		if (s->significantly_worse)
			snprintf(buf + len, size - len, " (McNemar p %.4g < %g, difference %.4g)%s",
				 s->mcnemar_p, c->options.alpha, s->difference,
				 s->regressed || s->missing ? ";" : "");
		len = strlen(buf);
		if (s->regressed || s->missing)
			snprintf(buf + len, size - len, " %zu case(s) regressed by more than %g, "
				 "%zu missing", s->regressed, c->options.case_margin, s->missing);
	}
	len = strlen(buf);
	if (s->under_min_case_pass)
		snprintf(buf + len, size - len, "; %zu case(s) under the minimum case pass rate %g",
			 s->under_min_case_pass, c->options.min_case_pass);
}

cJSON *compare_summary_json(const struct compare *c)
{
	const struct compare_summary *s = &c->summary;
	cJSON *o = cJSON_CreateObject();
	char reason[512];

	cJSON_AddStringToObject(o, "record", "summary");
	cJSON_AddNumberToObject(o, "pairs", s->pairs);
	cJSON_AddNumberToObject(o, "both_passed", s->both_passed);
	cJSON_AddNumberToObject(o, "mcnemar_b", s->only_baseline);
	cJSON_AddNumberToObject(o, "mcnemar_c", s->only_candidate);
	cJSON_AddNumberToObject(o, "neither_passed", s->neither);
	cJSON_AddNumberToObject(o, "unpaired_baseline", s->unpaired_baseline);
	cJSON_AddNumberToObject(o, "unpaired_candidate", s->unpaired_candidate);
	cJSON_AddNumberToObject(o, "perturbed_left_out", c->side[0].perturbed + c->side[1].perturbed);
	cJSON_AddNumberToObject(o, "baseline_pass_rate", s->baseline_rate);
	cJSON_AddNumberToObject(o, "baseline_low", s->baseline_low);
	cJSON_AddNumberToObject(o, "baseline_high", s->baseline_high);
	cJSON_AddNumberToObject(o, "candidate_pass_rate", s->candidate_rate);
	cJSON_AddNumberToObject(o, "candidate_low", s->candidate_low);
	cJSON_AddNumberToObject(o, "candidate_high", s->candidate_high);
	cJSON_AddNumberToObject(o, "difference", s->difference);
	cJSON_AddNumberToObject(o, "difference_low", s->difference_low);
	cJSON_AddNumberToObject(o, "difference_high", s->difference_high);
	cJSON_AddStringToObject(o, "interval", "newcombe-paired");
	cJSON_AddNumberToObject(o, "level", 1 - c->options.alpha);
	cJSON_AddNumberToObject(o, "mcnemar_p", s->mcnemar_p);
	cJSON_AddNumberToObject(o, "alpha", c->options.alpha);
	cJSON_AddBoolToObject(o, "significantly_worse", s->significantly_worse);
	cJSON_AddNumberToObject(o, "cases", (double)c->ncases);
	cJSON_AddNumberToObject(o, "regressed_cases", (double)s->regressed);
	cJSON_AddNumberToObject(o, "improved_cases", (double)s->improved);
	cJSON_AddNumberToObject(o, "missing_cases", (double)s->missing);
	cJSON_AddNumberToObject(o, "new_cases", (double)s->added);
	cJSON_AddItemToObject(o, "regressed", case_names(c, COMPARE_REGRESSED, 0));
	cJSON_AddItemToObject(o, "improved", case_names(c, COMPARE_IMPROVED, 0));
	cJSON_AddItemToObject(o, "missing", case_names(c, COMPARE_MISSING, 0));
	cJSON_AddItemToObject(o, "under_min_case_pass", case_names(c, -1, 1));
	cJSON_AddNumberToObject(o, "case_margin", c->options.case_margin);
	cJSON_AddNumberToObject(o, "min_case_pass", c->options.min_case_pass);
	cJSON_AddBoolToObject(o, "regression", s->regression);
	summary_reason(c, reason, sizeof(reason));
	cJSON_AddStringToObject(o, "reason", reason);
	return o;
}
