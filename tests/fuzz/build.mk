# SPDX-License-Identifier: MIT
# tests/fuzz: libFuzzer targets built with clang, ASan and UBSan: the host-call server
# (fuzz_hostcall.c), the board tools' argument parsing (fuzz_args.c) and the GDB remote
# protocol of the debugger on a tile (fuzz_gdbstub.c). `make test` replays
# their seeds and a few thousand mutations with a fixed seed (tests/integration/test_fuzz.c);
# `make fuzz` runs each for FUZZ_SECONDS (default 300) and keeps what it finds in
# build/fuzz/corpus/. The library and tools are compiled again for them, instrumented.
FUZZ_CC := clang
FUZZ_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link -Iinclude -Ihost-driver \
	-Ihost-tools -MMD -MP -Wall -Wno-unused-command-line-argument
FUZZ_LINK := -fsanitize=fuzzer,address,undefined
FUZZ_SECONDS ?= 300

$(B)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC.fuzz $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

FUZZ_HD_OBJS = $(patsubst %.c,$(B)/fuzz/obj/%.o,$(HD_SRCS))
# fault.c names refused system calls from a generated table (host-driver/build.mk)
$(B)/fuzz/obj/host-driver/fault.o: $(B)/host/gen/syscall_names.h
$(B)/fuzz/obj/host-driver/fault.o: FUZZ_CFLAGS += -I$(B)/host/gen
FUZZ_HT_OBJS = $(patsubst %.c,$(B)/fuzz/obj/%.o,$(filter-out host-tools/tessera.c,$(HT_SRCS)))

$(B)/fuzz/hostcall: $(B)/fuzz/obj/tests/fuzz/fuzz_hostcall.o $$(FUZZ_HD_OBJS)
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_LINK) -o $@ $^ $(HOST_LDLIBS)
$(B)/fuzz/args: $(B)/fuzz/obj/tests/fuzz/fuzz_args.o $$(FUZZ_HD_OBJS) $$(FUZZ_HT_OBJS)
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_LINK) -o $@ $^ $(HOST_LDLIBS) $(HT_LDLIBS) -lm
$(B)/fuzz/gdbstub: $(B)/fuzz/obj/tests/fuzz/fuzz_gdbstub.o $(B)/fuzz/obj/host-driver/gdbstub.o
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_LINK) -o $@ $^
$(B)/fuzz/seeds/.made: tests/fuzz/seeds.sh
	$(Q)rm -rf $(@D) && tests/fuzz/seeds.sh $(@D) && touch $@

FUZZ_TARGETS := $(B)/fuzz/hostcall $(B)/fuzz/args $(B)/fuzz/gdbstub
TEST_EXTRA += $(FUZZ_TARGETS) $(B)/fuzz/seeds/.made
-include $(patsubst %.o,%.d,$(FUZZ_HD_OBJS) $(FUZZ_HT_OBJS))

fuzz: $(FUZZ_TARGETS) $(B)/fuzz/seeds/.made
	@for t in hostcall args gdbstub; do \
		mkdir -p $(B)/fuzz/corpus/$$t; \
		echo "== fuzz $$t for $(FUZZ_SECONDS) s (corpus in $(B)/fuzz/corpus/$$t)"; \
		$(B)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -close_fd_mask=3 -timeout=30 \
			-artifact_prefix=$(B)/fuzz/ $(B)/fuzz/corpus/$$t $(B)/fuzz/seeds/$$t || exit 1; \
	done
.PHONY: fuzz
# rebuild an instrumented object when a header it includes changes (-MMD wrote the lists)
-include $(FUZZ_HD_OBJS:.o=.d) $(FUZZ_HT_OBJS:.o=.d) \
	$(B)/fuzz/obj/tests/fuzz/fuzz_args.d $(B)/fuzz/obj/tests/fuzz/fuzz_hostcall.d
