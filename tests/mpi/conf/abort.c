/* SPDX-License-Identifier: MIT */
/* abort: MPI_Abort on one rank ends every rank; the job's status is the error code. */
#include <unistd.h>
#include "conf.h"

int main(int argc, char **argv)
{
	conf_init(&argc, &argv);
	if (rank == 0) {
		printf("aborting\n");
		fflush(stdout);
	}
	MPI_Barrier(MPI_COMM_WORLD);
	if (rank == size / 2)
		MPI_Abort(MPI_COMM_WORLD, 3);
	/* the others wait in a receive that never completes */
	{
		int x;

		MPI_Recv(&x, 1, MPI_INT, MPI_ANY_SOURCE, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	}
	conf_done();
	return 0;
}
