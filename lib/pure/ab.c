/* ab.c - analysis and the winner rule of brain-ab; see ab.h. */
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pure/ab.h"
#include "diag.h"
#include "pure/design.h"
#include "pure/plan.h"
#include "pure/stats.h"
#include "banned.h"

/* lift_rel is not shown below this many control conversions. */
#define MIN_CONTROL_CONVERSIONS_FOR_REL 5

void ab_options_default(struct ab_options *o)
{
	memset(o, 0, sizeof(*o));
	o->alpha = 0.05;
	o->tuning = 5000;
	o->min_trials = 100;
	o->min_conversions = 25;
	o->max_loss = 0.01;
	o->srm_p = 0.001;
	o->srm_min_trials = 8;
}

/* One "NAME:MARGIN" of len bytes at text into spec. */
static int guard_one(const char *text, size_t len, struct ab_guard_spec *spec)
{
	const char *colon = memchr(text, ':', len);
	char num[64], *end;
	size_t nlen;

	if (!colon || colon == text || (size_t)(colon - text) >= sizeof(spec->name))
		return -1;
	nlen = len - (size_t)(colon - text) - 1;
	if (nlen == 0 || nlen >= sizeof(num))
		return -1;
	memcpy(spec->name, text, (size_t)(colon - text));
	spec->name[colon - text] = '\0';
	for (const char *c = spec->name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
			return -1;
	memcpy(num, colon + 1, nlen);
	num[nlen] = '\0';
	spec->margin = strtod(num, &end);
	return *end || !(spec->margin >= 0 && spec->margin <= 1) ? -1 : 0;
}

int ab_guard_parse(const char *text, struct ab_guard_spec *out, size_t max, size_t *n)
{
	while (*text) {
		const char *comma = strchr(text, ',');
		size_t len = comma ? (size_t)(comma - text) : strlen(text);
		struct ab_guard_spec spec;
		size_t i;

		if (guard_one(text, len, &spec))
			return -1;
		for (i = 0; i < *n && strcmp(out[i].name, spec.name); i++)
			;
		if (i == *n && *n == max)
			return -1;
		out[i] = spec;
		if (i == *n)
			(*n)++;
		text += len + (comma ? 1 : 0);
		if (comma && !*text)
			return -1;
	}
	return 0;
}

size_t ab_control_index(const struct ab_arm *arms, size_t k)
{
	for (size_t i = 0; i < k; i++)
		if (arms[i].control)
			return i;
	return 0;
}

static void per_arm(const struct ab_arm *a, const struct ab_options *o, struct ab_result *r)
{
	if (a->trials > 0) {
		r->rate = a->conversions / a->trials;
		r->has_rate = !stats_wilson(a->conversions, a->trials, 1 - o->alpha, &r->ci_low,
					    &r->ci_high);
	}
	if (a->trials > 0) {
		r->value_mean = a->value_sum / a->trials;
		r->has_value = 1;
	}
	/* An unknown sum of squares (NaN) gives no sd rather than a wrong one. */
	r->has_value_sd = isfinite(a->value_sumsq) &&
			  !stats_mean_sd(a->trials, a->value_sum, a->value_sumsq, &r->value_mean,
					 &r->value_sd);
	if (r->has_value_sd) {
		double half = gsl_cdf_ugaussian_Pinv(1 - o->alpha / 2) * r->value_sd /
			      sqrt(a->trials);

		r->value_ci_low = r->value_mean - half;
		r->value_ci_high = r->value_mean + half;
	}
}

/* The interval the winner rule reads for an estimate of two arms of nc
 * and nb trials, at level alpha (split already): the always-valid
 * mixture, or with a horizon the design of pure/design.h, which spends
 * most of alpha by the planned sample.  -1 when it cannot be computed. */
static int rule_interval(double est, double se, double nc, double nb, double alpha,
			 const struct ab_options *o, double *low, double *high, double *p)
{
	struct design d;

	if (!(o->horizon > 0))
		return stats_confidence_sequence(est, se, nc + nb, alpha, o->tuning, low, high, p);
	if (design_init_flat(&d, alpha) ||
	    design_interval(&d, est, se, design_fraction(nc, nb, o->horizon), low, high, p))
		return -1;
	return 0;
}

/* Mean value per trial against the control's: the difference, its
 * two-sided z-test on the unpooled (Welch) standard error, and the
 * always-valid interval of the rate's rule on that standard error, at
 * the same split level. */
static void value_against(const struct ab_arm *c, const struct ab_arm *b,
			  const struct ab_result *rc, double split, const struct ab_options *o,
			  struct ab_result *r)
{
	double se;

	if (!rc->has_value_sd || !r->has_value_sd)
		return;
	se = sqrt(rc->value_sd * rc->value_sd / c->trials + r->value_sd * r->value_sd / b->trials);
	if (!(se > 0))
		return;
	r->value_lift = r->value_mean - rc->value_mean;
	r->value_z = r->value_lift / se;
	r->value_p = 2 * gsl_cdf_ugaussian_Q(fabs(r->value_z));
	r->has_value_lift = !rule_interval(r->value_lift, se, c->trials, b->trials,
					   o->alpha / split, o, &r->value_seq_low,
					   &r->value_seq_high, &r->value_seq_p);
	r->value_seq_p = fmin(1, r->value_seq_p * split); /* Bonferroni, as the rate's */
}

/* The fixed-horizon interval of lift_rel = p_B / p_A - 1 by the delta
 * method: Var = Var(p_B) / p_A^2 + p_B^2 Var(p_A) / p_A^4, with the
 * binomial variances p (1 - p) / n, at level 1 - alpha. */
static void rel_interval(const struct ab_arm *c, const struct ab_arm *b,
			 const struct ab_result *rc, struct ab_result *r, double alpha)
{
	double pa = rc->rate, pb = r->rate;
	double va = pa * (1 - pa) / c->trials, vb = pb * (1 - pb) / b->trials;
	double se = sqrt(vb / (pa * pa) + pb * pb * va / (pa * pa * pa * pa));
	double z = gsl_cdf_ugaussian_Pinv(1 - alpha / 2);

	r->lift_rel_low = r->lift_rel - z * se;
	r->lift_rel_high = r->lift_rel + z * se;
}

static void against_control(const struct ab_arm *c, const struct ab_arm *b,
			    const struct ab_result *rc, const struct ab_options *o,
			    double split, struct ab_result *r)
{
	double se, cs_alpha = o->alpha / split;

	if (!rc->has_rate || !r->has_rate)
		return;
	r->lift_abs = r->rate - rc->rate;
	r->has_lift = 1;
	if (c->conversions >= MIN_CONTROL_CONVERSIONS_FOR_REL && rc->rate > 0) {
		r->lift_rel = r->lift_abs / rc->rate;
		r->has_lift_rel = 1;
		rel_interval(c, b, rc, r, o->alpha);
	}
	r->has_z = !stats_ztest(c->conversions, c->trials, b->conversions, b->trials, &r->z,
				&r->p_value);
	if (!stats_se_unpooled(c->conversions, c->trials, b->conversions, b->trials, &se))
		r->has_seq = !rule_interval(r->lift_abs, se, c->trials, b->trials, cs_alpha, o,
					    &r->seq_low, &r->seq_high, &r->seq_p);
	/* The p-value of the same test as the interval: Bonferroni-adjusted
	 * like its level, so seq_p < alpha exactly when it excludes 0. */
	if (r->has_seq)
		r->seq_p = fmin(1, r->seq_p * split);
	value_against(c, b, rc, split, o, r);
}

/* P(B beats the control) and both expected losses, Beta(1,1) prior:
 * posteriors Beta(1 + x, 1 + n - x). */
static void bayes_against(const struct ab_arm *c, const struct ab_arm *b, struct ab_result *r)
{
	double aa = 1 + c->conversions, ba = 1 + c->trials - c->conversions;
	double ab = 1 + b->conversions, bb = 1 + b->trials - b->conversions;

	r->has_bayes = !stats_prob_b_beats_a(aa, ba, ab, bb, &r->prob_beat) &&
		       !stats_expected_losses(aa, ba, ab, bb, &r->loss, &r->loss_control);
}

/* The Bayesian comparisons with the control, computed once for each
 * distinct (conversions, trials) among the variants and copied to the
 * others with the same counts: the same inputs give the same numbers,
 * and many arms often share their counts. */
static void bayes_family(const struct ab_arm *arms, size_t k, size_t c, struct ab_result *res)
{
	double *x = xcalloc(k ? k : 1, sizeof(*x)), *n = xcalloc(k ? k : 1, sizeof(*n));
	size_t *at = xcalloc(k ? k : 1, sizeof(*at)), *group = xcalloc(k ? k : 1, sizeof(*group));
	size_t *first = xcalloc(k ? k : 1, sizeof(*first)), m = 0, done = 0;

	for (size_t i = 0; i < k; i++)
		if (i != c && res[c].has_rate && res[i].has_rate) {
			x[m] = arms[i].conversions;
			n[m] = arms[i].trials;
			at[m++] = i;
		}
	stats_group_pairs(m, x, n, group);
	/* Groups are numbered in the order of their first member. */
	for (size_t j = 0; j < m; j++) {
		struct ab_result *r = &res[at[j]];

		if (group[j] == done) {
			bayes_against(&arms[c], &arms[at[j]], r);
			first[done++] = at[j];
		} else {
			const struct ab_result *same = &res[first[group[j]]];

			r->has_bayes = same->has_bayes;
			r->prob_beat = same->prob_beat;
			r->loss = same->loss;
			r->loss_control = same->loss_control;
		}
	}
	free(x);
	free(n);
	free(at);
	free(group);
	free(first);
}

/* Holm over the variants that have a z-test, and only those: the
 * family_size printed is the m the adjustment used. */
static void holm_family(size_t k, size_t c, struct ab_result *res)
{
	double *pv = xcalloc(k, sizeof(double)), *adj = xcalloc(k, sizeof(double));
	size_t *idx = xcalloc(k, sizeof(size_t));
	size_t m = 0;

	for (size_t i = 0; i < k; i++)
		if (i != c && res[i].has_z) {
			pv[m] = res[i].p_value;
			idx[m++] = i;
		}
	stats_holm(m, pv, adj);
	for (size_t j = 0; j < m; j++) {
		res[idx[j]].p_value_holm = adj[j];
		res[idx[j]].family_size = m;
	}
	free(pv);
	free(adj);
	free(idx);
}

/* Pearson's chi-square of the trials against the planned weights; not
 * for a Thompson-allocated kind, whose split follows the posteriors and
 * so would be flagged whenever one arm is better. */
static void srm_check(const struct ab_arm *arms, size_t k, const struct ab_options *o,
		      struct ab_result *res)
{
	double *obs = xcalloc(k, sizeof(double)), *w = xcalloc(k, sizeof(double));
	double chi2, srm_p;
	int srm_ok = 1, thompson = 0;

	for (size_t i = 0; i < k; i++) {
		obs[i] = arms[i].trials;
		w[i] = arms[i].weight > 0 ? arms[i].weight : 1;
		if (arms[i].trials < o->srm_min_trials)
			srm_ok = 0;
		thompson |= arms[i].thompson;
	}
	if (!thompson && !stats_srm(k, obs, w, &chi2, &srm_p))
		for (size_t i = 0; i < k; i++) {
			res[i].srm_p = srm_p;
			res[i].has_srm = 1;
			res[i].srm = srm_ok && srm_p < o->srm_p;
		}
	free(obs);
	free(w);
}

void ab_analyze(const struct ab_arm *arms, size_t k, const struct ab_options *o,
		struct ab_result *res)
{
	size_t c = ab_control_index(arms, k);
	double *alpha = xcalloc(k, sizeof(double)), *beta = xcalloc(k, sizeof(double));
	double *prob = xcalloc(k, sizeof(double));
	/* Several variants against one control: the sequential interval
	 * splits alpha among them (Bonferroni), as the winner rule asks. */
	double split = k > 2 ? (double)(k - 1) : 1;

	memset(res, 0, k * sizeof(*res));
	for (size_t i = 0; i < k; i++)
		per_arm(&arms[i], o, &res[i]);
	for (size_t i = 0; i < k; i++)
		if (i != c)
			against_control(&arms[c], &arms[i], &res[c], o, split, &res[i]);
	bayes_family(arms, k, c, res);
	holm_family(k, c, res);
	for (size_t i = 0; i < k; i++) {
		alpha[i] = 1 + arms[i].conversions;
		beta[i] = 1 + arms[i].trials - arms[i].conversions;
	}
	if (k >= 2 && !stats_prob_best(k, alpha, beta, prob))
		for (size_t i = 0; i < k; i++) {
			res[i].prob_best = prob[i];
			res[i].has_prob_best = 1;
		}
	if (k >= 2)
		srm_check(arms, k, o, res);
	free(alpha);
	free(beta);
	free(prob);
}

#define ADD_IF(obj, flag, name, value)                                   \
	do {                                                             \
		if (flag)                                                \
			cJSON_AddNumberToObject(obj, name, value);       \
	} while (0)

cJSON *ab_report_line(const char *experiment, const struct ab_arm *arm,
		      const struct ab_result *r)
{
	cJSON *o = cJSON_CreateObject();
	const char *status = NULL;

	cJSON_AddStringToObject(o, "experiment", experiment);
	cJSON_AddStringToObject(o, "variant_name", arm->name);
	cJSON_AddStringToObject(o, "kind", arm->kind);
	cJSON_AddNumberToObject(o, "trials", arm->trials);
	cJSON_AddNumberToObject(o, "conversions", arm->conversions);
	ADD_IF(o, r->has_rate, "rate", r->rate);
	ADD_IF(o, r->has_rate, "ci_low", r->ci_low);
	ADD_IF(o, r->has_rate, "ci_high", r->ci_high);
	if (arm->value_sum != 0 || !(arm->value_sumsq == 0)) {
		ADD_IF(o, r->has_value, "value_mean", r->value_mean);
		ADD_IF(o, r->has_value_sd, "value_sd", r->value_sd);
		ADD_IF(o, r->has_value_sd, "value_ci_low", r->value_ci_low);
		ADD_IF(o, r->has_value_sd, "value_ci_high", r->value_ci_high);
	}
	if (!arm->control) {
		ADD_IF(o, r->has_lift, "lift_abs", r->lift_abs);
		ADD_IF(o, r->has_lift_rel, "lift_rel", r->lift_rel);
		ADD_IF(o, r->has_lift_rel, "lift_rel_low", r->lift_rel_low);
		ADD_IF(o, r->has_lift_rel, "lift_rel_high", r->lift_rel_high);
		ADD_IF(o, r->has_z, "z", r->z);
		ADD_IF(o, r->has_z, "p_value", r->p_value);
		ADD_IF(o, r->has_z, "p_value_holm", r->p_value_holm);
		if (r->family_size)
			cJSON_AddNumberToObject(o, "family_size", (double)r->family_size);
		ADD_IF(o, r->has_seq, "seq_ci_low", r->seq_low);
		ADD_IF(o, r->has_seq, "seq_ci_high", r->seq_high);
		ADD_IF(o, r->has_seq, "seq_p_value", r->seq_p);
		ADD_IF(o, r->has_bayes, "prob_beat_control", r->prob_beat);
		ADD_IF(o, r->has_bayes, "expected_loss", r->loss);
		ADD_IF(o, r->has_bayes, "expected_loss_control", r->loss_control);
		ADD_IF(o, r->has_value_lift, "value_lift", r->value_lift);
		ADD_IF(o, r->has_value_lift, "value_p_value", r->value_p);
		ADD_IF(o, r->has_value_lift, "value_seq_ci_low", r->value_seq_low);
		ADD_IF(o, r->has_value_lift, "value_seq_ci_high", r->value_seq_high);
		ADD_IF(o, r->has_value_lift, "value_seq_p_value", r->value_seq_p);
	}
	ADD_IF(o, r->has_prob_best, "prob_best", r->prob_best);
	if (arm->thompson)
		cJSON_AddStringToObject(o, "allocation", "thompson");
	ADD_IF(o, r->has_srm, "srm_p_value", r->srm_p);
	if (r->has_srm)
		cJSON_AddBoolToObject(o, "srm", r->srm);
	if (!r->has_rate || (!arm->control && !(r->has_z && r->has_seq && r->has_bayes)))
		status = "insufficient_data";
	else if (arm->control)
		status = "control";
	if (status)
		cJSON_AddStringToObject(o, "status", status);
	return o;
}

const char *ab_outcome_name(enum ab_outcome outcome)
{
	return outcome == AB_WINNER ? "winner" : outcome == AB_INVALID ? "invalid"
		: outcome == AB_GUARDRAIL ? "guardrail" : "inconclusive";
}

static void set(struct ab_decision *d, enum ab_outcome outcome, int arm, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void set(struct ab_decision *d, enum ab_outcome outcome, int arm, const char *fmt, ...)
{
	va_list ap;

	d->outcome = outcome;
	d->arm = arm;
	d->has_loss = 0;
	d->has_loss_rel = 0;
	va_start(ap, fmt);
	vsnprintf(d->reason, sizeof(d->reason), fmt, ap);
	va_end(ap);
}

/* The loss the rule checked, absolute and relative, for the decision line. */
static void keep_loss(struct ab_decision *d, double loss, double loss_rel)
{
	d->loss = loss;
	d->has_loss = 1;
	d->loss_rel = loss_rel;
	d->has_loss_rel = 1;
}

/* What the reasons call the rule's interval. */
static const char *interval_name(const struct ab_options *o)
{
	return o->horizon > 0 ? "planned-horizon" : "always-valid";
}

/* The loss step of the rule: the expected loss of choosing the leader,
 * over the control's rate, must be below max_loss; an absolute bound
 * would let a variant 40 % worse through at a 0.1 % base rate.  Returns 1
 * when it holds; otherwise d says why (and keeps the loss when it was
 * compared with the bound). */
static int loss_ok(struct ab_decision *d, int leader, const char *who, double loss,
		   const struct ab_result *rc, const struct ab_options *o)
{
	if (!isfinite(loss)) {
		set(d, AB_INCONCLUSIVE, leader, "%s, but its expected loss cannot be computed", who);
		return 0;
	}
	if (!rc->has_rate || !(rc->rate > 0)) {
		set(d, AB_INCONCLUSIVE, leader, "%s, but the control has no conversions: its "
		    "expected loss has no rate to be taken relative to", who);
		return 0;
	}
	if (!(loss / rc->rate < o->max_loss)) {
		set(d, AB_INCONCLUSIVE, leader, "%s, but its expected loss %.4g is %.3g %% of the "
		    "control's rate %.4g, not below %g %%", who, loss, 100 * loss / rc->rate,
		    rc->rate, 100 * o->max_loss);
		keep_loss(d, loss, loss / rc->rate);
		return 0;
	}
	return 1;
}

/* A variant leads: it wins when its interval lies above 0 and its loss
 * is small. */
/* How many more trials per arm until the leader's interval clears 0 half
 * of the time, were today's rates the true ones (pure/plan.h). */
static void more_trials(const struct ab_arm *arms, size_t k, size_t c, int leader,
			const struct ab_result *res, const struct ab_options *o,
			struct ab_decision *d)
{
	double split = k > 2 ? (double)(k - 1) : 1, n, have;

	if (!res[leader].has_rate || !res[c].has_rate || !(res[leader].rate > res[c].rate))
		return;
	n = o->horizon > 0
		? plan_design_trials(res[c].rate, res[leader].rate, o->alpha / split, o->horizon)
		: plan_rule_trials(res[c].rate, res[leader].rate, o->alpha / split, o->tuning);
	have = fmin(arms[leader].trials, arms[c].trials);
	if (n > 0 && ceil(n) > have) {
		d->more_trials = ceil(n) - have;
		d->has_more = 1;
	}
}

static void decide_variant(const struct ab_arm *arms, size_t k, size_t c, int leader,
			   const struct ab_result *res, const struct ab_options *o,
			   struct ab_decision *d)
{
	const struct ab_result *r = &res[leader];
	char who[160];

	snprintf(who, sizeof(who), "'%s' leads", arms[leader].name);
	if (!r->has_seq || !(r->seq_low > 0)) {
		set(d, AB_INCONCLUSIVE, leader, "%s, but its %s interval against the "
		    "control includes 0", who, interval_name(o));
		more_trials(arms, k, c, leader, res, o, d);
		return;
	}
	if (!loss_ok(d, leader, who, r->has_bayes ? r->loss : NAN, &res[c], o))
		return;
	set(d, AB_WINNER, leader, "'%s' beats the control '%s': %s interval "
	    "[%.4g, %.4g] excludes 0, expected loss %.4g = %.3g %% of the control's rate, "
	    "below %g %%", arms[leader].name, arms[c].name, interval_name(o), r->seq_low,
	    r->seq_high, r->loss,
	    100 * r->loss / res[c].rate, 100 * o->max_loss);
	keep_loss(d, r->loss, r->loss / res[c].rate);
}

/* The control leads: it wins only when every variant is shown worse. */
static void decide_control(const struct ab_arm *arms, size_t k, size_t c,
			   const struct ab_result *res, const struct ab_options *o,
			   struct ab_decision *d)
{
	double worst_loss = 0;
	char who[160];

	for (size_t i = 0; i < k; i++) {
		if (i == c)
			continue;
		if (!res[i].has_seq || !(res[i].seq_high < 0)) {
			set(d, AB_INCONCLUSIVE, (int)c, "the control '%s' leads, but '%s' is not "
			    "shown worse (%s interval includes 0)", arms[c].name,
			    arms[i].name, interval_name(o));
			return;
		}
		if (!res[i].has_bayes)
			worst_loss = INFINITY;
		else if (res[i].loss_control > worst_loss)
			worst_loss = res[i].loss_control;
	}
	snprintf(who, sizeof(who), "the control '%s' leads", arms[c].name);
	if (!loss_ok(d, (int)c, who, worst_loss, &res[c], o))
		return;
	set(d, AB_WINNER, (int)c, "the control '%s' beats every variant: their %s "
	    "intervals are below 0, expected loss %.4g = %.3g %% of its rate, below %g %%",
	    arms[c].name, interval_name(o), worst_loss, 100 * worst_loss / res[c].rate, 100 * o->max_loss);
	keep_loss(d, worst_loss, worst_loss / res[c].rate);
}

static void decide(const struct ab_arm *arms, size_t k, const struct ab_result *res,
		   const struct ab_options *o, struct ab_decision *d);

/* On value: the arm with the highest mean value per trial wins when its
 * rule's interval against the control lies above 0 (the control:
 * when every variant's lies below).  There is no expected-loss step: the
 * Beta posteriors are of the rate, not of the value. */
static void decide_value(const struct ab_arm *arms, size_t k, size_t c,
			 const struct ab_result *res, const struct ab_options *o,
			 struct ab_decision *d)
{
	int leader = -1;

	for (size_t i = 0; i < k; i++)
		if (res[i].has_value && (leader < 0 || res[i].value_mean > res[leader].value_mean))
			leader = (int)i;
	if (leader < 0) {
		set(d, AB_INCONCLUSIVE, -1, "no arm has a value per trial");
		return;
	}
	if ((size_t)leader != c) {
		const struct ab_result *r = &res[leader];

		if (!r->has_value_lift || !(r->value_seq_low > 0)) {
			set(d, AB_INCONCLUSIVE, leader, "'%s' leads on value per trial (%.4g), but "
			    "its %s interval against the control includes 0",
			    arms[leader].name, r->value_mean, interval_name(o));
			return;
		}
		set(d, AB_WINNER, leader, "'%s' beats the control '%s' on value per trial, %.4g "
		    "against %.4g: %s interval of the difference [%.4g, %.4g] "
		    "excludes 0", arms[leader].name, arms[c].name, r->value_mean,
		    res[c].value_mean, interval_name(o), r->value_seq_low, r->value_seq_high);
		return;
	}
	for (size_t i = 0; i < k; i++)
		if (i != c && (!res[i].has_value_lift || !(res[i].value_seq_high < 0))) {
			set(d, AB_INCONCLUSIVE, leader, "the control '%s' leads on value per trial, "
			    "but '%s' is not shown worse (%s interval includes 0)",
			    arms[c].name, arms[i].name, interval_name(o));
			return;
		}
	set(d, AB_WINNER, leader, "the control '%s' beats every variant on value per trial: "
	    "their %s intervals are below 0", arms[c].name, interval_name(o));
}

void ab_guard_check(const struct ab_arm *arms, size_t k, const struct ab_options *o,
		    struct ab_decision *d)
{
	size_t c = ab_control_index(arms, k);
	double split = k > 2 ? (double)(k - 1) : 1;
	const struct ab_arm *w, *ctl = &arms[c];

	if (d->outcome != AB_WINNER || d->arm < 0 || (size_t)d->arm == c)
		return;
	w = &arms[d->arm];
	for (size_t g = 0; g < o->nguards; g++) {
		const struct ab_guardrail *gr = &o->guards[g];
		/* Agresti-Caffo: one event and one non-event added to each arm,
		 * so that zero counts still give an interval. */
		double pw = (w->guard[gr->index] + 1) / (w->trials + 2);
		double pc = (ctl->guard[gr->index] + 1) / (ctl->trials + 2);
		double se = sqrt(pw * (1 - pw) / (w->trials + 2) + pc * (1 - pc) / (ctl->trials + 2));
		double low, high, p;

		if (stats_confidence_sequence(pw - pc, se, w->trials + ctl->trials + 4,
					      o->alpha / split, o->tuning, &low, &high, &p) ||
		    high <= gr->margin)
			continue;
		d->guard = gr->name;
		d->guard_diff = w->trials > 0 && ctl->trials > 0
			? w->guard[gr->index] / w->trials - ctl->guard[gr->index] / ctl->trials
			: pw - pc;
		d->guard_low = low;
		d->guard_high = high;
		d->guard_margin = gr->margin;
		d->outcome = AB_GUARDRAIL;
		snprintf(d->reason, sizeof(d->reason), "'%s' would win, but guardrail '%s' may be "
			 "worse than the control's by more than %g: always-valid interval of the "
			 "difference [%.4g, %.4g]", w->name, gr->name, gr->margin, low, high);
		return;
	}
}

void ab_decide(const struct ab_arm *arms, size_t k, const struct ab_result *res,
	       const struct ab_options *o, struct ab_decision *d)
{
	memset(d, 0, sizeof(*d));
	d->metric_value = o->metric_value;
	d->horizon = o->horizon;
	decide(arms, k, res, o, d);
	ab_guard_check(arms, k, o, d);
}

static void decide(const struct ab_arm *arms, size_t k, const struct ab_result *res,
		   const struct ab_options *o, struct ab_decision *d)
{
	size_t c = ab_control_index(arms, k);
	int leader = -1;

	for (size_t i = 0; i < k; i++)
		if (res[i].has_rate && (leader < 0 || res[i].prob_best > res[leader].prob_best ||
					(!res[leader].has_prob_best && res[i].rate > res[leader].rate)))
			leader = (int)i;
	if (k < 2) {
		set(d, AB_INCONCLUSIVE, leader, "a winner needs a control and at least one variant");
		return;
	}
	if (res[c].has_srm && res[c].srm) {
		set(d, AB_INVALID, leader, "sample ratio mismatch (p = %.3g < %g): traffic is not "
		    "split as planned, no winner can be trusted", res[c].srm_p, o->srm_p);
		return;
	}
	for (size_t i = 0; i < k; i++)
		if (arms[i].trials < o->min_trials || arms[i].conversions < o->min_conversions) {
			set(d, AB_INCONCLUSIVE, leader, "'%s' has %.0f trials and %.0f conversions; "
			    "every arm needs at least %.0f and %.0f", arms[i].name, arms[i].trials,
			    arms[i].conversions, o->min_trials, o->min_conversions);
			return;
		}
	if (o->metric_value) {
		decide_value(arms, k, c, res, o, d);
		return;
	}
	if (leader < 0 || !res[leader].has_prob_best) {
		set(d, AB_INCONCLUSIVE, leader, "the arms cannot be compared");
		return;
	}
	if ((size_t)leader != c)
		decide_variant(arms, k, c, leader, res, o, d);
	else
		decide_control(arms, k, c, res, o, d);
}

cJSON *ab_decision_line(const char *kind, const struct ab_arm *arms,
			const struct ab_result *res, const struct ab_decision *d)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "kind", kind);
	cJSON_AddStringToObject(o, "decision", ab_outcome_name(d->outcome));
	if (d->arm >= 0) {
		const struct ab_arm *a = &arms[d->arm];
		const struct ab_result *r = &res[d->arm];

		cJSON_AddStringToObject(o, "variant_name", a->name);
		ADD_IF(o, r->has_rate, "performance", r->rate);
		cJSON_AddNumberToObject(o, "conversions", a->conversions);
		cJSON_AddNumberToObject(o, "trials", a->trials);
		ADD_IF(o, r->has_prob_best, "prob_best", r->prob_best);
		if (d->has_loss)
			cJSON_AddNumberToObject(o, "expected_loss", d->loss);
		else if (!a->control)
			ADD_IF(o, r->has_bayes, "expected_loss", r->loss);
		ADD_IF(o, d->has_loss_rel, "expected_loss_rel", d->loss_rel);
		ADD_IF(o, d->has_more, "more_trials_per_arm", d->more_trials);
		if (d->metric_value) {
			cJSON_AddStringToObject(o, "metric", "value");
			ADD_IF(o, r->has_value, "value_per_trial", r->value_mean);
			ADD_IF(o, r->has_value_lift, "value_seq_ci_low", r->value_seq_low);
			ADD_IF(o, r->has_value_lift, "value_seq_ci_high", r->value_seq_high);
		}
	}
	if (d->horizon > 0)
		cJSON_AddNumberToObject(o, "horizon", d->horizon);
	if (d->outcome == AB_GUARDRAIL) {
		cJSON_AddStringToObject(o, "guardrail", d->guard);
		cJSON_AddNumberToObject(o, "guardrail_diff", d->guard_diff);
		cJSON_AddNumberToObject(o, "guardrail_ci_low", d->guard_low);
		cJSON_AddNumberToObject(o, "guardrail_ci_high", d->guard_high);
		cJSON_AddNumberToObject(o, "guardrail_margin", d->guard_margin);
	}
	cJSON_AddStringToObject(o, "reason", d->reason);
	return o;
}
