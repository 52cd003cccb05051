/* ingest_cmd.c - brain-ingest's commands; see ingest_cmd.h. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/clock.h"
#include "core/change.h"
#include "cmd/command.h"
#include "cmd/render.h"
#include "diag.h"
#include "core/file.h"
#include "pure/hash.h"
#include "pure/ident.h"
#include "pure/idset.h"
#include "cmd/ingest_cmd.h"
#include "core/ingest_seen.h"
#include "core/ingest_store.h"
#include "pure/compliance.h"
#include "pure/contact.h"
#include "core/jsonl.h"
#include "pure/keyset.h"
#include "cmd/table.h"
#include "banned.h"

#define RECORDS "records.jsonl"
#define QUARANTINE "quarantine.jsonl"
#define MAX_RECORD ((size_t)1 << 20)
/* The longest input line taken: a longer record is quarantined whole up
 * to this, so that the quarantine's lines stay readable. */
#define MAX_LINE (MAX_RECORD * 2)
#define READ_CHUNK ((size_t)1 << 17)
#define STAGE_BUFFER ((size_t)1 << 16)
#define PROGRESS_EVERY 65536L

static const char *const all_uses[] = { "training", "outreach", "display" };

static int use_valid(const char *u)
{
	for (size_t i = 0; i < 3; i++)
		if (!strcmp(u, all_uses[i]))
			return 1;
	return 0;
}

/* --- the allow-list --- */

/* The text forms (cmd/text_form.h) of the verbs that print records. */
static const struct text_form sources_form = {
	NULL,
	(const struct text_field[]){ { "source", "name" }, { "uses", "uses" },
				     { "route", "route" }, { "licence", "licence" },
				     { "allowed at", "allowed_at" }, { "by", "actor" },
				     { NULL, NULL } },
	1, NULL
};

static const struct text_form allow_form = {
	"Source {name} allowed",
	(const struct text_field[]){ { "uses", "uses" }, { "route", "route" },
				     { "licence", "licence" }, { "allowed at", "allowed_at" },
				     { "by", "actor" }, { NULL, NULL } },
	0, NULL
};

static const struct text_form deny_form = {
	"Source {name} denied",
	(const struct text_field[]){ { "was allowed", "was_allowed" }, { NULL, NULL } }, 0, NULL
};

static const struct text_form batch_form = {
	"{source}: {reason}",
	(const struct text_field[]){ { "batch", "batch_id" }, { "success", "success" },
				     { "accepted", "accepted" }, { "duplicates", "duplicates" },
				     { "quarantined", "rejected" }, { NULL, NULL } },
	0, NULL
};

static const struct text_form show_form = {
	NULL,
	(const struct text_field[]){ { "ingested", "ingested_at" }, { "batch", "batch_id" },
				     { "source", "source" }, { "use", "use" }, { "line", "line" },
				     { "record", "record" }, { NULL, NULL } },
	1, NULL
};

static const struct text_form quarantine_form = {
	NULL,
	(const struct text_field[]){ { "at", "ts" }, { "batch", "batch_id" },
				     { "source", "source" }, { "line", "line" },
				     { "reason", "reason" }, { "record", "record" }, { NULL, NULL } },
	1, NULL
};

static const struct text_form reviewed_form = {
	"Quarantine reviewed: {quarantined} records in it",
	(const struct text_field[]){ { "newly reviewed", "newly_reviewed" },
				     { "reviewed at", "reviewed_at" }, { "by", "actor" },
				     { NULL, NULL } },
	0, NULL
};

static const struct text_form batches_form = {
	NULL,
	(const struct text_field[]){ { "batch", "batch_id" }, { "source", "source" },
				     { "use", "use" }, { "licence", "licence" },
				     { "ingested", "ingested_at" }, { "accepted", "accepted" },
				     { "duplicates", "duplicates" }, { "quarantined", "rejected" },
				     { NULL, NULL } },
	1, NULL
};

static const struct text_form stats_form = {
	NULL,
	(const struct text_field[]){ { "source", "source" }, { "records", "records" },
				     { "batches", "batches" }, { "refused", "batches_refused" },
				     { "quarantined", "quarantined" },
				     { "last ingested", "last_ingested" }, { NULL, NULL } },
	1, NULL
};

enum brain_status ingest_cmd_sources(const struct cli *cli)
{
	struct state st;
	enum brain_status status;
	cJSON *list, *s;

	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	status = ingest_store_sources(st.dirfd, &list);
	state_close(&st);
	if (status)
		return status;
	render_form(&sources_form);
	cJSON_ArrayForEach(s, list) {
		if ((status = jsonl_write(stdout, s)))
			break;
	}
	cJSON_Delete(list);
	return status;
}

enum brain_status ingest_cmd_allow(const struct cli *cli, const struct ingest_args *a,
				   const char *name)
{
	struct state st;
	enum brain_status status;
	char now[TIME_TEXT_SIZE];
	cJSON *list, *entry, *uses = cJSON_CreateArray();
	const char *p = a->uses ? a->uses : "training";
	time_t t;

	if ((status = ident_check_name(name, "source name")) || (status = clock_now(&t))) {
		cJSON_Delete(uses);
		return status;
	}
	time_text_format(t, now);
	while (*p) {
		char use[32];
		size_t n = strcspn(p, ",");

		snprintf(use, sizeof(use), "%.*s", (int)(n < 31 ? n : 31), p);
		if (!use_valid(use)) {
			cJSON_Delete(uses);
			return diag_error(BRAIN_USAGE, "--uses takes training, outreach and display, "
					  "not '%s'", use);
		}
		cJSON_AddItemToArray(uses, cJSON_CreateString(use));
		p += n + (p[n] == ',');
	}
	entry = cJSON_CreateObject();
	cJSON_AddStringToObject(entry, "name", name);
	cJSON_AddStringToObject(entry, "route", a->route ? a->route : "");
	cJSON_AddStringToObject(entry, "licence", a->licence ? a->licence : "");
	cJSON_AddItemToObject(entry, "uses", uses);
	cJSON_AddStringToObject(entry, "allowed_at", now);
	cJSON_AddStringToObject(entry, "actor", audit_actor());
	status = command_open_state(cli, &st);
	if (status) {
		cJSON_Delete(entry);
		return status;
	}
	if (!(status = ingest_store_sources(st.dirfd, &list))) {
		/* Replace any entry of the same name (case-insensitive). */
		cJSON *s = list->child;
		int i = 0;

		while (s) {
			cJSON *next = s->next;
			const cJSON *n = cJSON_GetObjectItemCaseSensitive(s, "name");

			if (cJSON_IsString(n) && !strcasecmp(n->valuestring, name))
				cJSON_DeleteItemFromArray(list, i);
			else
				i++;
			s = next;
		}
		cJSON_AddItemToArray(list, cJSON_Duplicate(entry, 1));
		if (!cli->dry_run)
			status = ingest_store_save_sources(&st, list, &(struct audit_event){
				name, "ingest.allow", "SUCCESS", entry, cli->reason, NULL });
		cJSON_Delete(list);
	}
	state_close(&st);
	render_form(&allow_form);
	if (!status)
		status = jsonl_write(stdout, entry);
	cJSON_Delete(entry);
	return status;
}

