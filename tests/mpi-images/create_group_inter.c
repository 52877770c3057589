// SPDX-License-Identifier: MIT
/*
 * create_group_inter: MPI_Comm_create_group of an intercommunicator, which MPI-3.1 defines
 * for intracommunicators only and Open MPI 4.1 accepts (giving an intracommunicator over
 * the group, a part of the local group); tessera does the same. Each group makes one of
 * its first half, with a tag of its own; prints "ok" from rank 0 when all went right.
 */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	int rank, size, lrank, lsize, half[64], i, ok = 1, all, flag, n, one = 1, sum;
	MPI_Comm split, ic, gc;
	MPI_Group lg, first;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	MPI_Comm_split(MPI_COMM_WORLD, rank % 2, rank, &split);
	MPI_Comm_rank(split, &lrank);
	MPI_Comm_size(split, &lsize);
	MPI_Intercomm_create(split, 0, MPI_COMM_WORLD, rank % 2 ? 0 : 1, 3, &ic);
	MPI_Comm_group(ic, &lg);
	for (i = 0; i < (lsize + 1) / 2; i++)
		half[i] = i;
	MPI_Group_incl(lg, (lsize + 1) / 2, half, &first);
	if (lrank < (lsize + 1) / 2) {
		MPI_Comm_create_group(ic, first, 10 + rank % 2, &gc);
		MPI_Comm_test_inter(gc, &flag);
		MPI_Comm_size(gc, &n);
		MPI_Allreduce(&one, &sum, 1, MPI_INT, MPI_SUM, gc);
		ok = !flag && n == (lsize + 1) / 2 && sum == n;
		MPI_Comm_free(&gc);
	}
	MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
	if (rank == 0)
		printf("%s\n", all ? "ok" : "wrong");
	MPI_Group_free(&first);
	MPI_Group_free(&lg);
	MPI_Comm_free(&ic);
	MPI_Comm_free(&split);
	MPI_Finalize();
	return all ? 0 : 1;
}
