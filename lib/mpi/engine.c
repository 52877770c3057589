/* SPDX-License-Identifier: MIT */
/*
 * engine.c: the point-to-point protocol of lib/mpi on top of mpb-channels; the only file that
 * calls mpbc_*. Not matching (match.c), the request objects (req_pool.c), the progress loop
 * and waiting (progress.c), nor the MPI calls themselves (send.c, recv.c, request.c ...).
 *
 * Messages carry a 16-byte envelope: w0 = context id | kind << 16, w1 = tag, w2 = the
 * sender's rank in the communicator, w3 = a request id for rendezvous. Per source the
 * channel delivers in order, so matching in arrival order gives MPI's non-overtaking rule.
 *
 *  - eager (<= MPII_EAGER_MAX bytes, not synchronous): one message. A matching posted
 *    receive takes it straight into the user buffer (contiguous) or a bounce buffer; else it
 *    lands in a malloc'd unexpected buffer, so a stream never stalls behind it.
 *  - rendezvous (larger, and every synchronous send): RTS (length) -> CTS when a receive
 *    matches -> DATA straight into the receive. A big unexpected message costs 8 bytes.
 *
 * Outgoing messages wait in a FIFO per destination and only the head is in the channel:
 * order per destination holds whatever the channel does with several sends. Incoming
 * messages are taken one at a time per source, in one channel call (mpbc_take) that shows
 * the header to on_header, which matches it and says where the payload goes: a message of
 * one record is then copied there and complete when the call returns.
 *
 * The fast path (mpii_send_now, mpii_recv_now): a short contiguous message that fits one
 * channel record goes with no request and no queue when nothing is ahead of it: the sender
 * writes it with mpbc_send_now when its FIFO to the destination is empty; a blocking
 * receive with no posted receive and no matching unexpected message ahead of it takes its
 * source's next message with mpbc_take if that is a matching eager one, straight into the
 * user's buffer. Anything else (a queue, a rendezvous, another message first, any other
 * operation in flight) takes the general path below, where that order is kept.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "mpii_impl.h"
#include "tk.h"

/* What the message coming in from a source goes into: a receive's buffer, an unexpected
 * record, the 8-byte length of an RTS, or nowhere (a CTS, then answered; stale or unknown
 * messages). */
enum { IN_REQ = 1, IN_UNEXP, IN_RTS, IN_CTS, IN_DISCARD };

/* The message coming in from one source (one at a time: the channel orders them). */
struct inslot {
	int busy;
	int whole;		/* one record, taken whole by mpbc_take: nothing left to test */
	struct mpbc_recv r;
	int what;
	struct mpii_req *req;
	struct mpii_umsg *msg;
	uint32_t env[4];
	uint64_t ctl;
};

/* Per world rank: its core, the FIFO of messages going to it, the message coming from it. */
struct peer {
	uint32_t core;
	int listed;		/* in `active` */
	struct mpii_out *head, *tail;
	struct inslot in;
};

static struct peer *peers;
static int npeers;
static int nout;	/* messages queued or in the channel */
/* Peers with a message coming in or messages going out: what a pass visits (a job of many
 * ranks costs what is in flight, not its size). */
static struct peer **active;
static int nactive;
/* core -> its peer, for the messages mpbc_take shows (of a core in the job: the channel
 * shows no other) */
static struct peer **peer_of_core;

static void fail(const char *what, int rc)
{
	char msg[160];

	snprintf(msg, sizeof(msg), "MPI_ERR_INTERN: message channel failure (%s: %d)", what, rc);
	mpii_fatal(MPI_ERR_INTERN, msg);
}

int mpii_engine_init(void)
{
	int i, rc;

	npeers = mpii_world_size();
	peers = calloc((size_t)npeers, sizeof(*peers));
	active = calloc((size_t)npeers, sizeof(*active));
	peer_of_core = calloc(TESSERA_MAX_CORES, sizeof(*peer_of_core));
	if (!peers || !active || !peer_of_core)
		return MPI_ERR_NO_MEM;
	for (i = 0; i < npeers; i++) {
		peers[i].core = tk_rank_core((uint32_t)i);
		if (peers[i].core < TESSERA_MAX_CORES)
			peer_of_core[peers[i].core] = &peers[i];
	}
	rc = mpbc_init();
	return rc ? mpii_err_from_errno(rc) : MPI_SUCCESS;
}

