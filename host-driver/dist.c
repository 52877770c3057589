// SPDX-License-Identifier: MIT
/*
 * dist.c: the engine of one host of a board spread over several hosts (dist.h; the protocol
 * and why it is correct: docs/distributed.md). Not the job's life (dist_job.c) nor the
 * transport (a struct hd_dist_net: Open MPI in the host tools).
 *
 * Out: the hand-offs of this host's cores (board.h: dist_out) are taken in ticket order and
 * their items routed: stores of memory homed here are applied, the others appended to the
 * batch of their home host (a store of shared DRAM to every other host: each holds a
 * replica), requests answered here or forwarded. At the end of a step every batch goes as
 * one message, so a core's message to a core of another host is one message between the two
 * hosts, whatever number of lines it spans.
 *
 * In: every message carries what its sender knew of who sent how many messages to whom
 * (a matrix of counts, as changes since the last message to the same host), and is
 * delivered only when every message it may depend on has been delivered here: causal order
 * (Raynal, Schiper, Toueg, "The causal ordering abstraction and a simple way to implement
 * it", IPL 39(6), 1991). An answer that shows this host's memory (a fetch, a lock, a counter,
 * a register) is given only when every hand-off of this host's cores that took its ticket
 * before has been shipped: what a core here stored before making something visible leaves
 * first.
 *
 * Everything a core hands off and everything another host sends is input: checked, and
 * refused (counted) when it cannot be right; nothing of it can make the host fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "hd_impl.h"
#include "dist.h"

#define WIRE_MAGIC	0x54534944u	/* "DIST" */
#define ENTRY_MAX	(TESSERA_DIST_OUT_BYTES / 4)
#define RING_MASK	(TESSERA_DIST_OUT_BYTES - 1)
#define KIND_ANSWER	0x100u		/* wire only: the answer to a request */
#define HOME_ALL	(-2)		/* shared DRAM: every host */
#define HOME_NONE	(-1)		/* not memory a core reaches through its host */
#define STALL_NS	1000000000ull	/* a ticket taken but never published is skipped after */

/* The header of a data message, then nmat changes of the sender's matrix, then items. */
struct wire_hdr {
	uint32_t magic;
	uint32_t nmat;
};

struct mat_change {
	uint16_t k, l;			/* k sent to l ... */
	uint32_t v;			/* ... this many messages (as the sender knew) */
};

struct witem {
	uint16_t kind;			/* enum tessera_dist_kind, or KIND_ANSWER */
	uint16_t len;			/* bytes that follow, padded to 8 */
	uint32_t addr, arg;
	uint32_t x;			/* a request's seq */
	uint32_t core;			/* the requesting core; TESSERA_DIST_SRC: the source */
	uint32_t pad;
	int64_t ret;			/* KIND_ANSWER */
};
_Static_assert(sizeof(struct witem) == 32, "wire item");

/* A received message waiting for its causal past. */
struct qmsg {
	struct qmsg *next;
	uint32_t from;
	uint32_t *need;			/* [k]: messages from k to deliver here first */
	const struct mat_change *chg;
	uint32_t nchg;
	const uint8_t *items;
	size_t items_n;
	int asks;			/* holds a request answered with this host's state */
	void *buf;
};

struct obuf {
	uint8_t *p;
	size_t n, cap;
};

/* A core with a published entry, and that entry's ticket. */
struct cand {
	uint32_t core, ticket;
};

/* An answer to another host that waits until the hand-offs of this host's cores that
 * took a ticket before it (before `upto`) are shipped. */
struct held {
	struct held *next;
	uint32_t host, upto;
	struct witem it;
	uint8_t data[];
};

/* A request for a lock held by someone else, in arrival order. */
struct lock_wait {
	struct lock_wait *next;
	uint32_t lock, host, core, seq;
};

struct hd_dist {
	struct hd_board *b;
	struct hd_dist_net net;
	uint32_t me, n;
	uint8_t core_host[TESSERA_MAX_CORES];
	uint32_t *local, nlocal;	/* this host's cores */
	struct cand *cand;		/* nlocal: the cores with entries (handoffs) */
	uint32_t *sent;			/* [k * n + l]: messages k sent to l, as known here */
	uint32_t *told;			/* [j]: sent, as attached to the last message to j */
	uint32_t *known;		/* [k]: k's matrix as its last message said */
	uint32_t *deliv;		/* [k]: messages from k delivered here */
	struct qmsg *q, **qtail;
	struct obuf *out;		/* [j]: the batch for host j */
	uint32_t *tail;			/* [core]: the host's own copy of dist_ctl.tail */
	uint8_t *busy;			/* [core]: waits for an answer from another host */
	uint32_t next_ticket;
	uint64_t stall_since;
	struct lock_wait *locks, **ltail;
	struct held *held, **htail;	/* answers behind hand-offs not yet shipped */
	uint8_t entry[ENTRY_MAX];	/* a hand-off, copied out of the core's reach */
	uint64_t traffic, refused;
};

