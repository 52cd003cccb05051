/* status_cmd.c - `brain status`, every block at a glance; see status_cmd.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/status_cmd.h"
#include "cmd/table.h"
#include "core/ab_store.h"
#include "core/audit.h"
#include "core/audit_verify.h"
#include "core/clone_store.h"
#include "core/config.h"
#include "core/eval_store.h"
#include "core/ingest_store.h"
#include "core/jsonl.h"
#include "core/model_store.h"
#include "core/script_store.h"
#include "core/state.h"
#include "diag.h"
#include "pure/ab.h"
#include "pure/ab_fold.h"
#include "pure/eval.h"
#include "pure/ident.h"
#include "pure/promote.h"
#include "pure/time_text.h"
#include "banned.h"

#define MAX_COLUMNS 8

/* The last gate decision of one clone, as the audit trail has it. */
struct gate_seen {
	char clone[IDENT_MAX + 1];
	char decision[16];        /* PROMOTE or BLOCK */
	uint64_t seq;             /* its audit record */
	char at[TIME_TEXT_SIZE];  /* when it was decided */
	cJSON *failed;            /* the gates that failed, owned */
};

/* What one pass over the audit log found. */
struct audit_seen {
	int present;              /* audit.log exists */
	enum brain_status status; /* of the pass: BRAIN_OK when it ran */
	struct audit_report rep;  /* what audit_verify found */
	uint64_t *checkpoints;    /* sizes of the checkpoints, ascending; owned */
	size_t ncheckpoints;
	struct gate_seen *gates;  /* sorted by clone; owned */
	size_t ngates, capgates;
};

struct report {
	const struct cli *cli;
	struct state *st;
	const struct config *cfg;
	const struct status_view *view; /* takes the records instead of stdout, or NULL */
	struct audit_seen audit;
	const char *section;      /* the section being filled */
	struct table *table;      /* its rows with --format=text, else NULL */
	size_t ncols;             /* its columns, the mark not counted */
	size_t section_items;     /* items in it so far */
	char note[128];           /* said after its heading in text, or "" */
	size_t items, attention;  /* over every section */
	enum brain_status write;  /* the first error writing stdout */
};

/* A new record of the current section; report_item prints it. */
static cJSON *report_record(const struct report *r)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "section", r->section);
	return o;
}

/* A record to the view, or as a JSON line: what every section gives. */
static void report_emit(struct report *r, const cJSON *rec)
{
	if (r->view)
		r->view->item(r->view->arg, rec);
	else if (!r->write)
		r->write = jsonl_write(stdout, rec);
}

/* One item: rec (taken) with its "attention" added, as a JSON line, or the
 * row cells (r->ncols strings) marked "!" when it needs attention. */
static void report_item(struct report *r, cJSON *rec, int attention,
			const char *const *cells)
{
	cJSON_AddBoolToObject(rec, "attention", attention);
	if (r->table) {
		const char *row[MAX_COLUMNS + 1] = { attention ? "!" : "" };

		memcpy(row + 1, cells, r->ncols * sizeof(*cells));
		table_add(r->table, row);
	} else {
		report_emit(r, rec);
	}
	cJSON_Delete(rec);
	r->section_items++;
	r->items++;
	r->attention += attention != 0;
}

static void add_string_or_null(cJSON *o, const char *name, const char *s)
{
	if (s && *s)
		cJSON_AddStringToObject(o, name, s);
	else
		cJSON_AddNullToObject(o, name);
}

/* "%.0f" of a count, into buf. */
static const char *count_text(double v, char *buf, size_t size)
{
	snprintf(buf, size, "%.0f", v);
	return buf;
}

/* --- experiments --------------------------------------------------- */

/* The winner on record of a kind, as a cell: "Phone", "Phone (reversed)". */
static void record_cell(const struct ab_decided *dd, int holds, char *buf, size_t size)
{
	if (!dd)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%s%s", dd->variant, dd->concluded_at[0] ? " (concluded)"
			 : holds ? "" : " (reversed)");
}

