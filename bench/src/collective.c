// SPDX-License-Identifier: MIT
/*
 * collective: time per call of MPI_Allreduce of one double, of MPI_Barrier, or of MPI_Bcast
 * of one double from rank 0, for `make bench`. Usage: collective allreduce|barrier|bcast
 * CALLS. Rank 0 prints "<name> us=PER_CALL check=SUM" (the check makes sure the allreduce
 * computed; rank 0's sum of what it broadcast). The time runs from a barrier before the
 * first call to one after the last (one barrier more in CALLS calls).
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	int rank, size, calls = argc > 2 ? atoi(argv[2]) : 1000;
	int barrier = argc > 1 && !strcmp(argv[1], "barrier");
	int bcast = argc > 1 && !strcmp(argv[1], "bcast");
	double x, sum = 0, t0, t;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	MPI_Barrier(MPI_COMM_WORLD);
	t0 = MPI_Wtime();
	for (int i = 0; i < calls; i++) {
		if (barrier) {
			MPI_Barrier(MPI_COMM_WORLD);
		} else if (bcast) {
			x = rank ? 0 : i;
			MPI_Bcast(&x, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
			sum += x;
		} else {
			x = rank + i;
			MPI_Allreduce(MPI_IN_PLACE, &x, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
			sum += x;
		}
	}
	/* until every rank is through: a root whose sends leave at once (a broadcast's, on an
	 * MPI that buffers them) would else time only how fast it hands them over */
	MPI_Barrier(MPI_COMM_WORLD);
	t = (MPI_Wtime() - t0) / calls;
	if (rank == 0)
		printf("%s us=%.3f check=%.0f\n", barrier ? "barrier" : bcast ? "bcast" : "allreduce",
		       t * 1e6, sum);
	MPI_Finalize();
	return 0;
}
