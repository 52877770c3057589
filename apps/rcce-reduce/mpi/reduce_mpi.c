// SPDX-License-Identifier: MIT
/* reduce_mpi.c: the MPI twin of ../reduce.c: MPI_Allreduce and MPI_Barrier, same lines. */
#include <stdio.h>
#include <stdlib.h>
#include <mpi.h>

int main(int argc, char **argv)
{
	int reps = 100, len = 1, me, n;
	double *in, *out, t0, check = 0, top = 0;
	MPI_Comm w = MPI_COMM_WORLD;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(w, &me);
	MPI_Comm_size(w, &n);
	if (argc > 1)
		reps = atoi(argv[1]);
	if (argc > 2)
		len = atoi(argv[2]);
	in = malloc((size_t)len * sizeof(double));
	out = malloc((size_t)len * sizeof(double));
	if (reps < 1 || len < 1 || !in || !out)
		return 2;
	MPI_Barrier(w);
	t0 = MPI_Wtime();
	for (int r = 0; r < reps; r++) {
		for (int i = 0; i < len; i++)
			in[i] = (double)((me + 1) * (i + 1) + r);
		MPI_Allreduce(in, out, len, MPI_DOUBLE, MPI_SUM, w);
		check += out[len - 1];
	}
	if (me == 0)
		printf("time: allreduce of %d doubles on %d UEs %.6e s\n", len, n,
		       (MPI_Wtime() - t0) / reps);
	MPI_Allreduce(in, out, len, MPI_DOUBLE, MPI_MAX, w);
	top = out[0];
	MPI_Barrier(w);
	t0 = MPI_Wtime();
	for (int r = 0; r < reps; r++)
		MPI_Barrier(w);
	if (me == 0) {
		printf("time: barrier on %d UEs %.6e s\n", n, (MPI_Wtime() - t0) / reps);
		printf("answer: reduce %d x %d doubles on %d UEs, sum check %.1f, max %.1f\n", reps,
		       len, n, check, top);
	}
	MPI_Finalize();
	return 0;
}
