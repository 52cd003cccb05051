/*
 * ab.h - the analysis behind brain-ab: per-variant statistics against a
 * control, the data-quality checks, and the winner rule of
 * spec/statistics.md.  Pure: counts in, numbers and JSON out, no I/O.
 *
 *     struct ab_arm arms[] = { ... };            // one kind, any order
 *     struct ab_options o; ab_options_default(&o);
 *     struct ab_result res[k];
 *     ab_analyze(arms, k, &o, res);              // control: arms[c].control
 *     cJSON *line = ab_report_line("default", &arms[i], &res[i], &o);
 *     struct ab_decision d; ab_decide(arms, k, res, &o, &d);
 *
 * Every figure that cannot be computed (too few trials, a zero standard
 * error) is marked absent in the result, and the report line says why in
 * "status", never with a non-finite number.
 */
#ifndef BRAIN_AB_H
#define BRAIN_AB_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Guardrail metrics an experiment tallies: opt_out and complaint, and
 * those config.json names (ab.guardrails). */
#define AB_GUARD_MAX 8

struct ab_arm {
	const char *name;     /* display name (borrowed) */
	const char *kind;     /* "script", "channel", ... (borrowed) */
	double trials;        /* n */
	double conversions;   /* x <= n */
	double value_sum;     /* sum of values */
	double value_sumsq;   /* sum of squared values */
	double weight;        /* planned traffic share (any positive scale) */
	int control;          /* 1 for the control of its kind */
	int thompson;         /* the kind's traffic is Thompson-allocated: the weights are
			       * not the split, so there is no SRM test (any arm marks the kind) */
	double guard[AB_GUARD_MAX]; /* trials with each guardrail event (ab_options.guard) */
};

/* A guardrail the winner rule enforces: the winner's rate of the event
 * may exceed the control's by at most margin (absolute). */
struct ab_guardrail {
	const char *name;     /* borrowed */
	int index;            /* into ab_arm.guard */
	double margin;
};

/* A guardrail as written: "opt_out:0.01", the name and its margin. */
struct ab_guard_spec {
	char name[65];
	double margin;            /* in [0, 1] */
};

/* Parse "NAME:MARGIN[,NAME:MARGIN...]" into out (at most max), adding to
 * *n (a name given again takes the later margin); -1 when malformed. */
int ab_guard_parse(const char *text, struct ab_guard_spec *out, size_t max, size_t *n);

struct ab_options {
	double alpha;             /* 1 - confidence level (0.05) */
	double tuning;            /* N* of the confidence sequence (5000) */
	double min_trials;        /* per arm, for a winner (100) */
	double min_conversions;   /* per arm, for a winner (25) */
	double max_loss;          /* expected loss of the chosen arm over the control's
				   * rate (0.01), so it means the same at any base rate */
	double srm_p;             /* SRM flag threshold (0.001) */
	double srm_min_trials;    /* SRM needs this many in every arm (8) */
	double horizon;           /* planned trials per arm (0: none, the mixture interval);
				   * see pure/design.h */
	int metric_value;         /* winner decides on mean value per trial, not the rate */
	struct ab_guardrail guards[AB_GUARD_MAX]; /* enforced by ab_guard_check */
	size_t nguards;
};

struct ab_result {
	double rate, ci_low, ci_high;
	int has_rate;                 /* trials > 0 */
	double value_mean, value_sd;
	double value_ci_low, value_ci_high;   /* normal interval of value_mean (with the sd) */
	double value_lift, value_z, value_p;  /* against the control's mean value per trial */
	double value_seq_low, value_seq_high, value_seq_p;  /* its always-valid interval */
	int has_value_lift;
	int has_value;                /* trials > 0: mean value per trial */
	int has_value_sd;             /* trials > 1 and the sum of squares known */
	/* against the control (not for the control itself) */
	double lift_abs, lift_rel, z, p_value, p_value_holm;
	double lift_rel_low, lift_rel_high;  /* delta-method interval of lift_rel */
	int has_lift, has_lift_rel, has_z;
	double seq_low, seq_high, seq_p;
	int has_seq;
	double prob_beat, loss, loss_control;
	int has_bayes;
	/* for the whole kind */
	double prob_best;
	int has_prob_best;
	double srm_p;
	int has_srm, srm;
	size_t family_size;           /* the Holm m: variants with a z-test (0 on the others) */
};

enum ab_outcome { AB_WINNER, AB_INCONCLUSIVE, AB_INVALID, AB_GUARDRAIL };

struct ab_decision {
	enum ab_outcome outcome;
	int arm;                  /* winner or leader, -1 when none */
	double loss;              /* expected loss of choosing that arm */
	int has_loss;
	double loss_rel;          /* the loss the rule checked over the control's rate */
	int has_loss_rel;         /* the rule got as far as the loss */
	double more_trials;       /* inconclusive leader: about this many more trials per arm */
	int has_more;
	int metric_value;         /* decided on mean value per trial */
	double horizon;           /* decided with this planned horizon (0: none) */
	const char *guard;        /* AB_GUARDRAIL: the guardrail that vetoed (borrowed) */
	double guard_diff, guard_low, guard_high, guard_margin; /* its difference and interval */
	char reason[256];
};

void ab_options_default(struct ab_options *o);

/* Analyse k arms of one kind; the control is the arm with control set
 * (the first arm when none is).  res[i] for arm i. */
void ab_analyze(const struct ab_arm *arms, size_t k, const struct ab_options *o,
		struct ab_result *res);

/* The index of the control among k arms. */
size_t ab_control_index(const struct ab_arm *arms, size_t k);

/* One report line, fields in the documented order (caller deletes). */
cJSON *ab_report_line(const char *experiment, const struct ab_arm *arm,
		      const struct ab_result *res);

/* The winner rule over analysed arms.  The expected loss is bounded
 * relative to the control's rate: loss / p_control < max_loss. */
void ab_decide(const struct ab_arm *arms, size_t k, const struct ab_result *res,
	       const struct ab_options *o, struct ab_decision *d);

/* The guardrails of o against the winner d->arm (not the control): the
 * first whose always-valid interval of (winner's rate - control's rate),
 * Agresti-Caffo adjusted, reaches above its margin turns d into
 * AB_GUARDRAIL.  ab_decide calls it; exposed for the tests. */
void ab_guard_check(const struct ab_arm *arms, size_t k, const struct ab_options *o,
		    struct ab_decision *d);

/* The decision line (caller deletes). */
cJSON *ab_decision_line(const char *kind, const struct ab_arm *arms,
			const struct ab_result *res, const struct ab_decision *d);

const char *ab_outcome_name(enum ab_outcome outcome);

#endif
