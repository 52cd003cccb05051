/* Unit tests of deal: the worked example of the deal math, the median,
 * the outlier rule and the cost stack (against tests/data/deal-vectors.jsonl,
 * written by deal-reference.py), rounding, every warning, and settings
 * compared field by field. */
#include "unit.h"

#include <math.h>
#include <stdio.h>

#include "core/clock.h"
#include "pure/deal.h"

static cJSON *compute_with(const cJSON *lead, const struct deal_settings *set,
			   struct deal_input *in, cJSON **warnings)
{
	struct json_loc loc = { "lead", 1 };
	time_t now;

	ck_assert_ptr_nonnull(lead);
	ck_assert_int_eq(time_text_parse("2026-11-28T12:00:00Z", &now), 0);
	ck_assert_int_eq(deal_read(lead, &loc, set, now, in), BRAIN_OK);
	*warnings = cJSON_CreateArray();
	return deal_compute(in, *warnings);
}

static cJSON *compute(const char *lead_json, double rule, double fee, cJSON **warnings)
{
	static struct deal_input in;
	struct deal_settings set;
	cJSON *lead = cJSON_Parse(lead_json), *deal;

	deal_settings_default(&set);
	set.rule = rule;
	set.fee = fee;
	deal = compute_with(lead, &set, &in, warnings);
	cJSON_Delete(lead);
	return deal;
}

/* 1 when one of the warnings holds text. */
static int warned(const cJSON *warnings, const char *text)
{
	const cJSON *w;

	cJSON_ArrayForEach(w, warnings) {
		if (strstr(w->valuestring, text))
			return 1;
	}
	return 0;
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
			       "\"repairs\":45000,\"assignment_fee\":12000,\"contract_price\":118000}",
			       0.70, 0, &w);

	/* brain-packet(1)'s worked example, by hand: $/sqft 180.00, 176.32,
	 * 181.88, median 180.00; ARV 180 x 1,450 = 261,000; the stack 45,000 +
	 * 7,830 + 10,440 + 20,880 + 39,150; to buyer 118,000 + 12,000. */
	ck_assert_ptr_nonnull(d);
	ck_assert(num(d, "arv") == 261000);
	ck_assert(num(d, "price_per_sqft") == 180);
	ck_assert(num(d, "closing_costs") == 7830);
	ck_assert(num(d, "holding_costs") == 10440);
	ck_assert(num(d, "selling_costs") == 20880);
	ck_assert(num(d, "buyer_profit") == 39150);
	ck_assert(num(d, "buyer_max_price") == 137700);
	ck_assert(num(d, "mao") == 125700);
	ck_assert(num(d, "price_to_buyer") == 130000 && num(d, "fee_headroom") == 7700);
	/* With every default, the stack is the 70 % rule. */
	ck_assert(fabs(num(d, "buyer_max_price") - (261000 * 0.70 - 45000)) < 0.5);
	ck_assert_int_eq(cJSON_GetArraySize(w), 3);
	ck_assert(warned(w, "comp 1 has no sold date: its age is not checked"));
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

	/* ARV 200,000; buyer max 130,000; MAO 125,000; to buyer 145,000. */
	ck_assert(num(d, "mao") == 125000);
	ck_assert(warned(w, "asking price 150000 is above the MAO 125000"));
	ck_assert(warned(w, "price to buyer 145000 (contract_price 140000 + assignment_fee 5000) "
			 "is above the buyer's maximum price 130000: no fee headroom"));
	ck_assert(warned(w, "ARV from only 1 comp(s): 3 or more are expected"));
	ck_assert(warned(w, "comp 1 sold 2026-01-15, 317 days before the packet, outside the "
			 "180-day comp window"));
	ck_assert_int_eq(cJSON_GetArraySize(w), 4);
	cJSON_Delete(d);
	cJSON_Delete(w);
}
END_TEST

