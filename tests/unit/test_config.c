/* Unit tests of config: defaults, strict loading of config.json, set,
 * unset and write. */
#include "unit.h"

#include <math.h>
#include <signal.h>

#include "core/config.h"

/* The test's private state directory, opened; diagnostics captured as "test". */
static int state_dir(void)
{
	const char *dir = unit_dir_path[0] ? unit_dir_path : unit_tmpdir();
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	ck_assert_int_ge(fd, 0);
	diag_init("test");
	unit_capture_diag();
	return fd;
}

/* Close and remove the state directory before asserting: a failed
 * assertion leaves by _exit, which would leave it behind. */
static void drop_state_dir(int dirfd)
{
	close(dirfd);
	unit_remove_tmpdir();
	unit_dir_path[0] = '\0';
}

static void write_config(const char *text)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/config.json", unit_dir_path);
	unit_write_file(path, text);
}

static char *read_config(void)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/config.json", unit_dir_path);
	return unit_read_file(path);
}

/* config.json holding text must be refused with BRAIN_STATE and message. */
static void expect_refused(const char *text, const char *message)
{
	int dirfd = state_dir();
	struct config *cfg = (struct config *)1;
	enum brain_status status;

	write_config(text);
	status = config_load(dirfd, &cfg);
	drop_state_dir(dirfd);
	if (status == BRAIN_OK)
		config_free(cfg);  /* no leak report on top of the failure */
	ck_assert_msg(status == BRAIN_STATE, "config.json %s: status %d, not 4", text, status);
	ck_assert_ptr_null(cfg);
	if (message)
		ck_assert_str_eq(unit_diag_text(), message);
	else
		ck_assert(!strncmp(unit_diag_text(), "test: config.json: ", 19));
}

START_TEST(defaults_without_a_state_dir)
{
	struct config *cfg = NULL;
	int from_file = -1;

	unit_capture_diag();
	ck_assert_int_eq(config_load(-1, &cfg), BRAIN_OK);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_double_eq(config_number(cfg, "lock.wait_seconds"), 30);
	ck_assert_int_eq(config_int(cfg, "input.max_line_bytes"), 1048576);
	ck_assert_str_eq(config_string(cfg, "audit.origin"), "brain");
	ck_assert_str_eq(config_string(cfg, "eval.method"), "page-hinkley");
	ck_assert_str_eq(config_string(cfg, "audit.checkpoint_key"), "");
	ck_assert_int_eq(config_bool(cfg, "gate.audit_intact"), 1);
	ck_assert_int_eq(config_bool(cfg, "gate.require_compliance_evidence"), 0);
	ck_assert_double_eq(config_number(cfg, "ab.alpha"), 0.05);
	ck_assert_int_eq(config_int(cfg, "promote.consecutive"), 1);
	ck_assert_int_eq(config_int(cfg, "contact.scrub_days_national_dnc"), 31);
	ck_assert_int_eq(config_int(cfg, "contact.scrub_days_state_dnc"), 31);
	ck_assert_int_eq(config_int(cfg, "contact.scrub_days_reassigned"), 31);
	ck_assert_int_eq(config_int(cfg, "contact.scrub_days_litigator"), 31);
	ck_assert(cJSON_IsNumber(config_value(cfg, "lock.wait_seconds", &from_file)));
	ck_assert_int_eq(from_file, 0);
	ck_assert_ptr_eq(config_value(cfg, "lock.wait_seconds", NULL),
			 config_default(cfg, "lock.wait_seconds"));
	ck_assert_ptr_null(cfg->file->child);
	ck_assert_str_eq(unit_diag_text(), "");
	config_free(cfg);
	config_free(NULL);
}
END_TEST

