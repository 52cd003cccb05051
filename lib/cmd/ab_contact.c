/* ab_contact.c - brain-ab assign --contact-check: the calling window and
 * the consent of each lead assigned to a channel; see ab_cmd.h. */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "cmd/ab_cmd.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/contact_check.h"
#include "core/contact_windows.h"
#include "core/ingest_store.h"
#include "diag.h"
#include "pure/compliance.h"
#include "pure/contact_rules.h"
#include "banned.h"

struct ab_contact {
	struct contact_rules rules;
	struct ingest_suppression supp;
	struct contact_check check;
	int scrub_days[SCRUB_KINDS];   /* check.scrub_days */
};

enum brain_status ab_contact_begin(const struct cli *cli, int dirfd, struct ab_contact **out)
{
	struct ab_contact *c = xcalloc(1, sizeof(*c));
	struct config *cfg = NULL;
	enum brain_status status;
	time_t now;

	*out = NULL;
	if ((status = clock_now(&now)) || (status = config_load(dirfd, &cfg)) ||
	    (status = contact_windows_load(cli->state_dir, &c->rules))) {
		config_free(cfg);
		free(c);
		return status;
	}
	contact_check_scrub_days(cfg, c->scrub_days);
	config_free(cfg);
	ingest_suppression_load(dirfd, &c->supp);
	/* An assignment places a contact: phone and SMS need consent on record. */
	c->check = (struct contact_check){ &c->rules, &c->supp, now, COMPLIANCE_NEED_CONSENT,
					   c->scrub_days };
	*out = c;
	return BRAIN_OK;
}

enum brain_status ab_contact_add(struct ab_contact *c, cJSON *line, const cJSON *lead,
				 const struct json_loc *loc)
{
	const cJSON *variant = cJSON_GetObjectItemCaseSensitive(line, "variant_name");
	int channel = cJSON_IsString(variant) ? contact_channel_guess(variant->valuestring) : -1;
	struct contact_answer ans = { 0, "", "", "" };
	enum brain_status status;

	if (channel < 0)
		return BRAIN_OK;
	cJSON_AddStringToObject(line, "channel", contact_channel_name(channel));
	if (!lead)
		snprintf(ans.reason, sizeof(ans.reason), "the unit is an id, not a lead record: "
			 "its time zone and consent are unknown");
	else if ((status = contact_check_lead(&c->check, (enum contact_channel)channel, lead,
					      loc, &ans)))
		return status;
	contact_answer_add(line, &ans);
	return BRAIN_OK;
}

void ab_contact_end(struct ab_contact *c)
{
	if (!c)
		return;
	ingest_suppression_free(&c->supp);
	contact_rules_free(&c->rules);
	free(c);
}
