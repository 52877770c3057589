/* SPDX-License-Identifier: MIT */
/*
 * hal_fake.h: a host fake of the tile kernel's HAL (the tk.h functions that mpb-channels and
 * coherence.c use), so that they run as ordinary host code in Criterion tests: the board's
 * MPBs and shared DRAM are malloc'd, a simulated core is a thread (or the test's own thread
 * after hal_fake_core()), halting is a condition variable. coherence.c itself provides the
 * MPB access and the strict model, compiled with hal_fake_hooks.h; the fake provides the
 * arch's MPB hooks under it (arch_cl1invmb, arch_wcb_flush: fences, counted per core).
 *
 * One board at a time per process (Criterion runs every test in its own process).
 * Any tk_* call from a thread that has no core is a bug of the test and aborts.
 */
#ifndef HAL_FAKE_H
#define HAL_FAKE_H

#include <stdint.h>
#include "tessera/board.h"

/* Fill *g with a preset: "scc48" (6x4x2, 16 KB MPB per tile), "mesh32x32" (32x32x1). */
void hal_fake_geom(const char *name, uint32_t shared_mb, struct tessera_geom *g);

/*
 * Create the board: nranks ranks on cores rank_core[r] (NULL: rank r on core r), boot flags
 * TESSERA_BOOT_*. Memory is zeroed (except with hal_fake_board_dirty, below). 0 or -errno.
 */
int hal_fake_board(const struct tessera_geom *g, uint32_t nranks, const uint16_t *rank_core,
		   uint32_t flags);
/* Computation counted in virtual time by the next board (boot info vt_scale_q32; 0: none). */
void hal_fake_vt_scale(uint64_t scale_q32);
/* Fill the MPBs and shared DRAM with garbage, as a board that ran a previous job. */
void hal_fake_board_dirty(uint8_t byte);
void hal_fake_board_free(void);

/* Make the calling thread act as core `core` (the tests' single-thread scenarios). */
void hal_fake_core(uint32_t core);

/* Run fn(rank, arg) on nranks threads, one per rank; returns the first non-zero result. */
int hal_fake_run(int (*fn)(uint32_t rank, void *arg), void *arg);

/* Counters of a core, for assertions. */
struct hal_fake_counts {
	uint64_t msgs_sent, bytes_sent, msgs_recv, bytes_recv;
	uint64_t irqs_received;		/* tk_irq_send aimed at this core */
	uint64_t irqs_while_running;	/* ... of which it was not announced halted */
	uint64_t halts, halt_timeouts;
	uint64_t arch_cl1invmbs, arch_wcb_flushes;	/* the core's own instructions (arch.h) */
};
void hal_fake_counts(uint32_t core, struct hal_fake_counts *out);

/* Translate a core address of the board (MPB or shared DRAM) to the fake's memory. */
void *hal_fake_ptr(uintptr_t addr);

#endif
