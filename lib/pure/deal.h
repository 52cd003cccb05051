/*
 * deal.h - the deal math of a wholesale real-estate packet.  Pure.
 *
 *   comps        each comp with a price and sqft gives a price per sqft;
 *                one more than outlier_share (25 %) above or below the
 *                median of them all is an outlier (none is flagged with
 *                fewer than 3, or when half of them or more would be)
 *   ARV          given, else the median price per sqft of the comps that
 *                are not outliers times the subject's sqft
 *   cost stack   repairs, closing, holding and selling costs and the
 *                buyer's profit: each the lead's dollars, else a share of
 *                ARV (repairs 0; closing_rate 3 %, holding_rate 4 %,
 *                selling_rate 8 %; profit what the rule, 70 %, leaves:
 *                1 - rule - the three rates = 15 %)
 *   buyer max    ARV - the cost stack  (with every default: ARV x rule -
 *                repairs, the "70 % rule")
 *   MAO          buyer max - assignment fee
 *   price to buyer  contract price + assignment fee
 *   buyer all-in    price to buyer + repairs, and its share of ARV
 *   fee headroom    buyer max - price to buyer
 * Money is rounded to whole dollars, each line of the stack on its own.
 * Every missing or inconsistent input is a warning naming it.
 *
 * Example: comps 252,000/1,400, 268,000/1,520, 251,000/1,380 sqft, subject
 * 1,450 sqft: median 180.00/sqft, ARV 261,000; repairs 45,000, the
 * default stack 78,300 (7,830 + 10,440 + 20,880 + 39,150): buyer max
 * 137,700; fee 12,000: MAO 125,700.
 */
#ifndef BRAIN_DEAL_H
#define BRAIN_DEAL_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "pure/json.h"
#include "status.h"

#define DEAL_MAX_COMPS 64

/* The defaults a lead's own fields override (config.json's packet.*). */
struct deal_settings {
	double rule;          /* share of ARV a buyer pays for house and repairs */
	double fee;           /* assignment fee when the lead has none */
	double closing_rate, holding_rate, selling_rate;   /* shares of ARV */
	double outlier_share; /* a comp this far from the median is an outlier */
	double arv_tolerance; /* a given ARV this far from the comps' is warned */
	int comp_window_days; /* comps sold longer ago than this are warned */
};

/* 0.70, 0, 0.03, 0.04, 0.08, 0.25, 0.10, 180. */
void deal_settings_default(struct deal_settings *set);

/* 1 when every field of a equals b's (as numbers: the padding between
 * fields is never compared, so two settings built apart compare alike),
 * else 0. */
int deal_settings_equal(const struct deal_settings *a, const struct deal_settings *b);

/* The lines of the cost stack, in order, and their names in the deal
 * record ("repairs", "closing_costs", "holding_costs", "selling_costs",
 * "buyer_profit"), which are the lead's fields too. */
enum deal_cost { DEAL_REPAIRS, DEAL_CLOSING, DEAL_HOLDING, DEAL_SELLING, DEAL_PROFIT,
		 DEAL_NCOSTS };
extern const char *const deal_cost_names[DEAL_NCOSTS];

struct deal_comp {
	double price, sqft;
	time_t sold;
	int has_price, has_sqft, has_sold;
	char address[96];     /* "" when the comp has none */
	int outlier;          /* set by deal_compute */
};

struct deal_input {
	double sqft, arv, asking, contract, fee;
	int has_sqft, has_arv, has_asking, has_contract;
	double cost[DEAL_NCOSTS];
	int has_cost[DEAL_NCOSTS];
	struct deal_settings set;      /* with the lead's rule, when it has one */
	struct deal_comp comps[DEAL_MAX_COMPS];
	size_t ncomps;
	time_t now;
};

/* Read the deal fields of a lead (BRAIN_DATA, reported at loc, on a bad
 * one: a field of the wrong type or out of range; a missing one is a
 * warning of deal_compute). */
enum brain_status deal_read(const cJSON *lead, const struct json_loc *loc,
			    const struct deal_settings *set, time_t now, struct deal_input *in);

/* The deal object (NULL when there is nothing to compute: no ARV and no
 * comps with a price and sqft, or no sqft to price them by), the
 * warnings added to `warnings` (an array), and each comp's outlier flag
 * set in `in`. */
cJSON *deal_compute(struct deal_input *in, cJSON *warnings);

/* The median of v[0..n-1], n > 0 (the mean of the middle two when n is
 * even); v is sorted in place. */
double deal_median(double *v, size_t n);

/* Flag (flag[i] = 1) each of the n prices per sqft more than share x the
 * median away from the median of all n.  The number flagged; 0 with
 * fewer than 3; -1, none flagged, when half of them or more would be
 * (the comps disagree and no one of them is the odd one). */
int deal_outliers(const double *ppsf, size_t n, double share, int *flag);

/* Round to whole dollars, halves away from zero. */
double deal_dollars(double v);

#endif
