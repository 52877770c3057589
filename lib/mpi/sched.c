/* SPDX-License-Identifier: MIT */
/*
 * sched.c: collective schedules. A collective is built once as a list of steps (send,
 * receive, reduce, copy) cut into rounds; the sends and receives of a round are started
 * together, local steps run when their round starts, and a round starts when every message
 * of the one before has completed. Blocking and non-blocking collectives share the schedule:
 * mpii_progress() advances every active one. Messages go on the communicator's collective
 * context with the collective's sequence number as tag, so concurrent non-blocking
 * collectives (called in the same order everywhere, as MPI requires) never mix.
 *
 * A step may also be a call of the builder's own (MPII_S_CALL, mpii_impl.h): local work that
 * decides what comes next from what the messages brought, adding those steps as it runs
 * (two-phase MPI-IO is built this way, file_coll.c), or that polls a condition until it holds.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "mpii_impl.h"
#include "tk.h"

int mpii_oversubscribed(void)
{
	const struct tessera_bootinfo *bi = tk_bootinfo();

	return bi->host_cpus && bi->nranks > bi->host_cpus;
}

/* Freed schedules kept with their arrays (steps, pending requests, calls, buffers' list),
 * so that a collective costs no malloc/free but its buffers'. */
static struct mpii_sched *sched_cache[MPII_SCHED_CACHE];
static int nsched_cache;

struct mpii_sched *mpii_sched_new(struct mpii_comm *c)
{
	struct mpii_sched *s;

	if (nsched_cache) {
		struct mpii_sched keep;

		s = sched_cache[--nsched_cache];
		keep = *s;
		*s = (struct mpii_sched){ .ops = keep.ops, .cap = keep.cap, .pend = keep.pend,
					  .npcap = keep.npcap, .calls = keep.calls,
					  .ccap = keep.ccap, .tmps = keep.tmps,
					  .tmpcap = keep.tmpcap };
	} else if (!(s = calloc(1, sizeof(*s)))) {
		return NULL;
	}
	s->comm = mpii_comm_ref(c);
	s->tag = mpii_coll_next_tag(c);
	return s;
}

int mpii_coll_next_tag(struct mpii_comm *c)
{
	return c->fixed_tag ? c->fixed_tag : (int)(c->coll_seq++ & 0x3fffffff);
}

int mpii_direct_xchg(const struct mpii_direct *d, const void *buf, int to, void *in, int from)
{
	struct mpii_req *rr = NULL, *sr = NULL;
	int rc = 0, rc2 = 0;

	if (from >= 0)
		rc = mpii_irecv(in, d->count, d->t, from, d->tag, d->c, 1, &rr);
	if (!rc && to >= 0)
		rc = mpii_isend_light(buf, d->count, d->t, to, d->tag, d->c, 1, &sr);
	if (sr && sr != &mpii_req_sent) {	/* (that one has gone already) */
		rc2 = mpii_wait(sr);
		mpii_req_destroy(sr);
	}
	if (rr) {
		int rc3 = mpii_wait(rr);

		rc2 = rc2 ? rc2 : rc3;
		mpii_req_destroy(rr);
	}
	return rc ? rc : rc2;
}

void mpii_sched_free(struct mpii_sched *s)
{
	int i;

	for (i = 0; i < s->npend; i++)
		mpii_req_destroy(s->pend[i]);
	for (i = 0; i < s->nops; i++) {
		mpii_dtype_unref(s->ops[i].t);
		mpii_dtype_unref(s->ops[i].t2);
		mpii_op_unref(s->ops[i].op);
	}
	for (i = 0; i < s->ntmps; i++)
		free(s->tmps[i]);
	mpii_comm_unref(s->comm);
	if (nsched_cache < MPII_SCHED_CACHE) {
		sched_cache[nsched_cache++] = s;
		return;
	}
	free(s->calls);
	free(s->tmps);
	free(s->ops);
	free(s->pend);
	free(s);
}

