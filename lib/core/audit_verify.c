/* audit_verify.c - one streaming check of the audit log; see audit_verify.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/audit.h"
#include "core/audit_verify.h"
#include "core/checkpoint.h"
#include "core/clock.h"
#include "diag.h"
#include "core/file.h"
#include "core/jsonl.h"
#include "pure/hash.h"
#include "pure/json.h"
#include "pure/merkle.h"
#include "banned.h"

/* A size at which the log must have a given root and/or chain hash. */
struct expectation {
	uint64_t size;
	int has_root;
	unsigned char root[32];
	char chain[65];
	int checkpoint;          /* 1: from checkpoints/, 0: from --anchor */
	char name[512];          /* file, for the detail */
	char origin[256];        /* of a note; checked against the header */
};

struct verifier {
	const struct audit_verify_opts *o;
	struct audit_report *rep;
	struct merkle merkle;
	int need_merkle;
	int mac_mode;            /* the header says fs-hmac-sha256 */
	int have_key;
	unsigned char key[32];   /* K_i for the current line */
	char origin[256];
	time_t last_ts;
	struct expectation *exp;
	size_t nexp;
	size_t next_exp;         /* index of the next expectation to meet */
	/* The checkpoint settings as the trail recorded them: from record
	 * cp_since on, a checkpoint is signed every cp_every records (when
	 * a key is set too), so one must cover the last multiple. */
	int64_t cp_every;
	int cp_key;
	uint64_t cp_since;
	int each_on;             /* o->each is still to be called */
	int each_broken;         /* a line did not parse as audit_each parses it */
};

/* Where diagnostics go that the report says anyway: opened once. */
static FILE *null_stream(void)
{
	static FILE *null;

	if (!null)
		null = fopen("/dev/null", "w");
	return null;
}

static int fail(struct verifier *v, const char *error, uint64_t seq, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct verifier *v, const char *error, uint64_t seq, const char *fmt, ...)
{
	va_list ap;

	v->rep->ok = 0;
	v->rep->error = error;
	v->rep->seq = seq;
	va_start(ap, fmt);
	vsnprintf(v->rep->detail, sizeof(v->rep->detail), fmt, ap);
	va_end(ap);
	return -1;
}

/* Through pure/hash: SHA-256 fetched once, not once a record. */
static void sha256(const void *data, size_t len, unsigned char out[32])
{
	hash_sha256_parts(1, &data, &len, out);
}

/* Whether the 64 bytes at s are lowercase hex: every byte tested, with
 * no branch on each, so that the loop is a few vector operations. */
static int is_hex64(const char *s)
{
	unsigned bad = 0;

	for (int i = 0; i < 64; i++) {
		unsigned c = (unsigned char)s[i];

		bad |= (c - '0' > 9u) & (c - 'a' > 5u);
	}
	return !bad;
}

/* The rec member of whole when whole has exactly the members of a
 * record line, in their order; else NULL. */
static const cJSON *rec_member(const cJSON *whole)
{
	static const char *const names[] = { "mac", "prev", "rec", "seq", "ts" };
	const cJSON *item = whole ? whole->child : NULL, *rec = NULL;

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++, item = item->next) {
		if (!item || !item->string || strcmp(item->string, names[k]))
			return NULL;
		if (k == 2)
			rec = item;
	}
	return item ? NULL : rec;
}

/* The rec object of a line whose layout checked, the text from
 * AUDIT_REC_AT to rec_end.  whole is the line parsed as strict JSON, or
 * NULL.  When whole has exactly the members mac, prev, rec, seq, ts and
 * that text starts with '{' and ends with '}', the text is rec's value and
 * nothing else (the fixed prefix and the suffix leave no other reading),
 * so its object in whole is what parsing the text gives: it is taken
 * from there (*owned 0) rather than parsed twice.  Else the text is
 * parsed (*owned 1: the caller deletes it); NULL when it is not exactly
 * one JSON object. */
static cJSON *rec_of(const char *line, const char *rec_end, const cJSON *whole, int *owned)
{
	const cJSON *rec = rec_member(whole);
	const char *end;
	cJSON *parsed;

	if (cJSON_IsObject(rec) && line[AUDIT_REC_AT] == '{' && rec_end[-1] == '}') {
		*owned = 0;
		return (cJSON *)rec;
	}
	*owned = 1;
	parsed = cJSON_ParseWithLengthOpts(line + AUDIT_REC_AT,
					   (size_t)(rec_end - (line + AUDIT_REC_AT)), &end, 0);
	if (parsed && (end != rec_end || !cJSON_IsObject(parsed))) {
		cJSON_Delete(parsed);
		parsed = NULL;
	}
	return parsed;
}

