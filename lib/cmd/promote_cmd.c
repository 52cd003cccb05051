/* promote_cmd.c - brain-promote's commands; see promote_cmd.h. */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/change.h"
#include "cmd/command.h"
#include "cmd/render.h"
#include "diag.h"
#include "core/file.h"
#include "pure/ident.h"
#include "core/jsonl.h"
#include "pure/promote.h"
#include "cmd/promote_cmd.h"
#include "core/script_store.h"
#include "core/rejects.h"
#include "cmd/table.h"
#include "banned.h"

/* The text forms (cmd/text_form.h) of register and history. */
static const struct text_form register_form = {
	"Script {script_id}: {name} version {version}, status {status}", NULL, 0, NULL
};

static const struct text_form set_form = {
	"Script {script_id}: {old_status} -> {new_status} ({action}: set by hand)",
	(const struct text_field[]){ { "why", "reason" }, { NULL, NULL } }, 0, NULL
};

static const struct text_form history_form = {
	NULL,
	(const struct text_field[]){ { "seq", "seq" }, { "time", "ts" }, { "by", "actor" },
				     { "event", "event" }, { "action", "details.action" },
				     { "from", "details.old_status" },
				     { "to", "details.new_status" },
				     { "performance", "details.performance" },
				     { "samples", "details.samples" },
				     { "rule", "details.reason" }, { "why", "reason" },
				     { NULL, NULL } },
	1, NULL
};

enum brain_status promote_cmd_register(const struct cli *cli, const char *name,
				       const char *version)
{
	struct state st;
	struct script_registry r;
	struct script *s;
	enum brain_status status;
	char now[TIME_TEXT_SIZE];
	time_t t;
	cJSON *line, *details;

	if ((status = clock_now(&t)))
		return status;
	time_text_format(t, now);
	if ((status = command_open_state(cli, &st)))
		return status;
	if ((status = script_store_load(&st, &r)))
		goto out;
	status = script_store_new(&r, name, version, now, &s);
	if (status == BRAIN_NO) {
		status = BRAIN_OK; /* registered before: say so, change nothing */
	} else if (!status && !cli->dry_run) {
		details = script_store_json(s);
		struct audit_event ev = { s->id, "promote.register", "SUCCESS", details,
					  cli->reason, NULL };

		status = script_store_save(&st, &r, &ev, 1);
		cJSON_Delete(details);
	}
	if (!status) {
		line = cJSON_CreateObject();
		cJSON_AddStringToObject(line, "script_id", s->id);
		cJSON_AddStringToObject(line, "name", s->name);
		cJSON_AddStringToObject(line, "version", s->version);
		cJSON_AddStringToObject(line, "status", promote_status_name(s->memory.status));
		state_close(&st);
		render_form(&register_form);
		status = output_print_free(line);
		script_store_free(&r);
		return status;
	}
out:
	script_store_free(&r);
	state_close(&st);
	return status;
}

struct evaluation {
	size_t index;      /* of the script in the registry, which may still grow */
	struct script *script;
	double performance, samples; /* as measured; samples -1 when not known */
	struct promote_evidence evidence; /* brain-ab's, when the line had it */
	struct promote_result result; /* the policy's decision */
	cJSON *line;       /* output and audit details */
};

static cJSON *evaluation_line(const struct evaluation *e)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "script_id", e->script->id);
	cJSON_AddNumberToObject(o, "performance", e->performance);
	if (e->samples >= 0)
		cJSON_AddNumberToObject(o, "samples", e->samples);
	if (e->evidence.known) {
		cJSON_AddNumberToObject(o, "seq_ci_low", e->evidence.low);
		cJSON_AddNumberToObject(o, "seq_ci_high", e->evidence.high);
	}
	if (e->evidence.p_value >= 0)
		cJSON_AddNumberToObject(o, "seq_p_value", e->evidence.p_value);
	cJSON_AddStringToObject(o, "old_status", promote_status_name(e->result.old_status));
	cJSON_AddStringToObject(o, "new_status", promote_status_name(e->result.new_status));
	cJSON_AddStringToObject(o, "action", promote_action_name(e->result.action));
	cJSON_AddStringToObject(o, "rule", e->result.rule);
	cJSON_AddStringToObject(o, "reason", e->result.reason);
	return o;
}

