/* SPDX-License-Identifier: MIT */
/*
 * racy: a program whose outcome depends on the schedule. Every rank but 0 sends ROUNDS
 * messages to rank 0 after a little work of a length the host's clock decides; rank 0 takes
 * them with MPI_ANY_SOURCE (by MPI_Recv, MPI_Iprobe, MPI_Waitany and MPI_Testsome in turn)
 * and prints the order of their sources. It exits with status 3 when the first message did
 * not come from rank 1: a failure that only some schedules show (tests/integration/
 * test_timing.c records one and replays it). With the argument "shifted" rank 0 starts with
 * the second way of receiving: another program, for a replay to diverge from.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUNDS 4

/* Work for a few microseconds, as many as the host's clock says now. */
static void jitter(int rank)
{
	double t0 = MPI_Wtime(), us = 20.0 * (double)(((long)(t0 * 1e7) + rank * 7) % 23);

	while ((MPI_Wtime() - t0) * 1e6 < us)
		;
}

int main(int argc, char **argv)
{
	int rank, size, first = -1, v, n = 0, shift = argc > 1 && !strcmp(argv[1], "shifted");

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	if (rank != 0) {
		for (int r = 0; r < ROUNDS; r++) {
			jitter(rank);
			v = rank * 100 + r;
			MPI_Send(&v, 1, MPI_INT, 0, r % 2, MPI_COMM_WORLD);
		}
	} else {
		int total = (size - 1) * ROUNDS, flag, idx, outs, ids[2], w[2], cancelled;
		MPI_Status st;
		MPI_Request rq[2];
		char line[4096];
		int at = 0;

		while (n < total) {
			switch ((n + shift) % 4) {
			case 0:	/* a blocking any-source receive */
				MPI_Recv(&v, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
				break;
			case 1:	/* polling with Iprobe, then the message it found */
				do
					MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
				while (!flag);
				MPI_Recv(&v, 1, MPI_INT, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, &st);
				break;
			case 2:	/* two receives, whichever completes; the other is cancelled if
				 * it still can be, else it counts too */
				MPI_Irecv(&w[0], 1, MPI_INT, MPI_ANY_SOURCE, 0, MPI_COMM_WORLD, &rq[0]);
				MPI_Irecv(&w[1], 1, MPI_INT, MPI_ANY_SOURCE, 1, MPI_COMM_WORLD, &rq[1]);
				MPI_Waitany(2, rq, &idx, &st);
				v = w[idx];
				MPI_Cancel(&rq[1 - idx]);
				MPI_Wait(&rq[1 - idx], &st);
				MPI_Test_cancelled(&st, &cancelled);
				if (!cancelled && n + 1 < total) {
					if (first < 0)
						first = v / 100;
					at += snprintf(line + at, sizeof(line) - (size_t)at, "%d ", v);
					n++;
					v = w[1 - idx];
				}
				break;
			default: /* Testsome until something comes */
				MPI_Irecv(&v, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &rq[0]);
				do
					MPI_Testsome(1, rq, &outs, ids, &st);
				while (outs == 0);
				break;
			}
			if (first < 0)
				first = v / 100;
			at += snprintf(line + at, sizeof(line) - (size_t)at, "%d ", v);
			n++;
		}
		printf("order: %s\n", line);
	}
	MPI_Finalize();
	return rank == 0 && first != 1 ? 3 : 0;
}
