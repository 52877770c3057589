/* SPDX-License-Identifier: MIT */
/*
 * pack_external.c: MPI_Pack_external, MPI_Unpack_external and MPI_Pack_external_size in
 * the "external32" representation of MPI-3.1 13.5.2: big-endian, IEEE formats, the sizes of
 * its table (so a long is 4 bytes and a long double a 16-byte IEEE quad).
 */
#include <float.h>
#include "mpii_impl.h"

static int little_endian(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one == 1;
}

/* Native integer of nsz bytes <-> big-endian integer of esz bytes. */
static void int_out(unsigned char *e, int esz, const void *n, int nsz)
{
	uint64_t v = 0;
	int i;

	memcpy(little_endian() ? (void *)&v : (char *)&v + 8 - nsz, n, (size_t)nsz);
	for (i = esz - 1; i >= 0; i--, v >>= 8)
		e[i] = (unsigned char)v;
}

static void int_in(void *n, int nsz, const unsigned char *e, int esz, int sign)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < esz; i++)
		v = v << 8 | e[i];
	if (sign && esz < 8 && (e[0] & 0x80))
		v |= ~(uint64_t)0 << (8 * esz);
	if (little_endian())
		memcpy(n, &v, (size_t)nsz);
	else
		memcpy(n, (char *)&v + 8 - nsz, (size_t)nsz);
}

/* IEEE value of sz bytes: reverse into big-endian order (or copy on a big-endian core). */
static void ieee(unsigned char *dst, const unsigned char *src, int sz)
{
	int i;

	for (i = 0; i < sz; i++)
		dst[i] = little_endian() ? src[sz - 1 - i] : src[i];
}

/* x87 80-bit extended <-> IEEE binary128: same sign and exponent bias, 64-bit mantissa
 * with an explicit integer bit vs 112-bit fraction. */
static void ld_out(unsigned char *e, const void *n)
{
	unsigned char x[16] = { 0 }, q[16] = { 0 };
	uint64_t mant;
	uint16_t se;
	int i;

#if LDBL_MANT_DIG == 64
	memcpy(x, n, 10);
	memcpy(&mant, x, 8);
	memcpy(&se, x + 8, 2);
	/* q as big-endian: se (2 bytes), then 63 fraction bits left-aligned in 112 bits */
	q[0] = (unsigned char)(se >> 8);
	q[1] = (unsigned char)se;
	mant <<= 1;	/* drop the explicit integer bit */
	for (i = 0; i < 8; i++)
		q[2 + i] = (unsigned char)(mant >> (56 - 8 * i));
#else
	(void)x;
	(void)mant;
	(void)se;
	(void)i;
	ieee(q, n, 16 < sizeof(long double) ? 16 : (int)sizeof(long double));
#endif
	memcpy(e, q, 16);
}

static void ld_in(void *n, const unsigned char *e)
{
#if LDBL_MANT_DIG == 64
	unsigned char x[sizeof(long double)] = { 0 };
	uint16_t se = (uint16_t)(e[0] << 8 | e[1]);
	uint64_t mant = 0;
	int i;

	for (i = 0; i < 8; i++)
		mant = mant << 8 | e[2 + i];
	mant >>= 1;
	if (se & 0x7fff)
		mant |= (uint64_t)1 << 63;	/* normal numbers have the integer bit set */
	memcpy(x, &mant, 8);
	memcpy(x + 8, &se, 2);
	memcpy(n, x, sizeof(long double));
#else
	ieee(n, e, (int)sizeof(long double));
#endif
}

/* One scalar of conversion class cv, native size nsz, external size esz. */
static void scalar(unsigned char *e, void *n, int cv, int nsz, int esz, int pack)
{
	switch (cv) {
	case MPII_CV_I:
	case MPII_CV_U:
		if (pack)
			int_out(e, esz, n, nsz);
		else
			int_in(n, nsz, e, esz, cv == MPII_CV_I);
		break;
	case MPII_CV_F:
		if (pack)
			ieee(e, n, nsz);
		else
			ieee(n, e, nsz);
		break;
	case MPII_CV_LD:
		if (pack)
			ld_out(e, n);
		else
			ld_in(n, e);
		break;
	default:
		if (pack)
			memcpy(e, n, (size_t)esz);
		else
			memcpy(n, e, (size_t)nsz);
		break;
	}
}

/* Parts of the pair types: value class and sizes, index class and sizes. */
static void pair_parts(int basic, int *vcv, int *vesz, int *icv, int *iesz)
{
	*icv = MPII_CV_I;
	*iesz = 4;
	switch (basic) {
	case MPII_HINDEX(MPI_FLOAT_INT):
		*vcv = MPII_CV_F, *vesz = 4;
		break;
	case MPII_HINDEX(MPI_DOUBLE_INT):
		*vcv = MPII_CV_F, *vesz = 8;
		break;
	case MPII_HINDEX(MPI_LONG_INT):
		*vcv = MPII_CV_I, *vesz = 4;
		break;
	case MPII_HINDEX(MPI_SHORT_INT):
		*vcv = MPII_CV_I, *vesz = 2;
		break;
	case MPII_HINDEX(MPI_LONG_DOUBLE_INT):
		*vcv = MPII_CV_LD, *vesz = 16;
		break;
	case MPII_HINDEX(MPI_2REAL):
		*vcv = *icv = MPII_CV_F, *vesz = *iesz = 4;
		break;
	case MPII_HINDEX(MPI_2DOUBLE_PRECISION):
		*vcv = *icv = MPII_CV_F, *vesz = *iesz = 8;
		break;
	default:
		*vcv = MPII_CV_I, *vesz = 4;
		break;
	}
}

