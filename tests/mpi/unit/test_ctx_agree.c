/* SPDX-License-Identifier: MIT */
/*
 * test_ctx_agree.c: context ids of new communicators (ctx_agree.c) on one rank: every id
 * can be handed out once, running out is an error, a freed id comes back, and an idup
 * completes through the request whether or not other agreements are pending.
 */
#include <criterion/criterion.h>
#include <mpi.h>

static void setup(void)
{
	MPI_Init(NULL, NULL);
	MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
}

static void teardown(void)
{
	MPI_Finalize();
}

TestSuite(ctx_agree, .init = setup, .fini = teardown);

/* 2048 pairs minus MPI_COMM_WORLD's and MPI_COMM_SELF's */
#define FREE_PAIRS 2046

Test(ctx_agree, ids_run_out_then_come_back)
{
	static MPI_Comm c[FREE_PAIRS + 1];
	int i, n = 0, rc;

	for (i = 0; i <= FREE_PAIRS; i++) {
		rc = MPI_Comm_dup(MPI_COMM_SELF, &c[i]);
		if (rc != MPI_SUCCESS)
			break;
		n++;
	}
	cr_assert_eq(n, FREE_PAIRS);
	cr_assert_eq(rc, MPI_ERR_INTERN);
	MPI_Comm_free(&c[17]);
	cr_assert_eq(MPI_Comm_dup(MPI_COMM_SELF, &c[17]), MPI_SUCCESS);
	for (i = 0; i < n; i++)
		MPI_Comm_free(&c[i]);
}

Test(ctx_agree, idups_outstanding_together_get_distinct_ids)
{
	MPI_Comm a, b, d;
	MPI_Request r[2];
	int cmp;

	MPI_Comm_idup(MPI_COMM_SELF, &a, &r[0]);
	MPI_Comm_idup(MPI_COMM_SELF, &b, &r[1]);
	cr_assert_eq(MPI_Comm_dup(MPI_COMM_SELF, &d), MPI_SUCCESS);
	cr_assert_eq(MPI_Waitall(2, r, MPI_STATUSES_IGNORE), MPI_SUCCESS);
	MPI_Comm_compare(a, b, &cmp);
	cr_assert_eq(cmp, MPI_CONGRUENT);
	/* distinct contexts: a message sent on one is not received on the other */
	{
		int x = 5, y = 0, flag;

		MPI_Send(&x, 1, MPI_INT, 0, 0, a);
		MPI_Iprobe(0, 0, b, &flag, MPI_STATUS_IGNORE);
		cr_assert_eq(flag, 0);
		MPI_Iprobe(0, 0, d, &flag, MPI_STATUS_IGNORE);
		cr_assert_eq(flag, 0);
		MPI_Recv(&y, 1, MPI_INT, 0, 0, a, MPI_STATUS_IGNORE);
		cr_assert_eq(y, 5);
	}
	MPI_Comm_free(&a);
	MPI_Comm_free(&b);
	MPI_Comm_free(&d);
}
