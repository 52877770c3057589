/* SPDX-License-Identifier: MIT */
/*
 * test_match.c: lib/mpi/match.c, MPI message matching: the posted and unexpected queues,
 * MPI_ANY_SOURCE / MPI_ANY_TAG, non-overtaking order and the removal of a posted receive
 * (MPI_Cancel). The queues are driven directly with requests and records made here; the
 * last tests run the same rules end to end through MPI calls on one rank of the host fake.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "mpii_impl.h"

static struct mpii_comm comm = { .ctx = 8 };
static struct mpii_req *made[16];
static int nmade;

/* A receive as the engine posts it: context comm.ctx + ctxoff, source and tag. */
static struct mpii_req *recv_req(int src, int tag, int ctxoff)
{
	struct mpii_req *r = calloc(1, sizeof(*r));

	cr_assert_not_null(r);
	cr_assert_lt(nmade, 16);
	made[nmade++] = r;
	r->kind = MPII_R_RECV;
	r->comm = &comm;
	r->ctxoff = ctxoff;
	r->peer = src;
	r->tag = tag;
	return r;
}

static struct mpii_umsg *arrived(int ctx, int src, int tag, size_t len)
{
	struct mpii_umsg *m = mpii_umsg_new(len);

	cr_assert_not_null(m);
	m->kind = MPII_M_EAGER;
	m->ctx = (uint16_t)ctx;
	m->src = src;
	m->tag = tag;
	m->len = len;
	mpii_umsg_add(m);
	return m;
}

/* Empties both queues, so that a failed test does not leave entries to the next one. */
static void drain(void)
{
	struct mpii_umsg *m;

	while (nmade > 0) {
		mpii_posted_remove(made[--nmade]);
		free(made[nmade]);
	}
	while ((m = mpii_umsg_find(comm.ctx, MPI_ANY_SOURCE, MPI_ANY_TAG)) ||
	       (m = mpii_umsg_find(comm.ctx + 1, MPI_ANY_SOURCE, MPI_ANY_TAG))) {
		mpii_umsg_unlink(m);
		mpii_umsg_free(m);
	}
}

TestSuite(match, .fini = drain);

/* ---- posted receives ---- */

Test(match, empty_posted_queue_takes_nothing)
{
	cr_assert_null(mpii_posted_take(comm.ctx, 0, 0));
}

Test(match, message_takes_the_receive_with_its_source_and_tag)
{
	struct mpii_req *a = recv_req(1, 5, 0), *b = recv_req(2, 5, 0), *c = recv_req(2, 6, 0);

	mpii_posted_add(a);
	mpii_posted_add(b);
	mpii_posted_add(c);
	cr_assert_eq(mpii_posted_take(comm.ctx, 2, 6), c);
	cr_assert_eq(mpii_posted_take(comm.ctx, 2, 5), b);
	cr_assert_eq(mpii_posted_take(comm.ctx, 1, 5), a);
	cr_assert_null(mpii_posted_take(comm.ctx, 1, 5), "a receive matches once");
}

Test(match, message_of_another_context_takes_nothing)
{
	struct mpii_req *r = recv_req(MPI_ANY_SOURCE, MPI_ANY_TAG, 0);

	mpii_posted_add(r);
	cr_assert_null(mpii_posted_take(comm.ctx + 1, 0, 0), "collective context");
	cr_assert_null(mpii_posted_take(comm.ctx + 2, 0, 0), "another communicator");
	cr_assert_eq(mpii_posted_take(comm.ctx, 0, 0), r);
}

Test(match, collective_context_is_ctx_plus_one)
{
	struct mpii_req *p2p = recv_req(0, 3, 0), *coll = recv_req(0, 3, 1);

	mpii_posted_add(p2p);
	mpii_posted_add(coll);
	cr_assert_eq(mpii_posted_take(comm.ctx + 1, 0, 3), coll);
	cr_assert_eq(mpii_posted_take(comm.ctx, 0, 3), p2p);
}

Test(match, any_source_takes_every_source_but_not_another_tag)
{
	struct mpii_req *r = recv_req(MPI_ANY_SOURCE, 7, 0);

	mpii_posted_add(r);
	cr_assert_null(mpii_posted_take(comm.ctx, 3, 8));
	cr_assert_eq(mpii_posted_take(comm.ctx, 3, 7), r);
}

