/* audit_cmd.c - the brain-audit commands; see audit_cmd.h. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "core/audit.h"
#include "core/change.h"
#include "cmd/audit_cmd.h"
#include "cmd/render.h"
#include "core/audit_verify.h"
#include "core/checkpoint.h"
#include "core/clock.h"
#include "core/config.h"
#include "cmd/command.h"
#include "diag.h"
#include "core/jsonl.h"
#include "core/rejects.h"
#include "core/state.h"
#include "cmd/table.h"
#include "banned.h"

/* The text forms (cmd/text_form.h) of the verbs that print records. */
static const struct text_form ack_form = {
	NULL,
	(const struct text_field[]){ { "seq", "seq" }, { "id", "id" }, { "hash", "hash" },
				     { "already recorded", "existed" }, { NULL, NULL } },
	1, NULL
};

static const struct text_form head_form = {
	"The head of the audit log",
	(const struct text_field[]){ { "records", "size" }, { "hash", "hash" }, { NULL, NULL } },
	0, NULL
};

static const struct text_form init_form = {
	"The audit log is started",
	(const struct text_field[]){ { "records", "size" }, { "hash", "hash" },
				     { "MACs", "mac" }, { "K1 (shown once: keep it)", "k1" },
				     { NULL, NULL } },
	0, NULL
};

static const struct text_form keygen_form = {
	"Checkpoint key written: private key {private_key}, public key {public_key}",
	NULL, 0, NULL
};

static enum brain_status print_ack(const struct audit_ack *ack)
{
	cJSON *o = cJSON_CreateObject();
	enum brain_status status;

	cJSON_AddNumberToObject(o, "seq", (double)ack->seq);
	cJSON_AddStringToObject(o, "hash", ack->hash);
	cJSON_AddStringToObject(o, "id", ack->id);
	if (ack->existed)
		cJSON_AddBoolToObject(o, "existed", 1);
	render_form(&ack_form);
	status = jsonl_write(stdout, o);
	cJSON_Delete(o);
	return status;
}

/* Validate one event's strings; BRAIN_DATA (reported) when bad. */
static enum brain_status check_strings(const char *subject, const char *action,
				       const char *status, const struct json_loc *loc)
{
	const char *names[] = { "subject", "action", "status" };
	const char *values[] = { subject, action, status };

	for (int i = 0; i < 3; i++)
		if (!*values[i] || strlen(values[i]) > 1024)
			return diag_error_at(BRAIN_DATA, loc ? loc->file : NULL,
					     loc ? loc->line : 0,
					     "field '%s' must be 1 to 1024 characters", names[i]);
	return BRAIN_OK;
}

enum brain_status audit_cmd_log(const struct cli *cli, const char *subject,
				const char *action, const char *status_text,
				const char *details_json, const char *id)
{
	struct audit_event ev = { subject, action, status_text, NULL, cli->reason, id };
	struct audit_ack ack;
	struct state st;
	enum brain_status status;
	cJSON *details = NULL;

	if ((status = check_strings(subject, action, status_text, NULL)))
		return status;
	if (details_json) {
		details = cJSON_Parse(details_json);
		if (!cJSON_IsObject(details)) {
			cJSON_Delete(details);
			return diag_error(BRAIN_DATA, "--detail must be a JSON object");
		}
		ev.details = details;
	}
	if (cli->dry_run) {
		cJSON_Delete(details);
		return BRAIN_OK;
	}
	if ((status = change_begin(&st, cli->state_dir, cli->wait, NULL))) {
		cJSON_Delete(details);
		return status;
	}
	status = audit_append(&st, NULL, &ev, &ack);
	state_close(&st);
	cJSON_Delete(details);
	if (status)
		return status;
	return print_ack(&ack);
}

/* Events read from lines, and the parsed records that own their strings. */
struct batch {
	struct audit_event *evs;
	cJSON **recs;
	size_t n, cap;
};

static void batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		cJSON_Delete(b->recs[i]);
	free(b->evs);
	free(b->recs);
}

static enum brain_status parse_event(cJSON *rec, const struct json_loc *loc,
				     struct audit_event *ev)
{
	enum brain_status status;