/* A comp without a price or sqft, one without a date, one sold after the
 * packet, and comps without the subject's sqft: each named. */
START_TEST(comp_inputs_are_named)
{
	cJSON *w, *d = compute("{\"sqft\":1000,\"repairs\":1,\"comps\":["
			       "{\"address\":\"1 A St\",\"price\":200000,\"sold\":\"2026-10-01\"},"
			       "{\"sqft\":900,\"sold\":\"2026-10-01\"},"
			       "{\"address\":\"3 C St\",\"price\":190000,\"sqft\":1000},"
			       "{\"price\":210000,\"sqft\":1000,\"sold\":\"2026-12-20\"},"
			       "{\"price\":200000,\"sqft\":1000,\"sold\":\"2026-06-01\"},"
			       "{\"price\":200000,\"sqft\":1000,\"sold\":\"2026-05-31\"}]}", 0.70, 0, &w);

	ck_assert(warned(w, "comp 1 (1 A St) has no sqft: left out of the ARV"));
	ck_assert(warned(w, "comp 2 has no price: left out of the ARV"));
	ck_assert(warned(w, "comp 3 (3 C St) has no sold date: its age is not checked"));
	ck_assert(warned(w, "comp 4 sold 2026-12-20, after the packet's date 2026-11-28"));
	/* 2026-06-01 is 180 days before 2026-11-28: inside the window. */
	ck_assert(!warned(w, "comp 5"));
	ck_assert(warned(w, "comp 6 sold 2026-05-31, 181 days before the packet, outside the "
			 "180-day comp window"));
	ck_assert(num(d, "comps") == 6 && num(d, "comps_used") == 4);
	ck_assert(num(d, "arv") == 200000);
	cJSON_Delete(d);
	cJSON_Delete(w);
	d = compute("{\"comps\":[{\"price\":200000}]}", 0.70, 0, &w);
	ck_assert_ptr_null(d);
	ck_assert(warned(w, "no ARV: the lead has no arv, and none of its 1 comp(s) has both "
			 "a price and sqft"));
	cJSON_Delete(w);
	d = compute("{\"arv\":250000,\"repairs\":0,\"comps\":[{\"price\":200000,\"sqft\":1000}]}",
		    0.70, 0, &w);
	ck_assert(warned(w, "the comps do not check the given arv: the lead has no sqft"));
	cJSON_Delete(d);
	cJSON_Delete(w);
}
END_TEST

/* A given ARV is used; the comps' is shown beside it, and a difference
 * of more than packet.arv_tolerance is warned. */
START_TEST(given_arv_against_the_comps)
{
#define GIVEN_ARV_LEAD "{\"arv\":%d,\"sqft\":1500,\"repairs\":40000,\"comps\":[" \
			   "{\"price\":270000,\"sqft\":1500},{\"price\":276000,\"sqft\":1500}," \
			   "{\"price\":282000,\"sqft\":1500}]}"
	char text[256];
	cJSON *w, *d;

	snprintf(text, sizeof(text), GIVEN_ARV_LEAD, 300000);
	d = compute(text, 0.70, 0, &w);
	ck_assert_str_eq(cJSON_GetObjectItem(d, "arv_source")->valuestring, "given");
	ck_assert(num(d, "arv") == 300000 && num(d, "arv_from_comps") == 276000);
	/* 24,000 / 276,000 = 8.7 %: within 10 %. */
	ck_assert_int_eq(cJSON_GetArraySize(w), 3); /* the three undated comps */
	cJSON_Delete(d);
	cJSON_Delete(w);
	snprintf(text, sizeof(text), GIVEN_ARV_LEAD, 240000);
	d = compute(text, 0.70, 0, &w);
	ck_assert(warned(w, "the given arv 240000 is 13% below the comps' 276000 (more than "
			 "10%): the given one is used"));
	cJSON_Delete(d);
	cJSON_Delete(w);
}
END_TEST