/* Check line i (len bytes plus its LF at line[len]) against the layout:
 * fixed prefix, hex fields, rec object, seq and ts suffix.  Sets *rec
 * (the caller deletes it when *owned; see rec_of for whole) and *ts. */
static int check_layout(struct verifier *v, uint64_t i, const char *line, size_t len,
			const cJSON *whole, cJSON **rec, int *owned, time_t *ts)
{
	static const char ts_part[] = ",\"ts\":\"";
	const char *seq_at, *p;
	char tsbuf[TIME_TEXT_SIZE];
	uint64_t seq = 0;

	*rec = NULL;
	*owned = 0;
	if (len + 1 > AUDIT_MAX_LINE)
		return fail(v, "bad_line", i, "line %" PRIu64 " is longer than 64 KiB", i);
	/* A line that parsed as strict JSON was valid UTF-8 already. */
	if (!whole && !json_utf8_valid(line, len))
		return fail(v, "bad_line", i, "line %" PRIu64 " is not valid UTF-8", i);
	if (len < AUDIT_REC_AT + 2 + 30 || memcmp(line, "{\"mac\":\"", 8) ||
	    !is_hex64(line + AUDIT_MAC_AT) || memcmp(line + 72, "\",\"prev\":\"", 10) ||
	    !is_hex64(line + AUDIT_PREV_AT) || memcmp(line + 146, "\",\"rec\":", 8) ||
	    memcmp(line + len - 2, "\"}", 2))
		return fail(v, "bad_line", i, "line %" PRIu64 " does not have the record layout", i);
	/* From the end: ,"seq":N,"ts":"YYYY-MM-DDTHH:MM:SSZ"} */
	p = line + len - 2 - 20;
	if (memcmp(p - 7, ts_part, 7))
		return fail(v, "bad_line", i, "line %" PRIu64 " does not end in seq and ts", i);
	memcpy(tsbuf, p, 20);
	tsbuf[20] = '\0';
	if (time_text_parse(tsbuf, ts) || tsbuf[19] != 'Z')
		return fail(v, "bad_line", i, "line %" PRIu64 " has a bad timestamp", i);
	p -= 7;
	seq_at = p;
	while (seq_at > line + AUDIT_REC_AT && seq_at[-1] >= '0' && seq_at[-1] <= '9')
		seq_at--;
	if (seq_at == p || (*seq_at == '0') || p - seq_at > 19 ||
	    memcmp(seq_at - 7, ",\"seq\":", 7))
		return fail(v, "bad_line", i, "line %" PRIu64 " has a bad seq", i);
	for (const char *d = seq_at; d < p; d++)
		seq = seq * 10 + (uint64_t)(*d - '0');
	if (!(*rec = rec_of(line, seq_at - 7, whole, owned)))
		return fail(v, "bad_line", i, "line %" PRIu64 ": rec is not one JSON object", i);
	if (json_depth(*rec) > AUDIT_MAX_DEPTH - 1)
		return fail(v, "bad_line", i, "line %" PRIu64 " nests deeper than %d", i,
			    AUDIT_MAX_DEPTH);
	if (seq != i)
		return fail(v, "seq_mismatch", i, "line %" PRIu64 " has seq %" PRIu64
			    " (records inserted, deleted or reordered)", i, seq);
	return 0;
}