/* ---- where memory is ---- */

/* Home of [a, a + len): a host, HOME_ALL (shared DRAM) or HOME_NONE. */
static int home_of(const struct hd_dist *d, uint32_t a, uint32_t len)
{
	const struct tessera_geom *g = &d->b->geom;
	uint64_t shared_end = TESSERA_ADDR_SHARED + ((uint64_t)g->shared_mb << 20);
	uint32_t stride = tessera_tile_stride(g), tile, off;

	if (!len)
		return HOME_NONE;
	if (a >= TESSERA_ADDR_SHARED && a < shared_end)
		return len <= shared_end - a ? HOME_ALL : HOME_NONE;
	if (a < TESSERA_ADDR_MPB || (a - TESSERA_ADDR_MPB) / stride >= tessera_tiles(g))
		return HOME_NONE;
	tile = (a - TESSERA_ADDR_MPB) / stride;
	off = a - tessera_mpb_addr(g, tile);
	if (off > g->mpb_bytes || len > g->mpb_bytes - off)
		return HOME_NONE;
	return d->core_host[tile * g->cores_per_tile];
}

/* The chip's bytes at core address a (which home_of placed). */
static uint8_t *mem_at(const struct hd_dist *d, uint32_t a)
{
	const struct tessera_geom *g = &d->b->geom;
	uint32_t tile;

	if (a >= TESSERA_ADDR_SHARED && a < TESSERA_ADDR_MPB)
		return d->b->chip + d->b->layout.shared_off + (a - TESSERA_ADDR_SHARED);
	tile = (a - TESSERA_ADDR_MPB) / tessera_tile_stride(g);
	return d->b->chip + tessera_mpb_off(&d->b->layout, tile) + (a - tessera_mpb_addr(g, tile));
}

/* Stores in address order, an aligned word in one store (eight bytes where aligned, which
 * x86-64 stores at once too): a flag is never torn, and a reader that sees the last word of
 * a line sees the line (as coherence.c drains). No memcpy: its string moves may store out
 * of order. */
static void store(uint8_t *mem, uint32_t a, const uint8_t *src, uint32_t len)
{
	uint32_t i = 0;

	for (; i < len && ((a + i) & 3); i++)
		__atomic_store_n(mem + i, src[i], __ATOMIC_RELEASE);
	if (len - i >= 4 && ((a + i) & 4)) {
		uint32_t v;

		memcpy(&v, src + i, 4);
		__atomic_store_n((uint32_t *)(mem + i), v, __ATOMIC_RELEASE);
		i += 4;
	}
	for (; len - i >= 8; i += 8) {
		uint64_t v;

		memcpy(&v, src + i, 8);
		__atomic_store_n((uint64_t *)(mem + i), v, __ATOMIC_RELEASE);
	}
	if (len - i >= 4) {
		uint32_t v;

		memcpy(&v, src + i, 4);
		__atomic_store_n((uint32_t *)(mem + i), v, __ATOMIC_RELEASE);
		i += 4;
	}
	for (; i < len; i++)
		__atomic_store_n(mem + i, src[i], __ATOMIC_RELEASE);
}

static int core_ok(const struct hd_dist *d, uint32_t core)
{
	return core < tessera_cores(&d->b->geom);
}

static int here(const struct hd_dist *d, uint32_t core)
{
	return core_ok(d, core) && d->core_host[core] == d->me;
}

/* ---- batches to other hosts ---- */

static int emit(struct hd_dist *d, uint32_t host, const struct witem *it, const void *data)
{
	struct obuf *o = &d->out[host];
	size_t need = sizeof(*it) + ((it->len + 7u) & ~7u);

	if (o->n + need > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		uint8_t *p;

		while (cap < o->n + need)
			cap *= 2;
		if (!(p = realloc(o->p, cap)))
			return -ENOMEM;
		o->p = p;
		o->cap = cap;
	}
	memcpy(o->p + o->n, it, sizeof(*it));
	if (it->len)
		memcpy(o->p + o->n + sizeof(*it), data, it->len);
	memset(o->p + o->n + sizeof(*it) + it->len, 0, need - sizeof(*it) - it->len);
	o->n += need;
	return 0;
}

/* Send every batch: the changes of the matrix since the last message to that host, then the
 * items. A host that cannot be sent to is a failure of the transport: the batch is lost and
 * the job will end through dist_job.c, which hears of it. */
