/* SPDX-License-Identifier: MIT */
/*
 * vclock: what the clocks of a tile say across a sleep of 100 s, and across a message from a
 * rank that first computed nothing but slept. Under --timing=scc the sleep is virtual (it
 * takes no host time) and every clock shows it: MPI_Wtime, clock_gettime, gettimeofday.
 * Prints "wtime SECONDS", "monotonic SECONDS", "gettimeofday SECONDS" (the sleep as each
 * clock measured it), then rank 1 "after-recv SECONDS" (its MPI_Wtime when rank 0's message,
 * sent after the sleep, arrived: a receiver that waits jumps to the arrival time).
 */
#include <mpi.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double tod(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

int main(int argc, char **argv)
{
	int rank, v = 7;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	if (rank == 0) {
		double w = MPI_Wtime(), m = mono(), t = tod();

		sleep(100);
		printf("wtime %.3f\nmonotonic %.3f\ngettimeofday %.3f\n", MPI_Wtime() - w,
		       mono() - m, tod() - t);
		fflush(stdout);
		MPI_Send(&v, 1, MPI_INT, 1, 0, MPI_COMM_WORLD);
	} else if (rank == 1) {
		double w = MPI_Wtime();

		MPI_Recv(&v, 1, MPI_INT, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		printf("after-recv %.3f\n", MPI_Wtime() - w);
	}
	MPI_Finalize();
	return 0;
}
