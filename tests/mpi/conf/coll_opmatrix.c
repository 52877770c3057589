/* SPDX-License-Identifier: MIT */
/*
 * coll_opmatrix: the predefined reduction operations against every predefined datatype,
 * generated from the table of MPI-3.1 section 5.9.2 (type groups, and which groups each
 * operation is defined on). Every allowed pair is run through MPI_Allreduce, MPI_Reduce
 * and MPI_Reduce_local and its result checked; the pairs both Open MPI and MPICH accept
 * beyond the standard (MPI_CHAR and MPI_BYTE as integers, logical operations on the
 * multi-language types) too; pairs outside both must fail with MPI_ERR_OP. Then MINLOC and
 * MAXLOC on the nine pair types (ties: the lower index), a strided vector of
 * MPI_LONG_DOUBLE_INT (the work buffers of the reductions must hold padded pairs), the
 * scans and reduce-scatter on one type of each group, and a non-commutative user
 * operation on a vector long enough to be reduced in segments.
 */
#include <complex.h>
#include <stdbool.h>
#include <stdint.h>
#include "conf.h"

/* Type groups (MPI-3.1 5.9.2) */
enum {
	G_CINT = 1, G_FINT = 2, G_FLOAT = 4, G_LOGICAL = 8, G_COMPLEX = 16, G_BYTE = 32,
	G_MULTI = 64,
	X_CHAR = 128,		/* not in a group: MPI_CHAR, MPI_CHARACTER */
	X_NONE = 256,		/* in no group and accepted by no operation */
};

/* How a value is stored: the C type behind the MPI type. */
enum {
	K_CHAR, K_SCHAR, K_UCHAR, K_SHORT, K_USHORT, K_INT, K_UINT, K_LONG, K_ULONG, K_LLONG,
	K_ULLONG, K_I8, K_I16, K_I32, K_I64, K_U8, K_U16, K_U32, K_U64, K_AINT, K_OFF, K_CNT,
	K_FLT, K_DBL, K_LDBL, K_BOOL, K_CF, K_CD, K_CLD,
};

