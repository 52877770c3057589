/* SPDX-License-Identifier: MIT */
/*
 * topo_dist_graph.c: distributed graph topologies (MPI-2.2's): MPI_Dist_graph_create and
 * MPI_Dist_graph_create_adjacent, and the neighbour queries. Each rank keeps only its own
 * in- and out-edges, with their weights.
 */
#include <stdlib.h>
#include "mpii_impl.h"

/* Gives a duplicate of c the distributed graph of this rank's edges (collective over c). */
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
		t->srcs = mpii_ints_dup(srcs, indeg);
		t->dsts = mpii_ints_dup(dsts, outdeg);
		t->srcw = mpii_ints_dup(weighted ? srcw : NULL, indeg);
		t->dstw = mpii_ints_dup(weighted ? dstw : NULL, outdeg);
		if (!t->srcs || !t->dsts || !t->srcw || !t->dstw) {
			mpii_topo_free(t);
			t = NULL;
		}
	}
	return mpii_topo_publish(n, t, out);
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
	rc = mpii_topo_parent(comm_old, &c);
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
	rc = mpii_topo_parent(comm_old, &c);
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
	rc = mpii_topo_get(comm, MPI_DIST_GRAPH, &c, &t);
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
	rc = mpii_topo_get(comm, MPI_DIST_GRAPH, &c, &t);
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
