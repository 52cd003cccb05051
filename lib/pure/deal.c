/* deal.c - deal math; see deal.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pure/time_text.h"
#include "pure/deal.h"
#include "diag.h"
#include "banned.h"

#define DAY 86400.0

const char *const deal_cost_names[DEAL_NCOSTS] = {
	"repairs", "closing_costs", "holding_costs", "selling_costs", "buyer_profit",
};

void deal_settings_default(struct deal_settings *set)
{
	set->rule = 0.70;
	set->fee = 0;
	set->closing_rate = 0.03;
	set->holding_rate = 0.04;
	set->selling_rate = 0.08;
	set->outlier_share = 0.25;
	set->arv_tolerance = 0.10;
	set->comp_window_days = 180;
}

int deal_settings_equal(const struct deal_settings *a, const struct deal_settings *b)
{
	return a->rule == b->rule && a->fee == b->fee && a->closing_rate == b->closing_rate &&
	       a->holding_rate == b->holding_rate && a->selling_rate == b->selling_rate &&
	       a->outlier_share == b->outlier_share && a->arv_tolerance == b->arv_tolerance &&
	       a->comp_window_days == b->comp_window_days;
}

double deal_dollars(double v)
{
	return round(v);
}

double deal_median(double *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		double x = v[i];
		size_t j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int deal_outliers(const double *ppsf, size_t n, double share, int *flag)
{
	double sorted[DEAL_MAX_COMPS], median;
	size_t flagged = 0;

	for (size_t i = 0; i < n; i++)
		flag[i] = 0;
	if (n < 3 || n > DEAL_MAX_COMPS)
		return 0;
	memcpy(sorted, ppsf, n * sizeof(*sorted));
	median = deal_median(sorted, n);
	for (size_t i = 0; i < n; i++)
		flagged += fabs(ppsf[i] - median) > share * median;
	if (2 * flagged >= n)
		return -1;
	for (size_t i = 0; i < n; i++)
		flag[i] = fabs(ppsf[i] - median) > share * median;
	return (int)flagged;
}

static enum brain_status money(const cJSON *obj, const char *name, const struct json_loc *loc,
			       double min, double max, double *out, int *has)
{
	if (!cJSON_GetObjectItemCaseSensitive(obj, name))
		return BRAIN_OK;
	*has = 1;
	return json_get_number(obj, name, JSON_REQUIRED, loc, min, max, out);
}

static enum brain_status read_comp(const cJSON *c, const struct json_loc *loc,
				   struct deal_comp *dc)
{
	enum brain_status status;
	const char *sold = NULL, *address = NULL;

	memset(dc, 0, sizeof(*dc));
	if (!cJSON_IsObject(c))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "each comp must be an object {\"price\",\"sqft\",\"sold\",...}");
	if ((status = money(c, "price", loc, 1, 1e12, &dc->price, &dc->has_price)) ||
	    (status = money(c, "sqft", loc, 1, 1e7, &dc->sqft, &dc->has_sqft)) ||
	    (status = json_get_string(c, "sold", JSON_OPTIONAL, loc, &sold)) ||
	    (status = json_get_string(c, "address", JSON_OPTIONAL, loc, &address)))
		return status;
	if (sold) {
		if (time_text_parse(sold, &dc->sold))
			return diag_error_at(BRAIN_DATA, loc->file, loc->line,
					     "comp 'sold' must be a date (YYYY-MM-DD), not '%s'", sold);
		dc->has_sold = 1;
	}
	if (address)
		snprintf(dc->address, sizeof(dc->address), "%s", address);
	return BRAIN_OK;
}

enum brain_status deal_read(const cJSON *lead, const struct json_loc *loc,
			    const struct deal_settings *set, time_t now, struct deal_input *in)
{
	enum brain_status status;
	const cJSON *comps = NULL, *c;
	int has_fee = 0;

	memset(in, 0, sizeof(*in));
	in->set = *set;
	in->fee = set->fee;
	in->now = now;
	if ((status = money(lead, "sqft", loc, 0, 1e12, &in->sqft, &in->has_sqft)) ||
	    (status = money(lead, "arv", loc, 0, 1e12, &in->arv, &in->has_arv)) ||
	    (status = money(lead, "asking_price", loc, 0, 1e12, &in->asking, &in->has_asking)) ||
	    (status = money(lead, "contract_price", loc, 0, 1e12, &in->contract,
			    &in->has_contract)) ||
	    (status = money(lead, "assignment_fee", loc, 0, 1e12, &in->fee, &has_fee)) ||
	    (status = json_get_number(lead, "rule", JSON_OPTIONAL, loc, 0.01, 1, &in->set.rule)) ||
	    (status = json_get_array(lead, "comps", JSON_OPTIONAL, loc, &comps)))
		return status;
	for (int k = 0; k < DEAL_NCOSTS; k++)
		if ((status = money(lead, deal_cost_names[k], loc, 0, 1e12, &in->cost[k],
				    &in->has_cost[k])))
			return status;
	cJSON_ArrayForEach(c, comps) {
		if (in->ncomps == DEAL_MAX_COMPS)
			return diag_error_at(BRAIN_DATA, loc->file, loc->line,
					     "more than %d comps", DEAL_MAX_COMPS);
		if ((status = read_comp(c, loc, &in->comps[in->ncomps])))
			return status;
		in->ncomps++;
	}
	return BRAIN_OK;
}

static void warn(cJSON *warnings, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(cJSON *warnings, const char *fmt, ...)
{
	char text[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	cJSON_AddItemToArray(warnings, cJSON_CreateString(text));
}

/* "comp 2 (7 Pine Rd)", or "comp 2" for one without an address. */
static const char *comp_label(const struct deal_input *in, size_t i, char *buf, size_t size)
{
	const char *a = in->comps[i].address;

	snprintf(buf, size, "comp %zu%s%s%s", i + 1, *a ? " (" : "", a, *a ? ")" : "");
	return buf;
}

