// SPDX-License-Identifier: MIT
/* allreduce: every rank says hello, then CALLS (argv[1], default 3) MPI_Allreduce of one
 * double; rank 0 prints the last sum, which must be n(n-1)/2 + (CALLS-1)*n. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int rank, size, calls = argc > 1 ? atoi(argv[1]) : 3;
	double x = 0;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	printf("hello from rank %d of %d\n", rank, size);
	for (int i = 0; i < calls; i++) {
		x = rank + i;
		MPI_Allreduce(MPI_IN_PLACE, &x, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
	}
	if (rank == 0)
		printf("sum %.0f\n", x);
	MPI_Finalize();
	return 0;
}