void *mpii_sched_tmp(struct mpii_sched *s, size_t bytes)
{
	void *p;

	if (s->ntmps == s->tmpcap) {
		int cap = s->tmpcap ? 2 * s->tmpcap : 8;
		void **t = realloc(s->tmps, (size_t)cap * sizeof(*t));

		if (!t)
			return NULL;
		s->tmps = t;
		s->tmpcap = cap;
	}
	p = mpii_malloc(bytes);
	if (p)
		s->tmps[s->ntmps++] = p;
	return p;
}

static struct mpii_sop *push(struct mpii_sched *s, int kind)
{
	struct mpii_sop *o;

	if (s->nops == s->cap) {
		int cap = s->cap ? 2 * s->cap : 16;
		struct mpii_sop *p = realloc(s->ops, (size_t)cap * sizeof(*p));

		if (!p)
			return NULL;
		s->ops = p;
		s->cap = cap;
	}
	o = &s->ops[s->nops++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->comm = s->comm;	/* the schedule's, or the one mpii_sched_use() chose */
	o->tag = s->tag;
	o->ctxoff = 1;
	return o;
}

struct mpii_comm *mpii_sched_use(struct mpii_sched *s, struct mpii_comm *c)
{
	struct mpii_comm *prev = s->comm;

	s->comm = c;
	return prev;
}

int mpii_sched_call(struct mpii_sched *s, mpii_sched_fn *fn, void *arg)
{
	struct mpii_sop *o = push(s, MPII_S_CALL);

	if (!o)
		return MPI_ERR_NO_MEM;
	o->fn = fn;
	o->arg = arg;
	return MPI_SUCCESS;
}

int mpii_sched_xfer(struct mpii_sched *s, int recv, struct mpii_comm *c, int ctxoff, int tag,
		    void *buf, MPI_Count count, struct mpii_dtype *t, int peer)
{
	struct mpii_sop *o = push(s, recv ? MPII_S_RECV : MPII_S_SEND);

	if (!o)
		return MPI_ERR_NO_MEM;
	o->comm = c;
	o->ctxoff = ctxoff;
	o->tag = tag;
	o->sbuf = buf;
	o->buf = buf;
	o->count = count;
	o->t = mpii_dtype_ref(t);
	o->peer = peer;
	return MPI_SUCCESS;
}

int mpii_sched_send(struct mpii_sched *s, const void *buf, MPI_Count count,
		    struct mpii_dtype *t, int peer)
{
	struct mpii_sop *o = push(s, MPII_S_SEND);

	if (!o)
		return MPI_ERR_NO_MEM;
	o->sbuf = buf;
	o->count = count;
	o->t = mpii_dtype_ref(t);
	o->peer = peer;
	return MPI_SUCCESS;
}

int mpii_sched_recv(struct mpii_sched *s, void *buf, MPI_Count count, struct mpii_dtype *t,
		    int peer)
{
	struct mpii_sop *o = push(s, MPII_S_RECV);

	if (!o)
		return MPI_ERR_NO_MEM;
	o->buf = buf;
	o->count = count;
	o->t = mpii_dtype_ref(t);
	o->peer = peer;
	return MPI_SUCCESS;
}

int mpii_sched_reduce(struct mpii_sched *s, const void *in, void *inout, MPI_Count count,
		      struct mpii_dtype *t, struct mpii_op *op)
{
	struct mpii_sop *o = push(s, MPII_S_REDUCE);

	if (!o)
		return MPI_ERR_NO_MEM;
	o->sbuf = in;
	o->buf = inout;
	o->count = count;
	o->t = mpii_dtype_ref(t);
	o->op = mpii_op_ref(op);
	return MPI_SUCCESS;
}

int mpii_sched_copy(struct mpii_sched *s, const void *src, MPI_Count scount,
		    struct mpii_dtype *st, void *dst, MPI_Count dcount, struct mpii_dtype *dt)
{
	struct mpii_sop *o = push(s, MPII_S_COPY);

