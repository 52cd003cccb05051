/* state.c - the state directory and its writer lock; see state.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "core/file.h"
#include "pure/ident.h"
#include "core/state.h"
#include "banned.h"

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *s = xmalloc(n);

	snprintf(s, n, "%s/%s", a, b);
	return s;
}

enum brain_status state_resolve_path(const char *option, char **out)
{
	const char *env;

	if (option && *option) {
		*out = xstrdup(option);
		return BRAIN_OK;
	}
	env = getenv("BRAIN_STATE_DIR");
	if (env && !*env)
		/* Set but empty: a script whose variable was not filled in,
		 * never a request for the default directory. */
		return diag_error(BRAIN_USAGE, "BRAIN_STATE_DIR is set but empty: give it a "
				  "directory, or unset it for the default");
	if (env) {
		*out = xstrdup(env);
		return BRAIN_OK;
	}
	env = getenv("XDG_STATE_HOME");
	if (env && *env == '/') {
		*out = join(env, "brain");
		return BRAIN_OK;
	}
	env = getenv("HOME");
	if (env && *env == '/') {
		*out = join(env, ".local/state/brain");
		return BRAIN_OK;
	}
	return diag_error(BRAIN_STATE, "no state directory: give --state-dir or set "
			  "BRAIN_STATE_DIR (HOME is not set)");
}

