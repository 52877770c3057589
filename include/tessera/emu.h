/* SPDX-License-Identifier: MIT */
/*
 * emu.h: the paravirtual interface between an emu core runner (host-driver/backend/emu/
 * runner.c) and the tile kernel's emu arch (tile-kernel/arch/emu/hal.c). The runner enters
 * a core at its image's entry with %rdi pointing at a struct tessera_emu_ops of its own, and
 * the core's arch hooks call through it: whether the runner runs one core or many (then as
 * user-level contexts, switched without entering the host kernel), the same image works.
 *
 * The functions run on the calling core's stack, with the System V calling convention.
 * A runner's memory is shared by the cores it runs; it holds nothing of the host's.
 */
#ifndef TESSERA_EMU_H
#define TESSERA_EMU_H

#include <stdint.h>

#define TESSERA_EMU_OPS_VERSION	1u

struct tessera_emu_ops {
	uint32_t version;	/* TESSERA_EMU_OPS_VERSION */
	uint32_t ncores;	/* cores this runner runs (1: a process per core) */
	/* Sleep while *word == 0, at most timeout_ns (0: no limit); may return early. Other
	 * cores of the runner run meanwhile. */
	void (*halt)(volatile uint32_t *word, uint64_t timeout_ns);
	/* Let another core run: one of this runner, else another process on this CPU. */
	void (*yield)(void);
	/* Wake `core` (its irq is already raised), wherever it runs. */
	void (*wake)(uint32_t core);
	/* This core is done (its outcome is published); never returns. */
	__attribute__((noreturn)) void (*stop)(int status);
	/* CLOCK_MONOTONIC in ns, without a system call where the host allows. */
	uint64_t (*time_ns)(void);
};

#endif
