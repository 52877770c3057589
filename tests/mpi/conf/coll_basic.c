/* SPDX-License-Identifier: MIT */
/* coll_basic: barrier, bcast, reduce, allreduce, gather, scatter, allgather, alltoall. */
#include "conf.h"

static int checksum(const int *v, int n)
{
	unsigned h = 0;
	int i;

	for (i = 0; i < n; i++)
		h = h * 31u + (unsigned)v[i];
	return (int)(h & 0x7fffffff);
}

int main(int argc, char **argv)
{
	static const int counts[] = { 1, 7, 1000, 20000 };
	int root, c, i, n, *a, *b, ok;

	conf_init(&argc, &argv);
	for (i = 0; i < 5; i++)
		MPI_Barrier(MPI_COMM_WORLD);
	report_same("barriers", 5);
	for (c = 0; c < 4; c++) {
		n = counts[c];
		a = malloc((size_t)n * size * sizeof(int));
		b = malloc((size_t)n * size * sizeof(int));
		for (root = 0; root < size; root += (size > 3 ? 2 : 1)) {
			char label[64];

			/* bcast */
			for (i = 0; i < n; i++)
				a[i] = rank == root ? i * 3 + root : -1;
			MPI_Bcast(a, n, MPI_INT, root, MPI_COMM_WORLD);
			ok = 1;
			for (i = 0; i < n; i++)
				ok &= a[i] == i * 3 + root;
			snprintf(label, sizeof(label), "bcast n=%d root=%d", n, root);
			report_ok(label, ok);
			/* reduce */
			for (i = 0; i < n; i++)
				a[i] = rank * (i + 1) + i % 5;
			MPI_Reduce(a, b, n, MPI_INT, MPI_SUM, root, MPI_COMM_WORLD);
			snprintf(label, sizeof(label), "reduce n=%d root=%d", n, root);
			ok = checksum(b, n);
			report_from(label, &ok, 1, root);
			MPI_Reduce(a, b, n, MPI_INT, MPI_MAX, root, MPI_COMM_WORLD);
			snprintf(label, sizeof(label), "reduce max n=%d root=%d", n, root);
			ok = checksum(b, n);
			report_from(label, &ok, 1, root);
			/* gather / scatter */
			for (i = 0; i < n; i++)
				a[i] = rank * 1000 + i;
			MPI_Gather(a, n, MPI_INT, b, n, MPI_INT, root, MPI_COMM_WORLD);
			snprintf(label, sizeof(label), "gather n=%d root=%d", n, root);
			ok = checksum(b, n * size);
			report_from(label, &ok, 1, root);
			if (rank == root)
				for (i = 0; i < n * size; i++)
					b[i] = i * 2 + root;
			MPI_Scatter(b, n, MPI_INT, a, n, MPI_INT, root, MPI_COMM_WORLD);
			ok = 1;
			for (i = 0; i < n; i++)
				ok &= a[i] == (rank * n + i) * 2 + root;
			snprintf(label, sizeof(label), "scatter n=%d root=%d", n, root);
			report_ok(label, ok);
		}
		/* allreduce in three flavours */
		for (i = 0; i < n; i++)
			a[i] = (rank + 1) * (i % 13 + 1);
		MPI_Allreduce(a, b, n, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
		{
			char label[64];

			snprintf(label, sizeof(label), "allreduce sum n=%d", n);
			report_same(label, checksum(b, n));
			MPI_Allreduce(MPI_IN_PLACE, a, n, MPI_INT, MPI_PROD, MPI_COMM_WORLD);
			snprintf(label, sizeof(label), "allreduce prod in place n=%d", n);
			report_same(label, checksum(a, n));
		}
		/* allgather, alltoall */
		for (i = 0; i < n; i++)
			a[i] = rank * 7 + i;
		MPI_Allgather(a, n, MPI_INT, b, n, MPI_INT, MPI_COMM_WORLD);
		{
			char label[64];

			snprintf(label, sizeof(label), "allgather n=%d", n);
			report_same(label, checksum(b, n * size));
			for (i = 0; i < n * size; i++)
				a[i] = rank * 100000 + i;
			MPI_Alltoall(a, n, MPI_INT, b, n, MPI_INT, MPI_COMM_WORLD);
			snprintf(label, sizeof(label), "alltoall n=%d", n);
			report_int(label, checksum(b, n * size));
		}
		free(a);
		free(b);
	}
	/* doubles: a sum exact in binary */
	{
		double d = rank + 0.5, s;

		MPI_Allreduce(&d, &s, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
		if (rank == 0)
			printf("allreduce double: %.3f\n", s);
	}
	/* a derived type in a collective */
	{
		MPI_Datatype vec;
		int m[12], k;

		MPI_Type_vector(3, 1, 4, MPI_INT, &vec);
		MPI_Type_commit(&vec);
		for (k = 0; k < 12; k++)
			m[k] = rank == 0 ? k : -1;
		MPI_Bcast(m, 1, vec, 0, MPI_COMM_WORLD);
		report_ints("bcast vector", m, 12);
		MPI_Type_free(&vec);
	}
	conf_done();
	return 0;
}
