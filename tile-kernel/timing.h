/* SPDX-License-Identifier: MIT */
/*
 * timing.h: the SCC cost model (what an access, a flush, an interrupt costs a core, in core
 * cycles) and the per-core virtual clock state of --timing=scc and --deterministic. The cost
 * functions are pure: the same board and arguments give the same cycles on every core, on the
 * host (tests/tile-kernel/test_timing.c) and on any arch. Inside the tile kernel and its
 * tests only; what other layers call is the tk_vt_* part of tk.h.
 *
 * The figures and their sources are in docs/timing.md. In short, per 32-byte line, at the
 * SCC's clocks (533 MHz cores, 800 MHz mesh, 4 mesh cycles per router hop):
 *   MPB write: 39 cycles to the own tile, 84 at one hop, then a router round trip per
 *              further hop (2 x 4 mesh cycles = 5.33 core cycles): 121 at eight hops;
 *   MPB read:  20 / 63 / 100 likewise;
 *   shared DRAM (MPBT lines): read 97, write 122 at the memory controller's own tile, plus a
 *              round trip per hop to it; shared DRAM is spread over the four controllers
 *              by 16 MB window;
 *   an interrupt reaches its core 600 cycles after it is raised.
 * Fractions of a cycle (the per-hop part) are kept in 1/65536 and rounded once per access,
 * so every cost is a whole number of cycles.
 */
#ifndef TK_TIMING_H
#define TK_TIMING_H

#include <stddef.h>
#include <stdint.h>
#include "tessera/board.h"

/* The published figures the model starts from (SCC clocks; docs/timing.md has the sources). */
#define TK_TM_MPB_WRITE_LOCAL	39u	/* line into the own tile's MPB */
#define TK_TM_MPB_WRITE_HOP1	84u	/* line into a neighbour tile's MPB */
#define TK_TM_MPB_READ_LOCAL	20u	/* word (a line fill) from the own tile's MPB */
#define TK_TM_MPB_READ_HOP1	63u	/* ... from a neighbour tile's */
#define TK_TM_DRAM_READ0	97u	/* MPBT line from shared DRAM, controller on the own tile */
#define TK_TM_DRAM_WRITE0	122u	/* MPBT line to shared DRAM, likewise */
#define TK_TM_IRQ		600u	/* raising an interrupt until the target core takes it */
/* No published figure: CL1INVMB is one instruction that clears the MPBT-tagged lines at
 * once; assumed to cost what a pipeline drain does on the P54C. */
#define TK_TM_CL1INVMB		8u
#define TK_TM_MEM_CTRLS		4u	/* the SCC's memory controllers */

/* The SCC's clocks, at which the figures above were measured. */
#define TK_TM_SCC_CORE_MHZ	533u
#define TK_TM_SCC_MESH_MHZ	800u
#define TK_TM_SCC_MEM_MHZ	800u
#define TK_TM_SCC_HOP_CYCLES	4u

/*
 * The model of one board. On a board with other clocks, the MPB figures keep their time in
 * the mesh's clock domain and the DRAM figures theirs in the memory's (so in core cycles
 * they scale by core_mhz / mesh_mhz and core_mhz / mem_mhz against the SCC's ratios); the
 * interrupt latency, the core's own work, stays in core cycles. All costs in core cycles
 * times 65536.
 */
struct tk_tm {
	uint32_t mesh_x, mesh_y, cores_per_tile;
	uint32_t core_mhz;
	uint64_t hop_q16;		/* one router round trip: 2 x hop_cycles mesh cycles */
	uint64_t mpb_write_local_q16, mpb_write_hop1_q16;
	uint64_t mpb_read_local_q16, mpb_read_hop1_q16;
	uint64_t dram_read_q16, dram_write_q16;
	uint32_t mc_tile[TK_TM_MEM_CTRLS];	/* tile whose router each memory controller is on */
	struct tessera_geom geom;	/* for the address map */
};

/* Fill *m for the board g (clocks and hop cycles from it; 0 fields take the SCC's). */
void tk_tm_init(struct tk_tm *m, const struct tessera_geom *g);
/* Router hops between two tiles under X-then-Y routing. */
uint32_t tk_tm_hops(const struct tk_tm *m, uint32_t tile_a, uint32_t tile_b);
/* Cost of one line written to / read from an MPB `hops` away. */
uint32_t tk_tm_mpb_write(const struct tk_tm *m, uint32_t hops);
uint32_t tk_tm_mpb_read(const struct tk_tm *m, uint32_t hops);
/* Cost of one MPBT line read from / written to shared DRAM, `hops` from its controller. */
uint32_t tk_tm_dram_read(const struct tk_tm *m, uint32_t hops);
uint32_t tk_tm_dram_write(const struct tk_tm *m, uint32_t hops);
/* Hops from a tile to the memory controller of a shared DRAM core address. */
uint32_t tk_tm_dram_hops(const struct tk_tm *m, uint32_t tile, uintptr_t addr);

/* What a core address is, for the model. */
enum tk_tm_space {
	TK_TM_OTHER = 0,	/* not modelled (private DRAM, registers, host window) */
	TK_TM_MPB,		/* the MPB of a tile (its own through the alias too) */
	TK_TM_DRAM,		/* shared DRAM */
};
/* The space of addr and, for MPB and DRAM, the hops from `tile` to where it lives. */
enum tk_tm_space tk_tm_where(const struct tk_tm *m, uint32_t tile, uintptr_t addr,
			     uint32_t *hops);
/* Cost of one line of addr read (write = 0) or written (1) by a core on `tile`; 0 for what
 * is not modelled. */
uint32_t tk_tm_line(const struct tk_tm *m, uint32_t tile, uintptr_t addr, int write);

/* Virtual cycles of cpu_ns of host CPU time at scale_q32 (cycles per ns, times 2^32). */
uint64_t tk_tm_cpu_cycles(uint64_t cpu_ns, uint64_t scale_q32);
/* Nanoseconds of `cycles` core cycles at core_mhz. */
uint64_t tk_tm_ns(const struct tk_tm *m, uint64_t cycles);
/* Core cycles of `ns` nanoseconds at core_mhz. */
uint64_t tk_tm_cycles(const struct tk_tm *m, uint64_t ns);

/* ---- The virtual clock of one core (timing.c) ---- */
struct tk_vt {
	uint32_t mode;		/* 0: not looked at yet; 1: off; 2: on */
	uint32_t depth;		/* nesting of tk_vt_enter: > 0 inside the runtime */
	uint32_t waiting;	/* nesting of tk_vt_wait_begin: a waiting core sees what lands */
	uint32_t tile;		/* this core's tile */
	uint64_t now;		/* virtual time, core cycles */
	uint64_t cpu_mark;	/* host CPU ns up to which computation is counted */
	uint64_t scale_q32;	/* 0: computation not counted */
	uintptr_t wcb_line;	/* the line the modelled WCB holds (0: none) */
	uintptr_t l1_line;	/* the line last read since the last CL1INVMB (0: none) */
	struct tk_tm m;
};

#endif
