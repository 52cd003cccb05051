/* verify_cmd.c - end-to-end checks and the self-test; see verify_cmd.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/ab_store.h"
#include "core/audit.h"
#include "core/audit_verify.h"
#include "core/binding.h"
#include "core/clone_store.h"
#include "core/config.h"
#include "core/change.h"
#include "diag.h"
#include "core/eval_store.h"
#include "core/file.h"
#include "pure/ident.h"
#include "pure/keyset.h"
#include "core/jsonl.h"
#include "core/lineage.h"
#include "cmd/launch.h"
#include "core/model_store.h"
#include "core/script_store.h"
#include "core/rejects.h"
#include "core/state.h"
#include "cmd/table.h"
#include "cmd/verify_cmd.h"
#include "banned.h"

struct tally {
	const struct cli *cli;
	struct table *table;
	long passed, failed, warnings;
	enum brain_status io;
};

/* What several checks need of one log, gathered while it is read once:
 * audit.log by audit_verify's pass (for the format, chain, bindings,
 * scripts and eval checks), eval/outcomes.jsonl by its format check (for
 * the eval check).  When a pass cannot stand for what a check would read
 * (a broken chain, a torn tail, a line that does not parse) the check
 * reads the log itself, as it always did: the output stays the same. */
struct shared_reads {
	int trail_done;               /* audit.log read whole: the members below stand for it */
	struct audit_report rep;      /* audit_verify's report */
	struct binding_trail bindings; /* for check_bindings */
	struct script_trail scripts;  /* for check_scripts */
	int scripts_on;               /* script_trail_record still wants records */
	char scripts_detail[256];     /* script_trail's reason */
	long eval_records;            /* eval.record records in the trail */
	int outcomes_done;            /* eval/outcomes.jsonl read whole, each line an outcome */
	size_t outcomes;              /* ...this many */
};

/* The script names of the brain-ab experiments (variants of kind script,
 * by name and by id), gathered while check_ab loads each once. */
struct ab_scripts {
	struct keyset names;          /* keyset_key("script", name) of each */
};

static void report(struct tally *t, const char *check, const char *status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void report(struct tally *t, const char *check, const char *status, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (!strcmp(status, "PASS"))
		t->passed++;
	else if (!strcmp(status, "FAIL"))
		t->failed++;
	else
		t->warnings++;
	if (t->table) {
		table_add(t->table, (const char *[]){ status, check, detail });
		return;
	}
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "check", check);
	cJSON_AddStringToObject(o, "status", status);
	cJSON_AddStringToObject(o, "detail", detail);
	if (!t->io)
		t->io = jsonl_write(stdout, o);
	cJSON_Delete(o);
}

/* Diagnostics of the checked code go to the report, not to stderr. */
static FILE *quiet_begin(void)
{
	FILE *null = fopen("/dev/null", "w");

	diag_set_stream(null);
	return null;
}

static void quiet_end(FILE *null)
{
	diag_set_stream(NULL);
	if (null)
		fclose(null);
}

static void check_format(struct tally *t, struct state *st)
{
	struct stat sb;

	fstat(st->dirfd, &sb);
	report(t, "format", "PASS", "brain-state 1, mode %04o, owned by the user",
	       (unsigned)(sb.st_mode & 07777));
}

static void check_config(struct tally *t, struct state *st)
{
	struct config *cfg;
	FILE *q = quiet_begin();
	enum brain_status status = config_load(st->dirfd, &cfg);

	quiet_end(q);
	if (status) {
		report(t, "config", "FAIL", "%s", diag_last());
		return;
	}
	config_free(cfg);
	report(t, "config", "PASS", "config.json valid (or absent: defaults)");
}

static void report_audit(struct tally *t, enum brain_status status, const struct audit_report *rep)
{
	if (status)
		report(t, "audit_chain", "FAIL", "cannot verify: %s", diag_last());
	else if (rep->ok)
		report(t, "audit_chain", "PASS", "%" PRIu64 " records chained, MAC %s, "
		       "%zu checkpoint(s) (signatures %s)", rep->size, rep->mac, rep->checkpoints,
		       rep->signatures);
	else if (!strcmp(rep->error, "torn_tail"))
		report(t, "audit_chain", "FAIL", "torn tail: %s", rep->detail);
	else
		report(t, "audit_chain", "FAIL", "%s at record %" PRIu64 ": %s", rep->error, rep->seq,
		       rep->detail);
}

