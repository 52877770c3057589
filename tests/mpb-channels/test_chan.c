// SPDX-License-Identifier: MIT
/*
 * test_chan.c: mpb-channels/chan.c through mpbc.h: zero length, self-send, any-source,
 * look-and-take, order, flow control, truncation, errors, interrupts only to halted cores,
 * the break modes under strict coherence, and all-to-all traffic on threads in both
 * coherence modes.
 * Single-thread tests play several cores in turn (hal_fake_core) and never wait.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hal_fake.h"
#include "mpbc.h"
#include "mpbc_impl.h"
#include "tk.h"

static void board(uint32_t nranks, uint32_t shared_mb, uint32_t flags)
{
	struct tessera_geom g;
	uint32_t r;

	hal_fake_geom("scc48", shared_mb, &g);
	cr_assert_eq(hal_fake_board(&g, nranks, NULL, flags), 0);
	for (r = 0; r < nranks; r++) {
		hal_fake_core(r);
		cr_assert_eq(mpbc_init(), 0);
	}
}

static void teardown(void)
{
	hal_fake_board_free();
}

static struct mpbc_env env_of(uint32_t a)
{
	struct mpbc_env e = { { a, a + 1, a + 2, a + 3 } };

	return e;
}

/* Run core `from`'s and core `to`'s progress until the receive completes. */
static void finish(uint32_t from, struct mpbc_send *s, uint32_t to, struct mpbc_recv *r)
{
	int i, rs = -EAGAIN, rr = -EAGAIN;

	for (i = 0; i < 100000 && (rs == -EAGAIN || rr == -EAGAIN); i++) {
		hal_fake_core(from);
		rs = mpbc_send_test(s);
		hal_fake_core(to);
		rr = mpbc_recv_test(r);
	}
	cr_assert_eq(rs, 0);
	cr_assert_eq(rr, 0);
}

TestSuite(chan, .fini = teardown);

Test(chan, zero_length_message_arrives_with_its_envelope)
{
	struct mpbc_env e = env_of(10), got;
	struct mpbc_send s;
	struct mpbc_recv r;
	uint32_t from = 99;
	size_t len = 99;

	board(2, 1, 0);
	hal_fake_core(0);
	cr_assert_eq(mpbc_isend(&s, 1, &e, NULL, 0), 0);
	cr_assert_eq(mpbc_send_test(&s), 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_peek(0, &from, &got, &len), 0);
	cr_assert_eq(from, 0);
	cr_assert_eq(len, 0);
	cr_assert_eq(memcmp(&got, &e, sizeof(e)), 0);
	cr_assert_eq(mpbc_irecv(&r, 0, NULL, 0), 0);
	cr_assert_eq(mpbc_recv_test(&r), 0);
	cr_assert_eq(mpbc_peek(0, NULL, NULL, NULL), -EAGAIN);
}

Test(chan, peek_without_message_returns_eagain)
{
	board(2, 1, 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_peek(0, NULL, NULL, NULL), -EAGAIN);
	cr_assert_eq(mpbc_peek(MPBC_ANY_SOURCE, NULL, NULL, NULL), -EAGAIN);
}

Test(chan, peek_returns_the_same_message_until_consumed)
{
	struct mpbc_env e1 = env_of(1), e2 = env_of(2), got;
	struct mpbc_send s1, s2;

	board(2, 1, 0);
	hal_fake_core(0);
	cr_assert_eq(mpbc_isend(&s1, 1, &e1, "a", 1), 0);
	cr_assert_eq(mpbc_isend(&s2, 1, &e2, "b", 1), 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_peek(0, NULL, &got, NULL), 0);
	cr_assert_eq(got.w[0], 1);
	cr_assert_eq(mpbc_peek(MPBC_ANY_SOURCE, NULL, &got, NULL), 0);
	cr_assert_eq(got.w[0], 1);
}

Test(chan, self_send_of_one_megabyte_arrives_intact)
{
	size_t n = 1u << 20, i;
	uint8_t *in = malloc(n), *out = calloc(1, n);
	struct mpbc_env e = env_of(5);
	struct mpbc_send s;
	struct mpbc_recv r;

	board(2, 4, 0);
	for (i = 0; i < n; i++)
		in[i] = (uint8_t)(i * 131 + (i >> 9));
	hal_fake_core(1);
	cr_assert_eq(mpbc_isend(&s, 1, &e, in, n), 0);
	cr_assert_eq(mpbc_irecv(&r, 1, out, n), 0);
	finish(1, &s, 1, &r);
	cr_assert_eq(memcmp(in, out, n), 0);
	free(in);
	free(out);
}

