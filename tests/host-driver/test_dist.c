// SPDX-License-Identifier: MIT
/*
 * test_dist.c: the engine of a distributed board (host-driver/dist.c) with two or three
 * hosts in one process: each host a real board, the network a loopback whose messages the
 * test can hold back, and the cores played by the test, which writes their hand-offs into
 * the outboxes as the tile kernel does (tile-kernel/dist.c). What is checked: stores reach
 * their home (shared DRAM every other host), fetches answer with the home's memory, hand-offs
 * leave in ticket order, a message waits for its causal past, answers wait for earlier
 * tickets, locks, counters, interrupts and source bits at home, and bad input is refused.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hd_impl.h"
#include "dist.h"

#define HOSTS_MAX 3
#define QMAX 64

struct msg {
	uint32_t from;
	int ch;
	void *buf;
	size_t n;
};

/* The loopback: a queue per destination; messages from `held_from` to `held_to` wait aside
 * until released. */
static struct {
	struct msg q[HOSTS_MAX][QMAX];
	uint32_t nq[HOSTS_MAX];
	struct msg held[QMAX];
	uint32_t nheld;
	int held_from, held_to;
	uint32_t sent[HOSTS_MAX][HOSTS_MAX];
} lb;

struct host {
	struct hd_dist_net net;
	struct hd_board *b;
	struct hd_dist *d;
	uint32_t id;
};

static struct host H[HOSTS_MAX];
static uint32_t nhosts;
static uint8_t core_host[TESSERA_MAX_CORES];

static int lb_send(void *ctx, uint32_t to, int ch, void *buf, size_t n)
{
	struct host *h = ctx;
	struct msg m = { h->id, ch, buf, n };

	lb.sent[h->id][to]++;
	if ((int)h->id == lb.held_from && (int)to == lb.held_to)
		lb.held[lb.nheld++] = m;
	else
		lb.q[to][lb.nq[to]++] = m;
	return 0;
}

static int lb_recv(void *ctx, uint32_t *from, int *ch, void **buf, size_t *n)
{
	struct host *h = ctx;

	if (!lb.nq[h->id])
		return 0;
	*from = lb.q[h->id][0].from;
	*ch = lb.q[h->id][0].ch;
	*buf = lb.q[h->id][0].buf;
	*n = lb.q[h->id][0].n;
	memmove(&lb.q[h->id][0], &lb.q[h->id][1], --lb.nq[h->id] * sizeof(struct msg));
	return 1;
}

static int lb_pending(void *ctx)
{
	(void)ctx;
	return 0;
}

static void release_held(void)
{
	for (uint32_t i = 0; i < lb.nheld; i++)
		lb.q[lb.held_to][lb.nq[lb.held_to]++] = lb.held[i];
	lb.nheld = 0;
	lb.held_from = lb.held_to = -1;
}

/* n hosts over scc48, tiles split by hd_dist_map's default. */
static void setup(uint32_t n)
{
	struct tessera_geom g;
	uint8_t th[TESSERA_MAX_TILES];

	memset(&lb, 0, sizeof(lb));
	lb.held_from = lb.held_to = -1;
	nhosts = n;
	cr_assert_eq(hd_geom_preset("scc48", &g), 0);
	cr_assert_eq(hd_dist_map(&g, n, "rows", th), 0);
	for (uint32_t c = 0; c < tessera_cores(&g); c++)
		core_host[c] = th[c / g.cores_per_tile];
	for (uint32_t i = 0; i < n; i++) {
		H[i].id = i;
		H[i].net = (struct hd_dist_net){ &H[i], i, n, lb_send, lb_recv, lb_pending };
		cr_assert_eq(hd_board_create(NULL, &H[i].b), 0, "%s", hd_last_error());
		H[i].d = hd_dist_new(H[i].b, &H[i].net, core_host);
		cr_assert_not_null(H[i].d, "%s", hd_last_error());
	}
}

static void teardown(void)
{
	for (uint32_t i = 0; i < nhosts; i++) {
		hd_dist_free(H[i].d);
		hd_board_close(H[i].b);
	}
	for (uint32_t i = 0; i < HOSTS_MAX; i++)
		for (uint32_t k = 0; k < lb.nq[i]; k++)
			free(lb.q[i][k].buf);
	for (uint32_t k = 0; k < lb.nheld; k++)
		free(lb.held[k].buf);
}

