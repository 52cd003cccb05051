/* ingest_cmd.c - brain-ingest's commands; see ingest_cmd.h. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/clock.h"
#include "core/change.h"
#include "cmd/command.h"
#include "diag.h"
#include "core/file.h"
#include "pure/ident.h"
#include "cmd/ingest_cmd.h"
#include "core/ingest_store.h"
#include "pure/contact.h"
#include "core/jsonl.h"
#include "pure/keyset.h"
#include "cmd/table.h"
#include "banned.h"

#define RECORDS "records.jsonl"
#define QUARANTINE "quarantine.jsonl"
#define MAX_INPUT ((size_t)1 << 30)
#define MAX_RECORD ((size_t)1 << 20)

static const char *const all_uses[] = { "training", "outreach", "display" };

static int use_valid(const char *u)
{
	for (size_t i = 0; i < 3; i++)
		if (!strcmp(u, all_uses[i]))
			return 1;
	return 0;
}

/* --- the allow-list --- */

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
	if (cli->format == CLI_FORMAT_TEXT) {
		struct table *t = table_new(4, (const char *[]){ "SOURCE", "USES", "ROUTE", "LICENCE" });

		cJSON_ArrayForEach(s, list) {
			char *uses = json_print_compact(cJSON_GetObjectItemCaseSensitive(s, "uses"));

			table_add(t, (const char *[]){
				cJSON_GetObjectItemCaseSensitive(s, "name")->valuestring, uses,
				cJSON_GetObjectItemCaseSensitive(s, "route")->valuestring,
				cJSON_GetObjectItemCaseSensitive(s, "licence")->valuestring });
			free(uses);
		}
		table_print(t, stdout);
		table_free(t);
	} else {
		cJSON_ArrayForEach(s, list) {
			if ((status = jsonl_write(stdout, s)))
				break;
		}
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
		if (!status)
			status = jsonl_write(stdout, out);
		cJSON_Delete(out);
		return status;
	}
	state_close(&st);
	return status;
}

/* --- ingesting --- */

/* What is already stored: SHA-256 of each record, and (source, id). */
struct seen {
	struct keyset keys;
};