Test(chan, messages_of_a_pair_arrive_in_order)
{
	enum { N = 50 };
	static uint8_t bufs[N][3000];
	struct mpbc_send s[N];
	struct mpbc_recv r;
	struct mpbc_env e;
	uint8_t out[3000];
	size_t len;
	int i, j;

	board(2, 1, 0);
	hal_fake_core(0);
	for (i = 0; i < N; i++) {
		memset(bufs[i], i, sizeof(bufs[i]));
		e = env_of((uint32_t)i);
		cr_assert_eq(mpbc_isend(&s[i], 1, &e, bufs[i], (size_t)(i * 61) % 3000), 0);
	}
	for (i = 0; i < N; i++) {
		for (j = 0; j < 1000; j++) {
			hal_fake_core(0);
			mpbc_progress();
			hal_fake_core(1);
			if (mpbc_peek(0, NULL, &e, &len) == 0)
				break;
		}
		cr_assert_eq(e.w[0], (uint32_t)i);
		cr_assert_eq(len, (size_t)(i * 61) % 3000);
		cr_assert_eq(mpbc_irecv(&r, 0, out, sizeof(out)), 0);
		finish(0, &s[i], 1, &r);
		for (j = 0; j < (int)len; j++)
			cr_assert_eq(out[j], i);
	}
}

Test(chan, any_source_takes_senders_in_turn)
{
	struct mpbc_env e = env_of(0);
	struct mpbc_send s[4];
	struct mpbc_recv r;
	uint32_t from, first;

	board(3, 1, 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_isend(&s[0], 0, &e, "x", 1), 0);
	cr_assert_eq(mpbc_isend(&s[1], 0, &e, "x", 1), 0);
	hal_fake_core(2);
	cr_assert_eq(mpbc_isend(&s[2], 0, &e, "y", 1), 0);
	cr_assert_eq(mpbc_isend(&s[3], 0, &e, "y", 1), 0);
	hal_fake_core(0);
	cr_assert_eq(mpbc_peek(MPBC_ANY_SOURCE, &first, NULL, NULL), 0);
	cr_assert_eq(mpbc_irecv(&r, first, NULL, 0), 0);
	cr_assert_eq(mpbc_recv_test(&r), 0);
	cr_assert_eq(mpbc_peek(MPBC_ANY_SOURCE, &from, NULL, NULL), 0);
	cr_assert_eq(from, first == 1 ? 2u : 1u);
}

/* An any-source search looks first where the bits it already took say and takes new ones
 * only now and then (MPBC_TAKE_EVERY): a sender that never lets its ring run empty must
 * still not hide another one for long. */
Test(chan, busy_source_does_not_hide_another_from_any_source)
{
	struct mpbc_env e = env_of(0);
	uint32_t from = 0, i;
	char b;

	board(3, 1, 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_send_now(0, &e, "x", 1), 0);
	cr_assert_eq(mpbc_send_now(0, &e, "x", 1), 0);
	hal_fake_core(0);
	cr_assert_eq(mpbc_peek(MPBC_ANY_SOURCE, &from, NULL, NULL), 0);	/* takes 1's bit */
	cr_assert_eq(from, 1);
	hal_fake_core(2);
	cr_assert_eq(mpbc_send_now(0, &e, "y", 1), 0);	/* its bit waits in the register */
	for (i = 0; i < 4 * 8; i++) {
		hal_fake_core(1);
		cr_assert_eq(mpbc_send_now(0, &e, "x", 1), 0);	/* 1's ring never runs empty */
		hal_fake_core(0);
		cr_assert_eq(mpbc_peek(MPBC_ANY_SOURCE, &from, NULL, NULL), 0);
		cr_assert_eq(mpbc_recv_now(from, &b, 1), 0);
		if (from == 2)
			break;
	}
	cr_assert_eq(from, 2);
	cr_assert_eq(b, 'y');
}

/* 2 ranks, 8 KB MPB shares: 16 slots per ring (layout.c). */
#define SLOTS 16

/* Rank 0 sends SLOTS + 1 one-byte messages to rank 1 (no shared DRAM: every record
 * inline): the ring is full and the last send waits. Returns as rank 0. */
static void fill_ring(struct mpbc_send *s)
{
	static const uint8_t b = 1;
	struct mpbc_env e = env_of(0);

	board(2, 0, 0);
	hal_fake_core(0);
	for (int i = 0; i <= SLOTS; i++)
		cr_assert_eq(mpbc_isend(&s[i], 1, &e, &b, 1), 0);
}

