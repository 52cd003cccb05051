/* binding.c - state files bound to the audit trail; see binding.h. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/binding.h"
#include "core/file.h"
#include "pure/hash.h"
#include "pure/json.h"
#include "diag.h"
#include "banned.h"

void binding_add(cJSON *details, const char *path, const char *text, size_t len)
{
	char hex[65];

	hash_sha256_hex(text, len, hex);
	cJSON_AddStringToObject(details, "file", path);
	cJSON_AddStringToObject(details, "sha256", hex);
}

/* The last record naming a file. */
struct binding_bound {
	char *path;          /* as the record names it; owned */
	char sha256[65];     /* what the record says the file holds */
	uint64_t seq;        /* the record */
};

void binding_trail_init(struct binding_trail *bt, const char *only)
{
	bt->bound = NULL;
	bt->n = 0;
	bt->only = only;
}

int binding_trail_record(void *arg, const cJSON *line, const cJSON *rec, uint64_t seq)
{
	struct binding_trail *bt = arg;
	const cJSON *details = cJSON_GetObjectItemCaseSensitive(rec, "details");
	const char *path = json_string(details, "file"), *sha = json_string(details, "sha256");
	size_t i;

	(void)line;
	if (!path || !sha || strlen(sha) != 64 || (bt->only && strcmp(path, bt->only)))
		return 0;
	for (i = 0; i < bt->n && strcmp(bt->bound[i].path, path); i++)
		;
	if (i == bt->n) {
		bt->bound = xrealloc(bt->bound, (bt->n + 1) * sizeof(*bt->bound));
		bt->bound[bt->n++].path = xstrdup(path);
	}
	memcpy(bt->bound[i].sha256, sha, 65);
	bt->bound[i].seq = seq;
	return 0;
}

/* Whether the file bound by b holds what its record says; else why not,
 * in detail. */
static int matches(struct state *st, const struct binding_bound *b, char *detail, size_t size)
{
	char hex[65];
	char *text;
	size_t len;
	enum brain_status status;

	if (b->path[0] == '/' || strstr(b->path, "..")) {
		snprintf(detail, size, "audit record %" PRIu64 " names '%s', outside the state "
			 "directory", b->seq, b->path);
		return 0;
	}
	status = file_read_all(st->dirfd, b->path, (size_t)1 << 26, &text, &len);
	if (status == BRAIN_NO) {
		snprintf(detail, size, "%s is missing, but audit record %" PRIu64 " recorded it "
			 "(sha256 %.12s...): it was removed outside brain", b->path, b->seq,
			 b->sha256);
		return 0;
	}
	if (status) {
		snprintf(detail, size, "%s", diag_last_where());
		return 0;
	}
	hash_sha256_hex(text, len, hex);
	free(text);
	if (!strcmp(hex, b->sha256))
		return 1;
	snprintf(detail, size, "%s is not what audit record %" PRIu64 " recorded (sha256 "
		 "%.12s..., now %.12s...): it was changed outside brain", b->path, b->seq, b->sha256, hex);
	return 0;
}

void binding_trail_free(struct binding_trail *bt)
{
	for (size_t i = 0; i < bt->n; i++)
		free(bt->bound[i].path);
	free(bt->bound);
	binding_trail_init(bt, bt->only);
}

enum brain_status binding_trail_check(struct state *st, struct binding_trail *bt,
				      enum brain_status read, struct binding_report *r)
{
	enum brain_status status = read == BRAIN_NO ? BRAIN_OK : read;

	memset(r, 0, sizeof(*r));
	r->ok = 1;
	for (size_t i = 0; i < bt->n && !status && r->ok; i++)
		if (!matches(st, &bt->bound[i], r->detail, sizeof(r->detail)))
			r->ok = 0;
	r->files = bt->n;
	binding_trail_free(bt);
	return status;
}

static enum brain_status check(struct state *st, const char *only, struct binding_report *r)
{
	struct binding_trail bt;

	binding_trail_init(&bt, only);
	return binding_trail_check(st, &bt, audit_each(st->dirfd, binding_trail_record, &bt), r);
}

enum brain_status binding_check(struct state *st, struct binding_report *r)
{
	return check(st, NULL, r);
}

enum brain_status binding_check_file(struct state *st, const char *path,
				     struct binding_report *r)
{
	return check(st, path, r);
}

enum brain_status binding_check_verified(struct state *st, const struct audit_verify_opts *o,
					 struct audit_report *rep, struct binding_report *r)
{
	struct audit_verify_opts shared = *o;
	struct binding_trail bt;
	enum brain_status status;

	binding_trail_init(&bt, NULL);
	shared.each = binding_trail_record;
	shared.each_arg = &bt;
	if ((status = audit_verify(st->dirfd, &shared, rep))) {
		binding_trail_free(&bt);
		return status;
	}
	if (rep->each_complete)
		return binding_trail_check(st, &bt, BRAIN_OK, r);
	binding_trail_free(&bt);
	return binding_check(st, r);
}
