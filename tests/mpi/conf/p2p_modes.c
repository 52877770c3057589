/* SPDX-License-Identifier: MIT */
/* p2p_modes: synchronous, buffered and ready sends, non-blocking forms, sendrecv. */
#include "conf.h"

int main(int argc, char **argv)
{
	int right, left, x, y, i, bsize;
	MPI_Status s;
	MPI_Request r[4];
	char *buf;
	void *det;

	conf_init(&argc, &argv);
	right = (rank + 1) % size;
	left = (rank + size - 1) % size;
	/* Ssend around the ring, odd/even to avoid the cycle */
	x = rank * 3;
	if (size == 1) {
		MPI_Irecv(&y, 1, MPI_INT, 0, 1, MPI_COMM_WORLD, &r[0]);
		MPI_Ssend(&x, 1, MPI_INT, 0, 1, MPI_COMM_WORLD);
		MPI_Wait(&r[0], &s);
	} else if (rank % 2 == 0) {
		MPI_Ssend(&x, 1, MPI_INT, right, 1, MPI_COMM_WORLD);
		MPI_Recv(&y, 1, MPI_INT, left, 1, MPI_COMM_WORLD, &s);
	} else {
		MPI_Recv(&y, 1, MPI_INT, left, 1, MPI_COMM_WORLD, &s);
		MPI_Ssend(&x, 1, MPI_INT, right, 1, MPI_COMM_WORLD);
	}
	report_int("ssend", y);
	/* Bsend: every rank sends three messages to the right before receiving */
	MPI_Pack_size(1, MPI_INT, MPI_COMM_WORLD, &bsize);
	bsize = 3 * (bsize + MPI_BSEND_OVERHEAD) + 100000 + MPI_BSEND_OVERHEAD;
	buf = malloc((size_t)bsize);
	MPI_Buffer_attach(buf, bsize);
	for (i = 0; i < 3; i++) {
		x = rank * 100 + i;
		MPI_Bsend(&x, 1, MPI_INT, right, 2, MPI_COMM_WORLD);
	}
	{
		static double big[12000];

		for (i = 0; i < 12000; i++)
			big[i] = rank + i;
		MPI_Bsend(big, 12000, MPI_DOUBLE, right, 3, MPI_COMM_WORLD);
		for (i = 0; i < 12000; i++)
			big[i] = -1;
		y = 0;
		for (i = 0; i < 3; i++) {
			MPI_Recv(&x, 1, MPI_INT, left, 2, MPI_COMM_WORLD, &s);
			y += x;
		}
		MPI_Recv(big, 12000, MPI_DOUBLE, left, 3, MPI_COMM_WORLD, &s);
		report_int("bsend sum", y);
		report_ok("bsend big", big[11999] == left + 11999);
	}
	MPI_Buffer_detach(&det, &bsize);
	report_ok("detach", det == buf);
	free(buf);
	/* Ibsend with a fresh buffer, waited on */
	buf = malloc(1000);
	MPI_Buffer_attach(buf, 1000);
	x = rank;
	MPI_Ibsend(&x, 1, MPI_INT, right, 4, MPI_COMM_WORLD, &r[0]);
	MPI_Recv(&y, 1, MPI_INT, left, 4, MPI_COMM_WORLD, &s);
	MPI_Wait(&r[0], MPI_STATUS_IGNORE);
	MPI_Buffer_detach(&det, &bsize);
	free(buf);
	report_int("ibsend", y);
	/* Rsend: the receive is posted before a barrier, the send after it */
	MPI_Irecv(&y, 1, MPI_INT, left, 5, MPI_COMM_WORLD, &r[0]);
	MPI_Barrier(MPI_COMM_WORLD);
	x = rank + 50;
	MPI_Rsend(&x, 1, MPI_INT, right, 5, MPI_COMM_WORLD);
	MPI_Wait(&r[0], &s);
	report_int("rsend", y);
	/* every non-blocking send mode at once */
	{
		int out[4], in[4];

		for (i = 0; i < 4; i++)
			MPI_Irecv(&in[i], 1, MPI_INT, left, 10 + i, MPI_COMM_WORLD, &r[i]);
		MPI_Barrier(MPI_COMM_WORLD);
		for (i = 0; i < 4; i++)
			out[i] = rank * 10 + i;
		buf = malloc(1000);
		MPI_Buffer_attach(buf, 1000);
		{
			MPI_Request sr[4];

			MPI_Isend(&out[0], 1, MPI_INT, right, 10, MPI_COMM_WORLD, &sr[0]);
			MPI_Issend(&out[1], 1, MPI_INT, right, 11, MPI_COMM_WORLD, &sr[1]);
			MPI_Ibsend(&out[2], 1, MPI_INT, right, 12, MPI_COMM_WORLD, &sr[2]);
			MPI_Irsend(&out[3], 1, MPI_INT, right, 13, MPI_COMM_WORLD, &sr[3]);
			MPI_Waitall(4, sr, MPI_STATUSES_IGNORE);
		}
		MPI_Waitall(4, r, MPI_STATUSES_IGNORE);
		MPI_Buffer_detach(&det, &bsize);
		free(buf);
		report_ints("isend modes", in, 4);
	}
	/* Sendrecv and Sendrecv_replace shift values around the ring */
	x = rank * rank;
	MPI_Sendrecv(&x, 1, MPI_INT, right, 6, &y, 1, MPI_INT, left, 6, MPI_COMM_WORLD, &s);
	report_int("sendrecv", y);
	report_int("sendrecv source", s.MPI_SOURCE);
	{
		int a[3] = { rank, rank + 1, rank + 2 };

		MPI_Sendrecv_replace(a, 3, MPI_INT, left, 7, right, 7, MPI_COMM_WORLD, &s);
		report_ints("sendrecv_replace", a, 3);
	}
	/* a large synchronous exchange with Sendrecv (rendezvous both ways at once) */
	{
		int n = 100000, *o = malloc(n * sizeof(int)), *in = malloc(n * sizeof(int)), ok = 1;

		for (i = 0; i < n; i++)
			o[i] = rank * n + i;
		MPI_Sendrecv(o, n, MPI_INT, right, 8, in, n, MPI_INT, left, 8, MPI_COMM_WORLD, &s);
		for (i = 0; i < n; i++)
			ok &= in[i] == left * n + i;
		report_ok("sendrecv large", ok);
		free(o);
		free(in);
	}
	conf_done();
	return 0;
}