static const struct type {
	MPI_Datatype t;
	const char *name;
	int group, kind;
} types[] = {
	{ MPI_CHAR, "MPI_CHAR", X_CHAR, K_CHAR },
	{ MPI_SIGNED_CHAR, "MPI_SIGNED_CHAR", G_CINT, K_SCHAR },
	{ MPI_UNSIGNED_CHAR, "MPI_UNSIGNED_CHAR", G_CINT, K_UCHAR },
	{ MPI_SHORT, "MPI_SHORT", G_CINT, K_SHORT },
	{ MPI_UNSIGNED_SHORT, "MPI_UNSIGNED_SHORT", G_CINT, K_USHORT },
	{ MPI_INT, "MPI_INT", G_CINT, K_INT },
	{ MPI_UNSIGNED, "MPI_UNSIGNED", G_CINT, K_UINT },
	{ MPI_LONG, "MPI_LONG", G_CINT, K_LONG },
	{ MPI_UNSIGNED_LONG, "MPI_UNSIGNED_LONG", G_CINT, K_ULONG },
	{ MPI_LONG_LONG_INT, "MPI_LONG_LONG_INT", G_CINT, K_LLONG },
	{ MPI_LONG_LONG, "MPI_LONG_LONG", G_CINT, K_LLONG },
	{ MPI_UNSIGNED_LONG_LONG, "MPI_UNSIGNED_LONG_LONG", G_CINT, K_ULLONG },
	{ MPI_INT8_T, "MPI_INT8_T", G_CINT, K_I8 },
	{ MPI_INT16_T, "MPI_INT16_T", G_CINT, K_I16 },
	{ MPI_INT32_T, "MPI_INT32_T", G_CINT, K_I32 },
	{ MPI_INT64_T, "MPI_INT64_T", G_CINT, K_I64 },
	{ MPI_UINT8_T, "MPI_UINT8_T", G_CINT, K_U8 },
	{ MPI_UINT16_T, "MPI_UINT16_T", G_CINT, K_U16 },
	{ MPI_UINT32_T, "MPI_UINT32_T", G_CINT, K_U32 },
	{ MPI_UINT64_T, "MPI_UINT64_T", G_CINT, K_U64 },
	{ MPI_INTEGER, "MPI_INTEGER", G_FINT, K_INT },
	{ MPI_INTEGER1, "MPI_INTEGER1", G_FINT, K_I8 },
	{ MPI_INTEGER2, "MPI_INTEGER2", G_FINT, K_I16 },
	{ MPI_INTEGER4, "MPI_INTEGER4", G_FINT, K_I32 },
	{ MPI_INTEGER8, "MPI_INTEGER8", G_FINT, K_I64 },
	{ MPI_FLOAT, "MPI_FLOAT", G_FLOAT, K_FLT },
	{ MPI_DOUBLE, "MPI_DOUBLE", G_FLOAT, K_DBL },
	{ MPI_LONG_DOUBLE, "MPI_LONG_DOUBLE", G_FLOAT, K_LDBL },
	{ MPI_REAL, "MPI_REAL", G_FLOAT, K_FLT },
	{ MPI_DOUBLE_PRECISION, "MPI_DOUBLE_PRECISION", G_FLOAT, K_DBL },
	{ MPI_REAL4, "MPI_REAL4", G_FLOAT, K_FLT },
	{ MPI_REAL8, "MPI_REAL8", G_FLOAT, K_DBL },
	{ MPI_LOGICAL, "MPI_LOGICAL", G_LOGICAL, K_INT },
	{ MPI_C_BOOL, "MPI_C_BOOL", G_LOGICAL, K_BOOL },
	{ MPI_CXX_BOOL, "MPI_CXX_BOOL", G_LOGICAL, K_BOOL },
	{ MPI_C_COMPLEX, "MPI_C_COMPLEX", G_COMPLEX, K_CF },
	{ MPI_C_FLOAT_COMPLEX, "MPI_C_FLOAT_COMPLEX", G_COMPLEX, K_CF },
	{ MPI_C_DOUBLE_COMPLEX, "MPI_C_DOUBLE_COMPLEX", G_COMPLEX, K_CD },
	{ MPI_C_LONG_DOUBLE_COMPLEX, "MPI_C_LONG_DOUBLE_COMPLEX", G_COMPLEX, K_CLD },
	{ MPI_CXX_FLOAT_COMPLEX, "MPI_CXX_FLOAT_COMPLEX", G_COMPLEX, K_CF },
	{ MPI_CXX_DOUBLE_COMPLEX, "MPI_CXX_DOUBLE_COMPLEX", G_COMPLEX, K_CD },
	{ MPI_CXX_LONG_DOUBLE_COMPLEX, "MPI_CXX_LONG_DOUBLE_COMPLEX", G_COMPLEX, K_CLD },
	{ MPI_COMPLEX, "MPI_COMPLEX", G_COMPLEX, K_CF },
	{ MPI_DOUBLE_COMPLEX, "MPI_DOUBLE_COMPLEX", G_COMPLEX, K_CD },
	{ MPI_COMPLEX8, "MPI_COMPLEX8", G_COMPLEX, K_CF },
	{ MPI_COMPLEX16, "MPI_COMPLEX16", G_COMPLEX, K_CD },
	{ MPI_BYTE, "MPI_BYTE", G_BYTE, K_UCHAR },
	{ MPI_AINT, "MPI_AINT", G_MULTI, K_AINT },
	{ MPI_OFFSET, "MPI_OFFSET", G_MULTI, K_OFF },
	{ MPI_COUNT, "MPI_COUNT", G_MULTI, K_CNT },
	{ MPI_CHARACTER, "MPI_CHARACTER", X_CHAR, K_CHAR },
	{ MPI_WCHAR, "MPI_WCHAR", X_NONE, K_INT },
	{ MPI_PACKED, "MPI_PACKED", X_NONE, K_UCHAR },
};

enum { O_MAX, O_MIN, O_SUM, O_PROD, O_LAND, O_LOR, O_LXOR, O_BAND, O_BOR, O_BXOR, NOPS };

