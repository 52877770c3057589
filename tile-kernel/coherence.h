/* SPDX-License-Identifier: MIT */
/*
 * coherence.h: the state of the strict coherence model (one per core) and the two hooks
 * through which coherence.c reaches memory and its state. Inside the tile kernel, and for
 * the host fake (tests/fake) that compiles coherence.c for the host; nothing else includes it.
 *
 * On every tile arch the board is mapped at the SCC core addresses, so a core address is a
 * pointer (TK_MPB_PTR is the identity) and each core has its own copy of the image (the state
 * is a static). Under strict coherence an arch may keep the MPB and shared-DRAM windows for
 * the model alone: they are then inaccessible at their addresses and the model adds
 * arch_mpb_alias() to reach them. The host fake predefines both hooks (tests/fake/
 * hal_fake_hooks.h) to translate addresses into malloc'd buffers and to keep one state per
 * simulated core (its arch_mpb_alias is 0: TK_MPB_PTR translates).
 */
#ifndef TK_COHERENCE_H
#define TK_COHERENCE_H

#include <stdint.h>
#include "tessera/board.h"

/* P54C L1 data cache: 8 KB, 2-way set associative, 32-byte lines -> 128 sets. */
#define TK_L1_WAYS	2u
#define TK_L1_SETS	128u
#define TK_L1_LINE	TESSERA_LINE_BYTES

enum tk_coherence_mode {
	TK_COHERENCE_UNKNOWN = 0,	/* tk_flags() not looked at yet */
	TK_COHERENCE_HOST = 1,		/* plain memory plus fences */
	TK_COHERENCE_STRICT = 2,	/* modelled L1 and WCB */
};

struct tk_l1_line {
	uintptr_t line;			/* core address of the line (multiple of 32) */
	uint32_t valid;
	uint8_t data[TK_L1_LINE];
};

struct tk_coherence {
	uint32_t mode;			/* enum tk_coherence_mode */
	uint32_t timed;			/* virtual time: accesses are charged (timing.c) */
	uint64_t alias;			/* strict: added to an address to reach its memory */
	/* the write-combining buffer: one line, a byte mask of what was written */
	uint32_t wcb_valid;
	uint32_t wcb_mask;		/* bit i: byte i of the line is pending */
	uintptr_t wcb_line;
	uint8_t wcb_data[TK_L1_LINE];
	/* the MPB-typed part of the L1; lru[s] is the way the next fill of set s replaces */
	uint8_t lru[TK_L1_SETS];
	struct tk_l1_line l1[TK_L1_SETS][TK_L1_WAYS];
	/* statistics, for tests and curiosity */
	uint64_t hits, misses, evictions, drains, invalidates;
};

#ifndef TK_MPB_PTR
#define TK_MPB_PTR(addr) ((void *)(uintptr_t)(addr))
#endif

#endif
