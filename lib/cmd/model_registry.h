/*
 * model_registry.h - what brain-model keeps about a version beside its
 * numbers, and the verbs that change it:
 *
 *   aliases      a model's names for its versions (champion, challenger),
 *                usable wherever a version id is (lead-scorer@champion);
 *                set, moved and removed by 'alias' and 'unalias', each move
 *                audited with the version it left
 *   tags         a version's KEY=VALUE pairs (--tag, 'tag')
 *   description  a version's free text (--description, 'tag')
 *   lineage      the brain-ingest batches a version was trained on
 *                (--trained-on), each link with the batch's source, use
 *                and licence; a batch that does not exist, or whose source
 *                the allow-list does not allow for training, is refused
 *
 * A version's number, accuracy, metrics, artifact and lineage never
 * change; its aliases, tags and description are notes about it, changed
 * only through an audited change of model.json.
 *
 *     cJSON *links;
 *     model_registry_link(cli, &st, "lead-scorer", lists, n, &links);
 *     v->trained_on = links;                        // v owns them
 *     model_registry_annotate(v, "weekly retrain", tags, ntags, 0);
 */
#ifndef BRAIN_MODEL_REGISTRY_H
#define BRAIN_MODEL_REGISTRY_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "cmd/cli.h"
#include "core/model_store.h"
#include "core/state.h"
#include "status.h"

/* Check a description and tags as model_registry_annotate does, changing
 * nothing: BRAIN_USAGE (reported) for a malformed one. */
enum brain_status model_registry_check_notes(const char *description, const char *const *tags,
					     size_t n, int del);

/* Set v's description (NULL: leave it) and its tags: each of tags is
 * KEY=VALUE, or with del a KEY to remove.  BRAIN_USAGE (reported) for a
 * malformed one, and then nothing of v changed. */
enum brain_status model_registry_annotate(struct version *v, const char *description,
					  const char *const *tags, size_t n, int del);

/* The lineage links of lists (n of them, each BATCH[,BATCH...]) in *links
 * (a new array the caller owns; NULL when n is 0).  Every batch must be
 * in learning/batches.jsonl (else BRAIN_DATA) and its source allowed for
 * training by the allow-list (else BRAIN_NO, the refusal audited as
 * model.refused unless a dry run); a malformed id is BRAIN_USAGE.
 * Reported, naming the batch and its source. */
enum brain_status model_registry_link(const struct cli *cli, struct state *st,
				      const char *model_id, const char *const *lists, size_t n,
				      cJSON **links);

/* brain-model alias MODEL NAME VERSION (del: alias --delete MODEL NAME,
 * version NULL): set, move or remove an alias, audited as model.alias. */
enum brain_status model_registry_alias(const struct cli *cli, const char *model,
				       const char *alias, const char *version, int del);

/* brain-model tag VERSION [KEY=VALUE ...] (--description, --delete):
 * audited as model.tag. */
enum brain_status model_registry_tag(const struct cli *cli, const char *version,
				     const char *description, const char *const *tags, size_t n,
				     int del);

/* For show --format=text: after the table, each version's aliases'
 * description, tags and batches, as indented lines. */
void model_registry_print_notes(const struct model *m, FILE *out);

#endif