static const struct op {
	MPI_Op op;
	const char *name;
	int std;	/* the groups MPI-3.1 5.9.2 defines it on */
	int extra;	/* accepted beyond the standard by Open MPI and MPICH alike */
} ops[NOPS] = {
	[O_MAX] = { MPI_MAX, "MAX", G_CINT | G_FINT | G_FLOAT | G_MULTI, X_CHAR },
	[O_MIN] = { MPI_MIN, "MIN", G_CINT | G_FINT | G_FLOAT | G_MULTI, X_CHAR },
	[O_SUM] = { MPI_SUM, "SUM", G_CINT | G_FINT | G_FLOAT | G_COMPLEX | G_MULTI, X_CHAR },
	[O_PROD] = { MPI_PROD, "PROD", G_CINT | G_FINT | G_FLOAT | G_COMPLEX | G_MULTI, X_CHAR },
	[O_LAND] = { MPI_LAND, "LAND", G_CINT | G_LOGICAL, X_CHAR | G_MULTI },
	[O_LOR] = { MPI_LOR, "LOR", G_CINT | G_LOGICAL, X_CHAR | G_MULTI },
	[O_LXOR] = { MPI_LXOR, "LXOR", G_CINT | G_LOGICAL, X_CHAR | G_MULTI },
	[O_BAND] = { MPI_BAND, "BAND", G_CINT | G_FINT | G_BYTE | G_MULTI, X_CHAR },
	[O_BOR] = { MPI_BOR, "BOR", G_CINT | G_FINT | G_BYTE | G_MULTI, X_CHAR },
	[O_BXOR] = { MPI_BXOR, "BXOR", G_CINT | G_FINT | G_BYTE | G_MULTI, X_CHAR },
};

#define N 5		/* elements per reduction */
#define SLOT 32		/* bytes per element in the buffers (the largest type) */

/* The value rank r contributes at element j for op: small, so no sum or product overflows
 * an int8_t (up to 48 ranks) and every floating result is exact. */
static long double _Complex value(int op, int r, int j)
{
	switch (op) {
	case O_MAX:
	case O_MIN:
		return (r * 3 + j * 5) % 7;
	case O_SUM:
		return (r < 40) * ((r + j) % 4 % 3) + ((r + j) % 2) * I;
	case O_PROD:
		return (r < 6 && (r + j) % 3 == 1 ? 2 : 1) + (r < 6 && (r + j) % 4 == 2) * I;
	case O_LAND:
	case O_LOR:
	case O_LXOR:
		return j < 3 ? (r >> j) & 1 : j == 3 ? 1 : r != size - 1;
	default:
		return (r * 0x15 + j * 0x23) & 0x7f;
	}
}

static int is_complex(int kind)
{
	return kind == K_CF || kind == K_CD || kind == K_CLD;
}

static void put(int kind, void *p, long double _Complex v)
{
	long double re = creall(v);

	switch (kind) {
#define P(k, T) case k: *(T *)p = (T)re; break;
	P(K_CHAR, char) P(K_SCHAR, signed char) P(K_UCHAR, unsigned char) P(K_SHORT, short)
	P(K_USHORT, unsigned short) P(K_INT, int) P(K_UINT, unsigned) P(K_LONG, long)
	P(K_ULONG, unsigned long) P(K_LLONG, long long) P(K_ULLONG, unsigned long long)
	P(K_I8, int8_t) P(K_I16, int16_t) P(K_I32, int32_t) P(K_I64, int64_t) P(K_U8, uint8_t)
	P(K_U16, uint16_t) P(K_U32, uint32_t) P(K_U64, uint64_t) P(K_AINT, MPI_Aint)
	P(K_OFF, MPI_Offset) P(K_CNT, MPI_Count) P(K_FLT, float) P(K_DBL, double)
	P(K_LDBL, long double) P(K_BOOL, bool)
#undef P
	case K_CF: *(float _Complex *)p = (float _Complex)v; break;
	case K_CD: *(double _Complex *)p = (double _Complex)v; break;
	case K_CLD: *(long double _Complex *)p = v; break;
	}
}

static long double _Complex get(int kind, const void *p)
{
	switch (kind) {
#define G(k, T) case k: return *(const T *)p;
	G(K_CHAR, char) G(K_SCHAR, signed char) G(K_UCHAR, unsigned char) G(K_SHORT, short)
	G(K_USHORT, unsigned short) G(K_INT, int) G(K_UINT, unsigned) G(K_LONG, long)
	G(K_ULONG, unsigned long) G(K_LLONG, long long) G(K_ULLONG, unsigned long long)
	G(K_I8, int8_t) G(K_I16, int16_t) G(K_I32, int32_t) G(K_I64, int64_t) G(K_U8, uint8_t)
	G(K_U16, uint16_t) G(K_U32, uint32_t) G(K_U64, uint64_t) G(K_AINT, MPI_Aint)
	G(K_OFF, MPI_Offset) G(K_CNT, MPI_Count) G(K_FLT, float) G(K_DBL, double)
	G(K_LDBL, long double) G(K_BOOL, bool) G(K_CF, float _Complex)
	G(K_CD, double _Complex) G(K_CLD, long double _Complex)
#undef G
	}
	return 0;
}