static void check_audit(struct tally *t, struct state *st, const struct verify_args *a,
			const struct shared_reads *sh)
{
	struct audit_verify_opts o = { a->key, a->pubkey, NULL, 0, t->cli->progress, NULL, NULL };
	struct audit_report rep;
	FILE *q;
	enum brain_status status;

	if (sh->trail_done) {
		report_audit(t, BRAIN_OK, &sh->rep);
		return;
	}
	if (faccessat(st->dirfd, AUDIT_LOG, F_OK, 0) != 0) {
		report(t, "audit_chain", "WARN", "no audit.log yet");
		return;
	}
	q = quiet_begin();
	status = audit_verify(st->dirfd, &o, &rep);
	quiet_end(q);
	report_audit(t, status, &rep);
}

static int count_outcome(void *arg, const cJSON *line, const cJSON *rec, uint64_t seq)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(rec, "action");

	(void)line;
	(void)seq;
	*(long *)arg += cJSON_IsString(a) && !strcmp(a->valuestring, "eval.record");
	return 0;
}

/* One record of audit.log, for every check that wants it.  Always 0, so
 * that the pass parses every line, as the format check would. */
static int share_record(void *arg, const cJSON *line, const cJSON *rec, uint64_t seq)
{
	struct shared_reads *sh = arg;

	binding_trail_record(&sh->bindings, line, rec, seq);
	if (sh->scripts_on && script_trail_record(&sh->scripts, line, rec, seq))
		sh->scripts_on = 0;
	count_outcome(&sh->eval_records, line, rec, seq);
	return 0;
}

/* Read audit.log once, verifying its chain, for every check that needs its
 * records; their reports come in their own places. */
static void read_trail(struct tally *t, struct state *st, const struct verify_args *a,
		       struct shared_reads *sh)
{
	struct audit_verify_opts o = { a->key, a->pubkey, NULL, 0, t->cli->progress,
				       share_record, sh };
	enum brain_status status;
	size_t scripts;
	FILE *q;

	if (faccessat(st->dirfd, AUDIT_LOG, F_OK, 0) != 0)
		return;
	q = quiet_begin();
	binding_trail_init(&sh->bindings, NULL);
	sh->scripts_on = !script_trail_begin(st, &sh->scripts, sh->scripts_detail,
					     sizeof(sh->scripts_detail));
	status = audit_verify(st->dirfd, &o, &sh->rep);
	quiet_end(q);
	sh->trail_done = !status && sh->rep.each_complete;
	if (!sh->trail_done) {
		/* Each check reads the log itself after all. */
		binding_trail_free(&sh->bindings);
		script_trail_end(&sh->scripts, BRAIN_OK, &scripts);
	}
}

/* What reading a log found. */
struct log_read {
	long lines;          /* lines that parse */
	long line;           /* the line reading stopped at */
	off_t good;          /* bytes up to the end of the last whole line */
	off_t size;          /* of the file */
	int bad;             /* a line does not parse (diag_last says why) */
	int torn;            /* the last line has no LF */
	char *tail;          /* its bytes, owned */
	size_t tail_len;
	size_t longest;      /* the longest line */
	int outcomes_wanted; /* count the lines that are brain-eval outcomes */
	size_t outcomes;     /* ...that many */
	int not_outcome;     /* a line is not one */
};

static void read_line_of_log(struct log_read *lr, const struct jsonl_reader *r,
			     const char *line, size_t len)
{
	struct eval_outcome outcome;
	struct json_loc loc = jsonl_where(r);
	cJSON *o;

	if (!r->cur_has_lf) {
		lr->torn = 1;
		lr->tail = xmalloc(len + 1);
		memcpy(lr->tail, line, len);
		lr->tail_len = len;
		return;
	}
	if (json_parse_line_scratch(line, len, &loc, &o)) {
		lr->bad = 1;
		return;
	}
	if (lr->outcomes_wanted && eval_outcome_read(o, &outcome))
		lr->not_outcome = 1;
	lr->outcomes += lr->outcomes_wanted && !lr->not_outcome;
	json_scratch_drop(o);
	lr->lines++;
	lr->good = (off_t)r->bytes + (off_t)len + 1;
	if (len > lr->longest)
		lr->longest = len;
}

/* Read the log at fd line by line into lr (outcomes_wanted set by the
 * caller), until the end or the first line that does not parse. */
static void read_log(int fd, const char *path, int progress, struct log_read *lr)
{
	struct jsonl_reader r;
	const char *line;
	size_t len;
	int rc;
	FILE *q = quiet_begin();

	jsonl_open_fd(&r, fd, path, AUDIT_MAX_LINE * 64);
	while (!lr->bad && !lr->torn && (rc = jsonl_next_line(&r, &line, &len)) != JSONL_EOF) {
		if (rc)
			lr->bad = 1;
		else
			read_line_of_log(lr, &r, line, len);
		if (progress && (r.line & 0xffff) == 0)
			fprintf(stderr, "\r%s: %s: read %ld lines", diag_program(), path, r.line);
	}
	if (progress && r.line >= 0x10000)
		fprintf(stderr, "\n");
	quiet_end(q);
	lr->line = r.line;
	jsonl_close(&r);
	lr->size = lseek(fd, 0, SEEK_END);
}

