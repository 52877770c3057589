/* SPDX-License-Identifier: MIT */
/*
 * op_kernels.c: the predefined reduction operations on runs of predefined types, with the
 * type groups of MPI-3.1 5.9.2 deciding which operation applies to which type.
 */
#include "mpii_impl.h"

struct p_float_int { float v; int i; };
struct p_double_int { double v; int i; };
struct p_long_int { long v; int i; };
struct p_int_int { int v; int i; };
struct p_short_int { short v; int i; };
struct p_ldouble_int { long double v; int i; };
struct p_float_float { float v; float i; };
struct p_double_double { double v; double i; };

/*
 * Type groups of MPI-3.1 5.9.2: X(index in the basic table, C type). MPI_REPLACE and
 * MPI_NO_OP are for one-sided accumulates only; mpii_op_check() keeps them out of
 * collectives.
 */
#define C_INTEGER(X) X(2, signed char) X(3, unsigned char) X(6, short) X(7, unsigned short) \
	X(8, int) X(9, unsigned) X(10, long) X(11, unsigned long) X(12, long long) \
	X(13, unsigned long long) X(18, int8_t) X(19, int16_t) X(20, int32_t) X(21, int64_t) \
	X(22, uint8_t) X(23, uint16_t) X(24, uint32_t) X(25, uint64_t)
#define F_INTEGER(X) X(45, int) X(53, int8_t) X(54, int16_t) X(55, int32_t) X(56, int64_t)
#define MULTI(X) X(26, MPI_Aint) X(27, MPI_Offset) X(28, MPI_Count)
#define FLOATING(X) X(14, float) X(15, double) X(16, long double) X(46, float) X(47, double) \
	X(57, float) X(58, double)
#define LOGICAL(X) X(17, _Bool) X(39, _Bool) X(44, int)
#define COMPLEX(X) X(29, float _Complex) X(30, double _Complex) \
	X(31, long double _Complex) X(40, float _Complex) X(41, double _Complex) \
	X(42, long double _Complex) X(48, float _Complex) X(49, double _Complex) \
	X(59, float _Complex) X(60, double _Complex)
#define BYTE(X) X(4, unsigned char)
#define PAIRS(X) X(33, struct p_float_int) X(34, struct p_double_int) \
	X(35, struct p_long_int) X(36, struct p_int_int) X(37, struct p_short_int) \
	X(38, struct p_ldouble_int) X(50, struct p_int_int) X(51, struct p_float_float) \
	X(52, struct p_double_double)
/*
 * Beyond the standard, as Open MPI and MPICH accept them: MPI_CHAR and MPI_CHARACTER as
 * integers for every integer operation; MPI_BYTE for the arithmetic and logical ones too;
 * the logical operations on Fortran integers and the multi-language types.
 */
#define CHARS(X) X(1, char) X(43, char)
#define INT_EXTRA(X) CHARS(X) BYTE(X)
#define LOGICAL_EXTRA(X) CHARS(X) BYTE(X) F_INTEGER(X) MULTI(X)

#define LOOP(idx, T, stmt) \
	case idx: { \
		const T *a = in; \
		T *b = inout; \
		MPI_Count i; \
		for (i = 0; i < n; i++) \
			stmt; \
		return 0; \
	}

#define K_MAX(idx, T) LOOP(idx, T, if (a[i] > b[i]) b[i] = a[i])
#define K_MIN(idx, T) LOOP(idx, T, if (a[i] < b[i]) b[i] = a[i])
#define K_SUM(idx, T) LOOP(idx, T, b[i] = (T)(a[i] + b[i]))
#define K_PROD(idx, T) LOOP(idx, T, b[i] = (T)(a[i] * b[i]))
#define K_LAND(idx, T) LOOP(idx, T, b[i] = (T)(a[i] && b[i]))
#define K_LOR(idx, T) LOOP(idx, T, b[i] = (T)(a[i] || b[i]))
#define K_LXOR(idx, T) LOOP(idx, T, b[i] = (T)(!a[i] != !b[i]))
#define K_BAND(idx, T) LOOP(idx, T, b[i] = (T)(a[i] & b[i]))
#define K_BOR(idx, T) LOOP(idx, T, b[i] = (T)(a[i] | b[i]))
#define K_BXOR(idx, T) LOOP(idx, T, b[i] = (T)(a[i] ^ b[i]))
/* MINLOC/MAXLOC: the better value wins; on a tie the smaller index (MPI-3.1 5.9.4). */
/* Fields are assigned one by one: a whole-struct copy would also write the padding after
 * the index, which lies past the end of a buffer sized by the type's true extent. */
#define K_MINLOC(idx, T) LOOP(idx, T, { \
	if (a[i].v < b[i].v) { b[i].v = a[i].v; b[i].i = a[i].i; } \
	else if (a[i].v == b[i].v && a[i].i < b[i].i) b[i].i = a[i].i; })