/* a op b, as the operation defines it on these (small, exact) values */
static long double _Complex apply(int op, long double _Complex a, long double _Complex b)
{
	long long x = (long long)creall(a), y = (long long)creall(b);

	switch (op) {
	case O_MAX: return creall(a) > creall(b) ? a : b;
	case O_MIN: return creall(a) < creall(b) ? a : b;
	case O_SUM: return a + b;
	case O_PROD: return a * b;
	case O_LAND: return x && y;
	case O_LOR: return x || y;
	case O_LXOR: return !x != !y;
	case O_BAND: return x & y;
	case O_BOR: return x | y;
	default: return x ^ y;
	}
}

static size_t tsize(MPI_Datatype t)
{
	int s;

	MPI_Type_size(t, &s);
	return (size_t)s;
}

/* This rank's N values of op, packed in buf. */
static void fill(const struct type *ty, int op, int r, char *buf)
{
	size_t sz = tsize(ty->t);
	int j;

	for (j = 0; j < N; j++) {
		long double _Complex v = value(op, r, j);

		put(ty->kind, buf + j * sz, is_complex(ty->kind) ? v : creall(v));
	}
}

/* 1 if buf holds the reduction of op over ranks 0..nranks-1 */
static int check_upto(const struct type *ty, int op, const char *buf, int nranks)
{
	size_t sz = tsize(ty->t);
	char one[SLOT];
	int j, r;

	for (j = 0; j < N; j++) {
		long double _Complex want = value(op, 0, j), got;

		if (!is_complex(ty->kind))
			want = creall(want);
		for (r = 1; r < nranks; r++) {
			long double _Complex v = value(op, r, j);

			want = apply(op, want, is_complex(ty->kind) ? v : creall(v));
		}
		put(ty->kind, one, want);	/* the expected value as the type holds it */
		got = get(ty->kind, buf + j * sz);
		if (got != get(ty->kind, one))
			return 0;
	}
	return 1;
}

static int check(const struct type *ty, int op, const char *buf)
{
	return check_upto(ty, op, buf, size);
}

static const struct type *find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(types[i].name, name))
			return &types[i];
	abort();
}

/* Allreduce, Reduce to the last rank and Reduce_local of one pair: 1 when all are right. */
static int run_pair(const struct type *ty, int op)
{
	char in[N * SLOT], out[N * SLOT], acc[N * SLOT];
	int ok = 1, rc, r;

	fill(ty, op, rank, in);
	memset(out, 0x5a, sizeof(out));
	rc = MPI_Allreduce(in, out, N, ty->t, ops[op].op, MPI_COMM_WORLD);
	ok &= rc == MPI_SUCCESS && check(ty, op, out);
	memset(out, 0x5a, sizeof(out));
	rc = MPI_Reduce(in, out, N, ty->t, ops[op].op, size - 1, MPI_COMM_WORLD);
	ok &= rc == MPI_SUCCESS && (rank != size - 1 || check(ty, op, out));
	/* Reduce_local folds every rank's values here, from the highest rank down */
	fill(ty, op, size - 1, acc);
	for (r = size - 2; r >= 0 && ok; r--) {
		fill(ty, op, r, in);
		rc = MPI_Reduce_local(in, acc, N, ty->t, ops[op].op);
		ok &= rc == MPI_SUCCESS;
	}
	return ok && check(ty, op, acc);
}

static void matrix(void)
{
	size_t i;
	int op;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const struct type *ty = &types[i];
		char line[256];
		int n = 0, ok = 1, any = 0;

		n += snprintf(line + n, sizeof(line) - (size_t)n, "%-28s", ty->name);
		for (op = 0; op < NOPS; op++) {
			if (!(ops[op].std & ty->group))
				continue;
			ok &= run_pair(ty, op);
			any = 1;
			n += snprintf(line + n, sizeof(line) - (size_t)n, " %s", ops[op].name);
		}
		if (!any)
			n += snprintf(line + n, sizeof(line) - (size_t)n, " (none)");
		ok = all_ok(ok);
		if (rank == 0)
			printf("%s: %s\n", line, ok ? "ok" : "FAILED");
	}
}