/* mkdir -p with mode 0700 for every directory it creates. */
static int make_parents(const char *path)
{
	char *copy = xstrdup(path);
	int rc = 0;

	for (char *p = copy + 1; *p && rc == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (rc == 0 && mkdir(copy, 0700) != 0 && errno != EEXIST)
		rc = -1;
	free(copy);
	return rc;
}

static enum brain_status check_safe(const struct state *st)
{
	struct stat sb;

	if (fstat(st->dirfd, &sb) != 0)
		return diag_errno(BRAIN_STATE, errno, "cannot stat state directory '%s'", st->path);
	if (sb.st_uid != geteuid())
		return diag_error(BRAIN_STATE, "state directory '%s' is not owned by you "
				  "(uid %ld)", st->path, (long)sb.st_uid);
	if (sb.st_mode & (S_IWGRP | S_IWOTH))
		return diag_error(BRAIN_STATE, "state directory '%s' is writable by others "
				  "(mode %04o): chmod go-w it", st->path,
				  (unsigned)(sb.st_mode & 07777));
	return BRAIN_OK;
}

static int dir_is_empty(int dirfd)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *e;
	int empty = 1;

	if (fd < 0)
		return 0;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

static enum brain_status check_format(struct state *st, enum state_mode mode)
{
	enum brain_status status;
	char *text;
	size_t len;

	status = file_read_all(st->dirfd, "FORMAT", 4096, &text, &len);
	if (status == BRAIN_NO) {
		if (mode == STATE_WRITE && dir_is_empty(st->dirfd)) {
			status = file_replace(st->dirfd, "FORMAT", STATE_FORMAT_LINE,
					      strlen(STATE_FORMAT_LINE));
			st->created = 1;
			return status;
		}
		return diag_error(BRAIN_STATE, "'%s' is not a brain state directory "
				  "(it has no FORMAT file)", st->path);
	}
	if (status) /* unreadable FORMAT: the state's fault, unless the system's */
		return status == BRAIN_IO ? diag_errno_status(BRAIN_STATE, errno) : status;
	if (!strcmp(text, STATE_FORMAT_LINE)) {
		free(text);
		return BRAIN_OK;
	}
	if (!strncmp(text, "brain-state ", 12))
		status = diag_error(BRAIN_STATE, "%s/FORMAT: unknown format version '%.*s' "
				    "(this brain reads version 1)", st->path,
				    (int)strcspn(text + 12, "\n"), text + 12);
	else
		status = diag_error(BRAIN_STATE, "%s/FORMAT: corrupt (expected "
				    "'brain-state 1')", st->path);
	free(text);
	return status;
}

enum brain_status state_open(struct state *st, const char *option, enum state_mode mode)
{
	enum brain_status status;

	memset(st, 0, sizeof(*st));
	st->dirfd = st->lockfd = -1;
	if ((status = state_resolve_path(option, &st->path)))
		return status;
	st->dirfd = open(st->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (st->dirfd < 0 && errno == ENOENT && mode == STATE_WRITE) {
		if (make_parents(st->path) != 0) {
			status = diag_errno(BRAIN_STATE, errno,
					    "cannot create state directory '%s'", st->path);
			goto fail;
		}
		st->dirfd = open(st->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (st->dirfd < 0) {
		struct stat link;
		int err = errno;

		/* O_NOFOLLOW with O_DIRECTORY says ENOTDIR for a link: say what it is. */
		if (lstat(st->path, &link) == 0 && S_ISLNK(link.st_mode))
			err = ELOOP;
		errno = err;
		if (errno == ENOENT)
			status = diag_error(BRAIN_STATE, "state directory '%s' does not exist",
					    st->path);
		else if (errno == ELOOP)
			status = diag_error(BRAIN_STATE, "state directory '%s' is a symbolic "
					    "link", st->path);
		else
			status = diag_errno(BRAIN_STATE, errno,
					    "cannot open state directory '%s'", st->path);
		goto fail;
	}
	if ((status = check_safe(st)) || (status = check_format(st, mode)))
		goto fail;
	return BRAIN_OK;
fail:
	state_close(st);
	return status;
}

int lock_wait(int fd, double wait_seconds)
{
	struct timespec start, now, pause = { 0, 10 * 1000 * 1000 };

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((double)(now.tv_sec - start.tv_sec) +
		    (double)(now.tv_nsec - start.tv_nsec) / 1e9 >= wait_seconds) {
			errno = EWOULDBLOCK;
			return -1;
		}
		/* Short sleeps: a cron job waiting behind another gets in
		 * within 10 ms of its release. */
		nanosleep(&pause, NULL);
	}
}

enum brain_status state_lock(struct state *st, double wait_seconds)
{
	if (st->lockfd >= 0)
		return BRAIN_OK;
	st->lockfd = openat(st->dirfd, "lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (st->lockfd < 0)
		return diag_errno(BRAIN_STATE, errno, "cannot open '%s/lock'", st->path);
	if (lock_wait(st->lockfd, wait_seconds) != 0) {
		int err = errno;

		close(st->lockfd);
		st->lockfd = -1;
		if (err == EWOULDBLOCK)
			return diag_error(BRAIN_BUSY, "state directory '%s' is busy: another "
					  "writer held the lock for %g s (see --wait)",
					  st->path, wait_seconds);
		return diag_errno(BRAIN_STATE, err, "cannot lock '%s/lock'", st->path);
	}
	return BRAIN_OK;
}

void state_unlock(struct state *st)
{
	if (st->lockfd >= 0) {
		flock(st->lockfd, LOCK_UN);
		close(st->lockfd);
		st->lockfd = -1;
	}
}

void state_close(struct state *st)
{
	state_unlock(st);
	if (st->dirfd >= 0)
		close(st->dirfd);
	st->dirfd = -1;
	free(st->path);
	st->path = NULL;
}

enum brain_status state_subdir(struct state *st, const char *name, int create, int *fd)
{
	enum brain_status status = ident_check(name, "directory name");

	*fd = -1;
	if (status)
		return status;
	if (create && mkdirat(st->dirfd, name, 0700) != 0 && errno != EEXIST)
		return diag_errno(BRAIN_IO, errno, "cannot create '%s/%s'", st->path, name);
	*fd = openat(st->dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*fd < 0) {
		if (errno == ENOENT)
			return BRAIN_NO;
		return diag_errno(BRAIN_STATE, errno, "cannot open '%s/%s'", st->path, name);
	}
	/* A writer keeps to private directories. */
	if (st->lockfd >= 0 && (status = file_check_private(*fd, name))) {
		close(*fd);
		*fd = -1;
	}
	return status;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum brain_status state_list(struct state *st, const char *subdir, state_keep_fn *keep,
			     void *arg, char ***names, size_t *n)
{
	enum brain_status status;
	struct dirent *e;
	size_t cap = 0;
	DIR *d;
	int fd;

	*names = NULL;
	*n = 0;
	status = state_subdir(st, subdir, 0, &fd);
	if (status)
		return status == BRAIN_NO ? BRAIN_OK : status;
	if (!(d = fdopendir(fd))) {
		status = diag_errno(BRAIN_STATE, errno, "cannot read '%s/%s'", st->path, subdir);
		close(fd);
		return status;
	}
	while ((e = readdir(d))) {
		char *name;

		if (e->d_name[0] == '.')
			continue;
		name = xstrdup(e->d_name);
		if (!keep(name, arg)) {
			free(name);
			continue;
		}
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			*names = xrealloc(*names, cap * sizeof(**names));
		}
		(*names)[(*n)++] = name;
	}
	closedir(d);
	qsort(*names, *n, sizeof(**names), cmp_name);
	return BRAIN_OK;
}

int state_keep_id(char *name, void *arg)
{
	(void)arg;
	return ident_valid(name);
}

void state_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The walk of state_find_open below dir (at fd, which it closes),
 * named prefix. */
static void find_open(int fd, const char *prefix, int depth, struct state_open_entries *o)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;

	if (!d) {
		close(fd);
		return;
	}
	while ((e = readdir(d))) {
		struct stat sb;
		char path[512];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s%s", prefix, e->d_name);
		if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if ((sb.st_mode & 077) && o->count++ == 0) {
			snprintf(o->first, sizeof(o->first), "%s", path);
			o->first_mode = (unsigned)(sb.st_mode & 07777);
		}
		if (S_ISDIR(sb.st_mode) && depth < 16) {
			int sub = openat(dirfd(d), e->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub >= 0) {
				strncat(path, "/", sizeof(path) - strlen(path) - 1);
				find_open(sub, path, depth + 1, o);
			}
		}
	}
	closedir(d);
}

enum brain_status state_find_open(struct state *st, struct state_open_entries *o)
{
	int fd = openat(st->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	memset(o, 0, sizeof(*o));
	if (fd < 0)
		return diag_errno(BRAIN_STATE, errno, "cannot open '%s'", st->path);
	find_open(fd, "", 0, o);
	return BRAIN_OK;
}
