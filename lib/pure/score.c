/* score.c - clone readiness; see score.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pure/score.h"
#include "pure/stats.h"
#include "banned.h"

const char *const score_component_names[SCORE_N] = {
	"accuracy", "confidence", "consistency", "robustness"
};

void score_input_default(struct score_input *in)
{
	memset(in, 0, sizeof(*in));
	for (int i = 0; i < SCORE_N; i++)
		in->weight[i] = 1;
	in->threshold = 0.85;
	in->floor = 0.70;
}

/* The names of the components flagged in failing, ", "-separated. */
static void name_list(const int failing[SCORE_N], char *buf, size_t size)
{
	buf[0] = '\0';
	for (int i = 0; i < SCORE_N; i++)
		if (failing[i]) {
			size_t len = strlen(buf);

			snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
				 score_component_names[i]);
		}
}

void score_verdict(double readiness, const double value[SCORE_N], const int has[SCORE_N],
		   double threshold, double floor, struct score_result *out)
{
	char names[128];
	int nfail = 0, missing = 0;

	memset(out, 0, sizeof(*out));
	out->readiness = readiness;
	out->has_readiness = 1;
	for (int i = 0; has && i < SCORE_N; i++) {
		out->failing[i] = !has[i] || value[i] < floor;
		missing += !has[i];
		nfail += out->failing[i];
	}
	name_list(out->failing, names, sizeof(names));
	if (missing)
		snprintf(out->reason, sizeof(out->reason), "no evidence for: %s", names);
	else if (nfail)
		snprintf(out->reason, sizeof(out->reason), "below the floor %g: %s (vetoes "
			 "readiness whatever the weighted score)", floor, names);
	else if (readiness < threshold)
		snprintf(out->reason, sizeof(out->reason), "readiness %.4f is below the threshold %g%s",
			 readiness, threshold, has ? "" : SCORE_NO_COMPONENTS);
	else if (!has)
		snprintf(out->reason, sizeof(out->reason), "readiness %.4f meets the threshold %g"
			 SCORE_NO_COMPONENTS, readiness, threshold);
	else
		snprintf(out->reason, sizeof(out->reason), "readiness %.4f meets the threshold %g "
			 "and every component is at or above %g", readiness, threshold, floor);
	out->ready = !nfail && readiness >= threshold;
}

void score_compute(const struct score_input *in, struct score_result *out)
{
	double sum = 0, wsum = 0;

	for (int i = 0; i < SCORE_N; i++)
		if (in->has[i]) {
			sum += in->weight[i] * in->value[i];
			wsum += in->weight[i];
		}
	score_verdict(wsum > 0 ? sum / wsum : 0, in->value, in->has, in->threshold, in->floor,
		      out);
	if (!(wsum > 0))
		out->readiness = out->has_readiness = 0;
}

void score_runs_init(struct score_runs *r)
{
	memset(r, 0, sizeof(*r));
	r->compliance_failures = cJSON_CreateArray();
}

void score_runs_free(struct score_runs *r)
{
	for (size_t i = 0; i < r->ncases; i++)
		free(r->cases[i]);
	free(r->cases);
	free(r->case_runs);
	free(r->case_passed);
	cJSON_Delete(r->compliance_failures);
	memset(r, 0, sizeof(*r));
}

static size_t case_index(struct score_runs *r, const char *name)
{
	for (size_t i = 0; i < r->ncases; i++)
		if (!strcmp(r->cases[i], name))
			return i;
	if (r->ncases == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->cases = xrealloc(r->cases, r->cap * sizeof(*r->cases));
		r->case_runs = xrealloc(r->case_runs, r->cap * sizeof(*r->case_runs));
		r->case_passed = xrealloc(r->case_passed, r->cap * sizeof(*r->case_passed));
	}
	r->cases[r->ncases] = xstrdup(name);
	r->case_runs[r->ncases] = 0;
	r->case_passed[r->ncases] = 0;
	return r->ncases++;
}

