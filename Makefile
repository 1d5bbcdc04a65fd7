# Makefile: build, test and benchmark rvalid. Hand-written; ./configure writes config.mk.
#
#   make            build $(O)/rvalid (O defaults to build)
#   make demo       build, then run rvalid on the bundled example
#   make check      the whole gate: -Werror build, unit + CLI + conformance tests,
#                   the same tests under ASan+UBSan, a short fuzz run, check-browser
#   make check-browser  HTML reports in headless Chromium at 390 and 1280 px
#   make check-s3   the S3 tests against real servers on 127.0.0.1 (part of check-pass)
#   make fuzz       run each libFuzzer target for FUZZ_SECONDS (clang)
#   make lint       grep for functions the house style avoids; check the formatting
#   make format     clang-format every source file in place
#   make install    PREFIX=/usr/local DESTDIR=

-include config.mk

O ?= build
PREFIX ?= /usr/local
DESTDIR ?=
FUZZ_SECONDS ?= 60
PYTHON ?= python3

SRC := $(shell find src -name '*.c' | LC_ALL=C sort)
LIB_SRC := $(filter-out src/main.c,$(SRC))
OBJ := $(SRC:%.c=$(O)/%.o)
LIB_OBJ := $(LIB_SRC:%.c=$(O)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
        -Wno-unused-parameter
ifeq ($(WERROR),yes)
WARN += -Werror
endif
OPT := -O2
ifneq ($(SANITIZE),)
OPT := -O1 -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
ALL_CPPFLAGS := -D_GNU_SOURCE -DRVALID_VERSION=\"$(VERSION)\" -I. -Isrc $(CPPFLAGS_CONF) $(CPPFLAGS)
ALL_CFLAGS := -std=c11 -g $(OPT) -pthread $(WARN) $(CFLAGS)
ALL_LDFLAGS := -pthread $(LDFLAGS_CONF) $(LDFLAGS) $(if $(SANITIZE),-fsanitize=$(SANITIZE))
LIBS := $(LIBS_CONF) -lm

.PHONY: all demo bench check check-docs check-unit check-cli check-conformance check-s3 check-pass check-man check-asan check-fuzz fuzz lint format \
        check-browser \
        format format-check install clean distclean deps check-tsan

all: $(O)/rvalid

deps:
	@sh scripts/deps.sh

configure: configure.ac
	@sh scripts/deps.sh
	autoconf

config.mk: configure config.mk.in
	@sh scripts/deps.sh
	./configure -q

$(O)/rvalid: $(OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $(OBJ) $(LIBS)

$(O)/%.o: %.c config.mk
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(LIB_OBJ) $(ALL_LDFLAGS) $(LIBS) -lcmocka

-include $(OBJ:.o=.d)

# The bundled example has failing records on purpose: exit 1 is the expected verdict.
demo: deps all
	@echo '$$ rvalid check rules/users.yaml rules/users.py'
	@$(O)/rvalid check rules/users.yaml rules/users.py
	@echo '$$ rvalid validate -r rules/users.yaml examples/users.csv'
	@$(O)/rvalid validate -r rules/users.yaml examples/users.csv; \
	  s=$$?; [ $$s -eq 1 ] && echo "(exit 1: the example fails on purpose)" || \
	  { echo "demo: expected exit 1, got $$s"; exit 1; }

# One pass of the tests over the build in $(O).
check-unit: $(UNIT_BIN)
	@$(PYTHON) tests/run_unit.py $(UNIT_BIN)

check-cli: $(O)/rvalid
	@$(PYTHON) tests/cli/run.py --rvalid $(O)/rvalid tests/cli/*.t

check-conformance: $(O)/rvalid
	@$(PYTHON) tests/conformance/run.py --rvalid $(O)/rvalid

# S3: a signature-checking server (@20minutes/s3rver, npm-installed into build/s3rver when
# missing), the suite's own fault and credential servers, TLS and a proxy (tests/s3/run.py).
check-s3: $(O)/rvalid
	@$(PYTHON) tests/s3/run.py --rvalid $(O)/rvalid --build build $(if $(SANITIZE),--sanitized)

check-pass: check-unit check-cli check-docs check-conformance check-s3

# Every command the README and the man pages show, with the output they show.
check-docs: $(O)/rvalid
	@$(PYTHON) tests/docs_check.py --rvalid $(O)/rvalid

check-man:
	@for m in man/*.[0-9]; do \
	  out=$$(groff -man -ww -z $$m 2>&1); \
	  [ -z "$$out" ] || { echo "$$m:"; echo "$$out"; exit 1; }; \
	done; echo 'man: clean'

check: deps
	$(MAKE) O=build/check WERROR=yes SANITIZE= check-pass
	$(MAKE) O=build/asan WERROR=yes SANITIZE=address,undefined check-pass
	$(MAKE) check-tsan
	$(MAKE) check-fuzz FUZZ_SECONDS=5
	$(MAKE) lint check-man
	$(MAKE) O=build/check check-browser
	@echo 'make check: every pass succeeded'

# Real HTML reports rendered in headless Chromium (Debian `chromium`, installed by
# scripts/deps-browser.sh when missing) at 390 and 1280 px: no horizontal overflow, the verdict
# visible without scrolling, nothing fetched, no script error; screenshots kept in build/browser.
check-browser: $(O)/rvalid
	@sh scripts/deps-browser.sh
	@$(PYTHON) tests/browser/check.py --rvalid $(O)/rvalid --out build/browser

# The pool and the engine under ThreadSanitizer (it cannot be combined with ASan, hence its own
# build): the pool's tests, and runs that repair chunks and spill (tests/tsan_engine.sh).
check-tsan:
	$(MAKE) O=build/tsan SANITIZE=thread WERROR=yes build/tsan/tests/test_pool build/tsan/rvalid
	build/tsan/tests/test_pool
	@sh tests/tsan_engine.sh build/tsan/rvalid

# libFuzzer targets, built with clang against the library sources.
FUZZ_CFLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -D_GNU_SOURCE -DRVALID_VERSION=\"$(VERSION)\" -I. -Isrc -pthread
fuzz check-fuzz: config.mk
	@mkdir -p build/fuzz
	@for f in $(FUZZ_SRC); do \
	  t=build/fuzz/$$(basename $$f .c); \
	  clang $(FUZZ_CFLAGS) -o $$t $$f $(LIB_SRC) $(LIBS) || exit 1; \
	  c=tests/fuzz/corpus/$$(basename $$f .c | sed 's/^fuzz_//'); \
	  mkdir -p build/fuzz/work-$$(basename $$t); \
	  echo "fuzz: $$t for $(FUZZ_SECONDS)s"; \
	  $$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 -print_final_stats=0 \
	      build/fuzz/work-$$(basename $$t) $$c >build/fuzz/$$(basename $$t).log 2>&1 \
	    || { tail -40 build/fuzz/$$(basename $$t).log; exit 1; }; \
	done

# The benchmark (not a test): rows/s, MB/s and peak RSS on generated data.
bench: deps $(O)/rvalid
	@$(PYTHON) bench/bench.py --rvalid $(O)/rvalid

lint: format-check
	@! grep -nE '\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|atof|gets)[[:space:]]*\(' \
	    $(SRC) $(wildcard src/*.h src/*/*.h) || { echo 'lint: use the bounded forms'; exit 1; }
	@echo 'lint: clean'

# The sources (not the tests, whose tables are laid out by hand) follow .clang-format.
format:
	clang-format -i $(SRC) $(wildcard src/*.h src/*/*.h)

format-check:
	@clang-format --dry-run -Werror $(SRC) $(wildcard src/*.h src/*/*.h) || \
	    { echo 'format-check: run make format'; exit 1; }

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 755 $(O)/rvalid $(DESTDIR)$(PREFIX)/bin/rvalid
	install -m 644 man/rvalid.1 $(DESTDIR)$(PREFIX)/share/man/man1/rvalid.1
	install -m 644 man/rvalid-rules.5 $(DESTDIR)$(PREFIX)/share/man/man5/rvalid-rules.5
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 644 completions/rvalid.bash \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/rvalid
	install -m 644 completions/_rvalid $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_rvalid

clean:
	rm -rf build

distclean: clean
	rm -rf config.mk config.h config.log config.status configure autom4te.cache
