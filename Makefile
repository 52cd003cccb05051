# brain - the only build.  See README.md; `make check` runs every test layer.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
# The programs look for their data in ../share/brain beside BINDIR.
DATADIR ?= $(PREFIX)/share/brain
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS = libcjson gsl libcrypto

WARNINGS = -Wall -Wextra -Wpedantic -Wformat=2 -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla -Wwrite-strings
CFLAGS ?= -O3 -g
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 $(WARNINGS) \
	$(CFLAGS) -Ilib
ifeq ($(DEVELOPER),1)
ALL_CFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
ALL_LDFLAGS += -fsanitize=$(SANITIZE)
endif

# pkg-config is asked only when building, so `make clean` and
# `make deps` work before the libraries are installed.
DEP_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
DEP_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

LIB_SRC = $(wildcard lib/*.c lib/pure/*.c lib/core/*.c lib/cmd/*.c)
LIB_HDR = $(wildcard lib/*.h lib/pure/*.h lib/core/*.h lib/cmd/*.h)
LIB_OBJ = $(LIB_SRC:lib/%.c=build/lib/%.o)
CMD_SRC = $(wildcard cmd/*.c)
PROGRAMS = $(CMD_SRC:cmd/%.c=bin/%)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=build/tests/%)
MANPAGES = $(wildcard man/*.1 man/*.5 man/*.7)
FUZZ_TARGETS = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY = $(FUZZ_TARGETS:%=build/fuzz/replay-%)

# Keep the objects of the programs: make would otherwise delete them as
# intermediates, and print that after the test summary.
.SECONDARY:

.PHONY: all deps check check-unit check-cli check-docs check-examples check-scenario \
	check-layers check-fuzz fuzz demo install uninstall clean

all: $(PROGRAMS)

deps:
	@scripts/install-deps.sh

build/lib/%.o: lib/%.c $(LIB_HDR) Makefile
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEP_CFLAGS) -c -o $@ $<

build/libbrain.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

build/cmd/%.o: cmd/%.c $(LIB_HDR) Makefile
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEP_CFLAGS) -c -o $@ $<

bin/%: build/cmd/%.o build/libbrain.a
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $(LDFLAGS) -o $@ $< build/libbrain.a $(DEP_LIBS)

# Unit tests link against the library we ship, not against its sources.
build/tests/%: tests/unit/%.c tests/unit/unit.h tests/unit/unit_state.h build/libbrain.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEP_CFLAGS) $(CHECK_CFLAGS) -Itests/unit -o $@ $< \
		build/libbrain.a $(ALL_LDFLAGS) $(LDFLAGS) $(CHECK_LIBS) $(DEP_LIBS)

# Each fuzz target, linked with replay.c instead of libFuzzer: make check
# runs it over its seeds (tests/fuzz/run).
build/fuzz/replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h build/libbrain.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEP_CFLAGS) -Itests/fuzz -o $@ $< tests/fuzz/replay.c \
		build/libbrain.a $(ALL_LDFLAGS) $(LDFLAGS) $(DEP_LIBS)

# `make fuzz`: every target under libFuzzer for FUZZ_SECONDS each (60),
# built with clang and the address and undefined-behaviour sanitizers;
# new inputs go to build/fuzz/corpus/NAME, the seeds stay as they are.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -std=c11 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 -O1 -g -Ilib -Itests/fuzz \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_LIB_OBJ = $(LIB_SRC:lib/%.c=build/fuzz/lib/%.o)

build/fuzz/lib/%.o: lib/%.c $(LIB_HDR) Makefile
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(DEP_CFLAGS) -c -o $@ $<

build/fuzz/libfuzz-%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $(DEP_CFLAGS) -o $@ $< $(FUZZ_LIB_OBJ) $(DEP_LIBS)

fuzz: $(FUZZ_TARGETS:%=build/fuzz/libfuzz-%)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p build/fuzz/corpus/$$t; \
		extra=; [ $$t = json ] && extra="tests/json/accept tests/json/reject"; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		build/fuzz/libfuzz-$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=0 \
			-artifact_prefix=build/fuzz/$$t- build/fuzz/corpus/$$t \
			tests/fuzz/corpus/$$t $$extra 2> build/fuzz/$$t.log || \
			{ tail -n 40 build/fuzz/$$t.log; echo "fuzz: $$t: a finding, kept as build/fuzz/$$t-*"; exit 1; }; \
		tail -n 1 build/fuzz/$$t.log; \
	done

RESULTS = build/results
LAYERS = unit cli scenario examples docs layers fuzz

# `check` installs what is missing first, then builds with a fresh
# make (so pkg-config sees the new libraries) and runs every layer; the
# last line of the run is the total of passed and failed tests.  The
# layers are independent (each case has its own temporary directory), so
# `make -j2 check` runs them side by side; each writes its own log, and
# the logs are printed in order once all have run.
check:
	@scripts/install-deps.sh
	@$(MAKE) --no-print-directory check-run

.PHONY: check-run results-dir $(LAYERS:%=run-%)
check-run: $(LAYERS:%=run-%)
	@status=0; \
	for layer in $(LAYERS); do cat $(RESULTS)/$$layer.log; \
		[ -f $(RESULTS)/$$layer.failed ] && status=1; done; \
	tests/summary $(RESULTS) || status=1; \
	exit $$status

results-dir:
	@rm -rf $(RESULTS) && mkdir -p $(RESULTS)

# run_layer LAYER COMMAND: run it with RESULTS_DIR set, its output to
# LAYER.log; a failure is marked, not fatal, so every layer runs.
run_layer = RESULTS_DIR=$(RESULTS) $(2) > $(RESULTS)/$(1).log 2>&1 || : > $(RESULTS)/$(1).failed

run-unit: all $(UNIT_BIN) | results-dir
	@$(call run_layer,unit,tests/unit/run $(UNIT_BIN))
run-cli: all | results-dir
	@$(call run_layer,cli,tests/cli/run -q)
run-scenario: all | results-dir
	@$(call run_layer,scenario,tests/scenario/run)
run-examples: all | results-dir
	@$(call run_layer,examples,tests/examples/run)
run-docs: all | results-dir
	@$(call run_layer,docs,tests/docs/check)
run-fuzz: $(FUZZ_REPLAY) | results-dir
	@$(call run_layer,fuzz,tests/fuzz/run)
run-layers: | results-dir
	@$(call run_layer,layers,sh -c 'tests/layers/check; a=$$?; tests/layers/function-length; b=$$?; tests/layers/selftest && [ $$a = 0 ] && [ $$b = 0 ]')

# One layer, or one test of it (see README, "Building"):
#   make check-unit UNIT=stats [CK_RUN_CASE=...]   one Check suite (or case)
#   make check-cli CASE=brain-ab/held-lock-exits-5 one golden case (or program)
#   make check-scenario SCENARIO=ab-shards         one scenario script
check-unit: all $(UNIT_BIN)
	@tests/unit/run $(if $(UNIT),build/tests/test_$(UNIT),$(UNIT_BIN))

check-cli: all
	@tests/cli/run $(CASE)

check-docs: all
	@tests/docs/check

check-examples: all
	@tests/examples/run

check-scenario: all
	@tests/scenario/run $(if $(SCENARIO),tests/scenario/$(SCENARIO).sh)

check-fuzz: $(FUZZ_REPLAY)
	@tests/fuzz/run

check-layers:
	@tests/layers/check && tests/layers/function-length && tests/layers/selftest

demo:
	@scripts/install-deps.sh
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DATADIR)
	install -m 0644 data/contact-windows.json $(DESTDIR)$(DATADIR)/
	for p in $(PROGRAMS); do install -m 0755 $$p $(DESTDIR)$(BINDIR)/; done
	for m in $(filter %.1,$(MANPAGES)); do install -m 0644 $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in $(filter %.5,$(MANPAGES)); do install -m 0644 $$m $(DESTDIR)$(MANDIR)/man5/; done
	for m in $(filter %.7,$(MANPAGES)); do install -m 0644 $$m $(DESTDIR)$(MANDIR)/man7/; done

uninstall:
	for p in $(PROGRAMS); do rm -f $(DESTDIR)$(BINDIR)/$${p#bin/}; done
	for m in $(MANPAGES); do \
		s=$${m##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${m#man/}; done
	rm -f $(DESTDIR)$(DATADIR)/contact-windows.json

clean:
	rm -rf bin build
