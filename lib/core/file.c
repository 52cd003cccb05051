/* file.c - atomic replacement and whole-line appends; see file.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "core/file.h"
#include "banned.h"

/* What file_append_from copies per write(2), unless a line is longer. */
#define APPEND_CHUNK ((size_t)1 << 20)

static void random_suffix(char out[7])
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char bytes[6];

	if (getrandom(bytes, sizeof(bytes), 0) != (ssize_t)sizeof(bytes)) {
		/* getrandom cannot fail for 6 bytes once the pool is ready;
		 * O_EXCL below catches a clash anyway. */
		for (size_t i = 0; i < sizeof(bytes); i++)
			bytes[i] = (unsigned char)(getpid() >> (i % 4 * 8));
	}
	for (size_t i = 0; i < 6; i++)
		out[i] = alphabet[bytes[i] % (sizeof(alphabet) - 1)];
	out[6] = '\0';
}

/* Create a new file (mode 0600, opened with flags) in dirfd named prefix
 * and six random characters, into out (size bytes).  The descriptor, or
 * -1 with errno set. */
static int create_unique(int dirfd, const char *prefix, char *out, size_t size, int flags)
{
	int fd = -1;

	for (int tries = 0; tries < 100 && fd < 0; tries++) {
		char suffix[7];

		random_suffix(suffix);
		snprintf(out, size, "%s%s", prefix, suffix);
		fd = openat(dirfd, out, flags | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	return fd;
}

enum brain_status file_replace_begin(struct file_replace *fr, int dirfd, const char *name)
{
	size_t size = strlen(name) + 16;
	char *prefix = xmalloc(size);
	int fd;

	memset(fr, 0, sizeof(*fr));
	fr->dirfd = dirfd;
	fr->name = xstrdup(name);
	fr->tmpname = xmalloc(size);
	snprintf(prefix, size, ".%s.tmp.", name);
	fd = create_unique(dirfd, prefix, fr->tmpname, size, O_WRONLY);
	free(prefix);
	if (fd < 0) {
		int err = errno;

		free(fr->name);
		free(fr->tmpname);
		fr->name = fr->tmpname = NULL;
		return diag_errno(BRAIN_IO, err, "cannot create a temporary file for '%s'", name);
	}
	fr->fp = fdopen(fd, "w");
	if (!fr->fp) {
		int err = errno;

		close(fd);
		unlinkat(dirfd, fr->tmpname, 0);
		free(fr->name);
		free(fr->tmpname);
		fr->name = fr->tmpname = NULL;
		return diag_errno(BRAIN_IO, err, "cannot write '%s'", name);
	}
	return BRAIN_OK;
}

void file_replace_abort(struct file_replace *fr)
{
	if (fr->fp)
		fclose(fr->fp);
	if (fr->tmpname)
		unlinkat(fr->dirfd, fr->tmpname, 0);
	free(fr->name);
	free(fr->tmpname);
	memset(fr, 0, sizeof(*fr));
	fr->dirfd = -1;
}

static enum brain_status replace_failed(struct file_replace *fr, int err)
{
	diag_errno(BRAIN_IO, err, "cannot write '%s'", fr->name);
	file_replace_abort(fr);
	return BRAIN_IO;
}

enum brain_status file_replace_close(struct file_replace *fr)
{
	int err = 0;

	if (fr->prepared || fr->written)
		return BRAIN_OK;
	if (fflush(fr->fp) != 0 || ferror(fr->fp))
		err = errno ? errno : EIO;
	if (fclose(fr->fp) != 0 && !err)
		err = errno;
	fr->fp = NULL;
	if (err)
		return replace_failed(fr, err);
	fr->written = 1;
	return BRAIN_OK;
}

void file_replace_synced(struct file_replace *fr)
{
	if (fr->written)
		fr->prepared = 1;
}

enum brain_status file_replace_prepare(struct file_replace *fr)
{
	int err = 0, fd;

	if (fr->prepared)
		return BRAIN_OK;
	if (fr->written) {
		/* Closed already: sync it through a descriptor of its own. */
		fd = openat(fr->dirfd, fr->tmpname, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0 || fsync(fd) != 0)
			err = errno;
		if (fd >= 0)
			close(fd);
	} else {
		if (fflush(fr->fp) != 0 || ferror(fr->fp))
			err = errno ? errno : EIO;
		else if (fsync(fileno(fr->fp)) != 0)
			err = errno;
		if (fclose(fr->fp) != 0 && !err)
			err = errno;
		fr->fp = NULL;
	}
	if (err)
		return replace_failed(fr, err);
	fr->prepared = 1;
	return BRAIN_OK;
}

enum brain_status file_replace_commit(struct file_replace *fr)
{
	enum brain_status status = file_replace_prepare(fr);

	if (status)
		return status;
	if (renameat(fr->dirfd, fr->tmpname, fr->dirfd, fr->name) != 0) {
		status = diag_errno(BRAIN_IO, errno, "cannot rename over '%s'", fr->name);
		file_replace_abort(fr);
		return status;
	}
	/* The rename is durable only once the directory is. */
	if (fsync(fr->dirfd) != 0)
		status = diag_errno(BRAIN_IO, errno, "cannot sync the directory of '%s'",
				    fr->name);
	free(fr->tmpname);
	fr->tmpname = NULL;
	file_replace_abort(fr);
	return status;
}

enum brain_status file_replace(int dirfd, const char *name, const void *buf, size_t len)
{
	struct file_replace fr;
	enum brain_status status = file_replace_begin(&fr, dirfd, name);

	if (status)
		return status;
	if (len && fwrite(buf, 1, len, fr.fp) != len) {
		status = diag_errno(BRAIN_IO, errno, "cannot write '%s'", name);
		file_replace_abort(&fr);
		return status;
	}
	return file_replace_commit(&fr);
}

enum brain_status file_check_private(int fd, const char *name)
{
	struct stat sb;

	if (fstat(fd, &sb) != 0)
		return diag_errno(BRAIN_IO, errno, "cannot stat '%s'", name);
	if (!(sb.st_mode & 077))
		return BRAIN_OK;
	return diag_error(BRAIN_STATE, "'%s' is mode %04o, open to others: the state is kept "
			  "private (0700 directories, 0600 files); chmod go= it", name,
			  (unsigned)(sb.st_mode & 07777));
}

enum brain_status file_append_open(int dirfd, const char *name, int *fd)
{
	enum brain_status status;

	*fd = openat(dirfd, name, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
		     0600);
	if (*fd < 0)
		return diag_errno(BRAIN_IO, errno, "cannot open '%s' for appending", name);
	if ((status = file_check_private(*fd, name))) {
		close(*fd);
		*fd = -1;
	}
	return status;
}

/* The end of an append to fd (name), which was size bytes before: when
 * it failed (err, an errno value, not 0) the file is cut back to size, so
 * that it never keeps part of what was appended; else it is synced. */
static enum brain_status append_end(int fd, const char *name, off_t size, int err)
{
	if (err) {
		if (ftruncate(fd, size) != 0)
			diag_errno(BRAIN_IO, errno, "cannot truncate '%s' after a failed append",
				   name);
		return diag_errno(BRAIN_IO, err, "cannot append to '%s'", name);
	}
	if (fdatasync(fd) != 0)
		return diag_errno(BRAIN_IO, errno, "cannot sync '%s'", name);
	return BRAIN_OK;
}

enum brain_status file_append(int fd, const char *name, const void *buf, size_t len)
{
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) != 0)
		return diag_errno(BRAIN_IO, errno, "cannot stat '%s'", name);
	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return append_end(fd, name, st.st_size, n == (ssize_t)len ? 0 : n < 0 ? errno : ENOSPC);
}

