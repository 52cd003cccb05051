/*
 * packet_cmd.h - brain-packet: a deal packet per lead, with deal math (deal.h),
 * scripts and channels recommended from live state, and the channels the
 * lead may not be reached on removed.
 *
 * State: packets/<packet-id>.json, written once.  The id is derived from
 * the lead and the options ("pk-" and 16 hex digits of their SHA-256), so
 * building the same lead twice gives the same packet, stored once.
 */
#ifndef BRAIN_PACKET_CMD_H
#define BRAIN_PACKET_CMD_H

#include <stddef.h>

#include "cmd/cli.h"
#include "cmd/packet_render.h"
#include "status.h"


struct packet_args {
	const char **scripts, **channels;   /* --script, --channel (repeatable) */
	size_t nscripts, nchannels;
	double rule;                        /* --rule, 0 when not given */
	double fee;                         /* --fee (0) */
	const char *experiment;             /* brain-ab experiment for recommendations */
	const char *at;                     /* contact-check --at, or NULL for now */
	enum packet_format format;
	int buyer;                          /* --view=buyer: what may be sent to a buyer */
	int require_consent;                /* contact-check --require-consent */
};

enum brain_status packet_cmd_build(const struct cli *cli, const struct packet_args *a,
				   const char *path);
enum brain_status packet_cmd_show(const struct cli *cli, const struct packet_args *a,
				  const char *id);
enum brain_status packet_cmd_list(const struct cli *cli, const struct packet_args *a);

/* 1 when id has the form of a packet id (pk- and 16 hex digits). */
int ident_valid_packet(const char *id);

#endif