Test(match, any_tag_takes_every_tag_but_not_another_source)
{
	struct mpii_req *r = recv_req(4, MPI_ANY_TAG, 0);

	mpii_posted_add(r);
	cr_assert_null(mpii_posted_take(comm.ctx, 3, 1));
	cr_assert_eq(mpii_posted_take(comm.ctx, 4, 123456), r);
}

Test(match, message_takes_the_earliest_matching_receive)
{
	struct mpii_req *wild = recv_req(MPI_ANY_SOURCE, MPI_ANY_TAG, 0);
	struct mpii_req *exact = recv_req(1, 2, 0), *later = recv_req(1, 2, 0);

	mpii_posted_add(wild);
	mpii_posted_add(exact);
	mpii_posted_add(later);
	/* the wildcard receive was posted first: it gets the first message */
	cr_assert_eq(mpii_posted_take(comm.ctx, 1, 2), wild);
	cr_assert_eq(mpii_posted_take(comm.ctx, 1, 2), exact);
	cr_assert_eq(mpii_posted_take(comm.ctx, 1, 2), later);
}

Test(match, a_taken_receive_leaves_the_others_in_order)
{
	struct mpii_req *r[4];

	for (int i = 0; i < 4; i++) {
		r[i] = recv_req(0, i == 1 ? 9 : 1, 0);
		mpii_posted_add(r[i]);
	}
	cr_assert_eq(mpii_posted_take(comm.ctx, 0, 9), r[1]);	/* from the middle */
	cr_assert_eq(mpii_posted_take(comm.ctx, 0, 1), r[0]);
	cr_assert_eq(mpii_posted_take(comm.ctx, 0, 1), r[2]);
	cr_assert_eq(mpii_posted_take(comm.ctx, 0, 1), r[3]);
	cr_assert_null(mpii_posted_take(comm.ctx, 0, 1));
}

/* ---- cancellation ---- */

Test(match, removed_receive_is_not_matched_and_the_next_one_is)
{
	struct mpii_req *first = recv_req(0, 1, 0), *second = recv_req(0, 1, 0);

	mpii_posted_add(first);
	mpii_posted_add(second);
	cr_assert_eq(mpii_posted_remove(first), 1);
	cr_assert_eq(mpii_posted_take(comm.ctx, 0, 1), second);
	cr_assert_null(mpii_posted_take(comm.ctx, 0, 1));
}

Test(match, removing_a_matched_receive_says_it_was_not_posted)
{
	struct mpii_req *r = recv_req(0, 1, 0), *other = recv_req(0, 2, 0);

	mpii_posted_add(r);
	mpii_posted_add(other);
	cr_assert_eq(mpii_posted_take(comm.ctx, 0, 1), r);
	cr_assert_eq(mpii_posted_remove(r), 0);
	cr_assert_eq(mpii_posted_take(comm.ctx, 0, 2), other, "the queue is intact");
}

Test(match, removing_the_last_receive_keeps_the_queue_appendable)
{
	struct mpii_req *a = recv_req(0, 1, 0), *b = recv_req(0, 1, 0), *c = recv_req(0, 1, 0);

	mpii_posted_add(a);
	mpii_posted_add(b);
	cr_assert_eq(mpii_posted_remove(b), 1);
	mpii_posted_add(c);
	cr_assert_eq(mpii_posted_take(comm.ctx, 0, 1), a);
	cr_assert_eq(mpii_posted_take(comm.ctx, 0, 1), c);
}

/* ---- unexpected messages ---- */

Test(match, empty_unexpected_queue_finds_nothing)
{
	cr_assert_null(mpii_umsg_find(comm.ctx, MPI_ANY_SOURCE, MPI_ANY_TAG));
}

Test(match, receive_finds_the_earliest_matching_message_and_leaves_it_queued)
{
	struct mpii_umsg *m1 = arrived(comm.ctx, 2, 4, 8), *m2 = arrived(comm.ctx, 2, 4, 8);

	cr_assert_eq(mpii_umsg_find(comm.ctx, 2, 4), m1);
	cr_assert_eq(mpii_umsg_find(comm.ctx, 2, 4), m1, "find does not dequeue (probe)");
	mpii_umsg_unlink(m1);
	mpii_umsg_free(m1);
	cr_assert_eq(mpii_umsg_find(comm.ctx, 2, 4), m2);
}

