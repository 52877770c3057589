// SPDX-License-Identifier: MIT
/*
 * msgwin: the receiver's side of a message-rate window with no timing in it, for bench/cg.sh
 * (osu_bw's two-rank counts move with who waited for whom: a receiver that runs ahead polls).
 * Per iteration rank 0 sends WINDOW messages of BYTES to rank 1, which finds all of them in
 * its ring: it sleeps (outside MPI, uncounted) until the sender is done. Modes:
 *   posted      rank 1 posts WINDOW MPI_Irecv, says go, sleeps, then a receive on another
 *               tag takes the window into the posted receives; MPI_Waitall
 *   unexpected  rank 0 sends the window and a "go"; rank 1 sleeps, its receive of go takes
 *               the window as unexpected first; WINDOW MPI_Irecv find them there; MPI_Waitall
 *   ring        the same, but rank 1 posts its WINDOW MPI_Irecv first: each takes its message
 *               from the ring at once; MPI_Waitall; then the go
 * Usage: msgwin posted|unexpected|ring BYTES ITERS. WINDOW (32) fits every ring of 2 ranks.
 */
#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WINDOW 32
#define NAP_US 2000	/* the sender's window takes far less, even under valgrind */

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "posted";
	int bytes = argc > 2 ? atoi(argv[2]) : 8, iters = argc > 3 ? atoi(argv[3]) : 100;
	int posted = !strcmp(mode, "posted"), ring = !strcmp(mode, "ring"), rank, go = 0;
	MPI_Request q[WINDOW];
	char *buf = calloc(1, (size_t)bytes + 1);

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	for (int i = 0; i < iters && rank < 2; i++) {
		if (posted && rank == 1) {
			for (int w = 0; w < WINDOW; w++)
				MPI_Irecv(buf, bytes, MPI_CHAR, 0, 100, MPI_COMM_WORLD, &q[w]);
			MPI_Send(&go, 1, MPI_INT, 0, 101, MPI_COMM_WORLD);
			usleep(NAP_US);
			MPI_Recv(&go, 1, MPI_INT, 0, 102, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			MPI_Waitall(WINDOW, q, MPI_STATUSES_IGNORE);
		} else if (posted) {
			MPI_Recv(&go, 1, MPI_INT, 1, 101, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			for (int w = 0; w < WINDOW; w++)
				MPI_Isend(buf, bytes, MPI_CHAR, 1, 100, MPI_COMM_WORLD, &q[w]);
			MPI_Waitall(WINDOW, q, MPI_STATUSES_IGNORE);
			MPI_Send(&go, 1, MPI_INT, 1, 102, MPI_COMM_WORLD);
		} else if (rank == 0) {
			for (int w = 0; w < WINDOW; w++)
				MPI_Isend(buf, bytes, MPI_CHAR, 1, 100, MPI_COMM_WORLD, &q[w]);
			MPI_Waitall(WINDOW, q, MPI_STATUSES_IGNORE);
			MPI_Send(&go, 1, MPI_INT, 1, 101, MPI_COMM_WORLD);
			MPI_Recv(&go, 1, MPI_INT, 1, 102, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		} else {
			usleep(NAP_US);
			if (!ring)
				MPI_Recv(&go, 1, MPI_INT, 0, 101, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			for (int w = 0; w < WINDOW; w++)
				MPI_Irecv(buf, bytes, MPI_CHAR, 0, 100, MPI_COMM_WORLD, &q[w]);
			MPI_Waitall(WINDOW, q, MPI_STATUSES_IGNORE);
			if (ring)
				MPI_Recv(&go, 1, MPI_INT, 0, 101, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			MPI_Send(&go, 1, MPI_INT, 0, 102, MPI_COMM_WORLD);
		}
	}
	free(buf);
	MPI_Finalize();
	return 0;
}