static int check_header(struct verifier *v, const cJSON *rec)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(rec, "type");
	const cJSON *mode = cJSON_GetObjectItemCaseSensitive(rec, "mac");
	const cJSON *log = cJSON_GetObjectItemCaseSensitive(rec, "log");
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(rec, "v");

	if (!cJSON_IsString(type) || strcmp(type->valuestring, "log.init") ||
	    !cJSON_IsString(log) || !cJSON_IsNumber(ver) || ver->valuedouble != 1 ||
	    !cJSON_IsString(mode) || (strcmp(mode->valuestring, "none") &&
				      strcmp(mode->valuestring, "fs-hmac-sha256")))
		return fail(v, "bad_header", 1, "line 1 is not a version 1 log.init record");
	v->mac_mode = !strcmp(mode->valuestring, "fs-hmac-sha256");
	snprintf(v->origin, sizeof(v->origin), "%s", log->valuestring);
	if (v->have_key && !v->mac_mode)
		return fail(v, "mac_mode", 1, "a MAC key was given but the log says it has "
			    "no MACs (mode switched to none?)");
	for (size_t i = 0; i < v->nexp; i++)
		if (v->exp[i].has_root && strcmp(v->exp[i].origin, v->origin))
			return fail(v, v->exp[i].checkpoint ? "checkpoint_bad" : "anchor_bad",
				    v->exp[i].size, "%s is for log '%s', not '%s'", v->exp[i].name,
				    v->exp[i].origin, v->origin);
	return 0;
}

static int check_mac(struct verifier *v, uint64_t i, const char *line, size_t len)
{
	unsigned char mac[32], have[32];

	if (!v->mac_mode) {
		if (memcmp(line + AUDIT_MAC_AT, AUDIT_ZERO_HASH, 64))
			return fail(v, "mac_mode", i, "line %" PRIu64 " has a MAC in a log "
				    "without MACs", i);
		return 0;
	}
	if (!v->have_key)
		return 0;
	audit_mac_line(v->key, line, len + 1, mac);
	hash_unhex(line + AUDIT_MAC_AT, 32, have);
	audit_key_evolve(v->key);
	if (CRYPTO_memcmp(mac, have, 32))
		return fail(v, "mac_mismatch", i, "line %" PRIu64 " does not carry the MAC of "
			    "its position", i);
	return 0;
}

/* Meet every expectation at the current size. */
static int check_expectations(struct verifier *v)
{
	uint64_t n = v->rep->size;

	while (v->next_exp < v->nexp && v->exp[v->next_exp].size == n) {
		struct expectation *e = &v->exp[v->next_exp++];
		const char *what = e->checkpoint ? "checkpoint" : "anchor";

		if (strcmp(e->chain, v->rep->hash))
			return fail(v, e->checkpoint ? "checkpoint_mismatch" : "anchor_mismatch",
				    n, "%s %s: hash at size %" PRIu64 " differs", what, e->name, n);
		if (e->has_root) {
			unsigned char root[32];

			merkle_root(&v->merkle, root);
			if (memcmp(root, e->root, 32))
				return fail(v, e->checkpoint ? "checkpoint_mismatch"
					    : "anchor_mismatch", n, "%s %s: tree root at size %"
					    PRIu64 " differs", what, e->name, n);
		}
		if (e->checkpoint)
			v->rep->checkpoints++;
		else
			v->rep->anchors++;
	}
	return 0;
}

static int cmp_expectation(const void *a, const void *b)
{
	const struct expectation *x = a, *y = b;

	return x->size < y->size ? -1 : x->size > y->size;
}

static struct expectation *add_expectation(struct verifier *v)
{
	v->exp = xrealloc(v->exp, (v->nexp + 1) * sizeof(*v->exp));
	memset(&v->exp[v->nexp], 0, sizeof(*v->exp));
	return &v->exp[v->nexp++];
}

/* Read one note or head file into an expectation.  Returns -1 (report
 * filled) when it is malformed or its signature does not verify. */
