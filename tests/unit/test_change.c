/* Unit tests of change: a change and its audit record land together or not
 * at all, whichever step a writer is killed after; the next writer to take
 * the lock finishes or undoes the change. */
#include "unit.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "core/audit.h"
#include "core/change.h"
#include "core/file.h"
#include "core/state.h"

static char *under(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/state/%s", unit_dir_path, name);
	return path;
}

static int lines_of(const char *name)
{
	char *text = unit_read_file(under(name));
	int n = 0;

	for (char *p = text; *p; p++)
		n += *p == '\n';
	free(text);
	return n;
}

static void assert_content(const char *name, const char *want)
{
	char *text = unit_read_file(under(name));

	ck_assert_str_eq(text, want);
	free(text);
}

/* Begin a change as every writer does: open, lock, finish a killed
 * writer's change; *how says what was done. */
static enum change_recovery how;

static void open_locked(struct state *st)
{
	how = CHANGE_NONE;
	ck_assert_int_eq(change_begin(st, under(""), 0, &how), BRAIN_OK);
}

/* A state with a.json = "old", log.jsonl = one line, audit.log = 2 records. */
static void setup(void)
{
	struct state st;
	struct audit_event ev = { "setup", "test.setup", "SUCCESS", NULL, NULL, NULL };
	struct audit_ack ack;

	unit_tmpdir();
	setenv("UNIT_STATE", under(""), 1);
	setenv("BRAIN_ACTOR", "unit", 1);
	setenv("BRAIN_NOW", "2026-12-01T00:00:00Z", 1);
	open_locked(&st);
	ck_assert_int_eq(file_replace(st.dirfd, "a.json", "old\n", 4), BRAIN_OK);
	ck_assert_int_eq(file_replace(st.dirfd, "log.jsonl", "{\"n\":1}\n", 8), BRAIN_OK);
	ck_assert_int_eq(audit_append(&st, NULL, &ev, &ack), BRAIN_OK);
	state_close(&st);
	ck_assert_int_eq(lines_of(AUDIT_LOG), 2);
}

/* Replace a.json with "new" and append two lines to log.jsonl, audited. */
static enum brain_status change_something(struct state *st)
{
	static const char lines[] = "{\"n\":2}\n{\"n\":3}\n";
	struct audit_event ev = { "a", "test.change", "SUCCESS", NULL, NULL, NULL };
	struct audit_ack ack;
	struct file_replace fr;
	struct change c;
	enum brain_status status;
	int fd;

	ck_assert_int_eq(file_replace_begin(&fr, st->dirfd, "a.json"), BRAIN_OK);
	fputs("new\n", fr.fp);
	ck_assert_int_eq(file_append_open(st->dirfd, "log.jsonl", &fd), BRAIN_OK);
	change_init(&c, st);
	change_replace(&c, "", &fr);
	change_append(&c, "log.jsonl", fd, lines, sizeof(lines) - 1);
	status = change_commit(&c, NULL, &ev, 1, &ack);
	close(fd);
	return status;
}

static int temporaries(void)
{
	char cmd[4300], buf[64] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | grep -c '\\.tmp\\.'", under(""));
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), p));
	pclose(p);
	return atoi(buf);
}

