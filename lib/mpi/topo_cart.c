/* SPDX-License-Identifier: MIT */
/*
 * topo_cart.c: Cartesian topologies: MPI_Cart_create and its queries, shifts, sub-grids and
 * mapping, MPI_Dims_create. Ranks are numbered in row-major order of their coordinates
 * (the last dimension varies fastest), as MPI numbers a Cartesian grid.
 */
#include <stdlib.h>
#include "mpii_impl.h"

static void cart_coords(const struct mpii_topo *t, int rank, int *coords)
{
	int i;

	for (i = t->ndims - 1; i >= 0; i--) {
		coords[i] = rank % t->dims[i];
		rank /= t->dims[i];
	}
}

/* Rank of coords (wrapped in periodic dimensions), or MPI_PROC_NULL outside the grid. */
static int cart_rank(const struct mpii_topo *t, const int *coords)
{
	int i, r = 0;

	for (i = 0; i < t->ndims; i++) {
		int c = coords[i];

		if (t->periods[i]) {
			c %= t->dims[i];
			if (c < 0)
				c += t->dims[i];
		} else if (c < 0 || c >= t->dims[i]) {
			return MPI_PROC_NULL;
		}
		r = r * t->dims[i] + c;
	}
	return r;
}

int mpii_cart_shift(const struct mpii_topo *t, int rank, int dir, int disp, int *src,
		    int *dst)
{
	int coords[64], keep;

	if (t->ndims > 64)
		return MPI_ERR_DIMS;
	cart_coords(t, rank, coords);
	keep = coords[dir];
	coords[dir] = keep + disp;
	*dst = cart_rank(t, coords);
	coords[dir] = keep - disp;
	*src = cart_rank(t, coords);
	return MPI_SUCCESS;
}

/* A Cartesian topology object of ndims dimensions, or NULL when out of memory. */
static struct mpii_topo *cart_new(int ndims, const int *dims, const int *periods)
{
	struct mpii_topo *t = calloc(1, sizeof(*t));
	int i;

	if (!t)
		return NULL;
	t->kind = MPI_CART;
	t->ndims = ndims;
	t->dims = mpii_ints_dup(dims, ndims);
	t->periods = mpii_ints_dup(periods, ndims);
	if (!t->dims || !t->periods) {
		mpii_topo_free(t);
		return NULL;
	}
	for (i = 0; i < ndims; i++)
		t->periods[i] = t->periods[i] != 0;
	return t;
}

int PMPI_Cart_create(MPI_Comm comm_old, int ndims, const int dims[], const int periods[],
		     int reorder, MPI_Comm *comm_cart)
{
	static const char fname[] = "MPI_Cart_create";
	struct mpii_comm *c;
	int rc, i, prod = 1;

	MPII_ENTER(fname);
	(void)reorder;
	rc = mpii_topo_parent(comm_old, &c);
	if (!rc && (ndims < 0 || (ndims > 0 && (!dims || !periods)) || !comm_cart))
		rc = ndims < 0 ? MPI_ERR_DIMS : MPI_ERR_ARG;
	for (i = 0; !rc && i < ndims; i++) {
		if (dims[i] <= 0)
			rc = MPI_ERR_DIMS;
		else
			prod *= dims[i];
	}
	if (!rc && prod > c->size)
		rc = MPI_ERR_TOPOLOGY;
	if (rc)
		return mpii_raise(c, rc, fname);
	/* the first prod ranks form the grid; the rest get MPI_COMM_NULL */
	rc = mpii_topo_create_first(c, prod, cart_new(ndims, dims, periods), comm_cart);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Cart_create)

int PMPI_Cartdim_get(MPI_Comm comm, int *ndims)
{
	struct mpii_comm *c;
	struct mpii_topo *t;
	int rc;

	MPII_ENTER("MPI_Cartdim_get");
	rc = mpii_topo_get(comm, MPI_CART, &c, &t);
	if (!rc && !ndims)
		rc = MPI_ERR_ARG;
	if (rc)
		return mpii_raise(c, rc, "MPI_Cartdim_get");
	*ndims = t->ndims;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Cartdim_get)

