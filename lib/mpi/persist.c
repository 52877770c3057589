/* SPDX-License-Identifier: MIT */
/* persist.c: persistent requests: the *_init calls, MPI_Start and MPI_Startall. */
#include "mpii_impl.h"

static int init(const void *buf, int count, MPI_Datatype datatype, int peer, int tag,
		MPI_Comm comm, int kind, int mode, MPI_Request *request, const char *fname)
{
	struct mpii_comm *c;
	struct mpii_dtype *t;
	struct mpii_req *r;
	int rc;

	MPII_ENTER(fname);
	rc = mpii_p2p_check(comm, buf, count, datatype, peer, tag, kind == MPII_R_RECV, &c, &t);
	if (!rc && !request)
		rc = MPI_ERR_ARG;
	if (rc)
		return mpii_raise(c, rc, fname);
	r = mpii_req_new(kind);
	if (!r)
		return mpii_raise(c, MPI_ERR_NO_MEM, fname);
	r->persistent = 1;
	r->mode = mode;
	r->comm = mpii_comm_ref(c);
	r->dt = mpii_dtype_ref(t);
	r->buf = (void *)buf;
	r->count = count;
	r->peer = peer;
	r->tag = tag;
	*request = r->handle;
	return MPI_SUCCESS;
}

#define SEND_INIT(name, mode) \
	int P##name(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, \
		    MPI_Comm comm, MPI_Request *request) \
	{ \
		return init(buf, count, datatype, dest, tag, comm, MPII_R_SEND, mode, request, \
			    #name); \
	} \
	MPII_ALIAS(name)

SEND_INIT(MPI_Send_init, MPII_SEND_STD)
SEND_INIT(MPI_Ssend_init, MPII_SEND_SYNC)
SEND_INIT(MPI_Bsend_init, MPII_SEND_BUF)
SEND_INIT(MPI_Rsend_init, MPII_SEND_READY)

int PMPI_Recv_init(void *buf, int count, MPI_Datatype datatype, int source, int tag,
		   MPI_Comm comm, MPI_Request *request)
{
	return init(buf, count, datatype, source, tag, comm, MPII_R_RECV, 0, request,
		    "MPI_Recv_init");
}
MPII_ALIAS(MPI_Recv_init)

static int start(struct mpii_req *r)
{
	struct mpii_req *b;
	int rc;

	if (r->kind == MPII_R_RECV)
		return mpii_recv_start(r);
	if (r->mode != MPII_SEND_BUF)
		return mpii_send_start(r);
	/* buffered: the data is copied out now and the request completes at once */
	rc = mpii_bsend(r->buf, r->count, r->dt, r->peer, r->tag, r->comm, &b);
	if (rc)
		return rc;
	mpii_req_destroy(b);
	r->active = 1;
	r->err = MPI_SUCCESS;
	mpii_status_empty(&r->st);
	r->finished = 1;
	r->done = 1;
	return MPI_SUCCESS;
}

int PMPI_Start(MPI_Request *request)
{
	static const char fname[] = "MPI_Start";
	struct mpii_req *r;
	int rc;

	MPII_ENTER(fname);
	if (!request || mpii_req_get(*request, &r) || !r || !r->persistent || r->active)
		return mpii_raise(NULL, MPI_ERR_REQUEST, fname);
	rc = start(r);
	return rc ? mpii_raise(r->comm, rc, fname) : MPI_SUCCESS;
}
MPII_ALIAS(MPI_Start)

int PMPI_Startall(int count, MPI_Request array_of_requests[])
{
	static const char fname[] = "MPI_Startall";
	struct mpii_req *r;
	int i, rc;

	MPII_ENTER(fname);
	if (count < 0 || (count > 0 && !array_of_requests))
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	for (i = 0; i < count; i++)
		if (mpii_req_get(array_of_requests[i], &r) || !r || !r->persistent || r->active)
			return mpii_raise(NULL, MPI_ERR_REQUEST, fname);
	for (i = 0; i < count; i++) {
		mpii_req_get(array_of_requests[i], &r);
		rc = start(r);
		if (rc)
			return mpii_raise(r->comm, rc, fname);
	}
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Startall)
