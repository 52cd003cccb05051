/*
 * verify_cmd.h - brain-verify: the whole state directory checked, end to end,
 * and a self-test of every block in a throwaway state.
 *
 * Every check prints {"check","status":"PASS"|"FAIL"|"WARN","detail"};
 * the last line is {"overall_status","passed","failed","warnings"}.
 * --repair fixes only what loses nothing: a torn last line of a log is
 * moved to rejects/ and cut off, leftover temporary files are removed;
 * each repair is audited, and what it cannot fix is still reported.
 *
 * Each log is read once: audit.log by one pass that verifies the chain
 * and gathers what the format, bindings, scripts and eval checks need;
 * eval/outcomes.jsonl by its format check, which counts the outcomes for
 * the eval check.  A check reads a log again only when that pass stopped
 * short of what the check would have read (a broken chain, a torn tail,
 * a line that does not parse), so its report is the same either way.
 */
#ifndef BRAIN_VERIFY_CMD_H
#define BRAIN_VERIFY_CMD_H

#include "cmd/cli.h"
#include "status.h"

struct verify_args {
	int self_test;
	int repair;
	const char *key;      /* K1 file for the audit MACs */
	const char *pubkey;   /* checkpoint public key */
};

enum brain_status verify_cmd(const struct cli *cli, const struct verify_args *a);

#endif
