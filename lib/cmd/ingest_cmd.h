/*
 * ingest_cmd.h - brain-ingest: learning data only from allow-listed sources,
 * with provenance, de-duplication, quarantine and a suppression list.
 *
 * State (learning/):
 *   sources.json        the allow-list: name (matched case-insensitively),
 *                       route, licence, uses; starts empty
 *   records.jsonl       accepted records, one per line:
 *                       {"source","use","batch_id","ingested_at","sha256","line","record"}
 *   quarantine.jsonl    rejected records: {"source","batch_id","line","reason","record"}
 *   suppression.jsonl   phones and emails that must not be contacted:
 *                       {"kind","value","rule","source","ts"}
 * A batch streams: the input is read once for its SHA-256 (the batch id)
 * before the lock is taken, copied to a file without a name in the state
 * directory when it cannot be read twice, then read again record by
 * record under the lock; the lines for the three logs are staged in files
 * without names too, and appended from them with the batch's audit record
 * as one change (core/change.h).  Memory holds the identities of the
 * records (pure/idset.h), not their bytes.  A duplicate is a record whose
 * SHA-256, or whose "id" from the same source, is already in
 * records.jsonl.  BRAIN_FAULT=ingest-staged kills the process once the
 * batch is staged, before its change, for tests of crash recovery.
 */
#ifndef BRAIN_INGEST_CMD_H
#define BRAIN_INGEST_CMD_H

#include <cjson/cJSON.h>

#include "cmd/cli.h"
#include "pure/json.h"
#include "status.h"

struct ingest_args {
	const char *source;      /* --source */
	const char *use;         /* --use (default training) */
	const char *route, *licence, *uses;   /* sources allow */
	const char *since, *batch;            /* show */
};

enum brain_status ingest_cmd_sources(const struct cli *cli);
enum brain_status ingest_cmd_allow(const struct cli *cli, const struct ingest_args *a,
				   const char *name);
enum brain_status ingest_cmd_deny(const struct cli *cli, const char *name);
enum brain_status ingest_cmd_ingest(const struct cli *cli, const struct ingest_args *a,
				    const char *path);
enum brain_status ingest_cmd_show(const struct cli *cli, const struct ingest_args *a);
enum brain_status ingest_cmd_quarantine(const struct cli *cli);
/* The batch records of learning/batches.jsonl, as stored. */
enum brain_status ingest_cmd_batches(const struct cli *cli);

/* brain-ingest quarantine reviewed: mark every record quarantined so far
 * as looked at (brain status asks only about those after), audited. */
enum brain_status ingest_cmd_reviewed(const struct cli *cli);
enum brain_status ingest_cmd_stats(const struct cli *cli);

/* Check and normalise a lead's compliance fields in place as ingestion
 * does (source "fuzz"), its suppression entries added to supp: BRAIN_OK or
 * BRAIN_DATA (reported at loc).  For the fuzz target. */
enum brain_status ingest_cmd_read_lead(cJSON *rec, const struct json_loc *loc, cJSON *supp);

#endif