/* Every host takes its messages and steps, until nothing moves. */
static void settle(void)
{
	for (int moved = 1; moved;) {
		moved = 0;
		for (uint32_t i = 0; i < nhosts; i++) {
			uint32_t from;
			void *buf;
			size_t n;
			int ch;

			while (lb_recv(&H[i], &from, &ch, &buf, &n)) {
				hd_dist_input(H[i].d, from, buf, n);
				moved = 1;
			}
			moved |= hd_dist_step(H[i].d) > 0;
		}
	}
}

/* ---- a core's side, as tile-kernel/dist.c writes it ---- */

struct entry {
	uint8_t buf[4096];
	uint32_t n;
};

static void item(struct entry *e, uint16_t kind, uint32_t addr, uint32_t arg, uint32_t x,
		 const void *data, uint16_t len)
{
	struct tessera_dist_item it = { kind, len, addr, arg, x };

	memcpy(e->buf + e->n, &it, sizeof(it));
	e->n += sizeof(it);
	if (len)
		memcpy(e->buf + e->n, data, len);
	e->n += (len + 7u) & ~7u;
}

/* Write entry e into core's outbox with `ticket` (taken by the caller), and publish it
 * unless publish is 0 (returns the end it would publish). */
static uint32_t put_entry(struct host *h, uint32_t core, const struct entry *e, uint32_t ticket,
			  int publish)
{
	struct tessera_hostwin *hw = hd_hostwin(h->b, core);
	uint32_t head = hw->dist_ctl.head;
	struct tessera_dist_entry hdr = { ticket, (uint32_t)sizeof(hdr) + e->n };

	memcpy(hw->dist_out + (head & (TESSERA_DIST_OUT_BYTES - 1)), &hdr, sizeof(hdr));
	memcpy(hw->dist_out + (head & (TESSERA_DIST_OUT_BYTES - 1)) + sizeof(hdr), e->buf, e->n);
	if (publish)
		__atomic_store_n(&hw->dist_ctl.head, head + hdr.bytes, __ATOMIC_RELEASE);
	return head + hdr.bytes;
}

static uint32_t ticket(struct host *h)
{
	return __atomic_fetch_add(&hd_boardreg_global(h->b)->dist_ticket, 1, __ATOMIC_SEQ_CST);
}

static void handoff(struct host *h, uint32_t core, const struct entry *e)
{
	put_entry(h, core, e, ticket(h), 1);
}

/* ---- what can be seen ---- */

static uint8_t *mpb(struct host *h, uint32_t tile)
{
	return h->b->chip + tessera_mpb_off(&h->b->layout, tile);
}

static uint32_t mpb_addr(struct host *h, uint32_t tile)
{
	return tessera_mpb_addr(&h->b->geom, tile);
}

static struct tessera_dist_ctl *ctl(struct host *h, uint32_t core)
{
	return &hd_hostwin(h->b, core)->dist_ctl;
}

/* With two hosts in rows: tiles 0-11 (cores 0-23) on host 0, tiles 12-23 on host 1. */
#define T1 12u		/* a tile of host 1 */
#define C1 24u		/* a core of host 1 */

TestSuite(dist, .fini = teardown);

Test(dist, a_store_reaches_its_home_and_no_other_host)
{
	struct entry e = { .n = 0 };

	setup(2);
	item(&e, TESSERA_DIST_WRITE, mpb_addr(&H[0], T1) + 64, 0, 0, "hello, world", 12);
	handoff(&H[0], 0, &e);
	settle();
	cr_expect_arr_eq(mpb(&H[1], T1) + 64, "hello, world", 12);
	cr_expect_eq(mpb(&H[0], T1)[64], 0, "the store went to host 1, not into host 0's copy");
	cr_expect_eq(ctl(&H[0], 0)->tail, ctl(&H[0], 0)->head, "the outbox is consumed");
	cr_expect_eq(lb.sent[0][1], 1);
}

Test(dist, a_store_of_shared_dram_reaches_every_other_host)
{
	struct entry e = { .n = 0 };
	uint64_t off;

	setup(3);
	off = H[0].b->layout.shared_off + 4096;
	item(&e, TESSERA_DIST_WRITE, TESSERA_ADDR_SHARED + 4096, 0, 0, "replica", 7);
	handoff(&H[0], 0, &e);
	settle();
	cr_expect_arr_eq(H[1].b->chip + off, "replica", 7);
	cr_expect_arr_eq(H[2].b->chip + off, "replica", 7);
	cr_expect_eq(H[0].b->chip[off], 0, "the writing core stores its own replica itself");
}

