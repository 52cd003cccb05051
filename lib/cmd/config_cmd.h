/*
 * config_cmd.h - `brain config`: show and change the settings of config.json
 * (config.h holds the table and the file format).
 *
 * config_cmd_show prints one line per setting,
 *     {"key":"lock.wait_seconds","value":30,"default":30,"source":"default"}
 * or an aligned table with --format=text; with a key, that setting only
 * (BRAIN_DATA for an unknown key).  It reads without locking.
 *
 * config_cmd_change sets (value_text not NULL) or unsets a key under the
 * state lock: the value is checked against the table, config.json is
 * prepared, the change is audited (action config.set or config.unset,
 * details {"key","old_value","new_value"}), then published; it prints
 *     {"key":…,"old_value":…,"new_value":…}
 * value_text is JSON text; for a string setting, text that is not JSON is
 * taken as the string itself (so `set audit.origin host/brain` works).
 * With --dry-run nothing is locked or written.
 */
#ifndef BRAIN_CONFIG_CMD_H
#define BRAIN_CONFIG_CMD_H

#include "cmd/cli.h"
#include "core/state.h"
#include "status.h"

enum brain_status config_cmd_show(const struct cli *cli, const char *key);
enum brain_status config_cmd_change(const struct cli *cli, const char *key,
				  const char *value_text);

/* brain config adopt: record config.json as it is (changed outside
 * brain) as the policy, with --reason; audited as config.adopt. */
enum brain_status config_cmd_adopt(const struct cli *cli);

#endif
