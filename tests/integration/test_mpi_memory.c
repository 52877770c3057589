// SPDX-License-Identifier: MIT
/*
 * test_mpi_memory.c: memory of MPI programs: the default board gives every core enough
 * private DRAM for what tutorials and test suites allocate (a 160 MB static array and two
 * 128 MB buffers), and MPI's own work buffers stay small next to the user's (a reduction of
 * a 40 MB vector with a user operation on a board with 128 MB per core).
 */
#include <criterion/criterion.h>
#include "helpers.h"

#define IMG "build/tests/mpi-images/"

Test(mpi_memory, default_board_holds_160_mb_static_and_two_128_mb_buffers)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 4 " IMG "bigmem");
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_str_eq(r.out, "ok\n");
	run_free(&r);
}

/* in + out take 80 MB of the 128; two whole copies more would not fit */
Test(mpi_memory, reduce_work_buffers_are_segments_not_copies)
{
	struct run r;
	char board[] = "/tmp/tessera-test-board-XXXXXX";
	int fd = mkstemp(board);

	dprintf(fd, "base = scc48\nprivate_mb = 128\n");
	close(fd);
	run_cmd(&r, TESSERA " run --board %s -n 4 " IMG "reduce_mem 40", board);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_str_eq(r.out, "reduce of 10485760 ints: ok\n");
	unlink(board);
	run_free(&r);
}