Test(dist, a_batch_is_one_message_per_host_whatever_it_spans)
{
	struct entry e = { .n = 0 };
	static uint8_t data[4096];

	setup(2);
	for (uint32_t k = 0; k < 3; k++)
		item(&e, TESSERA_DIST_WRITE, mpb_addr(&H[0], T1) + k * 1024, 0, 0, data, 1024);
	item(&e, TESSERA_DIST_IRQ, C1, 0, 0, NULL, 0);
	handoff(&H[0], 0, &e);
	settle();
	cr_expect_eq(lb.sent[0][1], 1, "stores of 96 lines and an interrupt: one message");
}

Test(dist, a_fetch_answers_with_the_home_memory)
{
	struct entry e = { .n = 0 };
	struct tessera_hostwin *hw;

	setup(2);
	memcpy(mpb(&H[1], T1) + 96, "fresh at home", 13);
	memcpy(mpb(&H[0], T1) + 96, "stale copy!!!", 13);
	item(&e, TESSERA_DIST_FETCH, mpb_addr(&H[0], T1) + 96, 32, 5, NULL, 0);
	handoff(&H[0], 3, &e);
	hd_dist_step(H[0].d);
	cr_expect(hd_dist_waiting(H[0].d, 3), "core 3 waits for host 1");
	settle();
	hw = hd_hostwin(H[0].b, 3);
	cr_expect_eq(hw->dist_ctl.resp_seq, 5);
	cr_expect_eq(hw->dist_ctl.ret, 32);
	cr_expect_arr_eq(hw->dist_in, "fresh at home", 13);
	cr_expect_eq(hd_boardreg_core(H[0].b, 3)->irq, TESSERA_IRQ_HOST, "the answer interrupts the core");
	cr_expect_not(hd_dist_waiting(H[0].d, 3));
}

/* Two cores store to one place; the host ships in ticket order, not in core order. */
static void race(int zero_first, char want)
{
	struct entry a = { .n = 0 }, b = { .n = 0 };
	uint32_t t0, t1;

	setup(2);
	item(&a, TESSERA_DIST_WRITE, mpb_addr(&H[0], T1), 0, 0, "A", 1);
	item(&b, TESSERA_DIST_WRITE, mpb_addr(&H[0], T1), 0, 0, "B", 1);
	t0 = ticket(&H[0]);
	t1 = ticket(&H[0]);
	put_entry(&H[0], 5, &a, zero_first ? t1 : t0, 1);	/* core 5 writes A */
	put_entry(&H[0], 0, &b, zero_first ? t0 : t1, 1);	/* core 0 writes B */
	settle();
	cr_expect_eq(mpb(&H[1], T1)[0], want);
}

Test(dist, hand_offs_leave_in_ticket_order_b_last)
{
	race(0, 'B');
}

Test(dist, hand_offs_leave_in_ticket_order_a_last)
{
	race(1, 'A');
}

Test(dist, a_message_waits_for_its_causal_past)
{
	struct entry x = { .n = 0 }, f = { .n = 0 }, y = { .n = 0 };
	uint8_t th[TESSERA_MAX_TILES];
	struct tessera_geom g;

	/* three hosts in rows: tiles 0-7 host 0, 8-15 host 1, 16-23 host 2 */
	setup(3);
	hd_geom_preset("scc48", &g);
	hd_dist_map(&g, 3, "rows", th);
	cr_assert_eq(th[8], 1);
	cr_assert_eq(th[16], 2);
	/* host 0 stores X on host 1 (held back in the network), then F on host 2 */
	lb.held_from = 0;
	lb.held_to = 1;
	item(&x, TESSERA_DIST_WRITE, mpb_addr(&H[0], 8), 0, 0, "X", 1);
	handoff(&H[0], 0, &x);
	hd_dist_step(H[0].d);
	item(&f, TESSERA_DIST_WRITE, mpb_addr(&H[0], 16), 0, 0, "F", 1);
	handoff(&H[0], 0, &f);
	settle();
	cr_expect_eq(mpb(&H[2], 16)[0], 'F');
	/* a core of host 2 saw F and stores Y on host 1: Y may not land before X */
	item(&y, TESSERA_DIST_WRITE, mpb_addr(&H[0], 8) + 32, 0, 0, "Y", 1);
	handoff(&H[2], 32, &y);
	settle();
	cr_expect_eq(mpb(&H[1], 8)[32], 0, "Y waits: X, which it depends on, is not there yet");
	release_held();
	settle();
	cr_expect_eq(mpb(&H[1], 8)[0], 'X');
	cr_expect_eq(mpb(&H[1], 8)[32], 'Y');
}

