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

void mpbc_ring_of(const struct mpbc_core *c, uint32_t src, uint32_t dst, struct mpbc_ring *r)
{
	const struct mpbc_layout *l = &c->lay;
	uint64_t pair = (uint64_t)dst * l->nranks + src;

	if (l->rings_in_dram)
		r->slots_addr = TESSERA_ADDR_SHARED + (uintptr_t)(l->dram_ring_off + pair * l->ring_bytes);
	else
		r->slots_addr = c->mpb_of[dst] + l->ring_off + (uintptr_t)src * l->ring_bytes;
	r->bulk_addr = TESSERA_ADDR_SHARED + (uintptr_t)(l->bulk_off +
							  pair * l->slots * l->bulk_bytes);
	r->ack_addr = c->mpb_of[src] + l->ack_off + (uintptr_t)dst * 4;
	r->slots = l->slots;
	r->slot_bytes = l->slot_bytes;
	r->bulk_bytes = l->bulk_bytes;
}

static uint32_t job_marker(void)
{
	uint64_t t = tk_bootinfo()->time_base_ns;
	uint32_t m = MPBC_READY_MAGIC ^ (uint32_t)t ^ (uint32_t)(t >> 32) ^ (tk_nranks() << 20);

	return m ? m : 1;
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
	rc = mpbc_layout_compute(n, share, (uint64_t)g->shared_mb << 20, &c->lay);
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
	c->brk = tk_flags() & MPBC_BREAK_MASK;
	c->marker = job_marker();
	/* A previous job may have left anything in our share: clear it all, the rings that
	 * senders will use included, before the ready word tells them to go. */
	mpbc_ring_share_clear(c->mpb_of[c->me], c->lay.mpb_bytes);
	for (r = 0; r < n; r++) {
		struct mpbc_ring ring;

		mpbc_ring_of(c, r, c->me, &ring);
		mpbc_ring_clear(&ring);
	}
	mpbc_ring_publish(c->brk);
	mpbc_ring_ready_set(c->mpb_of[c->me], c->marker);
	mpbc_ring_publish(c->brk);
	c->inited = 1;
	return 0;
}

void mpbc_debug_break(uint32_t flags)
{
	MPBC_SELF()->brk = flags & MPBC_BREAK_MASK;
}

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
		tk_irq_send(core);
}

/* Cut queued sends to rank d into records while its ring has room. Returns records moved. */
/* The lists of pairs with work: a pair joins when it gets some and leaves when it has none
 * (the last of the list takes its place). */
static void tx_on(struct mpbc_core *c, uint32_t d)
{
	c->tx[d].pos = c->ntx;
	c->txl[c->ntx++] = (uint16_t)d;
}

static void tx_off(struct mpbc_core *c, uint32_t d)
{
	uint32_t last = c->txl[--c->ntx];

	c->txl[c->tx[d].pos] = (uint16_t)last;
	c->tx[last].pos = c->tx[d].pos;
}

static void rx_on(struct mpbc_core *c, uint32_t s)
{
	c->rx[s].pos = c->nrx;
	c->rxl[c->nrx++] = (uint16_t)s;
}

static void rx_off(struct mpbc_core *c, uint32_t s)
{
	uint32_t last = c->rxl[--c->nrx];

	c->rxl[c->rx[s].pos] = (uint16_t)last;
	c->rx[last].pos = c->rx[s].pos;
}

