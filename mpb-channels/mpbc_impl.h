/* SPDX-License-Identifier: MIT */
/*
 * mpbc_impl.h: what the files of mpb-channels share (never included from outside it, except
 * by its unit tests): the layout of the MPBs and of mpb-channels' part of shared DRAM, the
 * record header, the ring primitives (ring.c) and the per-core state (chan.c).
 *
 * Memory layout (all offsets in bytes; N = ranks of the job; every core computes the same
 * layout from N, its MPB share and the shared DRAM size, see layout.c):
 *
 *   each core's MPB share (8 KB on scc48)
 *     +0                    control line: ready word (job marker, written last by mpbc_init)
 *     +32                   ack block: N 4-byte words; word r = records that rank r has
 *                           consumed from this core (written only by r; read by this core)
 *     +ring_off             N - 1 rings, one per other rank s in rank order, holding the
 *                           records of s to this core: S slots of (1 + P) lines: header
 *                           line, then P payload lines
 *     +self_off             the ring of this core's records to itself: self_slots slots
 *   shared DRAM (from TESSERA_ADDR_SHARED)
 *     +dram_ring_off        rings that did not fit the MPBs (big jobs only), same shape,
 *                           ring of pair (s -> d) at index d * N + s (s = d included)
 *     +bulk_off             bulk chunks: pair (s -> d), slot i at ((d * N + s) * S + i) * C
 *
 * A record is one slot: a header line whose last word is the flag (record number + 1), and
 * its payload either inline (the slot's P lines) or in the slot's bulk chunk.
 */
#ifndef MPBC_IMPL_H
#define MPBC_IMPL_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "tessera/board.h"
#include "mpbc.h"

/* A static function on the path of every short message, inlined whatever the compiler's
 * estimate of its size (a call and its register saves cost as much as what it does). */
#define MPBC_HOT		static inline __attribute__((always_inline))

#define MPBC_LINE		TESSERA_LINE_BYTES
#define MPBC_READY_MAGIC	0x4d504243u	/* "MPBC" */

/* Record kinds (bits of mpbc_hdr.kind). */
#define MPBC_REC_FIRST		1u	/* first record of a message: env valid */
#define MPBC_REC_BULK		2u	/* payload in the slot's bulk chunk, not inline */
#define MPBC_REC_KNOWN		(MPBC_REC_FIRST | MPBC_REC_BULK)

/*
 * The header line of a slot. Written last, the flag (seq) last of all.
 * stamp: under virtual time (--timing=scc, --deterministic; tile-kernel/timing.c) the time
 * this header lands at the receiver, as the difference from the pair's previous record:
 * below 2^31 exactly, above as MPBC_STAMP_FAR | exponent << 26 | mantissa (rounded down; both
 * ends then continue from the rounded value). 0 on host time.
 */
struct mpbc_hdr {
	struct mpbc_env env;	/* first record of a message; zero in the others */
	uint32_t msg_len;	/* length of the whole message (every record) */
	uint32_t frag_len : 24;	/* payload bytes of this record (at most MPBC_BULK_MAX) */
	uint32_t kind : 8;	/* MPBC_REC_* */
	uint32_t stamp;		/* landing time, from the pair's previous record */
	uint32_t seq;		/* flag: record number + 1 (free-running, modulo 2^32) */
};
#define MPBC_STAMP_FAR		0x80000000u
_Static_assert(sizeof(struct mpbc_hdr) == MPBC_LINE, "header is one line");
#define MPBC_HDR_SEQ_OFF	offsetof(struct mpbc_hdr, seq)
_Static_assert(MPBC_HDR_SEQ_OFF == MPBC_LINE - 4, "flag is the last word of its line");

struct mpbc_layout {
	uint32_t nranks;
	uint32_t mpb_bytes;	/* each core's MPB share */
	uint32_t slots;		/* S: records in flight per ordered pair (power of two) */
	uint32_t self_slots;	/* the same for a core's ring to itself (2 to S) */
	uint32_t inline_lines;	/* P: payload lines after each header line */
	uint32_t slot_bytes;	/* (1 + P) lines */
	uint32_t ring_bytes;	/* S slots */
	uint32_t ack_off;	/* ack block, in each core's MPB share */
	uint32_t ring_off;	/* first ring, in each core's MPB share (rings_in_dram == 0) */
	uint32_t self_off;	/* the ring to itself, in each core's MPB share (the same) */
	uint32_t rings_in_dram;	/* 1: the rings live in shared DRAM at dram_ring_off */
	uint32_t bulk_bytes;	/* C: bytes per bulk chunk; 0: no bulk path */
	uint64_t dram_ring_off;	/* from the start of shared DRAM */
	uint64_t bulk_off;	/* from the start of shared DRAM */
	uint64_t shared_used;	/* bytes of shared DRAM that mpb-channels owns, from its start */
};

