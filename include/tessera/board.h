/* SPDX-License-Identifier: MIT */
/*
 * board.h: THE hardware contract of a tessera board, shared by the host tools, every backend
 * and the tile kernel of every arch (hence fixed-width types, offsets, no pointers, no libc).
 *
 * A board is a geometry (struct tessera_geom) plus two kinds of memory:
 *  - one private DRAM per core (a file of its own on the emulated board, because QEMU 7.2
 *    takes a whole file but not part of one as a VM's RAM);
 *  - the chip: header, board registers, CRBs, MPBs, host windows and shared DRAM, in that
 *    order, every region page aligned (struct tessera_layout, computed by
 *    tessera_layout_compute() so that host and tile agree byte for byte).
 *
 * Every core sees both through the SCC core address map below. Each core's LUT (256 entries
 * of 16 MB, in its tile's CRB) is the single source of truth for that map: the host writes
 * the LUTs when it initialises the board and every backend builds a core's view from its
 * LUT alone. On scc48 the map is the SCC's exactly; past 24 tiles the MPB and CRB windows
 * use a finer per-tile stride (tessera_tile_stride()), the regions and their order unchanged.
 */
#ifndef TESSERA_BOARD_H
#define TESSERA_BOARD_H

#include <stdint.h>

#define TESSERA_BOARD_MAGIC	0x4152455353455400ull	/* "\0TESSERA" little-endian */
#define TESSERA_LAYOUT_VERSION	3u

/* Hardware constants of the SCC that every preset keeps. */
#define TESSERA_LINE_BYTES	32u		/* P54C L1 line, MPB line, WCB width */
#define TESSERA_PAGE_BYTES	4096u
#define TESSERA_LUT_ENTRIES	256u
#define TESSERA_LUT_SHIFT	24u		/* a LUT entry maps 16 MB */
#define TESSERA_LUT_WINDOW	(1u << TESSERA_LUT_SHIFT)
#define TESSERA_MAX_CORES	1024u
#define TESSERA_MAX_TILES	1024u
#define TESSERA_MAX_CORES_PER_TILE 8u

/* The SCC core address map (32-bit core addresses). */
#define TESSERA_ADDR_PRIVATE	0x00000000u	/* private DRAM of this core */
#define TESSERA_ADDR_LOW_HOLE	0x00010000u	/* below this nothing is mapped (NULL faults) */
#define TESSERA_ADDR_BOOTINFO	0x00010000u	/* struct tessera_bootinfo */
#define TESSERA_ADDR_IMAGE	0x00100000u	/* tile images are linked here */
#define TESSERA_ADDR_SHARED	0x80000000u	/* shared DRAM */
#define TESSERA_ADDR_MPB	0xC0000000u	/* MPB of tile t at + t * stride */
#define TESSERA_ADDR_OWN_MPB	0xD8000000u	/* own tile's MPB (alias) */
#define TESSERA_ADDR_CRB	0xE0000000u	/* CRB of tile t at + t * stride */
#define TESSERA_ADDR_OWN_CRB	0xF8000000u	/* own tile's CRB (alias) */
#define TESSERA_ADDR_BOARDREG	0xF9000000u	/* board registers */
#define TESSERA_ADDR_HOSTWIN	0xFA000000u	/* this core's host window */

/*
 * A core's own windows: its private DRAM and the aliases that differ from core to core
 * (own MPB, own CRB, host window). On the emu backend many cores may share one host
 * address space, so each core sees its own windows at its view base plus these addresses
 * (the tile kernel's tk_view_base); everything else (shared DRAM, every tile's MPB and CRB,
 * the board registers) is the same for all cores and sits at its SCC address itself. On
 * i386 a core has an address space of its own and its view base is 0.
 */
static inline int tessera_window_is_own(uint32_t lut_index)
{
	return lut_index < (TESSERA_ADDR_SHARED >> TESSERA_LUT_SHIFT) ||
	       lut_index == (TESSERA_ADDR_OWN_MPB >> TESSERA_LUT_SHIFT) ||
	       lut_index == (TESSERA_ADDR_OWN_CRB >> TESSERA_LUT_SHIFT) ||
	       lut_index == (TESSERA_ADDR_HOSTWIN >> TESSERA_LUT_SHIFT);
}
#define TESSERA_MPB_WINDOW_BYTES (TESSERA_ADDR_OWN_MPB - TESSERA_ADDR_MPB)	/* 384 MB */
#define TESSERA_SHARED_MAX_BYTES (TESSERA_ADDR_MPB - TESSERA_ADDR_SHARED)	/* 1 GB */
#define TESSERA_PRIVATE_MAX_BYTES TESSERA_ADDR_SHARED				/* 2 GB */

/* Geometry: what a preset or a board file sets. All sizes in bytes unless named. */
struct tessera_geom {
	uint32_t mesh_x, mesh_y;	/* tiles in X and Y */
	uint32_t cores_per_tile;	/* 1..TESSERA_MAX_CORES_PER_TILE */
	uint32_t mpb_bytes;		/* MPB per tile; each core owns mpb_bytes / cores_per_tile */
	uint32_t line_bytes;		/* always TESSERA_LINE_BYTES */
	uint32_t private_mb;		/* private DRAM per core, MB */
	uint32_t shared_mb;		/* shared DRAM, MB */
	uint32_t core_mhz, mesh_mhz, mem_mhz;	/* clock figures (for cost models, reports) */
	uint32_t hop_cycles;		/* mesh cycles per router hop (SCC: 4) */
	uint32_t pad;
	char name[32];			/* preset or board file name, NUL-terminated */
};

static inline uint32_t tessera_tiles(const struct tessera_geom *g)
{
	return g->mesh_x * g->mesh_y;
}

static inline uint32_t tessera_cores(const struct tessera_geom *g)
{
	return tessera_tiles(g) * g->cores_per_tile;
}

/* SCC numbering: core = (x + X * y) * cores_per_tile + z. */
static inline uint32_t tessera_core_id(const struct tessera_geom *g, uint32_t x, uint32_t y,
				       uint32_t z)
{
	return (x + g->mesh_x * y) * g->cores_per_tile + z;
}

static inline uint32_t tessera_core_tile(const struct tessera_geom *g, uint32_t core)
{
	return core / g->cores_per_tile;
}

static inline uint32_t tessera_core_x(const struct tessera_geom *g, uint32_t core)
{
	return tessera_core_tile(g, core) % g->mesh_x;
}

static inline uint32_t tessera_core_y(const struct tessera_geom *g, uint32_t core)
{
	return tessera_core_tile(g, core) / g->mesh_x;
}

static inline uint32_t tessera_core_z(const struct tessera_geom *g, uint32_t core)
{
	return core % g->cores_per_tile;
}

