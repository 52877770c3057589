// SPDX-License-Identifier: MIT
/*
 * chan.c: the channel endpoints of mpbc.h: per-core state, send queues per destination,
 * receives, any-source search, progress and waiting. The memory protocol itself is ring.c.
 *
 * Sends to one destination are queued in order; the head of the queue is cut into records
 * as long as the pair's ring has room (S records in flight), so a send completes when its
 * last record is written (eagerly, for anything that fits the ring; otherwise as the
 * receiver consumes). A receive consumes records of one source into the caller's buffer.
 * A core whose progress moved records to or from a peer interrupts that peer, and only if
 * tk_core_halted() says it may be halted; a waiting core announces itself with
 * tk_halt_prepare() before its last look, so no wake-up is lost.
 * Under virtual time (tile-kernel/timing.c) each ring carries the pair's landing time
 * (tx/rx.vt), mpbc_wait is a wait of the clock (what lands is seen, fruitless polls are
 * undone, the core jumps to the earliest landing it finds), and under --deterministic its
 * halt hands the turn to the next core (tk_halt_for_peer).
 */
#include <errno.h>
#include <string.h>
#include "tk.h"
#include "mpbc_impl.h"
#include "mpbc_param.h"

#ifndef MPBC_SELF
static struct mpbc_core mpbc_state;
#define MPBC_SELF() (&mpbc_state)
#endif

/* A public entry point is the runtime's time under virtual time, as an MPI call is (its host
 * CPU time, halts and wake-ups included, is not the caller's computation): the scope opens
 * here and closes on every return. Without virtual time (c->vt, fixed at mpbc_init) it
 * costs a test. */
#define RUNTIME() TK_VT_SCOPE(runtime_, (int)MPBC_SELF()->vt)

#define SREQ_PENDING	0x53454e44u	/* "SEND" */
#define RREQ_PENDING	0x52454356u	/* "RECV" */
#define REQ_DONE	0x444f4e45u	/* "DONE" */
#define NO_RANK		0xffffu

struct mpbc_sreq {
	struct mpbc_sreq *next;
	const uint8_t *buf;
	size_t len, off;
	struct mpbc_env env;
	uint32_t dst;		/* rank */
	uint32_t state;
	uint32_t started;	/* first record written */
	int32_t err;
};

struct mpbc_rreq {
	uint8_t *buf;
	size_t cap, total, got;
	uint32_t src;		/* rank */
	uint32_t state;
	uint32_t records;	/* consumed so far */
	int32_t err;
};

_Static_assert(sizeof(struct mpbc_sreq) <= sizeof(struct mpbc_send), "send request size");
_Static_assert(sizeof(struct mpbc_recv) >= sizeof(struct mpbc_rreq), "recv request size");


static uint32_t job_marker(void)
{
	uint64_t t = tk_bootinfo()->time_base_ns;
	uint32_t m = MPBC_READY_MAGIC ^ (uint32_t)t ^ (uint32_t)(t >> 32) ^ (tk_nranks() << 20);

	return m ? m : 1;
}

/* Plain pointers for every ring where tk_mpb_direct gives them (all of them or none) and no
 * break flag leaves a step out: the steps are tk_mpb_* calls, which a plain ring does not
 * make. */
static void rings_direct(struct mpbc_core *c)
{
	uint32_t r, n = c->lay.nranks;
	int on = !c->brk;

	for (r = 0; on && r < n; r++) {
		mpbc_ring_direct(&c->tx[r].ring, 1);
		mpbc_ring_direct(&c->rx[r].ring, 1);
		on = c->tx[r].ring.slots_p && c->rx[r].ring.slots_p;
	}
	c->direct = (uint32_t)on;
	if (on)
		return;
	for (r = 0; r < n; r++) {
		mpbc_ring_direct(&c->tx[r].ring, 0);
		mpbc_ring_direct(&c->rx[r].ring, 0);
	}
}

/* The invalidate before a look, and the flush after writes: tk_mpb_* steps, nothing to do
 * on plain rings (their flags are acquire loads and release stores). */
static inline void invalidate(const struct mpbc_core *c)
{
	if (!c->direct)
		mpbc_ring_invalidate(c->brk);
}

static inline void publish(const struct mpbc_core *c)
{
	if (!c->direct)
		mpbc_ring_publish(c->brk);
}