	if (!o)
		return MPI_ERR_NO_MEM;
	o->sbuf = src;
	o->count = scount;
	o->t = mpii_dtype_ref(st);
	o->buf = dst;
	o->count2 = dcount;
	o->t2 = mpii_dtype_ref(dt);
	return MPI_SUCCESS;
}

int mpii_sched_round(struct mpii_sched *s)
{
	if (s->nops == 0 || s->ops[s->nops - 1].kind == MPII_S_END)
		return MPI_SUCCESS;
	return push(s, MPII_S_END) ? MPI_SUCCESS : MPI_ERR_NO_MEM;
}

/* Room for item n of the array *arr of elem-sized items (capacity *cap, doubled as it
 * fills): 0 or MPI_ERR_NO_MEM. */
static int room(void *arr, int n, int *cap, size_t elem)
{
	void **a = arr, *p;

	if (n < *cap)
		return MPI_SUCCESS;
	p = realloc(*a, (size_t)(*cap ? 2 * *cap : 8) * elem);
	if (!p)
		return MPI_ERR_NO_MEM;
	*a = p;
	*cap = *cap ? 2 * *cap : 8;
	return MPI_SUCCESS;
}

static int add_pend(struct mpii_sched *s, struct mpii_req *r)
{
	if (room(&s->pend, s->npend, &s->npcap, sizeof(*s->pend)))
		return MPI_ERR_NO_MEM;
	s->pend[s->npend++] = r;
	return MPI_SUCCESS;
}

/* A call step that said AGAIN: polled until it is done, before its round may end. */
static int add_call(struct mpii_sched *s, int index)
{
	if (room(&s->calls, s->ncalls, &s->ccap, sizeof(*s->calls)))
		return MPI_ERR_NO_MEM;
	s->calls[s->ncalls++] = index;
	return MPI_SUCCESS;
}

/* Starts step `index` (a call may add steps, moving s->ops: o is not used after it). */
static void start_op(struct mpii_sched *s, int index)
{
	struct mpii_sop *o = &s->ops[index];
	struct mpii_comm *c = o->comm;
	struct mpii_req *r = NULL;
	int rc = MPI_SUCCESS;

	switch (o->kind) {
	case MPII_S_SEND:
		rc = mpii_isend_light(o->sbuf, o->count, o->t, o->peer, o->tag, c, o->ctxoff, &r);
		if (r == &mpii_req_sent)
			r = NULL;	/* gone already: nothing to wait for */
		break;
	case MPII_S_RECV:
		rc = mpii_irecv(o->buf, o->count, o->t, o->peer, o->tag, c, o->ctxoff, &r);
		break;
	case MPII_S_CALL:
		/* may append to s->ops (moving o): nothing of o is used after it */
		rc = o->fn(s, o->arg);
		if (rc == MPII_SCHED_AGAIN)
			rc = add_call(s, index);
		break;
	case MPII_S_REDUCE:
		mpii_op_apply(o->op, o->sbuf, o->buf, o->count, o->t);
		break;
	case MPII_S_COPY:
		if (mpii_copy(o->sbuf, o->count, o->t, o->buf, o->count2, o->t2) < 0)
			rc = MPI_ERR_NO_MEM;
		break;
	}
	if (!rc && r)
		rc = add_pend(s, r);
	if (rc && !s->err)
		s->err = rc;
}

/* Polls the call steps of this round that said AGAIN; 1 when none is left. */
static int calls_done(struct mpii_sched *s)
{
	for (int i = 0; i < s->ncalls;) {
		struct mpii_sop *o = &s->ops[s->calls[i]];
		int rc = o->fn(s, o->arg);

		if (rc == MPII_SCHED_AGAIN) {
			i++;
			continue;
		}
		if (rc && !s->err)
			s->err = rc;
		s->calls[i] = s->calls[--s->ncalls];
	}
	return s->ncalls == 0;
}

int mpii_sched_progress(struct mpii_sched *s)
{
	int i;

	for (;;) {
		if (!s->started) {
			if (s->cur >= s->nops)
				return 1;
			for (i = s->cur; i < s->nops && s->ops[i].kind != MPII_S_END; i++)
				start_op(s, i);
			/* past the round's end; at the end of the list stay there: a call may
			 * still add the steps that follow */
			s->cur = i < s->nops ? i + 1 : i;
			s->started = 1;
		}
		if (s->ncalls && !calls_done(s))
			return 0;
		for (i = 0; i < s->npend; i++)
			if (!s->pend[i]->done)
				return 0;
		for (i = 0; i < s->npend; i++) {
			if (s->pend[i]->err && !s->err)
				s->err = s->pend[i]->err;
			mpii_req_destroy(s->pend[i]);
		}
		s->npend = 0;
		s->started = 0;
	}
}

/* The trace's name for a collective, from the MPI function that built it. */
static uint32_t coll_kind(const char *name)
{
	static const struct {
		const char *fn;
		uint32_t kind;
	} map[] = {
		{ "Barrier", TESSERA_COLL_BARRIER }, { "Bcast", TESSERA_COLL_BCAST },
		{ "Allreduce", TESSERA_COLL_ALLREDUCE }, { "Reduce_scatter", TESSERA_COLL_REDUCE_SCATTER },
		{ "Reduce", TESSERA_COLL_REDUCE }, { "Allgather", TESSERA_COLL_ALLGATHER },
		{ "Gather", TESSERA_COLL_GATHER }, { "Scatter", TESSERA_COLL_SCATTER },
		{ "Alltoall", TESSERA_COLL_ALLTOALL }, { "Exscan", TESSERA_COLL_EXSCAN },
		{ "Scan", TESSERA_COLL_SCAN },
		{ "Neighbor_allgather", TESSERA_COLL_NEIGHBOR_ALLGATHER },
		{ "Neighbor_alltoall", TESSERA_COLL_NEIGHBOR_ALLTOALL },
	};

	if (!name || strncmp(name, "MPI_", 4))
		return TESSERA_COLL_OTHER;
	name += 4;
	if (name[0] == 'I' && name[1] >= 'a' && name[1] <= 'z')
		name++;		/* MPI_Iallreduce: I + allreduce */
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strncasecmp(name, map[i].fn, strlen(map[i].fn)))
			return map[i].kind;
	return TESSERA_COLL_OTHER;
}

