/* SPDX-License-Identifier: MIT */
/*
 * tk.h: the tile kernel's interface to the layers above it (mpb-channels, lib/, apps through
 * include/tessera/tile.h). Tile side only: freestanding C, one core, one thread.
 *
 * Contract:
 *  - Everything here is called by the core that runs it; nothing is shared with other cores
 *    except through the MPBs, the board registers and the host window.
 *  - MPB access goes through tk_mpb_*: in the default coherence mode (host) they are plain
 *    loads and stores with the fences the protocol needs; under strict coherence
 *    (TESSERA_BOOT_STRICT) they model the P54C's L1 for MPB-typed lines and its one-line
 *    write-combining buffer (see coherence.c), so a missing tk_cl1invmb() or tk_wcb_flush()
 *    shows as stale data or a hang, as on the SCC.
 *  - On a board spread over several hosts (TESSERA_BOOT_DIST, docs/distributed.md) MPB and
 *    shared DRAM must be reached through tk_mpb_* only, in either mode: they are where
 *    memory of another host is fetched and shipped (dist.c); the locks, interrupts and
 *    counters below reach other hosts by themselves.
 *  - Core addresses (uintptr_t) are the SCC addresses of include/tessera/board.h.
 *  - Functions return 0 or a negative errno value unless stated otherwise.
 */
#ifndef TK_H
#define TK_H

#include <stddef.h>
#include <stdint.h>
#include "tessera/board.h"

/* ---- Boot information (valid from before main() on) ---- */
const struct tessera_bootinfo *tk_bootinfo(void);
const struct tessera_geom *tk_geom(void);
uint32_t tk_core(void);			/* this core's id */
uint32_t tk_rank(void);			/* this core's rank in the job */
uint32_t tk_nranks(void);
uint32_t tk_rank_core(uint32_t rank);	/* core of a rank; rank < tk_nranks() */
uint32_t tk_flags(void);		/* TESSERA_BOOT_* */
uint32_t tk_appnum(void);		/* this rank's context in an MPMD job (0, 1, ...) */
uint32_t tk_universe(void);		/* cores a job on this board may use */
/* Where this core sees one of its own windows (board.h, tessera_window_is_own: private DRAM,
 * own MPB and CRB aliases, host window), given its SCC address: on emu many cores share a
 * host address space and each has its own windows at a base of its own. */
uintptr_t tk_own_addr(uint32_t scc_addr);

/* ---- MPB access (HAL) ---- */
/* Copy n bytes out of an MPB (through the modelled L1 under strict coherence). */
void tk_mpb_read(void *dst, uintptr_t mpb_addr, size_t n);
/* Copy n bytes into an MPB (through the modelled WCB under strict coherence). */
void tk_mpb_write(uintptr_t mpb_addr, const void *src, size_t n);
uint32_t tk_mpb_read32(uintptr_t mpb_addr);
void tk_mpb_write32(uintptr_t mpb_addr, uint32_t v);
/* CL1INVMB: drop every MPB-typed line from this core's L1 (reads then go to the MPB). */
void tk_cl1invmb(void);
/* Drain the write-combining buffer: every earlier MPB write is visible to all cores after. */
void tk_wcb_flush(void);
/*
 * A pointer through which this core may reach the n bytes at core address mpb_addr with
 * plain loads and stores, or NULL where every access must go through the calls above. Not
 * NULL only where those calls are plain accesses themselves: the default coherence mode
 * (host), without virtual time or a board over several hosts, on an arch whose MPB is
 * coherent memory (not i386 built for a real SCC). There the order the calls would give is
 * the caller's to keep: a store-release of a flag after its data, a load-acquire of a flag
 * before its data, and a full fence (tk_wcb_flush) where a store must precede a later load.
 * Constant for a core's run, so a layer may ask once and keep the pointer.
 */
void *tk_mpb_direct(uintptr_t mpb_addr, size_t n);
/* Under --coherence=strict, the pages of shared DRAM that [addr, addr + bytes) touches become
 * memory that only tk_mpb_* reach: a direct load or store there faults from now on, on the
 * archs that can (emu; not i386). Nothing in host mode. For memory a layer never hands out. */
void tk_mpb_seal(uintptr_t addr, uint64_t bytes);

/* ---- Locks, interrupts, halting (HAL) ---- */
/* Test-and-set lock of `core` in its tile's CRB: spin until acquired. */
void tk_lock_acquire(uint32_t core);
void tk_lock_release(uint32_t core);
/* Raise the interrupt of `core` (wakes it if halted): a modelled inter-core interrupt, which
 * reaches the core TK_TM_IRQ cycles of virtual time later. */
void tk_irq_send(uint32_t core);
/* Wake `core` from a halt: the emulator's notice that a peer wrote something for it (the
 * channels', RCCE's), which costs no virtual time. */
