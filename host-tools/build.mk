# SPDX-License-Identifier: MIT
# host-tools: the `tessera` command, tessera-mpicc and tessera-mpirun. The command links the
# shared libtessera-host, which exports only the API of include/tessera/host.h: that is the
# proof that the command uses no private back door (issue 9).
HT_SRCS := host-tools/tessera.c host-tools/cli.c host-tools/run.c host-tools/stop.c host-tools/ls.c host-tools/contexts.c host-tools/info.c \
	host-tools/boards.c host-tools/gdb.c host-tools/inspect.c host-tools/progress.c $(wildcard host-tools/top.c host-tools/heatmap.c host-tools/heatmap_layout.c \
	host-tools/raster.c)
HT_OBJS := $(patsubst %.c,$(B)/host/%.o,$(HT_SRCS))
HT_LDLIBS := -lpng
-include $(HT_OBJS:.o=.d)

$(B)/bin/tessera: $(HT_OBJS) $(B)/lib/libtessera-host.so
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(HOST_CC) -o $@ $(HT_OBJS) -L$(B)/lib -ltessera-host -Wl,-rpath,'$$ORIGIN/../lib' \
		$(HT_LDLIBS)

# The wrappers are scripts; they find the tile libraries relative to where they sit.
# tessera-mpicc links through tessera.specs (one per tile arch): GCC puts the libraries it
# names after every input of the link, and keeps the host's library directories out.
define tile_specs
$(B)/tile/$1/tessera.specs: $(TILE_LIBS_$1) host-tools/build.mk
	@mkdir -p $$(@D)
	$$(Q)printf '*startfile:\n\n\n*endfile:\n\n\n*link_libgcc:\n\n\n*lib:\n%s -lc -lm\n\n*libgcc:\n%s\n\n' \
		'$(patsubst lib%.a,-l%,$(notdir $(TILE_LIBS_$1)))' \
		"$$$$($(HOST_CC) $(TILE_ARCH_CFLAGS_$1) -print-libgcc-file-name)" > $$@
endef
$(foreach a,$(TILE_ARCHES),$(eval $(call tile_specs,$a)))
HT_SPECS := $(foreach a,$(TILE_ARCHES),$(B)/tile/$a/tessera.specs)

# tile/ARCH/hostcc: what a host compiler that links an image without tessera.specs (CMake's
# FindMPI keeps only the wrapper's -Wl, -L and -l flags) finds through -L (docs/build-systems.md):
# crt0.o for tile.ld's INPUT, libc.a = Newlib's C library and the tile kernel in one archive
# (gcc's own -lc comes after the tile libraries and, without -static, in no group: Newlib's
# calls into the kernel must resolve within the archive), and empty libgcc_s.a, libpthread.a,
# libdl.a, librt.a, so that gcc's -lgcc_s and a project's -lpthread find nothing of the host.
# Newlib's members that the arch's kernel replaces (TK_LIBC_REPLACED_<arch>: memcpy, ... of
# arch/emu/string.S) are left out of it, so that a link can only ever take the kernel's.
HT_HOSTCC_EMPTY := gcc_s pthread dl rt
define tile_hostcc
$(B)/tile/$1/hostcc/libc.a: $(B)/tile/$1/libtk.a $(B)/newlib/$1/.built host-tools/build.mk
	@mkdir -p $$(@D)
	@echo "  AR.$1   $$@"
	$$(Q)rm -f $$@.tmp && printf 'create %s\naddlib %s\naddlib %s\nsave\nend\n' $$@.tmp \
		$(B)/newlib/$1/lib/libc.a $(B)/tile/$1/libtk.a | ar -M && \
		$(if $(TK_LIBC_REPLACED_$1),ar d $$@.tmp $(patsubst %,lib_a-%.o,$(TK_LIBC_REPLACED_$1)) &&) \
		ranlib $$@.tmp && mv -f $$@.tmp $$@
