/* Unit tests of state: where the state directory is, what is refused,
 * and the writer lock: a second writer waits, then gets exit 5. */
#include "unit.h"

#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>

#include "core/state.h"

static char *under(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/%s", unit_dir_path, name);
	return path;
}

START_TEST(resolution_order)
{
	char *p;

	unit_tmpdir();
	setenv("BRAIN_STATE_DIR", "/from/env", 1);
	setenv("XDG_STATE_HOME", "/xdg", 1);
	setenv("HOME", "/home/op", 1);
	ck_assert_int_eq(state_resolve_path("/from/option", &p), BRAIN_OK);
	ck_assert_str_eq(p, "/from/option");
	free(p);
	ck_assert_int_eq(state_resolve_path(NULL, &p), BRAIN_OK);
	ck_assert_str_eq(p, "/from/env");
	free(p);
	unsetenv("BRAIN_STATE_DIR");
	ck_assert_int_eq(state_resolve_path(NULL, &p), BRAIN_OK);
	ck_assert_str_eq(p, "/xdg/brain");
	free(p);
	unsetenv("XDG_STATE_HOME");
	ck_assert_int_eq(state_resolve_path(NULL, &p), BRAIN_OK);
	ck_assert_str_eq(p, "/home/op/.local/state/brain");
	free(p);
}
END_TEST

START_TEST(writer_creates_reader_refuses_missing)
{
	struct state st;
	struct stat sb;
	char *format;

	unit_tmpdir();
	umask(077);
	unit_capture_diag();
	ck_assert_int_eq(state_open(&st, under("a/b/state"), STATE_READ), BRAIN_STATE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "a/b/state' does not exist"));
	ck_assert_int_eq(state_open(&st, under("a/b/state"), STATE_WRITE), BRAIN_OK);
	ck_assert(st.created);
	state_close(&st);
	ck_assert_int_eq(stat(under("a/b/state"), &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	format = unit_read_file(under("a/b/state/FORMAT"));
	ck_assert_str_eq(format, "brain-state 1\n");
	free(format);
	ck_assert_int_eq(state_open(&st, under("a/b/state"), STATE_READ), BRAIN_OK);
	state_close(&st);
}
END_TEST

START_TEST(unknown_format_unsafe_and_foreign_directories)
{
	struct state st;

	unit_tmpdir();
	umask(077);
	unit_capture_diag();
	ck_assert_int_eq(state_open(&st, under("s"), STATE_WRITE), BRAIN_OK);
	state_close(&st);
	unit_write_file(under("s/FORMAT"), "brain-state 2\n");
	ck_assert_int_eq(state_open(&st, under("s"), STATE_READ), BRAIN_STATE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "unknown format version '2'"));
	unit_write_file(under("s/FORMAT"), "hello\n");
	ck_assert_int_eq(state_open(&st, under("s"), STATE_WRITE), BRAIN_STATE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "corrupt"));
	unit_write_file(under("s/FORMAT"), "brain-state 1\n");
	chmod(under("s"), 0770);
	ck_assert_int_eq(state_open(&st, under("s"), STATE_READ), BRAIN_STATE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "writable by others"));
	chmod(under("s"), 0700);
	char target[4200];

	snprintf(target, sizeof(target), "%s", under("s"));
	ck_assert_int_eq(symlink(target, under("link")), 0);
	ck_assert_int_eq(state_open(&st, under("link"), STATE_READ), BRAIN_STATE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "symbolic link"));
	ck_assert_int_eq(mkdir(under("other"), 0700), 0);
	unit_write_file(under("other/notes.txt"), "mine\n");
	ck_assert_int_eq(state_open(&st, under("other"), STATE_WRITE), BRAIN_STATE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "is not a brain state directory"));
}
END_TEST

START_TEST(subdirectories_are_ids_only)
{
	struct state st;
	int fd;

	unit_tmpdir();
	umask(077);
	unit_capture_diag();
	ck_assert_int_eq(state_open(&st, under("s"), STATE_WRITE), BRAIN_OK);
	ck_assert_int_eq(state_subdir(&st, "../x", 1, &fd), BRAIN_DATA);
	ck_assert_int_eq(state_subdir(&st, "a/b", 1, &fd), BRAIN_DATA);
	ck_assert_int_ne(access(under("x"), F_OK), 0);
	ck_assert_int_eq(state_subdir(&st, "ab", 0, &fd), BRAIN_NO);
	ck_assert_int_eq(state_subdir(&st, "ab", 1, &fd), BRAIN_OK);
	close(fd);
	state_close(&st);
}
END_TEST

