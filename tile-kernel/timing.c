// SPDX-License-Identifier: MIT
/*
 * timing.c: the virtual clock of this core under --timing=scc and --deterministic (boot
 * flags TESSERA_BOOT_TIMING, TESSERA_BOOT_DET): SCC core cycles, advanced by the cost model
 * of timing_model.c for what the core does to the modelled hardware, by the host CPU time of
 * its computation (scaled; not under --deterministic), and by jumps to the arrival time of
 * what it waited for. Not the scheduling of --deterministic (det.c).
 *
 * What counts as what:
 *  - The runtime (lib/mpi's engine, lib/rcce, a program's own calls of the HAL) runs between
 *    tk_vt_enter and tk_vt_leave: its host CPU time is not the core's computation; what it
 *    does to the MPBs, shared DRAM, WCB, L1, locks and interrupts is charged by the model.
 *    Everything else a core runs is computation: host CPU time x vt_scale_q32.
 *  - Writes are charged per line as the WCB would drain them: consecutive writes to one line
 *    cost one line, until a flush or a write elsewhere. Reads are charged per line as L1
 *    misses: a read hits only the line last read since the last CL1INVMB (the channels
 *    invalidate before every look, so their reads miss on the chip too).
 *  - A record a core writes carries the time it lands (mpb-channels stamps its header). A
 *    core that is not waiting sees only what has landed by its own time; a waiting core
 *    (tk_vt_wait_begin) sees what is there and jumps to its landing time. Polls of a wait
 *    that find nothing cost nothing (tk_vt_save, tk_vt_rewind): on the chip the core would
 *    have polled until the data landed, whatever the host's timing.
 * One core, one clock: everything here is this core's own state, published in its board
 * registers (vclock) for ps, top, the run's summary and det.c.
 */
#include "arch.h"
#include "tk.h"
#include "tk_impl.h"
#include "timing.h"

#ifndef TK_VT_SELF
static struct tk_vt vt_state;
#define TK_VT_SELF() (&vt_state)
#endif

/* Where the clock is published (the host fake keeps it elsewhere). */
#ifndef TK_VT_PUBLISH
#define TK_VT_PUBLISH(now) \
	__atomic_store_n(&tk_boardreg_core(tk_core())->vclock, (now), __ATOMIC_RELEASE)
#endif

/* Entering the runtime is where --deterministic lets a core behind this one run first. */
#ifndef TK_VT_ENTER_HOOK
#define TK_VT_ENTER_HOOK() do { if (tk_det_on()) tk_det_point(); } while (0)
#endif

enum { VT_UNKNOWN = 0, VT_OFF = 1, VT_ON = 2 };

/* What one read of the host CPU clock itself adds to the interval it ends (its syscall's way
 * out and in): measured once, taken off every counted interval. */
static uint64_t probe_ns;

static void vt_init(struct tk_vt *v)
{
	uint32_t f = tk_flags();

	v->mode = (f & (TESSERA_BOOT_TIMING | TESSERA_BOOT_DET)) ? VT_ON : VT_OFF;
	if (v->mode != VT_ON)
		return;
	tk_tm_init(&v->m, tk_geom());
	v->tile = tessera_core_tile(tk_geom(), tk_core());
	v->scale_q32 = (f & TESSERA_BOOT_DET) ? 0 : tk_bootinfo()->vt_scale_q32;
	if (v->scale_q32) {
		uint64_t best = ~0ull;

		for (int i = 0; i < 8; i++) {
			uint64_t a = arch_cpu_ns(), b = arch_cpu_ns();

			if (b - a < best)
				best = b - a;
		}
		probe_ns = best;
	}
	v->cpu_mark = v->scale_q32 ? arch_cpu_ns() : 0;
}

static inline struct tk_vt *self(void)
{
	struct tk_vt *v = TK_VT_SELF();

	if (__builtin_expect(v->mode == VT_UNKNOWN, 0))
		vt_init(v);
	return v;
}

static void publish(struct tk_vt *v)
{
	TK_VT_PUBLISH(v->now);
}

/* Count the computation since cpu_mark (host CPU time, scaled). */
static void count_cpu(struct tk_vt *v)
{
	uint64_t c;

	if (!v->scale_q32)
		return;
	c = arch_cpu_ns();
	if (c > v->cpu_mark + probe_ns)
		v->now += tk_tm_cpu_cycles(c - v->cpu_mark - probe_ns, v->scale_q32);
	v->cpu_mark = c;
}

void tk_vt_start(void)
{
	self();
}

int tk_vt_on(void)
{
	return self()->mode == VT_ON;
}

void tk_vt_enter(void)
{
	struct tk_vt *v = self();

	if (v->mode != VT_ON)
		return;
	if (v->depth++ == 0) {
		count_cpu(v);
		publish(v);	/* what a peer that waited for us catches up with */
		TK_VT_ENTER_HOOK();
	}
}