Test(chan, full_ring_holds_the_next_send_until_the_receiver_reads)
{
	struct mpbc_send s[SLOTS + 1];
	struct mpbc_recv r;
	int i;

	fill_ring(s);
	for (i = 0; i < SLOTS; i++)
		cr_assert_eq(mpbc_send_test(&s[i]), 0);
	cr_assert_eq(mpbc_send_test(&s[SLOTS]), -EAGAIN);
	/* acks go back in batches: after half the ring is read, not after each record */
	hal_fake_core(1);
	for (i = 0; i < SLOTS / 2 - 1; i++) {
		cr_assert_eq(mpbc_irecv(&r, 0, NULL, 0), 0);
		cr_assert_eq(mpbc_recv_test(&r), 0);
	}
	hal_fake_core(0);
	cr_assert_eq(mpbc_send_test(&s[SLOTS]), -EAGAIN);
	hal_fake_core(1);
	cr_assert_eq(mpbc_irecv(&r, 0, NULL, 0), 0);
	cr_assert_eq(mpbc_recv_test(&r), 0);
	hal_fake_core(0);
	cr_assert_eq(mpbc_send_test(&s[SLOTS]), 0);
}

Test(chan, an_ack_still_due_goes_out_when_the_receiver_waits)
{
	struct mpbc_send s[SLOTS + 1];
	struct mpbc_recv r;

	fill_ring(s);
	hal_fake_core(1);
	cr_assert_eq(mpbc_irecv(&r, 0, NULL, 0), 0);
	cr_assert_eq(mpbc_recv_test(&r), 0);
	hal_fake_core(0);
	cr_assert_eq(mpbc_send_test(&s[SLOTS]), -EAGAIN);
	hal_fake_core(1);
	mpbc_wait_timeout(1000);
	hal_fake_core(0);
	cr_assert_eq(mpbc_send_test(&s[SLOTS]), 0);
}

Test(chan, send_now_and_recv_now_carry_a_one_record_message)
{
	static uint8_t big[1000];
	struct mpbc_env e = env_of(7), got;
	struct mpbc_send s;
	struct mpbc_recv r;
	uint8_t out[100], in[100];
	uint32_t from;
	size_t len;
	int i;

	board(2, 0, 0);	/* 160 inline bytes per record */
	for (i = 0; i < 100; i++)
		out[i] = (uint8_t)i;
	hal_fake_core(0);
	cr_assert_eq(mpbc_send_now(1, &e, out, sizeof(out)), 0);
	cr_assert_eq(mpbc_send_now(1, &e, out, 1000), -EAGAIN);	/* seven records */
	hal_fake_core(1);
	cr_assert_eq(mpbc_recv_now(0, in, sizeof(in)), 0);
	cr_assert_eq(memcmp(in, out, sizeof(in)), 0);
	cr_assert_eq(mpbc_peek(0, &from, &got, &len), -EAGAIN);
	/* zero bytes are one record; several records are left for mpbc_irecv */
	hal_fake_core(0);
	cr_assert_eq(mpbc_send_now(1, &e, NULL, 0), 0);
	cr_assert_eq(mpbc_isend(&s, 1, &e, big, sizeof(big)), 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_recv_now(0, NULL, 0), 0);
	cr_assert_eq(mpbc_recv_now(0, NULL, 0), -E2BIG);
	cr_assert_eq(mpbc_irecv(&r, 0, NULL, 0), 0);
	finish(0, &s, 1, &r);
	cr_assert_eq(mpbc_recv_now(0, NULL, 0), -EAGAIN);
}

/* A place for mpbc_take: takes every message into the next of its buffers, records what
 * it was shown; leaves the message whose first envelope word is `leave`. */
struct taker {
	uint8_t buf[4][200];
	struct mpbc_recv r;
	uint32_t leave;
	int n, whole[4];
	uint32_t from[4], w0[4];
	size_t len[4];
};

static int take_into(void *arg, uint32_t from, const struct mpbc_env *env, size_t len,
		     struct mpbc_place *pl)
{
	struct taker *t = arg;

	if (env->w[0] == t->leave)
		return 0;
	t->whole[t->n] = pl->whole;
	t->from[t->n] = from;
	t->w0[t->n] = env->w[0];
	t->len[t->n] = len;
	pl->buf = t->buf[t->n];
	pl->cap = sizeof(t->buf[t->n]);
	pl->rreq = &t->r;
	t->n++;
	return 1;
}

