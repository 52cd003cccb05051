/* Unit tests of audit_verify: a log the toolkit wrote verifies; an edit,
 * a deletion, a reordering, a forged MAC and a cut tail are each found and
 * named by the record concerned; a torn last line is reported as torn.
 * A caller's per-record check sees what audit_each would show it, and
 * is told when the pass stopped short of that. */
#include "unit.h"

#include "core/audit.h"
#include "core/audit_verify.h"
#include "core/change.h"
#include "core/state.h"
#include "pure/hash.h"

static char *under(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/state/%s", unit_dir_path, name);
	return path;
}

static struct state st;
static unsigned char k1[32];

/* A state whose log holds the header and four records; with mac, a
 * MAC'd log whose K_1 is in k1 and in the file "k1" of the tmpdir.  The
 * state stays open (not locked) in st. */
static void make_log(int mac)
{
	static const char *const subjects[] = { "alpha", "beta", "gamma", "delta" };
	struct audit_ack ack;

	if (!unit_dir_path[0]) {
		unit_tmpdir();
	} else {
		/* A second log in the same test: start again from nothing. */
		char cmd[4300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", under(""));
		ck_assert_int_eq(system(cmd), 0);
	}
	umask(077);
	setenv("BRAIN_ACTOR", "unit", 1);
	setenv("BRAIN_NOW", "2026-12-01T00:00:00Z", 1);
	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(change_begin(&st, under(""), 0, NULL), BRAIN_OK);
	if (mac) {
		char hex[66], path[4200];

		ck_assert_int_eq(audit_init(&st, "unit/test", 1, k1), BRAIN_OK);
		hash_hex(k1, 32, hex);
		strcat(hex, "\n");
		snprintf(path, sizeof(path), "%s/k1", unit_dir_path);
		unit_write_file(path, hex);
	}
	for (int i = 0; i < 4; i++) {
		struct audit_event ev = { subjects[i], "test.act", "SUCCESS", NULL, NULL, NULL };

		ck_assert_int_eq(audit_append(&st, NULL, &ev, &ack), BRAIN_OK);
	}
	ck_assert_uint_eq(ack.seq, 5);
	state_unlock(&st);
}

static const char *k1_path(void)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/k1", unit_dir_path);
	return path;
}

static struct audit_report verify_with(const char *key)
{
	struct audit_verify_opts o = { .key_path = key };
	struct audit_report rep;

	ck_assert_int_eq(audit_verify(st.dirfd, &o, &rep), BRAIN_OK);
	return rep;
}

static struct audit_report verify(void)
{
	return verify_with(NULL);
}

static void expect_error(const struct audit_report *rep, const char *error, uint64_t seq)
{
	ck_assert_msg(!rep->ok, "the log verified");
	ck_assert_msg(rep->error && !strcmp(rep->error, error), "error %s, not %s (%s)",
		      rep->error ? rep->error : "none", error, rep->detail);
	ck_assert_msg(rep->seq == seq, "%s at seq %llu, not %llu (%s)", error,
		      (unsigned long long)rep->seq, (unsigned long long)seq, rep->detail);
}

/* ---- editing the log as an attacker or an accident would ---------------- */

static char *log_text(size_t *len)
{
	char *text = unit_read_file(under(AUDIT_LOG));

	*len = strlen(text);
	return text;
}

static void put_log(const char *text, size_t len)
{
	FILE *fp = fopen(under(AUDIT_LOG), "w");

	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
}

/* The offset of line n (1-based) in text. */
static size_t line_at(const char *text, int n)
{
	const char *p = text;

	for (int i = 1; i < n; i++) {
		p = strchr(p, '\n');
		ck_assert_ptr_nonnull(p);
		p++;
	}
	return (size_t)(p - text);
}

/* Replace the first from after the start of line n with to (same length). */
static void edit_line(int n, const char *from, const char *to)
{
	size_t len, at;
	char *text = log_text(&len), *hit;

	ck_assert_uint_eq(strlen(from), strlen(to));
	at = line_at(text, n);
	hit = strstr(text + at, from);
	ck_assert_ptr_nonnull(hit);
	ck_assert(hit < strchr(text + at, '\n'));
	memcpy(hit, to, strlen(to));
	put_log(text, len);
	free(text);
}

