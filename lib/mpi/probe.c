/* SPDX-License-Identifier: MIT */
/* probe.c: MPI_Probe and MPI_Iprobe, matched probes and their receives (MPI_Mrecv). */
#include "mpii_impl.h"
#include "tk.h"

static int check(MPI_Comm comm, int source, int tag, struct mpii_comm **c)
{
	*c = mpii_comm_get(comm);
	if (!*c)
		return MPI_ERR_COMM;
	if (tag < 0 && tag != MPI_ANY_TAG)
		return MPI_ERR_TAG;
	if (source != MPI_PROC_NULL && source != MPI_ANY_SOURCE &&
	    (source < 0 || source >= mpii_comm_peer_size(*c)))
		return MPI_ERR_RANK;
	return MPI_SUCCESS;
}

static void proc_null_status(MPI_Status *st)
{
	if (st == MPI_STATUS_IGNORE)
		return;
	mpii_status_null(st);
	st->MPI_SOURCE = MPI_PROC_NULL;
}

/*
 * Looks for a match; with wait, halts until one arrives. NULL only without wait. What it
 * finds is a decision (replay.c) unless the probe waits for a named source; a replayed one
 * finds nothing, or waits for a message from the recorded source.
 */
static struct mpii_umsg *probe(struct mpii_comm *c, int source, int tag, int wait,
			       uint32_t kind)
{
	struct mpii_umsg *m;
	struct mpii_dec d = { 0 };
	int published = 0, decided = !wait || source == MPI_ANY_SOURCE;

	if (decided && mpii_dec_begin(kind, mpii_dec_aux(c->ctx, tag), &d)) {
		if (d.value < 0) {
			mpii_progress();
			mpii_dec_end(&d, -1);
			return NULL;
		}
		source = d.value;
		wait = 1;
	}
	mpii_progress();
	while (!(m = mpii_umsg_find(c->ctx, source, tag)) && wait) {
		if (!published) {
			tk_wait_set(TESSERA_WAIT_RECV,
				    source >= 0 ? mpii_comm_peer_wr(c, source) : -1, tag, c->ctx);
			published = 1;
		}
		mpii_idle();
		mpii_progress();
	}
	if (published)
		tk_wait_set(TESSERA_WAIT_NONE, -1, 0, 0);
	if (!m)
		mpii_poll_miss();
	if (decided)
		mpii_dec_end(&d, m ? m->src : -1);
	return m;
}

/* Takes m out of the matching queue and names it with a message handle. */
static int claim(struct mpii_comm *c, struct mpii_umsg *m, MPI_Message *message,
		 MPI_Status *status)
{
	m->handle = mpii_handle_new(MPII_K_MSG, m);
	if (!m->handle)
		return MPI_ERR_NO_MEM;
	mpii_umsg_unlink(m);
	m->mcomm = mpii_comm_ref(c);
	*message = m->handle;
	if (status != MPI_STATUS_IGNORE)
		mpii_umsg_status(m, status);
	return MPI_SUCCESS;
}

/*
 * The four probes: MPI_Probe and MPI_Mprobe wait for a match, MPI_Iprobe and MPI_Improbe
 * (flag) do not; MPI_Mprobe and MPI_Improbe (matched) take the message out of matching and
 * name it in *message, for MPI_Mrecv.
 */
static int probe_call(int source, int tag, MPI_Comm comm, int *flag, int wait, int matched,
		      MPI_Message *message, MPI_Status *status, const char *fname)
{
	struct mpii_comm *c;
	struct mpii_umsg *m;
	int rc;

	MPII_ENTER(fname);
	rc = check(comm, source, tag, &c);
	if (!rc && ((!wait && !flag) || (matched && !message)))
		rc = MPI_ERR_ARG;
	if (rc)
		return mpii_raise(c, rc, fname);
	if (source == MPI_PROC_NULL) {
		if (!wait)
			*flag = 1;
		if (matched)
			*message = MPI_MESSAGE_NO_PROC;
		proc_null_status(status);
		return MPI_SUCCESS;
	}
	m = probe(c, source, tag, wait, matched ? (wait ? TESSERA_DEC_MPROBE : TESSERA_DEC_IMPROBE) :
					  (wait ? TESSERA_DEC_PROBE : TESSERA_DEC_IPROBE));
	if (!wait)
		*flag = m != NULL;
	if (!m)
		return MPI_SUCCESS;
	if (matched) {
		rc = claim(c, m, message, status);
		return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
	}
	if (status != MPI_STATUS_IGNORE)
		mpii_umsg_status(m, status);
	return MPI_SUCCESS;
}

