// SPDX-License-Identifier: MIT
/*
 * reduce.c: RCCE's reduction benchmark: REPS times RCCE_allreduce (sum, max) of a vector
 * of LEN doubles, and REPS barriers, timed; the results are exact (integers), so the
 * "answer:" lines must equal the MPI twin's (mpi/reduce_mpi.c); "time:" lines are the
 * seconds per call. Usage: reduce [REPS [LEN]]   (defaults 100 and 1)
 */
#include <stdio.h>
#include <stdlib.h>
#include "RCCE.h"

int RCCE_APP(int argc, char **argv)
{
	int reps = 100, len = 1, me, n;
	double *in, *out, t0, check = 0, top = 0;

	RCCE_init(&argc, &argv);
	me = RCCE_ue();
	n = RCCE_num_ues();
	if (argc > 1)
		reps = atoi(argv[1]);
	if (argc > 2)
		len = atoi(argv[2]);
	in = malloc((size_t)len * sizeof(double));
	out = malloc((size_t)len * sizeof(double));
	if (reps < 1 || len < 1 || !in || !out)
		return 2;
	RCCE_barrier(&RCCE_COMM_WORLD);
	t0 = RCCE_wtime();
	for (int r = 0; r < reps; r++) {
		for (int i = 0; i < len; i++)
			in[i] = (double)((me + 1) * (i + 1) + r);
		RCCE_allreduce((char *)in, (char *)out, len, RCCE_DOUBLE, RCCE_SUM, RCCE_COMM_WORLD);
		check += out[len - 1];
	}
	if (me == 0)
		printf("time: allreduce of %d doubles on %d UEs %.6e s\n", len, n,
		       (RCCE_wtime() - t0) / reps);
	RCCE_allreduce((char *)in, (char *)out, len, RCCE_DOUBLE, RCCE_MAX, RCCE_COMM_WORLD);
	top = out[0];
	RCCE_barrier(&RCCE_COMM_WORLD);
	t0 = RCCE_wtime();
	for (int r = 0; r < reps; r++)
		RCCE_barrier(&RCCE_COMM_WORLD);
	if (me == 0) {
		printf("time: barrier on %d UEs %.6e s\n", n, (RCCE_wtime() - t0) / reps);
		printf("answer: reduce %d x %d doubles on %d UEs, sum check %.1f, max %.1f\n", reps,
		       len, n, check, top);
	}
	RCCE_finalize();
	return 0;
}