static int push(struct mpbc_core *c, uint32_t d)
{
	struct mpbc_tx *tx = &c->tx[d];
	struct mpbc_ring ring;
	struct mpbc_sreq *s;
	int moved = 0;

	if (!tx->head)
		return 0;
	if (!tx->ready) {
		mpbc_ring_invalidate(c->brk);
		if (mpbc_ring_ready_get(c->mpb_of[d]) != c->marker)
			return 0;
		tx->ready = 1;
	}
	mpbc_ring_of(c, c->me, d, &ring);
	while ((s = tx->head)) {
		struct mpbc_hdr h;
		uint32_t kind;
		size_t n;

		if (!mpbc_ring_room(&ring, tx->posted, tx->acked)) {
			mpbc_ring_invalidate(c->brk);
			tx->acked = mpbc_ring_acked(&ring);
			if (tx->posted - tx->acked > ring.slots) {
				s->err = -EPROTO;	/* the receiver acked more than we sent */
				tx->acked = tx->posted;
			}
			if (!mpbc_ring_room(&ring, tx->posted, tx->acked))
				break;
		}
		n = mpbc_ring_frag(&ring, s->len - s->off, &kind);
		memset(&h, 0, sizeof(h));
		if (!s->started) {
			kind |= MPBC_REC_FIRST;
			h.env = s->env;
		}
		h.msg_len = (uint32_t)s->len;
		h.frag_len = (uint32_t)n;
		h.kind = kind;
		mpbc_ring_post(&ring, tx->posted, tx->acked, &h, s->buf + s->off, c->brk);
		tx->posted++;
		s->off += n;
		s->started = 1;
		moved++;
		if (s->off == s->len) {
			tx->head = s->next;
			if (!tx->head) {
				tx->tail = NULL;
				tx_off(c, d);
			}
			__atomic_store_n(&s->state, REQ_DONE, __ATOMIC_RELEASE);
		}
	}
	if (moved) {
		mpbc_ring_publish(c->brk);
		tk_src_signal(c->core_of[d]);	/* after the records are visible */
		notify(c, d);
	}
	return moved;
}

static void recv_finish(struct mpbc_core *c, struct mpbc_rreq *r, int err)
{
	c->rx[r->src].active = NULL;
	rx_off(c, r->src);
	r->err = err;
	__atomic_store_n(&r->state, REQ_DONE, __ATOMIC_RELEASE);
}