START_TEST(median_of_odd_and_even_counts)
{
	double odd[] = { 181.88, 176.32, 180 }, even[] = { 4, 1, 3, 2 }, one[] = { 7 };

	ck_assert(deal_median(odd, 3) == 180);
	ck_assert(odd[0] == 176.32 && odd[2] == 181.88); /* sorted in place */
	ck_assert(deal_median(even, 4) == 2.5);
	ck_assert(deal_median(one, 1) == 7);
}
END_TEST

/* More than 25 % from the median of all; none with fewer than 3; none
 * when half or more would be. */
START_TEST(the_outlier_rule)
{
	const double four[] = { 180, 176.32, 181.88, 273.33 }, two[] = { 100, 300 };
	const double edge[] = { 100, 125, 75.1, 74.9 }, bimodal[] = { 100, 100, 200, 200 };
	int flag[4];

	ck_assert_int_eq(deal_outliers(four, 4, 0.25, flag), 1);
	ck_assert(!flag[0] && !flag[1] && !flag[2] && flag[3]);
	ck_assert_int_eq(deal_outliers(two, 2, 0.25, flag), 0);
	ck_assert(!flag[0] && !flag[1]);
	/* Median 87.55 of 74.9, 75.1, 100, 125: 125 is 42.8 % off. */
	ck_assert_int_eq(deal_outliers(edge, 4, 0.25, flag), 1);
	ck_assert(flag[1] && !flag[0] && !flag[2] && !flag[3]);
	/* Exactly 25 % off is not more than 25 %. */
	{
		const double at[] = { 100, 100, 125, 75 };

		ck_assert_int_eq(deal_outliers(at, 4, 0.25, flag), 0);
	}
	ck_assert_int_eq(deal_outliers(bimodal, 4, 0.25, flag), -1);
	ck_assert(!flag[0] && !flag[1] && !flag[2] && !flag[3]);
}
END_TEST

/* The outlier is flagged on its comp, named in a warning and left out of
 * the median; comps that disagree are said to. */
START_TEST(an_outlier_is_left_out_of_the_arv)
{
	cJSON *w, *d = compute("{\"sqft\":1450,\"repairs\":45000,\"comps\":["
			       "{\"price\":252000,\"sqft\":1400},{\"price\":268000,\"sqft\":1520},"
			       "{\"price\":251000,\"sqft\":1380},"
			       "{\"address\":\"3 Harbor Ct\",\"price\":410000,\"sqft\":1500}]}",
			       0.70, 0, &w);

	ck_assert(num(d, "arv") == 261000 && num(d, "outliers") == 1);
	ck_assert(warned(w, "comp 4 (3 Harbor Ct) is an outlier: $273.33/sqft is 51% above the "
			 "median $180.94/sqft (more than 25%): left out of the ARV"));
	cJSON_Delete(d);
	cJSON_Delete(w);
	d = compute("{\"sqft\":1000,\"repairs\":1,\"comps\":[{\"price\":100000,\"sqft\":1000},"
		    "{\"price\":100000,\"sqft\":1000},{\"price\":200000,\"sqft\":1000},"
		    "{\"price\":200000,\"sqft\":1000}]}", 0.70, 0, &w);
	ck_assert(num(d, "arv") == 150000 && num(d, "outliers") == 0);
	ck_assert(warned(w, "the comps disagree: half of them or more are over 25% from the "
			 "median $150.00/sqft, so none is left out as an outlier"));
	cJSON_Delete(d);
	cJSON_Delete(w);
}
END_TEST

