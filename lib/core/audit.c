/* audit.c - appending hash-chained, optionally MAC'd records; see audit.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/audit.h"
#include "core/checkpoint.h"
#include "core/clock.h"
#include "core/config.h"
#include "diag.h"
#include "core/file.h"
#include "core/jsonl.h"
#include "pure/merkle.h"
#include "banned.h"

#define KEY_STATE_MAGIC "brain-audit-key 1\n"

static void hmac(const unsigned char key[32], const void *data, size_t len,
		 unsigned char out[32])
{
	unsigned int n = 32;

	if (!HMAC(EVP_sha256(), key, 32, data, len, out, &n))
		diag_oom();
}

void audit_mac_line(const unsigned char key[32], const char *line, size_t len,
		    unsigned char mac[32])
{
	unsigned char mackey[32];

	hmac(key, "brain-audit mac", 15, mackey);
	hmac(mackey, line + AUDIT_MACED_AT, len - AUDIT_MACED_AT, mac);
	OPENSSL_cleanse(mackey, sizeof(mackey));
}

void audit_key_evolve(unsigned char key[32])
{
	unsigned char next[32];

	hmac(key, "brain-audit evolve", 18, next);
	memcpy(key, next, 32);
	OPENSSL_cleanse(next, sizeof(next));
}

const char *audit_actor(void)
{
	static char name[256];
	const char *env = getenv("BRAIN_ACTOR");
	struct passwd pw, *found = NULL;
	char buf[4096];

	if (env && *env)
		return env;
	/* The login name does not change within a run: looked up once, not
	 * per record (a read of the password database each time). */
	if (name[0])
		return name;
	if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &found) == 0 && found) {
		snprintf(name, sizeof(name), "%s", found->pw_name);
		return name;
	}
	snprintf(name, sizeof(name), "uid:%ld", (long)geteuid());
	return name;
}

enum brain_status audit_key_state_read(int dirfd, uint64_t *s, unsigned char key[32])
{
	enum brain_status status;
	char *text, *p, *end;
	size_t len, magic = strlen(KEY_STATE_MAGIC);

	status = file_read_all(dirfd, AUDIT_KEY_STATE, 4096, &text, &len);
	if (status)
		return status;
	p = text + magic;
	if (len < magic || memcmp(text, KEY_STATE_MAGIC, magic))
		goto corrupt;
	errno = 0;
	*s = strtoull(p, &end, 10);
	if (errno || end == p || *end != '\n' || *s < 1 || strlen(end + 1) != 65 ||
	    end[65] != '\n' || hash_unhex(end + 1, 32, key))
		goto corrupt;
	OPENSSL_cleanse(text, len);
	free(text);
	return BRAIN_OK;
corrupt:
	OPENSSL_cleanse(text, len);
	free(text);
	return diag_error(BRAIN_STATE, AUDIT_KEY_STATE ": corrupt key state");
}

enum brain_status audit_key_state_write(int dirfd, uint64_t s, const unsigned char key[32])
{
	char text[128], hex[65];
	enum brain_status status;
	int n;

	hash_hex(key, 32, hex);
	n = snprintf(text, sizeof(text), KEY_STATE_MAGIC "%" PRIu64 "\n%s\n", s, hex);
	status = file_replace(dirfd, AUDIT_KEY_STATE, text, (size_t)n);
	OPENSSL_cleanse(text, sizeof(text));
	OPENSSL_cleanse(hex, sizeof(hex));
	return status;
}

