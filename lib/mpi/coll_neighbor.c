/* SPDX-License-Identifier: MIT */
/*
 * coll_neighbor.c: the neighbourhood collectives on Cartesian, graph and distributed-graph
 * communicators: one round, every message to and from the neighbours in flight together.
 */
#include <stdlib.h>
#include "mpii_impl.h"

int MPI_UNWEIGHTED_VALUE[1], MPI_WEIGHTS_EMPTY_VALUE[1];

/* kind: 0 allgather, 1 allgatherv, 2 alltoall, 3 alltoallv, 4 alltoallw */
static int neighbor(int kind, const void *sbuf, const int *scnts, const void *sdsp,
		    const MPI_Datatype *stypes, void *rbuf, const int *rcnts, const void *rdsp,
		    const MPI_Datatype *rtypes, MPI_Comm comm, MPI_Request *req,
		    const char *fname)
{
	struct mpii_comm *c;
	struct mpii_sched *s;
	int rc, indeg, outdeg, *in, *out, i, k;

	MPII_ENTER(fname);
	if (!(c = mpii_comm_get(comm)))
		return mpii_raise(NULL, MPI_ERR_COMM, fname);
	if (!c->topo)
		return mpii_raise(c, MPI_ERR_TOPOLOGY, fname);
	rc = mpii_topo_neighbors(c, &indeg, &in, &outdeg, &out);
	if (rc)
		return mpii_raise(c, rc, fname);
	s = mpii_coll_sched(c, req, fname);
	if (!s) {
		rc = MPI_ERR_NO_MEM;
		goto out;
	}
	for (i = 0; i < outdeg && !rc; i++) {
		struct mpii_dtype *t;
		int n = kind == 0 || kind == 2 ? scnts[0] : kind == 1 ? scnts[0] : scnts[i];
		MPI_Datatype th = kind == 4 ? stypes[i] : stypes[0];
		MPI_Aint off;

		if (mpii_dtype_check(th, &t)) {
			rc = MPI_ERR_TYPE;
			break;
		}
		if (n < 0) {
			rc = MPI_ERR_COUNT;
			break;
		}
		switch (kind) {
		case 0:
		case 1:
			off = 0;
			break;
		case 2:
			off = (MPI_Aint)i * n * mpii_extent(t);
			break;
		case 3:
			off = (MPI_Aint)((const int *)sdsp)[i] * mpii_extent(t);
			break;
		default:
			off = ((const MPI_Aint *)sdsp)[i];
			break;
		}
		rc = mpii_sched_send(s, (const char *)sbuf + off, n, t, out[i]);
	}
	for (k = 0; k < indeg && !rc; k++) {
		struct mpii_dtype *t;
		int n;
		MPI_Aint off;
		MPI_Datatype th;

		/*
		 * Cartesian: receive from the positive neighbour of a dimension first. When both
		 * neighbours are one process, its first message (sent in its negative
		 * direction) is the one that comes from our positive side.
		 */
		i = c->topo->kind == MPI_CART ? k ^ 1 : k;
		n = kind == 0 || kind == 2 ? rcnts[0] : rcnts[i];
		th = kind == 4 ? rtypes[i] : rtypes[0];
		if (mpii_dtype_check(th, &t)) {
			rc = MPI_ERR_TYPE;
			break;
		}
		if (n < 0) {
			rc = MPI_ERR_COUNT;
			break;
		}
		switch (kind) {
		case 0:
		case 2:
			off = (MPI_Aint)i * n * mpii_extent(t);
			break;
		case 1:
		case 3:
			off = (MPI_Aint)((const int *)rdsp)[i] * mpii_extent(t);
			break;
		default:
			off = ((const MPI_Aint *)rdsp)[i];
			break;
		}
		rc = mpii_sched_recv(s, (char *)rbuf + off, n, t, in[i]);
	}
	/* the schedule holds the peers: the lists are no longer needed */
	free(in);
	free(out);
	return mpii_coll_run(c, s, rc, req, fname);
out:
	free(in);
	free(out);
	return mpii_raise(c, rc, fname);
}

int PMPI_Neighbor_allgather(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
			    void *recvbuf, int recvcount, MPI_Datatype recvtype, MPI_Comm comm)
{
	return neighbor(0, sendbuf, &sendcount, NULL, &sendtype, recvbuf, &recvcount, NULL,
			&recvtype, comm, NULL, "MPI_Neighbor_allgather");
}
MPII_ALIAS(MPI_Neighbor_allgather)

int PMPI_Ineighbor_allgather(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
			     void *recvbuf, int recvcount, MPI_Datatype recvtype, MPI_Comm comm,
			     MPI_Request *request)
{
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Ineighbor_allgather");
	return neighbor(0, sendbuf, &sendcount, NULL, &sendtype, recvbuf, &recvcount, NULL,
			&recvtype, comm, request, "MPI_Ineighbor_allgather");
}
MPII_ALIAS(MPI_Ineighbor_allgather)