enum brain_status ingest_cmd_deny(const struct cli *cli, const char *name)
{
	struct state st;
	enum brain_status status;
	cJSON *list, *out;
	int removed = 0;

	status = command_open_state(cli, &st);
	if (status)
		return status;
	if (!(status = ingest_store_sources(st.dirfd, &list))) {
		cJSON *s = list->child;
		int i = 0;

		while (s) {
			cJSON *next = s->next;
			const cJSON *n = cJSON_GetObjectItemCaseSensitive(s, "name");

			if (cJSON_IsString(n) && !strcasecmp(n->valuestring, name)) {
				cJSON_DeleteItemFromArray(list, i);
				removed = 1;
			} else {
				i++;
			}
			s = next;
		}
		out = cJSON_CreateObject();
		cJSON_AddStringToObject(out, "name", name);
		cJSON_AddBoolToObject(out, "denied", 1);
		cJSON_AddBoolToObject(out, "was_allowed", removed);
		if (!cli->dry_run)
			status = ingest_store_save_sources(&st, list, &(struct audit_event){
				name, "ingest.deny", "SUCCESS", out, cli->reason, NULL });
		cJSON_Delete(list);
		state_close(&st);
		render_form(&deny_form);
		if (!status)
			status = jsonl_write(stdout, out);
		cJSON_Delete(out);
		return status;
	}
	state_close(&st);
	return status;
}

/* --- ingesting --- */

/* The key of a record's id from source (matched case-insensitively). */
static void source_id_key(const char *source, const char *id, unsigned char key[KEYSET_KEY])
{
	char lower[256];
	size_t i;

	for (i = 0; source[i] && i + 1 < sizeof(lower); i++)
		lower[i] = (char)tolower((unsigned char)source[i]);
	lower[i] = '\0';
	keyset_key("id", lower, id, key);
}

/* What a content key in seen stands for. */
enum content { CONTENT_STORED, CONTENT_QUARANTINED };

/* The key in seen of a record's content (the first bytes of its SHA-256,
 * md) as stored or as quarantined, the two told apart by a bit.  These
 * keys live in memory only: the digest is one already, and need not be
 * hashed again as keyset_key would. */
static void content_key(const unsigned char *md, enum content kind,
			unsigned char key[KEYSET_KEY])
{
	memcpy(key, md, KEYSET_KEY);
	if (kind == CONTENT_QUARANTINED)
		key[0] ^= 0x80;
}

/* The same from a stored "sha256" field; 0 when it holds no SHA-256 (64
 * lowercase hex digits), which no record's content can then match. */
static int stored_content_key(const cJSON *sha, enum content kind,
			      unsigned char key[KEYSET_KEY])
{
	unsigned char md[KEYSET_KEY];

	if (!cJSON_IsString(sha) || strlen(sha->valuestring) != 64 ||
	    strspn(sha->valuestring, "0123456789abcdef") != 64 ||
	    hash_unhex(sha->valuestring, sizeof(md), md))
		return 0;
	content_key(md, kind, key);
	return 1;
}

/* The compliance fields of one lead, as given and as normalised. */
struct lead {
	const char *phone, *email;   /* as given, or NULL; once replaced, only tested for NULL */
	char norm_phone[32];         /* the phone, normalised */
	char norm_email[320];        /* the email, normalised */
	int dnc;                     /* on a do-not-call list */
	int opt_all;                 /* opted out of every channel */
	int opt_phone;               /* opted out of phone (or sms) */
	int opt_email;               /* opted out of email */
};

/* What opt_out says: true for every channel, or a list of channels
 * (sms counts as phone; other channels are ignored). */
static enum brain_status read_opt_out(const cJSON *opt, const struct json_loc *loc,
				      struct lead *l)
{
	const cJSON *c;

	if (!opt)
		return BRAIN_OK;
	if (cJSON_IsBool(opt)) {
		l->opt_all = cJSON_IsTrue(opt);
		return BRAIN_OK;
	}
	if (!cJSON_IsArray(opt))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'opt_out' must be true, false or a list of channels");
	cJSON_ArrayForEach(c, opt) {
		if (!cJSON_IsString(c))
			return diag_error_at(BRAIN_DATA, loc->file, loc->line,
					     "field 'opt_out' must be true, false or a list "
					     "of channels");
		if (!strcasecmp(c->valuestring, "email"))
			l->opt_email = 1;
		else if (!strcasecmp(c->valuestring, "phone") || !strcasecmp(c->valuestring, "sms"))
			l->opt_phone = 1;
	}
	return BRAIN_OK;
}

/* Add to supp what may no longer be contacted. */
static void suppress(cJSON *supp, const struct lead *l, const char *source, const char *now)
{
	struct {
		int on;
		const char *kind, *value, *rule;
	} entries[] = {
		{ l->phone && l->dnc, "phone", l->norm_phone, "dnc" },
		{ l->phone && (l->opt_all || l->opt_phone), "phone", l->norm_phone, "opt_out" },
		{ l->email && (l->opt_all || l->opt_email), "email", l->norm_email, "opt_out" },
	};

	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		cJSON *e;

		if (!entries[i].on)
			continue;
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "kind", entries[i].kind);
		cJSON_AddStringToObject(e, "value", entries[i].value);
		cJSON_AddStringToObject(e, "rule", entries[i].rule);
		cJSON_AddStringToObject(e, "source", source);
		cJSON_AddStringToObject(e, "ts", now);
		cJSON_AddItemToArray(supp, e);
	}
}

/* Check and normalise the compliance fields of a lead in place.  The
 * suppression entries it implies are added to supp. */
static enum brain_status normalise(cJSON *rec, const struct json_loc *loc, cJSON *supp,
				   const char *source, const char *now)
{
	enum brain_status status;
	struct lead l;
	struct compliance ev;
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "id");

	memset(&l, 0, sizeof(l));
	if ((status = json_get_string(rec, "phone", JSON_OPTIONAL, loc, &l.phone)) ||
	    (status = json_get_string(rec, "email", JSON_OPTIONAL, loc, &l.email)) ||
	    (status = json_get_bool(rec, "dnc", JSON_OPTIONAL, loc, &l.dnc)))
		return status;
	if (id && !cJSON_IsString(id) && !cJSON_IsNumber(id))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'id' must be a string or a number");
	/* Consent, revocation and scrubs: pure/compliance.h, strictly. */
	status = compliance_read(rec, loc, COMPLIANCE_STRICT, &ev);
	compliance_free(&ev);
	if (status ||
	    (status = read_opt_out(cJSON_GetObjectItemCaseSensitive(rec, "opt_out"), loc, &l)))
		return status;
	if (l.phone && contact_normalise_phone(l.phone, l.norm_phone, sizeof(l.norm_phone)))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'phone' is not a phone number");
	if (l.email && contact_normalise_email(l.email, l.norm_email, sizeof(l.norm_email)))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'email' is not an email address");
	if (l.phone)
		cJSON_ReplaceItemInObjectCaseSensitive(rec, "phone", cJSON_CreateString(l.norm_phone));
	if (l.email)
		cJSON_ReplaceItemInObjectCaseSensitive(rec, "email", cJSON_CreateString(l.norm_email));
	suppress(supp, &l, source, now);
	ingest_suppression_revocation_entries(rec, l.phone ? l.norm_phone : NULL,
					      l.email ? l.norm_email : NULL, source, now, supp);
	return BRAIN_OK;
}