static void delete_line(int n)
{
	size_t len, at, next;
	char *text = log_text(&len);

	at = line_at(text, n);
	next = line_at(text, n + 1);
	memmove(text + at, text + next, len - next);
	put_log(text, len - (next - at));
	free(text);
}

/* ---- tests ------------------------------------------------------------------- */

START_TEST(a_fresh_log_verifies)
{
	struct audit_report rep;
	uint64_t size;
	char hash[65];
	cJSON *json;

	make_log(0);
	rep = verify();
	ck_assert(rep.ok);
	ck_assert_ptr_null(rep.error);
	ck_assert_uint_eq(rep.seq, 0);
	ck_assert_uint_eq(rep.size, 5);
	ck_assert_int_eq(audit_head(st.dirfd, &size, hash), BRAIN_OK);
	ck_assert_str_eq(rep.hash, hash);
	ck_assert_str_eq(rep.mac, "none");
	ck_assert_str_eq(rep.signatures, "none");
	ck_assert_uint_eq(rep.checkpoints, 0);
	ck_assert_uint_eq(rep.warnings, 0);
	json = audit_report_json(&rep);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(json, "ok")));
	ck_assert_ptr_null(cJSON_GetObjectItem(json, "error"));
	ck_assert_double_eq(cJSON_GetObjectItem(json, "size")->valuedouble, 5);
	cJSON_Delete(json);
	state_close(&st);
}
END_TEST

START_TEST(an_edited_byte_in_a_middle_record_is_found)
{
	struct audit_report rep;
	cJSON *json;

	make_log(0);
	/* Record 3 ("beta") changed: it still chains to record 2, so without a
	 * MAC the first link that breaks is record 4's. */
	edit_line(3, "\"beta\"", "\"bexa\"");
	rep = verify();
	expect_error(&rep, "prev_mismatch", 4);
	ck_assert_uint_eq(rep.size, 3); /* the prefix that chains */
	ck_assert_ptr_nonnull(strstr(rep.detail, "line 4 does not chain"));
	json = audit_report_json(&rep);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(json, "ok")));
	ck_assert_str_eq(cJSON_GetObjectItem(json, "error")->valuestring, "prev_mismatch");
	ck_assert_double_eq(cJSON_GetObjectItem(json, "seq")->valuedouble, 4);
	cJSON_Delete(json);
	state_close(&st);
}
END_TEST

START_TEST(an_edited_prev_names_that_record)
{
	struct audit_report rep;
	size_t len;
	char *text;

	make_log(0);
	text = log_text(&len);
	/* Change one hex digit of record 3's prev (still hex). */
	{
		char *c = text + line_at(text, 3) + AUDIT_PREV_AT;

		*c = *c == '0' ? '1' : '0';
	}
	put_log(text, len);
	free(text);
	rep = verify();
	expect_error(&rep, "prev_mismatch", 3);
	ck_assert_uint_eq(rep.size, 2);
	state_close(&st);
}
END_TEST

START_TEST(an_edit_that_breaks_the_layout_is_a_bad_line)
{
	struct audit_report rep;

	make_log(0);
	edit_line(4, "\"rec\":{", "\"rec\":[");
	rep = verify();
	expect_error(&rep, "bad_line", 4);
	ck_assert_uint_eq(rep.size, 3);
	state_close(&st);

	make_log(0);
	edit_line(2, "\"alpha\"", "\"\xff" "lpha\"");
	rep = verify();
	expect_error(&rep, "bad_line", 2);
	ck_assert_ptr_nonnull(strstr(rep.detail, "not valid UTF-8"));
	state_close(&st);
}
END_TEST

/* A byte of prev or mac that is not lowercase hex, at each of their 64
 * places, is a bad line (the layout), not a chain that breaks there. */
