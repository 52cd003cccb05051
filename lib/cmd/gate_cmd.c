/* gate_cmd.c - brain-gate's commands; see gate_cmd.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/command.h"
#include "cmd/render.h"
#include "cmd/gate_cmd.h"
#include "core/audit.h"
#include "core/audit_verify.h"
#include "core/binding.h"
#include "core/clock.h"
#include "core/clone_store.h"
#include "core/change.h"
#include "core/config.h"
#include "core/eval_store.h"
#include "core/file.h"
#include "core/jsonl.h"
#include "diag.h"
#include "pure/ident.h"
#include "banned.h"

static cJSON *waivers_json(const struct gate_waiver *w, size_t n)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		char until[TIME_TEXT_SIZE];

		time_text_format(w[i].until, until);
		cJSON_AddStringToObject(o, "gate", w[i].gate);
		cJSON_AddStringToObject(o, "until", until);
		cJSON_AddStringToObject(o, "reason", w[i].reason);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

/* The runs behind a runs-based score (counts.runs), for min_runs. */
static void score_runs_evidence(const cJSON *score, struct gate_evidence *e)
{
	const cJSON *runs = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(score, "counts"), "runs");

	if (cJSON_IsNumber(runs) && runs->valuedouble >= 0) {
		e->runs = runs->valuedouble;
		e->has_runs = 1;
	}
}

/* Evidence from a score line (stdin or the stored one; where names it in
 * messages): the readiness unless the command line gave it, but
 * brain-score's components and verdict in any case, since the readiness
 * gate applies them to a number given by hand too; the accuracy
 * component unless given; the compliance failures of a runs-based score. */
static enum brain_status evidence_from_score(const cJSON *score, const char *where,
					     const char *source, struct gate_evidence *e)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(score, "readiness_score");
	const cJSON *comp = cJSON_GetObjectItemCaseSensitive(score, "components");
	const cJSON *acc = cJSON_GetObjectItemCaseSensitive(comp, "accuracy");
	const cJSON *cf = cJSON_GetObjectItemCaseSensitive(score, "compliance_failures");
	enum brain_status status;

	if ((status = gate_score_evidence(comp, cJSON_GetObjectItemCaseSensitive(score, "is_ready"),
					  cJSON_GetObjectItemCaseSensitive(score, "reason"), where,
					  e)))
		return status;
	if (e->has_readiness)
		snprintf(e->source[0], sizeof(e->source[0]),
			 "command line; components and verdict: %s", source);
	else if (cJSON_IsNumber(r)) {
		e->readiness = r->valuedouble;
		e->has_readiness = 1;
		snprintf(e->source[0], sizeof(e->source[0]), "%s", source);
	}
	if (!e->has_accuracy && cJSON_IsNumber(acc)) {
		e->accuracy = acc->valuedouble;
		e->has_accuracy = 1;
		snprintf(e->source[1], sizeof(e->source[1]), "%s", source);
	}
	score_runs_evidence(score, e);
	if (cJSON_IsArray(cf)) {
		e->compliance_failures = cJSON_GetArraySize(cf);
		e->has_compliance = 1;
		snprintf(e->source[4], sizeof(e->source[4]), "%s", source);
	}
	return BRAIN_OK;
}

/* Readiness and accuracy: the command line, then the piped score line or
 * else the clone's latest stored score.  The readiness source says when
 * brain-score's components are not known (so the floor is not checked). */
static enum brain_status score_evidence(const struct gate_args *a, int dirfd, const char *id,
					const cJSON *piped, struct gate_evidence *e)
{
	enum brain_status status = BRAIN_OK;
	cJSON *stored = NULL;
	char where[IDENT_MAX + 32];

	if (a->has_readiness) {
		e->readiness = a->readiness;
		e->has_readiness = 1;
		snprintf(e->source[0], sizeof(e->source[0]), "command line");
	}
	if (a->has_accuracy) {
		e->accuracy = a->accuracy;
		e->has_accuracy = 1;
		snprintf(e->source[1], sizeof(e->source[1]), "command line");
	}
	if (piped)
		status = evidence_from_score(piped, "stdin:1", "stdin (brain-score)", e);
	else if (!(status = clone_store_latest_score(dirfd, id, &stored)) && stored) {
		const cJSON *ts = cJSON_GetObjectItemCaseSensitive(stored, "ts");
		char source[96];

		snprintf(source, sizeof(source), "brain-score %.60s",
			 cJSON_IsString(ts) ? ts->valuestring : "");
		snprintf(where, sizeof(where), "clones/%s/" CLONE_SCORES, id);
		if (evidence_from_score(stored, where, source, e))
			status = BRAIN_STATE;
		cJSON_Delete(stored);
	}
	if (!status && e->has_readiness && !e->has_components) {
		size_t len = strlen(e->source[0]);

		snprintf(e->source[0] + len, sizeof(e->source[0]) - len, " (components not known)");
	}
	return status;
}

