// SPDX-License-Identifier: MIT
/*
 * det.c: --deterministic (boot flag TESSERA_BOOT_DET): the cores of a job take turns, one at
 * a time, so that every run of a program interleaves its cores alike and decides alike
 * (which message an any-source receive matches, what a test returns). A core runs while it
 * holds the turn; it hands the turn on when it must wait for another core (tk_halt_for_peer),
 * when it yields (tk_relax, tk_yield), when another core that may run is behind it in virtual
 * time (tk_det_point, at every entry into the runtime), and when it stops. The next core is
 * the ready one with the lowest virtual time (ties: the lowest rank), which is how the cores
 * would have come one after another on the chip. Virtual time counts only the model's costs
 * here (timing.c): host CPU time differs from run to run and would order the turns anew.
 *
 * Shared state: each core's det_state, det_turn, det_deadline and vclock in its board
 * registers, and det_arrived. Only the core holding the turn writes another core's state
 * (makes it ready, hands it the turn), so no lock is needed; a core waits for the turn on its
 * det_turn word (arch_halt: a futex, or a switch in a runner of many cores).
 * Every core of the job must run with the flag: the host sets it for all of them.
 */
#include "arch.h"
#include "tk.h"
#include "tk_impl.h"

#define NONE 0xffffffffu

static volatile struct tessera_boardreg_core *reg(uint32_t core)
{
	return tk_boardreg_core(core);
}

int tk_det_on(void)
{
	return (tk_flags() & TESSERA_BOOT_DET) != 0;
}

static uint32_t state_of(uint32_t core)
{
	return __atomic_load_n(&reg(core)->det_state, __ATOMIC_ACQUIRE);
}

static void set_state(uint32_t core, uint32_t s)
{
	__atomic_store_n(&reg(core)->det_state, s, __ATOMIC_RELEASE);
}

/* (t, rank) before (u, other)? */
static int before(uint64_t t, uint32_t rank, uint64_t u, uint32_t other)
{
	return t < u || (t == u && rank < other);
}

/* The rank of the ready core with the lowest virtual time (ties: the lowest rank), rank
 * `skip` left out (NONE: nobody); NONE if no core is ready. */
static uint32_t lowest_ready(uint32_t skip)
{
	uint32_t best = NONE, n = tk_nranks();
	uint64_t bt = 0;

	for (uint32_t r = 0; r < n; r++) {
		uint32_t c = tk_rank_core(r);
		uint64_t t;

		if (r == skip || state_of(c) != TESSERA_DET_READY)
			continue;
		t = tk_vt_of(c);
		if (best == NONE || t < bt) {
			best = r;
			bt = t;
		}
	}
	return best;
}

/* The rank of the core waiting with the earliest deadline; NONE if none waits with one. */
static uint32_t earliest_timed(void)
{
	uint32_t best = NONE, n = tk_nranks();
	uint64_t bt = 0;

	for (uint32_t r = 0; r < n; r++) {
		uint32_t c = tk_rank_core(r);
		uint64_t t;

		if (state_of(c) != TESSERA_DET_TIMED)
			continue;
		t = __atomic_load_n(&reg(c)->det_deadline, __ATOMIC_ACQUIRE);
		if (best == NONE || t < bt) {
			best = r;
			bt = t;
		}
	}
	return best;
}

/* Hand the turn to the core of `rank` (it runs from now on). */
static void give(uint32_t rank)
{
	uint32_t core = tk_rank_core(rank);
	volatile struct tessera_boardreg_core *r = reg(core);

	set_state(core, TESSERA_DET_RUNNING);
	__atomic_store_n(&r->det_turn, 1, __ATOMIC_SEQ_CST);
	arch_wake(core, &r->det_turn);
}

/* Sleep until this core is handed the turn. `blocked`: it waits for a peer, which the
 * host's deadlock detector is told through `asleep` (tk.h, tk_halt). */
static void wait_turn(int blocked)
{
	volatile struct tessera_boardreg_core *r = reg(tk_core());

	if (blocked)
		__atomic_store_n(&r->asleep, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&r->det_turn, __ATOMIC_SEQ_CST))
		arch_halt(&r->det_turn, 0);
	__atomic_store_n(&r->det_turn, 0, __ATOMIC_SEQ_CST);
	if (blocked)
		__atomic_store_n(&r->asleep, 0, __ATOMIC_SEQ_CST);
}

/* Before the turn goes elsewhere: this core's output reaches the host first, so that the
 * cores' output comes out in the order of their turns. */
static void hand_over(uint32_t rank)
{
	tk_console_sync();
	tk_vt_now();	/* publish the clock the next choice compares */
	give(rank);
}

void tk_det_start(void)
{
	volatile struct tessera_boardreg_global *g = tk_boardreg_global();
	uint32_t me = tk_core();

	tk_vt_now();
	set_state(me, TESSERA_DET_READY);
	/* the last core to arrive hands out the first turn, once every core can be chosen */
	if (__atomic_add_fetch(&g->det_arrived, 1, __ATOMIC_SEQ_CST) == tk_nranks())
		give(lowest_ready(NONE));
	wait_turn(0);
}

void tk_det_point(void)
{
	uint32_t me = tk_rank(), next = lowest_ready(me);
	uint64_t now = tk_vt_now();

	if (next == NONE || !before(tk_vt_of(tk_rank_core(next)), next, now, me))
		return;
	set_state(tk_core(), TESSERA_DET_READY);
	hand_over(next);
	wait_turn(0);
}

void tk_det_yield(void)
{
	uint32_t next = lowest_ready(tk_rank());

	if (next == NONE)
		return;
	set_state(tk_core(), TESSERA_DET_READY);
	hand_over(next);
	wait_turn(0);
}

int tk_det_halt(uint64_t timeout_ns)
{
	volatile struct tessera_boardreg_core *r = reg(tk_core());
	uint32_t me = tk_rank(), next;
	uint64_t deadline = 0;

	if (__atomic_load_n(&r->irq, __ATOMIC_SEQ_CST) & TESSERA_IRQ_PEER)
		return 1;
	if (timeout_ns) {
		deadline = tk_vt_now() + tk_vt_cycles(timeout_ns);
		__atomic_store_n(&r->det_deadline, deadline, __ATOMIC_RELEASE);
	}
	set_state(tk_core(), timeout_ns ? TESSERA_DET_TIMED : TESSERA_DET_BLOCKED);
	next = lowest_ready(me);
	if (next == NONE)
		next = earliest_timed();
	if (next == me) {
		/* nobody else can run before our deadline: it passes */
		set_state(tk_core(), TESSERA_DET_RUNNING);
		tk_vt_arrive(deadline);
		return 0;
	}
	if (next != NONE)
		hand_over(next);
	/* else every core waits for another: a deadlock, which the host reports */
	wait_turn(1);
	if (__atomic_load_n(&r->irq, __ATOMIC_SEQ_CST) & TESSERA_IRQ_PEER)
		return 1;
	tk_vt_arrive(deadline);
	return 0;
}

void tk_det_wake(uint32_t core)
{
	uint32_t s = state_of(core);

	if (s == TESSERA_DET_BLOCKED || s == TESSERA_DET_TIMED)
		set_state(core, TESSERA_DET_READY);
}

void tk_det_exit(void)
{
	uint32_t next;

	set_state(tk_core(), TESSERA_DET_GONE);
	next = lowest_ready(tk_rank());
	if (next == NONE)
		next = earliest_timed();
	if (next != NONE)
		hand_over(next);
}
