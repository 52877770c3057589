/* SPDX-License-Identifier: MIT */
/* coll_vector: the v and w forms, reduce-scatter, scan, exscan, and MPI_IN_PLACE. */
#include "conf.h"

int main(int argc, char **argv)
{
	int i, j, *sc, *sd, *rc, *rd, total, *sb, *rb, x, y;

	conf_init(&argc, &argv);
	sc = malloc(size * sizeof(int));
	sd = malloc(size * sizeof(int));
	rc = malloc(size * sizeof(int));
	rd = malloc(size * sizeof(int));
	/* rank r contributes r+1 ints; blocks laid out with a gap of 2 */
	for (i = 0, total = 0; i < size; i++) {
		rc[i] = i + 1;
		rd[i] = total;
		total += i + 3;
	}
	sb = malloc((size_t)(total + 64) * sizeof(int));
	rb = malloc((size_t)(total + 64) * sizeof(int));
	for (i = 0; i < rank + 1; i++)
		sb[i] = rank * 10 + i;
	for (i = 0; i < total; i++)
		rb[i] = -1;
	MPI_Gatherv(sb, rank + 1, MPI_INT, rb, rc, rd, MPI_INT, size - 1, MPI_COMM_WORLD);
	report_from("gatherv", rb, total, size - 1);
	for (i = 0; i < total; i++)
		rb[i] = rank == 0 ? i : -1;
	MPI_Scatterv(rb, rc, rd, MPI_INT, sb, rank + 1, MPI_INT, 0, MPI_COMM_WORLD);
	report_ints("scatterv", sb, 1);
	for (i = 0; i < rank + 1; i++)
		sb[i] = rank * 10 + i;
	for (i = 0; i < total; i++)
		rb[i] = -1;
	MPI_Allgatherv(sb, rank + 1, MPI_INT, rb, rc, rd, MPI_INT, MPI_COMM_WORLD);
	report_ints("allgatherv last block", &rb[rd[size - 1]], size);
	/* allgatherv in place */
	for (i = 0; i < total; i++)
		rb[i] = -1;
	for (i = 0; i < rank + 1; i++)
		rb[rd[rank] + i] = rank * 10 + i;
	MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, rb, rc, rd, MPI_INT, MPI_COMM_WORLD);
	report_ints("allgatherv in place first", rb, 1);
	/* alltoallv: rank r sends j+1 ints to rank j */
	{
		int *s2 = malloc(size * size * sizeof(int) + 4), *r2 = malloc(size * size * sizeof(int) + 4);
		int off = 0;

		for (j = 0; j < size; j++) {
			sc[j] = j + 1;
			sd[j] = off;
			for (i = 0; i < j + 1; i++)
				s2[off + i] = rank * 100 + j;
			off += j + 1;
		}
		for (j = 0; j < size; j++) {
			rc[j] = rank + 1;
			rd[j] = j * (rank + 1);
		}
		MPI_Alltoallv(s2, sc, sd, MPI_INT, r2, rc, rd, MPI_INT, MPI_COMM_WORLD);
		{
			int sum = 0;

			for (i = 0; i < size * (rank + 1); i++)
				sum += r2[i];
			report_int("alltoallv sum", sum);
		}
		/* alltoallw with byte displacements: ints out, ints in */
		{
			MPI_Datatype *ty = malloc(size * sizeof(MPI_Datatype));

			for (j = 0; j < size; j++) {
				ty[j] = MPI_INT;
				sc[j] = 1;
				sd[j] = (int)(j * sizeof(int));
				rc[j] = 1;
				rd[j] = (int)((size - 1 - j) * sizeof(int));
				s2[j] = rank * 1000 + j;
			}
			MPI_Alltoallw(s2, sc, sd, ty, r2, rc, rd, ty, MPI_COMM_WORLD);
			report_ints("alltoallw first", r2, 1);
			free(ty);
		}
		/* alltoall in place */
		for (j = 0; j < size; j++)
			r2[j] = rank * 10 + j;
		MPI_Alltoall(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, r2, 1, MPI_INT, MPI_COMM_WORLD);
		report_ints("alltoall in place", r2, size < 4 ? size : 4);
		free(s2);
		free(r2);
	}
	/* reduce_scatter: block j gets j+1 elements */
	{
		int n = size * (size + 1) / 2, *v = malloc(n * sizeof(int)), out[64];

		for (i = 0; i < n; i++)
			v[i] = rank + i;
		for (j = 0; j < size; j++)
			rc[j] = j + 1;
		MPI_Reduce_scatter(v, out, rc, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
		report_ints("reduce_scatter first", out, 1);
		for (i = 0; i < size * 2; i++)
			v[i] = rank * 2 + i;
		MPI_Reduce_scatter_block(v, out, 2, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
		report_ints("reduce_scatter_block", out, 2);
		free(v);
	}
	/* scan and exscan, plain and in place, with a non-commutative-safe op (SUM) */
	x = rank + 1;
	MPI_Scan(&x, &y, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
	report_int("scan", y);
	y = x * 2;
	MPI_Scan(MPI_IN_PLACE, &y, 1, MPI_INT, MPI_PROD, MPI_COMM_WORLD);
	report_int("scan in place prod", y);
	y = -5;
	MPI_Exscan(&x, &y, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
	if (rank == 0)
		y = 0;	/* undefined on rank 0 */
	report_int("exscan", y);
	{
		double d[3] = { rank, rank * 0.5, 1 }, e[3];

		MPI_Scan(d, e, 3, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
		report_ints("scan max doubles", (int[]){ (int)e[0], (int)(e[1] * 2), (int)e[2] }, 3);
	}
	/* reduce in place at the root */
	{
		int v[3] = { rank, rank * 2, 1 };

		if (rank == 0)
			MPI_Reduce(MPI_IN_PLACE, v, 3, MPI_INT, MPI_SUM, 0, MPI_COMM_WORLD);
		else
			MPI_Reduce(v, NULL, 3, MPI_INT, MPI_SUM, 0, MPI_COMM_WORLD);
		if (rank == 0)
			printf("reduce in place: %d %d %d\n", v[0], v[1], v[2]);
	}
	/* gather in place at the root, scatter in place at the root */
	{
		int *g = malloc(size * 2 * sizeof(int)), mine[2] = { rank, -rank };

		if (rank == 1 % size) {
			g[2 * rank] = mine[0];
			g[2 * rank + 1] = mine[1];
			MPI_Gather(MPI_IN_PLACE, 2, MPI_INT, g, 2, MPI_INT, 1 % size, MPI_COMM_WORLD);
			MPI_Scatter(g, 2, MPI_INT, MPI_IN_PLACE, 2, MPI_INT, 1 % size, MPI_COMM_WORLD);
		} else {
			MPI_Gather(mine, 2, MPI_INT, NULL, 0, MPI_INT, 1 % size, MPI_COMM_WORLD);
			mine[0] = mine[1] = 0;
			MPI_Scatter(NULL, 0, MPI_INT, mine, 2, MPI_INT, 1 % size, MPI_COMM_WORLD);
		}
		report_from("gather in place", g, 2 * size, 1 % size);
		report_ok("scatter in place", mine[0] == rank && mine[1] == -rank);
		free(g);
	}
	free(sc);
	free(sd);
	free(rc);
	free(rd);
	free(sb);
	free(rb);
	conf_done();
	return 0;
}
