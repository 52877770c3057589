// SPDX-License-Identifier: MIT
/*
 * stencil_mpi.c: the MPI twin of ../stencil.c: the same bands, the same exchanges (with
 * MPI_Ssend, in the same order), the same update and the same summation order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <mpi.h>

int main(int argc, char **argv)
{
	int iters = 50, nx = 96, ny = 64, me, n, rows, first;
	double *u, *v, part, total = 0;
	MPI_Comm w = MPI_COMM_WORLD;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(w, &me);
	MPI_Comm_size(w, &n);
	if (argc > 1)
		iters = atoi(argv[1]);
	if (argc > 2)
		nx = atoi(argv[2]);
	if (argc > 3)
		ny = atoi(argv[3]);
	if (ny < n || nx < 3 || iters < 0) {
		if (me == 0)
			fprintf(stderr, "stencil: needs NY >= ranks and NX >= 3\n");
		MPI_Finalize();
		return 2;
	}
	rows = ny / n + (me < ny % n);
	first = me * (ny / n) + (me < ny % n ? me : ny % n);
	u = calloc((size_t)(rows + 2) * nx, sizeof(double));
	v = calloc((size_t)(rows + 2) * nx, sizeof(double));
	if (!u || !v)
		return 1;
	for (int r = 1; r <= rows; r++)
		for (int x = 0; x < nx; x++)
			u[r * nx + x] = ((first + r - 1) * 7 + x * 3) % 17;
	for (int it = 0; it < iters; it++) {
		for (int phase = 0; phase < 2; phase++) {
			if ((me % 2) == phase) {
				if (me > 0)
					MPI_Ssend(&u[nx], nx, MPI_DOUBLE, me - 1, 0, w);
				if (me < n - 1)
					MPI_Ssend(&u[rows * nx], nx, MPI_DOUBLE, me + 1, 0, w);
			} else {
				if (me < n - 1)
					MPI_Recv(&u[(rows + 1) * nx], nx, MPI_DOUBLE, me + 1, 0, w,
						 MPI_STATUS_IGNORE);
				if (me > 0)
					MPI_Recv(&u[0], nx, MPI_DOUBLE, me - 1, 0, w, MPI_STATUS_IGNORE);
			}
		}
		for (int r = 1; r <= rows; r++) {
			int g = first + r - 1;

			for (int x = 0; x < nx; x++) {
				if (g == 0 || g == ny - 1 || x == 0 || x == nx - 1)
					v[r * nx + x] = u[r * nx + x];
				else
					v[r * nx + x] = 0.25 * (u[(r - 1) * nx + x] + u[(r + 1) * nx + x] +
								u[r * nx + x - 1] + u[r * nx + x + 1]);
			}
		}
		double *t = u;
		u = v;
		v = t;
	}
	part = 0;
	for (int r = 1; r <= rows; r++)
		for (int x = 0; x < nx; x++)
			part += u[r * nx + x];
	if (me == 0) {
		total = part;
		for (int src = 1; src < n; src++) {
			MPI_Recv(&part, 1, MPI_DOUBLE, src, 1, w, MPI_STATUS_IGNORE);
			total += part;
		}
		printf("answer: stencil %d iterations on %d x %d, sum %.15e\n", iters, nx, ny, total);
	} else {
		MPI_Ssend(&part, 1, MPI_DOUBLE, 0, 1, w);
	}
	MPI_Finalize();
	return 0;
}