Test(match, receive_skips_messages_of_another_source_tag_or_context)
{
	struct mpii_umsg *m;

	arrived(comm.ctx, 1, 4, 0);
	arrived(comm.ctx, 2, 5, 0);
	arrived(comm.ctx + 1, 2, 4, 0);
	m = arrived(comm.ctx, 2, 4, 0);
	cr_assert_eq(mpii_umsg_find(comm.ctx, 2, 4), m);
	cr_assert_null(mpii_umsg_find(comm.ctx, 3, MPI_ANY_TAG));
}

Test(match, wildcard_receive_takes_messages_in_arrival_order)
{
	struct mpii_umsg *m[3];

	m[0] = arrived(comm.ctx, 3, 10, 0);
	m[1] = arrived(comm.ctx, 1, 11, 0);
	m[2] = arrived(comm.ctx, 2, 12, 0);
	for (int i = 0; i < 3; i++) {
		struct mpii_umsg *got = mpii_umsg_find(comm.ctx, MPI_ANY_SOURCE, MPI_ANY_TAG);

		cr_assert_eq(got, m[i], "message %d", i);
		mpii_umsg_unlink(got);
		mpii_umsg_free(got);
	}
	cr_assert_null(mpii_umsg_find(comm.ctx, MPI_ANY_SOURCE, MPI_ANY_TAG));
}

Test(match, any_source_with_a_tag_takes_the_earliest_of_that_tag)
{
	struct mpii_umsg *m;

	arrived(comm.ctx, 0, 1, 0);
	m = arrived(comm.ctx, 5, 2, 0);
	arrived(comm.ctx, 0, 2, 0);
	cr_assert_eq(mpii_umsg_find(comm.ctx, MPI_ANY_SOURCE, 2), m);
}

Test(match, unlinking_from_the_middle_keeps_the_order)
{
	struct mpii_umsg *a = arrived(comm.ctx, 0, 1, 0), *b = arrived(comm.ctx, 0, 1, 0);
	struct mpii_umsg *c = arrived(comm.ctx, 0, 1, 0);

	mpii_umsg_unlink(b);
	mpii_umsg_free(b);
	cr_assert_eq(mpii_umsg_find(comm.ctx, 0, 1), a);
	mpii_umsg_unlink(a);
	mpii_umsg_free(a);
	cr_assert_eq(mpii_umsg_find(comm.ctx, 0, 1), c);
}

Test(match, short_messages_are_held_inside_their_record)
{
	struct mpii_umsg *small = mpii_umsg_new(MPII_UMSG_INLINE);
	struct mpii_umsg *big = mpii_umsg_new(MPII_UMSG_INLINE + 1);

	cr_assert_not_null(small);
	cr_assert_not_null(big);
	cr_assert_eq(small->buf, (void *)small->small);
	cr_assert_neq(big->buf, (void *)big->small);
	memset(big->buf, 0xa5, MPII_UMSG_INLINE + 1);
	mpii_umsg_free(small);
	mpii_umsg_free(big);
}

Test(match, reused_record_comes_back_empty)
{
	struct mpii_umsg *m = arrived(comm.ctx, 1, 2, 4), *n;

	m->arrived = 1;
	mpii_umsg_unlink(m);
	mpii_umsg_free(m);
	n = mpii_umsg_new(4);
	cr_assert_not_null(n);
	cr_assert_eq(n->arrived, 0);
	cr_assert_eq(n->tag, 0);
	cr_assert_null(n->next);
	cr_assert_null(n->owner);
	mpii_umsg_free(n);
}

/* The envelope, not MPI_ERROR: a probe completes one message, and only calls that complete
 * several write that field (MPI-3.1 3.2.5). */
Test(match, status_of_an_unexpected_message_is_its_envelope)
{
	struct mpii_umsg *m = arrived(comm.ctx, 6, 42, 24);
	MPI_Status st;

	memset(&st, 0xff, sizeof(st));
	mpii_umsg_status(m, &st);
	cr_assert_eq(st.MPI_SOURCE, 6);
	cr_assert_eq(st.MPI_TAG, 42);
	cr_assert_eq(st.MPI_ERROR, -1, "MPI_ERROR written");
	cr_assert_eq(st.mpii_cancelled, 0);
	cr_assert_eq(st.mpii_count, 24);
}

/* ---- the same rules through MPI calls, on one rank of the host fake ---- */

static void mpi_up(void)
{
	MPI_Init(NULL, NULL);
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}

static void mpi_down(void)
{
	MPI_Finalize();
}

