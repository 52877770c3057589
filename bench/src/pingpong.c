// SPDX-License-Identifier: MIT
/*
 * pingpong: one-way latency and bandwidth between ranks 0 and 1, for `make bench`.
 * Usage: pingpong BYTES ITERATIONS. Rank 0 prints: "pingpong BYTES us=ONE_WAY MBps=BW".
 * Plain MPI: built with Open MPI's mpicc and with tessera-mpicc alike.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	int rank, n = argc > 1 ? atoi(argv[1]) : 8, iters = argc > 2 ? atoi(argv[2]) : 1000;
	char *buf;
	double t0, t;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	buf = malloc(n > 0 ? (size_t)n : 1);
	memset(buf, rank, n > 0 ? (size_t)n : 1);
	for (int phase = 0; phase < 2; phase++) {	/* phase 0 warms up */
		int reps = phase ? iters : iters / 10 + 1;
		MPI_Barrier(MPI_COMM_WORLD);
		t0 = MPI_Wtime();
		for (int i = 0; i < reps; i++) {
			if (rank == 0) {
				MPI_Send(buf, n, MPI_CHAR, 1, 1, MPI_COMM_WORLD);
				MPI_Recv(buf, n, MPI_CHAR, 1, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			} else if (rank == 1) {
				MPI_Recv(buf, n, MPI_CHAR, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
				MPI_Send(buf, n, MPI_CHAR, 0, 1, MPI_COMM_WORLD);
			}
		}
		t = (MPI_Wtime() - t0) / reps / 2;
	}
	if (rank == 0)
		printf("pingpong %d us=%.3f MBps=%.1f\n", n, t * 1e6, n / t / 1e6);
	free(buf);
	MPI_Finalize();
	return 0;
}
