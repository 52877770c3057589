// SPDX-License-Identifier: MIT
/*
 * rma_put: MPI_Put from rank 0 into rank 1's window, for `make bench`: each iteration one
 * put of BYTES and its synchronisation, MPI_Win_fence on both ranks ("fence"), an exclusive
 * MPI_Win_lock/unlock by rank 0 alone ("lock"), or post-start-complete-wait ("pscw": rank 1
 * posts and waits, rank 0 starts and completes). The window is MPI_Win_allocate'd.
 * Usage: rma_put BYTES ITERATIONS fence|lock|pscw. Rank 0 prints
 * "rma_put BYTES SYNC us=PER_PUT MBps=BW". Plain MPI: built with Open MPI and tessera alike.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	int rank, n = argc > 1 ? atoi(argv[1]) : 8, iters = argc > 2 ? atoi(argv[2]) : 1000;
	const char *sync = argc > 3 ? argv[3] : "fence";
	int fence = !strcmp(sync, "fence"), pscw = !strcmp(sync, "pscw");
	char *src, *mem;
	double t0, t = 0;
	MPI_Group world, peer;
	MPI_Win win;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	src = malloc(n > 0 ? (size_t)n : 1);
	memset(src, 7, n > 0 ? (size_t)n : 1);
	MPI_Win_allocate(n > 0 ? n : 1, 1, MPI_INFO_NULL, MPI_COMM_WORLD, &mem, &win);
	MPI_Comm_group(MPI_COMM_WORLD, &world);
	MPI_Group_incl(world, 1, (int[]){ rank == 0 ? 1 : 0 }, &peer);
	for (int phase = 0; phase < 2; phase++) {	/* phase 0 warms up */
		int reps = phase ? iters : iters / 10 + 1;

		MPI_Barrier(MPI_COMM_WORLD);
		t0 = MPI_Wtime();
		if (fence) {
			MPI_Win_fence(0, win);
			for (int i = 0; i < reps; i++) {
				if (rank == 0)
					MPI_Put(src, n, MPI_CHAR, 1, 0, n, MPI_CHAR, win);
				MPI_Win_fence(0, win);
			}
		} else if (pscw) {
			for (int i = 0; rank < 2 && i < reps; i++) {
				if (rank == 0) {
					MPI_Win_start(peer, 0, win);
					MPI_Put(src, n, MPI_CHAR, 1, 0, n, MPI_CHAR, win);
					MPI_Win_complete(win);
				} else {
					MPI_Win_post(peer, 0, win);
					MPI_Win_wait(win);
				}
			}
		} else if (rank == 0) {
			for (int i = 0; i < reps; i++) {
				MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 1, 0, win);
				MPI_Put(src, n, MPI_CHAR, 1, 0, n, MPI_CHAR, win);
				MPI_Win_unlock(1, win);
			}
		}
		t = (MPI_Wtime() - t0) / reps;
		MPI_Barrier(MPI_COMM_WORLD);
	}
	if (rank == 0)
		printf("rma_put %d %s us=%.3f MBps=%.1f\n", n, sync, t * 1e6, n / t / 1e6);
	MPI_Group_free(&peer);
	MPI_Group_free(&world);
	MPI_Win_free(&win);
	free(src);
	MPI_Finalize();
	return 0;
}
