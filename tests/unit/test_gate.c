/* Unit tests of gate: every gate evaluated, fail closed on missing
 * evidence, waivers, the readiness gate as brain-score's rule (threshold,
 * floor, verdict), the policy's parse and hash (legacy policies too),
 * evidence round trip. */
#include "unit.h"

#include "pure/gate.h"

static struct gate_evidence full(double readiness, double accuracy, int regression)
{
	struct gate_evidence e;

	memset(&e, 0, sizeof(e));
	e.readiness = readiness;
	e.accuracy = accuracy;
	e.regression = regression;
	e.audit_intact = 1;
	e.has_readiness = e.has_accuracy = e.has_regression = e.has_audit = 1;
	return e;
}

START_TEST(seed_gates)
{
	struct gate_policy p;
	struct gate_outcome out[GATE_COUNT];
	struct gate_evidence e = full(0.85, 0.91, 0);

	gate_policy_default(&p);
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 1);
	e.regression = 1;
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 0);
	ck_assert(!out[2].passed && out[0].passed && out[1].passed && out[3].passed && out[4].passed);
	ck_assert_str_eq(out[2].reason, "regression detected");
}
END_TEST

START_TEST(every_gate_is_evaluated_not_only_the_first)
{
	struct gate_policy p;
	struct gate_outcome out[GATE_COUNT];
	struct gate_evidence e = full(0.5, 0.5, 1);

	gate_policy_default(&p);
	e.audit_intact = 0;
	e.has_compliance = 1;
	e.compliance_failures = 2;
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 0);
	for (int i = 0; i < GATE_COUNT; i++)
		ck_assert_msg(!out[i].passed, "gate %s", gate_names[i]);
	ck_assert_str_eq(out[4].reason, "2 compliance check(s) failed");
}
END_TEST

START_TEST(missing_evidence_fails_closed)
{
	struct gate_policy p;
	struct gate_outcome out[GATE_COUNT];
	struct gate_evidence e;

	memset(&e, 0, sizeof(e));
	gate_policy_default(&p);
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 0);
	for (int i = 0; i < 4; i++)
		ck_assert_str_eq(out[i].reason, "no evidence");
	ck_assert(out[4].passed); /* no compliance failures recorded */
	p.require_compliance_evidence = 1;
	gate_evaluate(&p, &e, NULL, 0, 0, out);
	ck_assert(!out[4].passed);
}
END_TEST

START_TEST(waiver_passes_one_gate_until_it_expires)
{
	struct gate_policy p;
	struct gate_outcome out[GATE_COUNT];
	struct gate_evidence e = full(0.9, 0.9, 1);
	struct gate_waiver w = { "no_regression", 1000, "known dip" };

	gate_policy_default(&p);
	ck_assert_int_eq(gate_evaluate(&p, &e, &w, 1, 999, out), 1);
	ck_assert(out[2].waived);
	ck_assert_ptr_nonnull(strstr(out[2].reason, "waived until"));
	ck_assert_int_eq(gate_evaluate(&p, &e, &w, 1, 1000, out), 0);
	ck_assert(!out[2].waived);
}
END_TEST

START_TEST(a_waivers_days_left_are_rounded_down)
{
	const time_t now = 1795867200; /* 2026-11-28T12:00:00Z */
	const time_t day = 86400;

	ck_assert_int_eq(gate_waiver_days(now + 2 * day + day / 2, now), 2);
	ck_assert_int_eq(gate_waiver_days(now + day - 1, now), 0);
	ck_assert_int_eq(gate_waiver_days(now + day, now), 1);
	ck_assert_int_eq(gate_waiver_days(now, now), 0);
	/* Once passed, negative: an hour ago is day -1. */
	ck_assert_int_eq(gate_waiver_days(now - 3600, now), -1);
	ck_assert_int_eq(gate_waiver_days(now - day, now), -1);
	ck_assert_int_eq(gate_waiver_days(now - day - 1, now), -2);
}
END_TEST

START_TEST(a_waiver_ending_within_seven_days_is_expiring)
{
	const time_t now = 1795867200;
	const time_t day = 86400;

	ck_assert_int_eq(GATE_WAIVER_WARN_DAYS, 7);
	ck_assert(gate_waiver_expiring(now + 1, now));
	ck_assert(gate_waiver_expiring(now + 7 * day, now));
	ck_assert(!gate_waiver_expiring(now + 7 * day + 1, now));
	/* One that has ended is not in force, so not expiring. */
	ck_assert(!gate_waiver_expiring(now, now));
	ck_assert(!gate_waiver_expiring(now - day, now));
}
END_TEST