/* A comp that cannot be used, and one whose sale is not in the window:
 * sold more than comp_window_days days (by the calendar, UTC) before the
 * packet's date, or after it. */
static void comp_warnings(const struct deal_input *in, cJSON *warnings)
{
	char label[128], when[TIME_TEXT_SIZE], now[TIME_TEXT_SIZE];
	double today = floor((double)in->now / DAY);

	time_text_format(in->now, now);
	for (size_t i = 0; i < in->ncomps; i++) {
		const struct deal_comp *c = &in->comps[i];
		double age;

		comp_label(in, i, label, sizeof(label));
		if (!c->has_price || !c->has_sqft)
			warn(warnings, "%s has no %s: left out of the ARV", label,
			     !c->has_price && !c->has_sqft ? "price and no sqft" :
			     !c->has_price ? "price" : "sqft");
		if (!c->has_sold) {
			warn(warnings, "%s has no sold date: its age is not checked", label);
			continue;
		}
		time_text_format(c->sold, when);
		age = today - floor((double)c->sold / DAY);
		if (age < 0)
			warn(warnings, "%s sold %.10s, after the packet's date %.10s", label, when, now);
		else if (age > in->set.comp_window_days)
			warn(warnings, "%s sold %.10s, %.0f days before the packet, outside the "
			     "%d-day comp window", label, when, age, in->set.comp_window_days);
	}
}

/* What the comps say: the comps with a price and sqft, their outliers
 * flagged (in->comps[].outlier) and said, and the median price per sqft
 * of the others. */
struct comps_summary {
	size_t usable, used, outliers;
	double median;             /* of the used ones; 0 when none */
};

