/* SPDX-License-Identifier: MIT */
/*
 * runner.h: the contract between the emu backend (emu.c, in the host library) and the core
 * runner (runner.c, the tessera-runner executable): what the host tells a runner about the
 * cores it is to run. Private to host-driver/backend/emu; freestanding (no libc types).
 *
 * The host writes one struct runner_spec, followed by ncores struct runner_core, into a
 * memory file and starts the runner with that file as descriptor RUNNER_SPEC_FD. Everything
 * in it has been checked by the host (LUT entries inside the board's files, never the
 * chip header); the runner trusts it and nothing else: it takes no input from the board
 * before its tiles run.
 */
#ifndef EMU_RUNNER_H
#define EMU_RUNNER_H

#include <stdint.h>
#include "tessera/board.h"

#define RUNNER_SPEC_MAGIC	0x52454e4e55524554ull	/* "TERUNNER" */
#define RUNNER_SPEC_VERSION	1u
#define RUNNER_SPEC_FD		3
#define RUNNER_PATH_MAX		4096

struct runner_core {
	uint32_t core;
	uint32_t pad;
	struct tessera_lut_entry lut[TESSERA_LUT_ENTRIES];	/* checked by the host */
};

struct runner_spec {
	uint64_t magic;		/* RUNNER_SPEC_MAGIC */
	uint32_t version;	/* RUNNER_SPEC_VERSION */
	uint32_t ncores;	/* struct runner_core that follow */
	int32_t host_pid;	/* the runner's parent: it stops if that is not its parent */
	int32_t cpu;		/* host CPU to run on, -1: any */
	char dir[RUNNER_PATH_MAX];	/* the board directory (chip, coreNNNN.dram) */
	uint64_t chip_bytes;	/* the chip file's layout size */
	struct runner_core core[];
};

#endif