int mpii_engine_fini(void)
{
	return MPI_SUCCESS;
}

int mpii_out_pending(void)
{
	return nout;
}

/* p has something in flight: a pass visits it until it has not. */
static void activate(struct peer *p)
{
	if (!p->listed) {
		p->listed = 1;
		active[nactive++] = p;
	}
}

int mpii_engine_busy(void)
{
	return nactive > 0;
}

/* ---- completion ---- */

/* Trace records of point-to-point operations carry world ranks, so that the host can pair
 * a send with its receive on any communicator (docs/trace.md). */
MPII_HOT void trace_end(const struct mpii_req *r)
{
	uint32_t ctx;

	if (!mpii_tracing() || !r->comm || r->peer == MPI_PROC_NULL)
		return;
	ctx = (uint32_t)(r->comm->ctx + r->ctxoff);
	if (r->cancelled) {	/* a receive's end with no source: MPI_Cancel took it */
		if (r->kind == MPII_R_RECV)
			tk_trace(TESSERA_TR_RECV_END, -1, r->tag, ctx, 0);
		return;
	}
	if (r->kind == MPII_R_SEND)
		tk_trace(TESSERA_TR_SEND_END, r->pwr, r->tag, ctx, r->len);
	else if (r->kind == MPII_R_RECV && r->st.MPI_SOURCE >= 0)
		tk_trace(TESSERA_TR_RECV_END, mpii_comm_peer_wr(r->comm, r->st.MPI_SOURCE),
			 r->st.MPI_TAG, ctx, (uint64_t)r->st.mpii_count);
}

/* The operation itself is over (its end goes in the trace once). */
MPII_HOT void set_finished(struct mpii_req *r)
{
	if (!r->finished)
		trace_end(r);
	r->finished = 1;
}

/* Logical completion: the request is done once its own messages have left too. */
MPII_HOT void finish(struct mpii_req *r)
{
	set_finished(r);
	if (r->out[0].state || r->out[1].state)
		return;
	if (r->kind == MPII_R_SEND && r->tmp) {
		free(r->tmp);
		r->tmp = NULL;
	}
	if (r->bblk)
		mpii_bsend_done(r);
	r->done = 1;
	if (r->user_freed)
		mpii_req_destroy(r);
}

void mpii_req_complete(struct mpii_req *r)
{
	finish(r);
}

/* ---- outgoing ---- */

static int out_progress(struct peer *p);

/* Queues o behind the messages already going to its destination and starts what can go
 * (the runtime's work under virtual time, as mpii_progress is). */
static void out_queue(struct mpii_out *o)
{
	struct peer *p = &peers[o->wr];

	tk_vt_enter();
	o->state = 1;
	o->next = NULL;
	if (p->tail)
		p->tail->next = o;
	else
		p->head = o;
	p->tail = o;
	nout++;
	activate(p);
	out_progress(p);
	tk_vt_leave();
}

static void out_done(struct mpii_out *o)
{
	struct mpii_req *r = o->req;

	o->state = 0;
	nout--;
	if (!r)
		return;
	if (r->kind == MPII_R_SEND && (o->which == 1 || r->state == MPII_ST_EAGER))
		set_finished(r);
	if (r->finished)
		finish(r);
}

/*
 * The counters `tessera ps` and `top` show are MPI messages, counted here and nowhere below:
 * a message is counted once, when the message holding its data (eager, or rendezvous DATA)
 * has left and when its data lands in a receive; the protocol's RTS and CTS are not.
 */
static int carries_data(const struct mpii_out *o)
{
	uint32_t kind = o->env[0] >> 16;

	return kind == MPII_M_EAGER || kind == MPII_M_DATA;
}

