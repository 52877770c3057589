// SPDX-License-Identifier: MIT
/*
 * coll_deadlock: rank 0 enters MPI_Barrier while the others wait for a message from rank 0
 * that never comes (a collective called by only some ranks): the host's detector names the
 * rank in the collective and the one it waits for.
 */
#include <mpi.h>

int main(int argc, char **argv)
{
	int rank, v = 0;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	if (rank == 0)
		MPI_Barrier(MPI_COMM_WORLD);
	else
		MPI_Recv(&v, 1, MPI_INT, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	MPI_Finalize();
	return 0;
}
