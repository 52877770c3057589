/* SPDX-License-Identifier: MIT */
/*
 * coll_gather.c: MPI_Gather and MPI_Scatter over a binomial tree of packed blocks (each
 * rank forwards its whole subtree in one message, ceil(log2 p) rounds), MPI_Gatherv and
 * MPI_Scatterv with every message of the root in flight at once, and non-blocking forms.
 */
#include "mpii_impl.h"

/* Blocks in the subtree of relative rank vr: vr itself and the ranks below it. */
static int subtree(int vr, int p)
{
	int low = vr ? (vr & -vr) : p;

	return low < p - vr ? low : p - vr;
}

static int build_gather(struct mpii_sched *s, const void *sbuf, MPI_Count scount,
			struct mpii_dtype *st, void *rbuf, MPI_Count rcount,
			struct mpii_dtype *rt, int root)
{
	struct mpii_comm *c = s->comm;
	struct mpii_dtype *byte = mpii_byte_type();
	int p = c->size, vr = (c->rank - root + p) % p, sub = subtree(vr, p), mask, j, rc = 0;
	size_t n = (size_t)(c->rank == root ? rcount * rt->size : scount * st->size);
	MPI_Aint rext = mpii_extent(rt);
	char *tmp;

	tmp = mpii_sched_tmp(s, (size_t)sub * n);
	if (!tmp)
		return MPI_ERR_NO_MEM;
	if (sbuf != MPI_IN_PLACE)
		rc = mpii_sched_copy(s, sbuf, scount, st, tmp, (MPI_Count)n, byte);
	/* children's subtrees arrive together, then the whole subtree goes up */
	for (mask = 1; mask < p && !(vr & mask) && !rc; mask <<= 1)
		if (vr + mask < p)
			rc = mpii_sched_recv(s, tmp + (size_t)mask * n,
					     (MPI_Count)((size_t)subtree(vr + mask, p) * n), byte,
					     (vr + mask + root) % p);
	if (!rc)
		rc = mpii_sched_round(s);
	if (!rc && vr)
		rc = mpii_sched_send(s, tmp, (MPI_Count)((size_t)sub * n), byte,
				     (vr - (vr & -vr) + root) % p);
	if (rc || vr)
		return rc;
	for (j = 0; j < p && !rc; j++) {
		int rank = (j + root) % p;

		if (j == 0 && sbuf == MPI_IN_PLACE)
			continue;
		rc = mpii_sched_copy(s, tmp + (size_t)j * n, (MPI_Count)n, byte,
				     (char *)rbuf + (MPI_Aint)rank * rcount * rext, rcount, rt);
	}
	return rc;
}

static int build_scatter(struct mpii_sched *s, const void *sbuf, MPI_Count scount,
			 struct mpii_dtype *st, void *rbuf, MPI_Count rcount,
			 struct mpii_dtype *rt, int root)
{
	struct mpii_comm *c = s->comm;
	struct mpii_dtype *byte = mpii_byte_type();
	int p = c->size, vr = (c->rank - root + p) % p, sub = subtree(vr, p), mask, j, rc = 0;
	size_t n = (size_t)(c->rank == root ? scount * st->size : rcount * rt->size);
	MPI_Aint sext = mpii_extent(st);
	char *tmp;

	tmp = mpii_sched_tmp(s, (size_t)sub * n);
	if (!tmp)
		return MPI_ERR_NO_MEM;
	if (vr == 0) {
		for (j = 0; j < p && !rc; j++)
			rc = mpii_sched_copy(s, (const char *)sbuf +
						     (MPI_Aint)((j + root) % p) * scount * sext,
					     scount, st, tmp + (size_t)j * n, (MPI_Count)n, byte);
	} else {
		rc = mpii_sched_recv(s, tmp, (MPI_Count)((size_t)sub * n), byte,
				     (vr - (vr & -vr) + root) % p);
	}
	if (!rc)
		rc = mpii_sched_round(s);
	for (mask = 1; mask < p && !(vr & mask) && !rc; mask <<= 1)
		if (vr + mask < p)
			rc = mpii_sched_send(s, tmp + (size_t)mask * n,
					     (MPI_Count)((size_t)subtree(vr + mask, p) * n), byte,
					     (vr + mask + root) % p);
	if (!rc && rbuf != MPI_IN_PLACE)
		rc = mpii_sched_copy(s, tmp, (MPI_Count)n, byte, rbuf, rcount, rt);
	return rc;
}

