/* SPDX-License-Identifier: MIT */
/*
 * coll_alltoall.c: MPI_Allgather (recursive doubling on power-of-two sizes for short
 * blocks, else a ring of p-1 neighbour steps), MPI_Allgatherv (ring), and the all-to-all
 * family as pairwise exchanges (step k: send to rank+k, receive from rank-k), with their
 * non-blocking forms.
 */
#include <stdlib.h>
#include "mpii_impl.h"

/* Ring allgather of blocks at displacements disp[i] (in elements of rt) of counts cnt[i]. */
static int ring(struct mpii_sched *s, void *rbuf, const MPI_Count *cnt, const MPI_Count *disp,
		struct mpii_dtype *rt)
{
	int p = s->comm->size, r = s->comm->rank, k, rc = 0;
	MPI_Aint ext = mpii_extent(rt);

	for (k = 0; k < p - 1 && !rc; k++) {
		int sb = (r - k + p) % p, rb = (r - k - 1 + p) % p;

		rc = mpii_sched_send(s, (char *)rbuf + disp[sb] * ext, cnt[sb], rt, (r + 1) % p);
		if (!rc)
			rc = mpii_sched_recv(s, (char *)rbuf + disp[rb] * ext, cnt[rb], rt,
					     (r - 1 + p) % p);
		if (!rc)
			rc = mpii_sched_round(s);
	}
	return rc;
}

static int allgather_build(struct mpii_sched *s, const void *sbuf, MPI_Count scount,
			   struct mpii_dtype *st, void *rbuf, const MPI_Count *cnt,
			   const MPI_Count *disp, struct mpii_dtype *rt, int regular)
{
	int p = s->comm->size, r = s->comm->rank, mask, rc = 0;
	MPI_Aint ext = mpii_extent(rt);

	if (sbuf != MPI_IN_PLACE)
		rc = mpii_sched_copy(s, sbuf, scount, st, (char *)rbuf + disp[r] * ext, cnt[r], rt);
	if (rc || p == 1)
		return rc;
	rc = mpii_sched_round(s);
	if (!rc && regular && (p & (p - 1)) == 0 &&
	    (MPI_Count)p * cnt[0] * rt->size <= MPII_ALLGATHER_RD_MAX) {
		/* recursive doubling: after step k this rank holds the aligned 2^(k+1) blocks */
		for (mask = 1; mask < p && !rc; mask <<= 1) {
			int dst = r ^ mask, mine = r & ~(mask - 1), theirs = dst & ~(mask - 1);

			rc = mpii_sched_send(s, (char *)rbuf + disp[mine] * ext, mask * cnt[0], rt,
					     dst);
			if (!rc)
				rc = mpii_sched_recv(s, (char *)rbuf + disp[theirs] * ext,
						     mask * cnt[0], rt, dst);
			if (!rc)
				rc = mpii_sched_round(s);
		}
		return rc;
	}
	return rc ? rc : ring(s, rbuf, cnt, disp, rt);
}

static int allgather(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		     const int *recvcounts, int recvcount, const int *displs,
		     MPI_Datatype recvtype, MPI_Comm comm, MPI_Request *req, const char *fname)
{
	struct mpii_comm *c;
	struct mpii_dtype *st = NULL, *rt = NULL;
	struct mpii_sched *s;
	MPI_Count *cnt, *disp;
	int rc, i;

	MPII_ENTER(fname);
	if ((c = mpii_inter_get(comm)))
		return mpii_inter_allgather(sendbuf, sendcount, sendtype, recvbuf, recvcounts,
					    recvcount, displs, recvtype, c, req, fname);
	rc = mpii_coll_comm(comm, &c, 1);
	if (!rc && sendbuf != MPI_IN_PLACE) {
		if (sendcount < 0)
			rc = MPI_ERR_COUNT;
		else if (mpii_dtype_check(sendtype, &st))
			rc = MPI_ERR_TYPE;
	}
	if (!rc && mpii_dtype_check(recvtype, &rt))
		rc = MPI_ERR_TYPE;
	if (!rc && !recvcounts && recvcount < 0)
		rc = MPI_ERR_COUNT;
	if (!rc && recvcounts && !displs)
		rc = MPI_ERR_ARG;
	for (i = 0; !rc && recvcounts && i < c->size; i++)
		if (recvcounts[i] < 0)
			rc = MPI_ERR_COUNT;
	if (rc)
		return mpii_raise(c, rc, fname);
	if (!(s = mpii_coll_sched(c, req, fname)))
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	cnt = mpii_sched_tmp(s, (size_t)c->size * sizeof(*cnt));
	disp = mpii_sched_tmp(s, (size_t)c->size * sizeof(*disp));
	if (!cnt || !disp)
		return mpii_coll_run(c, s, MPI_ERR_NO_MEM, req, fname);
	for (i = 0; i < c->size; i++) {
		cnt[i] = recvcounts ? recvcounts[i] : recvcount;
		disp[i] = recvcounts ? displs[i] : (MPI_Count)i * recvcount;
	}
	rc = allgather_build(s, sendbuf, sendcount, st, recvbuf, cnt, disp, rt, !recvcounts);
	return mpii_coll_run(c, s, rc, req, fname);
}

