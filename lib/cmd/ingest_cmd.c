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
			char *uses = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(s, "uses"));

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

/* Check and normalise the compliance fields of a lead in place.  The
 * suppression entries it implies are added to supp. */
static enum brain_status normalise(cJSON *rec, const struct json_loc *loc, cJSON *supp,
				   const char *source, const char *now)
{
	enum brain_status status;
	const char *phone = NULL, *email = NULL;
	int dnc = 0, opt_out_all = 0;
	const cJSON *consent = NULL, *opt = cJSON_GetObjectItemCaseSensitive(rec, "opt_out");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "id");
	char norm_phone[32] = "", norm_email[320] = "";
	int opt_phone = 0, opt_email = 0;

	if ((status = json_get_string(rec, "phone", JSON_OPTIONAL, loc, &phone)) ||
	    (status = json_get_string(rec, "email", JSON_OPTIONAL, loc, &email)) ||
	    (status = json_get_bool(rec, "dnc", JSON_OPTIONAL, loc, &dnc)) ||
	    (status = json_get_object(rec, "consent", JSON_OPTIONAL, loc, &consent)))
		return status;
	if (id && !cJSON_IsString(id) && !cJSON_IsNumber(id))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'id' must be a string or a number");
	if (consent) {
		const char *type = NULL, *ts = NULL;
		const cJSON *channels = NULL, *c;

		if ((status = json_get_string(consent, "type", JSON_OPTIONAL, loc, &type)) ||
		    (status = json_get_array(consent, "channels", JSON_OPTIONAL, loc, &channels)) ||
		    (status = json_get_string(consent, "ts", JSON_OPTIONAL, loc, &ts)))
			return diag_error_at(BRAIN_DATA, loc->file, loc->line,
					     "field 'consent' must be {\"type\",\"channels\",\"ts\"}");
		cJSON_ArrayForEach(c, channels) {
			if (!cJSON_IsString(c))
				return diag_error_at(BRAIN_DATA, loc->file, loc->line,
						     "field 'consent' channels must be strings");
		}
	}
	if (opt && cJSON_IsBool(opt)) {
		opt_out_all = cJSON_IsTrue(opt);
	} else if (opt && cJSON_IsArray(opt)) {
		const cJSON *c;

		cJSON_ArrayForEach(c, opt) {
			if (!cJSON_IsString(c))
				return diag_error_at(BRAIN_DATA, loc->file, loc->line,
						     "field 'opt_out' must be true, false or a list "
						     "of channels");
			if (!strcasecmp(c->valuestring, "email"))
				opt_email = 1;
			else if (!strcasecmp(c->valuestring, "phone") || !strcasecmp(c->valuestring, "sms"))
				opt_phone = 1;
		}
	} else if (opt) {
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'opt_out' must be true, false or a list of channels");
	}
	if (phone && contact_normalise_phone(phone, norm_phone, sizeof(norm_phone)))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'phone' is not a phone number");
	if (email && contact_normalise_email(email, norm_email, sizeof(norm_email)))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "field 'email' is not an email address");
	if (phone)
		cJSON_ReplaceItemInObjectCaseSensitive(rec, "phone", cJSON_CreateString(norm_phone));
	if (email)
		cJSON_ReplaceItemInObjectCaseSensitive(rec, "email", cJSON_CreateString(norm_email));
	/* What may no longer be contacted. */
	struct {
		int on;
		const char *kind, *value, *rule;
	} entries[] = {
		{ phone && dnc, "phone", norm_phone, "dnc" },
		{ phone && (opt_out_all || opt_phone), "phone", norm_phone, "opt_out" },
		{ email && (opt_out_all || opt_email), "email", norm_email, "opt_out" },
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
	return BRAIN_OK;
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
	char *text;
	size_t len, cap;
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

enum brain_status ingest_cmd_ingest(const struct cli *cli, const struct ingest_args *a,
				    const char *path)
{
	struct state st;
	struct seen seen;
	struct buffer records = { 0 }, quarantine = { 0 }, supp_text = { 0 };
	enum brain_status status;
	const char *use = a->use ? a->use : "training", *name = path && strcmp(path, "-") ? path : "stdin";
	char now[TIME_TEXT_SIZE], sha[65], batch[20], reason[256];
	double accepted = 0, rejected = 0, duplicates = 0;
	cJSON *sources = NULL, *src, *supp = cJSON_CreateArray();
	const cJSON *uses, *u;
	char *input = NULL;
	size_t len;
	time_t t;
	int allowed = 0, learnfd = -1, single = 0;

	if (!a->source) {
		cJSON_Delete(supp);
		return diag_error(BRAIN_USAGE, "ingesting needs --source=NAME");
	}
	if (!use_valid(use)) {
		cJSON_Delete(supp);
		return diag_error(BRAIN_USAGE, "--use takes training, outreach or display, not '%s'", use);
	}
	if ((status = clock_now(&t)) || (status = read_input(path, &input, &len))) {
		cJSON_Delete(supp);
		return status;
	}
	time_text_format(t, now);
	hash_sha256_hex(input, len, sha);
	snprintf(batch, sizeof(batch), "b-%.16s", sha);
	status = command_open_state(cli, &st);
	if (status)
		goto out_input;
	if ((status = ingest_store_sources(st.dirfd, &sources)))
		goto out;
	src = ingest_store_source_find(sources, a->source);
	uses = cJSON_GetObjectItemCaseSensitive(src, "uses");
	cJSON_ArrayForEach(u, uses) {
		if (cJSON_IsString(u) && !strcmp(u->valuestring, use))
			allowed = 1;
	}
	if (!allowed) {
		/* Refused: nothing stored, the refusal itself is audited. */
		cJSON *details = cJSON_CreateObject(), *line;
		struct audit_event ev = { a->source, "ingest.refused", "BLOCKED", details, cli->reason, NULL };
		struct audit_ack ack;

		if (src)
			snprintf(reason, sizeof(reason), "source '%s' is not allowed for %s",
				 a->source, use);
		else
			snprintf(reason, sizeof(reason), "source '%s' is not on the allow-list",
				 a->source);
		cJSON_AddStringToObject(details, "source", a->source);
		cJSON_AddStringToObject(details, "use", use);
		cJSON_AddNumberToObject(details, "bytes", (double)len);
		cJSON_AddStringToObject(details, "sha256", sha);
		cJSON_AddStringToObject(details, "reason", reason);
		if (!cli->dry_run)
			status = audit_append(&st, NULL, &ev, &ack);
		cJSON_Delete(details);
		state_close(&st);
		line = summary(a->source, 0, 0, 0, 0, NULL, reason);
		if (!status)
			status = jsonl_write(stdout, line);
		cJSON_Delete(line);
		cJSON_Delete(sources);
		cJSON_Delete(supp);
		free(input);
		return status ? status : BRAIN_NO;
	}
	const char *canonical = cJSON_GetObjectItemCaseSensitive(src, "name")->valuestring;

	if ((status = state_subdir(&st, "learning", !cli->dry_run, &learnfd)) == BRAIN_NO)
		status = BRAIN_OK;
	if (status)
		goto out;
	seen_scan(learnfd, &seen);
	{
		/* One JSON object over several lines (the seed's {"leads":150}
		 * pretty-printed) is one record. */
		cJSON *whole = cJSON_ParseWithLength(input, len);
		const char *first_nl = memchr(input, '\n', len);

		if (cJSON_IsObject(whole) && first_nl && first_nl < input + len - 1) {
			cJSON *first = cJSON_ParseWithLength(input, (size_t)(first_nl - input));

			single = !cJSON_IsObject(first);
			cJSON_Delete(first);
		}
		cJSON_Delete(whole);
	}
	size_t pos = 0;
	long lineno = 0;

	while (pos < len) {
		const char *line = input + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = single ? len - pos : nl ? (size_t)(nl - line) : len - pos;
		struct json_loc loc = { name, ++lineno };
		cJSON *rec = NULL, *stored;
		enum brain_status rc;
		char rsha[65];
		unsigned char key[KEYSET_KEY], idkey[KEYSET_KEY];
		const cJSON *id;
		int has_id = 0;

		pos += n + (!single && nl ? 1 : 0);
		if (strspn(line, " \t\r\n") >= n)
			continue;
		cJSON *implied = cJSON_CreateArray();

		hash_sha256_hex(line, n, rsha);
		if (n > MAX_RECORD)
			rc = diag_error_at(BRAIN_DATA, loc.file, loc.line, "record longer than %zu bytes",
					   MAX_RECORD);
		else if (!(rc = json_parse_line(line, n, &loc, &rec)))
			rc = normalise(rec, &loc, implied, canonical, now);
		if (rc) {
			cJSON *q;
			char *raw;

			cJSON_Delete(implied);
			cJSON_Delete(rec);
			rejected++;
			/* Quarantined once: the same bad line again adds nothing. */
			keyset_key("quarantined", rsha, NULL, key);
			if (keyset_find(&seen.keys, key))
				continue;
			keyset_put(&seen.keys, key, 0);
			q = cJSON_CreateObject();
			raw = xmalloc(n + 1);

			memcpy(raw, line, n);
			raw[n] = '\0';
			if (!json_utf8_valid(raw, n))
				for (size_t i = 0; i < n; i++)
					raw[i] = (unsigned char)raw[i] >= 0x80 ? '?' : raw[i];
			cJSON_AddStringToObject(q, "source", canonical);
			cJSON_AddStringToObject(q, "batch_id", batch);
			cJSON_AddNumberToObject(q, "line", (double)loc.line);
			cJSON_AddStringToObject(q, "reason", diag_last());
			cJSON_AddStringToObject(q, "record", raw);
			cJSON_AddStringToObject(q, "sha256", rsha);
			cJSON_AddStringToObject(q, "ts", now);
			buffer_add(&quarantine, q);
			cJSON_Delete(q);
			free(raw);
			continue;
		}
		keyset_key("sha", rsha, NULL, key);
		id = cJSON_GetObjectItemCaseSensitive(rec, "id");
		if (id) {
			char idtext[64], lower[256];
			size_t i;

			if (cJSON_IsNumber(id))
				snprintf(idtext, sizeof(idtext), "%.17g", id->valuedouble);
			for (i = 0; canonical[i] && i + 1 < sizeof(lower); i++)
				lower[i] = (char)tolower((unsigned char)canonical[i]);
			lower[i] = '\0';
			keyset_key("id", lower, cJSON_IsString(id) ? id->valuestring : idtext, idkey);
			has_id = 1;
		}
		if (keyset_find(&seen.keys, key) || (has_id && keyset_find(&seen.keys, idkey))) {
			duplicates++;
			cJSON_Delete(rec);
			cJSON_Delete(implied);
			continue;
		}
		/* Only an accepted record adds to the suppression list. */
		while (cJSON_GetArraySize(implied) > 0)
			cJSON_AddItemToArray(supp, cJSON_DetachItemFromArray(implied, 0));
		cJSON_Delete(implied);
		keyset_put(&seen.keys, key, 0);
		if (has_id)
			keyset_put(&seen.keys, idkey, 0);
		stored = cJSON_CreateObject();
		cJSON_AddStringToObject(stored, "source", canonical);
		cJSON_AddStringToObject(stored, "use", use);
		cJSON_AddStringToObject(stored, "batch_id", batch);
		cJSON_AddStringToObject(stored, "ingested_at", now);
		cJSON_AddStringToObject(stored, "sha256", rsha);
		cJSON_AddNumberToObject(stored, "line", (double)loc.line);
		cJSON_AddItemToObject(stored, "record", rec);
		buffer_add(&records, stored);
		cJSON_Delete(stored);
		accepted++;
	}
	keyset_free(&seen.keys);
	if (rejected && !cli->skip_invalid) {
		/* All or nothing: the first bad record was reported; store nothing. */
		status = BRAIN_DATA;
		goto out;
	}
	{
		cJSON *e;

		cJSON_ArrayForEach(e, supp) {
			buffer_add(&supp_text, e);
		}
	}
	if (!cli->dry_run) {
		cJSON *details = cJSON_CreateObject();
		struct audit_event ev = { canonical, "ingest.batch", "SUCCESS", details, cli->reason, NULL };
		struct audit_ack ack;

		cJSON_AddStringToObject(details, "source", canonical);
		cJSON_AddStringToObject(details, "use", use);
		cJSON_AddStringToObject(details, "batch_id", batch);
		cJSON_AddStringToObject(details, "input", name);
		cJSON_AddNumberToObject(details, "bytes", (double)len);
		cJSON_AddStringToObject(details, "sha256", sha);
		cJSON_AddNumberToObject(details, "accepted", accepted);
		cJSON_AddNumberToObject(details, "rejected", rejected);
		cJSON_AddNumberToObject(details, "duplicates", duplicates);
		cJSON_AddNumberToObject(details, "suppressed", (double)cJSON_GetArraySize(supp));
		struct change c;
		int fds[3] = { -1, -1, -1 };

		change_init(&c, &st);
		if (!(status = append_log(&c, learnfd, RECORDS, records.text, records.len,
					  &fds[0])) &&
		    !(status = append_log(&c, learnfd, QUARANTINE, quarantine.text,
					  quarantine.len, &fds[1])) &&
		    !(status = append_log(&c, learnfd, INGEST_SUPPRESSION, supp_text.text, supp_text.len,
					  &fds[2])))
			status = change_commit(&c, NULL, &ev, 1, &ack);
		else
			change_abort(&c);
		for (int i = 0; i < 3; i++)
			if (fds[i] >= 0)
				close(fds[i]);
		cJSON_Delete(details);
	}
	if (!status) {
		cJSON *line;

		snprintf(reason, sizeof(reason), "%.0f accepted, %.0f duplicate(s), %.0f quarantined",
			 accepted, duplicates, rejected);
		state_close(&st);
		line = summary(canonical, 1, accepted, rejected, duplicates, batch, reason);
		status = jsonl_write(stdout, line);
		cJSON_Delete(line);
		if (!status && rejected)
			status = BRAIN_DATA;
	}
out:
	if (learnfd >= 0)
		close(learnfd);
	state_close(&st);
out_input:
	free(records.text);
	free(quarantine.text);
	free(supp_text.text);
	cJSON_Delete(sources);
	cJSON_Delete(supp);
	free(input);
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