enum brain_status score_runs_add(struct score_runs *r, const cJSON *rec,
				 const struct json_loc *loc)
{
	enum brain_status status;
	const char *name;
	int passed, perturbed = 0;
	int64_t run = 0;
	double conf = -1;
	const cJSON *compliance = NULL, *check;

	if ((status = json_get_string(rec, "case", JSON_REQUIRED, loc, &name)) ||
	    (status = json_get_int(rec, "run", JSON_OPTIONAL, loc, 0, INT64_MAX, &run)) ||
	    (status = json_get_bool(rec, "passed", JSON_REQUIRED, loc, &passed)) ||
	    (status = json_get_number(rec, "confidence", JSON_OPTIONAL, loc, 0, 1, &conf)) ||
	    (status = json_get_bool(rec, "perturbed", JSON_OPTIONAL, loc, &perturbed)) ||
	    (status = json_get_object(rec, "compliance", JSON_OPTIONAL, loc, &compliance)))
		return status;
	cJSON_ArrayForEach(check, compliance) {
		if (!cJSON_IsBool(check))
			return diag_error_at(BRAIN_DATA, loc->file, loc->line,
					     "compliance check '%s' must be true or false", check->string);
	}
	cJSON_ArrayForEach(check, compliance) {
		if (cJSON_IsFalse(check)) {
			cJSON *f = cJSON_CreateObject();

			cJSON_AddStringToObject(f, "case", name);
			cJSON_AddNumberToObject(f, "run", (double)run);
			cJSON_AddStringToObject(f, "check", check->string);
			cJSON_AddItemToArray(r->compliance_failures, f);
		}
	}
	if (perturbed) {
		r->perturbed++;
		r->perturbed_passed += passed;
	} else {
		size_t c = case_index(r, name);

		r->unperturbed++;
		r->unperturbed_passed += passed;
		r->case_runs[c]++;
		r->case_passed[c] += passed;
		if ((size_t)r->case_runs[c] > r->k_max)
			r->k_max = (size_t)r->case_runs[c];
	}
	if (conf >= 0) {
		int b = conf >= 1 ? 9 : (int)(conf * 10);

		r->bin_n[b]++;
		r->bin_passed[b] += passed;
		r->bin_conf[b] += conf;
		r->with_confidence++;
	}
	return BRAIN_OK;
}

void score_runs_finish(struct score_runs *r, struct score_input *in, cJSON *counts)
{
	double all_pass = 0, ece = 0;

	if (r->unperturbed > 0) {
		in->value[SCORE_ACCURACY] = r->unperturbed_passed / r->unperturbed;
		in->has[SCORE_ACCURACY] = 1;
	}
	if (r->with_confidence > 0) {
		for (int b = 0; b < 10; b++)
			if (r->bin_n[b] > 0)
				ece += r->bin_n[b] / r->with_confidence *
				       fabs(r->bin_passed[b] / r->bin_n[b] - r->bin_conf[b] / r->bin_n[b]);
		in->value[SCORE_CONFIDENCE] = 1 - ece;
		in->has[SCORE_CONFIDENCE] = 1;
	}
	if (r->ncases > 0) {
		for (size_t i = 0; i < r->ncases; i++)
			all_pass += r->case_passed[i] == r->case_runs[i];
		in->value[SCORE_CONSISTENCY] = all_pass / (double)r->ncases;
		in->has[SCORE_CONSISTENCY] = 1;
	}
	if (r->perturbed > 0) {
		in->value[SCORE_ROBUSTNESS] = r->perturbed_passed / r->perturbed;
		in->has[SCORE_ROBUSTNESS] = 1;
	}
	cJSON_AddNumberToObject(counts, "runs", r->unperturbed + r->perturbed);
	cJSON_AddNumberToObject(counts, "unperturbed_runs", r->unperturbed);
	cJSON_AddNumberToObject(counts, "perturbed_runs", r->perturbed);
	cJSON_AddNumberToObject(counts, "cases", (double)r->ncases);
	cJSON_AddNumberToObject(counts, "k", (double)r->k_max);
	cJSON_AddNumberToObject(counts, "cases_passing_all_runs", all_pass);
	cJSON_AddNumberToObject(counts, "with_confidence", r->with_confidence);
	if (r->with_confidence > 0)
		cJSON_AddNumberToObject(counts, "ece", ece);
}

void score_runs_intervals(const struct score_runs *r, double level, struct score_intervals *iv)
{
	double all_pass = 0;

	memset(iv, 0, sizeof(*iv));
	iv->level = level;
	for (size_t i = 0; i < r->ncases; i++)
		all_pass += r->case_passed[i] == r->case_runs[i];
	iv->has[SCORE_ACCURACY] = !stats_wilson(r->unperturbed_passed, r->unperturbed, level,
						&iv->low[SCORE_ACCURACY],
						&iv->high[SCORE_ACCURACY]);
	iv->has[SCORE_CONSISTENCY] = !stats_wilson(all_pass, (double)r->ncases, level,
						   &iv->low[SCORE_CONSISTENCY],
						   &iv->high[SCORE_CONSISTENCY]);
	iv->has[SCORE_ROBUSTNESS] = !stats_wilson(r->perturbed_passed, r->perturbed, level,
						  &iv->low[SCORE_ROBUSTNESS],
						  &iv->high[SCORE_ROBUSTNESS]);
}

int score_readiness_range(const struct score_input *in, const struct score_intervals *iv,
			  double *low, double *high)
{
	double lo = 0, hi = 0, wsum = 0;

	for (int i = 0; i < SCORE_N; i++)
		if (in->has[i]) {
			lo += in->weight[i] * (iv->has[i] ? iv->low[i] : in->value[i]);
			hi += in->weight[i] * (iv->has[i] ? iv->high[i] : in->value[i]);
			wsum += in->weight[i];
		}
	if (!(wsum > 0))
		return -1;
	*low = lo / wsum;
	*high = hi / wsum;
	return 0;
}
