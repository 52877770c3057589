/* SPDX-License-Identifier: MIT */
/* topo: Dims_create, Cartesian and graph topologies, distributed graphs, neighbour colls. */
#include "conf.h"

int main(int argc, char **argv)
{
	static const int cases[][2] = { { 1, 1 }, { 7, 2 }, { 12, 2 }, { 16, 3 }, { 24, 3 },
					{ 30, 2 }, { 48, 2 }, { 48, 3 }, { 36, 2 }, { 60, 3 } };
	int k, dims[3], periods[3], coords[3], src, dst, r, nd, top;
	MPI_Comm cart, row, graph, dg, dga;

	conf_init(&argc, &argv);
	for (k = 0; k < (int)(sizeof(cases) / sizeof(cases[0])); k++) {
		dims[0] = dims[1] = dims[2] = 0;
		MPI_Dims_create(cases[k][0], cases[k][1], dims);
		if (rank == 0) {
			printf("dims_create(%d, %d):", cases[k][0], cases[k][1]);
			for (nd = 0; nd < cases[k][1]; nd++)
				printf(" %d", dims[nd]);
			printf("\n");
		}
	}
	dims[0] = 0;
	dims[1] = 2;
	if (size % 2 == 0) {
		MPI_Dims_create(size, 2, dims);
		report_same("dims_create fixed", dims[0] * 10 + dims[1]);
	}
	/* a periodic 2-D grid over every rank */
	dims[0] = dims[1] = 0;
	MPI_Dims_create(size, 2, dims);
	periods[0] = 1;
	periods[1] = 0;
	MPI_Cart_create(MPI_COMM_WORLD, 2, dims, periods, 0, &cart);
	MPI_Topo_test(cart, &top);
	report_same("topo cart", top == MPI_CART);
	MPI_Cartdim_get(cart, &nd);
	report_same("cartdim", nd);
	MPI_Comm_rank(cart, &r);
	MPI_Cart_coords(cart, r, 2, coords);
	report_ints("coords", coords, 2);
	MPI_Cart_rank(cart, coords, &k);
	report_same("cart_rank roundtrip", k == r);
	MPI_Cart_shift(cart, 0, 1, &src, &dst);
	report_ints("shift dim0 +1", (int[]){ src, dst }, 2);
	MPI_Cart_shift(cart, 1, -1, &src, &dst);
	report_ints("shift dim1 -1", (int[]){ src == MPI_PROC_NULL ? -9 : src,
					      dst == MPI_PROC_NULL ? -9 : dst }, 2);
	{
		int d2[2], p2[2], c2[2];

		MPI_Cart_get(cart, 2, d2, p2, c2);
		report_ints("cart_get", (int[]){ d2[0], d2[1], p2[0], p2[1], c2[0], c2[1] }, 6);
	}
	/* rows: keep dimension 1 */
	{
		int remain[2] = { 0, 1 }, rs, rr;

		MPI_Cart_sub(cart, remain, &row);
		MPI_Comm_size(row, &rs);
		MPI_Comm_rank(row, &rr);
		report_ints("cart_sub (size rank)", (int[]){ rs, rr }, 2);
		MPI_Cartdim_get(row, &nd);
		report_same("sub cartdim", nd);
		MPI_Comm_free(&row);
	}
	/* neighbour collectives on the grid */
	{
		int send[4], recv[4], one = rank, got[4];

		for (k = 0; k < 4; k++) {
			send[k] = rank * 10 + k;
			recv[k] = got[k] = -1;
		}
		MPI_Neighbor_alltoall(send, 1, MPI_INT, recv, 1, MPI_INT, cart);
		if (dims[0] > 2 || dims[0] == 1)
			report_ints("neighbor_alltoall", recv, 4);
		MPI_Neighbor_allgather(&one, 1, MPI_INT, got, 1, MPI_INT, cart);
		report_ints("neighbor_allgather", got, 4);
	}
	/* a cartesian grid smaller than the world */
	if (size > 2) {
		MPI_Comm small;
		int d1[1] = { size - 1 }, p1[1] = { 0 };

		MPI_Cart_create(MPI_COMM_WORLD, 1, d1, p1, 0, &small);
		report_int("small cart null", small == MPI_COMM_NULL);
		if (small != MPI_COMM_NULL)
			MPI_Comm_free(&small);
	}
	MPI_Comm_free(&cart);
	/* a graph: a ring plus a star around node 0 (every edge listed at both ends) */
	{
		int *index = malloc(size * sizeof(int)), *edges = malloc(4 * size * sizeof(int));
		int ne = 0, nn, cnt, nb[64], j;

		for (k = 0; k < size; k++) {
			if (size > 1) {
				edges[ne++] = (k + 1) % size;
				edges[ne++] = (k + size - 1) % size;
			}
			if (k != 0)
				edges[ne++] = 0;
			for (j = 1; k == 0 && j < size; j++)
				edges[ne++] = j;
			index[k] = ne;
		}
		MPI_Graph_create(MPI_COMM_WORLD, size, index, edges, 0, &graph);
		MPI_Topo_test(graph, &top);
		report_same("topo graph", top == MPI_GRAPH);
		MPI_Graphdims_get(graph, &nn, &ne);
		report_same("graphdims", nn * 1000 + ne);
		MPI_Graph_neighbors_count(graph, rank, &cnt);
		nb[0] = nb[1] = nb[2] = -1;
		MPI_Graph_neighbors(graph, rank, 64, nb);
		report_ints("graph neighbors", nb, 3);
		{
			int *ix = malloc(size * sizeof(int)), *ed = malloc(4 * size * sizeof(int));

			MPI_Graph_get(graph, size, ne, ix, ed);
			report_same("graph_get last index", ix[size - 1]);
			free(ix);
			free(ed);
		}
		{
			int in[64] = { -1, -1, -1 }, v = rank + 100;

			MPI_Neighbor_allgather(&v, 1, MPI_INT, in, 1, MPI_INT, graph);
			report_ints("graph neighbor_allgather", in, 3);
		}
		MPI_Comm_free(&graph);
		free(index);
		free(edges);
	}
	/* distributed graph: each rank names its edge to the right (weight = rank) */
	{
		int dest = (rank + 1) % size, w = rank, indeg, outdeg, weighted, s[4], sw[4], d[4],
		    dw[4];
		int srcs[1] = { rank }, degs[1] = { 1 };

		MPI_Dist_graph_create(MPI_COMM_WORLD, 1, srcs, degs, &dest, &w, MPI_INFO_NULL, 0, &dg);
		MPI_Dist_graph_neighbors_count(dg, &indeg, &outdeg, &weighted);
		MPI_Dist_graph_neighbors(dg, 4, s, sw, 4, d, dw);
		report_ints("dist_graph (in out w src sw dst dw)",
			    (int[]){ indeg, outdeg, weighted, s[0], sw[0], d[0], dw[0] }, 7);
		MPI_Topo_test(dg, &top);
		report_same("topo dist", top == MPI_DIST_GRAPH);
		{
			int left = (rank + size - 1) % size, right = (rank + 1) % size;
			int v[2] = { rank * 2, rank * 2 + 1 }, got[2] = { -1, -1 };
			int ins[2] = { left, right }, outs[2] = { left, right };

			MPI_Dist_graph_create_adjacent(MPI_COMM_WORLD, 2, ins, MPI_UNWEIGHTED, 2, outs,
						       MPI_UNWEIGHTED, MPI_INFO_NULL, 0, &dga);
			MPI_Dist_graph_neighbors_count(dga, &indeg, &outdeg, &weighted);
			report_same("adjacent unweighted", weighted);
			if (size > 2) {
				MPI_Neighbor_alltoall(v, 1, MPI_INT, got, 1, MPI_INT, dga);
				report_ints("dist neighbor_alltoall", got, 2);
			}
			{
				int sc[2] = { 1, 1 }, sd[2] = { 1, 0 }, rc[2] = { 1, 1 }, rd[2] = { 0, 1 };

				if (size > 2) {
					MPI_Neighbor_alltoallv(v, sc, sd, MPI_INT, got, rc, rd, MPI_INT,
							       dga);
					report_ints("dist neighbor_alltoallv", got, 2);
				}
			}
			MPI_Comm_free(&dga);
		}
		MPI_Comm_free(&dg);
	}
	conf_done();
	return 0;
}