#define K_MAXLOC(idx, T) LOOP(idx, T, { \
	if (a[i].v > b[i].v) { b[i].v = a[i].v; b[i].i = a[i].i; } \
	else if (a[i].v == b[i].v && a[i].i < b[i].i) b[i].i = a[i].i; })

static int k_max(int basic, const void *in, void *inout, MPI_Count n)
{
	switch (basic) {
		C_INTEGER(K_MAX) F_INTEGER(K_MAX) MULTI(K_MAX) FLOATING(K_MAX)
		INT_EXTRA(K_MAX)
	}
	return MPI_ERR_OP;
}

static int k_min(int basic, const void *in, void *inout, MPI_Count n)
{
	switch (basic) {
		C_INTEGER(K_MIN) F_INTEGER(K_MIN) MULTI(K_MIN) FLOATING(K_MIN)
		INT_EXTRA(K_MIN)
	}
	return MPI_ERR_OP;
}

static int k_sum(int basic, const void *in, void *inout, MPI_Count n)
{
	switch (basic) {
		C_INTEGER(K_SUM) F_INTEGER(K_SUM) MULTI(K_SUM) FLOATING(K_SUM) COMPLEX(K_SUM)
		INT_EXTRA(K_SUM)
	}
	return MPI_ERR_OP;
}

static int k_prod(int basic, const void *in, void *inout, MPI_Count n)
{
	switch (basic) {
		C_INTEGER(K_PROD) F_INTEGER(K_PROD) MULTI(K_PROD) FLOATING(K_PROD) COMPLEX(K_PROD)
		INT_EXTRA(K_PROD)
	}
	return MPI_ERR_OP;
}

static int k_land(int basic, const void *in, void *inout, MPI_Count n)
{
	switch (basic) {
		C_INTEGER(K_LAND) LOGICAL(K_LAND) LOGICAL_EXTRA(K_LAND)
	}
	return MPI_ERR_OP;
}

static int k_lor(int basic, const void *in, void *inout, MPI_Count n)
{
	switch (basic) {
		C_INTEGER(K_LOR) LOGICAL(K_LOR) LOGICAL_EXTRA(K_LOR)
	}
	return MPI_ERR_OP;
}

static int k_lxor(int basic, const void *in, void *inout, MPI_Count n)
{
	switch (basic) {
		C_INTEGER(K_LXOR) LOGICAL(K_LXOR) LOGICAL_EXTRA(K_LXOR)
	}
	return MPI_ERR_OP;
}

static int k_band(int basic, const void *in, void *inout, MPI_Count n)
{
	switch (basic) {
		C_INTEGER(K_BAND) F_INTEGER(K_BAND) MULTI(K_BAND) BYTE(K_BAND) CHARS(K_BAND)
	}
	return MPI_ERR_OP;
}

static int k_bor(int basic, const void *in, void *inout, MPI_Count n)
{
	switch (basic) {
		C_INTEGER(K_BOR) F_INTEGER(K_BOR) MULTI(K_BOR) BYTE(K_BOR) CHARS(K_BOR)
	}
	return MPI_ERR_OP;
}

static int k_bxor(int basic, const void *in, void *inout, MPI_Count n)
{
	switch (basic) {
		C_INTEGER(K_BXOR) F_INTEGER(K_BXOR) MULTI(K_BXOR) BYTE(K_BXOR) CHARS(K_BXOR)
	}
	return MPI_ERR_OP;
}

static int k_minloc(int basic, const void *in, void *inout, MPI_Count n)
{
	switch (basic) {
		PAIRS(K_MINLOC)
	}
	return MPI_ERR_OP;
}

static int k_maxloc(int basic, const void *in, void *inout, MPI_Count n)
{
	switch (basic) {
		PAIRS(K_MAXLOC)
	}
	return MPI_ERR_OP;
}

int mpii_op_kernel(int op, int basic, const void *in, void *inout, MPI_Count n)
{
	switch (op) {
	case 1:
		return k_max(basic, in, inout, n);
	case 2:
		return k_min(basic, in, inout, n);
	case 3:
		return k_sum(basic, in, inout, n);
	case 4:
		return k_prod(basic, in, inout, n);
	case 5:
		return k_land(basic, in, inout, n);
	case 6:
		return k_band(basic, in, inout, n);
	case 7:
		return k_lor(basic, in, inout, n);
	case 8:
		return k_bor(basic, in, inout, n);
	case 9:
		return k_lxor(basic, in, inout, n);
	case 10:
		return k_bxor(basic, in, inout, n);
	case 11:
		return k_minloc(basic, in, inout, n);
	case 12:
		return k_maxloc(basic, in, inout, n);
	case 13:	/* MPI_REPLACE */
		if (basic < 1 || basic > MPII_NUM_BASIC)
			return MPI_ERR_OP;
		if (n > 0)
			memmove(inout, in, (size_t)n * (size_t)mpii_basics[basic].extent);
		return 0;
	case 14:	/* MPI_NO_OP */
		return basic >= 1 && basic <= MPII_NUM_BASIC ? 0 : MPI_ERR_OP;
	}
	return MPI_ERR_OP;
}