/* Write all of len bytes; -1 with errno set on failure (ENOSPC for a
 * write that stopped short). */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Copy whole lines from srcfd (from offset 0, len bytes) to fd; see
 * file_append_from.  -1 with errno set on failure. */
static int copy_lines(int fd, int srcfd, off_t len)
{
	size_t cap = APPEND_CHUNK, have = 0;
	char *buf = xmalloc(cap);
	off_t at = 0;   /* offset in srcfd of buf[0] */
	int rc = 0;

	while (!rc && at < len) {
		size_t want = cap - have, end;
		const char *lf;
		ssize_t n;

		if ((off_t)want > len - at - (off_t)have)
			want = (size_t)(len - at - (off_t)have);
		n = pread(srcfd, buf + have, want, at + (off_t)have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;  /* the staged file is shorter than it was */
			rc = -1;
			break;
		}
		have += (size_t)n;
		if (at + (off_t)have == len)
			end = have;
		else if ((lf = memrchr(buf, '\n', have)))
			end = (size_t)(lf - buf) + 1;
		else {
			/* One line longer than the buffer: make room for it. */
			cap *= 2;
			buf = xrealloc(buf, cap);
			continue;
		}
		rc = write_all(fd, buf, end);
		memmove(buf, buf + end, have - end);
		have -= end;
		at += (off_t)end;
	}
	free(buf);
	return rc;
}

