/* SPDX-License-Identifier: MIT */
/*
 * runner.h: the contract between the emu backend (emu.c, in the host library) and the core
 * runner (runner.c, the tessera-runner executable): what the host tells a runner about the
 * cores it is to run. Private to host-driver/backend/emu; freestanding (no libc types).
 *
 * The host writes one struct runner_spec, followed by ncores struct runner_core, into a
 * memory file and starts the runner with that file as descriptor RUNNER_SPEC_FD. Everything
 * in it has been checked by the host (LUT entries inside the board's files, never the
 * chip header; the windows every core sees alike agree between the runner's cores); the
 * runner trusts it and nothing else: it takes no input from the board before its tiles run
 * but the boot info of each core (where to enter it), which is the core's own business.
 */
#ifndef EMU_RUNNER_H
#define EMU_RUNNER_H

#include <stdint.h>
#include "tessera/board.h"

#define RUNNER_SPEC_MAGIC	0x52454e4e55524554ull	/* "TERUNNER" */
#define RUNNER_SPEC_VERSION	4u
#define RUNNER_SPEC_FD		3
#define RUNNER_PATH_MAX		4096
/* CPU time a core may run before the runner lets the next one run (runners of many cores). */
#define RUNNER_SLICE_US		5000u
/* How long a runner with no core ready looks for a wake-up before it sleeps (TSC cycles,
 * about 20 us at 2.5 GHz: as long as mpb-channels spins before it halts). */
#define RUNNER_SPIN_CYCLES	50000ull

struct runner_core {
	uint32_t core;
	uint32_t text_slot;	/* 1 + slot of the board's text-NN file mapped at text_lo; 0: none */
	uint64_t view;		/* where this core's own windows go (tessera_window_is_own) */
	uint64_t text_lo, text_bytes;	/* private-DRAM offsets of the shared text */
	struct tessera_lut_entry lut[TESSERA_LUT_ENTRIES];	/* checked by the host */
};

struct runner_spec {
	uint64_t magic;		/* RUNNER_SPEC_MAGIC */
	uint32_t version;	/* RUNNER_SPEC_VERSION */
	uint32_t ncores;	/* struct runner_core that follow */
	int32_t host_pid;	/* the runner's parent: it stops if that is not its parent */
	int32_t cpu;		/* host CPU to run on, -1: any */
	uint32_t leader;	/* the core whose wake block the runner sleeps on (its first) */
	uint32_t spin;		/* 1: a CPU for each runner, so spin a while before sleeping */
	uint32_t debug;		/* 1: its one core runs under gdb (backend/emu/debug.c): it stops
				 * itself before it confines itself, for the host to trace it, and
				 * maps its text private, where breakpoints may be written */
	uint32_t strict;	/* 1: --coherence=strict: MPB windows for the model alone (emu.h) */
	char dir[RUNNER_PATH_MAX];	/* the board directory (chip, coreNNNN.dram, text-NN) */
	struct tessera_geom geom;
	struct tessera_layout layout;
	struct runner_core core[];
};

#endif