START_TEST(a_waived_gate_says_how_many_days_are_left)
{
	struct gate_policy p;
	struct gate_outcome out[GATE_COUNT];
	struct gate_evidence e = full(0.9, 0.9, 1);
	struct gate_waiver w = { "no_regression", 1795867200 + 3 * 86400 + 5, "known dip" };
	cJSON *line;

	gate_policy_default(&p);
	ck_assert_int_eq(gate_evaluate(&p, &e, &w, 1, 1795867200, out), 1);
	ck_assert_int_eq(out[2].waiver_days, 3);
	line = gate_outcome_line(&p, &e, &out[2], 2);
	ck_assert_double_eq(cJSON_GetObjectItemCaseSensitive(line, "waiver_expires_in_days")->valuedouble,
			    3);
	cJSON_Delete(line);
	line = gate_outcome_line(&p, &e, &out[0], 0);
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(line, "waiver_expires_in_days"));
	cJSON_Delete(line);
}
END_TEST

START_TEST(a_misspelt_gate_is_answered_with_the_gates)
{
	ck_assert_int_eq(gate_index("readiness"), 0);
	ck_assert_int_eq(gate_index("no_compliance_failures"), 4);
	ck_assert_int_eq(gate_index("readyness"), -1);
	ck_assert_int_eq(gate_index(""), -1);
	ck_assert_int_eq(gate_name_check("accuracy", BRAIN_USAGE, NULL), BRAIN_OK);
	unit_capture_diag();
	ck_assert_int_eq(gate_name_check("acuracy", BRAIN_USAGE, NULL), BRAIN_USAGE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "unknown gate 'acuracy': the gates are "
				     "readiness, accuracy, no_regression, audit_intact, "
				     "no_compliance_failures"));
	unit_capture_diag();
	ck_assert_int_eq(gate_name_check("x", BRAIN_STATE, "f: waiver 2"), BRAIN_STATE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "f: waiver 2: unknown gate 'x': "));
}
END_TEST

START_TEST(disabled_gates_are_not_enforced)
{
	struct gate_policy p;
	struct gate_outcome out[GATE_COUNT];
	struct gate_evidence e = full(0.9, 0.9, 1);
	int enabled[GATE_COUNT];

	gate_policy_default(&p);
	p.no_regression = 0;
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 1);
	gate_enabled(&p, enabled);
	ck_assert(!enabled[2] && enabled[0]);
}
END_TEST

/* Known components (all four) on top of full(). */
static void with_components(struct gate_evidence *e, double a, double c, double k, double r)
{
	double v[SCORE_N] = { a, c, k, r };

	for (int i = 0; i < SCORE_N; i++) {
		e->component[i] = v[i];
		e->has_component[i] = 1;
	}
	e->has_components = 1;
}

/* The examples: brain-score says not ready, so the gate blocks,
 * naming the floor or the threshold; a ready clone still promotes. */
START_TEST(readiness_gate_is_brain_scores_rule)
{
	struct gate_policy p;
	struct gate_outcome out[GATE_COUNT];
	struct gate_evidence e = full(0.8625, 0.95, 0);

	gate_policy_default(&p);
	with_components(&e, 0.95, 0.95, 0.95, 0.60);
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 0);
	ck_assert(!out[0].passed && out[1].passed);
	ck_assert_str_eq(out[0].reason, "below the floor 0.7: robustness (vetoes readiness "
		 "whatever the weighted score)");
	e = full(0.815, 0.86, 0);
	with_components(&e, 0.86, 0.80, 0.80, 0.80);
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 0);
	ck_assert_str_eq(out[0].reason, "readiness 0.8150 is below the threshold 0.85");
	e = full(0.905, 0.92, 0);
	with_components(&e, 0.92, 0.90, 0.89, 0.91);
	e.has_score_ready = e.score_ready = 1;
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 1);
	ck_assert_str_eq(out[0].reason, "readiness 0.9050 meets the threshold 0.85 and every "
		 "component is at or above 0.7");
	/* The threshold and floor are the policy's (score.threshold, score.floor). */
	p.floor = 0.95;
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 0);
}
END_TEST

/* A bare number (the command line, no score record): the threshold alone,
 * 0.85 and not the old 0.80, and the reason says the floor was not checked;
 * a hand-given number with known components still meets the floor. */