/* The record of one kind of s: today's decision and what is on record. */
static cJSON *kind_record(const struct report *r, const struct ab_set *s, const char *kind,
			  const struct ab_arm *arms, size_t n, const struct ab_decision *d,
			  double trials, size_t days)
{
	const struct ab_decided *dd = ab_set_decided(s, kind);
	cJSON *o = report_record(r);

	cJSON_AddStringToObject(o, "experiment", s->experiment);
	cJSON_AddStringToObject(o, "kind", kind);
	cJSON_AddStringToObject(o, "decision", ab_outcome_name(d->outcome));
	add_string_or_null(o, "leader", d->arm >= 0 ? arms[d->arm].name : NULL);
	cJSON_AddNumberToObject(o, "trials", trials);
	cJSON_AddNumberToObject(o, "days", (double)days);
	if (d->outcome == AB_INCONCLUSIVE && d->has_more)
		cJSON_AddNumberToObject(o, "more_trials_per_arm", d->more_trials);
	add_string_or_null(o, "winner_on_record", dd ? dd->variant : NULL);
	if (dd) {
		cJSON_AddBoolToObject(o, "holds", ab_decided_holds(dd, arms, n, d));
		cJSON_AddBoolToObject(o, "concluded", dd->concluded_at[0] != '\0');
	}
	cJSON_AddStringToObject(o, "reason", d->reason);
	return o;
}

static enum brain_status experiment_kind(struct report *r, struct ab_set *s, const char *kind)
{
	const struct ab_decided *dd = ab_set_decided(s, kind);
	struct ab_options o;
	struct ab_decision d;
	struct ab_result *res;
	struct ab_arm *arms;
	const char **days;
	size_t n, ndays;
	double trials = 0;
	char tr[32], dy[32], more[32], rec[2 * IDENT_MAX + 32];
	enum brain_status status = ab_config_rule(r->cfg, s, kind, &o);

	if (status)
		return status;
	arms = ab_set_arms(s, kind, &n);
	res = xcalloc(n ? n : 1, sizeof(*res));
	ab_analyze(arms, n, &o, res);
	ab_decide(arms, n, res, &o, &d);
	days = ab_set_days(s, kind, &ndays);
	free(days);
	for (size_t i = 0; i < n; i++)
		trials += arms[i].trials;
	record_cell(dd, dd && ab_decided_holds(dd, arms, n, &d), rec, sizeof(rec));
	if (d.outcome == AB_INCONCLUSIVE && d.has_more)
		count_text(d.more_trials, more, sizeof(more));
	else
		snprintf(more, sizeof(more), "-");
	/* Sample-ratio mismatch: no decision can be trusted; a winner on
	 * record that the data no longer bear out is reversed: both until the
	 * experiment is concluded and over. */
	report_item(r, kind_record(r, s, kind, arms, n, &d, trials, ndays),
		    !(dd && dd->concluded_at[0]) &&
		    (d.outcome == AB_INVALID || (dd && !ab_decided_holds(dd, arms, n, &d))),
		    (const char *[]){ s->experiment, kind, ab_outcome_name(d.outcome),
				      d.arm >= 0 ? arms[d.arm].name : "-",
				      count_text(trials, tr, sizeof(tr)),
				      count_text((double)ndays, dy, sizeof(dy)), more, rec });
	free(res);
	free(arms);
	return BRAIN_OK;
}

static enum brain_status section_experiments(struct report *r)
{
	char **ids;
	size_t n;
	enum brain_status status = ab_store_list(r->st, &ids, &n);

	for (size_t i = 0; i < n && !status; i++) {
		struct ab_set s;
		const char **kinds;
		size_t nkinds = 0;
		int exists;

		/* A set that failed to load may hold some of it: freed below. */
		status = ab_load(r->st, ids[i], &s, &exists);
		kinds = status ? NULL : ab_set_kinds(&s, &nkinds);
		for (size_t k = 0; k < nkinds && exists && !status; k++)
			status = experiment_kind(r, &s, kinds[k]);
		free(kinds);
		ab_set_free(&s);
	}
	state_names_free(ids, n);
	return status;
}

/* --- scripts ------------------------------------------------------- */