void audit_checkpoint_name(uint64_t n, char out[64])
{
	snprintf(out, 64, "%020" PRIu64, n);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

enum brain_status audit_checkpoint_sizes(int dirfd, uint64_t **sizes, size_t *count)
{
	int fd = openat(dirfd, AUDIT_CHECKPOINTS, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t cap = 0;
	struct dirent *e;
	DIR *d;

	*sizes = NULL;
	*count = 0;
	if (fd < 0)
		return errno == ENOENT ? BRAIN_OK
				       : diag_errno(BRAIN_STATE, errno, "cannot open "
						    AUDIT_CHECKPOINTS);
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return diag_errno(BRAIN_STATE, errno, "cannot read " AUDIT_CHECKPOINTS);
	}
	while ((e = readdir(d))) {
		char *end;
		uint64_t n;

		if (strlen(e->d_name) != 20 || e->d_name[0] == '.')
			continue;
		n = strtoull(e->d_name, &end, 10);
		if (*end || n == 0)
			continue;
		if (*count == cap) {
			cap = cap ? 2 * cap : 16;
			*sizes = xrealloc(*sizes, cap * sizeof(**sizes));
		}
		(*sizes)[(*count)++] = n;
	}
	closedir(d);
	if (*count)
		qsort(*sizes, *count, sizeof(**sizes), cmp_u64);
	return BRAIN_OK;
}

/* The first line of the log (with LF) into buf; its length, 0 if empty. */
static enum brain_status read_header(int fd, char *buf, size_t size, size_t *len)
{
	ssize_t got = pread(fd, buf, size - 1, 0);
	char *nl;

	*len = 0;
	if (got < 0)
		return diag_errno(BRAIN_STATE, errno, AUDIT_LOG ": cannot read");
	if (got == 0)
		return BRAIN_OK;
	buf[got] = '\0';
	nl = memchr(buf, '\n', (size_t)got);
	if (!nl)
		return diag_error(BRAIN_STATE, AUDIT_LOG ": line 1 is not a log header");
	*len = (size_t)(nl - buf + 1);
	return BRAIN_OK;
}

/* Whether the log's header says it is MAC'd. */
static enum brain_status header_mode(int fd, int *mac)
{
	char buf[4096];
	size_t len;
	enum brain_status status = read_header(fd, buf, sizeof(buf), &len);
	cJSON *line, *rec;
	const cJSON *mode;

	*mac = 0;
	if (status || len == 0)
		return status;
	line = cJSON_ParseWithLength(buf, len);
	rec = cJSON_GetObjectItemCaseSensitive(line, "rec");
	mode = cJSON_GetObjectItemCaseSensitive(rec, "mac");
	if (!cJSON_IsString(mode) ||
	    (strcmp(mode->valuestring, "none") && strcmp(mode->valuestring, "fs-hmac-sha256"))) {
		cJSON_Delete(line);
		return diag_error(BRAIN_STATE, AUDIT_LOG ": line 1 is not a valid log header; "
				  "run brain-audit verify");
	}
	*mac = !strcmp(mode->valuestring, "fs-hmac-sha256");
	cJSON_Delete(line);
	return BRAIN_OK;
}

/* The last line of a log of size bytes that ends in LF: seq, hash, and a
 * copy of the line (caller frees).  An empty log: seq 0, zero hash. */
/* Whether the last line (at start, len bytes with its LF, in buf) fails
 * to chain to the line before it: its prev is not the SHA-256 of that
 * line.  The header has no line before it; a line before that does not
 * fit in buf entirely (more of the log precedes buf) is not checked. */
static int tail_link_broken(const char *buf, const char *start, size_t len, int more)
{
	const char *prev = start - 1, *p;
	char hex[65];

	if (start == buf || len < AUDIT_PREV_AT + 64)
		return 0;
	for (p = prev; p > buf && p[-1] != '\n'; p--)
		;
	if (p == buf && more)
		return 0;
	hash_sha256_hex(p, (size_t)(start - p), hex);
	return memcmp(start + AUDIT_PREV_AT, hex, 64) != 0;
}

static enum brain_status read_tail(int fd, off_t size, uint64_t *seq, char hash[65],
				   char **last, size_t *last_len)
{
	/* The last two lines: the last must chain to the one before. */
	size_t most = 2 * (AUDIT_MAX_LINE + 2);
	size_t want = size < (off_t)most ? (size_t)size : most;
	char *buf, *start, *p;
	cJSON *line;
	const cJSON *s;
	ssize_t got;

	*seq = 0;
	*last = NULL;
	*last_len = 0;
	memcpy(hash, AUDIT_ZERO_HASH, 65);
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
	*last_len = (size_t)(buf + want - start);
	if (tail_link_broken(buf, start, *last_len, (off_t)want < size)) {
		free(buf);
		return diag_error(BRAIN_STATE, AUDIT_LOG ": the last record does not chain to the "
				  "one before it (one of them was changed): nothing is added to a "
				  "broken chain; run brain-audit verify to see where, and restore "
				  "the log from a copy");
	}
	hash_sha256_hex(start, *last_len, hash);
	line = cJSON_ParseWithLength(start, *last_len);
	s = cJSON_GetObjectItemCaseSensitive(line, "seq");
	if (!cJSON_IsNumber(s) || s->valuedouble < 1) {
		cJSON_Delete(line);
		free(buf);
		return diag_error(BRAIN_STATE, AUDIT_LOG ": last record is corrupt; run "
				  "brain-audit verify");
	}
	*seq = (uint64_t)s->valuedouble;
	cJSON_Delete(line);
	*last = xmalloc(*last_len + 1);
	memcpy(*last, start, *last_len);
	(*last)[*last_len] = '\0';
	free(buf);
	return BRAIN_OK;
}

/* A growing output buffer of lines. */
struct lines {
	char *buf;
	size_t len, cap;
};

static char *lines_reserve(struct lines *l, size_t n)
{
	if (l->len + n + 1 > l->cap) {
		l->cap = (l->len + n + 1) * 2;
		l->buf = xrealloc(l->buf, l->cap);
	}
	return l->buf + l->len;
}

/* Append one record line to out: the five members in sorted order, the
 * MAC over bytes 75..end computed when key is not NULL (then evolved). */
static enum brain_status add_line(struct lines *out, const char *prev, const char *rec,
				  uint64_t seq, time_t now, unsigned char *key,
				  char hash[65])
{
	char ts[TIME_TEXT_SIZE];
	size_t room = strlen(rec) + 256;
	char *line = lines_reserve(out, room);
	int n;

	time_text_format(now, ts);
	n = snprintf(line, room, "{\"mac\":\"%s\",\"prev\":\"%s\",\"rec\":%s,\"seq\":%" PRIu64
		     ",\"ts\":\"%s\"}\n", AUDIT_ZERO_HASH, prev, rec, seq, ts);
	if ((size_t)n > AUDIT_MAX_LINE)
		return diag_error(BRAIN_DATA, "audit record of %d bytes is over the 64 KiB "
				  "limit", n);
	if (key) {
		unsigned char mac[32];
		char machex[65];

		audit_mac_line(key, line, (size_t)n, mac);
		hash_hex(mac, 32, machex);
		memcpy(line + AUDIT_MAC_AT, machex, 64);
		audit_key_evolve(key);
	}
	hash_sha256_hex(line, (size_t)n, hash);
	out->len += (size_t)n;
	return BRAIN_OK;
}

static char *header_rec(const char *origin, time_t now, int mac)
{
	char ts[TIME_TEXT_SIZE];
	cJSON *rec = cJSON_CreateObject();
	char *text;

	time_text_format(now, ts);
	cJSON_AddStringToObject(rec, "created", ts);
	cJSON_AddStringToObject(rec, "log", origin);
	cJSON_AddStringToObject(rec, "mac", mac ? "fs-hmac-sha256" : "none");
	cJSON_AddStringToObject(rec, "type", "log.init");
	cJSON_AddNumberToObject(rec, "v", 1);
	text = json_print_compact(rec);
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
	text = json_print_compact(rec);
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
	/* rec is one level and details another inside the line's object. */
	if (ev->details && json_depth(ev->details) > AUDIT_MAX_DEPTH - 2)
		return diag_error(BRAIN_DATA, "audit details nest deeper than %d levels",
				  AUDIT_MAX_DEPTH - 2);
	if (ev->details && json_find_nonfinite(ev->details, &path))
		return diag_error(BRAIN_DATA, "audit details hold a non-finite number in '%s'",
				  path);
	if (ev->id && !valid_id(ev->id))
		return diag_error(BRAIN_DATA, "audit record id must be 32 lowercase hex digits");
	return BRAIN_OK;
}

/* A record id: random; but when BRAIN_NOW fixes the clock (tests and
 * replays), derived from the position so that the same input and state
 * give the same bytes: SHA-256("brain-audit id" || prev || seq). */
static enum brain_status new_id(const char prev[65], uint64_t seq, char out[33])
{
	unsigned char raw[16];
	const char *fixed = getenv("BRAIN_NOW");

	if (fixed && *fixed) {
		char text[128], hex[65];
		int n = snprintf(text, sizeof(text), "brain-audit id %s %" PRIu64, prev, seq);

		hash_sha256_hex(text, (size_t)n, hex);
		memcpy(out, hex, 32);
		out[32] = '\0';
		return BRAIN_OK;
	}
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return diag_errno(BRAIN_IO, errno, "cannot get random bytes");
	hash_hex(raw, sizeof(raw), out);
	return BRAIN_OK;
}

/* For events with a caller-given id already in the log, fill their ack
 * (seq, hash, existed).  One pass over the log, only when ids are given. */
static enum brain_status find_existing_ids(int fd, off_t size, const struct audit_event *evs,
					   size_t count, struct audit_ack *acks)
{
	size_t wanted = 0;
	char *map;

	for (size_t i = 0; i < count; i++)
		wanted += evs[i].id != NULL;
	if (!wanted || size == 0)
		return BRAIN_OK;
	map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return diag_errno(BRAIN_STATE, errno, AUDIT_LOG ": cannot read");
	for (size_t i = 0; i < count; i++) {
		char needle[48];
		const char *hit = map, *end = map + size;

		if (!evs[i].id)
			continue;
		snprintf(needle, sizeof(needle), "\"id\":\"%s\"", evs[i].id);
		while ((hit = memmem(hit, (size_t)(end - hit), needle, strlen(needle)))) {
			const char *bol = hit, *eol = memchr(hit, '\n', (size_t)(end - hit));
			cJSON *line, *seq;
			const cJSON *id;

			while (bol > map && bol[-1] != '\n')
				bol--;
			eol = eol ? eol + 1 : end;
			/* The needle could sit inside details: check rec.id itself. */
			line = cJSON_ParseWithLength(bol, (size_t)(eol - bol));
			id = cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(line, "rec"), "id");
			seq = cJSON_GetObjectItemCaseSensitive(line, "seq");
			if (cJSON_IsString(id) && !strcmp(id->valuestring, evs[i].id) &&
			    cJSON_IsNumber(seq)) {
				acks[i].seq = (uint64_t)seq->valuedouble;
				hash_sha256_hex(bol, (size_t)(eol - bol), acks[i].hash);
				memcpy(acks[i].id, evs[i].id, 33);
				acks[i].existed = 1;
				cJSON_Delete(line);
				break;
			}
			cJSON_Delete(line);
			hit = eol;
		}
	}
	munmap(map, (size_t)size);
	return BRAIN_OK;
}