START_TEST(a_change_lands_with_its_record)
{
	struct state st;

	setup();
	open_locked(&st);
	ck_assert_int_eq(change_something(&st), BRAIN_OK);
	state_close(&st);
	assert_content("a.json", "new\n");
	assert_content("log.jsonl", "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
	ck_assert_int_eq(lines_of(AUDIT_LOG), 3);
	ck_assert_int_eq(access(under(CHANGE_JOURNAL), F_OK), -1);
	ck_assert_int_eq(temporaries(), 0);
}
END_TEST

/* A failure after the record landed (here: a.json has become a directory,
 * so the rename that publishes it fails) says that the change stands and
 * names its seq, so that the caller does not make it again. */
START_TEST(a_failure_after_the_record_landed_says_the_change_stands)
{
	struct state st;
	char path[4300];

	setup();
	ck_assert_int_eq(unlink(under("a.json")), 0);
	ck_assert_int_eq(mkdir(under("a.json"), 0700), 0);
	/* Room for all under() can give, and the name after it. */
	snprintf(path, sizeof(path), "%s/x", under("a.json"));
	ck_assert_int_eq(close(open(path, O_CREAT | O_WRONLY, 0600)), 0);
	open_locked(&st);
	unit_capture_diag();
	ck_assert_int_eq(change_something(&st), BRAIN_IO);
	state_close(&st);
	ck_assert_int_eq(lines_of(AUDIT_LOG), 3); /* the record landed */
	ck_assert_msg(strstr(unit_diag_text(), "the change was recorded as seq 3 before this "
			     "failure: it stands") != NULL, "%s", unit_diag_text());
	ck_assert_int_eq(access(under(CHANGE_JOURNAL), F_OK), 0); /* for the next writer */
}
END_TEST

/* Kill a writer right after the step named by fault; return the state as the
 * next writer finds it. */
static void killed_after(const char *fault)
{
	int wstatus;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct state st;

		if (state_open(&st, under(""), STATE_WRITE) || state_lock(&st, 0))
			_exit(1);
		setenv("BRAIN_FAULT", fault, 1);
		change_something(&st);
		_exit(2); /* not reached when the fault fires */
	}
	ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
	ck_assert(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL);
	ck_assert_int_eq(access(under(CHANGE_JOURNAL), F_OK), 0);
	assert_content("a.json", "old\n"); /* not yet published */
}

START_TEST(killed_after_the_journal_is_undone)
{
	struct state st;

	setup();
	killed_after("change-journaled");
	ck_assert_int_eq(temporaries(), 1);
	unit_capture_diag();
	open_locked(&st);
	ck_assert_int_eq(how, CHANGE_BACK);
	state_close(&st);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "undone"));
	assert_content("a.json", "old\n");
	assert_content("log.jsonl", "{\"n\":1}\n");
	ck_assert_int_eq(lines_of(AUDIT_LOG), 2);
	ck_assert_int_eq(access(under(CHANGE_JOURNAL), F_OK), -1);
	ck_assert_int_eq(temporaries(), 0);
}
END_TEST

START_TEST(killed_after_the_appends_is_cut_back)
{
	struct state st;

	setup();
	killed_after("change-appended");
	/* The lines were written, but no record says so. */
	assert_content("log.jsonl", "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
	unit_capture_diag();
	open_locked(&st);
	ck_assert_int_eq(how, CHANGE_BACK);
	state_close(&st);
	assert_content("a.json", "old\n");
	assert_content("log.jsonl", "{\"n\":1}\n");
	ck_assert_int_eq(lines_of(AUDIT_LOG), 2);
	ck_assert_int_eq(temporaries(), 0);
}
END_TEST

START_TEST(killed_after_the_record_is_published)
{
	struct state st;

	setup();
	killed_after("change-audited");
	ck_assert_int_eq(lines_of(AUDIT_LOG), 3);
	unit_capture_diag();
	open_locked(&st);
	ck_assert_int_eq(how, CHANGE_FORWARD);
	state_close(&st);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "published"));
	assert_content("a.json", "new\n");
	assert_content("log.jsonl", "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
	ck_assert_int_eq(lines_of(AUDIT_LOG), 3);
	ck_assert_int_eq(access(under(CHANGE_JOURNAL), F_OK), -1);
	ck_assert_int_eq(temporaries(), 0);
	/* And the state goes on: the next change lands as usual. */
	open_locked(&st);
	ck_assert_int_eq(how, CHANGE_NONE);
	ck_assert_int_eq(change_something(&st), BRAIN_OK);
	state_close(&st);
	ck_assert_int_eq(lines_of(AUDIT_LOG), 4);
}
END_TEST

