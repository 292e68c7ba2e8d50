# libcouncil - see README.md. GNU make.
#
#   make check   install dependencies (apt), build everything, run every test
#   make demo    install dependencies, build, run the council scenario
#   make asan    the tests again under AddressSanitizer + UBSan (gcc)

PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR       ?= $(PREFIX)/share/man
DATADIR      ?= $(PREFIX)/share
LOCALEDIR    ?= $(DATADIR)/locale
DESTDIR      ?=

MAJOR   := $(shell sed -n 's/^\#define COUNCIL_VERSION_MAJOR \([0-9]*\)$$/\1/p' include/council.h)
MINOR   := $(shell sed -n 's/^\#define COUNCIL_VERSION_MINOR \([0-9]*\)$$/\1/p' include/council.h)
PATCH   := $(shell sed -n 's/^\#define COUNCIL_VERSION_PATCH \([0-9]*\)$$/\1/p' include/council.h)
VERSION := $(MAJOR).$(MINOR).$(PATCH)

# Build directory; sanitizer builds use their own.
B   ?= build
GEN  = $(B)/gen

PKGS = libsodium sqlcipher libprotobuf-c uuid libutf8proc jansson
# Recursive (=): pkg-config runs when a recipe needs it, after `deps`.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))

WERROR ?= -Werror
WARN    = -Wall -Wextra $(WERROR) -Wpedantic -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -Wcast-qual -Wformat=2 -Wvla -Wundef -Wconversion
CFLAGS ?= -O2 -g
override CFLAGS  += -std=c11 $(SAN) -fPIC -fvisibility=hidden -fstack-protector-strong
override LDFLAGS += $(SAN)
override CPPFLAGS += -Iinclude -I$(GEN) -Ilibcouncil -D_POSIX_C_SOURCE=200809L \
                     -D_FORTIFY_SOURCE=2 -DSQLITE_HAS_CODEC $(PKG_CFLAGS)

