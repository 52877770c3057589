/* SPDX-License-Identifier: MIT */
/*
 * pi: computes pi as the integral of 4 / (1 + x^2) over [0, 1] with the midpoint rule,
 * the intervals dealt round-robin to the ranks, the partial sums reduced to rank 0.
 * Usage: pi [INTERVALS] (default 10000000). Plain MPI; the same output under any MPI
 * (the time goes to stderr).
 */
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	const double pi25 = 3.141592653589793238462643;
	long long n = 10000000, i;
	double h, sum = 0, mine, pi, t0;
	int rank, size;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	if (rank == 0 && argc > 1)
		n = atoll(argv[1]);
	MPI_Bcast(&n, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
	if (n <= 0) {
		if (rank == 0)
			fprintf(stderr, "pi: the number of intervals must be positive\n");
		MPI_Finalize();
		return 2;
	}
	t0 = MPI_Wtime();
	h = 1.0 / (double)n;
	for (i = rank; i < n; i += size) {
		double x = h * ((double)i + 0.5);

		sum += 4.0 / (1.0 + x * x);
	}
	mine = h * sum;
	MPI_Reduce(&mine, &pi, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
	if (rank == 0) {
		/* the last bits depend on the order of the sum: print what any order agrees on */
		printf("pi is approximately %.10f, error %s 1e-9 (%lld intervals, %d ranks)\n",
		       pi, fabs(pi - pi25) < 1e-9 ? "below" : "above", n, size);
		fprintf(stderr, "pi: %.3f s\n", MPI_Wtime() - t0);
	}
	MPI_Finalize();
	return 0;
}
