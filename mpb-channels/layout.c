// SPDX-License-Identifier: MIT
/*
 * layout.c: where mpb-channels puts its rings, acks and bulk chunks, computed from the
 * number of ranks, each core's MPB share and the size of shared DRAM, so that every core of
 * a job derives the same layout without talking. Pure arithmetic; touches no memory.
 *
 * Rules (docs/channels.md has the reasoning):
 *  - line 0 of each MPB share is the control line, then one ack word per rank;
 *  - the rest of the share is cut into one ring per sender: with L lines per sender, the
 *    ring has S = 16, 8, 4 or 2 slots (the most that leave each slot a header and enough
 *    payload lines: 5 from 8 slots on, so a burst of short messages to one peer has many
 *    slots and a message of a few hundred bytes goes through a bulk chunk) of 1 + P lines;
 *    with 64 lines or more per sender and bulk chunks to take what a slot does not hold,
 *    S = 32 slots of a header and one payload line (a window of short nonblocking sends,
 *    as message-rate benchmarks post 64, runs ahead of the receiver twice as far; above
 *    32 B a message goes through its slot's chunk, which costs a short one no more here);
 *    with fewer than 2 lines per sender the rings move to shared DRAM
 *    (S = 2, P = 0: headers only, payload always bulk);
 *  - rings and slots start on MPBC_HOST_LINE boundaries (1 + P even): a header and the first
 *    payload line share one cache line of the host, so a short message costs its reader one
 *    line transfer, not two;
 *  - mpb-channels takes at most MPBC_SHARED_PERCENT of shared DRAM; what the DRAM rings
 *    leave of it is cut into S bulk chunks per ordered pair (at most MPBC_BULK_MAX each),
 *    used when a record's payload would not fit the slot's inline lines.
 */
#include <errno.h>
#include <string.h>
#include "mpbc_impl.h"
#include "mpbc_param.h"

#define HOST_LINES	(MPBC_HOST_LINE / MPBC_LINE)	/* MPB lines per host cache line */

int mpbc_layout_compute(uint32_t nranks, uint32_t core_mpb_bytes, uint64_t shared_bytes,
			struct mpbc_layout *l)
{
	uint32_t lines = core_mpb_bytes / MPBC_LINE, ack_lines, ring_lines, per, s, p;
	uint64_t pairs = (uint64_t)nranks * nranks, budget, chunk;

	if (!l || nranks == 0 || nranks > TESSERA_MAX_CORES)
		return -EINVAL;
	memset(l, 0, sizeof(*l));
	ack_lines = (nranks * 4 + MPBC_LINE - 1) / MPBC_LINE;
	ring_lines = (1 + ack_lines + HOST_LINES - 1) / HOST_LINES * HOST_LINES;
	if (lines < ring_lines)
		return -ENOMEM;
	per = (lines - ring_lines) / nranks;
	budget = shared_bytes * MPBC_SHARED_PERCENT / 100;
	budget -= budget % MPBC_LINE;
	if (per >= 32 * 2 && budget / pairs >= 32 * MPBC_WIDE_CHUNK_MIN) {
		s = 32;
		p = 1;
	} else if (per >= 16 * 6) {
		s = 16;
		p = per / 16 - 1;
	} else if (per >= 8 * 6) {
		s = 8;
		p = per / 8 - 1;
	} else if (per >= 4 * 4) {
		s = 4;
		p = per / 4 - 1;
	} else if (per >= 2 * 2) {
		s = 2;
		p = per / 2 - 1;
	} else {
		s = 2;
		p = 0;
	}
	if (p > MPBC_INLINE_LINES_MAX)
		p = MPBC_INLINE_LINES_MAX;
	if (p && (1 + p) % HOST_LINES)
		p -= (1 + p) % HOST_LINES;
	l->nranks = nranks;
	l->mpb_bytes = core_mpb_bytes;
	l->slots = s;
	l->inline_lines = p;
	l->slot_bytes = (1 + p) * MPBC_LINE;
	l->ring_bytes = s * l->slot_bytes;
	l->ack_off = MPBC_LINE;
	l->ring_off = ring_lines * MPBC_LINE;
	if (per < 2) {
		uint64_t rings = pairs * l->ring_bytes;

		if (rings > budget)
			return -ENOMEM;
		l->rings_in_dram = 1;
		l->dram_ring_off = 0;
		budget -= rings;
	}
	l->bulk_off = l->rings_in_dram ? pairs * l->ring_bytes : 0;
	chunk = budget / (pairs * s);
	chunk -= chunk % MPBC_LINE;
	if (chunk > MPBC_BULK_MAX)
		chunk = MPBC_BULK_MAX;
	if (chunk <= (uint64_t)p * MPBC_LINE)
		chunk = 0;	/* no better than the inline lines: no bulk path */
	if (p == 0 && chunk == 0)
		return -ENOMEM;	/* nowhere to put a payload byte */
	l->bulk_bytes = (uint32_t)chunk;
	l->shared_used = l->bulk_off + pairs * s * chunk;
	return 0;
}