/* Where the log stands: size, seq and hash of the last record, MAC mode
 * and, in MAC mode, the key of record n + 1. */
struct log_tail {
	off_t size;
	uint64_t seq;
	char hash[65];
	int mac;
	unsigned char key[32];
};

/* A crash after an append, before the key state moved on, leaves the key
 * of record s <= n.  Records s..n must carry the MACs of that key as it
 * evolves; then the key is that of n + 1.  Anything else is refused. */
static enum brain_status catch_up_key(struct state *st, uint64_t s, struct log_tail *t)
{
	struct jsonl_reader r;
	const char *line;
	size_t len;
	int fd = openat(st->dirfd, AUDIT_LOG, O_RDONLY | O_CLOEXEC), rc;
	enum brain_status status = BRAIN_OK;

	if (fd < 0)
		return diag_errno(BRAIN_STATE, errno, "cannot open " AUDIT_LOG);
	jsonl_open_fd(&r, fd, AUDIT_LOG, AUDIT_MAX_LINE);
	while ((rc = jsonl_next_line(&r, &line, &len)) == BRAIN_OK && (uint64_t)r.line <= t->seq) {
		unsigned char mac[32], have[32];

		if ((uint64_t)r.line < s)
			continue;
		audit_mac_line(t->key, line, len + 1, mac);
		if (len < AUDIT_MAC_AT + 64 || hash_unhex(line + AUDIT_MAC_AT, 32, have) ||
		    CRYPTO_memcmp(mac, have, 32)) {
			status = diag_error(BRAIN_STATE, AUDIT_KEY_STATE ": the key does not "
					    "match record %ld; run brain-audit verify", r.line);
			break;
		}
		audit_key_evolve(t->key);
	}
	if (!status && (rc != BRAIN_OK && rc != JSONL_EOF))
		status = BRAIN_STATE;
	jsonl_close(&r);
	close(fd);
	return status;
}

