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

struct ring_room {
	volatile struct tessera_ring_ctl *c;
	uint32_t head, recs;
};

static int ring_has_room(const void *arg)
{
	const struct ring_room *r = arg;

	return r->head - __atomic_load_n(&r->c->tail, __ATOMIC_ACQUIRE) < r->recs;
}

void tk_ring_wait_room(volatile struct tessera_ring_ctl *c, uint32_t head, uint32_t recs)
{
	struct ring_room r = { c, head, recs };

	tk_wait_host(ring_has_room, &r, &c->waiting, 0);
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