/* Append the lines staged in a file without a name to log.jsonl, audited;
 * with BRAIN_FAULT=fault the process dies at that step. */
static void append_staged(const char *fault)
{
	static const char lines[] = "{\"n\":2}\n{\"n\":3}\n";
	struct audit_event ev = { "a", "test.staged", "SUCCESS", NULL, NULL, NULL };
	struct audit_ack ack;
	struct state st;
	struct change c;
	int fd, staged;

	if (state_open(&st, under(""), STATE_WRITE) || state_lock(&st, 0) ||
	    file_temp(st.dirfd, &staged) ||
	    write(staged, lines, sizeof(lines) - 1) != (ssize_t)sizeof(lines) - 1 ||
	    file_append_open(st.dirfd, "log.jsonl", &fd))
		_exit(1);
	if (fault)
		setenv("BRAIN_FAULT", fault, 1);
	change_init(&c, &st);
	change_append_file(&c, "log.jsonl", fd, staged, sizeof(lines) - 1);
	_exit(change_commit(&c, NULL, &ev, 1, &ack) == BRAIN_OK ? 0 : 1);
}

START_TEST(lines_staged_in_a_file_land_with_their_record_or_not_at_all)
{
	struct state st;
	int wstatus;
	pid_t pid;

	setup();
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		append_staged("change-appended");
	ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
	ck_assert(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL);
	assert_content("log.jsonl", "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
	unit_capture_diag();
	open_locked(&st);
	ck_assert_int_eq(how, CHANGE_BACK);
	state_close(&st);
	assert_content("log.jsonl", "{\"n\":1}\n");
	ck_assert_int_eq(lines_of(AUDIT_LOG), 2);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		append_staged(NULL);
	ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
	ck_assert(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
	assert_content("log.jsonl", "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
	ck_assert_int_eq(lines_of(AUDIT_LOG), 3);
	ck_assert_int_eq(temporaries(), 0);
}
END_TEST

START_TEST(a_refused_record_changes_nothing)
{
	struct state st;
	FILE *fp;

	setup();
	/* A torn tail: the audit trail refuses any append until repaired. */
	fp = fopen(under(AUDIT_LOG), "a");
	ck_assert_ptr_nonnull(fp);
	fputs("{\"torn", fp);
	ck_assert_int_eq(fclose(fp), 0);
	unit_capture_diag();
	open_locked(&st);
	ck_assert_int_eq(change_something(&st), BRAIN_STATE);
	state_close(&st);
	assert_content("a.json", "old\n");
	assert_content("log.jsonl", "{\"n\":1}\n");
	ck_assert_int_eq(access(under(CHANGE_JOURNAL), F_OK), -1);
	ck_assert_int_eq(temporaries(), 0);
}
END_TEST

START_TEST(part_of_the_records_landed_is_undone_records_and_all)
{
	struct state st;
	struct stat sb;
	char journal[256], *text;
	off_t size;
	FILE *fp;

	setup();
	ck_assert_int_eq(stat(under(AUDIT_LOG), &sb), 0);
	size = sb.st_size;
	/* A writer of three records was killed in the middle of its write(2):
	 * one whole record and part of the next are there. */
	snprintf(journal, sizeof(journal), "{\"audit_size\":%lld,\"audit_records\":3,"
		 "\"replace\":[],\"append\":[{\"path\":\"log.jsonl\",\"size\":8}],"
		 "\"remove\":[]}",
		 (long long)size);
	unit_write_file(under(CHANGE_JOURNAL), journal);
	fp = fopen(under("log.jsonl"), "a");
	ck_assert_ptr_nonnull(fp);
	fputs("{\"n\":2}\n{\"n\":3}\n", fp);
	ck_assert_int_eq(fclose(fp), 0);
	fp = fopen(under(AUDIT_LOG), "a");
	ck_assert_ptr_nonnull(fp);
	fputs("{\"whole\":\"record one\"}\n{\"part", fp);
	ck_assert_int_eq(fclose(fp), 0);
	unit_capture_diag();
	open_locked(&st);
	ck_assert_int_eq(how, CHANGE_BACK);
	state_close(&st);
	ck_assert_int_eq(stat(under(AUDIT_LOG), &sb), 0);
	ck_assert_int_eq(sb.st_size, size);
	ck_assert_int_eq(lines_of(AUDIT_LOG), 2);
	assert_content("log.jsonl", "{\"n\":1}\n");
	/* The cut bytes are kept, not lost. */
	fp = popen("cat \"$UNIT_STATE\"/rejects/*", "r");
	ck_assert_ptr_nonnull(fp);
	text = calloc(1, 4096);
	ck_assert_uint_gt(fread(text, 1, 4095, fp), 0);
	pclose(fp);
	ck_assert_ptr_nonnull(strstr(text, "record one"));
	ck_assert_ptr_nonnull(strstr(text, "did not complete"));
	free(text);
}
END_TEST

START_TEST(a_bad_journal_is_refused_and_kept)
{
#define HEAD "{\"audit_size\":0,\"audit_records\":1,"
	static const struct {
		const char *journal, *says;
	} bad[] = {
		{ "not json", "is not a journal" },
		{ "{\"audit_size\":0,\"replace\":[]}", "is not a journal" },
		{ HEAD "\"replace\":[],\"append\":[],\"remove\":[]}", NULL }, /* the good one */
		{ HEAD "\"replace\":[{\"dir\":\"..\",\"tmp\":\".x.tmp.1\",\"name\":\"x\"}],"
		  "\"append\":[],\"remove\":[]}", "a replacement is not valid" },
		{ HEAD "\"replace\":[{\"dir\":\"\",\"tmp\":\"a.json\",\"name\":\"b\"}],"
		  "\"append\":[],\"remove\":[]}", "a replacement is not valid" },
		{ HEAD "\"replace\":[],\"append\":[{\"path\":\"/etc/passwd\",\"size\":0}],"
		  "\"remove\":[]}", "an append is not valid" },
		{ HEAD "\"replace\":[],\"append\":[{\"path\":\"a/../../x\",\"size\":0}],"
		  "\"remove\":[]}", "an append is not valid" },
		{ HEAD "\"replace\":[],\"append\":[],\"remove\":[{\"dir\":\"\",\"name\":\"..\"}]}",
		  "a removal is not valid" },
	};
#undef HEAD
	struct state st;

	setup();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_write_file(under(CHANGE_JOURNAL), bad[i].journal);
		unit_capture_diag();
		ck_assert_int_eq(state_open(&st, under(""), STATE_WRITE), BRAIN_OK);
		if (!bad[i].says) {
			/* The control: a journal of nothing (the audit size 0 is
			 * passed, so the change is complete) is accepted. */
			ck_assert_int_eq(change_lock(&st, 0, NULL), BRAIN_OK);
			state_close(&st);
			ck_assert_int_eq(access(under(CHANGE_JOURNAL), F_OK), -1);
			continue;
		}
		ck_assert_msg(change_lock(&st, 0, NULL) == BRAIN_STATE, "accepted: %s", bad[i].journal);
		ck_assert_int_eq(st.lockfd, -1);
		state_close(&st);
		ck_assert_msg(strstr(unit_diag_text(), bad[i].says), "%s: %s", bad[i].journal,
			      unit_diag_text());
		ck_assert_int_eq(access(under(CHANGE_JOURNAL), F_OK), 0);
		assert_content("a.json", "old\n");
	}
}
END_TEST

/* ---- beginning a change ------------------------------------------------ */

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* change_begin on the setup state with the lock held by another open
 * state; its status, and how long it took in *took. */
static enum brain_status begin_against_holder(double wait, double *took)
{
	struct state st;
	struct timespec t0;
	enum brain_status status;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	status = change_begin(&st, under(""), wait, NULL);
	*took = seconds_since(&t0);
	if (status == BRAIN_OK)
		state_close(&st);
	return status;
}

START_TEST(begin_creates_the_state_with_its_format)
{
	struct state st;
	struct stat sb;
	char *format;

	unit_tmpdir();
	umask(077);
	ck_assert_int_ne(access(under(""), F_OK), 0);
	how = CHANGE_BACK;
	ck_assert_int_eq(change_begin(&st, under(""), 0, &how), BRAIN_OK);
	ck_assert_int_eq(how, CHANGE_NONE);
	ck_assert(st.created);
	ck_assert_int_ge(st.lockfd, 0);
	state_close(&st);
	format = unit_read_file(under("FORMAT"));
	ck_assert_str_eq(format, "brain-state 1\n");
	free(format);
	ck_assert_int_eq(stat(under(""), &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	/* The second time it is opened, not created. */
	ck_assert_int_eq(change_begin(&st, under(""), 0, NULL), BRAIN_OK);
	ck_assert(!st.created);
	state_close(&st);
}
END_TEST

START_TEST(begin_while_another_holds_the_lock_is_busy)
{
	struct state holder;
	double took;

	setup();
	ck_assert_int_eq(state_open(&holder, under(""), STATE_WRITE), BRAIN_OK);
	ck_assert_int_eq(state_lock(&holder, 0), BRAIN_OK);
	unit_capture_diag();
	ck_assert_int_eq(begin_against_holder(0, &took), BRAIN_BUSY);
	ck_assert(took < 2); /* wait 0: one try, no waiting */
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "is busy"));
	/* Once the holder is done, the lock is free. */
	state_close(&holder);
	ck_assert_int_eq(begin_against_holder(0, &took), BRAIN_OK);
}
END_TEST

START_TEST(begin_with_a_negative_wait_reads_lock_wait_seconds)
{
	struct state holder;
	double took;

	setup();
	ck_assert_int_eq(state_open(&holder, under(""), STATE_WRITE), BRAIN_OK);
	ck_assert_int_eq(state_lock(&holder, 0), BRAIN_OK);
	unit_capture_diag();
	/* The setting is how long it waits... */
	unit_write_file(under("config.json"), "{\"lock\":{\"wait_seconds\":0.4}}\n");
	ck_assert_int_eq(begin_against_holder(-1, &took), BRAIN_BUSY);
	ck_assert_msg(took >= 0.35 && took < 10, "waited %g s, not 0.4", took);
	unit_write_file(under("config.json"), "{\"lock\":{\"wait_seconds\":0}}\n");
	ck_assert_int_eq(begin_against_holder(-1, &took), BRAIN_BUSY);
	ck_assert_msg(took < 0.35, "waited %g s, not 0", took);
	/* ...so a bad one is refused, naming it... */
	unit_write_file(under("config.json"), "{\"lock\":{\"wait_seconds\":\"soon\"}}\n");
	unit_capture_diag();
	ck_assert_int_eq(begin_against_holder(-1, &took), BRAIN_STATE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "config.json"));
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "lock.wait_seconds"));
	/* ...but only when the wait is not given. */
	ck_assert_int_eq(begin_against_holder(0, &took), BRAIN_BUSY);
	state_close(&holder);
	ck_assert_int_eq(begin_against_holder(0, &took), BRAIN_OK);
	ck_assert_int_eq(begin_against_holder(-1, &took), BRAIN_STATE);
}
END_TEST