/* Starts and completes the head messages of p's FIFO; returns 1 if anything moved. */
static int out_progress(struct peer *p)
{
	struct mpii_out *o;
	int rc, moved = 0;

	while ((o = p->head)) {
		if (o->state == 1) {
			rc = mpbc_isend(&o->s, p->core, (const struct mpbc_env *)o->env, o->buf,
					o->len);
			if (rc == -EAGAIN)
				break;
			if (rc)
				fail("mpbc_isend", rc);
			o->state = 2;
			moved = 1;
		}
		rc = mpbc_send_test(&o->s);
		if (rc == -EAGAIN)
			break;
		if (rc)
			fail("mpbc_send_test", rc);
		p->head = o->next;
		if (!p->head)
			p->tail = NULL;
		if (carries_data(o))
			tk_count_send(o->len);
		out_done(o);
		moved = 1;
	}
	return moved;
}

static void out_fill(struct mpii_out *o, struct mpii_req *r, int which, int wr, uint32_t w0,
		     uint32_t w1, uint32_t w2, uint32_t w3, const void *buf, size_t len)
{
	o->env[0] = w0;
	o->env[1] = w1;
	o->env[2] = w2;
	o->env[3] = w3;
	o->buf = buf;
	o->len = len;
	o->wr = wr;
	o->req = r;
	o->which = which;
	out_queue(o);
}

/* ---- receiving into requests ---- */

MPII_HOT size_t req_cap(const struct mpii_req *r)
{
	return (size_t)(r->count * r->dt->size);
}

/* Sets the status of r for a message of len bytes; returns the bytes it takes. */
MPII_HOT size_t take(struct mpii_req *r, size_t len)
{
	size_t cap = req_cap(r), n = len < cap ? len : cap;

	r->st.mpii_count = (MPI_Count)n;
	r->err = len > cap ? MPI_ERR_TRUNCATE : MPI_SUCCESS;
	r->st.MPI_ERROR = r->err;
	return n;
}

/* The message whose header came in from p goes into buf (cap bytes): what mpbc_take's
 * place answers, the channel receive for a message of several records being p's. */
MPII_HOT void into(struct peer *p, struct mpbc_place *pl, void *buf, size_t cap, int what)
{
	pl->buf = buf;
	pl->cap = cap;
	pl->rreq = &p->in.r;
	p->in.what = what;
}

/* The data of a matched message goes into r. */
MPII_HOT void start_data(struct peer *p, struct mpii_req *r, size_t len, struct mpbc_place *pl)
{
	size_t n = take(r, len);
	void *dst;

	if (r->dt->contig) {
		dst = (char *)r->buf + r->dt->lb;
	} else {
		r->tmp = mpii_malloc(n);
		if (!r->tmp)
			mpii_fatal(MPI_ERR_NO_MEM, "MPI_ERR_NO_MEM: no memory for a receive buffer");
		dst = r->tmp;
	}
	r->state = MPII_ST_RECVING;
	p->in.req = r;
	into(p, pl, dst, n, IN_REQ);
}

MPII_HOT void data_done(struct mpii_req *r)
{
	if (r->tmp) {
		mpii_unpack(r->tmp, r->st.mpii_count, r->buf, r->count, r->dt);
		free(r->tmp);
		r->tmp = NULL;
	}
	tk_count_recv((uint64_t)r->st.mpii_count);
	finish(r);
}

/* Delivers an arrived unexpected eager message to r. */
static void deliver(struct mpii_req *r, struct mpii_umsg *m)
{
	size_t n = take(r, m->len);

	mpii_unpack(m->buf, (MPI_Count)n, r->buf, r->count, r->dt);
	mpii_umsg_free(m);
	tk_count_recv(n);
	finish(r);
}

/* A receive matched a rendezvous request: clear the sender to send. */
static void send_cts(struct mpii_req *r, int wr, uint32_t cookie, size_t len)
{
	r->len = len;
	r->pwr = wr;
	r->cookie = cookie;
	r->state = MPII_ST_WAIT_DATA;
	out_fill(&r->out[0], r, 0, wr, (uint32_t)(r->comm->ctx + r->ctxoff) | MPII_M_CTS << 16,
		 (uint32_t)r->st.MPI_TAG, (uint32_t)r->handle, cookie, NULL, 0);
}