static enum brain_status open_tail(struct state *st, int fd, struct log_tail *t)
{
	enum brain_status status;
	uint64_t *cps = NULL, s;
	size_t ncps = 0, last_len;
	char *last = NULL;
	int ends = file_ends_with_newline(fd, &t->size);

	if (ends < 0)
		return diag_errno(BRAIN_STATE, errno, AUDIT_LOG ": cannot read");
	if (!ends)
		return diag_error(BRAIN_STATE, "%s/" AUDIT_LOG " ends in a torn record from "
				  "a crash; run 'brain-verify --repair'", st->path);
	if ((status = read_tail(fd, t->size, &t->seq, t->hash, &last, &last_len)) ||
	    (status = header_mode(fd, &t->mac)) ||
	    (status = audit_checkpoint_sizes(st->dirfd, &cps, &ncps)))
		goto out;
	if (ncps && cps[ncps - 1] > t->seq) {
		status = diag_error(BRAIN_STATE, "%s/" AUDIT_LOG " has %" PRIu64 " records but "
				    "a checkpoint of %" PRIu64 " exists: the log was cut; run "
				    "brain-audit verify", st->path, t->seq, cps[ncps - 1]);
		goto out;
	}
	if (!t->mac)
		goto out;
	status = audit_key_state_read(st->dirfd, &s, t->key);
	if (status == BRAIN_NO)
		status = diag_error(BRAIN_STATE, "%s/" AUDIT_KEY_STATE " is missing: this MAC'd "
				    "log cannot be extended", st->path);
	if (status)
		goto out;
	if (s >= 1 && s <= t->seq && (status = catch_up_key(st, s, t)))
		goto out;
	if (s <= t->seq)
		s = t->seq + 1;
	if (s != t->seq + 1)
		status = diag_error(BRAIN_STATE, AUDIT_KEY_STATE " is at record %" PRIu64
				    " but the log has %" PRIu64 " records: %s", s, t->seq,
				    s > t->seq + 1 ? "the log was cut" : "the key state is stale");
out:
	free(cps);
	free(last);
	return status;
}

