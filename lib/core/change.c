/* change.c - changes of state that land with their audit records; see change.h. */
#define _GNU_SOURCE /* syncfs */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/change.h"
#include "core/config.h"
#include "pure/json.h"
#include "core/binding.h"
#include "diag.h"
#include "core/rejects.h"
#include "banned.h"

#define JOURNAL_MAX ((size_t)1 << 28) /* a batch of a million files and more */

void change_fault(const char *point)
{
	const char *f = getenv("BRAIN_FAULT");

	if (f && !strcmp(f, point))
		raise(SIGKILL);
}

void change_init(struct change *c, struct state *st)
{
	memset(c, 0, sizeof(*c));
	c->st = st;
}

void change_replace(struct change *c, const char *dir, struct file_replace *fr)
{
	c->rep = xrealloc(c->rep, (c->nrep + 1) * sizeof(*c->rep));
	c->rep[c->nrep].dir = xstrdup(dir);
	c->rep[c->nrep].fr = fr;
	c->nrep++;
}

void change_append(struct change *c, const char *path, int fd, const void *buf, size_t len)
{
	if (!len)
		return;
	c->app = xrealloc(c->app, (c->napp + 1) * sizeof(*c->app));
	c->app[c->napp] = (struct change_append){ xstrdup(path), fd, buf, -1, (off_t)len, 0 };
	c->napp++;
}

void change_append_file(struct change *c, const char *path, int fd, int srcfd, off_t len)
{
	if (!len)
		return;
	c->app = xrealloc(c->app, (c->napp + 1) * sizeof(*c->app));
	c->app[c->napp] = (struct change_append){ xstrdup(path), fd, NULL, srcfd, len, 0 };
	c->napp++;
}

void change_remove(struct change *c, const char *dir, const char *name)
{
	c->rem = xrealloc(c->rem, (c->nrem + 1) * sizeof(*c->rem));
	c->rem[c->nrem].dir = xstrdup(dir);
	c->rem[c->nrem].name = xstrdup(name);
	c->nrem++;
}

static void change_free(struct change *c)
{
	for (size_t i = 0; i < c->nrem; i++) {
		free(c->rem[i].dir);
		free(c->rem[i].name);
	}
	free(c->rem);
	c->rem = NULL;
	c->nrem = 0;
	for (size_t i = 0; i < c->nrep; i++)
		free(c->rep[i].dir);
	for (size_t i = 0; i < c->napp; i++)
		free(c->app[i].path);
	free(c->rep);
	free(c->app);
	c->rep = NULL;
	c->app = NULL;
	c->nrep = c->napp = 0;
}

void change_abort(struct change *c)
{
	for (size_t i = 0; i < c->nrep; i++)
		file_replace_abort(c->rep[i].fr);
	change_free(c);
}

/* Size of audit.log, 0 when it does not exist yet. */
static enum brain_status audit_size(int dirfd, off_t *size)
{
	struct stat sb;

	*size = 0;
	if (fstatat(dirfd, AUDIT_LOG, &sb, AT_SYMLINK_NOFOLLOW) == 0)
		*size = sb.st_size;
	else if (errno != ENOENT)
		return diag_errno(BRAIN_STATE, errno, "cannot stat " AUDIT_LOG);
	return BRAIN_OK;
}

/* Did all count records land past offset size: are there count LFs? */
static int landed(int dirfd, off_t size, double count)
{
	char buf[4096];
	ssize_t n;
	double lines = 0;
	int fd = openat(dirfd, AUDIT_LOG, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return 0;
	while (lines < count && (n = pread(fd, buf, sizeof(buf), size)) > 0) {
		for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + n - p))); p++)
			lines++;
		size += n;
	}
	close(fd);
	return lines >= count;
}

/* Cut the file at fd back to size, durably, if it grew past it.  0, or
 * -1 with errno set. */
static int cut_back(int fd, off_t size)
{
	struct stat sb;

	if (fstat(fd, &sb) != 0)
		return -1;
	if (sb.st_size <= size)
		return 0;
	return ftruncate(fd, size) == 0 && fdatasync(fd) == 0 ? 0 : -1;
}