int PMPI_Allgather(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		   int recvcount, MPI_Datatype recvtype, MPI_Comm comm)
{
	return allgather(sendbuf, sendcount, sendtype, recvbuf, NULL, recvcount, NULL, recvtype,
			 comm, NULL, "MPI_Allgather");
}
MPII_ALIAS(MPI_Allgather)

int PMPI_Iallgather(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		    int recvcount, MPI_Datatype recvtype, MPI_Comm comm, MPI_Request *request)
{
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Iallgather");
	return allgather(sendbuf, sendcount, sendtype, recvbuf, NULL, recvcount, NULL, recvtype,
			 comm, request, "MPI_Iallgather");
}
MPII_ALIAS(MPI_Iallgather)

int PMPI_Allgatherv(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		    const int recvcounts[], const int displs[], MPI_Datatype recvtype,
		    MPI_Comm comm)
{
	if (!recvcounts)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Allgatherv");
	return allgather(sendbuf, sendcount, sendtype, recvbuf, recvcounts, 0, displs, recvtype,
			 comm, NULL, "MPI_Allgatherv");
}
MPII_ALIAS(MPI_Allgatherv)

int PMPI_Iallgatherv(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		     const int recvcounts[], const int displs[], MPI_Datatype recvtype,
		     MPI_Comm comm, MPI_Request *request)
{
	if (!recvcounts || !request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Iallgatherv");
	return allgather(sendbuf, sendcount, sendtype, recvbuf, recvcounts, 0, displs, recvtype,
			 comm, request, "MPI_Iallgatherv");
}
MPII_ALIAS(MPI_Iallgatherv)

int mpii_build_allgather_int(struct mpii_sched *s, const int *mine, int n, int *all)
{
	struct mpii_dtype *it = mpii_dtype_get(MPI_INT);
	int p = s->comm->size;
	MPI_Count *cnt = mpii_sched_tmp(s, (size_t)p * sizeof(*cnt));
	MPI_Count *disp = mpii_sched_tmp(s, (size_t)p * sizeof(*disp));

	if (!cnt || !disp)
		return MPI_ERR_NO_MEM;
	for (int i = 0; i < p; i++) {
		cnt[i] = n;
		disp[i] = (MPI_Count)i * n;
	}
	return allgather_build(s, mine, n, it, all, cnt, disp, it, 1);
}

int mpii_allgather_int(struct mpii_comm *c, const int *mine, int n, int *all)
{
	struct mpii_sched *s = mpii_sched_blocking(c, "MPI_Allgather", TESSERA_STEP_INTERNAL);

	return s ? mpii_sched_finish(s, mpii_build_allgather_int(s, mine, n, all), NULL) :
		   MPI_ERR_NO_MEM;
}

/*
 * All-to-all with per-peer counts, byte displacements and types (the general form the
 * three calls reduce to). In place: the receive buffer is first copied aside and sent from.
 */
struct a2a {
	const void *sbuf;
	void *rbuf;
	MPI_Count *scnt, *rcnt;
	MPI_Aint *sdsp, *rdsp;	/* bytes */
	struct mpii_dtype **st, **rt;
};

static int a2a_build(struct mpii_sched *s, struct a2a *a)
{
	int p = s->comm->size, r = s->comm->rank, k, rc = 0;

	rc = mpii_sched_copy(s, (const char *)a->sbuf + a->sdsp[r], a->scnt[r], a->st[r],
			     (char *)a->rbuf + a->rdsp[r], a->rcnt[r], a->rt[r]);
	for (k = 1; k < p && !rc; k++) {
		int dst = (r + k) % p, src = (r - k + p) % p;

		rc = mpii_sched_send(s, (const char *)a->sbuf + a->sdsp[dst], a->scnt[dst],
				     a->st[dst], dst);
		if (!rc)
			rc = mpii_sched_recv(s, (char *)a->rbuf + a->rdsp[src], a->rcnt[src],
					     a->rt[src], src);
		if (!rc)
			rc = mpii_sched_round(s);
	}
	return rc;
}

/* kind 0: alltoall, 1: alltoallv, 2: alltoallw */
static int alltoall(int kind, const void *sendbuf, const int *scounts, const int *sdispls,
		    const MPI_Datatype *stypes, void *recvbuf, const int *rcounts,
		    const int *rdispls, const MPI_Datatype *rtypes, MPI_Comm comm,
		    MPI_Request *req, const char *fname)
{
	struct mpii_comm *c;
	struct mpii_sched *s;
	struct a2a a;
	int rc, i, p, inplace = sendbuf == MPI_IN_PLACE;

	MPII_ENTER(fname);
	if ((c = mpii_inter_get(comm)))
		return mpii_inter_alltoall(kind, sendbuf, scounts, sdispls, stypes, recvbuf, rcounts,
					   rdispls, rtypes, c, req, fname);
	rc = mpii_coll_comm(comm, &c, 1);
	if (rc)
		return mpii_raise(c, rc, fname);
	p = c->size;
	if (!(s = mpii_coll_sched(c, req, fname)))
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	a.scnt = mpii_sched_tmp(s, (size_t)p * sizeof(MPI_Count));
	a.rcnt = mpii_sched_tmp(s, (size_t)p * sizeof(MPI_Count));
	a.sdsp = mpii_sched_tmp(s, (size_t)p * sizeof(MPI_Aint));
	a.rdsp = mpii_sched_tmp(s, (size_t)p * sizeof(MPI_Aint));
	a.st = mpii_sched_tmp(s, (size_t)p * sizeof(*a.st));
	a.rt = mpii_sched_tmp(s, (size_t)p * sizeof(*a.rt));
	if (!a.scnt || !a.rcnt || !a.sdsp || !a.rdsp || !a.st || !a.rt)
		return mpii_coll_run(c, s, MPI_ERR_NO_MEM, req, fname);
	for (i = 0; i < p && !rc; i++) {
		int rn = kind ? rcounts[i] : rcounts[0];
		MPI_Datatype rh = kind == 2 ? rtypes[i] : rtypes[0];

		if (rn < 0) {
			rc = MPI_ERR_COUNT;
			break;
		}
		if (mpii_dtype_check(rh, &a.rt[i])) {
			rc = MPI_ERR_TYPE;
			break;
		}
		a.rcnt[i] = rn;
		a.rdsp[i] = kind == 0 ? (MPI_Aint)i * rn * mpii_extent(a.rt[i]) :
			    kind == 1 ? (MPI_Aint)rdispls[i] * mpii_extent(a.rt[i]) : rdispls[i];
		if (inplace)
			continue;
		rn = kind ? scounts[i] : scounts[0];
		rh = kind == 2 ? stypes[i] : stypes[0];
		if (rn < 0) {
			rc = MPI_ERR_COUNT;
			break;
		}
		if (mpii_dtype_check(rh, &a.st[i])) {
			rc = MPI_ERR_TYPE;
			break;
		}
		a.scnt[i] = rn;
		a.sdsp[i] = kind == 0 ? (MPI_Aint)i * rn * mpii_extent(a.st[i]) :
			    kind == 1 ? (MPI_Aint)sdispls[i] * mpii_extent(a.st[i]) : sdispls[i];
	}
	if (!rc && inplace) {
		/* send from a copy of the receive buffer, block by block */
		MPI_Aint lo = 0, hi = 0;
		char *copy;

		for (i = 0; i < p; i++) {
			MPI_Aint b = a.rdsp[i] + a.rt[i]->true_lb, e;

			e = a.rdsp[i] + (a.rcnt[i] ? (a.rcnt[i] - 1) * mpii_extent(a.rt[i]) : 0) +
			    a.rt[i]->true_ub;
			if (a.rcnt[i] == 0)
				continue;
			if (lo == hi || b < lo)
				lo = b;
			if (lo == hi || e > hi)
				hi = e;
		}
		copy = mpii_sched_tmp(s, (size_t)(hi - lo));
		if (!copy)
			rc = MPI_ERR_NO_MEM;
		else if (hi > lo)
			memcpy(copy, (char *)recvbuf + lo, (size_t)(hi - lo));
		for (i = 0; !rc && i < p; i++) {
			a.scnt[i] = a.rcnt[i];
			a.sdsp[i] = a.rdsp[i];
			a.st[i] = a.rt[i];
		}
		a.sbuf = copy - lo;
	} else {
		a.sbuf = sendbuf;
	}
	a.rbuf = recvbuf;
	if (!rc)
		rc = a2a_build(s, &a);
	return mpii_coll_run(c, s, rc, req, fname);
}

int PMPI_Alltoall(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		  int recvcount, MPI_Datatype recvtype, MPI_Comm comm)
{
	return alltoall(0, sendbuf, &sendcount, NULL, &sendtype, recvbuf, &recvcount, NULL,
			&recvtype, comm, NULL, "MPI_Alltoall");
}
MPII_ALIAS(MPI_Alltoall)

int PMPI_Ialltoall(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		   int recvcount, MPI_Datatype recvtype, MPI_Comm comm, MPI_Request *request)
{
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Ialltoall");
	return alltoall(0, sendbuf, &sendcount, NULL, &sendtype, recvbuf, &recvcount, NULL,
			&recvtype, comm, request, "MPI_Ialltoall");
}
MPII_ALIAS(MPI_Ialltoall)

int PMPI_Alltoallv(const void *sendbuf, const int sendcounts[], const int sdispls[],
		   MPI_Datatype sendtype, void *recvbuf, const int recvcounts[],
		   const int rdispls[], MPI_Datatype recvtype, MPI_Comm comm)
{
	if (!recvcounts || !rdispls ||
	    (sendbuf != MPI_IN_PLACE && (!sendcounts || !sdispls)))
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Alltoallv");
	return alltoall(1, sendbuf, sendcounts, sdispls, &sendtype, recvbuf, recvcounts, rdispls,
			&recvtype, comm, NULL, "MPI_Alltoallv");
}
MPII_ALIAS(MPI_Alltoallv)

int PMPI_Ialltoallv(const void *sendbuf, const int sendcounts[], const int sdispls[],
		    MPI_Datatype sendtype, void *recvbuf, const int recvcounts[],
		    const int rdispls[], MPI_Datatype recvtype, MPI_Comm comm,
		    MPI_Request *request)
{
	if (!request || !recvcounts || !rdispls ||
	    (sendbuf != MPI_IN_PLACE && (!sendcounts || !sdispls)))
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Ialltoallv");
	return alltoall(1, sendbuf, sendcounts, sdispls, &sendtype, recvbuf, recvcounts, rdispls,
			&recvtype, comm, request, "MPI_Ialltoallv");
}
MPII_ALIAS(MPI_Ialltoallv)

int PMPI_Alltoallw(const void *sendbuf, const int sendcounts[], const int sdispls[],
		   const MPI_Datatype sendtypes[], void *recvbuf, const int recvcounts[],
		   const int rdispls[], const MPI_Datatype recvtypes[], MPI_Comm comm)
{
	if (!recvcounts || !rdispls || !recvtypes ||
	    (sendbuf != MPI_IN_PLACE && (!sendcounts || !sdispls || !sendtypes)))
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Alltoallw");
	return alltoall(2, sendbuf, sendcounts, sdispls, sendtypes, recvbuf, recvcounts, rdispls,
			recvtypes, comm, NULL, "MPI_Alltoallw");
}
MPII_ALIAS(MPI_Alltoallw)

int PMPI_Ialltoallw(const void *sendbuf, const int sendcounts[], const int sdispls[],
		    const MPI_Datatype sendtypes[], void *recvbuf, const int recvcounts[],
		    const int rdispls[], const MPI_Datatype recvtypes[], MPI_Comm comm,
		    MPI_Request *request)
{
	if (!request || !recvcounts || !rdispls || !recvtypes ||
	    (sendbuf != MPI_IN_PLACE && (!sendcounts || !sdispls || !sendtypes)))
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Ialltoallw");
	return alltoall(2, sendbuf, sendcounts, sdispls, sendtypes, recvbuf, recvcounts, rdispls,
			recvtypes, comm, request, "MPI_Ialltoallw");
}
MPII_ALIAS(MPI_Ialltoallw)
