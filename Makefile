# tongban / tongband build.  GNU make; every library through pkg-config.
#
#   make            build build/tongban, build/tongband and build/tongban-pdf
#   make check      build and run every test (unit, integration, e2e; the server's
#                   suites on SQLite and again on a private PostgreSQL cluster)
#   make run        start a local tongband and open the tongban TUI (data in ./run/)
#   make install    PREFIX=/usr/local DESTDIR= (UNITDIR= for the systemd unit)
#   make deb        the Debian packages tongban and tongband, in build/deb/
#   make bench      benchmarks: print figures (speed, memory)
#   make crash      kill -9 tests at full length: print the figures
#   make fuzz       libFuzzer over every parser of outside input (clang)
#   make SANITIZE=1 check   the same suite under ASan + UBSan (objects in build-san/)
#   make check-clang  build with clang (warnings are errors), run the unit tests
#   make cross-arm64  cross-build tongban, tongband and the unit tests for arm64,
#                     run the unit tests under qemu-user (objects in build-arm64/)
#   make check-musl   src/core and its unit tests against musl (build-musl/)

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
SBINDIR   ?= $(PREFIX)/sbin
LIBEXECDIR ?= $(PREFIX)/libexec/tongban
DATADIR   ?= $(PREFIX)/share/tongban
MANDIR    ?= $(PREFIX)/share/man
LOCALEDIR ?= $(PREFIX)/share/locale
DOCDIR    ?= $(PREFIX)/share/doc/tongban
SRVDOCDIR ?= $(PREFIX)/share/doc/tongband
SYSCONFDIR ?= /etc
UNITDIR   ?= $(PREFIX)/lib/systemd/system
DESTDIR   ?=

CC        ?= cc
PKG_CONFIG ?= pkg-config

ifeq ($(SANITIZE),1)
BUILD     ?= build-san
SANFLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD     ?= build
SANFLAGS  :=
endif

PKGS      := ncursesw sqlite3 libcurl json-c libmicrohttpd libsodium libpq zlib
# tongban-pdf only: pango shapes CJK text and finds fonts, cairo writes the PDF
# with them embedded, libqrencode makes the QR code; tongban itself never
# loads them
PDF_PKGS  := pangocairo cairo-pdf libqrencode
TEST_PKGS := check vterm

# Install missing Debian packages (or say exactly what to install) before anything
# asks pkg-config for flags: what the programs need, and for the goals that run
# tests what those need too.  Goals that compile nothing skip the check (make deb
# builds in a copy, whose build dependencies dpkg-buildpackage checks; the
# portability targets run make again, which checks theirs).
NODEP_GOALS := clean format format-check help uninstall deb check-clang cross-arm64 check-musl \
               pot po-update po-check
TEST_GOALS  := check check-unit bench crash fuzz $(BUILD)/tests/%
ifneq ($(MAKECMDGOALS),)
ifeq ($(filter-out $(NODEP_GOALS),$(MAKECMDGOALS)),)
SKIP_DEPS := 1
endif
endif
DEPS_FOR := $(if $(filter $(TEST_GOALS),$(MAKECMDGOALS)),test,build)
# the portability targets run this make again with DEPS set to their own check
DEPS      ?= sh scripts/deps.sh $(DEPS_FOR)
ifneq ($(SKIP_DEPS),1)
DEPS_RESULT := $(shell $(DEPS) >&2; echo $$?)
ifneq ($(DEPS_RESULT),0)
$(error missing build dependencies; see the apt-get line above)
endif
# a package pkg-config cannot resolve would otherwise leave its flags out
# silently (ncursesw's -D_XOPEN_SOURCE=600: no wide-character functions)
PKG_ERRORS := $(shell $(PKG_CONFIG) --print-errors --exists $(PKGS) 2>&1)
ifneq ($(PKG_ERRORS),)
$(error pkg-config: $(PKG_ERRORS))
endif
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
# only tongban-pdf's objects see pango's and cairo's headers (a cross build of
# tongban and tongband needs no pango for the target)
PDF_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PDF_PKGS) 2>/dev/null)
TEST_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS) 2>/dev/null)
# The programs do not link libcurl: tongban dlopen()s it on its first sync
# (src/sync/curlfn.h), so its libraries stay out of the login screen; the
# tests link it for their own HTTP requests.
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(filter-out libcurl,$(PKGS)) 2>/dev/null) -ldl
# each program links only what it uses: the clerk's never the server's HTTP
# and PostgreSQL libraries (with their TLS, Kerberos and LDAP)
CLIENT_PKG_LIBS := $(shell $(PKG_CONFIG) --libs ncursesw json-c 2>/dev/null) -ldl
# zlib: tongband's gzip copy of the catalogue (srv_doccache.h)
SERVER_PKG_LIBS := $(shell $(PKG_CONFIG) --libs sqlite3 json-c libmicrohttpd libsodium libpq \
                     zlib 2>/dev/null)
