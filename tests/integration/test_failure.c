// SPDX-License-Identifier: MIT
/*
 * test_failure.c: how MPI jobs fail: a deadlock is found and reported with its wait-for
 * cycle (2 and 48 ranks, and through one-sided window locks), a slow job that progresses
 * and ranks that compute inside a collective are not, MPI_Abort ends the job with its code,
 * and nothing is left behind.
 */
#include <criterion/criterion.h>
#include "helpers.h"

#define IMG "build/tests/mpi-images/"

Test(failure, mpi_deadlock_of_2_is_reported)
{
	struct run r;
	char dir[256];

	board_dir(dir, sizeof(dir), "dl2");
	run_cmd(&r, TESSERA " run -n 2 --deadlock 0.5 --board-dir %s " IMG "deadlock", dir);
	cr_assert_eq(r.status, 125, "%s", r.err);
	cr_assert_str_eq(r.err, "tessera: deadlock: rank 0 waits for rank 1 (tag 7, MPI_COMM_WORLD) "
			 "-> rank 1 waits for rank 0 (tag 7, MPI_COMM_WORLD) -> rank 0\n");
	cr_assert_not(path_exists(dir));
	cr_assert_eq(cores_left(r.pid), 0);
	run_free(&r);
}

Test(failure, mpi_deadlock_of_48_is_reported)
{
	struct run r;

	run_cmd(&r, TESSERA " run -n 48 --deadlock 0.5 " IMG "deadlock");
	cr_assert_eq(r.status, 125, "%s", r.err);
	cr_assert(strstr(r.err, "tessera: deadlock: rank 0 waits for rank 1 (tag 7, MPI_COMM_WORLD) "
			 "-> rank 1 waits for rank 2"), "%s", r.err);
	cr_assert(strstr(r.err, "-> rank 47 waits for rank 0 (tag 7, MPI_COMM_WORLD) -> rank 0\n"),
		  "%s", r.err);
	cr_assert_eq(cores_left(r.pid), 0);
	run_free(&r);
}

Test(failure, rma_lock_deadlock_is_reported)
{
	struct run r;

	/* rank 0 holds rank 1's window lock and waits for rank 1, which waits for that lock */
	run_cmd(&r, TESSERA " run -n 2 --deadlock 0.5 " IMG "rma_deadlock");
	cr_assert_eq(r.status, 125, "%s", r.err);
	cr_assert(strstr(r.err, "tessera: deadlock: rank 0 waits for rank 1 (tag 5, MPI_COMM_WORLD) "
			 "-> rank 1 waits for the window lock of rank 1 held by rank 0 (comm "),
		  "%s", r.err);
	cr_assert_eq(cores_left(r.pid), 0);
	run_free(&r);
	/* two ranks each holding the exclusive lock the other asks for */
	run_cmd(&r, TESSERA " run -n 2 --deadlock 0.5 --coherence=strict " IMG "rma_deadlock cross");
	cr_assert_eq(r.status, 125, "%s", r.err);
	cr_assert(strstr(r.err, "rank 0 waits for the window lock of rank 1 held by rank 1 (comm "),
		  "%s", r.err);
	cr_assert(strstr(r.err, "rank 1 waits for the window lock of rank 0 held by rank 0 (comm "),
		  "%s", r.err);
	run_free(&r);
}

Test(failure, slow_mpi_job_is_not_a_deadlock)
{
	struct run r;

	/* 8 ranks x 3 rounds x 50 ms of computing: 1.2 s, more than twice the threshold */
	run_cmd(&r, TESSERA " run -n 8 --deadlock 0.5 " IMG "slow 3");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "slow: token 24 after 3 rounds\n");
	run_free(&r);
}

Test(failure, computing_inside_a_collective_is_not_a_deadlock)
{
	struct run r;

	/* rank 0 computes 1.5 s in its reduction op inside MPI_Allreduce, then 1.5 s between
	 * MPI_Ibarrier and MPI_Wait, while the others wait in the collective: three times the
	 * threshold each, and no deadlock (tessera before the fix said 125 here) */
	run_cmd(&r, TESSERA " run -n 4 --deadlock 0.5 " IMG "busy_op 1.5");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "busy_op: sum 10\n");
	run_free(&r);
}

Test(failure, mpi_abort_ends_the_job_with_its_code)
{
	struct run r;
	char dir[256];

	board_dir(dir, sizeof(dir), "abort");
	run_cmd(&r, TESSERA " run -n 48 --board-dir %s " IMG "abort", dir);
	cr_assert_eq(r.status, 42, "%s", r.err);
	cr_assert(strstr(r.out, "rank 3 aborts\n"), "%s", r.out);
	cr_assert(strstr(r.err, "tessera: rank 3 called MPI_Abort with error code 42"), "%s", r.err);
	cr_assert_not(path_exists(dir));
	cr_assert_eq(cores_left(r.pid), 0);
	run_free(&r);
}

Test(failure, mpirun_wrapper_passes_the_status)
{
	struct run r;

	run_cmd(&r, "build/bin/tessera-mpirun -np 4 --oversubscribe " IMG "abort");
	cr_assert_eq(r.status, 42, "%s", r.err);
	run_free(&r);
}
