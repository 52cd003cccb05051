/* Fuzz target: the strict line parser every reader uses.  What it
 * accepts is an object that, written again, parses back to the same
 * value (numbers bit for bit), and formats as one line. */
#include "fuzz.h"
#include "pure/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_loc loc = { "fuzz", 1 };
	cJSON *o = NULL, *again = NULL;
	char *text, *line;

	fuzz_quiet();
	if (json_parse_line((const char *)data, size, &loc, &o) != BRAIN_OK) {
		FUZZ_ASSERT(o == NULL);
		return 0;
	}
	FUZZ_ASSERT(cJSON_IsObject(o));
	text = json_print_compact(o);
	FUZZ_ASSERT(json_parse_line(text, strlen(text), &loc, &again) == BRAIN_OK);
	FUZZ_ASSERT(json_equal_exact(o, again));
	line = json_format_line(o, NULL);
	FUZZ_ASSERT(line != NULL && !strcmp(line + strlen(text), "\n"));
	free(line);
	free(text);
	cJSON_Delete(again);
	cJSON_Delete(o);
	return 0;
}
