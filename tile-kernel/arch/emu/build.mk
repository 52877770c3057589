# SPDX-License-Identifier: MIT
# tile-kernel/arch/emu: x86-64 tile images run natively by an emulated core process.
TILE_ARCHES += emu
TK_ARCH_SRCS_emu := tile-kernel/arch/emu/hal.c tile-kernel/arch/emu/mpb.c \
	tile-kernel/arch/emu/hostexec.c tile-kernel/arch/emu/regs.S tile-kernel/arch/emu/string.S
# string.S's functions replace Newlib's: its members are left out of the C library that
# images link (host-tools/build.mk, hostcc/libc.a).
TK_LIBC_REPLACED_emu := memcpy memmove memset

# hostexec.c runs unrelocated when Linux starts the image as a program: position independent.
$(B)/tile/emu/obj/tile-kernel/arch/emu/hostexec.o: TILE_OBJ_CFLAGS := -fPIE -ffreestanding \
	-fno-builtin -fno-tree-loop-distribute-patterns -fno-jump-tables

# crt0.o: the entry, and the path of the `tessera` command that an image started as a host
# program hands itself to (hostexec.c); `make install` makes it again with the installed path.
# $(call emu_crt0,OUT,PATH-OF-TESSERA)
emu_crt0 = printf '\t.section .rodata.tk_runtime_path,"a"\n\t.globl tk_runtime_path\n\t.hidden tk_runtime_path\ntk_runtime_path:\n\t.asciz "%s"\n\t.section .note.GNU-stack,"",@progbits\n' '$2' | \
	$(HOST_CC) -m64 -c -x assembler -o $1.path.o - && \
	ld -r -o $1 $(B)/tile/emu/obj/tile-kernel/arch/emu/entry.o $1.path.o && rm -f $1.path.o
$(B)/tile/emu/crt0.o: $(B)/tile/emu/obj/tile-kernel/arch/emu/entry.o
	$(Q)$(call emu_crt0,$@,$(abspath $(B)/bin/tessera))
$(B)/tile/emu/tile.ld: tile-kernel/arch/emu/tile.ld
	@mkdir -p $(@D)
	$(Q)cp $< $@
ALL += $(B)/tile/emu/crt0.o $(B)/tile/emu/tile.ld
# the entry object is in no library, so its header dependencies are read here
-include $(B)/tile/emu/obj/tile-kernel/arch/emu/entry.d

# string.S (memcpy, memmove, memset) is tested on the host under the names emu_memcpy, ...
$(B)/host/tests/tile-kernel/string_emu.o: tile-kernel/arch/emu/string.S
	@mkdir -p $(@D)
	@echo "  AS      $@"
	$(Q)$(HOST_CC) -c '-DSTR_NAME(x)=emu_##x' $< -o $@
$(B)/tests/tile-kernel/test_string: $(B)/host/tests/tile-kernel/test_string.o \
		$(B)/host/tests/tile-kernel/string_emu.o
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(HOST_CC) -o $@ $^ -lcriterion
UNIT_TESTS += $(B)/tests/tile-kernel/test_string