enum brain_status ingest_cmd_read_lead(cJSON *rec, const struct json_loc *loc, cJSON *supp)
{
	return normalise(rec, loc, supp, "fuzz", "2026-12-01T00:00:00Z");
}

static cJSON *summary(const char *source, int success, double accepted, double rejected,
		      double duplicates, const char *batch, const char *reason)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "source", source);
	cJSON_AddBoolToObject(o, "success", success);
	cJSON_AddNumberToObject(o, "accepted", accepted);
	cJSON_AddNumberToObject(o, "rejected", rejected);
	cJSON_AddNumberToObject(o, "duplicates", duplicates);
	if (batch)
		cJSON_AddStringToObject(o, "batch_id", batch);
	else
		cJSON_AddNullToObject(o, "batch_id");
	cJSON_AddStringToObject(o, "reason", reason);
	return o;
}

/* The learning/ logs a batch appends to, in the order they are staged
 * and appended. */
enum { STAGED_RECORDS, STAGED_QUARANTINE, STAGED_SUPPRESSION, STAGED_LOGS };
static const char *const staged_log[STAGED_LOGS] = { RECORDS, QUARANTINE, INGEST_SUPPRESSION };

/* One batch being ingested: what its steps share.  Nothing in it grows
 * with the input but the identities in seen: the input is read twice (or
 * copied once, when it cannot be), and what the batch will append is
 * staged in files without names in the state directory. */
struct batch {
	const struct cli *cli;     /* the options */
	const struct ingest_args *a; /* --source and --use */
	const char *use;           /* the use asked for */
	const char *name;          /* the input in messages: its path or "stdin" */
	const char *canonical;     /* the source's name as allowed; borrowed from the allow-list */
	const char *licence;       /* its licence there, for the batch record; borrowed */
	char now[TIME_TEXT_SIZE];  /* when, on every line stored */
	char sha[65];              /* SHA-256 of the whole input */
	char id[20];               /* the batch id: "b-" and 16 hex digits of sha */
	int in;                    /* the input: stdin, or the file named (owned) */
	int reread;                /* 1: in is a regular file, read again from start */
	off_t start;               /* where the input starts in it */
	struct stat was;           /* that file when the first pass began */
	FILE *spool;               /* else the copy of the input read again; owned */
	off_t len;                 /* bytes of input */
	long lines;                /* lines of input, for the progress line */
	int ends_lf;               /* its last byte is LF */
	char *head;                /* the input while it is at most MAX_RECORD bytes; owned */
	int single;                /* the input is one object over several lines */
	struct idset seen;         /* what is stored already, and what this batch adds */
	char *prefix;              /* every stored line's start, up to "ingested_at"; owned */
	FILE *staged[STAGED_LOGS]; /* the lines for each log; owned; NULL in a dry run */
	FILE *keys;                /* the chunk of learning/seen.keys; owned; NULL in a dry run */
	uint64_t nkeys;            /* keys in it */
	int fresh;                 /* the logs were read whole: keys has all their keys */
	double accepted, rejected, duplicates, suppressed; /* the counts of the summary */
	int progress_shown;        /* a progress line is on stderr, to end with LF */
	char *buffers[STAGED_LOGS + 2]; /* of the staging files (spool, staged, keys); owned */
	size_t nbuffers;
};

/* Check the options and open the input.  On failure nothing is left to
 * free. */
