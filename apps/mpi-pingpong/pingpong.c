/* SPDX-License-Identifier: MIT */
/*
 * mpi-pingpong: latency and bandwidth between rank 0 and rank 1 (or the last rank, with
 * -far) for message sizes from 0 bytes to MAX (default 1 MiB), by repeated MPI_Send /
 * MPI_Recv round trips. Every message is checked. Other ranks wait in a barrier.
 * Usage: mpi-pingpong [-far] [MAX_BYTES]
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	int rank, size, peer, far = 0, a, ok = 1;
	long max = 1 << 20, len;
	unsigned char *buf;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "-far") == 0)
			far = 1;
		else
			max = atol(argv[a]);
	}
	if (size < 2) {
		if (rank == 0)
			fprintf(stderr, "mpi-pingpong: needs at least 2 ranks\n");
		MPI_Finalize();
		return 2;
	}
	peer = far ? size - 1 : 1;
	buf = malloc((size_t)max + 1);
	if (rank == 0)
		printf("%10s %8s %14s %14s\n", "bytes", "reps", "latency(us)", "MB/s");
	for (len = 0; len <= max; len = len ? len * 4 : 1) {
		int reps = len <= 4096 ? 1000 : len <= 65536 ? 200 : 20, r;
		double t0 = MPI_Wtime(), t;

		if (rank != 0 && rank != peer) {
			MPI_Barrier(MPI_COMM_WORLD);
			continue;
		}
		/* one warm-up round trip, then the timed ones */
		for (r = -1; r < reps; r++) {
			if (r == 0)
				t0 = MPI_Wtime();
			if (rank == 0) {
				memset(buf, (int)(r & 0xff), (size_t)len);
				MPI_Send(buf, (int)len, MPI_BYTE, peer, 0, MPI_COMM_WORLD);
				MPI_Recv(buf, (int)len, MPI_BYTE, peer, 0, MPI_COMM_WORLD,
					 MPI_STATUS_IGNORE);
				if (len && (buf[0] != (unsigned char)(r + 1) ||
					    buf[len - 1] != (unsigned char)(r + 1)))
					ok = 0;
			} else {
				MPI_Recv(buf, (int)len, MPI_BYTE, 0, 0, MPI_COMM_WORLD,
					 MPI_STATUS_IGNORE);
				if (len)
					memset(buf, (int)((r + 1) & 0xff), (size_t)len);
				MPI_Send(buf, (int)len, MPI_BYTE, 0, 0, MPI_COMM_WORLD);
			}
		}
		t = MPI_Wtime() - t0;
		if (rank == 0)
			printf("%10ld %8d %14.2f %14.2f\n", len, reps, t * 1e6 / (2.0 * reps),
			       len ? 2.0 * reps * len / t / 1e6 : 0.0);
		MPI_Barrier(MPI_COMM_WORLD);
	}
	if (rank == 0)
		printf("data %s\n", ok ? "verified" : "CORRUPTED");
	free(buf);
	MPI_Finalize();
	return ok ? 0 : 1;
}
