# SPDX-License-Identifier: MIT
# bench: the same MPI programs built with Open MPI's mpicc and with tessera-mpicc; `make bench`
# runs them side by side (bench/run.sh) and prints the tables. Never part of `make test`.
BENCH_NAMES := $(basename $(notdir $(wildcard bench/src/*.c)))
BENCH_OMPI := $(patsubst %,$(B)/bench/ompi/%,$(BENCH_NAMES))
BENCH_TESSERA := $(patsubst %,$(B)/bench/tessera/%,$(BENCH_NAMES))
# and for QEMU tiles (the QEMU part of the tables)
BENCH_I386 := $(patsubst %,$(B)/bench/tessera-i386/%,$(BENCH_NAMES))

$(B)/bench/ompi/%: bench/src/%.c
	@mkdir -p $(@D)
	@echo "  MPICC   $@"
	$(Q)mpicc -O2 -o $@ $<
$(B)/bench/tessera/%: bench/src/%.c $(B)/bin/tessera-mpicc $$(TILE_LIBS_emu) $(B)/tile/emu/crt0.o \
		$(B)/tile/emu/tile.ld
	@mkdir -p $(@D)
	@echo "  TMPICC  $@"
	$(Q)$(B)/bin/tessera-mpicc -O2 -o $@ $<

$(B)/bench/tessera-i386/%: bench/src/%.c $(B)/bin/tessera-mpicc $$(TILE_LIBS_i386) \
		$(B)/tile/i386/crt0.o $(B)/tile/i386/tile.ld
	@mkdir -p $(@D)
	@echo "  TMPICC  $@"
	$(Q)$(B)/bin/tessera-mpicc --arch=i386 -O2 -o $@ $<

bench:
	@tools/deps.sh
	@$(MAKE) --no-print-directory -j2 all $(BENCH_OMPI) $(BENCH_TESSERA) $(BENCH_I386)
	@bench/run.sh
# Instructions of the MPI fast path, counted by callgrind (bench/cg.sh): deterministic where
# wall-clock times on a loaded machine are not.
bench-cg: $(B)/tests/mpi/libmpi-host-mpbc.a $(B)/tests/mpi/fakerun
	@bench/cg.sh 8
.PHONY: bench bench-cg