int PMPI_Cart_get(MPI_Comm comm, int maxdims, int dims[], int periods[], int coords[])
{
	struct mpii_comm *c;
	struct mpii_topo *t;
	int rc, i, co[64];

	MPII_ENTER("MPI_Cart_get");
	rc = mpii_topo_get(comm, MPI_CART, &c, &t);
	if (!rc && (maxdims < t->ndims || (t->ndims && (!dims || !periods || !coords))))
		rc = MPI_ERR_ARG;
	if (rc)
		return mpii_raise(c, rc, "MPI_Cart_get");
	cart_coords(t, c->rank, co);
	for (i = 0; i < t->ndims; i++) {
		dims[i] = t->dims[i];
		periods[i] = t->periods[i];
		coords[i] = co[i];
	}
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Cart_get)

int PMPI_Cart_rank(MPI_Comm comm, const int coords[], int *rank)
{
	struct mpii_comm *c;
	struct mpii_topo *t;
	int rc, i;

	MPII_ENTER("MPI_Cart_rank");
	rc = mpii_topo_get(comm, MPI_CART, &c, &t);
	if (!rc && (!rank || (t->ndims && !coords)))
		rc = MPI_ERR_ARG;
	for (i = 0; !rc && i < t->ndims; i++)
		if (!t->periods[i] && (coords[i] < 0 || coords[i] >= t->dims[i]))
			rc = MPI_ERR_RANK;
	if (rc)
		return mpii_raise(c, rc, "MPI_Cart_rank");
	*rank = cart_rank(t, coords);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Cart_rank)

int PMPI_Cart_coords(MPI_Comm comm, int rank, int maxdims, int coords[])
{
	struct mpii_comm *c;
	struct mpii_topo *t;
	int rc, i, co[64];

	MPII_ENTER("MPI_Cart_coords");
	rc = mpii_topo_get(comm, MPI_CART, &c, &t);
	if (!rc && (rank < 0 || rank >= c->size))
		rc = MPI_ERR_RANK;
	if (!rc && (maxdims < t->ndims || (t->ndims && !coords)))
		rc = MPI_ERR_ARG;
	if (rc)
		return mpii_raise(c, rc, "MPI_Cart_coords");
	cart_coords(t, rank, co);
	for (i = 0; i < t->ndims; i++)
		coords[i] = co[i];
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Cart_coords)

int PMPI_Cart_shift(MPI_Comm comm, int direction, int disp, int *rank_source, int *rank_dest)
{
	struct mpii_comm *c;
	struct mpii_topo *t;
	int rc;

	MPII_ENTER("MPI_Cart_shift");
	rc = mpii_topo_get(comm, MPI_CART, &c, &t);
	if (!rc && (direction < 0 || direction >= t->ndims))
		rc = MPI_ERR_DIMS;
	if (!rc && (!rank_source || !rank_dest))
		rc = MPI_ERR_ARG;
	if (!rc)
		rc = mpii_cart_shift(t, c->rank, direction, disp, rank_source, rank_dest);
	return rc ? mpii_raise(c, rc, "MPI_Cart_shift") : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Cart_shift)

int PMPI_Cart_sub(MPI_Comm comm, const int remain_dims[], MPI_Comm *newcomm)
{
	static const char fname[] = "MPI_Cart_sub";
	struct mpii_comm *c, *n;
	struct mpii_topo *t, *nt;
	int rc, i, k, color = 0, key = 0, co[64];
	MPI_Comm h;

	MPII_ENTER(fname);
	rc = mpii_topo_get(comm, MPI_CART, &c, &t);
	if (!rc && ((t->ndims && !remain_dims) || !newcomm))
		rc = MPI_ERR_ARG;
	if (rc)
		return mpii_raise(c, rc, fname);
	/* same coordinates in the dropped dimensions = same sub-grid */
	cart_coords(t, c->rank, co);
	for (i = 0; i < t->ndims; i++) {
		if (remain_dims[i])
			key = key * t->dims[i] + co[i];
		else
			color = color * t->dims[i] + co[i];
	}
	rc = PMPI_Comm_split(comm, color, key, &h);
	if (rc)
		return rc;
	n = mpii_comm_get(h);
	nt = calloc(1, sizeof(*nt));
	if (nt) {
		nt->kind = MPI_CART;
		nt->dims = malloc((size_t)(t->ndims + 1) * sizeof(int));
		nt->periods = malloc((size_t)(t->ndims + 1) * sizeof(int));
	}
	if (!nt || !nt->dims || !nt->periods) {
		mpii_topo_free(nt);
		PMPI_Comm_free(&h);
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	}
	for (i = 0, k = 0; i < t->ndims; i++)
		if (remain_dims[i]) {
			nt->dims[k] = t->dims[i];
			nt->periods[k] = t->periods[i];
			k++;
		}
	nt->ndims = k;
	if (k == 0) {
		/* MPI-3.1 7.5.7: a 0-dimensional grid is a 1-process communicator */
		nt->ndims = 0;
	}
	n->topo = nt;
	*newcomm = h;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Cart_sub)

