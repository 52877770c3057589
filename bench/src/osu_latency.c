// SPDX-License-Identifier: MIT
/*
 * osu_latency: ping-pong latency between ranks 0 and 1 for every power-of-two size, as the
 * OSU micro-benchmarks measure it: per size a warm-up, then many iterations of MPI_Send and
 * MPI_Recv each way; one-way latency is half the round trip. Plain MPI (built with Open
 * MPI's mpicc and with tessera-mpicc alike) for `make bench`.
 * Usage: osu_latency [MIN MAX [ITERS]]. Rank 0 prints "lat SIZE US" per size.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	long min = argc > 2 ? atol(argv[1]) : 1, max = argc > 2 ? atol(argv[2]) : 1 << 20;
	int base = argc > 3 ? atoi(argv[3]) : 10000, rank;
	char *sbuf, *rbuf;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	sbuf = malloc((size_t)max + 1);
	rbuf = malloc((size_t)max + 1);
	memset(sbuf, 'a', (size_t)max + 1);
	for (long n = min; n <= max; n = n ? n * 2 : 1) {
		int iters = n > 65536 ? base / 50 + 10 : n > 8192 ? base / 10 + 10 : base;
		int skip = iters / 10 + 20;	/* every slot of the channel used once */
		double t0 = 0;

		MPI_Barrier(MPI_COMM_WORLD);
		for (int i = 0; i < iters + skip; i++) {
			if (i == skip)
				t0 = MPI_Wtime();
			if (rank == 0) {
				MPI_Send(sbuf, (int)n, MPI_CHAR, 1, 1, MPI_COMM_WORLD);
				MPI_Recv(rbuf, (int)n, MPI_CHAR, 1, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			} else if (rank == 1) {
				MPI_Recv(rbuf, (int)n, MPI_CHAR, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
				MPI_Send(sbuf, (int)n, MPI_CHAR, 0, 1, MPI_COMM_WORLD);
			}
		}
		if (rank == 0)
			printf("lat %ld %.3f\n", n, (MPI_Wtime() - t0) * 1e6 / iters / 2);
		if (n == 0 && max == 0)
			break;
	}
	free(sbuf);
	free(rbuf);
	MPI_Finalize();
	return 0;
}