static enum brain_status batch_begin(struct batch *b, const struct cli *cli,
				     const struct ingest_args *a, const char *path)
{
	enum brain_status status;
	time_t t;

	memset(b, 0, sizeof(*b));
	b->cli = cli;
	b->a = a;
	b->use = a->use ? a->use : "training";
	b->name = path && strcmp(path, "-") ? path : "stdin";
	b->in = STDIN_FILENO;
	if (!a->source)
		return diag_error(BRAIN_USAGE, "ingesting needs --source=NAME");
	if (!use_valid(b->use))
		return diag_error(BRAIN_USAGE, "--use takes training, outreach or display, "
				  "not '%s'", b->use);
	if ((status = clock_now(&t)))
		return status;
	time_text_format(t, b->now);
	if (path && strcmp(path, "-") && (b->in = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return diag_errno(BRAIN_IO, errno, "cannot open '%s'", path);
	idset_init(&b->seen);
	return BRAIN_OK;
}

static void batch_free(struct batch *b)
{
	if (b->in != STDIN_FILENO)
		close(b->in);
	if (b->spool)
		fclose(b->spool);
	for (int i = 0; i < STAGED_LOGS; i++)
		if (b->staged[i])
			fclose(b->staged[i]);
	if (b->keys)
		fclose(b->keys);
	/* After the files they buffered are closed. */
	for (size_t i = 0; i < b->nbuffers; i++)
		free(b->buffers[i]);
	free(b->head);
	free(b->prefix);
	idset_free(&b->seen);
}

/* A file without a name in the state directory (dirfd) for *fp, with a
 * buffer of STAGE_BUFFER bytes that b keeps until it is freed (the
 * default's few KiB would cost a system call every dozen lines; setvbuf
 * without a buffer of its own keeps that size). */
static enum brain_status stage_file(struct batch *b, int dirfd, FILE **fp)
{
	enum brain_status status;
	int fd;

	/* The spool, the staged logs and the keys: never more. */
	if (b->nbuffers == sizeof(b->buffers) / sizeof(*b->buffers))
		return diag_error(BRAIN_IO, "internal error: more staging files than buffers");
	if ((status = file_temp(dirfd, &fd)))
		return status;
	if (!(*fp = fdopen(fd, "w+"))) {
		close(fd);
		return diag_errno(BRAIN_IO, errno, "cannot open a staging file");
	}
	b->buffers[b->nbuffers] = xmalloc(STAGE_BUFFER);
	setvbuf(*fp, b->buffers[b->nbuffers++], _IOFBF, STAGE_BUFFER);
	return BRAIN_OK;
}

/* The progress line after every PROGRESS_EVERY lines: of lines read on
 * the first pass (of is 0), of lines checked on the second. */
static void progress(struct batch *b, long done, long of)
{
	if (!b->cli->progress || done % PROGRESS_EVERY)
		return;
	if (of)
		fprintf(stderr, "\r%s: %ld of %ld lines checked", diag_program(), done, of);
	else
		fprintf(stderr, "\r%s: %ld lines read", diag_program(), done);
	b->progress_shown = 1;
}

static void progress_end(struct batch *b)
{
	if (b->progress_shown)
		fputc('\n', stderr);
	b->progress_shown = 0;
}

/* 1 when the input is one JSON object over several lines (the seed's
 * {"leads":150} pretty-printed): then it is one record. */
static int one_object(const char *input, size_t len)
{
	cJSON *whole = cJSON_ParseWithLength(input, len);
	const char *first_nl = memchr(input, '\n', len);
	int single = 0;

	if (cJSON_IsObject(whole) && first_nl && first_nl < input + len - 1) {
		cJSON *first = cJSON_ParseWithLength(input, (size_t)(first_nl - input));

		single = !cJSON_IsObject(first);
		cJSON_Delete(first);
	}
	cJSON_Delete(whole);
	return single;
}

/* Take n bytes just read (at buf) into the first pass: the line count,
 * the head, the copy. */
static void read_chunk(struct batch *b, const char *buf, size_t n)
{
	const char *p = buf, *end = buf + n, *lf;

	while ((lf = memchr(p, '\n', (size_t)(end - p)))) {
		progress(b, ++b->lines, 0);
		p = lf + 1;
	}
	if (b->head && b->len + (off_t)n <= (off_t)MAX_RECORD)
		memcpy(b->head + b->len, buf, n);
	else if (b->head) {
		free(b->head);
		b->head = NULL;
	}
	if (b->spool)
		fwrite(buf, 1, n, b->spool);
	b->len += (off_t)n;
	b->ends_lf = buf[n - 1] == '\n';
}

/* The first pass over the input: its SHA-256 (the batch id), size and
 * lines; whether it is one object over several lines; and, when it cannot
 * be read again (a pipe), a copy in the state directory (dirfd).  No lock
 * is held: a slow pipe keeps no other writer waiting. */
static enum brain_status batch_read(struct batch *b, int dirfd)
{
	enum brain_status status = BRAIN_OK;
	struct hash_stream h;
	char *buf;

	if (fstat(b->in, &b->was) == 0 && S_ISREG(b->was.st_mode) &&
	    (b->start = lseek(b->in, 0, SEEK_CUR)) >= 0)
		b->reread = 1;
	else if ((status = stage_file(b, dirfd, &b->spool)))
		return status;
	buf = xmalloc(READ_CHUNK);
	b->head = xmalloc(MAX_RECORD);
	hash_stream_begin(&h);
	for (;;) {
		ssize_t n = read(b->in, buf, READ_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			status = diag_errno(BRAIN_IO, errno, "%s: read error", b->name);
		if (n <= 0)
			break;
		hash_stream_add(&h, buf, (size_t)n);
		read_chunk(b, buf, (size_t)n);
	}
	free(buf);
	hash_stream_end(&h, b->sha);
	snprintf(b->id, sizeof(b->id), "b-%.16s", b->sha);
	if (b->len && !b->ends_lf)
		b->lines++;
	if (!status && b->spool && (fflush(b->spool) != 0 || ferror(b->spool)))
		status = diag_errno(BRAIN_IO, errno, "cannot copy %s to the state directory", b->name);
	b->single = b->head && one_object(b->head, (size_t)b->len);
	return status;
}

/* Refused: nothing stored, the refusal itself is audited. */
static enum brain_status refuse(const struct batch *b, struct state *st, const cJSON *src)
{
	cJSON *details = cJSON_CreateObject(), *line;
	struct audit_event ev = { b->a->source, "ingest.refused", "BLOCKED", details,
				  b->cli->reason, NULL };
	struct audit_ack ack;
	enum brain_status status = BRAIN_OK;
	char reason[256];

	if (src)
		snprintf(reason, sizeof(reason), "source '%s' is not allowed for %s",
			 b->a->source, b->use);
	else
		snprintf(reason, sizeof(reason), "source '%s' is not on the allow-list",
			 b->a->source);
	cJSON_AddStringToObject(details, "source", b->a->source);
	cJSON_AddStringToObject(details, "use", b->use);
	cJSON_AddNumberToObject(details, "bytes", (double)b->len);
	cJSON_AddStringToObject(details, "sha256", b->sha);
	cJSON_AddStringToObject(details, "reason", reason);
	if (!b->cli->dry_run)
		status = audit_append(st, NULL, &ev, &ack);
	cJSON_Delete(details);
	state_close(st);
	line = summary(b->a->source, 0, 0, 0, 0, NULL, reason);
	render_form(&batch_form);
	if (!status)
		status = jsonl_write(stdout, line);
	cJSON_Delete(line);
	return status ? status : BRAIN_NO;
}

/* Stage o as a line of a learning/ log (nothing in a dry run).  A write
 * error shows when the batch is committed. */
static void stage(struct batch *b, int log, const cJSON *o)
{
	size_t n;
	char *line;

	if (!b->staged[log])
		return;
	line = json_format_line(o, &n);
	if (line)
		fwrite(line, 1, n, b->staged[log]);
	free(line);
}

/* The SHA-256 of one record's bytes. */
struct digest {
	unsigned char md[32];      /* as bytes, for its key */
	char hex[65];              /* as stored */
};

/* Add key to seen: 1 when it is new, and then it is staged for
 * learning/seen.keys too. */
static int seen_add(struct batch *b, const unsigned char *key)
{
	if (!idset_add(&b->seen, key))
		return 0;
	if (b->keys && fwrite(key, 1, IDSET_KEPT, b->keys) == IDSET_KEPT)
		b->nkeys++;
	return 1;
}

/* The size of learning/<name> (0 when there is none), or -1. */
static off_t log_size(int learnfd, const char *name)
{
	struct stat sb;

	if (learnfd < 0 || fstatat(learnfd, name, &sb, 0) != 0)
		return learnfd < 0 || errno == ENOENT ? 0 : -1;
	return sb.st_size;
}

/* 1 when learning/<name> holds at least its first off bytes, ending a
 * line: a cover from seen.keys that still stands; 0 when it does not, -1
 * (reported) when the log cannot be read. */
static int covers(int learnfd, const char *name, uint64_t off)
{
	off_t size = log_size(learnfd, name);
	char last = 0;
	int fd;

	if (size < 0)
		return diag_errno(BRAIN_IO, errno, "cannot read learning/%s", name), -1;
	if (off == 0 || (uint64_t)size < off)
		return off == 0;
	if ((fd = openat(learnfd, name, O_RDONLY | O_CLOEXEC)) < 0)
		return diag_errno(BRAIN_IO, errno, "cannot read learning/%s", name), -1;
	if (pread(fd, &last, 1, (off_t)off - 1) != 1)
		last = 0;
	close(fd);
	return last == '\n';
}

/* Add the identities of learning/<name> past its first off bytes to seen:
 * the SHA-256 of each line (as kind) and, for records, its (source, id). */
static enum brain_status seen_scan_log(struct batch *b, int learnfd, const char *name,
				       uint64_t off, enum content kind)
{
	struct jsonl_reader r;
	char label[64];
	int fd = openat(learnfd, name, O_RDONLY | O_CLOEXEC), rc;
	cJSON *line;

	if (fd < 0 && errno == ENOENT)
		return BRAIN_OK;
	if (fd < 0 || lseek(fd, (off_t)off, SEEK_SET) < 0) {
		if (fd >= 0)
			close(fd);
		return diag_errno(BRAIN_IO, errno, "cannot read learning/%s", name);
	}
	snprintf(label, sizeof(label), "learning/%s", name);
	jsonl_open_fd(&r, fd, label, MAX_RECORD * (kind == CONTENT_STORED ? 2 : 8));
	while ((rc = jsonl_next(&r, &line)) != JSONL_EOF && rc != BRAIN_IO) {
		const cJSON *sha = cJSON_GetObjectItemCaseSensitive(line, "sha256");
		const cJSON *src = cJSON_GetObjectItemCaseSensitive(line, "source");
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(line, "record"), "id");
		unsigned char key[KEYSET_KEY];

		if (rc == BRAIN_OK && stored_content_key(sha, kind, key))
			seen_add(b, key);
		if (rc == BRAIN_OK && kind == CONTENT_STORED && cJSON_IsString(src) &&
		    cJSON_IsString(id)) {
			source_id_key(src->valuestring, id->valuestring, key);
			seen_add(b, key);
		}
		cJSON_Delete(line);
	}
	jsonl_close(&r);
	close(fd);
	return rc == BRAIN_IO ? BRAIN_IO : BRAIN_OK;
}

/* What is stored, into seen: the keys of learning/seen.keys, and the
 * lines of the logs it does not cover yet (all of them when it is missing
 * or no longer matches them), which are staged for it in turn. */
static enum brain_status seen_scan(struct batch *b, int learnfd)
{
	struct ingest_seen_cover cover;
	int records, quarantine;
	enum brain_status status;

	if (!ingest_seen_load(learnfd, &b->seen, &cover) && b->keys &&
	    (status = ingest_seen_clear(learnfd)))
		return status;
	if ((records = covers(learnfd, RECORDS, cover.records)) < 0 ||
	    (quarantine = covers(learnfd, QUARANTINE, cover.quarantine)) < 0)
		return BRAIN_IO;
	if (!records || !quarantine) {
		idset_free(&b->seen);
		memset(&cover, 0, sizeof(cover));
	}
	b->fresh = !cover.records && !cover.quarantine;
	if ((status = seen_scan_log(b, learnfd, RECORDS, cover.records, CONTENT_STORED)))
		return status;
	return seen_scan_log(b, learnfd, QUARANTINE, cover.quarantine, CONTENT_QUARANTINED);
}

/* Quarantine a bad record, once: the same bad line again adds nothing.
 * The reason is the diagnostic just reported. */
static void quarantine_add(struct batch *b, const char *line, size_t n, long lineno,
			   const struct digest *d)
{
	unsigned char key[KEYSET_KEY];
	cJSON *q;
	char *raw;

	content_key(d->md, CONTENT_QUARANTINED, key);
	if (!seen_add(b, key))
		return;
	q = cJSON_CreateObject();
	raw = xmalloc(n + 1);
	memcpy(raw, line, n);
	raw[n] = '\0';
	if (!json_utf8_valid(raw, n))
		for (size_t i = 0; i < n; i++)
			raw[i] = (unsigned char)raw[i] >= 0x80 ? '?' : raw[i];
	cJSON_AddStringToObject(q, "source", b->canonical);
	cJSON_AddStringToObject(q, "batch_id", b->id);
	cJSON_AddNumberToObject(q, "line", (double)lineno);
	cJSON_AddStringToObject(q, "reason", diag_last());
	cJSON_AddStringToObject(q, "record", raw);
	cJSON_AddStringToObject(q, "sha256", d->hex);
	cJSON_AddStringToObject(q, "ts", b->now);
	stage(b, STAGED_QUARANTINE, q);
	cJSON_Delete(q);
	free(raw);
}

/* The (source, id) key of a record into idkey; 0 when it has no id. */
static int id_key(const struct batch *b, const cJSON *rec, unsigned char idkey[KEYSET_KEY])
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "id");
	char idtext[64];

	if (!id)
		return 0;
	if (cJSON_IsNumber(id))
		snprintf(idtext, sizeof(idtext), "%.17g", id->valuedouble);
	source_id_key(b->canonical, cJSON_IsString(id) ? id->valuestring : idtext, idkey);
	return 1;
}