static int send_all(struct hd_dist *d)
{
	int moved = 0;

	for (uint32_t j = 0; j < d->n; j++) {
		struct obuf *o = &d->out[j];
		uint32_t *told = d->told + (size_t)j * d->n * d->n, nchg = 0;
		struct wire_hdr *h;
		struct mat_change *c;
		uint8_t *msg;
		size_t size;

		if (j == d->me || !o->n)
			continue;
		for (size_t i = 0; i < (size_t)d->n * d->n; i++)
			nchg += d->sent[i] != told[i];
		size = sizeof(*h) + nchg * sizeof(*c) + o->n;
		if (!(msg = malloc(size))) {
			hd_fail(-ENOMEM, "distributed board: out of memory for a message");
			o->n = 0;
			continue;
		}
		h = (struct wire_hdr *)msg;
		h->magic = WIRE_MAGIC;
		h->nmat = nchg;
		c = (struct mat_change *)(h + 1);
		for (size_t i = 0; i < (size_t)d->n * d->n; i++) {
			if (d->sent[i] == told[i])
				continue;
			c->k = (uint16_t)(i / d->n);
			c->l = (uint16_t)(i % d->n);
			c->v = d->sent[i];
			told[i] = d->sent[i];
			c++;
		}
		memcpy(c, o->p, o->n);
		o->n = 0;
		d->net.send(d->net.ctx, j, HD_DIST_CH_DATA, msg, size);
		d->sent[d->me * d->n + j]++;
		d->traffic++;
		moved++;
	}
	return moved;
}

/* ---- answers ---- */

/* The answer to core `core` of this host: data into its dist_in, then ret, then seq. */
static void answer_core(struct hd_dist *d, uint32_t core, uint32_t seq, int64_t ret,
			const void *data, uint32_t len)
{
	struct tessera_hostwin *hw;

	if (!here(d, core) || len > TESSERA_DIST_IN_BYTES) {
		d->refused++;
		return;
	}
	hw = hd_hostwin(d->b, core);
	if (len)
		memcpy(hw->dist_in, data, len);
	hw->dist_ctl.ret = ret;
	__atomic_store_n(&hw->dist_ctl.resp_seq, seq, __ATOMIC_RELEASE);
	d->busy[core] = 0;
	hd_core_irq(d->b, core);
}

/*
 * An answer shows this host's memory as it is now (a fetch, a lock taken, a counter): what a
 * core here made visible before may have a hand-off still on its way (a store to another
 * host, published before the local store or the lock release the answer shows), so the
 * answer leaves behind every ticket taken until now. Checking the tickets before reading
 * would leave a gap in which a core publishes and then releases.
 */
static void answer(struct hd_dist *d, uint32_t host, uint32_t core, uint32_t seq, int64_t ret,
		   const void *data, uint32_t len)
{
	struct witem a = { .kind = KIND_ANSWER, .len = (uint16_t)len, .x = seq, .core = core,
			   .ret = ret };
	uint32_t upto = __atomic_load_n(&hd_boardreg_global(d->b)->dist_ticket, __ATOMIC_SEQ_CST);
	struct held *h;

	if (host == d->me) {
		answer_core(d, core, seq, ret, data, len);
		return;
	}
	if (!d->held && d->next_ticket == upto) {
		if (emit(d, host, &a, data))
			hd_fail(-ENOMEM, "distributed board: out of memory for an answer");
		return;
	}
	if (!(h = malloc(sizeof(*h) + len))) {
		hd_fail(-ENOMEM, "distributed board: out of memory for an answer");
		return;
	}
	*h = (struct held){ NULL, host, upto, a };
	if (len)
		memcpy(h->data, data, len);
	*d->htail = h;
	d->htail = &h->next;
}

/* The held answers whose tickets are shipped, in order; returns how many. */
static int held_send(struct hd_dist *d)
{
	struct held *h;
	int moved = 0;

	while ((h = d->held) && (int32_t)(d->next_ticket - h->upto) >= 0) {
		if (emit(d, h->host, &h->it, h->data))
			hd_fail(-ENOMEM, "distributed board: out of memory for an answer");
		if (!(d->held = h->next))
			d->htail = &d->held;
		free(h);
		moved++;
	}
	return moved;
}

/* ---- registers, locks, counters homed here ---- */

static void src_set(struct hd_dist *d, uint32_t target, uint32_t source)
{
	uint32_t *reg = (uint32_t *)(d->b->chip + tessera_boardreg_src_off(&d->b->geom,
									   &d->b->layout, target));

	__atomic_fetch_or(&reg[source / 32], 1u << (source % 32), __ATOMIC_SEQ_CST);
}

