# SPDX-License-Identifier: MIT
# lib/rcce: RCCE 1.1.0 and iRCCE 2.0 for tile images. As RCCE did, one library per mode the
# program is compiled for: librcce (simplified API, whole-line flags, with iRCCE),
# librcce_gory (-DGORY), librcce_sbf (-DSINGLEBITFLAGS, with iRCCE), librcce_gory_sbf;
# tessera-mpicc --rcce (tessera-rccecc) links the one the program's flags select. The same
# sources are built for the host fake (tests/fake) for the unit tests in tests/rcce.
RCCE_SRCS := lib/rcce/admin.c lib/rcce/mem.c lib/rcce/wait.c lib/rcce/flags.c \
	lib/rcce/heap.c lib/rcce/malloc.c lib/rcce/putget.c lib/rcce/send.c lib/rcce/comm.c \
	lib/rcce/coll.c lib/rcce/power.c
IRCCE_SRCS := lib/rcce/ircce.c lib/rcce/ircce_list.c
RCCE_CFLAGS := -Ilib/rcce -DRC_POWER_MANAGEMENT
RCCE_VARIANTS := rcce rcce_gory rcce_sbf rcce_gory_sbf
RCCE_VFLAGS_rcce :=
RCCE_VFLAGS_rcce_gory := -DGORY
RCCE_VFLAGS_rcce_sbf := -DSINGLEBITFLAGS
RCCE_VFLAGS_rcce_gory_sbf := -DGORY -DSINGLEBITFLAGS
RCCE_VSRCS = $(RCCE_SRCS) $(if $(findstring gory,$1),,$(IRCCE_SRCS))

# $(call rcce_lib,ARCH,VARIANT): build/tile/ARCH/libVARIANT.a. Not in TILE_LIBS_ARCH, which
# every image links (tessera.specs): only tessera-mpicc --rcce links one of them.
define rcce_lib
$(B)/tile/$1/$2/%.o: %.c $(B)/newlib/$1/.built
	@mkdir -p $$(@D)
	@echo "  CC.$1   $$< ($2)"
	$$(Q)$(HOST_CC) $$(call tile_cflags,$1) $(RCCE_CFLAGS) $(RCCE_VFLAGS_$2) -c $$< -o $$@
$(B)/tile/$1/lib$2.a: $(patsubst %.c,$(B)/tile/$1/$2/%.o,$(call RCCE_VSRCS,$2))
	@echo "  AR.$1   $$@"
	$$(Q)rm -f $$@ && ar rcs $$@ $$^
TILE_LIBS += $(B)/tile/$1/lib$2.a
RCCE_LIBS_$1 += $(B)/tile/$1/lib$2.a
-include $(patsubst %.c,$(B)/tile/$1/$2/%.d,$(call RCCE_VSRCS,$2))
endef
$(foreach a,$(TILE_ARCHES),$(foreach v,$(RCCE_VARIANTS),$(eval $(call rcce_lib,$a,$v))))
# RCCE programs (apps/rcce-*, built by apps/build.mk) depend on the libraries too.
$(foreach a,$(TILE_ARCHES),$(foreach n,$(notdir $(patsubst %/,%,$(dir $(wildcard apps/rcce-*/*.c)))),\
	$(eval $(if $(filter emu,$a),$(B)/apps/$n,$(B)/apps/$a/$n): $$$$(RCCE_LIBS_$a))))

# The MPI twins of the RCCE apps (apps/rcce-*/mpi/*.c): build/apps/rcce-NAME-mpi, for the
# integration test that compares their answers and for make bench.
RCCE_TWINS := $(sort $(notdir $(patsubst %/mpi/,%,$(dir $(wildcard apps/rcce-*/mpi/*.c)))))
define rcce_twin
$(B)/apps/$1-mpi: $(wildcard apps/$1/mpi/*.c) $(B)/bin/tessera-mpicc $(B)/tile/emu/crt0.o \
		$(B)/tile/emu/tile.ld $$(TILE_LIBS_emu)
	@mkdir -p $$(@D)
	@echo "  APP.emu  $$@"
	$$(Q)$(B)/bin/tessera-mpicc $$(APP_CFLAGS) -o $$@ $(wildcard apps/$1/mpi/*.c) -lm
APPS += $(B)/apps/$1-mpi
endef
$(foreach t,$(RCCE_TWINS),$(eval $(call rcce_twin,$t)))