static void seen_scan(int learnfd, struct seen *s)
{
	struct jsonl_reader r;
	int fd = openat(learnfd, RECORDS, O_RDONLY | O_CLOEXEC), rc;
	cJSON *line;

	keyset_init(&s->keys);
	if (fd < 0)
		return;
	jsonl_open_fd(&r, fd, "learning/" RECORDS, MAX_RECORD * 2);
	while ((rc = jsonl_next(&r, &line)) != JSONL_EOF) {
		const cJSON *sha = cJSON_GetObjectItemCaseSensitive(line, "sha256");
		const cJSON *src = cJSON_GetObjectItemCaseSensitive(line, "source");
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(line, "record"), "id");
		unsigned char key[KEYSET_KEY];

		if (rc == BRAIN_OK && cJSON_IsString(sha)) {
			keyset_key("sha", sha->valuestring, NULL, key);
			keyset_put(&s->keys, key, 0);
		}
		if (rc == BRAIN_OK && cJSON_IsString(src) && cJSON_IsString(id)) {
			char lower[256];
			size_t i;

			for (i = 0; src->valuestring[i] && i + 1 < sizeof(lower); i++)
				lower[i] = (char)tolower((unsigned char)src->valuestring[i]);
			lower[i] = '\0';
			keyset_key("id", lower, id->valuestring, key);
			keyset_put(&s->keys, key, 0);
		}
		cJSON_Delete(line);
	}
	jsonl_close(&r);
	close(fd);
	fd = openat(learnfd, QUARANTINE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	jsonl_open_fd(&r, fd, "learning/" QUARANTINE, MAX_RECORD * 8);
	while ((rc = jsonl_next(&r, &line)) != JSONL_EOF) {
		const cJSON *sha = cJSON_GetObjectItemCaseSensitive(line, "sha256");
		unsigned char key[KEYSET_KEY];

		if (rc == BRAIN_OK && cJSON_IsString(sha)) {
			keyset_key("quarantined", sha->valuestring, NULL, key);
			keyset_put(&s->keys, key, 0);
		}
		cJSON_Delete(line);
	}
	jsonl_close(&r);
	close(fd);
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

/* A consent, when given, is {"type","channels","ts"} with string channels. */
static enum brain_status check_consent(const cJSON *consent, const struct json_loc *loc)
{
	const char *type = NULL, *ts = NULL;
	const cJSON *channels = NULL, *c;

	if (json_get_string(consent, "type", JSON_OPTIONAL, loc, &type) ||
	    json_get_array(consent, "channels", JSON_OPTIONAL, loc, &channels) ||
	    json_get_string(consent, "ts", JSON_OPTIONAL, loc, &ts))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'consent' must be {\"type\",\"channels\",\"ts\"}");
	cJSON_ArrayForEach(c, channels) {
		if (!cJSON_IsString(c))
			return diag_error_at(BRAIN_DATA, loc->file, loc->line,
					     "field 'consent' channels must be strings");
	}
	return BRAIN_OK;
}

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
	const cJSON *consent = NULL, *id = cJSON_GetObjectItemCaseSensitive(rec, "id");

	memset(&l, 0, sizeof(l));
	if ((status = json_get_string(rec, "phone", JSON_OPTIONAL, loc, &l.phone)) ||
	    (status = json_get_string(rec, "email", JSON_OPTIONAL, loc, &l.email)) ||
	    (status = json_get_bool(rec, "dnc", JSON_OPTIONAL, loc, &l.dnc)) ||
	    (status = json_get_object(rec, "consent", JSON_OPTIONAL, loc, &consent)))
		return status;
	if (id && !cJSON_IsString(id) && !cJSON_IsNumber(id))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'id' must be a string or a number");
	if ((consent && (status = check_consent(consent, loc))) ||
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
	return BRAIN_OK;
}

enum brain_status ingest_cmd_read_lead(cJSON *rec, const struct json_loc *loc, cJSON *supp)
{
	return normalise(rec, loc, supp, "fuzz", "2026-12-01T00:00:00Z");
}

/* The whole input, from a file or stdin. */
static enum brain_status read_input(const char *path, char **buf, size_t *len)
{
	size_t cap = 65536;
	ssize_t n;
	int fd;

	if (path && strcmp(path, "-")) {
		enum brain_status status = file_read_all(AT_FDCWD, path, MAX_INPUT, buf, len);

		if (status == BRAIN_NO)
			return diag_error(BRAIN_IO, "cannot open '%s': No such file or directory", path);
		return status;
	}
	fd = STDIN_FILENO;
	*buf = xmalloc(cap);
	*len = 0;
	while ((n = read(fd, *buf + *len, cap - *len - 1)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(*buf);
			return diag_errno(BRAIN_IO, errno, "stdin: read error");
		}
		*len += (size_t)n;
		if (cap - *len < 2) {
			if (cap > MAX_INPUT)
				break;
			cap *= 2;
			*buf = xrealloc(*buf, cap);
		}
	}
	(*buf)[*len] = '\0';
	return BRAIN_OK;
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

/* Open a learning/ log for appending (into *fd) and add text to the change. */
static enum brain_status append_log(struct change *c, int learnfd, const char *name,
				    const char *text, size_t len, int *fd)
{
	char path[64];

	if (!len)
		return BRAIN_OK;
	if (file_append_open(learnfd, name, fd))
		return BRAIN_IO;
	if (file_ends_with_newline(*fd, &(off_t){ 0 }) == 0)
		return diag_error(BRAIN_STATE, "learning/%s ends in a torn line from a crash; "
				  "run 'brain-verify --repair'", name);
	snprintf(path, sizeof(path), "learning/%s", name);
	change_append(c, path, *fd, text, len);
	return BRAIN_OK;
}

struct buffer {
	char *text;                /* whole lines, not NUL-terminated */
	size_t len, cap;           /* bytes used and allocated */
};

static void buffer_add(struct buffer *b, cJSON *o)
{
	size_t n;
	char *line = json_format_line(o, &n);

	if (!line)
		return;
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->text = xrealloc(b->text, b->cap);
	}
	memcpy(b->text + b->len, line, n);
	b->len += n;
	free(line);
}

/* One batch being ingested: what its steps share. */
struct batch {
	const struct cli *cli;     /* the options */
	const struct ingest_args *a; /* --source and --use */
	const char *use;           /* the use asked for */
	const char *name;          /* the input in messages: its path or "stdin" */
	const char *canonical;     /* the source's name as allowed; borrowed from the allow-list */
	char now[TIME_TEXT_SIZE];  /* when, on every line stored */
	char sha[65];              /* SHA-256 of the whole input */
	char id[20];               /* the batch id: "b-" and 16 hex digits of sha */
	char *input;               /* the whole input */
	size_t len;                /* its length */
	int single;                /* the input is one object over several lines */
	struct seen seen;          /* what is stored already, and what this batch adds */
	struct buffer records;     /* lines for records.jsonl */
	struct buffer quarantine;  /* lines for quarantine.jsonl */
	cJSON *supp;               /* suppression entries of the accepted records */
	double accepted, rejected, duplicates; /* the counts of the summary */
};

/* Check the options and read the whole input.  On failure nothing is
 * left to free. */
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
	if (!a->source)
		return diag_error(BRAIN_USAGE, "ingesting needs --source=NAME");
	if (!use_valid(b->use))
		return diag_error(BRAIN_USAGE, "--use takes training, outreach or display, "
				  "not '%s'", b->use);
	if ((status = clock_now(&t)) || (status = read_input(path, &b->input, &b->len)))
		return status;
	time_text_format(t, b->now);
	hash_sha256_hex(b->input, b->len, b->sha);
	snprintf(b->id, sizeof(b->id), "b-%.16s", b->sha);
	b->supp = cJSON_CreateArray();
	return BRAIN_OK;
}

