/* SPDX-License-Identifier: MIT */
/*
 * rma-halo: heat diffusion on an N x N grid (default 256) by Jacobi sweeps (default 500), the
 * top edge held at 1, the others at 0, with the halo rows exchanged by one-sided
 * communication: each rank owns a block of rows in a window from MPI_Win_allocate (shared DRAM
 * on a tessera board, so the neighbours write it themselves) and MPI_Puts its first and last
 * rows into its neighbours' halo rows, synchronised with post-start-complete-wait among
 * neighbours only (or with MPI_Win_fence: --fence). Every sweep reads only the previous one, so
 * the printed samples are the same for any number of ranks. Timing goes to stderr.
 * Usage: rma-halo [--fence] [N [SWEEPS]]
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* first row and number of rows of block r of p over n rows */
static void split(int n, int p, int r, int *start, int *len)
{
	int base = n / p, extra = n % p;

	*len = base + (r < extra);
	*start = r * base + (r < extra ? r : extra);
}

int main(int argc, char **argv)
{
	int n = 256, sweeps = 500, fence = 0, rank, size, y0, ny, w, up, down, nup = 0, ndown = 0, a = 1;
	int nb = 0, nbr[2], i, j, it;
	double *u, *v, t0;
	MPI_Win win;
	MPI_Group world, neighbours;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	if (a < argc && !strcmp(argv[a], "--fence")) {
		fence = 1;
		a++;
	}
	if (a < argc)
		n = atoi(argv[a++]);
	if (a < argc)
		sweeps = atoi(argv[a++]);
	if (n < size || n < 3 || sweeps < 0) {
		if (rank == 0)
			fprintf(stderr, "usage: rma-halo [--fence] [N >= ranks [SWEEPS]]\n");
		MPI_Finalize();
		return 2;
	}
	split(n, size, rank, &y0, &ny);
	up = rank > 0 ? rank - 1 : MPI_PROC_NULL;
	down = rank < size - 1 ? rank + 1 : MPI_PROC_NULL;
	if (up != MPI_PROC_NULL) {
		split(n, size, up, &j, &nup);
		nbr[nb++] = up;
	}
	if (down != MPI_PROC_NULL) {
		split(n, size, down, &j, &ndown);
		nbr[nb++] = down;
	}
	/* rows 0 and ny + 1 are the halo; columns 0 and n + 1 the fixed side edges */
	w = n + 2;
	MPI_Win_allocate((MPI_Aint)(ny + 2) * w * sizeof(double), sizeof(double), MPI_INFO_NULL,
			 MPI_COMM_WORLD, &u, &win);
	v = calloc((size_t)(ny + 2) * w, sizeof(double));
	if (!v) {
		fprintf(stderr, "rma-halo: out of memory\n");
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	memset(u, 0, (size_t)(ny + 2) * w * sizeof(double));
	if (y0 == 0)
		for (j = 0; j < w; j++)
			u[j] = v[j] = 1.0;
	MPI_Comm_group(MPI_COMM_WORLD, &world);
	MPI_Group_incl(world, nb, nbr, &neighbours);
	if (fence)
		MPI_Win_fence(MPI_MODE_NOPRECEDE, win);
	t0 = MPI_Wtime();
	for (it = 0; it < sweeps; it++) {
		/* my first row into the bottom halo of the one above, my last into the top halo
		 * of the one below */
		if (!fence) {
			MPI_Win_post(neighbours, 0, win);
			MPI_Win_start(neighbours, 0, win);
		}
		if (up != MPI_PROC_NULL)
			MPI_Put(&u[w + 1], n, MPI_DOUBLE, up, (MPI_Aint)(nup + 1) * w + 1, n, MPI_DOUBLE,
				win);
		if (down != MPI_PROC_NULL)
			MPI_Put(&u[ny * w + 1], n, MPI_DOUBLE, down, 1, n, MPI_DOUBLE, win);
		if (fence) {
			MPI_Win_fence(0, win);
		} else {
			MPI_Win_complete(win);
			MPI_Win_wait(win);
		}
		for (i = 1; i <= ny; i++)
			for (j = 1; j <= n; j++)
				v[i * w + j] = 0.25 * (u[(i - 1) * w + j] + u[(i + 1) * w + j] +
						       u[i * w + j - 1] + u[i * w + j + 1]);
		/* my rows are read by nobody now: the next puts come after the next post */
		if (fence)
			MPI_Win_fence(0, win);
		for (i = 1; i <= ny; i++)
			memcpy(&u[i * w + 1], &v[i * w + 1], (size_t)n * sizeof(double));
	}
	if (fence)
		MPI_Win_fence(MPI_MODE_NOSUCCEED, win);
	double t = MPI_Wtime() - t0;
	/* samples down the middle column (rows n/32, n/16, n/8, n/4, n/2), each from the rank
	 * that owns it */
	double sample[5], all[5];
	for (int s = 0; s < 5; s++) {
		int row = n / (32 >> s);

		sample[s] = row >= y0 && row < y0 + ny ? u[(row - y0 + 1) * w + n / 2 + 1] : -1.0;
	}
	MPI_Reduce(sample, all, 5, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
	if (rank == 0) {
		printf("rma-halo %dx%d, %d sweeps:", n, n, sweeps);
		for (int s = 0; s < 5; s++)
			printf(" %.10f", all[s]);
		printf("\n");
		fprintf(stderr, "rma-halo: %d ranks, %s, %.3f s, %.1f us per sweep\n", size,
			fence ? "fence" : "post/start/complete/wait", t, 1e6 * t / (sweeps ? sweeps : 1));
	}
	MPI_Group_free(&neighbours);
	MPI_Group_free(&world);
	MPI_Win_free(&win);
	free(v);
	MPI_Finalize();
	return 0;
}