START_TEST(a_bare_readiness_number_meets_the_threshold_only)
{
	struct gate_policy p;
	struct gate_outcome out[GATE_COUNT];
	struct gate_evidence e = full(0.82, 0.9, 0);

	gate_policy_default(&p);
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 0);
	ck_assert_str_eq(out[0].reason, "readiness 0.8200 is below the threshold 0.85 "
		 "(components not known: the floor is not checked)");
	e.readiness = 0.85;
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 1);
	with_components(&e, 0.99, 0.99, 0.99, 0.5);
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 0);
	ck_assert_ptr_nonnull(strstr(out[0].reason, "below the floor 0.7: robustness"));
}
END_TEST

/* brain-score's "not ready" vetoes even when the gate's own check would
 * pass (a laxer policy file, or a hand-given number); only a waiver lets
 * such a clone through, and it says so. */
START_TEST(brain_scores_not_ready_blocks_unless_waived)
{
	struct gate_policy p;
	struct gate_outcome out[GATE_COUNT];
	struct gate_evidence e = full(0.87, 0.9, 0);
	struct gate_waiver w = { "readiness", 1000, "accepted for the pilot" };

	gate_policy_default(&p);
	with_components(&e, 0.87, 0.87, 0.87, 0.87);
	e.has_score_ready = 1;
	e.score_ready = 0;
	snprintf(e.score_reason, sizeof(e.score_reason),
		 "readiness 0.8700 is below the threshold 0.9");
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 0);
	ck_assert_str_eq(out[0].reason, "brain-score's verdict is not ready: readiness 0.8700 "
		 "is below the threshold 0.9");
	ck_assert_int_eq(gate_evaluate(&p, &e, &w, 1, 999, out), 1);
	ck_assert(out[0].waived && out[0].passed);
	ck_assert_str_eq(out[0].reason, "brain-score's verdict is not ready: readiness 0.8700 "
		 "is below the threshold 0.9; waived until 1970-01-01T00:16:40Z: accepted for "
		 "the pilot");
	ck_assert_int_eq(gate_evaluate(&p, &e, &w, 1, 1000, out), 0);
}
END_TEST

/* The policy hashes are SHA-256 of the canonical JSON, computed with
 * Python's hashlib:
 *   hashlib.sha256(b'{"score_threshold":0.85,"score_floor":0.7,"min_accuracy":0.85,'
 *     b'"no_regression":true,"audit_intact":true,"no_compliance_failures":true,'
 *     b'"require_compliance_evidence":false}').hexdigest()
 * and the same with '"min_readiness":0.8' in place of the first two keys
 * (the hash every decision before the readiness gate followed brain-score
 * recorded). */
START_TEST(policy_parse_and_hash)
{
	struct gate_policy a, b;
	char ha[65], hb[65];
	cJSON *o = cJSON_Parse("{\"score_threshold\":0.9,\"audit_intact\":false}");

	gate_policy_default(&a);
	gate_policy_hash(&a, ha);
	ck_assert_str_eq(ha, "9adc38af525aadb59283409c937ba030b4d4364038abaa0465623c5c024b92ae");
	ck_assert_int_eq(gate_policy_parse(o, "p.json", 0, &b), BRAIN_OK);
	ck_assert(b.threshold == 0.9 && b.floor == 0.7 && !b.audit_intact &&
		  b.min_accuracy == 0.85 && !b.legacy);
	gate_policy_hash(&b, hb);
	ck_assert_str_ne(ha, hb);
	cJSON_Delete(o);
	unit_capture_diag();
	o = cJSON_Parse("{\"min_readines\":0.9}");
	ck_assert_int_eq(gate_policy_parse(o, "p.json", 0, &b), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "p.json: unknown policy key 'min_readines'"));
	/* Answered with the keys there are, the legacy one left out. */
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "': the keys are score_threshold, "
				     "score_floor, min_accuracy, no_regression, audit_intact, "
				     "no_compliance_failures, require_compliance_evidence, "
				     "min_runs\n"));
	cJSON_Delete(o);
	o = cJSON_Parse("{\"min_accuracy\":2}");
	ck_assert_int_eq(gate_policy_parse(o, "p.json", 0, &b), BRAIN_DATA);
	cJSON_Delete(o);
	o = cJSON_Parse("{\"score_floor\":-0.1}");
	ck_assert_int_eq(gate_policy_parse(o, "p.json", 0, &b), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "'score_floor' must be a number from 0 to 1"));
	cJSON_Delete(o);
}
END_TEST

/* A policy recorded before the change keeps its rule and its hash, so the
 * decision replays as it was made; a policy file may not use it. */