int PMPI_Iprobe(int source, int tag, MPI_Comm comm, int *flag, MPI_Status *status)
{
	return probe_call(source, tag, comm, flag, 0, 0, NULL, status, "MPI_Iprobe");
}
MPII_ALIAS(MPI_Iprobe)

int PMPI_Probe(int source, int tag, MPI_Comm comm, MPI_Status *status)
{
	return probe_call(source, tag, comm, NULL, 1, 0, NULL, status, "MPI_Probe");
}
MPII_ALIAS(MPI_Probe)

int PMPI_Improbe(int source, int tag, MPI_Comm comm, int *flag, MPI_Message *message,
		 MPI_Status *status)
{
	return probe_call(source, tag, comm, flag, 0, 1, message, status, "MPI_Improbe");
}
MPII_ALIAS(MPI_Improbe)

int PMPI_Mprobe(int source, int tag, MPI_Comm comm, MPI_Message *message, MPI_Status *status)
{
	return probe_call(source, tag, comm, NULL, 1, 1, message, status, "MPI_Mprobe");
}
MPII_ALIAS(MPI_Mprobe)

/* Starts the receive of a matched message; *r is NULL for MPI_MESSAGE_NO_PROC. */
static int mrecv(void *buf, int count, MPI_Datatype datatype, MPI_Message *message,
		 struct mpii_req **r, struct mpii_comm **c)
{
	struct mpii_dtype *t;
	struct mpii_umsg *m;

	*r = NULL;
	*c = NULL;
	if (!message)
		return MPI_ERR_ARG;
	if (*message == MPI_MESSAGE_NO_PROC) {
		*message = MPI_MESSAGE_NULL;
		return MPI_SUCCESS;
	}
	m = mpii_handle_get(MPII_K_MSG, *message);
	if (!m)
		return MPI_ERR_REQUEST;
	*c = m->mcomm;
	if (count < 0)
		return MPI_ERR_COUNT;
	if (mpii_dtype_check(datatype, &t))
		return MPI_ERR_TYPE;
	if (mpii_check_buf(buf, count, t))
		return MPI_ERR_BUFFER;
	*r = mpii_req_new(MPII_R_RECV);
	if (!*r)
		return MPI_ERR_NO_MEM;
	(*r)->comm = m->mcomm;	/* the message's reference moves to the request */
	m->mcomm = NULL;
	(*r)->dt = mpii_dtype_ref(t);
	(*r)->buf = buf;
	(*r)->count = count;
	(*r)->peer = m->src;
	(*r)->tag = m->tag;
	(*r)->active = 1;
	*message = MPI_MESSAGE_NULL;
	mpii_handle_free(m->handle);
	m->handle = 0;
	return mpii_recv_matched(*r, m);
}

int PMPI_Mrecv(void *buf, int count, MPI_Datatype datatype, MPI_Message *message,
	       MPI_Status *status)
{
	static const char fname[] = "MPI_Mrecv";
	struct mpii_req *r;
	struct mpii_comm *c;
	MPI_Request h;
	int rc;

	MPII_ENTER(fname);
	rc = mrecv(buf, count, datatype, message, &r, &c);
	if (rc)
		return mpii_raise(c, rc, fname);
	if (!r) {
		proc_null_status(status);
		return MPI_SUCCESS;
	}
	c = mpii_comm_ref(r->comm);
	mpii_wait(r);
	h = r->handle;
	rc = mpii_req_finish(r, &h, status);
	rc = rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
	mpii_comm_unref(c);
	return rc;
}
MPII_ALIAS(MPI_Mrecv)

int PMPI_Imrecv(void *buf, int count, MPI_Datatype datatype, MPI_Message *message,
		MPI_Request *request)
{
	static const char fname[] = "MPI_Imrecv";
	struct mpii_req *r;
	struct mpii_comm *c;
	int rc;

	MPII_ENTER(fname);
	if (!request)
		return mpii_raise(NULL, MPI_ERR_ARG, fname);
	rc = mrecv(buf, count, datatype, message, &r, &c);
	if (rc)
		return mpii_raise(c, rc, fname);
	if (!r) {
		/* MPI_MESSAGE_NO_PROC: a request that completes at once with a null status */
		r = mpii_req_new(MPII_R_RECV);
		if (!r)
			return mpii_raise(NULL, MPI_ERR_NO_MEM, fname);
		r->peer = MPI_PROC_NULL;
		r->dt = mpii_dtype_ref(mpii_byte_type());
		r->comm = mpii_comm_ref(mpii_comm_self);
		mpii_recv_start(r);
	}
	*request = r->handle;
	return MPI_SUCCESS;
}
MPII_ALIAS(MPI_Imrecv)
