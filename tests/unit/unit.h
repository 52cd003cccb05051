/*
 * unit.h - what every Check suite of libbrain shares.
 *
 * Each tests/unit/test_MODULE.c defines `static Suite *suite(void)` and
 * ends with UNIT_MAIN(suite).  Tests run forked (Check's default), so a
 * test may chdir, set environment variables or exit without disturbing
 * the others.  Helpers:
 *
 *   unit_tmpdir()        a fresh private directory under $TMPDIR, removed
 *                        at exit of the test process; returns its path
 *   unit_capture_diag()  send diagnostics to a memory buffer;
 *   unit_diag_text()     what was written there since (NUL-terminated)
 *   unit_write_file()    create a file with given content
 *   unit_read_file()     read a whole file (caller frees)
 *   unit_number()        the number member of a reference vector (fails
 *                        the test when there is none)
 *   unit_near()          a computed value within 1e-9 of a vector's member
 */
#ifndef BRAIN_UNIT_H
#define BRAIN_UNIT_H

#define _GNU_SOURCE
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <math.h>

#include <cjson/cJSON.h>

#include "diag.h"

static char unit_dir_path[4096];
static char *unit_diag_buf;
static size_t unit_diag_len;
static FILE *unit_diag_fp;

static void unit_remove_tmpdir(void)
{
	char cmd[4200];

	if (unit_dir_path[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", unit_dir_path);
		if (system(cmd) != 0)
			fprintf(stderr, "unit: cannot remove %s\n", unit_dir_path);
	}
}

static inline const char *unit_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(unit_dir_path, sizeof(unit_dir_path), "%s/brain-unit-XXXXXX",
		 base && *base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(unit_dir_path));
	atexit(unit_remove_tmpdir);
	return unit_dir_path;
}

static inline void unit_capture_diag(void)
{
	if (unit_diag_fp)
		fclose(unit_diag_fp);
	free(unit_diag_buf);
	unit_diag_buf = NULL;
	unit_diag_fp = open_memstream(&unit_diag_buf, &unit_diag_len);
	ck_assert_ptr_nonnull(unit_diag_fp);
	diag_set_stream(unit_diag_fp);
}

static inline const char *unit_diag_text(void)
{
	fflush(unit_diag_fp);
	return unit_diag_buf ? unit_diag_buf : "";
}

static inline void unit_write_file(const char *path, const char *content)
{
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(content, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

static inline char *unit_read_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;

	ck_assert_ptr_nonnull(fp);
	n = getdelim(&buf, &cap, '\0', fp);
	fclose(fp);
	if (n < 0) {
		free(buf);
		buf = calloc(1, 1);
	}
	return buf;
}

static inline double unit_number(const cJSON *v, const char *name)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(v, name);

	ck_assert_msg(cJSON_IsNumber(m), "no number '%s'", name);
	return m->valuedouble;
}

/* got is within 1e-9 of member name of vector n. */
static inline void unit_near(const cJSON *v, const char *name, double got, int n)
{
	double want = unit_number(v, name);

	ck_assert_msg(fabs(got - want) <= 1e-9, "vector %d %s: %.15g, want %.15g", n, name, got,
		      want);
}

#define UNIT_MAIN(suite_fn)                                            \
	int main(void)                                                 \
	{                                                              \
		SRunner *sr = srunner_create(suite_fn());              \
		int failed;                                            \
                                                                       \
		srunner_run_all(sr, CK_NORMAL);                        \
		failed = srunner_ntests_failed(sr);                    \
		srunner_free(sr);                                      \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;           \
	}

#endif
