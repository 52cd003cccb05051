/* Fuzz target: brain-ab's event records, folded as `tally` folds them.
 * Whatever is accepted leaves finite sums, conversions within trials,
 * and report and decision lines that format (no NaN, no infinity). */
#include <math.h>

#include "fuzz.h"
#include "pure/ab.h"
#include "pure/ab_fold.h"

static void fold_line(const char *line, size_t len, long number, void *arg)
{
	static const struct ab_fold_options create = { 1, "script", 0, "2026-12-01T00:00:00Z" };
	struct json_loc loc = { "fuzz", number };
	struct ab_fold_stats st = { 0 };
	cJSON *rec;

	if (json_parse_line(line, len, &loc, &rec) != BRAIN_OK)
		return;
	(void)ab_fold(arg, rec, &loc, &create, &st);
	cJSON_Delete(rec);
}

static void check_kind(const struct ab_set *s, const char *kind)
{
	struct ab_options o;
	struct ab_decision d;
	size_t n;
	struct ab_arm *arms = ab_set_arms(s, kind, &n);
	struct ab_result *res = calloc(n ? n : 1, sizeof(*res));
	cJSON *line;
	char *text;

	ab_options_default(&o);
	ab_analyze(arms, n, &o, res);
	ab_decide(arms, n, res, &o, &d);
	for (size_t i = 0; i < n; i++) {
		line = ab_report_line(s->experiment, &arms[i], &res[i]);
		text = json_format_line(line, NULL);
		FUZZ_ASSERT(text != NULL);
		free(text);
		cJSON_Delete(line);
	}
	line = ab_decision_line(kind, arms, res, &d);
	text = json_format_line(line, NULL);
	FUZZ_ASSERT(text != NULL);
	free(text);
	cJSON_Delete(line);
	free(res);
	free(arms);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ab_set s;
	size_t nkinds;
	const char **kinds;

	fuzz_quiet();
	ab_set_init(&s, "fuzz");
	fuzz_lines(data, size, fold_line, &s);
	for (size_t i = 0; i < s.n; i++) {
		const struct ab_variant *v = &s.v[i];

		FUZZ_ASSERT(isfinite(v->value_sum) && isfinite(v->value_sumsq));
		FUZZ_ASSERT(v->conversions >= 0 && v->conversions <= v->trials);
	}
	kinds = ab_set_kinds(&s, &nkinds);
	for (size_t k = 0; k < nkinds; k++)
		check_kind(&s, kinds[k]);
	free(kinds);
	ab_set_free(&s);
	return 0;
}
