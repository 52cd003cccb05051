/*
 * status_cmd.h - `brain status`: one screen over the whole state
 * directory, for an operator and for cron.
 *
 * It reads every block through its store, with the state opened for
 * reading and no lock (core/state.h), and prints one record per item, in
 * this order of sections:
 *
 *   experiment  per experiment and kind: today's decision under the
 *               winner rule of config.json, as brain-ab winner takes it
 *               (a winner on record is looked at with its metric and
 *               horizon), the leader, trials, days with events, the
 *               leader's more_trials_per_arm when inconclusive, and the
 *               winner on record
 *   scripts     the scripts counted per lifecycle status
 *   eval        per metric: the configured detector's alarm now
 *   model       per model: the serving version, a canary and shadows
 *   clone       per clone (a directory under clones/ or the subject of a
 *               gate decision): the latest readiness score, the last
 *               gate decision
 *   ingest      allowed sources, stored and quarantined records
 *   audit       whether the log verifies (chain and checkpoints: no key
 *               is given, so MACs and signatures are not checked), and
 *               the last checkpoint
 *
 * Each record opens with "section" and ends with "attention": true for an
 * eval alarm, a last gate decision that is BLOCK, an audit log that fails
 * verification, an experiment kind invalid by sample-ratio mismatch (not
 * concluded), and a quarantine that is not empty.  A section with nothing
 * in it is one record {"section":…,"empty":true,"attention":false}; a
 * section a store could not read (its message on stderr) is one record
 * {"section":…,"error":"state","attention":true}, and the other sections
 * are still shown.  The last record is
 *     {"section":"summary","attention":N,"items":M}
 * With --format=text: a block per section, an aligned table whose rows
 * needing attention are marked "!", and a last line "nothing needs
 * attention" or "N items need attention".
 *
 * Returns BRAIN_OK when nothing needs attention, BRAIN_NO when anything
 * does, the status of a section that could not be read (it wins over
 * both), and BRAIN_STATE for a missing or unusable state directory.
 */
#ifndef BRAIN_STATUS_CMD_H
#define BRAIN_STATUS_CMD_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "cmd/cli.h"
#include "core/config.h"
#include "core/state.h"
#include "status.h"

enum brain_status status_cmd_show(const struct cli *cli);

/* Another view of the same items (cmd/report_html.h): status_cmd_gather
 * reads every section as status_cmd_show does, over st and cfg (opened
 * and loaded by the caller, who closes and frees them), and hands each
 * record, the empty, error and summary ones included, to item instead of
 * printing it.  On the same pass over the audit log, each record that
 * verified goes to audit_record (when not NULL), in log order, with its
 * line and seq as an audit_each_fn gets them.  The records are borrowed
 * for the call.  Returns what status_cmd_show returns. */
struct status_view {
	void (*item)(void *arg, const cJSON *rec);
	void (*audit_record)(void *arg, const cJSON *line, const cJSON *rec, uint64_t seq);
	void *arg;                /* passed to both */
};

enum brain_status status_cmd_gather(const struct cli *cli, struct state *st,
				    const struct config *cfg, const struct status_view *view);

#endif
