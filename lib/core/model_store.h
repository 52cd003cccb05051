/*
 * model_store.h - the model registry's files:
 *
 *   models/<model-id>/model.json   the model and every version (immutable
 *                                  once made; only states change)
 *   models/objects/<sha256>        artifacts, stored by content
 *
 *     struct model m;
 *     model_store_load(&st, "lead-scorer", &m, 0);   // BRAIN_NO: unknown
 *     v = model_store_add_version(&m); ...
 *     model_store_save(&st, &m, "model.update", details, reason);
 *     model_store_free(&m);
 *
 * Every save is one change with its audit record (core/change.h); the
 * caller holds the lock.
 */
#ifndef BRAIN_MODEL_STORE_H
#define BRAIN_MODEL_STORE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/state.h"
#include "pure/ident.h"
#include "pure/rollout.h"
#include "pure/time_text.h"
#include "status.h"

#define MODEL_FILE "model.json"
#define VID_SIZE (IDENT_MAX + 24)

struct version {
	char id[VID_SIZE];          /* model-id@N */
	long number;                /* N */
	double accuracy;            /* --accuracy when given */
	int has_accuracy;           /* 0 when not given */
	cJSON *metrics;             /* object, owned */
	char artifact[65];          /* hex SHA-256, or "" */
	double artifact_size;       /* its bytes */
	char state[16];             /* serving, candidate, shadow, canary, retired... */
	char strategy[16];          /* the update strategy that made it */
	char created[TIME_TEXT_SIZE];   /* when it was made */
	char *description;          /* --description, or NULL; owned */
	cJSON *tags;                /* object of string values, or NULL; owned */
	cJSON *trained_on;          /* the batch links (array), or NULL; owned */
};

struct model {
	char id[IDENT_MAX + 1];      /* the model's id */
	char *name;                 /* display name, owned */
	char created[TIME_TEXT_SIZE];   /* when it was created */
	char serving[VID_SIZE];     /* "" when none */
	char canary[VID_SIZE];      /* "" when none */
	double canary_weight;       /* share of traffic of the canary */
	double steps[ROLLOUT_STEPS_MAX]; /* a stepped canary's weights in percent, else none */
	size_t nsteps;              /* how many (0: a canary of one weight, or none) */
	size_t step;                /* the index of the step the canary is at */
	size_t failures;            /* failed analyses of the canary so far */
	char step_started[TIME_TEXT_SIZE]; /* when the step began, "" when not known */
	struct version *v;          /* the versions, oldest first; owned */
	size_t n;                   /* how many */
	char (*previous)[VID_SIZE]; /* serving versions before, oldest first */
	size_t nprev;               /* how many */
	cJSON *aliases;             /* object: alias -> version id, or NULL; owned */
};

void model_store_free(struct model *m);

/* A new, zeroed version at the end of m (borrowed from m). */
struct version *model_store_add_version(struct model *m);

/* The version with that id, or NULL (borrowed from m). */
struct version *model_store_find_version(struct model *m, const char *id);

/* The model id of a model name, model id or version id (MODEL@N, or
 * MODEL@NAME for an alias or serving or canary) in id; *number is N, -1
 * for MODEL@NAME, 0 without '@'.  BRAIN_DATA (reported) when malformed. */
enum brain_status model_store_id_of(const char *text, char id[IDENT_MAX + 1], long *number);

/* The version a version id names: MODEL@N, MODEL@ALIAS (an alias of m),
 * MODEL@serving or MODEL@canary, MODEL m's id.  NULL when it names none;
 * borrowed from m. */
struct version *model_store_resolve(struct model *m, const char *text);

/* The aliases naming version id, in the order they were set, as a new
 * array of strings (caller deletes); empty when none. */
cJSON *model_store_aliases_of(const struct model *m, const char *id);

/* Remember id as a version that served before (for rollback). */
void model_store_push_previous(struct model *m, const char *id);

/* Make v the serving version, remembering the one before for rollback
 * (its state back to candidate); a canary that v was ends. */
void model_store_serve(struct model *m, struct version *v);

/* No canary any more: its weight, steps and failed analyses go too (the
 * caller sets the version's state). */
void model_store_end_canary(struct model *m);

/* The model as the JSON of model.json (caller deletes). */
cJSON *model_store_json(const struct model *m);

/* Open models/<id>/ (made when create) into *fd; BRAIN_NO when absent. */
enum brain_status model_store_dir(struct state *st, const char *id, int create, int *fd);

/* Load a model; BRAIN_NO (with a message unless quiet) when absent,
 * BRAIN_STATE (reported) when its file is corrupt; on failure nothing is
 * left to free. */
enum brain_status model_store_load(struct state *st, const char *id, struct model *m,
				   int quiet);

/* The ids of the models in the state (the directories under models/
 * but objects/), sorted.  The caller frees them with state_names_free. */
enum brain_status model_store_list(struct state *st, char ***ids, size_t *n);

/* Replace model.json with m and the audit record (action, details,
 * reason; details borrowed), as one change. */
enum brain_status model_store_save(struct state *st, struct model *m, const char *action,
				   cJSON *details, const char *reason);

/* Open the artifact named hex and check that its bytes hash to its name;
 * the caller closes *out.  BRAIN_STATE (reported) when missing or corrupt. */
enum brain_status model_store_open_artifact(int dirfd, const char *hex, int *out);

/* For brain-verify: check every artifact's bytes against its name
 * (BRAIN_NO and a message per bad one). */
enum brain_status model_store_verify_artifacts(int dirfd, size_t *checked);

/* For brain-verify: every model.json parses, its serving version exists
 * and every version's artifact is there.  BRAIN_NO with detail when not. */
enum brain_status model_store_check_all(struct state *st, size_t *count, char *detail, size_t size);

#endif
