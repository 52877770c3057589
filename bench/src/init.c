// SPDX-License-Identifier: MIT
/* init: MPI_Init and MPI_Finalize, nothing else: start-up to exit of a whole job. */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	int rank, size;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	if (rank == 0)
		printf("init size=%d\n", size);
	MPI_Finalize();
	return 0;
}