/* The names in a summary's array, ", "-separated, into buf. */
static void names_text(const cJSON *names, char *buf, size_t size)
{
	const cJSON *n;
	size_t len = 0;

	buf[0] = '\0';
	cJSON_ArrayForEach(n, names)
		if (cJSON_IsString(n) && len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
						n->valuestring);
}

/* The no_regression evidence from a summary line of brain-score compare
 * (loc says where it was read). */
static enum brain_status summary_evidence(const cJSON *sum, const char *path,
					  const struct json_loc *loc, struct gate_evidence *e)
{
	enum brain_status status;
	const cJSON *regressed, *missing, *under;
	double pairs, p;
	int regression;
	char names[160];

	if ((status = json_get_number(sum, "pairs", JSON_REQUIRED, loc, 0, 1e15, &pairs)) ||
	    (status = json_get_number(sum, "mcnemar_p", JSON_REQUIRED, loc, 0, 1, &p)) ||
	    (status = json_get_bool(sum, "regression", JSON_REQUIRED, loc, &regression)) ||
	    (status = json_get_array(sum, "regressed", JSON_REQUIRED, loc, &regressed)) ||
	    (status = json_get_array(sum, "missing", JSON_REQUIRED, loc, &missing)) ||
	    (status = json_get_array(sum, "under_min_case_pass", JSON_REQUIRED, loc, &under)))
		return status;
	e->regression = regression || cJSON_GetArraySize(under) > 0;
	e->has_regression = 1;
	e->comparison_pairs = pairs;
	e->has_comparison = 1;
	names_text(regressed, names, sizeof(names));
	snprintf(e->source[2], sizeof(e->source[2]), "brain-score compare %.60s (%.0f pairs, "
		 "McNemar p %.4g; regressed: %s; missing: %d; under the minimum: %d)", path, pairs,
		 p, names[0] ? names : "none", cJSON_GetArraySize(missing),
		 cJSON_GetArraySize(under));
	return BRAIN_OK;
}

/* The no_regression evidence from a file of brain-score compare output:
 * its last summary line. */
static enum brain_status comparison_evidence(const char *path, struct gate_evidence *e)
{
	struct jsonl_reader r;
	enum brain_status status = BRAIN_OK;
	struct json_loc at = { NULL, 0 };
	cJSON *rec, *sum = NULL;
	int rc;

	if ((status = jsonl_open(&r, path, 0)))
		return status;
	while ((rc = jsonl_next(&r, &rec)) != JSONL_EOF) {
		const cJSON *kind = cJSON_GetObjectItemCaseSensitive(rec, "record");

		if (rc) {
			status = rc == BRAIN_IO ? BRAIN_IO : BRAIN_DATA;
			break;
		}
		if (cJSON_IsString(kind) && !strcmp(kind->valuestring, "summary")) {
			cJSON_Delete(sum);
			sum = rec;
			at = jsonl_where(&r);
		} else {
			cJSON_Delete(rec);
		}
	}
	if (!status && !sum)
		status = diag_error(BRAIN_DATA, "%s: no summary line (\"record\":\"summary\"): "
				    "not the output of brain-score compare", path);
	if (!status)
		status = summary_evidence(sum, path, &at, e);
	cJSON_Delete(sum);
	jsonl_close(&r);
	return status;
}

static enum brain_status gather(const struct gate_args *a, struct state *st, const char *id,
				const cJSON *piped, struct gate_evidence *e)
{
	enum brain_status status;
	char metric[160];

	memset(e, 0, sizeof(*e));
	for (int i = 0; i < GATE_COUNT; i++)
		snprintf(e->source[i], sizeof(e->source[i]), "none");
	if ((status = score_evidence(a, st->dirfd, id, piped, e)))
		return status;
	if (a->comparison) {
		if ((status = comparison_evidence(a->comparison, e)))
			return status;
	} else if (a->regression >= 0) {
		e->regression = a->regression;
		e->has_regression = 1;
		snprintf(e->source[2], sizeof(e->source[2]), "command line");
	} else {
		size_t n;
		const char *detector;
		long change;

		snprintf(metric, sizeof(metric), "%s", a->metric ? a->metric : "");
		if (!a->metric)
			snprintf(metric, sizeof(metric), "clone:%s", id);
		if ((status = eval_regression_state(st->dirfd, metric, &e->regression, &n,
						    &detector, &change)))
			return status;
		if (n > 0) {
			e->has_regression = 1;
			snprintf(e->source[2], sizeof(e->source[2]), "brain-eval %s (%s, %zu points)",
				 metric, detector, n);
		}
	}
	{
		struct audit_verify_opts o = { NULL, NULL, NULL, 0, 0, NULL, NULL };
		struct audit_report rep;

		/* Asked, not opened: the log is read once, by the check. */
		if (faccessat(st->dirfd, AUDIT_LOG, R_OK, 0) == 0) {
			struct binding_report b;

			if ((status = binding_check_verified(st, &o, &rep, &b)))
				return status;
			/* The policy itself is covered: a config.json edited
			 * by hand is not the audited policy. */
			e->audit_intact = rep.ok && b.ok;
			e->unbound = !b.ok;
			e->has_audit = 1;
			if (rep.ok && !b.ok)
				snprintf(e->source[3], sizeof(e->source[3]), "brain-audit verify "
					 "(%" PRIu64 " records); %.200s", rep.size, b.detail);
			else
				snprintf(e->source[3], sizeof(e->source[3]), "brain-audit verify (%"
					 PRIu64 " records%s%s)", rep.size, rep.ok ? "" : ": ",
					 rep.ok ? "" : rep.error);
		}
	}
	return BRAIN_OK;
}

