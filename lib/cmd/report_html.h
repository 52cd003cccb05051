/*
 * report_html.h - `brain report --html=FILE`: the whole state directory
 * on one self-contained HTML page, for an operator to send on.
 *
 * The page reads the state as `brain status` does (cmd/status_cmd.h: no
 * lock, nothing changed) and holds, in this order:
 *
 *   overview     every item of `brain status`, the ones that need
 *                attention marked
 *   experiments  per experiment and kind: the decision of the status
 *                item, a chart of each variant's cumulative rate by day
 *                and one of each variant's lift against the control with
 *                its always-valid interval shaded (the lines of
 *                `brain-ab history`, cmd/ab_cmd.h ab_history_lines), and
 *                the figures of `brain-ab report`
 *   scripts      the registry (`brain-promote status`) and every
 *                promote.* record of the audit trail (`brain-promote
 *                history`)
 *   eval         per metric, a chart of its stored outcomes with the
 *                points where the configured detector is over its
 *                threshold marked red (as `brain-eval watch --verbose`)
 *   models       per model, every version with its state (`brain-model
 *                show`)
 *   gates        every gate.decision record of the audit trail: the
 *                decision, the failed gates, the evidence recorded for
 *                each gate, waivers and the --reason
 *
 * The audit records (scripts, gates) are those that verify, taken on
 * the pass status makes over the log.  Every string from the state is
 * escaped; the page loads nothing (inline style and SVG only) and prints
 * on A4.  A section with nothing in it says so.
 *
 * path "-" writes to stdout; any other path is replaced atomically (a
 * temporary file in its directory, renamed over it; core/file.h), so a
 * reader never sees half a page and a failed run leaves the old one.
 *
 * Returns BRAIN_OK when the page is written, the status of a section
 * that could not be read (the page is still written, and says so),
 * BRAIN_STATE for a missing or unusable state directory (no page), and
 * BRAIN_IO when the page cannot be written.
 */
#ifndef BRAIN_REPORT_HTML_H
#define BRAIN_REPORT_HTML_H

#include "cmd/cli.h"
#include "status.h"

enum brain_status report_html_write(const struct cli *cli, const char *path);

#endif