START_TEST(a_legacy_policy_replays_as_recorded)
{
	static const char legacy[] =
		"{\"min_readiness\":0.8,\"min_accuracy\":0.85,\"no_regression\":true,"
		"\"audit_intact\":true,\"no_compliance_failures\":true,"
		"\"require_compliance_evidence\":false}";
	struct gate_policy p;
	struct gate_outcome out[GATE_COUNT];
	struct gate_evidence e = full(0.82, 0.9, 0);
	char h[65];
	cJSON *o = cJSON_Parse(legacy), *line;

	ck_assert_int_eq(gate_policy_parse(o, "recorded policy", 1, &p), BRAIN_OK);
	ck_assert(p.legacy && p.min_readiness == 0.8);
	gate_policy_hash(&p, h);
	ck_assert_str_eq(h, "f0ba03b680842ab2ae54f86005249b3d2500fa114d923a05b27f20f3c8f79dad");
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 1);
	ck_assert_str_eq(out[0].reason, "readiness 0.82 >= 0.8");
	line = gate_outcome_line(&p, &e, &out[0], 0);
	ck_assert_double_eq(cJSON_GetObjectItem(line, "required")->valuedouble, 0.8);
	ck_assert_ptr_null(cJSON_GetObjectItem(line, "floor"));
	cJSON_Delete(line);
	unit_capture_diag();
	ck_assert_int_eq(gate_policy_parse(o, "p.json", 0, &p), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "p.json: 'min_readiness' is no longer a "
				     "policy key"));
	cJSON_Delete(o);
	o = cJSON_Parse("{\"min_readiness\":0.8,\"score_floor\":0.5}");
	ck_assert_int_eq(gate_policy_parse(o, "recorded policy", 1, &p), BRAIN_DATA);
	cJSON_Delete(o);
}
END_TEST

START_TEST(evidence_round_trips)
{
	struct gate_evidence e = full(0.87, 0.9, 0), back;
	cJSON *j;

	snprintf(e.source[0], sizeof(e.source[0]), "command line");
	e.has_audit = 0;
	j = gate_evidence_json(&e);
	ck_assert_int_eq(gate_evidence_parse(j, &back), BRAIN_OK);
	ck_assert(back.readiness == 0.87 && back.has_readiness && !back.has_audit &&
		  back.has_regression && !back.regression && !back.has_components &&
		  !back.has_score_ready);
	ck_assert_str_eq(back.source[0], "command line");
	cJSON_Delete(j);
	/* Components (one missing) and brain-score's verdict come back too. */
	with_components(&e, 0.9, 0.8, 0.7, 0.6);
	e.has_component[2] = 0;
	e.has_score_ready = 1;
	snprintf(e.score_reason, sizeof(e.score_reason), "below the floor");
	j = gate_evidence_json(&e);
	ck_assert_int_eq(gate_evidence_parse(j, &back), BRAIN_OK);
	ck_assert(back.has_components && back.has_component[3] && !back.has_component[2] &&
		  back.component[3] == 0.6 && back.has_score_ready && !back.score_ready);
	ck_assert_str_eq(back.score_reason, "below the floor");
	cJSON_Delete(j);
}
END_TEST

/* A decision recorded before the change has no components or verdict. */
START_TEST(old_evidence_has_no_components)
{
	struct gate_evidence e;
	cJSON *j = cJSON_Parse(
		"{\"readiness\":{\"value\":0.82,\"source\":\"command line\"},"
		"\"accuracy\":{\"value\":0.9,\"source\":\"command line\"},"
		"\"regression\":{\"value\":false,\"source\":\"command line\"},"
		"\"audit_intact\":{\"value\":true,\"source\":\"brain-audit verify (2 records)\"},"
		"\"compliance_failures\":{\"value\":null,\"source\":\"none\"}}");

	ck_assert_int_eq(gate_evidence_parse(j, &e), BRAIN_OK);
	ck_assert(e.has_readiness && e.readiness == 0.82 && !e.has_components &&
		  !e.has_score_ready && e.has_audit);
	cJSON_Delete(j);
	unit_capture_diag();
	j = cJSON_Parse("{\"readiness\":{\"value\":0.82,\"source\":\"x\",\"components\":[]}}");
	ck_assert_int_eq(gate_evidence_parse(j, &e), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "'components' must be an object or null"));
	cJSON_Delete(j);
}
END_TEST

