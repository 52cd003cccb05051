/* Fuzz target: the record readers of the commands, one record per line,
 * the first byte choosing which: a line for brain-promote evaluate (a
 * script measure or a brain-ab report line), an event for brain-audit
 * log -, a lead for brain-ingest (compliance fields normalised).  Each
 * accepts or refuses as bad data, never anything else; a lead accepted
 * is accepted again unchanged. */
#include "fuzz.h"
#include "cmd/audit_cmd.h"
#include "cmd/ingest_cmd.h"
#include "cmd/promote_cmd.h"
#include "pure/json.h"

static void one_line(const char *line, size_t len, long number, void *arg)
{
	int which = *(const int *)arg;
	struct json_loc loc = { "fuzz", number };
	enum brain_status status;
	cJSON *rec, *supp, *again;

	if (json_parse_line(line, len, &loc, &rec) != BRAIN_OK)
		return;
	if (which == 0) {
		status = promote_cmd_read_line(rec, &loc);
	} else if (which == 1) {
		status = audit_cmd_read_event(rec, &loc);
	} else {
		supp = cJSON_CreateArray();
		status = ingest_cmd_read_lead(rec, &loc, supp);
		if (status == BRAIN_OK) {
			again = cJSON_Duplicate(rec, 1);
			FUZZ_ASSERT(ingest_cmd_read_lead(again, &loc, supp) == BRAIN_OK);
			FUZZ_ASSERT(json_equal_exact(rec, again));
			cJSON_Delete(again);
		}
		cJSON_Delete(supp);
	}
	FUZZ_ASSERT(status == BRAIN_OK || status == BRAIN_DATA);
	cJSON_Delete(rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int which;

	if (size == 0)
		return 0;
	fuzz_quiet();
	which = data[0] % 3;
	fuzz_lines(data + 1, size - 1, one_line, &which);
	return 0;
}
