/* Unit tests of deal: the worked example of the deal math, rounding, and
 * every warning. */
#include "unit.h"

#include <math.h>

#include "core/clock.h"
#include "pure/deal.h"

static cJSON *compute(const char *lead_json, double rule, double fee, cJSON **warnings)
{
	cJSON *lead = cJSON_Parse(lead_json), *deal;
	struct deal_input in;
	struct json_loc loc = { "lead", 1 };
	time_t now;

	ck_assert_ptr_nonnull(lead);
	ck_assert_int_eq(time_text_parse("2026-11-28T12:00:00Z", &now), 0);
	ck_assert_int_eq(deal_read(lead, &loc, rule, fee, now, &in), BRAIN_OK);
	*warnings = cJSON_CreateArray();
	deal = deal_compute(&in, *warnings);
	cJSON_Delete(lead);
	return deal;
}

static double num(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	ck_assert_msg(cJSON_IsNumber(v), "no '%s'", name);
	return v->valuedouble;
}

START_TEST(worked_example)
{
	cJSON *w, *d = compute("{\"sqft\":1450,\"comps\":[{\"price\":252000,\"sqft\":1400},"
			       "{\"price\":268000,\"sqft\":1520},{\"price\":251000,\"sqft\":1380}],"
			       "\"repairs\":45000,\"assignment_fee\":12000}", 0.70, 0, &w);

	ck_assert_ptr_nonnull(d);
	ck_assert(num(d, "arv") == 260130);
	ck_assert(num(d, "buyer_max_price") == 137091);
	ck_assert(num(d, "mao") == 125091);
	ck_assert_int_eq(cJSON_GetArraySize(w), 0);
	cJSON_Delete(d);
	cJSON_Delete(w);
}
END_TEST

START_TEST(buyer_side_figures)
{
	cJSON *w, *d = compute("{\"arv\":300000,\"repairs\":40000,\"contract_price\":150000,"
			       "\"assignment_fee\":15000}", 0.70, 0, &w);

	ck_assert(num(d, "price_to_buyer") == 165000);
	ck_assert(num(d, "buyer_all_in") == 205000);
	ck_assert(fabs(num(d, "all_in_share_of_arv") - 0.6833) < 1e-9);
	ck_assert(num(d, "fee_headroom") == 170000 - 165000);
	ck_assert_str_eq(cJSON_GetObjectItem(d, "arv_source")->valuestring, "given");
	cJSON_Delete(d);
	cJSON_Delete(w);
}
END_TEST

START_TEST(every_warning)
{
	cJSON *w, *d = compute("{\"sqft\":1000,\"comps\":[{\"price\":200000,\"sqft\":1000,"
			       "\"sold\":\"2026-01-15\"}],\"repairs\":10000,\"asking_price\":150000,"
			       "\"contract_price\":140000,\"assignment_fee\":5000}", 0.70, 0, &w);
	char *text = cJSON_PrintUnformatted(w);

	/* ARV 200,000; buyer max 130,000; MAO 125,000; all-in 155,000 = 77.5 %. */
	ck_assert(num(d, "mao") == 125000);
	ck_assert_ptr_nonnull(strstr(text, "asking price 150000 is above the MAO 125000"));
	ck_assert_ptr_nonnull(strstr(text, "buyer all-in 155000 is 77.5% of ARV, above the 70% rule"));
	ck_assert_ptr_nonnull(strstr(text, "ARV from only 1 comp(s)"));
	ck_assert_ptr_nonnull(strstr(text, "comp 1 sold 2026-01-15, more than 6 months ago"));
	free(text);
	cJSON_Delete(d);
	cJSON_Delete(w);
}
END_TEST

/* Nothing to compute, and said: each missing input named. */
START_TEST(nothing_to_compute)
{
	cJSON *w, *d = compute("{\"name\":\"Acme Corp\",\"value\":250000}", 0.70, 0, &w);
	char *text;

	ck_assert_ptr_null(d);
	ck_assert_int_eq(cJSON_GetArraySize(w), 2);
	text = cJSON_PrintUnformatted(w);
	ck_assert_ptr_nonnull(strstr(text, "no ARV: the lead has no arv and no comps"));
	ck_assert_ptr_nonnull(strstr(text, "no repairs estimate"));
	free(text);
	cJSON_Delete(w);
	d = compute("{\"name\":\"x\",\"comps\":[{\"price\":100000,\"sqft\":1000}],"
		    "\"repairs\":1}", 0.70, 0, &w);
	ck_assert_ptr_null(d);
	text = cJSON_PrintUnformatted(w);
	ck_assert_ptr_nonnull(strstr(text, "1 comp(s) but no sqft of its own"));
	free(text);
	cJSON_Delete(w);
}
END_TEST

/* ARV 50,000 with repairs 60,000: the MAO is negative, and said. */
START_TEST(a_negative_mao_warns)
{
	cJSON *w, *d = compute("{\"name\":\"x\",\"arv\":50000,\"repairs\":60000}", 0.70, 0, &w);
	char *text = cJSON_PrintUnformatted(w);

	ck_assert_ptr_nonnull(d);
	ck_assert(cJSON_GetObjectItemCaseSensitive(d, "mao")->valuedouble == -25000);
	ck_assert_ptr_nonnull(strstr(text, "the MAO -25000 is not positive"));
	ck_assert_ptr_null(strstr(text, "no repairs"));
	free(text);
	cJSON_Delete(d);
	cJSON_Delete(w);
	d = compute("{\"name\":\"x\",\"arv\":200000}", 0.70, 0, &w);
	text = cJSON_PrintUnformatted(w);
	ck_assert_ptr_nonnull(strstr(text, "no repairs estimate: the MAO takes repairs as 0"));
	free(text);
	cJSON_Delete(d);
	cJSON_Delete(w);
}
END_TEST

START_TEST(bad_fields_are_refused)
{
	static const char *const bad[] = {
		"{\"sqft\":\"big\"}",
		"{\"comps\":[{\"price\":1}]}",
		"{\"comps\":[{\"price\":1,\"sqft\":2,\"sold\":\"last week\"}]}",
		"{\"repairs\":-5}",
	};
	struct deal_input in;
	struct json_loc loc = { "leads.jsonl", 7 };

	unit_capture_diag();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cJSON *lead = cJSON_Parse(bad[i]);

		ck_assert_int_eq(deal_read(lead, &loc, 0.7, 0, 0, &in), BRAIN_DATA);
		cJSON_Delete(lead);
	}
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "leads.jsonl:7: field 'sqft' must be"));
}
END_TEST

START_TEST(rounding_is_half_away_from_zero)
{
	ck_assert(deal_dollars(2.5) == 3);
	ck_assert(deal_dollars(-2.5) == -3);
	ck_assert(deal_dollars(260129.93) == 260130);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("deal");
	TCase *tc = tcase_create("deal");

	tcase_add_test(tc, worked_example);
	tcase_add_test(tc, buyer_side_figures);
	tcase_add_test(tc, every_warning);
	tcase_add_test(tc, nothing_to_compute);
	tcase_add_test(tc, a_negative_mao_warns);
	tcase_add_test(tc, bad_fields_are_refused);
	tcase_add_test(tc, rounding_is_half_away_from_zero);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