/* Cut audit.log back to size: the records of a change that did not
 * complete (a writer killed in the middle of writing them) were never
 * acknowledged.  Their bytes are kept in rejects/. */
static enum brain_status cut_audit(struct state *st, off_t size)
{
	enum brain_status status = BRAIN_OK;
	struct stat sb;
	int fd = openat(st->dirfd, AUDIT_LOG, O_RDWR | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return errno == ENOENT ? BRAIN_OK
				       : diag_errno(BRAIN_STATE, errno, "cannot open " AUDIT_LOG);
	if (fstat(fd, &sb) == 0 && sb.st_size > size) {
		size_t len = (size_t)(sb.st_size - size);
		char *tail = xmalloc(len);
		struct rejects rj;

		rejects_init(&rj, st);
		if (pread(fd, tail, len, size) != (ssize_t)len)
			status = diag_errno(BRAIN_STATE, errno, "cannot read " AUDIT_LOG);
		else
			status = rejects_add(&rj, AUDIT_LOG, 0, "audit records of a change that "
					     "did not complete (never acknowledged)", tail, len);
		rejects_close(&rj);
		free(tail);
		if (!status && cut_back(fd, size) != 0)
			status = diag_errno(BRAIN_STATE, errno, "cannot cut " AUDIT_LOG " back");
	}
	close(fd);
	return status;
}

static enum brain_status journal_write(struct change *c, off_t log_size, size_t count)
{
	cJSON *j = cJSON_CreateObject(), *rep = cJSON_CreateArray(), *app = cJSON_CreateArray(),
	      *rem = cJSON_CreateArray();
	enum brain_status status;
	char *text;

	cJSON_AddNumberToObject(j, "audit_size", (double)log_size);
	cJSON_AddNumberToObject(j, "audit_records", (double)count);
	for (size_t i = 0; i < c->nrep; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "dir", c->rep[i].dir);
		cJSON_AddStringToObject(o, "tmp", c->rep[i].fr->tmpname);
		cJSON_AddStringToObject(o, "name", c->rep[i].fr->name);
		cJSON_AddItemToArray(rep, o);
	}
	for (size_t i = 0; i < c->napp; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "path", c->app[i].path);
		cJSON_AddNumberToObject(o, "size", (double)c->app[i].size);
		cJSON_AddItemToArray(app, o);
	}
	for (size_t i = 0; i < c->nrem; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "dir", c->rem[i].dir);
		cJSON_AddStringToObject(o, "name", c->rem[i].name);
		cJSON_AddItemToArray(rem, o);
	}
	cJSON_AddItemToObject(j, "replace", rep);
	cJSON_AddItemToObject(j, "append", app);
	cJSON_AddItemToObject(j, "remove", rem);
	text = json_print_compact(j);
	cJSON_Delete(j);
	if (!text)
		diag_oom();
	status = file_replace(c->st->dirfd, CHANGE_JOURNAL, text, strlen(text));
	free(text);
	return status;
}

static enum brain_status journal_remove(int dirfd)
{
	if (unlinkat(dirfd, CHANGE_JOURNAL, 0) != 0 && errno != ENOENT)
		return diag_errno(BRAIN_STATE, errno, "cannot remove the " CHANGE_JOURNAL);
	if (fsync(dirfd) != 0)
		return diag_errno(BRAIN_IO, errno, "cannot sync the state directory");
	return BRAIN_OK;
}

/* Cut appended files back to their size before. */
static void undo_appends(struct change *c)
{
	for (size_t i = 0; i < c->napp; i++)
		if (cut_back(c->app[i].fd, c->app[i].size) != 0)
			diag_errno(BRAIN_IO, errno, "cannot cut '%s' back", c->app[i].path);
}

/* Rename a prepared file into place (its directory is synced by the
 * caller).  On failure the temporary stays, for the journal's recovery to
 * rename. */
static enum brain_status publish(struct file_replace *fr)
{
	enum brain_status status = BRAIN_OK;

	if (renameat(fr->dirfd, fr->tmpname, fr->dirfd, fr->name) != 0)
		status = diag_errno(BRAIN_IO, errno, "cannot rename over '%s'; the next writer "
				    "will finish the change", fr->name);
	free(fr->tmpname);
	fr->tmpname = NULL;
	return status;
}

