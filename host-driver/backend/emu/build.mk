# SPDX-License-Identifier: MIT
# host-driver/backend/emu: every core run natively by a core runner process. emu.c is part
# of the host library; the runner (runner.c, runner_entry.S) is an executable of its own,
# freestanding (no libc), static and position independent, with no relocation to apply.
HD_SRCS += host-driver/backend/emu/emu.c host-driver/backend/emu/debug.c
RUNNER := $(B)/libexec/tessera/tessera-runner
RUNNER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wno-missing-field-initializers \
	-ffreestanding -fno-stack-protector -fno-stack-clash-protection -fPIE -fno-plt \
	-fcf-protection=none -mno-red-zone -Iinclude -MMD -MP
RUNNER_OBJS := $(B)/runner/runner.o $(B)/runner/runner_entry.o

$(B)/runner/%.o: host-driver/backend/emu/%.c
	@mkdir -p $(@D)
	@echo "  CC.run  $<"
	$(Q)$(HOST_CC) $(RUNNER_CFLAGS) -c $< -o $@
$(B)/runner/%.o: host-driver/backend/emu/%.S
	@mkdir -p $(@D)
	@echo "  AS.run  $<"
	$(Q)$(HOST_CC) $(RUNNER_CFLAGS) -c $< -o $@
$(RUNNER): $(RUNNER_OBJS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(HOST_CC) -nostdlib -static-pie -Wl,-z,noexecstack -Wl,--build-id=none -o $@.tmp $^
	$(Q)if readelf -r $@.tmp | grep -q R_X86_64; then \
		echo "$@: has relocations (a pointer in initialised data?)" >&2; rm -f $@.tmp; exit 1; fi
	$(Q)mv $@.tmp $@
-include $(RUNNER_OBJS:.o=.d)
ALL += $(RUNNER)

# Where the library looks for the runner when it is not next to it (the build tree).
$(B)/host/host-driver/backend/emu/emu.o $(B)/host-pic/host-driver/backend/emu/emu.o: \
	HOST_CFLAGS += -DHD_BUILD_RUNNER='"$(abspath $(RUNNER))"'
$(B)/fuzz/obj/host-driver/backend/emu/emu.o: \
	FUZZ_CFLAGS += -DHD_BUILD_RUNNER='"$(abspath $(RUNNER))"'
