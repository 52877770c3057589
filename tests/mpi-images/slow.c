// SPDX-License-Identifier: MIT
/*
 * slow: a job that is slow but progresses: a token goes round the ring ROUNDS times, and the
 * rank holding it computes for a while first, so at most moments every other rank waits in
 * MPI_Recv. Must never be taken for a deadlock.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static volatile double sink;

int main(int argc, char **argv)
{
	int rank, size, rounds = argc > 1 ? atoi(argv[1]) : 3, token = 0;
	double t;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	for (int r = 0; r < rounds; r++) {
		if (rank != 0 || r > 0)
			MPI_Recv(&token, 1, MPI_INT, (rank + size - 1) % size, 1, MPI_COMM_WORLD,
				 MPI_STATUS_IGNORE);
		t = MPI_Wtime();
		while (MPI_Wtime() - t < 0.05)	/* compute for 50 ms */
			sink = sink * 1.0000001 + 1;
		token++;
		MPI_Send(&token, 1, MPI_INT, (rank + 1) % size, 1, MPI_COMM_WORLD);
	}
	if (rank == 0) {
		MPI_Recv(&token, 1, MPI_INT, size - 1, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		printf("slow: token %d after %d rounds\n", token, rounds);
	}
	MPI_Finalize();
	return 0;
}
