/*
 * ingest_seen.h - learning/seen.keys: the identities brain-ingest has
 * stored (each record's content and its (source, id), each quarantined
 * line's content), so that a batch tells a duplicate without reading
 * records.jsonl and quarantine.jsonl again: a batch costs what it adds,
 * not what is stored.
 *
 * The file is a run of chunks, one per batch, appended in the batch's own
 * change after its lines.  A chunk is a header of INGEST_SEEN_HEADER bytes
 * ("brainid1", then three little-endian 64-bit numbers: the sizes of
 * records.jsonl and quarantine.jsonl once the batch is appended, and the
 * number of keys) and its keys, IDSET_KEPT bytes each.  A chunk whose
 * magic is "brainid0" is fresh: written after the logs were read whole, it
 * holds all their keys and the chunks before it no longer count (they may
 * name lines removed since).  It is derived
 * data: a file that is missing, or that covers more than the logs hold,
 * is set aside, and the logs are read instead and indexed afresh by the
 * batch; a file that is torn or foreign is emptied first.
 *
 *     struct ingest_seen_cover cover;
 *     ingest_seen_load(learnfd, &seen, &cover);   // then read the logs past cover
 *     ingest_seen_header(&after, nkeys, fresh, header);  // the chunk's first bytes
 */
#ifndef BRAIN_INGEST_SEEN_H
#define BRAIN_INGEST_SEEN_H

#include <stdint.h>

#include "status.h"

#include "pure/idset.h"

#define INGEST_SEEN "seen.keys"   /* in learning/ */
#define INGEST_SEEN_HEADER 32

/* The bytes of records.jsonl and quarantine.jsonl that keys stand for. */
struct ingest_seen_cover {
	uint64_t records, quarantine;
};

/* Add the keys of learning/seen.keys (in learnfd) to seen, which must be
 * empty, and set *cover to what its last chunk covers; nothing is added
 * and *cover is zero when the file is missing or is not a run of whole
 * chunks.  0 in that last case (the file is to be cleared before a chunk
 * is added to it), else 1. */
int ingest_seen_load(int learnfd, struct idset *seen, struct ingest_seen_cover *cover);

/* Empty learning/seen.keys (a writer's, under the state lock): BRAIN_OK,
 * also when there is none, or BRAIN_IO (reported). */
enum brain_status ingest_seen_clear(int learnfd);

/* The header of a chunk of n keys that brings the cover to *cover; a
 * fresh chunk holds every key of the logs it covers, and the chunks before
 * it are ignored. */
void ingest_seen_header(const struct ingest_seen_cover *cover, uint64_t n, int fresh,
			unsigned char out[INGEST_SEEN_HEADER]);

#endif