int mpii_recv_matched(struct mpii_req *r, struct mpii_umsg *m)
{
	r->st.MPI_SOURCE = m->src;
	r->st.MPI_TAG = m->tag;
	mpii_dec_recv_matched(r);
	if (m->kind == MPII_M_RTS) {
		send_cts(r, m->wr, m->cookie, m->len);
		mpii_umsg_free(m);
	} else if (m->arrived) {
		deliver(r, m);
	} else {
		r->state = MPII_ST_UNEXP;
		m->owner = r;
	}
	return MPI_SUCCESS;
}

int mpii_recv_start(struct mpii_req *r)
{
	r->done = r->finished = r->cancelled = 0;
	r->err = MPI_SUCCESS;
	mpii_status_empty(&r->st);
	return mpii_recv_post(r);
}

int mpii_recv_post(struct mpii_req *r)
{
	struct mpii_umsg *m;

	r->active = 1;
	if (r->peer == MPI_PROC_NULL) {
		r->st.MPI_SOURCE = MPI_PROC_NULL;
		r->st.MPI_TAG = MPI_ANY_TAG;
		finish(r);
		return MPI_SUCCESS;
	}
	mpii_dec_recv_post(r);
	if (mpii_tracing())
		tk_trace(TESSERA_TR_RECV_BEGIN, r->peer >= 0 ? mpii_comm_peer_wr(r->comm, r->peer) : -1,
			 r->tag, (uint32_t)(r->comm->ctx + r->ctxoff), 0);
	m = mpii_umsg_find(r->comm->ctx + r->ctxoff, r->peer, r->tag);
	if (m) {
		mpii_umsg_unlink(m);
		return mpii_recv_matched(r, m);
	}
	r->state = MPII_ST_POSTED;
	mpii_posted_add(r);
	return MPI_SUCCESS;
}

int mpii_cancel_recv(struct mpii_req *r)
{
	if (r->kind != MPII_R_RECV || r->done || r->state != MPII_ST_POSTED ||
	    !mpii_posted_remove(r))
		return 0;
	r->cancelled = 1;
	r->st.mpii_cancelled = 1;
	finish(r);
	return 1;
}

/* ---- sending ---- */

int mpii_send_start(struct mpii_req *r)
{
	size_t len;
	int wr;
	uint32_t w0;

	r->done = r->finished = r->cancelled = 0;
	r->err = MPI_SUCCESS;
	r->active = 1;
	if (r->peer == MPI_PROC_NULL) {
		finish(r);
		return MPI_SUCCESS;
	}
	len = (size_t)(r->count * r->dt->size);
	if (r->dt->contig || len == 0) {
		r->sdata = (const char *)r->buf + r->dt->lb;
	} else {
		r->tmp = mpii_malloc(len);
		if (!r->tmp)
			return MPI_ERR_NO_MEM;
		mpii_pack(r->buf, r->count, r->dt, r->tmp, (MPI_Count)len);
		r->sdata = r->tmp;
	}
	r->len = len;
	wr = mpii_comm_peer_wr(r->comm, r->peer);
	r->pwr = wr;
	if (mpii_tracing())
		tk_trace(TESSERA_TR_SEND_BEGIN, wr, r->tag, (uint32_t)(r->comm->ctx + r->ctxoff), len);
	w0 = (uint32_t)(r->comm->ctx + r->ctxoff);
	if (r->mode == MPII_SEND_SYNC || len > MPII_EAGER_MAX) {
		r->state = MPII_ST_RTS;
		r->rts_len = len;
		out_fill(&r->out[0], r, 0, wr, w0 | MPII_M_RTS << 16, (uint32_t)r->tag,
			 (uint32_t)r->comm->rank, (uint32_t)r->handle, &r->rts_len,
			 sizeof(r->rts_len));
	} else {
		r->state = MPII_ST_EAGER;
		out_fill(&r->out[0], r, 0, wr, w0 | MPII_M_EAGER << 16, (uint32_t)r->tag,
			 (uint32_t)r->comm->rank, 0, r->sdata, len);
	}
	return MPI_SUCCESS;
}

