/* Unit tests of file: atomic replacement survives a writer killed before
 * the rename, appends are whole lines, torn tails are seen; lines staged
 * in a file without a name are appended from it exactly, or not at all. */
#include "unit.h"

#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "core/file.h"

static int dir_fd(void)
{
	int fd = open(unit_tmpdir(), O_RDONLY | O_DIRECTORY);

	ck_assert_int_ge(fd, 0);
	umask(077);
	return fd;
}

static char *path_of(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/%s", unit_dir_path, name);
	return path;
}

START_TEST(replace_writes_exactly_and_privately)
{
	int dirfd = dir_fd();
	struct stat sb;
	char *text;

	ck_assert_int_eq(file_replace(dirfd, "f", "old\n", 4), BRAIN_OK);
	ck_assert_int_eq(file_replace(dirfd, "f", "new content\n", 12), BRAIN_OK);
	text = unit_read_file(path_of("f"));
	ck_assert_str_eq(text, "new content\n");
	free(text);
	ck_assert_int_eq(stat(path_of("f"), &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	close(dirfd);
}
END_TEST

START_TEST(replace_killed_before_rename_leaves_the_old_file)
{
	int dirfd = dir_fd(), status;
	pid_t pid;
	char *text;

	ck_assert_int_eq(file_replace(dirfd, "state.json", "{\"v\":1}\n", 8), BRAIN_OK);
	pid = fork();
	if (pid == 0) {
		struct file_replace fr;

		if (file_replace_begin(&fr, dirfd, "state.json"))
			_exit(1);
		fputs("{\"v\":2,\"half\":", fr.fp);
		fflush(fr.fp);
		raise(SIGKILL); /* dies between writing and renaming */
		_exit(2);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	text = unit_read_file(path_of("state.json"));
	ck_assert_str_eq(text, "{\"v\":1}\n");
	free(text);
	close(dirfd);
}
END_TEST

START_TEST(prepare_then_abort_changes_nothing)
{
	int dirfd = dir_fd();
	struct file_replace fr;
	char *text;

	ck_assert_int_eq(file_replace(dirfd, "f", "kept\n", 5), BRAIN_OK);
	ck_assert_int_eq(file_replace_begin(&fr, dirfd, "f"), BRAIN_OK);
	ck_assert_ptr_nonnull(strstr(fr.tmpname, ".f.tmp."));
	fputs("dropped\n", fr.fp);
	ck_assert_int_eq(file_replace_prepare(&fr), BRAIN_OK);
	file_replace_abort(&fr);
	text = unit_read_file(path_of("f"));
	ck_assert_str_eq(text, "kept\n");
	free(text);
	close(dirfd);
}
END_TEST

START_TEST(appends_and_torn_tails)
{
	int dirfd = dir_fd(), fd;
	off_t size;
	char *text;

	ck_assert_int_eq(file_append_open(dirfd, "log", &fd), BRAIN_OK);
	ck_assert_int_eq(file_ends_with_newline(fd, &size), 1);
	ck_assert_int_eq(size, 0);
	ck_assert_int_eq(file_append(fd, "log", "a\nb\n", 4), BRAIN_OK);
	ck_assert_int_eq(file_ends_with_newline(fd, &size), 1);
	ck_assert_int_eq(file_append(fd, "log", "c", 1), BRAIN_OK);
	ck_assert_int_eq(file_ends_with_newline(fd, &size), 0);
	close(fd);
	text = unit_read_file(path_of("log"));
	ck_assert_str_eq(text, "a\nb\nc");
	free(text);
	close(dirfd);
}
END_TEST

START_TEST(a_short_append_is_cut_back)
{
	int dirfd = dir_fd(), fd, status;
	pid_t pid;
	struct stat sb;

	ck_assert_int_eq(file_append_open(dirfd, "log", &fd), BRAIN_OK);
	ck_assert_int_eq(file_append(fd, "log", "first line\n", 11), BRAIN_OK);
	pid = fork();
	if (pid == 0) {
		/* The file may not grow past 16 bytes: the write is cut short. */
		struct rlimit rl = { 16, 16 };
		char line[64];

		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		memset(line, 'x', sizeof(line) - 1);
		line[sizeof(line) - 1] = '\n';
		_exit(file_append(fd, "log", line, sizeof(line)) == BRAIN_IO ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(fstat(fd, &sb), 0);
	ck_assert_int_eq(sb.st_size, 11); /* no half line left behind */
	close(fd);
	close(dirfd);
}
END_TEST

START_TEST(read_all_missing_large_and_present)
{
	int dirfd = dir_fd();
	char *buf;
	size_t len;

	ck_assert_int_eq(file_read_all(dirfd, "missing", 100, &buf, &len), BRAIN_NO);
	ck_assert_int_eq(file_replace(dirfd, "f", "0123456789", 10), BRAIN_OK);
	unit_capture_diag();
	ck_assert_int_eq(file_read_all(dirfd, "f", 5, &buf, &len), BRAIN_STATE);
	ck_assert_int_eq(file_read_all(dirfd, "f", 100, &buf, &len), BRAIN_OK);
	ck_assert_uint_eq(len, 10);
	ck_assert_str_eq(buf, "0123456789");
	free(buf);
	close(dirfd);
}
END_TEST

/* How many entries of the test directory start with prefix. */
static int entries(const char *prefix)
{
	DIR *d = opendir(unit_dir_path);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		n += !strncmp(e->d_name, prefix, strlen(prefix));
	closedir(d);
	return n;
}

/* A staging file holding lines, one of them longer than what
 * file_append_from copies at a time; its size in *len. */
static int staged_lines(int dirfd, off_t *len)
{
	size_t long_line = (size_t)5 << 19;   /* 2.5 MiB */
	char *big = malloc(long_line + 1);
	FILE *fp;
	int fd;

	ck_assert_ptr_nonnull(big);
	ck_assert_int_eq(file_temp(dirfd, &fd), BRAIN_OK);
	fp = fdopen(dup(fd), "w");
	for (int i = 0; i < 20000; i++)
		fprintf(fp, "{\"n\":%d}\n", i);
	memset(big, 'x', long_line);
	big[long_line] = '\n';
	fwrite(big, 1, long_line + 1, fp);
	for (int i = 0; i < 20000; i++)
		fprintf(fp, "{\"m\":%d}\n", i);
	ck_assert_int_eq(fclose(fp), 0);
	*len = lseek(fd, 0, SEEK_END);
	free(big);
	return fd;
}

START_TEST(staging_files_have_no_name)
{
	int dirfd = dir_fd(), fd;
	char buf[8] = "";
	struct stat sb;

	ck_assert_int_eq(file_temp(dirfd, &fd), BRAIN_OK);
	ck_assert_int_eq(write(fd, "staged\n", 7), 7);
	ck_assert_int_eq(pread(fd, buf, 7, 0), 7);
	ck_assert_str_eq(buf, "staged\n");
	ck_assert_int_eq(fstat(fd, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(entries(""), 2);   /* "." and ".." only */
	close(fd);
	close(dirfd);
}
END_TEST

START_TEST(sweep_removes_what_a_kill_left_of_staging)
{
	int dirfd = dir_fd();

	unit_write_file(path_of(FILE_TEMP_PREFIX "ab12cd"), "left by a kill\n");
	unit_write_file(path_of(".other.tmp.ab12cd"), "not staging\n");
	unit_write_file(path_of("records.jsonl"), "{}\n");
	file_temp_sweep(dirfd);
	ck_assert_int_eq(entries(FILE_TEMP_PREFIX), 0);
	ck_assert_int_eq(entries(".other.tmp."), 1);
	ck_assert_int_eq(entries("records.jsonl"), 1);
	close(dirfd);
}
END_TEST

/* The log that the staged lines go to, holding one line before: its
 * descriptor. */
static int log_of_one_line(int dirfd)
{
	int fd;

	ck_assert_int_eq(file_append_open(dirfd, "log", &fd), BRAIN_OK);
	ck_assert_int_eq(file_append(fd, "log", "before\n", 7), BRAIN_OK);
	return fd;
}

/* The log at fd still holds its one line, and no more; close it all. */
static void assert_as_it_was(int fd, int src, int dirfd)
{
	struct stat sb;

	ck_assert_int_eq(fstat(fd, &sb), 0);
	ck_assert_int_eq(sb.st_size, 7);
	close(fd);
	close(src);
	close(dirfd);
}

START_TEST(append_from_copies_the_staged_lines_exactly)
{
	int dirfd = dir_fd(), fd, src;
	off_t len;
	char *staged, *log;
	size_t n;

	src = staged_lines(dirfd, &len);
	fd = log_of_one_line(dirfd);
	lseek(src, 0, SEEK_SET);   /* any offset: the copy reads from the start */
	ck_assert_int_eq(file_append_from(fd, "log", src, len), BRAIN_OK);
	close(fd);
	staged = malloc((size_t)len);
	ck_assert_int_eq(pread(src, staged, (size_t)len, 0), len);
	log = unit_read_file(path_of("log"));
	n = strlen(log);
	ck_assert_uint_eq(n, 7 + (size_t)len);
	ck_assert_int_eq(memcmp(log, "before\n", 7), 0);
	ck_assert_int_eq(memcmp(log + 7, staged, (size_t)len), 0);
	free(staged);
	free(log);
	close(src);
	close(dirfd);
}
END_TEST

START_TEST(append_from_a_short_source_leaves_the_log_as_it_was)
{
	int dirfd = dir_fd(), fd, src;
	off_t len;

	src = staged_lines(dirfd, &len);
	fd = log_of_one_line(dirfd);
	unit_capture_diag();
	ck_assert_int_eq(file_append_from(fd, "log", src, len + 10), BRAIN_IO);
	assert_as_it_was(fd, src, dirfd);
}
END_TEST

START_TEST(append_from_cut_short_by_the_disk_leaves_the_log_as_it_was)
{
	int dirfd = dir_fd(), fd, src, status;
	off_t len;
	pid_t pid;

	src = staged_lines(dirfd, &len);
	fd = log_of_one_line(dirfd);
	pid = fork();
	if (pid == 0) {
		/* The log may not grow past 1.5 MiB: the copy stops in the middle. */
		struct rlimit rl = { 3 << 19, 3 << 19 };

		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		_exit(file_append_from(fd, "log", src, len) == BRAIN_IO ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_as_it_was(fd, src, dirfd);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("file");
	TCase *tc = tcase_create("file");

	tcase_add_test(tc, replace_writes_exactly_and_privately);
	tcase_add_test(tc, replace_killed_before_rename_leaves_the_old_file);
	tcase_add_test(tc, prepare_then_abort_changes_nothing);
	tcase_add_test(tc, appends_and_torn_tails);
	tcase_add_test(tc, a_short_append_is_cut_back);
	tcase_add_test(tc, read_all_missing_large_and_present);
	tcase_add_test(tc, staging_files_have_no_name);
	tcase_add_test(tc, sweep_removes_what_a_kill_left_of_staging);
	tcase_add_test(tc, append_from_copies_the_staged_lines_exactly);
	tcase_add_test(tc, append_from_a_short_source_leaves_the_log_as_it_was);
	tcase_add_test(tc, append_from_cut_short_by_the_disk_leaves_the_log_as_it_was);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
