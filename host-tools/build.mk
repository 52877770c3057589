# SPDX-License-Identifier: MIT
# host-tools: the `tessera` command, tessera-mpicc and tessera-mpirun. The command links the
# shared libtessera-host, which exports only the API of include/tessera/host.h: that is the
# proof that the command uses no private back door (issue 9).
HT_SRCS := host-tools/tessera.c host-tools/cli.c host-tools/run.c host-tools/info.c \
	host-tools/boards.c host-tools/inspect.c $(wildcard host-tools/top.c host-tools/heatmap.c host-tools/heatmap_layout.c \
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
$(B)/bin/tessera-mpicc: host-tools/tessera-mpicc
	@mkdir -p $(@D)
	$(Q)cp $< $@ && chmod +x $@
$(B)/bin/tessera-mpirun: $(wildcard host-tools/tessera-mpirun)
	@mkdir -p $(@D)
	$(Q)if [ -f host-tools/tessera-mpirun ]; then cp host-tools/tessera-mpirun $@ && chmod +x $@; fi

ALL += $(B)/bin/tessera $(B)/bin/tessera-mpicc $(if $(wildcard host-tools/tessera-mpirun),$(B)/bin/tessera-mpirun)
