/*
 * config.h - settings: built-in defaults, overridden by config.json.
 *
 * config.json is one object of nested objects; a setting is named by its
 * dotted path ("lock.wait_seconds" is {"lock":{"wait_seconds":30}}).  The
 * table of known settings (config.c) is the one place that says which
 * exist, their type, range and default: a block adds its settings there
 * and documents them in brain-state(5).
 *
 *     struct config *cfg;
 *     if ((status = config_load(st.dirfd, &cfg)))   // -1: defaults only
 *             return status;                         // BRAIN_STATE on a bad file
 *     double wait = config_number(cfg, "lock.wait_seconds");
 *     config_free(cfg);
 *
 * Loading is strict: a key not in the table, a value of the wrong type or
 * out of range, or a file that is not a JSON object is BRAIN_STATE with a
 * message naming config.json and the key.  Asking for a key that is not
 * in the table is a bug and aborts.
 *
 * Changing: config_set (or config_unset) changes the in-memory file after
 * checking the value (BRAIN_DATA when wrong); config_write replaces
 * config.json atomically.  The caller holds the state lock and appends the
 * audit record (audit.h) in the same locked section.
 */
#ifndef BRAIN_CONFIG_H
#define BRAIN_CONFIG_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "status.h"

enum config_type {
	CONFIG_NUMBER,   /* finite number in [min, max] */
	CONFIG_INTEGER,  /* integer in [min, max] */
	CONFIG_BOOL,     /* true or false */
	CONFIG_STRING    /* string accepted by valid() */
};

struct config_key {
	const char *key;            /* dotted name */
	enum config_type type;      /* its JSON type */
	double min, max;            /* range of numbers and integers */
	const char *default_json;   /* built-in default as JSON text */
	int (*valid)(const char *); /* CONFIG_STRING check, or NULL */
	const char *valid_text;     /* what valid() accepts, for messages */
	const char *help;           /* one line for `brain config show` docs */
	const char *retired;        /* what replaced it: it may be unset, not set */
};

struct config {
	cJSON *file;      /* config.json as read (an object), owned */
	cJSON *defaults;  /* key -> default value, owned */
};

/* The table of known settings and its length. */
const struct config_key *config_keys(size_t *count);

/* The entry for key, or NULL when there is none. */
const struct config_key *config_lookup(const char *key);

/* Load config.json from dirfd (a state directory), or only the defaults
 * when dirfd is -1 or the file does not exist.  *out is freed with
 * config_free. */
enum brain_status config_load(int dirfd, struct config **out);

void config_free(struct config *cfg);

/* The effective value of key: from config.json, else the default.  The
 * result is borrowed from cfg.  *from_file (may be NULL) says which. */
const cJSON *config_value(const struct config *cfg, const char *key, int *from_file);

/* The default value of key, borrowed from cfg. */
const cJSON *config_default(const struct config *cfg, const char *key);

double config_number(const struct config *cfg, const char *key);
int64_t config_int(const struct config *cfg, const char *key);
int config_bool(const struct config *cfg, const char *key);
const char *config_string(const struct config *cfg, const char *key);

/* Check value against the table entry of key: BRAIN_OK, or status (with a
 * message naming where, e.g. "config.json" or NULL) when it does not fit. */
enum brain_status config_check(const struct config_key *k, const cJSON *value,
			       enum brain_status status, const char *where);

/* Set key to a copy of value in cfg->file (BRAIN_DATA, reported, for an
 * unknown key or a bad value). */
enum brain_status config_set(struct config *cfg, const char *key, const cJSON *value);

/* Remove key from cfg->file, so the default applies again. */
enum brain_status config_unset(struct config *cfg, const char *key);

/* 1 when s is a valid audit log origin: 1 to 255 of A-Z a-z 0-9 . _ / - */
int config_origin_valid(const char *s);

/* Replace config.json in dirfd with cfg->file, atomically. */
enum brain_status config_write(const struct config *cfg, int dirfd);

#endif