Test(chan, take_shows_each_message_and_takes_up_to_max)
{
	struct mpbc_env e1 = env_of(1), e2 = env_of(2), e3 = env_of(3);
	struct taker t = { .leave = 99 };
	uint8_t out[100];

	board(2, 0, 0);	/* 160 inline bytes per record */
	memset(out, 7, sizeof(out));
	hal_fake_core(0);
	cr_assert_eq(mpbc_send_now(1, &e1, out, 8), 0);
	cr_assert_eq(mpbc_send_now(1, &e2, out, 100), 0);
	cr_assert_eq(mpbc_send_now(1, &e3, NULL, 0), 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_take(MPBC_ANY_SOURCE, 2, take_into, &t), 2);
	cr_assert_eq(t.n, 2);
	cr_assert_eq(t.from[0], 0);
	cr_assert_eq(t.w0[0], 1);
	cr_assert_eq(t.len[0], 8);
	cr_assert_eq(t.w0[1], 2);
	cr_assert_eq(t.len[1], 100);
	cr_assert(t.whole[0] && t.whole[1]);
	cr_assert_eq(t.buf[1][99], 7);
	/* the third is left where it is when place says so, then taken */
	t.leave = 3;
	cr_assert_eq(mpbc_take(0, 4, take_into, &t), 0);
	cr_assert_eq(t.n, 2);
	t.leave = 99;
	cr_assert_eq(mpbc_take(0, 4, take_into, &t), 1);
	cr_assert_eq(t.len[2], 0);
	cr_assert_eq(mpbc_take(0, 4, take_into, &t), -EAGAIN);
}

Test(chan, take_of_several_records_starts_a_receive_and_ends_the_call)
{
	static uint8_t big[1000];
	struct mpbc_env e = env_of(5), e2 = env_of(6);
	struct taker t = { .leave = 99 };
	struct mpbc_send s;
	struct mpbc_recv *r = &t.r;

	board(2, 0, 0);
	memset(big, 3, sizeof(big));
	hal_fake_core(0);
	cr_assert_eq(mpbc_isend(&s, 1, &e, big, sizeof(big)), 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_take(0, 4, take_into, &t), 1);
	cr_assert_eq(t.whole[0], 0);
	cr_assert_eq(t.len[0], sizeof(big));
	finish(0, &s, 1, r);
	cr_assert_eq(t.buf[0][199], 3);	/* the first 200 bytes; the rest dropped */
	/* and nothing can be taken from that source while its receive runs */
	hal_fake_core(0);
	cr_assert_eq(mpbc_isend(&s, 1, &e2, big, sizeof(big)), 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_take(0, 4, take_into, &t), 1);
	cr_assert_eq(mpbc_take(0, 4, take_into, &t), -EAGAIN);
	finish(0, &s, 1, r);
}

/* A place that takes whole messages only (no receive of its own). */
static int take_whole(void *arg, uint32_t from, const struct mpbc_env *env, size_t len,
		      struct mpbc_place *pl)
{
	(void)from, (void)env, (void)len;
	pl->buf = arg;
	pl->cap = 8;
	return 1;
}

Test(chan, take_of_several_records_without_a_receive_returns_e2big)
{
	static uint8_t big[1000];
	struct mpbc_env e = env_of(5);
	struct mpbc_send s;
	struct mpbc_recv r;
	uint8_t b[8];

	board(2, 0, 0);
	hal_fake_core(0);
	cr_assert_eq(mpbc_isend(&s, 1, &e, big, sizeof(big)), 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_take(0, 1, take_whole, b), -E2BIG);
	cr_assert_eq(mpbc_irecv(&r, 0, NULL, 0), 0);	/* nothing was consumed */
	finish(0, &s, 1, &r);
}

Test(chan, message_larger_than_the_ring_waits_for_the_receiver)
{
	static uint8_t in[20000], out[20000];
	struct mpbc_env e = env_of(0);
	struct mpbc_send s;
	struct mpbc_recv r;
	size_t i;

	board(2, 0, 0);	/* 16 * 160 = 2560 bytes in flight at most */
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i % 251);
	hal_fake_core(0);
	cr_assert_eq(mpbc_isend(&s, 1, &e, in, sizeof(in)), 0);
	cr_assert_eq(mpbc_send_test(&s), -EAGAIN);
	hal_fake_core(1);
	cr_assert_eq(mpbc_irecv(&r, 0, out, sizeof(out)), 0);
	finish(0, &s, 1, &r);
	cr_assert_eq(memcmp(in, out, sizeof(in)), 0);
}

Test(chan, short_buffer_keeps_the_head_and_drops_the_rest)
{
	struct mpbc_env e = env_of(0);
	struct mpbc_send s1, s2;
	struct mpbc_recv r;
	uint8_t out[4] = { 0 }, next = 0;

	board(2, 1, 0);
	hal_fake_core(0);
	cr_assert_eq(mpbc_isend(&s1, 1, &e, "abcdefgh", 8), 0);
	cr_assert_eq(mpbc_isend(&s2, 1, &e, "z", 1), 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_irecv(&r, 0, out, 3), 0);
	cr_assert_eq(mpbc_recv_test(&r), 0);
	cr_assert_eq(memcmp(out, "abc\0", 4), 0);
	cr_assert_eq(mpbc_irecv(&r, 0, &next, 1), 0);
	cr_assert_eq(mpbc_recv_test(&r), 0);
	cr_assert_eq(next, 'z');
}