static enum brain_status origin_of(struct state *st, const char *origin, char **out)
{
	struct config *cfg;
	enum brain_status status;

	if (origin) {
		*out = xstrdup(origin);
		return BRAIN_OK;
	}
	if ((status = config_load(st->dirfd, &cfg)))
		return status;
	*out = xstrdup(config_string(cfg, "audit.origin"));
	config_free(cfg);
	return BRAIN_OK;
}

/* Sign a checkpoint after an append when the settings ask for one. */
static enum brain_status maybe_checkpoint(struct state *st, uint64_t before, uint64_t after)
{
	struct config *cfg;
	enum brain_status status = BRAIN_OK;
	int64_t every;
	char *note = NULL;

	/* A config.json that does not load is reported by whoever reads it;
	 * it must not turn a durable append into a failure. */
	if (config_load(st->dirfd, &cfg))
		return BRAIN_OK;
	every = config_int(cfg, "audit.checkpoint_every");
	if (every > 0 && *config_string(cfg, "audit.checkpoint_key") &&
	    after / (uint64_t)every > before / (uint64_t)every)
		status = audit_checkpoint(st, config_string(cfg, "audit.checkpoint_key"), &note);
	/* The records are durable already: a checkpoint that cannot be signed
	 * is a warning, and `brain-audit checkpoint` can sign one later. */
	if (status)
		diag_warn("records appended, but no checkpoint was signed: %s", diag_last());
	free(note);
	config_free(cfg);
	return BRAIN_OK;
}

enum brain_status audit_append_many(struct state *st, const char *origin,
				    const struct audit_event *evs, size_t count,
				    struct audit_ack *acks)
{
	enum brain_status status;
	struct log_tail t;
	struct lines out = { 0 };
	char *name = NULL;
	uint64_t seq;
	time_t now;
	int fd;

