/* SPDX-License-Identifier: MIT */
/*
 * topo.c: what the three kinds of virtual topology share: the topology object (free, dup),
 * finding a communicator's topology, attaching one to a new communicator, MPI_Topo_test,
 * and the neighbour lists the neighbourhood collectives use. The kinds themselves are
 * topo_cart.c, topo_graph.c and topo_dist_graph.c. Ranks are never reordered: on a mesh of
 * cores the identity map already follows the core order.
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

int *mpii_ints_dup(const int *a, int n)
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
	n->dims = mpii_ints_dup(t->dims, t->ndims);
	n->periods = mpii_ints_dup(t->periods, t->ndims);
	n->index = mpii_ints_dup(t->index, t->nnodes);
	n->edges = mpii_ints_dup(t->edges, t->nedges);
	n->srcs = mpii_ints_dup(t->srcs, t->indeg);
	n->srcw = mpii_ints_dup(t->srcw, t->indeg);
	n->dsts = mpii_ints_dup(t->dsts, t->outdeg);
	n->dstw = mpii_ints_dup(t->dstw, t->outdeg);
	if (!n->dims || !n->periods || !n->index || !n->edges || !n->srcs || !n->srcw ||
	    !n->dsts || !n->dstw) {
		mpii_topo_free(n);
		return NULL;
	}
	return n;
}

int mpii_topo_get(MPI_Comm comm, int kind, struct mpii_comm **c, struct mpii_topo **t)
{
	*c = mpii_comm_get(comm);
	if (!*c)
		return MPI_ERR_COMM;
	*t = (*c)->topo;
	if (!*t || (kind && (*t)->kind != kind))
		return MPI_ERR_TOPOLOGY;
	return MPI_SUCCESS;
}

int mpii_topo_parent(MPI_Comm comm_old, struct mpii_comm **c)
{
	int rc = mpii_coll_comm(comm_old, c, 1);

	return rc == MPI_ERR_UNSUPPORTED_OPERATION ? MPI_ERR_COMM : rc;
}

int mpii_topo_publish(struct mpii_comm *n, struct mpii_topo *t, MPI_Comm *out)
{
	if (!t) {
		mpii_comm_unref(n);
		return MPI_ERR_NO_MEM;
	}
	n->topo = t;
	return mpii_comm_publish(n, out);
}

int mpii_topo_create_first(struct mpii_comm *c, int size, struct mpii_topo *t, MPI_Comm *out)
{
	struct mpii_comm *n;
	struct mpii_group *g;
	int rc;

	g = mpii_group_new(size);
	if (!g) {
		mpii_topo_free(t);
		return MPI_ERR_NO_MEM;
	}
	memcpy(g->wr, c->local->wr, (size_t)size * sizeof(int));
	mpii_group_done(g);
	rc = mpii_comm_from_group(c, g, &n);
	mpii_group_unref(g);
	if (rc || !n) {
		mpii_topo_free(t);
		if (!rc)
			*out = MPI_COMM_NULL;
		return rc;
	}
	return mpii_topo_publish(n, t, out);
}

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

			mpii_cart_shift(t, c->rank, i, 1, &s, &d);
			(*in)[2 * i] = (*out)[2 * i] = s;
			(*in)[2 * i + 1] = (*out)[2 * i + 1] = d;
		}
		*indeg = *outdeg = n;
		return MPI_SUCCESS;
	case MPI_GRAPH:
		lo = c->rank ? t->index[c->rank - 1] : 0;
		n = t->index[c->rank] - lo;
		*in = mpii_ints_dup(t->edges + lo, n);
		*out = mpii_ints_dup(t->edges + lo, n);
		if (!*in || !*out)
			break;
		*indeg = *outdeg = n;
		return MPI_SUCCESS;
	default:
		*in = mpii_ints_dup(t->srcs, t->indeg);
		*out = mpii_ints_dup(t->dsts, t->outdeg);
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