Test(chan, second_receive_on_a_busy_source_returns_ebusy)
{
	static uint8_t in[20000], out[20000];
	struct mpbc_env e = env_of(0);
	struct mpbc_send s;
	struct mpbc_recv r1, r2;

	board(2, 0, 0);
	hal_fake_core(0);
	cr_assert_eq(mpbc_isend(&s, 1, &e, in, sizeof(in)), 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_irecv(&r1, 0, out, sizeof(out)), 0);
	cr_assert_eq(mpbc_recv_test(&r1), -EAGAIN);
	cr_assert_eq(mpbc_irecv(&r2, 0, out, sizeof(out)), -EBUSY);
	cr_assert_eq(mpbc_peek(0, NULL, NULL, NULL), -EAGAIN);
}

Test(chan, core_outside_the_job_returns_einval)
{
	struct mpbc_env e = env_of(0);
	struct mpbc_send s;
	struct mpbc_recv r;

	board(2, 1, 0);
	hal_fake_core(0);
	cr_assert_eq(mpbc_isend(&s, 5, &e, NULL, 0), -EINVAL);
	cr_assert_eq(mpbc_isend(&s, 1, NULL, NULL, 0), -EINVAL);
	cr_assert_eq(mpbc_irecv(&r, 5, NULL, 0), -EINVAL);
	cr_assert_eq(mpbc_peek(7, NULL, NULL, NULL), -EINVAL);
}

Test(chan, send_before_the_receiver_is_ready_waits_for_it)
{
	struct tessera_geom g;
	struct mpbc_env e = env_of(0);
	struct mpbc_send s;

	hal_fake_geom("scc48", 1, &g);
	cr_assert_eq(hal_fake_board(&g, 2, NULL, 0), 0);
	hal_fake_board_dirty(0xa5);	/* a previous job's leftovers */
	hal_fake_core(0);
	cr_assert_eq(mpbc_init(), 0);
	cr_assert_eq(mpbc_isend(&s, 1, &e, "q", 1), 0);
	cr_assert_eq(mpbc_send_test(&s), -EAGAIN);
	hal_fake_core(1);
	cr_assert_eq(mpbc_init(), 0);
	cr_assert_eq(mpbc_peek(0, NULL, NULL, NULL), -EAGAIN);
	hal_fake_core(0);
	cr_assert_eq(mpbc_send_test(&s), 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_peek(0, NULL, NULL, NULL), 0);
}

Test(chan, running_receiver_gets_no_interrupt)
{
	struct mpbc_env e = env_of(0);
	struct mpbc_send s;
	struct hal_fake_counts cnt;

	board(2, 1, 0);
	hal_fake_core(0);
	cr_assert_eq(mpbc_isend(&s, 1, &e, "a", 1), 0);
	hal_fake_counts(1, &cnt);
	cr_assert_eq(cnt.irqs_received, 0);
}

Test(chan, halted_receiver_gets_one_interrupt)
{
	struct mpbc_env e = env_of(0);
	struct mpbc_send s;
	struct hal_fake_counts cnt;

	board(2, 1, 0);
	hal_fake_core(1);
	tk_halt_prepare();
	hal_fake_core(0);
	cr_assert_eq(mpbc_isend(&s, 1, &e, "a", 1), 0);
	hal_fake_counts(1, &cnt);
	cr_assert_eq(cnt.irqs_received, 1);
	cr_assert_eq(cnt.irqs_while_running, 0);
}

/* The message counters belong to the layer above (lib/mpi counts MPI messages): a channel
 * that counted too would show every MPI message twice in `tessera ps` and `top`. */
Test(chan, messages_are_not_counted_by_the_channel)
{
	struct mpbc_env e = env_of(0);
	struct mpbc_send s;
	struct mpbc_recv r;
	struct hal_fake_counts snd, rcv;
	char got[3];

	board(2, 1, 0);
	hal_fake_core(0);
	cr_assert_eq(mpbc_isend(&s, 1, &e, "abc", 3), 0);
	cr_assert_eq(mpbc_send_test(&s), 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_peek(0, NULL, NULL, NULL), 0);
	cr_assert_eq(mpbc_irecv(&r, 0, got, sizeof(got)), 0);
	cr_assert_eq(mpbc_recv_test(&r), 0);
	cr_assert_eq(memcmp(got, "abc", 3), 0);
	hal_fake_counts(0, &snd);
	hal_fake_counts(1, &rcv);
	cr_assert_eq(snd.msgs_sent + snd.msgs_recv + snd.bytes_sent + snd.bytes_recv, 0);
	cr_assert_eq(rcv.msgs_sent + rcv.msgs_recv + rcv.bytes_sent + rcv.bytes_recv, 0);
}

/* ---- the break modes under strict coherence ---- */

