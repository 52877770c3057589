/* SPDX-License-Identifier: MIT */
/*
 * coll_ops: every predefined reduction on every type group it is defined for, the
 * MINLOC/MAXLOC pair types, user-defined operations (commutative and not), Reduce_local.
 */
#include <complex.h>
#include <stdbool.h>
#include <stdint.h>
#include "conf.h"

#define INT_OPS(T, MT, name) do { \
	T x = (T)(rank + 1), b = (T)((1 << (rank % 6)) | rank), r; \
	long long o[6]; \
	MPI_Allreduce(&x, &r, 1, MT, MPI_SUM, MPI_COMM_WORLD); o[0] = (long long)r; \
	MPI_Allreduce(&x, &r, 1, MT, MPI_PROD, MPI_COMM_WORLD); o[1] = (long long)r; \
	MPI_Allreduce(&x, &r, 1, MT, MPI_MAX, MPI_COMM_WORLD); o[2] = (long long)r; \
	MPI_Allreduce(&x, &r, 1, MT, MPI_MIN, MPI_COMM_WORLD); o[3] = (long long)r; \
	MPI_Allreduce(&b, &r, 1, MT, MPI_BOR, MPI_COMM_WORLD); o[4] = (long long)r; \
	MPI_Allreduce(&b, &r, 1, MT, MPI_BXOR, MPI_COMM_WORLD); o[5] = (long long)r; \
	if (rank == 0) \
		printf("%-22s sum %lld prod %lld max %lld min %lld bor %lld bxor %lld\n", name, \
		       o[0], o[1], o[2], o[3], o[4], o[5]); \
} while (0)

#define LOGIC_OPS(T, MT, name) do { \
	T x = (T)(rank % 2), y = (T)(rank != 2), r; \
	int o[4]; \
	MPI_Allreduce(&x, &r, 1, MT, MPI_LAND, MPI_COMM_WORLD); o[0] = (int)r; \
	MPI_Allreduce(&x, &r, 1, MT, MPI_LOR, MPI_COMM_WORLD); o[1] = (int)r; \
	MPI_Allreduce(&y, &r, 1, MT, MPI_LXOR, MPI_COMM_WORLD); o[2] = (int)r; \
	MPI_Allreduce(&y, &r, 1, MT, MPI_LAND, MPI_COMM_WORLD); o[3] = (int)r; \
	if (rank == 0) \
		printf("%-22s land %d lor %d lxor %d land2 %d\n", name, o[0], o[1], o[2], o[3]); \
} while (0)

#define FLOAT_OPS(T, MT, name) do { \
	T x = (T)(rank + 1) / 4, r; \
	double o[4]; \
	MPI_Allreduce(&x, &r, 1, MT, MPI_SUM, MPI_COMM_WORLD); o[0] = (double)r; \
	MPI_Allreduce(&x, &r, 1, MT, MPI_PROD, MPI_COMM_WORLD); o[1] = (double)r; \
	MPI_Allreduce(&x, &r, 1, MT, MPI_MAX, MPI_COMM_WORLD); o[2] = (double)r; \
	MPI_Allreduce(&x, &r, 1, MT, MPI_MIN, MPI_COMM_WORLD); o[3] = (double)r; \
	if (rank == 0) \
		printf("%-22s sum %.6g prod %.6g max %.6g min %.6g\n", name, o[0], o[1], o[2], \
		       o[3]); \
} while (0)

#define COMPLEX_OPS(T, MT, name) do { \
	T x = (T)(rank + 1) + (T)1 * I, r, p; \
	MPI_Allreduce(&x, &r, 1, MT, MPI_SUM, MPI_COMM_WORLD); \
	MPI_Allreduce(&x, &p, 1, MT, MPI_PROD, MPI_COMM_WORLD); \
	if (rank == 0) \
		printf("%-22s sum %.6g%+.6gi prod %.6g%+.6gi\n", name, (double)creal(r), \
		       (double)cimag(r), (double)creal(p), (double)cimag(p)); \
} while (0)

#define LOC_OPS(S, MT, name) do { \
	S x, lo, hi; \
	x.v = (rank * 7) % 5; \
	x.i = rank; \
	MPI_Allreduce(&x, &lo, 1, MT, MPI_MINLOC, MPI_COMM_WORLD); \
	MPI_Allreduce(&x, &hi, 1, MT, MPI_MAXLOC, MPI_COMM_WORLD); \
	if (rank == 0) \
		printf("%-22s minloc (%g,%d) maxloc (%g,%d)\n", name, (double)lo.v, (int)lo.i, \
		       (double)hi.v, (int)hi.i); \
} while (0)