static void vector(const cJSON *v, int n)
{
	static const char *const figures[] = { "arv", "repairs", "closing_costs", "holding_costs",
		"selling_costs", "buyer_profit", "buyer_max_price", "mao" };
	struct deal_settings set;
	struct deal_input in;
	cJSON *w, *d;
	const cJSON *flags = cJSON_GetObjectItem(v, "outliers"), *f;
	size_t i = 0;

	deal_settings_default(&set);
	set.rule = num(v, "rule");
	set.outlier_share = num(v, "outlier_share");
	d = compute_with(cJSON_GetObjectItem(v, "lead"), &set, &in, &w);
	ck_assert_msg(d != NULL, "case %d: no deal", n);
	for (size_t k = 0; k < sizeof(figures) / sizeof(*figures); k++)
		ck_assert_msg(num(d, figures[k]) == num(v, figures[k]), "case %d %s: %.0f, want %.0f",
			      n, figures[k], num(d, figures[k]), num(v, figures[k]));
	if (cJSON_HasObjectItem(v, "price_per_sqft"))
		ck_assert_msg(fabs(num(d, "price_per_sqft") - num(v, "price_per_sqft")) < 0.005,
			      "case %d price_per_sqft", n);
	if (cJSON_HasObjectItem(v, "arv_from_comps"))
		ck_assert(num(d, "arv_from_comps") == num(v, "arv_from_comps"));
	ck_assert_int_eq(in.ncomps, cJSON_GetArraySize(flags));
	cJSON_ArrayForEach(f, flags) {
		ck_assert_msg(in.comps[i].outlier == cJSON_IsTrue(f), "case %d comp %zu", n, i + 1);
		i++;
	}
	cJSON_Delete(d);
	cJSON_Delete(w);
}

/* ARV, outliers and the cost stack against deal-reference.py. */
START_TEST(against_the_reference)
{
	FILE *fp = fopen("tests/data/deal-vectors.jsonl", "r");
	char *line = NULL;
	size_t cap = 0;
	int n = 0;

	ck_assert_msg(fp != NULL, "cannot open tests/data/deal-vectors.jsonl");
	while (getline(&line, &cap, fp) > 0) {
		cJSON *v = cJSON_Parse(line);

		ck_assert_ptr_nonnull(v);
		vector(v, n++);
		cJSON_Delete(v);
	}
	free(line);
	fclose(fp);
	ck_assert_int_ge(n, 8);
}
END_TEST

/* A given ARV is held to the comps as one found from them is: fewer than
 * 3 that check it is a warning, none at all another; 3 give none. */
START_TEST(a_given_arv_needs_three_comps)
{
	static const char *const comp = "{\"address\":\"%d Elm\",\"price\":200000,"
					"\"sqft\":1000,\"sold\":\"2026-11-0%d\"}";
	char comps[512] = "", lead[768];
	cJSON *w, *d;

	for (int k = 1; k <= 3; k++) {
		char one[128];

		snprintf(one, sizeof(one), comp, k, k);
		snprintf(lead, sizeof(lead), "{\"arv\":200000,\"sqft\":1000,\"repairs\":0,"
			 "\"comps\":[%s%s]}", comps, one);
		d = compute(lead, 0.7, 0, &w);
		if (k < 3) {
			char want[96];

			snprintf(want, sizeof(want), "the given arv is checked by only %d comp(s): "
				 "3 or more are expected", k);
			ck_assert_msg(warned(w, want), "%d comps", k);
		} else {
			ck_assert_int_eq(cJSON_GetArraySize(w), 0);
		}
		cJSON_Delete(d);
		cJSON_Delete(w);
		snprintf(comps + strlen(comps), sizeof(comps) - strlen(comps), "%s,", one);
	}
}
END_TEST

/* Each line of the stack is the lead's when it gives it, else a share of
 * ARV said in "defaulted"; a rule leaving no profit is warned. */