static int load_note(struct verifier *v, int dirfd, const char *path, int checkpoint)
{
	struct checkpoint cp;
	struct expectation *e;
	char *text;
	size_t len;
	enum brain_status status;
	FILE *was;
	const char *bad = checkpoint ? "checkpoint_bad" : "anchor_bad";

	status = file_read_all(dirfd, path, 65536, &text, &len);
	if (status)
		return fail(v, bad, 0, "cannot read %s", path);
	if (!checkpoint && len > 0 && text[0] == '{') {
		cJSON *head = cJSON_Parse(text);
		const cJSON *size = cJSON_GetObjectItemCaseSensitive(head, "size");
		const cJSON *hash = cJSON_GetObjectItemCaseSensitive(head, "hash");

		free(text);
		if (!cJSON_IsNumber(size) || size->valuedouble < 1 || !cJSON_IsString(hash) ||
		    strlen(hash->valuestring) != 64 || !is_hex64(hash->valuestring)) {
			cJSON_Delete(head);
			return fail(v, bad, 0, "%s is neither a head line nor a checkpoint", path);
		}
		e = add_expectation(v);
		e->size = (uint64_t)size->valuedouble;
		memcpy(e->chain, hash->valuestring, 65);
		snprintf(e->name, sizeof(e->name), "%s", path);
		cJSON_Delete(head);
		return 0;
	}
	/* Diagnostics of the parser would name the problem on stderr; the
	 * report says it too, so keep stderr for real errors only. */
	was = diag_set_stream(null_stream());
	status = checkpoint_parse(text, len, path, &cp);
	diag_set_stream(was);
	free(text);
	if (status)
		return fail(v, bad, 0, "%s is not a checkpoint note", path);
	if (v->o->pubkey_path) {
		status = checkpoint_verify(&cp, v->o->pubkey_path);
		if (status == BRAIN_IO)
			return -2;
		if (status)
			return fail(v, "checkpoint_signature", cp.size, "%s: signature does not "
				    "verify with %s", path, v->o->pubkey_path);
	}
	e = add_expectation(v);
	e->size = cp.size;
	e->has_root = 1;
	memcpy(e->root, cp.root, 32);
	memcpy(e->chain, cp.chain, 65);
	e->checkpoint = checkpoint;
	snprintf(e->name, sizeof(e->name), "%s%s", checkpoint ? AUDIT_CHECKPOINTS "/" : "",
		 path);
	/* The origin is checked once the header has been read. */
	snprintf(e->origin, sizeof(e->origin), "%s", cp.origin);
	v->need_merkle = 1;
	return 0;
}

static enum brain_status read_k1(const char *path, unsigned char key[32])
{
	FILE *fp = fopen(path, "r");
	char hex[80] = "";
	size_t n;

	if (!fp)
		return diag_errno(BRAIN_USAGE, errno, "cannot open key file '%s'", path);
	n = fread(hex, 1, sizeof(hex) - 1, fp);
	fclose(fp);
	while (n > 0 && (hex[n - 1] == '\n' || hex[n - 1] == '\r' || hex[n - 1] == ' '))
		n--;
	if (n != 64 || hash_unhex(hex, 32, key)) {
		OPENSSL_cleanse(hex, sizeof(hex));
		return diag_error(BRAIN_USAGE, "key file '%s' must hold 64 hex digits (K1)", path);
	}
	OPENSSL_cleanse(hex, sizeof(hex));
	return BRAIN_OK;
}