/* Router hops between two tiles under X-then-Y routing. */
static inline uint32_t tessera_hops(const struct tessera_geom *g, uint32_t tile_a, uint32_t tile_b)
{
	int32_t dx = (int32_t)(tile_a % g->mesh_x) - (int32_t)(tile_b % g->mesh_x);
	int32_t dy = (int32_t)(tile_a / g->mesh_x) - (int32_t)(tile_b / g->mesh_x);

	return (uint32_t)(dx < 0 ? -dx : dx) + (uint32_t)(dy < 0 ? -dy : dy);
}

/* Bytes of MPB each core owns (8 KB on scc48). */
static inline uint32_t tessera_core_mpb_bytes(const struct tessera_geom *g)
{
	return g->mpb_bytes / g->cores_per_tile;
}

/* ---- CRB: per tile, registers then one LUT per core. ---- */

/* Per-core registers at the start of the CRB, one 64-byte block each. */
struct tessera_crb_core {
	uint32_t lock;		/* test-and-set: atomic exchange 1 acquires when it returns 0 */
	uint32_t reset;		/* 1 while the core is held in reset (host writes) */
	uint32_t lock_waiters;	/* distributed board: cores of other hosts wait for this lock
				 * at its home host, so a release here rings the host's doorbell */
	uint32_t pad[13];
};
_Static_assert(sizeof(struct tessera_crb_core) == 64, "crb core block");

#define TESSERA_CRB_REGS_BYTES	TESSERA_PAGE_BYTES	/* register page, then the LUTs */

/* A LUT entry: which backing a 16 MB window of the core's address space maps. */
enum tessera_lut_kind {
	TESSERA_LUT_NONE = 0,	/* unmapped: an access faults */
	TESSERA_LUT_PRIVATE = 1,	/* offset into this core's private DRAM */
	TESSERA_LUT_CHIP = 2,	/* offset into the chip */
};

struct tessera_lut_entry {
	uint32_t kind;		/* enum tessera_lut_kind */
	uint32_t bytes;		/* mapped bytes from the window's start (page multiple) */
	uint64_t offset;	/* into the backing */
};
_Static_assert(sizeof(struct tessera_lut_entry) == 16, "lut entry");

#define TESSERA_LUT_BYTES (TESSERA_LUT_ENTRIES * sizeof(struct tessera_lut_entry))

/* CRB bytes per tile: the register page and one LUT per core. */
static inline uint32_t tessera_crb_bytes(const struct tessera_geom *g)
{
	return (TESSERA_CRB_REGS_BYTES + g->cores_per_tile * (uint32_t)TESSERA_LUT_BYTES +
		TESSERA_PAGE_BYTES - 1) & ~(TESSERA_PAGE_BYTES - 1);
}

/*
 * Distance between two tiles' windows in the MPB and CRB regions: the SCC's 16 MB while
 * 24 tiles fit in the 384 MB window, else the smallest page multiple that holds both a
 * tile's MPB and its CRB (so a LUT entry then maps several tiles' buffers).
 */

static inline uint32_t tessera_tile_stride(const struct tessera_geom *g)
{
	uint32_t mpb = g->mpb_bytes, crb = tessera_crb_bytes(g);

	if ((uint64_t)tessera_tiles(g) * TESSERA_LUT_WINDOW <= TESSERA_MPB_WINDOW_BYTES)
		return TESSERA_LUT_WINDOW;
	return mpb > crb ? mpb : crb;
}

/* Core address of tile t's MPB and CRB, and of the part of the MPB a core owns. */
static inline uint32_t tessera_mpb_addr(const struct tessera_geom *g, uint32_t tile)
{
	return TESSERA_ADDR_MPB + tile * tessera_tile_stride(g);
}

static inline uint32_t tessera_core_mpb_addr(const struct tessera_geom *g, uint32_t core)
{
	return tessera_mpb_addr(g, tessera_core_tile(g, core)) +
	       tessera_core_z(g, core) * tessera_core_mpb_bytes(g);
}

static inline uint32_t tessera_crb_addr(const struct tessera_geom *g, uint32_t tile)
{
	return TESSERA_ADDR_CRB + tile * tessera_tile_stride(g);
}


/* ---- Board registers: a global block, then one 128-byte block per core. ---- */

/* Who raised a core's interrupt: another core (tk_irq_send, the runtime's wake-ups), or the
 * host (a host call answered, ring room made). --deterministic tells them apart: a core
 * waiting for a peer takes only a peer's (tile-kernel/det.c); the host's answer to a wait
 * that already ended must not wake it again at a time the host's timing decides. */
#define TESSERA_IRQ_PEER 1u
#define TESSERA_IRQ_HOST 2u

struct tessera_boardreg_core {
	uint32_t irq;		/* interrupt request (TESSERA_IRQ_* bits, or'ed in by the
				 * senders), futex word of the halt; 0: none */
	uint32_t halted;	/* 1 while the core is (about to be) halted waiting for irq */
	uint32_t irq_mask;	/* 1 = interrupts from other cores are delivered */
	uint32_t wakeups;	/* count of halts ended by an interrupt (statistics) */
	uint32_t asleep;	/* 1 while the core sleeps in its halt, past its last look for
				 * work (halted is set before that look): deadlock detection */
	/* Modelled DVFS state (RCCE's power management, docs/rcce.md), written by the core
	 * that sets it for every core of its power domain; 0 means the board's default. */
	uint32_t pm_fdiv;	/* divider of the 1600 MHz global clock (2..16; SCC default 3) */
	uint32_t pm_vlevel;	/* voltage level 0..6 of the domain (SCC default 4, 1.1 V) */
	/* 1 while the core is a QEMU VM, set by the host: a futex cannot wake it, so a core that
	 * raised its irq bumps vm_bell (global block) and the host rings the VM's doorbell */
	uint32_t relay;
	/* Clock exchange of a QEMU core (docs/qemu.md): the core bumps clock_req and rings the
	 * host; the host writes clock_ns (its CLOCK_MONOTONIC), clock_mult (host ns per TSC
	 * tick, 32.32 fixed point; 0: unknown) and then clock_resp = clock_req. */
	uint32_t clock_req;
	uint32_t clock_resp;
	uint64_t clock_ns;	/* at offset 40: 8-aligned on i386 too */
	uint64_t clock_mult;
	uint32_t runner;	/* emu: 1 + the first core of the runner that runs this core,
				 * whose wake block (below) wakes it; 0: none (host-written) */
	uint32_t beat;		/* advanced by the core while it runs a wait loop (tk_beat):
				 * a waiting peer that sees it move knows this core is on a host
				 * CPU (mpb-channels spins for it then, and halts when it stops) */
	/* Virtual time (--timing=scc, --deterministic: tile-kernel/timing.c, docs/timing.md).
	 * Not hardware of the SCC: the simulation's own state, which ps, top and the summary
	 * of a run read. Written by the core itself, except where said. */
	uint64_t vclock;	/* the core's virtual time, core cycles (published as it moves) */
	uint64_t irq_stamp;	/* virtual time at which the pending interrupt arrives (its
				 * sender's time plus the interrupt latency; the latest wins) */
	uint32_t det_state;	/* --deterministic: enum tessera_det_state (the holder of the
				 * turn writes other cores' too) */
	uint32_t det_turn;	/* 1 while the core holds the turn (the futex word it waits on) */
	uint64_t det_deadline;	/* TESSERA_DET_TIMED: virtual time its wait ends by itself */
	uint32_t pad[8];
};
_Static_assert(__builtin_offsetof(struct tessera_boardreg_core, clock_ns) == 40, "clock_ns");
_Static_assert(__builtin_offsetof(struct tessera_boardreg_core, vclock) == 64, "vclock");
_Static_assert(sizeof(struct tessera_boardreg_core) == 128, "boardreg core block");