/* Consume the records of the receive in progress from rank s. Returns records moved. */
static int pull(struct mpbc_core *c, uint32_t s)
{
	struct mpbc_rx *rx = &c->rx[s];
	struct mpbc_rreq *r = rx->active;
	struct mpbc_ring ring;
	int moved = 0;

	if (!r)
		return 0;
	mpbc_ring_of(c, s, c->me, &ring);
	for (;;) {
		struct mpbc_hdr h;
		int rc;
		uint32_t want_first = r->records == 0 ? MPBC_REC_FIRST : 0;

		mpbc_ring_invalidate(c->brk);
		rc = mpbc_ring_look(&ring, rx->consumed, &h);
		if (rc == -EAGAIN)
			break;
		if (rc == 0 && ((h.kind & MPBC_REC_FIRST) != want_first || h.msg_len != r->total ||
				h.frag_len > r->total - r->got || (h.frag_len == 0 && r->total)))
			rc = -EPROTO;
		if (rc < 0) {
			recv_finish(c, r, rc);
			break;
		}
		if (r->got < r->cap) {
			size_t n = r->cap - r->got;

			mpbc_ring_copy(&ring, rx->consumed, &h, r->buf + r->got,
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
	if (moved) {
		mpbc_ring_ack(&ring, rx->consumed, c->brk);
		notify(c, s);
	}
	return moved;
}

int mpbc_isend(struct mpbc_send *sreq, uint32_t dst, const struct mpbc_env *env,
	       const void *buf, size_t len)
{
	struct mpbc_core *c = MPBC_SELF();
	struct mpbc_sreq *s = (struct mpbc_sreq *)sreq;
	struct mpbc_tx *tx;
	uint32_t d;

	if (!s || !env || (!buf && len) || len > UINT32_MAX || rank_of_core(c, dst, &d) < 0)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->buf = buf;
	s->len = len;
	s->env = *env;
	s->dst = d;
	s->state = SREQ_PENDING;
	tx = &c->tx[d];
	if (tx->tail)
		tx->tail->next = s;
	else {
		tx->head = s;
		tx_on(c, d);
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
	struct mpbc_sreq *s = (struct mpbc_sreq *)sreq;

	if (!s)
		return -EINVAL;
	if (s->state == SREQ_PENDING)
		mpbc_progress();
	return request_result(__atomic_load_n(&s->state, __ATOMIC_ACQUIRE), SREQ_PENDING, s->err);
}

static int maybe_has(const struct mpbc_core *c, uint32_t s)
{
	uint32_t core = c->core_of[s];

	return (c->maybe[core / 32] >> (core % 32)) & 1;
}

/*
 * Look for the first record of the next message from rank s (no receive in progress):
 * only if s's bit says it may have written one; an empty ring clears the bit. A sender sets
 * the bit after its records are visible, so a record written after this look brings a new
 * bit, and one written before it is seen by the look.
 */
static int look_first(struct mpbc_core *c, uint32_t s, struct mpbc_hdr *h)
{
	uint32_t core = c->core_of[s];
	struct mpbc_ring ring;
	int rc;

	if (!maybe_has(c, s)) {
		tk_src_take(c->maybe);
		if (!maybe_has(c, s))
			return -EAGAIN;
	}
	mpbc_ring_of(c, s, c->me, &ring);
	rc = mpbc_ring_look(&ring, c->rx[s].consumed, h);
	if (rc == -EAGAIN)
		c->maybe[core / 32] &= ~(1u << (core % 32));
	else if (rc == 0 && !(h->kind & MPBC_REC_FIRST))
		rc = -EPROTO;
	return rc;
}

int mpbc_peek(int src, uint32_t *from, struct mpbc_env *env, size_t *len)
{
	struct mpbc_core *c = MPBC_SELF();
	uint32_t i, s = 0;
	struct mpbc_hdr h;
	int rc = -EAGAIN;

	if (!c->inited)
		return -EINVAL;
	if (src != MPBC_ANY_SOURCE) {
		if (src < 0 || rank_of_core(c, (uint32_t)src, &s) < 0)
			return -EINVAL;
		if (c->rx[s].active)
			return -EAGAIN;
		mpbc_ring_invalidate(c->brk);
		rc = look_first(c, s, &h);
	} else {
		/* the senders whose bit is set, from the core after the last one served, so that
		 * none is starved */
		uint32_t words = (tessera_cores(tk_geom()) + 31) / 32, k;

		mpbc_ring_invalidate(c->brk);
		tk_src_take(c->maybe);
		for (i = 0; i <= words && rc == -EAGAIN; i++) {
			uint32_t w = (c->rotor / 32 + i) % words, bits = c->maybe[w];

			if (i == 0)
				bits &= ~0u << (c->rotor % 32);
			else if (i == words)
				bits &= (1u << (c->rotor % 32)) - 1;
			for (; bits && rc == -EAGAIN; bits &= bits - 1) {
				k = w * 32 + (uint32_t)__builtin_ctz(bits);
				s = c->rank_of[k];
				if (s == NO_RANK || c->rx[s].active)
					continue;
				rc = look_first(c, s, &h);
			}
		}
		if (rc == 0)
			c->rotor = (c->core_of[s] + 1) % (words * 32);
	}
	if (rc < 0)
		return rc;
	if (from)
		*from = c->core_of[s];
	if (env)
		*env = h.env;
	if (len)
		*len = h.msg_len;
	return 0;
}

int mpbc_irecv(struct mpbc_recv *rreq, uint32_t src, void *buf, size_t cap)
{
	struct mpbc_core *c = MPBC_SELF();
	struct mpbc_rreq *r = (struct mpbc_rreq *)rreq;
	struct mpbc_hdr h;
	uint32_t s;
	int rc;

	if (!r || (!buf && cap) || rank_of_core(c, src, &s) < 0)
		return -EINVAL;
	if (c->rx[s].active)
		return -EBUSY;
	mpbc_ring_invalidate(c->brk);
	rc = look_first(c, s, &h);
	if (rc < 0)
		return rc;
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->cap = cap;
	r->total = h.msg_len;
	r->src = s;
	r->state = RREQ_PENDING;
	c->rx[s].active = r;
	rx_on(c, s);
	pull(c, s);
	return 0;
}

int mpbc_recv_test(struct mpbc_recv *rreq)
{
	struct mpbc_rreq *r = (struct mpbc_rreq *)rreq;

	if (!r)
		return -EINVAL;
	if (r->state == RREQ_PENDING)
		mpbc_progress();
	return request_result(__atomic_load_n(&r->state, __ATOMIC_ACQUIRE), RREQ_PENDING, r->err);
}

int mpbc_progress(void)
{
	struct mpbc_core *c = MPBC_SELF();
	uint32_t i;
	int moved = 0;

	if (!c->inited)
		return 0;
	/* downwards: a pair that leaves its list takes the last one's place, already seen */
	for (i = c->ntx; i-- > 0;)
		moved += push(c, c->txl[i]);
	for (i = c->nrx; i-- > 0;)
		moved += pull(c, c->rxl[i]);
	return moved;
}

void mpbc_sources(uint32_t bits[TESSERA_SRC_WORDS])
{
	struct mpbc_core *c = MPBC_SELF();

	tk_src_take(c->maybe);
	for (uint32_t w = 0; w < TESSERA_SRC_WORDS; w++)
		bits[w] = c->maybe[w];
}

/* A first record from a source without a receive in progress that nobody was told of. */
static int news(struct mpbc_core *c)
{
	uint32_t words = (tessera_cores(tk_geom()) + 31) / 32;
	int found = 0;

	mpbc_ring_invalidate(c->brk);
	tk_src_take(c->maybe);
	/* only the senders whose bit is set (as many words as the board has cores) */
	for (uint32_t w = 0; w < words; w++) {
		for (uint32_t bits = c->maybe[w]; bits; bits &= bits - 1) {
			uint32_t core = w * 32 + (uint32_t)__builtin_ctz(bits), s = c->rank_of[core];
			struct mpbc_rx *rx;
			struct mpbc_hdr h;

			if (s == NO_RANK)
				continue;
			rx = &c->rx[s];
			if (rx->active || rx->seen == rx->consumed + 1)
				continue;
			if (look_first(c, s, &h) != -EAGAIN) {
				rx->seen = rx->consumed + 1;
				found = 1;
			}
		}
	}
	return found;
}

static int some_peer_unready(const struct mpbc_core *c)
{
	uint32_t i;

	for (i = 0; i < c->ntx; i++)
		if (!c->tx[c->txl[i]].ready)
			return 1;
	return 0;
}

static int oversubscribed(void)
{
	const struct tessera_bootinfo *bi = tk_bootinfo();

	return bi->host_cpus && bi->nranks > bi->host_cpus;
}

int mpbc_wait_timeout(uint64_t timeout_ns)
{
	struct mpbc_core *c = MPBC_SELF();
	uint64_t t = timeout_ns, t0;
	uint32_t i;
	int woken;

	if (!c->inited)
		return -EINVAL;
	/*
	 * Spinning pays only while every core has a host CPU of its own. With more cores than
	 * host CPUs a spinning core keeps the one it waits for off the CPU, so it yields
	 * instead: the CPU goes to a core that has work, and no wake-up (an inter-processor
	 * interrupt on the host, costly in a VM) is needed if the answer comes meanwhile. Both
	 * are bounded; then the core halts. Where a halt costs no more than a yield (many
	 * cores in one host thread, tk_halt_is_cheap) the core halts at once.
	 */
	if (tk_halt_is_cheap()) {
		/* A halt switches to another core of this host thread and a wake-up makes this
		 * one ready again without the host kernel: halt at once (after the look below). */
	} else if (oversubscribed()) {
		for (i = 0, t0 = tk_cycles(); i < MPBC_SPIN_POLLS || tk_cycles() - t0 < MPBC_YIELD_CYCLES;
		     i++) {
			if (mpbc_progress() > 0 || news(c))
				return 1;
			if (!tk_yield())
				break;	/* a VM: halting is its only yield */
		}
	} else {
		uint64_t spin = tk_spin_cycles();

		for (i = 0, t0 = tk_cycles(); i < MPBC_SPIN_POLLS || tk_cycles() - t0 < spin; i++) {
			if (mpbc_progress() > 0 || news(c))
				return 1;
			tk_relax();
		}
	}
	tk_halt_prepare();
	if (mpbc_progress() > 0 || news(c)) {
		tk_halt_done();
		return 1;
	}
	if (some_peer_unready(c) && (t == 0 || t > MPBC_NOT_READY_NS))
		t = MPBC_NOT_READY_NS;
	woken = tk_halt(t);
	tk_halt_done();
	return woken;
}

void mpbc_wait(void)
{
	mpbc_wait_timeout(0);
}

uint64_t mpbc_shared_bytes(void)
{
	return MPBC_SELF()->lay.shared_used;
}