static enum brain_status read_piped_score(cJSON **out)
{
	struct jsonl_reader r;
	int rc;

	jsonl_open_fd(&r, STDIN_FILENO, "stdin", 0);
	rc = jsonl_next(&r, out);
	jsonl_close(&r);
	if (rc == JSONL_EOF)
		return diag_error(BRAIN_DATA, "stdin: no score line (pipe brain-score into it)");
	if (rc)
		return rc == BRAIN_IO ? BRAIN_IO : BRAIN_DATA;
	if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(*out, "clone"))) {
		cJSON_Delete(*out);
		*out = NULL;
		return diag_error(BRAIN_DATA, "stdin:1: missing field 'clone' (not a brain-score line)");
	}
	return BRAIN_OK;
}

/* Print the gate lines and the decision; the decision line is returned. */
static cJSON *decide(const struct gate_policy *p, const struct gate_evidence *e,
		     const struct gate_waiver *w, size_t nw, time_t now, const char *id,
		     cJSON **gate_lines, int *promote)
{
	struct gate_outcome out[GATE_COUNT];
	int enabled[GATE_COUNT];
	cJSON *d = cJSON_CreateObject(), *failed = cJSON_CreateArray();
	char hash[65];

	*promote = gate_evaluate(p, e, w, nw, now, out);
	gate_enabled(p, enabled);
	*gate_lines = cJSON_CreateArray();
	for (int i = 0; i < GATE_COUNT; i++) {
		if (!enabled[i])
			continue;
		cJSON_AddItemToArray(*gate_lines, gate_outcome_line(p, e, &out[i], i));
		if (!out[i].passed)
			cJSON_AddItemToArray(failed, cJSON_CreateString(gate_names[i]));
	}
	gate_policy_hash(p, hash);
	cJSON_AddStringToObject(d, "clone", id);
	cJSON_AddStringToObject(d, "decision", *promote ? "PROMOTE" : "BLOCK");
	cJSON_AddBoolToObject(d, "can_promote", *promote);
	cJSON_AddItemToObject(d, "failed", failed);
	cJSON_AddStringToObject(d, "policy_hash", hash);
	return d;
}


/* A JSON value as a table cell (numbers as the lines print them). */
static char *cell_text(const cJSON *v)
{
	if (!v || cJSON_IsNull(v))
		return xstrdup("-");
	if (cJSON_IsString(v))
		return xstrdup(v->valuestring);
	char *text = json_print_compact(v);

	if (!text)
		diag_oom();
	return text;
}

/* The decision people read most: each gate with what it found and what it
 * needs, then the verdict and the gates that failed. */
static void print_gates_text(const cJSON *lines, const cJSON *decision)
{
	struct table *t = table_new(5, (const char *[]){ "GATE", "RESULT", "ACTUAL", "REQUIRED",
							 "REASON" });
	const cJSON *item, *failed = cJSON_GetObjectItemCaseSensitive(decision, "failed");
	size_t nfailed = 0;

	cJSON_ArrayForEach(item, lines) {
		char *actual = cell_text(cJSON_GetObjectItemCaseSensitive(item, "actual"));
		char *required = cell_text(cJSON_GetObjectItemCaseSensitive(item, "required"));

		table_add(t, (const char *[]){ json_string_or_empty(item, "gate"),
			cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "passed")) ? "pass"
											 : "FAIL",
			actual, required, json_string_or_empty(item, "reason") });
		free(actual);
		free(required);
	}
	table_print(t, stdout);
	table_free(t);
	printf("%s: %s", json_string_or_empty(decision, "clone"),
	       json_string_or_empty(decision, "decision"));
	cJSON_ArrayForEach(item, failed)
		if (cJSON_IsString(item))
			printf("%s%s", nfailed++ ? ", " : " (failed: ", item->valuestring);
	printf("%s\n", nfailed ? ")" : "");
}

/* Warn that clone's waiver of gate, ending at until, expires within
 * GATE_WAIVER_WARN_DAYS days of now (nothing when it does not). */
static void warn_expiring(const char *clone, const char *gate, time_t until, time_t now)
{
	char until_text[TIME_TEXT_SIZE];
	long days = gate_waiver_days(until, now);

	if (!gate_waiver_expiring(until, now))
		return;
	time_text_format(until, until_text);
	if (days == 0)
		diag_warn("the waiver of %s's gate %s expires in less than a day, at %s", clone, gate,
			  until_text);
	else
		diag_warn("the waiver of %s's gate %s expires in %ld day%s, at %s", clone, gate, days,
			  days == 1 ? "" : "s", until_text);
}

