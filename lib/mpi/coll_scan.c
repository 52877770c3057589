/* SPDX-License-Identifier: MIT */
/*
 * coll_scan.c: MPI_Scan and MPI_Exscan by recursive doubling (log2 p rounds: exchange the
 * partial reduction of the aligned block of ranks, fold in what came from below), and
 * their non-blocking forms.
 */
#include "mpii_impl.h"

static int build_scan(struct mpii_sched *s, const void *sbuf, void *rbuf, MPI_Count count,
		      struct mpii_dtype *t, struct mpii_op *op, int exclusive)
{
	struct mpii_comm *c = s->comm;
	int p = c->size, r = c->rank, mask, rc, have = 0;
	void *partial, *tmp;

	if ((rc = mpii_sched_tmpbuf(s, count, t, &partial)) ||
	    (rc = mpii_sched_tmpbuf(s, count, t, &tmp)))
		return rc;
	if (sbuf == MPI_IN_PLACE)
		sbuf = rbuf;
	rc = mpii_sched_copy(s, sbuf, count, t, partial, count, t);
	if (!rc && !exclusive && sbuf != rbuf)
		rc = mpii_sched_copy(s, sbuf, count, t, rbuf, count, t);
	for (mask = 1; mask < p && !rc; mask <<= 1) {
		int dst = r ^ mask;

		if (dst >= p)
			continue;
		rc = mpii_sched_send(s, partial, count, t, dst);
		if (!rc)
			rc = mpii_sched_recv(s, tmp, count, t, dst);
		if (!rc)
			rc = mpii_sched_round(s);
		if (rc)
			break;
		if (dst < r) {
			/* tmp comes from lower ranks: it is the left operand */
			rc = mpii_sched_reduce(s, tmp, partial, count, t, op);
			if (!rc && exclusive && !have)
				rc = mpii_sched_copy(s, tmp, count, t, rbuf, count, t);
			else if (!rc)
				rc = mpii_sched_reduce(s, tmp, rbuf, count, t, op);
			have = 1;
		} else if (op->commute) {
			rc = mpii_sched_reduce(s, tmp, partial, count, t, op);
		} else {
			rc = mpii_sched_reduce(s, partial, tmp, count, t, op);
			if (!rc)
				rc = mpii_sched_copy(s, tmp, count, t, partial, count, t);
		}
	}
	return rc ? rc : mpii_sched_round(s);
}

static int scan(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype, MPI_Op op,
		MPI_Comm comm, MPI_Request *req, int exclusive, const char *fname)
{
	struct mpii_comm *c;
	struct mpii_dtype *t = NULL;
	struct mpii_op *o;
	struct mpii_sched *s;
	int rc;

	MPII_ENTER(fname);
	rc = mpii_coll_check_op(comm, sendbuf, count, datatype, op, &c, &t, &o);
	if (!rc && mpii_check_buf(recvbuf, count, t))
		rc = MPI_ERR_BUFFER;
	if (rc)
		return mpii_raise(c, rc, fname);
	if (!(s = mpii_coll_sched(c, req, fname)))
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	rc = build_scan(s, sendbuf, recvbuf, count, t, o, exclusive);
	return mpii_coll_run(c, s, rc, req, fname);
}

int PMPI_Scan(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype, MPI_Op op,
	      MPI_Comm comm)
{
	return scan(sendbuf, recvbuf, count, datatype, op, comm, NULL, 0, "MPI_Scan");
}
MPII_ALIAS(MPI_Scan)

int PMPI_Iscan(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype, MPI_Op op,
	       MPI_Comm comm, MPI_Request *request)
{
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Iscan");
	return scan(sendbuf, recvbuf, count, datatype, op, comm, request, 0, "MPI_Iscan");
}
MPII_ALIAS(MPI_Iscan)

int PMPI_Exscan(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
		MPI_Op op, MPI_Comm comm)
{
	return scan(sendbuf, recvbuf, count, datatype, op, comm, NULL, 1, "MPI_Exscan");
}
MPII_ALIAS(MPI_Exscan)

int PMPI_Iexscan(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype,
		 MPI_Op op, MPI_Comm comm, MPI_Request *request)
{
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, "MPI_Iexscan");
	return scan(sendbuf, recvbuf, count, datatype, op, comm, request, 1, "MPI_Iexscan");
}
MPII_ALIAS(MPI_Iexscan)