/* Stage the line of records.jsonl of an accepted record: the batch's
 * prefix, as cJSON printed it, then the record's own members, as cJSON
 * would print them in the whole object
 * {"source","use","batch_id","ingested_at","sha256","line","record"}. */
static void stage_record(struct batch *b, const cJSON *rec, long lineno, const char *hex)
{
	FILE *fp = b->staged[STAGED_RECORDS];
	size_t n;
	char *text;

	if (!fp || !(text = json_format_line(rec, &n)))
		return;
	fprintf(fp, "%s,\"sha256\":\"%s\",\"line\":%ld,\"record\":", b->prefix, hex, lineno);
	fwrite(text, 1, n - 1, fp);
	fputs("}\n", fp);
	free(text);
}

/* Accept a checked record (taking rec and implied) unless its content or
 * its id is stored already. */
static void accept_record(struct batch *b, cJSON *rec, cJSON *implied, long lineno,
			  const struct digest *d)
{
	unsigned char key[KEYSET_KEY], idkey[KEYSET_KEY];
	int has_id = id_key(b, rec, idkey);
	const cJSON *e;

	content_key(d->md, CONTENT_STORED, key);
	if (idset_has(&b->seen, key) || (has_id && idset_has(&b->seen, idkey))) {
		b->duplicates++;
		cJSON_Delete(rec);
		cJSON_Delete(implied);
		return;
	}
	/* Only an accepted record adds to the suppression list. */
	cJSON_ArrayForEach(e, implied) {
		stage(b, STAGED_SUPPRESSION, e);
		b->suppressed++;
	}
	cJSON_Delete(implied);
	seen_add(b, key);
	if (has_id)
		seen_add(b, idkey);
	stage_record(b, rec, lineno, d->hex);
	cJSON_Delete(rec);
	b->accepted++;
}

/* One record of the input (n bytes at line): checked and normalised,
 * then quarantined, counted a duplicate or accepted. */
static void take_record(struct batch *b, const char *line, size_t n, long lineno)
{
	struct json_loc loc = { b->name, lineno };
	cJSON *rec = NULL, *implied = cJSON_CreateArray();
	enum brain_status rc;
	struct digest d;

	hash_sha256_parts(1, (const void *[]){ line }, &n, d.md);
	hash_hex(d.md, sizeof(d.md), d.hex);
	if (n > MAX_RECORD)
		rc = diag_error_at(BRAIN_DATA, loc.file, loc.line, "record longer than %zu bytes",
				   MAX_RECORD);
	else if (!(rc = json_parse_line(line, n, &loc, &rec)))
		rc = normalise(rec, &loc, implied, b->canonical, b->now);
	if (rc) {
		cJSON_Delete(implied);
		cJSON_Delete(rec);
		b->rejected++;
		quarantine_add(b, line, n, lineno, &d);
		return;
	}
	accept_record(b, rec, implied, lineno, &d);
}

/* A line too long to keep even in the quarantine (reported by the
 * reader): the batch cannot be stored, not even in part. */
static enum brain_status line_too_long(const struct batch *b)
{
	if (b->cli->skip_invalid)
		return diag_error(BRAIN_DATA, "a line over %zu bytes cannot be kept in the "
				  "quarantine: nothing is stored", MAX_LINE);
	return BRAIN_DATA;
}

/* 1 when the file read again is still what the first pass hashed: the
 * same file, size, and times of the last change (which every write
 * moves). */
static int unchanged(const struct batch *b)
{
	struct stat now;

	return fstat(b->in, &now) == 0 && now.st_dev == b->was.st_dev &&
	       now.st_ino == b->was.st_ino && now.st_size == b->was.st_size &&
	       now.st_size - b->start == b->len &&
	       now.st_mtim.tv_sec == b->was.st_mtim.tv_sec &&
	       now.st_mtim.tv_nsec == b->was.st_mtim.tv_nsec &&
	       now.st_ctim.tv_sec == b->was.st_ctim.tv_sec &&
	       now.st_ctim.tv_nsec == b->was.st_ctim.tv_nsec;
}

