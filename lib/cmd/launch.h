/*
 * launch.h - the front end's view of the toolkit: which programs exist,
 * where to find one, and where its manual page is.
 *
 * `brain ab …` runs brain-ab from the directory of the brain executable
 * itself when it is there (so an uninstalled build uses its own programs),
 * else from PATH.  Command names are checked before any path is built.
 */
#ifndef BRAIN_LAUNCH_H
#define BRAIN_LAUNCH_H

#include <stddef.h>

#include "status.h"

struct launch_program {
	const char *command;      /* "ab" */
	const char *description;  /* one line */
};

/* The programs of the toolkit, in the order `brain commands` lists them. */
const struct launch_program *launch_programs(size_t *count);

/* 1 when command is a well-formed command name ([a-z][a-z0-9-]{0,31}). */
int launch_valid_command(const char *command);

/* The path of brain-COMMAND next to the running executable, if it is
 * there and executable; else NULL.  Caller frees. */
char *launch_sibling(const char *command);

/* The path of brain-COMMAND found on PATH, or NULL.  Caller frees. */
char *launch_on_path(const char *command);

/* The man page file for page ("brain-ab.1", "brain.7") next to the
 * running executable (../man/ in a build tree, ../share/man/manN/ when
 * installed), or NULL.  Caller frees. */
char *launch_man_file(const char *page);

/* Run brain-COMMAND with args (args[0] is replaced by its name); returns
 * only on failure: BRAIN_USAGE when no such program, BRAIN_IO otherwise. */
enum brain_status launch_exec(const char *command, char **args);

/* Show a man page with man(1) (or mandoc(1) when man is missing); returns
 * only on failure. */
enum brain_status launch_help(const char *page);

#endif