/* The gates a decision passed by a waiver that expires soon, warned of. */
static void warn_expiring_in_decision(const cJSON *lines, const char *id, time_t now)
{
	const cJSON *line;

	cJSON_ArrayForEach(line, lines) {
		time_t until;

		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(line, "waived")) &&
		    !time_text_parse(json_string_or_empty(line, "waiver_until"), &until))
			warn_expiring(id, json_string_or_empty(line, "gate"), until, now);
	}
}

/* The details of a gate decision's audit record (caller deletes): what
 * replay needs to decide it again. */
static cJSON *decision_details(const cJSON *decision, const struct gate_evidence *e,
			       const struct gate_policy *p, const struct gate_waiver *w,
			       size_t nw, const char *now_text, int promote)
{
	cJSON *details = cJSON_CreateObject();

	cJSON_AddStringToObject(details, "decision", promote ? "PROMOTE" : "BLOCK");
	cJSON_AddItemToObject(details, "failed",
			      cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(decision, "failed"), 1));
	cJSON_AddItemToObject(details, "evidence", gate_evidence_json(e));
	cJSON_AddItemToObject(details, "policy", gate_policy_json(p));
	cJSON_AddStringToObject(details, "policy_hash",
				cJSON_GetObjectItemCaseSensitive(decision, "policy_hash")->valuestring);
	cJSON_AddItemToObject(details, "waivers", waivers_json(w, nw));
	cJSON_AddStringToObject(details, "at", now_text);
	return details;
}

enum brain_status gate_cmd_evaluate(struct state *st, const struct gate_args *a, const char *id,
				    time_t now, int *promote, cJSON **details)
{
	struct gate_policy p;
	struct gate_evidence e;
	struct gate_waiver *w = NULL;
	size_t nw = 0;
	enum brain_status status;
	char now_text[TIME_TEXT_SIZE];
	cJSON *all = NULL, *lines = NULL, *decision;

	*details = NULL;
	time_text_format(now, now_text);
	if (!(status = clone_store_policy(st->dirfd, a->policy, &p)) &&
	    !(status = clone_store_waivers(st->dirfd, id, &w, &nw, &all)) &&
	    !(status = gather(a, st, id, NULL, &e))) {
		/* As gate_cmd: a config.json edited by hand cannot switch off
		 * the gate that finds the edit. */
		if (e.unbound && !a->policy)
			p.audit_intact = 1;
		decision = decide(&p, &e, w, nw, now, id, &lines, promote);
		warn_expiring_in_decision(lines, id, now);
		*details = decision_details(decision, &e, &p, w, nw, now_text, *promote);
		cJSON_Delete(decision);
		cJSON_Delete(lines);
	}
	cJSON_Delete(all);
	free(w);
	return status;
}

enum brain_status gate_cmd(const struct cli *cli, struct gate_args *a, const char *clone,
			   int from_stdin)
{
	struct state st;
	struct gate_policy p;
	struct gate_evidence e;
	struct gate_waiver *w = NULL;
	size_t nw = 0;
	enum brain_status status;
	char id[IDENT_MAX + 1], now_text[TIME_TEXT_SIZE];
	cJSON *piped = NULL, *all = NULL, *lines = NULL, *decision = NULL, *item;
	time_t now;
	int promote = 0;

	if (from_stdin && (status = read_piped_score(&piped)))
		return status;
	if (!clone && piped)
		clone = cJSON_GetObjectItemCaseSensitive(piped, "clone")->valuestring;
	if ((status = ident_from_name(clone, "clone name", id)) || (status = clock_now(&now)))
		goto out_piped;
	time_text_format(now, now_text);
	status = command_open_state(cli, &st);
	if (status)
		goto out_piped;
	if ((status = clone_store_policy(st.dirfd, a->policy, &p)) ||
	    (status = clone_store_waivers(st.dirfd, id, &w, &nw, &all)) ||
	    (status = gather(a, &st, id, piped, &e)))
		goto out;
	/* A policy from a config.json edited by hand cannot switch off the
	 * gate that finds the edit. */
	if (e.unbound && !a->policy)
		p.audit_intact = 1;
	decision = decide(&p, &e, w, nw, now, id, &lines, &promote);
	warn_expiring_in_decision(lines, id, now);
	if (!cli->dry_run) {
		cJSON *details = decision_details(decision, &e, &p, w, nw, now_text, promote);
		struct audit_event ev = { id, "gate.decision", promote ? "PROMOTE" : "BLOCK",
					  details, cli->reason, NULL };
		struct audit_ack ack;

		status = audit_append(&st, NULL, &ev, &ack);
		cJSON_Delete(details);
	}
	state_close(&st);
	if (!status && cli->format == CLI_FORMAT_TEXT) {
		print_gates_text(lines, decision);
	} else if (!status) {
		cJSON_ArrayForEach(item, lines) {
			if ((status = jsonl_write(stdout, item)))
				break;
		}
		if (!status)
			status = jsonl_write(stdout, decision);
	}
	cJSON_Delete(lines);
	cJSON_Delete(decision);
	cJSON_Delete(all);
	free(w);
	cJSON_Delete(piped);
	return status ? status : promote ? BRAIN_OK : BRAIN_NO;
out:
	state_close(&st);
	cJSON_Delete(all);
	free(w);
out_piped:
	cJSON_Delete(piped);
	return status;
}

