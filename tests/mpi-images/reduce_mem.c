// SPDX-License-Identifier: MIT
/*
 * reduce_mem: MPI_Reduce of a long vector with a user operation, on a board whose private
 * DRAM holds the program's two buffers but not two more copies of them: the library's work
 * buffers must be a few segments, not whole copies. Argument: the vector in MB (default 40).
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static void add(void *in, void *inout, int *len, MPI_Datatype *dt)
{
	const int *a = in;
	int *b = inout, i;

	(void)dt;
	for (i = 0; i < *len; i++)
		b[i] += a[i];
}

int main(int argc, char **argv)
{
	int rank, size, n, i, ok = 1, rc;
	int *in, *out;
	MPI_Op op;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	n = (argc > 1 ? atoi(argv[1]) : 40) * (1 << 20) / (int)sizeof(int);
	in = malloc((size_t)n * sizeof(int));
	out = malloc((size_t)n * sizeof(int));
	if (!in || !out) {
		printf("rank %d: no memory for the buffers\n", rank);
		MPI_Abort(MPI_COMM_WORLD, 2);
	}
	for (i = 0; i < n; i++)
		in[i] = rank + i % 7;
	MPI_Op_create(add, 0, &op);
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
	rc = MPI_Reduce(in, out, n, MPI_INT, op, 0, MPI_COMM_WORLD);
	if (rc != MPI_SUCCESS) {
		char s[MPI_MAX_ERROR_STRING];
		int len;

		MPI_Error_string(rc, s, &len);
		printf("rank %d: MPI_Reduce: %s\n", rank, s);
		MPI_Abort(MPI_COMM_WORLD, 3);
	}
	if (rank == 0) {
		for (i = 0; i < n; i++)
			ok &= out[i] == size * (size - 1) / 2 + size * (i % 7);
		printf("reduce of %d ints: %s\n", n, ok ? "ok" : "wrong");
	}
	MPI_Op_free(&op);
	free(in);
	free(out);
	MPI_Finalize();
	return ok ? 0 : 1;
}