	memset(&t, 0, sizeof(t));
	memset(acks, 0, count * sizeof(*acks));
	for (size_t i = 0; i < count; i++)
		if ((status = check_event(&evs[i])))
			return status;
	if ((status = clock_now(&now)))
		return status;
	if (st->lockfd < 0)
		return diag_error(BRAIN_IO, "internal error: audit append without the lock");
	if ((status = file_append_open(st->dirfd, AUDIT_LOG, &fd)))
		return status;
	if ((status = open_tail(st, fd, &t)) ||
	    (status = find_existing_ids(fd, t.size, evs, count, acks)))
		goto out;
	seq = t.seq;
	if (seq == 0) {
		/* A new log starts with its header record. */
		char *rec;

		if ((status = origin_of(st, origin, &name)))
			goto out;
		rec = header_rec(name, now, 0);
		status = add_line(&out, t.hash, rec, ++seq, now, NULL, t.hash);
		free(rec);
		if (status)
			goto out;
	}
	for (size_t i = 0; i < count; i++) {
		char *rec;

		if (acks[i].existed)
			continue;
		/* The same id twice in one batch is one record. */
		for (size_t j = 0; j < i && evs[i].id; j++)
			if (evs[j].id && !strcmp(evs[j].id, evs[i].id)) {
				acks[i] = acks[j];
				acks[i].existed = 1;
			}
		if (acks[i].existed)
			continue;
		if (evs[i].id) {
			memcpy(acks[i].id, evs[i].id, 33);
		} else if ((status = new_id(t.hash, seq + 1, acks[i].id))) {
			goto out;
		}
		rec = event_rec(&evs[i], acks[i].id);
		status = add_line(&out, t.hash, rec, ++seq, now, t.mac ? t.key : NULL, t.hash);
		free(rec);
		if (status)
			goto out;
		acks[i].seq = seq;
		memcpy(acks[i].hash, t.hash, 65);
	}
	if (out.len == 0)
		goto out;
	if ((status = file_append(fd, AUDIT_LOG, out.buf, out.len)))
		goto out;
	if (t.mac && (status = audit_key_state_write(st->dirfd, seq + 1, t.key)))
		goto out;
	status = maybe_checkpoint(st, t.seq, seq);
out:
	OPENSSL_cleanse(t.key, sizeof(t.key));
	free(out.buf);
	free(name);
	close(fd);
	return status;
}

enum brain_status audit_append(struct state *st, const char *origin,
			       const struct audit_event *ev, struct audit_ack *ack)
{
	return audit_append_many(st, origin, ev, 1, ack);
}

enum brain_status audit_init(struct state *st, const char *origin, int mac,
			     unsigned char k1[32])
{
	enum brain_status status;
	struct lines out = { 0 };
	unsigned char key[32];
	char hash[65] = AUDIT_ZERO_HASH;
	char *rec, *name = NULL;
	off_t size;
	time_t now;
	int fd;

	if ((status = clock_now(&now)))
		return status;
	if (st->lockfd < 0)
		return diag_error(BRAIN_IO, "internal error: audit init without the lock");
	if ((status = file_append_open(st->dirfd, AUDIT_LOG, &fd)))
		return status;
	if (file_ends_with_newline(fd, &size) < 0 || size != 0) {
		status = diag_error(BRAIN_STATE, "%s/" AUDIT_LOG " exists already", st->path);
		goto out;
	}
	if ((status = origin_of(st, origin, &name)))
		goto out;
	if (mac && getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key)) {
		status = diag_errno(BRAIN_IO, errno, "cannot get random bytes");
		goto out;
	}
	if (mac)
		memcpy(k1, key, 32);
	rec = header_rec(name, now, mac);
	status = add_line(&out, hash, rec, 1, now, mac ? key : NULL, hash);
	free(rec);
	/* The key state goes first: a log that exists always has its key. */
	if (!status && mac)
		status = audit_key_state_write(st->dirfd, 2, key);
	if (!status)
		status = file_append(fd, AUDIT_LOG, out.buf, out.len);