/* The extensions both reference implementations accept. */
static void extensions(void)
{
	size_t i;
	int op;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const struct type *ty = &types[i];
		int ok = 1, any = 0;
		char line[256];
		int n = snprintf(line, sizeof(line), "extension %-28s", ty->name);

		for (op = 0; op < NOPS; op++) {
			if ((ops[op].std & ty->group) || !(ops[op].extra & ty->group))
				continue;
			ok &= run_pair(ty, op);
			any = 1;
			n += snprintf(line + n, sizeof(line) - (size_t)n, " %s", ops[op].name);
		}
		ok = all_ok(ok);
		if (any && rank == 0)
			printf("%s: %s\n", line, ok ? "ok" : "FAILED");
	}
}

/* Pairs outside the standard and the extensions: MPI_ERR_OP. (Logical operations on the
 * Fortran integers and arithmetic on MPI_BYTE are left out: Open MPI accepts some.) */
static void refused(void)
{
	size_t i;
	int op;

	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const struct type *ty = &types[i];
		char in[N * SLOT], out[N * SLOT], line[512];
		int n = snprintf(line, sizeof(line), "refused %-28s", ty->name), any = 0;

		memset(in, 0, sizeof(in));
		for (op = 0; op < NOPS; op++) {
			int rc;

			if ((ops[op].std | ops[op].extra) & ty->group)
				continue;
			if ((ty->group & G_FINT) && op >= O_LAND && op <= O_LXOR)
				continue;
			if ((ty->group & G_BYTE) && op < O_BAND)
				continue;
			rc = MPI_Allreduce(in, out, 1, ty->t, ops[op].op, MPI_COMM_WORLD);
			n += snprintf(line + n, sizeof(line) - (size_t)n, " %s:%s", ops[op].name,
				      rc == MPI_SUCCESS ? "accepted" : errname(rc));
			any = 1;
		}
		if (any && rank == 0)
			printf("%s\n", line);
	}
	{
		int x = 1, y;

		if (rank == 0)
			printf("refused MPI_INT REPLACE:%s NO_OP:%s\n",
			       errname(MPI_Allreduce(&x, &y, 1, MPI_INT, MPI_REPLACE, MPI_COMM_WORLD)),
			       errname(MPI_Allreduce(&x, &y, 1, MPI_INT, MPI_NO_OP, MPI_COMM_WORLD)));
		else {
			MPI_Allreduce(&x, &y, 1, MPI_INT, MPI_REPLACE, MPI_COMM_WORLD);
			MPI_Allreduce(&x, &y, 1, MPI_INT, MPI_NO_OP, MPI_COMM_WORLD);
		}
	}
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
}

/* ---- MINLOC / MAXLOC ---- */

struct ff { float v, i; };
struct dd { double v, i; };

#define LOC(S, MT, name) do { \
	S x[N], lo[N], hi[N]; \
	int j, r, ok = 1; \
	for (j = 0; j < N; j++) { \
		x[j].v = (rank * 3 + j) % 4; \
		x[j].i = rank * 10 + j; \
	} \
	MPI_Allreduce(x, lo, N, MT, MPI_MINLOC, MPI_COMM_WORLD); \
	MPI_Reduce(x, hi, N, MT, MPI_MAXLOC, 0, MPI_COMM_WORLD); \
	for (j = 0; j < N; j++) { \
		int vlo = 9, ilo = 0, vhi = -1, ihi = 0; \
		for (r = 0; r < size; r++) { \
			int v = (r * 3 + j) % 4; \
			if (v < vlo) vlo = v, ilo = r * 10 + j; \
			if (v > vhi) vhi = v, ihi = r * 10 + j; \
		} \
		ok &= lo[j].v == vlo && lo[j].i == ilo; \
		if (rank == 0) \
			ok &= hi[j].v == vhi && hi[j].i == ihi; \
	} \
	report_ok(name, ok); \
} while (0)