/* ---- incoming ---- */

/* A request id from another core: input, so checked before use. */
static struct mpii_req *cookie_req(uint32_t cookie, int kind, int state)
{
	struct mpii_req *r = mpii_handle_get(MPII_K_REQ, (int)cookie);

	return r && r->kind == kind && r->state == state && !r->done ? r : NULL;
}

/*
 * A message that starts an MPI message (eager, or a rendezvous RTS announcing len bytes)
 * has come in from world rank wr: the earliest posted receive it matches, its status source
 * and tag set; or NULL, and *um is a new unexpected record queued for it, with room for
 * the first `room` bytes.
 */
MPII_HOT struct mpii_req *arrival(int kind, int ctx, int src, int tag, int wr, size_t room,
				  size_t len, struct mpii_umsg **um)
{
	struct mpii_req *r = mpii_posted_take(ctx, src, tag);
	struct mpii_umsg *m;

	if (r) {
		r->st.MPI_SOURCE = src;
		r->st.MPI_TAG = tag;
		mpii_dec_recv_matched(r);
		return r;
	}
	m = mpii_umsg_new(room);
	if (!m)
		mpii_fatal(MPI_ERR_NO_MEM, "MPI_ERR_NO_MEM: no memory for an unexpected message");
	m->kind = kind;
	m->ctx = (uint16_t)ctx;
	m->src = src;
	m->tag = tag;
	m->wr = wr;
	m->len = len;
	mpii_umsg_add(m);
	*um = m;
	return NULL;
}

/*
 * An eager message of one record (taken whole by the mpbc_take that shows it) that a
 * contiguous posted receive matches, or that nothing matches: it is over as soon as this
 * place returns (the channel copies it before it shows anything else, and nothing here runs
 * in between), so it completes now, with no in-slot to finish later: the receive is done,
 * the unexpected record arrived. 0: the general path (a receive that unpacks). Not for a
 * traced job (the caller's test): its receive's end is recorded once the channel has taken
 * the record, which under virtual time moves the clock to the record's landing.
 */
MPII_HOT int eager_whole(struct mpii_req *r, struct mpii_umsg *m, size_t len,
			 struct mpbc_place *pl)
{
	if (!r) {
		m->arrived = 1;
		pl->buf = m->buf;
		pl->cap = len;
		return 1;
	}
	if (!r->dt->contig)
		return 0;
	pl->buf = (char *)r->buf + r->dt->lb;
	pl->cap = take(r, len);
	r->state = MPII_ST_RECVING;
	data_done(r);
	return 1;
}

/* Where the message whose header came in from p goes (for mpbc_take): matched to a posted
 * receive or queued as unexpected if it starts an MPI message; its request found if it
 * carries rendezvous data. 1 if it is complete once taken (eager_whole): nothing to finish. */
static int on_header(struct peer *p, int wr, const uint32_t *env, size_t len,
		     struct mpbc_place *pl)
{
	int kind = (int)(env[0] >> 16), ctx = (int)(env[0] & 0xffff);
	int tag = (int)env[1], src = (int)env[2];
	struct mpii_req *r;
	struct mpii_umsg *m = NULL;

