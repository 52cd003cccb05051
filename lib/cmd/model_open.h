/*
 * model_open.h - what every verb of brain-model does first: open the
 * state and load the model its operand names.  Shared by model_cmd.c and
 * model_rollout.c, so that neither includes the other.
 *
 *     struct state st; struct model m; long number;
 *     if ((status = model_open(cli, "lead-scorer@2", 1, &st, &m, &number)))
 *             return status;          // nothing to close or free
 *     ... state_close(&st); model_store_free(&m);
 */
#ifndef BRAIN_MODEL_OPEN_H
#define BRAIN_MODEL_OPEN_H

#include "cmd/cli.h"
#include "cmd/text_form.h"
#include "core/model_store.h"
#include "core/state.h"
#include "status.h"

/* Open the state (for writing, locked, unless a dry run; read-only when
 * write is 0) and load the model text names (a model, or a version id:
 * *number as model_store_id_of says).  An unknown model is BRAIN_DATA;
 * on failure the state is closed.  Reported.  The caller closes the state
 * and frees the model. */
enum brain_status model_open(const struct cli *cli, const char *text, int write, struct state *st,
			     struct model *m, long *number);

/* The --format=text form (cmd/text_form.h) of a line that says what a
 * command did to a model: its action, then the versions and the reason. */
extern const struct text_form model_change_form;

#endif
