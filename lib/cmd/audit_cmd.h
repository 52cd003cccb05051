/*
 * audit_cmd.h - the work of each brain-audit command, so that
 * cmd/brain-audit.c only parses options and maps statuses.
 *
 * Each function prints its result on stdout (JSON Lines, or text with
 * --format=text) and returns the exit status: audit_cmd_verify returns
 * BRAIN_NO when the log is not intact.  Writers lock the state directory
 * for --wait seconds and print acknowledgements only after unlocking.
 */
#ifndef BRAIN_AUDIT_CMD_H
#define BRAIN_AUDIT_CMD_H

#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cmd/cli.h"
#include "pure/json.h"
#include "status.h"

struct audit_filter {
	const char *subject;   /* exact match, or NULL */
	const char *action;
	const char *status;
	const char *actor;
	int has_since;         /* ts >= since */
	time_t since;
	int has_until;         /* ts < until */
	time_t until;
	uint64_t limit;        /* the last N matching records; 0 = all */
};

/* log SUBJECT ACTION STATUS: details_json (NULL: {}) and id (NULL: random). */
enum brain_status audit_cmd_log(const struct cli *cli, const char *subject,
				const char *action, const char *status,
				const char *details_json, const char *id);

/* log -: one record per input line of path (NULL or "-": stdin). */
enum brain_status audit_cmd_log_stream(const struct cli *cli, const char *path);

enum brain_status audit_cmd_show(const struct cli *cli, const struct audit_filter *f);

enum brain_status audit_cmd_verify(const struct cli *cli, const char *key_path,
				   const char *pubkey_path, const char *const *anchors,
				   size_t nanchors);

enum brain_status audit_cmd_head(const struct cli *cli);

enum brain_status audit_cmd_init(const struct cli *cli, const char *origin, int mac);

enum brain_status audit_cmd_keygen(const struct cli *cli, const char *out);

enum brain_status audit_cmd_checkpoint(const struct cli *cli, const char *key_path);

/* Read one event as `log -` does, keeping nothing: BRAIN_OK or
 * BRAIN_DATA (reported at loc).  For the fuzz target. */
enum brain_status audit_cmd_read_event(cJSON *rec, const struct json_loc *loc);

#endif
