/* audit.c - appending hash-chained records to audit.log; see audit.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "audit.h"
#include "clock.h"
#include "diag.h"
#include "file.h"
#include "jsonl.h"
#include "banned.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

void audit_hex(const unsigned char *bytes, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * len] = '\0';
}

static void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		diag_oom(); /* only fails when OpenSSL cannot allocate */
	audit_hex(md, 32, out);
}

const char *audit_actor(void)
{
	static char name[256];
	const char *env = getenv("BRAIN_ACTOR");
	struct passwd pw, *found = NULL;
	char buf[4096];

	if (env && *env)
		return env;
	if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &found) == 0 && found) {
		snprintf(name, sizeof(name), "%s", found->pw_name);
		return name;
	}
	snprintf(name, sizeof(name), "uid:%ld", (long)geteuid());
	return name;
}

static int depth(const cJSON *item)
{
	int deepest = 0;

	for (const cJSON *c = item->child; c; c = c->next) {
		int d = depth(c);

		if (d > deepest)
			deepest = d;
	}
	return (cJSON_IsObject(item) || cJSON_IsArray(item)) ? deepest + 1 : 0;
}

/* Read the last line of the log (which ends in LF): its seq and hash.  An
 * empty log gives seq 0 and the zero hash. */
static enum brain_status read_tail(int fd, off_t size, uint64_t *seq, char hash[65])
{
	size_t want = size < AUDIT_MAX_LINE + 2 ? (size_t)size : AUDIT_MAX_LINE + 2;
	char *buf, *start, *p;
	cJSON *line = NULL;
	const cJSON *s;
	ssize_t got;

	*seq = 0;
	memcpy(hash, ZERO_HASH, 65);
	if (size == 0)
		return BRAIN_OK;
	buf = xmalloc(want + 1);
	got = pread(fd, buf, want, size - (off_t)want);
	if (got != (ssize_t)want) {
		free(buf);
		return diag_errno(BRAIN_STATE, errno ? errno : EIO, AUDIT_LOG ": cannot read");
	}
	/* The last line runs from after the previous LF to the final LF. */
	start = buf;
	for (p = buf + want - 1; p > buf; p--)
		if (p[-1] == '\n') {
			start = p;
			break;
		}
	if (start == buf && (off_t)want < size) {
		free(buf);
		return diag_error(BRAIN_STATE, AUDIT_LOG ": last record longer than 64 KiB");
	}
	sha256_hex(start, (size_t)(buf + want - start), hash);
	line = cJSON_ParseWithLength(start, (size_t)(buf + want - start));
	s = cJSON_GetObjectItemCaseSensitive(line, "seq");
	if (!cJSON_IsNumber(s) || s->valuedouble < 1) {
		cJSON_Delete(line);
		free(buf);
		return diag_error(BRAIN_STATE, AUDIT_LOG ": last record is corrupt; run "
				  "brain-audit verify");
	}
	*seq = (uint64_t)s->valuedouble;
	cJSON_Delete(line);
	free(buf);
	return BRAIN_OK;
}

/* Build one line: the five members in sorted order, rec as given. */
static char *make_line(const char *prev, const char *rec, uint64_t seq, time_t now,
		       size_t *len)
{
	char ts[CLOCK_TEXT_SIZE];
	size_t size = strlen(rec) + 256;
	char *line = xmalloc(size);
	int n;

	clock_format(now, ts);
	n = snprintf(line, size, "{\"mac\":\"%s\",\"prev\":\"%s\",\"rec\":%s,\"seq\":%" PRIu64
		     ",\"ts\":\"%s\"}\n", ZERO_HASH, prev, rec, seq, ts);
	*len = (size_t)n;
	return line;
}

static enum brain_status append_line(int fd, char *line, size_t len, uint64_t seq,
				     struct audit_ack *ack)
{
	enum brain_status status;

	if (len > AUDIT_MAX_LINE)
		return diag_error(BRAIN_DATA, "audit record of %zu bytes is over the 64 KiB "
				  "limit", len);
	if ((status = file_append(fd, AUDIT_LOG, line, len)))
		return status;
	ack->seq = seq;
	sha256_hex(line, len, ack->hash);
	return BRAIN_OK;
}