START_TEST(state_lock_alone_leaves_a_journal_change_lock_finishes_it)
{
	struct state st;

	setup();
	killed_after("change-journaled");
	unit_capture_diag();
	ck_assert_int_eq(state_open(&st, under(""), STATE_WRITE), BRAIN_OK);
	ck_assert_int_eq(state_lock(&st, 0), BRAIN_OK);
	/* Locked, but nothing was finished. */
	ck_assert_int_eq(change_pending(st.dirfd), 1);
	ck_assert_int_eq(access(under(CHANGE_JOURNAL), F_OK), 0);
	ck_assert_int_eq(temporaries(), 1);
	ck_assert_str_eq(unit_diag_text(), "");
	how = CHANGE_NONE;
	ck_assert_int_eq(change_lock(&st, 0, &how), BRAIN_OK);
	ck_assert_int_eq(how, CHANGE_BACK);
	ck_assert_int_eq(change_pending(st.dirfd), 0);
	state_close(&st);
	ck_assert_int_eq(access(under(CHANGE_JOURNAL), F_OK), -1);
	ck_assert_int_eq(temporaries(), 0);
	assert_content("a.json", "old\n");
}
END_TEST

START_TEST(state_lock_alone_does_not_roll_a_landed_change_forward)
{
	struct state st;

	setup();
	killed_after("change-audited");
	unit_capture_diag();
	ck_assert_int_eq(state_open(&st, under(""), STATE_WRITE), BRAIN_OK);
	ck_assert_int_eq(state_lock(&st, 0), BRAIN_OK);
	assert_content("a.json", "old\n");
	ck_assert_int_eq(change_pending(st.dirfd), 1);
	ck_assert_int_eq(change_lock(&st, 0, &how), BRAIN_OK);
	ck_assert_int_eq(how, CHANGE_FORWARD);
	state_close(&st);
	assert_content("a.json", "new\n");
	ck_assert_int_eq(lines_of(AUDIT_LOG), 3);
}
END_TEST

