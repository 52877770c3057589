/* SPDX-License-Identifier: MIT */
/*
 * fake_mpbc.c: mpbc.h over the shared byte rings of fake.h. A message is a 24-byte header
 * (envelope, length) and its payload, streamed through the ring as room allows, so messages
 * of any length pass through a fixed ring and a slow receiver only slows the sender.
 */
#include <errno.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "fake.h"
#include "mpbc.h"

#define HDR_BYTES 24

struct fsend {
	struct fsend *next;
	uint32_t dst;
	int done, hdr_done;
	struct mpbc_env env;
	const uint8_t *buf;
	size_t len, pos;
};
_Static_assert(sizeof(struct fsend) <= sizeof(struct mpbc_send), "fsend");

struct frecv {
	uint32_t src;
	int done;
};
_Static_assert(sizeof(struct frecv) <= sizeof(struct mpbc_recv), "frecv");

struct insrc {
	int state;	/* 0 idle, 1 header read, 2 receiving */
	struct mpbc_env env;
	size_t len, pos, cap;
	uint8_t *buf;
	struct frecv *r;
};

static struct fake_hdr *h;
static int me, n;
static struct fsend *qhead[FAKE_MAX_RANKS], *qtail[FAKE_MAX_RANKS];
static struct insrc in[FAKE_MAX_RANKS];
static int fair;
static uint32_t seen;

int mpbc_init(void)
{
	h = fake_attach();
	me = fake_rank();
	n = h->nranks;
	return 0;
}

static uint64_t room(struct fake_ring *r)
{
	return FAKE_RING_BYTES - (__atomic_load_n(&r->head, __ATOMIC_RELAXED) -
				  __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE));
}

static uint64_t avail(struct fake_ring *r)
{
	return __atomic_load_n(&r->head, __ATOMIC_ACQUIRE) -
	       __atomic_load_n(&r->tail, __ATOMIC_RELAXED);
}

static void put(struct fake_ring *r, const void *src, size_t len)
{
	uint64_t at = r->head & (FAKE_RING_BYTES - 1);
	size_t first = len < FAKE_RING_BYTES - at ? len : FAKE_RING_BYTES - at;

	memcpy(r->data + at, src, first);
	memcpy(r->data, (const uint8_t *)src + first, len - first);
	__atomic_store_n(&r->head, r->head + len, __ATOMIC_RELEASE);
}

static void get(struct fake_ring *r, void *dst, size_t len)
{
	uint64_t at = r->tail & (FAKE_RING_BYTES - 1);
	size_t first = len < FAKE_RING_BYTES - at ? len : FAKE_RING_BYTES - at;

	if (dst) {
		memcpy(dst, r->data + at, first);
		memcpy((uint8_t *)dst + first, r->data, len - first);
	}
	__atomic_store_n(&r->tail, r->tail + len, __ATOMIC_RELEASE);
}

/* Moves queued sends to dst into its ring; returns 1 if bytes moved. */
static int pump(uint32_t dst)
{
	struct fake_ring *r = fake_ring(h, me, (int)dst);
	struct fsend *s;
	int moved = 0;

	while ((s = qhead[dst])) {
		if (!s->hdr_done) {
			uint8_t hd[HDR_BYTES];
			uint64_t len = s->len;

			if (room(r) < HDR_BYTES)
				break;
			memcpy(hd, &s->env, 16);
			memcpy(hd + 16, &len, 8);
			put(r, hd, HDR_BYTES);
			s->hdr_done = 1;
			moved = 1;
		}
		while (s->pos < s->len) {
			uint64_t k = room(r);

			if (k == 0)
				break;
			if (k > s->len - s->pos)
				k = s->len - s->pos;
			put(r, s->buf + s->pos, (size_t)k);
			s->pos += (size_t)k;
			moved = 1;
		}
		if (s->pos < s->len)
			break;
		s->done = 1;
		qhead[dst] = s->next;
		if (!qhead[dst])
			qtail[dst] = NULL;
	}
	if (moved)
		fake_wake((int)dst);
	return moved;
}

int mpbc_isend(struct mpbc_send *sp, uint32_t dst, const struct mpbc_env *env, const void *buf,
	       size_t len)
{
	struct fsend *s = (struct fsend *)sp;

	if (!h || dst >= (uint32_t)n || !env || (len && !buf))
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->dst = dst;
	s->env = *env;
	s->buf = buf;
	s->len = len;
	if (qtail[dst])
		qtail[dst]->next = s;
	else
		qhead[dst] = s;
	qtail[dst] = s;
	pump(dst);
	return 0;
}

int mpbc_send_test(struct mpbc_send *sp)
{
	struct fsend *s = (struct fsend *)sp;

	if (!s->done)
		pump(s->dst);
	return s->done ? 0 : -EAGAIN;
}