static void batch_free(struct batch *b)
{
	free(b->records.text);
	free(b->quarantine.text);
	cJSON_Delete(b->supp);
	free(b->input);
}

/* 1 when the allow-list entry src (or NULL) allows use. */
static int source_allows(const cJSON *src, const char *use)
{
	const cJSON *u;
	int allowed = 0;

	cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(src, "uses")) {
		if (cJSON_IsString(u) && !strcmp(u->valuestring, use))
			allowed = 1;
	}
	return allowed;
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
	if (!status)
		status = jsonl_write(stdout, line);
	cJSON_Delete(line);
	return status ? status : BRAIN_NO;
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

/* Quarantine a bad record, once: the same bad line again adds nothing.
 * The reason is the diagnostic just reported. */
static void quarantine_add(struct batch *b, const char *line, size_t n, long lineno,
			   const char *rsha)
{
	unsigned char key[KEYSET_KEY];
	cJSON *q;
	char *raw;

	keyset_key("quarantined", rsha, NULL, key);
	if (keyset_find(&b->seen.keys, key))
		return;
	keyset_put(&b->seen.keys, key, 0);
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
	cJSON_AddStringToObject(q, "sha256", rsha);
	cJSON_AddStringToObject(q, "ts", b->now);
	buffer_add(&b->quarantine, q);
	cJSON_Delete(q);
	free(raw);
}

/* The (source, id) key of a record into idkey; 0 when it has no id. */
static int id_key(const struct batch *b, const cJSON *rec, unsigned char idkey[KEYSET_KEY])
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "id");
	char idtext[64], lower[256];
	size_t i;

	if (!id)
		return 0;
	if (cJSON_IsNumber(id))
		snprintf(idtext, sizeof(idtext), "%.17g", id->valuedouble);
	for (i = 0; b->canonical[i] && i + 1 < sizeof(lower); i++)
		lower[i] = (char)tolower((unsigned char)b->canonical[i]);
	lower[i] = '\0';
	keyset_key("id", lower, cJSON_IsString(id) ? id->valuestring : idtext, idkey);
	return 1;
}

/* Accept a checked record (taking rec and implied) unless its content or
 * its id is stored already. */