int mpbc_init(void)
{
	struct mpbc_core *c = MPBC_SELF();
	const struct tessera_geom *g = tk_geom();
	uint32_t n = tk_nranks(), r, share = tessera_core_mpb_bytes(g);
	int rc;

	if (c->inited)
		return 0;
	if (&mpbc_mpb_reserved && mpbc_mpb_reserved < share)
		share -= mpbc_mpb_reserved;	/* the top is another library's (mpbc.h) */
	rc = mpbc_layout_compute(n, share, (uint64_t)g->shared_mb << 20, tk_vt_on() != 0,
				 &c->lay);
	if (rc < 0)
		return rc;
	for (r = 0; r < TESSERA_MAX_CORES; r++)
		c->rank_of[r] = NO_RANK;
	for (r = 0; r < n; r++) {
		uint32_t core = tk_rank_core(r);

		if (core >= tessera_cores(g))
			return -EINVAL;
		c->core_of[r] = core;
		c->mpb_of[r] = tessera_core_mpb_addr(g, core);
		c->rank_of[core] = (uint16_t)r;
	}
	c->me = tk_rank();
	c->nwords = (n + 31) / 32;
	c->cwords = (tessera_cores(g) + 31) / 32;
	c->brk = tk_flags() & MPBC_BREAK_MASK;
	c->marker = job_marker();
	c->vt = tk_vt_on() != 0;
	/* each pair's ring once, both directions, so that no message computes one */
	for (r = 0; r < n; r++) {
		mpbc_ring_of(c, c->me, r, &c->tx[r].ring);
		c->tx[r].ring.vt = &c->tx[r].vt;
		mpbc_ring_of(c, r, c->me, &c->rx[r].ring);
		c->rx[r].ring.vt = &c->rx[r].vt;
	}
	rings_direct(c);
	/* A previous job may have left anything in our share: clear it all, the rings that
	 * senders will use included, before the ready word tells them to go. */
	mpbc_ring_share_clear(c->mpb_of[c->me], c->lay.mpb_bytes);
	for (r = 0; r < n; r++)
		mpbc_ring_clear(&c->rx[r].ring);
	mpbc_ring_publish(c->brk);
	/* our part of shared DRAM is ring.c's alone: under strict, a stray pointer faults */
	tk_mpb_seal(TESSERA_ADDR_SHARED, c->lay.shared_used);
	mpbc_ring_ready_set(c->mpb_of[c->me], c->marker);
	mpbc_ring_publish(c->brk);
	c->inited = 1;
	return 0;
}

void mpbc_debug_break(uint32_t flags)
{
	struct mpbc_core *c = MPBC_SELF();

	c->brk = flags & MPBC_BREAK_MASK;
	if (c->inited)
		rings_direct(c);
}

/* Bitmaps of ranks or cores: visited a word at a time, so that progress and waiting cost
 * what is active, not the size of the job. */
static inline void bit_set(uint32_t *b, uint32_t i)
{
	b[i / 32] |= 1u << (i % 32);
}

static inline void bit_clear(uint32_t *b, uint32_t i)
{
	b[i / 32] &= ~(1u << (i % 32));
}

static inline int bit_test(const uint32_t *b, uint32_t i)
{
	return (b[i / 32] >> (i % 32)) & 1;
}

/* The first set bit at or after i among nwords words, or NO_BIT. */
#define NO_BIT UINT32_MAX
static inline uint32_t bit_next(const uint32_t *b, uint32_t nwords, uint32_t i)
{
	uint32_t w = i / 32, v;

	if (w >= nwords)
		return NO_BIT;
	v = b[w] & (~0u << (i % 32));
	while (!v) {
		if (++w >= nwords)
			return NO_BIT;
		v = b[w];
	}
	return w * 32 + (uint32_t)__builtin_ctz(v);
}

#define FOR_BITS(i, b, nwords) \
	for (uint32_t i = bit_next(b, nwords, 0); i != NO_BIT; i = bit_next(b, nwords, i + 1))

static int rank_of_core(const struct mpbc_core *c, uint32_t core, uint32_t *rank)
{
	if (!c->inited || core >= TESSERA_MAX_CORES || c->rank_of[core] == NO_RANK)
		return -EINVAL;
	*rank = c->rank_of[core];
	return 0;
}

static void notify(const struct mpbc_core *c, uint32_t rank)
{
	uint32_t core = c->core_of[rank];

	if (rank != c->me && tk_core_halted(core))
		tk_core_wake(core);
}

/* Whether the ring to rank d has a free slot; re-reads the ack word only when the last one
 * read says it is full. -EPROTO if the receiver acked more than we sent. */
static inline int tx_room(struct mpbc_core *c, struct mpbc_tx *tx, const struct mpbc_ring *ring)
{
	if (mpbc_ring_room(ring, tx->posted, tx->acked))
		return 1;
	invalidate(c);
	tx->acked = mpbc_ring_acked(ring);
	if (tx->posted - tx->acked > ring->slots) {
		tx->acked = tx->posted;
		return -EPROTO;
	}
	return mpbc_ring_room(ring, tx->posted, tx->acked) ? 1 : 0;
}

