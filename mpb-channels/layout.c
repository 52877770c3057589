// SPDX-License-Identifier: MIT
/*
 * layout.c: where mpb-channels puts its rings, acks and bulk chunks, computed from the
 * number of ranks, each core's MPB share and the size of shared DRAM, so that every core of
 * a job derives the same layout without talking. Pure arithmetic; touches no memory.
 *
 * Rules (docs/channels.md has the reasoning):
 *  - line 0 of each MPB share is the control line, then one ack word per rank;
 *  - the rest of the share is cut into one ring per other sender, and what they leave to the
 *    core's ring to itself (at least 2 slots: a rank's messages to itself are few, and ones
 *    the ring has no room for queue); with L lines per other sender, the ring has S = 16, 8,
 *    4 or 2 slots (the most that leave each slot a header and enough payload lines: 5 from
 *    8 slots on, so a burst of short messages to one peer has many slots and a message of a
 *    few hundred bytes goes through a bulk chunk) of 1 + P lines;
 *    with 2 x 64 (2 x 32) lines or more per sender and bulk chunks to take what a slot does
 *    not hold, S = 64 (32) slots of a header and one payload line (a window of short
 *    nonblocking sends, as message-rate benchmarks post 64, fits the ring of a pair; above
 *    32 B a message goes through its slot's chunk, which costs a short one no more here;
 *    not under virtual time, where a chunk in shared DRAM costs what the SCC's DRAM does,
 *    and a message that the MPB could hold must cost what the MPB does);
 *    with fewer than 2 lines per sender the rings move to shared DRAM
 *    (S = 2, P = 0: headers only, payload always bulk), the ring to itself with them;
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

/* S and P for a ring of `per` lines (see the rules above). */
static void geometry(uint32_t per, uint64_t chunk_room, uint32_t vt, uint32_t *s, uint32_t *p)
{
	uint32_t wide;

	*p = 0;
	for (wide = 64; wide >= 32 && !vt; wide /= 2)
		if (per >= wide * 2 && chunk_room >= (uint64_t)wide * MPBC_WIDE_CHUNK_MIN) {
			*s = wide;
			*p = 1;
			return;
		}
	if (per >= 16 * 6)
		*s = 16;
	else if (per >= 8 * 6)
		*s = 8;
	else if (per >= 4 * 4)
		*s = 4;
	else
		*s = 2;
	if (per >= *s * 2)
		*p = per / *s - 1;
	if (*p > MPBC_INLINE_LINES_MAX)
		*p = MPBC_INLINE_LINES_MAX;
	if (*p && (1 + *p) % HOST_LINES)
		*p -= (1 + *p) % HOST_LINES;
}

int mpbc_layout_compute(uint32_t nranks, uint32_t core_mpb_bytes, uint64_t shared_bytes,
			uint32_t vt, struct mpbc_layout *l)
{
	uint32_t lines = core_mpb_bytes / MPBC_LINE, ack_lines, ring_lines, avail, others;
	uint32_t per, s, p, self;
	uint64_t pairs = (uint64_t)nranks * nranks, budget, chunk;

	if (!l || nranks == 0 || nranks > TESSERA_MAX_CORES)
		return -EINVAL;
	memset(l, 0, sizeof(*l));
	ack_lines = (nranks * 4 + MPBC_LINE - 1) / MPBC_LINE;
	ring_lines = (1 + ack_lines + HOST_LINES - 1) / HOST_LINES * HOST_LINES;
	if (lines < ring_lines)
		return -ENOMEM;
	avail = lines - ring_lines;
	budget = shared_bytes * MPBC_SHARED_PERCENT / 100;
	budget -= budget % MPBC_LINE;
	/* the most lines per other sender that leave the ring to itself 2 slots */
	others = nranks - 1;
	per = others ? avail / others : avail;
	for (;;) {
		geometry(per, budget / pairs, vt, &s, &p);
		if (per < 2 || (uint64_t)others * s * (1 + p) + 2 * (1 + p) <= avail)
			break;
		per--;
	}
	self = s;
	while (self > 2 && (uint64_t)(others * s + self) * (1 + p) > avail)
		self /= 2;
	l->nranks = nranks;
	l->mpb_bytes = core_mpb_bytes;
	l->slots = s;
	l->self_slots = self;
	l->inline_lines = p;
	l->slot_bytes = (1 + p) * MPBC_LINE;
	l->ring_bytes = s * l->slot_bytes;
	l->ack_off = MPBC_LINE;
	l->ring_off = ring_lines * MPBC_LINE;
	l->self_off = l->ring_off + others * l->ring_bytes;
	if (per < 2) {
		uint64_t rings = pairs * l->ring_bytes;

		if (rings > budget)
			return -ENOMEM;
		l->rings_in_dram = 1;
		l->self_slots = s;
		l->self_off = 0;
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