START_TEST(defaults_when_there_is_no_config_file)
{
	int dirfd = state_dir();
	struct config *cfg = NULL;
	int from_file = -1;

	ck_assert_int_eq(config_load(dirfd, &cfg), BRAIN_OK);
	ck_assert_double_eq(config_number(cfg, "lock.wait_seconds"), 30);
	config_value(cfg, "audit.origin", &from_file);
	ck_assert_int_eq(from_file, 0);
	ck_assert_str_eq(unit_diag_text(), "");
	config_free(cfg);
	close(dirfd);
}
END_TEST

START_TEST(file_overrides_one_key)
{
	int dirfd = state_dir();
	struct config *cfg = NULL;
	int from_file = -1;

	write_config("{\n  \"lock\": {\"wait_seconds\": 2.5},\n  \"audit\": {}\n}\n");
	ck_assert_int_eq(config_load(dirfd, &cfg), BRAIN_OK);
	ck_assert_double_eq(config_number(cfg, "lock.wait_seconds"), 2.5);
	ck_assert_double_eq(config_value(cfg, "lock.wait_seconds", &from_file)->valuedouble, 2.5);
	ck_assert_int_eq(from_file, 1);
	ck_assert_double_eq(config_default(cfg, "lock.wait_seconds")->valuedouble, 30);
	/* The others keep their defaults. */
	ck_assert_str_eq(config_string(cfg, "audit.origin"), "brain");
	config_value(cfg, "audit.origin", &from_file);
	ck_assert_int_eq(from_file, 0);
	ck_assert_int_eq(config_int(cfg, "input.max_line_bytes"), 1048576);
	ck_assert_str_eq(unit_diag_text(), "");
	config_free(cfg);
	close(dirfd);
}
END_TEST

START_TEST(every_type_read_from_the_file)
{
	int dirfd = state_dir();
	struct config *cfg = NULL;

	write_config("{\"input\":{\"max_line_bytes\":1024},\"audit\":{\"origin\":\"host-1/brain_x.y\"},"
		     "\"gate\":{\"audit_intact\":false},\"eval\":{\"method\":\"cusum\"},"
		     "\"lock\":{\"wait_seconds\":0}}");
	ck_assert_int_eq(config_load(dirfd, &cfg), BRAIN_OK);
	ck_assert_int_eq(config_int(cfg, "input.max_line_bytes"), 1024);
	ck_assert_str_eq(config_string(cfg, "audit.origin"), "host-1/brain_x.y");
	ck_assert_int_eq(config_bool(cfg, "gate.audit_intact"), 0);
	ck_assert_str_eq(config_string(cfg, "eval.method"), "cusum");
	ck_assert_double_eq(config_number(cfg, "lock.wait_seconds"), 0);
	config_free(cfg);
	close(dirfd);
}
END_TEST

START_TEST(unknown_keys_are_refused)
{
	expect_refused("{\"nope\":1}", "test: config.json: unknown key 'nope'\n");
	expect_refused("{\"lock\":{\"wait_second\":1}}",
		       "test: config.json: unknown key 'lock.wait_second'\n");
	expect_refused("{\"lock\":{\"wait_seconds\":1,\"extra\":{}}}",
		       "test: config.json: unknown key 'lock.extra'\n");
	expect_refused("{\"Lock\":{\"wait_seconds\":1}}",
		       "test: config.json: unknown key 'Lock'\n");
}
END_TEST

START_TEST(dotted_member_name_is_not_silently_ignored)
{
	/* {"lock.wait_seconds":5} is not how the file spells a setting; the
	 * loader must either refuse it or honour it, never ignore it. */
	int dirfd = state_dir();
	struct config *cfg = NULL;
	enum brain_status status;

	write_config("{\"lock.wait_seconds\":5}");
	status = config_load(dirfd, &cfg);
	drop_state_dir(dirfd);
	if (status == BRAIN_OK) {
		double wait = config_number(cfg, "lock.wait_seconds");

		config_free(cfg);
		ck_assert_msg(wait == 5, "lock.wait_seconds is %g: the member was ignored", wait);
	} else {
		ck_assert_int_eq(status, BRAIN_STATE);
		ck_assert_str_eq(unit_diag_text(),
				 "test: config.json: key 'lock.wait_seconds' must be written as "
				 "nested objects, not with a dot\n");
	}
}
END_TEST

