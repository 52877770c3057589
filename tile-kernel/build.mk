# SPDX-License-Identifier: MIT
# tile-kernel: the generic part of the per-core kernel (libtk.a) for every tile arch; each
# arch adds its entry object (crt0.o), its linker script and its own sources in
# tile-kernel/arch/<arch>/build.mk through TK_ARCH_SRCS_<arch>.
TK_SRCS := tile-kernel/boot.c tile-kernel/syscalls.c tile-kernel/console.c \
	tile-kernel/hostcall.c tile-kernel/panic.c tile-kernel/status.c tile-kernel/halt.c \
	tile-kernel/trace.c $(wildcard tile-kernel/coherence.c) tile-kernel/posix_time.c \
	tile-kernel/posix_proc.c tile-kernel/posix_mem.c tile-kernel/posix_none.c \
	tile-kernel/posix_io.c tile-kernel/timing.c tile-kernel/timing_model.c tile-kernel/det.c \
	tile-kernel/record.c

define tk_arch
$(call tile_lib,$1,tk,$(TK_SRCS) $(TK_ARCH_SRCS_$1))
endef
$(foreach a,$(TILE_ARCHES),$(eval $(call tk_arch,$a)))