/* On two hosts (setup(2)), a core of host 1 has taken a ticket for a store to host 0's MPB
 * it has still to publish; core 0 of host 0 hands off `ask` (a request homed on host 1, seq
 * `seq`): it is answered only once the store is out, and the store arrives first. */
static void answered_behind_a_ticket(const struct entry *ask, uint32_t seq)
{
	struct entry w = { .n = 0 };
	uint32_t t, end;

	item(&w, TESSERA_DIST_WRITE, mpb_addr(&H[0], 0), 0, 0, "W", 1);
	t = ticket(&H[1]);
	end = put_entry(&H[1], C1, &w, t, 0);
	handoff(&H[0], 0, ask);
	settle();
	cr_expect_eq(ctl(&H[0], 0)->resp_seq, 0, "no answer while an earlier ticket is out");
	__atomic_store_n(&ctl(&H[1], C1)->head, end, __ATOMIC_RELEASE);
	settle();
	cr_expect_eq(ctl(&H[0], 0)->resp_seq, seq);
	cr_expect_eq(mpb(&H[0], 0)[0], 'W');
}

Test(dist, an_answer_waits_for_the_tickets_taken_before_it)
{
	struct entry fetch = { .n = 0 };

	setup(2);
	item(&fetch, TESSERA_DIST_FETCH, mpb_addr(&H[0], T1), 32, 9, NULL, 0);
	answered_behind_a_ticket(&fetch, 9);
}

/* the core of host 1 wrote under the lock and released it: a grant before its store is out
 * would let host 0 read what the store replaces */
Test(dist, a_lock_is_granted_only_behind_the_tickets_taken_before_it)
{
	struct entry l = { .n = 0 };

	setup(2);
	item(&l, TESSERA_DIST_LOCK, C1, 0, 5, NULL, 0);
	answered_behind_a_ticket(&l, 5);
	cr_expect_eq(hd_crb_core(H[1].b, C1)->lock, 1);
}

Test(dist, a_lock_is_granted_when_free_and_queued_while_held)
{
	struct entry l0 = { .n = 0 }, l1 = { .n = 0 }, u = { .n = 0 };

	setup(2);
	item(&l0, TESSERA_DIST_LOCK, C1, 0, 1, NULL, 0);
	handoff(&H[0], 0, &l0);
	settle();
	cr_expect_eq(ctl(&H[0], 0)->resp_seq, 1, "a free lock is granted");
	cr_expect_eq(hd_crb_core(H[1].b, C1)->lock, 1);
	item(&l1, TESSERA_DIST_LOCK, C1, 0, 7, NULL, 0);
	handoff(&H[0], 1, &l1);
	settle();
	cr_expect_eq(ctl(&H[0], 1)->resp_seq, 0, "a held lock is not");
	cr_expect_eq(hd_crb_core(H[1].b, C1)->lock_waiters, 1, "its home hears of releases");
	item(&u, TESSERA_DIST_UNLOCK, C1, 0, 0, NULL, 0);
	handoff(&H[0], 0, &u);
	settle();
	cr_expect_eq(ctl(&H[0], 1)->resp_seq, 7, "the release grants it to the next");
	cr_expect_eq(hd_crb_core(H[1].b, C1)->lock, 1);
	cr_expect_eq(hd_crb_core(H[1].b, C1)->lock_waiters, 0);
}

Test(dist, a_lock_released_by_a_core_of_its_home_goes_to_the_waiter)
{
	struct entry l = { .n = 0 };

	setup(2);
	hd_crb_core(H[1].b, C1)->lock = 1;	/* held by a core of host 1 */
	item(&l, TESSERA_DIST_LOCK, C1, 0, 3, NULL, 0);
	handoff(&H[0], 0, &l);
	settle();
	cr_expect_eq(ctl(&H[0], 0)->resp_seq, 0);
	__atomic_store_n(&hd_crb_core(H[1].b, C1)->lock, 0, __ATOMIC_SEQ_CST);	/* halt.c */
	settle();
	cr_expect_eq(ctl(&H[0], 0)->resp_seq, 3);
}

