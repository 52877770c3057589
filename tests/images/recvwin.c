// SPDX-License-Identifier: MIT
/*
 * recvwin: receives posted before their messages come, each message one channel record (the
 * engine completes such a receive while the channel shows it the header), then completed
 * together by MPI_Waitall. Two ranks; rank 1 posts, a barrier, rank 0 sends, ROUNDS times:
 *  - a window of WINDOW receives in order, each checked (its own value, non-overtaking);
 *  - a receive shorter than its message: MPI_Waitall with statuses says MPI_ERR_IN_STATUS,
 *    MPI_ERR_TRUNCATE and the receive's count in its status, MPI_SUCCESS in the others';
 *    with MPI_STATUSES_IGNORE it still says MPI_ERR_IN_STATUS;
 *  - a receive freed by MPI_Request_free while posted still takes its message (the next
 *    receive gets the next one), and one from MPI_ANY_SOURCE with MPI_ANY_TAG gets the
 *    source and tag of the message it matched.
 * Rank 1 prints "recvwin: ok" when all held, else the first that did not, and exits 1.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#define WINDOW 48
#define ROUNDS 20

static int fails;

static void check(int ok, const char *what, int round)
{
	if (!ok && !fails++)
		printf("recvwin: %s (round %d)\n", what, round);
}

/* A window of WINDOW one-int messages, value round * 1000 + index, received in order. */
static void window(int rank, int round)
{
	MPI_Request q[WINDOW];
	int v[WINDOW];

	if (rank == 1) {
		for (int w = 0; w < WINDOW; w++)
			MPI_Irecv(&v[w], 1, MPI_INT, 0, 7, MPI_COMM_WORLD, &q[w]);
		MPI_Barrier(MPI_COMM_WORLD);
		check(MPI_Waitall(WINDOW, q, MPI_STATUSES_IGNORE) == MPI_SUCCESS, "window waitall",
		      round);
		for (int w = 0; w < WINDOW; w++)
			check(v[w] == round * 1000 + w && q[w] == MPI_REQUEST_NULL, "window order",
			      round);
	} else {
		MPI_Barrier(MPI_COMM_WORLD);
		for (int w = 0; w < WINDOW; w++) {
			v[w] = round * 1000 + w;
			MPI_Send(&v[w], 1, MPI_INT, 1, 7, MPI_COMM_WORLD);
		}
	}
}

/* Three messages of 4 ints; the first receive has room for 2. */
static void truncated(int rank, int round, int statuses)
{
	int big[4] = { round, 2, 3, 4 }, small[2] = { -1, -1 }, a[4], b[4], rc, count;
	MPI_Request q[3];
	MPI_Status st[3];

	if (rank == 1) {
		MPI_Irecv(small, 2, MPI_INT, 0, 8, MPI_COMM_WORLD, &q[0]);
		MPI_Irecv(a, 4, MPI_INT, 0, 8, MPI_COMM_WORLD, &q[1]);
		MPI_Irecv(b, 4, MPI_INT, 0, 8, MPI_COMM_WORLD, &q[2]);
		MPI_Barrier(MPI_COMM_WORLD);
		rc = MPI_Waitall(3, q, statuses ? st : MPI_STATUSES_IGNORE);
		check(rc == MPI_ERR_IN_STATUS, "truncation: waitall is not MPI_ERR_IN_STATUS", round);
		check(small[0] == round && small[1] == 2 && a[0] == round && b[3] == 4,
		      "truncation: data", round);
		if (!statuses)
			return;
		MPI_Get_count(&st[0], MPI_INT, &count);
		check(st[0].MPI_ERROR == MPI_ERR_TRUNCATE && count == 2,
		      "truncation: status of the short receive", round);
		check(st[1].MPI_ERROR == MPI_SUCCESS && st[2].MPI_ERROR == MPI_SUCCESS &&
		      st[1].MPI_SOURCE == 0 && st[1].MPI_TAG == 8,
		      "truncation: statuses of the others", round);
	} else {
		MPI_Barrier(MPI_COMM_WORLD);
		for (int i = 0; i < 3; i++)
			MPI_Send(big, 4, MPI_INT, 1, 8, MPI_COMM_WORLD);
	}
}

/* A freed posted receive, then one from any source with any tag. */
static void freed(int rank, int round)
{
	int x = -1, y = -1, v[2] = { round, round + 1 };
	MPI_Request q[2];
	MPI_Status st;

	if (rank == 1) {
		MPI_Irecv(&x, 1, MPI_INT, 0, 9, MPI_COMM_WORLD, &q[0]);
		MPI_Irecv(&y, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &q[1]);
		MPI_Request_free(&q[0]);
		MPI_Barrier(MPI_COMM_WORLD);
		MPI_Wait(&q[1], &st);
		check(y == round + 1 && st.MPI_SOURCE == 0 && st.MPI_TAG == 10,
		      "freed: the next receive did not get the next message", round);
		/* the freed one took the first (a later receive sees the next round's only) */
	} else {
		MPI_Barrier(MPI_COMM_WORLD);
		MPI_Send(&v[0], 1, MPI_INT, 1, 9, MPI_COMM_WORLD);
		MPI_Send(&v[1], 1, MPI_INT, 1, 10, MPI_COMM_WORLD);
	}
}

int main(int argc, char **argv)
{
	int rank, size;

	MPI_Init(&argc, &argv);
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	if (size != 2) {
		if (rank == 0)
			printf("recvwin: needs 2 ranks\n");
		MPI_Finalize();
		return 2;
	}
	for (int round = 0; round < ROUNDS; round++) {
		window(rank, round);
		truncated(rank, round, round % 2);
		freed(rank, round);
	}
	MPI_Barrier(MPI_COMM_WORLD);
	if (rank == 1 && !fails)
		printf("recvwin: ok\n");
	MPI_Finalize();
	return fails ? 1 : 0;
}
