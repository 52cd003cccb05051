/* config_cmd.c - `brain config` show, set and unset; see config_cmd.h. */
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/binding.h"
#include "core/config.h"
#include "core/change.h"
#include "diag.h"
#include "core/file.h"
#include "core/jsonl.h"
#include "cmd/command.h"
#include "cmd/render.h"
#include "cmd/config_cmd.h"
#include "core/state.h"
#include "cmd/table.h"
#include "banned.h"

static char *compact(const cJSON *v)
{
	char *s = json_print_compact(v);

	if (!s)
		diag_oom();
	return s;
}

static enum brain_status show_one(const struct config *cfg, const struct config_key *k,
				  enum cli_format format, struct table *t)
{
	int from_file;
	const cJSON *value = config_value(cfg, k->key, &from_file);
	const cJSON *dflt = config_default(cfg, k->key);
	const char *source = from_file ? "config.json" : "default";
	enum brain_status status = BRAIN_OK;

	if (format == CLI_FORMAT_TEXT) {
		char *v = compact(value), *d = compact(dflt);

		table_add(t, (const char *[]){ k->key, v, d, source, k->help });
		free(v);
		free(d);
	} else {
		cJSON *line = cJSON_CreateObject();

		cJSON_AddStringToObject(line, "key", k->key);
		cJSON_AddItemToObject(line, "value", cJSON_Duplicate(value, 1));
		cJSON_AddItemToObject(line, "default", cJSON_Duplicate(dflt, 1));
		cJSON_AddStringToObject(line, "source", source);
		status = jsonl_write(stdout, line);
		cJSON_Delete(line);
	}
	return status;
}

enum brain_status config_cmd_show(const struct cli *cli, const char *key)
{
	struct state st;
	struct config *cfg = NULL;
	struct table *t = NULL;
	const struct config_key *keys;
	enum brain_status status;
	size_t n;

	if (key && !config_lookup(key))
		return diag_error(BRAIN_DATA, "unknown setting '%s' (see 'brain config show')",
				  key);
	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	if ((status = config_load(st.dirfd, &cfg)))
		goto out;
	if (cli->format == CLI_FORMAT_TEXT)
		t = table_new(5, (const char *[]){ "KEY", "VALUE", "DEFAULT", "SOURCE",
						   "MEANING" });
	keys = config_keys(&n);
	for (size_t i = 0; i < n && !status; i++)
		if (!key || !strcmp(key, keys[i].key))
			status = show_one(cfg, &keys[i], cli->format, t);
	if (t)
		table_print(t, stdout);
out:
	table_free(t);
	config_free(cfg);
	state_close(&st);
	return status;
}

/* The new value as JSON: the text parsed, or for a string setting the raw
 * text when it is not JSON. */
static enum brain_status parse_value(const struct config_key *k, const char *text,
				     cJSON **out)
{
	*out = cJSON_Parse(text);
	if (!*out && k->type == CONFIG_STRING)
		*out = cJSON_CreateString(text);
	if (!*out)
		return diag_error(BRAIN_DATA, "value '%s' for '%s' is not JSON", text, k->key);
	return BRAIN_OK;
}

static enum brain_status print_change(const char *key, const cJSON *old_value,
				      const cJSON *new_value, enum cli_format format)
{
	enum brain_status status = BRAIN_OK;

	if (format == CLI_FORMAT_TEXT) {
		char *o = compact(old_value), *n = compact(new_value);

		printf("%s: %s -> %s\n", key, o, n);
		free(o);
		free(n);
	} else {
		cJSON *line = cJSON_CreateObject();

		cJSON_AddStringToObject(line, "key", key);
		cJSON_AddItemToObject(line, "old_value", cJSON_Duplicate(old_value, 1));
		cJSON_AddItemToObject(line, "new_value", cJSON_Duplicate(new_value, 1));
		status = jsonl_write(stdout, line);
		cJSON_Delete(line);
	}
	return status;
}

/* A change is made to the config.json the trail recorded, never to one
 * edited by hand: that would record the edit as if brain had made it. */
static enum brain_status check_bound(struct state *st)
{
	struct binding_report r;
	enum brain_status status = binding_check_file(st, "config.json", &r);

	if (status || r.ok)
		return status;
	return diag_error(BRAIN_STATE, "%s; put it back as that record has it, or accept it "
			  "as it is with 'brain config adopt --reason=WHY'", r.detail);
}

