/*
 * lineage.h - the links of model versions to the brain-ingest batches they
 * were trained on (models/<id>/model.json, "trained_on"), checked against
 * learning/batches.jsonl and the allow-list, for brain-verify.
 *
 *     struct lineage_report r;
 *     lineage_check(&st, &r);   // r.links, r.failed/r.detail, r.warned/r.warning
 *
 * Each link must name a batch that learning/batches.jsonl still holds,
 * with the same source, use, licence, SHA-256, time and record count as
 * when it was linked, and its source must have allowed training then (the
 * allow-list's uses, as recorded in the link; model.json is bound to the
 * audit trail, so the record cannot be edited unseen).  A source that no
 * longer allows training now is a warning: the version was made by the
 * rules of its day.
 */
#ifndef BRAIN_LINEAGE_H
#define BRAIN_LINEAGE_H

#include <stddef.h>

#include "core/state.h"
#include "status.h"

struct lineage_report {
	size_t links;          /* links checked */
	size_t versions;       /* versions with at least one */
	int failed;            /* a link is broken: detail says the first */
	char detail[512];
	int warned;            /* a linked source no longer allows training */
	char warning[512];     /* the first such */
};

/* Check every link of every model.  BRAIN_STATE (reported) when a model,
 * learning/batches.jsonl or the allow-list cannot be read. */
enum brain_status lineage_check(struct state *st, struct lineage_report *r);

#endif
