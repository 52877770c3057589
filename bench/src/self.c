// SPDX-License-Identifier: MIT
/*
 * self: the point-to-point paths of one rank to itself, for bench/cg.sh to count their
 * instructions with no other rank's timing in them (a two-rank run's counts move with who
 * waited for whom). Per iteration: "blocking", one MPI_Send and one MPI_Recv of BYTES;
 * "window", 16 MPI_Irecv, 16 MPI_Isend and one MPI_Waitall of all 32 (the receives are
 * posted when their messages come: the matching path of a message-rate benchmark).
 * Usage: self blocking|window BYTES ITERS. Prints "self ok" when every byte arrived.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 16

int main(int argc, char **argv)
{
	int window = argc > 1 && !strcmp(argv[1], "window");
	int bytes = argc > 2 ? atoi(argv[2]) : 8, iters = argc > 3 ? atoi(argv[3]) : 1000;
	char *sbuf, *rbuf;
	MPI_Request q[2 * WINDOW];
	int ok = 1;

	MPI_Init(&argc, &argv);
	sbuf = malloc((size_t)bytes + 1);
	rbuf = malloc(((size_t)bytes + 1) * WINDOW);
	for (int i = 0; i < iters; i++) {
		memset(sbuf, 'a' + i % 26, (size_t)bytes + 1);
		if (!window) {
			MPI_Send(sbuf, bytes, MPI_CHAR, 0, 1, MPI_COMM_WORLD);
			MPI_Recv(rbuf, bytes, MPI_CHAR, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			ok &= !bytes || rbuf[bytes - 1] == sbuf[0];
			continue;
		}
		for (int w = 0; w < WINDOW; w++)
			MPI_Irecv(rbuf + w * bytes, bytes, MPI_CHAR, 0, 2, MPI_COMM_WORLD, &q[w]);
		for (int w = 0; w < WINDOW; w++)
			MPI_Isend(sbuf, bytes, MPI_CHAR, 0, 2, MPI_COMM_WORLD, &q[WINDOW + w]);
		MPI_Waitall(2 * WINDOW, q, MPI_STATUSES_IGNORE);
		for (int w = 0; w < WINDOW; w++)
			ok &= !bytes || rbuf[w * bytes + bytes - 1] == sbuf[0];
	}
	printf(ok ? "self ok\n" : "self: wrong bytes\n");
	MPI_Finalize();
	return !ok;
}
