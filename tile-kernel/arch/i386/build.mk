# SPDX-License-Identifier: MIT
# tile-kernel/arch/i386: bare-metal i386 (P54C) tile images, booted by QEMU through multiboot
# (the qemu backend) or by a real board. crt0.o is the multiboot entry; the boot sequence and
# the arch hooks go into libtk.a.
TILE_ARCHES += i386
TK_ARCH_SRCS_i386 := $(addprefix tile-kernel/arch/i386/,start.c gdt.c idt.c pci.c paging.c \
	apic.c bell.c timer.c hal.c serial.c mpb.c)
# `make TESSERA_I386_SCC=1`: images for a real SCC core (CL1INVMB executed; see mpb.c).
ifeq ($(TESSERA_I386_SCC),1)
TILE_ARCH_CFLAGS_i386 += -DI386_ON_SCC
endif

$(B)/tile/i386/crt0.o: $(B)/tile/i386/obj/tile-kernel/arch/i386/entry.o
	$(Q)cp $< $@
$(B)/tile/i386/tile.ld: tile-kernel/arch/i386/tile.ld
	@mkdir -p $(@D)
	$(Q)cp $< $@
ALL += $(B)/tile/i386/crt0.o $(B)/tile/i386/tile.ld
# the entry object is in no library, so its header dependencies are read here
-include $(B)/tile/i386/obj/tile-kernel/arch/i386/entry.d