/* The trace's tag for a collective: its kind; for one the library runs inside another MPI
 * call, also what it is for and that call (board.h, TESSERA_TRACE_COLL_TAG). */
int32_t mpii_coll_tag(const char *name, int step)
{
#define CALL(name) name,
	static const char *const call[] = { TESSERA_TRACE_CALLS(CALL) };
#undef CALL
	uint32_t kind = coll_kind(name), c = 0;

	if (!step)
		return (int32_t)kind;
	for (size_t i = 0; mpii_call && i < sizeof(call) / sizeof(call[0]) && !c; i++)
		if (!strcmp(mpii_call, call[i]))
			c = (uint32_t)i + 1;
	return TESSERA_TRACE_COLL_TAG(kind, step, c);
}

/* every user-facing collective names its schedule: one without a name is ours */
static int32_t coll_tag(const struct mpii_sched *s)
{
	return mpii_coll_tag(s->name, s->step ? s->step : s->name ? TESSERA_STEP_NONE :
								    TESSERA_STEP_INTERNAL);
}

struct mpii_req *mpii_sched_start(struct mpii_sched *s, int kind)
{
	struct mpii_req *r = mpii_req_new(kind);

	if (!r) {
		mpii_sched_free(s);
		return NULL;
	}
	r->sched = s;
	r->comm = mpii_comm_ref(s->comm);
	r->ctxoff = 1;
	r->active = 1;
	mpii_nb_add(r);
	return r;
}

