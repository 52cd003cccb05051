/*
 * cjson-parse - the floor brain-ab is measured against: read JSON Lines
 * from stdin and parse each line with cJSON, doing nothing else.
 * Built and run by scripts/bench/ab.sh.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long objects = 0;

	while ((n = getline(&line, &cap, stdin)) > 0) {
		cJSON *o = cJSON_ParseWithLength(line, (size_t)n);

		objects += o != NULL;
		cJSON_Delete(o);
	}
	free(line);
	printf("%ld\n", objects);
	return 0;
}
