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

INTEGRATION_SRCS := $(wildcard tests/integration/*.c)
$(B)/tests/integration/integration: $(INTEGRATION_SRCS) tests/integration/helpers.h
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -Itests/integration -o $@ $(INTEGRATION_SRCS) $(CRITERION_LIBS)

TEST_DEPS = all $(UNIT_TESTS) $(B)/tests/integration/integration $(TEST_EXTRA)

test: $$(TEST_DEPS)
	@tests/run.sh $(UNIT_TESTS) $(B)/tests/integration/integration
