/* SPDX-License-Identifier: MIT */
/*
 * dtype_array.c: MPI_Type_create_subarray and MPI_Type_create_darray, built from vectors,
 * indexed blocks and resizing exactly as MPI-3.1 4.1.3 and 4.1.4 define them.
 */
#include <stdlib.h>
#include "mpii_impl.h"

/* Replaces *t by a type made from it (dropping the reference to the old one). */
static int step(struct mpii_dtype **t, struct mpii_dtype *n)
{
	mpii_dtype_unref(*t);
	*t = n;
	return n ? 0 : MPI_ERR_NO_MEM;
}

/* The subarray of one element type; dims listed fastest-varying first. */
static struct mpii_dtype *subarray(int ndims, const int *sizes, const int *subsizes,
				   const int *starts, int fortran, struct mpii_dtype *old)
{
	struct mpii_dtype *t = mpii_dtype_ref(old), *n;
	MPI_Aint ext = mpii_extent(old), stride = ext, disp = 0;
	MPI_Count blen;
	int k, i;

	for (k = 0; k < ndims; k++) {
		i = fortran ? k : ndims - 1 - k;
		if (k == 0)
			n = mpii_mk_hvector(1, subsizes[i], 0, t);
		else
			n = mpii_mk_hvector(subsizes[i], 1, stride, t);
		if (step(&t, n))
			return NULL;
		disp += (MPI_Aint)starts[i] * stride;
		stride *= sizes[i];
	}
	blen = 1;
	n = mpii_mk_hindexed(1, &blen, &disp, t);
	if (step(&t, n))
		return NULL;
	n = mpii_mk_resized(t, old->lb, stride);
	step(&t, n);
	return t;
}

int PMPI_Type_create_subarray(int ndims, const int array_of_sizes[],
			      const int array_of_subsizes[], const int array_of_starts[],
			      int order, MPI_Datatype oldh, MPI_Datatype *newtype)
{
	static const char fname[] = "MPI_Type_create_subarray";
	struct mpii_dtype *old, *t;
	int *ints, i, rc;

	MPII_ENTER(fname);
	if (ndims <= 0 || !array_of_sizes || !array_of_subsizes || !array_of_starts || !newtype ||
	    (order != MPI_ORDER_C && order != MPI_ORDER_FORTRAN))
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	for (i = 0; i < ndims; i++)
		if (array_of_sizes[i] <= 0 || array_of_subsizes[i] <= 0 ||
		    array_of_subsizes[i] > array_of_sizes[i] || array_of_starts[i] < 0 ||
		    array_of_starts[i] > array_of_sizes[i] - array_of_subsizes[i])
			return mpii_raise(NULL, MPI_ERR_ARG, fname);
	old = mpii_dtype_get(oldh);
	if (!old)
		return mpii_raise(NULL, MPI_ERR_TYPE, fname);
	t = subarray(ndims, array_of_sizes, array_of_subsizes, array_of_starts,
		     order == MPI_ORDER_FORTRAN, old);
	ints = malloc((size_t)(3 * ndims + 2) * sizeof(int));
	if (!t || !ints) {
		free(ints);
		mpii_dtype_unref(t);
		return mpii_raise(NULL, MPI_ERR_NO_MEM, fname);
	}
	ints[0] = ndims;
	for (i = 0; i < ndims; i++) {
		ints[1 + i] = array_of_sizes[i];
		ints[1 + ndims + i] = array_of_subsizes[i];
		ints[1 + 2 * ndims + i] = array_of_starts[i];
	}
	ints[1 + 3 * ndims] = order;
	rc = mpii_dtype_set_contents(t, MPI_COMBINER_SUBARRAY, 3 * ndims + 2, ints, 0, NULL, 1,
				     &old);
	free(ints);
	if (!rc)
		return mpii_dtype_publish(t, newtype) ? mpii_raise(NULL, MPI_ERR_NO_MEM, fname) : 0;
	mpii_dtype_unref(t);
	return mpii_raise(NULL, rc, fname);
}
MPII_ALIAS(MPI_Type_create_subarray)

/*
 * One dimension of a darray: the blocks of gsize elements of `old` that process coordinate
 * r of psize owns under a cyclic(d) distribution (block is cyclic with one block each),
 * resized to the whole dimension.
 */
static struct mpii_dtype *cyclic(MPI_Count d, int gsize, int r, int psize,
				 struct mpii_dtype *old)
{
	MPI_Aint ext = mpii_extent(old);
	MPI_Count nblk = 0, start;
	MPI_Count *bl;
	MPI_Aint *dp;
	struct mpii_dtype *t, *n;

