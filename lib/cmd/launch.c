/* launch.c - finding and running the toolkit's programs; see launch.h. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "cmd/launch.h"
#include "banned.h"

static const struct launch_program programs[] = {
	{ "ab", "A/B tracking of scripts and channels, winners only on real evidence" },
	{ "promote", "call script lifecycle by measured performance, without flapping" },
	{ "packet", "deal packets from lead data, with deal math and compliance" },
	{ "ingest", "learning data from allow-listed sources only, nothing lost" },
	{ "eval", "outcome scores, trends and regression alarms" },
	{ "model", "model registry with shadow and canary updates and rollback" },
	{ "score", "readiness score of an agent clone" },
	{ "gate", "deployment gates for a clone: PROMOTE or BLOCK, with reasons" },
	{ "audit", "the signed, hash-chained audit trail: log, show, verify" },
	{ "verify", "end-to-end check of the state directory and a self-test" },
};

const struct launch_program *launch_programs(size_t *count)
{
	*count = sizeof(programs) / sizeof(programs[0]);
	return programs;
}

int launch_valid_command(const char *command)
{
	size_t n = strlen(command);

	if (n == 0 || n > 32 || command[0] < 'a' || command[0] > 'z')
		return 0;
	for (size_t i = 1; i < n; i++) {
		char c = command[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return 0;
	}
	return 1;
}

/* The directory of the running executable, or NULL. */
static char *exe_dir(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return xstrdup(path);
}

static char *concat(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
	char *s = xmalloc(n);

	snprintf(s, n, "%s%s%s", a, b, c);
	return s;
}

char *launch_sibling(const char *command)
{
	char *dir = exe_dir(), *path;

	if (!dir)
		return NULL;
	path = concat(dir, "/brain-", command);
	free(dir);
	if (access(path, X_OK) == 0)
		return path;
	free(path);
	return NULL;
}

char *launch_on_path(const char *command)
{
	const char *env = getenv("PATH");
	char *copy, *dir, *save = NULL, *found = NULL;

	if (!env)
		return NULL;
	copy = xstrdup(env);
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char *path = concat(*dir ? dir : ".", "/brain-", command);

		if (access(path, X_OK) == 0)
			found = path;
		else
			free(path);
	}
	free(copy);
	return found;
}

char *launch_man_file(const char *page)
{
	const char *section = strrchr(page, '.');
	char *dir = exe_dir(), *path;

	if (!dir || !section) {
		free(dir);
		return NULL;
	}
	path = concat(dir, "/../man/", page);
	if (access(path, R_OK) != 0) {
		char sub[32];

		free(path);
		snprintf(sub, sizeof(sub), "/../share/man/man%s/", section + 1);
		path = concat(dir, sub, page);
		if (access(path, R_OK) != 0) {
			free(path);
			path = NULL;
		}
	}
	free(dir);
	return path;
}

enum brain_status launch_exec(const char *command, char **args)
{
	char *path;
	char name[64];

	if (!launch_valid_command(command))
		return diag_error(BRAIN_USAGE, "unknown command '%s' (see 'brain commands')",
				  command);
	path = launch_sibling(command);
	if (!path)
		path = launch_on_path(command);
	if (!path)
		return diag_error(BRAIN_USAGE, "unknown command '%s' (see 'brain commands')",
				  command);
	snprintf(name, sizeof(name), "brain-%s", command);
	args[0] = name;
	execv(path, args);
	diag_errno(BRAIN_IO, errno, "cannot run '%s'", path);
	free(path);
	return BRAIN_IO;
}

enum brain_status launch_help(const char *page)
{
	char *file = launch_man_file(page);
	char name[64];
	const char *dot = strrchr(page, '.');

	fflush(stdout);
	if (file) {
		execlp("man", "man", "-l", file, (char *)NULL);
		execlp("mandoc", "mandoc", "-a", file, (char *)NULL);
	} else {
		snprintf(name, sizeof(name), "%.*s", (int)(dot - page), page);
		execlp("man", "man", dot + 1, name, (char *)NULL);
	}
	diag_errno(BRAIN_IO, errno, "cannot show the manual page %s: neither man nor "
		   "mandoc could be run", page);
	free(file);
	return BRAIN_IO;
}