static enum brain_status section_scripts(struct report *r)
{
	struct script_registry reg;
	double count[PROMOTE_RETIRED + 1] = { 0 };
	char cells[PROMOTE_RETIRED + 2][32];
	cJSON *o;
	enum brain_status status = script_store_load(r->st, &reg);

	if (status)
		return status;
	for (size_t i = 0; i < reg.n; i++)
		count[reg.s[i].memory.status]++;
	if (reg.n) {
		o = report_record(r);
		cJSON_AddNumberToObject(o, "total", (double)reg.n);
		count_text((double)reg.n, cells[PROMOTE_RETIRED + 1], sizeof(cells[0]));
		for (int s = PROMOTE_DRAFT; s <= PROMOTE_RETIRED; s++) {
			cJSON_AddNumberToObject(o, promote_status_name(s), count[s]);
			count_text(count[s], cells[s], sizeof(cells[s]));
		}
		report_item(r, o, 0, (const char *[]){ cells[0], cells[1], cells[2], cells[3],
						       cells[4] });
	}
	script_store_free(&reg);
	return BRAIN_OK;
}

/* --- eval ---------------------------------------------------------- */

static void eval_item(struct report *r, const char *metric, const struct eval_trend *t)
{
	cJSON *o = report_record(r);
	char n[32], last[32], alarm[48];

	cJSON_AddStringToObject(o, "metric", metric);
	cJSON_AddNumberToObject(o, "n", (double)t->n);
	cJSON_AddNumberToObject(o, "last", t->last);
	cJSON_AddStringToObject(o, "trend", t->trend);
	cJSON_AddStringToObject(o, "detector", t->detector);
	cJSON_AddBoolToObject(o, "alarm", t->regression);
	if (t->regression) {
		cJSON_AddNumberToObject(o, "change_index", (double)t->change_index);
		snprintf(alarm, sizeof(alarm), "ALARM from point %ld", t->change_index);
	} else {
		snprintf(alarm, sizeof(alarm), "no");
	}
	snprintf(last, sizeof(last), "%g", t->last);
	report_item(r, o, t->regression, (const char *[]){ metric,
			count_text((double)t->n, n, sizeof(n)), last, t->trend, t->detector,
			alarm });
}

static enum brain_status section_eval(struct report *r)
{
	struct eval_options opts;
	char **names = NULL;
	size_t *counts = NULL, n = 0;
	enum brain_status status = eval_options_load(r->st->dirfd, &opts);

	if (!status)
		status = eval_metrics(r->st->dirfd, &names, &counts, &n);
	for (size_t i = 0; i < n && !status; i++) {
		struct eval_series s;
		struct eval_trend t;

		if ((status = eval_series_load(r->st->dirfd, names[i], 0, &s)))
			break;
		/* As brain-eval watch: the detector over the whole series. */
		if (!eval_trend(&s, &opts, &t, NULL))
			eval_item(r, names[i], &t);
		eval_series_free(&s);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(counts);
	return status;
}

/* --- models -------------------------------------------------------- */

static void model_item(struct report *r, const struct model *m)
{
	cJSON *o = report_record(r), *shadow;
	char canary[VID_SIZE + 32], shadows[256] = "", versions[32];
	size_t used = 0;

	cJSON_AddStringToObject(o, "model_id", m->id);
	cJSON_AddStringToObject(o, "name", m->name);
	cJSON_AddNumberToObject(o, "versions", (double)m->n);
	add_string_or_null(o, "serving", m->serving);
	add_string_or_null(o, "canary", m->canary);
	if (*m->canary)
		cJSON_AddNumberToObject(o, "canary_weight", m->canary_weight);
	shadow = cJSON_AddArrayToObject(o, "shadow");
	for (size_t i = 0; i < m->n; i++) {
		if (strcmp(m->v[i].state, "shadow"))
			continue;
		cJSON_AddItemToArray(shadow, cJSON_CreateString(m->v[i].id));
		if (used < sizeof(shadows))
			used += (size_t)snprintf(shadows + used, sizeof(shadows) - used, "%s%s",
						 used ? " " : "", m->v[i].id);
	}
	if (*m->canary)
		snprintf(canary, sizeof(canary), "%s at %g", m->canary, m->canary_weight);
	else
		snprintf(canary, sizeof(canary), "-");
	report_item(r, o, 0, (const char *[]){ m->id, *m->serving ? m->serving : "none", canary,
					       *shadows ? shadows : "-",
					       count_text((double)m->n, versions,
							  sizeof(versions)) });
}

static enum brain_status section_models(struct report *r)
{
	char **ids;
	size_t n;
	enum brain_status status = model_store_list(r->st, &ids, &n);