static void accept_record(struct batch *b, cJSON *rec, cJSON *implied, long lineno,
			  const char *rsha)
{
	unsigned char key[KEYSET_KEY], idkey[KEYSET_KEY];
	int has_id = id_key(b, rec, idkey);
	cJSON *stored;

	keyset_key("sha", rsha, NULL, key);
	if (keyset_find(&b->seen.keys, key) || (has_id && keyset_find(&b->seen.keys, idkey))) {
		b->duplicates++;
		cJSON_Delete(rec);
		cJSON_Delete(implied);
		return;
	}
	/* Only an accepted record adds to the suppression list. */
	while (cJSON_GetArraySize(implied) > 0)
		cJSON_AddItemToArray(b->supp, cJSON_DetachItemFromArray(implied, 0));
	cJSON_Delete(implied);
	keyset_put(&b->seen.keys, key, 0);
	if (has_id)
		keyset_put(&b->seen.keys, idkey, 0);
	stored = cJSON_CreateObject();
	cJSON_AddStringToObject(stored, "source", b->canonical);
	cJSON_AddStringToObject(stored, "use", b->use);
	cJSON_AddStringToObject(stored, "batch_id", b->id);
	cJSON_AddStringToObject(stored, "ingested_at", b->now);
	cJSON_AddStringToObject(stored, "sha256", rsha);
	cJSON_AddNumberToObject(stored, "line", (double)lineno);
	cJSON_AddItemToObject(stored, "record", rec);
	buffer_add(&b->records, stored);
	cJSON_Delete(stored);
	b->accepted++;
}

/* One record of the input (n bytes at line): checked and normalised,
 * then quarantined, counted a duplicate or accepted. */
static void take_record(struct batch *b, const char *line, size_t n, long lineno)
{
	struct json_loc loc = { b->name, lineno };
	cJSON *rec = NULL, *implied = cJSON_CreateArray();
	enum brain_status rc;
	char rsha[65];

	hash_sha256_hex(line, n, rsha);
	if (n > MAX_RECORD)
		rc = diag_error_at(BRAIN_DATA, loc.file, loc.line, "record longer than %zu bytes",
				   MAX_RECORD);
	else if (!(rc = json_parse_line(line, n, &loc, &rec)))
		rc = normalise(rec, &loc, implied, b->canonical, b->now);
	if (rc) {
		cJSON_Delete(implied);
		cJSON_Delete(rec);
		b->rejected++;
		quarantine_add(b, line, n, lineno, rsha);
		return;
	}
	accept_record(b, rec, implied, lineno, rsha);
}

/* Every record of the input in turn: a line, or the whole input when it
 * is one object.  Blank lines count in the line numbers only. */
static void take_records(struct batch *b)
{
	size_t pos = 0;
	long lineno = 0;

	while (pos < b->len) {
		const char *line = b->input + pos, *nl = memchr(line, '\n', b->len - pos);
		size_t n = b->single ? b->len - pos : nl ? (size_t)(nl - line) : b->len - pos;

		lineno++;
		pos += n + (!b->single && nl ? 1 : 0);
		if (strspn(line, " \t\r\n") >= n)
			continue;
		take_record(b, line, n, lineno);
	}
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
	cJSON_AddNumberToObject(details, "suppressed", (double)cJSON_GetArraySize(b->supp));
	return details;
}

/* Append the batch to the three learning/ logs with its audit record,
 * as one change: all of it is stored, or none. */
static enum brain_status batch_commit(const struct batch *b, struct state *st, int learnfd)
{
	struct buffer supp_text = { 0 };
	cJSON *details = batch_details(b), *e;
	struct audit_event ev = { b->canonical, "ingest.batch", "SUCCESS", details,
				  b->cli->reason, NULL };
	struct audit_ack ack;
	struct change c;
	enum brain_status status;
	int fds[3] = { -1, -1, -1 };

	cJSON_ArrayForEach(e, b->supp) {
		buffer_add(&supp_text, e);
	}
	change_init(&c, st);
	if (!(status = append_log(&c, learnfd, RECORDS, b->records.text, b->records.len,
				  &fds[0])) &&
	    !(status = append_log(&c, learnfd, QUARANTINE, b->quarantine.text,
				  b->quarantine.len, &fds[1])) &&
	    !(status = append_log(&c, learnfd, INGEST_SUPPRESSION, supp_text.text, supp_text.len,
				  &fds[2])))
		status = change_commit(&c, NULL, &ev, 1, &ack);
	else
		change_abort(&c);
	for (int i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	cJSON_Delete(details);
	free(supp_text.text);
	return status;
}

/* Print the summary line, the state closed first.  A batch with records
 * quarantined (under --skip-invalid) still fails. */
static enum brain_status batch_summary(const struct batch *b, struct state *st)
{
	enum brain_status status;
	char reason[256];
	cJSON *line;

