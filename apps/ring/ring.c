/* SPDX-License-Identifier: MIT */
/*
 * ring: a token travels around the ranks LAPS times (default 10); every rank adds its rank
 * number as the token passes. Rank 0 reports the token after each lap and checks the sum.
 * Usage: ring [LAPS]. Plain MPI; the time per hop goes to stderr.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int rank, size, laps = 10, lap, next, prev;
	long long token = 0;
	double t0;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	if (argc > 1)
		laps = atoi(argv[1]);
	next = (rank + 1) % size;
	prev = (rank + size - 1) % size;
	MPI_Barrier(MPI_COMM_WORLD);
	t0 = MPI_Wtime();
	for (lap = 1; lap <= laps; lap++) {
		if (rank == 0) {
			MPI_Send(&token, 1, MPI_LONG_LONG, next, lap, MPI_COMM_WORLD);
			MPI_Recv(&token, 1, MPI_LONG_LONG, prev, lap, MPI_COMM_WORLD,
				 MPI_STATUS_IGNORE);
			printf("lap %d: token %lld\n", lap, token);
		} else {
			MPI_Recv(&token, 1, MPI_LONG_LONG, prev, lap, MPI_COMM_WORLD,
				 MPI_STATUS_IGNORE);
			token += rank;
			MPI_Send(&token, 1, MPI_LONG_LONG, next, lap, MPI_COMM_WORLD);
		}
	}
	if (rank == 0) {
		long long expect = (long long)laps * size * (size - 1) / 2;

		printf("ring of %d ranks, %d laps: %s\n", size, laps,
		       token == expect ? "token correct" : "TOKEN WRONG");
		if (laps > 0)
			fprintf(stderr, "ring: %.2f us per hop\n",
				(MPI_Wtime() - t0) * 1e6 / ((double)laps * size));
	}
	MPI_Finalize();
	return 0;
}
