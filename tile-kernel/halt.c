// SPDX-License-Identifier: MIT
/*
 * halt.c: interrupts, halting without lost wake-ups, test-and-set locks and the board's
 * atomic counters, on top of the arch's sleep and wake hooks. The per-core interrupt word
 * and the "halted" announcement live in the board registers (uncached on the SCC, coherent
 * here), so plain atomics with sequentially consistent fences order them.
 */
#include "arch.h"
#include "tk.h"
#include "tk_impl.h"

void tk_halt_prepare(void)
{
	__atomic_store_n(&tk_boardreg_core(tk_core())->halted, 1, __ATOMIC_SEQ_CST);
	/* Dekker with the waker: our "halted" must be visible before we look for work again,
	 * and its work before it looks at "halted". */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* The halt itself: its begin and end go in the trace when `traced`. */
static int halt(uint64_t timeout_ns, int traced)
{
	volatile struct tessera_boardreg_core *me = tk_boardreg_core(tk_core());

	if (!__atomic_load_n(&me->irq, __ATOMIC_SEQ_CST)) {
		/* may wait for room in the trace ring: then it leaves our interrupt raised if it
		 * took one (trace.c), and the sleep below returns at once */
		if (traced)
			tk_trace(TESSERA_TR_HALT, -1, 0, 0, 0);
		/* "asleep" only around the sleep itself, after the caller's last look for work
		 * and withdrawn before anything else on waking: the host's deadlock detector
		 * takes it for the fact that this core waits (host-driver/deadlock.h). */
		__atomic_store_n(&me->asleep, 1, __ATOMIC_SEQ_CST);
		arch_halt(&me->irq, timeout_ns);
		__atomic_store_n(&me->asleep, 0, __ATOMIC_SEQ_CST);
		if (traced)
			tk_trace(TESSERA_TR_WAKE, -1, 0, 0, 0);
	}
	if (__atomic_exchange_n(&me->irq, 0, __ATOMIC_SEQ_CST)) {
		me->wakeups++;
		return 1;
	}
	return 0;
}

int tk_halt(uint64_t timeout_ns)
{
	return halt(timeout_ns, tk_tracing());
}

int tk_halt_untraced(uint64_t timeout_ns)
{
	return halt(timeout_ns, 0);
}

void tk_irq_raise_self(void)
{
	__atomic_store_n(&tk_boardreg_core(tk_core())->irq, 1, __ATOMIC_SEQ_CST);
}

int tk_yield(void)
{
	return arch_yield();
}

void tk_relax(void)
{
	arch_relax();
}

int tk_halt_is_cheap(void)
{
	return arch_halt_is_switch();
}

uint64_t tk_spin_cycles(void)
{
	return arch_spin_cycles();
}

void tk_halt_done(void)
{
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
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return (int)__atomic_load_n(&tk_boardreg_core(core)->halted, __ATOMIC_SEQ_CST);
}

void tk_irq_send(uint32_t core)
{
	volatile struct tessera_boardreg_core *r = tk_boardreg_core(core);

	if (__atomic_exchange_n(&r->irq, 1, __ATOMIC_SEQ_CST) == 0)
		arch_wake(core, &r->irq);
}

void tk_lock_acquire(uint32_t core)
{
	volatile struct tessera_crb_core *c = tk_crb_core(core);

	/* the holder may share this host thread (a runner of many cores): let it run */
	int yield = arch_halt_is_switch();

	while (__atomic_exchange_n(&c->lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&c->lock, __ATOMIC_RELAXED))
			if (yield)
				arch_yield();
			else
				arch_relax();
}

void tk_lock_release(uint32_t core)
{
	__atomic_store_n(&tk_crb_core(core)->lock, 0, __ATOMIC_RELEASE);
}

static volatile uint32_t *src_reg(uint32_t core)
{
	const struct tessera_geom *g = tk_geom();
	uint32_t first = TESSERA_ADDR_BOARDREG + TESSERA_BOARDREG_GLOBAL_BYTES +
			 tessera_cores(g) * (uint32_t)sizeof(struct tessera_boardreg_core);

	return (volatile uint32_t *)(uintptr_t)(first + core * TESSERA_SRC_BYTES);
}

void tk_src_signal(uint32_t core)
{
	uint32_t me = tk_core(), bit = 1u << (me % 32);
	volatile uint32_t *w = &src_reg(core)[me / 32];

	/* After the data the bit announces: the caller has flushed it. A bit still set needs no
	 * atomic (whose line transfer a receiver that watches our ring directly never takes
	 * back): the receiver takes bits before it looks, so it has not taken this one yet and
	 * will see the data when it does. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(__atomic_load_n(w, __ATOMIC_SEQ_CST) & bit))
		__atomic_fetch_or(w, bit, __ATOMIC_SEQ_CST);
}

void tk_src_take(uint32_t *bits)
{
	volatile uint32_t *reg = src_reg(tk_core());
	uint32_t words = (tessera_cores(tk_geom()) + 31) / 32;

	for (uint32_t w = 0; w < words; w++)
		if (__atomic_load_n(&reg[w], __ATOMIC_RELAXED))
			bits[w] |= __atomic_exchange_n(&reg[w], 0, __ATOMIC_SEQ_CST);
}

uint32_t tk_counter_add(uint32_t i, uint32_t v)
{
	if (i >= TESSERA_ATOMIC_COUNTERS)
		tk_panic("tk_counter_add: counter %u of %u", i, TESSERA_ATOMIC_COUNTERS);
	return __atomic_fetch_add(&tk_boardreg_global()->counter[i], v, __ATOMIC_SEQ_CST);
}

uint64_t tk_cycles(void)
{
	return arch_cycles();
}

uint64_t tk_time_ns(void)
{
	return arch_time_ns() - tk_bi()->time_base_ns;
}