/* The text forms (cmd/text_form.h) of policy, waive, unwaive and replay. */
static const struct text_form policy_form = {
	"Gate policy from {source} (policy hash {policy_hash})",
	(const struct text_field[]){
		{ "readiness threshold", "policy.score_threshold" },
		{ "component floor", "policy.score_floor" },
		{ "least readiness", "policy.min_readiness" },
		{ "least accuracy", "policy.min_accuracy" },
		{ "least runs", "policy.min_runs" },
		{ "no regression", "policy.no_regression" },
		{ "audit intact", "policy.audit_intact" },
		{ "no compliance failures", "policy.no_compliance_failures" },
		{ "compliance evidence needed", "policy.require_compliance_evidence" },
		{ NULL, NULL } },
	0, NULL
};

static const struct text_form waiver_form = {
	"{action}: gate {gate} of clone {clone}",
	(const struct text_field[]){ { "until", "until" }, { "reason", "reason" },
				     { "by", "actor" }, { "replaces", "replaces" },
				     { NULL, NULL } },
	0, NULL
};

static const struct text_form replay_form = {
	"Gate decision #{seq} of clone {clone}: recorded {recorded_decision}, replayed "
	"{replayed_decision}",
	(const struct text_field[]){ { "same decision", "match" },
				     { "policy hash", "policy_hash" }, { NULL, NULL } },
	0, NULL
};

enum brain_status gate_cmd_policy(const struct cli *cli, struct gate_args *a)
{
	struct state st;
	struct gate_policy p;
	enum brain_status status;
	char hash[65];
	cJSON *o;

	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	status = clone_store_policy(st.dirfd, a->policy, &p);
	state_close(&st);
	if (status)
		return status;
	gate_policy_hash(&p, hash);
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "policy", gate_policy_json(&p));
	cJSON_AddStringToObject(o, "policy_hash", hash);
	cJSON_AddStringToObject(o, "source", a->policy ? a->policy : "config.json");
	render_form(&policy_form);
	return output_print_free(o);
}

/* A waiver's output line (caller deletes): what is stored, then what was
 * done. */
static cJSON *waiver_line(const cJSON *stored, const char *action)
{
	cJSON *o = cJSON_Duplicate(stored, 1);

	cJSON_AddStringToObject(o, "action", action);
	return o;
}

/* The audit record of a waive or unwaive of clone id: line, and how many
 * older waivers of the same gate (a file from before one per clone and
 * gate) went with it. */
static enum brain_status save_waiver_change(const struct cli *cli, struct state *st,
					    const char *id, const char *action,
					    const cJSON *all, const cJSON *line, size_t older)
{
	cJSON *details = cJSON_Duplicate(line, 1);
	struct audit_event ev = { id, action, "SUCCESS", details, cli->reason, NULL };
	enum brain_status status;

	if (older)
		cJSON_AddNumberToObject(details, "older_duplicates", (double)older);
	status = clone_store_save_waivers(st, all, &ev);
	cJSON_Delete(details);
	return status;
}

/* The new waiver (caller deletes). */
static cJSON *new_waiver(const char *id, const char *gate, const char *until,
			 const char *reason)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "clone", id);
	cJSON_AddStringToObject(o, "gate", gate);
	cJSON_AddStringToObject(o, "until", until);
	cJSON_AddStringToObject(o, "reason", reason);
	cJSON_AddStringToObject(o, "actor", audit_actor());
	return o;
}

/* Put waiver o (borrowed) in all in place of old, the clone's waiver of
 * the same gate (NULL when none), and save; the output line in *line.
 * The same end and reason again change nothing (NO_CHANGE). */
static enum brain_status waive_in(const struct cli *cli, struct state *st, cJSON *all,
				  const cJSON *o, const cJSON *old, size_t older, cJSON **line)
{
	const char *id = json_string_or_empty(o, "clone");

	if (old && !older && !strcmp(json_string_or_empty(old, "until"),
				     json_string_or_empty(o, "until")) &&
	    !strcmp(json_string_or_empty(old, "reason"), json_string_or_empty(o, "reason"))) {
		*line = waiver_line(old, "NO_CHANGE");
		cJSON_AddNullToObject(*line, "replaces");
		return BRAIN_OK;
	}
	cJSON_AddItemToArray(all, cJSON_Duplicate(o, 1));
	*line = waiver_line(o, old ? "REPLACED" : "WAIVED");
	cJSON_AddItemToObject(*line, "replaces", old ? cJSON_Duplicate(old, 1) : cJSON_CreateNull());
	if (cli->dry_run)
		return BRAIN_OK;
	return save_waiver_change(cli, st, id, "gate.waive", all, *line, older);
}

