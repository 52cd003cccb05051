/*
 * fuzz.h - what the fuzz targets share.  Each target is one file
 * tests/fuzz/fuzz_NAME.c defining LLVMFuzzerTestOneInput; `make fuzz`
 * links it with libFuzzer (clang -fsanitize=fuzzer,address,undefined)
 * and `make check` with replay.c, which runs every seed of
 * tests/fuzz/corpus/NAME once.  A target aborts on a broken property;
 * bad input is not a finding.
 */
#ifndef BRAIN_FUZZ_H
#define BRAIN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Diagnostics of refused input go nowhere. */
static inline void fuzz_quiet(void)
{
	static int done;

	if (!done) {
		diag_init("fuzz");
		diag_set_stream(fopen("/dev/null", "w"));
		done = 1;
	}
}

/* A broken property: say which, then abort so the fuzzer keeps the input. */
#define FUZZ_ASSERT(cond)                                                       \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "%s:%d: property broken: %s\n", __FILE__, \
				__LINE__, #cond);                               \
			abort();                                                \
		}                                                               \
	} while (0)

/* Call fn on each line of data (without its LF), numbered from 1. */
static inline void fuzz_lines(const uint8_t *data, size_t size,
			      void (*fn)(const char *line, size_t len, long number, void *arg),
			      void *arg)
{
	const char *p = (const char *)data, *end = p + size;
	long number = 1;

	while (p < end) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		size_t len = lf ? (size_t)(lf - p) : (size_t)(end - p);

		fn(p, len, number++, arg);
		p += len + (lf != NULL);
	}
}

#endif