void tk_core_wake(uint32_t core);
/*
 * Halting without lost wake-ups, in three steps:
 *   tk_halt_prepare();             announce "I may halt" (other cores see tk_core_halted())
 *   if (nothing to do) tk_halt(t); sleep until an interrupt or t ns (0: no timeout)
 *   tk_halt_done();                withdraw the announcement
 * A core that makes work for another core, after making it visible, calls
 * tk_irq_send(c) if tk_core_halted(c). tk_halt returns 1 when woken by an interrupt,
 * 0 on timeout.
 */
void tk_halt_prepare(void);
/* Let another core that shares this core's host CPU run (a core process on emu); cheap.
 * Returns 0 when the core cannot give its host CPU away but by halting (a QEMU VM): a
 * waiting core then halts instead of yielding. */
int tk_yield(void);
/* 1 when a halt costs no more than a yield: the core shares a host thread with others
 * (emu, many cores per process), a halt switches to the next one and a wake-up makes it
 * runnable again without the host kernel; or under --deterministic, where a halt hands the
 * turn over. A waiting core should then halt at once. */
int tk_halt_is_cheap(void);
/* A spin-wait hint for a loop that polls memory another core writes (x86: pause). */
void tk_relax(void);
int tk_halt(uint64_t timeout_ns);
/* How long a waiting core should poll (in tk_cycles()) before it halts: about what a halt
 * and its wake-up cost on this arch. */
uint64_t tk_spin_cycles(void);
/* tk_halt for a core that waits for a peer core (a message, a flag, room): under
 * --deterministic it hands the turn to the next core instead of sleeping (det.c). */
int tk_halt_for_peer(uint64_t timeout_ns);
void tk_halt_done(void);
int tk_core_halted(uint32_t core);
/*
 * Whether a core is running, as its waiting peers see it: a core advances its beat
 * (tk_beat) every microsecond or so while it runs a wait loop; a peer that saw the beat of
 * `core` move within its own last few microseconds knows it is on a host CPU, and one that
 * sees it stand still (the core is descheduled, halted, or busy outside the library) stops
 * spinning for it. Kept by the core itself, so a process per core and a scheduler of
 * contexts keep it alike (a context switched out simply stops beating).
 */
void tk_beat(void);
uint32_t tk_core_beat(uint32_t core);

/* Source register (board.h): say "I wrote something for `core`" / take who wrote for me.
 * tk_src_take ORs the bits it took into bits[0..TESSERA_SRC_WORDS-1], bit c for core c.
 * tk_src_signal returns what tk_core_halted(core) would, read after the same fence (one
 * store->load fence per message where a sender signals and then wakes a halted receiver). */
int tk_src_signal(uint32_t core);
void tk_src_take(uint32_t *bits);

/* ---- Time ---- */
uint64_t tk_cycles(void);		/* cycle counter of the host CPU (for spin limits) */
/* ns since the job started, one timebase for all cores: host time, or the core's virtual
 * time under --timing=scc (TESSERA_BOOT_TIMING; --deterministic alone keeps its virtual clock
 * to order the cores and shows host time). */
uint64_t tk_time_ns(void);
/* The same clock for the runtime's own records (the trace): reading it costs nothing. */
uint64_t tk_clock_ns(void);
/* Core cycles a read of the clock by the program costs under --deterministic --timing=scc,
 * where its computation is not counted (about a call into the kernel on a P54C). */
#define TK_VT_CLOCK_READ 100u

/*
 * ---- Virtual time (--timing=scc, --deterministic; timing.c, docs/timing.md) ----
 * Every function is a no-op (or returns 0, or "yes") when the job runs on host time.
 */
int tk_vt_on(void);
/* The runtime starts / ends (nestable): host CPU time in between is not the program's
 * computation; what the runtime does to the modelled hardware is charged instead. */
void tk_vt_enter(void);
void tk_vt_leave(void);
/* A runtime scope for the rest of a block, entered only when `on` (the layer's tk_vt_on(),
 * asked once), left when the block is, by any return: TK_VT_SCOPE(name, on). */
static inline int tk_vt_scope_open(int on)
{
	if (on)
		tk_vt_enter();
	return on;
}

static inline void tk_vt_scope_close(const int *open)
{
	if (*open)
		tk_vt_leave();
}
#define TK_VT_SCOPE(name, on) \
	__attribute__((cleanup(tk_vt_scope_close), unused)) int name = tk_vt_scope_open(on)
