# SPDX-License-Identifier: MIT
# mpb-channels: libmpbc.a for every tile arch; its unit tests and tile-kernel/coherence.c's,
# run on the host over the HAL fake (tests/fake); and tessera-cacheline-floor, the host
# program that measures this machine's floor for apps/mpbc-pingpong.
MPBC_SRCS := mpb-channels/layout.c mpb-channels/ring.c mpb-channels/chan.c
$(foreach a,$(TILE_ARCHES),$(eval $(call tile_lib,$a,mpbc,$(MPBC_SRCS))))

# Tile-side code compiled for the host: hal_fake_hooks.h redirects addresses and state.
MPBC_FAKE_CFLAGS := -Itile-kernel -Impb-channels -Itests/fake \
	-include tests/fake/hal_fake_hooks.h
MPBC_FAKE_OBJS := $(patsubst %.c,$(B)/host/%.o,$(MPBC_SRCS) tile-kernel/coherence.c \
	tile-kernel/timing.c tile-kernel/timing_model.c tests/fake/hal_fake.c)
$(B)/host/mpb-channels/%.o: HOST_CFLAGS += $(MPBC_FAKE_CFLAGS)
$(B)/host/tile-kernel/coherence.o: HOST_CFLAGS += $(MPBC_FAKE_CFLAGS)
$(B)/host/tile-kernel/timing.o: HOST_CFLAGS += $(MPBC_FAKE_CFLAGS)
$(B)/host/tile-kernel/timing_model.o: HOST_CFLAGS += $(MPBC_FAKE_CFLAGS)
$(B)/host/tests/fake/%.o: HOST_CFLAGS += $(MPBC_FAKE_CFLAGS)
$(B)/host/tests/mpb-channels/%.o: HOST_CFLAGS += $(MPBC_FAKE_CFLAGS)
$(B)/host/tests/tile-kernel/%.o: HOST_CFLAGS += $(MPBC_FAKE_CFLAGS)

MPBC_UNIT_TESTS := $(B)/tests/mpb-channels/test_layout $(B)/tests/mpb-channels/test_ring \
	$(B)/tests/mpb-channels/test_chan $(B)/tests/tile-kernel/test_coherence \
	$(B)/tests/tile-kernel/test_timing
UNIT_TESTS += $(MPBC_UNIT_TESTS)

$(B)/tests/mpb-channels/test_%: $(B)/host/tests/mpb-channels/test_%.o $(MPBC_FAKE_OBJS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(HOST_CC) -o $@ $^ -lcriterion -lpthread

$(B)/tests/tile-kernel/test_%: $(B)/host/tests/tile-kernel/test_%.o $(MPBC_FAKE_OBJS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(HOST_CC) -o $@ $^ -lcriterion -lpthread

MPBC_TEST_OBJS := $(patsubst $(B)/tests/%,$(B)/host/tests/%.o,$(MPBC_UNIT_TESTS))
.SECONDARY: $(MPBC_TEST_OBJS)
-include $(patsubst %.o,%.d,$(MPBC_FAKE_OBJS) $(MPBC_TEST_OBJS))

# The floor: two host threads ping-ponging through one shared cache line, spinning as an
# emulated core spins (arch_relax of arch/emu).
$(B)/bin/tessera-cacheline-floor: apps/mpbc-pingpong/host/floor.c tile-kernel/arch/emu/mpb.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(HOST_CC) -std=gnu11 -O2 -g -Wall -Wextra -Itile-kernel -Iinclude -o $@ $^ -lpthread
ALL += $(B)/bin/tessera-cacheline-floor

.PHONY: test-mpbc
test-mpbc: $(MPBC_UNIT_TESTS)
	$(Q)for t in $(MPBC_UNIT_TESTS); do $$t || exit 1; done
