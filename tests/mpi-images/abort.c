// SPDX-License-Identifier: MIT
/* abort: rank 3 calls MPI_Abort(MPI_COMM_WORLD, 42) while the others wait in a barrier. */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	int rank;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	if (rank == 3) {
		printf("rank 3 aborts\n");
		fflush(stdout);
		MPI_Abort(MPI_COMM_WORLD, 42);
	}
	MPI_Barrier(MPI_COMM_WORLD);
	MPI_Finalize();
	return 0;
}
