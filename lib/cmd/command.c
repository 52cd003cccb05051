/* command.c - shared chores of the commands; see command.h. */
#include <stdio.h>

#include "cmd/command.h"
#include "core/change.h"
#include "core/jsonl.h"
#include "diag.h"
#include "banned.h"

enum brain_status command_open_state(const struct cli *cli, struct state *st)
{
	if (cli->dry_run)
		return state_open(st, cli->state_dir, STATE_READ);
	return change_begin(st, cli->state_dir, cli->wait, NULL);
}

void output_begin(struct output *out, const struct cli *cli, size_t ncols,
		  const char *const *headers)
{
	out->format = cli->format;
	out->table = cli->format == CLI_FORMAT_TEXT ? table_new(ncols, headers) : NULL;
	out->status = BRAIN_OK;
}

enum brain_status output_record(struct output *out, const cJSON *rec,
				const char *const *cells)
{
	if (out->status)
		return out->status;
	if (out->table)
		table_add(out->table, cells);
	else
		out->status = jsonl_write(stdout, rec);
	return out->status;
}

enum brain_status output_end(struct output *out)
{
	if (out->table && !out->status)
		table_print(out->table, stdout);
	table_free(out->table);
	out->table = NULL;
	return out->status;
}

enum brain_status output_print_free(cJSON *rec)
{
	enum brain_status status = jsonl_write(stdout, rec);

	cJSON_Delete(rec);
	return status;
}