static int load_expectations(struct verifier *v, int dirfd)
{
	uint64_t *sizes;
	size_t count;
	int rc = 0;

	if (audit_checkpoint_sizes(dirfd, &sizes, &count))
		return fail(v, "checkpoint_bad", 0, "cannot list checkpoints");
	int cpfd = count ? openat(dirfd, AUDIT_CHECKPOINTS, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;

	if (count && cpfd < 0) {
		free(sizes);
		return fail(v, "checkpoint_bad", 0, "cannot open " AUDIT_CHECKPOINTS);
	}
	for (size_t i = 0; i < count && !rc; i++) {
		char name[64];

		audit_checkpoint_name(sizes[i], name);
		rc = load_note(v, cpfd, name, 1);
		if (!rc && v->exp[v->nexp - 1].size != sizes[i])
			rc = fail(v, "checkpoint_bad", sizes[i], "%s holds a checkpoint of size %"
				  PRIu64, name, v->exp[v->nexp - 1].size);
	}
	free(sizes);
	if (cpfd >= 0)
		close(cpfd);
	for (size_t i = 0; i < v->o->nanchors && !rc; i++)
		rc = load_note(v, AT_FDCWD, v->o->anchors[i], 0);
	if (v->nexp)
		qsort(v->exp, v->nexp, sizeof(*v->exp), cmp_expectation);
	return rc;
}

/* Checks after the last line: nothing expected beyond the end. */
static int check_end(struct verifier *v, int dirfd)
{
	uint64_t n = v->rep->size, s;
	unsigned char key[32];
	enum brain_status status;

	if (v->next_exp < v->nexp) {
		struct expectation *e = &v->exp[v->next_exp];

		return fail(v, e->checkpoint ? "checkpoint_beyond_log" : "anchor_beyond_log",
			    e->size, "%s %s is of size %" PRIu64 " but the log has %" PRIu64
			    " records: it was cut or rolled back", e->checkpoint ? "checkpoint"
			    : "anchor", e->name, e->size, n);
	}
	if (v->cp_every > 0 && v->cp_key) {
		uint64_t last = n / (uint64_t)v->cp_every * (uint64_t)v->cp_every;
		int covered = 0;

		for (size_t i = 0; i < v->nexp; i++)
			covered |= v->exp[i].checkpoint && v->exp[i].size >= last;
		if (last > v->cp_since && !covered)
			return fail(v, "checkpoint_missing", last, "audit.checkpoint_every is %"
				    PRId64 " (record %" PRIu64 ") but no checkpoint covers record %"
				    PRIu64 ": checkpoints were deleted, or signing failed (brain-"
				    "audit checkpoint signs one)", v->cp_every, v->cp_since, last);
	}
	if (!v->mac_mode)
		return 0;
	status = audit_key_state_read(dirfd, &s, key);
	OPENSSL_cleanse(key, sizeof(key));
	if (status == BRAIN_NO)
		return fail(v, "key_state_missing", n, "the log is MAC'd but the writer's key "
			    "state " AUDIT_KEY_STATE " is missing: it was deleted, and with it the "
			    "evidence of a cut tail");
	if (status == BRAIN_OK && s > n + 1)
		return fail(v, "key_state_ahead", s, "the writer's key is at record %" PRIu64
			    " but the log ends at %" PRIu64 ": the tail was cut", s, n);
	return 0;
}

/* Follow the records that change the checkpoint settings. */
static void note_settings(struct verifier *v, uint64_t i, const cJSON *rec)
{
	const char *action = json_string(rec, "action");
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "details");
	const char *key = json_string(d, "key");
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(d, "new_value");

	if (!action || strncmp(action, "config.", 7) || !key)
		return;
	if (!strcmp(key, "audit.checkpoint_every")) {
		v->cp_every = cJSON_IsNumber(value) && value->valuedouble >= 1 &&
			      value->valuedouble < 1e15 ? (int64_t)value->valuedouble : 0;
		v->cp_since = i;
	} else if (!strcmp(key, "audit.checkpoint_key")) {
		v->cp_key = cJSON_IsString(value) && value->valuestring[0];
		v->cp_since = i;
	}
}

static int check_line(struct verifier *v, uint64_t i, const char *line, size_t len,
		      const cJSON *whole)
{
	unsigned char h[32];
	cJSON *rec;
	time_t ts;
	int owned;
	int rc = check_layout(v, i, line, len, whole, &rec, &owned, &ts);

	if (!rc && i == 1)
		rc = check_header(v, rec);
	if (!rc && i > 1 && (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(rec, "type")) ||
			     !strcmp(cJSON_GetObjectItemCaseSensitive(rec, "type")->valuestring,
				     "log.init")))
		rc = fail(v, "bad_line", i, "line %" PRIu64 " has no record type, or a second "
			  "header (spliced logs?)", i);
	if (!rc)
		note_settings(v, i, rec);
	if (owned)
		cJSON_Delete(rec);
	if (rc)
		return rc;
	if (memcmp(line + AUDIT_PREV_AT, v->rep->hash, 64))
		return fail(v, "prev_mismatch", i, "line %" PRIu64 " does not chain to the line "
			    "before (it or an earlier line was changed)", i);
	if ((rc = check_mac(v, i, line, len)))
		return rc;
	if (i > 1 && ts < v->last_ts)
		v->rep->warnings++;
	v->last_ts = ts;
	sha256(line, len + 1, h);
	hash_hex(h, 32, v->rep->hash);
	if (v->need_merkle)
		merkle_add(&v->merkle, line, len + 1);
	v->rep->size = i;
	return check_expectations(v);
}

/* Line i parsed as audit_each parses it, for o->each (scratch memory:
 * valid until the next line), or NULL when each is not to be called. */
static cJSON *parse_for_each(struct verifier *v, uint64_t i, const char *line, size_t len)
{
	struct json_loc loc = { AUDIT_LOG, (long)i };
	cJSON *whole;
	FILE *was;
	enum brain_status status;

	if (!v->each_on)
		return NULL;
	/* The parser's message is audit_each's to give, if a caller asks. */
	was = diag_set_stream(null_stream());
	status = json_parse_line_scratch(line, len, &loc, &whole);
	diag_set_stream(was);
	if (status) {
		v->each_on = 0;
		v->each_broken = 1;
	}
	return whole;
}