/* One item of basic type b at native address n, external at e; returns external bytes. */
static int item(int basic, unsigned char *e, char *n, int pack)
{
	const struct mpii_basic *b = &mpii_basics[basic];
	int vcv, vesz, icv, iesz;

	switch (b->conv) {
	case MPII_CV_C:
		if (b->size / 2 > 8 || b->ext32 == 32) {
			scalar(e, n, MPII_CV_LD, b->size / 2, 16, pack);
			scalar(e + 16, n + b->size / 2, MPII_CV_LD, b->size / 2, 16, pack);
		} else {
			scalar(e, n, MPII_CV_F, b->size / 2, b->ext32 / 2, pack);
			scalar(e + b->ext32 / 2, n + b->size / 2, MPII_CV_F, b->size / 2,
			       b->ext32 / 2, pack);
		}
		break;
	case MPII_CV_P:
		pair_parts(basic, &vcv, &vesz, &icv, &iesz);
		scalar(e, n, vcv, b->vsize, vesz, pack);
		scalar(e + vesz, n + b->ioff, icv, b->size - b->vsize, iesz, pack);
		break;
	default:
		scalar(e, n, b->conv, b->size, b->ext32, pack);
		break;
	}
	return b->ext32;
}

static MPI_Count ext32_size(const struct mpii_dtype *t)
{
	MPI_Count n = 0;
	int i;

	for (i = 0; i < t->nseg; i++)
		n += t->seg[i].blen * t->seg[i].cnt * mpii_basics[t->seg[i].basic].ext32;
	return n;
}

static void convert(char *typed, MPI_Count count, const struct mpii_dtype *t, unsigned char *e,
		    int pack)
{
	MPI_Aint ext = mpii_extent(t);
	MPI_Count el, j, k;
	int i;

	for (el = 0; el < count; el++)
		for (i = 0; i < t->nseg; i++) {
			const struct mpii_seg *s = &t->seg[i];
			MPI_Aint bx = mpii_basics[s->basic].extent;

			for (j = 0; j < s->cnt; j++)
				for (k = 0; k < s->blen; k++)
					e += item(s->basic, e, typed + el * ext + s->disp +
							    j * s->stride + k * bx, pack);
		}
}

/* The checks the external32 calls share; 0 or the class. */
static int check(const char *datarep, int count, MPI_Datatype datatype, struct mpii_dtype **t)
{
	if (!datarep || strcmp(datarep, "external32"))
		return MPI_ERR_UNSUPPORTED_DATAREP;
	if (count < 0)
		return MPI_ERR_COUNT;
	return mpii_dtype_check(datatype, t) ? MPI_ERR_TYPE : MPI_SUCCESS;
}

/*
 * MPI_Pack_external (pack) and MPI_Unpack_external, mirror images: count elements of
 * datatype at typed go to (or come from) the external32 buffer of size bytes, at *position,
 * which moves past them.
 */
static int pack_call(int pack, const char *datarep, void *typed, int count,
		     MPI_Datatype datatype, void *packed, MPI_Aint size, MPI_Aint *position,
		     const char *fname)
{
	struct mpii_dtype *t;
	MPI_Count n;
	int rc;

	MPII_ENTER(fname);
	if ((rc = check(datarep, count, datatype, &t)))
		return mpii_raise(NULL, rc, fname);
	if (!position || *position < 0 || (!packed && size > 0))
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	n = count * ext32_size(t);
	if (*position + n > size)
		return mpii_raise(NULL, MPI_ERR_TRUNCATE, fname);
	convert(typed, count, t, (unsigned char *)packed + *position, pack);
	*position += (MPI_Aint)n;
	return MPI_SUCCESS;
}

int PMPI_Pack_external(const char datarep[], const void *inbuf, int incount,
		       MPI_Datatype datatype, void *outbuf, MPI_Aint outsize, MPI_Aint *position)
{
	return pack_call(1, datarep, (void *)inbuf, incount, datatype, outbuf, outsize, position,
			 "MPI_Pack_external");
}
MPII_ALIAS(MPI_Pack_external)

int PMPI_Unpack_external(const char datarep[], const void *inbuf, MPI_Aint insize,
			 MPI_Aint *position, void *outbuf, int outcount, MPI_Datatype datatype)
{
	return pack_call(0, datarep, outbuf, outcount, datatype, (void *)inbuf, insize, position,
			 "MPI_Unpack_external");
}
MPII_ALIAS(MPI_Unpack_external)

int PMPI_Pack_external_size(const char datarep[], int incount, MPI_Datatype datatype,
			    MPI_Aint *size)
{
	static const char fname[] = "MPI_Pack_external_size";
	struct mpii_dtype *t;
	int rc;

	MPII_ENTER(fname);
	if ((rc = check(datarep, incount, datatype, &t)))
		return mpii_raise(NULL, rc, fname);
	if (!size)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	*size = (MPI_Aint)(incount * ext32_size(t));
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Pack_external_size)