/* layout.c: every core computes the same layout (vt: virtual time is on, as it is for
 * every core of a job or none). 0, -EINVAL or -ENOMEM (does not fit). */
int mpbc_layout_compute(uint32_t nranks, uint32_t core_mpb_bytes, uint64_t shared_bytes,
			uint32_t vt, struct mpbc_layout *l);

/* One ordered pair's ring as both ends see it (core addresses), computed once per pair at
 * mpbc_init (chan.c keeps one per peer and direction). */
struct mpbc_ring {
	uintptr_t slots_addr;	/* S slots of slot_bytes */
	uintptr_t bulk_addr;	/* S chunks of bulk_bytes (unused if bulk_bytes == 0) */
	uintptr_t ack_addr;	/* receiver's count of consumed records (in the sender's MPB) */
	/* The same memory as plain pointers (tk_mpb_direct, mpbc_ring_direct), or NULL: then
	 * every access goes through tk_mpb_*. Set only where the coherence mode is the host's
	 * plain memory without virtual time, and no break flag is in force. */
	uint8_t *slots_p, *bulk_p;
	uint32_t *ack_p;
	uint32_t slots, slot_bytes, bulk_bytes;
	/* landing time of the pair's last record posted (sender) or taken (receiver), which
	 * the next record's stamp counts from; NULL: 0 */
	uint64_t *vt;
};

/* Break flags (TESSERA_BOOT_BREAK_*): protocol steps that the study mode leaves out. */
#define MPBC_BREAK_MASK		(TESSERA_BOOT_BREAK_INV | TESSERA_BOOT_BREAK_FLUSH)

/* ring.c (the two arithmetic ones inline here: every message asks them) */
/* Records that may still be posted when `posted` were written and `acked` consumed. */
static inline uint32_t mpbc_ring_room(const struct mpbc_ring *r, uint32_t posted,
				      uint32_t acked)
{
	uint32_t used = posted - acked;

	return used >= r->slots ? 0 : r->slots - used;
}

/* Payload bytes of the next record when `left` remain; *kind gets MPBC_REC_BULK or 0. */
static inline size_t mpbc_ring_frag(const struct mpbc_ring *r, size_t left, uint32_t *kind)
{
	size_t in = r->slot_bytes - MPBC_LINE;

	if (left <= in || r->bulk_bytes <= in) {
		*kind = 0;
		return left < in ? left : in;
	}
	*kind = MPBC_REC_BULK;
	return left < r->bulk_bytes ? left : r->bulk_bytes;
}
/*
 * Writing, looking at and copying a record: ring.c's, through tk_mpb_* (the _mpb forms);
 * on a plain ring (slots_p set: host memory, no virtual time) the same accesses in the same
 * order as plain loads and stores, here, inline, since every short message makes them.
 */
/* memcpy, inline up to 16 bytes (two overlapping loads and stores of the widest size that
 * fits): a short message's payload costs less than the call of a general copy. */
static inline void mpbc_copy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	uint64_t a8, b8;
	uint32_t a4, b4;

	if (n > 16) {
		memcpy(d, s, n);
	} else if (n >= 8) {
		memcpy(&a8, s, 8);
		memcpy(&b8, s + n - 8, 8);
		memcpy(d, &a8, 8);
		memcpy(d + n - 8, &b8, 8);
	} else if (n >= 4) {
		memcpy(&a4, s, 4);
		memcpy(&b4, s + n - 4, 4);
		memcpy(d, &a4, 4);
		memcpy(d + n - 4, &b4, 4);
	} else if (n) {
		a4 = s[0];
		b4 = s[n / 2];
		d[n - 1] = s[n - 1];
		d[n / 2] = (uint8_t)b4;
		d[0] = (uint8_t)a4;
	}
}

static inline uint8_t *mpbc_slot_ptr(const struct mpbc_ring *r, uint32_t k)
{
	return r->slots_p + (size_t)(k & (r->slots - 1)) * r->slot_bytes;
}

static inline uint8_t *mpbc_payload_ptr(const struct mpbc_ring *r, uint32_t k, uint32_t kind)
{
	if (kind & MPBC_REC_BULK)
		return r->bulk_p + (size_t)(k & (r->slots - 1)) * r->bulk_bytes;
	return mpbc_slot_ptr(r, k) + MPBC_LINE;
}

int mpbc_ring_post_mpb(const struct mpbc_ring *r, uint32_t k, const struct mpbc_hdr *h,
		       const void *data, uint32_t brk);
