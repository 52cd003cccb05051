/*
 * brain-audit - the tamper-evident audit trail: append, show, verify,
 * head, and the keys and checkpoints that let an outsider check it.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/audit_cmd.h"
#include "cmd/cli.h"
#include "core/clock.h"
#include "diag.h"
#include "banned.h"

static const char usage[] =
	"brain-audit [option ...] log subject action status\n"
	"brain-audit [option ...] log -\n"
	"brain-audit [option ...] show [subject]\n"
	"brain-audit [option ...] verify\n"
	"brain-audit [option ...] head\n"
	"brain-audit [option ...] init\n"
	"brain-audit [option ...] keygen\n"
	"brain-audit [option ...] checkpoint";

enum {
	OPT_ACTION = 256, OPT_ACTOR, OPT_ANCHOR, OPT_DETAIL, OPT_ID, OPT_KEY, OPT_LIMIT,
	OPT_MAC, OPT_ORIGIN, OPT_OUT, OPT_PUBKEY, OPT_SINCE, OPT_STATUS, OPT_UNTIL
};

static const struct cli_option options[] = {
	{ "action", 0, CLI_ARG, "ACTION", "show: only records of this action", OPT_ACTION },
	{ "actor", 0, CLI_ARG, "USER", "show: only records of this actor", OPT_ACTOR },
	{ "anchor", 0, CLI_ARG, "FILE", "verify: a saved head line or checkpoint note (repeatable)", OPT_ANCHOR },
	{ "detail", 0, CLI_ARG, "JSON", "log: details object of the record", OPT_DETAIL },
	{ "id", 0, CLI_ARG, "HEX", "log: record id (32 hex) that makes a retry safe", OPT_ID },
	{ "key", 0, CLI_ARG, "FILE", "verify: file holding K1; checkpoint: private key", OPT_KEY },
	{ "limit", 0, CLI_ARG, "N", "show: only the last N matching records", OPT_LIMIT },
	{ "mac", 0, CLI_NOARG, NULL, "init: forward-secure MACs; prints K1 once", OPT_MAC },
	{ "origin", 0, CLI_ARG, "NAME", "init: the log's name (default: audit.origin)", OPT_ORIGIN },
	{ "out", 0, CLI_ARG, "FILE", "keygen: private key file; public key to FILE.pub", OPT_OUT },
	{ "pubkey", 0, CLI_ARG, "FILE", "verify: Ed25519 public key of the checkpoints", OPT_PUBKEY },
	{ "since", 0, CLI_ARG, "TIME", "show: records at or after TIME (RFC 3339)", OPT_SINCE },
	{ "status", 0, CLI_ARG, "STATUS", "show: only records of this status", OPT_STATUS },
	{ "until", 0, CLI_ARG, "TIME", "show: records before TIME (RFC 3339)", OPT_UNTIL },
	{ 0 }
};

struct args {
	struct audit_filter filter;
	const char *detail, *id, *key, *out, *pubkey, *origin;
	const char **anchors;
	size_t nanchors;
	int mac;
};

static enum brain_status parse_time(const char *option, const char *text, time_t *out)
{
	if (time_text_parse(text, out))
		return diag_error(BRAIN_USAGE, "option '--%s' needs an RFC 3339 time, not '%s'",
				  option, text);
	return BRAIN_OK;
}

static enum brain_status take_option(struct cli *cli, int opt, struct args *a)
{
	int64_t limit;

	switch (opt) {
	case OPT_ACTION: a->filter.action = cli->optarg; break;
	case OPT_ACTOR: a->filter.actor = cli->optarg; break;
	case OPT_ANCHOR:
		a->anchors = xrealloc(a->anchors, (a->nanchors + 1) * sizeof(*a->anchors));
		a->anchors[a->nanchors++] = cli->optarg;
		break;
	case OPT_DETAIL: a->detail = cli->optarg; break;
	case OPT_ID: a->id = cli->optarg; break;
	case OPT_KEY: a->key = cli->optarg; break;
	case OPT_LIMIT:
		if (cli_parse_int("limit", cli->optarg, 1, INT64_MAX / 2, &limit))
			return BRAIN_USAGE;
		a->filter.limit = (uint64_t)limit;
		break;
	case OPT_MAC: a->mac = 1; break;
	case OPT_ORIGIN: a->origin = cli->optarg; break;
	case OPT_OUT: a->out = cli->optarg; break;
	case OPT_PUBKEY: a->pubkey = cli->optarg; break;
	case OPT_SINCE:
		a->filter.has_since = 1;
		return parse_time("since", cli->optarg, &a->filter.since);
	case OPT_STATUS: a->filter.status = cli->optarg; break;
	case OPT_UNTIL:
		a->filter.has_until = 1;
		return parse_time("until", cli->optarg, &a->filter.until);
	default: return BRAIN_USAGE;
	}
	return BRAIN_OK;
}

static enum brain_status run(struct cli *cli, int argc, char **argv, struct args *a)
{
	const char *verb = argv[0];

	if (!strcmp(verb, "log") && argc == 2 && !strcmp(argv[1], "-"))
		return audit_cmd_log_stream(cli, NULL);
	if (!strcmp(verb, "log") && argc == 4)
		return audit_cmd_log(cli, argv[1], argv[2], argv[3], a->detail, a->id);
	if (!strcmp(verb, "show") && argc <= 2) {
		a->filter.subject = argc == 2 ? argv[1] : NULL;
		return audit_cmd_show(cli, &a->filter);
	}
	if (!strcmp(verb, "verify") && argc == 1)
		return audit_cmd_verify(cli, a->key, a->pubkey, a->anchors, a->nanchors);
	if (!strcmp(verb, "head") && argc == 1)
		return audit_cmd_head(cli);
	if (!strcmp(verb, "init") && argc == 1)
		return audit_cmd_init(cli, a->origin, a->mac);
	if (!strcmp(verb, "keygen") && argc == 1) {
		if (!a->out)
			return cli_usage_error(cli, "'keygen' needs --out=FILE");
		return audit_cmd_keygen(cli, a->out);
	}
	if (!strcmp(verb, "checkpoint") && argc == 1) {
		if (!a->key)
			return cli_usage_error(cli, "'checkpoint' needs --key=FILE (the private key)");
		return audit_cmd_checkpoint(cli, a->key);
	}
	if (strstr(" log show verify head init keygen checkpoint ", verb) && *verb &&
	    !strchr(verb, ' '))
		return cli_usage_error(cli, "wrong operands for '%s'", verb);
	return cli_usage_error(cli, "unknown command '%s'", verb);
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct args a;
	enum brain_status status = BRAIN_OK;
	int opt;

	memset(&a, 0, sizeof(a));
	cli_init(&cli, argv[0], usage, options,
		 CLI_STATE | CLI_FORMAT | CLI_WRITE | CLI_PROGRESS | CLI_SKIP_INVALID);
	while ((opt = cli_next(&cli, argc, argv)) > 0)
		if (!status)
			status = take_option(&cli, opt, &a);
	if (opt == CLI_EXIT) {
		free(a.anchors);
		return cli_exit(&cli);
	}
	argc -= cli.optind;
	argv += cli.optind;
	if (!status && argc == 0)
		status = cli_usage_error(&cli, "missing command");
	if (!status)
		status = run(&cli, argc, argv, &a);
	free(a.anchors);
	return cli_finish(&cli, status);
}