	for (start = (MPI_Count)r * d; start < gsize; start += (MPI_Count)psize * d)
		nblk++;
	bl = malloc((size_t)(nblk + 1) * sizeof(*bl));
	dp = malloc((size_t)(nblk + 1) * sizeof(*dp));
	if (!bl || !dp) {
		free(bl);
		free(dp);
		return NULL;
	}
	nblk = 0;
	for (start = (MPI_Count)r * d; start < gsize; start += (MPI_Count)psize * d) {
		bl[nblk] = gsize - start < d ? gsize - start : d;
		dp[nblk] = (MPI_Aint)start * ext;
		nblk++;
	}
	t = mpii_mk_hindexed((int)nblk, bl, dp, old);
	free(bl);
	free(dp);
	if (!t)
		return NULL;
	n = mpii_mk_resized(t, 0, (MPI_Aint)gsize * ext);
	mpii_dtype_unref(t);
	return n;
}

int PMPI_Type_create_darray(int size, int rank, int ndims, const int gsizes[],
			    const int distribs[], const int dargs[], const int psizes[],
			    int order, MPI_Datatype oldh, MPI_Datatype *newtype)
{
	static const char fname[] = "MPI_Type_create_darray";
	struct mpii_dtype *old, *t, *n;
	int coords[64], *ints, i, k, rc, prod = 1, rest;

	MPII_ENTER(fname);
	if (size <= 0 || rank < 0 || rank >= size || ndims <= 0 || ndims > 64 || !gsizes ||
	    !distribs || !dargs || !psizes || !newtype ||
	    (order != MPI_ORDER_C && order != MPI_ORDER_FORTRAN))
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	for (i = 0; i < ndims; i++) {
		if (gsizes[i] <= 0 || psizes[i] <= 0)
			return mpii_raise(NULL, MPI_ERR_ARG, fname);
		if (distribs[i] != MPI_DISTRIBUTE_BLOCK && distribs[i] != MPI_DISTRIBUTE_CYCLIC &&
		    distribs[i] != MPI_DISTRIBUTE_NONE)
			return mpii_raise(NULL, MPI_ERR_ARG, fname);
		if (distribs[i] == MPI_DISTRIBUTE_NONE && psizes[i] != 1)
			return mpii_raise(NULL, MPI_ERR_ARG, fname);
		if (dargs[i] != MPI_DISTRIBUTE_DFLT_DARG && dargs[i] <= 0)
			return mpii_raise(NULL, MPI_ERR_ARG, fname);
		if (distribs[i] == MPI_DISTRIBUTE_BLOCK && dargs[i] != MPI_DISTRIBUTE_DFLT_DARG &&
		    (MPI_Count)dargs[i] * psizes[i] < gsizes[i])
			return mpii_raise(NULL, MPI_ERR_ARG, fname);
		prod *= psizes[i];
	}
	if (prod != size)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	old = mpii_dtype_get(oldh);
	if (!old)
		return mpii_raise(NULL, MPI_ERR_TYPE, fname);
	/* Processes form a row-major grid whatever the array order (MPI-3.1 4.1.4). */
	rest = rank;
	for (i = ndims - 1; i >= 0; i--) {
		coords[i] = rest % psizes[i];
		rest /= psizes[i];
	}
	t = mpii_dtype_ref(old);
	for (k = 0; k < ndims && t; k++) {
		MPI_Count d;

		i = order == MPI_ORDER_FORTRAN ? k : ndims - 1 - k;
		switch (distribs[i]) {
		case MPI_DISTRIBUTE_BLOCK:
			d = dargs[i] == MPI_DISTRIBUTE_DFLT_DARG ?
				    (gsizes[i] + psizes[i] - 1) / psizes[i] : dargs[i];
			n = cyclic(d, gsizes[i], coords[i], psizes[i], t);
			break;
		case MPI_DISTRIBUTE_CYCLIC:
			d = dargs[i] == MPI_DISTRIBUTE_DFLT_DARG ? 1 : dargs[i];
			n = cyclic(d, gsizes[i], coords[i], psizes[i], t);
			break;
		default:
			n = cyclic(gsizes[i], gsizes[i], 0, 1, t);
			break;
		}
		mpii_dtype_unref(t);
		t = n;
	}
	ints = malloc((size_t)(4 * ndims + 4) * sizeof(int));
	if (!t || !ints) {
		free(ints);
		mpii_dtype_unref(t);
		return mpii_raise(NULL, MPI_ERR_NO_MEM, fname);
	}
	ints[0] = size;
	ints[1] = rank;
	ints[2] = ndims;
	for (i = 0; i < ndims; i++) {
		ints[3 + i] = gsizes[i];
		ints[3 + ndims + i] = distribs[i];
		ints[3 + 2 * ndims + i] = dargs[i];
		ints[3 + 3 * ndims + i] = psizes[i];
	}
	ints[3 + 4 * ndims] = order;
	rc = mpii_dtype_set_contents(t, MPI_COMBINER_DARRAY, 4 * ndims + 4, ints, 0, NULL, 1,
				     &old);
	free(ints);
	if (!rc)
		return mpii_dtype_publish(t, newtype) ? mpii_raise(NULL, MPI_ERR_NO_MEM, fname) : 0;
	mpii_dtype_unref(t);
	return mpii_raise(NULL, rc, fname);
}
MPII_ALIAS(MPI_Type_create_darray)
