/* SPDX-License-Identifier: MIT */
/* send.c: the send calls in every mode, blocking and not (their checks: mpii_p2p_check). */
#include "mpii_impl.h"
#include "tk.h"

/*
 * The fast path (engine.c): a standard or ready send of a short contiguous message with
 * nothing queued ahead of it to that rank goes at once, as one channel record. 1 if it did.
 * (Traced jobs take the general path, which records the send's begin and end.)
 */
static inline int send_fast(const void *buf, MPI_Count count, const struct mpii_dtype *t,
			    int dest, int tag, struct mpii_comm *c, int ctxoff)
{
	size_t len = (size_t)(count * t->size);

	if (dest == MPI_PROC_NULL || !t->contig || len > MPII_EAGER_MAX || mpii_tracing())
		return 0;
	return mpii_send_now(mpii_comm_peer_wr(c, dest), (uint32_t)(c->ctx + ctxoff), tag, c->rank,
			     (const char *)buf + t->lb, len);
}

/* mpii_isend; try_fast 0: the caller tried the fast path already (it would fail again). */
static int isend(const void *buf, MPI_Count count, struct mpii_dtype *t, int dest, int tag,
		 struct mpii_comm *c, int ctxoff, int mode, int try_fast, struct mpii_req **out)
{
	struct mpii_req *r = mpii_req_new(MPII_R_SEND);
	int rc;

	if (!r)
		return MPI_ERR_NO_MEM;
	r->mode = mode;
	r->comm = mpii_comm_ref(c);
	r->dt = mpii_dtype_ref(t);
	r->buf = (void *)buf;
	r->count = count;
	r->peer = dest;
	r->tag = tag;
	r->ctxoff = ctxoff;
	if (try_fast && mode != MPII_SEND_SYNC && send_fast(buf, count, t, dest, tag, c, ctxoff)) {
		/* gone already: the request is born complete */
		r->active = r->finished = r->done = 1;
		r->state = MPII_ST_EAGER;
		r->pwr = mpii_comm_peer_wr(c, dest);
		r->len = (size_t)(count * t->size);
		*out = r;
		return MPI_SUCCESS;
	}
	rc = mpii_send_start(r);
	if (rc) {
		mpii_req_destroy(r);
		return rc;
	}
	*out = r;
	return MPI_SUCCESS;
}

int mpii_isend(const void *buf, MPI_Count count, struct mpii_dtype *t, int dest, int tag,
	       struct mpii_comm *c, int ctxoff, int mode, struct mpii_req **out)
{
	return isend(buf, count, t, dest, tag, c, ctxoff, mode, 1, out);
}

int mpii_isend_light(const void *buf, MPI_Count count, struct mpii_dtype *t, int dest,
		     int tag, struct mpii_comm *c, int ctxoff, struct mpii_req **out)
{
	if (send_fast(buf, count, t, dest, tag, c, ctxoff)) {
		*out = &mpii_req_sent;
		return MPI_SUCCESS;
	}
	return isend(buf, count, t, dest, tag, c, ctxoff, MPII_SEND_STD, 0, out);
}

/* Every send: checks, starts, and for a blocking one waits. A standard or ready send that
 * leaves at once (the fast path) returns there: a blocking one is complete, a nonblocking
 * one gets the predefined complete request. */
static int send(const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
		MPI_Comm comm, int mode, MPI_Request *request, const char *fname)
{
	struct mpii_comm *c;
	struct mpii_dtype *t;
	struct mpii_req *r;
	int rc;

	MPII_ENTER(fname);
	rc = mpii_p2p_check(comm, buf, count, datatype, dest, tag, 0, &c, &t);
	if (rc)
		return mpii_raise(c, rc, fname);
	if ((mode == MPII_SEND_STD || mode == MPII_SEND_READY) &&
	    send_fast(buf, count, t, dest, tag, c, 0)) {
		if (request)
			*request = MPII_REQ_SENT;
		return MPI_SUCCESS;
	}
	if (mode == MPII_SEND_BUF)
		rc = mpii_bsend(buf, count, t, dest, tag, c, &r);
	else
		rc = isend(buf, count, t, dest, tag, c, 0, mode, 0, &r);	/* tried above */
	if (rc)
		return mpii_raise(c, rc, fname);
	if (request) {
		*request = r->handle;
		return MPI_SUCCESS;
	}
	rc = mpii_wait(r);
	mpii_req_destroy(r);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}

int PMPI_Send(const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
	      MPI_Comm comm)
{
	return send(buf, count, datatype, dest, tag, comm, MPII_SEND_STD, NULL, "MPI_Send");
}
MPII_ALIAS(MPI_Send)

int PMPI_Ssend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
	       MPI_Comm comm)
{
	return send(buf, count, datatype, dest, tag, comm, MPII_SEND_SYNC, NULL, "MPI_Ssend");
}
MPII_ALIAS(MPI_Ssend)

int PMPI_Rsend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
	       MPI_Comm comm)
{
	/* Ready mode is a promise about the receiver; a standard send keeps it. */
	return send(buf, count, datatype, dest, tag, comm, MPII_SEND_READY, NULL, "MPI_Rsend");
}
MPII_ALIAS(MPI_Rsend)

int PMPI_Bsend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag,
	       MPI_Comm comm)
{
	return send(buf, count, datatype, dest, tag, comm, MPII_SEND_BUF, NULL, "MPI_Bsend");
}
MPII_ALIAS(MPI_Bsend)

#define ISEND(name, mode) \
	int P##name(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, \
		    MPI_Comm comm, MPI_Request *request) \
	{ \
		if (!request) \
			return mpii_raise(NULL, MPI_ERR_ARG, #name); \
		return send(buf, count, datatype, dest, tag, comm, mode, request, #name); \
	} \
	MPII_ALIAS(name)

ISEND(MPI_Isend, MPII_SEND_STD)
ISEND(MPI_Issend, MPII_SEND_SYNC)
ISEND(MPI_Irsend, MPII_SEND_READY)
ISEND(MPI_Ibsend, MPII_SEND_BUF)