static char *header_rec(const char *origin, time_t now)
{
	char ts[CLOCK_TEXT_SIZE];
	cJSON *rec = cJSON_CreateObject();
	char *text;

	clock_format(now, ts);
	cJSON_AddStringToObject(rec, "created", ts);
	cJSON_AddStringToObject(rec, "log", origin);
	cJSON_AddStringToObject(rec, "mac", "none");
	cJSON_AddStringToObject(rec, "type", "log.init");
	cJSON_AddNumberToObject(rec, "v", 1);
	text = cJSON_PrintUnformatted(rec);
	cJSON_Delete(rec);
	if (!text)
		diag_oom();
	return text;
}

static int valid_id(const char *id)
{
	if (strlen(id) != 32)
		return 0;
	for (const char *p = id; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

static char *event_rec(const struct audit_event *ev, const char *id)
{
	cJSON *rec = cJSON_CreateObject();
	char *text;

	/* Members in sorted order, like the line around them. */
	cJSON_AddStringToObject(rec, "action", ev->action);
	cJSON_AddStringToObject(rec, "actor", audit_actor());
	cJSON_AddItemToObject(rec, "details", ev->details ? cJSON_Duplicate(ev->details, 1)
				 : cJSON_CreateObject());
	cJSON_AddStringToObject(rec, "id", id);
	cJSON_AddStringToObject(rec, "program", diag_program());
	if (ev->reason)
		cJSON_AddStringToObject(rec, "reason", ev->reason);
	cJSON_AddStringToObject(rec, "status", ev->status);
	cJSON_AddStringToObject(rec, "subject", ev->subject);
	cJSON_AddStringToObject(rec, "type", "event");
	text = cJSON_PrintUnformatted(rec);
	cJSON_Delete(rec);
	if (!text)
		diag_oom();
	return text;
}

static enum brain_status check_event(const struct audit_event *ev)
{
	const char *path;

	if (!ev->subject || !ev->action || !ev->status)
		return diag_error(BRAIN_DATA, "audit record needs a subject, an action and a "
				  "status");
	if (ev->details && !cJSON_IsObject(ev->details))
		return diag_error(BRAIN_DATA, "audit details must be a JSON object");
	if (ev->details && depth(ev->details) > AUDIT_MAX_DEPTH - 2)
		return diag_error(BRAIN_DATA, "audit details nest deeper than %d levels",
				  AUDIT_MAX_DEPTH - 2);
	if (ev->details && json_find_nonfinite(ev->details, &path))
		return diag_error(BRAIN_DATA, "audit details hold a non-finite number in '%s'",
				  path);
	if (ev->id && !valid_id(ev->id))
		return diag_error(BRAIN_DATA, "audit record id must be 32 lowercase hex digits");
	return BRAIN_OK;
}

enum brain_status audit_append(struct state *st, const char *origin,
			       const struct audit_event *ev, struct audit_ack *ack)
{
	enum brain_status status;
	uint64_t seq;
	char prev[65];
	char *rec, *line;
	size_t len;
	off_t size;
	time_t now;
	int fd, ends;

	memset(ack, 0, sizeof(*ack));
	if ((status = check_event(ev)) || (status = clock_now(&now)))
		return status;
	if (st->lockfd < 0)
		return diag_error(BRAIN_IO, "internal error: audit append without the lock");
	if ((status = file_append_open(st->dirfd, AUDIT_LOG, &fd)))
		return status;
	ends = file_ends_with_newline(fd, &size);
	if (ends < 0) {
		status = diag_errno(BRAIN_STATE, errno, AUDIT_LOG ": cannot read");
		goto out;
	}
	if (!ends) {
		status = diag_error(BRAIN_STATE, "%s/" AUDIT_LOG " ends in a torn record from "
				    "a crash; run 'brain-verify --repair'", st->path);
		goto out;
	}
	if ((status = read_tail(fd, size, &seq, prev)))
		goto out;
	if (seq == 0) {
		/* A new log starts with its header record. */
		rec = header_rec(origin, now);
		line = make_line(prev, rec, 1, now, &len);
		free(rec);
		status = append_line(fd, line, len, 1, ack);
		free(line);
		if (status)
			goto out;
		seq = 1;
		memcpy(prev, ack->hash, 65);
	}
	if (ev->id) {
		memcpy(ack->id, ev->id, 33);
	} else {
		unsigned char raw[16];

		if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
			status = diag_errno(BRAIN_IO, errno, "cannot get random bytes");
			goto out;
		}
		audit_hex(raw, sizeof(raw), ack->id);
	}
	rec = event_rec(ev, ack->id);
	line = make_line(prev, rec, seq + 1, now, &len);
	free(rec);
	status = append_line(fd, line, len, seq + 1, ack);
	free(line);
out:
	close(fd);
	return status;
}