/* Evaluate a batch (already validated) under the lock, then print. */
static enum brain_status evaluate_all(const struct cli *cli, struct state *st,
				      struct script_registry *r, struct evaluation *ev, size_t n,
				      int require_evidence, enum brain_status bad)
{
	struct promote_policy p;
	struct audit_event *aev = xcalloc(n ? n : 1, sizeof(*aev));
	enum brain_status status;
	char now[TIME_TEXT_SIZE];
	time_t t;

	if ((status = clock_now(&t)) || (status = script_store_policy(st->dirfd, &p)))
		goto out;
	time_text_format(t, now);
	p.require_evidence |= require_evidence;
	for (size_t i = 0; i < n; i++) {
		struct script *s = ev[i].script;

		promote_evaluate_evidence(&p, &s->memory, ev[i].performance, &ev[i].evidence,
					  ev[i].samples, t, &ev[i].result);
		s->evaluations++;
		s->last_performance = ev[i].performance;
		s->has_performance = 1;
		snprintf(s->updated, sizeof(s->updated), "%s", now);
		ev[i].line = evaluation_line(&ev[i]);
		aev[i] = (struct audit_event){ s->id, "promote.evaluate",
					       promote_action_name(ev[i].result.action),
					       ev[i].line, cli->reason, NULL };
	}
	if (n && !cli->dry_run && (status = script_store_save(st, r, aev, n)))
		goto out;
	state_close(st);
	if (cli->format == CLI_FORMAT_TEXT) {
		struct table *t2 = table_new(5, (const char *[]){ "SCRIPT", "PERF", "ACTION",
								  "STATUS", "REASON" });

		for (size_t i = 0; i < n; i++) {
			char perf[32], move[64];

			snprintf(perf, sizeof(perf), "%.4f", ev[i].performance);
			snprintf(move, sizeof(move), "%s -> %s",
				 promote_status_name(ev[i].result.old_status),
				 promote_status_name(ev[i].result.new_status));
			table_add(t2, (const char *[]){ ev[i].script->id, perf,
				promote_action_name(ev[i].result.action), move, ev[i].result.reason });
		}
		table_print(t2, stdout);
		table_free(t2);
	} else {
		for (size_t i = 0; i < n && !status; i++)
			status = jsonl_write(stdout, ev[i].line);
	}
out:
	for (size_t i = 0; i < n; i++)
		cJSON_Delete(ev[i].line);
	free(aev);
	return status ? status : bad;
}

static enum brain_status parse_performance(const char *text, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(text, &end);
	if (end == text || *end || errno || !(*out >= 0 && *out <= 1))
		return diag_error(BRAIN_DATA, "performance must be a number from 0 to 1, not '%s'",
				  text);
	return BRAIN_OK;
}

/* Find a script, registering it when asked. */
static enum brain_status resolve(struct script_registry *r, const char *key, int register_new,
				 const char *now, struct script **out)
{
	enum brain_status status = script_store_find(r, key, register_new, out);

	if (status == BRAIN_NO && register_new) {
		status = script_store_new(r, key, "1", now, out);
		if (status == BRAIN_NO)
			status = BRAIN_OK;
	}
	return status;
}

enum brain_status promote_cmd_evaluate(const struct cli *cli, const char *script,
				       const char *performance, double samples,
				       int register_new, int require_evidence)
{
	struct state st;
	struct script_registry r;
	struct evaluation ev;
	enum brain_status status;
	char now[TIME_TEXT_SIZE];
	time_t t;

	memset(&ev, 0, sizeof(ev));
	ev.samples = samples;
	ev.evidence.p_value = -1; /* a single measurement carries no evidence */
	if ((status = parse_performance(performance, &ev.performance)) ||
	    (status = clock_now(&t)))
		return status;
	time_text_format(t, now);
	if ((status = command_open_state(cli, &st)))
		return status;
	if ((status = script_store_load(&st, &r)) ||
	    (status = resolve(&r, script, register_new, now, &ev.script))) {
		state_close(&st);
		script_store_free(&r);
		return status;
	}
	status = evaluate_all(cli, &st, &r, &ev, 1, require_evidence, BRAIN_OK);
	state_close(&st);
	script_store_free(&r);
	return status;
}

/* One input line, as read. */
struct measure {
	const char *script;            /* its name or id (borrowed from the record) */
	double performance;            /* the rate, 0 to 1 */
	double samples;                /* how many calls; -1 when not given */
	struct promote_evidence evidence; /* brain-ab's interval, when the line has it */
	int skip;                      /* 1: nothing to act on (no rate, not a script) */
};