	switch (kind) {
	case MPII_M_EAGER:
		r = arrival(MPII_M_EAGER, ctx, src, tag, wr, len, len, &m);
		if (pl->whole && !mpii_tracing() && eager_whole(r, m, len, pl))
			return 1;
		if (r) {
			start_data(p, r, len, pl);
			return 0;
		}
		p->in.msg = m;
		into(p, pl, m->buf, len, IN_UNEXP);
		return 0;
	case MPII_M_RTS:	/* its envelope is needed once its length has come */
		memcpy(p->in.env, env, sizeof(p->in.env));
		p->in.ctl = 0;
		into(p, pl, &p->in.ctl, sizeof(p->in.ctl), IN_RTS);
		return 0;
	case MPII_M_CTS:	/* answered once consumed */
		memcpy(p->in.env, env, sizeof(p->in.env));
		into(p, pl, NULL, 0, IN_CTS);
		return 0;
	case MPII_M_DATA:
		r = cookie_req(env[3], MPII_R_RECV, MPII_ST_WAIT_DATA);
		if (r && r->pwr == wr) {
			start_data(p, r, len, pl);
			return 0;
		}
		into(p, pl, NULL, 0, IN_DISCARD);
		return 0;
	default:
		into(p, pl, NULL, 0, IN_DISCARD);
		return 0;
	}
}

/* The message coming in from p is all there: it completes what it was for. */
MPII_HOT void in_done(struct peer *p)
{
	struct inslot *in = &p->in;
	struct mpii_umsg *m;
	struct mpii_req *r;

	in->busy = 0;
	switch (in->what) {
	case IN_REQ:
		data_done(in->req);
		break;
	case IN_UNEXP:
		m = in->msg;
		m->arrived = 1;
		if (m->owner)
			deliver(m->owner, m);
		break;
	case IN_RTS:
		r = arrival(MPII_M_RTS, (int)(in->env[0] & 0xffff), (int)in->env[2],
			    (int)in->env[1], (int)(p - peers), 0, (size_t)in->ctl, &m);
		if (r) {
			send_cts(r, (int)(p - peers), in->env[3], (size_t)in->ctl);
			break;
		}
		m->cookie = in->env[3];
		m->arrived = 1;
		break;
	case IN_CTS:
		r = cookie_req(in->env[3], MPII_R_SEND, MPII_ST_RTS);
		if (!r)
			break;
		r->state = MPII_ST_DATA;
		r->cookie = in->env[2];
		out_fill(&r->out[1], r, 1, r->pwr, (uint32_t)(r->comm->ctx + r->ctxoff) |
			 MPII_M_DATA << 16, (uint32_t)r->tag, (uint32_t)r->comm->rank, r->cookie,
			 r->sdata, r->len);
		break;
	default:
		break;
	}
}

/* Completes the message coming in from p once the channel has all of it. 1 if it did. */
MPII_HOT int in_test(struct peer *p)
{
	int rc;

	if (!p->in.busy)
		return 0;
	if (!p->in.whole) {
		rc = mpbc_recv_test(&p->in.r);
		if (rc == -EAGAIN)
			return 0;
		if (rc)
			fail("mpbc_recv_test", rc);
	}
	in_done(p);
	return 1;
}

/* mpbc_take's place for the messages a pass takes: the peer the message comes from goes to
 * *arg, what it goes into to pl. */
static int place(void *arg, uint32_t from, const struct mpbc_env *env, size_t len,
		 struct mpbc_place *pl)
{
	struct peer *p;

	if (from >= TESSERA_MAX_CORES || !peer_of_core[from])
		fail("mpbc_take", -EPROTO);
	p = peer_of_core[from];
	/* The channel has all of the message before this one (it shows a source's next
	 * header only then): taken whole by this call, or finished maybe inside this pass (a
	 * send's test runs the channel's progress). It completes before its slot takes the
	 * next. */
	if (p->in.busy && !in_test(p))
		fail("mpbc_take", -EPROTO);
	if (!on_header(p, (int)(p - peers), env->w, len, pl)) {
		p->in.busy = 1;
		p->in.whole = pl->whole;
	}
	*(struct peer **)arg = p;
	return 1;
}

/* Takes the messages that have come from core src, or from the one a search finds
 * (MPBC_ANY_SOURCE), MPII_DRAIN_MAX at most before the other sources get their turn (a
 * stream's next messages are looked at directly, with no search). 1 if there were any. */
MPII_HOT int in_take(int src)
{
	struct peer *p;
	int rc = mpbc_take(src, MPII_DRAIN_MAX, place, &p);

	if (rc == -EAGAIN)
		return 0;
	if (rc <= 0)
		fail("mpbc_take", rc);
	/* the last one, unless complete already (a receive of several records may have all
	 * of them) */
	if (p->in.busy && !in_test(p))
		activate(p);
	return 1;
}