/* Write the next record to rank d: n payload bytes of a message of len bytes. */
MPBC_HOT void tx_record(struct mpbc_core *c, struct mpbc_tx *tx, const struct mpbc_ring *ring,
			const struct mpbc_env *first, uint32_t kind, size_t len, const void *data,
			size_t n)
{
	struct mpbc_hdr h = { .msg_len = (uint32_t)len, .frag_len = (uint32_t)n, .kind = kind };

	if (first) {
		h.kind = kind | MPBC_REC_FIRST;
		h.env = *first;
	}
	mpbc_ring_post(ring, tx->posted, tx->acked, &h, data, c->brk);
	tx->posted++;
}

/* Records written to rank d: make them visible, then tell d (its source bit, and an
 * interrupt if it may be halted). Once per batch of records. */
static void tx_publish(struct mpbc_core *c, uint32_t d)
{
	uint32_t core = c->core_of[d];

	publish(c);	/* plain rings: tk_src_signal's own fence orders the records first */
	/* after the records are visible; it says, after its one fence, whether d may be halted
	 * (notify's test without a second fence) */
	if (tk_src_signal(core) && d != c->me)
		tk_core_wake(core);
}

/* Whether rank d has run mpbc_init (its ready word holds this job's marker). */
static int tx_ready(struct mpbc_core *c, struct mpbc_tx *tx, uint32_t d)
{
	if (tx->ready)
		return 1;
	invalidate(c);
	if (mpbc_ring_ready_get(c->mpb_of[d]) != c->marker)
		return 0;
	tx->ready = 1;
	return 1;
}

/* Cut queued sends to rank d into records while its ring has room. Returns records moved. */
static int push(struct mpbc_core *c, uint32_t d)
{
	struct mpbc_tx *tx = &c->tx[d];
	const struct mpbc_ring *ring = &tx->ring;
	struct mpbc_sreq *s;
	int moved = 0, unpublished = 0, rc;

	if (!tx->head || !tx_ready(c, tx, d))
		return 0;
	while ((s = tx->head)) {
		uint32_t kind;
		size_t n;

		rc = tx_room(c, tx, ring);
		if (rc < 0)
			s->err = rc;
		else if (rc == 0)
			break;
		n = mpbc_ring_frag(ring, s->len - s->off, &kind);
		tx_record(c, tx, ring, s->started ? NULL : &s->env, kind, s->len, s->buf + s->off,
			  n);
		s->off += n;
		s->started = 1;
		moved++;
		/* a bulk chunk is published at once: the receiver copies it out while we copy
		 * the next one in (inline records go together, once per batch) */
		if (kind & MPBC_REC_BULK) {
			tx_publish(c, d);
			unpublished = 0;
		} else {
			unpublished = 1;
		}
		if (s->off == s->len) {
			tx->head = s->next;
			if (!tx->head) {
				tx->tail = NULL;
				c->ntx--;
				bit_clear(c->txbits, d);
			}
			__atomic_store_n(&s->state, REQ_DONE, __ATOMIC_RELEASE);
		}
	}
	if (unpublished)
		tx_publish(c, d);
	return moved;
}

int mpbc_send_now(uint32_t dst, const struct mpbc_env *env, const void *buf, size_t len)
{
	RUNTIME();
	struct mpbc_core *c = MPBC_SELF();
	struct mpbc_tx *tx;
	uint32_t d, kind;
	int rc;

	if (!env || (!buf && len) || rank_of_core(c, dst, &d) < 0)
		return -EINVAL;
	tx = &c->tx[d];
	if (tx->head || !tx_ready(c, tx, d))
		return -EAGAIN;		/* behind queued sends, or before the receiver is up */
	if (mpbc_ring_frag(&tx->ring, len, &kind) != len)
		return -EAGAIN;		/* more than one record */
	rc = tx_room(c, tx, &tx->ring);
	if (rc <= 0)
		return rc ? rc : -EAGAIN;
	tx_record(c, tx, &tx->ring, env, kind, len, buf, len);
	tx_publish(c, d);
	return 0;
}

static void recv_finish(struct mpbc_core *c, struct mpbc_rreq *r, int err)
{
	c->rx[r->src].active = NULL;
	c->nrx--;
	bit_clear(c->rxbits, r->src);
	r->err = err;
	__atomic_store_n(&r->state, REQ_DONE, __ATOMIC_RELEASE);
}

/* Write rank s's ack word now, if records were consumed since the last (its sender may be
 * waiting for room). */
static void ack_flush(struct mpbc_core *c, uint32_t s, const struct mpbc_ring *ring)
{
	struct mpbc_rx *rx = &c->rx[s];

	if (rx->acked == rx->consumed)
		return;
	rx->acked = rx->consumed;
	bit_clear(c->ackdue, s);
	mpbc_ring_ack(ring, rx->consumed, c->brk);
	notify(c, s);
}

/*
 * n records of rank s were just consumed: ack once half the ring is consumed unacked; else
 * the ack is due and goes out when s's ring is next seen empty or this core waits (every
 * path that finds no record flushes it), so a stream costs one ack per S/2 records and a
 * ping-pong's ack leaves after the reply instead of before it. s's bit in ackdue is set
 * while its ack is due: set by the records that made it due (the next ones find it set).
 */