/* Which of the n descriptors fd[] name the same file as an earlier one
 * (same device and inode): same[i] = 1.  Files that share a device share
 * a file system. */
static void same_files(const int *fd, size_t n, int by_device, unsigned char *same)
{
	struct stat *sb = xcalloc(n ? n : 1, sizeof(*sb));

	for (size_t i = 0; i < n; i++) {
		same[i] = 0;
		if (fstat(fd[i], &sb[i]) != 0)
			continue; /* unknown: synced on its own */
		for (size_t j = 0; j < i && !same[i]; j++)
			same[i] = !same[j] && sb[j].st_dev == sb[i].st_dev &&
				  (by_device || sb[j].st_ino == sb[i].st_ino);
	}
	free(sb);
}

/* The directories of the replacements, each once. */
static int *replace_dirs(const struct change *c, unsigned char *same, int by_device)
{
	int *fd = xcalloc(c->nrep ? c->nrep : 1, sizeof(*fd));

	for (size_t i = 0; i < c->nrep; i++)
		fd[i] = c->rep[i].fr->dirfd;
	same_files(fd, c->nrep, by_device, same);
	return fd;
}

/* Make every replacement's temporary durable.  One is fsynced; many are
 * closed as they are written and their file systems synced once each
 * (syncfs): a batch of n files costs one sync, not n. */
static enum brain_status prepare_all(struct change *c)
{
	enum brain_status status = BRAIN_OK;
	unsigned char *same;
	int *fd;

	if (c->nrep <= 1)
		return c->nrep ? file_replace_prepare(c->rep[0].fr) : BRAIN_OK;
	for (size_t i = 0; i < c->nrep; i++)
		if ((status = file_replace_close(c->rep[i].fr)))
			return status;
	same = xcalloc(c->nrep, 1);
	fd = replace_dirs(c, same, 1);
	for (size_t i = 0; i < c->nrep && !status; i++)
		if (!same[i] && syncfs(fd[i]) != 0)
			status = diag_errno(BRAIN_IO, errno, "cannot sync the file system of '%s'",
					    c->rep[i].fr->name);
	for (size_t i = 0; i < c->nrep && !status; i++)
		file_replace_synced(c->rep[i].fr);
	free(same);
	free(fd);
	return status;
}

/* Rename every replacement into place, then sync each directory once. */
static enum brain_status publish_all(struct change *c)
{
	enum brain_status status = BRAIN_OK;
	unsigned char *same = xcalloc(c->nrep ? c->nrep : 1, 1);
	int *fd = replace_dirs(c, same, 0);

	for (size_t i = 0; i < c->nrep; i++) {
		enum brain_status s = publish(c->rep[i].fr);

		if (s && !status)
			status = s;
	}
	for (size_t i = 0; i < c->nrep; i++)
		if (!same[i] && fsync(fd[i]) != 0 && !status)
			status = diag_errno(BRAIN_IO, errno, "cannot sync the directory of '%s'",
					    c->rep[i].fr->name);
	for (size_t i = 0; i < c->nrep; i++)
		file_replace_abort(c->rep[i].fr);
	free(same);
	free(fd);
	return status;
}