START_TEST(wrong_types_and_ranges_name_the_key)
{
	expect_refused("{\"lock\":{\"wait_seconds\":\"30\"}}",
		       "test: config.json: setting 'lock.wait_seconds' must be a number "
		       "from 0 to 31536000\n");
	expect_refused("{\"lock\":{\"wait_seconds\":-1}}",
		       "test: config.json: setting 'lock.wait_seconds' must be a number "
		       "from 0 to 31536000\n");
	expect_refused("{\"lock\":{\"wait_seconds\":31536001}}",
		       "test: config.json: setting 'lock.wait_seconds' must be a number "
		       "from 0 to 31536000\n");
	expect_refused("{\"lock\":{\"wait_seconds\":null}}",
		       "test: config.json: setting 'lock.wait_seconds' must be a number "
		       "from 0 to 31536000\n");
	expect_refused("{\"input\":{\"max_line_bytes\":2048.5}}",
		       "test: config.json: setting 'input.max_line_bytes' must be an integer "
		       "from 1024 to 67108864\n");
	expect_refused("{\"input\":{\"max_line_bytes\":1023}}",
		       "test: config.json: setting 'input.max_line_bytes' must be an integer "
		       "from 1024 to 67108864\n");
	expect_refused("{\"contact\":{\"scrub_days_litigator\":-1}}",
		       "test: config.json: setting 'contact.scrub_days_litigator' must be an "
		       "integer from 0 to 36500\n");
	expect_refused("{\"contact\":{\"scrub_days_state_dnc\":30.5}}",
		       "test: config.json: setting 'contact.scrub_days_state_dnc' must be an "
		       "integer from 0 to 36500\n");
	expect_refused("{\"audit\":{\"origin\":\"my log\"}}",
		       "test: config.json: setting 'audit.origin' must be a string of "
		       "1 to 255 of A-Z a-z 0-9 . _ / -\n");
	expect_refused("{\"audit\":{\"origin\":\"\"}}",
		       "test: config.json: setting 'audit.origin' must be a string of "
		       "1 to 255 of A-Z a-z 0-9 . _ / -\n");
	expect_refused("{\"audit\":{\"origin\":7}}",
		       "test: config.json: setting 'audit.origin' must be a string of "
		       "1 to 255 of A-Z a-z 0-9 . _ / -\n");
	expect_refused("{\"gate\":{\"audit_intact\":1}}",
		       "test: config.json: setting 'gate.audit_intact' must be true or false\n");
	expect_refused("{\"eval\":{\"method\":\"median\"}}",
		       "test: config.json: setting 'eval.method' must be a string of "
		       "page-hinkley or cusum\n");
	expect_refused("{\"audit\":{\"checkpoint_key\":\"a\\nb\"}}",
		       "test: config.json: setting 'audit.checkpoint_key' must be a string of "
		       "a path without control characters\n");
}
END_TEST

START_TEST(a_group_must_be_an_object)
{
	expect_refused("{\"lock\":5}", "test: config.json: 'lock' must be an object\n");
	expect_refused("{\"lock\":null}", "test: config.json: 'lock' must be an object\n");
	expect_refused("{\"ab\":[]}", "test: config.json: 'ab' must be an object\n");
	expect_refused("{\"lock\":{\"wait_seconds\":{}}}",
		       "test: config.json: setting 'lock.wait_seconds' must be a number "
		       "from 0 to 31536000\n");
}
END_TEST

