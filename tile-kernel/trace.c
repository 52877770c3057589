// SPDX-License-Identifier: MIT
/*
 * trace.c: this core's trace ring in its host window: whole 32-byte records between a
 * free-running head (ours) and tail (the host's), counted in records. The host drains the
 * ring while the job runs; when it is full the core waits for room, so no event is lost
 * (halted until the host, having drained, sees `waiting` and interrupts it).
 * Nothing is recorded unless the job runs with tracing on.
 */
#include <string.h>
#include "arch.h"
#include "tk.h"
#include "tk_impl.h"

/*
 * Wait, halting, until the host has drained room for record `head`. A record may be
 * written inside a halt window of our caller's (between its tk_halt_prepare and its halt:
 * something its last look for work traced, or tk_halt's own record of the halt): the window
 * stays announced (announcements nest, halt.c), and an interrupt taken here is raised again,
 * since it may have been the caller's (its halt then returns at once and it looks again).
 * This halt is not traced: its record would need the room we wait for.
 */
void tk_ring_wait_room(volatile struct tessera_ring_ctl *c, uint32_t head, uint32_t recs)
{
	int inside = tk_core_halted(tk_core());
	uint32_t taken = 0;

	while (head - __atomic_load_n(&c->tail, __ATOMIC_ACQUIRE) >= recs) {
		tk_halt_prepare();
		__atomic_store_n(&c->waiting, 1, __ATOMIC_SEQ_CST);
		arch_host_notify();
		if (head - __atomic_load_n(&c->tail, __ATOMIC_ACQUIRE) >= recs)
			taken |= tk_halt_untraced(0);
		__atomic_store_n(&c->waiting, 0, __ATOMIC_SEQ_CST);
		tk_halt_done();
	}
	if (inside && taken)
		tk_irq_raise_self(taken);
}

void tk_trace(uint32_t kind, int32_t peer_rank, int32_t tag, uint32_t comm, uint64_t bytes)
{
	volatile struct tessera_hostwin *hw = tk_hostwin();
	volatile struct tessera_ring_ctl *c = &hw->trace_ctl;
	struct tessera_trace_rec rec = {
		.t_ns = tk_clock_ns(), .kind = (uint16_t)kind, .peer = peer_rank, .tag = tag,
		.comm = comm, .bytes = bytes,
	};
	uint32_t head = c->head;

	if (!tk_tracing())
		return;
	tk_ring_wait_room(c, head, TESSERA_TRACE_RECS);
	memcpy((void *)(hw->trace + (head % TESSERA_TRACE_RECS) * sizeof(rec)), &rec, sizeof(rec));
	__atomic_store_n(&c->head, head + 1, __ATOMIC_RELEASE);
	/* The host drains at its own pace; wake it only when the ring is half full. */
	if (head + 1 - c->tail == TESSERA_TRACE_RECS / 2)
		arch_host_notify();
}