out:
	OPENSSL_cleanse(key, sizeof(key));
	free(out.buf);
	free(name);
	close(fd);
	return status;
}

enum brain_status audit_head(int dirfd, uint64_t *size, char hash[65])
{
	enum brain_status status;
	char *last;
	size_t last_len;
	off_t bytes;
	int fd = openat(dirfd, AUDIT_LOG, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), ends;

	*size = 0;
	memcpy(hash, AUDIT_ZERO_HASH, 65);
	if (fd < 0)
		return errno == ENOENT ? BRAIN_OK
				       : diag_errno(BRAIN_STATE, errno, "cannot open " AUDIT_LOG);
	ends = file_ends_with_newline(fd, &bytes);
	if (ends <= 0) {
		close(fd);
		return diag_error(BRAIN_STATE, AUDIT_LOG " ends in a torn record; run "
				  "'brain-verify --repair'");
	}
	status = read_tail(fd, bytes, size, hash, &last, &last_len);
	free(last);
	close(fd);
	return status;
}

enum brain_status audit_checkpoint(struct state *st, const char *key_path, char **note)
{
	struct jsonl_reader r;
	struct merkle m;
	enum brain_status status;
	unsigned char root[32];
	char hash[65] = AUDIT_ZERO_HASH, name[64], origin[256] = "";
	const char *line;
	size_t len;
	int fd, rc, cpfd;

	*note = NULL;
	fd = openat(st->dirfd, AUDIT_LOG, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return diag_errno(BRAIN_STATE, errno, "cannot open " AUDIT_LOG);
	jsonl_open_fd(&r, fd, AUDIT_LOG, AUDIT_MAX_LINE);
	merkle_init(&m);
	while ((rc = jsonl_next_line(&r, &line, &len)) == BRAIN_OK) {
		if (!r.cur_has_lf)
			break; /* a torn tail is not part of the log */
		merkle_add(&m, line, len + 1);
		hash_sha256_hex(line, len + 1, hash);
		if (m.size == 1) {
			cJSON *l = cJSON_ParseWithLength(line, len);
			const cJSON *o = cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(l, "rec"), "log");

			if (cJSON_IsString(o))
				snprintf(origin, sizeof(origin), "%s", o->valuestring);
			cJSON_Delete(l);
		}
	}
	jsonl_close(&r);
	close(fd);
	if (rc != JSONL_EOF && rc != BRAIN_OK)
		return BRAIN_STATE;
	if (m.size == 0 || !*origin)
		return diag_error(BRAIN_STATE, AUDIT_LOG " has no valid header to checkpoint");
	merkle_root(&m, root);
	if ((status = checkpoint_sign(key_path, origin, m.size, root, hash, note)))
		return status;
	if ((status = state_subdir(st, AUDIT_CHECKPOINTS, 1, &cpfd)))
		return status;
	audit_checkpoint_name(m.size, name);
	/* Written once, never rewritten: an existing one of the same size is
	 * the same note. */
	if (faccessat(cpfd, name, F_OK, 0) != 0)
		status = file_replace(cpfd, name, *note, strlen(*note));
	close(cpfd);
	return status;
}

enum brain_status audit_each(int dirfd, audit_each_fn *fn, void *arg)
{
	struct jsonl_reader r;
	enum brain_status status = BRAIN_OK;
	int fd = openat(dirfd, AUDIT_LOG, O_RDONLY | O_CLOEXEC), rc;
	cJSON *line;

	if (fd < 0)
		return errno == ENOENT ? BRAIN_NO : diag_errno(BRAIN_STATE, errno, "cannot open " AUDIT_LOG);
	jsonl_open_fd(&r, fd, AUDIT_LOG, AUDIT_MAX_LINE);
	while ((rc = jsonl_next(&r, &line)) != JSONL_EOF) {
		int stop;

		if (rc) {
			status = BRAIN_STATE;
			break;
		}
		stop = fn(arg, line, cJSON_GetObjectItemCaseSensitive(line, "rec"), (uint64_t)r.line);
		cJSON_Delete(line);
		if (stop)
			break;
	}
	jsonl_close(&r);
	close(fd);
	return status;
}