static void comps_summarize(struct deal_input *in, cJSON *warnings, struct comps_summary *s)
{
	double ppsf[DEAL_MAX_COMPS], kept[DEAL_MAX_COMPS], all[DEAL_MAX_COMPS], median_all;
	size_t idx[DEAL_MAX_COMPS];
	int flag[DEAL_MAX_COMPS], n;
	char label[128];

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < in->ncomps; i++)
		if (in->comps[i].has_price && in->comps[i].has_sqft) {
			idx[s->usable] = i;
			ppsf[s->usable++] = in->comps[i].price / in->comps[i].sqft;
		}
	if (!s->usable)
		return;
	n = deal_outliers(ppsf, s->usable, in->set.outlier_share, flag);
	memcpy(all, ppsf, s->usable * sizeof(*all));
	median_all = deal_median(all, s->usable);
	if (n < 0)
		warn(warnings, "the comps disagree: half of them or more are over %.0f%% from the "
		     "median $%.2f/sqft, so none is left out as an outlier",
		     in->set.outlier_share * 100, median_all);
	for (size_t k = 0; k < s->usable; k++) {
		if (!flag[k]) {
			kept[s->used++] = ppsf[k];
			continue;
		}
		in->comps[idx[k]].outlier = 1;
		s->outliers++;
		warn(warnings, "%s is an outlier: $%.2f/sqft is %.0f%% %s the median $%.2f/sqft "
		     "(more than %.0f%%): left out of the ARV", comp_label(in, idx[k], label,
		     sizeof(label)), ppsf[k], fabs(ppsf[k] - median_all) / median_all * 100,
		     ppsf[k] > median_all ? "above" : "below", median_all,
		     in->set.outlier_share * 100);
	}
	s->median = deal_median(kept, s->used);
}

/* Nothing to compute: each missing input named. */
static void warn_no_arv(const struct deal_input *in, const struct comps_summary *s,
			cJSON *warnings)
{
	if (in->ncomps == 0)
		warn(warnings, "no ARV: the lead has no arv and no comps");
	else if (!s->usable)
		warn(warnings, "no ARV: the lead has no arv, and none of its %zu comp(s) has both "
		     "a price and sqft", in->ncomps);
	else
		warn(warnings, "no ARV: the lead has %zu comp(s) but no sqft of its own to "
		     "price by them", s->usable);
	if (!in->has_cost[DEAL_REPAIRS])
		warn(warnings, "no repairs estimate");
}

/* The ARV and how it was found, with the warnings of its inputs; 0 when
 * there is none. */
static int find_arv(const struct deal_input *in, const struct comps_summary *s,
		    cJSON *warnings, cJSON *d, double *arv)
{
	double from_comps = s->used && in->has_sqft ? deal_dollars(s->median * in->sqft) : -1;

	if (!in->has_arv && from_comps < 0)
		return 0;
	*arv = in->has_arv ? deal_dollars(in->arv) : from_comps;
	cJSON_AddNumberToObject(d, "arv", *arv);
	cJSON_AddStringToObject(d, "arv_source", in->has_arv ? "given" : "comps");
	if (from_comps >= 0) {
		cJSON_AddNumberToObject(d, "arv_from_comps", from_comps);
		cJSON_AddNumberToObject(d, "price_per_sqft", round(s->median * 100) / 100);
	}
	if (in->ncomps) {
		cJSON_AddNumberToObject(d, "comps", (double)in->ncomps);
		cJSON_AddNumberToObject(d, "comps_used", (double)s->used);
		cJSON_AddNumberToObject(d, "outliers", (double)s->outliers);
	}
	if (in->has_arv && s->used && !in->has_sqft)
		warn(warnings, "the comps do not check the given arv: the lead has no sqft");
	if (in->has_arv && from_comps > 0 &&
	    fabs(*arv - from_comps) > in->set.arv_tolerance * from_comps)
		warn(warnings, "the given arv %.0f is %.0f%% %s the comps' %.0f (more than %.0f%%): "
		     "the given one is used", *arv, fabs(*arv - from_comps) / from_comps * 100,
		     *arv > from_comps ? "above" : "below", from_comps,
		     in->set.arv_tolerance * 100);
	if (!in->has_arv && s->used < 3)
		warn(warnings, "ARV from only %zu comp(s)%s: 3 or more are expected", s->used,
		     s->outliers ? " once the outliers are left out" : "");
	else if (in->has_arv && !s->used)
		warn(warnings, "no comps check the given arv: 3 or more are expected");
	else if (in->has_arv && in->has_sqft && s->used < 3)
		warn(warnings, "the given arv is checked by only %zu comp(s)%s: 3 or more are "
		     "expected", s->used, s->outliers ? " once the outliers are left out" : "");
	return 1;
}

/* The cost stack on the ARV: each line the lead's, else its share of
 * ARV, said in "defaulted".  The sum. */
