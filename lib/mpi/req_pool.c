/* SPDX-License-Identifier: MIT */
/*
 * req_pool.c: request objects: allocation (with a small cache of freed ones, so a blocking
 * send or receive costs no malloc/free), destruction, and release by their user. Not what
 * a request does (engine.c, sched.c) nor the MPI calls that complete them (request.c).
 *
 * A cached request keeps its handle: its table entry still points to it, with kind 0, which
 * no lookup accepts (mpii_req_get, the engine's cookie check), so a stale handle is still an
 * error and taking a request from the cache costs no table work.
 */
#include <stddef.h>
#include <stdlib.h>
#include "mpii_impl.h"

static struct mpii_req *req_cache[MPII_REQ_CACHE];
static int nreq_cache;

struct mpii_req mpii_req_sent = {
	.handle = MPII_REQ_SENT,
	.kind = MPII_R_SEND,
	.active = 1,
	.done = 1,
	.finished = 1,
	.state = MPII_ST_EAGER,
	.st = { .MPI_SOURCE = MPI_ANY_SOURCE, .MPI_TAG = MPI_ANY_TAG },
};

void mpii_req_init(void)
{
	mpii_handle_fix(MPII_REQ_SENT, &mpii_req_sent);
}

struct mpii_req *mpii_req_new(int kind)
{
	struct mpii_req *r;
	int handle;

	if (nreq_cache) {
		r = req_cache[--nreq_cache];
		handle = r->handle;
	} else {
		r = malloc(sizeof(*r));
		if (!r)
			return NULL;
		handle = mpii_handle_new(MPII_K_REQ, r);
		if (!handle) {
			free(r);
			return NULL;
		}
	}
	/* everything but the channel request bodies at the end, which their use fills */
	memset(r, 0, offsetof(struct mpii_req, out));
	r->out[0].state = r->out[1].state = 0;
	r->handle = handle;
	r->kind = kind;
	mpii_status_empty(&r->st);
	return r;
}

void mpii_req_destroy(struct mpii_req *r)
{
	if (r == &mpii_req_sent)
		return;		/* predefined: completing it leaves it as it is */
	if (r->sched)
		mpii_sched_free(r->sched);
	mpii_comm_unref(r->comm);
	mpii_dtype_unref(r->dt);
	if (r->tmp)
		free(r->tmp);
	r->kind = 0;	/* no lookup takes it now */
	if (nreq_cache < MPII_REQ_CACHE) {
		req_cache[nreq_cache++] = r;
		return;
	}
	mpii_handle_free(r->handle);
	free(r);
}

void mpii_req_release(struct mpii_req *r)
{
	if (r->done)
		mpii_req_destroy(r);
	else
		r->user_freed = 1;
}
