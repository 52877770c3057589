// SPDX-License-Identifier: MIT
/*
 * rma_deadlock: a one-sided deadlock for the host's detector, one that any MPI has: rank 0
 * takes the exclusive lock of rank 1's window and, holding it (its put is flushed, so the lock
 * is really taken), waits for a message from rank 1; rank 1 locks its own window (a lock of
 * oneself must block until it is granted, MPI-3.1 11.5.3) before it would send.
 * With "cross": two ranks each take their own window's exclusive lock, then the other's,
 * which deadlocks where locks are taken when asked for (tessera: docs/rma.md, Limits).
 */
#include <mpi.h>
#include <string.h>

int main(int argc, char **argv)
{
	int rank, v = 1, *mem;
	MPI_Win win;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Win_allocate(sizeof(int), sizeof(int), MPI_INFO_NULL, MPI_COMM_WORLD, &mem, &win);
	MPI_Barrier(MPI_COMM_WORLD);
	if (argc > 1 && !strcmp(argv[1], "cross")) {
		MPI_Win_lock(MPI_LOCK_EXCLUSIVE, rank, 0, win);
		MPI_Barrier(MPI_COMM_WORLD);
		MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 1 - rank, 0, win);
		MPI_Put(&v, 1, MPI_INT, 1 - rank, 0, 1, MPI_INT, win);
		MPI_Win_unlock(1 - rank, win);
		MPI_Win_unlock(rank, win);
	} else if (rank == 0) {
		MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 1, 0, win);
		MPI_Put(&v, 1, MPI_INT, 1, 0, 1, MPI_INT, win);
		MPI_Win_flush(1, win);
		MPI_Send(&v, 1, MPI_INT, 1, 3, MPI_COMM_WORLD);
		MPI_Recv(&v, 1, MPI_INT, 1, 5, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		MPI_Win_unlock(1, win);
	} else if (rank == 1) {
		MPI_Recv(&v, 1, MPI_INT, 0, 3, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 1, 0, win);
		MPI_Send(&v, 1, MPI_INT, 0, 5, MPI_COMM_WORLD);
		MPI_Win_unlock(1, win);
	}
	MPI_Win_free(&win);
	MPI_Finalize();
	return 0;
}