START_TEST(a_digest_that_is_not_lowercase_hex_is_a_bad_line)
{
	static const char odd[] = { 'g', 'A', '/', ':', '`', '{' };
	const size_t at[] = { AUDIT_PREV_AT, AUDIT_MAC_AT };
	struct audit_report rep;
	size_t len;
	char *text;

	for (size_t f = 0; f < 2; f++)
		for (size_t k = 0; k < 64; k++) {
			make_log(0);
			text = log_text(&len);
			text[line_at(text, 3) + at[f] + k] = odd[k % sizeof(odd)];
			put_log(text, len);
			free(text);
			rep = verify();
			expect_error(&rep, "bad_line", 3);
			ck_assert_ptr_nonnull(strstr(rep.detail, "record layout"));
			state_close(&st);
		}
}
END_TEST

START_TEST(a_deleted_record_is_found)
{
	struct audit_report rep;

	make_log(0);
	delete_line(3);
	rep = verify();
	expect_error(&rep, "seq_mismatch", 3);
	ck_assert_ptr_nonnull(strstr(rep.detail, "line 3 has seq 4"));
	ck_assert_uint_eq(rep.size, 2);
	state_close(&st);
}
END_TEST

START_TEST(swapped_records_are_found)
{
	struct audit_report rep;
	size_t len, a, b, c;
	char *text, *out;

	make_log(0);
	text = log_text(&len);
	a = line_at(text, 3);
	b = line_at(text, 4);
	c = line_at(text, 5);
	out = malloc(len);
	memcpy(out, text, a);
	memcpy(out + a, text + b, c - b);
	memcpy(out + a + (c - b), text + a, b - a);
	memcpy(out + c, text + c, len - c);
	put_log(out, len);
	free(out);
	free(text);
	rep = verify();
	expect_error(&rep, "seq_mismatch", 3);
	state_close(&st);
}
END_TEST

START_TEST(a_truncated_last_line_is_reported_as_torn)
{
	struct audit_report rep;
	uint64_t size;
	char hash4[65], *text;
	size_t len;

	make_log(0);
	/* The head after record 4, for comparing below. */
	text = log_text(&len);
	hash_sha256_hex(text + line_at(text, 4), line_at(text, 5) - line_at(text, 4), hash4);
	/* The last record cut in the middle of its write. */
	put_log(text, line_at(text, 5) + 40);
	free(text);
	rep = verify();
	expect_error(&rep, "torn_tail", 5);
	ck_assert_ptr_nonnull(strstr(rep.detail, "40 bytes after the last newline"));
	/* Everything before it is intact. */
	ck_assert_uint_eq(rep.size, 4);
	ck_assert_str_eq(rep.hash, hash4);
	unit_capture_diag(); /* audit_verify sent diagnostics back to stderr */
	ck_assert_int_eq(audit_head(st.dirfd, &size, hash4), BRAIN_STATE);
	state_close(&st);

	/* Only the final LF missing is torn too. */
	make_log(0);
	text = log_text(&len);
	put_log(text, len - 1);
	free(text);
	rep = verify();
	expect_error(&rep, "torn_tail", 5);
	state_close(&st);
}
END_TEST

START_TEST(a_cut_tail_is_found_against_an_anchor)
{
	struct audit_verify_opts o = { 0 };
	struct audit_report rep;
	const char *anchors[1];
	char path[4200], head[256], hash[65], *text;
	uint64_t size;
	size_t len;

	make_log(0);
	ck_assert_int_eq(audit_head(st.dirfd, &size, hash), BRAIN_OK);
	snprintf(head, sizeof(head), "{\"size\":%llu,\"hash\":\"%s\"}\n", (unsigned long long)size,
		 hash);
	snprintf(path, sizeof(path), "%s/head.json", unit_dir_path);
	unit_write_file(path, head);
	anchors[0] = path;
	o.anchors = anchors;
	o.nanchors = 1;
	ck_assert_int_eq(audit_verify(st.dirfd, &o, &rep), BRAIN_OK);
	ck_assert(rep.ok);
	ck_assert_uint_eq(rep.anchors, 1);
	/* The last whole record removed: the chain alone cannot tell... */
	text = log_text(&len);
	put_log(text, line_at(text, 5));
	free(text);
	rep = verify();
	ck_assert(rep.ok);
	ck_assert_uint_eq(rep.size, 4);
	/* ...the anchor can. */
	ck_assert_int_eq(audit_verify(st.dirfd, &o, &rep), BRAIN_OK);
	expect_error(&rep, "anchor_beyond_log", 5);
	state_close(&st);
}
END_TEST