/* The core's virtual time in core cycles (counting the computation so far first). */
uint64_t tk_vt_now(void);
/* Core cycles to ns and back at the board's core clock. */
uint64_t tk_vt_ns(uint64_t cycles);
uint64_t tk_vt_cycles(uint64_t ns);
/* Advance the clock: by `cycles`; by a sleep of `ns` (no host time passes). */
void tk_vt_charge(uint64_t cycles);
void tk_vt_sleep(uint64_t ns);
/* Charge an access of n bytes at a core address (coherence.c calls this for tk_mpb_*). */
void tk_vt_access(uintptr_t addr, size_t n, int write);
/* Charge a WCB flush / a CL1INVMB. */
void tk_vt_flush(void);
void tk_vt_invalidate(void);
/* When a line written now at addr would land (the stamp a message header carries). */
uint64_t tk_vt_landing(uintptr_t addr);
/* Cost of reading (write = 0) or writing a register in the tile of `core`. */
uint64_t tk_vt_reg_cost(uint32_t core, int write);
/* May this core see something that lands at `stamp`? Yes once its time has come, or at
 * once while it waits (tk_vt_wait_begin), which tk_vt_arrive then makes true. */
int tk_vt_visible(uint64_t stamp);
void tk_vt_arrive(uint64_t stamp);
/* A wait: what lands is visible; polls that find nothing are undone (save, rewind). */
void tk_vt_wait_begin(void);
void tk_vt_wait_end(void);
uint64_t tk_vt_save(void);
void tk_vt_rewind(uint64_t t);
/* The published virtual time of another core (board registers). */
uint64_t tk_vt_of(uint32_t core);
/* The arrival time of an interrupt raised now (tk_irq_send stamps it; 0: no virtual time),
 * and what the core it wakes does with it: its time, unless it is inside a wait. */
uint64_t tk_vt_irq_stamp(void);
void tk_vt_interrupted(uint64_t stamp);

/* ---- Board registers ---- */
/* Atomic fetch-and-add on board counter i (< TESSERA_ATOMIC_COUNTERS); returns the old value. */
uint32_t tk_counter_add(uint32_t i, uint32_t v);

/* ---- Power: the board's modelled DVFS state (board.h: tessera_boardreg_core.pm_*) ---- */
/* Frequency divider and voltage level of `core` (0 where the board default is in force). */
void tk_power_get(uint32_t core, uint32_t *fdiv, uint32_t *vlevel);
/* Set them for `core` (shown by `tessera ps`; traced as TESSERA_TR_POWER by the caller). */
void tk_power_set(uint32_t core, uint32_t fdiv, uint32_t vlevel);

/* ---- Status published to the host (ps, top, deadlock detection) ---- */
/* Say what this core waits for (TESSERA_WAIT_NONE when it stops waiting). */
void tk_wait_set(uint32_t kind, int32_t peer_rank, int32_t tag, uint32_t comm);
void tk_count_send(uint64_t bytes);
void tk_count_recv(uint64_t bytes);

/* ---- Trace (recorded only when the job runs with --trace: TESSERA_BOOT_TRACE) ---- */
/* Record one event (struct tessera_trace_rec) with this core's clock. */
void tk_trace(uint32_t kind, int32_t peer_rank, int32_t tag, uint32_t comm, uint64_t bytes);
static inline int tk_tracing(void)
{
	return (tk_flags() & TESSERA_BOOT_TRACE) != 0;
}

/*
 * ---- Decisions (--record, --replay; record.c, docs/timing.md) ----
 * The caller numbers its decision points in program order (tk_decision_point); under
 * --record it logs what each decided (tk_decision_put, several entries per point allowed);
 * under --replay tk_decision_get returns 1 and *value for the point's next recorded entry,
 * 0 when the recorded run did not decide there (an any-source receive that never matched),
 * -1 beyond where the recorded run was stopped (decide live; 0 and -1 without --replay), and
 * stops the core with "replay diverges at call N: ..." when the record has another kind of
 * point there or the recorded run had finished.
 */
int tk_recording(void);
int tk_replaying(void);
uint32_t tk_decision_point(void);
void tk_decision_put(uint32_t seq, uint32_t kind, int32_t value, uint32_t aux);
int tk_decision_get(uint32_t seq, uint32_t kind, uint32_t aux, int32_t *value);

/* ---- Console, host calls, failure ---- */
/* Write to this core's console ring; blocks (halting) while the host drains it. */
void tk_console_write(const void *buf, size_t n);
/* Do a host call; returns the host's answer (>= 0, or a negative errno value). */
int64_t tk_hostcall(uint32_t op, const int64_t arg[6], const void *in, size_t in_n,
		    void *out, size_t out_n);
/* Stop this core with a reason the host shows; never returns. */
__attribute__((noreturn, format(printf, 1, 2))) void tk_panic(const char *fmt, ...);
/* Stop this core with an exit status; never returns. */
__attribute__((noreturn)) void tk_exit(int status);

#endif
