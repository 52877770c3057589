/* SPDX-License-Identifier: MIT */
/*
 * dtype_basic.c: the predefined datatypes (sizes and layouts of this compiler's C types),
 * their objects, and reference counting of every datatype.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <wchar.h>
#include "mpii_impl.h"

struct float_int { float v; int i; };
struct double_int { double v; int i; };
struct long_int { long v; int i; };
struct int_int { int v; int i; };
struct short_int { short v; int i; };
struct ldouble_int { long double v; int i; };
struct float_float { float v; float i; };
struct double_double { double v; double i; };


#define B(nm, T, e32, cv) { nm, sizeof(T), sizeof(T), _Alignof(T), sizeof(T), 0, 0, e32, cv }
/* pair types: MPI size is value + index; the index sits at its C offset */
#define P(nm, S, V, e32) { nm, sizeof(V) + sizeof(((S *)0)->i), sizeof(S), _Alignof(S), \
			   sizeof(V), offsetof(S, i), 1, e32, MPII_CV_P }

/* Table order is the index order of the handles in mpi.h. */
const struct mpii_basic mpii_basics[MPII_NUM_BASIC + 1] = {
	[0] = { "MPI_DATATYPE_NULL", 0, 0, 1, 0, 0, 0, 0, 0 },
	[1] = B("MPI_CHAR", char, 1, MPII_CV_B),
	[2] = B("MPI_SIGNED_CHAR", signed char, 1, MPII_CV_I),
	[3] = B("MPI_UNSIGNED_CHAR", unsigned char, 1, MPII_CV_U),
	[4] = B("MPI_BYTE", unsigned char, 1, MPII_CV_B),
	[5] = B("MPI_WCHAR", wchar_t, 2, MPII_CV_U),
	[6] = B("MPI_SHORT", short, 2, MPII_CV_I),
	[7] = B("MPI_UNSIGNED_SHORT", unsigned short, 2, MPII_CV_U),
	[8] = B("MPI_INT", int, 4, MPII_CV_I),
	[9] = B("MPI_UNSIGNED", unsigned, 4, MPII_CV_U),
	[10] = B("MPI_LONG", long, 4, MPII_CV_I),
	[11] = B("MPI_UNSIGNED_LONG", unsigned long, 4, MPII_CV_U),
	[12] = B("MPI_LONG_LONG_INT", long long, 8, MPII_CV_I),
	[13] = B("MPI_UNSIGNED_LONG_LONG", unsigned long long, 8, MPII_CV_U),
	[14] = B("MPI_FLOAT", float, 4, MPII_CV_F),
	[15] = B("MPI_DOUBLE", double, 8, MPII_CV_F),
	[16] = B("MPI_LONG_DOUBLE", long double, 16, MPII_CV_LD),
	[17] = B("MPI_C_BOOL", _Bool, 1, MPII_CV_U),
	[18] = B("MPI_INT8_T", int8_t, 1, MPII_CV_I),
	[19] = B("MPI_INT16_T", int16_t, 2, MPII_CV_I),
	[20] = B("MPI_INT32_T", int32_t, 4, MPII_CV_I),
	[21] = B("MPI_INT64_T", int64_t, 8, MPII_CV_I),
	[22] = B("MPI_UINT8_T", uint8_t, 1, MPII_CV_U),
	[23] = B("MPI_UINT16_T", uint16_t, 2, MPII_CV_U),
	[24] = B("MPI_UINT32_T", uint32_t, 4, MPII_CV_U),
	[25] = B("MPI_UINT64_T", uint64_t, 8, MPII_CV_U),
	[26] = B("MPI_AINT", MPI_Aint, 8, MPII_CV_I),
	[27] = B("MPI_OFFSET", MPI_Offset, 8, MPII_CV_I),
	[28] = B("MPI_COUNT", MPI_Count, 8, MPII_CV_I),
	[29] = B("MPI_C_FLOAT_COMPLEX", float _Complex, 8, MPII_CV_C),
	[30] = B("MPI_C_DOUBLE_COMPLEX", double _Complex, 16, MPII_CV_C),
	[31] = B("MPI_C_LONG_DOUBLE_COMPLEX", long double _Complex, 32, MPII_CV_C),
	[32] = B("MPI_PACKED", unsigned char, 1, MPII_CV_B),
	[33] = P("MPI_FLOAT_INT", struct float_int, float, 8),
	[34] = P("MPI_DOUBLE_INT", struct double_int, double, 12),
	[35] = P("MPI_LONG_INT", struct long_int, long, 8),
	[36] = P("MPI_2INT", struct int_int, int, 8),
	[37] = P("MPI_SHORT_INT", struct short_int, short, 6),
	[38] = P("MPI_LONG_DOUBLE_INT", struct ldouble_int, long double, 20),
	[39] = B("MPI_CXX_BOOL", _Bool, 1, MPII_CV_U),
	[40] = B("MPI_CXX_FLOAT_COMPLEX", float _Complex, 8, MPII_CV_C),
	[41] = B("MPI_CXX_DOUBLE_COMPLEX", double _Complex, 16, MPII_CV_C),
	[42] = B("MPI_CXX_LONG_DOUBLE_COMPLEX", long double _Complex, 32, MPII_CV_C),
	[43] = B("MPI_CHARACTER", char, 1, MPII_CV_B),
	[44] = B("MPI_LOGICAL", int, 4, MPII_CV_I),
	[45] = B("MPI_INTEGER", int, 4, MPII_CV_I),
	[46] = B("MPI_REAL", float, 4, MPII_CV_F),
	[47] = B("MPI_DOUBLE_PRECISION", double, 8, MPII_CV_F),
	[48] = B("MPI_COMPLEX", float _Complex, 8, MPII_CV_C),
	[49] = B("MPI_DOUBLE_COMPLEX", double _Complex, 16, MPII_CV_C),
	[50] = P("MPI_2INTEGER", struct int_int, int, 8),
	[51] = P("MPI_2REAL", struct float_float, float, 8),
	[52] = P("MPI_2DOUBLE_PRECISION", struct double_double, double, 16),
	[53] = B("MPI_INTEGER1", int8_t, 1, MPII_CV_I),
	[54] = B("MPI_INTEGER2", int16_t, 2, MPII_CV_I),
	[55] = B("MPI_INTEGER4", int32_t, 4, MPII_CV_I),
	[56] = B("MPI_INTEGER8", int64_t, 8, MPII_CV_I),
	[57] = B("MPI_REAL4", float, 4, MPII_CV_F),
	[58] = B("MPI_REAL8", double, 8, MPII_CV_F),
	[59] = B("MPI_COMPLEX8", float _Complex, 8, MPII_CV_C),
	[60] = B("MPI_COMPLEX16", double _Complex, 16, MPII_CV_C),
};

