/* SPDX-License-Identifier: MIT */
/*
 * cpuclock: rank 0 computes (a fixed chain of additions, about 0.1 s of host CPU) while the
 * other ranks only yield the CPU, many times, without a message in between; each measures
 * what that took by MPI_Wtime. Under --timing=scc a core's clock counts its own computation
 * only, also when cores share a runner and so a host thread (the yields then let rank 0 run
 * between an other rank's two readings). Rank 0 prints "rank R: SECONDS" for every rank.
 */
#include <mpi.h>
#include <sched.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	int rank, size;
	double t0, t, all[64];

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	t0 = MPI_Wtime();
	if (rank == 0) {
		volatile unsigned long x = 0;

		for (unsigned long i = 0; i < 100000000ul; i++)
			x += i;
	} else {
		for (int i = 0; i < 400; i++)
			sched_yield();
	}
	t = MPI_Wtime() - t0;
	MPI_Gather(&t, 1, MPI_DOUBLE, all, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
	for (int r = 0; rank == 0 && r < size && r < 64; r++)
		printf("rank %d: %.6f\n", r, all[r]);
	MPI_Finalize();
	return 0;
}
