/*
 * command.h - the chores every command repeats, written once: open the
 * state for the command, and print its records as JSON Lines or as rows
 * of a --format=text table.
 *
 * Calling sequence of a command that changes state and prints records:
 *
 *     struct state st;
 *     struct output out;
 *     if ((status = command_open_state(cli, &st)))   // locked, or read-only with -n
 *             return status;
 *     ... change (core/change.h), e.g. change_save_json ...
 *     state_close(&st);
 *     output_begin(&out, cli, 2, (const char *[]){ "ID", "STATUS" });
 *     output_record(&out, line, (const char *[]){ id, status_text });
 *     return output_end(&out);                       // prints the table, frees it
 *
 * Nothing here owns the records it prints: the caller keeps and frees them,
 * except output_print_free, which takes its record.
 */
#ifndef BRAIN_COMMAND_H
#define BRAIN_COMMAND_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "cmd/cli.h"
#include "cmd/table.h"
#include "core/state.h"
#include "status.h"

/* Open the state for a command that changes it: with --dry-run read-only
 * and unlocked (a missing directory is exit 4, as for any reader), else
 * change_begin with --wait (or lock.wait_seconds).  The caller
 * state_close()s on success. */
enum brain_status command_open_state(const struct cli *cli, struct state *st);

struct output {
	enum cli_format format;   /* the command's --format */
	struct table *table;      /* the rows so far with --format=text, else NULL; owned */
	enum brain_status status; /* the first write error, else BRAIN_OK */
};

/* Start printing records; headers (ncols strings, copied) head the text
 * table. */
void output_begin(struct output *out, const struct cli *cli, size_t ncols,
		  const char *const *headers);

/* One record: rec as a JSON line (jsonl), or the row cells (text; ncols
 * strings, copied).  Both borrowed.  Returns out->status. */
enum brain_status output_record(struct output *out, const cJSON *rec,
				const char *const *cells);

/* Print the table (text), free it, and return the first error. */
enum brain_status output_end(struct output *out);

/* Print rec as one JSON line and delete it. */
enum brain_status output_print_free(cJSON *rec);

#endif
