// SPDX-License-Identifier: MIT
/*
 * stencil.c: a 2D five-point Jacobi stencil with RCCE, in the manner of RCCE's stencil
 * example: an NX x NY grid cut into bands of rows, one band per UE; every iteration each
 * UE exchanges its edge rows with its neighbours (even UEs send first, odd UEs receive
 * first, since RCCE_send is synchronous), then updates its interior. The answer is the
 * grid's sum, added up in UE order on UE 0, so the MPI twin (mpi/stencil_mpi.c) must print
 * the same digits. Usage: stencil [ITERATIONS [NX [NY]]]   (defaults 50, 96, 64)
 */
#include <stdio.h>
#include <stdlib.h>
#include "RCCE.h"

int RCCE_APP(int argc, char **argv)
{
	int iters = 50, nx = 96, ny = 64, me, n, rows, first;
	double *u, *v, part, total = 0;

	RCCE_init(&argc, &argv);
	me = RCCE_ue();
	n = RCCE_num_ues();
	if (argc > 1)
		iters = atoi(argv[1]);
	if (argc > 2)
		nx = atoi(argv[2]);
	if (argc > 3)
		ny = atoi(argv[3]);
	if (ny < n || nx < 3 || iters < 0) {
		if (me == 0)
			fprintf(stderr, "stencil: needs NY >= UEs and NX >= 3\n");
		return 2;
	}
	/* my band: rows [first, first + rows) of the grid, with a halo row on each side */
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
			int sending = (me % 2) == phase;

			/* phase 0: even UEs send, odd receive; phase 1 the other way round */
			if (sending) {
				if (me > 0)
					RCCE_send((char *)&u[nx], nx * sizeof(double), me - 1);
				if (me < n - 1)
					RCCE_send((char *)&u[rows * nx], nx * sizeof(double), me + 1);
			} else {
				if (me < n - 1)
					RCCE_recv((char *)&u[(rows + 1) * nx], nx * sizeof(double), me + 1);
				if (me > 0)
					RCCE_recv((char *)&u[0], nx * sizeof(double), me - 1);
			}
		}
		for (int r = 1; r <= rows; r++) {
			int g = first + r - 1;

			for (int x = 0; x < nx; x++) {
				if (g == 0 || g == ny - 1 || x == 0 || x == nx - 1)
					v[r * nx + x] = u[r * nx + x];	/* fixed boundary */
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
		for (int ue = 1; ue < n; ue++) {
			RCCE_recv((char *)&part, sizeof(part), ue);
			total += part;
		}
		printf("answer: stencil %d iterations on %d x %d, sum %.15e\n", iters, nx, ny, total);
	} else {
		RCCE_send((char *)&part, sizeof(part), 0);
	}
	RCCE_finalize();
	return 0;
}