/* One pass: the peers with something in flight (messages coming in, messages going out),
 * then the new messages of every source, which the channel finds from its source bits
 * (fairly: its search starts past the last source served). 1 if anything moved. */
static int pass(void)
{
	struct peer *p;
	int moved = 0, i;

	mpbc_progress();
	for (i = 0; i < nactive; i++) {
		p = active[i];
		moved |= in_test(p);
		if (p->head)
			moved |= out_progress(p);
	}
	for (i = 0; i < nactive;) {
		p = active[i];
		if (p->in.busy || p->head) {
			i++;
			continue;
		}
		p->listed = 0;
		active[i] = active[--nactive];
	}
	while (in_take(MPBC_ANY_SOURCE))
		moved = 1;
	return moved;
}

/* Passes until one moves nothing (here, not in the caller's loop: one call per
 * mpii_progress on the point-to-point fast path), or until nothing is in flight: a pass
 * takes every message that has come, so another would only look at empty rings. */
int mpii_engine_poll(void)
{
	int any = 0;

	while (pass()) {
		any = 1;
		if (!nactive)
			break;
	}
	return any;
}

void mpii_idle(void)
{
	tk_vt_enter();
	mpbc_wait();
	tk_vt_leave();
}

int mpii_idle_from(int wr)
{
	return mpbc_wait_from((int)peers[wr].core);
}

void mpii_idle_ack(void)
{
	mpbc_ack_flush();
}

/* ---- the fast path (see the top of this file) ---- */

int mpii_send_now(int wr, uint32_t ctx, int tag, int rank, const void *buf, size_t len)
{
	struct peer *p = &peers[wr];
	struct mpbc_env env = { { ctx | MPII_M_EAGER << 16, (uint32_t)tag, (uint32_t)rank, 0 } };
	int rc;

	if (p->head || len > MPII_EAGER_MAX)
		return 0;
	rc = mpbc_send_now(p->core, &env, buf, len);
	if (rc == -EAGAIN)
		return 0;
	if (rc)
		fail("mpbc_send_now", rc);
	tk_count_send(len);
	return 1;
}

/* What a receive on the fast path wants (mpii_recv_now), and what it got. */
struct want {
	uint32_t w0;		/* context id | eager */
	int src, tag;
	void *buf;
	size_t cap;
	int got_tag;
	size_t len;
};

/* mpbc_take's place for mpii_recv_now: takes a matching eager message that fits. */
static int place_now(void *arg, uint32_t from, const struct mpbc_env *env, size_t len,
		     struct mpbc_place *pl)
{
	struct want *w = arg;

	(void)from;
	if (env->w[0] != w->w0 || (int)env->w[2] != w->src ||
	    (w->tag != MPI_ANY_TAG && (int)env->w[1] != w->tag) || len > w->cap || !pl->whole)
		return 0;
	w->got_tag = (int)env->w[1];
	w->len = len;
	pl->buf = w->buf;
	pl->cap = len;
	return 1;
}

int mpii_recv_now(int wr, uint32_t ctx, int src, int tag, void *buf, size_t cap,
		  MPI_Status *st)
{
	struct peer *p = &peers[wr];
	struct want w = { ctx | MPII_M_EAGER << 16, src, tag, buf, cap, 0, 0 };
	int rc;

	if (p->in.busy)
		return -1;
	rc = mpbc_take((int)p->core, 1, place_now, &w);
	if (rc == -EAGAIN)
		return 0;
	if (rc == 0)
		return -1;	/* not this one, or more than one record */
	if (rc != 1)
		fail("mpbc_take", rc);
	st->MPI_SOURCE = src;
	st->MPI_TAG = w.got_tag;
	st->MPI_ERROR = MPI_SUCCESS;
	st->mpii_count = (MPI_Count)w.len;
	st->mpii_cancelled = 0;
	tk_count_recv(w.len);
	return 1;
}
