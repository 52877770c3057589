/* SPDX-License-Identifier: MIT */
/* p2p_basic: blocking send/receive: tags, wildcards, status, counts, ordering, sizes. */
#include "conf.h"

int main(int argc, char **argv)
{
	int v[8], i, ok = 1, st[4];
	MPI_Status s;
	static const int sizes[] = { 0, 1, 100, 4096, 5000, 70000, 300000 };

	conf_init(&argc, &argv);
	/* ring: everybody sends right, receives from the left, with a tag per rank */
	v[0] = rank * 10;
	if (size > 1) {
		int right = (rank + 1) % size, left = (rank + size - 1) % size, got;

		if (rank % 2 == 0) {
			MPI_Send(v, 1, MPI_INT, right, 100 + rank, MPI_COMM_WORLD);
			MPI_Recv(&got, 1, MPI_INT, left, 100 + left, MPI_COMM_WORLD, &s);
		} else {
			MPI_Recv(&got, 1, MPI_INT, left, 100 + left, MPI_COMM_WORLD, &s);
			MPI_Send(v, 1, MPI_INT, right, 100 + rank, MPI_COMM_WORLD);
		}
		st[0] = got;
		st[1] = s.MPI_SOURCE;
		st[2] = s.MPI_TAG;
		MPI_Get_count(&s, MPI_INT, &st[3]);
		report_ints("ring (value source tag count)", st, 4);
	}
	/* wildcards: rank 0 receives one message from everybody in any order */
	if (rank == 0) {
		int sum = 0, tags = 0, srcs = 0;

		for (i = 1; i < size; i++) {
			int x;

			MPI_Recv(&x, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &s);
			sum += x;
			tags += s.MPI_TAG;
			srcs += s.MPI_SOURCE;
			ok &= x == s.MPI_SOURCE * 7 && s.MPI_TAG == s.MPI_SOURCE + 5;
		}
		printf("any-source sum %d tags %d sources %d ok %d\n", sum, tags, srcs, ok);
	} else {
		int x = rank * 7;

		MPI_Send(&x, 1, MPI_INT, 0, rank + 5, MPI_COMM_WORLD);
	}
	MPI_Barrier(MPI_COMM_WORLD);	/* no later message may meet the wildcards above */
	/* non-overtaking: 50 messages with one tag arrive in order; mixed tags by tag */
	if (size > 1) {
		if (rank == 1) {
			for (i = 0; i < 50; i++)
				MPI_Send(&i, 1, MPI_INT, 0, 7, MPI_COMM_WORLD);
			for (i = 0; i < 4; i++)
				MPI_Send(&i, 1, MPI_INT, 0, 20 + i, MPI_COMM_WORLD);
		} else if (rank == 0) {
			int x, order = 1;

			for (i = 0; i < 50; i++) {
				MPI_Recv(&x, 1, MPI_INT, 1, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
				order &= x == i;
			}
			for (i = 3; i >= 0; i--) {
				MPI_Recv(&x, 1, MPI_INT, 1, 20 + i, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
				order &= x == i;
			}
			printf("ordered: %d\n", order);
		}
	}
	/* sizes across the eager/rendezvous boundary, each way between 0 and the last rank */
	for (i = 0; i < (int)(sizeof(sizes) / sizeof(sizes[0])); i++) {
		int n = sizes[i], k, count = -1, good = 1;
		unsigned char *b = malloc((size_t)n + 1);

		if (size == 1)
			break;
		if (rank == 0) {
			for (k = 0; k < n; k++)
				b[k] = (unsigned char)(k * 7 + n);
			MPI_Send(b, n, MPI_BYTE, size - 1, i, MPI_COMM_WORLD);
			MPI_Recv(b, n, MPI_BYTE, size - 1, i, MPI_COMM_WORLD, &s);
			MPI_Get_count(&s, MPI_BYTE, &count);
			for (k = 0; k < n; k++)
				good &= b[k] == (unsigned char)(k * 3 + 1);
			printf("size %d: count %d data %s\n", n, count, good ? "ok" : "BAD");
		} else if (rank == size - 1) {
			MPI_Recv(b, n, MPI_BYTE, 0, i, MPI_COMM_WORLD, &s);
			for (k = 0; k < n; k++)
				good &= b[k] == (unsigned char)(k * 7 + n);
			for (k = 0; k < n; k++)
				b[k] = good ? (unsigned char)(k * 3 + 1) : 0;
			MPI_Send(b, n, MPI_BYTE, 0, i, MPI_COMM_WORLD);
		}
		free(b);
	}
	/* MPI_PROC_NULL: completes at once with the null status */
	MPI_Send(v, 1, MPI_INT, MPI_PROC_NULL, 0, MPI_COMM_WORLD);
	MPI_Recv(v, 1, MPI_INT, MPI_PROC_NULL, 0, MPI_COMM_WORLD, &s);
	MPI_Get_count(&s, MPI_INT, &i);
	report_same("proc-null source", s.MPI_SOURCE == MPI_PROC_NULL);
	report_same("proc-null tag", s.MPI_TAG == MPI_ANY_TAG);
	report_same("proc-null count", i);
	/* a message to oneself (non-blocking send first) */
	{
		MPI_Request r;
		int out = rank + 1000, in = 0;

		MPI_Isend(&out, 1, MPI_INT, rank, 3, MPI_COMM_WORLD, &r);
		MPI_Recv(&in, 1, MPI_INT, rank, 3, MPI_COMM_WORLD, &s);
		MPI_Wait(&r, MPI_STATUS_IGNORE);
		report_int("self", in);
	}
	/* a receive larger than the message; count tells the truth */
	if (size > 1) {
		if (rank == 0) {
			double d[3] = { 1.5, 2.5, 3.5 };

			MPI_Send(d, 3, MPI_DOUBLE, 1, 9, MPI_COMM_WORLD);
		} else if (rank == 1) {
			double d[10];
			int c;

			MPI_Recv(d, 10, MPI_DOUBLE, 0, 9, MPI_COMM_WORLD, &s);
			MPI_Get_count(&s, MPI_DOUBLE, &c);
			MPI_Get_count(&s, MPI_INT, &i);
			MPI_Send(&c, 1, MPI_INT, 0, 10, MPI_COMM_WORLD);
			MPI_Send(&i, 1, MPI_INT, 0, 11, MPI_COMM_WORLD);
		}
		if (rank == 0) {
			int c, c2;

			MPI_Recv(&c, 1, MPI_INT, 1, 10, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			MPI_Recv(&c2, 1, MPI_INT, 1, 11, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			printf("short message: %d doubles, %d ints\n", c, c2);
		}
	}
	conf_done();
	return 0;
}