int mpii_sched_run(struct mpii_sched *s, MPI_Request *req)
{
	int32_t tag = tk_tracing() ? coll_tag(s) : 0;
	struct mpii_req *r = mpii_sched_start(s, MPII_R_COLL);
	int rc;

	if (!r)
		return MPI_ERR_NO_MEM;
	if (req) {
		*req = r->handle;
		mpii_progress();
		return MPI_SUCCESS;
	}
	if (tag)
		tk_trace(TESSERA_TR_COLL_BEGIN, -1, tag, (uint32_t)s->comm->ctx, 0);
	rc = mpii_wait(r);
	if (tag)
		tk_trace(TESSERA_TR_COLL_END, -1, tag, (uint32_t)s->comm->ctx, 0);
	mpii_req_destroy(r);
	return rc;
}

int mpii_sched_finish(struct mpii_sched *s, int rc, MPI_Request *req)
{
	if (rc) {
		mpii_sched_free(s);
		return rc;
	}
	return mpii_sched_run(s, req);
}

int mpii_coll_run(struct mpii_comm *c, struct mpii_sched *s, int rc, MPI_Request *req,
		  const char *fname)
{
	s->name = fname;
	rc = mpii_sched_finish(s, rc, req);
	return rc ? mpii_raise(c, rc, fname) : MPI_SUCCESS;
}

/* ---- shared checks ---- */

int mpii_coll_comm(MPI_Comm h, struct mpii_comm **out, int intra_only)
{
	*out = mpii_comm_get(h);
	if (!*out)
		return MPI_ERR_COMM;
	if (intra_only && (*out)->inter)
		return MPI_ERR_COMM;	/* the rest dispatch to coll_inter.c before asking */
	return MPI_SUCCESS;
}

int mpii_coll_check(MPI_Comm comm, int count, MPI_Datatype datatype, struct mpii_comm **c,
		    struct mpii_dtype **t)
{
	int rc = mpii_coll_comm(comm, c, 1);

	if (rc)
		return rc;
	if ((rc = mpii_check_count(count)))
		return rc;
	return mpii_dtype_check(datatype, t) ? MPI_ERR_TYPE : MPI_SUCCESS;
}

int mpii_coll_check_op(MPI_Comm comm, const void *sbuf, int count, MPI_Datatype datatype,
		       MPI_Op op, struct mpii_comm **c, struct mpii_dtype **t, struct mpii_op **o)
{
	int rc = mpii_coll_check(comm, count, datatype, c, t);

	if (rc)
		return rc;
	*o = mpii_handle_get(MPII_K_OP, op);
	if (!*o || mpii_op_check_reduce(*o, *t))
		return MPI_ERR_OP;
	if (sbuf != MPI_IN_PLACE && mpii_check_buf(sbuf, count, *t))
		return MPI_ERR_BUFFER;
	return MPI_SUCCESS;
}

int mpii_check_root(struct mpii_comm *c, int root)
{
	return root >= 0 && root < c->size ? MPI_SUCCESS : MPI_ERR_ROOT;
}

int mpii_check_count(int count)
{
	return count >= 0 ? MPI_SUCCESS : MPI_ERR_COUNT;
}

int mpii_sched_tmpbuf(struct mpii_sched *s, MPI_Count count, struct mpii_dtype *t, void **out)
{
	MPI_Aint ext = mpii_extent(t), span;
	char *p;

	span = count > 0 ? (t->true_ub - t->true_lb) + (MPI_Aint)(count - 1) * (ext > 0 ? ext : 0) : 0;
	p = mpii_sched_tmp(s, (size_t)span);
	if (!p)
		return MPI_ERR_NO_MEM;
	*out = p - t->true_lb;
	return MPI_SUCCESS;
}