START_TEST(the_cost_stack)
{
	cJSON *w, *d = compute("{\"arv\":200000,\"repairs\":30000,\"closing_costs\":5000,"
			       "\"selling_costs\":0}", 0.75, 0, &w);
	const cJSON *def = cJSON_GetObjectItem(d, "defaulted");

	/* holding 8,000 (4 %), profit 1 - 0.75 - 0.15 = 10 %: 20,000. */
	ck_assert(num(d, "closing_costs") == 5000 && num(d, "selling_costs") == 0);
	ck_assert(num(d, "holding_costs") == 8000 && num(d, "buyer_profit") == 20000);
	ck_assert(num(d, "buyer_max_price") == 200000 - 30000 - 5000 - 8000 - 0 - 20000);
	ck_assert_int_eq(cJSON_GetArraySize(def), 2);
	ck_assert(num(def, "holding_costs") == 0.04 && num(def, "buyer_profit") == 0.1);
	ck_assert_int_eq(cJSON_GetArraySize(w), 1);
	ck_assert(warned(w, "no comps check the given arv: 3 or more are expected"));
	cJSON_Delete(d);
	cJSON_Delete(w);
	d = compute("{\"arv\":100000,\"repairs\":0}", 0.90, 0, &w);
	ck_assert(num(d, "buyer_profit") == 0);
	ck_assert(warned(w, "the rule 0.90 leaves no buyer profit after the closing, holding and "
			 "selling rates (15% of ARV): the buyer_profit target is 0"));
	cJSON_Delete(d);
	cJSON_Delete(w);
	d = compute("{\"arv\":100000}", 0.70, 0, &w);
	ck_assert(num(cJSON_GetObjectItem(d, "defaulted"), "repairs") == 0);
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
		"{\"comps\":[{\"price\":\"1\"}]}",
		"{\"comps\":[7]}",
		"{\"closing_costs\":-1}",
		"{\"comps\":[{\"price\":1,\"sqft\":2,\"sold\":\"last week\"}]}",
		"{\"repairs\":-5}",
	};
	static struct deal_input in;
	struct deal_settings set;
	struct json_loc loc = { "leads.jsonl", 7 };

	deal_settings_default(&set);
	unit_capture_diag();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cJSON *lead = cJSON_Parse(bad[i]);

		ck_assert_int_eq(deal_read(lead, &loc, &set, 0, &in), BRAIN_DATA);
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

/* Settings equal field by field whatever their padding bytes hold (the
 * packet id depends on this comparison: padding would make it vary). */
START_TEST(settings_compare_by_field_not_by_bytes)
{
	struct deal_settings a, b;

	memset(&a, 0x00, sizeof(a));
	memset(&b, 0xa5, sizeof(b));
	deal_settings_default(&a);
	deal_settings_default(&b);
	ck_assert_int_eq(deal_settings_equal(&a, &b), 1);
	/* -0 is 0 as a number, though not as bytes. */
	b.fee = -0.0;
	ck_assert_int_eq(deal_settings_equal(&a, &b), 1);
	b.comp_window_days = 181;
	ck_assert_int_eq(deal_settings_equal(&a, &b), 0);
	deal_settings_default(&b);
	b.selling_rate = 0.09;
	ck_assert_int_eq(deal_settings_equal(&a, &b), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("deal");
	TCase *tc = tcase_create("deal");

	tcase_add_test(tc, worked_example);
	tcase_add_test(tc, buyer_side_figures);
	tcase_add_test(tc, every_warning);
	tcase_add_test(tc, comp_inputs_are_named);
	tcase_add_test(tc, given_arv_against_the_comps);
	tcase_add_test(tc, median_of_odd_and_even_counts);
	tcase_add_test(tc, the_outlier_rule);
	tcase_add_test(tc, an_outlier_is_left_out_of_the_arv);
	tcase_add_test(tc, against_the_reference);
	tcase_add_test(tc, the_cost_stack);
	tcase_add_test(tc, a_given_arv_needs_three_comps);
	tcase_add_test(tc, nothing_to_compute);
	tcase_add_test(tc, a_negative_mao_warns);
	tcase_add_test(tc, bad_fields_are_refused);
	tcase_add_test(tc, rounding_is_half_away_from_zero);
	tcase_add_test(tc, settings_compare_by_field_not_by_bytes);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