	memset(ev, 0, sizeof(*ev));
	if ((status = json_get_string(rec, "subject", JSON_REQUIRED, loc, &ev->subject)) ||
	    (status = json_get_string(rec, "action", JSON_REQUIRED, loc, &ev->action)) ||
	    (status = json_get_string(rec, "status", JSON_REQUIRED, loc, &ev->status)) ||
	    (status = json_get_object(rec, "details", JSON_OPTIONAL, loc, &ev->details)) ||
	    (status = json_get_string(rec, "reason", JSON_OPTIONAL, loc, &ev->reason)) ||
	    (status = json_get_string(rec, "id", JSON_OPTIONAL, loc, &ev->id)))
		return status;
	if ((status = check_strings(ev->subject, ev->action, ev->status, loc)))
		return status;
	if (ev->id && (strlen(ev->id) != 32 || strspn(ev->id, "0123456789abcdef") != 32))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'id' must be 32 lowercase hex digits");
	return BRAIN_OK;
}

enum brain_status audit_cmd_read_event(cJSON *rec, const struct json_loc *loc)
{
	struct audit_event ev;

	return parse_event(rec, loc, &ev);
}

enum brain_status audit_cmd_log_stream(const struct cli *cli, const char *path)
{
	struct jsonl_reader r;
	struct batch b = { 0 };
	struct audit_ack *acks = NULL;
	struct rejects rj;
	struct state st;
	enum brain_status status, bad = BRAIN_OK;
	int opened = 0, rc;
	cJSON *rec;

	if ((status = jsonl_open(&r, path, AUDIT_MAX_LINE)))
		return status;
	/* Lock first: with --skip-invalid, rejects are written as they come. */
	if (!cli->dry_run) {
		if ((status = change_begin(&st, cli->state_dir, cli->wait, NULL)))
			goto out;
		opened = 1;
		rejects_init(&rj, &st);
	}
	while ((rc = jsonl_next(&r, &rec)) != JSONL_EOF) {
		struct json_loc loc = jsonl_where(&r);
		struct audit_event ev;

		if (rc == BRAIN_OK && !(rc = parse_event(rec, &loc, &ev))) {
			if (b.n == b.cap) {
				b.cap = b.cap ? 2 * b.cap : 256;
				b.evs = xrealloc(b.evs, b.cap * sizeof(*b.evs));
				b.recs = xrealloc(b.recs, b.cap * sizeof(*b.recs));
			}
			if (!ev.reason)
				ev.reason = cli->reason;
			b.evs[b.n] = ev;
			b.recs[b.n++] = rec;
			continue;
		}
		cJSON_Delete(rec);
		if (rc == BRAIN_IO) {
			status = BRAIN_IO;
			goto out;
		}
		if ((status = rejects_refuse(cli->skip_invalid, opened ? &rj : NULL, &r, &bad)))
			goto out;
	}
	if (b.n && !cli->dry_run) {
		acks = xcalloc(b.n, sizeof(*acks));
		status = audit_append_many(&st, NULL, b.evs, b.n, acks);
		rejects_close(&rj);
		state_close(&st);
		opened = 0;
		for (size_t i = 0; i < b.n && !status; i++)
			status = print_ack(&acks[i]);
	}
	if (!status)
		status = bad;
out:
	if (opened) {
		rejects_close(&rj);
		state_close(&st);
	}
	free(acks);
	batch_free(&b);
	jsonl_close(&r);
	return status;
}

/* A ring of the last `limit` output lines, for --limit. */
struct ring {
	char **lines;
	uint64_t limit, count;
};

static int matches(const struct audit_filter *f, const cJSON *rec, time_t ts)
{
	const char *fields[] = { "subject", "action", "status", "actor" };
	const char *wanted[] = { f->subject, f->action, f->status, f->actor };

	for (int i = 0; i < 4; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, fields[i]);

		if (wanted[i] && (!cJSON_IsString(v) || strcmp(v->valuestring, wanted[i])))
			return 0;
	}
	if (f->has_since && ts < f->since)
		return 0;
	if (f->has_until && ts >= f->until)
		return 0;
	return 1;
}

static const char *string_of(const cJSON *rec, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, name);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* One output record: seq, timestamp, actor, subject, action, status,
 * details, reason (when given), program. */
static cJSON *show_record(const cJSON *line, const cJSON *rec)
{
	cJSON *o = cJSON_CreateObject();
	const cJSON *details = cJSON_GetObjectItemCaseSensitive(rec, "details");
	const cJSON *reason = cJSON_GetObjectItemCaseSensitive(rec, "reason");

	cJSON_AddItemToObject(o, "seq", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(line, "seq"), 0));
	cJSON_AddStringToObject(o, "timestamp", string_of(line, "ts"));
	cJSON_AddStringToObject(o, "actor", string_of(rec, "actor"));
	cJSON_AddStringToObject(o, "subject", string_of(rec, "subject"));
	cJSON_AddStringToObject(o, "action", string_of(rec, "action"));
	cJSON_AddStringToObject(o, "status", string_of(rec, "status"));
	cJSON_AddItemToObject(o, "details", details ? cJSON_Duplicate(details, 1)
					     : cJSON_CreateObject());
	if (cJSON_IsString(reason))
		cJSON_AddStringToObject(o, "reason", reason->valuestring);
	cJSON_AddStringToObject(o, "program", string_of(rec, "program"));
	return o;
}