/* brain-ab's evidence, when the line carries it: the always-valid
 * interval (both bounds or neither), its p-value, and whether the line is
 * the control's. */
static enum brain_status parse_evidence(const cJSON *rec, const struct json_loc *loc,
					struct promote_evidence *e)
{
	enum brain_status status;
	const char *ab_status = NULL;
	int has_low = cJSON_HasObjectItem(rec, "seq_ci_low");

	e->p_value = -1;
	if ((status = json_get_string(rec, "status", JSON_OPTIONAL, loc, &ab_status)) ||
	    (status = json_get_number(rec, "seq_p_value", JSON_OPTIONAL, loc, 0, 1, &e->p_value)))
		return status;
	e->is_control = ab_status && !strcmp(ab_status, "control");
	if (!has_low && !cJSON_HasObjectItem(rec, "seq_ci_high"))
		return BRAIN_OK;
	if ((status = json_get_number(rec, "seq_ci_low", JSON_REQUIRED, loc, -1, 1, &e->low)) ||
	    (status = json_get_number(rec, "seq_ci_high", JSON_REQUIRED, loc, -1, 1, &e->high)))
		return status;
	if (e->low > e->high)
		return diag_error_at(BRAIN_DATA, loc->file, loc->line, "seq_ci_low %g is above "
				     "seq_ci_high %g", e->low, e->high);
	e->known = 1;
	return BRAIN_OK;
}

/* A line of another kind than script (a brain-ab report of channels,
 * say) is skipped with a warning, so that it can never be registered as a
 * script; a line without kind is a script. */
static enum brain_status parse_kind(const cJSON *rec, const struct json_loc *loc, int *skip)
{
	const char *kind = NULL;
	enum brain_status status = json_get_string(rec, "kind", JSON_OPTIONAL, loc, &kind);

	if (!status && kind && strcmp(kind, "script")) {
		diag_warn("%s:%zu: skipped: kind '%s' is not a script", loc->file, loc->line, kind);
		*skip = 1;
	}
	return status;
}

/* One input line: {"script","performance","samples"} or a brain-ab
 * report line {"variant_name","kind","rate","trials","seq_ci_low",...}. */
static enum brain_status parse_line(const cJSON *rec, const struct json_loc *loc,
				    struct measure *m)
{
	enum brain_status status;
	int is_script = cJSON_HasObjectItem(rec, "script");
	int64_t n = -1;

	memset(m, 0, sizeof(*m));
	m->samples = -1;
	if (!is_script && !cJSON_HasObjectItem(rec, "variant_name"))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "record needs 'script' and 'performance' (or a brain-ab report "
				     "line)");
	if ((status = parse_kind(rec, loc, &m->skip)) || m->skip)
		return status;
	if (is_script) {
		if ((status = json_get_string(rec, "script", JSON_REQUIRED, loc, &m->script)) ||
		    (status = json_get_number(rec, "performance", JSON_REQUIRED, loc, 0, 1,
					      &m->performance)) ||
		    (status = json_get_int(rec, "samples", JSON_OPTIONAL, loc, 0, INT64_MAX, &n)))
			return status;
	} else {
		if ((status = json_get_string(rec, "variant_name", JSON_REQUIRED, loc, &m->script)) ||
		    (status = json_get_int(rec, "trials", JSON_OPTIONAL, loc, 0, INT64_MAX, &n)))
			return status;
		/* A report line without a rate has no measurement to act on. */
		if (!cJSON_HasObjectItem(rec, "rate")) {
			m->skip = 1;
			return BRAIN_OK;
		}
		if ((status = json_get_number(rec, "rate", JSON_REQUIRED, loc, 0, 1,
					      &m->performance)))
			return status;
	}
	if (n >= 0)
		m->samples = (double)n;
	return parse_evidence(rec, loc, &m->evidence);
}

enum brain_status promote_cmd_read_line(const cJSON *rec, const struct json_loc *loc)
{
	struct measure m;

	return parse_line(rec, loc, &m);
}

/* Append the measurement of the script at index to the batch; the
 * registry may still grow, so the script is kept by index until the end. */
static void push_evaluation(struct evaluation **ev, size_t *n, size_t *cap, size_t index,
			    const struct measure *m)
{
	struct evaluation *e;

	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*ev = xrealloc(*ev, *cap * sizeof(**ev));
	}
	e = &(*ev)[(*n)++];
	memset(e, 0, sizeof(*e));
	e->index = index;
	e->performance = m->performance;
	e->samples = m->samples;
	e->evidence = m->evidence;
}

