/* score_compare.c - brain-score compare: paired evaluation of a candidate
 * against the baseline; see score_cmd.h and pure/compare.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/command.h"
#include "cmd/score_cmd.h"
#include "core/jsonl.h"
#include "diag.h"
#include "banned.h"

/* Every run of one file into side s of c. */
static enum brain_status read_side(struct compare *c, enum compare_side s, const char *path)
{
	struct jsonl_reader r;
	enum brain_status status = BRAIN_OK;
	size_t before = c->side[s].n;
	double perturbed = c->side[s].perturbed;
	int rc;
	cJSON *rec;

	if ((status = jsonl_open(&r, path, 0)))
		return status;
	while ((rc = jsonl_next(&r, &rec)) != JSONL_EOF) {
		struct json_loc loc = jsonl_where(&r);

		if (rc == BRAIN_OK)
			rc = compare_add(c, s, rec, &loc);
		cJSON_Delete(rec);
		if (rc) {
			status = rc == BRAIN_IO ? BRAIN_IO : BRAIN_DATA;
			break;
		}
	}
	if (!status && c->side[s].n == before && c->side[s].perturbed == perturbed)
		status = diag_error(BRAIN_DATA, "%s: no runs", strcmp(path, "-") ? path : "stdin");
	jsonl_close(&r);
	return status;
}

/* "7/10" */
static void count_text(double passed, double runs, char *buf, size_t size)
{
	snprintf(buf, size, "%.0f/%.0f", passed, runs);
}

/* A rate with its interval: "0.8167 [0.7, 0.89]". */
static void rate_text(const cJSON *line, const char *rate, const char *low, const char *high,
		      char *buf, size_t size)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(line, rate);
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(line, low);
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(line, high);

	if (!cJSON_IsNumber(r) || !cJSON_IsNumber(l) || !cJSON_IsNumber(h))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.4g [%.4g, %.4g]", r->valuedouble, l->valuedouble,
			 h->valuedouble);
}

static void print_case_table(const struct compare *c)
{
	struct table *t = table_new(6, (const char *[]){ "CASE", "BASELINE", "CANDIDATE",
							 "CANDIDATE RATE", "CHANGE", "NOTE" });

	for (size_t i = 0; i < c->ncases; i++) {
		const struct compare_case *k = &c->cases[i];
		cJSON *line = compare_case_json(c, k);
		char base[48], cand[48], rate[96];

		count_text(k->baseline_passed, k->baseline_runs, base, sizeof(base));
		count_text(k->candidate_passed, k->candidate_runs, cand, sizeof(cand));
		rate_text(line, "candidate_rate", "candidate_low", "candidate_high", rate,
			  sizeof(rate));
		table_add(t, (const char *[]){ k->name, base, cand, rate,
			k->change == COMPARE_SAME ? "same" : k->change == COMPARE_REGRESSED
			? "REGRESSED" : compare_change_names[k->change],
			k->under_min_case_pass ? "under the minimum" : "" });
		cJSON_Delete(line);
	}
	table_print(t, stdout);
	table_free(t);
}

/* "what: c01, c02" when names is not empty. */
static void print_names(const char *what, const cJSON *names)
{
	const cJSON *n;
	int first = 1;

	cJSON_ArrayForEach(n, names) {
		printf("%s%s", first ? what : ", ", first ? ": " : "");
		printf("%s", cJSON_IsString(n) ? n->valuestring : "");
		first = 0;
	}
	if (!first)
		printf("\n");
}

/* The comparison as people read it: the cases, then the pass rates, the
 * difference, McNemar's test and the verdict. */
static void print_compare_text(const struct compare *c)
{
	const struct compare_summary *s = &c->summary;
	cJSON *sum = compare_summary_json(c);
	char base[96], cand[96], diff[96];

	print_case_table(c);
	rate_text(sum, "baseline_pass_rate", "baseline_low", "baseline_high", base, sizeof(base));
	rate_text(sum, "candidate_pass_rate", "candidate_low", "candidate_high", cand,
		  sizeof(cand));
	rate_text(sum, "difference", "difference_low", "difference_high", diff, sizeof(diff));
	printf("\n%.0f paired runs: baseline %s, candidate %s\n", s->pairs, base, cand);
	printf("difference %s (Newcombe's paired interval, %g%%)\n", diff,
	       100 * (1 - c->options.alpha));
	printf("McNemar exact: %.0f only the baseline passed, %.0f only the candidate, "
	       "p %.4g (alpha %g)\n", s->only_baseline, s->only_candidate, s->mcnemar_p,
	       c->options.alpha);
	printf("cases: %zu regressed, %zu improved, %zu missing, %zu new (margin %g)\n",
	       s->regressed, s->improved, s->missing, s->added, c->options.case_margin);
	print_names("regressed", cJSON_GetObjectItemCaseSensitive(sum, "regressed"));
	print_names("missing", cJSON_GetObjectItemCaseSensitive(sum, "missing"));
	print_names("under the minimum case pass rate",
		    cJSON_GetObjectItemCaseSensitive(sum, "under_min_case_pass"));
	printf("%s\n", json_string_or_empty(sum, "reason"));
	cJSON_Delete(sum);
}

static enum brain_status print_compare_lines(const struct compare *c)
{
	enum brain_status status = BRAIN_OK;

	for (size_t i = 0; i < c->ncases && !status; i++)
		status = output_print_free(compare_case_json(c, &c->cases[i]));
	if (!status)
		status = output_print_free(compare_summary_json(c));
	return status;
}

enum brain_status score_cmd_compare(const struct cli *cli, const struct score_compare_args *a)
{
	struct compare c;
	enum brain_status status;

	compare_init(&c);
	if (!(status = read_side(&c, COMPARE_BASELINE, a->baseline)) &&
	    !(status = read_side(&c, COMPARE_CANDIDATE, a->candidate)) &&
	    !(status = compare_finish(&c, &a->options))) {
		if (cli->format == CLI_FORMAT_TEXT)
			print_compare_text(&c);
		else
			status = print_compare_lines(&c);
	}
	if (!status && ((a->fail_on_regression && c.summary.regression) ||
			c.summary.under_min_case_pass > 0))
		status = BRAIN_NO;
	compare_free(&c);
	return status;
}
