/* contact_cmd.c - brain-packet contact-check; see contact_cmd.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/command.h"
#include "cmd/contact_cmd.h"
#include "core/clock.h"
#include "core/contact_windows.h"
#include "core/jsonl.h"
#include "diag.h"
#include "pure/contact.h"
#include "pure/contact_rules.h"
#include "pure/json.h"
#include "banned.h"

/* What a lead says about where it is. */
struct contact_lead {
	const char *name;         /* name or lead_name */
	char state[3];            /* uppercased, or "" */
	const char *time_zone;    /* IANA, or NULL */
	char phone[32];           /* normalised (+digits), or "" */
	const struct contact_area *area; /* the phone's area code in the table, or NULL */
};

static enum brain_status lead_state(const cJSON *lead, const struct json_loc *loc,
				    const struct contact_rules *r, struct contact_lead *l)
{
	const char *state = NULL;
	enum brain_status status;

	if ((status = json_get_string(lead, "state", JSON_OPTIONAL, loc, &state)) || !state)
		return status;
	if (strlen(state) == 2) {
		l->state[0] = (char)toupper((unsigned char)state[0]);
		l->state[1] = (char)toupper((unsigned char)state[1]);
	}
	if (!l->state[0] || !contact_rules_state_zone(r, l->state))
		return diag_error(BRAIN_DATA, "%s:%ld: field 'state' must be a US two-letter "
				  "state code, not '%s'", loc->file, loc->line, state);
	return BRAIN_OK;
}

static enum brain_status lead_read(const cJSON *lead, const struct json_loc *loc,
				   const struct contact_rules *r, struct contact_lead *l)
{
	const char *phone = NULL;
	enum brain_status status;

	memset(l, 0, sizeof(*l));
	if ((status = json_get_string(lead, "name", JSON_OPTIONAL, loc, &l->name)) ||
	    (!l->name && (status = json_get_string(lead, "lead_name", JSON_OPTIONAL, loc,
						   &l->name))))
		return status;
	if (!l->name)
		return diag_error(BRAIN_DATA, "%s:%ld: field 'name' (or 'lead_name') is missing",
				  loc->file, loc->line);
	if ((status = lead_state(lead, loc, r, l)) ||
	    (status = json_get_string(lead, "time_zone", JSON_OPTIONAL, loc, &l->time_zone)) ||
	    (status = json_get_string(lead, "phone", JSON_OPTIONAL, loc, &phone)))
		return status;
	if (l->time_zone && !contact_zone_known(l->time_zone))
		return diag_error(BRAIN_DATA, "%s:%ld: field 'time_zone' must be an IANA time "
				  "zone the tz database knows, not '%s'", loc->file, loc->line,
				  l->time_zone);
	if (phone && contact_normalise_phone(phone, l->phone, sizeof(l->phone)))
		return diag_error(BRAIN_DATA, "%s:%ld: field 'phone' must be a phone number, "
				  "not '%s'", loc->file, loc->line, phone);
	/* A NANP number is +1 and ten digits, the first three its area code. */
	if (strlen(l->phone) == 12 && !strncmp(l->phone, "+1", 2)) {
		char code[4] = { l->phone[2], l->phone[3], l->phone[4], '\0' };

		l->area = contact_rules_area(r, code);
	}
	return BRAIN_OK;
}

/* The zone the lead is checked in: its own, its state's, its phone's. */
static const char *lead_zone(const struct contact_rules *r, const struct contact_lead *l)
{
	if (l->time_zone)
		return l->time_zone;
	if (l->state[0])
		return contact_rules_state_zone(r, l->state);
	return l->area ? l->area->zone : NULL;
}

static void unknown_reason(const struct contact_lead *l, char *buf, size_t size)
{
	if (strlen(l->phone) == 12 && !strncmp(l->phone, "+1", 2))
		snprintf(buf, size, "unknown time zone: area code %.3s is not in the table and "
			 "the lead has no state or time_zone", l->phone + 2);
	else if (l->phone[0])
		snprintf(buf, size, "unknown time zone: %s is no North American number and the "
			 "lead has no state or time_zone", l->phone);
	else
		snprintf(buf, size, "unknown time zone: the lead has no phone, state or time_zone");
}

/* The answer for one lead, as its record and its table cells. */
struct contact_answer {
	int allowed;
	char local[CONTACT_LOCAL_TEXT_SIZE];  /* "" when the zone is unknown */
	char next[CONTACT_LOCAL_TEXT_SIZE];   /* "" when none */
	char reason[CONTACT_REASON_SIZE];
};

static enum brain_status next_text(const char *zone, const struct tm *wall, char *buf)
{
	enum brain_status status;
	struct tm local;
	time_t t;
	long gmtoff;

	if ((status = contact_zone_time(zone, wall, &t)) ||
	    (status = contact_zone_local(zone, t, &local, &gmtoff)))
		return status;
	contact_local_format(&local, gmtoff, buf);
	return BRAIN_OK;
}