	for (size_t i = 0; i < n && !status; i++) {
		struct model m;

		/* A directory without its model.json holds no model. */
		if ((status = model_store_load(r->st, ids[i], &m, 1)) == BRAIN_NO) {
			status = BRAIN_OK;
			continue;
		}
		if (!status) {
			model_item(r, &m);
			model_store_free(&m);
		}
	}
	state_names_free(ids, n);
	return status;
}

/* --- the audit pass, and clones ------------------------------------- */

static int cmp_gate(const void *key, const void *elem)
{
	return strcmp(key, ((const struct gate_seen *)elem)->clone);
}

/* The entry of clone in a (sorted), made in its place when new. */
static struct gate_seen *gate_entry(struct audit_seen *a, const char *clone)
{
	size_t lo = 0, hi = a->ngates;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_gate(clone, &a->gates[mid]);

		if (c == 0)
			return &a->gates[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (a->ngates == a->capgates) {
		a->capgates = a->capgates ? 2 * a->capgates : 16;
		a->gates = xrealloc(a->gates, a->capgates * sizeof(*a->gates));
	}
	memmove(&a->gates[lo + 1], &a->gates[lo], (a->ngates - lo) * sizeof(*a->gates));
	memset(&a->gates[lo], 0, sizeof(*a->gates));
	snprintf(a->gates[lo].clone, sizeof(a->gates[lo].clone), "%s", clone);
	a->ngates++;
	return &a->gates[lo];
}

/* An audit_each_fn: keep the last gate.decision of every clone. */
static int take_gate(void *arg, const cJSON *line, const cJSON *rec, uint64_t seq)
{
	const cJSON *action = cJSON_GetObjectItemCaseSensitive(rec, "action");
	const cJSON *subject = cJSON_GetObjectItemCaseSensitive(rec, "subject");
	const cJSON *decision = cJSON_GetObjectItemCaseSensitive(rec, "status");
	const cJSON *details = cJSON_GetObjectItemCaseSensitive(rec, "details");
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(details, "at");
	const cJSON *failed = cJSON_GetObjectItemCaseSensitive(details, "failed");
	struct gate_seen *g;

	if (!cJSON_IsString(action) || strcmp(action->valuestring, "gate.decision") ||
	    !cJSON_IsString(subject) || !ident_valid(subject->valuestring) ||
	    !cJSON_IsString(decision))
		return 0;
	if (!cJSON_IsString(at))
		at = cJSON_GetObjectItemCaseSensitive(line, "ts");
	g = gate_entry(arg, subject->valuestring);
	snprintf(g->decision, sizeof(g->decision), "%s", decision->valuestring);
	snprintf(g->at, sizeof(g->at), "%s", cJSON_IsString(at) ? at->valuestring : "");
	g->seq = seq;
	cJSON_Delete(g->failed);
	g->failed = cJSON_IsArray(failed) ? cJSON_Duplicate(failed, 1) : cJSON_CreateArray();
	return 0;
}

/* An audit_each_fn: the gate decisions, and every record for the view. */
static int take_record(void *arg, const cJSON *line, const cJSON *rec, uint64_t seq)
{
	struct report *r = arg;

	take_gate(&r->audit, line, rec, seq);
	if (r->view && r->view->audit_record)
		r->view->audit_record(r->view->arg, line, rec, seq);
	return 0;
}

/* Verify the log, and on the same pass take the gate decisions.  Only
 * the records that verified are taken: past a break in the chain none
 * can be trusted. */
static void audit_pass(struct report *r)
{
	struct audit_seen *a = &r->audit;
	struct audit_verify_opts o = { .each = take_record, .each_arg = r };

	/* No log yet: nothing was ever recorded, which is no problem. */
	if (faccessat(r->st->dirfd, AUDIT_LOG, F_OK, AT_SYMLINK_NOFOLLOW) && errno == ENOENT)
		return;
	a->present = 1;
	o.progress = r->cli->progress;
	if (!(a->status = audit_verify(r->st->dirfd, &o, &a->rep)))
		a->status = audit_checkpoint_sizes(r->st->dirfd, &a->checkpoints,
						   &a->ncheckpoints);
}

static void audit_seen_free(struct audit_seen *a)
{
	for (size_t i = 0; i < a->ngates; i++)
		cJSON_Delete(a->gates[i].failed);
	free(a->gates);
	free(a->checkpoints);
}

/* The failed gates as one cell: "accuracy,audit_intact", or "-". */
static void failed_cell(const cJSON *failed, char *buf, size_t size)
{
	const cJSON *f;
	size_t used = 0;

	buf[0] = '\0';
	cJSON_ArrayForEach(f, failed)
		if (cJSON_IsString(f) && used < size)
			used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "," : "",
						 f->valuestring);
	if (!used)
		snprintf(buf, size, "-");
}

static enum brain_status clone_item(struct report *r, const char *id, const struct gate_seen *g)
{
	cJSON *score = NULL, *o;
	const cJSON *rs, *ready;
	char readiness[32] = "-", seq[32] = "-", failed[256] = "-";
	enum brain_status status = clone_store_latest_score(r->st->dirfd, id, &score);

