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

enum { OPT_SINCE = 256, OPT_UNTIL };

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
	switch (opt) {
	case OPT_SINCE: return parse_time("since", cli->optarg, &a->filter.since);
	case OPT_UNTIL: return parse_time("until", cli->optarg, &a->filter.until);
	default: return BRAIN_USAGE;
	}
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
	struct args a;
	const struct cli_option options[] = {
		{ CLI_OPT_STRING("action", 0, "ACTION", "show: only records of this action", &a.filter.action) },
		{ CLI_OPT_STRING("actor", 0, "USER", "show: only records of this actor", &a.filter.actor) },
		{ CLI_OPT_LIST("anchor", 0, "FILE", "verify: a saved head line or checkpoint note (repeatable)", &a.anchors, &a.nanchors) },
		{ CLI_OPT_STRING("detail", 0, "JSON", "log: details object of the record", &a.detail) },
		{ CLI_OPT_STRING("id", 0, "HEX", "log: record id (32 hex) that makes a retry safe", &a.id) },
		{ CLI_OPT_STRING("key", 0, "FILE", "verify: file holding K1; checkpoint: private key", &a.key) },
		{ CLI_OPT_UINT("limit", 0, "N", "show: only the last N matching records", &a.filter.limit, 1, INT64_MAX / 2) },
		{ CLI_OPT_FLAG("mac", 0, "init: forward-secure MACs; prints K1 once", &a.mac) },
		{ CLI_OPT_STRING("origin", 0, "NAME", "init: the log's name (default: audit.origin)", &a.origin) },
		{ CLI_OPT_STRING("out", 0, "FILE", "keygen: private key file; public key to FILE.pub", &a.out) },
		{ CLI_OPT_STRING("pubkey", 0, "FILE", "verify: Ed25519 public key of the checkpoints", &a.pubkey) },
		{ CLI_OPT_CASE("since", 0, CLI_ARG, "TIME", "show: records at or after TIME (RFC 3339)", OPT_SINCE), CLI_GIVEN(&a.filter.has_since) },
		{ CLI_OPT_STRING("status", 0, "STATUS", "show: only records of this status", &a.filter.status) },
		{ CLI_OPT_CASE("until", 0, CLI_ARG, "TIME", "show: records before TIME (RFC 3339)", OPT_UNTIL), CLI_GIVEN(&a.filter.has_until) },
		{ 0 }
	};
	struct cli cli;
	enum brain_status status;
	int opt;

	memset(&a, 0, sizeof(a));
	cli_init(&cli, argv[0], usage, options,
		 CLI_STATE | CLI_FORMAT | CLI_WRITE | CLI_PROGRESS | CLI_SKIP_INVALID);
	while ((opt = cli_next(&cli, argc, argv)) > 0)
		cli.error = take_option(&cli, opt, &a);
	if (opt == CLI_EXIT) {
		free(a.anchors);
		return cli_exit(&cli);
	}
	argc -= cli.optind;
	argv += cli.optind;
	if (argc == 0)
		status = cli_usage_error(&cli, "missing command");
	else
		status = run(&cli, argc, argv, &a);
	free(a.anchors);
	return cli_finish(&cli, status);
}