/* Cut the torn tail off the log, keeping its bytes in rejects/ first. */
static void repair_tail(struct tally *t, struct state *st, const char *path,
			const struct log_read *lr, struct rejects *rj, cJSON *repairs)
{
	enum brain_status status = rejects_add(rj, path, lr->lines + 1, "torn tail from a crash",
					       lr->tail, lr->tail_len);
	int wfd;

	if (!status && (wfd = openat(st->dirfd, path, O_WRONLY | O_CLOEXEC)) >= 0) {
		if (ftruncate(wfd, lr->good) != 0 || fsync(wfd) != 0)
			status = BRAIN_IO;
		close(wfd);
	} else if (!status) {
		status = BRAIN_IO;
	}
	if (status) {
		report(t, "torn_tail", "FAIL", "%s: could not repair the torn tail", path);
	} else {
		cJSON *rep = cJSON_CreateObject();

		cJSON_AddStringToObject(rep, "file", path);
		cJSON_AddNumberToObject(rep, "bytes", (double)(lr->size - lr->good));
		cJSON_AddStringToObject(rep, "kept_in", rj->name);
		cJSON_AddItemToArray(repairs, rep);
		report(t, "torn_tail", "PASS", "%s: repaired, %lld torn bytes moved to rejects/",
		       path, (long long)(lr->size - lr->good));
	}
}

/* Every line of a JSON Lines log parses; a torn last line is reported
 * (and repaired: moved to rejects/ and cut off).  The outcomes of
 * eval/outcomes.jsonl are counted on the way, for check_eval. */