/* Begin a waive or unwaive of clone id's gate: the state opened for the
 * change, the stored list in *all, the clone's waivers in force in *w (*nw,
 * caller frees), and its waiver of gate taken out of the list into *old
 * (NULL when none) with *older duplicates (see clone_store_waiver_take). */
static enum brain_status waiver_change_begin(const struct cli *cli, struct state *st,
					     const char *id, const char *gate, cJSON **all,
					     struct gate_waiver **w, size_t *nw, cJSON **old,
					     size_t *older)
{
	enum brain_status status;

	if ((status = command_open_state(cli, st)))
		return status;
	if ((status = clone_store_waivers(st->dirfd, id, w, nw, all))) {
		state_close(st);
		return status;
	}
	clone_store_waiver_take(*all, id, gate, old, older);
	return BRAIN_OK;
}

/* End what waiver_change_begin began: close the state, print line unless
 * status says it failed, and free what it gave. */
static enum brain_status waiver_change_end(struct state *st, enum brain_status status,
					   cJSON *line, cJSON *old, cJSON *all,
					   struct gate_waiver *w)
{
	state_close(st);
	render_form(&waiver_form);
	if (!status)
		status = jsonl_write(stdout, line);
	cJSON_Delete(line);
	cJSON_Delete(old);
	cJSON_Delete(all);
	free(w);
	return status;
}

enum brain_status gate_cmd_waive(const struct cli *cli, struct gate_args *a, const char *clone,
				 const char *gate)
{
	struct state st;
	struct gate_waiver *w;
	size_t nw, older;
	enum brain_status status;
	char id[IDENT_MAX + 1], until_text[TIME_TEXT_SIZE];
	time_t until, now;
	cJSON *all, *o, *old, *line = NULL;

	if ((status = gate_name_check(gate, BRAIN_USAGE, NULL)))
		return status;
	if (!a->until || time_text_parse(a->until, &until))
		return diag_error(BRAIN_USAGE, "'waive' needs --until=TIME (RFC 3339)");
	if (!cli->reason || !*cli->reason)
		return diag_error(BRAIN_USAGE, "'waive' needs --reason=TEXT");
	if ((status = ident_from_name(clone, "clone name", id)) || (status = clock_now(&now)))
		return status;
	if (until <= now)
		return diag_error(BRAIN_USAGE, "--until is not in the future");
	time_text_format(until, until_text);
	if ((status = waiver_change_begin(cli, &st, id, gate, &all, &w, &nw, &old, &older)))
		return status;
	o = new_waiver(id, gate, until_text, cli->reason);
	status = waive_in(cli, &st, all, o, old, older, &line);
	cJSON_Delete(o);
	return waiver_change_end(&st, status, line, old, all, w);
}

/* There is no waiver of gate for clone id: say so, and which gates it has
 * waivers of (w, nw). */
static enum brain_status no_such_waiver(const char *id, const char *gate,
					const struct gate_waiver *w, size_t nw)
{
	char gates[GATE_COUNT * 32 + 64] = "it has no waivers";
	size_t len = 0;

	for (size_t i = 0; i < nw; i++)
		len += (size_t)snprintf(gates + len, sizeof(gates) - len, "%s%s",
					i ? ", " : "its waivers: ", w[i].gate);
	return diag_error(BRAIN_DATA, "clone '%s' has no waiver of gate '%s' (%s)", id, gate,
			  gates);
}

enum brain_status gate_cmd_unwaive(const struct cli *cli, const char *clone, const char *gate)
{
	struct state st;
	struct gate_waiver *w;
	size_t nw, older;
	enum brain_status status;
	char id[IDENT_MAX + 1];
	cJSON *all, *old, *line = NULL;

	if ((status = gate_name_check(gate, BRAIN_USAGE, NULL)) ||
	    (status = ident_from_name(clone, "clone name", id)) ||
	    (status = waiver_change_begin(cli, &st, id, gate, &all, &w, &nw, &old, &older)))
		return status;
	if (!old) {
		status = no_such_waiver(id, gate, w, nw);
	} else {
		line = waiver_line(old, "UNWAIVED");
		if (!cli->dry_run)
			status = save_waiver_change(cli, &st, id, "gate.unwaive", all, line, older);
	}
	return waiver_change_end(&st, status, line, old, all, w);
}

