/* SPDX-License-Identifier: MIT */
/*
 * arch.h: the hooks each tile arch provides (tile-kernel/arch/<arch>/), and nothing else.
 * Generic tile-kernel code calls only these for what differs between an emulated core
 * process (emu) and a bare-metal core (i386). Tile side only; never included from outside
 * the tile kernel.
 */
#ifndef TK_ARCH_H
#define TK_ARCH_H

#include <stdint.h>
#include "tessera/board.h"

/* Sleep while *word == 0, at most timeout_ns (0: no limit). May return early. */
void arch_halt(volatile uint32_t *word, uint64_t timeout_ns);
/* Give the host CPU to another core that shares it, if any (returns at once otherwise): 1.
 * 0 if this arch cannot give it away but by halting (a VM), so a waiting caller halts. */
int arch_yield(void);
/* Wake `core` if it sleeps in arch_halt on `word` (the caller has already set *word). */
void arch_wake(uint32_t core, volatile uint32_t *word);
/* 1 when arch_halt only switches to another core of the same host thread (no kernel entry
 * unless all of them wait), 0 when it puts the core itself to sleep. */
int arch_halt_is_switch(void);
/* Tell the host that this core's host window has news (console, host call, exit). */
void arch_host_notify(void);
/* Monotonic time in ns on the clock the host uses for the job's timebase. */
uint64_t arch_time_ns(void);
/* This core's cycle counter. */
uint64_t arch_cycles(void);
/* How long a waiting core should poll before it halts, in arch_cycles(): about what a halt
 * and the wake-up that ends it cost this core, so that a wait never costs more than twice
 * the cheaper of the two. */
uint64_t arch_spin_cycles(void);
/* Host CPU time this core has used, in ns (its computation, for virtual time: timing.c). */
uint64_t arch_cpu_ns(void);
/* Stop this core for good; the status is already published in the host window. */
__attribute__((noreturn)) void arch_stop(int status);
/* The caller's registers at the return from this call, in DWARF numbering, for the host to
 * unwind its call chain (board.h, tessera_status.fault_regs); returns how many it filled
 * (0 where the arch gives none). */
unsigned arch_regs_here(uint64_t regs[TESSERA_FAULT_REGS]);
/* Last-resort output that needs no host window (early boot, a broken host window). */
void arch_early_write(const char *s, unsigned long n);

/*
 * MPB access (provided by arch/<arch>/mpb.c). Loads and stores themselves are plain C on
 * every arch (the board is mapped at its SCC addresses); these are the two instructions the
 * SCC added for MPB-typed memory and the spin hint. coherence.c calls them in both of its
 * modes, so a real SCC core executes the real instructions whatever the model does.
 */
/* CL1INVMB: drop every MPB-typed line of this core's L1; later loads stay after it. */
void arch_cl1invmb(void);
/* Drain the write-combining buffer: every earlier MPB store is visible to every core, and
 * ordered before every later load and store of this core. */
void arch_wcb_flush(void);
/* A spin-wait hint, for a core that polls memory another core will write. */
void arch_relax(void);

/*
 * Strict coherence (provided by arch/<arch>/hal.c): where the board keeps the model's own
 * way to MPB and shared-DRAM memory, so that nothing else reaches it by accident.
 */
/* What to add to an MPB or shared-DRAM address (an SCC address, or an own alias at the view
 * base) for the coherence model's access to it; 0 where the model uses the address itself. */
uint64_t arch_mpb_alias(void);
/* Take direct access away from the pages of shared DRAM that [addr, addr + bytes) touches, for
 * memory only the model touches (mpb-channels' part); the alias keeps it. 0, or a negative
 * errno value where the arch cannot (the caller goes on without: nothing is lost but the
 * check). */
int arch_mpb_seal(uintptr_t addr, uint64_t bytes);

#endif
