/* keyset_file.c - key sets in files; see keyset_file.h. */
#include <stdlib.h>

#include "core/file.h"
#include "core/keyset_file.h"
#include "diag.h"
#include "banned.h"

/* Key sets grow with distinct ids; 16 GiB is far past any real one. */
#define MAX_FILE ((size_t)1 << 34)

enum brain_status keyset_load(struct keyset *ks, int dirfd, const char *name)
{
	enum brain_status status;
	char *buf;
	size_t len;

	keyset_init(ks);
	status = file_read_all(dirfd, name, MAX_FILE, &buf, &len);
	if (status == BRAIN_NO)
		return BRAIN_OK;
	if (status)
		return status;
	return keyset_adopt(ks, buf, len, name);
}

int keyset_write(const struct keyset *ks, FILE *fp)
{
	size_t len;
	unsigned char *buf = keyset_serialize(ks, &len);

	fwrite(buf, 1, len, fp);
	free(buf);
	return ferror(fp) ? -1 : 0;
}
