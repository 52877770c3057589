/* SPDX-License-Identifier: MIT */
/*
 * test_sched.c: collective schedules (sched.c) on one rank. A listed schedule only records
 * its steps until it runs; an eager one (a blocking collective's) starts each step as it is
 * added and waits at a round's end, with the same results; it takes no call steps; small
 * work buffers come from the schedule's own area, aligned for any type.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <mpi.h>
#include "mpii_impl.h"

static struct mpii_comm *self;

static void setup(void)
{
	MPI_Init(NULL, NULL);
	self = mpii_comm_get(MPI_COMM_SELF);
}

static void teardown(void)
{
	MPI_Finalize();
}

TestSuite(sched, .init = setup, .fini = teardown);

/* A message to itself and a reduction into it: x -> y, then y += x. */
static int build(struct mpii_sched *s, const int *x, int *y)
{
	struct mpii_dtype *it = mpii_dtype_get(MPI_INT);
	int rc = mpii_sched_send(s, x, 1, it, 0);

	if (!rc)
		rc = mpii_sched_recv(s, y, 1, it, 0);
	if (!rc)
		rc = mpii_sched_round(s);
	if (!rc)
		rc = mpii_sched_reduce(s, x, y, 1, it, mpii_handle_get(MPII_K_OP, MPI_SUM));
	return rc;
}

Test(sched, a_listed_schedule_runs_only_when_run)
{
	struct mpii_sched *s = mpii_sched_new(self);
	int x = 21, y = 0;

	cr_assert_not_null(s);
	cr_assert_eq(build(s, &x, &y), MPI_SUCCESS);
	cr_assert_eq(y, 0, "a listed schedule's steps wait for it to run");
	cr_assert_eq(mpii_sched_finish(s, MPI_SUCCESS, NULL), MPI_SUCCESS);
	cr_assert_eq(y, 42);
}

Test(sched, an_eager_schedule_runs_as_it_is_built)
{
	struct mpii_sched *s = mpii_sched_blocking(self, "MPI_Allreduce", 0);
	struct mpii_dtype *it = mpii_dtype_get(MPI_INT);
	int x = 21, y = 0, z = 0;

	cr_assert_not_null(s);
	cr_assert_eq(mpii_sched_send(s, &x, 1, it, 0), MPI_SUCCESS);
	cr_assert_eq(mpii_sched_recv(s, &y, 1, it, 0), MPI_SUCCESS);
	cr_assert_eq(mpii_sched_round(s), MPI_SUCCESS);
	cr_assert_eq(y, 21, "the round's end waited for its message");
	cr_assert_eq(mpii_sched_copy(s, &y, 1, it, &z, 1, it), MPI_SUCCESS);
	cr_assert_eq(z, 21, "a local step ran when it was added");
	cr_assert_eq(mpii_sched_reduce(s, &x, &y, 1, it, mpii_handle_get(MPII_K_OP, MPI_SUM)),
		     MPI_SUCCESS);
	cr_assert_eq(y, 42);
	cr_assert_eq(mpii_sched_finish(s, MPI_SUCCESS, NULL), MPI_SUCCESS);
}

Test(sched, both_kinds_give_the_same_result)
{
	int x = 5, y1 = 0, y2 = 0;
	struct mpii_sched *a = mpii_sched_new(self);

	cr_assert_eq(mpii_sched_finish(a, build(a, &x, &y1), NULL), MPI_SUCCESS);
	a = mpii_sched_blocking(self, NULL, 0);
	cr_assert_eq(mpii_sched_finish(a, build(a, &x, &y2), NULL), MPI_SUCCESS);
	cr_assert_eq(y1, 10);
	cr_assert_eq(y2, y1);
}

static int nothing(struct mpii_sched *s, void *arg)
{
	(void)s;
	(void)arg;
	return 0;
}

Test(sched, an_eager_schedule_takes_no_call_steps)
{
	struct mpii_sched *s = mpii_sched_blocking(self, NULL, 0);

	cr_assert_eq(mpii_sched_call(s, nothing, NULL), MPI_ERR_INTERN);
	cr_assert_eq(mpii_sched_finish(s, MPI_SUCCESS, NULL), MPI_SUCCESS);
	s = mpii_sched_new(self);
	cr_assert_eq(mpii_sched_call(s, nothing, NULL), MPI_SUCCESS);
	cr_assert_eq(mpii_sched_finish(s, MPI_SUCCESS, NULL), MPI_SUCCESS);
}

/* An error of one message is the schedule's; the rest of it still runs (the other ranks'
 * messages are not left without their partners). */
Test(sched, an_eager_schedule_goes_on_past_an_error)
{
	struct mpii_sched *s = mpii_sched_blocking(self, NULL, 0);
	struct mpii_dtype *it = mpii_dtype_get(MPI_INT);
	int big[2] = { 1, 2 }, small = 0, x = 7, y = 0;

	mpii_sched_send(s, big, 2, it, 0);
	mpii_sched_recv(s, &small, 1, it, 0);	/* truncated */
	mpii_sched_round(s);
	mpii_sched_send(s, &x, 1, it, 0);
	mpii_sched_recv(s, &y, 1, it, 0);
	cr_assert_eq(mpii_sched_finish(s, MPI_SUCCESS, NULL), MPI_ERR_TRUNCATE);
	cr_assert_eq(y, 7);
}

Test(sched, small_buffers_come_from_the_area_aligned)
{
	struct mpii_sched *s = mpii_sched_new(self);
	char *a = mpii_sched_tmp(s, 1), *b = mpii_sched_tmp(s, 24);
	char *c = mpii_sched_tmp(s, MPII_SCHED_AREA), *d = mpii_sched_tmp(s, 0);

	cr_assert(a && b && c && d);
	cr_assert_eq((uintptr_t)a % MPII_SCHED_ALIGN, 0);
	cr_assert_eq((uintptr_t)b % MPII_SCHED_ALIGN, 0);
	cr_assert_eq(b - a, MPII_SCHED_ALIGN, "one byte takes one aligned unit");
	cr_assert(c < a || c >= a + MPII_SCHED_AREA, "what does not fit comes from the heap");
	memset(a, 1, 1);
	memset(b, 2, 24);
	memset(c, 3, MPII_SCHED_AREA);
	cr_assert_eq(a[0], 1);
	cr_assert_eq(b[23], 2);
	mpii_sched_free(s);
}
