# SPDX-License-Identifier: MIT
# tests/mpi: the MPI conformance programs (tests/mpi/conf/*.c), each built three ways:
#   build/tests/mpi/ompi/NAME     with Open MPI's mpicc (the reference)
#   build/tests/mpi/tessera/NAME  with tessera-mpicc (a tile image)
#   build/tests/mpi/host/NAME     against libmpi-host.a (the library over the host fake)
#   build/tests/mpi/host-mpbc/NAME (p2p_* only) against libmpi-host-mpbc.a (over the real
#                                 channels, a board in fakerun's shared region)
# tests/integration/test_mpi_conformance.c runs them and compares; the unit tests of the
# library pieces that need no transport are tests/mpi/unit/test_*.c.
MPI_CONF_NAMES := $(basename $(notdir $(wildcard tests/mpi/conf/*.c)))
MPI_CONF_OMPI := $(patsubst %,$(B)/tests/mpi/ompi/%,$(MPI_CONF_NAMES))
MPI_CONF_TESSERA := $(patsubst %,$(B)/tests/mpi/tessera/%,$(MPI_CONF_NAMES))
MPI_CONF_HOST := $(patsubst %,$(B)/tests/mpi/host/%,$(MPI_CONF_NAMES))

$(B)/tests/mpi/ompi/%: tests/mpi/conf/%.c tests/mpi/conf/conf.h
	@mkdir -p $(@D)
	@echo "  MPICC   $@"
	$(Q)mpicc -O1 -g -o $@ $< -lm

$(B)/tests/mpi/tessera/%: tests/mpi/conf/%.c tests/mpi/conf/conf.h $(B)/bin/tessera-mpicc \
		$$(TILE_LIBS_emu) $(B)/tile/emu/crt0.o $(B)/tile/emu/tile.ld
	@mkdir -p $(@D)
	@echo "  TMPICC  $@"
	$(Q)$(B)/bin/tessera-mpicc -O1 -g -o $@ $< -lm

$(B)/tests/mpi/host/%: tests/mpi/conf/%.c tests/mpi/conf/conf.h $(B)/tests/mpi/libmpi-host.a
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(HOST_CC) -std=gnu11 -O1 -g -Ilib/mpi -o $@ $< $(B)/tests/mpi/libmpi-host.a -lm

# The point-to-point programs once more against libmpi-host-mpbc.a (lib/mpi over the real
# mpb-channels, ranks as processes under fakerun: what `make bench-cg` profiles), so that the
# conformance test runs the real channels' fast paths under many processes too.
MPI_CONF_MPBC := $(patsubst %,$(B)/tests/mpi/host-mpbc/%,$(filter p2p_%,$(MPI_CONF_NAMES)))
$(B)/tests/mpi/host-mpbc/%: tests/mpi/conf/%.c tests/mpi/conf/conf.h $(B)/tests/mpi/libmpi-host-mpbc.a
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(HOST_CC) -std=gnu11 -O1 -g -Ilib/mpi -o $@ $< $(B)/tests/mpi/libmpi-host-mpbc.a -lm

# The two programs of the MPMD test (tests/integration/test_mpmd.c): one source, two images.
MPI_MPMD := mpmd_server mpmd_client
mpmd_flags = $(if $(filter mpmd_server,$(notdir $1)),-DMPMD_SERVER)
$(patsubst %,$(B)/tests/mpi/ompi/%,$(MPI_MPMD)): tests/mpi/mpmd/mpmd.c
	@mkdir -p $(@D)
	@echo "  MPICC   $@"
	$(Q)mpicc -O1 -g $(call mpmd_flags,$@) -o $@ $<
$(patsubst %,$(B)/tests/mpi/tessera/%,$(MPI_MPMD)): tests/mpi/mpmd/mpmd.c $(B)/bin/tessera-mpicc \
		$$(TILE_LIBS_emu) $(B)/tile/emu/crt0.o $(B)/tile/emu/tile.ld
	@mkdir -p $(@D)
	@echo "  TMPICC  $@"
	$(Q)$(B)/bin/tessera-mpicc -O1 -g $(call mpmd_flags,$@) -o $@ $<
TEST_EXTRA += $(if $(shell command -v mpicc 2>/dev/null),$(patsubst %,$(B)/tests/mpi/ompi/%,$(MPI_MPMD))) \
	$(patsubst %,$(B)/tests/mpi/tessera/%,$(MPI_MPMD))

MPI_UNIT_TESTS := $(patsubst tests/mpi/unit/%.c,$(B)/tests/mpi/unit/%,$(wildcard tests/mpi/unit/test_*.c))
$(B)/tests/mpi/unit/%: tests/mpi/unit/%.c $(B)/tests/mpi/libmpi-host.a
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	$(Q)$(HOST_CC) -std=gnu11 -O1 -g -Wall -Wextra -Ilib/mpi -Itests/mpi/fake -Impb-channels -Itile-kernel \
		-Iinclude -o $@ $< \
		$(B)/tests/mpi/libmpi-host.a $(CRITERION_LIBS)
UNIT_TESTS += $(MPI_UNIT_TESTS)

# Everything the conformance test needs, built before `make test` runs it (the Open MPI
# builds only where mpicc exists: tools/deps.sh installs it; the test skips without it).
TEST_EXTRA += $(if $(shell command -v mpicc 2>/dev/null),$(MPI_CONF_OMPI)) \
	$(MPI_CONF_TESSERA) $(MPI_CONF_HOST) $(MPI_CONF_MPBC) $(B)/tests/mpi/fakerun
.PHONY: mpi-conf
mpi-conf: $(MPI_CONF_OMPI) $(MPI_CONF_TESSERA) $(MPI_CONF_HOST) $(MPI_CONF_MPBC) \
	$(B)/tests/mpi/fakerun
