# SPDX-License-Identifier: MIT
# lib/mpi: the MPI shim. libmpi.a for every tile arch (tessera-mpicc links it), and a host
# build of the same sources over the host fake of mpb-channels and the tile kernel
# (tests/mpi/fake) for the unit tests and for running MPI programs as Linux processes.
MPI_SRCS := $(sort $(wildcard lib/mpi/*.c))
$(foreach a,$(TILE_ARCHES),$(eval $(call tile_lib,$a,mpi,$(MPI_SRCS))))

MPI_HOST_CFLAGS := -Ilib/mpi -Impb-channels -Itile-kernel -Itests/mpi/fake -fvisibility=default
MPI_HOST_OBJS := $(patsubst %.c,$(B)/host/%.o,$(MPI_SRCS) tests/mpi/fake/fake_tk.c \
	tests/mpi/fake/fake_mpbc.c)
$(B)/host/lib/mpi/%.o: HOST_CFLAGS += $(MPI_HOST_CFLAGS)
$(B)/host/tests/mpi/%.o: HOST_CFLAGS += $(MPI_HOST_CFLAGS)
-include $(MPI_HOST_OBJS:.o=.d)

# libmpi-host.a: the library and the fake, for programs run by fakerun.
$(B)/tests/mpi/libmpi-host.a: $(MPI_HOST_OBJS)
	@mkdir -p $(@D)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/tests/mpi/fakerun: tests/mpi/fake/fakerun.c tests/mpi/fake/fake.h
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -Itests/mpi/fake -o $@ $<

include tests/mpi/build.mk

# libmpi-host-mpbc.a: the library over the real mpb-channels and coherence.c, with a board
# in fakerun's shared region (tests/mpi/fake/fake_board.c): what `make bench-cg` profiles.
MPI_MPBC_CFLAGS := -Ilib/mpi -Impb-channels -Itile-kernel -Itests/mpi/fake \
	-include tests/mpi/fake/fake_board.h
MPI_MPBC_OBJS := $(patsubst %.c,$(B)/host-mpbc/%.o,$(MPBC_SRCS) tile-kernel/coherence.c \
	tile-kernel/arch/emu/mpb.c tests/mpi/fake/fake_board.c tests/mpi/fake/fake_tk.c)
$(B)/host-mpbc/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(MPI_MPBC_CFLAGS) -DFAKE_BOARD -c $< -o $@
-include $(MPI_MPBC_OBJS:.o=.d)
$(B)/tests/mpi/libmpi-host-mpbc.a: $(filter-out %/fake_mpbc.o %/fake_tk.o,$(MPI_HOST_OBJS)) \
		$(MPI_MPBC_OBJS)
	@mkdir -p $(@D)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^
