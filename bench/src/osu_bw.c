// SPDX-License-Identifier: MIT
/*
 * osu_bw: bandwidth and message rate from rank 0 to rank 1 for every power-of-two size, as
 * the OSU micro-benchmarks measure them: per iteration rank 0 starts a window of 64
 * MPI_Isend, rank 1 64 MPI_Irecv, both MPI_Waitall, then rank 1 answers with one 4-byte
 * message; a warm-up first. As in OSU's osu_bw, every message of a window uses the same
 * buffer (a tile's private memory could not hold 64 of 1 MiB). Plain MPI, for `make bench`.
 * Usage: osu_bw [MIN MAX [ITERS]]. Rank 0 prints "bw SIZE MBps MSGS_PER_S" per size.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 64

int main(int argc, char **argv)
{
	long min = argc > 2 ? atol(argv[1]) : 1, max = argc > 2 ? atol(argv[2]) : 1 << 20;
	int base = argc > 3 ? atoi(argv[3]) : 1000, rank, ack = 0;
	MPI_Request req[WINDOW];
	char *buf;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	buf = malloc((size_t)max + 1);
	memset(buf, 'a', (size_t)max + 1);
	for (long n = min; n <= max; n = n ? n * 2 : 1) {
		int iters = n > 65536 ? base / 50 + 5 : n > 8192 ? base / 10 + 5 : base;
		int skip = iters / 10 + 2;
		double t0 = 0, t;

		MPI_Barrier(MPI_COMM_WORLD);
		for (int i = 0; i < iters + skip; i++) {
			if (i == skip)
				t0 = MPI_Wtime();
			if (rank == 0) {
				for (int w = 0; w < WINDOW; w++)
					MPI_Isend(buf, (int)n, MPI_CHAR, 1, 100, MPI_COMM_WORLD,
						  &req[w]);
				MPI_Waitall(WINDOW, req, MPI_STATUSES_IGNORE);
				MPI_Recv(&ack, 1, MPI_INT, 1, 101, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			} else if (rank == 1) {
				for (int w = 0; w < WINDOW; w++)
					MPI_Irecv(buf, (int)n, MPI_CHAR, 0, 100, MPI_COMM_WORLD,
						  &req[w]);
				MPI_Waitall(WINDOW, req, MPI_STATUSES_IGNORE);
				MPI_Send(&ack, 1, MPI_INT, 0, 101, MPI_COMM_WORLD);
			}
		}
		t = MPI_Wtime() - t0;
		if (rank == 0)
			printf("bw %ld %.2f %.0f\n", n, (double)n * iters * WINDOW / t / 1e6,
			       (double)iters * WINDOW / t);
		if (n == 0 && max == 0)
			break;
	}
	free(buf);
	MPI_Finalize();
	return 0;
}