PROTOS   = $(wildcard proto/council/v1/*.proto)
GEN_SRC  = $(PROTOS:proto/%.proto=$(GEN)/%.pb-c.c)
GEN_HDR  = $(GEN_SRC:.c=.h)
GEN_OBJ  = $(GEN_SRC:.c=.o)
LIB_SRC  = $(wildcard libcouncil/*.c)
LIB_OBJ  = $(LIB_SRC:%.c=$(B)/%.o) $(GEN_OBJ)

SO       = $(B)/libcouncil.so
SONAME   = libcouncil.so.$(MAJOR)
SOFULL   = libcouncil.so.$(VERSION)
SOFLAGS  = -shared -Wl,-soname,$(SONAME) -Wl,--version-script=libcouncil/council.map \
           -Wl,-z,defs,-z,relro,-z,now
STATIC   = $(B)/libcouncil.a
CLI      = $(B)/council-cli
PC       = $(B)/libcouncil.pc
# The integrator's decoders: protobuf-c code for proto/council/v1, as built
# here, in a static library of its own with its own pkg-config file
# (libcouncil.so does not export its copy).
PROTO_LIB = $(B)/libcouncil-proto.a
PROTO_PC  = $(B)/libcouncil-proto.pc

TEST_SRC  = $(wildcard tests/test_*.c)
TESTS     = $(TEST_SRC:tests/%.c=$(B)/tests/%)
TEST_LIBS = $(shell pkg-config --libs cmocka jansson) $(PKG_LIBS)
FUZZ_SRC  = $(wildcard fuzz/fuzz_*.c)
REPLAYERS = $(FUZZ_SRC:fuzz/fuzz_%.c=$(B)/fuzz/replay_%)

.PHONY: all check test demo deps lib cli tests run-tests headertest abi-check doc-check \
        fuzz-replay cli-test install-check install install-lib install-pc install-doc \
        install-bin install-headers install-proto uninstall sweep asan ubsan tsan valgrind fuzz bench clean \
        layers-check man-examples pot mo i18n-check install-locale \
        python-build python-test python-install-check

all: lib cli mo $(PC) $(PROTO_LIB) $(PROTO_PC)

# Keep objects between runs (they are not throwaway intermediates).
.SECONDARY:

lib: $(B)/$(SOFULL) $(STATIC)
cli: $(CLI)

# ---------------------------------------------------------------- the two commands

deps:
	@sh scripts/deps.sh

check: deps
	@$(MAKE) --no-print-directory test

demo: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh $(CLI)

# Everything `check` runs, without the dependency step.
test: all tests $(REPLAYERS)
	@$(MAKE) --no-print-directory layers-check run-tests headertest abi-check doc-check man-examples \
	    fuzz-replay i18n-check cli-test install-check python-test $(SWEEP_CHECK)

# ---------------------------------------------------------------- generated code

$(GEN)/%.pb-c.c $(GEN)/%.pb-c.h: proto/%.proto
	@mkdir -p $(GEN)
	protoc-c -Iproto --c_out=$(GEN) $<

# protoc-c output is not ours to warn about; it gets no -W flags.
$(GEN)/%.pb-c.o: $(GEN)/%.pb-c.c $(GEN_HDR)
	$(CC) $(CPPFLAGS) $(CFLAGS) -w -c -o $@ $<

# ---------------------------------------------------------------- the library

$(B)/libcouncil/%.o: libcouncil/%.c $(GEN_HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

$(B)/$(SOFULL): $(LIB_OBJ) libcouncil/council.map
	$(CC) $(LDFLAGS) $(SOFLAGS) -o $@ $(LIB_OBJ) $(PKG_LIBS) -lpthread
	ln -sf $(SOFULL) $(B)/$(SONAME)
	ln -sf $(SONAME) $(SO)

$(STATIC): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

# The test build of the library: the same objects, but the files that hold
# the fault hooks (council__fault_alloc_after, council__audit_fault_after,
# council__commit_fault_after) compiled with COUNCIL_TEST_HOOKS. Only the
# tests link it; the installed libraries have no hooks (install-check).
HOOK_SRC = libcouncil/crypto.c libcouncil/log.c libcouncil/batch.c
HOOK_OBJ = $(HOOK_SRC:libcouncil/%.c=$(B)/hooks/%.o)
TSTATIC  = $(B)/libcouncil-test.a

$(B)/hooks/%.o: libcouncil/%.c $(GEN_HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DCOUNCIL_TEST_HOOKS $(CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

$(TSTATIC): $(filter-out $(HOOK_SRC:%.c=$(B)/%.o),$(LIB_OBJ)) $(HOOK_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

PC_SUBST = sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
               -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
               -e 's|@DATADIR@|$(DATADIR)|'

$(PC): libcouncil/libcouncil.pc.in include/council.h
	@mkdir -p $(@D)
	$(PC_SUBST) $< > $@

$(PROTO_PC): libcouncil/libcouncil-proto.pc.in include/council.h
	@mkdir -p $(@D)
	$(PC_SUBST) $< > $@

$(PROTO_LIB): $(GEN_OBJ)
	rm -f $@
	$(AR) rcs $@ $(GEN_OBJ)

# ---------------------------------------------------------------- the CLI
# Only council.h, the shared library and the public message formats.

$(B)/cli/%.o: cli/%.c $(GEN_HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

# Where the installed CLI finds its message catalogues ($COUNCIL_LOCALEDIR
# overrides it: the tests use $(B)/locale).
$(B)/cli/i18n.o: override CPPFLAGS += -DLOCALEDIR='"$(LOCALEDIR)"'

# main.c holds the table of commands, cmd_<noun>.c each noun's commands;
# section_json.c and text.c hold the CLI's parsers of outside input (the
# fuzzers build them too).
CLI_SRC = $(wildcard cli/*.c)
CLI_OBJ = $(CLI_SRC:%.c=$(B)/%.o)
CLI_LIBS = $(shell pkg-config --libs libprotobuf-c jansson libsodium uuid pwquality) -pthread
# The person's file as HTML (cli/render.c): libxslt over a libxml2 tree; the
# template doc/templates/person-report.xsl is built in (and installed).
CLI_LIBS += $(shell pkg-config --libs libxslt libxml-2.0)
CLI_OBJ += $(B)/gen/person_report_xsl.o
XSLT_CFLAGS := $(shell pkg-config --cflags libxslt libxml-2.0)
$(B)/cli/render.o: override CPPFLAGS += $(XSLT_CFLAGS)
$(B)/gen/person_report_xsl.c: doc/templates/person-report.xsl
	@mkdir -p $(@D)
	{ echo '/* generated from $< by the Makefile */'; \
	  echo 'extern const unsigned char person_report_xsl[];'; \
	  echo 'extern const unsigned int person_report_xsl_len;'; \
	  echo 'const unsigned char person_report_xsl[] = {'; \
	  od -An -v -tx1 $< | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '};'; \
	  echo 'const unsigned int person_report_xsl_len = sizeof person_report_xsl;'; } > $@
$(B)/gen/person_report_xsl.o: $(B)/gen/person_report_xsl.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(CLI): $(CLI_OBJ) $(GEN_OBJ) $(B)/$(SOFULL)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(GEN_OBJ) -L$(B) -lcouncil \
	    -Wl,-rpath,'$$ORIGIN' $(CLI_LIBS)

# ---------------------------------------------------------------- messages
# gettext: po/council-cli.pot from cli/*.c (make pot), po/LANG.po compiled to
# $(B)/locale/LANG/LC_MESSAGES/council-cli.mo. i18n-check: every message
# translated, formats matching, the .pot current (scripts/i18n-check.sh).

PO_LANGS = $(basename $(notdir $(wildcard po/*.po)))
MO_FILES = $(PO_LANGS:%=$(B)/locale/%/LC_MESSAGES/council-cli.mo)
# The sources go through the preprocessor first, so help texts built from
# cli/vocab.h's pieces are extracted whole, as the CLI looks them up.
$(B)/council-cli.pot: $(wildcard cli/*.c cli/*.h) $(GEN_HDR)
	@rm -rf $(B)/pot && mkdir -p $(B)/pot
	@for f in $(sort $(wildcard cli/*.c)); do \
	    $(CC) -E -P -C $(CPPFLAGS) $(XSLT_CFLAGS) -DI18N_XGETTEXT $$f > $(B)/pot/$${f##*/}.i || exit 1; done
	@xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=gettext_noop \
	    --keyword=ngettext:1,2 --add-comments=TRANSLATORS --package-name=council-cli \
	    --msgid-bugs-address= --no-location --sort-output -o $@ $(B)/pot/*.i

pot: $(B)/council-cli.pot
	cp $(B)/council-cli.pot po/council-cli.pot

mo: $(MO_FILES)

$(B)/locale/%/LC_MESSAGES/council-cli.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

i18n-check: mo $(B)/council-cli.pot
	@sh scripts/i18n-check.sh $(B)/council-cli.pot

# ---------------------------------------------------------------- tests
# Test binaries link the static library so they can reach council__ internals
# (fault hooks, the keyring parser); the public ABI is checked separately.

$(B)/tests/%.o: tests/%.c $(GEN_HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DCOUNCIL_TEST_HOOKS $(CFLAGS) $(WARN) -Wno-missing-prototypes -MMD -MP -c -o $@ $<

tests: $(TESTS)

$(B)/tests/test_%: $(B)/tests/test_%.o $(B)/tests/helpers.o $(TSTATIC)
	$(CC) $(LDFLAGS) -o $@ $< $(B)/tests/helpers.o $(TSTATIC) $(TEST_LIBS) -lpthread

# The same library objects linked against plain SQLite instead of SQLCipher,
# to prove that the library refuses it.
$(B)/tests/test_store_plain: $(B)/tests/test_store_plain.o $(B)/tests/helpers.o $(TSTATIC)
	$(CC) $(LDFLAGS) -o $@ $< $(B)/tests/helpers.o $(TSTATIC) \
	    $(shell pkg-config --libs cmocka sqlite3 libsodium libprotobuf-c uuid libutf8proc jansson) -lpthread

# The sweep's findings held one by one: a chosen SQLite step or exec, rename
# or fsync failed through the linker's --wrap (tests/test_faults.c).
$(B)/tests/test_faults: $(B)/tests/test_faults.o $(B)/tests/helpers.o $(TSTATIC)
	$(CC) $(LDFLAGS) -o $@ $< $(B)/tests/helpers.o $(TSTATIC) \
	    -Wl,--wrap=sqlite3_step,--wrap=sqlite3_exec,--wrap=rename,--wrap=fsync $(TEST_LIBS) -lpthread

run-tests: $(TESTS)
	@sh tests/run.sh $(TESTS)

# Faults on purpose (issue 18): every operation that writes or returns
# content, failed at each of its allocations, SQLite steps and execs, file
# writes, fsyncs and renames in turn (tests/sweep_faults.c). The linker's
# --wrap routes the library's calls to SQLite and libc through the test's
# hooks; the installed library is built without them (README, Testing).
SWEEP      = $(B)/tests/sweep_faults
SWEEP_WRAP = -Wl,--wrap=sqlite3_step,--wrap=sqlite3_exec,--wrap=write,--wrap=fwrite \
             -Wl,--wrap=fflush,--wrap=fsync,--wrap=rename,--wrap=link

SWEEP_OBJ  = $(patsubst tests/%.c,$(B)/tests/%.o,tests/sweep_faults.c $(wildcard tests/sweep_ops_*.c))

$(SWEEP): $(SWEEP_OBJ) $(TSTATIC)
	$(CC) $(LDFLAGS) -o $@ $(SWEEP_OBJ) $(TSTATIC) $(SWEEP_WRAP) $(TEST_LIBS) -lpthread

# Two shards at once (one a core); each prints its own lines, and the run
# fails if either finds anything. The throwaway stores go to /dev/shm when
# it is there (tmpfs: an fsync costs nothing, and the faults are injected
# above the file system, so the sweep is the same, about twice as fast).
SWEEP_TMP ?= $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo $${TMPDIR:-/tmp})
sweep: $(SWEEP)
	@export TMPDIR=$(SWEEP_TMP); \
	 $(SWEEP) --shard 0/2 > $(B)/sweep.0.log 2>&1 & p0=$$!; \
	 $(SWEEP) --shard 1/2 > $(B)/sweep.1.log 2>&1; s1=$$?; wait $$p0; s0=$$?; \
	 cat $(B)/sweep.0.log $(B)/sweep.1.log; [ $$s0 -eq 0 ] && [ $$s1 -eq 0 ]

# `make asan` runs the sweep (built in build/asan like the tests: ASan/LSan
# and UBSan over every failure path; CI runs it). SWEEP_IN_CHECK=1 adds the
# native sweep to `make test` too; times in README, Testing.
SWEEP_IN_CHECK ?=
SWEEP_CHECK = $(if $(SWEEP_IN_CHECK),sweep)

headertest: $(B)/$(SOFULL)
	@mkdir -p $(B)/tests
	@! grep -n '^#include' include/council.h | grep -v -e '<stddef.h>' -e '<stdint.h>' \
	    || { echo "headertest: council.h includes more than <stddef.h> and <stdint.h>"; exit 1; }
	$(CC) -std=c11 -pedantic -Wall -Wextra -Werror -Iinclude -o $(B)/tests/headertest-c \
	    tests/headertest.c -L$(B) -lcouncil -Wl,-rpath,'$$ORIGIN/..'
	$(CXX) -std=c++11 -pedantic -Wall -Wextra -Werror -Iinclude -x c++ \
	    -o $(B)/tests/headertest-cxx tests/headertest.c -L$(B) -lcouncil -Wl,-rpath,'$$ORIGIN/..'
	$(B)/tests/headertest-c && $(B)/tests/headertest-cxx

# Header declarations = council.map = what the shared library exports.
abi-check: $(B)/$(SOFULL)
	@sh tests/abi-check.sh include/council.h libcouncil/council.map $(B)/$(SOFULL)

# The man pages' EXAMPLES compile and link.
doc-check: $(B)/$(SOFULL) $(PROTO_LIB)
	@sh tests/doc-check.sh $(B) doc/man3/*.3

# council-cli(1): every command has an example, and the examples run, in
# order, against a throwaway council.
man-examples: $(CLI)
	@sh tests/man-examples.sh $(CLI) doc/man1/council-cli.1

fuzz-replay: $(REPLAYERS)
	@for r in $(REPLAYERS); do t=$${r##*/replay_}; \
	    $$r fuzz/corpus/$$t || exit 1; done

cli-test: $(CLI) mo
	@sh tests/cli-test.sh $(CLI)

# The rooms of libcouncil/ (issue 11): cycles, layers, long files, tables
# (scripts/layers.py). The self-test runs first so a broken checker cannot pass.
layers-check:
	@/usr/bin/python3 scripts/layers.py --self-test
	@/usr/bin/python3 scripts/layers.py

# Install into a staging DESTDIR and build a consumer from pkg-config alone.
install-check: all
	@rm -rf $(B)/stage
	@$(MAKE) --no-print-directory install DESTDIR=$(CURDIR)/$(B)/stage PREFIX=/usr >/dev/null
	@sh tests/install-check.sh $(CURDIR)/$(B)/stage

# ---------------------------------------------------------------- Python (bindings/python)
# Debian's interpreter by full path: another python3 on PATH may carry other
# packages. python-build makes the package runnable in place in $(B)/python
# (its sources, and the council.v1 _pb2 modules protoc generates there);
# python-test runs the pytest suite and the referral example against the
# in-tree library, then python-install-check installs it offline into a
# throwaway venv, as the README shows.
PYTHON    = /usr/bin/python3
PY_B      = $(B)/python
PY_SRC    = $(wildcard bindings/python/council/*.py) bindings/python/council/py.typed
PY_ENV    = COUNCIL_LIBRARY=$(CURDIR)/$(B)/$(SONAME) PYTHONPATH=$(CURDIR)/$(PY_B) \
            PYTHONDONTWRITEBYTECODE=1

python-build: $(PY_B)/council/v1/__init__.py

$(PY_B)/council/v1/__init__.py: $(PY_SRC) $(PROTOS)
	@rm -rf $(PY_B) && mkdir -p $(PY_B)/council
	@cp $(PY_SRC) $(PY_B)/council/
	protoc -Iproto --python_out=$(PY_B) $(PROTOS)
	@echo '"""council.v1 protobuf modules, generated by protoc."""' > $@

python-test: $(B)/$(SOFULL) python-build
	@$(PY_ENV) $(PYTHON) -m pytest -q -p no:cacheprovider bindings/python/tests
	@$(PY_ENV) $(PYTHON) bindings/python/examples/referral.py >/dev/null && \
	    echo "python-test: examples/referral.py ran"
	@$(MAKE) --no-print-directory python-install-check

python-install-check: $(B)/$(SOFULL)
	@sh bindings/python/tools/install-check.sh $(PYTHON) $(CURDIR)/$(B)/$(SONAME) $(CURDIR)

# ---------------------------------------------------------------- fuzzing

# Targets of CLI code link its files (and jansson) as well.
FUZZ_CLI_keytext      = cli/text.c
FUZZ_CLI_section_json = cli/section_json.c cli/text.c $(shell pkg-config --libs jansson)
FUZZ_HDR = $(wildcard fuzz/*.h) cli/text.h cli/section_json.h

# (the test build of the library: fuzz_consent fails allocations on purpose)
$(B)/fuzz/replay_%: fuzz/fuzz_%.c fuzz/standalone.c $(FUZZ_HDR) $(TSTATIC) \
                    cli/text.c cli/section_json.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DCOUNCIL_TEST_HOOKS $(CFLAGS) $(WARN) -Wno-missing-prototypes -o $@ $< \
	    fuzz/standalone.c $(FUZZ_CLI_$*) $(TSTATIC) $(PKG_LIBS) -lpthread

# libFuzzer needs clang (apt-get install clang); runs each target for FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
fuzz:
	@command -v clang >/dev/null || { echo "fuzz: needs clang (apt-get install clang)"; exit 1; }
	$(MAKE) B=build/fuzz CC=clang WERROR= \
	    SAN="-fsanitize=fuzzer-no-link,address,undefined" build/fuzz/libcouncil-test.a
	@set -e; $(foreach t,$(FUZZ_SRC:fuzz/fuzz_%.c=%), \
	    clang $(CPPFLAGS) -DCOUNCIL_TEST_HOOKS -Ibuild/fuzz/gen -g -O1 \
	        -fsanitize=fuzzer,address,undefined -o build/fuzz/fuzz_$(t) fuzz/fuzz_$(t).c \
	        $(FUZZ_CLI_$(t)) build/fuzz/libcouncil-test.a \
	        $(PKG_LIBS) -lpthread; \
	    mkdir -p build/fuzz/corpus-$(t); \
	    build/fuzz/fuzz_$(t) -max_total_time=$(FUZZ_SECONDS) build/fuzz/corpus-$(t) \
	        fuzz/corpus/$(t);)

# ---------------------------------------------------------------- sanitizers
# gcc: clang's static ASan runtime breaks -z defs.

asan:
	$(MAKE) B=build/asan CC=gcc CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	    tests $(REPLAYERS:$(B)/%=build/asan/%) run-tests fuzz-replay sweep
ubsan:
	$(MAKE) B=build/ubsan CC=gcc CFLAGS="-O1 -g" \
	    SAN="-fsanitize=undefined -fno-sanitize-recover=all" tests run-tests
tsan:
	$(MAKE) B=build/tsan CC=gcc CFLAGS="-O1 -g" SAN="-fsanitize=thread" tests run-tests
# Memcheck over every C test: no invalid access, no definite or indirect
# leak (the dependencies' own "possibly lost" pools are not errors; no
# suppression file is needed). A test whose children die on purpose skips
# itself. Two at a time (one a core); each one's output in build/valgrind.
VG_FLAGS = -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
valgrind: tests
	@mkdir -p $(B)/valgrind
	@printf '%s\n' $(TESTS) | xargs -P 2 -I{} sh -c 't={}; l=$(B)/valgrind/$${t##*/}.log; \
	    echo "valgrind $$t"; COUNCIL_UNDER_VALGRIND=1 valgrind $(VG_FLAGS) $$t >$$l 2>&1 || \
	    { echo "valgrind: $$t failed (its output: $$l)"; tail -n 60 $$l; exit 255; }'
	@echo "valgrind: $(words $(TESTS)) test binaries, no errors"

# ---------------------------------------------------------------- benchmark

$(B)/bench/%: bench/%.c bench/util.h $(STATIC)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -Wno-missing-prototypes -o $@ $< $(STATIC) \
	    $(PKG_LIBS) -lpthread -lm

BENCH_CASE_SRC = bench/bench_case.c bench/case_kit.c bench/case_create.c bench/case_find.c
$(B)/bench/bench_case: $(BENCH_CASE_SRC) bench/bench_case.h bench/util.h $(STATIC)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -Wno-missing-prototypes -o $@ $(BENCH_CASE_SRC) $(STATIC) \
	    $(PKG_LIBS) -lpthread -lm

# Not part of check: figures, not pass/fail (bench/README.md). Every row of
# issue 17's table at 1k, 10k, 100k (and 1M for the log and the find) in
# under 15 minutes; BENCH_QUICK=1: the same rows at smaller sizes in under
# 2. BENCH_BUDGET (seconds) bounds the run: a size projected past it is not
# run (the stage grows as far as fits, and stops) and the report gives its
# projection. BENCH_EVENTS (the log sizes), BENCH_CREATE and BENCH_FIND
# (bench_case's sizes) override the defaults.
bench: $(B)/bench/bench $(B)/bench/bench_audit $(B)/bench/bench_case $(CLI)
	sh bench/run.sh $(B) $(CLI)

# ---------------------------------------------------------------- install

install: install-lib install-headers install-pc install-bin install-doc install-locale \
         install-proto

install-lib: lib
	install -d $(DESTDIR)$(LIBDIR)
	install -m 0644 $(B)/$(SOFULL) $(DESTDIR)$(LIBDIR)/$(SOFULL)
	ln -sf $(SOFULL) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libcouncil.so
	install -m 0644 $(STATIC) $(DESTDIR)$(LIBDIR)/libcouncil.a

install-headers:
	install -d $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(DATADIR)/libcouncil/proto/council/v1
	install -m 0644 include/council.h $(DESTDIR)$(INCLUDEDIR)/council.h
	install -m 0644 $(PROTOS) $(DESTDIR)$(DATADIR)/libcouncil/proto/council/v1/

# The decoders: <council/v1/*.pb-c.h>, libcouncil-proto.a, libcouncil-proto.pc.
install-proto: $(PROTO_LIB)
	install -d $(DESTDIR)$(INCLUDEDIR)/council/v1 $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 0644 $(GEN_HDR) $(DESTDIR)$(INCLUDEDIR)/council/v1/
	install -m 0644 $(PROTO_LIB) $(DESTDIR)$(LIBDIR)/libcouncil-proto.a
	$(PC_SUBST) libcouncil/libcouncil-proto.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/libcouncil-proto.pc
	chmod 0644 $(DESTDIR)$(PKGCONFIGDIR)/libcouncil-proto.pc

# Written from the template at install time: the prefix is the install's.
install-pc:
	install -d $(DESTDIR)$(PKGCONFIGDIR)
	$(PC_SUBST) libcouncil/libcouncil.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/libcouncil.pc
	chmod 0644 $(DESTDIR)$(PKGCONFIGDIR)/libcouncil.pc

install-bin: cli
	install -d $(DESTDIR)$(BINDIR)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -DLOCALEDIR='"$(LOCALEDIR)"' -c \
	    -o $(B)/council-cli.i18n.o cli/i18n.c
	$(CC) $(LDFLAGS) -o $(B)/council-cli.install $(filter-out $(B)/cli/i18n.o,$(CLI_OBJ)) \
	    $(B)/council-cli.i18n.o $(GEN_OBJ) -L$(B) -lcouncil $(CLI_LIBS)
	install -m 0755 $(B)/council-cli.install $(DESTDIR)$(BINDIR)/council-cli
	install -d $(DESTDIR)$(DATADIR)/bash-completion/completions
	$(CLI) completion bash > $(DESTDIR)$(DATADIR)/bash-completion/completions/council-cli
	chmod 0644 $(DESTDIR)$(DATADIR)/bash-completion/completions/council-cli

install-locale: mo
	@set -e; for l in $(PO_LANGS); do \
	    install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES; \
	    install -m 0644 $(B)/locale/$$l/LC_MESSAGES/council-cli.mo \
	        $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/council-cli.mo; done

install-doc:
	install -d $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man1
	install -m 0644 doc/man3/*.3 $(DESTDIR)$(MANDIR)/man3/
	install -m 0644 doc/man1/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -d $(DESTDIR)$(DATADIR)/libcouncil
	install -m 0644 doc/templates/person-report.xsl $(DESTDIR)$(DATADIR)/libcouncil/

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/$(SOFULL) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	      $(DESTDIR)$(LIBDIR)/libcouncil.so $(DESTDIR)$(LIBDIR)/libcouncil.a \
	      $(DESTDIR)$(INCLUDEDIR)/council.h $(DESTDIR)$(PKGCONFIGDIR)/libcouncil.pc \
	      $(DESTDIR)$(BINDIR)/council-cli $(DESTDIR)$(LIBDIR)/libcouncil-proto.a \
	      $(DESTDIR)$(PKGCONFIGDIR)/libcouncil-proto.pc \
	      $(DESTDIR)$(DATADIR)/bash-completion/completions/council-cli
	for l in $(PO_LANGS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/council-cli.mo; done
	rm -rf $(DESTDIR)$(DATADIR)/libcouncil $(DESTDIR)$(INCLUDEDIR)/council
	cd doc/man3 && for f in *.3; do rm -f $(DESTDIR)$(MANDIR)/man3/$$f; done
	cd doc/man1 && for f in *.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$$f; done

clean:
	rm -rf build

-include $(wildcard $(B)/libcouncil/*.d $(B)/hooks/*.d $(B)/cli/*.d $(B)/tests/*.d)