/* 2x2 integer matrices mod 1000, multiplied in rank order: not commutative. */
static void matmul(void *in, void *inout, int *len, MPI_Datatype *dt)
{
	int *a = in, *b = inout, k;

	(void)dt;
	for (k = 0; k < *len; k++, a += 4, b += 4) {
		int c[4];

		c[0] = (a[0] * b[0] + a[1] * b[2]) % 1000;
		c[1] = (a[0] * b[1] + a[1] * b[3]) % 1000;
		c[2] = (a[2] * b[0] + a[3] * b[2]) % 1000;
		c[3] = (a[2] * b[1] + a[3] * b[3]) % 1000;
		memcpy(b, c, sizeof(c));
	}
}

static void absmax(void *in, void *inout, int *len, MPI_Datatype *dt)
{
	double *a = in, *b = inout;
	int k;

	(void)dt;
	for (k = 0; k < *len; k++)
		if ((a[k] < 0 ? -a[k] : a[k]) > (b[k] < 0 ? -b[k] : b[k]))
			b[k] = a[k];
}

int main(int argc, char **argv)
{
	conf_init(&argc, &argv);
	INT_OPS(signed char, MPI_SIGNED_CHAR, "MPI_SIGNED_CHAR");
	INT_OPS(unsigned char, MPI_UNSIGNED_CHAR, "MPI_UNSIGNED_CHAR");
	INT_OPS(short, MPI_SHORT, "MPI_SHORT");
	INT_OPS(unsigned short, MPI_UNSIGNED_SHORT, "MPI_UNSIGNED_SHORT");
	INT_OPS(int, MPI_INT, "MPI_INT");
	INT_OPS(unsigned, MPI_UNSIGNED, "MPI_UNSIGNED");
	INT_OPS(long, MPI_LONG, "MPI_LONG");
	INT_OPS(unsigned long, MPI_UNSIGNED_LONG, "MPI_UNSIGNED_LONG");
	INT_OPS(long long, MPI_LONG_LONG, "MPI_LONG_LONG");
	INT_OPS(unsigned long long, MPI_UNSIGNED_LONG_LONG, "MPI_UNSIGNED_LONG_LONG");
	INT_OPS(int8_t, MPI_INT8_T, "MPI_INT8_T");
	INT_OPS(int16_t, MPI_INT16_T, "MPI_INT16_T");
	INT_OPS(int32_t, MPI_INT32_T, "MPI_INT32_T");
	INT_OPS(int64_t, MPI_INT64_T, "MPI_INT64_T");
	INT_OPS(uint8_t, MPI_UINT8_T, "MPI_UINT8_T");
	INT_OPS(uint16_t, MPI_UINT16_T, "MPI_UINT16_T");
	INT_OPS(uint32_t, MPI_UINT32_T, "MPI_UINT32_T");
	INT_OPS(uint64_t, MPI_UINT64_T, "MPI_UINT64_T");
	INT_OPS(MPI_Aint, MPI_AINT, "MPI_AINT");
	INT_OPS(MPI_Offset, MPI_OFFSET, "MPI_OFFSET");
	INT_OPS(MPI_Count, MPI_COUNT, "MPI_COUNT");
	LOGIC_OPS(int, MPI_INT, "MPI_INT (logical)");
	LOGIC_OPS(bool, MPI_C_BOOL, "MPI_C_BOOL");
	LOGIC_OPS(unsigned char, MPI_UNSIGNED_CHAR, "MPI_UNSIGNED_CHAR (l)");
	FLOAT_OPS(float, MPI_FLOAT, "MPI_FLOAT");
	FLOAT_OPS(double, MPI_DOUBLE, "MPI_DOUBLE");
	FLOAT_OPS(long double, MPI_LONG_DOUBLE, "MPI_LONG_DOUBLE");
	COMPLEX_OPS(float _Complex, MPI_C_FLOAT_COMPLEX, "MPI_C_FLOAT_COMPLEX");
	COMPLEX_OPS(double _Complex, MPI_C_DOUBLE_COMPLEX, "MPI_C_DOUBLE_COMPLEX");
	{
		unsigned char b = (unsigned char)(0xf0 | rank), r1, r2, r3;

		MPI_Allreduce(&b, &r1, 1, MPI_BYTE, MPI_BAND, MPI_COMM_WORLD);
		MPI_Allreduce(&b, &r2, 1, MPI_BYTE, MPI_BOR, MPI_COMM_WORLD);
		MPI_Allreduce(&b, &r3, 1, MPI_BYTE, MPI_BXOR, MPI_COMM_WORLD);
		if (rank == 0)
			printf("MPI_BYTE band %d bor %d bxor %d\n", r1, r2, r3);
	}
	LOC_OPS(struct fi, MPI_FLOAT_INT, "MPI_FLOAT_INT");
	LOC_OPS(struct di, MPI_DOUBLE_INT, "MPI_DOUBLE_INT");
	LOC_OPS(struct li, MPI_LONG_INT, "MPI_LONG_INT");
	LOC_OPS(struct ii, MPI_2INT, "MPI_2INT");
	LOC_OPS(struct si, MPI_SHORT_INT, "MPI_SHORT_INT");
	LOC_OPS(struct ldi, MPI_LONG_DOUBLE_INT, "MPI_LONG_DOUBLE_INT");
	/* several elements at once, and MINLOC on a longer vector */
	{
		struct di v[3], r[3];
		int k;

		for (k = 0; k < 3; k++) {
			v[k].v = (rank + k) % 3;
			v[k].i = rank * 10 + k;
		}
		MPI_Reduce(v, r, 3, MPI_DOUBLE_INT, MPI_MINLOC, size - 1, MPI_COMM_WORLD);
		{
			int out[6];

			for (k = 0; k < 3; k++) {
				out[2 * k] = (int)r[k].v;
				out[2 * k + 1] = r[k].i;
			}
			report_from("minloc vector", out, 6, size - 1);
		}
	}
	/* user operations: non-commutative matrix product, every root and the allreduce */
	{
		MPI_Op op, op2;
		MPI_Datatype mat;
		int m[4] = { rank + 1, 1, rank % 2, 2 }, res[4], commute, root;

		MPI_Type_contiguous(4, MPI_INT, &mat);
		MPI_Type_commit(&mat);
		MPI_Op_create(matmul, 0, &op);
		MPI_Op_commutative(op, &commute);
		report_same("matmul commutative", commute);
		for (root = 0; root < size; root++) {
			char label[32];

			MPI_Reduce(m, res, 1, mat, op, root, MPI_COMM_WORLD);
			snprintf(label, sizeof(label), "matmul reduce root %d", root);
			report_from(label, res, 4, root);
		}
		MPI_Allreduce(m, res, 1, mat, op, MPI_COMM_WORLD);
		report_ints("matmul allreduce", res, 4);
		MPI_Scan(m, res, 1, mat, op, MPI_COMM_WORLD);
		report_ints("matmul scan", res, 4);
		MPI_Exscan(m, res, 1, mat, op, MPI_COMM_WORLD);
		if (rank == 0)
			memset(res, 0, sizeof(res));
		report_ints("matmul exscan", res, 4);
		MPI_Op_free(&op);
		report_same("op freed", op == MPI_OP_NULL);
		MPI_Op_create(absmax, 1, &op2);
		{
			double d[2] = { rank % 2 ? -rank : rank, 1.0 / (rank + 1) }, r[2];

			MPI_Allreduce(d, r, 2, MPI_DOUBLE, op2, MPI_COMM_WORLD);
			if (rank == 0)
				printf("absmax: %g %g\n", r[0], r[1]);
		}
		MPI_Op_free(&op2);
		MPI_Type_free(&mat);
	}
	/* Reduce_local, with a predefined and a user op */
	{
		int a[3] = { 1, 2, 3 }, b[3] = { 10, 20, 30 };
		MPI_Op op;
		int m1[4] = { 1, 2, 3, 4 }, m2[4] = { 5, 6, 7, 8 };

		MPI_Reduce_local(a, b, 3, MPI_INT, MPI_SUM);
		MPI_Op_create(matmul, 0, &op);
		MPI_Reduce_local(m1, m2, 1, MPI_2INT, MPI_MAXLOC);
		if (rank == 0)
			printf("reduce_local: %d %d %d, maxloc (%d,%d)\n", b[0], b[1], b[2], m2[0],
			       m2[1]);
		MPI_Op_free(&op);
	}
	conf_done();
	return 0;
}
