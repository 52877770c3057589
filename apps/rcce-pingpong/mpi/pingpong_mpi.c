// SPDX-License-Identifier: MIT
/*
 * pingpong_mpi.c: the MPI twin of ../pingpong.c: the same exchanges with MPI_Ssend (RCCE's
 * send is synchronous) and MPI_Recv, the same "answer:" and "time:" lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <mpi.h>

static unsigned char pattern(size_t i, int round, size_t len)
{
	return (unsigned char)(i * 31 + (size_t)round * 7 + len);
}

int main(int argc, char **argv)
{
	int rounds = 100, me, n, bad = 0;
	size_t maxlen = 1u << 20;
	unsigned long sum = 0;
	unsigned char *buf;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &me);
	MPI_Comm_size(MPI_COMM_WORLD, &n);
	if (argc > 1)
		rounds = atoi(argv[1]);
	if (argc > 2)
		maxlen = (size_t)atol(argv[2]);
	if (n < 2 || rounds < 1 || maxlen < 32) {
		if (me == 0)
			fprintf(stderr, "pingpong: needs 2 ranks, ROUNDS >= 1, MAXLEN >= 32\n");
		MPI_Finalize();
		return 2;
	}
	if (!(buf = malloc(maxlen)))
		return 1;
	for (size_t len = 32; len <= maxlen; len *= 2) {
		double t0 = 0;

		MPI_Barrier(MPI_COMM_WORLD);
		for (int r = -1; r < rounds; r++) {
			if (r == 0)
				t0 = MPI_Wtime();
			if (me == 0) {
				for (size_t i = 0; i < len; i++)
					buf[i] = pattern(i, r, len);
				MPI_Ssend(buf, (int)len, MPI_BYTE, 1, 0, MPI_COMM_WORLD);
				MPI_Recv(buf, (int)len, MPI_BYTE, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
				for (size_t i = 0; i < len; i++)
					bad += buf[i] != (unsigned char)(pattern(i, r, len) + 1);
				sum += buf[len - 1];
			} else if (me == 1) {
				MPI_Recv(buf, (int)len, MPI_BYTE, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
				for (size_t i = 0; i < len; i++)
					buf[i]++;
				MPI_Ssend(buf, (int)len, MPI_BYTE, 0, 0, MPI_COMM_WORLD);
			}
		}
		if (me == 0)
			printf("time: %8zu bytes %.6e s per round trip\n", len,
			       (MPI_Wtime() - t0) / rounds);
	}
	if (me == 0)
		printf("answer: pingpong %d rounds to %zu bytes, %d bad bytes, checksum %lu\n",
		       rounds, maxlen, bad, sum);
	MPI_Finalize();
	return bad != 0;
}