static int open_dir(int root, const char *dir)
{
	return *dir ? openat(root, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
		    : dup(root);
}

/* Remove name from dir (relative to root): out of sight in one rename to
 * ".NAME.trash", then its files deleted.  Done already is not an error,
 * so recovery can repeat it. */
static enum brain_status remove_entry(int root, const char *dir, const char *name)
{
	enum brain_status status = BRAIN_OK;
	char trash[512];
	int fd = open_dir(root, dir), tfd;
	DIR *d;
	struct dirent *e;

	if (fd < 0)
		return errno == ENOENT ? BRAIN_OK
				       : diag_errno(BRAIN_STATE, errno, "cannot open '%s'", dir);
	snprintf(trash, sizeof(trash), ".%s.trash", name);
	if (renameat(fd, name, fd, trash) != 0 && errno != ENOENT)
		status = diag_errno(BRAIN_IO, errno, "cannot remove '%s/%s'", dir, name);
	else if (fsync(fd) != 0)
		status = diag_errno(BRAIN_IO, errno, "cannot sync '%s'", dir);
	if (!status && unlinkat(fd, trash, 0) != 0 && errno != ENOENT) {
		/* A directory: its files, then itself. */
		tfd = openat(fd, trash, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		d = tfd >= 0 ? fdopendir(tfd) : NULL;
		while (d && (e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlinkat(dirfd(d), e->d_name, 0);
		if (d)
			closedir(d);
		else if (tfd >= 0)
			close(tfd);
		if (unlinkat(fd, trash, AT_REMOVEDIR) != 0 && errno != ENOENT)
			status = diag_errno(BRAIN_IO, errno, "cannot remove '%s/%s'", dir, trash);
	}
	close(fd);
	return status;
}

/* A failure after the audit record landed: the change stands (the next
 * writer finishes what is left of it), and the caller must know not to
 * make it again. */
static void said_landed(const struct audit_ack *acks, size_t count)
{
	char seq[64] = "";

	if (acks && count && acks[0].seq && acks[count - 1].seq)
		snprintf(seq, sizeof(seq), count == 1 ? " as seq %llu" : " as seq %llu to %llu",
			 (unsigned long long)acks[0].seq, (unsigned long long)acks[count - 1].seq);
	diag_error(BRAIN_IO, "the change was recorded%s before this failure: it stands (the "
		   "next writer finishes it), so do not run the command again", seq);
}

enum brain_status change_commit(struct change *c, const char *origin,
				const struct audit_event *evs, size_t count,
				struct audit_ack *acks)
{
	enum brain_status status, audited;
	off_t log_size;

	if (c->st->lockfd < 0) {
		change_abort(c);
		return diag_error(BRAIN_IO, "internal error: a change without the lock");
	}
	for (size_t i = 0; i < c->napp; i++) {
		struct stat sb;

		if (fstat(c->app[i].fd, &sb) != 0) {
			status = diag_errno(BRAIN_IO, errno, "cannot stat '%s'", c->app[i].path);
			change_abort(c);
			return status;
		}
		c->app[i].size = sb.st_size;
	}
	if ((status = prepare_all(c))) {
		change_abort(c);
		return status;
	}
	if ((status = audit_size(c->st->dirfd, &log_size)) ||
	    (status = journal_write(c, log_size, count))) {
		change_abort(c);
		return status;
	}
	change_fault("change-journaled");
	for (size_t i = 0; i < c->napp && !status; i++) {
		const struct change_append *a = &c->app[i];

		status = a->buf ? file_append(a->fd, a->path, a->buf, (size_t)a->len)
				: file_append_from(a->fd, a->path, a->srcfd, a->len);
	}
	if (!status)
		change_fault("change-appended");
	audited = status ? status : audit_append_many(c->st, origin, evs, count, acks);
	if (!landed(c->st->dirfd, log_size, (double)count)) {
		/* Nothing is recorded, so nothing may have changed. */
		undo_appends(c);
		cut_audit(c->st, log_size);
		change_abort(c);
		journal_remove(c->st->dirfd);
		return audited ? audited : diag_error(BRAIN_IO, "the audit record did not land");
	}
	change_fault("change-audited");
	status = publish_all(c);
	for (size_t i = 0; i < c->nrem; i++) {
		enum brain_status s = remove_entry(c->st->dirfd, c->rem[i].dir, c->rem[i].name);

		if (s && !status)
			status = s;
	}
	/* A rename that failed leaves the journal for the next writer to finish. */
	if (!status)
		status = journal_remove(c->st->dirfd);
	change_free(c);
	if (audited || status)
		said_landed(acks, count);
	return audited ? audited : status;
}

enum brain_status change_replace_one(struct state *st, const char *dir, struct file_replace *fr,
				     const char *origin, const struct audit_event *ev,
				     struct audit_ack *ack)
{
	struct change c;

	change_init(&c, st);
	change_replace(&c, dir, fr);
	return change_commit(&c, origin, ev, 1, ack);
}

/* A name inside one directory: no '/', not "." or "..", not empty. */
static int plain_name(const cJSON *s)
{
	return cJSON_IsString(s) && s->valuestring[0] && !strchr(s->valuestring, '/') &&
	       strcmp(s->valuestring, ".") && strcmp(s->valuestring, "..");
}

/* A relative path without "." or ".." components ("" allowed when root_ok). */
static int relative_path(const cJSON *s, int root_ok)
{
	const char *p;

	if (!cJSON_IsString(s))
		return 0;
	p = s->valuestring;
	if (!*p)
		return root_ok;
	if (*p == '/')
		return 0;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		p += n;
		if (*p == '/')
			p++;
	}
	return 1;
}

static enum brain_status recover_replace(int root, const cJSON *o, int forward)
{
	const cJSON *dir = cJSON_GetObjectItemCaseSensitive(o, "dir"),
		    *tmp = cJSON_GetObjectItemCaseSensitive(o, "tmp"),
		    *name = cJSON_GetObjectItemCaseSensitive(o, "name");
	enum brain_status status = BRAIN_OK;
	int fd;

	if ((fd = open_dir(root, dir->valuestring)) < 0)
		return errno == ENOENT ? BRAIN_OK
				       : diag_errno(BRAIN_STATE, errno, "cannot open '%s'",
						    dir->valuestring);
	if (forward) {
		if (renameat(fd, tmp->valuestring, fd, name->valuestring) != 0 && errno != ENOENT)
			status = diag_errno(BRAIN_STATE, errno, "cannot rename '%s' to '%s'",
					    tmp->valuestring, name->valuestring);
	} else if (unlinkat(fd, tmp->valuestring, 0) != 0 && errno != ENOENT) {
		status = diag_errno(BRAIN_STATE, errno, "cannot remove '%s'", tmp->valuestring);
	}
	if (!status && fsync(fd) != 0)
		status = diag_errno(BRAIN_IO, errno, "cannot sync '%s'", dir->valuestring);
	close(fd);
	return status;
}

static enum brain_status recover_append(int root, const cJSON *o)
{
	const cJSON *path = cJSON_GetObjectItemCaseSensitive(o, "path"),
		    *size = cJSON_GetObjectItemCaseSensitive(o, "size");
	enum brain_status status = BRAIN_OK;
	int fd;

	if ((fd = openat(root, path->valuestring, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return errno == ENOENT ? BRAIN_OK
				       : diag_errno(BRAIN_STATE, errno, "cannot open '%s'",
						    path->valuestring);
	if (cut_back(fd, (off_t)size->valuedouble) != 0)
		status = diag_errno(BRAIN_STATE, errno, "cannot cut '%s' back", path->valuestring);
	close(fd);
	return status;
}

/* What is wrong with a journal's entries, or NULL when nothing: every
 * path stays inside the state directory, every temporary is one. */
static const char *journal_invalid(const cJSON *j)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(j, "replace")) {
		const cJSON *tmp = cJSON_GetObjectItemCaseSensitive(o, "tmp");

		if (!relative_path(cJSON_GetObjectItemCaseSensitive(o, "dir"), 1) ||
		    !plain_name(tmp) || !plain_name(cJSON_GetObjectItemCaseSensitive(o, "name")) ||
		    tmp->valuestring[0] != '.' || !strstr(tmp->valuestring, ".tmp."))
			return "a replacement is not valid";
	}
	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(j, "append")) {
		const cJSON *size = cJSON_GetObjectItemCaseSensitive(o, "size");

		if (!relative_path(cJSON_GetObjectItemCaseSensitive(o, "path"), 0) ||
		    !cJSON_IsNumber(size) || size->valuedouble < 0)
			return "an append is not valid";
	}
	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(j, "remove")) {
		if (!relative_path(cJSON_GetObjectItemCaseSensitive(o, "dir"), 1) ||
		    !plain_name(cJSON_GetObjectItemCaseSensitive(o, "name")))
			return "a removal is not valid";
	}
	return NULL;
}

int change_pending(int dirfd)
{
	return faccessat(dirfd, CHANGE_JOURNAL, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

enum brain_status change_recover(struct state *st, enum change_recovery *how)
{
	enum brain_status status;
	const cJSON *size, *records, *list, *o;
	const char *bad;
	char *text;
	size_t len;
	cJSON *j;
	int forward;

	*how = CHANGE_NONE;
	status = file_read_all(st->dirfd, CHANGE_JOURNAL, JOURNAL_MAX, &text, &len);
	if (status == BRAIN_NO)
		return BRAIN_OK;
	if (status)
		return status;
	j = cJSON_ParseWithLength(text, len);
	free(text);
	size = cJSON_GetObjectItemCaseSensitive(j, "audit_size");
	records = cJSON_GetObjectItemCaseSensitive(j, "audit_records");
	if (!cJSON_IsNumber(size) || size->valuedouble < 0 ||
	    !cJSON_IsNumber(records) || records->valuedouble < 1 ||
	    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "replace")) ||
	    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "append")) ||
	    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "remove"))) {
		cJSON_Delete(j);
		return diag_error(BRAIN_STATE, "%s/" CHANGE_JOURNAL " is not a journal; move it "
				  "away and run 'brain-verify'", st->path);
	}
	if ((bad = journal_invalid(j))) {
		cJSON_Delete(j);
		return diag_error(BRAIN_STATE, "%s/" CHANGE_JOURNAL ": %s; move it away and run "
				  "'brain-verify'", st->path, bad);
	}
	forward = landed(st->dirfd, (off_t)size->valuedouble, records->valuedouble);
	/* Some of the change's records may have landed, or part of one: they
	 * go, with the rest of the change. */
	if (!forward && (status = cut_audit(st, (off_t)size->valuedouble))) {
		cJSON_Delete(j);
		return status;
	}
	list = cJSON_GetObjectItemCaseSensitive(j, "replace");
	cJSON_ArrayForEach(o, list) {
		if (!status)
			status = recover_replace(st->dirfd, o, forward);
	}
	/* Appends come before the audit records: when those landed, the
	 * appends are whole; when not, they are cut back. */
	list = cJSON_GetObjectItemCaseSensitive(j, "append");
	cJSON_ArrayForEach(o, list) {
		if (!status && !forward)
			status = recover_append(st->dirfd, o);
	}
	/* Removals come after the records: done only when those landed. */
	list = cJSON_GetObjectItemCaseSensitive(j, "remove");
	cJSON_ArrayForEach(o, list) {
		if (!status && forward)
			status = remove_entry(st->dirfd,
					      cJSON_GetObjectItemCaseSensitive(o, "dir")->valuestring,
					      cJSON_GetObjectItemCaseSensitive(o, "name")->valuestring);
	}
	cJSON_Delete(j);
	if (!status)
		status = journal_remove(st->dirfd);
	if (!status) {
		*how = forward ? CHANGE_FORWARD : CHANGE_BACK;
		diag_warn("%s", forward ? "an interrupted change was in the audit trail; it is "
				          "now published"
					: "an interrupted change was not in the audit trail; it "
					  "is undone");
	}
	return status;
}

