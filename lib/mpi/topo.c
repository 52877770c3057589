/* SPDX-License-Identifier: MIT */
/*
 * topo.c: virtual topologies: Cartesian grids, graphs and distributed graphs (creation,
 * queries, mapping, MPI_Dims_create). Ranks are never reordered: on a mesh of cores the
 * identity map already follows the core order.
 */
#include <stdlib.h>
#include "mpii_impl.h"

void mpii_topo_free(struct mpii_topo *t)
{
	if (!t)
		return;
	free(t->dims);
	free(t->periods);
	free(t->index);
	free(t->edges);
	free(t->srcs);
	free(t->srcw);
	free(t->dsts);
	free(t->dstw);
	free(t);
}

static int *dup_ints(const int *a, int n)
{
	int *p = malloc((size_t)(n > 0 ? n : 1) * sizeof(int));

	if (p && n > 0 && a)
		memcpy(p, a, (size_t)n * sizeof(int));
	return p;
}

struct mpii_topo *mpii_topo_dup(const struct mpii_topo *t)
{
	struct mpii_topo *n;

	if (!t)
		return NULL;
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	*n = *t;
	n->dims = dup_ints(t->dims, t->ndims);
	n->periods = dup_ints(t->periods, t->ndims);
	n->index = dup_ints(t->index, t->nnodes);
	n->edges = dup_ints(t->edges, t->nedges);
	n->srcs = dup_ints(t->srcs, t->indeg);
	n->srcw = dup_ints(t->srcw, t->indeg);
	n->dsts = dup_ints(t->dsts, t->outdeg);
	n->dstw = dup_ints(t->dstw, t->outdeg);
	if (!n->dims || !n->periods || !n->index || !n->edges || !n->srcs || !n->srcw ||
	    !n->dsts || !n->dstw) {
		mpii_topo_free(n);
		return NULL;
	}
	return n;
}

/* ---- Cartesian ---- */

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

