/*
 * brain-verify - check the whole state directory end to end, repair what
 * can be repaired without losing data, and self-test every block.
 */
#include <string.h>

#include "cmd/cli.h"
#include "diag.h"
#include "cmd/verify_cmd.h"
#include "banned.h"

static const char usage[] = "brain-verify [option ...]";

int main(int argc, char **argv)
{
	struct verify_args a;
	const struct cli_option options[] = {
		{ CLI_OPT_STRING("key", 0, "FILE", "file holding K1: check the audit trail's MACs too", &a.key) },
		{ CLI_OPT_STRING("pubkey", 0, "FILE", "public key of the audit checkpoints", &a.pubkey) },
		{ CLI_OPT_FLAG("repair", 0, "fix what loses nothing (torn tails, temporaries), audited", &a.repair) },
		{ CLI_OPT_FLAG("self-test", 0, "run every block's main flow in a throwaway state", &a.self_test) },
		{ 0 }
	};
	struct cli cli;
	enum brain_status status = BRAIN_OK;
	int opt;

	memset(&a, 0, sizeof(a));
	cli_init(&cli, argv[0], usage, options, CLI_STATE | CLI_FORMAT | CLI_WRITE | CLI_PROGRESS);
	while ((opt = cli_next(&cli, argc, argv)) > 0)
		;
	if (opt == CLI_EXIT)
		return cli_exit(&cli);
	if (cli.optind < argc)
		status = cli_usage_error(&cli, "brain-verify takes no operand");
	else if (a.repair && cli.dry_run)
		status = cli_usage_error(&cli, "--repair changes the state: it cannot be a dry run");
	else
		status = verify_cmd(&cli, &a);
	return cli_finish(&cli, status);
}