/* Where a core stands in a --deterministic run (tile-kernel/det.c): only the core that holds
 * the turn runs; the others wait for it, ready to run or blocked until a peer wakes them. */
enum tessera_det_state {
	TESSERA_DET_NONE = 0,	/* not yet at its first turn (booting) */
	TESSERA_DET_READY,	/* may run: waits for the turn */
	TESSERA_DET_BLOCKED,	/* waits for a peer (an interrupt makes it ready) */
	TESSERA_DET_TIMED,	/* waits for a peer or for a virtual deadline */
	TESSERA_DET_RUNNING,	/* holds the turn */
	TESSERA_DET_GONE,	/* stopped */
};

#define TESSERA_ATOMIC_COUNTERS 64u

struct tessera_boardreg_global {
	uint32_t host_doorbell;	/* bumped (and futex-woken) by a core that needs the host */
	uint32_t host_waiting;	/* 1 while the host sleeps on host_doorbell */
	uint32_t dist_ticket;	/* distributed board: the next hand-off ticket of this host's
				 * cores (fetch-add; the host ships hand-offs in ticket order) */
	uint32_t det_arrived;	/* --deterministic: cores that reached their first turn */
	uint32_t pad0[12];
	uint32_t counter[TESSERA_ATOMIC_COUNTERS];	/* atomic counters (fetch-add) */
	/* bumped (and futex-woken) by a core that raised the irq of a core whose `relay` is set;
	 * the qemu backend sleeps on it and rings those cores' doorbells */
	uint32_t vm_bell;
};

#define TESSERA_BOARDREG_GLOBAL_BYTES 512u

/*
 * After the per-core blocks: each core's source register, one bit per core of the board,
 * as the SCC's interrupt controller kept one status bit per source core. A core that has
 * written something for core d into an MPB sets its bit in d's register (atomic OR) after
 * the data is visible; d takes the bits (atomic exchange with 0) to learn whom to look at,
 * instead of looking at every sender's buffer.
 */
/*
 * Doorbells of QEMU cores: each VM's ivshmem-doorbell device is a client of the host's ivshmem
 * server; the peer id of core c is c and the host's own is tessera_cores(g). A VM wakes core
 * c by writing (c << 16 | TESSERA_DOORBELL_VECTOR) to its device's Doorbell register; for an
 * emulated core or the host that rings the host, which passes the wake on.
 */
#define TESSERA_DOORBELL_VECTOR 0u
static inline uint32_t tessera_doorbell_host_peer(const struct tessera_geom *g)
{
	return tessera_cores(g);
}

#define TESSERA_SRC_WORDS (TESSERA_MAX_CORES / 32u)
#define TESSERA_SRC_BYTES (TESSERA_SRC_WORDS * 4u)

/*
 * After the source registers: one wake block per core, used by the emu backend, where a
 * core runner sleeps (the block of the first core it runs). An emulated core that halts
 * does not sleep in the host kernel itself: its runner switches to another of its cores,
 * and sleeps on `seq` only when all of them wait. To wake core c (after raising its irq):
 * set bit c in the block's `pending`, then, if `sleeping`, bump `seq` and FUTEX_WAKE it.
 * The runner sets `sleeping` before its last look at `pending` (Dekker, both sides with
 * sequentially consistent fences), so no wake-up is lost.
 */
struct tessera_wake {
	uint32_t seq;		/* futex word of the runner's sleep */
	uint32_t sleeping;	/* 1 while the runner sleeps (or is about to) */
	uint32_t pad[14];
	uint32_t pending[TESSERA_SRC_WORDS];	/* bit per core: its irq was raised */
};
_Static_assert(sizeof(struct tessera_wake) % 64 == 0, "wake block");
_Static_assert(sizeof(struct tessera_boardreg_global) <= TESSERA_BOARDREG_GLOBAL_BYTES, "boardreg");

/* ---- Host window: per core, what the core and the host tools share. ---- */

enum tessera_core_state {
	TESSERA_CORE_RESET = 0,	/* held in reset, or never started */
	TESSERA_CORE_BOOTING = 1,
	TESSERA_CORE_RUNNING = 2,
	TESSERA_CORE_EXITED = 3,
	TESSERA_CORE_CRASHED = 4,
	TESSERA_CORE_PANICKED = 5,
};

/* What a waiting core waits for (published for `tessera ps` and deadlock detection). */
enum tessera_wait_kind {
	TESSERA_WAIT_NONE = 0,
	TESSERA_WAIT_RECV = 1,	/* receive from peer (or any, peer = -1) */
	TESSERA_WAIT_SSEND = 2,	/* synchronous send to peer not yet matched */
	TESSERA_WAIT_SEND = 3,	/* send blocked on flow control of peer */
	TESSERA_WAIT_COLL = 4,	/* inside a collective */
	TESSERA_WAIT_HOST = 5,	/* host call outstanding */
	TESSERA_WAIT_RMA_LOCK = 6,	/* lock of a one-sided window held by peer (-1: unknown);
					 * tag: the rank whose part of the window it is */
	TESSERA_WAIT_FILE_LOCK = 7,	/* atomic-mode lock of an MPI file held by peer; tag: the
					 * rank whose core guards it */
	TESSERA_WAIT_SLEEP = 8,		/* sleep(), usleep(), nanosleep(): halted until its time
					 * is up (waits for no rank, whatever was claimed before) */
};

