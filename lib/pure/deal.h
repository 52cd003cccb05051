/*
 * deal.h - the deal math of a wholesale real-estate packet.  Pure.
 *
 *   ARV (after-repair value)  given, or mean price per sqft of the comps
 *                             times the subject's sqft, rounded to dollars
 *   buyer max price           ARV x rule - repairs     (the "70 % rule")
 *   MAO                       buyer max price - assignment fee
 *   price to buyer            contract price + assignment fee
 *   buyer all-in              price to buyer + repairs, and its share of ARV
 *   fee headroom              buyer max price - price to buyer
 * Money is rounded to whole dollars.  Warnings: asking above MAO, all-in
 * above the rule, fewer than 3 comps, comps sold more than 6 months ago,
 * no repairs estimate (taken as 0), a MAO of 0 or below, and, when there
 * is nothing to compute, which input is missing.
 *
 * Example: comps 252,000/1,400, 268,000/1,520, 251,000/1,380 sqft, subject
 * 1,450 sqft: ARV 260,130; repairs 45,000, fee 12,000, rule 0.70: MAO 125,091.
 */
#ifndef BRAIN_DEAL_H
#define BRAIN_DEAL_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "pure/json.h"
#include "status.h"

#define DEAL_MAX_COMPS 64

struct deal_comp {
	double price, sqft;
	time_t sold;
	int has_sold;
};

struct deal_input {
	double sqft, arv, repairs, asking, contract, fee, rule;
	int has_sqft, has_arv, has_repairs, has_asking, has_contract;
	struct deal_comp comps[DEAL_MAX_COMPS];
	size_t ncomps;
	time_t now;
};

/* Read the deal fields of a lead (BRAIN_DATA, reported at loc, on a bad
 * one).  rule and fee are the defaults when the lead has none. */
enum brain_status deal_read(const cJSON *lead, const struct json_loc *loc, double rule,
			    double fee, time_t now, struct deal_input *in);

/* The deal object (NULL when there is nothing to compute: no ARV and no
 * comps with sqft) and the warnings added to `warnings` (an array). */
cJSON *deal_compute(const struct deal_input *in, cJSON *warnings);

/* Round to whole dollars, halves away from zero. */
double deal_dollars(double v);

#endif
