/* SPDX-License-Identifier: MIT */
/* coll_nonblocking: every non-blocking collective, several in flight, mixed with p2p. */
#include "conf.h"

int main(int argc, char **argv)
{
	MPI_Request r[16];
	int i, n = 0, a[64], b[64], c[64], d[64], e[8], f[8], x, y, flag;
	int *big, *bigr, ok = 1;

	conf_init(&argc, &argv);
	for (i = 0; i < 64; i++)
		a[i] = rank * 64 + i;
	x = rank + 1;
	/* several collectives outstanding at once, completed together */
	MPI_Ibarrier(MPI_COMM_WORLD, &r[n++]);
	MPI_Iallreduce(&x, &y, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD, &r[n++]);
	for (i = 0; i < 4; i++)
		b[i] = rank == size - 1 ? 40 + i : 0;
	MPI_Ibcast(b, 4, MPI_INT, size - 1, MPI_COMM_WORLD, &r[n++]);
	MPI_Ireduce(a, c, 4, MPI_INT, MPI_MAX, 0, MPI_COMM_WORLD, &r[n++]);
	MPI_Iscan(&x, &e[0], 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD, &r[n++]);
	MPI_Iexscan(&x, &e[1], 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD, &r[n++]);
	MPI_Waitall(n, r, MPI_STATUSES_IGNORE);
	if (rank == 0)
		e[1] = 0;
	report_same("iallreduce", y);
	report_ints("ibcast", b, 4);
	if (rank == 0)
		printf("ireduce: %d %d %d %d\n", c[0], c[1], c[2], c[3]);
	report_ints("iscan/iexscan", e, 2);
	/* gather family */
	n = 0;
	MPI_Igather(&x, 1, MPI_INT, c, 1, MPI_INT, 0, MPI_COMM_WORLD, &r[n++]);
	MPI_Iallgather(&x, 1, MPI_INT, d, 1, MPI_INT, MPI_COMM_WORLD, &r[n++]);
	MPI_Ialltoall(a, 1, MPI_INT, b, 1, MPI_INT, MPI_COMM_WORLD, &r[n++]);
	MPI_Waitall(n, r, MPI_STATUSES_IGNORE);
	if (rank == 0) {
		printf("igather:");
		for (i = 0; i < size; i++)
			printf(" %d", c[i]);
		printf("\n");
	}
	report_ints("iallgather last", &d[size - 1], 1);
	report_ints("ialltoall first", b, 1);
	n = 0;
	for (i = 0; i < size; i++)
		c[i] = i * 5;
	MPI_Iscatter(c, 1, MPI_INT, &y, 1, MPI_INT, 0, MPI_COMM_WORLD, &r[n++]);
	{
		int cnt[64], dsp[64];

		for (i = 0; i < size; i++) {
			cnt[i] = 1;
			dsp[i] = size - 1 - i;
		}
		MPI_Igatherv(&x, 1, MPI_INT, d, cnt, dsp, MPI_INT, 0, MPI_COMM_WORLD, &r[n++]);
		MPI_Waitall(n, r, MPI_STATUSES_IGNORE);
		n = 0;
		report_int("iscatter", y);
		if (rank == 0)
			printf("igatherv reversed: %d .. %d\n", d[0], d[size - 1]);
		MPI_Iscatterv(c, cnt, dsp, MPI_INT, &y, 1, MPI_INT, 0, MPI_COMM_WORLD, &r[n++]);
		MPI_Iallgatherv(&x, 1, MPI_INT, d, cnt, dsp, MPI_INT, MPI_COMM_WORLD, &r[n++]);
		MPI_Ialltoallv(a, cnt, dsp, MPI_INT, b, cnt, dsp, MPI_INT, MPI_COMM_WORLD, &r[n++]);
		MPI_Waitall(n, r, MPI_STATUSES_IGNORE);
		report_int("iscatterv", y);
		report_ints("iallgatherv", d, 1);
		report_ints("ialltoallv", b, 1);
	}
	/* reduce-scatter forms */
	n = 0;
	{
		int cnt[64];

		for (i = 0; i < size; i++)
			cnt[i] = 2;
		MPI_Ireduce_scatter(a, f, cnt, MPI_INT, MPI_SUM, MPI_COMM_WORLD, &r[n++]);
		MPI_Ireduce_scatter_block(a, &f[2], 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD, &r[n++]);
		MPI_Waitall(n, r, MPI_STATUSES_IGNORE);
		report_ints("ireduce_scatter(_block)", f, 3);
	}
	/* a large iallreduce progressing while ranks exchange point-to-point messages */
	big = malloc(50000 * sizeof(int));
	bigr = malloc(50000 * sizeof(int));
	for (i = 0; i < 50000; i++)
		big[i] = rank + i % 100;
	MPI_Iallreduce(big, bigr, 50000, MPI_INT, MPI_SUM, MPI_COMM_WORLD, &r[0]);
	{
		int right = (rank + 1) % size, left = (rank + size - 1) % size;

		MPI_Sendrecv(&x, 1, MPI_INT, right, 5, &y, 1, MPI_INT, left, 5, MPI_COMM_WORLD,
			     MPI_STATUS_IGNORE);
	}
	do
		MPI_Test(&r[0], &flag, MPI_STATUS_IGNORE);
	while (!flag);
	for (i = 0; i < 50000; i++)
		ok &= bigr[i] == size * (size - 1) / 2 + size * (i % 100);
	report_ok("iallreduce large", ok);
	report_int("p2p during collective", y);
	/* an ibarrier that a rank waits on only after a message it needs arrives */
	if (size > 1) {
		if (rank == 0) {
			MPI_Ibarrier(MPI_COMM_WORLD, &r[0]);
			MPI_Recv(&y, 1, MPI_INT, 1, 6, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			MPI_Wait(&r[0], MPI_STATUS_IGNORE);
		} else {
			if (rank == 1)
				MPI_Send(&x, 1, MPI_INT, 0, 6, MPI_COMM_WORLD);
			MPI_Ibarrier(MPI_COMM_WORLD, &r[0]);
			MPI_Wait(&r[0], MPI_STATUS_IGNORE);
		}
	}
	report_same("ibarrier ordering", 1);
	free(big);
	free(bigr);
	conf_done();
	return 0;
}
