# SPDX-License-Identifier: MIT
# tessera: one non-recursive Makefile; each folder adds its part through a build.mk fragment.
# Everything is built under build/ (ignored by git).

B := build
PREFIX ?= /usr/local
TESSERA_VERSION := $(shell sed -n 's/^\#define TESSERA_VERSION_STRING "\(.*\)"/\1/p' include/tessera/host.h)
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:
.SECONDEXPANSION:

# ---- host side: ordinary Linux C ----
HOST_CC := gcc
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wno-missing-field-initializers \
	-Wno-format-truncation -Iinclude -Ihost-driver -fvisibility=hidden -MMD -MP
HOST_LDLIBS := -ldw -lelf -ljson-c -lz -lpthread

# ---- tile side: freestanding C linked with Newlib, one build per arch ----
GCC_INCLUDE := $(shell $(HOST_CC) -print-file-name=include)
TILE_ARCHES :=
TILE_COMMON_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wno-missing-field-initializers \
	-U__linux__ -U__unix__ -Ulinux -Uunix -U__gnu_linux__ -nostdinc \
	-fno-stack-protector -ffunction-sections -fdata-sections \
	-Iinclude -Itile-kernel -Impb-channels -Ilib/mpi -MMD -MP
# emu images are position independent (each core's copy runs at a base of its own; the text
# is shared), and probe every page of a large stack frame so that an overflow meets the guard.
TILE_ARCH_CFLAGS_emu := -m64 -mcmodel=small -fPIE -fstack-clash-protection
TILE_ARCH_CFLAGS_i386 := -m32 -march=i586 -mno-sse -fno-pic -fno-pie
# $(call tile_cflags,ARCH)
tile_cflags = $(TILE_ARCH_CFLAGS_$1) $(TILE_COMMON_CFLAGS) -isystem tile-kernel/libc-include \
	-isystem $(B)/newlib/$1/include \
	-idirafter $(GCC_INCLUDE)

# Newlib, built once per arch from Debian's newlib-source and kept in build/newlib/<arch>. Its
# stamp holds the checksum of the script that built it, and Newlib is built again when the
# script's content changes, not its mtime: a fresh clone, or a build directory copied beside a
# checkout, gives the script a new mtime and would otherwise rebuild Newlib (minutes) for
# nothing. An empty stamp (made before the checksum was kept) is taken as current: the
# checksum is written into it with its mtime kept, so no tile object is rebuilt for it.
NEWLIB_SUM := $(firstword $(shell sha256sum tools/build-newlib.sh))
newlib_force = $(if $(filter-out $(NEWLIB_SUM),$(or $(shell cat $(B)/newlib/$1/.built \
	2>/dev/null),none)),newlib-force)
$(B)/newlib/%/.built: $$(call newlib_force,$$*)
	$(Q)if [ -f $@ ] && [ ! -s $@ ]; then \
		echo $(NEWLIB_SUM) > $@.tmp && touch -r $@ $@.tmp && mv $@.tmp $@; \
	else \
		echo "  NEWLIB  $* (takes a minute or two, once)" && \
		tools/build-newlib.sh $* $(B)/newlib/$* && echo $(NEWLIB_SUM) > $@; \
	fi
newlib-force:
.PHONY: newlib-force
# The stamps are reached only through pattern rules, so make would delete them as intermediates
# after the first build and rebuild Newlib at the next change of any tile source.
.PRECIOUS: $(B)/newlib/%/.built

# $(call tile_objs,ARCH,SOURCES) -> object paths
tile_objs = $(patsubst %.c,$(B)/tile/$1/obj/%.o,$(patsubst %.S,$(B)/tile/$1/obj/%.o,$2))

define tile_arch_rules
$(B)/tile/$1/obj/%.o: %.c $(B)/newlib/$1/.built
	@mkdir -p $$(@D)
	@echo "  CC.$1   $$<"
	$$(Q)$(HOST_CC) $$(call tile_cflags,$1) $$(TILE_OBJ_CFLAGS) -c $$< -o $$@
$(B)/tile/$1/obj/%.o: %.S $(B)/newlib/$1/.built
	@mkdir -p $$(@D)
	@echo "  AS.$1   $$<"
	$$(Q)$(HOST_CC) $$(call tile_cflags,$1) $$(TILE_OBJ_CFLAGS) -c $$< -o $$@
endef

# $(call tile_lib,ARCH,NAME,SOURCES): build/tile/ARCH/libNAME.a
define tile_lib
$(B)/tile/$1/lib$2.a: $(call tile_objs,$1,$3)
	@echo "  AR.$1   $$@"
	$$(Q)rm -f $$@ && ar rcs $$@ $$^
TILE_LIBS += $(B)/tile/$1/lib$2.a
TILE_LIBS_$1 += $(B)/tile/$1/lib$2.a
-include $(patsubst %.o,%.d,$(call tile_objs,$1,$3))
endef

# host objects
$(B)/host/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

ALL :=
UNIT_TESTS :=
TILE_LIBS :=
APPS :=
CLEAN :=

include $(wildcard tile-kernel/arch/*/build.mk)
include tile-kernel/build.mk
include $(wildcard mpb-channels/build.mk)
include $(wildcard lib/*/build.mk)
include host-driver/build.mk
include $(wildcard host-driver/backend/*/build.mk)
include host-tools/build.mk
include apps/build.mk
include examples/build.mk
include bench/build.mk
include tests/build.mk

$(foreach a,$(TILE_ARCHES),$(eval $(call tile_arch_rules,$a)))

# Header dependencies of the host library, read after every fragment has added its sources.
-include $(patsubst %.c,$(B)/host/%.d,$(HD_SRCS)) $(patsubst %.c,$(B)/host-pic/%.d,$(HD_SRCS))

all: $(ALL) $(TILE_LIBS) $(APPS)

clean:
	rm -rf $(B)/bin $(B)/host $(B)/tile $(B)/apps $(B)/tests $(B)/lib $(B)/libexec $(B)/runner \
		$(CLEAN)

distclean:
	rm -rf $(B)

.PHONY: all clean distclean test demo deps install uninstall install-emu-crt0

deps:
	@tools/deps.sh

# make install PREFIX=... [DESTDIR=...]: the commands and their man pages, the host library
# (static, shared, tessera-host.pc, headers), and for each tile arch what tessera-mpicc links
# (tile kernel, channels, MPI, Newlib) with tessera-mpi.pc; `make uninstall` takes it away.
install: all
	@tools/install.sh install $(B) $(PREFIX) '$(DESTDIR)' $(TESSERA_VERSION) '$(TILE_ARCHES)' \
		'$(HOST_LDLIBS)'
uninstall:
	@tools/install.sh uninstall $(B) $(PREFIX) '$(DESTDIR)'
# (called by tools/install.sh) crt0.o for images that name the installed tessera
install-emu-crt0:
	$(Q)$(call emu_crt0,$(CRT0_OUT),$(TESSERA_RUNTIME))

# The main job: an MPI program on the emulated 48-core SCC.
DEMO_APP ?= $(if $(wildcard apps/pi/*.c),pi,hello)
demo:
	@tools/deps.sh
	@$(MAKE) --no-print-directory -j2 all
	@echo "== tessera-mpirun -np 48 build/apps/$(DEMO_APP)  (an MPI program on the emulated 48-core SCC)"
	@$(B)/bin/tessera-mpirun -np 48 $(B)/apps/$(DEMO_APP)
