/* SPDX-License-Identifier: MIT */
/* errors_fatal: by default an error is fatal: the job ends with a non-zero status. */
#include "conf.h"

int main(int argc, char **argv)
{
	int x = 1;

	conf_init(&argc, &argv);
	if (rank == 0) {
		printf("before the error\n");
		fflush(stdout);
	}
	MPI_Barrier(MPI_COMM_WORLD);
	if (rank == size - 1)
		MPI_Send(&x, 1, MPI_INT, size, 0, MPI_COMM_WORLD);	/* invalid rank */
	MPI_Barrier(MPI_COMM_WORLD);
	if (rank == 0)
		printf("never printed\n");
	conf_done();
	return 0;
}
