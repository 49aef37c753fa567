# drip — a plain Makefile (STYLE 15).
#   make              build build/drip
#   make check        all tests (installs missing build dependencies first)
#   make demo         drip's main job on the bundled profiles
#   make bench        the benchmark (BENCHMARKS.md)
#   make browser-test drip flame's SVG and drip report's pages in headless Chromium (installs chromium)
#   make check SANITIZE=address,undefined   sanitizer build in build-san/
#   make check VALGRIND=1                   tests under valgrind
#   make fuzz FUZZ_TIME=60                  libFuzzer targets, each run FUZZ_TIME s
#   make install PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man/man1
CC      ?= cc
PKG_CONFIG ?= pkg-config

ifdef SANITIZE
O ?= build-san
SANFLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
else
O ?= build
SANFLAGS =
endif

PKGS       = libprotobuf-c zlib libdeflate libcurl libgvc
TEST_PKGS  = check
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS  := $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)

WARNINGS = -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
	   -Wpointer-arith -Wformat=2 -Wno-format-nonliteral -Wvla
ifdef DEVELOPER
WARNINGS += -Werror
endif
OPT     ?= -O2 -g
CFLAGS  ?= $(OPT)
# The engine (src/lib) is compiled with src/lib as its only include path,
# so an engine file that includes a CLI header (src/cli) does not compile;
# the CLI, the tests, the fuzzers and the benchmark tools see the engine.
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARNINGS) $(CFLAGS) $(SANFLAGS) \
	     -I$(O)/gen -Isrc/lib $(PKG_CFLAGS) -DGV_PLUGIN_DIR='"$(GV_PLUGIN_DIR)"' -MMD -MP
CLI_CFLAGS = $(ALL_CFLAGS) -Isrc/cli
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)
# graphviz's dot layout and core (SVG) plugins are linked in (render_svg.c
# registers them with gvContextPlugins); they live in graphviz's plugin
# folder, hence the rpath.
GV_PLUGIN_DIR := $(shell $(PKG_CONFIG) --variable=libdir libgvc 2>/dev/null)/graphviz
GV_LIBS = -L$(GV_PLUGIN_DIR) -Wl,-rpath,$(GV_PLUGIN_DIR) -lgvplugin_dot_layout -lgvplugin_core -ldl
LIBS = $(PKG_LIBS) $(GV_LIBS) -lm

