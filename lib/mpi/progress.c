/* SPDX-License-Identifier: MIT */
/*
 * progress.c: making progress and waiting. mpii_progress() is the one loop every MPI call
 * that waits or tests runs: it polls the message engine (engine.c) and advances the
 * schedules of active non-blocking operations until nothing moves; mpii_wait() blocks on
 * one request, halting the core in between (never spinning) and publishing what it waits
 * for to the host (`tessera ps`, the deadlock detector).
 *
 * Something else that must advance inside MPI calls hooks into mpii_progress() as the
 * schedules do: a step that returns nonzero when it moved, so that the engine looks again
 * before the caller may halt; and mpii_progress_pending() says whether it has work, since
 * the fast path of a blocking receive (recv.c) waits without mpii_progress while nothing
 * but its own message is in flight.
 */
#include "mpii_impl.h"
#include "tk.h"

/* Requests with a schedule to advance: collectives, Comm_idup and collective MPI-IO
 * (newest first). */
static struct mpii_req *nb_head;

void mpii_nb_add(struct mpii_req *r)
{
	r->nbnext = nb_head;
	nb_head = r;
}

static int nb_progress(void)
{
	struct mpii_req **pp = &nb_head, *r;
	int moved = 0;

	while ((r = *pp)) {
		int cur = r->sched ? r->sched->cur : 0;

		if (r->sched && mpii_sched_progress(r->sched)) {
			*pp = r->nbnext;
			r->err = r->sched->err;
			mpii_req_complete(r);
			moved = 1;
			continue;
		}
		/* a new round posted messages: the caller must look at them before halting */
		if (r->sched && r->sched->cur != cur)
			moved = 1;
		pp = &r->nbnext;
	}
	return moved;
}

int mpii_progress_pending(void)
{
	return nb_head != NULL || mpii_win_active();
}

/* Runs until a pass of the engine, the schedules and the one-sided service moves nothing:
 * a schedule that moved or a request served may have started messages, which the engine
 * then takes further. Under virtual time progress is the runtime's, not the program's
 * computation: the model charges what it does to the hardware (tile-kernel/timing.c). */
void mpii_progress(void)
{
	tk_vt_enter();
	mpii_engine_poll();
	while ((nb_head && nb_progress()) | mpii_win_progress())
		mpii_engine_poll();
	tk_vt_leave();
}

void mpii_poll_miss(void)
{
	if (tk_halt_is_cheap())
		tk_yield();
}

void mpii_wait_publish(struct mpii_req *r)
{
	uint32_t ctx = r->comm ? (uint32_t)(r->comm->ctx + r->ctxoff) : 0;
	int peer = -1;

	switch (r->kind) {
	/* a message on a collective context is a collective's (a blocking one's eager schedule
	 * waits for its messages one by one: sched.c), shown as such with the rank it waits for */
	case MPII_R_RECV:
		if (r->peer >= 0 && r->comm)
			peer = mpii_comm_peer_wr(r->comm, r->peer);
		tk_wait_set(r->ctxoff ? TESSERA_WAIT_COLL : TESSERA_WAIT_RECV, peer, r->tag, ctx);
		break;
	case MPII_R_SEND:
		tk_wait_set(r->ctxoff ? TESSERA_WAIT_COLL : r->state == MPII_ST_RTS ?
			    TESSERA_WAIT_SSEND : TESSERA_WAIT_SEND, r->pwr, r->tag, ctx);
		break;
	case MPII_R_COLL:
	case MPII_R_IO:		/* a collective MPI-IO access (file_coll.c) */
		tk_wait_set(TESSERA_WAIT_COLL, -1, r->sched ? r->sched->tag : 0, ctx);
		break;
	default:
		tk_wait_set(TESSERA_WAIT_RECV, -1, MPI_ANY_TAG, ctx);
		break;
	}
}

/* The world rank whose next message r waits for, or -1 (several, or any). */
static int awaited_wr(const struct mpii_req *r)
{
	if (r->kind == MPII_R_RECV && r->comm && r->peer >= 0)
		return mpii_comm_peer_wr(r->comm, r->peer);
	if (r->kind == MPII_R_SEND && r->comm && r->peer != MPI_PROC_NULL)
		return r->pwr;
	return -1;
}

int mpii_wait(struct mpii_req *r)
{
	int wr;

	mpii_progress();
	if (!mpii_req_test(r)) {
		mpii_wait_publish(r);
		wr = awaited_wr(r);
		do {
			/* waiting for one peer: the channel watches its ring, and spins while it
			 * runs (mpbc_wait_from) */
			if (wr >= 0)
				mpii_idle_from(wr);
			else
				mpii_idle();
			mpii_progress();
		} while (!mpii_req_test(r));
		tk_wait_set(TESSERA_WAIT_NONE, -1, 0, 0);
	}
	return r->err;
}
