/* SPDX-License-Identifier: MIT */
/*
 * rma-counter: dynamic load balancing with an atomic counter. Rank 0's window holds the next
 * task number and one tally per task; every rank takes CHUNK tasks at a time with
 * MPI_Fetch_and_op on the counter (inside one MPI_Win_lock_all epoch: no rank waits for
 * another), works them out, and adds 1 to each task's tally with MPI_Accumulate. At the end
 * every tally must be 1 and the results must sum to what one rank alone computes. The window
 * is MPI_Win_allocate'd, so on a tessera board it is in shared DRAM and rank 0 does nothing
 * for the others: it takes tasks like everyone. Who did how many goes to stderr.
 * Usage: rma-counter [TASKS [CHUNK]]   (defaults 20000 16)
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

/* a task: a little arithmetic whose result depends on its number only */
static long work(long t)
{
	long x = t, s = 0;

	for (int i = 0; i < 2000; i++) {
		x = (x * 1103515245 + 12345) & 0x7fffffff;
		s += x % 1000;
	}
	return s;
}

int main(int argc, char **argv)
{
	int rank, size, tasks = 20000, chunk = 16, *win_mem, mine = 0, bad = 0;
	long sum = 0, total = 0, expect = 0;
	MPI_Win win;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	if (argc > 1)
		tasks = atoi(argv[1]);
	if (argc > 2)
		chunk = atoi(argv[2]);
	if (tasks < 0 || chunk < 1) {
		if (rank == 0)
			fprintf(stderr, "usage: rma-counter [TASKS [CHUNK]]\n");
		MPI_Finalize();
		return 2;
	}
	/* rank 0: int 0 the counter, ints 1.. the tallies */
	MPI_Win_allocate(rank == 0 ? (MPI_Aint)(tasks + 1) * sizeof(int) : 0, sizeof(int),
			 MPI_INFO_NULL, MPI_COMM_WORLD, &win_mem, &win);
	if (rank == 0)
		for (int i = 0; i <= tasks; i++)
			win_mem[i] = 0;
	MPI_Barrier(MPI_COMM_WORLD);
	int *ones = malloc((size_t)chunk * sizeof(int));
	for (int i = 0; i < chunk; i++)
		ones[i] = 1;
	double t0 = MPI_Wtime();
	MPI_Win_lock_all(0, win);
	for (;;) {
		int first;

		MPI_Fetch_and_op(&chunk, &first, MPI_INT, 0, 0, MPI_SUM, win);
		MPI_Win_flush(0, win);
		if (first >= tasks)
			break;
		int n = first + chunk <= tasks ? chunk : tasks - first;
		for (int t = first; t < first + n; t++)
			sum += work(t);
		MPI_Accumulate(ones, n, MPI_INT, 0, 1 + first, n, MPI_INT, MPI_SUM, win);
		mine += n;
	}
	MPI_Win_unlock_all(win);
	double t = MPI_Wtime() - t0;
	MPI_Reduce(&sum, &total, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
	MPI_Barrier(MPI_COMM_WORLD);
	if (rank == 0) {
		MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win);
		for (int i = 1; i <= tasks; i++)
			bad += win_mem[i] != 1;
		MPI_Win_unlock(0, win);
		for (int i = 0; i < tasks; i++)
			expect += work(i);
		printf("rma-counter: %d tasks, each done once: %s, sum %s\n", tasks,
		       bad ? "NO" : "yes", total == expect ? "right" : "WRONG");
	}
	int *counts = rank == 0 ? malloc((size_t)size * sizeof(int)) : NULL;
	MPI_Gather(&mine, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD);
	if (rank == 0) {
		fprintf(stderr, "rma-counter: %.3f s; tasks per rank:", t);
		for (int r = 0; r < size; r++)
			fprintf(stderr, " %d", counts[r]);
		fprintf(stderr, "\n");
	}
	free(counts);
	free(ones);
	MPI_Win_free(&win);
	MPI_Finalize();
	return bad || (rank == 0 && total != expect);
}