/*
 * The checks of the four rooted collectives, which are mirror images: one side holds a
 * block on every rank (the send side of a gather, the receive side of a scatter), the other
 * p blocks at the root, with per-rank counts and displacements in the v-forms (vform).
 * inplace: the root's own block is MPI_IN_PLACE; its count and type are then not looked at.
 * Sets *c, *st, *rt; 0 or the class of the first bad argument.
 */
enum { GATHER, SCATTER };

static int check(int dir, int vform, MPI_Comm comm, int root, int sendcount,
		 MPI_Datatype sendtype, int recvcount, MPI_Datatype recvtype, const int *counts,
		 const int *displs, int inplace, struct mpii_comm **c, struct mpii_dtype **st,
		 struct mpii_dtype **rt)
{
	int rc = mpii_coll_comm(comm, c, 1), at_root, i;

	if (rc)
		return rc;
	if ((rc = mpii_check_root(*c, root)))
		return rc;
	*st = *rt = mpii_byte_type();
	at_root = (*c)->rank == root;
	if (dir == GATHER ? !(inplace && at_root) : at_root) {
		if (!(vform && dir == SCATTER) && sendcount < 0)
			return MPI_ERR_COUNT;
		if (mpii_dtype_check(sendtype, st))
			return MPI_ERR_TYPE;
	}
	if (dir == SCATTER ? !(inplace && at_root) : at_root) {
		if (!(vform && dir == GATHER) && recvcount < 0)
			return MPI_ERR_COUNT;
		if (mpii_dtype_check(recvtype, rt))
			return MPI_ERR_TYPE;
	}
	if (vform && at_root) {
		if (!counts || !displs)
			return MPI_ERR_ARG;
		for (i = 0; i < (*c)->size; i++)
			if (counts[i] < 0)
				return MPI_ERR_COUNT;
	}
	return inplace && !at_root ? MPI_ERR_BUFFER : MPI_SUCCESS;
}

/* MPI_Gather and MPI_Scatter (dir), blocking (req NULL) or not. */
static int rooted(int dir, const void *sendbuf, int sendcount, MPI_Datatype sendtype,
		  void *recvbuf, int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm,
		  MPI_Request *req, const char *fname)
{
	struct mpii_comm *c;
	struct mpii_dtype *st, *rt;
	struct mpii_sched *s;
	int rc, inplace = (dir == GATHER ? sendbuf : recvbuf) == MPI_IN_PLACE;

	MPII_ENTER(fname);
	if ((c = mpii_inter_get(comm)))
		return dir == GATHER ? mpii_inter_gather(sendbuf, sendcount, sendtype, recvbuf,
							 NULL, recvcount, NULL, recvtype, root,
							 c, req, fname)
				     : mpii_inter_scatter(sendbuf, NULL, sendcount, NULL, sendtype,
							  recvbuf, recvcount, recvtype, root, c,
							  req, fname);
	rc = check(dir, 0, comm, root, sendcount, sendtype, recvcount, recvtype, NULL, NULL,
		   inplace, &c, &st, &rt);
	if (rc)
		return mpii_raise(c, rc, fname);
	if (!(s = mpii_coll_sched(c, req, fname)))
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	rc = (dir == GATHER ? build_gather : build_scatter)(s, sendbuf, sendcount, st, recvbuf,
							    recvcount, rt, root);
	return mpii_coll_run(c, s, rc, req, fname);
}

int PMPI_Gather(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm)
{
	return rooted(GATHER, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root,
		      comm, NULL, "MPI_Gather");
}
MPII_ALIAS(MPI_Gather)

int PMPI_Igather(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		 int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm,
		 MPI_Request *request)
{
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Igather");
	return rooted(GATHER, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root,
		      comm, request, "MPI_Igather");
}
MPII_ALIAS(MPI_Igather)

int PMPI_Scatter(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		 int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm)
{
	return rooted(SCATTER, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root,
		      comm, NULL, "MPI_Scatter");
}
MPII_ALIAS(MPI_Scatter)

int PMPI_Iscatter(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		  int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm,
		  MPI_Request *request)
{
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Iscatter");
	return rooted(SCATTER, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root,
		      comm, request, "MPI_Iscatter");
}
MPII_ALIAS(MPI_Iscatter)

