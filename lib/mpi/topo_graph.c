/* SPDX-License-Identifier: MIT */
/*
 * topo_graph.c: graph topologies (MPI-1's): MPI_Graph_create, its queries and mapping. The
 * graph is every rank's adjacency in one index/edges pair, the same on every rank.
 */
#include <stdlib.h>
#include "mpii_impl.h"

/* A graph topology object, or NULL when out of memory. */
static struct mpii_topo *graph_new(int nnodes, const int *index, int nedges, const int *edges)
{
	struct mpii_topo *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->kind = MPI_GRAPH;
	t->nnodes = nnodes;
	t->nedges = nedges;
	t->index = mpii_ints_dup(index, nnodes);
	t->edges = mpii_ints_dup(edges, nedges);
	if (!t->index || !t->edges) {
		mpii_topo_free(t);
		return NULL;
	}
	return t;
}

int PMPI_Graph_create(MPI_Comm comm_old, int nnodes, const int index[], const int edges[],
		      int reorder, MPI_Comm *comm_graph)
{
	static const char fname[] = "MPI_Graph_create";
	struct mpii_comm *c;
	int rc, i, nedges;

	MPII_ENTER(fname);
	(void)reorder;
	rc = mpii_topo_parent(comm_old, &c);
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
	rc = mpii_topo_create_first(c, nnodes, graph_new(nnodes, index, nedges, edges),
				    comm_graph);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Graph_create)

int PMPI_Graphdims_get(MPI_Comm comm, int *nnodes, int *nedges)
{
	struct mpii_comm *c;
	struct mpii_topo *t;
	int rc;

	MPII_ENTER("MPI_Graphdims_get");
	rc = mpii_topo_get(comm, MPI_GRAPH, &c, &t);
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
	rc = mpii_topo_get(comm, MPI_GRAPH, &c, &t);
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
	rc = mpii_topo_get(comm, MPI_GRAPH, &c, &t);
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
	rc = mpii_topo_get(comm, MPI_GRAPH, &c, &t);
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
