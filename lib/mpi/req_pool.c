/* SPDX-License-Identifier: MIT */
/*
 * req_pool.c: request objects: allocation (with a small cache of freed ones, so a blocking
 * send or receive costs no malloc/free; taking from it and putting back are inline in
 * mpii_impl.h), destruction, and release by their user. Not what a request does (engine.c,
 * sched.c) nor the MPI calls that complete them (request.c).
 *
 * A cached request keeps its handle: its table entry still points to it, with kind 0, which
 * no lookup accepts (mpii_req_get, the engine's cookie check), so a stale handle is still an
 * error and taking a request from the cache costs no table work.
 */
#include <stddef.h>
#include <stdlib.h>
#include "mpii_impl.h"

struct mpii_req *mpii_req_cache[MPII_REQ_CACHE];
int mpii_nreq_cache;

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

struct mpii_req *mpii_req_alloc(void)
{
	struct mpii_req *r = malloc(sizeof(*r));

	if (!r)
		return NULL;
	r->handle = mpii_handle_new(MPII_K_REQ, r);
	if (!r->handle) {
		free(r);
		return NULL;
	}
	return r;
}

void mpii_req_free_parts(struct mpii_req *r)
{
	if (r->sched)
		mpii_sched_free(r->sched);
	free(r->tmp);
	r->sched = NULL;
	r->tmp = NULL;
}

void mpii_req_drop(struct mpii_req *r)
{
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