int PMPI_Cart_map(MPI_Comm comm, int ndims, const int dims[], const int periods[],
		  int *newrank)
{
	struct mpii_comm *c = mpii_comm_get(comm);
	int i, prod = 1;

	MPII_ENTER("MPI_Cart_map");
	(void)periods;
	if (!c)
		return mpii_raise(NULL, MPI_ERR_COMM, "MPI_Cart_map");
	if (ndims < 0 || (ndims && !dims) || !newrank)
		return mpii_raise(c, MPI_ERR_ARG, "MPI_Cart_map");
	for (i = 0; i < ndims; i++) {
		if (dims[i] <= 0)
			return mpii_raise(c, MPI_ERR_DIMS, "MPI_Cart_map");
		prod *= dims[i];
	}
	if (prod > c->size)
		return mpii_raise(c, MPI_ERR_TOPOLOGY, "MPI_Cart_map");
	*newrank = c->rank < prod ? c->rank : MPI_UNDEFINED;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Cart_map)

/*
 * MPI_Dims_create: the free dimensions get a factorisation of nnodes / (product of the
 * fixed ones) that is as balanced as possible, in non-increasing order. Found by trying
 * the divisors greedily from the largest prime factors down, which gives the balanced
 * answer for the sizes MPI programs use (and the same as MPICH's and Open MPI's).
 */
int PMPI_Dims_create(int nnodes, int ndims, int dims[])
{
	static const char fname[] = "MPI_Dims_create";
	int i, j, nfree = 0, fixed = 1, rest, f[64], nf = 0, *d;

	MPII_ENTER(fname);
	if (ndims < 0 || nnodes <= 0 || (ndims > 0 && !dims))
		return mpii_raise(NULL, ndims < 0 ? MPI_ERR_DIMS : MPI_ERR_ARG, fname);
	for (i = 0; i < ndims; i++) {
		if (dims[i] < 0)
			return mpii_raise(NULL, MPI_ERR_DIMS, fname);
		if (dims[i] == 0)
			nfree++;
		else
			fixed *= dims[i];
	}
	if (nnodes % fixed)
		return mpii_raise(NULL, MPI_ERR_DIMS, fname);
	rest = nnodes / fixed;
	if (nfree == 0)
		return rest == 1 ? MPI_SUCCESS : mpii_raise(NULL, MPI_ERR_DIMS, fname);
	/* prime factors, largest first */
	for (i = 2; (long)i * i <= rest; i++)
		while (rest % i == 0) {
			f[nf++] = i;
			rest /= i;
		}
	if (rest > 1)
		f[nf++] = rest;
	d = malloc((size_t)nfree * sizeof(int));
	if (!d)
		return mpii_raise(NULL, MPI_ERR_NO_MEM, fname);
	for (i = 0; i < nfree; i++)
		d[i] = 1;
	/* each factor, largest first, goes to the currently smallest dimension */
	for (i = nf - 1; i >= 0; i--) {
		int m = 0;

		for (j = 1; j < nfree; j++)
			if (d[j] < d[m])
				m = j;
		d[m] *= f[i];
	}
	/* non-increasing order */
	for (i = 0; i < nfree; i++)
		for (j = i + 1; j < nfree; j++)
			if (d[j] > d[i]) {
				int x = d[i];

				d[i] = d[j];
				d[j] = x;
			}
	for (i = 0, j = 0; i < ndims; i++)
		if (dims[i] == 0)
			dims[i] = d[j++];
	free(d);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Dims_create)