$(patsubst %,$(B)/tile/$1/hostcc/lib%.a,$(HT_HOSTCC_EMPTY)):
	@mkdir -p $$(@D)
	$$(Q)rm -f $$@ && ar rc $$@
$(B)/tile/$1/hostcc/crt0.o: $(B)/tile/$1/crt0.o
	@mkdir -p $$(@D)
	$$(Q)ln -sf ../crt0.o $$@
ALL += $(B)/tile/$1/hostcc/libc.a $(B)/tile/$1/hostcc/crt0.o \
	$(patsubst %,$(B)/tile/$1/hostcc/lib%.a,$(HT_HOSTCC_EMPTY))
endef
$(foreach a,$(TILE_ARCHES),$(eval $(call tile_hostcc,$a)))

# Scripts with the version in them; the launcher's other names are links to it (it answers
# to the name it is called by); the C++ and Fortran wrappers say they are not there yet.
HT_SCRIPTS := tessera-mpicc tessera-mpirun tessera-mpicxx tessera-ld
HT_LINKS := tessera-mpiexec:tessera-mpirun tessera-mpic++:tessera-mpicxx \
	tessera-mpif90:tessera-mpicxx tessera-mpif77:tessera-mpicxx tessera-mpifort:tessera-mpicxx
# (every image links through it, and its -lc finds tile/ARCH/hostcc/libc.a first: an image
# must not link while that archive is made again)
$(B)/bin/tessera-mpicc: $(HT_SPECS) $(foreach a,$(TILE_ARCHES),$(B)/tile/$a/hostcc/libc.a)
$(addprefix $(B)/bin/,$(HT_SCRIPTS)): $(B)/bin/%: host-tools/% include/tessera/host.h
	@mkdir -p $(@D)
	$(Q)sed 's/@VERSION@/$(TESSERA_VERSION)/g' $< > $@ && chmod +x $@
define ht_link
$(B)/bin/$1: $(B)/bin/$2
	$$(Q)ln -sf $2 $$@
ALL += $(B)/bin/$1
endef
$(foreach l,$(HT_LINKS),$(eval $(call ht_link,$(word 1,$(subst :, ,$l)),$(word 2,$(subst :, ,$l)))))

ALL += $(B)/bin/tessera $(addprefix $(B)/bin/,$(HT_SCRIPTS))

# RCCE programs (lib/rcce, docs/rcce.md): tessera-rccecc and the rccerun alias.
$(B)/bin/tessera-rccecc $(B)/bin/rccerun: $(B)/bin/%: host-tools/%
	@mkdir -p $(@D)
	$(Q)cp $< $@ && chmod +x $@
ALL += $(B)/bin/tessera-rccecc $(B)/bin/rccerun

# tessera-dist: the `tessera` command with `run --distributed` (docs/distributed.md), which
# needs Open MPI; `tessera run --distributed` hands itself to it. It links the host library
# statically: the distributed engine (host-driver/dist*.c) is not part of the public API.
# Built only when Open MPI's compiler wrapper is there.
MPICC := $(shell command -v mpicc 2>/dev/null)
ifneq ($(MPICC),)
HT_DIST_SRCS := host-tools/dist_run.c host-tools/dist_mpi.c
HT_DIST_OBJS := $(patsubst %.c,$(B)/host/%.o,$(HT_DIST_SRCS))
-include $(HT_DIST_OBJS:.o=.d)
$(HT_DIST_OBJS): HOST_CFLAGS += $(shell $(MPICC) --showme:compile) -Ihost-tools
$(B)/bin/tessera-dist: $(HT_OBJS) $(HT_DIST_OBJS) $(B)/lib/libtessera-host.a
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(HOST_CC) -o $@ $(HT_OBJS) $(HT_DIST_OBJS) $(B)/lib/libtessera-host.a $(HOST_LDLIBS) \
		$(HT_LDLIBS) $(shell $(MPICC) --showme:link)
ALL += $(B)/bin/tessera-dist
endif
