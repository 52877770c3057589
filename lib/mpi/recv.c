/* SPDX-License-Identifier: MIT */
/* recv.c: MPI_Recv, MPI_Irecv, MPI_Sendrecv and MPI_Sendrecv_replace. */
#include <stdlib.h>
#include "mpii_impl.h"
#include "tk.h"

/*
 * Whether a receive may take the next message of its source from the channel itself (the
 * fast path of engine.c): a named source, a contiguous type, an untraced job, and nothing
 * posted or unexpected ahead of it that could take that message first.
 */
static inline int may_take_now(const struct mpii_dtype *t, int src, int tag, int ctx)
{
	return src >= 0 && mpii_posted_empty() && t->contig && !mpii_tracing() &&
	       !mpii_umsg_find(ctx, src, tag);
}

/* A receive that may take its message now (may_take_now): if it has come, matches and is
 * short, it is taken straight into the buffer. 1 if it was (r is complete); 0: the general
 * path posts r. */
MPII_HOT int irecv_now(struct mpii_req *r, struct mpii_comm *c)
{
	const struct mpii_dtype *t = r->dt;
	uint32_t ctx = (uint32_t)(c->ctx + r->ctxoff);

	if (!may_take_now(t, r->peer, r->tag, (int)ctx))
		return 0;
	if (mpii_recv_now(mpii_comm_peer_wr(c, r->peer), ctx, r->peer, r->tag,
			  (char *)r->buf + t->lb, (size_t)(r->count * t->size), &r->st) <= 0)
		return 0;
	r->active = r->finished = r->done = 1;
	r->state = MPII_ST_RECVING;
	return 1;
}

/* mpii_recv_post of a fresh receive, its usual case inline: from a named source (not
 * MPI_ANY_SOURCE, whose post a replay decides, nor MPI_PROC_NULL), with no unexpected message
 * queued and no trace to write, it joins the posted queue. */
MPII_HOT int post(struct mpii_req *r)
{
	if (r->peer < 0 || mpii_unexp_head || mpii_tracing())
		return mpii_recv_post(r);
	r->active = 1;
	r->state = MPII_ST_POSTED;
	mpii_posted_add(r);
	return MPI_SUCCESS;
}

/* mpii_irecv, inline in this file's MPI calls */
MPII_HOT int irecv(void *buf, MPI_Count count, struct mpii_dtype *t, int src, int tag,
			struct mpii_comm *c, int ctxoff, struct mpii_req **out)
{
	struct mpii_req *r = mpii_req_new(MPII_R_RECV);
	int rc;

	if (!r)
		return MPI_ERR_NO_MEM;
	r->comm = mpii_comm_ref(c);
	r->dt = mpii_dtype_ref(t);
	r->buf = buf;
	r->count = count;
	r->peer = src;
	r->tag = tag;
	r->ctxoff = ctxoff;
	/* (the first test of irecv_now here: a receive posted behind others makes no call) */
	if (mpii_posted_empty() && irecv_now(r, c)) {
		*out = r;
		return MPI_SUCCESS;
	}
	rc = post(r);
	if (rc) {
		mpii_req_destroy(r);
		return rc;
	}
	*out = r;
	return MPI_SUCCESS;
}

int mpii_irecv(void *buf, MPI_Count count, struct mpii_dtype *t, int src, int tag,
	       struct mpii_comm *c, int ctxoff, struct mpii_req **out)
{
	return irecv(buf, count, t, src, tag, c, ctxoff, out);
}

/*
 * The fast path of a blocking receive (engine.c): when no posted receive and no unexpected
 * message could come before it, and nothing else is in flight, it takes the next message
 * of its source straight from the channel if that is a matching short eager one, waiting
 * for it if need be; 1 if it did (status set). Otherwise, or as soon as anything else
 * arrives, 0 and the general path receives (nothing was consumed).
 */
static int recv_fast(void *buf, int count, const struct mpii_dtype *t, int src, int tag,
		     struct mpii_comm *c, MPI_Status *status)
{
	MPI_Status st;
	int wr, rc, waited = 0, why = 0;

	if (!may_take_now(t, src, tag, c->ctx))
		return 0;
	wr = mpii_comm_peer_wr(c, src);
	for (;;) {
		rc = mpii_recv_now(wr, (uint32_t)c->ctx, src, tag, (char *)buf + t->lb,
				   (size_t)((MPI_Count)count * t->size), &st);
		/* something else came or needs progress: the general path takes over */
		if (rc || why == 1 || why < 0 || mpii_engine_busy() || mpii_progress_pending())
			break;
		if (!waited) {	/* the core waits for a message (tessera ps, deadlock detector) */
			tk_wait_set(TESSERA_WAIT_RECV, wr, tag, (uint32_t)c->ctx);
			waited = 1;
		}
		why = mpii_idle_from(wr);
	}
	if (waited)
		tk_wait_set(TESSERA_WAIT_NONE, -1, 0, 0);
	if (rc <= 0)
		return 0;
	mpii_status_give(status, &st);	/* MPI_ERROR stays the caller's */
	return 1;
}