#define TESSERA_FAULT_REGS	17u
struct tessera_status {
	/* line 1: what a running core writes as it goes (one line: it is written on every
	 * message and every wait, so it costs one cache line of the core's working set) */
	uint32_t state;		/* enum tessera_core_state, written by core then host */
	int32_t exit_code;	/* valid in EXITED */
	uint32_t wait_kind;	/* enum tessera_wait_kind: what it waits for (ps, deadlocks) */
	int32_t wait_peer;	/* rank waited for, -1 for any */
	int32_t wait_tag;
	uint32_t wait_comm;	/* communicator context id */
	uint32_t wait_seq;	/* bumped on every change of the wait fields */
	uint32_t pad1;
	uint64_t msgs_sent, bytes_sent, msgs_recv, bytes_recv;	/* counters for top */
	/* line 2 on: how it stopped */
	uint32_t signal;	/* CRASHED: host signal, or TESSERA_SIGNAL_VECTOR + i386 vector */
	uint32_t pad0;
	uint64_t fault_addr;	/* CRASHED: faulting data address (cr2 / si_addr) */
	uint64_t fault_pc;	/* CRASHED: instruction address */
	char panic[128];	/* PANICKED: reason */
	/* CRASHED or PANICKED: the registers where the core stopped (the faulting instruction,
	 * or the call that raised the signal or panicked), in DWARF numbering (x86-64: rax,
	 * rdx, rcx, rbx, rsi, rdi, rbp, rsp, r8-r15, rip), for the host to unwind the call
	 * chain from; fault_nregs of them are valid (0: none) */
	uint32_t fault_nregs;
	uint32_t pad2;
	uint64_t fault_regs[TESSERA_FAULT_REGS];
};

/* status.signal of a CPU exception: this plus the i386 vector. */
#define TESSERA_SIGNAL_VECTOR	256u

/* The i386 exception vectors' names (Intel SDM vol. 3, table 6-1), for every crash report:
 * the host's and the i386 kernel's own on its serial line. */
static inline const char *tessera_i386_exception_name(uint32_t vector)
{
	static const char *const name[] = { "divide error", "debug", "NMI", "breakpoint",
		"overflow", "bound range", "invalid opcode", "device not available",
		"double fault", "coprocessor overrun", "invalid TSS", "segment not present",
		"stack fault", "general protection fault", "page fault", "reserved",
		"x87 FP error", "alignment check", "machine check", "SIMD FP error",
		"virtualization", "control protection" };

	return vector < sizeof(name) / sizeof(name[0]) ? name[vector] : "exception";
}

/* A single-producer single-consumer byte ring; head and tail free-running, in own lines. */
struct tessera_ring_ctl {
	uint32_t head;		/* written by producer */
	uint32_t pad0[15];
	uint32_t tail;		/* written by consumer */
	uint32_t waiting;	/* producer sleeps for room (consumer interrupts it) */
	uint32_t closed;	/* producer side: no more data (stdin EOF) */
	uint32_t pad1[13];
};
_Static_assert(sizeof(struct tessera_ring_ctl) == 128, "ring ctl");

#define TESSERA_CONSOLE_BYTES	16384u	/* power of two */
/*
 * A console record (core -> host): a 32-bit header word, fd << 24 | length, then the bytes
 * padded to a multiple of 4; a record may wrap around the end of the ring. fd is 1 or 2,
 * the length at most TESSERA_CONSOLE_REC_MAX (longer output is several records).
 */
#define TESSERA_CONSOLE_REC_MAX	4096u

static inline uint32_t tessera_console_hdr(uint32_t fd, uint32_t len)
{
	return fd << 24 | len;
}

static inline uint32_t tessera_console_hdr_fd(uint32_t hdr)
{
	return hdr >> 24;
}

static inline uint32_t tessera_console_hdr_len(uint32_t hdr)
{
	return hdr & 0xffffffu;
}

/* Ring bytes a record of len bytes takes: header and padding included. */
static inline uint32_t tessera_console_rec_bytes(uint32_t len)
{
	return 4 + ((len + 3) & ~3u);
}

#define TESSERA_STDIN_BYTES	4096u	/* power of two */
#define TESSERA_DIST_OUT_BYTES	(256u * 1024u)	/* power of two */
#define TESSERA_DIST_IN_BYTES	(16u * 1024u)
#define TESSERA_HOSTCALL_DATA	8192u
#define TESSERA_TRACE_BYTES	(256u * 1024u)	/* power of two */

/*
 * Trace records, one 32-byte line each, in the trace ring of the host window (a ring of
 * whole records between trace_ctl.head and .tail, counted in records). All cores stamp
 * them with tk_time_ns(), one timebase for the job. A send and a receive pair up by MPI's
 * non-overtaking rule: the k-th send from rank a to rank b with (comm, tag) is the k-th
 * receive completed at b from a with (comm, tag).
 */
enum tessera_trace_kind {
	TESSERA_TR_SEND_BEGIN = 1,	/* peer = destination rank */
	TESSERA_TR_SEND_END,
	TESSERA_TR_RECV_BEGIN,		/* peer = source asked for (-1: any) */
	TESSERA_TR_RECV_END,		/* peer, tag, bytes: what actually arrived; peer -1:
					 * cancelled (tag as asked) */
	TESSERA_TR_COLL_BEGIN,		/* tag = enum tessera_trace_coll, bytes = payload */
	TESSERA_TR_COLL_END,
	TESSERA_TR_HALT,		/* the core halts waiting for an interrupt */
	TESSERA_TR_WAKE,
	TESSERA_TR_HOSTCALL_BEGIN,	/* tag = host call op */
	TESSERA_TR_HOSTCALL_END,
	TESSERA_TR_POWER,		/* DVFS of a power domain changed: tag = frequency divider,
					 * peer = voltage level, bytes = core MHz (docs/rcce.md) */
};

enum tessera_trace_coll {
	TESSERA_COLL_BARRIER = 1, TESSERA_COLL_BCAST, TESSERA_COLL_REDUCE, TESSERA_COLL_ALLREDUCE,
	TESSERA_COLL_GATHER, TESSERA_COLL_SCATTER, TESSERA_COLL_ALLGATHER, TESSERA_COLL_ALLTOALL,
	TESSERA_COLL_REDUCE_SCATTER, TESSERA_COLL_SCAN, TESSERA_COLL_EXSCAN, TESSERA_COLL_OTHER,
	TESSERA_COLL_NEIGHBOR_ALLGATHER, TESSERA_COLL_NEIGHBOR_ALLTOALL,
	TESSERA_COLL_MAX
};

/*
 * A collective that the MPI library runs inside another MPI call (the context id agreement
 * of MPI_Comm_split, the whole of a blocking MPI_File_write_all) has, in the tag of its COLL
 * records, its enum tessera_trace_coll in bits 0-7, what it is for (enum
 * tessera_trace_step) in bits 8-15 and the outermost MPI call it runs in (index into
 * TESSERA_TRACE_CALLS, from 1; 0: one the list lacks) in bits 16-23.
 */
