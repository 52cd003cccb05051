/* rejects.c - keeping rejected records in rejects/; see rejects.h. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "diag.h"
#include "core/file.h"
#include "core/jsonl.h"
#include "core/rejects.h"
#include "banned.h"

void rejects_init(struct rejects *r, struct state *st)
{
	memset(r, 0, sizeof(*r));
	r->st = st;
	r->fd = -1;
}

static enum brain_status open_file(struct rejects *r)
{
	enum brain_status status;
	char ts[TIME_TEXT_SIZE], compact[32];
	size_t j = 0;
	time_t now;
	int dirfd;

	if ((status = clock_now(&now)))
		return status;
	time_text_format(now, ts);
	for (size_t i = 0; ts[i] && j + 1 < sizeof(compact); i++)
		if (ts[i] != '-' && ts[i] != ':')
			compact[j++] = ts[i];
	compact[j] = '\0';
	if ((status = state_subdir(r->st, "rejects", 1, &dirfd)))
		return status;
	snprintf(r->name, sizeof(r->name), "%s-%s-%ld.jsonl", diag_program(), compact,
		 (long)getpid());
	status = file_append_open(dirfd, r->name, &r->fd);
	close(dirfd);
	return status;
}

enum brain_status rejects_add(struct rejects *r, const char *file, long line,
			      const char *reason, const char *raw, size_t len)
{
	enum brain_status status;
	cJSON *rec;
	char *text, *copy;
	size_t n;

	if (r->fd < 0 && (status = open_file(r)))
		return status;
	/* The raw bytes may not be valid UTF-8: keep what JSON can carry. */
	copy = xmalloc(len + 1);
	memcpy(copy, raw, len);
	copy[len] = '\0';
	if (!json_utf8_valid(copy, len))
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)copy[i] >= 0x80)
				copy[i] = '?';
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "file", file ? file : "");
	cJSON_AddNumberToObject(rec, "line", (double)line);
	cJSON_AddStringToObject(rec, "reason", reason);
	cJSON_AddStringToObject(rec, "record", copy);
	free(copy);
	text = json_format_line(rec, &n);
	cJSON_Delete(rec);
	if (!text)
		return BRAIN_IO;
	status = file_append(r->fd, r->name, text, n);
	free(text);
	if (!status)
		r->count++;
	return status;
}

void rejects_close(struct rejects *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

enum brain_status rejects_refuse(int skip_invalid, struct rejects *rj,
				 const struct jsonl_reader *r, enum brain_status *bad)
{
	size_t len;
	const char *raw = jsonl_line(r, &len);

	*bad = BRAIN_DATA;
	if (!skip_invalid)
		return BRAIN_DATA;
	if (!rj)
		return BRAIN_OK;
	return rejects_add(rj, r->name, r->line, diag_last(), raw ? raw : "", raw ? len : 0);
}