/* The type of a lead column in CSV input, by the record schema of
 * brain-ingest(1): phones, zip codes and ids stay text even when they
 * are digits; dnc is a flag, opt_out a flag or a list of channels,
 * consent.channels and revocation.channels lists; the deal figures are
 * numbers. */
static enum csv_type csv_column(const char *column)
{
	static const char *const numbers[] = { "arv", "repairs", "assignment_fee",
		"purchase_price", "price", "offer", "beds", "baths", "sqft", "year_built", "score" };

	if (!strcmp(column, "dnc"))
		return CSV_BOOL;
	if (!strcmp(column, "opt_out"))
		return CSV_BOOL_OR_LIST;
	if (!strcmp(column, "consent.channels") || !strcmp(column, "revocation.channels"))
		return CSV_LIST;
	for (size_t i = 0; i < sizeof(numbers) / sizeof(*numbers); i++)
		if (!strcmp(column, numbers[i]))
			return CSV_NUMBER;
	return CSV_STRING;
}

/* Every line of the input in turn, on the second pass; blank lines count
 * in the line numbers only. */
static enum brain_status take_lines(struct batch *b)
{
	struct jsonl_reader r;
	enum brain_status status = BRAIN_OK;
	int fd = b->reread ? b->in : fileno(b->spool), rc;
	const char *line;
	size_t len;

	if (lseek(fd, b->reread ? b->start : 0, SEEK_SET) < 0)
		return diag_errno(BRAIN_IO, errno, "%s: cannot read it again", b->name);
	jsonl_open_fd(&r, fd, b->name, MAX_LINE);
	jsonl_csv(&r, b->cli->input, csv_column);
	while (!status && (rc = jsonl_next_line(&r, &line, &len)) != JSONL_EOF) {
		if (rc) {
			/* CSV reports its own errors; a JSON line over the limit is ours. */
			status = rc == BRAIN_DATA && !jsonl_is_csv(&r) ? line_too_long(b)
				 : (enum brain_status)rc;
			break;
		}
		progress(b, r.line, b->lines);
		if (!json_blank(line, len))
			take_record(b, line, len, r.line);
	}
	jsonl_close(&r);
	if (!status && b->reread && !unchanged(b))
		status = diag_error(BRAIN_DATA, "%s changed while it was read: nothing is stored",
				    b->name);
	return status;
}

/* Every record of the input: its lines, or the whole input when it is one
 * object. */
static enum brain_status take_records(struct batch *b)
{
	enum brain_status status = BRAIN_OK;

	if (b->single)
		take_record(b, b->head, (size_t)b->len, 1);
	else
		status = take_lines(b);
	progress_end(b);
	return status;
}

/* The details of the batch's audit record (caller deletes). */
static cJSON *batch_details(const struct batch *b)
{
	cJSON *details = cJSON_CreateObject();

	cJSON_AddStringToObject(details, "source", b->canonical);
	cJSON_AddStringToObject(details, "use", b->use);
	cJSON_AddStringToObject(details, "batch_id", b->id);
	cJSON_AddStringToObject(details, "input", b->name);
	cJSON_AddNumberToObject(details, "bytes", (double)b->len);
	cJSON_AddStringToObject(details, "sha256", b->sha);
	cJSON_AddNumberToObject(details, "accepted", b->accepted);
	cJSON_AddNumberToObject(details, "rejected", b->rejected);
	cJSON_AddNumberToObject(details, "duplicates", b->duplicates);
	cJSON_AddNumberToObject(details, "suppressed", b->suppressed);
	return details;
}

/* Add the lines staged for the learning/ log name to the change, the log
 * opened for appending into *fd. */
static enum brain_status append_log(struct change *c, int learnfd, const char *name,
				    FILE *staged, int *fd)
{
	char path[64];
	off_t len;

	if (fflush(staged) != 0 || ferror(staged) || (len = ftello(staged)) < 0)
		return diag_errno(BRAIN_IO, errno, "cannot stage the lines of learning/%s", name);
	if (!len)
		return BRAIN_OK;
	if (file_append_open(learnfd, name, fd))
		return BRAIN_IO;
	if (file_ends_with_newline(*fd, &(off_t){ 0 }) == 0)
		return diag_error(BRAIN_STATE, "learning/%s ends in a torn line from a crash; "
				  "run 'brain-verify --repair'", name);
	snprintf(path, sizeof(path), "learning/%s", name);
	change_append_file(c, path, *fd, fileno(staged), len);
	return BRAIN_OK;
}

/* The batch's line of learning/batches.jsonl (caller frees): what a model
 * trained on it links to (brain-model --trained-on), with the source's
 * licence and the use as they were when the batch was taken. */
static char *batch_record(const struct batch *b, size_t *len)
{
	cJSON *o = cJSON_CreateObject();
	char *line;

	cJSON_AddStringToObject(o, "batch_id", b->id);
	cJSON_AddStringToObject(o, "source", b->canonical);
	cJSON_AddStringToObject(o, "use", b->use);
	cJSON_AddStringToObject(o, "licence", b->licence ? b->licence : "");
	cJSON_AddStringToObject(o, "ingested_at", b->now);
	cJSON_AddStringToObject(o, "sha256", b->sha);
	cJSON_AddNumberToObject(o, "accepted", b->accepted);
	cJSON_AddNumberToObject(o, "duplicates", b->duplicates);
	cJSON_AddNumberToObject(o, "rejected", b->rejected);
	line = json_format_line(o, len);
	cJSON_Delete(o);
	return line;
}

/* Add the batch's record to the change, learning/batches.jsonl opened for
 * appending into *fd; the line (*line, the caller frees) stays until the
 * change is committed. */
static enum brain_status append_batch_record(struct change *c, const struct batch *b,
					     int learnfd, int *fd, char **line)
{
	size_t len;

	if (file_append_open(learnfd, INGEST_BATCHES, fd))
		return BRAIN_IO;
	if (file_ends_with_newline(*fd, &(off_t){ 0 }) == 0)
		return diag_error(BRAIN_STATE, "learning/" INGEST_BATCHES " ends in a torn line "
				  "from a crash; run 'brain-verify --repair'");
	*line = batch_record(b, &len);
	change_append(c, "learning/" INGEST_BATCHES, *fd, *line, len);
	return BRAIN_OK;
}

/* Add the batch's chunk of learning/seen.keys to the change (after the
 * logs it covers), its header saying what they will hold; the log opened
 * for appending into *fd.  Nothing when the batch adds no key. */
