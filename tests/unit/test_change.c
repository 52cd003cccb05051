/* Unit tests of change: a change and its audit record land together or not
 * at all, whichever step a writer is killed after; the next writer to take
 * the lock finishes or undoes the change. */
#include "unit.h"

#include <signal.h>
#include <sys/wait.h>

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

static Suite *suite(void)
{
	Suite *s = suite_create("change");
	TCase *tc = tcase_create("change");

	tcase_add_test(tc, a_change_lands_with_its_record);
	tcase_add_test(tc, killed_after_the_journal_is_undone);
	tcase_add_test(tc, killed_after_the_appends_is_cut_back);
	tcase_add_test(tc, killed_after_the_record_is_published);
	tcase_add_test(tc, a_refused_record_changes_nothing);
	tcase_add_test(tc, part_of_the_records_landed_is_undone_records_and_all);
	tcase_add_test(tc, a_bad_journal_is_refused_and_kept);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