static void check_log(struct tally *t, struct state *st, const char *path, int repair,
		      struct rejects *rj, cJSON *repairs, struct shared_reads *sh)
{
	struct log_read lr = { 0 };
	int fd = openat(st->dirfd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	lr.outcomes_wanted = !strcmp(path, "eval/" EVAL_LOG);
	read_log(fd, path, t->cli->progress, &lr);
	close(fd);
	if (lr.outcomes_wanted) {
		/* As eval_metrics would read it: whole, every line an outcome. */
		sh->outcomes_done = !lr.bad && !lr.torn && !lr.not_outcome &&
				    lr.longest <= JSONL_DEFAULT_MAX_LINE;
		sh->outcomes = lr.outcomes;
	}
	if (lr.bad)
		report(t, "log_format", "FAIL", "%s:%ld: %s", path, lr.line, diag_last());
	else if (lr.torn && repair)
		repair_tail(t, st, path, &lr, rj, repairs);
	else if (lr.torn)
		report(t, "torn_tail", "FAIL", "%s ends in %zu torn bytes from a crash: run "
		       "brain-verify --repair", path, lr.tail_len);
	else
		report(t, "log_format", "PASS", "%s: %ld lines", path, lr.lines);
	free(lr.tail);
}

static void check_logs(struct tally *t, struct state *st, int repair, struct rejects *rj,
		       cJSON *repairs, struct shared_reads *sh)
{
	static const char *const logs[] = {
		"eval/outcomes.jsonl", "learning/records.jsonl", "learning/quarantine.jsonl",
		"learning/batches.jsonl",
		"learning/suppression.jsonl"
	};
	DIR *d;
	struct dirent *e;
	int fd;

	/* The pass over audit.log read every line as this check would. */
	if (sh->trail_done)
		report(t, "log_format", "PASS", "%s: %" PRIu64 " lines", AUDIT_LOG, sh->rep.size);
	else
		check_log(t, st, AUDIT_LOG, repair, rj, repairs, sh);
	for (size_t i = 0; i < sizeof(logs) / sizeof(logs[0]); i++)
		check_log(t, st, logs[i], repair, rj, repairs, sh);
	fd = openat(st->dirfd, "clones", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	while (d && (e = readdir(d))) {
		char path[300];

		if (!ident_valid(e->d_name))
			continue;
		snprintf(path, sizeof(path), "clones/%s/scores.jsonl", e->d_name);
		check_log(t, st, path, repair, rj, repairs, sh);
	}
	if (d)
		closedir(d);
}

/* The variants of s whose name or id ab_set_find takes to a script. */
static void gather_ab_scripts(const struct ab_set *s, struct ab_scripts *as)
{
	for (size_t i = 0; i < s->n; i++) {
		const char *keys[2] = { s->v[i].name, s->v[i].id };

		for (int k = 0; k < 2; k++) {
			unsigned char key[KEYSET_KEY];
			int at = ab_set_find(s, keys[k]);

			if (at < 0 || strcmp(s->v[at].kind, "script"))
				continue;
			keyset_key("script", keys[k], NULL, key);
			keyset_put(&as->names, key, 1);
		}
	}
}

static void check_ab(struct tally *t, struct state *st, struct ab_scripts *as)
{
	DIR *d;
	struct dirent *e;
	int fd = openat(st->dirfd, "ab", O_RDONLY | O_DIRECTORY | O_CLOEXEC), n = 0, bad = 0;

	d = fd >= 0 ? fdopendir(fd) : NULL;
	while (d && (e = readdir(d))) {
		struct ab_set s;
		int exists;
		FILE *q;

		if (!ident_valid(e->d_name))
			continue;
		q = quiet_begin();
		if (ab_load(st, e->d_name, &s, &exists)) {
			quiet_end(q);
			report(t, "ab_state", "FAIL", "ab/%s: %s", e->d_name, diag_last());
			bad = 1;
		} else {
			quiet_end(q);
			gather_ab_scripts(&s, as);
			n++;
		}
		ab_set_free(&s);
	}
	if (d)
		closedir(d);
	if (!bad)
		report(t, "ab_state", "PASS", "%d experiment(s) load", n);
}

static void check_models(struct tally *t, struct state *st)
{
	char detail[256];
	size_t n = 0, artifacts = 0;
	FILE *q = quiet_begin();
	enum brain_status status = model_store_check_all(st, &n, detail, sizeof(detail));
	enum brain_status art = model_store_verify_artifacts(st->dirfd, &artifacts);

	quiet_end(q);
	if (status)
		report(t, "models", "FAIL", "%s", *detail ? detail : diag_last());
	else
		report(t, "models", "PASS", "%zu model(s); serving versions and artifacts present", n);
	if (art)
		report(t, "artifacts", "FAIL", "%s", diag_last());
	else
		report(t, "artifacts", "PASS", "%zu artifact(s) match their SHA-256", artifacts);
}

/* The links of model versions to the batches they were trained on: only
 * when some version has one, so a state without lineage reads as before. */
static void check_lineage(struct tally *t, struct state *st)
{
	struct lineage_report r;
	FILE *q = quiet_begin();
	enum brain_status status = lineage_check(st, &r);

	quiet_end(q);
	if (status)
		report(t, "lineage", "FAIL", "%s", diag_last_where());
	else if (r.failed)
		report(t, "lineage", "FAIL", "%s", r.detail);
	else if (r.links)
		report(t, "lineage", "PASS", "%zu link(s) of %zu version(s) to batches as stored, "
		       "their sources allowed training when linked", r.links, r.versions);
	if (!status && r.warned)
		report(t, "lineage_now", "WARN", "%s", r.warning);
}

/* The clones' deployment files: only when there is one, so a state
 * without deployments reads as before.  Each loads, and at most one runs. */
static void check_deployments(struct tally *t, struct state *st)
{
	struct clone_deployment *d;
	size_t n, running = 0;
	FILE *q = quiet_begin();
	enum brain_status status = clone_store_deployments(st, &d, &n);

	quiet_end(q);
	for (size_t i = 0; !status && i < n; i++)
		running += !strcmp(d[i].state, "canary");
	if (status)
		report(t, "deployments", "FAIL", "%s", diag_last());
	else if (running > 1)
		report(t, "deployments", "FAIL", "%zu deployments run at once: one at a time",
		       running);
	else if (n)
		report(t, "deployments", "PASS", "%zu clone deployment(s) load, %zu running", n,
		       running);
	free(d);
}

/* Policy and record files as the audit trail last recorded them. */
static void check_bindings(struct tally *t, struct state *st, struct shared_reads *sh)
{
	struct binding_report r;
	FILE *q = quiet_begin();
	enum brain_status status = sh->trail_done
				   ? binding_trail_check(st, &sh->bindings, BRAIN_OK, &r)
				   : binding_check(st, &r);

	quiet_end(q);
	if (status)
		report(t, "bindings", "FAIL", "%s", diag_last_where());
	else if (!r.ok)
		report(t, "bindings", "FAIL", "%s; put it back, or accept it as it is with the "
		       "program that owns it ('brain config adopt' for config.json)", r.detail);
	else
		report(t, "bindings", "PASS", "%zu file(s) as the audit trail last recorded them",
		       r.files);
}

static void check_scripts(struct tally *t, struct state *st, struct shared_reads *sh)
{
	char detail[256];
	size_t n = 0;
	FILE *q = quiet_begin();
	enum brain_status status = sh->trail_done
				   ? script_trail_end(&sh->scripts, BRAIN_OK, &n)
				   : script_store_check(st, &n, detail, sizeof(detail));

	quiet_end(q);
	if (status)
		report(t, "scripts", "FAIL", "%s", sh->trail_done ? sh->scripts_detail : detail);
	else
		report(t, "scripts", "PASS", "%zu script(s); every status rebuilds from the audit trail", n);
}

/* Is name a registered script: a brain-ab variant of kind script, or a
 * brain-promote script? */
static int script_known(const char *name, char **promote, size_t np, struct ab_scripts *as)
{
	unsigned char key[KEYSET_KEY];

	for (size_t i = 0; i < np; i++)
		if (!strcmp(promote[i], name))
			return 1;
	keyset_key("script", name, NULL, key);
	return keyset_find(&as->names, key) != NULL;
}

static void check_packets(struct tally *t, struct state *st, struct ab_scripts *as)
{
	DIR *d;
	struct dirent *e;
	int fd = openat(st->dirfd, "packets", O_RDONLY | O_DIRECTORY | O_CLOEXEC), n = 0, bad = 0;
	char **promote = NULL;
	size_t np = 0;
	FILE *q = quiet_begin();

	script_store_names(st, 0, &promote, &np);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	while (d && (e = readdir(d)) && !bad) {
		char path[64], *text;
		size_t len;
		cJSON *p;
		const cJSON *basis, *s;

		if (strlen(e->d_name) != 24)
			continue;
		snprintf(path, sizeof(path), "packets/%s", e->d_name);
		if (file_read_all(st->dirfd, path, (size_t)1 << 24, &text, &len))
			continue;
		p = cJSON_ParseWithLength(text, len);
		free(text);
		basis = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
			p, "recommendation_basis"), "scripts");
		if (!cJSON_IsObject(p) || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(p, "scripts"))) {
			quiet_end(q);
			q = NULL;
			report(t, "packets", "FAIL", "%s is not a packet", path);
			bad = 1;
		}
		/* Scripts the packet was recommended from state must still exist;
		 * scripts an operator named are free text. */
		cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(p, "scripts")) {
			if (bad || !cJSON_IsString(basis) || !strcmp(basis->valuestring, "given"))
				break;
			if (!script_known(s->valuestring, promote, np, as)) {
				quiet_end(q);
				q = NULL;
				report(t, "packets", "FAIL", "%s recommends script '%s', which is no "
				       "longer registered", path, s->valuestring);
				bad = 1;
			}
		}
		cJSON_Delete(p);
		n++;
	}
	if (d)
		closedir(d);
	if (q)
		quiet_end(q);
	for (size_t i = 0; i < np; i++)
		free(promote[i]);
	free(promote);
	if (!bad)
		report(t, "packets", "PASS", "%d packet(s); their scripts exist", n);
}

