/* Fuzz target: the other record parsers, one record per line, the first
 * byte of the input choosing which: a lead's deal fields (brain-packet),
 * a run (brain-score --runs), a gate policy (brain-gate --policy), gate
 * evidence (an audited decision, for replay), a lead's phone and email
 * (brain-ingest, brain-packet).  Whatever is accepted computes to lines
 * that format; a policy or evidence written and read again is the same;
 * a normalised contact normalises to itself. */
#include <math.h>

#include "fuzz.h"
#include "pure/contact.h"
#include "pure/deal.h"
#include "pure/gate.h"
#include "pure/score.h"

static void must_format(cJSON *o)
{
	char *text = json_format_line(o, NULL);

	FUZZ_ASSERT(text != NULL);
	free(text);
}

static void deal(const cJSON *rec, const struct json_loc *loc)
{
	static struct deal_input in;
	struct deal_settings set;
	cJSON *warnings = cJSON_CreateArray(), *d;

	deal_settings_default(&set);
	if (deal_read(rec, loc, &set, 1764547200, &in) == BRAIN_OK &&
	    (d = deal_compute(&in, warnings))) {
		must_format(d);
		cJSON_Delete(d);
	}
	must_format(warnings);
	cJSON_Delete(warnings);
}

static void policy(const cJSON *rec)
{
	struct gate_policy p, q;
	cJSON *o, *back;

	if (gate_policy_parse(rec, "fuzz", 1, &p) != BRAIN_OK)
		return;
	o = gate_policy_json(&p);
	must_format(o);
	FUZZ_ASSERT(gate_policy_parse(o, "fuzz", 1, &q) == BRAIN_OK);
	back = gate_policy_json(&q);
	FUZZ_ASSERT(json_equal_exact(o, back));
	cJSON_Delete(back);
	cJSON_Delete(o);
}

static void evidence(const cJSON *rec)
{
	struct gate_evidence e, f;
	cJSON *o, *back;

	if (gate_evidence_parse(rec, &e) != BRAIN_OK)
		return;
	o = gate_evidence_json(&e);
	must_format(o);
	FUZZ_ASSERT(gate_evidence_parse(o, &f) == BRAIN_OK);
	back = gate_evidence_json(&f);
	FUZZ_ASSERT(json_equal_exact(o, back));
	cJSON_Delete(back);
	cJSON_Delete(o);
}

static void contact(const cJSON *rec)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, rec) {
		char out[64], again[64];

		if (!cJSON_IsString(m))
			continue;
		if (!contact_normalise_phone(m->valuestring, out, sizeof(out))) {
			FUZZ_ASSERT(strlen(out) < sizeof(out));
			FUZZ_ASSERT(!contact_normalise_phone(out, again, sizeof(again)) &&
				    !strcmp(out, again));
		}
		if (!contact_normalise_email(m->valuestring, out, sizeof(out))) {
			FUZZ_ASSERT(strlen(out) < sizeof(out));
			FUZZ_ASSERT(!contact_normalise_email(out, again, sizeof(again)) &&
				    !strcmp(out, again));
		}
	}
}

struct runs_arg {
	int which;
	struct score_runs runs;
};

static void one_line(const char *line, size_t len, long number, void *arg)
{
	struct runs_arg *a = arg;
	struct json_loc loc = { "fuzz", number };
	cJSON *rec;

	if (json_parse_line(line, len, &loc, &rec) != BRAIN_OK)
		return;
	if (a->which == 0)
		deal(rec, &loc);
	else if (a->which == 1)
		(void)score_runs_add(&a->runs, rec, &loc);
	else if (a->which == 2)
		policy(rec);
	else if (a->which == 3)
		evidence(rec);
	else
		contact(rec);
	cJSON_Delete(rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct runs_arg a;
	struct score_input in;
	cJSON *counts;

	if (size == 0)
		return 0;
	fuzz_quiet();
	a.which = data[0] % 5;
	score_runs_init(&a.runs);
	fuzz_lines(data + 1, size - 1, one_line, &a);
	score_input_default(&in);
	counts = cJSON_CreateObject();
	score_runs_finish(&a.runs, &in, counts);
	for (int i = 0; i < SCORE_N; i++)
		FUZZ_ASSERT(!in.has[i] || (in.value[i] >= 0 && in.value[i] <= 1));
	must_format(counts);
	cJSON_Delete(counts);
	score_runs_free(&a.runs);
	return 0;
}
