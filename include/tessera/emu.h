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

#define TESSERA_EMU_OPS_VERSION	3u

/* Under --coherence=strict the runner maps the MPB window, the own-MPB alias and shared DRAM
 * a second time, this far above where they are (their SCC address, or the core's view base
 * plus it), and leaves the MPB windows at their SCC addresses without access: the coherence
 * model reaches memory through the alias, so a load or store that bypasses it faults
 * (docs/coherence.md). 8 TB: above every SCC address, below every core's view (16 TB on). */
#define TESSERA_EMU_STRICT_ALIAS (1ull << 43)

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
	/* Where the coherence model finds MPB and shared-DRAM memory: its address plus this
	 * (TESSERA_EMU_STRICT_ALIAS under --coherence=strict, else 0: at the address itself). */
	uint64_t mpb_alias;
	/* Under strict: take direct access away from the pages of shared DRAM that [addr, addr +
	 * bytes) touches (SCC addresses), which the model then alone reaches through its alias:
	 * 0, or a negative errno value (-EINVAL outside shared DRAM or not strict). */
	int (*seal)(uint64_t addr, uint64_t bytes);
	/* The CPU time the calling core has used, in ns, from an arbitrary start: its thread's
	 * clock when it runs alone, else its share that the runner charges it at every switch
	 * (virtual time counts a core's computation by it: docs/timing.md). */
	uint64_t (*cpu_ns)(void);
};

#endif
