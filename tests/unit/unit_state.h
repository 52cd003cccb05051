/*
 * unit_state.h - a state directory for the suites of core's stores.
 *
 *   unit_under(name)      the path of name in the test's state directory
 *                         (static storage, overwritten by the next call)
 *   unit_lines_of(name)   how many lines that file has
 *   unit_open_state(st, now)  a fresh state, begun as every writer begins
 *                         (change_begin), with BRAIN_NOW fixed to now and
 *                         diagnostics captured
 */
#ifndef BRAIN_UNIT_STATE_H
#define BRAIN_UNIT_STATE_H

#include "unit.h"

#include "core/change.h"
#include "core/state.h"

static inline char *unit_under(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/state/%s", unit_dir_path, name);
	return path;
}

static inline int unit_lines_of(const char *name)
{
	char *text = unit_read_file(unit_under(name));
	int n = 0;

	for (char *p = text; *p; p++)
		n += *p == '\n';
	free(text);
	return n;
}

static inline void unit_open_state(struct state *st, const char *now)
{
	unit_tmpdir();
	umask(077);
	setenv("BRAIN_ACTOR", "unit", 1);
	setenv("BRAIN_NOW", now, 1);
	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(change_begin(st, unit_under(""), 0, NULL), BRAIN_OK);
}

#endif