static void check_eval(struct tally *t, struct state *st, const struct shared_reads *sh)
{
	char **names = NULL;
	size_t *counts = NULL, n = 0, total = 0;
	long audited = 0;
	FILE *q = quiet_begin();
	enum brain_status status = BRAIN_OK;

	if (sh->outcomes_done)
		total = sh->outcomes;
	else
		status = eval_metrics(st->dirfd, &names, &counts, &n);
	for (size_t i = 0; i < n; i++) {
		total += counts[i];
		free(names[i]);
	}
	free(names);
	free(counts);
	if (status) {
		quiet_end(q);
		report(t, "eval", "FAIL", "%s", diag_last());
		return;
	}
	if (sh->trail_done)
		audited = sh->eval_records;
	else
		audit_each(st->dirfd, count_outcome, &audited);
	quiet_end(q);
	if ((long)total != audited)
		report(t, "eval", "FAIL", "%zu outcomes stored but %ld in the audit trail", total, audited);
	else
		report(t, "eval", "PASS", "%zu outcome(s), each in the audit trail", total);
}

/* A change interrupted by a crash: change_lock finished it for --repair;
 * otherwise it waits for the next writer. */
static void check_journal(struct tally *t, struct state *st, enum change_recovery recovered,
			  cJSON *repairs)
{
	if (recovered != CHANGE_NONE) {
		int forward = recovered == CHANGE_FORWARD;

		report(t, "journal", "PASS", "an interrupted change was %s",
		       forward ? "published (its audit record had landed)"
			       : "undone (its audit record had not landed)");
		cJSON_AddItemToArray(repairs, cJSON_CreateString(forward ? "journal: published"
									 : "journal: undone"));
	} else if (change_pending(st->dirfd)) {
		report(t, "journal", "WARN", "an interrupted change waits in '" CHANGE_JOURNAL
		       "': the next writer or brain-verify --repair finishes it");
	} else {
		report(t, "journal", "PASS", "no interrupted change");
	}
}