/* ---- change_save_json ---------------------------------------------------- */

/* Temporaries left in dir (relative to the state root). */
static int temporaries_in(const char *dir)
{
	char cmd[4400], buf[64] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | grep -c '\\.tmp\\.'", under(dir));
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), p));
	pclose(p);
	return atoi(buf);
}

/* The last audit record, parsed (caller deletes). */
static cJSON *last_audit_line(void)
{
	FILE *fp = fopen(under(AUDIT_LOG), "r");
	char *buf = NULL;
	size_t cap = 0;
	cJSON *line = NULL;

	ck_assert_ptr_nonnull(fp);
	while (getline(&buf, &cap, fp) > 0) {
		cJSON_Delete(line);
		line = cJSON_Parse(buf);
	}
	fclose(fp);
	free(buf);
	ck_assert_ptr_nonnull(line);
	return line;
}

START_TEST(save_json_writes_the_document_in_nested_dirs_with_one_record)
{
	struct audit_event ev = { "doc", "test.save", "SUCCESS", NULL, "because", NULL };
	struct state st;
	struct stat sb;
	cJSON *doc = cJSON_Parse("{\"k\":\"v\",\"n\":[1,2],\"o\":{}}"), *line, *rec;
	char *want, *text;

	setup();
	open_locked(&st);
	ck_assert_int_eq(change_save_json(&st, "a/b", "doc.json", doc, NULL, &ev), BRAIN_OK);
	state_close(&st);
	/* The document as formatted JSON and one newline. */
	want = cJSON_Print(doc);
	text = unit_read_file(under("a/b/doc.json"));
	ck_assert_uint_eq(strlen(text), strlen(want) + 1);
	ck_assert(!strncmp(text, want, strlen(want)));
	ck_assert_int_eq(text[strlen(want)], '\n');
	free(text);
	free(want);
	ck_assert_int_eq(stat(under("a"), &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	ck_assert_int_eq(stat(under("a/b"), &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	/* Exactly one record, the one given. */
	ck_assert_int_eq(lines_of(AUDIT_LOG), 3);
	line = last_audit_line();
	rec = cJSON_GetObjectItem(line, "rec");
	ck_assert_str_eq(cJSON_GetObjectItem(rec, "subject")->valuestring, "doc");
	ck_assert_str_eq(cJSON_GetObjectItem(rec, "action")->valuestring, "test.save");
	ck_assert_str_eq(cJSON_GetObjectItem(rec, "reason")->valuestring, "because");
	cJSON_Delete(line);
	/* Nothing left behind. */
	ck_assert_int_eq(temporaries_in(""), 0);
	ck_assert_int_eq(temporaries_in("a"), 0);
	ck_assert_int_eq(temporaries_in("a/b"), 0);
	ck_assert_int_eq(access(under(CHANGE_JOURNAL), F_OK), -1);

	/* Saving again replaces the document, with one more record. */
	cJSON_AddNumberToObject(doc, "added", 3);
	open_locked(&st);
	ck_assert_int_eq(change_save_json(&st, "a/b", "doc.json", doc, NULL, &ev), BRAIN_OK);
	state_close(&st);
	text = unit_read_file(under("a/b/doc.json"));
	ck_assert_ptr_nonnull(strstr(text, "\"added\":\t3"));
	free(text);
	ck_assert_int_eq(lines_of(AUDIT_LOG), 4);
	ck_assert_int_eq(temporaries_in("a/b"), 0);
	cJSON_Delete(doc);
}
END_TEST

START_TEST(save_json_in_the_root_and_a_refused_record_saves_nothing)
{
	struct audit_event ev = { "doc", "test.save", "SUCCESS", NULL, NULL, NULL };
	struct audit_event bad = { NULL, "test.save", "SUCCESS", NULL, NULL, NULL };
	struct state st;
	cJSON *doc = cJSON_Parse("{\"x\":1}");

	setup();
	open_locked(&st);
	ck_assert_int_eq(change_save_json(&st, "", "top.json", doc, NULL, &ev), BRAIN_OK);
	assert_content("top.json", "{\n\t\"x\":\t1\n}\n");
	ck_assert_int_eq(lines_of(AUDIT_LOG), 3);
	/* An event without a subject is refused: no file, no record. */
	unit_capture_diag();
	ck_assert_int_eq(change_save_json(&st, "c", "doc.json", doc, NULL, &bad), BRAIN_DATA);
	state_close(&st);
	ck_assert_int_eq(access(under("c/doc.json"), F_OK), -1);
	ck_assert_int_eq(temporaries_in("c"), 0);
	ck_assert_int_eq(lines_of(AUDIT_LOG), 3);
	ck_assert_int_eq(access(under(CHANGE_JOURNAL), F_OK), -1);
	cJSON_Delete(doc);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("change");
	TCase *tc = tcase_create("change");

	tcase_add_test(tc, a_change_lands_with_its_record);
	tcase_add_test(tc, a_failure_after_the_record_landed_says_the_change_stands);
	tcase_add_test(tc, killed_after_the_journal_is_undone);
	tcase_add_test(tc, killed_after_the_appends_is_cut_back);
	tcase_add_test(tc, killed_after_the_record_is_published);
	tcase_add_test(tc, lines_staged_in_a_file_land_with_their_record_or_not_at_all);
	tcase_add_test(tc, a_refused_record_changes_nothing);
	tcase_add_test(tc, part_of_the_records_landed_is_undone_records_and_all);
	tcase_add_test(tc, a_bad_journal_is_refused_and_kept);
	tcase_add_test(tc, begin_creates_the_state_with_its_format);
	tcase_add_test(tc, begin_while_another_holds_the_lock_is_busy);
	tcase_add_test(tc, begin_with_a_negative_wait_reads_lock_wait_seconds);
	tcase_add_test(tc, state_lock_alone_leaves_a_journal_change_lock_finishes_it);
	tcase_add_test(tc, state_lock_alone_does_not_roll_a_landed_change_forward);
	tcase_add_test(tc, save_json_writes_the_document_in_nested_dirs_with_one_record);
	tcase_add_test(tc, save_json_in_the_root_and_a_refused_record_saves_nothing);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