static uint32_t *reg_word(struct hd_dist *d, uint32_t core, uint32_t which)
{
	struct tessera_boardreg_core *r = hd_boardreg_core(d->b, core);

	return which == TESSERA_DIST_REG_PM_FDIV ? &r->pm_fdiv : &r->pm_vlevel;
}

/* Every hand-off of this host's cores that took a ticket so far is shipped. */
static int tickets_done(const struct hd_dist *d)
{
	return d->next_ticket == __atomic_load_n(&hd_boardreg_global(d->b)->dist_ticket,
						 __ATOMIC_SEQ_CST);
}

/* The first waiter of each lock takes it if it is free; returns how many did. */
static int locks_retry(struct hd_dist *d)
{
	struct lock_wait **pp = &d->locks, *w;
	uint32_t tried[64];
	unsigned ntried = 0;
	int moved = 0;

	while ((w = *pp)) {
		struct tessera_crb_core *crb = hd_crb_core(d->b, w->lock);
		int earlier = 0;

		for (unsigned i = 0; i < ntried; i++)
			earlier |= tried[i] == w->lock;
		if (earlier || __atomic_exchange_n(&crb->lock, 1, __ATOMIC_SEQ_CST)) {
			if (!earlier && ntried < 64)
				tried[ntried++] = w->lock;	/* later waiters of it wait too */
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		answer(d, w->host, w->core, w->seq, 0, NULL, 0);
		free(w);
		moved++;
	}
	d->ltail = &d->locks;
	for (w = d->locks; w; w = w->next)
		d->ltail = &w->next;
	/* a lock nobody here waits for any more needs no doorbell at its release */
	for (uint32_t i = 0; i < d->nlocal; i++) {
		uint32_t c = d->local[i];
		int waits = 0;

		for (w = d->locks; w && !waits; w = w->next)
			waits = w->lock == c;
		if (!waits && hd_crb_core(d->b, c)->lock_waiters)
			__atomic_store_n(&hd_crb_core(d->b, c)->lock_waiters, 0, __ATOMIC_SEQ_CST);
	}
	return moved;
}

static void lock_ask(struct hd_dist *d, uint32_t lock, uint32_t host, uint32_t core,
		     uint32_t seq)
{
	struct lock_wait *w = calloc(1, sizeof(*w));

	if (!w) {
		hd_fail(-ENOMEM, "distributed board: out of memory for a lock request");
		return;
	}
	*w = (struct lock_wait){ NULL, lock, host, core, seq };
	*d->ltail = w;
	d->ltail = &w->next;
	/* Dekker with a releasing core of this host (halt.c): it stores the lock, then looks at
	 * lock_waiters; we store lock_waiters, then try the lock. */
	__atomic_store_n(&hd_crb_core(d->b, lock)->lock_waiters, 1, __ATOMIC_SEQ_CST);
	/* a grant shows what the lock's last holder here wrote: only behind its hand-offs
	 * (else hd_dist_step grants it once they are out) */
	if (tickets_done(d))
		locks_retry(d);
}


/* ---- a hand-off of a core of this host ---- */

static int handoff_item(struct hd_dist *d, uint32_t c, const struct tessera_dist_item *it,
			const uint8_t *data)
{
	struct witem w = { .kind = it->kind, .addr = it->addr, .arg = it->arg, .x = it->x,
			   .core = c };
	int h;

	switch (it->kind) {
	case TESSERA_DIST_WRITE:
		if ((h = home_of(d, it->addr, it->len)) == HOME_NONE)
			return -EFAULT;
		w.len = it->len;
		if (h == (int)d->me) {
			store(mem_at(d, it->addr), it->addr, data, it->len);
			return 0;
		}
		for (uint32_t j = 0; j < d->n; j++)
			if (j != d->me && (h == HOME_ALL || h == (int)j) && emit(d, j, &w, data))
				return -ENOMEM;
		return 0;
	case TESSERA_DIST_FETCH:
		h = it->arg <= TESSERA_DIST_IN_BYTES ? home_of(d, it->addr, it->arg) : HOME_NONE;
		if (h == HOME_NONE) {
			answer_core(d, c, it->x, -EFAULT, NULL, 0);
			return -EFAULT;
		}
		if (h == HOME_ALL || h == (int)d->me) {
			answer_core(d, c, it->x, it->arg, mem_at(d, it->addr), it->arg);
			return 0;
		}
		d->busy[c] = 1;
		return emit(d, (uint32_t)h, &w, NULL);
	case TESSERA_DIST_IRQ:
	case TESSERA_DIST_SRC:
	case TESSERA_DIST_UNLOCK:
	case TESSERA_DIST_LOCK:
	case TESSERA_DIST_REG_READ:
	case TESSERA_DIST_REG_WRITE:
		if (!core_ok(d, it->addr) ||
		    ((it->kind == TESSERA_DIST_REG_READ || it->kind == TESSERA_DIST_REG_WRITE) &&
		     it->arg > TESSERA_DIST_REG_PM_VLEVEL))
			return -EINVAL;
		h = d->core_host[it->addr];
		break;
	case TESSERA_DIST_COUNTER:
		if (it->addr >= TESSERA_ATOMIC_COUNTERS)
			return -EINVAL;
		h = 0;
		break;
	default:
		return -EINVAL;
	}
	if (it->kind == TESSERA_DIST_LOCK || it->kind == TESSERA_DIST_COUNTER ||
	    it->kind == TESSERA_DIST_REG_READ)
		d->busy[c] = 1;
	if (h != (int)d->me)
		return emit(d, (uint32_t)h, &w, NULL);
	/* homed here: a core's own host (it would have done it itself; served all the same) */
	switch (it->kind) {
	case TESSERA_DIST_IRQ: hd_core_irq_from(d->b, it->addr, TESSERA_IRQ_PEER); break;
	case TESSERA_DIST_SRC: src_set(d, it->addr, c); break;
	case TESSERA_DIST_LOCK: lock_ask(d, it->addr, d->me, c, it->x); break;
	case TESSERA_DIST_UNLOCK:
		__atomic_store_n(&hd_crb_core(d->b, it->addr)->lock, 0, __ATOMIC_SEQ_CST);
		break;
	case TESSERA_DIST_COUNTER:
		answer_core(d, c, it->x, __atomic_fetch_add(&hd_boardreg_global(d->b)->counter[it->addr],
							    it->arg, __ATOMIC_SEQ_CST), NULL, 0);
		break;
	case TESSERA_DIST_REG_READ:
		answer_core(d, c, it->x, __atomic_load_n(reg_word(d, it->addr, it->arg),
							 __ATOMIC_ACQUIRE), NULL, 0);
		break;
	case TESSERA_DIST_REG_WRITE:
		__atomic_store_n(reg_word(d, it->addr, it->arg), it->x, __ATOMIC_RELEASE);
		break;
	}
	return 0;
}

/* The items of one entry (copied out of the core's reach); a malformed item ends it. */
static void handoff(struct hd_dist *d, uint32_t c, const uint8_t *p, uint32_t n)
{
	while (n >= sizeof(struct tessera_dist_item)) {
		struct tessera_dist_item it;
		uint32_t data;

		memcpy(&it, p, sizeof(it));
		data = it.kind == TESSERA_DIST_WRITE ? (it.len + 7u) & ~7u : 0;
		if ((it.kind == TESSERA_DIST_WRITE && (!it.len || it.len > TESSERA_DIST_WRITE_MAX)) ||
		    sizeof(it) + data > n || handoff_item(d, c, &it, p + sizeof(it))) {
			d->refused++;
			return;
		}
		p += sizeof(it) + data;
		n -= (uint32_t)(sizeof(it) + data);
	}
	if (n)
		d->refused++;
}

/* The first published entry of core c's outbox past the pads: 1 with its offset and
 * header, 0 when there is none, -1 when the outbox cannot be right. */
static int head_entry(struct hd_dist *d, uint32_t c, struct tessera_dist_entry *e)
{
	struct tessera_hostwin *hw = hd_hostwin(d->b, c);

	for (;;) {
		uint32_t head = __atomic_load_n(&hw->dist_ctl.head, __ATOMIC_ACQUIRE);
		uint32_t tail = d->tail[c], at = tail & RING_MASK;

		if (head == tail)
			return 0;
		memcpy(e, hw->dist_out + at, sizeof(*e));
		if (head - tail > TESSERA_DIST_OUT_BYTES || e->bytes < sizeof(*e) || e->bytes % 8 ||
		    e->bytes > ENTRY_MAX || e->bytes > head - tail ||
		    at + e->bytes > TESSERA_DIST_OUT_BYTES)
			return -1;
		if (e->ticket != TESSERA_DIST_PAD)
			return 1;
		d->tail[c] += e->bytes;
	}
}

/* Core c's outbox is consumed up to d->tail[c]: tell it, and wake it if it waits for room. */
static void consumed(struct hd_dist *d, uint32_t c)
{
	struct tessera_dist_ctl *k = &hd_hostwin(d->b, c)->dist_ctl;

	__atomic_store_n(&k->tail, d->tail[c], __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&k->waiting, __ATOMIC_SEQ_CST))
		hd_core_irq(d->b, c);
}

