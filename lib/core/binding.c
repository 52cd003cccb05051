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

/* The last record naming each file. */
struct bound {
	char *path;
	char sha256[65];
	uint64_t seq;
};

struct bindings {
	struct bound *b;
	size_t n;
	const char *only;    /* the one path collected, or NULL for all */
};

static int collect(void *arg, const cJSON *line, const cJSON *rec, uint64_t seq)
{
	struct bindings *bs = arg;
	const cJSON *details = cJSON_GetObjectItemCaseSensitive(rec, "details");
	const char *path = json_string(details, "file"), *sha = json_string(details, "sha256");
	size_t i;

	(void)line;
	if (!path || !sha || strlen(sha) != 64 || (bs->only && strcmp(path, bs->only)))
		return 0;
	for (i = 0; i < bs->n && strcmp(bs->b[i].path, path); i++)
		;
	if (i == bs->n) {
		bs->b = xrealloc(bs->b, (bs->n + 1) * sizeof(*bs->b));
		bs->b[bs->n++].path = xstrdup(path);
	}
	memcpy(bs->b[i].sha256, sha, 65);
	bs->b[i].seq = seq;
	return 0;
}

/* Whether the file bound by b holds what its record says; else why not,
 * in detail. */
static int matches(struct state *st, const struct bound *b, char *detail, size_t size)
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

static enum brain_status check(struct state *st, const char *only, struct binding_report *r)
{
	struct bindings bs = { NULL, 0, only };
	enum brain_status status = audit_each(st->dirfd, collect, &bs);

	memset(r, 0, sizeof(*r));
	r->ok = 1;
	if (status == BRAIN_NO)
		status = BRAIN_OK;
	for (size_t i = 0; i < bs.n; i++) {
		if (!status && r->ok && !matches(st, &bs.b[i], r->detail, sizeof(r->detail)))
			r->ok = 0;
		free(bs.b[i].path);
	}
	r->files = bs.n;
	free(bs.b);
	return status;
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