Test(chan_strict, skipped_flush_leaves_the_message_unseen)
{
	struct mpbc_env e = env_of(0);
	struct mpbc_send s;

	board(2, 1, TESSERA_BOOT_STRICT);
	hal_fake_core(0);
	mpbc_debug_break(TESSERA_BOOT_BREAK_FLUSH);
	cr_assert_eq(mpbc_isend(&s, 1, &e, "a", 1), 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_peek(0, NULL, NULL, NULL), -EAGAIN);
}

Test(chan_strict, flushed_message_is_seen)
{
	struct mpbc_env e = env_of(0);
	struct mpbc_send s;

	board(2, 1, TESSERA_BOOT_STRICT);
	hal_fake_core(0);
	cr_assert_eq(mpbc_isend(&s, 1, &e, "a", 1), 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_peek(0, NULL, NULL, NULL), 0);
}

/* Receive one message through every slot, so that core 1's L1 holds each slot's header. */
static void use_every_slot(uint32_t slots)
{
	struct mpbc_env e = env_of(0);
	struct mpbc_send s;
	struct mpbc_recv r;
	uint32_t i;

	for (i = 0; i < slots; i++) {
		hal_fake_core(0);
		cr_assert_eq(mpbc_isend(&s, 1, &e, "a", 1), 0);
		hal_fake_core(1);
		cr_assert_eq(mpbc_irecv(&r, 0, NULL, 0), 0);
		cr_assert_eq(mpbc_recv_test(&r), 0);
	}
}

Test(chan_strict, skipped_invalidate_reads_a_stale_slot)
{
	struct mpbc_env e = env_of(0);
	struct mpbc_send s, s2;

	board(2, 1, TESSERA_BOOT_STRICT);
	use_every_slot(SLOTS);
	hal_fake_core(1);
	mpbc_debug_break(TESSERA_BOOT_BREAK_INV);
	cr_assert_eq(mpbc_peek(0, NULL, NULL, NULL), -EAGAIN);	/* caches the stale header */
	hal_fake_core(0);
	cr_assert_eq(mpbc_isend(&s, 1, &e, "b", 1), 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_peek(0, NULL, NULL, NULL), -EAGAIN);
	/* The stale look spent the sender's notice, as a broken protocol would on the SCC: a
	 * search of any source misses the message; a look at the named source reads its ring
	 * and, with invalidation back, finds it. */
	cr_assert_eq(mpbc_peek(MPBC_ANY_SOURCE, NULL, NULL, NULL), -EAGAIN);
	mpbc_debug_break(0);
	cr_assert_eq(mpbc_peek(MPBC_ANY_SOURCE, NULL, NULL, NULL), -EAGAIN);
	cr_assert_eq(mpbc_peek(0, NULL, NULL, NULL), 0);
	hal_fake_core(0);
	cr_assert_eq(mpbc_isend(&s2, 1, &e, "c", 1), 0);
	hal_fake_core(1);
	cr_assert_eq(mpbc_peek(MPBC_ANY_SOURCE, NULL, NULL, NULL), 0);
}

Test(chan_host, break_modes_change_nothing_in_host_mode)
{
	struct mpbc_env e = env_of(0);
	struct mpbc_send s;

	board(2, 1, 0);
	use_every_slot(SLOTS);
	hal_fake_core(0);
	mpbc_debug_break(TESSERA_BOOT_BREAK_FLUSH | TESSERA_BOOT_BREAK_INV);
	cr_assert_eq(mpbc_isend(&s, 1, &e, "b", 1), 0);
	hal_fake_core(1);
	mpbc_debug_break(TESSERA_BOOT_BREAK_FLUSH | TESSERA_BOOT_BREAK_INV);
	cr_assert_eq(mpbc_peek(0, NULL, NULL, NULL), 0);
}

/* Plain rings (tk_mpb_direct) in the host mode only, and never while a break flag is in force:
 * the steps a break leaves out are tk_mpb_* calls that a plain ring does not make. */
Test(chan_host, rings_are_plain_in_host_mode_only)
{
	struct mpbc_core *c;

	board(2, 1, 0);
	hal_fake_core(1);
	c = MPBC_SELF();
	cr_assert_eq(c->direct, 1);
	cr_assert_eq((void *)c->rx[0].ring.slots_p, hal_fake_ptr(c->rx[0].ring.slots_addr));
	cr_assert_eq((void *)c->tx[0].ring.ack_p, hal_fake_ptr(c->tx[0].ring.ack_addr));
	mpbc_debug_break(TESSERA_BOOT_BREAK_INV);
	cr_assert_eq(c->direct, 0);
	cr_assert_null(c->rx[0].ring.slots_p);
	cr_assert_null(c->tx[1].ring.ack_p);
	mpbc_debug_break(0);
	cr_assert_eq(c->direct, 1);
	hal_fake_board_free();
	board(2, 1, TESSERA_BOOT_STRICT);
	hal_fake_core(1);
	c = MPBC_SELF();
	cr_assert_eq(c->direct, 0);
	cr_assert_null(c->rx[0].ring.slots_p);
}

