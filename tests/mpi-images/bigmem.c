// SPDX-License-Identifier: MIT
/*
 * bigmem: what tutorial programs and test suites allocate: a 160 MB static array and two
 * 128 MB buffers from malloc on every rank, each page written where it is used (here one
 * word per megabyte, so that the test touches little of the host's memory). Prints "ok" from
 * rank 0 when every rank had its memory.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#define MB (1u << 20)

static char table[160 * MB];

static int touch(char *p, size_t bytes, int seed)
{
	size_t i;
	int ok = 1;

	for (i = 0; i < bytes; i += MB)
		p[i] = (char)(seed + i / MB);
	p[bytes - 1] = (char)seed;
	for (i = 0; i < bytes; i += MB)
		ok &= p[i] == (char)(seed + i / MB);
	return ok && p[bytes - 1] == (char)seed;
}

int main(int argc, char **argv)
{
	char *a, *b;
	int rank, ok, all;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	a = malloc(128 * MB);
	b = malloc(128 * MB);
	ok = a && b && touch(table, sizeof(table), rank) && touch(a, 128 * MB, rank + 1) &&
	     touch(b, 128 * MB, rank + 2);
	MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
	if (rank == 0)
		printf("%s\n", all ? "ok" : "out of memory");
	free(a);
	free(b);
	MPI_Finalize();
	return all ? 0 : 1;
}