START_TEST(file_that_is_not_one_json_object)
{
	expect_refused("{\"lock\":", NULL);
	expect_refused("{\"lock\":{}} {}", NULL);
	expect_refused("", NULL);
	expect_refused("[]", "test: config.json: record is not a JSON object\n");
	expect_refused("{\"lock\":{},\"lock\":{}}", "test: config.json: field 'lock' appears twice\n");
	expect_refused("{\"audit\":{\"origin\":\"\xff\"}}", "test: config.json: invalid UTF-8 at byte 21\n");
}
END_TEST

START_TEST(nested_duplicate_key_is_refused)
{
	/* Which of the two values would apply is up to the parser: refuse. */
	expect_refused("{\"lock\":{\"wait_seconds\":1,\"wait_seconds\":2}}", NULL);
}
END_TEST

START_TEST(config_json_that_is_a_directory)
{
	int dirfd = state_dir();
	struct config *cfg = (struct config *)1;

	ck_assert_int_eq(mkdirat(dirfd, "config.json", 0700), 0);
	ck_assert_int_eq(config_load(dirfd, &cfg), BRAIN_STATE);
	ck_assert_ptr_null(cfg);
	ck_assert_ptr_nonnull(strstr(unit_diag_text(), "'config.json' is not a regular file"));
	close(dirfd);
}
END_TEST

START_TEST(set_refuses_unknown_keys_and_bad_values)
{
	struct config *cfg = NULL;
	cJSON *num = cJSON_CreateNumber(5), *text = cJSON_CreateString("a b");
	cJSON *frac = cJSON_CreateNumber(2048.5), *nan = cJSON_CreateNumber(NAN);
	int from_file = -1;

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(config_load(-1, &cfg), BRAIN_OK);
	ck_assert_int_eq(config_set(cfg, "lock.nope", num), BRAIN_DATA);
	ck_assert_int_eq(config_set(cfg, "lock", num), BRAIN_DATA);
	ck_assert_int_eq(config_set(cfg, "audit.origin", text), BRAIN_DATA);
	ck_assert_int_eq(config_set(cfg, "input.max_line_bytes", frac), BRAIN_DATA);
	ck_assert_int_eq(config_set(cfg, "lock.wait_seconds", text), BRAIN_DATA);
	ck_assert_int_eq(config_set(cfg, "lock.wait_seconds", nan), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(),
		"test: unknown setting 'lock.nope' (see 'brain config show')\n"
		"test: unknown setting 'lock' (see 'brain config show')\n"
		"test: setting 'audit.origin' must be a string of 1 to 255 of A-Z a-z 0-9 . _ / -\n"
		"test: setting 'input.max_line_bytes' must be an integer from 1024 to 67108864\n"
		"test: setting 'lock.wait_seconds' must be a number from 0 to 31536000\n"
		"test: setting 'lock.wait_seconds' must be a number from 0 to 31536000\n");
	/* Nothing changed. */
	ck_assert_ptr_null(cfg->file->child);
	config_value(cfg, "lock.wait_seconds", &from_file);
	ck_assert_int_eq(from_file, 0);
	cJSON_Delete(num);
	cJSON_Delete(text);
	cJSON_Delete(frac);
	cJSON_Delete(nan);
	config_free(cfg);
}
END_TEST