START_TEST(too_few_runs_is_no_evidence)
{
	struct gate_policy p;
	struct gate_outcome out[GATE_COUNT];
	struct gate_evidence e = full(0.9, 0.9, 0);
	char before[65], after[65];

	gate_policy_default(&p);
	gate_policy_hash(&p, before);
	p.min_runs = 20;
	gate_policy_hash(&p, after);
	ck_assert_str_ne(before, after);
	/* A readiness not from runs. */
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 0);
	ck_assert_str_eq(out[0].reason, "no evidence: the score is not from runs, the policy asks "
			 "for at least 20");
	e.has_runs = 1;
	e.runs = 19;
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 0);
	ck_assert_str_eq(out[0].reason, "no evidence: the score has 19 runs, the policy asks for "
			 "at least 20");
	e.runs = 20;
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 1);
	/* A paired comparison with too few pairs; brain-eval's state has no runs. */
	e.has_comparison = 1;
	e.comparison_pairs = 12;
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 0);
	ck_assert_ptr_nonnull(strstr(out[2].reason, "no evidence: the paired comparison has 12 "
				     "paired runs"));
	e.comparison_pairs = 40;
	e.regression = 1;
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 0);
	ck_assert_str_eq(out[2].reason, "the paired comparison finds a regression");
	e.has_comparison = 0;
	e.regression = 0;
	ck_assert_int_eq(gate_evaluate(&p, &e, NULL, 0, 0, out), 1);
}
END_TEST

START_TEST(min_runs_parses_and_replays)
{
	struct gate_policy p, q;
	struct gate_evidence e = full(0.9, 0.9, 1), back;
	cJSON *o = cJSON_Parse("{\"min_runs\":30}"), *j;
	char *text;

	unit_capture_diag();
	ck_assert_int_eq(gate_policy_parse(o, "p.json", 0, &p), BRAIN_OK);
	ck_assert(p.min_runs == 30);
	j = gate_policy_json(&p);
	ck_assert_int_eq(gate_policy_parse(j, "recorded", 1, &q), BRAIN_OK);
	ck_assert(q.min_runs == 30);
	cJSON_Delete(j);
	cJSON_Delete(o);
	o = cJSON_Parse("{\"min_runs\":-1}");
	ck_assert_int_eq(gate_policy_parse(o, "p.json", 0, &p), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "p.json: 'min_runs' must be a whole number"));
	cJSON_Delete(o);
	/* The default policy's JSON has no min_runs: its hash is unchanged. */
	gate_policy_default(&p);
	j = gate_policy_json(&p);
	text = cJSON_PrintUnformatted(j);
	ck_assert_ptr_null(strstr(text, "min_runs"));
	free(text);
	cJSON_Delete(j);
	/* The runs and the comparison's pairs are recorded and read back. */
	e.has_runs = 1;
	e.runs = 50;
	e.has_comparison = 1;
	e.comparison_pairs = 100;
	j = gate_evidence_json(&e);
	ck_assert_int_eq(gate_evidence_parse(j, &back), BRAIN_OK);
	ck_assert(back.has_runs && back.runs == 50 && back.has_comparison &&
		  back.comparison_pairs == 100 && back.regression);
	cJSON_Delete(j);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("gate");
	TCase *tc = tcase_create("gate");

	tcase_add_test(tc, seed_gates);
	tcase_add_test(tc, every_gate_is_evaluated_not_only_the_first);
	tcase_add_test(tc, missing_evidence_fails_closed);
	tcase_add_test(tc, waiver_passes_one_gate_until_it_expires);
	tcase_add_test(tc, a_waivers_days_left_are_rounded_down);
	tcase_add_test(tc, a_waiver_ending_within_seven_days_is_expiring);
	tcase_add_test(tc, a_waived_gate_says_how_many_days_are_left);
	tcase_add_test(tc, a_misspelt_gate_is_answered_with_the_gates);
	tcase_add_test(tc, disabled_gates_are_not_enforced);
	tcase_add_test(tc, readiness_gate_is_brain_scores_rule);
	tcase_add_test(tc, a_bare_readiness_number_meets_the_threshold_only);
	tcase_add_test(tc, brain_scores_not_ready_blocks_unless_waived);
	tcase_add_test(tc, policy_parse_and_hash);
	tcase_add_test(tc, a_legacy_policy_replays_as_recorded);
	tcase_add_test(tc, evidence_round_trips);
	tcase_add_test(tc, old_evidence_has_no_components);
	tcase_add_test(tc, too_few_runs_is_no_evidence);
	tcase_add_test(tc, min_runs_parses_and_replays);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