/* Write record k (payload, flush, header, flag). -EAGAIN if the ring holds S unconsumed. */
static inline int mpbc_ring_post(const struct mpbc_ring *r, uint32_t k, uint32_t acked,
				 const struct mpbc_hdr *h, const void *data, uint32_t brk)
{
	struct mpbc_hdr *to;

	if (k - acked >= r->slots)
		return -EAGAIN;
	if (!r->slots_p)
		return mpbc_ring_post_mpb(r, k, h, data, brk);
	to = (struct mpbc_hdr *)mpbc_slot_ptr(r, k);
	if (h->frag_len)
		mpbc_copy(mpbc_payload_ptr(r, k, h->kind), data, h->frag_len);
	memcpy(to, h, MPBC_HDR_SEQ_OFF);	/* stamp: 0, no virtual time */
	__atomic_store_n(&to->seq, k + 1, __ATOMIC_RELEASE);
	return 0;
}
/* Make the records written so far visible (drain the WCB) unless the break mode skips it. */
void mpbc_ring_publish(uint32_t brk);
/* Drop stale MPB lines before looking (CL1INVMB) unless the break mode skips it. */
void mpbc_ring_invalidate(uint32_t brk);
/* Read the receiver's consumed count (call mpbc_ring_invalidate first). */
uint32_t mpbc_ring_acked(const struct mpbc_ring *r);
/* Whether the header h of record k (its flag seq) is one: 0, -EAGAIN (the slot still holds
 * an older record), -EPROTO. */
static inline int mpbc_ring_check(const struct mpbc_ring *r, uint32_t k, uint32_t seq,
				  const struct mpbc_hdr *h)
{
	uint32_t cap;

	if (seq != k + 1) {
		/* not yet: the slot still holds record k - S (or older: only at init) */
		if ((k + 1 - seq) % r->slots == 0)
			return -EAGAIN;
		return -EPROTO;
	}
	cap = (h->kind & MPBC_REC_BULK) ? r->bulk_bytes : r->slot_bytes - MPBC_LINE;
	if ((h->kind & ~MPBC_REC_KNOWN) || h->frag_len > cap || h->frag_len > h->msg_len)
		return -EPROTO;
	return 0;
}

int mpbc_ring_look_mpb(const struct mpbc_ring *r, uint32_t k, struct mpbc_hdr *h);
/* Look at record k: 0 and *h when it is there, -EAGAIN when not yet (or, under virtual time,
 * when it lands after this core's time and the core does not wait), -EPROTO if corrupt. */
static inline int mpbc_ring_look(const struct mpbc_ring *r, uint32_t k, struct mpbc_hdr *h)
{
	const struct mpbc_hdr *from;
	uint32_t seq;

	if (!r->slots_p)
		return mpbc_ring_look_mpb(r, k, h);
	from = (const struct mpbc_hdr *)mpbc_slot_ptr(r, k);
	seq = __atomic_load_n(&from->seq, __ATOMIC_ACQUIRE);
	if (seq == k + 1)
		memcpy(h, from, MPBC_HDR_SEQ_OFF);
	h->seq = seq;
	return mpbc_ring_check(r, k, seq, h);	/* no virtual time on a plain ring */
}
/* The landing time of the record whose header h mpbc_ring_look returned (0: host time). */
uint64_t mpbc_ring_arrival(const struct mpbc_ring *r, const struct mpbc_hdr *h);
/* The receiver has taken that record: the pair's time moves to it, and so does this core's
 * if it is behind. */
void mpbc_ring_took(const struct mpbc_ring *r, const struct mpbc_hdr *h);
void mpbc_ring_copy_mpb(const struct mpbc_ring *r, uint32_t k, const struct mpbc_hdr *h,
			void *dst, size_t n);
/* Copy the first n (<= frag_len) payload bytes of record k, whose header is h. */
static inline void mpbc_ring_copy(const struct mpbc_ring *r, uint32_t k,
				  const struct mpbc_hdr *h, void *dst, size_t n)
{
	if (n && r->slots_p)
		mpbc_copy(dst, mpbc_payload_ptr(r, k, h->kind), n);
	else if (n)
		mpbc_ring_copy_mpb(r, k, h, dst, n);
}
/* Tell the sender that `consumed` records are consumed (slots free again). */
void mpbc_ring_ack(const struct mpbc_ring *r, uint32_t consumed, uint32_t brk);
/* Point r's plain pointers at its memory (on: where tk_mpb_direct allows) or clear them. */
void mpbc_ring_direct(struct mpbc_ring *r, int on);
/* Reset the headers of a ring to "empty" (its receiver, at init). */
void mpbc_ring_clear(const struct mpbc_ring *r);
/* Zero bytes (a multiple of MPBC_LINE) of the MPB share at core address share (own, at init). */
void mpbc_ring_share_clear(uintptr_t share, uint32_t bytes);
/* Write the job's ready marker into the control line of share / read a peer's. */
void mpbc_ring_ready_set(uintptr_t share, uint32_t marker);
uint32_t mpbc_ring_ready_get(uintptr_t share);