/* A listed waiver (item borrowed; caller deletes the line), as at now. */
static cJSON *waiver_list_line(const cJSON *item, time_t now)
{
	const cJSON *actor = cJSON_GetObjectItemCaseSensitive(item, "actor");
	cJSON *o = cJSON_CreateObject();
	time_t until = 0;

	time_text_parse(json_string_or_empty(item, "until"), &until);
	cJSON_AddStringToObject(o, "clone", json_string_or_empty(item, "clone"));
	cJSON_AddStringToObject(o, "gate", json_string_or_empty(item, "gate"));
	cJSON_AddStringToObject(o, "until", json_string_or_empty(item, "until"));
	cJSON_AddNumberToObject(o, "expires_in_days", (double)gate_waiver_days(until, now));
	cJSON_AddBoolToObject(o, "expired", !(now < until));
	cJSON_AddStringToObject(o, "reason", json_string_or_empty(item, "reason"));
	cJSON_AddItemToObject(o, "actor", cJSON_IsString(actor) ? cJSON_CreateString(actor->valuestring)
								: cJSON_CreateNull());
	warn_expiring(json_string_or_empty(item, "clone"), json_string_or_empty(item, "gate"),
		      until, now);
	return o;
}

/* Print the listed waivers (items, borrowed) as lines or a table. */
static enum brain_status print_waivers(const struct cli *cli, const cJSON **items, size_t n,
				       time_t now)
{
	struct output out;

	output_begin(&out, cli, 6, (const char *[]){ "CLONE", "GATE", "UNTIL", "DAYS", "REASON",
						     "BY" });
	for (size_t i = 0; i < n && !out.status; i++) {
		cJSON *line = waiver_list_line(items[i], now);
		const cJSON *days = cJSON_GetObjectItemCaseSensitive(line, "expires_in_days");
		char days_text[32];

		snprintf(days_text, sizeof(days_text), "%.0f", days->valuedouble);
		output_record(&out, line, (const char *[]){
			json_string_or_empty(line, "clone"), json_string_or_empty(line, "gate"),
			json_string_or_empty(line, "until"),
			cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(line, "expired")) ? "expired"
											: days_text,
			json_string_or_empty(line, "reason"),
			cJSON_IsString(cJSON_GetObjectItemCaseSensitive(line, "actor"))
				? json_string_or_empty(line, "actor") : "-" });
		cJSON_Delete(line);
	}
	return output_end(&out);
}

enum brain_status gate_cmd_waivers(const struct cli *cli, const char *clone)
{
	struct state st;
	struct gate_waiver *w;
	size_t nw, n;
	enum brain_status status;
	char id[IDENT_MAX + 1];
	const cJSON **items;
	cJSON *all;
	time_t now;

	if ((clone && (status = ident_from_name(clone, "clone name", id))) ||
	    (status = clock_now(&now)) ||
	    (status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	status = clone_store_waivers(st.dirfd, NULL, &w, &nw, &all);
	state_close(&st);
	if (status)
		return status;
	free(w);
	clone_store_waivers_in_force(all, clone ? id : NULL, &items, &n);
	status = print_waivers(cli, items, n, now);
	free(items);
	cJSON_Delete(all);
	return status;
}

struct wanted {
	uint64_t seq;     /* the record wanted */
	cJSON *line;      /* it, once found */
	uint64_t last;    /* the last seq read */
};

static int take_record(void *arg, const cJSON *line, const cJSON *rec, uint64_t seq)
{
	struct wanted *w = arg;

	(void)rec;
	w->last = seq;
	if (seq != w->seq)
		return 0;
	w->line = cJSON_Duplicate(line, 1);
	return 1;
}

/* The audit line with the given seq (caller deletes); a seq the log does
 * not hold is BRAIN_DATA, saying which records it holds. */
static enum brain_status audit_record(int dirfd, uint64_t seq, cJSON **out)
{
	struct wanted w = { seq, NULL, 0 };
	enum brain_status status = audit_each(dirfd, take_record, &w);

	*out = w.line;
	if (status == BRAIN_NO)
		return diag_error(BRAIN_STATE, "there is no " AUDIT_LOG);
	if (status || w.line)
		return status;
	if (!w.last)
		return diag_error(BRAIN_DATA, "no such record %" PRIu64 ": " AUDIT_LOG
				  " holds no records", seq);
	return diag_error(BRAIN_DATA, "no such record %" PRIu64 ": " AUDIT_LOG " holds records 1 "
			  "to %" PRIu64, seq, w.last);
}

/* The audit line of the gate decision numbered seq (caller deletes). */
static enum brain_status gate_decision_record(const struct cli *cli, uint64_t seq, cJSON **line)
{
	struct state st;
	enum brain_status status;
	const cJSON *action;

	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	status = audit_record(st.dirfd, seq, line);
	state_close(&st);
	if (status)
		return status;
	action = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(*line, "rec"),
						  "action");
	if (!cJSON_IsString(action) || (strcmp(action->valuestring, "gate.decision") &&
					strcmp(action->valuestring, "gate.deploy"))) {
		cJSON_Delete(*line);
		*line = NULL;
		return diag_error(BRAIN_DATA, "audit record %" PRIu64 " is not a gate decision "
				  "(gate.decision or gate.deploy)", seq);
	}
	return BRAIN_OK;
}

/* The waivers a recorded decision saw, appended to *w (caller frees, on
 * failure too). */
static enum brain_status recorded_waivers(const cJSON *d, uint64_t seq, struct gate_waiver **w,
					  size_t *nw)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(d, "waivers")) {
		const cJSON *g = cJSON_GetObjectItemCaseSensitive(item, "gate");
		const cJSON *u = cJSON_GetObjectItemCaseSensitive(item, "until");
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(item, "reason");
		struct gate_waiver *x;

		*w = xrealloc(*w, (*nw + 1) * sizeof(**w));
		x = &(*w)[*nw];
		memset(x, 0, sizeof(*x));
		if (!cJSON_IsString(g) || !cJSON_IsString(u) || !cJSON_IsString(r) ||
		    time_text_parse(u->valuestring, &x->until))
			return diag_error(BRAIN_DATA, "audit record %" PRIu64 ": a waiver is malformed",
					  seq);
		snprintf(x->gate, sizeof(x->gate), "%s", g->valuestring);
		snprintf(x->reason, sizeof(x->reason), "%s", r->valuestring);
		(*nw)++;
	}
	return BRAIN_OK;
}