/* A matching bug shows as a receive that never completes: fail it instead of hanging. */
TestSuite(match_mpi, .init = mpi_up, .fini = mpi_down, .timeout = 30);

Test(match_mpi, messages_of_one_tag_arrive_in_send_order)
{
	MPI_Request s[3];
	int v[3] = { 10, 20, 30 }, got;

	for (int i = 0; i < 3; i++)
		MPI_Isend(&v[i], 1, MPI_INT, 0, 5, MPI_COMM_WORLD, &s[i]);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(MPI_Recv(&got, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD,
				      MPI_STATUS_IGNORE), MPI_SUCCESS);
		cr_assert_eq(got, v[i]);
	}
	cr_assert_eq(MPI_Waitall(3, s, MPI_STATUSES_IGNORE), MPI_SUCCESS);
}

Test(match_mpi, a_tag_receive_passes_an_earlier_message_of_another_tag)
{
	MPI_Request s[2];
	int a = 1, b = 2, got;
	MPI_Status st;

	MPI_Isend(&a, 1, MPI_INT, 0, 1, MPI_COMM_WORLD, &s[0]);
	MPI_Isend(&b, 1, MPI_INT, 0, 2, MPI_COMM_WORLD, &s[1]);
	MPI_Recv(&got, 1, MPI_INT, 0, 2, MPI_COMM_WORLD, &st);
	cr_assert_eq(got, 2);
	cr_assert_eq(st.MPI_TAG, 2);
	MPI_Recv(&got, 1, MPI_INT, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
	cr_assert_eq(got, 1);
	cr_assert_eq(st.MPI_TAG, 1);
	MPI_Waitall(2, s, MPI_STATUSES_IGNORE);
}

Test(match_mpi, posted_receives_are_filled_in_posting_order)
{
	MPI_Request r[2];
	int got[2] = { 0, 0 }, a = 7, b = 8;

	MPI_Irecv(&got[0], 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &r[0]);
	MPI_Irecv(&got[1], 1, MPI_INT, 0, 3, MPI_COMM_WORLD, &r[1]);
	MPI_Send(&a, 1, MPI_INT, 0, 3, MPI_COMM_WORLD);
	MPI_Send(&b, 1, MPI_INT, 0, 3, MPI_COMM_WORLD);
	cr_assert_eq(MPI_Waitall(2, r, MPI_STATUSES_IGNORE), MPI_SUCCESS);
	cr_assert_eq(got[0], 7, "the wildcard receive was posted first");
	cr_assert_eq(got[1], 8);
}

Test(match_mpi, cancelled_receive_leaves_the_message_to_the_next_one)
{
	MPI_Request r[2];
	MPI_Status st;
	int got[2] = { 0, 0 }, v = 99, flag = 0;

	MPI_Irecv(&got[0], 1, MPI_INT, 0, 4, MPI_COMM_WORLD, &r[0]);
	MPI_Irecv(&got[1], 1, MPI_INT, 0, 4, MPI_COMM_WORLD, &r[1]);
	cr_assert_eq(MPI_Cancel(&r[0]), MPI_SUCCESS);
	cr_assert_eq(MPI_Wait(&r[0], &st), MPI_SUCCESS);
	MPI_Test_cancelled(&st, &flag);
	cr_assert_eq(flag, 1);
	MPI_Send(&v, 1, MPI_INT, 0, 4, MPI_COMM_WORLD);
	cr_assert_eq(MPI_Wait(&r[1], &st), MPI_SUCCESS);
	MPI_Test_cancelled(&st, &flag);
	cr_assert_eq(flag, 0);
	cr_assert_eq(got[0], 0);
	cr_assert_eq(got[1], 99);
}

Test(match_mpi, matched_receive_cannot_be_cancelled)
{
	MPI_Request r;
	MPI_Status st;
	int got = 0, v = 5, flag = 1;

	MPI_Irecv(&got, 1, MPI_INT, 0, 6, MPI_COMM_WORLD, &r);
	MPI_Send(&v, 1, MPI_INT, 0, 6, MPI_COMM_WORLD);
	cr_assert_eq(MPI_Cancel(&r), MPI_SUCCESS);
	cr_assert_eq(MPI_Wait(&r, &st), MPI_SUCCESS);
	MPI_Test_cancelled(&st, &flag);
	cr_assert_eq(flag, 0);
	cr_assert_eq(got, 5);
}
