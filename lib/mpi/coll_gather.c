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

/* Checks of the rooted collectives: the send side everywhere, the receive side at root. */
static int check(MPI_Comm comm, int root, struct mpii_comm **c, int ok_scount,
		 MPI_Datatype stype, struct mpii_dtype **st, int ok_rcount, MPI_Datatype rtype,
		 struct mpii_dtype **rt, int send_at_root_only)
{
	int rc = mpii_coll_comm(comm, c, 1);

	if (rc)
		return rc;
	if ((rc = mpii_check_root(*c, root)))
		return rc;
	*st = *rt = mpii_byte_type();
	if (!send_at_root_only || (*c)->rank == root) {
		if (!ok_scount)
			return MPI_ERR_COUNT;
		if (stype != MPI_DATATYPE_NULL || ok_scount != 2)
			if (mpii_dtype_check(stype, st))
				return MPI_ERR_TYPE;
	}
	if (send_at_root_only || (*c)->rank == root) {
		if (!ok_rcount)
			return MPI_ERR_COUNT;
		if (rtype != MPI_DATATYPE_NULL || ok_rcount != 2)
			if (mpii_dtype_check(rtype, rt))
				return MPI_ERR_TYPE;
	}
	return MPI_SUCCESS;
}

static int run(struct mpii_comm *c, struct mpii_sched *s, int rc, MPI_Request *req,
	       const char *fname)
{
	if (rc) {
		mpii_sched_free(s);
		return mpii_raise(c, rc, fname);
	}
	s->name = fname;
	rc = mpii_sched_run(s, req);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}

static int gather(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		  int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm,
		  MPI_Request *req, const char *fname)
{
	struct mpii_comm *c;
	struct mpii_dtype *st, *rt;
	struct mpii_sched *s;
	int rc, inplace = sendbuf == MPI_IN_PLACE;

	MPII_ENTER(fname);
	rc = mpii_coll_comm(comm, &c, 1);
	if (!rc)
		rc = check(comm, root, &c, inplace && c->rank == root ? 2 : sendcount >= 0,
			   inplace && c->rank == root ? MPI_DATATYPE_NULL : sendtype, &st,
			   recvcount >= 0, recvtype, &rt, 0);
	if (!rc && inplace && c->rank != root)
		rc = MPI_ERR_BUFFER;
	if (rc)
		return mpii_raise(c, rc, fname);
	if (!(s = mpii_sched_new(c)))
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	rc = build_gather(s, sendbuf, sendcount, st, recvbuf, recvcount, rt, root);
	return run(c, s, rc, req, fname);
}

int PMPI_Gather(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm)
{
	return gather(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm,
		      NULL, "MPI_Gather");
}
MPII_ALIAS(MPI_Gather)

int PMPI_Igather(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		 int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm,
		 MPI_Request *request)
{
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Igather");
	return gather(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm,
		      request, "MPI_Igather");
}
MPII_ALIAS(MPI_Igather)

static int scatter(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		   int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm,
		   MPI_Request *req, const char *fname)
{
	struct mpii_comm *c;
	struct mpii_dtype *st, *rt;
	struct mpii_sched *s;
	int rc, inplace = recvbuf == MPI_IN_PLACE;

	MPII_ENTER(fname);
	rc = mpii_coll_comm(comm, &c, 1);
	if (!rc)
		rc = check(comm, root, &c, sendcount >= 0, sendtype, &st,
			   inplace && c->rank == root ? 2 : recvcount >= 0,
			   inplace && c->rank == root ? MPI_DATATYPE_NULL : recvtype, &rt, 1);
	if (!rc && inplace && c->rank != root)
		rc = MPI_ERR_BUFFER;
	if (rc)
		return mpii_raise(c, rc, fname);
	if (!(s = mpii_sched_new(c)))
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	rc = build_scatter(s, sendbuf, sendcount, st, recvbuf, recvcount, rt, root);
	return run(c, s, rc, req, fname);
}

int PMPI_Scatter(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		 int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm)
{
	return scatter(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm,
		       NULL, "MPI_Scatter");
}
MPII_ALIAS(MPI_Scatter)

int PMPI_Iscatter(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf,
		  int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm,
		  MPI_Request *request)
{
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Iscatter");
	return scatter(sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, comm,
		       request, "MPI_Iscatter");
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
	rc = mpii_coll_comm(comm, &c, 1);
	if (!rc)
		rc = check(comm, root, &c, inplace && c->rank == root ? 2 : sendcount >= 0,
			   inplace && c->rank == root ? MPI_DATATYPE_NULL : sendtype, &st, 1,
			   recvtype, &rt, 0);
	if (!rc && c->rank == root) {
		if (!recvcounts || !displs)
			rc = MPI_ERR_ARG;
		for (i = 0; !rc && i < c->size; i++)
			if (recvcounts[i] < 0)
				rc = MPI_ERR_COUNT;
	}
	if (!rc && inplace && c->rank != root)
		rc = MPI_ERR_BUFFER;
	if (rc)
		return mpii_raise(c, rc, fname);
	if (!(s = mpii_sched_new(c)))
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
	return run(c, s, rc, req, fname);
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
	rc = mpii_coll_comm(comm, &c, 1);
	if (!rc)
		rc = check(comm, root, &c, 1, sendtype, &st,
			   inplace && c->rank == root ? 2 : recvcount >= 0,
			   inplace && c->rank == root ? MPI_DATATYPE_NULL : recvtype, &rt, 1);
	if (!rc && c->rank == root) {
		if (!sendcounts || !displs)
			rc = MPI_ERR_ARG;
		for (i = 0; !rc && i < c->size; i++)
			if (sendcounts[i] < 0)
				rc = MPI_ERR_COUNT;
	}
	if (!rc && inplace && c->rank != root)
		rc = MPI_ERR_BUFFER;
	if (rc)
		return mpii_raise(c, rc, fname);
	if (!(s = mpii_sched_new(c)))
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
	return run(c, s, rc, req, fname);
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
