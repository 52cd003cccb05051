/* deal.c - deal math; see deal.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pure/time_text.h"
#include "pure/deal.h"
#include "diag.h"
#include "banned.h"

#define SIX_MONTHS (183 * 86400.0)

double deal_dollars(double v)
{
	return round(v);
}

static enum brain_status money(const cJSON *lead, const char *name, const struct json_loc *loc,
			       double *out, int *has)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(lead, name);

	if (!v)
		return BRAIN_OK;
	*has = 1;
	return json_get_number(lead, name, JSON_REQUIRED, loc, 0, 1e12, out);
}

enum brain_status deal_read(const cJSON *lead, const struct json_loc *loc, double rule,
			    double fee, time_t now, struct deal_input *in)
{
	enum brain_status status;
	const cJSON *comps = NULL, *c;
	int has_fee = 0, has_rule = 0;

	memset(in, 0, sizeof(*in));
	in->rule = rule;
	in->fee = fee;
	in->now = now;
	if ((status = money(lead, "sqft", loc, &in->sqft, &in->has_sqft)) ||
	    (status = money(lead, "arv", loc, &in->arv, &in->has_arv)) ||
	    (status = money(lead, "repairs", loc, &in->repairs, &in->has_repairs)) ||
	    (status = money(lead, "asking_price", loc, &in->asking, &in->has_asking)) ||
	    (status = money(lead, "contract_price", loc, &in->contract, &in->has_contract)) ||
	    (status = money(lead, "assignment_fee", loc, &in->fee, &has_fee)) ||
	    (status = json_get_number(lead, "rule", JSON_OPTIONAL, loc, 0.01, 1, &in->rule)) ||
	    (status = json_get_array(lead, "comps", JSON_OPTIONAL, loc, &comps)))
		return status;
	(void)has_rule;
	cJSON_ArrayForEach(c, comps) {
		struct deal_comp *dc;
		const char *sold = NULL;

		if (in->ncomps == DEAL_MAX_COMPS)
			return diag_error_at(BRAIN_DATA, loc->file, loc->line,
					     "more than %d comps", DEAL_MAX_COMPS);
		dc = &in->comps[in->ncomps];
		memset(dc, 0, sizeof(*dc));
		if (!cJSON_IsObject(c) ||
		    (status = json_get_number(c, "price", JSON_REQUIRED, loc, 1, 1e12, &dc->price)) ||
		    (status = json_get_number(c, "sqft", JSON_REQUIRED, loc, 1, 1e7, &dc->sqft)) ||
		    (status = json_get_string(c, "sold", JSON_OPTIONAL, loc, &sold)))
			return status ? status : diag_error_at(BRAIN_DATA, loc->file, loc->line,
							       "each comp must be {\"price\",\"sqft\",\"sold\"}");
		if (sold) {
			if (time_text_parse(sold, &dc->sold))
				return diag_error_at(BRAIN_DATA, loc->file, loc->line,
						     "comp 'sold' must be a date (YYYY-MM-DD), not '%s'", sold);
			dc->has_sold = 1;
		}
		in->ncomps++;
	}
	return BRAIN_OK;
}

static void warn(cJSON *warnings, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(cJSON *warnings, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	cJSON_AddItemToArray(warnings, cJSON_CreateString(text));
}

cJSON *deal_compute(const struct deal_input *in, cJSON *warnings)
{
	cJSON *d;
	double arv, ppsf = 0, buyer_max, mao;
	const char *arv_source;

	if (in->has_arv) {
		arv = deal_dollars(in->arv);
		arv_source = "given";
	} else if (in->ncomps > 0 && in->has_sqft) {
		for (size_t i = 0; i < in->ncomps; i++)
			ppsf += in->comps[i].price / in->comps[i].sqft;
		ppsf /= (double)in->ncomps;
		arv = deal_dollars(ppsf * in->sqft);
		arv_source = "comps";
	} else {
		/* Nothing to compute, and each missing input named. */
		if (in->ncomps == 0)
			warn(warnings, "no ARV: the lead has no arv and no comps");
		else
			warn(warnings, "no ARV: the lead has %zu comp(s) but no sqft of its own to "
			     "price by them", in->ncomps);
		if (!in->has_repairs)
			warn(warnings, "no repairs estimate");
		return NULL;
	}
	if (!in->has_repairs)
		warn(warnings, "no repairs estimate: the MAO takes repairs as 0");
	buyer_max = deal_dollars(arv * in->rule - in->repairs);
	mao = buyer_max - deal_dollars(in->fee);
	if (!(mao > 0))
		warn(warnings, "the MAO %.0f is not positive: repairs %.0f and the fee %.0f take "
		     "all of %.0f %% of the ARV %.0f", mao, deal_dollars(in->repairs),
		     deal_dollars(in->fee), in->rule * 100, arv);
	d = cJSON_CreateObject();
	cJSON_AddNumberToObject(d, "arv", arv);
	cJSON_AddStringToObject(d, "arv_source", arv_source);
	if (ppsf > 0)
		cJSON_AddNumberToObject(d, "price_per_sqft", round(ppsf * 100) / 100);
	cJSON_AddNumberToObject(d, "comps", (double)in->ncomps);
	cJSON_AddNumberToObject(d, "rule", in->rule);
	cJSON_AddNumberToObject(d, "repairs", deal_dollars(in->repairs));
	cJSON_AddNumberToObject(d, "assignment_fee", deal_dollars(in->fee));
	cJSON_AddNumberToObject(d, "buyer_max_price", buyer_max);
	cJSON_AddNumberToObject(d, "mao", mao);
	if (in->has_asking)
		cJSON_AddNumberToObject(d, "asking_price", deal_dollars(in->asking));
	if (in->has_contract) {
		double to_buyer = deal_dollars(in->contract) + deal_dollars(in->fee);
		double all_in = to_buyer + deal_dollars(in->repairs);

		cJSON_AddNumberToObject(d, "contract_price", deal_dollars(in->contract));
		cJSON_AddNumberToObject(d, "price_to_buyer", to_buyer);
		cJSON_AddNumberToObject(d, "buyer_all_in", all_in);
		cJSON_AddNumberToObject(d, "all_in_share_of_arv", round(all_in / arv * 10000) / 10000);
		cJSON_AddNumberToObject(d, "fee_headroom", buyer_max - to_buyer);
		if (all_in / arv > in->rule)
			warn(warnings, "buyer all-in %.0f is %.1f%% of ARV, above the %.0f%% rule",
			     all_in, all_in / arv * 100, in->rule * 100);
	}
	if (in->has_asking && deal_dollars(in->asking) > mao)
		warn(warnings, "asking price %.0f is above the MAO %.0f", deal_dollars(in->asking), mao);
	if (!in->has_arv && in->ncomps < 3)
		warn(warnings, "ARV from only %zu comp(s): 3 or more are expected", in->ncomps);
	for (size_t i = 0; i < in->ncomps; i++)
		if (in->comps[i].has_sold && difftime(in->now, in->comps[i].sold) > SIX_MONTHS) {
			char when[TIME_TEXT_SIZE];

			time_text_format(in->comps[i].sold, when);
			warn(warnings, "comp %zu sold %.10s, more than 6 months ago", i + 1, when);
		}
	return d;
}
