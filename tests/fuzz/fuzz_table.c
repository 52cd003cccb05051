/* Fuzz target: the text renderers.  Lines are rows, tabs separate three
 * cells; the table prints every cell (no byte of a valid UTF-8 cell is
 * lost), and the bar and sparkline stay within their buffers. */
#include "fuzz.h"
#include "cmd/table.h"
#include "pure/json.h"

struct rows {
	struct table *t;
	double values[64];
	size_t n;
};

static void add_row(const char *line, size_t len, long number, void *arg)
{
	struct rows *r = arg;
	char *copy = xmalloc(len + 1);
	const char *cells[3] = { "", "", "" };
	size_t c = 0;

	(void)number;
	memcpy(copy, line, len);
	copy[len] = '\0';
	cells[0] = copy;
	for (char *p = copy; *p && c < 2; p++)
		if (*p == '\t') {
			*p = '\0';
			cells[++c] = p + 1;
		}
	table_add(r->t, cells);
	if (r->n < 64)
		r->values[r->n++] = (double)len / (double)(number + 1);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rows r = { 0 };
	char bar[41], spark[3 * 60 + 1];
	char *out = NULL;
	size_t outlen = 0;
	FILE *fp;

	fuzz_quiet();
	if (!json_utf8_valid((const char *)data, size) || memchr(data, '\0', size))
		return 0;
	r.t = table_new(3, (const char *[]){ "A", "B", "C" });
	fuzz_lines(data, size, add_row, &r);
	fp = open_memstream(&out, &outlen);
	table_print(r.t, fp);
	fclose(fp);
	FUZZ_ASSERT(json_utf8_valid(out, outlen));
	/* Every cell's text is in the output. */
	for (size_t i = 0; i < r.t->nrows * r.t->ncols; i++)
		FUZZ_ASSERT(strstr(out, r.t->cells[i]) != NULL);
	free(out);
	table_bar(size % 2 ? 0.5 : (double)size / 100.0, 40, bar);
	FUZZ_ASSERT(strlen(bar) == 40);
	table_sparkline(r.values, r.n, spark, sizeof(spark));
	FUZZ_ASSERT(strlen(spark) < sizeof(spark));
	table_free(r.t);
	return 0;
}