static void ring_push(struct ring *r, char *text)
{
	if (r->limit == 0) {
		r->lines = xrealloc(r->lines, (r->count + 1) * sizeof(*r->lines));
		r->lines[r->count++] = text;
		return;
	}
	free(r->lines[r->count % r->limit]);
	r->lines[r->count % r->limit] = text;
	r->count++;
}

struct shown {
	const struct audit_filter *f;
	struct ring *ring;
};

static int show_one(void *arg, const cJSON *line, const cJSON *rec, uint64_t seq)
{
	struct shown *sh = arg;
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(rec, "type");
	time_t ts = 0;

	(void)seq;
	if (cJSON_IsString(type) && !strcmp(type->valuestring, "event") &&
	    !time_text_parse(string_of(line, "ts"), &ts) && matches(sh->f, rec, ts)) {
		cJSON *o = show_record(line, rec);

		ring_push(sh->ring, json_print_compact(o));
		cJSON_Delete(o);
	}
	return 0;
}


#define DETAILS_MAX 72

/* A record's details for the text table: its members as key=value, an
 * object as {...} and a list as [N], cut to DETAILS_MAX bytes with "...";
 * --format=jsonl prints them whole. */
static char *details_summary(const cJSON *details)
{
	char *out = xmalloc(DETAILS_MAX + 4), *p = out;
	size_t left = DETAILS_MAX;
	const cJSON *m, *obj = cJSON_IsObject(details) ? details : NULL;

	*out = '\0';
	cJSON_ArrayForEach(m, obj) {
		char value[48], *num = NULL;
		int n;

		if (cJSON_IsString(m))
			snprintf(value, sizeof(value), "%s", m->valuestring);
		else if (cJSON_IsObject(m))
			snprintf(value, sizeof(value), "{...}");
		else if (cJSON_IsArray(m))
			snprintf(value, sizeof(value), "[%d]", cJSON_GetArraySize(m));
		else
			snprintf(value, sizeof(value), "%s", (num = json_print_compact(m)) ? num : "");
		free(num);
		n = snprintf(p, left + 1, "%s%s=%s", p == out ? "" : " ", m->string, value);
		if (n < 0 || (size_t)n > left) {
			/* Cut at a UTF-8 boundary. */
			size_t at = DETAILS_MAX - 3;

			while (at > 0 && ((unsigned char)out[at] & 0xC0) == 0x80)
				at--;
			memcpy(out + at, "...", 4);
			return out;
		}
		p += n;
		left -= (size_t)n;
	}
	return out;
}

enum brain_status audit_cmd_show(const struct cli *cli, const struct audit_filter *f)
{
	struct state st;
	struct ring ring = { NULL, f->limit, 0 };
	struct shown sh = { f, &ring };
	enum brain_status status;
	uint64_t first, n;

	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	if (f->limit)
		ring.lines = xcalloc(f->limit, sizeof(*ring.lines));
	status = audit_each(st.dirfd, show_one, &sh);
	if (status == BRAIN_NO)
		status = diag_error(BRAIN_STATE, "%s/" AUDIT_LOG " does not exist", st.path);
	state_close(&st);
	n = ring.limit && ring.count > ring.limit ? ring.limit : ring.count;
	first = ring.count - n;
	if (!status && cli->format == CLI_FORMAT_TEXT) {
		struct table *t = table_new(7, (const char *[]){ "SEQ", "TIME", "ACTOR",
			"SUBJECT", "ACTION", "STATUS", "DETAILS" });

		for (uint64_t i = first; i < ring.count; i++) {
			char *text = ring.lines[ring.limit ? i % ring.limit : i];
			cJSON *o = cJSON_Parse(text);
			char seq[24], *details = details_summary(
				cJSON_GetObjectItemCaseSensitive(o, "details"));

			snprintf(seq, sizeof(seq), "%.0f",
				 cJSON_GetObjectItemCaseSensitive(o, "seq")->valuedouble);
			table_add(t, (const char *[]){ seq, string_of(o, "timestamp"),
				string_of(o, "actor"), string_of(o, "subject"), string_of(o, "action"),
				string_of(o, "status"), details });
			free(details);
			cJSON_Delete(o);
		}
		table_print(t, stdout);
		table_free(t);
	} else if (!status) {
		for (uint64_t i = first; i < ring.count && !status; i++) {
			const char *line = ring.lines[ring.limit ? i % ring.limit : i];

			status = render_line(line, strlen(line));
		}
	}
	for (uint64_t i = 0; i < (ring.limit ? n : ring.count); i++)
		free(ring.lines[i]);
	free(ring.lines);
	return status;
}

