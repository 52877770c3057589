/* SPDX-License-Identifier: MIT */
/*
 * jacobi2d: Laplace's equation on an N x N grid (default 128) by Jacobi iteration: the top
 * edge held at 1, the other edges at 0. The ranks form a 2-D Cartesian grid
 * (MPI_Dims_create, MPI_Cart_create); each owns a block with a one-cell halo, exchanged
 * with MPI_Sendrecv every sweep (columns through an MPI_Type_vector); the largest change,
 * combined with MPI_Allreduce, decides convergence. Every update reads only the previous
 * sweep, so the numbers do not depend on the number of ranks.
 * Usage: jacobi2d [N [MAXITER [TOL]]]   (defaults 128 10000 1e-4)
 */
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* first index and length of block `coord` of `dims` blocks over n points */
static void split(int n, int dims, int coord, int *start, int *len)
{
	int base = n / dims, extra = n % dims;

	*len = base + (coord < extra);
	*start = coord * base + (coord < extra ? coord : extra);
}

int main(int argc, char **argv)
{
	int n = 128, maxiter = 10000, rank, size, dims[2] = { 0, 0 }, periods[2] = { 0, 0 };
	int coords[2], up, down, left, right, x0, nx, y0, ny, it, i, j, w;
	double tol = 1e-4, diff = 0, *u, *v, t0;
	MPI_Comm grid;
	MPI_Datatype column;

	MPI_Init(&argc, &argv);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	if (argc > 1)
		n = atoi(argv[1]);
	if (argc > 2)
		maxiter = atoi(argv[2]);
	if (argc > 3)
		tol = atof(argv[3]);
	MPI_Dims_create(size, 2, dims);
	MPI_Cart_create(MPI_COMM_WORLD, 2, dims, periods, 1, &grid);
	MPI_Comm_rank(grid, &rank);
	MPI_Cart_coords(grid, rank, 2, coords);
	MPI_Cart_shift(grid, 0, 1, &up, &down);	/* dimension 0: rows of blocks */
	MPI_Cart_shift(grid, 1, 1, &left, &right);
	split(n, dims[0], coords[0], &y0, &ny);
	split(n, dims[1], coords[1], &x0, &nx);
	w = nx + 2;
	u = calloc((size_t)(ny + 2) * w, sizeof(double));
	v = calloc((size_t)(ny + 2) * w, sizeof(double));
	if (!u || !v) {
		fprintf(stderr, "jacobi2d: out of memory\n");
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	/* the global top edge (row -1) is 1; it lives in the halo of the top blocks */
	if (y0 == 0)
		for (j = 0; j < w; j++)
			u[j] = v[j] = 1.0;
	MPI_Type_vector(ny, 1, w, MPI_DOUBLE, &column);
	MPI_Type_commit(&column);
	t0 = MPI_Wtime();
	for (it = 1; it <= maxiter; it++) {
		double local = 0;

		/* halos: rows up and down, columns left and right (MPI_PROC_NULL at edges) */
		MPI_Sendrecv(&u[1 * w + 1], nx, MPI_DOUBLE, up, 0, &u[(ny + 1) * w + 1], nx,
			     MPI_DOUBLE, down, 0, grid, MPI_STATUS_IGNORE);
		MPI_Sendrecv(&u[ny * w + 1], nx, MPI_DOUBLE, down, 1, &u[0 * w + 1], nx,
			     MPI_DOUBLE, up, 1, grid, MPI_STATUS_IGNORE);
		MPI_Sendrecv(&u[1 * w + 1], 1, column, left, 2, &u[1 * w + nx + 1], 1, column,
			     right, 2, grid, MPI_STATUS_IGNORE);
		MPI_Sendrecv(&u[1 * w + nx], 1, column, right, 3, &u[1 * w + 0], 1, column, left,
			     3, grid, MPI_STATUS_IGNORE);
		for (i = 1; i <= ny; i++)
			for (j = 1; j <= nx; j++) {
				double nv = 0.25 * (u[(i - 1) * w + j] + u[(i + 1) * w + j] +
						    u[i * w + j - 1] + u[i * w + j + 1]);
				double d = fabs(nv - u[i * w + j]);

				v[i * w + j] = nv;
				if (d > local)
					local = d;
			}
		for (i = 1; i <= ny; i++)
			memcpy(&u[i * w + 1], &v[i * w + 1], (size_t)nx * sizeof(double));
		MPI_Allreduce(&local, &diff, 1, MPI_DOUBLE, MPI_MAX, grid);
		if (diff < tol)
			break;
	}
	{
		double sum = 0, total, centre = -1, c;
		int gc = n / 2;

		for (i = 1; i <= ny; i++)
			for (j = 1; j <= nx; j++)
				sum += u[i * w + j];
		MPI_Reduce(&sum, &total, 1, MPI_DOUBLE, MPI_SUM, 0, grid);
		/* the value at the centre of the grid, from whichever rank holds it */
		if (gc >= y0 && gc < y0 + ny && gc >= x0 && gc < x0 + nx)
			centre = u[(gc - y0 + 1) * w + (gc - x0 + 1)];
		MPI_Reduce(&centre, &c, 1, MPI_DOUBLE, MPI_MAX, 0, grid);
		if (rank == 0) {
			printf("jacobi2d %dx%d on %dx%d ranks: %s after %d sweeps\n", n, n, dims[0],
			       dims[1], diff < tol ? "converged" : "stopped", it > maxiter ? maxiter : it);
			printf("max change %.6e, centre %.8f, mean %.8f\n", diff, c,
			       total / ((double)n * n));
			fprintf(stderr, "jacobi2d: %.3f s\n", MPI_Wtime() - t0);
		}
	}
	MPI_Type_free(&column);
	MPI_Comm_free(&grid);
	free(u);
	free(v);
	MPI_Finalize();
	return 0;
}