/* Keep names ending in ".json", listed without it. */
static int keep_json(char *name, void *arg)
{
	size_t len = strlen(name);

	++*(int *)arg;
	if (len < 6 || strcmp(name + len - 5, ".json"))
		return 0;
	name[len - 5] = '\0';
	return 1;
}

START_TEST(list_is_sorted_filtered_and_empty_when_missing)
{
	static const char *const files[] = { "b.json", "a.json", "c.txt", "ab.json", ".x.json" };
	struct state st;
	char **names, path[4300];
	size_t n;
	int asked = 0;

	unit_tmpdir();
	umask(077);
	ck_assert_int_eq(state_open(&st, under("s"), STATE_WRITE), BRAIN_OK);
	ck_assert_int_eq(state_list(&st, "things", keep_json, &asked, &names, &n), BRAIN_OK);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(names);
	ck_assert_int_eq(mkdir(under("s/things"), 0700), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", under("s/things"), files[i]);
		unit_write_file(path, "{}");
	}
	ck_assert_int_eq(state_list(&st, "things", keep_json, &asked, &names, &n), BRAIN_OK);
	/* Dot files are never offered; the rest are, and only .json kept. */
	ck_assert_int_eq(asked, 4);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(names[0], "a");
	ck_assert_str_eq(names[1], "ab");
	ck_assert_str_eq(names[2], "b");
	state_names_free(names, n);
	/* Only ids name a directory. */
	unit_capture_diag();
	ck_assert_int_eq(state_list(&st, "../s", keep_json, &asked, &names, &n), BRAIN_DATA);
	state_close(&st);
}
END_TEST

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

START_TEST(second_writer_waits_then_is_busy)
{
	struct state st;
	struct timespec t0;
	int ready[2], status;
	char c;
	pid_t pid;

	unit_tmpdir();
	umask(077);
	ck_assert_int_eq(state_open(&st, under("s"), STATE_WRITE), BRAIN_OK);
	state_close(&st);
	ck_assert_int_eq(pipe(ready), 0);
	pid = fork();
	if (pid == 0) {
		struct state held;

		if (state_open(&held, under("s"), STATE_WRITE) || state_lock(&held, 5))
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		pause(); /* holds the lock until killed */
		_exit(0);
	}
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	unit_capture_diag();
	ck_assert_int_eq(state_open(&st, under("s"), STATE_WRITE), BRAIN_OK);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(state_lock(&st, 0.3), BRAIN_BUSY);
	ck_assert(seconds_since(&t0) >= 0.25); /* it waited before giving up */
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "is busy"));
	/* A holder killed with SIGKILL leaves no stale lock. */
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(state_lock(&st, 5), BRAIN_OK);
	ck_assert_int_eq(state_lock(&st, 0), BRAIN_OK); /* already held: fine */
	state_close(&st);
}
END_TEST

START_TEST(flock_command_interoperates)
{
	struct state st;
	char cmd[4400];

	unit_tmpdir();
	umask(077);
	ck_assert_int_eq(state_open(&st, under("s"), STATE_WRITE), BRAIN_OK);
	snprintf(cmd, sizeof(cmd), "flock '%s/lock' sleep 1.5 & sleep 0.3", under("s"));
	ck_assert_int_eq(system(cmd), 0);
	unit_capture_diag();
	ck_assert_int_eq(state_lock(&st, 0.2), BRAIN_BUSY);
	ck_assert_int_eq(state_lock(&st, 10), BRAIN_OK);
	state_close(&st);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("state");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, resolution_order);
	tcase_add_test(tc, writer_creates_reader_refuses_missing);
	tcase_add_test(tc, unknown_format_unsafe_and_foreign_directories);
	tcase_add_test(tc, subdirectories_are_ids_only);
	tcase_add_test(tc, list_is_sorted_filtered_and_empty_when_missing);
	tcase_add_test(tc, second_writer_waits_then_is_busy);
	tcase_add_test(tc, flock_command_interoperates);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