CURL_LIBS  := $(shell $(PKG_CONFIG) --libs libcurl 2>/dev/null)
PDF_LIBS   := $(shell $(PKG_CONFIG) --libs $(PDF_PKGS) 2>/dev/null) -lm
TEST_LIBS  := $(CURL_LIBS) $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null) -lutil

CSTD      := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
OPT       ?= -O2
CFLAGS    ?= -g $(OPT)
ALL_CFLAGS := $(CSTD) $(WARN) $(CFLAGS) $(SANFLAGS) -Isrc -Itests/harness \
              -DTB_VERSION='"$(VERSION)"' -DTB_DATADIR='"$(DATADIR)"' \
              -DTB_SYSCONFDIR='"$(SYSCONFDIR)"' \
              -DTB_LIBEXECDIR='"$(LIBEXECDIR)"' -DTB_LOCALEDIR='"$(LOCALEDIR)"' $(PKG_CFLAGS)
ALL_LDFLAGS := $(LDFLAGS) $(SANFLAGS) -pthread

CORE_SRC   := $(sort $(wildcard src/core/*.c))
DB_SRC     := $(sort $(wildcard src/db/*.c))
STORE_SRC  := $(sort $(wildcard src/store/*.c))
SYNC_SRC   := $(sort $(wildcard src/sync/*.c))
TUI_SRC    := $(sort $(wildcard src/tui/*.c))
CLI_SRC    := $(sort $(wildcard src/cli/*.c))
SERVER_SRC := $(sort $(wildcard src/server/*.c))
PDF_SRC    := $(sort $(wildcard src/pdf/*.c))
HARN_SRC   := $(sort $(wildcard tests/harness/*.c))
TEST_SRC   := $(sort $(wildcard tests/unit/test_*.c tests/integration/test_*.c tests/e2e/test_*.c))
BENCH_SRC  := $(sort $(wildcard tests/bench/bench_*.c))

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))

LIBCORE   := $(BUILD)/libcore.a
LIBDB     := $(BUILD)/libdb.a
LIBSTORE  := $(BUILD)/libstore.a
LIBSYNC   := $(BUILD)/libsync.a
LIBTUI    := $(BUILD)/libtui.a
LIBCLI    := $(BUILD)/libcli.a
LIBSERVER := $(BUILD)/libserver.a
LIBPDF    := $(BUILD)/libpdf.a
LIBHARN   := $(BUILD)/libharness.a

TONGBAN   := $(BUILD)/tongban
TONGBAND  := $(BUILD)/tongband
TONGBAN_PDF := $(BUILD)/tongban-pdf
TEST_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
BENCH_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(BENCH_SRC))

# Message catalogues (gettext): the English source strings, po/zh_CN.po (the
# default language) and po/en.po, compiled for tongban and tongband, and the
# English of the bundled data (po/data/en.po: item, material and form names).
# build/locale is where the programs find them when run from the tree.
PO_LANGS := zh_CN en
MO_FILES := $(foreach l,$(PO_LANGS),$(BUILD)/locale/$(l)/LC_MESSAGES/tongban.mo \
              $(BUILD)/locale/$(l)/LC_MESSAGES/tongband.mo) \
            $(BUILD)/locale/en/LC_MESSAGES/tongban-data.mo
.SECONDARY:
.PHONY: all check check-unit check-clang cross-arm64 check-musl run install uninstall clean \
        check-musl-unit format format-check bench crash fuzz deb help pot po-update po-check
all: $(TONGBAN) $(TONGBAND) $(TONGBAN_PDF) $(BUILD)/tongband.service $(MO_FILES)

$(BUILD)/locale/%/LC_MESSAGES/tongban.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<
$(BUILD)/locale/%/LC_MESSAGES/tongband.mo: $(BUILD)/locale/%/LC_MESSAGES/tongban.mo
	cp $< $@
$(BUILD)/locale/en/LC_MESSAGES/tongban-data.mo: po/data/en.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# po/tongban.pot from the sources, then merged into each .po (a maintainer's
# step; the files are in git).  make po-check: msgfmt --check of every .po.
pot:
	sh scripts/po-pot.sh
po-update: pot
	for l in $(PO_LANGS); do msgmerge -q --update --backup=none po/$$l.po po/tongban.pot; done
po-check:
	for p in po/*.po po/data/*.po; do msgfmt --check --statistics -o /dev/null $$p || exit 1; done

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# the tests and their harness also use Check and libvterm
$(BUILD)/tests/%.o: ALL_CFLAGS += $(TEST_CFLAGS)
$(BUILD)/src/pdf/%.o $(BUILD)/src/tongban-pdf.o: ALL_CFLAGS += $(PDF_CFLAGS)

define mklib
$(1): $(call obj,$(2))
	@mkdir -p $$(dir $$@)
	@rm -f $$@
	$(AR) rcs $$@ $$^
endef
$(eval $(call mklib,$(LIBCORE),$(CORE_SRC)))
$(eval $(call mklib,$(LIBDB),$(DB_SRC)))
$(eval $(call mklib,$(LIBSTORE),$(STORE_SRC)))
$(eval $(call mklib,$(LIBSYNC),$(SYNC_SRC)))
$(eval $(call mklib,$(LIBTUI),$(TUI_SRC)))
$(eval $(call mklib,$(LIBCLI),$(CLI_SRC)))
$(eval $(call mklib,$(LIBSERVER),$(SERVER_SRC)))
$(eval $(call mklib,$(LIBPDF),$(PDF_SRC)))
$(eval $(call mklib,$(LIBHARN),$(HARN_SRC)))

# paths.c has DATADIR and LIBEXECDIR compiled in, the systemd unit SBINDIR:
# rebuild them when PREFIX or one of these changes (the file's date moves
# only when a value does).
PATHS_STAMP := $(BUILD)/paths.txt
PATHS_NOW   := $(DATADIR) $(LIBEXECDIR) $(SBINDIR) $(LOCALEDIR)
ifneq ($(SKIP_DEPS),1)
ifneq ($(shell cat $(PATHS_STAMP) 2>/dev/null),$(PATHS_NOW))
$(shell mkdir -p $(BUILD) && echo '$(PATHS_NOW)' > $(PATHS_STAMP))
endif
endif
$(BUILD)/src/core/paths.o $(BUILD)/src/core/i18n.o: $(PATHS_STAMP)

CLIENT_LIBS := $(LIBCLI) $(LIBTUI) $(LIBSYNC) $(LIBSTORE) $(LIBDB) $(LIBCORE)
SERVER_LIBS := $(LIBSERVER) $(LIBDB) $(LIBCORE)

$(TONGBAN): $(call obj,src/tongban.c) $(CLIENT_LIBS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CLIENT_PKG_LIBS)

$(TONGBAND): $(call obj,src/tongband.c) $(SERVER_LIBS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(SERVER_PKG_LIBS)

$(TONGBAN_PDF): $(call obj,src/tongban-pdf.c) $(LIBPDF) $(LIBCORE)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PDF_LIBS)

# The systemd unit names the installed tongband (SBINDIR).
$(BUILD)/tongband.service: systemd/tongband.service.in $(PATHS_STAMP)
	@mkdir -p $(dir $@)
	sed 's|@SBINDIR@|$(SBINDIR)|g' $< >$@

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIBHARN) $(LIBTUI) $(LIBSYNC) $(LIBSTORE) $(LIBSERVER) $(LIBDB) $(LIBCORE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)

# The server's suites run a second time on PostgreSQL, on a private cluster
# (scripts/run-tests.sh; TONGBAN_NO_POSTGRESQL=1 skips that, loudly).
PG_TEST_BINS := $(filter $(BUILD)/tests/unit/test_server_% $(BUILD)/tests/integration/test_sync% \
                  $(BUILD)/tests/integration/test_updates,$(TEST_BINS))

# Every test binary runs even when an earlier one fails; the summary line and the
# exit status say whether all passed.
check: all $(TEST_BINS)
	@TONGBAN_BIN=$(abspath $(TONGBAN)) TONGBAND_BIN=$(abspath $(TONGBAND)) \
	  TONGBAN_SRCDIR=$(CURDIR) TONGBAN_PG_TESTS="$(PG_TEST_BINS)" \
	  sh scripts/run-tests.sh $(TEST_BINS)

# The unit tests alone (tests/unit), on SQLite: what the portability targets
# below run.  TEST_RUNNER, when set, is a command that every test program and
# every program a test starts (tongban, tongband) runs under: cross-arm64 sets
# qemu-aarch64, and the programs are then started through small scripts in
# $(BUILD)/runner/ (no binfmt_misc needed).
UNIT_BINS := $(filter $(BUILD)/tests/unit/%,$(TEST_BINS))
TEST_RUNNER ?=
ifeq ($(TEST_RUNNER),)
runner = $(1)
else
runner = $(patsubst $(BUILD)/%,$(BUILD)/runner/%,$(1))
$(BUILD)/runner/%: $(BUILD)/%
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\nexec %s %s "$$@"\n' '$(TEST_RUNNER)' '$(abspath $<)' >$@
	chmod +x $@
endif
check-unit: $(call runner,$(TONGBAN) $(TONGBAND) $(UNIT_BINS)) $(MO_FILES)
	@TONGBAN_BIN=$(abspath $(call runner,$(TONGBAN))) \
	  TONGBAND_BIN=$(abspath $(call runner,$(TONGBAND))) \
	  TONGBAN_SRCDIR=$(CURDIR) sh scripts/run-tests.sh $(call runner,$(UNIT_BINS))

# Portability (README "Portability"): the same sources through another
# compiler, for another architecture, against another C library, each in a
# build directory of its own.
check-clang:
	$(MAKE) CC=clang BUILD=build-clang DEPS='sh scripts/deps.sh test clang' check-unit

# Debian's cross compiler and the :arm64 libraries (multiarch); the unit tests
# run under qemu-user, with the arm64 loader and libraries that libc6:arm64 and
# the others put in /lib and /usr/lib/aarch64-linux-gnu (qemu-aarch64 -L
# /usr/aarch64-linux-gnu hangs the child of every fork in Debian 12's qemu 7.2).
ARM64_PKG_CONFIG_LIBDIR := /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig:$(CURDIR)/build-arm64/libpq/pkgconfig
# The tests tagged timing count on native speed (test_server_dos.c): left out.
cross-arm64:
	CK_EXCLUDE_TAGS=timing PKG_CONFIG_LIBDIR=$(ARM64_PKG_CONFIG_LIBDIR) $(MAKE) BUILD=build-arm64 \
	  CC=aarch64-linux-gnu-gcc AR=aarch64-linux-gnu-ar \
	  DEPS='sh scripts/deps-arm64.sh build-arm64' \
	  TEST_RUNNER=qemu-aarch64 check-unit

# musl (Debian's musl-tools, musl-gcc): Debian has no musl builds of the
# libraries, so scripts/deps-musl.sh builds json-c and Check for musl from
# Debian's source packages (build-musl/sysroot); then src/core (without
# auditchain.c, the one user of libsodium) and the unit tests that need only
# it, linked static.  Not the programs: ncursesw, SQLite, libsodium, libcurl,
# libmicrohttpd and libpq would all have to be built for musl too.
MUSL_TESTS := calendar casestate catalogue date form idcard jsonpeek notice phone pinyin \
              strpool uscc utf8
MUSL_BINS  := $(patsubst %,$(BUILD)/tests/unit/test_%,$(MUSL_TESTS))
LIBCORE_MUSL := $(BUILD)/libcore-musl.a
$(eval $(call mklib,$(LIBCORE_MUSL),$(filter-out src/core/auditchain.c src/core/sodiumfn.c,$(CORE_SRC))))
check-musl:
	PKG_CONFIG_LIBDIR=$(CURDIR)/build-musl/sysroot/lib/pkgconfig $(MAKE) BUILD=build-musl \
	  CC=musl-gcc PKGS=json-c TEST_PKGS=check DEPS='sh scripts/deps-musl.sh build-musl' MUSL=1 check-musl-unit
ifeq ($(MUSL),1)
$(MUSL_BINS): $(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(LIBCORE_MUSL)
	$(CC) $(ALL_LDFLAGS) -static -o $@ $^ $(PKG_LIBS) $(shell $(PKG_CONFIG) --libs check)
check-musl-unit: $(MUSL_BINS) $(MO_FILES)
	@TONGBAN_SRCDIR=$(CURDIR) sh scripts/run-tests.sh $(MUSL_BINS)
endif

run: all
	@sh scripts/run-local.sh $(abspath $(TONGBAN)) $(abspath $(TONGBAND))

# Benchmarks print figures; they never fail on a number (targets are judged by
# reading them), only when a program cannot run.
bench: all $(BENCH_BINS)
	@for b in $(BENCH_BINS); do echo "=== $${b#$(BUILD)/tests/}"; \
	  TONGBAN_BIN=$(abspath $(TONGBAN)) TONGBAND_BIN=$(abspath $(TONGBAND)) \
	  TONGBAN_SRCDIR=$(CURDIR) $$b || exit 1; done

# The kill -9 tests of tests/e2e/test_crash.c at full length (make check runs
# them short): 100 rounds beside other programs, every delay 0-50 ms for
# every counter decision.
CRASH_ROUNDS ?= 100
CRASH_DELAYS ?= 0-50
crash: all $(BUILD)/tests/e2e/test_crash
	@TONGBAN_BIN=$(abspath $(TONGBAN)) TONGBAND_BIN=$(abspath $(TONGBAND)) \
	  TONGBAN_SRCDIR=$(CURDIR) TONGBAN_CRASH_ROUNDS=$(CRASH_ROUNDS) \
	  TONGBAN_CRASH_DELAYS=$(CRASH_DELAYS) $(BUILD)/tests/e2e/test_crash

# libFuzzer over every parser of outside input (tests/harness/fuzztargets.c):
#   make fuzz [FUZZ_SECONDS=60]   needs clang; binaries in build-fuzz/
FUZZ_TARGETS := catalogue form calendar notice pinyin regions checklist config
FUZZ_SECONDS ?= 30
FUZZ_SEEDS := data/catalogue.json data/config.json data/calendar.json data/regions.tsv forms/*.json \
	forms/items/*.json forms/notices/*.txt tests/data/pinyin-sample.tsv \
	tests/data/checklist-sample.json
fuzz:
	@command -v clang >/dev/null || { echo "make fuzz needs clang: apt-get install clang"; exit 1; }
	@mkdir -p build-fuzz
	@for t in $(FUZZ_TARGETS); do \
	  clang -g -O1 -fsanitize=fuzzer,address,undefined $(CSTD) -Isrc -Itests/harness \
	    -DTB_VERSION='"$(VERSION)"' -DTB_DATADIR='"$(DATADIR)"' $(PKG_CFLAGS) \
	    -DFUZZ_TARGET=fuzz_$$t tests/fuzz/fuzz_main.c tests/harness/fuzztargets.c \
	    $(CORE_SRC) -o build-fuzz/fuzz_$$t $(PKG_LIBS) || exit 1; \
	  mkdir -p build-fuzz/corpus_$$t; \
	  cp $(FUZZ_SEEDS) build-fuzz/corpus_$$t/; \
	  echo "=== fuzz_$$t ($(FUZZ_SECONDS) s)"; \
	  build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=200000 \
	    build-fuzz/corpus_$$t >build-fuzz/fuzz_$$t.log 2>&1 \
	    || { tail -40 build-fuzz/fuzz_$$t.log; exit 1; }; \
	  tail -1 build-fuzz/fuzz_$$t.log; \
	done

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(LIBEXECDIR) \
	  $(DESTDIR)$(DATADIR)/data \
	  $(DESTDIR)$(DATADIR)/forms $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(SRVDOCDIR)/examples \
	  $(DESTDIR)$(UNITDIR)
	install -m 644 examples/tongban.conf $(DESTDIR)$(DOCDIR)/examples/
	install -m 644 examples/tongband.conf $(DESTDIR)$(SRVDOCDIR)/examples/
	install -m 755 $(TONGBAN) $(DESTDIR)$(BINDIR)/tongban
	install -m 755 $(TONGBAND) $(DESTDIR)$(SBINDIR)/tongband
	install -m 755 $(TONGBAN_PDF) $(DESTDIR)$(LIBEXECDIR)/tongban-pdf
	install -m 644 $(BUILD)/tongband.service $(DESTDIR)$(UNITDIR)/tongband.service
	cp -R data/. $(DESTDIR)$(DATADIR)/data/
	cp -R forms/. $(DESTDIR)$(DATADIR)/forms/
	for m in man/*.[1-8]; do s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	for f in $(MO_FILES); do d=$(DESTDIR)$(LOCALEDIR)/$${f#$(BUILD)/locale/}; \
	  install -d $${d%/*}; install -m 644 $$f $$d; done

# dpkg-buildpackage in a copy of the tree (build/deb/tongban-VERSION), so that
# neither this tree nor the folder above it gets the build's files; the .debs,
# .buildinfo and .changes land in build/deb/.  The suite is make check: the
# package build skips it (nocheck).
DEB_DIR := build/deb
deb:
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/tongban-$(VERSION)
	tar -cf - --exclude=./build --exclude=./build-san --exclude=./build-fuzz --exclude=./build-clang \
	  --exclude=./build-arm64 --exclude=./build-musl --exclude=./run \
	  --exclude=./.git . | tar -xf - -C $(DEB_DIR)/tongban-$(VERSION)
	cd $(DEB_DIR)/tongban-$(VERSION) && \
	  DEB_BUILD_OPTIONS="nocheck $(DEB_BUILD_OPTIONS)" dpkg-buildpackage -us -uc -b -Pnocheck
	@ls -l $(DEB_DIR)/*.deb

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tongban $(DESTDIR)$(SBINDIR)/tongband
	rm -f $(DESTDIR)$(UNITDIR)/tongband.service
	rm -rf $(DESTDIR)$(LIBEXECDIR)
	rm -rf $(DESTDIR)$(DATADIR)
	rm -rf $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SRVDOCDIR)
	for f in $(MO_FILES); do rm -f $(DESTDIR)$(LOCALEDIR)/$${f#$(BUILD)/locale/}; done
	for m in man/*.[1-8]; do s=$${m##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${m##*/}; done

format:
	clang-format -i $$(find src tests -name '*.[ch]')

format-check:
	clang-format --dry-run -Werror $$(find src tests -name '*.[ch]')

clean:
	rm -rf build build-san build-fuzz build-clang build-arm64 build-musl

help:
	@sed -n '3,16p' Makefile

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