	snprintf(reason, sizeof(reason), "%.0f accepted, %.0f duplicate(s), %.0f quarantined",
		 b->accepted, b->duplicates, b->rejected);
	state_close(st);
	line = summary(b->canonical, 1, b->accepted, b->rejected, b->duplicates, b->id, reason);
	status = jsonl_write(stdout, line);
	cJSON_Delete(line);
	if (!status && b->rejected)
		status = BRAIN_DATA;
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
	if ((status = command_open_state(cli, &st)))
		goto out_input;
	if ((status = ingest_store_sources(st.dirfd, &sources)))
		goto out;
	src = ingest_store_source_find(sources, a->source);
	if (!source_allows(src, b.use)) {
		status = refuse(&b, &st, src);
		goto out;
	}
	b.canonical = cJSON_GetObjectItemCaseSensitive(src, "name")->valuestring;
	if ((status = state_subdir(&st, "learning", !cli->dry_run, &learnfd)) == BRAIN_NO)
		status = BRAIN_OK;
	if (status)
		goto out;
	seen_scan(learnfd, &b.seen);
	b.single = one_object(b.input, b.len);
	take_records(&b);
	keyset_free(&b.seen.keys);
	if (b.rejected && !cli->skip_invalid) {
		/* All or nothing: the first bad record was reported; store nothing. */
		status = BRAIN_DATA;
		goto out;
	}
	if (!cli->dry_run)
		status = batch_commit(&b, &st, learnfd);
	if (!status)
		status = batch_summary(&b, &st);
out:
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
	return stream(cli, RECORDS, show_keep, &f);
}

enum brain_status ingest_cmd_quarantine(const struct cli *cli)
{
	return stream(cli, QUARANTINE, NULL, NULL);
}

struct source_stats {
	char name[256];
	double records, batches, quarantined;
	char last[TIME_TEXT_SIZE];
	char last_batch[24];
};

enum brain_status ingest_cmd_stats(const struct cli *cli)
{
	struct state st;
	enum brain_status status;
	struct source_stats *s = NULL;
	size_t n = 0;
	const char *logs[] = { RECORDS, QUARANTINE };

	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	for (int l = 0; l < 2 && !status; l++) {
		struct jsonl_reader r;
		char path[64];
		int fd, rc;
		cJSON *line;

		snprintf(path, sizeof(path), "learning/%s", logs[l]);
		fd = openat(st.dirfd, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		jsonl_open_fd(&r, fd, path, MAX_RECORD * 2);
		while ((rc = jsonl_next(&r, &line)) != JSONL_EOF) {
			const cJSON *src = cJSON_GetObjectItemCaseSensitive(line, "source");
			const cJSON *b = cJSON_GetObjectItemCaseSensitive(line, "batch_id");
			const cJSON *at = cJSON_GetObjectItemCaseSensitive(line, "ingested_at");
			size_t i;

			if (rc || !cJSON_IsString(src)) {
				cJSON_Delete(line);
				status = BRAIN_STATE;
				break;
			}
			for (i = 0; i < n && strcasecmp(s[i].name, src->valuestring); i++)
				;
			if (i == n) {
				s = xrealloc(s, (n + 1) * sizeof(*s));
				memset(&s[n], 0, sizeof(*s));
				snprintf(s[n].name, sizeof(s[n].name), "%s", src->valuestring);
				n++;
			}
			if (l == 1) {
				s[i].quarantined++;
			} else {
				s[i].records++;
				if (cJSON_IsString(b) && strcmp(s[i].last_batch, b->valuestring)) {
					s[i].batches++;
					snprintf(s[i].last_batch, sizeof(s[i].last_batch), "%s", b->valuestring);
				}
				if (cJSON_IsString(at))
					snprintf(s[i].last, sizeof(s[i].last), "%s", at->valuestring);
			}
			cJSON_Delete(line);
		}
		jsonl_close(&r);
		close(fd);
	}
	state_close(&st);
	for (size_t i = 0; i < n && !status; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "source", s[i].name);
		cJSON_AddNumberToObject(o, "records", s[i].records);
		cJSON_AddNumberToObject(o, "batches", s[i].batches);
		cJSON_AddNumberToObject(o, "quarantined", s[i].quarantined);
		if (*s[i].last)
			cJSON_AddStringToObject(o, "last_ingested", s[i].last);
		status = jsonl_write(stdout, o);
		cJSON_Delete(o);
	}
	free(s);
	return status;
}