#define TESSERA_TRACE_COLL_TAG(coll, step, call) \
	((int32_t)((uint32_t)(coll) | (uint32_t)(step) << 8 | (uint32_t)(call) << 16))

enum tessera_trace_step {
	TESSERA_STEP_NONE = 0,		/* the user's own collective */
	TESSERA_STEP_CONTEXT,		/* agreeing on a context id for a new communicator */
	TESSERA_STEP_INTERNAL,		/* another collective of the library's own */
	TESSERA_STEP_IO,		/* a blocking collective file access (MPI_File_write_all) */
	TESSERA_STEP_MAX
};

/* The MPI calls that run collectives of their own, in their TESSERA_TRACE_COLL_TAG order
 * (append only: traces keep their numbers; a call missing here is shown as "MPI"). */
#define TESSERA_TRACE_CALLS(X) \
	X("MPI_Comm_create") X("MPI_Comm_create_group") X("MPI_Comm_dup") \
	X("MPI_Comm_dup_with_info") X("MPI_Comm_idup") X("MPI_Comm_split") \
	X("MPI_Comm_split_type") X("MPI_Cart_create") X("MPI_Cart_sub") X("MPI_Graph_create") \
	X("MPI_Dist_graph_create") X("MPI_Dist_graph_create_adjacent") \
	X("MPI_Intercomm_create") X("MPI_Intercomm_merge") X("MPI_Finalize") \
	X("MPI_Win_create") X("MPI_Win_allocate") X("MPI_Win_allocate_shared") \
	X("MPI_Win_create_dynamic") X("MPI_Win_free") X("MPI_Win_fence") \
	X("MPI_File_open") X("MPI_File_close") X("MPI_File_sync") X("MPI_File_set_atomicity") \
	X("MPI_File_set_view") X("MPI_File_seek_shared") X("MPI_File_set_size") \
	X("MPI_File_preallocate") X("MPI_File_read_all") X("MPI_File_write_all") \
	X("MPI_File_read_at_all") X("MPI_File_write_at_all") X("MPI_File_read_ordered") \
	X("MPI_File_write_ordered") X("MPI_File_read_all_begin") X("MPI_File_write_all_begin") \
	X("MPI_File_read_at_all_begin") X("MPI_File_write_at_all_begin") \
	X("MPI_File_read_ordered_begin") X("MPI_File_write_ordered_begin") \
	X("MPI_File_iread_all") X("MPI_File_iwrite_all") X("MPI_File_iread_at_all") \
	X("MPI_File_iwrite_at_all") X("MPI_Wait") X("MPI_Waitall") X("MPI_Waitany") \
	X("MPI_Waitsome") X("MPI_Test") X("MPI_Testall") X("MPI_Testany") X("MPI_Testsome")

struct tessera_trace_rec {
	uint64_t t_ns;		/* tk_time_ns() */
	uint16_t kind;		/* enum tessera_trace_kind */
	uint16_t pad;
	int32_t peer;		/* rank */
	int32_t tag;
	uint32_t comm;		/* communicator context id */
	uint64_t bytes;
};
_Static_assert(sizeof(struct tessera_trace_rec) == TESSERA_LINE_BYTES, "trace record");
#define TESSERA_TRACE_RECS (TESSERA_TRACE_BYTES / sizeof(struct tessera_trace_rec))

/*
 * Decisions (--record, --replay; lib/mpi/replay.c, docs/timing.md): what a run decided that
 * another run of the same program may decide otherwise. Every core numbers its decision
 * points 0, 1, 2, ... in program order (an any-source receive posted, a probe, a call of the
 * Test family, Waitany, Waitsome, a cancel); an entry says what point `seq` decided. A point
 * may have several entries (Waitsome: the count, then one TESSERA_DEC_INDEX per request).
 * A core writes them to the record ring of its host window as it decides (not in seq order:
 * an any-source receive is decided when a message comes); the host sorts them by seq.
 */
enum tessera_decision_kind {
	TESSERA_DEC_RECV_ANY = 1,	/* an any-source receive: value = source (rank in its comm) */
	TESSERA_DEC_PROBE,		/* MPI_Probe (any source): value = source */
	TESSERA_DEC_IPROBE,		/* MPI_Iprobe: value = source, -1 none */
	TESSERA_DEC_MPROBE,		/* MPI_Mprobe (any source): value = source */
	TESSERA_DEC_IMPROBE,		/* MPI_Improbe: value = source, -1 none */
	TESSERA_DEC_TEST,		/* MPI_Test: value = flag */
	TESSERA_DEC_TESTALL,		/* MPI_Testall: value = flag */
	TESSERA_DEC_TESTANY,		/* MPI_Testany: value = index, -1 none */
	TESSERA_DEC_WAITANY,		/* MPI_Waitany: value = index */
	TESSERA_DEC_TESTSOME,		/* MPI_Testsome: value = count, then that many INDEX */
	TESSERA_DEC_WAITSOME,		/* MPI_Waitsome: likewise */
	TESSERA_DEC_INDEX,		/* one index of the point before */
	TESSERA_DEC_STATUS,		/* MPI_Request_get_status: value = flag */
	TESSERA_DEC_CANCEL,		/* MPI_Cancel of a receive: value = 1 cancelled, 0 too late */
	TESSERA_DEC_END,		/* the core's record ends here: it finished (host-made) */
	TESSERA_DEC_CUT,		/* the core's record ends here: the job stopped it (host-made) */
	TESSERA_DEC_KINDS,
};

struct tessera_decision {
	uint32_t seq;		/* the decision point, in the core's program order */
	uint16_t kind;		/* enum tessera_decision_kind */
	uint16_t pad;
	int32_t value;		/* what was decided */
	uint32_t aux;		/* what names the point: comm context << 16 | tag, or a count */
};
_Static_assert(sizeof(struct tessera_decision) == 16, "decision entry");
#define TESSERA_RECORD_BYTES	(64u * 1024u)	/* power of two */
#define TESSERA_RECORD_RECS	(TESSERA_RECORD_BYTES / sizeof(struct tessera_decision))
/* TESSERA_HC_REPLAY: arg[0] = index of the first of the core's entries wanted; data[] gets
 * the entries that follow (at most TESSERA_HOSTCALL_DATA bytes), the last of the record being
 * TESSERA_DEC_END or TESSERA_DEC_CUT; the result is their size in bytes. */

