// SPDX-License-Identifier: MIT
/*
 * boot: when every rank reached main, in ms from the job's start (on tessera, the host's
 * timebase of the job: when it began to load the images), the latest of all ranks; then
 * MPI_Init and MPI_Finalize. Rank 0 prints "boot ms=LATEST" (0 where there is no such clock).
 */
#include <mpi.h>
#include <stdio.h>
#ifdef __tessera__
#include "tessera/tile.h"
#endif

int main(int argc, char **argv)
{
	double t = 0, latest = 0;
	int rank;

#ifdef __tessera__
	t = (double)tessera_time_ns() / 1e6;
#endif
	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Reduce(&t, &latest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
	if (rank == 0)
		printf("boot ms=%.3f\n", latest);
	MPI_Finalize();
	return 0;
}
