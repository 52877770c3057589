# SPDX-License-Identifier: MIT
# tile-kernel/arch/emu: x86-64 tile images run natively by an emulated core process.
TILE_ARCHES += emu
TK_ARCH_SRCS_emu := tile-kernel/arch/emu/hal.c tile-kernel/arch/emu/mpb.c

$(B)/tile/emu/crt0.o: $(B)/tile/emu/obj/tile-kernel/arch/emu/entry.o
	$(Q)cp $< $@
$(B)/tile/emu/tile.ld: tile-kernel/arch/emu/tile.ld
	@mkdir -p $(@D)
	$(Q)cp $< $@
ALL += $(B)/tile/emu/crt0.o $(B)/tile/emu/tile.ld
