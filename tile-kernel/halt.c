// SPDX-License-Identifier: MIT
/*
 * halt.c: interrupts, halting without lost wake-ups, test-and-set locks and the board's
 * atomic counters, on top of the arch's sleep and wake hooks. The per-core interrupt word
 * and the "halted" announcement live in the board registers (uncached on the SCC, coherent
 * here), so plain atomics with sequentially consistent fences order them. Under virtual time
 * each register access is charged as the model says (timing.c); under --deterministic a
 * core that waits for a peer, yields or spins hands the turn on instead (det.c).
 *
 * On a board spread over several hosts (dist.c) the registers, lock and interrupt of a core
 * on another host are reached through its host: an interrupt and a source bit are handed off
 * (one way), a lock is taken at its home (the core halts until it is granted), a counter is
 * added at host 0; whether such a core is halted is not asked: it may be, so it is sent the
 * interrupt (a spurious one costs it a look). Before anything of this core becomes visible
 * here, what it handed off before is published (tk_dist_publish), as the chip keeps order.
 */
#include "arch.h"
#include "tk.h"
#include "tk_impl.h"

/* Announcements nest: a wait for the host (console room, a host call's answer, trace and
 * record ring room) may come inside a wait for a peer, where --deterministic hands its output
 * to the host before it hands on the turn (det.c), and must not withdraw the outer one: a
 * peer that then found the core not halted would not interrupt it. */
static uint32_t halt_depth;