static int gatherv(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		   const int *recvcounts, const int *displs, MPI_Datatype recvtype, int root,
		   MPI_Comm comm, MPI_Request *req, const char *fname)
{
	struct mpii_comm *c;
	struct mpii_dtype *st, *rt;
	struct mpii_sched *s;
	int rc, i, inplace = sendbuf == MPI_IN_PLACE;

	MPII_ENTER(fname);
	if ((c = mpii_inter_get(comm)))
		return mpii_inter_gather(sendbuf, sendcount, sendtype, recvbuf, recvcounts, 0,
					 displs, recvtype, root, c, req, fname);
	rc = check(GATHER, 1, comm, root, sendcount, sendtype, 0, recvtype, recvcounts, displs,
		   inplace, &c, &st, &rt);
	if (rc)
		return mpii_raise(c, rc, fname);
	if (!(s = mpii_coll_sched(c, req, fname)))
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	if (c->rank == root) {
		MPI_Aint ext = mpii_extent(rt);

		for (i = 0; i < c->size && !rc; i++) {
			void *dst = (char *)recvbuf + (MPI_Aint)displs[i] * ext;

			if (i == root)
				rc = inplace ? 0 : mpii_sched_copy(s, sendbuf, sendcount, st, dst,
								   recvcounts[i], rt);
			else
				rc = mpii_sched_recv(s, dst, recvcounts[i], rt, i);
		}
	} else {
		rc = mpii_sched_send(s, sendbuf, sendcount, st, root);
	}
	return mpii_coll_run(c, s, rc, req, fname);
}

int PMPI_Gatherv(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		 const int recvcounts[], const int displs[], MPI_Datatype recvtype, int root,
		 MPI_Comm comm)
{
	return gatherv(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, root,
		       comm, NULL, "MPI_Gatherv");
}
MPII_ALIAS(MPI_Gatherv)

int PMPI_Igatherv(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		  const int recvcounts[], const int displs[], MPI_Datatype recvtype, int root,
		  MPI_Comm comm, MPI_Request *request)
{
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Igatherv");
	return gatherv(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, root,
		       comm, request, "MPI_Igatherv");
}
MPII_ALIAS(MPI_Igatherv)

static int scatterv(const void *sendbuf, const int *sendcounts, const int *displs,
		    MPI_Datatype sendtype, void *recvbuf, int recvcount, MPI_Datatype recvtype,
		    int root, MPI_Comm comm, MPI_Request *req, const char *fname)
{
	struct mpii_comm *c;
	struct mpii_dtype *st, *rt;
	struct mpii_sched *s;
	int rc, i, inplace = recvbuf == MPI_IN_PLACE;

	MPII_ENTER(fname);
	if ((c = mpii_inter_get(comm)))
		return mpii_inter_scatter(sendbuf, sendcounts, 0, displs, sendtype, recvbuf,
					  recvcount, recvtype, root, c, req, fname);
	rc = check(SCATTER, 1, comm, root, 0, sendtype, recvcount, recvtype, sendcounts, displs,
		   inplace, &c, &st, &rt);
	if (rc)
		return mpii_raise(c, rc, fname);
	if (!(s = mpii_coll_sched(c, req, fname)))
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	if (c->rank == root) {
		MPI_Aint ext = mpii_extent(st);

		for (i = 0; i < c->size && !rc; i++) {
			const void *src = (const char *)sendbuf + (MPI_Aint)displs[i] * ext;

			if (i == root)
				rc = inplace ? 0 : mpii_sched_copy(s, src, sendcounts[i], st, recvbuf,
								   recvcount, rt);
			else
				rc = mpii_sched_send(s, src, sendcounts[i], st, i);
		}
	} else {
		rc = mpii_sched_recv(s, recvbuf, recvcount, rt, root);
	}
	return mpii_coll_run(c, s, rc, req, fname);
}

int PMPI_Scatterv(const void *sendbuf, const int sendcounts[], const int displs[],
		  MPI_Datatype sendtype, void *recvbuf, int recvcount, MPI_Datatype recvtype,
		  int root, MPI_Comm comm)
{
	return scatterv(sendbuf, sendcounts, displs, sendtype, recvbuf, recvcount, recvtype, root,
			comm, NULL, "MPI_Scatterv");
}
MPII_ALIAS(MPI_Scatterv)

int PMPI_Iscatterv(const void *sendbuf, const int sendcounts[], const int displs[],
		   MPI_Datatype sendtype, void *recvbuf, int recvcount, MPI_Datatype recvtype,
		   int root, MPI_Comm comm, MPI_Request *request)
{
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Iscatterv");
	return scatterv(sendbuf, sendcounts, displs, sendtype, recvbuf, recvcount, recvtype, root,
			comm, request, "MPI_Iscatterv");
}
MPII_ALIAS(MPI_Iscatterv)