enum brain_status change_lock(struct state *st, double wait, enum change_recovery *how)
{
	enum change_recovery done = CHANGE_NONE;
	enum brain_status status;

	if (wait < 0) {
		struct config *cfg;

		if ((status = config_load(st->dirfd, &cfg)))
			return status;
		wait = config_number(cfg, "lock.wait_seconds");
		config_free(cfg);
	}
	if ((status = state_lock(st, wait)))
		return status;
	/* A writer that died in the middle of a change left its journal:
	 * finish or undo that change before making another. */
	if (change_pending(st->dirfd) && (status = change_recover(st, &done))) {
		state_unlock(st);
		return status;
	}
	if (how)
		*how = done;
	return BRAIN_OK;
}

enum brain_status change_begin(struct state *st, const char *option, double wait,
			       enum change_recovery *how)
{
	enum brain_status status;

	if ((status = state_open(st, option, STATE_WRITE)))
		return status;
	if ((status = change_lock(st, wait, how)))
		state_close(st);
	return status;
}

/* Open dir (a path relative to the state root, "" for the root), making
 * each missing component 0700.  The caller closes *fd. */
static enum brain_status make_dir(struct state *st, const char *dir, int *fd)
{
	char *copy = xstrdup(dir), *part, *slash = NULL;
	enum brain_status status = BRAIN_OK;
	int at = dup(st->dirfd);

