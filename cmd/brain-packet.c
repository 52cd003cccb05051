/*
 * brain-packet - deal packets from lead data: deal math, recommended
 * scripts and channels from live state, compliance filtering, rendering.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/render.h"
#include "diag.h"
#include "cmd/packet_cmd.h"
#include "cmd/contact_cmd.h"
#include "banned.h"

static const char usage[] =
	"brain-packet [option ...] build [file | -]\n"
	"brain-packet [option ...] show packet-id\n"
	"brain-packet [option ...] list\n"
	"brain-packet [option ...] contact-check --channel=channel [--at=time] [--require-consent] [file | -]";

enum { OPT_FORMAT = 256, OPT_VIEW };

static enum brain_status take(struct cli *cli, int opt, struct packet_args *a)
{
	static const char *const formats[] = { "jsonl", "text", "json", "markdown", "html" };
	const char *v = cli->optarg;

	switch (opt) {
	case OPT_FORMAT:
		if (!strcmp(v, "csv")) {
			/* Records as CSV (cmd/render.h); the command prints jsonl. */
			a->format = (enum packet_format)0;
			render_begin(RENDER_CSV);
			return BRAIN_OK;
		}
		render_begin(RENDER_OFF);
		for (int i = 0; i < 5; i++)
			if (!strcmp(v, formats[i])) {
				a->format = (enum packet_format)i;
				return BRAIN_OK;
			}
		return diag_error(BRAIN_USAGE, "option '--format' needs jsonl, text, csv, json, "
				  "markdown or html, not '%s'", v);
	case OPT_VIEW:
		if (strcmp(v, "internal") && strcmp(v, "buyer"))
			return diag_error(BRAIN_USAGE, "option '--view' needs internal or buyer, not '%s'",
					  v);
		a->buyer = !strcmp(v, "buyer");
		return BRAIN_OK;
	default: return BRAIN_USAGE;
	}
}

/* contact-check takes one channel and prints jsonl, text or csv. */
static enum brain_status contact_check(struct cli *cli, const struct packet_args *a,
				       const char *path)
{
	struct contact_check_args c = {
		a->nchannels == 1 ? a->channels[0] : NULL, a->at, a->format == PACKET_TEXT,
		a->require_consent
	};

	if (a->nchannels > 1)
		return cli_usage_error(cli, "'contact-check' takes one --channel");
	if (a->format == PACKET_JSON || a->format == PACKET_MARKDOWN || a->format == PACKET_HTML)
		return cli_usage_error(cli, "'contact-check' prints jsonl, text or csv");
	return contact_cmd_check(cli, &c, path);
}

int main(int argc, char **argv)
{
	struct packet_args a;
	const struct cli_option options[] = {
		{ CLI_OPT_STRING("at", 0, "TIME", "contact-check: the time to check (RFC 3339; default: now)", &a.at) },
		{ CLI_OPT_LIST("channel", 0, "NAME", "build: a channel to use (repeatable; default: from brain-ab); contact-check: phone, sms, email or mail", &a.channels, &a.nchannels) },
		{ CLI_OPT_STRING("experiment", 'e', "NAME", "build: the brain-ab experiment to recommend from", &a.experiment) },
		{ CLI_OPT_NUMBER("fee", 0, "N", "build: assignment fee when the lead has none (default 0)", &a.fee, 0, 1e12) },
		{ CLI_OPT_CASE("format", 'f', CLI_ARG, "FORMAT", "jsonl (default), text, csv; show: also json, markdown, html", OPT_FORMAT) },
		{ CLI_OPT_FLAG("require-consent", 0, "contact-check: phone and SMS need a consent on record", &a.require_consent) },
		{ CLI_OPT_NUMBER("rule", 0, "R", "build: share of ARV a buyer pays for house and repairs (default: packet.rule, 0.70)", &a.rule, 0.01, 1) },
		{ CLI_OPT_CASE("view", 0, CLI_ARG, "VIEW", "build, show: internal (default: everything) or buyer (what may be sent to a buyer)", OPT_VIEW) },
		{ CLI_OPT_LIST("script", 0, "NAME", "build: a script to use (repeatable; default: from state)", &a.scripts, &a.nscripts) },
		{ 0 }
	};
	struct cli cli;
	enum brain_status status = BRAIN_OK;
	int opt;

	memset(&a, 0, sizeof(a));
	a.experiment = "default";
	cli_init(&cli, argv[0], usage, options, CLI_STATE | CLI_WRITE | CLI_PROGRESS);
	while ((opt = cli_next(&cli, argc, argv)) > 0)
		cli.error = take(&cli, opt, &a);
	if (opt == CLI_EXIT) {
		free(a.scripts);
		free(a.channels);
		return cli_exit(&cli);
	}
	argc -= cli.optind;
	argv += cli.optind;
	if (argc >= 1 && argc <= 2 && !strcmp(argv[0], "build"))
		status = (a.format == PACKET_JSON || a.format == PACKET_MARKDOWN ||
			  a.format == PACKET_HTML)
			 ? cli_usage_error(&cli, "'build' prints jsonl or text; use 'show' for the others")
			 : packet_cmd_build(&cli, &a, argc == 2 ? argv[1] : NULL);
	else if (argc == 2 && !strcmp(argv[0], "show"))
		status = packet_cmd_show(&cli, &a, argv[1]);
	else if (argc == 1 && !strcmp(argv[0], "list"))
		status = packet_cmd_list(&cli, &a);
	else if (argc >= 1 && argc <= 2 && !strcmp(argv[0], "contact-check"))
		status = contact_check(&cli, &a, argc == 2 ? argv[1] : NULL);
	else if (argc == 0)
		status = cli_usage_error(&cli, "missing command");
	else
		status = cli_usage_error(&cli, "unknown command or wrong operands '%s'", argv[0]);
	free(a.scripts);
	free(a.channels);
	return cli_finish(&cli, status);
}