START_TEST(set_write_and_load_again)
{
	int dirfd = state_dir();
	struct config *cfg = NULL;
	cJSON *wait = cJSON_CreateNumber(5), *origin = cJSON_CreateString("host/brain");
	cJSON *wait2 = cJSON_CreateNumber(7);
	int from_file = -1;
	struct stat st;
	char *text;

	ck_assert_int_eq(config_load(dirfd, &cfg), BRAIN_OK);
	ck_assert_int_eq(config_set(cfg, "lock.wait_seconds", wait), BRAIN_OK);
	ck_assert_int_eq(config_set(cfg, "audit.origin", origin), BRAIN_OK);
	ck_assert_int_eq(config_set(cfg, "lock.wait_seconds", wait2), BRAIN_OK); /* replaces */
	/* The value was copied: the caller keeps its own. */
	cJSON_Delete(wait);
	cJSON_Delete(origin);
	cJSON_Delete(wait2);
	ck_assert_double_eq(config_number(cfg, "lock.wait_seconds"), 7);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(cfg->file, "lock")), 1);
	ck_assert_int_eq(config_write(cfg, dirfd), BRAIN_OK);
	config_free(cfg);

	ck_assert_int_eq(fstatat(dirfd, "config.json", &st, 0), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	text = read_config();
	ck_assert_int_eq(text[strlen(text) - 1], '\n');
	ck_assert_ptr_nonnull(strstr(text, "\"wait_seconds\""));
	free(text);

	cfg = NULL;
	ck_assert_int_eq(config_load(dirfd, &cfg), BRAIN_OK);
	ck_assert_double_eq(config_number(cfg, "lock.wait_seconds"), 7);
	ck_assert_str_eq(config_string(cfg, "audit.origin"), "host/brain");
	config_value(cfg, "audit.origin", &from_file);
	ck_assert_int_eq(from_file, 1);
	ck_assert_int_eq(config_int(cfg, "input.max_line_bytes"), 1048576);
	ck_assert_str_eq(unit_diag_text(), "");
	config_free(cfg);
	close(dirfd);
}
END_TEST

START_TEST(unset_restores_the_default_and_drops_the_empty_group)
{
	int dirfd = state_dir();
	struct config *cfg = NULL;
	int from_file = -1;
	char *text;

	write_config("{\"lock\":{\"wait_seconds\":5},\"audit\":{\"origin\":\"x\"}}\n");
	ck_assert_int_eq(config_load(dirfd, &cfg), BRAIN_OK);
	ck_assert_int_eq(config_unset(cfg, "lock.wait_seconds"), BRAIN_OK);
	ck_assert_double_eq(config_number(cfg, "lock.wait_seconds"), 30);
	config_value(cfg, "lock.wait_seconds", &from_file);
	ck_assert_int_eq(from_file, 0);
	ck_assert_ptr_null(cJSON_GetObjectItem(cfg->file, "lock"));
	/* Unsetting what is not set is fine. */
	ck_assert_int_eq(config_unset(cfg, "ab.alpha"), BRAIN_OK);
	ck_assert_int_eq(config_write(cfg, dirfd), BRAIN_OK);
	config_free(cfg);

	text = read_config();
	ck_assert_ptr_null(strstr(text, "lock"));
	ck_assert_ptr_null(strstr(text, "wait_seconds"));
	ck_assert_ptr_null(strstr(text, "\"ab\""));
	ck_assert_ptr_nonnull(strstr(text, "\"origin\""));
	free(text);

	cfg = NULL;
	ck_assert_int_eq(config_load(dirfd, &cfg), BRAIN_OK);
	ck_assert_str_eq(config_string(cfg, "audit.origin"), "x");
	ck_assert_int_eq(config_unset(cfg, "audit.origin"), BRAIN_OK);
	ck_assert_int_eq(config_write(cfg, dirfd), BRAIN_OK);
	config_free(cfg);
	text = read_config();
	ck_assert_str_eq(text, "{\n}\n");
	free(text);
	ck_assert_str_eq(unit_diag_text(), "");
	close(dirfd);
}
END_TEST

START_TEST(unset_of_an_unknown_key_is_refused)
{
	struct config *cfg = NULL;

	diag_init("test");
	unit_capture_diag();
	ck_assert_int_eq(config_load(-1, &cfg), BRAIN_OK);
	ck_assert_int_eq(config_unset(cfg, "lock.wait_second"), BRAIN_DATA);
	ck_assert_str_eq(unit_diag_text(),
			 "test: unknown setting 'lock.wait_second' (see 'brain config show')\n");
	config_free(cfg);
}
END_TEST

