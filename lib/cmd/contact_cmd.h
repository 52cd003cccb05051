/*
 * contact_cmd.h - brain-packet contact-check: whether each lead may be
 * called or texted now under the calling windows of the TCPA and the
 * stricter states (pure/contact_rules.h, core/contact_windows.h), and
 * when next.
 *
 * One output record per lead, in input order; nothing in the state
 * changes (config.json is read for contact.windows_file only).
 */
#ifndef BRAIN_CONTACT_CMD_H
#define BRAIN_CONTACT_CMD_H

#include "cmd/cli.h"
#include "status.h"

struct contact_check_args {
	const char *channel;  /* --channel: phone, sms, email or mail */
	const char *at;       /* --at (RFC 3339), or NULL for now (BRAIN_NOW) */
	int text;             /* --format=text: a table */
};

/* Check the leads of path (NULL or "-": stdin).  BRAIN_OK when every lead
 * may be contacted, BRAIN_NO when one may not, BRAIN_DATA at the first
 * bad lead (reported as file:line: field), BRAIN_USAGE for a bad channel
 * or --at. */
enum brain_status contact_cmd_check(const struct cli *cli, const struct contact_check_args *a,
				    const char *path);

#endif