enum brain_status file_append_from(int fd, const char *name, int srcfd, off_t len)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return diag_errno(BRAIN_IO, errno, "cannot stat '%s'", name);
	return append_end(fd, name, st.st_size, copy_lines(fd, srcfd, len) != 0 ? errno : 0);
}

enum brain_status file_temp(int dirfd, int *fd)
{
	char name[sizeof(FILE_TEMP_PREFIX) + 6];

	*fd = openat(dirfd, ".", O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);
	if (*fd >= 0)
		return BRAIN_OK;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return diag_errno(BRAIN_IO, errno, "cannot create a staging file");
	/* No O_TMPFILE on this file system: a name, unlinked at once. */
	if ((*fd = create_unique(dirfd, FILE_TEMP_PREFIX, name, sizeof(name), O_RDWR)) < 0)
		return diag_errno(BRAIN_IO, errno, "cannot create a staging file");
	unlinkat(dirfd, name, 0);
	return BRAIN_OK;
}

void file_temp_sweep(int dirfd)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, FILE_TEMP_PREFIX, sizeof(FILE_TEMP_PREFIX) - 1))
			unlinkat(dirfd, e->d_name, 0);
	closedir(d);
}

enum brain_status file_read_all(int dirfd, const char *name, size_t max,
				char **buf, size_t *len)
{
	struct stat st;
	size_t got = 0;
	char *data;
	int fd;

	*buf = NULL;
	*len = 0;
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return BRAIN_NO;
		return diag_errno(BRAIN_IO, errno, "cannot open '%s'", name);
	}
	if (fstat(fd, &st) != 0) {
		enum brain_status status = diag_errno(BRAIN_IO, errno, "cannot stat '%s'", name);

		close(fd);
		return status;
	}
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		close(fd);
		return diag_error(BRAIN_STATE, "'%s' is not a regular file of at most %zu bytes",
				  name, max);
	}
	data = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			enum brain_status status = diag_errno(BRAIN_IO, errno, "cannot read '%s'", name);

			free(data);
			close(fd);
			return status;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	data[got] = '\0';
	*buf = data;
	*len = got;
	return BRAIN_OK;
}

int file_ends_with_newline(int fd, off_t *size)
{
	struct stat st;
	char last;

	if (fstat(fd, &st) != 0)
		return -1;
	*size = st.st_size;
	if (st.st_size == 0)
		return 1;
	if (pread(fd, &last, 1, st.st_size - 1) != 1)
		return -1;
	return last == '\n';
}
