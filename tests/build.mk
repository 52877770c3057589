# SPDX-License-Identifier: MIT
# tests: Criterion unit tests per module (each module's fragment adds to UNIT_TESTS), and the
# integration tests (every tests/integration/*.c, one binary) that run real programs through
# build/bin/tessera. `make test` runs them all through tests/run.sh, which ends with one
# summary over every binary.
CRITERION_LIBS := -lcriterion

# host-driver unit tests: linked against the static library.
HD_TESTS := $(patsubst tests/host-driver/%.c,$(B)/tests/host-driver/%,$(wildcard tests/host-driver/test_*.c))
$(B)/tests/host-driver/%: tests/host-driver/%.c $(B)/lib/libtessera-host.a
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -o $@ $< $(B)/lib/libtessera-host.a $(HOST_LDLIBS) $(CRITERION_LIBS)
UNIT_TESTS += $(HD_TESTS)
$(B)/tests/integration/integration: CRITERION_LIBS += -ljson-c -lpng -lz -lm -lutil

INTEGRATION_SRCS := $(wildcard tests/integration/*.c)
$(B)/tests/integration/integration: $(INTEGRATION_SRCS) tests/integration/helpers.h \
		tests/host-driver/pftrace_read.h
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -Itests/integration -o $@ $(INTEGRATION_SRCS) $(CRITERION_LIBS)

TEST_DEPS = all $(UNIT_TESTS) $(B)/tests/integration/integration $(TEST_EXTRA)

# `make test` first installs what is missing (tools/deps.sh), then builds, then runs. The
# integration tests run twice: in the default mode (a core runner per CPU once cores
# outnumber CPUs) and with a process per core (TESSERA_CORES_PER_PROCESS=1), the suites
# that start no emulated core left out of the second pass.
INTEGRATION_PASS2 := TESSERA_CORES_PER_PROCESS=1:!(qemu|pci|pci_guest|buildsys|heatmap|info|cli|wrapper|sched)/*
test:
	@tools/deps.sh
	@$(MAKE) --no-print-directory -j2 test-build
	@tests/run.sh $(UNIT_TESTS) $(B)/tests/integration/integration \
		'$(B)/tests/integration/integration@$(INTEGRATION_PASS2)'

test-build: $$(TEST_DEPS)
.PHONY: test-build

# Tile programs the integration tests run (not examples: they misbehave on purpose).
TEST_IMAGES := $(patsubst tests/images/%.c,$(B)/tests/images/%,$(wildcard tests/images/*.c))
$(B)/tests/images/%: tests/images/%.c $(B)/bin/tessera-mpicc $(B)/tile/emu/crt0.o \
		$(B)/tile/emu/tile.ld $$(TILE_LIBS_emu)
	@mkdir -p $(@D)
	@echo "  IMAGE   $@"
	$(Q)$(B)/bin/tessera-mpicc -O1 -g -o $@ $<
TEST_EXTRA += $(TEST_IMAGES)

# The API under valgrind: a plain program, run by tests/integration/test_api_valgrind.c.
$(B)/tests/host-driver/api_leaks: tests/host-driver/api_leaks.c $(B)/lib/libtessera-host.a
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -O0 -o $@ $< $(B)/lib/libtessera-host.a $(HOST_LDLIBS)
TEST_EXTRA += $(B)/tests/host-driver/api_leaks $(B)/examples/host-embed

# MPI programs that fail on purpose (deadlock, abort) or are slow, for test_failure.c.
MPI_TEST_IMAGES := $(patsubst tests/mpi-images/%.c,$(B)/tests/mpi-images/%,$(wildcard tests/mpi-images/*.c))
$(B)/tests/mpi-images/%: tests/mpi-images/%.c $(B)/bin/tessera-mpicc $(B)/tile/emu/crt0.o \
		$(B)/tile/emu/tile.ld $$(TILE_LIBS_emu)
	@mkdir -p $(@D)
	@echo "  IMAGE   $@"
	$(Q)$(B)/bin/tessera-mpicc -O1 -g -o $@ $<
TEST_EXTRA += $(MPI_TEST_IMAGES)

# An LD_PRELOAD shim that signals its own process at a chosen libc call (test_signals.c).
$(B)/tests/shim/sigat.so: tests/shim/sigat.c
	@mkdir -p $(@D)
	@echo "  SHIM    $@"
	$(Q)$(HOST_CC) -std=gnu11 -O2 -Wall -Wextra -shared -fPIC -o $@ $< -ldl
TEST_EXTRA += $(B)/tests/shim/sigat.so
include tests/fuzz/build.mk