START_TEST(a_missing_or_empty_log_does_not_verify)
{
	struct audit_report rep;
	struct audit_verify_opts o = { 0 };

	make_log(0);
	put_log("", 0);
	rep = verify();
	expect_error(&rep, "bad_header", 0);
	ck_assert_ptr_nonnull(strstr(rep.detail, "empty"));
	ck_assert_int_eq(unlink(under(AUDIT_LOG)), 0);
	unit_capture_diag();
	ck_assert_int_eq(audit_verify(st.dirfd, &o, &rep), BRAIN_STATE);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "cannot open audit.log"));
	state_close(&st);
}
END_TEST

START_TEST(a_header_that_is_not_log_init_is_bad)
{
	struct audit_report rep;

	make_log(0);
	edit_line(1, "\"log.init\"", "\"log.xxxx\"");
	rep = verify();
	expect_error(&rep, "bad_header", 1);
	state_close(&st);
}
END_TEST

START_TEST(a_macd_log_verifies_with_its_key)
{
	struct audit_report rep;

	make_log(1);
	rep = verify_with(k1_path());
	ck_assert_msg(rep.ok, "%s: %s", rep.error, rep.detail);
	ck_assert_str_eq(rep.mac, "verified");
	ck_assert_uint_eq(rep.size, 5);
	/* Without the key the chain is checked, the MACs are not. */
	rep = verify();
	ck_assert(rep.ok);
	ck_assert_str_eq(rep.mac, "unchecked");
	state_close(&st);
}
END_TEST

START_TEST(an_edit_of_a_macd_record_names_that_record)
{
	struct audit_report rep;

	make_log(1);
	edit_line(4, "\"gamma\"", "\"gamme\"");
	rep = verify_with(k1_path());
	expect_error(&rep, "mac_mismatch", 4);
	ck_assert_uint_eq(rep.size, 3);
	state_close(&st);
}
END_TEST

START_TEST(a_wrong_key_fails_at_the_first_record)
{
	struct audit_report rep;
	char path[4200];

	make_log(1);
	snprintf(path, sizeof(path), "%s/wrong", unit_dir_path);
	unit_write_file(path, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
	rep = verify_with(path);
	expect_error(&rep, "mac_mismatch", 1);
	/* A key for a log without MACs is a mode error. */
	state_close(&st);
	make_log(0);
	rep = verify_with(path);
	expect_error(&rep, "mac_mode", 1);
	state_close(&st);
}
END_TEST

/* Verify quiets the parser's diagnostics for a while, then puts back the
 * stream it found (not stderr): a caller's capture keeps working. */
START_TEST(verify_keeps_the_callers_diagnostic_stream)
{
	make_log(0);
	unit_capture_diag();
	verify();
	diag_error(BRAIN_DATA, "after verify");
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "after verify"));
}
END_TEST

/* ---- records handed to a caller's check on the way --------------------- */

/* Replace the first from in line n with to (any length). */
static void replace_in_line(int n, const char *from, const char *to)
{
	size_t len, at, flen = strlen(from), tlen = strlen(to);
	char *text = log_text(&len), *hit, *out;

	at = line_at(text, n);
	hit = strstr(text + at, from);
	ck_assert_ptr_nonnull(hit);
	ck_assert(hit < strchr(text + at, '\n'));
	out = malloc(len - flen + tlen);
	ck_assert_ptr_nonnull(out);
	memcpy(out, text, (size_t)(hit - text));
	memcpy(out + (hit - text), to, tlen);
	memcpy(out + (hit - text) + tlen, hit + flen, len - (size_t)(hit - text) - flen);
	put_log(out, len - flen + tlen);
	free(out);
	free(text);
}