/* Where core c's next entry is: into cand[] (returns 1), or nowhere (0; a broken outbox is
 * dropped on the way). */
static int candidate(struct hd_dist *d, uint32_t c, struct cand *out)
{
	struct tessera_dist_entry e;
	int r = head_entry(d, c, &e);

	if (r < 0) {		/* a broken outbox: what is in it is dropped */
		d->refused++;
		d->tail[c] = __atomic_load_n(&hd_hostwin(d->b, c)->dist_ctl.head, __ATOMIC_ACQUIRE);
		consumed(d, c);
	}
	if (r <= 0)
		return 0;
	out->core = c;
	out->ticket = e.ticket;
	return 1;
}

/* Ship the hand-offs of this host's cores in ticket order; returns how many. The cores with
 * a published entry are found once, then only the one just served is looked at again: an
 * entry published meanwhile by another waits for the next step. */
static int handoffs(struct hd_dist *d)
{
	uint32_t taken = __atomic_load_n(&hd_boardreg_global(d->b)->dist_ticket, __ATOMIC_SEQ_CST);
	uint32_t n = 0;
	int moved = 0;

	if (d->next_ticket == taken)
		return 0;
	for (uint32_t i = 0; i < d->nlocal; i++)
		n += (uint32_t)candidate(d, d->local[i], &d->cand[n]);
	while (d->next_ticket != taken) {
		uint32_t best = UINT32_MAX, at = 0, span = taken - d->next_ticket;
		struct tessera_dist_entry e;
		uint32_t c;

		for (uint32_t i = 0; i < n && best; i++) {
			uint32_t dist = d->cand[i].ticket - d->next_ticket;

			if (dist >= span) {
				taken = __atomic_load_n(&hd_boardreg_global(d->b)->dist_ticket,
							__ATOMIC_SEQ_CST);
				span = taken - d->next_ticket;
				if (dist >= span)	/* a ticket never handed out: take it now */
					dist = 0;
			}
			if (dist < best) {
				best = dist;
				at = i;
			}
		}
		if (best) {
			uint64_t now = hd_now_ns(CLOCK_MONOTONIC);

			/* a ticket taken but not yet published (its core is between the two) */
			if (!d->stall_since)
				d->stall_since = now;
			if (now - d->stall_since < STALL_NS)
				break;
			d->refused++;
			d->stall_since = 0;
			if (best == UINT32_MAX) {	/* nobody will publish them */
				d->next_ticket = taken;
				break;
			}
			d->next_ticket += best;
		}
		d->stall_since = 0;
		c = d->cand[at].core;
		head_entry(d, c, &e);
		memcpy(d->entry, hd_hostwin(d->b, c)->dist_out + (d->tail[c] & RING_MASK), e.bytes);
		d->tail[c] += e.bytes;
		consumed(d, c);
		handoff(d, c, d->entry + sizeof(e), e.bytes - (uint32_t)sizeof(e));
		d->next_ticket++;
		moved++;
		if (!candidate(d, c, &d->cand[at]))
			d->cand[at] = d->cand[--n];
	}
	return moved;
}

