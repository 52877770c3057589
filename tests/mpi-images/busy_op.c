// SPDX-License-Identifier: MIT
/*
 * busy_op: ranks that compute inside MPI calls and between them while the others wait, which
 * is no deadlock: (1) MPI_Allreduce with a user-defined op that computes for SECONDS on rank
 * 0 (every other rank waits inside the collective meanwhile); (2) rank 0 computes for
 * SECONDS between MPI_Ibarrier and MPI_Wait while the others wait in MPI_Wait. SECONDS is
 * argv[1] (default 2.5), longer than the deadlock threshold the test gives `tessera run`.
 * The tile C library has no sleep: the op computes on the clock.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int rank, op_calls;
static double seconds = 2.5;
static volatile double sink;

static void compute(double s)
{
	double t = MPI_Wtime();

	while (MPI_Wtime() - t < s)
		sink = sink * 1.0000001 + 1;
}

static void slow_sum(void *in, void *inout, int *len, MPI_Datatype *type)
{
	(void)type;
	op_calls++;
	if (rank == 0)
		compute(seconds);
	for (int i = 0; i < *len; i++)
		((int *)inout)[i] += ((int *)in)[i];
}

int main(int argc, char **argv)
{
	int size, v, sum = 0;
	MPI_Op op;
	MPI_Request req;

	if (argc > 1)
		seconds = atof(argv[1]);
	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	MPI_Op_create(slow_sum, 1, &op);
	v = rank + 1;
	MPI_Allreduce(&v, &sum, 1, MPI_INT, op, MPI_COMM_WORLD);
	if (sum != size * (size + 1) / 2) {
		printf("rank %d: sum %d, expected %d\n", rank, sum, size * (size + 1) / 2);
		return 1;
	}
	if (rank == 0 && op_calls == 0) {
		printf("rank 0 never ran the op: the test proves nothing\n");
		return 2;
	}
	MPI_Ibarrier(MPI_COMM_WORLD, &req);
	if (rank == 0)
		compute(seconds);
	MPI_Wait(&req, MPI_STATUS_IGNORE);
	MPI_Op_free(&op);
	if (rank == 0)
		printf("busy_op: sum %d\n", sum);
	MPI_Finalize();
	return 0;
}