/* What a per-record check was shown: seq, line and rec of each record. */
struct seen {
	char text[16384];
	size_t len;
	uint64_t n;
	uint64_t stop_at;   /* return non-zero at this seq (0: never) */
};

static int see(void *arg, const cJSON *line, const cJSON *rec, uint64_t seq)
{
	struct seen *s = arg;
	char *a = cJSON_PrintUnformatted(line), *b = cJSON_PrintUnformatted(rec);
	int n = snprintf(s->text + s->len, sizeof(s->text) - s->len, "%llu %s %s\n",
			 (unsigned long long)seq, a, b);

	ck_assert(n > 0 && (size_t)n < sizeof(s->text) - s->len);
	s->len += (size_t)n;
	s->n++;
	free(a);
	free(b);
	return s->stop_at && seq == s->stop_at;
}

static struct audit_report verify_seeing(struct seen *s)
{
	struct audit_verify_opts o = { .each = see, .each_arg = s };
	struct audit_report rep;

	ck_assert_int_eq(audit_verify(st.dirfd, &o, &rep), BRAIN_OK);
	return rep;
}

START_TEST(each_sees_every_record_as_audit_each_shows_it)
{
	struct seen shared = { .len = 0 }, alone = { .len = 0 };
	struct audit_report rep;

	make_log(0);
	rep = verify_seeing(&shared);
	ck_assert(rep.ok);
	ck_assert(rep.each_complete);
	ck_assert_uint_eq(shared.n, 5);
	ck_assert_int_eq(audit_each(st.dirfd, see, &alone), BRAIN_OK);
	ck_assert_uint_eq(alone.n, 5);
	ck_assert_str_eq(shared.text, alone.text);
	/* Without a check the pass says nothing of one. */
	rep = verify();
	ck_assert(!rep.each_complete);
	state_close(&st);
}
END_TEST

START_TEST(a_check_that_stops_is_not_called_again_and_the_chain_check_goes_on)
{
	struct seen s = { .stop_at = 2 };
	struct audit_report rep;

	make_log(0);
	rep = verify_seeing(&s);
	ck_assert_uint_eq(s.n, 2);
	ck_assert(rep.ok);
	ck_assert_uint_eq(rep.size, 5);
	/* audit_each would have stopped there too. */
	ck_assert(rep.each_complete);
	state_close(&st);
}
END_TEST

START_TEST(a_broken_chain_or_a_torn_tail_leaves_each_incomplete)
{
	struct seen s = { .len = 0 };
	struct audit_report rep;
	char *text;
	size_t len;

	make_log(0);
	edit_line(3, "\"beta\"", "\"bexa\"");
	rep = verify_seeing(&s);
	expect_error(&rep, "prev_mismatch", 4);
	/* The records before the break, and nothing past it. */
	ck_assert_uint_eq(s.n, 3);
	ck_assert(!rep.each_complete);
	state_close(&st);

	make_log(0);
	text = log_text(&len);
	put_log(text, len - 1);
	free(text);
	memset(&s, 0, sizeof(s));
	rep = verify_seeing(&s);
	expect_error(&rep, "torn_tail", 5);
	ck_assert_uint_eq(s.n, 4);
	ck_assert(!rep.each_complete);
	state_close(&st);
}
END_TEST

/* The last record chains (nothing follows it) but holds a member twice:
 * the chain check passes, audit_each refuses the line. */
START_TEST(a_record_that_chains_but_is_not_strict_json_leaves_each_incomplete)
{
	struct seen s = { .len = 0 }, alone = { .len = 0 };
	struct audit_report rep;

	make_log(0);
	replace_in_line(5, "\"status\":\"SUCCESS\"", "\"status\":\"SUCCESS\",\"status\":\"x\"");
	rep = verify_seeing(&s);
	ck_assert_msg(rep.ok, "%s", rep.detail);
	ck_assert_uint_eq(s.n, 4);
	ck_assert(!rep.each_complete);
	unit_capture_diag();
	ck_assert_int_eq(audit_each(st.dirfd, see, &alone), BRAIN_STATE);
	ck_assert_uint_eq(alone.n, 4);
	state_close(&st);
}
END_TEST

