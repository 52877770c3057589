/* SPDX-License-Identifier: MIT */
/* ring: a token goes once around the ranks; each rank also checks that the launcher told it
 * its rank and size in the environment, as mpirun does. Prints "ring of N: ok" on rank 0. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include "sum.h"

int main(int argc, char **argv)
{
	int rank, size, token = 0;
	const char *env_rank, *env_size;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	env_rank = getenv("OMPI_COMM_WORLD_RANK");
	env_size = getenv("PMI_SIZE");
	if (!env_rank || atoi(env_rank) != rank || !env_size || atoi(env_size) != size) {
		fprintf(stderr, "rank %d: environment says rank %s of %s\n", rank,
			env_rank ? env_rank : "(unset)", env_size ? env_size : "(unset)");
		MPI_Abort(MPI_COMM_WORLD, 3);
	}
	if (size > 1) {
		if (rank == 0) {
			token = 1;
			MPI_Send(&token, 1, MPI_INT, 1, 0, MPI_COMM_WORLD);
			MPI_Recv(&token, 1, MPI_INT, size - 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		} else {
			MPI_Recv(&token, 1, MPI_INT, rank - 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			token = sum_add(token, 1);
			MPI_Send(&token, 1, MPI_INT, (rank + 1) % size, 0, MPI_COMM_WORLD);
		}
	} else {
		token = 1;
	}
	if (rank == 0)
		printf("ring of %d: %s\n", size, token == size ? "ok" : "WRONG");
	MPI_Finalize();
	return token == size || rank ? 0 : 1;
}
