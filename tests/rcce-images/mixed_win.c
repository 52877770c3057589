// SPDX-License-Identifier: MIT
/*
 * mixed_win.c: RCCE and tessera's MPI in one image, both taking shared DRAM at once: an
 * RCCE_shmalloc'd array filled by every UE, an MPI window in shared DRAM (MPI_Win_allocate)
 * and memory from MPI_Alloc_mem, each written by every rank; then every rank checks all
 * three. If MPI's heap and RCCE_shmalloc's memory overlapped (docs/rma.md, Where a window's
 * memory is), one would overwrite the other. Prints "mixed_win: ok" on rank 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <mpi.h>
#include "RCCE.h"

#define PER 1024	/* ints per rank in each of the three */

int main(int argc, char **argv)
{
	int me, n, ok = 1, all_ok, *win_mem, *mem;
	volatile int *shm;
	MPI_Win win;

	MPI_Init(&argc, &argv);
	RCCE_init(&argc, &argv);
	me = RCCE_ue();
	n = RCCE_num_ues();
	shm = (volatile int *)RCCE_shmalloc((size_t)n * PER * sizeof(int));
	if (!shm) {
		printf("mixed_win: RCCE_shmalloc failed on UE %d\n", me);
		MPI_Abort(MPI_COMM_WORLD, 2);
	}
	if (MPI_Win_allocate((MPI_Aint)n * PER * sizeof(int), sizeof(int), MPI_INFO_NULL,
			     MPI_COMM_WORLD, &win_mem, &win) != MPI_SUCCESS ||
	    MPI_Alloc_mem((MPI_Aint)PER * sizeof(int), MPI_INFO_NULL, &mem) != MPI_SUCCESS)
		MPI_Abort(MPI_COMM_WORLD, 3);
	for (int i = 0; i < PER; i++) {
		shm[me * PER + i] = 1000000 + me * PER + i;
		mem[i] = 2000000 + me * PER + i;
	}
	RCCE_shflush();
	/* every rank puts its block into every rank's window */
	MPI_Win_fence(0, win);
	for (int t = 0; t < n; t++)
		MPI_Put(mem, PER, MPI_INT, t, (MPI_Aint)me * PER, PER, MPI_INT, win);
	MPI_Win_fence(0, win);
	RCCE_barrier(&RCCE_COMM_WORLD);
	RCCE_shflush();
	for (int r = 0; r < n; r++)
		for (int i = 0; i < PER; i++) {
			ok &= shm[r * PER + i] == 1000000 + r * PER + i;
			ok &= win_mem[r * PER + i] == 2000000 + r * PER + i;
		}
	for (int i = 0; i < PER; i++)
		ok &= mem[i] == 2000000 + me * PER + i;
	MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
	if (me == 0)
		printf(all_ok ? "mixed_win: ok\n" : "mixed_win: memory overwritten\n");
	MPI_Free_mem(mem);
	MPI_Win_free(&win);
	RCCE_shfree((t_vcharp)shm);
	RCCE_finalize();
	MPI_Finalize();
	return !all_ok;
}
