/* table.c - aligned text tables; see table.h. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "cmd/table.h"
#include "banned.h"

struct table *table_new(size_t ncols, const char *const *headers)
{
	struct table *t = xcalloc(1, sizeof(*t));

	t->ncols = ncols;
	table_add(t, headers);
	return t;
}

void table_add(struct table *t, const char *const *cells)
{
	if (t->nrows == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 8;
		t->cells = xrealloc(t->cells, t->cap * t->ncols * sizeof(*t->cells));
	}
	for (size_t c = 0; c < t->ncols; c++)
		t->cells[t->nrows * t->ncols + c] = xstrdup(cells[c] ? cells[c] : "");
	t->nrows++;
}

/* Characters, not bytes: continuation bytes of UTF-8 do not count. */
static size_t width_of(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

void table_print(const struct table *t, FILE *fp)
{
	size_t *widths = xcalloc(t->ncols, sizeof(*widths));

	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			size_t w = width_of(t->cells[r * t->ncols + c]);

			if (w > widths[c])
				widths[c] = w;
		}
	for (size_t r = 0; r < t->nrows; r++) {
		size_t last = t->ncols;

		/* Pad only up to the last non-empty cell: no line ends in spaces. */
		while (last > 1 && !*t->cells[r * t->ncols + last - 1])
			last--;
		for (size_t c = 0; c < last; c++) {
			const char *cell = t->cells[r * t->ncols + c];

			fputs(cell, fp);
			if (c + 1 < last)
				fprintf(fp, "%*s", (int)(widths[c] - width_of(cell) + 2), "");
		}
		fputc('\n', fp);
	}
	free(widths);
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

void table_bar(double fraction, size_t width, char *out)
{
	size_t filled;

	if (!(fraction > 0))
		fraction = 0;
	if (fraction > 1)
		fraction = 1;
	filled = (size_t)(fraction * (double)width + 0.5);
	for (size_t i = 0; i < width; i++)
		out[i] = i < filled ? '#' : '.';
	out[width] = '\0';
}

void table_sparkline(const double *values, size_t n, char *out, size_t size)
{
	static const char *const blocks[] = { "\u2581", "\u2582", "\u2583", "\u2584",
					      "\u2585", "\u2586", "\u2587", "\u2588" };
	size_t start = n > 60 ? n - 60 : 0, len = 0;
	double lo = 0, hi = 0;

	if (size)
		out[0] = '\0';
	for (size_t i = start; i < n; i++) {
		if (i == start || values[i] < lo)
			lo = values[i];
		if (i == start || values[i] > hi)
			hi = values[i];
	}
	for (size_t i = start; i < n && len + 4 <= size; i++) {
		int level = hi > lo ? (int)((values[i] - lo) / (hi - lo) * 7 + 0.5) : 3;

		memcpy(out + len, blocks[level], 3);
		len += 3;
		out[len] = '\0';
	}
}