/* Host calls: the core fills req and data, bumps req_seq; the host answers, sets resp_seq. */
enum tessera_hostcall_op {
	TESSERA_HC_NONE = 0,
	TESSERA_HC_OPEN, TESSERA_HC_CLOSE, TESSERA_HC_READ, TESSERA_HC_WRITE, TESSERA_HC_LSEEK,
	TESSERA_HC_FSTAT, TESSERA_HC_STAT, TESSERA_HC_UNLINK, TESSERA_HC_MKDIR,
	TESSERA_HC_ISATTY, TESSERA_HC_ABORT_JOB,
	/* positioned file I/O (MPI-IO, pread/pwrite): formats below */
	TESSERA_HC_PREADV, TESSERA_HC_PWRITEV, TESSERA_HC_FTRUNCATE, TESSERA_HC_FSYNC,
	TESSERA_HC_FALLOCATE,
	TESSERA_HC_REPLAY,	/* --replay: the core's recorded decisions (below) */
};

/*
 * Host call wire formats. Open flags and errno values are Newlib's (the tile's libc) on the
 * wire; the host converts them to and from its own. Paths travel NUL-terminated in data[].
 */
#define TESSERA_O_ACCMODE	3
#define TESSERA_O_APPEND	0x0008
#define TESSERA_O_CREAT		0x0200
#define TESSERA_O_TRUNC		0x0400
#define TESSERA_O_EXCL		0x0800

/* errno values on the wire are Newlib's: below TESSERA_ERRNO_SAME_BELOW they are Linux's too;
 * these differ (tile-kernel/hostcall.c checks them against Newlib's errno.h). */
#define TESSERA_ERRNO_SAME_BELOW 35
#define TESSERA_ENOSYS		88
#define TESSERA_ENOTEMPTY	90
#define TESSERA_ENAMETOOLONG	91
#define TESSERA_ELOOP		92
#define TESSERA_EOPNOTSUPP	95

/*
 * Positioned I/O on a regular file. TESSERA_HC_PREADV and _PWRITEV: arg[0] fd, arg[1] number
 * of pieces (1 .. TESSERA_HC_MAX_PIECES), arg[2] their total length, arg[3] where the bytes
 * are: -1 for data[] (a write's after the piece list, a read's returned from data[0]), else
 * an offset into shared DRAM (at most TESSERA_HC_SHM_MAX bytes), which the host reads or
 * writes itself.
 * data[] starts with the pieces, in the order the bytes are. A read stops at the first short
 * piece (end of file). The result is the bytes moved.
 * TESSERA_HC_FTRUNCATE: arg[0] fd, arg[1] length. TESSERA_HC_FSYNC: arg[0] fd.
 * TESSERA_HC_FALLOCATE: arg[0] fd, arg[1] offset, arg[2] length (storage for that range;
 * the file grows to its end if shorter).
 */
struct tessera_hc_piece {
	int64_t off, len;
};
#define TESSERA_HC_MAX_PIECES (TESSERA_HOSTCALL_DATA / sizeof(struct tessera_hc_piece))
#define TESSERA_HC_SHM_MAX	(4u << 20)

struct tessera_hc_stat {
	uint64_t size;
	uint32_t mode;		/* S_IFMT bits and permissions, as POSIX numbers them */
	uint32_t nlink;
	int64_t mtime_s, atime_s, ctime_s;
	uint64_t ino;
	uint32_t blksize;
	uint32_t pad;
};

struct tessera_hostcall {
	uint32_t req_seq;	/* written by core last */
	uint32_t op;
	int64_t arg[6];
	uint32_t pad0[2];
	uint32_t resp_seq;	/* written by host last, = req_seq when answered */
	uint32_t pad1;
	int64_t ret;		/* >= 0 result, or negative errno */
	uint8_t data[TESSERA_HOSTCALL_DATA];	/* paths, read/write buffers, stat results */
};

/*
 * A board spread over several hosts (TESSERA_BOOT_DIST, docs/distributed.md): what a core
 * cannot reach itself (memory homed on another host, interrupts, locks, registers and
 * counters there) it hands to its own host, which ships it as MPI messages. Hand-offs go
 * through dist_out, a ring of entries written by the core, consumed by the host:
 *   - an entry is a struct tessera_dist_entry, then its items, each a struct
 *     tessera_dist_item and (TESSERA_DIST_WRITE) its bytes padded to 8; an entry never
 *     wraps: a TESSERA_DIST_PAD entry fills the ring's end;
 *   - the core writes the entry, takes a ticket (fetch-add on the board's dist_ticket),
 *     writes it into the entry, then publishes it by moving dist_ctl.head; the host ships
 *     entries of all its cores in ticket order, so what a core handed off before it made
 *     something visible to the cores of its host leaves the host before anything they hand
 *     off after seeing it;
 *   - a request that needs an answer (a fetch, a lock, a counter, a register read) carries
 *     seq; the core waits (halted) until dist_ctl.resp_seq == seq, with ret and, for a
 *     fetch, the bytes in dist_in. One request at a time per core.
 * Everything in an entry is input to the host: checked, never trusted.
 */
enum tessera_dist_kind {
	TESSERA_DIST_WRITE = 1,	/* addr, len bytes follow: stores to memory homed elsewhere
				 * (an MPB of another host's tile, or shared DRAM: every host) */
	TESSERA_DIST_FETCH,	/* addr, arg = bytes (<= TESSERA_DIST_IN_BYTES): read at home */
	TESSERA_DIST_IRQ,	/* addr = core: raise its interrupt */
	TESSERA_DIST_SRC,	/* addr = core: set this core's bit in its source register */
	TESSERA_DIST_LOCK,	/* addr = core: acquire its test-and-set lock (answer: 0) */
	TESSERA_DIST_UNLOCK,	/* addr = core: release it */
	TESSERA_DIST_COUNTER,	/* addr = counter, arg = value: fetch-add (answer: old value) */
	TESSERA_DIST_REG_READ,	/* addr = core, arg = TESSERA_DIST_REG_*: answer its value */
	TESSERA_DIST_REG_WRITE,	/* addr = core, arg = TESSERA_DIST_REG_*, x = value */
};
#define TESSERA_DIST_REG_PM_FDIV	0u	/* tessera_boardreg_core.pm_fdiv */
#define TESSERA_DIST_REG_PM_VLEVEL	1u	/* tessera_boardreg_core.pm_vlevel */
#define TESSERA_DIST_PAD	0xffffffffu	/* entry ticket: skip to the ring's start */

struct tessera_dist_entry {
	uint32_t ticket;	/* hand-off order among the host's cores, or TESSERA_DIST_PAD */
	uint32_t bytes;		/* of the entry, this header included (a multiple of 8) */
};

struct tessera_dist_item {
	uint16_t kind;		/* enum tessera_dist_kind */
	uint16_t len;		/* TESSERA_DIST_WRITE: bytes that follow (then padding to 8) */
	uint32_t addr;		/* core address, core or counter (see the kinds) */
	uint32_t arg;
	uint32_t x;		/* a request's seq; TESSERA_DIST_REG_WRITE: the value */
};
_Static_assert(sizeof(struct tessera_dist_item) == 16, "dist item");
#define TESSERA_DIST_WRITE_MAX	4096u	/* bytes of one TESSERA_DIST_WRITE item at most */

