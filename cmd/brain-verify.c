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

enum { OPT_KEY = 256, OPT_PUBKEY, OPT_REPAIR, OPT_SELF_TEST };

static const struct cli_option options[] = {
	{ "key", 0, CLI_ARG, "FILE", "file holding K1: check the audit trail's MACs too", OPT_KEY },
	{ "pubkey", 0, CLI_ARG, "FILE", "public key of the audit checkpoints", OPT_PUBKEY },
	{ "repair", 0, CLI_NOARG, NULL, "fix what loses nothing (torn tails, temporaries), audited", OPT_REPAIR },
	{ "self-test", 0, CLI_NOARG, NULL, "run every block's main flow in a throwaway state", OPT_SELF_TEST },
	{ 0 }
};

int main(int argc, char **argv)
{
	struct cli cli;
	struct verify_args a;
	enum brain_status status = BRAIN_OK;
	int opt;

	memset(&a, 0, sizeof(a));
	cli_init(&cli, argv[0], usage, options, CLI_STATE | CLI_FORMAT | CLI_WRITE | CLI_PROGRESS);
	while ((opt = cli_next(&cli, argc, argv)) > 0) {
		switch (opt) {
		case OPT_KEY: a.key = cli.optarg; break;
		case OPT_PUBKEY: a.pubkey = cli.optarg; break;
		case OPT_REPAIR: a.repair = 1; break;
		case OPT_SELF_TEST: a.self_test = 1; break;
		}
	}
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