static void pairs(void)
{
	LOC(struct fi, MPI_FLOAT_INT, "MINLOC/MAXLOC MPI_FLOAT_INT");
	LOC(struct di, MPI_DOUBLE_INT, "MINLOC/MAXLOC MPI_DOUBLE_INT");
	LOC(struct li, MPI_LONG_INT, "MINLOC/MAXLOC MPI_LONG_INT");
	LOC(struct ii, MPI_2INT, "MINLOC/MAXLOC MPI_2INT");
	LOC(struct si, MPI_SHORT_INT, "MINLOC/MAXLOC MPI_SHORT_INT");
	LOC(struct ldi, MPI_LONG_DOUBLE_INT, "MINLOC/MAXLOC MPI_LONG_DOUBLE_INT");
	LOC(struct ii, MPI_2INTEGER, "MINLOC/MAXLOC MPI_2INTEGER");
	LOC(struct ff, MPI_2REAL, "MINLOC/MAXLOC MPI_2REAL");
	LOC(struct dd, MPI_2DOUBLE_PRECISION, "MINLOC/MAXLOC MPI_2DOUBLE_PRECISION");
}

/* A user MAXLOC on the value/index pairs of a typed buffer (any layout: it walks the
 * vector type's elements as the library hands them over, one vector per element). */
static void vec_maxloc(void *in, void *inout, int *len, MPI_Datatype *dt)
{
	struct ldi *a = in, *b = inout;
	int k, e;

	(void)dt;
	for (e = 0; e < *len; e++)
		for (k = 0; k < 2 * 301; k += 2) {
			struct ldi *x = &a[e * (2 * 301 - 1) + k], *y = &b[e * (2 * 301 - 1) + k];

			if (x->v > y->v || (x->v == y->v && x->i < y->i)) {
				y->v = x->v;
				y->i = x->i;
			}
		}
}

/*
 * MAXLOC on 301 MPI_LONG_DOUBLE_INT through Allreduce, Reduce and Scan (the work buffers
 * of the reductions hold padded pairs), and a user MAXLOC on every other pair of an array
 * (a strided type: non-contiguous work buffers).
 */
static void ldi_vector(void)
{
	enum { M = 301 };
	struct ldi *in = malloc(2 * M * sizeof(*in)), *out = malloc(2 * M * sizeof(*out));
	MPI_Datatype vec;
	MPI_Op op;
	int j, r, ok = 1, okscan = 1, okvec = 1;

	for (j = 0; j < 2 * M; j++) {
		in[j].v = (rank * 5 + j) % 6;
		in[j].i = rank;
	}
	MPI_Allreduce(in, out, M, MPI_LONG_DOUBLE_INT, MPI_MAXLOC, MPI_COMM_WORLD);
	for (j = 0; j < M; j++) {
		int best = -1, at = -1;

		for (r = 0; r < size; r++)
			if ((r * 5 + j) % 6 > best)
				best = (r * 5 + j) % 6, at = r;
		ok &= out[j].v == best && out[j].i == at;
	}
	MPI_Reduce(in, out, M, MPI_LONG_DOUBLE_INT, MPI_MINLOC, size / 2, MPI_COMM_WORLD);
	MPI_Scan(in, out, M, MPI_LONG_DOUBLE_INT, MPI_MAXLOC, MPI_COMM_WORLD);
	for (j = 0; j < M; j++) {
		int best = -1, at = -1;

		for (r = 0; r <= rank; r++)
			if ((r * 5 + j) % 6 > best)
				best = (r * 5 + j) % 6, at = r;
		okscan &= out[j].v == best && out[j].i == at;
	}
	MPI_Type_vector(M, 1, 2, MPI_LONG_DOUBLE_INT, &vec);
	MPI_Type_commit(&vec);
	MPI_Op_create(vec_maxloc, 1, &op);
	for (j = 0; j < 2 * M; j++) {
		out[j].v = -1;
		out[j].i = -1;
	}
	MPI_Allreduce(in, out, 1, vec, op, MPI_COMM_WORLD);
	for (j = 0; j < 2 * M; j++) {
		int best = -1, at = -1;

		for (r = 0; r < size; r++)
			if ((r * 5 + j) % 6 > best)
				best = (r * 5 + j) % 6, at = r;
		if (j % 2)
			okvec &= out[j].v == -1 && out[j].i == -1;
		else
			okvec &= out[j].v == best && out[j].i == at;
	}
	report_ok("MAXLOC 301 MPI_LONG_DOUBLE_INT allreduce", ok);
	report_ok("MAXLOC 301 MPI_LONG_DOUBLE_INT scan", okscan);
	report_ok("user MAXLOC on strided MPI_LONG_DOUBLE_INT allreduce", okvec);
	MPI_Op_free(&op);
	MPI_Type_free(&vec);
	free(in);
	free(out);
}