static __attribute__((noinline)) void ack_due(struct mpbc_core *c, uint32_t s)
{
	bit_set(c->ackdue, s);
}

static inline void ack_lazy(struct mpbc_core *c, uint32_t s, const struct mpbc_ring *ring,
			    uint32_t n)
{
	uint32_t due = c->rx[s].consumed - c->rx[s].acked;

	/* (both out of line: a loop that takes records computes nothing for them up front) */
	if (due >= (ring->slots + 1) / 2)
		ack_flush(c, s, ring);
	else if (due == n)
		ack_due(c, s);
}

static void acks_flush_all(struct mpbc_core *c)
{
	FOR_BITS(s, c->ackdue, c->nwords)
		ack_flush(c, s, &c->rx[s].ring);
}

/* Consume the records of the receive in progress from rank s. Returns records moved. */
static int pull(struct mpbc_core *c, uint32_t s)
{
	struct mpbc_rx *rx = &c->rx[s];
	struct mpbc_rreq *r = rx->active;
	const struct mpbc_ring *ring = &rx->ring;
	int moved = 0;

	if (!r)
		return 0;
	for (;;) {
		struct mpbc_hdr h;
		int rc;
		uint32_t want_first = r->records == 0 ? MPBC_REC_FIRST : 0;

		invalidate(c);
		rc = mpbc_ring_look(ring, rx->consumed, &h);
		if (rc == -EAGAIN) {
			ack_flush(c, s, ring);
			return moved;
		}
		if (rc == 0 && ((h.kind & MPBC_REC_FIRST) != want_first || h.msg_len != r->total ||
				h.frag_len > r->total - r->got || (h.frag_len == 0 && r->total)))
			rc = -EPROTO;
		if (rc < 0) {
			recv_finish(c, r, rc);
			break;
		}
		if (c->vt)
			mpbc_ring_took(ring, &h);
		if (r->got < r->cap) {
			size_t n = r->cap - r->got;

			mpbc_ring_copy(ring, rx->consumed, &h, r->buf + r->got,
				       n < h.frag_len ? n : h.frag_len);
		}
		r->got += h.frag_len;
		r->records++;
		rx->consumed++;
		moved++;
		if (r->got == r->total) {
			recv_finish(c, r, 0);
			break;
		}
	}
	if (moved)
		ack_lazy(c, s, ring, (uint32_t)moved);
	return moved;
}

int mpbc_isend(struct mpbc_send *sreq, uint32_t dst, const struct mpbc_env *env,
	       const void *buf, size_t len)
{
	RUNTIME();
	struct mpbc_core *c = MPBC_SELF();
	struct mpbc_sreq *s = (struct mpbc_sreq *)sreq;
	struct mpbc_tx *tx;
	uint32_t d;

	if (!s || !env || (!buf && len) || len > UINT32_MAX || rank_of_core(c, dst, &d) < 0)
		return -EINVAL;
	*s = (struct mpbc_sreq){ .buf = buf, .len = len, .env = *env, .dst = d,
				 .state = SREQ_PENDING };
	tx = &c->tx[d];
	if (tx->tail)
		tx->tail->next = s;
	else {
		tx->head = s;
		c->ntx++;
		bit_set(c->txbits, d);
	}
	tx->tail = s;
	push(c, d);
	return 0;
}

static int request_result(uint32_t state, uint32_t pending, int32_t err)
{
	if (state == REQ_DONE)
		return err;
	return state == pending ? -EAGAIN : -EINVAL;
}

int mpbc_send_test(struct mpbc_send *sreq)
{
	RUNTIME();
	struct mpbc_sreq *s = (struct mpbc_sreq *)sreq;

	if (!s)
		return -EINVAL;
	if (s->state == SREQ_PENDING)
		mpbc_progress();
	return request_result(__atomic_load_n(&s->state, __ATOMIC_ACQUIRE), SREQ_PENDING, s->err);
}

/*
 * Look for the first record of the next message from rank s (no receive in progress). A
 * search over sources looks only where a bit says a sender may have written (news,
 * mpbc_peek of any source); a look at one named source reads its ring directly (one line,
 * which stays in the cache while nothing changes). An empty ring clears the bit. A sender
 * sets the bit after its records are visible, so a record written after a look brings a
 * new bit, and one written before it is seen by the look.
 */
/* The header of rx's next record as a look already found it (rx.peek), or NULL: not under
 * virtual time, where a record is seen only once it has landed. */
static inline const struct mpbc_hdr *peeked(const struct mpbc_core *c, const struct mpbc_rx *rx)
{
	return rx->peek.seq == rx->consumed + 1 && !c->vt ? &rx->peek : NULL;
}

