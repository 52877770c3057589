// SPDX-License-Identifier: MIT
/*
 * ring.c: one ordered pair's ring of records, and the only code of mpb-channels that
 * touches channel memory (rings, acks, bulk chunks, the control line's ready marker; all
 * through tk_mpb_*, or plain pointers that tk_mpb_direct gave for a ring), with its inline
 * part in mpbc_impl.h (writing, looking at and copying a record of a plain ring: every short
 * message does). Not the queues, requests or notification (chan.c).
 *
 * Ordering, per record k of a pair (slot k mod S):
 *   sender:   payload lines -> tk_wcb_flush -> header words -> flag word (same line, last)
 *             -> tk_wcb_flush (mpbc_ring_publish, once per batch) -> interrupt if halted
 *   receiver: tk_cl1invmb -> flag -> header -> payload -> ack word -> tk_wcb_flush
 *   sender, before reusing slot k mod S for record k + S: tk_cl1invmb -> ack word >= k + 1
 * The payload flush keeps the flag from overtaking the payload; the flag's own flush gets
 * it out of the WCB at all (it only drains when another line is written); the invalidate
 * keeps the reader from answering from a stale L1 copy of a reused slot, chunk or ack.
 * Counters are free-running 32-bit; a slot index is count & (S - 1).
 * Under virtual time the header carries the time it lands (the stamp, timing.c): a reader
 * sees a record only once its own time has come, unless it waits, and taking a record moves
 * its time to the landing time.
 * Plain rings (mpbc_ring.slots_p set: tk_mpb_direct, so host memory, no virtual time): the
 * same accesses in the same order as plain loads and stores, the flag written with a
 * store-release and read with a load-acquire, the ack likewise; the invalidate and the
 * flushes have nothing left to do but order, which those give (chan.c skips them).
 */
#include <errno.h>
#include <string.h>
#include "tk.h"
#include "mpbc_impl.h"
#include "mpbc_param.h"

_Static_assert(MPBC_BULK_MAX < (1u << 24) && (MPBC_INLINE_LINES_MAX + 1) * MPBC_LINE < (1u << 24),
	       "a fragment's length fits its 24 bits");

/* The stamp of a record landing `t` after the pair's previous one at *base: the difference,
 * exact below 2^31, else its 26 leading bits and a shift; *base becomes what the reader will
 * decode, so both ends go on from the same value. */
static uint32_t stamp_encode(uint64_t *base, uint64_t t)
{
	uint64_t d = t > *base ? t - *base : 0;
	uint32_t e = 0;

	if (d < MPBC_STAMP_FAR) {
		*base += d;
		return (uint32_t)d;
	}
	while ((d >> e) >= (1u << 26))
		e++;
	*base += (d >> e) << e;
	return MPBC_STAMP_FAR | e << 26 | (uint32_t)(d >> e);
}

static uint64_t stamp_decode(uint32_t stamp)
{
	if (!(stamp & MPBC_STAMP_FAR))
		return stamp;
	return (uint64_t)(stamp & ((1u << 26) - 1)) << ((stamp >> 26) & 31u);
}

static inline uintptr_t slot_addr(const struct mpbc_ring *r, uint32_t k)
{
	return r->slots_addr + (uintptr_t)(k & (r->slots - 1)) * r->slot_bytes;
}

static inline uintptr_t payload_addr(const struct mpbc_ring *r, uint32_t k, uint32_t kind)
{
	if (kind & MPBC_REC_BULK)
		return r->bulk_addr + (uintptr_t)(k & (r->slots - 1)) * r->bulk_bytes;
	return slot_addr(r, k) + MPBC_LINE;
}

void mpbc_ring_publish(uint32_t brk)
{
	if (!(brk & TESSERA_BOOT_BREAK_FLUSH))
		tk_wcb_flush();
}

void mpbc_ring_invalidate(uint32_t brk)
{
	if (!(brk & TESSERA_BOOT_BREAK_INV))
		tk_cl1invmb();
}

