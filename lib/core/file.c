/* file.c - atomic replacement and whole-line appends; see file.h. */
#define _GNU_SOURCE
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

enum brain_status file_replace_begin(struct file_replace *fr, int dirfd, const char *name)
{
	size_t size = strlen(name) + 16;
	int fd = -1;

	memset(fr, 0, sizeof(*fr));
	fr->dirfd = dirfd;
	fr->name = xstrdup(name);
	fr->tmpname = xmalloc(size);
	for (int tries = 0; tries < 100 && fd < 0; tries++) {
		char suffix[7];

		random_suffix(suffix);
		snprintf(fr->tmpname, size, ".%s.tmp.%s", name, suffix);
		fd = openat(dirfd, fr->tmpname,
			    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
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

enum brain_status file_append(int fd, const char *name, const void *buf, size_t len)
{
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) != 0)
		return diag_errno(BRAIN_IO, errno, "cannot stat '%s'", name);
	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len) {
		int err = n < 0 ? errno : ENOSPC;

		/* Never leave part of a line behind: cut back to the old end. */
		if (n > 0 && ftruncate(fd, st.st_size) != 0)
			diag_errno(BRAIN_IO, errno, "cannot truncate '%s' after a short write",
				   name);
		return diag_errno(BRAIN_IO, err, "cannot append to '%s'", name);
	}
	if (fdatasync(fd) != 0)
		return diag_errno(BRAIN_IO, errno, "cannot sync '%s'", name);
	return BRAIN_OK;
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
