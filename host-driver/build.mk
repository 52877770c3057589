# SPDX-License-Identifier: MIT
# host-driver: libtessera-host (static and shared), the host API behind the `tessera` command.
HD_SRCS += host-driver/error.c host-driver/geom.c host-driver/board.c host-driver/image.c \
	host-driver/backend.c host-driver/load.c host-driver/job.c host-driver/fault.c \
	host-driver/deadlock.c host-driver/console.c host-driver/hostcall.c host-driver/hostfile.c \
	host-driver/owner.c host-driver/luts.c host-driver/debug.c host-driver/gdbstub.c \
	host-driver/symbolize.c host-driver/trace.c host-driver/trace_pair.c \
	host-driver/trace_json.c host-driver/trace_meta.c \
	host-driver/trace_layout.c host-driver/trace_write.c host-driver/trace_pftrace.c \
	host-driver/record.c host-driver/vtime.c
HD_OBJS = $(patsubst %.c,$(B)/host/%.o,$(HD_SRCS))
HD_PIC_OBJS = $(patsubst %.c,$(B)/host-pic/%.o,$(HD_SRCS))

$(B)/host-pic/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC.pic  $<"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -fPIC -c $< -o $@

$(B)/lib/libtessera-host.a: $$(HD_OBJS)
	@mkdir -p $(@D)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^
$(B)/lib/libtessera-host.so.0: $$(HD_PIC_OBJS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(HOST_CC) -shared -Wl,-soname,libtessera-host.so.0 -Wl,--no-undefined -o $@ $^ \
		$(HOST_LDLIBS)
$(B)/lib/libtessera-host.so: $(B)/lib/libtessera-host.so.0
	$(Q)ln -sf libtessera-host.so.0 $@

# pkg-config file for the build tree's users (install writes one for PREFIX).
$(B)/lib/pkgconfig/tessera-host.pc: host-driver/tessera-host.pc.in include/tessera/host.h
	@mkdir -p $(@D)
	$(Q)sed -e 's|@PREFIX@|$(abspath $(B))|; s|@INCLUDEDIR@|$(abspath include)|' \
		-e 's|@VERSION@|$(TESSERA_VERSION)|; s|@LIBS@|$(HOST_LDLIBS)|' $< > $@
ALL += $(B)/lib/libtessera-host.a $(B)/lib/libtessera-host.so $(B)/lib/pkgconfig/tessera-host.pc

# The names of the host's system calls, for SIGSYS reports (fault.c), from the kernel's
# header as the toolchain has it.
SYSCALL_HDR := $(firstword $(wildcard /usr/include/x86_64-linux-gnu/asm/unistd_64.h \
	/usr/include/asm/unistd_64.h))
$(B)/host/gen/syscall_names.h: $(SYSCALL_HDR) host-driver/build.mk
	@mkdir -p $(@D)
	$(Q)sed -n 's/^#define __NR_\([a-z0-9_]*\)[ \t]*\([0-9]*\)$$/[\2] = "\1",/p' $< > $@.tmp && mv $@.tmp $@
$(B)/host/host-driver/fault.o $(B)/host-pic/host-driver/fault.o: $(B)/host/gen/syscall_names.h
$(B)/host/host-driver/fault.o $(B)/host-pic/host-driver/fault.o: HOST_CFLAGS += -I$(B)/host/gen
