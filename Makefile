# pingji — plain Makefile. `make run` starts the demo server, `make check` runs every test.
# Variants: build/rel (gcc -O2), build/san (clang ASan+UBSan; also the corpus replays), build/fuzz (clang libFuzzer, `make fuzz`).

PKGS      := libevent jansson sqlite3 libsodium minizip zlib expat xlsxwriter
VERSION   := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter -Wno-missing-field-initializers
CPPFLAGS  := -Iinclude -Isrc -Itests -D_GNU_SOURCE -DPJ_VERSION='"$(VERSION)"'
STD       := -std=c11
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lglpk -lm -lpthread
TEST_LIBS  = $(shell pkg-config --libs libcurl 2>/dev/null)

LIB_SRC   := $(shell find src -name '*.c' ! -name main.c | sort)
TEST_SRC  := $(shell find tests -name '*.c' | sort)
FUZZ_SRC  := $(wildcard fuzz/fuzz_*.c)
BENCH_SRC := $(wildcard bench/*.c)

# Per-variant settings
rel_CC     := gcc
rel_CFLAGS := -O2 -g $(STD) $(WARN)
san_CC     := clang
san_CFLAGS := -O1 -g $(STD) $(WARN) -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
san_LDFLAGS:= -fsanitize=address,undefined

define variant
$(1)_OBJ  := $$(patsubst %.c,build/$(1)/%.o,$$(LIB_SRC))
$(1)_TOBJ := $$(patsubst %.c,build/$(1)/%.o,$$(TEST_SRC))
build/$(1)/%.o: %.c | $(2)
	@mkdir -p $$(dir $$@)
	$$($(1)_CC) $$($(1)_CFLAGS) $$(CPPFLAGS) $$(PKG_CFLAGS) -MMD -MP -c $$< -o $$@
build/$(1)/libpingji.a: $$($(1)_OBJ)
	@rm -f $$@
	ar rcs $$@ $$^
build/$(1)/pingji: build/$(1)/src/main.o build/$(1)/libpingji.a
	$$($(1)_CC) $$($(1)_LDFLAGS) -o $$@ $$^ $$(PKG_LIBS)
build/$(1)/pingji-tests: $$($(1)_TOBJ) build/$(1)/libpingji.a
	$$($(1)_CC) $$($(1)_LDFLAGS) -o $$@ $$^ $$(PKG_LIBS) $$(TEST_LIBS)
-include $$($(1)_OBJ:.o=.d) $$($(1)_TOBJ:.o=.d)
endef
# The second argument: what installs the variant's compiler and libraries (order-only, so `make -j`
# compiles nothing before they are there).
$(eval $(call variant,rel,deps))
$(eval $(call variant,san,deps-test))

.PHONY: all deps deps-test run check test test-san fuzz-replay fuzz bench bench-table format format-check clean web e2e
all: deps build/rel/pingji web

deps:
	@scripts/deps.sh build
deps-test:
	@scripts/deps.sh test

# A variant is built by a sub-make on every core unless the caller chose (make -jN): `make check`
# run plainly (as CI does) compiled its three variants one file at a time, about 50 s more for
# the release build alone on two cores. The stages themselves stay in order.
PAR = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(shell nproc 2>/dev/null || echo 1))

DB ?= data/pingji.db
PORT ?= 8080
run: deps
	@$(MAKE) --no-print-directory $(PAR) build/rel/pingji
	@$(MAKE) --no-print-directory web
	@mkdir -p $(dir $(DB))
	build/rel/pingji serve --db $(DB) --port $(PORT) --demo-if-new

# Every test: unit + API + crash tests (release build), the same suite under ASan+UBSan,
# the fuzz corpora replayed, the formatting check and the console's browser tests.
check: test test-san fuzz-replay format-check e2e
	@echo "check: all stages passed"

# The web console (web/, Vite + Vue): built into web/dist, which `serve` serves at /.
web:
	@scripts/web.sh build

# End-to-end tests of the console in Debian's Chromium against a real server.
e2e: build/rel/pingji
	@scripts/web.sh e2e

test:
	@scripts/deps.sh test
	$(MAKE) --no-print-directory $(PAR) build/rel/pingji build/rel/pingji-tests
	PJ_BIN=build/rel/pingji build/rel/pingji-tests

# A freed block stays poisoned (a use after free caught) until 32 MiB more have been freed after
# it, not ASan's default 256 MiB: a test's process is short, and the fresh pages the larger
# quarantine touches cost the suite about a fifth of its time (docs/BENCHMARKS.md).
test-san:
	@scripts/deps.sh test
	$(MAKE) --no-print-directory $(PAR) build/san/pingji build/san/pingji-tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:quarantine_size_mb=32 UBSAN_OPTIONS=print_stacktrace=1 \
	  PJ_BIN=build/san/pingji PJ_SANITIZED=1 build/san/pingji-tests

# libFuzzer targets: each links the library built with -fsanitize=fuzzer-no-link.
FUZZ_CFLAGS := -O1 -g $(STD) $(WARN) -fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer
FUZZ_OBJ := $(patsubst %.c,build/fuzz/%.o,$(LIB_SRC))
build/fuzz/%.o: %.c | deps-test
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@
build/fuzz/libpingji.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^
build/fuzz/fuzz_%: fuzz/fuzz_%.c build/fuzz/libpingji.a
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $(CPPFLAGS) $(PKG_CFLAGS) -o $@ $^ $(PKG_LIBS)
FUZZ_BINS := $(patsubst fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))

# The corpora replayed under ASan+UBSan by fuzz/replay.c (each input once, as libFuzzer's
# -runs=0) linked with the sanitizer build's library, which test-san has built: no third build of
# the library with the fuzzer's coverage for a replay (`make fuzz` builds that, to fuzz).
REPLAY_BINS := $(patsubst fuzz/%.c,build/san/fuzz/%,$(FUZZ_SRC))
build/san/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/replay.c build/san/libpingji.a
	@mkdir -p $(dir $@)
	clang $(san_CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS) $(san_LDFLAGS) -o $@ $^ $(PKG_LIBS)

fuzz-replay:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory $(PAR) $(REPLAY_BINS)
	@for f in $(REPLAY_BINS); do n=$$(basename $$f); \
	  echo "replay $$n: $$(ls fuzz/corpus/$$n | wc -l) inputs"; \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    $$f fuzz/corpus/$$n >/dev/null 2>build/san/fuzz/$$n.log || { cat build/san/fuzz/$$n.log; exit 1; }; done

FUZZ_SECONDS ?= 60
fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do n=$$(basename $$f); mkdir -p build/fuzz/new-$$n; \
	  $$f -max_total_time=$(FUZZ_SECONDS) build/fuzz/new-$$n fuzz/corpus/$$n; done

# BENCH_ONLY=report (only /health while a report runs, scripts/bench_report.sh) needs no
# benchmark program: none is built then.
bench:
	@scripts/deps.sh bench
	$(MAKE) --no-print-directory build/rel/pingji $(if $(filter report,$(BENCH_ONLY)),,$(patsubst bench/%.c,build/rel/bench/%,$(BENCH_SRC)))
	scripts/bench.sh

# The console's ARIA table roles per change of the rows, on the stock page with 20,000 lines, in
# Chromium, against the walk of every row they replaced (bench/table_roles.mjs; a few minutes;
# BENCH_QUICK=1: two runs). Not part of `make bench`.
bench-table: build/rel/pingji
	@scripts/web.sh table-bench

build/rel/bench/%: bench/%.c build/rel/libpingji.a
	@mkdir -p $(dir $@)
	gcc $(rel_CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS) -o $@ $^ $(PKG_LIBS) $(shell pkg-config --libs cbc 2>/dev/null)

FMT_FILES = $(shell find src include tests fuzz bench -name '*.[ch]' 2>/dev/null)
format:
	clang-format -i $(FMT_FILES)
format-check:
	@clang-format --dry-run --Werror $(FMT_FILES) && echo "format-check: ok"

clean:
	rm -rf build