/* Copies what has arrived of the message being received from src. */
static int pull(uint32_t src)
{
	struct insrc *i = &in[src];
	struct fake_ring *r = fake_ring(h, (int)src, me);
	int moved = 0;

	while (i->state == 2 && i->pos < i->len) {
		uint64_t k = avail(r);

		if (k == 0)
			break;
		if (k > i->len - i->pos)
			k = i->len - i->pos;
		if (i->pos < i->cap) {
			size_t c = i->cap - i->pos < k ? i->cap - i->pos : (size_t)k;

			get(r, i->buf + i->pos, c);
			if (k > c)
				get(r, NULL, (size_t)(k - c));
		} else {
			get(r, NULL, (size_t)k);
		}
		i->pos += (size_t)k;
		moved = 1;
	}
	if (i->state == 2 && i->pos == i->len) {
		i->state = 0;
		i->r->done = 1;
	}
	if (moved)
		fake_wake((int)src);	/* the sender may wait for room */
	return moved;
}

static int peek1(uint32_t src, uint32_t *from, struct mpbc_env *env, size_t *len)
{
	struct insrc *i = &in[src];
	struct fake_ring *r = fake_ring(h, (int)src, me);

	if (i->state == 2)
		return -EAGAIN;
	if (i->state == 0) {
		uint8_t hd[HDR_BYTES];
		uint64_t l;

		if (avail(r) < HDR_BYTES)
			return -EAGAIN;
		get(r, hd, HDR_BYTES);
		memcpy(&i->env, hd, 16);
		memcpy(&l, hd + 16, 8);
		i->len = (size_t)l;
		i->state = 1;
		fake_wake((int)src);
	}
	if (from)
		*from = src;
	if (env)
		*env = i->env;
	if (len)
		*len = i->len;
	return 0;
}

int mpbc_peek(int src, uint32_t *from, struct mpbc_env *env, size_t *len)
{
	int k;

	if (!h)
		return -EINVAL;
	if (src != MPBC_ANY_SOURCE) {
		if (src < 0 || src >= n)
			return -EINVAL;
		return peek1((uint32_t)src, from, env, len);
	}
	for (k = 0; k < n; k++) {
		uint32_t s = (uint32_t)((fair + k) % n);

		if (peek1(s, from, env, len) == 0) {
			fair = (int)s + 1;
			return 0;
		}
	}
	return -EAGAIN;
}

int mpbc_irecv(struct mpbc_recv *rp, uint32_t src, void *buf, size_t cap)
{
	struct frecv *r = (struct frecv *)rp;
	struct insrc *i;

	if (!h || src >= (uint32_t)n || (cap && !buf))
		return -EINVAL;
	i = &in[src];
	if (i->state == 2)
		return -EBUSY;
	if (i->state == 0 && peek1(src, NULL, NULL, NULL))
		return -EAGAIN;
	r->src = src;
	r->done = 0;
	i->state = 2;
	i->pos = 0;
	i->cap = cap < i->len ? cap : i->len;
	i->buf = buf;
	i->r = r;
	pull(src);
	return 0;
}

/* Every message goes through a receive here (no message is "one record"): one a call. */
int mpbc_take(int src, int max, mpbc_place_fn *place, void *arg)
{
	struct mpbc_place pl = { 0, NULL, 0, NULL };
	struct mpbc_env env;
	uint32_t from;
	size_t len;
	int rc = mpbc_peek(src, &from, &env, &len);

	if (rc)
		return rc;
	if (!place(arg, from, &env, len, &pl))
		return 0;
	if (!pl.rreq)
		return -E2BIG;
	rc = mpbc_irecv(pl.rreq, from, pl.buf, pl.cap);
	(void)max;
	return rc ? rc : 1;
}

int mpbc_recv_test(struct mpbc_recv *rp)
{
	struct frecv *r = (struct frecv *)rp;

	if (!r->done)
		pull(r->src);
	return r->done ? 0 : -EAGAIN;
}

int mpbc_progress(void)
{
	int k, moved = 0;

	for (k = 0; k < n; k++) {
		if (qhead[k])
			moved += pump((uint32_t)k);
		if (in[k].state == 2)
			moved += pull((uint32_t)k);
	}
	return moved;
}

void mpbc_wait(void)
{
	uint32_t v = __atomic_load_n(&h->doorbell[me], __ATOMIC_ACQUIRE);
	struct timespec ts = { 5, 0 };	/* long: a lost wake-up shows as a stall */

	if (v == seen) {
		syscall(SYS_futex, &h->doorbell[me], FUTEX_WAIT, v, &ts, NULL, 0);
		v = __atomic_load_n(&h->doorbell[me], __ATOMIC_ACQUIRE);
	}
	seen = v;
}

/* The fake rings free room as the receiver reads: no ack is ever left due. */
void mpbc_ack_flush(void)
{
}

/* The fake channels keep nothing in shared DRAM. */
uint64_t mpbc_shared_bytes(void)
{
	return 0;
}

/* The fast paths of mpbc.h are optional for a transport: this one always says "use the
 * request path", which the MPI layer must then take. */
int mpbc_send_now(uint32_t dst, const struct mpbc_env *env, const void *buf, size_t len)
{
	(void)dst, (void)env, (void)buf, (void)len;
	return -EAGAIN;
}

int mpbc_recv_now(uint32_t src, void *buf, size_t cap)
{
	(void)src, (void)buf, (void)cap;
	return -E2BIG;
}

int mpbc_wait_from(int src)
{
	(void)src;
	mpbc_wait();
	return 1;
}