	if (status)
		return status;
	rs = cJSON_GetObjectItemCaseSensitive(score, "readiness_score");
	ready = cJSON_GetObjectItemCaseSensitive(score, "is_ready");
	o = report_record(r);
	cJSON_AddStringToObject(o, "clone_id", id);
	if (cJSON_IsNumber(rs) && cJSON_IsBool(ready)) {
		cJSON_AddNumberToObject(o, "readiness_score", rs->valuedouble);
		cJSON_AddBoolToObject(o, "is_ready", cJSON_IsTrue(ready));
		snprintf(readiness, sizeof(readiness), "%g %s", rs->valuedouble,
			 cJSON_IsTrue(ready) ? "ready" : "not ready");
	}
	add_string_or_null(o, "last_gate", g ? g->decision : NULL);
	if (g) {
		cJSON_AddNumberToObject(o, "gate_seq", (double)g->seq);
		cJSON_AddStringToObject(o, "gate_at", g->at);
		cJSON_AddItemToObject(o, "failed", cJSON_Duplicate(g->failed, 1));
		snprintf(seq, sizeof(seq), "%llu", (unsigned long long)g->seq);
		failed_cell(g->failed, failed, sizeof(failed));
	}
	report_item(r, o, g && !strcmp(g->decision, "BLOCK"),
		    (const char *[]){ id, readiness, g ? g->decision : "-", seq,
				      g && *g->at ? g->at : "-", failed });
	cJSON_Delete(score);
	return BRAIN_OK;
}

/* The clones with scores and those with gate decisions, merged in id
 * order (both lists are sorted). */
static enum brain_status section_clones(struct report *r)
{
	const struct audit_seen *a = &r->audit;
	char **ids;
	size_t n, i = 0, j = 0;
	enum brain_status status = clone_store_list(r->st, &ids, &n);

	if (a->present && !a->status && !a->rep.ok)
		snprintf(r->note, sizeof(r->note), " (gate decisions read only up to audit "
			 "record %llu, where verification stopped)", (unsigned long long)a->rep.size);
	while (!status && (i < n || j < a->ngates)) {
		int c = i == n ? 1 : j == a->ngates ? -1 : strcmp(ids[i], a->gates[j].clone);

		const struct gate_seen *g = c >= 0 ? &a->gates[j++] : NULL;

		status = clone_item(r, c <= 0 ? ids[i++] : g->clone, g);
	}
	state_names_free(ids, n);
	return status;
}

/* --- ingest and audit ---------------------------------------------- */

static enum brain_status section_ingest(struct report *r)
{
	cJSON *sources = NULL, *o;
	double records, quarantined, reviewed;
	char ns[32], nr[32], nq[64];
	int nsources;
	enum brain_status status;

