/* contact_check.c - one lead, one channel, one time; see contact_check.h. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/contact_check.h"
#include "core/contact_windows.h"
#include "diag.h"
#include "pure/contact.h"
#include "banned.h"

/* What a lead says about where it is. */
struct contact_lead {
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

/* Once in a command for each state: its holidays are listed only through
 * an earlier year, so a holiday of this year is not known and not
 * refused. */
static void warn_unlisted(const struct contact_rule *rule, int year)
{
	static const struct contact_rule *warned[64];
	static size_t nwarned;

	for (size_t i = 0; i < nwarned; i++)
		if (warned[i] == rule)
			return;
	if (nwarned < sizeof(warned) / sizeof(warned[0]))
		warned[nwarned++] = rule;
	diag_warn("the calling windows list %s's holidays only through %d: a holiday of %d "
		  "is not known, so a call on it is not refused (add its dates to the windows "
		  "file, contact.windows_file)", rule->state, rule->holidays_through, year);
}

/* The calling window's answer. */
static enum brain_status window_answer(const struct contact_rules *r,
				       enum contact_channel channel,
				       const struct contact_lead *l, time_t at,
				       struct contact_answer *ans)
{
	const char *zone = lead_zone(r, l);
	const char *states[2] = { l->state, l->area ? l->area->state : NULL };
	struct contact_decision d;
	enum brain_status status;
	struct tm local;
	long gmtoff;

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
	if (d.unlisted)
		warn_unlisted(d.unlisted, local.tm_year + 1900);
	ans->allowed = d.allowed;
	snprintf(ans->reason, sizeof(ans->reason), "%s", d.reason);
	if (!d.allowed && d.has_next)
		return next_text(zone, &d.next, ans->next);
	return BRAIN_OK;
}

void contact_check_scrub_days(const struct config *cfg, int days[SCRUB_KINDS])
{
	char key[64];

	for (int k = 0; k < SCRUB_KINDS; k++) {
		snprintf(key, sizeof(key), "contact.scrub_days_%s",
			 compliance_scrub_kind_name((enum compliance_scrub_kind)k));
		days[k] = (int)config_int(cfg, key);
	}
}

void contact_check_listing(struct ingest_suppression *supp, const cJSON *lead,
			   struct compliance *c)
{
	static const char *const kinds[] = { "phone", "email" };
	char norm[320];

	if (!supp)
		return;
	for (size_t i = 0; i < 2; i++) {
		const char *v = json_string(lead, kinds[i]);
		char *rule = i ? c->email_rule : c->phone_rule;

		if (!v || (i ? contact_normalise_email(v, norm, sizeof(norm))
			     : contact_normalise_phone(v, norm, sizeof(norm))))
			continue;
		ingest_suppression_find(supp, kinds[i], norm, rule);
		compliance_add_stored(c, ingest_suppression_revocations(supp, kinds[i], norm));
	}
}

enum brain_status contact_check_lead(const struct contact_check *cc,
				     enum contact_channel channel, const cJSON *lead,
				     const struct json_loc *loc, struct contact_answer *ans)
{
	struct contact_lead l;
	struct compliance c;
	enum brain_status status;
	char why[COMPLIANCE_WHY_SIZE];

	memset(ans, 0, sizeof(*ans));
	memset(&c, 0, sizeof(c));
	if ((status = lead_read(lead, loc, cc->rules, &l)) ||
	    (status = compliance_read(lead, loc, 0, &c)) ||
	    (status = window_answer(cc->rules, channel, &l, cc->at, ans))) {
		compliance_free(&c);
		return status;
	}
	contact_check_listing(cc->supp, lead, &c);
	compliance_set_scrub_days(&c, cc->scrub_days);
	/* Evidence blocks at any hour: no window will do. */
	if (compliance_blocks(&c, channel, cc->at, cc->flags, why, sizeof(why))) {
		ans->allowed = 0;
		ans->next[0] = '\0';
		snprintf(ans->reason, sizeof(ans->reason), "%s", why);
	}
	compliance_free(&c);
	return BRAIN_OK;
}

void contact_answer_add(cJSON *o, const struct contact_answer *ans)
{
	cJSON_AddBoolToObject(o, "allowed", ans->allowed);
	if (ans->local[0])
		cJSON_AddStringToObject(o, "local_time", ans->local);
	cJSON_AddStringToObject(o, "reason", ans->reason);
	if (ans->next[0])
		cJSON_AddStringToObject(o, "next_allowed", ans->next);
}