struct tessera_dist_ctl {
	uint32_t head;		/* written by the core: bytes of dist_out published */
	uint32_t pad0[15];
	uint32_t tail;		/* written by the host: bytes consumed */
	uint32_t waiting;	/* the core sleeps for room (the host interrupts it) */
	uint32_t pad1[14];
	uint32_t resp_seq;	/* written by the host last: the answered request's seq */
	uint32_t pad2;
	int64_t ret;		/* the answer (>= 0), or a negative errno value */
	uint32_t pad3[12];
};
_Static_assert(sizeof(struct tessera_dist_ctl) == 192, "dist ctl");

struct tessera_hostwin {
	struct tessera_status status;
	uint8_t pad_status[1024 - sizeof(struct tessera_status)];
	struct tessera_ring_ctl console_ctl;	/* core -> host */
	struct tessera_ring_ctl stdin_ctl;	/* host -> core */
	struct tessera_ring_ctl trace_ctl;	/* core -> host, records of struct tessera_trace_rec */
	struct tessera_hostcall hostcall;
	uint8_t console[TESSERA_CONSOLE_BYTES];
	uint8_t stdin_buf[TESSERA_STDIN_BYTES];
	uint8_t trace[TESSERA_TRACE_BYTES];
	struct tessera_ring_ctl record_ctl;	/* core -> host, struct tessera_decision */
	uint8_t record[TESSERA_RECORD_BYTES];
	/* distributed board (TESSERA_BOOT_DIST): hand-offs to the host and its replies */
	struct tessera_dist_ctl dist_ctl;
	uint8_t dist_out[TESSERA_DIST_OUT_BYTES];	/* core -> host: entries of items */
	uint8_t dist_in[TESSERA_DIST_IN_BYTES];	/* host -> core: data of a reply */
};

#define TESSERA_HOSTWIN_BYTES \
	((sizeof(struct tessera_hostwin) + TESSERA_PAGE_BYTES - 1) & ~(uint64_t)(TESSERA_PAGE_BYTES - 1))

/* ---- Chip layout ---- */

struct tessera_layout {
	uint64_t header_off, header_bytes;
	uint64_t boardreg_off, boardreg_bytes;
	uint64_t crb_off, crb_bytes;	/* crb_bytes per tile; tile t at crb_off + t * crb_bytes */
	uint64_t mpb_off, mpb_bytes;	/* mpb_bytes: spacing per tile (>= geom.mpb_bytes) */
	uint64_t hostwin_off, hostwin_bytes;	/* per core */
	uint64_t shared_off, shared_bytes;
	uint64_t chip_bytes;
	uint64_t private_bytes;		/* per core */
};

/*
 * The first page of the chip: geometry, layout and the current job's rank map. No emu
 * core's LUT may map it (the host refuses such an entry); a QEMU tile sees the whole chip
 * through its PCI BAR, so nothing here is trusted. What only host processes may write
 * (which process runs which core, the images loaded) lives in the board directory's host
 * file (host-driver/hd_impl.h), which no core maps. The host writes the header last at
 * creation (magic last of all).
 */
struct tessera_header {
	uint64_t magic;		/* TESSERA_BOARD_MAGIC once the board is initialised */
	uint32_t version;	/* TESSERA_LAYOUT_VERSION */
	uint32_t header_bytes;
	struct tessera_geom geom;
	struct tessera_layout layout;
	uint32_t pad0;
	uint32_t job_seq;	/* bumped for every job started on the board */
	uint32_t nranks;	/* ranks of the current job */
	uint32_t flags;		/* TESSERA_BOOT_* of the current job */
	uint64_t trace_t0_ns;	/* common timebase of the current job */
	uint16_t rank_core[TESSERA_MAX_CORES];	/* current job: rank -> core */
	uint16_t core_rank[TESSERA_MAX_CORES];	/* current job: core -> rank (0xffff: none) */
	uint8_t core_backend[TESSERA_MAX_CORES];	/* TESSERA_BACKEND_* it is loaded for */
};

#define TESSERA_BACKEND_NONE 0
#define TESSERA_BACKEND_EMU 1
#define TESSERA_BACKEND_QEMU 2

static inline uint64_t tessera_round_page(uint64_t n)
{
	return (n + TESSERA_PAGE_BYTES - 1) & ~(uint64_t)(TESSERA_PAGE_BYTES - 1);
}

static inline int tessera_fine_stride(const struct tessera_geom *g)
{
	return tessera_tile_stride(g) != TESSERA_LUT_WINDOW;
}

/*
 * Chip layout. On a fine-stride board (more than 24 tiles) the MPBs and CRBs are spaced by
 * the stride inside the chip too, so that one LUT entry maps a contiguous run of tiles.
 */
static inline void tessera_layout_compute(const struct tessera_geom *g, struct tessera_layout *l)
{
	uint64_t off = 0;
	int fine = tessera_fine_stride(g);

	l->header_off = off;
	l->header_bytes = tessera_round_page(sizeof(struct tessera_header));
	off += l->header_bytes;
	l->boardreg_off = off;
	l->boardreg_bytes = tessera_round_page(TESSERA_BOARDREG_GLOBAL_BYTES +
					       (uint64_t)tessera_cores(g) * (sizeof(struct tessera_boardreg_core) +
									     TESSERA_SRC_BYTES +
									     sizeof(struct tessera_wake)));
	off += l->boardreg_bytes;
	l->crb_off = off;
	l->crb_bytes = fine ? tessera_tile_stride(g) : tessera_crb_bytes(g);
	off += l->crb_bytes * tessera_tiles(g);
	l->mpb_off = off;
	l->mpb_bytes = fine ? tessera_tile_stride(g) : g->mpb_bytes;
	off += l->mpb_bytes * tessera_tiles(g);
	l->hostwin_off = off;
	l->hostwin_bytes = TESSERA_HOSTWIN_BYTES;
	off += l->hostwin_bytes * tessera_cores(g);
	l->shared_off = off;
	l->shared_bytes = (uint64_t)g->shared_mb << 20;
	off += l->shared_bytes;
	l->chip_bytes = off;
	l->private_bytes = (uint64_t)g->private_mb << 20;
}

/*
 * The chip file is longer than the layout: its size is the next power of two, because a
 * PCI BAR (QEMU's ivshmem device, a real board's) has a power-of-two size. The tail is
 * never used and, in a sparse file, costs nothing.
 */
static inline uint64_t tessera_chip_file_bytes(const struct tessera_layout *l)
{
	uint64_t n = TESSERA_PAGE_BYTES;

	while (n < l->chip_bytes)
		n <<= 1;
	return n;
}