enum brain_status audit_cmd_verify(const struct cli *cli, const char *key_path,
				   const char *pubkey_path, const char *const *anchors,
				   size_t nanchors)
{
	struct audit_verify_opts o = { key_path, pubkey_path, anchors, nanchors, cli->progress,
				       NULL, NULL };
	struct audit_report rep;
	struct state st;
	enum brain_status status;
	cJSON *line;

	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	status = audit_verify(st.dirfd, &o, &rep);
	state_close(&st);
	if (status)
		return status;
	line = audit_report_json(&rep);
	if (cli->format == CLI_FORMAT_TEXT) {
		if (rep.ok)
			printf("intact: %" PRIu64 " records, head %s, MAC %s, %zu checkpoints "
			       "(signatures %s), %zu anchors, %" PRIu64 " warnings\n", rep.size,
			       rep.hash, rep.mac, rep.checkpoints, rep.signatures, rep.anchors,
			       rep.warnings);
		else
			printf("NOT intact: %s at record %" PRIu64 ": %s\n", rep.error, rep.seq,
			       rep.detail);
	} else {
		status = jsonl_write(stdout, line);
	}
	cJSON_Delete(line);
	if (status)
		return status;
	return rep.ok ? BRAIN_OK : BRAIN_NO;
}

enum brain_status audit_cmd_head(const struct cli *cli)
{
	struct state st;
	enum brain_status status;
	uint64_t size;
	char hash[65];
	cJSON *o;

	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	status = audit_head(st.dirfd, &size, hash);
	state_close(&st);
	if (status)
		return status;
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "size", (double)size);
	cJSON_AddStringToObject(o, "hash", hash);
	render_form(&head_form);
	status = jsonl_write(stdout, o);
	cJSON_Delete(o);
	return status;
}

enum brain_status audit_cmd_init(const struct cli *cli, const char *origin, int mac)
{
	struct state st;
	enum brain_status status;
	unsigned char k1[32];
	char hex[65], hash[65];
	uint64_t size;
	cJSON *o;

	if (origin && !config_origin_valid(origin))
		return diag_error(BRAIN_USAGE, "--origin must be 1 to 255 of A-Z a-z 0-9 . _ / -");
	if (cli->dry_run)
		return BRAIN_OK;
	if ((status = change_begin(&st, cli->state_dir, cli->wait, NULL)))
		return status;
	status = audit_init(&st, origin, mac, k1);
	if (!status)
		status = audit_head(st.dirfd, &size, hash);
	state_close(&st);
	if (status)
		return status;
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "size", (double)size);
	cJSON_AddStringToObject(o, "hash", hash);
	cJSON_AddStringToObject(o, "mac", mac ? "fs-hmac-sha256" : "none");
	if (mac) {
		hash_hex(k1, 32, hex);
		cJSON_AddStringToObject(o, "k1", hex);
		OPENSSL_cleanse(hex, sizeof(hex));
		OPENSSL_cleanse(k1, sizeof(k1));
	}
	render_form(&init_form);
	status = jsonl_write(stdout, o);
	cJSON_Delete(o);
	return status;
}

enum brain_status audit_cmd_keygen(const struct cli *cli, const char *out)
{
	enum brain_status status;
	size_t n = strlen(out) + 5;
	char *pub;
	cJSON *o;

	if (cli->dry_run)
		return BRAIN_OK;
	if ((status = checkpoint_keygen(out)))
		return status;
	pub = xmalloc(n);
	snprintf(pub, n, "%s.pub", out);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "private_key", out);
	cJSON_AddStringToObject(o, "public_key", pub);
	render_form(&keygen_form);
	status = jsonl_write(stdout, o);
	cJSON_Delete(o);
	free(pub);
	return status;
}

enum brain_status audit_cmd_checkpoint(const struct cli *cli, const char *key_path)
{
	struct state st;
	enum brain_status status;
	char *note = NULL;

	if ((status = change_begin(&st, cli->state_dir, cli->wait, NULL)))
		return status;
	status = audit_checkpoint(&st, key_path, &note);
	state_close(&st);
	if (!status)
		fputs(note, stdout);
	free(note);
	return status;
}
