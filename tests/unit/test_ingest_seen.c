/* Unit tests of ingest_seen: learning/seen.keys read back chunk by chunk
 * (keys and the last chunk's cover), a fresh chunk setting aside those
 * before it, and a file that is torn, foreign or missing giving nothing
 * (the first two to be emptied). */
#include "unit.h"

#include "core/ingest_seen.h"

static unsigned char keys[4][KEYSET_KEY];

static void make_keys(void)
{
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < KEYSET_KEY; j++)
			keys[i][j] = (unsigned char)(i * 37 + j * 11 + 1);
}

/* Append a chunk of keys[first..first+n) covering (records, quarantine). */
static void append_chunk(int fd, uint64_t records, uint64_t quarantine, int first, int n,
			 int fresh)
{
	struct ingest_seen_cover cover = { records, quarantine };
	unsigned char header[INGEST_SEEN_HEADER];

	ingest_seen_header(&cover, (uint64_t)n, fresh, header);
	ck_assert_int_eq(write(fd, header, sizeof(header)), (int)sizeof(header));
	for (int i = first; i < first + n; i++)
		ck_assert_int_eq(write(fd, keys[i], IDSET_KEPT), IDSET_KEPT);
}

static int open_dir(int *fd)
{
	int dirfd = open(unit_tmpdir(), O_RDONLY | O_DIRECTORY);

	ck_assert_int_ge(dirfd, 0);
	*fd = openat(dirfd, INGEST_SEEN, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(*fd, 0);
	make_keys();
	return dirfd;
}

START_TEST(chunks_load_back_with_the_last_cover)
{
	struct ingest_seen_cover cover;
	struct idset seen;
	int fd, dirfd = open_dir(&fd);

	append_chunk(fd, 100, 0, 0, 2, 1);
	append_chunk(fd, 250, 40, 2, 1, 0);
	close(fd);
	idset_init(&seen);
	ck_assert_int_eq(ingest_seen_load(dirfd, &seen, &cover), 1);
	ck_assert_uint_eq(seen.count, 3);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(idset_has(&seen, keys[i]), 1);
	ck_assert_int_eq(idset_has(&seen, keys[3]), 0);
	ck_assert_uint_eq(cover.records, 250);
	ck_assert_uint_eq(cover.quarantine, 40);
	idset_free(&seen);
	close(dirfd);
}
END_TEST

START_TEST(a_fresh_chunk_sets_aside_those_before)
{
	struct ingest_seen_cover cover;
	struct idset seen;
	int fd, dirfd = open_dir(&fd);

	append_chunk(fd, 100, 0, 0, 2, 1);
	append_chunk(fd, 80, 10, 2, 2, 1);   /* the logs read whole again */
	close(fd);
	idset_init(&seen);
	ingest_seen_load(dirfd, &seen, &cover);
	ck_assert_uint_eq(seen.count, 2);
	ck_assert_int_eq(idset_has(&seen, keys[0]), 0);
	ck_assert_int_eq(idset_has(&seen, keys[2]), 1);
	ck_assert_int_eq(idset_has(&seen, keys[3]), 1);
	ck_assert_uint_eq(cover.records, 80);
	ck_assert_uint_eq(cover.quarantine, 10);
	idset_free(&seen);
	close(dirfd);
}
END_TEST

/* A chunk cut short at every byte, or a foreign header, leaves nothing. */
START_TEST(a_torn_or_foreign_file_gives_nothing)
{
	struct ingest_seen_cover cover;
	struct idset seen;
	int fd, dirfd = open_dir(&fd);
	off_t whole;

	append_chunk(fd, 100, 0, 0, 2, 1);
	append_chunk(fd, 250, 0, 2, 2, 0);
	whole = lseek(fd, 0, SEEK_END);
	for (off_t cut = whole - 1; cut > INGEST_SEEN_HEADER + 2 * IDSET_KEPT; cut--) {
		ck_assert_int_eq(ftruncate(fd, cut), 0);
		idset_init(&seen);
		ck_assert_int_eq(ingest_seen_load(dirfd, &seen, &cover), 0);
		ck_assert_msg(seen.count == 0 && cover.records == 0, "cut at %ld", (long)cut);
	}
	ck_assert_int_eq(pwrite(fd, "brainid9", 8, 0), 8);
	ck_assert_int_eq(ftruncate(fd, INGEST_SEEN_HEADER + 2 * IDSET_KEPT), 0);
	ck_assert_int_eq(ingest_seen_load(dirfd, &seen, &cover), 0);
	ck_assert_uint_eq(seen.count, 0);
	ck_assert_uint_eq(cover.records, 0);
	ck_assert_int_eq(ingest_seen_clear(dirfd), BRAIN_OK);
	ck_assert_int_eq(lseek(fd, 0, SEEK_END), 0);
	close(fd);
	close(dirfd);
}
END_TEST

START_TEST(a_missing_file_gives_nothing)
{
	struct ingest_seen_cover cover = { 5, 5 };
	struct idset seen;
	int fd, dirfd = open_dir(&fd);

	close(fd);
	ck_assert_int_eq(unlinkat(dirfd, INGEST_SEEN, 0), 0);
	idset_init(&seen);
	ck_assert_int_eq(ingest_seen_load(dirfd, &seen, &cover), 1);
	ck_assert_uint_eq(seen.count, 0);
	ck_assert_uint_eq(cover.records + cover.quarantine, 0);
	ck_assert_int_eq(ingest_seen_clear(dirfd), BRAIN_OK);   /* none is no error */
	close(dirfd);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ingest_seen");
	TCase *tc = tcase_create("ingest_seen");

	tcase_add_test(tc, chunks_load_back_with_the_last_cover);
	tcase_add_test(tc, a_fresh_chunk_sets_aside_those_before);
	tcase_add_test(tc, a_torn_or_foreign_file_gives_nothing);
	tcase_add_test(tc, a_missing_file_gives_nothing);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