/* Write config.json and its audit record in the locked section. */
static enum brain_status commit_change(struct state *st, struct config *cfg,
				       const struct cli *cli, const char *key,
				       const cJSON *old_value, const cJSON *new_value)
{
	struct file_replace fr;
	struct audit_ack ack;
	enum brain_status status;
	cJSON *details;
	char *text = json_print_indented(cfg->file);
	size_t len = strlen(text);

	if ((status = file_replace_begin(&fr, st->dirfd, "config.json"))) {
		free(text);
		return status;
	}
	text = xrealloc(text, len + 2);
	memcpy(text + len++, "\n", 2);
	fwrite(text, 1, len, fr.fp);
	details = cJSON_CreateObject();
	cJSON_AddStringToObject(details, "key", key);
	cJSON_AddItemToObject(details, "old_value", cJSON_Duplicate(old_value, 1));
	cJSON_AddItemToObject(details, "new_value", cJSON_Duplicate(new_value, 1));
	/* What the file holds now, so that an edit by hand is found
	 * (core/binding.h). */
	binding_add(details, "config.json", text, len);
	free(text);
	struct audit_event ev = {
		.subject = key,
		.action = new_value == config_default(cfg, key) ? "config.unset" : "config.set",
		.status = "SUCCESS",
		.details = details,
		.reason = cli->reason,
	};
	status = change_replace_one(st, "", &fr, config_string(cfg, "audit.origin"), &ev, &ack);
	cJSON_Delete(details);
	return status;
}

enum brain_status config_cmd_change(const struct cli *cli, const char *key,
				  const char *value_text)
{
	const struct config_key *k = config_lookup(key);
	struct state st;
	struct config *cfg = NULL;
	cJSON *value = NULL, *old_value = NULL;
	const cJSON *new_value;
	enum brain_status status;

	if (!k)
		return diag_error(BRAIN_DATA, "unknown setting '%s' (see 'brain config show')",
				  key);
	if (value_text && k->retired)
		return diag_error(BRAIN_DATA, "'%s' is retired and cannot be set: use %s (it may "
				  "only be unset)", key, k->retired);
	if (value_text && ((status = parse_value(k, value_text, &value)) ||
			   (status = config_check(k, value, BRAIN_DATA, NULL)))) {
		cJSON_Delete(value);
		return status;
	}
	if ((status = command_open_state(cli, &st)))
		goto out_value;
	/* Read the configuration again under the lock: another writer may
	 * have changed it while this one waited. */
	if ((status = check_bound(&st)) || (status = config_load(st.dirfd, &cfg)))
		goto out;
	old_value = cJSON_Duplicate(config_value(cfg, key, NULL), 1);
	status = value ? config_set(cfg, key, value) : config_unset(cfg, key);
	if (status)
		goto out;
	new_value = config_value(cfg, key, NULL);
	if (!cli->dry_run &&
	    (status = commit_change(&st, cfg, cli, key, old_value, new_value)))
		goto out;
	status = print_change(key, old_value, new_value, cli->format);
out:
	cJSON_Delete(old_value);
	config_free(cfg);
	state_close(&st);
out_value:
	cJSON_Delete(value);
	return status;
}

static const struct text_form adopt_form = {
	"{file} adopted as the policy (not in a dry run: {adopted})",
	(const struct text_field[]){ { "sha256", "sha256" }, { NULL, NULL } }, 0, NULL
};

enum brain_status config_cmd_adopt(const struct cli *cli)
{
	struct state st;
	struct config *cfg = NULL;
	struct binding_report r;
	struct audit_ack ack;
	enum brain_status status;
	char *text = NULL;
	size_t len = 0;
	cJSON *details = cJSON_CreateObject(), *o;

	if (!cli->reason)
		status = diag_error(BRAIN_USAGE, "'config adopt' needs --reason=WHY: it records "
				    "a file changed outside brain as the policy");
	else if (!(status = command_open_state(cli, &st))) {
		/* The file must be valid settings to be adopted. */
		if (!(status = config_load(st.dirfd, &cfg)) &&
		    !(status = binding_check_file(&st, "config.json", &r)) &&
		    (status = file_read_all(st.dirfd, "config.json", (size_t)1 << 20, &text,
					    &len)) == BRAIN_NO)
			status = diag_error(BRAIN_DATA, "there is no config.json to adopt");
		if (!status && !cli->dry_run) {
			cJSON_AddBoolToObject(details, "was_bound", r.ok);
			binding_add(details, "config.json", text, len);
			struct audit_event ev = { "config.json", "config.adopt", "SUCCESS", details,
						  cli->reason, NULL };

			status = audit_append(&st, config_string(cfg, "audit.origin"), &ev, &ack);
		}
		state_close(&st);
	}
	if (!status) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "file", "config.json");
		cJSON_AddStringToObject(o, "sha256", json_string(details, "sha256") ?
					json_string(details, "sha256") : "");
		cJSON_AddBoolToObject(o, "adopted", !cli->dry_run);
		render_form(&adopt_form);
		status = output_print_free(o);
	}
	free(text);
	config_free(cfg);
	cJSON_Delete(details);
	return status;
}
