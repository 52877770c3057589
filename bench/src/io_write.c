// SPDX-License-Identifier: MIT
/*
 * io_write: a collective write of MB megabytes (default 64) by every rank into one file,
 * for `make bench`. The file is cut into 4 KiB blocks dealt to the ranks in turn (rank r
 * writes blocks r, r + p, r + 2p, ...: the interleaved pattern collective buffering is for);
 * each rank sets that view and writes its blocks with one MPI_File_write_all. The time is
 * from before the write to after MPI_File_sync, the slowest rank's.
 * Usage: io_write [MB]. Rank 0 prints "io_write MB s=SECONDS MBps=BW". Plain MPI.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 4096

int main(int argc, char **argv)
{
	int rank, size, mb = argc > 1 ? atoi(argv[1]) : 64;
	long blocks, mine;
	char *buf;
	double t0, t, tmax;
	MPI_Datatype blk, ft;
	MPI_File fh;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	blocks = (long)mb * 1024 * 1024 / BLOCK;
	mine = blocks / size + (rank < blocks % size);
	buf = malloc((size_t)mine * BLOCK + 1);
	for (long i = 0; i < mine * BLOCK; i++)
		buf[i] = (char)(rank + i);
	MPI_Type_contiguous(BLOCK, MPI_BYTE, &blk);
	MPI_Type_create_resized(blk, 0, (MPI_Aint)BLOCK * size, &ft);
	MPI_Type_commit(&ft);
	MPI_File_open(MPI_COMM_WORLD, "io_write.dat", MPI_MODE_CREATE | MPI_MODE_WRONLY |
		      MPI_MODE_DELETE_ON_CLOSE, MPI_INFO_NULL, &fh);
	MPI_File_set_view(fh, (MPI_Offset)rank * BLOCK, MPI_BYTE, ft, "native", MPI_INFO_NULL);
	MPI_Barrier(MPI_COMM_WORLD);
	t0 = MPI_Wtime();
	MPI_File_write_all(fh, buf, (int)(mine * BLOCK), MPI_BYTE, MPI_STATUS_IGNORE);
	MPI_File_sync(fh);
	t = MPI_Wtime() - t0;
	MPI_Reduce(&t, &tmax, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
	if (rank == 0)
		printf("io_write %d s=%.3f MBps=%.1f\n", mb, tmax, mb * 1.048576 / tmax);
	MPI_File_close(&fh);
	MPI_Type_free(&blk);
	MPI_Type_free(&ft);
	free(buf);
	MPI_Finalize();
	return 0;
}