static enum brain_status append_keys(struct change *c, int learnfd, const struct batch *b,
				     int *fd)
{
	unsigned char header[INGEST_SEEN_HEADER];
	struct ingest_seen_cover after;
	off_t records = log_size(learnfd, RECORDS), quarantine = log_size(learnfd, QUARANTINE);
	off_t staged_records = ftello(b->staged[STAGED_RECORDS]);
	off_t staged_quarantine = ftello(b->staged[STAGED_QUARANTINE]);
	off_t len;

	if (!b->nkeys)
		return BRAIN_OK;
	if (records < 0 || quarantine < 0 || staged_records < 0 || staged_quarantine < 0)
		return diag_errno(BRAIN_IO, errno, "cannot read the size of the learning/ logs");
	after.records = (uint64_t)(records + staged_records);
	after.quarantine = (uint64_t)(quarantine + staged_quarantine);
	ingest_seen_header(&after, b->nkeys, b->fresh, header);
	if (fflush(b->keys) != 0 || ferror(b->keys) || (len = ftello(b->keys)) < 0 ||
	    pwrite(fileno(b->keys), header, sizeof(header), 0) != (ssize_t)sizeof(header))
		return diag_errno(BRAIN_IO, errno, "cannot stage the keys of learning/%s",
				  INGEST_SEEN);
	if (file_append_open(learnfd, INGEST_SEEN, fd))
		return BRAIN_IO;
	change_append_file(c, "learning/" INGEST_SEEN, *fd, fileno(b->keys), len);
	return BRAIN_OK;
}

/* Append the staged lines to the three learning/ logs and the keys to
 * seen.keys with the batch's record and its audit record, as one change: all of it is
 * stored, or none. */
static enum brain_status batch_commit(const struct batch *b, struct state *st, int learnfd)
{
	cJSON *details = batch_details(b);
	struct audit_event ev = { b->canonical, "ingest.batch", "SUCCESS", details,
				  b->cli->reason, NULL };
	struct audit_ack ack;
	struct change c;
	enum brain_status status = BRAIN_OK;
	int fds[STAGED_LOGS + 1] = { -1, -1, -1, -1 }, batchfd = -1;
	char *record = NULL;

	change_fault("ingest-staged");
	change_init(&c, st);
	for (int i = 0; i < STAGED_LOGS && !status; i++)
		status = append_log(&c, learnfd, staged_log[i], b->staged[i], &fds[i]);
	if (!status)
		status = append_batch_record(&c, b, learnfd, &batchfd, &record);
	if (!status)
		status = append_keys(&c, learnfd, b, &fds[STAGED_LOGS]);
	if (!status)
		status = change_commit(&c, NULL, &ev, 1, &ack);
	else
		change_abort(&c);
	for (int i = 0; i <= STAGED_LOGS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (batchfd >= 0)
		close(batchfd);
	free(record);
	cJSON_Delete(details);
	return status;
}

/* Print the summary line, the state closed first.  A batch with records
 * quarantined (under --skip-invalid) still fails, and is no success when
 * it accepted none: only its quarantined lines were stored. */
static enum brain_status batch_summary(const struct batch *b, struct state *st)
{
	enum brain_status status;
	char reason[256];
	int success = b->accepted > 0 || b->rejected == 0;
	cJSON *line;

	snprintf(reason, sizeof(reason), "%.0f accepted, %.0f duplicate(s), %.0f quarantined",
		 b->accepted, b->duplicates, b->rejected);
	state_close(st);
	line = summary(b->canonical, success, b->accepted, b->rejected, b->duplicates, b->id,
		       reason);
	render_form(&batch_form);
	status = jsonl_write(stdout, line);
	cJSON_Delete(line);
	if (!status && b->rejected)
		status = BRAIN_DATA;
	return status;
}

/* The start of every line the batch stores in records.jsonl, printed by
 * cJSON once: {"source","use","batch_id","ingested_at" and no closing
 * brace (caller frees). */
static char *stored_prefix(const struct batch *b)
{
	cJSON *o = cJSON_CreateObject();
	char *text;

	cJSON_AddStringToObject(o, "source", b->canonical);
	cJSON_AddStringToObject(o, "use", b->use);
	cJSON_AddStringToObject(o, "batch_id", b->id);
	cJSON_AddStringToObject(o, "ingested_at", b->now);
	text = json_print_compact(o);
	cJSON_Delete(o);
	text[strlen(text) - 1] = '\0';
	return text;
}

/* Check the batch's records against what is stored (learnfd), staging
 * what it adds in the state directory (dirfd) unless it is a dry run. */
static enum brain_status batch_check(struct batch *b, int dirfd, int learnfd)
{
	enum brain_status status = BRAIN_OK;

	b->prefix = stored_prefix(b);
	if (!b->cli->dry_run) {
		file_temp_sweep(dirfd);
		for (int i = 0; i < STAGED_LOGS && !status; i++)
			status = stage_file(b, dirfd, &b->staged[i]);
		if (!status && !(status = stage_file(b, dirfd, &b->keys)))
			fwrite((unsigned char[INGEST_SEEN_HEADER]){ 0 }, 1, INGEST_SEEN_HEADER,
			       b->keys);
	}
	if (!status)
		status = seen_scan(b, learnfd);
	if (!status)
		status = take_records(b);
	idset_free(&b->seen);
	if (!status && b->rejected && !b->cli->skip_invalid)
		status = BRAIN_DATA;   /* all or nothing: the bad records were reported */
	return status;
}

enum brain_status ingest_cmd_ingest(const struct cli *cli, const struct ingest_args *a,
				    const char *path)
{
	struct batch b;
	struct state st;
	enum brain_status status;
	cJSON *sources = NULL, *src;
	int learnfd = -1;

	if ((status = batch_begin(&b, cli, a, path)))
		return status;
	if ((status = state_open(&st, cli->state_dir, cli->dry_run ? STATE_READ : STATE_WRITE)))
		goto out_input;
	/* The input is read before the lock is taken, as it always was. */
	if ((status = batch_read(&b, st.dirfd)) ||
	    (!cli->dry_run && (status = change_lock(&st, cli->wait, NULL))) ||
	    (status = ingest_store_sources(st.dirfd, &sources)))
		goto out;
	src = ingest_store_source_find(sources, a->source);
	if (!ingest_store_source_allows(src, b.use)) {
		status = refuse(&b, &st, src);
		goto out;
	}
	b.canonical = cJSON_GetObjectItemCaseSensitive(src, "name")->valuestring;
	b.licence = json_string_or_empty(src, "licence");
	if ((status = state_subdir(&st, "learning", !cli->dry_run, &learnfd)) == BRAIN_NO)
		status = BRAIN_OK;
	if (!status)
		status = batch_check(&b, st.dirfd, learnfd);
	if (!status && !cli->dry_run)
		status = batch_commit(&b, &st, learnfd);
	if (!status)
		status = batch_summary(&b, &st);
out:
	progress_end(&b);
	if (learnfd >= 0)
		close(learnfd);
	state_close(&st);
out_input:
	cJSON_Delete(sources);
	batch_free(&b);
	return status;
}

/* Stream a learning/ log through a filter. */
static enum brain_status stream(const struct cli *cli, const char *name,
				int (*keep)(const cJSON *line, const void *arg), const void *arg)
{
	struct state st;
	struct jsonl_reader r;
	enum brain_status status;
	char path[64];
	int fd, rc;
	cJSON *line;

	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	snprintf(path, sizeof(path), "learning/%s", name);
	fd = openat(st.dirfd, path, O_RDONLY | O_CLOEXEC);
	state_close(&st);
	if (fd < 0)
		return errno == ENOENT ? BRAIN_OK : diag_errno(BRAIN_STATE, errno, "%s", path);
	jsonl_open_fd(&r, fd, path, MAX_RECORD * 2);
	while (!status && (rc = jsonl_next(&r, &line)) != JSONL_EOF) {
		if (rc)
			status = BRAIN_STATE;
		else if (!keep || keep(line, arg))
			status = jsonl_write(stdout, line);
		cJSON_Delete(line);
	}
	jsonl_close(&r);
	close(fd);
	return status;
}

struct show_filter {
	const char *source, *batch;
	time_t since;
	int has_since;
};

static int show_keep(const cJSON *line, const void *arg)
{
	const struct show_filter *f = arg;
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(line, "source");
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(line, "batch_id");
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(line, "ingested_at");
	time_t t;

	if (f->source && (!cJSON_IsString(s) || strcasecmp(s->valuestring, f->source)))
		return 0;
	if (f->batch && (!cJSON_IsString(b) || strcmp(b->valuestring, f->batch)))
		return 0;
	if (f->has_since && (!cJSON_IsString(at) || time_text_parse(at->valuestring, &t) || t < f->since))
		return 0;
	return 1;
}

enum brain_status ingest_cmd_show(const struct cli *cli, const struct ingest_args *a)
{
	struct show_filter f = { a->source, a->batch, 0, 0 };