/* The look itself: 0 when rx.peek holds the header of rank s's next message's first record
 * (read once: an unconsumed record does not change), else -EAGAIN or -EPROTO and rx.peek
 * holds no record's header. look_ring reads the ring; look_first reads it unless rx.peek
 * holds that header already. */
MPBC_HOT int look_ring(struct mpbc_core *c, uint32_t s, struct mpbc_rx *rx)
{
	int rc;

	rc = mpbc_ring_look(&rx->ring, rx->consumed, &rx->peek);
	if (rc == 0 && !(rx->peek.kind & MPBC_REC_FIRST))
		rc = -EPROTO;
	if (rc == 0)
		return 0;
	if (rc == -EAGAIN) {
		/* empty (not a record that lands in our future, which mpbc_ring_look read) */
		if (rx->peek.seq != rx->consumed + 1)
			bit_clear(c->maybe, c->core_of[s]);
		ack_flush(c, s, &rx->ring);
	}
	rx->peek.seq = rx->consumed;
	return rc;
}

MPBC_HOT int look_first(struct mpbc_core *c, uint32_t s)
{
	/* (under virtual time the chip's core reads the header at every look) */
	if (peeked(c, &c->rx[s]))
		return 0;
	return look_ring(c, s, &c->rx[s]);
}

/* mpbc_peek of any source: the cores whose bit is set in `maybe`, from the rotor on, then
 * from 0 up to the rotor; the first with a message moves the rotor past it. */
static int search_any(struct mpbc_core *c, uint32_t *rank)
{
	uint32_t core = NO_BIT, from = c->rotor, pass, s;
	int rc = -EAGAIN;

	for (pass = 0; pass < 2 && rc == -EAGAIN; pass++) {
		for (core = bit_next(c->maybe, c->cwords, pass ? 0 : from);
		     core != NO_BIT && (!pass || core < from);
		     core = bit_next(c->maybe, c->cwords, core + 1)) {
			if (c->rank_of[core] == NO_RANK) {
				bit_clear(c->maybe, core);
				continue;
			}
			s = c->rank_of[core];
			if (c->rx[s].active)
				continue;
			rc = look_first(c, s);
			if (rc != -EAGAIN) {
				*rank = s;
				break;
			}
		}
	}
	if (rc == 0)
		c->rotor = core + 1;
	return rc;
}

/* The first record of the next message from rank `src`, or from any rank (MPBC_ANY_SOURCE:
 * src as mpbc_peek has it, a core), that has no receive in progress: 0 with its rank in *s
 * and its header in *hp (its rx.peek), -EAGAIN when none has come, -EINVAL, -EPROTO.
 * What mpbc_peek and mpbc_take share. */
MPBC_HOT int next_first(struct mpbc_core *c, int src, uint32_t *s, const struct mpbc_hdr **hp)
{
	int rc;

	if (!c->inited)
		return -EINVAL;
	if (src != MPBC_ANY_SOURCE) {
		if (src < 0 || rank_of_core(c, (uint32_t)src, s) < 0)
			return -EINVAL;
		if (c->rx[*s].active)
			return -EAGAIN;
		*hp = peeked(c, &c->rx[*s]);
		if (*hp)
			return 0;
		invalidate(c);
		rc = look_first(c, *s);
	} else {
		int took = 0;

		invalidate(c);
		/* The source register's line is written by every sender to us, and taking its
		 * bits (an atomic exchange) moves it here: a search first looks where the bits
		 * it holds say, and takes new ones when those find nothing or every
		 * MPBC_TAKE_EVERY searches (a source that keeps its ring busy must not hide the
		 * others). A bit left in the register loses nothing: its sender saw it set and
		 * the next take brings it. Under virtual time every search takes (its cost is
		 * charged). */
		if (c->vt || ++c->untaken >= MPBC_TAKE_EVERY) {
			tk_src_take(c->maybe);
			c->untaken = 0;
			took = 1;
		}
		rc = search_any(c, s);
		if (rc == -EAGAIN && !took) {
			/* afresh: the looks above may have cached the slots the new bits are for */
			invalidate(c);
			tk_src_take(c->maybe);
			c->untaken = 0;
			rc = search_any(c, s);
		}
	}
	*hp = &c->rx[*s].peek;
	return rc;
}

int mpbc_peek(int src, uint32_t *from, struct mpbc_env *env, size_t *len)
{
	RUNTIME();
	struct mpbc_core *c = MPBC_SELF();
	const struct mpbc_hdr *hp;
	uint32_t s = 0;
	int rc = next_first(c, src, &s, &hp);

	if (rc < 0)
		return rc;
	if (from)
		*from = c->core_of[s];
	if (env)
		*env = hp->env;
	if (len)
		*len = hp->msg_len;
	return 0;
}

/* Start the receive r of the next message from rank s, whose first record's header is hp,
 * into buf (cap bytes). */