/* The chain check takes rec from the strict parse of the line only when
 * the layout proves it is the same text: for lines where that is not so,
 * the report with a per-record check is the report without one. */
START_TEST(the_report_is_the_same_with_a_check_for_odd_lines)
{
	static const char *const edits[][2] = {
		{ "},\"seq\":5", "} ,\"seq\":5" },             /* blank after rec */
		{ "\"rec\":{", "\"rec\": {" },                 /* blank before rec */
		{ "},\"seq\":5", "},\"x\":1,\"seq\":5" },      /* a member after rec */
		{ "\"rec\":{", "\"rec\":{\"n\":01," },          /* a number off the grammar */
		{ "\"rec\":{", "\"rec\":{\"a\":1,\"a\":2," },   /* a member twice */
		{ "\"rec\":{", "\"rec\":[1],\"r\":{" },         /* rec not an object */
	};

	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		struct seen s = { .len = 0 };
		struct audit_report alone, shared;

		make_log(0);
		replace_in_line(5, edits[i][0], edits[i][1]);
		alone = verify();
		shared = verify_seeing(&s);
		ck_assert_msg(alone.ok == shared.ok, "edit %zu: ok %d, with a check %d", i,
			      alone.ok, shared.ok);
		ck_assert_msg((!alone.error && !shared.error) ||
			      (alone.error && shared.error && !strcmp(alone.error, shared.error)),
			      "edit %zu: %s, with a check %s", i, alone.error, shared.error);
		ck_assert_str_eq(alone.detail, shared.detail);
		ck_assert_uint_eq(alone.seq, shared.seq);
		ck_assert_uint_eq(alone.size, shared.size);
		ck_assert_str_eq(alone.hash, shared.hash);
		state_close(&st);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("audit_verify");
	TCase *chain = tcase_create("chain");
	TCase *mac = tcase_create("mac");
	TCase *each = tcase_create("each");

	tcase_add_test(chain, a_fresh_log_verifies);
	tcase_add_test(chain, an_edited_byte_in_a_middle_record_is_found);
	tcase_add_test(chain, an_edited_prev_names_that_record);
	tcase_add_test(chain, an_edit_that_breaks_the_layout_is_a_bad_line);
	tcase_add_test(chain, a_digest_that_is_not_lowercase_hex_is_a_bad_line);
	tcase_add_test(chain, a_deleted_record_is_found);
	tcase_add_test(chain, swapped_records_are_found);
	tcase_add_test(chain, a_truncated_last_line_is_reported_as_torn);
	tcase_add_test(chain, a_cut_tail_is_found_against_an_anchor);
	tcase_add_test(chain, a_missing_or_empty_log_does_not_verify);
	tcase_add_test(chain, a_header_that_is_not_log_init_is_bad);
	suite_add_tcase(s, chain);

	tcase_add_test(mac, a_macd_log_verifies_with_its_key);
	tcase_add_test(mac, an_edit_of_a_macd_record_names_that_record);
	tcase_add_test(mac, a_wrong_key_fails_at_the_first_record);
	tcase_add_test(mac, verify_keeps_the_callers_diagnostic_stream);
	suite_add_tcase(s, mac);

	tcase_add_test(each, each_sees_every_record_as_audit_each_shows_it);
	tcase_add_test(each, a_check_that_stops_is_not_called_again_and_the_chain_check_goes_on);
	tcase_add_test(each, a_broken_chain_or_a_torn_tail_leaves_each_incomplete);
	tcase_add_test(each, a_record_that_chains_but_is_not_strict_json_leaves_each_incomplete);
	tcase_add_test(each, the_report_is_the_same_with_a_check_for_odd_lines);
	suite_add_tcase(s, each);
	return s;
}

UNIT_MAIN(suite)