Test(dist, counters_are_added_at_host_0)
{
	struct entry a = { .n = 0 }, b = { .n = 0 };

	setup(2);
	item(&a, TESSERA_DIST_COUNTER, 3, 5, 1, NULL, 0);
	handoff(&H[1], C1, &a);
	settle();
	cr_expect_eq(ctl(&H[1], C1)->ret, 0);
	item(&b, TESSERA_DIST_COUNTER, 3, 2, 2, NULL, 0);
	handoff(&H[1], C1, &b);
	settle();
	cr_expect_eq(ctl(&H[1], C1)->resp_seq, 2);
	cr_expect_eq(ctl(&H[1], C1)->ret, 5);
	cr_expect_eq(hd_boardreg_global(H[0].b)->counter[3], 7);
}

Test(dist, interrupts_source_bits_and_registers_act_at_home)
{
	struct entry e = { .n = 0 }, r = { .n = 0 };
	uint32_t *src;

	setup(2);
	item(&e, TESSERA_DIST_SRC, C1, 0, 0, NULL, 0);
	item(&e, TESSERA_DIST_IRQ, C1, 0, 0, NULL, 0);
	item(&e, TESSERA_DIST_REG_WRITE, C1, TESSERA_DIST_REG_PM_FDIV, 8, NULL, 0);
	handoff(&H[0], 3, &e);
	settle();
	src = (uint32_t *)(H[1].b->chip + tessera_boardreg_src_off(&H[1].b->geom,
								   &H[1].b->layout, C1));
	cr_expect_eq(src[0], 1u << 3, "core 3's bit in core 24's source register");
	cr_expect_eq(hd_boardreg_core(H[1].b, C1)->irq, TESSERA_IRQ_PEER, "a peer's interrupt");
	cr_expect_eq(hd_boardreg_core(H[1].b, C1)->pm_fdiv, 8);
	item(&r, TESSERA_DIST_REG_READ, C1, TESSERA_DIST_REG_PM_FDIV, 4, NULL, 0);
	handoff(&H[0], 3, &r);
	settle();
	cr_expect_eq(ctl(&H[0], 3)->resp_seq, 4);
	cr_expect_eq(ctl(&H[0], 3)->ret, 8);
}

Test(dist, bad_hand_offs_are_refused_and_nothing_else_happens)
{
	struct entry e = { .n = 0 }, f = { .n = 0 };
	struct tessera_hostwin *hw;

	setup(2);
	item(&e, TESSERA_DIST_WRITE, 0x00100000, 0, 0, "private", 7);	/* not shared memory */
	handoff(&H[0], 0, &e);
	item(&f, 77, C1, 0, 0, NULL, 0);					/* no such kind */
	handoff(&H[0], 1, &f);
	settle();
	cr_expect_eq(hd_dist_refused(H[0].d), 2);
	cr_expect_eq(lb.sent[0][1], 0);
	/* a fetch past the MPB is answered with -EFAULT at once */
	memset(&e, 0, sizeof(e));
	item(&e, TESSERA_DIST_FETCH, mpb_addr(&H[0], T1) + 8192, 16384, 4, NULL, 0);
	handoff(&H[0], 2, &e);
	settle();
	cr_expect_eq(ctl(&H[0], 2)->resp_seq, 4);
	cr_expect_eq(ctl(&H[0], 2)->ret, -EFAULT);
	/* an outbox whose head cannot be right is dropped */
	hw = hd_hostwin(H[0].b, 4);
	ticket(&H[0]);
	hw->dist_ctl.head = 3 * TESSERA_DIST_OUT_BYTES;
	settle();
	cr_expect_eq(ctl(&H[0], 4)->tail, 3 * TESSERA_DIST_OUT_BYTES);
	cr_expect_eq(hd_dist_refused(H[0].d), 4);
}

Test(dist, a_message_that_is_not_one_is_refused)
{
	setup(2);
	hd_dist_input(H[1].d, 0, strdup("garbage, not a message"), 23);
	hd_dist_input(H[1].d, 7, malloc(64), 64);
	settle();
	cr_expect_eq(hd_dist_refused(H[1].d), 2);
}