START_TEST(every_key_is_listed_once_and_found)
{
	size_t n = 0;
	const struct config_key *keys = config_keys(&n);
	struct config *cfg = NULL;

	ck_assert_uint_ge(n, 30);
	ck_assert_int_eq(config_load(-1, &cfg), BRAIN_OK);
	for (size_t i = 0; i < n; i++) {
		const char *dot = strchr(keys[i].key, '.');

		ck_assert_ptr_eq(config_lookup(keys[i].key), &keys[i]);
		for (size_t j = i + 1; j < n; j++)
			ck_assert_str_ne(keys[i].key, keys[j].key);
		ck_assert_msg(dot && dot > keys[i].key && dot[1] && !strchr(dot + 1, '.'),
			      "'%s' is not group.name", keys[i].key);
		ck_assert_msg(keys[i].help && *keys[i].help, "'%s' has no help", keys[i].key);
		/* Every default fits its own rule. */
		ck_assert_int_eq(config_check(&keys[i], config_default(cfg, keys[i].key),
					      BRAIN_STATE, "table"), BRAIN_OK);
	}
	ck_assert_ptr_null(config_lookup("lock"));
	ck_assert_ptr_null(config_lookup(""));
	ck_assert_ptr_null(config_lookup("lock.wait_seconds.x"));
	ck_assert_ptr_nonnull(config_lookup("lock.wait_seconds"));
	ck_assert_ptr_nonnull(config_lookup("input.max_line_bytes"));
	ck_assert_ptr_nonnull(config_lookup("audit.origin"));
	config_free(cfg);
}
END_TEST

START_TEST(origin_rule)
{
	char long_ok[256], too_long[257];

	memset(long_ok, 'a', 255);
	long_ok[255] = '\0';
	memset(too_long, 'a', 256);
	too_long[256] = '\0';
	ck_assert(config_origin_valid("brain"));
	ck_assert(config_origin_valid("host.example/brain_1-2"));
	ck_assert(config_origin_valid("A"));
	ck_assert(config_origin_valid(long_ok));
	ck_assert(!config_origin_valid(too_long));
	ck_assert(!config_origin_valid(""));
	ck_assert(!config_origin_valid("my log"));
	ck_assert(!config_origin_valid("a\"b"));
	ck_assert(!config_origin_valid("caf\xc3\xa9"));
	ck_assert(!config_origin_valid("a\nb"));
	ck_assert(!config_origin_valid("a:b"));
}
END_TEST

START_TEST(asking_for_an_unknown_key_aborts)
{
	struct config *cfg = NULL;

	unit_capture_diag();
	ck_assert_int_eq(config_load(-1, &cfg), BRAIN_OK);
	config_number(cfg, "lock.no_such_key");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, defaults_without_a_state_dir);
	tcase_add_test(tc, defaults_when_there_is_no_config_file);
	tcase_add_test(tc, file_overrides_one_key);
	tcase_add_test(tc, every_type_read_from_the_file);
	tcase_add_test(tc, unknown_keys_are_refused);
	tcase_add_test(tc, dotted_member_name_is_not_silently_ignored);
	tcase_add_test(tc, wrong_types_and_ranges_name_the_key);
	tcase_add_test(tc, a_group_must_be_an_object);
	tcase_add_test(tc, file_that_is_not_one_json_object);
	tcase_add_test(tc, nested_duplicate_key_is_refused);
	tcase_add_test(tc, config_json_that_is_a_directory);
	tcase_add_test(tc, set_refuses_unknown_keys_and_bad_values);
	tcase_add_test(tc, set_write_and_load_again);
	tcase_add_test(tc, unset_restores_the_default_and_drops_the_empty_group);
	tcase_add_test(tc, unset_of_an_unknown_key_is_refused);
	tcase_add_test(tc, every_key_is_listed_once_and_found);
	tcase_add_test(tc, origin_rule);
	tcase_add_test_raise_signal(tc, asking_for_an_unknown_key_aborts, SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