/* ---- messages from other hosts ---- */

static int asks(uint16_t kind)
{
	return kind == TESSERA_DIST_FETCH || kind == TESSERA_DIST_LOCK ||
	       kind == TESSERA_DIST_COUNTER || kind == TESSERA_DIST_REG_READ;
}

static int deliver_item(struct hd_dist *d, uint32_t from, const struct witem *it,
			const uint8_t *data)
{
	int h;

	switch (it->kind) {
	case TESSERA_DIST_WRITE:
		h = home_of(d, it->addr, it->len);
		if (h != HOME_ALL && h != (int)d->me)
			return -EFAULT;
		store(mem_at(d, it->addr), it->addr, data, it->len);
		return 0;
	case TESSERA_DIST_FETCH:
		h = it->arg <= TESSERA_DIST_IN_BYTES ? home_of(d, it->addr, it->arg) : HOME_NONE;
		if (h != HOME_ALL && h != (int)d->me) {
			answer(d, from, it->core, it->x, -EFAULT, NULL, 0);
			return -EFAULT;
		}
		answer(d, from, it->core, it->x, it->arg, mem_at(d, it->addr), it->arg);
		return 0;
	case KIND_ANSWER:
		answer_core(d, it->core, it->x, it->ret, data, it->len);
		return 0;
	case TESSERA_DIST_COUNTER:
		if (d->me != 0 || it->addr >= TESSERA_ATOMIC_COUNTERS)
			return -EINVAL;
		answer(d, from, it->core, it->x,
		       __atomic_fetch_add(&hd_boardreg_global(d->b)->counter[it->addr], it->arg,
					  __ATOMIC_SEQ_CST), NULL, 0);
		return 0;
	}
	if (!here(d, it->addr) || (it->kind == TESSERA_DIST_SRC && !core_ok(d, it->core)))
		return -EINVAL;
	switch (it->kind) {
	case TESSERA_DIST_IRQ: hd_core_irq_from(d->b, it->addr, TESSERA_IRQ_PEER); break;
	case TESSERA_DIST_SRC: src_set(d, it->addr, it->core); break;
	case TESSERA_DIST_LOCK: lock_ask(d, it->addr, from, it->core, it->x); break;
	case TESSERA_DIST_UNLOCK:
		/* its waiters take it in the step, once this host's hand-offs are out */
		__atomic_store_n(&hd_crb_core(d->b, it->addr)->lock, 0, __ATOMIC_SEQ_CST);
		break;
	case TESSERA_DIST_REG_READ:
		if (it->arg > TESSERA_DIST_REG_PM_VLEVEL)
			return -EINVAL;
		answer(d, from, it->core, it->x, __atomic_load_n(reg_word(d, it->addr, it->arg),
								 __ATOMIC_ACQUIRE), NULL, 0);
		break;
	case TESSERA_DIST_REG_WRITE:
		if (it->arg > TESSERA_DIST_REG_PM_VLEVEL)
			return -EINVAL;
		__atomic_store_n(reg_word(d, it->addr, it->arg), it->x, __ATOMIC_RELEASE);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

void hd_dist_input(struct hd_dist *d, uint32_t from, void *buf, size_t n)
{
	const struct wire_hdr *h = buf;
	const struct mat_change *c;
	uint32_t *known;
	struct qmsg *q;
	size_t off;

	if (from >= d->n || from == d->me || n < sizeof(*h) || h->magic != WIRE_MAGIC ||
	    h->nmat > (n - sizeof(*h)) / sizeof(*c) || !(q = calloc(1, sizeof(*q)))) {
		d->refused++;
		free(buf);
		return;
	}
	if (!(q->need = calloc(d->n, sizeof(uint32_t)))) {
		free(q);
		free(buf);
		d->refused++;
		return;
	}
	known = d->known + (size_t)from * d->n * d->n;
	c = (const struct mat_change *)(h + 1);
	for (uint32_t i = 0; i < h->nmat; i++)
		if (c[i].k < d->n && c[i].l < d->n)
			known[c[i].k * d->n + c[i].l] = c[i].v;
	for (uint32_t k = 0; k < d->n; k++)
		q->need[k] = known[k * d->n + d->me];
	q->from = from;
	q->chg = c;
	q->nchg = h->nmat;
	off = sizeof(*h) + h->nmat * sizeof(*c);
	q->items = (const uint8_t *)buf + off;
	q->items_n = n - off;
	q->buf = buf;
	for (size_t p = 0; p + sizeof(struct witem) <= q->items_n;) {
		const struct witem *it = (const struct witem *)(q->items + p);

		q->asks |= asks(it->kind);
		p += sizeof(*it) + ((it->len + 7u) & ~7u);
	}
	*d->qtail = q;
	d->qtail = &q->next;
}

static void deliver(struct hd_dist *d, struct qmsg *q)
{
	size_t p = 0;

	while (p + sizeof(struct witem) <= q->items_n) {
		struct witem it;
		size_t data;

		memcpy(&it, q->items + p, sizeof(it));
		data = (it.len + 7u) & ~7u;
		if (sizeof(it) + data > q->items_n - p ||
		    (it.kind == KIND_ANSWER ? it.len > TESSERA_DIST_IN_BYTES :
		     it.len > TESSERA_DIST_WRITE_MAX) ||
		    deliver_item(d, q->from, &it, q->items + p + sizeof(it)))
			d->refused++;
		if (sizeof(it) + data > q->items_n - p)
			break;
		p += sizeof(it) + data;
	}
	d->deliv[q->from]++;
	for (uint32_t i = 0; i < q->nchg; i++) {
		uint32_t *s;

		if (q->chg[i].k >= d->n || q->chg[i].l >= d->n)
			continue;
		s = &d->sent[q->chg[i].k * d->n + q->chg[i].l];
		if ((int32_t)(q->chg[i].v - *s) > 0)
			*s = q->chg[i].v;
	}
	if ((int32_t)(d->deliv[q->from] - d->sent[q->from * d->n + d->me]) > 0)
		d->sent[q->from * d->n + d->me] = d->deliv[q->from];
	d->traffic++;
}

static int deliverable(const struct hd_dist *d, const struct qmsg *q)
{
	for (uint32_t k = 0; k < d->n; k++)
		if ((int32_t)(d->deliv[k] - q->need[k]) < 0)
			return 0;
	return 1;
}

/* Deliver what the causal order allows, oldest first; returns how many. */
static int deliver_all(struct hd_dist *d)
{
	int moved = 0, again = 1;

	while (again) {
		again = 0;
		for (struct qmsg **pp = &d->q, *q; (q = *pp); pp = &q->next) {
			if (!deliverable(d, q) || (q->asks && !tickets_done(d)))
				continue;
			*pp = q->next;
			if (d->qtail == &q->next)
				d->qtail = pp;
			deliver(d, q);
			free(q->need);
			free(q->buf);
			free(q);
			moved++;
			again = 1;
			break;
		}
	}
	return moved;
}

int hd_dist_step(struct hd_dist *d)
{
	int moved = handoffs(d);

	moved += deliver_all(d);
	if (d->locks && tickets_done(d))
		moved += locks_retry(d);
	moved += held_send(d);
	moved += send_all(d);
	return moved;
}

/* ---- life ---- */

struct hd_dist *hd_dist_new(struct hd_board *b, const struct hd_dist_net *net,
			    const uint8_t *core_host)
{
	uint32_t ncores = tessera_cores(&b->geom), n = net->nhosts;
	struct hd_dist *d;
	size_t nn = (size_t)n * n;

	if (!n || n > TESSERA_DIST_MAX_HOSTS || net->me >= n) {
		hd_fail(-EINVAL, "distributed board: host %u of %u (at most %u hosts)", net->me, n,
			TESSERA_DIST_MAX_HOSTS);
		return NULL;
	}
	if (!(d = calloc(1, sizeof(*d))) || !(d->local = calloc(ncores, sizeof(uint32_t))) ||
	    !(d->sent = calloc(nn, sizeof(uint32_t))) ||
	    !(d->told = calloc(nn * n, sizeof(uint32_t))) ||
	    !(d->known = calloc(nn * n, sizeof(uint32_t))) ||
	    !(d->deliv = calloc(n, sizeof(uint32_t))) || !(d->out = calloc(n, sizeof(*d->out))) ||
	    !(d->tail = calloc(ncores, sizeof(uint32_t))) || !(d->busy = calloc(ncores, 1)) ||
	    !(d->cand = calloc(ncores, sizeof(*d->cand)))) {
		hd_dist_free(d);
		hd_fail(-ENOMEM, "out of memory");
		return NULL;
	}
	d->b = b;
	d->net = *net;
	d->me = net->me;
	d->n = n;
	memcpy(d->core_host, core_host, TESSERA_MAX_CORES);
	d->qtail = &d->q;
	d->ltail = &d->locks;
	d->htail = &d->held;
	for (uint32_t c = 0; c < ncores; c++) {
		if (d->core_host[c] >= n) {
			hd_dist_free(d);
			hd_fail(-EINVAL, "distributed board: core %u on host %u of %u", c,
				d->core_host[c], n);
			return NULL;
		}
		if (d->core_host[c] == d->me) {
			d->local[d->nlocal++] = c;
			memset(&hd_hostwin(b, c)->dist_ctl, 0, sizeof(struct tessera_dist_ctl));
		}
	}
	d->next_ticket = __atomic_load_n(&hd_boardreg_global(b)->dist_ticket, __ATOMIC_SEQ_CST);
	return d;
}

void hd_dist_free(struct hd_dist *d)
{
	if (!d)
		return;
	while (d->q) {
		struct qmsg *q = d->q;

		d->q = q->next;
		free(q->need);
		free(q->buf);
		free(q);
	}
	while (d->locks) {
		struct lock_wait *w = d->locks;

		d->locks = w->next;
		free(w);
	}
	while (d->held) {
		struct held *h = d->held;

		d->held = h->next;
		free(h);
	}
	for (uint32_t j = 0; d->out && j < d->n; j++)
		free(d->out[j].p);
	free(d->out);
	free(d->local);
	free(d->sent);
	free(d->told);
	free(d->known);
	free(d->deliv);
	free(d->tail);
	free(d->busy);
	free(d->cand);
	free(d);
}

int hd_dist_waiting(const struct hd_dist *d, uint32_t core)
{
	return core < tessera_cores(&d->b->geom) && d->busy[core];
}

uint64_t hd_dist_traffic(const struct hd_dist *d)
{
	return d->traffic;
}

uint64_t hd_dist_refused(const struct hd_dist *d)
{
	return d->refused;
}