static void recv_begin(struct mpbc_core *c, uint32_t s, struct mpbc_rreq *r,
		       const struct mpbc_hdr *hp, void *buf, size_t cap)
{
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->cap = cap;
	r->total = hp->msg_len;
	r->src = s;
	r->state = RREQ_PENDING;
	c->rx[s].active = r;
	c->nrx++;
	bit_set(c->rxbits, s);
	pull(c, s);
}

/* Consume the next message from rank s (rx: c->rx[s]), one record whose header is rx.peek,
 * into buf (its first cap bytes). */
MPBC_HOT void take_one(struct mpbc_core *c, uint32_t s, struct mpbc_rx *rx, void *buf,
		       size_t cap)
{
	const struct mpbc_hdr *hp = &rx->peek;

	if (c->vt)	/* taking a record moves time only under virtual time */
		mpbc_ring_took(&rx->ring, hp);
	mpbc_ring_copy(&rx->ring, rx->consumed, hp, buf, cap < hp->frag_len ? cap : hp->frag_len);
	rx->consumed++;
	ack_lazy(c, s, &rx->ring, 1);
}

int mpbc_irecv(struct mpbc_recv *rreq, uint32_t src, void *buf, size_t cap)
{
	RUNTIME();
	struct mpbc_core *c = MPBC_SELF();
	struct mpbc_rreq *r = (struct mpbc_rreq *)rreq;
	uint32_t s;
	int rc;

	if (!r || (!buf && cap) || rank_of_core(c, src, &s) < 0)
		return -EINVAL;
	if (c->rx[s].active)
		return -EBUSY;
	invalidate(c);
	rc = look_first(c, s);
	if (rc < 0)
		return rc;
	recv_begin(c, s, r, &c->rx[s].peek, buf, cap);
	return 0;
}

int mpbc_recv_now(uint32_t src, void *buf, size_t cap)
{
	RUNTIME();
	struct mpbc_core *c = MPBC_SELF();
	struct mpbc_rx *rx;
	const struct mpbc_hdr *hp;
	uint32_t s;
	int rc;

	if ((!buf && cap) || rank_of_core(c, src, &s) < 0)
		return -EINVAL;
	rx = &c->rx[s];
	if (rx->active)
		return -EBUSY;
	hp = &rx->peek;
	if (!peeked(c, rx)) {	/* what the caller's mpbc_peek found: no look again */
		invalidate(c);
		rc = look_first(c, s);
		if (rc < 0)
			return rc;
	}
	if (hp->frag_len != hp->msg_len)
		return -E2BIG;		/* more than one record: mpbc_irecv */
	take_one(c, s, rx, buf, cap);
	return 0;
}

/* Show the next message of rank s (its first header in rx.peek) to place and take it if it
 * is one record: 1 taken, 0 place did not want it, 2 it has more records (pl says where). */
MPBC_HOT int take_next(struct mpbc_core *c, uint32_t s, struct mpbc_rx *rx,
		       mpbc_place_fn *place, void *arg, struct mpbc_place *pl)
{
	pl->whole = rx->peek.frag_len == rx->peek.msg_len;
	pl->rreq = NULL;
	if (!place(arg, c->core_of[s], &rx->peek.env, rx->peek.msg_len, pl))
		return 0;
	if (!pl->whole)
		return 2;
	take_one(c, s, rx, pl->buf, pl->cap);
	return 1;
}

/* mpbc_take's end when a message of several records comes after n taken: its receive begins
 * where pl says (n + 1), or none was asked for (n, or -E2BIG if that is 0). */
static int take_begin(struct mpbc_core *c, uint32_t s, struct mpbc_rx *rx,
		      const struct mpbc_place *pl, int n)
{
	if (!pl->rreq)
		return n ? n : -E2BIG;
	recv_begin(c, s, (struct mpbc_rreq *)pl->rreq, &rx->peek, pl->buf, pl->cap);
	return n + 1;
}

/* mpbc_take past its first message (n taken): the same source's next ones, each looked at
 * directly (no search), up to max in all. Out of line: a take of one message (a receive's
 * fast path) keeps no loop's values around the place call. */
static __attribute__((noinline)) int take_rest(struct mpbc_core *c, uint32_t s,
					      struct mpbc_rx *rx, int n, int max,
					      mpbc_place_fn *place, void *arg)
{
	struct mpbc_place pl;
	int rc;

	for (; n < max; n++) {
		invalidate(c);
		if (look_ring(c, s, rx) < 0)
			return n;
		rc = take_next(c, s, rx, place, arg, &pl);
		if (rc != 1)
			return rc ? take_begin(c, s, rx, &pl, n) : n;
	}
	return n;
}