static struct mpii_dtype basic_obj[MPII_NUM_BASIC + 1];
static struct mpii_seg basic_seg[MPII_NUM_BASIC + 1];

void mpii_dtype_init_basics(void)
{
	int i;

	for (i = 1; i <= MPII_NUM_BASIC; i++) {
		const struct mpii_basic *b = &mpii_basics[i];
		struct mpii_dtype *t = &basic_obj[i];

		memset(t, 0, sizeof(*t));
		basic_seg[i] = (struct mpii_seg){ 0, 0, 1, 1, i };
		t->handle = MPII_H(MPII_K_DTYPE, i);
		t->refs = 1;
		t->predefined = 1;
		t->committed = 1;
		t->size = b->size;
		t->lb = 0;
		t->ub = b->extent;
		t->true_lb = 0;
		t->true_ub = b->pair ? b->ioff + (b->size - b->vsize) : b->size;
		t->nseg = 1;
		t->seg = &basic_seg[i];
		t->contig = b->size == b->extent;
		t->elem = i;
		t->nelem = 1;
		t->nbasic = b->pair ? 2 : 1;
		t->align = b->align;
		t->combiner = MPI_COMBINER_NAMED;
		mpii_strlcpy(t->name, b->name, sizeof(t->name));
		mpii_handle_fix(t->handle, t);
	}
}

struct mpii_dtype *mpii_byte_type(void)
{
	return &basic_obj[MPII_HINDEX(MPI_BYTE)];
}

void mpii_dtype_destroy(struct mpii_dtype *t)
{
	int i;

	for (i = 0; i < t->nd; i++)
		mpii_dtype_unref(t->types[i]);
	mpii_attr_delete_all(MPII_AK_TYPE, t->handle, &t->attrs);
	mpii_handle_free(t->handle);
	free(t->seg);
	free(t->ints);
	free(t->aints);
	free(t->types);
	free(t);
}