LIB_SRCS = $(wildcard src/lib/*.c)
LIB_OBJS = $(patsubst src/lib/%.c,$(O)/obj/lib/%.o,$(LIB_SRCS)) $(O)/obj/profile.pb-c.o
CLI_SRCS = $(wildcard src/cli/*.c)
CLI_OBJS = $(patsubst src/cli/%.c,$(O)/obj/cli/%.o,$(CLI_SRCS))
UNIT_SRCS = $(wildcard tests/unit/*.c)
UNIT_BIN = $(O)/unit-tests

.PHONY: all check unit cli conformance live bad demo bench deps install uninstall clean fuzz fuzz-build browser-test
all: $(O)/drip

$(O)/gen/profile.pb-c.c $(O)/gen/profile.pb-c.h: proto/profile.proto
	@mkdir -p $(O)/gen
	protoc-c --proto_path=proto --c_out=$(O)/gen proto/profile.proto

$(O)/obj/profile.pb-c.o: $(O)/gen/profile.pb-c.c
	@mkdir -p $(O)/obj
	$(CC) -std=c11 $(CFLAGS) $(SANFLAGS) -I$(O)/gen $(PKG_CFLAGS) -c -o $@ $<

# The HTML report's stylesheet and script (src/lib/html/) become C
# strings in a generated header; report_html.c inlines them in the page.
HTML_ASSETS = src/lib/html/report.css src/lib/html/report.js
$(O)/gen/html_assets.h: $(HTML_ASSETS) src/lib/html/embed.sh
	@mkdir -p $(O)/gen
	sh src/lib/html/embed.sh $(HTML_ASSETS) > $@.tmp && mv $@.tmp $@

$(O)/obj/lib/report_html.o: $(O)/gen/html_assets.h

$(O)/obj/lib/%.o: src/lib/%.c $(O)/gen/profile.pb-c.h
	@mkdir -p $(O)/obj/lib
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/obj/cli/%.o: src/cli/%.c $(O)/gen/profile.pb-c.h
	@mkdir -p $(O)/obj/cli
	$(CC) $(CLI_CFLAGS) -c -o $@ $<

$(O)/libdrip.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(O)/libdripcli.a: $(filter-out $(O)/obj/cli/main.o,$(CLI_OBJS))
	rm -f $@
	ar rcs $@ $^

$(O)/drip: $(O)/obj/cli/main.o $(O)/libdripcli.a $(O)/libdrip.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# The unit tests see both layers: engine modules and the CLI's own
# modules (output, options), linked from libdripcli.a.
$(O)/obj/tests/%.o: tests/unit/%.c $(O)/gen/profile.pb-c.h
	@mkdir -p $(O)/obj/tests
	$(CC) $(CLI_CFLAGS) $(TEST_CFLAGS) -c -o $@ $<

# suites.h lists every `Suite *suite_NAME(void)` in tests/unit, so a new
# suite file needs no edit elsewhere.
$(O)/gen/suites.h: $(UNIT_SRCS)
	@mkdir -p $(O)/gen
	@{ printf '#define DRIP_SUITES'; for n in $$(sed -n 's/^Suite \*suite_\([a-z0-9_]*\)(void)$$/\1/p' $(UNIT_SRCS) | sort -u); do \
		printf ' X(%s)' $$n; done; printf '\n'; \
	  for n in $$(sed -n 's/^Suite \*suite_\([a-z0-9_]*\)(void)$$/\1/p' $(UNIT_SRCS) | sort -u); do printf 'Suite *suite_%s(void);\n' $$n; done; } > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

$(O)/obj/tests/test_main.o: $(O)/gen/suites.h

$(UNIT_BIN): $(patsubst tests/unit/%.c,$(O)/obj/tests/%.o,$(UNIT_SRCS)) $(O)/libdripcli.a $(O)/libdrip.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(TEST_LIBS) $(LIBS)

# The benchmark's synthetic profile generator (uses drip's encoder).
$(O)/drip-synth: bench/synth.c $(O)/libdrip.a $(O)/gen/profile.pb-c.h
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ bench/synth.c $(O)/libdrip.a $(LIBS)

$(O)/runstat: bench/runstat.c
	@mkdir -p $(O)
	$(CC) -std=c11 -D_DEFAULT_SOURCE $(WARNINGS) $(CFLAGS) -o $@ bench/runstat.c

deps:
	@sh tests/install-deps.sh $(if $(VALGRIND),valgrind)

# `make check` is the README's test command: dependencies, build, then the
# three layers (Check unit suites, golden CLI tests, pprof conformance).
check: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN)
	@$(MAKE) --no-print-directory cli
	@$(MAKE) --no-print-directory conformance
	@$(MAKE) --no-print-directory live
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory bad

unit: $(UNIT_BIN)
ifdef VALGRIND
	CK_FORK=no valgrind -q --error-exitcode=99 --leak-check=full $(UNIT_BIN)
else
	$(UNIT_BIN)
endif

cli: $(O)/drip
	@DRIP=$(O)/drip VALGRIND=$(VALGRIND) sh tests/cli/run.sh

live: $(O)/drip $(O)/drip-synth
	@DRIP=$(O)/drip SYNTH=$(O)/drip-synth VALGRIND=$(VALGRIND) sh tests/live/run.sh

# Two suites: pprof's own test cases (../shared/pprof-testdata), and
# goldens made with go tool pprof (Go 1.19) on drip's testdata profiles;
# the second skips -tags, whose layout changed after Go 1.19's pprof;
# the third: Go 1.27's go tool pprof -top on the Go 1.27 profiles.
conformance: $(O)/drip
	@DRIP=$(O)/drip VALGRIND=$(VALGRIND) sh tests/conformance.sh
	@DRIP=$(O)/drip VALGRIND=$(VALGRIND) STRICT_KINDS="top traces tree peek" \
		sh tests/conformance.sh testdata/expected/cases.tsv testdata pprof-goldens
	@DRIP=$(O)/drip VALGRIND=$(VALGRIND) STRICT_KINDS="top" TIME_FORMAT_GO127=1 \
		sh tests/conformance.sh testdata/go127/expected/cases.tsv testdata/go127 go127-pprof-goldens

bad: $(O)/drip
	@DRIP=$(O)/drip VALGRIND=$(VALGRIND) SANITIZE=$(SANITIZE) sh tests/bad/run.sh

# Fuzzing (clang's libFuzzer, with ASan and UBSan): one binary per input
# parser in build-fuzz/, each run for FUZZ_TIME seconds on the seed corpus
# (fuzz/corpus/TARGET, fuzz/regress/TARGET and testdata/).
FUZZ_TIME ?= 60
FUZZ_TARGETS = gzip pprof load heap_text goroutine1 goroutine2 merge rules rx
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_MAKE = $(MAKE) --no-print-directory O=build-fuzz CC=clang OPT='-O1 -g' \
	SANFLAGS='-fsanitize=fuzzer-no-link $(FUZZ_SAN)' SANITIZE=

fuzz:
	@sh tests/install-deps.sh fuzz
	@$(FUZZ_MAKE) fuzz-build
	@FUZZ_TIME=$(FUZZ_TIME) sh fuzz/run.sh $(FUZZ_TARGETS)

fuzz-build: $(patsubst %,$(O)/fuzz-%,$(FUZZ_TARGETS))

$(O)/fuzz-heap_text: TEXT_KIND = TEXTPROF_HEAP
$(O)/fuzz-goroutine1: TEXT_KIND = TEXTPROF_GOROUTINE1
$(O)/fuzz-goroutine2: TEXT_KIND = TEXTPROF_GOROUTINE2
$(O)/fuzz-heap_text $(O)/fuzz-goroutine1 $(O)/fuzz-goroutine2: fuzz/fuzz_text.c fuzz/fuzz_common.h $(O)/libdrip.a
	$(CC) $(ALL_CFLAGS) -DTEXT_KIND=$(TEXT_KIND) -fsanitize=fuzzer -o $@ $< $(O)/libdrip.a $(LIBS)

$(O)/fuzz-%: fuzz/fuzz_%.c fuzz/fuzz_common.h $(O)/libdrip.a
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(O)/libdrip.a $(LIBS)

demo: deps
	@$(MAKE) --no-print-directory all
	@DRIP=$(O)/drip sh tests/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all $(O)/drip-synth $(O)/runstat
	@DRIP=$(O)/drip SYNTH=$(O)/drip-synth O=$(O) sh bench/bench.sh

# Not part of `make check`: it needs chromium (installed on demand, ~100 MB).
browser-test: deps
	@$(MAKE) --no-print-directory all
	@DRIP=$(O)/drip OUT=$(O)/browser-test sh tests/browser/run.sh

# Shell completion (src/cli/completion/) goes where bash-completion, zsh
# and fish look for it under PREFIX.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

install: $(O)/drip
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 $(O)/drip $(DESTDIR)$(BINDIR)/drip
	install -m 644 man/drip.1 $(DESTDIR)$(MANDIR)/drip.1
	install -m 644 src/cli/completion/drip.bash $(DESTDIR)$(BASHCOMPDIR)/drip
	install -m 644 src/cli/completion/_drip $(DESTDIR)$(ZSHCOMPDIR)/_drip
	install -m 644 src/cli/completion/drip.fish $(DESTDIR)$(FISHCOMPDIR)/drip.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/drip $(DESTDIR)$(MANDIR)/drip.1 $(DESTDIR)$(BASHCOMPDIR)/drip \
		$(DESTDIR)$(ZSHCOMPDIR)/_drip $(DESTDIR)$(FISHCOMPDIR)/drip.fish

clean:
	rm -rf build build-san build-fuzz

-include $(wildcard $(O)/obj/lib/*.d $(O)/obj/cli/*.d $(O)/obj/tests/*.d)
