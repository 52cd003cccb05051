/*
 * promote_cmd.h - the brain-promote commands over the script registry.
 *
 * State: scripts/registry.json holds every script (id, name, version,
 * status, the policy's memory: streak, last change) and is replaced
 * atomically.  The history of a script is its audit trail: every
 * registration, evaluation and manual change is one audit record (action
 * promote.register, promote.evaluate, promote.set) whose details carry
 * the whole result, so `history` reads audit.log and nothing can be in
 * one and not the other.
 */
#ifndef BRAIN_PROMOTE_CMD_H
#define BRAIN_PROMOTE_CMD_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "cmd/cli.h"
#include "pure/json.h"
#include "status.h"

enum brain_status promote_cmd_register(const struct cli *cli, const char *name,
				       const char *version);
/* samples < 0: not given.  path: evaluate - (NULL when single).
 * require_evidence: decide on brain-ab's interval whatever config.json's
 * promote.require_evidence says (0 leaves the setting in force). */
enum brain_status promote_cmd_evaluate(const struct cli *cli, const char *script,
				       const char *performance, double samples,
				       int register_new, int require_evidence);
enum brain_status promote_cmd_evaluate_stream(const struct cli *cli, const char *path,
					      int register_new, int require_evidence);
enum brain_status promote_cmd_status(const struct cli *cli, const char *script);
enum brain_status promote_cmd_history(const struct cli *cli, const char *script);
enum brain_status promote_cmd_set(const struct cli *cli, const char *script,
				  const char *status);
enum brain_status promote_cmd_policy(const struct cli *cli);

/* Read one evaluate line as `evaluate -` does, keeping nothing: BRAIN_OK
 * or BRAIN_DATA (reported at loc).  For the fuzz target. */
enum brain_status promote_cmd_read_line(const cJSON *rec, const struct json_loc *loc);

#endif
