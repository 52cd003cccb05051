/* ingest_store.c - the learning files of brain-ingest; see ingest_store.h. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/change.h"
#include "core/file.h"
#include "core/ingest_store.h"
#include "core/jsonl.h"
#include "diag.h"
#include "banned.h"

enum brain_status ingest_store_sources(int dirfd, cJSON **out)
{
	char *text;
	size_t len;
	enum brain_status status = file_read_all(dirfd, INGEST_SOURCES, (size_t)1 << 20, &text, &len);

	if (status == BRAIN_NO) {
		*out = cJSON_CreateArray();
		return BRAIN_OK;
	}
	if (status)
		return status;
	*out = cJSON_ParseWithLength(text, len);
	free(text);
	if (!cJSON_IsArray(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		return diag_error(BRAIN_STATE, INGEST_SOURCES ": not a list of sources");
	}
	return BRAIN_OK;
}

cJSON *ingest_store_source_find(cJSON *list, const char *name)
{
	cJSON *s;

	cJSON_ArrayForEach(s, list) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(s, "name");

		if (cJSON_IsString(n) && !strcasecmp(n->valuestring, name))
			return s;
	}
	return NULL;
}

enum brain_status ingest_store_save_sources(struct state *st, const cJSON *list,
					   const struct audit_event *ev)
{
	return change_save_json(st, "learning", "sources.json", list, NULL, ev);
}

int ingest_store_suppressed(int dirfd, const char *kind, const char *value, char rule[32])
{
	struct jsonl_reader r;
	int fd = openat(dirfd, "learning/" INGEST_SUPPRESSION, O_RDONLY | O_CLOEXEC), rc, found = 0;
	cJSON *line;

	if (fd < 0)
		return 0;
	jsonl_open_fd(&r, fd, "learning/" INGEST_SUPPRESSION, 0);
	while (!found && (rc = jsonl_next(&r, &line)) != JSONL_EOF) {
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(line, "kind");
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(line, "value");
		const cJSON *ru = cJSON_GetObjectItemCaseSensitive(line, "rule");

		if (rc == BRAIN_OK && cJSON_IsString(k) && cJSON_IsString(v) &&
		    !strcmp(k->valuestring, kind) && !strcmp(v->valuestring, value)) {
			found = 1;
			snprintf(rule, 32, "%s", cJSON_IsString(ru) ? ru->valuestring : "suppressed");
		}
		cJSON_Delete(line);
	}
	jsonl_close(&r);
	close(fd);
	return found;
}
