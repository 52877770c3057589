// SPDX-License-Identifier: MIT
/* ring_mpi.c: the MPI twin of ../ring.c, with MPI_Ssend for RCCE's synchronous send. */
#include <stdio.h>
#include <stdlib.h>
#include <mpi.h>

int main(int argc, char **argv)
{
	int len = 256, laps = 1, me, n;
	long sum = 0, *block, *in;
	MPI_Comm w = MPI_COMM_WORLD;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(w, &me);
	MPI_Comm_size(w, &n);
	if (argc > 1)
		len = atoi(argv[1]);
	if (argc > 2)
		laps = atoi(argv[2]);
	block = malloc((size_t)len * sizeof(long));
	in = malloc((size_t)len * sizeof(long));
	if (len < 1 || laps < 1 || !block || !in)
		return 2;
	for (int i = 0; i < len; i++)
		block[i] = (long)me * 1000 + i;
	for (int step = 0; step < laps * n; step++) {
		int right = (me + 1) % n, left = (me + n - 1) % n;

		if (n == 1) {
			sum += block[step % len];
			continue;
		}
		if (me == 0) {
			MPI_Ssend(block, len, MPI_LONG, right, 0, w);
			MPI_Recv(in, len, MPI_LONG, left, 0, w, MPI_STATUS_IGNORE);
		} else {
			MPI_Recv(in, len, MPI_LONG, left, 0, w, MPI_STATUS_IGNORE);
			MPI_Ssend(block, len, MPI_LONG, right, 0, w);
		}
		for (int i = 0; i < len; i++) {
			block[i] = in[i] + 1;
			sum += in[i] * (i % 5 + 1);
		}
	}
	if (me == 0) {
		printf("answer: ring ue 0 sum %ld\n", sum);
		for (int src = 1; src < n; src++) {
			MPI_Recv(&sum, 1, MPI_LONG, src, 1, w, MPI_STATUS_IGNORE);
			printf("answer: ring ue %d sum %ld\n", src, sum);
		}
	} else {
		MPI_Ssend(&sum, 1, MPI_LONG, 0, 1, w);
	}
	MPI_Finalize();
	return 0;
}