static double cost_stack(const struct deal_input *in, double arv, cJSON *warnings, cJSON *d)
{
	const struct deal_settings *set = &in->set;
	double others = set->closing_rate + set->holding_rate + set->selling_rate;
	double profit = round((1 - set->rule - others) * 1e9) / 1e9;
	double rate[DEAL_NCOSTS] = { 0, set->closing_rate, set->holding_rate, set->selling_rate,
				     profit > 0 ? profit : 0 };
	cJSON *defaulted = cJSON_CreateObject();
	double sum = 0;

	if (!in->has_cost[DEAL_REPAIRS])
		warn(warnings, "no repairs estimate: the MAO takes repairs as 0");
	if (!in->has_cost[DEAL_PROFIT] && profit < 0)
		warn(warnings, "the rule %.2f leaves no buyer profit after the closing, holding and "
		     "selling rates (%.0f%% of ARV): the buyer_profit target is 0", set->rule,
		     others * 100);
	for (int k = 0; k < DEAL_NCOSTS; k++) {
		double v = in->has_cost[k] ? deal_dollars(in->cost[k]) : deal_dollars(rate[k] * arv);

		cJSON_AddNumberToObject(d, deal_cost_names[k], v);
		if (!in->has_cost[k])
			cJSON_AddNumberToObject(defaulted, deal_cost_names[k], rate[k]);
		sum += v;
	}
	cJSON_AddItemToObject(d, "defaulted", defaulted);
	cJSON_AddNumberToObject(d, "rule", set->rule);
	return sum;
}

/* The contract side: the price to the buyer, the buyer's all-in and the
 * fee headroom. */
static void contract_side(const struct deal_input *in, double arv, double buyer_max,
			  double fee, double repairs, cJSON *warnings, cJSON *d)
{
	double contract = deal_dollars(in->contract), to_buyer = contract + fee;
	double all_in = to_buyer + repairs;

	cJSON_AddNumberToObject(d, "contract_price", contract);
	cJSON_AddNumberToObject(d, "price_to_buyer", to_buyer);
	cJSON_AddNumberToObject(d, "buyer_all_in", all_in);
	if (arv > 0)
		cJSON_AddNumberToObject(d, "all_in_share_of_arv", round(all_in / arv * 10000) / 10000);
	cJSON_AddNumberToObject(d, "fee_headroom", buyer_max - to_buyer);
	if (to_buyer > buyer_max)
		warn(warnings, "price to buyer %.0f (contract_price %.0f + assignment_fee %.0f) is "
		     "above the buyer's maximum price %.0f: no fee headroom", to_buyer, contract,
		     fee, buyer_max);
}

cJSON *deal_compute(struct deal_input *in, cJSON *warnings)
{
	struct comps_summary s;
	double arv, stack, buyer_max, mao, fee = deal_dollars(in->fee), repairs;
	cJSON *d = cJSON_CreateObject();

	comp_warnings(in, warnings);
	comps_summarize(in, warnings, &s);
	if (!find_arv(in, &s, warnings, d, &arv)) {
		warn_no_arv(in, &s, warnings);
		cJSON_Delete(d);
		return NULL;
	}
	stack = cost_stack(in, arv, warnings, d);
	repairs = cJSON_GetObjectItemCaseSensitive(d, "repairs")->valuedouble;
	buyer_max = arv - stack;
	mao = buyer_max - fee;
	cJSON_AddNumberToObject(d, "buyer_max_price", buyer_max);
	cJSON_AddNumberToObject(d, "assignment_fee", fee);
	cJSON_AddNumberToObject(d, "mao", mao);
	if (!(mao > 0))
		warn(warnings, "the MAO %.0f is not positive: repairs %.0f, the buyer's other costs "
		     "and profit %.0f and the assignment_fee %.0f take all of the ARV %.0f", mao,
		     repairs, stack - repairs, fee, arv);
	if (in->has_asking) {
		cJSON_AddNumberToObject(d, "asking_price", deal_dollars(in->asking));
		if (deal_dollars(in->asking) > mao)
			warn(warnings, "asking price %.0f is above the MAO %.0f",
			     deal_dollars(in->asking), mao);
	}
	if (in->has_contract)
		contract_side(in, arv, buyer_max, fee, repairs, warnings, d);
	return d;
}
