// SPDX-License-Identifier: MIT
/*
 * test_counters.c: the message counters of `tessera ps` and `top` count every MPI message
 * once. build/tests/mpi-images/count makes a known exchange on a board made by `tessera
 * boot` (which outlives the job, counters included): rank 0 sends rank 1 ten eager messages
 * of 1000 bytes, a synchronous one of 100 and a rendezvous one of 100000, then both call
 * MPI_Finalize, whose barrier is one message of 0 bytes each way on two ranks. Rendezvous
 * control messages (RTS, CTS) are protocol, not messages, and the channels below count
 * nothing. No timing: the job has ended before the counters are read.
 */
#include <criterion/criterion.h>
#include "helpers.h"

#define COUNT_IMG "build/tests/mpi-images/count"

static char handle[512];

static void boot(void)
{
	struct run r;

	run_cmd(&r, TESSERA " boot");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(sscanf(r.out, "%511s", handle), 1, "%s", r.out);
	run_free(&r);
	run_cmd(&r, TESSERA " run --board %s -n 2 " COUNT_IMG, handle);
	cr_assert_eq(r.status, 0, "the exchange failed (exit %d): %s", r.status, r.err);
	run_free(&r);
}

static void shutdown_board(void)
{
	struct run r;

	if (!handle[0])
		return;
	run_cmd(&r, TESSERA " shutdown --board %s", handle);
	run_free(&r);
}

TestSuite(counters, .init = boot, .fini = shutdown_board);

Test(counters, ps_counts_each_mpi_message_once)
{
	struct run r;

	run_cmd(&r, TESSERA " ps --board %s", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* 12 data messages (110100 bytes) + the barrier's 0-byte message, each way as sent */
	cr_assert_eq(count_lines(r.out, "exited    status 0                                     "
				 "13 msgs 110100 B / 1 msgs 0 B"), 1, "rank 0:\n%s", r.out);
	cr_assert_eq(count_lines(r.out, "exited    status 0                                     "
				 "1 msgs 0 B / 13 msgs 110100 B"), 1, "rank 1:\n%s", r.out);
	run_free(&r);
}

Test(counters, top_totals_agree_with_ps)
{
	struct run r;
	unsigned long long out = 0, in = 0;
	const char *line;

	run_cmd(&r, TESSERA " top --once --interval 0.01 --board %s", handle);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* tile 0,0 holds both ranks; its last two columns are messages sent and received */
	line = strstr(r.out, "\n0,0 ");
	cr_assert_not_null(line, "%s", r.out);
	cr_assert_eq(sscanf(line, "\n0,0 r0 exit 0 r1 exit 0 %*s %*s %*s %*s %llu %llu", &out, &in),
		     2, "%s", r.out);
	cr_assert_eq(out, 14, "%s", r.out);
	cr_assert_eq(in, 14, "%s", r.out);
	run_free(&r);
}
