/* Unit tests of gate: every gate evaluated, fail closed on missing
 * evidence, waivers, the policy's parse and hash, evidence round trip. */
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

START_TEST(policy_parse_and_hash)
{
	struct gate_policy a, b;
	char ha[65], hb[65];
	cJSON *o = cJSON_Parse("{\"min_readiness\":0.9,\"audit_intact\":false}");

	gate_policy_default(&a);
	gate_policy_hash(&a, ha);
	ck_assert_int_eq(gate_policy_parse(o, "p.json", &b), BRAIN_OK);
	ck_assert(b.min_readiness == 0.9 && !b.audit_intact && b.min_accuracy == 0.85);
	gate_policy_hash(&b, hb);
	ck_assert_str_ne(ha, hb);
	cJSON_Delete(o);
	unit_capture_diag();
	o = cJSON_Parse("{\"min_readines\":0.9}");
	ck_assert_int_eq(gate_policy_parse(o, "p.json", &b), BRAIN_DATA);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "p.json: unknown policy key 'min_readines'"));
	cJSON_Delete(o);
	o = cJSON_Parse("{\"min_accuracy\":2}");
	ck_assert_int_eq(gate_policy_parse(o, "p.json", &b), BRAIN_DATA);
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
		  back.has_regression && !back.regression);
	ck_assert_str_eq(back.source[0], "command line");
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
	tcase_add_test(tc, disabled_gates_are_not_enforced);
	tcase_add_test(tc, policy_parse_and_hash);
	tcase_add_test(tc, evidence_round_trips);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