	if (at < 0)
		status = diag_errno(BRAIN_IO, errno, "cannot open '%s'", st->path);
	for (part = copy; !status && *part; part = slash + 1) {
		int next;

		if ((slash = strchr(part, '/')))
			*slash = '\0';
		if (mkdirat(at, part, 0700) != 0 && errno != EEXIST)
			status = diag_errno(BRAIN_IO, errno, "cannot create '%s/%s'", st->path, dir);
		else if ((next = openat(at, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					O_CLOEXEC)) < 0)
			status = diag_errno(BRAIN_STATE, errno, "cannot open '%s/%s'", st->path, dir);
		else {
			close(at);
			at = next;
		}
		if (!slash)
			break;
	}
	free(copy);
	if (status && at >= 0) {
		close(at);
		at = -1;
	}
	*fd = at;
	return status;
}

/* The text of doc as stored: formatted JSON and a newline (caller
 * frees); NULL (reported) for a number that has no JSON. */
static char *json_file_text(const cJSON *doc, size_t *len)
{
	const char *where = "";
	char *text;

	/* A number that has no JSON never reaches a stored file. */
	if (json_find_nonfinite(doc, &where)) {
		diag_error(BRAIN_IO, "internal error: non-finite number in field '%s'", where);
		return NULL;
	}
	text = json_print_indented(doc);
	*len = strlen(text);
	text = xrealloc(text, *len + 2);
	memcpy(text + (*len)++, "\n", 2);
	return text;
}