/* ---- the fast paths on threads: a stream, then a ping-pong ---- */

#define FAST_MSGS 3000u

/* 0: message k sent to core dst (queued while the ring is full, and waited for) */
static int fast_send(uint32_t dst, uint32_t k, struct mpbc_send *s)
{
	struct mpbc_env e = { { k, ~k, 0, 0 } };
	uint32_t b[4] = { k, k * 3, k * 5, k * 7 };
	size_t len = 4 + k % 13;	/* 4 to 16 bytes */
	int rc = mpbc_send_now(dst, &e, b, len);

	if (rc != -EAGAIN)
		return rc;
	if (mpbc_isend(s, dst, &e, b, len))
		return -1;
	while ((rc = mpbc_send_test(s)) == -EAGAIN)
		mpbc_wait();
	return rc;
}

/* 0: message k came from core src, whole; the named-source wait of a blocking receive */
static int fast_recv(uint32_t src, uint32_t k)
{
	struct mpbc_env e;
	uint32_t b[4] = { 0 }, want[4] = { k, k * 3, k * 5, k * 7 }, from;
	size_t len;

	while (mpbc_peek((int)src, &from, &e, &len) == -EAGAIN)
		mpbc_wait_from((int)src);
	if (mpbc_recv_now(src, b, sizeof(b)) != 0 || from != src || len != 4 + k % 13 ||
	    e.w[0] != k || e.w[1] != ~k || memcmp(b, want, len))
		return -1;
	return 0;
}

static int fast_rank(uint32_t me, void *arg)
{
	struct mpbc_send s;
	uint32_t k, peer = tk_rank_core(1 - me);
	int errors = 0;

	(void)arg;
	if (mpbc_init())
		return -1;
	for (k = 0; k < FAST_MSGS; k++)	/* rank 0 streams to rank 1 */
		if (me == 0)
			errors += fast_send(peer, k, &s) != 0;
		else
			errors += fast_recv(peer, k) != 0;
	for (k = 0; k < FAST_MSGS; k++)	/* ping-pong */
		if ((k & 1) == me)
			errors += fast_send(peer, k, &s) != 0;
		else
			errors += fast_recv(peer, k) != 0;
	return errors ? -1 : 0;
}

static void fast_run(uint32_t flags)
{
	struct tessera_geom g;

	hal_fake_geom("scc48", 1, &g);
	cr_assert_eq(hal_fake_board(&g, 2, NULL, flags), 0);
	cr_assert_eq(hal_fake_run(fast_rank, NULL), 0);
}

/* Ranks 1 and 2 each send to rank 0 and wait for its answer, over and over; rank 0 takes
 * whatever comes first (any source, as lib/mpi's progress pass) and answers it, waiting with
 * mpbc_wait when nothing has come. A notice lost between the source register and a look
 * leaves a message unseen, and the test hangs. */
static int any_rank(uint32_t me, void *arg)
{
	struct mpbc_send s;
	uint32_t k, next[3] = { 0 }, from, src;
	struct mpbc_env e;
	uint32_t b[4];
	size_t len;

	(void)arg;
	if (mpbc_init())
		return -1;
	for (k = 0; me != 0 && k < FAST_MSGS; k++)
		if (fast_send(tk_rank_core(0), k, &s) || fast_recv(tk_rank_core(0), k))
			return -1;
	for (k = 0; me == 0 && k < 2 * FAST_MSGS; k++) {
		while (mpbc_peek(MPBC_ANY_SOURCE, &from, &e, &len) == -EAGAIN)
			mpbc_wait();
		src = from == tk_rank_core(1) ? 1 : 2;
		if (mpbc_recv_now(from, b, sizeof(b)) || e.w[0] != next[src] ||
		    len != 4 + e.w[0] % 13 || b[0] != e.w[0] || fast_send(from, next[src], &s))
			return -1;
		next[src]++;
	}
	return 0;
}

static void any_run(uint32_t flags)
{
	struct tessera_geom g;

	hal_fake_geom("scc48", 1, &g);
	cr_assert_eq(hal_fake_board(&g, 3, NULL, flags), 0);
	cr_assert_eq(hal_fake_run(any_rank, NULL), 0);
}

Test(chan_threads, two_ping_pongs_through_an_any_source_receiver_host_mode, .timeout = 60)
{
	any_run(0);
}

Test(chan_threads, two_ping_pongs_through_an_any_source_receiver_strict_mode, .timeout = 60)
{
	any_run(TESSERA_BOOT_STRICT);
}