	if (a->since) {
		if (time_text_parse(a->since, &f.since))
			return diag_error(BRAIN_USAGE, "--since needs an RFC 3339 time");
		f.has_since = 1;
	}
	render_form(&show_form);
	return stream(cli, RECORDS, show_keep, &f);
}

enum brain_status ingest_cmd_quarantine(const struct cli *cli)
{
	render_form(&quarantine_form);
	return stream(cli, QUARANTINE, NULL, NULL);
}

enum brain_status ingest_cmd_reviewed(const struct cli *cli)
{
	struct state st;
	char now[TIME_TEXT_SIZE];
	double quarantined, before;
	cJSON *mark;
	time_t t;
	enum brain_status status = clock_now(&t);

	if (status || (status = command_open_state(cli, &st)))
		return status;
	if ((status = ingest_store_count(st.dirfd, INGEST_QUARANTINE, &quarantined)) ||
	    (status = ingest_store_reviewed(st.dirfd, &before))) {
		state_close(&st);
		return status;
	}
	time_text_format(t, now);
	mark = cJSON_CreateObject();
	cJSON_AddNumberToObject(mark, "quarantined", quarantined);
	cJSON_AddNumberToObject(mark, "newly_reviewed",
				quarantined > before ? quarantined - before : 0);
	cJSON_AddStringToObject(mark, "reviewed_at", now);
	cJSON_AddStringToObject(mark, "actor", audit_actor());
	if (!cli->dry_run)
		status = ingest_store_save_reviewed(&st, mark, &(struct audit_event){
			"quarantine", "ingest.quarantine_reviewed", "SUCCESS", mark, cli->reason,
			NULL });
	state_close(&st);
	render_form(&reviewed_form);
	if (!status)
		status = jsonl_write(stdout, mark);
	cJSON_Delete(mark);
	return status;
}

enum brain_status ingest_cmd_batches(const struct cli *cli)
{
	render_form(&batches_form);
	return stream(cli, INGEST_BATCHES, NULL, NULL);
}

struct source_stats {
	char name[256];
	double records, batches, refused, quarantined;
	char last[TIME_TEXT_SIZE];
	char last_batch[24];
};

/* The counts of every source seen, in the order first seen. */
struct stats {
	struct source_stats *s;
	size_t n;
};

/* The counts of the source name (case-insensitively), added when new. */
static struct source_stats *stats_source(struct stats *st, const char *name)
{
	size_t i;

	for (i = 0; i < st->n && strcasecmp(st->s[i].name, name); i++)
		;
	if (i == st->n) {
		st->s = xrealloc(st->s, (st->n + 1) * sizeof(*st->s));
		memset(&st->s[i], 0, sizeof(*st->s));
		snprintf(st->s[i].name, sizeof(st->s[i].name), "%s", name);
		st->n++;
	}
	return &st->s[i];
}

/* Count one line of records.jsonl (quarantine 0) or quarantine.jsonl. */
static void stats_take_line(struct stats *st, const cJSON *line, const char *source,
			    int quarantine)
{
	struct source_stats *s = stats_source(st, source);
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(line, "batch_id");
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(line, "ingested_at");

	if (quarantine) {
		s->quarantined++;
		return;
	}
	s->records++;
	if (cJSON_IsString(b) && strcmp(s->last_batch, b->valuestring)) {
		s->batches++;
		snprintf(s->last_batch, sizeof(s->last_batch), "%s", b->valuestring);
	}
	if (cJSON_IsString(at))
		snprintf(s->last, sizeof(s->last), "%s", at->valuestring);
}

/* Count the learning/ log name; none is no line.  BRAIN_STATE for a line
 * that is not a record with a source. */
static enum brain_status stats_take_log(struct stats *st, int dirfd, const char *name,
					int quarantine)
{
	struct jsonl_reader r;
	enum brain_status status = BRAIN_OK;
	char path[64];
	int fd, rc;
	cJSON *line;

	snprintf(path, sizeof(path), "learning/%s", name);
	if ((fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return BRAIN_OK;
	jsonl_open_fd(&r, fd, path, MAX_RECORD * 2);
	while (!status && (rc = jsonl_next(&r, &line)) != JSONL_EOF) {
		const cJSON *src = cJSON_GetObjectItemCaseSensitive(line, "source");

		if (rc || !cJSON_IsString(src))
			status = BRAIN_STATE;
		else
			stats_take_line(st, line, src->valuestring, quarantine);
		cJSON_Delete(line);
	}
	jsonl_close(&r);
	close(fd);
	return status;
}

/* A refused batch stores nothing under learning/: its only trace is its
 * audit record (an audit_each_fn; always 0, go on). */
static int stats_take_refusal(void *arg, const cJSON *line, const cJSON *rec, uint64_t seq)
{
	const cJSON *action = cJSON_GetObjectItemCaseSensitive(rec, "action");
	const cJSON *subject = cJSON_GetObjectItemCaseSensitive(rec, "subject");

	(void)line;
	(void)seq;
	if (cJSON_IsString(action) && !strcmp(action->valuestring, "ingest.refused") &&
	    cJSON_IsString(subject))
		stats_source(arg, subject->valuestring)->refused++;
	return 0;
}

enum brain_status ingest_cmd_stats(const struct cli *cli)
{
	struct state st;
	struct stats all = { NULL, 0 };
	enum brain_status status;

	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	if (!(status = stats_take_log(&all, st.dirfd, RECORDS, 0)) &&
	    !(status = stats_take_log(&all, st.dirfd, QUARANTINE, 1)) &&
	    (status = audit_each(st.dirfd, stats_take_refusal, &all)) == BRAIN_NO)
		status = BRAIN_OK;
	state_close(&st);
	render_form(&stats_form);
	for (size_t i = 0; i < all.n && !status; i++) {
		const struct source_stats *s = &all.s[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "source", s->name);
		cJSON_AddNumberToObject(o, "records", s->records);
		cJSON_AddNumberToObject(o, "batches", s->batches);
		cJSON_AddNumberToObject(o, "batches_refused", s->refused);
		cJSON_AddNumberToObject(o, "quarantined", s->quarantined);
		if (*s->last)
			cJSON_AddStringToObject(o, "last_ingested", s->last);
		status = jsonl_write(stdout, o);
		cJSON_Delete(o);
	}
	free(all.s);
	return status;
}

