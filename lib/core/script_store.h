/*
 * script_store.h - the script registry, scripts/registry.json: every
 * script version with its lifecycle status (pure/promote.h decides the
 * moves), and the promotion policy of config.json.
 *
 *     struct script_registry r;
 *     script_store_load(&st, &r);                  // empty when none yet
 *     script_store_find(&r, "cold-open@v2", 0, &s);
 *     ... change s ...
 *     script_store_save(&st, &r, evs, n);          // one change, n records
 *     script_store_free(&r);
 *
 * A script's id is slug@version; it is found by id, or by name when only
 * one version has that name.  Every change of status is audited, so the
 * registry can be rebuilt from the trail (script_store_check).
 */
#ifndef BRAIN_SCRIPT_STORE_H
#define BRAIN_SCRIPT_STORE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/audit.h"
#include "core/state.h"
#include "pure/ident.h"
#include "pure/promote.h"
#include "pure/time_text.h"
#include "status.h"

#define SCRIPT_REGISTRY "registry.json"
#define SCRIPT_VERSION_MAX 32

struct script {
	char id[IDENT_MAX + SCRIPT_VERSION_MAX + 2];  /* slug@version */
	char *name;                           /* display name, owned */
	char version[SCRIPT_VERSION_MAX + 1]; /* as registered */
	char created[TIME_TEXT_SIZE];         /* when registered */
	char updated[TIME_TEXT_SIZE];         /* last change of any field */
	struct promote_script memory;         /* status, streak, last change */
	double evaluations;                   /* how many evaluations so far */
	double last_performance;              /* the last one's performance */
	int has_performance;                  /* 0 before the first evaluation */
};

struct script_registry {
	struct script *s;   /* the scripts, in registration order; owned */
	size_t n, cap;      /* used and allocated */
	size_t *by_id, *by_name;  /* indexes of s sorted by id and by name (lookups in
				   * O(log n)); built for n_sorted scripts; owned */
	size_t n_sorted;
};

/* Load the registry (empty when there is none); the caller frees it.
 * BRAIN_STATE (reported) when it is corrupt; then nothing is left to free. */
enum brain_status script_store_load(struct state *st, struct script_registry *r);
void script_store_free(struct script_registry *r);

/* Replace the registry with r and the nevs audit records, as one change.
 * The caller holds the lock. */
enum brain_status script_store_save(struct state *st, const struct script_registry *r,
				    const struct audit_event *evs, size_t nevs);

/* A script by id, or by name when only one version has it, in *out
 * (borrowed from r).  BRAIN_DATA (reported) when unknown or ambiguous;
 * with quiet, an unknown one is BRAIN_NO without a message. */
enum brain_status script_store_find(struct script_registry *r, const char *key, int quiet,
				    struct script **out);

/* Add a draft script (name, version) made at now.  BRAIN_NO with *out on
 * the existing one when that id is registered already; BRAIN_DATA for a
 * bad name or version. */
enum brain_status script_store_new(struct script_registry *r, const char *name,
				   const char *version, const char *now, struct script **out);

/* The script as its documented JSON line (caller deletes). */
cJSON *script_store_json(const struct script *s);

/* The promotion policy of config.json at dirfd. */
enum brain_status script_store_policy(int dirfd, struct promote_policy *p);

/* The names of the registered scripts (only the active ones when asked),
 * for brain-packet's recommendations; *names and each name are the
 * caller's to free. */
enum brain_status script_store_names(struct state *st, int active_only, char ***names,
				     size_t *n);

/* For brain-verify: the registry parses, every script the audit trail
 * names is registered, and each status is the last one the trail set.
 * BRAIN_NO with a reason in detail when not; *count gets the number of
 * scripts. */
enum brain_status script_store_check(struct state *st, size_t *count, char *detail,
				     size_t size);

/* The same check over a pass over the trail that someone else makes, so
 * that one read of the log serves several checks:
 *
 *     struct script_trail t;
 *     script_trail_begin(&st, &t, detail, size);     // loads the registry
 *     ... script_trail_record(&t, line, rec, seq) for every record ...
 *     status = script_trail_end(&t, read, &count);   // as script_store_check
 *
 * read is the status of that pass (BRAIN_STATE: a line did not parse,
 * reported).  script_trail_begin says BRAIN_NO when the registry does not
 * load (the reason in detail); script_trail_record then wants no record
 * (returns 1), and script_trail_end gives BRAIN_NO.  script_trail_record
 * is an audit_each_fn: non-zero once it has found what fails the check. */
struct script_trail {
	struct script_registry r;  /* the registry, loaded by script_trail_begin */
	int loaded;                /* r holds it */
	char (*last)[16];          /* per script: the last status the trail set, or "" */
	char *detail;              /* the caller's buffer for the reason; borrowed */
	size_t size;               /* its size */
	int bad;                   /* a record named a script that is not registered */
};

enum brain_status script_trail_begin(struct state *st, struct script_trail *t, char *detail,
				     size_t size);
int script_trail_record(void *t, const cJSON *line, const cJSON *rec, uint64_t seq);
enum brain_status script_trail_end(struct script_trail *t, enum brain_status read,
				   size_t *count);

#endif
