// SPDX-License-Identifier: MIT
/*
 * count: a known exchange for the message counters of `tessera ps` and `top`. Rank 0 sends
 * rank 1 ten eager messages of 1000 bytes (MPI_Send), one synchronous message of 100 bytes
 * (MPI_Ssend: rendezvous) and one large message of 100000 bytes (rendezvous), then both
 * leave; nothing else is sent (MPI_Init and MPI_Finalize send nothing). Counted once each:
 * rank 0 sent 12 messages of 110100 bytes, rank 1 received the same, neither the other way.
 * Other ranks take no part. Exits non-zero if a message arrives wrong.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIG 100000

static char buf[BIG];

int main(int argc, char **argv)
{
	int rank, bad = 0;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	if (rank == 0) {
		for (int i = 0; i < 10; i++) {
			memset(buf, i, 1000);
			MPI_Send(buf, 1000, MPI_CHAR, 1, i, MPI_COMM_WORLD);
		}
		memset(buf, 'S', 100);
		MPI_Ssend(buf, 100, MPI_CHAR, 1, 10, MPI_COMM_WORLD);
		memset(buf, 'B', BIG);
		MPI_Send(buf, BIG, MPI_CHAR, 1, 11, MPI_COMM_WORLD);
	} else if (rank == 1) {
		for (int i = 0; i < 12; i++) {
			int n = i < 10 ? 1000 : i == 10 ? 100 : BIG;
			char want = i < 10 ? (char)i : i == 10 ? 'S' : 'B';

			MPI_Recv(buf, BIG, MPI_CHAR, 0, i, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			for (int k = 0; k < n; k++)
				bad |= buf[k] != want;
		}
	}
	MPI_Finalize();
	if (bad)
		fprintf(stderr, "count: rank %d received a wrong message\n", rank);
	return bad;
}