int mpbc_take(int src, int max, mpbc_place_fn *place, void *arg)
{
	RUNTIME();
	struct mpbc_core *c = MPBC_SELF();
	struct mpbc_place pl;
	const struct mpbc_hdr *hp;
	struct mpbc_rx *rx;
	uint32_t s = 0;
	int rc = next_first(c, src, &s, &hp);

	if (rc < 0)
		return rc;
	rx = &c->rx[s];		/* hp is rx.peek: each next header is looked at into it */
	rc = take_next(c, s, rx, place, arg, &pl);
	if (rc == 1)
		return max > 1 ? take_rest(c, s, rx, 1, max, place, arg) : 1;
	return rc ? take_begin(c, s, rx, &pl, 0) : 0;
}

int mpbc_recv_test(struct mpbc_recv *rreq)
{
	RUNTIME();
	struct mpbc_rreq *r = (struct mpbc_rreq *)rreq;

	if (!r)
		return -EINVAL;
	if (r->state == RREQ_PENDING)
		mpbc_progress();
	return request_result(__atomic_load_n(&r->state, __ATOMIC_ACQUIRE), RREQ_PENDING, r->err);
}

int mpbc_progress(void)
{
	RUNTIME();
	struct mpbc_core *c = MPBC_SELF();
	int moved = 0;

	if (!c->inited)
		return 0;
	if (c->ntx)
		FOR_BITS(d, c->txbits, c->nwords)
			moved += push(c, d);
	if (c->nrx)
		FOR_BITS(s, c->rxbits, c->nwords)
			moved += pull(c, s);
	return moved;
}

/*
 * A first record from a source without a receive in progress that nobody was told of. Under
 * virtual time the core waits (mpbc_wait): it sees every record there, jumps to the earliest
 * landing among them and reports only those that have landed by then; the others it reports
 * when it waits again, so that an any-source receive takes the message that came first.
 */
static int news(struct mpbc_core *c)
{
	uint32_t n = c->lay.nranks;
	uint64_t first = UINT64_MAX, t;
	int found = 0;

	invalidate(c);
	tk_src_take(c->maybe);
	FOR_BITS(core, c->maybe, c->cwords) {
		uint32_t s = c->rank_of[core];
		struct mpbc_rx *rx;

		if (s == NO_RANK) {
			bit_clear(c->maybe, core);
			continue;
		}
		rx = &c->rx[s];
		if (rx->active || rx->seen == rx->consumed + 1)
			continue;
		if (look_first(c, s) == -EAGAIN)
			continue;
		t = mpbc_ring_arrival(&rx->ring, &rx->peek);
		if (t < first)
			first = t;
		rx->seen = rx->consumed + 1;
		found = 1;
	}
	if (!found || !c->vt)
		return found;
	tk_vt_arrive(first);
	t = tk_vt_save();	/* looking again is ours, not the chip's: it costs nothing */
	for (uint32_t s = 0; s < n; s++) {	/* those landing later are news next time */
		struct mpbc_rx *rx = &c->rx[s];

		if (rx->active || rx->seen != rx->consumed + 1)
			continue;
		if (look_first(c, s) == 0 && mpbc_ring_arrival(&rx->ring, &rx->peek) > first)
			rx->seen = rx->consumed;
	}
	tk_vt_rewind(t);
	return found;
}

static int some_peer_unready(const struct mpbc_core *c)
{
	if (c->ntx)
		FOR_BITS(d, c->txbits, c->nwords)
			if (!c->tx[d].ready)
				return 1;
	return 0;
}

static int oversubscribed(void)
{
	const struct tessera_bootinfo *bi = tk_bootinfo();

	return bi->host_cpus && bi->nranks > bi->host_cpus;
}

/* What a waiting core looks for: records moved, or news (1); with a source named (not
 * NO_RANK), its ring first (2 when its next message has come), and the other sources every
 * MPBC_NEWS_EVERY looks (one of them may need us to drain its ring). i counts the looks. */
static int moved_or_news(struct mpbc_core *c, uint32_t from, uint32_t i)
{
	if (c->ntx + c->nrx && mpbc_progress() > 0)
		return 1;
	if (from != NO_RANK) {
		invalidate(c);
		if (!c->rx[from].active && look_first(c, from) != -EAGAIN) {
			if (c->vt)	/* the wait ends when the record lands */
				tk_vt_arrive(mpbc_ring_arrival(&c->rx[from].ring,
							       &c->rx[from].peek));
			return 2;
		}
		if (i % MPBC_NEWS_EVERY != MPBC_NEWS_EVERY - 1)
			return 0;
	}
	return news(c);
}

