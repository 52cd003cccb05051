/* Run a fuzz target once on each file given (a seed of its corpus), as
 * `make check` does without libFuzzer: the targets stay built, and every
 * seed, each a past or a typical input, stays a regression test. */
#include <errno.h>
#include <string.h>

#include "fuzz.h"

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		uint8_t *data = NULL;
		size_t size = 0, cap = 0, n;

		if (!fp) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		do {
			if (size == cap)
				data = xrealloc(data, cap = cap ? 2 * cap : 4096);
			n = fread(data + size, 1, cap - size, fp);
			size += n;
		} while (n > 0);
		fclose(fp);
		LLVMFuzzerTestOneInput(data, size);
		free(data);
	}
	return 0;
}