/* Everything below the state directory private: 0600 files, 0700
 * directories (writers refuse what they touch otherwise). */
static void check_permissions(struct tally *t, struct state *st)
{
	struct state_open_entries o;

	if (state_find_open(st, &o))
		report(t, "permissions", "FAIL", "%s", diag_last_where());
	else if (o.count)
		report(t, "permissions", "FAIL", "%s is mode %04o%s: the state is kept private "
		       "(0600 files, 0700 directories); chmod go= it", o.first, o.first_mode,
		       o.count > 1 ? " (and more are open to others)" : "");
	else
		report(t, "permissions", "PASS", "every file 0600, every directory 0700 or "
		       "stricter");
}

/* Temporary files left by a crash: harmless, removed by --repair. */
static void check_temporaries(struct tally *t, struct state *st, int repair, cJSON *repairs)
{
	static const char *const dirs[] = { ".", "ab", "scripts", "models", "models/objects",
					    "packets", "learning", "gates", "eval" };
	long found = 0, removed = 0;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		int fd = openat(st->dirfd, dirs[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
		struct dirent *e;

		while (d && (e = readdir(d))) {
			if (e->d_name[0] != '.' || !strstr(e->d_name, ".tmp."))
				continue;
			found++;
			if (repair && unlinkat(dirfd(d), e->d_name, 0) == 0) {
				char path[512];

				snprintf(path, sizeof(path), "%s/%s", dirs[i], e->d_name);
				cJSON_AddItemToArray(repairs, cJSON_CreateString(path));
				removed++;
			}
		}
		if (d)
			closedir(d);
	}
	if (found == 0)
		report(t, "temporaries", "PASS", "no leftover temporary files");
	else if (removed == found)
		report(t, "temporaries", "PASS", "%ld leftover temporary file(s) removed", removed);
	else
		report(t, "temporaries", "WARN", "%ld leftover temporary file(s) from interrupted "
		       "writes: brain-verify --repair removes them", found - removed);
}

/* --- self-test --- */

/* Run one program in the throwaway state; its stdout in out (caller
 * frees).  Returns the exit status, -1 when it could not run. */
static int run(const char *dir, const char *program, const char *const *args,
	       const char *input, char **out)
{
	char *path = launch_sibling(program);
	int in[2], outp[2], status;
	pid_t pid;
	size_t len = 0, cap = 4096;
	ssize_t n;

	*out = xcalloc(1, cap);
	if (!path)
		return -1;
	if (pipe(in) || pipe(outp)) {
		free(path);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		char state[4200];
		const char *argv[32];
		int k = 0;
		int null = open("/dev/null", O_WRONLY);

		snprintf(state, sizeof(state), "%s/state", dir);
		setenv("BRAIN_STATE_DIR", state, 1);
		setenv("BRAIN_ACTOR", "self-test", 1);
		setenv("BRAIN_NOW", "2026-11-28T12:00:00Z", 1);
		dup2(in[0], 0);
		dup2(outp[1], 1);
		dup2(null, 2);
		close(in[1]);
		close(outp[0]);
		if (chdir(dir) != 0)
			_exit(127);
		argv[k++] = path;
		for (int i = 0; args[i] && k < 31; i++)
			argv[k++] = args[i];
		argv[k] = NULL;
		execv(path, (char *const *)argv);
		_exit(127);
	}
	free(path);
	close(in[0]);
	close(outp[1]);
	if (input && write(in[1], input, strlen(input)) < 0)
		status = -1;
	close(in[1]);
	while ((n = read(outp[0], *out + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 2) {
			cap *= 2;
			*out = xrealloc(*out, cap);
		}
	}
	(*out)[len] = '\0';
	close(outp[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct step {
	const char *check;         /* name in the report */
	const char *program;       /* brain-ab, ... */
	const char *args[12];
	const char *input;         /* stdin, or NULL */
	int status;                /* expected exit status */
	const char *expect;        /* substring the output must hold */
};

/* The seed's integrated workflow, block by block. */
static const struct step steps[] = {
	{ "self_test_ab_register", "ab", { "register", "--kind=script", "High-Energy", "Low-Pressure" },
	  NULL, 0, "\"variant_id\":\"low-pressure\"" },
	{ "self_test_ab_track", "ab", { "track", "-" }, NULL, 0, "\"status\":\"applied\"" },
	{ "self_test_ab_winner", "ab", { "winner", "--kind=script" }, NULL, 0,
	  "\"decision\":\"winner\",\"variant_name\":\"Low-Pressure\"" },
	{ "self_test_promote", "promote", { "evaluate", "-", "--register" },
	  "{\"script\":\"Closer\",\"performance\":0.85}\n{\"script\":\"Closer\",\"performance\":0.87}\n"
	  "{\"script\":\"Closer\",\"performance\":0.89}\n", 0, "\"new_status\":\"active\",\"action\":\"HOLD\"" },
	{ "self_test_packet", "packet", { "build", "--script=Script A", "--channel=Email" },
	  "{\"name\":\"Acme Corp\",\"value\":250000,\"terms\":\"net 30\"}\n", 0,
	  "\"lead_name\":\"Acme Corp\",\"deal_value\":250000" },
	{ "self_test_ingest_allowed", "ingest", { "sources", "allow", "Zillow" }, NULL, 0, "Zillow" },
	{ "self_test_ingest", "ingest", { "--source=Zillow" }, "{\"leads\":150}\n", 0,
	  "\"success\":true,\"accepted\":1" },
	{ "self_test_ingest_blocked", "ingest", { "--source=DarkWeb" }, "{\"leads\":10}\n", 1,
	  "\"success\":false" },
	{ "self_test_eval", "eval", { "record", "-" },
	  "{\"score\":0.85,\"label\":\"A/B winner\"}\n{\"score\":0.92,\"label\":\"Q4\"}\n", 0, "0.92" },
	{ "self_test_eval_trend", "eval", { "trend" }, NULL, 0, "\"trend\":\"improving\"" },
	{ "self_test_model_create", "model", { "create", "Lead Scorer", "--accuracy=0.85" }, NULL, 0,
	  "\"serving\":\"lead-scorer@1\"" },
	{ "self_test_model_update", "model", { "update", "lead-scorer", "--accuracy=0.88" }, NULL, 0,
	  "\"action\":\"UPDATED\"" },
	{ "self_test_model_rollback", "model", { "rollback", "lead-scorer" }, NULL, 0,
	  "\"to\":\"lead-scorer@1\"" },
	{ "self_test_score", "score", { "clone_alpha", "0.91", "0.88", "0.87", "0.90" }, NULL, 0,
	  "\"is_ready\":true" },
	{ "self_test_gate", "gate", { "clone_alpha", "0.85", "0.91", "false" }, NULL, 0,
	  "\"decision\":\"PROMOTE\"" },
	{ "self_test_gate_regression", "gate", { "clone_alpha", "0.85", "0.91", "true" }, NULL, 1,
	  "\"failed\":[\"no_regression\"]" },
	{ "self_test_audit", "audit", { "verify" }, NULL, 0, "\"ok\":true" },
	{ "self_test_verify", "verify", { NULL }, NULL, 0, "\"overall_status\":\"PASS\"" },
};

static char *track_input(void)
{
	/* 2,000 calls per script at 10 % and 14 %: a clear winner.  Each
	 * line is under 64 bytes. */
	size_t cap = 4000 * 64 + 1, len = 0;
	char *s = xmalloc(cap);

	for (int i = 0; i < 2000; i++)
		for (int v = 0; v < 2; v++) {
			int converted = v == 0 ? i % 10 == 0 : i % 50 < 7;

			len += (size_t)snprintf(s + len, cap - len,
						"{\"variant\":\"%s\",\"converted\":%s}\n",
						v ? "Low-Pressure" : "High-Energy", converted ? "true" : "false");
		}
	return s;
}

static void self_test(struct tally *t)
{
	char dir[] = "/tmp/brain-self-test-XXXXXX";
	char *track = track_input(), cmd[64];

	if (!mkdtemp(dir)) {
		report(t, "self_test", "FAIL", "cannot create a temporary directory");
		free(track);
		return;
	}
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		char *out;
		int rc = run(dir, (snprintf(cmd, sizeof(cmd), "%s", steps[i].program), cmd),
			     steps[i].args, steps[i].input ? steps[i].input
			     : !strcmp(steps[i].check, "self_test_ab_track") ? track : NULL, &out);

		if (rc < 0)
			report(t, steps[i].check, "FAIL", "brain-%s could not be run", steps[i].program);
		else if (rc != steps[i].status || !strstr(out, steps[i].expect))
			report(t, steps[i].check, "FAIL", "brain-%s exited %d (expected %d)%s%s",
			       steps[i].program, rc, steps[i].status,
			       strstr(out, steps[i].expect) ? "" : "; missing: ", strstr(out, steps[i].expect)
			       ? "" : steps[i].expect);
		else
			report(t, steps[i].check, "PASS", "brain-%s %s", steps[i].program,
			       steps[i].args[0] ? steps[i].args[0] : "");
		free(out);
	}
	free(track);
	/* The throwaway state goes with the directory. */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		report(t, "self_test_cleanup", "WARN", "could not remove %s", dir);
}

/* Audit the repairs made.  A repair that cannot be audited is reported
 * as a failed check. */
static void audit_repairs(struct tally *t, struct state *st, const cJSON *repairs)
{
	cJSON *details = cJSON_CreateObject();
	struct audit_event ev = { "state", "verify.repair", "SUCCESS", details, t->cli->reason,
				  NULL };
	struct audit_ack ack;
	FILE *q = quiet_begin();

	cJSON_AddItemToObject(details, "repairs", cJSON_Duplicate(repairs, 1));
	if (audit_append(st, NULL, &ev, &ack))
		report(t, "repair_audit", "FAIL", "the repair could not be audited: %s", diag_last());
	quiet_end(q);
	cJSON_Delete(details);
}

/* Every check of the state, in order; with --repair, what each repaired
 * is added to repairs and audited. */
static void check_state(struct tally *t, struct state *st, const struct verify_args *a,
			enum change_recovery recovered, cJSON *repairs)
{
	struct rejects rj;
	struct shared_reads sh;
	struct ab_scripts as;

	memset(&sh, 0, sizeof(sh));
	keyset_init(&as.names);
	rejects_init(&rj, st);
	check_format(t, st);
	check_config(t, st);
	check_journal(t, st, recovered, repairs);
	read_trail(t, st, a, &sh);
	check_logs(t, st, a->repair, &rj, repairs, &sh);
	check_audit(t, st, a, &sh);
	check_bindings(t, st, &sh);
	check_ab(t, st, &as);
	check_scripts(t, st, &sh);
	check_models(t, st);
	check_lineage(t, st);
	check_deployments(t, st);
	check_packets(t, st, &as);
	check_eval(t, st, &sh);
	check_temporaries(t, st, a->repair, repairs);
	check_permissions(t, st);
	keyset_free(&as.names);
	rejects_close(&rj);
	if (a->repair && cJSON_GetArraySize(repairs) > 0)
		audit_repairs(t, st, repairs);
}

/* The overall line (or, as text, the table and its sum); the status is
 * the first write error, else whether a check failed. */
static enum brain_status print_overall(struct tally *t)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "overall_status", t->failed ? "FAIL" : "PASS");
	cJSON_AddNumberToObject(o, "passed", (double)t->passed);
	cJSON_AddNumberToObject(o, "failed", (double)t->failed);
	cJSON_AddNumberToObject(o, "warnings", (double)t->warnings);
	if (t->table) {
		table_print(t->table, stdout);
		printf("%s: %ld passed, %ld failed, %ld warnings\n", t->failed ? "FAIL" : "PASS",
		       t->passed, t->failed, t->warnings);
		table_free(t->table);
	} else if (!t->io) {
		t->io = jsonl_write(stdout, o);
	}
	cJSON_Delete(o);
	if (t->io)
		return t->io;
	return t->failed ? BRAIN_NO : BRAIN_OK;
}

enum brain_status verify_cmd(const struct cli *cli, const struct verify_args *a)
{
	struct tally t = { cli, NULL, 0, 0, 0, BRAIN_OK };
	struct state st;
	enum brain_status status;
	cJSON *repairs;
	enum change_recovery recovered = CHANGE_NONE;
	FILE *quiet;

	if (cli->format == CLI_FORMAT_TEXT)
		t.table = table_new(3, (const char *[]){ "STATUS", "CHECK", "DETAIL" });
	/* The self-test needs no state: then a missing one is not news. */
	quiet = a->self_test && !a->repair ? quiet_begin() : NULL;
	status = state_open(&st, cli->state_dir, a->repair ? STATE_WRITE : STATE_READ);
	if (quiet)
		quiet_end(quiet);
	/* The repair takes the lock with --wait or 30 s: config.json may be
	 * what is broken. */
	if (!status && a->repair &&
	    (status = change_lock(&st, cli->wait >= 0 ? cli->wait : 30, &recovered)))
		state_close(&st);
	if (status && !a->self_test) {
		table_free(t.table);
		return status;
	}
	repairs = cJSON_CreateArray();
	if (!status) {
		check_state(&t, &st, a, recovered, repairs);
		state_close(&st);
	}
	/* --self-test without a state: only the self-test runs. */
	if (a->self_test)
		self_test(&t);
	cJSON_Delete(repairs);
	return print_overall(&t);
}
