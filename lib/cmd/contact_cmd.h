/*
 * contact_cmd.h - brain-packet contact-check: whether each lead may be
 * called or texted now under the calling windows of the TCPA and the
 * stricter states (pure/contact_rules.h, core/contact_windows.h), and
 * when next.
 *
 * The answer of each lead is core/contact_check.h's: its window, and the
 * evidence it carries with what the suppression list keeps of it.  One
 * output record per lead, in input order; nothing in the state changes
 * (config.json is read for contact.windows_file, learning/suppression.jsonl
 * for the lead's phone and email).
 */
#ifndef BRAIN_CONTACT_CMD_H
#define BRAIN_CONTACT_CMD_H

#include "cmd/cli.h"
#include "status.h"

struct contact_check_args {
	const char *channel;  /* --channel: phone, sms, email or mail */
	const char *at;       /* --at (RFC 3339), or NULL for now (BRAIN_NOW) */
	int text;             /* --format=text: a table */
	int require_consent;  /* --require-consent: phone and SMS need a consent on
			       * record even when the lead carries no consent field */
};

/* Check the leads of path (NULL or "-": stdin).  BRAIN_OK when every lead
 * may be contacted, BRAIN_NO when one may not, BRAIN_DATA at the first
 * bad lead (reported as file:line: field), BRAIN_USAGE for a bad channel
 * or --at. */
enum brain_status contact_cmd_check(const struct cli *cli, const struct contact_check_args *a,
				    const char *path);

#endif