/* Stage doc as name in dir with the change c, bound to details; the
 * directory stays open in *fd (the rename needs it) until the commit. */
static enum brain_status stage_json(struct change *c, const struct change_json *j,
				    cJSON *details, struct file_replace *fr, int *fd)
{
	enum brain_status status;
	char *text, path[512];
	size_t len;

	if (!(text = json_file_text(j->doc, &len)))
		return BRAIN_IO;
	/* The file as written, bound to its record (core/binding.h). */
	snprintf(path, sizeof(path), "%s%s%s", j->dir, *j->dir ? "/" : "", j->name);
	binding_add(details, path, text, len);
	if (!(status = make_dir(c->st, j->dir, fd)) &&
	    !(status = file_replace_begin(fr, *fd, j->name))) {
		fwrite(text, 1, len, fr->fp);
		change_replace(c, j->dir, fr);
	}
	free(text);
	return status;
}

enum brain_status change_save_jsons(struct state *st, const struct change_json *docs, size_t n,
				    const char *origin, const struct audit_event *evs)
{
	size_t size = n ? n : 1;
	struct file_replace *fr = xcalloc(size, sizeof(*fr));
	struct audit_event *bound = xcalloc(size, sizeof(*bound));
	struct audit_ack *acks = xcalloc(size, sizeof(*acks));
	int *fd = xcalloc(size, sizeof(*fd));
	cJSON **details = xcalloc(size, sizeof(*details));
	enum brain_status status = BRAIN_OK;
	struct change c;

	change_init(&c, st);
	for (size_t i = 0; i < n; i++) {
		fd[i] = -1;
		details[i] = evs[i].details ? cJSON_Duplicate(evs[i].details, 1)
					    : cJSON_CreateObject();
		bound[i] = evs[i];
		bound[i].details = details[i];
	}
	for (size_t i = 0; i < n && !status; i++)
		status = stage_json(&c, &docs[i], details[i], &fr[i], &fd[i]);
	if (status)
		change_abort(&c);
	else
		status = change_commit(&c, origin, bound, n, acks);
	for (size_t i = 0; i < n; i++) {
		if (fd[i] >= 0)
			close(fd[i]);
		cJSON_Delete(details[i]);
	}
	free(details);
	free(fd);
	free(acks);
	free(bound);
	free(fr);
	return status;
}

enum brain_status change_save_json(struct state *st, const char *dir, const char *name,
				   const cJSON *doc, const char *origin,
				   const struct audit_event *ev)
{
	struct change_json j = { dir, name, doc };

	return change_save_jsons(st, &j, 1, origin, ev);
}
