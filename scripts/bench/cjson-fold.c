/*
 * cjson-fold - the parse-and-fold loop brain-ab tally is measured against:
 * read JSON Lines from stdin, parse each line with cJSON, and add it to
 * its variant's trials and conversions in the C library's hash table
 * (hsearch_r), taking "variant", "converted" (or "trials" and
 * "conversions") and nothing else; no checks beyond cJSON's.  Prints one
 * line per variant, in the order first seen.  Built and run by
 * scripts/bench/ab-arms.sh.
 * Usage: cjson-fold < EVENTS
 */
#define _GNU_SOURCE
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

struct count {
	char *name;
	double trials, conversions;
};

int main(void)
{
	struct hsearch_data table;
	struct count *counts = NULL;
	size_t n = 0, cap = 0;
	char *line = NULL;
	size_t linecap = 0;
	ssize_t len;

	memset(&table, 0, sizeof(table));
	if (!hcreate_r(1 << 20, &table))
		return 1;
	while ((len = getline(&line, &linecap, stdin)) > 0) {
		cJSON *o = cJSON_ParseWithLength(line, (size_t)len);
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "variant");
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "converted");
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "trials");
		const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, "conversions");
		ENTRY e, *found;

		if (!cJSON_IsString(v)) {
			cJSON_Delete(o);
			continue;
		}
		e.key = v->valuestring;
		e.data = NULL;
		if (!hsearch_r(e, FIND, &found, &table)) {
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				counts = realloc(counts, cap * sizeof(*counts));
				if (!counts)
					return 1;
			}
			counts[n] = (struct count){ strdup(v->valuestring), 0, 0 };
			e.key = counts[n].name;
			e.data = (void *)(n + 1);
			n++;
			if (!hsearch_r(e, ENTER, &found, &table))
				return 1;
		}
		{
			struct count *k = &counts[(size_t)found->data - 1];

			k->trials += cJSON_IsNumber(t) ? t->valuedouble : 1;
			k->conversions += cJSON_IsNumber(x) ? x->valuedouble : cJSON_IsTrue(c);
		}
		cJSON_Delete(o);
	}
	for (size_t i = 0; i < n; i++)
		printf("{\"variant\":\"%s\",\"trials\":%.17g,\"conversions\":%.17g}\n",
		       counts[i].name, counts[i].trials, counts[i].conversions);
	free(line);
	return 0;
}
