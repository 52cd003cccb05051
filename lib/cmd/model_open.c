/* model_open.c - open the state and load a model for brain-model's
 * verbs; see model_open.h. */
#include "cmd/command.h"
#include "cmd/model_open.h"
#include "banned.h"

enum brain_status model_open(const struct cli *cli, const char *text, int write, struct state *st,
			     struct model *m, long *number)
{
	enum brain_status status;
	char id[IDENT_MAX + 1];

	if ((status = model_store_id_of(text, id, number)))
		return status;
	status = write ? command_open_state(cli, st) : state_open(st, cli->state_dir, STATE_READ);
	if (status)
		return status;
	if ((status = model_store_load(st, id, m, 0))) {
		state_close(st);
		return status == BRAIN_NO ? BRAIN_DATA : status;
	}
	return BRAIN_OK;
}

const struct text_form model_change_form = {
	"{model_id}: {action}",
	(const struct text_field[]){
		{ "version", "version_id" }, { "from", "from" }, { "to", "to" },
		{ "old version", "old_version_id" }, { "new version", "new_version_id" },
		{ "serving", "serving_version_id" }, { "serving", "serving" },
		{ "old accuracy", "old_accuracy" }, { "new accuracy", "new_accuracy" },
		{ "strategy", "strategy" }, { "canary", "canary" },
		{ "canary weight", "canary_weight" },
		{ "step", "step" }, { "steps", "steps" }, { "alias", "alias" },
		{ "tags", "tags" }, { "description", "description" },
		{ "trained on", "trained_on" }, { "reason", "reason" }, { "also", "*" },
		{ NULL, NULL } },
	0, (const char *const[]){ "model_id", "action", NULL }
};
