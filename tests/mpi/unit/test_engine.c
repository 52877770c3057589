/* SPDX-License-Identifier: MIT */
/*
 * test_engine.c: lib/mpi/engine.c on one rank of the host fake: what the message counters
 * (`tessera ps`, `top`) count. An MPI message is counted once on each side, with its data
 * bytes, whichever protocol carried it (eager, synchronous, rendezvous); the rendezvous
 * control messages and MPI_PROC_NULL are not messages.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "mpii_impl.h"
#include "fake.h"

static void setup(void)
{
	MPI_Init(NULL, NULL);
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}

static void teardown(void)
{
	MPI_Finalize();
}

/* A counting bug may also show as a hang in a protocol path: fail it instead. */
TestSuite(engine, .init = setup, .fini = teardown, .timeout = 30);

static void assert_counts(uint64_t msgs_sent, uint64_t bytes_sent, uint64_t msgs_recv,
			  uint64_t bytes_recv)
{
	struct fake_counts c;

	fake_counts(&c);
	cr_assert_eq(c.msgs_sent, msgs_sent, "messages sent %llu", (unsigned long long)c.msgs_sent);
	cr_assert_eq(c.bytes_sent, bytes_sent, "bytes sent %llu", (unsigned long long)c.bytes_sent);
	cr_assert_eq(c.msgs_recv, msgs_recv, "messages received %llu",
		     (unsigned long long)c.msgs_recv);
	cr_assert_eq(c.bytes_recv, bytes_recv, "bytes received %llu",
		     (unsigned long long)c.bytes_recv);
}

static char sbuf[2 * MPII_EAGER_MAX], rbuf[2 * MPII_EAGER_MAX];

Test(engine, ten_eager_sends_count_ten_messages_each_way)
{
	for (int i = 0; i < 10; i++)
		cr_assert_eq(MPI_Send(sbuf, 100, MPI_CHAR, 0, i, MPI_COMM_WORLD), MPI_SUCCESS);
	for (int i = 0; i < 10; i++)
		cr_assert_eq(MPI_Recv(rbuf, 100, MPI_CHAR, 0, i, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
			     MPI_SUCCESS);
	assert_counts(10, 1000, 10, 1000);
}

Test(engine, rendezvous_message_counts_once_without_its_rts_and_cts)
{
	MPI_Request r;
	int n = MPII_EAGER_MAX + 1;

	memset(sbuf, 'r', (size_t)n);
	MPI_Irecv(rbuf, n, MPI_CHAR, 0, 1, MPI_COMM_WORLD, &r);
	cr_assert_eq(MPI_Send(sbuf, n, MPI_CHAR, 0, 1, MPI_COMM_WORLD), MPI_SUCCESS);
	cr_assert_eq(MPI_Wait(&r, MPI_STATUS_IGNORE), MPI_SUCCESS);
	cr_assert_eq(memcmp(rbuf, sbuf, (size_t)n), 0);
	assert_counts(1, (uint64_t)n, 1, (uint64_t)n);
}

Test(engine, synchronous_send_counts_once)
{
	MPI_Request r;

	MPI_Irecv(rbuf, 8, MPI_CHAR, 0, 2, MPI_COMM_WORLD, &r);
	cr_assert_eq(MPI_Ssend(sbuf, 8, MPI_CHAR, 0, 2, MPI_COMM_WORLD), MPI_SUCCESS);
	cr_assert_eq(MPI_Wait(&r, MPI_STATUS_IGNORE), MPI_SUCCESS);
	assert_counts(1, 8, 1, 8);
}

Test(engine, unexpected_message_counts_as_received_when_a_receive_takes_it)
{
	cr_assert_eq(MPI_Send(sbuf, 40, MPI_CHAR, 0, 3, MPI_COMM_WORLD), MPI_SUCCESS);
	assert_counts(1, 40, 0, 0);
	cr_assert_eq(MPI_Recv(rbuf, 40, MPI_CHAR, 0, 3, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
		     MPI_SUCCESS);
	assert_counts(1, 40, 1, 40);
}

Test(engine, proc_null_is_no_message)
{
	cr_assert_eq(MPI_Send(sbuf, 10, MPI_CHAR, MPI_PROC_NULL, 0, MPI_COMM_WORLD), MPI_SUCCESS);
	cr_assert_eq(MPI_Recv(rbuf, 10, MPI_CHAR, MPI_PROC_NULL, 0, MPI_COMM_WORLD,
			      MPI_STATUS_IGNORE), MPI_SUCCESS);
	assert_counts(0, 0, 0, 0);
}
