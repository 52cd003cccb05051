/*
 * compare.h - a candidate clone's evaluation runs against the baseline's,
 * case by case and run by run (brain-score compare).  Pure: no I/O.
 *
 * Calling sequence:
 *
 *     struct compare c;
 *     compare_init(&c);
 *     for each run record of the baseline file:  compare_add(&c, COMPARE_BASELINE, rec, &loc);
 *     for each run record of the candidate file: compare_add(&c, COMPARE_CANDIDATE, rec, &loc);
 *     if (!(status = compare_finish(&c, &options)))
 *             ... c.cases[0 .. c.ncases), c.summary ...
 *     compare_free(&c);
 *
 * A run is one line of brain-score's runs format ({"case","run","passed",
 * "perturbed",...}).  Runs pair by case and run index; a run without
 * "run" takes its position among that case's runs on its side (0, 1, 2,
 * ...), so two files written in the same order pair without indices.
 * The same case and index twice on one side is bad data.  Perturbed runs
 * are counted and left out (the pass rate compared is brain-score's
 * accuracy, the unperturbed pass rate).
 *
 * Per case: each side's passes and runs (all of its runs, paired or not)
 * and the change.  A case REGRESSED when its candidate pass rate is below
 * the baseline's by more than case_margin; IMPROVED when above by more
 * than case_margin; MISSING when the candidate has no run of it; NEW when
 * only the candidate has; else SAME.  A case is under min_case_pass when
 * the candidate ran it and its candidate pass rate is below min_case_pass.
 *
 * Summary, over the paired runs (a: both passed, b: only the baseline,
 * c: only the candidate, d: neither): each side's pass rate with its
 * Wilson interval, the difference candidate - baseline with Newcombe's
 * paired interval (stats_newcombe_paired), all at level 1 - alpha, and
 * the exact McNemar p of b and c (stats_mcnemar_exact).  The candidate is
 * significantly worse when p < alpha and the difference is below 0.  A
 * regression is found when it is significantly worse, or a case regressed
 * or is missing.
 */
#ifndef BRAIN_COMPARE_H
#define BRAIN_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "pure/json.h"
#include "status.h"

enum compare_side { COMPARE_BASELINE, COMPARE_CANDIDATE };

enum compare_change { COMPARE_SAME, COMPARE_REGRESSED, COMPARE_IMPROVED, COMPARE_MISSING,
		      COMPARE_NEW };

extern const char *const compare_change_names[5];

struct compare_options {
	double alpha;          /* McNemar's level; intervals at 1 - alpha (0.05) */
	double case_margin;    /* a case regresses past this drop in pass rate (0.1) */
	double min_case_pass;  /* a candidate case under this fails (0: none) */
};

/* One unperturbed run as read. */
struct compare_run {
	char *case_name;       /* owned */
	int64_t run;           /* its index, or -1 until compare_finish gives one */
	int passed;
	long line;             /* where it was read, for messages */
	size_t order;          /* arrival order on its side */
};

struct compare_runs {
	struct compare_run *runs;   /* owned */
	size_t n, cap;
	double perturbed;           /* perturbed runs left out */
	const char *file;           /* for messages; borrowed from the first loc */
};

struct compare_case {
	const char *name;            /* borrowed from a run */
	double baseline_runs, baseline_passed, candidate_runs, candidate_passed;
	enum compare_change change;
	int under_min_case_pass;
};

struct compare_summary {
	double pairs, both_passed, only_baseline, only_candidate, neither;  /* n, a, b, c, d */
	double unpaired_baseline, unpaired_candidate;   /* runs without a partner */
	double baseline_rate, baseline_low, baseline_high;
	double candidate_rate, candidate_low, candidate_high;
	double difference, difference_low, difference_high;
	double mcnemar_p;
	int has_rates;               /* there is at least one pair */
	int significantly_worse;
	size_t regressed, improved, missing, added, under_min_case_pass;
	int regression;              /* significantly worse, or a case regressed or missing */
};

struct compare {
	struct compare_runs side[2];
	struct compare_case *cases;  /* by case name (strcmp order); owned */
	size_t ncases;
	struct compare_summary summary;
	struct compare_options options;
};

void compare_options_default(struct compare_options *o);
void compare_init(struct compare *c);
/* Add one run record of side; BRAIN_DATA (reported at loc) when bad. */
enum brain_status compare_add(struct compare *c, enum compare_side side, const cJSON *rec,
			      const struct json_loc *loc);
/* Pair the runs and fill cases and summary; BRAIN_DATA (reported with the
 * file and line) for a case and run index given twice on one side. */
enum brain_status compare_finish(struct compare *c, const struct compare_options *o);
void compare_free(struct compare *c);

/* The output lines (caller deletes): one per case, and the summary. */
cJSON *compare_case_json(const struct compare *c, const struct compare_case *k);
cJSON *compare_summary_json(const struct compare *c);

#endif