/* ---- chan.c: per-core state ---- */

struct mpbc_sreq;
struct mpbc_rreq;

struct mpbc_tx {		/* this core -> rank d */
	struct mpbc_sreq *head, *tail;	/* queued sends, oldest first */
	uint32_t posted;	/* records written */
	uint32_t acked;		/* records the receiver said it consumed (last read) */
	uint32_t ready;		/* the receiver has run mpbc_init */
	uint32_t pad;
	uint64_t vt;		/* landing time of the last record posted (mpbc_ring.vt) */
	struct mpbc_ring ring;	/* this core -> d, vt pointing at vt above */
};

struct mpbc_rx {		/* rank s -> this core */
	struct mpbc_rreq *active;	/* receive in progress */
	uint32_t consumed;	/* records consumed */
	uint32_t acked;		/* consumed count last written to the sender's ack word */
	uint32_t seen;		/* flag value mpbc_wait last reported */
	/* The header of record `consumed` as the last look found it, checked (valid while
	 * peek.seq == consumed + 1: an unconsumed record does not change), so that the looks
	 * of a wait, mpbc_peek and mpbc_recv_now read the slot's header once. */
	struct mpbc_hdr peek;
	uint64_t vt;		/* landing time of the last record taken (mpbc_ring.vt) */
	struct mpbc_ring ring;	/* s -> this core, vt pointing at vt above */
};

struct mpbc_core {
	uint32_t inited;
	uint32_t brk;		/* MPBC_BREAK_MASK bits in force */
	uint32_t me;		/* this core's rank */
	uint32_t rotor;		/* core where the next any-source search starts */
	uint32_t untaken;	/* any-source searches since the last tk_src_take */
	uint32_t marker;	/* this job's ready word */
	uint32_t ntx, nrx;	/* pairs with queued sends / active receives */
	uint32_t nwords;	/* words of the rank bitmaps below in use: ceil(nranks / 32) */
	uint32_t cwords;	/* words of `maybe` in use: ceil(cores of the board / 32) */
	uint32_t vt;		/* virtual time is on (tk_vt_on: fixed for the run) */
	uint32_t direct;	/* the rings are reached through plain pointers (mpbc_ring.slots_p) */
	uint64_t beat_at;	/* tk_cycles() of this core's last tk_beat (chan.c, wait_for) */
	struct mpbc_layout lay;
	/* Ranks with queued sends, with an active receive, and whose ack is due (consumed
	 * records not yet acked): progress and waiting visit these, not every rank. */
	uint32_t txbits[TESSERA_SRC_WORDS], rxbits[TESSERA_SRC_WORDS];
	uint32_t ackdue[TESSERA_SRC_WORDS];
	uint32_t core_of[TESSERA_MAX_CORES];	/* rank -> core */
	uint32_t mpb_of[TESSERA_MAX_CORES];	/* rank -> core address of its MPB share */
	uint16_t rank_of[TESSERA_MAX_CORES];	/* core -> rank, 0xffff: not in the job */
	struct mpbc_tx tx[TESSERA_MAX_CORES];
	struct mpbc_rx rx[TESSERA_MAX_CORES];
	/* Cores that may have written a first record for us: taken from our source register
	 * (tk_src_take) and cleared once their ring is seen empty. Only these are looked at. */
	uint32_t maybe[TESSERA_SRC_WORDS];
};

/* The ring of pair (src -> dst), ranks, with no plain pointers and no time (mpbc_init). */
static inline void mpbc_ring_of(const struct mpbc_core *c, uint32_t src, uint32_t dst,
				struct mpbc_ring *r)
{
	const struct mpbc_layout *l = &c->lay;
	uint64_t pair = (uint64_t)dst * l->nranks + src;

	if (l->rings_in_dram)
		r->slots_addr = TESSERA_ADDR_SHARED +
				(uintptr_t)(l->dram_ring_off + pair * l->ring_bytes);
	else if (src == dst)
		r->slots_addr = c->mpb_of[dst] + l->self_off;
	else	/* the other senders in rank order, dst left out */
		r->slots_addr = c->mpb_of[dst] + l->ring_off +
				(uintptr_t)(src - (src > dst)) * l->ring_bytes;
	r->bulk_addr = TESSERA_ADDR_SHARED + (uintptr_t)(l->bulk_off +
							  pair * l->slots * l->bulk_bytes);
	r->ack_addr = c->mpb_of[src] + l->ack_off + (uintptr_t)dst * 4;
	r->slots = src == dst ? l->self_slots : l->slots;
	r->slot_bytes = l->slot_bytes;
	r->bulk_bytes = l->bulk_bytes;
	r->vt = NULL;
	r->slots_p = r->bulk_p = NULL;
	r->ack_p = NULL;
}

#endif