int mpbc_ring_post_mpb(const struct mpbc_ring *r, uint32_t k, const struct mpbc_hdr *h,
		       const void *data, uint32_t brk)
{
	uintptr_t slot = slot_addr(r, k);
	struct mpbc_hdr hs;

	if (h->frag_len) {
		tk_mpb_write(payload_addr(r, k, h->kind), data, h->frag_len);
		/* the payload must reach memory before the flag can */
		mpbc_ring_publish(brk);
	}
	hs = *h;
	if (r->vt)
		hs.stamp = stamp_encode(r->vt, tk_vt_landing(slot));
	tk_mpb_write(slot, &hs, MPBC_HDR_SEQ_OFF);
	tk_mpb_write32(slot + MPBC_HDR_SEQ_OFF, k + 1);
	return 0;
}

uint32_t mpbc_ring_acked(const struct mpbc_ring *r)
{
	if (r->ack_p)
		return __atomic_load_n(r->ack_p, __ATOMIC_ACQUIRE);
	return tk_mpb_read32(r->ack_addr);
}

int mpbc_ring_look_mpb(const struct mpbc_ring *r, uint32_t k, struct mpbc_hdr *h)
{
	uintptr_t slot = slot_addr(r, k);
	uint32_t seq = tk_mpb_read32(slot + MPBC_HDR_SEQ_OFF);
	int rc;

	if (seq == k + 1)
		tk_mpb_read(h, slot, MPBC_HDR_SEQ_OFF);
	h->seq = seq;
	rc = mpbc_ring_check(r, k, seq, h);
	if (rc)
		return rc;
	if (!tk_vt_visible(mpbc_ring_arrival(r, h)))
		return -EAGAIN;		/* it lands in this core's future */
	return 0;
}

uint64_t mpbc_ring_arrival(const struct mpbc_ring *r, const struct mpbc_hdr *h)
{
	return (r->vt ? *r->vt : 0) + stamp_decode(h->stamp);
}

void mpbc_ring_took(const struct mpbc_ring *r, const struct mpbc_hdr *h)
{
	uint64_t t;

	if (r->slots_p)
		return;		/* no virtual time */
	t = mpbc_ring_arrival(r, h);

	if (r->vt)
		*r->vt = t;
	tk_vt_arrive(t);
}

void mpbc_ring_copy_mpb(const struct mpbc_ring *r, uint32_t k, const struct mpbc_hdr *h,
			void *dst, size_t n)
{
	tk_mpb_read(dst, payload_addr(r, k, h->kind), n);
}

void mpbc_ring_ack(const struct mpbc_ring *r, uint32_t consumed, uint32_t brk)
{
	if (r->ack_p) {
		__atomic_store_n(r->ack_p, consumed, __ATOMIC_RELEASE);
		return;
	}
	tk_mpb_write32(r->ack_addr, consumed);
	mpbc_ring_publish(brk);
}

void mpbc_ring_direct(struct mpbc_ring *r, int on)
{
	r->slots_p = on ? tk_mpb_direct(r->slots_addr, (size_t)r->slots * r->slot_bytes) : NULL;
	r->bulk_p = on && r->slots_p && r->bulk_bytes ?
		    tk_mpb_direct(r->bulk_addr, (size_t)r->slots * r->bulk_bytes) : NULL;
	r->ack_p = on && r->slots_p ? tk_mpb_direct(r->ack_addr, 4) : NULL;
	if (!r->ack_p || (r->bulk_bytes && !r->bulk_p)) {	/* all or nothing */
		r->slots_p = r->bulk_p = NULL;
		r->ack_p = NULL;
	}
}

void mpbc_ring_share_clear(uintptr_t share, uint32_t bytes)
{
	static const uint8_t zero[MPBC_LINE];

	for (uint32_t off = 0; off < bytes; off += MPBC_LINE)
		tk_mpb_write(share + off, zero, MPBC_LINE);
}

void mpbc_ring_ready_set(uintptr_t share, uint32_t marker)
{
	tk_mpb_write32(share, marker);
}

uint32_t mpbc_ring_ready_get(uintptr_t share)
{
	return tk_mpb_read32(share);
}

void mpbc_ring_clear(const struct mpbc_ring *r)
{
	struct mpbc_hdr h;
	uint32_t i;

	/* Slot i looks as if it held record i - S: every flag value is then a record's,
	 * with no "empty" value that record 2^32 - 1 (flag 0) could be mistaken for. */
	for (i = 0; i < r->slots; i++) {
		memset(&h, 0, sizeof(h));
		h.seq = i + 1 - r->slots;
		tk_mpb_write(r->slots_addr + (uintptr_t)i * r->slot_bytes, &h, sizeof(h));
	}
}