Test(chan_threads, short_messages_stream_and_ping_pong_host_mode, .timeout = 60)
{
	fast_run(0);
}

Test(chan_threads, short_messages_stream_and_ping_pong_strict_mode, .timeout = 60)
{
	fast_run(TESSERA_BOOT_STRICT);
}

/* ---- all-to-all on threads ---- */

struct a2a {
	uint32_t nranks, msgs, max_len;
	uint32_t errors;
};

static uint32_t rng(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 33);
}

/* The k-th message of rank `from`: its destination and length (every rank can replay it). */
static void plan(const struct a2a *a, uint32_t from, uint32_t k, uint32_t *dst, uint32_t *len)
{
	uint64_t s = ((uint64_t)from << 32 | k) * 0x9e3779b97f4a7c15ull;

	rng(&s);
	*dst = rng(&s) % a->nranks;
	*len = rng(&s) % (a->max_len + 1);
	if (rng(&s) % 4 == 0)
		*len %= 64;
}

static uint8_t byte_of(uint32_t from, uint32_t k, uint32_t i)
{
	return (uint8_t)(from * 7 + k * 13 + i * 31 + (i >> 8));
}

static int a2a_rank(uint32_t me, void *arg)
{
	struct a2a *a = arg;
	uint32_t k, n, dst, len, expect = 0, got = 0, next_k[64] = { 0 };
	uint8_t *out, *in;
	struct mpbc_send *s;
	struct mpbc_recv r;
	int errors = 0, pending;

	if (mpbc_init())
		return -1;
	out = malloc((size_t)a->msgs * a->max_len + 1);
	in = malloc(a->max_len + 1);
	s = calloc(a->msgs, sizeof(*s));
	for (n = 0; n < a->nranks; n++) {
		next_k[n] = a->msgs;
		for (k = a->msgs; k-- > 0;) {
			plan(a, n, k, &dst, &len);
			if (dst == me) {
				expect++;
				next_k[n] = k;	/* ends at the first message n sends to me */
			}
		}
	}
	for (k = 0; k < a->msgs; k++) {
		struct mpbc_env e = { { me, k, 0, 0 } };
		uint8_t *b = out + (size_t)k * a->max_len;
		uint32_t i;

		plan(a, me, k, &dst, &len);
		for (i = 0; i < len; i++)
			b[i] = byte_of(me, k, i);
		if (mpbc_isend(&s[k], tk_rank_core(dst), &e, b, len))
			errors++;
	}
	for (;;) {
		struct mpbc_env e;
		uint32_t from;
		size_t l;

		pending = 0;
		for (k = 0; k < a->msgs; k++)
			pending += mpbc_send_test(&s[k]) == -EAGAIN;
		if (got < expect && mpbc_peek(MPBC_ANY_SOURCE, &from, &e, &l) == 0) {
			uint32_t i, pd, pl;

			if (mpbc_irecv(&r, from, in, a->max_len) != 0)
				errors++;
			while (mpbc_recv_test(&r) == -EAGAIN)
				mpbc_wait();
			plan(a, e.w[0], e.w[1], &pd, &pl);
			if (e.w[0] != from || e.w[1] != next_k[from] || pd != me || pl != l)
				errors++;
			while (++next_k[from] < a->msgs) {
				plan(a, from, next_k[from], &pd, &pl);
				if (pd == me)
					break;
			}
			for (i = 0; i < l; i++)
				if (in[i] != byte_of(e.w[0], e.w[1], i)) {
					errors++;
					break;
				}
			got++;
			continue;
		}
		if (got == expect && !pending)
			break;
		mpbc_wait();
	}
	free(out);
	free(in);
	free(s);
	__atomic_fetch_add(&a->errors, (uint32_t)errors, __ATOMIC_SEQ_CST);
	return 0;
}

static void a2a_run(uint32_t nranks, uint32_t msgs, uint32_t max_len, uint32_t flags)
{
	struct tessera_geom g;
	struct a2a a = { .nranks = nranks, .msgs = msgs, .max_len = max_len };

	hal_fake_geom("scc48", 64, &g);
	cr_assert_eq(hal_fake_board(&g, nranks, NULL, flags), 0);
	cr_assert_eq(hal_fake_run(a2a_rank, &a), 0);
	cr_assert_eq(a.errors, 0);
}

Test(chan_threads, all_to_all_8_ranks_host_mode, .timeout = 60)
{
	a2a_run(8, 40, 20000, 0);
}

Test(chan_threads, all_to_all_8_ranks_strict_mode, .timeout = 60)
{
	a2a_run(8, 40, 20000, TESSERA_BOOT_STRICT);
}

Test(chan_threads, all_to_all_48_ranks_strict_mode, .timeout = 60)
{
	a2a_run(48, 10, 9000, TESSERA_BOOT_STRICT);
}
