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
 *
 * A blocking collective's schedule is eager (mpii_coll_sched): it runs as it is built. Each
 * step starts when the builder adds it, exactly as its round would start it, and the end of
 * a round waits there for the round's messages; nothing is kept but the messages in flight.
 * The messages, their order and the operands' order are the schedule's, so the same builder
 * serves both kinds of call, and a blocking collective costs no request, no step list and no
 * passes of the progress engine over it (for a one-double allreduce those were most of the
 * cost a rank paid). An eager schedule has no call steps: a call may add steps behind the
 * builder's, which only a list can order.
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
					  .tmpcap = keep.tmpcap, .area = keep.area };
	} else if (!(s = calloc(1, sizeof(*s)))) {
		return NULL;
	}
	s->comm = mpii_comm_ref(c);
	/* c's next collective's sequence number, or MPI_Comm_create_group's fixed tag */
	s->tag = c->fixed_tag ? c->fixed_tag : (int)(c->coll_seq++ & 0x3fffffff);
	return s;
}

static int32_t coll_tag(const struct mpii_sched *s);

struct mpii_sched *mpii_sched_blocking(struct mpii_comm *c, const char *name, int step)
{
	struct mpii_sched *s = mpii_sched_new(c);

	if (!s)
		return NULL;
	s->eager = 1;
	s->name = name;
	s->step = step;
	/* its trace records frame its messages, as mpii_sched_run's frame a listed one's */
	s->trace_tag = mpii_tracing() ? coll_tag(s) : 0;
	if (s->trace_tag)
		tk_trace(TESSERA_TR_COLL_BEGIN, -1, s->trace_tag, (uint32_t)s->comm->ctx, 0);
	return s;
}

struct mpii_sched *mpii_coll_sched(struct mpii_comm *c, MPI_Request *req, const char *fname)
{
	return req ? mpii_sched_new(c) : mpii_sched_blocking(c, fname, 0);
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
	free(s->area);
	free(s->ops);
	free(s->pend);
	free(s);
}

/* Small buffers come from the schedule's area (kept with it in the cache: a short
 * collective's work buffers cost no malloc), the rest from the heap. */
void *mpii_sched_tmp(struct mpii_sched *s, size_t bytes)
{
	void *p;

	/* area_used stays a multiple of the alignment, as the area's size is one */
	if (bytes <= MPII_SCHED_AREA - s->area_used &&
	    (s->area || (s->area = malloc(MPII_SCHED_AREA)))) {
		p = s->area + s->area_used;
		s->area_used += (bytes + MPII_SCHED_ALIGN - 1) & ~(size_t)(MPII_SCHED_ALIGN - 1);
		return p;
	}
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

/* A step of kind on the schedule's communicator and tag, its other fields given. */
#define STEP(s, k, ...) ((struct mpii_sop){ .kind = (k), .comm = (s)->comm, .tag = (s)->tag, \
					    .ctxoff = 1, __VA_ARGS__ })

/* Both inlined where steps are added (MPII_HOT): an eager schedule's step then costs about
 * what a send or receive made by hand does (its fields go straight to the call that starts
 * it). */
MPII_HOT void start_op(struct mpii_sched *s, struct mpii_sop *o, int index);

/* Adds step o: an eager schedule starts it now (what it starts holds its own references);
 * another lists it, holding its types and operation until the schedule is freed. */
MPII_HOT int add(struct mpii_sched *s, const struct mpii_sop *o)
{
	struct mpii_sop *l;

	if (s->eager) {
		start_op(s, (struct mpii_sop *)o, -1);
		return MPI_SUCCESS;
	}
	if (s->nops == s->cap) {
		int cap = s->cap ? 2 * s->cap : 16;
		struct mpii_sop *p = realloc(s->ops, (size_t)cap * sizeof(*p));

		if (!p)
			return MPI_ERR_NO_MEM;
		s->ops = p;
		s->cap = cap;
	}
	l = &s->ops[s->nops++];
	*l = *o;
	mpii_dtype_ref(l->t);
	mpii_dtype_ref(l->t2);
	if (l->op)
		mpii_op_ref(l->op);
	return MPI_SUCCESS;
}

