/*
 * table.h - the aligned text tables of --format=text.
 *
 *     struct table *t = table_new(3, (const char *[]){ "KEY", "VALUE", "SOURCE" });
 *     table_add(t, (const char *[]){ "lock.wait_seconds", "30", "default" });
 *     table_print(t, stdout);
 *     table_free(t);
 *
 * Cells are copied.  Columns are as wide as their widest cell counted in
 * UTF-8 characters, separated by two spaces; the last column is not
 * padded, so no line ends in spaces.  Numbers are not right-aligned:
 * the table is for reading, jsonl is for machines.
 */
#ifndef BRAIN_TABLE_H
#define BRAIN_TABLE_H

#include <stddef.h>
#include <stdio.h>

struct table {
	size_t ncols;   /* columns per row */
	size_t nrows;   /* rows, the header included */
	size_t cap;     /* allocated rows */
	char **cells;   /* nrows * ncols strings, owned */
};

/* A table whose first row is headers (ncols strings, copied). */
struct table *table_new(size_t ncols, const char *const *headers);

/* Add a row of ncols strings (copied; NULL prints as ""). */
void table_add(struct table *t, const char *const *cells);

/* Print the table to fp. */
void table_print(const struct table *t, FILE *fp);

void table_free(struct table *t);

/* A bar of width cells for a fraction in [0, 1] ("#####....."), into out
 * (width + 1 bytes). */
void table_bar(double fraction, size_t width, char *out);

/* A sparkline of n values (the last 60 at most) in block characters
 * U+2581..U+2588, scaled between their minimum and maximum, into out (a
 * UTF-8 string of at most 3 * 60 + 1 bytes). */
void table_sparkline(const double *values, size_t n, char *out, size_t size);

#endif