void tk_halt_prepare(void)
{
	if (halt_depth++ == 0)
		__atomic_store_n(&tk_boardreg_core(tk_core())->halted, 1, __ATOMIC_SEQ_CST);
	/* Dekker with the waker: our "halted" must be visible before we look for work again,
	 * and its work before it looks at "halted". */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Sleep until an interrupt or the timeout: the arch's sleep, or (peer) under --deterministic
 * the hand-over of the turn. Traced as a halt, except under --deterministic a sleep of the
 * core that holds the turn: that is a wait for the host (a host call, ring room), as long
 * as the host takes, which would make the traces of two runs differ. */
static void sleep_traced(volatile struct tessera_boardreg_core *me, uint64_t timeout_ns, int peer,
			 int may_trace)
{
	/* tk_trace may wait for ring room, but untraced (halt): no recursion */
	int traced = may_trace && tk_tracing() && (peer || !tk_det_on());

	if (traced)
		tk_trace(TESSERA_TR_HALT, -1, 0, 0, 0);
	if (peer) {
		tk_det_halt(timeout_ns);
	} else {
		/* "asleep" only around the sleep itself, after the caller's last look for work
		 * and withdrawn before anything else on waking: the host's deadlock detector
		 * takes it for the fact that this core waits (host-driver/deadlock.h). */
		__atomic_store_n(&me->asleep, 1, __ATOMIC_SEQ_CST);
		arch_halt(&me->irq, timeout_ns);
		__atomic_store_n(&me->asleep, 0, __ATOMIC_SEQ_CST);
	}
	if (traced)
		tk_trace(TESSERA_TR_WAKE, -1, 0, 0, 0);
}

/* Take a pending interrupt of a source in `from` (TESSERA_IRQ_* bits; others are dropped):
 * the bits taken if there was one, else 0. Its arrival time, if the sender stamped one,
 * becomes this core's time unless the core is inside a wait of the runtime (whose wake-ups
 * are the emulator's, not the program's: timing.c). */
static uint32_t take_irq(volatile struct tessera_boardreg_core *me, uint32_t from)
{
	uint64_t stamp = __atomic_exchange_n(&me->irq_stamp, 0, __ATOMIC_SEQ_CST);
	uint32_t got = __atomic_exchange_n(&me->irq, 0, __ATOMIC_SEQ_CST);

	if (!(got & from))
		return 0;
	me->wakeups++;
	tk_vt_interrupted(stamp);
	return got;
}

/* The halt of tk_halt and of a wait for the host; the interrupt bits it took, 0 if none.
 * `traced`: the halt goes in the trace and what this core handed off to other hosts leaves
 * first (what it waits for may depend on it); not so for the trace ring's own wait for room,
 * whose record would need the room it waits for (and shipping may wait for room again). */
static uint32_t halt(uint64_t timeout_ns, int traced)
{
	volatile struct tessera_boardreg_core *me = tk_boardreg_core(tk_core());

	if (traced)
		tk_dist_ship();
	if (!__atomic_load_n(&me->irq, __ATOMIC_SEQ_CST))
		sleep_traced(me, timeout_ns, 0, traced);
	return take_irq(me, TESSERA_IRQ_PEER | TESSERA_IRQ_HOST);
}

int tk_halt(uint64_t timeout_ns)
{
	return halt(timeout_ns, 1) != 0;
}

void tk_wait_host(int (*ready)(const void *arg), const void *arg, volatile uint32_t *waiting,
		  int traced)
{
	int inside = halt_depth != 0;
	uint32_t taken = 0;

	while (!ready(arg)) {
		tk_halt_prepare();
		if (waiting) {
			__atomic_store_n(waiting, 1, __ATOMIC_SEQ_CST);
			arch_host_notify();
		}
		if (!ready(arg))
			taken |= halt(0, traced);
		if (waiting)
			__atomic_store_n(waiting, 0, __ATOMIC_SEQ_CST);
		tk_halt_done();
	}
	/* the caller's halt then returns at once, and it looks again */
	if (inside && taken)
		__atomic_fetch_or(&tk_boardreg_core(tk_core())->irq, taken, __ATOMIC_SEQ_CST);
}

int tk_halt_for_peer(uint64_t timeout_ns)
{
	volatile struct tessera_boardreg_core *me = tk_boardreg_core(tk_core());

	if (!tk_det_on())
		return tk_halt(timeout_ns);
	/* the host's wake-ups answer waits of this core that are over: dropped, so that when
	 * this wait ends depends on the peers alone */
	if (!(__atomic_load_n(&me->irq, __ATOMIC_SEQ_CST) & TESSERA_IRQ_PEER))
		sleep_traced(me, timeout_ns, 1, 1);
	return take_irq(me, TESSERA_IRQ_PEER) != 0;
}

int tk_yield(void)
{
	if (tk_det_on()) {
		tk_det_yield();
		return 1;
	}
	return arch_yield();
}

void tk_relax(void)
{
	if (tk_det_on())
		tk_det_yield();
	else
		arch_relax();
}

/* Under --deterministic a halt hands the turn over: as cheap as a switch, and a core that
 * spun would only hold the turn. */
int tk_halt_is_cheap(void)
{
	return tk_det_on() || arch_halt_is_switch();
}

uint64_t tk_spin_cycles(void)
{
	return arch_spin_cycles();
}

void tk_halt_done(void)
{
	if (!halt_depth || --halt_depth)
		return;
	__atomic_store_n(&tk_boardreg_core(tk_core())->halted, 0, __ATOMIC_RELEASE);
}

void tk_beat(void)
{
	volatile struct tessera_boardreg_core *me = tk_boardreg_core(tk_core());

	__atomic_store_n(&me->beat, me->beat + 1, __ATOMIC_RELAXED);
}

uint32_t tk_core_beat(uint32_t core)
{
	return __atomic_load_n(&tk_boardreg_core(core)->beat, __ATOMIC_RELAXED);
}

int tk_core_halted(uint32_t core)
{
	if (tk_dist_core_remote(core))
		return 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return (int)__atomic_load_n(&tk_boardreg_core(core)->halted, __ATOMIC_SEQ_CST);
}

void tk_core_wake(uint32_t core)
{
	volatile struct tessera_boardreg_core *r = tk_boardreg_core(core);

	uint32_t was;

	if (tk_dist_core_remote(core)) {
		tk_dist_oneway(TESSERA_DIST_IRQ, core, 0, 0);
		tk_dist_ship();
		return;
	}
	tk_dist_publish();
	was = __atomic_fetch_or(&r->irq, TESSERA_IRQ_PEER, __ATOMIC_SEQ_CST);
	if (tk_det_on())
		tk_det_wake(core);	/* it runs when its turn comes, not now */
	else if (was == 0)
		arch_wake(core, &r->irq);
}

void tk_irq_send(uint32_t core)
{
	volatile struct tessera_boardreg_core *r = tk_boardreg_core(core);
	uint64_t stamp = tk_vt_irq_stamp();

	if (stamp) {
		uint64_t old = __atomic_load_n(&r->irq_stamp, __ATOMIC_RELAXED);

		while (old < stamp && !__atomic_compare_exchange_n(&r->irq_stamp, &old, stamp, 0,
								   __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
			;
	}
	tk_vt_charge(tk_vt_reg_cost(core, 1));	/* the write to its tile's register */
	tk_core_wake(core);
}

void tk_lock_acquire(uint32_t core)
{
	volatile struct tessera_crb_core *c = tk_crb_core(core);
	uint64_t cost = tk_vt_reg_cost(core, 0);	/* each test-and-set is a read */

	/* the holder may share this host thread (a runner of many cores): let it run (tk_yield,
	 * which under --deterministic hands it the turn) */
	int yield = arch_halt_is_switch();

	tk_vt_charge(cost);
	if (tk_dist_core_remote(core)) {
		tk_dist_call(TESSERA_DIST_LOCK, core, 0);
		return;
	}
	while (__atomic_exchange_n(&c->lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&c->lock, __ATOMIC_RELAXED)) {
			tk_vt_charge(cost);
			if (yield)
				tk_yield();
			else
				tk_relax();
		}
}

void tk_lock_release(uint32_t core)
{
	volatile struct tessera_crb_core *c = tk_crb_core(core);

	tk_vt_charge(tk_vt_reg_cost(core, 1));
	if (tk_dist_core_remote(core)) {
		tk_dist_oneway(TESSERA_DIST_UNLOCK, core, 0, 0);
		tk_dist_ship();
		return;
	}
	tk_dist_publish();
	__atomic_store_n(&c->lock, 0, __ATOMIC_SEQ_CST);
	/* cores of other hosts wait for it at this host, which hears of the release so */
	if (tk_dist_on() && __atomic_load_n(&c->lock_waiters, __ATOMIC_SEQ_CST))
		arch_host_notify();
}

static volatile uint32_t *src_reg(uint32_t core)
{
	const struct tessera_geom *g = tk_geom();
	uint32_t first = TESSERA_ADDR_BOARDREG + TESSERA_BOARDREG_GLOBAL_BYTES +
			 tessera_cores(g) * (uint32_t)sizeof(struct tessera_boardreg_core);

	return (volatile uint32_t *)(uintptr_t)(first + core * TESSERA_SRC_BYTES);
}

int tk_src_signal(uint32_t core)
{
	uint32_t me = tk_core(), bit = 1u << (me % 32);
	volatile uint32_t *w = &src_reg(core)[me / 32];

	if (tk_dist_core_remote(core)) {
		tk_dist_oneway(TESSERA_DIST_SRC, core, 0, 0);
		return 1;	/* as tk_core_halted says of a remote core */
	}
	tk_dist_publish();
	/* After the data the bit announces: the caller has flushed it. A bit still set needs no
	 * atomic (whose line transfer a receiver that watches our ring directly never takes
	 * back): the receiver takes bits before it looks, so it has not taken this one yet and
	 * will see the data when it does. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(__atomic_load_n(w, __ATOMIC_SEQ_CST) & bit)) {
		tk_vt_charge(tk_vt_reg_cost(core, 1));	/* the register write */
		__atomic_fetch_or(w, bit, __ATOMIC_SEQ_CST);
	}
	/* tk_core_halted, after the fence above */
	return (int)__atomic_load_n(&tk_boardreg_core(core)->halted, __ATOMIC_SEQ_CST);
}

void tk_src_take(uint32_t *bits)
{
	volatile uint32_t *reg = src_reg(tk_core());
	uint32_t words = (tessera_cores(tk_geom()) + 31) / 32;

	tk_vt_charge(words * tk_vt_reg_cost(tk_core(), 0));
	for (uint32_t w = 0; w < words; w++)
		if (__atomic_load_n(&reg[w], __ATOMIC_RELAXED))
			bits[w] |= __atomic_exchange_n(&reg[w], 0, __ATOMIC_SEQ_CST);
}

uint32_t tk_counter_add(uint32_t i, uint32_t v)
{
	if (i >= TESSERA_ATOMIC_COUNTERS)
		tk_panic("tk_counter_add: counter %u of %u", i, TESSERA_ATOMIC_COUNTERS);
	/* the board's registers sit behind the system interface: modelled as a register of
	 * tile 0 (core 0's) */
	tk_vt_charge(tk_vt_reg_cost(0, 0));
	if (tk_dist_on() && tk_bi()->dist_host != 0)	/* the counters live on host 0 */
		return (uint32_t)tk_dist_call(TESSERA_DIST_COUNTER, i, v);
	tk_dist_publish();
	return __atomic_fetch_add(&tk_boardreg_global()->counter[i], v, __ATOMIC_SEQ_CST);
}

uint64_t tk_cycles(void)
{
	return arch_cycles();
}

uint64_t tk_clock_ns(void)
{
	if (tk_flags() & TESSERA_BOOT_TIMING)	/* --deterministic alone shows host time */
		return tk_vt_ns(tk_vt_now());
	/* on a board over several hosts, on host 0's clock (dist_clock_ns is 0 otherwise) */
	return arch_time_ns() + (uint64_t)tk_bi()->dist_clock_ns - tk_bi()->time_base_ns;
}

/* Under --deterministic computation is not counted, so a program that waits for its clock to
 * move (a loop on MPI_Wtime) would wait for ever: there a read of the clock costs what the
 * call would on the core. */
uint64_t tk_time_ns(void)
{
	if ((tk_flags() & (TESSERA_BOOT_TIMING | TESSERA_BOOT_DET)) ==
	    (TESSERA_BOOT_TIMING | TESSERA_BOOT_DET))
		tk_vt_charge(TK_VT_CLOCK_READ);
	return tk_clock_ns();
}

uint64_t tk_vt_of(uint32_t core)
{
	return __atomic_load_n(&tk_boardreg_core(core)->vclock, __ATOMIC_ACQUIRE);
}