static int cart_shift(const struct mpii_topo *t, int rank, int dir, int disp, int *src,
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

int PMPI_Cart_create(MPI_Comm comm_old, int ndims, const int dims[], const int periods[],
		     int reorder, MPI_Comm *comm_cart)
{
	static const char fname[] = "MPI_Cart_create";
	struct mpii_comm *c, *n;
	struct mpii_group *g;
	struct mpii_topo *t;
	int rc, i, prod = 1;

	MPII_ENTER(fname);
	(void)reorder;
	rc = mpii_coll_comm(comm_old, &c, 1);
	if (rc == MPI_ERR_UNSUPPORTED_OPERATION)
		rc = MPI_ERR_COMM;
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
	g = mpii_group_new(prod);
	if (!g)
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	memcpy(g->wr, c->local->wr, (size_t)prod * sizeof(int));
	mpii_group_done(g);
	rc = mpii_comm_from_group(c, g, &n);
	mpii_group_unref(g);
	if (rc)
		return mpii_raise(c, rc, fname);
	if (!n) {
		*comm_cart = MPI_COMM_NULL;
		return MPI_SUCCESS;
	}
	t = calloc(1, sizeof(*t));
	if (t) {
		t->kind = MPI_CART;
		t->ndims = ndims;
		t->dims = dup_ints(dims, ndims);
		t->periods = dup_ints(periods, ndims);
		for (i = 0; t->periods && i < ndims; i++)
			t->periods[i] = t->periods[i] != 0;
	}
	if (!t || !t->dims || !t->periods) {
		mpii_topo_free(t);
		mpii_comm_unref(n);
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	}
	n->topo = t;
	rc = mpii_comm_publish(n, comm_cart);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Cart_create)

/* The topology of a communicator, of the wanted kind (0: any); 0 or an error class. */
static int topo(MPI_Comm comm, int kind, struct mpii_comm **c, struct mpii_topo **t)
{
	*c = mpii_comm_get(comm);
	if (!*c)
		return MPI_ERR_COMM;
	*t = (*c)->topo;
	if (!*t || (kind && (*t)->kind != kind))
		return MPI_ERR_TOPOLOGY;
	return MPI_SUCCESS;
}

int PMPI_Cartdim_get(MPI_Comm comm, int *ndims)
{
	struct mpii_comm *c;
	struct mpii_topo *t;
	int rc;

	MPII_ENTER("MPI_Cartdim_get");
	rc = topo(comm, MPI_CART, &c, &t);
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
	rc = topo(comm, MPI_CART, &c, &t);
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
	rc = topo(comm, MPI_CART, &c, &t);
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
	rc = topo(comm, MPI_CART, &c, &t);
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
	rc = topo(comm, MPI_CART, &c, &t);
	if (!rc && (direction < 0 || direction >= t->ndims))
		rc = MPI_ERR_DIMS;
	if (!rc && (!rank_source || !rank_dest))
		rc = MPI_ERR_ARG;
	if (!rc)
		rc = cart_shift(t, c->rank, direction, disp, rank_source, rank_dest);
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
	rc = topo(comm, MPI_CART, &c, &t);
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

/* ---- graphs ---- */

int PMPI_Graph_create(MPI_Comm comm_old, int nnodes, const int index[], const int edges[],
		      int reorder, MPI_Comm *comm_graph)
{
	static const char fname[] = "MPI_Graph_create";
	struct mpii_comm *c, *n;
	struct mpii_group *g;
	struct mpii_topo *t;
	int rc, i, nedges;

	MPII_ENTER(fname);
	(void)reorder;
	rc = mpii_coll_comm(comm_old, &c, 1);
	if (rc == MPI_ERR_UNSUPPORTED_OPERATION)
		rc = MPI_ERR_COMM;
	if (!rc && (nnodes < 0 || nnodes > c->size))
		rc = MPI_ERR_ARG;
	if (!rc && (!comm_graph || (nnodes > 0 && (!index || !edges))))
		rc = MPI_ERR_ARG;
	if (rc)
		return mpii_raise(c, rc, fname);
	nedges = nnodes > 0 ? index[nnodes - 1] : 0;
	for (i = 0; i < nnodes; i++)
		if (index[i] < 0 || (i && index[i] < index[i - 1]))
			return mpii_raise(c, MPI_ERR_ARG, fname);
	for (i = 0; i < nedges; i++)
		if (edges[i] < 0 || edges[i] >= nnodes)
			return mpii_raise(c, MPI_ERR_ARG, fname);
	g = mpii_group_new(nnodes);
	if (!g)
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	memcpy(g->wr, c->local->wr, (size_t)nnodes * sizeof(int));
	mpii_group_done(g);
	rc = mpii_comm_from_group(c, g, &n);
	mpii_group_unref(g);
	if (rc)
		return mpii_raise(c, rc, fname);
	if (!n) {
		*comm_graph = MPI_COMM_NULL;
		return MPI_SUCCESS;
	}
	t = calloc(1, sizeof(*t));
	if (t) {
		t->kind = MPI_GRAPH;
		t->nnodes = nnodes;
		t->nedges = nedges;
		t->index = dup_ints(index, nnodes);
		t->edges = dup_ints(edges, nedges);
	}
	if (!t || !t->index || !t->edges) {
		mpii_topo_free(t);
		mpii_comm_unref(n);
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	}
	n->topo = t;
	rc = mpii_comm_publish(n, comm_graph);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Graph_create)

int PMPI_Graphdims_get(MPI_Comm comm, int *nnodes, int *nedges)
{
	struct mpii_comm *c;
	struct mpii_topo *t;
	int rc;

	MPII_ENTER("MPI_Graphdims_get");
	rc = topo(comm, MPI_GRAPH, &c, &t);
	if (!rc && (!nnodes || !nedges))
		rc = MPI_ERR_ARG;
	if (rc)
		return mpii_raise(c, rc, "MPI_Graphdims_get");
	*nnodes = t->nnodes;
	*nedges = t->nedges;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Graphdims_get)

int PMPI_Graph_get(MPI_Comm comm, int maxindex, int maxedges, int index[], int edges[])
{
	struct mpii_comm *c;
	struct mpii_topo *t;
	int rc, i;

	MPII_ENTER("MPI_Graph_get");
	rc = topo(comm, MPI_GRAPH, &c, &t);
	if (!rc && (maxindex < 0 || maxedges < 0 || (maxindex && !index) || (maxedges && !edges)))
		rc = MPI_ERR_ARG;
	if (rc)
		return mpii_raise(c, rc, "MPI_Graph_get");
	for (i = 0; i < t->nnodes && i < maxindex; i++)
		index[i] = t->index[i];
	for (i = 0; i < t->nedges && i < maxedges; i++)
		edges[i] = t->edges[i];
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Graph_get)

int PMPI_Graph_neighbors_count(MPI_Comm comm, int rank, int *nneighbors)
{
	struct mpii_comm *c;
	struct mpii_topo *t;
	int rc;

	MPII_ENTER("MPI_Graph_neighbors_count");
	rc = topo(comm, MPI_GRAPH, &c, &t);
	if (!rc && (rank < 0 || rank >= t->nnodes))
		rc = MPI_ERR_RANK;
	if (!rc && !nneighbors)
		rc = MPI_ERR_ARG;
	if (rc)
		return mpii_raise(c, rc, "MPI_Graph_neighbors_count");
	*nneighbors = t->index[rank] - (rank ? t->index[rank - 1] : 0);
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Graph_neighbors_count)

int PMPI_Graph_neighbors(MPI_Comm comm, int rank, int maxneighbors, int neighbors[])
{
	struct mpii_comm *c;
	struct mpii_topo *t;
	int rc, i, lo;

	MPII_ENTER("MPI_Graph_neighbors");
	rc = topo(comm, MPI_GRAPH, &c, &t);
	if (!rc && (rank < 0 || rank >= t->nnodes))
		rc = MPI_ERR_RANK;
	if (!rc && (maxneighbors < 0 || (maxneighbors && !neighbors)))
		rc = MPI_ERR_ARG;
	if (rc)
		return mpii_raise(c, rc, "MPI_Graph_neighbors");
	lo = rank ? t->index[rank - 1] : 0;
	for (i = 0; i < t->index[rank] - lo && i < maxneighbors; i++)
		neighbors[i] = t->edges[lo + i];
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Graph_neighbors)

int PMPI_Graph_map(MPI_Comm comm, int nnodes, const int index[], const int edges[],
		   int *newrank)
{
	struct mpii_comm *c = mpii_comm_get(comm);

	MPII_ENTER("MPI_Graph_map");
	(void)index;
	(void)edges;
	if (!c)
		return mpii_raise(NULL, MPI_ERR_COMM, "MPI_Graph_map");
	if (nnodes <= 0 || nnodes > c->size || !newrank)
		return mpii_raise(c, MPI_ERR_ARG, "MPI_Graph_map");
	*newrank = c->rank < nnodes ? c->rank : MPI_UNDEFINED;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Graph_map)

int PMPI_Topo_test(MPI_Comm comm, int *status)
{
	struct mpii_comm *c = mpii_comm_get(comm);

	MPII_ENTER("MPI_Topo_test");
	if (!c)
		return mpii_raise(NULL, MPI_ERR_COMM, "MPI_Topo_test");
	if (!status)
		return mpii_raise(c, MPI_ERR_ARG, "MPI_Topo_test");
	*status = c->topo ? c->topo->kind : MPI_UNDEFINED;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Topo_test)

/* ---- distributed graphs ---- */

static int dist_attach(struct mpii_comm *c, int indeg, const int *srcs, const int *srcw,
		       int outdeg, const int *dsts, const int *dstw, int weighted,
		       MPI_Comm *out)
{
	struct mpii_comm *n;
	struct mpii_topo *t;
	int rc;

	rc = mpii_comm_dup_plain(c, &n);
	if (rc)
		return rc;
	t = calloc(1, sizeof(*t));
	if (t) {
		t->kind = MPI_DIST_GRAPH;
		t->indeg = indeg;
		t->outdeg = outdeg;
		t->weighted = weighted;
		t->srcs = dup_ints(srcs, indeg);
		t->dsts = dup_ints(dsts, outdeg);
		t->srcw = dup_ints(weighted ? srcw : NULL, indeg);
		t->dstw = dup_ints(weighted ? dstw : NULL, outdeg);
	}
	if (!t || !t->srcs || !t->dsts || !t->srcw || !t->dstw) {
		mpii_topo_free(t);
		mpii_comm_unref(n);
		return MPI_ERR_NO_MEM;
	}
	n->topo = t;
	return mpii_comm_publish(n, out);
}

static int weights_given(const int *w)
{
	return w != MPI_UNWEIGHTED;
}

int PMPI_Dist_graph_create_adjacent(MPI_Comm comm_old, int indegree, const int sources[],
				    const int sourceweights[], int outdegree,
				    const int destinations[], const int destweights[],
				    MPI_Info info, int reorder, MPI_Comm *comm_dist_graph)
{
	static const char fname[] = "MPI_Dist_graph_create_adjacent";
	struct mpii_comm *c;
	int rc, i;

	MPII_ENTER(fname);
	(void)info;
	(void)reorder;
	rc = mpii_coll_comm(comm_old, &c, 1);
	if (rc == MPI_ERR_UNSUPPORTED_OPERATION)
		rc = MPI_ERR_COMM;
	if (!rc && (indegree < 0 || outdegree < 0 || !comm_dist_graph ||
		    (indegree && !sources) || (outdegree && !destinations)))
		rc = MPI_ERR_ARG;
	for (i = 0; !rc && i < indegree; i++)
		if (sources[i] < 0 || sources[i] >= c->size)
			rc = MPI_ERR_RANK;
	for (i = 0; !rc && i < outdegree; i++)
		if (destinations[i] < 0 || destinations[i] >= c->size)
			rc = MPI_ERR_RANK;
	if (rc)
		return mpii_raise(c, rc, fname);
	rc = dist_attach(c, indegree, sources, sourceweights, outdegree, destinations,
			 destweights, weights_given(sourceweights) && weights_given(destweights),
			 comm_dist_graph);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Dist_graph_create_adjacent)

/*
 * MPI_Dist_graph_create: any process may name any edge. Every edge (s, d, w) is sent to
 * both ends: an all-to-all of edge counts, then of the edges themselves, gives each process
 * its in- and out-lists (in the order the edges were given, by giving rank).
 */
int PMPI_Dist_graph_create(MPI_Comm comm_old, int n, const int sources[], const int degrees[],
			   const int destinations[], const int weights[], MPI_Info info,
			   int reorder, MPI_Comm *comm_dist_graph)
{
	static const char fname[] = "MPI_Dist_graph_create";
	struct mpii_comm *c;
	int rc, i, j, k, p, e, nedges = 0, weighted = weights_given(weights);
	int *scnt = NULL, *rcnt = NULL, *sdsp = NULL, *rdsp = NULL, *sbuf = NULL, *rbuf = NULL;
	int *srcs = NULL, *srcw = NULL, *dsts = NULL, *dstw = NULL, nin = 0, nout = 0, total;

	MPII_ENTER(fname);
	(void)info;
	(void)reorder;
	rc = mpii_coll_comm(comm_old, &c, 1);
	if (rc == MPI_ERR_UNSUPPORTED_OPERATION)
		rc = MPI_ERR_COMM;
	if (!rc && (n < 0 || !comm_dist_graph || (n && (!sources || !degrees))))
		rc = MPI_ERR_ARG;
	for (i = 0; !rc && i < n; i++) {
		if (sources[i] < 0 || sources[i] >= c->size)
			rc = MPI_ERR_RANK;
		else if (degrees[i] < 0)
			rc = MPI_ERR_ARG;
		nedges += degrees[i];
	}
	for (i = 0; !rc && i < nedges; i++)
		if (!destinations || destinations[i] < 0 || destinations[i] >= c->size)
			rc = MPI_ERR_RANK;
	if (rc)
		return mpii_raise(c, rc, fname);
	p = c->size;
	/* records of 4 ints: (source, destination, weight, role: 0 = to dest, 1 = to source) */
	scnt = calloc((size_t)p, sizeof(int));
	rcnt = calloc((size_t)p, sizeof(int));
	sdsp = calloc((size_t)p, sizeof(int));
	rdsp = calloc((size_t)p, sizeof(int));
	sbuf = malloc((size_t)(8 * nedges + 1) * sizeof(int));
	if (!scnt || !rcnt || !sdsp || !rdsp || !sbuf) {
		rc = MPI_ERR_NO_MEM;
		goto out;
	}
	for (i = 0, e = 0; i < n; i++)
		for (j = 0; j < degrees[i]; j++, e++) {
			scnt[destinations[e]] += 4;
			scnt[sources[i]] += 4;
		}
	for (i = 1; i < p; i++)
		sdsp[i] = sdsp[i - 1] + scnt[i - 1];
	{
		int *fill = calloc((size_t)p, sizeof(int));

		if (!fill) {
			rc = MPI_ERR_NO_MEM;
			goto out;
		}
		for (i = 0, e = 0; i < n; i++)
			for (j = 0; j < degrees[i]; j++, e++) {
				int d = destinations[e], s = sources[i];
				int w = weighted && weights != MPI_WEIGHTS_EMPTY ? weights[e] : 1;
				int *r1 = &sbuf[sdsp[d] + fill[d]], *r2;

				r1[0] = s, r1[1] = d, r1[2] = w, r1[3] = 0;
				fill[d] += 4;
				r2 = &sbuf[sdsp[s] + fill[s]];
				r2[0] = s, r2[1] = d, r2[2] = w, r2[3] = 1;
				fill[s] += 4;
			}
		free(fill);
	}
	rc = PMPI_Alltoall(scnt, 1, MPI_INT, rcnt, 1, MPI_INT, comm_old);
	if (rc)
		goto out;
	for (i = 1; i < p; i++)
		rdsp[i] = rdsp[i - 1] + rcnt[i - 1];
	total = rdsp[p - 1] + rcnt[p - 1];
	rbuf = malloc((size_t)(total + 1) * sizeof(int));
	if (!rbuf) {
		rc = MPI_ERR_NO_MEM;
		goto out;
	}
	rc = PMPI_Alltoallv(sbuf, scnt, sdsp, MPI_INT, rbuf, rcnt, rdsp, MPI_INT, comm_old);
	if (rc)
		goto out;
	for (k = 0; k < total; k += 4)
		rbuf[k + 3] ? nout++ : nin++;
	srcs = malloc((size_t)(nin + 1) * sizeof(int));
	srcw = malloc((size_t)(nin + 1) * sizeof(int));
	dsts = malloc((size_t)(nout + 1) * sizeof(int));
	dstw = malloc((size_t)(nout + 1) * sizeof(int));
	if (!srcs || !srcw || !dsts || !dstw) {
		rc = MPI_ERR_NO_MEM;
		goto out;
	}
	nin = nout = 0;
	for (k = 0; k < total; k += 4) {
		if (rbuf[k + 3]) {
			dsts[nout] = rbuf[k + 1];
			dstw[nout++] = rbuf[k + 2];
		} else {
			srcs[nin] = rbuf[k];
			srcw[nin++] = rbuf[k + 2];
		}
	}
	/* every process must agree whether the graph is weighted */
	i = weighted;
	rc = mpii_allreduce_int(c, &i, 1, MPI_LOR);
	if (!rc)
		rc = dist_attach(c, nin, srcs, srcw, nout, dsts, dstw, i, comm_dist_graph);
out:
	free(scnt);
	free(rcnt);
	free(sdsp);
	free(rdsp);
	free(sbuf);
	free(rbuf);
	free(srcs);
	free(srcw);
	free(dsts);
	free(dstw);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Dist_graph_create)

int PMPI_Dist_graph_neighbors_count(MPI_Comm comm, int *indegree, int *outdegree,
				    int *weighted)
{
	struct mpii_comm *c;
	struct mpii_topo *t;
	int rc;

	MPII_ENTER("MPI_Dist_graph_neighbors_count");
	rc = topo(comm, MPI_DIST_GRAPH, &c, &t);
	if (!rc && (!indegree || !outdegree || !weighted))
		rc = MPI_ERR_ARG;
	if (rc)
		return mpii_raise(c, rc, "MPI_Dist_graph_neighbors_count");
	*indegree = t->indeg;
	*outdegree = t->outdeg;
	*weighted = t->weighted;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Dist_graph_neighbors_count)

int PMPI_Dist_graph_neighbors(MPI_Comm comm, int maxindegree, int sources[],
			      int sourceweights[], int maxoutdegree, int destinations[],
			      int destweights[])
{
	struct mpii_comm *c;
	struct mpii_topo *t;
	int rc, i;

	MPII_ENTER("MPI_Dist_graph_neighbors");
	rc = topo(comm, MPI_DIST_GRAPH, &c, &t);
	if (!rc && (maxindegree < t->indeg || maxoutdegree < t->outdeg ||
		    (t->indeg && !sources) || (t->outdeg && !destinations)))
		rc = MPI_ERR_ARG;
	if (rc)
		return mpii_raise(c, rc, "MPI_Dist_graph_neighbors");
	for (i = 0; i < t->indeg; i++) {
		sources[i] = t->srcs[i];
		if (t->weighted && sourceweights && sourceweights != MPI_UNWEIGHTED)
			sourceweights[i] = t->srcw[i];
	}
	for (i = 0; i < t->outdeg; i++) {
		destinations[i] = t->dsts[i];
		if (t->weighted && destweights && destweights != MPI_UNWEIGHTED)
			destweights[i] = t->dstw[i];
	}
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Dist_graph_neighbors)

/* Neighbour lists in the order MPI-3.1 7.6 gives them; the arrays are malloc'd. */
int mpii_topo_neighbors(struct mpii_comm *c, int *indeg, int **in, int *outdeg, int **out)
{
	struct mpii_topo *t = c->topo;
	int i, n, lo;

	*in = *out = NULL;
	if (!t)
		return MPI_ERR_TOPOLOGY;
	switch (t->kind) {
	case MPI_CART:
		n = 2 * t->ndims;
		*in = malloc((size_t)(n + 1) * sizeof(int));
		*out = malloc((size_t)(n + 1) * sizeof(int));
		if (!*in || !*out)
			break;
		for (i = 0; i < t->ndims; i++) {
			int s = MPI_PROC_NULL, d = MPI_PROC_NULL;

			cart_shift(t, c->rank, i, 1, &s, &d);
			(*in)[2 * i] = (*out)[2 * i] = s;
			(*in)[2 * i + 1] = (*out)[2 * i + 1] = d;
		}
		*indeg = *outdeg = n;
		return MPI_SUCCESS;
	case MPI_GRAPH:
		lo = c->rank ? t->index[c->rank - 1] : 0;
		n = t->index[c->rank] - lo;
		*in = dup_ints(t->edges + lo, n);
		*out = dup_ints(t->edges + lo, n);
		if (!*in || !*out)
			break;
		*indeg = *outdeg = n;
		return MPI_SUCCESS;
	default:
		*in = dup_ints(t->srcs, t->indeg);
		*out = dup_ints(t->dsts, t->outdeg);
		if (!*in || !*out)
			break;
		*indeg = t->indeg;
		*outdeg = t->outdeg;
		return MPI_SUCCESS;
	}
	free(*in);
	free(*out);
	return MPI_ERR_NO_MEM;
}