struct mpii_comm *mpii_sched_use(struct mpii_sched *s, struct mpii_comm *c)
{
	struct mpii_comm *prev = s->comm;

	s->comm = c;
	return prev;
}

int mpii_sched_call(struct mpii_sched *s, mpii_sched_fn *fn, void *arg)
{
	if (s->eager)
		return MPI_ERR_INTERN;	/* (the top of this file) */
	return add(s, &STEP(s, MPII_S_CALL, .fn = fn, .arg = arg));
}

int mpii_sched_xfer(struct mpii_sched *s, int recv, struct mpii_comm *c, int ctxoff, int tag,
		    void *buf, MPI_Count count, struct mpii_dtype *t, int peer)
{
	return add(s, &(struct mpii_sop){ .kind = recv ? MPII_S_RECV : MPII_S_SEND, .comm = c,
					  .ctxoff = ctxoff, .tag = tag, .sbuf = buf, .buf = buf,
					  .count = count, .t = t, .peer = peer });
}

int mpii_sched_send(struct mpii_sched *s, const void *buf, MPI_Count count,
		    struct mpii_dtype *t, int peer)
{
	return add(s, &STEP(s, MPII_S_SEND, .sbuf = buf, .count = count, .t = t, .peer = peer));
}

int mpii_sched_recv(struct mpii_sched *s, void *buf, MPI_Count count, struct mpii_dtype *t,
		    int peer)
{
	return add(s, &STEP(s, MPII_S_RECV, .buf = buf, .count = count, .t = t, .peer = peer));
}

int mpii_sched_reduce(struct mpii_sched *s, const void *in, void *inout, MPI_Count count,
		      struct mpii_dtype *t, struct mpii_op *op)
{
	return add(s, &STEP(s, MPII_S_REDUCE, .sbuf = in, .buf = inout, .count = count, .t = t,
			    .op = op));
}

int mpii_sched_copy(struct mpii_sched *s, const void *src, MPI_Count scount,
		    struct mpii_dtype *st, void *dst, MPI_Count dcount, struct mpii_dtype *dt)
{
	return add(s, &STEP(s, MPII_S_COPY, .sbuf = src, .count = scount, .t = st, .buf = dst,
			    .count2 = dcount, .t2 = dt));
}

/* The messages of an eager schedule's round, waited for one after another (each wait moves
 * all the others, and every other MPI operation in flight, as any wait does). */
static void eager_wait(struct mpii_sched *s)
{
	for (int i = 0; i < s->npend; i++) {
		struct mpii_req *r = s->pend[i];

		if (mpii_wait(r) && !s->err)
			s->err = r->err;
		mpii_req_destroy(r);
	}
	s->npend = 0;
}

int mpii_sched_round(struct mpii_sched *s)
{
	if (s->eager) {
		eager_wait(s);
		return MPI_SUCCESS;
	}
	if (s->nops == 0 || s->ops[s->nops - 1].kind == MPII_S_END)
		return MPI_SUCCESS;
	return add(s, &STEP(s, MPII_S_END));
}

/* The end of an eager schedule: its last round's messages, then its error. */
static int eager_end(struct mpii_sched *s, int rc)
{
	eager_wait(s);
	if (s->trace_tag)
		tk_trace(TESSERA_TR_COLL_END, -1, s->trace_tag, (uint32_t)s->comm->ctx, 0);
	rc = rc ? rc : s->err;
	mpii_sched_free(s);
	return rc;
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
	if (s->npend == s->npcap && room(&s->pend, s->npend, &s->npcap, sizeof(*s->pend)))
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

/* Starts step o, s->ops[index] when it is listed (a call may add steps, moving s->ops: o is
 * not used after it). */
MPII_HOT void start_op(struct mpii_sched *s, struct mpii_sop *o, int index)
{
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
				start_op(s, &s->ops[i], i);
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
	int32_t tag = mpii_tracing() ? coll_tag(s) : 0;
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
	if (s->eager)
		return eager_end(s, rc);
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