/* The replay's line: the recorded decision (d, the details of record
 * rec) beside the replayed one.  They match when the decision, the
 * policy hash and the failed gates agree. */
static cJSON *replay_line(uint64_t seq, const cJSON *rec, const cJSON *d, const cJSON *decision,
			  int promote, const char *hash, int *match)
{
	const cJSON *rd = cJSON_GetObjectItemCaseSensitive(d, "decision");
	const cJSON *rh = cJSON_GetObjectItemCaseSensitive(d, "policy_hash");
	const cJSON *rf = cJSON_GetObjectItemCaseSensitive(d, "failed");
	cJSON *o = cJSON_CreateObject();

	*match = cJSON_IsString(rd) && !strcmp(rd->valuestring, promote ? "PROMOTE" : "BLOCK") &&
		 cJSON_IsString(rh) && !strcmp(rh->valuestring, hash) &&
		 cJSON_Compare(rf, cJSON_GetObjectItemCaseSensitive(decision, "failed"), 1);
	cJSON_AddNumberToObject(o, "seq", (double)seq);
	cJSON_AddItemToObject(o, "clone", cJSON_Duplicate(
		cJSON_GetObjectItemCaseSensitive(rec, "subject"), 0));
	cJSON_AddItemToObject(o, "recorded_decision", rd ? cJSON_Duplicate(rd, 0) : cJSON_CreateNull());
	cJSON_AddStringToObject(o, "replayed_decision", promote ? "PROMOTE" : "BLOCK");
	cJSON_AddStringToObject(o, "policy_hash", hash);
	cJSON_AddBoolToObject(o, "match", *match);
	return o;
}

enum brain_status gate_cmd_replay(const struct cli *cli, const char *seq_text)
{
	struct gate_policy p;
	struct gate_evidence e;
	struct gate_waiver *w = NULL;
	size_t nw = 0;
	enum brain_status status;
	char *end, hash[65];
	uint64_t seq;
	cJSON *line = NULL, *lines = NULL, *decision;
	const cJSON *rec, *d, *at_text;
	time_t at;
	int promote, match;

	errno = 0;
	seq = strtoull(seq_text, &end, 10);
	if (*end || errno || seq < 1)
		return diag_error(BRAIN_USAGE, "'replay' needs the seq of an audit record");
	if ((status = gate_decision_record(cli, seq, &line)))
		return status;
	rec = cJSON_GetObjectItemCaseSensitive(line, "rec");
	d = cJSON_GetObjectItemCaseSensitive(rec, "details");
	/* A deployment records the gate decision it was allowed by. */
	if (!strcmp(json_string_or_empty(rec, "action"), "gate.deploy"))
		d = cJSON_GetObjectItemCaseSensitive(d, "gate");
	at_text = cJSON_GetObjectItemCaseSensitive(d, "at");
	if ((status = gate_policy_parse(cJSON_GetObjectItemCaseSensitive(d, "policy"),
					"recorded policy", 1, &p)) ||
	    (status = gate_evidence_parse(cJSON_GetObjectItemCaseSensitive(d, "evidence"), &e)))
		goto out;
	if (!cJSON_IsString(at_text) || time_text_parse(at_text->valuestring, &at)) {
		status = diag_error(BRAIN_DATA, "audit record %" PRIu64 " has no decision time", seq);
		goto out;
	}
	if ((status = recorded_waivers(d, seq, &w, &nw)))
		goto out;
	decision = decide(&p, &e, w, nw, at, cJSON_GetObjectItemCaseSensitive(rec, "subject")->valuestring,
			  &lines, &promote);
	gate_policy_hash(&p, hash);
	render_form(&replay_form);
	status = output_print_free(replay_line(seq, rec, d, decision, promote, hash, &match));
	cJSON_Delete(decision);
	cJSON_Delete(lines);
	if (!status && !match)
		status = BRAIN_NO;
out:
	free(w);
	cJSON_Delete(line);
	return status;
}