/*
 * Wait until something may have changed for this core: look (moved_or_news) in a loop, then
 * halt. How long to look before halting:
 *  - waiting for a named source's message (from): as long as that core runs, up to
 *    MPBC_SPIN_MAX_CYCLES: its beat (tk_beat) moves while it runs a wait loop of its own,
 *    so an answer may come any moment and a halt would only add a wake-up to it; as soon as
 *    its beat stands still for MPBC_PEER_STALE_CYCLES this core halts too (a descheduled
 *    or halted peer is not waited for by spinning: the CPU may be the one it needs). Its
 *    halted flag is no such sign: a peer we just sent to is halted until its wake-up runs,
 *    and halting on it would turn every later exchange into a pair of wake-ups;
 *  - otherwise polls for tk_spin_cycles() (the arch's: about what a halt and its wake-up
 *    cost); with more cores than host CPUs yields instead of polls, for about
 *    MPBC_YIELD_CYCLES, so that the core it waits for can run (a VM, which cannot yield but
 *    by halting, halts at once);
 *  - not at all where a halt is a switch to another core of this host thread or hands the
 *    turn over (tk_halt_is_cheap: many cores in one emu runner, --deterministic).
 * While it looks, this core beats too, for the peers that wait for it.
 */
/* One look of a wait (moved_or_news). Under virtual time a look that finds nothing costs
 * nothing: on the chip the core would have kept looking until something landed, however
 * long the host took. */
static int look(struct mpbc_core *c, uint32_t from, uint32_t i)
{
	uint64_t t = tk_vt_save();
	int r = moved_or_news(c, from, i);

	if (!r)
		tk_vt_rewind(t);
	return r;
}

static int wait_for(struct mpbc_core *c, uint64_t timeout_ns, uint32_t from)
{
	uint32_t peer = from != NO_RANK && from != c->me ? c->core_of[from] : NO_BIT;
	uint32_t i, beat = peer != NO_BIT ? tk_core_beat(peer) : 0, b;
	uint64_t t = timeout_ns, t0 = tk_cycles(), now, moved_at = t0;
	uint64_t spin = tk_spin_cycles();
	int over = oversubscribed(), woken;

	acks_flush_all(c);	/* a sender may wait for room that we made */
	/* The beat shares its board-register line with our halted flag, which every peer that
	 * sends to us reads: a wait that follows a recent beat (a ping-pong waits once per
	 * message) does not beat again, so that line stays in the peers' caches. */
	if (c->vt || t0 - c->beat_at >= MPBC_BEAT_CYCLES) {
		tk_beat();
		c->beat_at = t0;
	}
	/* where a halt costs less than any look more (it switches to another core of this
	 * host thread, or hands the turn over under --deterministic) the core halts at once */
	for (i = 0; !tk_halt_is_cheap(); i++) {
		if ((woken = look(c, from, i)))
			return woken;
		now = tk_cycles();
		if (now - c->beat_at >= MPBC_BEAT_CYCLES) {
			tk_beat();
			c->beat_at = now;
		}
		if (i >= MPBC_SPIN_POLLS) {
			if (peer == NO_BIT) {
				if (now - t0 >= (over ? MPBC_YIELD_CYCLES : spin))
					break;
			} else {
				b = tk_core_beat(peer);
				if (b != beat) {
					beat = b;
					moved_at = now;
				}
				if (now - moved_at >= MPBC_PEER_STALE_CYCLES ||
				    now - t0 >= MPBC_SPIN_MAX_CYCLES)
					break;
			}
		}
		if (over) {
			if (!tk_yield())
				break;	/* a VM: halting is its only yield */
		} else {
			tk_relax();
		}
	}
	tk_halt_prepare();
	if ((woken = look(c, from, MPBC_NEWS_EVERY - 1))) {
		tk_halt_done();
		return woken;
	}
	if (some_peer_unready(c) && (t == 0 || t > MPBC_NOT_READY_NS))
		t = MPBC_NOT_READY_NS;
	woken = tk_halt_for_peer(t);
	tk_halt_done();
	if (from != NO_RANK && woken)
		return 0;	/* an interrupt: the caller looks for itself */
	return woken;
}

void mpbc_ack_flush(void)
{
	struct mpbc_core *c = MPBC_SELF();

	if (c->inited)
		acks_flush_all(c);
}

int mpbc_wait_timeout(uint64_t timeout_ns)
{
	RUNTIME();
	struct mpbc_core *c = MPBC_SELF();
	int woken;

	if (!c->inited)
		return -EINVAL;
	tk_vt_wait_begin();
	woken = wait_for(c, timeout_ns, NO_RANK) ? 1 : 0;
	tk_vt_wait_end();
	return woken;
}

void mpbc_wait(void)
{
	mpbc_wait_timeout(0);
}

int mpbc_wait_from(int src)
{
	RUNTIME();
	struct mpbc_core *c = MPBC_SELF();
	uint32_t s = NO_RANK;
	int woken;

	if (!c->inited)
		return -EINVAL;
	if (src != MPBC_ANY_SOURCE && rank_of_core(c, (uint32_t)src, &s) < 0)
		return -EINVAL;
	tk_vt_wait_begin();
	woken = wait_for(c, 0, s);
	tk_vt_wait_end();
	return woken;
}

uint64_t mpbc_shared_bytes(void)
{
	return MPBC_SELF()->lay.shared_used;
}
