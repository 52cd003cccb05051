/* ingest_seen.c - the stored identities of brain-ingest; see ingest_seen.h. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "core/ingest_seen.h"
#include "diag.h"
#include "banned.h"

#define MAGIC "brainid1"   /* a chunk adding to those before it */
#define FRESH "brainid0"   /* a chunk that stands for all the logs alone */
#define READ_KEYS 4096   /* keys read at a time */

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

void ingest_seen_header(const struct ingest_seen_cover *cover, uint64_t n, int fresh,
			unsigned char out[INGEST_SEEN_HEADER])
{
	memcpy(out, fresh ? FRESH : MAGIC, 8);
	put64(out + 8, cover->records);
	put64(out + 16, cover->quarantine);
	put64(out + 24, n);
}

/* Exactly n bytes from fd into buf: 1, or 0 at a short read or an error. */
static int read_all(int fd, unsigned char *buf, size_t n)
{
	while (n) {
		ssize_t got = read(fd, buf, n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return 0;
		buf += got;
		n -= (size_t)got;
	}
	return 1;
}

/* The n keys of one chunk into seen: 1, or 0 when the file ends first. */
static int load_keys(int fd, uint64_t n, struct idset *seen)
{
	static unsigned char buf[READ_KEYS * IDSET_KEPT];
	unsigned char key[KEYSET_KEY] = { 0 };

	while (n) {
		size_t take = n < READ_KEYS ? (size_t)n : READ_KEYS;

		if (!read_all(fd, buf, take * IDSET_KEPT))
			return 0;
		for (size_t i = 0; i < take; i++) {
			memcpy(key, buf + i * IDSET_KEPT, IDSET_KEPT);
			idset_add(seen, key);
		}
		n -= take;
	}
	return 1;
}

int ingest_seen_load(int learnfd, struct idset *seen, struct ingest_seen_cover *cover)
{
	int fd = learnfd < 0 ? -1 : openat(learnfd, INGEST_SEEN, O_RDONLY | O_CLOEXEC);
	unsigned char h[INGEST_SEEN_HEADER];
	int whole = 1;
	ssize_t got;

	memset(cover, 0, sizeof(*cover));
	if (fd < 0)
		return 1;
	while (whole && (got = read(fd, h, 1)) == 1) {
		whole = read_all(fd, h + 1, sizeof(h) - 1) &&
			(!memcmp(h, MAGIC, 8) || !memcmp(h, FRESH, 8));
		if (whole && !memcmp(h, FRESH, 8))
			idset_free(seen);
		whole = whole && load_keys(fd, get64(h + 24), seen);
		cover->records = get64(h + 8);
		cover->quarantine = get64(h + 16);
	}
	close(fd);
	if (!whole || got < 0) {
		idset_free(seen);
		memset(cover, 0, sizeof(*cover));
		return 0;
	}
	return 1;
}

enum brain_status ingest_seen_clear(int learnfd)
{
	int fd = openat(learnfd, INGEST_SEEN, O_WRONLY | O_TRUNC | O_CLOEXEC);

	if (fd < 0 && errno != ENOENT)
		return diag_errno(BRAIN_IO, errno, "cannot empty learning/" INGEST_SEEN);
	if (fd >= 0)
		close(fd);
	return BRAIN_OK;
}
