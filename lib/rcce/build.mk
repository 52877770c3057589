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

# ---- unit tests (tests/rcce): the library over the host fake, one build per mode tested.
# Each simulated UE is a thread, so RCCE's globals are thread-local (RCCE_PER_CORE).
RCCE_FAKE_CFLAGS = $(MPBC_FAKE_CFLAGS) $(RCCE_CFLAGS) -Itests/rcce '-DRCCE_PER_CORE=__thread' \
	-Wno-unused-function
define rcce_fake
$(B)/host/$1/%.o: %.c
	@mkdir -p $$(@D)
	@echo "  CC      $$< ($1, host fake)"
	$$(Q)$(HOST_CC) $$(HOST_CFLAGS) $$(RCCE_FAKE_CFLAGS) $(RCCE_VFLAGS_$1) -c $$< -o $$@
RCCE_FAKE_OBJS_$1 := $(patsubst %.c,$(B)/host/$1/%.o,$(call RCCE_VSRCS,$1))
-include $(patsubst %.c,$(B)/host/$1/%.d,$(call RCCE_VSRCS,$1) $(wildcard tests/rcce/*.c))
endef
$(foreach v,rcce rcce_gory rcce_sbf,$(eval $(call rcce_fake,$v)))

# test_NAME (default mode), test_NAME_sbf (SINGLEBITFLAGS), test_gory (GORY)
RCCE_TESTS_rcce := admin flags send comm coll heap power ircce
RCCE_TESTS_rcce_sbf := flags send comm ircce
RCCE_TESTS_rcce_gory := gory
define rcce_test
$(B)/tests/rcce/test_$2$(if $(filter rcce_sbf,$1),_sbf): $(B)/host/$1/tests/rcce/test_$2.o \
		$$(RCCE_FAKE_OBJS_$1) $(B)/host/tile-kernel/coherence.o $(B)/host/tile-kernel/timing.o \
		$(B)/host/tile-kernel/timing_model.o $(B)/host/tests/fake/hal_fake.o
	@mkdir -p $$(@D)
	@echo "  LD      $$@"
	$$(Q)$(HOST_CC) -o $$@ $$^ -lcriterion -lpthread
RCCE_UNIT_TESTS += $(B)/tests/rcce/test_$2$(if $(filter rcce_sbf,$1),_sbf)
endef
$(foreach v,rcce rcce_sbf rcce_gory,$(foreach t,$(RCCE_TESTS_$v),$(eval $(call rcce_test,$v,$t))))
UNIT_TESTS += $(RCCE_UNIT_TESTS)
.SECONDARY: $(foreach v,rcce rcce_sbf rcce_gory,$(patsubst %,$(B)/host/$v/tests/rcce/test_%.o,$(RCCE_TESTS_$v)))

.PHONY: test-rcce
test-rcce: $(RCCE_UNIT_TESTS)
	$(Q)for t in $(RCCE_UNIT_TESTS); do $$t || exit 1; done

# ---- RCCE programs the integration tests run (tests/rcce-images), each in its RCCE mode.
RCCE_IMAGE_FLAGS_noflag := -DGORY
RCCE_IMAGE_FLAGS_gorysbf := -DGORY -DSINGLEBITFLAGS
RCCE_IMAGE_FLAGS_power := -DRC_POWER_MANAGEMENT
RCCE_TEST_IMAGES := $(patsubst tests/rcce-images/%.c,$(B)/tests/rcce-images/%,$(wildcard tests/rcce-images/*.c))
$(B)/tests/rcce-images/%: tests/rcce-images/%.c $(B)/bin/tessera-rccecc $(B)/bin/tessera-mpicc \
		$(B)/tile/emu/crt0.o $(B)/tile/emu/tile.ld $$(TILE_LIBS_emu) $$(RCCE_LIBS_emu)
	@mkdir -p $(@D)
	@echo "  IMAGE   $@"
	$(Q)$(B)/bin/tessera-rccecc -O1 -g $(RCCE_IMAGE_FLAGS_$*) -o $@ $<
TEST_EXTRA += $(RCCE_TEST_IMAGES)
