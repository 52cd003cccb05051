/*
 * ab_cmd.h - the work of each brain-ab command (cmd/brain-ab.c only
 * parses options).  Each prints its records on stdout and returns the exit
 * status; `winner` returns BRAIN_NO unless the decision is a winner that
 * holds (or was concluded).
 */
#ifndef BRAIN_AB_CMD_H
#define BRAIN_AB_CMD_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "pure/ab.h"
#include "pure/ab_fold.h"
#include "pure/json.h"
#include "cmd/cli.h"
#include "core/state.h"
#include "status.h"

struct ab_args {
	const char *experiment;     /* --experiment (default "default") */
	int experiment_given;       /* --experiment was given */
	const char *kind;           /* --kind */
	double weight;              /* --weight (0: not given) */
	int control_flag;           /* --control given without a value (register) */
	const char *control;        /* --control=NAME (report, analyze) */
	int64_t trials, conversions;/* --trials, --conversions (-1: not given) */
	double value;               /* --value */
	int has_value;
	const char *id;             /* --id (track VARIANT) */
	int register_new;           /* --register */
	int exclude_multi;          /* --exclude-multi */
	const char *unit;           /* --unit */
	int thompson;               /* --thompson */
	int contact_check;          /* --contact-check (assign) */
	const char *seed;           /* --seed (register, assign) */
	const char *batch;          /* --batch (track FILE): the batch's key */
	const char *weights;        /* --weights=W,W,... (analyze) */
	int64_t shards;             /* --shards (partition; 0: not given) */
	const char *prefix;         /* --prefix (partition; default "part.") */
	const char *by;             /* --by (partition; only "unit") */
	double baseline, mde;       /* plan: --baseline (0: from the tallies), --mde */
	double daily, power;        /* plan: --daily trials per arm (0: no days), --power */
	double plan_arms;           /* plan: --arms (0: 2, or the kind's arms) */
	const char *since, *until;  /* --since, --until: the days analysed (YYYY-MM-DD) */
	const char *metric;         /* --metric (winner): rate (default) or value */
	struct ab_guard_spec guards[AB_GUARD_MAX]; /* --guardrail, then over config's */
	size_t nguards;
	int guard_bad;              /* a --guardrail was malformed */
	struct ab_options stat;     /* thresholds: options over config over defaults */
	unsigned stat_given;        /* which of stat were given as options (AB_GIVEN_*) */
};

enum {
	AB_GIVEN_ALPHA = 1, AB_GIVEN_TUNING = 2, AB_GIVEN_MIN_TRIALS = 4,
	AB_GIVEN_MIN_CONVERSIONS = 8, AB_GIVEN_MAX_LOSS = 16, AB_GIVEN_HORIZON = 32
};

/* The guardrails of a (config's, then --guardrail) tallied by s, and
 * those a winner enforces, into a->stat (ab_cmd.c); BRAIN_USAGE for a
 * name that cannot be tallied (an event field, a ninth). */
enum brain_status ab_cmd_guardrails(struct ab_args *a, struct ab_set *s);

/* Load --experiment for a reader (the state opened read-only, options
 * resolved); it must exist.  The caller closes st and frees s. */
enum brain_status ab_cmd_load(const struct cli *cli, struct ab_args *a, struct state *st,
			      struct ab_set *s);

/* The arms of kind over window w with the kind's allocation, warning of
 * trials no day holds (caller frees). */
struct ab_arm *ab_cmd_arms(const struct ab_set *s, const char *kind,
			   const struct ab_window *w, size_t *n);

/* The window of --since and --until (dim NULL). */
struct ab_window ab_cmd_window(const struct ab_args *a);

enum brain_status ab_cmd_register(const struct cli *cli, struct ab_args *a, int argc,
				  char **names);
enum brain_status ab_cmd_track(const struct cli *cli, struct ab_args *a, const char *variant,
			       const char *path);
enum brain_status ab_cmd_report(const struct cli *cli, struct ab_args *a);
/* plan: the trials per arm (and days) a test needs; see pure/plan.h. */
enum brain_status ab_cmd_plan(const struct cli *cli, struct ab_args *a);
enum brain_status ab_cmd_winner(const struct cli *cli, struct ab_args *a);
/* End --kind with variant (NULL: the winner on record, else today's). */
enum brain_status ab_cmd_conclude(const struct cli *cli, struct ab_args *a,
				  const char *variant);
/* assign: one unit (--unit), a Thompson draw, or (path: a file, "-" for
 * stdin) one unit id or lead record per line. */
enum brain_status ab_cmd_assign(const struct cli *cli, struct ab_args *a, const char *path);

/* assign --contact-check (ab_contact.c): for a variant whose name speaks
 * of a channel (pure/contact_rules.h contact_channel_guess), the answer of
 * core/contact_check.h for the lead of its line, consent needed, added to
 * the assignment line as "channel", "allowed", "local_time", "reason",
 * "next_allowed".  A unit given by its id alone has no lead to check: it
 * is not allowed, said so.
 *
 *     struct ab_contact *c;
 *     if ((status = ab_contact_begin(cli, st.dirfd, &c)))  // before state_close
 *             return status;
 *     status = ab_contact_add(c, line, lead_or_NULL, &loc);  // per line
 *     ab_contact_end(c);
 */
struct ab_contact;
enum brain_status ab_contact_begin(const struct cli *cli, int dirfd, struct ab_contact **out);
enum brain_status ab_contact_add(struct ab_contact *c, cJSON *line, const cJSON *lead,
				 const struct json_loc *loc);
void ab_contact_end(struct ab_contact *c);
enum brain_status ab_cmd_tally(const struct cli *cli, struct ab_args *a, int argc,
			       char **paths);
enum brain_status ab_cmd_analyze(const struct cli *cli, struct ab_args *a, int argc,
				 char **paths);
/* partition: events into --shards files by unit, each unit whole. */
enum brain_status ab_cmd_partition(const struct cli *cli, struct ab_args *a, int argc,
				   char **paths);
/* history: one line per variant and day, cumulative to that day. */
enum brain_status ab_cmd_history(const struct cli *cli, struct ab_args *a);
/* The lines history prints for s, in its order, of one kind (every kind
 * when kind is NULL) within a's --since and --until, analysed with
 * a->stat: a cJSON array the caller deletes.  *shown gets the number of
 * kinds taken (0 for a kind s does not have). */
cJSON *ab_history_lines(const struct ab_set *s, const struct ab_args *a, const char *kind,
			size_t *shown);
enum brain_status ab_cmd_list(const struct cli *cli, struct ab_args *a);
enum brain_status ab_cmd_reset(const struct cli *cli, struct ab_args *a);

#endif