/* Offsets inside the chip. */
static inline uint64_t tessera_boardreg_core_off(const struct tessera_layout *l, uint32_t core)
{
	return l->boardreg_off + TESSERA_BOARDREG_GLOBAL_BYTES +
	       (uint64_t)core * sizeof(struct tessera_boardreg_core);
}

/* The source register of a core (TESSERA_SRC_WORDS words), in the board registers. */
static inline uint64_t tessera_boardreg_src_off(const struct tessera_geom *g,
						const struct tessera_layout *l, uint32_t core)
{
	return tessera_boardreg_core_off(l, tessera_cores(g)) + (uint64_t)core * TESSERA_SRC_BYTES;
}

/* The wake block of a core (TESSERA_ADDR_BOARDREG + this - boardreg_off in core addresses). */
static inline uint64_t tessera_boardreg_wake_off(const struct tessera_geom *g,
						 const struct tessera_layout *l, uint32_t core)
{
	return tessera_boardreg_src_off(g, l, tessera_cores(g)) +
	       (uint64_t)core * sizeof(struct tessera_wake);
}

static inline uint64_t tessera_crb_off(const struct tessera_layout *l, uint32_t tile)
{
	return l->crb_off + (uint64_t)tile * l->crb_bytes;
}

static inline uint64_t tessera_lut_off(const struct tessera_geom *g,
				       const struct tessera_layout *l, uint32_t core)
{
	return tessera_crb_off(l, tessera_core_tile(g, core)) + TESSERA_CRB_REGS_BYTES +
	       (uint64_t)tessera_core_z(g, core) * TESSERA_LUT_BYTES;
}

static inline uint64_t tessera_mpb_off(const struct tessera_layout *l, uint32_t tile)
{
	return l->mpb_off + (uint64_t)tile * l->mpb_bytes;
}

static inline uint64_t tessera_hostwin_off(const struct tessera_layout *l, uint32_t core)
{
	return l->hostwin_off + (uint64_t)core * l->hostwin_bytes;
}

/* ---- Boot info: written by the host at TESSERA_ADDR_BOOTINFO of each core ---- */

#define TESSERA_BOOTINFO_MAGIC	0x544f4f42u	/* "BOOT" */
#define TESSERA_BOOT_STRICT	(1u << 0)	/* strict coherence model */
#define TESSERA_BOOT_TRACE	(1u << 1)	/* record trace events */
#define TESSERA_BOOT_BREAK_INV	(1u << 2)	/* channels skip the invalidate (study mode) */
#define TESSERA_BOOT_BREAK_FLUSH (1u << 3)	/* channels skip the WCB flush (study mode) */
#define TESSERA_BOOT_TIMING	(1u << 4)	/* virtual clock, SCC cost model (--timing=scc) */
#define TESSERA_BOOT_DET	(1u << 5)	/* one core at a time, lowest virtual time first */
#define TESSERA_BOOT_RECORD	(1u << 6)	/* log nondeterministic decisions (--record) */
#define TESSERA_BOOT_REPLAY	(1u << 7)	/* take them from the host (--replay) */
#define TESSERA_BOOT_DIST	(1u << 8)	/* the board spans several hosts (bootinfo.dist) */
#define TESSERA_DIST_MAX_HOSTS	64u
#define TESSERA_BOOTINFO_BYTES	(TESSERA_ADDR_IMAGE - TESSERA_ADDR_BOOTINFO)
#define TESSERA_STACK_BYTES	(1u << 20)	/* a core's stack, below stack_top */
#define TESSERA_GUARD_BYTES	(64u << 10)	/* below the stack: faults (emu), never heap */

struct tessera_bootinfo {
	uint32_t magic, version;
	uint32_t core, rank, nranks;
	uint32_t tile_x, tile_y, tile_z;
	uint32_t flags;		/* TESSERA_BOOT_* */
	uint32_t argc, envc;
	uint32_t strings_off;	/* from the start of this struct: argv then env, NUL-separated */
	uint32_t strings_bytes;
	uint32_t host_cpus;	/* host CPUs the job's cores share (paravirtual hint: a core
				 * that waits should not spin when cores outnumber them) */
	uint64_t image_end;	/* first free byte after the image (heap starts here) */
	uint64_t stack_top;	/* initial stack pointer (top of private DRAM); the stack may
				 * take TESSERA_STACK_BYTES below it, and below those lies a
				 * guard of TESSERA_GUARD_BYTES that the heap never reaches */
	uint64_t time_base_ns;	/* host CLOCK_MONOTONIC of the job's start (one timebase) */
	uint64_t realtime_base_ns; /* host CLOCK_REALTIME at time_base_ns */
	uint64_t entry;		/* image entry point */
	/* The standard descriptors as the host has them, so that a core answers isatty and
	 * fstat of fds 0-2 without a host call: bit fd of stdio_tty is set for a terminal;
	 * stdio_mode[fd] is its st_mode (POSIX numbering), 0 when the core has no such fd. */
	uint32_t stdio_tty;
	uint32_t stdio_mode[3];
	struct tessera_geom geom;
	uint16_t rank_core[TESSERA_MAX_CORES];	/* rank -> core for this job */
	uint32_t appnum;	/* this core's context in an MPMD job (0, 1, ...; MPI_APPNUM) */
	uint32_t universe;	/* cores a job on this board may use (MPI_UNIVERSE_SIZE) */
	/* --timing=scc: virtual core cycles per ns of host CPU time the core uses, times 2^32
	 * (core_mhz against the host's calibration, docs/timing.md); 0: computation is not
	 * counted (--deterministic, where host CPU time would make runs differ) */
	uint64_t vt_scale_q32;
	/* TESSERA_BOOT_DIST: this host, how many, and the host of every core's tile; shared
	 * DRAM is on every host, the atomic counters on host 0 (docs/distributed.md) */
	uint32_t dist_host, dist_hosts;
	int64_t dist_clock_ns;	/* add to this host's CLOCK_MONOTONIC for host 0's, whose
				 * clock time_base_ns and realtime_base_ns then are */
	uint8_t core_host[TESSERA_MAX_CORES];
};

/* ---- Image identification: a note every tile image carries ---- */

#define TESSERA_NOTE_NAME	"tessera"
#define TESSERA_NOTE_TYPE	0x54455353u
#define TESSERA_ABI_VERSION	3u
#define TESSERA_ARCH_EMU	1u	/* x86-64, run by an emulated core process */
#define TESSERA_ARCH_I386	2u	/* bare-metal i386 multiboot, run by QEMU */

struct tessera_note_desc {
	uint32_t abi_version;
	uint32_t arch;		/* TESSERA_ARCH_* */
};

#endif