int PMPI_Recv(void *buf, int count, MPI_Datatype datatype, int source, int tag, MPI_Comm comm,
	      MPI_Status *status)
{
	static const char fname[] = "MPI_Recv";
	struct mpii_comm *c;
	struct mpii_dtype *t;
	struct mpii_req *r;
	int rc;
	MPI_Request h;

	MPII_ENTER(fname);
	rc = mpii_p2p_check(comm, buf, count, datatype, source, tag, 1, &c, &t);
	if (rc)
		return mpii_raise(c, rc, fname);
	if (recv_fast(buf, count, t, source, tag, c, status))
		return MPI_SUCCESS;
	rc = mpii_irecv(buf, count, t, source, tag, c, 0, &r);
	if (rc)
		return mpii_raise(c, rc, fname);
	mpii_wait(r);
	h = r->handle;
	rc = mpii_req_finish(r, &h, status);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Recv)

int PMPI_Irecv(void *buf, int count, MPI_Datatype datatype, int source, int tag, MPI_Comm comm,
	       MPI_Request *request)
{
	static const char fname[] = "MPI_Irecv";
	struct mpii_comm *c;
	struct mpii_dtype *t;
	struct mpii_req *r;
	int rc;

	MPII_ENTER(fname);
	rc = mpii_p2p_check(comm, buf, count, datatype, source, tag, 1, &c, &t);
	if (!rc && !request)
		rc = MPI_ERR_ARG;
	if (rc)
		return mpii_raise(c, rc, fname);
	rc = irecv(buf, count, t, source, tag, c, 0, &r);
	if (rc)
		return mpii_raise(c, rc, fname);
	*request = r->handle;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Irecv)

/* Waits for a receive and a send started together; returns the first error. */
static int pair(struct mpii_req *rr, struct mpii_req *sr, MPI_Status *status)
{
	MPI_Request h = rr->handle;
	int rc, src;

	mpii_wait(sr);
	mpii_wait(rr);
	src = sr->err;
	mpii_req_destroy(sr);
	rc = mpii_req_finish(rr, &h, status);
	return rc ? rc : src;
}

int PMPI_Sendrecv(const void *sendbuf, int sendcount, MPI_Datatype sendtype, int dest,
		  int sendtag, void *recvbuf, int recvcount, MPI_Datatype recvtype, int source,
		  int recvtag, MPI_Comm comm, MPI_Status *status)
{
	static const char fname[] = "MPI_Sendrecv";
	struct mpii_comm *c;
	struct mpii_dtype *st, *rt;
	struct mpii_req *rr, *sr;
	int rc;

	MPII_ENTER(fname);
	rc = mpii_p2p_check(comm, sendbuf, sendcount, sendtype, dest, sendtag, 0, &c, &st);
	if (!rc)
		rc = mpii_p2p_check(comm, recvbuf, recvcount, recvtype, source, recvtag, 1, &c,
				    &rt);
	if (rc)
		return mpii_raise(c, rc, fname);
	rc = mpii_irecv(recvbuf, recvcount, rt, source, recvtag, c, 0, &rr);
	if (rc)
		return mpii_raise(c, rc, fname);
	rc = mpii_isend_light(sendbuf, sendcount, st, dest, sendtag, c, 0, &sr);
	if (rc) {
		mpii_wait(rr);
		mpii_req_destroy(rr);
		return mpii_raise(c, rc, fname);
	}
	rc = pair(rr, sr, status);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Sendrecv)

int PMPI_Sendrecv_replace(void *buf, int count, MPI_Datatype datatype, int dest, int sendtag,
			  int source, int recvtag, MPI_Comm comm, MPI_Status *status)
{
	static const char fname[] = "MPI_Sendrecv_replace";
	struct mpii_comm *c;
	struct mpii_dtype *t;
	struct mpii_req *rr, *sr;
	MPI_Count n;
	void *tmp;
	int rc;

	MPII_ENTER(fname);
	rc = mpii_p2p_check(comm, buf, count, datatype, dest, sendtag, 0, &c, &t);
	if (!rc)
		rc = mpii_p2p_check(comm, buf, count, datatype, source, recvtag, 1, &c, &t);
	if (rc)
		return mpii_raise(c, rc, fname);
	n = (MPI_Count)count * t->size;
	tmp = mpii_malloc((size_t)n);
	if (!tmp)
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	mpii_pack(buf, count, t, tmp, n);
	rc = mpii_irecv(buf, count, t, source, recvtag, c, 0, &rr);
	if (!rc) {
		rc = mpii_isend_light(tmp, n, mpii_byte_type(), dest, sendtag, c, 0, &sr);
		if (rc) {
			mpii_wait(rr);
			mpii_req_destroy(rr);
		} else {
			rc = pair(rr, sr, status);
		}
	}
	free(tmp);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Sendrecv_replace)