/* Scan, Exscan, Reduce_scatter_block and the non-blocking allreduce on one type per group. */
static void other_collectives(void)
{
	static const char *const pick[] = { "MPI_INT", "MPI_INTEGER8", "MPI_DOUBLE",
					    "MPI_C_BOOL", "MPI_C_DOUBLE_COMPLEX", "MPI_BYTE",
					    "MPI_COUNT" };
	size_t k;
	int op, r;

	for (k = 0; k < sizeof(pick) / sizeof(pick[0]); k++) {
		const struct type *ty = find(pick[k]);
		size_t sz = tsize(ty->t);
		char in[N * SLOT], out[N * SLOT], *all = malloc((size_t)size * N * sz);
		char label[96];
		int ok = 1;

		for (op = 0; op < NOPS; op++) {
			MPI_Request req;

			if (!(ops[op].std & ty->group))
				continue;
			fill(ty, op, rank, in);
			MPI_Scan(in, out, N, ty->t, ops[op].op, MPI_COMM_WORLD);
			ok &= check_upto(ty, op, out, rank + 1);
			MPI_Exscan(in, out, N, ty->t, ops[op].op, MPI_COMM_WORLD);
			ok &= rank == 0 || check_upto(ty, op, out, rank);
			/* every block of the send buffer is this rank's values */
			for (r = 0; r < size; r++)
				memcpy(all + (size_t)r * N * sz, in, N * sz);
			MPI_Reduce_scatter_block(all, out, N, ty->t, ops[op].op, MPI_COMM_WORLD);
			ok &= check(ty, op, out);
			MPI_Iallreduce(in, out, N, ty->t, ops[op].op, MPI_COMM_WORLD, &req);
			MPI_Wait(&req, MPI_STATUS_IGNORE);
			ok &= check(ty, op, out);
		}
		snprintf(label, sizeof(label), "scan/exscan/reduce_scatter_block/iallreduce %s",
			 ty->name);
		report_ok(label, ok);
		free(all);
	}
}

/* Affine maps t -> a*t + b (mod 2^31 - 1) composed in rank order: not commutative. */
struct aff { int a, b; };

static void compose(void *in, void *inout, int *len, MPI_Datatype *dt)
{
	struct aff *x = in, *y = inout;
	int k;

	(void)dt;
	for (k = 0; k < *len; k++) {
		/* (y after x)(t) = y.a * (x.a * t + x.b) + y.b */
		long long a = (long long)y[k].a * x[k].a % 2147483647;
		long long b = ((long long)y[k].a * x[k].b + y[k].b) % 2147483647;

		y[k].a = (int)a;
		y[k].b = (int)b;
	}
}

static void long_user_op(void)
{
	enum { M = 300000 };	/* 2.4 MB: reduced in segments */
	struct aff *in = malloc(M * sizeof(*in)), *out = malloc(M * sizeof(*out));
	MPI_Datatype pair;
	MPI_Op op;
	int j, r, ok = 1;

	MPI_Type_contiguous(2, MPI_INT, &pair);
	MPI_Type_commit(&pair);
	MPI_Op_create(compose, 0, &op);
	for (j = 0; j < M; j++) {
		in[j].a = rank + 2 + j % 3;
		in[j].b = rank * 7 + j % 11;
	}
	MPI_Reduce(in, out, M, pair, op, size - 1, MPI_COMM_WORLD);
	if (rank == size - 1)
		for (j = 0; j < M; j += 997) {
			long long a = 1, b = 0;

			for (r = 0; r < size; r++) {
				long long ra = r + 2 + j % 3, rb = r * 7 + j % 11;

				/* later ranks apply after earlier ones */
				b = (ra * b + rb) % 2147483647;
				a = ra * a % 2147483647;
			}
			ok &= out[j].a == a && out[j].b == b;
		}
	report_ok("non-commutative user op, 2.4 MB reduce", ok);
	MPI_Op_free(&op);
	MPI_Type_free(&pair);
	free(in);
	free(out);
}

int main(int argc, char **argv)
{
	conf_init(&argc, &argv);
	matrix();
	extensions();
	refused();
	pairs();
	ldi_vector();
	other_collectives();
	long_user_op();
	conf_done();
	return 0;
}