	if ((status = ingest_store_sources(r->st->dirfd, &sources)) ||
	    (status = ingest_store_count(r->st->dirfd, INGEST_RECORDS, &records)) ||
	    (status = ingest_store_count(r->st->dirfd, INGEST_QUARANTINE, &quarantined)) ||
	    (status = ingest_store_reviewed(r->st->dirfd, &reviewed))) {
		cJSON_Delete(sources);
		return status;
	}
	nsources = cJSON_GetArraySize(sources);
	cJSON_Delete(sources);
	if (nsources == 0 && records == 0 && quarantined == 0)
		return BRAIN_OK;
	o = report_record(r);
	cJSON_AddNumberToObject(o, "sources", nsources);
	cJSON_AddNumberToObject(o, "records", records);
	cJSON_AddNumberToObject(o, "quarantined", quarantined);
	/* A log cut shorter than the mark leaves nothing new to look at. */
	reviewed = reviewed < quarantined ? reviewed : quarantined;
	cJSON_AddNumberToObject(o, "unreviewed", quarantined - reviewed);
	snprintf(nq, sizeof(nq), "%.0f", quarantined);
	if (quarantined > reviewed)
		snprintf(nq, sizeof(nq), "%.0f (%.0f not reviewed)", quarantined,
			 quarantined - reviewed);
	/* Every quarantined record is data someone meant to give: look, until
	 * it is marked reviewed (brain-ingest quarantine reviewed). */
	report_item(r, o, quarantined > reviewed,
		    (const char *[]){ count_text(nsources, ns, sizeof(ns)),
				      count_text(records, nr, sizeof(nr)), nq });
	return BRAIN_OK;
}

static enum brain_status section_audit(struct report *r)
{
	const struct audit_seen *a = &r->audit;
	const struct audit_report *rep = &a->rep;
	uint64_t last = a->ncheckpoints ? a->checkpoints[a->ncheckpoints - 1] : 0;
	char size[32], ncp[32], lastcp[32] = "none";
	cJSON *o;