enum brain_status promote_cmd_evaluate_stream(const struct cli *cli, const char *path,
					      int register_new, int require_evidence)
{
	struct jsonl_reader jr;
	struct state st;
	struct script_registry r = { 0 };
	struct rejects rj;
	struct evaluation *ev = NULL;
	size_t n = 0, cap = 0;
	enum brain_status status, bad = BRAIN_OK;
	char now[TIME_TEXT_SIZE];
	time_t t;
	int rc;
	cJSON *rec;

	if ((status = clock_now(&t)))
		return status;
	time_text_format(t, now);
	if ((status = jsonl_open(&jr, path, 0)))
		return status;
	if ((status = command_open_state(cli, &st))) {
		jsonl_close(&jr);
		return status;
	}
	rejects_init(&rj, &st);
	if ((status = script_store_load(&st, &r)))
		goto out;
	while ((rc = jsonl_next(&jr, &rec)) != JSONL_EOF) {
		struct json_loc loc = jsonl_where(&jr);
		struct measure m = { 0 };
		struct script *s = NULL;

		if (rc == BRAIN_OK)
			rc = parse_line(rec, &loc, &m);
		if (rc == BRAIN_OK && !m.skip &&
		    (rc = resolve(&r, m.script, register_new, now, &s)))
			diag_error_at(rc, loc.file, loc.line, "%s", diag_last());
		cJSON_Delete(rec);
		if (rc == BRAIN_IO) {
			status = BRAIN_IO;
			goto out;
		}
		if (rc) {
			if ((status = rejects_refuse(cli->skip_invalid, cli->dry_run ? NULL : &rj, &jr, &bad)))
				goto out;
			continue;
		}
		if (!m.skip)
			push_evaluation(&ev, &n, &cap, (size_t)(s - r.s), &m);
	}
	for (size_t i = 0; i < n; i++)
		ev[i].script = &r.s[ev[i].index];
	rejects_close(&rj);
	status = evaluate_all(cli, &st, &r, ev, n, require_evidence, bad);
out:
	rejects_close(&rj);
	state_close(&st);
	jsonl_close(&jr);
	script_store_free(&r);
	free(ev);
	return status;
}

enum brain_status promote_cmd_status(const struct cli *cli, const char *script)
{
	struct state st;
	struct script_registry r;
	struct script *one = NULL;
	struct table *t = NULL;
	enum brain_status status;

	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	status = script_store_load(&st, &r);
	state_close(&st);
	if (!status && script)
		status = script_store_find(&r, script, 0, &one);
	if (!status && cli->format == CLI_FORMAT_TEXT)
		t = table_new(5, (const char *[]){ "SCRIPT", "NAME", "STATUS", "EVALUATIONS",
						   "LAST" });
	for (size_t i = 0; i < r.n && !status; i++) {
		const struct script *s = &r.s[i];

		if (one && one != s)
			continue;
		if (t) {
			char evals[32], last[32];

			snprintf(evals, sizeof(evals), "%.0f", s->evaluations);
			if (s->has_performance)
				snprintf(last, sizeof(last), "%.4f", s->last_performance);
			else
				snprintf(last, sizeof(last), "-");
			table_add(t, (const char *[]){ s->id, s->name,
				promote_status_name(s->memory.status), evals, last });
		} else {
			status = output_print_free(script_store_json(s));
		}
	}
	if (t)
		table_print(t, stdout);
	table_free(t);
	script_store_free(&r);
	return status;
}

/* One script's history line, from an audit record of it. */
struct history {
	const char *id;
	enum brain_status status;
};

static int history_line(void *arg, const cJSON *line, const cJSON *rec, uint64_t seq)
{
	struct history *h = arg;
	const cJSON *subject = cJSON_GetObjectItemCaseSensitive(rec, "subject");
	const cJSON *action = cJSON_GetObjectItemCaseSensitive(rec, "action");
	const cJSON *reason = cJSON_GetObjectItemCaseSensitive(rec, "reason");
	cJSON *o;

	if (!cJSON_IsString(subject) || strcmp(subject->valuestring, h->id) ||
	    !cJSON_IsString(action) || strncmp(action->valuestring, "promote.", 8))
		return 0;
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "seq", (double)seq);
	cJSON_AddItemToObject(o, "ts", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(line, "ts"), 0));
	cJSON_AddItemToObject(o, "actor", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(rec, "actor"), 0));
	cJSON_AddStringToObject(o, "event", action->valuestring + 8);
	cJSON_AddItemToObject(o, "details",
			      cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(rec, "details"), 1));
	if (reason)
		cJSON_AddItemToObject(o, "reason", cJSON_Duplicate(reason, 0));
	h->status = output_print_free(o);
	return h->status != BRAIN_OK;
}