static enum brain_status answer(const struct contact_rules *r, enum contact_channel channel,
				const struct contact_lead *l, time_t at, struct contact_answer *ans)
{
	const char *zone = lead_zone(r, l);
	const char *states[2] = { l->state, l->area ? l->area->state : NULL };
	struct contact_decision d;
	enum brain_status status;
	struct tm local;
	long gmtoff;

	memset(ans, 0, sizeof(*ans));
	if (!zone && (r->channels & (1u << channel))) {
		/* No zone, no local time: a call or a text cannot be placed in
		 * its window, so it is refused, never guessed. */
		unknown_reason(l, ans->reason, sizeof(ans->reason));
		return BRAIN_OK;
	}
	if (!zone) {
		memset(&local, 0, sizeof(local));
		contact_rules_decide(r, channel, NULL, 0, &local, &d);
		ans->allowed = d.allowed;
		snprintf(ans->reason, sizeof(ans->reason), "%s", d.reason);
		return BRAIN_OK;
	}
	if ((status = contact_zone_local(zone, at, &local, &gmtoff)))
		return status;
	contact_local_format(&local, gmtoff, ans->local);
	contact_rules_decide(r, channel, states, 2, &local, &d);
	ans->allowed = d.allowed;
	snprintf(ans->reason, sizeof(ans->reason), "%s", d.reason);
	if (!d.allowed && d.has_next)
		return next_text(zone, &d.next, ans->next);
	return BRAIN_OK;
}

static cJSON *answer_record(const char *name, const char *channel,
			    const struct contact_answer *ans)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "lead_name", name);
	cJSON_AddStringToObject(o, "channel", channel);
	cJSON_AddBoolToObject(o, "allowed", ans->allowed);
	if (ans->local[0])
		cJSON_AddStringToObject(o, "local_time", ans->local);
	cJSON_AddStringToObject(o, "reason", ans->reason);
	if (ans->next[0])
		cJSON_AddStringToObject(o, "next_allowed", ans->next);
	return o;
}

struct contact_run {
	const struct contact_rules *rules;
	enum contact_channel channel;
	time_t at;
	struct output out;
	int refused;      /* some lead may not be contacted */
};

static enum brain_status check_one(struct contact_run *run, const cJSON *lead,
				   const struct json_loc *loc)
{
	const char *channel = contact_channel_name(run->channel);
	struct contact_answer ans;
	struct contact_lead l;
	enum brain_status status;
	cJSON *rec;

	char stale[160];
	int scrub;

	if ((status = lead_read(lead, loc, run->rules, &l)) ||
	    (status = answer(run->rules, run->channel, &l, run->at, &ans)))
		return status;
	if ((scrub = contact_scrub_stale(lead, run->at, loc, stale, sizeof(stale))) < 0)
		return BRAIN_DATA;
	/* A stale scrub blocks a call or a text at any hour. */
	if (scrub > 0 && (run->channel == CONTACT_PHONE || run->channel == CONTACT_SMS)) {
		ans.allowed = 0;
		ans.next[0] = '\0';
		snprintf(ans.reason, sizeof(ans.reason), "%s", stale);
	}
	run->refused |= !ans.allowed;
	rec = answer_record(l.name, channel, &ans);
	status = output_record(&run->out, rec, (const char *[]){
		l.name, channel, ans.allowed ? "yes" : "no", ans.local,
		ans.next, ans.reason });
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

enum brain_status contact_cmd_check(const struct cli *cli, const struct contact_check_args *a,
				    const char *path)
{
	static const char *const headers[] = {
		"LEAD", "CHANNEL", "ALLOWED", "LOCAL TIME", "NEXT ALLOWED", "REASON"
	};
	struct contact_rules rules;
	struct contact_run run = { .rules = &rules };
	struct jsonl_reader reader;
	struct cli view = *cli;
	enum brain_status status, ostatus;
	int channel = a->channel ? contact_channel_parse(a->channel) : -1;

	if (channel < 0)
		return cli_usage_error(cli, "'contact-check' needs --channel=phone, sms, "
				  "email or mail%s%s%s", a->channel ? ", not '" : "",
				  a->channel ? a->channel : "", a->channel ? "'" : "");
	run.channel = (enum contact_channel)channel;
	if ((status = check_time(a, &run.at)) ||
	    (status = contact_windows_load(cli->state_dir, &rules)))
		return status;
	if ((status = jsonl_open(&reader, path, 0))) {
		contact_rules_free(&rules);
		return status;
	}
	view.format = a->text ? CLI_FORMAT_TEXT : CLI_FORMAT_JSONL;
	output_begin(&run.out, &view, 6, headers);
	status = check_all(&run, &reader);
	ostatus = output_end(&run.out);
	if (!status)
		status = ostatus;
	jsonl_close(&reader);
	contact_rules_free(&rules);
	if (!status && run.refused)
		status = BRAIN_NO;
	return status;
}