int PMPI_Neighbor_allgatherv(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
			     void *recvbuf, const int recvcounts[], const int displs[],
			     MPI_Datatype recvtype, MPI_Comm comm)
{
	if (!recvcounts || !displs)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Neighbor_allgatherv");
	return neighbor(1, sendbuf, &sendcount, NULL, &sendtype, recvbuf, recvcounts, displs,
			&recvtype, comm, NULL, "MPI_Neighbor_allgatherv");
}
MPII_ALIAS(MPI_Neighbor_allgatherv)

int PMPI_Ineighbor_allgatherv(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
			      void *recvbuf, const int recvcounts[], const int displs[],
			      MPI_Datatype recvtype, MPI_Comm comm, MPI_Request *request)
{
	if (!recvcounts || !displs || !request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Ineighbor_allgatherv");
	return neighbor(1, sendbuf, &sendcount, NULL, &sendtype, recvbuf, recvcounts, displs,
			&recvtype, comm, request, "MPI_Ineighbor_allgatherv");
}
MPII_ALIAS(MPI_Ineighbor_allgatherv)

int PMPI_Neighbor_alltoall(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
			   void *recvbuf, int recvcount, MPI_Datatype recvtype, MPI_Comm comm)
{
	return neighbor(2, sendbuf, &sendcount, NULL, &sendtype, recvbuf, &recvcount, NULL,
			&recvtype, comm, NULL, "MPI_Neighbor_alltoall");
}
MPII_ALIAS(MPI_Neighbor_alltoall)

int PMPI_Ineighbor_alltoall(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
			    void *recvbuf, int recvcount, MPI_Datatype recvtype, MPI_Comm comm,
			    MPI_Request *request)
{
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Ineighbor_alltoall");
	return neighbor(2, sendbuf, &sendcount, NULL, &sendtype, recvbuf, &recvcount, NULL,
			&recvtype, comm, request, "MPI_Ineighbor_alltoall");
}
MPII_ALIAS(MPI_Ineighbor_alltoall)

int PMPI_Neighbor_alltoallv(const void *sendbuf, const int sendcounts[], const int sdispls[],
			    MPI_Datatype sendtype, void *recvbuf, const int recvcounts[],
			    const int rdispls[], MPI_Datatype recvtype, MPI_Comm comm)
{
	if (!sendcounts || !sdispls || !recvcounts || !rdispls)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Neighbor_alltoallv");
	return neighbor(3, sendbuf, sendcounts, sdispls, &sendtype, recvbuf, recvcounts, rdispls,
			&recvtype, comm, NULL, "MPI_Neighbor_alltoallv");
}
MPII_ALIAS(MPI_Neighbor_alltoallv)

int PMPI_Ineighbor_alltoallv(const void *sendbuf, const int sendcounts[], const int sdispls[],
			     MPI_Datatype sendtype, void *recvbuf, const int recvcounts[],
			     const int rdispls[], MPI_Datatype recvtype, MPI_Comm comm,
			     MPI_Request *request)
{
	if (!sendcounts || !sdispls || !recvcounts || !rdispls || !request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Ineighbor_alltoallv");
	return neighbor(3, sendbuf, sendcounts, sdispls, &sendtype, recvbuf, recvcounts, rdispls,
			&recvtype, comm, request, "MPI_Ineighbor_alltoallv");
}
MPII_ALIAS(MPI_Ineighbor_alltoallv)

int PMPI_Neighbor_alltoallw(const void *sendbuf, const int sendcounts[],
			    const MPI_Aint sdispls[], const MPI_Datatype sendtypes[],
			    void *recvbuf, const int recvcounts[], const MPI_Aint rdispls[],
			    const MPI_Datatype recvtypes[], MPI_Comm comm)
{
	if (!sendcounts || !sdispls || !sendtypes || !recvcounts || !rdispls || !recvtypes)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Neighbor_alltoallw");
	return neighbor(4, sendbuf, sendcounts, sdispls, sendtypes, recvbuf, recvcounts, rdispls,
			recvtypes, comm, NULL, "MPI_Neighbor_alltoallw");
}
MPII_ALIAS(MPI_Neighbor_alltoallw)

int PMPI_Ineighbor_alltoallw(const void *sendbuf, const int sendcounts[],
			     const MPI_Aint sdispls[], const MPI_Datatype sendtypes[],
			     void *recvbuf, const int recvcounts[], const MPI_Aint rdispls[],
			     const MPI_Datatype recvtypes[], MPI_Comm comm, MPI_Request *request)
{
	if (!sendcounts || !sdispls || !sendtypes || !recvcounts || !rdispls || !recvtypes ||
	    !request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Ineighbor_alltoallw");
	return neighbor(4, sendbuf, sendcounts, sdispls, sendtypes, recvbuf, recvcounts, rdispls,
			recvtypes, comm, request, "MPI_Ineighbor_alltoallw");
}
MPII_ALIAS(MPI_Ineighbor_alltoallw)