enum brain_status promote_cmd_history(const struct cli *cli, const char *script)
{
	struct state st;
	struct script_registry r;
	struct script *s;
	struct history h = { NULL, BRAIN_OK };
	enum brain_status status;

	render_form(&history_form);
	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	if (!(status = script_store_load(&st, &r)) && !(status = script_store_find(&r, script, 0, &s))) {
		h.id = s->id;
		status = audit_each(st.dirfd, history_line, &h);
		if (status == BRAIN_NO)
			status = BRAIN_OK;
		if (!status)
			status = h.status;
	}
	script_store_free(&r);
	state_close(&st);
	return status;
}

enum brain_status promote_cmd_set(const struct cli *cli, const char *script,
				  const char *status_text)
{
	struct state st;
	struct script_registry r;
	struct script *s;
	enum brain_status status;
	int to = promote_status_parse(status_text);
	char now[TIME_TEXT_SIZE];
	time_t t;
	cJSON *line;

	if (to < 0)
		return diag_error(BRAIN_USAGE, "status must be draft, testing, active or retired, "
				  "not '%s'", status_text);
	if (!cli->reason || !*cli->reason)
		return diag_error(BRAIN_USAGE, "'set' is a manual override: it needs --reason=TEXT");
	if ((status = clock_now(&t)))
		return status;
	time_text_format(t, now);
	if ((status = command_open_state(cli, &st)))
		return status;
	if ((status = script_store_load(&st, &r)) || (status = script_store_find(&r, script, 0, &s)))
		goto out;
	line = cJSON_CreateObject();
	cJSON_AddStringToObject(line, "script_id", s->id);
	cJSON_AddStringToObject(line, "old_status", promote_status_name(s->memory.status));
	cJSON_AddStringToObject(line, "new_status", status_text);
	cJSON_AddStringToObject(line, "action", "SET");
	cJSON_AddStringToObject(line, "reason", cli->reason);
	if ((int)s->memory.status != to) {
		s->memory.status = (enum promote_status)to;
		s->memory.last_change = t;
	}
	s->memory.streak = 0;
	snprintf(s->updated, sizeof(s->updated), "%s", now);
	if (!cli->dry_run) {
		struct audit_event ev = { s->id, "promote.set", "SUCCESS", line, cli->reason, NULL };

		status = script_store_save(&st, &r, &ev, 1);
	}
	state_close(&st);
	render_form(&set_form);
	if (!status)
		status = jsonl_write(stdout, line);
	cJSON_Delete(line);
out:
	script_store_free(&r);
	state_close(&st);
	return status;
}

enum brain_status promote_cmd_policy(const struct cli *cli)
{
	struct state st;
	struct promote_policy p;
	enum brain_status status;
	int dirfd = -1;
	cJSON *o;

	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	dirfd = st.dirfd;
	status = script_store_policy(dirfd, &p);
	state_close(&st);
	if (status)
		return status;
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "promote_at", p.promote_at);
	cJSON_AddNumberToObject(o, "demote_below", p.demote_below);
	cJSON_AddNumberToObject(o, "floor", p.floor);
	cJSON_AddNumberToObject(o, "min_samples", p.min_samples);
	cJSON_AddNumberToObject(o, "consecutive", p.consecutive);
	cJSON_AddNumberToObject(o, "cooldown_hours", p.cooldown / 3600);
	cJSON_AddBoolToObject(o, "require_evidence", p.require_evidence);
	if (cli->format == CLI_FORMAT_TEXT) {
		if (p.require_evidence)
			printf("promote when brain-ab's always-valid interval against the control "
			       "is above 0, demote when it is below 0\n");
		else
			printf("promote at or above %g, demote below %g, demote at once below %g\n",
			       p.promote_at, p.demote_below, p.floor);
		printf("min samples %g, %g evaluation(s) in a row, cool-down %g hours\n",
		       p.min_samples, p.consecutive, p.cooldown / 3600);
		cJSON_Delete(o);
		return BRAIN_OK;
	}
	return output_print_free(o);
}