	if (a->status || !a->present)
		return a->status;
	o = report_record(r);
	cJSON_AddBoolToObject(o, "intact", rep->ok);
	cJSON_AddNumberToObject(o, "records", (double)rep->size);
	if (!rep->ok) {
		cJSON_AddStringToObject(o, "error", rep->error);
		cJSON_AddNumberToObject(o, "seq", (double)rep->seq);
		cJSON_AddStringToObject(o, "detail", rep->detail);
	}
	cJSON_AddStringToObject(o, "mac", rep->mac);
	cJSON_AddNumberToObject(o, "checkpoints", (double)a->ncheckpoints);
	if (a->ncheckpoints) {
		cJSON_AddNumberToObject(o, "last_checkpoint", (double)last);
		snprintf(lastcp, sizeof(lastcp), "at %llu", (unsigned long long)last);
	} else {
		cJSON_AddNullToObject(o, "last_checkpoint");
	}
	report_item(r, o, !rep->ok,
		    (const char *[]){ rep->ok ? "yes" : rep->error,
				      count_text((double)rep->size, size, sizeof(size)), rep->mac,
				      count_text((double)a->ncheckpoints, ncp, sizeof(ncp)), lastcp,
				      rep->ok ? "" : rep->detail });
	return BRAIN_OK;
}

/* --- the report ---------------------------------------------------- */

struct section {
	const char *name;         /* the "section" member */
	const char *title;        /* the heading of its text block */
	enum brain_status (*fill)(struct report *r);
	size_t ncols;
	const char *headers[MAX_COLUMNS];
};

static const struct section sections[] = {
	{ "experiment", "experiments", section_experiments, 8,
	  { "EXPERIMENT", "KIND", "DECISION", "LEADER", "TRIALS", "DAYS", "MORE/ARM",
	    "ON RECORD" } },
	{ "scripts", "scripts", section_scripts, 5,
	  { "DRAFT", "TESTING", "ACTIVE", "RETIRED", "TOTAL" } },
	{ "eval", "eval", section_eval, 6,
	  { "METRIC", "N", "LAST", "TREND", "DETECTOR", "ALARM" } },
	{ "model", "models", section_models, 5,
	  { "MODEL", "SERVING", "CANARY", "SHADOW", "VERSIONS" } },
	{ "clone", "clones", section_clones, 6,
	  { "CLONE", "READINESS", "LAST GATE", "SEQ", "AT", "FAILED" } },
	{ "ingest", "ingest", section_ingest, 3, { "SOURCES", "RECORDS", "QUARANTINED" } },
	{ "audit", "audit", section_audit, 6,
	  { "INTACT", "RECORDS", "MAC", "CHECKPOINTS", "LAST CHECKPOINT", "DETAIL" } },
};

#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

/* Close the section: an empty or unreadable one is said so; with
 * --format=text its block is printed, a table followed by a blank line. */
static void section_end(struct report *r, const struct section *s, enum brain_status failed)
{
	if (failed || !r->section_items) {
		cJSON *o = report_record(r);

		if (failed)
			cJSON_AddStringToObject(o, "error", brain_status_name(failed));
		else
			cJSON_AddBoolToObject(o, "empty", 1);
		cJSON_AddBoolToObject(o, "attention", failed != BRAIN_OK);
		if (!r->table)
			report_emit(r, o);
		cJSON_Delete(o);
		r->attention += failed != BRAIN_OK;
	}
	if (!r->table)
		return;
	if (failed)
		printf("%s: unreadable (the message on standard error says why)\n", s->title);
	else
		printf("%s%s%s\n", s->title, r->section_items ? "" : ": none", r->note);
	if (r->section_items) {
		table_print(r->table, stdout);
		printf("\n");
	}
}

static void summary(struct report *r)
{
	cJSON *o;

	if (!r->view && r->cli->format == CLI_FORMAT_TEXT) {
		if (!r->attention)
			printf("nothing needs attention\n");
		else
			printf("%zu item%s need%s attention\n", r->attention,
			       r->attention == 1 ? "" : "s", r->attention == 1 ? "s" : "");
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "section", "summary");
	cJSON_AddNumberToObject(o, "attention", (double)r->attention);
	cJSON_AddNumberToObject(o, "items", (double)r->items);
	report_emit(r, o);
	cJSON_Delete(o);
}

/* Every section in turn; the status of one that could not be read wins
 * over the answer, and the others are still shown. */
static enum brain_status run_sections(struct report *r)
{
	enum brain_status worst = BRAIN_OK;

	for (size_t i = 0; i < NSECTIONS && !r->write; i++) {
		const struct section *s = &sections[i];
		const char *headers[MAX_COLUMNS + 1] = { "" };
		enum brain_status status;

		memcpy(headers + 1, s->headers, s->ncols * sizeof(*headers));
		r->section = s->name;
		r->ncols = s->ncols;
		r->section_items = 0;
		r->note[0] = '\0';
		r->table = !r->view && r->cli->format == CLI_FORMAT_TEXT
			   ? table_new(s->ncols + 1, headers) : NULL;
		status = s->fill(r);
		if (status == BRAIN_IO) {
			table_free(r->table);
			return status;
		}
		if (status && !worst)
			worst = status;
		section_end(r, s, status);
		table_free(r->table);
		r->table = NULL;
	}
	if (!r->write)
		summary(r);
	return r->write ? r->write : worst ? worst : r->attention ? BRAIN_NO : BRAIN_OK;
}

enum brain_status status_cmd_gather(const struct cli *cli, struct state *st,
				    const struct config *cfg, const struct status_view *view)
{
	struct report r = { .cli = cli, .st = st, .cfg = cfg, .view = view };
	enum brain_status status;

	audit_pass(&r);
	status = run_sections(&r);
	audit_seen_free(&r.audit);
	return status;
}

enum brain_status status_cmd_show(const struct cli *cli)
{
	struct state st;
	struct config *cfg = NULL;
	enum brain_status status;

	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	if (!(status = config_load(st.dirfd, &cfg)))
		status = status_cmd_gather(cli, &st, cfg, NULL);
	config_free(cfg);
	state_close(&st);
	return status;
}
