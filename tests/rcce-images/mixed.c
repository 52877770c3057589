// SPDX-License-Identifier: MIT
/*
 * mixed.c: RCCE and tessera's MPI in one image, both busy at once: an MPI ring and an RCCE
 * ring interleaved, then an allreduce of each. They share every core's MPB (MPI below, RCCE
 * at the top: docs/rcce.md); if they stepped on each other the sums would be wrong or the
 * run would hang. Prints "mixed: ok SUM" on rank 0.
 */
#include <stdio.h>
#include <mpi.h>
#include "RCCE.h"

int main(int argc, char **argv)
{
	int me, n, a, b, sa = 0, sb = 0, ok;

	MPI_Init(&argc, &argv);
	RCCE_init(&argc, &argv);
	me = RCCE_ue();
	n = RCCE_num_ues();
	for (int step = 0; step < 20; step++) {
		MPI_Request q[2];

		a = me * 100 + step;
		MPI_Irecv(&b, 1, MPI_INT, (me + n - 1) % n, step, MPI_COMM_WORLD, &q[0]);
		MPI_Isend(&a, 1, MPI_INT, (me + 1) % n, step, MPI_COMM_WORLD, &q[1]);
		MPI_Waitall(2, q, MPI_STATUSES_IGNORE);
		sa += b;
		if (me == 0) {
			RCCE_send((char *)&a, sizeof(a), (me + 1) % n);
			RCCE_recv((char *)&b, sizeof(b), (me + n - 1) % n);
		} else {
			RCCE_recv((char *)&b, sizeof(b), (me + n - 1) % n);
			RCCE_send((char *)&a, sizeof(a), (me + 1) % n);
		}
		sb += b;
	}
	MPI_Allreduce(MPI_IN_PLACE, &sa, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
	RCCE_allreduce((char *)&sb, (char *)&b, 1, RCCE_INT, RCCE_SUM, RCCE_COMM_WORLD);
	ok = sa == b;
	if (me == 0)
		printf(ok ? "mixed: ok %d\n" : "mixed: MPI %d, RCCE %d\n", sa, b);
	RCCE_finalize();
	MPI_Finalize();
	return !ok;
}