void tk_vt_leave(void)
{
	struct tk_vt *v = self();

	if (v->mode != VT_ON || v->depth == 0)
		return;
	if (--v->depth == 0) {
		publish(v);
		if (v->scale_q32)
			v->cpu_mark = arch_cpu_ns();
	}
}

uint64_t tk_vt_now(void)
{
	struct tk_vt *v = self();

	if (v->mode != VT_ON)
		return 0;
	if (v->depth == 0) {
		count_cpu(v);
		publish(v);
	}
	return v->now;
}

uint64_t tk_vt_ns(uint64_t cycles)
{
	return tk_tm_ns(&self()->m, cycles);
}

uint64_t tk_vt_cycles(uint64_t ns)
{
	return tk_tm_cycles(&self()->m, ns);
}

void tk_vt_charge(uint64_t cycles)
{
	struct tk_vt *v = self();

	if (v->mode == VT_ON)
		v->now += cycles;
}

void tk_vt_sleep(uint64_t ns)
{
	struct tk_vt *v = self();

	if (v->mode != VT_ON)
		return;
	count_cpu(v);
	v->now += tk_tm_cycles(&v->m, ns);
	publish(v);
}

void tk_vt_access(uintptr_t addr, size_t n, int write)
{
	struct tk_vt *v = self();
	uintptr_t line, last;

	if (v->mode != VT_ON || !n)
		return;
	last = (addr + n - 1) & ~(uintptr_t)(TESSERA_LINE_BYTES - 1);
	for (line = addr & ~(uintptr_t)(TESSERA_LINE_BYTES - 1); line <= last;
	     line += TESSERA_LINE_BYTES) {
		if (write) {
			if (line == v->wcb_line)
				continue;
			v->wcb_line = line;
		} else {
			if (line == v->l1_line)
				continue;
			v->l1_line = line;
		}
		v->now += tk_tm_line(&v->m, v->tile, line, write);
	}
}

/* RCCE drains the WCB by writing a dummy line into the own MPB: that is what a flush costs. */
void tk_vt_flush(void)
{
	struct tk_vt *v = self();

	if (v->mode != VT_ON)
		return;
	v->wcb_line = 0;
	v->now += tk_tm_mpb_write(&v->m, 0);
}

void tk_vt_invalidate(void)
{
	struct tk_vt *v = self();

	if (v->mode != VT_ON)
		return;
	v->l1_line = 0;
	v->now += TK_TM_CL1INVMB;
}

uint64_t tk_vt_landing(uintptr_t addr)
{
	struct tk_vt *v = self();
	uintptr_t line = addr & ~(uintptr_t)(TESSERA_LINE_BYTES - 1);

	if (v->mode != VT_ON)
		return 0;
	return v->now + (line == v->wcb_line ? 0 : tk_tm_line(&v->m, v->tile, line, 1));
}

uint64_t tk_vt_reg_cost(uint32_t core, int write)
{
	struct tk_vt *v = self();
	uint32_t hops;

	if (v->mode != VT_ON)
		return 0;
	hops = tk_tm_hops(&v->m, v->tile, tessera_core_tile(tk_geom(), core));
	return write ? tk_tm_mpb_write(&v->m, hops) : tk_tm_mpb_read(&v->m, hops);
}

uint64_t tk_vt_irq_stamp(void)
{
	struct tk_vt *v = self();

	return v->mode == VT_ON ? v->now + TK_TM_IRQ : 0;
}

void tk_vt_interrupted(uint64_t stamp)
{
	struct tk_vt *v = self();

	if (v->mode == VT_ON && !v->waiting && stamp > v->now)
		v->now = stamp;
}

int tk_vt_visible(uint64_t stamp)
{
	struct tk_vt *v = self();

	return v->mode != VT_ON || v->waiting || stamp <= v->now;
}

void tk_vt_arrive(uint64_t stamp)
{
	struct tk_vt *v = self();

	if (v->mode == VT_ON && stamp > v->now)
		v->now = stamp;
}

void tk_vt_wait_begin(void)
{
	struct tk_vt *v = self();

	if (v->mode == VT_ON)
		v->waiting++;
}

void tk_vt_wait_end(void)
{
	struct tk_vt *v = self();

	if (v->mode != VT_ON || !v->waiting)
		return;
	v->waiting--;
	publish(v);
}

uint64_t tk_vt_save(void)
{
	return self()->now;
}

void tk_vt_rewind(uint64_t t)
{
	struct tk_vt *v = self();

	if (v->mode != VT_ON || t > v->now)
		return;
	v->now = t;
	v->l1_line = 0;
}