static enum brain_status run(struct verifier *v, int dirfd)
{
	struct jsonl_reader r;
	const char *line;
	size_t len;
	int fd, rc, status;
	cJSON *whole;

	fd = openat(dirfd, AUDIT_LOG, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return diag_errno(BRAIN_STATE, errno, "cannot open " AUDIT_LOG);
	jsonl_open_fd(&r, fd, AUDIT_LOG, AUDIT_MAX_LINE);
	rc = load_expectations(v, dirfd);
	if (rc == -2) {
		jsonl_close(&r);
		close(fd);
		return BRAIN_IO;
	}
	while (!rc) {
		/* An over-long line is reported in the report, not on stderr. */
		FILE *was = diag_set_stream(null_stream());

		status = jsonl_next_line(&r, &line, &len);
		diag_set_stream(was);
		if (status == JSONL_EOF) {
			v->rep->each_complete = v->o->each && !v->each_broken;
			break;
		}
		if (status == BRAIN_DATA) {
			rc = fail(v, "bad_line", (uint64_t)r.line, "line %ld is longer than 64 KiB",
				  r.line);
			break;
		}
		if (status) {
			jsonl_close(&r);
			close(fd);
			return BRAIN_STATE;
		}
		if (!r.cur_has_lf) {
			rc = fail(v, "torn_tail", (uint64_t)r.line, "%zu bytes after the last "
				  "newline: a write cut short by a crash; brain-verify --repair "
				  "moves them to rejects/", len);
			break;
		}
		whole = parse_for_each(v, (uint64_t)r.line, line, len);
		rc = check_line(v, (uint64_t)r.line, line, len, whole);
		if (!rc && whole && v->o->each(v->o->each_arg, whole,
					       cJSON_GetObjectItemCaseSensitive(whole, "rec"),
					       (uint64_t)r.line))
			v->each_on = 0;
		json_scratch_drop(whole);
		if (v->o->progress && (r.line & 0xffff) == 0)
			fprintf(stderr, "\r%s: verified %ld records", diag_program(), r.line);
	}
	if (v->o->progress && r.line >= 0x10000)
		fprintf(stderr, "\n");
	jsonl_close(&r);
	close(fd);
	if (!rc && v->rep->size == 0)
		rc = fail(v, "bad_header", 0, "the log is empty");
	if (!rc)
		rc = check_end(v, dirfd);
	return BRAIN_OK;
}

enum brain_status audit_verify(int dirfd, const struct audit_verify_opts *o,
			       struct audit_report *rep)
{
	struct verifier v;
	enum brain_status status;

	memset(rep, 0, sizeof(*rep));
	memset(&v, 0, sizeof(v));
	memcpy(rep->hash, AUDIT_ZERO_HASH, 65);
	rep->ok = 1;
	v.o = o;
	v.rep = rep;
	v.each_on = o->each != NULL;
	if (o->key_path) {
		if ((status = read_k1(o->key_path, v.key)))
			return status;
		v.have_key = 1;
	}
	merkle_init(&v.merkle);
	status = run(&v, dirfd);
	rep->mac = !v.mac_mode ? "none" : v.have_key ? "verified" : "unchecked";
	rep->signatures = rep->checkpoints == 0 ? "none"
			  : o->pubkey_path ? "verified" : "unchecked";
	OPENSSL_cleanse(v.key, sizeof(v.key));
	free(v.exp);
	return status;
}

cJSON *audit_report_json(const struct audit_report *rep)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddBoolToObject(o, "ok", rep->ok);
	if (!rep->ok) {
		cJSON_AddStringToObject(o, "error", rep->error);
		cJSON_AddNumberToObject(o, "seq", (double)rep->seq);
		cJSON_AddStringToObject(o, "detail", rep->detail);
	}
	cJSON_AddNumberToObject(o, "size", (double)rep->size);
	cJSON_AddStringToObject(o, "hash", rep->hash);
	cJSON_AddStringToObject(o, "mac", rep->mac ? rep->mac : "none");
	cJSON_AddNumberToObject(o, "checkpoints", (double)rep->checkpoints);
	cJSON_AddStringToObject(o, "signatures", rep->signatures ? rep->signatures : "none");
	cJSON_AddNumberToObject(o, "anchors", (double)rep->anchors);
	cJSON_AddNumberToObject(o, "warnings", (double)rep->warnings);
	return o;
}
