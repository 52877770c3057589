// SPDX-License-Identifier: MIT
/*
 * wait.c: how an RCCE core waits for a flag without burning the host CPU that emulates it
 * (48 emulated cores may share 2 host CPUs): poll briefly, then halt until an interrupt.
 * The core that sets the flag interrupts us after its flush if we may be halted
 * (rcce_wake), and we announce "may halt" before our last look, so no wake-up is lost.
 * Under virtual time (tile-kernel/timing.c) this is a wait of the clock: looks that find
 * nothing cost nothing, and the core catches up with the peer it waited for (RCCE's flags
 * carry no time: the peer's published time stands for when the flag landed, which it is in
 * RCCE's protocols, where the peer then waits for us); under --deterministic the halt hands
 * the turn on.
 */
#include "rcce_impl.h"
#include "rcce_param.h"

static int oversubscribed(void)
{
	const struct tessera_bootinfo *bi = tk_bootinfo();

	return bi->host_cpus && bi->nranks > bi->host_cpus;
}

/* One look: done(arg), whose cost is undone when it is not (virtual time). */
static int look(int (*done)(void *), void *arg)
{
	uint64_t t = tk_vt_save();

	if (done(arg))
		return 1;
	tk_vt_rewind(t);
	return 0;
}

/* Poll done() for a while: spin while every core has a host CPU, else yield it. 1: done. */
static int poll(int (*done)(void *), void *arg)
{
	int yield = oversubscribed();
	uint64_t limit = yield ? RCCE_YIELD_CYCLES : RCCE_SPIN_CYCLES, t0 = tk_cycles();

	/* where a halt only switches to another core of this host thread, halt at once */
	if (tk_halt_is_cheap())
		return look(done, arg);
	for (uint32_t i = 0; i < RCCE_SPIN_POLLS || tk_cycles() - t0 < limit; i++) {
		if (look(done, arg))
			return 1;
		if (!yield)
			tk_relax();
		else if (!tk_yield())
			break;	/* a VM: it gives its CPU away only by halting */
	}
	return 0;
}

void rcce_wait(int (*done)(void *), void *arg, uint32_t kind, int peer)
{
	if (done(arg))
		return;
	tk_wait_set(kind, peer, 0, 0);
	tk_vt_wait_begin();
	while (!poll(done, arg)) {
		tk_halt_prepare();
		if (look(done, arg)) {
			tk_halt_done();
			break;
		}
		tk_halt_for_peer(0);
		tk_halt_done();
	}
	tk_vt_wait_end();
	if (peer >= 0 && peer < RCCE_NP)
		tk_vt_arrive(tk_vt_of((uint32_t)RC_COREID[peer]));
	tk_wait_set(TESSERA_WAIT_NONE, -1, 0, 0);
}
