/* contact_cmd.c - brain-packet contact-check; see contact_cmd.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/command.h"
#include "cmd/contact_cmd.h"
#include "core/clock.h"
#include "core/contact_check.h"
#include "core/contact_windows.h"
#include "core/ingest_store.h"
#include "core/state.h"
#include "core/jsonl.h"
#include "diag.h"
#include "pure/contact_rules.h"
#include "pure/json.h"
#include "banned.h"

struct contact_run {
	struct contact_check check;
	enum contact_channel channel;
	struct output out;
	int refused;      /* some lead may not be contacted */
	int scrub_days[SCRUB_KINDS];   /* check.scrub_days: the contact.scrub_days_* settings */
};

static enum brain_status check_one(struct contact_run *run, const cJSON *lead,
				   const struct json_loc *loc)
{
	const char *channel = contact_channel_name(run->channel);
	const char *name = NULL;
	struct contact_answer ans;
	enum brain_status status;
	cJSON *rec;

	if ((status = json_get_string(lead, "name", JSON_OPTIONAL, loc, &name)) ||
	    (!name && (status = json_get_string(lead, "lead_name", JSON_OPTIONAL, loc, &name))))
		return status;
	if (!name)
		return diag_error(BRAIN_DATA, "%s:%ld: field 'name' (or 'lead_name') is missing",
				  loc->file, loc->line);
	if ((status = contact_check_lead(&run->check, run->channel, lead, loc, &ans)))
		return status;
	run->refused |= !ans.allowed;
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "lead_name", name);
	cJSON_AddStringToObject(rec, "channel", channel);
	contact_answer_add(rec, &ans);
	status = output_record(&run->out, rec, (const char *[]){
		name, channel, ans.allowed ? "yes" : "no", ans.local, ans.next, ans.reason });
	cJSON_Delete(rec);
	return status;
}

static enum brain_status check_all(struct contact_run *run, struct jsonl_reader *reader)
{
	enum brain_status status = BRAIN_OK;
	cJSON *lead;
	int rc;

	while (!status && (rc = jsonl_next(reader, &lead)) != JSONL_EOF) {
		struct json_loc loc = jsonl_where(reader);

		if (rc)
			return rc == BRAIN_IO ? BRAIN_IO : BRAIN_DATA;
		status = check_one(run, lead, &loc);
		cJSON_Delete(lead);
	}
	return status;
}

static enum brain_status check_time(const struct contact_check_args *a, time_t *at)
{
	if (!a->at)
		return clock_now(at);
	if (time_text_parse(a->at, at))
		return diag_error(BRAIN_USAGE, "option '--at' needs an RFC 3339 timestamp, "
				  "not '%s'", a->at);
	return BRAIN_OK;
}

/* The limits of the scrubs' age, from the state's settings. */
static enum brain_status load_scrub_days(const struct cli *cli, int days[SCRUB_KINDS])
{
	struct config *cfg;
	enum brain_status status;

	if ((status = contact_config_load(cli->state_dir, &cfg)))
		return status;
	contact_check_scrub_days(cfg, days);
	config_free(cfg);
	return BRAIN_OK;
}

/* The suppression list of the state, when there is a state. */
static enum brain_status load_suppression(const struct cli *cli, struct ingest_suppression *out)
{
	enum brain_status status;
	struct state st;
	int opened;

	if ((status = contact_state_open(cli->state_dir, &st, &opened)))
		return status;
	ingest_suppression_load(opened ? st.dirfd : -1, out);
	if (opened)
		state_close(&st);
	return BRAIN_OK;
}

enum brain_status contact_cmd_check(const struct cli *cli, const struct contact_check_args *a,
				    const char *path)
{
	static const char *const headers[] = {
		"LEAD", "CHANNEL", "ALLOWED", "LOCAL TIME", "NEXT ALLOWED", "REASON"
	};
	struct contact_rules rules;
	struct ingest_suppression supp;
	struct contact_run run = { .check = { &rules, &supp, 0, 0, NULL } };
	struct jsonl_reader reader;
	struct cli view = *cli;
	enum brain_status status, ostatus;
	int channel = a->channel ? contact_channel_parse(a->channel) : -1;

	if (channel < 0)
		return cli_usage_error(cli, "'contact-check' needs --channel=phone, sms, "
				  "email or mail%s%s%s", a->channel ? ", not '" : "",
				  a->channel ? a->channel : "", a->channel ? "'" : "");
	run.channel = (enum contact_channel)channel;
	run.check.flags = a->require_consent ? COMPLIANCE_NEED_CONSENT : 0;
	run.check.scrub_days = run.scrub_days;
	if ((status = check_time(a, &run.check.at)) ||
	    (status = load_scrub_days(cli, run.scrub_days)) ||
	    (status = contact_windows_load(cli->state_dir, &rules)))
		return status;
	if ((status = load_suppression(cli, &supp))) {
		contact_rules_free(&rules);
		return status;
	}
	if (!(status = jsonl_open(&reader, path, 0))) {
		view.format = a->text ? CLI_FORMAT_TEXT : CLI_FORMAT_JSONL;
		output_begin(&run.out, &view, 6, headers);
		status = check_all(&run, &reader);
		ostatus = output_end(&run.out);
		if (!status)
			status = ostatus;
		jsonl_close(&reader);
	}
	ingest_suppression_free(&supp);
	contact_rules_free(&rules);
	if (!status && run.refused)
		status = BRAIN_NO;
	return status;
}
